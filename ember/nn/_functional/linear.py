"""``F.linear`` and ``F.bilinear``."""

import math

import ember
from ember._tensor import _scalar_type_name
from ember.autograd.function import Op

__all__ = ["linear", "bilinear"]


class Linear(Op):
    """``input @ weight.T + bias`` on a 2-D input: Linear's hot path as one node whose weight
    gradient comes out in the weight's own layout (no transposed view, no copy)."""

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, xp, input, weight, bias):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(input if needs[1] else None, weight if needs[0] else None)
        output = xp.matmul(input, weight.T)
        if bias is not None:
            output += bias
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad_output @ weight if needs[0] else None,
                grad_output.T @ input if needs[1] else None,
                ctx.xp.sum(grad_output, axis=0) if needs[2] else None)


class LinearNoBias(Linear):
    node_name = "MmBackward0"


def linear(input, weight, bias=None):
    r"""Applies :math:`y = xA^T + b` to the last dimension of ``input``."""
    features = input.shape[-1] if input.dim() else 1
    if weight.dim() != 2 or features != weight.shape[1]:
        rows = math.prod(input.shape[:-1]) if input.dim() > 1 else 1
        columns = "x".join(str(s) for s in reversed(weight.shape))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{features} and "
                           f"{columns})")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_scalar_type_name(input.dtype).lower()} != "
                           f"{_scalar_type_name(weight.dtype).lower()}")
    op = Linear if bias is not None else LinearNoBias
    if input.dim() == 2:
        return op.apply(input, weight, bias)
    flat = input.reshape(-1, features)
    return op.apply(flat, weight, bias).reshape(input.shape[:-1] + (weight.shape[0],))


def bilinear(input1, input2, weight, bias=None):
    r"""Applies :math:`y = x_1^T A x_2 + b`."""
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError("bilinear(): input batch dimensions do not match: got "
                           f"{list(input1.shape[:-1])} and {list(input2.shape[:-1])}")
    if input1.shape[-1] != weight.shape[1] or input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input sizes ({input1.shape[-1]}, {input2.shape[-1]}) "
                           f"do not match weight sizes ({weight.shape[1]}, {weight.shape[2]})")
    output = ember.einsum("...i,oij,...j->...o", input1, weight, input2)
    return output + bias if bias is not None else output
