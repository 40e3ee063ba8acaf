"""dtype objects, the default dtype and PyTorch's type-promotion rules."""

import builtins as _builtins

import numpy as np

__all__ = [
    "dtype", "float16", "float32", "float64", "bfloat16", "complex64", "complex128", "int8",
    "int16", "int32", "int64", "uint8", "bool", "half", "float", "double", "short", "int",
    "long", "cfloat", "cdouble", "get_default_dtype", "set_default_dtype", "promote_types",
    "result_type", "can_cast", "finfo", "iinfo",
]

_BOOL, _INT, _FLOAT, _COMPLEX = range(4)


class dtype:
    """The data type of a :class:`ember.Tensor`, e.g. ``ember.float32``."""

    __slots__ = ("name", "numpy", "category", "itemsize")

    def __init__(self, name, numpy_dtype, category):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.category = category
        self.itemsize = self.numpy.itemsize

    @property
    def is_floating_point(self):
        return self.category == _FLOAT

    @property
    def is_complex(self):
        return self.category == _COMPLEX

    @property
    def is_signed(self):
        return self.name not in ("uint8", "bool")

    def to_real(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self):
        if self.category == _COMPLEX:
            return self
        if self.category != _FLOAT:
            raise RuntimeError(
                f"Unknown Complex ScalarType for {_SCALAR_TYPE_NAMES[self.name]}")
        return complex128 if self is float64 else complex64

    def __repr__(self):
        return f"ember.{self.name}"

    def __reduce__(self):
        return self.name


float16 = dtype("float16", np.float16, _FLOAT)
float32 = dtype("float32", np.float32, _FLOAT)
float64 = dtype("float64", np.float64, _FLOAT)
complex64 = dtype("complex64", np.complex64, _COMPLEX)
complex128 = dtype("complex128", np.complex128, _COMPLEX)
int8 = dtype("int8", np.int8, _INT)
int16 = dtype("int16", np.int16, _INT)
int32 = dtype("int32", np.int32, _INT)
int64 = dtype("int64", np.int64, _INT)
uint8 = dtype("uint8", np.uint8, _INT)
bool = dtype("bool", np.bool_, _BOOL)  # noqa: A001 - PyTorch's name
half, float, double = float16, float32, float64  # noqa: A001
short, int, long = int16, int32, int64  # noqa: A001
cfloat, cdouble = complex64, complex128
# NumPy has no bfloat16; the name exists so code that mentions it imports, and using it raises.
bfloat16 = None

# PyTorch's C++ names, used in its messages ("Long", "Float") and legacy types ("LongTensor")
_SCALAR_TYPE_NAMES = {
    "float16": "Half", "float32": "Float", "float64": "Double", "int8": "Char", "int16": "Short",
    "int32": "Int", "int64": "Long", "uint8": "Byte", "bool": "Bool",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble"}
_ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128)
_FROM_NUMPY = {d.numpy: d for d in _ALL}
_FROM_NAME = {d.name: d for d in _ALL}


def from_numpy_dtype(numpy_dtype):
    """The ember dtype of a NumPy dtype; TypeError for dtypes ember has no equivalent of."""
    try:
        return _FROM_NUMPY[numpy_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(numpy_dtype).name}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, "
            "int32, int16, int8, uint8, and bool."
        ) from None


def to_dtype(value):
    """Accepts an ember dtype, a NumPy dtype, a Python type or a name; returns an ember dtype."""
    if isinstance(value, dtype):
        return value
    if value is None:
        raise TypeError("dtype must not be None")
    if value is _builtins.float:
        return get_default_dtype()
    if value is _builtins.int:
        return int64
    if value is _builtins.bool:
        return bool
    if value is _builtins.complex:
        return _default_complex()
    if isinstance(value, str):
        name = value.removeprefix("ember.").removeprefix("torch.")
        aliases = {"float": float32, "double": float64, "half": float16, "long": int64,
                   "int": int32, "short": int16, "cfloat": complex64, "cdouble": complex128}
        if name in aliases:
            return aliases[name]
        if name in _FROM_NAME:
            return _FROM_NAME[name]
        raise TypeError(f"invalid dtype: {value!r}")
    return from_numpy_dtype(np.dtype(value))


_default = [float32]


