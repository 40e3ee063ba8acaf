"""Functional image transforms, torchvision's ``transforms.functional``.

Each function takes a PIL image or an ember tensor of shape ``(..., C, H, W)`` and dispatches to
``_functional_pil`` (Pillow) or ``_functional_tensor`` (ember ops and NumPy/CuPy kernels).
"""

import math
import numbers
import sys
import warnings
from enum import Enum

import numpy as np

import ember
from ember._tensor import Tensor
from ember.vision.transforms import _functional_pil as F_pil
from ember.vision.transforms import _functional_tensor as F_t

__all__ = ["InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels",
           "to_tensor", "pil_to_tensor", "convert_image_dtype", "to_pil_image", "normalize",
           "resize", "pad", "crop", "center_crop", "resized_crop", "hflip", "vflip",
           "perspective", "five_crop", "ten_crop", "adjust_brightness", "adjust_contrast",
           "adjust_saturation", "adjust_hue", "adjust_gamma", "rotate", "affine",
           "to_grayscale", "rgb_to_grayscale", "erase", "gaussian_blur", "invert", "posterize",
           "solarize", "adjust_sharpness", "autocontrast", "equalize", "elastic_transform"]


class InterpolationMode(Enum):
    """Interpolation methods: ``nearest``, ``nearest-exact``, ``bilinear``, ``bicubic``, ``box``,
    ``hamming`` and ``lanczos``."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


# Pillow's resampling constants (PIL.Image.NEAREST == 0, LANCZOS == 1, ...)
pil_modes_mapping = {
    InterpolationMode.NEAREST: 0, InterpolationMode.NEAREST_EXACT: 0,
    InterpolationMode.LANCZOS: 1, InterpolationMode.BILINEAR: 2, InterpolationMode.BICUBIC: 3,
    InterpolationMode.BOX: 4, InterpolationMode.HAMMING: 5,
}
_MODES_FROM_PIL = {0: InterpolationMode.NEAREST, 1: InterpolationMode.LANCZOS,
                   2: InterpolationMode.BILINEAR, 3: InterpolationMode.BICUBIC,
                   4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING}


def _interpolation_modes_from_int(i):
    return _MODES_FROM_PIL[i]


def _interpolation(interpolation):
    """``interpolation`` as an :class:`InterpolationMode` (Pillow integer constants accepted)."""
    if isinstance(interpolation, int):
        return _interpolation_modes_from_int(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a "
                        "corresponding Pillow integer constant")
    return interpolation


def _is_tensor(img):
    return isinstance(img, Tensor)


def get_dimensions(img):
    """Returns the dimensions of an image as ``[channels, height, width]``."""
    if _is_tensor(img):
        return F_t.get_dimensions(img)
    return F_pil.get_dimensions(img)


def get_image_size(img):
    """Returns the size of an image as ``[width, height]``."""
    if _is_tensor(img):
        return F_t.get_image_size(img)
    return F_pil.get_image_size(img)


def get_image_num_channels(img):
    """Returns the number of channels of an image."""
    if _is_tensor(img):
        return F_t.get_image_num_channels(img)
    return F_pil.get_image_num_channels(img)


# ------------------------------------------------------------------------ conversions
def to_tensor(pic):
    """Converts a PIL image or ``numpy.ndarray`` (H x W x C) to a tensor (C x H x W); 8-bit
    images are scaled to floats in ``[0, 1]``."""
    if not (F_pil._is_pil_image(pic) or isinstance(pic, np.ndarray)):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        array = (pic[:, :, None] if pic.ndim == 2 else pic).transpose(2, 0, 1)
    else:
        array = F_pil.to_array(pic).transpose(2, 0, 1)
    array = np.ascontiguousarray(array)
    if array.dtype == np.uint8:
        array = array.astype(ember.get_default_dtype().numpy) / 255
    return ember.from_numpy(array)


def pil_to_tensor(pic):
    """Converts a PIL image to a tensor (C x H x W) of the same type, without scaling."""
    if not F_pil._is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    array = np.array(pic, copy=True).reshape(pic.size[1], pic.size[0], -1)
    return ember.from_numpy(array).permute(2, 0, 1)


def convert_image_dtype(image, dtype=ember.float32):
    """Converts a tensor image to ``dtype``, scaling the values to the new type's range."""
    if not _is_tensor(image):
        raise TypeError("Input img should be Tensor Image")
    return F_t.convert_image_dtype(image, dtype)


_SINGLE_CHANNEL_MODES = {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16",
                         np.dtype(np.int32): "I", np.dtype(np.float32): "F"}
