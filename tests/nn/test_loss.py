"""Every loss of ``ember.nn`` against PyTorch: forward values and input gradients across
reductions, weights and edge cases (ignore_index, label smoothing, probability targets,
K-dimensional inputs, all-zero targets, empty batches, CTC alignments), gradcheck and
gradgradcheck in float64, module reprs, legacy arguments and errors."""

import warnings

import numpy as np
import pytest

import ember
from tests.module_db import ModuleSpec, make_module_tests
from tests.op_db import ErrorCase, OpSpec, assert_close, make_tests

REDUCTIONS = ("none", "mean", "sum")


def _per_reduction(name, loss, reductions=REDUCTIONS, **kwargs):
    """One spec per reduction; ``loss(F, lib, *inputs, reduction=...)``."""
    return [OpSpec(f"{name}-{reduction}",
                   lambda lib, *inputs, reduction=reduction:
                   loss(lib.nn.functional, lib, *inputs, reduction=reduction), **kwargs)
            for reduction in reductions]


def _target_shape(shape):
    return shape[:1] + shape[2:] if len(shape) > 1 else ()


def _classes(ignore=None, weight=False, ignored_fraction=0.3):
    """Logits (or log-probabilities) of shape ``shapes[0]``, class-index targets with some set
    to ``ignore``, and class weights."""
    def inputs(rng, dtype, shapes):
        shape = shapes[0]
        classes = shape[0 if len(shape) == 1 else 1]
        target = np.asarray(rng.integers(0, classes, _target_shape(shape)), dtype=np.int64)
        if ignore is not None:
            target[rng.random(target.shape) < ignored_fraction] = ignore
        arrays = [rng.standard_normal(shape).astype(dtype), target]
        if weight:
            arrays.append(rng.uniform(0.5, 2.0, classes).astype(dtype))
        return arrays
    return inputs


def _probabilities(weight=False):
    def inputs(rng, dtype, shapes):
        shape = shapes[0]
        dim = 0 if len(shape) == 1 else 1
        target = rng.random(shape)
        arrays = [rng.standard_normal(shape).astype(dtype),
                  (target / target.sum(axis=dim, keepdims=True)).astype(dtype)]
        if weight:
            arrays.append(rng.uniform(0.5, 2.0, shape[dim]).astype(dtype))
        return arrays
    return inputs


def _uniform(*domains):
    """One array per shape, each drawn uniformly from its domain (an int draws integers)."""
    def inputs(rng, dtype, shapes):
        arrays = []
        for shape, (low, high) in zip(shapes, domains):
            if isinstance(low, int) and isinstance(high, int):
                arrays.append(np.asarray(rng.integers(low, high + 1, shape), dtype=np.int64))
            else:
                arrays.append(rng.uniform(low, high, shape).astype(dtype))
        return arrays
    return inputs


def _signs(rng, dtype, shapes):
    """An input, then a target of 1 and -1."""
    first, *others, target = shapes
    arrays = [rng.standard_normal(shape).astype(dtype) for shape in (first, *others)]
    return arrays + [np.where(rng.random(target) < 0.5, 1.0, -1.0).astype(dtype)]


CLASS_SHAPES = [((4, 5),), ((5,),), ((2, 4, 3),), ((2, 3, 2, 2),)]
BATCHED_CLASS_SHAPES = CLASS_SHAPES[:1] + CLASS_SHAPES[2:]  # room for ignored targets

# padded with -1: the targets before the first -1 count (duplicates too, as in PyTorch)
MULTILABEL_TARGETS = np.array([[3, 0, -1, 1, 2], [1, 1, 4, 2, -1], [-1, 0, 1, 2, 3],
                               [4, 3, 2, 1, 0]])


def _multilabel(rng, dtype, shapes):
    targets = MULTILABEL_TARGETS if len(shapes[0]) == 2 else MULTILABEL_TARGETS[1]
    return [rng.standard_normal(shapes[0]).astype(dtype), targets.copy()]


def _cross_entropy(F, lib, input, target, weight=None, **kwargs):
    return F.cross_entropy(input, target, weight, **kwargs)


def _nll(F, lib, input, target, weight=None, **kwargs):
    return F.nll_loss(input, target, weight, **kwargs)


CLASSIFICATION = (
    _per_reduction("cross_entropy", _cross_entropy, inputs=_classes(), shapes=CLASS_SHAPES)
    + _per_reduction("cross_entropy_weight_ignore",
                     lambda F, lib, *a, reduction: _cross_entropy(F, lib, *a, ignore_index=2,
                                                                  reduction=reduction),
                     inputs=_classes(ignore=2, weight=True), shapes=BATCHED_CLASS_SHAPES,
                     differentiable=(0,))
    + _per_reduction("cross_entropy_default_ignore", _cross_entropy,
                     inputs=_classes(ignore=-100), shapes=[((6, 4),), ((2, 3, 4),)])
    + _per_reduction("cross_entropy_smoothing",
                     lambda F, lib, *a, reduction: _cross_entropy(F, lib, *a, reduction=reduction,
                                                                  label_smoothing=0.3),
                     inputs=_classes(), shapes=CLASS_SHAPES)
    + _per_reduction("cross_entropy_smoothing_weight_ignore",
                     lambda F, lib, *a, reduction: _cross_entropy(
                         F, lib, *a, ignore_index=1, reduction=reduction, label_smoothing=0.2),
                     inputs=_classes(ignore=1, weight=True), shapes=BATCHED_CLASS_SHAPES,
                     differentiable=(0,))
    + _per_reduction("cross_entropy_probabilities", _cross_entropy, inputs=_probabilities(),
                     shapes=CLASS_SHAPES)
    + _per_reduction("cross_entropy_probabilities_weight_smoothing",
                     lambda F, lib, *a, reduction: _cross_entropy(F, lib, *a, reduction=reduction,
                                                                  label_smoothing=0.25),
                     inputs=_probabilities(weight=True), shapes=CLASS_SHAPES,
                     differentiable=(0, 1))
    + _per_reduction("nll_loss", _nll, inputs=_classes(), shapes=CLASS_SHAPES)
    + _per_reduction("nll_loss_weight_ignore",
                     lambda F, lib, *a, reduction: _nll(F, lib, *a, ignore_index=0,
                                                        reduction=reduction),
                     inputs=_classes(ignore=0, weight=True), shapes=BATCHED_CLASS_SHAPES,
                     differentiable=(0,))
    + _per_reduction("nll_loss_default_ignore", _nll, inputs=_classes(ignore=-100),
                     shapes=[((6, 4),), ((2, 4, 3, 1, 2),)])
    + _per_reduction("multi_margin_loss",
                     lambda F, lib, x, t, reduction: F.multi_margin_loss(x, t,
                                                                         reduction=reduction),
                     inputs=_classes(), shapes=[((4, 5),), ((5,),)], gradgrad=False)
    + _per_reduction("multi_margin_loss_p2_weight",
                     lambda F, lib, x, t, w, reduction: F.multi_margin_loss(
                         x, t, p=2, margin=0.7, weight=w, reduction=reduction),
                     inputs=_classes(weight=True), shapes=[((4, 5),)], differentiable=(0,))
    + _per_reduction("multilabel_margin_loss",
                     lambda F, lib, x, t, reduction: F.multilabel_margin_loss(
                         x, t, reduction=reduction),
                     inputs=_multilabel,
                     shapes=[((4, 5),), ((5,),)], gradgrad=False)
    + _per_reduction("multilabel_soft_margin_loss",
                     lambda F, lib, x, t, w, reduction: F.multilabel_soft_margin_loss(
                         x, t, w, reduction=reduction),
                     inputs=_uniform((-3.0, 3.0), (0, 1), (0.5, 2.0)),
                     shapes=[((4, 5), (4, 5), (5,))], differentiable=(0,))
    + _per_reduction("soft_margin_loss",
                     lambda F, lib, x, t, reduction: F.soft_margin_loss(x, t,
                                                                        reduction=reduction),
                     inputs=_signs, shapes=[((4, 5), (4, 5)), ((), ())], differentiable=(0,))
)


