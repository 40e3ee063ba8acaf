"""Batch, instance, layer, group, RMS and local response norms against PyTorch."""

import numpy as np
import pytest

import ember
from tests.module_db import ModuleSpec, make_module_tests
from tests.op_db import ErrorCase, OpSpec, make_tests


def _randomized(module, lib):
    """``module`` with random affine parameters and running statistics (PyTorch's are copied
    into ember's, so eval mode and the running-stat updates are not trivial)."""
    with lib.no_grad():
        for param in module.parameters():
            param.uniform_(0.5, 1.5)
        if getattr(module, "running_mean", None) is not None:
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 1.5)
            module.num_batches_tracked.fill_(4)
    return module


def _spec(name, build, inputs, **kwargs):
    return ModuleSpec(name, lambda lib: _randomized(build(lib.nn), lib), inputs, **kwargs)


BATCH_SIZE_ERROR = r"Expected more than 1 value per channel when training, got input size " \
                   r".*\[1, 3\]"

MODULE_SPECS = [
    _spec("batchnorm1d_2d", lambda nn: nn.BatchNorm1d(3), [(5, 3)],
          error_cases=[
              ErrorCase(lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)), ValueError,
                        BATCH_SIZE_ERROR),
              ErrorCase(lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 4, 5)), ValueError,
                        r"expected 2D or 3D input \(got 4D input\)"),
              ErrorCase(lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 4)), RuntimeError,
                        "running_mean should contain 4 elements not 3")]),
    _spec("batchnorm1d_3d", lambda nn: nn.BatchNorm1d(3, momentum=0.3), [(4, 3, 5)]),
    _spec("batchnorm1d_one_per_batch", lambda nn: nn.BatchNorm1d(3), [(1, 3, 4)]),
    _spec("batchnorm2d", lambda nn: nn.BatchNorm2d(3), [(2, 3, 4, 5)],
          error_cases=[ErrorCase(lambda lib: lib.nn.BatchNorm2d(3)(lib.ones(2, 3, 4)),
                                 ValueError, r"expected 4D input \(got 3D input\)")]),
    _spec("batchnorm2d_odd", lambda nn: nn.BatchNorm2d(5, eps=1e-3), [(3, 5, 3, 7)]),
    _spec("batchnorm2d_momentum_none", lambda nn: nn.BatchNorm2d(3, momentum=None),
          [(2, 3, 4, 4)]),
    _spec("batchnorm2d_untracked", lambda nn: nn.BatchNorm2d(3, track_running_stats=False),
          [(2, 3, 4, 4)]),
    _spec("batchnorm2d_no_affine", lambda nn: nn.BatchNorm2d(3, affine=False), [(2, 3, 3, 3)]),
    _spec("batchnorm2d_no_bias", lambda nn: nn.BatchNorm2d(3, bias=False), [(2, 3, 3, 3)]),
    _spec("batchnorm3d", lambda nn: nn.BatchNorm3d(3), [(2, 3, 2, 3, 4)],
          error_cases=[ErrorCase(lambda lib: lib.nn.BatchNorm3d(3)(lib.ones(2, 3, 4, 4)),
                                 ValueError, r"expected 5D input \(got 4D input\)")]),
    _spec("sync_batchnorm", lambda nn: nn.SyncBatchNorm(3), [(2, 3, 4, 3)],
          error_cases=[ErrorCase(lambda lib: lib.nn.SyncBatchNorm(3)(lib.ones(3)), ValueError,
                                 r"expected at least 2D input \(got 1D input\)")]),
    _spec("instancenorm1d", lambda nn: nn.InstanceNorm1d(3), [(2, 3, 5)],
          error_cases=[
              ErrorCase(lambda lib: lib.nn.InstanceNorm1d(3, affine=True)(lib.ones(2, 4, 5)),
                        ValueError, r"expected input's size at dim=1 to match num_features "
                                    r"\(3\), but got: 4\."),
              ErrorCase(lambda lib: lib.nn.InstanceNorm1d(3)(lib.ones(2, 3, 1)), ValueError,
                        "Expected more than 1 spatial element when training"),
              ErrorCase(lambda lib: lib.nn.InstanceNorm1d(3)(lib.ones(3)), ValueError,
                        r"expected 2D or 3D input \(got 1D input\)")]),
    _spec("instancenorm1d_unbatched", lambda nn: nn.InstanceNorm1d(3, affine=True), [(3, 5)]),
    _spec("instancenorm2d_affine_tracked",
          lambda nn: nn.InstanceNorm2d(3, momentum=0.2, affine=True, track_running_stats=True),
          [(2, 3, 4, 5)]),
    _spec("instancenorm3d", lambda nn: nn.InstanceNorm3d(2, affine=True), [(2, 2, 3, 2, 3)]),
    _spec("instancenorm3d_unbatched_tracked",
          lambda nn: nn.InstanceNorm3d(2, track_running_stats=True), [(2, 3, 2, 3)]),
    _spec("layernorm", lambda nn: nn.LayerNorm(5), [(4, 5)],
          error_cases=[ErrorCase(lambda lib: lib.nn.LayerNorm(4)(lib.ones(4, 3, 5)),
                                 RuntimeError,
                                 r"Given normalized_shape=\[4\], expected input with shape "
                                 r"\[\*, 4\], but got input of size\[4, 3, 5\]")]),
    _spec("layernorm_2d_shape", lambda nn: nn.LayerNorm([3, 4]), [(2, 3, 4)]),
    _spec("layernorm_no_affine", lambda nn: nn.LayerNorm((3, 4), elementwise_affine=False),
          [(2, 5, 3, 4)]),
    _spec("layernorm_no_bias", lambda nn: nn.LayerNorm(4, eps=1e-3, bias=False), [(3, 2, 4)]),
    _spec("groupnorm", lambda nn: nn.GroupNorm(3, 6), [(2, 6, 4, 3)],
          error_cases=[
              ErrorCase(lambda lib: lib.nn.GroupNorm(2, 3), ValueError,
                        r"num_channels \(3\) must be divisible by num_groups \(2\)"),
              ErrorCase(lambda lib: lib.nn.GroupNorm(3, 3)(lib.ones(2, 4, 5)), RuntimeError,
                        "Expected number of channels in input to be divisible by num_groups, "
                        r"but got input of shape \[2, 4, 5\] and num_groups=3"),
              ErrorCase(lambda lib: lib.nn.GroupNorm(3, 3)(lib.ones(1, 3, 1)), ValueError,
                        r"Expected more than 1 value per channel when training, got input "
                        r"size \[1, 3, 1\]")]),
    _spec("groupnorm_one_group", lambda nn: nn.GroupNorm(1, 4), [(3, 4, 5)]),
    _spec("groupnorm_per_channel", lambda nn: nn.GroupNorm(4, 4, affine=False), [(3, 4, 2, 3)]),
    _spec("groupnorm_2d_input", lambda nn: nn.GroupNorm(2, 8, bias=False), [(5, 8)]),
    _spec("groupnorm_3d_spatial", lambda nn: nn.GroupNorm(2, 4), [(2, 4, 2, 3, 2)]),
    _spec("rmsnorm", lambda nn: nn.RMSNorm(5), [(4, 5)]),
    _spec("rmsnorm_eps_2d", lambda nn: nn.RMSNorm([3, 4], eps=1e-3), [(2, 3, 4)]),
    _spec("rmsnorm_no_affine", lambda nn: nn.RMSNorm(4, elementwise_affine=False), [(3, 2, 4)]),
    _spec("local_response_norm_3d", lambda nn: nn.LocalResponseNorm(3, alpha=0.5), [(2, 5, 4)],
          domain=(0.5, 2.0),
          error_cases=[ErrorCase(lambda lib: lib.nn.LocalResponseNorm(2)(lib.ones(2, 3)),
                                 ValueError, "Expected 3D or higher dimensionality")]),
    _spec("local_response_norm_4d_even",
          lambda nn: nn.LocalResponseNorm(2, alpha=0.3, beta=0.5, k=2.0), [(2, 6, 3, 2)],
          domain=(0.5, 2.0)),
    _spec("local_response_norm_5d", lambda nn: nn.LocalResponseNorm(4, alpha=0.2),
          [(1, 5, 2, 2, 3)], domain=(0.5, 2.0)),
]

