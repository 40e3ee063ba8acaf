"""Pooling: ``F.max_pool*``, ``F.avg_pool*``, ``F.adaptive_*_pool*``, ``F.lp_pool*`` and
``F.max_unpool*``, with PyTorch's argument checks and messages (the array work is in
``ember/_ops/pooling.py``)."""

import math
import operator

import ember
from ember._ops import pooling as _pooling
from ember._ops.resample import area_map, resample
from ember._tensor import _scalar_type_name
from ember.nn._utils import _ntuple

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_avg_pool3d", "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_unpool1d",
           "max_unpool2d", "max_unpool3d"]

_COUNT = {1: "one", 2: "two", 3: "three"}
_POSITIONS = {"output_size": 2, "kernel_size": 2, "stride": 3, "padding": 4, "dilation": 5}


# ---------------------------------------------------------------------- argument checks
def _is_int(value):
    return hasattr(value, "__index__") and not isinstance(value, bool)


def _int_list(value, name, function):
    """``value`` (an int or a sequence of ints) as a tuple; TypeError like PyTorch's parser."""
    where = f"{function}(): argument '{name}' (position {_POSITIONS[name]}) must be tuple of ints"
    if _is_int(value):
        return (operator.index(value),)
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{where}, not {type(value).__name__}")
    for index, item in enumerate(value):
        if not _is_int(item):
            raise TypeError(f"{where}, but found element of type {type(item).__name__} at pos "
                            f"{index}")
    return tuple(operator.index(item) for item in value)


def _expand(value, nd, name, function, message):
    """An int or 1- or ``nd``-sequence as ``nd`` ints; RuntimeError(message) otherwise."""
    values = _int_list(value, name, function)
    if len(values) not in (1, nd):
        raise RuntimeError(message)
    return values * nd if len(values) == 1 else values


