"""dtypes: PyTorch's promotion table, ``result_type`` with scalars and 0-d tensors, the dtypes
of real op results, ``finfo``/``iinfo``, the default dtype, aliases and pickling."""

import copy
import itertools
import pickle

import pytest

import ember
from tests.test_creation import dtype_name

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
         "complex64", "complex128"]
SCALARS = {"bool": True, "int": 3, "float": 2.5, "complex": 1 + 1j}


def _complex32(*dtypes):
    """PyTorch promotes float16 with complex to complex32, which ember does not have."""
    return "float16" in dtypes and any(name.startswith("complex") for name in dtypes)


@pytest.fixture
def restore_default_dtype():
    yield
    ember.set_default_dtype(ember.float32)


@pytest.mark.parametrize("first", NAMES)
def test_promote_types_matches_pytorch(first, torch):
    for second in NAMES:
        expected = torch.promote_types(getattr(torch, first), getattr(torch, second))
        assert ember.promote_types(getattr(ember, first), getattr(ember, second)) is \
            getattr(ember, dtype_name(expected)), (first, second)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("ndim", [0, 1])
def test_result_type_with_python_scalars(name, ndim, torch):
    for kind, scalar in SCALARS.items():
        if _complex32(name, kind):
            continue
        shape = (2,) * ndim
        expected = torch.result_type(torch.zeros(shape, dtype=getattr(torch, name)), scalar)
        actual = ember.result_type(ember.zeros(shape, dtype=getattr(ember, name)), scalar)
        assert dtype_name(actual) == dtype_name(expected), (name, kind)


@pytest.mark.parametrize("first", NAMES)
@pytest.mark.parametrize("ndims", [(0, 1), (1, 0), (0, 0), (1, 1)])
def test_result_type_of_zero_dim_and_dimensioned_tensors(first, ndims, torch):
    def result(lib, second):
        return lib.result_type(lib.zeros((2,) * ndims[0], dtype=getattr(lib, first)),
                               lib.zeros((2,) * ndims[1], dtype=getattr(lib, second)))

    for second in NAMES:
        if not _complex32(first, second):
            actual, expected = result(ember, second), result(torch, second)
            assert dtype_name(actual) == dtype_name(expected), (first, second)


OP_CASES = {
    "int_times_float": lambda lib: lib.tensor([1, 2]) * 2.5,
    "float16_plus_float": lambda lib: lib.ones(2, dtype=lib.float16) + 1.0,
    "uint8_plus_int8": lambda lib: lib.tensor([200], dtype=lib.uint8) + lib.tensor([-1],
                                                                                  dtype=lib.int8),
    "bool_plus_bool": lambda lib: lib.tensor([True, False]) + lib.tensor([True, True]),
    "bool_plus_int": lambda lib: lib.tensor([True, False]) + 1,
    "bool_times_float": lambda lib: lib.tensor([True, False]) * 1.5,
    "int_div_int": lambda lib: lib.tensor([1, 2]) / lib.tensor([2, 4]),
    "int_div_scalar": lambda lib: lib.tensor([3]) / 2,
    "int32_plus_int": lambda lib: lib.tensor([1], dtype=lib.int32) + 5,
    "int32_plus_0d_int64": lambda lib: lib.tensor([1], dtype=lib.int32) + lib.tensor(5),
    "float16_plus_0d_float64": lambda lib: lib.ones(2, dtype=lib.float16) + lib.tensor(
        1.5, dtype=lib.float64),
    "int_plus_0d_float16": lambda lib: lib.tensor([1, 2]) + lib.tensor(1.5, dtype=lib.float16),
    "bool_plus_0d_int": lambda lib: lib.tensor([True]) + lib.tensor(3),
    "float32_plus_float64": lambda lib: lib.ones(2) + lib.ones(2, dtype=lib.float64),
    "0d_float64_plus_0d_int": lambda lib: lib.tensor(1.5, dtype=lib.float64) + lib.tensor(2),
    "uint8_minus_int": lambda lib: lib.tensor([3], dtype=lib.uint8) - 1,
    "int8_times_bool": lambda lib: lib.tensor([3], dtype=lib.int8) * True,
    "float_plus_complex": lambda lib: lib.ones(2) + 1j,
    "float64_times_complex64": lambda lib: lib.ones(2, dtype=lib.float64) * lib.ones(
        2, dtype=lib.complex64),
    "int_pow_float": lambda lib: lib.tensor([2, 3]) ** 0.5,
    "int_compare_float": lambda lib: lib.tensor([1, 2]) < 1.5,
}


