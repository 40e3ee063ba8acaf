"""Losses fused into one op each (one forward and one backward kernel, the reduction included):
cross entropy (log-softmax and NLL together), NLL, MSE, binary cross entropy on probabilities
and on logits, and CTC, whose forward-backward recursions run in log space over the batch and
the label positions at once, looping over time steps only.

The functions here take checked arguments (``ember.nn.functional`` validates them with
PyTorch's messages) and ``reduction`` as ``'none'``, ``'mean'`` or ``'sum'``. Classes are on
dim 1, or dim 0 for an unbatched input of shape ``(C,)``.
"""

import numpy as np

from ember._ops.activation import LogSigmoid, _sigmoid
from ember._ops.reduction_more import LogSoftmax
from ember.autograd.function import Op
from ember.autograd.grad_mode import state

__all__ = []

# PyTorch's floor of x * (1 - x) in binary_cross_entropy's gradient (a float 1e-12)
_BCE_EPSILON = float(np.float32(1e-12))


def _reduce(xp, loss, reduction, total=None):
    """``loss`` reduced; ``'mean'`` divides the sum by ``total`` (default: its size)."""
    if reduction == "none":
        return loss
    result = xp.sum(loss)
    if reduction == "sum":
        return result
    return result / (loss.size if total is None else total)


def _scaled(grad_output, reduction, count):
    """The gradient reaching each loss element: ``grad_output / count`` for ``'mean'``."""
    return grad_output / count if reduction == "mean" else grad_output


def _class_shape(weight, ndim, dim):
    """``weight`` (one value per class) shaped to broadcast along the class dim."""
    shape = [1] * ndim
    shape[dim] = -1
    return weight.reshape(shape)


def _class_index(xp, target, dim):
    """The index that picks, in an input with the classes on ``dim``, each target's class."""
    if dim == 0:
        return (target,)
    positions = [xp.arange(size).reshape([-1 if i == axis else 1 for i in range(target.ndim)])
                 for axis, size in enumerate(target.shape)]
    return (positions[0], target, *positions[1:])


class ClassGather(Op):
    """``input[n, target[n, ...], ...]``: the value of each target's class."""

    @staticmethod
    def forward(ctx, xp, input, target, dim):
        ctx.classes, ctx.dim = input.shape[dim], dim
        ctx.save_for_backward(target)
        return input[_class_index(xp, target, dim)]

    @staticmethod
    def backward(ctx, grad_output):
        (target,) = ctx.saved_tensors
        return ClassScatter.call(grad_output, target, ctx.classes, ctx.dim), None, None


class ClassScatter(Op):
    """Zeros with the classes on ``dim``, ``values`` at each target's class (the gradient of
    :class:`ClassGather`; one assignment, not a product with a one-hot mask)."""

    @staticmethod
    def forward(ctx, xp, values, target, classes, dim):
        ctx.dim = dim
        ctx.save_for_backward(target)
        shape = target.shape[:dim] + (classes,) + target.shape[dim:]
        result = xp.zeros(shape, dtype=values.dtype)
        result[_class_index(xp, target, dim)] = values
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (target,) = ctx.saved_tensors
        return ClassGather.call(grad_output, target, ctx.dim), None, None, None


def _target_weights(xp, input, target, weight, ignore_index, reduction):
    """The class-index targets with ignored entries set to 0, each target's weight (0 where
    ignored), and the per-target gradient coefficient: the weight, over the total weight for
    ``'mean'`` (kept 0 for ignored targets even when the total is 0, as PyTorch)."""
    ignored = target == ignore_index
    safe = xp.where(ignored, 0, target)
    if weight is None:
        sample_weight = (~ignored).astype(input.dtype)
    else:
        sample_weight = xp.where(ignored, 0, weight[safe])
    total = xp.sum(sample_weight)
    coefficient = sample_weight
    if reduction == "mean":
        coefficient = xp.where(ignored, 0, sample_weight / total)
    return safe, sample_weight, total, ignored, coefficient


