"""``ember.Size``, the type of ``Tensor.shape``."""

import operator

__all__ = ["Size"]


class Size(tuple):
    """A tuple of dimension sizes, printed as ``ember.Size([2, 3])``."""

    __slots__ = ()

    def __new__(cls, sizes=()):
        sizes = tuple(sizes)
        for position, size in enumerate(sizes):
            if not hasattr(size, "__index__"):
                raise TypeError(f"ember.Size() takes an iterable of 'int' (item {position} is "
                                f"'{type(size).__name__}')")
        return super().__new__(cls, (operator.index(size) for size in sizes))

    def __repr__(self):
        return f"ember.Size({list(self)})"

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + other)

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, count):
        return Size(tuple(self) * count)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        count = 1
        for size in self:
            count *= size
        return count


def size_of(shape):
    """``shape``, a tuple of ints as NumPy gives it, as a :class:`Size` (without re-checking)."""
    return tuple.__new__(Size, shape)
