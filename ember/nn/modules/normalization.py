"""``LayerNorm``, ``GroupNorm``, ``RMSNorm`` and ``LocalResponseNorm``."""

import numbers

import ember
from ember.nn import functional as F
from ember.nn import init
from ember.nn.modules.batchnorm import _register_affine, _reset_affine
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = ["LocalResponseNorm", "LayerNorm", "GroupNorm", "RMSNorm"]


def _as_shape(normalized_shape):
    if isinstance(normalized_shape, numbers.Integral):
        return (normalized_shape,)
    return tuple(normalized_shape)


class LocalResponseNorm(Module):
    r"""Applies local response normalization across channels:
    :math:`b_c = a_c \left(k + \frac{\alpha}{n} \sum_{c'} a_{c'}^2\right)^{-\beta}`, the sum
    over the ``size`` channels around :math:`c`.

    Args:
        size: amount of neighbouring channels used for normalization
        alpha: multiplicative factor. Default: 0.0001
        beta: exponent. Default: 0.75
        k: additive factor. Default: 1

    Shape:
        - Input: :math:`(N, C, *)`; Output: same shape as the input.

    Examples::
        >>> output = nn.LocalResponseNorm(2)(ember.randn(32, 5, 24, 24))
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class LayerNorm(Module):
    r"""Applies Layer Normalization over the last dimensions given by ``normalized_shape``:
    :math:`y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta`.

    Args:
        normalized_shape: the trailing shape normalized over (an int for the last dimension)
        eps: a value added to the denominator for numerical stability. Default: 1e-5
        elementwise_affine: if ``True``, learnable element-wise :math:`\gamma` (ones) and
            :math:`\beta` (zeros). Default: ``True``
        bias: if ``False``, no :math:`\beta`. Default: ``True``

    Shape:
        - Input: :math:`(N, *)`; Output: same shape as the input.

    Examples::
        >>> output = nn.LayerNorm(10)(ember.randn(20, 5, 10))
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _register_affine(self, self.normalized_shape, elementwise_affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    r"""Applies Group Normalization: the channels are split into ``num_groups`` groups, each
    normalized over its channels and spatial positions, then per-channel :math:`\gamma` and
    :math:`\beta` apply.

    Args:
        num_groups: number of groups to separate the channels into
        num_channels: number of channels expected in input
        eps: a value added to the denominator for numerical stability. Default: 1e-5
        affine: if ``True``, learnable per-channel :math:`\gamma` (ones) and :math:`\beta`
            (zeros). Default: ``True``

    Shape:
        - Input: :math:`(N, C, *)`; Output: same shape as the input.

    Examples::
        >>> output = nn.GroupNorm(3, 6)(ember.randn(20, 6, 10, 10))
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        _register_affine(self, (num_channels,), affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, "
                f"affine={self.affine}, bias={self.bias is not None}")


class RMSNorm(Module):
    r"""Applies Root Mean Square Layer Normalization over the last dimensions given by
    ``normalized_shape``: :math:`y = \frac{x}{\sqrt{\mathrm{mean}(x^2) + \epsilon}} * \gamma`.

    Args:
        normalized_shape: the trailing shape normalized over (an int for the last dimension)
        eps: a value added to the mean square; ``None`` for the dtype's machine epsilon.
            Default: ``None``
        elementwise_affine: if ``True``, a learnable element-wise :math:`\gamma` (ones).
            Default: ``True``

    Shape:
        - Input: :math:`(N, *)`; Output: same shape as the input.

    Examples::
        >>> output = nn.RMSNorm([2, 3])(ember.randn(2, 2, 3))
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ember.empty(self.normalized_shape, device=device,
                                                dtype=dtype))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
