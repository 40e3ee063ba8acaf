"""Matrix products, einsum, norms and ``ember.linalg`` through the generic op checks.

Decompositions are compared through quantities that do not depend on the sign (or, for
complete bases, the choice) of singular vectors, eigenvectors and Q's columns, since LAPACK
builds may pick them differently: reconstructions, squares, weighted sums of rank-one terms.
"""

import math
import warnings

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, OpSpec, make_tests

ALL = ("float64", "float32", "int64")


# ---------------------------------------------------------------------- input generators
def _first_operand(make):
    """A generator building the first operand with ``make(rng, shape)``, the rest uniform."""
    def inputs(rng, dtype, shapes):
        first = make(rng, shapes[0])
        rest = [rng.uniform(-1, 1, shape) for shape in shapes[1:]]
        return [array.astype(dtype) for array in [first] + rest]

    return inputs


def _orthonormal(rng, shape):
    return np.linalg.qr(rng.standard_normal(shape))[0]


@_first_operand
def invertible(rng, shape):
    """``R + n I``: well conditioned."""
    return rng.uniform(-1, 1, shape) + shape[-1] * np.eye(shape[-1])


@_first_operand
def positive_definite(rng, shape):
    """``R R^T + n I``."""
    matrix = rng.uniform(-1, 1, shape)
    return matrix @ matrix.swapaxes(-1, -2) + shape[-1] * np.eye(shape[-1])


@_first_operand
def symmetric(rng, shape):
    """``Q diag(L) Q^T`` with eigenvalues at least 1 apart."""
    n = shape[-1]
    Q = _orthonormal(rng, shape)
    values = np.arange(n) * 1.5 - n / 2 + rng.uniform(0, 0.3, shape[:-1])
    return (Q * values[..., None, :]) @ Q.swapaxes(-1, -2)


@_first_operand
def distinct_singular(rng, shape):
    """``U diag(S) V^T`` with singular values at least 1 apart."""
    rows, columns = shape[-2:]
    k = min(rows, columns)
    U = _orthonormal(rng, shape[:-2] + (rows, k))
    V = _orthonormal(rng, shape[:-2] + (columns, k))
    values = np.arange(k, 0, -1) + 0.5 + rng.uniform(0, 0.3, shape[:-2] + (k,))
    return (U * values[..., None, :]) @ V.swapaxes(-1, -2)


# ---------------------------------------------------------------------- sign-invariant views
def _weights(lib, tensor, k):
    return lib.arange(1, k + 1, dtype=tensor.dtype)


def _svd_invariants(lib, U, S, Vh):
    k = S.shape[-1]
    U, Vh = lib.narrow(U, -1, 0, k), lib.narrow(Vh, -2, 0, k)
    return S, U * U, Vh * Vh, (U * _weights(lib, S, k)) @ Vh


def _svd(lib, a, full_matrices=False):
    return _svd_invariants(lib, *lib.linalg.svd(a, full_matrices=full_matrices))


def _torch_svd(lib, a, some=True):
    U, S, V = lib.svd(a, some=some)
    return _svd_invariants(lib, U, S, V.mT)


def _qr(lib, a, mode="reduced"):
    Q, R = lib.linalg.qr(a, mode=mode)
    k = min(a.shape[-2:])
    Q, R_k = lib.narrow(Q, -1, 0, k), lib.narrow(R, -2, 0, k)
    return Q @ R_k, Q * Q, R * R, (Q * _weights(lib, a, k)) @ R_k


def _eigh(lib, a, UPLO="L"):
    a = (a + a.mT) / 2  # a symmetric perturbation, so finite differences see eigh's input
    values, vectors = lib.linalg.eigh(a, UPLO=UPLO)
    weighted = (vectors * _weights(lib, a, a.shape[-1])) @ vectors.mT
    return values, vectors * vectors, weighted


def _symmetrized(function):
    return lambda lib, a, *args: function(lib, (a + a.mT) / 2, *args)


