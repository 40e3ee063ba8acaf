"""F.scaled_dot_product_attention, F.multi_head_attention_forward and nn.MultiheadAttention
against PyTorch."""

import math

import numpy as np
import pytest

import ember
from tests.module_db import ErrorCase, ModuleSpec, make_module_tests
from tests.op_db import OpSpec, make_tests

L, S, N, E = 3, 4, 2, 8


def _arrays(*shapes, masks=()):
    """Inputs: float arrays of ``shapes`` followed by the given fixed masks."""
    def inputs(rng, dtype, *_):
        return [rng.standard_normal(shape).astype(dtype) for shape in shapes] + \
            [mask if mask.dtype == bool else mask.astype(dtype) for mask in masks]
    return inputs


def _bool_mask(shape, seed=0):
    """Random blocked positions (``True``), never a whole row (PyTorch's MHA would give NaN)."""
    mask = np.random.default_rng(seed).random(shape) < 0.4
    mask[..., 0] = False
    return mask


FLOAT_MASK = np.random.default_rng(1).standard_normal((L, S))
CAUSAL = np.triu(np.full((L, L), -np.inf), 1)
PADDING = np.array([[False] * S, [False, False, True, True]])


# ---------------------------------------------------------------------- sdpa
def _sdpa(**kwargs):
    def fn(lib, query, key, value, *mask):
        return lib.nn.functional.scaled_dot_product_attention(
            query, key, value, *mask, **kwargs)
    return fn


QKV = [((N, 2, L, E), (N, 2, S, E), (N, 2, S, 5))]
ROW_BLOCKED = np.ones((L, S), dtype=bool)
ROW_BLOCKED[1] = False  # a query that may attend to nothing: zero output

SDPA_SPECS = [
    OpSpec("sdpa", _sdpa(), QKV + [((L, E), (S, E), (S, 5))]),
    OpSpec("sdpa_causal", _sdpa(is_causal=True), QKV + [((N, 2, 5, E), (N, 2, S, E),
                                                         (N, 2, S, 5))]),
    OpSpec("sdpa_scale", _sdpa(scale=0.3), QKV),
    OpSpec("sdpa_bool_mask", _sdpa(), QKV,
           inputs=_arrays(*QKV[0], masks=[~_bool_mask((L, S))])),
    OpSpec("sdpa_blocked_row", _sdpa(), QKV, inputs=_arrays(*QKV[0], masks=[ROW_BLOCKED])),
    OpSpec("sdpa_float_mask", _sdpa(), QKV + [((N, 2, L, E), (N, 2, S, E), (N, 2, S, 5), (L, S))],
           noncontiguous=False),
    OpSpec("sdpa_gqa", _sdpa(enable_gqa=True), [((N, 4, L, E), (N, 2, S, E), (N, 2, S, 5))]),
    OpSpec("sdpa_dropout0", _sdpa(dropout_p=0.0), QKV, error_cases=[
        ErrorCase(lambda lib: lib.nn.functional.scaled_dot_product_attention(
            lib.ones(2, 3, 4), lib.ones(2, 3, 4), lib.ones(2, 3, 4), dropout_p=1.5),
            RuntimeError, "dropout probability has to be between 0 and 1, but got 1.5"),
        ErrorCase(lambda lib: lib.nn.functional.scaled_dot_product_attention(
            lib.ones(2, 3, 4), lib.ones(2, 3, 4), lib.ones(2, 3, 4),
            lib.ones(3, 3, dtype=lib.bool), is_causal=True),
            RuntimeError, "Explicit attn_mask should not be set when is_causal=True"),
        ErrorCase(lambda lib: lib.nn.functional.scaled_dot_product_attention(
            lib.ones(2, 4, 3, 4), lib.ones(2, 3, 3, 4), lib.ones(2, 3, 3, 4), enable_gqa=True),
            RuntimeError, "Number of heads in key and value must divide the number of heads"),
        ErrorCase(lambda lib: lib.nn.functional.scaled_dot_product_attention(
            lib.ones(2, 3, 4), lib.ones(2, 3, 4), lib.ones(2, 3, 4, dtype=lib.float64)),
            RuntimeError, "Expected query, key, and value to have the same dtype"),
        ErrorCase(lambda lib: lib.nn.functional.scaled_dot_product_attention(
            lib.ones(2, 3, 4), lib.ones(2, 3, 4), lib.ones(2, 3, 4),
            lib.ones(3, 3, dtype=lib.int64)),
            RuntimeError, "Expected attn_mask dtype to be bool or float or to match query dtype"),
    ]),
]


