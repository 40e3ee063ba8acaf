"""Pooling layers and F.*_pool* against PyTorch: values, indices, gradients, double backward,
reprs, grad_fn names, ties and NaNs, and PyTorch's error messages."""

import itertools

import numpy as np
import pytest

import ember
from tests.module_db import ErrorCase, ModuleSpec, make_module_tests
from tests.op_db import OpSpec, make_tests

# ---------------------------------------------------------------------- modules
MODULE_SPECS = [
    ModuleSpec("maxpool2d", lambda lib: lib.nn.MaxPool2d(2), [(2, 3, 8, 8)]),
    ModuleSpec("maxpool2d_odd", lambda lib: lib.nn.MaxPool2d(3, 2, 1), [(2, 3, 9, 7)]),
    ModuleSpec("maxpool2d_ceil", lambda lib: lib.nn.MaxPool2d((2, 3), (2, 2), (1, 0),
                                                              ceil_mode=True), [(2, 2, 7, 8)]),
    ModuleSpec("maxpool2d_dilation", lambda lib: lib.nn.MaxPool2d(3, 1, 1, dilation=2),
               [(1, 2, 7, 6)]),
    ModuleSpec("maxpool2d_indices", lambda lib: lib.nn.MaxPool2d(2, return_indices=True),
               [(2, 3, 5, 6)]),
    ModuleSpec("maxpool2d_unbatched", lambda lib: lib.nn.MaxPool2d(2, 1), [(3, 5, 5)]),
    ModuleSpec("maxpool1d", lambda lib: lib.nn.MaxPool1d(3, 2, 1, ceil_mode=True),
               [(2, 3, 10)]),
    ModuleSpec("maxpool1d_indices", lambda lib: lib.nn.MaxPool1d(2, return_indices=True),
               [(3, 7)]),
    ModuleSpec("maxpool3d", lambda lib: lib.nn.MaxPool3d(2, padding=1), [(1, 2, 4, 5, 3)]),
    ModuleSpec("maxpool3d_indices", lambda lib: lib.nn.MaxPool3d(
        (1, 2, 2), return_indices=True, ceil_mode=True), [(2, 3, 5, 5)]),
    ModuleSpec("avgpool2d", lambda lib: lib.nn.AvgPool2d(2), [(2, 3, 8, 8)]),
    ModuleSpec("avgpool2d_pad", lambda lib: lib.nn.AvgPool2d(3, 2, 1), [(2, 3, 9, 7)]),
    ModuleSpec("avgpool2d_exclude_pad", lambda lib: lib.nn.AvgPool2d(
        3, 2, 1, ceil_mode=True, count_include_pad=False), [(2, 2, 8, 7)]),
    ModuleSpec("avgpool2d_divisor", lambda lib: lib.nn.AvgPool2d((2, 3), 1, divisor_override=5),
               [(3, 6, 6)]),
    ModuleSpec("avgpool1d", lambda lib: lib.nn.AvgPool1d(3, 2, 1, ceil_mode=True,
                                                         count_include_pad=False),
               [(2, 3, 10)]),
    ModuleSpec("avgpool3d", lambda lib: lib.nn.AvgPool3d(2, 1, 1), [(1, 2, 3, 4, 3)]),
    ModuleSpec("adaptive_avg2d", lambda lib: lib.nn.AdaptiveAvgPool2d((3, 4)), [(2, 3, 7, 9)]),
    ModuleSpec("adaptive_avg2d_global", lambda lib: lib.nn.AdaptiveAvgPool2d(1), [(2, 3, 5, 5)]),
    ModuleSpec("adaptive_avg2d_none", lambda lib: lib.nn.AdaptiveAvgPool2d((None, 2)),
               [(2, 3, 5, 5)]),
    ModuleSpec("adaptive_avg2d_up", lambda lib: lib.nn.AdaptiveAvgPool2d(5), [(1, 2, 3, 4)]),
    ModuleSpec("adaptive_avg1d", lambda lib: lib.nn.AdaptiveAvgPool1d(4), [(2, 3, 10)]),
    ModuleSpec("adaptive_avg3d", lambda lib: lib.nn.AdaptiveAvgPool3d((2, 3, 1)),
               [(1, 2, 5, 4, 3)]),
    ModuleSpec("adaptive_max2d", lambda lib: lib.nn.AdaptiveMaxPool2d((3, 2), True),
               [(2, 3, 7, 5)]),
    ModuleSpec("adaptive_max2d_up", lambda lib: lib.nn.AdaptiveMaxPool2d(4), [(1, 2, 3, 2)]),
    ModuleSpec("adaptive_max1d", lambda lib: lib.nn.AdaptiveMaxPool1d(3, True), [(2, 3, 8)]),
    ModuleSpec("adaptive_max3d", lambda lib: lib.nn.AdaptiveMaxPool3d(2), [(2, 3, 5, 4)]),
    ModuleSpec("lppool2d", lambda lib: lib.nn.LPPool2d(2, 3, 2), [(2, 3, 7, 7)]),
    ModuleSpec("lppool1d", lambda lib: lib.nn.LPPool1d(1.5, 2), [(2, 3, 8)], domain=(0.5, 2)),
    ModuleSpec("lppool3d", lambda lib: lib.nn.LPPool3d(3, 2, ceil_mode=True), [(1, 2, 3, 5, 4)]),
]


