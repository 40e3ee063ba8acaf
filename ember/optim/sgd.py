"""``optim.SGD``."""

from ember._tensor import _make
from ember.autograd.grad_mode import no_grad
from ember.optim.optimizer import Optimizer, _grad_with_weight_decay, required

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with (Nesterov) momentum.

    .. math::
        g \leftarrow \nabla_\theta + \lambda\theta,\quad
        b \leftarrow \mu b + (1 - \tau) g,\quad
        \theta \leftarrow \theta - \gamma\,(g + \mu b \text{ if nesterov else } b)

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 1e-3
        momentum: :math:`\mu`. Default: 0
        dampening: :math:`\tau`. Default: 0
        weight_decay: L2 penalty :math:`\lambda`. Default: 0
        nesterov: Nesterov momentum. Default: False
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _sgd)


def _sgd(param, grad, state, group):
    """One SGD update of the array ``param``, in place."""
    grad = _grad_with_weight_decay(param, grad, group)
    momentum = group["momentum"]
    if momentum:
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = _make(grad.copy())
            buffer = state["momentum_buffer"]._data
        else:
            buffer = state["momentum_buffer"]._data
            buffer *= momentum
            buffer += (1 - group["dampening"]) * grad
        grad = grad + momentum * buffer if group["nesterov"] else buffer
    param -= group["lr"] * grad
