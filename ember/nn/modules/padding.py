"""Padding layers: constant (zero), reflection, replication and circular, 1-3 dims.

``padding`` is an int (all sides) or a tuple ``(left, right[, top, bottom[, front, back]])``.
"""

from ember.nn import functional as F
from ember.nn._utils import _ntuple
from ember.nn.modules.module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


class _PadNd(Module):
    _dims = 0
    mode = None

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._dims)

    def forward(self, input):
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    mode = "constant"

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    r"""Pads the last dimension with ``value``.

    Examples::
        >>> output = nn.ConstantPad1d(2, 3.5)(ember.randn(1, 2, 4))
    """

    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    r"""Pads the last 2 dimensions with ``value``."""

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    r"""Pads the last 3 dimensions with ``value``."""

    _dims = 3


class _ZeroPad:
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    r"""Pads the last dimension with zeros."""


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    r"""Pads the last 2 dimensions with zeros.

    Examples::
        >>> output = nn.ZeroPad2d((1, 1, 2, 0))(ember.randn(1, 1, 3, 3))
    """


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    r"""Pads the last 3 dimensions with zeros."""


class ReflectionPad1d(_PadNd):
    r"""Pads the last dimension with its reflection about the edge (edge not repeated)."""

    _dims, mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    r"""Pads the last 2 dimensions with their reflection about the edges."""

    _dims, mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    r"""Pads the last 3 dimensions with their reflection about the edges."""

    _dims, mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    r"""Pads the last dimension by repeating its edge values."""

    _dims, mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    r"""Pads the last 2 dimensions by repeating their edge values."""

    _dims, mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    r"""Pads the last 3 dimensions by repeating their edge values."""

    _dims, mode = 3, "replicate"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input):
        if input.dim() not in (self._dims + 1, self._dims + 2):
            raise ValueError(f"expected {self._dims + 1}D or {self._dims + 2}D input (got "
                             f"{input.dim()}D input)")
        return F.pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    r"""Pads the last dimension by wrapping around (the other end's values)."""

    _dims = 1


class CircularPad2d(_CircularPadNd):
    r"""Pads the last 2 dimensions by wrapping around."""

    _dims = 2


class CircularPad3d(_CircularPadNd):
    r"""Pads the last 3 dimensions by wrapping around."""

    _dims = 3
