"""Activation functions of ``F``: the fused ops of ``ember/_ops/activation.py`` with PyTorch's
``inplace`` flags, the softmax family, and the rare activations composed from other ops."""

import warnings

import ember
from ember._ops import activation as _ops

__all__ = [
    "threshold", "threshold_", "relu", "relu_", "hardtanh", "hardtanh_", "relu6", "elu", "elu_",
    "selu", "selu_", "celu", "celu_", "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_",
    "glu", "gelu", "logsigmoid", "hardshrink", "tanhshrink", "softsign", "softplus", "softmin",
    "softmax", "log_softmax", "softshrink", "tanh", "sigmoid", "hardsigmoid", "silu", "mish",
    "hardswish",
]

prelu, glu, gelu, hardshrink, softplus, softshrink = (
    _ops.prelu, _ops.glu, _ops.gelu, _ops.hardshrink, _ops.softplus, _ops.softshrink)
logsigmoid = _ops.log_sigmoid
relu_, selu_, celu_, rrelu_, threshold_ = _ops.relu_, _ops.selu_, _ops.celu_, _ops.rrelu_, \
    _ops.threshold_


def _maybe_inplace(input, result, inplace):
    return input._write(result) if inplace else result


def threshold(input, threshold, value, inplace=False):
    """Replaces each element not greater than ``threshold`` by ``value``."""
    return _maybe_inplace(input, _ops.threshold(input, threshold, value), inplace)


def relu(input, inplace=False):
    r"""Applies :math:`\max(0, x)` element-wise."""
    return input.relu_() if inplace else ember.relu(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Clamps ``input`` to ``[min_val, max_val]``; no gradient at the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _maybe_inplace(input, _ops.hardtanh(input, min_val, max_val), inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place version of :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    r"""Applies :math:`\min(\max(0, x), 6)` element-wise."""
    return _maybe_inplace(input, _ops.relu6(input), inplace)


def elu(input, alpha=1.0, inplace=False):
    r"""Applies :math:`x` for :math:`x > 0`, else :math:`\alpha (e^x - 1)`, element-wise."""
    return _maybe_inplace(input, _ops.elu(input, alpha), inplace)


def elu_(input, alpha=1.0):
    """In-place version of :func:`elu`."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    r"""Applies :math:`\text{scale} \cdot \text{ELU}(x, \alpha)` with SELU's constants."""
    return _maybe_inplace(input, _ops.selu(input), inplace)


def celu(input, alpha=1.0, inplace=False):
    r"""Applies :math:`\max(0, x) + \min(0, \alpha (e^{x / \alpha} - 1))` element-wise."""
    return _maybe_inplace(input, _ops.celu(input, alpha), inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    r"""Applies :math:`\max(0, x) + \text{negative\_slope} \cdot \min(0, x)` element-wise."""
    return _maybe_inplace(input, _ops.leaky_relu(input, negative_slope), inplace)


def leaky_relu_(input, negative_slope=0.01):
    """In-place version of :func:`leaky_relu`."""
    return leaky_relu(input, negative_slope, inplace=True)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: slopes uniform on ``[lower, upper]`` in training, their mean
    otherwise."""
    return _maybe_inplace(input, _ops.rrelu(input, lower, upper, training), inplace)


def silu(input, inplace=False):
    r"""Applies :math:`x \sigma(x)` element-wise."""
    return _maybe_inplace(input, _ops.silu(input), inplace)


def mish(input, inplace=False):
    r"""Applies :math:`x \tanh(\text{softplus}(x))` element-wise."""
    return _maybe_inplace(input, _ops.mish(input), inplace)


def hardsigmoid(input, inplace=False):
    r"""Applies :math:`\text{ReLU6}(x + 3) / 6` element-wise."""
    return _maybe_inplace(input, _ops.hardsigmoid(input), inplace)


def hardswish(input, inplace=False):
    r"""Applies :math:`x \cdot \text{ReLU6}(x + 3) / 6` element-wise."""
    return _maybe_inplace(input, _ops.hardswish(input), inplace)


def tanh(input):
    """Applies the hyperbolic tangent element-wise."""
    return input.tanh()


def sigmoid(input):
    r"""Applies :math:`1 / (1 + e^{-x})` element-wise."""
    return input.sigmoid()


def tanhshrink(input):
    r"""Applies :math:`x - \tanh(x)` element-wise."""
    return input - input.tanh()


def softsign(input):
    r"""Applies :math:`x / (1 + |x|)` element-wise."""
    return input / (input.abs() + 1)


def _get_softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    r"""Applies :math:`\exp(x_i) / \sum_j \exp(x_j)` along ``dim``; ``dtype`` casts first."""
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return ember.softmax(input, dim, dtype=dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """Applies ``softmax(-input)`` along ``dim``."""
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return ember.softmax(-input, dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    r"""Applies :math:`x_i - \log \sum_j \exp(x_j)` along ``dim``, computed stably."""
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return ember.log_softmax(input, dim, dtype=dtype)
