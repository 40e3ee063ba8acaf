"""Sorting and searching: sort, topk, kthvalue, unique, searchsorted, bincount, histc, isin."""

import math

import numpy as np

from ember import return_types
from ember._ops._checks import as_tensor_like, wrap_dim
from ember._ops.pointwise import _out
from ember._ops.shape import _check_has_dims
from ember._ops.views import reshape
from ember._tensor import Tensor, _make, _scalar_type_name
from ember.autograd.function import Op
from ember.backends import namespace

__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "unique", "unique_consecutive",
           "searchsorted", "bucketize", "bincount", "histc", "isin"]


def _argsort(xp, array, dim, descending):
    """Stable sorting indices along ``dim``; NaN counts as the largest value, like PyTorch."""
    if not descending:
        return xp.argsort(array, axis=dim, kind="stable")
    # Sorting the reversed array and reversing the order keeps equal elements in their original
    # order and puts NaN first.
    order = xp.argsort(xp.flip(array, axis=dim), axis=dim, kind="stable")
    return xp.flip(array.shape[dim] - 1 - order, axis=dim)


def _along(xp, indices, dim):
    """The advanced index that picks ``indices`` along ``dim`` (``take_along_axis``'s)."""
    index = []
    for axis, size in enumerate(indices.shape):
        shape = [1] * indices.ndim
        shape[axis] = size
        index.append(indices if axis == dim else xp.arange(size).reshape(shape))
    return tuple(index)


def _select(ctx, xp, input, indices, dim, keepdim=True):
    """``(values, indices)`` of ``input`` at ``indices`` along ``dim``, saved for backward."""
    ctx.save_for_backward(indices)
    ctx.dim, ctx.input_shape = dim, input.shape
    values = xp.take_along_axis(input, indices, axis=dim)
    if keepdim:
        return values, indices
    return values.squeeze(dim), indices.squeeze(dim)


class Sort(Op):
    """Sorts along ``dim``; the indices say where each value came from. Subclasses select
    some of the sorted values; they share the gradient, which goes back to those indices."""

    @staticmethod
    def forward(ctx, xp, input, dim, descending):
        return _select(ctx, xp, input, _argsort(xp, input, dim, descending), dim)

    @staticmethod
    def backward(ctx, grad_values, grad_indices):
        (indices,) = ctx.saved_tensors
        grad = ValueSelectingBackward.call(grad_values.reshape(indices.shape), indices, ctx.dim,
                                           ctx.input_shape)
        return (grad,) + (None,) * (len(ctx.needs_input_grad) - 1)


class Topk(Sort):
    @staticmethod
    def forward(ctx, xp, input, k, dim, largest):
        indices = _argsort(xp, input, dim, largest)[(slice(None),) * dim + (slice(0, k),)]
        return _select(ctx, xp, input, indices, dim)


class Kthvalue(Sort):
    @staticmethod
    def forward(ctx, xp, input, k, dim, keepdim):
        indices = _argsort(xp, input, dim, False)[(slice(None),) * dim + (slice(k - 1, k),)]
        return _select(ctx, xp, input, indices, dim, keepdim)


class ValueSelectingBackward(Op):
    """Zeros of ``shape`` with ``grad`` written at ``indices`` along ``dim``."""

    @staticmethod
    def forward(ctx, xp, grad, indices, dim, shape):
        ctx.save_for_backward(indices)
        ctx.dim = dim
        result = xp.zeros(shape, dtype=grad.dtype)
        result[_along(xp, indices, dim)] = grad
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (indices,) = ctx.saved_tensors
        return TakeAlongDim.call(grad_output, indices, ctx.dim), None, None, None


