"""Vision functions: ``F.pad``, ``F.interpolate`` (and the deprecated ``upsample*``),
``F.grid_sample``, ``F.affine_grid``, ``F.pixel_shuffle``, ``F.pixel_unshuffle`` and
``F.channel_shuffle``, with PyTorch's checks and messages (array work in
``ember/_ops/padding.py`` and ``ember/_ops/resample.py``)."""

import math
import operator
import warnings

import numpy as np

import ember
from ember._ops import padding as _padding
from ember._ops import resample as _resample
from ember._tensor import _scalar_type_name
from ember.nn._functional import pooling as _pooling

__all__ = ["pad", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
           "grid_sample", "affine_grid", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle",
           "native_channel_shuffle"]


# ---------------------------------------------------------------------- padding
_MODES = ("constant", "reflect", "replicate", "circular")
_LABELS = ("D", "H", "W")


def _pad_list(pad):
    if not isinstance(pad, (tuple, list)):
        raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, not "
                        f"{type(pad).__name__}")
    for index, item in enumerate(pad):
        if not hasattr(item, "__index__") or isinstance(item, bool):
            raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, but "
                            f"found element of type {type(item).__name__} at pos {index}")
    return tuple(operator.index(item) for item in pad)


def pad(input, pad, mode="constant", value=None):
    r"""Pads ``input``. ``pad`` lists ``(before, after)`` for the last dimension, then the one
    before it, and so on; negative values crop. ``mode`` is ``'constant'`` (any number of
    dimensions, filled with ``value``), or ``'reflect'``, ``'replicate'``, ``'circular'`` (the
    last 1, 2 or 3 dimensions of a batched or unbatched input)."""
    pad = _pad_list(pad)
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * input.dim():
        raise RuntimeError("Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.dim()}")
    pairs = tuple(zip(pad[-2::-2], pad[::-2]))  # (before, after) from the first padded dim
    if mode == "constant":
        sizes = input.shape[input.dim() - len(pairs):]
        if any(size + min(before, 0) + min(after, 0) < 0
               for size, (before, after) in zip(sizes, pairs)):
            raise RuntimeError("narrow(): length must be non-negative.")
        return _padding.constant_pad(input, pairs, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    nd = len(pairs)
    if not 1 <= nd <= 3 or input.dim() not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    _check_index_pad(input, pairs, mode)
    return _padding.index_pad(input, pairs, mode)


def _check_index_pad(input, pairs, mode):
    nd = len(pairs)
    sizes = input.shape[-nd:]
    if mode != "circular" and 0 in input.shape[1 if input.dim() == nd + 2 else 0:]:
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with possibly "
                           "0 batch size and other non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    outputs = [size + before + after for size, (before, after) in zip(sizes, pairs)]
    if mode == "circular":
        if any(before > size or after > size for size, (before, after) in zip(sizes, pairs)):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        cores = [size - max(-before, 0) - max(-after, 0)
                 for size, (before, after) in zip(sizes, pairs)]
        if min(outputs) < 0 or any(core <= 0 < out for core, out in zip(cores, outputs)):
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
        return
    if mode == "reflect":
        for index in reversed(range(nd)):
            before, after = pairs[index]
            if before >= sizes[index] or after >= sizes[index]:
                raise RuntimeError(
                    f"Argument #{4 + 2 * (nd - 1 - index)}: Padding size should be less than "
                    "the corresponding input dimension, but got: padding "
                    f"({before}, {after}) at dimension {input.dim() - nd + index} of input "
                    f"{list(input.shape)}")
    labels = _LABELS[3 - nd:]
    if nd == 1 and outputs[0] < 1:
        raise RuntimeError(f"input (W: {sizes[0]}) is too small. Calculated output W: "
                           f"{outputs[0]}")
    if mode == "replicate" and min(outputs) < 1:
        calculated = " ".join(f"{label}: {size}" for label, size in zip(labels, outputs))
        given = ", ".join(f"{label}: {size}" for label, size in zip(labels, sizes))
        raise RuntimeError(f"Calculated output {calculated} must be >= 1 in every dimension "
                           f"(input {given})")
    if nd == 2 and max(outputs) < 1:
        raise RuntimeError(f"input (H: {sizes[0]}, W: {sizes[1]}) is too small. Calculated "
                           f"output H: {outputs[0]} W: {outputs[1]}")
    if min(outputs) < 0:
        shape = list(input.shape[:-nd]) + outputs
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(outputs)}: "
                           f"{shape}")


