"""The layers of ``ember.nn``, one family per module (PyTorch's layout)."""

import importlib

_FAMILIES = ["module", "container", "linear", "flatten", "activation", "conv", "pooling",
             "batchnorm", "normalization", "instancenorm", "dropout", "sparse", "rnn",
             "transformer", "attention", "padding", "upsampling", "pixelshuffle",
             "distance", "fold", "channelshuffle", "loss"]


def _load():
    names = {}
    for family in _FAMILIES:
        try:
            module = importlib.import_module(f"ember.nn.modules.{family}")
        except ModuleNotFoundError as error:
            if error.name != f"ember.nn.modules.{family}":
                raise
            continue
        names.update((name, getattr(module, name)) for name in module.__all__)
    return names


globals().update(_load())
