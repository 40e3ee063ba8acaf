"""``ember.vision``: torchvision's API (``import ember.vision as torchvision``).

Subpackages load on first use, so ``import ember`` (and ``import ember.vision``) never imports
Pillow.
"""

__all__ = ["datasets", "io", "transforms", "utils"]


def __getattr__(name):
    """Imports ``transforms``, ``datasets``, ``utils`` and ``io`` on first use."""
    if name in __all__:
        import importlib

        module = importlib.import_module(f"ember.vision.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'ember.vision' has no attribute '{name}'")
