"""Image grids and image saving (torchvision.utils)."""

import math

import ember

__all__ = ["make_grid", "save_image"]


def _norm_range(tensor, value_range):
    low, high = value_range if value_range is not None else (float(tensor.min()),
                                                              float(tensor.max()))
    tensor.clamp_(min=low, max=high)
    tensor.sub_(low).div_(max(high - low, 1e-5))


def _as_batch(tensor):
    """``tensor`` (list, H x W, C x H x W or B x C x H x W) as a B x C x H x W batch, with
    single-channel images repeated to 3 channels."""
    if isinstance(tensor, list):
        for item in tensor:
            if not ember.is_tensor(item):
                raise TypeError(f"tensor or list of tensors expected, got a list containing "
                                f"{type(item)}")
        tensor = ember.stack(tensor, dim=0)
    elif not ember.is_tensor(tensor):
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:
        if tensor.size(0) == 1:
            tensor = ember.cat((tensor, tensor, tensor), 0)
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 4 and tensor.size(1) == 1:
        tensor = ember.cat((tensor, tensor, tensor), 1)
    return tensor


@ember.no_grad()
def make_grid(tensor, nrow: int = 8, padding: int = 2, normalize: bool = False,
              value_range=None, scale_each: bool = False, pad_value: float = 0.0):
    """Makes a grid of images.

    Args:
        tensor (Tensor or list): 4D mini-batch Tensor of shape (B x C x H x W) or a list of
            images all of the same size.
        nrow (int, optional): Number of images displayed in each row of the grid. The final grid
            size is ``(B / nrow, nrow)``. Default: ``8``.
        padding (int, optional): amount of padding. Default: ``2``.
        normalize (bool, optional): If True, shift the image to the range (0, 1), by the min and
            max values specified by ``value_range``. Default: ``False``.
        value_range (tuple, optional): tuple (min, max) where min and max are numbers, then these
            numbers are used to normalize the image. By default, min and max are computed from
            the tensor.
        scale_each (bool, optional): If ``True``, scale each image in the batch of images
            separately rather than the (min, max) over all images. Default: ``False``.
        pad_value (float, optional): Value for the padded pixels. Default: ``0``.

    Returns:
        grid (Tensor): the tensor containing grid of images.
    """
    tensor = _as_batch(tensor)
    if normalize is True:
        tensor = tensor.clone()
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max "
                            "are numbers")
        for image in (tensor if scale_each is True else [tensor]):
            _norm_range(image, value_range)
    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    nmaps = tensor.size(0)
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    grid = tensor.new_full((tensor.size(1), height * ymaps + padding, width * xmaps + padding),
                           pad_value)
    for k in range(nmaps):
        y, x = divmod(k, xmaps)
        grid.narrow(1, y * height + padding, height - padding).narrow(
            2, x * width + padding, width - padding).copy_(tensor[k])
    return grid


@ember.no_grad()
def save_image(tensor, fp, format=None, **kwargs) -> None:
    """Saves a tensor as an image file; a mini-batch is saved as a grid (:func:`make_grid`).

    Args:
        tensor (Tensor or list): Image to be saved. If given a mini-batch tensor, saves the
            tensor as a grid of images by calling ``make_grid``.
        fp (string or file object): A filename or a file object
        format (Optional): If omitted, the format to use is determined from the filename
            extension. If a file object was used instead of a filename, this parameter should
            always be used.
        **kwargs: Other arguments are documented in ``make_grid``.
    """
    from PIL import Image

    grid = make_grid(tensor, **kwargs)
    # + 0.5: the uint8 cast truncates, so this rounds to the nearest integer.
    ndarr = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to("cpu", ember.uint8)
    Image.fromarray(ndarr.numpy()).save(fp, format=format)