# ---------------------------------------------------------------------- interpolation
_INTERPOLATING = ("linear", "bilinear", "bicubic", "trilinear")
_OP_NAMES = {("nearest", 1): "UpsampleNearest1D", ("nearest", 2): "UpsampleNearest2D",
             ("nearest", 3): "UpsampleNearest3D", ("nearest-exact", 1): "UpsampleNearestExact1D",
             ("nearest-exact", 2): "UpsampleNearestExact2D",
             ("nearest-exact", 3): "UpsampleNearestExact3D", ("linear", 1): "UpsampleLinear1D",
             ("bilinear", 2): "UpsampleBilinear2D", ("bicubic", 2): "UpsampleBicubic2D",
             ("trilinear", 3): "UpsampleTrilinear3D"}
_WRONG_DIMS = {("bilinear", 3): 4, ("trilinear", 3): 5, ("linear", 4): 3, ("trilinear", 4): 5,
               ("linear", 5): 3, ("bilinear", 5): 4}


def _is_integer(value):
    return isinstance(value, (int, np.integer)) or (
        isinstance(value, ember.Tensor) and not value.is_floating_point())


def _sizes_and_scales(input, size, scale_factor, recompute_scale_factor, mode):
    """PyTorch's handling of ``size`` / ``scale_factor``: the output size per spatial dim and
    the scales the kernels use (``None`` when recomputed from the sizes)."""
    nd = input.dim() - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {spatial} and output size of {size}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output "
                    "size in (o1, o2, ...,oK) format.")
            if not all(_is_integer(s) for s in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, "
                                "int] or Tuple[int, int, int], but got size with types "
                                f"{[type(s) for s in size]}")
            output_size = [int(s) for s in size]
        else:
            if not _is_integer(size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, "
                                f"int] or Tuple[int, int, int], but got size {size!r}")
            output_size = [int(size)] * nd
        scales = None
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != nd:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, "
                    f"but got input with spatial dimensions of {spatial} and scale_factor of "
                    f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, "
                    "...,dK) format and scale_factor in (s1, s2, ...,sK) format.")
            scales = [float(s) for s in scale_factor]
        else:
            scales = [float(scale_factor)] * nd
        output_size = [int(length * scale) for length, scale in zip(spatial, scales)]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if recompute_scale_factor or mode == "area":
        scales = None
    return output_size, scales


def _check_sizes(input, output_size):
    nd = len(output_size)
    spatial = input.shape[2:]
    if input.numel() == 0 and math.prod(input.shape[1:]) == 0:
        raise RuntimeError(f"Non-empty {nd + 2}D data tensor expected but got a tensor with "
                           f"sizes {list(input.shape)}")
    if min(spatial) <= 0 or min(output_size) <= 0:
        labels = _LABELS[3 - nd:]
        given = ", ".join(f"{label}: {s}" for label, s in zip(labels, spatial))
        wanted = ", ".join(f"{label}: {s}" for label, s in zip(labels, output_size))
        joint = " and output" if nd == 1 else " output"
        raise RuntimeError("Input and output sizes should be greater than 0, but got input "
                           f"({given}){joint} ({wanted})")


