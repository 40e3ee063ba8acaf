"""Linear algebra: matrix products, ``einsum``, norms, and the decompositions of ``ember.linalg``.

The ``ember.linalg`` functions live here under PyTorch's internal names (``linalg_svd``...) so
that top-level functions (``ember.svd``, ``ember.norm``) can share them; ``ember/linalg.py``
exposes them under their public names. Gradients of the decompositions follow PyTorch's
formulas (real inputs); they call other ops, so they differentiate again under create_graph.
"""

import math
import string
import warnings
from collections import Counter

import numpy as np

from ember import _dtype, return_types
from ember._ops._checks import broadcast_shapes, cast, wrap_dim, wrap_dims
from ember._ops.pointwise import _out, mul
from ember._ops.pointwise_more import where
from ember._ops.reduction import _expand_reduced
from ember._ops.reduction import sum as _sum
from ember._ops.shape import diagonal
from ember._ops.views import Index, movedim, permute, squeeze, transpose, unsqueeze
from ember._tensor import Tensor, _make, _scalar_type_name
from ember.autograd.function import Op
from ember.backends import namespace

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm",
           "addmv", "addr", "addbmm", "baddbmm", "einsum", "tensordot", "kron", "cross",
           "chain_matmul", "norm", "dist", "cdist", "matrix_power", "matrix_exp", "det",
           "logdet", "slogdet", "inverse", "pinverse", "cholesky", "qr", "svd"]


class LinAlgError(RuntimeError):
    """Raised when a matrix is singular or not positive-definite (``torch.linalg.LinAlgError``)."""


# ---------------------------------------------------------------------- checks
_CPP_TYPE_NAMES = {"float64": "double", "float32": "float", "float16": "c10::Half",
                   "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                   "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
                   "complex128": "c10::complex<double>"}


def _type(tensor):
    return _scalar_type_name(tensor._data.dtype)


def _check_same_dtype(input, other, message):
    """Raises ``message`` (formatted with PyTorch's type names) when the dtypes differ."""
    first, second = input._data.dtype, other._data.dtype
    if first != second:
        raise RuntimeError(message.format(_scalar_type_name(first), _scalar_type_name(second)))


def _check_mm_dtypes(mat1, mat2):
    first, second = mat1._data.dtype, mat2._data.dtype
    if first != second:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_CPP_TYPE_NAMES[first.name]} != {_CPP_TYPE_NAMES[second.name]}")
    if first == np.bool_:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")


def _mm_shape_error(rows, inner, other_inner, columns):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner} and "
                        f"{other_inner}x{columns})")


def _bmm_shape_error(batch, inner, other_batch, other_inner):
    return RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                        f"[{batch}, {inner}] but got: [{other_batch}, {other_inner}].")


def _check_expandable(input, shape):
    """PyTorch's ``expand`` error when ``input`` cannot broadcast to ``shape``."""
    try:
        fits = np.broadcast_shapes(input._data.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        input.expand(shape)  # raises PyTorch's message


def _check_matrices(A, name):
    if A._data.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")


def _check_square(A, name):
    _check_matrices(A, name)
    rows, columns = A._data.shape[-2:]
    if rows != columns:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {rows} by "
                           f"{columns} matrices")


def _check_floating(A, name):
    if A._data.dtype.kind not in "fc":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{_type(A)}")


def _check_linalg_input(A, name, square=True):
    (_check_square if square else _check_matrices)(A, name)
    _check_floating(A, name)


# ---------------------------------------------------------------------- errors of factorizations
def _host_matrices(A):
    array = A.detach().cpu().numpy()
    return array.reshape((-1,) + array.shape[-2:])


def _zero_pivot(matrix):
    """LAPACK getrf's ``info``: the 1-based index of the first zero pivot of LU with partial
    pivoting, or 0."""
    matrix = matrix.copy()
    for j in range(matrix.shape[0]):
        pivot = j + int(np.argmax(np.abs(matrix[j:, j])))
        if matrix[pivot, j] == 0:
            return j + 1
        matrix[[j, pivot]] = matrix[[pivot, j]]
        matrix[j + 1:, j:] -= np.outer(matrix[j + 1:, j] / matrix[j, j], matrix[j, j:])
    return 0


def _non_positive_minor(matrix):
    """The order of the first leading minor that is not positive-definite, or 0."""
    for order in range(1, matrix.shape[0] + 1):
        try:
            np.linalg.cholesky(matrix[:order, :order])
        except np.linalg.LinAlgError:
            return order
    return 0


def _failure(A, info_of, name, describe):
    """A LinAlgError naming the first failing matrix of ``A`` (and its batch index)."""
    infos = [info_of(matrix) for matrix in _host_matrices(A)]
    index = next((i for i, info in enumerate(infos) if info), 0)
    # 0 everywhere: LAPACK rounded differently from the check; blame the last pivot then
    info = infos[index] or A._data.shape[-1]
    batch = f"(Batch element {index}): " if A._data.ndim > 2 else ""
    return LinAlgError(f"{name}: {batch}{describe(info)}")


def _inv_error(A):
    return _failure(A, _zero_pivot, "linalg.inv", lambda info: (
        f"The diagonal element {info} is zero, the inversion could not be completed because the "
        "input matrix is singular."))


def _solve_error(A):
    return _failure(A, _zero_pivot, "torch.linalg.solve",
                    lambda info: "The solver failed because the input matrix is singular.")


def _cholesky_error(A):
    return _failure(A, _non_positive_minor, "linalg.cholesky", lambda info: (
        "The factorization could not be completed because the input is not positive-definite "
        f"(the leading minor of order {info} is not positive-definite)."))


def _factorize(op, error, A, *args):
    """``op.apply(A, *args)``, turning NumPy's LinAlgError into PyTorch's message."""
    try:
        return op.apply(A, *args)
    except np.linalg.LinAlgError:
        raise error(A) from None


# ---------------------------------------------------------------------- products
def _mT(x):
    return x.swapaxes(-1, -2)


def _matmul(xp, first, second):
    return xp.matmul(first, second)


def _matmul_grads(xp, grad, first, second, needs):
    return (grad @ _mT(second) if needs[0] else None,
            _mT(first) @ grad if needs[1] else None)


def _mv_grads(xp, grad, matrix, vector, needs):
    return (xp.expand_dims(grad, -1) * vector if needs[0] else None,
            _mT(matrix) @ grad if needs[1] else None)


def _dot(xp, first, second):
    return xp.dot(first, second)


def _dot_grads(xp, grad, first, second, needs):
    return grad * second if needs[0] else None, grad * first if needs[1] else None


def _vdot(xp, first, second):
    return xp.vdot(first, second)


def _outer(xp, first, second):
    return xp.outer(first, second)


def _outer_grads(xp, grad, first, second, needs):
    return grad @ second if needs[0] else None, first @ grad if needs[1] else None


def _batch_sum_matmul(xp, first, second):
    return xp.matmul(first, second).sum(0)


class _Product(Op):
    """``product(first, second)``; subclasses name the product and its gradients."""

    @classmethod
    def forward(cls, ctx, xp, first, second):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(first if needs[1] else None, second if needs[0] else None)
        return cls.product(xp, first, second)

    @classmethod
    def backward(cls, ctx, grad_output):
        first, second = ctx.saved_tensors
        return cls.grads(ctx.xp, grad_output, first, second, ctx.needs_input_grad)


class Mm(_Product):
    product, grads = staticmethod(_matmul), staticmethod(_matmul_grads)


class Bmm(Mm):
    pass


