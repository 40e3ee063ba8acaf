"""``ember.save`` / ``ember.load``: checkpoints in PyTorch's file format, both ways.

A checkpoint is a zip archive: ``archive/data.pkl`` (the pickled object, protocol 2, tensors as
``torch._utils._rebuild_tensor_v2`` calls on persistent storage ids), ``archive/data/<key>``
(each storage's raw bytes, 64-byte aligned), ``archive/byteorder``, ``archive/version`` and
``archive/.data/serialization_id``. ember writes PyTorch's global names so that
``torch.load(f, weights_only=True)`` reads its files, and maps them back to its own objects when
loading, without importing torch.

Loading is safe by default: ``weights_only=True`` only builds tensors, containers, numbers,
strings, dtypes, devices and the globals allowed with :func:`add_safe_globals`.
"""

import _compat_pickle  # pickle's tables of Python 2 names
import codecs
import collections
import contextlib
import functools
import importlib
import io
import os
import pickle
import re
import secrets
import sys
import zipfile

from ember import _dtype, _storage
from ember._device import device
from ember._size import Size
from ember._tensor import Tensor, _make

__all__ = ["save", "load", "add_safe_globals", "safe_globals", "get_safe_globals",
           "clear_safe_globals"]

_ALIGNMENT = 64
_VERSION = "3\n"
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_STORAGE_GLOBAL = re.compile(r"torch\.(\w+Storage)")


class _Global:
    """A global written by name (``torch._utils._rebuild_tensor_v2``), never imported."""

    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle only reduces to callables; this one is never called
        raise TypeError(f"{self.module}.{self.name} is a name for checkpoints, not a function")


_REBUILD_TENSOR = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _Global("torch._utils", "_rebuild_parameter")
_DEVICE = _Global("torch", "device")
_SIZE = _Global("torch", "Size")
_DTYPE_GLOBALS = {dtype: _Global("torch", dtype.name) for dtype in _dtype._ALL}
_STORAGE_GLOBALS = {dtype: _Global("torch", name) for dtype, name in _storage.STORAGE_NAMES.items()}


# ----------------------------------------------------------------------------- allow-list
_user_safe_globals = set()


def add_safe_globals(safe_globals):
    """Allows ``weights_only`` loading to build these classes and call these functions.

    Each entry is a class or function, or a ``(object, "module.name")`` pair naming the global
    as the checkpoint spells it.
    """
    _user_safe_globals.update(safe_globals)


def get_safe_globals():
    """The globals allowed with :func:`add_safe_globals`."""
    return list(_user_safe_globals)


def clear_safe_globals():
    """Forgets every global allowed with :func:`add_safe_globals`."""
    _user_safe_globals.clear()


class safe_globals:
    """Context manager that allows these globals (see :func:`add_safe_globals`) inside it."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, exc_type, exc_value, traceback):
        _user_safe_globals.difference_update(self.safe_globals)


def _user_allowed_globals():
    allowed = {}
    for entry in _user_safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2 or type(entry[1]) is not str:
                raise ValueError("Expected tuple of length 2 (global, str of callable full "
                                 f"path), but got {entry!r}")
            allowed[entry[1]] = entry[0]
        else:
            allowed[f"{entry.__module__}.{entry.__qualname__}"] = entry
    return allowed


@functools.cache
def _allowed_globals():
    """The globals ``weights_only`` loading builds, by PyTorch's (and ember's) names."""
    from ember.nn.parameter import Parameter

    allowed = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "_codecs.encode": codecs.encode,  # protocol 2 pickles bytes through it
        "builtins.set": set, "builtins.frozenset": frozenset,
        "builtins.bytearray": bytearray, "builtins.complex": complex,
        "torch.device": device, "ember._device.device": device,
        "torch.Size": Size, "ember._size.Size": Size,
        "torch.nn.parameter.Parameter": Parameter,
        "torch._utils._rebuild_tensor_v2": _storage.rebuild_tensor_v2,
        "torch._utils._rebuild_parameter": _storage.rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _storage.rebuild_parameter_with_state,
    }
    for dtype in _dtype._ALL:
        allowed[f"torch.{dtype.name}"] = allowed[f"ember._dtype.{dtype.name}"] = dtype
    return allowed


class _StorageType:
    """What ``torch.FloatStorage`` and its kin load as: the tag of a persistent storage id."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


