"""Dropout layers: exact against PyTorch where they are deterministic (eval mode, p=0), and
statistics and mask consistency in training."""

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from tests.module_db import ErrorCase, ModuleSpec, make_module_tests

LAYERS = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
          "FeatureAlphaDropout"]
SHAPES = {"Dropout": (4, 5), "Dropout1d": (2, 3, 5), "Dropout2d": (2, 3, 4, 4),
          "Dropout3d": (2, 3, 2, 2, 3), "AlphaDropout": (4, 5), "FeatureAlphaDropout": (2, 3, 4)}
PROBABILITY_ERROR = "dropout probability has to be between 0 and 1, but got 1.5"


def _layer(name, *args, **kwargs):
    return lambda lib: getattr(lib.nn, name)(*args, **kwargs)


MODULE_SPECS = [
    *[ModuleSpec(f"{name}_eval", _layer(name, 0.4), [SHAPES[name]], modes=("eval",),
                 error_cases=[ErrorCase(_layer(name, 1.5), ValueError, PROBABILITY_ERROR)])
      for name in LAYERS],
    *[ModuleSpec(f"{name}_p0_train", _layer(name, 0.0), [SHAPES[name]], modes=("train",))
      for name in LAYERS],
    ModuleSpec("dropout1d_unbatched_eval", _layer("Dropout1d"), [(3, 5)], modes=("eval",),
               error_cases=[ErrorCase(lambda lib: lib.nn.Dropout1d()(lib.ones(2, 3, 4, 5)),
                                      RuntimeError, "dropout1d: Expected 2D or 3D input, but "
                                                    "received a 4D input")]),
    ModuleSpec("dropout3d_unbatched_p0", _layer("Dropout3d", 0.0), [(3, 2, 2, 2)],
               modes=("train",)),
]

make_module_tests(globals(), MODULE_SPECS)


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("p,inplace", [(0.5, False), (0.25, True)])
def test_repr(name, p, inplace, torch):
    assert repr(getattr(ember.nn, name)(p, inplace)) == repr(getattr(torch.nn, name)(p, inplace))


@pytest.mark.parametrize("function,shape", [
    (F.dropout, (2, 3)), (F.dropout1d, (2, 3, 4)), (F.dropout2d, (2, 3, 4, 5)),
    (F.dropout3d, (2, 3, 2, 2, 2)), (F.alpha_dropout, (4,)), (F.feature_alpha_dropout, (2, 3))])
def test_identity_when_not_training_or_p0(function, shape):
    x = ember.randn(*shape)
    assert function(x, 0.5, training=False) is x
    assert ember.equal(function(x, 0.0, training=True), x)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics(p):
    ember.manual_seed(0)
    x = ember.ones(100_000)
    output = F.dropout(x, p).numpy()
    dropped = output == 0
    assert abs(dropped.mean() - p) < 0.01
    np.testing.assert_allclose(output[~dropped], np.float32(1) / np.float32(1 - p), rtol=1e-6)


def test_p1_gives_zeros_and_zero_gradients():
    x = ember.randn(3, 4, requires_grad=True)
    output = F.dropout(x, 1.0)
    assert not output.detach().numpy().any() and type(output.grad_fn).__name__ == "MulBackward0"
    output.sum().backward()
    assert not x.grad.numpy().any()


def test_gradient_is_mask_times_scale():
    """The backward uses the forward's mask: gradient = grad_output * mask / (1 - p)."""
    x = (ember.rand(50, 40, dtype=ember.float64) + 1).requires_grad_()
    output = F.dropout(x, 0.3)
    grad_output = ember.randn(50, 40, dtype=ember.float64)
    output.backward(grad_output)
    kept = output.detach().numpy() != 0
    expected = grad_output.numpy() * kept / 0.7
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(output.detach().numpy(), x.detach().numpy() * kept / 0.7,
                               rtol=1e-12)


@pytest.mark.parametrize("function,shape,channel_dims", [(F.dropout1d, (40, 50, 6), 2),
                                                         (F.dropout2d, (40, 50, 3, 2), 2),
                                                         (F.dropout3d, (40, 50, 2, 2, 2), 2),
                                                         (F.dropout1d, (400, 6), 1),
                                                         (F.dropout3d, (400, 2, 2, 2), 1)])
def test_feature_dropout_zeroes_whole_channels(function, shape, channel_dims):
    x = ember.rand(*shape) + 1
    output = function(x, 0.4).numpy()
    channels = output.reshape(*shape[:channel_dims], -1)
    dropped = (channels == 0).all(axis=-1)
    kept = (channels != 0).all(axis=-1)
    assert (dropped | kept).all()
    assert abs(dropped.mean() - 0.4) < 0.03
    np.testing.assert_allclose(channels[kept], (x.numpy().reshape(channels.shape) / 0.6)[kept],
                               rtol=1e-6)


def test_alpha_dropout_keeps_mean_and_variance():
    ember.manual_seed(0)
    x = ember.randn(200_000, dtype=ember.float64)
    output = F.alpha_dropout(x, 0.2, training=True)
    assert abs(output.mean().item()) < 0.01
    assert abs(output.std().item() - 1) < 0.01


