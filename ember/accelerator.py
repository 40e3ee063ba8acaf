"""``ember.accelerator``: the device-agnostic view of the current accelerator (CUDA or none)."""

from ember import cuda

__all__ = ["is_available", "current_accelerator", "device_count"]


def is_available():
    return cuda.is_available()


def current_accelerator(check_available=False):
    from ember._device import device

    return device("cuda") if cuda.is_available() else None


def device_count():
    return cuda.device_count()
