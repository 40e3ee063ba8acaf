"""Legacy typed constructors: ``ember.FloatTensor([1, 2])``, ``isinstance(t, ember.LongTensor)``
and their CUDA twins ``ember.cuda.FloatTensor``..."""

from ember import _dtype
from ember._tensor import Tensor

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor", "legacy_types"]


class _LegacyTensorType(type):
    def __call__(cls, *args, device=None):
        from ember._ops.creation import _legacy_tensor

        return _legacy_tensor(args, device or cls._device, cls._dtype)

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls._dtype and \
            instance.device.type == cls._device


def legacy_types(device):
    """The typed constructors of ``device`` ("cpu" or "cuda"), by name: ``FloatTensor``..."""
    module = "ember" if device == "cpu" else f"ember.{device}"
    return {name: _LegacyTensorType(name, (), {"_dtype": _dtype.to_dtype(dtype_name),
                                               "_device": device, "__module__": module})
            for dtype_name, name in _NAMES.items()}


_NAMES = {dtype_name: scalar_name + "Tensor"
          for dtype_name, scalar_name in _dtype._SCALAR_TYPE_NAMES.items()
          if not dtype_name.startswith("complex")}
_CPU_TYPES = legacy_types("cpu")
FloatTensor, DoubleTensor, HalfTensor = (_CPU_TYPES[name] for name in
                                         ("FloatTensor", "DoubleTensor", "HalfTensor"))
LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor = (
    _CPU_TYPES[name] for name in ("LongTensor", "IntTensor", "ShortTensor", "CharTensor",
                                  "ByteTensor", "BoolTensor"))
