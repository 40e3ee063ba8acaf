"""``Dropout``, ``Dropout1d/2d/3d``, ``AlphaDropout`` and ``FeatureAlphaDropout``."""

from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout"]


class _DropoutNd(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    r"""During training, zeroes each element with probability ``p`` (drawn from ember's
    generator) and scales the others by :math:`\frac{1}{1 - p}`; the identity in eval mode.

    Args:
        p: probability of an element to be zeroed. Default: 0.5
        inplace: if set to ``True``, will do this operation in-place. Default: ``False``

    Shape:
        - Input: :math:`(*)`; Output: same shape as the input.

    Examples::
        >>> output = nn.Dropout(p=0.2)(ember.randn(20, 16))
    """

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    r"""During training, zeroes whole channels of an :math:`(N, C, L)` or :math:`(C, L)` input
    with probability ``p`` and scales the others by :math:`\frac{1}{1 - p}`.

    Examples::
        >>> output = nn.Dropout1d(p=0.2)(ember.randn(20, 16, 32))
    """

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    r"""During training, zeroes whole channels of an :math:`(N, C, H, W)` input with
    probability ``p`` and scales the others by :math:`\frac{1}{1 - p}`.

    Examples::
        >>> output = nn.Dropout2d(p=0.2)(ember.randn(20, 16, 32, 32))
    """

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    r"""During training, zeroes whole channels of an :math:`(N, C, D, H, W)` or
    :math:`(C, D, H, W)` input with probability ``p`` and scales the others by
    :math:`\frac{1}{1 - p}`.

    Examples::
        >>> output = nn.Dropout3d(p=0.2)(ember.randn(20, 16, 4, 32, 32))
    """

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    r"""Alpha Dropout for SELU networks: dropped elements take SELU's negative saturation
    value and an affine map keeps the input's mean and standard deviation.

    Examples::
        >>> output = nn.AlphaDropout(p=0.2)(ember.randn(20, 16))
    """

    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    r"""Alpha Dropout of whole channels (dim 1).

    Examples::
        >>> output = nn.FeatureAlphaDropout(p=0.2)(ember.randn(20, 16, 4, 32, 32))
    """

    def forward(self, input):
        return F.feature_alpha_dropout(input, self.p, self.training)
