"""``ember.cuda``: GPU queries and seeding; answers honestly when there is no GPU backend."""

from ember._legacy import legacy_type as _legacy_type
from ember.backends import cuda as _backend

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all", "current_device",
           "synchronize", "empty_cache", "get_device_name", "is_bf16_supported", "set_device",
           "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]

FloatTensor = _legacy_type("FloatTensor", "cuda")
DoubleTensor = _legacy_type("DoubleTensor", "cuda")
HalfTensor = _legacy_type("HalfTensor", "cuda")
LongTensor = _legacy_type("LongTensor", "cuda")
IntTensor = _legacy_type("IntTensor", "cuda")
ShortTensor = _legacy_type("ShortTensor", "cuda")
CharTensor = _legacy_type("CharTensor", "cuda")
ByteTensor = _legacy_type("ByteTensor", "cuda")
BoolTensor = _legacy_type("BoolTensor", "cuda")


def is_available():
    """True when CuPy is installed and sees an NVIDIA GPU."""
    return _backend.is_available()


def device_count():
    return _backend.device_count()


def manual_seed(seed):
    """Seeds the GPU generators. ember samples on the CPU generator for every device, so this
    reseeds nothing extra and is safe to call without a GPU, like PyTorch's."""


manual_seed_all = manual_seed


def _require():
    if not is_available():
        raise AssertionError("ember not compiled with CUDA enabled (CuPy with a visible GPU is "
                             "required)")


def current_device():
    _require()
    import cupy

    return cupy.cuda.Device().id


def set_device(device):
    _require()
    import cupy

    cupy.cuda.Device(getattr(device, "index", device) or 0).use()


def synchronize(device=None):
    if is_available():
        import cupy

        cupy.cuda.Device().synchronize()


def empty_cache():
    if is_available():
        import cupy

        cupy.get_default_memory_pool().free_all_blocks()


def get_device_name(device=None):
    _require()
    import cupy

    return cupy.cuda.runtime.getDeviceProperties(getattr(device, "index", device) or 0)[
        "name"].decode()


def is_bf16_supported():
    return False