class Matmul(Mm):
    """Batched matmul with broadcast batch dimensions (the engine sums the gradients back)."""


class Mv(_Product):
    product, grads = staticmethod(_matmul), staticmethod(_mv_grads)


class Dot(_Product):
    product, grads = staticmethod(_dot), staticmethod(_dot_grads)


class Vdot(Dot):
    product = staticmethod(_vdot)


class _AddProduct(Op):
    """``beta * input + alpha * product(first, second)``, one node for the whole expression."""

    @classmethod
    def forward(cls, ctx, xp, input, first, second, beta, alpha):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(first if needs[2] else None, second if needs[1] else None)
        ctx.beta, ctx.alpha = beta, alpha
        result = cls.product(xp, first, second)  # a fresh array: scaled and summed in place
        if alpha != 1:
            result *= alpha
        if beta != 0:  # beta == 0 ignores input, NaNs included, as PyTorch does
            result += input if beta == 1 else input * beta
        return result

    @classmethod
    def backward(cls, ctx, grad_output):
        first, second = ctx.saved_tensors
        needs = ctx.needs_input_grad
        alpha, beta = ctx.alpha, ctx.beta
        grad_first, grad_second = cls.grads(ctx.xp, grad_output, first, second, needs[1:3])
        if alpha != 1:
            grad_first = grad_first * alpha if grad_first is not None else None
            grad_second = grad_second * alpha if grad_second is not None else None
        grad_input = (grad_output if beta == 1 else grad_output * beta) if needs[0] else None
        return grad_input, grad_first, grad_second, None, None


class Addmm(_AddProduct):
    product, grads = staticmethod(_matmul), staticmethod(_matmul_grads)


class Baddbmm(Addmm):
    pass


class Addbmm(_AddProduct):
    product, grads = staticmethod(_batch_sum_matmul), staticmethod(_matmul_grads)


class Addmv(_AddProduct):
    product, grads = staticmethod(_matmul), staticmethod(_mv_grads)


class Addr(_AddProduct):
    product, grads = staticmethod(_outer), staticmethod(_outer_grads)


class Einsum(Op):
    """``xp.einsum`` on an equation whose operands have distinct labels, each also found in
    another operand or the output; the gradient of each operand is again an einsum."""

    @staticmethod
    def forward(ctx, xp, equation, *operands):
        ctx.equation = equation
        ctx.save_for_backward(*operands)
        return xp.einsum(equation, *operands, optimize=len(operands) > 1)

    @staticmethod
    def backward(ctx, grad_output):
        operands = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        inputs = inputs.split(",")
        grads = [None]
        for index, labels in enumerate(inputs):
            if not ctx.needs_input_grad[index + 1]:
                grads.append(None)
                continue
            others = [i for i in range(len(inputs)) if i != index]
            equation = ",".join([output] + [inputs[i] for i in others]) + "->" + labels
            grads.append(Einsum.call(equation, grad_output, *(operands[i] for i in others)))
        return tuple(grads)


