"""CIFAR10 and CIFAR100, read from their python pickle batches."""

import os
import pickle

import numpy as np

from ember.vision.datasets import utils
from ember.vision.datasets.vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100"]


def _load_pickle(path):
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
    # Unpickling garbage raises almost any exception type (EOFError, KeyError, ValueError, ...).
    except Exception as error:
        raise RuntimeError(f"Could not unpickle {path}, it is corrupted: {error!r}") from error
    if not isinstance(entry, dict):
        raise RuntimeError(f"{path} should hold a dict, got {type(entry).__name__}")
    return entry


class CIFAR10(VisionDataset):
    """`CIFAR10 <https://www.cs.toronto.edu/~kriz/cifar.html>`_ Dataset.

    Args:
        root (str or ``pathlib.Path``): Root directory of dataset where directory
            ``cifar-10-batches-py`` exists or will be saved to if download is set to True.
        train (bool, optional): If True, creates dataset from training set, otherwise creates
            from test set.
        transform (callable, optional): A function/transform that takes in a PIL image and
            returns a transformed version. E.g, ``transforms.RandomCrop``
        target_transform (callable, optional): A function/transform that takes in the target and
            transforms it.
        download (bool, optional): If true, downloads the dataset from the internet and puts it
            in root directory. If the files are already there with the right md5 checksums, they
            are not downloaded again.

    Attributes:
        data (numpy.ndarray): the images, ``N x 32 x 32 x 3`` uint8.
        targets (list): the class index of each image.
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [
        ["test_batch", "40351d587109b95175f43aff81a1287e"],
    ]
    meta = {
        "filename": "batches.meta",
        "key": "label_names",
        "md5": "5ff9c542aee3614f3951f8cda6e48888",
    }

    def __init__(self, root, train: bool = True, transform=None, target_transform=None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        utils._download_or_check(self, download)
        self._load_meta()
        batches = [self._load_batch(name) for name, _ in self._split_list]
        data = np.concatenate([images for images, _ in batches]).reshape(-1, 3, 32, 32)
        # HWC, contiguous: Image.fromarray then reads each image without a copy.
        self.data = np.ascontiguousarray(data.transpose(0, 2, 3, 1))
        self.targets = [label for _, labels in batches for label in labels]

    @property
    def _split_list(self):
        return self.train_list if self.train else self.test_list

    def _path(self, filename):
        return os.path.join(self.root, self.base_folder, filename)

    def _load_batch(self, filename):
        path = self._path(filename)
        entry = _load_pickle(path)
        images, labels = entry.get("data"), entry.get("labels", entry.get("fine_labels"))
        if (not isinstance(images, np.ndarray) or images.dtype != np.uint8
                or images.shape[1:] != (3 * 32 * 32,) or labels is None
                or len(labels) != len(images)):
            raise RuntimeError(f"{path} is not a CIFAR batch: it should hold 'data', an N x 3072 "
                               "uint8 array, and N 'labels' (or 'fine_labels')")
        labels = [int(label) for label in labels]
        if labels and not 0 <= min(labels) <= max(labels) < len(self.classes):
            raise RuntimeError(f"The labels in {path} should lie in [0, {len(self.classes)}), got "
                               f"[{min(labels)}, {max(labels)}]")
        return images, labels

    def _load_meta(self) -> None:
        path = self._path(self.meta["filename"])
        self.classes = _load_pickle(path).get(self.meta["key"])
        if self.classes is None:
            raise RuntimeError(f"{path} has no '{self.meta['key']}' entry")
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index: int):
        """Returns ``(image, target)``: a PIL image of mode 'RGB' and the index of its class."""
        from PIL import Image

        img, target = Image.fromarray(self.data[index]), self.targets[index]
        return self._transform_pair(img, target)

    def __len__(self) -> int:
        return len(self.data)

    def _check_exists(self) -> bool:
        names = [name for name, _ in self._split_list] + [self.meta["filename"]]
        return all(os.path.isfile(self._path(name)) for name in names)

    def _check_integrity(self) -> bool:
        files = self.train_list + self.test_list + [[self.meta["filename"], self.meta["md5"]]]
        return all(utils.check_integrity(self._path(name), md5) for name, md5 in files)

    def download(self) -> None:
        """Downloads and extracts the archive unless every file is there with its md5."""
        if self._check_integrity():
            return
        utils.download_and_extract_archive(self.url, self.root, filename=self.filename,
                                           md5=self.tgz_md5)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class CIFAR100(CIFAR10):
    """`CIFAR100 <https://www.cs.toronto.edu/~kriz/cifar.html>`_ Dataset.

    This is a subclass of the :class:`CIFAR10` Dataset.
    """

    base_folder = "cifar-100-python"
    url = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
    filename = "cifar-100-python.tar.gz"
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    train_list = [
        ["train", "16019d7e3df5f24257cddd939b257f8d"],
    ]
    test_list = [
        ["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"],
    ]
    meta = {
        "filename": "meta",
        "key": "fine_label_names",
        "md5": "7973b15100ade9c7d40fb424638fde48",
    }
