"""View ops: results share their input's memory (and version counter), like PyTorch's views."""

import math

from ember._ops._checks import wrap_dim, wrap_dims
from ember._size import Size
from ember._tensor import Tensor
from ember.autograd.function import Op

__all__ = ["reshape", "view", "flatten", "unflatten", "squeeze", "unsqueeze", "permute",
           "transpose", "swapaxes", "swapdims", "t", "expand", "expand_as", "narrow", "select",
           "movedim", "moveaxis", "view_as", "reshape_as", "broadcast_to", "unfold",
           "as_strided", "adjoint"]


class View(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, shape):
        ctx.input_shape = input.shape
        return input.reshape(shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape), None


class Unsqueeze(View):
    pass


class Squeeze(View):
    pass


class SqueezeDim(View):
    node_name = "SqueezeBackward1"


class SqueezeDims(View):
    node_name = "SqueezeBackward2"


class Reshape(View):
    """``reshape`` of an input that cannot be viewed: a copy (PyTorch names it ``CloneBackward``
    followed by a view; one node is enough here)."""

    is_view = False


class Permute(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, dims):
        ctx.dims = dims
        return input.transpose(dims)

    @staticmethod
    def backward(ctx, grad_output):
        inverse = [0] * len(ctx.dims)
        for position, dim in enumerate(ctx.dims):
            inverse[dim] = position
        return grad_output.transpose(tuple(inverse)) if not isinstance(grad_output, Tensor) \
            else grad_output.permute(*inverse), None


class Transpose(Op):
    """``transpose``; ``t()`` and ``.T`` of a matrix print as ``TBackward0`` like PyTorch."""

    is_view = True

    @staticmethod
    def forward(ctx, xp, input, dim0, dim1):
        ctx.dims = (dim0, dim1)
        return xp.swapaxes(input, dim0, dim1)

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.xp.swapaxes(grad_output, *ctx.dims), None, None


class T(View):
    """``t()`` of a tensor with fewer than 2 dimensions: a plain view."""

    node_name = "TBackward0"


class TMatrix(Transpose):
    node_name = "TBackward0"


