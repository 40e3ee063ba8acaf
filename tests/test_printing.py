"""Printing tensors: ``repr``/``str`` match PyTorch's, with ``ember.`` for ``torch.``."""

import numpy as np
import pytest

import ember

_RNG = np.random.default_rng(0)


def _randn(*shape, scale=1.0, dtype=np.float32):
    return (_RNG.standard_normal(shape) * scale).astype(dtype)


NAN, INF = float("nan"), float("inf")

ARRAYS = {
    "float_unit": _randn(5),
    "float_mixed_signs": np.array([-1.5, 0.25, 3.125, -0.0625], np.float32),
    "float_integer_valued": np.array([1.0, -2.0, 30.0, 0.0], np.float32),
    "float_integer_valued_large": np.array([1.0, 1e9], np.float32),
    "float_integer_ratio": np.array([1.0, 2000.0], np.float32),
    "float_zeros": np.zeros(3, np.float32),
    "float_negative_zero": np.array([-0.0, 1.0], np.float32),
    "float_nan_inf": np.array([NAN, INF, -INF, 1.5], np.float32),
    "float_nan_inf_integer": np.array([NAN, 1.0, 10.0, -INF], np.float32),
    "float_only_nonfinite": np.array([NAN, INF], np.float32),
    "float_tiny": np.array([1e-5, 2e-6], np.float32),
    "float_tiny_and_unit": np.array([1e-5, 1.0], np.float32),
    "float_huge": np.array([1.5e10, -2.25e12], np.float32),
    "float_wide_range": np.array([0.001, 1.5, 1000.0], np.float32),
    "float_many_magnitudes": _randn(4, 5) * np.float32(10.0) ** _RNG.integers(-6, 9, (4, 5)),
    "float_hundreds": _randn(3, 4, scale=300.0),
    "float64": _randn(3, 3, dtype=np.float64),
    "float64_integer_valued": np.arange(6.0).reshape(2, 3),
    "float16": np.array([1.5, -2.25, 65504.0, 0.0999], np.float16),
    "int64": np.array([1, 22, 333, 4444]),
    "int64_negative": np.array([[-5, 10], [100, -1000]]),
    "int32": np.array([3, -7, 11], np.int32),
    "uint8": np.array([0, 128, 255], np.uint8),
    "int8": np.array([-128, 0, 127], np.int8),
    "int16": np.array([[1, -2], [3, 4]], np.int16),
    "bool": np.array([True, False, True]),
    "bool_2d": np.array([[True], [False]]),
    "complex64": np.array([1 + 2j, -3.5 - 0.5j, 0j], np.complex64),
    "complex128": np.array([[1e-6 + 1j, 2 - 3j]], np.complex128),
    "complex_integer_parts": np.array([1 + 2j, -3 + 0j], np.complex64),
    "scalar_float": np.array(3.0, np.float32),
    "scalar_fraction": np.array(-0.123456, np.float32),
    "scalar_tiny": np.array(1e-5, np.float32),
    "scalar_nan": np.array(NAN, np.float32),
    "scalar_int": np.array(7),
    "scalar_bool": np.array(False),
    "scalar_float64": np.array(2.5),
    "scalar_complex": np.array(1 - 2j, np.complex64),
    "empty_1d": np.zeros(0, np.float32),
    "empty_2d": np.zeros((0, 3), np.float32),
    "empty_3d": np.zeros((2, 0, 4), np.float32),
    "empty_int64": np.zeros((0, 3), np.int64),
    "empty_float64": np.zeros(0),
    "empty_bool": np.zeros(0, bool),
    "empty_complex64": np.zeros(0, np.complex64),
    "long_1d_float": np.arange(100, dtype=np.float32) / 7,
    "long_1d_wraps_int": np.arange(60) * 1000,
    "summarized_1d": np.arange(2000, dtype=np.float32),
    "summarized_1d_int": np.arange(5000),
    "summarized_1d_bool": np.arange(1500) % 3 == 0,
    "summarized_2d": _randn(40, 50),
    "summarized_2d_rows_only": _randn(1000, 2),
    "summarized_2d_cols_only": _randn(2, 1000),
    "summarized_3d": _randn(10, 11, 12),
    "summarized_4d": _randn(5, 6, 7, 8),
    "summarized_complex": (_randn(1200) + 1j * _randn(1200)).astype(np.complex64),
    "summarized_hides_outlier": np.concatenate([np.ones(3), [1e-9], np.ones(2000)]),
    "matrix": _randn(3, 4),
    "matrix_wide_wraps": _randn(2, 30),
    "tensor_3d": _randn(2, 3, 4),
    "tensor_4d": np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2),
    "tensor_4d_int": np.arange(-8, 8).reshape(2, 2, 2, 2),
    "size_one_dims": _randn(1, 1, 3),
}

