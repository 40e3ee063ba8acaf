"""Joining, splitting and reordering: cat, stack, split, flip, roll, repeat, diagonals, grids."""

import warnings
from functools import reduce

import numpy as np

from ember import _dtype
from ember._ops import creation
from ember._ops._checks import broadcast_shapes as _broadcast_shapes
from ember._ops._checks import cast, check_same_device, wrap_dim, wrap_dims
from ember._ops.pointwise import _out
from ember._ops.views import Index, _shape_arg, expand, reshape, transpose, unsqueeze, view
from ember._size import Size
from ember._tensor import Tensor, _scalar_type_name
from ember.autograd.function import Op

__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack",
           "column_stack", "split", "split_with_sizes", "chunk", "tensor_split", "hsplit",
           "vsplit", "dsplit", "unbind", "tril", "triu", "flip", "fliplr", "flipud", "roll",
           "rot90", "repeat", "repeat_interleave", "tile", "diag", "diagonal", "diag_embed",
           "diagflat", "trace", "meshgrid", "broadcast_tensors", "broadcast_shapes", "atleast_1d",
           "atleast_2d", "atleast_3d", "tril_indices", "triu_indices", "cartesian_prod",
           "block_diag"]


def _slice_along(dim, start, stop):
    return (slice(None),) * dim + (slice(start, stop),)


def _select_along(dim, index):
    # The Ellipsis keeps NumPy from returning a scalar copy when the result is 0-d.
    return (slice(None),) * dim + (index, Ellipsis)


def _split_indices(split_sizes, dim):
    offsets = np.cumsum((0,) + tuple(split_sizes))
    return [_slice_along(dim, int(start), int(stop))
            for start, stop in zip(offsets[:-1], offsets[1:])]


