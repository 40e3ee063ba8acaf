"""Random sampling: seeding and generator state, sample statistics, result dtypes and shapes, and
PyTorch's errors. ember's streams differ from PyTorch's, so values are checked statistically."""

import numpy as np
import pytest

import ember
from tests.op_db import ErrorCase, check_error
from tests.test_creation import dtype_name

N = 100_000

SAMPLERS = {
    "rand": lambda g: ember.rand(3, 4, generator=g),
    "randn": lambda g: ember.randn(5, generator=g),
    "rand_complex": lambda g: ember.rand(3, dtype=ember.complex64, generator=g),
    "randint": lambda g: ember.randint(0, 1000, (6,), generator=g),
    "randperm": lambda g: ember.randperm(20, generator=g),
    "normal": lambda g: ember.normal(2.0, 3.0, (4,), generator=g),
    "normal_tensors": lambda g: ember.normal(ember.zeros(4), ember.ones(4), generator=g),
    "bernoulli": lambda g: ember.bernoulli(ember.full((20,), 0.5), generator=g),
    "multinomial": lambda g: ember.multinomial(ember.ones(20), 5, generator=g),
    "multinomial_replacement": lambda g: ember.multinomial(ember.ones(20), 8, True,
                                                           generator=g),
    "uniform_": lambda g: ember.empty(5).uniform_(-1, 1, generator=g),
    "normal_": lambda g: ember.empty(5).normal_(generator=g),
    "random_": lambda g: ember.empty(5).random_(0, 100, generator=g),
    "exponential_": lambda g: ember.empty(5).exponential_(generator=g),
    "poisson": lambda g: ember.poisson(ember.full((6,), 10.0), generator=g),
}


@pytest.mark.parametrize("name", SAMPLERS)
def test_manual_seed_reproduces_the_default_generator(name):
    sample = SAMPLERS[name]
    ember.manual_seed(123)
    first = sample(None).tolist()
    ember.manual_seed(123)
    assert sample(None).tolist() == first
    ember.manual_seed(124)
    assert sample(None).tolist() != first


@pytest.mark.parametrize("name", SAMPLERS)
def test_explicit_generators_are_independent_of_the_default(name):
    sample = SAMPLERS[name]
    ember.manual_seed(0)
    expected = ember.rand(3).tolist()
    ember.manual_seed(0)
    first = sample(ember.Generator().manual_seed(7)).tolist()
    assert ember.rand(3).tolist() == expected
    assert sample(ember.Generator().manual_seed(7)).tolist() == first


def test_rng_state_round_trip():
    ember.manual_seed(5)
    state = ember.get_rng_state()
    assert state.dtype is ember.uint8 and state.ndim == 1
    first = ember.randn(4).tolist()
    ember.randn(10)
    ember.set_rng_state(state)
    assert ember.randn(4).tolist() == first
    assert ember.initial_seed() == 5


def test_generator_state_round_trip():
    generator = ember.Generator().manual_seed(11)
    state = generator.get_state()
    first = ember.rand(3, generator=generator).tolist()
    assert ember.rand(3, generator=generator).tolist() != first
    assert generator.set_state(state) is generator
    assert ember.rand(3, generator=generator).tolist() == first


def test_fork_rng_restores_the_state():
    ember.manual_seed(3)
    with ember.random.fork_rng():
        ember.rand(5)
    after = ember.rand(2).tolist()
    ember.manual_seed(3)
    assert ember.rand(2).tolist() == after


def test_seeds_like_pytorch(torch):
    for lib in (ember, torch):
        assert lib.Generator().initial_seed() == 67280421310721
        assert lib.manual_seed(7).initial_seed() == 7 == lib.initial_seed()
        assert lib.manual_seed(-1).initial_seed() == 2**64 - 1
        assert lib.Generator().manual_seed(5).initial_seed() == 5
        assert lib.Generator().device == lib.device("cpu")
        assert lib.cuda.manual_seed(3) is None and lib.cuda.manual_seed_all(3) is None
        lib.manual_seed(0)


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.manual_seed(2**64), ValueError, "Overflow"),
    ErrorCase(lambda lib: lib.set_rng_state(lib.ones(3)), TypeError,
              "RNG state must be a ember.ByteTensor"),
    ErrorCase(lambda lib: lib.set_rng_state(lib.ones(3, dtype=lib.uint8)), RuntimeError,
              "Expected a CPUGeneratorImplState of size"),
], ids=["overflow", "float_state", "short_state"])
def test_seed_and_state_errors(case, torch):
    check_error(case, torch)


