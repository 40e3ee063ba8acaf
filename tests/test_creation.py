"""Tensor factories: ``tensor``/``as_tensor``/``from_numpy``, filled factories, ranges, ``eye``,
``new_*``, ``out=``, the legacy typed constructors and ``autograd.Variable``."""

import warnings

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, check_error


def dtype_name(dtype):
    return str(dtype).rsplit(".", 1)[-1]


def assert_same(actual, expected):
    """Same dtype, shape and exactly the same values (NaNs equal) as PyTorch's result."""
    assert dtype_name(actual.dtype) == dtype_name(expected.dtype)
    assert tuple(actual.shape) == tuple(expected.shape)
    np.testing.assert_array_equal(actual.detach().numpy(), expected.detach().numpy())


def run_both(fn, torch, *args):
    """``fn(lib, *args)`` for ember and for PyTorch."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about slow or copy constructions
        return fn(ember, *args), fn(torch, *args)


@pytest.fixture
def default_float64(torch):
    """Sets float64 as the default dtype in both libraries, restoring float32 afterwards."""
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    yield
    ember.set_default_dtype(ember.float32)
    torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------------- ember.tensor
TENSOR_DATA = {
    "float_list": lambda lib: [1.0, 2.5],
    "int_nested": lambda lib: [[1, 2], [3, 4]],
    "bool_list": lambda lib: [True, False],
    "int_and_float": lambda lib: [1, 2.5],
    "bool_and_int": lambda lib: [True, 2],
    "bool_and_float": lambda lib: [True, 1.5],
    "complex": lambda lib: [1, 2 + 1j],
    "tuples": lambda lib: ((1, 2), (3, 4)),
    "tuple_and_list": lambda lib: [(1.5, 2), [3, 4]],
    "float": lambda lib: 2.5,
    "int": lambda lib: 7,
    "bool": lambda lib: True,
    "complex_scalar": lambda lib: 1 - 2j,
    "empty": lambda lib: [],
    "empty_nested": lambda lib: [[], []],
    "range": lambda lib: range(4),
    "large_ints": lambda lib: [2**62, -2**63],
    "numpy_float32_scalar": lambda lib: np.float32(2.5),
    "numpy_float64_scalar": lambda lib: np.float64(1.5),
    "numpy_int32_scalar": lambda lib: np.int32(3),
    "numpy_bool_scalar": lambda lib: np.bool_(True),
    "numpy_scalars_int32_int8": lambda lib: [np.int32(1), np.int8(2)],
    "numpy_scalars_uint8_int8": lambda lib: [np.uint8(1), np.int8(1)],
    "numpy_float16_and_float": lambda lib: [np.float16(1), 2.5],
    "int_and_numpy_float64": lambda lib: [1, np.float64(2.0)],
    "bool_and_numpy_int8": lambda lib: [True, np.int8(2)],
    "numpy_int32": lambda lib: np.array([1, 2], dtype=np.int32),
    "numpy_float64": lambda lib: np.array([[1.5, -2.0]]),
    "numpy_0d": lambda lib: np.array(2.5),
    "numpy_uint8": lambda lib: np.arange(6, dtype=np.uint8).reshape(2, 3),
    "numpy_bool": lambda lib: np.array([True, False]),
    "numpy_empty": lambda lib: np.ones((2, 0)),
    "numpy_fortran": lambda lib: np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    "numpy_transposed": lambda lib: np.arange(6, dtype=np.int16).reshape(2, 3).T,
    "list_of_numpy": lambda lib: [np.array([1, 2], np.int32), np.array([3, 4], np.int32)],
    "list_of_numpy_and_float": lambda lib: [np.array([1.0], np.float32), [2.5]],
    "0d_tensors": lambda lib: [lib.tensor(1), lib.tensor(2)],
    "0d_tensors_float_int32": lambda lib: [lib.tensor(1.0), lib.tensor(2, dtype=lib.int32)],
    "0d_int32_tensor_and_int": lambda lib: [lib.tensor(1, dtype=lib.int32), 5],
    "0d_float64_tensor_and_int": lambda lib: [lib.tensor(1.5, dtype=lib.float64), 2],
    "list_and_tensor_row": lambda lib: [[1, 2], lib.tensor([3, 4])],
    "tensor": lambda lib: lib.tensor([1, 2], dtype=lib.int16),
    "transposed_tensor": lambda lib: lib.arange(6.0).reshape(2, 3).t(),
    "tensor_requiring_grad": lambda lib: lib.ones(2, requires_grad=True),
}


@pytest.mark.parametrize("name", TENSOR_DATA)
def test_tensor_infers_dtype_and_values_like_pytorch(name, torch):
    make = TENSOR_DATA[name]
    actual, expected = run_both(lambda lib: lib.tensor(make(lib)), torch)
    assert_same(actual, expected)
    assert actual.is_leaf and not actual.requires_grad


@pytest.mark.parametrize("data, dtype", [
    ([1.7, -1.2], "int64"), ([1, 2], "float64"), ([True, False], "float32"), ([-1, 2], "uint8"),
    ([[1, 2], [3, 4]], "float16"), ([0.1, 1e-8], "float64"), ([2.5, 0.0], "bool"),
    ([1, 2], "complex64"), (np.array([1.5, 2.5]), "int32"), (np.array([0.1]), "float16"),
])
def test_tensor_with_explicit_dtype(data, dtype, torch):
    actual, expected = run_both(lambda lib: lib.tensor(data, dtype=getattr(lib, dtype)), torch)
    assert_same(actual, expected)


def test_tensor_follows_default_dtype(default_float64, torch):
    for make in (lambda lib: [1.5], lambda lib: [1, 2], lambda lib: 1j, lambda lib: [True, 2.5],
                 lambda lib: np.float32(1.0), lambda lib: [lib.tensor(1.0, dtype=lib.float32)]):
        actual, expected = run_both(lambda lib, make: lib.tensor(make(lib)), torch, make)
        assert_same(actual, expected)


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.tensor([[1, 2], [3]]), ValueError,
              r"expected sequence of length 2 at dim 1 \(got 1\)"),
    ErrorCase(lambda lib: lib.tensor([[1], [2, 3]]), ValueError,
              r"expected sequence of length 1 at dim 1 \(got 2\)"),
    ErrorCase(lambda lib: lib.tensor([[[1, 2]], [[3]]]), ValueError,
              r"expected sequence of length 2 at dim 2 \(got 1\)"),
    ErrorCase(lambda lib: lib.tensor([[1, 2], 3]), TypeError),
    ErrorCase(lambda lib: lib.tensor([1, [2, 3]]), TypeError),
    ErrorCase(lambda lib: lib.tensor("abc"), TypeError, "new\\(\\): invalid data type 'str'"),
    ErrorCase(lambda lib: lib.tensor([1, "a"]), TypeError, "invalid data type 'str'"),
    ErrorCase(lambda lib: lib.tensor(None), RuntimeError, "Could not infer dtype of NoneType"),
    ErrorCase(lambda lib: lib.tensor([object()]), RuntimeError, "Could not infer dtype"),
    ErrorCase(lambda lib: lib.tensor(2**63), ValueError, "Overflow"),
    ErrorCase(lambda lib: lib.tensor([1, 2], requires_grad=True), RuntimeError,
              "Only Tensors of floating point and complex dtype can require gradients"),
], ids=lambda case: case.match or case.error.__name__)
def test_tensor_errors(case, torch):
    check_error(case, torch)


def test_tensor_copies_its_data():
    array = np.array([1.0, 2.0])
    from_array = ember.tensor(array)
    source = ember.tensor([1.0, 2.0])
    from_tensor = ember.tensor(source)
    array[0] = source[0] = 9.0
    assert from_array.tolist() == [1.0, 2.0]
    assert from_tensor.tolist() == [1.0, 2.0]


def test_tensor_requires_grad_makes_a_leaf():
    result = ember.tensor([1.0, 2.0], requires_grad=True)
    assert result.requires_grad and result.is_leaf and result.grad_fn is None
    assert not ember.tensor(result).requires_grad


def test_scalar_tensor(torch):
    for value in (3, 2.5, True):
        actual, expected = run_both(lambda lib, value: lib.scalar_tensor(value), torch, value)
        assert_same(actual, expected)


# ---------------------------------------------------------------------- sharing memory
def test_from_numpy_shares_memory_both_ways():
    array = np.arange(6, dtype=np.int32).reshape(2, 3)
    result = ember.from_numpy(array)
    assert result.dtype is ember.int32 and result.shape == (2, 3)
    array[0, 0] = 10
    result.numpy()[1, 2] = 20
    assert result.tolist() == [[10, 1, 2], [3, 4, 20]]
    assert array[1, 2] == 20


def test_from_numpy_keeps_strides(torch):
    array = np.arange(12.0).reshape(3, 4).T
    assert ember.from_numpy(array).stride() == torch.from_numpy(array).stride()


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.from_numpy([1, 2]), TypeError, "expected np.ndarray"),
    ErrorCase(lambda lib: lib.from_numpy(np.arange(4.0)[::-1]), ValueError,
              "negative"),
    ErrorCase(lambda lib: lib.from_numpy(np.array(["a"])), TypeError, "can't convert"),
], ids=["list", "negative_strides", "strings"])
def test_from_numpy_errors(case, torch):
    check_error(case, torch)


def test_as_tensor_shares_memory_when_it_can():
    array = np.array([1.0, 2.0])
    shared = ember.as_tensor(array)
    converted = ember.as_tensor(array, dtype=ember.float32)
    array[0] = 5.0
    assert shared.tolist() == [5.0, 2.0] and shared.dtype is ember.float64
    assert converted.tolist() == [1.0, 2.0]
    source = ember.ones(2)
    assert ember.as_tensor(source) is source
    assert ember.as_tensor([1, 2]).dtype is ember.int64


def test_asarray_copy_argument():
    array = np.zeros(2)
    shared, copied = ember.asarray(array), ember.asarray(array, copy=True)
    array[0] = 1.0
    assert shared.tolist() == [1.0, 0.0] and copied.tolist() == [0.0, 0.0]


# ---------------------------------------------------------------------- filled factories
@pytest.mark.parametrize("make", [
    lambda lib: lib.zeros(2, 3), lambda lib: lib.zeros((2, 3)), lambda lib: lib.zeros([2, 3]),
    lambda lib: lib.zeros(lib.Size([2, 3])), lambda lib: lib.zeros(()),
    lambda lib: lib.zeros(0, 3), lambda lib: lib.ones(4, dtype=lib.int32),
    lambda lib: lib.ones(2, 2, dtype=lib.bool), lambda lib: lib.ones((3,), dtype=lib.complex64),
    lambda lib: lib.zeros(lib.tensor(3)), lambda lib: lib.ones(np.int64(2)),
    lambda lib: lib.full((2, 3), 1.5), lambda lib: lib.full((2,), 1),
    lambda lib: lib.full((2,), True), lambda lib: lib.full((2,), 1 + 1j),
    lambda lib: lib.full([2], 2.5, dtype=lib.int64),
    lambda lib: lib.full((2,), -1, dtype=lib.uint8),
    lambda lib: lib.full((2, 3), lib.tensor(2)), lambda lib: lib.full((2,), lib.tensor(2.5)),
    lambda lib: lib.full(lib.Size([2, 1]), 7), lambda lib: lib.full((), 3.0),
    lambda lib: lib.eye(3), lambda lib: lib.eye(2, 3, dtype=lib.int64),
    lambda lib: lib.eye(3, 2, dtype=lib.bool), lambda lib: lib.eye(0),
])
def test_filled_factories(make, torch):
    actual, expected = run_both(make, torch)
    assert_same(actual, expected)


def test_empty_has_the_requested_shape_and_dtype(torch):
    for make in (lambda lib: lib.empty(2, 3), lambda lib: lib.empty((4,), dtype=lib.int16),
                 lambda lib: lib.empty_like(lib.ones(2, dtype=lib.float64))):
        actual, expected = run_both(make, torch)
        assert (actual.shape, dtype_name(actual.dtype)) == (expected.shape,
                                                              dtype_name(expected.dtype))


def test_factories_follow_default_dtype(default_float64, torch):
    for make in (lambda lib: lib.zeros(2), lambda lib: lib.full((2,), 1.5),
                 lambda lib: lib.full((1,), 2j), lambda lib: lib.arange(0.0, 1.0, 0.25),
                 lambda lib: lib.linspace(0, 1, 3), lambda lib: lib.eye(2),
                 lambda lib: lib.rand(2).new_zeros(1), lambda lib: lib.Tensor([1, 2]),
                 lambda lib: lib.FloatTensor([1, 2])):
        actual, expected = run_both(make, torch)
        assert dtype_name(actual.dtype) == dtype_name(expected.dtype)


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
def test_like_factories_keep_dtype_shape_and_layout(name, torch):
    def make(lib, **kwargs):
        return getattr(lib, name)(lib.ones(3, 4, dtype=lib.int32).t(), **kwargs)

    actual, expected = run_both(make, torch)
    assert (actual.shape, dtype_name(actual.dtype)) == (expected.shape, dtype_name(expected.dtype))
    assert actual.stride() == expected.stride()
    actual, expected = run_both(lambda lib: make(lib, dtype=lib.float64, requires_grad=True),
                                torch)
    assert dtype_name(actual.dtype) == "float64" and actual.requires_grad


def test_full_like(torch):
    for make in (lambda lib: lib.full_like(lib.ones(2, dtype=lib.int32), 2.7),
                 lambda lib: lib.full_like(lib.ones(2, 2), 3, dtype=lib.float64)):
        actual, expected = run_both(make, torch)
        assert_same(actual, expected)


def test_requires_grad_factories():
    for result in (ember.zeros(2, requires_grad=True), ember.full((2,), 1.5, requires_grad=True),
                   ember.arange(3.0, requires_grad=True), ember.eye(2, requires_grad=True),
                   ember.linspace(0, 1, 3, requires_grad=True)):
        assert result.requires_grad and result.is_leaf


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.zeros(2, 3, dtype=lib.int64, requires_grad=True), RuntimeError,
              "Only Tensors of floating point and complex dtype can require gradients"),
    ErrorCase(lambda lib: lib.arange(3, requires_grad=True), RuntimeError,
              "Only Tensors of floating point and complex dtype can require gradients"),
    ErrorCase(lambda lib: lib.full((2,), True, requires_grad=True), RuntimeError,
              "Only Tensors of floating point and complex dtype"),
    ErrorCase(lambda lib: lib.ones(2, -3), RuntimeError,
              r"Trying to create tensor with negative dimension -3: \[2, -3\]"),
    ErrorCase(lambda lib: lib.ones(2.5), TypeError, "must be tuple of ints"),
    ErrorCase(lambda lib: lib.zeros(True), TypeError, "must be tuple of ints"),
    ErrorCase(lambda lib: lib.ones((2,), (3,)), TypeError),
    ErrorCase(lambda lib: lib.full((2,), 300, dtype=lib.uint8), RuntimeError,
              "value cannot be converted to type uint8 without overflow"),
    ErrorCase(lambda lib: lib.full((2,), 2**40, dtype=lib.int32), RuntimeError,
              "without overflow"),
    ErrorCase(lambda lib: lib.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    ErrorCase(lambda lib: lib.eye(3, -1), RuntimeError,
              "m must be greater or equal to 0, got -1"),
], ids=lambda case: case.match or case.error.__name__)
def test_factory_errors(case, torch):
    check_error(case, torch)


# ---------------------------------------------------------------------- ranges
ARANGE_ARGS = [
    ((5,), {}), ((5.0,), {}), ((0, 10, 3), {}), ((10, 0, -3), {}), ((1, 0, -0.1), {}),
    ((0, 1, 0.1), {}), ((0, 5, 0.5), {}), ((-1, 1, 0.3), {}), ((0.1, 2.3, 0.7), {}),
    ((2, 2.5, 0.1), {}), ((0, 0), {}), ((0, 2**40, 2**38), {}), ((2**60, 2**60 + 10, 3), {}),
    ((True, 3), {}), ((0.0, 3), {}), ((0, 1, 0.1), {"dtype": "float64"}),
    ((0, 10, 3), {"dtype": "float32"}), ((0, 10, 1.5), {"dtype": "int64"}),
    ((0.5, 5.7), {"dtype": "int64"}), ((-0.5, 5.7, 1.9), {"dtype": "int32"}),
    ((0, 5, 0.5), {"dtype": "int64"}), ((0, 1, 0.1), {"dtype": "uint8"}),
    ((0, 100), {"dtype": "int16"}), ((0.3, 40 * 0.7, 0.7), {"dtype": "float64"}),
    ((-8.97, 1.63, 0.155), {}), ((-3.44, -100.1, -1.26), {}), ((7.5, -30.4, -0.597), {}),
    ((1, 1000.5, 0.999), {}), ((1, 1000.5, 0.999), {"dtype": "float64"}),
]


@pytest.mark.parametrize("args, kwargs", ARANGE_ARGS, ids=str)
def test_arange_matches_pytorch_exactly(args, kwargs, torch):
    def make(lib):
        options = {key: getattr(lib, value) for key, value in kwargs.items()}
        return lib.arange(*args, **options)

    actual, expected = run_both(make, torch)
    assert_same(actual, expected)


def test_arange_float_step_count():
    assert len(ember.arange(0, 1, 0.1)) == 10
    assert ember.arange(1, 2.5, 0.5).tolist() == [1.0, 1.5, 2.0]
    assert ember.arange(5, 0, -2).tolist() == [5, 3, 1]


def test_arange_accepts_0d_tensors(torch):
    actual, expected = run_both(lambda lib: lib.arange(lib.tensor(1), lib.tensor(7.0), 2), torch)
    assert_same(actual, expected)


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.arange(0, 1, 0), RuntimeError, "step must be nonzero"),
    ErrorCase(lambda lib: lib.arange(1, 0, 1), RuntimeError,
              "upper bound and lower bound inconsistent with step sign"),
    ErrorCase(lambda lib: lib.arange(0, 5, -1), RuntimeError, "inconsistent with step sign"),
    ErrorCase(lambda lib: lib.arange(0, float("inf")), RuntimeError, "unsupported range"),
    ErrorCase(lambda lib: lib.arange(3, dtype=lib.bool), NotImplementedError,
              "\"arange_cpu\" not implemented for 'Bool'"),
], ids=lambda case: case.match)
def test_arange_errors(case, torch):
    check_error(case, torch)


def _spaced_args(seed=0, count=40):
    rng = np.random.default_rng(seed)
    args = [(0, 1, 5), (0, 1, 7), (-3.3, 7.1, 13), (1, 0, 10), (0, 1, 1), (0, 1, 0), (2, 2, 4),
            (-1e5, 3.7, 101), (0.1, 0.9, 1000), (0, 10, 11), (-1.7, 3.9, 7), (3.9, -1.7, 7)]
    for _ in range(count):
        start, end = rng.normal(0, 100, 2) * 10.0 ** rng.integers(-3, 3, 2)
        args.append((float(start), float(end), int(rng.integers(2, 3000))))
    return args


SPACED_ARGS = _spaced_args()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linspace_matches_pytorch_bit_for_bit(dtype, torch):
    for args in SPACED_ARGS:
        actual, expected = run_both(
            lambda lib, args: lib.linspace(*args, dtype=getattr(lib, dtype)), torch, args)
        assert_same(actual, expected)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("base", [10.0, 2, 0.5, 3.3])
def test_logspace_matches_pytorch_bit_for_bit(dtype, base, torch):
    for start, end, steps in SPACED_ARGS:
        start, end = start % 7 - 3, end % 7 - 3  # keep base ** x finite
        actual, expected = run_both(
            lambda lib, *args: lib.logspace(*args, base=base, dtype=getattr(lib, dtype)),
            torch, start, end, steps)
        assert_same(actual, expected)


@pytest.mark.parametrize("make", [
    lambda lib: lib.linspace(0, 10, 5, dtype=lib.int64),
    lambda lib: lib.linspace(-1.7, 3.9, 7, dtype=lib.int64),
    lambda lib: lib.linspace(3.9, -1.7, 7, dtype=lib.int32),
    lambda lib: lib.linspace(0, 255, 7, dtype=lib.uint8),
    lambda lib: lib.linspace(0, 3, 5, dtype=lib.float16),
    lambda lib: lib.linspace(-2.5, 7.3, 21, dtype=lib.float16),
    lambda lib: lib.linspace(lib.tensor(0.0), lib.tensor(1.0), 3),
    lambda lib: lib.linspace(0, 1, 5), lambda lib: lib.linspace(0, 1, np.int64(3)),
    lambda lib: lib.logspace(0, 3, 5, dtype=lib.int64),
    lambda lib: lib.logspace(-1, 2, 4, dtype=lib.int64),
    lambda lib: lib.logspace(0.5, 2.7, 4, base=3, dtype=lib.int32),
    lambda lib: lib.logspace(0, 3, 5, dtype=lib.uint8),
    lambda lib: lib.logspace(0, 3, 5, dtype=lib.float16),
    lambda lib: lib.logspace(1.5, 2, 1), lambda lib: lib.logspace(0, 2, 3, base=2),
])
def test_linspace_logspace_other_dtypes(make, torch):
    actual, expected = run_both(make, torch)
    assert_same(actual, expected)


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.linspace(0, 1, -1), RuntimeError,
              "number of steps must be non-negative"),
    ErrorCase(lambda lib: lib.logspace(0, 1, -1), RuntimeError,
              "number of steps must be non-negative"),
    ErrorCase(lambda lib: lib.linspace(0, 1, 5.0), TypeError),
    ErrorCase(lambda lib: lib.linspace(0, 1, 3, dtype=lib.bool), NotImplementedError,
              "\"linspace_cpu\" not implemented for 'Bool'"),
    ErrorCase(lambda lib: lib.logspace(0, 1, 3, dtype=lib.bool), NotImplementedError,
              "\"logspace_cpu\" not implemented for 'Bool'"),
], ids=lambda case: case.match or case.error.__name__)
def test_linspace_errors(case, torch):
    check_error(case, torch)


def test_range_includes_the_end(torch):
    for args in ((0, 1, 0.25), (0, 4), (1, -1, -0.5)):
        actual, expected = run_both(lambda lib, args: lib.range(*args), torch, args)
        assert_same(actual, expected)


# ---------------------------------------------------------------------- new_* and out=
@pytest.mark.parametrize("make", [
    lambda lib: lib.ones(2, 3).new_tensor([1, 2]),
    lambda lib: lib.ones(2, dtype=lib.float64).new_tensor([1, 2]),
    lambda lib: lib.ones(2).new_tensor([1.5], dtype=lib.int64),
    lambda lib: lib.ones(2).new_tensor(lib.tensor([1, 2])),
    lambda lib: lib.ones(2, dtype=lib.float64).new_zeros(2, 2),
    lambda lib: lib.ones(2, dtype=lib.float64).new_zeros((2, 2)),
    lambda lib: lib.ones(2, dtype=lib.int32).new_ones([2]),
    lambda lib: lib.ones(2, dtype=lib.int32).new_ones(3, dtype=lib.float16),
    lambda lib: lib.ones(2, dtype=lib.int32).new_full((2,), 3.7),
    lambda lib: lib.ones(2).new_full([1, 2], 3, dtype=lib.int16),
])
def test_new_factories(make, torch):
    actual, expected = run_both(make, torch)
    assert_same(actual, expected)


def test_new_empty_and_requires_grad():
    result = ember.ones(2, dtype=ember.int32).new_empty(3, 1)
    assert result.shape == (3, 1) and result.dtype is ember.int32
    assert ember.ones(2).new_zeros(2, requires_grad=True).requires_grad
    assert not ember.ones(2, requires_grad=True).new_ones(2).requires_grad


@pytest.mark.parametrize("make", [
    lambda lib, out: lib.zeros(3, out=out), lambda lib, out: lib.ones(2, 2, out=out),
    lambda lib, out: lib.full((2,), 3, out=out), lambda lib, out: lib.arange(3, out=out),
    lambda lib, out: lib.linspace(0, 1, 3, out=out), lambda lib, out: lib.eye(2, out=out),
    lambda lib, out: lib.logspace(0, 1, 3, out=out),
], ids=["zeros", "ones", "full", "arange", "linspace", "eye", "logspace"])
def test_factory_out_takes_outs_dtype_and_is_resized(make, torch):
    def run(lib):
        out = lib.ones(5, dtype=lib.float64)
        result = make(lib, out)
        assert result is out
        return out

    actual, expected = run_both(run, torch)
    assert_same(actual, expected)


def test_factory_out_writes_into_the_same_memory():
    out = ember.ones(3)
    view = out.detach()
    ember.zeros(3, out=out)
    assert view.tolist() == [0.0, 0.0, 0.0]


# ---------------------------------------------------------------------- legacy constructors
@pytest.mark.parametrize("make", [
    lambda lib: lib.Tensor([1, 2]), lambda lib: lib.Tensor(np.array([1, 2])),
    lambda lib: lib.Tensor((2, 3)), lambda lib: lib.Tensor([]),
    lambda lib: lib.LongTensor([1.5, 2]), lambda lib: lib.IntTensor([1, 2]),
    lambda lib: lib.DoubleTensor([1, 2]), lambda lib: lib.FloatTensor([[1], [2]]),
    lambda lib: lib.BoolTensor([1, 0]), lambda lib: lib.ByteTensor([1, 0]),
    lambda lib: lib.ShortTensor([3]), lambda lib: lib.CharTensor([-3]),
    lambda lib: lib.HalfTensor([0.5]),
])
def test_legacy_constructors_from_data(make, torch):
    actual, expected = run_both(make, torch)
    assert_same(actual, expected)


@pytest.mark.parametrize("make", [
    lambda lib: lib.Tensor(2, 3), lambda lib: lib.Tensor(), lambda lib: lib.Tensor(0),
    lambda lib: lib.Tensor(lib.Size([2, 3])), lambda lib: lib.FloatTensor(2, 3),
    lambda lib: lib.ByteTensor(3), lambda lib: lib.LongTensor(2, 1),
])
def test_legacy_constructors_from_sizes(make, torch):
    actual, expected = run_both(make, torch)
    assert (actual.shape, dtype_name(actual.dtype)) == (expected.shape, dtype_name(expected.dtype))


def test_legacy_types_and_isinstance(torch):
    checks = [
        lambda lib: isinstance(lib.ones(2), lib.FloatTensor),
        lambda lib: isinstance(lib.ones(2), lib.DoubleTensor),
        lambda lib: isinstance(lib.ones(2, dtype=lib.int64), lib.LongTensor),
        lambda lib: isinstance(lib.ones(2, dtype=lib.int32), lib.IntTensor),
        lambda lib: isinstance(lib.ones(2, dtype=lib.bool), lib.BoolTensor),
        lambda lib: isinstance(lib.ones(2, dtype=lib.uint8), lib.ByteTensor),
        lambda lib: isinstance(lib.LongTensor([1]), lib.Tensor),
        lambda lib: isinstance(lib.ones(2), lib.Tensor),
        lambda lib: isinstance([1], lib.Tensor),
        lambda lib: lib.Tensor(lib.ones(2, dtype=lib.int64)).dtype == lib.int64,
    ]
    assert [check(ember) for check in checks] == [check(torch) for check in checks]
    source = ember.ones(2)
    assert ember.Tensor(source) is source


def test_typed_legacy_constructor_rejects_another_dtype(torch):
    check_error(ErrorCase(lambda lib: lib.FloatTensor(lib.ones(2, dtype=lib.float64)),
                          TypeError), torch)
    check_error(ErrorCase(lambda lib: lib.LongTensor(lib.ones(2)), TypeError), torch)


def test_autograd_variable(torch):
    for lib in (ember, torch):
        data = lib.ones(2)
        variable = lib.autograd.Variable(data, requires_grad=True)
        assert variable is not data and variable.requires_grad and variable.is_leaf
        assert not data.requires_grad
        with lib.no_grad():
            variable[0] = 5.0
        assert data.tolist() == [5.0, 1.0]  # shares memory
        assert isinstance(data, lib.autograd.Variable)
        assert not lib.autograd.Variable(data).requires_grad
    check_error(ErrorCase(lambda lib: lib.autograd.Variable([1.0]), TypeError,
                          "Variable data has to be a tensor, but got list"), torch)