def test_alpha_dropout_values_and_gradient():
    """Dropped elements go to SELU's saturation value, the others through ``a * x + b``;
    the gradient is ``a`` where kept and 0 where dropped."""
    p, alpha = 0.3, 1.7580993408473766
    a = 1 / np.sqrt((alpha ** 2 * p + 1) * (1 - p))
    x = ember.randn(1000, dtype=ember.float64, requires_grad=True)
    output = F.alpha_dropout(x, p, training=True)
    assert type(output.grad_fn).__name__ == "AddBackward0"
    output.sum().backward()
    kept = x.grad.numpy() != 0
    assert abs(1 - kept.mean() - p) < 0.06
    np.testing.assert_allclose(x.grad.numpy()[kept], a)
    values = output.detach().numpy()
    np.testing.assert_allclose(values[kept], a * x.detach().numpy()[kept] + alpha * a * p)
    np.testing.assert_allclose(values[~kept], -alpha * a * (1 - p))


def test_feature_alpha_dropout_acts_per_channel():
    x = ember.randn(30, 40, 5, dtype=ember.float64)
    output = F.feature_alpha_dropout(x, 0.5, training=True).numpy()
    constant = np.ptp(output, axis=-1) < 1e-12  # dropped channels hold one value
    assert 0.35 < constant.mean() < 0.65
    ratio = (output[~constant] - output[~constant].mean(axis=-1, keepdims=True)) / \
        (x.numpy()[~constant] - x.numpy()[~constant].mean(axis=-1, keepdims=True))
    np.testing.assert_allclose(ratio, ratio.flat[0])


def test_reproducible_under_manual_seed():
    x = ember.ones(20, 30)
    ember.manual_seed(7)
    first = F.dropout(x, 0.5), F.dropout2d(x.view(4, 5, 6, 5), 0.5)
    ember.manual_seed(7)
    second = F.dropout(x, 0.5), F.dropout2d(x.view(4, 5, 6, 5), 0.5)
    for a, b in zip(first, second):
        assert ember.equal(a, b)
    assert not ember.equal(F.dropout(x, 0.5), first[0])


def test_inplace():
    x = ember.ones(1000)
    assert F.dropout(x, 0.5, inplace=True) is x
    assert 0.4 < (x == 0).float().mean().item() < 0.6
    leaf = ember.ones(5, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        F.dropout(leaf, 0.5, inplace=True)
    hidden = leaf * 2
    output = ember.nn.Dropout(0.5, inplace=True)(hidden)
    assert output is hidden and type(output.grad_fn).__name__ == "MulBackward0"
    output.sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), (hidden.detach().numpy() != 0) * 4)
    unbatched = ember.ones(6, 10)
    assert F.dropout1d(unbatched, 0.5, inplace=True) is unbatched
    rows = unbatched.numpy()
    assert ((rows == 0).all(axis=1) | (rows == 2).all(axis=1)).all()


def test_module_training_flag():
    layer = ember.nn.Dropout(0.5)
    x = ember.ones(100)
    assert (layer(x) != 1).any()
    assert layer.eval()(x) is x


@pytest.mark.parametrize("call,error,match", [
    (lambda lib: lib.nn.functional.dropout(lib.ones(3), 1.5), ValueError, PROBABILITY_ERROR),
    (lambda lib: lib.nn.functional.dropout2d(lib.ones(3), -0.1), ValueError,
     "dropout probability has to be between 0 and 1, but got -0.1"),
    (lambda lib: lib.nn.functional.alpha_dropout(lib.ones(3), 1.5), ValueError,
     PROBABILITY_ERROR),
    (lambda lib: lib.dropout(lib.ones(3), 1.5, True), RuntimeError, PROBABILITY_ERROR),
    (lambda lib: lib.nn.functional.feature_alpha_dropout(lib.ones(3), 0.5, True),
     RuntimeError, "Feature dropout requires at least 2 dimensions in the input"),
    (lambda lib: lib.nn.functional.dropout(lib.arange(6), 0.5), RuntimeError,
     "result type Float can't be cast to the desired output type Long"),
])
def test_errors(call, error, match, torch):
    with pytest.raises(error, match=match):
        call(ember)
    with pytest.raises(error):
        call(torch)


def test_dropout2d_warns_on_unexpected_rank():
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
        F.dropout2d(ember.ones(3, 4))
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        F.dropout2d(ember.ones(2, 3, 4))


@pytest.mark.parametrize("function", [F.dropout, F.dropout2d, F.alpha_dropout,
                                      F.feature_alpha_dropout])
def test_gradcheck(function):
    """First and second derivatives, with the mask fixed by reseeding before each call."""
    x = ember.rand(2, 3, 4, 4, dtype=ember.float64, requires_grad=True)

    def seeded(input):
        ember.manual_seed(0)
        return function(input, 0.4, training=True)

    assert ember.autograd.gradcheck(seeded, (x,))
    assert ember.autograd.gradgradcheck(seeded, (x,))
