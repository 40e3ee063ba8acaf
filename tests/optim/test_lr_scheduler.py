"""Learning-rate schedulers against PyTorch: the same schedule on the same parameter groups gives
the same learning rates (and momenta) at every one of 100 steps, the same warnings and errors."""

import copy
import gc
import math
import warnings
import weakref

import numpy as np
import pytest

import ember

GROUP_LRS = (0.1, 0.05, 0.3)
STEPS = 100


def _optimizer(lib, kind="SGD"):
    groups = [{"params": [lib.zeros(2, requires_grad=True)], "lr": lr} for lr in GROUP_LRS]
    if kind == "Adam":
        return lib.optim.Adam(groups, betas=(0.9, 0.99))
    if kind == "Adagrad":
        return lib.optim.Adagrad(groups)
    return lib.optim.SGD(groups, momentum=0.9)


class Decay:
    """A callable object: its attributes go into LambdaLR's state_dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate ** epoch


def _sequential(S, opt, *schedulers, milestones):
    return S.SequentialLR(opt, [make(S, opt) for make in schedulers], milestones=milestones)


# name -> (optimizer kind, scheduler factory taking (lr_scheduler module, optimizer))
CONFIGS = {
    "lambda": ("SGD", lambda S, opt: S.LambdaLR(opt, lambda epoch: 0.95 ** epoch)),
    "lambda_per_group": ("SGD", lambda S, opt: S.LambdaLR(
        opt, [lambda e: 1 / (1 + e), Decay(0.9), lambda e: e // 10 + 1])),
    "multiplicative": ("SGD", lambda S, opt: S.MultiplicativeLR(opt, lambda epoch: 0.97)),
    "multiplicative_per_group": ("SGD", lambda S, opt: S.MultiplicativeLR(
        opt, (lambda e: 0.99, lambda e: 1.0 if e % 5 else 0.5, Decay(1.001)))),
    "step": ("SGD", lambda S, opt: S.StepLR(opt, step_size=7)),
    "step_gamma": ("Adam", lambda S, opt: S.StepLR(opt, step_size=30, gamma=0.5)),
    "multistep": ("SGD", lambda S, opt: S.MultiStepLR(opt, [10, 25, 25, 60], gamma=0.3)),
    "constant": ("SGD", lambda S, opt: S.ConstantLR(opt)),
    "constant_factor": ("SGD", lambda S, opt: S.ConstantLR(opt, factor=0.5, total_iters=40)),
    "linear": ("SGD", lambda S, opt: S.LinearLR(opt)),
    "linear_decay": ("SGD", lambda S, opt: S.LinearLR(opt, start_factor=1.0, end_factor=0.05,
                                                      total_iters=80)),
    "linear_to_zero": ("SGD", lambda S, opt: S.LinearLR(opt, start_factor=0.5, end_factor=0.0,
                                                        total_iters=50)),
    "exponential": ("SGD", lambda S, opt: S.ExponentialLR(opt, gamma=0.95)),
    "polynomial": ("SGD", lambda S, opt: S.PolynomialLR(opt)),
    "polynomial_power": ("SGD", lambda S, opt: S.PolynomialLR(opt, total_iters=60, power=2.5)),
    "cosine": ("SGD", lambda S, opt: S.CosineAnnealingLR(opt, T_max=30)),
    "cosine_eta_min": ("SGD", lambda S, opt: S.CosineAnnealingLR(opt, T_max=7, eta_min=0.001)),
    "cosine_long": ("Adam", lambda S, opt: S.CosineAnnealingLR(opt, T_max=100, eta_min=0.01)),
    "warm_restarts": ("SGD", lambda S, opt: S.CosineAnnealingWarmRestarts(opt, T_0=10)),
    "warm_restarts_mult": ("SGD", lambda S, opt: S.CosineAnnealingWarmRestarts(
        opt, T_0=3, T_mult=2, eta_min=0.001)),
    "cyclic": ("SGD", lambda S, opt: S.CyclicLR(opt, base_lr=0.01, max_lr=0.1,
                                                step_size_up=10)),
    "cyclic_triangular2": ("SGD", lambda S, opt: S.CyclicLR(
        opt, base_lr=[0.01, 0.001, 0.02], max_lr=[0.1, 0.05, 0.2], step_size_up=8,
        step_size_down=5, mode="triangular2", base_momentum=[0.7, 0.8, 0.85],
        max_momentum=0.95)),
    "cyclic_exp_range_adam": ("Adam", lambda S, opt: S.CyclicLR(
        opt, base_lr=0.001, max_lr=0.01, step_size_up=6, mode="exp_range", gamma=0.97)),
    "cyclic_scale_fn": ("SGD", lambda S, opt: S.CyclicLR(
        opt, base_lr=0.01, max_lr=0.1, step_size_up=4, scale_mode="iterations",
        scale_fn=lambda x: 0.5 * (1 + math.sin(x * math.pi / 20)))),
    # a scheduler built earlier has set initial_lr: base_lr still rules after the first step
    "cyclic_after_another": ("SGD", lambda S, opt: [S.ExponentialLR(opt, gamma=0.9), S.CyclicLR(
        opt, base_lr=0.01, max_lr=0.1, step_size_up=5)][1]),
    "cyclic_no_momentum": ("Adagrad", lambda S, opt: S.CyclicLR(
        opt, base_lr=0.01, max_lr=0.1, step_size_up=15, cycle_momentum=False)),
    "one_cycle": ("SGD", lambda S, opt: S.OneCycleLR(opt, max_lr=1.0, total_steps=STEPS)),
    "one_cycle_linear_three_phase_adam": ("Adam", lambda S, opt: S.OneCycleLR(
        opt, max_lr=[0.1, 0.2, 0.05], epochs=10, steps_per_epoch=10, pct_start=0.25,
        anneal_strategy="linear", three_phase=True, div_factor=10.0, final_div_factor=100.0)),
    "one_cycle_momentum_lists": ("SGD", lambda S, opt: S.OneCycleLR(
        opt, max_lr=0.5, total_steps=120, base_momentum=[0.8, 0.85, 0.7],
        max_momentum=[0.9, 0.95, 0.99], three_phase=True)),
    "one_cycle_no_momentum": ("Adagrad", lambda S, opt: S.OneCycleLR(
        opt, max_lr=0.5, total_steps=STEPS, cycle_momentum=False, pct_start=0.5)),
    "sequential_warmup_cosine": ("SGD", lambda S, opt: _sequential(
        S, opt, lambda S, o: S.LinearLR(o, start_factor=0.1, total_iters=10),
        lambda S, o: S.CosineAnnealingLR(o, T_max=90), milestones=[10])),
    "sequential_three": ("SGD", lambda S, opt: _sequential(
        S, opt, lambda S, o: S.ConstantLR(o, factor=0.5, total_iters=5),
        lambda S, o: S.ExponentialLR(o, gamma=0.9),
        lambda S, o: S.StepLR(o, step_size=10, gamma=0.5), milestones=[20, 50])),
    "sequential_no_closed_form": ("SGD", lambda S, opt: _sequential(
        S, opt, lambda S, o: S.ExponentialLR(o, gamma=0.95),
        lambda S, o: S.MultiplicativeLR(o, lambda e: 0.9), milestones=[30])),
    "chained": ("SGD", lambda S, opt: S.ChainedScheduler(
        [S.ConstantLR(opt, factor=0.5, total_iters=5), S.ExponentialLR(opt, gamma=0.95)])),
    "chained_three": ("Adam", lambda S, opt: S.ChainedScheduler(
        [S.LinearLR(opt, start_factor=0.2, total_iters=8), S.MultiStepLR(opt, [30, 60]),
         S.CosineAnnealingLR(opt, T_max=50)], optimizer=opt)),
    "chained_with_sequential": ("SGD", lambda S, opt: S.ChainedScheduler([
        _sequential(S, opt, lambda S, o: S.LinearLR(o, start_factor=0.2, total_iters=5),
                    lambda S, o: S.ExponentialLR(o, gamma=0.97), milestones=[5]),
        S.StepLR(opt, step_size=25, gamma=0.5)])),
}


def _momentum(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum", 0.0)


def _record(optimizer, scheduler, extra=()):
    groups = optimizer.param_groups
    return ([group["lr"] for group in groups] + list(scheduler.get_last_lr())
            + [_momentum(group) for group in groups] + list(extra))


def _resumed(lib, config, optimizer, scheduler):
    """A fresh optimizer and scheduler that continue from the state_dicts of the given ones."""
    optimizer_state = copy.deepcopy(optimizer.state_dict())
    scheduler_state = copy.deepcopy(scheduler.state_dict())
    optimizer = _optimizer(lib, config[0])
    scheduler = config[1](lib.optim.lr_scheduler, optimizer)
    optimizer.load_state_dict(optimizer_state)
    scheduler.load_state_dict(scheduler_state)
    return optimizer, scheduler


def _run(lib, config, steps=STEPS, resume_at=None, step_args=None):
    """Learning rates and momenta after construction and after each step, and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizer = _optimizer(lib, config[0])
        scheduler = config[1](lib.optim.lr_scheduler, optimizer)
        trace = [_record(optimizer, scheduler)]
        for step in range(steps):
            if step == resume_at:
                optimizer, scheduler = _resumed(lib, config, optimizer, scheduler)
            optimizer.step()
            scheduler.step(*([] if step_args is None else [step_args[step]]))
            trace.append(_record(optimizer, scheduler))
    return np.array(trace, dtype=float), [str(w.message) for w in caught]


