"""ember: a deep-learning framework with PyTorch's API, on NumPy (and CuPy for GPUs).

``import ember as torch`` runs PyTorch tutorial code: tensors with autograd, ``ember.nn``,
``ember.optim``, ``ember.utils.data`` and ``ember.vision``.
"""

__version__ = "0.1.0"

import numpy as _np

# PyTorch computes inf/nan silently (log(0), x/0); NumPy would warn on every such op.
_np.seterr(divide="ignore", invalid="ignore", over="ignore", under="ignore")

from ember.backends import _allocator

_allocator.tune()

from ember import _dtype
from ember._device import (channels_last, channels_last_3d, contiguous_format, device,
                           memory_format, preserve_format)
from ember._dtype import (bfloat16, bool, cdouble, cfloat, complex64, complex128, double, dtype,
                          finfo, float, float16, float32, float64, get_default_dtype, half,
                          iinfo, int, int8, int16, int32, int64, long, promote_types,
                          set_default_dtype, short, uint8)
from ember._size import Size
from ember._tensor import Tensor
from ember import _ops
from ember._legacy import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,
                           HalfTensor, IntTensor, LongTensor, ShortTensor)
from ember.random import (Generator, default_generator, get_rng_state, initial_seed,
                          manual_seed, seed, set_rng_state)
from ember.autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                                      is_inference_mode_enabled, no_grad, set_grad_enabled)
from ember import autograd, backends, cuda, accelerator  # noqa: E402
from ember._threads import (are_deterministic_algorithms_enabled, get_float32_matmul_precision,
                            get_num_interop_threads, get_num_threads,
                            set_float32_matmul_precision, set_num_interop_threads,
                            set_num_threads, use_deterministic_algorithms)

globals().update(_ops.public_names())
_ops._bind_operators()


def result_type(tensor, other):
    """The dtype PyTorch's promotion gives ``tensor`` combined with ``other``."""
    return _dtype.result_type(tensor, other)


def can_cast(from_, to):
    return _dtype.can_cast(from_, to)


def typename(obj):
    """The type name PyTorch shows in errors: ``'ember.FloatTensor'`` for tensors."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(type(obj), "__module__", "")
    name = type(obj).__qualname__
    return name if module in ("builtins", "") else f"{module}.{name}"


def compile(model=None, **kwargs):  # noqa: A001 - PyTorch's name
    """Returns ``model`` unchanged: ember has no graph compiler, and eager execution is what
    ``torch.compile`` falls back to. Usable as a decorator too."""
    if model is None:
        return lambda function: function
    return model


def is_tensor(obj):
    """True if ``obj`` is an ember tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    return input.is_complex()


def numel(input):
    return input.numel()


def is_nonzero(input):
    """True if the single-element tensor ``input`` is not zero."""
    return input.__bool__()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Sets how tensors print (see PyTorch's ``set_printoptions``)."""
    from ember import _tensor_str

    _tensor_str.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode)


def get_printoptions():
    """The current print options, as a dict of :func:`set_printoptions`' keyword arguments."""
    from ember import _tensor_str

    return _tensor_str.get_printoptions()


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """Saves ``obj`` to ``f`` in PyTorch's checkpoint format (see :mod:`ember.serialization`)."""
    from ember import serialization

    serialization.save(obj, f, pickle_module, pickle_protocol, _use_new_zipfile_serialization)


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """Loads an object saved by :func:`save` or ``torch.save``; safe by default
    (see :mod:`ember.serialization`)."""
    from ember import serialization

    return serialization.load(f, map_location, pickle_module, weights_only=weights_only,
                              mmap=mmap, **pickle_load_args)


_LAZY_SUBMODULES = {"nn", "optim", "utils", "vision", "linalg", "special", "distributions",
                    "testing", "multiprocessing", "distributed", "amp", "return_types",
                    "serialization"}


def __getattr__(name):
    """Imports heavier subpackages (``ember.nn``, ``ember.vision``...) on first use."""
    if name in _LAZY_SUBMODULES:
        import importlib

        try:
            module = importlib.import_module(f"ember.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"ember.{name}":
                raise
        else:
            globals()[name] = module
            return module
    raise AttributeError(f"module 'ember' has no attribute '{name}'")
