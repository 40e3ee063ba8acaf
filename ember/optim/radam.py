"""``optim.RAdam``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.adam import _check_adam_arguments
from ember.optim.optimizer import Optimizer, _lerp_, _step_tensor, _zeros_like

__all__ = ["RAdam"]


class RAdam(Optimizer):
    r"""RAdam: Adam with its adaptive learning rate rectified while the variance estimate is
    unreliable (plain momentum SGD then).

    .. math::
        \rho_\infty = \frac{2}{1 - \beta_2} - 1,\quad
        \rho_t = \rho_\infty - \frac{2t\beta_2^t}{1 - \beta_2^t},\quad
        r_t = \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\rho_\infty}
                        {(\rho_\infty - 4)(\rho_\infty - 2)\rho_t}},\\
        \theta \leftarrow \theta - \gamma\,\frac{m}{1 - \beta_1^t}\cdot
            \begin{cases} r_t\,\sqrt{1 - \beta_2^t} / (\sqrt{v} + \epsilon) & \rho_t > 5 \\
                          1 & \text{otherwise} \end{cases}

    with :math:`m`, :math:`v` Adam's running averages of :math:`g = \nabla_\theta + \lambda\theta`
    (or decoupled weight decay :math:`\theta \leftarrow \theta(1 - \gamma\lambda)`).

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 1e-3
        betas: coefficients :math:`(\beta_1, \beta_2)`. Default: (0.9, 0.999)
        eps: term added to the denominator. Default: 1e-8
        weight_decay: weight decay :math:`\lambda`. Default: 0
        decoupled_weight_decay: apply weight decay as in AdamW. Default: False
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _check_adam_arguments(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _radam)


def _radam(param, grad, state, group):
    """One RAdam update of the array ``param``, in place (PyTorch's operation order)."""
    if not state:
        state["step"] = ember.tensor(0.0)
        state["exp_avg"] = _zeros_like(param)
        state["exp_avg_sq"] = _zeros_like(param)
    step = _step_tensor(state)
    lr, weight_decay = group["lr"], group["weight_decay"]
    beta1, beta2 = group["betas"]
    if group["maximize"]:
        grad = -grad
    if weight_decay:
        if group["decoupled_weight_decay"]:
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    bias_correction2 = 1 - beta2 ** step
    update = exp_avg / (1 - beta1 ** step)
    update *= lr
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2
    if rho_t > 5.0:
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        denominator = namespace(param).sqrt(exp_avg_sq)
        denominator += group["eps"]
        update *= bias_correction2 ** 0.5 / denominator
        update *= rect
    param -= update
