"""Tensor attributes, conversions and Python protocols: sizes and strides of views, ``numpy``,
``item``, ``tolist``, ``to``/``type`` and the casts, ``len``/``bool``/``float``/``index``/
``format``/iteration, copying and pickling, ``ember.Size``."""

import copy
import operator
import pickle

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, check_error
from tests.test_creation import assert_same

VIEWS = {
    "contiguous": lambda lib: lib.arange(24.0).reshape(2, 3, 4),
    "transpose": lambda lib: lib.arange(24.0).reshape(2, 3, 4).transpose(0, 2),
    "permute": lambda lib: lib.arange(24.0).reshape(2, 3, 4).permute(1, 2, 0),
    "t": lambda lib: lib.arange(6.0).reshape(2, 3).t(),
    "select": lambda lib: lib.arange(24.0).reshape(2, 3, 4).select(0, 1),
    "select_narrow": lambda lib: lib.arange(24.0).reshape(2, 3, 4).select(0, 1).narrow(1, 1, 2),
    "narrow_middle": lambda lib: lib.arange(24.0).reshape(2, 3, 4).narrow(1, 1, 2),
    "slice": lambda lib: lib.arange(24.0).reshape(2, 3, 4)[1, 1:, 2:],
    "step_slice": lambda lib: lib.arange(24.0).reshape(2, 3, 4)[:, ::2],
    "index_twice": lambda lib: lib.arange(24.0).reshape(2, 3, 4)[1][1],
    "expand_new_dim": lambda lib: lib.arange(24.0).reshape(2, 3, 4).expand(3, 2, 3, 4),
    "expand_size_one": lambda lib: lib.ones(3, 1).expand(3, 4),
    "unsqueeze": lambda lib: lib.arange(24.0).reshape(2, 3, 4).unsqueeze(1),
    "size_one_dims": lambda lib: lib.ones(3, 1),
    "row": lambda lib: lib.ones(3, 4)[1:2],
    "column": lambda lib: lib.ones(3, 4)[:, 1:2],
    "scalar": lambda lib: lib.tensor(1.0),
    "empty": lambda lib: lib.ones(0, 3),
    "empty_middle": lambda lib: lib.ones(2, 0, 3),
    "flatten_of_transpose": lambda lib: lib.ones(3, 4).t().reshape(-1),
}


@pytest.mark.parametrize("name", VIEWS)
def test_layout_attributes_match_pytorch(name, torch):
    actual, expected = VIEWS[name](ember), VIEWS[name](torch)
    assert actual.shape == tuple(expected.shape) and actual.size() == tuple(expected.size())
    assert actual.stride() == expected.stride()
    assert actual.storage_offset() == expected.storage_offset()
    assert actual.is_contiguous() == expected.is_contiguous()
    for dim in range(-actual.ndim, actual.ndim):
        assert actual.size(dim) == expected.size(dim)
        assert actual.stride(dim) == expected.stride(dim)
    for attribute in ("ndim", "itemsize", "nbytes"):
        assert getattr(actual, attribute) == getattr(expected, attribute), attribute
    for method in ("dim", "ndimension", "numel", "nelement", "element_size"):
        assert getattr(actual, method)() == getattr(expected, method)(), method


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.ones(2, 3).size(2), IndexError,
              r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    ErrorCase(lambda lib: lib.ones(2, 3).stride(-3), IndexError, "Dimension out of range"),
    ErrorCase(lambda lib: lib.tensor(1.0).size(0), IndexError,
              "Dimension specified as 0 but tensor has no dimensions"),
    ErrorCase(lambda lib: lib.tensor(1.0).stride(-1), IndexError,
              "Dimension specified as -1 but tensor has no dimensions"),
])
def test_dim_errors(case, torch):
    check_error(case, torch)


def test_sizes_by_hand():
    tensor = ember.zeros(2, 3, 4, dtype=ember.float64)
    assert tensor.shape == (2, 3, 4) and tensor.size(-1) == 4 and tensor.stride() == (12, 4, 1)
    assert tensor.numel() == 24 and tensor.nbytes == 192 and tensor.element_size() == 8
    assert tensor.transpose(0, 2).stride() == (1, 4, 12)
    assert ember.numel(tensor) == 24 and ember.is_tensor(tensor) and not ember.is_tensor([1])


