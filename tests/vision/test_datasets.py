"""ember.vision.datasets on small files written in the real formats (IDX, CIFAR pickles, PNGs)."""

import gzip
import hashlib
import http.server
import pickle
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest
from PIL import Image

import ember
from ember.vision import datasets
from ember.vision.datasets import utils as dataset_utils
from ember.vision.datasets.mnist import read_sn3_pascalvincent_tensor

CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                   "truck"]


@pytest.fixture
def torchvision(torch):
    """torchvision, the oracle for datasets; tests that take it skip when it is not installed."""
    return pytest.importorskip("torchvision")


# ----------------------------------------------------------------------------- file writers
_IDX_CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D,
              np.float64: 0x0E}


def _idx_bytes(array):
    """``array`` in the IDX format: magic 0x0000TTDD, big-endian sizes, big-endian data."""
    header = bytes([0, 0, _IDX_CODES[array.dtype.type], array.ndim])
    header += b"".join(size.to_bytes(4, "big") for size in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write(path, data, gz=False):
    if gz:
        path, data = path.with_name(path.name + ".gz"), gzip.compress(data)
    path.write_bytes(data)
    return path


def _make_mnist(root, name="MNIST", gz=False, sizes=(("train", 5), ("t10k", 3)), seed=0):
    """Writes random MNIST-like IDX files under ``root/name/raw``; returns their arrays."""
    rng = np.random.default_rng(seed)
    raw = root / name / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for prefix, size in sizes:
        images = rng.integers(0, 256, (size, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size, dtype=np.uint8)
        _write(raw / f"{prefix}-images-idx3-ubyte", _idx_bytes(images), gz)
        _write(raw / f"{prefix}-labels-idx1-ubyte", _idx_bytes(labels), gz)
        arrays[prefix] = images, labels
    return arrays


def _pickle(path, obj):
    path.write_bytes(pickle.dumps(obj, protocol=2))


def _make_cifar(root, hundred=False, size=4, seed=0):
    """Writes random CIFAR batches and the meta file; returns {name: (data, labels)}."""
    rng = np.random.default_rng(seed)
    folder = root / ("cifar-100-python" if hundred else "cifar-10-batches-py")
    folder.mkdir(parents=True)
    names = (["train", "test"] if hundred
             else [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"])
    batches = {}
    for name in names:
        data = rng.integers(0, 256, (size, 3072), dtype=np.uint8)
        labels = rng.integers(0, 100 if hundred else 10, size).tolist()
        entry = {"batch_label": f"batch {name}", "data": data,
                 "filenames": [f"{name}_{i}.png" for i in range(size)]}
        if hundred:
            entry.update(fine_labels=labels, coarse_labels=[label // 5 for label in labels])
        else:
            entry["labels"] = labels
        _pickle(folder / name, entry)
        batches[name] = data, labels
    if hundred:
        _pickle(folder / "meta", {"fine_label_names": [f"fine{i}" for i in range(100)],
                                  "coarse_label_names": [f"coarse{i}" for i in range(20)]})
    else:
        _pickle(folder / "batches.meta", {"label_names": CIFAR10_CLASSES,
                                          "num_cases_per_batch": size, "num_vis": 3072})
    return folder, batches


# ----------------------------------------------------------------------------- MNIST family
@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("cls", ["MNIST", "FashionMNIST", "KMNIST"])
def test_mnist_family_reads_idx_files(tmp_path, cls, gz):
    arrays = _make_mnist(tmp_path, cls, gz)
    for train, prefix in ((True, "train"), (False, "t10k")):
        images, labels = arrays[prefix]
        ds = getattr(datasets, cls)(str(tmp_path), train=train)
        assert len(ds) == len(images)
        assert ds.data.dtype == ember.uint8 and ds.targets.dtype == ember.int64
        np.testing.assert_array_equal(ds.data.numpy(), images)
        np.testing.assert_array_equal(ds.targets.numpy(), labels)
        img, target = ds[0]
        assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
        np.testing.assert_array_equal(np.asarray(img), images[0])
        assert type(target) is int and target == labels[0]
    assert len(ds.classes) == 10
    assert ds.class_to_idx == {name: i for i, name in enumerate(ds.classes)}


def test_mnist_classes():
    assert datasets.MNIST.classes[0] == "0 - zero" and datasets.MNIST.classes[9] == "9 - nine"
    assert datasets.FashionMNIST.classes[-1] == "Ankle boot"
    assert datasets.KMNIST.classes == ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


def test_mnist_applies_transforms(tmp_path):
    images, labels = _make_mnist(tmp_path)["train"]
    ds = datasets.MNIST(tmp_path, transform=lambda img: np.asarray(img).astype(np.int64).sum(),
                        target_transform=lambda target: target + 100)
    assert ds[1] == (images[1].astype(np.int64).sum(), int(labels[1]) + 100)


def test_mnist_matches_torchvision(tmp_path, torchvision):
    _make_mnist(tmp_path)

    class Identity:
        def __init__(self, text):
            self.text = text

        def __call__(self, input):
            return input

        def __repr__(self):
            return self.text

    transforms = {"transform": Identity("Compose(\n    Identity()\n)"),
                  "target_transform": Identity("Identity()")}
    for train in (True, False):
        ours = datasets.MNIST(str(tmp_path), train=train, **transforms)
        theirs = torchvision.datasets.MNIST(str(tmp_path), train=train, **transforms)
        assert repr(ours) == repr(theirs)
        np.testing.assert_array_equal(ours.data.numpy(), theirs.data.numpy())
        np.testing.assert_array_equal(ours.targets.numpy(), theirs.targets.numpy())
        for index in range(len(theirs)):
            (img, target), (expected_img, expected_target) = ours[index], theirs[index]
            assert img.mode == expected_img.mode and target == expected_target
            np.testing.assert_array_equal(np.asarray(img), np.asarray(expected_img))


def test_emnist_reads_its_split_files(tmp_path):
    _make_mnist(tmp_path, "EMNIST", sizes=(("emnist-letters-train", 4), ("emnist-letters-test", 2)))
    ds = datasets.EMNIST(tmp_path, split="letters", train=False)
    assert len(ds) == 2 and ds.classes[:3] == ["N/A", "a", "b"]
    with pytest.raises(ValueError, match="Unknown value 'nope' for argument split"):
        datasets.EMNIST(tmp_path, split="nope")


def test_read_sn3_pascalvincent_tensor_dtypes(tmp_path):
    for array in (np.arange(-6, 6, dtype=np.int16).reshape(3, 4),
                  np.linspace(-1, 1, 6, dtype=np.float32), np.arange(8, dtype=np.int32) * 70000,
                  np.array([0.5, -2.25], dtype=np.float64)):
        path = _write(tmp_path / "array-idx", _idx_bytes(array))
        np.testing.assert_array_equal(read_sn3_pascalvincent_tensor(path).numpy(), array)


def test_mnist_not_found(tmp_path):
    with pytest.raises(RuntimeError, match="^Dataset not found. You can use download=True to "
                                           "download it$"):
        datasets.MNIST(tmp_path)
    _make_mnist(tmp_path, sizes=(("train", 2),))
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.MNIST(tmp_path, train=False)


def _corrupt_images(raw, data, gz=False):
    (raw / "train-images-idx3-ubyte").unlink()
    return _write(raw / "train-images-idx3-ubyte", data, gz)


@pytest.mark.parametrize("case", ["truncated", "truncated-header", "magic", "empty", "bad-gzip",
                                  "truncated-gzip"])
def test_mnist_corrupted_files_raise_naming_the_file(tmp_path, case):
    images = _make_mnist(tmp_path, sizes=(("train", 3),))["train"][0]
    raw, good = tmp_path / "MNIST" / "raw", _idx_bytes(images)
    data = {"truncated": good[:-5], "truncated-header": good[:10], "empty": b"",
            "magic": b"\x08\x03\x00\x00" + good[4:], "bad-gzip": b"\x1f\x8b" + b"garbage" * 9,
            "truncated-gzip": gzip.compress(good)[:-20]}[case]
    path = _corrupt_images(raw, data)
    with pytest.raises(RuntimeError, match=str(path)):
        datasets.MNIST(tmp_path)


def test_mnist_gzip_only_corrupted(tmp_path):
    images = _make_mnist(tmp_path, sizes=(("train", 3),))["train"][0]
    path = _corrupt_images(tmp_path / "MNIST" / "raw", _idx_bytes(images)[:-1], gz=True)
    with pytest.raises(RuntimeError, match=f"{path}.*needs 2352"):
        datasets.MNIST(tmp_path)


def test_mnist_wrong_contents(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    _make_mnist(tmp_path, sizes=(("train", 3),))
    path = _corrupt_images(raw, _idx_bytes(np.zeros((3, 28, 28), dtype=np.int32)))
    with pytest.raises(TypeError, match=f"{path} should hold data of dtype ember.uint8 instead "
                                        "of ember.int32"):
        datasets.MNIST(tmp_path)
    _corrupt_images(raw, _idx_bytes(np.zeros((3, 784), dtype=np.uint8)))
    with pytest.raises(ValueError, match="should hold 3-dimensional data instead of 2"):
        datasets.MNIST(tmp_path)
    _corrupt_images(raw, _idx_bytes(np.zeros((4, 28, 28), dtype=np.uint8)))
    with pytest.raises(RuntimeError, match="holds 4 images but .*labels-idx1-ubyte holds 3"):
        datasets.MNIST(tmp_path)


def test_idx_trailing_bytes(tmp_path):
    path = _write(tmp_path / "labels", _idx_bytes(np.arange(3, dtype=np.uint8)) + b"\0")
    with pytest.raises(RuntimeError, match="holds 4 bytes of data, but its header's shape"):
        read_sn3_pascalvincent_tensor(path)
    assert read_sn3_pascalvincent_tensor(path, strict=False).tolist() == [0, 1, 2]


# ----------------------------------------------------------------------------- downloads
@pytest.fixture
def no_proxy(monkeypatch):
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def dead_url(no_proxy):
    """An http URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def http_server(tmp_path, no_proxy):
    """Serves tmp_path/'served' on 127.0.0.1; yields (base URL, folder, requested paths)."""
    served, requested = tmp_path / "served", []
    served.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, format, *args):
            requested.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", served, requested
    server.shutdown()
    server.server_close()
    thread.join()


def test_mnist_download_without_network_names_the_url(tmp_path, monkeypatch, dead_url):
    monkeypatch.setattr(datasets.MNIST, "mirrors", [dead_url, dead_url + "mirror2/"])
    with pytest.raises(RuntimeError) as info:
        datasets.MNIST(tmp_path, download=True)
    message = str(info.value)
    assert message.startswith("Error downloading train-images-idx3-ubyte.gz")
    assert f"{dead_url}train-images-idx3-ubyte.gz" in message
    assert f"{dead_url}mirror2/train-images-idx3-ubyte.gz" in message
    assert not list((tmp_path / "MNIST" / "raw").iterdir())  # no partial file left


def test_mnist_download_checks_md5_and_skips_present_files(tmp_path, monkeypatch, http_server):
    url, served, requested = http_server
    arrays = _make_mnist(served, gz=True)
    resources = []
    for path in sorted((served / "MNIST" / "raw").iterdir()):
        path.rename(served / path.name)
        resources.append((path.name, hashlib.md5((served / path.name).read_bytes()).hexdigest()))
    monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    ds = datasets.MNIST(tmp_path / "root", train=False, download=True)
    np.testing.assert_array_equal(ds.data.numpy(), arrays["t10k"][0])
    assert sorted(requested) == sorted(f"/{name}" for name, _ in resources)
    assert (tmp_path / "root" / "MNIST" / "raw" / "t10k-images-idx3-ubyte").is_file()
    datasets.MNIST(tmp_path / "root", download=True)
    assert len(requested) == 4  # present: nothing downloaded again


def test_download_url_rejects_a_wrong_md5(tmp_path, http_server):
    url, served, _ = http_server
    (served / "file.bin").write_bytes(b"payload")
    with pytest.raises(RuntimeError, match=f"{tmp_path / 'out' / 'file.bin'} downloaded from "
                                           f"{url}file.bin is corrupted: expected md5 0+"):
        dataset_utils.download_url(url + "file.bin", tmp_path / "out", md5="0" * 32)
    md5 = hashlib.md5(b"payload").hexdigest()
    dataset_utils.download_url(url + "file.bin", tmp_path / "out", md5=md5)
    assert dataset_utils.check_integrity(tmp_path / "out" / "file.bin", md5)


def test_download_url_http_error_names_the_url(tmp_path, http_server):
    url = http_server[0] + "missing.tar.gz"
    with pytest.raises(RuntimeError, match=f"Error downloading {url}: HTTP Error 404"):
        dataset_utils.download_url(url, tmp_path)


def test_cifar_download_without_network_names_the_url(tmp_path, monkeypatch, dead_url):
    monkeypatch.setattr(datasets.CIFAR10, "url", dead_url + "cifar-10-python.tar.gz")
    with pytest.raises(RuntimeError, match=f"Error downloading {dead_url}cifar-10-python.tar.gz"):
        datasets.CIFAR10(tmp_path, download=True)


def test_cifar_download_extracts_the_archive_and_skips_valid_files(tmp_path, monkeypatch,
                                                                   http_server):
    import tarfile

    url, served, requested = http_server
    folder, batches = _make_cifar(tmp_path / "made")
    with tarfile.open(served / "cifar.tar.gz", "w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    md5s = {path.name: dataset_utils.calculate_md5(path) for path in folder.iterdir()}
    monkeypatch.setattr(datasets.CIFAR10, "url", url + "cifar.tar.gz")
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", dataset_utils.calculate_md5(
        served / "cifar.tar.gz"))
    monkeypatch.setattr(datasets.CIFAR10, "train_list", [
        [f"data_batch_{i}", md5s[f"data_batch_{i}"]] for i in range(1, 6)])
    monkeypatch.setattr(datasets.CIFAR10, "test_list", [["test_batch", md5s["test_batch"]]])
    monkeypatch.setattr(datasets.CIFAR10, "meta", {"filename": "batches.meta",
                                                   "key": "label_names",
                                                   "md5": md5s["batches.meta"]})
    ds = datasets.CIFAR10(tmp_path / "root", train=False, download=True)
    assert ds.targets == batches["test_batch"][1] and requested == ["/cifar.tar.gz"]
    datasets.CIFAR10(tmp_path / "root", download=True)
    assert requested == ["/cifar.tar.gz"]


# ----------------------------------------------------------------------------- CIFAR
def test_cifar10_reads_pickle_batches(tmp_path):
    _, batches = _make_cifar(tmp_path)
    ds = datasets.CIFAR10(str(tmp_path))
    assert len(ds) == 20 and ds.classes == CIFAR10_CLASSES
    assert ds.class_to_idx["truck"] == 9
    assert isinstance(ds.data, np.ndarray) and ds.data.shape == (20, 32, 32, 3)
    assert ds.data.dtype == np.uint8
    assert ds.targets == [label for i in range(1, 6) for label in batches[f"data_batch_{i}"][1]]
    img, target = ds[4]  # the second batch's first image
    row, label = batches["data_batch_2"][0][0], batches["data_batch_2"][1][0]
    assert img.mode == "RGB" and img.size == (32, 32) and target == label
    pixels = np.asarray(img)
    for y, x, c in ((0, 0, 0), (3, 17, 1), (31, 30, 2)):  # rows hold R, G, B planes, row-major
        assert pixels[y, x, c] == row[c * 1024 + y * 32 + x]
    test = datasets.CIFAR10(tmp_path, train=False, target_transform=lambda t: -t)
    assert len(test) == 4 and test[3][1] == -batches["test_batch"][1][3]


def test_cifar100_reads_fine_labels(tmp_path):
    _, batches = _make_cifar(tmp_path, hundred=True)
    ds = datasets.CIFAR100(tmp_path, train=False, transform=lambda img: img.size)
    assert ds.targets == batches["test"][1] and len(ds.classes) == 100
    assert ds.classes[7] == "fine7" and ds[0] == ((32, 32), batches["test"][1][0])


def test_cifar_matches_torchvision(tmp_path, torchvision, monkeypatch):
    _make_cifar(tmp_path)
    _make_cifar(tmp_path, hundred=True)
    # The synthetic files cannot have the real md5s, which torchvision checks.
    monkeypatch.setattr("torchvision.datasets.cifar.check_integrity", lambda *args: True)
    for name in ("CIFAR10", "CIFAR100"):
        for train in (True, False):
            ours = getattr(datasets, name)(str(tmp_path), train=train)
            theirs = getattr(torchvision.datasets, name)(str(tmp_path), train=train)
            assert repr(ours) == repr(theirs)
            np.testing.assert_array_equal(ours.data, theirs.data)
            assert ours.targets == theirs.targets and ours.classes == theirs.classes
            assert ours.class_to_idx == theirs.class_to_idx
            np.testing.assert_array_equal(np.asarray(ours[2][0]), np.asarray(theirs[2][0]))


def test_cifar_not_found(tmp_path):
    with pytest.raises(RuntimeError, match="^Dataset not found. You can use download=True"):
        datasets.CIFAR10(tmp_path)
    folder, _ = _make_cifar(tmp_path)
    (folder / "batches.meta").unlink()
    with pytest.raises(RuntimeError, match="^Dataset not found"):
        datasets.CIFAR10(tmp_path)


@pytest.mark.parametrize("case", ["garbage", "truncated", "empty", "not-a-dict", "no-data",
                                  "bad-shape", "label-count", "label-range"])
def test_cifar_corrupted_batch_raises_naming_the_file(tmp_path, case):
    folder, batches = _make_cifar(tmp_path)
    path = folder / "data_batch_3"
    data, labels = batches["data_batch_3"]
    content = {
        "garbage": b"this is not a pickle at all" * 3,
        "truncated": path.read_bytes()[:200],
        "empty": b"",
        "not-a-dict": pickle.dumps([data, labels], protocol=2),
        "no-data": pickle.dumps({"labels": labels}, protocol=2),
        "bad-shape": pickle.dumps({"data": data[:, :100], "labels": labels}, protocol=2),
        "label-count": pickle.dumps({"data": data, "labels": labels[:-1]}, protocol=2),
        "label-range": pickle.dumps({"data": data, "labels": [10] * len(labels)}, protocol=2),
    }[case]
    path.write_bytes(content)
    with pytest.raises(RuntimeError, match=str(path)):
        datasets.CIFAR10(tmp_path)


def test_cifar_corrupted_meta_raises_naming_the_file(tmp_path):
    folder, _ = _make_cifar(tmp_path)
    _pickle(folder / "batches.meta", {"names": CIFAR10_CLASSES})
    with pytest.raises(RuntimeError, match=f"{folder / 'batches.meta'} has no 'label_names'"):
        datasets.CIFAR10(tmp_path)


# ----------------------------------------------------------------------------- folders
def _png(path, value, size=(4, 3), mode="RGB"):
    path.parent.mkdir(parents=True, exist_ok=True)
    color = value if mode == "L" else (value, 255 - value, 7)
    Image.new(mode, size, color).save(path)


@pytest.fixture
def image_tree(tmp_path):
    root = tmp_path / "images"
    _png(root / "dog" / "b.png", 10)
    _png(root / "dog" / "a.PNG", 20, mode="L")
    _png(root / "dog" / "nested" / "c.png", 30)
    _png(root / "cat" / "z.png", 40)
    _png(root / "cat" / "y.bmp", 50)
    (root / "cat" / "notes.txt").write_text("not an image")
    (root / "README").write_text("a file, not a class")
    return root


def test_image_folder(image_tree):
    ds = datasets.ImageFolder(str(image_tree))
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    names = [path.removeprefix(str(image_tree) + "/") for path, _ in ds.samples]
    assert names == ["cat/y.bmp", "cat/z.png", "dog/a.PNG", "dog/b.png", "dog/nested/c.png"]
    assert ds.targets == [0, 0, 1, 1, 1] and ds.imgs == ds.samples and len(ds) == 5
    img, target = ds[2]
    assert img.mode == "RGB" and img.size == (4, 3) and target == 1
    assert np.asarray(img)[0, 0].tolist() == [20, 20, 20]  # gray converted to RGB
    assert np.asarray(ds[0][0])[2, 3].tolist() == [50, 205, 7]


def test_image_folder_transforms_and_is_valid_file(image_tree):
    ds = datasets.ImageFolder(image_tree, transform=lambda img: img.getpixel((0, 0))[0],
                              target_transform=lambda t: f"class {t}",
                              is_valid_file=lambda path: path.endswith("png"))
    assert len(ds) == 3 and ds[0] == (40, "class 0") and ds[2] == (30, "class 1")


def test_dataset_folder_extensions_and_loader(tmp_path):
    for name, value in (("b/1.npy", 1), ("a/2.npy", 2), ("a/3.NPY", 3)):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        np.save(tmp_path / name, np.full(2, value))
    (tmp_path / "a" / "skip.txt").write_text("x")
    ds = datasets.DatasetFolder(tmp_path, loader=np.load, extensions=(".npy",))
    assert [(sample.tolist(), target) for sample, target in ds] == [
        ([2, 2], 0), ([3, 3], 0), ([1, 1], 1)]
    assert ds.extensions == (".npy",)


def test_folder_errors(tmp_path, image_tree):
    (image_tree / "empty").mkdir()
    message = ("Found no valid file for the classes empty. Supported extensions are: .jpg, "
               ".jpeg, .png, .ppm, .bmp, .pgm, .tif, .tiff, .webp")
    with pytest.raises(FileNotFoundError, match=f"^{message}$"):
        datasets.ImageFolder(image_tree)
    assert datasets.ImageFolder(image_tree, allow_empty=True).classes == ["cat", "dog", "empty"]
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder in"):
        datasets.ImageFolder(tmp_path / "images" / "dog" / "nested")
    with pytest.raises(ValueError, match="Both extensions and is_valid_file cannot be None"):
        datasets.DatasetFolder(image_tree, loader=open)
    with pytest.raises(ValueError, match="Both extensions and is_valid_file cannot be None"):
        datasets.DatasetFolder(image_tree, open, (".png",), is_valid_file=bool)


def test_image_folder_matches_torchvision(image_tree, torchvision):
    ours, theirs = datasets.ImageFolder(image_tree), torchvision.datasets.ImageFolder(image_tree)
    assert ours.samples == theirs.samples and ours.classes == theirs.classes
    assert repr(ours) == repr(theirs)
    for (img, target), (expected_img, expected_target) in zip(ours, theirs):
        assert target == expected_target
        np.testing.assert_array_equal(np.asarray(img), np.asarray(expected_img))
    (image_tree / "empty").mkdir()
    errors = []
    for cls in (datasets.ImageFolder, torchvision.datasets.ImageFolder):
        with pytest.raises(FileNotFoundError) as info:
            cls(image_tree)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


# ----------------------------------------------------------------------------- FakeData, Digits
def test_fake_data_is_deterministic_per_index():
    ds = datasets.FakeData(size=4, image_size=(3, 5, 6), num_classes=3)
    ember.manual_seed(0)
    expected = ember.rand(3)
    ember.manual_seed(0)
    img, target = ds[1]
    assert ember.equal(ember.rand(3), expected)  # the default generator is left untouched
    assert img.mode == "RGB" and img.size == (6, 5) and type(target) is int and 0 <= target < 3
    again, target_again = ds[1]
    np.testing.assert_array_equal(np.asarray(img), np.asarray(again))
    assert target == target_again
    assert not np.array_equal(np.asarray(ds[2][0]), np.asarray(img))
    shifted = datasets.FakeData(size=4, image_size=(3, 5, 6), num_classes=3, random_offset=1)
    np.testing.assert_array_equal(np.asarray(shifted[0][0]), np.asarray(img))
    assert datasets.FakeData(2, (1, 4, 4))[0][0].mode == "L" and len(ds) == 4
    with pytest.raises(IndexError, match="FakeData index out of range"):
        ds[4]


def test_digits_split_and_items():
    train, test = datasets.Digits(), datasets.Digits(train=False)
    assert (len(train), len(test)) == (1437, 360)
    assert train.data.shape == (1437, 8, 8) and train.data.dtype == ember.uint8
    assert test.targets.dtype == ember.int64 and train.classes == datasets.MNIST.classes
    assert np.bincount(test.targets.numpy()).tolist() == [36] * 10
    # the UCI file's class counts, minus the 36 test images of each digit
    totals = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert np.bincount(train.targets.numpy()).tolist() == [n - 36 for n in totals]
    for ds in (train, test):
        assert int(ds.data.min()) == 0 and int(ds.data.max()) == 255
        assert set(np.unique(ds.data.numpy())) <= {(v * 255 + 8) // 16 for v in range(17)}
    img, target = train[0]
    # The file's first row: a 0 whose top row counts 0,0,5,13,9,1,0,0 out of 16.
    assert img.mode == "L" and img.size == (8, 8) and target == 0
    assert np.asarray(img)[0].tolist() == [0, 0, 80, 207, 143, 16, 0, 0]
    assert repr(test) == "Dataset Digits\n    Number of datapoints: 360\n    Split: Test"


def test_digits_transforms_and_root(tmp_path):
    ds = datasets.Digits(root=str(tmp_path), transform=lambda img: img.size,
                         target_transform=lambda t: t * 2, download=True)
    assert ds[0] == ((8, 8), 0) and f"Root location: {tmp_path}" in repr(ds)


def test_digits_to_tensor():
    from ember.vision import transforms

    image, target = datasets.Digits(transform=transforms.ToTensor())[0]
    assert image.shape == (1, 8, 8) and image.dtype == ember.float32 and target == 0
    expected = [0, 0, 80 / 255, 207 / 255, 143 / 255, 16 / 255, 0, 0]
    np.testing.assert_allclose(image[0, 0].numpy(), expected, rtol=1e-6)


# ----------------------------------------------------------------------------- base, imports
def test_vision_dataset_transforms_argument():
    with pytest.raises(ValueError, match="Only transforms or transform/target_transform"):
        datasets.VisionDataset(transforms=print, transform=print)
    base = datasets.VisionDataset("~/data", transforms=print)
    assert base.root.endswith("/data") and not base.root.startswith("~")
    with pytest.raises(NotImplementedError):
        base[0]


def test_import_stays_light():
    code = ("import sys, ember, ember.vision as torchvision\n"
            "assert 'PIL' not in sys.modules\n"
            "print(torchvision.datasets.MNIST.__name__, torchvision.utils.make_grid.__name__,\n"
            "      torchvision.io.read_image.__name__, 'PIL' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["MNIST", "make_grid", "read_image", "False"]
