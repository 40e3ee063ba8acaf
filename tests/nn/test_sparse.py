"""Embedding, EmbeddingBag and one_hot against PyTorch: lookups, bag reductions, gradients
(padding, frequency scaling, per-sample weights), max_norm, the sparse-gradient mark, errors."""

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from tests.module_db import ModuleSpec, make_module_tests
from tests.op_db import ErrorCase, OpSpec, make_tests

NUM, DIM = 10, 3


def _lookup_inputs(index_shape, extra=()):
    """A weight and an index array of ``index_shape`` (repeats included), then ``extra``."""
    def inputs(rng, dtype, shapes):
        weight = rng.standard_normal((NUM, DIM)).astype(dtype)
        indices = rng.integers(0, NUM, index_shape)
        indices.flat[:2] = 2  # repeats of the padding index used below
        return [weight, indices, *[np.array(e) if not callable(e) else e(rng, dtype)
                                   for e in extra]]

    return inputs


def _weights(size):
    return lambda rng, dtype: rng.uniform(-2, 2, size).astype(dtype)


def _bag(**kwargs):
    return lambda lib, w, i, o: lib.nn.functional.embedding_bag(i, w, o, **kwargs)


def _bag2d(**kwargs):
    return lambda lib, w, i: lib.nn.functional.embedding_bag(i, w, **kwargs)


def _emb(**kwargs):
    return lambda lib, w, i: lib.nn.functional.embedding(i, w, **kwargs)


OFFSETS = [0, 3, 3, 7]  # an empty bag in the middle
ONE_D = [((NUM, DIM), (10,), (4,))]
TWO_D = [((NUM, DIM), (4, 3))]
F_BAG = "embedding_bag"


def _bag_error(call, error, match):
    return ErrorCase(lambda lib: call(lib, lib.nn.functional), error, match)


