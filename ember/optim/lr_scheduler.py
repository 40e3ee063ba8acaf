"""``optim.lr_scheduler``: schedules that set each parameter group's ``lr`` (and, for the cyclic
schedules, its momentum) as training goes on, with PyTorch's step and state_dict contract."""

import math
import types
import warnings
import weakref
from bisect import bisect_right
from collections import Counter
from functools import wraps

from ember.optim.optimizer import Optimizer

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "SequentialLR", "CosineAnnealingLR", "ChainedScheduler",
           "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
           "PolynomialLR", "LRScheduler"]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)

_ORDER_URL = "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"


def _check_optimizer(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def _group_values(optimizer, key):
    return [group[key] for group in optimizer.param_groups]


def _per_group(name, optimizer, value):
    """``value`` for every parameter group: a scalar is repeated, a list must have one entry
    per group."""
    count = len(optimizer.param_groups)
    if not isinstance(value, (list, tuple)):
        return [value] * count
    if len(value) != count:
        raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                         f"{name} has {len(value)} values, param_groups has {count}.")
    return list(value)


def _set_initial_lrs(optimizer, last_epoch):
    """Records each group's starting ``lr`` as ``initial_lr``; a resumed schedule needs them."""
    for index, group in enumerate(optimizer.param_groups):
        if last_epoch == -1:
            group.setdefault("initial_lr", group["lr"])
        elif "initial_lr" not in group:
            raise KeyError(
                f"param 'initial_lr' is not specified in param_groups[{index}] when resuming "
                "scheduler with last_epoch >= 0.\nThis typically happens when:\n"
                "1. You're trying to resume training from a checkpoint but haven't properly "
                "loaded the optimizer state\n"
                "2. You're using last_epoch >= 0 for a fresh training run (not recommended)")


def _record_optimizer_steps(optimizer):
    """Wraps ``optimizer.step`` (once per optimizer) so it leaves ``_opt_called`` behind."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    step = optimizer.step.__func__
    owner_ref = weakref.ref(optimizer)  # a strong reference would tie the optimizer in a cycle

    @wraps(step)
    def recorded_step(*args, **kwargs):
        owner = owner_ref()
        owner._opt_called = True
        return step(owner, *args, **kwargs)

    recorded_step._wrapped_by_lr_sched = True
    optimizer.step = recorded_step


def _warn_step_order(optimizer):
    if not hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        warnings.warn("Seems like `optimizer.step()` has been overridden after learning rate "
                      "scheduler initialization. Please, make sure to call `optimizer.step()` "
                      f"before `lr_scheduler.step()`. See more details at {_ORDER_URL}",
                      UserWarning, stacklevel=3)
    elif not getattr(optimizer, "_opt_called", False):
        warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In "
                      "PyTorch 1.1.0 and later, you should call them in the opposite order: "
                      "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
                      "will result in PyTorch skipping the first value of the learning rate "
                      f"schedule. See more details at {_ORDER_URL}", UserWarning, stacklevel=3)


class LRScheduler:
    r"""Base class of the learning-rate schedulers; a subclass computes the next learning rates
    in :meth:`get_lr`, usually from the current ones (so schedulers can be chained).

    Constructing a scheduler sets every group's ``initial_lr`` and takes the step to epoch 0.

    Args:
        optimizer: the optimizer whose groups' learning rates are scheduled
        last_epoch: index of the last epoch; ``-1`` starts the schedule, other values resume
            it and need ``initial_lr`` in every group. Default: -1
    """

    _get_lr_called_within_step = False
    _is_initial = False

    def __init__(self, optimizer, last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        _set_initial_lrs(optimizer, last_epoch)
        self.base_lrs = _group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _record_optimizer_steps(optimizer)
        self._initial_step()

    def _initial_step(self):
        """Resets the step count and takes the step that sets the epoch-0 learning rates."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self):
        """The scheduler's state: every attribute except the optimizer."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        """Restores a state returned by :meth:`state_dict`."""
        self.__dict__.update(state_dict)

    def get_last_lr(self):
        """The learning rates of the groups after the latest step."""
        return self._last_lr

    def get_lr(self):
        """The learning rates of the next step (called by :meth:`step`)."""
        raise NotImplementedError

    def _warn_unless_stepping(self):
        if not self._get_lr_called_within_step:
            warnings.warn("To get the last learning rate computed by the scheduler, please use "
                          "`get_last_lr()`.", UserWarning, stacklevel=3)

    def step(self, epoch=None):
        """Moves the schedule one epoch on; call it after ``optimizer.step()``.

        ``epoch`` (deprecated) jumps to that epoch, through the closed form where there is one.
        """
        if self._step_count == 1:
            _warn_step_order(self.optimizer)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        if epoch is None:
            self.last_epoch += 1
            self._apply_lrs(self.get_lr)
        else:
            self.last_epoch = epoch
            self._apply_lrs(getattr(self, "_get_closed_form_lr", self.get_lr))

    def _apply_lrs(self, compute):
        """Writes ``compute()``'s learning rates into the groups."""
        self._get_lr_called_within_step = True
        try:
            lrs = compute()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = _group_values(self.optimizer, "lr")