def _bce_inputs(weight_shape=None):
    def inputs(rng, dtype, shapes):
        arrays = [np.asarray(rng.uniform(0.02, 0.98, shapes[0]), dtype=dtype),
                  np.asarray(rng.random(shapes[0]), dtype=dtype)]
        if weight_shape is not None:
            arrays.append(rng.uniform(0.5, 2.0, weight_shape).astype(dtype))
        return arrays
    return inputs


def _logits_inputs(rng, dtype, shapes):
    shape, *weights = shapes
    return [np.asarray(3 * rng.standard_normal(shape), dtype=dtype),
            np.asarray(rng.random(shape), dtype=dtype)] \
        + [rng.uniform(0.5, 2.0, w).astype(dtype) for w in weights]


BINARY = (
    _per_reduction("binary_cross_entropy",
                   lambda F, lib, x, t, reduction: F.binary_cross_entropy(x, t,
                                                                          reduction=reduction),
                   inputs=_bce_inputs(), shapes=[((4, 5),), ((),), ((2, 3, 2),)])
    + _per_reduction("binary_cross_entropy_weight",
                     lambda F, lib, x, t, w, reduction: F.binary_cross_entropy(
                         x, t, w, reduction=reduction),
                     inputs=_bce_inputs(weight_shape=(5,)), shapes=[((4, 5),)],
                     differentiable=(0, 1))
    + _per_reduction("binary_cross_entropy_with_logits",
                     lambda F, lib, x, t, reduction: F.binary_cross_entropy_with_logits(
                         x, t, reduction=reduction),
                     inputs=_logits_inputs, shapes=[((4, 5),), ((),)])
    + _per_reduction("binary_cross_entropy_with_logits_weights",
                     lambda F, lib, x, t, w, pw, reduction: F.binary_cross_entropy_with_logits(
                         x, t, w, reduction=reduction, pos_weight=pw),
                     inputs=_logits_inputs, shapes=[((4, 5), (4, 1), (5,)),
                                                    ((3, 4, 2), (2,), (4, 1))],
                     differentiable=(0, 1))
)


def _kl(F, lib, x, t, reduction, log_target=False):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'mean' warns that it is not the true divergence
        return F.kl_div(x, t, reduction=reduction, log_target=log_target)


def _kl_inputs(log_target, zeros=False):
    def inputs(rng, dtype, shapes):
        logits = rng.standard_normal((2,) + shapes[0])
        log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        target = log_probs[1] if log_target else np.exp(log_probs[1])
        if zeros:
            target[..., 0] = 0.0
        return [log_probs[0].astype(dtype), target.astype(dtype)]
    return inputs


KL_REDUCTIONS = REDUCTIONS + ("batchmean",)

REGRESSION = (
    _per_reduction("l1_loss", lambda F, lib, x, t, reduction: F.l1_loss(x, t,
                                                                          reduction=reduction),
                   shapes=[((3, 4), (3, 4)), ((), ())], gradgrad=False)
    + _per_reduction("l1_loss_weight", lambda F, lib, x, t, w, reduction: F.l1_loss(
                         x, t, reduction=reduction, weight=w),
                     inputs=_uniform((-2.0, 2.0), (-2.0, 2.0), (0.5, 2.0)),
                     shapes=[((3, 4), (3, 4), (3, 4))], differentiable=(0, 1), gradgrad=False)
    + _per_reduction("mse_loss", lambda F, lib, x, t, reduction: F.mse_loss(x, t,
                                                                              reduction=reduction),
                     shapes=[((3, 4), (3, 4)), ((), ()), ((2, 3, 4), (2, 3, 4))])
    + _per_reduction("mse_loss_weight", lambda F, lib, x, t, w, reduction: F.mse_loss(
                         x, t, reduction=reduction, weight=w),
                     inputs=_uniform((-2.0, 2.0), (-2.0, 2.0), (0.5, 2.0)),
                     shapes=[((3, 4), (3, 4), (3, 4))], differentiable=(0, 1))
    + _per_reduction("smooth_l1_loss", lambda F, lib, x, t, reduction: F.smooth_l1_loss(
                         x, t, reduction=reduction), shapes=[((4, 5), (4, 5))])
    + _per_reduction("smooth_l1_loss_beta", lambda F, lib, x, t, reduction: F.smooth_l1_loss(
                         x, t, reduction=reduction, beta=0.4), shapes=[((4, 5), (4, 5))])
    + _per_reduction("smooth_l1_loss_beta0", lambda F, lib, x, t, reduction: F.smooth_l1_loss(
                         x, t, reduction=reduction, beta=0.0), shapes=[((4, 5), (4, 5))],
                     gradgrad=False)
    + _per_reduction("huber_loss", lambda F, lib, x, t, reduction: F.huber_loss(
                         x, t, reduction=reduction), shapes=[((4, 5), (4, 5))])
    + _per_reduction("huber_loss_delta_weight", lambda F, lib, x, t, w, reduction: F.huber_loss(
                         x, t, reduction=reduction, delta=0.6, weight=w),
                     inputs=_uniform((-2.0, 2.0), (-2.0, 2.0), (0.5, 2.0)),
                     shapes=[((4, 5), (4, 5), (4, 5))], differentiable=(0, 1))
    + _per_reduction("poisson_nll_loss", lambda F, lib, x, t, reduction: F.poisson_nll_loss(
                         x, t, reduction=reduction), inputs=_uniform((-2.0, 2.0), (0.0, 4.0)),
                     shapes=[((4, 5), (4, 5))])
    + _per_reduction("poisson_nll_loss_rate_full",
                     lambda F, lib, x, t, reduction: F.poisson_nll_loss(
                         x, t, log_input=False, full=True, reduction=reduction),
                     inputs=lambda rng, dtype, shapes: [
                         rng.uniform(0.2, 3.0, shapes[0]).astype(dtype),
                         rng.choice([0.0, 1.0, 2.5, 4.0], shapes[0]).astype(dtype)],
                     shapes=[((4, 5),)], differentiable=(0,))
    + _per_reduction("gaussian_nll_loss", lambda F, lib, x, t, v, reduction: F.gaussian_nll_loss(
                         x, t, v, reduction=reduction),
                     inputs=_uniform((-2.0, 2.0), (-2.0, 2.0), (0.2, 2.0)),
                     shapes=[((4, 3), (4, 3), (4, 3)), ((4, 3), (4, 3), (4,)),
                             ((4, 3), (4, 3), (4, 1)), ((2, 3, 2), (2, 3, 2), (2, 1, 2))])
    + _per_reduction("gaussian_nll_loss_full_float_var",
                     lambda F, lib, x, t, reduction: F.gaussian_nll_loss(
                         x, t, 0.7, full=True, reduction=reduction),
                     shapes=[((4, 3), (4, 3))])
    + _per_reduction("kl_div", _kl, inputs=_kl_inputs(False), shapes=[((3, 4),)],
                     reductions=KL_REDUCTIONS)
    + _per_reduction("kl_div_log_target",
                     lambda F, lib, x, t, reduction: _kl(F, lib, x, t, reduction, True),
                     inputs=_kl_inputs(True), shapes=[((3, 4),), ((2, 2, 3),)],
                     reductions=KL_REDUCTIONS)
    + _per_reduction("kl_div_zero_targets", _kl, inputs=_kl_inputs(False, zeros=True),
                     shapes=[((3, 4),)], differentiable=(0,), reductions=KL_REDUCTIONS)
)