class LinalgCross(Op):
    @staticmethod
    def forward(ctx, xp, input, other, dim):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(input if needs[1] else None, other if needs[0] else None)
        ctx.dim = dim
        return xp.cross(input, other, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        input, other = ctx.saved_tensors
        needs, dim = ctx.needs_input_grad, ctx.dim
        return (LinalgCross.call(other, grad_output, dim) if needs[0] else None,
                LinalgCross.call(grad_output, input, dim) if needs[1] else None, None)


# ---------------------------------------------------------------------- norms
def _vector_norm(xp, input, ord, dims, keepdim):
    if ord == 2 and input.dtype.kind == "f":
        return xp.sqrt(xp.sum(input * input, axis=dims, keepdims=keepdim))
    magnitude = xp.abs(input)
    if ord == math.inf:
        return xp.max(magnitude, axis=dims, keepdims=keepdim)
    if ord == -math.inf:
        return xp.min(magnitude, axis=dims, keepdims=keepdim)
    if ord == 0:
        return xp.sum(magnitude != 0, axis=dims, keepdims=keepdim).astype(magnitude.dtype)
    if ord == 1:
        return xp.sum(magnitude, axis=dims, keepdims=keepdim)
    with np.errstate(divide="ignore"):  # 0 ** negative is inf, as in PyTorch
        return xp.sum(magnitude ** ord, axis=dims, keepdims=keepdim) ** (1 / ord)


class LinalgVectorNorm(Op):
    @staticmethod
    def forward(ctx, xp, input, ord, dims, keepdim):
        ctx.ord, ctx.dims, ctx.keepdim = ord, dims, keepdim
        result = xp.asarray(_vector_norm(xp, input, ord, dims, keepdim))
        ctx.save_for_backward(input, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        input, norm = ctx.saved_tensors
        ord, dims, keepdim, xp = ctx.ord, ctx.dims, ctx.keepdim, ctx.xp
        if ord == 0:
            return None, None, None, None
        grad = _expand_reduced(grad_output, input.shape, dims, keepdim)
        norm = _expand_reduced(norm, input.shape, dims, keepdim)
        # (norm == 0) and (input == 0) terms give PyTorch's zero gradient where x or the norm
        # vanishes instead of 0/0.
        if ord == 2:
            return grad * input / (norm + (norm == 0)), None, None, None
        if ord == 1:
            return grad * xp.sign(input), None, None, None
        if math.isinf(ord):
            mask = xp.abs(input) == norm
            count = xp.sum(mask, axis=dims, keepdims=True)
            return grad * xp.sign(input) * mask / count, None, None, None
        scaled = xp.sign(input) * (xp.abs(input) + (input == 0)) ** (ord - 1)
        return grad * scaled / (norm + (norm == 0)) ** (ord - 1), None, None, None


# ---------------------------------------------------------------------- decompositions
def _unsqueeze2(xp, x):
    return xp.expand_dims(xp.expand_dims(x, -1), -1)


class LinalgInvEx(Op):
    @staticmethod
    def forward(ctx, xp, A):
        result = xp.linalg.inv(A)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (inverse,) = ctx.saved_tensors
        inverse_t = _mT(inverse)
        return -(inverse_t @ grad_output @ inverse_t)


class LinalgSolveEx(Op):
    """``X`` with ``A X = B`` for matrices ``B`` (vectors are unsqueezed by ``solve``)."""

    @staticmethod
    def forward(ctx, xp, A, B):
        result = xp.linalg.solve(A, B)
        ctx.save_for_backward(A, result if ctx.needs_input_grad[0] else None)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        A, result = ctx.saved_tensors
        grad_B = LinalgSolveEx.call(_mT(A), grad_output)
        grad_A = -(grad_B @ _mT(result)) if ctx.needs_input_grad[0] else None
        return grad_A, grad_B if ctx.needs_input_grad[1] else None


class LinalgDet(Op):
    @staticmethod
    def forward(ctx, xp, A):
        result = xp.asarray(xp.linalg.det(A))
        ctx.save_for_backward(A, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        A, det = ctx.saved_tensors
        return _unsqueeze2(ctx.xp, grad_output * det) * _mT(LinalgInvEx.call(A))


class LinalgSlogdet(Op):
    @staticmethod
    def forward(ctx, xp, A):
        sign, logabsdet = xp.linalg.slogdet(A)
        ctx.save_for_backward(A)
        return xp.asarray(sign), xp.asarray(logabsdet)

    @staticmethod
    def backward(ctx, grad_sign, grad_logabsdet):
        (A,) = ctx.saved_tensors
        return _unsqueeze2(ctx.xp, grad_logabsdet) * _mT(LinalgInvEx.call(A))


class LinalgCholeskyEx(Op):
    @staticmethod
    def forward(ctx, xp, A, upper):
        ctx.upper = upper
        result = xp.linalg.cholesky(A)
        result = _mT(result) if upper else result
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (L,) = ctx.saved_tensors
        if ctx.upper:
            L, grad_output = _mT(L), _mT(grad_output)
        xp = ctx.xp
        # gA = L^-T phi L^-1, phi = the symmetric matrix holding tril(L^T gL), halved diagonal
        phi = xp.tril(_mT(L) @ grad_output)
        phi = 0.5 * (phi + _mT(xp.tril(phi, -1)))
        left = LinalgSolveEx.call(_mT(L), phi)
        return _mT(LinalgSolveEx.call(_mT(L), _mT(left))), None


def _qr_backward_tall(xp, Q, R, grad_Q, grad_R):
    """``gA = (gQ + Q copyltu(M)) R^-T`` with ``M = R gR^T - gQ^T Q`` (rows >= columns)."""
    M = R @ _mT(grad_R) - _mT(grad_Q) @ Q
    B = grad_Q + Q @ (xp.tril(M) + _mT(xp.tril(M, -1)))
    return _mT(LinalgSolveEx.call(R, _mT(B)))


class LinalgQr(Op):
    @staticmethod
    def forward(ctx, xp, A, mode):
        ctx.mode = mode
        if mode == "r":
            Q, R = xp.empty((0,), dtype=A.dtype), xp.linalg.qr(A, mode="r")
        else:
            Q, R = xp.linalg.qr(A, mode=mode)
        ctx.save_for_backward(Q, R)
        return Q, R

    @staticmethod
    def backward(ctx, grad_Q, grad_R):
        if ctx.mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
                "through linalg.qr.")
        Q, R = ctx.saved_tensors
        xp = ctx.xp
        rows, columns = Q.shape[-2], R.shape[-1]
        if rows > columns and ctx.mode == "complete":
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                               "and nrows > ncols.")
        if rows >= columns:
            return _qr_backward_tall(xp, Q, R, grad_Q, grad_R), None
        # A = [X | Y] with X = Q U square: Y = Q V feeds Q's gradient, X takes the tall formula
        left = (Ellipsis, slice(None), slice(0, rows))
        right = (Ellipsis, slice(None), slice(rows, None))
        U, V = Index.call(R, left), Index.call(R, right)
        grad_U, grad_V = Index.call(grad_R, left), Index.call(grad_R, right)
        grad_X = _qr_backward_tall(xp, Q, U, grad_Q + Q @ V @ _mT(grad_V), grad_U)
        return xp.concatenate([grad_X, Q @ grad_V], axis=-1), None


def _svd_backward(xp, U, S, Vh, grad_U, grad_S, grad_Vh):
    """PyTorch's ``svd_backward`` for real inputs, with reduced ``U`` and ``Vh``."""
    rows, columns = U.shape[-2], Vh.shape[-1]
    S_row, S_column = xp.expand_dims(S, -2), xp.expand_dims(S, -1)
    UtgU = _mT(U) @ grad_U
    VtgV = Vh @ _mT(grad_Vh)
    squares = S * S
    E = xp.expand_dims(squares, -2) - xp.expand_dims(squares, -1)
    E = E + (E == 0)  # the diagonal of the numerators is zero
    inner = ((UtgU - _mT(UtgU)) * S_row + S_column * (VtgV - _mT(VtgV))) / E
    if columns > rows:
        projected = grad_Vh / S_column
        projected = projected - (projected @ _mT(Vh)) @ Vh
        return U @ (inner @ Vh + xp.expand_dims(grad_S, -1) * Vh + projected)
    result = U @ inner + U * xp.expand_dims(grad_S, -2)
    if rows > columns:
        projected = grad_U / S_row
        result = result + projected - U @ (_mT(U) @ projected)
    return result @ Vh


class LinalgSvd(Op):
    @staticmethod
    def forward(ctx, xp, A, full_matrices):
        ctx.full_matrices = full_matrices
        U, S, Vh = xp.linalg.svd(A, full_matrices=full_matrices)
        ctx.save_for_backward(U, S, Vh)
        return U, S, Vh

    @staticmethod
    def backward(ctx, grad_U, grad_S, grad_Vh):
        U, S, Vh = ctx.saved_tensors
        k = S.shape[-1]
        if ctx.full_matrices and U.shape[-1] != Vh.shape[-2]:
            columns, rows = (Ellipsis, slice(0, k)), (Ellipsis, slice(0, k), slice(None))
            U, grad_U = Index.call(U, columns), Index.call(grad_U, columns)
            Vh, grad_Vh = Index.call(Vh, rows), Index.call(grad_Vh, rows)
        return _svd_backward(ctx.xp, U, S, Vh, grad_U, grad_S, grad_Vh), None


class LinalgEigh(Op):
    @staticmethod
    def forward(ctx, xp, A, UPLO):
        eigenvalues, eigenvectors = xp.linalg.eigh(A, UPLO=UPLO)
        ctx.save_for_backward(eigenvalues, eigenvectors)
        return eigenvalues, eigenvectors

    @staticmethod
    def backward(ctx, grad_eigenvalues, grad_eigenvectors):
        L, V = ctx.saved_tensors
        xp = ctx.xp
        VtgV = _mT(V) @ grad_eigenvectors
        E = xp.expand_dims(L, -2) - xp.expand_dims(L, -1)
        inner = 0.5 * (VtgV - _mT(VtgV)) / (E + (E == 0))
        return (V @ inner + V * xp.expand_dims(grad_eigenvalues, -2)) @ _mT(V), None


def _tolerance(xp, values, atol, rtol, shape):
    """PyTorch's ``max(atol, rtol * largest)`` cut-off for singular values / eigenvalues."""
    if rtol is None:
        positive_atol = atol is not None and atol > 0
        rtol = 0.0 if positive_atol else np.finfo(values.dtype).eps * max(shape[-2:])
    largest = xp.max(values, axis=-1, keepdims=True) if values.shape[-1] else 0
    return xp.maximum(0.0 if atol is None else atol, rtol * largest)


class LinalgPinv(Op):
    @staticmethod
    def forward(ctx, xp, A, atol, rtol, hermitian):
        if hermitian:
            values, V = xp.linalg.eigh(A)
            left, right = V, _mT(V)
            magnitude = xp.abs(values)
        else:
            U, values, Vh = xp.linalg.svd(A, full_matrices=False)
            left, right = _mT(Vh), _mT(U)
            magnitude = values
        keep = magnitude > _tolerance(xp, magnitude, atol, rtol, A.shape)
        inverse = xp.where(keep, 1 / xp.where(keep, values, 1), 0)
        result = (left * xp.expand_dims(inverse, -2)) @ right
        ctx.save_for_backward(A, result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        A, pinv = ctx.saved_tensors
        # d(A+) = -A+ dA A+ + A+ A+^T dA^T (I - A A+) + (I - A+ A) dA^T A+^T A+
        pinv_t, grad_t = _mT(pinv), _mT(grad_output)
        second = grad_t @ (pinv @ pinv_t)
        third = (pinv_t @ pinv) @ grad_t
        return (-(pinv_t @ grad_output @ pinv_t) + second - A @ (pinv @ second)
                + third - (third @ pinv) @ A, None, None, None)


def _matrix_exp(xp, A):
    """Scaling and squaring with a degree-18 Taylor polynomial (error far below float64's)."""
    norm = float(xp.abs(A).sum(-2).max()) if A.size else 0.0
    squarings = max(0, math.ceil(math.log2(norm)) + 1) if norm > 0 else 0
    scaled = A / 2.0 ** squarings
    identity = xp.eye(A.shape[-1], dtype=A.dtype)
    result = identity
    for k in range(18, 0, -1):
        result = identity + (scaled @ result) / k
    for _ in range(squarings):
        result = result @ result
    return result


class LinalgMatrixExp(Op):
    @staticmethod
    def forward(ctx, xp, A):
        ctx.save_for_backward(A)
        return _matrix_exp(xp, A)

    @staticmethod
    def backward(ctx, grad_output):
        (A,) = ctx.saved_tensors
        xp = ctx.xp
        # The gradient is the upper-right block of exp([[A^T, G], [0, A^T]]).
        A_t = _mT(A)
        block = xp.concatenate([xp.concatenate([A_t, grad_output], axis=-1),
                                xp.concatenate([xp.zeros_like(A_t), A_t], axis=-1)], axis=-2)
        n = A.shape[-1]
        return Index.call(LinalgMatrixExp.call(block), (Ellipsis, slice(0, n), slice(n, None)))


# ---------------------------------------------------------------------- products: public
def mm(input, mat2, *, out=None):
    """Matrix product of the matrices ``input`` (n x m) and ``mat2`` (m x p)."""
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input._data.shape[1] != mat2._data.shape[0]:
        raise _mm_shape_error(*input._data.shape, *mat2._data.shape)
    _check_mm_dtypes(input, mat2)
    return _out(Mm.apply(input, mat2), out)


def _check_bmm(batch1, batch2):
    for name, batch in (("batch1", batch1), ("batch2", batch2)):
        if batch._data.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    size, _, inner = batch1._data.shape
    if batch2._data.shape[:2] != (size, inner):
        raise _bmm_shape_error(size, inner, *batch2._data.shape[:2])
    _check_same_dtype(batch1, batch2, "expected scalar type {} but found {}")


def bmm(input, mat2, *, out=None):
    """Batched matrix product of ``input`` (b x n x m) and ``mat2`` (b x m x p)."""
    _check_bmm(input, mat2)
    return _out(Bmm.apply(input, mat2), out)


def _check_mv(mat, vec, input=None):
    """PyTorch's addmv checks; ``mv`` has no ``input`` (its result stands in for it)."""
    input_ndim = 1 if input is None else input._data.ndim
    if input_ndim > 1 or mat._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input_ndim}, "
                           f"{mat._data.ndim}, {vec._data.ndim}")
    rows, columns = mat._data.shape
    size = rows if input is None else (input._data.shape[0] if input_ndim else 1)
    if columns != vec._data.shape[0] or size not in (1, rows):
        raise RuntimeError(f"size mismatch, got input ({size}), mat ({rows}x{columns}), vec "
                           f"({vec._data.shape[0]})")
    first = vec if input is None else input
    if not first._data.dtype == mat._data.dtype == vec._data.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_type(first)}, "
                           f"{_type(mat)}, and {_type(vec)}")


