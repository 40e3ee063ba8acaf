"""Named tuples returned by ops with several results (``values, indices = x.max(dim=1)``)."""

from collections import namedtuple

__all__ = ["max", "min", "sort", "topk", "kthvalue", "median", "mode", "cummax", "cummin",
           "aminmax", "slogdet", "svd", "qr", "eigh", "linalg_slogdet", "linalg_eigh",
           "linalg_qr", "linalg_svd", "std_mean", "var_mean", "nanmedian", "lstsq"]


def _values_indices(name):
    return namedtuple(name, ["values", "indices"])


max = _values_indices("max")  # noqa: A001
min = _values_indices("min")  # noqa: A001
sort = _values_indices("sort")
topk = _values_indices("topk")
kthvalue = _values_indices("kthvalue")
median = _values_indices("median")
nanmedian = _values_indices("nanmedian")
mode = _values_indices("mode")
cummax = _values_indices("cummax")
cummin = _values_indices("cummin")
aminmax = namedtuple("aminmax", ["min", "max"])
slogdet = linalg_slogdet = namedtuple("slogdet", ["sign", "logabsdet"])
svd = namedtuple("svd", ["U", "S", "V"])
linalg_svd = namedtuple("linalg_svd", ["U", "S", "Vh"])
qr = linalg_qr = namedtuple("qr", ["Q", "R"])
eigh = linalg_eigh = namedtuple("eigh", ["eigenvalues", "eigenvectors"])
std_mean = namedtuple("std_mean", ["std", "mean"])
var_mean = namedtuple("var_mean", ["var", "mean"])
lstsq = namedtuple("lstsq", ["solution", "residuals", "rank", "singular_values"])
