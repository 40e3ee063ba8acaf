"""Activations: F forms through the op checks, layers through the module checks, gradients at
the kinks, in-place variants, reprs and bad input against PyTorch."""

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from tests.module_db import ModuleSpec, make_module_tests
from tests.op_db import ErrorCase, OpSpec, make_tests

SHAPES = [((3, 4),), ((),), ((0, 2),), ((2, 3, 4),)]
FLOATS_AND_INT = ("float64", "float32", "int64")


def _f(name, *args, **kwargs):
    return lambda lib, a: getattr(lib.nn.functional, name)(a, *args, **kwargs)


def _inplace(name, *args, **kwargs):
    """The in-place form on a non-leaf copy, so that gradients flow to the input."""
    return lambda lib, a: getattr(lib.nn.functional, name)(a * 1, *args, inplace=True, **kwargs)


def _leaf_error(name, *args):
    return ErrorCase(lambda lib: getattr(lib.nn.functional, name)(
        lib.randn(3, requires_grad=True), *args, inplace=True), RuntimeError,
        "a leaf Variable that requires grad is being used in an in-place operation")


def _kernel_error(name, kernel, *args):
    return ErrorCase(lambda lib: getattr(lib.nn.functional, name)(lib.tensor([1, 2]), *args),
                     NotImplementedError, f'"{kernel}" not implemented for \'Long\'')


def _prelu_inputs(channels):
    def inputs(rng, dtype, shapes):
        return [rng.uniform(-2, 2, shapes[0]).astype(dtype),
                rng.uniform(0.1, 0.5, (channels,)).astype(dtype)]

    return inputs


