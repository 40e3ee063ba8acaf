"""Pooling layers: max, average, power-average, adaptive and max unpooling (1-3 dims)."""

from ember.nn import functional as F
from ember.nn._utils import _ntuple
from ember.nn.modules.module import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d",
           "AvgPool1d", "AvgPool2d", "AvgPool3d", "LPPool1d", "LPPool2d", "LPPool3d",
           "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d", "AdaptiveAvgPool3d"]


class _MaxPoolNd(Module):
    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")

    def _pool(self, function, input):
        return function(input, self.kernel_size, self.stride, self.padding, self.dilation,
                        ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool1d(_MaxPoolNd):
    r"""Applies 1D max pooling over an input of shape :math:`(N, C, L)` or :math:`(C, L)`.

    Args:
        kernel_size: the size of the window
        stride: the window's step. Default: ``kernel_size``
        padding: implicit negative-infinity padding on both sides
        dilation: the spacing between a window's elements
        return_indices: also return the positions of the maxima (for :class:`MaxUnpool1d`)
        ceil_mode: keep a last partial window that starts inside the input or left padding

    Examples::
        >>> output = nn.MaxPool1d(3, stride=2)(ember.randn(20, 16, 50))
    """

    def forward(self, input):
        return self._pool(F.max_pool1d, input)


class MaxPool2d(_MaxPoolNd):
    r"""Applies 2D max pooling over an input of shape :math:`(N, C, H, W)` or :math:`(C, H, W)`
    (arguments as in :class:`MaxPool1d`, each an int or a pair).

    Examples::
        >>> output = nn.MaxPool2d(2)(ember.randn(20, 16, 50, 32))
    """

    def forward(self, input):
        return self._pool(F.max_pool2d, input)


class MaxPool3d(_MaxPoolNd):
    r"""Applies 3D max pooling over an input of shape :math:`(N, C, D, H, W)` or
    :math:`(C, D, H, W)` (arguments as in :class:`MaxPool1d`)."""

    def forward(self, input):
        return self._pool(F.max_pool3d, input)


class _MaxUnpoolNd(Module):
    _dims = 0

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, self._dims)
        self.stride = _ntuple(stride if stride is not None else kernel_size, self._dims)
        self.padding = _ntuple(padding, self._dims)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    r"""Computes a partial inverse of :class:`MaxPool1d`: each value goes back to the position
    in ``indices``, the rest is zero. ``forward(input, indices, output_size=None)``."""

    _dims = 1

    def forward(self, input, indices, output_size=None):
        return F.max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class MaxUnpool2d(_MaxUnpoolNd):
    r"""Computes a partial inverse of :class:`MaxPool2d` (see :class:`MaxUnpool1d`).

    Examples::
        >>> pool, unpool = nn.MaxPool2d(2, return_indices=True), nn.MaxUnpool2d(2)
        >>> output = unpool(*pool(ember.randn(1, 1, 4, 4)))
    """

    _dims = 2

    def forward(self, input, indices, output_size=None):
        return F.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class MaxUnpool3d(_MaxUnpoolNd):
    r"""Computes a partial inverse of :class:`MaxPool3d` (see :class:`MaxUnpool1d`)."""

    _dims = 3

    def forward(self, input, indices, output_size=None):
        return F.max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class _AvgPoolNd(Module):
    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    r"""Applies 1D average pooling over an input of shape :math:`(N, C, L)` or :math:`(C, L)`.

    Args:
        kernel_size, stride, padding: the window (stride defaults to ``kernel_size``)
        ceil_mode: keep a last partial window that starts inside the input or left padding
        count_include_pad: count the zero padding in each window's divisor
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, 1)
        self.stride = _ntuple(stride if stride is not None else kernel_size, 1)
        self.padding = _ntuple(padding, 1)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class _AvgPool23d(_AvgPoolNd):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def _pool(self, function, input):
        return function(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                        self.count_include_pad, self.divisor_override)


class AvgPool2d(_AvgPool23d):
    r"""Applies 2D average pooling over an input of shape :math:`(N, C, H, W)` or
    :math:`(C, H, W)` (arguments as in :class:`AvgPool1d`, plus ``divisor_override``).

    Examples::
        >>> output = nn.AvgPool2d(3, stride=2)(ember.randn(20, 16, 50, 32))
    """

    def forward(self, input):
        return self._pool(F.avg_pool2d, input)


class AvgPool3d(_AvgPool23d):
    r"""Applies 3D average pooling over an input of shape :math:`(N, C, D, H, W)` or
    :math:`(C, D, H, W)` (arguments as in :class:`AvgPool2d`)."""

    def forward(self, input):
        return self._pool(F.avg_pool3d, input)


class _LPPoolNd(Module):
    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")

    def _pool(self, function, input):
        return function(input, float(self.norm_type), self.kernel_size, self.stride,
                        self.ceil_mode)


class LPPool1d(_LPPoolNd):
    r"""Applies 1D power-average pooling :math:`(\sum_{x \in X} x^p)^{1/p}` over each window."""

    def forward(self, input):
        return self._pool(F.lp_pool1d, input)


class LPPool2d(_LPPoolNd):
    r"""Applies 2D power-average pooling :math:`(\sum_{x \in X} x^p)^{1/p}` over each window."""

    def forward(self, input):
        return self._pool(F.lp_pool2d, input)


class LPPool3d(_LPPoolNd):
    r"""Applies 3D power-average pooling :math:`(\sum_{x \in X} x^p)^{1/p}` over each window."""

    def forward(self, input):
        return self._pool(F.lp_pool3d, input)


class _AdaptiveMaxPoolNd(Module):
    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    r"""Applies 1D adaptive max pooling: output length ``output_size`` for any input length."""

    def forward(self, input):
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    r"""Applies 2D adaptive max pooling: output ``output_size`` (an int, a pair, ``None`` for
    the input's size) for any input size."""

    def forward(self, input):
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    r"""Applies 3D adaptive max pooling (see :class:`AdaptiveMaxPool2d`)."""

    def forward(self, input):
        return F.adaptive_max_pool3d(input, self.output_size, self.return_indices)


class _AdaptiveAvgPoolNd(Module):
    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    r"""Applies 1D adaptive average pooling: output length ``output_size``."""

    def forward(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    r"""Applies 2D adaptive average pooling: output ``output_size`` (an int, a pair, ``None``
    for the input's size) for any input size.

    Examples::
        >>> output = nn.AdaptiveAvgPool2d((1, 1))(ember.randn(1, 64, 8, 9))
    """

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    r"""Applies 3D adaptive average pooling (see :class:`AdaptiveAvgPool2d`)."""

    def forward(self, input):
        return F.adaptive_avg_pool3d(input, self.output_size)
