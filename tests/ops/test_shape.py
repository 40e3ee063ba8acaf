"""Joining, splitting and reordering ops, through the generic op checks plus view semantics."""

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

ALL = ("float64", "float32", "int64")


def _ints(lib, values):
    return lib.tensor(values, dtype=lib.int64)


def _flat(*results):
    """One flat tuple from several tuple results (the harness compares its elements)."""
    return tuple(t for r in results for t in (_flat(*r) if isinstance(r, (tuple, list)) else (r,)))


SPECS = [
    # ------------------------------------------------------------------ joining
    OpSpec("cat", lambda lib, a, b: lib.cat([a, b]), [((2, 3), (4, 3)), ((0, 3), (2, 3)),
                                                      ((1,), (3,))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.cat([lib.ones(2, 2), lib.ones(2, 3)]), RuntimeError,
                         r"Sizes of tensors must match except in dimension 0. Expected size 2 "
                         r"but got size 3 for tensor number 1 in the list."),
               ErrorCase(lambda lib: lib.cat([lib.ones(2, 2), lib.ones(3, 3)], dim=1),
                         RuntimeError, r"Sizes of tensors must match except in dimension 1. "
                         r"Expected size 2 but got size 3 for tensor number 1 in the list."),
               ErrorCase(lambda lib: lib.cat([lib.ones(2, 2), lib.ones(2)], dim=1), RuntimeError,
                         r"Tensors must have same number of dimensions: got 2 and 1"),
               ErrorCase(lambda lib: lib.cat([lib.ones(2), lib.ones(())]), RuntimeError,
                         r"zero-dimensional tensor \(at position 1\) cannot be concatenated"),
               ErrorCase(lambda lib: lib.cat([]), ValueError, "non-empty"),
               ErrorCase(lambda lib: lib.cat([lib.ones(2, 2)], dim=2), IndexError,
                         r"Dimension out of range"),
               ErrorCase(lambda lib: lib.cat(lib.ones(2, 2)), TypeError, "tuple of Tensors"),
           ]),
    OpSpec("cat_dims", lambda lib, a, b: lib.cat((a, b, a), dim=-1),
           [((2, 3, 4), (2, 3, 1)), ((2, 0), (2, 3))], dtypes=ALL),
    OpSpec("cat_promote", lambda lib, a, b: lib.cat([a, b.double(), (a > 0).long()], 1),
           [((2, 3), (2, 2))], dtypes=("float32",)),
    OpSpec("cat_skips_1d_empty", lambda lib, a, b: lib.cat([b, a, b], 1),
           [((2, 3), (0,))], noncontiguous=False),
    OpSpec("concat", lambda lib, a, b: lib.concat([a, b], dim=1), [((2, 3), (2, 2))]),
    OpSpec("concatenate", lambda lib, a, b: lib.concatenate([a, b], axis=0),
           [((2, 3), (1, 3))]),
    OpSpec("stack", lambda lib, a, b: (lib.stack([a, b]), lib.stack((a, b), dim=-1),
                                       lib.stack([b, a, b], a.dim())),
           [((2, 3), (2, 3)), ((), ()), ((0, 2), (0, 2))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.stack([lib.ones(2, 2), lib.ones(3, 3)]), RuntimeError,
                         r"stack expects each tensor to be equal size, but got \[2, 2\] at "
                         r"entry 0 and \[3, 3\] at entry 1"),
               ErrorCase(lambda lib: lib.stack([]), RuntimeError, "non-empty TensorList"),
               ErrorCase(lambda lib: lib.stack([lib.ones(2, 2)], dim=3), IndexError,
                         "Dimension out of range"),
           ]),
    OpSpec("stack_promote", lambda lib, a, b: lib.stack([a, b.double()]), [((3,), (3,))],
           dtypes=("float32",)),
    OpSpec("hstack", lambda lib, a, b, c: (lib.hstack([a, b]), lib.hstack((c, c))),
           [((2, 3), (2, 1), (3,)), ((2, 3), (2, 0), ())], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.hstack([]), RuntimeError, "non-empty")]),
    OpSpec("vstack", lambda lib, a, b: (lib.vstack([a, b]), lib.row_stack([b, b])),
           [((2, 3), (3,)), ((1, 1), ())], dtypes=ALL),
    OpSpec("dstack", lambda lib, a, b: lib.dstack([a, b]), [((2, 3), (2, 3, 2)), ((3,), (3,)),
                                                            ((), ())], dtypes=ALL),
    OpSpec("column_stack", lambda lib, a, b, c: lib.column_stack([a, b, c]),
           [((3,), (3, 2), (3,)), ((), (1, 2), (1,))], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.column_stack([lib.ones(2), lib.ones(3)]),
                                  RuntimeError, "Sizes of tensors must match")]),
    # ------------------------------------------------------------------ splitting
    OpSpec("split", lambda lib, a: _flat(a.split(2), lib.split(a, 3, dim=-1)),
           [((5, 4),), ((4, 3),), ((0, 3),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.split(lib.ones(5), [2, 2]), RuntimeError,
                         r"split_with_sizes expects split_sizes to sum exactly to 5 \(input "
                         r"tensor's size at dimension 0\), but got split_sizes=\[2, 2\]"),
               ErrorCase(lambda lib: lib.split(lib.ones(5), [2, -1, 4]), RuntimeError,
                         "non-negative entries"),
               ErrorCase(lambda lib: lib.split(lib.ones(5), 0), RuntimeError,
                         "split_size can only be 0 if dimension size is 0"),
               ErrorCase(lambda lib: lib.split(lib.ones(5), -1), RuntimeError,
                         "split expects split_size be non-negative"),
               ErrorCase(lambda lib: lib.split(lib.ones(()), 1), RuntimeError,
                         "at least a 1-dimensional tensor"),
           ]),
    OpSpec("split_sizes", lambda lib, a: _flat(lib.split(a, [1, 0, 3], 1), a.split((2, 0), 0)),
           [((2, 4),)], dtypes=ALL),
    OpSpec("split_empty", lambda lib, a: _flat(lib.split(a, 2), lib.split(a, 0, dim=1)),
           [((0, 0),)], grad=False),
    OpSpec("chunk", lambda lib, a: _flat(a.chunk(3), lib.chunk(a, 4, dim=-1), lib.chunk(a, 1)),
           [((5, 2),), ((6, 4),), ((0, 3),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.chunk(lib.ones(5), 0), RuntimeError,
                         r"chunk expects `chunks` to be greater than 0, got: 0"),
               ErrorCase(lambda lib: lib.chunk(lib.ones(()), 1), RuntimeError,
                         "at least a 1-dimensional tensor"),
           ]),
    OpSpec("tensor_split", lambda lib, a: _flat(a.tensor_split(3), lib.tensor_split(a, 2, dim=-1),
                                           lib.tensor_split(a, [1, 5, 3, 9]),
                                           lib.tensor_split(a, (-2, 3)),
                                           lib.tensor_split(a, _ints(lib, [1, 4])),
                                           lib.tensor_split(a, _ints(lib, 2), dim=1)),
           [((7, 3),), ((2, 3),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.tensor_split(lib.ones(5), 0), RuntimeError,
                         "number of sections must be larger than 0, got 0"),
               ErrorCase(lambda lib: lib.tensor_split(lib.ones(5), lib.tensor([1.5])),
                         RuntimeError, "to have dtype of long, but got Float"),
               ErrorCase(lambda lib: lib.tensor_split(lib.ones(()), 1), RuntimeError,
                         "at least a 1-dimensional tensor"),
           ]),
    OpSpec("hvdsplit", lambda lib, a: _flat(lib.hsplit(a, 2), lib.vsplit(a, [1]), lib.dsplit(a, 3),
                                       a.hsplit([1, 3])),
           [((2, 4, 3),)],
           error_cases=[
               ErrorCase(lambda lib: lib.hsplit(lib.ones(8), 3), RuntimeError,
                         r"hsplit attempted to split along dimension 0, but the size of the "
                         r"dimension 8 is not divisible by the split_size 3!"),
               ErrorCase(lambda lib: lib.vsplit(lib.ones(3), 1), RuntimeError,
                         "vsplit requires a tensor with at least 2 dimension"),
               ErrorCase(lambda lib: lib.dsplit(lib.ones(3, 2), 1), RuntimeError,
                         "dsplit requires a tensor with at least 3 dimension"),
           ]),
    OpSpec("hsplit_1d", lambda lib, a: lib.hsplit(a, 2), [((4,),)]),
    OpSpec("unbind", lambda lib, a: _flat(a.unbind(), lib.unbind(a, -1)),
           [((2, 3),), ((3,),), ((2, 0),), ((2, 3, 4),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.unbind(lib.ones(()), 0), IndexError,
                         "Dimension specified as 0 but tensor has no dimensions"),
               ErrorCase(lambda lib: lib.unbind(lib.ones(2), 1), IndexError,
                         "Dimension out of range"),
           ]),
    # ------------------------------------------------------------------ reordering
    OpSpec("tril", lambda lib, a: (a.tril(), lib.tril(a, -1), lib.tril(a, diagonal=2)),
           [((3, 4),), ((2, 4, 3),), ((0, 2),)], dtypes=ALL + ("bool",),
           error_cases=[ErrorCase(lambda lib: lib.tril(lib.ones(3)), RuntimeError,
                                  "tril: input tensor must have at least 2 dimensions")]),
    OpSpec("triu", lambda lib, a: (a.triu(), lib.triu(a, 1), lib.triu(a, diagonal=-2)),
           [((3, 4),), ((2, 4, 3),)], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.triu(lib.ones(())), RuntimeError,
                                  "triu: input tensor must have at least 2 dimensions")]),
    OpSpec("tril_inplace", lambda lib, a: (a + 0).tril_(1), [((3, 4),)]),
    OpSpec("triu_inplace", lambda lib, a: (a + 0).triu_(-1), [((4, 3),)]),
    OpSpec("flip", lambda lib, a: (lib.flip(a, (0,)), a.flip(0, -1), a.flip([-1]),
                                   lib.flip(a, ())),
           [((3, 4),), ((2, 3, 4),), ((0, 2),)], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.flip(lib.ones(2, 3), (0, 0)), RuntimeError,
                                  "dim 0 appears multiple times in the list of dims")]),
    OpSpec("flip_0d", lambda lib, a: lib.flip(a, (0,)), [((),)]),
    OpSpec("fliplr_flipud", lambda lib, a: (lib.fliplr(a), a.flipud()),
           [((3, 4),), ((2, 3, 4),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.fliplr(lib.ones(3)), RuntimeError,
                         r"Input must be >= 2-d."),
               ErrorCase(lambda lib: lib.flipud(lib.ones(())), RuntimeError,
                         r"Input must be >= 1-d."),
           ]),
    OpSpec("roll", lambda lib, a: (lib.roll(a, 1), a.roll(-4, 1), lib.roll(a, (1, 5), (0, -1)),
                                   lib.roll(a, shifts=2, dims=0)),
           [((3, 4),), ((2, 3, 4),), ((0, 2),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.roll(lib.ones(3, 2), (1, 2), (0,)), RuntimeError,
                         "shifts and dimensions must align. shifts: 2, dims:1"),
               ErrorCase(lambda lib: lib.roll(lib.ones(3, 2), (1, 2)), RuntimeError,
                         "shifts and dimensions must align. shifts: 2, dims:0"),
               ErrorCase(lambda lib: lib.roll(lib.ones(3, 2), (), ()), RuntimeError,
                         "`shifts` required"),
           ]),
    OpSpec("roll_0d", lambda lib, a: lib.roll(a, 3), [((),)]),
    OpSpec("rot90", lambda lib, a: (lib.rot90(a), a.rot90(2), lib.rot90(a, -1),
                                    lib.rot90(a, 3, [1, 0]), lib.rot90(a, 0), lib.rot90(a, 5,
                                                                                  (0, -1))),
           [((3, 4),), ((2, 3, 4),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.rot90(lib.ones(3, 2), 1, (0, 0)), RuntimeError,
                         "expected rotation dims to be different"),
               ErrorCase(lambda lib: lib.rot90(lib.ones(3), 1), RuntimeError,
                         "expected total dims >= 2, but got total dims = 1"),
               ErrorCase(lambda lib: lib.rot90(lib.ones(3, 3), 1, (0, 1, 2)), RuntimeError,
                         "expected total rotation dims == 2, but got dims = 3"),
           ]),
    OpSpec("repeat", lambda lib, a: (a.repeat(2, 1, 3), a.repeat((1, 2)), a.repeat(1, 0)),
           [((2, 3),), ((1, 0),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.ones(3, 2).repeat(2), RuntimeError,
                         "Number of dimensions of repeat dims can not be smaller"),
               ErrorCase(lambda lib: lib.ones(3, 2).repeat(2, -1), RuntimeError,
                         r"Trying to create tensor with negative dimension -2: \[6, -2\]"),
           ]),
    OpSpec("repeat_0d", lambda lib, a: (a.repeat(()), a.repeat(3, 2)), [((),)]),
    OpSpec("tile", lambda lib, a: (lib.tile(a, (2,)), a.tile(2, 1, 2), lib.tile(a, ())),
           [((2, 3),), ((),)], dtypes=ALL),
    OpSpec("repeat_interleave", lambda lib, a: (a.repeat_interleave(2), lib.repeat_interleave(
        a, 3, dim=-1), lib.repeat_interleave(a, _ints(lib, [2, 0, 1]), dim=1),
        lib.repeat_interleave(a, _ints(lib, [3]), dim=0, output_size=6),
        lib.repeat_interleave(a, _ints(lib, 2))),
           [((2, 3),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.repeat_interleave(lib.ones(3), _ints(lib, [1, 2])),
                         RuntimeError, "repeats must have the same size as input along dim"),
               ErrorCase(lambda lib: lib.repeat_interleave(lib.ones(3), -1), RuntimeError,
                         "Repeats must be non-negative"),
               ErrorCase(lambda lib: lib.repeat_interleave(lib.ones(3), _ints(lib, [1, -2, 1])),
                         RuntimeError, "repeats can not be negative"),
               ErrorCase(lambda lib: lib.repeat_interleave(lib.ones(3), 2, output_size=5),
                         RuntimeError, "allocated size does not match required size"),
               ErrorCase(lambda lib: lib.repeat_interleave(lib.ones(2), lib.tensor([1., 2.])),
                         NotImplementedError, "not implemented for 'Float'"),
               ErrorCase(lambda lib: lib.repeat_interleave(_ints(lib, [[1, 2]])), RuntimeError,
                         "repeat_interleave only accept 1D vector as repeat"),
           ]),
    OpSpec("repeat_interleave_0d", lambda lib, a: lib.repeat_interleave(a, 2), [((),)]),
    OpSpec("repeat_interleave_counts", lambda lib: (lib.repeat_interleave(_ints(lib, [1, 0, 3])),
                                                    lib.repeat_interleave(_ints(lib, []))),
           [()], grad=False),
    # ------------------------------------------------------------------ diagonals
    OpSpec("diag", lambda lib, a: (lib.diag(a), a.diag(1), lib.diag(a, -2), lib.diag(a, 5)),
           [((3,),), ((3, 4),), ((0,),), ((1,),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.diag(lib.ones(2, 2, 2)), RuntimeError,
                         "diag\\(\\): Supports 1D or 2D tensors. Got 3D"),
               ErrorCase(lambda lib: lib.diag(lib.ones(())), RuntimeError, "Got 0D"),
           ]),
    OpSpec("diagonal", lambda lib, a: (a.diagonal(), lib.diagonal(a, 1, 2, 0),
                                       lib.diagonal(a, -1, -1, -2), a.diagonal(offset=9)),
           [((3, 4, 5),), ((2, 0, 3),)], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.diagonal(lib.ones(2, 2), 0, 0, 0), RuntimeError,
                         "diagonal dimensions cannot be identical 0, 0"),
               ErrorCase(lambda lib: lib.diagonal(lib.ones(2), 0, 0, 1), IndexError,
                         "Dimension out of range"),
           ]),
    OpSpec("diagonal_2d", lambda lib, a: (a.diagonal(), a.diagonal(1), a.diagonal(-2)),
           [((3, 4),), ((4, 3),)]),
    OpSpec("diag_embed", lambda lib, a: (lib.diag_embed(a), a.diag_embed(1), lib.diag_embed(
        a, -1, 0, 2), lib.diag_embed(a, 2, -1, 0)), [((2, 3),), ((2, 0),)], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.diag_embed(lib.ones(2), 0, 0, 0),
                                  RuntimeError, "diagonal dimensions cannot be identical")]),
    OpSpec("diag_embed_1d", lambda lib, a: (lib.diag_embed(a, -2), a.diag_embed(1, 1, 0)),
           [((3,),)]),
    OpSpec("diagflat", lambda lib, a: (lib.diagflat(a), a.diagflat(-1), lib.diagflat(a, 2)),
           [((2, 3),), ((),), ((3,),)], dtypes=ALL),
    OpSpec("trace", lambda lib, a: (lib.trace(a), a.trace()), [((3, 4),), ((4, 3),), ((0, 0),)],
           dtypes=ALL + ("int32",),
           error_cases=[ErrorCase(lambda lib: lib.trace(lib.ones(2, 2, 2)), RuntimeError,
                                  "trace: expected a matrix, but got tensor with dim 3")]),
    OpSpec("block_diag", lambda lib, a, b, c: (lib.block_diag(a, b, c), lib.block_diag(a)),
           [((2, 3), (3,), ()), ((0, 2), (1, 1), (2,))], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.block_diag(lib.ones(2, 2, 2)), RuntimeError,
                                  "Input tensors must have 2 or fewer dimensions. Input 0 has 3 "
                                  "dimensions")]),
    OpSpec("block_diag_promote", lambda lib, a, b: lib.block_diag(a, b.double(), _ints(lib, 3)),
           [((2, 2), (1, 3))], dtypes=("float32",)),
    # ------------------------------------------------------------------ grids, broadcasting
    OpSpec("meshgrid", lambda lib, a, b, c: _flat(lib.meshgrid(a, b, c, indexing="ij"),
                                             lib.meshgrid([a, b, c], indexing="xy"),
                                             lib.meshgrid(a, indexing="xy"),
                                             lib.meshgrid(b, c, indexing="xy")),
           [((2,), (3,), (4,)), ((2,), (), (0,))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.meshgrid(lib.ones(2, 2), lib.ones(2), indexing="ij"),
                         RuntimeError, "Expected 0D or 1D tensor"),
               ErrorCase(lambda lib: lib.meshgrid(lib.ones(2), lib.ones(2), indexing="foo"),
                         RuntimeError, 'indexing must be one of "xy" or "ij"'),
               ErrorCase(lambda lib: lib.meshgrid(lib.ones(2), lib.ones(2).double(),
                                                  indexing="ij"),
                         RuntimeError, "meshgrid expects all tensors to have the same dtype"),
               ErrorCase(lambda lib: lib.meshgrid(indexing="ij"), RuntimeError,
                         "non-empty TensorList"),
           ]),
    OpSpec("broadcast_tensors", lambda lib, a, b, c: lib.broadcast_tensors(a, b, c),
           [((3, 1), (4,), ()), ((2, 0, 1), (3,), (1, 1))], dtypes=ALL,
           error_cases=[ErrorCase(lambda lib: lib.broadcast_tensors(lib.ones(2), lib.ones(3)),
                                  RuntimeError, "The size of tensor a \\(2\\) must match")]),
    OpSpec("atleast", lambda lib, a: (lib.atleast_1d(a), lib.atleast_2d(a), lib.atleast_3d(a)),
           [((),), ((3,),), ((2, 3),), ((2, 3, 4),), ((1, 2, 3, 4),)], dtypes=ALL),
    OpSpec("atleast_many", lambda lib, a, b: _flat(lib.atleast_1d(a, b), lib.atleast_2d([a, b]),
                                              lib.atleast_3d((a,))),
           [((), (2,))]),
    OpSpec("cartesian_prod", lambda lib, a, b, c: (lib.cartesian_prod(a, b, c),
                                                   lib.cartesian_prod(a)),
           [((2,), (3,), (1,)), ((0,), (2,), (2,))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.cartesian_prod(lib.ones(2, 2)), RuntimeError,
                         r"Expect a 1D vector, but got shape \[2, 2\]"),
               ErrorCase(lambda lib: lib.cartesian_prod(lib.ones(2), _ints(lib, [1])),
                         RuntimeError, "same dtype"),
           ]),
    OpSpec("tril_triu_indices", lambda lib: (lib.tril_indices(3, 3), lib.tril_indices(3, 4, -1),
                                             lib.triu_indices(3, 4, 1), lib.triu_indices(0, 4),
                                             lib.tril_indices(3, 3, 5),
                                             lib.triu_indices(4, 2, -1, dtype=lib.int32)),
           [()], grad=False,
           error_cases=[
               ErrorCase(lambda lib: lib.tril_indices(-1, 4), RuntimeError,
                         "row must be non-negative, got-1"),
               ErrorCase(lambda lib: lib.triu_indices(3, -1), RuntimeError,
                         "col must be non-negative, got-1"),
           ]),
]

