"""The autograd engine: seed 002's examples, graph semantics, errors, hooks, custom Functions."""

import gc
import math
import weakref

import numpy as np
import pytest

import ember


def test_seed_002_scalar_backward():
    w = ember.tensor([1.0], requires_grad=True)
    x = ember.tensor([2.0], requires_grad=True)
    a = ember.add(w, x)
    b = ember.add(w, 1)
    y = ember.mul(a, b)
    y.backward()
    assert (a.requires_grad, b.requires_grad, y.requires_grad) == (True, True, True)
    assert w.grad.tolist() == [5.0]
    assert x.grad.tolist() == [2.0]
    assert w.is_leaf and not a.is_leaf


def test_seed_002_backward_with_gradient_argument():
    x = ember.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)
    a, b, c = ember.tensor(1.0), ember.tensor(-2.0), ember.tensor(1.0)
    y = a * ember.pow(x, 2) + b * x + c
    assert y.tolist() == [[1.0, 1.0], [0.0, 1.0]]
    y.backward(gradient=ember.tensor([[1.0, 1.0], [1.0, 1.0]]))
    assert x.grad.tolist() == [[-2.0, -2.0], [0.0, 2.0]]


def test_seed_002_second_derivative():
    x = ember.tensor(0.0, requires_grad=True)
    a, b, c = ember.tensor(1.0), ember.tensor(-2.0), ember.tensor(1.0)
    y = a * ember.pow(x, 2) + b * x + c
    (dy_dx,) = ember.autograd.grad(y, x, create_graph=True)
    assert dy_dx.shape == () and dy_dx.item() == -2.0
    (d2y_dx2,) = ember.autograd.grad(dy_dx, x)
    assert d2y_dx2.item() == 2.0


def test_third_derivative_of_cube():
    x = ember.tensor(1.5, dtype=ember.float64, requires_grad=True)
    y = x ** 3
    (g1,) = ember.autograd.grad(y, x, create_graph=True)
    (g2,) = ember.autograd.grad(g1, x, create_graph=True)
    (g3,) = ember.autograd.grad(g2, x)
    assert (g1.item(), g2.item(), g3.item()) == pytest.approx((3 * 1.5 ** 2, 6 * 1.5, 6.0))


def _fit(lib, steps, autograd):
    """Seed 002's polynomial fit, from fixed initial weights."""
    x = lib.linspace(-math.pi, math.pi, 2000, dtype=lib.float32)
    y = lib.sin(x)
    weights = [lib.tensor(v, requires_grad=autograd) for v in (0.1, -0.2, 0.3, -0.4)]
    a, b, c, d = weights
    for _ in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        if autograd:
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            with lib.no_grad():
                for w in weights:
                    w -= 1e-6 * w.grad
                    w.grad = None
        else:
            grad_y_pred = 2.0 * (y_pred - y)
            grads = [grad_y_pred.sum(), (grad_y_pred * x).sum(), (grad_y_pred * x ** 2).sum(),
                     (grad_y_pred * x ** 3).sum()]
            for w, g in zip(weights, grads):
                w -= 1e-6 * g
    loss = ((a + b * x + c * x ** 2 + d * x ** 3 - y) ** 2).sum().item()
    return [w.item() for w in weights], loss


@pytest.mark.parametrize("autograd", [False, True], ids=["manual", "autograd"])
def test_seed_002_polynomial_fit_converges(autograd):
    _, start = _fit(ember, 0, autograd)
    weights, loss = _fit(ember, 2000, autograd)
    assert loss < 20 < start
    assert weights[1] == pytest.approx(0.85, abs=0.05)  # sin(x) ~ x - x^3/6 on [-pi, pi]


def test_seed_002_numpy_polynomial_fit_converges():
    x = np.linspace(-math.pi, math.pi, 2000)
    y = np.sin(x)
    a, b, c, d = 0.1, -0.2, 0.3, -0.4
    for _ in range(2000):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        grad = 2.0 * (y_pred - y)
        a, b = a - 1e-6 * grad.sum(), b - 1e-6 * (grad * x).sum()
        c, d = c - 1e-6 * (grad * x ** 2).sum(), d - 1e-6 * (grad * x ** 3).sum()
    assert np.square(a + b * x + c * x ** 2 + d * x ** 3 - y).sum() < 20


@pytest.mark.parametrize("autograd", [False, True], ids=["manual", "autograd"])
def test_polynomial_fit_matches_pytorch(autograd, torch):
    ember_weights, ember_loss = _fit(ember, 300, autograd)
    torch_weights, torch_loss = _fit(torch, 300, autograd)
    np.testing.assert_allclose(ember_weights, torch_weights, rtol=1e-4)
    assert ember_loss == pytest.approx(torch_loss, rel=1e-4)


