"""Element-wise ops of ``ember/_ops/pointwise_more.py``, through the generic op checks, plus the
conventions the generic checks can't reach (ties, bounds, NaN, special values)."""

import itertools
import math

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

UNARY = [((3, 4),), ((),), ((0, 2),), ((2, 3, 4),)]
BINARY = [((3, 4), (3, 4)), ((3, 1), (4,)), ((), (2, 3)), ((2, 3), ()), ((0, 3), (3,))]
INPLACE = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3), ())]
TERNARY = [((3, 4), (3, 4), (3, 4)), ((3, 1), (4,), (1, 4)), ((), (2, 3), ()),
           ((0, 3), (3,), (3,))]
FLOATS = ("float64", "float32")
INTS = FLOATS + ("int64",)
ALL = INTS + ("bool",)
SPECIALS = [-1.5, 0.0, -0.0, math.nan, math.inf, -math.inf, 2.5]


def _uniform(rng, shape, dtype, low, high):
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.startswith(("int", "uint")):
        return rng.integers(math.ceil(low), math.floor(high), size=shape,
                            endpoint=True).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def _nonzero(rng, shape, dtype):
    """Divisors: magnitudes in [0.5, 2] (integers 1 or 2), either sign."""
    signs = rng.choice([-1, 1], size=shape)
    return np.asarray(_uniform(rng, shape, dtype, 0.5, 2) * signs).astype(dtype)


def _dividend_divisor(rng, dtype, shapes):
    return [_uniform(rng, shapes[0], dtype, -5, 5), _nonzero(rng, shapes[1], dtype)]


def _specials(rng, dtype, shapes):
    """Signed zeros, NaN and infinities among ordinary values (plain values for integers)."""
    if not dtype.startswith("float"):
        return [_uniform(rng, shape, dtype, -3, 3) for shape in shapes]
    return [rng.choice(np.array(SPECIALS, dtype=dtype), size=shape) for shape in shapes]


def _clamp_bounds(rng, dtype, shapes):
    """Inputs around bounds that are usually ordered, sometimes crossed (min > max)."""
    return [_uniform(rng, shapes[0], dtype, -2, 2), _uniform(rng, shapes[1], dtype, -1, 0.5),
            _uniform(rng, shapes[2], dtype, -0.5, 1)]


def _shifts(rng, dtype, shapes):
    return [_uniform(rng, shapes[0], dtype, -100, 100), _uniform(rng, shapes[1], dtype, -3, 70)]


def _near(rng, dtype, shapes):
    """Pairs that are equal, nearly equal at several scales, or apart; some NaN and inf."""
    input = rng.uniform(-2, 2, size=shapes[0]).astype(dtype)
    scale = rng.choice([0.0, 1e-9, 1e-6, 1e-4, 1e-1], size=shapes[0])
    other = np.asarray(input + scale * rng.standard_normal(shapes[0])).astype(dtype)
    for array in (input, other):
        array[rng.random(shapes[0]) < 0.1] = np.nan
    other[rng.random(shapes[0]) < 0.1] = np.inf
    return [input, other]


def _unary(name, domain=(-2.0, 2.0), dtypes=ALL, method=False, **kwargs):
    fn = (lambda lib, a: getattr(a, name)()) if method else \
        (lambda lib, a: getattr(lib, name)(a))
    return OpSpec(name, fn, UNARY, dtypes=dtypes, domain=domain, **kwargs)


def _no_grad(name, fn, shapes, dtypes=ALL, **kwargs):
    return OpSpec(name, fn, shapes, dtypes=dtypes, grad=False, **kwargs)


