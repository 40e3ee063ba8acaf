"""Reductions: sum, mean and friends."""

from ember import _dtype
from ember._ops._checks import cast, wrap_dims
from ember._ops.pointwise import _out
from ember._tensor import _scalar_type_name
from ember.autograd.function import Op

__all__ = ["sum", "mean"]


def _reduced_dims(dim, ndim):
    """The dims a reduction over ``dim`` folds: all of them for ``None`` or ``()``; none of a 0-d
    input (NumPy has no axis 0 there), though ``dim`` 0 and -1 are accepted like in PyTorch."""
    if dim is None or not isinstance(dim, int) and len(dim) == 0:
        return tuple(range(ndim))
    dims = wrap_dims(dim, ndim)
    return dims if ndim else ()


def _expand_reduced(grad_output, input_shape, dims, keepdim):
    """Reshapes a reduced gradient so it broadcasts against the input."""
    if not keepdim and dims:
        shape = list(input_shape)
        for dim in dims:
            shape[dim] = 1
        grad_output = grad_output.reshape(tuple(shape))
    return grad_output


class Sum(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim, dtype):
        ctx.input_shape, ctx.dims, ctx.keepdim = input.shape, dims, keepdim
        return xp.sum(input, axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        grad = _expand_reduced(grad_output, ctx.input_shape, ctx.dims, ctx.keepdim)
        return ctx.xp.broadcast_to(grad, ctx.input_shape), None, None, None


class Mean(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim, dtype):
        ctx.input_shape, ctx.dims, ctx.keepdim = input.shape, dims, keepdim
        count = 1
        for dim in dims:
            count *= input.shape[dim]
        ctx.count = count
        # sum / count rather than xp.mean: PyTorch's mean of nothing is nan, without a warning
        total = xp.sum(input, axis=dims, keepdims=keepdim, dtype=dtype)
        return xp.true_divide(total, count).astype(total.dtype, copy=False) if count else \
            total * xp.nan

    @staticmethod
    def backward(ctx, grad_output):
        grad = _expand_reduced(grad_output, ctx.input_shape, ctx.dims, ctx.keepdim)
        return ctx.xp.broadcast_to(grad / ctx.count, ctx.input_shape), None, None, None


class SumDim(Sum):
    node_name = "SumBackward1"


class MeanDim(Mean):
    node_name = "MeanBackward1"


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):  # noqa: A001
    """Returns the sum of ``input`` over ``dim`` (all dimensions by default).

    Bool and integer inputs sum to ``int64`` unless ``dtype`` says otherwise.
    """
    dims = _reduced_dims(dim, input._data.ndim)
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    elif input._data.dtype.kind in "biu":
        input = cast(input, _dtype.int64)
    op = Sum if dim is None else SumDim  # PyTorch names the two overloads apart
    return _out(op.apply(input, dims, keepdim, None), out)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Returns the mean of ``input`` over ``dim`` (all dimensions by default)."""
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    if input._data.dtype.kind not in "fc":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_scalar_type_name(input._data.dtype)}")
    dims = _reduced_dims(dim, input._data.ndim)
    op = Mean if dim is None else MeanDim
    return _out(op.apply(input, dims, keepdim, None), out)


def sum_to_size(input, *size):
    """Sums ``input`` down to ``size``, a shape it was broadcast from."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    ndim = input._data.ndim
    lead = ndim - len(shape)
    if lead < 0:
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size "
                           f"{{{list(input.shape)}}}.")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and input._data.shape[lead + i] != 1)
    if not dims:
        return input
    result = SumDim.apply(input, dims, True, None)
    return result.reshape(shape) if lead else result


_TENSOR_METHODS = ["sum", "mean", "sum_to_size"]
