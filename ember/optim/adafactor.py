"""``optim.Adafactor``."""

import ember
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.optimizer import Optimizer, _lerp_, _step_tensor, _zeros_like

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    r"""Adafactor: Adam-like steps whose second moment of a matrix is stored as a row and a column
    factor (sublinear memory), with relative step sizes and update clipping.

    .. math::
        \hat\beta_{2,t} = 1 - t^{\tau},\quad
        \rho_t = \min(\gamma, 1/\sqrt t),\quad
        \alpha_t = \max(\epsilon_2, \mathrm{RMS}(\theta))\,\rho_t,\quad
        \theta \leftarrow \theta(1 - \gamma\lambda),\\
        R \leftarrow \hat\beta_{2,t} R + (1 - \hat\beta_{2,t})\,\mathrm{mean}_{-1}(g^2),\quad
        C \leftarrow \hat\beta_{2,t} C + (1 - \hat\beta_{2,t})\,\mathrm{mean}_{-2}(g^2),\quad
        \hat V = \frac{R\,C}{\max(\mathrm{mean}_{-2}(R), \epsilon_1)},\\
        U = \frac{g}{\sqrt{\max(\hat V, \epsilon_1^2)}},\quad
        \theta \leftarrow \theta - \frac{\alpha_t\,U}{\max(1, \mathrm{RMS}(U) / d)}

    For a vector :math:`\hat V` is the running average of :math:`g^2` itself
    (``state['variance']``); otherwise the factors are ``state['row_var']`` and
    ``state['col_var']`` over the last two dimensions.

    Args:
        params: parameters or parameter groups
        lr: maximal relative step size :math:`\gamma`, also scaling the weight decay.
            Default: 1e-2
        beta2_decay: decay rate :math:`\tau` of :math:`\beta_2`. Default: -0.8
        eps: :math:`(\epsilon_1, \epsilon_2)`; :math:`\epsilon_1` ``None`` means the
            machine epsilon of the parameter's dtype. Default: (None, 1e-3)
        d: clipping threshold of the update's RMS. Default: 1.0
        weight_decay: weight decay :math:`\lambda`. Default: 0.0
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize)
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        return self._step_each(closure, _adafactor)


def _adafactor(param, grad, state, group):
    """One Adafactor update of the array ``param``, in place (PyTorch's operation order)."""
    xp = namespace(param)
    if xp.iscomplexobj(param):
        raise RuntimeError("Adafactor does not support complex parameters")
    if not state:
        _init_state(state, grad)
    step = _step_tensor(state)
    lr, (eps1, eps2) = group["lr"], group["eps"]
    if eps1 is None:
        eps1 = xp.finfo(param.dtype).eps
    if group["maximize"]:
        grad = -grad
    beta2_complement = step ** group["beta2_decay"]
    alpha = max(eps2, _rms(param)) * min(lr, 1 / step ** 0.5)
    if group["weight_decay"]:
        param *= 1 - lr * group["weight_decay"]
    grad_squared = grad * grad
    if grad.ndim > 1:
        row_var, col_var = state["row_var"]._data, state["col_var"]._data
        _lerp_(row_var, grad_squared.mean(axis=-1, keepdims=True), beta2_complement)
        _lerp_(col_var, grad_squared.mean(axis=-2, keepdims=True), beta2_complement)
        variance = row_var @ col_var
        variance /= xp.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
    else:
        _lerp_(state["variance"]._data, grad_squared, beta2_complement)
        variance = state["variance"]._data.copy()
    update = xp.maximum(variance, eps1 * eps1, out=variance)
    xp.sqrt(update, out=update)
    xp.reciprocal(update, out=update)
    update *= grad
    param -= alpha / max(1.0, _rms(update) / group["d"]) * update


def _init_state(state, grad):
    state["step"] = ember.tensor(0.0)
    if grad.ndim > 1:
        state["row_var"] = _zeros_like(grad[..., :1])
        state["col_var"] = _zeros_like(grad[..., :1, :])
    else:
        state["variance"] = _zeros_like(grad)


def _rms(array):
    """The root mean square of ``array``, as a Python float."""
    return float(namespace(array).linalg.norm(array)) / array.size ** 0.5
