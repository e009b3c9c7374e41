#!/usr/bin/env bash
# session 9: warp stall reasons of the attention kernels (one launch each, dense pair at 1M)
source scripts/h200-common
bench=(scripts/longnet --device cuda bench attention --matrix-units --min-len 1048576 --max-len 1048576 --repeats 1 --dense-max-len 0 --out "$out/b")
"${bench[@]}" > "$out/bench.txt" 2>&1
for kernel in forwardPairMma backwardQueryMma backwardKeyValueMma; do
  timeout 150 /usr/local/cuda/bin/ncu --clock-control none --target-processes all --kernel-name "$kernel" --launch-count 1 \
    --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio,smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active,sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_xu.avg.pct_of_peak_sustained_active,gpu__time_duration.sum,l1tex__data_pipe_lsu_wavefronts_mem_shared.sum,smsp__inst_executed_pipe_xu.sum" \
    "${bench[@]}" > "$out/stalls-$kernel.txt" 2>&1
  echo "== $kernel"; grep -E "ratio|sum|pct" "$out/stalls-$kernel.txt" | awk '$NF+0 > 0.05 || /duration|inst_executed|pct/' | sed -E 's/ +/ /g' | sort -t' ' -k4 -g -r | head -24
done
rm -rf "$out/kernel-cache" "$out/b"
