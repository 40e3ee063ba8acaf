"""``DataLoader``: iterates a dataset in batches, in the main process or in worker processes.

Worker processes receive index batches and send collated batches back through
:mod:`~ember.utils.data._utils.shared_memory`; the main process reorders them (unless
``in_order=False``), keeps ``prefetch_factor`` tasks per worker in flight, re-raises worker
exceptions with their traceback, and notices a worker that dies as soon as it happens.
"""

import contextlib
import itertools
import multiprocessing
import os
import signal
import time
import warnings
import weakref
from multiprocessing.connection import wait
from typing import Generic, TypeVar

import ember
from ember.utils.data._utils import MP_STATUS_CHECK_INTERVAL, ExceptionWrapper, shared_memory
from ember.utils.data._utils.collate import default_collate, default_convert
from ember.utils.data._utils.fetch import _DatasetKind
from ember.utils.data._utils.worker import (
    _IterableDatasetStopIteration,
    _ResumeIteration,
    _worker_loop,
    get_worker_info,
)
from ember.utils.data.dataset import IterableDataset
from ember.utils.data.sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]

T_co = TypeVar("T_co", covariant=True)
_GUARDED_ATTRIBUTES = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                       "persistent_workers")


class _InfiniteConstantSampler(Sampler):
    """Yields ``None`` forever: the sampler of iterable datasets, which take no indices."""

    def __iter__(self):
        return itertools.repeat(None)


class DataLoader(Generic[T_co]):
    """Combines a dataset and a sampler into an iterable over batches of the dataset.

    Supports map-style and iterable-style datasets, single- or multi-process loading, automatic
    batching (collation) and custom loading orders.

    Args:
        dataset: the dataset to load from.
        batch_size: how many samples per batch; ``None`` turns automatic batching off.
            Default: ``1``
        shuffle: reshuffle the data at every epoch. Default: ``False``
        sampler: the order of the indices (any iterable with ``__len__``); excludes
            :attr:`shuffle`.
        batch_sampler: like :attr:`sampler`, but yields lists of indices; excludes
            :attr:`batch_size`, :attr:`shuffle`, :attr:`sampler` and :attr:`drop_last`.
        num_workers: how many worker processes load data; ``0`` loads in the main process.
            Default: ``0``
        collate_fn: merges a list of samples into a batch. Default: :func:`default_collate`
            (:func:`default_convert` without automatic batching)
        pin_memory: accepted for compatibility; batches stay in ordinary memory.
        drop_last: drop the last batch when it is incomplete. Default: ``False``
        timeout: if positive, seconds to wait for a batch from the workers before raising.
            Default: ``0``
        worker_init_fn: called in each worker with its id, after seeding and before loading.
        multiprocessing_context: a start method name (``'fork'``, ``'spawn'``,
            ``'forkserver'``) or a multiprocessing context. Default: the platform's default.
        generator: the generator of :class:`RandomSampler` and of the workers' ``base_seed``.
        prefetch_factor: batches loaded in advance by each worker. Default: ``2`` with workers
        persistent_workers: keep the workers (and their dataset copies) alive between epochs.
            Default: ``False``
        pin_memory_device: deprecated, accepted for compatibility.
        in_order: return batches in sampler order; ``False`` returns them as they arrive.
            Default: ``True``

    Each epoch draws ``base_seed`` from :attr:`generator` (or ember's default generator);
    worker ``i`` seeds ember, Python's ``random`` and NumPy from ``base_seed + i``, so
    ``ember.manual_seed`` makes multi-process loading reproducible.

    Examples::
        >>> loader = DataLoader(TensorDataset(ember.arange(10)), batch_size=4, shuffle=True)
        >>> for (batch,) in loader:
        ...     print(batch.shape)
    """

    _initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = _prefetch_factor(num_workers, prefetch_factor)
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        shuffle = self._check_dataset_kind(dataset, shuffle, sampler, batch_sampler)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            sampler = self._default_sampler(dataset, shuffle, generator)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    def _check_dataset_kind(self, dataset, shuffle, sampler, batch_sampler):
        """Sets the dataset kind; iterable datasets take no shuffle, sampler or batch_sampler."""
        if not isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Map
            return bool(shuffle)
        self._dataset_kind = _DatasetKind.Iterable
        prefix = "DataLoader with IterableDataset: expected unspecified"
        if shuffle not in {False, None}:
            raise ValueError(f"{prefix} shuffle option, but got shuffle={shuffle}")
        if sampler is not None:
            raise ValueError(f"{prefix} sampler option, but got sampler={sampler}")
        if batch_sampler is not None:
            raise ValueError(f"{prefix} batch_sampler option, but got "
                             f"batch_sampler={batch_sampler}")
        return shuffle

    def _default_sampler(self, dataset, shuffle, generator):
        if self._dataset_kind == _DatasetKind.Iterable:
            return _InfiniteConstantSampler()
        return RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(
            dataset)

    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        return _MultiProcessingDataLoaderIter(self)

    @property
    def multiprocessing_context(self):
        return self._multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, multiprocessing_context):
        if multiprocessing_context is not None:
            if self.num_workers == 0:
                raise ValueError("multiprocessing_context can only be used with multi-process "
                                 "loading (num_workers > 0), but got "
                                 f"num_workers={self.num_workers}")
            if isinstance(multiprocessing_context, str):
                methods = multiprocessing.get_all_start_methods()
                if multiprocessing_context not in methods:
                    raise ValueError("multiprocessing_context option should specify a valid "
                                     f"start method in {methods!r}, but got "
                                     f"multiprocessing_context={multiprocessing_context!r}")
                multiprocessing_context = multiprocessing.get_context(multiprocessing_context)
            if not isinstance(multiprocessing_context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context "
                                "object or a string specifying the start method, but got "
                                f"multiprocessing_context={multiprocessing_context}")
        self._multiprocessing_context = multiprocessing_context

    def __setattr__(self, attr, val):
        if self._initialized and attr in _GUARDED_ATTRIBUTES:
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(attr, val)

    def __iter__(self):
        if not (self.persistent_workers and self.num_workers > 0):
            return self._get_iterator()
        if self._iterator is None:
            self._iterator = self._get_iterator()
        else:
            self._iterator._reset(self)
        return self._iterator

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._dataset_kind != _DatasetKind.Iterable:
            return len(self._index_sampler)
        # An estimate: each worker's copy of the dataset may end with a partial batch.
        length = self._IterableDataset_len_called = len(self.dataset)
        if self.batch_size is None:
            return length
        if self.drop_last:
            return length // self.batch_size
        return -(-length // self.batch_size)

    def check_worker_number_rationality(self):
        """Warns when more workers are asked for than this process has CPUs."""
        if not self.num_workers:
            return
        cpuset_checked = hasattr(os, "sched_getaffinity")
        max_workers = len(os.sched_getaffinity(0)) if cpuset_checked else os.cpu_count()
        if max_workers is not None and self.num_workers <= max_workers:
            return
        if max_workers is None:
            suggestion = ("DataLoader is not able to compute a suggested max number of worker "
                          "in current system.")
        else:
            note = "" if cpuset_checked else " (`cpuset` is not taken into account)"
            suggestion = (f"Our suggested max number of worker in current system is "
                          f"{max_workers}{note}, which is smaller than what this DataLoader "
                          "is going to create.")
        warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in "
                      f"total. {suggestion} Please be aware that excessive worker creation "
                      "might get DataLoader running slow or even freeze, lower the worker "
                      "number to avoid potential slowness/freeze if necessary.", stacklevel=2)


