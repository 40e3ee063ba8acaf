"""Flattening parameters into one vector and back."""

import ember
from ember.autograd.grad_mode import no_grad

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """Concatenates the flattened parameters into one 1-D tensor."""
    return ember.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copies consecutive slices of ``vec`` into ``parameters``."""
    if not isinstance(vec, ember.Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {type(vec).__name__}")
    offset = 0
    with no_grad():
        for param in parameters:
            count = param.numel()
            param.copy_(vec[offset:offset + count].view_as(param))
            offset += count