def _trunc_div(a, b):
    return -(-a // b) if (a < 0) != (b < 0) else a // b


def _output_length(size, kernel_size, stride, padding, dilation, ceil_mode):
    """PyTorch's ``pooling_output_shape``, with its checks."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if padding < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {padding}")
    if padding > _trunc_div((kernel_size - 1) * dilation + 1, 2):
        raise RuntimeError("pad should be at most half of effective kernel size, but got "
                           f"pad={padding}, kernel_size={kernel_size} and dilation={dilation}")
    length = (size + 2 * padding - dilation * (kernel_size - 1) - 1
              + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (length - 1) * stride >= size + padding:
        length -= 1  # the last window must start inside the input or the left padding
    return length


def _labels(nd):
    return ("T", "H", "W")[3 - nd:]


def _labelled(prefix, values, nd):
    return " ".join(f"{prefix}{label}: {value}" for label, value in zip(_labels(nd), values))


def _shape_check(input, geometry, function):
    """PyTorch's ``pool2d_shape_check`` / ``pool3d_shape_check``."""
    kernel_size, stride, padding, dilation, output_size = geometry
    nd = len(kernel_size)
    sizes = list(input.shape)
    if min(kernel_size) <= 0:
        raise RuntimeError("kernel size should be greater than zero, but got "
                           + _labelled("k", kernel_size, nd))
    if min(stride) <= 0:
        raise RuntimeError("stride should be greater than zero, but got "
                           + _labelled("d", stride, nd))
    if min(dilation) <= 0:
        raise RuntimeError("dilation should be greater than zero, but got "
                           + _labelled("dilation", dilation, nd))
    batched = input.dim() == nd + 2
    if nd == 2 and 0 in sizes[1 if batched else 0:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{sizes}")
    if nd == 3 and 0 in sizes[1 if batched else 0:]:
        raise RuntimeError(f"{function}: Expected input's non-batch dimensions to have positive "
                           f"length, but input has a shape of {sizes} and non-batch dimension "
                           f"{sizes[1 if batched else 0:].index(0)} has length zero!")
    spatial = tuple(input.shape[-nd:])
    if function == "avg_pool3d()" and any(s < k for s, k in zip(spatial, kernel_size)):
        raise RuntimeError(f"input image (T: {spatial[0]} H: {spatial[1]} W: {spatial[2]}) "
                           f"smaller than kernel size (kT: {kernel_size[0]} kH: "
                           f"{kernel_size[1]} kW: {kernel_size[2]})")
    if any(k // 2 < p for k, p in zip(kernel_size, padding)):
        if nd == 2:
            raise RuntimeError(
                "pad should be smaller than or equal to half of kernel size, but got "
                f"padW = {padding[1]}, padH = {padding[0]}, kW = {kernel_size[1]}, "
                f"kH = {kernel_size[0]}")
        raise RuntimeError(
            "pad should be smaller than or equal to half of kernel size, but got kT: "
            f"{kernel_size[0]} kW: {kernel_size[2]} kH: {kernel_size[1]} padT: {padding[0]} "
            f"padW: {padding[2]} padH: {padding[1]}")
    if min(output_size) < 1:
        planes = input.shape[-nd - 1]
        given = "x".join(map(str, (planes,) + spatial))
        calculated = "x".join(map(str, (planes,) + tuple(output_size)))
        raise RuntimeError(f"Given input size: ({given}). Calculated output size: "
                           f"({calculated}). Output size is too small")


def _geometry(input, nd, function, kernel_size, stride, padding, dilation, ceil_mode):
    """Checks a 2-d or 3-d pooling call; returns ``(kernel, stride, padding, dilation,
    output_size)``. ``function`` is PyTorch's name for the messages."""
    count = _COUNT[nd]
    be = "be" if function == "avg_pool3d" else "either be"
    kernel_size = _expand(kernel_size, nd, "kernel_size", function,
                          f"{function}: kernel_size must {be} a single int, or a tuple of "
                          f"{count} ints")
    stride = kernel_size if stride is None or stride == [] or stride == () else _expand(
        stride, nd, "stride", function,
        f"{function}: stride must {be} omitted, a single int, or a tuple of {count} ints")
    padding = _expand(padding, nd, "padding", function,
                      f"{function}: padding must {be} a single int, or a tuple of {count} ints")
    dilation = _expand(dilation, nd, "dilation", function,
                       f"{function}: dilation must be either a single int, or a tuple of "
                       f"{count} ints")
    if input.dim() not in (nd + 1, nd + 2):
        _raise_dims(input, nd, function)
    output_size = tuple(_output_length(size, k, s, p, d, ceil_mode) for size, k, s, p, d
                        in zip(input.shape[-nd:], kernel_size, stride, padding, dilation))
    geometry = kernel_size, stride, padding, dilation, output_size
    _shape_check(input, geometry, "max_pool3d_with_indices_out_cpu_template()"
                 if function == "max_pool3d" else f"{function}()")
    return geometry


def _raise_dims(input, nd, function):
    if function == "avg_pool2d" and input.dim() < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-max(input.dim(), 1)}, {max(input.dim(), 1) - 1}], but got -3)")
    if function == "avg_pool2d":
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{list(input.shape)}")
    raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for "
                       "input")


def _check_dims_range(input, low, high, function):
    if not low <= input.dim() <= high:
        raise RuntimeError(f"Expected {low} to {high} dimensions, but got {input.dim()}-"
                           f"dimensional tensor for argument #1 'self' (while checking "
                           f"arguments for {function})")


def _single(value, name, function):
    values = _int_list(value, name, function)
    if len(values) != 1:
        raise RuntimeError(f"{function}() argument '{name}' should contain one int "
                           f"(got {len(values)})")
    return values


def _check_floating_or_long(input, function):
    if not (input.dtype.is_floating_point or input.dtype == ember.int64):
        raise NotImplementedError(f'"{function}" not implemented for '
                                  f"'{_scalar_type_name(input._data.dtype)}'")


def _check_floating(input, function):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{function}" not implemented for '
                                  f"'{_scalar_type_name(input._data.dtype)}'")