OP_SPECS = [
    OpSpec("relu", _f("relu"), SHAPES, dtypes=FLOATS_AND_INT),
    OpSpec("relu_inplace", _inplace("relu"), SHAPES, error_cases=[_leaf_error("relu")]),
    OpSpec("relu_", lambda lib, a: lib.nn.functional.relu_(a * 1), SHAPES[:1]),
    OpSpec("relu6", _f("relu6"), SHAPES, dtypes=FLOATS_AND_INT, domain=(-3, 9)),
    OpSpec("relu6_inplace", _inplace("relu6"), SHAPES[:2], domain=(-3, 9)),
    OpSpec("leaky_relu", _f("leaky_relu"), SHAPES,
           error_cases=[_kernel_error("leaky_relu", "leaky_relu_cpu")]),
    OpSpec("leaky_relu_slope", _f("leaky_relu", 0.2), SHAPES[:1]),
    OpSpec("leaky_relu_inplace", _inplace("leaky_relu", 0.3), SHAPES[:2],
           error_cases=[_leaf_error("leaky_relu")]),
    OpSpec("leaky_relu_", lambda lib, a: lib.nn.functional.leaky_relu_(a * 1, 0.1), SHAPES[:1]),
    OpSpec("prelu_shared", lambda lib, a, w: lib.nn.functional.prelu(a, w), [((2, 3, 4), (1,))],
           inputs=_prelu_inputs(1)),
    OpSpec("prelu_channels", lambda lib, a, w: lib.nn.functional.prelu(a, w),
           [((2, 3, 4), (3,))], inputs=_prelu_inputs(3),
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.prelu(lib.randn(2, 3), lib.randn(4)),
                         RuntimeError, r"Mismatch of parameter numbers and input channel size. "
                                       r"Found parameter numbers = 4 and channel size = 3."),
               ErrorCase(lambda lib: lib.nn.functional.prelu(lib.randn(2, 3), lib.randn(3, 1)),
                         RuntimeError, r"prelu: Expected `weight` to be a scalar or 1D tensor, "
                                       r"but got: ndim = 2"),
               ErrorCase(lambda lib: lib.nn.functional.prelu(lib.tensor([1, -2]),
                                                             lib.tensor([0.25])),
                         RuntimeError, "prelu: Type promoting not supported. Got Long and Float"),
           ]),
    OpSpec("prelu_1d_input", lambda lib, a, w: lib.prelu(a, w), [((5,), (1,))],
           inputs=_prelu_inputs(1)),
    OpSpec("prelu_2d_input", lambda lib, a, w: a.prelu(w), [((4, 3), (3,))],
           inputs=_prelu_inputs(3)),
    OpSpec("rrelu_eval", _f("rrelu", 0.1, 0.3), SHAPES,
           error_cases=[ErrorCase(lambda lib: lib.nn.functional.rrelu(lib.randn(3), 0.5, 0.1,
                                                                      training=True),
                                  RuntimeError, "Lower bound should be less than or equal to "
                                                "the upper bound")]),
    OpSpec("rrelu_inplace_eval", _inplace("rrelu"), SHAPES[:1]),
    OpSpec("elu", _f("elu"), SHAPES, error_cases=[_kernel_error("elu", "elu_cpu")]),
    OpSpec("elu_alpha", _f("elu", 0.5), SHAPES[:1], domain=(-30, 30)),
    OpSpec("elu_inplace", _inplace("elu", 2.0), SHAPES[:2], error_cases=[_leaf_error("elu")]),
    OpSpec("elu_", lambda lib, a: lib.nn.functional.elu_(a * 1), SHAPES[:1]),
    OpSpec("selu", _f("selu"), SHAPES, error_cases=[_kernel_error("selu", "elu_cpu")]),
    OpSpec("selu_inplace", _inplace("selu"), SHAPES[:1]),
    OpSpec("selu_top_level", lambda lib, a: lib.selu(a), SHAPES[:1]),
    OpSpec("celu", _f("celu"), SHAPES),
    OpSpec("celu_alpha", _f("celu", 2.5), SHAPES[:1],
           error_cases=[ErrorCase(lambda lib: lib.nn.functional.celu(lib.randn(3), 0.0),
                                  RuntimeError, "alpha cannot be 0 for CELU")]),
    OpSpec("celu_inplace", _inplace("celu", 0.5), SHAPES[:1]),
    OpSpec("gelu", _f("gelu"), SHAPES, domain=(-5, 5),
           error_cases=[_kernel_error("gelu", "GeluKernelImpl"),
                        ErrorCase(lambda lib: lib.nn.functional.gelu(lib.randn(3),
                                                                     approximate="foo"),
                                  RuntimeError, "approximate argument must be either none or "
                                                "tanh.")]),
    OpSpec("gelu_tanh", _f("gelu", approximate="tanh"), SHAPES, domain=(-5, 5)),
    OpSpec("gelu_large", _f("gelu"), SHAPES[:1], domain=(-40, 40)),
    OpSpec("silu", _f("silu"), SHAPES, domain=(-5, 5),
           error_cases=[_kernel_error("silu", "silu_cpu")]),
    OpSpec("silu_inplace", _inplace("silu"), SHAPES[:1]),
    OpSpec("mish", _f("mish"), SHAPES, domain=(-5, 5),
           error_cases=[_kernel_error("mish", "mish_cpu")]),
    OpSpec("mish_large", _f("mish"), SHAPES[:1], domain=(-100, 100)),
    OpSpec("mish_inplace", _inplace("mish"), SHAPES[:1]),
    OpSpec("sigmoid", _f("sigmoid"), SHAPES, domain=(-30, 30)),
    OpSpec("tanh", _f("tanh"), SHAPES),
    OpSpec("hardtanh", _f("hardtanh"), SHAPES, dtypes=FLOATS_AND_INT,
           error_cases=[ErrorCase(lambda lib: lib.nn.functional.hardtanh(lib.randn(3), 2.0, 1.0),
                                  ValueError, "min_val cannot be greater than max_val")]),
    OpSpec("hardtanh_bounds", _f("hardtanh", -0.5, 1.5), SHAPES[:1]),
    OpSpec("hardtanh_inplace", _inplace("hardtanh"), SHAPES[:2],
           error_cases=[_leaf_error("hardtanh")]),
    OpSpec("hardtanh_", lambda lib, a: lib.nn.functional.hardtanh_(a * 1, -0.5, 0.5),
           SHAPES[:1]),
    OpSpec("hardsigmoid", _f("hardsigmoid"), SHAPES, domain=(-5, 5),
           error_cases=[_kernel_error("hardsigmoid", "hardsigmoid_cpu")]),
    OpSpec("hardsigmoid_inplace", _inplace("hardsigmoid"), SHAPES[:1], domain=(-5, 5)),
    OpSpec("hardswish", _f("hardswish"), SHAPES, domain=(-5, 5),
           error_cases=[_kernel_error("hardswish", "hardswish_cpu")]),
    OpSpec("hardswish_inplace", _inplace("hardswish"), SHAPES[:1], domain=(-5, 5)),
    OpSpec("softplus", _f("softplus"), SHAPES,
           error_cases=[_kernel_error("softplus", "softplus_cpu")]),
    OpSpec("softplus_beta", _f("softplus", 2.0, 3.0), SHAPES[:1], domain=(-3, 3)),
    OpSpec("softplus_large", _f("softplus"), SHAPES[:1], domain=(-100, 100)),
    OpSpec("softplus_beta_large", _f("softplus", 0.5, 30), SHAPES[:1], domain=(-200, 200)),
    OpSpec("softsign", _f("softsign"), SHAPES, dtypes=FLOATS_AND_INT),
    OpSpec("softmax", _f("softmax", 1), SHAPES[:1] + SHAPES[3:]),
    OpSpec("softmax_dtype", lambda lib, a: lib.nn.functional.softmax(a, -1, dtype=lib.float64),
           SHAPES[:1],
           dtypes=("float32",)),
    OpSpec("log_softmax", _f("log_softmax", 0), SHAPES[:2] + SHAPES[3:]),
    OpSpec("softmin", _f("softmin", 1), SHAPES[:1] + SHAPES[3:],
           error_cases=[ErrorCase(lambda lib: lib.nn.functional.softmin(lib.tensor([[1, 2]]), 1),
                                  NotImplementedError, "softmax_lastdim_kernel_impl")]),
    OpSpec("threshold", _f("threshold", 0.1, 20.0), SHAPES, dtypes=FLOATS_AND_INT),
    OpSpec("threshold_inplace", _inplace("threshold", 0.5, -1.0), SHAPES[:2],
           error_cases=[_leaf_error("threshold", 0.1, 2.0)]),
    OpSpec("threshold_", lambda lib, a: lib.nn.functional.threshold_(a * 1, 0.5, -1.0),
           SHAPES[:1]),
    OpSpec("logsigmoid", _f("logsigmoid"), SHAPES,
           error_cases=[_kernel_error("logsigmoid", "log_sigmoid_cpu")]),
    OpSpec("logsigmoid_large", _f("logsigmoid"), SHAPES[:1], domain=(-200, 200)),
    OpSpec("tanhshrink", _f("tanhshrink"), SHAPES),
    OpSpec("softshrink", _f("softshrink"), SHAPES,
           error_cases=[ErrorCase(lambda lib: lib.nn.functional.softshrink(lib.randn(3), -1.0),
                                  RuntimeError, r"lambda must be in range \[0, 3.40282e\+38\] "
                                                r"for input dtype Float, but found -1")]),
    OpSpec("softshrink_lambd", _f("softshrink", 1.2), SHAPES[:1]),
    OpSpec("hardshrink", _f("hardshrink"), SHAPES,
           error_cases=[_kernel_error("hardshrink", "hardshrink_cpu")]),
    OpSpec("hardshrink_lambd", lambda lib, a: a.hardshrink(1.2), SHAPES[:1]),
    OpSpec("glu", _f("glu"), [((3, 4),), ((2, 3, 6),)],
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.glu(lib.randn(2, 3)), RuntimeError,
                         "Halving dimension must be even, but dimension 1 is size 3"),
               ErrorCase(lambda lib: lib.nn.functional.glu(lib.randn(())), RuntimeError,
                         "glu does not support scalars"),
               ErrorCase(lambda lib: lib.nn.functional.glu(lib.randn(2, 4), 2), IndexError,
                         "Dimension out of range")]),
    OpSpec("glu_dim", _f("glu", 1), [((2, 6, 3),), ((4, 2),)]),
]

