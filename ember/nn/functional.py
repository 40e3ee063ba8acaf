"""``ember.nn.functional``: the stateless form of every layer, activation and loss.

The functions live in ``ember/nn/_functional/<family>.py`` and are gathered here, so
``import ember.nn.functional as F`` gives PyTorch's names.
"""

from ember.nn import _functional

for _module in _functional.load():
    for _name in _module.__all__:
        globals()[_name] = getattr(_module, _name)
del _module, _name