_LRScheduler = LRScheduler


def _lambdas_per_group(optimizer, lr_lambda):
    count = len(optimizer.param_groups)
    if not isinstance(lr_lambda, (list, tuple)):
        return [lr_lambda] * count
    if len(lr_lambda) != count:
        raise ValueError(f"Expected {count} lr_lambdas, but got {len(lr_lambda)}")
    return list(lr_lambda)


class _FunctionScheduler(LRScheduler):
    """A schedule given by one function of the epoch per group. Its state_dict keeps the
    attributes of callable objects; plain functions and lambdas are not saved."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        self.lr_lambdas = _lambdas_per_group(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def state_dict(self):
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
                               for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved_lambdas = state.pop("lr_lambdas")
        self.__dict__.update(state)
        for fn, saved in zip(self.lr_lambdas, saved_lambdas):
            if saved is not None:
                fn.__dict__.update(saved)


class LambdaLR(_FunctionScheduler):
    r"""Sets each group's learning rate to its initial one times ``lr_lambda(epoch)``.

    Args:
        optimizer: wrapped optimizer
        lr_lambda: function of the epoch giving the factor, or a list with one per group
        last_epoch: index of the last epoch. Default: -1

    Examples::
        >>> scheduler = LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
    """

    def get_lr(self):
        self._warn_unless_stepping()
        return [base_lr * fn(self.last_epoch) for fn, base_lr in zip(self.lr_lambdas,
                                                                      self.base_lrs)]


class MultiplicativeLR(_FunctionScheduler):
    r"""Multiplies each group's learning rate by ``lr_lambda(epoch)`` at every step.

    Args:
        optimizer: wrapped optimizer
        lr_lambda: function of the epoch giving the factor, or a list with one per group
        last_epoch: index of the last epoch. Default: -1

    Examples::
        >>> scheduler = MultiplicativeLR(optimizer, lr_lambda=lambda epoch: 0.95)
    """

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        for fn in _lambdas_per_group(optimizer, lr_lambda):
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, lr_lambda, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self._is_initial:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * fn(self.last_epoch)
                for fn, group in zip(self.lr_lambdas, self.optimizer.param_groups)]


class StepLR(LRScheduler):
    r"""Multiplies each group's learning rate by ``gamma`` every ``step_size`` epochs.

    Args:
        optimizer: wrapped optimizer
        step_size: period of the decay, in epochs
        gamma: multiplicative factor of the decay. Default: 0.1
        last_epoch: index of the last epoch. Default: -1

    Examples::
        >>> scheduler = StepLR(optimizer, step_size=30, gamma=0.1)  # 0.05, then 0.005 at 30, ...
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size)
                for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    r"""Multiplies each group's learning rate by ``gamma`` at each milestone epoch.

    Args:
        optimizer: wrapped optimizer
        milestones: epoch indices (a repeated milestone decays once per occurrence)
        gamma: multiplicative factor of the decay. Default: 0.1
        last_epoch: index of the last epoch. Default: -1

    Examples::
        >>> scheduler = MultiStepLR(optimizer, milestones=[30, 80], gamma=0.1)
    """

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self.last_epoch not in self.milestones:
            return _group_values(self.optimizer, "lr")
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [group["lr"] * factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        passed = bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base_lr * self.gamma ** passed for base_lr in self.base_lrs]


