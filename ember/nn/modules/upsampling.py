"""``Upsample`` and the deprecated ``UpsamplingNearest2d`` / ``UpsamplingBilinear2d``."""

from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"]


class Upsample(Module):
    r"""Upsamples 1D, 2D or 3D data (N, C, *spatial) to ``size`` or by ``scale_factor``.

    Args:
        size: the output spatial size
        scale_factor: the multiplier of the spatial size
        mode: ``'nearest'``, ``'nearest-exact'``, ``'linear'``, ``'bilinear'``, ``'bicubic'``
            or ``'trilinear'``. Default: ``'nearest'``
        align_corners: align the corner pixels' centres (interpolating modes)
        recompute_scale_factor: compute the scales from the output size

    Examples::
        >>> output = nn.Upsample(scale_factor=2, mode="bilinear")(ember.randn(1, 1, 2, 2))
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(factor) for factor in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return info + f", mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    r"""2D nearest-neighbour upsampling (deprecated: use :class:`Upsample`)."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    r"""2D bilinear upsampling with ``align_corners=True`` (deprecated: use
    :class:`Upsample`)."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