# ---------------------------------------------------------------------- specs
MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                 ((2, 2, 3), (2, 3, 4)), ((2, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                 ((2, 2, 3), (3,)), ((3,), (2, 3, 4)), ((2, 1, 2, 3), (5, 3, 4)),
                 ((0, 3), (3, 2)), ((2, 0), (0, 3))]
SQUARE = [((3, 3),), ((2, 3, 3),), ((1, 1),)]
RECTANGULAR = [((4, 3),), ((3, 4),), ((2, 4, 3),), ((3, 3),)]


SINGULAR = [[1.0, 2.0], [2.0, 4.0]]

PRODUCT_SPECS = [
    OpSpec("matmul", lambda lib, a, b: a @ b, MATMUL_SHAPES, dtypes=ALL, error_cases=[
        ErrorCase(lambda lib: lib.ones(2, 3) @ lib.ones(4, 5), RuntimeError,
                  r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
        ErrorCase(lambda lib: lib.ones(3) @ lib.ones(4), RuntimeError,
                  r"inconsistent tensor size, expected tensor \[3\] and src \[4\]"),
        ErrorCase(lambda lib: lib.ones(2, 3) @ lib.ones(4), RuntimeError,
                  r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"),
        ErrorCase(lambda lib: lib.ones(3) @ lib.ones(4, 5), RuntimeError,
                  r"\(1x3 and 4x5\)"),
        ErrorCase(lambda lib: lib.ones(2, 2, 3) @ lib.ones(2, 4, 5), RuntimeError,
                  r"batch2 tensor to be: \[2, 3\] but got: \[2, 4\]\."),
        ErrorCase(lambda lib: lib.ones(2, 1, 2, 3) @ lib.ones(5, 4, 4), RuntimeError,
                  r"batch2 tensor to be: \[10, 3\] but got: \[10, 4\]\."),
        ErrorCase(lambda lib: lib.ones(5, 2, 3) @ lib.ones(4, 4), RuntimeError,
                  r"\(10x3 and 4x4\)"),
        ErrorCase(lambda lib: lib.ones(2, 2, 3) @ lib.ones(4), RuntimeError,
                  r"size mismatch, got input \(4\), mat \(4x3\), vec \(4\)"),
        ErrorCase(lambda lib: lib.ones(2, 2, 3) @ lib.ones(3, 3, 5), RuntimeError,
                  r"size of tensor a \(2\) must match the size of tensor b \(3\)"),
        ErrorCase(lambda lib: lib.ones(2, 3) @ lib.ones(3, 4, dtype=lib.float64), RuntimeError,
                  "expected m1 and m2 to have the same dtype, but got: float != double"),
        ErrorCase(lambda lib: lib.ones(3) @ lib.ones(3, dtype=lib.float64), RuntimeError,
                  "dot : expected both vectors to have same dtype, but found Float and Double"),
        ErrorCase(lambda lib: lib.ones(2, 3) @ lib.ones(3, dtype=lib.float64), RuntimeError,
                  "addmv input tensors must have the same dtype, but got Double, Float, and "
                  "Double"),
        ErrorCase(lambda lib: lib.ones(2, 2, 3) @ lib.ones(2, 3, 2, dtype=lib.float64),
                  RuntimeError, "expected scalar type Float but found Double"),
        ErrorCase(lambda lib: lib.tensor(2.0) @ lib.ones(3), RuntimeError,
                  "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
    ]),
    OpSpec("matmul_method", lambda lib, a, b: a.matmul(b), [((2, 3), (3, 4))]),
    OpSpec("mm", lambda lib, a, b: lib.mm(a, b), [((3, 4), (4, 5)), ((0, 2), (2, 3))],
           dtypes=ALL, error_cases=[
               ErrorCase(lambda lib: lib.mm(lib.ones(3), lib.ones(3, 4)), RuntimeError,
                         "self must be a matrix"),
               ErrorCase(lambda lib: lib.mm(lib.ones(2, 3), lib.ones(2, 3, 4)), RuntimeError,
                         "mat2 must be a matrix"),
               ErrorCase(lambda lib: lib.mm(lib.ones(2, 3), lib.ones(4, 5)), RuntimeError,
                         r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
           ]),
    OpSpec("bmm", lambda lib, a, b: lib.bmm(a, b), [((2, 3, 4), (2, 4, 5))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.bmm(lib.ones(2, 3), lib.ones(3, 5)), RuntimeError,
                         "batch1 must be a 3D tensor"),
               ErrorCase(lambda lib: lib.bmm(lib.ones(2, 2, 3), lib.ones(3, 3, 5)),
                         RuntimeError, r"to be: \[2, 3\] but got: \[3, 3\]\."),
           ]),
    OpSpec("mv", lambda lib, a, b: lib.mv(a, b), [((2, 3), (3,)), ((0, 3), (3,))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.mv(lib.ones(2, 3), lib.ones(3, 1)), RuntimeError,
                         "vector \\+ matrix @ vector expected, got 1, 2, 2"),
           ]),
    OpSpec("dot", lambda lib, a, b: lib.dot(a, b), [((3,), (3,)), ((0,), (0,))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.dot(lib.ones(3, 1), lib.ones(3)), RuntimeError,
                         "1D tensors expected, but got 2D and 1D tensors"),
           ]),
    OpSpec("vdot", lambda lib, a, b: a.vdot(b), [((4,), (4,))]),
    OpSpec("inner", lambda lib, a, b: lib.inner(a, b),
           [((2, 3), (4, 3)), ((3,), (3,)), ((), (2, 3)), ((2, 1, 3), (3,))], error_cases=[
               ErrorCase(lambda lib: lib.inner(lib.ones(2, 3), lib.ones(4, 2)), RuntimeError,
                         r"inner\(\) the last dimension must match on both input tensors but "
                         r"got shapes \[2, 3\] and \[4, 2\]"),
           ]),
    OpSpec("outer", lambda lib, a, b: lib.outer(a, b), [((2,), (4,))], dtypes=ALL,
           error_cases=[
               ErrorCase(lambda lib: lib.outer(lib.ones(2, 1), lib.ones(4)), RuntimeError,
                         "outer: Expected 1-D argument self, but got 2-D"),
           ]),
    OpSpec("ger", lambda lib, a, b: a.ger(b), [((3,), (2,))]),
    OpSpec("addmm", lambda lib, i, a, b: lib.addmm(i, a, b),
           [((4,), (2, 3), (3, 4)), ((2, 4), (2, 3), (3, 4)), ((1, 1), (2, 3), (3, 4)),
            ((), (2, 3), (3, 4))], dtypes=ALL, error_cases=[
               ErrorCase(lambda lib: lib.addmm(lib.ones(4), lib.ones(2, 3), lib.ones(4, 4)),
                         RuntimeError, r"shapes cannot be multiplied \(2x3 and 4x4\)"),
               ErrorCase(lambda lib: lib.addmm(lib.ones(3), lib.ones(2, 3), lib.ones(3, 4)),
                         RuntimeError, r"The expanded size of the tensor \(4\) must match the "
                                       r"existing size \(3\) at non-singleton dimension 1"),
               ErrorCase(lambda lib: lib.addmm(lib.ones(4), lib.ones(3), lib.ones(3, 4)),
                         RuntimeError, "mat1 must be a matrix, got 1-D tensor"),
               ErrorCase(lambda lib: lib.addmm(lib.ones(4), lib.ones(2, 3),
                                               lib.ones(3, 4, dtype=lib.float64)),
                         RuntimeError, "self and mat2 must have the same dtype, but got Float "
                                       "and Double"),
           ]),
    OpSpec("addmm_scaled", lambda lib, i, a, b: lib.addmm(i, a, b, beta=0.5, alpha=-2),
           [((2, 4), (2, 3), (3, 4))]),
    OpSpec("addmm_beta0", lambda lib, i, a, b: lib.addmm(i, a, b, beta=0, alpha=1.5),
           [((2, 4), (2, 3), (3, 4))]),
    OpSpec("addmv", lambda lib, i, a, b: lib.addmv(i, a, b, beta=2, alpha=0.5),
           [((2,), (2, 3), (3,)), ((1,), (2, 3), (3,))], error_cases=[
               ErrorCase(lambda lib: lib.addmv(lib.ones(3), lib.ones(2, 3), lib.ones(3)),
                         RuntimeError, r"size mismatch, got input \(3\), mat \(2x3\), vec \(3\)"),
           ]),
    OpSpec("addr", lambda lib, i, a, b: lib.addr(i, a, b, alpha=3),
           [((2, 3), (2,), (3,)), ((3,), (2,), (3,))], error_cases=[
               ErrorCase(lambda lib: lib.addr(lib.ones(2, 3), lib.ones(2, 1), lib.ones(3)),
                         RuntimeError, "addr: Expected 1-D argument vec1, but got 2-D"),
           ]),
    OpSpec("addbmm", lambda lib, i, a, b: lib.addbmm(i, a, b, beta=0.5),
           [((2, 4), (5, 2, 3), (5, 3, 4))], error_cases=[
               ErrorCase(lambda lib: lib.addbmm(lib.ones(2, 4), lib.ones(5, 2, 3),
                                                lib.ones(4, 3, 4)), RuntimeError,
                         "batch1 and batch2 must have same number of batches, got 5 and 4"),
               ErrorCase(lambda lib: lib.addbmm(lib.ones(2, 4), lib.ones(5, 2, 3),
                                                lib.ones(5, 4, 4)), RuntimeError,
                         r"Incompatible matrix sizes for bmm \(2x3 and 4x4\)"),
           ]),
    OpSpec("baddbmm", lambda lib, i, a, b: lib.baddbmm(i, a, b, alpha=2),
           [((5, 2, 4), (5, 2, 3), (5, 3, 4)), ((4,), (5, 2, 3), (5, 3, 4))], error_cases=[
               ErrorCase(lambda lib: lib.baddbmm(lib.ones(5, 2, 4), lib.ones(5, 2, 3),
                                                 lib.ones(5, 2, 4)), RuntimeError,
                         r"to be: \[5, 3\] but got: \[5, 2\]\."),
           ]),
    OpSpec("kron", lambda lib, a, b: lib.kron(a, b),
           [((2, 3), (4, 5)), ((3,), (2, 2)), ((2, 1, 3), (2, 2)), ((2, 3), ())], dtypes=ALL,
           noncontiguous=False),  # PyTorch's kron fails on some transposed inputs
    OpSpec("linalg_cross", lambda lib, a, b: lib.linalg.cross(a, b),
           [((4, 3), (4, 3)), ((4, 3), (1, 3)), ((3,), (3,))], dtypes=ALL, error_cases=[
               ErrorCase(lambda lib: lib.linalg.cross(lib.ones(3, 4), lib.ones(3, 4)),
                         RuntimeError, "linalg.cross: inputs dimension -1 must have length 3. "
                                       "Got 4 and 4"),
               ErrorCase(lambda lib: lib.linalg.cross(lib.ones(3), lib.ones(2, 3)),
                         RuntimeError, "inputs must have the same number of dimensions"),
           ]),
    OpSpec("cross_dim", lambda lib, a, b: lib.cross(a, b, dim=0), [((3, 4), (3, 4))],
           error_cases=[
               ErrorCase(lambda lib: lib.cross(lib.ones(2, 4), lib.ones(2, 4)), RuntimeError,
                         "no dimension of size 3 in input"),
           ]),
    OpSpec("tensordot", lambda lib, a, b: lib.tensordot(a, b), [((2, 3, 4), (3, 4, 5))],
           error_cases=[
               ErrorCase(lambda lib: lib.tensordot(lib.ones(2, 3), lib.ones(4, 5), dims=-1),
                         RuntimeError, "tensordot expects dims >= 0, but got dims=-1"),
               ErrorCase(lambda lib: lib.tensordot(lib.ones(2, 3, 4), lib.ones(4, 3, 5),
                                                   dims=([1], [0])), RuntimeError,
                         "contracted dimensions need to match, but first has size 3 in dim 1 "
                         "and second has size 4 in dim 0"),
               ErrorCase(lambda lib: lib.tensordot(lib.ones(2, 3), lib.ones(3, 5),
                                                   dims=([1], [0, 1])), RuntimeError,
                         "both dimension lists should have same length"),
           ]),
    OpSpec("tensordot_lists", lambda lib, a, b: lib.tensordot(a, b, dims=([1, 2], [1, 0])),
           [((2, 3, 4), (4, 3, 5))]),
    OpSpec("tensordot_outer", lambda lib, a, b: lib.tensordot(a, b, dims=0),
           [((2, 3), (4,))]),
    OpSpec("multi_dot", lambda lib, a, b, c: lib.linalg.multi_dot([a, b, c]),
           [((2, 3), (3, 4), (4, 5)), ((3,), (3, 4), (4,)), ((5,), (5, 2), (2, 6))],
           error_cases=[
               ErrorCase(lambda lib: lib.linalg.multi_dot([lib.ones(3)]), RuntimeError,
                         r"multi_dot\(\): expected at least 2 tensors but got 1"),
               ErrorCase(lambda lib: lib.linalg.multi_dot([lib.ones(3, 4), lib.ones(3, 4)]),
                         RuntimeError, r"multi_dot\(\): tensors 0 and 1 with shapes \[3, 4\] "
                                       r"and \[3, 4\] cannot be multiplied"),
               ErrorCase(lambda lib: lib.linalg.multi_dot([lib.ones(2, 3, 4), lib.ones(4, 4)]),
                         RuntimeError, "the first tensor must be 1D or 2D but got 3D"),
           ]),
    OpSpec("chain_matmul", lambda lib, a, b, c, d: lib.chain_matmul(a, b, c, d),
           [((6, 2), (2, 5), (5, 1), (1, 4))], error_cases=[
               ErrorCase(lambda lib: lib.chain_matmul(lib.ones(3), lib.ones(3, 4)),
                         RuntimeError, "Tensor dimension is 1, expected 2 instead."),
           ]),
    OpSpec("linalg_vecdot", lambda lib, a, b: lib.linalg.vecdot(a, b), [((2, 3), (3,))],
           error_cases=[
               ErrorCase(lambda lib: lib.linalg.vecdot(lib.ones(3, dtype=lib.int64),
                                                       lib.ones(3, dtype=lib.int64)),
                         RuntimeError, "linalg.vecdot: Expected a floating point or complex "
                                       "tensor as input. Got Long"),
           ]),
]

EINSUM_SPECS = [
    OpSpec("einsum_mm", lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), [((2, 3), (3, 4))],
           dtypes=ALL, error_cases=[
               ErrorCase(lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 3), lib.ones(4, 4)),
                         RuntimeError, "einsum\\(\\): subscript j has size 4 for operand 1 which "
                                       "does not broadcast with previously seen size 3"),
               ErrorCase(lambda lib: lib.einsum("ij,jk->ik", lib.ones(2, 3)), RuntimeError,
                         "fewer operands were provided than specified in the equation"),
               ErrorCase(lambda lib: lib.einsum("ij->i", lib.ones(2, 3), lib.ones(3)),
                         RuntimeError, "more operands were provided than specified"),
               ErrorCase(lambda lib: lib.einsum("ij->ii", lib.ones(2, 3)), RuntimeError,
                         "output subscript i appears more than once in the output"),
               ErrorCase(lambda lib: lib.einsum("ij->k", lib.ones(2, 3)), RuntimeError,
                         "output subscript k does not appear in the equation for any input"),
               ErrorCase(lambda lib: lib.einsum("ijk->i", lib.ones(2, 3)), RuntimeError,
                         r"the number of subscripts in the equation \(3\) does not match the "
                         r"number of dimensions \(2\) for operand 0 and no ellipsis was given"),
               ErrorCase(lambda lib: lib.einsum("...ijk->i", lib.ones(2, 3)), RuntimeError,
                         r"\(3\) is more than the number of dimensions \(2\) for operand 0"),
               ErrorCase(lambda lib: lib.einsum("i1->i", lib.ones(2, 3)), RuntimeError,
                         "invalid subscript given at index 1 in the equation string"),
               ErrorCase(lambda lib: lib.einsum("ii->i", lib.ones(2, 3)), RuntimeError,
                         "subscript i is repeated for operand 0 but the sizes don't match, "
                         "3 != 2"),
               ErrorCase(lambda lib: lib.einsum("ij"), ValueError,
                         "must specify the equation string and at least one operand"),
               ErrorCase(lambda lib: lib.einsum("i,i->", lib.ones(3), lib.ones(3).double()),
                         RuntimeError, "expected scalar type Float but found Double"),
           ]),
    OpSpec("einsum_diagonal", lambda lib, a: lib.einsum("ii->i", a), [((3, 3),)]),
    OpSpec("einsum_trace", lambda lib, a: lib.einsum("ii", a), [((3, 3),)]),
    OpSpec("einsum_batch_diagonal", lambda lib, a: lib.einsum("bii,bjj->bij", a, a),
           [((2, 3, 3),)]),
    OpSpec("einsum_sum", lambda lib, a: lib.einsum("ij->", a), [((2, 3),)]),
    OpSpec("einsum_transpose", lambda lib, a: lib.einsum("ijk->kij", a), [((2, 3, 4),)]),
    OpSpec("einsum_bmm", lambda lib, a, b: lib.einsum("bij,bjk->bik", a, b),
           [((2, 2, 3), (2, 3, 4))]),
    OpSpec("einsum_ellipsis", lambda lib, a, b: lib.einsum("...ij,...jk", a, b),
           [((2, 1, 2, 3), (5, 3, 4))]),
    OpSpec("einsum_ellipsis_summed", lambda lib, a: lib.einsum("...ij->ij", a), [((5, 2, 3),)]),
    OpSpec("einsum_outer", lambda lib, a, b: lib.einsum("i,j->ij", a, b), [((3,), (4,))]),
    OpSpec("einsum_broadcast", lambda lib, a, b: lib.einsum("ij,ij->ij", a, b),
           [((3, 1), (3, 4))]),
    OpSpec("einsum_three", lambda lib, a, b, c: lib.einsum("ij,jk,kl->il", a, b, c),
           [((2, 3), (3, 4), (4, 2))]),
    OpSpec("einsum_implicit", lambda lib, a, b: lib.einsum("ba,cb", a, b), [((2, 3), (4, 2))]),
    OpSpec("einsum_mixed", lambda lib, a, b: lib.einsum("Aij,jA->iA", a, b),
           [((2, 3, 4), (4, 2))]),
    OpSpec("einsum_partial", lambda lib, a, b: lib.einsum("ijk,jl->il", a, b),
           [((2, 3, 4), (3, 5))]),
    OpSpec("einsum_list", lambda lib, a, b: lib.einsum("ij,jk", [a, b]), [((2, 3), (3, 4))]),
    OpSpec("einsum_sublist", lambda lib, a, b: lib.einsum(a, [..., 0, 1], b, [1, 2], [..., 0, 2]),
           [((5, 2, 3), (3, 4))]),
]

