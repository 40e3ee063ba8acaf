"""Sorting, selection, unique and search ops, through the generic op checks."""

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

# PyTorch warns that searchsorted copies non-contiguous values; they are tested on purpose
pytestmark = pytest.mark.filterwarnings("ignore:.*input value tensor is non-contiguous")

ALL = ("float64", "float32", "int64")
SHAPES = [((3, 5),), ((),), ((0, 3),), ((2, 3, 4),)]


def _flat(*results):
    """One flat tuple from several tuple results (the harness compares its elements)."""
    return tuple(t for r in results for t in (_flat(*r) if isinstance(r, tuple) else (r,)))


def _with_specials(rng, dtype, shapes):
    """Values with NaN, infinities and repeats, to pin down the order of ties and NaN."""
    specials = np.array([np.nan, np.inf, -np.inf, 1.0, 1.0, 0.0, -0.0, np.nan])
    return [rng.choice(np.concatenate([specials, rng.uniform(-2, 2, 8)]), size=shape)
            .astype(dtype) for shape in shapes]


def _duplicates(rng, dtype, shapes):
    """Few distinct values, so that unique finds repeats."""
    return [rng.integers(-2, 3, size=shape).astype(dtype) for shape in shapes]


def _sorted_boundaries(rng, dtype, shapes):
    boundaries_shape, values_shape = shapes
    boundaries = np.sort(rng.integers(-4, 5, size=boundaries_shape), axis=-1).astype(dtype)
    values = rng.integers(-5, 6, size=values_shape).astype(dtype) / 2
    return [boundaries, values.astype(dtype)]


def _counts(rng, dtype, shapes):
    (shape,) = shapes
    return [rng.integers(0, 6, size=shape), rng.uniform(-1, 1, size=shape).astype(dtype)]


def _histogram_values(rng, dtype, shapes):
    # quarter steps land exactly on bin edges, where the bin arithmetic must match PyTorch's
    return [(rng.integers(-9, 9, size=shape) / 4).astype(dtype) for shape in shapes]