UNARY_SPECS = [
    _unary("exp2"), _unary("expm1", method=True), _unary("log2", (0.5, 3.0)),
    _unary("log10", (0.5, 3.0)), _unary("log1p", (-0.5, 2.0)), _unary("rsqrt", (0.5, 3.0)),
    _unary("reciprocal", (0.5, 2.0), method=True), _unary("tan", (-1.2, 1.2)),
    _unary("asin", (-0.9, 0.9)), _unary("arcsin", (-0.9, 0.9), dtypes=FLOATS),
    _unary("acos", (-0.9, 0.9)), _unary("arccos", (-0.9, 0.9), dtypes=FLOATS),
    _unary("atan"), _unary("arctan", dtypes=FLOATS), _unary("sinh"), _unary("cosh"),
    _unary("asinh"), _unary("acosh", (1.1, 3.0)), _unary("atanh", (-0.9, 0.9)),
    _unary("arcsinh", dtypes=FLOATS), _unary("arccosh", (1.1, 3.0), dtypes=FLOATS),
    _unary("arctanh", (-0.9, 0.9), dtypes=FLOATS), _unary("erf"), _unary("erfc", method=True),
    _unary("erfinv", (-0.9, 0.9)), _unary("sinc"), _unary("deg2rad"), _unary("rad2deg"),
    _unary("logit", (0.05, 0.95)),
    OpSpec("logit_eps", lambda lib, a: lib.logit(a, eps=0.2), UNARY, domain=(0.0, 1.0)),
    _unary("sign"),
    # + input: PyTorch's gradient of sgn is a ZeroTensor, which can't be read as an array
    OpSpec("sgn", lambda lib, a: lib.sgn(a) + a, UNARY, dtypes=INTS),
    _unary("floor", (-3.0, 3.0), dtypes=INTS, error_cases=[ErrorCase(
        lambda lib: lib.floor(lib.tensor([True])), NotImplementedError, "floor")]),
    _unary("ceil", (-3.0, 3.0), dtypes=INTS, method=True),
    _unary("trunc", (-3.0, 3.0), dtypes=INTS), _unary("fix", (-3.0, 3.0), dtypes=INTS),
    _unary("round", (-3.0, 3.0), dtypes=INTS),
    OpSpec("round_decimals", lambda lib, a: lib.round(a, decimals=1), UNARY,
           error_cases=[ErrorCase(lambda lib: lib.round(lib.tensor([1]), decimals=1),
                                  NotImplementedError, "round")]),
    OpSpec("round_negative_decimals", lambda lib, a: a.round(decimals=-1), UNARY[:2],
           domain=(-300.0, 300.0)),
    _unary("frac", (-3.0, 3.0), dtypes=FLOATS, error_cases=[ErrorCase(
        lambda lib: lib.frac(lib.tensor([1])), NotImplementedError, "frac")]),
    _unary("positive", dtypes=INTS, error_cases=[ErrorCase(
        lambda lib: lib.positive(lib.tensor([True])), NotImplementedError, r"`\+` operator")]),
    OpSpec("nan_to_num", lambda lib, a: lib.nan_to_num(a, nan=0.5, posinf=3.0, neginf=-3.0),
           UNARY, dtypes=INTS, inputs=_specials),
    OpSpec("nan_to_num_default", lambda lib, a: a.nan_to_num(), UNARY[:2], inputs=_specials,
           grad=False),
]

