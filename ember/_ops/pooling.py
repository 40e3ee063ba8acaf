"""Pooling over the trailing 1-3 dimensions: max (with PyTorch's flat indices), average,
adaptive max, and max unpooling; adaptive average pooling is a resampling (``resample.py``).

The kernels loop over kernel offsets, never over pixels: element ``offset`` of every window is
one strided slice of the padded input, so a max pool compares K slices (remembering which
offset won) and its gradient puts K masked slices back. Average pooling is separable: window
sums along one dimension at a time. ``geometry`` is ``(kernel_size, stride, padding, dilation,
output_size)``, one entry per pooled dimension; the functional layer validates it.
"""

import itertools
import math

from ember.autograd.function import Op

__all__ = []


# ---------------------------------------------------------------------- windows
def _offsets(kernel_size):
    return itertools.product(*map(range, kernel_size))


def _window(offset, stride, dilation, output_size):
    """The slices picking element ``offset`` of every window."""
    return (Ellipsis,) + tuple(slice(o * d, o * d + (n - 1) * s + 1, s)
                               for o, s, d, n in zip(offset, stride, dilation, output_size))


def _extents(spatial, geometry):
    """Per dimension, the padded length the windows span (at least left pad + input)."""
    kernel_size, stride, padding, dilation, output_size = geometry
    return tuple(max((n - 1) * s + d * (k - 1) + 1, p + size) for size, k, s, p, d, n
                 in zip(spatial, kernel_size, stride, padding, dilation, output_size))


def _padded(xp, input, geometry, fill):
    """``input`` with ``fill`` around its pooled dims, as far as the windows reach."""
    padding = geometry[2]
    spatial = input.shape[len(input.shape) - len(padding):]
    extents = _extents(spatial, geometry)
    if extents == spatial:
        return input
    result = xp.full(input.shape[:len(input.shape) - len(padding)] + extents, fill,
                     dtype=input.dtype)
    result[(Ellipsis,) + tuple(slice(p, p + size) for p, size in zip(padding, spatial))] = input
    return result


def _cropped(xp, array, padding, spatial):
    """The input's region of a padded array (the adjoint of :func:`_padded`)."""
    if array.shape[array.ndim - len(spatial):] == tuple(spatial):
        return array
    return xp.ascontiguousarray(
        array[(Ellipsis,) + tuple(slice(p, p + size) for p, size in zip(padding, spatial))])


def _overlapping(geometry):
    kernel_size, stride, _, dilation, _ = geometry
    return any(s < d * (k - 1) + 1 for k, s, d in zip(kernel_size, stride, dilation))


# ---------------------------------------------------------------------- max pooling
def _filled(xp, shape, value, dtype):
    """A C-contiguous array of ``shape`` holding ``value`` broadcast (``astype`` of a
    broadcast view keeps its odd memory order, which slows every later op)."""
    result = xp.empty(shape, dtype=dtype)
    result[...] = value
    return result


def _lowest(xp, dtype):
    return -xp.inf if dtype.kind == "f" else xp.iinfo(dtype).min


def _max_values(xp, padded, geometry):
    """The max of every window (no argmax: inference and no-grad calls)."""
    kernel_size, stride, _, dilation, output_size = geometry
    result = None
    for offset in _offsets(kernel_size):
        view = padded[_window(offset, stride, dilation, output_size)]
        if result is None:
            result = view.copy()
        else:
            xp.maximum(result, view, out=result)
    return result


def _max_argmax(xp, padded, geometry, has_nan):
    """The max of every window and the kernel offset (row-major number) it was found at: the
    first maximum, or the last NaN, like PyTorch's kernels."""
    kernel_size, stride, _, dilation, output_size = geometry
    dtype = xp.uint8 if math.prod(kernel_size) < 256 else xp.int32
    result = argmax = better = None
    for k, offset in enumerate(_offsets(kernel_size)):
        view = padded[_window(offset, stride, dilation, output_size)]
        if result is None:
            result = view.copy()
            argmax = _filled(xp, result.shape, _first_inside(xp, geometry), dtype)
            better = xp.empty(result.shape, dtype=bool)
            chosen = xp.empty(result.shape, dtype=dtype)
            continue
        xp.greater(view, result, out=better)
        if has_nan:
            better |= xp.isnan(view)
        # arithmetic, not where(): masked copies are several times slower
        xp.maximum(result, view, out=result)
        xp.multiply(better, argmax.dtype.type(k), out=chosen)
        xp.maximum(argmax, chosen, out=argmax)  # k grows, so this sets argmax = k where better
    return result, argmax