GRAD_ARRAYS = ["float_unit", "float64", "matrix", "tensor_3d", "scalar_float", "empty_2d",
               "summarized_2d", "matrix_wide_wraps"]


def _expected(torch_tensor):
    return repr(torch_tensor).replace("torch.", "ember.")


def _pair(torch, array, requires_grad=False):
    return (ember.tensor(array, requires_grad=requires_grad),
            torch.tensor(array, requires_grad=requires_grad))


@pytest.fixture
def restore_printoptions(torch):
    """Restores the print options of both libraries after a test changes them."""
    yield
    ember.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


@pytest.fixture
def restore_default_dtype(torch):
    yield
    ember.set_default_dtype(ember.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name", sorted(ARRAYS))
def test_repr_matches_torch(name, torch):
    ember_tensor, torch_tensor = _pair(torch, ARRAYS[name])
    assert repr(ember_tensor) == _expected(torch_tensor)
    assert str(ember_tensor) == str(torch_tensor).replace("torch.", "ember.")


@pytest.mark.parametrize("name", GRAD_ARRAYS)
def test_requires_grad_leaf_matches_torch(name, torch):
    ember_tensor, torch_tensor = _pair(torch, ARRAYS[name], requires_grad=True)
    assert repr(ember_tensor) == _expected(torch_tensor)


@pytest.mark.parametrize("name", GRAD_ARRAYS)
@pytest.mark.parametrize("fn", [lambda t: t * 2, lambda t: t + 1, lambda t: t.sum()],
                         ids=["mul", "add", "sum"])
def test_grad_fn_matches_torch(name, fn, torch):
    ember_tensor, torch_tensor = _pair(torch, ARRAYS[name], requires_grad=True)
    assert repr(fn(ember_tensor)) == _expected(fn(torch_tensor))


OPTIONS = [
    dict(precision=2),
    dict(precision=8),
    dict(precision=0),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(linewidth=40),
    dict(linewidth=120),
    dict(linewidth=10),
    dict(threshold=10),
    dict(threshold=10, edgeitems=1),
    dict(threshold=10, edgeitems=0),
    dict(edgeitems=0),
    dict(profile="short"),
    dict(profile="full"),
    dict(profile="short", precision=6),
]
OPTION_ARRAYS = ["float_unit", "float_many_magnitudes", "float_integer_valued_large", "float_tiny",
                 "float_nan_inf", "float64", "int64_negative", "bool", "complex64",
                 "float_zeros", "float_nan_inf_integer", "scalar_fraction", "scalar_float",
                 "empty_2d", "long_1d_float", "summarized_1d", "summarized_1d_int",
                 "summarized_2d", "summarized_3d", "tensor_4d", "matrix_wide_wraps"]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda options: str(options))
