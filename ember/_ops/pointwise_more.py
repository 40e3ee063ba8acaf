"""More element-wise ops: unary math, rounding, clamping, min/max, division remainders, logical and
bitwise ops, predicates, ``where`` and friends."""

import math
import warnings

import numpy as np

from ember import _dtype
from ember._ops._checks import (
    as_tensor_like,
    broadcast_shapes,
    cast,
    check_same_device,
    check_tensor,
    promote_operands,
    to_floating,
)
from ember._ops.creation import tensor as _new_tensor
from ember._ops.pointwise import _out, _unary, add, eq, mul, pow, sub
from ember._tensor import Tensor, _make, _scalar_type_name
from ember.autograd.function import Op

__all__ = [
    "sign", "sgn", "exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "reciprocal", "tan",
    "asin", "arcsin", "acos", "arccos", "atan", "arctan", "atan2", "arctan2", "sinh", "cosh",
    "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "erf", "erfc", "erfinv",
    "floor", "ceil", "round", "trunc", "fix", "frac", "clamp", "clip", "clamp_min", "clamp_max",
    "maximum", "minimum", "fmax", "fmin", "lerp", "addcmul", "addcdiv", "logical_and",
    "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
    "bitwise_not", "bitwise_left_shift", "bitwise_right_shift", "floor_divide", "remainder",
    "fmod", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isclose", "allclose", "equal",
    "where", "nan_to_num", "logit", "hypot", "xlogy", "copysign", "signbit", "deg2rad",
    "rad2deg", "float_power", "positive", "heaviside", "sinc", "logaddexp", "logaddexp2",
]

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _special(xp):
    """SciPy's special functions for NumPy arrays, CuPy's for CuPy arrays."""
    if xp is np:
        import scipy.special

        return scipy.special
    import cupyx.scipy.special

    return cupyx.scipy.special