_PERMITTED_MODES = {2: ["LA"], 3: ["RGB", "YCbCr", "HSV"], 4: ["RGBA", "CMYK", "RGBX"]}
_DEFAULT_MODES = {2: "LA", 3: "RGB", 4: "RGBA"}


def _pil_mode(array, mode):
    """The PIL mode of an H x W x C array, checking a requested ``mode`` against it."""
    channels = array.shape[2]
    if channels == 1:
        expected = _SINGLE_CHANNEL_MODES.get(array.dtype)
        if sys.byteorder != "little" and expected == "I;16":
            expected = "I;16B"
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {array.dtype}. "
                             f"Should be {expected}")
        return expected
    permitted = _PERMITTED_MODES[channels]
    if mode is not None and mode not in permitted:
        raise ValueError(f"Only modes {permitted} are supported for {channels}D inputs")
    if mode is None and array.dtype == np.uint8:
        return _DEFAULT_MODES[channels]
    return mode


def to_pil_image(pic, mode=None):
    """Converts a tensor (C x H x W) or an ndarray (H x W x C) to a PIL image; floats are
    scaled by 255 (except for mode ``'F'``)."""
    if _is_tensor(pic):
        pic = pic.permute(1, 2, 0) if pic.ndim == 3 else pic
        pic = pic.numpy(force=True)
    elif not isinstance(pic, np.ndarray):
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if pic.ndim == 2:
        pic = pic[:, :, None]
    if pic.ndim != 3:
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-1]} channels.")
    if np.issubdtype(pic.dtype, np.floating) and mode != "F":
        pic = (pic * 255).astype(np.uint8)
    mode = _pil_mode(pic, mode)
    if mode is None:
        raise TypeError(f"Input type {pic.dtype} is not supported")
    return F_pil.from_array(pic[:, :, 0] if pic.shape[2] == 1 else pic, mode)


