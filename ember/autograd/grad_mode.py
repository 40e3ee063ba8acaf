"""Switches for gradient recording: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``."""

import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]


class _GradState:
    """Process-wide recording flags, read on every op (a plain attribute read is the cheapest)."""

    enabled = True
    inference = False
    create_graph = False  # set by the engine while running backward(create_graph=True)


state = _GradState()


def is_grad_enabled():
    """Returns True if gradient recording is currently enabled."""
    return state.enabled


def is_inference_mode_enabled():
    return state.inference


class _DecoratorContextManager:
    """A context manager that also decorates functions (and generator-free callables)."""

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.clone():
                return function(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_DecoratorContextManager):
    r"""Context manager (and decorator) that disables gradient recording.

    Results computed inside have ``requires_grad=False`` even when inputs require grad.

    Examples::
        >>> with ember.no_grad():
        ...     y = x * 2
    """

    def __init__(self):
        self.prev = None

    def __enter__(self):
        self.prev = state.enabled
        state.enabled = False

    def __exit__(self, *exc):
        state.enabled = self.prev


class enable_grad(_DecoratorContextManager):
    """Context manager (and decorator) that enables gradient recording inside ``no_grad``."""

    def __init__(self):
        self.prev = None

    def __enter__(self):
        self.prev = state.enabled
        state.enabled = True

    def __exit__(self, *exc):
        state.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Sets gradient recording on or off, as a function call or as a context manager."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = state.enabled
        state.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        state.enabled = self.prev

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like :class:`no_grad`, for code that only runs inference."""

    def __init__(self, mode=True):
        self.mode = bool(mode)
        self.prev = None

    def __new__(cls, mode=True):
        if callable(mode) and not isinstance(mode, bool):  # used as a bare decorator
            return cls()(mode)
        return super().__new__(cls)

    def __enter__(self):
        self.prev = (state.enabled, state.inference)
        if self.mode:
            state.enabled, state.inference = False, True

    def __exit__(self, *exc):
        state.enabled, state.inference = self.prev

    def clone(self):
        return self.__class__(self.mode)
