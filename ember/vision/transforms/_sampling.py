"""Array kernels of the tensor backend: resizing, grid sampling and separable blurs.

They take arrays of shape ``(..., H, W)`` of any namespace (NumPy or CuPy) and follow PyTorch's
``interpolate`` and ``grid_sample`` (``align_corners=False``, zero padding) so that results
match torchvision's tensor backend. Resampling weights are built with NumPy on the host.
"""

import numpy as np

from ember.backends import namespace

_CUBIC_A = -0.75  # PyTorch's bicubic coefficient; the antialiased filter uses PIL's -0.5


def _source_index(in_size, out_size, offset):
    """Float32 source coordinates ``scale * (i + offset)`` of the output pixels, as PyTorch
    computes them (``scale = in / out``)."""
    scale = np.float32(in_size) / np.float32(out_size)
    return scale * (np.arange(out_size, dtype=np.float32) + np.float32(offset))


def _nearest_indices(in_size, out_size, mode):
    offset = 0.5 if mode == "nearest-exact" else 0.0
    index = np.floor(_source_index(in_size, out_size, offset)).astype(np.int64)
    return np.minimum(index, in_size - 1)


def _cubic_weights(t):
    """The four bicubic convolution weights for fractional offsets ``t``."""
    a = np.float32(_CUBIC_A)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], axis=1)


def _interpolation_taps(in_size, out_size, mode):
    """Input indices and weights, each ``(out_size, taps)``, of (bi)linear or bicubic
    interpolation without antialiasing."""
    source = _source_index(in_size, out_size, 0.5) - np.float32(0.5)
    if mode == "bilinear":
        source = np.maximum(source, 0)
    index = np.minimum(np.floor(source).astype(np.int64), in_size - 1)
    t = np.clip(source - index, 0, 1).astype(np.float32)
    if mode == "bilinear":
        indices = np.stack([index, np.minimum(index + 1, in_size - 1)], axis=1)
        return indices, np.stack([1 - t, t], axis=1)
    indices = np.clip(index[:, None] + np.arange(-1, 3), 0, in_size - 1)
    return indices, _cubic_weights(t)


def _triangle(x):
    return np.maximum(1 - np.abs(x), 0)


def _pil_cubic(x):
    a, x = -0.5, np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = (((x - 5) * x + 8) * x - 4) * a
    return np.where(x < 1, near, np.where(x < 2, far, 0))


def _antialias_taps(in_size, out_size, mode):
    """Indices and normalized weights of the antialiased filters (PIL's algorithm, which
    PyTorch's ``antialias=True`` follows): the filter support stretches when downscaling."""
    scale = in_size / out_size
    stretch = max(scale, 1.0)
    support = (1.0 if mode == "bilinear" else 2.0) * stretch
    center = scale * (np.arange(out_size) + 0.5)
    first = np.maximum((center - support + 0.5).astype(np.int64), 0)
    last = np.minimum((center + support + 0.5).astype(np.int64), in_size)
    indices = first[:, None] + np.arange(int((last - first).max()))
    distance = (indices - center[:, None] + 0.5) / stretch
    weights = (_triangle if mode == "bilinear" else _pil_cubic)(distance)
    weights = np.where(indices < last[:, None], weights, 0)
    total = weights.sum(axis=1, keepdims=True)
    weights = weights / np.where(total == 0, 1, total)
    return np.minimum(indices, in_size - 1), weights


def _resize_matrix(in_size, out_size, mode, antialias, dtype):
    """The ``in_size x out_size`` matrix that resizes an axis by right-multiplication."""
    taps = _antialias_taps if antialias else _interpolation_taps
    indices, weights = taps(in_size, out_size, mode)
    matrix = np.zeros((in_size, out_size), dtype=np.float64)
    np.add.at(matrix, (indices, np.arange(out_size)[:, None]), weights)
    return matrix.astype(dtype)


def resize(array, size, mode, antialias):
    """Resizes the last two axes of a float ``array`` to ``size`` (h, w) with ``mode``
    (nearest, nearest-exact, bilinear or bicubic)."""
    xp = namespace(array)
    (in_height, in_width), (height, width) = array.shape[-2:], size
    if mode in ("nearest", "nearest-exact"):
        rows = xp.asarray(_nearest_indices(in_height, height, mode))
        columns = xp.asarray(_nearest_indices(in_width, width, mode))
        return array[..., rows[:, None], columns]
    if width != in_width:  # horizontal pass first, like PyTorch and PIL
        array = array @ xp.asarray(_resize_matrix(in_width, width, mode, antialias,
                                                  array.dtype))
    if height != in_height:
        matrix = _resize_matrix(in_height, height, mode, antialias, array.dtype)
        array = xp.asarray(np.ascontiguousarray(matrix.T)) @ array
    return array


