"""Argument helpers shared by layers: ``_single``, ``_pair``, ``_triple``, ``_ntuple``."""

__all__ = []


def _ntuple(value, n):
    """A sequence as a tuple, else ``n`` copies of ``value`` (PyTorch's ``_pair`` and kin)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def _single(value):
    return _ntuple(value, 1)


def _pair(value):
    return _ntuple(value, 2)


def _triple(value):
    return _ntuple(value, 3)
