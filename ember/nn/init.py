"""``ember.nn.init``: parameter initialisations (filled by the nn issue)."""
