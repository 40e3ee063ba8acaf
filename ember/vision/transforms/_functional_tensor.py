"""The tensor backend of :mod:`ember.vision.transforms.functional`.

Images are tensors of shape ``(..., C, H, W)``. Pointwise color math, flips, crops and
normalization use ember ops (so they record gradients); resizing, padding, geometric warps,
blurs and histogram ops run on the tensor's array (NumPy or CuPy) with the kernels of
:mod:`._sampling`, following PyTorch's ``interpolate`` / ``grid_sample`` as torchvision does.
"""

import numpy as np

import ember
from ember._tensor import _make
from ember.backends import namespace
from ember.vision.transforms import _sampling
from ember.vision.transforms._functional_pil import _check_pad_args, _parse_padding

_MAX_VALUES = {"uint8": 255, "int8": 127, "int16": 32767, "uint16": 65535,
               "int32": 2**31 - 1, "int64": 2**63 - 1}


def _assert_image_tensor(img):
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def _assert_channels(img, permitted):
    channels = get_dimensions(img)[0]
    if channels not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {permitted}, but "
                        f"found {channels}")


def _assert_at_least_3d(img):
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found "
                        f"{img.ndim}")


def get_dimensions(img):
    _assert_image_tensor(img)
    channels = 1 if img.ndim == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def get_image_size(img):
    _assert_image_tensor(img)
    return [img.shape[-1], img.shape[-2]]


def get_image_num_channels(img):
    return get_dimensions(img)[0]


def _max_value(dtype):
    """The value of a fully saturated pixel: 1 for floats, the maximum for integers."""
    return _MAX_VALUES.get(dtype.name, 1)


def _float_dtype(img):
    """The dtype the tensor backend computes in: the image's if floating, else float32."""
    return img.dtype.numpy if img.is_floating_point() else np.float32


def _float_array(img, dtype=None):
    array = img.detach()._data
    return array.astype(dtype or _float_dtype(img), copy=False)


def _image_from_array(array, dtype):
    """Wraps a float result as a tensor of the image's ``dtype``, rounding for integers."""
    xp = namespace(array)
    if not (dtype.is_floating_point or dtype.is_complex):
        array = xp.rint(array)
    return _make(array.astype(dtype.numpy, copy=False))


def convert_image_dtype(image, dtype=ember.float32):
    if image.dtype == dtype:
        return image
    if image.is_floating_point():
        if dtype.is_floating_point:
            return image.to(dtype)
        if (image.dtype == ember.float32 and dtype in (ember.int32, ember.int64)) or \
                (image.dtype == ember.float64 and dtype == ember.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed "
                               "safely.")
        # 1 - eps keeps 1.0 at the maximum while spreading [0, 1) evenly over the integers
        return image.mul(_max_value(dtype) + 1.0 - 1e-3).to(dtype)
    input_max = float(_max_value(image.dtype))
    if dtype.is_floating_point:
        return image.to(dtype) / input_max
    output_max = float(_max_value(dtype))
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return ember.div(image, factor, rounding_mode="floor").to(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return image.to(dtype) * factor


def normalize(tensor, mean, std, inplace=False):
    _assert_image_tensor(tensor)
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    if not inplace:
        tensor = tensor.clone()
    dtype = tensor.dtype
    mean = ember.as_tensor(mean, dtype=dtype, device=tensor.device)
    std = ember.as_tensor(std, dtype=dtype, device=tensor.device)
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {dtype}, leading to "
                         "division by zero.")
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    return tensor.sub_(mean).div_(std)


# ------------------------------------------------------------------------ geometry
def hflip(img):
    _assert_image_tensor(img)
    return img.flip(-1)


def vflip(img):
    _assert_image_tensor(img)
    return img.flip(-2)


def crop(img, top, left, height, width):
    _assert_image_tensor(img)
    _, image_height, image_width = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > image_width or bottom > image_height:
        padding = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                   max(right - max(image_width, left), 0),
                   max(bottom - max(image_height, top), 0)]
        return pad(img[..., max(top, 0):bottom, max(left, 0):right], padding, fill=0)
    return img[..., top:bottom, left:right]


def _check_reflect_padding(shape, widths):
    for dim in reversed(range(len(shape))):  # PyTorch checks the width first
        before, after = widths[dim]
        if before >= shape[dim] or after >= shape[dim]:
            raise RuntimeError(f"Argument #4: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({before}, "
                               f"{after}) at dimension {dim} of input {list(shape)}")