def _maps(mode, input, output_size, scales, align_corners):
    dtype = input._data.dtype
    maps = []
    for index, (length, out) in enumerate(zip(input.shape[2:], output_size)):
        scale = scales[index] if scales else None
        if mode in ("nearest", "nearest-exact"):
            maps.append(_resample.nearest_map(length, out, scale, mode == "nearest-exact"))
        elif mode == "bicubic":
            maps.append(_resample.cubic_map(length, out, scale, align_corners, dtype))
        else:
            maps.append(_resample.linear_map(length, out, scale, align_corners, dtype))
    return maps


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    r"""Down/up samples ``input`` (N, C, *spatial) to ``size`` or by ``scale_factor``.

    ``mode``: ``'nearest'``, ``'nearest-exact'``, ``'linear'`` (3-D), ``'bilinear'`` (4-D),
    ``'bicubic'`` (4-D), ``'trilinear'`` (5-D) or ``'area'`` (adaptive average pooling).
    ``align_corners`` maps the corner pixels' centres onto each other (interpolating modes);
    otherwise pixels are squares and the edges are replicated. Source positions follow
    PyTorch's arithmetic exactly.
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    nd = input.dim() - 2
    output_size, scales = _sizes_and_scales(input, size, scale_factor, recompute_scale_factor,
                                            mode)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if antialias:
        raise NotImplementedError("interpolate(): antialias=True is not supported by ember")
    if mode == "area" and 1 <= nd <= 3:
        pools = {1: _pooling.adaptive_avg_pool1d, 2: _pooling.adaptive_avg_pool2d,
                 3: _pooling.adaptive_avg_pool3d}
        return pools[nd](input, output_size)
    name = _OP_NAMES.get((mode, nd))
    if name is None:
        if (mode, input.dim()) in _WRONG_DIMS:
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                      f"{_WRONG_DIMS[mode, input.dim()]}D input")
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for "
            "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
            f"nearest-exact (got {mode})")
    _check_sizes(input, output_size)
    if not input.is_floating_point() and not (mode.startswith("nearest")
                                               and input.dtype == ember.uint8):
        raise NotImplementedError(f'"{name}" not implemented for '
                                  f"'{_scalar_type_name(input._data.dtype)}'")
    return _resample.resample(input, _maps(mode, input, output_size, scales, align_corners),
                              name)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    r"""Deprecated alias of :func:`interpolate`."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    r"""Deprecated: :func:`interpolate` with ``mode='nearest'``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    r"""Deprecated: :func:`interpolate` with ``mode='bilinear', align_corners=True``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---------------------------------------------------------------------- grid sampling
def _warn_align_corners():
    warnings.warn("Default grid_sample and affine_grid behavior has changed to "
                  "align_corners=False since 1.3.0. Please specify align_corners=True if the "
                  "old behavior is desired. See the documentation of grid_sample for details.",
                  stacklevel=3)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    r"""Samples ``input`` (N, C, H, W) or (N, C, D, H, W) at the normalized positions of
    ``grid`` (N, H_out, W_out, 2) or (N, D_out, H_out, W_out, 3): ``(-1, -1)`` is the top-left
    corner (its pixel's centre with ``align_corners=True``). ``mode``: ``'bilinear'``,
    ``'nearest'`` or ``'bicubic'`` (4-D); ``padding_mode``: ``'zeros'``, ``'border'`` or
    ``'reflection'``. Differentiable in ``input`` and ``grid``."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        _warn_align_corners()
        align_corners = False
    _check_grid_sample(input, grid, mode)
    return _resample.grid_sampler(input, grid, mode, padding_mode, align_corners)


def _check_grid_sample(input, grid, mode):
    sizes, grid_sizes = list(input.shape), list(grid.shape)
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {sizes} and grid with sizes {grid_sizes}")
    if grid.shape[-1] != input.dim() - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.dim() - 2} in "
                           f"last dimension, but got grid with sizes {grid_sizes}")
    for dim in range(2, input.dim()):
        if input.shape[dim] == 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {sizes} with dimension {dim} "
                               "being empty")
    expected = 4 if input.dim() == 4 else 5
    if input.dim() != expected or grid.dim() != expected:
        raise RuntimeError(f"grid_sampler(): expected {expected}D input and grid with same "
                           f"number of dimensions, but got input with sizes {sizes} and grid "
                           f"with sizes {grid_sizes}")
    if mode == "bicubic" and input.dim() == 5:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if not input.is_floating_point():
        raise NotImplementedError(f'"grid_sampler_{expected - 2}d_cpu_kernel_impl" not '
                                  f"implemented for '{_scalar_type_name(input._data.dtype)}'")
    if grid.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_type_name(input._data.dtype)} but "
                           f"found {_scalar_type_name(grid._data.dtype)}")