VECTOR_NORM_ORDS = [2, 1, math.inf, -math.inf, 0, 3, 0.5, -1, -2.5]
NORM_SPECS = [
    OpSpec(f"vector_norm_{order}", lambda lib, a, order=order: lib.linalg.vector_norm(a, order),
           [((3, 4),), ((2, 3, 4),), ((),)], domain=(0.2, 2.0) if order == -1 else (-2.0, 2.0))
    for order in VECTOR_NORM_ORDS
] + [
    OpSpec(f"vector_norm_dim_{order}",
           lambda lib, a, order=order: lib.linalg.vector_norm(a, order, dim=(0, 2), keepdim=True),
           [((2, 3, 4),)])
    for order in (2, 1, math.inf, 3)
] + [
    OpSpec("vector_norm_errors", lambda lib, a: lib.linalg.vector_norm(a, 2, -1),
           [((0, 3),), ((3, 0),)], error_cases=[
               ErrorCase(lambda lib: lib.linalg.vector_norm(lib.ones(3, dtype=lib.int64)),
                         RuntimeError, "linalg.vector_norm: Expected a floating point or "
                                       "complex tensor as input. Got Long"),
               ErrorCase(lambda lib: lib.linalg.vector_norm(lib.ones(0), math.inf),
                         RuntimeError, "cannot compute the inf norm on an empty tensor"),
               ErrorCase(lambda lib: lib.linalg.vector_norm(lib.ones(3), "fro"), TypeError,
                         "argument 'ord' must be Number, not str"),
               ErrorCase(lambda lib: lib.linalg.vector_norm(lib.ones(3).double(),
                                                            dtype=lib.float32),
                         RuntimeError, "should be convertible without narrowing"),
           ]),
    OpSpec("vector_norm_dtype", lambda lib, a: lib.linalg.vector_norm(a, dtype=lib.float64),
           [((3, 4),)], dtypes=("float32",)),
    OpSpec("tensor_norm", lambda lib, a: (a.norm(), a.norm(1, dim=1), a.norm(dim=0, keepdim=True),
                                          a.norm("fro", (0, 1)), a.norm(math.inf)),
           [((3, 4),)]),
    OpSpec("norm_nuc", lambda lib, a: (lib.norm(a, "nuc"), a.norm("nuc", dim=(1, 0))),
           [((4, 3),)], inputs=distinct_singular, error_cases=[
               ErrorCase(lambda lib: lib.norm(lib.ones(3, 3), "nuc", dim=0), RuntimeError,
                         "linalg.matrix_norm: dim must be a 2-tuple. Got 0"),
           ]),
    OpSpec("dist", lambda lib, a, b: (lib.dist(a, b), lib.dist(a, b, 1), a.dist(b, math.inf),
                                      lib.dist(a, b, 3)),
           [((3, 4), (4,)), ((2, 3), (2, 3))], error_cases=[
               ErrorCase(lambda lib: lib.dist(lib.ones(3, dtype=lib.int64),
                                              lib.ones(3, dtype=lib.int64)), RuntimeError,
                         "norm\\(\\): input dtype should be either floating point or complex"),
           ]),
    OpSpec("cdist", lambda lib, a, b: (lib.cdist(a, b), lib.cdist(a, b, p=1),
                                       lib.cdist(a, b, p=math.inf), lib.cdist(a, b, p=3)),
           [((3, 4), (5, 4)), ((2, 3, 4), (2, 5, 4)), ((2, 1, 3, 2), (4, 5, 2))], error_cases=[
               ErrorCase(lambda lib: lib.cdist(lib.ones(3, 4), lib.ones(5, 3)), RuntimeError,
                         "X1 and X2 must have the same number of columns. X1: 4 X2: 3"),
               ErrorCase(lambda lib: lib.cdist(lib.ones(4), lib.ones(5, 4)), RuntimeError,
                         "cdist only supports at least 2D tensors, X1 got: 1D"),
               ErrorCase(lambda lib: lib.cdist(lib.ones(3, 4), lib.ones(5, 4), p=-1),
                         RuntimeError, "cdist only supports non-negative p values"),
           ]),
    OpSpec("matrix_norm_fro_inf_1",
           lambda lib, a: tuple(lib.linalg.matrix_norm(a, ord) for ord in
                                ("fro", 1, -1, math.inf, -math.inf)),
           [((3, 4),), ((2, 3, 4),)], error_cases=[
               ErrorCase(lambda lib: lib.linalg.matrix_norm(lib.ones(3)), RuntimeError,
                         "linalg.matrix_norm: The input tensor A must have at least 2 "
                         "dimensions."),
               ErrorCase(lambda lib: lib.linalg.matrix_norm(lib.ones(3, 3), ord=3),
                         RuntimeError, "linalg.matrix_norm: Order 3 not supported."),
               ErrorCase(lambda lib: lib.linalg.matrix_norm(lib.ones(3, 3), dim=(0, 0)),
                         RuntimeError, r"linalg.matrix_norm: dims must be different. Got "
                                       r"\(0, 0\)"),
           ]),
    OpSpec("matrix_norm_keepdim",
           lambda lib, a: tuple(lib.linalg.matrix_norm(a, ord, dim=(2, 0), keepdim=True)
                                for ord in ("fro", 1, math.inf, "nuc", 2, -2)),
           [((3, 2, 4),)]),
    OpSpec("matrix_norm_spectral",
           lambda lib, a: tuple(lib.linalg.matrix_norm(a, ord) for ord in ("nuc", 2, -2)),
           RECTANGULAR, inputs=distinct_singular),
    OpSpec("linalg_norm", lambda lib, a: (lib.linalg.norm(a), lib.linalg.norm(a, 1),
                                          lib.linalg.norm(a, dim=1), lib.linalg.norm(a, 3, 1),
                                          lib.linalg.norm(a, "fro", (0, 1), keepdim=True)),
           [((3, 4),)], error_cases=[
               ErrorCase(lambda lib: lib.linalg.norm(lib.ones(2, 3, 3), ord=2), RuntimeError,
                         "If dim is not specified but ord is, the input must be 1D or 2D. "
                         "Got 3D."),
               ErrorCase(lambda lib: lib.linalg.norm(lib.ones(2, 3, 3), dim=(0, 1, 2)),
                         RuntimeError, r"If dim is specified, it must be of length 1 or 2. Got "
                                       r"\[0, 1, 2\]"),
           ]),
    OpSpec("linalg_norm_vector", lambda lib, a: (lib.linalg.norm(a, 0.5), lib.linalg.norm(a)),
           [((5,),)], domain=(0.2, 2.0)),
]

