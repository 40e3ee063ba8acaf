"""``ember.vision.datasets``: torchvision's datasets, read from their real on-disk formats."""

from ember.vision.datasets.cifar import CIFAR10, CIFAR100
from ember.vision.datasets.digits import Digits
from ember.vision.datasets.fakedata import FakeData
from ember.vision.datasets.folder import DatasetFolder, ImageFolder
from ember.vision.datasets.mnist import EMNIST, KMNIST, MNIST, FashionMNIST
from ember.vision.datasets.vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "DatasetFolder", "Digits", "EMNIST", "FakeData", "FashionMNIST",
           "ImageFolder", "KMNIST", "MNIST", "VisionDataset"]