# ---------------------------------------------------------------------- max pooling
def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    r"""Applies 2D max pooling; returns ``(output, indices)`` (flat positions in H*W)."""
    geometry = _geometry(input, 2, "max_pool2d", kernel_size, stride, padding, dilation,
                         ceil_mode)
    _check_floating_or_long(input, "max_pool2d")
    return _pooling.max_pool(input, geometry, True)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    r"""Applies 2D max pooling over an input of shape :math:`(N, C, H, W)` or :math:`(C, H, W)`.

    ``stride`` defaults to ``kernel_size``; ``ceil_mode`` keeps a last partial window when it
    starts inside the input or the left padding; ``return_indices`` also returns the flat
    position of every max (for :func:`max_unpool2d`).
    """
    if return_indices:
        return max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    geometry = _geometry(input, 2, "max_pool2d", kernel_size, stride, padding, dilation,
                         ceil_mode)
    _check_floating_or_long(input, "max_pool2d")
    return _pooling.max_pool(input, geometry, False)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    r"""Applies 3D max pooling; returns ``(output, indices)`` (flat positions in D*H*W)."""
    geometry = _geometry(input, 3, "max_pool3d", kernel_size, stride, padding, dilation,
                         ceil_mode)
    _check_floating_or_long(input, "max_pool3d")
    return _pooling.max_pool(input, geometry, True)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    r"""Applies 3D max pooling over an input of shape :math:`(N, C, D, H, W)` or
    :math:`(C, D, H, W)` (see :func:`max_pool2d`)."""
    if return_indices:
        return max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    geometry = _geometry(input, 3, "max_pool3d", kernel_size, stride, padding, dilation,
                         ceil_mode)
    _check_floating_or_long(input, "max_pool3d")
    return _pooling.max_pool(input, geometry, False)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    r"""Applies 1D max pooling; returns ``(output, indices)``."""
    _check_dims_range(input, 2, 3, "max_pool1d")
    kernel_size = _single(kernel_size, "kernel_size", "max_pool1d")
    stride = () if stride is None else _single(stride, "stride", "max_pool1d")
    padding = _single(padding, "padding", "max_pool1d")
    dilation = _single(dilation, "dilation", "max_pool1d")
    output, indices = max_pool2d_with_indices(
        input.unsqueeze(-2), (1,) + kernel_size, (1,) + stride if stride else None,
        (0,) + padding, (1,) + dilation, ceil_mode)
    return output.squeeze(-2), indices.squeeze(-2)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    r"""Applies 1D max pooling over an input of shape :math:`(N, C, L)` or :math:`(C, L)`."""
    if return_indices:
        return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    geometry = _max_pool1d_geometry(input, kernel_size, stride, padding, dilation, ceil_mode)
    _check_floating_or_long(input, "max_pool1d")
    return _pooling.max_pool(input.unsqueeze(-2), geometry, False).squeeze(-2)


def _max_pool1d_geometry(input, kernel_size, stride, padding, dilation, ceil_mode):
    """``max_pool1d``'s own checks (PyTorch's separate kernel); the geometry as 2-d."""
    if input.dim() not in (2, 3) or 0 in input.shape[-2 if input.dim() == 2 else 1:]:
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(input.shape)}")
    prefix = "max_pool1d()"
    values = {}
    for name, value, kind in (("kernel_size", kernel_size, "an int, list of ints or"),
                              ("stride", stride, "None, an int, list of ints, or"),
                              ("padding", padding, "an int, list of ints, or"),
                              ("dilation", dilation, "an int, list of ints or")):
        items = () if value is None else _int_list(value, name, "max_pool1d")
        if len(items) > 1 or (not items and name != "stride"):
            raise RuntimeError(f"{prefix} {name} must be {kind} tuple of ints of size 1 but "
                               f"got size {len(items)}")
        values[name] = items[0] if items else None
    kernel, pad, dilate = values["kernel_size"], values["padding"], values["dilation"]
    step = kernel if values["stride"] is None else values["stride"]
    for name, value in (("kernel_size", kernel), ("stride", step)):
        if value <= 0:
            raise RuntimeError(f"{prefix} {name} must be greater than zero, but got {value}")
    if pad < 0:
        raise RuntimeError(f"{prefix} padding must be non-negative, but got {pad}")
    if pad > kernel // 2:
        raise RuntimeError(f"{prefix} padding should be at most half of kernel size, but got "
                           f"padding={pad} and kernel_size={kernel}")
    if dilate <= 0:
        raise RuntimeError(f"{prefix} dilation must be greater than zero, but got {dilate}")
    length = _output_length(input.shape[-1], kernel, step, pad, dilate, ceil_mode)
    if length <= 0:
        raise RuntimeError(f"{prefix} Invalid computed output size: {length}")
    return (1, kernel), (1, step), (0, pad), (1, dilate), (1, length)


