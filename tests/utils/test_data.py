"""ember.utils.data: datasets, samplers, collation and the DataLoader, against torch.utils.data.

Worker tests use tiny datasets; they check results, errors and that no worker process outlives
its iterator (``multiprocessing.active_children``), never timings.
"""

import collections
import functools
import gc
import multiprocessing
import os
import random
import re
import signal
import time
import warnings

import numpy as np
import pytest

import ember
from ember.utils.data import (
    BatchSampler,
    ChainDataset,
    DataLoader,
    Dataset,
    DistributedSampler,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    StackDataset,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    default_convert,
    get_worker_info,
    random_split,
)
from ember.utils.data._utils import shared_memory

Point = collections.namedtuple("Point", ["x", "y"])


# ----------------------------------------------------------------------------- helpers
def raises_like(fn, torch):
    """``fn(lib)`` raises the same exception type with the same message in both libraries."""
    with pytest.raises(Exception) as expected:
        fn(torch)
    with pytest.raises(expected.type, match=f"^{re.escape(str(expected.value))}$"):
        fn(ember)


def as_plain(value):
    """A library-neutral description of a (collated) structure: container types, tensor
    dtypes and values."""
    if hasattr(value, "dtype") and hasattr(value, "tolist") and not isinstance(value,
                                                                              np.ndarray):
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), value.tolist())
    if isinstance(value, dict):
        return (type(value).__name__, {key: as_plain(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [as_plain(item) for item in value])
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.tolist())
    return (type(value).__name__, value)


def to_lib(value, lib):
    """``value`` with its ember tensors replaced by ``lib`` tensors (test inputs only)."""
    if isinstance(value, ember.Tensor):
        return lib.from_numpy(value.numpy().copy())
    if isinstance(value, dict):
        return type(value)((key, to_lib(item, lib)) for key, item in value.items())
    if isinstance(value, Point):
        return Point(*(to_lib(item, lib) for item in value))
    if isinstance(value, (list, tuple)):
        return type(value)(to_lib(item, lib) for item in value)
    return value


def batches_as_lists(loader):
    return [as_plain(batch) for batch in loader]


@pytest.fixture
def no_leaked_workers():
    """Fails a test that leaves worker processes alive once its iterators are gone."""
    before = set(multiprocessing.active_children())
    yield
    gc.collect()
    assert set(multiprocessing.active_children()) <= before


class Squares(Dataset):
    """A deterministic map-style dataset: ``i -> (i * i, float(i))``."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        return index * index, float(index)


class _StreamMixin:
    """``range(n)``; each worker takes every ``num_workers``-th element when ``shard``."""

    def __init__(self, n, shard=True):
        self.n, self.shard = n, shard

    def __iter__(self):
        info = type(self).worker_info()
        if info is None or not self.shard:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))

    def __len__(self):
        return self.n


class Stream(_StreamMixin, IterableDataset):
    worker_info = staticmethod(get_worker_info)


@functools.cache
def _stream_class(lib):
    if lib is ember:
        return Stream
    return type("Stream", (_StreamMixin, lib.utils.data.IterableDataset),
                {"worker_info": staticmethod(lib.utils.data.get_worker_info)})


def stream(lib, n, shard=True):
    """A :class:`Stream` that is an iterable dataset of ``lib``."""
    return _stream_class(lib)(n, shard)


class FailingAt(Dataset):
    def __init__(self, bad, error=ValueError):
        self.bad, self.error = bad, error

    def __len__(self):
        return 8

    def __getitem__(self, index):
        if index == self.bad:
            raise self.error(f"sample {index} is broken")
        return index


class KilledAt(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, index):
        if index == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return index


class Sleepy(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, index):
        time.sleep(1.0)
        return index


class RandomValues(Dataset):
    """Draws from ember, NumPy and Python's ``random``: tells how a process was seeded."""

    def __len__(self):
        return 4

    def __getitem__(self, index):
        info = get_worker_info()
        return {"worker": -1 if info is None else info.id,
                "seed": -1 if info is None else info.seed,
                "ember": ember.randint(0, 2 ** 30, (1,)).item(),
                "numpy": int(np.random.randint(0, 2 ** 30)),
                "random": random.randrange(2 ** 30)}


# ----------------------------------------------------------------------------- datasets
def test_tensor_dataset():
    x, y = ember.arange(12.0).reshape(4, 3), ember.arange(4)
    dataset = TensorDataset(x, y)
    assert len(dataset) == 4
    sample = dataset[2]
    assert sample[0].tolist() == [6.0, 7.0, 8.0] and sample[1].item() == 2
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(x, ember.arange(3))


def test_concat_dataset(torch):
    for lib in (ember, torch):
        data = lib.utils.data
        dataset = data.ConcatDataset([data.TensorDataset(lib.arange(3)), Squares(2)])
        assert dataset.cumulative_sizes == [3, 5] and len(dataset) == 5
        assert dataset[4] == (1, 1.0) and dataset[-5][0].item() == 0
    assert (Squares(2) + Squares(3))[4] == (4, 2.0)
    raises_like(lambda lib: lib.utils.data.ConcatDataset([Squares(2)])[-3], torch)
    raises_like(lambda lib: lib.utils.data.ConcatDataset([]), torch)
    raises_like(lambda lib: lib.utils.data.ConcatDataset([stream(lib, 2)]), torch)


def test_chain_dataset(torch):
    chained = ChainDataset([Stream(2), Stream(3)])
    assert list(chained) == [0, 1, 0, 1, 2] and len(chained) == 5
    assert list(Stream(2) + Stream(1)) == [0, 1, 0]
    raises_like(lambda lib: list(lib.utils.data.ChainDataset([Squares(2)])), torch)


def test_subset_and_getitems():
    subset = Subset(Squares(10), [7, 2, 5])
    assert len(subset) == 3 and subset[0] == (49, 7.0)
    assert subset.__getitems__([2, 1]) == [(25, 5.0), (4, 2.0)]
    nested = Subset(TensorDataset(ember.arange(10)), [3, 4])
    assert [s[0].item() for s in Subset(nested, [1, 0]).__getitems__([0, 1])] == [4, 3]

    class Doubled(Subset):
        def __getitem__(self, idx):
            return 2 * super().__getitem__(idx)

    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Doubled(range(4), [0])


def test_stack_dataset(torch):
    tupled = StackDataset(Squares(3), range(3))
    assert tupled[1] == ((1, 1.0), 1) and len(tupled) == 3
    named = StackDataset(a=Squares(3), b=Subset(range(10), [5, 6, 7]))
    assert named[2] == {"a": (4, 2.0), "b": 7}
    assert named.__getitems__([0, 2]) == [{"a": (0, 0.0), "b": 5}, {"a": (4, 2.0), "b": 7}]
    assert tupled.__getitems__([2]) == [((4, 2.0), 2)]
    raises_like(lambda lib: lib.utils.data.StackDataset(range(2), b=range(2)), torch)
    raises_like(lambda lib: lib.utils.data.StackDataset(), torch)
    raises_like(lambda lib: lib.utils.data.StackDataset(range(2), range(3)), torch)


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.5, 0.25, 0.25], [0.33, 0.33, 0.34],
                                     [0.1] * 10, [1, 0, 9]])
