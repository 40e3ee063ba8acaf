"""Normalization: batch, layer and group norm are fused ops (one forward and one backward
kernel each); instance norm runs batch norm on a reshaped input and RMS norm is composed.

The backward formulas are the closed forms over a few reductions. Under ``create_graph`` they
recompute the statistics from the recorded input, so double backward differentiates through
the mean and the variance as well.
"""

import math

import numpy as np

from ember._ops._checks import wrap_dim
from ember._tensor import _make
from ember.autograd.function import Op
from ember.autograd.grad_mode import no_grad, state
from ember.backends import namespace

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm"]


def _moments(xp, input, axis):
    """The mean and the biased variance of ``input`` over ``axis``, with kept dimensions."""
    mean = xp.mean(input, axis=axis, keepdims=True)
    centered = input - mean
    return mean, xp.mean(centered * centered, axis=axis, keepdims=True)


def _rstd(xp, var, eps):
    return 1 / xp.sqrt(var + eps)


def _row_dot(xp, a, b):
    """``sum(a * b)`` over the last axis, kept, without a full-size temporary."""
    return xp.expand_dims(xp.einsum("...k,...k->...", a, b), -1)


def _normalize_rows(xp, values, eps):
    """``(values - mean) * rstd`` with statistics over the last axis; also the mean and rstd
    (forward only: it works in place)."""
    mean = xp.mean(values, axis=-1, keepdims=True)
    normalized = values - mean
    rstd = _rstd(xp, _row_dot(xp, normalized, normalized) / values.shape[-1], eps)
    normalized *= rstd
    return normalized, mean, rstd


def _row_statistics(ctx, values, mean, rstd):
    """The saved mean and rstd; recomputed from the recorded input under ``create_graph``, so
    that double backward differentiates through them."""
    if not state.create_graph:
        return mean, rstd
    mean, var = _moments(ctx.xp, values, -1)
    return mean, _rstd(ctx.xp, var, ctx.eps)


def _input_grad_terms(grad_sum, dot, mean, rstd, count):
    """PyTorch's closed form of the input gradient of ``(input - mean) * rstd`` (statistics
    over groups of ``count`` elements): ``rstd * g + b * input + c``, where ``grad_sum`` and
    ``dot`` are the group sums of ``g`` (the gradient of the normalized values) and of
    ``g * input``. Returns ``b, c``; no centered copy of the input is needed."""
    b = (grad_sum * mean - dot) * rstd * rstd * rstd / count
    return b, -b * mean - grad_sum * rstd / count


def _channels_3d(tensor):
    """``(N, C, *)`` viewed as ``(N, C, prod(*))``."""
    shape = tensor.shape
    return tensor.reshape(shape[0], shape[1], math.prod(shape[2:]))


# ---------------------------------------------------------------------- batch norm
class NativeBatchNorm(Op):
    """``(input - mean) * invstd * weight + bias`` per channel (dim 1), with ``mean`` and
    ``invstd`` of shape ``(1, C, 1)``: the batch's statistics when ``training``, otherwise the
    running ones (then constants of the gradient)."""

    @staticmethod
    def forward(ctx, xp, input, weight, bias, mean, invstd, training, eps):
        scale = invstd if weight is None else invstd * weight.reshape(-1, 1)
        shift = -mean * scale if bias is None else bias.reshape(-1, 1) - mean * scale
        output = _channels_3d(input) * scale
        output += shift
        needs = ctx.needs_input_grad
        ctx.training, ctx.eps = training, eps
        ctx.save_for_backward(input if training and needs[0] or needs[1] else None,
                              weight if needs[0] else None, mean, invstd)
        return output.reshape(input.shape)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, mean, invstd = ctx.saved_tensors
        needs = ctx.needs_input_grad
        xp = ctx.xp
        grad = _channels_3d(grad_output)
        grad_sum = xp.sum(grad, axis=(0, 2), keepdims=True)
        grad_input = grad_weight = None
        if input is not None:
            values = _channels_3d(input)
            if ctx.training and state.create_graph:
                mean, var = _moments(xp, values, (0, 2))
                invstd = _rstd(xp, var, ctx.eps)
            centered = values - mean
            dot = xp.einsum("ncm,ncm->c", grad, centered).reshape(1, -1, 1)
            grad_weight = (dot * invstd).reshape(-1) if needs[1] else None
        if needs[0]:
            scale = invstd if weight is None else invstd * weight.reshape(-1, 1)
            if ctx.training:
                count = grad.shape[0] * grad.shape[2]
                grad = grad - grad_sum / count - centered * (dot * invstd * invstd / count)
            grad_input = (grad * scale).reshape(grad_output.shape)
        grad_bias = grad_sum.reshape(-1) if needs[2] else None
        return grad_input, grad_weight, grad_bias, None, None, None, None


def _check_channel_vector(tensor, name, channels):
    if tensor is not None and tensor.numel() != channels:
        raise RuntimeError(f"{name} should contain {channels} elements not {tensor.numel()}")


