"""RNN, LSTM, GRU, their cells and nn.utils.rnn (padding, packing) against PyTorch."""

import itertools
import sys

import numpy as np
import pytest

import ember
from ember._ops.rnn import GruLayer, LstmLayer, RnnLayer
from ember.nn._functional import rnn as rnn_functional
from tests.module_db import ErrorCase, ModuleSpec, copy_state, make_module_tests
from tests.op_db import OpSpec, assert_close, make_tests

pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections is not supported")

T, B, IN, H = 4, 3, 5, 4
LENGTHS = [2, 4, 1]  # unsorted, for pack_padded_sequence(enforce_sorted=False)


def _layer(name, **kwargs):
    nonlinearity = "relu" if name == "RNN_relu" else None
    cls = name.split("_")[0]
    if nonlinearity:
        kwargs["nonlinearity"] = nonlinearity
    return lambda lib: getattr(lib.nn, cls)(IN, H, **kwargs)


def _states(count, layers):
    """Inputs: a (T, B, IN) sequence and ``count`` initial states (layers, B, H)."""
    def inputs(rng, dtype):
        return [rng.standard_normal(shape).astype(dtype)
                for shape in [(T, B, IN)] + [(layers, B, H)] * count]
    return inputs


def _lib_utils(module):
    """``nn.utils.rnn`` of the library that built ``module``."""
    return sys.modules[type(module).__module__.split(".")[0]].nn.utils.rnn


def _packed_call(module, input, *states):
    utils = _lib_utils(module)
    packed = utils.pack_padded_sequence(input, LENGTHS, enforce_sorted=False)
    hx = None if not states else states[0] if len(states) == 1 else states
    output, hidden = module(packed, hx)
    padded, lengths = utils.pad_packed_sequence(output, padding_value=-1.0)
    return padded, lengths, hidden


def _layer_specs():
    specs = []
    names = ["RNN_tanh", "RNN_relu", "LSTM", "GRU"]
    for name, layers, bidirectional, batch_first in itertools.product(
            names, (1, 2), (False, True), (False, True)):
        kwargs = dict(num_layers=layers, bidirectional=bidirectional, batch_first=batch_first)
        shape = (B, T, IN) if batch_first else (T, B, IN)
        specs.append(ModuleSpec(f"{name}-l{layers}-bi{int(bidirectional)}-bf{int(batch_first)}",
                                _layer(name, **kwargs), [shape]))
    for name in names:
        count = 2 if name == "LSTM" else 1
        call = (lambda m, x, h, c: m(x, (h, c))) if count == 2 else None
        specs += [
            ModuleSpec(f"{name}-hx", _layer(name, num_layers=2), _states(count, 2), call=call),
            ModuleSpec(f"{name}-hx-bi", _layer(name, num_layers=2, bidirectional=True),
                       _states(count, 4), call=call),
            ModuleSpec(f"{name}-unbatched", _layer(name), [(T, IN)]),
            ModuleSpec(f"{name}-nobias", _layer(name, bias=False), [(T, B, IN)]),
            ModuleSpec(f"{name}-dropout-eval", _layer(name, num_layers=2, dropout=0.5),
                       [(T, B, IN)], modes=("eval",)),
            # p=1 zeroes the input of the second layer: exact in training too
            ModuleSpec(f"{name}-dropout1-train", _layer(name, num_layers=2, dropout=1.0),
                       [(T, B, IN)], modes=("train",)),
            ModuleSpec(f"{name}-packed", _layer(name, num_layers=2, bidirectional=True),
                       [(T, B, IN)], call=_packed_call),
            ModuleSpec(f"{name}-packed-hx", _layer(name, bidirectional=True), _states(count, 2),
                       call=_packed_call),
        ]
    specs += [
        ModuleSpec("LSTM-proj", _layer("LSTM", num_layers=2, proj_size=2, bidirectional=True),
                   [(T, B, IN)]),
        ModuleSpec("LSTM-proj-packed", _layer("LSTM", proj_size=3), [(T, B, IN)],
                   call=_packed_call),
    ]
    return specs