DECOMPOSITION_SPECS = [
    OpSpec("linalg_inv", lambda lib, a: lib.linalg.inv(a), SQUARE, inputs=invertible,
           error_cases=[
               ErrorCase(lambda lib: lib.linalg.inv(lib.ones(2, 3)), RuntimeError,
                         "linalg.inv: A must be batches of square matrices, but they are 2 by 3 "
                         "matrices"),
               ErrorCase(lambda lib: lib.linalg.inv(lib.ones(3)), RuntimeError,
                         "linalg.inv: The input tensor A must have at least 2 dimensions."),
               ErrorCase(lambda lib: lib.inverse(lib.eye(2, dtype=lib.int64)), RuntimeError,
                         "linalg.inv: Expected a floating point or complex tensor as input. "
                         "Got Long"),
               ErrorCase(lambda lib: lib.linalg.inv(lib.tensor(SINGULAR)), RuntimeError,
                         "linalg.inv: The diagonal element 2 is zero"),
           ]),
    OpSpec("inverse", lambda lib, a: a.inverse(), [((2, 2),)], inputs=invertible),
    OpSpec("linalg_det", lambda lib, a: (lib.linalg.det(a), lib.det(a), a.det()), SQUARE,
           inputs=invertible, error_cases=[
               ErrorCase(lambda lib: lib.linalg.det(lib.ones(2, 3)), RuntimeError,
                         "linalg.det: A must be batches of square matrices"),
               ErrorCase(lambda lib: lib.det(lib.eye(2, dtype=lib.int64)), RuntimeError,
                         "linalg.det: Expected a floating point or complex tensor as input. "
                         "Got Long"),
           ]),
    OpSpec("slogdet", lambda lib, a: (*lib.linalg.slogdet(a), *lib.slogdet(-a)), SQUARE,
           inputs=invertible),
    OpSpec("logdet", lambda lib, a: (lib.logdet(a), a.logdet()), SQUARE,
           inputs=positive_definite, error_cases=[
               ErrorCase(lambda lib: lib.logdet(lib.eye(2, dtype=lib.int64)), RuntimeError,
                         "logdet: Expected a floating point or complex tensor as input. Got "
                         "Long"),
           ]),
    OpSpec("logdet_negative", lambda lib, a: lib.logdet(-a), [((3, 3),)],
           inputs=positive_definite, grad=False),
    OpSpec("linalg_solve", lambda lib, a, b: lib.linalg.solve(a, b),
           [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3)),
            ((2, 3, 3), (5, 1, 3, 4)), ((3, 3), (2, 3, 1))], inputs=invertible, error_cases=[
               ErrorCase(lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(4)), RuntimeError,
                         r"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                         r"\(3x3 and 4x1\)"),
               ErrorCase(lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(2, 4), left=False),
                         RuntimeError, r"the equation XA = B \(3x3 and 2x4\)"),
               ErrorCase(lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(3).double()),
                         RuntimeError, "linalg.solve: Expected A and B to have the same dtype, "
                                       "but found A of type Float and B of type Double instead"),
               ErrorCase(lambda lib: lib.linalg.solve(lib.tensor(SINGULAR), lib.ones(2)),
                         RuntimeError, "torch.linalg.solve: The solver failed because the input "
                                       "matrix is singular."),
           ]),
    OpSpec("linalg_solve_right", lambda lib, a, b: lib.linalg.solve(a, b, left=False),
           [((3, 3), (2, 3)), ((2, 3, 3), (2, 4, 3))], inputs=invertible, error_cases=[
               ErrorCase(lambda lib: lib.linalg.solve(lib.eye(3), lib.ones(3), left=False),
                         RuntimeError, r"the equation XA = B \(3x3 and 3x1\)"),
           ]),
    OpSpec("linalg_cholesky", _symmetrized(lambda lib, a: (lib.linalg.cholesky(a),
                                                           lib.linalg.cholesky(a, upper=True))),
           SQUARE, inputs=positive_definite, error_cases=[
               ErrorCase(lambda lib: lib.linalg.cholesky(-lib.eye(3)), RuntimeError,
                         r"linalg.cholesky: The factorization could not be completed because the "
                         r"input is not positive-definite \(the leading minor of order 1 is not "
                         r"positive-definite\)."),
               ErrorCase(lambda lib: lib.linalg.cholesky(lib.ones(2, 3)), RuntimeError,
                         "linalg.cholesky: A must be batches of square matrices"),
           ]),
    OpSpec("linalg_qr", _qr, RECTANGULAR, inputs=distinct_singular, error_cases=[
        ErrorCase(lambda lib: lib.linalg.qr(lib.ones(4, 3), mode="x"), RuntimeError,
                  "qr received unrecognized mode 'x' but expected one of 'reduced' \\(default\\), "
                  "'r', or 'complete'"),
        ErrorCase(lambda lib: lib.linalg.qr(lib.ones(4)), RuntimeError,
                  "linalg.qr: The input tensor A must have at least 2 dimensions."),
    ]),
    OpSpec("linalg_qr_complete", lambda lib, a: _qr(lib, a, "complete"), [((3, 4),), ((3, 3),)],
           inputs=distinct_singular),
    OpSpec("linalg_qr_complete_tall",
           lambda lib, a: (lambda Q, R: (Q @ Q.mT, R * R))(*lib.linalg.qr(a, mode="complete")),
           [((4, 3),)], inputs=distinct_singular, grad=False),
    OpSpec("linalg_qr_r", lambda lib, a: lib.linalg.qr(a, mode="r")[1] ** 2, [((4, 3),)],
           inputs=distinct_singular, grad=False),
    OpSpec("linalg_svd", _svd, RECTANGULAR, inputs=distinct_singular, error_cases=[
        ErrorCase(lambda lib: lib.linalg.svd(lib.ones(3)), RuntimeError,
                  "linalg.svd: The input tensor A must have at least 2 dimensions."),
        ErrorCase(lambda lib: lib.linalg.svd(lib.ones(3, 3, dtype=lib.int64)), RuntimeError,
                  "linalg.svd: Expected a floating point or complex tensor as input. Got Long"),
    ]),
    OpSpec("linalg_svd_full", lambda lib, a: _svd(lib, a, True), RECTANGULAR,
           inputs=distinct_singular),
    OpSpec("svd", _torch_svd, RECTANGULAR[:2], inputs=distinct_singular),
    OpSpec("svd_not_some", lambda lib, a: _torch_svd(lib, a, some=False), RECTANGULAR[:2],
           inputs=distinct_singular),
    OpSpec("svdvals", lambda lib, a: lib.linalg.svdvals(a), RECTANGULAR,
           inputs=distinct_singular),
    OpSpec("linalg_eigh", _eigh, SQUARE[:2], inputs=symmetric, error_cases=[
        ErrorCase(lambda lib: lib.linalg.eigh(lib.ones(3, 3), UPLO="X"), RuntimeError,
                  "Expected UPLO argument to be 'L' or 'U', but got X"),
        ErrorCase(lambda lib: lib.linalg.eigh(lib.ones(2, 3)), RuntimeError,
                  "linalg.eigh: A must be batches of square matrices"),
    ]),
    OpSpec("linalg_eigh_upper", lambda lib, a: _eigh(lib, a, "U"), SQUARE[:1], inputs=symmetric),
    OpSpec("linalg_eigvalsh", _symmetrized(lambda lib, a: lib.linalg.eigvalsh(a)), SQUARE,
           inputs=symmetric),
    OpSpec("linalg_pinv", lambda lib, a: lib.linalg.pinv(a), RECTANGULAR,
           inputs=distinct_singular, error_cases=[
               ErrorCase(lambda lib: lib.linalg.pinv(lib.ones(2, 2, dtype=lib.int64)),
                         RuntimeError, r"linalg.pinv\(Long\{\[2, 2\]\}\): expected a tensor with "
                                       r"2 or more dimensions of float, double, cfloat or cdouble "
                                       r"types"),
           ]),
    OpSpec("linalg_pinv_hermitian", _symmetrized(lambda lib, a: lib.linalg.pinv(a,
                                                                               hermitian=True)),
           SQUARE[:2], inputs=symmetric),
    OpSpec("pinverse", lambda lib, a: (lib.pinverse(a), a.pinverse(rcond=1e-3)),
           RECTANGULAR[:2], inputs=distinct_singular),
    OpSpec("linalg_matrix_power",
           lambda lib, a: tuple(lib.linalg.matrix_power(a, n) for n in (1, 2, 3, 6, -1, -3)),
           SQUARE, inputs=invertible, error_cases=[
               ErrorCase(lambda lib: lib.linalg.matrix_power(lib.ones(2, 3), 2), RuntimeError,
                         "linalg.matrix_power: A must be batches of square matrices, but they "
                         "are 2 by 3 matrices"),
               ErrorCase(lambda lib: lib.linalg.matrix_power(lib.eye(2, dtype=lib.int64), -1),
                         RuntimeError, "linalg.inv: Expected a floating point or complex tensor"),
           ]),
    OpSpec("matrix_power_int", lambda lib, a: (a.matrix_power(0), a.matrix_power(3)),
           SQUARE[:2], dtypes=("int64", "float64"), domain=(-3, 3), grad=False),
    OpSpec("linalg_matrix_exp", lambda lib, a: (lib.linalg.matrix_exp(a), a.matrix_exp()),
           [((3, 3),), ((2, 2, 2),)], error_cases=[
               ErrorCase(lambda lib: lib.linalg.matrix_exp(lib.ones(2, 3)), RuntimeError,
                         "linalg.matrix_exp: A must be batches of square matrices"),
           ]),
    OpSpec("linalg_matrix_exp_large", lambda lib, a: lib.linalg.matrix_exp(3 * a),
           [((4, 4),)], dtypes=("float64",), gradgrad=False),
    OpSpec("linalg_matrix_rank",
           lambda lib, a: (lib.linalg.matrix_rank(a), lib.linalg.matrix_rank(a, atol=1.7),
                           lib.linalg.matrix_rank(a, rtol=0.4), lib.linalg.matrix_rank(a, tol=2.7)),
           RECTANGULAR, inputs=distinct_singular, grad=False),
    OpSpec("linalg_lstsq",
           lambda lib, a, b: (lib.linalg.lstsq(a, b).solution,
                              *lib.linalg.lstsq(a, b, driver="gelsd")[:2]),
           [((4, 3), (4, 2)), ((2, 5, 3), (2, 5, 1))], inputs=distinct_singular),
    OpSpec("linalg_lstsq_wide", lambda lib, a, b: lib.linalg.lstsq(a, b).solution,
           [((3, 4), (3, 2))], inputs=distinct_singular),
]

