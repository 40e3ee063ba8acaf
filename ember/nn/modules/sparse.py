"""``Embedding`` and ``EmbeddingBag``: lookup tables of learnable vectors."""

import ember
from ember.nn import functional as F
from ember.nn import init
from ember.nn._functional.sparse import _padding_index as _checked_padding_index
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = ["Embedding", "EmbeddingBag"]


def _padding_index(padding_idx, num_embeddings, name):
    return None if padding_idx is None else _checked_padding_index(padding_idx, num_embeddings,
                                                                   name)


def _weight_parameter(num_embeddings, embedding_dim, _weight, device, dtype, requires_grad=True):
    if _weight is None:
        return Parameter(ember.empty((num_embeddings, embedding_dim), device=device,
                                     dtype=dtype), requires_grad=requires_grad)
    if list(_weight.shape) != [num_embeddings, embedding_dim]:
        raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
    return Parameter(_weight, requires_grad=requires_grad)


class _Lookup(Module):
    def reset_parameters(self):
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self):
        if self.padding_idx is not None:
            with ember.no_grad():
                self.weight[self.padding_idx].fill_(0)


class Embedding(_Lookup):
    r"""A lookup table of ``num_embeddings`` vectors of size ``embedding_dim``.

    Args:
        num_embeddings: size of the dictionary of embeddings
        embedding_dim: the size of each embedding vector
        padding_idx: this row is initialised to zeros and gets no gradient
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are rescaled in place
        norm_type: the p of the p-norm for ``max_norm``. Default: ``2``
        scale_grad_by_freq: scales gradients by the inverse frequency of the indices in the
            mini-batch. Default: ``False``
        sparse: ``weight.grad`` carries ``_sparse_indices``, the rows it touches, for
            ``optim.SparseAdam`` (PyTorch gives a sparse tensor; see :func:`F.embedding`).

    Shape:
        - Input: :math:`(*)`, integer indices; Output: :math:`(*, H)`, ``H = embedding_dim``.

    Examples::
        >>> output = nn.Embedding(10, 3)(ember.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]))
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings, "Padding_idx")
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.weight = _weight_parameter(num_embeddings, embedding_dim, _weight, device, dtype,
                                        not _freeze)
        if _weight is None:
            self.reset_parameters()
        self.sparse = sparse

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """An ``Embedding`` whose weight is the 2-D ``embeddings`` (frozen by default)."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


class EmbeddingBag(_Lookup):
    r"""Sums, means or maxima of bags of embeddings, without building the embeddings.

    Args:
        num_embeddings: size of the dictionary of embeddings
        embedding_dim: the size of each embedding vector
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are rescaled in place
        norm_type: the p of the p-norm for ``max_norm``. Default: ``2``
        scale_grad_by_freq: scales gradients by the inverse frequency of the indices in the
            mini-batch (not with ``mode='max'``). Default: ``False``
        mode: ``'sum'``, ``'mean'`` or ``'max'``: how each bag is reduced. Default: ``'mean'``
        sparse: marks the gradient as in :class:`Embedding` (not with ``mode='max'``)
        include_last_offset: ``offsets`` ends with the end of the last bag (CSR format)
        padding_idx: this row is initialised to zeros, left out of the bags, and gets no
            gradient

    Shape:
        - Input: :math:`(B, N)` bags of equal size, or :math:`(N)` with ``offsets``;
          Output: :math:`(B, H)`, ``H = embedding_dim``.
    """

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.padding_idx = _padding_index(padding_idx, num_embeddings, "padding_idx")
        self.weight = _weight_parameter(num_embeddings, embedding_dim, _weight, device, dtype)
        if _weight is None:
            self.reset_parameters()
        self.mode, self.sparse = mode, sparse
        self.include_last_offset = include_last_offset

    def forward(self, input, offsets=None, per_sample_weights=None):
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                               self.scale_grad_by_freq, self.mode, self.sparse,
                               per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        """An ``EmbeddingBag`` whose weight is the 2-D ``embeddings`` (frozen by default)."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings,
                  max_norm=max_norm, norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq,
                  mode=mode, sparse=sparse, include_last_offset=include_last_offset,
                  padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
