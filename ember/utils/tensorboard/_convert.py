"""Ember tensors become NumPy arrays where they enter tensorboardX."""

import numpy as np

from ember._tensor import Tensor

__all__ = ["make_np"]


def make_np(x):
    """``x`` (an ember tensor, a NumPy array, a Python number or a list of them) as a NumPy array;
    ``None`` stays ``None``. Tensors are detached and copied to the CPU."""
    if x is None:
        return None
    if isinstance(x, Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, (list, tuple)) and any(isinstance(item, Tensor) for item in x):
        return np.stack([make_np(item) for item in x])
    return np.asarray(x)
