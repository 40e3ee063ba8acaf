"""``F.batch_norm``, ``F.instance_norm``, ``F.layer_norm``, ``F.group_norm``, ``F.rms_norm``,
``F.local_response_norm`` and ``F.normalize``."""

import ember
from ember._ops import normalization

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm",
           "local_response_norm", "normalize"]


def _verify_batch_size(size):
    values = size[0]
    for extent in size[2:]:
        values *= extent
    if values == 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         f"{size}")


def _verify_spatial_size(size):
    values = 1
    for extent in size[2:]:
        values *= extent
    if values == 1:
        raise ValueError("Expected more than 1 spatial element when training, got input size "
                         f"{size}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    r"""Applies Batch Normalization to each channel (dim 1) over a mini-batch.

    In training the batch's statistics normalize the input and update ``running_mean`` and
    ``running_var`` in place (unbiased variance, ``momentum`` weighting the new value);
    otherwise the running statistics are used.
    """
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    return normalization.batch_norm(input, weight, bias, running_mean, running_var, training,
                                    momentum, eps)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Applies Instance Normalization: each channel of each sample is normalized on its own."""
    if use_input_stats:
        _verify_spatial_size(input.size())
    return normalization.instance_norm(input, weight, bias, running_mean, running_var,
                                       use_input_stats, momentum, eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Applies Layer Normalization over the last ``len(normalized_shape)`` dimensions."""
    return normalization.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Applies Group Normalization: the channels of each sample are normalized in
    ``num_groups`` groups."""
    if input.dim() < 2:
        raise RuntimeError("Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    _verify_batch_size([input.size(0) * input.size(1) // num_groups, num_groups]
                       + list(input.size()[2:]))
    return normalization.group_norm(input, num_groups, weight, bias, eps)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Applies Root Mean Square Layer Normalization over the last
    ``len(normalized_shape)`` dimensions (``eps`` defaults to the dtype's machine epsilon)."""
    return normalization.rms_norm(input, normalized_shape, weight, eps)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    r"""Divides each element by :math:`(k + \alpha\,\mathrm{mean}(x^2))^\beta`, the mean
    taken over ``size`` neighbouring channels (zero-padded)."""
    dim = input.dim()
    if dim < 3:
        raise ValueError("Expected 3D or higher dimensionality                          input "
                         f"(got {dim} dimensions)")
    if input.numel() == 0:
        return input
    squares = input * input
    shape = list(squares.shape)
    before, after = size // 2, (size - 1) // 2
    padded = ember.cat([squares.new_zeros(shape[:1] + [before] + shape[2:]), squares,
                        squares.new_zeros(shape[:1] + [after] + shape[2:])], dim=1)
    channels = shape[1]
    window = padded[:, :channels]
    for offset in range(1, size):
        window = window + padded[:, offset:offset + channels]
    return input / (window / size * alpha + k) ** beta


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    r"""Divides ``input`` by its :math:`L_p` norm over ``dim`` (at least ``eps``)."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return ember.div(input, denom, out=out)
