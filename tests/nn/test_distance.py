"""cosine_similarity, pairwise_distance, pdist and their layers against PyTorch."""

import numpy as np
import pytest

import ember
from tests.module_db import ModuleSpec, make_module_tests
from tests.op_db import ErrorCase, OpSpec, make_tests


def _cos(**kwargs):
    return lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, **kwargs)


def _pairwise(**kwargs):
    return lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, **kwargs)


def _pdist(*args):
    return lambda lib, a: lib.nn.functional.pdist(a, *args)


def _tiny_rows(rng, dtype, shapes):
    """Rows with norms below ``eps``: the clamp changes the value, not the gradient path."""
    first = rng.uniform(-1, 1, shapes[0]).astype(dtype)
    first[0] *= 1e-9
    return [first, rng.uniform(-1, 1, shapes[1]).astype(dtype)]


def _with_equal_rows(rng, dtype, shapes):
    rows = rng.uniform(-1, 1, shapes[0]).astype(dtype)
    rows[2] = rows[0]
    return [rows]


PAIRS = [((4, 5), (4, 5)), ((2, 1, 5), (3, 5)), ((5,), (3, 5))]

OP_SPECS = [
    OpSpec("cosine_similarity", _cos(), PAIRS[:2] + [((3, 5), (3, 5))],
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.cosine_similarity(lib.randn(2, 3),
                                                                         lib.randn(2, 4)),
                         RuntimeError, r"The size of tensor a \(3\) must match the size of "
                                       r"tensor b \(4\) at non-singleton dimension 1"),
               ErrorCase(lambda lib: lib.nn.functional.cosine_similarity(lib.randn(2, 3),
                                                                         lib.randn(2, 3), dim=2),
                         IndexError, "Dimension out of range"),
               ErrorCase(lambda lib: lib.nn.functional.cosine_similarity(
                   lib.ones(2, 3, dtype=lib.int64), lib.ones(2, 3, dtype=lib.int64)),
                   RuntimeError, "expected common dtype to be floating point, yet common dtype "
                                 "is Long")]),
    OpSpec("cosine_similarity_dim0", _cos(dim=0), [((5,), (5,)), ((3, 4), (3, 1))]),
    OpSpec("cosine_similarity_last", _cos(dim=-1, eps=1e-3), PAIRS),
    # the clamp is left out of the gradient (as in PyTorch), so no gradcheck: float32 only
    OpSpec("cosine_similarity_tiny", _cos(dim=1), [((3, 4), (3, 4))], inputs=_tiny_rows,
           dtypes=("float32",)),
    OpSpec("pairwise_distance", _pairwise(), PAIRS + [((5,), (5,))],
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.pairwise_distance(lib.randn(2, 3),
                                                                         lib.randn(2, 4)),
                         RuntimeError, r"The size of tensor a \(3\) must match")]),
    OpSpec("pairwise_distance_p1_keepdim", _pairwise(p=1.0, keepdim=True), PAIRS),
    OpSpec("pairwise_distance_p3", _pairwise(p=3.0, eps=1e-3), PAIRS[:1]),
    OpSpec("pairwise_distance_inf", _pairwise(p=float("inf")), PAIRS[:1], gradgrad=False),
    OpSpec("pairwise_distance_int", _pairwise(), PAIRS[:1], dtypes=("int64",), grad=False),
    OpSpec("pdist", _pdist(), [((4, 3),), ((1, 3),), ((5, 1),)],
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.pdist(lib.randn(2, 3, 4)), RuntimeError,
                         "pdist only supports 2D tensors, got: 3D"),
               ErrorCase(lambda lib: lib.nn.functional.pdist(lib.randn(2, 3), -1),
                         RuntimeError, "pdist only supports non-negative p values"),
               ErrorCase(lambda lib: lib.nn.functional.pdist(lib.ones(2, 3, dtype=lib.int64)),
                         RuntimeError, "pdist only supports floating-point dtypes")]),
    OpSpec("pdist_p1", _pdist(1.0), [((4, 3),)], gradgrad=False),
    OpSpec("pdist_p3", _pdist(3), [((4, 3),)]),
    OpSpec("pdist_inf", _pdist(float("inf")), [((4, 3),)], gradgrad=False),
    OpSpec("pdist_equal_rows", _pdist(), [((4, 3),)], inputs=_with_equal_rows, grad=False),
]

make_tests(globals(), OP_SPECS)

MODULE_SPECS = [
    ModuleSpec("CosineSimilarity", lambda lib: lib.nn.CosineSimilarity(), [(4, 5), (4, 5)]),
    ModuleSpec("CosineSimilarity_dim0", lambda lib: lib.nn.CosineSimilarity(0, 1e-6),
               [(4, 5), (4, 1)]),
    ModuleSpec("PairwiseDistance", lambda lib: lib.nn.PairwiseDistance(), [(4, 5), (4, 5)]),
    ModuleSpec("PairwiseDistance_p1", lambda lib: lib.nn.PairwiseDistance(1.0, 1e-5, True),
               [(4, 5), (5,)]),
]

make_module_tests(globals(), MODULE_SPECS)


@pytest.mark.parametrize("name,args", [("CosineSimilarity", ()), ("CosineSimilarity", (0, 1e-6)),
                                       ("PairwiseDistance", ()),
                                       ("PairwiseDistance", (1.0, 1e-5, True))])
def test_repr(name, args, torch):
    assert repr(getattr(ember.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


def test_pdist_equal_rows_gradient_is_zero_there(torch):
    """A zero distance gives a zero gradient (not NaN), as in PyTorch."""
    rows = np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0]])
    grads = []
    for lib in (torch, ember):
        x = lib.tensor(rows, requires_grad=True)
        lib.nn.functional.pdist(x).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12)
    assert np.isfinite(grads[1]).all()


def test_cosine_similarity_stays_within_bounds():
    x = ember.tensor([[1e20, 1e20], [1e-30, 0.0]], dtype=ember.float64)
    similarity = ember.nn.functional.cosine_similarity(x, x)
    assert (similarity.abs() <= 1).all()


def test_cosine_similarity_tiny_norm_gradient(torch):
    """Below ``eps`` the value uses the clamped norm, the gradient the unclamped one."""
    arrays = _tiny_rows(np.random.default_rng(0), "float64", [(3, 4), (3, 4)])
    grads = []
    for lib in (torch, ember):
        x1, x2 = (lib.tensor(a, requires_grad=True) for a in arrays)
        lib.nn.functional.cosine_similarity(x1, x2).sum().backward()
        grads.append((x1.grad.numpy(), x2.grad.numpy()))
    for actual, expected in zip(grads[1], grads[0]):
        np.testing.assert_allclose(actual, expected, rtol=1e-10)
