"""Tensor factories: ``tensor``, ``zeros``, ``arange``, ``linspace``, ``eye`` and friends."""

import builtins
import math
import operator
from collections.abc import Sequence

import numpy as np

from ember import _dtype
from ember._device import to_device
from ember._ops.pointwise import _out
from ember._size import Size
from ember._tensor import Tensor, _make, _scalar_type_name
from ember.backends import namespace, namespace_for

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace",
           "logspace", "eye", "scalar_tensor", "empty_strided", "complex", "polar"]

_NUMBER_TYPES = (builtins.bool, builtins.int, builtins.float, builtins.complex)


def _finish(array, device, requires_grad, out=None):
    """Wraps a NumPy array on ``device`` (written into ``out`` if given), honouring
    ``requires_grad``."""
    if device is not None and device.type != "cpu":
        array = namespace_for(device).asarray(array)
    result = _make(array)
    if requires_grad:
        if array.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        result.requires_grad_(True)
    return _out(result, out)


def _not_implemented(function, dtype):
    return NotImplementedError(f"\"{function}\" not implemented for "
                               f"'{_scalar_type_name(dtype)}'")


# ---------------------------------------------------------------------- tensor()
def _is_sequence(data):
    return isinstance(data, Sequence) and not isinstance(data, (str, bytes))


def _sizes(data):
    """The shape nested ``data`` claims, read along its first elements like PyTorch."""
    sizes = []
    while True:
        if isinstance(data, (Tensor, np.ndarray)):
            return sizes + list(data.shape)
        if not _is_sequence(data):
            return sizes
        sizes.append(len(data))
        if not data:
            return sizes
        data = data[0]


def _leaf_dtype(value):
    """The dtype PyTorch infers for one number of a nested sequence."""
    if isinstance(value, np.generic):
        return _dtype.from_numpy_dtype(value.dtype)
    if isinstance(value, _NUMBER_TYPES):
        return _dtype._scalar_dtype(value)
    if isinstance(value, (str, bytes, Sequence)):
        raise TypeError(f"new(): invalid data type '{type(value).__name__}'")
    raise RuntimeError(f"Could not infer dtype of {type(value).__name__}")


def _flatten(data, sizes, depth, dtypes):
    """Checks ``data`` against ``sizes``; returns it with tensors as NumPy arrays and adds the
    dtypes of its leaves to ``dtypes``."""
    if isinstance(data, (Tensor, np.ndarray)):
        if list(data.shape) != sizes[depth:]:
            raise ValueError(f"expected sequence of length {sizes[depth]} at dim {depth} (got "
                             f"{data.shape[0] if data.ndim else 'a scalar'})")
        if isinstance(data, Tensor):
            dtypes.add(data.dtype)
            return data.detach().cpu()._data
        dtypes.add(_dtype.from_numpy_dtype(data.dtype))
        return data
    if depth == len(sizes):
        dtypes.add(_leaf_dtype(data))
        return data
    if not _is_sequence(data):
        raise TypeError(f"expected a sequence at dim {depth}, got '{type(data).__name__}'")
    if len(data) != sizes[depth]:
        raise ValueError(f"expected sequence of length {sizes[depth]} at dim {depth} (got "
                         f"{len(data)})")
    if depth == len(sizes) - 1:
        kinds = set(map(type, data))
        if kinds.issubset(_NUMBER_TYPES):  # the common innermost list of Python numbers
            dtypes.update(_dtype._scalar_dtype(kind()) for kind in kinds)
            return data
    return [_flatten(item, sizes, depth + 1, dtypes) for item in data]


_WIDEST = {_dtype._BOOL: _dtype.bool, _dtype._INT: _dtype.int64, _dtype._FLOAT: _dtype.float64,
           _dtype._COMPLEX: _dtype.complex128}


