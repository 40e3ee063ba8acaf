"""Legacy typed constructors: ``ember.FloatTensor([1, 2])``, ``isinstance(t, ember.LongTensor)``."""

from ember import _dtype
from ember._tensor import Tensor

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]


class _LegacyTensorType(type):
    def __call__(cls, *args, device=None):
        from ember._ops.creation import _legacy_tensor

        return _legacy_tensor(args, device, cls._dtype)

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls._dtype and \
            instance.device.type == "cpu"


def _legacy(name, dtype):
    return _LegacyTensorType(name, (), {"_dtype": dtype, "__module__": "ember"})


FloatTensor = _legacy("FloatTensor", _dtype.float32)
DoubleTensor = _legacy("DoubleTensor", _dtype.float64)
HalfTensor = _legacy("HalfTensor", _dtype.float16)
LongTensor = _legacy("LongTensor", _dtype.int64)
IntTensor = _legacy("IntTensor", _dtype.int32)
ShortTensor = _legacy("ShortTensor", _dtype.int16)
CharTensor = _legacy("CharTensor", _dtype.int8)
ByteTensor = _legacy("ByteTensor", _dtype.uint8)
BoolTensor = _legacy("BoolTensor", _dtype.bool)