def _unsupported_global(module, full_path):
    if module in _BLOCKED_MODULES:
        detail = (f"Unsupported global: GLOBAL {full_path} was not an allowed global: its "
                  f"module {module} is blocked and cannot be allowlisted.")
    else:
        shown = full_path.removeprefix("builtins.")
        detail = (f"Unsupported global: GLOBAL {shown} was not an allowed global by default. "
                  f"Please use `ember.serialization.add_safe_globals([{shown}])` or the "
                  f"`ember.serialization.safe_globals([{shown}])` context manager to allowlist "
                  "this global if you trust this class/function.")
    return pickle.UnpicklingError(
        "Weights only load failed. Re-running `ember.load` with `weights_only` set to `False` "
        "will likely succeed, but it can result in arbitrary code execution. Do it only if you "
        f"got the file from a trusted source.\n\n{detail}")


def _ember_equivalent(module, name):
    """ember's object for a torch/torchvision global (``torch.nn.modules.linear.Linear``)."""
    package, _, rest = module.partition(".")
    ember_module = ("ember.vision" if package == "torchvision" else "ember") + \
        (f".{rest}" if rest else "")
    try:
        obj = importlib.import_module(ember_module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        obj = None
    if obj is None:  # ember.bfloat16 is None: ember has no such dtype
        raise AttributeError(f"ember has no equivalent of {module}.{name}")
    return obj


# ----------------------------------------------------------------------------- saving
class _StorageRecord:
    __slots__ = ("pid", "memory")

    def __init__(self, pid, memory):
        self.pid, self.memory = pid, memory


class _Pickler(pickle._Pickler):
    """Pickles tensors as PyTorch does: ``_rebuild_tensor_v2`` on a persistent storage id."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.records = {}  # (id(memory), dtype) -> _StorageRecord; holds memory, so ids stay

    def persistent_id(self, obj):
        return obj.pid if type(obj) is _StorageRecord else None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if isinstance(obj, device):
            return _DEVICE, (obj.type,) if obj.index is None else (obj.type, obj.index)
        if isinstance(obj, Size):
            return _SIZE, (tuple(obj),)
        return NotImplemented

    def _reduce_tensor(self, tensor):
        from ember.nn.parameter import Parameter

        hooks = collections.OrderedDict()
        if isinstance(tensor, Parameter):
            return _REBUILD_PARAMETER, (tensor.detach(), tensor.requires_grad, hooks)
        memory, offset, stride = _storage.layout(tensor._data)
        record = self._record(memory, tensor.dtype, str(tensor.device))
        return _REBUILD_TENSOR, (record, offset, tuple(tensor._data.shape), stride,
                                 tensor.requires_grad, hooks)

    def _record(self, memory, dtype, location):
        key = (id(memory), dtype)
        if key not in self.records:
            numel = memory.nbytes // dtype.itemsize
            pid = ("storage", _STORAGE_GLOBALS[dtype], str(len(self.records)), location, numel)
            self.records[key] = _StorageRecord(pid, memory)
        return self.records[key]

    def _save_global_name(self, obj):
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    def _save_dtype(self, obj):
        self.save(_DTYPE_GLOBALS[obj])

    dispatch[_Global] = _save_global_name
    dispatch[_dtype.dtype] = _save_dtype


def _write_record(archive, name, data):
    """Writes one uncompressed record whose data starts at a multiple of 64 bytes, padding the
    local header with an extra field as PyTorch does."""
    info = zipfile.ZipInfo(name)
    size = memoryview(data).nbytes
    zip64 = size * 1.05 > zipfile.ZIP64_LIMIT  # zipfile then adds a 20-byte zip64 field
    header = 30 + len(name.encode()) + 4 + (20 if zip64 else 0)
    padding = -(archive.fp.tell() + header) % _ALIGNMENT
    info.extra = b"FB" + padding.to_bytes(2, "little") + b"Z" * padding
    info.file_size = size
    with archive.open(info, "w", force_zip64=zip64) as record:
        record.write(data)


def _write_archive(file, pickled, records):
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        _write_record(archive, "archive/data.pkl", pickled)
        _write_record(archive, "archive/.format_version", b"1")
        _write_record(archive, "archive/.storage_alignment", str(_ALIGNMENT).encode())
        _write_record(archive, "archive/byteorder", sys.byteorder.encode())
        for record in records:
            _write_record(archive, f"archive/data/{record.pid[2]}",
                          _storage.host_bytes(record.memory))
        _write_record(archive, "archive/version", _VERSION.encode())
        _write_record(archive, "archive/.data/serialization_id",
                      f"{secrets.randbits(132) % 10**40:040d}".encode())


def _atomic_write(path, write):
    """Calls ``write(file)`` on a new file beside ``path`` and renames it into place, so an
    error or a crash midway leaves what ``path`` held before."""
    path = os.path.abspath(path)
    folder, name = os.path.split(path)
    if not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {folder} does not exist.")
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    # 0o666 under the umask: the permissions a plain open(path, "wb") gives
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL |
                         getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def _check_pickle_module(pickle_module):
    if pickle_module not in (None, pickle):
        raise NotImplementedError("ember serializes with the standard pickle module only")


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """Saves ``obj`` (tensors, state dicts, containers of them) to ``f`` in PyTorch's format.

    Args:
        obj: the object to save
        f: a path (``str`` or ``os.PathLike``), written atomically through a temporary file in
            the same folder, or a writable binary file object
        pickle_protocol: the pickle protocol of ``data.pkl``. Default: ``2``, the only one
            ``torch.load(weights_only=True)`` reads

    ember always writes the zip format; ``_use_new_zipfile_serialization`` is accepted for
    PyTorch compatibility.
    """
    _check_pickle_module(pickle_module)
    pickled = io.BytesIO()
    pickler = _Pickler(pickled, pickle_protocol)
    pickler.dump(obj)
    records = list(pickler.records.values())

    def write(file):
        _write_archive(file, pickled.getbuffer(), records)

    if isinstance(f, (str, os.PathLike)):
        _atomic_write(f, write)
    else:
        write(f)


# ----------------------------------------------------------------------------- loading
_DAMAGED = "; the file is truncated or corrupted"
# what zipfile raises on damaged archives (NotImplementedError: garbled method or version fields)
_ZIP_ERRORS = (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError)


def _corrupt(name, reason):
    return RuntimeError(f"{name} is not a valid checkpoint: {reason}")


def _restorer(map_location):
    """``restore(storage, location)`` for PyTorch's ``map_location`` forms."""
    if map_location is None:
        return _default_restore
    if isinstance(map_location, dict):
        return lambda storage, location: _default_restore(
            storage, str(map_location.get(location, location)))
    if isinstance(map_location, (str, bytes, device)):
        target = map_location.decode() if isinstance(map_location, bytes) else str(map_location)
        return lambda storage, location: _default_restore(storage, target)

    def restore(storage, location):
        result = map_location(storage, location)
        return _default_restore(storage, location) if result is None else result

    return restore


def _default_restore(storage, location):
    target = device(location)
    if target.type == "cpu":
        return storage.cpu()
    if target.type != "cuda":
        raise RuntimeError(f"don't know how to restore data location of storage (tagged with "
                           f"{location})")
    from ember import cuda

    if not cuda.is_available():
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but ember.cuda.is_available() "
            "is False. If you are running on a CPU-only machine, please use ember.load with "
            "map_location=ember.device('cpu') to map your storages to the CPU.")
    index = target.index or 0
    if index >= cuda.device_count():
        raise RuntimeError(
            f"Attempting to deserialize object on CUDA device {index} but "
            f"ember.cuda.device_count() is {cuda.device_count()}. Please use ember.load with "
            "map_location to map your storages to an existing device.")
    return storage.cuda(index)


