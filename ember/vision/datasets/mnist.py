"""MNIST, FashionMNIST, KMNIST and EMNIST, read from their IDX files (raw or gzip)."""

import gzip
import math
import os
import shutil
import string
import zlib

import numpy as np

import ember
from ember.vision.datasets import utils
from ember.vision.datasets.vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "KMNIST", "EMNIST", "read_sn3_pascalvincent_tensor",
           "read_image_file", "read_label_file"]

# IDX magic number: 0x00 0x00, a type code, the number of dimensions; then big-endian sizes.
_IDX_DTYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _exists(path):
    return os.path.isfile(path) or os.path.isfile(path + ".gz")


def _read_bytes(path):
    """The content of ``path`` (or of ``path.gz`` when only that exists), decompressed if gzip."""
    path = os.fspath(path)
    if not os.path.isfile(path) and os.path.isfile(path + ".gz"):
        path += ".gz"
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise RuntimeError(f"{path} is a corrupted gzip file: {error}") from error
    return path, data


def _read_idx(path, strict=True):
    """The array stored in the IDX file ``path``, in native byte order."""
    path, data = _read_bytes(path)
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] not in _IDX_DTYPES or data[3] == 0:
        magic = f"0x{data[:4].hex()}" if data else "missing (empty file)"
        raise RuntimeError(f"{path} is not an IDX file: its magic number is {magic}, expected "
                           "0x0000TTDD (TT: type code 08-0e, DD: number of dimensions)")
    ndim, dtype = data[3], np.dtype(_IDX_DTYPES[data[2]])
    offset = 4 + 4 * ndim
    if len(data) < offset:
        raise RuntimeError(f"{path} is truncated: its header needs {offset} bytes, got {len(data)}")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected, got = math.prod(shape) * dtype.itemsize, len(data) - offset
    if got < expected or (strict and got > expected):
        raise RuntimeError(f"{path} holds {got} bytes of data, but its header's shape "
                           f"{list(shape)} of {dtype.name} needs {expected}")
    array = np.frombuffer(data, dtype, count=math.prod(shape), offset=offset).reshape(shape)
    return path, array.astype(dtype.newbyteorder("="))


def read_sn3_pascalvincent_tensor(path, strict: bool = True):
    """Reads an IDX ("SN3 Pascal Vincent") file, raw or gzip-compressed, into a tensor.

    With ``strict=False``, bytes after the data the header describes are ignored; missing
    bytes are always an error.
    """
    return ember.from_numpy(_read_idx(path, strict)[1])


def _read_checked(path, ndim):
    path, array = _read_idx(path, strict=False)
    tensor = ember.from_numpy(array)
    if tensor.dtype != ember.uint8:
        raise TypeError(f"{path} should hold data of dtype ember.uint8 instead of {tensor.dtype}")
    if tensor.dim() != ndim:
        raise ValueError(f"{path} should hold {ndim}-dimensional data instead of "
                         f"{tensor.dim()}-dimensional")
    return tensor


def read_label_file(path):
    """The labels of an IDX label file (uint8, 1-d) as an int64 tensor."""
    return _read_checked(path, 1).long()


def read_image_file(path):
    """The images of an IDX image file (uint8, N x H x W) as a uint8 tensor."""
    return _read_checked(path, 3)