make_module_tests(globals(), MODULE_SPECS)


# ---------------------------------------------------------------------- functional forms
def _positive_running_stats(rng, dtype, shapes):
    """The input (and affine parameters), then running mean and a positive running variance."""
    (x_shape, *param_shapes), channels = shapes, shapes[0][1]
    arrays = [rng.uniform(-2, 2, size=s).astype(dtype) for s in (x_shape, *param_shapes)]
    return arrays + [rng.uniform(-1, 1, channels).astype(dtype),
                     rng.uniform(0.5, 2, channels).astype(dtype)]


def _batch_norm_eval(lib, x, w, b, running_mean, running_var):
    return lib.nn.functional.batch_norm(x, running_mean, running_var, w, b, False)


def _batch_norm_running(lib, x, running_mean, running_var):
    running_mean, running_var = running_mean.clone(), running_var.clone()
    output = lib.nn.functional.batch_norm(x, running_mean, running_var, training=True,
                                          momentum=0.3)
    return output, running_mean, running_var


def _instance_norm_running(lib, x, running_mean, running_var):
    running_mean, running_var = running_mean.clone(), running_var.clone()
    output = lib.nn.functional.instance_norm(x, running_mean, running_var, momentum=0.3)
    return output, running_mean, running_var


def _f(lib):
    return lib.nn.functional


