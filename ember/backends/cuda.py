"""The CUDA backend, backed by CuPy when it is installed and a GPU is visible."""

from functools import lru_cache

from ember.backends import register_array_type


@lru_cache(maxsize=1)
def _cupy():
    try:
        import cupy
    except ImportError:
        return None
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            return None
    except Exception:  # no driver: CuPy imports but cannot talk to a GPU
        return None
    register_array_type(cupy.ndarray, cupy)
    return cupy


def is_available():
    return _cupy() is not None


def device_count():
    cupy = _cupy()
    return cupy.cuda.runtime.getDeviceCount() if cupy else 0


def namespace(dev):
    """CuPy, with ``dev`` made current; AssertionError like PyTorch's CPU builds without it."""
    cupy = _cupy()
    if cupy is None:
        raise AssertionError(
            f"ember not compiled with CUDA enabled: cannot use device '{dev}' "
            "(install CuPy on a machine with an NVIDIA GPU: pip install 'ember[cuda]')")
    index = dev.index or 0
    if index >= device_count():
        raise RuntimeError(
            f"CUDA error: invalid device ordinal {index} ({device_count()} device(s) present)")
    cupy.cuda.Device(index).use()
    return cupy


class _MatmulFlags:
    """``ember.backends.cuda.matmul``: PyTorch's matmul precision flags, kept for code that sets
    them; CuPy's matmul is unaffected."""

    allow_tf32 = False
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True


matmul = _MatmulFlags()
