"""Convolution layers: ``Conv1d/2d/3d`` and ``ConvTranspose1d/2d/3d``."""

import math

import ember
from ember.nn import functional as F
from ember.nn import init
from ember.nn._functional.conv import _pad
from ember.nn._utils import _ntuple
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


def _reversed_padding(padding, kernel_size, dilation):
    """``F.pad``'s form of the padding (last dim first, before and after)."""
    if padding == "valid":
        return [0, 0] * len(kernel_size)
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return [p for total in reversed(totals) for p in (total // 2, total - total // 2)]
    return [p for p in reversed(padding) for _ in range(2)]


class _ConvNd(Module):
    _dims = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 transposed, output_padding, groups, bias, padding_mode, device=None,
                 dtype=None):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "{'valid', 'same'}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {_PADDING_MODES}, but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.transposed, self.output_padding = dilation, transposed, output_padding
        self.groups, self.padding_mode = groups, padding_mode
        self._reversed_padding_repeated_twice = _reversed_padding(padding, kernel_size, dilation)
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups)) + tuple(kernel_size)
        self.weight = Parameter(ember.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(ember.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        n = self._dims
        super().__init__(in_channels, out_channels, _ntuple(kernel_size, n), _ntuple(stride, n),
                         padding if isinstance(padding, str) else _ntuple(padding, n),
                         _ntuple(dilation, n), False, (0,) * n, groups, bias, padding_mode,
                         device=device, dtype=dtype)

    def _conv_forward(self, input, weight, bias):
        conv = (F.conv1d, F.conv2d, F.conv3d)[self._dims - 1]
        if self.padding_mode != "zeros":
            padded = _pad(input, self._reversed_padding_repeated_twice, self.padding_mode)
            return conv(padded, weight, bias, self.stride, 0, self.dilation, self.groups)
        return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input):
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    r"""Applies a 1D convolution over an input signal composed of several input planes.

    Args:
        in_channels: number of channels in the input
        out_channels: number of channels produced by the convolution
        kernel_size: size of the convolving kernel
        stride: stride of the convolution. Default: 1
        padding: padding added to both sides of the input, or ``'valid'`` / ``'same'``.
            Default: 0
        dilation: spacing between kernel elements. Default: 1
        groups: number of blocked connections from input to output channels. Default: 1
        bias: if ``True``, adds a learnable bias to the output. Default: ``True``
        padding_mode: ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
            Default: ``'zeros'``

    Shape:
        - Input: :math:`(N, C_{in}, L_{in})` or :math:`(C_{in}, L_{in})`
        - Output: :math:`(N, C_{out}, L_{out})` or :math:`(C_{out}, L_{out})`

    Examples::
        >>> output = nn.Conv1d(16, 33, 3, stride=2)(ember.randn(20, 16, 50))
    """

    _dims = 1


class Conv2d(_Conv):
    r"""Applies a 2D convolution over an input image composed of several input planes.

    Args: as :class:`Conv1d`, with ``kernel_size``, ``stride``, ``padding`` and ``dilation``
    an int or a pair.

    Shape:
        - Input: :math:`(N, C_{in}, H_{in}, W_{in})` or :math:`(C_{in}, H_{in}, W_{in})`
        - Output: :math:`(N, C_{out}, H_{out}, W_{out})` or :math:`(C_{out}, H_{out}, W_{out})`

    Examples::
        >>> output = nn.Conv2d(16, 33, 3, stride=2)(ember.randn(20, 16, 50, 100))
    """

    _dims = 2


class Conv3d(_Conv):
    r"""Applies a 3D convolution over an input composed of several input planes.

    Args: as :class:`Conv1d`, with ``kernel_size``, ``stride``, ``padding`` and ``dilation``
    an int or a triple.

    Shape:
        - Input: :math:`(N, C_{in}, D_{in}, H_{in}, W_{in})` or :math:`(C_{in}, D_{in}, H_{in},
          W_{in})`
        - Output: :math:`(N, C_{out}, D_{out}, H_{out}, W_{out})` or the unbatched form

    Examples::
        >>> output = nn.Conv3d(16, 33, 3, stride=2)(ember.randn(20, 16, 10, 50, 100))
    """

    _dims = 3


class _ConvTransposeNd(_ConvNd):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f"{type(self).__name__}")
        n = self._dims
        super().__init__(in_channels, out_channels, _ntuple(kernel_size, n), _ntuple(stride, n),
                         _ntuple(padding, n), _ntuple(dilation, n), True,
                         _ntuple(output_padding, n), groups, bias, padding_mode, device=device,
                         dtype=dtype)

    def _output_padding(self, input, output_size):
        """The ``output_padding`` giving ``output_size``; ``self.output_padding`` without one."""
        if output_size is None:
            return self.output_padding
        n = self._dims
        leading = 2 if input.dim() == n + 2 else 1
        if len(output_size) == leading + n:
            output_size = output_size[leading:]
        if len(output_size) != n:
            raise ValueError(f"ConvTranspose{n}D: for {input.dim()}D input, output_size must "
                             f"have {n} or {leading + n} elements (got {len(output_size)})")
        min_sizes = [(input.shape[d + leading] - 1) * s - 2 * p + dil * (k - 1) + 1
                     for d, (k, s, p, dil) in enumerate(zip(self.kernel_size, self.stride,
                                                            self.padding, self.dilation))]
        max_sizes = [low + s - 1 for low, s in zip(min_sizes, self.stride)]
        for size, low, high in zip(output_size, min_sizes, max_sizes):
            if not low <= size <= high:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {min_sizes} to {max_sizes} (for an input of "
                                 f"{input.size()[2:]})")
        return tuple(size - low for size, low in zip(output_size, min_sizes))

    def forward(self, input, output_size=None):
        if self.padding_mode != "zeros":
            raise ValueError(f"Only `zeros` padding mode is supported for {type(self).__name__}")
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self._dims - 1]
        return conv(input, self.weight, self.bias, self.stride, self.padding,
                    self._output_padding(input, output_size), self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    r"""Applies a 1D transposed convolution over an input signal composed of several input
    planes (the gradient of :class:`Conv1d` with respect to its input).

    Args:
        in_channels, out_channels, kernel_size, stride, groups, bias, dilation: as
            :class:`Conv1d`
        padding: ``dilation * (kernel_size - 1) - padding`` zeros are added to both sides of
            the input. Default: 0
        output_padding: additional size added to one side of the output. Default: 0

    Shape:
        - Input: :math:`(N, C_{in}, L_{in})` or :math:`(C_{in}, L_{in})`
        - Output: :math:`(N, C_{out}, L_{out})` or :math:`(C_{out}, L_{out})`, where
          :math:`L_{out} = (L_{in} - 1) \times \text{stride} - 2 \times \text{padding} +
          \text{dilation} \times (\text{kernel\_size} - 1) + \text{output\_padding} + 1`

    Examples::
        >>> output = nn.ConvTranspose1d(16, 33, 3, stride=2)(ember.randn(20, 16, 50))
    """

    _dims = 1


class ConvTranspose2d(_ConvTransposeNd):
    r"""Applies a 2D transposed convolution over an input image composed of several input
    planes. Arguments as :class:`ConvTranspose1d`; ``forward(input, output_size=None)`` picks
    the ``output_padding`` that gives ``output_size``.

    Examples::
        >>> upsample = nn.ConvTranspose2d(16, 16, 3, stride=2, padding=1)
        >>> output = upsample(ember.randn(1, 16, 6, 6), output_size=(12, 12))
    """

    _dims = 2


class ConvTranspose3d(_ConvTransposeNd):
    r"""Applies a 3D transposed convolution over an input composed of several input planes.
    Arguments as :class:`ConvTranspose1d`.

    Examples::
        >>> output = nn.ConvTranspose3d(16, 33, 3, stride=2)(ember.randn(20, 16, 10, 50, 100))
    """

    _dims = 3