# ---------------------------------------------------------------------- average pooling
def _avg_pool(input, nd, function, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override):
    if divisor_override is not None and (not isinstance(divisor_override, int)
                                         or isinstance(divisor_override, bool)):
        raise TypeError(f"{function}(): argument 'divisor_override' must be int, not "
                        f"{type(divisor_override).__name__}")
    if divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    geometry = _geometry(input, nd, function, kernel_size, stride, padding, 1, ceil_mode)
    _check_floating_or_long(input, function)
    return _pooling.avg_pool(input, geometry, count_include_pad, divisor_override)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    r"""Applies 2D average pooling over an input of shape :math:`(N, C, H, W)` or
    :math:`(C, H, W)`; ``count_include_pad`` counts the zero padding in each window's divisor,
    ``divisor_override`` replaces the divisor."""
    return _avg_pool(input, 2, "avg_pool2d", kernel_size, stride, padding, ceil_mode,
                     count_include_pad, divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    r"""Applies 3D average pooling over an input of shape :math:`(N, C, D, H, W)` or
    :math:`(C, D, H, W)` (see :func:`avg_pool2d`)."""
    return _avg_pool(input, 3, "avg_pool3d", kernel_size, stride, padding, ceil_mode,
                     count_include_pad, divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    r"""Applies 1D average pooling over an input of shape :math:`(N, C, L)` or :math:`(C, L)`."""
    _check_dims_range(input, 2, 3, "avg_pool1d")
    kernel_size = _single(kernel_size, "kernel_size", "avg_pool1d")
    stride = kernel_size if stride is None else _single(stride, "stride", "avg_pool1d")
    padding = _single(padding, "padding", "avg_pool1d")
    return avg_pool2d(input.unsqueeze(-2), (1,) + kernel_size, (1,) + stride,
                      (0,) + padding, ceil_mode, count_include_pad).squeeze(-2)


# ---------------------------------------------------------------------- adaptive pooling
def _list_with_default(output_size, input):
    if isinstance(output_size, int):
        return output_size
    if input.dim() <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    return [size if size is not None else default
            for size, default in zip(output_size, input.shape[-len(output_size):])]


def _adaptive_sizes(input, output_size, nd, function, max_pool):
    """Checks an adaptive pooling call (PyTorch's messages); the output size as a tuple."""
    output_size = _list_with_default(output_size, input)
    sizes = (output_size,) * nd if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != nd:
        raise RuntimeError(f"{function}(): internal error: output_size.size() must be {nd}"
                           if max_pool else f"{function}: output_size must be {nd}")
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{function}(): Expected {nd + 1}D or {nd + 2}D tensor, but got"
                           f"{':' if max_pool else ''} {list(input.shape)}")
    for dim in range(1 if input.dim() == nd + 2 else 0, input.dim()):
        if input.shape[dim] == 0:
            raise RuntimeError(f"{function}(): Expected input to have non-zero size for "
                               "non-batch dimensions, but input has sizes "
                               f"{list(input.shape)} with dimension {dim} being empty")
    if min(sizes) < 0:
        if max_pool:
            shape = list(input.shape[:-nd]) + list(sizes)
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: "
                               f"{shape}")
        received = ", ".join(map(str, sizes)) if nd == 2 else \
            f"{sizes[0]}, {sizes[1]},{sizes[2]}"
        raise RuntimeError(f"{function}: elements of output_size must be greater than or "
                           f"equal to 0 but received {{{received}}}")
    return sizes