def _unpool_inputs(shape, output_spatial):
    """Unpooling inputs: values of ``shape`` and distinct random flat positions in
    ``output_spatial`` (so the forward does not depend on write order)."""
    def inputs(rng, dtype, shapes=None):
        rows, count = int(np.prod(shape[:-len(output_spatial)])), int(np.prod(
            shape[-len(output_spatial):]))
        volume = int(np.prod(output_spatial))
        indices = np.stack([rng.permutation(volume)[:count] for _ in range(rows)])
        values = rng.uniform(-2, 2, size=shape).astype(dtype)
        return [values, indices.reshape(shape).astype(np.int64)]
    return inputs


MODULE_SPECS += [
    ModuleSpec("maxunpool2d", lambda lib: lib.nn.MaxUnpool2d(2),
               _unpool_inputs((2, 3, 3, 3), (6, 6))),
    ModuleSpec("maxunpool2d_stride", lambda lib: lib.nn.MaxUnpool2d(3, 2, 1),
               _unpool_inputs((1, 2, 4, 4), (7, 7))),
    ModuleSpec("maxunpool2d_size", lambda lib: lib.nn.MaxUnpool2d(2),
               _unpool_inputs((2, 3, 3, 2), (7, 5)),
               call=lambda module, values, indices: module(values, indices, (7, 5))),
    ModuleSpec("maxunpool1d", lambda lib: lib.nn.MaxUnpool1d(2),
               _unpool_inputs((2, 3, 4), (8,))),
    ModuleSpec("maxunpool3d", lambda lib: lib.nn.MaxUnpool3d(2),
               _unpool_inputs((1, 2, 2, 2, 3), (4, 4, 6))),
]

make_module_tests(globals(), MODULE_SPECS)


# ---------------------------------------------------------------------- functional forms
def _max_pool_specs():
    """max_pool2d over kernel / stride / padding / dilation / ceil_mode combinations."""
    specs = []
    combos = itertools.product((2, 3, (2, 3)), (None, 1, 2, (2, 1)), (0, 1), (1, 2),
                               (False, True))
    for kernel_size, stride, padding, dilation, ceil_mode in combos:
        if padding and (kernel_size == 2 or kernel_size == (2, 3)) and dilation == 1 and \
                stride == 1:
            continue
        name = f"max_pool2d_{kernel_size}_{stride}_{padding}_{dilation}_{ceil_mode}"
        specs.append(OpSpec(
            name, lambda lib, x, k=kernel_size, s=stride, p=padding, d=dilation, c=ceil_mode:
            lib.nn.functional.max_pool2d(x, k, s, p, d, c, return_indices=True),
            [((2, 2, 7, 8),)], gradgrad=False))
    return specs