class Cat(Op):
    @staticmethod
    def forward(ctx, xp, dim, *tensors):
        ctx.dim, ctx.shapes = dim, tuple(t.shape for t in tensors)
        kept = [t for t in tensors if t.shape != (0,)] or tensors[:1]
        return xp.concatenate(kept, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        sizes = tuple(0 if shape == (0,) else shape[ctx.dim] for shape in ctx.shapes)
        pieces = SplitWithSizes.call(grad_output, sizes, ctx.dim)
        # a skipped legacy empty input takes a (0,)-shaped gradient
        return (None,) + tuple(
            (piece.reshape(-1) if shape == (0,) else piece) if need else None
            for piece, shape, need in zip(pieces, ctx.shapes, ctx.needs_input_grad[1:]))


class Stack(Op):
    @staticmethod
    def forward(ctx, xp, dim, *tensors):
        ctx.dim = dim
        return xp.stack(tensors, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return (None,) + tuple(Unbind.call(grad_output, ctx.dim))


class SplitWithSizes(Op):
    """Views of consecutive pieces of ``split_sizes`` elements along ``dim``."""

    is_view = True

    @staticmethod
    def forward(ctx, xp, input, split_sizes, dim):
        ctx.dim = dim
        return tuple(input[index] for index in _split_indices(split_sizes, dim))

    @staticmethod
    def backward(ctx, *grad_outputs):
        return Cat.call(ctx.dim, *grad_outputs), None, None


class Split(SplitWithSizes):
    """``split`` with one size (PyTorch names its node ``SplitBackward0``)."""


class Unbind(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, dim):
        ctx.dim = dim
        return tuple(input[_select_along(dim, i)] for i in range(input.shape[dim]))

    @staticmethod
    def backward(ctx, *grad_outputs):
        return Stack.call(ctx.dim, *grad_outputs), None


class Tril(Op):
    @staticmethod
    def forward(ctx, xp, input, diagonal):
        ctx.diagonal = diagonal
        return xp.tril(input, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return Tril.call(grad_output, ctx.diagonal), None


class Triu(Op):
    @staticmethod
    def forward(ctx, xp, input, diagonal):
        ctx.diagonal = diagonal
        return xp.triu(input, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return Triu.call(grad_output, ctx.diagonal), None


class Flip(Op):
    @staticmethod
    def forward(ctx, xp, input, dims):
        ctx.dims = dims
        return xp.flip(input, axis=dims).copy()

    @staticmethod
    def backward(ctx, grad_output):
        return Flip.call(grad_output, ctx.dims), None


class Roll(Op):
    @staticmethod
    def forward(ctx, xp, input, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return xp.roll(input, shifts, axis=dims)

    @staticmethod
    def backward(ctx, grad_output):
        shifts = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return Roll.call(grad_output, shifts, ctx.dims), None, None


class Repeat(Op):
    @staticmethod
    def forward(ctx, xp, input, repeats):
        shape = (1,) * (len(repeats) - input.ndim) + input.shape
        ctx.shape, ctx.repeats = shape, repeats
        return xp.tile(input.reshape(shape), repeats)

    @staticmethod
    def backward(ctx, grad_output):
        blocks = tuple(size for pair in zip(ctx.repeats, ctx.shape) for size in pair)
        grad = grad_output.reshape(blocks)
        return ctx.xp.sum(grad, axis=tuple(range(0, len(blocks), 2))), None


class RepeatInterleave(Op):
    @staticmethod
    def forward(ctx, xp, input, repeats, dim):
        ctx.repeats, ctx.dim, ctx.size = repeats, dim, input.shape[dim]
        return xp.repeat(input, repeats, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        grad = RepeatInterleaveBackward.call(grad_output, ctx.repeats, ctx.dim, ctx.size)
        return grad, None, None


class RepeatInterleaveBackward(Op):
    """Sums each run of repeated elements back into one."""

    @staticmethod
    def forward(ctx, xp, grad, repeats, dim, size):
        ctx.repeats, ctx.dim = repeats, dim
        shape = grad.shape[:dim] + (size,) + grad.shape[dim + 1:]
        result = xp.zeros(shape, dtype=grad.dtype)
        segments = xp.repeat(xp.arange(size), repeats)
        xp.add.at(xp.moveaxis(result, dim, 0), segments, xp.moveaxis(grad, dim, 0))
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return RepeatInterleave.call(grad_output, ctx.repeats, ctx.dim), None, None, None


def _diagonal_view(xp, array, offset, dim1, dim2):
    """A writable view of ``array``'s diagonal (NumPy's ``diagonal`` is read-only)."""
    moved = xp.moveaxis(array, (dim1, dim2), (-2, -1))
    moved = moved[..., max(-offset, 0):, max(offset, 0):]
    length = min(moved.shape[-2], moved.shape[-1])
    strides = moved.strides[:-2] + (moved.strides[-2] + moved.strides[-1],)
    return xp.lib.stride_tricks.as_strided(moved, moved.shape[:-2] + (length,), strides)


class Diagonal(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, offset, dim1, dim2):
        ctx.input_shape, ctx.diagonal = input.shape, (offset, dim1, dim2)
        return _diagonal_view(xp, input, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, grad_output):
        return DiagEmbed.call(grad_output, *ctx.diagonal, ctx.input_shape), None, None, None


class DiagonalCopy(Diagonal):
    """``diag`` of a matrix: the diagonal as a new tensor."""

    is_view = False

    @staticmethod
    def forward(ctx, xp, input, offset, dim1, dim2):
        return Diagonal.forward(ctx, xp, input, offset, dim1, dim2).copy()


class DiagEmbed(Op):
    """Zeros of ``shape`` with ``input`` written on the diagonal (``offset``, ``dim1``,
    ``dim2``); also ``diagonal``'s gradient."""

    @staticmethod
    def forward(ctx, xp, input, offset, dim1, dim2, shape):
        ctx.diagonal = offset, dim1, dim2
        result = xp.zeros(shape, dtype=input.dtype)
        _diagonal_view(xp, result, offset, dim1, dim2)[...] = input
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return Diagonal.call(grad_output, *ctx.diagonal), None, None, None, None


class BlockDiag(Op):
    @staticmethod
    def forward(ctx, xp, *tensors):
        ctx.blocks = blocks = _blocks(tensors)
        rows, cols = blocks[-1][0].stop, blocks[-1][1].stop
        result = xp.zeros((rows, cols), dtype=tensors[0].dtype)
        for block, tensor in zip(blocks, tensors):
            result[block] = tensor
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return tuple(Index.call(grad_output, block) if need else None
                     for block, need in zip(ctx.blocks, ctx.needs_input_grad))


def _blocks(tensors):
    """The (rows, cols) slices each 2-D tensor occupies in the block-diagonal matrix."""
    blocks, row, col = [], 0, 0
    for tensor in tensors:
        height, width = tensor.shape
        blocks.append((slice(row, row + height), slice(col, col + width)))
        row, col = row + height, col + width
    return blocks


# ---------------------------------------------------------------------- joining
def _tensor_list(tensors, name):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        "not Tensor")
    tensors = list(tensors)
    for position, tensor in enumerate(tensors):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 0, but got "
                            f"{type(tensor).__name__}")
    return tensors


def _promote_all(tensors):
    """Casts ``tensors`` to their common dtype (PyTorch's promotion across a list)."""
    for tensor in tensors[1:]:
        check_same_device(tensors[0], tensor)
    dtype = reduce(_dtype.promote_types, (t.dtype for t in tensors))
    return [cast(t, dtype) for t in tensors]


def cat(tensors, dim=0, *, out=None):
    """Concatenates ``tensors`` along ``dim``; all other sizes must match.

    Like PyTorch, 1-D empty tensors (shape ``(0,)``) are skipped whatever their rank.
    """
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("cat(): expected a non-empty list of Tensors")
    for position, tensor in enumerate(tensors):
        if tensor._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {position}) cannot be "
                               "concatenated")
    reference = next((t._data.shape for t in tensors if t._data.shape != (0,)), (0,))
    dim = wrap_dim(dim, len(reference))
    for number, tensor in enumerate(tensors):
        _check_cat_shape(tensor._data.shape, reference, dim, number)
    return _out(Cat.apply(dim, *_promote_all(tensors)), out)


def _check_cat_shape(shape, reference, dim, number):
    if shape == (0,):
        return
    if len(shape) != len(reference):
        raise RuntimeError(f"Tensors must have same number of dimensions: got {len(reference)} "
                           f"and {len(shape)}")
    for d, (expected, size) in enumerate(zip(reference, shape)):
        if d != dim and expected != size:
            raise RuntimeError(
                f"Sizes of tensors must match except in dimension {dim}. Expected size "
                f"{expected} but got size {size} for tensor number {number} in the list.")


concat = cat


def concatenate(tensors, axis=0, *, out=None):
    """Alias of :func:`cat` with NumPy's argument name."""
    return cat(tensors, axis, out=out)


def stack(tensors, dim=0, *, out=None):
    """Stacks equally shaped ``tensors`` along a new dimension ``dim``."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._data.shape
    for entry, tensor in enumerate(tensors):
        if tensor._data.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shape)} at entry 0 and {list(tensor._data.shape)} at "
                               f"entry {entry}")
    dim = wrap_dim(dim, len(shape) + 1)
    return _out(Stack.apply(dim, *_promote_all(tensors)), out)


def _nonempty_list(tensors, name):
    tensors = _tensor_list(tensors, name)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    """Concatenates ``tensors`` column-wise (along dim 0 for 1-D tensors, else dim 1)."""
    tensors = atleast_1d(_nonempty_list(tensors, "hstack"))
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """Concatenates ``tensors`` row-wise, after making them at least 2-D."""
    return cat(atleast_2d(_nonempty_list(tensors, "vstack")), 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    """Concatenates ``tensors`` depth-wise (dim 2), after making them at least 3-D."""
    return cat(atleast_3d(_nonempty_list(tensors, "dstack")), 2, out=out)


def column_stack(tensors, *, out=None):
    """Stacks ``tensors`` as columns: 0-D and 1-D tensors become ``(numel, 1)`` columns."""
    tensors = _nonempty_list(tensors, "column_stack")
    columns = [reshape(t, (t._data.size, 1)) if t._data.ndim <= 1 else t for t in tensors]
    return hstack(columns, out=out)


# ---------------------------------------------------------------------- splitting
def _views(op, input, indices, *args):
    """Runs the multi-output view ``op``; each output replays alone as ``input[index]``, so an
    in-place write into one of them rebases only its own history."""
    outputs = op.apply(input, *args)
    for output, index in zip(outputs, indices):
        output._view_replay = (input._view_replay, Index, (index,))
    return outputs


def _split_views(op, input, split_sizes, dim):
    return _views(op, input, _split_indices(split_sizes, dim), split_sizes, dim)


def _split_dim(input, dim, name):
    if input._data.ndim == 0:
        raise RuntimeError(f"{name} expects at least a 1-dimensional tensor")
    return wrap_dim(dim, input._data.ndim)


def split(tensor, split_size_or_sections, dim=0):
    """Splits ``tensor`` into views of ``split_size_or_sections`` elements along ``dim`` (the
    last may be smaller), or into pieces of the listed sizes."""
    dim = _split_dim(tensor, dim, "split")
    size = tensor._data.shape[dim]
    if not isinstance(split_size_or_sections, (int, np.integer, Tensor)):
        return split_with_sizes(tensor, split_size_or_sections, dim)
    split_size = int(split_size_or_sections)
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got "
                           f"split_size={split_size}")
    if split_size == 0 and size:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {size}")
    count = max(-(-size // split_size), 1) if split_size else 1
    sizes = (split_size,) * (count - 1) + (size - split_size * (count - 1),)
    return _split_views(Split, tensor, sizes, dim)


def split_with_sizes(input, split_sizes, dim=0):
    """Splits ``input`` into views of ``split_sizes`` elements along ``dim``."""
    dim = _split_dim(input, dim, "split")
    sizes = tuple(int(s) for s in split_sizes)
    size = input._data.shape[dim]
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative "
                           f"entries, but got split_sizes={list(sizes)}")
    if sum(sizes) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                           f"(input tensor's size at dimension {dim}), but got "
                           f"split_sizes={list(sizes)}")
    return _split_views(SplitWithSizes, input, sizes, dim)


def chunk(input, chunks, dim=0):
    """Splits ``input`` into at most ``chunks`` views of equal size (the last may be smaller)."""
    dim = _split_dim(input, dim, "chunk")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = input._data.shape[dim]
    if size == 0:
        return _split_views(SplitWithSizes, input, (0,) * chunks, dim)
    return split(input, -(-size // chunks), dim)


def tensor_split(input, indices_or_sections, dim=0):
    """Splits ``input`` into ``sections`` views of near-equal size, or at the given indices
    (Python slicing rules: negative indices count from the end)."""
    ndim = input._data.ndim
    if ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    dim = wrap_dim(dim, ndim)
    indices_or_sections = _sections_arg(indices_or_sections)
    size = input._data.shape[dim]
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        sizes = [size // sections + 1] * (size % sections)
        sizes += [size // sections] * (sections - size % sections)
        return tuple(Index.apply(input, index) for index in _split_indices(sizes, dim))
    bounds = [None] + list(indices_or_sections) + [None]
    return tuple(Index.apply(input, _slice_along(dim, start, stop))
                 for start, stop in zip(bounds[:-1], bounds[1:]))


def _sections_arg(value):
    """An int (sections) or a list of ints (indices) from ``tensor_split``'s argument."""
    if not isinstance(value, Tensor):
        return int(value) if isinstance(value, (int, np.integer)) else [int(i) for i in value]
    if value._data.dtype != np.int64:
        raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype of "
                           f"long, but got {_scalar_type_name(value.dtype)}")
    if value._data.ndim > 1:
        raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a "
                           f"zero-dimensional or one-dimensional tensor, but got a tensor with "
                           f"{value._data.ndim} dims")
    return value.item() if value._data.ndim == 0 else value.tolist()


