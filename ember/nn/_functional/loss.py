"""Loss functions with PyTorch's signatures, checks and messages.

Cross entropy, NLL, MSE, binary cross entropy (on probabilities and on logits) and CTC are
fused ops (``ember/_ops/loss.py``); the other losses are composed from differentiable ops, as
PyTorch composes them. ``reduction`` is ``'none'``, ``'mean'`` or ``'sum'``; the deprecated
``size_average`` and ``reduce`` override it with PyTorch's warning.
"""

import math
import warnings

import ember
from ember._ops import loss as ops
from ember._ops._checks import broadcast_shapes, cast, promote_operands
from ember._ops.activation import _check_floating
from ember._tensor import _scalar_type_name
from ember.nn._functional.activation import logsigmoid
from ember.nn._functional.distance import pairwise_distance

__all__ = ["l1_loss", "mse_loss", "cross_entropy", "nll_loss", "kl_div", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "margin_ranking_loss", "hinge_embedding_loss",
           "multilabel_margin_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss",
           "multilabel_soft_margin_loss", "cosine_embedding_loss", "multi_margin_loss",
           "triplet_margin_loss", "triplet_margin_with_distance_loss", "ctc_loss",
           "poisson_nll_loss", "gaussian_nll_loss"]

_EPSILON = 1e-12  # PyTorch's guard of the squared norms in cosine_embedding_loss


# ---------------------------------------------------------------------- reductions
def get_enum(reduction):
    """``reduction`` checked as PyTorch's ``_Reduction.get_enum`` (the name, not a number)."""
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def legacy_get_string(size_average, reduce, emit_warning=True):
    """The ``reduction`` that the deprecated ``size_average`` and ``reduce`` stand for."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    if emit_warning:
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", stacklevel=3)
    return reduction


def _legacy(size_average, reduce, reduction):
    """``reduction`` with the legacy arguments applied, unchecked (for composed losses that
    check it themselves, with their own message)."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return reduction


def _reduction(size_average, reduce, reduction):
    return get_enum(_legacy(size_average, reduce, reduction))


def _apply_reduction(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _weighted_reduction(loss, weight, reduction, normalized=True):
    """``loss * weight`` reduced; the mean divides by the total weight when ``normalized``
    (l1 and mse), by the number of elements otherwise (huber), as in PyTorch."""
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if normalized else loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


# ---------------------------------------------------------------------- checks
def _check_not_differentiable(function, name, tensor):
    if tensor is not None and tensor.requires_grad and ember.is_grad_enabled():
        raise RuntimeError(f"The function '{function}' is not differentiable with respect to "
                           f"argument '{name}'. This input cannot have requires_grad True.")


def _warn_size_mismatch(input, target):
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def _check_weight_size(weight, input):
    if weight is not None and weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")


def _check_class_weight(weight, input, classes, prefix=""):
    if weight is None:
        return
    if weight.dim() != 1 or weight.numel() != classes:
        raise RuntimeError(f"{prefix}weight tensor should be defined either for all {classes} "
                           "classes or no classes but got weight tensor of shape: "
                           f"{list(weight.shape)}")
    if weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_type_name(input.dtype)} but found "
                           f"{_scalar_type_name(weight.dtype)}")


def _check_target_shape(input, target):
    """PyTorch's ``nll_loss_nd`` checks of the input and class-index target shapes."""
    ndim = input.dim()
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    if ndim != 1 and (target.dim() == 0 or input.shape[0] != target.shape[0]):
        batch = target.shape[0] if target.dim() else 1
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({batch}).")
    if ndim <= 2 and target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if ndim == 1 and target.dim() == 1 and target.numel() != 1:
        raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                         f"{target.numel()}")
    if ndim == 4 and target.dim() != 3:
        raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                           f"targets of dimension: {target.dim()}")
    if ndim > 2 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        if ndim == 4:
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)}, target: "
                               f"{list(target.shape)}")
        raise RuntimeError(f"Expected target size {[input.shape[0], *input.shape[2:]]}, got "
                           f"{list(target.shape)}")