def test_implicit_backward_of_non_scalar_raises():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):
        (x * 2).backward()


def test_gradient_shape_mismatch_raises():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(ember.ones(2))


def test_second_backward_without_retain_graph_raises():
    x = ember.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_second_backward_and_grads_accumulate():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_backward_of_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        ember.ones(2).sum().backward()


def test_requires_grad_on_integer_tensor_raises():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require "
                                           "gradients"):
        ember.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype "
                                           "can require gradients"):
        ember.tensor([1, 2], requires_grad=True)


def test_numpy_of_tensor_requiring_grad_raises():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.0, 1.0]


def test_changing_requires_grad_of_non_leaf_raises():
    y = ember.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf"):
        y.requires_grad = False


def test_retain_grad_keeps_non_leaf_gradient():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward()
    assert y.retains_grad and y.grad.tolist() == [6.0, 12.0]
    z = x * 3
    (z * z).sum().backward()
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert z.grad is None


def test_no_grad_enable_grad_set_grad_enabled_inference_mode():
    x = ember.ones(2, requires_grad=True)
    with ember.no_grad():
        assert not (x * 2).requires_grad
        assert not ember.is_grad_enabled()
        with ember.enable_grad():
            assert (x * 2).requires_grad
    assert ember.is_grad_enabled()

    @ember.no_grad()
    def doubled(t):
        return t * 2

    assert not doubled(x).requires_grad
    with ember.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    ember.set_grad_enabled(False)
    assert not ember.is_grad_enabled()
    ember.set_grad_enabled(True)
    with ember.inference_mode():
        assert not (x * 2).requires_grad and ember.is_inference_mode_enabled()
    assert (x * 2).requires_grad


def test_autograd_grad_with_unused_inputs():
    x = ember.ones(2, requires_grad=True)
    z = ember.ones(2, requires_grad=True)
    y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        ember.autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = ember.autograd.grad(y, [x, z], allow_unused=True)
    assert gx.tolist() == [2.0, 2.0] and gz is None
    assert x.grad is None  # grad() does not accumulate


def test_autograd_grad_of_several_outputs_with_grad_outputs():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ember.autograd.grad([x * 2, x * x], x, [ember.ones(2), ember.tensor([1.0, 0.5])])
    assert g.tolist() == [2 + 2 * 1.0, 2 + 2 * 2.0 * 0.5]


def test_autograd_grad_with_respect_to_intermediate():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (gh,) = ember.autograd.grad(y, h)
    assert gh.tolist() == [6.0, 12.0]


def test_backward_inputs_restricts_accumulation():
    x = ember.ones(2, requires_grad=True)
    z = ember.ones(2, requires_grad=True)
    (x * z).sum().backward(inputs=[x])
    assert x.grad.tolist() == [1.0, 1.0] and z.grad is None


def test_tensor_hooks_on_leaf_and_non_leaf():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: g * 10)
    y = x * 2
    y.register_hook(lambda g: seen.append(g.tolist()))
    y.sum().backward()
    assert seen == [[1.0, 1.0]] and x.grad.tolist() == [20.0, 20.0]
    handle.remove()
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_node_hooks_and_next_functions():
    a = ember.ones(2, requires_grad=True)
    b = ember.ones(2)
    y = a * b
    assert y.grad_fn.name() == "MulBackward0"
    assert "MulBackward0" in repr(y.grad_fn)
    (first, _), (second, _) = y.grad_fn.next_functions
    assert type(first).__name__ == "AccumulateGrad" and first.variable is a and second is None
    calls = []
    y.grad_fn.register_prehook(lambda grad_outputs: calls.append("pre"))
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: calls.append("post"))
    y.sum().backward()
    assert calls == ["pre", "post"]


def test_grad_fn_names_match_pytorch(torch):
    def graph(lib):
        x = lib.ones(2, 3, requires_grad=True)
        return [x + 1, x - 1, x * 2, x / 2, -x, x ** 2, x.exp(), x.sum(), x.mean(), x.t(),
                x.view(6), x.reshape(3, 2), x.permute(1, 0), x.unsqueeze(0)]

    names = [[type(t.grad_fn).__name__ for t in graph(lib)] for lib in (ember, torch)]
    assert names[0] == names[1]