make_tests(globals(), SPECS)


# ---------------------------------------------------------------------- focused tests
def test_broadcast_shapes(torch):
    for shapes in [((2, 1), (3,)), (2, (3, 1)), ((0, 1), (4,), ()), ()]:
        assert tuple(ember.broadcast_shapes(*shapes)) == tuple(torch.broadcast_shapes(*shapes))
    assert isinstance(ember.broadcast_shapes((2,), (1,)), ember.Size)
    with pytest.raises(RuntimeError):
        ember.broadcast_shapes((2,), (3,))
    with pytest.raises(ValueError, match="negative length"):
        ember.broadcast_shapes((1,), (-1,))


def _shares_memory(view, base):
    return np.shares_memory(view._data, base._data)


def test_split_chunk_unbind_diagonal_are_views():
    base = ember.arange(12.0).reshape(3, 4)
    pieces = [*base.split(2), *base.split([1, 3], 1), *base.chunk(2, 1), *base.unbind(1),
              *ember.tensor_split(base, 3, 1), base.diagonal(1)]
    for piece in pieces:
        assert _shares_memory(piece, base) and piece._base is base._base
    flat = ember.arange(3.0)
    assert all(_shares_memory(x, flat) for x in flat.unbind())
    for copy in [ember.cat([base, base]), ember.stack([base]), base.flip(0), base.roll(1),
                 base.diag(), ember.rot90(base, 0), base.repeat(1, 1), base.tril()]:
        assert not _shares_memory(copy, base)


