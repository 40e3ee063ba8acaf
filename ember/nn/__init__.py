"""``ember.nn``: neural-network building blocks (modules land with the nn issue)."""

from ember.nn import functional, init  # noqa: F401
from ember.nn.parameter import Parameter

__all__ = ["Parameter", "functional", "init"]