BINARY_SPECS = [
    OpSpec("atan2", lambda lib, a, b: lib.atan2(a, b), BINARY, dtypes=ALL, error_cases=[
        ErrorCase(lambda lib: lib.atan2(lib.ones(2), 2.0), TypeError)]),
    OpSpec("arctan2", lambda lib, a, b: a.arctan2(b), BINARY[:2]),
    OpSpec("hypot", lambda lib, a, b: lib.hypot(a, b), BINARY, error_cases=[
        ErrorCase(lambda lib: lib.hypot(lib.tensor([1]), lib.tensor([1])),
                  NotImplementedError, "hypot_cpu\" not implemented for 'Long'")]),
    OpSpec("logaddexp", lambda lib, a, b: lib.logaddexp(a, b), BINARY, domain=(-30, 30),
           error_cases=[ErrorCase(lambda lib: lib.logaddexp(lib.tensor([1]), lib.tensor([1])),
                                  NotImplementedError, "logaddexp")]),
    OpSpec("logaddexp2", lambda lib, a, b: a.logaddexp2(b), BINARY, domain=(-30, 30)),
    OpSpec("xlogy", lambda lib, a, b: lib.xlogy(a, b), BINARY, dtypes=INTS,
           inputs=lambda rng, dtype, shapes: [_uniform(rng, shapes[0], dtype, -2, 2),
                                              _uniform(rng, shapes[1], dtype, 0.5, 3)]),
    OpSpec("xlogy_scalar_other", lambda lib, a: lib.xlogy(a, 2.5), UNARY, dtypes=INTS),
    OpSpec("xlogy_scalar_input", lambda lib, a: lib.xlogy(3, a), UNARY, dtypes=INTS,
           domain=(0.5, 3.0)),
    OpSpec("copysign", lambda lib, a, b: lib.copysign(a, b), BINARY, dtypes=ALL),
    OpSpec("copysign_scalar", lambda lib, a: a.copysign(-1), UNARY, dtypes=INTS),
    OpSpec("maximum", lambda lib, a, b: lib.maximum(a, b), BINARY, dtypes=ALL, error_cases=[
        ErrorCase(lambda lib: lib.maximum(lib.ones(2), 1.0), TypeError)]),
    OpSpec("minimum", lambda lib, a, b: a.minimum(b), BINARY, dtypes=ALL),
    OpSpec("fmax", lambda lib, a, b: lib.fmax(a, b), BINARY, dtypes=ALL),
    OpSpec("fmin", lambda lib, a, b: lib.fmin(a, b), BINARY, dtypes=ALL),
    OpSpec("fmax_nan", lambda lib, a, b: (lib.fmax(a, b), lib.fmin(a, b)), BINARY[:2],
           inputs=_specials, grad=False),
    OpSpec("remainder", lambda lib, a, b: a % b, BINARY, dtypes=INTS, inputs=_dividend_divisor,
           error_cases=[
               ErrorCase(lambda lib: lib.tensor([1, 2]) % 0, RuntimeError, "ZeroDivisionError"),
               ErrorCase(lambda lib: lib.remainder(lib.tensor([True]), lib.tensor([True])),
                         NotImplementedError, "remainder")]),
    OpSpec("remainder_scalar", lambda lib, a: a % 1.5, UNARY, dtypes=INTS, domain=(-5, 5)),
    # PyTorch has no derivative for remainder(number, tensor): forward only
    _no_grad("remainder_scalar_input", lambda lib, a: (lib.remainder(-2.5, a), 7 % a), UNARY,
             dtypes=INTS, inputs=lambda rng, dtype, shapes: [_nonzero(rng, shapes[0], dtype)]),
    OpSpec("fmod", lambda lib, a, b: lib.fmod(a, b), BINARY, dtypes=INTS,
           inputs=_dividend_divisor, error_cases=[
               ErrorCase(lambda lib: lib.fmod(lib.tensor([1]), lib.tensor([0])), RuntimeError,
                         "ZeroDivisionError"),
               ErrorCase(lambda lib: lib.fmod(2.0, lib.ones(2)), TypeError)]),
    OpSpec("fmod_scalar", lambda lib, a: a.fmod(-1.5), UNARY, dtypes=INTS, domain=(-5, 5)),
    OpSpec("div_trunc", lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"), BINARY,
           dtypes=INTS, inputs=_dividend_divisor, error_cases=[
               ErrorCase(lambda lib: lib.div(lib.ones(2), 2, rounding_mode="round"),
                         RuntimeError, "rounding_mode to be one of None, 'trunc', or 'floor' "
                                       "but found 'round'"),
               ErrorCase(lambda lib: lib.div(lib.tensor([3]), 0, rounding_mode="trunc"),
                         RuntimeError, "ZeroDivisionError")]),
    OpSpec("div_floor", lambda lib, a, b: lib.div(a, b, rounding_mode="floor"), BINARY,
           dtypes=INTS, inputs=_dividend_divisor),
    # PyTorch implements no derivative for floor_divide: forward only
    _no_grad("floor_divide", lambda lib, a, b: (a // b, lib.floor_divide(a, 1.5), 7 // b),
             BINARY, dtypes=INTS, inputs=_dividend_divisor, error_cases=[
                 ErrorCase(lambda lib: lib.tensor([True]) // lib.tensor([True]),
                           NotImplementedError, "div_floor")]),
    OpSpec("float_power", lambda lib, a, b: lib.float_power(a, b), BINARY, dtypes=INTS,
           domain=(0.5, 2.0), error_cases=[
               ErrorCase(lambda lib: lib.ones(2).float_power_(2), RuntimeError,
                         "float_power_ has dtype Float but the operation's result requires "
                         "dtype Double")]),
    OpSpec("float_power_scalar", lambda lib, a: (lib.float_power(a, 2.5),
                                                 lib.float_power(2, a), a.float_power(3)),
           UNARY, dtypes=INTS, domain=(0.5, 2.0)),
]

CLAMP_ERRORS = [
    ErrorCase(lambda lib: lib.clamp(lib.ones(2)), RuntimeError,
              "At least one of 'min' or 'max' must not be None"),
    ErrorCase(lambda lib: lib.ones(2).clamp_(), RuntimeError, "At least one"),
    ErrorCase(lambda lib: lib.clamp(lib.ones(2), lib.zeros(2), 1.0), TypeError),
    ErrorCase(lambda lib: lib.clamp(lib.ones(3), lib.zeros(4)), RuntimeError,
              r"size of tensor a \(3\) must match the size of tensor b \(4\)"),
]

CLAMP_SPECS = [
    OpSpec("clamp", lambda lib, a: lib.clamp(a, -0.5, 1.0), UNARY, dtypes=ALL,
           error_cases=CLAMP_ERRORS),
    OpSpec("clamp_int_bounds", lambda lib, a: (a.clamp(min=0), a.clamp(max=1), a.clip(-1, 1)),
           UNARY, dtypes=ALL),
    OpSpec("clamp_crossed", lambda lib, a: lib.clamp(a, 1.0, -1.0), UNARY),
    OpSpec("clamp_min_max", lambda lib, a: (lib.clamp_min(a, 0.25), a.clamp_max(0.5)), UNARY,
           dtypes=INTS),
    OpSpec("clamp_tensor", lambda lib, a, lo, hi: lib.clamp(a, lo, hi), TERNARY, dtypes=INTS,
           inputs=_clamp_bounds),
    OpSpec("clamp_tensor_min", lambda lib, a, lo, hi: (lib.clamp(a, lo), a.clamp_min(lo)),
           TERNARY, inputs=_clamp_bounds, differentiable=(0, 1)),
    OpSpec("clamp_tensor_max", lambda lib, a, lo, hi: lib.clip(a, max=hi), TERNARY,
           inputs=_clamp_bounds, differentiable=(0, 2)),
    OpSpec("clamp_inplace", lambda lib, a: (a * 1).clamp_(-0.5, 0.5), UNARY),
    OpSpec("lerp", lambda lib, a, b, w: lib.lerp(a, b, w), TERNARY, error_cases=[
        ErrorCase(lambda lib: lib.lerp(lib.ones(2), lib.ones(2, dtype=lib.float64), 0.5),
                  RuntimeError, "expected dtype float for `end` but got dtype double"),
        ErrorCase(lambda lib: lib.lerp(lib.tensor([1]), lib.tensor([2]), 0.5),
                  NotImplementedError, "lerp")]),
    OpSpec("lerp_scalar", lambda lib, a, b: (a.lerp(b, 0.3), lib.lerp(a, b, 0.8)), BINARY),
    OpSpec("addcmul", lambda lib, a, b, c: lib.addcmul(a, b, c, value=-1.5), TERNARY,
           dtypes=INTS),
    OpSpec("addcmul_default", lambda lib, a, b, c: a.addcmul(b, c), TERNARY[:2]),
    OpSpec("addcdiv", lambda lib, a, b, c: lib.addcdiv(a, b, c, value=0.5), TERNARY,
           inputs=lambda rng, dtype, shapes: [_uniform(rng, shapes[0], dtype, -2, 2),
                                              _uniform(rng, shapes[1], dtype, -2, 2),
                                              _nonzero(rng, shapes[2], dtype)],
           error_cases=[ErrorCase(lambda lib: lib.addcdiv(lib.ones(2), lib.tensor([1, 2]),
                                                          lib.tensor([1, 2])),
                                  RuntimeError, "Integer division with addcdiv")]),
]

WHERE_SPECS = [
    OpSpec("where", lambda lib, a, b: lib.where(a > 0, a, b), BINARY, dtypes=INTS,
           error_cases=[
               ErrorCase(lambda lib: lib.where(lib.ones(2), 1.0, 0.0), RuntimeError,
                         "where expected condition to be a boolean tensor, but got a tensor "
                         "with dtype Float"),
               ErrorCase(lambda lib: lib.where(lib.ones(3) > 0, lib.ones(4), 0.0),
                         RuntimeError, "must match")]),
    OpSpec("where_scalars", lambda lib, a: (lib.where(a > 0, a, 2.5), lib.where(a > 0, -1, a),
                                            a.where(a < 0.5, 0.0)), UNARY, dtypes=INTS),
    _no_grad("where_only_scalars", lambda lib, a: (lib.where(a > 0, 1.0, 0.0),
                                                   lib.where(a > 0, 1, 0),
                                                   lib.where(a > 0, 1, 2.5)), UNARY, INTS),
    _no_grad("heaviside", lambda lib, a, b: lib.heaviside(a, b), BINARY, dtypes=ALL,
             inputs=lambda rng, dtype, shapes: [_uniform(rng, shapes[0], dtype, -1, 1),
                                                _uniform(rng, shapes[1], dtype, -1, 1)],
             error_cases=[ErrorCase(lambda lib: lib.heaviside(lib.ones(2), lib.tensor([1])),
                                    RuntimeError, "different dtypes")]),
]

LOGICAL_SPECS = [
    _no_grad("logical", lambda lib, a, b: (lib.logical_and(a, b), a.logical_or(b),
                                           lib.logical_xor(a, b), lib.logical_not(a)), BINARY,
             domain=(-1, 1), error_cases=[
                 ErrorCase(lambda lib: lib.logical_and(lib.ones(2), 1), TypeError)]),
    _no_grad("logical_inplace", lambda lib, a, b: (a * 1).logical_and_(b), INPLACE,
             dtypes=FLOATS, domain=(-1, 1)),
    _no_grad("bitwise", lambda lib, a, b: (a & b, a | b, a ^ b, ~a, lib.bitwise_and(a, 6),
                                           lib.bitwise_or(3, b)), BINARY,
             dtypes=("int64", "int32", "uint8", "bool"), domain=(0, 200), error_cases=[
                 ErrorCase(lambda lib: lib.bitwise_and(lib.ones(2), lib.ones(2)),
                           NotImplementedError, "\"bitwise_and_cpu\" not implemented for "
                                                "'Float'"),
                 ErrorCase(lambda lib: lib.tensor([1, 2]) & 1.5, NotImplementedError,
                           "bitwise_and"),
                 ErrorCase(lambda lib: lib.bitwise_not(lib.ones(2, dtype=lib.float64)),
                           NotImplementedError, "bitwise_not_cpu\" not implemented for "
                                                "'Double'")]),
    _no_grad("bitwise_mixed", lambda lib, a, b: (a & b.bool(), a.int() | b, a ^ True), BINARY,
             dtypes=("int64",), domain=(-50, 50)),
    _no_grad("bitwise_shift", lambda lib, a, b: (lib.bitwise_left_shift(a, b), a >> b,
                                                 a << 3, a.bitwise_right_shift(2)),
             BINARY, dtypes=("int64", "int32"), inputs=_shifts, error_cases=[
                 ErrorCase(lambda lib: lib.tensor([True]) << lib.tensor([True]),
                           NotImplementedError, "lshift"),
                 ErrorCase(lambda lib: lib.ones(2) >> 1, NotImplementedError, "rshift")]),
    _no_grad("bitwise_inplace", lambda lib, a, b: ((a + 0).bitwise_and_(b),
                                                   (a + 0).bitwise_xor_(b)), INPLACE,
             dtypes=("int64",), domain=(0, 100)),
    _no_grad("predicates", lambda lib, a: (lib.isnan(a), a.isinf(), lib.isfinite(a),
                                           lib.isposinf(a), a.isneginf(), lib.signbit(a)),
             UNARY, dtypes=FLOATS, inputs=_specials),
    _no_grad("predicates_int", lambda lib, a: (lib.isnan(a), lib.isinf(a), lib.isfinite(a),
                                               lib.isposinf(a), lib.isneginf(a),
                                               lib.signbit(a)), UNARY, dtypes=("int64", "bool")),
    _no_grad("isclose", lambda lib, a, b: (lib.isclose(a, b), a.isclose(b, equal_nan=True),
                                           lib.isclose(a, b, rtol=0, atol=0),
                                           lib.isclose(a, b, rtol=1e-3, atol=0)),
             BINARY, dtypes=FLOATS, inputs=_near, error_cases=[
                 ErrorCase(lambda lib: lib.isclose(lib.ones(2), lib.ones(2, dtype=lib.float64)),
                           RuntimeError, "Float did not match Double"),
                 ErrorCase(lambda lib: lib.isclose(lib.ones(2), lib.ones(2), rtol=-1),
                           RuntimeError, "rtol must be greater than or equal to zero, but "
                                         "got -1"),
                 ErrorCase(lambda lib: lib.isclose(lib.ones(2), 1.0), TypeError)]),
    _no_grad("isclose_int", lambda lib, a, b: (lib.isclose(a, b), lib.isclose(a, b, rtol=0.5)),
             BINARY, dtypes=("int64", "bool"), domain=(-3, 3)),
]

INPLACE_SPECS = [
    OpSpec("unary_inplace", lambda lib, a: ((a * 1).exp2_(), (a * 1).tan_(), (a * 1).sign_(),
                                            (a * 1).reciprocal_()), UNARY, domain=(0.5, 1.5)),
    OpSpec("saves_input_inplace", lambda lib, a: ((a * 1).arctan_(), (a * 1).erf_()), UNARY),
    OpSpec("binary_inplace", lambda lib, a, b: ((a * 1).atan2_(b), (a * 1).copysign_(b),
                                                (a * 1).hypot_(b), (a * 1).xlogy_(b.abs())),
           INPLACE),
]

SPECS = (UNARY_SPECS + BINARY_SPECS + CLAMP_SPECS + WHERE_SPECS + LOGICAL_SPECS +
         INPLACE_SPECS)
make_tests(globals(), SPECS)


# ---------------------------------------------------------------------- conventions
def _grads(lib, fn, *columns):
    """``fn``'s value and the gradients of its sum with respect to each float64 column."""
    inputs = [lib.tensor(column, dtype=lib.float64, requires_grad=True) for column in columns]
    output = fn(lib, *inputs)
    grads = lib.autograd.grad(output.sum(), inputs, allow_unused=True)
    return [output.detach().numpy()] + [None if g is None else g.numpy() for g in grads]


def _assert_same(torch, fn, *columns):
    for actual, expected in zip(_grads(ember, fn, *columns), _grads(torch, fn, *columns)):
        assert (actual is None) == (expected is None)
        if expected is not None:
            np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=0)