def _linspace_from_neg_one(steps, align_corners, dtype):
    """PyTorch's base grid coordinates along one dimension."""
    if steps <= 1:
        return np.zeros(max(steps, 1), dtype=dtype)
    step = dtype(2) / dtype(steps - 1)
    positions = np.arange(steps)
    half = steps // 2
    values = np.where(positions < half, dtype(-1) + positions.astype(dtype) * step,
                      dtype(1) - (steps - 1 - positions).astype(dtype) * step).astype(dtype)
    if not align_corners:
        values = (values * dtype(steps - 1) / dtype(steps)).astype(dtype)
    return values


def affine_grid(theta, size, align_corners=None):
    r"""The sampling grid of the affine maps ``theta`` (N, 2, 3) or (N, 3, 4) for an output
    of ``size`` (N, C, H, W) or (N, C, D, H, W), for :func:`grid_sample`."""
    if align_corners is None:
        _warn_align_corners()
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(size)
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    spatial = size[2:]
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if theta.shape[0] != size[0]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{size[0]}, {len(spatial) + 1}] but got: [{theta.shape[0]}, "
                           f"{len(spatial) + 1}].")
    dtype = theta._data.dtype.type
    axes = [_linspace_from_neg_one(n, align_corners, dtype) for n in reversed(spatial)]
    coordinates = np.meshgrid(*axes, indexing="xy" if len(spatial) == 2 else "ij")
    if len(spatial) == 3:  # meshgrid "ij" over (x, y, z) gives (W, H, D): put D first
        coordinates = [c.transpose(2, 1, 0) for c in coordinates]
    ones = np.ones(coordinates[0].shape, dtype=dtype)
    base = np.stack([*coordinates, ones], axis=-1).reshape(-1, len(spatial) + 1)
    grid = ember.matmul(ember.tensor(base, device=theta.device), theta.transpose(1, 2))
    return grid.view((size[0],) + spatial + (len(spatial),))


# ---------------------------------------------------------------------- pixel and channel shuffles
def pixel_shuffle(input, upscale_factor):
    r"""Rearranges (*, C r^2, H, W) into (*, C, H r, W r)."""
    if input.dim() < 3:
        raise RuntimeError("pixel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.dim()} dimension(s)")
    if upscale_factor <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got "
                           f"{upscale_factor}")
    channels, height, width = input.shape[-3:]
    r = upscale_factor
    if channels % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be "
                           "divisible by the square of upscale_factor, but input.size(-3)="
                           f"{channels} is not divisible by {r * r}")
    lead = tuple(input.shape[:-3])
    n = len(lead)
    output = input.reshape(lead + (channels // (r * r), r, r, height, width))
    output = output.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return output.reshape(lead + (channels // (r * r), height * r, width * r))


def pixel_unshuffle(input, downscale_factor):
    r"""Rearranges (*, C, H r, W r) into (*, C r^2, H, W), the inverse of
    :func:`pixel_shuffle`."""
    if input.dim() < 3:
        raise RuntimeError("pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    if downscale_factor <= 0:
        raise RuntimeError("pixel_unshuffle expects a positive downscale_factor, but got "
                           f"{downscale_factor}")
    channels, height, width = input.shape[-3:]
    r = downscale_factor
    for name, value, dim in (("height", height, -2), ("width", width, -1)):
        if value % r:
            raise RuntimeError(f"pixel_unshuffle expects {name} to be divisible by "
                               f"downscale_factor, but input.size({dim})={value} is not "
                               f"divisible by {r}")
    lead = tuple(input.shape[:-3])
    n = len(lead)
    output = input.reshape(lead + (channels, height // r, r, width // r, r))
    output = output.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return output.reshape(lead + (channels * r * r, height // r, width // r))


def channel_shuffle(input, groups):
    r"""Splits the channels (dim 1) into ``groups`` and interleaves them."""
    if input.dim() <= 2:
        raise RuntimeError("channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(input.shape)}")
    if groups <= 0:
        raise RuntimeError("Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    channels = input.shape[1]
    if channels % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {channels} "
                           f"channels and {groups} groups.")
    batch, rest = input.shape[0], tuple(input.shape[2:])
    output = input.reshape((batch, groups, channels // groups) + rest).transpose(1, 2)
    return output.reshape((batch, channels) + rest)


native_channel_shuffle = channel_shuffle
