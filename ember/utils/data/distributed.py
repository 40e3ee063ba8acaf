"""``DistributedSampler``: each process of a distributed job loads its own share of a dataset."""

import itertools
import math

import ember
from ember.utils.data.sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler):
    """Restricts loading to the share of ``dataset`` that belongs to process ``rank``.

    The (optionally shuffled) indices are padded by repeating the first ones, or cut when
    ``drop_last``, to a multiple of ``num_replicas``; replica ``rank`` takes every
    ``num_replicas``-th index starting at ``rank``. Call :meth:`set_epoch` before each epoch to
    reshuffle.

    Args:
        dataset: the dataset to sample from.
        num_replicas: the number of processes. Default: the distributed group's world size.
        rank: this process's rank. Default: its rank in the distributed group.
        shuffle: shuffle the indices, with a generator seeded by ``seed + epoch``.
            Default: ``True``
        seed: the shuffling seed, the same in every process. Default: ``0``
        drop_last: drop the tail instead of padding. Default: ``False``
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        if num_replicas is None:
            num_replicas = _distributed().get_world_size()
        if rank is None:
            rank = _distributed().get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        if drop_last and len(dataset) % num_replicas != 0:
            self.num_samples = math.ceil((len(dataset) - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(len(dataset) / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self):
        if self.shuffle:
            generator = ember.Generator()
            generator.manual_seed(self.seed + self.epoch)
            indices = ember.randperm(len(self.dataset), generator=generator).tolist()
        else:
            indices = list(range(len(self.dataset)))
        # cut to total_size, or pad to it by repeating the indices from the start
        indices = list(itertools.islice(itertools.cycle(indices), self.total_size))
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Sets the epoch, which changes the shuffling order of the next iteration."""
        self.epoch = epoch


def _distributed():
    dist = getattr(ember, "distributed", None)
    if dist is None or not dist.is_available():
        raise RuntimeError("Requires distributed package to be available")
    return dist
