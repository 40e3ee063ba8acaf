"""Array backends: which array namespace (``xp``) holds a device's memory.

NumPy backs the CPU; CuPy, when installed and a GPU is present, backs ``cuda``. Op code receives
the namespace and never asks which one it got. Faster kernels for one backend register with
:func:`register_kernel` and are looked up with :func:`kernel`.
"""

import numpy as np

from ember._device import CPU, device
from ember.backends import cudnn, mps  # noqa: F401 - public submodules

__all__ = ["namespace", "device_of", "namespace_for", "kernel", "register_kernel"]

_NAMESPACE_BY_ARRAY_TYPE = {np.ndarray: np}
_KERNELS = {}


def namespace(array):
    """The array namespace (numpy or cupy) that ``array`` belongs to."""
    return _NAMESPACE_BY_ARRAY_TYPE[type(array)]


def device_of(array):
    """The :class:`ember.device` holding ``array``."""
    if type(array) is np.ndarray:
        return CPU
    return device("cuda", array.device.id)


def namespace_for(dev):
    """The array namespace for device ``dev``; raises like PyTorch when it is unavailable."""
    if dev.type == "cpu":
        return np
    if dev.type == "cuda":
        from ember.backends import cuda

        return cuda.namespace(dev)
    raise RuntimeError(f"ember has no backend for device type '{dev.type}'")


def register_array_type(array_type, xp):
    _NAMESPACE_BY_ARRAY_TYPE[array_type] = xp


def register_kernel(name, xp, function):
    """Registers ``function`` as the fast version of kernel ``name`` for namespace ``xp``."""
    _KERNELS[name, xp.__name__] = function


def kernel(name, xp, default=None):
    """The fast kernel ``name`` registered for ``xp``, else ``default``."""
    return _KERNELS.get((name, xp.__name__), default)