def _array_from_data(data, dtype):
    """A NumPy array of ``dtype`` (inferred like PyTorch when ``None``) from nested data."""
    dtypes = set()
    sizes = _sizes(data)
    plain = _flatten(data, sizes, 0, dtypes)
    inferred = _dtype.get_default_dtype()
    if dtypes:
        inferred = dtypes.pop()
        for other in dtypes:
            inferred = _dtype.promote_types(inferred, other)
    dtype = dtype or inferred
    # Python numbers go through the widest type of their kind, then cast like C (wrapping).
    build = dtype if dtype.category >= _dtype._FLOAT else _WIDEST[inferred.category]
    try:
        array = np.array(plain, dtype=build.numpy)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    return array.reshape(sizes).astype(dtype.numpy, copy=False)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Constructs a tensor with no autograd history by copying ``data``.

    ``data`` may be a number, a (nested) list or tuple, a NumPy array or a tensor. Python floats
    give the default dtype (``float32``), ints ``int64``, bools ``bool``; NumPy arrays and tensors
    keep their dtype, and mixed data promotes like PyTorch.
    """
    dtype = None if dtype is None else _dtype.to_dtype(dtype)
    device = to_device(device)
    if isinstance(data, Tensor):
        array = data.detach().to(device=device or data.device, dtype=dtype)._data
        return _finish(array.copy() if array is data._data else array, None, requires_grad)
    if isinstance(data, np.ndarray):
        dtype = dtype or _dtype.from_numpy_dtype(data.dtype)
        array = np.array(data, dtype=dtype.numpy, copy=True, order="C")
    else:
        array = _array_from_data(data, dtype)
    return _finish(array, device, requires_grad)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    """A 0-d tensor holding ``s``, of the default dtype unless ``dtype`` is given."""
    return tensor(s, dtype=dtype or _dtype.get_default_dtype(), device=device,
                  requires_grad=requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Converts ``data`` to a tensor, sharing memory with tensors and NumPy arrays when the dtype
    and device already match."""
    dtype = None if dtype is None else _dtype.to_dtype(dtype)
    device = to_device(device)
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if isinstance(data, np.ndarray) and data.dtype in _dtype._FROM_NUMPY:
        return from_numpy(data).to(device=device, dtype=dtype)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """Converts ``obj`` to a tensor, sharing memory unless ``copy`` or a conversion needs one."""
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


# ---------------------------------------------------------------------- filled factories
def _size_arg(size, name="size"):
    """The shape from ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(ember.Size([2, 3]))``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    for s in size:
        if not hasattr(s, "__index__") or isinstance(s, builtins.bool):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, but found "
                            f"element of type {type(s).__name__}")
    shape = tuple(operator.index(s) for s in size)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: "
                           f"{list(shape)}")
    return shape


def _resolve(dtype, device, out, default=None):
    """The dtype and device of a factory's result: explicit, else ``out``'s, else defaults."""
    if dtype is None:
        dtype = out.dtype if out is not None else default or _dtype.get_default_dtype()
    if device is None and out is not None:
        device = out.device
    return _dtype.to_dtype(dtype), to_device(device)


def _factory(name, fill, doc):
    def factory(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None,
                pin_memory=False, memory_format=None):
        shape = _size_arg(size, name)
        dtype, device = _resolve(dtype, device, out)
        xp = np if device is None else namespace_for(device)
        return _finish(fill(xp, shape, dtype.numpy), None, requires_grad, out)

    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = doc
    return factory


zeros = _factory("zeros", lambda xp, shape, dtype: xp.zeros(shape, dtype),
                 "Returns a tensor of the given size filled with zeros.")
ones = _factory("ones", lambda xp, shape, dtype: xp.ones(shape, dtype),
                "Returns a tensor of the given size filled with ones.")
empty = _factory("empty", lambda xp, shape, dtype: xp.empty(shape, dtype),
                 "Returns an uninitialised tensor of the given size.")


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor of ``size`` (ember allocates it contiguously)."""
    return empty(size, dtype=dtype, device=device, requires_grad=requires_grad)