# ---------------------------------------------------------------------- statistics
@pytest.fixture
def seeded():
    ember.manual_seed(2024)


def _moments(tensor):
    values = tensor.numpy().astype(np.float64)
    return values.mean(), values.std()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_rand_statistics(dtype, seeded):
    sample = ember.rand(N, dtype=getattr(ember, dtype))
    mean, std = _moments(sample)
    assert abs(mean - 0.5) < 0.01 and abs(std - (1 / 12) ** 0.5) < 0.01
    assert 0 <= sample.numpy().min() and sample.numpy().max() < 1


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_randn_statistics(dtype, seeded):
    mean, std = _moments(ember.randn(N, dtype=getattr(ember, dtype)))
    assert abs(mean) < 0.02 and abs(std - 1) < 0.02


def test_complex_samplers_split_the_variance(seeded):
    values = ember.randn(N, dtype=ember.complex64).numpy()
    assert abs(np.mean(np.abs(values) ** 2) - 1) < 0.03
    assert abs(values.real.std() - 0.5**0.5) < 0.02 and abs(values.imag.std() - 0.5**0.5) < 0.02
    uniform = ember.rand(N, dtype=ember.complex128).numpy()
    assert abs(uniform.real.mean() - 0.5) < 0.01 and abs(uniform.imag.mean() - 0.5) < 0.01


def test_normal_statistics(seeded):
    mean, std = _moments(ember.normal(2.0, 3.0, (N,)))
    assert abs(mean - 2) < 0.05 and abs(std - 3) < 0.05
    means = ember.tensor([[-5.0], [5.0]])
    sample = ember.normal(means, ember.full((N,), 0.5))
    assert sample.shape == (2, N)
    assert np.allclose(sample.numpy().mean(1), [-5, 5], atol=0.02)
    assert np.allclose(sample.numpy().std(1), [0.5, 0.5], atol=0.02)


def test_randint_bounds_and_coverage(seeded):
    values = ember.randint(3, 10, (N,)).numpy()
    assert values.min() == 3 and values.max() == 9
    assert np.allclose(np.bincount(values)[3:] / N, 1 / 7, atol=0.01)
    assert set(ember.randint(2, (1000,)).tolist()) == {0, 1}


def test_randperm_is_a_permutation(seeded):
    for n in (0, 1, 100):
        assert sorted(ember.randperm(n).tolist()) == list(range(n))


def test_multinomial_without_replacement_gives_distinct_indices(seeded):
    weights = ember.rand(50, 10) + 0.01
    samples = ember.multinomial(weights, 10)
    assert samples.shape == (50, 10)
    assert all(sorted(row) == list(range(10)) for row in samples.tolist())
    sparse = ember.multinomial(ember.tensor([0.0, 3.0, 0.0, 1.0]), 2)
    assert sorted(sparse.tolist()) == [1, 3]


def test_multinomial_frequencies_follow_the_weights(seeded):
    weights = ember.tensor([1.0, 2.0, 7.0])
    counts = np.bincount(ember.multinomial(weights, N, True).numpy(), minlength=3)
    assert np.allclose(counts / N, [0.1, 0.2, 0.7], atol=0.01)
    first = np.bincount(ember.multinomial(weights.expand(20000, 3), 1).numpy().ravel())
    assert np.allclose(first / 20000, [0.1, 0.2, 0.7], atol=0.015)


def test_bernoulli_frequencies(seeded):
    assert abs(ember.bernoulli(ember.full((N,), 0.3)).numpy().mean() - 0.3) < 0.01
    assert abs(ember.bernoulli(ember.zeros(N), 0.8).numpy().mean() - 0.8) < 0.01
    assert abs(ember.empty(N).bernoulli_(0.2).numpy().mean() - 0.2) < 0.01
    assert ember.bernoulli(ember.tensor([0.0, 1.0])).tolist() == [0.0, 1.0]


