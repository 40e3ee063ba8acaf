"""The loop of a DataLoader worker process and :func:`get_worker_info`."""

import functools
import os
import random
from dataclasses import dataclass
from multiprocessing.connection import wait

import numpy as np

import ember
from ember.utils.data._utils import MP_STATUS_CHECK_INTERVAL, ExceptionWrapper, shared_memory
from ember.utils.data._utils.fetch import _DatasetKind


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a worker process knows about itself.

    Attributes:
        id: the worker id, in ``[0, num_workers - 1]``.
        num_workers: the number of workers.
        seed: the seed of this worker's generators (``base_seed + id``).
        dataset: this process's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: object


_worker_info = None


def get_worker_info():
    """The :class:`WorkerInfo` of the current DataLoader worker process; ``None`` in the main
    process. Useful in an ``IterableDataset``'s ``__iter__`` or in a ``worker_init_fn`` to
    configure each worker's copy of the dataset."""
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """Sent by a worker whose copy of an iterable dataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Sent to persistent workers at the start of a new epoch, and echoed back."""


class ManagerWatchdog:
    """Tells a worker whether the process that started it is still alive."""

    def __init__(self):
        self.manager_pid = os.getppid()
        self.manager_dead = False

    def is_alive(self):
        if not self.manager_dead:
            self.manager_dead = os.getppid() != self.manager_pid
        return not self.manager_dead


def _seed_worker(base_seed, worker_id):
    """Seeds ember's default generator and Python's ``random`` with ``base_seed + worker_id``,
    and NumPy's global generator with a hash of both (PyTorch's ``_generate_state``)."""
    seed = base_seed + worker_id
    random.seed(seed)
    ember.manual_seed(seed)
    entropy = [worker_id, base_seed & 0xFFFF_FFFF, base_seed >> 32]
    np.random.seed(np.random.SeedSequence(entropy).generate_state(4))
    return seed


def _worker_loop(dataset_kind, dataset, sock, done_event, auto_collation, collate_fn, drop_last,
                 base_seed, init_fn, worker_id, num_workers):
    """Fetches the batches whose indices arrive on ``sock`` and sends them back on it."""
    global _worker_info
    where = f"in DataLoader worker process {worker_id}"
    make_fetcher = functools.partial(_DatasetKind.create_fetcher, dataset_kind, dataset,
                                     auto_collation, collate_fn, drop_last)
    try:
        seed = _seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        fetcher = _start(init_fn, worker_id, make_fetcher, where)
        iteration_end = False
        watchdog = ManagerWatchdog()
        pool = shared_memory.BufferPool()
        while watchdog.is_alive():
            if not wait([sock], MP_STATUS_CHECK_INTERVAL):
                continue
            task = shared_memory.recv(sock)
            if isinstance(task, shared_memory.Release):
                pool.release(task.slot)
            elif isinstance(task, _ResumeIteration):
                shared_memory.send(sock, (task, None))
                iteration_end = False
                fetcher = make_fetcher()
            elif task is None:
                break
            elif not (done_event.is_set() or iteration_end):
                idx, index = task
                data = _fetch(fetcher, index, dataset_kind, worker_id, where)
                iteration_end = isinstance(data, _IterableDatasetStopIteration)
                _send_result(sock, pool, idx, data, where)
                del data, index, task  # frees the batch before waiting for the next task
    except (KeyboardInterrupt, ConnectionError):
        pass  # the main process raises KeyboardInterrupt itself, or has gone
    finally:
        _worker_info = None


def _start(init_fn, worker_id, make_fetcher, where):
    """Runs ``worker_init_fn``; the fetcher, or the error to send in its place."""
    try:
        if init_fn is not None:
            init_fn(worker_id)
        return make_fetcher()
    except Exception:
        return ExceptionWrapper(where=where)


def _fetch(fetcher, index, dataset_kind, worker_id, where):
    """The batch at ``index``, the end of an iterable dataset, or an error to re-raise."""
    if isinstance(fetcher, ExceptionWrapper):
        return fetcher
    try:
        return fetcher.fetch(index)
    except StopIteration:
        if dataset_kind == _DatasetKind.Iterable:
            return _IterableDatasetStopIteration(worker_id)
        return ExceptionWrapper(where=where)
    except Exception:
        return ExceptionWrapper(where=where)


def _send_result(sock, pool, idx, data, where):
    """Sends a batch; a batch that cannot be pickled is reported as its pickling error."""
    try:
        shared_memory.send(sock, (idx, data), pool)
    except (ConnectionError, KeyboardInterrupt):
        raise
    except Exception:
        shared_memory.send(sock, (idx, ExceptionWrapper(where=where)))