BN_SHAPES = [((4, 3), (3,), (3,)), ((2, 3, 5), (3,), (3,)), ((2, 3, 2, 3), (3,), (3,)),
             ((2, 3, 1, 2, 2), (3,), (3,))]

OP_SPECS = [
    OpSpec("batch_norm_train", lambda lib, x, w, b: _f(lib).batch_norm(x, None, None, w, b,
                                                                       True), BN_SHAPES,
           error_cases=[
               ErrorCase(lambda lib: _f(lib).batch_norm(lib.ones(1, 3), None, None,
                                                        training=True), ValueError,
                         BATCH_SIZE_ERROR),
               ErrorCase(lambda lib: _f(lib).batch_norm(lib.ones(4, 3), lib.zeros(4),
                                                        lib.ones(3), training=True),
                         RuntimeError, "running_mean should contain 3 elements not 4"),
               ErrorCase(lambda lib: _f(lib).batch_norm(lib.ones(4, 3), None, None,
                                                        lib.ones(4), training=True),
                         RuntimeError, "weight should contain 3 elements not 4"),
               ErrorCase(lambda lib: _f(lib).batch_norm(lib.ones(4, 3), None, None),
                         RuntimeError, "running_mean must be defined in evaluation mode"),
               ErrorCase(lambda lib: _f(lib).batch_norm(lib.ones(4, 3), None, None,
                                                        training=True, eps=0), ValueError,
                         "batch_norm eps must be positive during training, but got 0")]),
    OpSpec("batch_norm_no_affine", lambda lib, x: _f(lib).batch_norm(x, None, None,
                                                                     training=True),
           [((3, 4, 5),)]),
    OpSpec("batch_norm_eval", _batch_norm_eval, BN_SHAPES[:3], inputs=_positive_running_stats,
           differentiable=(0, 1, 2)),
    OpSpec("batch_norm_running", _batch_norm_running, [((4, 3),), ((2, 3, 2, 3),)],
           inputs=_positive_running_stats, grad=False),
    OpSpec("batch_norm_empty", lambda lib, x, w, b: _f(lib).batch_norm(x, None, None, w, b,
                                                                       True),
           [((0, 3), (3,), (3,))]),
    OpSpec("layer_norm", lambda lib, x, w, b: _f(lib).layer_norm(x, tuple(w.shape), w, b),
           [((3, 4), (4,), (4,)), ((2, 3, 4), (3, 4), (3, 4)), ((0, 4), (4,), (4,))],
           error_cases=[
               ErrorCase(lambda lib: _f(lib).layer_norm(lib.ones(4, 3, 5), (5,), lib.ones(4)),
                         RuntimeError, r"Expected weight to be of same shape as "
                                       r"normalized_shape, but got weight of shape \[4\] and "
                                       r"normalized_shape = \[5\]"),
               ErrorCase(lambda lib: _f(lib).layer_norm(lib.ones(4, 3), ()), RuntimeError,
                         "Expected normalized_shape to be at least 1-dimensional"),
               ErrorCase(lambda lib: _f(lib).layer_norm(lib.ones(4, 3), 3), TypeError,
                         "must be tuple of ints, not int")]),
    OpSpec("layer_norm_no_affine", lambda lib, x: _f(lib).layer_norm(x, x.shape[-2:], eps=0.1),
           [((2, 3, 4),)]),
    OpSpec("group_norm", lambda lib, x, w, b: _f(lib).group_norm(x, 2, w, b),
           [((2, 4, 3), (4,), (4,)), ((3, 6), (6,), (6,)), ((2, 4, 2, 3), (4,), (4,)),
            ((0, 4, 3), (4,), (4,))],
           error_cases=[
               ErrorCase(lambda lib: _f(lib).group_norm(lib.ones(4, 3, 5), 3, lib.ones(2)),
                         RuntimeError, r"Expected weight to be a vector of size equal to the "
                                       r"number of channels in input, but got weight of shape "
                                       r"\[2\] and input of shape \[4, 3, 5\]"),
               ErrorCase(lambda lib: _f(lib).group_norm(lib.ones(3), 3), RuntimeError,
                         "Expected at least 2 dimensions for input tensor but received 1")]),
    OpSpec("group_norm_no_affine", lambda lib, x: _f(lib).group_norm(x, 3, eps=0.01),
           [((2, 6, 4),)]),
    OpSpec("instance_norm", lambda lib, x, w, b: _f(lib).instance_norm(x, weight=w, bias=b),
           [((2, 3, 4), (3,), (3,)), ((2, 3, 2, 3), (3,), (3,))],
           error_cases=[ErrorCase(lambda lib: _f(lib).instance_norm(lib.ones(2, 3, 4),
                                                                    use_input_stats=False),
                                  RuntimeError, "Expected running_mean and running_var to be "
                                                "defined when use_input_stats is false")]),
    OpSpec("instance_norm_running", _instance_norm_running, [((2, 3, 4),), ((3, 3, 2, 2),)],
           inputs=_positive_running_stats, grad=False),
    OpSpec("rms_norm", lambda lib, x, w: _f(lib).rms_norm(x, tuple(w.shape), w),
           [((3, 4), (4,)), ((2, 3, 4), (3, 4))],
           error_cases=[ErrorCase(lambda lib: _f(lib).rms_norm(lib.ones(4, 3, 5), (2, 5)),
                                  RuntimeError, r"Given normalized_shape=\[2, 5\], expected "
                                                r"input with shape \[\*2, 5\], but got input of "
                                                r"size\[4, 3, 5\]")]),
    OpSpec("rms_norm_eps", lambda lib, x: _f(lib).rms_norm(x, (4,), eps=0.5), [((3, 4),)]),
    OpSpec("local_response_norm", lambda lib, x: _f(lib).local_response_norm(x, 3, alpha=0.5),
           [((2, 5, 3),), ((2, 4, 3, 2),)], domain=(0.5, 2.0)),
    OpSpec("normalize", lambda lib, x: _f(lib).normalize(x), [((3, 4),), ((2, 3, 4),)],
           domain=(0.5, 2.0)),
    OpSpec("normalize_p1_dim0", lambda lib, x: _f(lib).normalize(x, p=1, dim=0),
           [((3, 4),)], domain=(0.5, 2.0)),
    OpSpec("normalize_p3_last", lambda lib, x: _f(lib).normalize(x, p=3.0, dim=-1),
           [((3, 4),)], domain=(0.5, 2.0)),
]

