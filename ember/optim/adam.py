"""``optim.Adam``."""

import math

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

__all__ = ["Adam"]


def _check_adam_arguments(lr, betas, eps, weight_decay):
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


class Adam(Optimizer):
    r"""Adam: adaptive moment estimation.

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g,\quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2,\quad
        \theta \leftarrow \theta - \frac{\gamma}{1 - \beta_1^t}
            \frac{m}{\sqrt{v} / \sqrt{1 - \beta_2^t} + \epsilon}

    with :math:`g = \nabla_\theta + \lambda\theta` (L2 weight decay, or decoupled as in AdamW
    when ``decoupled_weight_decay``) and :math:`v` replaced by its running maximum with
    ``amsgrad``.

    Args:
        params: parameters or parameter groups
        lr: learning rate. Default: 1e-3
        betas: coefficients of the running averages. Default: (0.9, 0.999)
        eps: term added to the denominator. Default: 1e-8
        weight_decay: weight decay. Default: 0
        amsgrad: use the AMSGrad variant. Default: False
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check_adam_arguments(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _adam)


def _adam(param, grad, state, group):
    """One Adam update of the array ``param``, in place (PyTorch's operation order)."""
    xp = namespace(param)
    if not state:
        state["step"] = ember.tensor(0.0)
        state["exp_avg"] = _zeros_like(param)
        state["exp_avg_sq"] = _zeros_like(param)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = _zeros_like(param)
    step = _step_tensor(state)
    beta1, beta2 = group["betas"]
    lr, weight_decay = group["lr"], group["weight_decay"]
    if weight_decay and group.get("decoupled_weight_decay"):
        param *= 1 - lr * weight_decay
        grad = -grad if group["maximize"] else grad
    else:
        grad = _grad_with_weight_decay(param, grad, group)
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    second = exp_avg_sq
    if group["amsgrad"]:
        second = state["max_exp_avg_sq"]._data
        xp.maximum(second, exp_avg_sq, out=second)
    denominator = xp.sqrt(second)
    denominator /= math.sqrt(1 - beta2 ** step)
    denominator += group["eps"]
    update = exp_avg * (-lr / (1 - beta1 ** step))
    update /= denominator
    param += update