def test_in_place_sampler_statistics(seeded):
    uniform = ember.empty(N).uniform_(2, 5).numpy()
    assert 2 <= uniform.min() and uniform.max() < 5 and abs(uniform.mean() - 3.5) < 0.02
    mean, std = _moments(ember.empty(N, dtype=ember.float64).normal_(2, 0.5))
    assert abs(mean - 2) < 0.01 and abs(std - 0.5) < 0.01
    assert abs(ember.empty(N).exponential_(4.0).numpy().mean() - 0.25) < 0.01
    assert abs(ember.empty(N).geometric_(0.25).numpy().mean() - 4) < 0.1
    integers = ember.empty(N).random_(0, 10).numpy()
    assert set(np.unique(integers)) == set(range(10))
    assert set(np.unique(ember.empty(1000).random_(3).numpy())) == {0, 1, 2}
    full_range = ember.empty(1000).random_().numpy()
    assert (full_range == np.round(full_range)).all() and full_range.max() <= 2**24
    assert abs(ember.poisson(ember.full((N,), 3.0)).numpy().mean() - 3) < 0.05


def test_in_place_samplers_write_into_the_same_memory():
    tensor = ember.zeros(4, dtype=ember.float64)
    view = tensor.detach()
    assert tensor.uniform_(1, 2) is tensor
    assert (view.numpy() >= 1).all() and tensor._version == 1


def test_in_place_samplers_need_no_grad_on_leaves(torch):
    check_error(ErrorCase(lambda lib: lib.ones(3, requires_grad=True).normal_(), RuntimeError,
                          "a leaf Variable that requires grad is being used in an in-place"),
                torch)
    leaf = ember.ones(3, requires_grad=True)
    with ember.no_grad():
        leaf.uniform_(-1, 1)
    assert leaf.requires_grad and leaf.is_leaf and (leaf.detach().numpy() < 1).all()


# ---------------------------------------------------------------------- dtypes and shapes
@pytest.mark.parametrize("make", [
    lambda lib: lib.rand(2, 3), lambda lib: lib.rand((2, 3)), lambda lib: lib.rand(lib.Size([4])),
    lambda lib: lib.rand(2, dtype=lib.float64), lambda lib: lib.randn(2, dtype=lib.float16),
    lambda lib: lib.randn(2, dtype=lib.complex64), lambda lib: lib.rand(2, dtype=lib.complex128),
    lambda lib: lib.rand(()), lambda lib: lib.randn(0, 3),
    lambda lib: lib.randint(10, (3,)), lambda lib: lib.randint(3, 10, (2, 2)),
    lambda lib: lib.randint(low=2, high=10, size=(3,)), lambda lib: lib.randint(0, 10, ()),
    lambda lib: lib.randint(10, (3,), dtype=lib.float32),
    lambda lib: lib.randint(0, 2, (3,), dtype=lib.bool),
    lambda lib: lib.randint(-5, 5, (3,), dtype=lib.int8),
    lambda lib: lib.randperm(5), lambda lib: lib.randperm(5, dtype=lib.float32),
    lambda lib: lib.normal(0.0, 1.0, (2, 3)), lambda lib: lib.normal(2, 3, (2,), dtype=lib.float64),
    lambda lib: lib.normal(lib.zeros(3), 1.0), lambda lib: lib.normal(0.0, lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3, 1), lib.ones(4)),
    lambda lib: lib.normal(lib.zeros(3), lib.ones(3, dtype=lib.float64)),
    lambda lib: lib.normal(lib.zeros(3, dtype=lib.float64), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3, dtype=lib.float16), 1.0),
    lambda lib: lib.bernoulli(lib.full((3,), 0.5, dtype=lib.float64)),
    lambda lib: lib.bernoulli(lib.full((2, 3), 0.5), 0.2),
    lambda lib: lib.multinomial(lib.tensor([[1.0, 2, 3], [1, 1, 1]]), 2),
    lambda lib: lib.multinomial(lib.tensor([1.0, 2.0], dtype=lib.float16), 1),
    lambda lib: lib.rand_like(lib.ones(3, dtype=lib.float64)),
    lambda lib: lib.randn_like(lib.ones(2, 3)),
    lambda lib: lib.randint_like(lib.ones(2, 3), 10),
    lambda lib: lib.randint_like(lib.ones(2, dtype=lib.int32), 3, 10),
    lambda lib: lib.poisson(lib.ones(3, dtype=lib.float64)),
    lambda lib: lib.ones(3, dtype=lib.int64).bernoulli_(0.3),
    lambda lib: lib.ones(3, dtype=lib.uint8).random_(),
    lambda lib: lib.ones(3, dtype=lib.bool).random_(),
    lambda lib: lib.ones(3, dtype=lib.int64).geometric_(0.5),
    lambda lib: lib.rand(2, out=lib.ones(5, dtype=lib.float64)),
    lambda lib: lib.randn(2, 3, device="cpu"),
])
def test_sample_dtype_shape_and_device(make, torch):
    actual, expected = make(ember), make(torch)
    assert dtype_name(actual.dtype) == dtype_name(expected.dtype)
    assert tuple(actual.shape) == tuple(expected.shape)
    assert actual.device == ember.device("cpu")


