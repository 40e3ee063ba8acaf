"""``ChannelShuffle``."""

from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["ChannelShuffle"]


class ChannelShuffle(Module):
    r"""Splits the channels (N, C, *) into ``groups`` and interleaves them (ShuffleNet).

    Examples::
        >>> output = nn.ChannelShuffle(2)(ember.arange(4.0).view(1, 4, 1, 1))  # 0, 2, 1, 3
    """

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, input):
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"