def _fill_dtype(fill_value):
    if isinstance(fill_value, Tensor):
        return fill_value.dtype
    return _dtype._scalar_dtype(fill_value)


def full(size, fill_value, *, out=None, dtype=None, device=None, requires_grad=False,
         layout=None, pin_memory=False):
    """Returns a tensor of ``size`` filled with ``fill_value``; the dtype is inferred from it
    (bool, ``int64``, the default float or complex dtype) unless given."""
    if dtype is None and out is None:
        dtype = _fill_dtype(fill_value)
    dtype, device = _resolve(dtype, device, out)
    value = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    array = np.full(_size_arg((size,), "full"), _cast_scalar(value, dtype), dtype.numpy)
    return _finish(array, device, requires_grad, out)


def _cast_scalar(value, dtype):
    """``value`` as a NumPy scalar of ``dtype``; RuntimeError like PyTorch when it overflows."""
    if dtype.category == _dtype._INT and not isinstance(value, builtins.bool):
        info = np.iinfo(dtype.numpy)
        lowest = info.min or -info.max  # unsigned types take negatives down to -max, wrapping
        if not lowest <= value <= info.max:
            raise RuntimeError(f"value cannot be converted to type {dtype.name} without "
                               "overflow")
        return np.array(builtins.int(value)).astype(dtype.numpy)
    return np.array(value).astype(dtype.numpy)


def _like(factory, doc):
    def like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
             memory_format=None):
        dtype = input.dtype if dtype is None else _dtype.to_dtype(dtype)
        device = input.device if device is None else to_device(device)
        if device != input.device:
            return factory(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)
        # the xp.*_like functions keep the input's memory layout, like preserve_format
        fill = getattr(namespace(input._data), factory.__name__ + "_like")
        return _finish(fill(input._data, dtype=dtype.numpy), None, requires_grad)

    like.__name__ = like.__qualname__ = factory.__name__ + "_like"
    like.__doc__ = doc
    return like


zeros_like = _like(zeros, "Returns a tensor of zeros with the size, dtype and device of "
                          "``input``.")
ones_like = _like(ones, "Returns a tensor of ones with the size, dtype and device of ``input``.")
empty_like = _like(empty, "Returns an uninitialised tensor like ``input``.")


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    """Returns a tensor like ``input`` filled with ``fill_value``."""
    return full(input.shape, fill_value, dtype=dtype or input.dtype,
                device=device or input.device, requires_grad=requires_grad)


# ---------------------------------------------------------------------- ranges
def _number(value):
    return value.item() if isinstance(value, Tensor) else value


def _fma(a, b, c):
    """``a * b + c`` rounded once, like the fused multiply-add PyTorch's CPU kernels compile to
    (error-free product and sum of float64 arrays)."""
    split = 134217729.0 * a  # Veltkamp splitting into 26-bit halves
    a_high = split - (split - a)
    a_low = a - a_high
    split = 134217729.0 * b
    b_high = split - (split - b)
    b_low = b - b_high
    product = a * b
    product_error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    total = product + c
    virtual = total - c
    sum_error = (c - (total - virtual)) + (product - virtual)
    return total + (sum_error + product_error)


_VECTOR_BYTES = 32  # PyTorch's CPU arange fills pairs of 256-bit vectors


def _arange_floats(start, step, count, dtype):
    """PyTorch's CPU arange for floating dtypes: ``start + step * i`` in double with FMA, but
    inside each full vector pair ``base + k * step`` from the vector's (rounded) first value."""
    lanes = _VECTOR_BYTES // dtype.itemsize
    index = np.arange(count, dtype=np.float64)
    step, start = np.float64(step), np.float64(start)
    values = _fma(step, index, start)
    vectorized = count // (2 * lanes) * 2 * lanes
    lane = index[:vectorized] % lanes
    base = _fma(step, index[:vectorized] - lane, start).astype(dtype).astype(np.float64)
    values[:vectorized] = _fma(step, lane, base)
    return values.astype(dtype)