OP_SPECS = [
    OpSpec("embedding", _emb(), [((NUM, DIM), (2, 4))], inputs=_lookup_inputs((2, 4)),
           noncontiguous=False,
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.embedding(lib.tensor([10]),
                                                                 lib.randn(10, 3)),
                         IndexError, "index out of range in self"),
               ErrorCase(lambda lib: lib.nn.functional.embedding(lib.tensor([-1]),
                                                                 lib.randn(10, 3)),
                         IndexError, "index out of range in self"),
               ErrorCase(lambda lib: lib.nn.functional.embedding(lib.tensor([1.0]),
                                                                 lib.randn(10, 3)),
                         RuntimeError, r"Expected tensor for argument #1 'indices' to have one "
                                       r"of the following scalar types: Long, Int; but got "
                                       r"ember.FloatTensor instead \(while checking arguments "
                                       r"for embedding\)"),
               ErrorCase(lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.randn(10)),
                         RuntimeError, "'weight' must be 2-D"),
               ErrorCase(lambda lib: lib.nn.functional.embedding(lib.tensor([1]),
                                                                 lib.randn(10, 3),
                                                                 padding_idx=10),
                         AssertionError, "Padding_idx must be within num_embeddings"),
               ErrorCase(lambda lib: lib.nn.functional.embedding(lib.tensor([1]),
                                                                 lib.randn(10, 3),
                                                                 padding_idx=-11),
                         AssertionError, "Padding_idx must be within num_embeddings")]),
    OpSpec("embedding_1d", _emb(), [((NUM, DIM), (7,))], inputs=_lookup_inputs((7,))),
    OpSpec("embedding_0d", _emb(), [((NUM, DIM), ())], inputs=_lookup_inputs(())),
    OpSpec("embedding_empty", _emb(), [((NUM, DIM), (0, 2))], inputs=_lookup_inputs((0, 2))),
    OpSpec("embedding_int32", lambda lib, w, i: lib.nn.functional.embedding(i.int(), w),
           [((NUM, DIM), (5,))], inputs=_lookup_inputs((5,))),
    # by design, padding rows get no gradient and frequency scaling changes it: no gradcheck
    # for those (float32 only, as gradcheck runs in float64)
    OpSpec("embedding_freq", _emb(scale_grad_by_freq=True), [((NUM, DIM), (3, 4))],
           inputs=_lookup_inputs((3, 4)), dtypes=("float32",), noncontiguous=False),
    OpSpec("embedding_padding", _emb(padding_idx=2), [((NUM, DIM), (3, 4))],
           inputs=_lookup_inputs((3, 4)), dtypes=("float32",), noncontiguous=False),
    OpSpec("embedding_padding_negative_freq", _emb(padding_idx=-8, scale_grad_by_freq=True),
           [((NUM, DIM), (3, 4))], inputs=_lookup_inputs((3, 4)), dtypes=("float32",),
           noncontiguous=False),
    OpSpec("embedding_top_level", lambda lib, w, i: lib.embedding(w, i), [((NUM, DIM), (5,))],
           inputs=_lookup_inputs((5,))),
    *[OpSpec(f"bag_{mode}", _bag(mode=mode), ONE_D, gradgrad=False,
             inputs=_lookup_inputs((10,), [OFFSETS])) for mode in ("sum", "mean", "max")],
    *[OpSpec(f"bag_{mode}_2d", _bag2d(mode=mode), TWO_D, gradgrad=False, noncontiguous=False,
             inputs=_lookup_inputs((4, 3))) for mode in ("sum", "mean", "max")],
    *[OpSpec(f"bag_{mode}_padding", _bag(mode=mode, padding_idx=2), ONE_D, dtypes=("float32",),
             inputs=_lookup_inputs((10,), [OFFSETS])) for mode in ("sum", "mean", "max")],
    OpSpec("bag_mean_2d_padding", _bag2d(padding_idx=2), TWO_D, dtypes=("float32",),
           noncontiguous=False, inputs=_lookup_inputs((4, 3))),
    OpSpec("bag_mean_freq", _bag(scale_grad_by_freq=True), ONE_D, dtypes=("float32",),
           inputs=_lookup_inputs((10,), [OFFSETS])),
    OpSpec("bag_include_last_offset", _bag(mode="sum", include_last_offset=True),
           [((NUM, DIM), (10,), (5,))], gradgrad=False,
           inputs=_lookup_inputs((10,), [OFFSETS + [10]])),
    OpSpec("bag_sum_weighted",
           lambda lib, w, i, o, p: lib.nn.functional.embedding_bag(
               i, w, o, mode="sum", per_sample_weights=p),
           [((NUM, DIM), (10,), (4,), (10,))], gradgrad=False,
           inputs=_lookup_inputs((10,), [OFFSETS, _weights(10)])),
    OpSpec("bag_sum_weighted_2d_padding",
           lambda lib, w, i, p: lib.nn.functional.embedding_bag(
               i, w, mode="sum", per_sample_weights=p, padding_idx=2),
           [((NUM, DIM), (4, 3), (4, 3))], dtypes=("float32",), noncontiguous=False,
           inputs=_lookup_inputs((4, 3), [_weights((4, 3))]),
           error_cases=[
               _bag_error(lambda lib, F: F.embedding_bag(lib.zeros(2, 2, 2, dtype=lib.int64),
                                                         lib.randn(10, 3)),
                          ValueError, "input has to be 1D or 2D Tensor, but got Tensor of "
                                      "dimension 3"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([1, 2]), lib.randn(10, 3)),
                          ValueError, "offsets has to be a 1D Tensor but got None"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10, 3),
                                                         lib.tensor([0])),
                          ValueError, "if input is 2D, then offsets has to be None"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([1, 2]), lib.randn(10, 3),
                                                         lib.tensor([[0]])),
                          ValueError, "offsets has to be a 1D Tensor"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10, 3),
                                                         mode="foo"),
                          ValueError, "mode has to be one of sum, mean or max"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10, 3),
                                                         per_sample_weights=lib.ones(1, 2)),
                          NotImplementedError, "per_sample_weights is only supported for "
                                               "mode='sum' \\(got mode='mean'\\)"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10, 3),
                                                         per_sample_weights=lib.ones(2),
                                                         mode="sum"),
                          ValueError, "embedding_bag: If per_sample_weights"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 12]]),
                                                         lib.randn(10, 3)),
                          RuntimeError, r"Index 1 of input takes value 12 which is not in the "
                                        r"valid range \[0, 10\)"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([1, 2, 3]), lib.randn(10, 3),
                                                         lib.tensor([1, 2])),
                          RuntimeError, "offsets\\[0\\] has to be 0, i.e., the first sequence "
                                        "in the mini-batch has to start from position 0. "
                                        "However, got 1"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([1, 2, 3]), lib.randn(10, 3),
                                                         lib.tensor([0, 5])),
                          RuntimeError, "offsets\\[-1\\] can not be greater than input's length "
                                        "3 but got offsets\\[-1\\] of 5"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10, 3),
                                                         mode="max", sparse=True),
                          ValueError, "max mode does not support sparse weights"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10, 3),
                                                         mode="max", scale_grad_by_freq=True),
                          ValueError, "max mode does not support scaling the gradient by the "
                                      "frequency"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1, 2]]), lib.randn(10)),
                          ValueError, "weight has to be a 2D Tensor, but got Tensor of "
                                      "dimension 1"),
               _bag_error(lambda lib, F: F.embedding_bag(lib.tensor([[1.0, 2]]),
                                                         lib.randn(10, 3)),
                          RuntimeError, "while checking arguments for embedding_bag"),
           ]),
    OpSpec("one_hot", lambda lib, i: lib.nn.functional.one_hot(i), [((2, 3),), ((),)],
           dtypes=("int64",), domain=(0, 4), grad=False,
           error_cases=[
               ErrorCase(lambda lib: lib.nn.functional.one_hot(lib.tensor([0, 2, 1]), 2),
                         RuntimeError, "Class values must be smaller than num_classes."),
               ErrorCase(lambda lib: lib.nn.functional.one_hot(lib.tensor([0, 1]), -2),
                         RuntimeError, "Class values must be smaller than num_classes."),
               ErrorCase(lambda lib: lib.nn.functional.one_hot(lib.tensor([0, -1])),
                         RuntimeError, "Class values must be non-negative."),
               ErrorCase(lambda lib: lib.nn.functional.one_hot(lib.tensor([0.0, 1.0])),
                         RuntimeError, "one_hot is only applicable to index tensor of type "
                                       "LongTensor."),
               ErrorCase(lambda lib: lib.nn.functional.one_hot(lib.tensor([0, 1],
                                                                          dtype=lib.int32)),
                         RuntimeError, "one_hot is only applicable to index tensor"),
               ErrorCase(lambda lib: lib.nn.functional.one_hot(lib.zeros(0, dtype=lib.int64)),
                         RuntimeError, "Can not infer total number of classes from empty "
                                       "tensor.")]),
    OpSpec("one_hot_num_classes", lambda lib, i: lib.nn.functional.one_hot(i, 7),
           [((4,),), ((0, 2),)], dtypes=("int64",), domain=(0, 4), grad=False),
]