def _first_inside(xp, geometry):
    """Per window, the number of its first offset past the left padding: PyTorch's starting
    index, kept when nothing beats -inf (a window of -inf, or of padding only)."""
    kernel_size, stride, padding, dilation, output_size = geometry
    nd = len(kernel_size)
    number = 0
    for i, (k, s, p, d, n) in enumerate(zip(kernel_size, stride, padding, dilation,
                                            output_size)):
        skipped = xp.maximum(-((xp.arange(n) * s - p) // d), 0)  # ceil((p - o s) / d)
        number = number * k + skipped.reshape((-1,) + (1,) * (nd - 1 - i))
    return number


def _flat_indices(xp, argmax, geometry, spatial):
    """PyTorch's indices: each max's position in the flattened (unpadded) pooled dims."""
    kernel_size, stride, padding, dilation, output_size = geometry
    nd = len(kernel_size)
    rest = argmax.astype(xp.int64)
    flat, place = 0, 1
    for i in reversed(range(nd)):
        rest, offset = xp.divmod(rest, kernel_size[i])
        start = (xp.arange(output_size[i]) * stride[i] - padding[i]).reshape(
            (-1,) + (1,) * (nd - 1 - i))
        flat = flat + (start + offset * dilation[i]) * place
        place *= spatial[i]
    return flat


def _max_scatter(xp, grad_output, argmax, geometry, input_shape):
    """Each window's gradient added at its max (the adjoint of :func:`_max_select`)."""
    kernel_size, stride, padding, dilation, output_size = geometry
    nd = len(kernel_size)
    spatial = input_shape[len(input_shape) - nd:]
    result = xp.zeros(input_shape[:len(input_shape) - nd] + _extents(spatial, geometry),
                      dtype=grad_output.dtype)
    overlapping = _overlapping(geometry)
    for k, offset in enumerate(_offsets(kernel_size)):
        target = result[_window(offset, stride, dilation, output_size)]
        if overlapping:
            target += grad_output * (argmax == k)
        else:
            xp.multiply(grad_output, argmax == k, out=target)
    return _cropped(xp, result, padding, spatial)


def _max_select(xp, input, argmax, geometry):
    """The element of every window of ``input`` at offset ``argmax``."""
    kernel_size, stride, _, dilation, output_size = geometry
    padded = _padded(xp, input, geometry, 0)
    result = xp.zeros(argmax.shape, dtype=input.dtype)
    for k, offset in enumerate(_offsets(kernel_size)):
        result += padded[_window(offset, stride, dilation, output_size)] * (argmax == k)
    return result


class _MaxPoolWithIndices(Op):
    grad_op = None  # the named backward op of each dimensionality

    @staticmethod
    def forward(ctx, xp, input, geometry, return_indices):
        padded = _padded(xp, input, geometry, _lowest(xp, input.dtype))
        if not (ctx.needs_input_grad[0] or return_indices):
            return _max_values(xp, padded, geometry)
        has_nan = input.dtype.kind == "f" and bool(xp.isnan(input).any())
        output, argmax = _max_argmax(xp, padded, geometry, has_nan)
        ctx.argmax, ctx.geometry, ctx.input_shape = argmax, geometry, input.shape
        if return_indices:
            nd = len(geometry[0])
            return output, _flat_indices(xp, argmax, geometry, input.shape[input.ndim - nd:])
        return output

    @staticmethod
    def backward(ctx, grad_output, grad_indices=None):
        return ctx.grad_op.call(grad_output, ctx.argmax, ctx.geometry, ctx.input_shape), None, \
            None


class _MaxPoolBackward(Op):
    @staticmethod
    def forward(ctx, xp, grad_output, argmax, geometry, input_shape):
        ctx.argmax, ctx.geometry = argmax, geometry
        return _max_scatter(xp, grad_output, argmax, geometry, input_shape)

    @staticmethod
    def backward(ctx, grad):
        return _MaxPoolSelect.call(grad, ctx.argmax, ctx.geometry), None, None, None


class _MaxPoolSelect(Op):
    @staticmethod
    def forward(ctx, xp, input, argmax, geometry):
        ctx.argmax, ctx.geometry, ctx.input_shape = argmax, geometry, input.shape
        return _max_select(xp, input, argmax, geometry)

    @staticmethod
    def backward(ctx, grad_output):
        return _MaxPoolBackward.call(grad_output, ctx.argmax, ctx.geometry, ctx.input_shape), \
            None, None


class MaxPool2DWithIndicesBackward(_MaxPoolBackward):
    pass


class MaxPool3DWithIndicesBackward(_MaxPoolBackward):
    pass


class MaxPool2DWithIndices(_MaxPoolWithIndices):
    grad_op = MaxPool2DWithIndicesBackward


class MaxPool3DWithIndices(_MaxPoolWithIndices):
    grad_op = MaxPool3DWithIndicesBackward


def max_pool(input, geometry, return_indices):
    """Max pooling over the trailing 2 or 3 dims of ``input`` (a tensor), geometry checked."""
    op = MaxPool2DWithIndices if len(geometry[0]) == 2 else MaxPool3DWithIndices
    return op.apply(input, geometry, return_indices)


# ---------------------------------------------------------------------- average pooling
def _axis_window_sums(xp, array, axis, kernel_size, stride, count):
    """The sums of ``count`` windows along ``axis`` (negative): one strided slice per offset
    (NumPy reduces a short trailing axis slowly, so no reshape-and-sum)."""
    lead = (slice(None),) * (array.ndim + axis)
    span = (count - 1) * stride + 1
    result = array[lead + (slice(0, span, stride),)].copy()
    for offset in range(1, kernel_size):
        result += array[lead + (slice(offset, offset + span, stride),)]
    return result


def _axis_window_spread(xp, grad, axis, kernel_size, stride, length):
    """Each window's gradient added to its elements: the adjoint of the window sums."""
    count = grad.shape[axis]
    shape = list(grad.shape)
    shape[axis] = length
    tiled = kernel_size == stride and length == count * stride
    result = (xp.empty if tiled else xp.zeros)(shape, dtype=grad.dtype)
    lead = (slice(None),) * (grad.ndim + axis)
    span = (count - 1) * stride + 1
    for offset in range(kernel_size):
        target = lead + (slice(offset, offset + span, stride),)
        if kernel_size <= stride:
            result[target] = grad
        else:
            result[target] += grad
    return result


def _avg_divisor(xp, spatial, geometry, count_include_pad, divisor_override):
    """PyTorch's divisor of every window: its size clipped to the padded input (or to the input
    without ``count_include_pad``), or ``divisor_override``."""
    if divisor_override:
        return divisor_override
    kernel_size, stride, padding, _, output_size = geometry
    nd = len(kernel_size)
    result = 1
    for i, (size, k, s, p, n) in enumerate(zip(spatial, kernel_size, stride, padding,
                                                output_size)):
        start = xp.arange(n) * s - p
        end = xp.minimum(start + k, size + p)
        if not count_include_pad:
            start, end = xp.maximum(start, 0), xp.minimum(end, size)
        result = result * (end - start).reshape((-1,) + (1,) * (nd - 1 - i))
    return result


def _divide(xp, total, divisor):
    if total.dtype.kind == "f":
        return (total / divisor).astype(total.dtype, copy=False)
    return xp.sign(total) * (xp.abs(total) // divisor)  # C++ integer division truncates


class _AvgPool(Op):
    grad_op = None

    @staticmethod
    def forward(ctx, xp, input, geometry, count_include_pad, divisor_override):
        nd = len(geometry[0])
        spatial = input.shape[input.ndim - nd:]
        divisor = _avg_divisor(xp, spatial, geometry, count_include_pad, divisor_override)
        ctx.geometry, ctx.divisor, ctx.input_shape = geometry, divisor, input.shape
        ctx.options = count_include_pad, divisor_override
        result = _padded(xp, input, geometry, 0)
        kernel_size, stride, _, _, output_size = geometry
        for axis, k, s, n in zip(range(-nd, 0), kernel_size, stride, output_size):
            result = _axis_window_sums(xp, result, axis, k, s, n)
        return _divide(xp, result, divisor)

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.grad_op.call(grad_output, ctx.geometry, ctx.divisor, ctx.input_shape,
                                ctx.options), None, None, None


class _AvgPoolBackward(Op):
    forward_op = None

    @staticmethod
    def forward(ctx, xp, grad_output, geometry, divisor, input_shape, options):
        ctx.geometry, ctx.options = geometry, options
        kernel_size, stride, padding, _, _ = geometry
        nd = len(kernel_size)
        spatial = input_shape[len(input_shape) - nd:]
        extents = _extents(spatial, geometry)
        result = (grad_output / divisor).astype(grad_output.dtype, copy=False)
        for axis in range(-1, -nd - 1, -1):
            result = _axis_window_spread(xp, result, axis, kernel_size[axis], stride[axis],
                                         extents[axis])
        return _cropped(xp, result, padding, spatial)

    @staticmethod
    def backward(ctx, grad):
        return ctx.forward_op.call(grad, ctx.geometry, *ctx.options), None, None, None, None


class AvgPool2D(_AvgPool):
    pass


class AvgPool3D(_AvgPool):
    pass


class AvgPool2DBackward(_AvgPoolBackward):
    forward_op = AvgPool2D


class AvgPool3DBackward(_AvgPoolBackward):
    forward_op = AvgPool3D


AvgPool2D.grad_op, AvgPool3D.grad_op = AvgPool2DBackward, AvgPool3DBackward


def avg_pool(input, geometry, count_include_pad, divisor_override):
    """Average pooling over the trailing 2 or 3 dims of ``input``, geometry checked."""
    op = AvgPool2D if len(geometry[0]) == 2 else AvgPool3D
    return op.apply(input, geometry, count_include_pad, divisor_override)


# ---------------------------------------------------------------------- flat-index scatter
def _gather_flat(xp, input, indices, nd):
    """``input`` read at flat ``indices`` into its trailing ``nd`` dims; the leading dims of
    ``indices`` broadcast against the input's."""
    lead = input.ndim - nd
    flat = input.reshape(input.shape[:lead] + (math.prod(input.shape[lead:]),))
    positions = indices.reshape(indices.shape[:lead] + (math.prod(indices.shape[lead:]),))
    result = xp.take_along_axis(flat, positions, axis=-1)
    return result.reshape(result.shape[:-1] + indices.shape[lead:])


def _scatter_add_flat(xp, values, indices, spatial):
    """Zeros of trailing shape ``spatial`` with ``values`` added at flat ``indices`` (repeats
    accumulate): the adjoint of :func:`_gather_flat`."""
    nd = len(spatial)
    lead = values.shape[:values.ndim - nd]
    size = math.prod(spatial)
    rows = math.prod(lead)
    count = values.size // max(rows, 1)
    positions = xp.broadcast_to(indices, values.shape).reshape(rows, count)
    positions = positions + (xp.arange(rows) * size)[:, None]
    result = xp.bincount(positions.ravel(), weights=values.reshape(-1), minlength=rows * size)
    return result.astype(values.dtype, copy=False).reshape(lead + tuple(spatial))


class _GatherFlat(Op):
    @staticmethod
    def forward(ctx, xp, input, indices, nd):
        ctx.indices, ctx.spatial = indices, input.shape[input.ndim - nd:]
        return _gather_flat(xp, input, indices, nd)

    @staticmethod
    def backward(ctx, grad_output):
        return _ScatterAddFlat.call(grad_output, ctx.indices, ctx.spatial), None, None


class _ScatterAddFlat(Op):
    @staticmethod
    def forward(ctx, xp, values, indices, spatial):
        ctx.indices, ctx.nd = indices, len(spatial)
        return _scatter_add_flat(xp, values, indices, spatial)

    @staticmethod
    def backward(ctx, grad):
        return _GatherFlat.call(grad, ctx.indices, ctx.nd), None, None


# ---------------------------------------------------------------------- adaptive max pooling
def adaptive_windows(input_size, output_size):
    """The windows ``[start, end)`` of adaptive pooling (PyTorch's floor/ceil rule)."""
    starts = [i * input_size // output_size for i in range(output_size)]
    ends = [-(-(i + 1) * input_size // output_size) for i in range(output_size)]
    return starts, ends


def _adaptive_max(xp, input, output_size):
    """Adaptive max pooling: each window's max and its flat index; windows of unequal length
    repeat their last element, which never wins a tie."""
    nd = len(output_size)
    spatial = input.shape[input.ndim - nd:]
    positions = []  # per dim: (longest window, output) table of input positions
    for size, n in zip(spatial, output_size):
        starts, ends = adaptive_windows(size, n)
        longest = max(e - s for s, e in zip(starts, ends)) if n else 0
        starts, ends = xp.asarray(starts, dtype=xp.int64), xp.asarray(ends, dtype=xp.int64)
        positions.append(xp.minimum(starts + xp.arange(longest)[:, None], ends - 1))
    places = [math.prod(spatial[i + 1:]) for i in range(nd)]
    result = argmax = None
    for offset in itertools.product(*(range(p.shape[0]) for p in positions)):
        view, flat = input, 0
        for i, (table, o) in enumerate(zip(positions, offset)):
            index = table[o]
            view = xp.take(view, index, axis=i - nd)
            flat = flat + (index * places[i]).reshape((-1,) + (1,) * (nd - 1 - i))
        if result is None:
            result, argmax = view, _filled(xp, view.shape, flat, xp.int64)
            continue
        better = (view > result) | xp.isnan(view)
        xp.maximum(result, view, out=result)
        argmax += better * (flat - argmax)
    if result is None:  # an empty output
        shape = input.shape[:input.ndim - nd] + tuple(output_size)
        return xp.zeros(shape, dtype=input.dtype), xp.zeros(shape, dtype=xp.int64)
    return result, argmax


class _AdaptiveMaxPool(Op):
    grad_op = None

    @staticmethod
    def forward(ctx, xp, input, output_size):
        output, indices = _adaptive_max(xp, input, output_size)
        ctx.indices, ctx.spatial = indices, input.shape[input.ndim - len(output_size):]
        return output, indices

    @staticmethod
    def backward(ctx, grad_output, grad_indices=None):
        return ctx.grad_op.call(grad_output, ctx.indices, ctx.spatial), None


class AdaptiveMaxPool2DBackward(_ScatterAddFlat):
    pass


class AdaptiveMaxPool3DBackward(_ScatterAddFlat):
    pass


class AdaptiveMaxPool2D(_AdaptiveMaxPool):
    grad_op = AdaptiveMaxPool2DBackward


class AdaptiveMaxPool3D(_AdaptiveMaxPool):
    grad_op = AdaptiveMaxPool3DBackward


def adaptive_max_pool(input, output_size):
    """Adaptive max pooling over the trailing 2 or 3 dims: ``(output, indices)``."""
    op = AdaptiveMaxPool2D if len(output_size) == 2 else AdaptiveMaxPool3D
    return op.apply(input, tuple(output_size))


# ---------------------------------------------------------------------- max unpooling
class _MaxUnpool(Op):
    @staticmethod
    def forward(ctx, xp, input, indices, output_size):
        nd = len(output_size)
        ctx.indices, ctx.nd = indices, nd
        lead = input.shape[:input.ndim - nd]
        rows = math.prod(lead)
        result = xp.zeros((rows, math.prod(output_size)), dtype=input.dtype)
        count = input.size // max(rows, 1)
        result[xp.arange(rows)[:, None], indices.reshape(rows, count)] = input.reshape(rows,
                                                                                     count)
        return result.reshape(lead + tuple(output_size))

    @staticmethod
    def backward(ctx, grad_output):
        return _GatherFlat.call(grad_output, ctx.indices, ctx.nd), None, None


class MaxUnpool2D(_MaxUnpool):
    pass


class MaxUnpool3D(_MaxUnpool):
    pass


def max_unpool(input, indices, output_size):
    """Puts ``input`` at flat ``indices`` of zeros with trailing shape ``output_size``."""
    op = MaxUnpool2D if len(output_size) == 2 else MaxUnpool3D
    return op.apply(input, indices._data, tuple(output_size))
