"""``ember.optim``: optimizers (one per module) and ``lr_scheduler``."""

import importlib

from ember.optim.optimizer import Optimizer

_OPTIMIZERS = {"SGD": "sgd", "Adam": "adam", "AdamW": "adamw", "ASGD": "asgd", "Rprop": "rprop",
               "Adagrad": "adagrad", "Adadelta": "adadelta", "RMSprop": "rmsprop",
               "Adamax": "adamax", "NAdam": "nadam", "RAdam": "radam", "Adafactor": "adafactor",
               "SparseAdam": "sparse_adam", "LBFGS": "lbfgs"}

__all__ = ["Optimizer", "lr_scheduler", *_OPTIMIZERS]


def __getattr__(name):
    if name in _OPTIMIZERS or name in ("lr_scheduler", "swa_utils"):
        try:
            module = importlib.import_module(f"ember.optim.{_OPTIMIZERS.get(name, name)}")
        except ModuleNotFoundError as error:
            raise AttributeError(f"module 'ember.optim' has no attribute '{name}' "
                                 "(not implemented yet)") from error
        value = module if name in ("lr_scheduler", "swa_utils") else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ember.optim' has no attribute '{name}'")
