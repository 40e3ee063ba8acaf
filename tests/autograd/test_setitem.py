"""In-place writes and autograd: ``t[index] = value``, in-place ops on views, version counters
and the errors PyTorch raises, each compared with PyTorch running the same code."""

import numpy as np
import pytest

import ember

X = np.random.default_rng(0).standard_normal((3, 4))
V = np.random.default_rng(1).standard_normal(4)


def _run(lib, body):
    """Runs ``body(lib, x, v)`` on a leaf ``x`` (3, 4) and a leaf ``v`` (4,) that require grad;
    returns the output, the gradients of ``x`` and ``v`` for a fixed seed, and the output's
    node name."""
    x = lib.tensor(X, requires_grad=True)
    v = lib.tensor(V, requires_grad=True)
    out = body(lib, x, v)
    seed = lib.tensor(np.arange(1.0, out.numel() + 1).reshape(tuple(out.shape)))
    out.backward(seed)
    grads = [None if t.grad is None else t.grad.numpy() for t in (x, v)]
    return out.detach().numpy(), grads, out.grad_fn.name()


def _compare(torch, body, check_name=True):
    out, grads, name = _run(ember, body)
    expected_out, expected_grads, expected_name = _run(torch, body)
    np.testing.assert_allclose(out, expected_out, rtol=1e-12)
    for grad, expected in zip(grads, expected_grads):
        if expected is None:
            assert grad is None or not grad.any()
        else:
            np.testing.assert_allclose(grad, expected, rtol=1e-12)
    if check_name:
        assert name == expected_name.replace("torch::autograd::", "")


def _write_row(lib, x, v):
    y = x * 1
    y[0] = v
    return y


def _mul_column(lib, x, v):
    y = x * 2
    y[:, 1].mul_(2)
    return y


def _mask_zero(lib, x, v):
    y = x * 1
    y[y > 0] = 0
    return y


def _duplicates(lib, x, v):
    y = x * 1
    y[[0, 0, 2]] = v * 3
    return y


def _duplicates_accumulate(lib, x, v):
    y = x * 1
    y.index_put_((lib.tensor([0, 0, 2]), lib.tensor([1, 1, 3])), v[:3], accumulate=True)
    return y


def _value_into_zeros(lib, x, v):
    y = lib.zeros(3, 4, dtype=lib.float64)
    y[1:, 2] = v[:2]
    return y * x


def _write_through_views(lib, x, v):
    y = x * 1
    column = y.t()[1]
    column[1:] = v[:2]
    y[2, [0, 3]] = v[2:] ** 2
    return y


def _write_into_view_of_view(lib, x, v):
    y = x * 1
    rows = y[1:]
    rows[0, 1:3] = v[1:3]
    return rows * 1


def _inplace_ops_on_views(lib, x, v):
    y = x * 2
    y[0].add_(v)
    y[1:].mul_(x[1:])
    y[:, 2].zero_()
    return y * y


def _setitem_then_saved_output(lib, x, v):
    y = x * 1
    y[1] = v
    return y.exp()


def _masked_fill_inplace(lib, x, v):
    y = x * 1
    y.masked_fill_(x < 0, 0.0)
    return y + v


def _chained_writes(lib, x, v):
    y = x * 1
    y[0] = 5.0
    y[0, 1] = v[0]
    y[..., 3] = v[:3] * v[:3]
    return y


@pytest.mark.parametrize("body", [
    _write_row, _mul_column, _mask_zero, _duplicates, _duplicates_accumulate, _value_into_zeros,
    _write_through_views, _write_into_view_of_view, _inplace_ops_on_views,
    _setitem_then_saved_output, _masked_fill_inplace, _chained_writes,
], ids=lambda body: body.__name__.strip("_"))
def test_matches_torch(torch, body):
    _compare(torch, body)