def test_sdpa_dropout_statistics():
    """With dropout_p, the weights are zeroed with probability p and the rest scaled by
    1 / (1 - p): the output stays unbiased."""
    ember.manual_seed(0)
    query, key = ember.randn(64, 1, 16, 8), ember.randn(64, 1, 32, 8)
    value = ember.ones(64, 1, 32, 1)
    output = ember.nn.functional.scaled_dot_product_attention(query, key, value, dropout_p=0.3)
    plain = ember.nn.functional.scaled_dot_product_attention(query, key, value)
    np.testing.assert_allclose(plain.numpy(), 1, rtol=1e-5)
    assert output.min().item() >= 0
    assert abs(output.mean().item() - 1) < 0.05
    assert output.std().item() > 0.1


# ---------------------------------------------------------------------- F.multi_head_attention
def _mha_forward(**kwargs):
    def fn(lib, query, key, value, in_proj_weight, in_proj_bias, out_proj_weight,
           out_proj_bias):
        return lib.nn.functional.multi_head_attention_forward(
            query, key, value, E, 2, in_proj_weight, in_proj_bias, None, None, False, 0.0,
            out_proj_weight, out_proj_bias, **kwargs)
    return fn


MHA_SHAPES = [((L, N, E), (S, N, E), (S, N, E), (3 * E, E), (3 * E,), (E, E), (E,))]

MHA_FORWARD_SPECS = [
    OpSpec("mha_forward", _mha_forward(), MHA_SHAPES, noncontiguous=False, domain=(-1, 1)),
    OpSpec("mha_forward_no_weights", _mha_forward(need_weights=False), MHA_SHAPES,
           noncontiguous=False, domain=(-1, 1)),
    OpSpec("mha_forward_per_head", _mha_forward(average_attn_weights=False), MHA_SHAPES,
           noncontiguous=False, domain=(-1, 1)),
]

make_tests(globals(), SDPA_SPECS + MHA_FORWARD_SPECS)


# ---------------------------------------------------------------------- nn.MultiheadAttention
def _mha(**kwargs):
    return lambda lib: lib.nn.MultiheadAttention(E, 2, **kwargs)


def _masks(call_kwargs, masks):
    """The keyword arguments, with the masks given as inputs filled in where ``"input"``."""
    masks = iter(masks)
    return {name: next(masks) if value == "input" else value
            for name, value in call_kwargs.items()}


def _self_call(**call_kwargs):
    return lambda m, x, *masks: m(x, x, x, **_masks(call_kwargs, masks))


def _cross_call(**call_kwargs):
    return lambda m, q, k, v, *masks: m(q, k, v, **_masks(call_kwargs, masks))


QKV_SEQ = [(L, N, E), (S, N, E), (S, N, E)]
ATTN_BOOL = _bool_mask((L, S))
ATTN_3D = np.random.default_rng(2).standard_normal((N * 2, L, S))

MODULE_SPECS = [
    ModuleSpec("mha", _mha(), QKV_SEQ, call=_cross_call()),
    ModuleSpec("mha_self", _mha(), [(L, N, E)], call=_self_call()),
    ModuleSpec("mha_key_is_value", _mha(), [(L, N, E), (S, N, E)],
               call=lambda m, q, kv: m(q, kv, kv)),
    ModuleSpec("mha_no_weights", _mha(), [(L, N, E)], call=_self_call(need_weights=False)),
    ModuleSpec("mha_per_head", _mha(), QKV_SEQ, call=_cross_call(average_attn_weights=False)),
    ModuleSpec("mha_batch_first", _mha(batch_first=True), [(N, L, E), (N, S, E), (N, S, E)],
               call=_cross_call()),
    ModuleSpec("mha_batch_first_self", _mha(batch_first=True), [(N, L, E)],
               call=_self_call(need_weights=False)),
    ModuleSpec("mha_unbatched", _mha(), [(L, E), (S, E), (S, E)], call=_cross_call()),
    ModuleSpec("mha_kdim_vdim", _mha(kdim=3, vdim=5), [(L, N, E), (S, N, 3), (S, N, 5)],
               call=_cross_call()),
    ModuleSpec("mha_bias_kv_zero_attn", _mha(add_bias_kv=True, add_zero_attn=True, bias=False,
                                             kdim=3, vdim=5),
               _arrays((L, N, E), (S, N, 3), (S, N, 5), masks=[ATTN_BOOL, PADDING]),
               call=_cross_call(attn_mask="input", key_padding_mask="input")),
    ModuleSpec("mha_bool_mask", _mha(), _arrays(*QKV_SEQ, masks=[ATTN_BOOL]),
               call=_cross_call(attn_mask="input")),
    ModuleSpec("mha_bool_mask_sdpa", _mha(), _arrays(*QKV_SEQ, masks=[ATTN_BOOL]),
               call=_cross_call(attn_mask="input", need_weights=False)),
    ModuleSpec("mha_float_masks", _mha(),
               _arrays(*QKV_SEQ, masks=[FLOAT_MASK, np.zeros((N, S)) - PADDING * 1e4]),
               call=_cross_call(attn_mask="input", key_padding_mask="input")),
    ModuleSpec("mha_3d_mask", _mha(), _arrays(*QKV_SEQ, masks=[ATTN_3D]),
               call=_cross_call(attn_mask="input", need_weights=False)),
    ModuleSpec("mha_key_padding", _mha(), _arrays(*QKV_SEQ, masks=[PADDING]),
               call=_cross_call(key_padding_mask="input")),
    ModuleSpec("mha_key_padding_sdpa", _mha(batch_first=True),
               _arrays((N, L, E), (N, S, E), (N, S, E), masks=[PADDING]),
               call=_cross_call(key_padding_mask="input", need_weights=False)),
    ModuleSpec("mha_causal", _mha(), _arrays((L, N, E), masks=[CAUSAL]),
               call=_self_call(attn_mask="input", is_causal=True, need_weights=False)),
    ModuleSpec("mha_causal_weights", _mha(), _arrays((L, N, E), masks=[CAUSAL]),
               call=_self_call(attn_mask="input", is_causal=True)),
    ModuleSpec("mha_dropout_eval", _mha(dropout=0.5), [(L, N, E)], call=_self_call(),
               modes=("eval",)),
]

