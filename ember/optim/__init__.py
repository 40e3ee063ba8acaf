"""``ember.optim``: optimizers and learning-rate schedulers (filled by the optim issue)."""