class MNIST(VisionDataset):
    """`MNIST <http://yann.lecun.com/exdb/mnist/>`_ Dataset.

    Args:
        root (str or ``pathlib.Path``): Root directory of dataset where
            ``MNIST/raw/train-images-idx3-ubyte`` and ``MNIST/raw/t10k-images-idx3-ubyte``
            (or their ``.gz`` files) exist.
        train (bool, optional): If True, creates dataset from ``train-images-idx3-ubyte``,
            otherwise from ``t10k-images-idx3-ubyte``.
        transform (callable, optional): A function/transform that takes in a PIL image and
            returns a transformed version. E.g, ``transforms.RandomCrop``
        target_transform (callable, optional): A function/transform that takes in the target and
            transforms it.
        download (bool, optional): If True, downloads the dataset from the internet and puts it in
            root directory. If dataset is already downloaded, it is not downloaded again.
    """

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root, train: bool = True, transform=None, target_transform=None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        utils._download_or_check(self, download)
        self.data, self.targets = self._load_data()

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def images_file(self) -> str:
        return os.path.join(self.raw_folder, f"{self._file_prefix}-images-idx3-ubyte")

    @property
    def labels_file(self) -> str:
        return os.path.join(self.raw_folder, f"{self._file_prefix}-labels-idx1-ubyte")

    @property
    def _file_prefix(self) -> str:
        return "train" if self.train else "t10k"

    @property
    def class_to_idx(self) -> dict:
        return {name: i for i, name in enumerate(self.classes)}

    def _check_exists(self) -> bool:
        return _exists(self.images_file) and _exists(self.labels_file)

    def _load_data(self):
        data, targets = read_image_file(self.images_file), read_label_file(self.labels_file)
        if len(data) != len(targets):
            raise RuntimeError(f"{self.images_file} holds {len(data)} images but "
                               f"{self.labels_file} holds {len(targets)} labels")
        return data, targets

    def __getitem__(self, index: int):
        """Returns ``(image, target)``: a PIL image of mode 'L' and the index of its class."""
        from PIL import Image

        img, target = Image.fromarray(self.data[index].numpy()), int(self.targets[index])
        return self._transform_pair(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def download(self) -> None:
        """Downloads the IDX files (trying each mirror in turn) unless they are present."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            self._download_from_mirrors(filename, md5)

    def _download_from_mirrors(self, filename, md5):
        errors = []
        for mirror in self.mirrors:
            try:
                utils.download_and_extract_archive(f"{mirror}{filename}", self.raw_folder,
                                             filename=filename, md5=md5)
                return
            except RuntimeError as error:
                errors.append(f"Tried {mirror}{filename}, got:\n{error}")
        raise RuntimeError(f"Error downloading {filename}:\n" + "\n".join(errors))

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    """`Fashion-MNIST <https://github.com/zalandoresearch/fashion-mnist>`_ Dataset.

    Same arguments as :class:`MNIST`, with files under ``root/FashionMNIST/raw``.
    """

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]


class KMNIST(MNIST):
    """`Kuzushiji-MNIST <https://github.com/rois-codh/kmnist>`_ Dataset.

    Same arguments as :class:`MNIST`, with files under ``root/KMNIST/raw``.
    """

    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


class EMNIST(MNIST):
    """`EMNIST <https://www.westernsydney.edu.au/bens/home/reproducible_research/emnist>`_ Dataset.

    Args:
        root (str or ``pathlib.Path``): Root directory of dataset where
            ``EMNIST/raw/emnist-<split>-<train|test>-images-idx3-ubyte`` exist.
        split (string): One of ``byclass``, ``bymerge``, ``balanced``, ``letters``, ``digits``
            and ``mnist``.
        **kwargs: ``train``, ``transform``, ``target_transform`` and ``download``, as in
            :class:`MNIST`.
    """

    url = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"
    md5 = "58c8d27c78d21e728a6bc7b3cc06412e"
    splits = ("byclass", "bymerge", "balanced", "letters", "digits", "mnist")
    # Merged classes: the upper and lower case letters that look alike.
    _merged_classes = set("cijklmopsuvwxyz")
    _all_classes = set(string.digits + string.ascii_letters)
    classes_split_dict = {
        "byclass": sorted(_all_classes),
        "bymerge": sorted(_all_classes - _merged_classes),
        "balanced": sorted(_all_classes - _merged_classes),
        "letters": ["N/A"] + list(string.ascii_lowercase),
        "digits": list(string.digits),
        "mnist": list(string.digits),
    }

    def __init__(self, root, split: str, **kwargs) -> None:
        self.split = utils.verify_str_arg(split, "split", self.splits)
        super().__init__(root, **kwargs)
        self.classes = self.classes_split_dict[self.split]

    @property
    def _file_prefix(self) -> str:
        return f"emnist-{self.split}-{'train' if self.train else 'test'}"

    def download(self) -> None:
        """Downloads and extracts the EMNIST archive unless the split's files are present."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        utils.download_and_extract_archive(self.url, self.raw_folder, md5=self.md5)
        gzip_folder = os.path.join(self.raw_folder, "gzip")
        for name in os.listdir(gzip_folder):
            if name.endswith(".gz"):
                utils.extract_archive(os.path.join(gzip_folder, name), self.raw_folder)
        shutil.rmtree(gzip_folder)