def _split_like_numpy(name, dim, min_ndim):
    def function(input, indices_or_sections):
        ndim = input._data.ndim
        if ndim < min_ndim:
            raise RuntimeError(f"{name} requires a tensor with at least {min_ndim} dimension, "
                               f"but got a tensor with {ndim} dimensions!")
        along = 0 if name == "hsplit" and ndim == 1 else dim
        if isinstance(indices_or_sections, int):
            size = input._data.shape[along]
            if indices_or_sections == 0 or size % indices_or_sections:
                raise RuntimeError(f"{name} attempted to split along dimension {along}, but the "
                                   f"size of the dimension {size} is not divisible by the "
                                   f"split_size {indices_or_sections}!")
        return tensor_split(input, indices_or_sections, along)

    function.__name__ = name
    function.__doc__ = (f"Splits ``input`` along dimension {dim} into sections or at indices, "
                        "like :func:`tensor_split`.")
    return function


hsplit = _split_like_numpy("hsplit", 1, 1)
vsplit = _split_like_numpy("vsplit", 0, 2)
dsplit = _split_like_numpy("dsplit", 2, 3)


def _check_has_dims(input, dim):
    if input._data.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


def unbind(input, dim=0):
    """Removes dimension ``dim``, returning a tuple of views, one per index along it."""
    _check_has_dims(input, dim)
    dim = wrap_dim(dim, input._data.ndim)
    indices = [_select_along(dim, i) for i in range(input._data.shape[dim])]
    return _views(Unbind, input, indices, dim)


