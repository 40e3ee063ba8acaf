"""The functions behind ``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` and their cells.

PyTorch keeps these out of ``torch.nn.functional`` (they are ``torch._VF.lstm``, ``lstm_cell``
and friends), so this family adds nothing to ``F``; the modules call it directly. Each layer
and direction is one matmul for the input projections of all time steps plus one
``ember._ops.rnn`` node looping over time.
"""

import numpy as np

import ember
from ember._ops.rnn import GruLayer, LstmLayer, RnnLayer
from ember.nn import functional as F

__all__ = []


def rnn(mode, input, hx, weights, num_layers, dropout, training, bidirectional,
        batch_sizes=None):
    """Runs a stacked recurrent network.

    Args:
        mode: ``"RNN_TANH"``, ``"RNN_RELU"``, ``"LSTM"`` or ``"GRU"``
        input: (T, B, input_size), or the data of a packed sequence (N, input_size) with
            ``batch_sizes``
        hx: (num_layers * num_directions, B, H), or the pair ``(h_0, c_0)`` for LSTM
        weights: per layer and direction, ``(weight_ih, weight_hh, bias_ih, bias_hh,
            weight_hr)`` with ``None`` for what the layer does not have

    Returns:
        ``(output, h_n)``, or ``(output, (h_n, c_n))`` for LSTM; ``output`` is laid out like
        ``input``.
    """
    mask = index = None
    if batch_sizes is not None:
        input, mask, index = _unpack(input, batch_sizes)
    hx, cx = hx if mode == "LSTM" else (hx, None)
    directions = 2 if bidirectional else 1
    layer = _LAYERS[mode]
    last_h, last_c = [], []
    for depth in range(num_layers):
        if depth and dropout and training:
            input = F.dropout(input, dropout, training)
        outputs = []
        for direction in range(directions):
            k = depth * directions + direction
            output, h, c = layer(mode, input, hx[k], None if cx is None else cx[k],
                                 weights[k], mask, direction == 1)
            outputs.append(output)
            last_h.append(h)
            last_c.append(c)
        input = outputs[0] if directions == 1 else ember.cat(outputs, 2)
    output = input if index is None else _pack(input, index)
    if mode == "LSTM":
        return output, (ember.stack(last_h), ember.stack(last_c))
    return output, ember.stack(last_h)


def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    r"""One step of an Elman RNN cell: :math:`h' = \tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})`."""
    _check_cell(input, (hx,), w_ih, w_hh)
    return RnnLayer.apply(_cell_gates(input, w_ih, b_ih, b_hh), hx, w_hh, None, False, False)[0]


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    r"""One step of an Elman RNN cell with ReLU: :math:`h' = \max(0, W_{ih} x + b_{ih} + W_{hh} h
    + b_{hh})`."""
    _check_cell(input, (hx,), w_ih, w_hh)
    return RnnLayer.apply(_cell_gates(input, w_ih, b_ih, b_hh), hx, w_hh, None, False, True)[0]


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of an LSTM cell; ``hx`` is ``(h, c)``, returns ``(h', c')``."""
    _check_cell(input, hx, w_ih, w_hh)
    hs, cs, _ = LstmLayer.apply(_cell_gates(input, w_ih, b_ih, b_hh), hx[0], hx[1], w_hh, None,
                                None, False)
    return hs[0], cs[0]


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of a GRU cell."""
    _check_cell(input, (hx,), w_ih, w_hh)
    return GruLayer.apply(_cell_gates(input, w_ih, b_ih), hx, w_hh, b_hh, None, False)[0][0]


def _check_cell(input, hx, w_ih, w_hh):
    if input.shape[1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected "
                           f"{w_ih.shape[1]}")
    for label, state in enumerate(hx):
        if input.shape[0] != state.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{label} "
                               f"batch size {state.shape[0]}")
        if state.shape[1] != w_hh.shape[1]:
            raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got "
                               f"{state.shape[1]}, expected {w_hh.shape[1]}")


def _cell_gates(input, w_ih, b_ih, b_hh=None):
    return F.linear(input, w_ih, _sum(b_ih, b_hh)).unsqueeze(0)


def _sum(bias_ih, bias_hh):
    if bias_ih is None or bias_hh is None:
        return bias_ih if bias_hh is None else bias_hh
    return bias_ih + bias_hh


def _input_gates(input, weight, bias):
    """The input projections of all time steps, one (T*B, I) x (I, G) matmul."""
    length, batch = input.shape[:2]
    return F.linear(input.reshape(length * batch, -1), weight, bias).reshape(length, batch, -1)


def _final(states, reverse):
    return states[0] if reverse else states[-1]


def _elman_layer(mode, input, hx, cx, weights, mask, reverse):
    weight_ih, weight_hh, bias_ih, bias_hh, _ = weights
    hs = RnnLayer.apply(_input_gates(input, weight_ih, _sum(bias_ih, bias_hh)), hx, weight_hh,
                        mask, reverse, mode == "RNN_RELU")
    return hs, _final(hs, reverse), None


def _lstm_layer(mode, input, hx, cx, weights, mask, reverse):
    weight_ih, weight_hh, bias_ih, bias_hh, weight_hr = weights
    hs, cs, _ = LstmLayer.apply(_input_gates(input, weight_ih, _sum(bias_ih, bias_hh)), hx, cx,
                                weight_hh, weight_hr, mask, reverse)
    return hs, _final(hs, reverse), _final(cs, reverse)


def _gru_layer(mode, input, hx, cx, weights, mask, reverse):
    weight_ih, weight_hh, bias_ih, bias_hh, _ = weights
    hs, _, _ = GruLayer.apply(_input_gates(input, weight_ih, bias_ih), hx, weight_hh, bias_hh,
                              mask, reverse)
    return hs, _final(hs, reverse), None


_LAYERS = {"RNN_TANH": _elman_layer, "RNN_RELU": _elman_layer, "LSTM": _lstm_layer,
           "GRU": _gru_layer}


def _unpack(data, batch_sizes):
    """Packed data (N, *) to time-major padded (T, B, *), the step mask (T, B, 1), and the
    positions of the packed rows in the flattened (T * B) padded layout."""
    sizes = np.asarray(batch_sizes.tolist())
    length, batch = len(sizes), int(sizes[0])
    present = np.arange(batch) < sizes[:, None]
    index = np.flatnonzero(present)
    gather = np.full(length * batch, len(index))
    gather[index] = np.arange(len(index))
    rows = ember.cat([data, data.new_zeros((1,) + tuple(data.shape[1:]))])
    padded = rows.index_select(0, ember.as_tensor(gather, device=data.device))
    mask = ember.as_tensor(present[..., None], dtype=data.dtype, device=data.device)
    return padded.reshape((length, batch) + tuple(data.shape[1:])), mask, index


def _pack(padded, index):
    flat = padded.reshape((-1,) + tuple(padded.shape[2:]))
    return flat.index_select(0, ember.as_tensor(index, device=padded.device))