def _triplet(F, lib, anchor, positive, negative, reduction, **kwargs):
    return F.triplet_margin_loss(anchor, positive, negative, reduction=reduction, **kwargs)


def _cosine_distance(lib):
    return lambda x1, x2: 1.0 - lib.nn.functional.cosine_similarity(x1, x2)


EMBEDDING = (
    _per_reduction("margin_ranking_loss",
                   lambda F, lib, x1, x2, t, reduction: F.margin_ranking_loss(
                       x1, x2, t, margin=0.3, reduction=reduction),
                   inputs=_signs, shapes=[((5,), (5,), (5,)), ((3, 2), (3, 2), (3, 2))])
    + _per_reduction("hinge_embedding_loss",
                     lambda F, lib, x, t, reduction: F.hinge_embedding_loss(
                         x, t, margin=0.8, reduction=reduction),
                     inputs=_signs, shapes=[((4, 5), (4, 5))], differentiable=(0,))
    + _per_reduction("cosine_embedding_loss",
                     lambda F, lib, x1, x2, t, reduction: F.cosine_embedding_loss(
                         x1, x2, t, margin=0.2, reduction=reduction),
                     inputs=_signs, shapes=[((4, 5), (4, 5), (4,)), ((5,), (5,), ())],
                     differentiable=(0, 1))
    + _per_reduction("triplet_margin_loss", _triplet, shapes=[((4, 5),) * 3, ((5,),) * 3])
    + _per_reduction("triplet_margin_loss_p1_swap",
                     lambda F, lib, *a, reduction: _triplet(F, lib, *a, reduction, p=1,
                                                            margin=2.0, swap=True),
                     shapes=[((4, 5),) * 3], gradgrad=False)
    + _per_reduction("triplet_margin_with_distance_loss",
                     lambda F, lib, a, p, n, reduction: F.triplet_margin_with_distance_loss(
                         a, p, n, reduction=reduction), shapes=[((4, 5),) * 3])
    + _per_reduction("triplet_margin_with_cosine_distance_swap",
                     lambda F, lib, a, p, n, reduction: F.triplet_margin_with_distance_loss(
                         a, p, n, distance_function=_cosine_distance(lib), margin=0.5,
                         swap=True, reduction=reduction), shapes=[((4, 5),) * 3])
)


def _ctc_inputs(targets, input_lengths, target_lengths, steps=6, classes=5):
    """Log-probabilities ``(T, N, C)``, then the targets and lengths as given."""
    def inputs(rng, dtype, shapes):
        batch = len(input_lengths)
        logits = rng.standard_normal((steps, batch, classes))
        log_probs = logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))
        return [log_probs.astype(dtype), np.array(targets, dtype=np.int64),
                np.array(input_lengths, dtype=np.int64), np.array(target_lengths, dtype=np.int64)]
    return inputs


def _ctc(F, lib, *inputs, reduction, **kwargs):
    return F.ctc_loss(*inputs, reduction=reduction, **kwargs)


def _ctc_of_logits(F, lib, logits, *inputs, reduction, **kwargs):
    """CTC after a log_softmax: PyTorch's CTC gradient is the one of the logits (it assumes
    normalized log-probabilities), so gradcheck runs through the log_softmax."""
    return F.ctc_loss(logits.log_softmax(2), *inputs, reduction=reduction, **kwargs)


# repeated labels (1, 1 needs a blank between), a target as long as its input allows
CTC_PADDED = _ctc_inputs([[1, 1, 2], [2, 3, 0], [4, 4, 4], [3, 1, 2]], [6, 5, 6, 4],
                         [3, 2, 3, 1])
CTC_CONCATENATED = _ctc_inputs([1, 1, 2, 2, 3, 4, 4, 4, 3], [6, 5, 6, 4], [3, 2, 3, 1])
# the third target (3 labels, 2 repeats) cannot fit 4 steps; the last has no labels
CTC_INFEASIBLE = _ctc_inputs([[1, 2, 3], [2, 2, 2], [1, 1, 1], [0, 0, 0]], [6, 6, 4, 3],
                             [3, 2, 3, 0])

CTC = (
    _per_reduction("ctc_loss", _ctc_of_logits, inputs=CTC_PADDED, shapes=[()],
                   gradgrad=False)
    + _per_reduction("ctc_loss_concatenated", _ctc_of_logits, inputs=CTC_CONCATENATED,
                     shapes=[()], gradgrad=False)
    + _per_reduction("ctc_loss_blank",
                     lambda F, lib, *a, reduction: _ctc_of_logits(F, lib, *a, blank=4,
                                                                  reduction=reduction),
                     inputs=_ctc_inputs([[1, 1, 2], [2, 3, 0]], [6, 5], [3, 2]), shapes=[()],
                     gradgrad=False)
    + _per_reduction("ctc_loss_zero_infinity",
                     lambda F, lib, *a, reduction: _ctc_of_logits(F, lib, *a, reduction=reduction,
                                                                  zero_infinity=True),
                     inputs=CTC_INFEASIBLE, shapes=[()], gradgrad=False)
    + _per_reduction("ctc_loss_infeasible", _ctc, inputs=CTC_INFEASIBLE, shapes=[()],
                     grad=False)
)


def _raises(function):
    return lambda lib: function(lib, lib.nn.functional)