def _arange_count(start, end, step, dtype):
    if all(isinstance(v, (builtins.int, np.integer)) for v in (start, end, step)):
        return -((start - end) // step)
    count = math.ceil((builtins.float(end) - builtins.float(start)) / builtins.float(step))
    if count > np.iinfo(np.int64).max:
        raise RuntimeError("invalid size, possible overflow?")
    return count


def arange(start=0, end=None, step=1, *, out=None, dtype=None, device=None, requires_grad=False,
           layout=None, pin_memory=False):
    """Values from ``start`` to ``end`` (exclusive) spaced by ``step``.

    All-integer arguments give ``int64``; any float gives the default dtype.
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    integral = all(isinstance(v, (builtins.int, np.integer)) for v in (start, end, step))
    dtype, device = _resolve(dtype, device, out, _dtype.int64 if integral else None)
    if dtype.category in (_dtype._BOOL, _dtype._COMPLEX):
        raise _not_implemented("arange_cpu", dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    count = _arange_count(start, end, step, dtype)
    if dtype.category == _dtype._INT:
        # integer dtypes accumulate in int64 from the truncated start and step
        index = np.arange(count, dtype=np.int64)
        array = (builtins.int(start) + builtins.int(step) * index).astype(dtype.numpy)
    else:
        array = _arange_floats(start, step, count, dtype.numpy)
    return _finish(array, device, requires_grad, out)


def range(start=0, end=None, step=1, *, out=None, dtype=None, device=None,  # noqa: A001
          requires_grad=False):
    """Deprecated in PyTorch: like ``arange`` but including ``end``; floats by default."""
    if end is None:
        start, end = 0, start
    dtype, device = _resolve(dtype, device, out)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    count = builtins.int((end - start) / step) + 1
    array = (start + step * np.arange(count, dtype=np.float64)).astype(dtype.numpy)
    return _finish(array, device, requires_grad, out)


def _steps_arg(steps):
    if not hasattr(steps, "__index__"):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    steps = operator.index(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


def _linspace_dtype(start, end):
    if isinstance(start, builtins.complex) or isinstance(end, builtins.complex):
        return _dtype._default_complex()
    return None


def _halves(steps, dtype):
    """PyTorch's symmetric fill: the first half counts ``i`` up from the start, the second half
    ``k = steps - 1 - i`` down from the end. Returns both as arrays of ``dtype``."""
    index = np.arange(steps)
    halfway = steps // 2
    return index[:halfway].astype(dtype), (steps - 1 - index[halfway:]).astype(dtype)


def _linspace_values(start, end, steps, dtype):
    """PyTorch's CPU linspace: ``start + step * i`` and ``end - step * k`` in the dtype's own
    arithmetic, except that float32, float64 and integers (in double) round once, like the fused
    multiply-add its kernel compiles to."""
    if steps == 1:
        return np.array([start]).astype(dtype.numpy)
    if dtype.category == _dtype._INT:
        start, end = builtins.float(builtins.int(start)), builtins.float(builtins.int(end))
    else:
        start, end = dtype.numpy.type(start), dtype.numpy.type(end)
    step = (end - start) / (steps - 1)
    if dtype is _dtype.float16 or dtype.is_complex:
        up, down = _halves(steps, dtype.numpy)
        return np.concatenate([start + step * up, end - step * down])
    start, end, step = np.float64(start), np.float64(end), np.float64(step)
    up, down = _halves(steps, np.float64)
    values = np.concatenate([_fma(step, up, start), _fma(-step, down, end)])
    if dtype.category == _dtype._INT:
        values = values.astype(np.int64)  # truncates toward zero, then wraps like C
    return values.astype(dtype.numpy)


def linspace(start, end, steps, *, out=None, dtype=None, device=None, requires_grad=False,
             layout=None):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    Computed like PyTorch's CPU kernel, so results match it bit for bit: the first half counts
    up from ``start`` and the second half down from ``end``.
    """
    start, end, steps = _number(start), _number(end), _steps_arg(steps)
    dtype, device = _resolve(dtype, device, out, _linspace_dtype(start, end))
    if dtype is _dtype.bool:
        raise _not_implemented("linspace_cpu", dtype)
    array = _linspace_values(start, end, steps, dtype)
    return _finish(array, device, requires_grad, out)


def _libm_pow(base, exponents):
    """C's ``pow`` element-wise. NumPy's SIMD ``power`` can differ from it in the last bit."""
    def power(exponent):
        try:
            return math.pow(base, exponent)
        except (OverflowError, ValueError):
            return builtins.float(np.power(base, exponent))

    return np.array([power(x) for x in exponents.tolist()], dtype=np.float64)


def _logspace_values(start, end, steps, base, dtype):
    if steps == 1:
        return _libm_pow(builtins.float(base), np.array([start], np.float64)).astype(dtype.numpy)
    if dtype.category == _dtype._COMPLEX:
        exponents = _linspace_values(start, end, steps, dtype)
        return np.power(dtype.numpy.type(base), exponents)
    if dtype.category == _dtype._INT:
        start, end = builtins.int(start), builtins.int(end)
    else:
        start, end = dtype.numpy.type(start), dtype.numpy.type(end)
    step = np.float64(end - start) / (steps - 1)
    start, end = np.float64(start), np.float64(end)
    up, down = _halves(steps, np.float64)
    values = _libm_pow(builtins.float(base), np.concatenate([start + step * up,
                                                              end - step * down]))
    if dtype.category == _dtype._INT:
        values = values.astype(np.int64)
    return values.astype(dtype.numpy)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, device=None,
             requires_grad=False, layout=None):
    """``steps`` values ``base ** x`` for ``x`` evenly spaced from ``start`` to ``end``,
    computed in double precision like PyTorch's CPU kernel."""
    start, end, steps = _number(start), _number(end), _steps_arg(steps)
    dtype, device = _resolve(dtype, device, out, _linspace_dtype(start, end))
    if dtype is _dtype.bool:
        raise _not_implemented("logspace_cpu", dtype)
    array = _logspace_values(start, end, steps, base, dtype)
    return _finish(array, device, requires_grad, out)


