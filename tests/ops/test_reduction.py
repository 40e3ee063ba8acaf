"""Reductions (prod, extrema, statistics, scans, softmax, logic), through the generic op checks."""

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

ALL_SHAPES = [((3, 4),), ((),), ((0, 3),), ((2, 3, 4),)]
DIM_SHAPES = [((3, 4),), ((2, 3, 4),), ((),)]
FLOATS_INT = ("float64", "float32", "int64")


def _ties(rng, dtype, shapes):
    """Small integers: every slice holds repeated values (float32 specs skip gradcheck, whose
    finite differences are one-sided at a tie)."""
    return [rng.integers(-2, 3, size=shape).astype(dtype) for shape in shapes]


def _nans(rng, dtype, shapes):
    arrays = []
    for shape in shapes:
        array = rng.uniform(-2, 2, size=shape).astype(dtype)
        array[rng.random(shape) < 0.3] = np.nan
        arrays.append(array)
    return arrays


def _zeros(rng, dtype, shapes):
    """A (3, 4) input whose rows hold one, two and no zeros (columns: one or none)."""
    array = rng.uniform(0.5, 2, size=shapes[0]) * rng.choice([-1, 1], size=shapes[0])
    array[0, 1] = array[1, 0] = array[1, 2] = 0
    return [array.astype(dtype)]


def _one_zero(rng, dtype, shapes):
    array = rng.uniform(0.5, 2, size=shapes[0]) * rng.choice([-1, 1], size=shapes[0])
    array.flat[5] = 0
    return [array.astype(dtype)]


def _out_of_range(call, dim=2):
    return ErrorCase(lambda lib: call(lib, lib.ones(2, 3)), IndexError,
                     rf"Dimension out of range \(expected to be in range of \[-2, 1\], but got "
                     rf"{dim}\)")


def _empty_dim(call, name, dim=1):
    return ErrorCase(lambda lib: call(lib, lib.ones(2, 0)), IndexError,
                     rf"{name}: Expected reduction dim {dim} to have non-zero size")


NO_DIM_EMPTY = r"Expected reduction dim to be specified for input.numel\(\) == 0"