ERRORS = [OpSpec("errors", lambda lib: None, shapes=[], error_cases=[
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.tensor([1, 10, 2]))),
              IndexError, "^Target 10 is out of bounds.$"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(3, 5), lib.tensor([1, -1, 2]))),
              IndexError, "^Target -1 is out of bounds.$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.tensor([1, 7, 2]),
                                                     label_smoothing=0.1)),
              IndexError, "^Target 7 is out of bounds.$"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(2, 5, 2),
                                                lib.tensor([[1, 10], [2, 2]]))),
              IndexError, "^Target 10 is out of bounds.$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.tensor([1, 0, 2, 3]))),
              ValueError, r"^Expected input batch_size \(3\) to match target batch_size \(4\)\.$"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(3, 5), lib.tensor([1, 0]))),
              ValueError, r"^Expected input batch_size \(3\) to match target batch_size \(2\)\.$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5, 2),
                                                     lib.zeros(3, 3, dtype=lib.long))),
              RuntimeError, r"^Expected target size \[3, 2\], got \[3, 3\]$"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(3, 5, 2, 2),
                                                lib.zeros(3, 2, dtype=lib.long))),
              RuntimeError, r"only batches of spatial targets supported \(3D tensors\) but got "
                            r"targets of dimension: 2"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(3, 5), lib.tensor([1.0, 0.0, 2.0]))),
              RuntimeError, "^expected target dtype to be Long or Byte, but got Float$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5),
                                                     lib.tensor([1, 0, 2], dtype=lib.int32))),
              RuntimeError, "^expected target dtype to be Long or Byte, but got Int$"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(3, 5), lib.tensor([1, 0, 2]),
                                                weight=lib.ones(4))),
              RuntimeError, r"^weight tensor should be defined either for all 5 classes or no "
                            r"classes but got weight tensor of shape: \[4\]$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.rand(3, 5),
                                                     weight=lib.ones(4))),
              RuntimeError, r"^cross_entropy: weight tensor should be defined either for all 5 "
                            r"classes"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.tensor([1, 0, 2]),
                                                     weight=lib.ones(5, dtype=lib.float64))),
              RuntimeError, "^expected scalar type Float but found Double$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.tensor([1, 0, 2]),
                                                     label_smoothing=1.5)),
              RuntimeError, r"^label_smoothing must be between 0\.0 and 1\.0\. Got: 1\.5$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.rand(3, 5),
                                                     ignore_index=1)),
              RuntimeError, "^ignore_index is not supported for floating point target$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5),
                                                     lib.ones(3, 5, dtype=lib.long))),
              RuntimeError, "^Expected floating point type for target with class "
                            "probabilities, got Long$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.rand(3, 4))),
              RuntimeError, "^0D or 1D target tensor expected, multi-target not supported$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.ones(3, 5, dtype=lib.long),
                                                     lib.tensor([1, 0, 2]))),
              NotImplementedError, '"log_softmax_lastdim_kernel_impl" not implemented for '
                                   "'Long'"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.randn(5), lib.tensor([1, 2]))),
              ValueError, "^For 1D input, 1D target must have size 1, but got target size: 2$"),
    ErrorCase(_raises(lambda lib, F: F.nll_loss(lib.tensor(1.0), lib.tensor(0))),
              ValueError, r"^Expected 1 or more dimensions \(got 0\)$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(lib.randn(3, 5), lib.tensor([1, 0, 2]),
                                                     reduction="avg")),
              ValueError, "^avg is not a valid value for reduction$"),
    ErrorCase(_raises(lambda lib, F: F.cross_entropy(
        lib.randn(3, 5), lib.tensor([1, 0, 2]), weight=lib.ones(5, requires_grad=True))),
              RuntimeError, "^The function 'nll_loss_forward' is not differentiable with respect "
                            "to argument 'weight'. This input cannot have requires_grad True.$"),
    ErrorCase(_raises(lambda lib, F: F.mse_loss(lib.randn(3, 5), lib.randn(4))), RuntimeError,
              r"^The size of tensor a \(5\) must match the size of tensor b \(4\) at "
              r"non-singleton dimension 1$"),
    ErrorCase(_raises(lambda lib, F: F.mse_loss(lib.ones(3, dtype=lib.long),
                                                lib.ones(3, dtype=lib.long))),
              NotImplementedError, "\"mse_cpu\" not implemented for 'Long'"),
    ErrorCase(_raises(lambda lib, F: F.mse_loss(lib.randn(3), lib.randn(3), weight=lib.ones(2))),
              ValueError, "^Weights and input must have the same size.$"),
    ErrorCase(_raises(lambda lib, F: F.l1_loss(lib.randn(3), lib.randn(3), reduction="x",
                                               weight=lib.ones(3))),
              ValueError, "^Invalid reduction mode: x. Expected one of 'none', 'mean', 'sum'.$"),
    ErrorCase(_raises(lambda lib, F: F.l1_loss(lib.randn(3), lib.randn(3), reduction="x")),
              ValueError, "^x is not a valid value for reduction$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy(lib.rand(3, 1), lib.rand(3))),
              ValueError, r"^Using a target size \((ember|torch)\.Size\(\[3\]\)\) that is "
                          r"different to the input size \((ember|torch)\.Size\(\[3, 1\]\)\) is "
                          r"deprecated\. Please ensure they have the same size\.$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy(lib.tensor([1.5, 0.2]),
                                                            lib.rand(2))),
              RuntimeError, "^all elements of input should be between 0 and 1$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy(lib.tensor([float("nan"), 0.2]),
                                                            lib.rand(2))),
              RuntimeError, "^all elements of input should be between 0 and 1$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy(lib.tensor([0.5, 0.2]),
                                                            lib.tensor([2.0, -1.0]))),
              RuntimeError, "^all elements of target should be between 0 and 1$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy(lib.rand(2), lib.tensor([1, 0]))),
              RuntimeError, "^Found dtype Long but expected Float$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy_with_logits(lib.rand(3, 1),
                                                                        lib.rand(3))),
              ValueError, r"^Target size \((ember|torch)\.Size\(\[3\]\)\) must be the same as "
                          r"input size \((ember|torch)\.Size\(\[3, 1\]\)\)$"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy_with_logits(
        lib.rand(3, 2), lib.rand(3, 2), pos_weight=lib.ones(3))), RuntimeError,
              r"^The size of tensor a \(3\) must match the size of tensor b \(2\)"),
    ErrorCase(_raises(lambda lib, F: F.binary_cross_entropy_with_logits(
        lib.rand(3, 2), lib.rand(3, 2), weight=lib.ones(2, requires_grad=True))), RuntimeError,
              "^The function 'binary_cross_entropy_with_logits' is not differentiable with "
              "respect to argument 'weight'"),
    ErrorCase(_raises(lambda lib, F: F.kl_div(lib.randn(3), lib.rand(3), reduction="x")),
              ValueError, "^x is not a valid value for reduction$"),
    ErrorCase(_raises(lambda lib, F: F.margin_ranking_loss(lib.randn(3, 2), lib.randn(3, 2),
                                                           lib.ones(3))),
              RuntimeError, r"^margin_ranking_loss : All input tensors should have same "
                            r"dimension but got sizes: input1: (ember|torch)\.Size\(\[3, 2\]\)"),
    ErrorCase(_raises(lambda lib, F: F.multi_margin_loss(lib.randn(3, 5), lib.tensor([1, 2, 3]),
                                                         p=3)),
              ValueError, "^only p == 1 and p == 2 supported$"),
    ErrorCase(_raises(lambda lib, F: F.multi_margin_loss(lib.randn(3, 5), lib.tensor([1, 2, 3]),
                                                         weight=lib.ones(5, 1))),
              ValueError, "^weight must be one-dimensional$"),
    ErrorCase(_raises(lambda lib, F: F.multi_margin_loss(lib.randn(3, 5),
                                                         lib.tensor([1, 2, 7]))),
              RuntimeError, "^target out of range$"),
    ErrorCase(_raises(lambda lib, F: F.multi_margin_loss(lib.randn(3, 5), lib.tensor([1, 2]))),
              RuntimeError, r"^multi_margin_loss: target tensor should be 1-D with size equal to "
                            r"the number of input samples \(batch size\)\. Expected target size "
                            r"\[3\], but got \[2\]\. Input has shape \[3, 5\]\.$"),
    ErrorCase(_raises(lambda lib, F: F.multi_margin_loss(lib.randn(2, 3, 4), lib.tensor([1, 2]))),
              RuntimeError, r"^Expected non-empty vector or matrix with optional 0-dim batch "
                            r"size, but got: \[2, 3, 4\]$"),
    ErrorCase(_raises(lambda lib, F: F.multilabel_margin_loss(lib.randn(3, 5),
                                                              lib.tensor([1, 2, 3]))),
              RuntimeError, r"^inconsistent target size: \[3\] for input of size: \[3, 5\]$"),
    ErrorCase(_raises(lambda lib, F: F.multilabel_margin_loss(
        lib.randn(2, 5), lib.tensor([[1, 2, 7, -1, 0]] * 2))),
              RuntimeError, "^argument #2 'target' is out of range$"),
    ErrorCase(_raises(lambda lib, F: F.cosine_embedding_loss(lib.randn(3, 5), lib.randn(3, 5),
                                                             lib.ones(3, 1))),
              RuntimeError, "^0D or 1D target tensor expected, multi-target not supported$"),
    ErrorCase(_raises(lambda lib, F: F.cosine_embedding_loss(lib.randn(5), lib.randn(5),
                                                             lib.ones(3))),
              RuntimeError, r"^1D target tensor expects 2D input tensors, but found inputs with "
                            r"sizes \[5\] and \[5\]\.$"),
    ErrorCase(_raises(lambda lib, F: F.triplet_margin_loss(lib.randn(3), lib.randn(3),
                                                           lib.randn(3), margin=0)),
              ValueError, "^margin must be greater than 0, got 0$"),
    ErrorCase(_raises(lambda lib, F: F.triplet_margin_with_distance_loss(
        lib.randn(3, 2), lib.randn(3, 2), lib.randn(2))),
              RuntimeError, r"^The anchor, positive, and negative tensors are expected to have "
                            r"the same number of dimensions, but got: anchor 2D, positive 2D, "
                            r"and negative 1D inputs$"),
    ErrorCase(_raises(lambda lib, F: F.smooth_l1_loss(lib.randn(3), lib.randn(3), beta=-1.0)),
              RuntimeError, "^smooth_l1_loss does not support negative values for beta.$"),
    ErrorCase(_raises(lambda lib, F: F.huber_loss(lib.randn(3), lib.randn(3), delta=0.0)),
              RuntimeError, "^huber_loss does not support non-positive values for delta.$"),
    ErrorCase(_raises(lambda lib, F: F.gaussian_nll_loss(lib.randn(3), lib.randn(3),
                                                         -lib.ones(3))),
              ValueError, "^var has negative entry/entries$"),
    ErrorCase(_raises(lambda lib, F: F.gaussian_nll_loss(lib.randn(3, 5), lib.randn(3, 5),
                                                         lib.ones(2, 5))),
              ValueError, "^var is of incorrect size$"),
    ErrorCase(_raises(lambda lib, F: F.gaussian_nll_loss(lib.randn(3), lib.randn(3),
                                                         lib.ones(3), reduction="x")),
              ValueError, "^x is not valid$"),
    ErrorCase(_raises(lambda lib, F: F.poisson_nll_loss(lib.randn(3), lib.randn(3),
                                                        reduction="x")),
              ValueError, "^x is not a valid value for reduction$"),
    ErrorCase(_raises(lambda lib, F: F.multilabel_soft_margin_loss(lib.randn(3), lib.rand(3),
                                                                   reduction="x")),
              ValueError, "^x is not valid$"),
]), OpSpec("ctc_errors", lambda lib: None, shapes=[], error_cases=[
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([7, 5, 4]), lib.tensor([3, 2, 3]))),
              RuntimeError, r"^Expected input_lengths to have value at most 6, but got value 7 "
                            r"\(while checking arguments for ctc_loss_allocate_outputs\)$"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, -1, 4]), lib.tensor([3, 2, 3]))),
              RuntimeError, "^Expected input_lengths to have value at least 0, but got value -1"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([4, 2, 3]))),
              RuntimeError, r"^Expected tensor to have size at least 4 at dimension 1, but got "
                            r"size 3 for argument #2 'targets'"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(7, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([3, 2, 3]))),
              RuntimeError, r"^Expected tensor to have size 8 at dimension 0, but got size 7 for "
                            r"argument #2 'targets'"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, 5]), lib.tensor([3, 2, 3]))),
              RuntimeError, "^input_lengths must be of size batch_size$"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([3, 2]))),
              RuntimeError, "^target_lengths must be of size batch_size$"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6., 5., 4.]), lib.tensor([3, 2, 3]))),
              RuntimeError, "^input_lengths must be integral$"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4).log_softmax(2),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([3, 2, 3]),
                                                blank=4)),
              RuntimeError, "^blank must be in label range$"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(1, 6, 3, 4),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([3, 2, 3]))),
              RuntimeError, r"^Expected 3-dimensional tensor, but got 5-dimensional tensor for "
                            r"argument #1 'log_probs'"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 3, 4),
                                                lib.ones(3, 3, 1, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([3, 2, 3]))),
              RuntimeError, r"^Expected 1 to 2 dimensions, but got 3-dimensional tensor for "
                            r"argument #2 'targets'"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.randn(6, 0, 4),
                                                lib.ones(0, 3, dtype=lib.long),
                                                lib.tensor([], dtype=lib.long),
                                                lib.tensor([], dtype=lib.long))),
              RuntimeError, "^log_probs tensor must not be empty$"),
    ErrorCase(_raises(lambda lib, F: F.ctc_loss(lib.ones(6, 3, 4, dtype=lib.long),
                                                lib.ones(3, 3, dtype=lib.long),
                                                lib.tensor([6, 5, 4]), lib.tensor([3, 2, 3]))),
              NotImplementedError, "\"ctc_loss_cpu\" not implemented for 'Long'"),
])]

