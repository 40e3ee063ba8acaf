"""Random number generation: :class:`Generator`, ``manual_seed`` and the RNG state.

ember draws from NumPy's PCG64 bit generator. Streams are reproducible under ``manual_seed``
but differ from PyTorch's (Mersenne Twister / Philox) streams.
"""

import numpy as np

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "default_generator", "fork_rng"]

_DEFAULT_SEED = 67280421310721  # PyTorch's default CPU seed: unseeded runs repeat too
# get_state() layout: initial seed, PCG64 state and increment, has_uint32, uinteger (little end.)
_STATE_FIELDS = (("seed", 8), ("state", 16), ("inc", 16), ("has_uint32", 1), ("uinteger", 4))
_STATE_SIZE = sum(size for _, size in _STATE_FIELDS)


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
            raise ValueError("Overflow when unpacking long long")
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

        state = self.numpy.bit_generator.state
        values = {"seed": self._initial_seed, **state["state"],
                  "has_uint32": state["has_uint32"], "uinteger": state["uinteger"]}
        payload = b"".join(values[name].to_bytes(size, "little") for name, size in _STATE_FIELDS)
        return _make(np.frombuffer(payload, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restores a state returned by :meth:`get_state`."""
        from ember._tensor import Tensor

        if not isinstance(new_state, Tensor) or new_state.dtype.name != "uint8":
            raise TypeError("RNG state must be a ember.ByteTensor")
        if new_state.numel() != _STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but "
                               f"found the input RNG state size to be {new_state.numel()}")
        payload, values = new_state.cpu().detach().numpy().tobytes(), {}
        for name, size in _STATE_FIELDS:
            values[name], payload = int.from_bytes(payload[:size], "little"), payload[size:]
        self._initial_seed = values["seed"]
        self.numpy.bit_generator.state = {
            "bit_generator": "PCG64", "state": {"state": values["state"], "inc": values["inc"]},
            "has_uint32": values["has_uint32"], "uinteger": values["uinteger"]}
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