def test_writes_through_views_reach_the_base():
    base = ember.zeros(3, 3)
    base.diagonal().add_(1)
    base.split([1, 2])[0].mul_(5)
    for row in base:
        row.add_(1)
    base.unbind(1)[2].mul_(-1)
    expected = np.eye(3)
    expected[0] *= 5
    expected += 1
    expected[:, 2] *= -1
    np.testing.assert_array_equal(base.numpy(), expected)


@pytest.mark.skipif(not hasattr(ember.Tensor, "clone"), reason="needs Tensor.clone")
def test_inplace_on_a_split_output_rebases_its_history():
    # PyTorch forbids in-place writes into outputs of multi-output views; ember allows them
    leaf = ember.arange(6.0, dtype=ember.float64).reshape(2, 3).requires_grad_()
    weight = ember.arange(1.0, 7.0, dtype=ember.float64).reshape(2, 3)
    tensor = leaf * 1
    tensor.split(1)[1].mul_(3)
    tensor.unbind(1)[0].add_(2)
    (tensor * weight).sum().backward()
    values = np.arange(6.0).reshape(2, 3) * [[1], [3]]
    values[:, 0] += 2
    np.testing.assert_allclose(tensor.detach().numpy(), values)
    np.testing.assert_allclose(leaf.grad.numpy(), weight.numpy() * [[1], [3]])


