"""``ember.autograd``: reverse-mode automatic differentiation.

Tensors that require grad record the ops applied to them in a graph of ``grad_fn`` nodes;
:func:`backward` and :func:`grad` walk that graph from outputs back to inputs.
"""

import numpy as np

from ember.autograd import forward_ad, functional, graph  # noqa: F401
from ember.autograd.anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from ember.autograd.function import Function, FunctionCtx, _edge, once_differentiable
from ember.autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                                      is_inference_mode_enabled, no_grad, set_grad_enabled)
from ember.autograd.gradcheck import gradcheck, gradgradcheck
from ember.autograd.graph import run_backward
from ember.autograd.grad_mode import state as _state

__all__ = ["backward", "grad", "Variable", "Function", "FunctionCtx", "once_differentiable",
           "no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled", "gradcheck", "gradgradcheck", "detect_anomaly",
           "set_detect_anomaly", "is_anomaly_enabled", "functional", "forward_ad", "graph"]


def _tensors(value):
    from ember._tensor import Tensor

    if isinstance(value, Tensor):
        return (value,)
    return tuple(value)


def _edge_of(tensor, index, what="tensors"):
    if not tensor._requires_grad:
        raise RuntimeError(f"element {index} of {what} does not require grad and does not have "
                           "a grad_fn")
    return _edge(tensor)  # also re-derives a view's history after a write into its base


def _root_grads(outputs, grad_outputs, create_graph):
    """Seeds for backward: ones for scalar outputs, else the given gradients (checked)."""
    from ember._tensor import Tensor, _make

    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    seeds = []
    for index, (output, grad) in enumerate(zip(outputs, grad_outputs)):
        if grad is None:
            if output._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seed = _make(_ones_like(output._data))
        else:
            if not isinstance(grad, Tensor):
                raise TypeError(f"gradients can be either Tensors or None, but got "
                                f"{type(grad).__name__}")
            if grad.shape != output.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{index}] has a shape of "
                                   f"{grad.shape} and output[{index}] has a shape of "
                                   f"{output.shape}.")
            if grad.is_complex() != output.is_complex():
                raise RuntimeError("For complex Tensors, both grad_output and output are "
                                   "required to have the same dtype.")
            seed = grad if grad._data.dtype == output._data.dtype else grad.to(output.dtype)
        seeds.append(seed if create_graph else seed._data)
    return seeds


def _ones_like(array):
    from ember.backends import namespace

    return namespace(array).ones_like(array)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulates into leaves' ``.grad`` the gradients of ``tensors``.

    ``grad_tensors`` gives the vector of the vector-Jacobian product for non-scalar outputs;
    ``inputs`` restricts accumulation to those tensors.
    """
    outputs = _tensors(tensors)
    grad_tensors = grad_tensors if grad_tensors is not None else grad_variables
    seeds = _root_grads(outputs, grad_tensors, create_graph)
    roots = [_edge_of(t, i) for i, t in enumerate(outputs)]
    retain_graph = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        run_backward(roots, seeds, retain_graph, create_graph)
        return
    inputs = _tensors(inputs)
    grads = run_backward(roots, seeds, retain_graph, create_graph,
                         [_edge_of(t, i, "inputs") for i, t in enumerate(inputs)],
                         accumulate=False)
    from ember.autograd.graph import _Accumulator

    accumulate = _Accumulator(seeds)
    previous = _state.create_graph
    _state.create_graph = create_graph
    try:
        for tensor, value in zip(inputs, grads):
            if value is not None:
                accumulate(tensor, value)
    finally:
        _state.create_graph = previous


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Returns the gradients of ``outputs`` with respect to ``inputs`` (without touching
    ``.grad``). ``create_graph=True`` records them, for higher-order derivatives."""
    from ember._tensor import _make

    outputs, input_tensors = _tensors(outputs), _tensors(inputs)
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    for tensor in input_tensors:
        if not tensor._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    seeds = _root_grads(outputs, grad_outputs, create_graph)
    roots = [_edge_of(t, i) for i, t in enumerate(outputs)]
    retain_graph = create_graph if retain_graph is None else retain_graph
    targets = [_edge_of(t, i, "inputs") for i, t in enumerate(input_tensors)]
    grads = run_backward(roots, seeds, retain_graph, create_graph, targets, accumulate=False)
    results = []
    for tensor, value in zip(input_tensors, grads):
        if value is None:
            if not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been "
                                   "used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
            results.append(tensor.new_zeros(tensor.shape) if materialize_grads else None)
        elif create_graph:
            results.append(value)
        else:
            results.append(_make(value if not isinstance(value, np.generic) else
                                 np.asarray(value)))
    return tuple(results)


class _VariableMeta(type):
    def __instancecheck__(cls, instance):
        from ember._tensor import Tensor

        return isinstance(instance, Tensor)


class Variable(metaclass=_VariableMeta):
    """Legacy wrapper: ``Variable(tensor)`` is ``tensor.detach()`` with ``requires_grad`` set;
    every tensor is an instance of it."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        from ember._tensor import Tensor

        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got "
                            f"{type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)