@pytest.mark.parametrize("name", OP_CASES)
def test_op_result_dtypes(name, torch):
    actual, expected = OP_CASES[name](ember), OP_CASES[name](torch)
    assert dtype_name(actual.dtype) == dtype_name(expected.dtype)
    assert actual.tolist() == pytest.approx(expected.tolist())


def test_can_cast_matches_pytorch(torch):
    for first, second in itertools.product(NAMES, NAMES):
        expected = torch.can_cast(getattr(torch, first), getattr(torch, second))
        assert ember.can_cast(getattr(ember, first), getattr(ember, second)) == expected


@pytest.mark.parametrize("name", ["float16", "float32", "float64", "complex64", "complex128"])
def test_finfo_matches_pytorch(name, torch):
    actual, expected = ember.finfo(getattr(ember, name)), torch.finfo(getattr(torch, name))
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(actual, field) == getattr(expected, field), field
    assert repr(actual) == repr(expected)


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_pytorch(name, torch):
    actual, expected = ember.iinfo(getattr(ember, name)), torch.iinfo(getattr(torch, name))
    for field in ("bits", "min", "max", "dtype"):
        assert getattr(actual, field) == getattr(expected, field), field
    assert repr(actual) == repr(expected)


def test_finfo_by_hand():
    info = ember.finfo(ember.float32)
    assert info.eps == 2.0**-23 and info.bits == 32 and info.tiny == 2.0**-126
    assert ember.finfo().dtype == "float32"
    assert ember.iinfo(ember.int8).min == -128 and ember.iinfo(ember.uint8).max == 255


@pytest.mark.parametrize("fn, match", [
    (lambda lib: lib.finfo(lib.int32), r"finfo\(\) requires a floating point input type"),
    (lambda lib: lib.iinfo(lib.float32), r"iinfo\(\) requires an integer input type"),
    (lambda lib: lib.iinfo(lib.bool), "bool is not supported by"),
])
def test_info_errors(fn, match, torch):
    for lib in (ember, torch):
        with pytest.raises(TypeError, match=match):
            fn(lib)


def test_default_dtype(restore_default_dtype):
    assert ember.get_default_dtype() is ember.float32
    ember.set_default_dtype(ember.float64)
    assert ember.get_default_dtype() is ember.float64
    assert ember.tensor(1.5).dtype is ember.float64 and ember.ones(1).dtype is ember.float64
    assert ember.tensor(1j).dtype is ember.complex128 and ember.tensor(1).dtype is ember.int64
    assert (ember.tensor([1, 2]) / 2).dtype is ember.float64
    ember.set_default_dtype(ember.float16)
    assert ember.rand(2).dtype is ember.float16
    with pytest.raises(TypeError, match="only floating-point types are supported"):
        ember.set_default_dtype(ember.int64)


def test_aliases():
    assert ember.float is ember.float32 and ember.double is ember.float64
    assert ember.half is ember.float16 and ember.long is ember.int64
    assert ember.int is ember.int32 and ember.short is ember.int16
    assert ember.cfloat is ember.complex64 and ember.cdouble is ember.complex128


@pytest.mark.parametrize("name", NAMES)
def test_dtype_attributes_match_pytorch(name, torch):
    actual, expected = getattr(ember, name), getattr(torch, name)
    for attribute in ("is_floating_point", "is_complex", "is_signed", "itemsize"):
        assert getattr(actual, attribute) == getattr(expected, attribute), attribute
    assert dtype_name(actual.to_real()) == dtype_name(expected.to_real())
    assert repr(actual) == repr(expected).replace("torch", "ember")
    if expected.is_floating_point and name != "float16" or expected.is_complex:
        assert dtype_name(actual.to_complex()) == dtype_name(expected.to_complex())
    elif not expected.is_floating_point:
        for lib_dtype in (actual, expected):
            with pytest.raises(RuntimeError, match="Unknown Complex ScalarType"):
                lib_dtype.to_complex()


@pytest.mark.parametrize("name", NAMES)
def test_dtype_pickles_and_copies_to_itself(name):
    dtype = getattr(ember, name)
    assert pickle.loads(pickle.dumps(dtype)) is dtype
    assert copy.deepcopy(dtype) is dtype and copy.copy(dtype) is dtype
    assert {dtype: 1}[getattr(ember, name)] == 1