def test_grad_fn_names():
    leaf = ember.ones(4, 3, requires_grad=True)
    names = {
        "CatBackward0": ember.cat([leaf, leaf]), "StackBackward0": ember.stack([leaf, leaf]),
        "SplitBackward0": leaf.split(2)[0], "SplitWithSizesBackward0": leaf.split([1, 3])[0],
        "UnbindBackward0": leaf.unbind()[0], "DiagonalBackward0": leaf.diagonal(),
        "DiagEmbedBackward0": ember.diag_embed(leaf), "TrilBackward0": leaf.tril(),
        "TriuBackward0": leaf.triu(), "FlipBackward0": leaf.flip(0),
        "RollBackward0": leaf.roll(1), "RepeatBackward0": leaf.repeat(2, 1),
        "BlockDiagBackward0": ember.block_diag(leaf, leaf),
    }
    for name, result in names.items():
        assert type(result.grad_fn).__name__ == name
    assert type(ember.hstack([leaf, leaf]).grad_fn).__name__ == "CatBackward0"


def test_cat_of_empty_1d_tensors_keeps_their_dtype_in_promotion(torch):
    for lib in (ember, torch):
        out = lib.cat([lib.ones(0, dtype=lib.float64), lib.ones(2, 2)])
        assert str(out.dtype).endswith("float64") and tuple(out.shape) == (2, 2)
        assert tuple(lib.cat([lib.ones(0), lib.ones(0)]).shape) == (0,)


def test_meshgrid_without_indexing_warns_and_uses_ij():
    with pytest.warns(UserWarning, match="indexing"):
        grid_x, grid_y = ember.meshgrid(ember.arange(2), ember.arange(3))
    assert grid_x.shape == (2, 3) and grid_y.shape == (2, 3)


def test_double_backward_through_views():
    # gradgradcheck covers the ops; this checks create_graph records the backward kernels
    leaf = ember.arange(1.0, 7.0, dtype=ember.float64).reshape(2, 3).requires_grad_()
    output = (ember.diag_embed(leaf) ** 2).sum() + (leaf.repeat_interleave(
        ember.tensor([1, 2, 0]), dim=1) ** 2).sum()
    (grad,) = ember.autograd.grad(output, leaf, create_graph=True)
    assert grad.requires_grad
    np.testing.assert_allclose(grad.detach().numpy(), 2 * leaf.detach().numpy() * np.array(
        [2.0, 3.0, 1.0]))
