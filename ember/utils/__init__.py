"""``ember.utils``: data loading and other utilities."""

from ember.utils import data  # noqa: F401
