"""Loss modules: each holds its options (and class weights as buffers) and calls ``F.*``."""

import warnings

from ember.nn import functional as F
from ember.nn._functional.loss import legacy_get_string
from ember.nn.modules.distance import PairwiseDistance
from ember.nn.modules.module import Module

__all__ = ["L1Loss", "NLLLoss", "NLLLoss2d", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss",
           "MSELoss", "BCELoss", "BCEWithLogitsLoss", "HingeEmbeddingLoss",
           "MultiLabelMarginLoss", "SmoothL1Loss", "HuberLoss", "SoftMarginLoss",
           "CrossEntropyLoss", "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss",
           "MarginRankingLoss", "MultiMarginLoss", "TripletMarginLoss",
           "TripletMarginWithDistanceLoss", "CTCLoss"]


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = legacy_get_string(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    r"""The mean absolute error :math:`|x_n - y_n|` between each element of the input and the
    target.

    Args:
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``

    Shape:
        - Input: :math:`(*)`; Target: :math:`(*)`, same shape as the input.
        - Output: scalar, or :math:`(*)` for ``'none'``.

    Examples::
        >>> loss = nn.L1Loss()(ember.randn(3, 5, requires_grad=True), ember.randn(3, 5))
    """

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    r"""The negative log-likelihood loss :math:`-w_{y_n} x_{n, y_n}` of log-probabilities (e.g.
    from :class:`LogSoftmax`) and class indices.

    Args:
        weight: a rescaling weight per class, of size `C`. Default: ``None``
        size_average, reduce: deprecated (see :attr:`reduction`).
        ignore_index: a target value that contributes neither to the loss nor to the mean's
            denominator. Default: -100
        reduction: ``'none'`` | ``'mean'`` (over the total weight) | ``'sum'``.
            Default: ``'mean'``

    Shape:
        - Input: :math:`(N, C)`, :math:`(C)` or :math:`(N, C, d_1, ..., d_K)`.
        - Target: :math:`(N)`, :math:`()` or :math:`(N, d_1, ..., d_K)`, values in
          :math:`[0, C)`.
        - Output: scalar, or the target's shape for ``'none'``.

    Examples::
        >>> loss = nn.NLLLoss()(nn.LogSoftmax(dim=1)(ember.randn(3, 5)), ember.tensor([1, 0, 4]))
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class NLLLoss2d(NLLLoss):
    """Deprecated alias of :class:`NLLLoss`, which takes K-dimensional inputs."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        warnings.warn("`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a "
                      "drop-in replacement and see https://pytorch.org/docs/main/nn.html"
                      "#torch.nn.NLLLoss for more details.", FutureWarning, stacklevel=2)
        super().__init__(weight, size_average, ignore_index, reduce, reduction)


class PoissonNLLLoss(_Loss):
    r"""The negative log-likelihood of a Poisson-distributed target:
    :math:`e^x - y x` (``log_input``) or :math:`x - y \log(x + eps)`.

    Args:
        log_input: whether the input is the log of the rate. Default: ``True``
        full: add Stirling's approximation :math:`y \log y - y + 0.5 \log(2 \pi y)` for
            targets above 1. Default: ``False``
        size_average, reduce: deprecated (see :attr:`reduction`).
        eps: avoids :math:`\log(0)` when ``log_input`` is ``False``. Default: 1e-8
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``

    Examples::
        >>> loss = nn.PoissonNLLLoss()(ember.randn(5, 2), ember.randn(5, 2))
    """

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                  eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    r"""The negative log-likelihood of the target under Gaussians of mean the input and
    variance ``var``: :math:`0.5 (\log \max(var, eps) + (x - y)^2 / \max(var, eps))`.

    Args:
        full: include the constant :math:`0.5 \log(2 \pi)`. Default: ``False``
        eps: the lower clamp of the variance. Default: 1e-6
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``

    Shape:
        - Input: :math:`(N, *)` or :math:`(*)`; Target: same shape (or broadcastable).
        - Var: the input's shape, or it with one dimension of size 1 (or the last one
          missing), or a float.

    Examples::
        >>> loss = nn.GaussianNLLLoss()(ember.randn(5, 2), ember.randn(5, 2), ember.ones(5, 1))
    """

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(None, None, reduction)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)


class KLDivLoss(_Loss):
    r"""The Kullback-Leibler divergence :math:`y (\log y - x)` of log-probabilities from the
    target distribution.

    Args:
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'batchmean'`` | ``'sum'`` | ``'mean'``; ``'batchmean'``
            (the sum over the batch size) is the KL divergence. Default: ``'mean'``
        log_target: whether the target is given as log-probabilities. Default: ``False``

    Examples::
        >>> loss = nn.KLDivLoss(reduction="batchmean")(input.log_softmax(1), target.softmax(1))
    """

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MSELoss(_Loss):
    r"""The mean squared error :math:`(x_n - y_n)^2` between each element of the input and the
    target.

    Args:
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``

    Examples::
        >>> loss = nn.MSELoss()(ember.randn(3, 5, requires_grad=True), ember.randn(3, 5))
    """

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    r"""The binary cross entropy :math:`-w_n (y_n \log x_n + (1 - y_n) \log(1 - x_n))` of
    probabilities in :math:`[0, 1]`, each log clamped at -100.

    Args:
        weight: a rescaling weight broadcast to the target. Default: ``None``
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``

    Examples::
        >>> loss = nn.BCELoss()(ember.sigmoid(ember.randn(3)), ember.rand(3))
    """

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""A sigmoid and :class:`BCELoss` in one, computed stably from the logits.

    Args:
        weight: a rescaling weight broadcast to the input. Default: ``None``
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
        pos_weight: a weight of the positive examples, broadcast to the target (one per class
            on the last dimension, typically). Default: ``None``

    Examples::
        >>> loss = nn.BCEWithLogitsLoss(pos_weight=ember.ones(64))(ember.randn(10, 64),
        ...                                                         ember.rand(10, 64))
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    r"""The hinge embedding loss: :math:`x_n` where :math:`y_n = 1`,
    :math:`\max(0, margin - x_n)` where :math:`y_n = -1`.

    Args:
        margin: Default: 1
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, margin=self.margin,
                                      reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    r"""The multi-class multi-label hinge loss :math:`\sum_{j, i} \max(0, 1 - (x_{y_j} - x_i))
    / C`: target classes :math:`y_j` (the target's leading indices, up to the first -1)
    against the other classes :math:`i`.

    Args:
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``

    Shape:
        - Input: :math:`(C)` or :math:`(N, C)`; Target: the same shape, class indices padded
          with -1.
    """

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    r"""The smooth L1 loss: :math:`0.5 (x - y)^2 / beta` where :math:`|x - y| < beta`, else
    :math:`|x - y| - 0.5 beta`.

    Args:
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
        beta: where the loss turns from L2 to L1; non-negative. Default: 1.0
    """

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    r"""The Huber loss: :math:`0.5 (x - y)^2` where :math:`|x - y| < delta`, else
    :math:`delta (|x - y| - 0.5 delta)`.

    Args:
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
        delta: where the loss turns from L2 to L1; positive. Default: 1.0
    """

    def __init__(self, reduction="mean", delta=1.0):
        if not isinstance(delta, (float, int)):
            raise TypeError(f"delta must be a float or int, got: {type(delta)}")
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SoftMarginLoss(_Loss):
    r"""The two-class logistic loss :math:`\log(1 + \exp(-y x))` with targets 1 or -1.

    Args:
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    r"""The cross entropy between logits and class indices (:math:`-w_{y_n}
    \log \mathrm{softmax}(x_n)_{y_n}`) or class probabilities; log_softmax and the NLL in one
    fused op.

    Args:
        weight: a rescaling weight per class, of size `C`. Default: ``None``
        size_average, reduce: deprecated (see :attr:`reduction`).
        ignore_index: a class-index target value that is ignored. Default: -100
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
        label_smoothing: in :math:`[0, 1]`, the weight of the uniform distribution mixed into
            the targets. Default: 0.0

    Shape:
        - Input: :math:`(C)`, :math:`(N, C)` or :math:`(N, C, d_1, ..., d_K)`.
        - Target: class indices :math:`()`, :math:`(N)` or :math:`(N, d_1, ..., d_K)`, or
          class probabilities of the input's shape.

    Examples::
        >>> loss = nn.CrossEntropyLoss()(ember.randn(3, 5, requires_grad=True),
        ...                              ember.tensor([1, 0, 4]))
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight,
                               ignore_index=self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    r"""The multi-label one-versus-all loss: the mean over classes of
    :math:`-w_c (y_c \log \sigma(x_c) + (1 - y_c) \log \sigma(-x_c))`.

    Args:
        weight: a rescaling weight per class, of size `C`. Default: ``None``
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight,
                                             reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    r"""The cosine embedding loss: :math:`1 - \cos(x_1, x_2)` where the target is 1,
    :math:`\max(0, \cos(x_1, x_2) - margin)` where it is -1.

    Args:
        margin: in :math:`[-1, 1]`. Default: 0
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin,
                                       reduction=self.reduction)


class MarginRankingLoss(_Loss):
    r"""The ranking loss :math:`\max(0, -y (x_1 - x_2) + margin)` with targets 1 or -1.

    Args:
        margin: Default: 0
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin,
                                     reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    r"""The multi-class hinge loss :math:`\sum_{i \ne y} w_y \max(0, margin - x_y + x_i)^p / C`.

    Args:
        p: 1 or 2. Default: 1
        margin: Default: 1
        weight: a rescaling weight per class, of size `C`. Default: ``None``
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError("MultiMarginLoss: expected weight to be None or 1D tensor, got "
                             f"{weight.dim()}D instead")
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    r"""The triplet loss :math:`\max(0, d(a, p) - d(a, n) + margin)` with the ``p``-norm
    pairwise distance :math:`d`.

    Args:
        margin: positive. Default: 1
        p: the norm degree of the distance. Default: 2
        eps: added to the differences. Default: 1e-6
        swap: use the distance swap (Balntas et al.). Default: ``False``
        size_average, reduce: deprecated (see :attr:`reduction`).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError("TripletMarginLoss: expected margin to be greater than 0, got "
                             f"{margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                     eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    r"""The triplet loss :math:`\max(0, d(a, p) - d(a, n) + margin)` for a distance function
    :math:`d` (default: :class:`PairwiseDistance`).

    Args:
        distance_function: a non-negative function of two tensors. Default: ``None``
        margin: positive. Default: 1
        swap: use the distance swap (Balntas et al.). Default: ``False``
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``. Default: ``'mean'``
    """

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(size_average=None, reduce=None, reduction=reduction)
        if margin <= 0:
            raise ValueError("TripletMarginWithDistanceLoss: expected margin to be greater than "
                             f"0, got {margin} instead")
        self.distance_function = distance_function if distance_function is not None \
            else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function,
            margin=self.margin, swap=self.swap, reduction=self.reduction)


class CTCLoss(_Loss):
    r"""The Connectionist Temporal Classification loss: the negative log-likelihood of each
    target sequence, summed over its alignments to the input sequence.

    Args:
        blank: the blank label. Default: 0
        reduction: ``'none'`` | ``'mean'`` (each loss over its target length, then the batch
            mean) | ``'sum'``. Default: ``'mean'``
        zero_infinity: zero the infinite losses (targets too long for their input) and their
            gradients. Default: ``False``

    Shape:
        - Log_probs: :math:`(T, N, C)` or :math:`(T, C)`, e.g. from :func:`F.log_softmax`.
        - Targets: padded :math:`(N, S)` or concatenated :math:`(\sum_n S_n)`.
        - Input_lengths, Target_lengths: :math:`(N)` (tensors or tuples of ints) or :math:`()`.

    Examples::
        >>> loss = nn.CTCLoss()(log_probs, targets, input_lengths, target_lengths)
    """

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)