def _text(value):
    return value.decode("ascii") if isinstance(value, bytes) else value


class _Unpickler(pickle.Unpickler):
    """Unpickles ``data.pkl``: PyTorch's globals become ember's; storages come from the
    archive; with ``weights_only`` every other global is refused before anything runs."""

    def __init__(self, file, archive, restore, weights_only, **kwargs):
        super().__init__(file, **kwargs)
        self.archive, self.restore, self.weights_only = archive, restore, weights_only
        self.storages = {}

    def find_class(self, module, name):
        if (module, name) in _compat_pickle.NAME_MAPPING:  # Python 2 names, as PyTorch maps them
            module, name = _compat_pickle.NAME_MAPPING[module, name]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        full_path = f"{module}.{name}"
        if self.weights_only and module in _BLOCKED_MODULES:
            raise _unsupported_global(module, full_path)
        if full_path in _allowed_globals():
            return _allowed_globals()[full_path]
        storage = _STORAGE_GLOBAL.fullmatch(full_path)
        if storage:
            return _StorageType(storage[1])
        allowed = _user_allowed_globals()
        if full_path in allowed:
            return allowed[full_path]
        if self.weights_only:
            raise _unsupported_global(module, full_path)
        if module.partition(".")[0] in ("torch", "torchvision"):
            return _ember_equivalent(module, name)
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if type(pid) is not tuple or len(pid) != 5 or _text(pid[0]) != "storage":
            raise pickle.UnpicklingError(f"Only persistent_load of storage is allowed, but got "
                                         f"{pid!r}")
        _, storage_type, key, location, numel = pid
        if type(storage_type) is not _StorageType:
            raise pickle.UnpicklingError(f"expected a storage type, got {storage_type!r}")
        key = _text(key)
        if key not in self.storages:
            array = self.archive.read_storage(key, storage_type.name, int(numel))
            self.storages[key] = self.restore(_storage.Storage(_make(array)),
                                              _text(location))
        return self.storages[key]


