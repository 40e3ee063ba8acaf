"""Activation layers; each calls its ``F`` function (``ember/nn/_functional/activation.py``).

Shapes: input :math:`(*)`, any number of dimensions; output of the same shape (``GLU`` halves
``dim``).
"""

import warnings

import ember
from ember.nn import functional as F
from ember.nn import init
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = [
    "Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh", "SiLU",
    "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink", "LeakyReLU",
    "LogSigmoid", "Softplus", "Softshrink", "PReLU", "Softsign", "Tanhshrink", "Softmin",
    "Softmax", "Softmax2d", "LogSoftmax",
]


def _inplace_repr(inplace, first=False):
    if not inplace:
        return ""
    return "inplace=True" if first else ", inplace=True"


class _Inplace(Module):
    """An activation whose only argument is ``inplace``; ``_function`` names its ``F`` form."""

    _function = None
    _shows_inplace = True

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return getattr(F, self._function)(input, inplace=self.inplace)

    def extra_repr(self):
        return _inplace_repr(self.inplace, first=True) if self._shows_inplace else ""


class _Stateless(Module):
    """An activation without arguments; ``_function`` names its ``F`` form."""

    _function = None

    def forward(self, input):
        return getattr(F, self._function)(input)


class Threshold(Module):
    r"""Replaces each element not greater than ``threshold`` by ``value``.

    Args:
        threshold: the value to threshold at
        value: the value to replace with
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}{_inplace_repr(self.inplace)}"


class ReLU(_Inplace):
    r"""Applies :math:`\max(0, x)` element-wise.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``

    Examples::
        >>> output = nn.ReLU()(ember.randn(2))
    """

    _function = "relu"


class RReLU(Module):
    r"""Randomized leaky ReLU: in training, negative inputs are scaled by slopes drawn uniformly
    from ``[lower, upper]``; in evaluation by ``(lower + upper) / 2``.

    Args:
        lower: lower bound of the uniform distribution. Default: :math:`1/8`
        upper: upper bound of the uniform distribution. Default: :math:`1/3`
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}{_inplace_repr(self.inplace)}"


class Hardtanh(Module):
    r"""Clamps each element to ``[min_val, max_val]``.

    Args:
        min_val: minimum value of the linear region. Default: -1
        max_val: maximum value of the linear region. Default: 1
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None,
                 max_value=None):
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val "
                                 f"({self.min_val})")

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace_repr(self.inplace)}"


class ReLU6(Hardtanh):
    r"""Applies :math:`\min(\max(0, x), 6)` element-wise.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return _inplace_repr(self.inplace, first=True)


class Sigmoid(_Stateless):
    r"""Applies :math:`1 / (1 + e^{-x})` element-wise."""

    _function = "sigmoid"


class Hardsigmoid(_Inplace):
    r"""Applies :math:`\text{ReLU6}(x + 3) / 6` element-wise.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    _function = "hardsigmoid"
    _shows_inplace = False


class Tanh(_Stateless):
    r"""Applies the hyperbolic tangent element-wise."""

    _function = "tanh"


class SiLU(_Inplace):
    r"""Applies :math:`x \sigma(x)` (the swish function) element-wise.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    _function = "silu"


class Mish(_Inplace):
    r"""Applies :math:`x \tanh(\text{softplus}(x))` element-wise.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    _function = "mish"


class Hardswish(_Inplace):
    r"""Applies the Hardswish function element-wise: :math:`x \cdot \mathrm{ReLU6}(x + 3) / 6`.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``

    Examples::
        >>> output = nn.Hardswish()(ember.randn(2))
    """

    _function = "hardswish"
    _shows_inplace = False


class ELU(Module):
    r"""Applies :math:`x` for :math:`x > 0`, else :math:`\alpha (e^x - 1)`, element-wise.

    Args:
        alpha: the :math:`\alpha` value. Default: 1.0
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    _function = "elu"

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return getattr(F, self._function)(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}{_inplace_repr(self.inplace)}"


