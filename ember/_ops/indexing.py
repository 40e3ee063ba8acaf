"""Indexing: ``tensor[index]``, ``tensor[index] = value``, gather/scatter, the ``index_*``,
``masked_*`` and ``take``/``put`` families, and the in-place writes (``copy_``, ``fill_``).

Basic indices (ints, slices, ``None``, ``...``) give views and advanced ones (integer and boolean
index tensors) copies, with PyTorch's rules: the basic components apply first, left to right,
then the index tensors index that view, their broadcast dimensions placed as NumPy places them.
"""

import math
import warnings

import numpy as np

from ember._device import contiguous_format, preserve_format
from ember._ops import views
from ember._ops._checks import as_tensor_like, broadcast_shapes, wrap_dim
from ember._ops.pointwise import _move, _out
from ember._tensor import Tensor, _make, _scalar_type_name
from ember.autograd.function import Op
from ember.backends import _NAMESPACE_BY_ARRAY_TYPE, namespace

__all__ = ["clone", "fill", "fill_", "zero_", "masked_fill", "gather", "scatter", "scatter_add",
           "scatter_reduce", "index_select", "index_add", "index_copy", "index_fill",
           "index_put", "index_put_", "masked_select", "masked_scatter", "take",
           "take_along_dim", "put", "nonzero", "argwhere"]

_SCALARS = (int, float, bool, complex, np.number, np.bool_)
_INDEX_DTYPES = (np.dtype(np.int32), np.dtype(np.int64))
_UFUNCS = {"sum": "add", "mean": "add", "prod": "multiply", "amax": "maximum",
           "amin": "minimum"}
# C++ type names, which masked_fill's dtype error prints
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
              "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "complex64": "c10::complex<float>",
              "complex128": "c10::complex<double>"}


# ---------------------------------------------------------------------- array helpers
def _zeros(like, shape):
    """Zeros of ``shape`` with the dtype and device of ``like``, an array (or a tensor while a
    backward records a graph)."""
    if isinstance(like, Tensor):
        return like.new_zeros(shape)
    return _NAMESPACE_BY_ARRAY_TYPE.get(type(like), np).zeros(shape, like.dtype)


def _along(dim, index):
    """The index tuple selecting the integer array ``index`` along dimension ``dim``."""
    return (slice(None),) * dim + (index.reshape(-1),)


def _positions(xp, index, dim):
    """Gather's and scatter's fancy index: each element of ``index`` at its own coordinates,
    with coordinate ``dim`` replaced by its value."""
    ndim = index.ndim
    return tuple(index if d == dim else xp.arange(size).reshape((size,) + (1,) * (ndim - d - 1))
                 for d, size in enumerate(index.shape))


def _layout(shape, index):
    """How ``array[index]`` lays out its result (``index``: full slices and integer arrays):
    ``(leading sliced dims, integer-array dims, their broadcast shape, trailing sliced dims)``."""
    index = tuple(index) + (slice(None),) * (len(shape) - len(index))
    arrays = [d for d, item in enumerate(index) if not isinstance(item, slice)]
    sliced = [d for d, item in enumerate(index) if isinstance(item, slice)]
    broadcast = broadcast_shapes(*(index[d].shape for d in arrays))
    if arrays == list(range(arrays[0], arrays[-1] + 1)):
        return ([d for d in sliced if d < arrays[0]], arrays, broadcast,
                [d for d in sliced if d > arrays[-1]])
    return [], arrays, broadcast, sliced


def _indexed_shape(shape, index):
    lead, _, broadcast, trail = _layout(shape, index)
    return tuple(shape[d] for d in lead) + broadcast + tuple(shape[d] for d in trail)


def _linear_positions(xp, shape, index):
    """The flat (C-order) offset, in an array of ``shape``, of each element of ``array[index]``
    (``index``: full slices and non-negative integer arrays)."""
    lead, arrays, broadcast, trail = _layout(shape, index)
    ndim = len(lead) + len(broadcast) + len(trail)
    strides = [math.prod(shape[d + 1:]) for d in range(len(shape))]
    offsets = 0
    for axis, d in enumerate(lead + [None] * len(broadcast) + trail):
        if d is not None:
            offsets = offsets + xp.arange(shape[d]).reshape(
                (1,) * axis + (shape[d],) + (1,) * (ndim - axis - 1)) * strides[d]
    for d in arrays:
        array = index[d]
        array = array.reshape((1,) * (len(lead) + len(broadcast) - array.ndim) + array.shape +
                              (1,) * len(trail))
        offsets = offsets + array * strides[d]
    return xp.broadcast_to(xp.asarray(offsets), _indexed_shape(shape, index))


def _reduce_at(xp, ufunc, target, index, values):
    """``ufunc.at(target, index, values)`` for a C-contiguous ``target``, through flat offsets:
    NumPy's fast path is a one-dimensional integer index."""
    offsets = _linear_positions(xp, target.shape, index)
    if offsets.size:
        values = xp.broadcast_to(xp.asarray(values, dtype=target.dtype), offsets.shape)
        ufunc.at(target.reshape(-1), offsets.reshape(-1), values.reshape(-1))