def test_random_split_lengths_and_partition(lengths, torch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fractions giving an empty split warn
        expected = [len(s) for s in torch.utils.data.random_split(range(10), lengths)]
        splits = random_split(range(10), lengths, generator=ember.Generator().manual_seed(3))
    assert [len(s) for s in splits] == expected
    assert sorted(i for s in splits for i in s) == list(range(10))
    again = random_split(range(10), expected, generator=ember.Generator().manual_seed(3))
    assert [list(s) for s in again] == [list(s) for s in splits]


def test_random_split_errors_and_warnings(torch):
    raises_like(lambda lib: lib.utils.data.random_split(range(10), [3, 3]), torch)
    raises_like(lambda lib: lib.utils.data.random_split(range(10), [1.5, -0.5]), torch)
    with pytest.warns(UserWarning) as record:
        random_split(range(2), [0.9, 0.05, 0.05])
    assert [str(w.message)[:28] for w in record] == ["Length of split at index 1 i",
                                                     "Length of split at index 2 i"]
    ember.manual_seed(0)
    first = [list(s) for s in random_split(range(6), [3, 3])]
    ember.manual_seed(0)
    assert [list(s) for s in random_split(range(6), [3, 3])] == first


# ----------------------------------------------------------------------------- samplers
@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("n,batch_size", [(10, 3), (9, 3), (2, 5), (0, 2)])
def test_sequential_and_batch_samplers_match_pytorch(n, batch_size, drop_last, torch):
    ours = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
    theirs = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(n)),
                                           batch_size, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert list(SequentialSampler(range(n))) == list(range(n))