make_tests(globals(), OP_SPECS)


def _index_inputs(index_shape, extra=()):
    def inputs(rng, dtype):
        return [rng.integers(0, NUM, index_shape), *[np.array(e) if not callable(e)
                                                     else e(rng, dtype) for e in extra]]

    return inputs


def _layer(name, *args, **kwargs):
    return lambda lib: getattr(lib.nn, name)(*args, **kwargs)


MODULE_SPECS = [
    ModuleSpec("Embedding", _layer("Embedding", NUM, DIM), _index_inputs((4, 5))),
    ModuleSpec("Embedding_padding", _layer("Embedding", NUM, DIM, padding_idx=0),
               lambda rng, dtype: [np.array([[0, 1, 0], [2, 0, 3]])]),
    ModuleSpec("Embedding_max_norm", _layer("Embedding", NUM, DIM, max_norm=1.0),
               _index_inputs((4, 5))),
    ModuleSpec("Embedding_max_norm_p1", _layer("Embedding", NUM, DIM, max_norm=0.5,
                                               norm_type=1.0), _index_inputs((6,))),
    ModuleSpec("Embedding_freq", _layer("Embedding", NUM, DIM, scale_grad_by_freq=True),
               _index_inputs((4, 5))),
    ModuleSpec("EmbeddingBag", _layer("EmbeddingBag", NUM, DIM), _index_inputs((4, 5))),
    ModuleSpec("EmbeddingBag_offsets_sum", _layer("EmbeddingBag", NUM, DIM, mode="sum"),
               _index_inputs((10,), [OFFSETS])),
    ModuleSpec("EmbeddingBag_max_padding",
               _layer("EmbeddingBag", NUM, DIM, mode="max", padding_idx=2),
               lambda rng, dtype: [np.array([2, 1, 2, 2, 5, 7]), np.array([0, 2, 4])]),
    ModuleSpec("EmbeddingBag_last_offset",
               _layer("EmbeddingBag", NUM, DIM, include_last_offset=True),
               _index_inputs((10,), [OFFSETS + [10]])),
    ModuleSpec("EmbeddingBag_weighted", _layer("EmbeddingBag", NUM, DIM, mode="sum"),
               _index_inputs((10,), [OFFSETS, _weights(10)])),
    ModuleSpec("EmbeddingBag_max_norm", _layer("EmbeddingBag", NUM, DIM, max_norm=1.0),
               _index_inputs((3, 4)),
               error_cases=[ErrorCase(_layer("Embedding", 10, 3, padding_idx=10), AssertionError,
                                      "Padding_idx must be within num_embeddings"),
                            ErrorCase(_layer("EmbeddingBag", 10, 3, padding_idx=-11),
                                      AssertionError,
                                      "padding_idx must be within num_embeddings"),
                            ErrorCase(lambda lib: lib.nn.Embedding(10, 3)(lib.tensor([[10]])),
                                      IndexError, "index out of range in self"),
                            ErrorCase(lambda lib: lib.nn.Embedding(3, 2, _weight=lib.ones(2, 2)),
                                      AssertionError, "Shape of weight does not match "
                                                      "num_embeddings and embedding_dim"),
                            ErrorCase(lambda lib: lib.nn.Embedding.from_pretrained(lib.ones(3)),
                                      AssertionError, "Embeddings parameter is expected to be "
                                                      "2-dimensional")]),
]