def _hx_unbatched(lib):
    return lib.nn.GRU(10, 4)(lib.ones(5, 10), lib.ones(1, 3, 4))


ERRORS = [
    ErrorCase(lambda lib: lib.nn.LSTM(10, 20)(lib.ones(5, 3, 5)), RuntimeError,
              r"input.size\(-1\) must be equal to input_size. Expected 10, got 5"),
    ErrorCase(lambda lib: lib.nn.GRU(10, 4)(lib.ones(5, 3, 10), lib.ones(1, 2, 4)), RuntimeError,
              r"Expected hidden size \(1, 3, 4\), got \[1, 2, 4\]"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 4, 2)(lib.ones(5, 3, 10),
                                                (lib.ones(2, 3, 4), lib.ones(2, 3, 5))),
              RuntimeError, r"Expected hidden\[1\] size \(2, 3, 4\), got \[2, 3, 5\]"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 4)(lib.ones(5, 3, 10), (lib.ones(3, 4),
                                                                  lib.ones(3, 4))),
              RuntimeError, r"For batched 3-D input, hx and cx should also be 3-D but got "
                            r"\(2-D, 2-D\) tensors"),
    ErrorCase(lambda lib: lib.nn.RNN(10, 4)(lib.ones(5, 3, 10), lib.ones(3, 4)), RuntimeError,
              "For batched 3-D input, hx should also be 3-D but got 2-D tensor"),
    ErrorCase(_hx_unbatched, RuntimeError,
              "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 4)(lib.ones(4, 5, 3, 10)), ValueError,
              "LSTM: Expected input to be 2D or 3D, got 4D instead"),
    ErrorCase(lambda lib: lib.nn.RNN(10, 4)(lib.ones(4, 5, 3, 10)), ValueError,
              "RNN: Expected input to be 2D or 3D, got 4D tensor instead"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 4)(lib.ones(5, 3, 10, dtype=lib.float64)), ValueError,
              r"RNN input dtype \(.*float64\) does not match weight dtype \(.*float32\)"),
    ErrorCase(lambda lib: lib.nn.RNN(10, 4, nonlinearity="sigmoid"), ValueError,
              "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'."),
    ErrorCase(lambda lib: lib.nn.GRU(10, 4, proj_size=2), ValueError,
              "proj_size argument is only supported for LSTM, not RNN or GRU"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 4, proj_size=4), ValueError,
              "proj_size has to be smaller than hidden_size"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 4, dropout=2), ValueError,
              r"dropout should be a number in range \[0, 1\]"),
    ErrorCase(lambda lib: lib.nn.LSTM(10, 0), ValueError, "hidden_size must be greater than zero"),
    ErrorCase(lambda lib: lib.nn.LSTMCell(10, 4)(lib.ones(3, 5)), RuntimeError,
              "input has inconsistent input_size: got 5 expected 10"),
    ErrorCase(lambda lib: lib.nn.LSTMCell(10, 4)(lib.ones(3, 10), (lib.ones(2, 4),
                                                                   lib.ones(3, 4))),
              RuntimeError, "Input batch size 3 doesn't match hidden0 batch size 2"),
    ErrorCase(lambda lib: lib.nn.LSTMCell(10, 4)(lib.ones(3, 10), (lib.ones(3, 4),
                                                                   lib.ones(3, 5))),
              RuntimeError, "hidden1 has inconsistent hidden_size: got 5, expected 4"),
    ErrorCase(lambda lib: lib.nn.GRUCell(10, 4)(lib.ones(3, 10), lib.ones(3, 5)), RuntimeError,
              "hidden0 has inconsistent hidden_size: got 5, expected 4"),
    ErrorCase(lambda lib: lib.nn.RNNCell(10, 4)(lib.ones(2, 3, 10)), ValueError,
              "RNNCell: Expected input to be 1D or 2D, got 3D instead"),
]


def _cell(cls, **kwargs):
    return lambda lib: getattr(lib.nn, cls)(IN, H, **kwargs)


