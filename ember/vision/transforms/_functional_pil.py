"""The PIL-image backend of :mod:`ember.vision.transforms.functional` (Pillow, imported by the
functions that need it so that ``import ember.vision`` does not)."""

import numbers
import sys

import numpy as np

_PADDING_MODES = ["constant", "edge", "reflect", "symmetric"]
# NumPy types that ToTensor reads PIL modes as; other modes are read as uint8
_MODE_TO_NPTYPE = {"I": np.int32, "I;16" if sys.byteorder == "little" else "I;16B": np.int16,
                   "F": np.float32}


def _is_pil_image(img):
    image_module = sys.modules.get("PIL.Image")  # no PIL imported: img can't be a PIL image
    return image_module is not None and isinstance(img, image_module.Image)


def _check_image(img):
    if not _is_pil_image(img):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


def get_dimensions(img):
    if _is_pil_image(img):
        width, height = img.size
        return [len(img.getbands()), height, width]
    raise TypeError(f"Unexpected type {type(img)}")


def get_image_size(img):
    if _is_pil_image(img):
        return list(img.size)
    raise TypeError(f"Unexpected type {type(img)}")


def get_image_num_channels(img):
    if _is_pil_image(img):
        return len(img.getbands())
    raise TypeError(f"Unexpected type {type(img)}")


def to_array(pic):
    """The pixels of ``pic`` as an H x W x C array (mode '1' scaled to 0/255)."""
    array = np.array(pic, _MODE_TO_NPTYPE.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        array = 255 * array
    return array.reshape(pic.size[1], pic.size[0], len(pic.getbands()))


def from_array(array, mode):
    """A PIL image of ``mode`` reading the raw bytes of ``array`` (H x W or H x W x C).

    ``Image.fromarray`` infers the mode from the array; reading the buffer as ``mode`` also
    converts, e.g. 3 uint8 channels to ``'HSV'``.
    """
    from PIL import Image

    height, width = array.shape[:2]
    return Image.frombuffer(mode, (width, height), np.ascontiguousarray(array).tobytes(), "raw",
                            mode, 0, 1)


def hflip(img):
    from PIL import Image

    _check_image(img)
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def vflip(img):
    from PIL import Image

    _check_image(img)
    return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)


def _enhance(img, enhancer, factor):
    from PIL import ImageEnhance

    _check_image(img)
    return getattr(ImageEnhance, enhancer)(img).enhance(factor)


def adjust_brightness(img, brightness_factor):
    return _enhance(img, "Brightness", brightness_factor)


def adjust_contrast(img, contrast_factor):
    return _enhance(img, "Contrast", contrast_factor)


def adjust_saturation(img, saturation_factor):
    return _enhance(img, "Color", saturation_factor)


def adjust_sharpness(img, sharpness_factor):
    return _enhance(img, "Sharpness", sharpness_factor)


def adjust_hue(img, hue_factor):
    from PIL import Image

    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    _check_image(img)
    if img.mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    # uint8 arithmetic wraps around, which rotates the hue
    hue = np.array(h, dtype=np.uint8) + np.array(int(hue_factor * 255)).astype(np.uint8)
    h = from_array(hue, "L")
    return Image.merge("HSV", (h, s, v)).convert(img.mode)


def adjust_gamma(img, gamma, gain=1.0):
    _check_image(img)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    input_mode = img.mode
    table = [int((255 + 1 - 1e-3) * gain * pow(value / 255.0, gamma)) for value in range(256)]
    return img.convert("RGB").point(table * 3).convert(input_mode)


def _parse_fill(fill, img, name="fillcolor"):
    """Pillow's keyword for a fill value: one value per band, ints unless the mode is 'F'."""
    channels = get_image_num_channels(img)
    fill = 0 if fill is None else fill
    if isinstance(fill, (int, float)) and channels > 1:
        fill = tuple([fill] * channels)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = fill * channels
        elif len(fill) != channels:
            raise ValueError(f"The number of elements in 'fill' does not match the number of "
                             f"channels of the image ({len(fill)} != {channels})")
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return {name: fill}


def _parse_padding(padding):
    """(left, top, right, bottom) from an int or a 1, 2 or 4 element sequence."""
    if isinstance(padding, numbers.Number):
        padding = (padding,)
    if len(padding) == 1:
        return [padding[0]] * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    return list(padding)


def _check_pad_args(padding, fill, padding_mode, fill_types):
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if fill is not None and not isinstance(fill, fill_types):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")
    if padding_mode not in _PADDING_MODES:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")


def pad(img, padding, fill=0, padding_mode="constant"):
    from PIL import Image, ImageOps

    _check_image(img)
    _check_pad_args(padding, fill, padding_mode, (numbers.Number, tuple, list))
    if isinstance(padding, (tuple, list)):
        padding = padding[0] if len(padding) == 1 else tuple(padding)
    if padding_mode == "constant":
        image = ImageOps.expand(img, border=padding, **_parse_fill(fill, img, "fill"))
    else:
        left, top, right, bottom = _parse_padding(padding)
        if min(left, top, right, bottom) < 0:  # negative padding crops
            img = img.crop((max(-left, 0), max(-top, 0), img.width - max(-right, 0),
                            img.height - max(-bottom, 0)))
        array = np.asarray(img)
        widths = ((max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0)))
        image = Image.fromarray(np.pad(array, widths + ((0, 0),) * (array.ndim - 2),
                                       padding_mode))
    if img.mode == "P":
        image.putpalette(img.getpalette())
    return image


def crop(img, top, left, height, width):
    _check_image(img)
    return img.crop((left, top, left + width, top + height))


def resize(img, size, interpolation):
    _check_image(img)
    if not (isinstance(size, list) and len(size) == 2):
        raise TypeError(f"Got inappropriate size arg: {size}")
    return img.resize(tuple(size[::-1]), interpolation)


def affine(img, matrix, interpolation, fill=None):
    from PIL import Image

    _check_image(img)
    return img.transform(img.size, Image.Transform.AFFINE, matrix, interpolation,
                         **_parse_fill(fill, img))


def rotate(img, angle, interpolation, expand=False, center=None, fill=None):
    _check_image(img)
    return img.rotate(angle, interpolation, expand, center, **_parse_fill(fill, img))


def perspective(img, perspective_coeffs, interpolation, fill=None):
    from PIL import Image

    _check_image(img)
    return img.transform(img.size, Image.Transform.PERSPECTIVE, perspective_coeffs,
                         interpolation, **_parse_fill(fill, img))


def to_grayscale(img, num_output_channels):
    _check_image(img)
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    img = img.convert("L")
    if num_output_channels == 1:
        return img
    return from_array(np.repeat(np.asarray(img)[:, :, None], 3, axis=2), "RGB")


def _image_ops(name):
    def function(img, *args):
        from PIL import ImageOps

        _check_image(img)
        return getattr(ImageOps, name)(img, *args)

    function.__name__ = function.__qualname__ = name
    return function


invert = _image_ops("invert")
posterize = _image_ops("posterize")
solarize = _image_ops("solarize")
autocontrast = _image_ops("autocontrast")
equalize = _image_ops("equalize")
