"""Transformer encoder/decoder layers, stacks and nn.Transformer against PyTorch."""

import numpy as np
import pytest

import ember
from tests.module_db import ErrorCase, ModuleSpec, make_module_tests

pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched",
                                        "ignore:enable_nested_tensor")

L, S, N, E, HEADS, FF = 5, 4, 2, 8, 2, 16
CAUSAL = np.triu(np.full((L, L), -np.inf), 1)
PADDING = np.array([[False] * L, [False, False, False, True, True]])
MEMORY_PADDING = np.array([[False] * S, [False, False, True, True]])


def _inputs(*shapes, masks=()):
    def inputs(rng, dtype):
        return [rng.standard_normal(shape).astype(dtype) for shape in shapes] + \
            [mask if mask.dtype == bool else mask.astype(dtype) for mask in masks]
    return inputs


def _encoder_layer(**kwargs):
    kwargs.setdefault("dropout", 0.0)
    return lambda lib: lib.nn.TransformerEncoderLayer(E, HEADS, FF, **kwargs)


def _decoder_layer(**kwargs):
    kwargs.setdefault("dropout", 0.0)
    return lambda lib: lib.nn.TransformerDecoderLayer(E, HEADS, FF, **kwargs)


def _encoder(**kwargs):
    return lambda lib: lib.nn.TransformerEncoder(
        lib.nn.TransformerEncoderLayer(E, HEADS, FF, dropout=0.0, **kwargs), 2,
        lib.nn.LayerNorm(E))


def _decoder(lib):
    """Two decoder layers with a callable activation."""
    return lib.nn.TransformerDecoder(
        lib.nn.TransformerDecoderLayer(E, HEADS, FF, dropout=0.0, activation=lib.tanh), 2)


SEQ, MEMORY = (L, N, E), (S, N, E)

SPECS = [
    ModuleSpec("encoder_layer", _encoder_layer(), [SEQ]),
    ModuleSpec("encoder_layer_gelu_norm_first", _encoder_layer(activation="gelu",
                                                               norm_first=True), [SEQ]),
    ModuleSpec("encoder_layer_callable_batch_first",
               lambda lib: lib.nn.TransformerEncoderLayer(E, HEADS, FF, 0.0, lib.nn.GELU("tanh"),
                                                          batch_first=True), [(N, L, E)]),
    ModuleSpec("encoder_layer_masks", _encoder_layer(), _inputs(SEQ, masks=[CAUSAL, PADDING]),
               call=lambda m, x, mask, padding: m(x, mask, padding)),
    ModuleSpec("encoder_layer_bool_mask", _encoder_layer(norm_first=True),
               _inputs(SEQ, masks=[np.isinf(CAUSAL)]), call=lambda m, x, mask: m(x, mask)),
    ModuleSpec("encoder_layer_causal", _encoder_layer(batch_first=True),
               _inputs((N, L, E), masks=[CAUSAL]),
               call=lambda m, x, mask: m(x, src_mask=mask, is_causal=True)),
    ModuleSpec("encoder_layer_dropout_eval", _encoder_layer(dropout=0.3), [SEQ], modes=("eval",)),
    ModuleSpec("encoder_layer_nobias_unbatched", _encoder_layer(bias=False), [(L, E)]),
    ModuleSpec("encoder", _encoder(), _inputs(SEQ, masks=[CAUSAL, PADDING]),
               call=lambda m, x, mask, padding: m(x, mask, padding)),
    ModuleSpec("encoder_batch_first", _encoder(batch_first=True, norm_first=True),
               _inputs((N, L, E), masks=[PADDING]),
               call=lambda m, x, padding: m(x, src_key_padding_mask=padding)),
    ModuleSpec("decoder_layer", _decoder_layer(), [SEQ, MEMORY]),
    ModuleSpec("decoder_layer_masks", _decoder_layer(norm_first=True, activation="gelu"),
               _inputs(SEQ, MEMORY, masks=[CAUSAL, PADDING, MEMORY_PADDING]),
               call=lambda m, x, memory, mask, padding, memory_padding: m(
                   x, memory, tgt_mask=mask, tgt_key_padding_mask=padding,
                   memory_key_padding_mask=memory_padding, tgt_is_causal=True)),
    ModuleSpec("decoder_layer_dropout_eval", _decoder_layer(dropout=0.3, batch_first=True),
               [(N, L, E), (N, S, E)], modes=("eval",)),
    ModuleSpec("decoder", _decoder,
               _inputs(SEQ, MEMORY, masks=[CAUSAL]),
               call=lambda m, x, memory, mask: m(x, memory, tgt_mask=mask)),
    ModuleSpec("transformer", lambda lib: lib.nn.Transformer(E, HEADS, 2, 1, FF, dropout=0.0),
               _inputs(MEMORY, SEQ, masks=[CAUSAL, MEMORY_PADDING]),
               call=lambda m, src, tgt, mask, padding: m(
                   src, tgt, tgt_mask=mask, src_key_padding_mask=padding,
                   memory_key_padding_mask=padding)),
    ModuleSpec("transformer_batch_first_norm_first",
               lambda lib: lib.nn.Transformer(E, HEADS, 1, 1, FF, dropout=0.2, batch_first=True,
                                              norm_first=True),
               [(N, S, E), (N, L, E)], modes=("eval",)),
]