make_tests(globals(), PRODUCT_SPECS + EINSUM_SPECS + NORM_SPECS + DECOMPOSITION_SPECS)


# ---------------------------------------------------------------------- focused tests
@pytest.mark.parametrize("call", [
    lambda lib, a, b, m: a @ b, lambda lib, a, b, m: a[0] @ b[:, 0],
    lambda lib, a, b, m: a @ b[:, 0], lambda lib, a, b, m: lib.addmm(b[0], a, b),
    lambda lib, a, b, m: lib.bmm(a[None], b[None]), lambda lib, a, b, m: lib.linalg.inv(m),
    lambda lib, a, b, m: lib.linalg.det(m), lambda lib, a, b, m: lib.linalg.slogdet(m)[1],
    lambda lib, a, b, m: lib.linalg.solve(m, a), lambda lib, a, b, m: lib.linalg.qr(a)[0],
    lambda lib, a, b, m: lib.linalg.svd(a)[0], lambda lib, a, b, m: lib.linalg.eigh(m)[1],
    lambda lib, a, b, m: lib.linalg.cholesky(m @ m.mT), lambda lib, a, b, m: lib.norm(a),
    lambda lib, a, b, m: lib.linalg.pinv(a), lambda lib, a, b, m: lib.linalg.matrix_exp(m),
    lambda lib, a, b, m: lib.linalg.cross(a, a), lambda lib, a, b, m: a[0].vdot(a[0]),
    lambda lib, a, b, m: lib.addmv(a[0], m, a[0]), lambda lib, a, b, m: lib.addr(m, a[0], a[0]),
    lambda lib, a, b, m: lib.baddbmm(m[None], a[None], b[None, :, :3]),
    lambda lib, a, b, m: lib.addbmm(m, a[None], b[None, :, :3]),
])
def test_grad_fn_names_match_pytorch(call, torch):
    rng = np.random.default_rng(0)
    arrays = [rng.uniform(-1, 1, (3, 3)), rng.uniform(-1, 1, (3, 4)),
              rng.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)]
    names = []
    for lib in (ember, torch):
        inputs = [lib.tensor(array, requires_grad=True) for array in arrays]
        names.append(type(call(lib, *inputs).grad_fn).__name__)
    assert names[0] == names[1]