# ---------------------------------------------------------------------- reordering
def _triangle(op, name):
    def function(input, diagonal=0, *, out=None):
        if input._data.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        return _out(op.apply(input, int(diagonal)), out)

    function.__name__ = name
    part = "lower" if name == "tril" else "upper"
    function.__doc__ = (f"Returns the {part} triangular part of the matrices in ``input`` (on "
                        f"and {'below' if part == 'lower' else 'above'} ``diagonal``), zeroing "
                        "the rest.")
    return function


tril = _triangle(Tril, "tril")
triu = _triangle(Triu, "triu")


def flip(input, dims, *more_dims):
    """Reverses the order of elements along ``dims`` (a copy, like PyTorch)."""
    ndim = input._data.ndim
    dims = wrap_dims(_shape_arg((dims,) + more_dims), ndim) if ndim else ()
    return Flip.apply(input, dims)


def fliplr(input):
    """Flips ``input`` left to right (dimension 1)."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return Flip.apply(input, (1,))


def flipud(input):
    """Flips ``input`` upside down (dimension 0)."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return Flip.apply(input, (0,))


def roll(input, shifts, dims=None):
    """Rolls ``input`` by ``shifts`` along ``dims``; without ``dims`` the flattened tensor is
    rolled and the shape restored."""
    shifts = (int(shifts),) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return Roll.apply(input, shifts[0], None)
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    _check_has_dims(input, dims[0])
    return Roll.apply(input, shifts, tuple(wrap_dim(d, input._data.ndim) for d in dims))


