"""Storages as PyTorch's checkpoints hold them: one flat run of memory per allocation.

A checkpoint stores each allocation once and rebuilds every tensor as a window (offset, sizes,
strides) into it, so views and tensors sharing memory stay shared. Saving finds the allocation
behind a tensor's array; loading wraps each restored allocation in a :class:`Storage` and
rebuilds tensors with PyTorch's ``torch._utils`` functions, reimplemented here.
"""

import math

import numpy as np

from ember import _dtype
from ember._ops.views import as_strided
from ember._tensor import _address, _make

__all__ = ["Storage"]

# PyTorch's legacy storage class names, which its checkpoints use as storage type tags
STORAGE_NAMES = {
    _dtype.float32: "FloatStorage", _dtype.float64: "DoubleStorage",
    _dtype.float16: "HalfStorage", _dtype.int64: "LongStorage", _dtype.int32: "IntStorage",
    _dtype.int16: "ShortStorage", _dtype.int8: "CharStorage", _dtype.uint8: "ByteStorage",
    _dtype.bool: "BoolStorage", _dtype.complex64: "ComplexFloatStorage",
    _dtype.complex128: "ComplexDoubleStorage"}
_DTYPES_BY_STORAGE_NAME = {name: dtype for dtype, name in STORAGE_NAMES.items()}


def contiguous_strides(size):
    strides, step = [], 1
    for length in reversed(size):
        strides.append(step)
        step *= max(length, 1)
    return tuple(reversed(strides))


# ----------------------------------------------------------------------------- saving
def _owner(array):
    """The array that owns ``array``'s memory (views chain to it through ``.base``; NumPy's
    ``as_strided`` puts a non-array holder in the chain)."""
    owner, base = array, array.base
    while base is not None:
        if isinstance(base, type(array)):
            owner = base
        base = getattr(base, "base", None)
    return owner


def _fits(array, owner, start):
    """Whether ``array`` is a window of whole elements, with non-negative strides, that lies
    inside ``owner``'s contiguous memory ``start`` bytes in."""
    itemsize = array.itemsize
    if not (owner.flags.c_contiguous or owner.flags.f_contiguous):
        return False
    if start < 0 or start % itemsize or owner.nbytes % itemsize:
        return False
    if any(stride < 0 or stride % itemsize for stride in array.strides):
        return False
    end = start + itemsize + sum((n - 1) * s for n, s in zip(array.shape, array.strides))
    return end <= owner.nbytes


def layout(array):
    """``(memory, storage_offset, stride)``: the allocation holding ``array`` (the memory to
    save, possibly shared with other arrays) and ``array``'s element offset and strides in it.

    An array that is not a plain window into its allocation is saved as a contiguous copy.
    """
    if array.size:
        owner = _owner(array)
        start = _address(array) - _address(owner)
        if _fits(array, owner, start):
            itemsize = array.itemsize
            return owner, start // itemsize, tuple(s // itemsize for s in array.strides)
    return array.ravel(), 0, contiguous_strides(array.shape)


def host_bytes(memory):
    """The bytes of an allocation in memory order, as a NumPy ``uint8`` array."""
    flat = memory.ravel(order="K")
    if type(flat) is not np.ndarray:
        flat = flat.get()
    return flat.view(np.uint8)


# ----------------------------------------------------------------------------- loading
def storage_dtype(name):
    """The dtype ember restores a ``torch.<name>`` storage as (bfloat16 becomes float32)."""
    if name == "BFloat16Storage":
        return _dtype.float32
    try:
        return _DTYPES_BY_STORAGE_NAME[name]
    except KeyError:
        raise RuntimeError(f"ember cannot load a storage of type torch.{name}: it has no "
                           "matching dtype") from None


def record_itemsize(name):
    """Bytes per element in the record of a ``torch.<name>`` storage."""
    return 2 if name == "BFloat16Storage" else storage_dtype(name).itemsize


def decode(data, name, byteorder):
    """The values of a raw storage record of type ``torch.<name>`` as a native 1-D array."""
    if name == "BFloat16Storage":  # bfloat16 is the upper half of a float32
        halves = np.frombuffer(data, np.dtype("u2").newbyteorder(byteorder))
        return (halves.astype(np.uint32) << 16).view(np.float32)
    dtype = storage_dtype(name).numpy.newbyteorder(byteorder)
    return np.frombuffer(data, dtype).astype(dtype.newbyteorder("="))


class Storage:
    """The memory of tensors being loaded, as ``map_location`` callables receive it: return
    ``storage``, ``storage.cpu()``, ``storage.cuda(1)`` or ``storage.to(device)``."""

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor  # 1-D

    @property
    def device(self):
        return self._tensor.device

    @property
    def dtype(self):
        return self._tensor.dtype

    def size(self):
        return self._tensor.numel()

    __len__ = size

    def nbytes(self):
        return self._tensor.nbytes

    def to(self, device, non_blocking=False):
        return Storage(self._tensor.to(device))

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None, non_blocking=False):
        return self.to("cuda" if device is None else device)

    def __repr__(self):
        return f"Storage(dtype={self.dtype}, device='{self.device}', size={self.size()})"

    def tensor_at(self, storage_offset, size, stride):
        """The tensor with ``size`` and ``stride`` that starts ``storage_offset`` elements
        into this storage, sharing its memory."""
        _check_geometry(self, storage_offset, size, stride)
        flat = self._tensor
        if math.prod(size) == 0:
            return _make(flat._data[:0].reshape(size))
        if storage_offset == 0 and math.prod(size) == len(self) and \
                stride == contiguous_strides(size):
            return _make(flat._data.reshape(size))
        return as_strided(flat, size, stride, storage_offset)


def _check_geometry(storage, offset, size, stride):
    if len(size) != len(stride) or min((offset, *size, *stride)) < 0:
        raise RuntimeError(f"invalid tensor geometry in checkpoint: sizes {list(size)}, "
                           f"strides {list(stride)}, storage offset {offset}")
    if math.prod(size) == 0:
        return
    needed = offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if needed > len(storage):
        itemsize = storage.dtype.itemsize
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {itemsize} requiring a storage size of {needed * itemsize} are out "
            f"of bounds for storage of size {storage.nbytes()}")


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                      metadata=None):
    """``torch._utils._rebuild_tensor_v2``: a tensor viewing ``storage``."""
    if type(storage) is not Storage:
        raise RuntimeError(f"expected a storage to rebuild a tensor from, got "
                           f"{type(storage).__name__}")
    tensor = storage.tensor_at(int(storage_offset), tuple(map(int, size)),
                               tuple(map(int, stride)))
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def rebuild_parameter(data, requires_grad, backward_hooks):
    """``torch._utils._rebuild_parameter``: an ``nn.Parameter`` around ``data``."""
    from ember.nn.parameter import Parameter

    return Parameter(data, requires_grad)


def rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    """``torch._utils._rebuild_parameter_with_state``: a Parameter with extra attributes."""
    parameter = rebuild_parameter(data, requires_grad, backward_hooks)
    attributes, slots = state if isinstance(state, tuple) else (state, None)
    for name, value in {**(attributes or {}), **(slots or {})}.items():
        setattr(parameter, name, value)
    return parameter