def _adaptive_avg(input, sizes, name):
    if all(size == 1 for size in sizes):
        return input.mean(tuple(range(-len(sizes), 0)), keepdim=True)
    maps = [area_map(size, out, input._data.dtype) if size != out else None
            for size, out in zip(input.shape[-len(sizes):], sizes)]
    return resample(input, maps, name)


def adaptive_avg_pool2d(input, output_size):
    r"""Applies 2D adaptive average pooling: output ``(H_out, W_out)`` whatever the input size
    (``None`` keeps that input dimension); window ``i`` spans
    ``[floor(i * H / H_out), ceil((i + 1) * H / H_out))``."""
    sizes = _adaptive_sizes(input, output_size, 2, "adaptive_avg_pool2d", False)
    _check_floating(input, "adaptive_avg_pool2d")
    return _adaptive_avg(input, sizes, "AdaptiveAvgPool2D")


def adaptive_avg_pool3d(input, output_size):
    r"""Applies 3D adaptive average pooling (see :func:`adaptive_avg_pool2d`)."""
    sizes = _adaptive_sizes(input, output_size, 3, "adaptive_avg_pool3d", False)
    _check_floating(input, "adaptive_avg_pool3d")
    return _adaptive_avg(input, sizes, "AdaptiveAvgPool3D")


def adaptive_avg_pool1d(input, output_size):
    r"""Applies 1D adaptive average pooling over an input of shape :math:`(N, C, L)` or
    :math:`(C, L)`."""
    _check_dims_range(input, 2, 3, "adaptive_avg_pool1d")
    sizes = _single(output_size, "output_size", "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1,) + sizes).squeeze(-2)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    r"""Applies 2D adaptive max pooling; returns ``(output, indices)``."""
    sizes = _adaptive_sizes(input, output_size, 2, "adaptive_max_pool2d", True)
    _check_floating(input, "adaptive_max_pool2d")
    return _pooling.adaptive_max_pool(input, sizes)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    r"""Applies 2D adaptive max pooling (windows as in :func:`adaptive_avg_pool2d`)."""
    result = adaptive_max_pool2d_with_indices(input, output_size)
    return result if return_indices else result[0]


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    r"""Applies 3D adaptive max pooling; returns ``(output, indices)``."""
    sizes = _adaptive_sizes(input, output_size, 3, "adaptive_max_pool3d", True)
    _check_floating(input, "adaptive_max_pool3d")
    return _pooling.adaptive_max_pool(input, sizes)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    r"""Applies 3D adaptive max pooling (windows as in :func:`adaptive_avg_pool2d`)."""
    result = adaptive_max_pool3d_with_indices(input, output_size)
    return result if return_indices else result[0]


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    r"""Applies 1D adaptive max pooling; returns ``(output, indices)``."""
    _check_dims_range(input, 2, 3, "adaptive_max_pool1d")
    sizes = _single(output_size, "output_size", "adaptive_max_pool1d")
    for dim in range(1 if input.dim() == 3 else 0, input.dim()):
        if input.shape[dim] == 0:
            raise RuntimeError("adaptive_max_pool1d(): Expected input to have non-zero size "
                               f"for non-batch dimensions, but input has sizes "
                               f"{list(input.shape)} with dimension {dim} being empty")
    output, indices = adaptive_max_pool2d_with_indices(input.unsqueeze(-2), (1,) + sizes)
    return output.squeeze(-2), indices.squeeze(-2)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    r"""Applies 1D adaptive max pooling over an input of shape :math:`(N, C, L)` or
    :math:`(C, L)`."""
    result = adaptive_max_pool1d_with_indices(input, output_size)
    return result if return_indices else result[0]


# ---------------------------------------------------------------------- power-average pooling
def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, nd):
    pools = {1: (avg_pool1d, max_pool1d), 2: (avg_pool2d, max_pool2d),
             3: (avg_pool3d, max_pool3d)}
    avg, maximum = pools[nd]
    if isinstance(norm_type, (int, float)):
        if norm_type == 0:
            raise ValueError(f"norm_type must be a non-zero value, but got {norm_type}")
        if norm_type == math.inf:
            return maximum(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -math.inf:
            return -maximum(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    window = kernel_size if nd == 1 else math.prod(
        kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * nd)
    if stride is not None:
        output = avg(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        output = avg(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (ember.sign(output) * ember.relu(ember.abs(output))).mul(window).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    r"""Applies 1D power-average pooling: :math:`(\sum x^p)^{1/p}` over each window."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    r"""Applies 2D power-average pooling: :math:`(\sum x^p)^{1/p}` over each window."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    r"""Applies 3D power-average pooling: :math:`(\sum x^p)^{1/p}` over each window."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


# ---------------------------------------------------------------------- unpooling
def _unpool_output_size(input, kernel_size, stride, padding, output_size):
    nd = len(kernel_size)
    default = [(input.shape[-nd + d] - 1) * stride[d] + kernel_size[d] - 2 * padding[d]
               for d in range(nd)]
    if output_size is None:
        result = default
    else:
        output_size = list(output_size)
        if len(output_size) == nd + 2:
            output_size = output_size[2:]
        if len(output_size) != nd:
            raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                             f"elements, but it has a length of '{len(output_size)}'")
        for d in range(nd):
            low, high = default[d] - stride[d], default[d] + stride[d]
            if not low < output_size[d] < high:
                raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must '
                                 f"be between {low} and {high})")
        result = output_size
    for d, size in enumerate(result):
        if size < 0:
            raise ValueError("max_unpooling: output_size must contain non-negative spatial "
                             f"dimensions, but got output_size[{d}]={size}")
    return tuple(result)