make_module_tests(globals(), MODULE_SPECS)

REPR_CASES = [
    ("Embedding", (10, 3), {}), ("Embedding", (10, 3), {"padding_idx": 0}),
    ("Embedding", (10, 3), {"padding_idx": -1, "max_norm": 1.0}),
    ("Embedding", (10, 3), {"max_norm": 2, "norm_type": 1.0, "scale_grad_by_freq": True,
                            "sparse": True}),
    ("EmbeddingBag", (10, 3), {}), ("EmbeddingBag", (10, 3), {"mode": "sum", "padding_idx": 2}),
    ("EmbeddingBag", (10, 3), {"max_norm": 1.0, "norm_type": 3.0, "scale_grad_by_freq": True,
                               "mode": "max", "include_last_offset": True}),
]


@pytest.mark.parametrize("name,args,kwargs", REPR_CASES)
def test_repr(name, args, kwargs, torch):
    assert repr(getattr(ember.nn, name)(*args, **kwargs)) == \
        repr(getattr(torch.nn, name)(*args, **kwargs))


def test_padding_row_initialised_to_zero_and_never_updated():
    layer = ember.nn.Embedding(5, 4, padding_idx=-1)
    assert layer.padding_idx == 4
    assert not layer.weight[4].detach().numpy().any() and layer.weight[0].detach().numpy().any()
    layer(ember.tensor([4, 1, 4])).sum().backward()
    assert not layer.weight.grad[4].numpy().any()
    np.testing.assert_array_equal(layer.weight.grad[1].numpy(), 1.0)


def test_from_pretrained(torch):
    weight = np.arange(12, dtype=np.float32).reshape(4, 3)
    for freeze in (True, False):
        layer = ember.nn.Embedding.from_pretrained(ember.from_numpy(weight), freeze=freeze)
        assert layer.weight.requires_grad is not freeze
        np.testing.assert_array_equal(layer(ember.tensor([2])).detach().numpy(), weight[[2]])
        bag = ember.nn.EmbeddingBag.from_pretrained(ember.from_numpy(weight), freeze=freeze,
                                                    mode="sum")
        assert bag.weight.requires_grad is not freeze
        np.testing.assert_array_equal(bag(ember.tensor([[1, 2]])).detach().numpy(),
                                      weight[[1]] + weight[[2]])
    expected = torch.nn.Embedding.from_pretrained(torch.from_numpy(weight), padding_idx=1)
    assert repr(ember.nn.Embedding.from_pretrained(ember.from_numpy(weight),
                                                   padding_idx=1)) == repr(expected)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_max_norm_renormalises_rows_in_place(norm_type, torch):
    weights = []
    indices = [[1, 3, 3], [5, 0, 9]]
    for lib in (torch, ember):
        lib.manual_seed(0)
        layer = lib.nn.Embedding(10, 4, max_norm=1.5, norm_type=norm_type).double()
        layer.load_state_dict({"weight": lib.from_numpy(
            np.random.default_rng(0).standard_normal((10, 4)) * 2)})
        version = layer.weight._version
        output = layer(lib.tensor(indices))
        assert layer.weight._version > version
        weights.append((layer.weight.detach().numpy(), output.detach().numpy()))
    np.testing.assert_allclose(weights[1][0], weights[0][0], rtol=1e-12)
    np.testing.assert_allclose(weights[1][1], weights[0][1], rtol=1e-12)
    norms = np.linalg.norm(weights[1][0][[0, 1, 3, 5, 9]], ord=norm_type, axis=1)
    assert (norms <= 1.5 + 1e-6).all()