make_tests(globals(), OP_SPECS)


# ---------------------------------------------------------------------- focused checks
MODULES = [
    lambda nn: nn.BatchNorm1d(3), lambda nn: nn.BatchNorm2d(3, momentum=None, affine=False),
    lambda nn: nn.BatchNorm3d(3, eps=1e-3, track_running_stats=False),
    lambda nn: nn.BatchNorm2d(3, bias=False), lambda nn: nn.SyncBatchNorm(4),
    lambda nn: nn.InstanceNorm1d(3), lambda nn: nn.InstanceNorm2d(3, affine=True),
    lambda nn: nn.InstanceNorm3d(3, track_running_stats=True),
    lambda nn: nn.LayerNorm(4), lambda nn: nn.LayerNorm([3, 4], elementwise_affine=False),
    lambda nn: nn.LayerNorm(4, bias=False), lambda nn: nn.GroupNorm(2, 4),
    lambda nn: nn.GroupNorm(1, 3, affine=False), lambda nn: nn.RMSNorm(4),
    lambda nn: nn.RMSNorm([2, 3], eps=1e-4, elementwise_affine=False),
    lambda nn: nn.LocalResponseNorm(2), lambda nn: nn.LocalResponseNorm(3, 0.1, 0.5, 2),
]


@pytest.mark.parametrize("build", MODULES)
def test_repr_and_state_dict_keys(build, torch):
    ember_module, torch_module = build(ember.nn), build(torch.nn)
    assert repr(ember_module) == repr(torch_module).replace("torch", "ember")
    assert list(ember_module.state_dict()) == list(torch_module.state_dict())


