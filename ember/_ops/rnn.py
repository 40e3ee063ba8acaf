"""Recurrent layers: one graph node runs one layer in one direction over the whole sequence.

The caller computes the input projections of all time steps (with the biases) in one matmul
and passes them as ``gates_input`` (T, B, G); the node loops over time with one matmul per step
for the hidden projection, and its backward runs the loop the other way (backpropagation
through time), leaving the weight gradient to one matmul over all steps. Besides the hidden
states the nodes output what backward reads (cell states, gate activations), so backward is a
formula of inputs and outputs only and differentiates again under ``create_graph``.

``mask`` (T, B, 1), for packed sequences, is 1 where sequence b has a step at time t and 0
elsewhere, where the state is carried over unchanged: a finished sequence keeps its last state,
and in reverse direction a sequence starts from the initial state at its own last step.
"""

from ember.autograd.function import Op

__all__ = []


def _steps(length, reverse):
    return range(length - 1, -1, -1) if reverse else range(length)


def _sigmoid_(xp, array):
    """Sigmoid in place, in its tanh form (no overflow for large negative inputs)."""
    array *= 0.5
    xp.tanh(array, out=array)
    array *= 0.5
    array += 0.5


def _chunks(array, count):
    size = array.shape[-1] // count
    return [array[:, k * size:(k + 1) * size] for k in range(count)]


def _restore(xp, state, previous, skip, t):
    """Puts back the previous state, in place, where a sequence has no step t."""
    if skip is not None:
        xp.copyto(state, previous, where=skip[t])


def _previous(xp, states, initial, reverse):
    """The state before each step, (T, B, H), from the states after each step."""
    initial = xp.expand_dims(initial, 0)
    if reverse:
        return xp.concatenate([states[1:], initial], 0)
    return xp.concatenate([initial, states[:-1]], 0)


def _split(grad, mask, skip, t):
    """Splits a state's gradient into the part that flows through step t and the part that
    skips it (where the sequence has no step t)."""
    if mask is None:
        return grad, None
    return grad * mask[t], grad * skip[t]


def _join(grad, skipped):
    return grad if skipped is None else grad + skipped


def _weight_grad(xp, grad_gates, inputs):
    """``sum_t grad_gates[t]^T @ inputs[t]`` as one matmul over all steps."""
    return xp.matmul(grad_gates.reshape(-1, grad_gates.shape[-1]).T,
                     inputs.reshape(-1, inputs.shape[-1]))


def _stacked(xp, grads, reverse):
    """Stacks per-step gradients collected while walking time backwards."""
    if not reverse:
        grads.reverse()
    return xp.stack(grads)


def _masks(mask):
    return (None, None) if mask is None else (mask, 1 - mask)


class RnnLayer(Op):
    """Elman RNN layer: ``h_t = act(gates_input[t] + h_{t-1} W_hh^T)``, act tanh or relu."""

    @staticmethod
    def forward(ctx, xp, gates_input, hx, weight_hh, mask, reverse, relu):
        hs = xp.empty_like(gates_input)
        skip = None if mask is None else mask == 0
        weight = xp.ascontiguousarray(weight_hh.T)
        h = hx
        for t in _steps(len(gates_input), reverse):
            xp.matmul(h, weight, out=hs[t])
            hs[t] += gates_input[t]
            if relu:
                xp.maximum(hs[t], 0, out=hs[t])
            else:
                xp.tanh(hs[t], out=hs[t])
            _restore(xp, hs[t], h, skip, t)
            h = hs[t]
        ctx.save_for_backward(hx, weight_hh, mask, hs)
        ctx.reverse, ctx.relu = reverse, relu
        return hs

    @staticmethod
    def backward(ctx, grad_hs):
        xp = ctx.xp
        hx, weight_hh, mask, hs = ctx.saved_tensors
        mask, skip = _masks(mask)
        grad_gates = []
        grad_h = 0
        for t in _steps(len(hs), not ctx.reverse):
            grad_h, skipped = _split(grad_hs[t] + grad_h, mask, skip, t)
            grad_gate = grad_h * ((hs[t] > 0) if ctx.relu else 1 - hs[t] * hs[t])
            grad_gates.append(grad_gate)
            grad_h = _join(xp.matmul(grad_gate, weight_hh), skipped)
        grad_gates = _stacked(xp, grad_gates, ctx.reverse)
        grad_weight = None
        if ctx.needs_input_grad[2]:
            grad_weight = _weight_grad(xp, grad_gates, _previous(xp, hs, hx, ctx.reverse))
        return grad_gates, grad_h, grad_weight, None, None, None


