"""``ember.Size``, the type of ``Tensor.shape``."""

__all__ = ["Size"]


class Size(tuple):
    """A tuple of dimension sizes, printed as ``ember.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self):
        return f"ember.Size({list(self)})"

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        count = 1
        for size in self:
            count *= size
        return count