def test_batch_sampler_errors(torch):
    for batch_size in (0, -1, True, 1.5):
        raises_like(lambda lib, b=batch_size: lib.utils.data.BatchSampler(range(3), b, False),
                   torch)
    raises_like(lambda lib: lib.utils.data.BatchSampler(range(3), 2, 1), torch)


def test_random_sampler():
    sampler = RandomSampler(range(10), generator=ember.Generator().manual_seed(1))
    order = list(sampler)
    assert sorted(order) == list(range(10)) and len(sampler) == 10
    assert list(RandomSampler(range(10), generator=ember.Generator().manual_seed(1))) == order
    longer = list(RandomSampler(range(4), num_samples=10))
    assert sorted(longer[:4]) == sorted(longer[4:8]) == list(range(4)) and len(longer) == 10
    drawn = RandomSampler(range(3), replacement=True, num_samples=70)
    assert len(list(drawn)) == 70 and set(drawn) <= {0, 1, 2} and len(drawn) == 70
    ember.manual_seed(5)
    first = list(RandomSampler(range(20)))
    ember.manual_seed(5)
    assert list(RandomSampler(range(20))) == first


def test_random_sampler_errors(torch):
    raises_like(lambda lib: lib.utils.data.RandomSampler(range(3), replacement=1), torch)
    raises_like(lambda lib: lib.utils.data.RandomSampler(range(3), num_samples=0), torch)
    raises_like(lambda lib: lib.utils.data.RandomSampler(range(0)), torch)


def test_subset_random_sampler():
    sampler = SubsetRandomSampler([4, 8, 15, 16], generator=ember.Generator().manual_seed(0))
    assert sorted(sampler) == [4, 8, 15, 16] and len(sampler) == 4


def test_weighted_random_sampler(torch):
    sampler = WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 50)
    drawn = list(sampler)
    assert len(drawn) == 50 == len(sampler) and set(drawn) <= {1, 3}
    unique = list(WeightedRandomSampler([1, 2, 3, 4, 5], 5, replacement=False))
    assert sorted(unique) == [0, 1, 2, 3, 4]
    raises_like(lambda lib: lib.utils.data.WeightedRandomSampler([1.0], True), torch)
    raises_like(lambda lib: lib.utils.data.WeightedRandomSampler([1.0], 2, replacement=0), torch)
    raises_like(lambda lib: lib.utils.data.WeightedRandomSampler([[1.0, 2.0]], 2), torch)


@pytest.mark.parametrize("n,replicas", [(10, 3), (12, 4), (5, 8), (7, 1)])
@pytest.mark.parametrize("drop_last", [False, True])
def test_distributed_sampler_partitions_match_pytorch(n, replicas, drop_last, torch):
    for rank in range(replicas):
        kwargs = dict(num_replicas=replicas, rank=rank, shuffle=False, drop_last=drop_last)
        ours = DistributedSampler(range(n), **kwargs)
        theirs = torch.utils.data.DistributedSampler(range(n), **kwargs)
        assert list(ours) == list(theirs)
        assert (len(ours), ours.total_size) == (len(theirs), theirs.total_size)