make_tests(globals(), OP_SPECS)


def _layer(name, *args, **kwargs):
    return lambda lib: getattr(lib.nn, name)(*args, **kwargs)


def _inplace_call(module, input):
    return module(input * 1)


MODULE_SPECS = [
    ModuleSpec("ReLU", _layer("ReLU"), [(2, 3, 4)]),
    ModuleSpec("ReLU_inplace", _layer("ReLU", inplace=True), [(2, 3)], call=_inplace_call),
    ModuleSpec("ReLU6", _layer("ReLU6"), [(3, 4)], domain=(-3, 9)),
    ModuleSpec("ReLU6_inplace", _layer("ReLU6", True), [(3, 4)], domain=(-3, 9),
               call=_inplace_call),
    ModuleSpec("LeakyReLU", _layer("LeakyReLU"), [(3, 4)]),
    ModuleSpec("LeakyReLU_inplace", _layer("LeakyReLU", 0.2, True), [(3, 4)],
               call=_inplace_call),
    ModuleSpec("PReLU", _layer("PReLU"), [(2, 3, 4)]),
    ModuleSpec("PReLU_channels", _layer("PReLU", 3, 0.1), [(2, 3, 4, 5)]),
    ModuleSpec("PReLU_1d", _layer("PReLU", 4), [(5, 4)]),
    ModuleSpec("RReLU_eval", _layer("RReLU", 0.1, 0.3), [(3, 4)], modes=("eval",)),
    ModuleSpec("ELU", _layer("ELU", 0.5), [(3, 4)]),
    ModuleSpec("ELU_inplace", _layer("ELU", inplace=True), [(3, 4)], call=_inplace_call),
    ModuleSpec("SELU", _layer("SELU"), [(3, 4)]),
    ModuleSpec("CELU", _layer("CELU", 2.0), [(3, 4)]),
    ModuleSpec("GELU", _layer("GELU"), [(3, 4)], domain=(-4, 4)),
    ModuleSpec("GELU_tanh", _layer("GELU", "tanh"), [(3, 4)], domain=(-4, 4)),
    ModuleSpec("SiLU", _layer("SiLU"), [(3, 4)]),
    ModuleSpec("SiLU_inplace", _layer("SiLU", True), [(3, 4)], call=_inplace_call),
    ModuleSpec("Mish", _layer("Mish"), [(3, 4)]),
    ModuleSpec("Sigmoid", _layer("Sigmoid"), [(3, 4)]),
    ModuleSpec("Tanh", _layer("Tanh"), [(3, 4)]),
    ModuleSpec("Hardtanh", _layer("Hardtanh", -0.5, 1.5), [(3, 4)]),
    ModuleSpec("Hardsigmoid", _layer("Hardsigmoid"), [(3, 4)], domain=(-5, 5)),
    ModuleSpec("Hardswish", _layer("Hardswish"), [(3, 4)], domain=(-5, 5)),
    ModuleSpec("Hardswish_inplace", _layer("Hardswish", True), [(3, 4)], domain=(-5, 5),
               call=_inplace_call),
    ModuleSpec("Softplus", _layer("Softplus", 2, 5), [(3, 4)], domain=(-5, 5)),
    ModuleSpec("Softsign", _layer("Softsign"), [(3, 4)]),
    ModuleSpec("Softmax", _layer("Softmax", 1), [(2, 3, 4)]),
    ModuleSpec("LogSoftmax", _layer("LogSoftmax", -1), [(2, 3, 4)]),
    ModuleSpec("Softmin", _layer("Softmin", 0), [(2, 3, 4)]),
    ModuleSpec("Softmax2d", _layer("Softmax2d"), [(2, 3, 4, 5)]),
    ModuleSpec("Softmax2d_3d", _layer("Softmax2d"), [(3, 4, 5)]),
    ModuleSpec("Threshold", _layer("Threshold", 0.1, 20.0), [(3, 4)]),
    ModuleSpec("LogSigmoid", _layer("LogSigmoid"), [(3, 4)]),
    ModuleSpec("Tanhshrink", _layer("Tanhshrink"), [(3, 4)]),
    ModuleSpec("Softshrink", _layer("Softshrink", 0.3), [(3, 4)]),
    ModuleSpec("Hardshrink", _layer("Hardshrink"), [(3, 4)]),
    ModuleSpec("GLU", _layer("GLU"), [(3, 4)]),
    ModuleSpec("GLU_dim0", _layer("GLU", 0), [(4, 3)],
               error_cases=[ErrorCase(lambda lib: lib.nn.Softmax2d()(lib.randn(2, 3)),
                                      ValueError, "Softmax2d: expected input to be 3D or 4D, "
                                                  "got 2D instead"),
                            ErrorCase(lambda lib: lib.nn.Softmax("a"), TypeError,
                                      "dim must be an int or None, got <class 'str'>"),
                            ErrorCase(lambda lib: lib.nn.Hardtanh(1.0, 1.0), AssertionError,
                                      r"max_val \(1.0\) must be greater than min_val \(1.0\)")]),
]

