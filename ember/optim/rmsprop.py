"""``optim.RMSprop``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.optimizer import (
    Optimizer,
    _grad_with_weight_decay,
    _lerp_,
    _step_tensor,
    _zeros_like,
)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop: gradients divided by the root of a running average of their squares.

    .. math::
        v \leftarrow \alpha v + (1 - \alpha) g^2,\quad
        \bar g \leftarrow \alpha \bar g + (1 - \alpha) g,\quad
        d \leftarrow \sqrt{v - \bar g^2 \text{ if centered else } v} + \epsilon,\quad
        b \leftarrow \mu b + g / d,\quad
        \theta \leftarrow \theta - \gamma\,(b \text{ if } \mu > 0 \text{ else } g / d)

    with :math:`g = \nabla_\theta + \lambda\theta`; :math:`v`, :math:`\bar g` and :math:`b` are
    ``state['square_avg']``, ``state['grad_avg']`` and ``state['momentum_buffer']``.

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 1e-2
        alpha: smoothing constant :math:`\alpha`. Default: 0.99
        eps: term added to the denominator. Default: 1e-8
        weight_decay: L2 penalty :math:`\lambda`. Default: 0
        momentum: momentum factor :math:`\mu`. Default: 0
        centered: normalize by the estimated variance of the gradient. Default: False
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _rmsprop)


def _rmsprop(param, grad, state, group):
    """One RMSprop update of the array ``param``, in place (PyTorch's operation order)."""
    xp = namespace(param)
    alpha, momentum = group["alpha"], group["momentum"]
    if not state:
        state["step"] = ember.tensor(0.0)
        state["square_avg"] = _zeros_like(param)
        if momentum > 0:
            state["momentum_buffer"] = _zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = _zeros_like(param)
    _step_tensor(state)
    grad = _grad_with_weight_decay(param, grad, group)
    square_avg = state["square_avg"]._data
    square_avg *= alpha
    square_avg += (1 - alpha) * grad * grad
    if group["centered"]:
        grad_avg = state["grad_avg"]._data
        _lerp_(grad_avg, grad, 1 - alpha)
        avg = xp.sqrt(square_avg - grad_avg * grad_avg)
    else:
        avg = xp.sqrt(square_avg)
    avg += group["eps"]
    if momentum > 0:
        buffer = state["momentum_buffer"]._data
        buffer *= momentum
        buffer += grad / avg
        param -= group["lr"] * buffer
    else:
        param -= group["lr"] * grad / avg
