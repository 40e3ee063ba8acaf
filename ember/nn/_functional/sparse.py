"""``F.embedding``, ``F.embedding_bag`` and ``F.one_hot``."""

import ember
from ember._ops import embedding as _ops

__all__ = ["embedding", "embedding_bag", "one_hot"]


def _padding_index(padding_idx, num_embeddings, name="Padding_idx"):
    """``padding_idx`` made non-negative; -1 stands for none."""
    if padding_idx is None:
        return -1
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError(f"{name} must be within num_embeddings")
    return padding_idx % num_embeddings


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    r"""Looks up the rows of ``weight`` at the indices in ``input``.

    Args:
        input: integer tensor of indices into the rows of ``weight``
        weight: the embedding matrix, of shape ``(num_embeddings, embedding_dim)``
        padding_idx: the row at this index gets no gradient
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are rescaled in place
            to norm ``max_norm`` first
        scale_grad_by_freq: divides each row's gradient by its index's count in ``input``
        sparse: PyTorch gives a sparse COO gradient; ember, which has no sparse tensors, gives
            a dense ``weight.grad`` carrying ``grad._sparse_indices`` (a 1-D int64 tensor of the
            rows it touches, ``padding_idx`` excluded), which ``optim.SparseAdam`` updates. The
            mark stays while every gradient accumulated into ``.grad`` is such a lookup.

    Shape:
        - Input: :math:`(*)`; Weight: :math:`(V, D)`; Output: :math:`(*, D)`.
    """
    padding_idx = _padding_index(padding_idx, weight.size(0))
    if max_norm is not None:
        with ember.no_grad():
            _ops.embedding_renorm_(weight, input, max_norm, norm_type)
    return _ops.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)


def _bag_arguments(input, offsets, per_sample_weights, include_last_offset):
    """``input`` (and ``per_sample_weights``) as 1-D, and offsets ending with the end of the
    last bag."""
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets)}")
        offsets = ember.arange(input.size(0) + 1, dtype=input.dtype,
                               device=input.device) * input.size(1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
        return input.reshape(-1), offsets, per_sample_weights
    if input.dim() != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.dim() != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    _ops._check_indices(offsets, "embedding_bag")
    if offsets.numel() == 0:
        offsets = ember.zeros(1, dtype=offsets.dtype, device=offsets.device)
        include_last_offset = True
    if int(offsets[0]) != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {int(offsets[0])}")
    if int(offsets[-1]) > input.numel():
        raise RuntimeError(f"offsets[-1] can not be greater than input's length "
                           f"{input.numel()} but got offsets[-1] of {int(offsets[-1])}")
    if include_last_offset:
        end = int(offsets[-1])
        input = input[:end]
        per_sample_weights = per_sample_weights[:end] if per_sample_weights is not None \
            else None
    else:
        end = ember.tensor([input.numel()], dtype=offsets.dtype, device=offsets.device)
        offsets = ember.cat([offsets, end])
    return input, offsets, per_sample_weights


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    r"""Sums, means or maxima (``mode``) of bags of embeddings, without building the
    intermediate embeddings.

    A 2-D ``input`` of shape ``(B, N)`` holds ``B`` bags of ``N`` indices; a 1-D ``input``
    holds bags one after the other, bag ``b`` starting at ``offsets[b]`` (with
    ``include_last_offset``, ``offsets`` also ends with the end of the last bag). Empty bags
    give zeros. ``per_sample_weights`` (``mode='sum'`` only) scales each looked-up row;
    ``padding_idx`` rows are left out of the reduction. ``sparse`` marks the gradient as in
    :func:`embedding`.

    Shape:
        - Output: :math:`(B, D)`.
    """
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         f"not None, then it must have the same shape as the input "
                         f"({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    input, offsets, per_sample_weights = _bag_arguments(input, offsets, per_sample_weights,
                                                        include_last_offset)
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        with ember.no_grad():
            _ops.embedding_renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. "
                                  f"per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{mode}'). Please open a feature request on GitHub.")
    padding_idx = _padding_index(padding_idx, weight.size(0), "padding_idx")
    return _ops.embedding_bag(weight, input, offsets, mode, per_sample_weights, padding_idx,
                              scale_grad_by_freq)


def one_hot(tensor, num_classes=-1):
    """Returns an int64 tensor of shape ``tensor.shape + (num_classes,)`` with a 1 at each
    index of ``tensor`` and 0 elsewhere; ``num_classes=-1`` takes the largest index plus one."""
    if tensor.dtype != ember.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return ember.zeros(*tensor.shape, num_classes, dtype=ember.int64, device=tensor.device)
    if int(tensor.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    largest = int(tensor.max())
    if num_classes == -1:
        num_classes = largest + 1
    elif largest >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = ember.arange(num_classes, device=tensor.device)
    return (tensor.unsqueeze(-1) == classes).long()
