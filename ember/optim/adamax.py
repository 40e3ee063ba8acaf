"""``optim.Adamax``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.adam import _check_adam_arguments
from ember.optim.optimizer import (
    Optimizer,
    _grad_with_weight_decay,
    _lerp_,
    _step_tensor,
    _zeros_like,
)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    r"""Adamax: Adam with the infinity norm in place of the second moment.

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g,\quad
        u \leftarrow \max(\beta_2 u, |g| + \epsilon),\quad
        \theta \leftarrow \theta - \frac{\gamma}{1 - \beta_1^t}\,\frac{m}{u}

    with :math:`g = \nabla_\theta + \lambda\theta`; :math:`u` is ``state['exp_inf']``.

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 2e-3
        betas: coefficients :math:`(\beta_1, \beta_2)`. Default: (0.9, 0.999)
        eps: term added to the infinity norm. Default: 1e-8
        weight_decay: L2 penalty :math:`\lambda`. Default: 0
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _check_adam_arguments(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _adamax)


def _adamax(param, grad, state, group):
    """One Adamax update of the array ``param``, in place (PyTorch's operation order)."""
    xp = namespace(param)
    if not state:
        state["step"] = ember.tensor(0.0)
        state["exp_avg"] = _zeros_like(param)
        state["exp_inf"] = _zeros_like(param)
    step = _step_tensor(state)
    beta1, beta2 = group["betas"]
    grad = _grad_with_weight_decay(param, grad, group)
    exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_inf *= beta2
    norm = xp.abs(grad)
    norm += group["eps"]
    xp.maximum(exp_inf, norm, out=exp_inf)
    param -= group["lr"] / (1 - beta1 ** step) * exp_avg / exp_inf
