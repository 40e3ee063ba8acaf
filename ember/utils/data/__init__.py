"""``ember.utils.data``: datasets and loaders (filled by the data issue)."""