@pytest.mark.parametrize("n,replicas,drop_last", [(10, 3, False), (10, 3, True), (12, 4, False)])
def test_distributed_sampler_shuffled_partitions(n, replicas, drop_last):
    def shares(seed, epoch):
        samplers = [DistributedSampler(range(n), replicas, rank, seed=seed, drop_last=drop_last)
                    for rank in range(replicas)]
        for sampler in samplers:
            sampler.set_epoch(epoch)
        return [list(sampler) for sampler in samplers]

    parts = shares(seed=0, epoch=0)
    flat = [i for part in parts for i in part]
    assert all(len(part) == len(DistributedSampler(range(n), replicas, 0, drop_last=drop_last))
               for part in parts)
    if drop_last:
        assert len(set(flat)) == len(flat) == n // replicas * replicas
    else:
        assert set(flat) == set(range(n))
    assert shares(seed=0, epoch=0) == parts
    assert shares(seed=0, epoch=1) != parts and shares(seed=1, epoch=0) != parts


def test_distributed_sampler_errors(torch):
    raises_like(lambda lib: lib.utils.data.DistributedSampler(range(4), 2, 2), torch)
    raises_like(lambda lib: lib.utils.data.DistributedSampler(range(4), 2, -1), torch)
    with pytest.raises(RuntimeError, match="Requires distributed package to be available"):
        DistributedSampler(range(4))


# ----------------------------------------------------------------------------- collation
COLLATE_BATCHES = {
    "ints": [0, 1, 2],
    "bools": [True, False],
    "floats": [0.5, 1.5],
    "strings": ["a", "b"],
    "bytes": [b"a", b"b"],
    "numpy_scalars_float32": [np.float32(1.5), np.float32(2)],
    "numpy_scalars_int16": [np.int16(1), np.int16(-2)],
    "numpy_scalars_uint8": [np.uint8(1), np.uint8(200)],
    "numpy_scalars_bool": [np.bool_(True), np.bool_(False)],
    "numpy_scalars_float64": [np.float64(0.25)],
    "numpy_0d": [np.array(1.5), np.array(2.5)],
    "numpy_arrays": [np.arange(6, dtype=np.int32).reshape(2, 3), np.ones((2, 3), np.int32)],
    "tensors": [ember.arange(3.0), ember.ones(3)],
    "int_tensors": [ember.tensor([1, 2], dtype=ember.int16), ember.tensor([3, 4],
                                                                          dtype=ember.int16)],
    "tuples": [(1, 2.0, "x"), (3, 4.0, "y")],
    "lists": [[1, 2], [3, 4]],
    "dicts": [{"a": 1, "b": ember.zeros(2)}, {"a": 2, "b": ember.ones(2)}],
    "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
    "nested": [{"p": Point(np.float32(1), [1, 2]), "s": ("a", {"z": 1.0})},
               {"p": Point(np.float32(2), [3, 4]), "s": ("b", {"z": 2.0})}],
    "ordered_dicts": [collections.OrderedDict(b=1, a=2), collections.OrderedDict(b=3, a=4)],
    "image_label": [(np.zeros((3, 2, 2), np.uint8), 1), (np.ones((3, 2, 2), np.uint8), 0)],
}


@pytest.mark.parametrize("name", COLLATE_BATCHES)
def test_default_collate_matches_pytorch(name, torch):
    batch = COLLATE_BATCHES[name]
    expected = as_plain(torch.utils.data.default_collate(to_lib(batch, torch)))
    assert as_plain(default_collate(batch)) == expected


@pytest.mark.parametrize("name", COLLATE_BATCHES)
def test_default_convert_matches_pytorch(name, torch):
    sample = COLLATE_BATCHES[name][0]
    expected = as_plain(torch.utils.data.default_convert(to_lib(sample, torch)))
    assert as_plain(default_convert(sample)) == expected


def test_collate_keeps_container_types():
    class Record(dict):
        pass

    collated = default_collate([Record(a=1), Record(a=2)])
    assert type(collated) is Record and collated["a"].tolist() == [1, 2]
    assert type(default_collate([Point(1, 2), Point(3, 4)])) is Point
    strings = np.array(["a", "b"])
    assert default_convert(strings) is strings


