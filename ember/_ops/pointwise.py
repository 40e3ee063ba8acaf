"""Element-wise ops: arithmetic, unary math, comparisons and casts."""

import numpy as np

from ember._ops._checks import promote_operands, to_floating
from ember._tensor import Tensor
from ember.autograd.function import Op

__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "neg",
    "negative", "pow", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sqrt",
    "eq", "ne", "lt", "le", "gt", "ge", "rsub", "square",
]


def _ipow(input, exponent):
    """``input ** exponent`` for a small positive integer, by multiplication (NumPy's generic
    power is ~80x slower on arrays holding negatives)."""
    result = input
    for _ in range(exponent - 1):
        result = result * input
    return result


class ToCopy(Op):
    @staticmethod
    def forward(ctx, xp, input, dtype):
        ctx.input_dtype = input.dtype
        return input.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, None  # the engine casts back to the input's dtype


class Add(Op):
    @staticmethod
    def forward(ctx, xp, input, other, alpha=1):
        ctx.alpha = alpha
        return xp.add(input, other) if alpha == 1 else xp.add(input, xp.multiply(other, alpha))

    @staticmethod
    def backward(ctx, grad_output):
        alpha = ctx.alpha
        return grad_output, (grad_output if alpha == 1 else grad_output * alpha), None


class Sub(Op):
    @staticmethod
    def forward(ctx, xp, input, other, alpha=1):
        ctx.alpha = alpha
        if alpha == 1:
            return xp.subtract(input, other)
        return xp.subtract(input, xp.multiply(other, alpha))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, (-grad_output if ctx.alpha == 1 else grad_output * -ctx.alpha), None


class Mul(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(input if needs[1] else None, other if needs[0] else None)
        return xp.multiply(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad_output * other if needs[0] else None,
                grad_output * input if needs[1] else None)


class Div(Op):
    @staticmethod
    def forward(ctx, xp, input, other):
        ctx.save_for_backward(input if ctx.needs_input_grad[1] else None, other)
        return xp.true_divide(input, other)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad_output / other if needs[0] else None,
                -grad_output * input / (other * other) if needs[1] else None)


class Neg(Op):
    @staticmethod
    def forward(ctx, xp, input):
        return xp.negative(input)

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class Pow(Op):
    """``input ** exponent`` for a tensor and a Python-number exponent."""

    @staticmethod
    def forward(ctx, xp, input, exponent):
        ctx.save_for_backward(input)
        ctx.exponent = exponent
        if isinstance(exponent, int) and 0 < exponent <= 4:
            return _ipow(input, exponent)
        if exponent == 0.5:
            return xp.sqrt(input)
        return xp.power(input, exponent)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        exponent = ctx.exponent
        if exponent == 0:
            return grad_output * 0, None
        if isinstance(exponent, int) and 1 < exponent <= 5:
            return grad_output * exponent * _ipow(input, exponent - 1), None
        if exponent == 1:
            return grad_output, None
        return grad_output * exponent * input ** (exponent - 1), None


