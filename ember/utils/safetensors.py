"""``ember.utils.safetensors``: dicts of tensors in the safetensors format, as
``safetensors.torch`` reads and writes them.

Needs the ``safetensors`` package (``pip install 'ember[safetensors]'``). bfloat16 tensors load
as float32, ember having no bfloat16; complex128 has no safetensors dtype.
"""

import importlib
import os

from ember import _storage
from ember._tensor import Tensor, _make

__all__ = ["save", "save_file", "load", "load_file"]

# safetensors dtype -> the PyTorch storage name ember decodes it as
_STORAGE_NAMES = {
    "F64": "DoubleStorage", "F32": "FloatStorage", "F16": "HalfStorage",
    "BF16": "BFloat16Storage", "I64": "LongStorage", "I32": "IntStorage", "I16": "ShortStorage",
    "I8": "CharStorage", "U8": "ByteStorage", "BOOL": "BoolStorage",
    "C64": "ComplexFloatStorage"}


def _import(module):
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != "safetensors":
            raise
        raise ModuleNotFoundError("ember.utils.safetensors needs the safetensors package: "
                                  "pip install 'ember[safetensors]'", name="safetensors") from None


def _arrays(tensors):
    arrays = {}
    for name, tensor in tensors.items():
        if not isinstance(tensor, Tensor):
            raise ValueError(f"Key `{name}` is invalid, expected ember.Tensor but received "
                             f"{type(tensor)}")
        array = tensor.detach().cpu().numpy()
        arrays[name] = array if array.flags.c_contiguous else array.copy()
    return arrays


def save(tensors, metadata=None):
    """The safetensors bytes of ``tensors`` (a dict of name to tensor) with text ``metadata``."""
    return _import("safetensors.numpy").save(_arrays(tensors), metadata=metadata)


def save_file(tensors, filename, metadata=None):
    """Writes ``tensors`` (a dict of name to tensor) to ``filename`` in safetensors format."""
    _import("safetensors.numpy").save_file(_arrays(tensors), filename, metadata=metadata)


def load(data):
    """The dict of tensors held by safetensors bytes ``data``, on the CPU."""
    tensors = {}
    for name, view in _import("safetensors").deserialize(data):
        storage_name = _STORAGE_NAMES.get(view["dtype"])
        if storage_name is None:
            raise TypeError(f"ember has no dtype for tensor '{name}' of safetensors dtype "
                            f"{view['dtype']}")
        array = _storage.decode(view["data"], storage_name, "little")
        tensors[name] = _make(array.reshape(view["shape"]))
    return tensors


def load_file(filename, device="cpu"):
    """The dict of tensors in safetensors file ``filename``, on ``device``."""
    with open(os.fspath(filename), "rb") as file:
        tensors = load(file.read())
    device = f"cuda:{device}" if isinstance(device, int) else device
    return {name: tensor.to(device) for name, tensor in tensors.items()}
