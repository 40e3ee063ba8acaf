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


def _training_step(lib, model, inputs, targets, optimizer):
    criterion = lib.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()

    return step


def _batch(lib, shape, classes=10):
    rng = np.random.default_rng(0)
    inputs = lib.from_numpy(rng.standard_normal(shape, dtype=np.float32))
    targets = lib.from_numpy(rng.integers(0, classes, shape[0]))
    return inputs, targets


def mlp(lib):
    """Seed 001's MNIST MLP (784-512-10) training step, batch 64, SGD."""
    lib.manual_seed(0)
    nn = lib.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return _training_step(lib, model, *_batch(lib, (64, 1, 28, 28)), optimizer)


def _lenet(lib, batch):
    lib.manual_seed(0)
    nn = lib.nn
    model = nn.Sequential(
        nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.ReLU(),
        nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
        nn.ReLU(), nn.Linear(84, 10))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    return _training_step(lib, model, *_batch(lib, (batch, 3, 32, 32)), optimizer)


def lenet_b4(lib):
    """Seed 002's CIFAR10 LeNet training step, batch 4 (the tutorial's), SGD momentum."""
    return _lenet(lib, 4)


def lenet_b64(lib):
    """Seed 002's CIFAR10 LeNet training step, batch 64."""
    return _lenet(lib, 64)


def conv_bn(lib):
    """Conv-BN-ReLU-MaxPool net (3->64->128->256 channels, 32x32, batch 32), Adam step."""
    lib.manual_seed(0)
    nn = lib.nn
    layers = []
    for cin, cout in ((3, 64), (64, 128), (128, 256)):
        layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                   nn.MaxPool2d(2)]
    model = nn.Sequential(*layers, nn.Flatten(), nn.Linear(256 * 4 * 4, 10))
    optimizer = lib.optim.Adam(model.parameters(), lr=1e-3)
    return _training_step(lib, model, *_batch(lib, (32, 3, 32, 32)), optimizer)


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
    "mlp": mlp,
    "lenet_b4": lenet_b4,
    "lenet_b64": lenet_b64,
    "conv_bn": conv_bn,
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