# ---------------------------------------------------------------------- NLL and cross entropy
class NllLoss(Op):
    """``-weight[target] * input[target]`` over the classes, ``ignore_index`` left out; the
    mean divides by the total weight of the targets."""

    @staticmethod
    def forward(ctx, xp, input, target, weight, reduction, ignore_index):
        dim = 0 if input.ndim == 1 else 1
        safe, sample_weight, total, _, coefficient = _target_weights(
            xp, input, target, weight, ignore_index, reduction)
        loss = -input[_class_index(xp, safe, dim)] * sample_weight
        ctx.dim, ctx.classes = dim, input.shape[dim]
        ctx.save_for_backward(safe, coefficient)
        return _reduce(xp, loss, reduction, total)

    @staticmethod
    def backward(ctx, grad_output):
        safe, coefficient = ctx.saved_tensors
        grad_input = ClassScatter.call(coefficient * -grad_output, safe, ctx.classes, ctx.dim)
        return grad_input, None, None, None, None


class NllLoss2d(NllLoss):
    """:class:`NllLoss` of a K-dimensional input ``(N, C, d1, ..., dK)``."""

    node_name = "NllLoss2DBackward0"


def _smoothing_loss(xp, log_probs, weight, dim):
    """``-sum_c weight[c] * log_probs[c]`` over the class dim (label smoothing's part)."""
    if weight is not None:
        log_probs = log_probs * _class_shape(weight, log_probs.ndim, dim)
    return -xp.sum(log_probs, axis=dim)


def _index_targets(ctx, xp, input, log_probs, target, weight, reduction, ignore_index,
                   smoothing, dim):
    """The loss of class-index targets; saves the per-target coefficients of the one-hot
    part (``hot``) and of the uniform part (``uniform``) of the target distribution."""
    safe, sample_weight, total, ignored, coefficient = _target_weights(
        xp, input, target, weight, ignore_index, reduction)
    loss = log_probs[_class_index(xp, safe, dim)] * sample_weight * (smoothing - 1)
    uniform = None
    if smoothing:
        classes = input.shape[dim]
        loss = loss + xp.where(ignored, 0, _smoothing_loss(xp, log_probs, weight, dim)) \
            * (smoothing / classes)
        share = smoothing / classes / (total if reduction == "mean" else 1)
        uniform = xp.where(ignored, 0, share).astype(input.dtype, copy=False)
    ctx.save_for_backward(input, log_probs, safe, weight, coefficient * (1 - smoothing),
                          uniform)
    return _reduce(xp, loss, reduction, total)


def _probability_distribution(xp, target, weight, smoothing, dim):
    """The target distribution with label smoothing, times the class weights."""
    if smoothing:
        target = target * (1 - smoothing) + smoothing / target.shape[dim]
    return target if weight is None else target * _class_shape(weight, target.ndim, dim)