make_tests(globals(), CLASSIFICATION + BINARY + REGRESSION + EMBEDDING + CTC + ERRORS)


# ---------------------------------------------------------------------- modules
def _module_inputs(*arrays):
    return lambda rng, dtype: [a.astype(dtype) if a.dtype.kind == "f" else a for a in arrays]


_RNG = np.random.default_rng(7)
_LOGITS, _TARGETS = _RNG.standard_normal((6, 4)), np.array([0, 3, 1, -100, 2, 3])
_WEIGHTS = np.array([0.5, 2.0, 1.0, 1.5])

MODULE_SPECS = [
    ModuleSpec("cross_entropy_loss",
               lambda lib: lib.nn.CrossEntropyLoss(weight=lib.from_numpy(_WEIGHTS.copy()),
                                                   label_smoothing=0.1),
               _module_inputs(_LOGITS, _TARGETS), dtypes=("float64",)),
    ModuleSpec("nll_loss_2d", lambda lib: lib.nn.NLLLoss(ignore_index=1, reduction="sum"),
               _module_inputs(_RNG.standard_normal((2, 4, 3, 3)),
                              _RNG.integers(0, 4, (2, 3, 3)))),
    ModuleSpec("bce_with_logits_loss",
               lambda lib: lib.nn.BCEWithLogitsLoss(pos_weight=lib.from_numpy(_WEIGHTS.copy())),
               _module_inputs(_LOGITS, _RNG.random((6, 4))), dtypes=("float64",)),
    ModuleSpec("mse_loss", lambda lib: lib.nn.MSELoss(reduction="none"),
               _module_inputs(_LOGITS, _RNG.standard_normal((6, 4)))),
    ModuleSpec("kl_div_loss", lambda lib: lib.nn.KLDivLoss(reduction="batchmean",
                                                           log_target=True),
               _module_inputs(_LOGITS, _RNG.standard_normal((6, 4)))),
    ModuleSpec("gaussian_nll_loss", lambda lib: lib.nn.GaussianNLLLoss(full=True),
               _module_inputs(_LOGITS, _RNG.standard_normal((6, 4)),
                              _RNG.random((6, 1)) + 0.1)),
    ModuleSpec("ctc_loss", lambda lib: lib.nn.CTCLoss(blank=1, zero_infinity=True),
               _module_inputs(np.log(_RNG.dirichlet(np.ones(4), (5, 2))),
                              np.array([[0, 2], [3, 3]]), np.array([5, 3]), np.array([2, 2]))),
    ModuleSpec("triplet_margin_with_distance_loss",
               lambda lib: lib.nn.TripletMarginWithDistanceLoss(swap=True),
               _module_inputs(_LOGITS, _RNG.standard_normal((6, 4)),
                              _RNG.standard_normal((6, 4)))),
]

