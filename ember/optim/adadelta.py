"""``optim.Adadelta``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.optimizer import Optimizer, _grad_with_weight_decay, _step_tensor, _zeros_like

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta: steps scaled by running averages of squared gradients and squared updates.

    .. math::
        v \leftarrow \rho v + (1 - \rho) g^2,\quad
        \Delta \leftarrow \frac{\sqrt{u + \epsilon}}{\sqrt{v + \epsilon}}\,g,\quad
        u \leftarrow \rho u + (1 - \rho)\Delta^2,\quad
        \theta \leftarrow \theta - \gamma\Delta

    with :math:`g = \nabla_\theta + \lambda\theta`; :math:`v` is ``state['square_avg']`` and
    :math:`u` is ``state['acc_delta']``.

    Args:
        params: parameters or parameter groups
        lr: coefficient :math:`\gamma` scaling the update. Default: 1.0
        rho: coefficient :math:`\rho` of the running averages. Default: 0.9
        eps: term added to the denominator. Default: 1e-6
        weight_decay: L2 penalty :math:`\lambda`. Default: 0
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _adadelta)


def _adadelta(param, grad, state, group):
    """One Adadelta update of the array ``param``, in place (PyTorch's operation order)."""
    xp = namespace(param)
    if not state:
        state["step"] = ember.tensor(0.0)
        state["square_avg"] = _zeros_like(param)
        state["acc_delta"] = _zeros_like(param)
    _step_tensor(state)
    rho, eps = group["rho"], group["eps"]
    grad = _grad_with_weight_decay(param, grad, group)
    square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
    square_avg *= rho
    square_avg += (1 - rho) * grad * grad
    std = xp.sqrt(square_avg + eps)
    delta = xp.sqrt(acc_delta + eps)
    delta /= std
    delta *= grad
    acc_delta *= rho
    acc_delta += (1 - rho) * delta * delta
    param -= group["lr"] * delta