SPECS[0].error_cases = [
    ErrorCase(lambda lib: lib.nn.Transformer(E, HEADS, 1, 1, FF)(lib.ones(S, 3, E),
                                                                 lib.ones(L, N, E)),
              RuntimeError, "the batch number of src and tgt must be equal"),
    ErrorCase(lambda lib: lib.nn.Transformer(E, HEADS, 1, 1, FF)(lib.ones(S, N, 6),
                                                                 lib.ones(L, N, 6)),
              RuntimeError, "the feature number of src and tgt must be equal to d_model"),
    ErrorCase(lambda lib: lib.nn.TransformerEncoderLayer(E, HEADS, activation="tanh"),
              RuntimeError, "activation should be relu/gelu, not tanh"),
    ErrorCase(lambda lib: lib.nn.TransformerEncoderLayer(E, 3), AssertionError,
              "embed_dim must be divisible by num_heads"),
]

make_module_tests(globals(), SPECS)


def test_generate_square_subsequent_mask(torch):
    ours = ember.nn.Transformer.generate_square_subsequent_mask(4, dtype=ember.float64)
    theirs = torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_detect_is_causal_mask():
    from ember.nn.modules.transformer import _detect_is_causal_mask

    causal = ember.nn.Transformer.generate_square_subsequent_mask(4)
    assert _detect_is_causal_mask(causal) is True
    assert _detect_is_causal_mask(causal, is_causal=False) is False
    assert _detect_is_causal_mask(ember.zeros(4, 4)) is False
    assert _detect_is_causal_mask(causal, size=3) is False
    assert _detect_is_causal_mask(None) is False


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.Transformer(16, 4, 2, 1, 32, batch_first=True, norm_first=True),
    lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(16, 4, 32), 2),
    lambda lib: lib.nn.TransformerDecoderLayer(16, 4, 32, activation="gelu", bias=False),
], ids=["transformer", "encoder", "decoder_layer"])
def test_repr_and_parameters(make, torch):
    """PyTorch's repr and parameter names/shapes; Transformer re-initialises every matrix with
    xavier_uniform_."""
    ours, theirs = make(ember), make(torch)
    assert repr(ours) == repr(theirs).replace("torch", "ember")
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    if isinstance(ours, ember.nn.Transformer):
        weight = ours.encoder.layers[0].linear1.weight.detach().numpy()
        assert np.abs(weight).max() <= np.sqrt(6 / (16 + 32))


def test_training_dropout_changes_output():
    ember.manual_seed(0)
    layer = ember.nn.TransformerEncoderLayer(E, HEADS, FF, dropout=0.5)
    x = ember.randn(L, N, E)
    eval_output = layer.eval()(x)
    first, second = layer.train()(x), layer(x)
    assert not np.allclose(first.detach().numpy(), eval_output.detach().numpy())
    assert not np.allclose(first.detach().numpy(), second.detach().numpy())
