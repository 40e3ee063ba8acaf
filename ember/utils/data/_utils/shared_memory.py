"""Moves Python objects between the DataLoader's processes through shared memory.

Each worker talks to the main process over its own Unix datagram socket pair. An object is
pickled with protocol 5, its array buffers kept out of band; payload and buffers are written
into an anonymous in-memory file whose descriptor travels with the message (``SCM_RIGHTS``).
The receiver maps the file, so the arrays of a batch (tensors included) arrive without a copy,
and the mapping is freed with the last tensor that uses it. Nothing is named on disk: a message
that is never received disappears with its socket. Small objects without buffers (the index
batches sent to workers) travel in the message itself.
"""

import mmap
import os
import pickle
import socket
import struct
import tempfile

_INLINE_LIMIT = 1024  # largest pickle sent inside a datagram
_ALIGNMENT = 64  # buffers start on cache-line boundaries


def pipe():
    """A connected pair of sockets: ``(main process end, worker end)``."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)


def send(sock, obj):
    """Sends ``obj``; pickling errors are raised before anything is sent."""
    buffers = []
    payload = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    if not buffers and len(payload) <= _INLINE_LIMIT:
        sock.send(payload)
        return
    pieces = [memoryview(payload)] + [buffer.raw() for buffer in buffers]
    header = struct.pack(f"<{len(pieces) + 1}Q", len(pieces), *(p.nbytes for p in pieces))
    fd = _anonymous_file()
    try:
        offset = _align(_write(fd, header, 0))
        for piece in pieces:
            offset = _align(_write(fd, piece, offset))
        socket.send_fds(sock, [b"\0"], [fd])
    finally:
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
    view = memoryview(memory)
    (count,) = struct.unpack_from("<Q", view)
    sizes = struct.unpack_from(f"<{count}Q", view, 8)
    pieces, offset = [], _align(8 * (count + 1))
    for size in sizes:
        pieces.append(view[offset:offset + size])
        offset = _align(offset + size)
    return pickle.loads(pieces[0], buffers=pieces[1:])


def _write(fd, data, offset):
    """Writes all of ``data`` at ``offset`` (one call writes at most about 2 GB); returns the
    offset after it."""
    data = memoryview(data).cast("B")
    while data:
        written = os.pwrite(fd, data, offset)
        data, offset = data[written:], offset + written
    return offset


def _align(offset):
    return -(-offset // _ALIGNMENT) * _ALIGNMENT


def _anonymous_file():
    """A descriptor of a new, unnamed file in memory (a regular temporary file off Linux)."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("ember-batch", os.MFD_CLOEXEC)
    fd, path = tempfile.mkstemp(prefix="ember-batch-")
    os.unlink(path)
    return fd