def test_collate_errors(torch):
    raises_like(lambda lib: lib.utils.data.default_collate([[1, 2], [3]]), torch)
    raises_like(lambda lib: lib.utils.data.default_collate([object(), object()]), torch)
    raises_like(lambda lib: lib.utils.data.default_collate([np.array(["a"]), np.array(["b"])]),
               torch)


def test_collate_with_a_custom_map():
    from ember.utils.data._utils.collate import collate, default_collate_fn_map

    def count(batch, *, collate_fn_map):
        return len(batch)

    custom = {**default_collate_fn_map, str: count}
    assert collate([("a", 1), ("b", 2)], collate_fn_map=custom)[0] == 2


# ----------------------------------------------------------------------------- DataLoader
BAD_LOADERS = {
    "negative_workers": lambda lib: lib.utils.data.DataLoader(range(4), num_workers=-1),
    "negative_timeout": lambda lib: lib.utils.data.DataLoader(range(4), timeout=-1),
    "prefetch_without_workers": lambda lib: lib.utils.data.DataLoader(range(4),
                                                                      prefetch_factor=2),
    "negative_prefetch": lambda lib: lib.utils.data.DataLoader(range(4), num_workers=1,
                                                               prefetch_factor=-1),
    "persistent_without_workers": lambda lib: lib.utils.data.DataLoader(
        range(4), persistent_workers=True),
    "sampler_and_shuffle": lambda lib: lib.utils.data.DataLoader(range(4), shuffle=True,
                                                                 sampler=[0, 1]),
    "batch_sampler_and_batch_size": lambda lib: lib.utils.data.DataLoader(
        range(4), batch_size=2, batch_sampler=[[0, 1]]),
    "batch_sampler_and_shuffle": lambda lib: lib.utils.data.DataLoader(
        range(4), shuffle=True, batch_sampler=[[0, 1]]),
    "batch_sampler_and_sampler": lambda lib: lib.utils.data.DataLoader(
        range(4), sampler=[0], batch_sampler=[[0, 1]]),
    "batch_sampler_and_drop_last": lambda lib: lib.utils.data.DataLoader(
        range(4), drop_last=True, batch_sampler=[[0, 1]]),
    "no_batch_size_and_drop_last": lambda lib: lib.utils.data.DataLoader(
        range(4), batch_size=None, drop_last=True),
    "bad_batch_size": lambda lib: lib.utils.data.DataLoader(range(4), batch_size=0),
    "iterable_and_shuffle": lambda lib: lib.utils.data.DataLoader(stream(lib, 3), shuffle=True),
    "iterable_and_sampler": lambda lib: lib.utils.data.DataLoader(stream(lib, 3), sampler=[0]),
    "iterable_and_batch_sampler": lambda lib: lib.utils.data.DataLoader(
        stream(lib, 3), batch_sampler=[[0]]),
    "context_without_workers": lambda lib: lib.utils.data.DataLoader(
        range(4), multiprocessing_context="fork"),
    "bad_context_name": lambda lib: lib.utils.data.DataLoader(
        range(4), num_workers=1, multiprocessing_context="threads"),
    "bad_context_type": lambda lib: lib.utils.data.DataLoader(
        range(4), num_workers=1, multiprocessing_context=3),
    "timeout_without_workers": lambda lib: iter(lib.utils.data.DataLoader(range(4), timeout=1)),
    "set_batch_size": lambda lib: setattr(lib.utils.data.DataLoader(range(4)), "batch_size", 2),
    "set_dataset": lambda lib: setattr(lib.utils.data.DataLoader(range(4)), "dataset", []),
}


@pytest.mark.parametrize("name", BAD_LOADERS)
def test_bad_arguments_raise_pytorch_errors(name, torch):
    raises_like(BAD_LOADERS[name], torch)


