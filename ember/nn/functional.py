"""``ember.nn.functional``: stateless versions of the nn layers (filled by the nn issue)."""

from ember._ops.pointwise import relu, sigmoid, tanh  # noqa: F401

__all__ = ["relu", "sigmoid", "tanh"]
