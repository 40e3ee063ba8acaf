"""Embedding lookups: ``embedding`` (a row of the weight per index) and the bag reductions
behind ``F.embedding_bag``; their weight gradients add rows without per-element loops."""

import numpy as np

from ember._tensor import _scalar_type_name, _type_name
from ember.autograd.function import Op
from ember.autograd.grad_mode import state
from ember.autograd.graph import AccumulateGrad
from ember.backends import namespace

__all__ = ["embedding", "embedding_renorm_"]


def _accumulate_rows(xp, num_rows, indices, values):
    """A ``(num_rows, D)`` array whose row ``i`` sums the rows of ``values`` looked up at ``i``:
    first occurrences are assigned, only repeated indices go through ``add.at``."""
    result = xp.zeros((num_rows,) + values.shape[1:], values.dtype)
    if indices.size == 0:
        return result
    order = xp.argsort(indices)
    ordered = indices[order]
    first = xp.empty(ordered.shape, dtype=bool)
    first[0] = True
    xp.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    result[ordered[first]] = values[order[first]]
    repeated = order[~first]
    if repeated.size:
        width = result.shape[1]
        flat = (indices[repeated][:, None] * width + xp.arange(width)).reshape(-1)
        xp.add.at(result.reshape(-1), flat, values[repeated].reshape(-1))
    return result


def _lookup_scale(xp, indices, num_weights, padding_idx, scale_grad_by_freq, dtype):
    """Per lookup, the factor its gradient row gets: 0 for ``padding_idx``, ``1 / count`` with
    ``scale_grad_by_freq``; ``None`` when every factor is 1."""
    scale = None
    if scale_grad_by_freq:
        counts = xp.bincount(indices, minlength=num_weights)
        scale = (1.0 / counts[indices]).astype(dtype)
    if padding_idx >= 0:
        keep = indices != padding_idx
        scale = keep.astype(dtype) if scale is None else scale * keep
    return scale


class Embedding(Op):
    @staticmethod
    def forward(ctx, xp, weight, indices, padding_idx, scale_grad_by_freq, sparse):
        ctx.save_for_backward(indices)
        ctx.num_weights = weight.shape[0]
        ctx.options = padding_idx, scale_grad_by_freq, sparse
        return xp.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, grad_output):
        (indices,) = ctx.saved_tensors
        padding_idx, scale_grad_by_freq, sparse = ctx.options
        if sparse and not state.create_graph:
            _mark_sparse_rows(ctx, indices, padding_idx)
        grad_weight = EmbeddingDenseBackward.call(grad_output, indices, ctx.num_weights,
                                                  padding_idx, scale_grad_by_freq)
        return grad_weight, None, None, None, None


def _mark_sparse_rows(ctx, indices, padding_idx):
    """Tells the weight's accumulator which rows the gradient touches (``grad._sparse_indices``),
    ember's stand-in for PyTorch's sparse COO gradient."""
    edge = ctx._edges[0]
    if edge is None or type(edge[0]) is not AccumulateGrad:
        return
    xp = namespace(indices)
    rows = xp.unique(indices)
    if padding_idx >= 0:
        rows = rows[rows != padding_idx]
    pending = edge[0].sparse_rows
    edge[0].sparse_rows = rows if pending is None else xp.unique(xp.concatenate((pending, rows)))


class EmbeddingDenseBackward(Op):
    """The weight gradient of :class:`Embedding`: output-gradient rows summed per index."""

    @staticmethod
    def forward(ctx, xp, grad_output, indices, num_weights, padding_idx, scale_grad_by_freq):
        flat = indices.reshape(-1)
        rows = grad_output.reshape(flat.size, grad_output.shape[-1])
        scale = _lookup_scale(xp, flat, num_weights, padding_idx, scale_grad_by_freq,
                              grad_output.dtype)
        ctx.save_for_backward(indices, scale)
        if scale is not None:
            rows = rows * scale[:, None]
        return _accumulate_rows(xp, num_weights, flat, rows)

    @staticmethod
    def backward(ctx, grad):
        indices, scale = ctx.saved_tensors
        grad_grad_output = Embedding.call(grad, indices, -1, False, False)
        if scale is not None:
            grad_grad_output = grad_grad_output * scale.reshape(tuple(indices.shape) + (1,))
        return grad_grad_output, None, None, None, None


