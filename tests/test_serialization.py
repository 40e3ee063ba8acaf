"""ember.save / ember.load against PyTorch's checkpoint format, both ways, and their safety."""

import collections
import io
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import ember
from ember import serialization

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64", "complex128"]


# ----------------------------------------------------------------------------- helpers
def _values(tensor):
    return tensor.detach().cpu().numpy()


def assert_same_tensor(actual, expected):
    """Same dtype, shape, strides, storage offset, values and requires_grad (either library)."""
    assert str(actual.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
    assert tuple(actual.shape) == tuple(expected.shape)
    assert tuple(actual.stride()) == tuple(expected.stride())
    assert actual.storage_offset() == expected.storage_offset()
    assert actual.requires_grad == expected.requires_grad
    np.testing.assert_array_equal(_values(actual), _values(expected))


def _distance(tensor, base):
    """How many bytes after ``base``'s first element ``tensor``'s first element lies."""
    return tensor.data_ptr() - base.data_ptr()


def _views(lib):
    """Tensors sharing one storage in several ways, plus independent odd ones."""
    base = lib.arange(24, dtype=lib.float32)
    return {"base": base, "slice": base[2:5], "matrix_t": base.view(4, 6).t(),
            "strided": base.view(4, 6)[1:, ::2], "row": base.view(4, 6)[3],
            "scalar": lib.tensor(7.5, dtype=lib.float64), "empty": lib.zeros(0, 3),
            "ints": lib.arange(6).view(2, 3).t()}


def _check_views(loaded, original):
    for key in original:
        assert_same_tensor(loaded[key], original[key])
    for key in ("slice", "matrix_t", "strided", "row"):  # one storage, as saved
        assert _distance(loaded[key], loaded["base"]) == _distance(original[key],
                                                                   original["base"])


def _rewrite_record(path, suffix, transform):
    """Rewrites the record ending with ``suffix`` of the zip checkpoint at ``path``."""
    with zipfile.ZipFile(path) as archive:
        records = [(name, archive.read(name)) for name in archive.namelist()]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in records:
            archive.writestr(name, transform(data) if name.endswith(suffix) else data)


def _write_pickle_checkpoint(path, obj):
    """A checkpoint whose data.pkl is written by plain pickle: how an attacker builds one."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps(obj, protocol=2))
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/version", "3\n")


class Point:
    """A user class that only loads once allowlisted."""

    def __init__(self, x, y):
        self.x, self.y = x, y


@pytest.fixture(autouse=True)
def _no_leftover_safe_globals():
    yield
    serialization.clear_safe_globals()


# ----------------------------------------------------------------------------- PyTorch -> ember
def test_torch_views_load_with_shared_storage(torch, tmp_path):
    original = _views(torch)
    torch.save(original, tmp_path / "views.pt")
    loaded = ember.load(tmp_path / "views.pt")
    _check_views(loaded, original)
    loaded["base"][3] = -1.0  # memory is shared, not only equal
    assert loaded["slice"][1].item() == -1.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_dtypes_load(torch, tmp_path, dtype):
    values = torch.tensor([[0, 1, -2], [3, 100, -7]]).to(getattr(torch, dtype))
    original = {"plain": values, "transposed": values.t(), "column": values[:, 1]}
    torch.save(original, tmp_path / "dtype.pt")
    loaded = ember.load(tmp_path / "dtype.pt")
    for key in original:
        assert_same_tensor(loaded[key], original[key])


def test_torch_bfloat16_loads_as_float32(torch, tmp_path):
    original = torch.tensor([1.5, -3.25, 1e-3, 65280.0]).bfloat16()
    torch.save(original, tmp_path / "bf16.pt")
    loaded = ember.load(tmp_path / "bf16.pt")
    assert loaded.dtype is ember.float32
    np.testing.assert_array_equal(_values(loaded), original.float().numpy())


# No bias before the norm: its gradient is rounding noise, which Adam's normalization amplifies.
def _torch_model(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4, bias=False), torch.nn.BatchNorm1d(4),
                               torch.nn.ReLU(), torch.nn.Linear(4, 2)).double()


def _ember_model():
    return ember.nn.Sequential(ember.nn.Linear(3, 4, bias=False), ember.nn.BatchNorm1d(4),
                               ember.nn.ReLU(), ember.nn.Linear(4, 2)).double()


def _train_step(lib, model, optimizer):
    optimizer.zero_grad()
    inputs = lib.tensor(np.linspace(-1, 1, 15).reshape(5, 3))
    model(inputs).pow(2).sum().backward()
    optimizer.step()


def _assert_same_state(loaded, original):
    """Equal nested state (dicts, lists, tuples, numbers, tensors of either library)."""
    if hasattr(original, "dtype") and hasattr(original, "stride"):
        assert_same_tensor(loaded, original)
    elif isinstance(original, dict):
        assert list(loaded) == list(original)
        for key in original:
            _assert_same_state(loaded[key], original[key])
    elif isinstance(original, (list, tuple)):
        assert type(loaded) is type(original) and len(loaded) == len(original)
        for item, expected in zip(loaded, original):
            _assert_same_state(item, expected)
    else:
        assert loaded == original and type(loaded) is type(original)


def test_torch_training_checkpoint_loads_and_resumes(torch, tmp_path):
    model = _torch_model(torch)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    _train_step(torch, model, optimizer)
    checkpoint = {"epoch": 3, "model": model.state_dict(), "optimizer": optimizer.state_dict()}
    torch.save(checkpoint, tmp_path / "checkpoint.pt")

    loaded = ember.load(tmp_path / "checkpoint.pt")
    _assert_same_state(loaded, checkpoint)
    assert isinstance(loaded["model"], collections.OrderedDict)
    resumed = _ember_model()
    resumed.load_state_dict(loaded["model"])
    resumed_optimizer = ember.optim.Adam(resumed.parameters(), lr=0.1)
    resumed_optimizer.load_state_dict(loaded["optimizer"])
    _train_step(torch, model, optimizer)
    _train_step(ember, resumed, resumed_optimizer)
    for name, value in model.state_dict().items():
        np.testing.assert_allclose(_values(resumed.state_dict()[name]), value.numpy(),
                                   rtol=1e-10, atol=1e-12)


def test_torch_file_object_loads(torch):
    buffer = io.BytesIO()
    torch.save({"weight": torch.ones(2, 3)}, buffer)
    buffer.seek(0)
    assert_same_tensor(ember.load(buffer)["weight"], torch.ones(2, 3))


def test_torch_parameter_and_full_module_load(torch, tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh())
    torch.save({"weight": model[0].weight}, tmp_path / "parameter.pt")
    weight = ember.load(tmp_path / "parameter.pt")["weight"]
    assert isinstance(weight, ember.nn.Parameter) and weight.requires_grad
    assert_same_tensor(weight, model[0].weight)

    torch.save(model, tmp_path / "module.pt")  # a whole module is a full pickle
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.container.Sequential"):
        ember.load(tmp_path / "module.pt")
    loaded = ember.load(tmp_path / "module.pt", weights_only=False)
    assert isinstance(loaded[0], ember.nn.Linear)
    inputs = np.linspace(-2, 2, 6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(_values(loaded(ember.tensor(inputs))),
                               model(torch.tensor(inputs)).detach().numpy(), rtol=1e-6)


# ----------------------------------------------------------------------------- ember -> PyTorch
def test_ember_views_load_in_torch(torch, tmp_path):
    original = _views(ember)
    ember.save(original, tmp_path / "views.pt")
    loaded = torch.load(tmp_path / "views.pt", weights_only=True)
    _check_views(loaded, original)
    assert loaded["slice"].untyped_storage().data_ptr() == \
        loaded["base"].untyped_storage().data_ptr()


@pytest.mark.parametrize("dtype", DTYPES)
def test_ember_dtypes_load_in_torch(torch, tmp_path, dtype):
    values = ember.tensor([[0, 1, -2], [3, 100, -7]]).to(getattr(ember, dtype))
    original = {"plain": values, "transposed": values.t(), "column": values[:, 1]}
    ember.save(original, tmp_path / "dtype.pt")
    loaded = torch.load(tmp_path / "dtype.pt", weights_only=True)
    for key in original:
        assert_same_tensor(loaded[key], original[key])


def test_ember_training_checkpoint_loads_in_torch(torch, tmp_path):
    model = _ember_model()
    optimizer = ember.optim.Adam(model.parameters(), lr=0.1)
    _train_step(ember, model, optimizer)
    checkpoint = {"epoch": 3, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                  "note": "best", "losses": [0.5, 0.25], "extra": None}
    ember.save(checkpoint, tmp_path / "checkpoint.pt")

    loaded = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    _assert_same_state(loaded, checkpoint)
    resumed = _torch_model(torch)
    resumed.load_state_dict(loaded["model"])
    resumed_optimizer = torch.optim.Adam(resumed.parameters(), lr=0.1)
    resumed_optimizer.load_state_dict(loaded["optimizer"])
    _train_step(torch, resumed, resumed_optimizer)
    _train_step(ember, model, optimizer)
    for name, value in model.state_dict().items():
        np.testing.assert_allclose(resumed.state_dict()[name].numpy(), _values(value),
                                   rtol=1e-10, atol=1e-12)


def test_ember_objects_load_in_torch_as_torch_objects(torch, tmp_path):
    weight = ember.nn.Parameter(ember.ones(2, 2))
    original = {"weight": weight, "dtype": ember.float16, "device": ember.device("cpu"),
                "size": ember.Size([2, 3]), "bytes": b"\x00\xff", "set": {1, 2},
                "complex": 1 + 2j, "ordered": collections.OrderedDict(a=1)}
    buffer = io.BytesIO()
    ember.save(original, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=True)
    assert isinstance(loaded["weight"], torch.nn.Parameter) and loaded["weight"].requires_grad
    assert loaded["dtype"] is torch.float16 and loaded["device"] == torch.device("cpu")
    assert type(loaded["size"]) is torch.Size and loaded["size"] == (2, 3)
    assert (loaded["bytes"], loaded["set"], loaded["complex"]) == (b"\x00\xff", {1, 2}, 1 + 2j)
    assert type(loaded["ordered"]) is collections.OrderedDict


def test_archive_layout_matches_pytorch(tmp_path):
    ember.save({"a": ember.ones(3), "b": ember.zeros(2, dtype=ember.int64)}, tmp_path / "x.pt")
    with zipfile.ZipFile(tmp_path / "x.pt") as archive:
        names = archive.namelist()
        assert names == ["archive/data.pkl", "archive/.format_version",
                         "archive/.storage_alignment", "archive/byteorder", "archive/data/0",
                         "archive/data/1", "archive/version", "archive/.data/serialization_id"]
        assert archive.read("archive/version") == b"3\n"
        assert archive.read("archive/data/1") == bytes(16)
        infos = archive.infolist()
    raw = (tmp_path / "x.pt").read_bytes()
    for info in infos:  # every record's data starts on a 64-byte boundary
        header = raw[info.header_offset:info.header_offset + 30]
        start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + \
            int.from_bytes(header[28:30], "little")
        assert start % 64 == 0
        assert raw[start:start + info.file_size] == zipfile.ZipFile(tmp_path / "x.pt").read(
            info.filename)


# ----------------------------------------------------------------------------- ember -> ember
def test_round_trip_without_torch(tmp_path):
    views = _views(ember)
    weight = ember.nn.Parameter(ember.randn(3, 2))
    original = {"views": views, "weight": weight, "again": weight,
                "nested": [(1, 2.5), {"k": None}],
                "ordered": collections.OrderedDict(b=ember.ones(1), a="text"),
                "dtype": ember.int8, "device": ember.device("cpu"), "size": ember.Size([4]),
                "flag": True, "big": 2**70, "bytes": b"\x01\x02"}
    ember.save(original, os.fspath(tmp_path / "round.pt"))
    loaded = ember.load(tmp_path / "round.pt")
    _check_views(loaded["views"], views)
    assert isinstance(loaded["weight"], ember.nn.Parameter)
    assert_same_tensor(loaded["weight"], weight)
    assert loaded["again"] is loaded["weight"]  # one object saved twice stays one object
    assert loaded["nested"] == [(1, 2.5), {"k": None}]
    assert type(loaded["ordered"]) is collections.OrderedDict
    assert list(loaded["ordered"]) == ["b", "a"]
    assert loaded["dtype"] is ember.int8 and loaded["device"] == ember.device("cpu")
    assert type(loaded["size"]) is ember.Size and loaded["size"] == (4,)
    assert (loaded["flag"], loaded["big"], loaded["bytes"]) == (True, 2**70, b"\x01\x02")


def test_requires_grad_and_non_leaf_tensors_round_trip():
    leaf = ember.ones(3, requires_grad=True)
    buffer = io.BytesIO()
    ember.save({"leaf": leaf, "result": leaf * 2}, buffer)
    buffer.seek(0)
    loaded = ember.load(buffer)
    assert loaded["leaf"].requires_grad and loaded["leaf"].is_leaf
    assert loaded["result"].requires_grad and loaded["result"].is_leaf
    np.testing.assert_array_equal(_values(loaded["result"]), [2, 2, 2])


def test_import_ember_does_not_import_serialization():
    code = "import sys, ember; print('ember.serialization' in sys.modules, ember.load.__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "load"]


# ----------------------------------------------------------------------------- safety
@pytest.mark.parametrize("payload", ["system", "eval"])
def test_malicious_checkpoint_is_refused_and_nothing_runs(tmp_path, payload):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            if payload == "system":
                return os.system, (f"touch {marker}",)
            return eval, (f"open({str(marker)!r}, 'w').close()",)

    path = tmp_path / "evil.pt"
    _write_pickle_checkpoint(path, {"weights": Exploit()})
    rejected = "posix.system" if payload == "system" else "eval"
    with pytest.raises(pickle.UnpicklingError, match=f"Unsupported global: GLOBAL {rejected} "):
        ember.load(path)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        ember.load(path, weights_only=None)
    assert not marker.exists()
    ember.load(path, weights_only=False)  # the explicit opt-in runs it: the payload is real
    assert marker.exists()


def test_blocked_module_cannot_be_allowlisted(tmp_path):
    path = tmp_path / "evil.pt"
    _write_pickle_checkpoint(path, {"run": os.getcwd})
    with serialization.safe_globals([os.getcwd]):
        with pytest.raises(pickle.UnpicklingError, match="blocked"):
            ember.load(path)


def test_safe_globals_let_a_class_through(tmp_path):
    path = tmp_path / "point.pt"
    ember.save({"point": Point(1, ember.ones(2))}, path)
    with pytest.raises(pickle.UnpicklingError, match="tests.test_serialization.Point"):
        ember.load(path)
    with serialization.safe_globals([Point]):
        assert Point in serialization.get_safe_globals()
        point = ember.load(path)["point"]
    assert isinstance(point, Point) and point.x == 1
    np.testing.assert_array_equal(_values(point.y), [1, 1])
    assert Point not in serialization.get_safe_globals()
    with pytest.raises(pickle.UnpicklingError):
        ember.load(path)
    serialization.add_safe_globals([(Point, "tests.test_serialization.Point")])
    assert isinstance(ember.load(path)["point"], Point)
    serialization.clear_safe_globals()
    assert serialization.get_safe_globals() == []


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    ember.save({"version": 1, "weight": ember.ones(3)}, path)
    calls = []

    def failing_write(archive, name, data):
        calls.append(name)
        if name == "archive/data/1":
            raise OSError("disk full")
        original_write(archive, name, data)

    original_write = serialization._write_record
    monkeypatch.setattr(serialization, "_write_record", failing_write)
    with pytest.raises(OSError, match="disk full"):
        ember.save({"version": 2, "weight": ember.zeros(3), "bias": ember.zeros(1)}, path)
    assert "archive/data/0" in calls  # it failed midway through writing
    monkeypatch.undo()

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot pickle this")

    with pytest.raises(TypeError, match="cannot pickle"):
        ember.save({"version": 3, "weight": ember.zeros(3), "bad": Unpicklable()}, path)
    loaded = ember.load(path)
    assert loaded["version"] == 1
    np.testing.assert_array_equal(_values(loaded["weight"]), [1, 1, 1])
    assert sorted(os.listdir(tmp_path)) == ["model.pt"]  # no temporary files left


def test_save_into_missing_folder_raises(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory .* does not exist"):
        ember.save(ember.ones(1), tmp_path / "missing" / "x.pt")


# ----------------------------------------------------------------------------- bad files
@pytest.fixture
def checkpoint(tmp_path):
    path = tmp_path / "good.pt"
    ember.save({"weight": ember.arange(64.0)}, path)
    return path


def test_truncated_file_names_the_file(checkpoint):
    data = checkpoint.read_bytes()
    for length in (len(data) // 2, 100, len(data) - 10):
        checkpoint.write_bytes(data[:length])
        with pytest.raises(RuntimeError, match=f"{checkpoint}.*truncated or corrupted"):
            ember.load(checkpoint)


def test_corrupted_record_is_detected(checkpoint):
    data = bytearray(checkpoint.read_bytes())
    position = data.find(np.arange(64.0, dtype=np.float32)[5:7].tobytes())
    data[position] ^= 0xFF
    checkpoint.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match=f"{checkpoint}.*data/0.*corrupted"):
        ember.load(checkpoint)


@pytest.mark.parametrize("content, reason", [
    (b"", "is empty"), (b"hello, not a checkpoint", "not a zip archive"),
    (pickle.dumps({"a": 1}), "legacy format")])
def test_non_checkpoint_files_name_the_file(tmp_path, content, reason):
    path = tmp_path / "other.bin"
    path.write_bytes(content)
    with pytest.raises(RuntimeError, match=f"{path}.*{reason}"):
        ember.load(path)


def test_zip_without_checkpoint_and_short_record(tmp_path, checkpoint):
    path = tmp_path / "plain.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(RuntimeError, match="no data.pkl"):
        ember.load(path)
    _rewrite_record(checkpoint, "data/0", lambda data: data[:-4])
    with pytest.raises(RuntimeError, match="holds 252 bytes, but its storage needs 256"):
        ember.load(checkpoint)


def test_out_of_bounds_geometry_is_refused(tmp_path):
    path = tmp_path / "bounds.pt"
    ember.save(ember.arange(4.0)[1:3], path)
    # the pickled storage_offset 1 and size (2,): make the size 9, past the 4-element storage
    _rewrite_record(path, "data.pkl", lambda data: data.replace(b"K\x01K\x02\x85", b"K\x01K\t\x85"))
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 16"):
        ember.load(path)


def test_legacy_torch_format_is_reported(torch, tmp_path):
    path = tmp_path / "legacy.pt"
    torch.save(torch.ones(2), path, _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="legacy format"):
        ember.load(path)


# ----------------------------------------------------------------------------- map_location
@pytest.fixture
def cuda_checkpoint(tmp_path):
    """A checkpoint whose storages were saved from 'cuda:0'."""
    path = tmp_path / "cuda.pt"
    weight = ember.arange(3.0)
    ember.save({"weight": weight, "view": weight[1:]}, path)
    _rewrite_record(path, "data.pkl",
                    lambda data: data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0"))
    return path


def test_cuda_checkpoint_on_cpu_machine_needs_map_location(cuda_checkpoint, torch):
    if ember.cuda.is_available() or torch.cuda.is_available():
        pytest.skip("needs a machine without CUDA")
    with pytest.raises(RuntimeError) as expected:
        torch.load(cuda_checkpoint)
    with pytest.raises(RuntimeError) as actual:
        ember.load(cuda_checkpoint)
    assert str(actual.value) == str(expected.value).replace("torch", "ember")


@pytest.mark.parametrize("map_location", [
    "cpu", ember.device("cpu"), {"cuda:0": "cpu"}, lambda storage, location: storage,
    lambda storage, location: storage.cpu()])
def test_map_location_forms(cuda_checkpoint, map_location):
    loaded = ember.load(cuda_checkpoint, map_location=map_location)
    assert loaded["weight"].device == ember.device("cpu")
    np.testing.assert_array_equal(_values(loaded["view"]), [1, 2])
    assert _distance(loaded["view"], loaded["weight"]) == 4


def test_map_location_callable_sees_saved_location(checkpoint):
    seen = []

    def record(storage, location):
        seen.append((location, storage.dtype, len(storage)))

    assert ember.load(checkpoint, map_location=record)["weight"].device == ember.device("cpu")
    assert seen == [("cpu", ember.float32, 64)]


def test_map_location_to_unknown_device_raises(checkpoint):
    with pytest.raises(RuntimeError, match="don't know how to restore .*tagged with mps"):
        ember.load(checkpoint, map_location="mps")


def test_map_location_to_cuda(checkpoint, device):
    loaded = ember.load(checkpoint, map_location=device)
    assert loaded["weight"].device.type == device
    np.testing.assert_array_equal(_values(loaded["weight"]), np.arange(64.0))


# ----------------------------------------------------------------------------- safetensors
@pytest.fixture
def safetensors_torch(torch):
    return pytest.importorskip("safetensors.torch")


def test_safetensors_from_torch(torch, safetensors_torch, tmp_path):
    from ember.utils import safetensors

    original = {name: torch.tensor([[0, 1, -2], [3, 100, -7]]).to(getattr(torch, name))
                for name in DTYPES if name != "complex128"}
    original["bfloat16"] = torch.tensor([1.5, -3.25, 65280.0]).bfloat16()
    safetensors_torch.save_file(original, tmp_path / "t.safetensors", metadata={"k": "v"})
    for loaded in (safetensors.load_file(tmp_path / "t.safetensors"),
                   safetensors.load((tmp_path / "t.safetensors").read_bytes())):
        assert sorted(loaded) == sorted(original)
        for name, value in original.items():
            if name == "bfloat16":
                value = value.float()
            assert_same_tensor(loaded[name], value)


def test_safetensors_to_torch(torch, safetensors_torch, tmp_path):
    from ember.utils import safetensors

    model = _ember_model()
    tensors = {**model.state_dict(), "transposed": ember.arange(6).view(2, 3).t(),
               "half": ember.ones(2, dtype=ember.float16), "mask": ember.tensor([True, False])}
    safetensors.save_file(tensors, tmp_path / "e.safetensors", metadata={"epoch": "3"})
    for loaded in (safetensors_torch.load_file(tmp_path / "e.safetensors"),
                   safetensors_torch.load(safetensors.save(tensors))):
        for name, value in tensors.items():
            assert_same_tensor(loaded[name], value.contiguous())
    with pytest.raises(ValueError, match="Key `bad` is invalid"):
        safetensors.save({"bad": 3})