def test_integer_samples_keep_their_range():
    assert set(ember.randint(-5, 5, (1000,), dtype=ember.int8).tolist()) == set(range(-5, 5))
    assert set(ember.ones(200, dtype=ember.bool).random_().tolist()) == {False, True}


def test_samplers_with_requires_grad():
    sample = ember.rand(2, 3, requires_grad=True)
    assert sample.requires_grad and sample.is_leaf
    assert ember.randn(2, dtype=ember.float64, requires_grad=True).requires_grad


def test_normal_is_differentiable_in_mean_and_std():
    mean = ember.zeros(5, requires_grad=True)
    std = ember.full((5,), 2.0, requires_grad=True)
    sample = ember.normal(mean, std)
    sample.sum().backward()
    assert mean.grad.tolist() == [1.0] * 5
    np.testing.assert_allclose(std.grad.numpy(), (sample.detach() / 2).numpy(), rtol=1e-6)


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.randint(3, 3, (3,)), RuntimeError,
              "random_ expects 'from' to be less than 'to', but got from=3 >= to=3"),
    ErrorCase(lambda lib: lib.randint(10, 3, (3,)), RuntimeError, "from=10 >= to=3"),
    ErrorCase(lambda lib: lib.randint(0, 300, (3,), dtype=lib.uint8), RuntimeError,
              "to - 1 is out of bounds for unsigned char"),
    ErrorCase(lambda lib: lib.randint(-5, 5, (3,), dtype=lib.uint8), RuntimeError,
              "from is out of bounds for unsigned char"),
    ErrorCase(lambda lib: lib.randint(-129, 0, (3,), dtype=lib.int8), RuntimeError,
              "from is out of bounds for signed char"),
    ErrorCase(lambda lib: lib.randint(0, 3, (3,), dtype=lib.bool), RuntimeError,
              "to - 1 is out of bounds for bool"),
    ErrorCase(lambda lib: lib.randint(2.5, (3,)), TypeError,
              "randint\\(\\): argument 'high' \\(position 1\\) must be int, not float"),
    ErrorCase(lambda lib: lib.randint(0, 2**63, (2,)), ValueError, "Overflow"),
    ErrorCase(lambda lib: lib.randint(0, 3, (2,), dtype=lib.int16, requires_grad=True),
              RuntimeError, "Only Tensors of floating point"),
    ErrorCase(lambda lib: lib.randperm(-1), RuntimeError,
              "Trying to create tensor with negative dimension -1"),
    ErrorCase(lambda lib: lib.rand(2, dtype=lib.int64), NotImplementedError,
              "\"check_uniform_bounds\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.randn(2, dtype=lib.int32), NotImplementedError,
              "\"normal_kernel_cpu\" not implemented for 'Int'"),
    ErrorCase(lambda lib: lib.rand_like(lib.ones(2, dtype=lib.bool)), NotImplementedError,
              "not implemented for 'Bool'"),
    ErrorCase(lambda lib: lib.rand(-1), RuntimeError, "negative dimension"),
    ErrorCase(lambda lib: lib.normal(0.0, -1.0, (2, 3)), RuntimeError,
              "normal expects std >= 0.0, but found std -1"),
    ErrorCase(lambda lib: lib.normal(lib.zeros(3), -1.0), RuntimeError,
              "normal expects std >= 0.0, but found std -1"),
    ErrorCase(lambda lib: lib.normal(lib.zeros(3), -lib.ones(3)), RuntimeError,
              "normal expects all elements of std >= 0.0"),
    ErrorCase(lambda lib: lib.normal(lib.zeros(2), lib.ones(3)), RuntimeError,
              "The size of tensor a \\(2\\) must match the size of tensor b \\(3\\)"),
    ErrorCase(lambda lib: lib.normal(lib.zeros(3, dtype=lib.int64), 1.0), NotImplementedError,
              "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.normal(0.0, 1.0, (2,), dtype=lib.int64), NotImplementedError,
              "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.normal(0.0, 1.0), TypeError),
    ErrorCase(lambda lib: lib.multinomial(lib.tensor([1.0, 2, 3]), 4), RuntimeError,
              "cannot sample n_sample > prob_dist.size\\(-1\\) samples without replacement"),
    ErrorCase(lambda lib: lib.multinomial(lib.tensor([1.0, -2, 3]), 2), RuntimeError,
              "probability tensor contains either `inf`, `nan` or element < 0"),
    ErrorCase(lambda lib: lib.multinomial(lib.tensor([1.0, float("inf")]), 1), RuntimeError,
              "probability tensor contains either `inf`, `nan` or element < 0"),
    ErrorCase(lambda lib: lib.multinomial(lib.zeros(3), 2), RuntimeError,
              "invalid multinomial distribution \\(sum of probabilities <= 0\\)"),
    ErrorCase(lambda lib: lib.multinomial(lib.ones(3), 0), RuntimeError,
              "cannot sample n_sample <= 0 samples"),
    ErrorCase(lambda lib: lib.multinomial(lib.tensor([1, 2, 3]), 2), RuntimeError,
              "multinomial only supports floating-point dtypes for input, got: Long"),
    ErrorCase(lambda lib: lib.multinomial(lib.tensor(1.0), 1), RuntimeError,
              "prob_dist must be 1 or 2 dim"),
    ErrorCase(lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1), RuntimeError,
              "prob_dist must be 1 or 2 dim"),
    ErrorCase(lambda lib: lib.bernoulli(lib.full((3,), 1.5)), RuntimeError,
              "Expected p_in >= 0 && p_in <= 1 to be true, but got false."),
    ErrorCase(lambda lib: lib.bernoulli(lib.ones(3), -0.5), RuntimeError,
              "bernoulli_ expects p to be in \\[0, 1\\], but got p=-0.5"),
    ErrorCase(lambda lib: lib.bernoulli(lib.ones(3, dtype=lib.int64)), NotImplementedError,
              "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.ones(3).bernoulli_(1.3), RuntimeError,
              "bernoulli_ expects p to be in \\[0, 1\\], but got p=1.3"),
    ErrorCase(lambda lib: lib.ones(3).bernoulli_(lib.full((3,), 1.5)), RuntimeError,
              "Expected p_in >= 0 && p_in <= 1"),
    ErrorCase(lambda lib: lib.ones(3).uniform_(5, 2), RuntimeError,
              "uniform_ expects to return a \\[from, to\\) range, but found from=5 > to=2"),
    ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).uniform_(), NotImplementedError,
              "\"check_uniform_bounds\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.ones(3).normal_(2, -5), RuntimeError,
              "normal expects std >= 0.0, but found std -5"),
    ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).normal_(), NotImplementedError,
              "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.ones(3).random_(5, 2), RuntimeError,
              "random_ expects 'from' to be less than 'to', but got from=5 >= to=2"),
    ErrorCase(lambda lib: lib.ones(3).exponential_(-1), RuntimeError,
              "exponential_ expects lambda > 0.0, but found lambda=-1"),
    ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).exponential_(), RuntimeError,
              "Exponential distribution is a continuous probability distribution"),
    ErrorCase(lambda lib: lib.ones(3).geometric_(1.5), RuntimeError,
              "geometric_ expects p to be in \\(0, 1\\), but got p=1.5"),
    ErrorCase(lambda lib: lib.ones(3).log_normal_(0, -1), RuntimeError,
              "log_normal_ expects std > 0.0, but found std=-1"),
    ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).log_normal_(), NotImplementedError,
              "\"log_normal_cpu\" not implemented for 'Long'"),
    ErrorCase(lambda lib: lib.ones(3).cauchy_(0, -1), RuntimeError,
              "cauchy_ expects sigma > 0.0, but found sigma=-1"),
    ErrorCase(lambda lib: lib.ones(3, dtype=lib.int64).cauchy_(), RuntimeError,
              "Cauchy distribution is a continuous probability distribution"),
    ErrorCase(lambda lib: lib.poisson(-lib.ones(3)), RuntimeError,
              "invalid Poisson rate, expected rate to be non-negative"),
    ErrorCase(lambda lib: lib.poisson(lib.ones(3, dtype=lib.int64)), NotImplementedError,
              "\"poisson_cpu\" not implemented for 'Long'"),
])
def test_random_errors(case, torch):
    check_error(case, torch)