def _grid(values, arity):
    return [list(column) for column in zip(*itertools.product(values, repeat=arity))]


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_min_max_gradient_ties_and_nan(name, torch):
    _assert_same(torch, lambda lib, a, b: getattr(lib, name)(a, b),
                 *_grid([0.0, 1.0, math.nan], 2))


def test_clamp_gradient_at_bounds_and_nan(torch):
    values = [0.0, 1.0, 2.0, math.nan]
    _assert_same(torch, lambda lib, x, lo, hi: lib.clamp(x, lo, hi), *_grid(values, 3))
    _assert_same(torch, lambda lib, x, lo: lib.clamp(x, min=lo), *_grid(values, 2))
    _assert_same(torch, lambda lib, x, hi: lib.clamp(x, max=hi), *_grid(values, 2))
    for bounds in [(0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, None), (None, 1.0), (math.nan, 1.0)]:
        _assert_same(torch, lambda lib, x, bounds=bounds: lib.clamp(x, *bounds),
                     values + [0.5, -1.0])


@pytest.mark.parametrize("name,columns", [
    ("xlogy", [[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, -1.0, math.nan],
               [0.0, -1.0, 2.0, math.nan, 0.0, -1.0, 0.0, 2.0]]),
    ("copysign", [[0.0, -0.0, 1.0, 2.0, -3.0], [-1.0, 1.0, -1.0, 0.0, -0.0]]),
    ("atan2", [[0.0, 1.0, -1.0, 0.0], [1.0, 0.0, -1.0, -2.0]]),
    ("hypot", [[3.0, 0.5, -1.0], [4.0, 0.0, 2.0]]),
    ("logaddexp", [[0.0, 1000.0, -1000.0], [0.0, 1000.0, 5.0]]),
    ("logaddexp2", [[0.0, 1000.0, -1000.0], [0.0, 1000.0, 5.0]]),
    ("remainder", [[5.0, -5.0, 5.5, -7.0], [3.0, 3.0, -2.0, 2.0]]),
    ("fmod", [[5.0, -5.0, 5.5, -7.0], [3.0, 3.0, -2.0, 2.0]]),
])
def test_binary_gradients_at_special_points(name, columns, torch):
    _assert_same(torch, lambda lib, a, b: getattr(lib, name)(a, b), *columns)


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.sinc(x), lambda lib, x: lib.logit(x, eps=0.25), lambda lib, x: x.sign(),
    lambda lib, x: lib.nan_to_num(x), lambda lib, x: lib.frac(x), lambda lib, x: x.round(),
    lambda lib, x: lib.logit(x),
], ids=["sinc", "logit_eps", "sign", "nan_to_num", "frac", "round", "logit"])
def test_unary_special_points(fn, torch):
    _assert_same(torch, fn, [0.0, 0.25, 0.75, 0.5, 1.5, -2.5, 2.0, math.nan, math.inf])