def pad(img, padding, fill=0, padding_mode="constant"):
    _assert_image_tensor(img)
    fill = 0 if fill is None else fill
    _check_pad_args(padding, fill, padding_mode, (int, float))
    left, top, right, bottom = _parse_padding(padding)
    array = img.detach()._data
    height, width = array.shape[-2:]
    # negative padding crops
    array = array[..., max(-top, 0):height - max(-bottom, 0), max(-left, 0):width - max(-right, 0)]
    widths = [(0, 0)] * (array.ndim - 2) + [(max(top, 0), max(bottom, 0)),
                                            (max(left, 0), max(right, 0))]
    xp = namespace(array)
    if padding_mode == "constant":
        return _make(xp.pad(array, widths, constant_values=fill))
    if padding_mode == "reflect":
        _check_reflect_padding(array.shape, widths)
    return _make(xp.pad(array, widths, mode=padding_mode))


def resize(img, size, interpolation="bilinear", antialias=True):
    _assert_image_tensor(img)
    if interpolation == "lanczos":
        raise ValueError("Lanczos mode requires antialias=True")
    if interpolation not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"for the modes: nearest | linear | bilinear | bicubic | "
                                  f"trilinear | area | nearest-exact (got {interpolation})")
    antialias = bool(antialias) and interpolation in ("bilinear", "bicubic")
    array = img.detach()._data
    if interpolation.startswith("nearest"):
        return _make(_sampling.resize(array, list(size), interpolation, False))
    output = _sampling.resize(_float_array(img, _work_dtype(img)), list(size), interpolation,
                              antialias)
    if interpolation == "bicubic" and img.dtype == ember.uint8:
        output = namespace(output).clip(output, 0, 255)
    return _image_from_array(output, img.dtype)


def _work_dtype(img):
    """interpolate's working dtype: float32 unless the image is float64."""
    return np.float64 if img.dtype == ember.float64 else np.float32


def _assert_grid_transform_inputs(img, interpolation, fill):
    _assert_image_tensor(img)
    channels = get_dimensions(img)[0]
    if isinstance(fill, (tuple, list)) and len(fill) > 1 and len(fill) != channels:
        raise ValueError(f"The number of elements in 'fill' cannot broadcast to match the "
                         f"number of channels of the image ({len(fill)} != {channels})")
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")


def _apply_grid_transform(img, grid, mode, fill):
    """Samples ``img`` at ``grid``; pixels that map outside get ``fill`` when it is given
    (blended by the inside weight for bilinear), zero otherwise."""
    array = _float_array(img, grid.dtype)
    xp = namespace(array)
    output, inside = _sampling.grid_sample(array, grid, mode)
    if fill is not None:
        fill = fill if isinstance(fill, (tuple, list)) else [float(fill)]
        fill = xp.asarray(fill, dtype=array.dtype).reshape((-1, 1, 1) if array.ndim > 2 else ())
        if mode == "nearest":
            output = xp.where(inside < 0.5, fill, output)
        else:
            output = output * inside + (1.0 - inside) * fill
    return _image_from_array(output, img.dtype)


def _theta(img, matrix):
    xp = namespace(img._data)
    return xp.asarray(matrix, dtype=_float_dtype(img)).reshape(2, 3)


def affine(img, matrix, interpolation="nearest", fill=None):
    _assert_grid_transform_inputs(img, interpolation, fill)
    height, width = img.shape[-2:]
    grid = _sampling.affine_grid(_theta(img, matrix), width, height, width, height)
    return _apply_grid_transform(img, grid, interpolation, fill)


def _compute_affine_output_size(matrix, width, height):
    """The size (w, h) that holds the whole image after the affine ``matrix`` (float32 math
    with a 1e-4 tolerance, as torchvision)."""
    corners = np.array([[-0.5 * width, -0.5 * height, 1.0], [-0.5 * width, 0.5 * height, 1.0],
                        [0.5 * width, 0.5 * height, 1.0], [0.5 * width, -0.5 * height, 1.0]],
                       dtype=np.float32)
    points = corners @ np.array(matrix, dtype=np.float32).reshape(2, 3).T
    half = np.array([width * 0.5, height * 0.5], dtype=np.float32)
    low, high = points.min(axis=0) + half, points.max(axis=0) + half
    tol = 1e-4
    size = np.ceil(np.trunc(high / tol) * tol) - np.floor(np.trunc(low / tol) * tol)
    return int(size[0]), int(size[1])