SPECS = [
    # products
    OpSpec("prod", lambda lib, a: a.prod(), ALL_SHAPES, dtypes=FLOATS_INT + ("bool", "int32")),
    OpSpec("prod_dim", lambda lib, a: lib.prod(a, 1), DIM_SHAPES[:2], dtypes=FLOATS_INT,
           error_cases=[_out_of_range(lambda lib, a: a.prod(2))]),
    OpSpec("prod_dim_neg_keepdim", lambda lib, a: a.prod(-1, keepdim=True),
           DIM_SHAPES + [((3, 0),), ((0, 3),)]),
    OpSpec("prod_dtype", lambda lib, a: a.prod(0, dtype=lib.float64), [((3, 4),)],
           dtypes=("float32", "int64")),
    OpSpec("prod_zeros", lambda lib, a: a.prod(), [((3, 4),)], inputs=_zeros),
    OpSpec("prod_one_zero", lambda lib, a: a.prod(), [((3, 4),)], inputs=_one_zero),
    OpSpec("prod_dim_zeros", lambda lib, a: (a.prod(1), a.prod(0, keepdim=True)), [((3, 4),)],
           inputs=_zeros),
    # extrema
    OpSpec("max", lambda lib, a: a.max(), ALL_SHAPES[:2] + ALL_SHAPES[3:], dtypes=FLOATS_INT,
           error_cases=[ErrorCase(lambda lib: lib.ones(2, 0).max(), RuntimeError,
                                  r"max\(\): " + NO_DIM_EMPTY)]),
    OpSpec("max_ties", lambda lib, a: lib.max(a), [((3, 4),), ((2, 3, 4),)], inputs=_ties,
           dtypes=("float32",)),
    OpSpec("max_nan", lambda lib, a: a.max(), [((3, 4),)], inputs=_nans, dtypes=("float32",)),
    OpSpec("max_dim", lambda lib, a: lib.max(a, 1), DIM_SHAPES[:2] + [((0, 3),)],
           dtypes=FLOATS_INT + ("bool",),
           error_cases=[_out_of_range(lambda lib, a: a.max(2)),
                        _empty_dim(lambda lib, a: a.max(1), r"max\(\)")]),
    OpSpec("max_dim_keepdim", lambda lib, a: a.max(dim=-1, keepdim=True), DIM_SHAPES),
    OpSpec("max_dim_ties", lambda lib, a: (a.max(0), a.max(1, True)), [((3, 4),)],
           inputs=_ties, dtypes=("float32", "int64")),
    OpSpec("max_dim_nan", lambda lib, a: a.max(1), [((3, 4),)], inputs=_nans,
           dtypes=("float32",)),
    OpSpec("min", lambda lib, a: lib.min(a), ALL_SHAPES[:2], dtypes=FLOATS_INT,
           error_cases=[ErrorCase(lambda lib: lib.ones(0).min(), RuntimeError,
                                  r"min\(\): " + NO_DIM_EMPTY)]),
    OpSpec("min_ties", lambda lib, a: a.min(), [((3, 4),)], inputs=_ties, dtypes=("float32",)),
    OpSpec("min_dim", lambda lib, a: a.min(0), DIM_SHAPES, dtypes=FLOATS_INT,
           error_cases=[_out_of_range(lambda lib, a: lib.min(a, -3), -3)]),
    OpSpec("min_dim_ties", lambda lib, a: a.min(-1, keepdim=True), [((3, 4),)], inputs=_ties,
           dtypes=("float32",)),
    OpSpec("amax", lambda lib, a: lib.amax(a), ALL_SHAPES[:2] + ALL_SHAPES[3:],
           dtypes=FLOATS_INT,
           error_cases=[ErrorCase(lambda lib: lib.amax(lib.ones(0)), RuntimeError,
                                  r"amax\(\): " + NO_DIM_EMPTY),
                        _empty_dim(lambda lib, a: lib.amax(a, (0, 1)), r"amax\(\)"),
                        _out_of_range(lambda lib, a: a.amax((0, 2))),
                        ErrorCase(lambda lib: lib.ones(2, 3).amax((0, -2)), RuntimeError,
                                  "dim 0 appears multiple times in the list of dims")]),
    OpSpec("amax_dims", lambda lib, a: (a.amax((0, 2)), a.amax(-1, keepdim=True)),
           [((2, 3, 4),)]),
    OpSpec("amax_ties", lambda lib, a: (a.amax(), a.amax(1), a.amax((0, 2), True)),
           [((2, 3, 4),)], inputs=_ties, dtypes=("float32",)),
    OpSpec("amax_empty", lambda lib, a: a.amax(1), [((0, 3),)]),
    OpSpec("amin", lambda lib, a: (lib.amin(a, 0), a.amin()), DIM_SHAPES, dtypes=FLOATS_INT),
    OpSpec("amin_ties", lambda lib, a: (a.amin(), a.amin((1, 0), keepdim=True)), [((3, 4),)],
           inputs=_ties, dtypes=("float32",)),
    OpSpec("aminmax", lambda lib, a: tuple(lib.aminmax(a)), ALL_SHAPES[:2] + ALL_SHAPES[3:],
           dtypes=FLOATS_INT,
           error_cases=[ErrorCase(lambda lib: lib.aminmax(lib.ones(0)), RuntimeError,
                                  "cannot compute aminmax over an empty dimension"),
                        _empty_dim(lambda lib, a: lib.aminmax(a, dim=1), "aminmax")]),
    OpSpec("aminmax_dim", lambda lib, a: tuple(a.aminmax(dim=-1, keepdim=True)), DIM_SHAPES),
    OpSpec("aminmax_ties", lambda lib, a: tuple(lib.aminmax(a, dim=0)), [((3, 4),)],
           inputs=_ties, dtypes=("float32",)),
    OpSpec("argmax", lambda lib, a: (a.argmax(), lib.argmax(a, keepdim=True)), DIM_SHAPES,
           dtypes=FLOATS_INT, grad=False,
           error_cases=[ErrorCase(lambda lib: lib.ones(0).argmax(), IndexError,
                                  r"argmax\(\): " + NO_DIM_EMPTY),
                        _empty_dim(lambda lib, a: a.argmax(1), r"argmax\(\)"),
                        ErrorCase(lambda lib: lib.ones(2, dtype=lib.bool).argmax(), RuntimeError,
                                  r"argmax\(\): does not support bool input"),
                        _out_of_range(lambda lib, a: a.argmax(2))]),
    OpSpec("argmax_dim", lambda lib, a: (a.argmax(1), lib.argmax(a, -1, True)), [((3, 4),),
                                                                                  ((0, 3),)],
           inputs=_ties, dtypes=("float64", "int64"), grad=False),
    OpSpec("argmin", lambda lib, a: (lib.argmin(a), a.argmin(0), a.argmin(0, keepdim=True)),
           DIM_SHAPES, inputs=_ties, dtypes=FLOATS_INT, grad=False),
    OpSpec("argmax_nan", lambda lib, a: (a.argmax(), a.argmin(1)), [((3, 4),)], inputs=_nans,
           grad=False),
    # statistics
    OpSpec("var", lambda lib, a: a.var(), ALL_SHAPES[:1] + ALL_SHAPES[3:],
           error_cases=[ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).var(), RuntimeError,
                                  "std and var only support floating point and complex dtypes"),
                        _out_of_range(lambda lib, a: a.var(2)),
                        ErrorCase(lambda lib: lib.ones(3).var(0, unbiased=False, correction=0),
                                  TypeError)]),
    OpSpec("var_dims", lambda lib, a: (lib.var(a, 1), a.var((0, 2), keepdim=True),
                                       a.var(-1, correction=0), a.var(-1, correction=2.5)),
           [((2, 3, 4),)]),
    OpSpec("var_unbiased", lambda lib, a: (a.var(False), lib.var(a, 0, False, True),
                                           a.var(1, unbiased=True)), [((3, 4),)]),
    OpSpec("var_single", lambda lib, a: (a.var(), a.var(0, keepdim=True), a.var(correction=0)),
           [((1,),), ((),), ((0,),), ((1, 3),)], dtypes=("float32",)),
    OpSpec("var_dof_zero", lambda lib, a: (a.var(correction=3), a.var(0, correction=4)),
           [((3,),)], dtypes=("float32",)),
    OpSpec("std", lambda lib, a: (a.std(), lib.std(a, 1), a.std((0, 1), False, True),
                                  a.std(-1, correction=0, keepdim=True)), DIM_SHAPES[:2],
           error_cases=[ErrorCase(lambda lib: lib.std(lib.ones(3, dtype=lib.int32)),
                                  RuntimeError, "std and var only support")]),
    OpSpec("std_single", lambda lib, a: (a.std(), a.std(0)), [((1,),), ((),)],
           dtypes=("float32",)),
    OpSpec("std_constant", lambda lib, a: (a * 0 + 1).std(1), [((3, 4),)], dtypes=("float32",)),
    OpSpec("var_mean", lambda lib, a: (tuple(lib.var_mean(a)), tuple(lib.var_mean(a, 1, True)),
                                       tuple(lib.var_mean(a, (0, 1), correction=0))),
           [((3, 4),)]),
    OpSpec("std_mean", lambda lib, a: (tuple(lib.std_mean(a)),
                                       tuple(lib.std_mean(a, -1, keepdim=True, correction=0))),
           [((3, 4),), ((2, 3, 4),)]),
    OpSpec("logsumexp", lambda lib, a: (lib.logsumexp(a, -1), a.logsumexp(0, keepdim=True)),
           DIM_SHAPES + [((3, 0),)],
           error_cases=[_out_of_range(lambda lib, a: a.logsumexp(2))]),
    OpSpec("logsumexp_dims", lambda lib, a: (a.logsumexp((0, 2)), a.logsumexp(0),
                                             a.logsumexp((0, 1, 2), True)),
           [((2, 3, 4),), ((0, 3, 2),)]),
    OpSpec("logsumexp_int", lambda lib, a: a.logsumexp(1), [((3, 4),)], dtypes=("int64",),
           atol=1e-6, rtol=1e-6),
    OpSpec("logsumexp_large", lambda lib, a: a.logsumexp(1), [((3, 4),)],
           domain=(500.0, 1000.0)),
    # softmax
    OpSpec("softmax", lambda lib, a: (lib.softmax(a, -1), a.softmax(0)),
           DIM_SHAPES + [((0, 3),), ((3, 0),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(2, 3, dtype=lib.int64).softmax(1),
                                  NotImplementedError,
                                  "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"),
                        _out_of_range(lambda lib, a: lib.softmax(a, 2))]),
    OpSpec("softmax_dim1", lambda lib, a: a.softmax(1), [((2, 3, 4),)]),
    OpSpec("softmax_large", lambda lib, a: lib.softmax(a, 1), [((3, 4),)],
           domain=(-300.0, 300.0)),
    OpSpec("softmax_dtype", lambda lib, a: lib.softmax(a, 0, dtype=lib.float64), [((3, 4),)],
           dtypes=("float32", "int64")),
    OpSpec("log_softmax", lambda lib, a: (lib.log_softmax(a, -1), a.log_softmax(0)),
           DIM_SHAPES + [((0, 3),), ((3, 0),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(2, 3, dtype=lib.int32).log_softmax(0),
                                  NotImplementedError,
                                  "\"log_softmax_kernel_impl\" not implemented for 'Int'"),
                        _out_of_range(lambda lib, a: a.log_softmax(-3), -3)]),
    OpSpec("log_softmax_large", lambda lib, a: a.log_softmax(1), [((3, 4),), ((2, 3, 4),)],
           domain=(-300.0, 300.0)),
    OpSpec("log_softmax_dtype", lambda lib, a: a.log_softmax(1, dtype=lib.float64), [((3, 4),)],
           dtypes=("float32",)),
    # scans
    OpSpec("cumsum", lambda lib, a: (lib.cumsum(a, 0), a.cumsum(-1)),
           DIM_SHAPES + [((0, 3),)], dtypes=FLOATS_INT + ("int32",),
           error_cases=[_out_of_range(lambda lib, a: a.cumsum(2))]),
    OpSpec("cumsum_dtype", lambda lib, a: a.cumsum(1, dtype=lib.float64), [((3, 4),)],
           dtypes=("float32", "int64")),
    OpSpec("scans_bool", lambda lib, a: (a.cumsum(0), a.cumprod(1)), [((3, 4),)],
           dtypes=("bool",)),
    OpSpec("cumprod", lambda lib, a: (lib.cumprod(a, -1), a.cumprod(-a.dim() if a.dim() else 0)),
           DIM_SHAPES + [((0, 3),)], dtypes=FLOATS_INT,
           error_cases=[_out_of_range(lambda lib, a: a.cumprod(-3), -3)]),
    OpSpec("cumprod_zeros", lambda lib, a: (a.cumprod(1), a.cumprod(0)), [((3, 4),)],
           inputs=_zeros),
    OpSpec("cumprod_dtype", lambda lib, a: a.cumprod(0, dtype=lib.float64), [((3, 4),)],
           dtypes=("int64",)),
    OpSpec("cummax", lambda lib, a: (tuple(lib.cummax(a, -1)), tuple(a.cummax(0))),
           DIM_SHAPES + [((0, 3),)], dtypes=FLOATS_INT,
           error_cases=[_out_of_range(lambda lib, a: a.cummax(2))]),
    OpSpec("cummax_ties", lambda lib, a: (tuple(a.cummax(1)), tuple(a.cummax(0))),
           [((3, 4),), ((2, 3, 4),), ((3, 37),)], inputs=_ties, dtypes=("float32", "int64")),
    OpSpec("cummax_nan", lambda lib, a: tuple(a.cummax(1)), [((3, 4),)], inputs=_nans,
           dtypes=("float32",)),
    OpSpec("cummin", lambda lib, a: (tuple(lib.cummin(a, -1)), tuple(a.cummin(0))),
           DIM_SHAPES, dtypes=FLOATS_INT),
    OpSpec("cummin_ties", lambda lib, a: tuple(a.cummin(1)), [((3, 4),)], inputs=_ties,
           dtypes=("float32",)),
    # logic
    OpSpec("all_any", lambda lib, a: (lib.all(a), a.any(), a.all(1), lib.any(a, 0, True),
                                      a.all((0, 1)), a.any(dim=(-1,), keepdim=True)),
           [((3, 4),), ((0, 3),)], inputs=_ties,
           dtypes=("float64", "int64", "uint8", "bool"), grad=False,
           error_cases=[_out_of_range(lambda lib, a: a.all(2)),
                        _out_of_range(lambda lib, a: lib.any(a, (0, 2)))]),
    OpSpec("all_any_scalar", lambda lib, a: (a.all(), a.any(0), a.all(-1, True)), [((),)],
           dtypes=("float64", "int64", "bool"), grad=False),
    OpSpec("count_nonzero", lambda lib, a: (lib.count_nonzero(a), a.count_nonzero(1),
                                            lib.count_nonzero(a, (0, 1))),
           [((3, 4),), ((0, 3),)], inputs=_ties, dtypes=("float64", "int64", "bool"),
           grad=False, error_cases=[_out_of_range(lambda lib, a: a.count_nonzero(2))]),
    # medians and modes
    OpSpec("median", lambda lib, a: a.median(), ALL_SHAPES[:2] + ALL_SHAPES[3:] + [((3, 3),)],
           dtypes=FLOATS_INT,
           error_cases=[ErrorCase(lambda lib: lib.ones(2, dtype=lib.bool).median(),
                                  NotImplementedError)]),
    OpSpec("median_dim", lambda lib, a: (tuple(lib.median(a, 1)), tuple(a.median(-1, True))),
           DIM_SHAPES[:2] + [((3, 3),)], dtypes=FLOATS_INT,
           error_cases=[_out_of_range(lambda lib, a: a.median(2)),
                        _empty_dim(lambda lib, a: a.median(1), r"median\(\)")]),
    OpSpec("median_scalar", lambda lib, a: tuple(a.median(0)), [((),)]),
    OpSpec("median_ties", lambda lib, a: (a.median(), tuple(a.median(0)), tuple(a.median(1))),
           [((5, 6),), ((4, 7),)], inputs=_ties, dtypes=("float32", "int64")),
    OpSpec("median_nan", lambda lib, a: (a.median(), tuple(a.median(1))), [((3, 4),)],
           inputs=_nans, dtypes=("float32",)),
    OpSpec("nanmedian", lambda lib, a: (lib.nanmedian(a), tuple(a.nanmedian(1)),
                                        tuple(a.nanmedian(0, keepdim=True))),
           [((3, 4),), ((4, 5),)], inputs=_nans, dtypes=("float32",),
           error_cases=[_empty_dim(lambda lib, a: a.nanmedian(1), r"median\(\)")]),
    OpSpec("nanmedian_all_nan", lambda lib, a: (a.nanmedian(), tuple(a.nanmedian(0))),
           [((3,),)], inputs=lambda rng, dtype, shapes: [np.full(shapes[0], np.nan, dtype)],
           dtypes=("float32",)),
    OpSpec("nanmedian_no_nan", lambda lib, a: (a.nanmedian(), tuple(a.nanmedian(-1))),
           DIM_SHAPES, dtypes=FLOATS_INT),
    OpSpec("mode", lambda lib, a: (tuple(a.mode()), tuple(lib.mode(a, 0)),
                                   tuple(a.mode(-1, keepdim=True))),
           [((5, 6),), ((4, 7),), ((),)], inputs=_ties, dtypes=("float32", "int64"),
           error_cases=[_out_of_range(lambda lib, a: a.mode(2)),
                        _empty_dim(lambda lib, a: a.mode(), r"mode\(\)")]),
    # past 16 elements PyTorch's unstable sort picks an arbitrary occurrence: values only
    OpSpec("mode_long", lambda lib, a: (a.mode(1).values, a.mode(0).values), [((3, 41),)],
           inputs=_ties, dtypes=("float32", "int64"), grad=False),
    OpSpec("mode_distinct", lambda lib, a: tuple(a.mode(1)), [((3, 4),)]),
    # NaN-aware sums
    OpSpec("nansum", lambda lib, a: (lib.nansum(a), a.nansum(1), a.nansum((0, 1), True)),
           [((3, 4),), ((0, 3),)], inputs=_nans, dtypes=("float64", "float32")),
    OpSpec("nansum_int", lambda lib, a: (a.nansum(), lib.nansum(a, 0)), [((3, 4),)],
           dtypes=("int64", "int32", "bool")),
    OpSpec("nanmean", lambda lib, a: (lib.nanmean(a), a.nanmean(0), a.nanmean(-1, True)),
           [((3, 4),), ((2, 3, 4),)], inputs=_nans, dtypes=("float64", "float32"),
           error_cases=[ErrorCase(lambda lib: lib.nanmean(lib.ones(2, dtype=lib.int64)),
                                  RuntimeError, "nanmean\\(\\): expected input to have floating "
                                  "point or complex dtype but got Long")]),
    OpSpec("nanmean_no_nan", lambda lib, a: (a.nanmean(), a.nanmean(1, dtype=lib.float64)),
           DIM_SHAPES[:2]),
    # sum and mean over a 0-d input's dim 0 (a shared helper)
    OpSpec("sum_mean_scalar_dim", lambda lib, a: (a.sum(0), a.mean(-1, keepdim=True)),
           [((),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(2, dtype=lib.int64).mean(), RuntimeError,
                                  "floating point or complex dtype. Got: Long")]),
]

