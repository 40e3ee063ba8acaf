"""Printing tensors like PyTorch (placeholder until the full formatter lands)."""

import numpy as np


def _str(tensor, tensor_contents=None):
    data = tensor._data if type(tensor._data) is np.ndarray else tensor._data.get()
    body = np.array2string(data, separator=", ", prefix="tensor(")
    suffixes = []
    if tensor._grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor._grad_fn.name()}>")
    elif tensor._requires_grad:
        suffixes.append("requires_grad=True")
    return "tensor(" + ", ".join([body] + suffixes) + ")"