def rotate(img, matrix, interpolation="nearest", expand=False, fill=None):
    _assert_grid_transform_inputs(img, interpolation, fill)
    height, width = img.shape[-2:]
    out_width, out_height = _compute_affine_output_size(matrix, width, height) if expand \
        else (width, height)
    grid = _sampling.affine_grid(_theta(img, matrix), width, height, out_width, out_height)
    return _apply_grid_transform(img, grid, interpolation, fill)


def perspective(img, perspective_coeffs, interpolation="bilinear", fill=None):
    _assert_grid_transform_inputs(img, interpolation, fill)
    if len(perspective_coeffs) != 8:
        raise ValueError("Argument coeffs should have 8 float values")
    height, width = img.shape[-2:]
    grid = _sampling.perspective_grid(perspective_coeffs, width, height, _float_dtype(img),
                                      namespace(img._data))
    return _apply_grid_transform(img, grid, interpolation, fill)


def elastic_transform(img, displacement, interpolation="bilinear", fill=None):
    height, width = img.shape[-2:]
    axes = [ember.linspace((-s + 1) / s, (s - 1) / s, s, device=img.device)
            for s in (height, width)]
    grid_y, grid_x = ember.meshgrid(axes, indexing="ij")
    grid = ember.stack([grid_x, grid_y], -1) + displacement.to(img.device)
    return _apply_grid_transform(img, grid.detach()._data[0], interpolation, fill)