make_tests(globals(), SPECS)


@pytest.mark.parametrize("call,names", [
    (lambda lib, a: a.softmax(1), ["SoftmaxBackward0"]),
    (lambda lib, a: lib.log_softmax(a, 0), ["LogSoftmaxBackward0"]),
    (lambda lib, a: (a.max(), a.max(1)[0], a.min(), a.min(0)[0]),
     ["MaxBackward1", "MaxBackward0", "MinBackward1", "MinBackward0"]),
    (lambda lib, a: (a.prod(), a.prod(1)), ["ProdBackward0", "ProdBackward1"]),
    (lambda lib, a: (a.median(), a.median(1)[0], a.nanmedian(), a.nanmedian(1)[0]),
     ["MedianBackward0", "MedianBackward1", "NanmedianBackward0", "NanmedianBackward1"]),
    (lambda lib, a: (a.amax(), a.amin(0), a.logsumexp(1), a.var(), a.std(), a.nansum()),
     ["AmaxBackward0", "AminBackward0", "LogsumexpBackward0", "VarBackward0", "StdBackward0",
      "NansumBackward0"]),
    (lambda lib, a: (a.cumsum(0), a.cumprod(1), a.cummax(0)[0], a.cummin(1)[0], a.mode(1)[0]),
     ["CumsumBackward0", "CumprodBackward0", "CummaxBackward0", "CumminBackward0",
      "ModeBackward0"]),
])
def test_grad_fn_names(call, names, torch):
    for lib in (ember, torch):
        outputs = call(lib, lib.ones(2, 3, requires_grad=True))
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        assert [type(o.grad_fn).__name__ for o in outputs] == names


