"""Dense causal attention of PyTorch's cuDNN backend, bf16, 12 heads of 64, printed as CSV.

Without PAIRS: batch 1 at each length in LENGTHS, the rows n, forward TFLOP/s, forward+backward TFLOP/s. The FLOP count is
the one bench attention uses for a single pair (N, 1): 4 N^2 d per forward, halved for causal; 3.5x for both passes.

With PAIRS (segment:dilation ..., e.g. "2048:1 4096:2"): the same blocks as each dilated pair at each length in LENGTHS,
packed densely: a pair (w, r) on N tokens attends, for each of N / w segments and each head, causally over one block of
w / r rows (the head's residue), so cuDNN runs batch N / w of sequences of ceil(w / r) tokens. The rows are n, w, r,
forward ms, forward+backward ms: the time the best dense kernel of the machine takes for the work of that pair's kernels,
with no gathering of dilated rows and no merging of pairs."""
import math
import os
import torch
from torch.nn.attention import SDPBackend, sdpa_kernel

HEADS, DIM = 12, 64


def timed(fn, repeats):
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    best = float("inf")
    for _ in range(repeats):
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        best = min(best, start.elapsed_time(end) / 1e3)
    return best


def causal_times(batch, n, repeats):
    """Seconds of the best forward and of the best forward+backward over repeats, on (batch, HEADS, n, DIM)."""
    q, k, v = (torch.randn(batch, HEADS, n, DIM, device="cuda", dtype=torch.bfloat16, requires_grad=True) for _ in range(3))
    grad = torch.randn_like(q)
    with sdpa_kernel(SDPBackend.CUDNN_ATTENTION):
        forward = timed(lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True), repeats)
        both = timed(lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True).backward(grad), repeats)
    del q, k, v, grad
    return forward, both


lengths = [int(x) for x in os.environ.get("LENGTHS", "65536 262144 1048576").split()]
pairs = [tuple(int(p) for p in pair.split(":")) for pair in os.environ.get("PAIRS", "").split()]
if pairs:
    print("n,w,r,fwd_ms,fwd_bwd_ms")
    for n in lengths:
        for w, r in pairs:
            forward, both = causal_times(max(1, n // w), math.ceil(min(w, n) / r), 5)
            print(f"{n},{w},{r},{forward * 1e3:.3f},{both * 1e3:.3f}", flush=True)
else:
    print("n,fwd_tflops,fwd_bwd_tflops")
    for n in lengths:
        flops = 4.0 * n * n * DIM * HEADS / 2
        forward, both = causal_times(1, n, 2 if n >= 1 << 20 else 5)  # dense attention is quadratic: at 1M one call takes seconds
        print(f"{n},{flops / forward / 1e12:.2f},{3.5 * flops / both / 1e12:.2f}", flush=True)