class TakeAlongDim(Op):
    @staticmethod
    def forward(ctx, xp, input, indices, dim):
        ctx.save_for_backward(indices)
        ctx.dim, ctx.input_shape = dim, input.shape
        return xp.take_along_axis(input, indices, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        (indices,) = ctx.saved_tensors
        grad = ValueSelectingBackward.call(grad_output, indices, ctx.dim, ctx.input_shape)
        return grad, None, None


# ---------------------------------------------------------------------- sorting
def _sorted_dim(input, dim):
    """``dim`` wrapped, and ``input`` as at least 1-D (a 0-D tensor sorts as one element)."""
    dim = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return reshape(input, (1,)), dim
    return input, dim


def _unsorted_shape(result, input):
    """Undoes :func:`_sorted_dim`'s 1-D view for a 0-D input."""
    if input._data.ndim:
        return result
    return type(result)(*(r.reshape(()) for r in result))


def _check_sortable(input):
    if input._data.dtype.kind == "c":
        raise RuntimeError("Sort does not support complex dtypes on CPU")


def _pair_out(result, out):
    if out is None:
        return result
    return type(result)(_out(result[0], out[0]), _out(result[1], out[1]))


def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    """Sorts ``input`` along ``dim``; returns ``(values, indices)``.

    Equal elements keep their order (the sort is always stable) and NaN sorts as the largest
    value.
    """
    _check_sortable(input)
    tensor, wrapped = _sorted_dim(input, dim)
    result = return_types.sort(*Sort.apply(tensor, wrapped, bool(descending)))
    return _pair_out(_unsorted_shape(result, input), out)


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim`` (see :func:`sort`)."""
    _check_sortable(input)
    tensor, wrapped = _sorted_dim(input, dim)
    indices = _argsort(namespace(tensor._data), tensor._data, wrapped, descending)
    return _make(indices.reshape(input._data.shape))


def msort(input, *, out=None):
    """Sorts ``input`` along its first dimension."""
    return _out(sort(input, 0).values, out)


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices, in order."""
    _check_sortable(input)
    tensor, wrapped = _sorted_dim(input, dim)
    if not 0 <= k <= tensor._data.shape[wrapped]:
        raise RuntimeError("selected index k out of range")
    if input._data.ndim == 0:
        k = 1  # a 0-D result holds one element, so PyTorch returns it even for k=0
    result = return_types.topk(*Topk.apply(tensor, int(k), wrapped, bool(largest)))
    return _pair_out(_unsorted_shape(result, input), out)


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """The ``k``-th smallest element along ``dim`` and its index."""
    _check_sortable(input)
    tensor, wrapped = _sorted_dim(input, dim)
    size = tensor._data.shape[wrapped]
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {wrapped} to have non-zero size.")
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {wrapped}")
    result = Kthvalue.apply(tensor, int(k), wrapped, bool(keepdim) or input._data.ndim == 0)
    return _pair_out(_unsorted_shape(return_types.kthvalue(*result), input), out)


# ---------------------------------------------------------------------- unique
def _groups(xp, rows, order):
    """Groups of equal rows of the 2-D ``rows`` taken in ``order``: the first row of each group
    (as positions in ``order``), each row's group number, and the group sizes.

    NaN equals nothing, so every NaN is a group of its own, like PyTorch.
    """
    ordered = rows[order]
    starts = xp.ones(len(order), dtype=bool)
    starts[1:] = xp.any(ordered[1:] != ordered[:-1], axis=1)
    first = xp.flatnonzero(starts)
    inverse = xp.empty(len(order), dtype=np.int64)
    inverse[order] = xp.cumsum(starts) - 1
    counts = xp.diff(xp.concatenate([first, xp.asarray([len(order)])]))
    return ordered[first], inverse, counts


def _unique(input, sorted_rows, return_inverse, return_counts, dim):
    data = input._data
    xp = namespace(data)
    if dim is None:
        rows = data.reshape(-1, 1)
    else:
        _check_has_dims(input, dim)
        dim = wrap_dim(dim, data.ndim)
        moved = xp.moveaxis(data, dim, 0)
        if moved.size == 0 and moved.shape[0]:
            raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so "
                               "unique cannot be applied")
        rows = moved.reshape(moved.shape[0], math.prod(moved.shape[1:]))
    order = _row_order(xp, rows) if sorted_rows else xp.arange(len(rows))
    values, inverse, counts = _groups(xp, rows, order)
    if dim is None:
        output, inverse = values.reshape(-1), inverse.reshape(data.shape)
    else:
        output = xp.moveaxis(values.reshape((len(values),) + moved.shape[1:]), 0, dim)
    results = [_make(xp.ascontiguousarray(output))]
    if return_inverse:
        results.append(_make(inverse))
    if return_counts:
        results.append(_make(counts.astype(np.int64)))
    return results[0] if len(results) == 1 else tuple(results)


def _row_order(xp, rows):
    """The stable order that sorts ``rows`` lexicographically."""
    if rows.shape[1] == 1:
        return xp.argsort(rows[:, 0], kind="stable")
    return xp.lexsort(rows.T[::-1])


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The unique elements of ``input`` (or unique slices along ``dim``), in ascending order;
    optionally where each element went (``inverse``) and how often each occurs (``counts``)."""
    return _unique(input, True, return_inverse, return_counts, dim)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapses each run of equal consecutive elements (or slices along ``dim``) into one."""
    return _unique(input, False, return_inverse, return_counts, dim)


# ---------------------------------------------------------------------- searching, counting
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """Indices at which ``input`` would be inserted into the innermost dimension of
    ``sorted_sequence`` to keep it sorted (after equal elements with ``right``/``side='right'``).
    """
    side = _side(right, side)
    boundaries = sorted_sequence._data
    if boundaries.ndim == 0:
        raise RuntimeError("searchsorted(): boundaries tensor should have positive dimension, "
                           "but got 0 dimension")
    values = as_tensor_like(input, sorted_sequence)
    if boundaries.ndim > 1:
        _check_batch(boundaries.shape, values, isinstance(input, Tensor))
    if sorter is not None:
        sorter = _sorter_arg(sorter, boundaries.shape)
    xp = namespace(boundaries)
    result = _search(xp, boundaries, values._data, side, sorter)
    return _out(_make(result.astype(np.int32 if out_int32 else np.int64)), out)