SPECS = _max_pool_specs()[::3] + [
    OpSpec("max_pool2d_shapes", lambda lib, x: lib.nn.functional.max_pool2d(x, 2),
           [((2, 3, 6, 6),), ((3, 5, 7),), ((1, 1, 2, 2),), ((0, 2, 4, 4),)]),
    OpSpec("max_pool2d_gradgrad", lambda lib, x: lib.nn.functional.max_pool2d(x, 3, 2, 1),
           [((1, 2, 5, 6),)]),
    OpSpec("max_pool2d_overlap_gradgrad",
           lambda lib, x: lib.nn.functional.max_pool2d(x, 2, 1, ceil_mode=True),
           [((2, 4, 5),)]),
    OpSpec("max_pool1d", lambda lib, x: lib.nn.functional.max_pool1d(x, 3, 2, 1, 2, True),
           [((2, 3, 11),), ((3, 6),)]),
    OpSpec("max_pool1d_indices",
           lambda lib, x: lib.nn.functional.max_pool1d(x, 2, 1, 1, return_indices=True),
           [((2, 3, 7),)]),
    OpSpec("max_pool3d", lambda lib, x: lib.nn.functional.max_pool3d(
        x, (2, 3, 2), (1, 2, 2), (1, 1, 0), (1, 1, 2), True, True), [((1, 2, 4, 5, 6),)]),
    OpSpec("max_pool2d_int", lambda lib, x: lib.nn.functional.max_pool2d(x, 2, 1, 1),
           [((2, 5, 5),)], dtypes=("int64",), grad=False, domain=(-5, 5)),
    OpSpec("avg_pool2d", lambda lib, x: lib.nn.functional.avg_pool2d(x, 3, 2, 1),
           [((2, 3, 7, 8),), ((3, 5, 5),), ((0, 2, 4, 4),)]),
    OpSpec("avg_pool2d_ceil", lambda lib, x: lib.nn.functional.avg_pool2d(
        x, (3, 2), (2, 3), (1, 1), True, False), [((2, 2, 8, 9),)]),
    OpSpec("avg_pool2d_ceil_include", lambda lib, x: lib.nn.functional.avg_pool2d(
        x, 3, 2, 1, True, True), [((1, 2, 6, 6),)]),
    OpSpec("avg_pool2d_divisor", lambda lib, x: lib.nn.functional.avg_pool2d(
        x, 2, 1, 1, divisor_override=3), [((1, 2, 5, 4),)]),
    OpSpec("avg_pool2d_int", lambda lib, x: lib.nn.functional.avg_pool2d(x, 3, 2, 1),
           [((2, 5, 6),)], dtypes=("int64",), grad=False, domain=(-9, 9)),
    OpSpec("avg_pool1d", lambda lib, x: lib.nn.functional.avg_pool1d(x, 4, 3, 2, True, False),
           [((2, 3, 11),), ((3, 6),)]),
    OpSpec("avg_pool3d", lambda lib, x: lib.nn.functional.avg_pool3d(
        x, (2, 3, 2), (1, 2, 2), (1, 1, 0), True, False), [((1, 2, 4, 5, 6),)]),
    OpSpec("adaptive_avg_pool2d", lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(
        x, (3, 5)), [((2, 3, 7, 8),), ((2, 6, 10),), ((0, 2, 4, 4),)]),
    OpSpec("adaptive_avg_pool2d_block", lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(
        x, 2), [((2, 3, 6, 8),)]),
    OpSpec("adaptive_pool_empty_output", lambda lib, x: (
        lib.nn.functional.adaptive_avg_pool2d(x, (3, 0)),
        lib.nn.functional.adaptive_max_pool2d(x, (0, 2))[0]), [((2, 3, 4, 4),)],
        grad=False),  # PyTorch's backward refuses empty outputs
    OpSpec("adaptive_avg_pool1d", lambda lib, x: lib.nn.functional.adaptive_avg_pool1d(x, 3),
           [((2, 3, 7),)]),
    OpSpec("adaptive_avg_pool3d", lambda lib, x: lib.nn.functional.adaptive_avg_pool3d(
        x, (2, None, 3)), [((1, 2, 3, 4, 5),)]),
    OpSpec("adaptive_max_pool2d", lambda lib, x: lib.nn.functional.adaptive_max_pool2d(
        x, (3, 4), return_indices=True), [((2, 3, 7, 6),), ((2, 5, 9),), ((0, 2, 4, 4),)]),
    OpSpec("adaptive_max_pool1d", lambda lib, x: lib.nn.functional.adaptive_max_pool1d(
        x, 5, return_indices=True), [((2, 3, 7),)]),
    OpSpec("adaptive_max_pool3d", lambda lib, x: lib.nn.functional.adaptive_max_pool3d(
        x, (2, 3, 2), return_indices=True), [((1, 2, 3, 5, 4),)]),
    OpSpec("lp_pool2d", lambda lib, x: lib.nn.functional.lp_pool2d(x, 2.0, (2, 3), 1, True),
           [((2, 3, 5, 6),)]),
    OpSpec("lp_pool2d_inf", lambda lib, x: lib.nn.functional.lp_pool2d(x, float("inf"), 2),
           [((2, 3, 4, 4),)]),
    OpSpec("lp_pool1d", lambda lib, x: lib.nn.functional.lp_pool1d(x, 3.0, 3, 2),
           [((2, 3, 9),)], domain=(0.5, 2.0)),
]