def _src_part(src, shape):
    """The leading ``shape`` block of ``src``: scatter reads only what the index reaches."""
    if tuple(src.shape) == tuple(shape):
        return src
    return src[tuple(slice(0, size) for size in shape)]


def _pad_to(grad, shape):
    """``grad`` zero-padded at the end of each dimension to ``shape`` (undoes ``_src_part``)."""
    if tuple(grad.shape) == tuple(shape):
        return grad
    return IndexPut.call(_zeros(grad, shape), tuple(slice(0, s) for s in grad.shape), grad,
                         False)


def _in_range(array, size, message, error=IndexError, negative=True):
    """The integer array ``array`` checked to lie in ``[-size, size)`` (``[0, size)`` unless
    ``negative``), negative entries counted from the end. Otherwise raises
    ``error(message.format(first element outside))``."""
    low, high = (int(array.min()), int(array.max())) if array.size else (0, -1)
    floor = -size if negative else 0
    if low < floor or high >= size:
        flat = array.reshape(-1)
        raise error(message.format(int(flat[int(((flat < floor) | (flat >= size)).argmax())])))
    return array % size if low < 0 else array


# ---------------------------------------------------------------------- ops: whole-tensor writes
class Clone(Op):
    @staticmethod
    def forward(ctx, xp, input, order):
        return input.copy(order=order)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, None


def _overwritten(ctx, grad_output):
    """The gradient of fully overwritten values: zeros, as PyTorch gives (not None)."""
    return _zeros(grad_output, grad_output.shape) if ctx.needs_input_grad[0] else None


class Copy(Op):
    """``self.copy_(src)``: ``src`` broadcast to ``self``'s shape and dtype; the overwritten
    values get no gradient."""

    @staticmethod
    def forward(ctx, xp, input, src):
        return xp.broadcast_to(src.astype(input.dtype, copy=False), input.shape)

    @staticmethod
    def backward(ctx, grad_output):
        return _overwritten(ctx, grad_output), grad_output


Copy._node_cls.__name__ = "CopyBackwards"  # PyTorch's (irregular) node name


