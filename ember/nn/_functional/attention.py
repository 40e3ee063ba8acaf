"""Attention: ``F.scaled_dot_product_attention`` and ``F.multi_head_attention_forward``.

Both are composed of differentiable ops (matmul, softmax, dropout); the private helpers
(``_canonical_mask``...) are PyTorch's, which ``nn.MultiheadAttention`` and the transformer
layers call too.
"""

import math
import warnings

import ember
from ember.nn import functional as F

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    r"""Computes :math:`\mathrm{softmax}(QK^T \cdot \text{scale} + \text{mask})\,V` over the
    last two dimensions (..., L, E) x (..., S, E) x (..., S, Ev) -> (..., L, Ev).

    Args:
        attn_mask: boolean (``True`` = take part in attention) or float (added to the scores),
            broadcastable to (..., L, S)
        dropout_p: dropout probability on the attention weights (applied whenever > 0)
        is_causal: masks the upper triangle (query i attends to keys 0..i); excludes
            ``attn_mask``
        scale: defaults to :math:`1/\sqrt{E}`
        enable_gqa: grouped-query attention: key/value heads (dim -3) are repeated to match
            the query's

    A query whose keys are all masked out gets zero output (PyTorch's ``_safe_softmax``).
    """
    _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal)
    if enable_gqa and key.dim() >= 3 and key.size(-3) != query.size(-3):
        if query.size(-3) % key.size(-3) or query.size(-3) % value.size(-3):
            raise RuntimeError("Number of heads in key and value must divide the number of "
                               "heads in query")
        key = key.repeat_interleave(query.size(-3) // key.size(-3), -3)
        value = value.repeat_interleave(query.size(-3) // value.size(-3), -3)
    scale = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    scores = ember.matmul(query * scale, key.transpose(-2, -1))
    bias = _attention_bias(attn_mask, is_causal, query, key)
    if bias is None:
        weights = ember.softmax(scores, -1)
    else:
        weights = _safe_softmax(scores + bias, bias)
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p)
    return ember.matmul(weights, value)


def _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal):
    if min(query.dim(), key.dim(), value.dim()) < 2:
        raise RuntimeError("Expected query, key, and value to all be  at least 2 dimensional, "
                           f"but got query.dim: {query.dim()} key.dim: {key.dim()} and "
                           f"value.dim: {value.dim()} instead.")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_c_name(query)} key.dtype: {_c_name(key)} and "
                           f"value.dtype: {_c_name(value)} instead.")
    if attn_mask is not None and attn_mask.dtype not in (ember.bool, ember.float32, query.dtype):
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query "
                           f"dtype, but got attn_mask.dtype: {_c_name(attn_mask)} and  "
                           f"query.dtype: {_c_name(query)} instead.")
    if not 0 <= dropout_p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")


def _c_name(tensor):
    names = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
             "int32": "int", "bool": "bool"}
    name = str(tensor.dtype).split(".")[-1]
    return names.get(name, name)


def _attention_bias(attn_mask, is_causal, query, key):
    """The additive mask (-inf where attention is blocked), or ``None``."""
    if is_causal:
        allowed = ember.ones(query.size(-2), key.size(-2), dtype=ember.bool,
                             device=query.device).tril()
        return _bool_to_bias(allowed, query.dtype)
    if attn_mask is not None and attn_mask.dtype == ember.bool:
        return _bool_to_bias(attn_mask, query.dtype)
    return attn_mask


def _bool_to_bias(allowed, dtype):
    return ember.zeros(allowed.shape, dtype=dtype, device=allowed.device).masked_fill(
        allowed.logical_not(), float("-inf"))


def _safe_softmax(scores, bias):
    """Softmax over the last dimension, with zeros for rows where ``bias`` blocks every key."""
    blocked = (bias == float("-inf")).all(-1, keepdim=True)
    if not blocked.any():
        return ember.softmax(scores, -1)
    # blocked rows are zeroed before the softmax too, so no NaN reaches the backward pass
    return ember.softmax(scores.masked_fill(blocked, 0), -1).masked_fill(blocked, 0)