class LstmLayer(Op):
    """LSTM layer, gates (i, f, g, o) in PyTorch's order, optional projection ``weight_hr``.

    Outputs the hidden states (T, B, P), the cell states (T, B, H) and the gate activations
    (T, B, 4H). All four activations are ``tanh(x * scale) * scale + shift`` (the sigmoid is
    ``tanh(x / 2) / 2 + 1 / 2``), so one tanh covers them and their derivative is
    ``scale^2 - (act - shift)^2``.
    """

    @staticmethod
    def forward(ctx, xp, gates_input, hx, cx, weight_hh, weight_hr, mask, reverse):
        length, batch, _ = gates_input.shape
        scale, shift = _lstm_constants(xp, cx.shape[-1], gates_input.dtype)
        hs = xp.empty((length, batch, hx.shape[-1]), hx.dtype)
        cs = xp.empty((length, batch, cx.shape[-1]), cx.dtype)
        acts = xp.empty_like(gates_input)
        skip = None if mask is None else mask == 0
        weight = xp.ascontiguousarray(weight_hh.T)
        h, c = hx, cx
        for t in _steps(length, reverse):
            act = acts[t]
            xp.matmul(h, weight, out=act)
            act += gates_input[t]
            act *= scale
            xp.tanh(act, out=act)
            act *= scale
            act += shift
            i, f, g, o = _chunks(act, 4)
            xp.multiply(f, c, out=cs[t])
            cs[t] += i * g
            if weight_hr is None:
                xp.multiply(o, xp.tanh(cs[t]), out=hs[t])
            else:
                xp.matmul(o * xp.tanh(cs[t]), weight_hr.T, out=hs[t])
            _restore(xp, cs[t], c, skip, t)
            _restore(xp, hs[t], h, skip, t)
            h, c = hs[t], cs[t]
        ctx.save_for_backward(hx, cx, weight_hh, weight_hr, mask, hs, cs, acts)
        ctx.reverse, ctx.scale, ctx.shift = reverse, scale, shift
        return hs, cs, acts

    @staticmethod
    def backward(ctx, grad_hs, grad_cs, grad_acts):
        xp = ctx.xp
        hx, cx, weight_hh, weight_hr, mask, hs, cs, acts = ctx.saved_tensors
        mask, skip = _masks(mask)
        tanh_cs = xp.tanh(cs)
        previous_cs = _previous(xp, cs, cx, ctx.reverse)
        slope = ctx.scale * ctx.scale
        grad_gates, grad_projected = [], []
        grad_h = grad_c = 0
        for t in _steps(len(acts), not ctx.reverse):
            grad_h, skipped_h = _split(grad_hs[t] + grad_h, mask, skip, t)
            grad_c, skipped_c = _split(grad_cs[t] + grad_c, mask, skip, t)
            if weight_hr is not None:
                grad_projected.append(grad_h)
                grad_h = xp.matmul(grad_h, weight_hr)
            i, f, g, o = _chunks(acts[t], 4)
            tanh_c = tanh_cs[t]
            grad_c = grad_c + grad_h * o * (1 - tanh_c * tanh_c)
            grad_act = xp.concatenate([grad_c * g, grad_c * previous_cs[t], grad_c * i,
                                       grad_h * tanh_c], 1) + grad_acts[t]
            centered = acts[t] - ctx.shift
            grad_gate = grad_act * (slope - centered * centered)
            grad_gates.append(grad_gate)
            grad_h = _join(xp.matmul(grad_gate, weight_hh), skipped_h)
            grad_c = _join(grad_c * f, skipped_c)
        grad_gates = _stacked(xp, grad_gates, ctx.reverse)
        grad_weight_hh = grad_weight_hr = None
        if ctx.needs_input_grad[3]:
            grad_weight_hh = _weight_grad(xp, grad_gates, _previous(xp, hs, hx, ctx.reverse))
        if weight_hr is not None and ctx.needs_input_grad[4]:
            hidden = cs.shape[-1]
            grad_weight_hr = _weight_grad(xp, _stacked(xp, grad_projected, ctx.reverse),
                                          acts[:, :, 3 * hidden:] * tanh_cs)
        return grad_gates, grad_h, grad_c, grad_weight_hh, grad_weight_hr, None, None