class Fill(Op):
    @staticmethod
    def forward(ctx, xp, input, value):
        return xp.full(input.shape, value, dtype=input.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return _overwritten(ctx, grad_output), grad_output  # the engine sums it to the 0-d value


class Zero(Fill):
    pass


class MaskedFill(Op):
    @staticmethod
    def forward(ctx, xp, input, mask, value):
        ctx.save_for_backward(mask, xp.logical_not(mask) if ctx.needs_input_grad[2] else None)
        return xp.where(mask, xp.asarray(value).astype(input.dtype), input)

    @staticmethod
    def backward(ctx, grad_output):
        mask, unmasked = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (MaskedFill.call(grad_output, mask, 0) if needs[0] else None, None,
                MaskedFill.call(grad_output, unmasked, 0) if needs[2] else None)


# ---------------------------------------------------------------------- ops: tensor[index]
class Select(views.Index):
    """``tensor[i]``: a view (named for the last basic component, as PyTorch names it)."""


class Slice(views.Index):
    """``tensor[a:b:c]``: a view."""


class Unsqueeze(views.Index):
    """``tensor[None]``: a view."""


class Alias(views.Index):
    """``tensor[...]``: a view of the whole tensor."""


class Index(Op):
    """Advanced indexing by non-negative integer arrays (masks already converted): a copy."""

    @staticmethod
    def forward(ctx, xp, input, index):
        ctx.input_shape, ctx.index = input.shape, index
        return xp.asarray(input[index])

    @staticmethod
    def backward(ctx, grad_output):
        return IndexAccumulate.call(grad_output, ctx.input_shape, ctx.index), None


class IndexAccumulate(Op):
    """Index's gradient: ``grad`` summed into zeros of ``shape`` at ``index`` (as
    ``zeros.index_put_(index, grad, accumulate=True)``, without copying the zeros)."""

    @staticmethod
    def forward(ctx, xp, grad, shape, index):
        ctx.index = index
        result = xp.zeros(shape, dtype=grad.dtype)
        _reduce_at(xp, xp.add, result, index, grad)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        return Index.call(grad_output, ctx.index), None, None


class IndexPut(Op):
    @staticmethod
    def forward(ctx, xp, input, index, values, accumulate):
        ctx.index, ctx.accumulate = index, accumulate
        result = xp.array(input, order="C")
        if accumulate:
            _reduce_at(xp, xp.add, result, index, values)
        else:
            result[index] = values
        return result

    @staticmethod
    def backward(ctx, grad_output):
        needs = ctx.needs_input_grad
        grad_input = grad_values = None
        if needs[0]:
            grad_input = grad_output if ctx.accumulate else \
                IndexPut.call(grad_output, ctx.index, 0, False)
        if needs[2]:
            grad_values = Index.call(grad_output, ctx.index)
        return grad_input, None, grad_values, None


# ---------------------------------------------------------------------- ops: gather / scatter
class Gather(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index):
        ctx.input_shape, ctx.dim = input.shape, dim
        ctx.save_for_backward(index)
        positions = _positions(xp, xp.atleast_1d(index), dim)
        return xp.atleast_1d(input)[positions].reshape(index.shape)

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        zeros = _zeros(grad_output, ctx.input_shape)
        return ScatterAdd.call(zeros, ctx.dim, index, grad_output), None, None


class Scatter(Op):
    """``scatter`` of a tensor ``src`` or of a number."""

    @staticmethod
    def forward(ctx, xp, input, dim, index, src):
        ctx.dim = dim
        ctx.src_shape = getattr(src, "shape", None)
        ctx.save_for_backward(index)
        result = xp.array(input, order="C")
        index = xp.atleast_1d(index)
        if not isinstance(src, _SCALARS):
            src = _src_part(xp.atleast_1d(src), index.shape)
        xp.atleast_1d(result)[_positions(xp, index, dim)] = src
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_input = Scatter.call(grad_output, ctx.dim, index, 0) if needs[0] else None
        grad_src = None
        if needs[3]:
            grad_src = _pad_to(Gather.call(grad_output, ctx.dim, index), ctx.src_shape)
        return grad_input, None, None, grad_src


class ScatterAdd(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index, src):
        ctx.dim, ctx.src_shape = dim, src.shape
        ctx.save_for_backward(index)
        result = xp.array(input, order="C")
        index = xp.atleast_1d(index)
        _reduce_at(xp, xp.add, xp.atleast_1d(result), _positions(xp, index, dim),
                   _src_part(xp.atleast_1d(src), index.shape))
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        grad_src = None
        if ctx.needs_input_grad[3]:
            grad_src = _pad_to(Gather.call(grad_output, ctx.dim, index), ctx.src_shape)
        return grad_output, None, None, grad_src


class ScatterReduce(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index, src, reduce, include_self):
        ctx.dim, ctx.reduce, ctx.include_self = dim, reduce, include_self
        ctx.src_shape = src.shape
        result = xp.array(input, order="C")
        target, index1 = xp.atleast_1d(result), xp.atleast_1d(index)
        positions = _positions(xp, index1, dim)
        values = _src_part(xp.atleast_1d(src), index1.shape)
        if not include_self:
            target[positions] = _identity(reduce, input.dtype)
        _reduce_at(xp, getattr(xp, _UFUNCS[reduce]), target, positions, values)
        if reduce == "mean":
            counts = xp.full(target.shape, int(include_self), dtype=input.dtype)
            _reduce_at(xp, xp.add, counts, positions, 1)
            counts = xp.maximum(counts, 1)
            target = target / counts if input.dtype.kind in "fc" else target // counts
            result = target.reshape(input.shape)
            ctx.save_for_backward(index, counts.reshape(input.shape))
        elif reduce in ("amax", "amin") and any(ctx.needs_input_grad):
            ctx.save_for_backward(index, *_extremum_weights(xp, input, target, positions,
                                                            values, include_self))
        elif reduce == "prod" and any(ctx.needs_input_grad):
            zero = values == 0
            zeros_at = xp.zeros(target.shape, dtype=input.dtype)
            _reduce_at(xp, xp.add, zeros_at, positions, zero)
            single = zero & (zeros_at[positions] == 1)
            ctx.save_for_backward(index, input, src, result, zero, single,
                                  xp.logical_not(single))
        else:
            ctx.save_for_backward(index)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        needs = ctx.needs_input_grad
        saved = ctx.saved_tensors
        index, dim = saved[0], ctx.dim
        if ctx.reduce == "prod":
            grad_input, grad_src = _prod_backward(ctx, grad_output, *saved)
        elif ctx.reduce in ("amax", "amin"):
            _, self_hit, src_hit, counts = saved
            distributed = grad_output / counts
            grad_input = distributed * self_hit
            grad_src = Gather.call(distributed, dim, index) * src_hit if needs[3] else None
        else:
            scaled = grad_output / saved[1] if ctx.reduce == "mean" else grad_output
            grad_input = scaled
            if not ctx.include_self and needs[0]:
                grad_input = Scatter.call(scaled, dim, index, 0)
            grad_src = Gather.call(scaled, dim, index) if needs[3] else None
        if grad_src is not None:
            grad_src = _pad_to(grad_src, ctx.src_shape)
        return (grad_input if needs[0] else None), None, None, grad_src, None, None


class _ScatterWithReduce(ScatterReduce):
    """``scatter(..., reduce='add'|'multiply')``, which PyTorch cannot differentiate."""

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for aten::scatter is not implemented")


_ScatterWithReduce._node_cls.__name__ = "NotImplemented"  # PyTorch's node name


def _identity(reduce, dtype):
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype) if dtype.kind in "iu" else None
    if info is None:
        return reduce == "amin"
    return info.min if reduce == "amax" else info.max


def _extremum_weights(xp, input, target, positions, values, include_self):
    """amax/amin's gradient split: the weights of ``self`` and ``src`` elements equal to the
    result, and how many share each result (PyTorch divides the gradient evenly)."""
    self_hit = (xp.atleast_1d(input) == target).astype(target.dtype)
    src_hit = (values == target[positions]).astype(target.dtype)
    counts = self_hit.copy()
    _reduce_at(xp, xp.add, counts, positions, src_hit)
    if not include_self:
        self_hit[positions] = 0
    shape = input.shape
    return self_hit.reshape(shape), src_hit.reshape(values.shape), counts.reshape(shape)