SPECS = [
    # ------------------------------------------------------------------ sorting
    OpSpec("sort", lambda lib, a: (a.sort(), lib.sort(a, dim=0), lib.sort(a, 0, True),
                                   a.sort(descending=True, stable=True)),
           SHAPES, dtypes=("float64", "float32"),
           error_cases=[
               ErrorCase(lambda lib: lib.ones(3).sort(dim=1), IndexError,
                         "Dimension out of range"),
               ErrorCase(lambda lib: lib.tensor([1 + 1j]).sort(), RuntimeError,
                         "does not support complex"),
           ]),
    OpSpec("sort_ties", lambda lib, a: (lib.sort(a, stable=True),
                                        a.sort(dim=0, descending=True, stable=True),
                                        lib.sort(a > 0, stable=True, dim=-1)),
           [((4, 6),), ((7,),)], dtypes=("int64", "float64"), inputs=_duplicates, grad=False),
    OpSpec("sort_nan", lambda lib, a: (lib.sort(a, stable=True),
                                       lib.sort(a, descending=True, stable=True)),
           [((16,),), ((3, 8),)], inputs=_with_specials, grad=False),
    OpSpec("argsort", lambda lib, a: (a.argsort(), lib.argsort(a, dim=0, descending=True),
                                      lib.argsort(a, stable=True)),
           SHAPES, dtypes=ALL, domain=(-100, 100), grad=False),
    OpSpec("msort", lambda lib, a: lib.msort(a), SHAPES, domain=(-100, 100)),
    OpSpec("topk", lambda lib, a: (a.topk(2), lib.topk(a, 2, dim=0, largest=False),
                                   lib.topk(a, 1, -1, True, True), a.topk(0)),
           [((3, 5),), ((2, 3, 4),)],
           error_cases=[
               ErrorCase(lambda lib: lib.ones(3).topk(4), RuntimeError,
                         "selected index k out of range"),
               ErrorCase(lambda lib: lib.ones(3).topk(-1), RuntimeError,
                         "selected index k out of range"),
               ErrorCase(lambda lib: lib.ones(()).topk(2), RuntimeError,
                         "selected index k out of range"),
           ]),
    OpSpec("topk_empty", lambda lib, a: (a.topk(2), a.topk(0, dim=0)), [((0, 3),)]),
    OpSpec("topk_0d", lambda lib, a: (a.topk(1), a.topk(0)), [((),)]),
    OpSpec("topk_values", lambda lib, a: (a.topk(3).values, a.topk(2, 0, largest=False).values),
           [((4, 6),)], dtypes=("int64",), inputs=_duplicates),
    OpSpec("topk_nan", lambda lib, a: (a.topk(4).values, a.topk(4, largest=False).values),
           [((16,),)], inputs=_with_specials, grad=False),
    OpSpec("kthvalue", lambda lib, a: (a.kthvalue(2), lib.kthvalue(a, 1, 0, keepdim=True),
                                       lib.kthvalue(a, 3, dim=-1, keepdim=False)),
           [((3, 5),), ((2, 3, 4),)],
           error_cases=[
               ErrorCase(lambda lib: lib.ones(3).kthvalue(4), RuntimeError,
                         "kthvalue\\(\\): selected number k out of range for dimension 0"),
               ErrorCase(lambda lib: lib.ones(3).kthvalue(0), RuntimeError, "out of range"),
               ErrorCase(lambda lib: lib.ones(3, 0).kthvalue(1), IndexError,
                         "Expected reduction dim 1 to have non-zero size"),
           ]),
    OpSpec("kthvalue_0d", lambda lib, a: (a.kthvalue(1), lib.kthvalue(a, 1, keepdim=True)),
           [((),)]),
    OpSpec("kthvalue_values", lambda lib, a: (a.kthvalue(3).values, a.kthvalue(2, 0).values),
           [((4, 6),)], dtypes=("int64",), inputs=_duplicates),
    # ------------------------------------------------------------------ unique
    OpSpec("unique", lambda lib, a: _flat(lib.unique(a), a.unique(return_inverse=True),
                                     lib.unique(a, return_counts=True),
                                     lib.unique(a, sorted=False, return_inverse=True,
                                                return_counts=True)),
           [((4, 6),), ((),), ((0,),)], dtypes=ALL, inputs=_duplicates, grad=False),
    OpSpec("unique_nan", lambda lib, a: lib.unique(a, return_inverse=True, return_counts=True),
           [((16,),)], inputs=_with_specials, grad=False),
    OpSpec("unique_dim", lambda lib, a: _flat(lib.unique(a, dim=0, return_inverse=True,
                                                    return_counts=True),
                                         a.unique(dim=-1, return_inverse=True),
                                         lib.unique(a, dim=1)),
           [((6, 2, 3),), ((2, 5, 1),)], dtypes=ALL,
           inputs=lambda rng, dtype, shapes: [rng.integers(0, 2, size=s).astype(dtype)
                                              for s in shapes], grad=False,
           error_cases=[
               ErrorCase(lambda lib: lib.unique(lib.ones(3), dim=2), IndexError,
                         "Dimension out of range"),
               ErrorCase(lambda lib: lib.unique(lib.ones(3, 0), dim=0), RuntimeError,
                         "There are 0 sized dimensions, and they aren't selected"),
               ErrorCase(lambda lib: lib.unique(lib.ones(()), dim=0), IndexError,
                         "Dimension specified as 0 but tensor has no dimensions"),
           ]),
    OpSpec("unique_dim_empty", lambda lib, a: _flat(lib.unique(a, dim=0, return_inverse=True,
                                                               return_counts=True),
                                               lib.unique_consecutive(a, dim=0)),
           [((0, 3, 2),)], dtypes=ALL, grad=False),
    OpSpec("unique_consecutive",
           lambda lib, a: _flat(lib.unique_consecutive(a),
                                a.unique_consecutive(return_inverse=True),
                                lib.unique_consecutive(a, return_inverse=True, return_counts=True,
                                                       dim=0), lib.unique_consecutive(a, dim=1)),
           [((8, 2),), ((5, 2),)], dtypes=ALL,
           inputs=lambda rng, dtype, shapes: [np.repeat(rng.integers(0, 2, size=(4, 2)), 2, 0)
                                              [:s[0]].astype(dtype) for s in shapes],
           grad=False, noncontiguous=False),
    OpSpec("unique_consecutive_nan",
           lambda lib, a: lib.unique_consecutive(a, return_inverse=True, return_counts=True),
           [((16,),), ((),)], inputs=_with_specials, grad=False),
    # ------------------------------------------------------------------ searching, counting
    OpSpec("searchsorted",
           lambda lib, s, v: (lib.searchsorted(s, v), lib.searchsorted(s, v, right=True),
                              lib.searchsorted(s, v, side="right", out_int32=True),
                              lib.searchsorted(s, v, side="left")),
           [((9,), (4, 5)), ((3, 7), (3, 4)), ((2, 3, 5), (2, 3, 2)), ((4,), ()),
            ((3, 4), (3, 0))],
           dtypes=ALL, inputs=_sorted_boundaries, grad=False, noncontiguous=False,
           error_cases=[
               ErrorCase(lambda lib: lib.searchsorted(lib.ones(3), lib.ones(2), side="left",
                                                      right=True), RuntimeError,
                         "side and right can't be set to opposites"),
               ErrorCase(lambda lib: lib.searchsorted(lib.ones(3), lib.ones(2), side="foo"),
                         RuntimeError, "side can only be 'left' or 'right' but got foo"),
               ErrorCase(lambda lib: lib.searchsorted(lib.ones(2, 3), lib.ones(1, 2)),
                         RuntimeError, "first N-1 dimensions of boundaries tensor and input "
                         "value tensor must match"),
               ErrorCase(lambda lib: lib.searchsorted(lib.ones(2, 3), 3), RuntimeError,
                         "input value can be a scalar only when boundaries tensor dimension is "
                         "1"),
               ErrorCase(lambda lib: lib.searchsorted(lib.tensor(5.), lib.ones(2)),
                         RuntimeError, "boundaries tensor should have positive dimension"),
               ErrorCase(lambda lib: lib.searchsorted(lib.ones(2), lib.ones(2),
                                                      sorter=lib.tensor([0])),
                         RuntimeError, "boundary and sorter must have the same size"),
               ErrorCase(lambda lib: lib.searchsorted(lib.ones(2), lib.ones(2),
                                                      sorter=lib.tensor([0., 1.])),
                         RuntimeError, "sorter must be a tensor of long dtype but got dtype "
                         "Float"),
           ]),
    OpSpec("searchsorted_mixed",
           lambda lib, s, v: (lib.searchsorted(s.long(), v), lib.searchsorted(s, v.long()),
                              lib.searchsorted(s, 1), lib.searchsorted(s, 0.5, right=True)),
           [((9,), (4, 5))], dtypes=("float64", "float32"), inputs=_sorted_boundaries,
           grad=False),
    OpSpec("searchsorted_sorter",
           lambda lib, s, v: lib.searchsorted(s, v, sorter=s.argsort(stable=True)),
           [((9,), (6,)), ((2, 7), (2, 5))],
           inputs=lambda rng, dtype, shapes: [rng.integers(-4, 5, size=shapes[0]).astype(dtype),
                                              rng.integers(-5, 6, size=shapes[1]).astype(dtype)],
           grad=False, noncontiguous=False),
    OpSpec("searchsorted_nan", lambda lib, s, v: lib.searchsorted(s, v),
           [((5,), (16,))], inputs=lambda rng, dtype, shapes: [
               np.array([-np.inf, -1.0, 0.0, 1.0, np.inf]).astype(dtype),
               _with_specials(rng, dtype, shapes[1:])[0]], grad=False),
    OpSpec("bucketize",
           lambda lib, b, v: (lib.bucketize(v, b), lib.bucketize(v, b, right=True),
                              lib.bucketize(v, b, out_int32=True), lib.bucketize(2, b)),
           [((9,), (4, 5)), ((4,), ())], dtypes=ALL, inputs=_sorted_boundaries, grad=False,
           error_cases=[ErrorCase(lambda lib: lib.bucketize(lib.ones(3), lib.ones(1, 5)),
                                  RuntimeError,
                                  r"boundaries tensor must be 1 dimension, but got dim\(2\)")]),
    OpSpec("bincount",
           lambda lib, a, w: (lib.bincount(a), a.bincount(minlength=9), a.bincount(w),
                              lib.bincount(a, w.double(), 2), lib.bincount(a, a),
                              lib.bincount(a, w.half())),
           [((10,),), ((0,),)], inputs=_counts, grad=False,
           error_cases=[
               ErrorCase(lambda lib: lib.bincount(lib.tensor([-1])), RuntimeError,
                         "bincount only supports 1-d non-negative integral inputs."),
               ErrorCase(lambda lib: lib.bincount(lib.tensor([[1]])), RuntimeError,
                         "1-d non-negative integral inputs"),
               ErrorCase(lambda lib: lib.bincount(lib.tensor([1.])), NotImplementedError,
                         "not implemented for 'Float'"),
               ErrorCase(lambda lib: lib.bincount(lib.tensor([True])), NotImplementedError,
                         "not implemented for 'Bool'"),
               ErrorCase(lambda lib: lib.bincount(lib.tensor([1]), minlength=-1), RuntimeError,
                         "minlength should be >= 0"),
               ErrorCase(lambda lib: lib.bincount(lib.tensor([1, 2]), lib.ones(3)),
                         RuntimeError, "weights should be 1-d and have the same length"),
           ]),
    OpSpec("bincount_uint8", lambda lib, a: lib.bincount(a), [((7,),)], dtypes=("uint8",),
           domain=(0, 9), grad=False),
    OpSpec("histc",
           lambda lib, a: (lib.histc(a), a.histc(bins=4), lib.histc(a, 7, min=-1, max=1.5),
                           lib.histc(a, bins=3, min=1, max=1), lib.histc(a, 5, -3.0, 3.0)),
           [((50,),), ((4, 6),), ((0,),)], inputs=_histogram_values, grad=False,
           error_cases=[
               ErrorCase(lambda lib: lib.histc(lib.tensor([1, 2]), bins=4), NotImplementedError,
                         "not implemented for 'Long'"),
               ErrorCase(lambda lib: lib.histc(lib.tensor([1., 2]), bins=0), RuntimeError,
                         "bins must be > 0, but got 0 for dimension 0"),
               ErrorCase(lambda lib: lib.histc(lib.tensor([1., 2]), bins=3, min=2, max=1),
                         RuntimeError, "max must be larger than min"),
               ErrorCase(lambda lib: lib.histc(lib.tensor([1., float("inf")]), bins=3),
                         RuntimeError, r"range of \[1, inf\] is not finite"),
               ErrorCase(lambda lib: lib.histc(lib.tensor([1., float("nan")]), bins=3),
                         RuntimeError, "is not finite"),
           ]),
    OpSpec("histc_constant", lambda lib, a: (lib.histc(a * 0 + 1, bins=4),
                                             lib.histc(a * 0, 3, min=0, max=2)),
           [((5,),)], grad=False),
    OpSpec("histc_nan_outside_range", lambda lib, a: lib.histc(a, bins=4, min=-1, max=1),
           [((16,),)], inputs=_with_specials, grad=False),
    OpSpec("isin",
           lambda lib, a, b: (lib.isin(a, b), lib.isin(a, b, invert=True), lib.isin(a, 1),
                              lib.isin(2, b), lib.isin(a, b.double(), assume_unique=False)),
           [((3, 4), (5,)), ((0,), (3,)), ((3,), (0,)), ((), (4,))], dtypes=ALL,
           inputs=_duplicates, grad=False,
           error_cases=[ErrorCase(lambda lib: lib.isin(2, 3), TypeError)]),
    OpSpec("isin_nan", lambda lib, a, b: lib.isin(a, b), [((16,), (8,))],
           inputs=_with_specials, grad=False),
]

