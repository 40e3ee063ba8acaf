"""Array math with gradients, one family per module; this package binds the families'
functions to :class:`ember.Tensor` as methods, in-place variants and operators."""

import importlib

from ember._tensor import Tensor

_FAMILIES = ["creation", "pointwise", "reduction", "views", "random"]
_OPTIONAL_FAMILIES = ["pointwise_more", "reduction_more", "indexing", "shape", "linalg", "sort",
                      "normalization", "dropout", "conv", "activation", "embedding"]


def _load_families():
    modules = [importlib.import_module(f"ember._ops.{name}") for name in _FAMILIES]
    for name in _OPTIONAL_FAMILIES:
        try:
            modules.append(importlib.import_module(f"ember._ops.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"ember._ops.{name}":
                raise
    return modules


def _inplace(function):
    def method(self, *args, **kwargs):
        return self._write(function(self, *args, **kwargs))

    method.__name__ = function.__name__ + "_"
    method.__doc__ = f"In-place version of :meth:`Tensor.{function.__name__}`."
    return method


def _bind_methods(modules):
    for module in modules:
        for name in getattr(module, "_TENSOR_METHODS", ()):
            if name not in Tensor.__dict__:
                setattr(Tensor, name, getattr(module, name))
        for name in getattr(module, "_INPLACE_METHODS", ()):
            if name + "_" not in Tensor.__dict__:
                setattr(Tensor, name + "_", _inplace(getattr(module, name)))


def _reflected(function):
    return lambda self, other: function(other, self)


def _comparison(function):
    def method(self, other):
        if other is None or not isinstance(other, (Tensor, int, float, bool, complex)) and \
                not hasattr(other, "__array__"):
            return NotImplemented
        return function(self, other)

    return method


def _bind_operators():
    import ember

    operators = {
        "__add__": ember.add, "__radd__": _reflected(ember.add), "__sub__": ember.sub,
        "__rsub__": _reflected(ember.sub), "__mul__": ember.mul,
        "__rmul__": _reflected(ember.mul), "__truediv__": ember.div,
        "__rtruediv__": _reflected(ember.div), "__pow__": ember.pow,
        "__rpow__": _reflected(ember.pow), "__neg__": ember.neg,
        "__pos__": lambda self: self, "__abs__": ember.abs,
        "__eq__": _comparison(ember.eq), "__ne__": _comparison(ember.ne),
        "__lt__": _comparison(ember.lt), "__le__": _comparison(ember.le),
        "__gt__": _comparison(ember.gt), "__ge__": _comparison(ember.ge),
        "__iadd__": Tensor.add_, "__isub__": Tensor.sub_, "__imul__": Tensor.mul_,
        "__itruediv__": Tensor.div_, "__ipow__": Tensor.pow_,
    }
    optional = {
        "__matmul__": "matmul", "__floordiv__": "floor_divide", "__mod__": "remainder",
        "__and__": "bitwise_and", "__or__": "bitwise_or", "__xor__": "bitwise_xor",
        "__invert__": "bitwise_not", "__lshift__": "bitwise_left_shift",
        "__rshift__": "bitwise_right_shift", "__getitem__": "_getitem",
        "__setitem__": "_setitem",
    }
    for dunder, name in optional.items():
        function = getattr(ember, name, None) or getattr(Tensor, name, None)
        if function is not None:
            operators[dunder] = function
    reflected = {"__rmatmul__": "matmul", "__rfloordiv__": "floor_divide",
                 "__rmod__": "remainder", "__rand__": "bitwise_and", "__ror__": "bitwise_or",
                 "__rxor__": "bitwise_xor"}
    for dunder, name in reflected.items():
        function = getattr(ember, name, None)
        if function is not None:
            operators[dunder] = _reflected(function)
    inplace = {"__ifloordiv__": "floor_divide_", "__imod__": "remainder_",
               "__iand__": "bitwise_and_", "__ior__": "bitwise_or_", "__ixor__": "bitwise_xor_",
               "__imatmul__": None}
    for dunder, name in inplace.items():
        if name and name in Tensor.__dict__:
            operators[dunder] = Tensor.__dict__[name]
    for dunder, function in operators.items():
        setattr(Tensor, dunder, function)
    Tensor.__hash__ = lambda self: id(self)


families = _load_families()
_bind_methods(families)


def public_names():
    """Every public function of the families, for ``ember.__init__``."""
    names = {}
    for module in families:
        for name in module.__all__:
            names[name] = getattr(module, name)
    return names
