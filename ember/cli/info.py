"""Shows ember's version, Python, NumPy and its BLAS, the devices ember can use and which
optional packages are installed."""

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import sys

import numpy as np

import ember

NAME = "info"
HELP = "show versions, the BLAS, devices and installed extras"

# (shown name, import name, distribution names)
_EXTRAS = (("Pillow", "PIL", ("Pillow",)),
           ("tqdm", "tqdm", ("tqdm",)),
           ("scipy", "scipy", ("scipy",)),
           ("matplotlib", "matplotlib", ("matplotlib",)),
           ("tensorboardX", "tensorboardX", ("tensorboardX",)),
           ("safetensors", "safetensors", ("safetensors",)),
           ("cupy", "cupy", ("cupy-cuda12x", "cupy-cuda11x", "cupy-cuda13x", "cupy")))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ember info`` takes no arguments."""


def main(args: argparse.Namespace) -> int:
    for label, value in report():
        print(f"{label + ':':<14}{value}")
    return 0


def report():
    """``(label, text)`` lines: versions, BLAS, devices and the optional extras."""
    return [("ember", f"{ember.__version__} ({ember.__path__[0]})"),
            ("Python", f"{platform.python_version()} ({platform.python_implementation()}, "
                       f"{sys.executable})"),
            ("platform", platform.platform()),
            ("NumPy", np.__version__),
            ("BLAS", _blas()),
            ("devices", _devices()),
            *[(label, _version(module, distributions) or "not installed")
              for label, module, distributions in _EXTRAS]]


def _blas():
    """The BLAS NumPy runs matmuls on, with its thread count when threadpoolctl is there."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        text = f"{blas['name']} {blas.get('version', '')}".strip()
    except (TypeError, KeyError):  # NumPy < 1.26 has no mode="dicts"
        text = "unknown (NumPy < 1.26 does not report it)"
    if importlib.util.find_spec("threadpoolctl") is None:
        return text
    from threadpoolctl import threadpool_info

    pools = [f"{pool['internal_api']} {pool['version']}, {pool['num_threads']} threads"
             for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return f"{text}; loaded: {'; '.join(pools)}" if pools else text


def _devices():
    cpu = f"cpu ({os.cpu_count()} cores)"
    if ember.cuda.is_available():
        count = ember.cuda.device_count()
        names = ", ".join(ember.cuda.get_device_name(i) for i in range(count))
        return f"{cpu}, cuda ({count}: {names})"
    reason = ("no GPU visible to CuPy" if importlib.util.find_spec("cupy")
              else "CuPy not installed")
    return f"{cpu}; cuda not available: {reason}"


def _version(module, distributions):
    if importlib.util.find_spec(module) is None:
        return None
    for distribution in distributions:
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "installed"
