"""Layers against PyTorch: build the same layer in both libraries, copy PyTorch's state_dict
into ember's, feed the same input, compare outputs, input gradients and parameter gradients.

A test module lists ``ModuleSpec``s and calls ``make_module_tests(globals(), SPECS)``, which adds
``test_module_parity`` (float64 and float32, train and eval mode) and ``test_module_errors``.
``make(lib)`` builds the layer with ``lib.nn``; ``inputs`` gives the input shapes (or a function
``inputs(rng, dtype)`` returning numpy arrays); ``call(module, *inputs)`` runs it.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, assert_close

__all__ = ["ModuleSpec", "ErrorCase", "make_module_tests", "copy_state", "check_module"]


@dataclass
class ModuleSpec:
    name: str
    make: Callable
    inputs: object = ((2, 3),)
    call: Callable | None = None
    dtypes: tuple = ("float64", "float32")
    modes: tuple = ("train", "eval")
    domain: tuple = (-2.0, 2.0)
    atol: float | None = None
    rtol: float | None = None
    grad: bool = True
    error_cases: list = field(default_factory=list)

    def __str__(self):
        return self.name


def copy_state(torch_module, ember_module):
    """Loads ``torch_module``'s state_dict into ``ember_module`` through NumPy."""
    state = {key: ember.from_numpy(value.detach().cpu().numpy().copy())
             for key, value in torch_module.state_dict().items()}
    ember_module.load_state_dict(state)


def _arrays(spec, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if callable(spec.inputs):
        return spec.inputs(rng, dtype)
    low, high = spec.domain
    return [rng.uniform(low, high, size=shape).astype(dtype) for shape in spec.inputs]


def _outputs(output):
    if isinstance(output, (tuple, list)):
        return [o for item in output for o in _outputs(item)]
    return [output] if hasattr(output, "shape") else []


def _run(lib, module, spec, arrays):
    inputs = []
    for array in arrays:
        if isinstance(array, np.ndarray):
            tensor = lib.from_numpy(array.copy())
            if spec.grad and array.dtype.kind == "f":
                tensor.requires_grad_(True)
            inputs.append(tensor)
        else:
            inputs.append(array)
    output = spec.call(module, *inputs) if spec.call else module(*inputs)
    return inputs, _outputs(output)


def check_module(spec, torch, dtype, mode):
    torch.manual_seed(0)
    torch_module = spec.make(torch).to(getattr(torch, dtype))
    ember_module = spec.make(ember).to(getattr(ember, dtype))
    copy_state(torch_module, ember_module)
    for module in (torch_module, ember_module):
        module.train(mode == "train")
    arrays = _arrays(spec, dtype)
    torch_inputs, torch_outputs = _run(torch, torch_module, spec, arrays)
    ember_inputs, ember_outputs = _run(ember, ember_module, spec, arrays)
    assert len(torch_outputs) == len(ember_outputs)
    for index, (e, t) in enumerate(zip(ember_outputs, torch_outputs)):
        assert tuple(e.shape) == tuple(t.shape), f"output {index} shape"
        assert str(e.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], f"output {index} dtype"
        assert_close(e.detach().numpy(), t.detach().numpy(), dtype, spec.atol, spec.rtol,
                     what=f"output {index}")
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        for key, value in torch_module.state_dict().items():
            if key.endswith(name):
                assert_close(ember_module.state_dict()[key].numpy(), value.numpy(), dtype,
                             spec.atol, spec.rtol, what=key)
    if not spec.grad:
        return
    differentiable = [(e, t) for e, t in zip(ember_outputs, torch_outputs)
                      if t.requires_grad]
    if not differentiable:
        return
    rng = np.random.default_rng(1)
    seeds = [rng.standard_normal(tuple(t.shape)).astype(dtype) for _, t in differentiable]
    torch.autograd.backward([t for _, t in differentiable],
                            [torch.from_numpy(s) for s in seeds])
    ember.autograd.backward([e for e, _ in differentiable],
                            [ember.from_numpy(s) for s in seeds])
    for index, (e, t) in enumerate(zip(ember_inputs, torch_inputs)):
        if hasattr(t, "grad") and t.grad is not None:
            assert e.grad is not None, f"input {index} has no gradient"
            assert_close(e.grad.numpy(), t.grad.numpy(), dtype, spec.atol, spec.rtol,
                         what=f"gradient of input {index}")
    ember_params = dict(ember_module.named_parameters())
    for name, param in torch_module.named_parameters():
        if param.grad is None:
            continue
        grad = ember_params[name].grad
        assert grad is not None, f"parameter {name} has no gradient"
        assert_close(grad.numpy(), param.grad.numpy(), dtype, spec.atol, spec.rtol,
                     what=f"gradient of {name}")


def make_module_tests(namespace, specs):
    """Adds the generic parametrized layer tests for ``specs`` to a test module."""
    params = [pytest.param(spec, dtype, mode, id=f"{spec.name}-{dtype}-{mode}")
              for spec in specs for dtype in spec.dtypes for mode in spec.modes]
    errors = [pytest.param(spec, case, id=f"{spec.name}-{i}")
              for spec in specs for i, case in enumerate(spec.error_cases)]

    @pytest.mark.parametrize("spec,dtype,mode", params)
    def test_module_parity(spec, dtype, mode, torch):
        check_module(spec, torch, dtype, mode)

    @pytest.mark.parametrize("spec,case", errors)
    def test_module_errors(spec, case):
        try:
            import torch
        except ImportError:
            torch = None
        with pytest.raises(case.error, match=case.match):
            case.fn(ember)
        if torch is not None:
            with pytest.raises(case.error):
                case.fn(torch)

    namespace.update(test_module_parity=test_module_parity, test_module_errors=test_module_errors)