# ---------------------------------------------------------------------- unary math
class Exp2(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.exp2(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result * _LN2


class Expm1(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.expm1(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * (result + 1)


class Log2(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.log2(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / (input * _LN2)


class Log10(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.log10(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / (input * _LN10)


class Log1p(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.log1p(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / (input + 1)


class Rsqrt(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.reciprocal(xp.sqrt(input))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * -0.5 * result * result * result


class Reciprocal(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.reciprocal(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return -grad_output * result * result


class Tan(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.tan(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * (1 + result * result)


class Asin(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.arcsin(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / ctx.xp.sqrt(1 - input * input)


class Acos(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.arccos(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return -grad_output / ctx.xp.sqrt(1 - input * input)


class Atan(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.arctan(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / (input * input + 1)


class Sinh(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.sinh(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * ctx.xp.cosh(input)


class Cosh(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.cosh(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * ctx.xp.sinh(input)


class Asinh(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.arcsinh(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / ctx.xp.sqrt(input * input + 1)


class Acosh(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.arccosh(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / ctx.xp.sqrt(input * input - 1)


class Atanh(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.arctanh(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / (1 - input * input)


class Erf(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return _special(xp).erf(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * _TWO_OVER_SQRT_PI * ctx.xp.exp(-input * input)


class Erfc(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return _special(xp).erfc(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * -_TWO_OVER_SQRT_PI * ctx.xp.exp(-input * input)


class Erfinv(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = _special(xp).erfinv(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * (0.5 * math.sqrt(math.pi)) * ctx.xp.exp(result * result)


class Sinc(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.sinc(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        xp = ctx.xp
        pi_input = input * math.pi
        grad = grad_output * (pi_input * xp.cos(pi_input) - xp.sin(pi_input)) / (pi_input * input)
        return xp.where(input == 0, 0, grad)


class Logit(Op):
    @staticmethod
    def forward(ctx, xp, input, eps):
        ctx.save_for_backward(input)
        ctx.eps = eps
        if eps is not None:
            input = xp.clip(input, eps, 1 - eps)
        return xp.log(input / (1 - input))

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        eps, xp = ctx.eps, ctx.xp
        grad = grad_output / (input * (1 - input))
        if eps is None:
            return xp.where((input < 0) | (input > 1), math.nan, grad), None
        return xp.where((input < eps) | (input > 1 - eps), 0, grad), None


class NanToNum(Op):
    @staticmethod
    def forward(ctx, xp, input, nan, posinf, neginf):
        ctx.save_for_backward(input)
        return xp.nan_to_num(input, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * ctx.xp.isfinite(input), None, None, None


# ---------------------------------------------------------------------- piecewise constant
class _ZeroGrad(Op):
    """Ops whose derivative is zero wherever it exists (PyTorch returns zeros, not None)."""

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.xp.zeros_like(grad_output)


class Floor(_ZeroGrad):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.floor(input)


class Ceil(_ZeroGrad):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.ceil(input)


class Trunc(_ZeroGrad):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.trunc(input)


class Sign(_ZeroGrad):
    @staticmethod
    def forward(ctx, xp, input):
        if input.dtype.kind == "f":  # NumPy's sign(nan) is nan, PyTorch's is 0
            return (input > 0).astype(input.dtype) - (input < 0)
        return xp.sign(input)


class Round(Op):
    @staticmethod
    def forward(ctx, xp, input, decimals):
        return xp.round(input, decimals)

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.xp.zeros_like(grad_output), None


class DivRounding(Op):
    """``input / other`` rounded by ``rounding_mode``: zero gradients, like PyTorch."""

    @staticmethod
    def forward(ctx, xp, input, other, rounding_mode):
        if rounding_mode == "floor":
            return xp.floor_divide(input, other)
        if xp.result_type(input, other).kind == "f":
            return xp.trunc(xp.true_divide(input, other))
        quotient = xp.floor_divide(input, other)
        inexact = quotient * other != input
        return quotient + (inexact & ((xp.less(input, 0)) != (xp.less(other, 0))))

    @staticmethod
    def backward(ctx, grad_output):
        needs, zeros = ctx.needs_input_grad, ctx.xp.zeros_like(grad_output)
        return zeros if needs[0] else None, zeros if needs[1] else None, None


# ---------------------------------------------------------------------- binary math
class Atan2(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.arctan2(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        needs = ctx.needs_input_grad
        scale = grad_output / (input * input + other * other)
        return scale * other if needs[0] else None, -scale * input if needs[1] else None


class Hypot(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        result = xp.hypot(input, other)
        ctx.save_for_backward(input, other, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        input, other, result = ctx.saved_tensors
        needs = ctx.needs_input_grad
        scale = grad_output / result
        return scale * input if needs[0] else None, scale * other if needs[1] else None


class Logaddexp(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.logaddexp(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        return (grad_output / (1 + xp.exp(other - input)) if needs[0] else None,
                grad_output / (1 + xp.exp(input - other)) if needs[1] else None)


class Logaddexp2(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.logaddexp2(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        return (grad_output / (1 + xp.exp2(other - input)) if needs[0] else None,
                grad_output / (1 + xp.exp2(input - other)) if needs[1] else None)


class Copysign(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        result = xp.copysign(input, other)
        ctx.save_for_backward(input, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        input, result = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        grad_input = grad_output * xp.where(input == 0, 0, result / input) if needs[0] else None
        return grad_input, xp.zeros_like(grad_output) if needs[1] else None


class Xlogy(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.where((input == 0) & ~xp.isnan(other), 0, input * xp.log(other))

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        grad_input = grad_other = None
        if needs[0]:
            grad_input = xp.where((input == 0) & (other <= 0), 0, grad_output * xp.log(other))
        if needs[1]:
            grad_other = grad_output * input / other
        return grad_input, grad_other


class Remainder(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(input, other)
        return xp.remainder(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        needs = ctx.needs_input_grad
        grad_other = None
        if needs[1]:
            input, other = ctx.saved_tensors
            grad_other = -grad_output * ctx.xp.floor_divide(input, other)
        return grad_output if needs[0] else None, grad_other


class Fmod(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(input, other)
        return xp.fmod(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        needs = ctx.needs_input_grad
        grad_other = None
        if needs[1]:
            input, other = ctx.saved_tensors
            grad_other = -grad_output * ctx.xp.trunc(input / other)
        return grad_output if needs[0] else None, grad_other


def _split_ties(ctx, grad_output, input_loses, other_loses, tie):
    """Gradients of max/min: the winner takes the gradient, a tie splits it in halves, and NaN
    (where neither loses) sends all of it to both, like PyTorch."""
    xp, needs = ctx.xp, ctx.needs_input_grad
    shared = xp.where(tie, grad_output * 0.5, grad_output)
    return (xp.where(input_loses, 0, shared) if needs[0] else None,
            xp.where(other_loses, 0, shared) if needs[1] else None)


class Maximum(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.maximum(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        return _split_ties(ctx, grad_output, input < other, input > other, input == other)


class Minimum(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.minimum(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        return _split_ties(ctx, grad_output, input > other, input < other, input == other)


class Fmax(Maximum):
    """``fmax``: NaN loses to a number; the gradient follows ``maximum``'s (PyTorch's) rule."""

    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.fmax(input, other)


class Fmin(Minimum):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input, other)
        return xp.fmin(input, other)


class Clamp(Op):
    """``clamp`` with number bounds (either may be ``None``)."""

    @staticmethod
    def forward(ctx, xp, input, min, max):
        if ctx.needs_input_grad[0]:
            # PyTorch's convention: no gradient at the bounds themselves, nor for NaN
            inside = input > min if min is not None else None
            if max is not None:
                inside = input < max if inside is None else inside & (input < max)
            ctx.save_for_backward(inside)
        result = input if min is None else xp.maximum(input, min)
        return result if max is None else xp.minimum(result, max)

    @staticmethod
    def backward(ctx, grad_output):
        (inside,) = ctx.saved_tensors
        return ctx.xp.where(inside, grad_output, 0), None, None


class ClampTensor(Op):
    """``clamp`` with two tensor bounds; with one, it is ``maximum`` or ``minimum``."""

    @staticmethod
    def forward(ctx, xp, input, min, max):
        ctx.save_for_backward(input, min, max)
        return xp.minimum(xp.maximum(input, min), max)

    @staticmethod
    def backward(ctx, grad_output):
        # PyTorch's convention: a tie with a bound splits the gradient in halves while
        # min < max; min > max sends everything to max; NaN bounds are ignored.
        input, min, max = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        ordered, valid = min < max, min <= max
        half = grad_output * 0.5
        grad_input = grad_min = grad_max = None
        if needs[0]:
            tie = ((input == min) | (input == max)) & ordered
            inside = ~((input < min) | (input > max))
            grad_input = xp.where(inside, xp.where(tie, half, grad_output), 0)
        if needs[1]:
            grad_min = xp.where((input < min) & valid, grad_output,
                                xp.where((input == min) & ordered, half, 0))
        if needs[2]:
            grad_max = xp.where(((input > max) & valid) | (min > max), grad_output,
                                xp.where((input == max) & ordered, half, 0))
        return grad_input, grad_min, grad_max


class Where(Op):
    @staticmethod
    def forward(ctx, xp, condition, input, other):
        ctx.save_for_backward(condition)
        return xp.where(condition, input, other)

    @staticmethod
    def backward(ctx, grad_output):
        (condition,) = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        return (None, xp.where(condition, grad_output, 0) if needs[1] else None,
                xp.where(condition, 0, grad_output) if needs[2] else None)


# ---------------------------------------------------------------------- no gradient
class _NoGrad(Op):
    differentiable = False


def _no_grad_op(name, function_name):
    """A non-differentiable Op applying ``xp.<function_name>`` to its arrays."""

    def forward(ctx, xp, *arrays):
        return getattr(xp, function_name)(*arrays)

    return type(name, (_NoGrad,), {"forward": staticmethod(forward)})


IsNan = _no_grad_op("IsNan", "isnan")
IsInf = _no_grad_op("IsInf", "isinf")
IsFinite = _no_grad_op("IsFinite", "isfinite")
LogicalAnd = _no_grad_op("LogicalAnd", "logical_and")
LogicalOr = _no_grad_op("LogicalOr", "logical_or")
LogicalXor = _no_grad_op("LogicalXor", "logical_xor")
LogicalNot = _no_grad_op("LogicalNot", "logical_not")
BitwiseAnd = _no_grad_op("BitwiseAnd", "bitwise_and")
BitwiseOr = _no_grad_op("BitwiseOr", "bitwise_or")
BitwiseXor = _no_grad_op("BitwiseXor", "bitwise_xor")
BitwiseNot = _no_grad_op("BitwiseNot", "invert")


class IsPosInf(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.isinf(input) & (input > 0)


class IsNegInf(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.isinf(input) & (input < 0)


class Signbit(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.signbit(input) if input.dtype.kind == "f" else input < 0


def _shift_out_of_range(input, other):
    # PyTorch shifts by a negative or too large amount give 0 (-1 for negatives shifted right)
    return (other < 0) | (other >= input.dtype.itemsize * 8)


class BitwiseLeftShift(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.where(_shift_out_of_range(input, other), 0, xp.left_shift(input, other))


class BitwiseRightShift(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input, other):
        result = xp.where(_shift_out_of_range(input, other), xp.where(input < 0, -1, 0),
                          xp.right_shift(input, other))
        return result.astype(input.dtype, copy=False)


class Heaviside(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input, values):
        return xp.where(input == 0, values, input > 0).astype(input.dtype, copy=False)


class IsClose(_NoGrad):
    @staticmethod
    def forward(ctx, xp, input, other, rtol, atol, equal_nan):
        close = input == other
        if equal_nan:
            close = close | (xp.isnan(input) & xp.isnan(other))
        if rtol == 0 and atol == 0:
            return close
        allowed = atol + xp.abs(rtol * other)
        actual = xp.abs(input - other)
        return close | (xp.isfinite(actual) & (actual <= allowed))


# ---------------------------------------------------------------------- helpers
def _check_kinds(kernel, tensor, kinds):
    """NotImplementedError, like PyTorch's dispatch, unless ``tensor``'s dtype kind is in
    ``kinds`` (NumPy's letters: b bool, i/u integer, f float, c complex)."""
    if tensor._data.dtype.kind not in kinds:
        raise NotImplementedError(f'"{kernel}_{tensor.device.type}" not implemented for '
                                  f"'{_scalar_type_name(tensor.dtype)}'")


def _tensor_of(input, other):
    return input if isinstance(input, Tensor) else other


def _check_nonzero(divisor):
    """Integer division by zero raises, like PyTorch (NumPy returns 0 with a warning)."""
    zero = (divisor._data == 0).any() if isinstance(divisor, Tensor) else divisor == 0
    if zero:
        raise RuntimeError("ZeroDivisionError")


def _tensors(input, other, floating=False):
    """Two tensor operands (TypeError otherwise), promoted, optionally to a floating dtype."""
    check_tensor(input)
    check_tensor(other, "other")
    input, other = promote_operands(input, other)
    return (to_floating(input), to_floating(other)) if floating else (input, other)


def _saved_operands(input, other):
    """Promoted floating operands with a Python number made a 0-d tensor, for ops that save
    both operands for backward."""
    input, other = promote_operands(input, other)
    if not isinstance(input, Tensor):
        input = _new_tensor(input, dtype=other.dtype, device=other.device)
    elif not isinstance(other, Tensor):
        other = _new_tensor(other, dtype=input.dtype, device=input.device)
    return to_floating(input), to_floating(other)


def _copy(input):
    return _make(input._data.copy())


def _document(function, name, doc):
    function.__name__, function.__doc__ = name, doc
    return function


# ---------------------------------------------------------------------- public: unary math
exp2 = _document(_unary(Exp2), "exp2", "Returns :math:`2^{x}` for each element of ``input``.")
expm1 = _document(_unary(Expm1), "expm1", "Returns :math:`e^{x} - 1` for each element of "
                                          "``input``, accurate near zero.")
log2 = _document(_unary(Log2), "log2", "Returns the base-2 logarithm of each element.")
log10 = _document(_unary(Log10), "log10", "Returns the base-10 logarithm of each element.")
log1p = _document(_unary(Log1p), "log1p", r"Returns :math:`\log(1 + x)` for each element, "
                                          "accurate near zero.")
rsqrt = _document(_unary(Rsqrt), "rsqrt", "Returns the reciprocal square root of each element.")
reciprocal = _document(_unary(Reciprocal), "reciprocal", "Returns :math:`1 / x` for each "
                                                         "element of ``input``.")
tan = _document(_unary(Tan), "tan", "Returns the tangent of each element of ``input``.")
asin = _document(_unary(Asin), "asin", "Returns the arcsine of each element of ``input``.")
acos = _document(_unary(Acos), "acos", "Returns the arccosine of each element of ``input``.")
atan = _document(_unary(Atan), "atan", "Returns the arctangent of each element of ``input``.")
sinh = _document(_unary(Sinh), "sinh", "Returns the hyperbolic sine of each element.")
cosh = _document(_unary(Cosh), "cosh", "Returns the hyperbolic cosine of each element.")
asinh = _document(_unary(Asinh), "asinh", "Returns the inverse hyperbolic sine of each element.")
acosh = _document(_unary(Acosh), "acosh", "Returns the inverse hyperbolic cosine of each "
                                          "element.")
atanh = _document(_unary(Atanh), "atanh", "Returns the inverse hyperbolic tangent of each "
                                          "element.")
erf = _document(_unary(Erf), "erf", "Returns the error function of each element of ``input``.")
erfc = _document(_unary(Erfc), "erfc", "Returns the complementary error function, "
                                       ":math:`1 - \\mathrm{erf}(x)`, of each element.")
erfinv = _document(_unary(Erfinv), "erfinv", "Returns the inverse error function of each "
                                             "element of ``input``.")
sinc = _document(_unary(Sinc), "sinc", r"Returns :math:`\sin(\pi x) / (\pi x)` (1 at 0) for "
                                       "each element of ``input``.")
arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh


def logit(input, eps=None, *, out=None):
    r"""Returns :math:`\log(x / (1 - x))`, with ``input`` first clamped to ``[eps, 1 - eps]``
    when ``eps`` is given."""
    return _out(Logit.apply(to_floating(input), eps), out)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replaces NaN, positive and negative infinity by ``nan``, ``posinf`` and ``neginf``
    (by default zero and the dtype's largest and lowest finite values)."""
    if input._data.dtype.kind not in "fc":
        return _out(_copy(input), out)
    return _out(NanToNum.apply(input, nan, posinf, neginf), out)


def deg2rad(input, *, out=None):
    """Converts angles in degrees to radians."""
    return mul(to_floating(input), math.pi / 180, out=out)


def rad2deg(input, *, out=None):
    """Converts angles in radians to degrees."""
    return mul(to_floating(input), 180 / math.pi, out=out)


def positive(input):
    """Returns ``input`` itself (``+input``)."""
    if input._data.dtype == np.bool_:
        raise NotImplementedError("The `+` operator, on a bool tensor is not supported.")
    return input


# ---------------------------------------------------------------------- public: rounding
def _rounding(op, kernel, input, *args):
    if input._data.dtype.kind in "iu":  # integers are already whole: a copy, like PyTorch
        return _copy(input)
    _check_kinds(kernel, input, "f")
    return op.apply(input, *args)


def floor(input, *, out=None):
    """Returns the largest integer not greater than each element."""
    return _out(_rounding(Floor, "floor_vml", input), out)


def ceil(input, *, out=None):
    """Returns the smallest integer not less than each element."""
    return _out(_rounding(Ceil, "ceil_vml", input), out)


def trunc(input, *, out=None):
    """Rounds each element toward zero."""
    return _out(_rounding(Trunc, "trunc_vml", input), out)


fix = trunc


def round(input, *, decimals=0, out=None):  # noqa: A001 - PyTorch's name
    """Rounds each element to ``decimals`` decimal places, halves to even."""
    if decimals != 0:
        _check_kinds("round", input, "f")
    return _out(_rounding(Round, "round_vml", input, decimals), out)


def frac(input, *, out=None):
    """Returns the fractional part of each element, :math:`x - \\mathrm{trunc}(x)`."""
    _check_kinds("frac", input, "f")
    return sub(input, trunc(input), out=out)


def sign(input, *, out=None):
    """Returns -1, 0 or 1 according to the sign of each element (0 for NaN)."""
    if input._data.dtype == np.bool_:
        return _out(_copy(input), out)
    return _out(Sign.apply(input), out)


def sgn(input, *, out=None):
    """``sign`` for real inputs; :math:`x / |x|` (0 at 0) for complex ones."""
    if not input.is_complex():
        return sign(input, out=out)
    return where(input == 0, 0, input / input.abs(), out=out)


def rounded_div(input, other, rounding_mode):
    """``input / other`` rounded toward zero (``'trunc'``) or down (``'floor'``); the operands
    are already promoted (this is :func:`ember.div` with a ``rounding_mode``)."""
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    tensor = _tensor_of(input, other)
    _check_kinds(f"div_{rounding_mode}", tensor, "iuf")
    if tensor._data.dtype.kind in "iu":
        _check_nonzero(other)
    return DivRounding.apply(input, other, rounding_mode)


def floor_divide(input, other, *, out=None):
    """Divides ``input`` by ``other`` and rounds the quotient down."""
    input, other = promote_operands(input, other)
    return _out(rounded_div(input, other, "floor"), out)


def remainder(input, other, *, out=None):
    """Python's modulus: the remainder of ``input / other``, with the sign of ``other``."""
    input, other = promote_operands(input, other)
    tensor = _tensor_of(input, other)
    _check_kinds("remainder", tensor, "iuf")
    if tensor._data.dtype.kind in "iu":
        _check_nonzero(other)
    if not isinstance(input, Tensor):  # saved for the gradient of ``other``
        input = _new_tensor(input, dtype=other.dtype, device=other.device)
    return _out(Remainder.apply(input, other), out)


def fmod(input, other, *, out=None):
    """C's ``fmod``: the remainder of ``input / other``, with the sign of ``input``."""
    input, other = promote_operands(check_tensor(input), other)
    _check_kinds("fmod", input, "iuf")
    if input._data.dtype.kind in "iu":
        _check_nonzero(other)
    return _out(Fmod.apply(input, other), out)


# ---------------------------------------------------------------------- public: binary math
def atan2(input, other, *, out=None):
    """Returns the angle of the point ``(other, input)``: the arctangent of ``input / other``
    in the right quadrant."""
    return _out(Atan2.apply(*_tensors(input, other, floating=True)), out)


arctan2 = atan2


def hypot(input, other, *, out=None):
    r"""Returns :math:`\sqrt{x^2 + y^2}` without intermediate overflow."""
    input, other = _tensors(input, other)
    _check_kinds("hypot", input, "f")
    return _out(Hypot.apply(input, other), out)


def logaddexp(input, other, *, out=None):
    r"""Returns :math:`\log(e^{x} + e^{y})`, computed stably."""
    input, other = _tensors(input, other)
    _check_kinds("logaddexp", input, "f")
    return _out(Logaddexp.apply(input, other), out)


def logaddexp2(input, other, *, out=None):
    r"""Returns :math:`\log_2(2^{x} + 2^{y})`, computed stably."""
    input, other = _tensors(input, other)
    _check_kinds("logaddexp2", input, "f")
    return _out(Logaddexp2.apply(input, other), out)


def copysign(input, other, *, out=None):
    """Returns the magnitude of ``input`` with the sign of ``other`` (a tensor or a number)."""
    input, other = promote_operands(check_tensor(input), other)
    other = to_floating(other) if isinstance(other, Tensor) else other
    return _out(Copysign.apply(to_floating(input), other), out)


def xlogy(input, other, *, out=None):
    r"""Returns :math:`x \log(y)`, defined as 0 where :math:`x = 0` (unless :math:`y` is NaN)."""
    return _out(Xlogy.apply(*_saved_operands(input, other)), out)


def float_power(input, exponent, *, out=None):
    """``input ** exponent`` computed in double precision (``complex128`` for complex)."""
    is_complex = any(x.is_complex() if isinstance(x, Tensor) else isinstance(x, complex)
                     for x in (input, exponent))
    dtype = _dtype.complex128 if is_complex else _dtype.float64
    input, exponent = (cast(x, dtype) if isinstance(x, Tensor) else x for x in (input, exponent))
    return pow(input, exponent, out=out)


def _float_power_inplace(self, exponent):
    if self.dtype is not _dtype.float64 and self.dtype is not _dtype.complex128:
        raise RuntimeError(f"the base given to float_power_ has dtype "
                           f"{_scalar_type_name(self.dtype)} but the operation's result "
                           "requires dtype Double")
    return self._write(float_power(self, exponent))


def maximum(input, other, *, out=None):
    """Element-wise maximum (NaN propagates); ties split the gradient."""
    return _out(Maximum.apply(*_tensors(input, other)), out)


def minimum(input, other, *, out=None):
    """Element-wise minimum (NaN propagates); ties split the gradient."""
    return _out(Minimum.apply(*_tensors(input, other)), out)


def fmax(input, other, *, out=None):
    """Element-wise maximum that ignores NaN unless both elements are NaN."""
    return _out(Fmax.apply(*_tensors(input, other)), out)


def fmin(input, other, *, out=None):
    """Element-wise minimum that ignores NaN unless both elements are NaN."""
    return _out(Fmin.apply(*_tensors(input, other)), out)


def clamp(input, min=None, max=None, *, out=None):  # noqa: A002 - PyTorch's names
    """Clamps each element of ``input`` into ``[min, max]``; the bounds are both numbers or both
    tensors, and either may be ``None``. Where ``min > max`` the result is ``max``."""
    bounds = [bound for bound in (min, max) if bound is not None]
    if not bounds:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    tensor_bounds = [isinstance(bound, Tensor) for bound in bounds]
    if any(tensor_bounds) and not all(tensor_bounds):
        raise TypeError("clamp() received an invalid combination of arguments: min and max "
                        "must be both Tensors or both Numbers")
    dtype = _dtype.result_type(input, *bounds)
    input = cast(input, dtype)
    _check_kinds("clamp", input, "iuf")
    if not any(tensor_bounds):
        return _out(Clamp.apply(input, min, max), out)
    for bound in bounds:
        check_same_device(input, bound)
    broadcast_shapes(input._data.shape, *(bound._data.shape for bound in bounds))
    min, max = (cast(bound, dtype) if bound is not None else None for bound in (min, max))
    if max is None:
        return _out(Maximum.apply(input, min), out)
    if min is None:
        return _out(Minimum.apply(input, max), out)
    return _out(ClampTensor.apply(input, min, max), out)


clip = clamp


def clamp_min(input, min, *, out=None):  # noqa: A002
    """``clamp(input, min=min)``."""
    return clamp(input, min, None, out=out)


def clamp_max(input, max, *, out=None):  # noqa: A002
    """``clamp(input, max=max)``."""
    return clamp(input, None, max, out=out)


def lerp(input, end, weight, *, out=None):
    r"""Linear interpolation :math:`x + w (e - x)`; ``weight`` is a number or a tensor."""
    _check_kinds("lerp_kernel_scalar" if not isinstance(weight, Tensor) else
                 "lerp_kernel_tensor", input, "fc")
    for name, value in (("end", end), ("weight", weight)):
        if isinstance(value, Tensor) and value.dtype is not input.dtype and \
                (name == "end" or value.ndim):
            raise RuntimeError(f"expected dtype {_scalar_type_name(input.dtype).lower()} for "
                               f"`{name}` but got dtype {_scalar_type_name(value.dtype).lower()}")
    return _out(input + weight * (end - input), out)


def _scale(value, *tensors):
    """``value`` as the result dtype of ``tensors`` takes it (integers truncate it)."""
    if _dtype.result_type(*tensors).category <= _dtype._INT:
        return int(value)
    return value


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """Returns ``input + value * tensor1 * tensor2``."""
    return add(input, tensor1 * tensor2, alpha=_scale(value, input, tensor1, tensor2), out=out)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """Returns ``input + value * tensor1 / tensor2``."""
    if tensor1._data.dtype.kind in "biu" and tensor2._data.dtype.kind in "biu":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / "
            "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
            "tensor2) for float inputs. The future addcdiv behavior is just the latter "
            "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
    return add(input, tensor1 / tensor2, alpha=value, out=out)


# ---------------------------------------------------------------------- public: where
def where(condition, input=None, other=None, *, out=None):
    """Chooses ``input`` where ``condition`` is true and ``other`` elsewhere (tensors or
    numbers, broadcast together). ``where(condition)`` is ``nonzero(condition, as_tuple=True)``.
    """
    if input is None and other is None:
        import ember

        return ember.nonzero(condition, as_tuple=True)
    if condition._data.dtype == np.uint8:
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated "
                      "and will be removed in a future version. Use a boolean condition "
                      "instead.", UserWarning, stacklevel=2)
        condition = cast(condition, _dtype.bool)
    if condition._data.dtype != np.bool_:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_scalar_type_name(condition.dtype)}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = as_tensor_like(input, condition)
    input, other = promote_operands(input, other)
    broadcast_shapes(*(x._data.shape for x in (condition, input, other) if isinstance(x, Tensor)))
    return _out(Where.apply(condition, input, other), out)


def _where_method(self, condition, other):
    """``Tensor.where(condition, y)`` is ``ember.where(condition, self, y)``."""
    return where(condition, self, other)


# ---------------------------------------------------------------------- public: no gradient
def isnan(input):
    """Returns a bool tensor telling which elements are NaN."""
    return IsNan.apply(input)


def isinf(input):
    """Returns a bool tensor telling which elements are positive or negative infinity."""
    return IsInf.apply(input)


def isfinite(input):
    """Returns a bool tensor telling which elements are finite (not NaN nor infinite)."""
    return IsFinite.apply(input)


def isposinf(input, *, out=None):
    """Returns a bool tensor telling which elements are positive infinity."""
    return _out(IsPosInf.apply(input), out)


def isneginf(input, *, out=None):
    """Returns a bool tensor telling which elements are negative infinity."""
    return _out(IsNegInf.apply(input), out)


def signbit(input, *, out=None):
    """Returns a bool tensor telling which elements have their sign bit set (``-0.0`` does)."""
    return _out(Signbit.apply(input), out)


def _logical(op, input, other, out):
    check_tensor(input)
    check_tensor(other, "other")
    check_same_device(input, other)
    broadcast_shapes(input._data.shape, other._data.shape)
    return _out(op.apply(input, other), out)


def logical_and(input, other, *, out=None):
    """Element-wise logical AND (nonzero is true), as a bool tensor."""
    return _logical(LogicalAnd, input, other, out)


def logical_or(input, other, *, out=None):
    """Element-wise logical OR (nonzero is true), as a bool tensor."""
    return _logical(LogicalOr, input, other, out)


def logical_xor(input, other, *, out=None):
    """Element-wise logical XOR (nonzero is true), as a bool tensor."""
    return _logical(LogicalXor, input, other, out)


def logical_not(input, *, out=None):
    """Element-wise logical NOT (nonzero is true), as a bool tensor."""
    return _out(LogicalNot.apply(input), out)


def _bitwise(op, kernel, input, other, out, kinds="biu"):
    input, other = promote_operands(input, other)
    _check_kinds(kernel, _tensor_of(input, other), kinds)
    return _out(op.apply(input, other), out)


def bitwise_and(input, other, *, out=None):
    """Bitwise AND of integer or bool tensors (``input & other``)."""
    return _bitwise(BitwiseAnd, "bitwise_and", input, other, out)


def bitwise_or(input, other, *, out=None):
    """Bitwise OR of integer or bool tensors (``input | other``)."""
    return _bitwise(BitwiseOr, "bitwise_or", input, other, out)


def bitwise_xor(input, other, *, out=None):
    """Bitwise XOR of integer or bool tensors (``input ^ other``)."""
    return _bitwise(BitwiseXor, "bitwise_xor", input, other, out)


def bitwise_left_shift(input, other, *, out=None):
    """Shifts the bits of integer ``input`` left by ``other`` (``input << other``)."""
    return _bitwise(BitwiseLeftShift, "lshift", input, other, out, kinds="iu")


def bitwise_right_shift(input, other, *, out=None):
    """Shifts the bits of integer ``input`` right, arithmetically (``input >> other``)."""
    return _bitwise(BitwiseRightShift, "rshift", input, other, out, kinds="iu")


def bitwise_not(input, *, out=None):
    """Bitwise NOT of an integer tensor; logical NOT of a bool one (``~input``)."""
    _check_kinds("bitwise_not", input, "biu")
    return _out(BitwiseNot.apply(input), out)


def heaviside(input, values, *, out=None):
    """The Heaviside step: 0 where ``input < 0``, ``values`` where 0, 1 where positive."""
    check_tensor(input)
    check_tensor(values, "values")
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")
    broadcast_shapes(input._data.shape, values._data.shape)
    return _out(Heaviside.apply(input, values), out)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    r"""Which elements satisfy :math:`|x - y| \le atol + rtol |y|` (or are equal)."""
    check_tensor(input)
    check_tensor(other, "other")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_scalar_type_name(input.dtype)} did not match "
                           f"{_scalar_type_name(other.dtype)}")
    for name, value in (("rtol", rtol), ("atol", atol)):
        if value < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {value}")
    broadcast_shapes(input._data.shape, other._data.shape)
    if input._data.dtype == np.bool_:
        input, other = to_floating(input), to_floating(other)
    return IsClose.apply(input, other, rtol, atol, equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if every element of ``input`` is close to ``other`` (see :func:`isclose`)."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True if ``input`` and ``other`` have the same size and elements."""
    if input._data.shape != other._data.shape:
        return False
    return bool(eq(input, other)._data.all())


_TENSOR_METHODS = [name for name in __all__ if name != "where"]
_INPLACE_METHODS = [
    name for name in __all__ if name not in {
        "maximum", "minimum", "fmax", "fmin", "isnan", "isinf", "isfinite", "isposinf",
        "isneginf", "isclose", "allclose", "equal", "where", "signbit", "positive", "logaddexp",
        "logaddexp2", "float_power"}]
# Methods whose signature differs from the function's (bound here, not by the family loader)
Tensor.where = _where_method
Tensor.float_power_ = _float_power_inplace
