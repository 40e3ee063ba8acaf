"""Thread and determinism settings PyTorch code calls: ``set_num_threads`` and friends.

ember's parallelism is the BLAS library's (OpenBLAS for NumPy); ``set_num_threads`` limits it
through threadpoolctl. Everything else ember runs is single-threaded and deterministic.
"""

import os
import warnings

__all__ = ["set_num_threads", "get_num_threads", "set_num_interop_threads",
           "get_num_interop_threads", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "set_float32_matmul_precision",
           "get_float32_matmul_precision"]

_settings = {"interop_threads": os.cpu_count() or 1, "deterministic": False,
             "matmul_precision": "highest"}


def _check_count(name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuntimeError(f"{name} expects an int, but got {type(value).__name__}")
    if value < 1:
        raise RuntimeError(f"{name} expects a positive integer")


def set_num_threads(int):  # noqa: A002 - PyTorch's argument name
    """Sets the number of threads the BLAS library (matmul, conv) uses."""
    _check_count("set_num_threads", int)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=int, user_api="blas")


def get_num_threads():
    """The number of threads the BLAS library uses."""
    from threadpoolctl import threadpool_info

    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(counts) if counts else 1


def set_num_interop_threads(int):  # noqa: A002
    """Recorded for compatibility: ember runs ops one at a time."""
    _check_count("set_num_interop_threads", int)
    _settings["interop_threads"] = int


def get_num_interop_threads():
    return _settings["interop_threads"]


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Recorded for compatibility: ember's CPU kernels are deterministic already."""
    _settings["deterministic"] = bool(mode)


def are_deterministic_algorithms_enabled():
    return _settings["deterministic"]


def set_float32_matmul_precision(precision):
    """Recorded for compatibility: float32 matmuls always run in full precision."""
    if precision not in ("highest", "high", "medium"):
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current "
                      "setFloat32MatmulPrecision call has no effect.", stacklevel=2)
        return
    _settings["matmul_precision"] = precision


def get_float32_matmul_precision():
    return _settings["matmul_precision"]