def _assert_same_run(torch, config, **kwargs):
    expected, expected_warnings = _run(torch, config, **kwargs)
    actual, actual_warnings = _run(ember, config, **kwargs)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)
    assert actual_warnings == expected_warnings
    return expected, actual_warnings


@pytest.mark.parametrize("name", CONFIGS)
def test_schedule_matches_pytorch(name, torch):
    expected, caught = _assert_same_run(torch, CONFIGS[name])
    assert caught == []
    assert len(np.unique(expected[:, 0])) > 1  # the schedule does change the learning rate


@pytest.mark.parametrize("name", CONFIGS)
def test_resume_through_state_dict_matches_uninterrupted_pytorch_run(name, torch):
    expected, _ = _run(torch, CONFIGS[name])
    actual, caught = _run(ember, CONFIGS[name], resume_at=37)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)
    assert caught == []


@pytest.mark.parametrize("name", CONFIGS)
def test_state_dict_has_pytorch_public_keys(name, torch):
    def public_keys(lib):
        optimizer = _optimizer(lib, CONFIGS[name][0])
        state = CONFIGS[name][1](lib.optim.lr_scheduler, optimizer).state_dict()
        assert "optimizer" not in state
        return sorted(key for key in state if not key.startswith("_"))

    assert public_keys(ember) == public_keys(torch)