def _update_running(running, batch_value, momentum):
    """``running = momentum * batch_value + (1 - momentum) * running``, in place."""
    with no_grad():
        running._write(_make(momentum * batch_value.reshape(-1)
                             + (1 - momentum) * running._data))


def _batch_statistics(input, running_mean, running_var, momentum, eps):
    """The batch's mean and invstd, shaped ``(1, C, 1)``; updates the running statistics."""
    xp = namespace(input._data)
    values = _channels_3d(input._data)
    mean, var = _moments(xp, values, (0, 2))
    if running_mean is not None:
        _update_running(running_mean, mean, momentum)
    if running_var is not None:
        count = values.shape[0] * values.shape[2]
        _update_running(running_var, var * count / (count - 1), momentum)
    return mean, _rstd(xp, var, eps)


def _running_statistics(running_mean, running_var, eps):
    # a copy: the buffer changes in place at the next training step, the saved mean must not
    mean = running_mean._data.reshape(1, -1, 1).copy()
    return mean, _rstd(namespace(mean), running_var._data.reshape(1, -1, 1), eps)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled=True):
    """Normalizes each channel (dim 1) of ``input`` by the batch's statistics (``training``,
    updating the running ones in place) or by ``running_mean`` and ``running_var``."""
    channels = input.shape[wrap_dim(1, input.dim())]
    for tensor, name in ((running_mean, "running_mean"), (running_var, "running_var"),
                         (weight, "weight"), (bias, "bias")):
        _check_channel_vector(tensor, name, channels)
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be "
                           "defined in evaluation mode")
    if input.numel() == 0:  # PyTorch's empty-batch path: no statistics, the graph kept
        output = input.clone()
        output = output * weight[0] if weight is not None else output
        return output + bias[0] if bias is not None else output
    if training:
        mean, invstd = _batch_statistics(input, running_mean, running_var, momentum, eps)
    else:
        mean, invstd = _running_statistics(running_mean, running_var, eps)
    return NativeBatchNorm.apply(input, weight, bias, mean, invstd, training, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                  eps, cudnn_enabled=True):
    """Normalizes each channel of each sample: batch norm on the input viewed as
    ``(1, N * C, *)``; running statistics are averaged over the batch."""
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    batch, channels = input.shape[0], input.shape[wrap_dim(1, input.dim())]
    repeated = [t.repeat(batch) if t is not None else None
                for t in (weight, bias, running_mean, running_var)]
    shape = (1, batch * channels) + tuple(input.shape[2:])
    output = batch_norm(input.contiguous().view(shape), *repeated, use_input_stats, momentum,
                        eps)
    with no_grad():
        for running, updated in zip((running_mean, running_var), repeated[2:]):
            if running is not None:
                running._write(updated.view(batch, channels).mean(0))
    return output.view(input.shape)


# ---------------------------------------------------------------------- layer norm
class NativeLayerNorm(Op):
    """Normalizes the rows of ``input`` viewed as ``(M, K)`` (the last dims flattened), then
    applies the element-wise ``weight`` and ``bias`` of ``normalized_shape``."""

    @staticmethod
    def forward(ctx, xp, input, weight, bias, normalized_shape, eps):
        values = input.reshape(-1, math.prod(normalized_shape))
        output, mean, rstd = _normalize_rows(xp, values, eps)
        if weight is not None:
            output *= weight.reshape(-1)
        if bias is not None:
            output += bias.reshape(-1)
        if any(ctx.needs_input_grad):
            ctx.normalized_shape, ctx.eps = normalized_shape, eps
            ctx.save_for_backward(input, weight, mean, rstd)
        return output.reshape(input.shape)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, mean, rstd = ctx.saved_tensors
        needs = ctx.needs_input_grad
        xp = ctx.xp
        shape = ctx.normalized_shape
        values = input.reshape(-1, math.prod(shape))
        mean, rstd = _row_statistics(ctx, values, mean, rstd)
        grad = grad_output.reshape(values.shape)
        grad_input = grad_weight = grad_bias = None
        if needs[0]:
            grad_normalized = grad * weight.reshape(-1) if weight is not None else grad
            b, c = _input_grad_terms(xp.sum(grad_normalized, axis=-1, keepdims=True),
                                     _row_dot(xp, grad_normalized, values), mean, rstd,
                                     values.shape[-1])
            grad_input = (grad_normalized * rstd + values * b + c).reshape(grad_output.shape)
        if needs[1]:
            grad_weight = xp.einsum("mk,mk->k", grad, (values - mean) * rstd).reshape(shape)
        if needs[2]:
            grad_bias = xp.sum(grad, axis=0).reshape(shape)
        return grad_input, grad_weight, grad_bias, None, None


def _shape_list(shape):
    return f"[{', '.join(map(str, shape))}]"