def _prod_backward(ctx, grad_output, index, input, src, result, zero, single, not_single):
    """scatter_reduce 'prod' gradients, exact where an element is zero (PyTorch's formula)."""
    needs, dim, include_self = ctx.needs_input_grad, ctx.dim, ctx.include_self
    grad_input = grad_src = None
    if needs[0]:
        masked_self = MaskedFill.call(input, input == 0, 1)
        masked_result = ScatterReduce.call(masked_self, dim, index, src, "prod", include_self)
        grad_input = grad_output * masked_result / masked_self
        if not include_self:
            grad_input = Scatter.call(grad_input, dim, index, 0)
    if needs[3]:
        part = _src_part(src, index.shape)
        without_zero = ScatterReduce.call(input, dim, index, MaskedFill.call(part, single, 1),
                                          "prod", include_self)
        divided = Gather.call(grad_output * result, dim, index) / MaskedFill.call(part, zero, 1)
        grad_src = (MaskedFill.call(Gather.call(grad_output * without_zero, dim, index),
                                    not_single, 0) +
                    MaskedFill.call(divided, single, 0))
    return grad_input, grad_src


# ---------------------------------------------------------------------- ops: index_*
class IndexSelect(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index):
        ctx.input_shape, ctx.dim = input.shape, dim
        ctx.save_for_backward(index)
        result = xp.take(xp.atleast_1d(input), index.reshape(-1), axis=dim)
        return result.reshape(()) if input.ndim == 0 else result

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        zeros = _zeros(grad_output, ctx.input_shape)
        return IndexAdd.call(zeros, ctx.dim, index, grad_output, 1), None, None


class IndexAdd(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index, source, alpha):
        ctx.dim, ctx.alpha = dim, alpha
        ctx.save_for_backward(index)
        result = xp.array(input, order="C")
        values = source if alpha == 1 else source * alpha
        _reduce_at(xp, xp.add, xp.atleast_1d(result), _along(dim, index),
                   xp.atleast_1d(values))
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        grad_source = None
        if ctx.needs_input_grad[3]:
            grad_source = IndexSelect.call(grad_output, ctx.dim, index)
            if ctx.alpha != 1:
                grad_source = grad_source * ctx.alpha
        return grad_output, None, None, grad_source, None


class IndexCopy(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index, source):
        ctx.dim = dim
        ctx.save_for_backward(index)
        result = xp.array(input, order="C")
        xp.atleast_1d(result)[_along(dim, index)] = xp.atleast_1d(source)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (index,) = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (IndexFill.call(grad_output, ctx.dim, index, 0) if needs[0] else None, None, None,
                IndexSelect.call(grad_output, ctx.dim, index) if needs[3] else None)


class IndexFill(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, index, value):
        ctx.dim = dim
        ctx.save_for_backward(index, xp.unique(index) if ctx.needs_input_grad[3] else None)
        result = xp.array(input, order="C")
        xp.atleast_1d(result)[_along(dim, index)] = value
        return result

    @staticmethod
    def backward(ctx, grad_output):
        index, unique = ctx.saved_tensors
        needs = ctx.needs_input_grad
        # the value's gradient counts each filled slice once, however often the index names it
        return (IndexFill.call(grad_output, ctx.dim, index, 0) if needs[0] else None, None, None,
                IndexSelect.call(grad_output, ctx.dim, unique) if needs[3] else None)


# ---------------------------------------------------------------------- parsing tensor[index]
def _index_items(index):
    if isinstance(index, tuple):
        return index
    # PyTorch (like old NumPy) still reads a short list holding sequences/slices as a tuple
    if isinstance(index, list) and len(index) < 32 and any(
            item is None or item is Ellipsis or
            isinstance(item, (slice, Tensor, list, tuple, np.ndarray)) for item in index):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated; "
                      "use x[tuple(seq)] instead of x[seq].", UserWarning, stacklevel=4)
        return tuple(index)
    return (index,)


def _index_item(item):
    """One index component as None, Ellipsis, a slice, an int, a bool or an array."""
    if item is None or item is Ellipsis or isinstance(item, slice):
        return item
    if isinstance(item, (bool, np.bool_)):
        return bool(item)
    if isinstance(item, (int, np.integer)):
        return int(item)
    if isinstance(item, Tensor):
        array = item._data
    elif isinstance(item, (list, tuple, np.ndarray)):
        array = np.asarray(item)
        if array.size == 0 and array.dtype.kind == "f":
            array = array.astype(np.int64)  # [] indexes like an empty long tensor
    else:
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                         f"Variables are valid indices (got {type(item).__name__})")
    if array.ndim == 0 and array.dtype.kind in "biu":
        return bool(array) if array.dtype.kind == "b" else int(array)
    return array


