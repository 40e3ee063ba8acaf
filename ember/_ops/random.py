"""Random sampling: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``,
``multinomial`` and the in-place samplers ``uniform_``, ``normal_``... All draw from
:mod:`ember.random` generators on the CPU and move the result to the target device."""

import numpy as np

from ember import _dtype
from ember._ops._checks import broadcast_shapes, cast
from ember._ops.creation import _finish, _not_implemented, _resolve, _size_arg
from ember._ops.pointwise import _out
from ember._tensor import Tensor, _scalar_type_name
from ember.random import numpy_generator

__all__ = ["rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial",
           "rand_like", "randn_like", "randint_like", "poisson"]

# the C++ types PyTorch names in randint's bounds errors
_C_TYPE_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
                 "int16": "short", "int32": "int", "int64": "int64_t"}
_INT64 = np.iinfo(np.int64)


def _check_floating(dtype, kernel):
    if dtype.category not in (_dtype._FLOAT, _dtype._COMPLEX):
        raise _not_implemented(kernel, dtype)


def _uniform(rng, shape, dtype):
    """Uniform on [0, 1); complex dtypes draw the real and imaginary parts independently."""
    real = dtype.to_real().numpy
    if dtype.is_complex:
        pair = rng.random((*shape, 2), real)
        return (pair[..., 0] + 1j * pair[..., 1]).astype(dtype.numpy)
    if real == np.float16:  # 11 random bits, as PyTorch: float32 draws could round up to 1
        return (rng.integers(0, 2**11, shape) * 2.0**-11).astype(np.float16)
    return rng.random(shape, real)


def _standard_normal(rng, shape, dtype):
    """Standard normal; complex dtypes have real and imaginary parts of variance 1/2."""
    real = dtype.to_real().numpy
    work = np.float64 if real == np.float64 else np.float32
    if dtype.is_complex:
        pair = rng.standard_normal((*shape, 2), work) * np.sqrt(0.5, dtype=work)
        return (pair[..., 0] + 1j * pair[..., 1]).astype(dtype.numpy)
    return rng.standard_normal(shape, work).astype(dtype.numpy, copy=False)


def _sampler(name, sample, kernel, doc):
    def function(*size, generator=None, out=None, dtype=None, device=None, requires_grad=False,
                 layout=None, pin_memory=False):
        shape = _size_arg(size, name)
        dtype, device = _resolve(dtype, device, out)
        _check_floating(dtype, kernel)
        array = sample(numpy_generator(generator), shape, dtype)
        return _finish(array, device, requires_grad, out)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


rand = _sampler("rand", _uniform, "check_uniform_bounds",
                "Returns a tensor of the given size with values uniform on ``[0, 1)``.")
randn = _sampler("randn", _standard_normal, "normal_kernel_cpu",
                 "Returns a tensor of the given size with standard normal values.")


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """Like :func:`rand`, with the size, dtype and device of ``input``."""
    return rand(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """Like :func:`randn`, with the size, dtype and device of ``input``."""
    return randn(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad)


def _check_int(value, name, position):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"randint(): argument '{name}' (position {position}) must be int, not "
                        f"{type(value).__name__}")
    if not _INT64.min <= value <= _INT64.max:
        raise ValueError("Overflow when unpacking long long")