class PowTensor(Op):
    """``input ** exponent`` where the exponent is a tensor (``input`` may be a number)."""

    @staticmethod
    def forward(ctx, xp, input, exponent):
        result = xp.power(input, exponent)
        ctx.save_for_backward(input, exponent, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        input, exponent, result = ctx.saved_tensors
        xp = ctx.xp
        needs = ctx.needs_input_grad
        grad_input = grad_exponent = None
        if needs[0]:
            grad_input = xp.where(exponent == 0, 0.0,
                                  grad_output * exponent * input ** (exponent - 1))
        if needs[1]:
            grad_exponent = xp.where((input == 0) & (exponent >= 0), 0.0,
                                     grad_output * result * xp.log(input))
        return grad_input, grad_exponent


class Exp(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.exp(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


class Log(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.log(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output / input


class Sin(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.sin(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * ctx.xp.cos(input)


class Cos(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.cos(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return -grad_output * ctx.xp.sin(input)


class Tanh(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.tanh(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * (1 - result * result)


class Sigmoid(Op):
    @staticmethod
    def forward(ctx, xp, input):
        # tanh form: no overflow warning for large negative inputs, same values
        result = xp.tanh(input * 0.5) * 0.5 + 0.5
        result = result.astype(input.dtype, copy=False)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result * (1 - result)


class Relu(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.maximum(input, 0)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * (result > 0)


class Abs(Op):
    @staticmethod
    def forward(ctx, xp, input):
        ctx.save_for_backward(input)
        return xp.abs(input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * ctx.xp.sign(input)


class Sqrt(Op):
    @staticmethod
    def forward(ctx, xp, input):
        result = xp.sqrt(input)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output / (2 * result)


class _Compare(Op):
    differentiable = False


class Eq(_Compare):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.equal(input, other)


class Ne(_Compare):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.not_equal(input, other)


class Lt(_Compare):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.less(input, other)


class Le(_Compare):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.less_equal(input, other)


class Gt(_Compare):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.greater(input, other)


class Ge(_Compare):
    @staticmethod
    def forward(ctx, xp, input, other):
        return xp.greater_equal(input, other)


# ---------------------------------------------------------------------- public functions
def _out(result, out):
    """Implements ``out=``: writes ``result`` into ``out`` (resized like PyTorch); returns it."""
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"out must be a Tensor, not {type(out).__name__}")
    if out._requires_grad and result._requires_grad:
        raise RuntimeError("functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if out.shape != result.shape:
        out._data = result._data.astype(out._data.dtype, copy=True)
        out._version_counter[0] += 1
        return out
    return out._write(result.detach())


def add(input, other, *, alpha=1, out=None):
    """Adds ``other``, scaled by ``alpha``, to ``input``, with broadcasting and promotion."""
    input, other = promote_operands(input, other)
    return _out(Add.apply(input, other, alpha), out)


def sub(input, other, *, alpha=1, out=None):
    """Subtracts ``other``, scaled by ``alpha``, from ``input``."""
    input, other = promote_operands(input, other)
    if isinstance(input, Tensor) and input._data.dtype == np.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    return _out(Sub.apply(input, other, alpha), out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    input, other = promote_operands(input, other)
    return Sub.apply(other, input, alpha) if alpha == 1 else Sub.apply(other, input * alpha)


def mul(input, other, *, out=None):
    """Multiplies ``input`` by ``other``, with broadcasting and type promotion."""
    input, other = promote_operands(input, other)
    return _out(Mul.apply(input, other), out)


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """Divides ``input`` by ``other``; ``rounding_mode`` ``'trunc'`` or ``'floor'`` rounds."""
    input, other = promote_operands(input, other)
    if rounding_mode is None:
        input, other = _true_division_operands(input, other)
        return _out(Div.apply(input, other), out)
    from ember._ops import pointwise_more

    return _out(pointwise_more.rounded_div(input, other, rounding_mode), out)


divide = div


def true_divide(input, other, *, out=None):
    return div(input, other, out=out)


def _true_division_operands(input, other):
    sample = input if isinstance(input, Tensor) else other
    if sample._data.dtype.kind in "fc":
        return input, other
    return tuple(to_floating(x) if isinstance(x, Tensor) else float(x) for x in (input, other))


def neg(input, *, out=None):
    """Returns ``-input``."""
    if input._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return _out(Neg.apply(input), out)


negative = neg


def pow(input, exponent, *, out=None):  # noqa: A001 - PyTorch's name
    """Raises ``input`` to the power ``exponent`` (a number or a tensor), element-wise."""
    if isinstance(exponent, Tensor) or not isinstance(input, Tensor):
        input, exponent = promote_operands(input, exponent)
        return _out(PowTensor.apply(input, exponent), out)
    if isinstance(exponent, bool) or not isinstance(exponent, (int, float, complex)):
        exponent = exponent.item() if hasattr(exponent, "item") else exponent
    if input._data.dtype.kind in "iub":
        if isinstance(exponent, float):
            input = to_floating(input)
        elif exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    return _out(Pow.apply(input, exponent), out)


def square(input, *, out=None):
    return pow(input, 2, out=out)


def _unary(op, floating=True):
    def function(input, *, out=None):
        if floating:
            input = to_floating(input)
        return _out(op.apply(input), out)

    return function


exp = _unary(Exp)
log = _unary(Log)
sin = _unary(Sin)
cos = _unary(Cos)
tanh = _unary(Tanh)
sigmoid = _unary(Sigmoid)
sqrt = _unary(Sqrt)
relu = _unary(Relu, floating=False)
abs = _unary(Abs, floating=False)  # noqa: A001
for _function, _doc in [
    (exp, "Returns the exponential :math:`e^{x}` of each element of ``input``."),
    (log, "Returns the natural logarithm of each element of ``input``."),
    (sin, "Returns the sine of each element of ``input``."),
    (cos, "Returns the cosine of each element of ``input``."),
    (tanh, "Returns the hyperbolic tangent of each element of ``input``."),
    (sigmoid, r"Returns :math:`1 / (1 + e^{-x})` for each element of ``input``."),
    (sqrt, "Returns the square root of each element of ``input``."),
    (relu, "Returns :math:`\\max(0, x)` for each element of ``input``."),
    (abs, "Returns the absolute value of each element of ``input``."),
]:
    _function.__doc__ = _doc
for _name in ("exp", "log", "sin", "cos", "tanh", "sigmoid", "sqrt", "relu", "abs"):
    globals()[_name].__name__ = _name


def _comparison(op, name):
    def function(input, other, *, out=None):
        input, other = promote_operands(input, other)
        return _out(op.apply(input, other), out)

    function.__name__ = name
    function.__doc__ = f"Computes ``input {name} other`` element-wise, as a bool tensor."
    return function


eq = _comparison(Eq, "eq")
ne = _comparison(Ne, "ne")
lt = _comparison(Lt, "lt")
le = _comparison(Le, "le")
gt = _comparison(Gt, "gt")
ge = _comparison(Ge, "ge")


def _to(tensor, device, dtype, copy=False):
    """``Tensor.to``: a differentiable cast and/or device transfer."""
    result = tensor
    if dtype is not None and dtype.numpy != tensor._data.dtype:
        result = ToCopy.apply(tensor, dtype.numpy)
    if device is not None and device != tensor.device:
        result = ToDevice.apply(result, device)
    if copy and result is tensor:
        result = result.clone()
    return result


class ToDevice(Op):
    @staticmethod
    def forward(ctx, xp, input, device):
        from ember.backends import device_of, namespace_for

        ctx.source = device_of(input)
        return _move(input, namespace_for(device))

    @staticmethod
    def backward(ctx, grad_output):
        return ToDevice.call(grad_output, ctx.source), None


def _move(array, xp):
    if xp is np:
        return array.get() if type(array) is not np.ndarray else array
    return xp.asarray(array)


_TENSOR_METHODS = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
                   "neg", "negative", "pow", "exp", "log", "sin", "cos", "tanh", "sigmoid",
                   "relu", "abs", "sqrt", "eq", "ne", "lt", "le", "gt", "ge", "square"]
_INPLACE_METHODS = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
                    "neg", "negative", "pow", "exp", "log", "sin", "cos", "tanh", "sigmoid",
                    "relu", "abs", "sqrt", "eq", "ne", "lt", "le", "gt", "ge", "square"]
