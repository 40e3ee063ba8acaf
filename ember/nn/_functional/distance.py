"""Distances and similarities between vectors, composed from norms (none runs every step)."""

import ember
from ember._tensor import _scalar_type_name

__all__ = ["cosine_similarity", "pairwise_distance", "pdist"]


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    r"""Returns :math:`\frac{x_1 \cdot x_2}{\max(\|x_1\|, \epsilon) \max(\|x_2\|, \epsilon)}`
    along ``dim``, after broadcasting ``x1`` and ``x2`` together.

    Each input is divided by its norm first (as PyTorch does), which keeps the result in
    ``[-1, 1]``; the clamp to ``eps`` does not enter the gradient.
    """
    dtype = ember.result_type(x1, x2)
    if not dtype.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{_scalar_type_name(dtype.numpy)}")
    x1, x2 = ember.broadcast_tensors(x1.to(dtype), x2.to(dtype))
    x1_norm = ember.linalg.vector_norm(x1, 2, dim, keepdim=True).clone()
    x2_norm = ember.linalg.vector_norm(x2, 2, dim, keepdim=True).clone()
    with ember.no_grad():
        x1_norm.clamp_min_(eps)
        x2_norm.clamp_min_(eps)
    return ((x1 / x1_norm) * (x2 / x2_norm)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    r"""Returns :math:`\|x_1 - x_2 + \epsilon\|_p` over the last dimension, with broadcasting."""
    last = max(x1.dim(), x2.dim()) - 1
    return ember.norm(x1 - x2 + eps, p, last, keepdim)


def pdist(input, p=2):
    r"""Returns the ``p``-norm distances between the rows of the 2-D ``input``, in the order of
    the upper triangle of the distance matrix (row-major, diagonal excluded)."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    rows = input.size(0)
    first, second = ember.triu_indices(rows, rows, 1, device=input.device)
    return ember.norm(input[first] - input[second], p, 1)
