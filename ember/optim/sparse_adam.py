"""``optim.SparseAdam``."""

import math

from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.adam import _check_adam_arguments
from ember.optim.optimizer import Optimizer, _zeros_like

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    r"""Adam restricted to the rows a sparse gradient touches: the moments and parameters of
    other rows are left as they are (a masked Adam, for embeddings).

    PyTorch feeds it sparse COO gradients; ember has no sparse tensors, and
    ``nn.Embedding(sparse=True)`` gives a dense ``weight.grad`` carrying ``_sparse_indices``,
    the rows it touches. Only such gradients are accepted; on those rows, with
    :math:`g` the gradient,

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g,\quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2,\quad
        \theta \leftarrow \theta - \gamma\,\frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}\,
            \frac{m}{\sqrt v + \epsilon}

    Args:
        params: parameters or parameter groups
        lr: learning rate :math:`\gamma`. Default: 1e-3
        betas: coefficients :math:`(\beta_1, \beta_2)`. Default: (0.9, 0.999)
        eps: term added to the denominator. Default: 1e-8
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_adam_arguments(lr, betas, eps, 0)
        defaults = dict(lr=lr, betas=betas, eps=eps, maximize=maximize)
        super().__init__(params, defaults)
        complex_params = [[index, position] for index, group in enumerate(self.param_groups)
                          for position, param in enumerate(group["params"])
                          if param.is_complex()]
        if complex_params:
            raise ValueError(f"Complex params at indices {complex_params}: SparseAdam does not "
                             "support complex parameters")

    @no_grad()
    def step(self, closure=None):
        """Performs one update; returns ``closure()``'s loss when given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = list(self._parameters_with_grad(group))
            if any(not hasattr(param.grad, "_sparse_indices") for param in params):
                raise RuntimeError("SparseAdam does not support dense gradients, please "
                                   "consider Adam instead")
            for param in params:
                _sparse_adam(param._data, param.grad._data, param.grad._sparse_indices._data,
                             self.state[param], group)
                param._version_counter[0] += 1
        return loss


def _sparse_adam(param, grad, rows, state, group):
    """One Adam update of the ``rows`` of the array ``param``, in place (PyTorch's order)."""
    if not state:
        state["step"] = 0
        state["exp_avg"] = _zeros_like(param)
        state["exp_avg_sq"] = _zeros_like(param)
    state["step"] += 1
    if rows.size == 0:
        return
    step, (beta1, beta2) = state["step"], group["betas"]
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    grad = -grad[rows] if group["maximize"] else grad[rows]
    old_exp_avg, old_exp_avg_sq = exp_avg[rows], exp_avg_sq[rows]
    exp_avg_update = (grad - old_exp_avg) * (1 - beta1)
    exp_avg[rows] += exp_avg_update
    exp_avg_sq_update = (grad * grad - old_exp_avg_sq) * (1 - beta2)
    exp_avg_sq[rows] += exp_avg_sq_update
    numerator = exp_avg_update + old_exp_avg
    denominator = namespace(param).sqrt(exp_avg_sq_update + old_exp_avg_sq)
    denominator += group["eps"]
    step_size = group["lr"] * math.sqrt(1 - beta2 ** step) / (1 - beta1 ** step)
    param[rows] += -step_size * (numerator / denominator)
