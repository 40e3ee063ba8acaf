"""``Fold`` and ``Unfold``: sliding local blocks to and from columns (col2im / im2col)."""

from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["Fold", "Unfold"]


class Fold(Module):
    r"""Combines an array of sliding local blocks into a large containing tensor, summing
    the overlapping values (``col2im``).

    Args:
        output_size: the spatial shape of the output, ``output.sizes()[2:]``
        kernel_size: the size of the sliding blocks
        dilation: the stride of elements within a block. Default: 1
        padding: implicit zero padding removed from both sides of the output. Default: 0
        stride: the stride of the sliding blocks. Default: 1

    Shape:
        - Input: :math:`(N, C \times \prod(\text{kernel\_size}), L)` or the unbatched form
        - Output: :math:`(N, C, \text{output\_size}[0], \text{output\_size}[1])` or the
          unbatched form

    Examples::
        >>> output = nn.Fold(output_size=(4, 5), kernel_size=(2, 2))(ember.randn(1, 12, 12))
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                      self.stride)

    def extra_repr(self):
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")


class Unfold(Module):
    r"""Extracts sliding local blocks from a batched input tensor into columns (``im2col``).

    Args:
        kernel_size: the size of the sliding blocks
        dilation: the stride of elements within a block. Default: 1
        padding: implicit zero padding added to both sides of the input. Default: 0
        stride: the stride of the sliding blocks. Default: 1

    Shape:
        - Input: :math:`(N, C, H, W)` or :math:`(C, H, W)`
        - Output: :math:`(N, C \times \prod(\text{kernel\_size}), L)` or the unbatched form

    Examples::
        >>> output = nn.Unfold(kernel_size=(2, 3))(ember.randn(2, 5, 3, 4))
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