def test_rounding_and_division_special_values(torch):
    floats = [0.5, 1.5, 2.5, -0.5, -1.5, -7.0, 7.0, 0.0, -0.0, math.nan, math.inf, -math.inf]
    for lib_fn in [lambda lib, a: lib.round(a), lambda lib, a: lib.round(a, decimals=1),
                   lambda lib, a: lib.sign(a), lambda lib, a: lib.remainder(a, -2.0),
                   lambda lib, a: lib.fmod(a, -2.0), lambda lib, a: lib.div(a, 0.0,
                                                                            rounding_mode="floor"),
                   lambda lib, a: lib.div(a, -2, rounding_mode="trunc")]:
        expected = lib_fn(torch, torch.tensor(floats, dtype=torch.float64))
        actual = lib_fn(ember, ember.tensor(floats, dtype=ember.float64))
        np.testing.assert_array_equal(actual.numpy(), expected.numpy())
    ints = [7, -7, 6, -6, 1, 0]
    for mode in ("trunc", "floor"):
        expected = torch.div(torch.tensor(ints), torch.tensor([2, 2, -4, 4, -3, 5]),
                             rounding_mode=mode)
        actual = ember.div(ember.tensor(ints), ember.tensor([2, 2, -4, 4, -3, 5]),
                           rounding_mode=mode)
        assert actual.tolist() == expected.tolist()


