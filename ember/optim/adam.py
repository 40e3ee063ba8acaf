"""``optim.Adam``."""

import math

from ember._tensor import _make
from ember.backends import namespace
from ember.autograd.grad_mode import no_grad
from ember.optim.optimizer import Optimizer, _step_tensor

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
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for param in self._parameters_with_grad(group):
                _adam(param._data, param.grad._data, self.state[param], group)
                param._version_counter[0] += 1
        return loss


def _adam(param, grad, state, group):
    """One Adam update of the array ``param``, in place (PyTorch's operation order)."""
    if not state:
        state["exp_avg"] = _make(param * 0)
        state["exp_avg_sq"] = _make(param * 0)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = _make(param * 0)
    step = _step_tensor(state)
    beta1, beta2 = group["betas"]
    lr, weight_decay = group["lr"], group["weight_decay"]
    if group["maximize"]:
        grad = -grad
    if weight_decay:
        if group.get("decoupled_weight_decay"):
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    exp_avg += (1 - beta1) * (grad - exp_avg)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    if group["amsgrad"]:
        second = state["max_exp_avg_sq"]._data
        namespace(second).maximum(second, exp_avg_sq, out=second)
    else:
        second = exp_avg_sq
    denominator = second ** 0.5 / math.sqrt(1 - beta2 ** step) + group["eps"]
    param -= (lr / (1 - beta1 ** step)) * exp_avg / denominator