def _class_targets(input, target, weight, ignore_index, function):
    """Checks class-index targets (shape, dtype, bounds) and the class weights; returns the
    targets as int64."""
    _check_target_shape(input, target)
    classes = input.shape[0 if input.dim() == 1 else 1]
    _check_class_weight(weight, input, classes)
    if target.dtype not in (ember.int64, ember.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{_scalar_type_name(target.dtype)}")
    target = target.long() if input.dim() > 1 else target.long().reshape(())  # (1,) too
    data = target._data  # array math: this check runs every training step
    out_of_bounds = (data != ignore_index) & ((data < 0) | (data >= classes))
    if out_of_bounds.any():
        raise IndexError(f"Target {data[out_of_bounds][0].item()} is out of bounds.")
    _check_not_differentiable(function, "weight", weight)
    return target


def _check_long_target(target):
    if target.dtype != ember.int64:
        raise RuntimeError(f"expected scalar type Long but found "
                           f"{_scalar_type_name(target.dtype)}")


def _check_log_softmax_input(input, class_dim):
    last = class_dim == input.dim() - 1
    _check_floating(input, "log_softmax_lastdim_kernel_impl" if last
                    else "log_softmax_kernel_impl")


def _check_label_smoothing(label_smoothing):
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")


# ---------------------------------------------------------------------- classification
def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    r"""The negative log-likelihood loss of log-probabilities ``input`` :math:`(N, C)`,
    :math:`(C)` or :math:`(N, C, d_1, ..., d_K)` and class indices ``target``:
    :math:`-w_{y_n} x_{n, y_n}`, the mean taken over the total weight of the targets."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _class_targets(input, target, weight, ignore_index, "nll_loss_forward")
    _check_floating(input, "nll_loss_out_frame")
    return ops.nll_loss(input, target, weight, reduction, ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    r"""The cross entropy between logits ``input`` :math:`(C)`, :math:`(N, C)` or
    :math:`(N, C, d_1, ..., d_K)` and ``target``: class indices (with ``weight``,
    ``ignore_index``) or class probabilities of the input's shape; ``label_smoothing`` mixes
    the targets with the uniform distribution. One fused op: log_softmax and NLL together."""
    reduction = _reduction(size_average, reduce, reduction)
    label_smoothing = max(label_smoothing, 0.0)  # PyTorch ignores a negative smoothing
    class_dim = 0 if input.dim() == 1 else 1
    if input.shape == target.shape:
        if not target.is_floating_point():
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {_scalar_type_name(target.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _check_class_weight(weight, input, input.shape[class_dim], "cross_entropy: ")
        _check_label_smoothing(label_smoothing)
        _check_log_softmax_input(input, class_dim)
        _check_not_differentiable("cross_entropy", "weight", weight)
        return ops.cross_entropy(input, target, weight, reduction, ignore_index,
                                 label_smoothing)
    _check_label_smoothing(label_smoothing)
    if input.dim() >= 1:
        _check_log_softmax_input(input, class_dim)
    target = _class_targets(input, target, weight, ignore_index, "nll_loss_forward")
    return ops.cross_entropy(input, target, weight, reduction, ignore_index, label_smoothing)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    r"""The Kullback-Leibler divergence :math:`y (\log y - x)` of log-probabilities ``input``
    from ``target`` (log-probabilities too when ``log_target``); ``'batchmean'`` divides the
    sum by the batch size, the true KL divergence."""
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    reduced = "sum" if reduction == "batchmean" else get_enum(reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = ember.xlogy(target, target) - target * input
    result = _apply_reduction(loss, reduced)
    if reduction == "batchmean" and input.dim() != 0:
        result = result / input.size()[0]
    return result


def _check_bce_target(input, target):
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input "
                         f"size ({input.size()}) is deprecated. Please ensure they have the same "
                         "size.")
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {_scalar_type_name(target.dtype)} but expected "
                           f"{_scalar_type_name(input.dtype)}")


def _check_unit_interval(tensor, name):
    if not ((tensor >= 0) & (tensor <= 1)).all():
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    r"""The binary cross entropy :math:`-w (y \log x + (1 - y) \log(1 - x))` of probabilities
    ``input``, each log clamped at -100; ``weight`` broadcasts to the target."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_bce_target(input, target)
    if weight is not None:
        weight = cast(weight.expand(broadcast_shapes(target.shape, weight.shape)), input.dtype)
    _check_floating(input, "binary_cross_entropy")
    _check_unit_interval(input, "input")
    _check_unit_interval(target, "target")
    _check_not_differentiable("binary_cross_entropy", "weight", weight)
    return ops.binary_cross_entropy(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    r"""The binary cross entropy of :math:`\sigma(x)`, computed from the logits ``input``
    without overflow; ``pos_weight`` weighs the positive term, ``weight`` each element."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    if not target.is_floating_point():
        raise RuntimeError(f"result type {_scalar_type_name(input.dtype)} can't be cast to the "
                           f"desired output type {_scalar_type_name(target.dtype)}")
    for name, tensor in (("weight", weight), ("pos_weight", pos_weight)):
        _check_not_differentiable("binary_cross_entropy_with_logits", name, tensor)
    if pos_weight is not None:
        broadcast_shapes(pos_weight.shape, target.shape)
    if weight is not None:
        broadcast_shapes(input.shape, weight.shape)
    return ops.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""The multi-class multi-label hinge loss :math:`\sum_{j, i} \max(0, 1 - (x_{y_j} - x_i))
    / C` over target classes :math:`y_j` (up to the first -1) and non-target classes :math:`i`.
    """
    reduction = _reduction(size_average, reduce, reduction)
    ndim = input.dim()
    if not (ndim == 2 and input.shape[1] != 0 or ndim == 1 and input.shape[0] != 0 or
            ndim == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(input.shape)}")
    classes = 1 if ndim == 0 else input.shape[-1]
    consistent = target.dim() <= 1 and target.numel() == classes if ndim <= 1 else \
        target.dim() == 2 and tuple(target.shape) == tuple(input.shape)
    if not consistent:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    _check_long_target(target)
    if ((target < -1) | (target >= classes)).any():
        raise RuntimeError("argument #2 'target' is out of range")
    loss = _multilabel_margin(input.reshape(-1, classes), target.reshape(-1, classes))
    if ndim <= 1 and reduction == "none":
        return loss.reshape(())
    return _apply_reduction(loss, reduction)


def _multilabel_margin(input, target):
    """Per sample of ``(N, C)``: the hinge between each target class and each other class."""
    classes = input.shape[1]
    valid = (target >= 0).cumprod(1).bool()  # the targets before the first -1
    safe = ember.where(valid, target, 0)
    is_target = ((safe.unsqueeze(2) == ember.arange(classes, device=input.device))
                 & valid.unsqueeze(2)).any(1)
    margins = 1 - input.gather(1, safe).unsqueeze(2) + input.unsqueeze(1)
    pairs = valid.unsqueeze(2) & ~is_target.unsqueeze(1)
    return ember.where(pairs, margins.clamp_min(0), 0).sum((1, 2)) / classes


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    r"""The two-class logistic loss :math:`\log(1 + \exp(-y x))` with targets 1 or -1."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_not_differentiable("soft_margin_loss", "target", target)
    return _apply_reduction((-input * target).exp().log1p(), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    r"""The multi-label one-versus-all loss: the mean over classes of the binary cross
    entropies of :math:`\sigma(x)` and the 0/1 targets, each class weighted by ``weight``."""
    reduction = _legacy(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not valid")
    return _apply_reduction(loss, reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    r"""The multi-class hinge loss :math:`\sum_{i \ne y} w_y \max(0, margin - x_y + x_i)^p / C`
    with ``p`` 1 or 2."""
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    ndim = input.dim()
    if not (input.numel() > 0 and ndim <= 2 or ndim == 2 and input.shape[1] > 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(input.shape)}")
    batch = 1 if ndim <= 1 else input.shape[0]
    classes = input.numel() if ndim <= 1 else input.shape[1]
    if target.dim() > 1 or target.numel() != batch:
        raise RuntimeError("multi_margin_loss: target tensor should be 1-D with size equal to "
                           "the number of input samples (batch size). Expected target size "
                           f"[{batch}], but got {list(target.shape)}. Input has shape "
                           f"{list(input.shape)}.")
    if ((target < 0) | (target >= classes)).any():
        raise RuntimeError("target out of range")
    _check_long_target(target)
    _check_not_differentiable("multi_margin_loss", "weight", weight)
    shape = target.shape
    input, target = input.reshape(batch, classes), target.reshape(batch, 1)
    margins = (margin - input.gather(1, target) + input).clamp_min(0)
    if p == 2:
        margins = margins * margins
    if weight is not None:
        margins = margins * weight[target]
    others = target != ember.arange(classes, device=input.device)
    loss = ember.where(others, margins, 0).sum(1) / classes
    return _apply_reduction(loss.reshape(shape), reduction)


# ---------------------------------------------------------------------- regression
def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    r"""The mean absolute error :math:`|x - y|`, with broadcasting (and a warning when the
    sizes differ); ``weight`` weighs each element, the mean normalized by its sum."""
    _warn_size_mismatch(input, target)
    reduction = _legacy(size_average, reduce, reduction)
    _check_weight_size(weight, input)
    errors = (input - target).abs()
    if weight is not None:
        return _weighted_reduction(errors, weight, reduction)
    return _apply_reduction(errors, get_enum(reduction))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    r"""The mean squared error :math:`(x - y)^2`, with broadcasting (and a warning when the
    sizes differ); ``weight`` weighs each element, the mean normalized by its sum."""
    _warn_size_mismatch(input, target)
    reduction = _legacy(size_average, reduce, reduction)
    _check_weight_size(weight, input)
    if weight is not None:
        return _weighted_reduction((input - target).pow(2), weight, reduction)
    reduction = get_enum(reduction)
    input, target = promote_operands(input, target)
    _check_floating(input, "mse_cpu")
    return ops.mse_loss(input, target, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    r"""The smooth L1 loss: :math:`0.5 (x - y)^2 / \beta` where :math:`|x - y| < \beta`,
    :math:`|x - y| - 0.5 \beta` elsewhere; the L1 loss for ``beta`` 0."""
    _warn_size_mismatch(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    diff = input - target
    errors = diff.abs()
    if beta != 0:
        errors = ember.where(errors < beta, 0.5 * diff * diff / beta, errors - 0.5 * beta)
    return _apply_reduction(errors, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    r"""The Huber loss: :math:`0.5 (x - y)^2` where :math:`|x - y| < \delta`,
    :math:`\delta (|x - y| - 0.5 \delta)` elsewhere; ``weight`` weighs each element."""
    _warn_size_mismatch(input, target)
    if weight is None:
        reduction = get_enum(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _check_weight_size(weight, input)
    diff = input - target
    errors = diff.abs()
    errors = ember.where(errors < delta, 0.5 * diff * diff, delta * (errors - 0.5 * delta))
    if weight is not None:
        return _weighted_reduction(errors, weight, reduction, normalized=False)
    return _apply_reduction(errors, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    r"""The negative log-likelihood of ``target`` under a Poisson distribution of mean
    :math:`e^x` (``log_input``) or :math:`x`; ``full`` adds Stirling's approximation of
    :math:`\log(y!)` for targets above 1."""
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _apply_reduction(loss, reduction)


def _gaussian_variance(input, var):
    """``var`` checked non-negative and shaped to broadcast against ``input``, as PyTorch."""
    if not isinstance(var, ember.Tensor):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        return var * ember.ones_like(input)
    if (var < 0).any():
        raise ValueError("var has negative entry/entries")
    if var.size() == input.size():
        return var
    if input.size()[:-1] == var.size():
        return var.unsqueeze(-1)
    mismatched = sum(v for i, v in zip(input.shape, var.shape) if i != v)
    if input.dim() == var.dim() and mismatched == 1:
        return var
    raise ValueError("var is of incorrect size")


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    r"""The negative log-likelihood of ``target`` under Gaussians of mean ``input`` and
    variance ``var`` (one per element, or broadcast), :math:`0.5 (\log v + (x - y)^2 / v)`;
    ``var`` is clamped at ``eps`` (the clamp passes the gradient through)."""
    var = _gaussian_variance(input, var)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not valid")
    var = var.clone()
    with ember.no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _apply_reduction(loss, reduction)


# ---------------------------------------------------------------------- embeddings, ranking
def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    r"""The ranking loss :math:`\max(0, -y (x_1 - x_2) + margin)` with targets 1 or -1."""
    reduction = _reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.size()}, input2: {input2.size()}, "
                           f"target: {target.size()} ")
    return _apply_reduction((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    r"""The hinge embedding loss: :math:`x` where the target is 1, :math:`\max(0, margin - x)`
    where it is -1."""
    reduction = _reduction(size_average, reduce, reduction)
    margin_clamp = (margin - input).clamp_min(0)
    loss = ember.where(target != 1, margin_clamp, 0) + ember.where(target != -1, input, 0)
    return _apply_reduction(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    r"""The cosine embedding loss: :math:`1 - \cos(x_1, x_2)` where the target is 1,
    :math:`\max(0, \cos(x_1, x_2) - margin)` where it is -1."""
    reduction = _reduction(size_average, reduce, reduction)
    dim = target.dim()
    if dim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input1.dim() != dim + 1 or input2.dim() != dim + 1:
        raise RuntimeError(f"{dim}D target tensor expects {dim + 1}D input tensors, but found "
                           f"inputs with sizes {list(input1.shape)} and {list(input2.shape)}.")
    product = (input1 * input2).sum(dim)
    norms = ((input1 * input1).sum(dim) + _EPSILON) * ((input2 * input2).sum(dim) + _EPSILON)
    cosine = product / norms.sqrt()
    loss = ember.where(target == 1, 1 - cosine, 0) + \
        ember.where(target == -1, (cosine - margin).clamp_min(0), 0)
    return _apply_reduction(loss, reduction)


def _check_triplet(anchor, positive, negative, margin):
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if len(set(dims)) != 1:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {dims[0]}D, positive "
                           f"{dims[1]}D, and negative {dims[2]}D inputs")


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    r"""The triplet loss :math:`\max(0, d(a, p) - d(a, n) + margin)` with the ``p``-norm
    pairwise distance; ``swap`` uses :math:`\min(d(a, n), d(p, n))` for the negative."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_triplet(anchor, positive, negative, margin)
    return triplet_margin_with_distance_loss(
        anchor, positive, negative, margin=margin, swap=swap, reduction=reduction,
        distance_function=lambda x1, x2: pairwise_distance(x1, x2, p, eps))


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    r"""The triplet loss :math:`\max(0, d(a, p) - d(a, n) + margin)` for a distance function
    ``d`` (default: :func:`pairwise_distance`)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    _check_triplet(anchor, positive, negative, margin)
    distance = distance_function if distance_function is not None else pairwise_distance
    positive_distance = distance(anchor, positive)
    negative_distance = distance(anchor, negative)
    if swap:
        negative_distance = ember.minimum(negative_distance, distance(positive, negative))
    return _apply_reduction((margin + positive_distance - negative_distance).clamp_min(0),
                            reduction)


# ---------------------------------------------------------------------- CTC
_CTC_CHECK = "(while checking arguments for ctc_loss_allocate_outputs)"


def _lengths(lengths, name, batch, device):
    """Sequence lengths (a tensor or a sequence of ints) as a flat int64 tensor."""
    if isinstance(lengths, ember.Tensor):
        if lengths.is_floating_point() or lengths.is_complex():
            raise RuntimeError(f"{name} must be integral")
        lengths = lengths.reshape(-1).long()
    else:
        lengths = ember.tensor(list(lengths), dtype=ember.int64, device=device).reshape(-1)
    if lengths.numel() != batch:
        raise RuntimeError(f"{name} must be of size batch_size")
    return lengths


def _check_length_range(lengths, name, high=None):
    low = lengths.min().item()
    if low < 0:
        raise RuntimeError(f"Expected {name} to have value at least 0, but got value {low} "
                           f"{_CTC_CHECK}")
    top = lengths.max().item()
    if high is not None and top > high:
        raise RuntimeError(f"Expected {name} to have value at most {high}, but got value {top} "
                           f"{_CTC_CHECK}")
    return top


def _padded_targets(targets, target_lengths, longest, blank):
    """The targets as ``(N, S)``, whether given padded or concatenated."""
    if targets.dim() == 2:
        if targets.shape[1] < longest:
            raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1,"
                               f" but got size {targets.shape[1]} for argument #2 'targets' "
                               f"{_CTC_CHECK}")
        return targets[:, :longest].long()
    total = target_lengths.sum().item()
    if targets.shape[0] != total:
        raise RuntimeError(f"Expected tensor to have size {total} at dimension 0, but got size "
                           f"{targets.shape[0]} for argument #2 'targets' {_CTC_CHECK}")
    positions = ember.arange(longest, device=targets.device)
    starts = target_lengths.cumsum(0) - target_lengths
    inside = positions < target_lengths.unsqueeze(1)
    if total == 0:
        return ember.full(tuple(inside.shape), blank, dtype=ember.int64, device=targets.device)
    index = (starts.unsqueeze(1) + positions).clamp(max=total - 1)
    return ember.where(inside, targets.long()[index], blank)


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    r"""The Connectionist Temporal Classification loss of ``log_probs`` :math:`(T, N, C)` (or
    :math:`(T, C)`) and ``targets``, padded :math:`(N, S)` or concatenated
    :math:`(\sum_n S_n)`; ``'mean'`` divides each loss by its target length first."""
    reduction = get_enum(reduction)
    batched = log_probs.dim() == 3
    if not batched:
        log_probs = log_probs.unsqueeze(1)
        targets = targets.unsqueeze(0) if targets.dim() == 1 else targets
    if log_probs.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {log_probs.dim()}-dimensional"
                           f" tensor for argument #1 'log_probs' {_CTC_CHECK}")
    if targets.dim() not in (1, 2):
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {targets.dim()}-dimensional "
                           f"tensor for argument #2 'targets' {_CTC_CHECK}")
    steps, batch, classes = log_probs.shape
    _check_floating(log_probs, "ctc_loss_cpu")
    if log_probs.numel() == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    input_lengths = _lengths(input_lengths, "input_lengths", batch, log_probs.device)
    target_lengths = _lengths(target_lengths, "target_lengths", batch, log_probs.device)
    _check_length_range(input_lengths, "input_lengths", steps)
    longest = _check_length_range(target_lengths, "target_lengths")
    targets = _padded_targets(targets, target_lengths, longest, blank)
    inside = ember.arange(targets.shape[1], device=targets.device) < target_lengths.unsqueeze(1)
    if (inside & ((targets < 0) | (targets >= classes))).any():
        raise RuntimeError(f"targets must be class indices in [0, {classes})")
    loss = ops.ctc_loss(log_probs, targets._data, input_lengths._data, target_lengths._data,
                        blank, zero_infinity)
    if reduction == "mean":
        return (loss / target_lengths.clamp_min(1).to(loss.dtype)).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)
