"""Activation functions as fused ops: one forward and one backward kernel each, gradients at the
kinks exactly as PyTorch's (``relu'(0) = 0``, no gradient at ``hardtanh``'s bounds, ...).

``relu``, ``sigmoid``, ``tanh``, ``softmax`` and ``log_softmax`` live in ``pointwise.py`` and
``reduction_more.py``; the functions here that PyTorch keeps in ``torch.nn.functional`` only
are not in ``__all__`` (``ember.nn.functional`` gathers them).
"""

import math

import numpy as np

from ember._ops._checks import wrap_dim
from ember._ops.creation import empty_like
from ember._ops.pointwise import relu
from ember._ops.pointwise_more import _special
from ember._tensor import _scalar_type_name
from ember.autograd.function import Op

__all__ = ["relu_", "selu", "selu_", "celu", "celu_", "rrelu", "rrelu_", "prelu", "hardshrink",
           "threshold", "threshold_"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_KAPPA = 0.044715
_ONE_SIXTH = float(np.float32(1 / 6))  # PyTorch's hardsigmoid gradient uses 1.0f / 6.0f


def _sigmoid(xp, input):
    # tanh form: no overflow for large negative inputs (as pointwise.Sigmoid)
    return xp.tanh(input * 0.5) * 0.5 + 0.5


def _blend(condition, if_true, if_false):
    """``where(condition, if_true, if_false)`` for finite values, as masked products: NumPy's
    ``where`` is several times slower than a multiplication."""
    return if_true * condition + if_false * ~condition


def _leaky(xp, input, negative_slope):
    """``max(x, 0) + negative_slope * min(x, 0)``; one ``maximum`` for slopes in [0, 1]."""
    if isinstance(negative_slope, (int, float)) and 0 <= negative_slope <= 1:
        return xp.maximum(input, input * negative_slope)
    result = xp.clip(input, None, 0)
    result *= negative_slope
    result += xp.clip(input, 0, None)  # exact: one of the two terms is 0
    return result


# ---------------------------------------------------------------------- piecewise linear
class LeakyRelu(Op):
    """``x`` where ``x > 0``, else ``x * negative_slope`` (a number, or an array of slopes)."""

    @staticmethod
    def forward(ctx, xp, input, negative_slope):
        ctx.save_for_backward(input, negative_slope)
        return _leaky(xp, input, negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        input, negative_slope = ctx.saved_tensors
        return _blend(input > 0, grad_output, grad_output * negative_slope), None


class RreluWithNoise(LeakyRelu):
    """Leaky ReLU whose slopes are random in training (``rrelu``)."""


class PreluKernel(Op):
    """Leaky ReLU with learnable slopes ``weight``, one per channel (dim 1) or one shared."""

    @staticmethod
    def forward(ctx, xp, input, weight):
        ctx.save_for_backward(input, weight)
        ctx.channel_dim = 1 if weight.size > 1 else None
        ctx.slopes_shape = shape = (1, -1) + (1,) * (input.ndim - 2) if weight.size > 1 else ()
        return _leaky(xp, input, weight.reshape(shape))

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        positive = input > 0
        grad_input = grad_weight = None
        if needs[0]:
            slopes = xp.reshape(weight, ctx.slopes_shape)
            grad_input = _blend(positive, grad_output, grad_output * slopes)
        if needs[1]:
            axes = tuple(d for d in range(input.ndim) if d != ctx.channel_dim)
            grad_weight = input * grad_output * ~positive
            grad_weight = xp.reshape(xp.sum(grad_weight, axis=axes), tuple(weight.shape))
        return grad_input, grad_weight


class Hardtanh(Op):
    @staticmethod
    def forward(ctx, xp, input, min_val, max_val):
        ctx.save_for_backward(input)
        ctx.min_val, ctx.max_val = min_val, max_val
        return xp.clip(input, min_val, max_val).astype(input.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        # PyTorch's convention: no gradient at the bounds themselves
        return grad_output * ((input > ctx.min_val) & (input < ctx.max_val)), None, None


class Threshold(Op):
    @staticmethod
    def forward(ctx, xp, input, threshold, value):
        ctx.save_for_backward(input)
        ctx.threshold = threshold
        # `<=`, not `>`: NaN passes through, as in PyTorch
        result = xp.where(input <= threshold, value, input)
        return result.astype(input.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * (input > ctx.threshold), None, None


class Hardshrink(Op):
    @staticmethod
    def forward(ctx, xp, input, lambd):
        ctx.save_for_backward(input)
        ctx.lambd = lambd
        return input * ((input < -lambd) | (input > lambd))

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        lambd = ctx.lambd
        return grad_output * ((input < -lambd) | (input > lambd)), None


class Softshrink(Hardshrink):
    @staticmethod
    def forward(ctx, xp, input, lambd):
        ctx.save_for_backward(input)
        ctx.lambd = lambd
        return input - xp.clip(input, -lambd, lambd)


class Hardsigmoid(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        result = xp.add(input, 3, out=xp.empty_like(input))
        xp.clip(result, 0, 6, out=result)
        result /= 6
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * ((input > -3) & (input < 3)) * _ONE_SIXTH


class Hardswish(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        result = xp.add(input, 3, out=xp.empty_like(input))
        xp.clip(result, 0, 6, out=result)
        result *= input
        result /= 6
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        # PyTorch's slopes: 0 up to -3, x / 3 + 1/2 strictly between, 1 from 3 on
        middle = (input > -3) & (input < 3)
        return grad_output * ((input / 3 + 0.5) * middle + (input >= 3))


# ---------------------------------------------------------------------- smooth
class Elu(Op):
    """``scale * x`` for ``x > 0``, else ``scale * alpha * (exp(x * input_scale) - 1)``."""

    @staticmethod
    def forward(ctx, xp, input, alpha, scale, input_scale):
        ctx.save_for_backward(input)
        ctx.coefficients = alpha, scale, input_scale
        result = xp.clip(input, None, 0, out=xp.empty_like(input))  # exp cannot overflow
        result *= input_scale
        xp.expm1(result, out=result)
        result *= alpha * scale
        result += xp.clip(input, 0, None) * scale
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        alpha, scale, input_scale = ctx.coefficients
        xp = ctx.xp
        negative = grad_output * xp.exp(xp.clip(input, None, 0) * input_scale)
        return _blend(input > 0, grad_output * scale, negative * (alpha * scale * input_scale)), \
            None, None, None


class Celu(Elu):
    pass


class Gelu(Op):
    @staticmethod
    def forward(ctx, xp, input, approximate):
        ctx.save_for_backward(input)
        ctx.approximate = approximate
        if approximate == "tanh":
            inner = _SQRT_2_OVER_PI * (input + _KAPPA * (input * input * input))
            return 0.5 * input * (1 + xp.tanh(inner))
        result = _normal_cdf(xp, input)
        result *= input
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return GeluBackward.call(grad_output, input, ctx.approximate), None


class GeluBackward(Op):
    """``grad_output * gelu'(input)``: its own op since ``erf`` has no NumPy kernel."""

    @staticmethod
    def forward(ctx, xp, grad_output, input, approximate):
        ctx.save_for_backward(grad_output, input)
        ctx.approximate = approximate
        if approximate == "tanh":
            square = input * input
            tanh_inner = xp.tanh(_SQRT_2_OVER_PI * (input + _KAPPA * square * input))
            slope = _SQRT_2_OVER_PI * (1 + 3 * _KAPPA * square)
            derivative = 0.5 * (1 + tanh_inner) \
                + 0.5 * input * (1 - tanh_inner * tanh_inner) * slope
        else:  # cdf + x * pdf
            derivative = _normal_cdf(xp, input)
            pdf = xp.multiply(input, input, out=xp.empty_like(input))
            pdf *= -0.5
            xp.exp(pdf, out=pdf)
            pdf *= _INV_SQRT_2PI
            pdf *= input
            derivative += pdf
        derivative *= grad_output
        return derivative

    @staticmethod
    def backward(ctx, grad):
        grad_output, input = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_grad_output = grad_input = None
        if needs[0]:
            grad_grad_output = GeluBackward.call(grad, input, ctx.approximate)
        if needs[1]:
            grad_input = grad * grad_output * _gelu_second_derivative(ctx.xp, input,
                                                                      ctx.approximate)
        return grad_grad_output, grad_input, None


def _gelu_second_derivative(xp, input, approximate):
    square = input * input
    if approximate != "tanh":
        return _INV_SQRT_2PI * xp.exp(-0.5 * square) * (2 - square)
    tanh_inner = xp.tanh(_SQRT_2_OVER_PI * (input + _KAPPA * square * input))
    slope = _SQRT_2_OVER_PI * (1 + 3 * _KAPPA * square)
    curvature = _SQRT_2_OVER_PI * 6 * _KAPPA * input
    return (1 - tanh_inner * tanh_inner) * (slope - input * tanh_inner * slope * slope
                                            + 0.5 * input * curvature)


def _normal_cdf(xp, input):
    r""":math:`\Phi(x) = (1 + \mathrm{erf}(x / \sqrt 2)) / 2`, a new array."""
    result = _erf(xp, input * _SQRT_HALF)
    result += 1
    result *= 0.5
    return result


def _erf(xp, input):
    """``erf`` on arrays, a new array. Below float64, Abramowitz & Stegun 7.1.26 (error below
    1.5e-7, float32's resolution near 1) in float32: SciPy's float32 erf is ~10x slower."""
    if input.dtype == np.float64:
        return xp.asarray(_special(xp).erf(input))
    x = input.astype(np.float32, copy=False)
    t = xp.abs(x, out=xp.empty_like(x))
    t *= 0.3275911
    t += 1
    xp.reciprocal(t, out=t)
    poly = xp.multiply(t, 1.061405429, out=xp.empty_like(x))
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += coefficient
        poly *= t
    gaussian = xp.multiply(x, x, out=t)
    xp.negative(gaussian, out=gaussian)
    xp.exp(gaussian, out=gaussian)
    poly *= gaussian
    xp.subtract(1, poly, out=poly)
    xp.copysign(poly, x, out=poly)
    return poly.astype(input.dtype, copy=False)


class Silu(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        result = _sigmoid(xp, input)
        result *= input
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        sigmoid = _sigmoid(ctx.xp, input)
        return grad_output * sigmoid * (1 + input * (1 - sigmoid))


class Mish(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return input * xp.tanh(xp.log1p(xp.exp(input)))

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        xp = ctx.xp
        tanh_softplus = xp.tanh(xp.log1p(xp.exp(input)))
        sigmoid = _sigmoid(xp, input)
        return grad_output * (tanh_softplus
                              + input * sigmoid * (1 - tanh_softplus * tanh_softplus))


class Softplus(Op):
    @staticmethod
    def forward(ctx, xp, input, beta, threshold):
        ctx.save_for_backward(input)
        ctx.beta, ctx.threshold = beta, threshold
        scaled = xp.multiply(input, beta, out=xp.empty_like(input))
        linear = scaled > threshold  # there log1p(exp(.)) could overflow: the clip stops it
        xp.clip(scaled, None, threshold, out=scaled)
        xp.exp(scaled, out=scaled)
        xp.log1p(scaled, out=scaled)
        scaled /= beta
        return xp.where(linear, input, scaled)  # not _blend: -inf * 0 would give NaN

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        xp = ctx.xp
        scaled = input * ctx.beta
        exp = xp.exp(xp.clip(scaled, None, ctx.threshold))
        return _blend(scaled > ctx.threshold, grad_output, grad_output * exp / (exp + 1)), \
            None, None


class LogSigmoid(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        result = xp.abs(input, out=xp.empty_like(input))
        xp.negative(result, out=result)
        xp.exp(result, out=result)
        xp.log1p(result, out=result)
        return xp.clip(input, None, 0) - result

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / (1 + ctx.xp.exp(input))  # sigmoid(-x); inf for large x gives 0


class Glu(Op):
    """``a * sigmoid(b)`` for the halves ``a``, ``b`` of ``input`` along ``dim``."""

    @staticmethod
    def forward(ctx, xp, input, dim):
        ctx.save_for_backward(input)
        ctx.dim = dim
        first, second = _halves(input, dim)
        return first * _sigmoid(xp, second)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        xp = ctx.xp
        first, second = _halves(input, ctx.dim)
        sigmoid = _sigmoid(xp, second)
        grad_first = grad_output * sigmoid
        grad_second = grad_first * first * (1 - sigmoid)
        return xp.concatenate((grad_first, grad_second), ctx.dim), None


def _halves(input, dim):
    half = input.shape[dim] // 2
    before = (slice(None),) * dim
    return input[before + (slice(None, half),)], input[before + (slice(half, None),)]


# ---------------------------------------------------------------------- public functions
def _check_floating(input, kernel):
    dtype = input._data.dtype
    if dtype.kind not in "fc":
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_scalar_type_name(dtype)}'")


def relu_(input):
    """In-place version of :func:`relu`."""
    return input._write(relu(input))


def leaky_relu(input, negative_slope=0.01):
    r"""Returns :math:`\max(0, x) + \text{negative\_slope} \cdot \min(0, x)` element-wise."""
    _check_floating(input, "leaky_relu_cpu")
    return LeakyRelu.apply(input, negative_slope)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """Randomized leaky ReLU: negative inputs are scaled by slopes drawn uniformly from
    ``[lower, upper]`` in training, by ``(lower + upper) / 2`` otherwise."""
    _check_floating(input, "leaky_relu_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return RreluWithNoise.apply(input, (lower + upper) / 2)
    noise = empty_like(input).uniform_(lower, upper)
    return RreluWithNoise.apply(input, noise._data)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place version of :func:`rrelu`."""
    return input._write(rrelu(input, lower, upper, training))


def prelu(input, weight):
    r"""Returns :math:`\max(0, x) + w \cdot \min(0, x)`, with one slope ``w`` per channel
    (dim 1) or a single shared one."""
    if weight.dim() > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight.dim()}")
    if input.dtype != weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got "
                           f"{_scalar_type_name(input._data.dtype)} and "
                           f"{_scalar_type_name(weight._data.dtype)}")
    count = weight.numel()
    if count != 1:
        channels = input.shape[1] if input.dim() >= 2 else 1
        if count != channels:
            raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {count} and channel size = {channels}.")
    return PreluKernel.apply(input, weight)


def hardtanh(input, min_val=-1.0, max_val=1.0):
    """Clamps ``input`` to ``[min_val, max_val]``; no gradient at the bounds."""
    return Hardtanh.apply(input, min_val, max_val)


def relu6(input):
    r"""Returns :math:`\min(\max(0, x), 6)` element-wise."""
    return Hardtanh.apply(input, 0.0, 6.0)


def threshold(input, threshold, value):
    """Replaces each element not greater than ``threshold`` by ``value``."""
    return Threshold.apply(input, threshold, value)


def threshold_(input, threshold, value):
    """In-place version of :func:`threshold`."""
    return input._write(Threshold.apply(input, threshold, value))


def elu(input, alpha=1.0):
    r"""Returns :math:`x` for :math:`x > 0`, else :math:`\alpha (e^x - 1)`."""
    _check_floating(input, "elu_cpu")
    return Elu.apply(input, alpha, 1.0, 1.0)


def selu(input):
    r"""Returns :math:`\text{scale} \cdot \text{elu}(x, \alpha)` with SELU's fixed constants."""
    _check_floating(input, "elu_cpu")
    return Elu.apply(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


def selu_(input):
    """In-place version of :func:`selu`."""
    return input._write(selu(input))


def celu(input, alpha=1.0):
    r"""Returns :math:`\max(0, x) + \min(0, \alpha (e^{x / \alpha} - 1))`."""
    _check_floating(input, "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return Celu.apply(input, alpha, 1.0, 1.0 / alpha)


def celu_(input, alpha=1.0):
    """In-place version of :func:`celu`."""
    return input._write(celu(input, alpha))


def gelu(input, approximate="none"):
    r"""Returns :math:`x \Phi(x)`, or its tanh approximation for ``approximate='tanh'``."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _check_floating(input, "GeluKernelImpl")
    return Gelu.apply(input, approximate)


def silu(input):
    r"""Returns :math:`x \sigma(x)` element-wise."""
    _check_floating(input, "silu_cpu")
    return Silu.apply(input)


def mish(input):
    r"""Returns :math:`x \tanh(\text{softplus}(x))` element-wise."""
    _check_floating(input, "mish_cpu")
    return Mish.apply(input)


def softplus(input, beta=1.0, threshold=20.0):
    r"""Returns :math:`\log(1 + e^{\beta x}) / \beta`, linear where :math:`\beta x` exceeds
    ``threshold``."""
    _check_floating(input, "softplus_cpu")
    return Softplus.apply(input, beta, threshold)


def hardsigmoid(input):
    r"""Returns :math:`\text{ReLU6}(x + 3) / 6` element-wise."""
    _check_floating(input, "hardsigmoid_cpu")
    return Hardsigmoid.apply(input)


def hardswish(input):
    r"""Returns :math:`x \cdot \text{ReLU6}(x + 3) / 6` element-wise."""
    _check_floating(input, "hardswish_cpu")
    return Hardswish.apply(input)


def log_sigmoid(input):
    r"""Returns :math:`\log \sigma(x)`, computed stably."""
    _check_floating(input, "log_sigmoid_cpu")
    return LogSigmoid.apply(input)


def hardshrink(input, lambd=0.5):
    r"""Returns :math:`x` where :math:`|x| > \lambda`, else 0."""
    _check_floating(input, "hardshrink_cpu")
    return Hardshrink.apply(input, lambd)


def softshrink(input, lambd=0.5):
    r"""Shrinks ``input`` towards 0 by :math:`\lambda`; 0 where :math:`|x| \le \lambda`."""
    _check_floating(input, "softshrink_check")
    if lambd < 0:
        dtype = _scalar_type_name(input._data.dtype)
        limit = float(np.finfo(input._data.dtype).max)
        raise RuntimeError(f"lambda must be in range [0, {limit:g}] for input dtype {dtype}, "
                           f"but found {lambd:g}")
    return Softshrink.apply(input, lambd)


def glu(input, dim=-1):
    r"""The gated linear unit :math:`a \otimes \sigma(b)`, ``a`` and ``b`` the halves of
    ``input`` along ``dim``."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = wrap_dim(dim, input.dim())
    if input.shape[dim] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size "
                           f"{input.shape[dim]}")
    _check_floating(input, "glu_cpu")
    return Glu.apply(input, dim)


_TENSOR_METHODS = ["prelu", "hardshrink"]
