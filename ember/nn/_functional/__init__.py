"""The families behind ``ember.nn.functional``, one module each; see ``functional.py``."""

import importlib

FAMILIES = ["linear", "activation", "conv", "pooling", "normalization", "dropout", "sparse",
            "distance", "vision", "attention", "rnn", "loss"]


def load():
    """Imports the families that exist (the nn issue lands them one by one)."""
    modules = []
    for name in FAMILIES:
        try:
            modules.append(importlib.import_module(f"ember.nn._functional.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"ember.nn._functional.{name}":
                raise
    return modules
