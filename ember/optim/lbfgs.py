"""``optim.LBFGS``: limited-memory BFGS with an optional strong Wolfe line search."""

import numpy as np

from ember._tensor import Tensor, _make
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace
from ember.optim.optimizer import Optimizer

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    r"""L-BFGS (after minFunc): each :meth:`step` runs up to ``max_iter`` quasi-Newton iterations
    on the loss ``closure()`` evaluates, along :math:`d = -H g` where :math:`H` approximates the
    inverse Hessian from the last ``history_size`` steps :math:`s` and gradient changes :math:`y`
    (two-loop recursion, initial :math:`H = \frac{s^\top y}{y^\top y} I`).

    All parameters form one group and one flat vector; the state (history, last direction)
    lives in the first parameter's ``state``. Parameters must be real. This optimizer keeps
    ``history_size + 1`` copies of the parameters.

    Args:
        params: parameters to optimize (one group)
        lr: learning rate (the initial step of each line search). Default: 1
        max_iter: iterations per :meth:`step`. Default: 20
        max_eval: loss evaluations per :meth:`step`. Default: ``max_iter * 5 // 4``
        tolerance_grad: stop when the largest gradient element is below it. Default: 1e-7
        tolerance_change: stop when the loss or parameters change less. Default: 1e-9
        history_size: number of past steps kept. Default: 100
        line_search_fn: ``'strong_wolfe'`` or ``None`` (fixed step ``lr``). Default: None
        maximize: ascend instead of descend. Default: False
    """

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None, *,
                 maximize=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn,
                        maximize=maximize)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _gather_flat_grad(self):
        xp = namespace(self._params[0]._data)
        flat_grad = xp.concatenate([
            xp.zeros(p._data.size, p._data.dtype) if p.grad is None else p.grad._data.ravel()
            for p in self._params])
        if self.param_groups[0]["maximize"]:
            xp.negative(flat_grad, out=flat_grad)
        return flat_grad

    def _add_grad(self, step_size, update):
        offset = 0
        for param in self._params:
            size = param._data.size
            param._data += step_size * update[offset:offset + size].reshape(param._data.shape)
            param._version_counter[0] += 1
            offset += size

    def _set_param(self, arrays):
        for param, array in zip(self._params, arrays):
            param._data[...] = array
            param._version_counter[0] += 1

    def _loss(self, closure):
        loss = float(self._evaluate(closure))
        return -loss if self.param_groups[0]["maximize"] else loss

    def _directional_evaluate(self, closure, x, t, d):
        """The loss and flat gradient at ``x + t d``; the parameters are restored to ``x``."""
        self._add_grad(t, d)
        loss, flat_grad = self._loss(closure), self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    @no_grad()
    def step(self, closure):
        """Runs up to ``max_iter`` iterations; returns the loss ``closure()`` gave first."""
        if not self._params:
            return self._evaluate(closure)
        group = self.param_groups[0]
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        # LBFGS's state is global; PyTorch files it under the first parameter
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = self._evaluate(closure)
        loss = -float(orig_loss) if group["maximize"] else float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if abs(flat_grad).max() <= tolerance_grad:
            return orig_loss
        memory = _unpack(state)
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            self._update_direction(state, memory, flat_grad)
            d = memory["d"]
            memory["prev_flat_grad"], memory["prev_loss"] = flat_grad.copy(), loss
            if state["n_iter"] == 1:
                memory["t"] = min(1.0, 1.0 / abs(flat_grad).sum()) * group["lr"]
            else:
                memory["t"] = group["lr"]
            gtd = flat_grad @ d
            if gtd > -tolerance_change:
                break
            loss, flat_grad, t, evals, opt_cond = self._move(
                closure, loss, flat_grad, memory["t"], d, gtd, max_eval - current_evals,
                n_iter != max_iter)
            current_evals += evals
            state["func_evals"] += evals
            memory["t"] = t
            if (n_iter == max_iter or current_evals >= max_eval or opt_cond
                    or abs(d * t).max() <= tolerance_change
                    or abs(loss - memory["prev_loss"]) < tolerance_change):
                break
        state.update(_pack(memory))
        return orig_loss

    def _update_direction(self, state, memory, flat_grad):
        """Adds the last step to the history, then sets ``memory['d']`` to the L-BFGS direction
        :math:`-H g` (two-loop recursion)."""
        history_size = self.param_groups[0]["history_size"]
        if state["n_iter"] == 1:
            memory.update(d=-flat_grad, old_dirs=[], old_stps=[], ro=[], H_diag=1)
            return
        old_dirs, old_stps, ro = memory["old_dirs"], memory["old_stps"], memory["ro"]
        y = flat_grad - memory["prev_flat_grad"]
        s = memory["d"] * memory["t"]
        ys = y @ s
        if ys > 1e-10:
            if len(old_dirs) == history_size:
                del old_dirs[0], old_stps[0], ro[0]
            old_dirs.append(y)
            old_stps.append(s)
            ro.append(1.0 / ys)
            memory["H_diag"] = ys / (y @ y)
        al = memory.setdefault("al", [None] * history_size)
        q = -flat_grad
        for i in range(len(old_dirs) - 1, -1, -1):
            al[i] = (old_stps[i] @ q) * ro[i]
            q -= al[i] * old_dirs[i]
        direction = q * memory["H_diag"]
        for i in range(len(old_dirs)):
            be_i = (old_dirs[i] @ direction) * ro[i]
            direction += (al[i] - be_i) * old_stps[i]
        memory["d"] = direction

    def _move(self, closure, loss, flat_grad, t, d, gtd, max_ls, evaluate):
        """Moves the parameters along ``d`` (line search, or a fixed step ``t``); returns the
        new loss, flat gradient, step, number of evaluations and whether the gradient is
        below ``tolerance_grad``."""
        group = self.param_groups[0]
        if group["line_search_fn"] is None:
            self._add_grad(t, d)
            if not evaluate:  # the last iteration skips the evaluation, as in PyTorch
                return loss, flat_grad, t, 0, False
            loss, flat_grad = self._loss(closure), self._gather_flat_grad()
            return loss, flat_grad, t, 1, abs(flat_grad).max() <= group["tolerance_grad"]
        if group["line_search_fn"] != "strong_wolfe":
            raise RuntimeError("only 'strong_wolfe' is supported")
        x_init = [param._data.copy() for param in self._params]

        def point(step):
            f_step, g_step = self._directional_evaluate(closure, x_init, step, d)
            return step, f_step, g_step, g_step @ d

        loss, flat_grad, t, evals = _strong_wolfe(point, t, d, loss, flat_grad, gtd, max_ls=max_ls)
        self._add_grad(t, d)
        return loss, flat_grad, t, evals, abs(flat_grad).max() <= group["tolerance_grad"]


