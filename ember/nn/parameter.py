"""``nn.Parameter``: a leaf tensor that a Module registers as a parameter."""

from ember._tensor import Tensor, _make

__all__ = ["Parameter"]


class Parameter(Tensor):
    r"""A tensor that is a module parameter: assigning it as a Module attribute registers it.

    Args:
        data: the tensor to wrap (shares its memory). Default: an empty tensor
        requires_grad: whether the parameter requires gradient. Default: ``True``
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from ember._ops.creation import empty

            data = empty(0)
        parameter = data.detach().as_subclass(cls)
        parameter._version_counter = data._version_counter
        if requires_grad:
            parameter.requires_grad_(True)
        return parameter

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return (Parameter, (_make(self._data.copy()), self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = Parameter(_make(self._data.copy()), self._requires_grad)
        memo[id(self)] = result
        return result
