"""``ember.linalg``: PyTorch's ``torch.linalg`` namespace (norms, solvers, decompositions).

The functions are implemented in :mod:`ember._ops.linalg`, next to the top-level ones they share
code with.
"""

from ember._ops.linalg import LinAlgError, matmul
from ember._ops.linalg import linalg_cholesky as cholesky
from ember._ops.linalg import linalg_cross as cross
from ember._ops.linalg import linalg_det as det
from ember._ops.linalg import linalg_diagonal as diagonal
from ember._ops.linalg import linalg_eigh as eigh
from ember._ops.linalg import linalg_eigvalsh as eigvalsh
from ember._ops.linalg import linalg_inv as inv
from ember._ops.linalg import linalg_lstsq as lstsq
from ember._ops.linalg import linalg_matrix_exp as matrix_exp
from ember._ops.linalg import linalg_matrix_norm as matrix_norm
from ember._ops.linalg import linalg_matrix_power as matrix_power
from ember._ops.linalg import linalg_matrix_rank as matrix_rank
from ember._ops.linalg import linalg_multi_dot as multi_dot
from ember._ops.linalg import linalg_norm as norm
from ember._ops.linalg import linalg_pinv as pinv
from ember._ops.linalg import linalg_qr as qr
from ember._ops.linalg import linalg_slogdet as slogdet
from ember._ops.linalg import linalg_solve as solve
from ember._ops.linalg import linalg_svd as svd
from ember._ops.linalg import linalg_svdvals as svdvals
from ember._ops.linalg import linalg_vecdot as vecdot
from ember._ops.linalg import linalg_vector_norm as vector_norm

__all__ = ["LinAlgError", "cholesky", "cross", "det", "diagonal", "eigh", "eigvalsh", "inv",
           "lstsq", "matmul", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank",
           "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "vecdot",
           "vector_norm"]
