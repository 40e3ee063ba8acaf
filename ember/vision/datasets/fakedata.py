"""FakeData: random images, the same for a given index."""

import ember
from ember.vision.datasets.vision import VisionDataset

__all__ = ["FakeData"]


class FakeData(VisionDataset):
    """A fake dataset of randomly generated PIL images.

    Item ``index`` is drawn from a generator seeded with ``index + random_offset``, so it is the
    same at every access; the default generator is left untouched.

    Args:
        size (int, optional): Size of the dataset. Default: 1000 images
        image_size (tuple, optional): Size (C, H, W) of the returned images.
            Default: (3, 224, 224)
        num_classes (int, optional): Number of classes in the dataset. Default: 10
        transform (callable, optional): A function/transform that takes in a PIL image and
            returns a transformed version. E.g, ``transforms.RandomCrop``
        target_transform (callable, optional): A function/transform that takes in the target and
            transforms it.
        random_offset (int): Offsets the index-based random seed used to generate each image.
            Default: 0
    """

    def __init__(self, size: int = 1000, image_size=(3, 224, 224), num_classes: int = 10,
                 transform=None, target_transform=None, random_offset: int = 0) -> None:
        super().__init__(transform=transform, target_transform=target_transform)
        self.size = size
        self.num_classes = num_classes
        self.image_size = image_size
        self.random_offset = random_offset

    def __getitem__(self, index: int):
        """Returns ``(image, target)`` where target is the class index of the image."""
        from ember.vision.transforms.functional import to_pil_image

        if index >= len(self):
            raise IndexError(f"{type(self).__name__} index out of range")
        generator = ember.Generator().manual_seed(index + self.random_offset)
        img = to_pil_image(ember.randn(*self.image_size, generator=generator))
        target = int(ember.randint(0, self.num_classes, size=(1,), generator=generator))
        return self._transform_pair(img, target)

    def __len__(self) -> int:
        return self.size