ERRORS = [
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 3), AssertionError,
              "embed_dim must be divisible by num_heads"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(0, 3), ValueError,
              "embed_dim and num_heads must be greater than 0, got embed_dim=0 and num_heads=3 "
              "instead"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
        attn_mask=lib.ones(3, 3, dtype=lib.bool)),
        RuntimeError, r"The shape of the 2D attn_mask is .*\[3, 3\]\), but should be \(3, 4\)."),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
        key_padding_mask=lib.ones(2, 3, dtype=lib.bool)),
        AssertionError, "Expected key_padded_mask.shape\\[1\\] to be 4, but got 3"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
        attn_mask=lib.ones(3, 4, dtype=lib.int32)),
        AssertionError, "only bool and floating types of attn_mask are supported"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 7), lib.ones(4, 2, 7), lib.ones(4, 2, 7)),
        AssertionError, "was expecting embedding dimension of 8, but got 7"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8), is_causal=True),
        RuntimeError, "Need attn_mask if specifying the is_causal hint"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 8), lib.ones(4, 2, 8), lib.ones(5, 2, 8)),
        AssertionError, "key shape .* does not match value shape"),
    ErrorCase(lambda lib: lib.nn.MultiheadAttention(8, 2)(
        lib.ones(3, 2, 8), lib.ones(4, 8), lib.ones(4, 8)),
        AssertionError, "For batched \\(3-D\\) `query`, expected `key` and `value` to be 3-D "
                        "but found 2-D and 2-D tensors respectively"),
]
MODULE_SPECS[0].error_cases = ERRORS

make_module_tests(globals(), MODULE_SPECS)


def test_repr_parameters_and_init(torch):
    """PyTorch's repr and parameter names; xavier_uniform_ projections and zero biases."""
    for kwargs in ({}, dict(kdim=3, vdim=5, add_bias_kv=True, bias=False)):
        ours = ember.nn.MultiheadAttention(64, 4, **kwargs)
        theirs = torch.nn.MultiheadAttention(64, 4, **kwargs)
        assert repr(ours) == repr(theirs).replace("torch", "ember")
        assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
            [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    layer = ember.nn.MultiheadAttention(64, 4)
    weight = layer.in_proj_weight.detach().numpy()
    bound = math.sqrt(6 / (64 + 3 * 64))
    assert np.abs(weight).max() <= bound and abs(weight.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert not layer.in_proj_bias.detach().numpy().any()
    assert not layer.out_proj.bias.detach().numpy().any()
    assert type(layer.out_proj).__name__ == "NonDynamicallyQuantizableLinear"


def test_merge_masks(torch):
    """``merge_masks`` (used by PyTorch's fast path) combines the masks like PyTorch's."""
    attn_mask, padding = np.random.default_rng(0).standard_normal((L, L)), PADDING[:, :L] * -5.0
    merged = []
    for lib in (ember, torch):
        layer = lib.nn.MultiheadAttention(E, 2, batch_first=True)
        mask, kind = layer.merge_masks(lib.tensor(attn_mask), lib.tensor(padding),
                                       lib.ones(N, L, E))
        merged.append((mask.numpy(), kind))
    np.testing.assert_allclose(merged[0][0], merged[1][0])
    assert merged[0][1] == merged[1][1] == 2


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mask_type_mismatch_warns(dtype):
    layer = ember.nn.MultiheadAttention(E, 2).to(getattr(ember, dtype))
    x = ember.ones(L, N, E, dtype=getattr(ember, dtype))
    with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and attn_mask"):
        layer(x, x, x, key_padding_mask=ember.zeros(N, L, dtype=ember.bool),
              attn_mask=ember.zeros(L, L, dtype=getattr(ember, dtype)))