LOADER_CONFIGS = {
    "default": dict(),
    "batch_3": dict(batch_size=3),
    "drop_last": dict(batch_size=3, drop_last=True),
    "no_batching": dict(batch_size=None),
    "sampler": dict(batch_size=2, sampler=[9, 0, 4, 4, 1]),
    "batch_sampler": dict(batch_sampler=[[3, 1], [0], [2, 2, 2]]),
    "collate_fn": dict(batch_size=4, collate_fn=lambda batch: [len(batch), batch[0]]),
    "prefetch": dict(batch_size=4, num_workers=1, prefetch_factor=1),
}


@pytest.mark.parametrize("name", LOADER_CONFIGS)
def test_loader_batches_and_len_match_pytorch(name, torch, no_leaked_workers):
    kwargs = LOADER_CONFIGS[name]
    dataset = Squares(10)
    ours = DataLoader(dataset, **kwargs)
    theirs = torch.utils.data.DataLoader(dataset, **kwargs)
    assert len(ours) == len(theirs)
    assert batches_as_lists(ours) == batches_as_lists(theirs)


@pytest.mark.parametrize("kwargs", [dict(batch_size=3), dict(batch_size=3, drop_last=True),
                                    dict(batch_size=None)])
def test_iterable_dataset_matches_pytorch(kwargs, torch):
    ours = DataLoader(stream(ember, 7), **kwargs)
    theirs = torch.utils.data.DataLoader(stream(torch, 7), **kwargs)
    assert len(ours) == len(theirs)
    assert batches_as_lists(ours) == batches_as_lists(theirs)


def test_iterable_dataset_longer_than_its_len_warns():
    class Liar(Stream):
        def __len__(self):
            return 2

    loader = DataLoader(Liar(3), batch_size=None)
    assert len(loader) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        assert list(loader) == [0, 1, 2]


def test_shuffle_is_reproducible_and_uses_the_generator():
    def epoch(**kwargs):
        return [b.tolist() for b in DataLoader(range(20), batch_size=4, shuffle=True, **kwargs)]

    ember.manual_seed(1)
    first = epoch()
    assert sorted(sum(first, [])) == list(range(20)) and first != epoch()
    ember.manual_seed(1)
    assert epoch() == first
    generated = epoch(generator=ember.Generator().manual_seed(2))
    assert epoch(generator=ember.Generator().manual_seed(2)) == generated


@pytest.mark.parametrize("kwargs,worker_kwargs", [
    (dict(batch_size=3, shuffle=True), dict()),
    (dict(batch_size=None, shuffle=True), dict()),
    (dict(batch_size=4, drop_last=True), dict(prefetch_factor=3)),
])
def test_two_workers_give_the_batches_of_one_process(kwargs, worker_kwargs, no_leaked_workers):
    dataset = TensorDataset(ember.arange(22.0).reshape(11, 2), ember.arange(11))
    ember.manual_seed(7)
    expected = batches_as_lists(DataLoader(dataset, **kwargs))
    ember.manual_seed(7)
    got = batches_as_lists(DataLoader(dataset, num_workers=2, **kwargs, **worker_kwargs))
    assert got == expected


def test_worker_batches_are_writable_tensors(no_leaked_workers):
    dataset = TensorDataset(ember.arange(4000.0).reshape(10, 400))
    for (batch,) in DataLoader(dataset, batch_size=4, num_workers=2):
        batch.mul_(2)
        assert batch[0, 1].item() % 2 == 0 and batch.dtype is ember.float32


def test_in_order_false_returns_every_batch(no_leaked_workers):
    loader = DataLoader(range(30), batch_size=2, num_workers=2, in_order=False)
    assert sorted(sum((b.tolist() for b in loader), [])) == list(range(30))


def test_iterable_dataset_with_workers(no_leaked_workers):
    sharded = DataLoader(Stream(7), batch_size=2, num_workers=2)
    assert [b.tolist() for b in sharded] == [[0, 2], [1, 3], [4, 6], [5]]
    duplicated = DataLoader(Stream(3, shard=False), batch_size=None, num_workers=2)
    assert sorted(duplicated) == [0, 0, 1, 1, 2, 2]