class _Exp(ember.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        result = input.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


def test_custom_function():
    x = ember.tensor([0.0, 1.0], dtype=ember.float64, requires_grad=True)
    y = _Exp.apply(x)
    assert type(y.grad_fn).__name__ == "_ExpBackward"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.0, 1.0]))
    assert ember.autograd.gradcheck(_Exp.apply, (x,))
    assert ember.autograd.gradgradcheck(_Exp.apply, (x,))


def test_custom_function_needs_input_grad_and_several_inputs():
    class MulAdd(ember.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, scale):
            ctx.save_for_backward(a, b)
            ctx.scale = scale
            return a * b * scale

        @staticmethod
        def backward(ctx, grad_output):
            a, b = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False, False)
            return grad_output * b * ctx.scale, None, None

    a = ember.tensor([2.0], requires_grad=True)
    MulAdd.apply(a, ember.tensor([3.0]), 2.0).backward()
    assert a.grad.tolist() == [6.0]


def test_gradcheck_catches_a_wrong_gradient():
    class Wrong(ember.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            return input * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 3

    x = ember.ones(3, dtype=ember.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        ember.autograd.gradcheck(Wrong.apply, (x,))
    assert not ember.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)


def test_inplace_modification_of_saved_tensor_raises():
    x = ember.ones(3, requires_grad=True)
    y = x.exp()
    z = y * y
    y.add_(1)
    with pytest.raises(RuntimeError, match="one of the variables needed for gradient "
                                           "computation has been modified by an inplace "
                                           "operation"):
        z.sum().backward()


def test_inplace_on_leaf_requiring_grad_raises_but_not_under_no_grad():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used "
                                           "in an in-place operation."):
        x.add_(1)
    with ember.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 2.0, 2.0] and x._version == 1


def test_inplace_on_non_leaf_records_history(torch):
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        w = lib.tensor([0.5, 1.0, 2.0], requires_grad=True)
        y = x * 2
        y.mul_(w)
        y.add_(1)
        y.div_(4)
        y.sum().backward()
        return x.grad.tolist(), w.grad.tolist(), type(y.grad_fn).__name__

    assert run(ember) == run(torch)


def test_detach_shares_memory_and_version():
    x = ember.ones(3, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    d.add_(1)
    assert x.tolist() == [2.0, 2.0, 2.0] and x._version == 1
    y = x * 2
    y.detach_()
    assert y.is_leaf and not y.requires_grad


def test_variable_is_a_tensor():
    v = ember.autograd.Variable(ember.ones(2), requires_grad=True)
    assert isinstance(v, ember.Tensor) and v.requires_grad


def test_detect_anomaly_names_the_op_producing_nan():
    x = ember.tensor([0.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with ember.autograd.detect_anomaly():
            y = x.sqrt() * 0  # sqrt'(0) = inf, times 0 gives nan
            with pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan"):
                y.sum().backward()


def test_graph_is_freed_without_garbage_collector():
    gc.disable()
    try:
        x = ember.ones(100, requires_grad=True)
        y = (x.exp() * x).sum()
        node = weakref.ref(y.grad_fn)
        saved = weakref.ref(y.grad_fn.next_functions[0][0])
        y.backward()
        del y
        assert node() is None and saved() is None
    finally:
        gc.enable()


def test_saved_tensors_released_after_backward():
    x = ember.ones(3, requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _ = node.saved_tensors


def test_gradients_are_summed_over_broadcast_dims(torch):
    def run(lib):
        a = lib.ones(3, 1, requires_grad=True)
        b = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        s = lib.tensor(2.0, requires_grad=True)
        ((a * b + s) ** 2).sum().backward()
        return a.grad.tolist(), b.grad.tolist(), s.grad.tolist()

    assert run(ember) == run(torch)


def test_mixed_dtype_gradients_keep_input_dtypes():
    a = ember.ones(2, dtype=ember.float32, requires_grad=True)
    b = ember.ones(2, dtype=ember.float64, requires_grad=True)
    out = a * b
    assert out.dtype is ember.float64
    out.sum().backward()
    assert a.grad.dtype is ember.float32 and b.grad.dtype is ember.float64


def test_leaf_grad_is_not_aliased_with_other_gradients():
    a = ember.ones(2, requires_grad=True)
    b = ember.ones(2, requires_grad=True)
    seed = ember.ones(2)
    (a + b).backward(seed)
    a.grad.zero_() if hasattr(a.grad, "zero_") else a.grad.mul_(0)
    assert b.grad.tolist() == [1.0, 1.0] and seed.tolist() == [1.0, 1.0]