def _cell_states(count, batch=(B,)):
    def inputs(rng, dtype):
        return [rng.standard_normal(shape).astype(dtype)
                for shape in [batch + (IN,)] + [batch + (H,)] * count]
    return inputs


CELL_SPECS = [
    ModuleSpec("RNNCell", _cell("RNNCell"), [(B, IN)]),
    ModuleSpec("RNNCell-relu-hx", _cell("RNNCell", nonlinearity="relu"), _cell_states(1)),
    ModuleSpec("RNNCell-unbatched", _cell("RNNCell", bias=False), _cell_states(1, ())),
    ModuleSpec("LSTMCell", _cell("LSTMCell"), [(B, IN)]),
    ModuleSpec("LSTMCell-hx", _cell("LSTMCell"), _cell_states(2),
               call=lambda m, x, h, c: m(x, (h, c))),
    ModuleSpec("LSTMCell-unbatched", _cell("LSTMCell", bias=False), _cell_states(2, ()),
               call=lambda m, x, h, c: m(x, (h, c))),
    ModuleSpec("GRUCell", _cell("GRUCell"), [(B, IN)]),
    ModuleSpec("GRUCell-hx", _cell("GRUCell"), _cell_states(1)),
    ModuleSpec("GRUCell-unbatched", _cell("GRUCell", bias=False), _cell_states(1, ())),
]

SPECS = _layer_specs() + CELL_SPECS
SPECS[0].error_cases = ERRORS

make_module_tests(globals(), SPECS)


# ---------------------------------------------------------------------- functional cells
def _cell_fn(name):
    def fn(lib, input, hx, cx, w_ih, w_hh, b_ih, b_hh):
        cell = getattr(rnn_functional if lib is ember else lib, name)
        state = (hx, cx) if name == "lstm_cell" else hx
        return cell(input, state, w_ih, w_hh, b_ih, b_hh)
    return fn


def _cell_shapes(gates):
    return [((B, IN), (B, H), (B, H), (gates * H, IN), (gates * H, H), (gates * H,), (gates * H,))]


CELL_OP_SPECS = [OpSpec(name, _cell_fn(name), _cell_shapes(gates), noncontiguous=False,
                        domain=(-1.0, 1.0))
                 for name, gates in (("rnn_tanh_cell", 1), ("rnn_relu_cell", 1),
                                     ("lstm_cell", 4), ("gru_cell", 3))]

make_tests(globals(), CELL_OP_SPECS)


# ---------------------------------------------------------------------- layer nodes
MASK = np.array([[1, 1], [1, 0], [1, 0]], dtype=np.float64)[..., None]  # lengths 3 and 1


def _tensor(rng, *shape):
    return ember.tensor(rng.standard_normal(shape) * 0.5, requires_grad=True)


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("kind", ["tanh", "relu", "lstm", "lstm_proj", "gru"])
def test_layer_gradcheck(kind, masked, reverse):
    """The fused layer nodes' backward (and double backward) against finite differences."""
    rng = np.random.default_rng(0)
    length, batch, hidden = MASK.shape[0], MASK.shape[1], 2
    mask = ember.tensor(MASK) if masked else None
    if kind in ("tanh", "relu"):
        inputs = (_tensor(rng, length, batch, hidden), _tensor(rng, batch, hidden),
                  _tensor(rng, hidden, hidden))
        fn = lambda *a: RnnLayer.apply(*a, mask, reverse, kind == "relu")  # noqa: E731
    elif kind.startswith("lstm"):
        size = 1 if kind == "lstm_proj" else hidden
        inputs = (_tensor(rng, length, batch, 4 * hidden), _tensor(rng, batch, size),
                  _tensor(rng, batch, hidden), _tensor(rng, 4 * hidden, size),
                  _tensor(rng, size, hidden) if size != hidden else None)
        fn = lambda *a: LstmLayer.apply(*a, mask, reverse)  # noqa: E731
    else:
        inputs = (_tensor(rng, length, batch, 3 * hidden), _tensor(rng, batch, hidden),
                  _tensor(rng, 3 * hidden, hidden), _tensor(rng, 3 * hidden))
        fn = lambda *a: GruLayer.apply(*a, mask, reverse)  # noqa: E731
    assert ember.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
    assert ember.autograd.gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