SPECS.append(OpSpec("max_unpool2d", lambda lib, x, i: lib.nn.functional.max_unpool2d(
    x, i, 3, 2, 1, output_size=(7, 6)), [((2, 3, 4, 3),)],
    inputs=lambda rng, dtype, shapes: _unpool_inputs(shapes[0], (7, 6))(rng, dtype),
    noncontiguous=False))

make_tests(globals(), SPECS)


# ---------------------------------------------------------------------- focused checks
def _both(torch, fn, array, grad=True):
    """Runs ``fn(lib, x)`` in both libraries; returns (outputs, input grads) per library."""
    results = []
    for lib in (torch, ember):
        x = lib.from_numpy(array.copy()).requires_grad_(grad)
        outputs = fn(lib, x)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        if grad:
            outputs[0].backward(lib.ones_like(outputs[0]))
        results.append(([o.detach().numpy() for o in outputs],
                        x.grad.numpy() if grad else None))
    return results


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.nn.functional.max_pool2d(x, 2, return_indices=True),
    lambda lib, x: lib.nn.functional.max_pool2d(x, 3, 1, 1, return_indices=True),
    lambda lib, x: lib.nn.functional.max_pool2d(x, 2, 2, 1, 2, True, return_indices=True),
    lambda lib, x: lib.nn.functional.max_pool1d(x[0], 3, 2, return_indices=True),
    lambda lib, x: lib.nn.functional.max_pool3d(x, 2, 1, return_indices=True),
    lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, (3, 2), return_indices=True),
])
def test_max_ties_go_to_first(fn, torch):
    """Equal values (ReLU zeros, repeated values): output, indices and gradient take the
    first maximum of each window, like PyTorch."""
    rng = np.random.default_rng(0)
    array = np.maximum(rng.integers(-2, 2, size=(2, 3, 6, 5)), 0).astype(np.float64)
    (expected, expected_grad), (actual, actual_grad) = _both(torch, fn, array)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)
    np.testing.assert_array_equal(actual_grad, expected_grad)


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.nn.functional.max_pool2d(x, 2, return_indices=True),
    lambda lib, x: lib.nn.functional.max_pool2d(x, 3, 2, 1, return_indices=True),
    lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, 2, return_indices=True),
])
def test_max_nan(fn, torch):
    """A NaN is the maximum of its window (the last NaN's index), like PyTorch."""
    rng = np.random.default_rng(1)
    array = rng.standard_normal((1, 2, 6, 6))
    array[0, 0, 1, 1] = array[0, 0, 0, 1] = array[0, 1, 4, 5] = np.nan
    (expected, _), (actual, _) = _both(torch, fn, array, grad=False)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)
    no_grad = _both(torch, lambda lib, x: fn(lib, x)[0], array, grad=False)
    np.testing.assert_array_equal(no_grad[1][0][0], no_grad[0][0][0])