def test_integer_rounding_returns_integers(torch):
    for name in ("floor", "ceil", "round", "trunc", "fix", "sign", "sgn"):
        values = [3, -2, 0]
        actual = getattr(ember, name)(ember.tensor(values))
        expected = getattr(torch, name)(torch.tensor(values))
        assert actual.dtype is ember.int64 and actual.tolist() == expected.tolist()


def test_float_ops_promote_integers_to_default_dtype(torch):
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for name in ("exp2", "log1p", "erf", "deg2rad", "rsqrt", "sinc"):
            assert getattr(ember, name)(ember.tensor([1, 2])).dtype is ember.float64
            assert getattr(torch, name)(torch.tensor([1, 2])).dtype is torch.float64
    finally:
        ember.set_default_dtype(ember.float32)
        torch.set_default_dtype(torch.float32)


def test_equal_and_allclose(torch):
    cases = [([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.0 + 1e-9]), ([1.0], [[1.0]]),
             ([math.nan], [math.nan]), ([1.0, 2.0], [1.0, 3.0])]
    for a, b in cases:
        for fn in (lambda lib, x, y: lib.equal(x, y), lambda lib, x, y: x.allclose(y),
                   lambda lib, x, y: lib.allclose(x, y, equal_nan=True)):
            expected = fn(torch, torch.tensor(a), torch.tensor(b))
            actual = fn(ember, ember.tensor(a), ember.tensor(b))
            assert actual is expected
    assert ember.equal(ember.tensor([1, 2]), ember.tensor([1.0, 2.0])) is \
        torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]))


