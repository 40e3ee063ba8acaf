"""``PairwiseDistance`` and ``CosineSimilarity``."""

from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["PairwiseDistance", "CosineSimilarity"]


class PairwiseDistance(Module):
    r"""The ``p``-norm distance :math:`\|x_1 - x_2 + \epsilon\|_p` over the last dimension.

    Args:
        p: the norm degree (may be negative). Default: 2
        eps: small value added to the difference to avoid division by zero. Default: 1e-6
        keepdim: whether to keep the last dimension. Default: ``False``

    Shape:
        - Input1: :math:`(N, D)` or :math:`(D)`; Input2: broadcastable to it;
          Output: :math:`(N)` or :math:`()` (with ``keepdim``, :math:`(N, 1)` or :math:`(1)`).
    """

    def __init__(self, p=2.0, eps=1e-6, keepdim=False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class CosineSimilarity(Module):
    r"""The cosine similarity of ``x1`` and ``x2`` along ``dim``, each norm clamped to ``eps``.

    Args:
        dim: the dimension where the similarity is computed. Default: 1
        eps: small value to avoid division by zero. Default: 1e-8

    Shape:
        - Input1: :math:`(*_1, D, *_2)`; Input2: broadcastable to it; Output: :math:`(*_1, *_2)`.
    """

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
