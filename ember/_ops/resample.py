"""Resampling: ``interpolate``'s modes and adaptive average pooling (separable, one map per
dimension), and ``grid_sample`` (a gather at per-point positions).

A separable resampling is a linear map per dimension, output position ``j`` reading
``sum_t weight[t][j] * input[index[t][j]]``: the forward gathers (exact, like PyTorch's
kernels), the gradient multiplies by the map's small dense transpose (one matmul per
dimension). The source positions follow PyTorch's arithmetic: nearest in float32, the others
in the input's dtype.
"""

import itertools
import math

import numpy as np

from ember._ops.pooling import (
    _axis_window_spread,
    _axis_window_sums,
    _gather_flat,
    _GatherFlat,
    _ScatterAddFlat,
    adaptive_windows,
)
from ember.autograd.function import Op

__all__ = []


# ---------------------------------------------------------------------- per-dimension maps
class _Repeat:
    """Each input element repeated ``factor`` times (nearest upsampling by an integer)."""

    def __init__(self, factor):
        self.factor = factor

    def apply(self, xp, array, axis):
        f = self.factor
        return _axis_window_spread(xp, array, axis, f, f, array.shape[axis] * f)

    def adjoint(self, xp, grad, axis):
        f = self.factor
        return _axis_window_sums(xp, grad, axis, f, f, grad.shape[axis] // f)


class _BlockMean:
    """The mean of consecutive blocks of ``factor`` elements (adaptive pooling that divides)."""

    def __init__(self, factor):
        self.factor = factor

    def apply(self, xp, array, axis):
        f = self.factor
        total = _axis_window_sums(xp, array, axis, f, f, array.shape[axis] // f)
        return (total / f).astype(array.dtype, copy=False)

    def adjoint(self, xp, grad, axis):
        f = self.factor
        return _axis_window_spread(xp, (grad / f).astype(grad.dtype, copy=False), axis, f, f,
                                   grad.shape[axis] * f)


class _Gather:
    """Output ``j`` is ``sum_t weights[t][j] * input[indices[t][j]]`` (no weights: one tap)."""

    def __init__(self, input_size, indices, weights=None):
        self.input_size, self.indices, self.weights = input_size, indices, weights

    def apply(self, xp, array, axis):
        if self.weights is None:
            return xp.take(array, xp.asarray(self.indices[0]), axis=axis)
        shape = (-1,) + (1,) * (-axis - 1)
        result = None
        for index, weight in zip(self.indices, self.weights):
            term = xp.take(array, xp.asarray(index), axis=axis)
            term *= xp.asarray(weight, dtype=array.dtype).reshape(shape)
            if result is None:
                result = term
            else:
                result += term
        return result

    def adjoint(self, xp, grad, axis):
        count = len(self.indices[0])
        matrix = xp.zeros((count, self.input_size), dtype=grad.dtype)
        rows = xp.arange(count)
        weights = self.weights or (1,)
        for index, weight in zip(self.indices, weights):
            matrix[rows, xp.asarray(index)] += xp.asarray(weight, dtype=grad.dtype)
        if axis == -1:
            return grad @ matrix
        position = grad.ndim + axis
        rest = math.prod(grad.shape[position + 1:])
        columns = grad.reshape(grad.shape[:position + 1] + (rest,))
        result = xp.matmul(matrix.T, columns)
        return result.reshape(grad.shape[:position] + (self.input_size,)
                              + grad.shape[position + 1:])


def _opmath(dtype):
    """PyTorch's accumulation dtype for a float dtype: float64 stays, the rest use float32."""
    return np.float64 if np.dtype(dtype) == np.float64 else np.float32


def _scale_value(input_size, output_size, scale, dtype):
    """PyTorch's ``compute_scales_value``: ``1 / scale`` when given, else in / out."""
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(input_size) / dtype(output_size)


def nearest_map(input_size, output_size, scale, exact):
    """The map of ``nearest`` / ``nearest-exact`` (PyTorch's float32 source index)."""
    positions = np.arange(output_size)
    ratio = _scale_value(input_size, output_size, scale, np.float32)
    source = (positions + 0.5) * np.float64(ratio) if exact else \
        positions.astype(np.float32) * ratio
    index = np.minimum(np.floor(source.astype(np.float32)).astype(np.int64), input_size - 1)
    if output_size % input_size == 0 and np.array_equal(
            index, positions // (output_size // input_size)):
        return _Repeat(output_size // input_size)
    return _Gather(input_size, (index,))


def _source_index(input_size, output_size, scale, align_corners, cubic, dtype):
    """PyTorch's ``area_pixel_compute_source_index`` for every output position."""
    if align_corners:
        ratio = dtype(input_size - 1) / dtype(output_size - 1) if output_size > 1 else dtype(0)
    else:
        ratio = _scale_value(input_size, output_size, scale, dtype)
    positions = np.arange(output_size).astype(dtype)
    if align_corners:
        return ratio * positions
    source = ratio * (positions + dtype(0.5)) - dtype(0.5)
    return source if cubic else np.maximum(source, dtype(0))


def _guarded(source, input_size):
    """PyTorch's ``guard_index_and_lambda``: the floor index and the fraction past it."""
    index = np.minimum(np.floor(source).astype(np.int64), input_size - 1)
    return index, np.clip(source - index, 0, 1).astype(source.dtype)


def linear_map(input_size, output_size, scale, align_corners, dtype):
    """The map of ``linear`` along one dimension; ``None`` (a copy) for an unchanged size,
    whatever the scale, like PyTorch's kernels."""
    if input_size == output_size:
        return None
    dtype = _opmath(dtype)
    source = _source_index(input_size, output_size, scale, align_corners, False, dtype)
    index, fraction = _guarded(source, input_size)
    following = index + (index < input_size - 1)
    return _Gather(input_size, (index, following), (1 - fraction, fraction))


def cubic_coefficients(t, a=-0.75):
    """The weights of the 4 taps around a point ``t`` past the second (Keys, ``a=-0.75``)."""
    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def cubic_map(input_size, output_size, scale, align_corners, dtype):
    """The map of ``bicubic`` along one dimension (taps clamped to the edge)."""
    dtype = _opmath(dtype)
    source = _source_index(input_size, output_size, scale, align_corners, True, dtype)
    index, fraction = _guarded(source, input_size)
    indices = tuple(np.clip(index - 1 + t, 0, input_size - 1) for t in range(4))
    return _Gather(input_size, indices, cubic_coefficients(fraction))


def area_map(input_size, output_size, dtype):
    """Adaptive average pooling along one dimension (windows of PyTorch's floor/ceil rule)."""
    if output_size and input_size % output_size == 0:
        return _BlockMean(input_size // output_size)
    starts, ends = (np.asarray(v, dtype=np.int64) for v in adaptive_windows(input_size,
                                                                            output_size))
    lengths = ends - starts
    longest = int(lengths.max()) if output_size else 1  # one empty tap for an empty output
    inverse = 1 / lengths.astype(_opmath(dtype))
    indices = tuple(np.minimum(starts + t, ends - 1) for t in range(longest))
    weights = tuple(np.where(t < lengths, inverse, 0) for t in range(longest))
    return _Gather(input_size, indices, weights)


# ---------------------------------------------------------------------- resampling ops
class _Resample(Op):
    """Applies one map per trailing dimension (``None`` keeps a dimension)."""

    grad_op = None

    @staticmethod
    def forward(ctx, xp, input, maps):
        ctx.maps = maps
        result = input
        for axis, resampling in zip(range(-len(maps), 0), maps):
            if resampling is not None:
                result = resampling.apply(xp, result, axis)
        return result if result is not input else input.copy()

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.grad_op.call(grad_output, ctx.maps), None


class _ResampleBackward(Op):
    forward_op = None

    @staticmethod
    def forward(ctx, xp, grad_output, maps):
        ctx.maps = maps
        for axis, resampling in reversed(list(zip(range(-len(maps), 0), maps))):
            if resampling is not None:
                grad_output = resampling.adjoint(xp, grad_output, axis)
        return grad_output

    @staticmethod
    def backward(ctx, grad):
        return ctx.forward_op.call(grad, ctx.maps), None


def _resample_op(name):
    forward = type(name, (_Resample,), {"__module__": __name__})
    forward.grad_op = type(name + "Backward", (_ResampleBackward,),
                           {"forward_op": forward, "__module__": __name__})
    return forward


_OPS = {name: _resample_op(name) for name in (
    "UpsampleNearest1D", "UpsampleNearest2D", "UpsampleNearest3D", "UpsampleNearestExact1D",
    "UpsampleNearestExact2D", "UpsampleNearestExact3D", "UpsampleLinear1D",
    "UpsampleBilinear2D", "UpsampleBicubic2D", "UpsampleTrilinear3D", "AdaptiveAvgPool2D",
    "AdaptiveAvgPool3D")}


def resample(input, maps, name):
    """Applies ``maps`` to the trailing dims of ``input``; ``grad_fn`` is ``<name>Backward0``."""
    return _OPS[name].apply(input, tuple(maps))


# ---------------------------------------------------------------------- grid sampling
def _clip(xp, source, slope, size):
    """Clamps to ``[0, size - 1]``; the borders themselves count as outside for the gradient."""
    inside = (source > 0) & (source < size - 1)
    return xp.clip(source, 0, size - 1), slope * inside


def _reflect(xp, source, slope, twice_low, twice_high):
    """Reflects about the borders ``twice_low / 2`` and ``twice_high / 2`` until inside."""
    if twice_low == twice_high:
        return xp.zeros_like(source), slope * 0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    shifted = source - low
    sign = xp.where(shifted < 0, -1, 1).astype(source.dtype)
    shifted = xp.abs(shifted)
    extra = xp.fmod(shifted, span)
    even = xp.fmod(xp.floor(shifted / span), 2) == 0
    result = xp.where(even, extra + low, span - extra + low).astype(source.dtype)
    return result, slope * sign * xp.where(even, 1, -1).astype(source.dtype)


def _unnormalize(coordinate, size, align_corners):
    """Grid coordinates in [-1, 1] to pixel positions, and the slope of the map."""
    if align_corners:
        scale = (size - 1) / 2
        return (coordinate + 1) * scale, scale
    scale = size / 2
    return (coordinate + 1) * scale - 0.5, scale


def _padded_position(xp, source, slope, size, padding_mode, align_corners):
    """PyTorch's ``compute_coordinates``: the border / reflection rule on a position."""
    if padding_mode == "border":
        return _clip(xp, source, slope, size)
    if padding_mode == "reflection":
        if align_corners:
            source, slope = _reflect(xp, source, slope, 0, 2 * (size - 1))
        else:
            source, slope = _reflect(xp, source, slope, -1, 2 * size - 1)
        return _clip(xp, source, slope, size)
    return source, slope


class _Sampling:
    """Where ``grid_sample`` reads. Per tap: a flat index, a validity mask and its tap number
    along each dimension; per dimension: the position's floor, and the position as
    ``slope * grid + offset`` so the weights can be rebuilt from the grid (arrays, or tensors
    for double backward)."""

    _STEPS = {"nearest": (0,), "bilinear": (0, 1), "bicubic": (-1, 0, 1, 2)}

    def __init__(self, xp, spatial, grid, mode, padding_mode, align_corners):
        nd = len(spatial)
        self.mode, self.nd = mode, nd
        self.fractions, self.slopes, self.offsets, floors = [], [], [], []
        for i, size in enumerate(spatial):
            coordinate = grid[..., nd - 1 - i]
            source, slope = _unnormalize(coordinate, size, align_corners)
            slope = xp.full(source.shape, slope, dtype=grid.dtype)
            if mode != "bicubic":
                source, slope = _padded_position(xp, source, slope, size, padding_mode,
                                                 align_corners)
            finite = xp.isfinite(source) & (xp.abs(source) < 2.0 ** 31 - 1)
            source = xp.where(finite, source, -100).astype(grid.dtype)
            floor = xp.rint(source) if mode == "nearest" else xp.floor(source)
            floors.append(floor)
            self.fractions.append(source - floor)
            self.slopes.append(slope)
            self.offsets.append(source - floor - slope * coordinate)
        self.taps = []
        places = [math.prod(spatial[i + 1:]) for i in range(nd)]
        steps = self._STEPS[mode]
        for choice in itertools.product(range(len(steps)), repeat=nd):
            flat, valid = 0, True
            for i, size in enumerate(spatial):
                position = floors[i] + steps[choice[i]]
                if mode == "bicubic":
                    position, _ = _padded_position(xp, position, 0, size, padding_mode,
                                                   align_corners)
                valid = valid & (position >= 0) & (position <= size - 1)
                flat = flat + xp.clip(position, 0, size - 1).astype(xp.int64) * places[i]
            self.taps.append((xp.expand_dims(flat, 1), xp.expand_dims(valid, 1), choice))

    def grid_fractions(self, grid):
        """The fractions past the floors as functions of ``grid`` (locally linear)."""
        nd = self.nd
        return [grid[..., nd - 1 - i] * slope + offset
                for i, (slope, offset) in enumerate(zip(self.slopes, self.offsets))]

    def factors(self, fractions):
        """Per dimension, the weight of each tap number as a function of the fraction."""
        if self.mode == "nearest":
            return [(1,) for _ in fractions]
        if self.mode == "bilinear":
            return [(1 - t, t) for t in fractions]
        return [cubic_coefficients(t) for t in fractions]

    def derivatives(self, fractions):
        """Per dimension, d weight / d fraction of each tap number."""
        if self.mode == "bilinear":
            return [(-1, 1) for _ in fractions]
        a = -0.75

        def near(x):
            return (3 * (a + 2) * x - 2 * (a + 3)) * x

        def far(x):
            return (3 * a * x - 10 * a) * x + 8 * a

        return [(far(t + 1), near(t), -near(1 - t), -far(2 - t)) for t in fractions]

    def weights(self, factors):
        """Each tap's weight, (N, 1, *out): zero where the tap falls outside the input."""
        result = []
        for _, valid, choice in self.taps:
            weight = 1
            for i in range(self.nd):
                weight = _channel_axis(factors[i][choice[i]]) * weight
            result.append(valid if isinstance(weight, int) else weight * valid)
        return result


def _channel_axis(factor):
    return factor[:, None] if not isinstance(factor, (int, float)) else factor


def _sample(xp, sampling, input, weights):
    result = None
    for (flat, _, _), weight in zip(sampling.taps, weights):
        term = _gather_flat(xp, input, flat, sampling.nd) * weight
        result = term if result is None else result + term
    return result


class _GridSampler(Op):
    @staticmethod
    def forward(ctx, xp, input, grid, mode, padding_mode, align_corners):
        sampling = _Sampling(xp, input.shape[2:], grid, mode, padding_mode, align_corners)
        ctx.sampling = sampling
        ctx.save_for_backward(input, grid)
        return _sample(xp, sampling, input, sampling.weights(sampling.factors(
            sampling.fractions)))

    @staticmethod
    def backward(ctx, grad_output):
        input, grid = ctx.saved_tensors
        sampling = ctx.sampling
        fractions = sampling.grid_fractions(grid)
        factors = sampling.factors(fractions)
        grad_input = grad_grid = None
        if ctx.needs_input_grad[0]:
            spatial = tuple(input.shape[2:])
            for (flat, _, _), weight in zip(sampling.taps, sampling.weights(factors)):
                term = _ScatterAddFlat.call(grad_output * weight, flat, spatial)
                grad_input = term if grad_input is None else grad_input + term
        if ctx.needs_input_grad[1]:
            grad_grid = _grid_gradient(ctx.xp, sampling, input, grid, grad_output, fractions,
                                       factors)
        return grad_input, grad_grid, None, None, None


def _grid_gradient(xp, sampling, input, grid, grad_output, fractions, factors):
    """d loss / d grid: per dimension, the sampled values times d weight / d fraction, times
    the slope d fraction / d grid."""
    if sampling.mode == "nearest":
        return xp.zeros_like(grid)
    nd = sampling.nd
    derivatives = sampling.derivatives(fractions)
    grads = [0] * nd
    for flat, valid, choice in sampling.taps:
        value = xp.sum(_GatherFlat.call(input, flat, nd) * grad_output, axis=1) * valid[:, 0]
        for i in range(nd):
            term = value * derivatives[i][choice[i]]
            for j in range(nd):
                if j != i:
                    term = term * factors[j][choice[j]]
            grads[i] = grads[i] + term
    return xp.stack([grads[i] * sampling.slopes[i] for i in reversed(range(nd))], -1)


class GridSampler2D(_GridSampler):
    pass


class GridSampler3D(_GridSampler):
    pass


def grid_sampler(input, grid, mode, padding_mode, align_corners):
    """Samples ``input`` (N, C, *spatial) at ``grid`` (N, *out, ndim); checked by ``F``."""
    op = GridSampler2D if input.dim() == 4 else GridSampler3D
    return op.apply(input, grid, mode, padding_mode, align_corners)