def test_worker_info_and_worker_init_fn(no_leaked_workers):
    def init(worker_id):
        info = get_worker_info()
        assert info.id == worker_id and info.num_workers == 2
        info.dataset.offset = 100 * (worker_id + 1)

    class Offset(Dataset):
        offset = 0

        def __len__(self):
            return 4

        def __getitem__(self, index):
            return self.offset + index

    assert get_worker_info() is None
    loader = DataLoader(Offset(), batch_size=None, num_workers=2, worker_init_fn=init)
    assert list(loader) == [100, 201, 102, 203]


def test_worker_seeds(torch, no_leaked_workers):
    from torch.utils.data._utils.worker import _generate_state

    ember.manual_seed(3)
    loader = DataLoader(RandomValues(), batch_size=None, num_workers=2)
    first = list(loader)
    generator = ember.Generator().manual_seed(3)
    base_seed = ember.empty((), dtype=ember.int64).random_(generator=generator).item()
    for index, sample in enumerate(first):
        worker_id, draws = index % 2, index // 2 + 1  # the worker's draws-th sample
        seed = base_seed + worker_id
        assert (sample["worker"], sample["seed"]) == (worker_id, seed)
        python = random.Random(seed)
        assert sample["random"] == [python.randrange(2 ** 30) for _ in range(draws)][-1]
        numpy = np.random.RandomState(_generate_state(base_seed, worker_id))  # PyTorch's
        assert sample["numpy"] == [numpy.randint(0, 2 ** 30) for _ in range(draws)][-1]
        generator = ember.Generator().manual_seed(seed)
        assert sample["ember"] == [ember.randint(0, 2 ** 30, (1,), generator=generator).item()
                                   for _ in range(draws)][-1]
    ember.manual_seed(3)
    assert list(loader) == first
    assert list(loader) != first  # a new epoch draws a new base seed


def test_persistent_workers_survive_epochs(no_leaked_workers):
    class Pid(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, index):
            return os.getpid()

    loader = DataLoader(Pid(), batch_size=None, num_workers=2, persistent_workers=True)
    first = list(loader)
    partial = iter(loader)
    next(partial)  # an epoch left half done: the next one starts clean
    assert list(loader) == first and len(set(first)) == 2 and os.getpid() not in first
    del loader, partial


def test_spawn_context(no_leaked_workers):
    loader = DataLoader(Squares(5), batch_size=2, num_workers=1,
                        multiprocessing_context="spawn")
    assert [b[0].tolist() for b in loader] == [[0, 1], [4, 9], [16]]


def test_pin_memory_is_accepted():
    if ember.accelerator.is_available():
        pytest.skip("warns only without an accelerator")
    with pytest.warns(UserWarning, match="no accelerator is found"):
        assert [b.tolist() for b in DataLoader(range(3), batch_size=2, pin_memory=True)] == \
            [[0, 1], [2]]
    with pytest.warns(UserWarning) as record:
        iter(DataLoader(range(3), pin_memory=True, pin_memory_device="cuda"))
    assert [str(w.message)[:26] for w in record] == ["pin_memory_device is depre",
                                                     "'pin_memory' argument is s"]


@pytest.mark.parametrize("num_workers", [0, 2])
def test_worker_exception_is_reraised_with_its_traceback(num_workers, no_leaked_workers):
    loader = DataLoader(FailingAt(5), batch_size=2, num_workers=num_workers)
    with pytest.raises(ValueError, match="sample 5 is broken") as error:
        list(loader)
    if num_workers:
        message = str(error.value)
        assert message.startswith("Caught ValueError in DataLoader worker process 0.")
        assert "Original Traceback" in message and "in __getitem__" in message
    del error


def test_worker_key_error_keeps_its_message(no_leaked_workers):
    with pytest.raises(KeyError) as error:
        list(DataLoader(FailingAt(2, KeyError), num_workers=1))
    assert str(error.value).startswith("Caught KeyError in DataLoader worker process 0.\n")
    del error