make_module_tests(globals(), MODULE_SPECS)


MODULES = [
    lambda nn, lib: nn.L1Loss(), lambda nn, lib: nn.MSELoss(reduction="sum"),
    lambda nn, lib: nn.CrossEntropyLoss(weight=lib.ones(3), ignore_index=1, label_smoothing=0.1),
    lambda nn, lib: nn.NLLLoss(weight=lib.ones(3)), lambda nn, lib: nn.PoissonNLLLoss(),
    lambda nn, lib: nn.GaussianNLLLoss(full=True), lambda nn, lib: nn.KLDivLoss(log_target=True),
    lambda nn, lib: nn.BCELoss(weight=lib.ones(2)),
    lambda nn, lib: nn.BCEWithLogitsLoss(pos_weight=lib.ones(2)),
    lambda nn, lib: nn.HingeEmbeddingLoss(margin=2.0), lambda nn, lib: nn.MultiLabelMarginLoss(),
    lambda nn, lib: nn.SmoothL1Loss(beta=0.5), lambda nn, lib: nn.HuberLoss(delta=2.0),
    lambda nn, lib: nn.SoftMarginLoss(), lambda nn, lib: nn.MultiLabelSoftMarginLoss(),
    lambda nn, lib: nn.CosineEmbeddingLoss(margin=0.5), lambda nn, lib: nn.MarginRankingLoss(),
    lambda nn, lib: nn.MultiMarginLoss(p=2, weight=lib.ones(3)),
    lambda nn, lib: nn.TripletMarginLoss(swap=True), lambda nn, lib: nn.CTCLoss(blank=2),
    lambda nn, lib: nn.TripletMarginWithDistanceLoss(),
    lambda nn, lib: nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(1)),
]


@pytest.mark.parametrize("build", MODULES)
def test_repr_and_state_dict(build, torch):
    ember_module, torch_module = build(ember.nn, ember), build(torch.nn, torch)
    assert repr(ember_module) == repr(torch_module).replace("torch", "ember")
    assert list(ember_module.state_dict()) == list(torch_module.state_dict())
    assert ember_module.reduction == torch_module.reduction


def test_module_attributes():
    loss = ember.nn.CrossEntropyLoss(ignore_index=3, reduction="sum", label_smoothing=0.2)
    assert (loss.ignore_index, loss.reduction, loss.label_smoothing, loss.weight) == \
        (3, "sum", 0.2, None)
    weight = ember.ones(4)
    assert ember.nn.BCELoss(weight=weight).weight is weight
    assert [name for name, _ in ember.nn.NLLLoss(weight=weight).named_buffers()] == ["weight"]


def test_module_errors():
    with pytest.raises(ValueError, match="^only p == 1 and p == 2 supported$"):
        ember.nn.MultiMarginLoss(p=3)
    with pytest.raises(ValueError, match="expected weight to be None or 1D tensor, got 2D"):
        ember.nn.MultiMarginLoss(weight=ember.ones(2, 2))
    with pytest.raises(ValueError, match="TripletMarginLoss: expected margin to be greater than "
                                         "0, got -1 instead"):
        ember.nn.TripletMarginLoss(margin=-1)
    with pytest.raises(ValueError, match="TripletMarginWithDistanceLoss: expected margin"):
        ember.nn.TripletMarginWithDistanceLoss(margin=0)
    with pytest.raises(TypeError, match="delta must be a float or int, got: <class 'str'>"):
        ember.nn.HuberLoss(delta="1")


def test_nllloss2d_is_deprecated():
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        loss = ember.nn.NLLLoss2d(reduction="sum")
    assert isinstance(loss, ember.nn.NLLLoss) and loss.reduction == "sum"


# ---------------------------------------------------------------------- legacy arguments
@pytest.mark.parametrize("size_average,reduce,expected", [
    (None, False, "none"), (False, None, "sum"), (True, True, "mean"), (False, False, "none"),
    (True, None, "mean")])
def test_legacy_reduction_arguments(size_average, reduce, expected):
    message = f"^size_average and reduce args will be deprecated, please use reduction=" \
              f"'{expected}' instead.$"
    with pytest.warns(UserWarning, match=message):
        module = ember.nn.CrossEntropyLoss(size_average=size_average, reduce=reduce,
                                           reduction="sum")
    assert module.reduction == expected
    x, target = ember.randn(3, 4), ember.tensor([0, 3, 1])
    with pytest.warns(UserWarning, match=message):
        legacy = ember.nn.functional.cross_entropy(x, target, size_average=size_average,
                                                   reduce=reduce)
    expected_value = ember.nn.functional.cross_entropy(x, target, reduction=expected)
    np.testing.assert_allclose(legacy.numpy(), expected_value.numpy())


@pytest.mark.parametrize("call", [
    lambda F, x, t: F.mse_loss(x, t, reduce=False), lambda F, x, t: F.l1_loss(x, t, reduce=False),
    lambda F, x, t: F.binary_cross_entropy(x.sigmoid(), t.sigmoid(), reduce=False),
    lambda F, x, t: F.kl_div(x, t, reduce=False),
    lambda F, x, t: F.poisson_nll_loss(x, t, reduce=False),
    lambda F, x, t: F.multilabel_soft_margin_loss(x, t, reduce=False),
    lambda F, x, t: F.smooth_l1_loss(x, t, reduce=False)])
def test_legacy_reduce_false_gives_no_reduction(call):
    x, t = ember.randn(3, 4), ember.rand(3, 4)
    with pytest.warns(UserWarning, match="please use reduction='none' instead"):
        assert call(ember.nn.functional, x, t).shape[0] == 3


