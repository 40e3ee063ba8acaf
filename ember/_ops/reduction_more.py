"""Reductions beyond sum and mean: products, extrema, statistics, scans, softmax and logic."""

import math

from ember import _dtype, return_types
from ember._ops._checks import cast, to_floating, wrap_dim
from ember._ops.pointwise import _out
from ember._ops.reduction import _expand_reduced, _reduced_dims
from ember._tensor import Tensor, _scalar_type_name
from ember.autograd.function import Op
from ember.autograd.grad_mode import state

__all__ = [
    "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin", "std", "var",
    "std_mean", "var_mean", "logsumexp", "cumsum", "cumprod", "cummax", "cummin", "all", "any",
    "count_nonzero", "softmax", "log_softmax", "median", "nanmedian", "nansum", "nanmean", "mode",
]


# ---------------------------------------------------------------------- shape helpers
def _keepdim_shape(shape, dims):
    return tuple(1 if axis in dims else size for axis, size in enumerate(shape))


def _reduced_shape(shape, dim, keepdim):
    """``shape`` reduced along the int ``dim`` (a 0-d shape stays 0-d)."""
    if not shape:
        return ()
    return shape[:dim] + ((1,) if keepdim else ()) + shape[dim + 1:]


def _positions(xp, shape, dim):
    """``0, 1, ...`` along ``dim``, shaped to broadcast against an array of ``shape``."""
    size = shape[dim]
    return xp.arange(size).reshape(tuple(size if axis == dim else 1
                                         for axis in range(len(shape))))


def _running(xp, ufunc, array, dim):
    """``ufunc.accumulate`` along ``dim``, by doubling: CuPy's ufuncs accumulate only ``add``."""
    result = xp.moveaxis(array, dim, -1).copy()
    size, shift = result.shape[-1], 1
    while shift < size:
        result[..., shift:] = ufunc(result[..., shift:], result[..., :-shift])
        shift *= 2
    return xp.moveaxis(result, -1, dim)


def _reverse_cumsum(xp, array, dim):
    return xp.flip(xp.cumsum(xp.flip(array, dim), axis=dim), dim)


def _node_name(op, name):
    """Names ``op``'s graph node after PyTorch's overload (``max()`` is ``MaxBackward1``)."""
    op._node_cls.__name__ = op._node_cls.__qualname__ = name


def _check_nonempty(what, shape, dims):
    for dim in dims if shape else ():
        if shape[dim] == 0:
            raise IndexError(f"{what}: Expected reduction dim {dim} to have non-zero size.")


def _check_numel(name, input):
    if input._data.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")


def _out_pair(result, out, kind):
    if out is None:
        return kind(*result)
    return kind(_out(result[0], out[0]), _out(result[1], out[1]))


# ---------------------------------------------------------------------- picking one element
def _argmax(xp, input, dim):
    return xp.expand_dims(xp.argmax(input, axis=dim), dim)


def _argmin(xp, input, dim):
    return xp.expand_dims(xp.argmin(input, axis=dim), dim)