def normalize(tensor, mean, std, inplace=False):
    """Normalizes a float tensor image: ``(input[c] - mean[c]) / std[c]`` for each channel."""
    if not _is_tensor(tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    return F_t.normalize(tensor, mean, std, inplace)


# ------------------------------------------------------------------------ geometry
def _compute_resized_output_size(image_size, size, max_size=None):
    height, width = image_size
    if len(size) == 2:
        return [size[0], size[1]]
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size[0], int(size[0] * long / short)
    if max_size is not None:
        if max_size <= size[0]:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                             f"requested size for the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    new_w, new_h = (new_short, new_long) if width <= height else (new_long, new_short)
    return [new_h, new_w]


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None,
           antialias=True):
    """Resizes an image to ``size`` (h, w), or its smaller edge to ``size`` if it is an int
    (keeping the aspect ratio, the longer edge at most ``max_size``)."""
    interpolation = _interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a "
                             f"{len(size)} element tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of "
                             "the smaller edge, i.e. size should be an int or a sequence of "
                             "length 1 in torchscript mode.")
    _, height, width = get_dimensions(img)
    size = [size] if isinstance(size, int) else size
    output_size = _compute_resized_output_size((height, width), size, max_size)
    if [height, width] == output_size:
        return img
    if not _is_tensor(img):
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument "
                          "antialias is ignored.", stacklevel=2)
        return F_pil.resize(img, output_size, pil_modes_mapping[interpolation])
    return F_t.resize(img, output_size, interpolation.value, antialias)


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pads an image on all sides: ``padding`` is an int, (left/right, top/bottom) or (left,
    top, right, bottom); ``padding_mode`` is constant, edge, reflect or symmetric."""
    if not _is_tensor(img):
        return F_pil.pad(img, padding, fill, padding_mode)
    return F_t.pad(img, padding, fill, padding_mode)


def crop(img, top, left, height, width):
    """Crops the ``height`` x ``width`` box at (``top``, ``left``); parts outside the image
    are zero-padded."""
    if not _is_tensor(img):
        return F_pil.crop(img, top, left, height, width)
    return F_t.crop(img, top, left, height, width)


def _pair(size):
    if isinstance(size, numbers.Number):
        return (int(size), int(size))
    if isinstance(size, (tuple, list)) and len(size) == 1:
        return (size[0], size[0])
    return size


def center_crop(img, output_size):
    """Crops the center of an image to ``output_size``, zero-padding if the image is smaller."""
    crop_height, crop_width = _pair(output_size)
    _, height, width = get_dimensions(img)
    if crop_width > width or crop_height > height:
        pad_w, pad_h = max(crop_width - width, 0), max(crop_height - height, 0)
        img = pad(img, [pad_w // 2, pad_h // 2, (pad_w + 1) // 2, (pad_h + 1) // 2], fill=0)
        _, height, width = get_dimensions(img)
        if crop_width == width and crop_height == height:
            return img
    top = int(round((height - crop_height) / 2.0))
    left = int(round((width - crop_width) / 2.0))
    return crop(img, top, left, crop_height, crop_width)


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
    """Crops an image, then resizes the crop to ``size``."""
    img = crop(img, top, left, height, width)
    return resize(img, size, interpolation, antialias=antialias)


def hflip(img):
    """Flips an image horizontally."""
    if not _is_tensor(img):
        return F_pil.hflip(img)
    return F_t.hflip(img)


def vflip(img):
    """Flips an image vertically."""
    if not _is_tensor(img):
        return F_pil.vflip(img)
    return F_t.vflip(img)


def five_crop(img, size):
    """Crops the four corners and the center: ``(top_left, top_right, bottom_left,
    bottom_right, center)``."""
    size = _pair(size)
    if len(size) != 2:
        raise ValueError("Please provide only two dimensions (h, w) for size.")
    _, height, width = get_dimensions(img)
    crop_height, crop_width = size
    if crop_width > width or crop_height > height:
        raise ValueError(f"Requested crop size {size} is bigger than input size "
                         f"{(height, width)}")
    bottom, right = height - crop_height, width - crop_width
    return (crop(img, 0, 0, crop_height, crop_width),
            crop(img, 0, right, crop_height, crop_width),
            crop(img, bottom, 0, crop_height, crop_width),
            crop(img, bottom, right, crop_height, crop_width),
            center_crop(img, [crop_height, crop_width]))


def ten_crop(img, size, vertical_flip=False):
    """The five crops of :func:`five_crop`, then those of the flipped image (horizontally, or
    vertically if ``vertical_flip``)."""
    size = _pair(size)
    if len(size) != 2:
        raise ValueError("Please provide only two dimensions (h, w) for size.")
    flipped = vflip(img) if vertical_flip else hflip(img)
    return five_crop(img, size) + five_crop(flipped, size)


def _get_perspective_coeffs(startpoints, endpoints):
    """The 8 coefficients of the perspective transform mapping ``endpoints`` to
    ``startpoints`` (PIL's ``Image.PERSPECTIVE`` data)."""
    if len(startpoints) != 4 or len(endpoints) != 4:
        raise ValueError(f"Please provide exactly four corners, got {len(startpoints)} "
                         f"startpoints and {len(endpoints)} endpoints.")
    rows = []
    for (x, y), (u, v) in zip(endpoints, startpoints):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a_matrix = np.array(rows, dtype=np.float64)
    b_matrix = np.array(startpoints, dtype=np.float64).reshape(8)
    solution = np.linalg.lstsq(a_matrix, b_matrix, rcond=None)[0]
    return solution.astype(np.float32).tolist()


def perspective(img, startpoints, endpoints, interpolation=InterpolationMode.BILINEAR,
                fill=None):
    """Warps an image so that the corners ``startpoints`` move to ``endpoints``."""
    coeffs = _get_perspective_coeffs(startpoints, endpoints)
    interpolation = _interpolation(interpolation)
    if not _is_tensor(img):
        return F_pil.perspective(img, coeffs, pil_modes_mapping[interpolation], fill)
    return F_t.perspective(img, coeffs, interpolation.value, fill)


def _get_inverse_affine_matrix(center, angle, translate, scale, shear, inverted=True):
    """The 2x3 affine matrix (row-major, 6 values) of rotation ``angle`` about ``center``,
    then ``scale``, ``shear`` (degrees) and ``translate``; its inverse if ``inverted``.

    The forward map is ``T * C * R * S * Sh * C^-1`` with ``R * S * Sh = [[a, b], [c, d]]``.
    """
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    if inverted:
        matrix = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
        matrix[2] += matrix[0] * (-cx - tx) + matrix[1] * (-cy - ty) + cx
        matrix[5] += matrix[3] * (-cx - tx) + matrix[4] * (-cy - ty) + cy
    else:
        matrix = [x * scale for x in (a, b, 0.0, c, d, 0.0)]
        matrix[2] += matrix[0] * -cx + matrix[1] * -cy + cx + tx
        matrix[5] += matrix[3] * -cx + matrix[4] * -cy + cy + ty
    return matrix


def _check_angle_and_center(angle, center):
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")


def _tensor_center(img, center):
    """``center`` relative to the image center, as the tensor backend's matrices expect."""
    if center is None:
        return [0.0, 0.0]
    _, height, width = get_dimensions(img)
    return [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]


def rotate(img, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None,
           fill=None):
    """Rotates an image by ``angle`` degrees counter-clockwise about ``center`` (default the
    image center); ``expand`` enlarges the output to hold the whole rotated image."""
    interpolation = _interpolation(interpolation)
    _check_angle_and_center(angle, center)
    if not _is_tensor(img):
        return F_pil.rotate(img, angle, pil_modes_mapping[interpolation], expand, center, fill)
    matrix = _get_inverse_affine_matrix(_tensor_center(img, center), -angle, [0.0, 0.0], 1.0,
                                        [0.0, 0.0])
    return F_t.rotate(img, matrix, interpolation.value, expand, fill)


def _affine_shear(shear):
    if not isinstance(shear, (numbers.Number, list, tuple)):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    if isinstance(shear, numbers.Number):
        return [shear, 0.0]
    shear = list(shear)
    if len(shear) == 1:
        shear = [shear[0], shear[0]]
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    return shear


def affine(img, angle, translate, scale, shear, interpolation=InterpolationMode.NEAREST,
           fill=None, center=None):
    """Applies an affine transform (rotation by ``angle`` degrees, ``translate``, ``scale``,
    ``shear`` in degrees) about ``center``, keeping the image size."""
    interpolation = _interpolation(interpolation)
    _check_angle_and_center(angle, center)
    if not isinstance(translate, (list, tuple)):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    shear = _affine_shear(shear)
    angle = float(angle)
    if not _is_tensor(img):
        _, height, width = get_dimensions(img)
        center = [width * 0.5, height * 0.5] if center is None else center
        matrix = _get_inverse_affine_matrix(center, angle, list(translate), scale, shear)
        return F_pil.affine(img, matrix, pil_modes_mapping[interpolation], fill)
    translate = [1.0 * t for t in translate]
    matrix = _get_inverse_affine_matrix(_tensor_center(img, center), angle, translate, scale,
                                        shear)
    return F_t.affine(img, matrix, interpolation.value, fill)


def elastic_transform(img, displacement, interpolation=InterpolationMode.BILINEAR, fill=None):
    """Moves each pixel by ``displacement`` (a ``1 x H x W x 2`` tensor in normalized
    coordinates)."""
    if isinstance(interpolation, int):
        warnings.warn("Argument interpolation should be of type InterpolationMode instead of "
                      "int. Please, use InterpolationMode enum.", stacklevel=2)
    interpolation = _interpolation(interpolation)
    if not _is_tensor(displacement):
        raise TypeError("Argument displacement should be a Tensor")
    tensor = _as_tensor_image(img)
    shape = (1, *tensor.shape[-2:], 2)
    if tuple(displacement.shape) != shape:
        raise ValueError(f"Argument displacement shape should be {shape}, but given "
                         f"{displacement.shape}")
    output = F_t.elastic_transform(tensor, displacement, interpolation.value, fill)
    return output if _is_tensor(img) else to_pil_image(output, mode=img.mode)


# ------------------------------------------------------------------------ color
def adjust_brightness(img, brightness_factor):
    """Blends an image with black: factor 0 gives black, 1 the original image."""
    if not _is_tensor(img):
        return F_pil.adjust_brightness(img, brightness_factor)
    return F_t.adjust_brightness(img, brightness_factor)


def adjust_contrast(img, contrast_factor):
    """Blends an image with its mean gray level: factor 0 gives a uniform gray image."""
    if not _is_tensor(img):
        return F_pil.adjust_contrast(img, contrast_factor)
    return F_t.adjust_contrast(img, contrast_factor)


def adjust_saturation(img, saturation_factor):
    """Blends an image with its grayscale version: factor 0 gives the grayscale image."""
    if not _is_tensor(img):
        return F_pil.adjust_saturation(img, saturation_factor)
    return F_t.adjust_saturation(img, saturation_factor)


def adjust_hue(img, hue_factor):
    """Shifts the hue of an image by ``hue_factor`` turns, in ``[-0.5, 0.5]``."""
    if not _is_tensor(img):
        return F_pil.adjust_hue(img, hue_factor)
    return F_t.adjust_hue(img, hue_factor)


def adjust_gamma(img, gamma, gain=1):
    """Gamma correction: ``gain * input ** gamma`` on values scaled to [0, 1]."""
    if not _is_tensor(img):
        return F_pil.adjust_gamma(img, gamma, gain)
    return F_t.adjust_gamma(img, gamma, gain)


def adjust_sharpness(img, sharpness_factor):
    """Blends an image with a smoothed version: 0 blurs, 1 keeps, 2 sharpens."""
    if not _is_tensor(img):
        return F_pil.adjust_sharpness(img, sharpness_factor)
    return F_t.adjust_sharpness(img, sharpness_factor)


def invert(img):
    """Inverts the colors of an image."""
    if not _is_tensor(img):
        return F_pil.invert(img)
    return F_t.invert(img)


def solarize(img, threshold):
    """Inverts the pixels at or above ``threshold``."""
    if not _is_tensor(img):
        return F_pil.solarize(img, threshold)
    return F_t.solarize(img, threshold)


def autocontrast(img):
    """Stretches each channel so its darkest pixel is black and its brightest white."""
    if not _is_tensor(img):
        return F_pil.autocontrast(img)
    return F_t.autocontrast(img)


def equalize(img):
    """Equalizes the histogram of each channel of an 8-bit image."""
    if not _is_tensor(img):
        return F_pil.equalize(img)
    return F_t.equalize(img)


def posterize(img, bits):
    """Keeps the ``bits`` most significant bits of each channel."""
    if not 0 <= bits <= 8:
        raise ValueError(f"The number if bits should be between 0 and 8. Got {bits}")
    if not _is_tensor(img):
        return F_pil.posterize(img, bits)
    return F_t.posterize(img, bits)


def to_grayscale(img, num_output_channels=1):
    """Converts a PIL image to grayscale (1 or 3 channels)."""
    if F_pil._is_pil_image(img):
        return F_pil.to_grayscale(img, num_output_channels)
    raise TypeError("Input should be PIL Image")


def rgb_to_grayscale(img, num_output_channels=1):
    """Converts an RGB image to grayscale (``0.2989 r + 0.587 g + 0.114 b``), with 1 or 3
    output channels."""
    if not _is_tensor(img):
        return F_pil.to_grayscale(img, num_output_channels)
    return F_t.rgb_to_grayscale(img, num_output_channels)


def erase(img, i, j, h, w, v, inplace=False):
    """Replaces the ``h`` x ``w`` box at (``i``, ``j``) of a tensor image with ``v``."""
    if not _is_tensor(img):
        raise TypeError(f"img should be Tensor Image. Got {type(img)}")
    return F_t.erase(img, i, j, h, w, v, inplace)


def _as_tensor_image(img):
    if _is_tensor(img):
        return img
    if not F_pil._is_pil_image(img):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")
    return pil_to_tensor(img)


def _blur_kernel_size(kernel_size):
    if not isinstance(kernel_size, (int, list, tuple)):
        raise TypeError(f"kernel_size should be int or a sequence of integers. Got "
                        f"{type(kernel_size)}")
    kernel_size = [kernel_size, kernel_size] if isinstance(kernel_size, int) else kernel_size
    if len(kernel_size) != 2:
        raise ValueError(f"If kernel_size is a sequence its length should be 2. Got "
                         f"{len(kernel_size)}")
    for ksize in kernel_size:
        if ksize % 2 == 0 or ksize < 0:
            raise ValueError(f"kernel_size should have odd and positive integers. Got "
                             f"{kernel_size}")
    return kernel_size


def _blur_sigma(sigma, kernel_size):
    if sigma is None:
        return [ksize * 0.15 + 0.35 for ksize in kernel_size]
    if not isinstance(sigma, (int, float, list, tuple)):
        raise TypeError(f"sigma should be either float or sequence of floats. Got {type(sigma)}")
    if isinstance(sigma, (int, float)):
        sigma = [float(sigma), float(sigma)]
    if len(sigma) == 1:
        sigma = [sigma[0], sigma[0]]
    if len(sigma) != 2:
        raise ValueError(f"If sigma is a sequence, its length should be 2. Got {len(sigma)}")
    if any(s <= 0.0 for s in sigma):
        raise ValueError(f"sigma should have positive values. Got {sigma}")
    return sigma


def gaussian_blur(img, kernel_size, sigma=None):
    """Blurs an image with a Gaussian kernel of ``kernel_size`` (x, y) and ``sigma`` (default
    ``0.15 * ksize + 0.35``), reflecting the image at its borders."""
    kernel_size = _blur_kernel_size(kernel_size)
    sigma = _blur_sigma(sigma, kernel_size)
    output = F_t.gaussian_blur(_as_tensor_image(img), kernel_size, sigma)
    return output if _is_tensor(img) else to_pil_image(output, mode=img.mode)