def test_write_row_gradients_by_hand():
    x = ember.ones(2, 3, requires_grad=True)
    v = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y[0] = v * 10
    (y * ember.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    assert x.grad.tolist() == [[0, 0, 0], [8, 10, 12]]
    assert v.grad.tolist() == [10, 20, 30]
    assert y.grad_fn.name() == "CopySlices"


def test_double_backward_through_setitem(torch):
    results = []
    for lib in (ember, torch):
        x = lib.tensor(X, requires_grad=True)
        y = x * x
        y[1] = x[0] ** 3
        (grad,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (second,) = lib.autograd.grad((grad * grad).sum(), x)
        results.append((grad.detach().numpy(), second.numpy()))
    for actual, expected in zip(*results):
        np.testing.assert_allclose(actual, expected, rtol=1e-12)


@pytest.mark.parametrize("write, message", [
    (lambda x: x.__setitem__([0], 1.0), "a leaf Variable that requires grad is being used in an "
                                        "in-place operation."),
    (lambda x: x.fill_(1.0), "a leaf Variable that requires grad"),
    (lambda x: x.zero_(), "a leaf Variable that requires grad"),
    (lambda x: x.copy_(x.detach()), "a leaf Variable that requires grad"),
    (lambda x: x.__setitem__(0, 1.0), "a view of a leaf Variable that requires grad is being "
                                      "used in an in-place operation."),
    (lambda x: x[1:].fill_(0.0), "a view of a leaf Variable that requires grad"),
    (lambda x: x.t()[0].mul_(2), "a view of a leaf Variable that requires grad"),
])
def test_writing_into_a_leaf_raises(torch, write, message):
    for lib in (ember, torch):
        x = lib.ones(3, 4, requires_grad=True)
        with pytest.raises(RuntimeError, match=message):
            write(x)
        assert x._version == 0


def test_writing_into_a_leaf_without_grad_mode(torch):
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            x[0] = 5.0
            x[[1]] = 6.0
        assert x.tolist() == [5.0, 6.0, 1.0] and x.is_leaf and x.grad_fn is None
        assert x._version == 2


_WRITES = [  # (write(lib, x, view), versions of x and of its view afterwards)
    (lambda lib, x, view: x.__setitem__(0, 1.0), 1),
    (lambda lib, x, view: x.__setitem__(x > 0, 2.0), 2),
    (lambda lib, x, view: view.fill_(3.0), 3),
    (lambda lib, x, view: view.zero_(), 4),
    (lambda lib, x, view: x.copy_(lib.ones(4)), 5),
    (lambda lib, x, view: x[0].mul_(2), 6),
    (lambda lib, x, view: x.index_put_((lib.tensor([0]),), lib.tensor(1.0)), 7),
    (lambda lib, x, view: x.masked_fill_(x > 1, 0.0), 8),
    (lambda lib, x, view: x.clone().fill_(9.0), 8),
]


def test_version_counter(torch):
    for lib in (ember, torch):
        x = lib.zeros(3, 4)
        view = x[1:]
        for write, version in _WRITES:
            write(lib, x, view)
            assert x._version == view._version == version, lib.__name__


@pytest.mark.parametrize("modify", [
    lambda a: a.__setitem__(0, 1.0), lambda a: a.__setitem__([0], 1.0), lambda a: a.zero_(),
    lambda a: a[1:].fill_(2.0), lambda a: a.copy_(a.detach() * 2),
])
def test_saved_tensor_modified_in_place_raises(torch, modify):
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        a = x * 2
        b = a * a  # saves a
        modify(a)
        with pytest.raises(RuntimeError, match="one of the variables needed for gradient "
                                               "computation has been modified by an inplace "
                                               "operation"):
            b.sum().backward()


def test_result_saved_by_its_own_write_is_protected(torch):
    # mul_ saves the pre-write input; the write must not corrupt what backward reads
    results = []
    for lib in (ember, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        y[1:].mul_(y[1:].detach() + 1)
        y.sum().backward()
        results.append(x.grad.tolist())
    assert results[0] == results[1]


def test_views_share_memory(torch):
    for lib in (ember, torch):
        x = lib.tensor([1.0, 2.0, 3.0])
        v = x[1:]
        v.fill_(0.0)
        assert x.tolist() == [1.0, 0.0, 0.0]
        x[0] = 7.0
        row = x[None][0]
        row[2] = 4.0
        assert x.tolist() == [7.0, 0.0, 4.0] and v.tolist() == [0.0, 4.0]
        assert x[[0, 1]]._base is None  # advanced indexing copies
        copy = x[[0, 1]]
        copy.fill_(-1.0)
        assert x.tolist() == [7.0, 0.0, 4.0]


@pytest.mark.parametrize("use", [lambda rows: rows * 1, lambda rows: rows])
def test_view_sees_write_made_through_its_base(torch, use):
    # the view's history is re-derived after its base was rebased by a write elsewhere, both
    # when the view feeds an op and when it is the output itself
    def body(lib, x, v):
        y = x * 1
        rows = y[:2]
        y[1] = v
        return use(rows)

    _compare(torch, body, check_name=False)  # PyTorch names the re-derived view AsStrided


def test_write_value_without_grad_into_tensor_with_grad(torch):
    def body(lib, x, v):
        y = x * 3
        y[1, 1:3] = lib.tensor([5.0, 6.0], dtype=lib.float64)
        return y

    _compare(torch, body)


def test_value_requires_grad_target_does_not(torch):
    for lib in (ember, torch):
        v = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.zeros(3)
        y[1:] = v
        assert y.requires_grad and not y.is_leaf
        (y * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        assert v.grad.tolist() == [2.0, 3.0]