def affine_grid(theta, width, height, out_width, out_height):
    """Sampling grid (``out_height x out_width x 2``, normalized coordinates) of the 2 x 3
    affine ``theta`` that maps output pixels, centered on the image, to input pixels."""
    xp = namespace(theta)
    x = xp.arange(out_width, dtype=theta.dtype) + (0.5 - out_width * 0.5)
    y = xp.arange(out_height, dtype=theta.dtype) + (0.5 - out_height * 0.5)
    base = _base_grid(xp, x, y)
    scale = xp.asarray([0.5 * width, 0.5 * height], dtype=theta.dtype)
    return (base @ (theta.T / scale)).reshape(out_height, out_width, 2)


def perspective_grid(coeffs, width, height, dtype, xp):
    """Sampling grid of the perspective transform with PIL's 8 ``coeffs``."""
    theta1 = xp.asarray([coeffs[0:3], coeffs[3:6]], dtype=dtype)
    theta2 = xp.asarray([[coeffs[6], coeffs[7], 1.0]] * 2, dtype=dtype)
    x = xp.arange(width, dtype=dtype) + 0.5
    y = xp.arange(height, dtype=dtype) + 0.5
    base = _base_grid(xp, x, y)
    scale = xp.asarray([0.5 * width, 0.5 * height], dtype=dtype)
    grid = (base @ (theta1.T / scale)) / (base @ theta2.T) - 1
    return grid.reshape(height, width, 2)


def _base_grid(xp, x, y):
    """Rows ``(x, y, 1)`` for every output pixel, row-major."""
    base = xp.ones((y.shape[0], x.shape[0], 3), dtype=x.dtype)
    base[..., 0] = x
    base[..., 1] = y[:, None]
    return base.reshape(-1, 3)


def grid_sample(array, grid, mode):
    """Samples ``array`` (..., H, W) at ``grid`` (h x w x 2, normalized coordinates) with
    nearest or bilinear interpolation; outside pixels count as zero.

    Returns the samples and the total weight that fell inside the image (1 for pixels that
    map inside), which callers use to blend in a fill color.
    """
    xp = namespace(array)
    height, width = array.shape[-2:]
    x = ((grid[..., 0] + 1) * width - 1) / 2
    y = ((grid[..., 1] + 1) * height - 1) / 2
    if mode == "nearest":
        corners = [(xp.rint(x), xp.rint(y), xp.ones_like(x))]
    else:
        x0, y0 = xp.floor(x), xp.floor(y)
        x1, y1 = x0 + 1, y0 + 1
        corners = [(x0, y0, (x1 - x) * (y1 - y)), (x1, y0, (x - x0) * (y1 - y)),
                   (x0, y1, (x1 - x) * (y - y0)), (x1, y1, (x - x0) * (y - y0))]
    output = inside_weight = 0
    for corner_x, corner_y, weight in corners:
        inside = (corner_x >= 0) & (corner_x < width) & (corner_y >= 0) & (corner_y < height)
        weight = xp.where(inside, weight, 0).astype(array.dtype)
        rows = xp.clip(corner_y, 0, height - 1).astype(xp.int64)
        columns = xp.clip(corner_x, 0, width - 1).astype(xp.int64)
        output = output + array[..., rows, columns] * weight
        inside_weight = inside_weight + weight
    return output, inside_weight


def gaussian_kernel1d(kernel_size, sigma, dtype):
    half = (kernel_size - 1) * 0.5
    x = np.linspace(-half, half, kernel_size).astype(dtype)
    pdf = np.exp(-0.5 * (x / sigma) ** 2)
    return pdf / pdf.sum()


def correlate(array, kernel):
    """'Valid' cross-correlation of the last two axes of ``array`` with a small 2-D kernel
    (a NumPy array; pass ``k[None, :]`` then ``k[:, None]`` for a separable one)."""
    kernel_height, kernel_width = kernel.shape
    height = array.shape[-2] - kernel_height + 1
    width = array.shape[-1] - kernel_width + 1
    return sum(float(kernel[i, j]) * array[..., i:i + height, j:j + width]
               for i in range(kernel_height) for j in range(kernel_width))