# ---------------------------------------------------------------------- bags
def _bag_layout(xp, offsets, num_lookups):
    """Per lookup, its bag and its position in the bag; per bag, its length."""
    lengths = offsets[1:] - offsets[:-1]
    bags = xp.searchsorted(offsets[1:], xp.arange(num_lookups), side="right")
    positions = xp.arange(num_lookups) - offsets[bags]
    return bags, positions, lengths


class EmbeddingBag(Op):
    """Sums, means or maxima (``mode``) of the weight rows of each bag of ``indices``; bag
    ``b`` is ``indices[offsets[b]:offsets[b + 1]]``, ``padding_idx`` lookups are left out."""

    @staticmethod
    def forward(ctx, xp, weight, indices, offsets, mode, per_sample_weights, padding_idx,
                scale_grad_by_freq):
        bags, positions, lengths = _bag_layout(xp, offsets, indices.size)
        keep = indices != padding_idx if padding_idx >= 0 else None
        rows = xp.take(weight, indices, axis=0)
        if per_sample_weights is not None:
            rows = rows * per_sample_weights[:, None]
        fill = -np.inf if mode == "max" else 0
        if keep is not None:
            rows = xp.where(keep[:, None], rows, fill)
        padded = _padded_bags(xp, rows, bags, positions, lengths, fill)
        ctx.num_weights, ctx.mode = weight.shape[0], mode
        if mode == "max":
            output, max_indices = _bag_max(xp, padded, indices, offsets)
            ctx.save_for_backward(max_indices)
            return output
        output = padded.sum(axis=1)
        scale = _lookup_scale(xp, indices, weight.shape[0], padding_idx, scale_grad_by_freq,
                              weight.dtype)
        if mode == "mean":
            counts = lengths if keep is None else xp.bincount(bags[keep], minlength=lengths.size)
            counts = xp.maximum(counts, 1).astype(weight.dtype)
            output /= counts[:, None]
            scale = 1 / counts[bags] if scale is None else scale / counts[bags]
        if per_sample_weights is not None:
            scale = per_sample_weights if scale is None else scale * per_sample_weights
        needs_weights = ctx.needs_input_grad[4]
        ctx.save_for_backward(indices, bags, scale, weight if needs_weights else None, keep)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        saved = ctx.saved_tensors
        if ctx.mode == "max":
            grad_weight = EmbeddingBagMaxBackward.call(grad_output, saved[0], ctx.num_weights)
            return grad_weight, None, None, None, None, None, None
        indices, bags, scale, weight, keep = saved
        grad_weight = grad_weights = None
        if ctx.needs_input_grad[0]:
            grad_weight = EmbeddingBagDenseBackward.call(grad_output, indices, bags, scale,
                                                         ctx.num_weights)
        if ctx.needs_input_grad[4]:
            grad_weights = EmbeddingBagPerSampleWeightsBackward.call(grad_output, weight,
                                                                     indices, bags, keep)
        return grad_weight, None, None, None, grad_weights, None, None


def _padded_bags(xp, rows, bags, positions, lengths, fill):
    """``(bags, longest bag, D)``: each bag's rows, ``fill`` after its end."""
    count, width = lengths.size, rows.shape[1]
    longest = int(lengths.max()) if count else 0
    if count and rows.shape[0] == count * longest and bool((lengths == longest).all()):
        return rows.reshape(count, longest, width)  # equal bags, e.g. from a 2-D input
    padded = xp.full((count, longest, width), fill, dtype=rows.dtype)
    padded[bags, positions] = rows
    return padded


def _bag_max(xp, padded, indices, offsets):
    """Per bag and feature, the maximum and the weight row it came from (-1 for empty bags);
    ties go to the first lookup, as in PyTorch."""
    count, longest, width = padded.shape
    if longest == 0:
        return xp.zeros((count, width), padded.dtype), xp.full((count, width), -1)
    best = padded.argmax(axis=1)
    output = xp.take_along_axis(padded, best[:, None], axis=1)[:, 0]
    empty = output == -np.inf
    output[empty] = 0
    lookups = xp.minimum(offsets[:-1, None] + best, indices.size - 1)  # empty bags: any
    return output, xp.where(empty, -1, indices[lookups])