def _check_randint_bounds(low, high, dtype):
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    if dtype.category not in (_dtype._INT, _dtype._BOOL):
        return
    info = np.iinfo(dtype.numpy) if dtype is not _dtype.bool else None
    lowest, highest = (info.min, info.max) if info else (0, 1)
    if not lowest <= low <= highest:
        raise RuntimeError(f"from is out of bounds for {_C_TYPE_NAMES[dtype.name]}")
    if not lowest <= high - 1 <= highest:
        raise RuntimeError(f"to - 1 is out of bounds for {_C_TYPE_NAMES[dtype.name]}")


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, device=None,
            requires_grad=False, layout=None, pin_memory=False):
    """Integers uniform on ``[low, high)``; ``randint(high, size)`` starts at 0."""
    if size is None:
        if not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    _check_int(high, "high", 2 if low else 1)
    _check_int(low, "low", 1)
    dtype, device = _resolve(dtype, device, out, _dtype.int64)
    _check_randint_bounds(low, high, dtype)
    shape = _size_arg((size,), "randint")
    array = numpy_generator(generator).integers(low, high, shape, dtype=np.int64)
    return _finish(array.astype(dtype.numpy), device, requires_grad, out)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False,
                 memory_format=None):
    """Like :func:`randint`, with the size, dtype and device of ``input``."""
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype,
                   device=device or input.device, requires_grad=requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """A random permutation of ``0 .. n-1``."""
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype, device = _resolve(dtype, device, out, _dtype.int64)
    array = numpy_generator(generator).permutation(n).astype(dtype.numpy)
    return _finish(array, device, requires_grad, out)


def _check_std(std):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def _normal_of_tensors(mean, std, generator):
    """``mean + std * noise``, differentiable in the tensor arguments, of the dtype of ``mean``
    (or of ``std`` when only it is a tensor)."""
    like = mean if isinstance(mean, Tensor) else std
    dtype = like.dtype
    _check_floating(dtype, "normal_kernel_cpu")
    if isinstance(std, Tensor):
        if (std._data < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        std = cast(std, dtype)
    else:
        _check_std(std)
    if isinstance(mean, Tensor):
        mean = cast(mean, dtype)
    shape = broadcast_shapes(np.shape(mean), np.shape(std))
    noise = _standard_normal(numpy_generator(generator), shape, dtype)
    return mean + std * _finish(noise, like.device, False)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, device=None,
           requires_grad=False, layout=None, pin_memory=False):
    """Normal samples with the given ``mean`` and ``std`` (numbers or tensors, broadcast);
    numbers need ``size``."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        return _out(_normal_of_tensors(mean, std, generator), out)
    if size is None:
        raise TypeError("normal() missing required argument 'size' (pos 3)")
    _check_std(std)
    dtype, device = _resolve(dtype, device, out)
    _check_floating(dtype, "normal_kernel_cpu")
    noise = _standard_normal(numpy_generator(generator), _size_arg((size,), "normal"), dtype)
    return _finish(mean + std * noise, device, requires_grad, out)


def _check_probability(p):
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")


def _draws(generator, shape):
    """Uniform draws on the CPU as float64, the randomness behind the discrete samplers."""
    return numpy_generator(generator).random(shape)


def bernoulli(input, p=None, *, generator=None, out=None):
    """Samples 0/1 with probability ``input`` (or ``p``) for each element; same dtype."""
    if p is None:
        _check_floating(input.dtype, "bernoulli_tensor_cpu_p_")
        probability = _numpy(input)
        if np.any((probability < 0) | (probability > 1)):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    else:
        _check_probability(p)
        probability = p
    draws = _draws(generator, input.shape) < probability
    return _out(_finish(draws.astype(input._data.dtype), input.device, False), out)


def _numpy(tensor):
    return tensor.detach().cpu()._data


def poisson(input, generator=None):
    """Samples from Poisson distributions with the rates in ``input``; same dtype."""
    _check_floating(input.dtype, "poisson_cpu")
    rate = _numpy(input)
    if (rate < 0).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    samples = numpy_generator(generator).poisson(rate).astype(input._data.dtype)
    return _finish(samples, input.device, False)


def _check_multinomial(input, num_samples, replacement):
    if input.dtype.category != _dtype._FLOAT:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_scalar_type_name(input.dtype)}")
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > input.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Samples ``num_samples`` category indices per row from the weights ``input``."""
    _check_multinomial(input, num_samples, replacement)
    weights = _numpy(input).astype(np.float64)
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    rows = weights.reshape(-1, weights.shape[-1])
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if replacement:
        cumulative = np.cumsum(rows, axis=1)
        targets = _draws(generator, (len(rows), num_samples)) * cumulative[:, -1:]
        samples = np.stack([np.searchsorted(c, t, side="right") for c, t in
                            zip(cumulative, targets)])
        samples = np.minimum(samples, rows.shape[1] - 1)
    else:
        # exponential races: the k smallest of Exp(1) / weight are a draw without replacement
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = -np.log1p(-_draws(generator, rows.shape)) / rows
        samples = np.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    result = samples.astype(np.int64).reshape(weights.shape[:-1] + (num_samples,))
    return _out(_finish(result, input.device, False), out)


