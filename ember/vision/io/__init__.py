"""``ember.vision.io``: image files to and from uint8 C x H x W tensors (Pillow inside)."""

from ember.vision.io.image import (ImageReadMode, decode_image, encode_png, read_file, read_image,
                                   write_file, write_png)

__all__ = ["ImageReadMode", "decode_image", "encode_png", "read_file", "read_image", "write_file",
           "write_png"]
