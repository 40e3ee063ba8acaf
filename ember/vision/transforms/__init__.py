"""``ember.vision.transforms``: torchvision's image transforms for PIL images and tensors."""

from ember.vision.transforms import functional  # noqa: F401
from ember.vision.transforms.transforms import *  # noqa: F401,F403
from ember.vision.transforms.transforms import __all__
