"""Arithmetic operators and the first unary ops, through the generic op checks."""

from tests.op_db import ErrorCase, OpSpec, make_tests

BINARY_SHAPES = [((3, 4), (3, 4)), ((3, 1), (4,)), ((), (2, 3)), ((2, 3), ()), ((0, 3), (3,))]
UNARY_SHAPES = [((3, 4),), ((),), ((0, 2),), ((2, 3, 4),)]

SPECS = [
    OpSpec("add", lambda lib, a, b: a + b, BINARY_SHAPES, dtypes=("float64", "float32", "int64"),
           error_cases=[ErrorCase(lambda lib: lib.ones(3) + lib.ones(4), RuntimeError,
                                  r"size of tensor a \(3\) must match the size of tensor b "
                                  r"\(4\) at non-singleton dimension 0")]),
    OpSpec("add_alpha", lambda lib, a, b: lib.add(a, b, alpha=2.5), BINARY_SHAPES[:2]),
    OpSpec("sub", lambda lib, a, b: a - b, BINARY_SHAPES, dtypes=("float64", "float32", "int64")),
    OpSpec("rsub_scalar", lambda lib, a: 3.5 - a, UNARY_SHAPES),
    OpSpec("mul", lambda lib, a, b: a * b, BINARY_SHAPES, dtypes=("float64", "float32", "int64")),
    OpSpec("mul_scalar", lambda lib, a: a * 2.5, UNARY_SHAPES,
           dtypes=("float64", "float32", "int64")),
    OpSpec("div", lambda lib, a, b: a / b, BINARY_SHAPES[:4], domain=(1.0, 3.0),
           dtypes=("float64", "float32", "int64")),
    OpSpec("rdiv_scalar", lambda lib, a: 2.0 / a, UNARY_SHAPES, domain=(0.5, 2.0)),
    OpSpec("neg", lambda lib, a: -a, UNARY_SHAPES, dtypes=("float64", "float32", "int64"),
           error_cases=[ErrorCase(lambda lib: -lib.tensor([True]), RuntimeError)]),
    OpSpec("pow2", lambda lib, a: a ** 2, UNARY_SHAPES, dtypes=("float64", "float32", "int64")),
    OpSpec("pow3", lambda lib, a: lib.pow(a, 3), UNARY_SHAPES),
    OpSpec("pow_half", lambda lib, a: a ** 0.5, UNARY_SHAPES, domain=(0.5, 2.0)),
    OpSpec("pow_neg", lambda lib, a: a ** -1.5, UNARY_SHAPES, domain=(0.5, 2.0)),
    OpSpec("pow_tensor", lambda lib, a, b: a ** b, BINARY_SHAPES[:4], domain=(0.5, 2.0)),
    OpSpec("rpow", lambda lib, a: 2.0 ** a, UNARY_SHAPES),
    OpSpec("exp", lambda lib, a: lib.exp(a), UNARY_SHAPES),
    OpSpec("log", lambda lib, a: a.log(), UNARY_SHAPES, domain=(0.5, 3.0)),
    OpSpec("sin", lambda lib, a: lib.sin(a), UNARY_SHAPES),
    OpSpec("cos", lambda lib, a: lib.cos(a), UNARY_SHAPES),
    OpSpec("tanh", lambda lib, a: lib.tanh(a), UNARY_SHAPES),
    OpSpec("sigmoid", lambda lib, a: lib.sigmoid(a), UNARY_SHAPES, domain=(-30, 30)),
    OpSpec("relu", lambda lib, a: lib.relu(a), UNARY_SHAPES,
           dtypes=("float64", "float32", "int64")),
    OpSpec("abs", lambda lib, a: lib.abs(a), UNARY_SHAPES, dtypes=("float64", "float32", "int64")),
    OpSpec("sqrt", lambda lib, a: lib.sqrt(a), UNARY_SHAPES, domain=(0.5, 3.0)),
    OpSpec("int_sqrt", lambda lib, a: lib.sqrt(a), UNARY_SHAPES[:1], dtypes=("int64",),
           domain=(0, 9)),
    OpSpec("compare", lambda lib, a, b: (a < b, a <= b, a > b, a >= b, a == b, a != b),
           BINARY_SHAPES, dtypes=("float64", "int64"), grad=False),
    OpSpec("sum", lambda lib, a: a.sum(), UNARY_SHAPES, dtypes=("float64", "float32", "int64")),
    OpSpec("sum_dim", lambda lib, a: lib.sum(a, dim=-1, keepdim=True), UNARY_SHAPES[:1]),
    OpSpec("sum_dims", lambda lib, a: a.sum((0, 2)), [((2, 3, 4),)]),
    OpSpec("mean", lambda lib, a: a.mean(), UNARY_SHAPES[:1] + UNARY_SHAPES[3:]),
    OpSpec("mean_dim", lambda lib, a: a.mean(1), [((2, 3, 4),)],
           error_cases=[ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).mean(),
                                  RuntimeError, "mean")]),
]

make_tests(globals(), SPECS)