def _check_normalized_shape(function, input, normalized_shape, weights):
    if isinstance(normalized_shape, int):
        raise TypeError(f"{function}(): argument 'normalized_shape' (position 2) must be tuple "
                        "of ints, not int")
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    for tensor, name in weights:
        if tensor is not None and tuple(tensor.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {_shape_list(tensor.shape)} and "
                               f"normalized_shape = {_shape_list(shape)}")
    if input.dim() < len(shape) or tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={_shape_list(shape)}, expected input with "
                           f"shape [{'*, ' if function == 'layer_norm' else '*'}"
                           f"{_shape_list(shape)[1:]}, but got input of "
                           f"size{_shape_list(input.shape)}")
    return shape


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    """Normalizes over the last ``len(normalized_shape)`` dimensions, then scales by
    ``weight`` and shifts by ``bias`` (element-wise)."""
    shape = _check_normalized_shape("layer_norm", input, normalized_shape,
                                    ((weight, "weight"), (bias, "bias")))
    return NativeLayerNorm.apply(input, weight, bias, shape, eps)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    r"""Divides by the root mean square over the last ``len(normalized_shape)`` dimensions,
    :math:`x / \sqrt{\mathrm{mean}(x^2) + \epsilon}`, then scales by ``weight``."""
    shape = _check_normalized_shape("rms_norm", input, normalized_shape, ((weight, "weight"),))
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(-len(shape), 0))
    output = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return output * weight if weight is not None else output


# ---------------------------------------------------------------------- group norm
class NativeGroupNorm(Op):
    """Normalizes ``input`` viewed as ``(N, groups, C // groups * prod(*))`` over the last
    dimension, then applies the per-channel ``weight`` and ``bias``."""

    @staticmethod
    def forward(ctx, xp, input, weight, bias, groups, eps):
        values = input.reshape(input.shape[0], groups, math.prod(input.shape[1:]) // groups)
        output, mean, rstd = _normalize_rows(xp, values, eps)
        output = _channels_3d(output.reshape(input.shape))
        if weight is not None:
            output *= weight.reshape(-1, 1)
        if bias is not None:
            output += bias.reshape(-1, 1)
        if any(ctx.needs_input_grad):
            ctx.groups, ctx.eps = groups, eps
            ctx.save_for_backward(input, weight, mean, rstd)
        return output.reshape(input.shape)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, mean, rstd = ctx.saved_tensors
        needs = ctx.needs_input_grad
        xp = ctx.xp
        shape, groups = input.shape, ctx.groups
        batch, channels = shape[0], shape[1]
        size = channels // groups
        rows = input.reshape(batch, groups, math.prod(shape[1:]) // groups)
        mean, rstd = _row_statistics(ctx, rows, mean, rstd)
        values, grad = _channels_3d(input), _channels_3d(grad_output)
        # sums over each (sample, channel), then per channel or per group, as PyTorch's kernel
        grad_sum = xp.sum(grad, axis=-1)
        dot = xp.einsum("ncm,ncm->nc", grad, values)

        def per_channel(group_values):  # (N, G, 1) -> (N, C)
            return xp.broadcast_to(group_values, (batch, groups, size)).reshape(batch, channels)

        def per_group(channel_values):  # (N, C) -> (N, G, 1)
            return xp.sum(channel_values.reshape(batch, groups, size), axis=-1, keepdims=True)

        grad_input = grad_weight = grad_bias = None
        if needs[0]:
            scale = per_channel(rstd)
            if weight is not None:
                weight = weight.reshape(1, -1)
                scale, grad_sum_w, dot_w = scale * weight, grad_sum * weight, dot * weight
            else:
                grad_sum_w, dot_w = grad_sum, dot
            b, c = _input_grad_terms(per_group(grad_sum_w), per_group(dot_w), mean, rstd,
                                     values.shape[-1] * size)
            grad_input = grad * xp.expand_dims(scale, -1) + values * xp.expand_dims(
                per_channel(b), -1) + xp.expand_dims(per_channel(c), -1)
            grad_input = grad_input.reshape(shape)
        if needs[1]:
            grad_weight = xp.sum((dot - grad_sum * per_channel(mean)) * per_channel(rstd),
                                 axis=0)
        if needs[2]:
            grad_bias = xp.sum(grad_sum, axis=0)
        return grad_input, grad_weight, grad_bias, None, None


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    """Normalizes each of ``num_groups`` groups of channels of each sample, then applies the
    per-channel ``weight`` and ``bias``."""
    channels = input.shape[1]
    if channels % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {_shape_list(input.shape)} and "
                           f"num_groups={num_groups}")
    for tensor, name in ((weight, "weight"), (bias, "bias")):
        if tensor is not None and (tensor.dim() != 1 or tensor.numel() != channels):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape "
                               f"{_shape_list(tensor.shape)} and input of shape "
                               f"{_shape_list(input.shape)}")
    return NativeGroupNorm.apply(input, weight, bias, num_groups, eps)