def mv(input, vec, *, out=None):
    """Product of the matrix ``input`` (n x m) and the vector ``vec`` (m)."""
    _check_mv(input, vec)
    return _out(Mv.apply(input, vec), out)


def _check_dot(input, other):
    if input._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and "
                           f"{other._data.ndim}D tensors")
    first, second = input._data.shape[0], other._data.shape[0]
    if first != second:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{first}] and src "
                           f"[{second}] to have the same number of elements, but got {first} and "
                           f"{second} elements respectively")
    _check_same_dtype(input, other, "dot : expected both vectors to have same dtype, but found {} "
                      "and {}")


def dot(input, tensor, *, out=None):
    """Dot product of two 1-D tensors."""
    _check_dot(input, tensor)
    return _out(Dot.apply(input, tensor), out)


def vdot(input, other, *, out=None):
    """Dot product of two 1-D tensors, conjugating the first."""
    _check_dot(input, other)
    return _out(Vdot.apply(input, other), out)


def matmul(input, other, *, out=None):
    """Matrix product with PyTorch's rules: vector dot product, matrix-vector, matrix-matrix,
    and batched products broadcasting the batch dimensions (1-D operands get a dimension
    prepended or appended, then removed)."""
    dim1, dim2 = input._data.ndim, other._data.ndim
    if dim1 == 0 or dim2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{dim1}D and {dim2}D")
    if dim1 == 1 and dim2 == 1:
        return dot(input, other, out=out)
    if dim1 == 2 and dim2 == 1:
        return mv(input, other, out=out)
    if dim1 == 1 and dim2 == 2:
        return _out(squeeze(mm(unsqueeze(input, 0), other), 0), out)
    if dim1 == 2 and dim2 == 2:
        return mm(input, other, out=out)
    return _out(_batched_matmul(input, other), out)


def _batched_matmul(input, other):
    shape1, shape2 = input._data.shape, other._data.shape
    batch = broadcast_shapes(shape1[:-2], shape2[:-2])
    inner, other_inner = shape1[-1], shape2[-2] if len(shape2) > 1 else shape2[0]
    folded = len(shape1) >= 3 and len(shape2) <= 2  # PyTorch folds this case into mm / mv
    if inner != other_inner:
        rows = math.prod(shape1[:-1])
        if folded and len(shape2) == 1:
            raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{inner}), vec "
                               f"({other_inner})")
        if folded:
            raise _mm_shape_error(rows, inner, other_inner, shape2[-1])
        size = math.prod(batch)
        raise _bmm_shape_error(size, inner, size, other_inner)
    if folded:
        _check_mm_dtypes(input, other)
    else:
        _check_same_dtype(input, other, "expected scalar type {} but found {}")
    first = unsqueeze(input, 0) if len(shape1) == 1 else input
    second = unsqueeze(other, -1) if len(shape2) == 1 else other
    result = Matmul.apply(first, second)
    if len(shape2) == 1:
        result = squeeze(result, -1)
    return squeeze(result, -2) if len(shape1) == 1 else result


def _check_vector(tensor, function, name):
    if tensor._data.ndim != 1:
        raise RuntimeError(f"{function}: Expected 1-D argument {name}, but got "
                           f"{tensor._data.ndim}-D")


def outer(input, vec2, *, out=None):
    """Outer product of the vectors ``input`` and ``vec2``."""
    _check_vector(input, "outer", "self")
    _check_vector(vec2, "outer", "vec2")
    return _out(mul(unsqueeze(input, 1), vec2), out)


