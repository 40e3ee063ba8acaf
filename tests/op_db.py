"""One spec per op, generic checks for all.

A test module lists ``OpSpec``s and calls ``make_tests(globals(), SPECS)``, which adds:

- ``test_forward``: values, dtype and shape against PyTorch (every dtype, every shape case,
  contiguous and non-contiguous inputs);
- ``test_backward``: gradients of every floating input against ``torch.autograd.grad``;
- ``test_gradcheck``: ``gradcheck`` and ``gradgradcheck`` in float64 (no PyTorch needed);
- ``test_errors``: each error case raises the declared exception type, and PyTorch raises the
  same type for the same call.

``fn(lib, *inputs)`` runs the op with ``lib`` being ``ember`` or ``torch``; inputs are tensors.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pytest

import ember

FLOAT_TOLERANCE = {"float64": (1e-10, 1e-10), "float32": (1e-5, 1e-5), "float16": (1e-2, 1e-2)}


@dataclass
class ErrorCase:
    """A bad call: ``fn(lib)`` must raise ``error`` (and ``match``, a regex, in ember)."""

    fn: Callable
    error: type
    match: str | None = None


@dataclass
class OpSpec:
    name: str
    fn: Callable
    shapes: list = field(default_factory=lambda: [((3, 4),)])
    dtypes: tuple = ("float64", "float32")
    domain: tuple = (-2.0, 2.0)
    atol: float | None = None
    rtol: float | None = None
    grad: bool = True
    gradgrad: bool = True
    inputs: Callable | None = None  # inputs(rng, dtype, shapes) -> list of numpy arrays
    differentiable: tuple | None = None  # input positions with gradients (default: floats)
    error_cases: list = field(default_factory=list)
    noncontiguous: bool = True

    def __str__(self):
        return self.name


def _random_array(rng, shape, dtype, domain):
    low, high = domain
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)  # a 0-d array, not np.bool_, for shape ()
    if dtype.startswith(("int", "uint")):
        return rng.integers(int(low), int(high) + 1, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def make_arrays(spec, dtype, shapes, seed=0):
    rng = np.random.default_rng(seed)
    if spec.inputs is not None:
        return spec.inputs(rng, dtype, shapes)
    return [_random_array(rng, shape, dtype, spec.domain) for shape in shapes]


def noncontiguous(array):
    """The same values in memory laid out transposed (a non-contiguous view)."""
    if array.ndim < 2:
        return array
    return np.ascontiguousarray(array.swapaxes(-1, -2)).swapaxes(-1, -2)


def _to_lib(lib, arrays, requires_grad=()):
    tensors = []
    for index, array in enumerate(arrays):
        if isinstance(array, np.ndarray):
            tensor = lib.from_numpy(array.copy()) if lib is not ember else \
                ember.from_numpy(array.copy())
            if array.ndim >= 2 and not array.flags.c_contiguous:
                tensor = lib.from_numpy(np.ascontiguousarray(array.swapaxes(-1, -2))
                                        ).transpose(-1, -2)
            if index in requires_grad:
                tensor.requires_grad_(True)
            tensors.append(tensor)
        else:
            tensors.append(array)
    return tensors


def _as_list(output):
    return list(output) if isinstance(output, (tuple, list)) else [output]


def _numpy(tensor):
    if hasattr(tensor, "detach"):
        tensor = tensor.detach()
        if hasattr(tensor, "cpu"):
            tensor = tensor.cpu()
        return np.asarray(tensor.numpy())
    return np.asarray(tensor)


def assert_close(actual, expected, dtype, atol=None, rtol=None, what="values"):
    actual, expected = np.asarray(actual), np.asarray(expected)
    # integer inputs with a float result (int -> float32 ops) take the result's tolerance
    default_atol, default_rtol = FLOAT_TOLERANCE.get(
        dtype, FLOAT_TOLERANCE.get(expected.dtype.name, (0, 0)))
    atol = default_atol if atol is None else atol
    rtol = default_rtol if rtol is None else rtol
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    if expected.dtype.kind in "fc":
        np.testing.assert_allclose(actual, expected, atol=atol, rtol=rtol, equal_nan=True,
                                   err_msg=what)
    else:
        np.testing.assert_array_equal(actual, expected, err_msg=what)


def _differentiable_positions(spec, arrays):
    if spec.differentiable is not None:
        return spec.differentiable
    return tuple(i for i, a in enumerate(arrays)
                 if isinstance(a, np.ndarray) and a.dtype.kind == "f")


def check_forward(spec, torch, dtype, shapes, layout):
    arrays = make_arrays(spec, dtype, shapes)
    if layout == "noncontiguous":
        arrays = [noncontiguous(a) if isinstance(a, np.ndarray) else a for a in arrays]
    expected = _as_list(spec.fn(torch, *_to_lib(torch, arrays)))
    actual = _as_list(spec.fn(ember, *_to_lib(ember, arrays)))
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        if hasattr(e, "dtype") and hasattr(e, "shape"):
            assert str(a.dtype).split(".")[-1] == str(e.dtype).split(".")[-1], "dtype"
            assert tuple(a.shape) == tuple(e.shape), "shape"
        assert_close(_numpy(a), _numpy(e), dtype, spec.atol, spec.rtol)


def check_backward(spec, torch, dtype, shapes):
    arrays = make_arrays(spec, dtype, shapes)
    positions = _differentiable_positions(spec, arrays)
    results = {}
    for lib in (torch, ember):
        inputs = _to_lib(lib, arrays, positions)
        outputs = [o for o in _as_list(spec.fn(lib, *inputs))
                   if hasattr(o, "requires_grad") and o.requires_grad]
        rng = np.random.default_rng(1)
        seeds = [lib.from_numpy(rng.standard_normal(tuple(o.shape)).astype(dtype))
                 for o in outputs]
        wrt = [inputs[i] for i in positions]
        grads = lib.autograd.grad(outputs, wrt, seeds, allow_unused=True)
        results[lib.__name__] = [None if g is None else _numpy(g) for g in grads]
    for index, (a, e) in enumerate(zip(results["ember"], results["torch"])):
        if e is None:
            assert a is None or not np.any(a), f"gradient {index}: torch has none"
            continue
        assert a is not None, f"gradient {index}: ember has none"
        assert_close(a, e, dtype, spec.atol, spec.rtol, what=f"gradient of input {index}")


def check_gradcheck(spec, shapes):
    arrays = make_arrays(spec, "float64", shapes)
    positions = _differentiable_positions(spec, arrays)
    inputs = _to_lib(ember, arrays, positions)
    fn = lambda *xs: spec.fn(ember, *xs)  # noqa: E731
    assert ember.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
    if spec.gradgrad:
        assert ember.autograd.gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


def check_error(case, torch):
    with pytest.raises(case.error, match=case.match):
        case.fn(ember)
    if torch is not None:
        with pytest.raises(case.error):
            case.fn(torch)


def _params(specs, what):
    params = []
    for spec in specs:
        if what == "errors":
            params += [pytest.param(spec, case, id=f"{spec.name}-{i}")
                       for i, case in enumerate(spec.error_cases)]
            continue
        for shapes in spec.shapes:
            if what in ("backward", "gradcheck") and not spec.grad:
                continue
            dtypes = spec.dtypes if what == "forward" else \
                [d for d in spec.dtypes if d.startswith("float")][:1 if what == "gradcheck"
                                                                   else None]
            if what == "gradcheck":
                dtypes = ["float64"] if "float64" in spec.dtypes else []
            for dtype in dtypes:
                params.append(pytest.param(spec, dtype, shapes,
                                           id=f"{spec.name}-{dtype}-{shapes}"))
    return params


def make_tests(namespace, specs):
    """Adds the generic parametrized tests for ``specs`` to a test module's namespace."""

    @pytest.mark.parametrize("layout", ["contiguous", "noncontiguous"])
    @pytest.mark.parametrize("spec,dtype,shapes", _params(specs, "forward"))
    def test_forward(spec, dtype, shapes, layout, torch):
        if layout == "noncontiguous" and (not spec.noncontiguous or
                                          all(len(s) < 2 for s in shapes)):
            pytest.skip("no non-contiguous layout for these shapes")
        check_forward(spec, torch, dtype, shapes, layout)

    @pytest.mark.parametrize("spec,dtype,shapes", _params(specs, "backward"))
    def test_backward(spec, dtype, shapes, torch):
        check_backward(spec, torch, dtype, shapes)

    @pytest.mark.parametrize("spec,dtype,shapes", _params(specs, "gradcheck"))
    def test_gradcheck(spec, dtype, shapes):
        check_gradcheck(spec, shapes)

    @pytest.mark.parametrize("spec,case", _params(specs, "errors"))
    def test_errors(spec, case):
        try:
            import torch
        except ImportError:
            torch = None
        check_error(case, torch)

    namespace.update(test_forward=test_forward, test_backward=test_backward,
                     test_gradcheck=test_gradcheck, test_errors=test_errors)
