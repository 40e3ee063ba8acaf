"""ASGD, Rprop, Adagrad, Adadelta, RMSprop, Adamax, NAdam, RAdam, Adafactor, SparseAdam and LBFGS
against PyTorch: trajectories, save/resume, state_dict layout, repr and argument errors."""

import numpy as np
import pytest

import ember
from tests.optim_db import assert_same_trajectory, run_trajectory

CONFIGS = {
    "asgd": lambda lib, p: lib.optim.ASGD(p, lr=0.05),
    "asgd_averaging_wd": lambda lib, p: lib.optim.ASGD(p, lr=0.05, lambd=0.01, alpha=0.5, t0=5,
                                                       weight_decay=0.01),
    "asgd_maximize": lambda lib, p: lib.optim.ASGD(p, lr=0.01, t0=3, maximize=True),
    "rprop": lambda lib, p: lib.optim.Rprop(p, lr=0.01),
    "rprop_bounds": lambda lib, p: lib.optim.Rprop(p, lr=0.05, etas=(0.3, 1.5),
                                                   step_sizes=(0.02, 0.1)),
    "rprop_maximize": lambda lib, p: lib.optim.Rprop(p, lr=0.001, maximize=True),
    "adagrad": lambda lib, p: lib.optim.Adagrad(p, lr=0.1),
    "adagrad_options": lambda lib, p: lib.optim.Adagrad(p, lr=0.1, lr_decay=0.05,
                                                        weight_decay=0.01,
                                                        initial_accumulator_value=0.1, eps=1e-6),
    "adagrad_maximize": lambda lib, p: lib.optim.Adagrad(p, lr=0.01, maximize=True),
    "adadelta": lambda lib, p: lib.optim.Adadelta(p),
    "adadelta_options": lambda lib, p: lib.optim.Adadelta(p, lr=0.5, rho=0.7, eps=1e-4,
                                                          weight_decay=0.01),
    "adadelta_maximize": lambda lib, p: lib.optim.Adadelta(p, maximize=True),
    "rmsprop": lambda lib, p: lib.optim.RMSprop(p, lr=0.01),
    "rmsprop_centered_momentum": lambda lib, p: lib.optim.RMSprop(
        p, lr=0.01, momentum=0.9, centered=True, weight_decay=0.01),
    # alpha < 0.5: the running averages take lerp's other branch
    "rmsprop_centered_low_alpha": lambda lib, p: lib.optim.RMSprop(p, lr=0.01, alpha=0.4,
                                                                   centered=True),
    "rmsprop_maximize": lambda lib, p: lib.optim.RMSprop(p, lr=0.001, momentum=0.5,
                                                         maximize=True),
    "adamax": lambda lib, p: lib.optim.Adamax(p, lr=0.01),
    "adamax_wd": lambda lib, p: lib.optim.Adamax(p, lr=0.02, betas=(0.8, 0.99), eps=1e-3,
                                                 weight_decay=0.1),
    "adamax_maximize": lambda lib, p: lib.optim.Adamax(p, lr=0.001, maximize=True),
    "nadam": lambda lib, p: lib.optim.NAdam(p, lr=0.01),
    "nadam_wd": lambda lib, p: lib.optim.NAdam(p, lr=0.01, weight_decay=0.1,
                                               momentum_decay=0.01),
    "nadamw": lambda lib, p: lib.optim.NAdam(p, lr=0.01, weight_decay=0.1,
                                             decoupled_weight_decay=True),
    "nadam_maximize": lambda lib, p: lib.optim.NAdam(p, lr=0.001, maximize=True),
    "radam": lambda lib, p: lib.optim.RAdam(p, lr=0.01),
    "radam_wd": lambda lib, p: lib.optim.RAdam(p, lr=0.01, betas=(0.8, 0.9), weight_decay=0.1),
    "radamw": lambda lib, p: lib.optim.RAdam(p, lr=0.01, weight_decay=0.1,
                                             decoupled_weight_decay=True),
    "radam_maximize": lambda lib, p: lib.optim.RAdam(p, lr=0.001, maximize=True),
    "adafactor": lambda lib, p: lib.optim.Adafactor(p, lr=0.01),
    "adafactor_options": lambda lib, p: lib.optim.Adafactor(
        p, lr=0.05, beta2_decay=-0.5, eps=(1e-3, 1e-2), d=2.0, weight_decay=0.1),
    "adafactor_maximize": lambda lib, p: lib.optim.Adafactor(p, lr=0.001, maximize=True),
    "lbfgs": lambda lib, p: lib.optim.LBFGS(p, max_iter=5),
    "lbfgs_strong_wolfe": lambda lib, p: lib.optim.LBFGS(p, lr=0.5, max_iter=4,
                                                         line_search_fn="strong_wolfe"),
    "lbfgs_short_history": lambda lib, p: lib.optim.LBFGS(p, lr=0.5, max_iter=4,
                                                          history_size=2,
                                                          line_search_fn="strong_wolfe"),
    "lbfgs_tolerances": lambda lib, p: lib.optim.LBFGS(p, max_iter=30, max_eval=40,
                                                       tolerance_grad=1e-3,
                                                       tolerance_change=1e-4),
}
# L-BFGS amplifies last-bit differences of the model's gradients once it nears the minimum
STEPS = {"lbfgs_short_history": 8}
GROUPED = [name for name in CONFIGS if not name.startswith("lbfgs")]


