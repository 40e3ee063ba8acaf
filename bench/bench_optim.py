"""Optimizer step time: ember vs PyTorch on a 10M-parameter model.

    python bench/bench_optim.py                       # Adam
    python bench/bench_optim.py --optimizers Adam AdamW SGD RMSprop --rounds 10

The model is five bias-free ``Linear(1000, 2000)`` layers (float32, 10M parameters) whose
gradients are set once to the same random values for both libraries; only ``optimizer.step()``
is timed (best of ``--rounds`` steps, after two warm-up steps; ember's and PyTorch's steps
alternate, so that both see the same load). SGD runs with momentum 0.9, the other optimizers
with their defaults. PyTorch uses its default CPU implementation (the per-parameter loop, as
ember) with all cores.
"""

import argparse
import os
import platform
import time

import numpy as np

SHAPE, LAYERS = (2000, 1000), 5


def build(lib, name, gradients):
    """``step`` of ``lib.optim.<name>`` over the model's parameters, warmed up."""
    params = [lib.nn.Linear(SHAPE[1], SHAPE[0], bias=False).weight for _ in range(LAYERS)]
    for param, gradient in zip(params, gradients):
        param.grad = lib.from_numpy(gradient)
    options = {"momentum": 0.9} if name == "SGD" else {}
    optimizer = getattr(lib.optim, name)(params, lr=1e-3, **options)
    for _ in range(2):
        optimizer.step()
    return optimizer.step


def best_seconds(steps, rounds):
    """Best time of each step, the steps interleaved so that they share the machine's load."""
    best = [float("inf")] * len(steps)
    for _ in range(rounds):
        for index, step in enumerate(steps):
            start = time.perf_counter()
            step()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optimizers", nargs="+", default=["Adam"])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="PyTorch's intra-op threads (default: all cores)")
    args = parser.parse_args(argv)
    import torch

    import ember

    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    gradients = [rng.standard_normal(SHAPE, dtype=np.float32) for _ in range(LAYERS)]
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, NumPy {np.__version__}, torch {torch.__version__}")
    print(f"# {LAYERS * SHAPE[0] * SHAPE[1] / 1e6:.0f}M float32 parameters, one step, "
          f"torch with {args.threads} threads")
    print(f"{'optimizer':<12}{'ember ms':>12}{'torch ms':>12}{'ratio':>8}")
    for name in args.optimizers:
        times = best_seconds([build(lib, name, gradients) for lib in (ember, torch)], args.rounds)
        print(f"{name:<12}{times[0] * 1e3:>12.1f}{times[1] * 1e3:>12.1f}"
              f"{times[0] / times[1]:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
