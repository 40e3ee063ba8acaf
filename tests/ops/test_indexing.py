"""Indexing, gather/scatter, index_*, masked_*, take/put and the in-place writes, through the
generic op checks, plus the error cases and a few focused tests."""

import math

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

FLOATS = ("float64", "float32")

# both libraries warn on these deprecated calls, which the specs exercise on purpose
pytestmark = [pytest.mark.filterwarnings("ignore:indexing with dtype"),
              pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")]


# ---------------------------------------------------------------------- input generators
def _data(rng, dtype, shape, low=-2.0, high=2.0):
    if dtype.startswith("int"):
        return np.asarray(rng.integers(-5, 6, size=shape), dtype=dtype)
    return np.asarray(rng.uniform(low, high, size=shape), dtype=dtype)


def _unique_along(rng, size, shape, dim):
    """An index of ``shape`` with values in ``[0, size)`` never repeated along ``dim`` (scatter
    with repeated targets is nondeterministic in PyTorch)."""
    if not shape:
        return np.asarray(rng.integers(0, size))
    rest = list(shape)
    count = rest.pop(dim)
    rows = [rng.permutation(size)[:count] for _ in range(math.prod(rest))]
    rows = np.array(rows, dtype=np.int64).reshape(rest + [count])
    return np.moveaxis(rows, -1, dim)


def _with_index(dim, unique=False, low=-2.0, high=2.0, src=False):
    """Inputs ``[data, index(, src)]`` for shapes ``(data, index(, src))``: an index along
    ``dim`` in range for ``data``."""
    def inputs(rng, dtype, shapes):
        shape, index_shape = shapes[0], shapes[1]
        size = shape[dim] if shape else 1
        index = _unique_along(rng, size, index_shape, dim) if unique else \
            rng.integers(0, size, size=index_shape)
        arrays = [_data(rng, dtype, shape, low, high), np.asarray(index, dtype=np.int64)]
        if src:
            arrays.append(_data(rng, dtype, shapes[2], low, high))
        return arrays

    return inputs


def _vector_index(dim, unique=False, with_source=False, negative=False):
    """Inputs ``[data, index(, source)]`` for shapes ``(data, (n,))``: a vector index for
    ``dim`` (``source`` is ``data`` with ``n`` along ``dim``)."""
    def inputs(rng, dtype, shapes):
        shape, (count,) = shapes[0], shapes[1]
        size = shape[dim] if shape else 1
        index = rng.permutation(size)[:count] if unique else rng.integers(0, size, count)
        if negative:
            index = index - size
        arrays = [_data(rng, dtype, shape), index.astype(np.int64)]
        if with_source:
            source_shape = list(shape)
            if source_shape:
                source_shape[dim] = count
            arrays.append(_data(rng, dtype, tuple(source_shape)))
        return arrays

    return inputs


def _with_mask(rng_shape_value=False):
    """Inputs ``[data, mask(, value)]`` for shapes ``(data, mask)``."""
    def inputs(rng, dtype, shapes):
        arrays = [_data(rng, dtype, shapes[0]), np.asarray(rng.random(shapes[1]) < 0.5)]
        if rng_shape_value:
            arrays.append(_data(rng, dtype, ()))
        return arrays

    return inputs


def _masked_scatter_inputs(rng, dtype, shapes):
    data, mask_shape, source_shape = shapes
    return [_data(rng, dtype, data), np.asarray(rng.random(mask_shape) < 0.5),
            _data(rng, dtype, source_shape)]


def _flat_index(unique=False, negative=False):
    """Inputs ``[data, index(, source)]`` for shapes ``(data, index(, source))``: an index into
    the flattened ``data``."""
    def inputs(rng, dtype, shapes):
        shape, index_shape = shapes[0], shapes[1]
        size = math.prod(shape)
        index = rng.permutation(size)[:math.prod(index_shape)].reshape(index_shape) if unique \
            else rng.integers(0, size, index_shape)
        if negative:
            index = index - size
        arrays = [_data(rng, dtype, shape), np.asarray(index, dtype=np.int64)]
        if len(shapes) > 2:
            arrays.append(_data(rng, dtype, shapes[2]))
        return arrays

    return inputs


def _with_zeros(rng, dtype, shapes):
    """scatter_reduce 'prod' inputs where a few self and src elements are exactly zero (each
    target receives at most one zero, where PyTorch's gradient is defined)."""
    data, index, src = _with_index(0, src=True, low=0.5)(rng, dtype, shapes)
    data[0, 0] = 0
    src[0, 1] = 0
    index[:, 1] = np.arange(index.shape[0]) % data.shape[0]
    return [data, index, src]


def _tensor_index(dim):
    """Inputs ``[data, index]`` for shapes ``(data, index)``: integer indices (negative ones
    too) into dimension ``dim`` of ``data``."""
    def inputs(rng, dtype, shapes):
        size = shapes[0][dim]
        return [_data(rng, dtype, shapes[0]), rng.integers(-size, size, shapes[1])]

    return inputs


def _put(index, value_is_tensor=True):
    """``y = a * 1; y[index] = value; return y``: the write's gradients reach ``a`` and
    ``value``."""
    def fn(lib, a, *value):
        y = a * 1
        y[index(lib) if callable(index) else index] = value[0] if value_is_tensor else 2.5
        return y

    return fn


def _two(rng, dtype, shapes):
    return [_data(rng, dtype, shape) for shape in shapes]


# ---------------------------------------------------------------------- specs
GETITEM = [
    OpSpec("getitem_int", lambda lib, a: a[1], [((3, 4),), ((3, 4, 5),), ((2,),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("getitem_negative_int", lambda lib, a: a[-1, -2], [((3, 4),), ((3, 4, 5),)]),
    OpSpec("getitem_slice", lambda lib, a: a[1:3], [((3, 4),), ((5,),), ((0, 2),)]),
    OpSpec("getitem_step", lambda lib, a: a[::2, 1::3], [((5, 7),), ((1, 0),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("getitem_clamped_slice", lambda lib, a: a[-10:10, 5:], [((3, 4),)]),
    OpSpec("getitem_none_ellipsis", lambda lib, a: a[None, ..., 0, None], [((3, 4),), ((2,),),
                                                                        ((2, 3, 4),)]),
    OpSpec("getitem_ellipsis", lambda lib, a: a[...], [((3, 4),), ((),)]),
    OpSpec("getitem_empty_tuple", lambda lib, a: a[()], [((),), ((2, 3),)]),
    OpSpec("getitem_0d_tensor_index", lambda lib, a: a[lib.tensor(1), lib.tensor(-1)],
           [((3, 4),)]),
    OpSpec("getitem_list", lambda lib, a: a[[0, 2, 2, -1]], [((3, 4),), ((3,),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("getitem_empty_list", lambda lib, a: a[[]], [((3, 4),)]),
    OpSpec("getitem_tensor", lambda lib, a, i: a[i], [((3, 4), (2, 3)), ((5,), (4,)),
                                                       ((3, 4), ())], inputs=_tensor_index(0)),
    OpSpec("getitem_tensor_then_slice", lambda lib, a, i: a[i, 1:], [((4, 5), (6,))],
           inputs=_tensor_index(0)),
    OpSpec("getitem_slice_then_tensor", lambda lib, a, i: a[:, i], [((4, 5, 2), (2, 2))],
           inputs=_tensor_index(1)),
    OpSpec("getitem_separated_tensors", lambda lib, a, i: a[i, :, i], [((4, 3, 4), (5,))],
           inputs=_tensor_index(0)),
    OpSpec("getitem_int_and_tensor", lambda lib, a: a[0, :, [0, 1, 1]], [((2, 3, 4),)]),
    OpSpec("getitem_broadcast_tensors",
           lambda lib, a: a[lib.tensor([[0], [2]]), lib.tensor([1, 0, 1])], [((3, 4),)]),
    OpSpec("getitem_none_between", lambda lib, a: a[[0, 1], None, [1, 2]], [((3, 4),)]),
    OpSpec("getitem_mask", lambda lib, a, m: a[m], [((3, 4), (3, 4)), ((3, 4), (3,)),
                                                     ((4,), (4,)), ((0, 2), (0, 2))],
           inputs=_with_mask(), dtypes=FLOATS + ("int64",)),
    OpSpec("getitem_mask_then_slice", lambda lib, a, m: a[m, ::2], [((3, 4), (3,))],
           inputs=_with_mask()),
    OpSpec("getitem_self_mask", lambda lib, a: a[a > 0], [((3, 4),), ((5,),)]),
    OpSpec("getitem_bool_scalar", lambda lib, a: (a[True], a[False], a[None, True]),
           [((3, 2),), ((),)]),
    OpSpec("getitem_byte_mask", lambda lib, a: a[lib.tensor([1, 0, 1], dtype=lib.uint8)],
           [((3, 2),)]),
    OpSpec("getitem_int32_index", lambda lib, a: a[lib.tensor([2, 0], dtype=lib.int32)],
           [((3, 2),)]),
]

SETITEM = [
    OpSpec("setitem_int", _put(1), [((3, 4), (4,)), ((3, 4), (1,)), ((3, 4), ())],
           inputs=_two),
    OpSpec("setitem_number", _put((slice(None), 0), value_is_tensor=False), [((3, 4),)]),
    OpSpec("setitem_slice", _put((slice(1, None), slice(None, None, 2))),
           [((3, 4), (2, 2)), ((3, 4), (2,)), ((3, 4), (1, 1, 2))], inputs=_two),
    OpSpec("setitem_ellipsis", _put((Ellipsis, 1)), [((2, 3, 4), (2, 3))], inputs=_two),
    OpSpec("setitem_list", _put([0, 2]), [((3, 4), (2, 4)), ((3, 4), (4,)), ((3, 4), ())],
           inputs=_two),
    # the value's gradient with repeated indices is PyTorch's (every copy gets one), not the
    # finite-difference one (the last copy wins): test_setitem.py compares it with PyTorch
    OpSpec("setitem_duplicates", _put([0, 0, 2]), [((3, 4), (3, 4)), ((3, 4), (4,))],
           inputs=_two, differentiable=(0,)),
    OpSpec("setitem_tensor_after_int", _put((0, slice(None), [1, 0])),
           [((2, 3, 4), (3, 2))], inputs=_two),
    OpSpec("setitem_mask", lambda lib, a, v: _put(a > 0)(lib, a, v),
           [((3, 4), ()), ((3, 4), (1,))], inputs=_two),
    OpSpec("setitem_mask_number", lambda lib, a: _put(a > 0, False)(lib, a), [((3, 4),)]),
    OpSpec("setitem_int_dtype", _put([1]), [((3, 4), (4,))], dtypes=("int64",), inputs=_two),
    OpSpec("setitem_into_view", lambda lib, a, v: _put((0, [1, 2]))(lib, a, v)[1:],
           [((3, 4), (2,))], inputs=_two),
]

WRITES = [
    OpSpec("clone", lambda lib, a: a.clone(), [((3, 4),), ((),), ((0, 3),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("clone_transposed", lambda lib, a: lib.clone(a.t()), [((3, 4),)]),
    OpSpec("clone_contiguous", lambda lib, a: a.t().clone(memory_format=lib.contiguous_format),
           [((3, 4),)]),
    OpSpec("copy_", lambda lib, a, b: (a * 1).copy_(b), [((3, 4), (3, 4)), ((3, 4), (4,)),
                                                          ((3, 4), ()), ((), ())]),
    OpSpec("copy_cast", lambda lib, a, b: (a * 1).copy_(b.double()), [((3, 4), (4,))],
           dtypes=("float32",)),
    OpSpec("copy_into_view", lambda lib, a, b: _view_copy(a, b), [((3, 4), (4,))]),
    OpSpec("fill_", lambda lib, a: (a * 1).fill_(1.5), [((3, 4),), ((),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("fill_tensor", lambda lib, a, v: (a * 1).fill_(v), [((3, 4), ()), ((), ())]),
    OpSpec("fill", lambda lib, a: lib.fill(a, -2), [((3, 4),)]),
    OpSpec("zero_", lambda lib, a: (a * 1).zero_(), [((3, 4),), ((0,),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("zero_view", lambda lib, a: _zero_column(a), [((3, 4),)]),
]


def _view_copy(a, b):
    y = a * 1
    y[1].copy_(b)
    return y


def _zero_column(a):
    y = a * 2
    y[:, 1].zero_()
    return y


MASKED = [
    OpSpec("masked_fill", lambda lib, a, m: a.masked_fill(m, -1.5),
           [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (3, 4)), ((), ()), ((0, 4), (4,))],
           inputs=_with_mask(), dtypes=FLOATS + ("int64",)),
    OpSpec("masked_fill_tensor_value", lambda lib, a, m, v: lib.masked_fill(a, m, v),
           [((3, 4), (3, 4)), ((3, 4), (2, 1, 4))], inputs=_with_mask(True)),
    OpSpec("masked_fill_", lambda lib, a, m: (a * 1).masked_fill_(m, 2), [((3, 4), (4,))],
           inputs=_with_mask()),
    OpSpec("masked_select", lambda lib, a, m: lib.masked_select(a, m),
           [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (2, 4)), ((), ()), ((0,), (0,))],
           inputs=_with_mask(), dtypes=FLOATS + ("int64",)),
    OpSpec("masked_scatter", lambda lib, a, m, s: a.masked_scatter(m, s),
           [((3, 4), (3, 4), (13,)), ((3, 4), (4,), (3, 5)), ((4,), (2, 4), (8,)),
            ((), (), (1,))], inputs=_masked_scatter_inputs, dtypes=FLOATS + ("int64",)),
    OpSpec("masked_scatter_", lambda lib, a, m, s: (a * 1).masked_scatter_(m, s),
           [((3, 4), (4,), (12,))], inputs=_masked_scatter_inputs),
]

GATHER_SCATTER = [
    OpSpec("gather", lambda lib, a, i: lib.gather(a, -1, i),
           [((3, 4), (3, 2)), ((3, 4), (2, 6)), ((3, 4), (0, 2)), ((), ()), ((5,), (7,))],
           inputs=_with_index(-1), dtypes=FLOATS + ("int64",)),
    OpSpec("gather_dim0", lambda lib, a, i: a.gather(0, i), [((3, 4, 2), (5, 2, 2))],
           inputs=_with_index(0)),
    OpSpec("gather_int32", lambda lib, a, i: a.gather(0, i.int()), [((3, 4), (2, 4))],
           inputs=_with_index(0)),
    OpSpec("scatter", lambda lib, a, i, s: a.scatter(-1, i, s),
           [((3, 4), (3, 2), (3, 2)), ((3, 4), (2, 3), (2, 3)), ((), (), ())],
           inputs=_with_index(-1, unique=True, src=True), dtypes=FLOATS + ("int64",)),
    OpSpec("scatter_value", lambda lib, a, i: a.scatter(0, i, 1.5), [((3, 4), (2, 4))],
           inputs=_with_index(0, unique=True), dtypes=FLOATS + ("int64",)),
    OpSpec("scatter_", lambda lib, a, i, s: (a * 1).scatter_(0, i, s),
           [((4, 3), (2, 3), (2, 3))], inputs=_with_index(0, unique=True, src=True)),
    OpSpec("scatter_reduce_add", lambda lib, a, i, s: a.scatter(0, i, s, reduce="add"),
           [((3, 4), (5, 4), (5, 4))], inputs=_with_index(0, src=True), grad=False),
    OpSpec("scatter_reduce_multiply", lambda lib, a, i: a.scatter(1, i, 2.0, reduce="multiply"),
           [((3, 4), (3, 6))], inputs=_with_index(1), grad=False),
    OpSpec("scatter_add", lambda lib, a, i, s: lib.scatter_add(a, 0, i, s),
           [((3, 4), (5, 4), (5, 4)), ((3, 4), (5, 2), (5, 2)), ((), (), ())],
           inputs=_with_index(0, src=True), dtypes=FLOATS + ("int64",)),
    OpSpec("scatter_add_", lambda lib, a, i, s: (a * 1).scatter_add_(1, i, s),
           [((3, 4), (3, 6), (3, 6))], inputs=_with_index(1, src=True)),
] + [
    OpSpec(f"scatter_reduce_{reduce}_{'self' if include_self else 'noself'}",
           lambda lib, a, i, s, reduce=reduce, include_self=include_self:
           a.scatter_reduce(0, i, s, reduce, include_self=include_self),
           [((3, 4), (5, 4), (5, 4)), ((4, 3), (2, 2), (2, 2))],
           inputs=_with_index(0, src=True, low=0.5 if reduce == "prod" else -2.0),
           dtypes=FLOATS + ("int64",))
    for reduce in ("sum", "prod", "mean", "amax", "amin") for include_self in (True, False)
] + [
    OpSpec("scatter_reduce_prod_zeros", lambda lib, a, i, s: a.scatter_reduce(0, i, s, "prod"),
           [((3, 4), (5, 4), (5, 4))], inputs=_with_zeros, gradgrad=False),
]



INDEX_OPS = [
    OpSpec("index_select", lambda lib, a, i: a.index_select(-1, i),
           [((3, 4), (5,)), ((3, 4), (0,)), ((), (1,))], inputs=_vector_index(-1),
           dtypes=FLOATS + ("int64",)),
    OpSpec("index_select_0d_index", lambda lib, a, i: lib.index_select(a, 0, i[0]),
           [((3, 4), (1,))], inputs=_vector_index(0)),
    OpSpec("index_add", lambda lib, a, i, s: a.index_add(0, i, s),
           [((3, 4), (5,)), ((3, 4), (2,)), ((), (1,))],
           inputs=_vector_index(0, with_source=True), dtypes=FLOATS + ("int64",)),
    OpSpec("index_add_alpha", lambda lib, a, i, s: lib.index_add(a, 1, i, s, alpha=-2.5),
           [((3, 4), (6,))], inputs=_vector_index(1, with_source=True)),
    OpSpec("index_add_", lambda lib, a, i, s: (a * 1).index_add_(1, i, s), [((3, 4), (6,))],
           inputs=_vector_index(1, with_source=True)),
    OpSpec("index_copy", lambda lib, a, i, s: a.index_copy(-1, i, s),
           [((3, 4), (2,)), ((3, 4), (4,)), ((), (1,))],
           inputs=_vector_index(-1, unique=True, with_source=True),
           dtypes=FLOATS + ("int64",)),
    OpSpec("index_copy_", lambda lib, a, i, s: (a * 1).index_copy_(0, i, s), [((3, 4), (2,))],
           inputs=_vector_index(0, unique=True, with_source=True)),
    OpSpec("index_fill", lambda lib, a, i: a.index_fill(-1, i, -1.5),
           [((3, 4), (5,)), ((), (1,))], inputs=_vector_index(-1), dtypes=FLOATS + ("int64",)),
    OpSpec("index_fill_negative", lambda lib, a, i: lib.index_fill(a, 0, i, 3.0),
           [((3, 4), (2,))], inputs=_vector_index(0, negative=True)),
    OpSpec("index_fill_tensor_value", lambda lib, a, i, v: a.index_fill(0, i, v.sum()),
           [((3, 4), (5,))], inputs=_vector_index(0, with_source=True)),
    OpSpec("index_fill_", lambda lib, a, i: (a * 1).index_fill_(0, i, 0), [((3, 4), (2,))],
           inputs=_vector_index(0)),
    OpSpec("index_put", lambda lib, a, i, v: a.index_put((i,), v),
           [((4, 3), (2,)), ((4, 3), (4,))], inputs=_vector_index(0, unique=True,
                                                                  with_source=True)),
    OpSpec("index_put_accumulate", lambda lib, a, i, v: lib.index_put(a, (i, i % 3), v[:, 0],
                                                                     accumulate=True),
           [((4, 3), (6,))], inputs=_vector_index(0, with_source=True)),
    OpSpec("index_put_mask", lambda lib, a, m: a.index_put((m,), lib.tensor(2.0, dtype=a.dtype)),
           [((3, 4), (3, 4)), ((3, 4), (3,))], inputs=_with_mask()),
    OpSpec("index_put_", lambda lib, a, i, v: (a * 1).index_put_((i,), v, accumulate=True),
           [((4, 3), (5,))], inputs=_vector_index(0, with_source=True)),
    OpSpec("take", lambda lib, a, i: lib.take(a, i), [((3, 4), (2, 3)), ((), ()), ((5,), (0,))],
           inputs=_flat_index(), dtypes=FLOATS + ("int64",)),
    OpSpec("take_negative", lambda lib, a, i: a.take(i), [((3, 4), (5,))],
           inputs=_flat_index(negative=True)),
    OpSpec("put", lambda lib, a, i, s: a.put(i, s), [((3, 4), (2, 2), (4,)), ((), (1,), (1,))],
           inputs=_flat_index(unique=True), dtypes=FLOATS + ("int64",)),
    OpSpec("put_accumulate", lambda lib, a, i, s: a.put(i, s, accumulate=True),
           [((3, 4), (6,), (2, 3))], inputs=_flat_index()),
    OpSpec("put_", lambda lib, a, i, s: (a * 1).put_(i, s), [((3, 4), (3,), (3,))],
           inputs=_flat_index(unique=True, negative=True)),
    OpSpec("take_along_dim", lambda lib, a, i: lib.take_along_dim(a, i, dim=1),
           [((3, 4), (3, 2)), ((3, 4), (1, 5)), ((1, 4), (3, 2))], inputs=_with_index(1),
           dtypes=FLOATS + ("int64",)),
    OpSpec("take_along_dim_flat", lambda lib, a, i: lib.take_along_dim(a, i),
           [((3, 4), (2, 3))], inputs=_flat_index(), noncontiguous=False),
    OpSpec("nonzero", lambda lib, a: (lib.nonzero(a), a.argwhere(), lib.nonzero(a, as_tuple=True)),
           [((3, 4),), ((),), ((0, 3),), ((2, 3, 2),)], domain=(-1, 1),
           dtypes=("int64", "float64"), grad=False),
]



def _long(lib, values):
    return lib.tensor(values, dtype=lib.int64)


def _x(lib):
    return lib.zeros(3, 4)


def _setitem(target, index, value):
    target[index] = value


ERRORS = [
    ErrorCase(lambda lib: _x(lib)[5], IndexError, "index 5 is out of bounds for dimension 0 "
                                                  "with size 3"),
    ErrorCase(lambda lib: _x(lib)[-4], IndexError, "index -4 is out of bounds for dimension 0"),
    ErrorCase(lambda lib: _x(lib)[None, 0, 9], IndexError, "index 9 is out of bounds for "
                                                          "dimension 2 with size 4"),
    ErrorCase(lambda lib: _x(lib)[0, 0, 0], IndexError, "too many indices for tensor of "
                                                       "dimension 2"),
    ErrorCase(lambda lib: _x(lib)[_long(lib, [3])], IndexError, "index 3 is out of bounds for "
                                                                "dimension 0 with size 3"),
    ErrorCase(lambda lib: _x(lib)[:, _long(lib, [-5])], IndexError,
              "index -5 is out of bounds for dimension 0 with size 4"),
    ErrorCase(lambda lib: _x(lib)[[0], [4]], IndexError, "out of bounds for dimension 1 with "
                                                         "size 4"),
    ErrorCase(lambda lib: _x(lib)[lib.tensor([0.0])], IndexError,
              "tensors used as indices must be long, int, byte or bool tensors"),
    ErrorCase(lambda lib: _x(lib)[lib.tensor([0], dtype=lib.int16)], IndexError,
              "tensors used as indices must be long, int, byte or bool tensors"),
    ErrorCase(lambda lib: _x(lib)[1.0], IndexError, r"only integers, slices \(`:`\), ellipsis"),
    ErrorCase(lambda lib: _x(lib)[::-1], ValueError, "step must be greater than zero"),
    ErrorCase(lambda lib: _x(lib)[::0], ValueError, "slice step cannot be zero"),
    ErrorCase(lambda lib: _x(lib)[lib.tensor([True, False])], IndexError,
              r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed "
              r"tensor \[3, 4\] at index 0"),
    ErrorCase(lambda lib: _x(lib)[[0, 1], [0, 1, 2]], IndexError,
              r"shape mismatch: indexing tensors could not be broadcast together with shapes "
              r"\[2\], \[3\]"),
    ErrorCase(lambda lib: _setitem(_x(lib), 0, [1.0]), TypeError, "can't assign a list"),
    ErrorCase(lambda lib: _setitem(_x(lib), 0, lib.ones(2)), RuntimeError,
              r"The expanded size of the tensor \(4\) must match the existing size \(2\)"),
    ErrorCase(lambda lib: _setitem(_x(lib), [0, 1], lib.ones(3, 4)), RuntimeError,
              r"shape mismatch: value tensor of shape \[3, 4\] cannot be broadcast to indexing "
              r"result of shape \[2, 4\]"),
    ErrorCase(lambda lib: _setitem(_x(lib), [0], lib.ones(4, dtype=lib.float64)), RuntimeError,
              "Index put requires the source and destination dtypes match, got Float for the "
              "destination and Double for the source."),
    ErrorCase(lambda lib: _setitem(lib.ones(3, requires_grad=True), 0, 1.0), RuntimeError,
              "a view of a leaf Variable that requires grad is being used in an in-place"),
    ErrorCase(lambda lib: _setitem(lib.ones(3, requires_grad=True), [0], 1.0), RuntimeError,
              "a leaf Variable that requires grad is being used in an in-place operation."),
    ErrorCase(lambda lib: lib.ones(3).copy_(lib.ones(2, 3)), RuntimeError,
              r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"),
    ErrorCase(lambda lib: lib.ones(2, 3).copy_(lib.ones(3, 3)), RuntimeError,
              r"The size of tensor a \(2\) must match the size of tensor b \(3\)"),
    ErrorCase(lambda lib: lib.ones(3).fill_(lib.ones(2)), RuntimeError,
              "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."),
    ErrorCase(lambda lib: lib.ones(3, requires_grad=True).zero_(), RuntimeError,
              "a leaf Variable that requires grad is being used in an in-place operation."),
    ErrorCase(lambda lib: _x(lib).masked_fill(lib.ones(3, 4), 1.0), RuntimeError,
              "masked_fill_ only supports boolean masks, but got mask with dtype float"),
    ErrorCase(lambda lib: _x(lib).masked_fill(lib.ones(4, dtype=lib.int64), 1.0), RuntimeError,
              "masked_fill_ only supports boolean masks, but got mask with dtype long int"),
    ErrorCase(lambda lib: _x(lib).masked_fill(lib.ones(4, dtype=lib.bool), lib.ones(1)),
              RuntimeError, r"masked_fill_ only supports a 0-dimensional value tensor, but got "
                            r"tensor with 1 dimension\(s\)."),
    ErrorCase(lambda lib: _x(lib).masked_fill(lib.ones(5, dtype=lib.bool), 1.0), RuntimeError,
              r"The size of tensor a \(4\) must match the size of tensor b \(5\)"),
    ErrorCase(lambda lib: _x(lib).masked_fill_(lib.ones(2, 1, 4, dtype=lib.bool), 1.0),
              RuntimeError, r"output with shape \[3, 4\] doesn't match the broadcast shape "
                            r"\[2, 3, 4\]"),
    ErrorCase(lambda lib: _x(lib).masked_select(lib.ones(3, 4)), RuntimeError,
              "masked_select: expected BoolTensor for mask"),
    ErrorCase(lambda lib: _x(lib).masked_scatter(lib.ones(4, dtype=lib.bool), lib.ones(5)),
              RuntimeError, "Number of elements of source < number of ones in mask"),
    ErrorCase(lambda lib: _x(lib).masked_scatter(lib.ones(4), lib.ones(12)), RuntimeError,
              "masked_scatter_ only supports boolean masks, but got mask with dtype Float"),
    ErrorCase(lambda lib: _x(lib).masked_scatter(lib.ones(4, dtype=lib.bool),
                                                 lib.ones(12, dtype=lib.float64)),
              RuntimeError, "masked_scatter: expected self and source to have same dtypes"),
    ErrorCase(lambda lib: _x(lib).gather(1, _long(lib, [[4]])), RuntimeError,
              "index 4 is out of bounds for dimension 1 with size 4"),
    ErrorCase(lambda lib: _x(lib).gather(1, _long(lib, [[-1]])), RuntimeError,
              "index -1 is out of bounds for dimension 1 with size 4"),
    ErrorCase(lambda lib: _x(lib).gather(1, lib.zeros(1, 1)), RuntimeError,
              r"gather\(\): Expected dtype int32/int64 for index"),
    ErrorCase(lambda lib: _x(lib).gather(1, _long(lib, [0])), RuntimeError,
              "Index tensor must have the same number of dimensions as input tensor"),
    ErrorCase(lambda lib: _x(lib).gather(1, lib.zeros(4, 1, dtype=lib.int64)), RuntimeError,
              r"Size does not match at dimension 0 expected index \[4, 1\] to be no larger than "
              r"self \[3, 4\] apart from dimension 1"),
    ErrorCase(lambda lib: _x(lib).gather(2, _long(lib, [[0]])), IndexError,
              "Dimension out of range"),
    ErrorCase(lambda lib: _x(lib).scatter(1, _long(lib, [[7]]), 1.0), RuntimeError,
              "index 7 is out of bounds for dimension 1 with size 4"),
    ErrorCase(lambda lib: _x(lib).scatter(1, lib.zeros(1, 1), 1.0), RuntimeError,
              r"scatter\(\): Expected dtype int32/int64 for index"),
    ErrorCase(lambda lib: _x(lib).scatter(1, _long(lib, [[0, 1]]), lib.ones(1, 1)), RuntimeError,
              r"Expected index \[1, 2\] to be no larger than self \[3, 4\] apart from dimension "
              r"1 and to be no larger size than src \[1, 1\]"),
    ErrorCase(lambda lib: _x(lib).scatter(1, _long(lib, [[0]]), lib.ones(1, 1).double()),
              RuntimeError, r"scatter\(\): Expected self.dtype to be equal to src.dtype"),
    ErrorCase(lambda lib: _x(lib).scatter(1, _long(lib, [0]), 1.0), RuntimeError,
              "Index tensor must have the same number of dimensions as self tensor"),
    ErrorCase(lambda lib: _x(lib).scatter(1, _long(lib, [[0]]), 1.0, reduce="sum"),
              RuntimeError, "reduce argument must be either add or multiply."),
    ErrorCase(lambda lib: _x(lib).scatter_add(1, _long(lib, [[0]]), lib.ones(1, 1).double()),
              RuntimeError, r"scatter\(\): Expected self.dtype to be equal to src.dtype"),
    ErrorCase(lambda lib: _x(lib).scatter_reduce(1, _long(lib, [[0]]), lib.ones(1, 1), "add"),
              RuntimeError, "reduce argument must be either sum, prod, mean, amax or amin, got "
                            "add"),
    ErrorCase(lambda lib: _x(lib).scatter_reduce(1, _long(lib, [[9]]), lib.ones(1, 1), "sum"),
              RuntimeError, "index 9 is out of bounds for dimension 1 with size 4"),
    ErrorCase(lambda lib: _x(lib).index_select(0, lib.zeros(1)), RuntimeError,
              r"index_select\(\): Expected dtype int32 or int64 for index"),
    ErrorCase(lambda lib: _x(lib).index_select(0, _long(lib, [[0]])), IndexError,
              r"index_select\(\): Index is supposed to be a vector"),
    ErrorCase(lambda lib: _x(lib).index_select(0, _long(lib, [3])), IndexError,
              "index out of range in self"),
    ErrorCase(lambda lib: lib.tensor(2.0).index_select(0, _long(lib, [0, 0])), RuntimeError,
              r"index_select\(\): Index to scalar can have only 1 value, got 2 value\(s\)"),
    ErrorCase(lambda lib: _x(lib).index_add(0, _long(lib, [0]), lib.ones(1, 3)), RuntimeError,
              "source tensor shape must match self tensor shape, excluding the specified "
              r"dimension. Got self.shape = \[3, 4\] source.shape = \[1, 3\]"),
    ErrorCase(lambda lib: _x(lib).index_add(0, _long(lib, [0, 1]), lib.ones(1, 4)), RuntimeError,
              r"index_add_\(\): Number of indices \(2\) should be equal to source.size\(dim\): "
              r"\(1\), for dim: 0"),
    ErrorCase(lambda lib: _x(lib).index_add(0, _long(lib, [3]), lib.ones(1, 4)), RuntimeError,
              "index 3 is out of bounds for dimension 0 with size 3"),
    ErrorCase(lambda lib: _x(lib).index_add(0, lib.zeros(1), lib.ones(1, 4)), RuntimeError,
              r"index_add_\(\): Expected dtype int32/int64 for index but got: Float"),
    ErrorCase(lambda lib: _x(lib).index_add(0, _long(lib, [0]), lib.ones(1, 4).double()),
              RuntimeError, r"index_add_\(\): self \(Float\) and source \(Double\) must have the "
                            "same scalar type"),
    ErrorCase(lambda lib: _x(lib).index_copy(0, _long(lib, [0]), lib.ones(1, 3)), RuntimeError,
              r"index_copy_\(\): Source/destination tensor must have same slice shapes. "
              "Destination slice shape: 4 at dimension 1 and source slice shape: 3 at dimension "
              "1."),
    ErrorCase(lambda lib: _x(lib).index_copy(0, _long(lib, [0, 1]), lib.ones(1, 4)), IndexError,
              r"index_copy_\(\): Number of indices \(2\) should be equal to source.size\(dim\) "
              r"\(1\)"),
    ErrorCase(lambda lib: _x(lib).index_copy(0, _long(lib, [-1]), lib.ones(1, 4)), IndexError,
              r"index_copy_\(\): index -1 is out of bounds for dimension 0 with size 3"),
    ErrorCase(lambda lib: _x(lib).index_copy(0, lib.tensor([0], dtype=lib.int32),
                                             lib.ones(1, 4)), RuntimeError,
              r"index_copy_\(\): Expected a long tensor for index, but got Int"),
    ErrorCase(lambda lib: _x(lib).index_copy(0, _long(lib, [0]), lib.ones(1, 4).double()),
              RuntimeError, r"index_copy_\(\): self and source expected to have the same dtype, "
                            r"but got \(self\) Float and \(source\) Double"),
    ErrorCase(lambda lib: _x(lib).index_fill(0, _long(lib, [5]), 1.0), IndexError,
              "index 5 is out of bounds for dimension 0 with size 3"),
    ErrorCase(lambda lib: _x(lib).index_fill(0, lib.zeros(1), 1.0), IndexError,
              r"index_fill_\(\): Expected dtype int64 for index."),
    ErrorCase(lambda lib: _x(lib).index_fill(0, _long(lib, [0]), lib.ones(1)), RuntimeError,
              r"index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 "
              r"dimension\(s\)."),
    ErrorCase(lambda lib: _x(lib).index_put((_long(lib, [0]),), 1.0), TypeError,
              r"index_put\(\): argument 'values' \(position 2\) must be Tensor, not float"),
    ErrorCase(lambda lib: _x(lib).index_put((_long(lib, [0]), None), lib.ones(1)), TypeError,
              "expected Tensor as element 1 in argument 0, but got NoneType"),
    ErrorCase(lambda lib: _x(lib).index_put((lib.zeros(1),), lib.ones(1)), IndexError,
              "tensors used as indices must be long, int, byte or bool tensors"),
    ErrorCase(lambda lib: _x(lib).index_put((_long(lib, [0]),), lib.ones(4).double()),
              RuntimeError, "Index put requires the source and destination dtypes match"),
    ErrorCase(lambda lib: lib.take(_x(lib), _long(lib, [12])), IndexError,
              "out of range: tried to access index 12 on a tensor of 12 elements."),
    ErrorCase(lambda lib: lib.take(_x(lib), _long(lib, [-13])), IndexError,
              "out of range: tried to access index -13 on a tensor of 12 elements."),
    ErrorCase(lambda lib: lib.take(_x(lib), lib.tensor([1], dtype=lib.int32)), RuntimeError,
              r"take\(\): Expected a long tensor for index, but got Int"),
    ErrorCase(lambda lib: _x(lib).put(_long(lib, [12]), lib.ones(1)), IndexError,
              "out of range: tried to access index 12 on a tensor of 12 elements."),
    ErrorCase(lambda lib: _x(lib).put(_long(lib, [1, 2]), lib.ones(3)), IndexError,
              r"put_\(\): Expected source and index to have the same number of elements, but "
              r"got source.numel\(\) = 3, index.numel\(\) = 2"),
    ErrorCase(lambda lib: _x(lib).put(_long(lib, [1, 2]), lib.ones(2).double()), RuntimeError,
              r"put_\(\): self and source expected to have the same dtype, but got self.dtype = "
              "Float and source.dtype = Double"),
    ErrorCase(lambda lib: _x(lib).put(lib.zeros(2), lib.ones(2)), RuntimeError,
              r"put_\(\): Expected a long tensor for index, but got Float"),
    ErrorCase(lambda lib: lib.take_along_dim(_x(lib), _long(lib, [[0]]).int(), dim=1),
              RuntimeError, r"torch.take_along_dim\(\): dtype of indices should be Long but got "
                            "Int"),
    ErrorCase(lambda lib: lib.take_along_dim(_x(lib), _long(lib, [0, 1]), dim=1), RuntimeError,
              "input and indices should have the same number of dimensions, but got 2 "
              "dimensions for input, and 1 dimensions for indices"),
    ErrorCase(lambda lib: lib.take_along_dim(_x(lib), _long(lib, [[0]]), dim=3), IndexError,
              "Dimension out of range"),
    ErrorCase(lambda lib: lib.take_along_dim(_x(lib).t(), _long(lib, [[0]])), RuntimeError,
              "view size is not compatible with input tensor's size and stride"),
]

SPECS = GETITEM + SETITEM + WRITES + MASKED + GATHER_SCATTER + INDEX_OPS + [
    OpSpec("errors", lambda lib, a: a, [], error_cases=ERRORS),
]

make_tests(globals(), SPECS)


# ---------------------------------------------------------------------- focused tests
@pytest.mark.parametrize("index, name", [
    (0, "SelectBackward0"), (slice(1, 3), "SliceBackward0"), ((slice(None), 0), "SelectBackward0"),
    ((0, slice(1, 3)), "SliceBackward0"), (None, "UnsqueezeBackward0"),
    (Ellipsis, "AliasBackward0"), ([0, 1], "IndexBackward0"),
])
def test_getitem_grad_fn_names(index, name):
    x = ember.ones(3, 4, requires_grad=True) * 1
    assert type(x[index].grad_fn).__name__ == name


def test_basic_indexing_is_a_view():
    x = ember.arange(12.0).reshape(3, 4).clone()
    row = x[1]
    assert row._base is x and row._version == x._version
    row[2] = -1.0
    assert x[1, 2].item() == -1.0 and x._version == 1
    assert x[[1]]._base is None  # advanced indexing copies
    column = x[:, 0]
    column.fill_(5.0)
    assert x[:, 0].tolist() == [5.0, 5.0, 5.0]


def test_zero_d_result_is_a_view():
    x = ember.zeros(3)
    element = x[1]
    element.fill_(2.0)
    assert x.tolist() == [0.0, 2.0, 0.0]


def test_clone_memory_format(torch):
    for lib in (ember, torch):
        x = lib.arange(12.0).reshape(3, 4)
        assert x.t().clone().stride() == (1, 4)
        assert x.t().clone(memory_format=lib.preserve_format).stride() == (1, 4)
        assert x.t().clone(memory_format=lib.contiguous_format).stride() == (3, 1)
        assert x[:, 0].clone().stride() == (1,)


def test_copy_accepts_number_and_other_dtype():
    x = ember.zeros(2, dtype=ember.int64)
    x.copy_(ember.tensor([3.7, -1.5]))
    assert x.tolist() == [3, -1]
    x.copy_(7)
    assert x.tolist() == [7, 7]


def test_uint8_mask_warns():
    x = ember.arange(3.0)
    with pytest.warns(UserWarning, match="uint8 is now deprecated"):
        assert x[ember.tensor([1, 0, 1], dtype=ember.uint8)].tolist() == [0.0, 2.0]


def test_list_with_slices_is_a_tuple():
    x = ember.arange(12.0).reshape(3, 4)
    with pytest.warns(UserWarning, match="non-tuple sequence"):
        assert x[[0, slice(1, 3)]].tolist() == [1.0, 2.0]


def test_scatter_with_reduce_has_no_derivative():
    x = ember.ones(3, requires_grad=True)
    y = x.scatter(0, ember.tensor([0, 0]), ember.ones(2), reduce="add")
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        y.sum().backward()


@pytest.mark.parametrize("fn", [
    lambda a, i, s: a.scatter(0, i, s), lambda a, i, s: a.scatter_add(0, i, s),
    lambda a, i, s: a.scatter_reduce(0, i, s, "amax", include_self=False),
])
def test_scatter_src_larger_than_index(fn):
    # only src's leading block is read, so the rest of it gets zero gradient (PyTorch's
    # backward rejects this case)
    a = ember.randn(3, 4, dtype=ember.float64, requires_grad=True)
    src = ember.randn(4, 5, dtype=ember.float64, requires_grad=True)
    index = ember.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])
    assert ember.autograd.gradcheck(lambda a, s: fn(a, index, s), (a, src))
    fn(a, index, src).sum().backward()
    assert not src.grad[2:].any() and not src.grad[:, 4:].any()


def test_index_backward_accumulates_duplicates():
    weight = ember.zeros(4, 2, requires_grad=True)
    weight[ember.tensor([[1, 1], [3, 1]])].sum().backward()
    assert weight.grad.tolist() == [[0, 0], [3, 3], [0, 0], [1, 1]]
