"""``F.linear`` and ``F.bilinear``."""

import ember

__all__ = ["linear", "bilinear"]


def linear(input, weight, bias=None):
    r"""Applies :math:`y = xA^T + b`; a 2-D input with a bias is one fused ``addmm``."""
    if input.dim() == 2 and bias is not None:
        return ember.addmm(bias, input, weight.t())
    output = ember.matmul(input, weight.t())
    return output + bias if bias is not None else output


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
