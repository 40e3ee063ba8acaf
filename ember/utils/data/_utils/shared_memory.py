"""Moves Python objects between the DataLoader's processes through shared memory.

Each worker talks to the main process over its own Unix datagram socket pair. An object is
pickled with protocol 5, its array buffers kept out of band; payload and buffers are written
into an in-memory file whose descriptor travels with the message (``SCM_RIGHTS``). The receiver
maps the file, so the arrays of a batch (tensors included) arrive without a copy, and the
mapping lives as long as the last array that uses it. Nothing is named on disk: a message that
is never received disappears with its socket. Small objects without buffers (index batches,
control messages) travel in the datagram itself.

Allocating a file's pages costs more than copying a batch into them, so a worker sends from a
:class:`BufferPool`: when the main process has dropped every array of a pooled file, it sends
:class:`Release` back and the worker writes its next batch into the same pages.
"""

import contextlib
import mmap
import os
import pickle
import socket
import struct
import sys
import tempfile
import weakref
from typing import NamedTuple

# The largest pickle sent inside a datagram (index batches of a few thousand samples on Linux;
# other systems allow as little as 2 kB per datagram).
_INLINE_LIMIT = 65536 if sys.platform == "linux" else 1024
_ALIGNMENT = 64  # buffers start on cache-line boundaries
_UNPOOLED = -1  # the slot of a file used for one message only


class Release(NamedTuple):
    """Tells a sender that the receiver no longer uses the file of pool slot ``slot``."""

    slot: int


class BufferPool:
    """A sender's in-memory files, reused once their receiver releases them.

    At most ``max_files`` files are pooled (beyond, messages use one-shot files) and at most
    ``max_free`` idle ones are kept, so an idle pool holds little memory.
    """

    def __init__(self, max_files=8, max_free=2):
        self.max_files, self.max_free = max_files, max_free
        self._files = {}  # slot -> (fd, mapping)
        self._free = []
        self._next_slot = 0

    def take(self, size):
        """A ``(slot, fd, mapping)`` of at least ``size`` bytes; ``None`` when all are in use."""
        if self._free:
            slot = self._free.pop()
            fd, memory = self._files[slot]
            if len(memory) < size:
                memory.close()
                memory = _map(fd, size)
                self._files[slot] = fd, memory
            return slot, fd, memory
        if len(self._files) >= self.max_files:
            return None
        slot, self._next_slot = self._next_slot, self._next_slot + 1
        fd = _anonymous_file()
        self._files[slot] = fd, _map(fd, size)
        return (slot, *self._files[slot])

    def release(self, slot):
        if len(self._free) < self.max_free:
            self._free.append(slot)
            return
        fd, memory = self._files.pop(slot)
        memory.close()
        os.close(fd)


def pipe():
    """A connected pair of sockets: ``(main process end, worker end)``."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)


def send(sock, obj, pool=None):
    """Sends ``obj``, through a file of ``pool`` when it needs one; pickling errors are raised
    before anything is sent."""
    buffers = []
    payload = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    if not buffers and len(payload) <= _INLINE_LIMIT:
        sock.send(payload)
        return
    pieces = [memoryview(payload)] + [buffer.raw() for buffer in buffers]
    header = struct.pack(f"<{len(pieces) + 1}Q", len(pieces), *(p.nbytes for p in pieces))
    offsets = _offsets([len(header), *(p.nbytes for p in pieces)])
    size = offsets[-1] + pieces[-1].nbytes
    taken = pool.take(size) if pool is not None else None
    if taken is None:
        fd = _anonymous_file()
        slot, memory = _UNPOOLED, _map(fd, size)
    else:
        slot, fd, memory = taken
    try:
        for offset, piece in zip(offsets, [header, *pieces]):
            memory[offset:offset + len(piece)] = piece
        socket.send_fds(sock, [struct.pack("<q", slot)], [fd])
    finally:
        if slot == _UNPOOLED:
            memory.close()
            os.close(fd)


def recv(sock):
    """Receives the next object sent on the other end of ``sock`` (blocks until there is one)."""
    message, fds, _, _ = socket.recv_fds(sock, _INLINE_LIMIT, 1)
    if not fds:
        return pickle.loads(message)
    try:
        memory = mmap.mmap(fds[0], 0)
    finally:
        os.close(fds[0])
    (slot,) = struct.unpack("<q", message)
    if slot != _UNPOOLED:
        weakref.finalize(memory, _release, sock, slot).atexit = False
    view = memoryview(memory)
    (count,) = struct.unpack_from("<Q", view)
    sizes = struct.unpack_from(f"<{count}Q", view, 8)
    offsets = _offsets([8 * (count + 1), *sizes])[1:]
    pieces = [view[offset:offset + size] for offset, size in zip(offsets, sizes)]
    return pickle.loads(pieces[0], buffers=pieces[1:])


def _release(sock, slot):
    # Runs when the last array of a received file dies, possibly after the loader closed the
    # socket; never blocks (a full queue only costs the worker a fresh file).
    with contextlib.suppress(OSError):
        sock.send(pickle.dumps(Release(slot)), socket.MSG_DONTWAIT)


def _offsets(sizes):
    """The start of each of consecutive pieces of ``sizes`` bytes: the first at 0, each
    aligned."""
    offsets, end = [], 0
    for size in sizes:
        offsets.append(end)
        end = -(-(end + size) // _ALIGNMENT) * _ALIGNMENT
    return offsets


def _map(fd, size):
    os.ftruncate(fd, size)
    return mmap.mmap(fd, size)


def _anonymous_file():
    """A descriptor of a new, unnamed file in memory (a regular temporary file off Linux)."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("ember-batch", os.MFD_CLOEXEC)
    fd, path = tempfile.mkstemp(prefix="ember-batch-")
    os.unlink(path)
    return fd
