"""``optim.Adagrad``."""

import ember
from ember._tensor import _make
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.optimizer import Optimizer, _grad_with_weight_decay, _step_tensor

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad: per-element learning rates scaled by the accumulated squared gradients.

    .. math::
        g \leftarrow \nabla_\theta + \lambda\theta,\quad
        s \leftarrow s + g^2,\quad
        \theta \leftarrow \theta - \frac{\gamma}{1 + (t - 1)\eta}\,\frac{g}{\sqrt{s} + \epsilon}

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 1e-2
        lr_decay: learning rate decay :math:`\eta`. Default: 0
        weight_decay: L2 penalty :math:`\lambda`. Default: 0
        initial_accumulator_value: initial value of the sum :math:`s`. Default: 0
        eps: term added to the denominator. Default: 1e-10
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError("Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    def add_param_group(self, param_group):
        """Adds a group of parameters and starts their state (PyTorch does so in the
        constructor, so that ``state_dict()`` holds the sums before the first step)."""
        super().add_param_group(param_group)
        # PyTorch fills every sum with the constructor's value, whatever the group says
        value = self.defaults["initial_accumulator_value"]
        for param in self.param_groups[-1]["params"]:
            self.state[param] = {"step": ember.tensor(0.0),
                                 "sum": _make(namespace(param._data).full_like(param._data, value))}

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _adagrad)


def _adagrad(param, grad, state, group):
    """One Adagrad update of the array ``param``, in place (PyTorch's operation order)."""
    step = _step_tensor(state)
    grad = _grad_with_weight_decay(param, grad, group)
    clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
    state_sum = state["sum"]._data
    state_sum += grad * grad
    std = namespace(param).sqrt(state_sum)
    std += group["eps"]
    param -= clr * grad / std