@pytest.mark.parametrize("fn,shape", [
    (lambda lib, x: lib.nn.functional.max_pool2d(x, 2), (2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.max_pool2d(x, 3, 2, 1, return_indices=True)[0],
     (2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.max_pool1d(x, 2), (3, 6, 6)),
    (lambda lib, x: lib.nn.functional.max_pool3d(x, 2), (1, 2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.avg_pool2d(x, 2), (2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.avg_pool1d(x, 2), (3, 6, 6)),
    (lambda lib, x: lib.nn.functional.avg_pool3d(x, 2), (1, 2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, 3), (2, 3, 7, 6)),
    (lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, 1), (2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.adaptive_avg_pool3d(x, 3), (1, 2, 3, 6, 5)),
    (lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, 3), (2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.adaptive_max_pool3d(x, 3), (1, 2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.max_unpool2d(
        *lib.nn.functional.max_pool2d(x, 2, return_indices=True), 2), (2, 3, 6, 6)),
    (lambda lib, x: lib.nn.functional.max_unpool3d(
        *lib.nn.functional.max_pool3d(x, 2, return_indices=True), 2), (1, 2, 4, 6, 6)),
])
def test_grad_fn_names(fn, shape, torch):
    """grad_fn, and the grad_fn of a create_graph gradient, print PyTorch's node names."""
    names = []
    for lib in (torch, ember):
        x = lib.from_numpy(np.random.default_rng(0).standard_normal(shape))
        x.requires_grad_(True)
        y = fn(lib, x)
        (grad,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        names.append((type(y.grad_fn).__name__, type(grad.grad_fn).__name__))
    assert names[1][0] == names[0][0]
    if names[0][1].endswith("BackwardBackward0"):
        assert names[1][1] == names[0][1]


@pytest.mark.parametrize("kernel_size,stride,padding,dilation", [
    (3, 2, 1, 1), (2, 1, 1, 2), ((2, 1), (1, 2), (1, 0), (2, 1))])
def test_max_minus_inf_and_padding_only_windows(kernel_size, stride, padding, dilation, torch):
    """Windows of -inf (or of padding only) keep PyTorch's starting index: the window's first
    position past the left padding."""
    for shape in ((1, 2, 4, 5), (1, 1, 1, 1)):
        array = np.full(shape, -np.inf)
        array[0, 0, 0, 0] = 1.0
        results = [lib.nn.functional.max_pool2d(
            lib.from_numpy(array.copy()), kernel_size, stride, padding, dilation, True,
            return_indices=True) for lib in (torch, ember)]
        for a, e in zip(results[1], results[0]):
            np.testing.assert_array_equal(a.numpy(), e.numpy())


def test_max_pool_double_backward_parity(torch):
    """Second derivatives of max pooling (through a square) equal PyTorch's."""
    rng = np.random.default_rng(2)
    array = rng.standard_normal((2, 2, 7, 6))
    results = []
    for lib in (torch, ember):
        x = lib.from_numpy(array.copy()).requires_grad_(True)
        y = lib.nn.functional.max_pool2d(x, 3, 2, 1, ceil_mode=True)
        (grad,) = lib.autograd.grad((y ** 3).sum(), x, create_graph=True)
        (second,) = lib.autograd.grad((grad * grad).sum(), x)
        results.append((grad.detach().numpy(), second.numpy()))
    for a, e in zip(results[1], results[0]):
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("size,kernel_size,stride,padding,dilation", [
    (5, 2, 2, 1, 1), (6, 3, 2, 1, 1), (7, 3, 3, 1, 1), (8, 2, 3, 1, 2), (4, 3, 2, 1, 1),
    (9, 4, 3, 2, 1), (10, 3, 4, 0, 2), (1, 1, 1, 0, 1), (6, 2, 5, 1, 1)])
def test_ceil_mode_output_sizes(size, kernel_size, stride, padding, dilation, torch):
    """ceil_mode sizes follow PyTorch's rule (the last window starts inside the input or the
    left padding) for max and average pooling."""
    for ceil_mode in (False, True):
        shape = []
        for lib in (torch, ember):
            x = lib.zeros(1, 1, size, size)
            max_out = lib.nn.functional.max_pool2d(x, kernel_size, stride, padding, dilation,
                                                   ceil_mode)
            avg_out = lib.nn.functional.avg_pool2d(x, kernel_size, stride, padding, ceil_mode)
            shape.append((tuple(max_out.shape), tuple(avg_out.shape)))
        assert shape[0] == shape[1]


def test_reprs(torch):
    layers = [
        "MaxPool1d(2)", "MaxPool2d(2)", "MaxPool2d((2, 3), stride=1, padding=(1, 0), dilation=2, "
        "return_indices=True, ceil_mode=True)", "MaxPool3d(2, stride=[1, 2, 2])",
        "AvgPool1d(2)", "AvgPool1d(3, 2, 1, True, False)", "AvgPool2d(2)",
        "AvgPool2d(3, 2, 1, True, False, 2)", "AvgPool3d((1, 2, 2), divisor_override=3)",
        "AdaptiveAvgPool1d(3)", "AdaptiveAvgPool2d((1, 1))", "AdaptiveAvgPool2d((None, 3))",
        "AdaptiveAvgPool3d(2)", "AdaptiveMaxPool1d(3)", "AdaptiveMaxPool2d(2, True)",
        "AdaptiveMaxPool3d((2, 3, 4))", "MaxUnpool1d(2)", "MaxUnpool2d((2, 3), (1, 2), 1)",
        "MaxUnpool3d(2)", "LPPool1d(2, 3)", "LPPool2d(1.5, 2, 1, True)", "LPPool3d(2, 2)"]
    for layer in layers:
        expected = repr(eval(f"torch.nn.{layer}"))
        assert repr(eval(f"ember.nn.{layer}")) == expected.replace("torch", "ember")


def test_module_in_sequential_parity(torch):
    """A LeNet-like stack (conv-free): pooling layers inside Sequential, eval and train."""
    def make(lib):
        return lib.nn.Sequential(lib.nn.MaxPool2d(2), lib.nn.ReLU(), lib.nn.AvgPool2d(2, 1),
                                 lib.nn.AdaptiveAvgPool2d((1, 1)), lib.nn.Flatten())
    array = np.random.default_rng(3).standard_normal((4, 3, 12, 12)).astype(np.float32)
    outputs = [make(lib)(lib.from_numpy(array.copy())).detach().numpy() for lib in (torch, ember)]
    np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------- errors
F = "nn.functional."


def raises(call, error, match):
    """An ErrorCase running ``lib.<call>`` (the same source for ember and PyTorch)."""
    return ErrorCase(lambda lib: eval(f"lib.{call}", {"lib": lib}), error, match)


def check_error_matches(case):
    """The call raises the type and message in ember, and the same in PyTorch (so the
    expected message is PyTorch's own)."""
    try:
        import torch
    except ImportError:
        torch = None
    for lib in (ember, torch) if torch is not None else (ember,):
        with pytest.raises(case.error, match=case.match):
            case.fn(lib)


ERROR_CASES = [
    raises(F + "max_pool2d(lib.ones(1, 3, 2, 2), 3)", RuntimeError,
           r"^Given input size: \(3x2x2\). Calculated output size: \(3x0x0\). Output size is "
           r"too small$"),
    raises(F + "avg_pool2d(lib.ones(1, 3, 2, 2), 3)", RuntimeError,
           r"Given input size: \(3x2x2\). Calculated output size: \(3x0x0\)"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 2, padding=2)", RuntimeError,
           r"^pad should be at most half of effective kernel size, but got pad=2, "
           r"kernel_size=2 and dilation=1$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 6, 6), 2, dilation=3, padding=2)", RuntimeError,
           r"^pad should be smaller than or equal to half of kernel size, but got padW = 2, "
           r"padH = 2, kW = 2, kH = 2$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 0)", RuntimeError,
           r"^stride should not be zero$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 0, stride=1)", RuntimeError,
           r"^kernel size should be greater than zero, but got kH: 0 kW: 0$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 2, stride=-1)", RuntimeError,
           r"^stride should be greater than zero, but got dH: -1 dW: -1$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 2, dilation=0)", RuntimeError,
           r"^dilation should be greater than zero, but got dilationH: 0 dilationW: 0$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 2, padding=-1)", RuntimeError,
           r"^pad must be non-negative, but got pad: -1$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), (2, 2, 2))", RuntimeError,
           r"^max_pool2d: kernel_size must either be a single int, or a tuple of two ints$"),
    raises(F + "avg_pool2d(lib.ones(1, 3, 4, 4), 2, stride=(1, 1, 1))", RuntimeError,
           r"^avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints$"),
    raises(F + "max_pool2d(lib.ones(1, 3, 4, 4), 2.0)", TypeError,
           r"^max_pool2d\(\): argument 'kernel_size' \(position 2\) must be tuple of ints, not "
           r"float$"),
    raises(F + "max_pool2d(lib.ones(2, 2), 2)", RuntimeError,
           r"^non-empty 3D or 4D \(batch mode\) tensor expected for input$"),
    raises(F + "max_pool2d(lib.ones(1, 0, 4, 4), 2)", RuntimeError,
           r"^Expected 3D or 4D \(batch mode\) tensor with optional 0 dim batch size for input, "
           r"but got:\[1, 0, 4, 4\]$"),
    raises(F + "max_pool3d(lib.ones(1, 1, 2, 2, 2), 3)", RuntimeError,
           r"Given input size: \(1x2x2x2\). Calculated output size: \(1x0x0x0\)"),
    raises(F + "max_pool3d(lib.ones(1, 1, 6, 6, 6), 2, dilation=3, padding=2)", RuntimeError,
           r"^pad should be smaller than or equal to half of kernel size, but got kT: 2 kW: 2 "
           r"kH: 2 padT: 2 padW: 2 padH: 2$"),
    raises(F + "max_pool3d(lib.ones(3, 3, 3), 2)", RuntimeError,
           r"^non-empty 4D or 5D \(batch mode\) tensor expected for input$"),
    raises(F + "avg_pool3d(lib.ones(1, 1, 1, 6, 6), 3, padding=1)", RuntimeError,
           r"^input image \(T: 1 H: 6 W: 6\) smaller than kernel size \(kT: 3 kH: 3 kW: 3\)$"),
    raises(F + "avg_pool3d(lib.ones(1, 1, 4, 4, 4), (2, 2))", RuntimeError,
           r"^avg_pool3d: kernel_size must be a single int, or a tuple of three ints$"),
    raises(F + "avg_pool2d(lib.ones(1, 3, 4, 4), 2, divisor_override=0)", RuntimeError,
           r"^divisor must be not zero$"),
    raises(F + "avg_pool2d(lib.ones(1, 1, 4, 4, dtype=lib.uint8), 2)", NotImplementedError,
           r"\"avg_pool2d\" not implemented for 'Byte'"),
    raises(F + "max_pool1d(lib.ones(1, 3, 2), 3)", RuntimeError,
           r"^max_pool1d\(\) Invalid computed output size: 0$"),
    raises(F + "max_pool1d(lib.ones(1, 3, 2), 2, padding=2)", RuntimeError,
           r"^max_pool1d\(\) padding should be at most half of kernel size, but got "
           r"padding=2 and kernel_size=2$"),
    raises(F + "max_pool1d(lib.ones(1, 3, 2), 2, stride=0)", RuntimeError,
           r"^max_pool1d\(\) stride must be greater than zero, but got 0$"),
    raises(F + "max_pool1d(lib.ones(1, 3, 2), (2, 2))", RuntimeError,
           r"^max_pool1d\(\) kernel_size must be an int, list of ints or tuple of ints of size "
           r"1 but got size 2$"),
    raises(F + "max_pool1d(lib.ones(3), 2)", RuntimeError,
           r"^max_pool1d: Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch "
           r"size for input, but got:\[3\]$"),
    raises(F + "max_pool1d(lib.ones(1, 3, 2), 3, return_indices=True)", RuntimeError,
           r"Given input size: \(3x1x2\). Calculated output size: \(3x1x0\)"),
    raises(F + "avg_pool1d(lib.ones(3), 2)", RuntimeError,
           r"^Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' "
           r"\(while checking arguments for avg_pool1d\)$"),
    raises(F + "avg_pool1d(lib.ones(1, 3, 2), (2, 2))", RuntimeError,
           r"^avg_pool1d\(\) argument 'kernel_size' should contain one int \(got 2\)$"),
    raises(F + "adaptive_avg_pool2d(lib.ones(1, 1, 0, 4), 2)", RuntimeError,
           r"^adaptive_avg_pool2d\(\): Expected input to have non-zero size for non-batch "
           r"dimensions, but input has sizes \[1, 1, 0, 4\] with dimension 2 being empty$"),
    raises(F + "adaptive_avg_pool2d(lib.ones(1, 3, 4, 4), (2, 2, 2))", RuntimeError,
           r"^adaptive_avg_pool2d: output_size must be 2$"),
    raises(F + "adaptive_avg_pool2d(lib.ones(3), 2)", RuntimeError,
           r"^adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[3\]$"),
    raises(F + "adaptive_max_pool2d(lib.ones(3), 2)", RuntimeError,
           r"^adaptive_max_pool2d\(\): Expected 3D or 4D tensor, but got: \[3\]$"),
    raises(F + "adaptive_avg_pool2d(lib.ones(1, 3, 4, 4), -1)", RuntimeError,
           r"^adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 "
           r"but received \{-1, -1\}$"),
    raises(F + "adaptive_avg_pool1d(lib.ones(3), 2)", RuntimeError,
           r"while checking arguments for adaptive_avg_pool1d"),
    raises(F + "adaptive_max_pool1d(lib.ones(2, 0), 2)", RuntimeError,
           r"^adaptive_max_pool1d\(\): Expected input to have non-zero size for non-batch "
           r"dimensions, but input has sizes \[2, 0\] with dimension 1 being empty$"),
    raises(F + "adaptive_avg_pool2d(lib.ones(1, 1, 4, 4, dtype=lib.int64), 2)",
           NotImplementedError, r"\"adaptive_avg_pool2d\" not implemented for 'Long'"),
    raises(F + "adaptive_avg_pool3d(lib.ones(2, 3), 2)", RuntimeError,
           r"^adaptive_avg_pool3d\(\): Expected 4D or 5D tensor, but got \[2, 3\]$"),
    raises(F + "lp_pool2d(lib.ones(1, 1, 4, 4), 0, 2)", ValueError,
           r"^norm_type must be a non-zero value, but got 0$"),
    raises(F + "max_unpool2d(lib.ones(1, 3, 2, 2), lib.zeros(1, 3, 2, 2, dtype=lib.int64) + 100, "
           "2)", RuntimeError,
           r"^Found an invalid max index: 100 \(output volumes are of size 4x4\)$"),
    raises(F + "max_unpool2d(lib.ones(1, 3, 2, 2), lib.zeros(1, 3, 2, 2, dtype=lib.int64) - 1, "
           "2)", RuntimeError, r"^Found an invalid max index: -1"),
    raises(F + "max_unpool3d(lib.ones(1, 1, 2, 2, 2), lib.zeros(1, 1, 2, 2, 2, "
           "dtype=lib.int64) + 100, 2)", RuntimeError,
           r"output volumes are of size 4x4x4\)$"),
    raises(F + "max_unpool2d(lib.ones(1, 3, 2, 2), lib.zeros(1, 3, 2, 2, dtype=lib.int64), 2, "
           "output_size=(9, 9))", ValueError,
           r"^invalid output_size \"\(9, 9\)\" \(dim 0 must be between 2 and 6\)$"),
    raises(F + "max_unpool2d(lib.ones(1, 3, 2, 2), lib.zeros(1, 3, 2, 2, dtype=lib.int64), 2, "
           "output_size=(3, 5, 5))", ValueError,
           r"^output_size should be a sequence containing 2 or 4 elements, but it has a length "
           r"of '3'$"),
    raises(F + "max_unpool2d(lib.ones(1, 3, 2, 2), lib.zeros(1, 3, 2, 2), 2)", RuntimeError,
           r"^elements in indices should be type int64 but got: Float$"),
    raises(F + "max_unpool2d(lib.ones(1, 3, 2, 2), lib.zeros(1, 3, 2, 1, dtype=lib.int64), 2)",
           RuntimeError, r"^Expected shape of indices to be same as that of the input tensor "
           r"\(\[1, 3, 2, 2\]\) but got indices tensor with shape: \[1, 3, 2, 1\]$"),
    raises(F + "max_unpool2d(lib.ones(2, 2), lib.zeros(2, 2, dtype=lib.int64), 2)",
           RuntimeError, r"^Input to max_unpooling2d should be a 3d or 4d Tensor, but got a "
           r"tensor with 2 dimensions.$"),
    raises("nn.MaxPool2d(2)(lib.ones(1, 3, 1, 1))", RuntimeError,
           r"Calculated output size: \(3x0x0\). Output size is too small"),
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=range(len(ERROR_CASES)))
def test_errors_match_pytorch(case):
    check_error_matches(case)
