"""``ember.nn``: modules, parameters, the functional API and initialisations."""

from ember.nn.parameter import Parameter
from ember.nn import functional, init
from ember.nn.modules import _load as _load_modules
from ember.nn.parallel import DataParallel
from ember.nn import utils

globals().update(_load_modules())