def test_positive_returns_input():
    x = ember.ones(2, requires_grad=True)
    assert ember.positive(x) is x and +x is x


def test_where_single_argument(torch):
    if not hasattr(ember, "nonzero"):
        pytest.skip("ember.nonzero is not available yet")
    condition = [[True, False], [False, True]]
    actual = ember.where(ember.tensor(condition))
    expected = torch.where(torch.tensor(condition))
    assert [a.tolist() for a in actual] == [e.tolist() for e in expected]


def test_where_uint8_condition_warns(torch):
    with pytest.warns(UserWarning, match="uint8 condition"):
        result = ember.where(ember.tensor([1, 0], dtype=ember.uint8), 1.0, 2.0)
    assert result.tolist() == [1.0, 2.0]


def test_methods_and_inplace_variants_match_pytorch(torch):
    from ember._ops import pointwise_more

    for name in pointwise_more.__all__:
        assert hasattr(ember.Tensor, name) == hasattr(torch.Tensor, name), name
        assert hasattr(ember.Tensor, name + "_") == hasattr(torch.Tensor, name + "_"), name


def test_double_backward_through_where_and_clamp():
    x = ember.tensor([-1.5, 0.5, 2.0], dtype=ember.float64, requires_grad=True)
    y = ember.where(x > 0, x * x * x, ember.clamp(x, -1.0, 1.0) * x)
    (grad,) = ember.autograd.grad(y.sum(), x, create_graph=True)
    (second,) = ember.autograd.grad(grad.sum(), x)
    assert grad.tolist() == [-1.0, 0.75, 12.0]
    assert second.tolist() == [0.0, 3.0, 12.0]