def _closure(name):
    return name.startswith("lbfgs")


@pytest.mark.parametrize("name", CONFIGS)
def test_trajectory_matches_pytorch(name, torch):
    assert_same_trajectory(CONFIGS[name], torch, steps=STEPS.get(name, 30),
                           closure=_closure(name))


@pytest.mark.parametrize("name", GROUPED)
def test_param_groups_and_closure_match_pytorch(name, torch):
    assert_same_trajectory(CONFIGS[name], torch, groups=True, closure=True)


@pytest.mark.parametrize("name", ["asgd_averaging_wd", "rprop", "adagrad_options",
                                  "adadelta_options", "rmsprop_centered_momentum", "adamax_wd",
                                  "nadamw", "radam_wd", "adafactor"])
def test_float32_trajectory(name, torch):
    assert_same_trajectory(CONFIGS[name], torch, dtype="float32", rtol=1e-4, atol=1e-5)


def _resumed(lib, name):
    """Parameters after 20 steps, the optimizer rebuilt from its state_dict halfway."""
    make, closure, steps = CONFIGS[name], _closure(name), min(20, STEPS.get(name, 20))
    _, optimizer, model = run_trajectory(lib, make, steps=steps // 2, closure=closure)
    state = optimizer.state_dict()
    resumed = make(lib, model.parameters())
    resumed.load_state_dict(state)
    rng = np.random.default_rng(1)
    inputs = lib.from_numpy(rng.standard_normal((16, 4)))
    targets = lib.from_numpy(rng.standard_normal((16, 2)))

    def compute_loss():
        resumed.zero_grad()
        loss = ((model(inputs) - targets) ** 2).mean()
        loss.backward()
        return loss

    for _ in range(steps - steps // 2):
        resumed.step(compute_loss)
    return np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])


@pytest.mark.parametrize("name", [name for name in CONFIGS if "maximize" not in name])
def test_resume_through_state_dict(name, torch):
    resumed = _resumed(ember, name)
    np.testing.assert_allclose(resumed, _resumed(torch, name), rtol=1e-10, atol=1e-12)
    full, _, _ = run_trajectory(ember, CONFIGS[name], steps=min(20, STEPS.get(name, 20)),
                                closure=_closure(name))
    # NAdam's mu_product is a float32 scalar that load_state_dict casts to the parameters'
    # float64, in PyTorch too: the resumed run drifts by float32 rounding
    rtol = 1e-6 if name.startswith("nadam") else 1e-12
    np.testing.assert_allclose(resumed, full[-1], rtol=rtol)


def _kind(value):
    """A comparable description of one state value."""
    if isinstance(value, (list, tuple)):
        return [_kind(item) for item in value]
    if hasattr(value, "dtype"):
        return str(value.dtype).split(".")[-1], tuple(value.shape)
    return type(value).__name__


def _layout(lib, name, steps):
    make, closure = CONFIGS[name], _closure(name)
    _, optimizer, _ = run_trajectory(lib, make, steps=steps, groups=name in GROUPED,
                                     closure=closure)
    state = optimizer.state_dict()
    return (list(state["state"]),
            [[(key, _kind(value)) for key, value in s.items()] for s in state["state"].values()],
            state["param_groups"])


@pytest.mark.parametrize("name", [name for name in CONFIGS if "maximize" not in name])
def test_state_dict_layout_matches_pytorch(name, torch):
    for steps in (0, 2):
        assert _layout(ember, name, steps) == _layout(torch, name, steps)


@pytest.mark.parametrize("name", CONFIGS)
def test_repr_matches_pytorch(name, torch):
    ember_opt = CONFIGS[name](ember, [ember.nn.Parameter(ember.ones(1))])
    torch_opt = CONFIGS[name](torch, [torch.nn.Parameter(torch.ones(1))])
    assert repr(ember_opt) == repr(torch_opt)