class CELU(ELU):
    r"""Applies :math:`\max(0, x) + \min(0, \alpha (e^{x / \alpha} - 1))` element-wise.

    Args:
        alpha: the :math:`\alpha` value. Default: 1.0
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    _function = "celu"


class SELU(_Inplace):
    r"""Applies :math:`\text{scale} (\max(0, x) + \min(0, \alpha (e^x - 1)))` with
    :math:`\alpha \approx 1.6733` and :math:`\text{scale} \approx 1.0507`.

    Args:
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    _function = "selu"


class GLU(Module):
    r"""The gated linear unit :math:`a \otimes \sigma(b)`, ``a`` and ``b`` the halves of the
    input along ``dim``.

    Args:
        dim: the dimension on which to split the input. Default: -1
    """

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class GELU(Module):
    r"""Applies :math:`x \Phi(x)`, :math:`\Phi` the standard normal CDF, element-wise.

    Args:
        approximate: ``'none'`` or ``'tanh'`` (the tanh approximation). Default: ``'none'``
    """

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Hardshrink(Module):
    r"""Applies :math:`x` where :math:`|x| > \lambda`, else 0, element-wise.

    Args:
        lambd: the :math:`\lambda` value. Default: 0.5
    """

    _function = "hardshrink"

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return getattr(F, self._function)(input, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    r"""Shrinks each element towards 0 by :math:`\lambda` (0 where :math:`|x| \le \lambda`).

    Args:
        lambd: the :math:`\lambda` value (non-negative). Default: 0.5
    """

    _function = "softshrink"


class LeakyReLU(Module):
    r"""Applies :math:`\max(0, x) + \text{negative\_slope} \cdot \min(0, x)` element-wise.

    Args:
        negative_slope: the slope for negative inputs. Default: 1e-2
        inplace: can optionally do the operation in-place. Default: ``False``
    """

    def __init__(self, negative_slope=1e-2, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}{_inplace_repr(self.inplace)}"


class LogSigmoid(_Stateless):
    r"""Applies :math:`\log(1 / (1 + e^{-x}))` element-wise, computed stably."""

    _function = "logsigmoid"


class Softplus(Module):
    r"""Applies :math:`\log(1 + e^{\beta x}) / \beta` element-wise, linear where
    :math:`\beta x > \text{threshold}`.

    Args:
        beta: the :math:`\beta` value. Default: 1
        threshold: values above this revert to a linear function. Default: 20
    """

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    r"""Applies :math:`\max(0, x) + a \min(0, x)` with a learnable slope :math:`a`, shared or
    one per channel (dim 1 of the input).

    Args:
        num_parameters: number of slopes to learn: 1 or the number of input channels.
            Default: 1
        init: the initial value of the slopes. Default: 0.25
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(ember.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class Softsign(_Stateless):
    r"""Applies :math:`x / (1 + |x|)` element-wise."""

    _function = "softsign"


class Tanhshrink(_Stateless):
    r"""Applies :math:`x - \tanh(x)` element-wise."""

    _function = "tanhshrink"


def _check_dim(dim):
    if dim is not None and (not isinstance(dim, int) or isinstance(dim, bool)):
        raise TypeError(f"dim must be an int or None, got {type(dim)}")


class Softmax(Module):
    r"""Applies :math:`\exp(x_i) / \sum_j \exp(x_j)` along ``dim``, so every slice along it
    sums to 1.

    Args:
        dim: the dimension along which Softmax is computed
    """

    _function = "softmax"

    def __init__(self, dim=None):
        _check_dim(dim)
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return getattr(F, self._function)(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmin(Softmax):
    r"""Applies :math:`\exp(-x_i) / \sum_j \exp(-x_j)` along ``dim``.

    Args:
        dim: the dimension along which Softmin is computed
    """

    _function = "softmin"

    def __init__(self, dim=None):
        Module.__init__(self)  # PyTorch does not check Softmin's dim
        self.dim = dim


class LogSoftmax(Softmax):
    r"""Applies :math:`\log(\exp(x_i) / \sum_j \exp(x_j))` along ``dim``, computed stably.

    Args:
        dim: the dimension along which LogSoftmax is computed
    """

    _function = "log_softmax"


class Softmax2d(Module):
    r"""Applies Softmax over the channels (dim -3) at each spatial location.

    Shape:
        - Input: :math:`(N, C, H, W)` or :math:`(C, H, W)`; Output: the same.
    """

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             "instead")
        return F.softmax(input, -3, _stacklevel=5)
