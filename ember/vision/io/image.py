"""Reading, decoding and encoding images as uint8 C x H x W tensors, with Pillow."""

import io
import os
from enum import Enum

import numpy as np

import ember

__all__ = ["ImageReadMode", "decode_image", "encode_png", "read_file", "read_image",
           "write_file", "write_png"]


class ImageReadMode(Enum):
    """The channels to decode an image to; strings such as ``"RGB"`` work as well.

    - UNCHANGED: the image's own channels
    - GRAY: converts to grayscale
    - GRAY_ALPHA: converts to grayscale with transparency
    - RGB: converts to RGB
    - RGB_ALPHA (alias RGBA): converts to RGB with transparency
    """

    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA


# The Pillow mode of each ImageReadMode, and the one UNCHANGED gives each Pillow mode.
_PIL_MODES = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA", ImageReadMode.RGB: "RGB",
              ImageReadMode.RGB_ALPHA: "RGBA"}
_UNCHANGED_MODES = {"1": "L", "L": "L", "LA": "LA", "La": "LA", "P": "P", "PA": "RGBA",
                    "RGB": "RGB", "RGBA": "RGBA", "RGBa": "RGBA", "RGBX": "RGB", "CMYK": "RGB",
                    "YCbCr": "RGB"}
# libpng's fixed-point RGB -> gray weights as torchvision sets them (0.2989, 0.587, 0.114),
# out of 2**15; Pillow's convert("L") rounds differently.
_GRAY_WEIGHTS = np.array([9794, 19234, 3740], dtype=np.int64)


def _byte_tensor(data):
    return ember.from_numpy(np.frombuffer(bytearray(data), dtype=np.uint8))


def read_file(path):
    """The bytes of the file ``path`` as a 1-d uint8 tensor."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise RuntimeError(str(error)) from error
    return _byte_tensor(data)


def write_file(filename, data):
    """Writes the 1-d uint8 tensor ``data`` to the file ``filename``; returns ``data``."""
    with open(filename, "wb") as f:
        f.write(data.numpy().tobytes())
    return data


def _gray(img, with_alpha):
    """Gray (and alpha) channels of a color image, weighted like libpng."""
    rgba = np.asarray(img.convert("RGBA"))
    gray = (rgba[..., :3].astype(np.int64) @ _GRAY_WEIGHTS >> 15).astype(np.uint8)
    return np.stack([gray, rgba[..., 3]], axis=-1) if with_alpha else gray


def _to_array(img, mode):
    """The pixels of the Pillow image ``img`` in ``mode``, H x W or H x W x C."""
    if mode == ImageReadMode.UNCHANGED:
        # torchvision's GIF decoder always gives RGB, but libpng keeps PNG palette indices.
        target = "RGB" if img.format == "GIF" else _UNCHANGED_MODES.get(img.mode)
        if target is None:
            raise RuntimeError(f"Unsupported image mode '{img.mode}': ember decodes 8-bit "
                               "gray, gray-alpha, palette, RGB and RGBA images")
        return np.asarray(img if img.mode == target else img.convert(target))
    target = _PIL_MODES[mode]
    if target in ("L", "LA") and img.mode not in ("1", "L", "LA"):
        return _gray(img, target == "LA")
    return np.asarray(img.convert(target))


def _decode(data, mode, apply_exif_orientation, source):
    from PIL import Image, ImageOps, UnidentifiedImageError

    if isinstance(mode, str):
        mode = ImageReadMode[mode.upper()]
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise RuntimeError(f"Unsupported image file {source}: Pillow cannot identify its "
                           "format") from error
    if img.format == "JPEG":
        if mode in (ImageReadMode.GRAY_ALPHA, ImageReadMode.RGB_ALPHA):
            raise RuntimeError("The provided mode is not supported for JPEG files")
        if mode == ImageReadMode.GRAY:
            img.draft("L", img.size)  # libjpeg's own gray output, as torchvision's decoder
    try:
        if apply_exif_orientation:
            img = ImageOps.exif_transpose(img)
        array = _to_array(img, mode)
    except (OSError, SyntaxError, ValueError) as error:  # what Pillow raises on broken data
        raise RuntimeError(f"Could not decode {source}: {error}. Probably, the input image is "
                           "corrupted") from error
    array = array[:, :, None] if array.ndim == 2 else array
    return ember.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation: bool = False):
    """Decodes an image (PNG, JPEG, GIF, WebP, ... as Pillow reads) into a uint8 C x H x W tensor.

    Args:
        input (Tensor or str or ``pathlib.Path``): a 1-d uint8 tensor holding the encoded bytes,
            or the path of an image file.
        mode (str or ImageReadMode): The mode to convert the image to, e.g. "RGB".
            Default is "UNCHANGED".
        apply_exif_orientation (bool): apply the EXIF orientation to the output. Default: False.

    Unlike torchvision, the gray and alpha modes also convert GIF and WebP images.

    Returns:
        output (Tensor[image_channels, image_height, image_width])
    """
    if not ember.is_tensor(input):
        return read_image(input, mode, apply_exif_orientation)
    if input.dtype != ember.uint8:
        raise RuntimeError("Expected a ember.uint8 tensor")
    if input.dim() != 1 or input.numel() == 0:
        raise RuntimeError("Expected a non empty 1-dimensional tensor")
    return _decode(input.numpy().tobytes(), mode, apply_exif_orientation, "the input")


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation: bool = False):
    """Reads an image file into a uint8 C x H x W tensor (see :func:`decode_image`)."""
    data = read_file(path).numpy().tobytes()
    return _decode(data, mode, apply_exif_orientation, os.fspath(path))


def encode_png(input, compression_level: int = 6):
    """The PNG encoding of a uint8 C x H x W tensor (1 or 3 channels), as a 1-d uint8 tensor.

    Args:
        input (Tensor[channels, image_height, image_width]): uint8 image tensor of ``c``
            channels, where ``c`` must be 1 or 3.
        compression_level (int): Compression factor for the resulting file, it must be a number
            between 0 and 9. Default: 6
    """
    from PIL import Image

    if input.dtype != ember.uint8:
        raise RuntimeError("Input tensor dtype should be uint8")
    if input.dim() != 3:
        raise RuntimeError("Input data should be a 3-dimensional tensor")
    if input.size(0) not in (1, 3):
        raise RuntimeError(f"The number of channels should be 1 or 3, got: {input.size(0)}")
    if not 0 <= compression_level <= 9:
        raise RuntimeError("Compression level should be between 0 and 9")
    array = input.numpy(force=True)
    array = np.ascontiguousarray(array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0))
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG", compress_level=compression_level)
    return _byte_tensor(buffer.getvalue())


def write_png(input, filename, compression_level: int = 6):
    """Saves a uint8 C x H x W tensor (1 or 3 channels) as a PNG file; returns the PNG bytes."""
    return write_file(filename, encode_png(input, compression_level))