def get_default_dtype():
    """Returns the default floating point dtype (initially ``ember.float32``)."""
    return _default[0]


def set_default_dtype(d):
    """Sets the default floating point dtype, used for Python floats and float factories."""
    d = to_dtype(d)
    if d not in (float16, float32, float64):
        raise TypeError(
            "only floating-point types are supported as the default type, got " + repr(d))
    _default[0] = d


def _default_complex():
    return complex128 if _default[0] is float64 else complex64


def promote_types(type1, type2):
    """The smallest dtype to which both dtypes can be cast, following PyTorch's table."""
    if type1 is type2:
        return type1
    if type1.category != type2.category:
        high, low = (type1, type2) if type1.category > type2.category else (type2, type1)
        if high.category == _COMPLEX and low.category == _FLOAT and low.itemsize > 4:
            return complex128
        return high
    if type1.category == _FLOAT and {type1, type2} == {float16, float32}:
        return float32
    return _FROM_NUMPY[np.promote_types(type1.numpy, type2.numpy)]


def _combine_categories(higher, lower):
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == _COMPLEX:
        return higher
    if lower.category == _COMPLEX:
        return higher.to_complex() if higher.category == _FLOAT else lower
    if higher.category == _FLOAT:
        return higher
    if higher is bool or lower.category == _FLOAT:
        return promote_types(higher, lower)
    return higher


def _scalar_dtype(value):
    if isinstance(value, (_builtins.bool, np.bool_)):
        return bool
    if isinstance(value, (_builtins.int, np.integer)):
        return int64
    if isinstance(value, (_builtins.float, np.floating)):
        return get_default_dtype()
    if isinstance(value, (_builtins.complex, np.complexfloating)):
        return _default_complex()
    raise TypeError(f"unsupported operand type: {type(value).__name__}")


def result_type(*operands):
    """The dtype PyTorch gives an operation on ``operands`` (tensors and Python scalars).

    Tensors with dimensions outrank zero-dimensional tensors, which outrank Python scalars;
    a lower rank only matters when it belongs to a higher category (bool < int < float <
    complex), e.g. ``int_tensor * 2.5`` is ``float32`` and ``float16_tensor * 2.5`` stays
    ``float16``.
    """
    dim_result = zero_result = scalar_result = None
    for operand in operands:
        d = getattr(operand, "dtype", None)
        if isinstance(d, dtype):
            if operand.ndim:
                dim_result = d if dim_result is None else promote_types(dim_result, d)
            else:
                zero_result = d if zero_result is None else promote_types(zero_result, d)
        else:
            d = _scalar_dtype(operand)
            scalar_result = d if scalar_result is None else promote_types(scalar_result, d)
    return _combine_categories(dim_result, _combine_categories(zero_result, scalar_result))


def can_cast(from_, to):
    """Whether PyTorch's casting rules allow ``from_`` to become ``to`` in an in-place op."""
    return from_.category <= to.category


class finfo:
    """Machine limits of a floating point dtype: ``bits``, ``eps``, ``max``, ``min``, ``tiny``,
    ``smallest_normal``, ``resolution``."""

    def __init__(self, type=None):  # noqa: A002 - PyTorch's name
        type = get_default_dtype() if type is None else to_dtype(type)
        if type.category not in (_FLOAT, _COMPLEX):
            raise TypeError("ember.finfo() requires a floating point input type. Use "
                            "ember.iinfo to handle 'ember.finfo'")
        info = np.finfo(type.to_real().numpy)
        self.dtype = type.to_real().name
        self.bits = info.bits
        self.eps = _builtins.float(info.eps)
        self.max = _builtins.float(info.max)
        self.min = _builtins.float(info.min)
        self.tiny = self.smallest_normal = _builtins.float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Machine limits of an integer dtype: ``bits``, ``min``, ``max``."""

    def __init__(self, type):  # noqa: A002
        type = to_dtype(type)
        if type is bool:
            raise TypeError("ember.bool is not supported by ember.iinfo")
        if type.category != _INT:
            raise TypeError("ember.iinfo() requires an integer input type. Use ember.finfo to "
                            "handle 'ember.iinfo'")
        info = np.iinfo(type.numpy)
        self.dtype = type.name
        self.bits = info.bits
        self.min = _builtins.int(info.min)
        self.max = _builtins.int(info.max)

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