def rot90(input, k=1, dims=(0, 1)):
    """Rotates ``input`` by 90 degrees ``k`` times, from the first towards the second of
    ``dims``."""
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    ndim = input._data.ndim
    if ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {ndim}")
    dim0, dim1 = wrap_dim(dims[0], ndim), wrap_dim(dims[1], ndim)
    if dim0 == dim1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dim0} and "
                           f"dim1 = {dim1}")
    k %= 4
    if k == 1:
        return transpose(Flip.apply(input, (dim1,)), dim0, dim1)
    if k == 3:
        return transpose(Flip.apply(input, (dim0,)), dim0, dim1)
    return Flip.apply(input, (dim0, dim1) if k == 2 else ())


def repeat(input, *repeats):
    """Tiles ``input`` ``repeats[i]`` times along each dimension (``repeats`` may have more
    entries than ``input`` has dimensions; the tensor is then viewed with leading 1s)."""
    repeats = _shape_arg(repeats)
    shape = input._data.shape
    if len(repeats) < len(shape):
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    padded = (1,) * (len(repeats) - len(shape)) + shape
    if any(r < 0 for r in repeats):
        sizes = [r * s for r, s in zip(repeats, padded)]
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: "
                           f"{sizes}")
    return Repeat.apply(input, repeats)