@pytest.mark.parametrize("name", CONFIGS)
def test_step_before_optimizer_step_warns_like_pytorch(name, torch):
    def caught(lib):
        optimizer = _optimizer(lib, CONFIGS[name][0])
        scheduler = CONFIGS[name][1](lib.optim.lr_scheduler, optimizer)
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            scheduler.step()
            optimizer.step()
            scheduler.step()
        return [str(record.message) for record in records]

    assert caught(ember) == caught(torch)


CLOSED_FORMS = ["step", "multistep", "constant_factor", "linear_decay", "exponential",
                "polynomial_power", "cosine_eta_min", "multiplicative", "lambda"]
EPOCHS = [3, 1, 8, 20, 19, 45, 0, 70, 100, 7] * 3


@pytest.mark.parametrize("name", CLOSED_FORMS)
def test_deprecated_step_with_epoch_matches_pytorch(name, torch):
    _, caught = _assert_same_run(torch, CONFIGS[name], steps=len(EPOCHS), step_args=EPOCHS)
    assert len(caught) == len(EPOCHS)
    assert all("The epoch parameter in `scheduler.step()`" in text for text in caught)


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_with_fractional_epochs_matches_pytorch(T_mult, torch):
    epochs = [epoch + batch / 7 for epoch in range(12) for batch in range(7)]
    epochs += [100.25, 2, 0.5, 39.0, 3, 3.999, 4]
    config = ("SGD", lambda S, opt: S.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=T_mult,
                                                                  eta_min=0.01))
    _, caught = _assert_same_run(torch, config, steps=len(epochs), step_args=epochs)
    assert caught == []