class _Archive:
    """The records of a checkpoint's zip archive, with errors that name the file."""

    def __init__(self, file, name):
        self.name = name
        head = file.read(4)
        file.seek(-len(head), io.SEEK_CUR)
        if not head:
            raise _corrupt(name, "the file is empty")
        if head != b"PK\x03\x04":
            reason = ("it is not a zip archive (a plain pickle, or PyTorch's legacy format from "
                      "before 1.6, which ember.load does not read)" if head[:1] == b"\x80" else
                      "it is not a zip archive")
            raise _corrupt(name, reason)
        try:
            self.zip = zipfile.ZipFile(file)
        except _ZIP_ERRORS as error:
            raise _corrupt(name, f"failed reading zip archive ({error}){_DAMAGED}") from None
        pickles = [n for n in self.zip.namelist() if n.endswith("/data.pkl") and n.count("/") == 1]
        if not pickles:
            raise _corrupt(name, "it has no data.pkl record")
        self.prefix = pickles[0][:-len("data.pkl")]
        self.byteorder = (self.read("byteorder", required=False) or b"little").decode()
        if self.byteorder not in ("little", "big"):
            raise _corrupt(name, f"unknown byteorder {self.byteorder!r}")

    def read(self, record, required=True):
        try:
            return self.zip.read(self.prefix + record)
        except KeyError:
            if required:
                raise _corrupt(self.name, f"record {self.prefix + record} is missing") from None
            return None
        except _ZIP_ERRORS as error:
            raise _corrupt(self.name, f"failed reading record {self.prefix + record} "
                                      f"({error}){_DAMAGED}") from None

    def read_storage(self, key, storage_name, numel):
        data = self.read(f"data/{key}")
        itemsize = _storage.record_itemsize(storage_name)
        if len(data) != numel * itemsize:
            raise _corrupt(self.name, f"record {self.prefix}data/{key} holds {len(data)} bytes, "
                                      f"but its storage needs {numel * itemsize}{_DAMAGED}")
        return _storage.decode(data, storage_name, self.byteorder)


@contextlib.contextmanager
def _opened(f):
    """``(file, name)`` for a path or a binary file object (made seekable)."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            yield file, repr(os.fsdecode(f))
        return
    name = repr(f.name) if isinstance(getattr(f, "name", None), str) else "the file object"
    seekable = hasattr(f, "seekable") and f.seekable()
    yield (f if seekable else io.BytesIO(f.read())), name


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """Loads an object saved with :func:`save` or ``torch.save``.

    Args:
        f: a path (``str`` or ``os.PathLike``) or a readable binary file object
        map_location: where storages go: ``None`` (where they were saved), a device or device
            string, a dict from saved to wanted locations (``{'cuda:0': 'cpu'}``), or a
            callable ``(storage, location)`` returning a storage or ``None``
        weights_only: only build tensors, containers, numbers, strings, dtypes, devices and
            the globals allowed by :func:`add_safe_globals`; refuse anything else before it
            runs. ``False`` unpickles anything: only use it on files you trust. Default: ``True``
        pickle_load_args: passed to ``pickle.Unpickler`` (``encoding='latin1'``...)

    bfloat16 storages load as float32, ember having no bfloat16.
    """
    _check_pickle_module(pickle_module)
    if mmap:
        raise NotImplementedError("ember.load does not support mmap=True")
    weights_only = True if weights_only is None else weights_only
    with _opened(f) as (file, name):
        archive = _Archive(file, name)
        unpickler = _Unpickler(io.BytesIO(archive.read("data.pkl")), archive,
                               _restorer(map_location), weights_only, **pickle_load_args)
        try:
            return unpickler.load()
        except EOFError:
            raise _corrupt(name, f"its data.pkl record ends early{_DAMAGED}") from None