def test_elementwise_mean_is_deprecated():
    x, t = ember.randn(3, 4), ember.randn(3, 4)
    with pytest.warns(UserWarning, match="reduction='elementwise_mean' is deprecated"):
        result = ember.nn.functional.mse_loss(x, t, reduction="elementwise_mean")
    assert result.item() == pytest.approx(ember.nn.functional.mse_loss(x, t).item())


def test_kl_div_mean_warns():
    x, t = ember.randn(3, 4), ember.rand(3, 4)
    with pytest.warns(UserWarning, match="^reduction: 'mean' divides the total loss by both the "
                                         "batch size and the support size.'batchmean'"):
        ember.nn.functional.kl_div(x, t)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.nn.functional.kl_div(x, t, reduction="batchmean")


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_size_mismatch_warns_and_broadcasts(name, torch):
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((3, 5)), rng.standard_normal(5)
    message = r"^Using a target size \(ember.Size\(\[5\]\)\) that is different to the input " \
              r"size \(ember.Size\(\[3, 5\]\)\)\. This will likely lead to incorrect results " \
              r"due to broadcasting\. Please ensure they have the same size\.$"
    results = []
    for lib in (ember, torch):
        input = lib.from_numpy(x.copy()).requires_grad_()
        with pytest.warns(UserWarning, match=message.replace("ember", lib.__name__)):
            loss = getattr(lib.nn.functional, name)(input, lib.from_numpy(t.copy()))
        results.append((loss.detach().numpy(), lib.autograd.grad(loss, input)[0].numpy()))
    for ember_value, torch_value in zip(*results):
        assert_close(ember_value, torch_value, "float64")


# ---------------------------------------------------------------------- edge cases
def _check(torch, call, *arrays, grad=(0,), dtype="float64"):
    """``call(lib, *tensors)`` in both libraries: values and the gradients of ``grad``."""
    results = []
    for lib in (ember, torch):
        tensors = [lib.from_numpy(a.copy()) if isinstance(a, np.ndarray) else a for a in arrays]
        for index in grad:
            tensors[index].requires_grad_()
        loss = call(lib, *tensors)
        seed = lib.ones_like(loss)
        grads = lib.autograd.grad(loss, [tensors[i] for i in grad], seed, allow_unused=True)
        results.append([loss.detach().numpy()] + [g.numpy() for g in grads])
    for ember_value, torch_value in zip(*results):
        assert_close(ember_value, torch_value, dtype)
    return results[0]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("call", [
    lambda lib, x, t, reduction: lib.nn.functional.cross_entropy(x, t, reduction=reduction),
    lambda lib, x, t, reduction: lib.nn.functional.cross_entropy(
        x, t, weight=lib.ones(4, dtype=x.dtype), reduction=reduction, label_smoothing=0.3),
    lambda lib, x, t, reduction: lib.nn.functional.nll_loss(x, t, reduction=reduction),
], ids=["cross_entropy", "cross_entropy_weight_smoothing", "nll_loss"])
def test_all_targets_ignored(call, reduction, torch):
    """The mean is 0/0 = NaN, as in PyTorch; the gradient is 0, not NaN."""
    x = np.random.default_rng(0).standard_normal((3, 4))
    value, grad = _check(torch, lambda lib, x, t: call(lib, x, t, reduction), x,
                          np.full(3, -100))
    assert np.isnan(value).all() if reduction == "mean" else not np.isnan(value).any()
    assert not grad.any()


@pytest.mark.parametrize("function", ["nll_loss", "cross_entropy"])
def test_zero_total_weight_gives_nan_like_pytorch(function, torch):
    x = np.random.default_rng(0).standard_normal((3, 5))
    _check(torch, lambda lib, x, t: getattr(lib.nn.functional, function)(
        x, t, weight=lib.tensor([1.0, 0.0, 0.0, 1.0, 1.0], dtype=lib.float64)),
            x, np.array([1, 1, 2]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("function,arrays", [
    ("cross_entropy", (np.zeros((0, 4)), np.zeros(0, dtype=np.int64))),
    ("cross_entropy", (np.zeros((0, 4)), np.zeros((0, 4)))),
    ("nll_loss", (np.zeros((0, 4, 2)), np.zeros((0, 2), dtype=np.int64))),
    ("mse_loss", (np.zeros((0, 3)), np.zeros((0, 3)))),
    ("l1_loss", (np.zeros((0, 3)), np.zeros((0, 3)))),
    ("binary_cross_entropy", (np.zeros((0, 3)), np.zeros((0, 3)))),
    ("binary_cross_entropy_with_logits", (np.zeros((0, 3)), np.zeros((0, 3)))),
    ("smooth_l1_loss", (np.zeros(0), np.zeros(0))),
    ("soft_margin_loss", (np.zeros(0), np.zeros(0))),
    ("poisson_nll_loss", (np.zeros(0), np.zeros(0))),
])
def test_empty_batch(function, arrays, reduction, torch):
    _check(torch, lambda lib, x, t: getattr(lib.nn.functional, function)(
        x, t, reduction=reduction), *arrays)


def test_empty_batch_with_label_smoothing(torch):
    _check(torch, lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, label_smoothing=0.2),
            np.zeros((0, 4)), np.zeros(0, dtype=np.int64))


@pytest.mark.parametrize("function", ["binary_cross_entropy", "binary_cross_entropy_with_logits",
                                      "kl_div", "poisson_nll_loss", "mse_loss",
                                      "multilabel_soft_margin_loss"])
def test_all_zero_targets(function, torch):
    x = np.random.default_rng(0).uniform(0.1, 0.9, (3, 4))
    _check(torch, lambda lib, x, t: getattr(lib.nn.functional, function)(
        x, t, reduction="sum"), x, np.zeros((3, 4)))


def test_gaussian_nll_clamped_variance(torch):
    """Variances below ``eps`` are clamped, and the clamp passes their gradient through."""
    rng = np.random.default_rng(0)
    x, t, var = rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.random((3, 4))
    _check(torch, lambda lib, x, t, v: lib.nn.functional.gaussian_nll_loss(
        x, t, v, eps=0.5, reduction="none"), x, t, var, grad=(0, 1, 2))


def test_poisson_full_with_zero_and_one_targets(torch):
    """Stirling's term is masked for targets <= 1 (its log(0) never leaks into the loss)."""
    x = np.random.default_rng(0).uniform(0.1, 2.0, 6)
    _check(torch, lambda lib, x, t: lib.nn.functional.poisson_nll_loss(
        x, t, log_input=False, full=True, reduction="none"), x,
            np.array([0.0, 1.0, 0.5, 2.0, 3.0, 0.0]))


def test_binary_cross_entropy_at_zero_and_one(torch):
    """The logs are clamped at -100 (a finite loss) and the gradient's denominator at 1e-12."""
    x = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.3])
    value, grad = _check(torch, lambda lib, x, t: lib.nn.functional.binary_cross_entropy(
        x, t, reduction="none"), x, t)
    np.testing.assert_allclose(value[2:4], [100.0, 100.0])


def test_binary_cross_entropy_with_logits_is_stable(torch):
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    t = np.array([1.0, 0.0, 0.5, 1.0, 0.0])
    value, _ = _check(torch, lambda lib, x, t: lib.nn.functional.binary_cross_entropy_with_logits(
        x, t, pos_weight=lib.tensor([2.0], dtype=lib.float64), reduction="none"), x, t)
    assert np.isfinite(value).all()


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_large_logits(smoothing, torch):
    x = np.array([[1000.0, -1000.0, 0.0], [-5e3, 5e3, 1.0]])
    _check(torch, lambda lib, x, t: lib.nn.functional.cross_entropy(
        x, t, label_smoothing=smoothing), x, np.array([1, 0]))


