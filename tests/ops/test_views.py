"""View ops: values, gradients, memory sharing and PyTorch's errors."""

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

SPECS = [
    OpSpec("view", lambda lib, a: a.view(4, 3), [((3, 4),)], noncontiguous=False,
           error_cases=[
               ErrorCase(lambda lib: lib.ones(2, 3).view(4), RuntimeError,
                         r"shape '\[4\]' is invalid for input of size 6"),
               ErrorCase(lambda lib: lib.ones(2, 3).t().view(6), RuntimeError,
                         "view size is not compatible with input tensor's size and stride"),
               ErrorCase(lambda lib: lib.ones(2, 3).view(-1, -1), RuntimeError,
                         "only one dimension can be inferred")]),
    OpSpec("view_infer", lambda lib, a: a.view(-1, 2), [((3, 4),), ((2, 3, 2),)],
           noncontiguous=False),
    OpSpec("reshape", lambda lib, a: a.reshape(2, -1), [((3, 4),), ((2, 3, 2),)]),
    OpSpec("reshape_scalar", lambda lib, a: a.reshape(1, 1), [((),)]),
    OpSpec("flatten", lambda lib, a: a.flatten(), [((2, 3, 4),), ((),)]),
    OpSpec("flatten_range", lambda lib, a: lib.flatten(a, 1, 2), [((2, 3, 4, 2),)]),
    OpSpec("unflatten", lambda lib, a: a.unflatten(1, (2, -1)), [((3, 4),)]),
    OpSpec("permute", lambda lib, a: a.permute(2, 0, 1), [((2, 3, 4),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(2, 3).permute(0), RuntimeError)]),
    OpSpec("transpose", lambda lib, a: a.transpose(0, -1), [((2, 3, 4),), ((3, 4),)]),
    OpSpec("t", lambda lib, a: a.t(), [((3, 4),), ((3,),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(2, 3, 4).t(), RuntimeError,
                                  "expects a tensor with <= 2 dimensions")]),
    OpSpec("T_mT", lambda lib, a: (a.T, a.mT), [((2, 3, 4),)]),
    OpSpec("squeeze", lambda lib, a: (a.squeeze(), a.squeeze(1), a.squeeze((0, 1))),
           [((1, 1, 3),)]),
    OpSpec("unsqueeze", lambda lib, a: (a.unsqueeze(0), a.unsqueeze(-1)), [((3, 4),), ((),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(2, 3).unsqueeze(3), IndexError,
                                  "Dimension out of range")]),
    OpSpec("expand", lambda lib, a: a.expand(2, 3, 4), [((3, 1),), ((1, 4),), ((),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(3).expand(4), RuntimeError,
                                  r"The expanded size of the tensor \(4\) must match the "
                                  r"existing size \(3\)")]),
    OpSpec("expand_keep", lambda lib, a: a.expand(-1, 4), [((3, 1),)]),
    OpSpec("expand_as", lambda lib, a, b: a.expand_as(b), [((3, 1), (3, 4))],
           differentiable=(0,)),
    OpSpec("narrow", lambda lib, a: a.narrow(1, 1, 2), [((3, 4),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(3).narrow(0, 2, 2), RuntimeError)]),
    OpSpec("select", lambda lib, a: a.select(1, -1), [((3, 4),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(3).select(0, 3), IndexError)]),
    OpSpec("unfold", lambda lib, a: a.unfold(1, 2, 1), [((3, 5),)]),
    OpSpec("unfold_step", lambda lib, a: a.unfold(0, 3, 2), [((7, 2),), ((7,),)]),
    OpSpec("movedim", lambda lib, a: lib.movedim(a, 0, -1), [((2, 3, 4),)]),
    OpSpec("swapaxes", lambda lib, a: a.swapaxes(0, 1), [((3, 4),)]),
    OpSpec("as_strided", lambda lib, a: a.contiguous().as_strided((2, 2), (1, 2)), [((3, 4),)]),
]

make_tests(globals(), SPECS)


def test_views_share_memory_and_version():
    x = ember.zeros(2, 3)
    for view in (x.view(6), x.t(), x.reshape(3, 2), x.unsqueeze(0), x[0], x.narrow(1, 0, 2),
                 x.expand(2, 2, 3), x.unfold(1, 2, 1), x.permute(1, 0), x.flatten()):
        assert view._base is x and view.data_ptr() >= x.data_ptr()
    v = x.view(6)
    v.add_(1)
    assert x.tolist() == [[1.0] * 3] * 2 and x._version == 1


def test_strides_and_offsets_match_pytorch(torch):
    def layout(lib):
        x = lib.arange(24).reshape(2, 3, 4)
        views = [x.t() if x.dim() == 2 else x.transpose(0, 2), x[1], x[:, 1:, ::2],
                 x.narrow(2, 1, 2), x.unsqueeze(1), x.expand(5, 2, 3, 4), x.unfold(2, 2, 1),
                 x.permute(1, 2, 0), x[0].t()]
        return [(tuple(v.shape), v.stride(), v.storage_offset(), v.is_contiguous())
                for v in views]

    assert layout(ember) == layout(torch)


def test_reshape_copies_only_when_it_must():
    x = ember.zeros(2, 3)
    assert x.t().reshape(6)._base is None
    assert x.reshape(3, 2)._base is x
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        x.t().view(6)


def test_writing_through_an_expanded_view_raises():
    x = ember.zeros(3, 1).expand(3, 4)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x.add_(1)


def test_view_of_leaf_inplace_raises_and_non_leaf_view_records(torch):
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x.view(3).mul_(2)

    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 1
        v = y.view(2, 2)
        v[0].mul_(3)
        w = y.narrow(0, 1, 3)
        (w * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        return x.grad.tolist()

    assert run(ember) == run(torch)


def test_stale_view_history_is_regenerated(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 1
        v = y.narrow(0, 1, 3)
        w = y.narrow(0, 0, 2)
        y.narrow(0, 0, 1).mul_(x.narrow(0, 3, 1))
        v.mul_(3)
        (w * lib.tensor([1.0, 5.0])).sum().backward()
        return x.grad.tolist()

    assert run(ember) == run(torch)


def test_numpy_view_round_trip():
    array = np.arange(6.0).reshape(2, 3)
    t = ember.from_numpy(array)
    t.t()[0, 1] = 10
    assert array[1, 0] == 10