def _sparse_step(lib, indices, padding_idx=None):
    layer = lib.nn.Embedding(10, 3, padding_idx=padding_idx, sparse=True).double()
    layer.load_state_dict({"weight": lib.from_numpy(
        np.random.default_rng(0).standard_normal((10, 3)))})
    for index in indices:
        (layer(lib.tensor(index)) ** 2).sum().backward()
    return layer.weight.grad


@pytest.mark.parametrize("indices,padding_idx", [
    ([[[1, 4, 4], [7, 1, 0]]], None), ([[2, 2, 5]], 2), ([[1, 4], [4, 8, 8]], None)])
def test_sparse_gradient_is_dense_with_touched_rows(indices, padding_idx, torch):
    """PyTorch's sparse COO gradient: ember's dense gradient equals it and carries its rows."""
    expected = _sparse_step(torch, indices, padding_idx).coalesce()
    grad = _sparse_step(ember, indices, padding_idx)
    np.testing.assert_allclose(grad.numpy(), expected.to_dense().numpy(), rtol=1e-12)
    assert grad._sparse_indices.dtype == ember.int64
    np.testing.assert_array_equal(grad._sparse_indices.numpy(), expected.indices()[0].numpy())


def test_sparse_mark_dropped_when_a_dense_gradient_adds_in():
    layer = ember.nn.Embedding(10, 3, sparse=True)
    layer(ember.tensor([1, 2])).sum().backward()
    assert layer.weight.grad._sparse_indices.tolist() == [1, 2]
    (layer.weight * 2).sum().backward()
    assert not hasattr(layer.weight.grad, "_sparse_indices")
    dense = ember.nn.Embedding(10, 3)
    dense(ember.tensor([1])).sum().backward()
    assert not hasattr(dense.weight.grad, "_sparse_indices")


def test_embedding_double_backward():
    weight = ember.randn(6, 2, dtype=ember.float64, requires_grad=True)
    indices = ember.tensor([[0, 3], [3, 5]])
    (grad,) = ember.autograd.grad((F.embedding(indices, weight) ** 2).sum(), weight,
                                  create_graph=True)
    assert grad.grad_fn.name() == "EmbeddingDenseBackwardBackward0"
    assert ember.autograd.gradgradcheck(
        lambda w: F.embedding(indices, w, scale_grad_by_freq=True), (weight,))


def test_embedding_bag_double_backward_not_implemented(torch):
    for lib in (torch, ember):
        weight = lib.randn(6, 2, requires_grad=True)
        output = lib.nn.functional.embedding_bag(lib.tensor([[0, 3], [3, 5]]), weight)
        (grad,) = lib.autograd.grad((output ** 2).sum(), weight, create_graph=True)
        with pytest.raises(NotImplementedError, match="the derivative for "
                                                      "'_embedding_bag_backward' is not "
                                                      "implemented."):
            grad.sum().backward()


def test_embedding_bag_empty_offsets_and_last_offset_only(torch):
    for kwargs in ({"offsets": []}, {"offsets": [0], "include_last_offset": True}):
        shapes = []
        for lib in (torch, ember):
            offsets = lib.tensor(kwargs["offsets"], dtype=lib.int64)
            output = lib.nn.functional.embedding_bag(
                lib.tensor([1, 2]), lib.randn(10, 3), offsets,
                include_last_offset=kwargs.get("include_last_offset", False))
            shapes.append(tuple(output.shape))
        assert shapes[0] == shapes[1] == (0, 3)
