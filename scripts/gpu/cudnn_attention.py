"""Dense causal attention of PyTorch's cuDNN backend, bf16, batch 1, 12 heads of 64: forward and forward+backward
TFLOP/s at each length in LENGTHS, printed as CSV (n, forward TFLOP/s, forward+backward TFLOP/s). The FLOP count is
the one bench attention uses for a single pair (N, 1): 4 N^2 d per forward, halved for causal; 3.5x for both passes."""
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


print("n,fwd_tflops,fwd_bwd_tflops")
for n in (int(x) for x in os.environ.get("LENGTHS", "65536 262144 1048576").split()):
    q, k, v = (torch.randn(1, HEADS, n, DIM, device="cuda", dtype=torch.bfloat16, requires_grad=True) for _ in range(3))
    grad = torch.randn_like(q)
    flops = 4.0 * n * n * DIM * HEADS / 2
    repeats = 2 if n >= 1 << 20 else 5  # dense attention is quadratic: at 1M tokens one call takes seconds
    with sdpa_kernel(SDPBackend.CUDNN_ATTENTION):
        forward = timed(lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True), repeats)
        both = timed(lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True).backward(grad), repeats)
    print(f"{n},{flops / forward / 1e12:.2f},{3.5 * flops / both / 1e12:.2f}", flush=True)
    del q, k, v, grad