class ConstantLR(LRScheduler):
    r"""Multiplies each group's learning rate by ``factor`` for the first ``total_iters``
    epochs, then restores it.

    Args:
        optimizer: wrapped optimizer
        factor: the factor, in [0, 1]. Default: 1/3
        total_iters: number of epochs with the reduced learning rate. Default: 5
        last_epoch: index of the last epoch. Default: -1
    """

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in self.optimizer.param_groups]
        if self.last_epoch != self.total_iters:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * (1.0 / self.factor) for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        factor = self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor)
        return [base_lr * factor for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    r"""Scales each group's learning rate by a factor going linearly from ``start_factor`` to
    ``end_factor`` over ``total_iters`` epochs.

    Args:
        optimizer: wrapped optimizer
        start_factor: factor at epoch 0, in (0, 1]. Default: 1/3
        end_factor: factor from epoch ``total_iters`` on, in [0, 1]. Default: 1
        total_iters: length of the ramp in epochs. Default: 5
        last_epoch: index of the last epoch. Default: -1

    Examples::
        >>> scheduler = LinearLR(optimizer, start_factor=0.1, total_iters=10)  # warm-up
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and "
                             "less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in self.optimizer.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return _group_values(self.optimizer, "lr")
        slope = self.end_factor - self.start_factor
        # ratio of the factors at this epoch and the previous one
        factor = 1.0 + slope / (self.total_iters * self.start_factor
                                + (self.last_epoch - 1) * slope)
        return [group["lr"] * factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        progress = min(self.total_iters, self.last_epoch) / self.total_iters
        factor = self.start_factor + (self.end_factor - self.start_factor) * progress
        return [base_lr * factor for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    r"""Multiplies each group's learning rate by ``gamma`` every epoch.

    Args:
        optimizer: wrapped optimizer
        gamma: multiplicative factor of the decay
        last_epoch: index of the last epoch. Default: -1
    """

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self._is_initial:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class PolynomialLR(LRScheduler):
    r"""Decays each group's learning rate as :math:`(1 - t / T)^{power}` over ``total_iters``
    epochs, then keeps it.

    Args:
        optimizer: wrapped optimizer
        total_iters: number of decaying epochs :math:`T`. Default: 5
        power: power of the polynomial. Default: 1
        last_epoch: index of the last epoch. Default: -1
    """

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        if self._is_initial or self.last_epoch > self.total_iters:
            return _group_values(self.optimizer, "lr")
        factor = ((1.0 - self.last_epoch / self.total_iters)
                  / (1.0 - (self.last_epoch - 1) / self.total_iters)) ** self.power
        return [group["lr"] * factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        factor = (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
        return [base_lr * factor for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    r"""Anneals each group's learning rate along a cosine from its initial value to
    ``eta_min`` in ``T_max`` epochs (and back up in the next ``T_max``):

    .. math::
        \eta_t = \eta_{min} + \tfrac{1}{2}(\eta_{max} - \eta_{min})
            \left(1 + \cos\left(\tfrac{t}{T_{max}}\pi\right)\right)

    Args:
        optimizer: wrapped optimizer
        T_max: half period in epochs
        eta_min: minimum learning rate. Default: 0
        last_epoch: index of the last epoch. Default: -1
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        groups = self.optimizer.param_groups
        if self._is_initial:
            return _group_values(self.optimizer, "lr")
        if (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            # leaving the minimum, where the ratio of the cosine terms below is 0/0
            rise = (1 - math.cos(math.pi / self.T_max)) / 2
            return [group["lr"] + (base_lr - self.eta_min) * rise
                    for base_lr, group in zip(self.base_lrs, groups)]
        ratio = ((1 + math.cos(math.pi * self.last_epoch / self.T_max))
                 / (1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max)))
        return [ratio * (group["lr"] - self.eta_min) + self.eta_min for group in groups]

    def _get_closed_form_lr(self):
        cosine = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return [self.eta_min + (base_lr - self.eta_min) * cosine / 2 for base_lr in self.base_lrs]


def _check_schedulers(composer, optimizer, schedulers):
    name = type(composer).__name__
    for index, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(f"{name} at index {index} should have `optimizer` as its attribute.")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(f"{name} does not support `ReduceLROnPlateau` scheduler as it "
                             "requires additional kwargs to be specified when calling `step`, "
                             f"but got one at index {index} in the given schedulers sequence.")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{name} expects all schedulers to belong to the same optimizer, "
                             f"but got scheduler {type(scheduler).__name__} at index {index} "
                             f"has {scheduler.optimizer}, which is different from "
                             f"{type(optimizer).__name__}.")