def test_lstm_double_backward(torch):
    """A gradient penalty through an LSTM matches PyTorch's (float64: its composed path)."""
    torch.manual_seed(0)
    layers = [lib.nn.LSTM(IN, H, 2, bidirectional=True).double() for lib in (torch, ember)]
    copy_state(*layers)
    x = np.random.default_rng(0).standard_normal((T, B, IN))
    grads = []
    for lib, layer in zip((torch, ember), layers):
        input = lib.tensor(x, requires_grad=True)
        output, (h, c) = layer(input)
        (grad,) = lib.autograd.grad((output * output).sum() + c.sum(), input, create_graph=True)
        (grad * grad).sum().backward()
        grads.append([input.grad.numpy()] + [p.grad.numpy() for p in layer.parameters()])
    for e, t in zip(grads[1], grads[0]):
        assert_close(e, t, "float64")


# ---------------------------------------------------------------------- module contract
CONFIGS = [("RNN", dict(nonlinearity="relu")), ("LSTM", dict(num_layers=2, bias=False,
                                                            batch_first=True, dropout=0.5,
                                                            bidirectional=True, proj_size=2)),
           ("GRU", dict(num_layers=3, dropout=0.0)), ("RNNCell", dict(nonlinearity="relu",
                                                                     bias=False)),
           ("LSTMCell", {}), ("GRUCell", dict(bias=False))]


@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=[c for c, _ in CONFIGS])
def test_repr_and_parameters(cls, kwargs, torch):
    """Same repr, parameter names, order and shapes as PyTorch."""
    ours, theirs = getattr(ember.nn, cls)(3, 4, **kwargs), getattr(torch.nn, cls)(3, 4, **kwargs)
    assert repr(ours) == repr(theirs).replace("torch", "ember")
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]


def test_default_init():
    """Every parameter is uniform on (-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    layer = ember.nn.LSTM(64, 100, 2, bidirectional=True)
    bound = 1 / 10
    values = np.concatenate([p.detach().numpy().ravel() for p in layer.parameters()])
    assert np.abs(values).max() <= bound
    assert abs(values.mean()) < 0.01 * bound
    assert abs(values.std() - bound / np.sqrt(3)) < 0.02 * bound


def test_all_weights_and_dropout_warning():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        layer = ember.nn.GRU(3, 4, dropout=0.2, bidirectional=True)
    assert [[tuple(p.shape) for p in group] for group in layer.all_weights] == \
        [[(12, 3), (12, 4), (12,), (12,)]] * 2
    layer.flatten_parameters()


def test_dropout_between_layers_in_training():
    """Training applies dropout to the input of every layer but the first: outputs change,
    and the first layer's final state does not."""
    ember.manual_seed(0)
    layer = ember.nn.LSTM(IN, H, 2, dropout=0.5)
    x = ember.randn(T, B, IN)
    eval_output, (eval_h, _) = layer.eval()(x)
    train_output, (train_h, _) = layer.train()(x)
    assert not np.allclose(train_output.detach().numpy(), eval_output.detach().numpy())
    np.testing.assert_allclose(train_h[0].detach().numpy(), eval_h[0].detach().numpy())


# ---------------------------------------------------------------------- nn.utils.rnn
def _sequences(lib, lengths, trailing=(2,), dtype="float64"):
    rng = np.random.default_rng(0)
    return [lib.tensor(rng.standard_normal((n,) + trailing).astype(dtype), requires_grad=True)
            for n in lengths]


