"""Convolutions: ``conv1d/2d/3d``, their transposes and ``convolution``, plus the im2col and
col2im kernels behind ``F.unfold`` and ``F.fold``.

A convolution gathers the input's sliding windows with ``as_strided`` (im2col) and multiplies
them by the weight in one matmul per group (batched over groups). Its input gradient is a
transposed convolution: a matmul, then col2im, which adds the columns back into the image one
kernel offset at a time. The weight gradient is a matmul with the input's windows. Spatial
padding is a pair ``(before, after)`` per dimension, so ``'same'`` padding needs no copy and a
transposed convolution's ``output_padding`` is a smaller (possibly negative) ``after``.
"""

import itertools
import math

from ember._tensor import _scalar_type_name
from ember.autograd.function import Op
from ember.autograd.grad_mode import state

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "convolution"]


# ---------------------------------------------------------------------- array kernels
def _padded(xp, input, padding):
    """``input`` with zeros around its spatial dims; a negative ``after`` crops instead."""
    if not any(before or after for before, after in padding):
        return input
    spatial = input.shape[2:]
    kept = [size + min(after, 0) for size, (_, after) in zip(spatial, padding)]
    shape = input.shape[:2] + tuple(size + before + after
                                    for size, (before, after) in zip(spatial, padding))
    result = xp.zeros(shape, dtype=input.dtype)
    result[(Ellipsis,) + tuple(slice(before, before + size)
                               for (before, _), size in zip(padding, kept))] = \
        input[(Ellipsis,) + tuple(slice(0, size) for size in kept)]
    return result


def _windows(xp, input, kernel_size, stride, padding, dilation):
    """The sliding windows of ``input`` (N, C, *spatial) as a view (N, C, *kernel, *blocks)."""
    padded = _padded(xp, input, padding)
    blocks = tuple((size - d * (k - 1) - 1) // s + 1
                   for size, k, s, d in zip(padded.shape[2:], kernel_size, stride, dilation))
    strides = padded.strides
    return xp.lib.stride_tricks.as_strided(
        padded, padded.shape[:2] + tuple(kernel_size) + blocks,
        strides[:2] + tuple(st * d for st, d in zip(strides[2:], dilation))
        + tuple(st * s for st, s in zip(strides[2:], stride)))


def _col2im(xp, columns, stride, padding, dilation):
    """Sums columns (C, *kernel, *blocks, N) back into the (N, C, *spatial) image they were
    taken from (the adjoint of :func:`_windows`), one strided add per kernel offset. The batch
    comes last so that each add runs over long contiguous rows."""
    nd = len(stride)
    kernel_size, blocks = columns.shape[1:1 + nd], columns.shape[1 + nd:-1]
    full = [(b - 1) * s + d * (k - 1) + 1
            for b, k, s, d in zip(blocks, kernel_size, stride, dilation)]
    buffer = tuple(f + max(-after, 0) for f, (_, after) in zip(full, padding))
    result = xp.zeros(columns.shape[:1] + buffer + columns.shape[-1:], dtype=columns.dtype)
    for offset in itertools.product(*map(range, kernel_size)):
        target = tuple(slice(o * d, o * d + (b - 1) * s + 1, s)
                       for o, b, s, d in zip(offset, blocks, stride, dilation))
        result[(slice(None),) + target] += columns[(slice(None),) + offset]
    crop = tuple(slice(before, f - after) for f, (before, after) in zip(full, padding))
    return xp.ascontiguousarray(xp.moveaxis(result[(slice(None),) + crop], -1, 0))


def _group_columns(windows, groups):
    """Windows (N, C, *kernel, *blocks) as a matrix per group, (G, C/G * kernel, N * blocks)."""
    nd = (windows.ndim - 2) // 2
    n, channels = windows.shape[:2]
    order = (1,) + tuple(range(2, 2 + nd)) + (0,) + tuple(range(2 + nd, 2 + 2 * nd))
    rows = channels // groups * math.prod(windows.shape[2:2 + nd])
    return windows.transpose(order).reshape(groups, rows, n * math.prod(windows.shape[2 + nd:]))


