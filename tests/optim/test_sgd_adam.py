"""SGD, Adam and AdamW against PyTorch, and the Optimizer base class."""

import numpy as np
import pytest

import ember
from tests.optim_db import assert_same_trajectory, run_trajectory

CONFIGS = {
    "sgd": lambda lib, p: lib.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1,
                                                 weight_decay=0.01),
    "sgd_nesterov": lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "sgd_maximize": lambda lib, p: lib.optim.SGD(p, lr=0.01, momentum=0.5, maximize=True),
    "adam": lambda lib, p: lib.optim.Adam(p, lr=0.01),
    "adam_amsgrad_wd": lambda lib, p: lib.optim.Adam(p, lr=0.01, weight_decay=0.1,
                                                     amsgrad=True, betas=(0.8, 0.9)),
    "adam_maximize": lambda lib, p: lib.optim.Adam(p, lr=0.01, maximize=True),
    "adamw": lambda lib, p: lib.optim.AdamW(p, lr=0.01),
    "adamw_amsgrad": lambda lib, p: lib.optim.AdamW(p, lr=0.01, weight_decay=0.5,
                                                    amsgrad=True),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_trajectory_matches_pytorch(name, torch):
    assert_same_trajectory(CONFIGS[name], torch)


@pytest.mark.parametrize("name", ["sgd_momentum", "adam"])
def test_param_groups_and_closure_match_pytorch(name, torch):
    assert_same_trajectory(CONFIGS[name], torch, groups=True, closure=True)


@pytest.mark.parametrize("name", ["sgd_momentum", "adam_amsgrad_wd"])
def test_float32_trajectory(name, torch):
    assert_same_trajectory(CONFIGS[name], torch, dtype="float32", rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["sgd_momentum", "adam_amsgrad_wd"])
def test_resume_through_state_dict_equals_uninterrupted_run(name):
    full, _, _ = run_trajectory(ember, CONFIGS[name], steps=20)
    _, optimizer, model = run_trajectory(ember, CONFIGS[name], steps=10)
    state = optimizer.state_dict()
    resumed = CONFIGS[name](ember, model.parameters())
    resumed.load_state_dict(state)
    inputs, targets = _data()
    for _ in range(10):
        resumed.zero_grad()
        ((model(inputs) - targets) ** 2).mean().backward()
        resumed.step()
    final = np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])
    np.testing.assert_allclose(final, full[-1], rtol=1e-12)


def _data():
    rng = np.random.default_rng(1)
    return (ember.from_numpy(rng.standard_normal((16, 4))),
            ember.from_numpy(rng.standard_normal((16, 2))))


def test_state_dict_layout_matches_pytorch(torch):
    def layout(lib):
        _, optimizer, _ = run_trajectory(lib, CONFIGS["adam"], steps=2, groups=True)
        state = optimizer.state_dict()
        return (sorted(state["state"]), [sorted(s) for s in state["state"].values()],
                [{k: v for k, v in g.items()} for g in state["param_groups"]],
                float(state["state"][0]["step"]))

    assert layout(ember) == layout(torch)


def test_repr_matches_pytorch(torch):
    for make in (CONFIGS["sgd_momentum"], CONFIGS["adam"], CONFIGS["adamw"]):
        ember_opt = make(ember, [ember.nn.Parameter(ember.ones(1))])
        torch_opt = make(torch, [torch.nn.Parameter(torch.ones(1))])
        assert repr(ember_opt) == repr(torch_opt)


@pytest.mark.parametrize("call,message", [
    (lambda lib, p: lib.optim.SGD(p, lr=-1), "Invalid learning rate: -1"),
    (lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=-0.5), "Invalid momentum value: -0.5"),
    (lambda lib, p: lib.optim.SGD(p, lr=0.1, nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda lib, p: lib.optim.Adam(p, lr=-0.1), "Invalid learning rate: -0.1"),
    (lambda lib, p: lib.optim.Adam(p, betas=(1.0, 0.9)), "Invalid beta parameter at index 0"),
    (lambda lib, p: lib.optim.Adam(p, eps=-1), "Invalid epsilon value: -1"),
    (lambda lib, p: lib.optim.SGD([], lr=0.1), "optimizer got an empty parameter list"),
    (lambda lib, p: lib.optim.SGD([p[0], p[0] * 2], lr=0.1), "can't optimize a non-leaf Tensor"),
    (lambda lib, p: lib.optim.SGD([{"params": p}, {"params": p}], lr=0.1),
     "some parameters appear in more than one parameter group"),
])
def test_bad_arguments_raise_like_pytorch(call, message, torch):
    for lib in (ember, torch):
        params = [lib.nn.Parameter(lib.ones(2))]
        with pytest.raises(ValueError, match=message):
            call(lib, params)


def test_zero_grad_and_step_skips_parameters_without_grad():
    a, b = ember.nn.Parameter(ember.ones(2)), ember.nn.Parameter(ember.ones(2))
    optimizer = ember.optim.SGD([a, b], lr=1.0)
    a.grad = ember.ones(2)
    optimizer.step()
    assert a.tolist() == [0.0, 0.0] and b.tolist() == [1.0, 1.0]
    optimizer.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0, 0.0]
    optimizer.zero_grad()
    assert a.grad is None
