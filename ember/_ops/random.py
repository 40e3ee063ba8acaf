"""Random sampling: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``,
``multinomial`` and the in-place samplers ``uniform_``, ``normal_``... All draw from
:mod:`ember.random` generators on the CPU and move the result to the target device."""

import numpy as np

from ember import _dtype
from ember._device import to_device
from ember._ops.creation import _finish, _size_arg
from ember._tensor import Tensor, _make
from ember.random import numpy_generator

__all__ = ["rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial",
           "rand_like", "randn_like", "randint_like", "poisson"]


def _float_dtype(dtype):
    dtype = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    if dtype.category != _dtype._FLOAT:
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for "
                           f"'{dtype.name.capitalize()}'")
    return dtype


def _sampler(sample):
    def function(*size, generator=None, out=None, dtype=None, device=None, requires_grad=False,
                 layout=None, pin_memory=False):
        dtype = _float_dtype(dtype)
        array = sample(numpy_generator(generator), _size_arg(size), dtype.numpy)
        result = _finish(array, to_device(device), requires_grad)
        if out is not None:
            out._data = result._data
            return out
        return result

    return function


def _uniform(rng, shape, dtype):
    if dtype == np.float16:
        return rng.random(shape, np.float32).astype(dtype)
    return rng.random(shape, dtype)


def _normal(rng, shape, dtype):
    if dtype == np.float16:
        return rng.standard_normal(shape, np.float32).astype(dtype)
    return rng.standard_normal(shape, dtype)


rand = _sampler(_uniform)
randn = _sampler(_normal)
rand.__name__, randn.__name__ = "rand", "randn"
rand.__doc__ = "Returns a tensor of the given size with values uniform on ``[0, 1)``."
randn.__doc__ = "Returns a tensor of the given size with standard normal values."


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return rand(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return randn(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, device=None,
            requires_grad=False):
    """Integers uniform on ``[low, high)``; ``randint(high, size)`` starts at 0."""
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    dtype = _dtype.int64 if dtype is None else _dtype.to_dtype(dtype)
    array = numpy_generator(generator).integers(low, high, _size_arg((size,)), dtype=np.int64)
    result = _finish(array.astype(dtype.numpy), to_device(device), requires_grad)
    if out is not None:
        out._data = result._data
        return out
    return result


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype,
                   device=device or input.device, requires_grad=requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of ``0 .. n-1``."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dtype = _dtype.int64 if dtype is None else _dtype.to_dtype(dtype)
    array = numpy_generator(generator).permutation(n).astype(dtype.numpy)
    return _finish(array, to_device(device), requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, device=None,
           requires_grad=False):
    """Normal samples with the given ``mean`` and ``std`` (numbers or tensors, broadcast)."""
    rng = numpy_generator(generator)
    tensors = [x for x in (mean, std) if isinstance(x, Tensor)]
    if tensors:
        if isinstance(std, Tensor) and (std._data < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        like = tensors[0]
        mean_array = mean._data if isinstance(mean, Tensor) else mean
        std_array = std._data if isinstance(std, Tensor) else std
        shape = np.broadcast_shapes(np.shape(mean_array), np.shape(std_array))
        noise = rng.standard_normal(shape).astype(like._data.dtype)
        return _make(np.asarray(mean_array + std_array * noise, dtype=like._data.dtype))
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    dtype = _float_dtype(dtype)
    array = (mean + std * rng.standard_normal(_size_arg((size,)))).astype(dtype.numpy)
    return _finish(array, to_device(device), requires_grad)


def bernoulli(input, p=None, *, generator=None, out=None):
    """Samples 0/1 with probability ``input`` (or ``p``) for each element."""
    probability = input._data if p is None else p
    if np.any((np.asarray(probability) < 0) | (np.asarray(probability) > 1)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    draws = numpy_generator(generator).random(input.shape)
    return _make((draws < probability).astype(input._data.dtype))


def poisson(input, generator=None):
    return _make(numpy_generator(generator).poisson(input._data).astype(input._data.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Samples ``num_samples`` category indices per row from the weights ``input``."""
    weights = input._data.astype(np.float64)
    if weights.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    rows = weights.reshape(-1, weights.shape[-1])
    categories = rows.shape[1]
    if not replacement and num_samples > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    rng = numpy_generator(generator)
    samples = []
    for row in rows:
        total = row.sum()
        if total <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if replacement:
            samples.append(rng.choice(categories, num_samples, replace=True, p=row / total))
        else:
            # Gumbel top-k: sampling without replacement proportional to the weights
            keys = np.log(rng.random(categories)) / np.where(row > 0, row, 1e-300)
            keys = np.where(row > 0, keys, -np.inf)
            samples.append(np.argsort(-keys, kind="stable")[:num_samples])
    result = np.stack(samples).astype(np.int64)
    return _make(result.reshape(weights.shape[:-1] + (num_samples,)))


# ---------------------------------------------------------------------- in-place samplers
def _fill(tensor, array):
    from ember.autograd.grad_mode import no_grad

    with no_grad():
        tensor._write(_make(array.astype(tensor._data.dtype, copy=False)))
    return tensor


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fills ``self`` with values uniform on ``[a, b)``."""
    draws = numpy_generator(generator).random(self.shape)
    return _fill(self, a + (b - a) * draws)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fills ``self`` with normal values of the given ``mean`` and ``std``."""
    return _fill(self, mean + std * numpy_generator(generator).standard_normal(self.shape))


def bernoulli_(self, p=0.5, *, generator=None):
    probability = p._data if isinstance(p, Tensor) else p
    return _fill(self, numpy_generator(generator).random(self.shape) < probability)


def random_(self, from_=0, to=None, *, generator=None):
    if to is None:
        to, from_ = (2 ** 24 if self.is_floating_point() else
                     np.iinfo(self._data.dtype).max), from_ if from_ else 0
    return _fill(self, numpy_generator(generator).integers(from_, to, self.shape))


def exponential_(self, lambd=1.0, *, generator=None):
    return _fill(self, numpy_generator(generator).exponential(1.0 / lambd, self.shape))


def geometric_(self, p, *, generator=None):
    return _fill(self, numpy_generator(generator).geometric(p, self.shape))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    return _fill(self, numpy_generator(generator).lognormal(mean, std, self.shape))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    return _fill(self, median + sigma * numpy_generator(generator).standard_cauchy(self.shape))


_TENSOR_METHODS = ["bernoulli", "multinomial", "uniform_", "normal_", "bernoulli_", "random_",
                   "exponential_", "geometric_", "log_normal_", "cauchy_"]
