#!/usr/bin/env python3
"""PyTorch baseline for `argmax bench nn`: the same GEMM sizes, MLP and
connect-four residual net, in the units `argmax bench nn` prints.

Install on Debian (the distribution's PyTorch, linked to OpenBLAS):

    apt-get install -y python3-torch libopenblas0-pthread

Run with Debian's python (not a pyenv or virtualenv one, which lacks torch):

    /usr/bin/python3 scripts/peers/torch_nn.py                 # every figure, 1 and 2 threads
    /usr/bin/python3 scripts/peers/torch_nn.py --only conv     # only the connect-four net
    /usr/bin/python3 scripts/peers/torch_nn.py --threads 1 --json

or let argmax run it beside its own figures, alternating, with the ratios:

    argmax bench nn --only conv --peer '/usr/bin/python3 scripts/peers/torch_nn.py' --rounds 5

How threads are set. torch.set_num_threads sets PyTorch's own (OpenMP)
threads but does not reach Debian's OpenBLAS, which sizes its thread pool
from OPENBLAS_NUM_THREADS when the library loads. So every thread count runs
in its own child process with OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and
torch.set_num_threads all set to it. OpenBLAS's kernel choice can also be
forced (OPENBLAS_CORETYPE, e.g. Haswell on CPUs it does not know) and its
blocking tuned (OPENBLAS_L2_SIZE); each thread count is therefore run twice,
once with both variables set (to their values in the environment, or to
--coretype and --l2-size) and once with both unset, and every figure reports
the faster of the two runs, with the variant that gave it. --variant set or
--variant unset runs only one.

Memory format. PyTorch's convolutions (oneDNN) run faster on some sizes
when the net and its input are in channels_last (NHWC) memory format
rather than the default NCHW; the conv figures are measured in both formats
(each in its own child process) and the faster is reported, so that the
baseline is the best PyTorch does here. --format nchw or --format
channels_last measures one.

Memory. glibc's malloc serves blocks above its mmap threshold with fresh
mmap calls and hands them back to the system when freed, so every tensor of
a batch-64 pass faults in new pages (PyTorch runs about three times slower
here at batch 64 that way). The children run with MALLOC_MMAP_THRESHOLD_
and MALLOC_TRIM_THRESHOLD_ raised, so PyTorch keeps and reuses its memory,
as argmax's tapes do; --malloc-default leaves glibc's settings.

The connect-four net is argmax's nn.Connect4Config: input 2 planes of 6×7,
a 3×3 stem convolution to 64 channels, 5 residual blocks of two 3×3
convolutions with batch norm, a policy head (1×1 convolution to 2 planes,
batch norm, ReLU, linear to 7 logits) and a value head (1×1 convolution to
1 plane, batch norm, ReLU, linear to 64, ReLU, linear to 1, tanh). Inference
runs in eval mode under torch.inference_mode at batch 1, 8 and 64; a training
step (train mode, forward, cross-entropy plus mean squared error, backward,
Adam) at batch 64 and 256. Figures are medians of several timed repetitions.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CONV_INFER_BATCHES = (1, 8, 64)
CONV_TRAIN_BATCHES = (64, 256)
GEMM_SIZES = (64, 128, 256, 512, 1024)


def median_time(fn, reps=7, min_time=0.5):
    """Median seconds per call of fn over reps timed batches of calls."""
    fn()
    fn()
    n = 1
    while True:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t > min_time / reps:
            break
        n *= 2
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        out.append((time.perf_counter() - t) / n)
    return statistics.median(out)


def conv_net(torch, planes=2, height=6, width=7, blocks=5, channels=64, policy=7, value_hidden=64):
    """The connect-four policy/value net of nn.Connect4Config."""
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(channels)
            self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(channels)

        def forward(self, x):
            h = torch.relu(self.bn1(self.conv1(x)))
            return torch.relu(x + self.bn2(self.conv2(h)))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            hw = height * width
            self.stem = nn.Conv2d(planes, channels, 3, padding=1, bias=False)
            self.stem_bn = nn.BatchNorm2d(channels)
            self.blocks = nn.Sequential(*[Block() for _ in range(blocks)])
            self.pconv = nn.Conv2d(channels, 2, 1, bias=False)
            self.pbn = nn.BatchNorm2d(2)
            self.pfc = nn.Linear(2 * hw, policy)
            self.vconv = nn.Conv2d(channels, 1, 1, bias=False)
            self.vbn = nn.BatchNorm2d(1)
            self.vfc1 = nn.Linear(hw, value_hidden)
            self.vfc2 = nn.Linear(value_hidden, 1)

        def forward(self, x):
            h = self.blocks(torch.relu(self.stem_bn(self.stem(x))))
            p = self.pfc(torch.relu(self.pbn(self.pconv(h))).flatten(1))
            v = torch.relu(self.vbn(self.vconv(h))).flatten(1)
            v = torch.tanh(self.vfc2(torch.relu(self.vfc1(v))))
            return p, v

    return Net()


def measure(threads, only, fmt):
    """Times every figure in this process, returning {name: value}."""
    import torch

    mf = torch.channels_last if fmt == "channels_last" else torch.contiguous_format

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    res = {}
    if only in ("all", "gemm"):
        for size in GEMM_SIZES:
            a, b = torch.randn(size, size), torch.randn(size, size)
            c = torch.empty(size, size)
            s = median_time(lambda: torch.mm(a, b, out=c))
            res[f"gemm {size} GFLOP/s"] = 2 * size**3 / s / 1e9
    if only in ("all", "mlp"):
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

        res["mlp train batch 256 steps/s"] = 1 / median_time(step)
        with torch.inference_mode():
            for batch in (1, 32):
                xb = torch.randn(batch, 64)
                res[f"mlp inference batch {batch} us/pass"] = 1e6 * median_time(lambda: net(xb))
    if only in ("all", "conv"):
        net = conv_net(torch).to(memory_format=mf)
        g = torch.Generator().manual_seed(1)
        net.eval()
        with torch.inference_mode():
            for batch in CONV_INFER_BATCHES:
                x = (torch.rand(batch, 2, 6, 7, generator=g) < 1 / 3).float().to(memory_format=mf)
                res[f"conv inference batch {batch} positions/s"] = batch / median_time(lambda: net(x))
        net.train()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for batch in CONV_TRAIN_BATCHES:
            x = (torch.rand(batch, 2, 6, 7, generator=g) < 1 / 3).float().to(memory_format=mf)
            labels = torch.randint(0, 7, (batch,), generator=g)
            z = torch.zeros(batch, 1)

            def step():
                opt.zero_grad()
                p, v = net(x)
                loss = torch.nn.functional.cross_entropy(p, labels) + torch.nn.functional.mse_loss(v, z)
                loss.backward()
                opt.step()

            res[f"conv train batch {batch} steps/s"] = 1 / median_time(step)
    return res


def higher_is_better(name):
    return not name.endswith("us/pass")


def child_env(threads, variant, coretype, l2size, malloc_default):
    env = dict(os.environ)
    if not malloc_default:
        env.setdefault("MALLOC_MMAP_THRESHOLD_", str(1 << 30))
        env.setdefault("MALLOC_TRIM_THRESHOLD_", str(1 << 31))
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        env[k] = str(threads)
    if variant == "set":
        env["OPENBLAS_CORETYPE"] = coretype
        env["OPENBLAS_L2_SIZE"] = l2size
    else:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "),
                                 epilog="See the module docstring for how threads, OpenBLAS and memory formats are set.")
    ap.add_argument("--threads", type=int, action="append", help="thread count to run (repeatable; default 1 and 2)")
    ap.add_argument("--only", choices=("all", "gemm", "mlp", "conv"), default="all", help="figures to measure")
    ap.add_argument("--variant", choices=("both", "set", "unset"), default="both",
                    help="OpenBLAS environment: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE set, unset, or both (the faster per figure)")
    ap.add_argument("--format", choices=("both", "nchw", "channels_last"), default="both",
                    help="memory format of the conv net: NCHW, channels_last, or both (the faster per figure)")
    ap.add_argument("--coretype", default=os.environ.get("OPENBLAS_CORETYPE", "Haswell"), help="OPENBLAS_CORETYPE of the 'set' variant")
    ap.add_argument("--l2-size", default=os.environ.get("OPENBLAS_L2_SIZE", "512"), help="OPENBLAS_L2_SIZE of the 'set' variant")
    ap.add_argument("--malloc-default", action="store_true",
                    help="leave glibc's malloc thresholds as they are (see the docstring)")
    ap.add_argument("--json", action="store_true", help="print one JSON object per thread count instead of text")
    ap.add_argument("--worker", type=int, metavar="THREADS", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        # A child: the environment already holds the thread counts.
        print(json.dumps(measure(args.worker, args.only, args.format)))
        return

    import torch

    envs = ("set", "unset") if args.variant == "both" else (args.variant,)
    formats = ("nchw", "channels_last") if args.format == "both" else (args.format,)
    if args.only not in ("all", "conv"):
        formats = formats[:1]  # the memory format only matters for the conv net
    threads = args.threads or [1, 2]
    if not args.json:
        print(f"torch {torch.__version__}; OpenBLAS variants {', '.join(envs)} "
              f"(set: OPENBLAS_CORETYPE={args.coretype} OPENBLAS_L2_SIZE={args.l2_size}); "
              f"conv memory formats {', '.join(formats)}; best per figure")
    for t in threads:
        runs = {}
        for e in envs:
            for f in formats:
                out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", str(t),
                                      "--only", args.only, "--format", f],
                                     env=child_env(t, e, args.coretype, args.l2_size, args.malloc_default), check=True,
                                     capture_output=True, text=True).stdout
                runs[f"{e}/{f}"] = json.loads(out.strip().splitlines()[-1])
        best = {}
        for name in next(iter(runs.values())):
            vals = [(r[name], v) for v, r in runs.items()]
            best[name] = max(vals) if higher_is_better(name) else min(vals)
        if args.json:
            print(json.dumps({"threads": t, "figures": {n: {"value": b[0], "variant": b[1]} for n, b in best.items()},
                              "runs": runs}))
            continue
        print(f"threads {t}:")
        for name, (val, v) in best.items():
            print(f"  {name:40s} {val:10.1f}   ({v})")


if __name__ == "__main__":
    main()
