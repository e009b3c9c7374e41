package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.PrecisionKernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bf16 storage for the GEMMs of one run (16-bit operands, fp32 accumulation and results; the fp32
 * master weights stay what AdamW updates): a bf16 copy of every Linear's weight, refreshed from the
 * master at the start of each forward, and two scratch buffers into which a GEMM's activation and
 * gradient operands are rounded just before it runs.
 */
final class Bf16 {
    private final Map<Linear, BFloat16Array> weights = new LinkedHashMap<>();
    /** A Linear's input (forward and weight gradient), and its output gradient (backward). */
    final BFloat16Array input, grad;

    Bf16(List<Linear> linears, long tokens, int widest) {
        linears.forEach(l -> weights.put(l, new BFloat16Array(l.weight.size())));
        input = new BFloat16Array(tokens * widest);
        grad = new BFloat16Array(tokens * widest);
    }

    BFloat16Array weight(Linear l) {
        return weights.get(l);
    }

    /** Tasks that round every master weight into its bf16 copy (named like layer tasks, so profiles fold them). */
    void refreshWeights(TaskGraph g) {
        int i = 0;
        for (var e : weights.entrySet()) {
            g.task("l" + i++ + "WeightBf16", PrecisionKernels::toBf16, e.getKey().weight.value(), e.getValue(), e.getKey().weight.size());
        }
    }

    List<DeviceArray> arrays() {
        List<DeviceArray> out = new ArrayList<>(weights.values());
        out.add(input);
        out.add(grad);
        return out;
    }

    /** Device bytes per token of the two scratch buffers. */
    static long bytesPerToken(int widest) {
        return 2L * Short.BYTES * widest;
    }
}