BAD_ARGUMENTS = [
    ("ASGD", dict(lr=-0.5)), ("ASGD", dict(weight_decay=-1e-3)),
    ("Rprop", dict(lr=-1)), ("Rprop", dict(etas=(1.5, 2.0))), ("Rprop", dict(etas=(0.5, 0.9))),
    ("Adagrad", dict(lr=-1)), ("Adagrad", dict(lr_decay=-0.1)),
    ("Adagrad", dict(weight_decay=-0.1)), ("Adagrad", dict(initial_accumulator_value=-1)),
    ("Adagrad", dict(eps=-1e-10)),
    ("Adadelta", dict(lr=-1)), ("Adadelta", dict(rho=1.5)), ("Adadelta", dict(eps=-1)),
    ("Adadelta", dict(weight_decay=-1)),
    ("RMSprop", dict(lr=-0.01)), ("RMSprop", dict(eps=-1)), ("RMSprop", dict(momentum=-0.9)),
    ("RMSprop", dict(weight_decay=-1)), ("RMSprop", dict(alpha=-0.5)),
    ("Adamax", dict(lr=-1)), ("Adamax", dict(eps=-1)), ("Adamax", dict(betas=(1.0, 0.9))),
    ("Adamax", dict(betas=(0.9, -0.1))), ("Adamax", dict(weight_decay=-1)),
    ("NAdam", dict(lr=-1)), ("NAdam", dict(betas=(0.9, 1.0))), ("NAdam", dict(weight_decay=-1)),
    ("NAdam", dict(momentum_decay=-0.1)),
    ("RAdam", dict(lr=-1)), ("RAdam", dict(eps=-1)), ("RAdam", dict(betas=(-0.1, 0.9))),
    ("Adafactor", dict(lr=-1)), ("Adafactor", dict(beta2_decay=0.5)),
    ("Adafactor", dict(eps=(-1e-3, 1e-3))), ("Adafactor", dict(eps=(None, -1))),
    ("Adafactor", dict(d=0.5)), ("Adafactor", dict(weight_decay=-0.1)),
    ("SparseAdam", dict(lr=0.0)), ("SparseAdam", dict(eps=0.0)),
    ("SparseAdam", dict(betas=(0.9, 1.0))),
    ("LBFGS", dict(lr=-1)),
]


@pytest.mark.parametrize("name,kwargs", BAD_ARGUMENTS)
def test_bad_arguments_raise_like_pytorch(name, kwargs, torch):
    with pytest.raises(ValueError) as expected:
        getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(2))], **kwargs)
    with pytest.raises(ValueError) as raised:
        getattr(ember.optim, name)([ember.nn.Parameter(ember.ones(2))], **kwargs)
    assert str(raised.value) == str(expected.value)


# ---------------------------------------------------------------------------------- SparseAdam
def _embedding_run(lib, steps=30, set_to_none=True, accumulate=False, **options):
    """Rows of an Embedding(sparse=True) trained by SparseAdam on lookups with repeats, rows
    never looked up, and a padding row (both batches' gradients summed with ``accumulate``)."""
    lib.manual_seed(0)
    embedding = lib.nn.Embedding(10, 3, sparse=True, padding_idx=2).double()
    with lib.no_grad():
        embedding.weight.copy_(lib.from_numpy(np.random.default_rng(0).standard_normal((10, 3))))
    head = lib.nn.Linear(3, 1).double()
    with lib.no_grad():
        head.weight.copy_(lib.from_numpy(np.array([[0.5, -1.0, 2.0]])))
        head.bias.zero_()
    optimizer = lib.optim.SparseAdam(list(embedding.parameters()), lr=0.05, **options)
    batches = [lib.tensor([[0, 1, 1], [2, 4, 1]]), lib.tensor([[5, 5, 5], [0, 2, 8]])]
    history = []
    for step in range(steps):
        optimizer.zero_grad(set_to_none=set_to_none)
        for batch in batches if accumulate else [batches[step % 2]]:
            head(embedding(batch)).pow(2).sum().backward()
        optimizer.step()
        history.append(embedding.weight.detach().numpy().copy())
    return np.array(history), optimizer


@pytest.mark.parametrize("options", [{}, dict(betas=(0.5, 0.9), eps=1e-3), dict(maximize=True),
                                     dict(set_to_none=False), dict(accumulate=True)])
def test_sparse_adam_on_sparse_embedding_matches_pytorch(options, torch):
    ember_history, _ = _embedding_run(ember, **options)
    torch_history, _ = _embedding_run(torch, **options)
    np.testing.assert_allclose(ember_history, torch_history, rtol=1e-10, atol=1e-12)
    untouched = [3, 6, 7, 9]  # never looked up, and the padding row 2, keep their values
    assert (ember_history[:, untouched + [2]] == ember_history[0, untouched + [2]]).all()


