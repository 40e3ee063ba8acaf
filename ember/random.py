"""Random number generation: :class:`Generator`, ``manual_seed`` and the RNG state.

ember draws from NumPy's PCG64 bit generator. Streams are reproducible under ``manual_seed``
but differ from PyTorch's (Mersenne Twister / Philox) streams.
"""

import pickle

import numpy as np

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "default_generator", "fork_rng"]

_DEFAULT_SEED = 67280421310721  # PyTorch's default CPU seed: unseeded runs repeat too


class Generator:
    """A source of random numbers; pass it as ``generator=`` to the random functions."""

    def __init__(self, device="cpu"):
        from ember._device import to_device

        self.device = to_device(device)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        """Reseeds this generator; returns it."""
        seed = int(seed)
        if not -0x8000_0000_0000_0000 <= seed <= 0xFFFF_FFFF_FFFF_FFFF:
            raise RuntimeError(f"Overflow when unpacking long long, seed = {seed}")
        self._initial_seed = seed & 0xFFFF_FFFF_FFFF_FFFF
        self.numpy = np.random.Generator(np.random.PCG64(self._initial_seed))
        return self

    def seed(self):
        """Seeds from the operating system's entropy; returns the seed."""
        seed = int(np.random.SeedSequence().entropy) & 0xFFFF_FFFF_FFFF_FFFF
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        return self._initial_seed

    def get_state(self):
        """The generator's state as a ``uint8`` tensor."""
        from ember._tensor import _make

        payload = pickle.dumps((self._initial_seed, self.numpy.bit_generator.state))
        return _make(np.frombuffer(payload, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restores a state returned by :meth:`get_state`."""
        from ember._tensor import Tensor

        if not isinstance(new_state, Tensor) or new_state.dtype.name != "uint8":
            raise TypeError("expected a ember.ByteTensor as the RNG state")
        seed, state = pickle.loads(new_state.numpy().tobytes())  # our own bytes only
        self._initial_seed = seed
        self.numpy.bit_generator.state = state
        return self

    def __repr__(self):
        return f"<ember._C.Generator object at {hex(id(self))}>"


default_generator = Generator()


def manual_seed(seed):
    """Sets the seed of the default generator (and of the CUDA generators); returns it."""
    default_generator.manual_seed(seed)
    return default_generator


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a ``uint8`` tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restores the default generator's state."""
    default_generator.set_state(new_state)


class fork_rng:
    """Context manager that restores the default generator's state on exit."""

    def __init__(self, devices=None, enabled=True, **kwargs):
        self.enabled = enabled
        self.state = None

    def __enter__(self):
        if self.enabled:
            self.state = get_rng_state()

    def __exit__(self, *exc):
        if self.enabled:
            set_rng_state(self.state)


def numpy_generator(generator=None):
    """The NumPy generator behind ``generator`` (the default one when ``None``)."""
    return (generator or default_generator).numpy