def test_schedulers_resumed_with_last_epoch_match_pytorch(torch):
    makers = [lambda S, opt: S.StepLR(opt, step_size=4, gamma=0.5, last_epoch=10),
              lambda S, opt: S.ExponentialLR(opt, gamma=0.9, last_epoch=10),
              lambda S, opt: S.CosineAnnealingLR(opt, T_max=15, last_epoch=10),
              lambda S, opt: S.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2, last_epoch=10),
              lambda S, opt: S.LambdaLR(opt, lambda e: 1 / (e + 1), last_epoch=10)]

    def make(make_scheduler):
        def resumed(S, opt):
            for group in opt.param_groups:
                group["initial_lr"] = 2 * group["lr"]
            return make_scheduler(S, opt)
        return resumed

    for make_scheduler in makers:
        _assert_same_run(torch, ("SGD", make(make_scheduler)), steps=30)


def test_custom_subclass_of_the_base_matches_pytorch(torch):
    def make(S, opt):
        class Halving(S._LRScheduler):
            def get_lr(self):
                return [base_lr * 0.5 ** (self.last_epoch // 3) for base_lr in self.base_lrs]
        return Halving(opt)

    _assert_same_run(torch, ("SGD", make), steps=30)
    assert ember.optim.lr_scheduler._LRScheduler is ember.optim.lr_scheduler.LRScheduler


# ------------------------------------------------------------------------ ReduceLROnPlateau
def _plateau_metrics(count=STEPS):
    """Falls, then plateaus with a little periodic noise."""
    return [max(0.2, 1.0 - 0.05 * i) + 0.01 * ((7 * i) % 5) for i in range(count)]


PLATEAU_CONFIGS = {
    "default": {},
    "patience_cooldown": dict(patience=3, factor=0.5, cooldown=2),
    "abs_threshold": dict(threshold=0.01, threshold_mode="abs", patience=2, factor=0.7),
    "max_mode": dict(mode="max", patience=4, factor=0.5, threshold=0.001),
    "max_abs": dict(mode="max", threshold_mode="abs", threshold=0.005, patience=1, cooldown=3),
    "min_lr_list": dict(patience=1, factor=0.3, min_lr=[0.01, 0.001, 0.05]),
    "large_eps": dict(patience=1, factor=0.5, min_lr=0.02, eps=0.01),
}


def _run_plateau(lib, kwargs, resume_at=None, as_tensor=False):
    optimizer = _optimizer(lib)
    S = lib.optim.lr_scheduler
    scheduler = S.ReduceLROnPlateau(optimizer, **kwargs)
    trace = []
    metrics = _plateau_metrics()
    if kwargs.get("mode") == "max":
        metrics = [2.0 - metric for metric in metrics]
    for step, metric in enumerate(metrics):
        if step == resume_at:
            state = copy.deepcopy(scheduler.state_dict())
            scheduler = S.ReduceLROnPlateau(optimizer, **kwargs)
            scheduler.load_state_dict(state)
        optimizer.step()
        scheduler.step(lib.tensor(metric) if as_tensor else metric)
        trace.append(_record(optimizer, scheduler, (scheduler.best, scheduler.num_bad_epochs,
                                                    scheduler.cooldown_counter)))
    return np.array(trace, dtype=float)


@pytest.mark.parametrize("name", PLATEAU_CONFIGS)
def test_reduce_on_plateau_matches_pytorch(name, torch):
    expected = _run_plateau(torch, PLATEAU_CONFIGS[name])
    assert len(np.unique(expected[:, 0])) > 2  # it did reduce, more than once
    np.testing.assert_allclose(_run_plateau(ember, PLATEAU_CONFIGS[name]), expected, rtol=1e-12)
    np.testing.assert_allclose(_run_plateau(ember, PLATEAU_CONFIGS[name], resume_at=41),
                               expected, rtol=1e-12)


def test_reduce_on_plateau_takes_tensor_metrics_and_state_dict(torch):
    kwargs = PLATEAU_CONFIGS["patience_cooldown"]
    np.testing.assert_allclose(_run_plateau(ember, kwargs, as_tensor=True),
                               _run_plateau(torch, kwargs, as_tensor=True), rtol=1e-12)
    states = [lib.optim.lr_scheduler.ReduceLROnPlateau(_optimizer(lib), **kwargs).state_dict()
              for lib in (ember, torch)]
    assert states[0] == states[1]


# ------------------------------------------------------------------ state_dict of callables
def test_callable_objects_are_saved_and_lambdas_are_not(torch):
    def state(lib):
        optimizer = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.LambdaLR(
            optimizer, [Decay(0.9), lambda e: 1.0, Decay(0.5)])
        return scheduler.state_dict()["lr_lambdas"]

    assert state(ember) == state(torch) == [{"rate": 0.9}, None, {"rate": 0.5}]
    optimizer = _optimizer(ember)
    decays = [Decay(0.1), Decay(0.2), Decay(0.3)]
    scheduler = ember.optim.lr_scheduler.MultiplicativeLR(optimizer, decays)
    scheduler.load_state_dict({**scheduler.state_dict(),
                               "lr_lambdas": [{"rate": 0.7}, None, {"rate": 0.8}]})
    assert [decay.rate for decay in decays] == [0.7, 0.2, 0.8]


def test_cyclic_custom_scale_fn_object_is_saved(torch):
    class Scale:
        def __init__(self):
            self.power = 0.9

        def __call__(self, x):
            return self.power ** x

    def state(lib, scale_fn):
        optimizer = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.CyclicLR(optimizer, 0.01, 0.1, scale_fn=scale_fn)
        return scheduler, scheduler.state_dict()["_scale_fn_custom"]

    assert state(ember, Scale())[1] == state(torch, Scale())[1] == {"power": 0.9}
    assert state(ember, lambda x: 1.0)[1] is None
    scheduler, saved = state(ember, Scale())
    scheduler.load_state_dict({**scheduler.state_dict(), "_scale_fn_custom": {"power": 0.5}})
    assert scheduler.scale_fn(2) == 0.25


# -------------------------------------------------------------------------------- warnings
def test_step_order_warning():
    optimizer = _optimizer(ember)
    scheduler = ember.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before "
                                         r"`optimizer.step\(\)`"):
        scheduler.step()
    optimizer = _optimizer(ember)
    scheduler = ember.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    optimizer.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()


def test_overridden_optimizer_step_warns():
    optimizer = _optimizer(ember)
    scheduler = ember.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
    optimizer.step = lambda closure=None: None
    with pytest.warns(UserWarning, match=r"Seems like `optimizer.step\(\)` has been overridden"):
        scheduler.step()


def test_optimizer_step_is_wrapped_once_and_still_works():
    optimizer = _optimizer(ember)
    S = ember.optim.lr_scheduler
    S.StepLR(optimizer, step_size=3)
    wrapped = optimizer.step
    S.ExponentialLR(optimizer, gamma=0.9)
    assert optimizer.step is wrapped
    assert optimizer.step(lambda: 3.0) == 3.0
    owner = weakref.ref(optimizer)
    del optimizer, wrapped
    gc.collect()
    assert owner() is None


def test_get_lr_outside_step_warns():
    scheduler = ember.optim.lr_scheduler.StepLR(_optimizer(ember), step_size=3)
    with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
        scheduler.get_lr()


# ------------------------------------------------------------------------------ bad input
def _step_one_cycle(lib, optimizer, steps=11):
    scheduler = lib.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10)
    for _ in range(steps):
        optimizer.step()
        scheduler.step()


