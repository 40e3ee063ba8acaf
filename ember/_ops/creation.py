"""Tensor factories: ``tensor``, ``zeros``, ``arange``, ``linspace``, ``eye`` and friends."""

import math

import numpy as np

from ember import _dtype
from ember._device import to_device
from ember._tensor import Tensor, _make
from ember.backends import namespace_for

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace",
           "logspace", "eye", "scalar_tensor", "empty_strided", "complex", "polar"]


def _finish(array, device, requires_grad):
    """Moves a NumPy array to ``device`` and wraps it, honouring ``requires_grad``."""
    if device is not None and device.type != "cpu":
        array = namespace_for(device).asarray(array)
    result = _make(array)
    if requires_grad:
        result.requires_grad_(True)
    return result


def _infer_dtype(array):
    """PyTorch's inference for data given as Python numbers: floats become the default dtype."""
    kind = array.dtype.kind
    if kind == "f":
        return _dtype.get_default_dtype()
    if kind in "iu":
        return _dtype.int64
    if kind == "b":
        return _dtype.bool
    if kind == "c":
        return _dtype._default_complex()
    raise TypeError(f"Could not infer dtype of {array.dtype}")


def _from_sequence(data):
    """A NumPy array from nested sequences of numbers and tensors, with PyTorch's checks."""
    def convert(item):
        if isinstance(item, Tensor):
            if item._requires_grad:
                item = item.detach()
            return item.cpu().numpy() if item._data.ndim else item.item()
        if isinstance(item, (list, tuple)):
            return [convert(x) for x in item]
        if isinstance(item, np.ndarray):
            return item
        if isinstance(item, (int, float, bool, complex, np.generic)):
            return item
        raise TypeError(f"new(): invalid data type '{type(item).__name__}'")

    converted = convert(data)
    _check_ragged(converted, 0)
    array = np.array(converted)
    has_numpy = _contains_numpy(data)
    return array, has_numpy


def _check_ragged(data, depth):
    if not isinstance(data, list) or not data:
        return
    first = data[0]
    length = len(first) if isinstance(first, list) else None
    for item in data:
        item_length = len(item) if isinstance(item, list) else None
        if item_length != length:
            raise ValueError(f"expected sequence of length {length} at dim {depth + 1} (got "
                             f"{item_length})")
    for item in data:
        _check_ragged(item, depth + 1)


def _contains_numpy(data):
    if isinstance(data, (np.ndarray, np.generic)):
        return True
    if isinstance(data, Tensor):
        return True
    if isinstance(data, (list, tuple)) and data:
        return _contains_numpy(data[0])
    return False


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Constructs a tensor with no autograd history by copying ``data``.

    ``data`` may be a number, a (nested) list or tuple, a NumPy array or a tensor. Python floats
    give the default dtype (``float32``), ints ``int64``, bools ``bool``.
    """
    dtype = None if dtype is None else _dtype.to_dtype(dtype)
    device = to_device(device)
    if isinstance(data, Tensor):
        source = data.detach()
        result_device = device or source.device
        copy = source.to(device=result_device, dtype=dtype, copy=True)
        return _finish(copy._data, None, requires_grad)
    if isinstance(data, np.ndarray):
        array = np.array(data, copy=True)
        if dtype is None:
            dtype = _dtype.from_numpy_dtype(array.dtype)
    else:
        array, has_numpy = _from_sequence(data)
        if dtype is None:
            dtype = (_dtype.from_numpy_dtype(array.dtype) if has_numpy and
                     array.dtype in _dtype._FROM_NUMPY else _infer_dtype(array))
    if dtype is _dtype.bfloat16 or dtype is None:
        raise TypeError("ember does not support bfloat16")
    if array.dtype != dtype.numpy:
        array = array.astype(dtype.numpy)
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    return _finish(array, device, requires_grad)


def scalar_tensor(value, *, dtype=None, device=None, requires_grad=False):
    return tensor(value, dtype=dtype or _dtype.get_default_dtype(), device=device,
                  requires_grad=requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Converts ``data`` to a tensor, sharing memory with tensors and NumPy arrays when the dtype
    and device already match."""
    dtype = None if dtype is None else _dtype.to_dtype(dtype)
    device = to_device(device)
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if isinstance(data, np.ndarray) and data.dtype in _dtype._FROM_NUMPY:
        result = from_numpy(data)
        return result.to(device=device, dtype=dtype)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    result = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype, device)
    if requires_grad:
        result.requires_grad_(True)
    return result