def _consumed(item):
    """How many dimensions of the indexed tensor an index component uses."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, (int, slice)):
        return 1
    return item.ndim if item.dtype.kind == "b" or item.dtype == np.uint8 else 1


def _slice(item, size):
    start, stop, step = item.indices(size)
    if step < 0:
        raise ValueError("step must be greater than zero")
    return slice(start, stop, step)


def _parse_index(tensor, index):
    """Splits ``index`` into a basic index of ``tensor`` (a view, with its view op) and the
    index arrays that then index that view, as ``(dimension of the view, array)`` pairs."""
    items = [_index_item(item) for item in _index_items(index)]
    shape = tensor._data.shape
    specified = sum(_consumed(item) for item in items)
    if specified > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    basic, arrays, view_op = [], [], None
    dim = view_dim = 0
    expand = len(shape) - specified
    for item in items:
        if item is Ellipsis:
            basic += [slice(None)] * expand
            dim, view_dim, expand = dim + expand, view_dim + expand, 0
        elif item is None or isinstance(item, bool):
            if isinstance(item, bool):  # x[True] is x[None][[0]], x[False] is x[None][[]]
                arrays.append((view_dim, np.arange(int(item))))
            basic.append(None)
            view_dim += 1
            view_op = Unsqueeze
        elif isinstance(item, int):
            if not -shape[dim] <= item < shape[dim]:
                raise IndexError(f"index {item} is out of bounds for dimension {len(basic)} "
                                 f"with size {shape[dim]}")
            basic.append(item)
            dim += 1
            view_op = Select
        elif isinstance(item, slice):
            basic.append(_slice(item, shape[dim]))
            dim, view_dim, view_op = dim + 1, view_dim + 1, Slice
        else:
            count = _consumed(item)
            arrays.append((view_dim, item))
            basic += [slice(None)] * count
            dim, view_dim = dim + count, view_dim + count
    if view_op is None:
        return (None, arrays, None) if arrays else ((Ellipsis,), arrays, Alias)
    return tuple(basic) + (Ellipsis,), arrays, view_op  # Ellipsis: NumPy then returns 0-d views


def _advanced_index(target, arrays):
    """The NumPy index of ``target`` for ``(dim, array)`` index arrays: masks become integer
    arrays and negative indices wrap; raises PyTorch's IndexErrors."""
    xp = namespace(target._data)
    shape = target._data.shape
    index = [slice(None)] * len(shape)
    ordinal = last = 0
    for dim, array in arrays:
        array = _move(array, xp)
        if array.dtype == np.uint8:
            warnings.warn("indexing with dtype ember.uint8 is now deprecated, please use a dtype "
                          "ember.bool instead.", UserWarning, stacklevel=4)
            array = array.astype(np.bool_)
        if array.dtype == np.bool_:
            _check_mask(array, shape, dim)
            parts = xp.nonzero(array)
        elif array.dtype in _INDEX_DTYPES:
            parts = (array.astype(np.int64, copy=False),)
        else:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        for part in parts:
            index[dim] = _in_range(part, shape[dim], f"index {{}} is out of bounds for "
                                   f"dimension {ordinal} with size {shape[dim]}")
            dim, ordinal, last = dim + 1, ordinal + 1, dim + 1
    shapes = [item.shape for item in index if not isinstance(item, slice)]
    try:
        if len(shapes) > 1:
            broadcast_shapes(*shapes)
    except RuntimeError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         f"shapes {', '.join(str(list(s)) for s in shapes)}") from None
    return tuple(index[:last])


def _check_mask(mask, shape, dim):
    for j, size in enumerate(mask.shape):
        if size != shape[dim + j]:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not "
                             f"match the shape of the indexed tensor {list(shape)} at index "
                             f"{dim + j}")


def _without_leading_ones(value):
    shape = value._data.shape
    lead = 0
    while lead < len(shape) and shape[lead] == 1:
        lead += 1
    return views.reshape(value, shape[lead:]) if lead else value


def _put_values(target, index, values):
    """Checks ``values`` for ``target[index] = values`` (same dtype, broadcastable)."""
    if values._data.dtype != target._data.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{_scalar_type_name(target.dtype)} for the destination and "
                           f"{_scalar_type_name(values.dtype)} for the source.")
    shape = _indexed_shape(target._data.shape, index)
    stripped = _without_leading_ones(values)
    try:
        fits = broadcast_shapes(stripped._data.shape, shape) == shape
    except RuntimeError:
        fits = False
    if not fits:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot "
                           f"be broadcast to indexing result of shape {list(shape)}")
    return stripped


def _getitem(self, index):
    """``self[index]``: a view for basic indices, a copy when index tensors are involved."""
    basic, arrays, view_op = _parse_index(self, index)
    result = self if basic is None else view_op.apply(self, basic)
    if arrays:
        result = Index.apply(result, _advanced_index(result, arrays))
    return result