def _plateau_after_new_group(lib, optimizer):
    scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0,
                                                         min_lr=[0.0] * len(GROUP_LRS))
    optimizer.add_param_group({"params": [lib.zeros(1, requires_grad=True)]})
    for _ in range(3):
        scheduler.step(1.0)


def _step_to(lib, optimizer, epoch):
    lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2).step(epoch)


# name -> fn(lib, lr_scheduler module, optimizer)
BAD_ARGUMENTS = {
    "not_an_optimizer": lambda lib, S, opt: S.StepLR(object(), step_size=3),
    "resume_without_initial_lr": lambda lib, S, opt: S.StepLR(opt, step_size=3, last_epoch=4),
    "lambda_count": lambda lib, S, opt: S.LambdaLR(opt, [lambda e: 1.0] * 2),
    "multiplicative_count": lambda lib, S, opt: S.MultiplicativeLR(opt, (lambda e: 1.0,)),
    "multiplicative_not_callable": lambda lib, S, opt: S.MultiplicativeLR(opt, 0.9),
    "constant_factor": lambda lib, S, opt: S.ConstantLR(opt, factor=1.5),
    "linear_start_factor": lambda lib, S, opt: S.LinearLR(opt, start_factor=0),
    "linear_end_factor": lambda lib, S, opt: S.LinearLR(opt, end_factor=-0.1),
    "sequential_empty": lambda lib, S, opt: S.SequentialLR(opt, [], milestones=[]),
    "sequential_milestones": lambda lib, S, opt: S.SequentialLR(
        opt, [S.StepLR(opt, 3), S.ExponentialLR(opt, 0.9)], milestones=[]),
    "sequential_plateau": lambda lib, S, opt: S.SequentialLR(
        opt, [S.StepLR(opt, 3), S.ReduceLROnPlateau(opt)], milestones=[4]),
    "sequential_not_a_scheduler": lambda lib, S, opt: S.SequentialLR(opt, [object()], []),
    "chained_empty": lambda lib, S, opt: S.ChainedScheduler([]),
    "chained_plateau": lambda lib, S, opt: S.ChainedScheduler([S.ReduceLROnPlateau(opt)]),
    "plateau_factor": lambda lib, S, opt: S.ReduceLROnPlateau(opt, factor=1.0),
    "plateau_mode": lambda lib, S, opt: S.ReduceLROnPlateau(opt, mode="average"),
    "plateau_threshold_mode": lambda lib, S, opt: S.ReduceLROnPlateau(opt,
                                                                      threshold_mode="ratio"),
    "plateau_min_lr": lambda lib, S, opt: S.ReduceLROnPlateau(opt, min_lr=[0.1, 0.2]),
    "plateau_not_an_optimizer": lambda lib, S, opt: S.ReduceLROnPlateau(None),
    "plateau_new_group": lambda lib, S, opt: _plateau_after_new_group(lib, opt),
    "cyclic_mode": lambda lib, S, opt: S.CyclicLR(opt, 0.01, 0.1, mode="sawtooth"),
    "cyclic_base_lr": lambda lib, S, opt: S.CyclicLR(opt, [0.01, 0.02], 0.1),
    "cyclic_max_momentum": lambda lib, S, opt: S.CyclicLR(opt, 0.01, 0.1, max_momentum=[0.9]),
    # a scheduler built earlier has set initial_lr: base_lr still rules after the first step
    "cyclic_after_another": ("SGD", lambda S, opt: [S.ExponentialLR(opt, gamma=0.9), S.CyclicLR(
        opt, base_lr=0.01, max_lr=0.1, step_size_up=5)][1]),
    "cyclic_no_momentum": lambda lib, S, opt: S.CyclicLR(_optimizer(lib, "Adagrad"), 0.01, 0.1),
    "one_cycle_no_length": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, epochs=3),
    "one_cycle_total_steps": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, total_steps=0),
    "one_cycle_float_total_steps": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, total_steps=2.5),
    "one_cycle_epochs": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, epochs=0, steps_per_epoch=4),
    "one_cycle_steps_per_epoch": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, epochs=2,
                                                                  steps_per_epoch=1.5),
    "one_cycle_pct_start": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, 10, pct_start=1.5),
    "one_cycle_int_pct_start": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, 10, pct_start=1),
    "one_cycle_anneal": lambda lib, S, opt: S.OneCycleLR(opt, 0.1, 10, anneal_strategy="cosine"),
    "one_cycle_max_lr": lambda lib, S, opt: S.OneCycleLR(opt, [0.1], 10),
    "one_cycle_no_momentum": lambda lib, S, opt: S.OneCycleLR(_optimizer(lib, "Adagrad"), 0.1,
                                                              10),
    "one_cycle_too_many_steps": lambda lib, S, opt: _step_one_cycle(lib, opt),
    "warm_restarts_T_0": lambda lib, S, opt: S.CosineAnnealingWarmRestarts(opt, T_0=0),
    "warm_restarts_float_T_0": lambda lib, S, opt: S.CosineAnnealingWarmRestarts(opt, T_0=2.0),
    "warm_restarts_T_mult": lambda lib, S, opt: S.CosineAnnealingWarmRestarts(opt, 2, T_mult=0),
    "warm_restarts_float_T_mult": lambda lib, S, opt: S.CosineAnnealingWarmRestarts(
        opt, 2, T_mult=1.5),
    "warm_restarts_eta_min": lambda lib, S, opt: S.CosineAnnealingWarmRestarts(opt, 2,
                                                                               eta_min="0"),
    "warm_restarts_negative_epoch": lambda lib, S, opt: _step_to(lib, opt, -1),
}