def _channels_first(array, groups, batch_last=False):
    """(N, C, *spatial) as (G, C/G, N * spatial), or (G, C/G, spatial * N) with
    ``batch_last``: channels lead, as in the column matrices."""
    n, channels = array.shape[:2]
    size = math.prod(array.shape[2:])
    order = (1, 2, 3, 0) if batch_last else (1, 2, 0, 3)
    grouped = array.reshape(n, groups, channels // groups, size).transpose(order)
    return grouped.reshape(groups, channels // groups, n * size)


def _batch_first(xp, matrix, n, spatial):
    """(C, N * spatial) back to a contiguous (N, C, *spatial)."""
    channels = matrix.shape[0]
    return xp.ascontiguousarray(matrix.reshape((channels, n) + spatial).swapaxes(0, 1))


def _conv(xp, input, weight, stride, padding, dilation, groups, keep_columns=None):
    """The convolution of ``input`` by ``weight``; ``keep_columns`` (a list) receives the im2col
    matrix, which the weight gradient can reuse instead of gathering the windows again."""
    windows = _windows(xp, input, weight.shape[2:], stride, padding, dilation)
    nd = weight.ndim - 2
    out_channels, rows = weight.shape[0], math.prod(weight.shape[1:])
    columns = _group_columns(windows, groups)
    if keep_columns is not None:
        keep_columns.append(columns)
    output = xp.matmul(weight.reshape(groups, out_channels // groups, rows), columns)
    return _batch_first(xp, output.reshape(out_channels, -1), input.shape[0],
                        windows.shape[2 + nd:])


def _conv_transpose(xp, input, weight, stride, padding, dilation, groups):
    """The input gradient of a convolution by ``weight``, applied to ``input``."""
    n, in_channels = input.shape[:2]
    rows = math.prod(weight.shape[1:])
    columns = xp.matmul(weight.reshape(groups, in_channels // groups, rows).swapaxes(1, 2),
                        _channels_first(input, groups, batch_last=True))
    shape = (weight.shape[1] * groups,) + weight.shape[2:] + input.shape[2:] + (n,)
    return _col2im(xp, columns.reshape(shape), stride, padding, dilation)


def _conv_weight(xp, input, grad_output, kernel_size, stride, padding, dilation, groups,
                 columns=None):
    """The weight gradient of a convolution of ``input`` whose output has ``grad_output``
    (``columns``: the forward's im2col matrix of ``input``, when it was kept)."""
    if columns is None:
        columns = _group_columns(_windows(xp, input, kernel_size, stride, padding, dilation),
                                 groups)
    # columns @ grad^T, not grad @ columns^T: BLAS runs this orientation ~1.5x faster
    grad_weight = xp.matmul(columns, _channels_first(grad_output, groups).swapaxes(1, 2))
    return grad_weight.swapaxes(1, 2).reshape((grad_output.shape[1], input.shape[1] // groups)
                                              + tuple(kernel_size))


def _input_padding(input_size, output_size, kernel_size, stride, padding, dilation):
    """The padding under which a transposed convolution of an output of ``output_size``
    gives back ``input_size`` (the rows and columns the convolution skipped get zeros)."""
    return tuple((before, (o - 1) * s + d * (k - 1) + 1 - before - size)
                 for size, o, k, s, (before, _), d in zip(input_size, output_size, kernel_size,
                                                         stride, padding, dilation))


# ---------------------------------------------------------------------- ops
class Convolution(Op):
    """A convolution (or, with ``transposed``, its adjoint) plus bias."""

    @staticmethod
    def forward(ctx, xp, input, weight, bias, stride, padding, dilation, transposed, groups):
        needs = ctx.needs_input_grad
        ctx.arguments = stride, padding, dilation, groups
        ctx.transposed, ctx.kernel_size = transposed, weight.shape[2:]
        columns = [] if needs[1] and not transposed else None
        if transposed:
            output = _conv_transpose(xp, input, weight, stride, padding, dilation, groups)
        else:
            output = _conv(xp, input, weight, stride, padding, dilation, groups, columns)
        ctx.save_for_backward(input if needs[1] else None, weight if needs[0] else None,
                              columns[0] if columns else None)
        if not transposed and needs[0]:
            ctx.input_padding = _input_padding(input.shape[2:], output.shape[2:],
                                               weight.shape[2:], stride, padding, dilation)
        if bias is not None:
            output += bias.reshape((-1,) + (1,) * (output.ndim - 2))
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, columns = ctx.saved_tensors
        needs = ctx.needs_input_grad
        stride, padding, dilation, groups = ctx.arguments
        grad_input = grad_weight = grad_bias = None
        if needs[0]:
            grad_input = Convolution.call(
                grad_output, weight, None, stride,
                padding if ctx.transposed else ctx.input_padding, dilation,
                not ctx.transposed, groups)
        if needs[1] and columns is not None and not state.create_graph:
            grad_weight = _conv_weight(ctx.xp, input, grad_output, ctx.kernel_size, stride,
                                       padding, dilation, groups, columns)
        elif needs[1]:
            first, second = (grad_output, input) if ctx.transposed else (input, grad_output)
            grad_weight = ConvolutionBackward.call(first, second, ctx.kernel_size, stride,
                                                   padding, dilation, groups)
        if needs[2]:
            grad_bias = ctx.xp.sum(grad_output, axis=(0,) + tuple(range(2, grad_output.ndim)))
        return grad_input, grad_weight, grad_bias, None, None, None, None, None


class ConvolutionBackward(Op):
    """The weight gradient of a convolution of ``input`` whose output has ``grad_output``;
    linear in both, so its own gradients are convolutions again."""

    @staticmethod
    def forward(ctx, xp, input, grad_output, kernel_size, stride, padding, dilation, groups):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(input if needs[1] else None, grad_output if needs[0] else None)
        ctx.arguments = stride, padding, dilation, groups
        if needs[0]:
            ctx.input_padding = _input_padding(input.shape[2:], grad_output.shape[2:],
                                               kernel_size, stride, padding, dilation)
        return _conv_weight(xp, input, grad_output, kernel_size, stride, padding, dilation,
                            groups)

    @staticmethod
    def backward(ctx, grad):
        input, grad_output = ctx.saved_tensors
        needs = ctx.needs_input_grad
        stride, padding, dilation, groups = ctx.arguments
        grad_input = grad_grad_output = None
        if needs[0]:
            grad_input = Convolution.call(grad_output, grad, None, stride, ctx.input_padding,
                                          dilation, True, groups)
        if needs[1]:
            grad_grad_output = Convolution.call(input, grad, None, stride, padding, dilation,
                                                False, groups)
        return grad_input, grad_grad_output, None, None, None, None, None


class Im2Col(Op):
    """``F.unfold``: the blocks of a (C, H, W) or (N, C, H, W) input as columns."""

    @staticmethod
    def forward(ctx, xp, input, kernel_size, dilation, padding, stride):
        ctx.arguments = kernel_size, dilation, padding, stride
        ctx.input_size = input.shape[-len(kernel_size):]
        batched = input if input.ndim == len(kernel_size) + 2 else input[None]
        windows = _windows(xp, batched, kernel_size, stride, tuple((p, p) for p in padding),
                           dilation)
        n, channels = windows.shape[:2]
        columns = windows.reshape(n, channels * math.prod(kernel_size),
                                  math.prod(windows.shape[2 + len(kernel_size):]))
        return columns if batched is input else columns[0]

    @staticmethod
    def backward(ctx, grad_output):
        return (Col2Im.call(grad_output, ctx.input_size, *ctx.arguments),) + (None,) * 4


class Col2Im(Op):
    """``F.fold``: sums columns (C * kernel, L) or (N, C * kernel, L) into an image."""

    @staticmethod
    def forward(ctx, xp, input, output_size, kernel_size, dilation, padding, stride):
        ctx.arguments = kernel_size, dilation, padding, stride
        batched = input if input.ndim == 3 else input[None]
        blocks = tuple((size + 2 * p - d * (k - 1) - 1) // s + 1 for size, k, d, p, s in
                       zip(output_size, kernel_size, dilation, padding, stride))
        n, rows = batched.shape[:2]
        columns = xp.moveaxis(batched.reshape((n, rows // math.prod(kernel_size))
                                              + tuple(kernel_size) + blocks), 0, -1)
        full = [(b - 1) * s + d * (k - 1) + 1
                for b, k, s, d in zip(blocks, kernel_size, stride, dilation)]
        pads = tuple((p, f - p - size) for f, p, size in zip(full, padding, output_size))
        image = _col2im(xp, columns, stride, pads, dilation)
        return image if batched is input else image[0]

    @staticmethod
    def backward(ctx, grad_output):
        return (Im2Col.call(grad_output, *ctx.arguments),) + (None,) * 5


# ---------------------------------------------------------------------- checks
def _sizes(shape):
    return str(list(shape))


def _expand(value, nd):
    return (value,) * nd if isinstance(value, int) else tuple(value)


def _check_lengths(nd, **params):
    for name, value in params.items():
        if len(value) == 1 and nd != 1:
            params[name] = value * nd
        elif len(value) != nd:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(value)}")
    return params.values()


def _check_values(stride, padding, dilation, output_padding, groups):
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")


def _check_types(input, weight, bias):
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(f"Input type ({input.type()}) and weight type ({weight.type()}) should "
                           "be the same or input should be a MKLDNN tensor and weight is a dense "
                           "tensor")
    if bias is not None and bias._data.dtype != input._data.dtype:
        raise RuntimeError(f"Input type ({_scalar_type_name(input._data.dtype).lower()}) and "
                           f"bias type ({_scalar_type_name(bias._data.dtype).lower()}) should be "
                           "the same")


def _check_shapes(input, weight, bias, groups, transposed):
    shape, weight_shape = input._data.shape, weight._data.shape
    if len(shape) != len(weight_shape):
        raise RuntimeError(f"Expected {len(weight_shape)}-dimensional input for "
                           f"{len(weight_shape)}-dimensional weight {_sizes(weight_shape)}, but "
                           f"got {len(shape)}-dimensional input of size {_sizes(shape)} instead")
    if weight_shape[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {_sizes(weight_shape)} instead")
    if weight_shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{_sizes(weight_shape)}] "
                           "instead")
    channels = weight_shape[0] if transposed else weight_shape[1] * groups
    given = f"transposed={int(transposed)}" if transposed else f"groups={groups}"
    if shape[1] != channels:
        raise RuntimeError(f"Given {given}, weight of size {_sizes(weight_shape)}, expected "
                           f"input{_sizes(shape)} to have {channels} channels, but got "
                           f"{shape[1]} channels instead")
    out_channels = weight_shape[1] * groups if transposed else weight_shape[0]
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != out_channels):
        prefix = "Given transposed=1, weight" if transposed else "Given weight"
        raise RuntimeError(f"{prefix} of size {_sizes(weight_shape)}, expected bias to be "
                           f"1-dimensional with {out_channels} elements, but got bias of size "
                           f"{_sizes(bias.shape)} instead")


def _check_kernel_fits(input, weight, padding, dilation):
    padded = [size + before + after
              for size, (before, after) in zip(input.shape[2:], padding)]
    kernel = [d * (k - 1) + 1 for k, d in zip(weight.shape[2:], dilation)]
    if any(p < k for p, k in zip(padded, kernel)):
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than "
                           "actual input size")


def _check_transposed(input, weight, stride, padding, dilation, output_padding):
    if any(o >= s and o >= d for o, s, d in zip(output_padding, stride, dilation)):
        names = ("depth", "height", "width")[-len(stride):]
        if len(stride) == 1:  # PyTorch reports a 1-D one as 2-D of height 1
            names, output_padding = ("height", "width"), (0, *output_padding)
            stride, dilation = (1, *stride), (1, *dilation)
        values = " ".join(f"{what}_{axis}: {v}" for what, values in
                          (("output_padding", output_padding), ("stride", stride),
                           ("dilation", dilation)) for axis, v in zip(names, values))
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, "
                           f"but got {values}")
    output = [(size - 1) * s - 2 * p + d * (k - 1) + 1 + o for size, k, s, p, d, o in
              zip(input.shape[2:], weight.shape[2:], stride, padding, dilation, output_padding)]
    if any(size < 1 for size in output):
        raise RuntimeError(f"Given input size per channel: "
                           f"({' x '.join(map(str, input.shape[2:]))}). Calculated output size "
                           f"per channel: ({' x '.join(map(str, output))}). Output size is too "
                           "small")


def _same_padding(weight, stride, dilation):
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    total = [d * (k - 1) for k, d in zip(weight.shape[2:], dilation)]
    return tuple((t // 2, t - t // 2) for t in total)


# ---------------------------------------------------------------------- public functions
def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                groups):
    """Applies a convolution (or a transposed one) over an (N, C, *spatial) input."""
    if weight.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    nd = weight.dim() - 2
    stride, dilation, output_padding = _check_lengths(
        nd, stride=_expand(stride, nd), dilation=_expand(dilation, nd),
        output_padding=_expand(output_padding, nd))
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        pads = _same_padding(weight, stride, dilation) if padding == "same" else ((0, 0),) * nd
    else:
        (padding,) = _check_lengths(nd, padding=_expand(padding, nd))
        pads = tuple((p, p) for p in padding)
    _check_values(stride, [p for pair in pads for p in pair], dilation, output_padding, groups)
    _check_types(input, weight, bias)
    _check_shapes(input, weight, bias, groups, transposed)
    if transposed:
        _check_transposed(input, weight, stride, padding, dilation, output_padding)
        pads = tuple((p, p - o) for p, o in zip(padding, output_padding))
    else:
        _check_kernel_fits(input, weight, pads, dilation)
    return Convolution.apply(input, weight, bias, stride, pads, dilation, bool(transposed),
                             groups)


def _unbatched(input, nd, name):
    """Whether ``input`` has no batch dimension; RuntimeError when its rank fits neither."""
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {_sizes(input.shape)}")
    return input.dim() == nd + 1


def _conv_nd(nd, name, input, weight, bias, stride, padding, dilation, groups,
             transposed=False, output_padding=0):
    unbatched = _unbatched(input, nd, name)
    if transposed and isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    if unbatched:
        input = input.unsqueeze(0)
    output = convolution(input, weight, bias, _expand(stride, nd),
                         padding if isinstance(padding, str) else _expand(padding, nd),
                         _expand(dilation, nd), transposed, _expand(output_padding, nd), groups)
    return output.squeeze(0) if unbatched else output


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Applies a 1D convolution over an input signal composed of several input planes."""
    return _conv_nd(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Applies a 2D convolution over an input image composed of several input planes."""
    return _conv_nd(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Applies a 3D convolution over an input image composed of several input planes."""
    return _conv_nd(3, "conv3d", input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Applies a 1D transposed convolution operator over an input signal composed of several
    input planes, sometimes also called "deconvolution"."""
    return _conv_nd(1, "conv_transpose1d", input, weight, bias, stride, padding, dilation,
                    groups, True, output_padding)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Applies a 2D transposed convolution operator over an input image composed of several
    input planes, sometimes also called "deconvolution"."""
    return _conv_nd(2, "conv_transpose2d", input, weight, bias, stride, padding, dilation,
                    groups, True, output_padding)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Applies a 3D transposed convolution operator over an input image composed of several
    input planes, sometimes also called "deconvolution"."""
    return _conv_nd(3, "conv_transpose3d", input, weight, bias, stride, padding, dilation,
                    groups, True, output_padding)
