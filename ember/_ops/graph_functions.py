"""NumPy-named functions over ember's differentiable ops.

Backward formulas call ``ctx.xp.<name>``: NumPy/CuPy in a plain backward, this module while
``create_graph=True`` records the backward itself. Functions whose NumPy signature differs from
ember's are adapted here; any other name falls through to ``ember.<name>``.
"""

import ember


def _dims(axis):
    return axis if axis is None or isinstance(axis, int) else tuple(axis)


def sum(a, axis=None, keepdims=False, dtype=None):  # noqa: A001
    if axis is None and not keepdims:
        return a.sum()
    return a.sum(dim=_dims(axis) if axis is not None else None, keepdim=keepdims)


def mean(a, axis=None, keepdims=False):
    return a.mean(dim=_dims(axis), keepdim=keepdims)


def broadcast_to(a, shape):
    return ember.as_tensor(a).expand(*shape) if isinstance(a, ember.Tensor) else \
        ember.tensor(a).expand(*shape)


def swapaxes(a, axis1, axis2):
    return a.transpose(axis1, axis2)


def transpose(a, axes=None):
    return a.permute(*axes) if axes is not None else a.T


def moveaxis(a, source, destination):
    return a.movedim(source, destination)


def expand_dims(a, axis):
    return a.unsqueeze(axis)


def reshape(a, shape):
    return a.reshape(shape)


def where(condition, x, y):
    return ember.where(condition, x, y)


def zeros_like(a, dtype=None):
    return ember.zeros_like(a, dtype=dtype)


def ones_like(a, dtype=None):
    return ember.ones_like(a, dtype=dtype)


def matmul(a, b):
    return ember.matmul(a, b)


def maximum(a, b):
    return ember.maximum(a, b)


def minimum(a, b):
    return ember.minimum(a, b)


def clip(a, a_min, a_max):
    return ember.clamp(a, a_min, a_max)


def power(a, b):
    return ember.pow(a, b)


def conj(a):
    return a.conj()


def _unary(name):
    return lambda a: getattr(ember, name)(a)


for _name in ("exp", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sqrt", "abs", "sign",
              "sigmoid", "log1p", "expm1", "reciprocal", "square", "negative", "floor", "ceil",
              "exp2", "log2", "rsqrt", "erf", "erfc", "atan", "asin", "acos"):
    globals()[_name] = _unary(_name)
multiply, add, subtract, divide = ember.mul, ember.add, ember.sub, ember.div
true_divide = divide


def __getattr__(name):
    return getattr(ember, name)