def _side(right, side):
    if side not in (None, "left", "right"):
        raise RuntimeError(f"searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side == "left" and right:
        raise RuntimeError("searchsorted(): side and right can't be set to opposites, got side "
                           "of left while right was True")
    return "right" if right or side == "right" else "left"


def _check_batch(boundaries_shape, values, is_tensor):
    shape = values._data.shape
    if not is_tensor or not shape:
        raise RuntimeError(f"searchsorted(): input value can be a scalar only when boundaries "
                           f"tensor dimension is 1, but we got boundaries tensor "
                           f"dim({len(boundaries_shape)}) and input value's dim({len(shape)}) "
                           f"numel({values._data.size})")
    if shape[:-1] != boundaries_shape[:-1]:
        raise RuntimeError(f"searchsorted(): boundaries tensor should be 1 dimension or the "
                           f"first N-1 dimensions of boundaries tensor and input value tensor "
                           f"must match, but we got boundaries tensor {list(boundaries_shape)} "
                           f"and input value tensor {list(shape)}")


def _sorter_arg(sorter, shape):
    if sorter._data.dtype != np.int64:
        raise RuntimeError(f"searchsorted(): sorter must be a tensor of long dtype but got "
                           f"dtype {_scalar_type_name(sorter.dtype)}")
    if sorter._data.shape != shape:
        raise RuntimeError(f"searchsorted(): boundary and sorter must have the same size, but "
                           f"got boundary tensor {list(shape)}and got sorter tensor "
                           f"{list(sorter._data.shape)}")
    return sorter._data


def _search(xp, boundaries, values, side, sorter):
    if boundaries.ndim == 1:
        return xp.asarray(xp.searchsorted(boundaries, values, side=side, sorter=sorter))
    rows = math.prod(boundaries.shape[:-1])
    sequences = boundaries.reshape(rows, boundaries.shape[-1])
    sorters = sorter.reshape(sequences.shape) if sorter is not None else [None] * rows
    result = xp.empty(values.shape, dtype=np.int64)
    flat_shape = (rows, values.shape[-1])
    flat_result, flat_values = result.reshape(flat_shape), values.reshape(flat_shape)
    for row, (sequence, row_sorter) in enumerate(zip(sequences, sorters)):
        flat_result[row] = xp.searchsorted(sequence, flat_values[row], side=side,
                                           sorter=row_sorter)
    return result


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The index of the bucket of 1-D ``boundaries`` each element of ``input`` falls into
    (``boundaries[i-1] < x <= boundaries[i]``, or ``<=``/``<`` with ``right``)."""
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got "
                           f"dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


def bincount(input, weights=None, minlength=0):
    """Counts the occurrences of each value in the 1-D non-negative integer ``input`` (or sums
    ``weights`` per value); the result has at least ``minlength`` bins."""
    data = input._data
    if data.dtype.kind not in "iu":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for "
                                  f"'{_scalar_type_name(input.dtype)}'")
    if data.ndim != 1 or (data.size and data.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is not None and (weights._data.ndim != 1 or weights._data.shape != data.shape):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    xp = namespace(data)
    # PyTorch counts (int64) when there are no weights, and also for an empty input
    if weights is None or not data.size:
        return _make(xp.bincount(data, minlength=minlength).astype(np.int64))
    dtype = np.float32 if weights._data.dtype == np.float32 else np.float64
    return _make(xp.bincount(data, weights._data, minlength).astype(dtype))


def histc(input, bins=100, min=0, max=0, *, out=None):
    """A histogram of ``input`` with ``bins`` equal-width bins over ``[min, max]`` (the data's
    range when both are equal); elements outside are ignored."""
    data = input._data
    if data.dtype.kind != "f":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for "
                                  f"'{_scalar_type_name(input.dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"histogram(): bins must be > 0, but got {bins} for dimension 0")
    low, high = _histogram_range(data, float(min), float(max))
    xp = namespace(data)
    low, high = data.dtype.type(low), data.dtype.type(high)
    flat = data.reshape(-1)
    inside = flat[(flat >= low) & (flat <= high)]
    # PyTorch's arithmetic, in the input's dtype, so values on bin edges land in the same bin
    position = ((inside - low) * data.dtype.type(bins) / (high - low)).astype(np.int64)
    counts = xp.bincount(xp.minimum(position, bins - 1), minlength=bins)
    return _out(_make(counts.astype(data.dtype)), out)


def _histogram_range(data, low, high):
    if low > high:
        raise RuntimeError("histc: max must be larger than min")
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
    if low == high:
        low, high = low - 1, high + 1
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(f"histc: range of [{low:g}, {high:g}] is not finite")
    return low, high


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each element of ``elements`` is in ``test_elements`` (either may be a scalar)."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(f"isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__})")
    like = elements if isinstance(elements, Tensor) else test_elements
    elements, test_elements = as_tensor_like(elements, like), as_tensor_like(test_elements, like)
    xp = namespace(elements._data)
    return _make(xp.asarray(xp.isin(elements._data, test_elements._data, invert=invert)))


_TENSOR_METHODS = ["sort", "argsort", "msort", "topk", "kthvalue", "unique",
                   "unique_consecutive", "bincount", "histc"]