def test_max_of_two_tensors_is_maximum(torch):
    if not hasattr(ember, "maximum"):
        pytest.skip("ember.maximum is not available")
    values = [[1.0, 5.0, -2.0], [3.0, 0.0, 4.0]]
    for name in ("max", "min"):
        expected = getattr(torch.tensor(values[0]), name)(torch.tensor(values[1]))
        actual = getattr(ember.tensor(values[0]), name)(ember.tensor(values[1]))
        assert actual.tolist() == expected.tolist()
        assert getattr(ember, name)(ember.tensor(values[0]), ember.tensor(values[1])).tolist() \
            == expected.tolist()


def test_return_types_and_out():
    values, indices = ember.tensor([[1.0, 4.0], [3.0, 2.0]]).max(1)
    result = ember.max(ember.tensor([[1.0, 4.0], [3.0, 2.0]]), dim=0)
    assert type(result).__name__ == "max" and result.values.tolist() == [3.0, 4.0]
    assert result.indices.tolist() == [1, 0]
    assert values.tolist() == [4.0, 3.0] and indices.tolist() == [1, 0]
    out = (ember.empty(0), ember.empty(0, dtype=ember.int64))
    ember.min(ember.tensor([[1.0, 4.0], [3.0, 2.0]]), 1, out=out)
    assert out[0].tolist() == [1.0, 2.0] and out[1].tolist() == [0, 1]
    assert ember.aminmax(ember.tensor([2.0, -1.0])).max.item() == 2.0
    assert ember.std_mean(ember.tensor([1.0, 3.0])).mean.item() == 2.0