# ---------------------------------------------------------------------- autograd attributes
def test_autograd_attributes(torch):
    for lib in (ember, torch):
        leaf = lib.ones(2, requires_grad=True)
        result = leaf * 2
        assert leaf.is_leaf and leaf.requires_grad and leaf.grad_fn is None
        assert not result.is_leaf and result.requires_grad
        assert type(result.grad_fn).__name__ == "MulBackward0"
        assert lib.ones(2).is_leaf and (lib.ones(2) * 2).is_leaf
        assert not leaf.detach().requires_grad and leaf.detach().is_leaf


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.ones(2, dtype=lib.int64).requires_grad_(), RuntimeError,
              "only Tensors of floating point dtype can require gradients"),
    ErrorCase(lambda lib: setattr(lib.ones(2, dtype=lib.int64), "requires_grad", True),
              RuntimeError, "only Tensors of floating point and complex dtype can require "
                            "gradients"),
    ErrorCase(lambda lib: (lib.ones(2, requires_grad=True) * 2).requires_grad_(False),
              RuntimeError, "you can only change requires_grad flags of leaf variables"),
])
def test_requires_grad_errors(case, torch):
    check_error(case, torch)


# ---------------------------------------------------------------------- conversions
def test_numpy_shares_memory():
    tensor = ember.zeros(2, 3)
    array = tensor.numpy()
    array[0, 1] = 5.0
    assert tensor.tolist()[0][1] == 5.0
    tensor.detach().numpy()[1, 2] = 7.0
    assert array[1, 2] == 7.0
    transposed = ember.arange(6.0).reshape(2, 3).t()
    assert transposed.numpy().tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]


def test_numpy_of_a_tensor_requiring_grad(torch):
    check_error(ErrorCase(lambda lib: lib.ones(2, requires_grad=True).numpy(), RuntimeError,
                          r"Can't call numpy\(\) on Tensor that requires grad. Use "
                          r"tensor.detach\(\).numpy\(\) instead."), torch)
    assert ember.ones(2, requires_grad=True).numpy(force=True).tolist() == [1.0, 1.0]


def test_numpy_asarray():
    tensor = ember.tensor([1.0, 2.0])
    assert np.asarray(tensor).dtype == np.float32
    assert np.asarray(tensor, dtype=np.float64).tolist() == [1.0, 2.0]
    np.asarray(tensor)[0] = 3.0
    assert tensor.tolist() == [3.0, 2.0]


@pytest.mark.parametrize("make", [
    lambda lib: lib.tensor([1.5]).item, lambda lib: lib.tensor([[3]]).item,
    lambda lib: lib.tensor(True).item, lambda lib: lib.tensor(-3, dtype=lib.int8).item,
    lambda lib: lib.tensor(0.1, dtype=lib.float16).item,
    lambda lib: lib.tensor(200, dtype=lib.uint8).item,
    lambda lib: lib.tensor(1 + 2j).item, lambda lib: lib.ones(1, requires_grad=True).item,
    lambda lib: lib.tensor([1, 2], dtype=lib.float16).tolist,
    lambda lib: lib.tensor(2.5).tolist, lambda lib: lib.tensor([[True]]).tolist,
    lambda lib: lib.arange(6).reshape(2, 3).t().tolist,
    lambda lib: lib.ones(2, requires_grad=True).tolist, lambda lib: lib.ones(0, 2).tolist,
])
def test_item_and_tolist(make, torch):
    actual, expected = make(ember)(), make(torch)()
    assert actual == expected and type(actual) is type(expected)


def test_item_of_several_elements(torch):
    check_error(ErrorCase(lambda lib: lib.tensor([1.0, 2.0]).item(), RuntimeError,
                          "a Tensor with 2 elements cannot be converted to Scalar"), torch)


CASTS = ["float", "double", "half", "long", "int", "short", "char", "byte", "bool", "cfloat",
         "cdouble"]


@pytest.mark.parametrize("cast", CASTS)
def test_cast_methods(cast, torch):
    def make(lib):
        return getattr(lib.tensor([1.7, -1.2, 0.0, 300.0]), cast)()

    actual, expected = make(ember), make(torch)
    assert_same(actual, expected)