def _max_unpool(input, indices, output_size, nd):
    if indices.dtype != ember.int64:
        raise RuntimeError("elements in indices should be type int64 but got: "
                           f"{_scalar_type_name(indices._data.dtype)}")
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d "
                           f"Tensor, but got a tensor with {input.dim()} dimensions.")
    if input.shape != indices.shape:
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    for dim in range(1, input.dim()):
        if input.shape[dim] == 0:
            raise RuntimeError(f"max_unpooling{nd}d_forward_out_cpu(): Expected input to have "
                               "non-zero size for non-batch dimensions, but got "
                               f"{list(input.shape)} with dimension {dim} being empty.")
    volume = math.prod(output_size)
    flat = indices._data.reshape(-1)
    invalid = (flat < 0) | (flat >= volume)
    if invalid.any():
        raise RuntimeError(f"Found an invalid max index: {int(flat[invalid.argmax()])} "
                           f"(output volumes are of size {'x'.join(map(str, output_size))})")
    return _pooling.max_unpool(input, indices, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Computes a partial inverse of :func:`max_pool2d`: each value goes back to its index,
    the rest is zero."""
    kernel_size = _ntuple(kernel_size, 2)
    stride = kernel_size if stride is None else _ntuple(stride, 2)
    size = _unpool_output_size(input, kernel_size, stride, _ntuple(padding, 2), output_size)
    return _max_unpool(input, indices, size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Computes a partial inverse of :func:`max_pool3d`."""
    kernel_size = _ntuple(kernel_size, 3)
    stride = kernel_size if stride is None else _ntuple(stride, 3)
    size = _unpool_output_size(input, kernel_size, stride, _ntuple(padding, 3), output_size)
    return _max_unpool(input, indices, size, 3)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Computes a partial inverse of :func:`max_pool1d`."""
    kernel_size = _ntuple(kernel_size, 1)
    stride = kernel_size if stride is None else _ntuple(stride, 1)
    size = _unpool_output_size(input, kernel_size, stride, _ntuple(padding, 1), output_size)
    return _max_unpool(input.unsqueeze(-1), indices.unsqueeze(-1), size + (1,), 2).squeeze(-1)