class Expand(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, shape):
        ctx.input_shape = input.shape
        return xp.broadcast_to(input, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, None  # the engine sums it back to the input's shape


class Index(Op):
    """Basic indexing (ints, slices, None, Ellipsis): a view."""

    is_view = True

    @staticmethod
    def forward(ctx, xp, input, index):
        ctx.input_shape, ctx.index = input.shape, index
        result = input[index]
        if not isinstance(result, xp.ndarray):  # all-int index: NumPy copies out a scalar
            result = input[(*index, Ellipsis) if isinstance(index, tuple) else (index, Ellipsis)]
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return IndexBackward.call(grad_output, ctx.input_shape, ctx.index), None


class IndexBackward(Op):
    """Scatters a gradient into zeros at a basic index; its own gradient is the index again."""

    @staticmethod
    def forward(ctx, xp, grad, shape, index):
        ctx.index = index
        result = xp.zeros(shape, dtype=grad.dtype)
        result[index] = grad
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return Index.call(grad_output, ctx.index), None, None


class Unfold(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, dim, size, step):
        ctx.input_shape, ctx.args = input.shape, (dim, size, step)
        windows = xp.lib.stride_tricks.sliding_window_view(input, size, axis=dim)
        return windows[(slice(None),) * dim + (slice(None, None, step),)]

    @staticmethod
    def backward(ctx, grad_output):
        return UnfoldBackward.call(grad_output, ctx.input_shape, *ctx.args), None, None, None


class UnfoldBackward(Op):
    @staticmethod
    def forward(ctx, xp, grad, input_shape, dim, size, step):
        ctx.args = dim, size, step
        result = xp.zeros(input_shape, dtype=grad.dtype)
        count = grad.shape[dim]
        moved = xp.moveaxis(result, dim, -1)
        windows = xp.moveaxis(grad, dim, -2)
        for offset in range(size):
            moved[..., offset:offset + step * (count - 1) + 1:step] += windows[..., offset]
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return Unfold.call(grad_output, *ctx.args), None, None, None, None


class AsStrided(Op):
    is_view = True

    @staticmethod
    def forward(ctx, xp, input, shape, strides, offset):
        ctx.input_shape = input.shape
        ctx.geometry = shape, strides, offset
        flat = input.reshape(-1) if input.flags.c_contiguous else xp.ascontiguousarray(input)
        itemsize = input.itemsize
        return xp.lib.stride_tricks.as_strided(
            flat[offset:], shape, tuple(s * itemsize for s in strides))

    @staticmethod
    def backward(ctx, grad_output):
        return AsStridedBackward.call(grad_output, ctx.input_shape, *ctx.geometry), None, None, \
            None


class AsStridedBackward(Op):
    @staticmethod
    def forward(ctx, xp, grad, input_shape, shape, strides, offset):
        result = xp.zeros(math.prod(input_shape), dtype=grad.dtype)
        positions = xp.arange(result.size)
        indices = xp.lib.stride_tricks.as_strided(
            positions[offset:], shape, tuple(s * positions.itemsize for s in strides))
        xp.add.at(result, indices.reshape(-1), grad.reshape(-1))
        ctx.geometry = shape, strides, offset
        return result.reshape(input_shape)

    @staticmethod
    def backward(ctx, grad_output):
        return AsStrided.call(grad_output, *ctx.geometry), None, None, None, None


# ---------------------------------------------------------------------- public functions
def _shape_arg(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def _infer_shape(shape, numel):
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return tuple(numel // known if s == -1 else s for s in shape)
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def view(input, *shape):
    """A view of ``input`` with a new shape; RuntimeError when the strides don't allow one."""
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, Size, int)):
        return input.to(shape[0])  # view(dtype)
    shape = _infer_shape(_shape_arg(shape), input._data.size)
    if shape == input._data.shape:
        return View.apply(input, shape)
    if not _viewable(input._data, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return View.apply(input, shape)


def _viewable(array, shape):
    if array.flags.c_contiguous:
        return True
    try:
        result = array.view()
        result.shape = shape  # NumPy refuses exactly when a copy would be needed
        return True
    except AttributeError:
        return False


def reshape(input, *shape):
    """``input`` with a new shape: a view when possible, otherwise a copy."""
    shape = _infer_shape(_shape_arg(shape), input._data.size)
    if _viewable(input._data, shape):
        return View.apply(input, shape)
    return Reshape.apply(input, shape)


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Flattens dimensions ``start_dim`` to ``end_dim`` into one."""
    shape = input._data.shape
    if not shape:
        return reshape(input, (1,))
    start, end = wrap_dim(start_dim, len(shape)), wrap_dim(end_dim, len(shape))
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    return reshape(input, shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])


def unflatten(input, dim, sizes):
    """Splits dimension ``dim`` into ``sizes``."""
    shape = input._data.shape
    dim = wrap_dim(dim, len(shape))
    sizes = tuple(sizes)
    if -1 not in sizes and math.prod(sizes) != shape[dim]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({shape[dim]}) in the input tensor")
    sizes = _infer_shape(sizes, shape[dim])
    return view(input, shape[:dim] + sizes + shape[dim + 1:])


def squeeze(input, dim=None):
    """Removes dimensions of size 1 (all of them, or those in ``dim``)."""
    shape = input._data.shape
    dims = wrap_dims(dim, len(shape)) if shape else ()
    new_shape = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    op = Squeeze if dim is None else SqueezeDim if isinstance(dim, int) else SqueezeDims
    return op.apply(input, new_shape)


def unsqueeze(input, dim):
    """Inserts a dimension of size 1 at ``dim``."""
    shape = input._data.shape
    dim = wrap_dim(dim, len(shape) + 1)
    return Unsqueeze.apply(input, shape[:dim] + (1,) + shape[dim:])


def permute(input, *dims):
    """A view with dimensions reordered as ``dims``."""
    dims = _shape_arg(dims)
    ndim = input._data.ndim
    if len(dims) != ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    return Permute.apply(input, wrap_dims(dims, ndim))


def transpose(input, dim0, dim1):
    """A view with dimensions ``dim0`` and ``dim1`` swapped."""
    ndim = input._data.ndim
    if ndim == 0:
        return View.apply(input, ())
    return Transpose.apply(input, wrap_dim(dim0, ndim), wrap_dim(dim1, ndim))


swapaxes = swapdims = transpose


def t(input):
    """Transposes a tensor of at most 2 dimensions."""
    if input._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{input._data.ndim}D")
    if input._data.ndim < 2:
        return T.apply(input, input._data.shape)
    return TMatrix.apply(input, 0, 1)


def adjoint(input):
    return transpose(input, -2, -1)


def movedim(input, source, destination):
    ndim = input._data.ndim
    source = wrap_dims(source, ndim)
    destination = wrap_dims(destination, ndim)
    order = [d for d in range(ndim) if d not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return Permute.apply(input, tuple(order))


moveaxis = movedim


def expand(input, *sizes):
    """A view broadcasting size-1 dimensions to ``sizes`` (-1 keeps a size)."""
    sizes = _shape_arg(sizes)
    shape = input._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({input.type()}{{{list(shape)}}}, size={list(sizes)}): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal "
                           f"to the number of dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = list(sizes)
    for i, size in enumerate(shape):
        want = sizes[lead + i]
        if want == -1:
            target[lead + i] = size
        elif size != 1 and size != want:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({size}) "
                f"at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  Tensor "
                f"sizes: {list(shape)}")
    target = tuple(target)
    if target == shape:
        return View.apply(input, shape)
    return Expand.apply(input, target)


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


def narrow(input, dim, start, length):
    """A view of ``length`` elements of dimension ``dim`` starting at ``start``."""
    dim = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    start = int(start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start + length > size or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return Index.apply(input, (slice(None),) * dim + (slice(start, start + length),))


def select(input, dim, index):
    """A view of ``input`` at ``index`` along ``dim``, removing that dimension."""
    dim = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input._data.shape)} at dimension {dim}")
    return Index.apply(input, (slice(None),) * dim + (index,))


def unfold(input, dimension, size, step):
    """A view with all slices of length ``size`` (every ``step``) of ``dimension`` in a new last
    dimension."""
    shape = input._data.shape
    dim = wrap_dim(dimension, len(shape))
    length = shape[dim] if shape else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {dim} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if not shape:
        return View.apply(input, (1,))
    return Unfold.apply(input, dim, size, step)


def as_strided(input, size, stride, storage_offset=0):
    """A view with the given sizes and element strides into ``input``'s (contiguous) memory."""
    return AsStrided.apply(input, tuple(size), tuple(stride), storage_offset)


_TENSOR_METHODS = ["reshape", "view", "flatten", "unflatten", "squeeze", "unsqueeze", "permute",
                   "transpose", "swapaxes", "swapdims", "t", "expand", "expand_as", "narrow",
                   "select", "movedim", "moveaxis", "view_as", "reshape_as", "unfold",
                   "as_strided", "adjoint"]