make_tests(globals(), SPECS)


# ---------------------------------------------------------------------- focused tests
def test_return_types_and_grad_fn_names():
    leaf = ember.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]], requires_grad=True)
    result = leaf.sort()
    assert type(result).__name__ == "sort" and result.values is result[0]
    assert type(result.values.grad_fn).__name__ == "SortBackward0"
    assert not result.indices.requires_grad and result.indices.dtype == ember.int64
    topk = leaf.topk(2)
    assert type(topk).__name__ == "topk" and type(topk.values.grad_fn).__name__ == "TopkBackward0"
    kth = leaf.kthvalue(2, 0)
    assert type(kth).__name__ == "kthvalue"
    assert type(kth.values.grad_fn).__name__ == "KthvalueBackward0"


def test_sort_out_writes_both_tensors():
    values, indices = ember.empty(3), ember.empty(3, dtype=ember.int64)
    result = ember.sort(ember.tensor([2.0, 0.0, 1.0]), out=(values, indices))
    assert result.values is values and result.indices is indices
    np.testing.assert_array_equal(values.numpy(), [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(indices.numpy(), [1, 2, 0])


def test_sort_double_backward_records_a_graph():
    leaf = ember.tensor([3.0, 1.0, 2.0], dtype=ember.float64, requires_grad=True)
    weights = ember.tensor([1.0, 2.0, 3.0], dtype=ember.float64)
    values = leaf.sort(descending=True).values
    (grad,) = ember.autograd.grad((values * values * weights).sum(), leaf, create_graph=True)
    np.testing.assert_allclose(grad.detach().numpy(), 2 * np.array([3.0, 1.0, 2.0]) *
                               np.array([1.0, 3.0, 2.0]))
    (second,) = ember.autograd.grad(grad.sum(), leaf)
    np.testing.assert_allclose(second.numpy(), [2.0, 6.0, 4.0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc_matches_on_random_data(torch, dtype):
    data = np.random.default_rng(3).standard_normal(1000).astype(dtype)
    for bins, low, high in [(10, 0, 0), (7, -1.3, 2.1), (100, -3, 3)]:
        expected = torch.histc(torch.from_numpy(data), bins, low, high).numpy()
        actual = ember.histc(ember.from_numpy(data), bins, low, high).numpy()
        np.testing.assert_array_equal(actual, expected)