def test_cross_entropy_float32_against_float64_probabilities(torch):
    """Mixed dtypes promote like PyTorch (a float64 target makes a float64 loss)."""
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((3, 4)).astype("float32"), rng.random((3, 4))
    for lib in (ember, torch):
        loss = lib.nn.functional.cross_entropy(lib.from_numpy(x), lib.from_numpy(t))
        assert str(loss.dtype).endswith("float64")


def test_negative_label_smoothing_is_ignored(torch):
    x = np.random.default_rng(0).standard_normal((3, 4))
    _check(torch, lambda lib, x, t: lib.nn.functional.cross_entropy(x, t, label_smoothing=-0.5),
            x, np.array([0, 3, 1]))


@pytest.mark.parametrize("function", ["nll_loss", "cross_entropy"])
def test_unbatched_input_with_one_target(function, torch):
    """A ``(1,)`` target of a ``(C,)`` input counts as unbatched (PyTorch's backward of this
    case fails, so only the values are compared)."""
    x = np.random.default_rng(0).standard_normal(5)
    results = [getattr(lib.nn.functional, function)(lib.from_numpy(x), lib.tensor([3]),
                                                    reduction="none").numpy()
               for lib in (ember, torch)]
    assert_close(*results, "float64")


def test_uint8_targets(torch):
    x = np.random.default_rng(0).standard_normal((3, 4))
    _check(torch, lambda lib, x, t: lib.nn.functional.nll_loss(x, t), x,
            np.array([0, 3, 1], dtype=np.uint8))


# ---------------------------------------------------------------------- CTC
def _ctc_arrays(batch=3, steps=8, classes=5, seed=0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((steps, batch, classes))
    return logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))


@pytest.mark.parametrize("lengths", ["tensor", "tuple"])
def test_ctc_padded_and_concatenated_targets_agree(lengths, torch):
    log_probs = _ctc_arrays()
    padded = np.array([[1, 1, 2, 0], [3, 9, 9, 9], [4, 2, 4, 2]])
    concatenated = np.array([1, 1, 2, 3, 4, 2, 4, 2])
    input_lengths, target_lengths = [8, 6, 7], [3, 1, 4]

    def call(targets):
        def loss(lib, x):
            make = (lambda v: lib.tensor(v)) if lengths == "tensor" else tuple
            return lib.nn.functional.ctc_loss(x, lib.from_numpy(targets), make(input_lengths),
                                              make(target_lengths), reduction="none")
        return loss

    padded_result = _check(torch, call(padded), log_probs)
    concatenated_result = _check(torch, call(concatenated), log_probs)
    for a, b in zip(padded_result, concatenated_result):
        assert_close(a, b, "float64")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ctc_unbatched(reduction, torch):
    _check(torch, lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.tensor([1, 2, 2]), lib.tensor(8), lib.tensor(3), reduction=reduction),
            _ctc_arrays(batch=1)[:, 0])


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_infeasible_alignments(zero_infinity, torch):
    """Without zero_infinity the loss is inf and the gradient NaN over the valid steps (as in
    PyTorch); with it both are 0."""
    targets = np.array([[1, 1, 1], [2, 3, 0]])
    value, grad = _check(torch, lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.from_numpy(targets), (3, 4), (3, 2), reduction="none",
        zero_infinity=zero_infinity), _ctc_arrays(batch=2, steps=4))
    assert value[0] == (0.0 if zero_infinity else np.inf) and np.isfinite(value[1])
    assert np.isnan(grad[:3, 0]).all() != zero_infinity
    assert not grad[3, 0].any()


def test_ctc_empty_targets_and_inputs(torch):
    log_probs = _ctc_arrays(batch=3, steps=5)
    value, _ = _check(torch, lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.zeros(3, 0, dtype=lib.long), (5, 0, 3), (0, 0, 0), reduction="none"), log_probs)
    assert value[1] == 0


def test_ctc_float32(torch):
    log_probs = _ctc_arrays(batch=4, steps=30, classes=12, seed=3).astype("float32")
    targets = np.random.default_rng(1).integers(1, 12, (4, 10))
    _check(torch, lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.from_numpy(targets), (30, 25, 20, 30), (10, 7, 10, 1)), log_probs,
            dtype="float32")


def test_ctc_grad_fn_and_double_backward():
    log_probs = ember.from_numpy(_ctc_arrays()).requires_grad_()
    targets, lengths = ember.tensor([[1, 2], [3, 3], [1, 4]]), (ember.tensor([8, 8, 8]),
                                                                ember.tensor([2, 2, 2]))
    loss = ember.nn.functional.ctc_loss(log_probs, targets, *lengths, reduction="none")
    assert type(loss.grad_fn).__name__ == "CtcLossBackward0"
    (grad,) = ember.autograd.grad(loss.sum(), log_probs, create_graph=True)
    with pytest.raises(RuntimeError, match="derivative for aten::_ctc_loss_backward is not "
                                           "implemented"):
        ember.autograd.grad(grad.sum(), log_probs)


# ---------------------------------------------------------------------- fused graph nodes
@pytest.mark.parametrize("call,name", [
    (lambda F, x: F.cross_entropy(x, ember.tensor([0, 2, 1])), "NllLossBackward0"),
    (lambda F, x: F.cross_entropy(x.reshape(3, 2, 2), ember.tensor([[0, 1]] * 3)),
     "NllLoss2DBackward0"),
    (lambda F, x: F.nll_loss(x, ember.tensor([0, 2, 1])), "NllLossBackward0"),
    (lambda F, x: F.mse_loss(x, ember.zeros(3, 4)), "MseLossBackward0"),
    (lambda F, x: F.binary_cross_entropy_with_logits(x, ember.zeros(3, 4)),
     "BinaryCrossEntropyWithLogitsBackward0"),
    (lambda F, x: F.binary_cross_entropy(x.sigmoid(), ember.zeros(3, 4)),
     "BinaryCrossEntropyBackward0"),
])
def test_fused_losses_are_one_node(call, name):
    x = ember.randn(3, 4, requires_grad=True)
    loss = call(ember.nn.functional, x)
    assert type(loss.grad_fn).__name__ == name
    assert all(type(node).__name__ in ("AccumulateGrad", "ViewBackward0", "SigmoidBackward0")
               for node, _ in loss.grad_fn.next_functions if node is not None)


def test_cross_entropy_double_backward_matches_pytorch(torch):
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((4, 5)), np.array([0, 4, 2, 1])
    results = []
    for lib in (ember, torch):
        input = lib.from_numpy(x.copy()).requires_grad_()
        loss = lib.nn.functional.cross_entropy(input, lib.from_numpy(t), label_smoothing=0.1,
                                               weight=lib.from_numpy(np.arange(1.0, 6.0)))
        (grad,) = lib.autograd.grad(loss, input, create_graph=True)
        (second,) = lib.autograd.grad((grad * grad).sum(), input)
        results.append(second.numpy())
    assert_close(*results, "float64")
