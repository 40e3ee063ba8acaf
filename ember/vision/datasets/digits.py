"""Digits: the 8x8 handwritten digits shipped with ember, so examples and tests run offline."""

import os

import numpy as np

import ember
from ember.vision.datasets.mnist import MNIST, _read_idx

__all__ = ["Digits"]

_DATA_FOLDER = os.path.join(os.path.dirname(__file__), "_data")
_TEST_PER_CLASS = 36


class Digits(MNIST):
    """The 8x8 `handwritten digits
    <https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits>`_
    (UCI ML repository, E. Alpaydin and C. Kaynak, CC BY 4.0): 1,797 images bundled with ember.

    The split is fixed and stratified: the last 36 images of each digit, in the file's order,
    form the test set (360 images), the other 1,437 the training set. Pixels, counts from 0 to
    16, are scaled to 0-255 (``round(x * 255 / 16)``, halves up), so items are
    ``(8x8 PIL image of mode 'L', int label)`` like :class:`MNIST`'s.

    Args:
        root (str or ``pathlib.Path``, optional): Only shown in ``repr``; the data ships with
            ember.
        train (bool, optional): If True, the training set, otherwise the test set.
        transform (callable, optional): A function/transform that takes in a PIL image and
            returns a transformed version. E.g, ``transforms.ToTensor``
        target_transform (callable, optional): A function/transform that takes in the target and
            transforms it.
        download (bool, optional): Accepted for compatibility; nothing is downloaded.

    Attributes:
        data (Tensor): the images, ``N x 8 x 8`` uint8 in [0, 255].
        targets (Tensor): the int64 labels.
        classes (list): ``"0 - zero"`` to ``"9 - nine"``, as in :class:`MNIST`.
    """

    mirrors = []
    resources = []
    raw_folder = _DATA_FOLDER
    images_file = os.path.join(_DATA_FOLDER, "digits-images-idx3-ubyte")
    labels_file = os.path.join(_DATA_FOLDER, "digits-labels-idx1-ubyte")

    def __init__(self, root=None, train: bool = True, transform=None, target_transform=None,
                 download: bool = False) -> None:
        super().__init__(root, train, transform, target_transform, download)

    def _load_data(self):
        _, images = _read_idx(self.images_file)
        _, labels = _read_idx(self.labels_file)
        test = np.zeros(len(labels), dtype=bool)
        for digit in range(10):
            test[np.flatnonzero(labels == digit)[-_TEST_PER_CLASS:]] = True
        split = ~test if self.train else test
        pixels = (images[split].astype(np.int32) * 255 + 8) // 16
        return (ember.from_numpy(pixels.astype(np.uint8)),
                ember.from_numpy(labels[split].astype(np.int64)))