def _raised(lib, case):
    with pytest.raises(Exception) as info:
        case(lib, lib.optim.lr_scheduler, _optimizer(lib))
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name", BAD_ARGUMENTS)
def test_bad_arguments_raise_like_pytorch(name, torch):
    assert _raised(ember, BAD_ARGUMENTS[name]) == _raised(torch, BAD_ARGUMENTS[name])


def test_one_cycle_allows_exactly_total_steps():
    _step_one_cycle(ember, _optimizer(ember), steps=10)
    with pytest.raises(ValueError, match="Tried to step 11 times. The specified number of "
                                         "total steps is 10"):
        _step_one_cycle(ember, _optimizer(ember), steps=11)


@pytest.mark.parametrize("composer", ["SequentialLR", "ChainedScheduler"])
def test_composed_schedulers_of_another_optimizer_are_rejected(composer, torch):
    for lib in (ember, torch):
        S, first, other = lib.optim.lr_scheduler, _optimizer(lib), _optimizer(lib)
        schedulers = [S.StepLR(first, 3), S.StepLR(other, 3)]
        with pytest.raises(ValueError, match=f"{composer} expects all schedulers to belong to "
                                             "the same optimizer, but got scheduler StepLR at "
                                             "index 1 has SGD"):
            if composer == "SequentialLR":
                S.SequentialLR(first, schedulers, milestones=[2])
            else:
                S.ChainedScheduler(schedulers)