def tile(input, dims, *more_dims):
    """Like :meth:`Tensor.repeat`, with ``dims`` padded with leading 1s to ``input``'s rank."""
    dims = _shape_arg((dims,) + more_dims)
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeats each element of ``input`` ``repeats`` times (an int, or one count per element
    along ``dim``); without ``dim`` the input is flattened first. With only a 1-D tensor of
    counts, returns the indices repeated by those counts."""
    if repeats is None:
        if input._data.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return repeat_interleave(creation.arange(input._data.shape[0], device=input.device), input,
                                 output_size=output_size)
    if dim is None:
        input, dim = reshape(input, (-1,)), 0
    dim = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        input = reshape(input, (1,))
    repeats = _repeats_arg(repeats, input._data.shape[dim])
    total = repeats * input.shape[dim] if isinstance(repeats, int) else sum(repeats)
    if output_size is not None and output_size != total:
        raise RuntimeError("allocated size does not match required size")
    return RepeatInterleave.apply(input, repeats, dim)


def _repeats_arg(repeats, size):
    """``repeats`` as an int or a tuple of one count per element (CuPy's ``repeat`` takes no
    arrays)."""
    if not isinstance(repeats, Tensor):
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        return int(repeats)
    if repeats._data.dtype.kind not in "iu":
        raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for '
                                  f"'{_scalar_type_name(repeats.dtype)}'")
    if repeats._data.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if repeats._data.size == 1:
        return _repeats_arg(repeats.item(), size)
    if repeats._data.shape[0] != size:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {repeats._data.shape[0]} and input.size(0) = "
                           f"{size}")
    counts = tuple(repeats.tolist())
    if counts and min(counts) < 0:
        raise RuntimeError("repeats can not be negative")
    return counts


# ---------------------------------------------------------------------- diagonals
def _diagonal_dims(dim1, dim2, ndim):
    wrapped1, wrapped2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if wrapped1 == wrapped2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return wrapped1, wrapped2


def diagonal(input, offset=0, dim1=0, dim2=1):
    """A view of the diagonal of ``input`` over ``dim1`` and ``dim2`` (above the main one for
    ``offset`` > 0), appended as the last dimension."""
    dim1, dim2 = _diagonal_dims(dim1, dim2, input._data.ndim)
    return Diagonal.apply(input, int(offset), dim1, dim2)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Places the last dimension of ``input`` on the diagonal of new ``dim1`` x ``dim2``
    matrices, zeros elsewhere."""
    shape = input._data.shape
    dim1, dim2 = _diagonal_dims(dim1, dim2, len(shape) + 1)
    size = (shape[-1] if shape else 1) + abs(offset)
    out_shape = list(shape[:-1])
    for d in sorted((dim1, dim2)):
        out_shape.insert(d, size)
    return DiagEmbed.apply(input, int(offset), dim1, dim2, tuple(out_shape))


def diag(input, diagonal=0, *, out=None):
    """A 1-D ``input`` becomes a matrix with it on diagonal ``diagonal``; a 2-D ``input`` gives
    that diagonal (a copy)."""
    ndim = input._data.ndim
    if ndim == 1:
        size = input._data.shape[0] + abs(diagonal)
        return _out(DiagEmbed.apply(input, int(diagonal), 0, 1, (size, size)), out)
    if ndim == 2:
        return _out(DiagonalCopy.apply(input, int(diagonal), 0, 1), out)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")


def diagflat(input, offset=0):
    """A matrix with the flattened ``input`` on diagonal ``offset``."""
    return diag(reshape(input, (-1,)), offset)


def trace(input):
    """The sum of the main diagonal of a matrix."""
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim "
                           f"{input._data.ndim}")
    return diagonal(input).sum()


def block_diag(*tensors):
    """A block-diagonal matrix of ``tensors`` (0-D and 1-D ones are treated as 1-row
    matrices), promoted to their common dtype."""
    if not tensors:
        return creation.zeros(1, 0)
    for position, tensor in enumerate(tensors):
        if tensor._data.ndim > 2:
            raise RuntimeError(f"block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {position} has {tensor._data.ndim} dimensions")
    matrices = [reshape(t, (1, t._data.size)) if t._data.ndim < 2 else t for t in tensors]
    return BlockDiag.apply(*_promote_all(matrices))