# ---------------------------------------------------------------------- in-place samplers
def _fill(tensor, array):
    """Writes samples into ``tensor`` (an in-place op: a leaf that requires grad must be filled
    under ``no_grad``, as ``nn.init`` does)."""
    return tensor._write(_finish(array.astype(tensor._data.dtype, copy=False), tensor.device,
                                 False))


def _check_continuous(tensor, name):
    if tensor.dtype.category not in (_dtype._FLOAT, _dtype._COMPLEX):
        raise RuntimeError(f"{name} distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_scalar_type_name(tensor.dtype)}")


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fills ``self`` with values uniform on ``[a, b)``."""
    _check_floating(self.dtype, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={a:g} > to={b:g}")
    return _fill(self, a + (b - a) * _draws(generator, self.shape))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fills ``self`` with normal values of the given ``mean`` and ``std``."""
    _check_floating(self.dtype, "normal_kernel_cpu")
    _check_std(std)
    noise = _standard_normal(numpy_generator(generator), self.shape, _dtype.float64)
    return _fill(self, mean + std * noise)


def bernoulli_(self, p=0.5, *, generator=None):
    """Fills ``self`` with 0/1 samples that are 1 with probability ``p``."""
    if isinstance(p, Tensor):
        probability = _numpy(p)
        if np.any((probability < 0) | (probability > 1)):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    else:
        _check_probability(p)
        probability = p
    return _fill(self, _draws(generator, self.shape) < probability)


def _random_upper_bound(dtype):
    """``random_()``'s default (exclusive) bound: every integer the dtype holds exactly."""
    if dtype.category in (_dtype._FLOAT, _dtype._COMPLEX):
        return 2 ** (np.finfo(dtype.to_real().numpy).nmant + 1) + 1
    if dtype is _dtype.bool:
        return 2
    return int(np.iinfo(dtype.numpy).max) + 1


def random_(self, from_=0, to=None, *, generator=None):
    """Fills ``self`` with integers uniform on ``[from, to)``; ``random_(to)`` starts at 0."""
    if to is None:
        if from_:
            from_, to = 0, from_
        else:
            to = _random_upper_bound(self.dtype)
    if from_ >= to:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={from_} "
                           f">= to={to}")
    return _fill(self, numpy_generator(generator).integers(from_, to, self.shape))


def exponential_(self, lambd=1.0, *, generator=None):
    """Fills ``self`` with exponential samples of rate ``lambd``."""
    _check_continuous(self, "Exponential")
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    return _fill(self, numpy_generator(generator).exponential(1.0 / lambd, self.shape))


def geometric_(self, p, *, generator=None):
    """Fills ``self`` with geometric samples: trials until the first success of chance ``p``."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    return _fill(self, numpy_generator(generator).geometric(p, self.shape))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fills ``self`` with ``exp`` of normal samples of ``mean`` and ``std``."""
    _check_floating(self.dtype, "log_normal_cpu")
    if std <= 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    return _fill(self, numpy_generator(generator).lognormal(mean, std, self.shape))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fills ``self`` with Cauchy samples of the given ``median`` and scale ``sigma``."""
    _check_continuous(self, "Cauchy")
    if sigma <= 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    return _fill(self, median + sigma * numpy_generator(generator).standard_cauchy(self.shape))


_TENSOR_METHODS = ["bernoulli", "multinomial", "uniform_", "normal_", "bernoulli_", "random_",
                   "exponential_", "geometric_", "log_normal_", "cauchy_"]