def _check_same(ours, theirs, dtype="float64"):
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours.detach().numpy(), theirs.detach().numpy(), dtype)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence(batch_first, padding_side, torch):
    results = []
    for lib in (ember, torch):
        sequences = _sequences(lib, [3, 5, 1], (2, 3))
        padded = lib.nn.utils.rnn.pad_sequence(sequences, batch_first=batch_first,
                                               padding_value=-1.5, padding_side=padding_side)
        (padded * padded).sum().backward()
        results.append([padded] + [s.grad for s in sequences])
    for ours, theirs in zip(*results):
        _check_same(ours, theirs)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_and_pad_round_trip(batch_first, enforce_sorted, torch):
    lengths = [5, 3, 3, 1] if enforce_sorted else [3, 5, 1, 3]
    results = []
    for lib in (ember, torch):
        utils = lib.nn.utils.rnn
        sequences = _sequences(lib, lengths)
        padded = utils.pad_sequence(sequences, batch_first=batch_first)
        packed = utils.pack_padded_sequence(padded, lib.tensor(lengths), batch_first,
                                            enforce_sorted)
        unpacked, out_lengths = utils.pad_packed_sequence(packed, batch_first, padding_value=7.0,
                                                          total_length=6)
        (unpacked * unpacked).sum().backward()
        assert type(packed).__name__ == "PackedSequence"
        assert out_lengths.tolist() == lengths
        indices = [packed.sorted_indices, packed.unsorted_indices]
        results.append(([packed.data, unpacked] + [s.grad for s in sequences],
                        packed.batch_sizes.tolist(),
                        [None if i is None else i.tolist() for i in indices]))
    (ours, our_sizes, our_indices), (theirs, their_sizes, their_indices) = results
    assert (our_sizes, our_indices) == (their_sizes, their_indices)
    for a, b in zip(ours, theirs):
        _check_same(a, b)


def test_pack_sequence_and_unpack(torch):
    ours = ember.nn.utils.rnn.pack_sequence(_sequences(ember, [1, 3, 2]), enforce_sorted=False)
    theirs = torch.nn.utils.rnn.pack_sequence(_sequences(torch, [1, 3, 2]), enforce_sorted=False)
    _check_same(ours.data, theirs.data)
    assert repr(ours).startswith("PackedSequence(data=tensor(")
    for a, b in zip(ember.nn.utils.rnn.unpack_sequence(ours),
                    torch.nn.utils.rnn.unpack_sequence(theirs)):
        _check_same(a, b)
    assert ours.double().data.dtype == ember.float64 and not ours.is_cuda


UTILS_ERRORS = [
    ErrorCase(lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.ones(5, 3, 2), [2, 4, 3]),
              RuntimeError, "`lengths` array must be sorted in decreasing order when "
                            "`enforce_sorted` is True"),
    ErrorCase(lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.ones(5, 3, 2), [5, 4, 0]),
              RuntimeError, "Length of all samples has to be greater than 0"),
    ErrorCase(lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.ones(5, 3, 2), [5, 4]),
              RuntimeError, r"Expected `len\(lengths\)` to be equal to batch_size, but got 2 "
                            r"\(batch_size=3\)"),
    ErrorCase(lambda lib: lib.nn.utils.rnn.pad_sequence([lib.ones(3, 2), lib.ones(2, 3)]),
              RuntimeError, r"The size of tensor a \(2\) must match the size of tensor b \(3\) "
                            "at non-singleton dimension 1"),
    ErrorCase(lambda lib: lib.nn.utils.rnn.pad_sequence([]), RuntimeError,
              "received an empty list of sequences"),
    ErrorCase(lambda lib: lib.nn.utils.rnn.pad_sequence([lib.ones(2)], padding_side="middle"),
              RuntimeError, "Expected padding_side to be one of left or right, but got middle."),
    ErrorCase(lambda lib: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_sequence([lib.ones(3), lib.ones(1)]), total_length=2), ValueError,
              "Expected total_length to be at least the length of the longest sequence in "
              "input, but got total_length=2 and max sequence length being 3"),
]


@pytest.mark.parametrize("case", UTILS_ERRORS, ids=range(len(UTILS_ERRORS)))
def test_utils_errors(case, torch):
    with pytest.raises(case.error, match=case.match):
        case.fn(ember)
    with pytest.raises(case.error):
        case.fn(torch)
