"""DataLoader throughput (images/s): ember vs PyTorch on CIFAR-sized images.

    python bench/bench_dataloader.py                  # num_workers 0 and 2
    python bench/bench_dataloader.py --workers 0 2 4 --images 20000

The dataset holds uint8 CIFAR-sized images and, like torchvision's CIFAR10, hands each one to
the library's transforms as a PIL image: ``RandomCrop(32, padding=4)``,
``RandomHorizontalFlip()``, ``ToTensor()``, ``Normalize`` with CIFAR-10's mean and std
(``ember.vision.transforms`` against ``torchvision.transforms``). ``--pipeline numpy`` swaps in
the same augmentation written in NumPy, to measure the loader alone. Batches of 128 are drawn
from a shuffled loader with fresh (non-persistent) workers per epoch, worker start-up included;
each figure is the best of ``--epochs`` epochs, alternating between the libraries, with the
least CPU time per image of all processes (main and workers), which depends less on the load of
a shared machine. The loop only receives the batches, so the figures measure the loader.
"""

import argparse
import os
import platform
import resource
import time

import numpy as np

MEAN = np.array([0.4914, 0.4822, 0.4465], dtype=np.float32).reshape(3, 1, 1)
STD = np.array([0.2470, 0.2435, 0.2616], dtype=np.float32).reshape(3, 1, 1)


def make_transforms_dataset_class(lib, transforms):
    """CIFAR-like images through ``transforms`` (ember.vision's or torchvision's)."""
    from PIL import Image

    pipeline = transforms.Compose([
        transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
        transforms.ToTensor(), transforms.Normalize(MEAN.ravel(), STD.ravel())])

    class TransformedImages(lib.utils.data.Dataset):
        def __init__(self, images, labels):
            self.images, self.labels = images.transpose(0, 2, 3, 1).copy(), labels

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, index):
            return pipeline(Image.fromarray(self.images[index])), int(self.labels[index])

    return TransformedImages


def make_dataset_class(lib):
    """The augmented CIFAR-like dataset in NumPy, returning ``lib`` tensors."""

    class AugmentedImages(lib.utils.data.Dataset):
        def __init__(self, images, labels):
            # Zero padding done once: a random crop of the 40x40 image is a slice.
            self.padded = np.pad(images, ((0, 0), (0, 0), (4, 4), (4, 4)))
            self.labels = labels
            self.scale = (1 / (255 * STD)).astype(np.float32)
            self.shift = (MEAN / STD).astype(np.float32)

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, index):
            top, left = np.random.randint(0, 9, size=2)
            image = self.padded[index, :, top:top + 32, left:left + 32]
            if np.random.rand() < 0.5:
                image = image[:, :, ::-1]
            image = image.astype(np.float32) * self.scale - self.shift
            return lib.from_numpy(image), int(self.labels[index])

    return AugmentedImages


def cpu_seconds():
    """CPU time of this process and of its reaped children (the workers of past epochs)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def epoch(loader):
    """Images per second and CPU microseconds per image (all processes) over one epoch."""
    start, cpu_start = time.perf_counter(), cpu_seconds()
    count = 0
    for inputs, _ in loader:
        count += len(inputs)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    return count / wall, cpu / count * 1e6


def best_epochs(datasets, libs, num_workers, epochs):
    """Each library's best images/s and least CPU per image; epochs alternate between the
    libraries, so a change in the load of the machine affects both alike."""
    loaders = [lib.utils.data.DataLoader(dataset, batch_size=128, shuffle=True,
                                         num_workers=num_workers)
               for lib, dataset in zip(libs, datasets)]
    runs = [[epoch(loader) for loader in loaders] for _ in range(epochs)]
    return [(max(rate for rate, _ in column), min(cpu for _, cpu in column))
            for column in zip(*runs)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--pipeline", choices=["transforms", "numpy"], default="transforms")
    args = parser.parse_args(argv)
    import torch
    import torchvision

    import ember
    import ember.vision

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (args.images, 3, 32, 32), dtype=np.uint8)
    labels = rng.integers(0, 10, args.images)
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, NumPy {np.__version__}, torch {torch.__version__}")
    print(f"{'num_workers':<12}{'ember img/s':>12}{'torch img/s':>12}{'ratio':>7}"
          f"{'ember CPU us/img':>18}{'torch CPU us/img':>18}")
    if args.pipeline == "transforms":
        datasets = [make_transforms_dataset_class(lib, vision.transforms)(images, labels)
                    for lib, vision in ((ember, ember.vision), (torch, torchvision))]
    else:
        datasets = [make_dataset_class(lib)(images, labels) for lib in (ember, torch)]
    for num_workers in args.workers:
        (rate, cpu), (torch_rate, torch_cpu) = best_epochs(datasets, (ember, torch), num_workers,
                                                           args.epochs)
        print(f"{num_workers:<12}{rate:>12.0f}{torch_rate:>12.0f}{rate / torch_rate:>7.2f}"
              f"{cpu:>18.1f}{torch_cpu:>18.1f}")


if __name__ == "__main__":
    main()