ger = outer


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    r""":math:`\beta\,\text{input} + \alpha\,(\text{mat1} \mathbin{@} \text{mat2})`, as one
    fused op (``nn.Linear``'s)."""
    for name, matrix in (("mat1", mat1), ("mat2", mat2)):
        if matrix._data.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {matrix._data.ndim}-D tensor")
    rows, inner = mat1._data.shape
    if inner != mat2._data.shape[0]:
        raise _mm_shape_error(rows, inner, *mat2._data.shape)
    _check_same_dtype(input, mat2, "self and mat2 must have the same dtype, but got {} and {}")
    _check_mm_dtypes(mat1, mat2)
    _check_expandable(input, (rows, mat2._data.shape[1]))
    return _out(Addmm.apply(input, mat1, mat2, beta, alpha), out)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    r""":math:`\beta\,\text{input} + \alpha\,(\text{batch1} \mathbin{@} \text{batch2})` for
    batches of matrices."""
    _check_bmm(batch1, batch2)
    _check_same_dtype(input, batch2, "self and mat2 must have the same dtype, but got {} and {}")
    _check_expandable(input, batch1._data.shape[:2] + batch2._data.shape[2:])
    return _out(Baddbmm.apply(input, batch1, batch2, beta, alpha), out)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    r""":math:`\beta\,\text{input} + \alpha\,\sum_i \text{batch1}_i \mathbin{@}
    \text{batch2}_i`."""
    for name, batch in (("batch1", batch1), ("batch2", batch2)):
        if batch._data.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    size, rows, inner = batch1._data.shape
    other_size, other_inner, columns = batch2._data.shape
    if size != other_size:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {size} and "
                           f"{other_size}")
    if inner != other_inner:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({rows}x{inner} and "
                           f"{other_inner}x{columns})")
    _check_same_dtype(input, batch2, "self and mat2 must have the same dtype, but got {} and {}")
    _check_same_dtype(batch1, batch2, "expected scalar type {} but found {}")
    _check_expandable(input, (rows, columns))
    return _out(Addbmm.apply(input, batch1, batch2, beta, alpha), out)


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    r""":math:`\beta\,\text{input} + \alpha\,(\text{mat} \mathbin{@} \text{vec})`."""
    _check_mv(mat, vec, input)
    return _out(Addmv.apply(input, mat, vec, beta, alpha), out)


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    r""":math:`\beta\,\text{input} + \alpha\,(\text{vec1} \otimes \text{vec2})`."""
    _check_vector(vec1, "addr", "vec1")
    _check_vector(vec2, "addr", "vec2")
    _check_expandable(input, vec1._data.shape + vec2._data.shape)
    return _out(Addr.apply(input, vec1, vec2, beta, alpha), out)


def inner(input, other, *, out=None):
    """Inner product over the last dimension (a product when either is 0-d)."""
    if input._data.ndim == 0 or other._data.ndim == 0:
        return mul(input, other, out=out)
    if input._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got "
                           f"shapes {list(input.shape)} and {list(other.shape)}")
    return tensordot(input, other, ([-1], [-1]), out=out)


def kron(input, other, *, out=None):
    """Kronecker product of ``input`` and ``other``."""
    ndim = max(input._data.ndim, other._data.ndim)
    first = (1,) * (ndim - input._data.ndim) + input._data.shape
    second = (1,) * (ndim - other._data.ndim) + other._data.shape
    product = mul(input.reshape(sum(((size, 1) for size in first), ())),
                  other.reshape(sum(((1, size) for size in second), ())))
    return _out(product.reshape(tuple(a * b for a, b in zip(first, second))), out)


def linalg_cross(input, other, *, dim=-1, out=None):
    """Cross product of 3-vectors along ``dim``, broadcasting the other dimensions."""
    if input._data.ndim != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    axis = wrap_dim(dim, input._data.ndim)
    first, second = input._data.shape[axis], other._data.shape[axis]
    if first != 3 or second != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{first} and {second}")
    broadcast_shapes(input._data.shape, other._data.shape)
    _check_same_dtype(input, other, "expected scalar type {} but found {}")
    return _out(LinalgCross.apply(input, other, axis), out)


def cross(input, other, dim=None, *, out=None):
    """Cross product along ``dim`` (by default, and deprecated, the first dimension of size
    3)."""
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease "
                      "either pass the dim explicitly or simply use torch.linalg.cross.\nThe "
                      "default value of dim will change to agree with that of linalg.cross in a "
                      "future release.", UserWarning, stacklevel=2)
        dim = next((i for i, size in enumerate(input._data.shape) if size == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


# ---------------------------------------------------------------------- einsum
_ELLIPSIS = "..."


def _parse_term(term, equation):
    labels, position = [], 0
    while position < len(term):
        if term.startswith(_ELLIPSIS, position):
            labels.append(_ELLIPSIS)
            position += 3
            continue
        char = term[position]
        if not (char.isascii() and char.isalpha()):
            raise RuntimeError(f"einsum(): invalid subscript given at index {equation.index(char)}"
                               " in the equation string, subscripts must be in [a-zA-Z]")
        labels.append(char)
        position += 1
    return labels


def _parse_equation(equation, count):
    """Labels of each operand and of the output (``None`` when implicit)."""
    equation = equation.replace(" ", "")
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) > count:
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if len(terms) < count:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    output = _parse_term(right, equation) if arrow else None
    return [_parse_term(term, equation) for term in terms], output


def _sublist_equation(args):
    """The equation string of the sublist format ``einsum(op1, [0, 1], op2, [1, 2], [0, 2])``."""
    def spell(sublist):
        chars = []
        for label in sublist:
            if label is Ellipsis:
                chars.append(_ELLIPSIS)
            elif 0 <= label < 52:
                chars.append(string.ascii_uppercase[label] if label < 26
                             else string.ascii_lowercase[label - 26])
            else:
                raise ValueError("einsum(): subscript in subscript list is not within the valid "
                                 "range [0, 52)")
        return "".join(chars)

    operands = args[0:len(args) - len(args) % 2:2]
    equation = ",".join(spell(sublist) for sublist in args[1::2])
    if len(args) % 2:
        equation += "->" + spell(args[-1])
    return equation, operands


def _expand_ellipses(inputs, output, operands):
    """Replaces ``...`` by integer labels (right-aligned, so they broadcast) and makes the
    output explicit (PyTorch's implicit output: ellipsis dims, then single labels sorted)."""
    ranks = []
    for index, (labels, operand) in enumerate(zip(inputs, operands)):
        explicit, ndim = len(labels) - labels.count(_ELLIPSIS), operand._data.ndim
        if _ELLIPSIS in labels and explicit > ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({explicit}) "
                               f"is more than the number of dimensions ({ndim}) for operand "
                               f"{index}")
        if _ELLIPSIS not in labels and explicit != ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({explicit}) "
                               f"does not match the number of dimensions ({ndim}) for operand "
                               f"{index} and no ellipsis was given")
        ranks.append(ndim - explicit)
    rank = max(ranks)

    def expand(labels, ellipsis_rank):
        if _ELLIPSIS not in labels:
            return list(labels)
        at = labels.index(_ELLIPSIS)
        return labels[:at] + list(range(rank - ellipsis_rank, rank)) + labels[at + 1:]

    expanded = [expand(labels, r) for labels, r in zip(inputs, ranks)]
    if output is None:
        counts = Counter(label for labels in inputs for label in labels if label != _ELLIPSIS)
        singles = sorted(label for label, count in counts.items() if count == 1)
        return expanded, list(range(rank)) + singles
    seen = {label for labels in inputs for label in labels}
    for label in output:
        if label != _ELLIPSIS and output.count(label) > 1:
            raise RuntimeError(f"einsum(): output subscript {label} appears more than once in the "
                               "output")
        if label not in seen:
            raise RuntimeError(f"einsum(): output subscript {label} does not appear in the "
                               "equation for any input operand")
    return expanded, expand(output, rank)


def _check_label_sizes(expanded, operands):
    sizes = {}
    for index, (labels, operand) in enumerate(zip(expanded, operands)):
        own = {}
        for dim, (label, size) in enumerate(zip(labels, operand._data.shape)):
            if label in own and own[label] != size:
                raise RuntimeError(f"einsum(): subscript {label} is repeated for operand {index} "
                                   f"but the sizes don't match, {size} != {own[label]}")
            own[label] = size
            previous = sizes.get(label, 1)
            if size != 1 and previous not in (1, size):
                if isinstance(label, int):
                    raise RuntimeError(
                        f"einsum(): dimension {dim} covered by ellipsis in operand {index}has "
                        f"size {size} which does not broadcast with previously seen ellipsis "
                        f"with size {previous} for the respective dimension")
                raise RuntimeError(f"einsum(): subscript {label} has size {size} for operand "
                                   f"{index} which does not broadcast with previously seen size "
                                   f"{previous}")
            sizes[label] = max(previous, size)