@pytest.mark.parametrize("make", [
    lambda lib: lib.ones(2).to(lib.float64), lambda lib: lib.ones(2).to("cpu", lib.int32),
    lambda lib: lib.ones(2).to(lib.ones(1, dtype=lib.int64)),
    lambda lib: lib.ones(2).to(dtype=lib.float16), lambda lib: lib.ones(2).to(device="cpu"),
    lambda lib: lib.ones(2).to(lib.device("cpu"), dtype=lib.float64),
    lambda lib: lib.ones(2).to("cpu", copy=True), lambda lib: lib.tensor([1.5]).to(lib.int64),
    lambda lib: lib.ones(2).type(lib.float64), lambda lib: lib.ones(2).type(lib.LongTensor),
    lambda lib: lib.ones(2).type(f"{lib.__name__}.DoubleTensor"),
    lambda lib: lib.ones(2).type(f"{lib.__name__}.IntTensor"),
    lambda lib: lib.ones(2).type_as(lib.ones(1, dtype=lib.int16)),
])
def test_to_and_type_conversions(make, torch):
    assert_same(make(ember), make(torch))


def test_to_returns_self_when_nothing_changes(torch):
    for lib in (ember, torch):
        tensor = lib.ones(2)
        assert tensor.to(lib.float32) is tensor and tensor.to("cpu") is tensor
        assert tensor.float() is tensor and tensor.cpu() is tensor
        assert tensor.to(lib.float32, copy=True) is not tensor
        assert tensor.to(tensor) is tensor


def test_type_names(torch):
    for name in ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8",
                 "bool", "complex64"):
        expected = torch.ones(1, dtype=getattr(torch, name)).type().replace("torch", "ember")
        assert ember.ones(1, dtype=getattr(ember, name)).type() == expected
    check_error(ErrorCase(lambda lib: lib.ones(2).type("Foo"), ValueError,
                          "invalid type: 'Foo'"), torch)
    check_error(ErrorCase(lambda lib: lib.ones(2).type("float64"), ValueError,
                          "invalid type"), torch)


def test_cast_is_differentiable():
    leaf = ember.ones(2, requires_grad=True)
    result = leaf.double()
    assert result.dtype is ember.float64 and result.requires_grad
    result.sum().backward()
    assert leaf.grad.dtype is ember.float32 and leaf.grad.tolist() == [1.0, 1.0]


def test_clone_detach_contiguous(torch):
    for lib in (ember, torch):
        leaf = lib.arange(6.0).reshape(2, 3).requires_grad_()
        clone = leaf.clone()
        assert clone.requires_grad and not clone.is_leaf and clone.tolist() == leaf.tolist()
        detached = leaf.detach()
        assert not detached.requires_grad
        with lib.no_grad():
            detached.mul_(2)
        assert leaf.tolist()[1] == [6.0, 8.0, 10.0]  # detach shares memory
        assert leaf.contiguous() is leaf
        transposed = leaf.t()
        contiguous = transposed.contiguous()
        assert contiguous.is_contiguous() and contiguous.stride() == (2, 1)
        assert contiguous.tolist() == transposed.tolist()
        assert contiguous.requires_grad


# ---------------------------------------------------------------------- Python protocols
PROTOCOLS = {
    "len": lambda lib: len(lib.ones(4, 2)),
    "len_0d": lambda lib: len(lib.tensor(1.0)),
    "bool_true": lambda lib: bool(lib.tensor([2.0])),
    "bool_false": lambda lib: bool(lib.tensor(0)),
    "bool_many": lambda lib: bool(lib.tensor([1.0, 2.0])),
    "bool_empty": lambda lib: bool(lib.tensor([])),
    "float": lambda lib: float(lib.tensor([2.5])),
    "float_many": lambda lib: float(lib.tensor([2.5, 1.0])),
    "int_truncates": lambda lib: int(lib.tensor(-2.7)),
    "int_many": lambda lib: int(lib.ones(2)),
    "complex": lambda lib: complex(lib.tensor(1 + 2j)),
    "index": lambda lib: operator.index(lib.tensor(3)),
    "index_bool": lambda lib: operator.index(lib.tensor(True)),
    "index_float": lambda lib: operator.index(lib.tensor(3.0)),
    "index_many": lambda lib: operator.index(lib.tensor([3, 4])),
    "list_index": lambda lib: [10, 20, 30][lib.tensor(1)],
    "range_index": lambda lib: list(range(lib.tensor(3))),
    "format": lambda lib: format(lib.tensor(2.345), ".2f"),
    "format_int": lambda lib: f"{lib.tensor(3):>4d}",
    "format_1d": lambda lib: format(lib.tensor([2.5, 1.0]), ".2f"),
    "format_1d_empty_spec": lambda lib: f"{lib.tensor([2.5, 1.0])}",
    "fstring": lambda lib: f"{lib.tensor(2.5)}",
    "iterate": lambda lib: [row.tolist() for row in lib.tensor([[1, 2], [3, 4]])],
    "iterate_0d": lambda lib: list(lib.tensor(1.0)),
    "unpack": lambda lib: [x.item() for x in lib.arange(3)],
    "contains": lambda lib: (2 in lib.tensor([1, 2]), 5 in lib.tensor([1, 2])),
    "contains_tensor": lambda lib: lib.tensor([1, 2]) in lib.tensor([[1, 2], [3, 4]]),
    "contains_string": lambda lib: "a" in lib.tensor([1, 2]),
    "is_tensor": lambda lib: (lib.is_tensor(lib.ones(1)), lib.is_tensor(np.ones(1))),
    "numel": lambda lib: lib.numel(lib.ones(2, 3)),
}