def test_worker_init_and_pickling_errors_are_raised(no_leaked_workers):
    def init(worker_id):
        raise RuntimeError("cannot start")

    with pytest.raises(RuntimeError, match="cannot start"):
        list(DataLoader(range(4), num_workers=1, worker_init_fn=init))
    unpicklable = DataLoader(range(4), num_workers=1, collate_fn=lambda batch: lambda: batch)
    with pytest.raises(Exception, match="DataLoader worker process 0"):
        list(unpicklable)


def test_killed_worker_raises(no_leaked_workers):
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid \d+\) is killed by "
                                           r"signal: Killed\."):
        list(DataLoader(KilledAt(), batch_size=2, num_workers=2))


def test_timeout(no_leaked_workers):
    loader = DataLoader(Sleepy(), num_workers=1, timeout=0.1)
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.1 seconds$"):
        next(iter(loader))


def test_early_break_and_deletion_shut_workers_down():
    before = set(multiprocessing.active_children())
    for _ in DataLoader(range(100), num_workers=2):
        break
    assert set(multiprocessing.active_children()) == before
    iterator = iter(DataLoader(range(100), batch_size=4, num_workers=2))
    next(iterator)
    assert len(set(multiprocessing.active_children()) - before) == 2
    del iterator
    assert set(multiprocessing.active_children()) == before


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_kept_batches_stay_intact_and_free_their_memory(no_leaked_workers):
    def open_files():
        gc.collect()
        return len(os.listdir("/proc/self/fd"))

    before = open_files()
    dataset = TensorDataset(ember.arange(64000.0).reshape(64, 1000))
    for _ in range(2):
        kept = [batch for (batch,) in DataLoader(dataset, batch_size=4, num_workers=2)]
        assert ember.cat(kept).equal(dataset.tensors[0])  # no pooled file was overwritten
    del kept
    assert open_files() == before


def test_large_index_batches_reach_the_workers(no_leaked_workers):
    (batch,) = DataLoader(range(40000), batch_size=40000, num_workers=1)
    assert batch.equal(ember.arange(40000))


# ----------------------------------------------------------------------------- transport
@pytest.fixture
def channel():
    main_end, worker_end = shared_memory.pipe()
    yield main_end, worker_end
    main_end.close()
    worker_end.close()


def test_transport_round_trips_objects(channel):
    main_end, worker_end = channel
    base = ember.arange(24.0).reshape(2, 3, 4)
    sample = {"tensor": base, "transposed": base.permute(2, 0, 1), "empty": ember.zeros(0, 3),
              "scalar": ember.tensor(5), "fortran": np.asfortranarray(np.ones((3, 2))),
              "objects": np.array([None, "a"], dtype=object), "text": ("a", b"b", 1.5)}
    for obj in (sample, [1, 2, 3], None, "x" * 5000):
        shared_memory.send(worker_end, obj)
        assert as_plain(shared_memory.recv(main_end)) == as_plain(obj)
    shared_memory.send(worker_end, ember.ones(3, requires_grad=True))
    assert shared_memory.recv(main_end).requires_grad


def test_pooled_files_are_reused_only_after_release(channel):
    main_end, worker_end = channel
    pool = shared_memory.BufferPool(max_files=2, max_free=1)
    shared_memory.send(worker_end, ember.full((1000,), 1.0), pool)
    first = shared_memory.recv(main_end)
    shared_memory.send(worker_end, ember.full((1000,), 2.0), pool)
    second = shared_memory.recv(main_end)
    shared_memory.send(worker_end, ember.full((1000,), 3.0), pool)  # pool exhausted: one-shot
    third = shared_memory.recv(main_end)
    assert [t[0].item() for t in (first, second, third)] == [1.0, 2.0, 3.0]
    del first
    gc.collect()
    released = shared_memory.recv(worker_end)
    assert isinstance(released, shared_memory.Release)
    pool.release(released.slot)
    assert pool.take(8000)[0] == released.slot
    assert second.sum().item() == 2000.0 and third.sum().item() == 3000.0