class CrossEntropy(Op):
    """``log_softmax`` and the negative log-likelihood of class indices (with ``weight``,
    ``ignore_index`` and ``label_smoothing``) or of class probabilities, in one op; the
    backward is ``(softmax - target distribution) * grad_output``, weighted."""

    node_name = "NllLossBackward0"  # PyTorch's cross_entropy ends in nll_loss

    @staticmethod
    def forward(ctx, xp, input, target, weight, reduction, ignore_index, smoothing):
        dim = 0 if input.ndim == 1 else 1
        log_probs = LogSoftmax.call(input, dim)
        probabilities = target.dtype.kind == "f"
        ctx.dim, ctx.reduction, ctx.smoothing = dim, reduction, smoothing
        ctx.probabilities = probabilities
        if not probabilities:
            return _index_targets(ctx, xp, input, log_probs, target, weight, reduction,
                                  ignore_index, smoothing, dim)
        distribution = _probability_distribution(xp, target, weight, smoothing, dim)
        loss = -xp.sum(log_probs * distribution, axis=dim)
        ctx.count = loss.size
        ctx.save_for_backward(input, log_probs, target, weight)
        return _reduce(xp, loss, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, log_probs, *saved = ctx.saved_tensors
        xp, dim = ctx.xp, ctx.dim
        if state.create_graph:  # differentiate through the softmax, not a saved constant
            log_probs = LogSoftmax.call(input, dim)
        if ctx.probabilities:
            return _probability_backward(ctx, xp, log_probs, grad_output, *saved)
        safe, weight, hot, uniform = saved
        classes = input.shape[dim]
        hot = hot * grad_output
        mass = xp.expand_dims(hot, dim)  # of the target distribution, per sample
        if uniform is not None:
            uniform = xp.expand_dims(uniform * grad_output, dim)
            mass = mass + uniform * (classes if weight is None else xp.sum(weight))
        grad_input = xp.exp(log_probs) * mass - ClassScatter.call(hot, safe, classes, dim)
        if uniform is not None:
            class_weight = 1 if weight is None else _class_shape(weight, input.ndim, dim)
            grad_input = grad_input - uniform * class_weight
        return grad_input, None, None, None, None, None


class CrossEntropy2d(CrossEntropy):
    """:class:`CrossEntropy` of a K-dimensional input ``(N, C, d1, ..., dK)``."""

    node_name = "NllLoss2DBackward0"


def _probability_backward(ctx, xp, log_probs, grad_output, target, weight):
    needs = ctx.needs_input_grad
    grad = _scaled(grad_output, ctx.reduction, ctx.count)
    if ctx.reduction == "none":
        grad = xp.expand_dims(grad, ctx.dim)
    grad_input = grad_target = None
    if needs[0]:
        distribution = _probability_distribution(xp, target, weight, ctx.smoothing, ctx.dim)
        total = xp.sum(distribution, axis=ctx.dim, keepdims=True)
        grad_input = (xp.exp(log_probs) * total - distribution) * grad
    if needs[1]:
        grad_target = -log_probs * (grad * (1 - ctx.smoothing))
        if weight is not None:
            grad_target = grad_target * _class_shape(weight, log_probs.ndim, ctx.dim)
    return grad_input, grad_target, None, None, None, None


def nll_loss(input, target, weight, reduction, ignore_index):
    """The negative log-likelihood loss of log-probabilities ``input`` (checked arguments)."""
    op = NllLoss if input.dim() <= 2 else NllLoss2d
    return op.apply(input, target, weight, reduction, ignore_index)


def cross_entropy(input, target, weight, reduction, ignore_index, label_smoothing):
    """The cross entropy of logits ``input`` and class indices or probabilities ``target``."""
    op = CrossEntropy if input.dim() <= 2 else CrossEntropy2d
    return op.apply(input, target, weight, reduction, ignore_index, label_smoothing)


# ---------------------------------------------------------------------- regression
class MseLoss(Op):
    """``(input - target) ** 2``, with broadcasting."""

    @staticmethod
    def forward(ctx, xp, input, target, reduction):
        diff = input - target
        ctx.reduction, ctx.count = reduction, diff.size
        ctx.save_for_backward(input, target)
        return _reduce(xp, diff * diff, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, target = ctx.saved_tensors
        grad = (input - target) * (_scaled(grad_output, ctx.reduction, ctx.count) * 2)
        needs = ctx.needs_input_grad
        return grad if needs[0] else None, -grad if needs[1] else None, None


def mse_loss(input, target, reduction):
    """The mean squared error of ``input`` and ``target`` (broadcast together)."""
    return MseLoss.apply(input, target, reduction)


# ---------------------------------------------------------------------- binary cross entropy
class BinaryCrossEntropy(Op):
    """``-weight * (target * log(input) + (1 - target) * log(1 - input))``, each log clamped
    at -100 as in PyTorch, so that ``input`` 0 or 1 gives a finite loss."""

    @staticmethod
    def forward(ctx, xp, input, target, weight, reduction):
        log_input = xp.maximum(xp.log(input), -100)
        log_complement = xp.maximum(xp.log1p(-input), -100)
        loss = (target - 1) * log_complement - target * log_input
        if weight is not None:
            loss = loss * weight
        ctx.reduction, ctx.count = reduction, loss.size
        ctx.save_for_backward(input, target, weight)
        return _reduce(xp, loss, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, target, weight = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        grad = _scaled(grad_output, ctx.reduction, ctx.count)
        if weight is not None:
            grad = grad * weight
        grad_input = grad_target = None
        if needs[0]:
            grad_input = grad * (input - target) / xp.clip((1 - input) * input, _BCE_EPSILON,
                                                           None)
        if needs[1]:
            grad_target = grad * xp.log((1 - input) / input)
        return grad_input, grad_target, None, None


class BinaryCrossEntropyWithLogits(Op):
    """``weight * ((1 - target) * input - (1 + (pos_weight - 1) * target) *
    log_sigmoid(input))``: binary cross entropy of ``sigmoid(input)``, computed stably."""

    @staticmethod
    def forward(ctx, xp, input, target, weight, pos_weight, reduction):
        log_sigmoid = LogSigmoid.call(input)
        if pos_weight is not None:
            log_sigmoid = log_sigmoid * ((pos_weight - 1) * target + 1)
        loss = (1 - target) * input - log_sigmoid
        if weight is not None:
            loss = loss * weight
        ctx.reduction, ctx.count = reduction, loss.size
        ctx.save_for_backward(input, target, weight, pos_weight)
        return _reduce(xp, loss, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, target, weight, pos_weight = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        grad = _scaled(grad_output, ctx.reduction, ctx.count)
        if weight is not None:
            grad = grad * weight
        grad_input = grad_target = None
        if needs[0]:
            if pos_weight is None:
                grad_input = (_sigmoid(xp, input) - target) * grad
            else:
                positive = pos_weight * target
                grad_input = ((positive + 1 - target) * _sigmoid(xp, input) - positive) * grad
        if needs[1]:
            grad_target = -input if pos_weight is None else \
                -input - (pos_weight - 1) * LogSigmoid.call(input)
            grad_target = grad_target * grad
        return grad_input, grad_target, None, None, None


def binary_cross_entropy(input, target, weight, reduction):
    """Binary cross entropy of probabilities ``input`` (checked to be in [0, 1])."""
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction):
    """Binary cross entropy of ``sigmoid(input)``, computed from the logits."""
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


# ---------------------------------------------------------------------- CTC
def _logsumexp3(xp, first, second, third):
    """Element-wise ``log(exp(first) + exp(second) + exp(third))``; -inf when all are."""
    top = xp.maximum(xp.maximum(first, second), third)
    top = xp.where(top == -xp.inf, 0, top)  # -inf - -inf would be NaN
    return xp.log(xp.exp(first - top) + xp.exp(second - top) + xp.exp(third - top)) + top


def _ctc_labels(xp, targets, target_lengths, blank):
    """The extended label sequences ``(N, 2S+1)`` (a blank around every target, blanks past
    each target's end) and where a path may skip the previous position (from ``s - 2``)."""
    batch, length = targets.shape[0], 2 * targets.shape[1] + 1
    labels = xp.full((batch, length), blank, dtype=targets.dtype)
    labels[:, 1::2] = targets
    labels = xp.where(xp.arange(length) < 2 * target_lengths[:, None] + 1, labels, blank)
    skip = xp.zeros((batch, length), dtype=bool)
    skip[:, 2:] = labels[:, 2:] != labels[:, :-2]
    return labels, skip


def _ctc_alpha(xp, emissions, skip, target_lengths):
    """The forward variables: log-probability of the label prefixes ending at each step."""
    steps, batch, length = emissions.shape
    alpha = xp.full(emissions.shape, -xp.inf, dtype=emissions.dtype)
    alpha[0, :, 0] = emissions[0, :, 0]
    if length > 1:
        alpha[0, :, 1] = xp.where(target_lengths > 0, emissions[0, :, 1], -xp.inf)
    shifted = xp.full((batch, length + 2), -xp.inf, dtype=emissions.dtype)
    for t in range(1, steps):
        shifted[:, 2:] = alpha[t - 1]
        alpha[t] = _logsumexp3(xp, alpha[t - 1], shifted[:, 1:-1],
                               xp.where(skip, shifted[:, :-2], -xp.inf)) + emissions[t]
    return alpha


def _ctc_beta(xp, emissions, skip, input_lengths, target_lengths):
    """The backward variables: log-probability of the label suffixes from each step on
    (emission included), started at each sequence's last step."""
    steps, batch, length = emissions.shape
    ends = xp.arange(length) >= 2 * target_lengths[:, None] - 1
    ends &= xp.arange(length) <= 2 * target_lengths[:, None]
    beta = xp.full(emissions.shape, -xp.inf, dtype=emissions.dtype)
    shifted = xp.full((batch, length + 2), -xp.inf, dtype=emissions.dtype)
    skip_next = xp.zeros_like(skip)
    skip_next[:, :-2] = skip[:, 2:]
    for t in range(steps - 1, -1, -1):
        if t < steps - 1:
            shifted[:, :-2] = beta[t + 1]
            recursed = _logsumexp3(xp, beta[t + 1], shifted[:, 1:-1],
                                   xp.where(skip_next, shifted[:, 2:], -xp.inf)) + emissions[t]
        else:
            recursed = beta[t]
        start = (input_lengths == t + 1)[:, None]
        beta[t] = xp.where(start, xp.where(ends, emissions[t], -xp.inf), recursed)
    return beta


def _ctc_occupancy(xp, log_alpha, log_beta, labels, classes):
    """``log sum_{s: label(s) = c} alpha_t(s) beta_t(s)`` for every step and class."""
    steps, batch, length = log_alpha.shape
    joint = log_alpha + log_beta
    top = xp.max(joint, axis=2, keepdims=True)
    top = xp.where(top == -xp.inf, 0, top)
    rows = xp.arange(steps * batch).reshape(steps, batch, 1) * classes
    index = (rows + labels[None]).reshape(-1)
    sums = xp.bincount(index, weights=xp.exp(joint - top).reshape(-1),
                       minlength=steps * batch * classes)
    return xp.log(sums.reshape(steps, batch, classes)).astype(joint.dtype) + top


class CtcLoss(Op):
    """The negative log-likelihood of each target sequence under the CTC alignment model
    (per batch element, before the reduction); ``zero_infinity`` zeroes impossible ones."""

    @staticmethod
    def forward(ctx, xp, log_probs, targets, input_lengths, target_lengths, blank,
                zero_infinity):
        labels, skip = _ctc_labels(xp, targets, target_lengths, blank)
        steps, batch = log_probs.shape[:2]
        index = xp.broadcast_to(labels[None], (steps,) + labels.shape)
        emissions = xp.take_along_axis(log_probs, index, axis=2)
        log_alpha = _ctc_alpha(xp, emissions, skip, target_lengths)
        last = log_alpha[xp.maximum(input_lengths - 1, 0), xp.arange(batch)]
        end = 2 * target_lengths[:, None]
        blank_end = xp.take_along_axis(last, end, axis=1)[:, 0]
        label_end = xp.take_along_axis(last, xp.maximum(end - 1, 0), axis=1)[:, 0]
        label_end = xp.where(target_lengths > 0, label_end, -xp.inf)
        nll = -xp.logaddexp(blank_end, label_end)
        # no steps: only the empty target is possible, with probability 1
        nll = xp.where(input_lengths == 0, xp.where(target_lengths == 0, 0.0, xp.inf), nll)
        nll = nll.astype(log_probs.dtype)
        ctx.save_for_backward(log_probs, emissions, skip, labels, log_alpha, input_lengths,
                              target_lengths, nll)
        ctx.zero_infinity = zero_infinity
        return xp.where(xp.isinf(nll), 0, nll) if zero_infinity else nll

    @staticmethod
    def backward(ctx, grad_output):
        return (CtcLossBackward.call(grad_output, *ctx.saved_tensors, ctx.zero_infinity),) + \
            (None,) * 5


class CtcLossBackward(Op):
    """The gradient of :class:`CtcLoss` for ``log_probs``, PyTorch's formula
    ``exp(log_probs) - occupancy``: it takes ``log_probs`` to be a log_softmax's output and is
    exact for the logits behind it (the ``exp`` term cancels in the log_softmax backward)."""

    @staticmethod
    def forward(ctx, xp, grad_output, log_probs, emissions, skip, labels, log_alpha,
                input_lengths, target_lengths, nll, zero_infinity):
        log_beta = _ctc_beta(xp, emissions, skip, input_lengths, target_lengths)
        occupancy = _ctc_occupancy(xp, log_alpha, log_beta, labels, log_probs.shape[2])
        grad = xp.exp(log_probs) - xp.exp(occupancy + nll[:, None] - log_probs)
        grad = grad * grad_output[:, None]
        valid = xp.arange(log_probs.shape[0])[:, None] < input_lengths
        if zero_infinity:
            valid &= ~xp.isinf(nll)
        return xp.where(valid[:, :, None], grad, 0)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::_ctc_loss_backward is not implemented")


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
    """Per-sequence CTC losses of ``log_probs`` ``(T, N, C)``, padded ``targets`` ``(N, S)``
    and integer length arrays ``(N,)``."""
    return CtcLoss.apply(log_probs, targets, input_lengths, target_lengths, blank,
                         zero_infinity)
