"""Padding: constant (any number of dimensions, negative pads crop) and the reflect,
replicate and circular modes.

``pad`` is a tuple of ``(before, after)`` pairs for the trailing dimensions, first pair for the
first of them. A non-constant mode maps each output position of a dimension to an input
position; the map is a few runs of consecutive positions (forward, backward or one repeated
position), so the forward concatenates strided slices and the gradient adds them back.
"""

from ember.autograd.function import Op

__all__ = []


def _place(ndim, axis, part):
    return (slice(None),) * (ndim + axis) + (part,)


class ConstantPadNd(Op):
    @staticmethod
    def forward(ctx, xp, input, pad, value):
        ctx.pad = pad
        lead = input.ndim - len(pad)
        spatial = input.shape[lead:]
        shape = input.shape[:lead] + tuple(size + before + after
                                           for size, (before, after) in zip(spatial, pad))
        result = xp.full(shape, value, dtype=input.dtype)
        target = tuple(slice(max(before, 0), max(before, 0) + size + min(before, 0)
                             + min(after, 0)) for size, (before, after) in zip(spatial, pad))
        source = tuple(slice(max(-before, 0), size - max(-after, 0))
                       for size, (before, after) in zip(spatial, pad))
        result[(Ellipsis,) + target] = input[(Ellipsis,) + source]
        return result

    @staticmethod
    def backward(ctx, grad_output):
        crop = tuple((-before, -after) for before, after in ctx.pad)
        return ConstantPadNd.call(grad_output, crop, 0), None, None


def _runs(mode, size, before, after):
    """Output positions ``[start, stop)`` reading input ``first`` onwards, by ``step`` (1, -1,
    or 0: one position repeated)."""
    if mode == "circular":
        return _circular_runs(size, before, after)
    low, high = -before, size + after  # the virtual input positions the output covers
    runs = []
    if low < 0:  # left of the input
        count = min(0, high) - low
        runs.append((count, -low if mode == "reflect" else 0, -1 if mode == "reflect" else 0))
    if max(low, 0) < min(high, size):
        runs.append((min(high, size) - max(low, 0), max(low, 0), 1))
    if high > size:  # right of the input
        count = high - max(low, size)
        first = 2 * (size - 1) - max(low, size)
        runs.append((count, first if mode == "reflect" else size - 1,
                     -1 if mode == "reflect" else 0))
    return _starts(runs)


def _circular_runs(size, before, after):
    """The input cropped by negative pads, then wrapped around by positive ones."""
    low = max(-before, 0)
    core = size - low - max(-after, 0)
    runs = []
    position, stop = -max(before, 0), core + max(after, 0)
    while position < stop:
        offset = position % core
        count = min(core - offset, stop - position)
        runs.append((count, low + offset, 1))
        position += count
    return _starts(runs)


def _starts(runs):
    result, start = [], 0
    for count, first, step in runs:
        result.append((start, start + count, first, step))
        start += count
    return tuple(result)


def _read(xp, array, axis, first, step, count):
    if step == 1:
        return array[_place(array.ndim, axis, slice(first, first + count))]
    if step == -1:
        stop = first - count if first - count >= 0 else None
        return array[_place(array.ndim, axis, slice(first, stop, -1))]
    shape = list(array.shape)
    shape[axis] = count
    return xp.broadcast_to(array[_place(array.ndim, axis, slice(first, first + 1))], shape)


class _IndexPad(Op):
    grad_op = None

    @staticmethod
    def forward(ctx, xp, input, runs):
        ctx.runs, ctx.input_shape = runs, input.shape
        for axis, dim_runs in zip(range(-len(runs), 0), runs):
            pieces = [_read(xp, input, axis, first, step, stop - start)
                      for start, stop, first, step in dim_runs]
            if not pieces:  # an empty output dimension
                pieces = [input[_place(input.ndim, axis, slice(0, 0))]]
            input = xp.concatenate(pieces, axis=axis)
        return input

    @staticmethod
    def backward(ctx, grad_output):
        return ctx.grad_op.call(grad_output, ctx.runs, ctx.input_shape), None


class _IndexPadBackward(Op):
    forward_op = None

    @staticmethod
    def forward(ctx, xp, grad_output, runs, input_shape):
        ctx.runs = runs
        shape = list(grad_output.shape)
        for axis, dim_runs in reversed(list(zip(range(-len(runs), 0), runs))):
            shape[axis] = input_shape[axis]
            result = xp.zeros(shape, dtype=grad_output.dtype)
            for start, stop, first, step in dim_runs:
                part = grad_output[_place(grad_output.ndim, axis, slice(start, stop))]
                if step == 0:
                    part = part.sum(axis=axis, keepdims=True)
                _read(xp, result, axis, first, step if step else 1, part.shape[axis])[...] += part
            grad_output = result
        return grad_output

    @staticmethod
    def backward(ctx, grad):
        return ctx.forward_op.call(grad, ctx.runs), None, None


def _index_pad_op(name):
    forward = type(name, (_IndexPad,), {"__module__": __name__})
    forward.grad_op = type(name + "Backward", (_IndexPadBackward,),
                           {"forward_op": forward, "__module__": __name__})
    return forward


_OPS = {name: _index_pad_op(name) for name in (
    "ReflectionPad1D", "ReflectionPad2D", "ReflectionPad3D", "ReplicationPad1D",
    "ReplicationPad2D", "ReplicationPad3D", "CircularPad1D", "CircularPad2D", "CircularPad3D")}
_NAMES = {"reflect": "ReflectionPad", "replicate": "ReplicationPad", "circular": "CircularPad"}


def constant_pad(input, pad, value):
    """``input`` padded with ``value``; ``pad`` pairs per trailing dim (negative crops)."""
    return ConstantPadNd.apply(input, tuple(pad), value)


def index_pad(input, pad, mode):
    """``input`` padded by ``mode`` (reflect, replicate, circular); the functional layer
    checks the sizes."""
    sizes = input.shape[input.dim() - len(pad):]
    runs = tuple(_runs(mode, size, before, after) for size, (before, after) in zip(sizes, pad))
    return _OPS[f"{_NAMES[mode]}{len(pad)}D"].apply(input, runs)