def _take_diagonals(operand, labels):
    """Replaces repeated labels of one operand by the diagonal they select."""
    while len(set(labels)) < len(labels):
        label = next(label for label in labels if labels.count(label) > 1)
        first = labels.index(label)
        second = labels.index(label, first + 1)
        operand = diagonal(operand, 0, first, second)
        labels = [x for d, x in enumerate(labels) if d not in (first, second)] + [label]
    return operand, labels


def _contract(operands, expanded, output):
    """Contracts ``operands`` labelled ``expanded`` into ``output``'s labels: diagonals and
    labels summed within one operand are taken first, so :class:`Einsum` never sees them."""
    operands, expanded = list(operands), [list(labels) for labels in expanded]
    for i, operand in enumerate(operands):
        operands[i], expanded[i] = _take_diagonals(operand, expanded[i])
    counts = Counter(label for labels in expanded for label in labels)
    for i, labels in enumerate(expanded):
        summed = tuple(d for d, label in enumerate(labels)
                       if counts[label] == 1 and label not in output)
        if summed:
            operands[i] = _sum(operands[i], summed)
            expanded[i] = [label for d, label in enumerate(labels) if d not in summed]
    if len(operands) == 1:
        return permute(operands[0], [expanded[0].index(label) for label in output])
    letters = {}

    def spell(labels):
        return "".join(letters.setdefault(label, string.ascii_letters[len(letters)])
                       for label in labels)

    equation = ",".join(spell(labels) for labels in expanded) + "->" + spell(output)
    return Einsum.apply(equation, *operands)


def einsum(*args):
    """Sums products of operands' elements over the labels of an Einstein-summation equation:
    ``einsum("ij,jk->ik", a, b)``, ``einsum("ij,jk", [a, b])`` or the sublist format
    ``einsum(a, [0, 1], b, [1, 2], [0, 2])``."""
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, "
                         "or at least one operand and its subscripts list")
    if isinstance(args[0], str):
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
    else:
        equation, operands = _sublist_equation(args)
    for operand in operands[1:]:
        _check_same_dtype(operands[0], operand, "expected scalar type {} but found {}")
    inputs, output = _parse_equation(equation, len(operands))
    expanded, output = _expand_ellipses(inputs, output, operands)
    _check_label_sizes(expanded, operands)
    return _contract(operands, expanded, output)


def tensordot(a, b, dims=2, out=None):
    """Contracts the last ``dims`` dimensions of ``a`` with the first of ``b``, or the listed
    pairs ``dims=([dims of a], [dims of b])``."""
    _check_same_dtype(a, b, "both inputs should have same dtype")
    ndim_a, ndim_b = a._data.ndim, b._data.ndim
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > ndim_a or dims > ndim_b:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = range(ndim_a - dims, ndim_a), range(dims)
    else:
        dims_a, dims_b = dims
        if isinstance(dims_a, int):
            raise TypeError("tensordot(): argument 'dims_self' (position 3) must be tuple of "
                            "ints, not int")
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
    dims_a = [wrap_dim(d, ndim_a) for d in dims_a]
    dims_b = [wrap_dim(d, ndim_b) for d in dims_b]
    labels_a, labels_b = list(range(ndim_a)), list(range(ndim_a, ndim_a + ndim_b))
    for da, db in zip(dims_a, dims_b):
        size_a, size_b = a._data.shape[da], b._data.shape[db]
        if size_a != size_b:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {size_a} "
                               f"in dim {da} and second has size {size_b} in dim {db}")
        labels_b[db] = da
    output = ([labels_a[d] for d in range(ndim_a) if d not in dims_a]
              + [labels_b[d] for d in range(ndim_b) if d not in dims_b])
    return _out(_contract([a, b], [labels_a, labels_b], output), out)


def linalg_multi_dot(tensors, *, out=None):
    """Product of a chain of matrices (the first and last may be vectors), multiplied in the
    order that needs the fewest operations."""
    count = len(tensors)
    if count < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {count}")
    for index, tensor in enumerate(tensors):
        ndim = tensor._data.ndim
        if index in (0, count - 1) and ndim not in (1, 2):
            where_ = "first" if index == 0 else "last"
            raise RuntimeError(f"multi_dot(): the {where_} tensor must be 1D or 2D but got "
                               f"{ndim}D")
        if 0 < index < count - 1 and ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {index} must be 2D but got {ndim}D")
        if tensor._data.dtype != tensors[0]._data.dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 "
                               f"is {_type(tensors[0])} and tensor {index} is {_type(tensor)}")
    matrices = list(tensors)
    if matrices[0]._data.ndim == 1:
        matrices[0] = unsqueeze(matrices[0], 0)
    if matrices[-1]._data.ndim == 1:
        matrices[-1] = unsqueeze(matrices[-1], 1)
    for index in range(count - 1):
        first, second = matrices[index]._data.shape, matrices[index + 1]._data.shape
        if first[1] != second[0]:
            raise RuntimeError(f"multi_dot(): tensors {index} and {index + 1} with shapes "
                               f"{list(first)} and {list(second)} cannot be multiplied")
    result = _chain_product(matrices)
    if tensors[-1]._data.ndim == 1:
        result = squeeze(result, -1)
    if tensors[0]._data.ndim == 1:
        result = squeeze(result, 0)
    return _out(result, out)


def _chain_product(matrices):
    """Multiplies a chain of matrices in the cheapest order (the classic dynamic program)."""
    sizes = [m._data.shape[0] for m in matrices] + [matrices[-1]._data.shape[1]]
    count = len(matrices)
    cost, split = {(i, i): 0 for i in range(count)}, {}
    for length in range(1, count):
        for i in range(count - length):
            j = i + length
            cost[i, j], split[i, j] = min(
                (cost[i, k] + cost[k + 1, j] + sizes[i] * sizes[k + 1] * sizes[j + 1], k)
                for k in range(i, j))

    def build(i, j):
        if i == j:
            return matrices[i]
        k = split[i, j]
        return mm(build(i, k), build(k + 1, j))

    return build(0, count - 1)


def chain_matmul(*matrices, out=None):
    """Deprecated: :func:`ember.linalg.multi_dot` of ``matrices``."""
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                  "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
                  "more tensors rather than multiple parameters.", UserWarning, stacklevel=2)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for matrix in matrices:
        if matrix._data.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {matrix._data.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return _out(matrices[0].clone(), out)
    return linalg_multi_dot(matrices, out=out)


def linalg_vecdot(x, y, *, dim=-1, out=None):
    """Dot product of vectors along ``dim`` (conjugating ``x``), broadcasting the rest."""
    _check_floating(x, "linalg.vecdot")
    _check_same_dtype(x, y, "linalg.vecdot: Expected x and y to have the same dtype, but found x "
                      "of type {} and y of type {} instead")
    return _out(_sum(mul(x.conj() if x.is_complex() else x, y), dim), out)


# ---------------------------------------------------------------------- norms: public
def linalg_vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    r""":math:`(\sum |x_i|^{ord})^{1/ord}` over ``dim`` (all dimensions by default);
    ``ord`` may also be ``inf``, ``-inf`` or 0."""
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float, np.number)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not "
                        f"{type(ord).__name__}")
    _check_floating(x, "linalg.vector_norm")
    if dtype is not None:
        x = _cast_without_narrowing(x, _dtype.to_dtype(dtype), "linalg.vector_norm")
    ndim = x._data.ndim
    dims = wrap_dims(dim, ndim) if dim is not None and dim != () else tuple(range(ndim))
    if math.isinf(ord) and any(x._data.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {'-' if ord < 0 else ''}inf "
                           "norm on an empty tensor because the operation does not have an "
                           "identity")
    return _out(LinalgVectorNorm.apply(x, float(ord), dims, keepdim), out)