def _undo_initial_steps(scheduler):
    """Moves every scheduler inside ``scheduler`` one epoch back."""
    if hasattr(scheduler, "_schedulers"):
        for inner in scheduler._schedulers:
            _undo_initial_steps(inner)
    elif hasattr(scheduler, "last_epoch"):
        scheduler.last_epoch -= 1


class _Composition(LRScheduler):
    """A scheduler made of others; its state_dict nests theirs."""

    def state_dict(self):
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved_schedulers = state.pop("_schedulers")
        self.__dict__.update(state)
        for scheduler, saved in zip(self._schedulers, saved_schedulers):
            scheduler.load_state_dict(saved)


class SequentialLR(_Composition):
    r"""Runs ``schedulers`` one after the other, switching at each milestone epoch; each starts
    its schedule anew from the groups' initial learning rates.

    Args:
        optimizer: wrapped optimizer
        schedulers: the schedulers, in order
        milestones: the epochs at which the next scheduler takes over (one fewer than
            ``schedulers``)
        last_epoch: index of the last epoch. Default: -1

    Examples::
        >>> warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5)
        >>> decay = ExponentialLR(optimizer, gamma=0.9)
        >>> scheduler = SequentialLR(optimizer, [warmup, decay], milestones=[5])
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        if len(schedulers) < 1:
            raise ValueError(f"{type(self).__name__} expects at least one scheduler, but got no "
                             "scheduler.")
        _check_schedulers(self, optimizer, schedulers)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be "
                             "one more than the number of milestone points, but got number of "
                             f"schedulers {len(schedulers)} and the number of milestones to be "
                             f"equal to {len(milestones)}")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # building the schedulers stepped them all; start again from the first one's epoch 0
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        _undo_initial_steps(self)
        first = schedulers[bisect_right(milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self):
        """Moves the active scheduler one epoch on, or starts the next one at a milestone."""
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_Composition):
    r"""Steps all ``schedulers`` at every step, so their (chainable) changes compose.

    Args:
        schedulers: the schedulers to chain
        optimizer: wrapped optimizer. Default: that of ``schedulers[0]``

    Examples::
        >>> scheduler = ChainedScheduler([ConstantLR(optimizer, factor=0.5, total_iters=4),
        ...                               ExponentialLR(optimizer, gamma=0.9)])
    """

    def __init__(self, schedulers, optimizer=None):
        if len(schedulers) < 1:
            raise ValueError(f"{type(self).__name__} expects at least one scheduler to be "
                             "chained, but got no scheduler.")
        optimizer = optimizer or schedulers[0].optimizer
        _check_schedulers(self, optimizer, schedulers)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = _group_values(schedulers[-1].optimizer, "lr")

    def step(self):
        """Steps every chained scheduler."""
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = _group_values(self._schedulers[-1].optimizer, "lr")


class ReduceLROnPlateau(LRScheduler):
    r"""Multiplies each group's learning rate by ``factor`` when a metric has stopped
    improving for more than ``patience`` epochs.

    Args:
        optimizer: wrapped optimizer
        mode: ``'min'`` (the metric should decrease) or ``'max'``. Default: ``'min'``
        factor: multiplicative factor of the reduction, < 1. Default: 0.1
        patience: number of epochs without improvement tolerated. Default: 10
        threshold: smallest change counted as an improvement. Default: 1e-4
        threshold_mode: ``'rel'`` (relative to the best value) or ``'abs'``. Default: ``'rel'``
        cooldown: epochs to wait after a reduction before counting again. Default: 0
        min_lr: lower bound of the learning rate, or a list with one per group. Default: 0
        eps: reductions smaller than this are skipped. Default: 1e-8

    Examples::
        >>> scheduler = ReduceLROnPlateau(optimizer, mode="min", patience=5)
        >>> scheduler.step(validation_loss)
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = factor
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(f"expected {len(optimizer.param_groups)} min_lrs, "
                                 f"got {len(min_lr)}")
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = _group_values(optimizer, "lr")
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode} is unknown!")
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self._reset()

    def _reset(self):
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def step(self, metrics, epoch=None):
        """Records the epoch's ``metrics`` and reduces the learning rates after a plateau."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = _group_values(self.optimizer, "lr")

    def _is_better(self, current, best):
        if self.threshold_mode == "rel":
            margin = 1.0 - self.threshold if self.mode == "min" else self.threshold + 1.0
            bound = best * margin
        else:
            bound = best - self.threshold if self.mode == "min" else best + self.threshold
        return current < bound if self.mode == "min" else current > bound

    def _reduce_lr(self):
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs "
                    f"from when `ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), "
                    "usually due to a new param group being added to the optimizer. Please "
                    "modify the `min_lrs` field to match the length of the `optimizer` param "
                    "groups.")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr


def _set_momentums(optimizer, momentums, use_beta1):
    """Writes the cycled momentum into ``momentum``, or into ``betas[0]`` for Adam-like
    optimizers."""
    for group, momentum in zip(optimizer.param_groups, momentums):
        if use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum


def _init_cycled_momentum(optimizer, base_momentum, max_momentum, last_epoch):
    """Checks that ``optimizer`` has a momentum to cycle, starts it at ``max_momentum`` and
    returns ``(use_beta1, base_momentums, max_momentums)``."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` "
                         "option enabled")
    use_beta1 = "betas" in optimizer.defaults
    base_momentums = _per_group("base_momentum", optimizer, base_momentum)
    max_momentums = _per_group("max_momentum", optimizer, max_momentum)
    if last_epoch == -1:
        _set_momentums(optimizer, max_momentums, use_beta1)
        for group, base, top in zip(optimizer.param_groups, base_momentums, max_momentums):
            group["max_momentum"] = top
            group["base_momentum"] = base
    return use_beta1, base_momentums, max_momentums