def test_addmm_beta_zero_ignores_nan_input(torch):
    rng = np.random.default_rng(0)
    first, second = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    results = []
    for lib in (ember, torch):
        input = lib.full((2, 4), math.nan, dtype=lib.float64, requires_grad=True)
        output = lib.addmm(input, lib.tensor(first), lib.tensor(second), beta=0)
        output.sum().backward()
        results.append((output.detach().numpy(), input.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_inplace_add_products(torch):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for shape in ((2, 4), (2, 3), (3, 4), (2,), (4,))]
    results = []
    for lib in (ember, torch):
        input, mat1, mat2, vec1, vec2 = (lib.tensor(a) for a in arrays)
        input.addmm_(mat1, mat2, beta=0.5).addr_(vec1, vec2, alpha=2)
        results.append(input.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


@pytest.mark.parametrize("call", [
    lambda lib: lib.linalg.inv(lib.tensor([SINGULAR, [[1.0, 0.0], [0.0, 1.0]]])),
    lambda lib: lib.linalg.inv(lib.stack([lib.eye(2), lib.tensor(SINGULAR)])),
    lambda lib: lib.linalg.solve(lib.stack([lib.eye(2), lib.tensor(SINGULAR)]), lib.ones(2)),
    lambda lib: lib.linalg.cholesky(lib.stack([lib.eye(3), lib.tensor(
        [[1.0, 0.0, 0.0], [0.0, 1.0, 2.0], [0.0, 2.0, 1.0]])])),
])
def test_linalg_errors_match_pytorch(call, torch):
    with pytest.raises(torch.linalg.LinAlgError) as expected:
        call(torch)
    with pytest.raises(ember.linalg.LinAlgError) as actual:
        call(ember)
    assert issubclass(ember.linalg.LinAlgError, RuntimeError)
    assert str(actual.value) == str(expected.value)


@pytest.mark.parametrize("name,args", [("cholesky", ()), ("qr", ()), ("qr", (False,))])
def test_removed_functions_raise_like_pytorch(name, args, torch):
    messages = []
    for lib in (ember, torch):
        with pytest.raises(RuntimeError) as error:
            getattr(lib, name)(lib.eye(3), *args)
        messages.append(str(error.value))
    assert messages[0] == messages[1]


def test_cross_default_dim_is_first_of_size_3(torch):
    rng = np.random.default_rng(0)
    first, second = rng.standard_normal((2, 3, 3)), rng.standard_normal((2, 3, 3))
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        actual = ember.cross(ember.tensor(first), ember.tensor(second))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.cross(torch.tensor(first), torch.tensor(second))
    np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-12)


def test_qr_backward_errors_like_pytorch():
    A = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="not computed when mode='r'"):
        ember.linalg.qr(A, mode="r").R.sum().backward()
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete' and nrows"):
        ember.linalg.qr(A, mode="complete").Q.sum().backward()