# ---------------------------------------------------------------------- multi-head attention
def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Checks dimensions; returns whether the input is batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be "
                                 f"3-D but found {key.dim()}-D and {value.dim()}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be "
                                 f"`None` or 2-D but found {key_padding_mask.dim()}-D tensor "
                                 "instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, "
                                 f"2-D or 3-D but found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be "
                                 f"2-D but found {key.dim()}-D and {value.dim()}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to be "
                                 f"`None` or 1-D but found {key_padding_mask.dim()}-D tensor "
                                 "instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be "
                                     f"`None`, 2-D or 3-D but found {attn_mask.dim()}-D tensor "
                                     "instead")
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                     f"{attn_mask.shape}")
        return False
    raise AssertionError("query should be unbatched 2D or batched 3D tensor but received "
                         f"{query.dim()}-D query tensor")


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """A boolean mask (``True`` = blocked) as a float mask of ``target_type`` (-inf = blocked);
    float masks pass through."""
    if mask is None:
        return None
    is_float = mask.is_floating_point()
    if mask.dtype != ember.bool and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use "
                      "same type for both instead.", stacklevel=3)
    if is_float:
        return mask
    return ember.zeros(mask.shape, dtype=target_type, device=mask.device).masked_fill(
        mask, float("-inf"))