class CyclicLR(LRScheduler):
    r"""Cycles each group's learning rate between ``base_lr`` and ``max_lr`` (and the momentum
    inversely, between ``max_momentum`` and ``base_momentum``), stepped after every batch.

    Args:
        optimizer: wrapped optimizer
        base_lr: lower learning rate of the cycle, or a list with one per group
        max_lr: upper learning rate of the cycle, or a list with one per group
        step_size_up: iterations of the rising half. Default: 2000
        step_size_down: iterations of the falling half. Default: ``step_size_up``
        mode: ``'triangular'``, ``'triangular2'`` (amplitude halved every cycle) or
            ``'exp_range'`` (amplitude times ``gamma ** iteration``). Default: ``'triangular'``
        gamma: base of ``'exp_range'``. Default: 1
        scale_fn: custom amplitude scale, replacing ``mode``. Default: None
        scale_mode: whether ``scale_fn`` takes the ``'cycle'`` number or the
            ``'iterations'``. Default: ``'cycle'``
        cycle_momentum: cycle the momentum (or Adam's ``beta1``) too. Default: True
        base_momentum: lower momentum, or a list with one per group. Default: 0.8
        max_momentum: upper momentum, or a list with one per group. Default: 0.9
        last_epoch: index of the last batch. Default: -1
    """

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        base_lrs = _per_group("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, base_lrs):
                group["lr"] = lr
        self.max_lrs = _per_group("max_lr", optimizer, max_lr)
        step_size_up = float(step_size_up)
        step_size_down = step_size_up if step_size_down is None else float(step_size_down)
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        if scale_fn is None:
            scale_mode = "iterations" if mode == "exp_range" else "cycle"
        self.scale_mode = scale_mode
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1, self.base_momentums, self.max_momentums = _init_cycled_momentum(
                optimizer, base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x):
        """The amplitude scale at ``x``, a cycle number or an iteration (``scale_mode``)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def get_lr(self):
        self._warn_unless_stepping()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base_lr + (max_lr - base_lr) * height * scale
               for base_lr, max_lr in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            momentums = [top - (top - base) * height * scale
                         for base, top in zip(self.base_momentums, self.max_momentums)]
            _set_momentums(self.optimizer, momentums, self.use_beta1)
        return lrs

    def state_dict(self):
        """The scheduler's state; a custom ``scale_fn`` is saved only if it is a callable object
        (its attributes), not a function."""
        state = super().state_dict()
        fn = self._scale_fn_custom
        state["_scale_fn_custom"] = (None if fn is None or isinstance(fn, types.FunctionType)
                                     else fn.__dict__.copy())
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved_fn = state.pop("_scale_fn_custom")
        super().load_state_dict(state)
        if saved_fn is not None:
            self._scale_fn_custom.__dict__.update(saved_fn)


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""Cosine annealing from each group's initial learning rate to ``eta_min``, restarted
    after ``T_0`` epochs, then after periods growing by ``T_mult``. :meth:`step` accepts
    fractional epochs (``scheduler.step(epoch + batch / batches)``).

    Args:
        optimizer: wrapped optimizer
        T_0: epochs until the first restart
        T_mult: growth factor of the period after each restart. Default: 1
        eta_min: minimum learning rate. Default: 0
        last_epoch: index of the last epoch. Default: -1
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type "
                             f"{type(eta_min)}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_unless_stepping()
        cosine = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (base_lr - self.eta_min) * cosine / 2 for base_lr in self.base_lrs]

    def step(self, epoch=None):
        """Moves one epoch on, or to ``epoch`` (which may be fractional)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            self._seek(epoch)
        self.last_epoch = math.floor(epoch)
        self._apply_lrs(self.get_lr)

    def _seek(self, epoch):
        """Sets the position ``T_cur`` in the period ``T_i`` that contains ``epoch``."""
        if epoch < 0:
            raise ValueError(f"Expected non-negative epoch, but got {epoch}")
        if epoch < self.T_0:
            self.T_i = self.T_0
            self.T_cur = epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:
            # restarts so far: the n with T_0 (T_mult^n - 1) / (T_mult - 1) <= epoch
            n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
            self.T_cur = epoch - self.T_0 * (self.T_mult ** n - 1) / (self.T_mult - 1)
            self.T_i = self.T_0 * self.T_mult ** n


def _positive_int(name, value):
    if not isinstance(value, int) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value}")
    return value


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy: each group's learning rate rises from ``max_lr / div_factor`` to
    ``max_lr``, then anneals to ``max_lr / (div_factor * final_div_factor)``, while the
    momentum moves inversely; stepped after every batch, ``total_steps`` times at most.

    Args:
        optimizer: wrapped optimizer
        max_lr: peak learning rate, or a list with one per group
        total_steps: number of steps of the cycle. Default: ``epochs * steps_per_epoch``
        epochs: number of epochs (with ``steps_per_epoch``). Default: None
        steps_per_epoch: number of steps per epoch. Default: None
        pct_start: fraction of the cycle spent rising. Default: 0.3
        anneal_strategy: ``'cos'`` or ``'linear'``. Default: ``'cos'``
        cycle_momentum: cycle the momentum (or Adam's ``beta1``) too. Default: True
        base_momentum: lower momentum, or a list with one per group. Default: 0.85
        max_momentum: upper momentum, or a list with one per group. Default: 0.95
        div_factor: initial learning rate is ``max_lr / div_factor``. Default: 25
        final_div_factor: final learning rate is the initial one over this. Default: 1e4
        three_phase: come back down to the initial learning rate before the final anneal
            (symmetric warm-up and cool-down). Default: False
        last_epoch: index of the last batch. Default: -1

    Examples::
        >>> scheduler = OneCycleLR(optimizer, max_lr=0.01, steps_per_epoch=len(loader), epochs=10)
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            self.total_steps = _positive_int("total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = (_positive_int("epochs", epochs)
                                * _positive_int("steps_per_epoch", steps_per_epoch))
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        self._schedule_phases = self._phases(pct_start, three_phase)
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self._anneal_func_type = anneal_strategy
        max_lrs = _per_group("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, top in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1, _, _ = _init_cycled_momentum(optimizer, base_momentum,
                                                         max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)

    def _phases(self, pct_start, three_phase):
        """Each phase goes from the group values named ``start_*`` to ``end_*``, ending at
        ``end_step``."""
        def phase(end_step, lrs, momentums):
            return {"end_step": end_step, "start_lr": lrs[0], "end_lr": lrs[1],
                    "start_momentum": momentums[0], "end_momentum": momentums[1]}

        rise = phase(float(pct_start * self.total_steps) - 1, ("initial_lr", "max_lr"),
                     ("max_momentum", "base_momentum"))
        last = self.total_steps - 1
        if not three_phase:
            return [rise, phase(last, ("max_lr", "min_lr"), ("base_momentum", "max_momentum"))]
        return [rise,
                phase(float(2 * pct_start * self.total_steps) - 2, ("max_lr", "initial_lr"),
                      ("base_momentum", "max_momentum")),
                phase(last, ("initial_lr", "min_lr"), ("max_momentum", "max_momentum"))]

    def _anneal(self, start, end, pct):
        if self._anneal_func_type == "linear":
            return (end - start) * pct + start
        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)

    def get_lr(self):
        self._warn_unless_stepping()
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps "
                             f"is {self.total_steps}")
        phase, pct = self._phase_at(step)
        lrs, momentums = [], []
        for group in self.optimizer.param_groups:
            lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                momentums.append(self._anneal(group[phase["start_momentum"]],
                                              group[phase["end_momentum"]], pct))
        if self.cycle_momentum:
            _set_momentums(self.optimizer, momentums, self.use_beta1)
        return lrs

    def _phase_at(self, step):
        """The phase containing ``step`` and the fraction of it done (the last phase extends
        past its end)."""
        start = 0.0
        for phase in self._schedule_phases[:-1]:
            if step <= phase["end_step"]:
                break
            start = phase["end_step"]
        else:
            phase = self._schedule_phases[-1]
        return phase, (step - start) / (phase["end_step"] - start)