def test_sparse_adam_state_dict_and_repr_match_pytorch(torch):
    def layout(lib):
        optimizer = _embedding_run(lib, steps=3)[1]
        state = optimizer.state_dict()
        return ([[(key, _kind(value)) for key, value in s.items()]
                 for s in state["state"].values()], state["param_groups"], repr(optimizer))

    assert layout(ember) == layout(torch)


def test_sparse_adam_on_hand_built_row_gradient_matches_pytorch(torch):
    rng = np.random.default_rng(3)
    weight, values = rng.standard_normal((6, 4)), rng.standard_normal((3, 4))
    rows = np.array([0, 2, 5])
    torch_param = torch.nn.Parameter(torch.from_numpy(weight.copy()))
    ember_param = ember.nn.Parameter(ember.from_numpy(weight.copy()))
    torch_opt = torch.optim.SparseAdam([torch_param], lr=0.1)
    ember_opt = ember.optim.SparseAdam([ember_param], lr=0.1)
    dense = np.zeros((6, 4))
    dense[rows] = values
    for _ in range(5):
        torch_param.grad = torch.sparse_coo_tensor(torch.from_numpy(rows)[None], values, (6, 4),
                                                   check_invariants=True)
        ember_param.grad = ember.from_numpy(dense)
        ember_param.grad._sparse_indices = ember.from_numpy(rows)
        torch_opt.step()
        ember_opt.step()
    np.testing.assert_allclose(ember_param.detach().numpy(), torch_param.detach().numpy(),
                               rtol=1e-12)


def test_sparse_adam_rejects_dense_gradients(torch):
    for lib in (ember, torch):
        linear = lib.nn.Linear(2, 1)
        optimizer = lib.optim.SparseAdam(linear.parameters())
        linear(lib.ones(1, 2)).sum().backward()
        with pytest.raises(RuntimeError, match="SparseAdam does not support dense gradients, "
                                               "please consider Adam instead"):
            optimizer.step()


# --------------------------------------------------------------------------------------- LBFGS
def _lbfgs_maximize_run(lib):
    """L-BFGS ascending the negated loss, ``step`` returning each first loss."""
    model = lib.nn.Linear(3, 1).double()
    with lib.no_grad():
        model.weight.copy_(lib.from_numpy(np.array([[0.3, -0.2, 0.1]])))
        model.bias.zero_()
    rng = np.random.default_rng(2)
    inputs = lib.from_numpy(rng.standard_normal((8, 3)))
    targets = lib.from_numpy(rng.standard_normal((8, 1)))
    optimizer = lib.optim.LBFGS(model.parameters(), max_iter=3, maximize=True,
                                line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = -((model(inputs) - targets) ** 2).mean()
        loss.backward()
        return loss

    losses = [optimizer.step(closure).item() for _ in range(5)]
    return losses, model.weight.detach().numpy().copy()


def test_lbfgs_maximize_matches_pytorch(torch):
    ember_losses, ember_weight = _lbfgs_maximize_run(ember)
    torch_losses, torch_weight = _lbfgs_maximize_run(torch)
    np.testing.assert_allclose(ember_losses, torch_losses, rtol=1e-10)
    np.testing.assert_allclose(ember_weight, torch_weight, rtol=1e-10)


def _square_closure(optimizer, param):
    def closure():
        optimizer.zero_grad()
        loss = (param ** 2).sum()
        loss.backward()
        return loss

    return closure


@pytest.mark.parametrize("lib_name", ["ember", "torch"])
def test_lbfgs_errors(lib_name, torch):
    lib = ember if lib_name == "ember" else torch
    first, second = lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(2))
    with pytest.raises(ValueError, match=r"LBFGS doesn't support per-parameter options "
                                         r"\(parameter groups\)"):
        lib.optim.LBFGS([{"params": [first]}, {"params": [second]}])
    optimizer = lib.optim.LBFGS([first], line_search_fn="backtracking")
    with pytest.raises(TypeError):
        optimizer.step()
    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        optimizer.step(_square_closure(optimizer, first))


def test_lbfgs_stops_at_once_when_the_gradient_is_small():
    param = ember.nn.Parameter(ember.tensor([1e-9, -1e-9], dtype=ember.float64))
    optimizer = ember.optim.LBFGS([param])
    assert optimizer.step(_square_closure(optimizer, param)).item() == pytest.approx(2e-18)
    assert param.tolist() == [1e-9, -1e-9]
    assert optimizer.state[param] == {"func_evals": 1, "n_iter": 0}