# ---------------------------------------------------------------------- grids, broadcasting
def _varargs(tensors):
    """``f(a, b)`` and ``f([a, b])`` both give ``[a, b]``."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return list(tensors[0])
    return list(tensors)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D (or 0-D) ``tensors``: with ``indexing='ij'`` output ``i`` varies
    along dimension ``i``; ``'xy'`` swaps the first two dimensions (Cartesian indexing)."""
    tensors = _varargs(tensors)
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        warnings.warn("meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f"{indexing}")
    for tensor in tensors:
        if tensor._data.ndim > 1:
            raise RuntimeError(f"meshgrid: Expected 0D or 1D tensor in the tensor list but got: "
                               f"{tensor}")
        if tensor.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(tensors)
    for axis, tensor in zip(axes, tensors):
        shape[axis] = tensor._data.size
    grids = []
    for axis, tensor in zip(axes, tensors):
        single = [1] * len(tensors)
        single[axis] = -1
        grids.append(expand(view(tensor, single), shape))
    return tuple(grids)


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` broadcast to."""
    shapes = [(s,) if isinstance(s, (int, np.integer)) else tuple(s) for s in shapes]
    if any(size < 0 for shape in shapes for size in shape):
        raise ValueError("Attempting to broadcast a dimension with negative length!")
    return Size(_broadcast_shapes(*shapes) if shapes else ())


def broadcast_tensors(*tensors):
    """Views of ``tensors`` expanded to their common broadcast shape."""
    tensors = _varargs(tensors)
    shape = broadcast_shapes(*(t._data.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def _atleast(ndim, make):
    def function(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], Tensor):
            return make(tensors[0]) if tensors[0]._data.ndim < ndim else tensors[0]
        return tuple(function(t) for t in _varargs(tensors))

    function.__name__ = f"atleast_{ndim}d"
    function.__doc__ = (f"Returns a view of each input with at least {ndim} dimensions (inputs "
                        "that have them are returned as they are).")
    return function


atleast_1d = _atleast(1, lambda t: reshape(t, (1,)))
atleast_2d = _atleast(2, lambda t: unsqueeze(atleast_1d(t), 0))
atleast_3d = _atleast(3, lambda t: unsqueeze(atleast_2d(t), -1) if t._data.ndim != 1
                      else reshape(t, (1, t._data.size, 1)))


def cartesian_prod(*tensors):
    """The Cartesian product of 1-D ``tensors``, one combination per row."""
    for tensor in tensors:
        if tensor._data.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(tensor._data.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(g, (-1,)) for g in grids], 1)


def _triangle_indices(name, select):
    def function(row, col, offset=0, *, dtype=None, device=None, layout=None):
        if row < 0:
            raise RuntimeError(f"row must be non-negative, got{row}")
        if col < 0:
            raise RuntimeError(f"col must be non-negative, got{col}")
        indices = np.stack(select(row, offset, col)).astype(np.int64)
        return creation.tensor(indices, dtype=dtype or _dtype.int64, device=device)

    function.__name__ = name
    part = "lower" if name == "tril_indices" else "upper"
    function.__doc__ = (f"The 2 x N coordinates of the {part} triangle of a ``row`` x ``col`` "
                        "matrix (diagonal ``offset``), in row-major order.")
    return function


tril_indices = _triangle_indices("tril_indices", np.tril_indices)
triu_indices = _triangle_indices("triu_indices", np.triu_indices)


_TENSOR_METHODS = ["split", "split_with_sizes", "chunk", "tensor_split", "hsplit", "vsplit",
                   "dsplit", "unbind", "tril", "triu", "flip", "fliplr", "flipud", "roll",
                   "rot90", "repeat", "repeat_interleave", "tile", "diag", "diagonal",
                   "diag_embed", "diagflat", "trace"]
_INPLACE_METHODS = ["tril", "triu"]