def _cast_without_narrowing(x, dtype, name):
    if _dtype.promote_types(_dtype.from_numpy_dtype(x._data.dtype), dtype) != dtype:
        raise RuntimeError(f"{name}: the dtype of the input ({_type(x)}) should be convertible "
                           f"without narrowing to the specified dtype "
                           f"({_scalar_type_name(dtype.numpy)})")
    return cast(x, dtype)


def linalg_matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Frobenius (``'fro'``), nuclear (``'nuc'``), spectral (2, -2), max column sum (1, -1) or
    max row sum (inf, -inf) norm of the matrices over ``dim``."""
    name = "linalg.matrix_norm"
    _check_matrices(A, name)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"{name}: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
    first, second = (wrap_dim(d, A._data.ndim) for d in dims)
    if first == second:
        raise RuntimeError(f"{name}: dims must be different. Got ({dims[0]}, {dims[1]})")
    if ord not in ("fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf):
        raise RuntimeError(f"{name}: Order {ord} not supported.")
    _check_floating(A, name)
    if dtype is not None:
        A = _cast_without_narrowing(A, _dtype.to_dtype(dtype), name)
    if ord == "fro":
        return linalg_vector_norm(A, 2, (first, second), keepdim, out=out)
    if ord in ("nuc", 2, -2):
        values = linalg_svdvals(movedim(A, (first, second), (-2, -1)))
        result = _sum(values, -1) if ord == "nuc" else \
            linalg_vector_norm(values, math.inf if ord == 2 else -math.inf, -1)
        if keepdim:
            for d in sorted((first, second)):
                result = unsqueeze(result, d)
        return _out(result, out)
    summed, reduced = (first, second) if ord in (1, -1) else (second, first)
    sums = _sum(A.abs(), summed, keepdim=True)
    result = linalg_vector_norm(sums, math.inf if ord > 0 else -math.inf, reduced, keepdim=True)
    return _out(result if keepdim else squeeze(result, (first, second)), out)


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """A vector norm (1-D input, or one ``dim``) or a matrix norm (2-D input, or two dims);
    the 2-norm of the flattened input when ``ord`` and ``dim`` are both omitted."""
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 1:
            return linalg_vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype,
                                      out=out)
        if len(dims) == 2:
            return linalg_matrix_norm(A, "fro" if ord is None else ord, dims, keepdim,
                                      dtype=dtype, out=out)
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                           f"{list(dims)}")
    if ord is None:
        return linalg_vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    if A._data.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A._data.ndim}D.")
    if A._data.ndim == 2 or isinstance(ord, str):
        return linalg_matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)
    return linalg_vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The vector ``p``-norm over ``dim`` (all dimensions by default; ``'fro'`` is the 2-norm),
    or the nuclear norm for ``p='nuc'``."""
    dims = [dim] if isinstance(dim, int) else dim
    if not isinstance(p, str):
        return linalg_vector_norm(input, 2.0 if p is None else p, dims, keepdim, dtype=dtype,
                                  out=out)
    if p == "fro" and (dims is None or len(dims) <= 2):
        return linalg_vector_norm(input, 2, dims, keepdim, dtype=dtype, out=out)
    dims = list(range(input._data.ndim)) if dims is None else dims
    return linalg_matrix_norm(input, p, dims, keepdim, dtype=dtype, out=out)


def dist(input, other, p=2):
    """The ``p``-norm of ``input - other``."""
    difference = input - other
    if difference._data.dtype.kind not in "fc":
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. "
                           f"Got {_type(difference)} instead.")
    return linalg_vector_norm(difference, p)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The ``p``-norm distance between each row of ``x1`` and each row of ``x2`` (with
    broadcast batch dimensions)."""
    for name, x in (("X1", x1), ("X2", x2)):
        if x._data.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{x._data.ndim}D")
    if x1._data.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {_type(x1)}")
    if x1._data.shape[-1] != x2._data.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1._data.shape[-1]} X2: {x2._data.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    _check_same_dtype(x1, x2, "expected scalar type {} but found {}")
    difference = unsqueeze(x1, -2) - unsqueeze(x2, -3)
    return linalg_vector_norm(difference, p, -1)


# ---------------------------------------------------------------------- decompositions: public
def linalg_inv(A, *, out=None):
    """Inverse of the square matrices ``A``; LinAlgError when one is singular."""
    _check_linalg_input(A, "linalg.inv")
    return _out(_factorize(LinalgInvEx, _inv_error, A), out)


def inverse(input, *, out=None):
    """Inverse of the square matrices ``input`` (see :func:`ember.linalg.inv`)."""
    return linalg_inv(input, out=out)


def linalg_solve(A, B, *, left=True, out=None):
    """``X`` with ``A X = B`` (``X A = B`` when not ``left``); ``B`` may be a (batch of)
    vector(s), and batch dimensions broadcast."""
    name = "linalg.solve"
    _check_linalg_input(A, name)
    _check_same_dtype(A, B, f"{name}: Expected A and B to have the same dtype, but found A of "
                      "type {} and B of type {} instead")
    shape_A, shape_B = A._data.shape, B._data.shape
    vector = len(shape_B) == 1 or (len(shape_B) == len(shape_A) - 1 and shape_B == shape_A[:-1])
    matrix_B = unsqueeze(B, -1) if vector else B
    rows, columns = matrix_B._data.shape[-2:]
    n = shape_A[-1]
    if (rows if left else columns) != n:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {equation} "
                           f"({n}x{n} and {rows}x{columns})")
    broadcast_shapes(shape_A[:-2], matrix_B._data.shape[:-2])
    if left:
        result = _factorize(LinalgSolveEx, _solve_error, A, matrix_B)
    else:
        result = _mT(_factorize(LinalgSolveEx, _solve_error, _mT(A), _mT(matrix_B)))
    return _out(squeeze(result, -1) if vector else result, out)


def linalg_det(A, *, out=None):
    """Determinant of the square matrices ``A``."""
    _check_linalg_input(A, "linalg.det")
    return _out(LinalgDet.apply(A), out)


def det(input):
    """Determinant of the square matrices ``input``."""
    return linalg_det(input)


def linalg_slogdet(A, *, out=None):
    """Sign and log absolute value of the determinants of ``A``."""
    _check_linalg_input(A, "linalg.slogdet")
    return return_types.linalg_slogdet(*LinalgSlogdet.apply(A))


def slogdet(input):
    """Sign and log absolute value of the determinants of ``input``."""
    return return_types.slogdet(*linalg_slogdet(input))


def logdet(input):
    """Log determinant of the square matrices ``input`` (NaN for a negative determinant)."""
    _check_linalg_input(input, "logdet")
    sign, logabsdet = LinalgSlogdet.apply(input)
    return where(sign < 0, math.nan, logabsdet)


def linalg_cholesky(A, *, upper=False, out=None):
    """Lower-triangular ``L`` with ``A = L L^T`` (``L^T`` when ``upper``); LinAlgError when a
    matrix is not positive-definite."""
    _check_linalg_input(A, "linalg.cholesky")
    return _out(_factorize(LinalgCholeskyEx, _cholesky_error, A, upper), out)


def cholesky(input, upper=False, *, out=None):
    """Removed from PyTorch (use :func:`ember.linalg.cholesky`); raises like PyTorch."""
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.cholesky` is "
        "deprecated in favor of `torch.linalg.cholesky`.\nL = torch.cholesky(A) should be "
        "replaced with:\nL = torch.linalg.cholesky(A)\nU = torch.cholesky(A, upper=True) should "
        "be replaced with:\nU = torch.linalg.cholesky(A).mH")


def linalg_qr(A, mode="reduced", *, out=None):
    """QR decomposition; ``mode`` is ``'reduced'``, ``'complete'`` or ``'r'`` (Q left empty)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    _check_linalg_input(A, "linalg.qr", square=False)
    return return_types.linalg_qr(*LinalgQr.apply(A, mode))