def gaussian_blur(img, kernel_size, sigma):
    _assert_image_tensor(img)
    dtype = _float_dtype(img)
    kernel_x = _sampling.gaussian_kernel1d(kernel_size[0], sigma[0], dtype)
    kernel_y = _sampling.gaussian_kernel1d(kernel_size[1], sigma[1], dtype)
    array = _float_array(img)
    widths = [(0, 0)] * (array.ndim - 2) + [(kernel_size[1] // 2,) * 2,
                                            (kernel_size[0] // 2,) * 2]
    _check_reflect_padding(array.shape, widths)
    array = namespace(array).pad(array, widths, mode="reflect")
    output = _sampling.correlate(_sampling.correlate(array, kernel_x[None, :]),
                                 kernel_y[:, None])
    return _image_from_array(output, img.dtype)


def erase(img, i, j, h, w, v, inplace=False):
    _assert_image_tensor(img)
    if not inplace:
        img = img.clone()
    img[..., i:i + h, j:j + w] = v
    return img


# ------------------------------------------------------------------------ color
def rgb_to_grayscale(img, num_output_channels=1):
    _assert_at_least_3d(img)
    _assert_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        r, g, b = img.unbind(dim=-3)
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(dim=-3)
    else:
        gray = img.clone()
    return gray.expand(img.shape) if num_output_channels == 3 else gray


def _blend(img1, img2, ratio):
    ratio = float(ratio)
    bound = _max_value(img1.dtype)
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, bound).to(img1.dtype)


def _check_factor(value, name):
    if value < 0:
        raise ValueError(f"{name} ({value}) is not non-negative.")


def adjust_brightness(img, brightness_factor):
    _check_factor(brightness_factor, "brightness_factor")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    return _blend(img, ember.zeros_like(img), brightness_factor)


def adjust_contrast(img, contrast_factor):
    _check_factor(contrast_factor, "contrast_factor")
    _assert_image_tensor(img)
    _assert_channels(img, [3, 1])
    dtype = img.dtype if img.is_floating_point() else ember.float32
    gray = rgb_to_grayscale(img) if get_dimensions(img)[0] == 3 else img
    mean = ember.mean(gray.to(dtype), dim=(-3, -2, -1), keepdim=True)
    return _blend(img, mean, contrast_factor)


def adjust_saturation(img, saturation_factor):
    _check_factor(saturation_factor, "saturation_factor")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


def _rgb_to_hsv(array):
    xp = namespace(array)
    r, g, b = array[..., 0, :, :], array[..., 1, :, :], array[..., 2, :, :]
    maxc, minc = array.max(axis=-3), array.min(axis=-3)
    equal = maxc == minc
    chroma = maxc - minc
    s = chroma / xp.where(equal, 1, maxc)
    divisor = xp.where(equal, 1, chroma)
    rc, gc, bc = (maxc - r) / divisor, (maxc - g) / divisor, (maxc - b) / divisor
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = xp.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return h, s, maxc


def _hsv_to_rgb(h, s, v):
    xp = namespace(h)
    sector = xp.floor(h * 6.0)
    f = h * 6.0 - sector
    sector = sector.astype(xp.int32) % 6
    p = xp.clip(v * (1.0 - s), 0.0, 1.0)
    q = xp.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = xp.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    channels = ((v, q, p, p, t, v), (t, v, v, q, p, p), (p, p, t, v, v, q))
    return xp.stack([xp.take_along_axis(xp.stack(c), sector[None], axis=0)[0]
                     for c in channels], axis=-3)


def adjust_hue(img, hue_factor):
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    h, s, v = _rgb_to_hsv(convert_image_dtype(img, ember.float32).detach()._data)
    rgb = _hsv_to_rgb((h + hue_factor) % 1.0, s, v)
    return convert_image_dtype(_make(rgb), img.dtype)


def adjust_gamma(img, gamma, gain=1):
    _assert_channels(img, [1, 3])
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    result = img if img.is_floating_point() else convert_image_dtype(img, ember.float32)
    result = (gain * result.pow(gamma)).clamp(0, 1)
    return convert_image_dtype(result, img.dtype)


def invert(img):
    _assert_image_tensor(img)
    _assert_at_least_3d(img)
    _assert_channels(img, [1, 3])
    return _max_value(img.dtype) - img


def _assert_uint8(img):
    if img.dtype != ember.uint8:
        raise TypeError(f"Only {ember.uint8} image tensors are supported, but found {img.dtype}")


def posterize(img, bits):
    _assert_image_tensor(img)
    _assert_at_least_3d(img)
    _assert_uint8(img)
    _assert_channels(img, [1, 3])
    return img & (-int(2 ** (8 - bits)) & 0xFF)


def solarize(img, threshold):
    _assert_image_tensor(img)
    _assert_at_least_3d(img)
    _assert_channels(img, [1, 3])
    if threshold > _max_value(img.dtype):
        raise TypeError("Threshold should be less than bound of img.")
    return ember.where(img >= threshold, invert(img), img)


def adjust_sharpness(img, sharpness_factor):
    _check_factor(sharpness_factor, "sharpness_factor")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if img.shape[-1] <= 2 or img.shape[-2] <= 2:
        return img
    dtype = _float_dtype(img)
    kernel = np.ones((3, 3), dtype=dtype)
    kernel[1, 1] = 5.0
    smooth = _sampling.correlate(_float_array(img), kernel / kernel.sum())
    degenerate = img.detach()._data.copy()
    degenerate[..., 1:-1, 1:-1] = _image_from_array(smooth, img.dtype)._data
    return _blend(img, _make(degenerate), sharpness_factor)


def autocontrast(img):
    _assert_image_tensor(img)
    _assert_at_least_3d(img)
    _assert_channels(img, [1, 3])
    bound = _max_value(img.dtype)
    array = img.detach()._data
    xp = namespace(array)
    minimum = array.min(axis=(-2, -1), keepdims=True).astype(_float_dtype(img))
    maximum = array.max(axis=(-2, -1), keepdims=True).astype(_float_dtype(img))
    scale = bound / (maximum - minimum)
    constant = ~xp.isfinite(scale)
    minimum, scale = xp.where(constant, 0, minimum), xp.where(constant, 1, scale)
    output = xp.clip((array - minimum) * scale, 0, bound)
    return _make(output.astype(array.dtype))


def _equalize_channel(channel):
    xp = namespace(channel)
    hist = xp.bincount(channel.ravel(), minlength=256)
    step = hist[hist != 0][:-1].sum() // 255
    if int(step) == 0:
        return channel
    lut = (xp.cumsum(hist) + step // 2) // step
    lut = xp.clip(xp.concatenate([xp.zeros(1, dtype=lut.dtype), lut[:-1]]), 0, 255)
    return lut[channel].astype(xp.uint8)


def equalize(img):
    _assert_image_tensor(img)
    if not 3 <= img.ndim <= 4:
        raise TypeError(f"Input image tensor should have 3 or 4 dimensions, but found "
                        f"{img.ndim}")
    _assert_uint8(img)
    _assert_channels(img, [1, 3])
    array = img.detach()._data
    channels = [_equalize_channel(channel) for channel in array.reshape(-1, *array.shape[-2:])]
    return _make(namespace(array).stack(channels).reshape(array.shape))