def _setitem(self, index, value):
    """``self[index] = value``, in place; autograd records the write like PyTorch does."""
    if not isinstance(value, (Tensor,) + _SCALARS):
        raise TypeError(f"can't assign a {type(value).__name__} to a {self.type()}")
    basic, arrays, view_op = _parse_index(self, index)
    target = self if basic is None else view_op.apply(self, basic)
    if arrays:
        index = _advanced_index(target, arrays)
        if isinstance(value, Tensor):
            value = _put_values(target, index, value)
        target._write(IndexPut.apply(target, index, value, False))
    elif not isinstance(value, Tensor):
        target._write(Fill.apply(target, value))
    elif value._data.shape == target._data.shape:
        copy_(target, value)
    else:
        copy_(target, views.expand(_without_leading_ones(value), target._data.shape))


# ---------------------------------------------------------------------- public functions
def clone(input, *, memory_format=preserve_format):
    """Returns a copy of ``input`` (same strides unless ``memory_format`` is
    ``ember.contiguous_format``); gradients flow back to ``input``."""
    return Clone.apply(input, "C" if memory_format is contiguous_format else "K")


def copy_(input, src, non_blocking=False):
    """Copies ``src`` (broadcast, cast) into ``input`` and returns ``input``."""
    src = as_tensor_like(src, input)
    if src.device != input.device:
        src = src.to(input.device)
    shape = broadcast_shapes(input._data.shape, src._data.shape)
    if shape != input._data.shape:
        raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")
    return input._write(Copy.apply(input, src))


def _fill_value(value, input):
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value._data.ndim} dimensions.")
        if value.device != input.device:
            value = value.to(input.device)
    return value


def fill(input, value):
    """Returns a tensor shaped like ``input`` filled with ``value`` (a number or 0-d tensor)."""
    return Fill.apply(input, _fill_value(value, input))


def fill_(input, value):
    """Fills ``input`` with ``value`` in place."""
    return input._write(fill(input, value))


def zero_(input):
    """Fills ``input`` with zeros in place."""
    return input._write(Zero.apply(input, 0))


def masked_fill(input, mask, value):
    """``input`` with ``value`` where the boolean ``mask`` (broadcast) is True."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_CPP_NAMES[mask._data.dtype.name]}")
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    broadcast_shapes(input._data.shape, mask._data.shape)
    return MaskedFill.apply(input, mask, value)


def _check_index_dtype(index, name):
    if index._data.dtype not in _INDEX_DTYPES:
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def _shape_1d(tensor):
    return tensor._data.shape or (1,)


def _check_dim_range(index, size, dim):
    _in_range(index._data, size, f"index {{}} is out of bounds for dimension {dim} with size "
              f"{size}", RuntimeError, negative=False)


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Gathers values along ``dim``: ``out[i][j] = input[index[i][j]][j]`` for ``dim=0``."""
    _check_index_dtype(index, "gather")
    dim = wrap_dim(dim, input._data.ndim)
    shape, index_shape = _shape_1d(input), _shape_1d(index)
    if len(index_shape) != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    d = next((d for d, size in enumerate(index_shape) if d != dim and size > shape[d]), None)
    if d is not None:
        raise RuntimeError(f"Size does not match at dimension {d} expected index "
                           f"{list(index.shape)} to be no larger than self {list(input.shape)} "
                           f"apart from dimension {dim}")
    _check_dim_range(index, shape[dim], dim)
    return _out(Gather.apply(input, dim, index), out)


def _check_scatter(input, dim, index, src):
    """Validates scatter's arguments (``src`` a tensor or None); returns the wrapped ``dim``."""
    _check_index_dtype(index, "scatter")
    dim = wrap_dim(dim, input._data.ndim)
    shape, index_shape = _shape_1d(input), _shape_1d(index)
    if len(index_shape) != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    too_large = any(d != dim and size > shape[d] for d, size in enumerate(index_shape))
    message = (f"Expected index {list(index.shape)} to be no larger than self "
               f"{list(input.shape)} apart from dimension {dim}")
    if src is not None:
        if src._data.dtype != input._data.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        src_shape = _shape_1d(src)
        if len(src_shape) != len(shape):
            raise RuntimeError("Index tensor must have the same number of dimensions as src "
                               "tensor")
        too_large = too_large or any(s > src_shape[d] for d, s in enumerate(index_shape))
        message += f" and to be no larger size than src {list(src.shape)}"
    if too_large:
        raise RuntimeError(message)
    _check_dim_range(index, shape[dim], dim)
    return dim


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """Writes ``src`` (a tensor, or the number ``value``) into ``input`` at ``index`` along
    ``dim``: ``out[index[i][j]][j] = src[i][j]`` for ``dim=0``. ``reduce`` ('add' or
    'multiply') combines instead of overwriting."""
    src = value if src is None else src
    is_tensor = isinstance(src, Tensor)
    dim = _check_scatter(input, dim, index, src if is_tensor else None)
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if not is_tensor:
            src = fill(index.to(input.dtype), src)
        reduction = "sum" if reduce == "add" else "prod"
        return _ScatterWithReduce.apply(input, dim, index, src, reduction, True)
    return Scatter.apply(input, dim, index, src if is_tensor else _scalar(src))


def _scalar(value):
    return value.item() if isinstance(value, (np.number, np.bool_)) else value