def eye(n, m=None, *, out=None, dtype=None, device=None, requires_grad=False, layout=None):
    """A 2-D tensor with ones on the diagonal and zeros elsewhere."""
    dtype, device = _resolve(dtype, device, out)
    m = n if m is None else m
    for name, value in (("n", n), ("m", m)):
        if value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return _finish(np.eye(n, m, dtype=dtype.numpy), device, requires_grad, out)


def complex(real, imag, *, out=None):  # noqa: A001
    """A complex tensor from real and imaginary parts."""
    return _out(real + imag * 1j, out)


def polar(abs, angle, *, out=None):  # noqa: A002
    """A complex tensor with magnitude ``abs`` and phase ``angle``."""
    return _out(abs * angle.cos() + abs * angle.sin() * 1j, out)


# ---------------------------------------------------------------------- legacy constructors
def _legacy_tensor(args, device, dtype):
    """``ember.Tensor(data)`` / ``ember.Tensor(*sizes)``: tensors of the default dtype (or
    ``dtype``, for the typed constructors like ``ember.LongTensor``)."""
    if len(args) == 1 and isinstance(args[0], Tensor):
        if dtype is not None and args[0].dtype is not dtype:
            raise TypeError(f"expected {dtype} tensor (got {args[0].dtype} tensor)")
        return args[0]
    dtype = _dtype.get_default_dtype() if dtype is None else dtype
    if not args:
        return empty(0, dtype=dtype, device=device)
    if len(args) == 1 and not isinstance(args[0], (builtins.int, np.integer, Size)):
        return tensor(args[0], dtype=dtype, device=device)
    return empty(*args, dtype=dtype, device=device)


_TENSOR_METHODS = []