def _none_or_dtype(input):
    if input is None:
        return None
    if isinstance(input, ember.Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _in_projection_packed(q, k, v, w, b=None):
    """Projects query, key and value with the packed (3E, E) weight: one matmul when they are
    the same tensor (self-attention), two when key is value."""
    embed_dim = q.size(-1)
    if k is v:
        if q is k:
            proj = F.linear(q, w, b).unflatten(-1, (3, embed_dim))
            return tuple(proj.movedim(-2, 0).contiguous())
        w_q, w_kv = w.split([embed_dim, embed_dim * 2])
        b_q, b_kv = (None, None) if b is None else b.split([embed_dim, embed_dim * 2])
        kv_proj = F.linear(k, w_kv, b_kv).unflatten(-1, (2, embed_dim)).movedim(-2, 0)
        kv_proj = kv_proj.contiguous()
        return F.linear(q, w_q, b_q), kv_proj[0], kv_proj[1]
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    w_q, w_k, w_v = w.chunk(3)
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    """Projects query, key and value with separate weights (``kdim``/``vdim`` != ``embed_dim``)."""
    e_q, e_k, e_v = q.size(-1), k.size(-1), v.size(-1)
    for name, weight, shape in (("query", w_q, (e_q, e_q)), ("key", w_k, (e_q, e_k)),
                                ("value", w_v, (e_q, e_v))):
        if tuple(weight.shape) != shape:
            raise AssertionError(f"expecting {name} weights shape of {shape}, but got "
                                 f"{weight.shape}")
    for name, bias in (("query", b_q), ("key", b_k), ("value", b_v)):
        if bias is not None and tuple(bias.shape) != (e_q,):
            raise AssertionError(f"expecting {name} bias shape of {(e_q,)}, but got "
                                 f"{bias.shape}")
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def _pad_key(tensor):
    """Appends one zero at the end of the last (key) dimension of a mask."""
    zeros = ember.zeros(tuple(tensor.shape[:-1]) + (1,), dtype=tensor.dtype,
                        device=tensor.device)
    return ember.cat([tensor, zeros], -1)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    r"""Multi-head attention on sequence-first inputs: query (L, N, E), key (S, N, E_k),
    value (S, N, E_v) (or unbatched (L, E)...). Returns ``(attn_output, attn_weights)``; the
    weights (N, L, S), or (N, num_heads, L, S) without ``average_attn_weights``, are ``None``
    unless ``need_weights``. See :class:`ember.nn.MultiheadAttention` for the arguments."""
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                       _none_or_dtype(attn_mask), "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # sdpa builds the causal mask itself
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                    check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match "
                                 f"value's {value.shape[:2]}")
        for name, weight in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if weight is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name}_proj_weight "
                                     "is None")
        biases = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight,
                                 v_proj_weight, *biases)
    else:
        if key.shape != value.shape:
            raise AssertionError(f"key shape {key.shape} does not match value shape "
                                 f"{value.shape}")
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    if attn_mask is not None:
        attn_mask = _attn_mask_3d(attn_mask, tgt_len, key.shape[0], bsz * num_heads)
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = ember.cat([k, bias_k.repeat(1, bsz, 1)])
        v = ember.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = None if attn_mask is None else _pad_key(attn_mask)
        key_padding_mask = None if key_padding_mask is None else _pad_key(key_padding_mask)
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, bsz * num_heads, head_dim, "static_k")
    v = _heads(v, static_v, bsz * num_heads, head_dim, "static_v")
    if add_zero_attn:
        k = ember.cat([k, ember.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype,
                                      device=k.device)], 1)
        v = ember.cat([v, ember.zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype,
                                      device=v.device)], 1)
        attn_mask = None if attn_mask is None else _pad_key(attn_mask)
        key_padding_mask = None if key_padding_mask is None else _pad_key(key_padding_mask)
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len).expand(
            -1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    if need_weights:
        output, weights = _attention_with_weights(q, k, v, attn_mask, dropout_p)
        output = output.transpose(0, 1)
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
    else:
        if attn_mask is not None:
            attn_mask = attn_mask.unsqueeze(0) if attn_mask.size(0) == 1 else \
                attn_mask.view(bsz, num_heads, -1, src_len)
        output = scaled_dot_product_attention(
            q.view(bsz, num_heads, tgt_len, head_dim), k.view(bsz, num_heads, src_len, head_dim),
            v.view(bsz, num_heads, src_len, head_dim), attn_mask, dropout_p, is_causal)
        output, weights = output.permute(2, 0, 1, 3), None
    output = F.linear(output.reshape(tgt_len * bsz, embed_dim), out_proj_weight, out_proj_bias)
    output = output.view(tgt_len, bsz, output.size(1))
    if not is_batched:
        output = output.squeeze(1)
        weights = None if weights is None else weights.squeeze(0)
    return output, weights


def _attn_mask_3d(attn_mask, tgt_len, src_len, batch_heads):
    if attn_mask.dim() == 2:
        if tuple(attn_mask.shape) != (tgt_len, src_len):
            raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should "
                               f"be {(tgt_len, src_len)}.")
        return attn_mask.unsqueeze(0)
    if attn_mask.dim() == 3:
        if tuple(attn_mask.shape) != (batch_heads, tgt_len, src_len):
            raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should "
                               f"be {(batch_heads, tgt_len, src_len)}.")
        return attn_mask
    raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")


def _heads(tensor, static, batch_heads, head_dim, name):
    """(S, N, E) -> (N * num_heads, S, head_dim), or the given ``static_k``/``static_v``."""
    if static is None:
        return tensor.view(tensor.shape[0], batch_heads, head_dim).transpose(0, 1)
    if static.size(0) != batch_heads:
        raise AssertionError(f"expecting {name}.size(0) of {batch_heads}, but got "
                             f"{static.size(0)}")
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {static.size(2)}")
    return static


def _attention_with_weights(q, k, v, attn_mask, dropout_p):
    """Attention that also returns its weights (N * num_heads, L, S)."""
    q_scaled = q * math.sqrt(1.0 / float(q.shape[-1]))
    if attn_mask is not None:
        weights = ember.baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
    else:
        weights = ember.bmm(q_scaled, k.transpose(-2, -1))
    weights = ember.softmax(weights, -1)
    if dropout_p > 0.0:
        weights = F.dropout(weights, p=dropout_p)
    return ember.bmm(weights, v), weights