def test_printoptions_match_torch(options, torch, restore_printoptions):
    ember.set_printoptions(**options)
    torch.set_printoptions(**options)
    assert ember.get_printoptions() == torch._tensor_str.get_printoptions()
    for name in OPTION_ARRAYS:
        ember_tensor, torch_tensor = _pair(torch, ARRAYS[name], requires_grad=name == "float64")
        assert repr(ember_tensor) == _expected(torch_tensor), name


def test_set_printoptions_resets_sci_mode_and_ignores_unknown_profile(torch,
                                                                     restore_printoptions):
    for lib in (ember, torch):
        lib.set_printoptions(sci_mode=True, precision=3)
        lib.set_printoptions(profile="unknown", linewidth=60)
    assert ember.get_printoptions() == torch._tensor_str.get_printoptions()
    assert ember.get_printoptions()["sci_mode"] is None


@pytest.mark.parametrize("name", ["float_unit", "float64", "complex64", "complex128", "empty_1d",
                                  "empty_float64", "empty_int64", "scalar_float64"])
def test_dtype_suffix_follows_default_dtype(name, torch, restore_default_dtype):
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    ember_tensor, torch_tensor = _pair(torch, ARRAYS[name])
    assert repr(ember_tensor) == _expected(torch_tensor)


def test_parameter_matches_torch(torch):
    array = _randn(2, 3)
    ember_parameter = ember.nn.Parameter(ember.tensor(array))
    torch_parameter = torch.nn.Parameter(torch.tensor(array))
    assert repr(ember_parameter) == _expected(torch_parameter)
    frozen = ember.nn.Parameter(ember.tensor(array), requires_grad=False)
    assert repr(frozen) == _expected(torch.nn.Parameter(torch.tensor(array), requires_grad=False))


def test_suffixes_wrap_at_linewidth(torch):
    array = np.arange(11, dtype=np.float64) + 0.5
    ember_tensor, torch_tensor = _pair(torch, array, requires_grad=True)
    assert repr(ember_tensor * 2) == _expected(torch_tensor * 2)
    assert "\n" in repr(ember_tensor * 2)


# ------------------------------------------------------------------------ no torch needed
def test_requires_grad_leaf_by_hand():
    tensor = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    assert repr(tensor) == "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"


def test_reprs_by_hand():
    assert repr(ember.tensor(3.0)) == "tensor(3.)"
    assert repr(ember.tensor([1.5, -0.25])) == "tensor([ 1.5000, -0.2500])"
    assert repr(ember.tensor([True, False])) == "tensor([ True, False])"
    assert repr(ember.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    assert repr(ember.tensor([float("nan"), 1.0, 10.0])) == "tensor([nan,  1., 10.])"
    assert repr(ember.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(ember.zeros(0, dtype=ember.int64)) == "tensor([], dtype=ember.int64)"
    assert repr(ember.tensor([1, 2], dtype=ember.int32)) == "tensor([1, 2], dtype=ember.int32)"
    assert repr(ember.tensor([1.0, 2.0]) * 2) == "tensor([2., 4.])"


def test_summarized_by_hand():
    expected = "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"
    assert repr(ember.arange(2000)) == expected


def test_str_equals_repr():
    tensor = ember.tensor([[1.0, 2.5]], requires_grad=True) * 3
    assert str(tensor) == repr(tensor)


def test_format():
    assert f"{ember.tensor(3.14159):.2f}" == "3.14"
    assert f"{ember.tensor(7):>3}" == "  7"
    assert f"{ember.tensor([1.0, 2.0])}" == "tensor([1., 2.])"
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
        f"{ember.tensor([1.0, 2.0]):.2f}"


def test_subclass_prints_its_class_name():
    class MyTensor(ember.Tensor):
        pass

    assert repr(ember.tensor([1.0]).as_subclass(MyTensor)) == "MyTensor([1.])"


def test_device_suffix(device):
    tensor = ember.tensor([1.0, 2.0], device=device)
    suffix = "" if device == "cpu" else ", device='cuda:0'"
    assert repr(tensor) == f"tensor([1., 2.]{suffix})"
