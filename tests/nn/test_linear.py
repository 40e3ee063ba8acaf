"""Linear, Bilinear, Identity, Flatten, Unflatten against PyTorch."""

from tests.module_db import ErrorCase, ModuleSpec, make_module_tests

SPECS = [
    ModuleSpec("linear", lambda lib: lib.nn.Linear(3, 4), [(5, 3)],
               error_cases=[ErrorCase(lambda lib: lib.nn.Linear(784, 512)(lib.ones(64, 100)),
                                      RuntimeError, r"mat1 and mat2 shapes cannot be multiplied "
                                                    r"\(64x100 and 784x512\)")]),
    ModuleSpec("linear_3d", lambda lib: lib.nn.Linear(3, 4), [(2, 5, 3)]),
    ModuleSpec("linear_1d", lambda lib: lib.nn.Linear(3, 4), [(3,)]),
    ModuleSpec("linear_nobias", lambda lib: lib.nn.Linear(3, 4, bias=False), [(5, 3)]),
    ModuleSpec("bilinear", lambda lib: lib.nn.Bilinear(3, 2, 4), [(5, 3), (5, 2)]),
    ModuleSpec("identity", lambda lib: lib.nn.Identity(7, x=1), [(5, 3)]),
    ModuleSpec("flatten", lambda lib: lib.nn.Flatten(), [(2, 3, 4)]),
    ModuleSpec("unflatten", lambda lib: lib.nn.Unflatten(1, (2, 2)), [(3, 4)]),
]

make_module_tests(globals(), SPECS)
