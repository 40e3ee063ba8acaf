"""Dropout: one fused op multiplying by a saved random scale (``mask / (1 - p)``), plus a shift
for alpha dropout. Masks come from ember's default generator, so ``manual_seed`` repeats them."""

import math

from ember._tensor import _scalar_type_name
from ember.autograd.function import Op
from ember.backends import namespace
from ember.random import numpy_generator

__all__ = ["dropout", "dropout_", "feature_dropout", "feature_dropout_", "alpha_dropout",
           "alpha_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_"]

_SELU_ALPHA = 1.7580993408473766  # SELU's scale * alpha: the value alpha dropout drops to


class Dropout(Op):
    """``input * scale``, ``scale`` a constant array broadcasting to ``input``."""

    node_name = "MulBackward0"  # PyTorch's CPU dropout is a multiplication by the noise

    @staticmethod
    def forward(ctx, xp, input, scale):
        ctx.save_for_backward(scale)
        return input * scale

    @staticmethod
    def backward(ctx, grad_output):
        (scale,) = ctx.saved_tensors
        return grad_output * scale, None


class AlphaDropout(Op):
    """``input * scale + shift`` with constant arrays ``scale`` and ``shift``."""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, xp, input, scale, shift):
        ctx.save_for_backward(scale)
        output = input * scale
        output += shift
        return output

    @staticmethod
    def backward(ctx, grad_output):
        (scale,) = ctx.saved_tensors
        return grad_output * scale, None, None


def _noise_shape(input, feature):
    shape = tuple(input.shape)
    if not feature:
        return shape
    if len(shape) < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return shape[:2] + (1,) * (len(shape) - 2)


def _keep_mask(input, p, feature):
    """1 (kept, probability ``1 - p``) or 0 per element, or per channel when ``feature``."""
    dtype = input._data.dtype
    shape = _noise_shape(input, feature)
    mask = numpy_generator().random(shape, dtype="float32") < 1 - p
    return namespace(input._data).asarray(mask, dtype=dtype)


def _dropout(input, p, train, feature, alpha, inplace):
    if not 0 <= p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        result = Dropout.apply(input, namespace(input._data).zeros((), input._data.dtype))
    elif input._data.dtype.kind not in "fc":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{_scalar_type_name(input.dtype)}")
    elif alpha:
        keep = _keep_mask(input, p, feature)
        a = 1 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
        shift = (keep - 1) * (_SELU_ALPHA * a) + _SELU_ALPHA * a * p
        result = AlphaDropout.apply(input, keep * a, shift)
    else:
        result = Dropout.apply(input, _keep_mask(input, p, feature) / (1 - p))
    return input._write(result) if inplace else result


def dropout(input, p, train):
    """Zeroes each element with probability ``p`` and scales the rest by ``1 / (1 - p)`` when
    ``train``; returns ``input`` itself otherwise."""
    return _dropout(input, p, train, False, False, False)


def dropout_(input, p, train):
    """In-place :func:`dropout`."""
    return _dropout(input, p, train, False, False, True)


def feature_dropout(input, p, train):
    """Zeroes whole channels (dim 1 of an ``(N, C, *)`` input) with probability ``p`` and
    scales the rest by ``1 / (1 - p)`` when ``train``."""
    return _dropout(input, p, train, True, False, False)


def feature_dropout_(input, p, train):
    """In-place :func:`feature_dropout`."""
    return _dropout(input, p, train, True, False, True)


def alpha_dropout(input, p, train):
    """Dropout for SELU networks: dropped elements take SELU's negative saturation value, and
    an affine map keeps the mean and the variance of the input."""
    return _dropout(input, p, train, False, True, False)


def alpha_dropout_(input, p, train):
    """In-place :func:`alpha_dropout`."""
    return _dropout(input, p, train, False, True, True)


def feature_alpha_dropout(input, p, train):
    """:func:`alpha_dropout` of whole channels."""
    return _dropout(input, p, train, True, True, False)


def feature_alpha_dropout_(input, p, train):
    """In-place :func:`feature_alpha_dropout`."""
    return _dropout(input, p, train, True, True, True)
