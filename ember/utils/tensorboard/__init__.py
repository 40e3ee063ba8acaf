"""``ember.utils.tensorboard``: log to TensorBoard, as ``torch.utils.tensorboard`` does.

Needs the optional ``tensorboardX`` package (``pip install 'ember[tensorboard]'``); it is
imported when a :class:`SummaryWriter` is created, never by ``import ember``.
"""

from ember.utils.tensorboard.writer import SummaryWriter

__all__ = ["SummaryWriter"]