def scatter_add(input, dim, index, src):
    """Adds ``src`` into ``input`` at ``index`` along ``dim`` (repeated indices accumulate)."""
    dim = _check_scatter(input, dim, index, src)
    return ScatterAdd.apply(input, dim, index, src)


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """Reduces ``src`` into ``input`` at ``index`` along ``dim`` with ``reduce`` ('sum',
    'prod', 'mean', 'amax' or 'amin'); ``include_self`` counts ``input``'s own values."""
    if reduce not in _UFUNCS:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    dim = _check_scatter(input, dim, index, src)
    return ScatterReduce.apply(input, dim, index, src, reduce, include_self)


def _check_vector_index(index, name, dim, input):
    if index._data.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    return wrap_dim(dim, input._data.ndim)


def index_select(input, dim, index, *, out=None):
    """The entries of ``input`` at positions ``index`` (a vector) along ``dim``."""
    if index._data.dtype not in _INDEX_DTYPES:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    dim = _check_vector_index(index, "index_select", dim, input)
    if input._data.ndim == 0 and index._data.size != 1:
        raise RuntimeError("index_select(): Index to scalar can have only 1 value, got "
                           f"{index._data.size} value(s)")
    _in_range(index._data, _shape_1d(input)[dim], "index out of range in self", negative=False)
    return _out(IndexSelect.apply(input, dim, index), out)


def _check_source(name, input, dim, index, source):
    """index_add / index_copy: ``source`` is ``input`` with dimension ``dim`` of len(index)."""
    shape, source_shape = _shape_1d(input), _shape_1d(source)
    if len(source_shape) != len(shape) or any(
            a != b for d, (a, b) in enumerate(zip(shape, source_shape)) if d != dim):
        if name == "index_copy_":
            d = next((d for d, (a, b) in enumerate(zip(shape, source_shape))
                      if d != dim and a != b), dim)
            raise RuntimeError("index_copy_(): Source/destination tensor must have same slice "
                               f"shapes. Destination slice shape: {shape[d]} at dimension {d} "
                               f"and source slice shape: {source_shape[d]} at dimension {d}.")
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(input.shape)} "
                           f"source.shape = {list(source.shape)}")
    count = index._data.size
    if count != source_shape[dim]:
        if name == "index_copy_":
            raise IndexError(f"index_copy_(): Number of indices ({count}) should be equal to "
                             f"source.size(dim) ({source_shape[dim]})")
        raise RuntimeError(f"index_add_(): Number of indices ({count}) should be equal to "
                           f"source.size(dim): ({source_shape[dim]}), for dim: {dim}")


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """Adds ``alpha * source`` to ``input`` at positions ``index`` along ``dim``."""
    if index._data.dtype not in _INDEX_DTYPES:
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{_scalar_type_name(index.dtype)}")
    dim = _check_vector_index(index, "index_add_", dim, input)
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(f"index_add_(): self ({_scalar_type_name(input.dtype)}) and source "
                           f"({_scalar_type_name(source.dtype)}) must have the same scalar type")
    _check_source("index_add_", input, dim, index, source)
    _check_dim_range(index, _shape_1d(input)[dim], dim)
    return _out(IndexAdd.apply(input, dim, index, source, alpha), out)


def index_copy(input, dim, index, source):
    """Copies ``source`` into ``input`` at positions ``index`` along ``dim``."""
    if index._data.dtype != np.int64:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                           f"{_scalar_type_name(index.dtype)}")
    dim = _check_vector_index(index, "index_copy_", dim, input)
    if source._data.dtype != input._data.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but "
                           f"got (self) {_scalar_type_name(input.dtype)} and (source) "
                           f"{_scalar_type_name(source.dtype)}")
    _check_source("index_copy_", input, dim, index, source)
    size = _shape_1d(input)[dim]
    _in_range(index._data, size, f"index_copy_(): index {{}} is out of bounds for dimension "
              f"{dim} with size {size}", negative=False)
    return IndexCopy.apply(input, dim, index, source)


def index_fill(input, dim, index, value):
    """Fills the entries of ``input`` at positions ``index`` along ``dim`` with ``value``."""
    if index._data.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    dim = _check_vector_index(index, "index_fill_", dim, input)
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    size = _shape_1d(input)[dim]
    array = _in_range(index._data, size, f"index {{}} is out of bounds for dimension {dim} with "
                      f"size {size}")
    index = index if array is index._data else _make(array)
    return IndexFill.apply(input, dim, index, _scalar(value))


def index_put(input, indices, values, accumulate=False):
    """``input`` with ``values`` written at ``indices`` (a tuple of index tensors), as
    ``input[indices] = values`` does; ``accumulate`` adds them instead."""
    if not isinstance(values, Tensor):
        raise TypeError("index_put(): argument 'values' (position 2) must be Tensor, not "
                        f"{type(values).__name__}")
    arrays, dim = [], 0
    for position, item in enumerate(indices):
        if not isinstance(item, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 0, but got "
                            f"{type(item).__name__}")
        arrays.append((dim, item._data))
        dim += _consumed(item._data)
    if dim > input._data.ndim:
        raise IndexError(f"too many indices for tensor of dimension {input._data.ndim}")
    index = _advanced_index(input, arrays)
    return IndexPut.apply(input, index, _put_values(input, index, values), accumulate)