def test_cumsum_inplace():
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    x.cumsum_(0)
    assert x.tolist() == [[1.0, 2.0], [4.0, 6.0]]
    x.cumprod_(1)
    assert x.tolist() == [[1.0, 2.0], [4.0, 24.0]]


def test_softmax_extremes_match_torch(torch):
    inf = float("inf")
    rows = [[-inf, -inf, -inf], [-inf, 0.0, 1.0], [1e4, -1e4, 0.0], [1e-30, 0.0, -1e-30]]
    for name in ("softmax", "log_softmax"):
        expected = getattr(torch.tensor(rows), name)(1).numpy()
        actual = getattr(ember.tensor(rows), name)(1).numpy()
        np.testing.assert_allclose(actual, expected, rtol=1e-6, equal_nan=True)


def test_logsumexp_infinities_match_torch(torch):
    inf = float("inf")
    rows = [[-inf, -inf], [inf, 1.0], [-inf, 2.0]]
    results = {}
    for lib in (torch, ember):
        x = lib.tensor(rows, dtype=lib.float64, requires_grad=True)
        y = x.logsumexp(1)
        y.sum().backward()
        results[lib.__name__] = (y.detach().numpy(), x.grad.numpy())
    for actual, expected in zip(results["ember"], results["torch"]):
        np.testing.assert_array_equal(actual, expected)


def test_double_backward_through_zeros_matches_torch(torch):
    """The recorded gradient of prod and cumprod where the input holds zeros."""
    rows = [[2.0, 0.0, 3.0, -1.5], [0.0, 1.5, 0.0, 2.0], [1.0, 0.5, -2.0, 3.0]]
    results = {}
    for lib in (torch, ember):
        x = lib.tensor(rows, dtype=lib.float64, requires_grad=True)
        outputs = [x.prod(1), x.cumprod(1), x.cumprod(0), x.select(0, 0).prod()]
        hessians = []
        for output in outputs:
            (grad,) = lib.autograd.grad(output.sum(), x, create_graph=True)
            (second,) = lib.autograd.grad((grad * grad).sum(), x)
            hessians += [grad.detach().numpy(), second.numpy()]
        results[lib.__name__] = hessians
    for actual, expected in zip(results["ember"], results["torch"]):
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12)
