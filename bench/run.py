"""Runs ember and PyTorch on the same workloads in one process and prints the ratios.

    python bench/run.py                 # every benchmark
    python bench/run.py poly matmul     # a selection

Each benchmark builds the workload for a library (``ember`` or ``torch``) and returns a
zero-argument step; the runner times both with the same repeat counts (best of several rounds,
after a warm-up) and reports ember / PyTorch: below 1.0 means ember is faster.
"""

import argparse
import math
import os
import platform
import subprocess
import sys
import time

import numpy as np


def _time(step, seconds=0.5, rounds=5):
    """Best per-call time of ``step`` over ``rounds`` rounds of about ``seconds`` each."""
    step()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds / 5:
        step()
        count += 1
    number = max(1, count * 5)
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            step()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def small_add_backward(lib):
    """Per-op overhead: a 10-element add and its backward."""
    a = lib.ones(10, requires_grad=True)
    b = lib.ones(10, requires_grad=True)
    seed = lib.ones(10)

    def step():
        (a + b).backward(seed)

    return step


def poly(lib):
    """Seed 002's autograd polynomial fit: one forward, backward and update on 2000 points."""
    x = lib.linspace(-math.pi, math.pi, 2000)
    y = lib.sin(x)
    lib.manual_seed(0)
    weights = [lib.randn((), requires_grad=True) for _ in range(4)]
    a, b, c, d = weights

    def step():
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with lib.no_grad():
            for w in weights:
                w -= 1e-6 * w.grad
                w.grad = None

    return step


def _matmul(size):
    def build(lib):
        rng = np.random.default_rng(0)
        a = lib.from_numpy(rng.standard_normal((size, size), dtype=np.float32))
        b = lib.from_numpy(rng.standard_normal((size, size), dtype=np.float32))
        return lambda: a @ b

    build.__doc__ = f"float32 matmul {size}x{size} (GFLOP/s in the note)"
    build.flops = 2 * size ** 3
    return build


def import_time(lib):
    """Wall time of `python -c "import <lib>"` in a fresh interpreter."""
    name = lib.__name__

    def step():
        subprocess.run([sys.executable, "-c", f"import {name}"], check=True)

    step.once = True
    return step


BENCHMARKS = {
    "small_add_backward": small_add_backward,
    "poly": poly,
    "matmul1024": _matmul(1024),
    "matmul2048": _matmul(2048),
    "import": import_time,
}


def _format(seconds):
    if seconds >= 1e-1:
        return f"{seconds:8.3f} s "
    if seconds >= 1e-4:
        return f"{seconds * 1e3:8.3f} ms"
    return f"{seconds * 1e6:8.2f} us"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--seconds", type=float, default=0.5, help="time per round")
    args = parser.parse_args(argv)
    import torch

    import ember

    torch.set_num_threads(os.cpu_count() or 1)
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, NumPy {np.__version__}, torch {torch.__version__}")
    print(f"{'benchmark':<22}{'ember':>12}{'torch':>12}{'ratio':>8}")
    for name in args.names or BENCHMARKS:
        build = BENCHMARKS[name]
        timings = []
        for lib in (ember, torch):
            step = build(lib)
            if getattr(step, "once", False):
                timings.append(min(_timed_once(step) for _ in range(5)))
            else:
                timings.append(_time(step, args.seconds))
        ember_time, torch_time = timings
        line = f"{name:<22}{_format(ember_time):>12}{_format(torch_time):>12}" \
               f"{ember_time / torch_time:8.2f}"
        flops = getattr(build, "flops", None)
        if flops:
            line += f"   ({flops / ember_time / 1e9:.1f} vs {flops / torch_time / 1e9:.1f} GFLOP/s)"
        print(line, flush=True)


def _timed_once(step):
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