def test_batchnorm_buffers():
    bn = ember.nn.BatchNorm2d(3)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                     "num_batches_tracked"]
    assert bn.num_batches_tracked.dtype == ember.int64
    assert [name for name, _ in bn.named_buffers()] == ["running_mean", "running_var",
                                                         "num_batches_tracked"]
    untracked = ember.nn.BatchNorm2d(3, track_running_stats=False)
    assert untracked.running_mean is None and list(untracked.state_dict()) == ["weight", "bias"]


def test_running_stats_update_in_place_without_graph():
    bn = ember.nn.BatchNorm1d(3)
    running_mean, running_var = bn.running_mean, bn.running_var
    version = running_mean._version
    x = ember.randn(8, 3, requires_grad=True)
    bn(x).sum().backward()
    assert bn.running_mean is running_mean and bn.running_var is running_var
    assert running_mean._version > version
    assert not running_mean.requires_grad and running_mean.grad_fn is None
    assert int(bn.num_batches_tracked) == 1
    expected_var = 0.9 + 0.1 * x.detach().numpy().var(axis=0, ddof=1)
    np.testing.assert_allclose(running_var.numpy(), expected_var, rtol=1e-5)


def _steps(lib, module, arrays):
    outputs = [module(lib.from_numpy(a)) for a in arrays]
    return [o.detach().numpy() for o in outputs], {k: v.numpy()
                                                   for k, v in module.state_dict().items()}


@pytest.mark.parametrize("momentum", [None, 0.3])
def test_batchnorm_running_stats_over_steps(momentum, torch):
    """Several training steps, then eval: the running statistics (cumulative average for
    ``momentum=None``) and the eval outputs match PyTorch's."""
    rng = np.random.default_rng(0)
    arrays = [rng.normal(i, 1 + i, size=(6, 3, 4)) for i in range(4)]
    results = []
    for lib in (ember, torch):
        module = lib.nn.BatchNorm1d(3, momentum=momentum).double()
        train_outputs, state = _steps(lib, module, arrays[:3])
        module.eval()
        eval_outputs, _ = _steps(lib, module, arrays[3:])
        results.append((train_outputs + eval_outputs, state))
    (ember_outputs, ember_state), (torch_outputs, torch_state) = results
    for e, t in zip(ember_outputs, torch_outputs):
        np.testing.assert_allclose(e, t, rtol=1e-10, atol=1e-10)
    assert ember_state.keys() == torch_state.keys()
    for key in torch_state:
        np.testing.assert_allclose(ember_state[key], torch_state[key], rtol=1e-10)
    assert int(ember_state["num_batches_tracked"]) == 3


def test_untracked_batchnorm_uses_batch_statistics_in_eval():
    x = ember.randn(5, 3, dtype=ember.float64) * 3 + 2
    bn = ember.nn.BatchNorm1d(3, track_running_stats=False, affine=False).double().eval()
    output = bn(x).numpy()
    np.testing.assert_allclose(output.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(output.var(axis=0), 1, rtol=1e-4)


@pytest.mark.parametrize("function,name", [
    (lambda x: ember.nn.functional.batch_norm(x, None, None, training=True),
     "NativeBatchNormBackward0"),
    (lambda x: ember.nn.BatchNorm1d(3).eval()(x), "NativeBatchNormBackward0"),
    (lambda x: ember.nn.functional.layer_norm(x, (4,)), "NativeLayerNormBackward0"),
    (lambda x: ember.nn.functional.group_norm(x, 3), "NativeGroupNormBackward0"),
    (lambda x: ember.nn.functional.instance_norm(x), "ViewBackward0"),
])
def test_grad_fn_names(function, name):
    x = ember.randn(2, 3, 4, requires_grad=True)
    assert type(function(x).grad_fn).__name__ == name


def test_convert_sync_batchnorm():
    model = ember.nn.Sequential(ember.nn.Linear(3, 4), ember.nn.BatchNorm1d(4, momentum=0.2))
    converted = ember.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    layer = converted[1]
    assert type(layer) is ember.nn.SyncBatchNorm and layer.momentum == 0.2
    assert layer.weight is model[1].weight and layer.running_mean is model[1].running_mean
    assert list(converted.state_dict()) == list(model.state_dict())