class _EmbeddingBagGradient(Op):
    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("the derivative for '_embedding_bag_backward' is not "
                                  "implemented.")


class EmbeddingBagDenseBackward(_EmbeddingBagGradient):
    @staticmethod
    def forward(ctx, xp, grad_output, indices, bags, scale, num_weights):
        rows = xp.take(grad_output, bags, axis=0)
        if scale is not None:
            rows = rows * scale[:, None]
        return _accumulate_rows(xp, num_weights, indices, rows)


class EmbeddingBagMaxBackward(_EmbeddingBagGradient):
    @staticmethod
    def forward(ctx, xp, grad_output, max_indices, num_weights):
        width = grad_output.shape[1]
        result = xp.zeros((num_weights, width), grad_output.dtype)
        found = max_indices >= 0
        flat = (max_indices * width + xp.arange(width))[found]
        xp.add.at(result.reshape(-1), flat, grad_output[found])
        return result


class EmbeddingBagPerSampleWeightsBackward(_EmbeddingBagGradient):
    @staticmethod
    def forward(ctx, xp, grad_output, weight, indices, bags, keep):
        grad = (xp.take(grad_output, bags, axis=0) * xp.take(weight, indices, axis=0)).sum(1)
        return grad if keep is None else grad * keep


# ---------------------------------------------------------------------- public functions
def _check_indices(indices, function):
    if indices._data.dtype not in (np.int64, np.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"{_type_name(indices._data)} instead (while checking arguments for "
                           f"{function})")


def _check_range(indices, num_weights):
    data = indices._data
    if data.size and (int(data.min()) < 0 or int(data.max()) >= num_weights):
        raise IndexError("index out of range in self")


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` looked up by ``indices`` (shape ``indices.shape + (D,)``); the rows at
    ``padding_idx`` (-1: none) get no gradient, ``scale_grad_by_freq`` divides each row's
    gradient by its index's count. With ``sparse`` the weight's ``.grad`` is dense but carries
    ``grad._sparse_indices``, the rows it touches (PyTorch gives a sparse COO tensor)."""
    _check_indices(indices, "embedding")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_range(indices, weight.shape[0])
    return Embedding.apply(weight, indices, padding_idx, scale_grad_by_freq, sparse)


def embedding_renorm_(input, indices, max_norm, norm_type):
    """Rescales in place the rows of ``input`` looked up by ``indices`` whose
    ``norm_type``-norm exceeds ``max_norm`` to norm ``max_norm``."""
    input._check_inplace()
    data = input._data
    xp = namespace(data)
    rows = xp.unique(indices._data.reshape(-1))
    selected = data[rows]
    norms = xp.linalg.norm(selected, ord=norm_type, axis=1)
    over = norms > max_norm
    scale = (max_norm / (norms[over] + 1e-7)).astype(data.dtype)
    data[rows[over]] = selected[over] * scale[:, None]
    input._version_counter[0] += 1
    return input


def embedding_bag(weight, indices, offsets, mode, per_sample_weights, padding_idx,
                  scale_grad_by_freq):
    """The bag reductions of ``F.embedding_bag`` on checked, flattened arguments: ``offsets``
    holds every bag's start and, last, the end of the final bag."""
    _check_indices(indices, "embedding_bag")
    _check_indices(offsets, "embedding_bag")
    data = indices._data
    bad = (data < 0) | (data >= weight.shape[0])
    if bad.any():
        position = int(bad.argmax())
        raise RuntimeError(f"Index {position} of input takes value {int(data[position])} which "
                           f"is not in the valid range [0, {weight.shape[0]})")
    if per_sample_weights is not None and per_sample_weights.dtype != weight.dtype:
        raise RuntimeError(f"expected per_sample_weights to have the same dtype as weight "
                           f"({_scalar_type_name(weight._data.dtype)})")
    return EmbeddingBag.apply(weight, indices, offsets, mode, per_sample_weights, padding_idx,
                              scale_grad_by_freq)