def _argmedian(xp, input, dim, ignore_nan=False):
    """Index of the lower median along ``dim`` (keepdim form); of the first NaN, if any, unless
    ``ignore_nan``. A stable sort picks the same element among equals as PyTorch."""
    order = xp.argsort(input, axis=dim, kind="stable")
    size = input.shape[dim]
    nans = xp.sum(xp.isnan(input), axis=dim, keepdims=True)
    if ignore_nan:
        position = xp.maximum(size - nans - 1, 0) // 2
    else:
        position = xp.where(nans > 0, size - nans, (size - 1) // 2)
    return xp.take_along_axis(order, position, axis=dim)


def _argnanmedian(xp, input, dim):
    return _argmedian(xp, input, dim, ignore_nan=True)


def _argmode(xp, input, dim):
    """Index of the last occurrence of the most frequent value (the smallest among ties)."""
    order = xp.moveaxis(xp.argsort(input, axis=dim, kind="stable"), dim, -1)
    ordered = xp.take_along_axis(xp.moveaxis(input, dim, -1), order, axis=-1)
    change = ordered[..., 1:] != ordered[..., :-1]
    edge = xp.ones(change.shape[:-1] + (1,), dtype=bool)
    positions = xp.arange(ordered.shape[-1])
    run_start = _running(xp, xp.maximum,
                         xp.where(xp.concatenate([edge, change], axis=-1), positions, 0), -1)
    run_length = xp.where(xp.concatenate([change, edge], axis=-1), positions - run_start + 1, 0)
    longest = xp.expand_dims(xp.argmax(run_length, axis=-1), -1)
    return xp.moveaxis(xp.take_along_axis(order, longest, axis=-1), -1, dim)


def _pick(ctx, xp, input, dim, keepdim, argpick):
    """Values and indices of the element ``argpick`` chooses in each slice along ``dim``."""
    shape = input.shape
    input = input.reshape(shape or (1,))
    index = argpick(xp, input, dim)
    values = xp.take_along_axis(input, index, axis=dim)
    ctx.input_shape, ctx.dim = shape, dim
    ctx.save_for_backward(index)
    out_shape = _reduced_shape(shape, dim, keepdim)
    return values.reshape(out_shape), index.reshape(out_shape)


def _scatter_back(ctx, grad_output):
    """Sends ``grad_output`` back to the elements picked at the saved index along ``ctx.dim``."""
    from ember._ops.indexing import ScatterAdd, _zeros

    (index,) = ctx.saved_tensors
    grad = grad_output.reshape(index.shape)
    zeros = _zeros(grad, ctx.input_shape or (1,))
    return ScatterAdd.call(zeros, ctx.dim, index, grad).reshape(ctx.input_shape)


class _Pick(Op):
    @staticmethod
    def backward(ctx, grad_output, grad_indices):
        return _scatter_back(ctx, grad_output), None, None


class Max(_Pick):
    @staticmethod
    def forward(ctx, xp, input, dim, keepdim):
        return _pick(ctx, xp, input, dim, keepdim, _argmax)


class Min(_Pick):
    @staticmethod
    def forward(ctx, xp, input, dim, keepdim):
        return _pick(ctx, xp, input, dim, keepdim, _argmin)


class MedianDim(_Pick):
    @staticmethod
    def forward(ctx, xp, input, dim, keepdim):
        return _pick(ctx, xp, input, dim, keepdim, _argmedian)


class NanmedianDim(_Pick):
    @staticmethod
    def forward(ctx, xp, input, dim, keepdim):
        return _pick(ctx, xp, input, dim, keepdim, _argnanmedian)


class Mode(_Pick):
    @staticmethod
    def forward(ctx, xp, input, dim, keepdim):
        return _pick(ctx, xp, input, dim, keepdim, _argmode)


_node_name(MedianDim, "MedianBackward1")
_node_name(NanmedianDim, "NanmedianBackward1")


def _cumulative_extreme(ctx, xp, input, dim, ufunc):
    """Running max/min along ``dim`` and, like PyTorch, the index of its latest occurrence."""
    shape = input.shape
    input = input.reshape(shape or (1,))
    values = _running(xp, ufunc, input, dim)
    hit = input == values
    if input.dtype.kind == "f":
        hit |= xp.isnan(input)  # a NaN stays the running extreme
    index = _running(xp, xp.maximum, xp.where(hit, _positions(xp, input.shape, dim), 0), dim)
    ctx.input_shape, ctx.dim = shape, dim
    ctx.save_for_backward(index)
    return values.reshape(shape), index.reshape(shape)


class _CumulativePick(Op):
    @staticmethod
    def backward(ctx, grad_output, grad_indices):
        return _scatter_back(ctx, grad_output), None


class Cummax(_CumulativePick):
    @staticmethod
    def forward(ctx, xp, input, dim):
        return _cumulative_extreme(ctx, xp, input, dim, xp.maximum)


class Cummin(_CumulativePick):
    @staticmethod
    def forward(ctx, xp, input, dim):
        return _cumulative_extreme(ctx, xp, input, dim, xp.minimum)


# ---------------------------------------------------------------------- values shared by ties
def _tied(ctx, xp, input, result, dims, keepdim, nan_ties=False):
    """Returns ``result`` after saving which elements of ``input`` equal it (with ``nan_ties``,
    NaNs equal a NaN result) and how many do, for :class:`_Ties`' backward."""
    if ctx.needs_input_grad[0]:
        ctx.input_shape, ctx.dims, ctx.keepdim = input.shape, dims, keepdim
        expanded = result.reshape(_keepdim_shape(input.shape, dims))
        ties = xp.asarray(input == expanded)  # saved: an array, even for a 0-d input
        if nan_ties:
            ties |= xp.isnan(input) & xp.isnan(expanded)
        count = xp.asarray(xp.sum(ties, axis=dims, keepdims=True, dtype=input.dtype))
        ctx.save_for_backward(ties, count)
    return result


class _Ties(Op):
    """Reductions to a value some elements equal: they share the gradient evenly."""

    @staticmethod
    def backward(ctx, grad_output):
        ties, count = ctx.saved_tensors
        grad = _expand_reduced(grad_output, ctx.input_shape, ctx.dims, ctx.keepdim)
        return grad / count * ties, None, None


class Amax(_Ties):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        return _tied(ctx, xp, input, xp.max(input, axis=dims, keepdims=keepdim), dims, keepdim)


class Amin(_Ties):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        return _tied(ctx, xp, input, xp.min(input, axis=dims, keepdims=keepdim), dims, keepdim)


class MaxAll(_Ties):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        return _tied(ctx, xp, input, xp.max(input), dims, keepdim, nan_ties=True)


class MinAll(_Ties):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        return _tied(ctx, xp, input, xp.min(input), dims, keepdim, nan_ties=True)


def _median_all(xp, input, argpick):
    flat = input.reshape(-1)
    if flat.size == 0:
        return xp.full((), xp.nan).astype(input.dtype)  # an integer NaN is PyTorch's too
    return flat[argpick(xp, flat, 0)].reshape(())


class Median(_Ties):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        result = _median_all(xp, input, _argmedian)
        return _tied(ctx, xp, input, result, dims, keepdim, nan_ties=True)


class Nanmedian(_Ties):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        result = _median_all(xp, input, _argnanmedian)
        return _tied(ctx, xp, input, result, dims, keepdim, nan_ties=True)


_node_name(MaxAll, "MaxBackward1")
_node_name(MinAll, "MinBackward1")


# ---------------------------------------------------------------------- products
def _leave_one_out(input, dim):
    """``(..., n, n)``: row ``i`` is the slice of ``input`` along ``dim`` with its ``i``-th element
    replaced by 1. Differentiable but O(n^2), so only recorded double backwards use it."""
    from ember._ops.creation import eye

    size = input.shape[dim]
    identity = eye(size, dtype=input.dtype, device=input.device)
    return input.movedim(dim, -1).unsqueeze(-2) * (1 - identity) + identity


def _prod_of_others(xp, input, dims):
    """For each element, the product of the others in its slice along ``dims`` (no division:
    ``input`` holds zeros)."""
    if len(dims) != 1:  # prod(): the whole tensor is one slice
        return _prod_of_others(xp, input.reshape(-1), (0,)).reshape(input.shape)
    dim = dims[0]
    if state.create_graph:
        return _leave_one_out(input, dim).prod(-1).movedim(-1, dim)
    zeros = input == 0
    count = xp.sum(zeros, axis=dim, keepdims=True)
    safe = xp.where(zeros, 1, input)
    return xp.where(count > zeros, 0, xp.prod(safe, axis=dim, keepdims=True) / safe)


class Prod(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        result = xp.asarray(xp.prod(input, axis=dims, keepdims=keepdim))  # saved: an array
        if ctx.needs_input_grad[0]:
            ctx.input_shape, ctx.dims, ctx.keepdim = input.shape, dims, keepdim
            ctx.has_zeros = bool((input == 0).any())
            ctx.save_for_backward(input, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        input, result = ctx.saved_tensors
        shape, dims, keepdim = ctx.input_shape, ctx.dims, ctx.keepdim
        grad = _expand_reduced(grad_output, shape, dims, keepdim)
        if not ctx.has_zeros:
            return grad * (_expand_reduced(result, shape, dims, keepdim) / input), None, None
        return grad * _prod_of_others(ctx.xp, input, dims), None, None


class ProdDim(Prod):
    """``prod(input, dim)``: PyTorch's ``ProdBackward1``."""


_node_name(ProdDim, "ProdBackward1")


# ---------------------------------------------------------------------- scans
class Cumsum(Op):
    @staticmethod
    def forward(ctx, xp, input, dim, reverse):
        ctx.dim, ctx.reverse = dim, reverse
        array = input.reshape(input.shape or (1,))
        result = _reverse_cumsum(xp, array, dim) if reverse else xp.cumsum(array, axis=dim)
        return result.reshape(input.shape)

    @staticmethod
    def backward(ctx, grad_output):
        return Cumsum.call(grad_output, ctx.dim, not ctx.reverse), None, None


def _cumprod_grad_with_zeros(xp, input, result, grad_output, dim):
    """Cumprod's input gradient in O(n) where ``input`` holds zeros: before a slice's first zero
    ``z`` the usual formula, at ``z`` the products that skip it, after ``z`` zero."""
    positions = _positions(xp, input.shape, dim)
    zeros = input == 0
    first = xp.where(xp.any(zeros, axis=dim, keepdims=True),
                     xp.expand_dims(xp.argmax(zeros, axis=dim), dim), input.shape[dim])
    before = positions < first
    safe = xp.where(before, input, 1)
    grad_input = xp.where(before, _reverse_cumsum(xp, grad_output * result, dim) / safe, 0)
    after = xp.cumprod(xp.where(positions <= first, 1, input), axis=dim)
    at_zero = xp.prod(safe, axis=dim, keepdims=True) * xp.sum(
        xp.where(positions >= first, grad_output * after, 0), axis=dim, keepdims=True)
    return xp.where(positions == first, at_zero, grad_input)


def _cumprod_grad_recorded(input, grad_output, dim):
    """Cumprod's input gradient with zeros, from differentiable ops (for double backward)."""
    from ember._ops.creation import arange

    positions = arange(input.shape[dim], device=input.device)
    later = positions.unsqueeze(-1) <= positions
    products = _leave_one_out(input, dim).cumprod(-1)
    grad = grad_output.movedim(dim, -1).unsqueeze(-2)
    return (products * grad * later).sum(-1).movedim(-1, dim)


class Cumprod(Op):
    @staticmethod
    def forward(ctx, xp, input, dim):
        result = xp.cumprod(input.reshape(input.shape or (1,)), axis=dim).reshape(input.shape)
        if ctx.needs_input_grad[0]:
            ctx.dim = dim
            ctx.trivial = not input.shape or input.shape[dim] <= 1
            ctx.has_zeros = bool((input == 0).any())
            ctx.save_for_backward(input, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.trivial:
            return grad_output, None
        input, result = ctx.saved_tensors
        dim = ctx.dim
        if not ctx.has_zeros:
            return Cumsum.call(grad_output * result, dim, True) / input, None
        if state.create_graph:
            return _cumprod_grad_recorded(input, grad_output, dim), None
        return _cumprod_grad_with_zeros(ctx.xp, input, result, grad_output, dim), None


# ---------------------------------------------------------------------- statistics
def _save_var(ctx, input, dims, correction, keepdim, *results):
    if ctx.needs_input_grad[0]:
        ctx.dims, ctx.correction, ctx.keepdim = dims, correction, keepdim
        ctx.count = math.prod(input.shape[dim] for dim in dims)
        ctx.save_for_backward(input, *results)


def _var_backward(ctx, grad_output):
    """PyTorch's var gradient, infinities at ``dof <= 0`` included."""
    input = ctx.saved_tensors[0]
    xp = ctx.xp
    grad = _expand_reduced(grad_output, input.shape, ctx.dims, ctx.keepdim)
    centered = input - xp.mean(input, axis=ctx.dims, keepdims=True)
    dof = ctx.count - ctx.correction
    if dof > 0 or len(ctx.dims) < input.ndim:
        return (2.0 / dof if dof else math.inf) * grad * centered
    return grad * xp.abs(centered) * math.inf  # NaN where centered is 0, like PyTorch


class Var(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, correction, keepdim):
        _save_var(ctx, input, dims, correction, keepdim)
        return xp.var(input, axis=dims, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        return _var_backward(ctx, grad_output), None, None, None


class Std(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, correction, keepdim):
        result = xp.asarray(xp.std(input, axis=dims, ddof=correction, keepdims=keepdim))
        _save_var(ctx, input, dims, correction, keepdim, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result = ctx.saved_tensors[1]
        zero = result == 0  # PyTorch's gradient is 0 there, not NaN
        grad = grad_output / ((result + zero) * 2) * (result != 0)
        return _var_backward(ctx, grad), None, None, None


# ---------------------------------------------------------------------- log-sum-exp, softmax
class Logsumexp(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        if input.size == 0:
            result = xp.full(xp.sum(input, axis=dims, keepdims=keepdim).shape, -xp.inf,
                             dtype=input.dtype)
        else:
            shift = xp.max(input, axis=dims, keepdims=True)
            shift = xp.where(xp.isinf(shift), 0, shift)  # inf - inf would be NaN
            result = xp.log(xp.sum(xp.exp(input - shift), axis=dims, keepdims=True)) + shift
            result = xp.asarray(result if keepdim else xp.squeeze(result, axis=dims))
        ctx.input_shape, ctx.dims, ctx.keepdim = input.shape, dims, keepdim
        ctx.save_for_backward(input, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        input, result = ctx.saved_tensors
        shape, dims, keepdim = ctx.input_shape, ctx.dims, ctx.keepdim
        grad = _expand_reduced(grad_output, shape, dims, keepdim)
        return grad * ctx.xp.exp(input - _expand_reduced(result, shape, dims, keepdim)), None, None


def _shifted(xp, input, dim):
    """``input`` minus its max along ``dim``, as a new array (1-d for a 0-d input)."""
    array = input.reshape(input.shape or (1,))
    return array - xp.max(array, axis=dim, keepdims=True)


class Softmax(Op):
    @staticmethod
    def forward(ctx, xp, input, dim):
        ctx.dim = dim if input.ndim else None
        if input.size == 0:
            result = input.copy()
        else:
            result = _shifted(xp, input, dim)
            xp.exp(result, out=result)
            result /= xp.sum(result, axis=dim, keepdims=True)
            result = result.reshape(input.shape)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        dot = ctx.xp.sum(grad_output * result, axis=ctx.dim, keepdims=True)
        return (grad_output - dot) * result, None


class LogSoftmax(Op):
    @staticmethod
    def forward(ctx, xp, input, dim):
        ctx.dim = dim if input.ndim else None
        if input.size == 0:
            result = input.copy()
        else:
            result = _shifted(xp, input, dim)
            result -= xp.log(xp.sum(xp.exp(result), axis=dim, keepdims=True))
            result = result.reshape(input.shape)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        xp = ctx.xp
        return grad_output - xp.exp(result) * xp.sum(grad_output, axis=ctx.dim, keepdims=True), \
            None


# ---------------------------------------------------------------------- NaN-aware sums
class Nansum(Op):
    @staticmethod
    def forward(ctx, xp, input, dims, keepdim):
        ctx.input_shape, ctx.dims, ctx.keepdim = input.shape, dims, keepdim
        ctx.save_for_backward(input)
        return xp.nansum(input, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad = _expand_reduced(grad_output, ctx.input_shape, ctx.dims, ctx.keepdim)
        return grad * (input == input), None, None


class _NoGradReduction(Op):
    """``xp.<name>(input, axis, keepdims)`` for reductions without a gradient (all, argmax...)."""

    differentiable = False

    @staticmethod
    def forward(ctx, xp, input, name, axis, keepdim):
        return getattr(xp, name)(input, axis=axis, keepdims=keepdim)


# ---------------------------------------------------------------------- public functions
def prod(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Returns the product of the elements of ``input``, over dimension ``dim`` if given.

    Bool and integer inputs multiply to ``int64`` unless ``dtype`` says otherwise.
    """
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    elif input._data.dtype.kind in "biu":
        input = cast(input, _dtype.int64)
    ndim = input._data.ndim
    if dim is None:
        return _out(Prod.apply(input, tuple(range(ndim)), False), out)
    dims = (wrap_dim(dim, ndim),) if ndim else ()
    return _out(ProdDim.apply(input, dims, keepdim), out)


def _value_or_pick(what, input, dim, keepdim, out, all_op, dim_op, kind):
    """``all_op`` over the whole input when ``dim`` is None, else ``kind(values, indices)`` of
    the elements ``dim_op`` picks along ``dim``."""
    if dim is None:
        return _out(all_op.apply(input, tuple(range(input._data.ndim)), False), out)
    dim = wrap_dim(dim, input._data.ndim)
    _check_nonempty(what, input._data.shape, (dim,))
    return _out_pair(dim_op.apply(input, dim, keepdim), out, kind)


def max(input, dim=None, keepdim=False, *, out=None):  # noqa: A001 - PyTorch's name
    """Returns the maximum of ``input``; with ``dim``, ``(values, indices)`` of the maxima along
    it; with a tensor ``other`` in place of ``dim``, :func:`maximum`."""
    if isinstance(dim, Tensor):
        from ember._ops.pointwise_more import maximum

        return maximum(input, dim, out=out)
    if dim is None:
        _check_numel("max", input)
    return _value_or_pick("max()", input, dim, keepdim, out, MaxAll, Max, return_types.max)


def min(input, dim=None, keepdim=False, *, out=None):  # noqa: A001 - PyTorch's name
    """Returns the minimum of ``input``; with ``dim``, ``(values, indices)`` of the minima along
    it; with a tensor ``other`` in place of ``dim``, :func:`minimum`."""
    if isinstance(dim, Tensor):
        from ember._ops.pointwise_more import minimum

        return minimum(input, dim, out=out)
    if dim is None:
        _check_numel("min", input)
    return _value_or_pick("min()", input, dim, keepdim, out, MinAll, Min, return_types.min)


def _amax_dims(name, input, dim):
    if dim is None or not isinstance(dim, int) and len(dim) == 0:
        _check_numel(name, input)
    dims = _reduced_dims(dim, input._data.ndim)
    _check_nonempty(f"{name}()", input._data.shape, dims)
    return dims


def amax(input, dim=(), keepdim=False, *, out=None):
    """Returns the maximum of ``input`` over ``dim`` (all dims by default); tied elements share
    the gradient evenly."""
    return _out(Amax.apply(input, _amax_dims("amax", input, dim), keepdim), out)


def amin(input, dim=(), keepdim=False, *, out=None):
    """Returns the minimum of ``input`` over ``dim`` (all dims by default); tied elements share
    the gradient evenly."""
    return _out(Amin.apply(input, _amax_dims("amin", input, dim), keepdim), out)


def aminmax(input, *, dim=None, keepdim=False):
    """Returns ``(min, max)`` of ``input``, over ``dim`` if given."""
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
        dims = tuple(range(input._data.ndim))
    else:
        dims = _reduced_dims(dim, input._data.ndim)
        _check_nonempty("aminmax", input._data.shape, dims)
    return return_types.aminmax(Amin.apply(input, dims, keepdim), Amax.apply(input, dims, keepdim))


def _arg_extremum(name, input, dim, keepdim):
    if input._data.dtype == bool:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if input._data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        return _NoGradReduction.apply(input, name, None, keepdim)
    dim = wrap_dim(dim, input._data.ndim)
    _check_nonempty(f"{name}()", input._data.shape, (dim,))
    return _NoGradReduction.apply(input, name, dim if input._data.ndim else None, keepdim)


def argmax(input, dim=None, keepdim=False):
    """Returns the indices of the maximum values of ``input`` (of the flattened input if ``dim``
    is ``None``)."""
    return _arg_extremum("argmax", input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    """Returns the indices of the minimum values of ``input`` (of the flattened input if ``dim``
    is ``None``)."""
    return _arg_extremum("argmin", input, dim, keepdim)


def _variance_args(input, dim, unbiased, correction):
    """PyTorch's two signatures: ``(dim, unbiased, keepdim)`` and ``(dim, *, correction)``."""
    if isinstance(dim, bool):  # var(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError("var() received an invalid combination of arguments - got both "
                        "'unbiased' and 'correction'")
    if input._data.dtype.kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    return _reduced_dims(dim, input._data.ndim), correction


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Returns the variance of ``input`` over ``dim``, dividing by ``N - correction``
    (``unbiased=False`` is ``correction=0``)."""
    dims, correction = _variance_args(input, dim, unbiased, correction)
    return _out(Var.apply(input, dims, correction, keepdim), out)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Returns the standard deviation of ``input`` over ``dim``, dividing by
    ``N - correction`` (``unbiased=False`` is ``correction=0``)."""
    dims, correction = _variance_args(input, dim, unbiased, correction)
    return _out(Std.apply(input, dims, correction, keepdim), out)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Returns ``(var, mean)`` of ``input`` over ``dim``."""
    dims, correction = _variance_args(input, dim, unbiased, correction)
    return return_types.var_mean(Var.apply(input, dims, correction, keepdim),
                                 input.mean(dims, keepdim))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Returns ``(std, mean)`` of ``input`` over ``dim``."""
    dims, correction = _variance_args(input, dim, unbiased, correction)
    return return_types.std_mean(Std.apply(input, dims, correction, keepdim),
                                 input.mean(dims, keepdim))


def logsumexp(input, dim, keepdim=False, *, out=None):
    """Returns :math:`\\log \\sum_i \\exp(x_i)` over ``dim``, computed stably."""
    dims = _reduced_dims(dim, input._data.ndim)
    return _out(Logsumexp.apply(to_floating(input), dims, keepdim), out)


def _softmax_input(name, input, dim, dtype):
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    ndim = input._data.ndim
    dim = wrap_dim(dim, ndim)
    if input._data.dtype.kind not in "fc":
        kernel = "lastdim_kernel_impl" if dim == ndim - 1 or ndim == 0 else "kernel_impl"
        raise NotImplementedError(f'"{name}_{kernel}" not implemented for '
                                  f"'{_scalar_type_name(input._data.dtype)}'")
    return input, dim


def softmax(input, dim, dtype=None):
    """Returns :math:`\\exp(x_i) / \\sum_j \\exp(x_j)` along ``dim``, computed stably;
    ``dtype`` casts ``input`` first."""
    return Softmax.apply(*_softmax_input("softmax", input, dim, dtype))


def log_softmax(input, dim, dtype=None):
    """Returns :math:`x_i - \\log \\sum_j \\exp(x_j)` along ``dim``, computed stably;
    ``dtype`` casts ``input`` first."""
    return LogSoftmax.apply(*_softmax_input("log_softmax", input, dim, dtype))


def _scan_input(input, dtype):
    if dtype is not None:
        return cast(input, _dtype.to_dtype(dtype))
    if input._data.dtype.kind in "biu":
        return cast(input, _dtype.int64)
    return input


def cumsum(input, dim, *, dtype=None, out=None):
    """Returns the cumulative sum of ``input`` along ``dim``; integers accumulate in ``int64``."""
    dim = wrap_dim(dim, input._data.ndim)
    return _out(Cumsum.apply(_scan_input(input, dtype), dim, False), out)


def cumprod(input, dim, *, dtype=None, out=None):
    """Returns the cumulative product of ``input`` along ``dim``; integers accumulate in
    ``int64``."""
    dim = wrap_dim(dim, input._data.ndim)
    return _out(Cumprod.apply(_scan_input(input, dtype), dim), out)


def cummax(input, dim):
    """Returns ``(values, indices)`` of the running maximum of ``input`` along ``dim``."""
    return return_types.cummax(*Cummax.apply(input, wrap_dim(dim, input._data.ndim)))


def cummin(input, dim):
    """Returns ``(values, indices)`` of the running minimum of ``input`` along ``dim``."""
    return return_types.cummin(*Cummin.apply(input, wrap_dim(dim, input._data.ndim)))


def _logical(name, input, dim, keepdim, out):
    if dim is None or isinstance(dim, int) or len(dim):
        axis = _reduced_dims(dim, input._data.ndim)
    else:
        axis = ()  # PyTorch reduces nothing over an empty dim list here
    result = _NoGradReduction.apply(input, name, axis, keepdim)
    if input._data.dtype == "uint8":
        result = cast(result, _dtype.uint8)
    return _out(result, out)


def all(input, dim=None, keepdim=False, *, out=None):  # noqa: A001 - PyTorch's name
    """Tests whether all elements of ``input`` (along ``dim``) are nonzero."""
    return _logical("all", input, dim, keepdim, out)


def any(input, dim=None, keepdim=False, *, out=None):  # noqa: A001 - PyTorch's name
    """Tests whether any element of ``input`` (along ``dim``) is nonzero."""
    return _logical("any", input, dim, keepdim, out)


def count_nonzero(input, dim=None):
    """Counts the nonzero elements of ``input`` along ``dim`` (all dims by default)."""
    return (input != 0).sum(dim)


def _check_median_input(input):
    if input._data.dtype == bool:
        raise NotImplementedError("\"median_cpu\" not implemented for 'Bool'")


def median(input, dim=None, keepdim=False, *, out=None):
    """Returns the lower median of ``input``; with ``dim``, ``(values, indices)`` of the medians
    along it. NaN is the median of a slice holding one."""
    _check_median_input(input)
    return _value_or_pick("median()", input, dim, keepdim, out, Median, MedianDim,
                          return_types.median)


def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """Like :func:`median`, ignoring NaNs."""
    _check_median_input(input)
    return _value_or_pick("median()", input, dim, keepdim, out, Nanmedian, NanmedianDim,
                          return_types.nanmedian)


def mode(input, dim=-1, keepdim=False, *, out=None):
    """Returns ``(values, indices)``: the most frequent value along ``dim`` (the smallest among
    equally frequent ones) and the index of one of its occurrences."""
    return _value_or_pick("mode()", input, dim, keepdim, out, None, Mode, return_types.mode)


def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Returns the sum of ``input`` over ``dim``, treating NaNs as zero."""
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    if input._data.dtype.kind not in "fc":
        return input.sum(dim, keepdim, out=out)
    return _out(Nansum.apply(input, _reduced_dims(dim, input._data.ndim), keepdim), out)


def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Returns the mean of the non-NaN elements of ``input`` over ``dim``."""
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    if input._data.dtype.kind not in "fc":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {_scalar_type_name(input._data.dtype)}")
    count = (input == input).sum(dim, keepdim)
    return _out(nansum(input, dim, keepdim) / count, out)


_TENSOR_METHODS = [
    "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin", "std", "var",
    "logsumexp", "cumsum", "cumprod", "cummax", "cummin", "all", "any", "count_nonzero",
    "softmax", "log_softmax", "median", "nanmedian", "nansum", "nanmean", "mode",
]
_INPLACE_METHODS = ["cumsum", "cumprod"]
