"""``ember.device``: where a tensor's memory lives."""

__all__ = ["device"]

_TYPES = ("cpu", "cuda", "mps", "meta")


class device:
    """A device such as ``ember.device('cpu')``, ``ember.device('cuda:0')`` or
    ``ember.device('cuda', 1)``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):  # noqa: A002 - PyTorch's name
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            type, index = "cuda", type
        elif ":" in type:
            if index is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed "
                    f"explicitly: {type}")
            type, _, text = type.partition(":")
            if not text.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{text}'")
            index = int(text)
        if type not in _TYPES:
            raise RuntimeError(
                "Expected one of cpu, cuda, mps, meta device type at start of device string: "
                + type)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type, self.index = type, index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __reduce__(self):
        return (device, (self.type, self.index))


def to_device(value):
    """``None`` stays ``None``; anything else becomes an :class:`ember.device`."""
    if value is None or isinstance(value, device):
        return value
    return device(value)


CPU = device("cpu")
