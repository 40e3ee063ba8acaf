"""Argument checks and type promotion for the public functions (array code trusts its input)."""

import numpy as np

from ember import _dtype
from ember._tensor import Tensor, _make

_SCALAR_TYPES = (int, float, bool, complex, np.number, np.bool_)


def broadcast_shapes(*shapes):
    """The broadcast shape of ``shapes``; RuntimeError naming the sizes that do not match."""
    ndim = max(len(s) for s in shapes)
    result = [1] * ndim
    for shape in shapes:
        offset = ndim - len(shape)
        for i, size in enumerate(shape):
            current = result[offset + i]
            if current == 1:
                result[offset + i] = size
            elif size != 1 and size != current:
                raise RuntimeError(
                    f"The size of tensor a ({current}) must match the size of tensor b ({size}) "
                    f"at non-singleton dimension {offset + i}")
    return tuple(result)


def check_same_device(input, other):
    if type(input._data) is not type(other._data) and input._data.ndim and other._data.ndim:
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            f"{input.device} and {other.device}!")


def as_tensor_like(value, like):
    """Wraps a Python scalar or array-like as a tensor on ``like``'s device."""
    if isinstance(value, Tensor):
        return value
    from ember._ops.creation import tensor

    return tensor(value, device=like.device)


def cast(tensor, dtype):
    """``tensor`` as ``dtype`` (itself when it already is), differentiably."""
    if tensor._data.dtype == dtype.numpy:
        return tensor
    from ember._ops.pointwise import ToCopy

    return ToCopy.apply(tensor, dtype.numpy)


def promote_operands(input, other):
    """Casts tensor operands to PyTorch's result dtype; Python scalars stay scalars (NumPy
    treats them as weak, like PyTorch) unless their category would change the result."""
    input_is_tensor, other_is_tensor = isinstance(input, Tensor), isinstance(other, Tensor)
    if input_is_tensor and other_is_tensor:
        if input._data.dtype == other._data.dtype:
            input_shape, other_shape = input._data.shape, other._data.shape
            if input_shape != other_shape and input_shape and other_shape:
                broadcast_shapes(input_shape, other_shape)
            return input, other
        check_same_device(input, other)
        if input._data.shape != other._data.shape:
            broadcast_shapes(input._data.shape, other._data.shape)
        dtype = _dtype.result_type(input, other)
        return cast(input, dtype), cast(other, dtype)
    if not input_is_tensor and not other_is_tensor:
        raise TypeError("expected at least one Tensor operand")
    tensor, scalar = (input, other) if input_is_tensor else (other, input)
    scalar_type, kind = type(scalar), tensor._data.dtype.kind
    if (scalar_type is float and kind in "fc") or (scalar_type is int and kind in "fc"):
        return input, other  # the common case: NumPy's weak scalars already match PyTorch
    if isinstance(scalar, Tensor) or not isinstance(scalar, _SCALAR_TYPES):
        scalar = as_tensor_like(scalar, tensor)
        return promote_operands(input if input_is_tensor else scalar,
                                scalar if input_is_tensor else other)
    dtype = _dtype.result_type(tensor, scalar)
    if dtype.numpy != tensor._data.dtype:
        tensor = cast(tensor, dtype)
    if isinstance(scalar, (np.number, np.bool_)):
        scalar = scalar.item()
    if dtype.category == _dtype._INT and isinstance(scalar, int) and not isinstance(scalar, bool):
        scalar = _wrap_integer(scalar, dtype)
    return (tensor, scalar) if input_is_tensor else (scalar, tensor)


def _wrap_integer(value, dtype):
    # NumPy refuses Python ints outside the array's range; PyTorch wraps them around.
    info = np.iinfo(dtype.numpy)
    if info.min <= value <= info.max:
        return value
    return np.array(value).astype(dtype.numpy).item()


def to_floating(tensor):
    """Integer and bool tensors become the default float dtype (for ops like ``sqrt``)."""
    if tensor._data.dtype.kind in "fc":
        return tensor
    return cast(tensor, _dtype.get_default_dtype())


def wrap_dim(dim, ndim):
    """``dim`` made non-negative; IndexError like PyTorch when out of range."""
    bound = max(ndim, 1)
    if not -bound <= dim < bound:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-bound}, "
                         f"{bound - 1}], but got {dim})")
    return dim % bound


def wrap_dims(dim, ndim):
    """A tuple of non-negative dims from an int, a sequence, or ``None`` (all dims)."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        return (wrap_dim(dim, ndim),)
    dims = tuple(wrap_dim(d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    return dims


def check_tensor(value, name="input"):
    if not isinstance(value, Tensor):
        raise TypeError(f"{name} must be a Tensor, not {type(value).__name__}")
    return value


__all__ = ["broadcast_shapes", "promote_operands", "cast", "to_floating", "wrap_dim",
           "wrap_dims", "as_tensor_like", "check_tensor", "check_same_device", "_make"]
