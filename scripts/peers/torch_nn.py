#!/usr/bin/env python3
"""PyTorch baseline for `argmax bench nn`: the same MLP and GEMM sizes.

Install on Debian: apt-get install python3-torch libopenblas0-pthread
Run:              /usr/bin/python3 scripts/peers/torch_nn.py [threads]
Prints medians of several repetitions, in the units `argmax bench nn` uses.
"""
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)


def median_time(fn, reps=7, min_time=0.3):
    """Median seconds per call of fn over reps timed batches."""
    fn()
    n = 1
    while True:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t > min_time / 5:
            break
        n *= 2
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        out.append((time.perf_counter() - t) / n)
    return statistics.median(out)


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {torch.__config__.parallel_info().splitlines()[0]}")
for size in (64, 128, 256, 512, 1024):
    for th in (1, threads):
        torch.set_num_threads(th)
        a, b = torch.randn(size, size), torch.randn(size, size)
        c = torch.empty(size, size)
        s = median_time(lambda: torch.mm(a, b, out=c))
        print(f"gemm {size:5d} threads {th}: {2 * size**3 / s / 1e9:7.1f} GFLOP/s")
torch.set_num_threads(threads)

net = torch.nn.Sequential(
    torch.nn.Linear(64, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x, y = torch.randn(256, 64), torch.randint(0, 10, (256,))
loss_fn = torch.nn.CrossEntropyLoss()


def step():
    opt.zero_grad(set_to_none=False)
    loss_fn(net(x), y).backward()
    opt.step()


s = median_time(step)
print(f"mlp 64-256-256-10 batch 256 train: {1 / s:8.1f} steps/s ({s * 1e3:.3f} ms/step)")
with torch.inference_mode():
    for batch in (1, 32):
        xb = torch.randn(batch, 64)
        s = median_time(lambda: net(xb))
        print(f"mlp inference batch {batch:3d}: {s * 1e6:8.1f} us")