def _prefetch_factor(num_workers, prefetch_factor):
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                         "let num_workers > 0 to enable multiprocessing, otherwise set "
                         "prefetch_factor to None.")
    if num_workers > 0 and prefetch_factor is None:
        return 2
    if prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    return prefetch_factor


def _warn_pin_memory(loader):
    if loader.pin_memory and loader.pin_memory_device:
        warnings.warn("pin_memory_device is deprecated, the current accelerator will be used as "
                      f"the device,ignore pin_memory_device='{loader.pin_memory_device}'.",
                      stacklevel=3)
    if loader.pin_memory and not ember.accelerator.is_available():
        warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then "
                      "device pinned memory won't be used.", stacklevel=3)


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        _warn_pin_memory(loader)
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        seed = ember.empty((), dtype=ember.int64).random_(generator=loader.generator)
        self._base_seed = int(seed.item())
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        if (self._dataset_kind == _DatasetKind.Iterable
                and self._IterableDataset_len_called is not None
                and self._num_yielded > self._IterableDataset_len_called):
            message = (f"Length of IterableDataset {self._dataset} was reported to be "
                       f"{self._IterableDataset_len_called}(when accessing len(dataloader)), "
                       f"but {self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                message += ("For multiprocessing data-loading, this could be caused by not "
                            "properly configuring the IterableDataset replica at each worker.")
            warnings.warn(message, stacklevel=2)
        return data

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError(f"{type(self).__name__} cannot be pickled")


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        if self._timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn,
            self._drop_last)

    def _next_data(self):
        return self._dataset_fetcher.fetch(self._next_index())


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Loads with worker processes, ``prefetch_factor`` tasks per worker in flight.

    Task ``i`` (an index batch) goes to the workers round-robin; ``_task_info[i]`` holds
    ``(worker_id,)`` while it is outstanding and ``(worker_id, data)`` once its result arrived
    ahead of its turn. ``_rcvd_idx`` is the next task to return, ``_send_idx`` the next to send.
    """

    def __init__(self, loader):
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for "
                                 "MultiProcessingDataLoaderIter")
        context = loader.multiprocessing_context or multiprocessing
        self._workers_done_event = context.Event()
        self._workers, self._sockets = [], []
        # At exit, multiprocessing terminates the (daemonic) workers itself.
        self._finalizer = weakref.finalize(self, _shutdown_workers, self._workers,
                                           self._sockets, self._workers_done_event)
        self._finalizer.atexit = False
        for worker_id in range(self._num_workers):
            main_end, worker_end = shared_memory.pipe()
            self._sockets.append(main_end)
            worker = context.Process(
                target=_worker_loop, daemon=True,
                args=(self._dataset_kind, self._dataset, worker_end, self._workers_done_event,
                      self._auto_collation, self._collate_fn, self._drop_last,
                      self._base_seed, loader.worker_init_fn, worker_id, self._num_workers))
            worker.start()
            worker_end.close()
            self._workers.append(worker)
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._workers_status = [True] * self._num_workers
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:  # persistent workers: drop the last epoch's leftovers
            for worker_id in range(self._num_workers):
                self._send(worker_id, _ResumeIteration())
            resumed = 0
            while resumed < self._num_workers:
                resumed += isinstance(self._get_data()[0], _ResumeIteration)
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _next_data(self):
        while True:
            # Skip the tasks of workers whose iterable dataset ended and that bring no data.
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info is not None and (len(info) == 2 or self._workers_status[info[0]]):
                    break
                self._task_info.pop(self._rcvd_idx, None)
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:
                worker_id, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)
            idx, data = self._get_data()
            if isinstance(data, _IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
            elif idx != self._rcvd_idx and self._in_order:
                self._task_info[idx] += (data,)
            else:
                worker_id = self._task_info.pop(idx)[0]
                self._rcvd_idx += idx == self._rcvd_idx
                return self._process_data(data, worker_id)

    def _get_data(self):
        """The next ``(task index, data)`` from any active worker."""
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            active = [i for i, status in enumerate(self._workers_status) if status]
            sockets = [self._sockets[i] for i in active]
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready = wait(sockets + [self._workers[i].sentinel for i in active], remaining)
            for sock in sockets:
                if sock in ready:  # read what a worker sent before looking at its death
                    return shared_memory.recv(sock)
            if not ready:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            self._check_workers()

    def _check_workers(self):
        """Raises (after shutting the others down) if an active worker has exited."""
        for worker_id, worker in enumerate(self._workers):
            if self._workers_status[worker_id] and not worker.is_alive():
                self._shutdown_workers()
                raise RuntimeError(_worker_failure_message(worker.pid, worker.exitcode))

    def _try_put_index(self):
        max_tasks = self._prefetch_factor * self._num_workers
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # the next active worker with room, if any
            worker_id = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_id] and (
                    self._in_order
                    or self._workers_num_tasks[worker_id] < max_tasks // sum(
                        self._workers_status)):
                break
        else:
            return
        self._send(worker_id, (self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._workers_num_tasks[worker_id] += 1
        self._send_idx += 1

    def _send(self, worker_id, task):
        try:
            shared_memory.send(self._sockets[worker_id], task)
        except ConnectionError:  # the worker is gone: report how it died
            self._workers[worker_id].join(MP_STATUS_CHECK_INTERVAL)
            self._check_workers()
            raise

    def _process_data(self, data, worker_id):
        self._workers_num_tasks[worker_id] -= 1
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        return data

    def _mark_worker_as_unavailable(self, worker_id):
        """Tells a worker to exit (its iterable dataset ended)."""
        self._send(worker_id, None)
        self._workers_status[worker_id] = False

    def _shutdown_workers(self):
        self._finalizer()


def _shutdown_workers(workers, sockets, done_event):
    """Stops ``workers``: they skip their queued tasks and exit on ``None``, or are terminated.

    Runs from a ``weakref.finalize`` holding these arguments, so that the garbage collector
    cannot close the sockets or the processes' sentinels first.
    """
    done_event.set()
    try:
        for sock in sockets:
            with contextlib.suppress(OSError):  # that worker has already exited
                shared_memory.send(sock, None)
        for worker in workers:
            worker.join(timeout=MP_STATUS_CHECK_INTERVAL)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join(timeout=MP_STATUS_CHECK_INTERVAL)
        for sock in sockets:  # frees the batches that were never received
            sock.close()


def _worker_failure_message(pid, exitcode):
    if exitcode < 0:
        message = f"DataLoader worker (pid {pid}) is killed by signal: "
        message += f"{signal.strsignal(-exitcode)}. "
        if -exitcode == signal.SIGBUS:
            message += ("It is possible that dataloader's workers are out of shared memory. "
                        "Please try to raise your shared memory limit.")
        return message
    if exitcode > 0:
        return (f"DataLoader worker (pid {pid}) exited unexpectedly with exit code {exitcode}. "
                "Details are lost due to multiprocessing. Rerunning with num_workers=0 may give "
                "better error trace.")
    return f"DataLoader worker (pid(s) {pid}) exited unexpectedly"