def qr(input, some=True, *, out=None):
    """Removed from PyTorch (use :func:`ember.linalg.qr`); raises like PyTorch."""
    mode = "reduced" if some else "complete"
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.qr` is "
        "deprecated in favor of `torch.linalg.qr` and the boolean parameter `some` has been "
        "replaced with a string parameter `mode`.\n\nQ, R = torch.qr(A) should be replaced "
        "with:\nQ, R = torch.linalg.qr(A, mode='reduced')\n\nand\n\nQ, R = torch.qr(A, "
        "some=False) should be replaced with:\nQ, R = torch.linalg.qr(A, mode='complete')\n\n"
        f"Since `some` was set to {some}, use mode='{mode}'.")


def linalg_svd(A, full_matrices=True, *, driver=None, out=None):
    """``U, S, Vh`` with ``A = U diag(S) Vh`` (singular values in descending order)."""
    _check_linalg_input(A, "linalg.svd", square=False)
    return return_types.linalg_svd(*LinalgSvd.apply(A, full_matrices))


def linalg_svdvals(A, *, driver=None, out=None):
    """Singular values of ``A``, in descending order."""
    _check_linalg_input(A, "linalg.svdvals", square=False)
    return _out(LinalgSvd.apply(A, False)[1], out)


def svd(input, some=True, compute_uv=True, *, out=None):
    """``U, S, V`` with ``input = U diag(S) V^T`` (reduced unless ``some`` is False; U and V
    zero-filled when not ``compute_uv``)."""
    if not compute_uv:
        rows, columns = input._data.shape[-2:]
        batch = input._data.shape[:-2]
        return return_types.svd(input.new_zeros(batch + (rows, rows)), linalg_svdvals(input),
                                input.new_zeros(batch + (columns, columns)))
    U, S, Vh = linalg_svd(input, full_matrices=not some)
    return return_types.svd(U, S, transpose(Vh, -2, -1))


def linalg_eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and eigenvectors of the symmetric matrices ``A``, read from the
    ``UPLO`` triangle."""
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    _check_linalg_input(A, "linalg.eigh")
    return return_types.linalg_eigh(*LinalgEigh.apply(A, UPLO))


def linalg_eigvalsh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) of the symmetric matrices ``A``."""
    return _out(linalg_eigh(A, UPLO)[0], out)


def _check_pinv_input(A):
    if A._data.ndim < 2 or A._data.dtype.kind not in "fc":
        raise RuntimeError(f"linalg.pinv({_type(A)}{{{list(A.shape)}}}): expected a tensor with 2 "
                           "or more dimensions of float, double, cfloat or cdouble types")


def linalg_pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Moore-Penrose pseudo-inverse; singular values below ``max(atol, rtol * largest)`` count
    as zero."""
    _check_pinv_input(A)
    return _out(LinalgPinv.apply(A, atol, rtol, hermitian), out)


def pinverse(input, rcond=1e-15):
    """Pseudo-inverse, cutting singular values below ``rcond`` times the largest."""
    return linalg_pinv(input, rtol=rcond)


def linalg_matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """Number of singular values (eigenvalue magnitudes when ``hermitian``) above
    ``max(atol, rtol * largest)``, as int64."""
    if A._data.dtype.kind not in "fc":
        raise RuntimeError("This function doesn't handle types other than float and double")
    _check_matrices(A, "linalg.matrix_rank")
    if tol is not None:
        atol, rtol = tol, 0.0
    xp, data = namespace(A._data), A._data
    values = xp.abs(xp.linalg.eigvalsh(data)) if hermitian else \
        xp.linalg.svd(data, compute_uv=False)
    count = (values > _tolerance(xp, values, atol, rtol, data.shape)).sum(-1)
    return _out(_make(xp.asarray(count, dtype=np.int64)), out)


def linalg_matrix_power(A, n, *, out=None):
    """``A`` multiplied by itself ``n`` times (``inv(A)`` ``-n`` times for ``n < 0``)."""
    _check_square(A, "linalg.matrix_power")
    if n == 0:
        xp = namespace(A._data)
        identity = xp.eye(A._data.shape[-1], dtype=A._data.dtype)
        return _out(_make(xp.broadcast_to(identity, A._data.shape).copy()), out)
    if n < 0:
        A, n = linalg_inv(A), -n
        if n == 1:
            return _out(A, out)
    elif n == 1:
        return _out(A.clone(), out)
    result, power = None, A
    while True:
        if n & 1:
            result = power if result is None else matmul(result, power)
        n >>= 1
        if not n:
            return _out(result, out)
        power = matmul(power, power)


matrix_power = linalg_matrix_power


def linalg_matrix_exp(A):
    """The matrix exponential :math:`e^A = \\sum_k A^k / k!`."""
    _check_linalg_input(A, "linalg.matrix_exp")
    return LinalgMatrixExp.apply(A)


matrix_exp = linalg_matrix_exp


def linalg_lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares (minimum-norm) solution of ``A X = B``, with the residuals, rank and
    singular values each driver reports (``gelsy`` by default, as on PyTorch's CPU)."""
    driver = "gelsy" if driver is None else driver
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, "
                           "gelsy, gelsd, gelss)")
    _check_linalg_input(A, "torch.linalg.lstsq", square=False)
    rows, columns = A._data.shape[-2:]
    vector = B._data.ndim == A._data.ndim - 1
    matrix_B = unsqueeze(B, -1) if vector else B
    rtol = np.finfo(A._data.dtype).eps * max(rows, columns) if rcond is None else rcond
    solution = matmul(linalg_pinv(A, rtol=rtol), matrix_B)
    empty = A.new_zeros((0,))
    residuals = empty
    if driver != "gelsy" and rows > columns:
        residuals = _sum((matmul(A, solution) - matrix_B) ** 2, -2)
        residuals = squeeze(residuals, -1) if vector else residuals
    rank = linalg_matrix_rank(A, rtol=rtol) if driver != "gels" else \
        A.new_zeros((0,), dtype=_dtype.int64)
    singular_values = linalg_svdvals(A) if driver in ("gelsd", "gelss") else empty
    return return_types.lstsq(squeeze(solution, -1) if vector else solution, residuals, rank,
                              singular_values)


def linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """A view of the diagonals of the matrices ``A`` (over ``dim1`` and ``dim2``)."""
    return diagonal(A, offset, dim1, dim2)


_TENSOR_METHODS = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm",
                   "addmv", "addr", "addbmm", "baddbmm", "kron", "cross", "norm", "dist",
                   "matrix_power", "matrix_exp", "det", "logdet", "slogdet", "inverse",
                   "pinverse", "cholesky", "qr", "svd"]
_INPLACE_METHODS = ["addmm", "addmv", "addr", "addbmm", "baddbmm"]
