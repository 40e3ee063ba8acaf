"""Legacy typed constructors: ``ember.FloatTensor([1, 2])``, ``isinstance(t, ember.LongTensor)``
(and ``ember.cuda.FloatTensor``... for CUDA tensors)."""

from ember._tensor import Tensor, _dtype_of_type_name

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]


class _LegacyTensorType(type):
    def __call__(cls, *args, device=None):
        from ember._ops.creation import _legacy_tensor

        return _legacy_tensor(args, device or cls._device, cls._dtype)

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls._dtype and \
            instance.device.type == cls._device


def legacy_type(name, device="cpu"):
    """The typed constructor ``name`` (e.g. ``"LongTensor"``) for tensors on ``device``."""
    module = "ember" if device == "cpu" else f"ember.{device}"
    return _LegacyTensorType(name, (), {"_dtype": _dtype_of_type_name(name), "_device": device,
                                        "__module__": module})


FloatTensor = legacy_type("FloatTensor")
DoubleTensor = legacy_type("DoubleTensor")
HalfTensor = legacy_type("HalfTensor")
LongTensor = legacy_type("LongTensor")
IntTensor = legacy_type("IntTensor")
ShortTensor = legacy_type("ShortTensor")
CharTensor = legacy_type("CharTensor")
ByteTensor = legacy_type("ByteTensor")
BoolTensor = legacy_type("BoolTensor")