def _lstm_constants(xp, hidden, dtype):
    scale = xp.full(4 * hidden, 0.5, dtype=dtype)
    scale[2 * hidden:3 * hidden] = 1
    shift = xp.full(4 * hidden, 0.5, dtype=dtype)
    shift[2 * hidden:3 * hidden] = 0
    return scale, shift


class GruLayer(Op):
    """GRU layer, gates (r, z, n) in PyTorch's order:
    ``n = tanh(x_n + r * (W_hn h + b_hn))``, ``h' = (h - n) * z + n``.

    Outputs the hidden states (T, B, H), the gate activations (T, B, 3H) and the hidden part
    of the new gate ``W_hn h + b_hn`` (T, B, H).
    """

    @staticmethod
    def forward(ctx, xp, gates_input, hx, weight_hh, bias_hh, mask, reverse):
        hidden = hx.shape[-1]
        hs = xp.empty(gates_input.shape[:2] + (hidden,), hx.dtype)
        hidden_ns = xp.empty_like(hs)
        acts = xp.empty_like(gates_input)
        skip = None if mask is None else mask == 0
        weight = xp.ascontiguousarray(weight_hh.T)
        h = hx
        for t in _steps(len(gates_input), reverse):
            hidden_gates = xp.matmul(h, weight)
            if bias_hh is not None:
                hidden_gates += bias_hh
            input_r_z, input_n = gates_input[t][:, :2 * hidden], gates_input[t][:, 2 * hidden:]
            r_z, n = acts[t][:, :2 * hidden], acts[t][:, 2 * hidden:]
            xp.add(input_r_z, hidden_gates[:, :2 * hidden], out=r_z)
            _sigmoid_(xp, r_z)
            hidden_ns[t] = hidden_gates[:, 2 * hidden:]
            xp.multiply(r_z[:, :hidden], hidden_ns[t], out=n)
            n += input_n
            xp.tanh(n, out=n)
            xp.subtract(h, n, out=hs[t])
            hs[t] *= r_z[:, hidden:]
            hs[t] += n
            _restore(xp, hs[t], h, skip, t)
            h = hs[t]
        ctx.save_for_backward(hx, weight_hh, mask, hs, acts, hidden_ns)
        ctx.reverse = reverse
        return hs, acts, hidden_ns

    @staticmethod
    def backward(ctx, grad_hs, grad_acts, grad_hidden_ns):
        xp = ctx.xp
        hx, weight_hh, mask, hs, acts, hidden_ns = ctx.saved_tensors
        mask, skip = _masks(mask)
        previous_hs = _previous(xp, hs, hx, ctx.reverse)
        grad_input_gates, grad_hidden_gates = [], []
        grad_h = 0
        for t in _steps(len(acts), not ctx.reverse):
            grad_h, skipped = _split(grad_hs[t] + grad_h, mask, skip, t)
            r, z, n = _chunks(acts[t], 3)
            grad_r, grad_z, grad_n = _chunks(grad_acts[t], 3)
            grad_n = (grad_n + grad_h * (1 - z)) * (1 - n * n)
            grad_r_z = xp.concatenate([grad_r + grad_n * hidden_ns[t],
                                       grad_z + grad_h * (previous_hs[t] - n)], 1)
            r_z = acts[t][:, :2 * z.shape[-1]]
            grad_r_z = grad_r_z * r_z * (1 - r_z)
            grad_input_gates.append(xp.concatenate([grad_r_z, grad_n], 1))
            grad_hidden_gate = xp.concatenate([grad_r_z, grad_n * r + grad_hidden_ns[t]], 1)
            grad_hidden_gates.append(grad_hidden_gate)
            grad_h = _join(xp.matmul(grad_hidden_gate, weight_hh) + grad_h * z, skipped)
        grad_hidden_gates = _stacked(xp, grad_hidden_gates, ctx.reverse)
        grad_weight = grad_bias = None
        if ctx.needs_input_grad[2]:
            grad_weight = _weight_grad(xp, grad_hidden_gates, previous_hs)
        if ctx.needs_input_grad[3]:
            grad_bias = xp.sum(grad_hidden_gates, (0, 1))
        return (_stacked(xp, grad_input_gates, ctx.reverse), grad_h, grad_weight, grad_bias, None,
                None)