@pytest.mark.parametrize("name", PROTOCOLS)
def test_python_protocols(name, torch):
    def run(lib):
        try:
            return PROTOCOLS[name](lib)
        except Exception as error:  # the type and message are the result to compare
            return type(error), str(error).split(" (")[0]

    assert run(ember) == run(torch)


def test_protocol_messages():
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value "
                                           "is ambiguous"):
        bool(ember.ones(2))
    with pytest.raises(ValueError, match="only one element tensors can be converted to Python "
                                         "scalars"):
        float(ember.ones(2))
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(ember.tensor(1.0))


# ---------------------------------------------------------------------- copying and pickling
def test_deepcopy(torch):
    for lib in (ember, torch):
        leaf = lib.ones(2, requires_grad=True)
        leaf.grad = lib.full((2,), 3.0)
        copied = copy.deepcopy(leaf)
        assert copied is not leaf and copied.requires_grad and copied.is_leaf
        assert copied.grad.tolist() == [3.0, 3.0] and copied.grad is not leaf.grad
        with lib.no_grad():
            copied.add_(1)
        assert leaf.tolist() == [1.0, 1.0]
        shared = [leaf, leaf]
        first, second = copy.deepcopy(shared)
        assert first is second
    check_error(ErrorCase(lambda lib: copy.deepcopy(lib.ones(2, requires_grad=True) * 2),
                          RuntimeError, "Only Tensors created explicitly by the user"), torch)


@pytest.mark.parametrize("make", [
    lambda lib: lib.ones(2, dtype=lib.int32), lambda lib: lib.arange(6.0).reshape(2, 3).t(),
    lambda lib: lib.tensor(1.5, dtype=lib.float64), lambda lib: lib.ones(0, 3),
    lambda lib: lib.ones(2, requires_grad=True),
])
def test_pickle_round_trip(make, torch):
    actual, expected = (pickle.loads(pickle.dumps(make(lib))) for lib in (ember, torch))
    assert_same(actual, expected)
    assert actual.stride() == expected.stride()
    assert actual.requires_grad == expected.requires_grad and actual.is_leaf


# ---------------------------------------------------------------------- ember.Size
def test_size(torch):
    size = ember.Size([2, 3])
    assert repr(size) == "ember.Size([2, 3])" == repr(torch.Size([2, 3])).replace("torch",
                                                                                  "ember")
    assert size == (2, 3) and size != [2, 3] and hash(size) == hash((2, 3))
    assert isinstance(size[1:], ember.Size) and size[1:] == (3,) and size[0] == 2
    assert size.numel() == 6 and ember.Size([]).numel() == 1 and ember.Size().numel() == 1
    assert isinstance(size + (4,), ember.Size) and isinstance((4,) + size, ember.Size)
    assert isinstance(size * 2, ember.Size) and size * 2 == (2, 3, 2, 3)
    assert ember.Size([ember.tensor(3), np.int64(2)]) == (3, 2)
    assert pickle.loads(pickle.dumps(size)) == size
    assert type(pickle.loads(pickle.dumps(size))) is ember.Size
    assert ember.ones(2, 3).shape == size and ember.ones(2, 3).size() == size


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.Size([2.5]), TypeError, "takes an iterable of 'int'"),
    ErrorCase(lambda lib: lib.Size([2]) + [3], TypeError),
])
def test_size_errors(case, torch):
    check_error(case, torch)