def index_put_(input, indices, values, accumulate=False):
    """In-place :func:`index_put`."""
    return input._write(index_put(input, indices, values, accumulate))


def _mask_positions(input, mask):
    """``input`` broadcast against ``mask`` (at least 1-d) and the positions where it is True."""
    shape = broadcast_shapes(input._data.shape, mask._data.shape) or (1,)
    if input._data.shape != shape:
        input = views.expand(input, shape)
    xp = namespace(input._data)
    return input, xp.nonzero(xp.broadcast_to(_move(mask._data, xp), shape))


def masked_select(input, mask, *, out=None):
    """The elements of ``input`` where the boolean ``mask`` (broadcast) is True, as a 1-d
    tensor."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    input, positions = _mask_positions(input, mask)
    return _out(Index.apply(input, positions), out)


def masked_scatter(input, mask, source):
    """``input`` with the elements of ``source``, in order, written where ``mask`` is True."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{_scalar_type_name(mask.dtype)}")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but got"
                           f"{_scalar_type_name(input.dtype)} and "
                           f"{_scalar_type_name(source.dtype)}")
    shape = broadcast_shapes(input._data.shape, mask._data.shape)
    expanded, positions = _mask_positions(input, mask)
    count = positions[0].size
    if source._data.size < count:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    values = Slice.apply(views.reshape(source, -1), (slice(0, count), Ellipsis))
    result = IndexPut.apply(expanded, positions, values, False)
    return result if result._data.shape == shape else views.reshape(result, shape)


def _check_flat_index(index, name):
    if index._data.dtype != np.int64:
        raise RuntimeError(f"{name}(): Expected a long tensor for index, but got "
                           f"{_scalar_type_name(index.dtype)}")


def _flat_index(index, size):
    """``index`` checked against and wrapped into a flattened tensor of ``size`` elements."""
    return _in_range(index._data, size, f"out of range: tried to access index {{}} on a tensor "
                     f"of {size} elements.")


def take(input, index):
    """The elements of ``input``, seen as 1-d, at ``index``; the result has ``index``'s
    shape."""
    _check_flat_index(index, "take")
    array = _flat_index(index, input._data.size)
    return Index.apply(views.reshape(input, -1), (array,))


def put(input, index, source, accumulate=False):
    """``input`` with ``source`` written at ``index`` of its flattened view (``accumulate``
    adds instead)."""
    _check_flat_index(index, "put_")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {_scalar_type_name(input.dtype)} and source.dtype = "
                           f"{_scalar_type_name(source.dtype)}")
    if source._data.size != index._data.size:
        raise IndexError("put_(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source._data.size}, "
                         f"index.numel() = {index._data.size}")
    array = _flat_index(index, input._data.size).reshape(-1)
    result = IndexPut.apply(views.reshape(input, -1), (array,), views.reshape(source, -1),
                            accumulate)
    return views.reshape(result, input._data.shape)


def take_along_dim(input, indices, dim=None, *, out=None):
    """Picks values of ``input`` at ``indices`` along ``dim`` (both broadcast apart from
    ``dim``); with ``dim=None``, from the flattened tensors."""
    if indices._data.dtype != np.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_scalar_type_name(indices.dtype)}")
    if dim is None:
        return _out(gather(views.view(input, -1), 0, views.view(indices, -1)), out)
    ndim = input._data.ndim
    if indices._data.ndim != ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {ndim} dimensions for input, and "
                           f"{indices._data.ndim} dimensions for indices")
    dim = wrap_dim(dim, ndim)
    if ndim:
        sizes = list(input._data.shape)
        sizes[dim] = indices._data.shape[dim]
        shape = broadcast_shapes(tuple(sizes), indices._data.shape)
        sizes = list(shape)
        sizes[dim] = input._data.shape[dim]
        indices = views.expand(indices, shape)
        input = views.expand(input, tuple(sizes))
    return _out(gather(input, dim, indices), out)


def nonzero(input, *, out=None, as_tuple=False):
    """The indices of the non-zero elements of ``input``: an ``(n, input.dim())`` tensor, or
    with ``as_tuple`` one 1-d tensor per dimension."""
    data = input._data
    xp = namespace(data)
    if as_tuple:
        return tuple(_make(a.astype(np.int64, copy=False))
                     for a in xp.nonzero(xp.atleast_1d(data)))
    return _out(_make(xp.argwhere(data).astype(np.int64, copy=False)), out)


def argwhere(input):
    """The indices of the non-zero elements of ``input``, one row per element."""
    return nonzero(input)


_TENSOR_METHODS = ["_getitem", "_setitem", "clone", "copy_", "fill_", "zero_", "masked_fill",
                   "gather", "scatter", "scatter_add", "scatter_reduce", "index_select",
                   "index_add", "index_copy", "index_fill", "index_put", "index_put_",
                   "masked_select", "masked_scatter", "take", "take_along_dim", "put",
                   "nonzero", "argwhere"]
_INPLACE_METHODS = ["masked_fill", "scatter", "scatter_add", "scatter_reduce", "index_add",
                    "index_copy", "index_fill", "masked_scatter", "put"]
