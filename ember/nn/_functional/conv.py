"""``F.conv*``, ``F.conv_transpose*``, ``F.unfold`` and ``F.fold``."""

import math

import numpy as np

import ember
from ember._ops.conv import (
    Col2Im,
    Im2Col,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold"]

_NUMPY_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pad(input, pad, mode):
    """Pads the last ``len(pad) // 2`` dims like ``F.pad(input, pad, mode)`` for the reflect,
    replicate and circular modes of the convolution layers: one ``index_select`` per dim."""
    for index in range(len(pad) // 2):
        dim = input.dim() - 1 - index
        before, after = pad[2 * index], pad[2 * index + 1]
        size = input.shape[dim]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({before}, {after}) at "
                               f"dimension {dim} of input {list(input.shape)}")
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        positions = np.pad(np.arange(size), (before, after), mode=_NUMPY_PAD_MODES[mode])
        input = input.index_select(dim, ember.as_tensor(positions, device=input.device))
    return input


def _pair(value, name):
    pair = (value,) * 2 if isinstance(value, int) else tuple(value)
    if len(pair) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(pair)}")
    return pair


def _block_arguments(kernel_size, dilation, padding, stride):
    """The four arguments of ``unfold``/``fold`` as checked pairs."""
    pairs = [_pair(value, name) for value, name in ((kernel_size, "kernel_size"),
                                                    (dilation, "dilation"),
                                                    (padding, "padding"), (stride, "stride"))]
    checks = (("kernel size", "kernel", 1), ("dilation", "dilation", 1), ("padding", "pad", 0),
              ("stride", "stride", 1))
    for (what, short, low), (height, width) in zip(checks, pairs):
        if height < low or width < low:
            relation = "greater than zero" if low else "non-negative"
            raise RuntimeError(f"{what} should be {relation}, but got {short}_height: {height} "
                               f"{short}_width: {width}")
    return pairs


def _blocks(size, kernel_size, dilation, padding, stride):
    return [(s + 2 * p - d * (k - 1) - 1) // st + 1
            for s, k, d, p, st in zip(size, kernel_size, dilation, padding, stride)]


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    r"""Extracts sliding local blocks from a batched input tensor: (N, C, H, W) becomes
    :math:`(N, C \times \prod(\text{kernel\_size}), L)`. See :class:`~ember.nn.Unfold`."""
    kernel_size, dilation, padding, stride = _block_arguments(kernel_size, dilation, padding,
                                                              stride)
    shape = input.shape
    if input.dim() not in (3, 4) or 0 in shape[-3:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {list(shape)}")
    blocks = _blocks(shape[-2:], kernel_size, dilation, padding, stride)
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(shape[-2:])}, kernel_size="
                           f"{kernel_size}, dilation={dilation}, padding={padding}, calculated "
                           f"shape of the array of sliding blocks as {tuple(blocks)}, but its "
                           "components must be at least one.")
    return Im2Col.apply(input, kernel_size, dilation, padding, stride)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    r"""Combines an array of sliding local blocks
    :math:`(N, C \times \prod(\text{kernel\_size}), L)` into a large containing tensor
    (N, C, H, W), summing overlapping values. See :class:`~ember.nn.Fold`."""
    output_size = _pair(output_size, "output_size")
    kernel_size, dilation, padding, stride = _block_arguments(kernel_size, dilation, padding,
                                                              stride)
    shape = input.shape
    if input.dim() not in (2, 3) or 0 in shape[-2:]:
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           f"batch size and non-zero dimensions for input, but got: {list(shape)}")
    rows, count = shape[-2:]
    if rows % math.prod(kernel_size):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={rows} and kernel_size="
                           f"{kernel_size}.")
    blocks = _blocks(output_size, kernel_size, dilation, padding, stride)
    if min(blocks) < 1 or math.prod(blocks) != count:
        raise RuntimeError(f"Given output_size={output_size}, kernel_size={kernel_size}, "
                           f"dilation={dilation}, padding={padding}, stride={stride}, expected "
                           "size of input's dimension 2 to match the calculated number of "
                           f"sliding blocks {blocks[0]} * {blocks[1]} = {math.prod(blocks)}, but "
                           f"got input.size(2)={count}.")
    return Col2Im.apply(input, output_size, kernel_size, dilation, padding, stride)