make_module_tests(globals(), MODULE_SPECS)

REPR_CASES = [
    ("ReLU",), ("ReLU", True), ("ReLU6",), ("ReLU6", True), ("LeakyReLU",),
    ("LeakyReLU", 0.2, True), ("PReLU",), ("PReLU", 3, 0.1), ("RReLU",), ("RReLU", 0.1, 0.3, True),
    ("ELU",), ("ELU", 0.5, True), ("ELU", 1), ("SELU",), ("SELU", True), ("CELU",),
    ("CELU", 2.0, True), ("GELU",), ("GELU", "tanh"), ("SiLU",), ("SiLU", True), ("Mish",),
    ("Mish", True), ("Sigmoid",), ("Tanh",), ("Hardtanh",), ("Hardtanh", -2, 3, True),
    ("Hardtanh", 0.0, 6.0), ("Hardsigmoid", True), ("Hardswish", True), ("Softplus",),
    ("Softplus", 2, 10), ("Softsign",), ("Softmax",), ("Softmax", 1), ("LogSoftmax",),
    ("LogSoftmax", 1), ("Softmin",), ("Softmin", 0), ("Softmax2d",), ("Threshold", 0.1, 20),
    ("Threshold", 0.1, 20, True), ("LogSigmoid",), ("Tanhshrink",), ("Softshrink",),
    ("Softshrink", 0.3), ("Hardshrink",), ("Hardshrink", 0.2), ("GLU",), ("GLU", 0),
]


