"""``optim.ASGD``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import device_of
from ember.optim.optimizer import Optimizer, _grad_with_weight_decay, _step_tensor, _zeros_like

__all__ = ["ASGD"]


class ASGD(Optimizer):
    r"""Averaged stochastic gradient descent.

    .. math::
        g \leftarrow \nabla_\theta + \lambda_{wd}\theta,\quad
        \theta \leftarrow \theta(1 - \lambda\eta) - \eta g,\quad
        a \leftarrow a + \mu(\theta - a),\quad
        \eta \leftarrow \frac{\gamma}{(1 + \lambda\gamma t)^\alpha},\quad
        \mu \leftarrow \frac{1}{\max(1, t - t_0)}

    The running average :math:`a` is ``state['ax']``.

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 1e-2
        lambd: decay term :math:`\lambda`. Default: 1e-4
        alpha: power :math:`\alpha` of the :math:`\eta` update. Default: 0.75
        t0: step :math:`t_0` at which averaging starts. Default: 1e6
        weight_decay: L2 penalty :math:`\lambda_{wd}`. Default: 0
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _asgd)


def _asgd(param, grad, state, group):
    """One ASGD update of the array ``param``, in place (PyTorch's operation order)."""
    if not state:
        state["step"] = ember.tensor(0.0)
        # eta and mu are default-dtype scalars, as in PyTorch: steps use their rounded values
        state["eta"] = ember.tensor(group["lr"], device=device_of(param))
        state["mu"] = ember.tensor(1.0, device=device_of(param))
        state["ax"] = _zeros_like(param)
    step = _step_tensor(state)
    lr, lambd = group["lr"], group["lambd"]
    grad = _grad_with_weight_decay(param, grad, group)
    eta, mu, ax = state["eta"].item(), state["mu"].item(), state["ax"]._data
    param *= 1 - lambd * eta
    param -= eta * grad
    if mu != 1:
        ax += (param - ax) * mu
    else:
        ax[...] = param
    # through default-dtype scalars, as in PyTorch (rounded even when the state is float64)
    state["eta"].copy_(ember.tensor(lr / (1 + lambd * lr * step) ** group["alpha"]))
    state["mu"].copy_(ember.tensor(1 / max(1, step - group["t0"])))
