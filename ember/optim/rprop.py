"""``optim.Rprop``."""

import ember
from ember._tensor import _make
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.optimizer import Optimizer, _step_tensor, _zeros_like

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""The resilient backpropagation algorithm: a per-element step size grown while the gradient
    keeps its sign and shrunk when it flips.

    .. math::
        \eta \leftarrow \mathrm{clamp}(\eta \cdot \begin{cases} \eta_+ & g\,g_{prev} > 0 \\
            \eta_- & g\,g_{prev} < 0 \\ 1 & \text{otherwise} \end{cases},
            \Gamma_{min}, \Gamma_{max}),\quad
        \theta \leftarrow \theta - \eta\,\mathrm{sign}(g)

    where :math:`g` is set to 0 after a sign flip (and stored as :math:`g_{prev}`).

    Args:
        params: parameters or parameter groups
        lr: initial step size. Default: 1e-2
        etas: multiplicative decrease and increase factors :math:`(\eta_-, \eta_+)`.
            Default: (0.5, 1.2)
        step_sizes: minimal and maximal step sizes :math:`(\Gamma_{min}, \Gamma_{max})`.
            Default: (1e-6, 50)
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _rprop)


def _rprop(param, grad, state, group):
    """One Rprop update of the array ``param``, in place (PyTorch's operation order)."""
    xp = namespace(param)
    if not state:
        state["step"] = ember.tensor(0.0)
        state["prev"] = _zeros_like(param)
        state["step_size"] = _make(xp.full_like(param, group["lr"]))
    _step_tensor(state)
    etaminus, etaplus = group["etas"]
    prev, step_size = state["prev"]._data, state["step_size"]._data
    grad = -grad if group["maximize"] else grad.copy()
    sign = xp.sign(grad * prev)
    sign[sign > 0] = etaplus
    sign[sign < 0] = etaminus
    sign[sign == 0] = 1
    step_size *= sign
    xp.clip(step_size, *group["step_sizes"], out=step_size)
    grad[sign == etaminus] = 0
    param -= xp.sign(grad) * step_size
    prev[...] = grad