def from_numpy(ndarray):
    """A tensor sharing memory with the NumPy array ``ndarray``."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte "
                         "order. Conversion between byte orders is currently not supported.")
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    return _make(ndarray)


def _size_arg(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    size = tuple(size)
    for s in size:
        if not isinstance(s, (int, np.integer)) and not (isinstance(s, Tensor) and s.numel()
                                                          == 1):
            raise TypeError(f"expected a sequence of integers as the size, but got "
                            f"'{type(s).__name__}'")
    size = tuple(int(s) for s in size)
    if any(s < 0 for s in size):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(size)}: "
                           f"{list(size)}")
    return size


def _factory(fill):
    def factory(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None,
                pin_memory=False, memory_format=None):
        shape = _size_arg(size)
        dtype = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
        device = to_device(device)
        xp = np if device is None or device.type == "cpu" else namespace_for(device)
        result = _make(fill(xp, shape, dtype.numpy))
        if requires_grad:
            result.requires_grad_(True)
        if out is not None:
            out._data = result._data
            return out
        return result

    return factory


zeros = _factory(lambda xp, shape, dtype: xp.zeros(shape, dtype))
ones = _factory(lambda xp, shape, dtype: xp.ones(shape, dtype))
empty = _factory(lambda xp, shape, dtype: xp.empty(shape, dtype))
zeros.__name__, ones.__name__, empty.__name__ = "zeros", "ones", "empty"
zeros.__doc__ = "Returns a tensor of the given size filled with zeros."
ones.__doc__ = "Returns a tensor of the given size filled with ones."
empty.__doc__ = "Returns an uninitialised tensor of the given size."


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False):
    return empty(size, dtype=dtype, device=device, requires_grad=requires_grad)


def _scalar_dtype(value):
    if isinstance(value, Tensor):
        return value.dtype
    return _dtype._scalar_dtype(value)


def full(size, fill_value, *, out=None, dtype=None, device=None, requires_grad=False,
         layout=None, pin_memory=False):
    """Returns a tensor of ``size`` filled with ``fill_value`` (dtype inferred from it)."""
    dtype = _scalar_dtype(fill_value) if dtype is None else _dtype.to_dtype(dtype)
    result = empty(size, dtype=dtype, device=device)
    result._data.fill(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    if requires_grad:
        result.requires_grad_(True)
    if out is not None:
        out._data = result._data
        return out
    return result


def _like(factory):
    def like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
             memory_format=None):
        return factory(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                       requires_grad=requires_grad)

    return like


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(empty)
zeros_like.__name__, ones_like.__name__, empty_like.__name__ = (
    "zeros_like", "ones_like", "empty_like")


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    return full(input.shape, fill_value, dtype=dtype or input.dtype,
                device=device or input.device, requires_grad=requires_grad)


def _number(value):
    return value.item() if isinstance(value, Tensor) else value


def arange(start, end=None, step=1, *, out=None, dtype=None, device=None, requires_grad=False,
           layout=None, pin_memory=False):
    """Values from ``start`` to ``end`` (exclusive) spaced by ``step``.

    All-integer arguments give ``int64``; any float gives the default dtype.
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        integral = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = _dtype.int64 if integral else _dtype.get_default_dtype()
    dtype = _dtype.to_dtype(dtype)
    count = math.ceil((end - start) / step)
    if dtype.category == _dtype._INT:
        array = (start + step * np.arange(count, dtype=np.int64)).astype(dtype.numpy)
    else:
        array = (start + step * np.arange(count, dtype=np.float64)).astype(dtype.numpy)
    result = _finish(array, to_device(device), requires_grad)
    if out is not None:
        out._data = result._data
        return out
    return result


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):  # noqa: A001
    """Deprecated in PyTorch: like ``arange`` but including ``end``; floats by default."""
    if end is None:
        start, end = 0, start
    count = int((end - start) // step) + 1
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    array = (start + step * np.arange(count, dtype=np.float64)).astype(dtype.numpy)
    return _finish(array, to_device(device), requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, device=None, requires_grad=False,
             layout=None):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    Computed like PyTorch's CPU kernel: the first half counts up from ``start`` and the second
    half down from ``end``, in the output dtype, so float32 results match bit for bit.
    """
    start, end = _number(start), _number(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    work = dtype.numpy if dtype.category in (_dtype._FLOAT, _dtype._COMPLEX) else np.float64
    if steps == 1:
        array = np.array([start], dtype=work)
    else:
        step = (work.type(end) - work.type(start)) / work.type(steps - 1)
        index = np.arange(steps, dtype=work)
        halfway = steps // 2
        array = np.where(index < halfway, work.type(start) + step * index,
                         work.type(end) - step * (steps - index - 1)).astype(work)
    if dtype.category == _dtype._INT:
        array = array.astype(dtype.numpy)
    result = _finish(array.astype(dtype.numpy, copy=False), to_device(device), requires_grad)
    if out is not None:
        out._data = result._data
        return out
    return result


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    """``steps`` values ``base ** x`` for ``x`` evenly spaced from ``start`` to ``end``."""
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    exponents = linspace(start, end, steps, dtype=_dtype.float64)._data
    array = np.power(float(base), exponents).astype(dtype.numpy)
    return _finish(array, to_device(device), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A 2-D tensor with ones on the diagonal and zeros elsewhere."""
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    array = np.eye(n, n if m is None else m, dtype=dtype.numpy)
    return _finish(array, to_device(device), requires_grad)


def complex(real, imag):  # noqa: A001
    """A complex tensor from real and imaginary parts."""
    return real + imag * 1j


def polar(abs, angle):  # noqa: A002
    return abs * angle.cos() + abs * angle.sin() * 1j


def _legacy_tensor(args, device, dtype):
    """``ember.Tensor(data)`` / ``ember.Tensor(*sizes)``: float32 (or ``dtype``) tensors."""
    dtype = _dtype.float32 if dtype is None else dtype
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        return tensor(args[0], dtype=dtype, device=device)
    return empty(*args, dtype=dtype, device=device)


_TENSOR_METHODS = []
