"""``optim.NAdam``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.adam import _check_adam_arguments
from ember.optim.optimizer import Optimizer, _lerp_, _step_tensor, _zeros_like

__all__ = ["NAdam"]


class NAdam(Optimizer):
    r"""NAdam: Adam with Nesterov momentum and a momentum schedule.

    .. math::
        \mu_t = \beta_1 (1 - \tfrac12 0.96^{t\psi}),\quad
        m \leftarrow \beta_1 m + (1 - \beta_1) g,\quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2,\\
        \theta \leftarrow \theta - \gamma\,\Big(\frac{(1 - \mu_t)\,g}{1 - \prod_{i \le t}\mu_i}
            + \frac{\mu_{t+1}\,m}{1 - \prod_{i \le t+1}\mu_i}\Big)
            \Big/ \Big(\sqrt{v / (1 - \beta_2^t)} + \epsilon\Big)

    with :math:`g = \nabla_\theta + \lambda\theta` (or decoupled weight decay
    :math:`\theta \leftarrow \theta(1 - \gamma\lambda)`); :math:`\prod_{i \le t}\mu_i` is
    ``state['mu_product']``.

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 2e-3
        betas: coefficients :math:`(\beta_1, \beta_2)`. Default: (0.9, 0.999)
        eps: term added to the denominator. Default: 1e-8
        weight_decay: weight decay :math:`\lambda`. Default: 0
        momentum_decay: momentum decay :math:`\psi`. Default: 4e-3
        decoupled_weight_decay: apply weight decay as in AdamW (NAdamW). Default: False
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check_adam_arguments(lr, betas, eps, weight_decay)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _nadam)


def _nadam(param, grad, state, group):
    """One NAdam update of the array ``param``, in place (PyTorch's operation order)."""
    if not state:
        state["step"] = ember.tensor(0.0)
        # a float32 scalar, as in PyTorch: the update reads its rounded value
        state["mu_product"] = ember.tensor(1.0)
        state["exp_avg"] = _zeros_like(param)
        state["exp_avg_sq"] = _zeros_like(param)
    step = _step_tensor(state)
    lr, weight_decay, momentum_decay = group["lr"], group["weight_decay"], group["momentum_decay"]
    beta1, beta2 = group["betas"]
    if group["maximize"]:
        grad = -grad
    if weight_decay:
        if group["decoupled_weight_decay"]:
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    state["mu_product"]._data *= mu
    mu_product = state["mu_product"].item()
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    denominator = namespace(param).sqrt(exp_avg_sq / (1 - beta2 ** step))
    denominator += group["eps"]
    param -= lr * (1.0 - mu) / (1.0 - mu_product) * grad / denominator
    param -= lr * mu_next / (1.0 - mu_product * mu_next) * exp_avg / denominator