def test_svd_without_uv(torch):
    array = np.random.default_rng(0).standard_normal((4, 3))
    actual = ember.svd(ember.tensor(array), compute_uv=False)
    expected = torch.svd(torch.tensor(array), compute_uv=False)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-10, atol=1e-12)


def test_return_types():
    A = ember.eye(3, dtype=ember.float64)
    assert ember.linalg.svd(A).Vh.shape == (3, 3)
    assert ember.svd(A).V.shape == (3, 3)
    assert ember.linalg.qr(A).R.shape == (3, 3)
    assert ember.linalg.eigh(A).eigenvalues.shape == (3,)
    assert ember.linalg.slogdet(A).logabsdet.item() == 0.0
    assert ember.linalg.lstsq(A, A).rank.dtype == ember.int64


def test_decompositions_reconstruct():
    rng = np.random.default_rng(0)
    A = ember.tensor(rng.standard_normal((2, 5, 3)))
    U, S, Vh = ember.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(((U * S.unsqueeze(-2)) @ Vh).numpy(), A.numpy(), atol=1e-12)
    Q, R = ember.linalg.qr(A)
    np.testing.assert_allclose((Q @ R).numpy(), A.numpy(), atol=1e-12)
    sym = A.mT @ A
    values, vectors = ember.linalg.eigh(sym)
    np.testing.assert_allclose(((vectors * values.unsqueeze(-2)) @ vectors.mT).numpy(),
                               sym.numpy(), atol=1e-12)