_MEMORY = ("al", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad",
           "prev_loss")


def _unpack(state):
    """The L-BFGS memory in ``state``, with arrays for its tensors, for one step."""
    return {key: _map(_as_array, state[key]) for key in _MEMORY if key in state}


def _pack(memory):
    """The memory as state entries, tensors for its arrays and scalars, in PyTorch's order."""
    return {key: _map(_as_tensor, memory[key]) for key in _MEMORY if key in memory}


def _map(function, value):
    return [function(item) for item in value] if isinstance(value, list) else function(value)


def _as_array(value):
    return value._data if isinstance(value, Tensor) else value


def _as_tensor(value):
    """Arrays and NumPy scalars as tensors; Python numbers and ``None`` as they are."""
    if not hasattr(value, "ndim"):
        return value
    return _make(np.asarray(value) if isinstance(value, np.generic) else value)


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimizer, within ``bounds``, of the cubic matching values ``f`` and slopes ``g`` at
    ``x1`` and ``x2`` (the bounds' middle when it has none)."""
    xmin_bound, xmax_bound = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (xmin_bound + xmax_bound) / 2.0
    d2 = d2_square ** 0.5
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, xmin_bound), xmax_bound)


def _strong_wolfe(point, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """A step along ``d`` meeting the strong Wolfe conditions (minFunc's line search): brackets
    one, then zooms in by cubic interpolation. ``point(t)`` gives ``(t, loss, grad, grad @ d)``;
    returns the loss, gradient and step found, and the number of evaluations."""
    bracket, done, ls_iter = _bracket(point, t, f, g, gtd, c1, c2, max_ls)
    d_norm = abs(d).max()
    insuf_progress = False
    low, high = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    while not done and ls_iter < max_ls:
        (t_a, f_a, _, gtd_a), (t_b, f_b, _, gtd_b) = bracket
        if abs(t_b - t_a) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(t_a, f_a, gtd_a, t_b, f_b, gtd_b)
        t, insuf_progress = _away_from_ends(t, min(t_a, t_b), max(t_a, t_b), insuf_progress)
        new = point(t)
        ls_iter += 1
        if new[1] > f + c1 * t * gtd or new[1] >= bracket[low][1]:
            bracket[high] = new
            low, high = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
            continue
        if abs(new[3]) <= -c2 * gtd:
            done = True
        elif new[3] * (bracket[high][0] - bracket[low][0]) >= 0:
            bracket[high] = bracket[low]
        bracket[low] = new
    t, f_new, g_new, _ = bracket[low]
    return f_new, g_new, t, ls_iter + 1


def _bracket(point, t, f, g, gtd, c1, c2, max_ls):
    """Steps forward until ``[previous, new]`` brackets a strong Wolfe point, or ``[new]`` is
    one (then ``done``); returns the bracket, ``done`` and the number of iterations."""
    prev, new = (0, f, g, gtd), point(t)
    ls_iter = 0
    while ls_iter < max_ls:
        t, f_new, _, gtd_new = new
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= prev[1]):
            return [prev, new], False, ls_iter
        if abs(gtd_new) <= -c2 * gtd:
            return [new], True, ls_iter
        if gtd_new >= 0:
            return [prev, new], False, ls_iter
        bounds = (t + 0.01 * (t - prev[0]), t * 10)
        prev, new = new, point(_cubic_interpolate(prev[0], prev[1], prev[3], t, f_new, gtd_new,
                                                  bounds=bounds))
        ls_iter += 1
    return [(0, f, g, None), new], False, ls_iter


def _away_from_ends(t, lowest, highest, insuf_progress):
    """Moves a trial step that is too close to the bracket's ends 10% of its length inside
    (at once when on or past an end, else after two such steps in a row)."""
    margin = 0.1 * (highest - lowest)
    if min(highest - t, t - lowest) >= margin:
        return t, False
    if not (insuf_progress or t >= highest or t <= lowest):
        return t, True
    return (highest - margin if abs(t - highest) < abs(t - lowest) else lowest + margin), False