@pytest.mark.parametrize("case", REPR_CASES, ids=lambda case: "-".join(map(str, case)))
def test_repr(case, torch):
    name, *args = case
    assert repr(getattr(ember.nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


def test_seed_style_model_repr(torch):
    def model(lib):
        nn = lib.nn
        return nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.LeakyReLU(0.1, inplace=True),
                             nn.PReLU(8), nn.Dropout(0.2), nn.Linear(8, 3), nn.LogSoftmax(dim=1))

    assert repr(model(ember)) == repr(model(torch))


KINKS = {  # name: (F call, points at and around the kinks)
    "relu": (lambda lib, x: lib.nn.functional.relu(x), [-1.0, 0.0, 1.0]),
    "relu6": (lambda lib, x: lib.nn.functional.relu6(x), [-1.0, 0.0, 3.0, 6.0, 7.0]),
    "leaky_relu": (lambda lib, x: lib.nn.functional.leaky_relu(x, 0.2), [-1.0, 0.0, 1.0]),
    "hardtanh": (lambda lib, x: lib.nn.functional.hardtanh(x, -1.0, 2.0),
                 [-2.0, -1.0, 0.0, 2.0, 3.0]),
    "threshold": (lambda lib, x: lib.nn.functional.threshold(x, 0.5, -3.0), [0.0, 0.5, 1.0]),
    "elu": (lambda lib, x: lib.nn.functional.elu(x, 0.5), [-1.0, 0.0, 1.0]),
    "selu": (lambda lib, x: lib.nn.functional.selu(x), [-1.0, 0.0, 1.0]),
    "celu": (lambda lib, x: lib.nn.functional.celu(x, 2.0), [-1.0, 0.0, 1.0]),
    "hardsigmoid": (lambda lib, x: lib.nn.functional.hardsigmoid(x),
                    [-4.0, -3.0, 0.0, 3.0, 4.0]),
    "hardswish": (lambda lib, x: lib.nn.functional.hardswish(x), [-4.0, -3.0, 0.0, 3.0, 4.0]),
    "softshrink": (lambda lib, x: lib.nn.functional.softshrink(x, 0.5),
                   [-1.0, -0.5, 0.0, 0.5, 1.0]),
    "hardshrink": (lambda lib, x: lib.nn.functional.hardshrink(x, 0.5),
                   [-1.0, -0.5, 0.0, 0.5, 1.0]),
    "softplus": (lambda lib, x: lib.nn.functional.softplus(x, 2.0, 4.0), [1.0, 2.0, 3.0]),
    "prelu": (lambda lib, x: lib.nn.functional.prelu(x, lib.full((1,), 0.3, dtype=x.dtype)),
              [-1.0, 0.0, 1.0]),
    "rrelu_eval": (lambda lib, x: lib.nn.functional.rrelu(x), [-1.0, 0.0, 1.0]),
    "gelu": (lambda lib, x: lib.nn.functional.gelu(x), [-1.0, 0.0, 1.0]),
    "logsigmoid": (lambda lib, x: lib.nn.functional.logsigmoid(x), [-1.0, 0.0, 1.0]),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(KINKS))
def test_kinks(name, dtype, torch):
    """Values and gradients exactly at the kinks follow PyTorch's conventions."""
    function, points = KINKS[name]
    results = []
    for lib in (torch, ember):
        x = lib.tensor(points, dtype=getattr(lib, dtype), requires_grad=True)
        output = function(lib, x)
        output.backward(lib.ones_like(output))
        results.append((output.detach().numpy(), x.grad.numpy(), type(output.grad_fn).__name__))
    (expected, expected_grad, expected_node), (actual, actual_grad, node) = results
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(actual_grad, expected_grad, rtol=1e-6, atol=1e-7)
    assert node == expected_node


@pytest.mark.parametrize("name,call", [
    ("GeluBackward0", lambda x: F.gelu(x)), ("SiluBackward0", F.silu),
    ("LeakyReluBackward0", F.leaky_relu), ("EluBackward0", F.elu), ("EluBackward0", F.selu),
    ("CeluBackward0", F.celu), ("HardtanhBackward0", F.hardtanh), ("HardtanhBackward0", F.relu6),
    ("SoftplusBackward0", F.softplus), ("MishBackward0", F.mish),
    ("HardswishBackward0", F.hardswish), ("HardsigmoidBackward0", F.hardsigmoid),
    ("LogSigmoidBackward0", F.logsigmoid), ("ThresholdBackward0", lambda x: F.threshold(x, 0, 1)),
    ("SoftshrinkBackward0", F.softshrink), ("HardshrinkBackward0", F.hardshrink),
    ("GluBackward0", F.glu), ("RreluWithNoiseBackward0", F.rrelu),
    ("RreluWithNoiseBackward0", lambda x: F.rrelu(x, training=True)),
    ("PreluKernelBackward0", lambda x: F.prelu(x, ember.full((1,), 0.25))),
    ("ReluBackward0", F.relu), ("SoftmaxBackward0", lambda x: F.softmin(x, 1)),
])
def test_grad_fn_names(name, call):
    assert call(ember.randn(2, 4, requires_grad=True)).grad_fn.name() == name


def test_gelu_double_backward_node():
    x = ember.randn(3, dtype=ember.float64, requires_grad=True)
    (grad,) = ember.autograd.grad(F.gelu(x).sum(), x, create_graph=True)
    assert grad.grad_fn.name() == "GeluBackwardBackward0"


@pytest.mark.parametrize("call", [
    lambda x: F.relu(x, inplace=True), lambda x: F.elu(x, inplace=True),
    lambda x: F.leaky_relu_(x), lambda x: F.hardtanh(x, inplace=True),
    lambda x: F.silu(x, inplace=True), lambda x: F.hardswish(x, inplace=True),
    lambda x: F.threshold_(x, 0.0, 2.0), lambda x: ember.relu_(x), lambda x: ember.selu_(x),
    lambda x: F.rrelu(x, training=True, inplace=True),
])
def test_inplace_returns_input_and_bumps_version(call):
    x = ember.randn(3, 4)
    version = x._version
    data = x.numpy().copy()
    assert call(x) is x
    assert x._version > version and not np.array_equal(x.numpy(), data)


def test_inplace_gradient_flows_through_rebased_history(torch):
    grads = []
    for lib in (torch, ember):
        leaf = lib.tensor([-1.0, 0.5, 2.0, -3.0], dtype=lib.float64, requires_grad=True)
        hidden = leaf * 2
        lib.nn.functional.elu(hidden, inplace=True)
        (hidden * hidden).sum().backward()
        grads.append(leaf.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-6)


def test_rrelu_training_statistics():
    """Negative inputs get slopes uniform on [lower, upper], positives pass; the gradient uses
    the same slopes as the forward."""
    ember.manual_seed(0)
    x = ember.cat([-ember.ones(20000), ember.ones(100)]).requires_grad_()
    output = F.rrelu(x, 0.1, 0.3, training=True)
    output.backward(ember.ones_like(output))
    slopes = -output.detach().numpy()[:20000]
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    assert abs(slopes.mean() - 0.2) < 0.003 and abs(slopes.std() - 0.2 / np.sqrt(12)) < 0.003
    np.testing.assert_array_equal(x.grad.numpy()[:20000], slopes)
    np.testing.assert_array_equal(output.detach().numpy()[20000:], 1.0)
    assert ember.equal(ember.nn.RReLU(0.1, 0.3).eval()(x), F.leaky_relu(x, 0.2))


def test_softmax_implicit_dim_warns(torch):
    for ndim, dim in [(1, 0), (2, 1), (3, 0), (4, 1)]:
        x = np.random.default_rng(0).standard_normal((2,) * ndim)
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
            actual = ember.nn.Softmax()(ember.from_numpy(x))
        with pytest.warns(UserWarning):
            expected = torch.nn.Softmax()(torch.from_numpy(x))
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-12)
        np.testing.assert_allclose(ember.from_numpy(x).softmax(dim).numpy(), actual.numpy())


def test_prelu_default_init_and_parameters():
    layer = ember.nn.PReLU(4, init=0.1)
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    np.testing.assert_allclose(layer.weight.detach().numpy(), 0.1)
