"""ember.vision.transforms: parity with torchvision on PIL images and tensors, hand-computed
padding, reproducibility under ``manual_seed`` and torchvision's errors on bad input."""

import subprocess
import sys

import numpy as np
import pytest

import ember
import ember.vision.transforms as T
import ember.vision.transforms.functional as F

PIL = pytest.importorskip("PIL")
from PIL import Image  # noqa: E402

HEIGHT, WIDTH = 23, 31


@pytest.fixture
def torchvision(torch):
    """torchvision, the oracle; tests that take it skip when it is not installed."""
    return pytest.importorskip("torchvision")


def _pixels(shape, seed=0):
    return np.random.RandomState(seed).randint(0, 256, shape, dtype=np.uint8)


def make_image(kind):
    """The test image as a numpy array: ``pil`` (H x W x 3), ``uint8`` / ``float32`` /
    ``float64`` (3 x H x W) or ``batch`` (2 x 3 x H x W uint8)."""
    if kind == "batch":
        return _pixels((2, 3, HEIGHT, WIDTH), seed=1)
    pixels = _pixels((HEIGHT, WIDTH, 3))
    if kind == "pil":
        return pixels
    chw = np.ascontiguousarray(pixels.transpose(2, 0, 1))
    return chw if kind == "uint8" else (chw / 255).astype(kind)


def as_input(lib, array, kind):
    """``array`` as ``lib``'s image: a PIL image for ``pil``, else a tensor of ``lib``."""
    if kind == "pil":
        return Image.fromarray(array)
    return lib.from_numpy(array.copy())


def assert_same(actual, expected):
    """Same type, size and values: within 1 for integer pixels, 1e-5 (relative and absolute)
    for floats."""
    if isinstance(expected, (tuple, list)):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same(a, e)
        return
    if isinstance(expected, Image.Image):
        assert isinstance(actual, Image.Image)
        assert (actual.mode, actual.size) == (expected.mode, expected.size)
        actual, expected = np.asarray(actual), np.asarray(expected)
    else:
        assert isinstance(actual, ember.Tensor)
        assert str(actual.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
        actual, expected = actual.numpy(force=True), expected.numpy(force=True)
    assert actual.shape == expected.shape
    tolerance = (1e-5, 1e-5) if expected.dtype.kind == "f" else (0, 1)
    np.testing.assert_allclose(actual.astype(np.float64), expected.astype(np.float64),
                               *tolerance)


ALL = ("pil", "uint8", "float32", "batch")
TENSORS = ("uint8", "float32", "float64", "batch")
COLOR = ("pil", "uint8", "float32", "batch")  # 8-bit-only ops drop float32

# (id, fn(lib, F, img), kinds): fn runs with lib=ember, F=ember's functional and with
# lib=torch, F=torchvision's functional.
FUNCTIONAL_CASES = [
    ("resize_int", lambda lib, F, x: F.resize(x, 15), ALL),
    ("resize_int_max_size", lambda lib, F, x: F.resize(x, 15, max_size=18), ALL),
    ("resize_up_bilinear", lambda lib, F, x: F.resize(x, [40, 50]), ALL),
    ("resize_down_no_antialias", lambda lib, F, x: F.resize(x, [9, 12], antialias=False),
     TENSORS),
    ("resize_nearest", lambda lib, F, x: F.resize(x, [17, 45], F.InterpolationMode.NEAREST),
     ALL),
    ("resize_nearest_exact",
     lambda lib, F, x: F.resize(x, [10, 14], F.InterpolationMode.NEAREST_EXACT), TENSORS),
    ("resize_bicubic", lambda lib, F, x: F.resize(x, [12, 60], F.InterpolationMode.BICUBIC),
     ALL),
    ("resize_bicubic_no_antialias",
     lambda lib, F, x: F.resize(x, [12, 60], F.InterpolationMode.BICUBIC, antialias=False),
     TENSORS),
    ("resize_pil_int_mode", lambda lib, F, x: F.resize(x, [11, 13], 3), ALL),
    ("resize_lanczos", lambda lib, F, x: F.resize(x, [11, 13], F.InterpolationMode.LANCZOS),
     ("pil",)),
    ("resize_box", lambda lib, F, x: F.resize(x, [11, 13], F.InterpolationMode.BOX), ("pil",)),
    ("pad_int", lambda lib, F, x: F.pad(x, 3), ALL),
    ("pad_fill", lambda lib, F, x: F.pad(x, [2, 5], fill=7), ALL),
    ("pad_edge", lambda lib, F, x: F.pad(x, [1, 2, 3, 4], padding_mode="edge"), ALL),
    ("pad_reflect", lambda lib, F, x: F.pad(x, [4, 3], padding_mode="reflect"), ALL),
    ("pad_symmetric", lambda lib, F, x: F.pad(x, [5, 1, 0, 2], padding_mode="symmetric"), ALL),
    ("pad_negative", lambda lib, F, x: F.pad(x, [-2, 3, 4, -1], padding_mode="reflect"), ALL),
    ("crop", lambda lib, F, x: F.crop(x, 2, 3, 10, 12), ALL),
    ("crop_outside", lambda lib, F, x: F.crop(x, -3, 20, 20, 20), ALL),
    ("center_crop", lambda lib, F, x: F.center_crop(x, 10), ALL),
    ("center_crop_larger", lambda lib, F, x: F.center_crop(x, [30, 40]), ALL),
    ("resized_crop", lambda lib, F, x: F.resized_crop(x, 2, 4, 15, 20, [8, 8]), ALL),
    ("hflip", lambda lib, F, x: F.hflip(x), ALL),
    ("vflip", lambda lib, F, x: F.vflip(x), ALL),
    ("five_crop", lambda lib, F, x: F.five_crop(x, [10, 12]), ALL),
    ("ten_crop", lambda lib, F, x: F.ten_crop(x, 9), ALL),
    ("ten_crop_vertical", lambda lib, F, x: F.ten_crop(x, 9, vertical_flip=True), ALL),
    ("rotate", lambda lib, F, x: F.rotate(x, 33.3), ALL),
    ("rotate_bilinear_expand",
     lambda lib, F, x: F.rotate(x, -50, F.InterpolationMode.BILINEAR, expand=True), ALL),
    ("rotate_center_fill", lambda lib, F, x: F.rotate(x, 70, center=[3, 5], fill=[9, 80, 200]),
     ("pil", "uint8", "batch")),
    ("rotate_bilinear_fill",
     lambda lib, F, x: F.rotate(x, 12, F.InterpolationMode.BILINEAR, fill=[0.2, 0.5, 1.0]),
     ("float32", "float64")),
    ("affine", lambda lib, F, x: F.affine(x, 20, [3, -4], 0.8, [10, 5]), ALL),
    ("affine_bilinear_center_fill",
     lambda lib, F, x: F.affine(x, -15.5, [2, 1], 1.3, 8, F.InterpolationMode.BILINEAR,
                                fill=[50, 60, 70], center=[10, 12]), ("pil", "uint8", "batch")),
    ("perspective", lambda lib, F, x: F.perspective(
        x, [[0, 0], [30, 0], [30, 22], [0, 22]], [[3, 5], [28, 2], [25, 20], [6, 19]]), ALL),
    ("perspective_nearest_fill", lambda lib, F, x: F.perspective(
        x, [[0, 0], [30, 0], [30, 22], [0, 22]], [[3, 5], [28, 2], [25, 20], [6, 19]],
        F.InterpolationMode.NEAREST, fill=[1, 2, 3]), ("pil", "uint8", "batch")),
    ("brightness", lambda lib, F, x: F.adjust_brightness(x, 1.6), ALL),
    ("contrast", lambda lib, F, x: F.adjust_contrast(x, 0.4), ALL),
    ("saturation", lambda lib, F, x: F.adjust_saturation(x, 1.8), ALL),
    ("hue", lambda lib, F, x: F.adjust_hue(x, -0.3), ALL),
    ("hue_half", lambda lib, F, x: F.adjust_hue(x, 0.5), ALL),
    ("gamma", lambda lib, F, x: F.adjust_gamma(x, 0.6, gain=1.1), ALL),
    ("sharpness", lambda lib, F, x: F.adjust_sharpness(x, 1.7), ALL),
    ("invert", lambda lib, F, x: F.invert(x), ALL),
    ("posterize", lambda lib, F, x: F.posterize(x, 3), ("pil", "uint8", "batch")),
    ("solarize", lambda lib, F, x: F.solarize(x, 100), ("pil", "uint8", "batch")),
    ("autocontrast", lambda lib, F, x: F.autocontrast(x), ALL),
    ("equalize", lambda lib, F, x: F.equalize(x), ("pil", "uint8", "batch")),
    ("grayscale", lambda lib, F, x: F.rgb_to_grayscale(x), ALL),
    ("grayscale_3", lambda lib, F, x: F.rgb_to_grayscale(x, 3), ALL),
    ("gaussian_blur", lambda lib, F, x: F.gaussian_blur(x, 3), ALL),
    ("gaussian_blur_sigma", lambda lib, F, x: F.gaussian_blur(x, [5, 9], [1.5, 0.7]), ALL),
    ("normalize", lambda lib, F, x: F.normalize(x, [0.4, 0.5, 0.6], [0.2, 0.3, 0.1]),
     ("float32", "float64")),
    ("to_uint8", lambda lib, F, x: F.convert_image_dtype(x, lib.uint8), ("float32", "float64")),
    ("to_float", lambda lib, F, x: F.convert_image_dtype(x, lib.float64), ("uint8", "batch")),
    ("to_int16", lambda lib, F, x: F.convert_image_dtype(x, lib.int16), ("uint8", "float64")),
    ("erase", lambda lib, F, x: F.erase(x, 2, 3, 4, 5, lib.tensor([0.1, 0.5, 0.9])[:, None, None]),
     ("float32", "float64")),
    ("dimensions", lambda lib, F, x: lib.tensor(F.get_dimensions(x) + F.get_image_size(x)),
     ALL),
]

FUNCTIONAL_PARAMS = [pytest.param(fn, kind, id=f"{name}-{kind}")
                     for name, fn, kinds in FUNCTIONAL_CASES for kind in kinds]


@pytest.mark.parametrize("fn, kind", FUNCTIONAL_PARAMS)
def test_functional_matches_torchvision(fn, kind, torch, torchvision):
    import torchvision.transforms.functional as TF

    array = make_image(kind)
    actual = fn(ember, F, as_input(ember, array, kind))
    expected = fn(torch, TF, as_input(torch, array, kind))
    assert_same(actual, expected)


@pytest.mark.parametrize("kind", ["uint8", "float32"])
@pytest.mark.parametrize("angle", [0, 45, 90, -135, 180])
@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_rotate_angles_match_torchvision(angle, mode, kind, torch, torchvision):
    import torchvision.transforms.functional as TF

    array = make_image(kind)
    fn = lambda lib, F, x: F.rotate(x, angle, F.InterpolationMode(mode), expand=True)  # noqa: E731
    assert_same(fn(ember, F, as_input(ember, array, kind)),
                fn(torch, TF, as_input(torch, array, kind)))


def test_elastic_transform_matches_torchvision(torch, torchvision):
    import torchvision.transforms.functional as TF

    image = make_image("float32")
    displacement = (np.random.RandomState(2).rand(1, HEIGHT, WIDTH, 2) - 0.5).astype("float32")
    actual = F.elastic_transform(ember.from_numpy(image), ember.from_numpy(displacement))
    expected = TF.elastic_transform(torch.from_numpy(image), torch.from_numpy(displacement))
    assert_same(actual, expected)


# ------------------------------------------------------------------------ conversions
PIL_MODES = ["RGB", "L", "RGBA", "LA", "I", "F", "1", "P", "CMYK", "YCbCr", "HSV"]


@pytest.mark.parametrize("mode", PIL_MODES)
def test_to_tensor_matches_torchvision(mode, torch, torchvision):
    import torchvision.transforms.functional as TF

    image = Image.fromarray(make_image("pil")).convert(mode)
    assert_same(T.ToTensor()(image), TF.to_tensor(image))
    assert_same(T.PILToTensor()(image), TF.pil_to_tensor(image))


@pytest.mark.parametrize("shape", [(HEIGHT, WIDTH), (HEIGHT, WIDTH, 1), (HEIGHT, WIDTH, 3)])
@pytest.mark.parametrize("dtype", ["uint8", "float32", "int16"])
def test_to_tensor_of_ndarray_matches_torchvision(shape, dtype, torch, torchvision):
    import torchvision.transforms.functional as TF

    array = (np.random.RandomState(3).rand(*shape) * 200).astype(dtype)
    assert_same(F.to_tensor(array), TF.to_tensor(array))


TO_PIL_CASES = [((1, 5, 6), "uint8", None), ((1, 5, 6), "float32", None),
                ((1, 5, 6), "float32", "F"), ((3, 5, 6), "float32", None),
                ((3, 5, 6), "float64", None), ((3, 5, 6), "uint8", "HSV"),
                ((3, 5, 6), "uint8", "YCbCr"), ((4, 5, 6), "uint8", None),
                ((4, 5, 6), "uint8", "CMYK"), ((4, 5, 6), "uint8", "RGBX"),
                ((2, 5, 6), "uint8", None), ((2, 5, 6), "float32", "LA"),
                ((1, 5, 6), "int16", None), ((1, 5, 6), "int32", None), ((5, 6), "uint8", None)]


@pytest.mark.parametrize("shape, dtype, mode", TO_PIL_CASES)
def test_to_pil_image_matches_torchvision(shape, dtype, mode, torch, torchvision):
    import torchvision.transforms as TT

    array = np.random.RandomState(4).rand(*shape)
    array = array.astype(dtype) if dtype.startswith("float") else (array * 200).astype(dtype)
    assert_same(T.ToPILImage(mode)(ember.from_numpy(array.copy())),
                TT.ToPILImage(mode)(torch.from_numpy(array.copy())))
    if array.ndim == 3:  # ndarrays are H x W x C
        hwc = np.ascontiguousarray(array.transpose(1, 2, 0))
        assert_same(F.to_pil_image(hwc, mode), TT.functional.to_pil_image(hwc, mode))


def test_to_pil_image_round_trip():
    pixels = make_image("pil")
    image = F.to_pil_image(F.to_tensor(Image.fromarray(pixels)))
    assert image.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(image), pixels)


# ------------------------------------------------------------------------ transform classes
def _transform_cases(lib, TT):
    """Deterministic transforms of ``TT`` (ember's or torchvision's ``transforms``)."""
    matrix = lib.from_numpy(np.random.RandomState(5).rand(27, 27).astype("float32"))
    mean = lib.from_numpy(np.linspace(0.1, 0.5, 27, dtype="float32"))
    return {
        "resize": (TT.Resize(20), ALL),
        "resize_tuple_nearest": (TT.Resize((10, 40), TT.InterpolationMode.NEAREST), ALL),
        "resize_pil_constant": (TT.Resize([14], interpolation=0, max_size=20), ALL),
        "center_crop": (TT.CenterCrop((12, 17)), ALL),
        "pad": (TT.Pad([1, 2], fill=(10, 20, 30), padding_mode="constant"), ("pil",)),
        "pad_symmetric": (TT.Pad(3, padding_mode="symmetric"), ALL),
        "five_crop": (TT.FiveCrop(7), ALL),
        "ten_crop": (TT.TenCrop((7, 9), vertical_flip=True), ALL),
        "grayscale": (TT.Grayscale(3), ALL),
        "normalize": (TT.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3)), ("float32", "float64")),
        "convert_dtype": (TT.ConvertImageDtype(lib.float32), ("uint8", "batch")),
        "compose": (TT.Compose([TT.CenterCrop(20), TT.Resize(10), TT.PILToTensor(),
                                TT.ConvertImageDtype(lib.float32)]), ("pil",)),
        "lambda": (TT.Lambda(lambda x: TT.functional.hflip(x)), ALL),
        "linear": (TT.Compose([TT.CenterCrop(3), TT.Lambda(lambda x: x.contiguous()),
                               TT.LinearTransformation(matrix, mean)]), ("float32",)),
        "flip_always": (TT.RandomHorizontalFlip(p=1.0), ALL),
        "vflip_never": (TT.RandomVerticalFlip(p=0.0), ALL),
        "grayscale_always": (TT.RandomGrayscale(p=1.0), ALL),
        "apply_always": (TT.RandomApply([TT.CenterCrop(9), TT.Pad(1)], p=1.0), ALL),
        "apply_never": (TT.RandomApply([TT.CenterCrop(9)], p=0.0), ALL),
        "invert_always": (TT.RandomInvert(p=1.0), ALL),
        "posterize_always": (TT.RandomPosterize(2, p=1.0), ("pil", "uint8")),
        "solarize_always": (TT.RandomSolarize(128, p=1.0), ("pil", "uint8")),
        "sharpness_always": (TT.RandomAdjustSharpness(0.3, p=1.0), ALL),
        "autocontrast_always": (TT.RandomAutocontrast(p=1.0), ALL),
        "equalize_always": (TT.RandomEqualize(p=1.0), ("pil", "uint8")),
        "erasing_never": (TT.RandomErasing(p=0.0), ("float32",)),
    }


TRANSFORM_PARAMS = [pytest.param(name, kind, id=f"{name}-{kind}")
                    for name, (_, kinds) in _transform_cases(ember, T).items() for kind in kinds]


@pytest.mark.parametrize("name, kind", TRANSFORM_PARAMS)
def test_transform_matches_torchvision(name, kind, torch, torchvision):
    import torchvision.transforms as TT

    array = make_image(kind)
    actual = _transform_cases(ember, T)[name][0](as_input(ember, array, kind))
    expected = _transform_cases(torch, TT)[name][0](as_input(torch, array, kind))
    assert_same(actual, expected)


# Random transforms: ember draws the parameters (get_params under a seed), torchvision's
# functional applies them; the transform itself under the same seed must give that output.
def _random_crop(TF, img, params, transform):
    if transform.padding is not None:
        img = TF.pad(img, transform.padding, transform.fill, transform.padding_mode)
    _, height, width = TF.get_dimensions(img)
    if transform.pad_if_needed and width < transform.size[1]:
        img = TF.pad(img, [transform.size[1] - width, 0], transform.fill, transform.padding_mode)
    if transform.pad_if_needed and height < transform.size[0]:
        img = TF.pad(img, [0, transform.size[0] - height], transform.fill,
                     transform.padding_mode)
    return TF.crop(img, *params)


def _padded_size(transform):
    padding = transform.padding or 0
    padding = [padding] * 2 if isinstance(padding, int) else padding
    return HEIGHT + 2 * padding[-1], WIDTH + 2 * padding[0]


def _crop_params(transform, img):
    height, width = _padded_size(transform)
    if transform.pad_if_needed:  # pads both sides by the missing size
        height += 2 * max(transform.size[0] - height, 0)
        width += 2 * max(transform.size[1] - width, 0)
    return T.RandomCrop.get_params(ember.zeros(1, height, width), transform.size)


def _interp(TF, transform):
    return TF.InterpolationMode(transform.interpolation.value)


def _fill(TF, img, fill):
    """The fill the transforms pass on: per channel floats for tensors."""
    if isinstance(img, Image.Image):
        return fill
    channels = TF.get_dimensions(img)[0]
    return [float(fill)] * channels if isinstance(fill, (int, float)) else [float(f)
                                                                              for f in fill]


RANDOM_CASES = {
    "random_crop": (
        lambda: T.RandomCrop(20, padding=4, fill=(5, 6, 7), padding_mode="constant"),
        _crop_params, _random_crop, ("pil",)),
    "random_crop_reflect": (
        lambda: T.RandomCrop((21, 25), padding=[2, 3], padding_mode="reflect"),
        _crop_params, _random_crop, ALL),
    "random_crop_pad_if_needed": (
        lambda: T.RandomCrop((30, 40), pad_if_needed=True, fill=9, padding_mode="constant"),
        _crop_params, _random_crop, ALL),
    "random_crop_edge": (
        lambda: T.RandomCrop(25, padding=3, pad_if_needed=True, padding_mode="edge"),
        _crop_params, _random_crop, ALL),
    "random_crop_symmetric": (
        lambda: T.RandomCrop(24, padding=[1, 2, 3, 4], padding_mode="symmetric"),
        lambda t, img: T.RandomCrop.get_params(ember.zeros(1, HEIGHT + 6, WIDTH + 4), t.size),
        _random_crop, ALL),
    "random_resized_crop": (
        lambda: T.RandomResizedCrop(16, scale=(0.2, 0.9)),
        lambda t, img: t.get_params(img, t.scale, t.ratio),
        lambda TF, img, p, t: TF.resized_crop(img, *p, list(t.size), _interp(TF, t)), ALL),
    "random_resized_crop_bicubic": (
        lambda: T.RandomResizedCrop((12, 20), interpolation=T.InterpolationMode.BICUBIC,
                                    ratio=(0.5, 2.0)),
        lambda t, img: t.get_params(img, t.scale, t.ratio),
        lambda TF, img, p, t: TF.resized_crop(img, *p, list(t.size), _interp(TF, t)), ALL),
    "random_rotation": (
        lambda: T.RandomRotation(40, interpolation=T.InterpolationMode.BILINEAR, expand=True,
                                 fill=3),
        lambda t, img: t.get_params(t.degrees),
        lambda TF, img, p, t: TF.rotate(img, p, _interp(TF, t), t.expand, t.center,
                                        _fill(TF, img, t.fill)), ALL),
    "random_rotation_center": (
        lambda: T.RandomRotation((10, 80), center=(4, 6), fill=(1, 2, 3)),
        lambda t, img: t.get_params(t.degrees),
        lambda TF, img, p, t: TF.rotate(img, p, _interp(TF, t), t.expand, t.center,
                                        _fill(TF, img, t.fill)), ALL),
    "random_affine": (
        lambda: T.RandomAffine(25, translate=(0.1, 0.2), scale=(0.7, 1.2), shear=(-5, 5, 2, 8),
                               fill=(10, 20, 30)),
        lambda t, img: t.get_params(t.degrees, t.translate, t.scale, t.shear,
                                    F.get_image_size(img)),
        lambda TF, img, p, t: TF.affine(img, *p, interpolation=_interp(TF, t),
                                        fill=_fill(TF, img, t.fill), center=t.center), ALL),
    "random_affine_bilinear": (
        lambda: T.RandomAffine((-10, 30), shear=12, center=(5, 5),
                               interpolation=T.InterpolationMode.BILINEAR),
        lambda t, img: t.get_params(t.degrees, t.translate, t.scale, t.shear,
                                    F.get_image_size(img)),
        lambda TF, img, p, t: TF.affine(img, *p, interpolation=_interp(TF, t),
                                        fill=_fill(TF, img, t.fill), center=t.center), ALL),
    "random_perspective": (
        lambda: T.RandomPerspective(0.6, p=1.0, fill=4),
        lambda t, img: (ember.rand(1), t.get_params(WIDTH, HEIGHT, t.distortion_scale))[1],
        lambda TF, img, p, t: TF.perspective(img, *p, _interp(TF, t), _fill(TF, img, t.fill)),
        ALL),
    "gaussian_blur": (
        lambda: T.GaussianBlur((3, 7), sigma=(0.5, 2.5)),
        lambda t, img: t.get_params(*t.sigma),
        lambda TF, img, p, t: TF.gaussian_blur(img, list(t.kernel_size), [p, p]), ALL),
}


def _color_jitter(TF, img, params, transform):
    order, *factors = params
    adjust = (TF.adjust_brightness, TF.adjust_contrast, TF.adjust_saturation, TF.adjust_hue)
    for index in order.tolist():
        img = adjust[index](img, factors[index]) if factors[index] is not None else img
    return img


RANDOM_CASES["color_jitter"] = (
    lambda: T.ColorJitter(0.5, (0.3, 1.6), 0.7, 0.2),
    lambda t, img: t.get_params(t.brightness, t.contrast, t.saturation, t.hue),
    _color_jitter, ALL)
RANDOM_CASES["color_jitter_hue_only"] = (
    lambda: T.ColorJitter(hue=(-0.5, -0.1)),
    lambda t, img: t.get_params(t.brightness, t.contrast, t.saturation, t.hue),
    _color_jitter, ALL)


def _erase(TF, img, params, transform):
    i, j, h, w, v = params
    return TF.erase(img, i, j, h, w, _to_torch(v), transform.inplace)


RANDOM_CASES["random_erasing"] = (
    lambda: T.RandomErasing(p=1.0, value=(0.1, 0.2, 0.3)),
    lambda t, img: (ember.rand(1), t.get_params(img, t.scale, t.ratio, [0.1, 0.2, 0.3]))[1],
    _erase, ("float32", "float64"))
RANDOM_CASES["random_erasing_noise"] = (
    lambda: T.RandomErasing(p=1.0, scale=(0.1, 0.2), value="random"),
    lambda t, img: (ember.rand(1), t.get_params(img, t.scale, t.ratio, None))[1],
    _erase, ("float32", "float64"))

RANDOM_CASES["elastic"] = (
    lambda: T.ElasticTransform(alpha=30.0, sigma=(2.0, 1.5), fill=(1, 2, 3)),
    lambda t, img: t.get_params(t.alpha, t.sigma, [HEIGHT, WIDTH]),
    lambda TF, img, p, t: TF.elastic_transform(img, _to_torch(p), _interp(TF, t), t.fill),
    ("pil", "uint8", "float32"))


def _to_torch(tensor):
    import torch

    return torch.from_numpy(tensor.numpy().copy())


RANDOM_PARAMS = [pytest.param(name, kind, id=f"{name}-{kind}")
                 for name, (*_, kinds) in RANDOM_CASES.items() for kind in kinds]


@pytest.mark.parametrize("name, kind", RANDOM_PARAMS)
def test_random_transform_matches_torchvision(name, kind, torch, torchvision):
    import torchvision.transforms.functional as TF

    make, get_params, apply, _ = RANDOM_CASES[name]
    transform, array = make(), make_image(kind)
    for seed in range(3):
        ember.manual_seed(seed)
        params = get_params(transform, as_input(ember, array, kind))
        ember.manual_seed(seed)
        actual = transform(as_input(ember, array, kind))
        assert_same(actual, apply(TF, as_input(torch, array, kind), params, transform))


def test_random_choice_and_order_apply_drawn_transforms():
    image = ember.from_numpy(make_image("float32"))
    flips = [T.RandomHorizontalFlip(1.0), T.RandomVerticalFlip(1.0), T.Lambda(lambda x: x * 0)]
    for seed in range(5):
        ember.manual_seed(seed)
        index = int(ember.randint(0, 3, (1,)).item())
        ember.manual_seed(seed)
        assert ember.equal(T.RandomChoice(flips)(image), flips[index](image))
        ember.manual_seed(seed)
        order = ember.randperm(2).tolist()
        ember.manual_seed(seed)
        adds = [T.Lambda(lambda x: x + 1), T.Lambda(lambda x: x * 2)]
        expected = adds[order[1]](adds[order[0]](image))
        assert ember.equal(T.RandomOrder(adds)(image), expected)
    assert ember.equal(T.RandomChoice(flips, p=[0, 0, 1])(image), image * 0)


def test_random_flips_follow_probability():
    image = ember.from_numpy(make_image("uint8"))
    ember.manual_seed(0)
    flips = [not ember.equal(T.RandomHorizontalFlip()(image), image) for _ in range(400)]
    assert 0.4 < np.mean(flips) < 0.6


# ------------------------------------------------------------------------ padding, by hand
# Seed 003's example: [1, 2, 3, 4] padded by 2 on both sides.
PADDED_ROW = {
    "constant": [0, 0, 1, 2, 3, 4, 0, 0],
    "edge": [1, 1, 1, 2, 3, 4, 4, 4],
    "reflect": [3, 2, 1, 2, 3, 4, 3, 2],
    "symmetric": [2, 1, 1, 2, 3, 4, 4, 3],
}


@pytest.mark.parametrize("padding_mode", list(PADDED_ROW))
def test_padding_modes_on_seed_example(padding_mode):
    row = np.array([[1, 2, 3, 4]], dtype=np.uint8)
    expected = np.array([PADDED_ROW[padding_mode]], dtype=np.uint8)
    padded = F.pad(ember.from_numpy(row[None]), [2, 0], padding_mode=padding_mode)
    np.testing.assert_array_equal(padded.numpy(), expected[None])
    padded = T.Pad([2, 0], padding_mode=padding_mode)(Image.fromarray(row))
    np.testing.assert_array_equal(np.asarray(padded), expected)
    padded = F.pad(ember.tensor([[[1.0, 2, 3, 4]]]), [2, 0], padding_mode=padding_mode)
    np.testing.assert_array_equal(padded.numpy(), expected[None].astype(np.float32))


def test_pad_on_both_axes_by_hand():
    image = ember.tensor([[[1, 2], [3, 4]]])
    reflected = [[[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3]]]
    assert F.pad(image, [1, 1, 1, 0], padding_mode="reflect").tolist() == reflected
    symmetric = [[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4]]]
    assert F.pad(image, [1, 1, 1, 0], padding_mode="symmetric").tolist() == symmetric
    assert F.pad(image, [0, -1, 1, 0], padding_mode="edge").tolist() == [[[3, 4, 4]]]


# ------------------------------------------------------------------------ other behaviour
def augment():
    return T.Compose([T.RandomResizedCrop(16), T.RandomHorizontalFlip(), T.ColorJitter(0.4, 0.4,
                      0.4, 0.1), T.RandomRotation(15), T.ToTensor(),
                      T.RandomErasing(p=0.5), T.Normalize([0.5] * 3, [0.25] * 3)])


def test_augmentation_is_reproducible_under_manual_seed():
    image = Image.fromarray(make_image("pil"))
    outputs = []
    for seed in (7, 7, 8):
        ember.manual_seed(seed)
        outputs.append([augment()(image) for _ in range(3)])
    for first, second in zip(outputs[0], outputs[1]):
        assert ember.equal(first, second)
    assert not all(ember.equal(a, b) for a, b in zip(outputs[0], outputs[2]))


def test_transforms_draw_from_the_default_generator():
    image = ember.from_numpy(make_image("float32"))
    ember.manual_seed(3)
    state = ember.get_rng_state()
    first = T.RandomAffine(30, translate=(0.2, 0.2))(image)
    ember.set_rng_state(state)
    assert ember.equal(T.RandomAffine(30, translate=(0.2, 0.2))(image), first)


def test_normalize_inplace_and_gradient():
    image = ember.rand(3, 4, 5)
    copy = image.clone()
    out = T.Normalize([0.5, 0.5, 0.5], [0.5, 0.25, 2.0])(image)
    assert ember.equal(image, copy)
    assert ember.allclose(out[1], (copy[1] - 0.5) / 0.25)
    result = T.Normalize([0.5, 0.5, 0.5], [0.5, 0.25, 2.0], inplace=True)(image)
    assert result is image and ember.allclose(image, out)
    leaf = ember.rand(3, 2, 2, requires_grad=True)
    F.normalize(leaf, [0.0, 0.0, 0.0], [0.5, 0.25, 2.0]).sum().backward()
    assert leaf.grad[:, 0, 0].tolist() == [2.0, 4.0, 0.5]


def test_to_tensor_scales_uint8_to_unit_range():
    image = Image.fromarray(np.array([[0, 128, 255]], dtype=np.uint8))
    tensor = T.ToTensor()(image)
    assert tensor.dtype == ember.float32 and tensor.shape == (1, 1, 3)
    np.testing.assert_allclose(tensor.numpy().ravel(), [0, 128 / 255, 1], rtol=1e-6)
    assert T.PILToTensor()(image).dtype == ember.uint8


def test_reprs_match_torchvision(torch, torchvision):
    import torchvision.transforms as TT

    def build(TT):
        return [TT.Compose([TT.Resize(10), TT.ToTensor()]), TT.ToPILImage(), TT.ToPILImage("L"),
                TT.Normalize([0.5], [0.2]), TT.Resize((3, 4), TT.InterpolationMode.NEAREST, None,
                                                      False),
                TT.CenterCrop(5), TT.Pad(2, 1, "edge"), TT.Lambda(abs),
                TT.RandomApply([TT.CenterCrop(3)], 0.3), TT.RandomChoice([TT.Pad(1)]),
                TT.RandomOrder([TT.Pad(1), TT.Pad(2)]), TT.RandomCrop(32, padding=4),
                TT.RandomHorizontalFlip(), TT.RandomVerticalFlip(0.2),
                TT.RandomResizedCrop(224), TT.FiveCrop(4), TT.TenCrop(4, True),
                TT.ColorJitter(0.4, 0.3, (0.1, 0.9), 0.2), TT.RandomRotation(10),
                TT.RandomRotation((3, 20), TT.InterpolationMode.BILINEAR, True, (1, 2), 7),
                TT.RandomAffine(10, (0.1, 0.2), (0.5, 2), 5, TT.InterpolationMode.BILINEAR, 3),
                TT.Grayscale(3), TT.RandomGrayscale(), TT.RandomPerspective(),
                TT.RandomErasing(), TT.GaussianBlur(3, (0.2, 1.0)), TT.RandomInvert(),
                TT.RandomPosterize(3), TT.RandomSolarize(100), TT.RandomAdjustSharpness(2),
                TT.RandomAutocontrast(), TT.RandomEqualize(), TT.ElasticTransform(),
                TT.PILToTensor()]

    for ours, theirs in zip(build(T), build(TT)):
        assert repr(ours) == repr(theirs)


def test_transforms_are_modules_where_torchvision_has_modules(torch, torchvision):
    import torchvision.transforms as TT

    from ember.nn.modules.module import Module

    for name in T.__all__:
        if name == "InterpolationMode":
            continue
        assert issubclass(getattr(T, name), Module) == \
            issubclass(getattr(TT, name), torch.nn.Module), name


def test_import_does_not_load_pillow():
    code = ("import sys, ember, ember.vision.transforms as T; T.Normalize([0], [1]); "
            "assert 'PIL' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------------ errors
def _bad_std(lib, F, T):
    return T.Normalize([0.5, 0.5, 0.5], [0.5, 0.0, 0.5])(lib.rand(3, 4, 4))


def _crop_too_large(lib, F, T):
    return T.RandomCrop(40)(lib.zeros(3, HEIGHT, WIDTH))


def _pil(mode="RGB"):
    return Image.fromarray(make_image("pil")).convert(mode)


# (id, fn(lib, F, T), exception type, message regex for ember)
ERROR_CASES = [
    ("normalize_std_zero", _bad_std, ValueError,
     r"^std evaluated to zero after conversion to ember\.float32, leading to division by "
     r"zero\.$"),
    ("normalize_std_zero_float64",
     lambda lib, F, T: F.normalize(lib.zeros(3, 2, 2, dtype=lib.float64), [0.0], [0.0]),
     ValueError, "std evaluated to zero after conversion to ember.float64"),
    ("crop_larger_than_image", _crop_too_large, ValueError,
     r"Required crop size \(40, 40\) is larger than input image size \(23, 31\)"),
    ("crop_larger_than_pil_image", lambda lib, F, T: T.RandomCrop((30, 10))(_pil()), ValueError,
     r"Required crop size \(30, 10\) is larger than input image size \(23, 31\)"),
    ("five_crop_larger", lambda lib, F, T: F.five_crop(_pil(), 40), ValueError,
     "Requested crop size"),
    ("normalize_pil", lambda lib, F, T: F.normalize(_pil(), [0.5], [0.5]), TypeError,
     "img should be Tensor Image"),
    ("normalize_uint8", lambda lib, F, T: F.normalize(lib.zeros(3, 2, 2, dtype=lib.uint8),
                                                      [0.5], [0.5]),
     TypeError, r"Input tensor should be a float tensor. Got ember.uint8."),
    ("normalize_2d", lambda lib, F, T: F.normalize(lib.zeros(2, 2), [0.5], [0.5]), ValueError,
     r"Expected tensor to be a tensor image of size \(..., C, H, W\)"),
    ("to_tensor_str", lambda lib, F, T: T.ToTensor()("image.png"), TypeError,
     "pic should be PIL Image or ndarray. Got <class 'str'>"),
    ("to_tensor_4d", lambda lib, F, T: F.to_tensor(np.zeros((2, 2, 2, 2))), ValueError,
     "pic should be 2/3 dimensional. Got 4 dimensions."),
    ("pil_to_tensor_tensor", lambda lib, F, T: T.PILToTensor()(lib.zeros(3, 2, 2)), TypeError,
     "pic should be PIL Image"),
    ("to_pil_image_5_channels", lambda lib, F, T: F.to_pil_image(lib.zeros(5, 2, 2)),
     ValueError, "pic should not have > 4 channels. Got 5 channels."),
    ("to_pil_image_4d", lambda lib, F, T: F.to_pil_image(lib.zeros(1, 1, 2, 2)), ValueError,
     "pic should be 2/3 dimensional. Got 4 dimensions."),
    ("to_pil_image_wrong_mode",
     lambda lib, F, T: F.to_pil_image(lib.zeros(1, 2, 2, dtype=lib.uint8), "RGB"), ValueError,
     r"Incorrect mode \(RGB\) supplied for input type uint8. Should be L"),
    ("to_pil_image_3_channel_mode",
     lambda lib, F, T: F.to_pil_image(lib.zeros(3, 2, 2, dtype=lib.uint8), "L"), ValueError,
     r"Only modes \['RGB', 'YCbCr', 'HSV'\] are supported for 3D inputs"),
    ("to_pil_image_str", lambda lib, F, T: T.ToPILImage()("x"), TypeError,
     "pic should be Tensor or ndarray"),
    ("to_pil_image_int64", lambda lib, F, T: F.to_pil_image(lib.zeros(3, 2, 2, dtype=lib.int64)),
     TypeError, "Input type int64 is not supported"),
    ("hflip_str", lambda lib, F, T: F.hflip("image"), TypeError,
     "img should be PIL Image. Got <class 'str'>"),
    ("dimensions_str", lambda lib, F, T: F.get_dimensions("image"), TypeError,
     "Unexpected type <class 'str'>"),
    ("tensor_not_image", lambda lib, F, T: F.hflip(lib.zeros(3)), TypeError,
     "Tensor is not a torch image."),
    ("grayscale_2_channels", lambda lib, F, T: T.Grayscale()(lib.zeros(2, 3, 3)), TypeError,
     r"Input image tensor permitted channel values are \[1, 3\], but found 2"),
    ("grayscale_bad_output", lambda lib, F, T: T.Grayscale(2)(_pil()), ValueError,
     "num_output_channels should be either 1 or 3"),
    ("hue_out_of_range", lambda lib, F, T: F.adjust_hue(_pil(), 0.7), ValueError,
     r"hue_factor \(0.7\) is not in \[-0.5, 0.5\]."),
    ("brightness_negative", lambda lib, F, T: F.adjust_brightness(lib.zeros(3, 2, 2), -1),
     ValueError, r"brightness_factor \(-1\) is not non-negative."),
    ("jitter_negative", lambda lib, F, T: T.ColorJitter(contrast=-0.1), ValueError,
     "If contrast is a single number, it must be non negative."),
    ("jitter_hue_range", lambda lib, F, T: T.ColorJitter(hue=0.6), ValueError,
     "hue values should be between"),
    ("resize_3_sizes", lambda lib, F, T: F.resize(_pil(), [1, 2, 3]), ValueError,
     "Size must be an int or a 1 or 2 element tuple/list, not a 3 element tuple/list"),
    ("resize_float_size", lambda lib, F, T: T.Resize(3.5), TypeError,
     "Size should be int or sequence. Got <class 'float'>"),
    ("resize_interpolation_str", lambda lib, F, T: F.resize(_pil(), 3, "bilinear"), TypeError,
     "Argument interpolation should be a InterpolationMode"),
    ("resize_max_size_small", lambda lib, F, T: F.resize(_pil(), 10, max_size=10), ValueError,
     "max_size = 10 must be strictly greater than the requested size"),
    ("resize_max_size_pair", lambda lib, F, T: F.resize(_pil(), [10, 12], max_size=20),
     ValueError, "max_size should only be passed if size specifies the length"),
    ("pad_mode", lambda lib, F, T: T.Pad(2, padding_mode="wrap"), ValueError,
     "Padding mode should be either constant, edge, reflect or symmetric"),
    ("pad_3_values", lambda lib, F, T: F.pad(lib.zeros(3, 4, 4), [1, 2, 3]), ValueError,
     "Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element tuple"),
    ("pad_tensor_tuple_fill", lambda lib, F, T: F.pad(lib.zeros(3, 4, 4), 1, fill=(1, 2, 3)),
     TypeError, "Got inappropriate fill arg"),
    ("pad_reflect_too_wide",
     lambda lib, F, T: F.pad(lib.zeros(3, 3, 3), 3, padding_mode="reflect"), RuntimeError,
     "Padding size should be less than the corresponding input dimension"),
    ("pil_fill_channels", lambda lib, F, T: F.pad(_pil(), 1, fill=(1, 2)), ValueError,
     r"The number of elements in 'fill' does not match the number of channels of the image "
     r"\(2 != 3\)"),
    ("rotate_bicubic_tensor", lambda lib, F, T: F.rotate(
        lib.zeros(3, 4, 4), 10, F.InterpolationMode.BICUBIC), ValueError,
     "Interpolation mode 'bicubic' is unsupported with Tensor input"),
    ("rotate_fill_channels", lambda lib, F, T: F.rotate(lib.zeros(3, 4, 4), 10, fill=[1, 2]),
     ValueError, r"cannot broadcast to match the number of channels of the image \(2 != 3\)"),
    ("rotate_degrees_negative", lambda lib, F, T: T.RandomRotation(-5), ValueError,
     "If degrees is a single number, it must be positive."),
    ("affine_translate_range", lambda lib, F, T: T.RandomAffine(0, translate=(0.5, 1.5)),
     ValueError, "translation values should be between 0 and 1"),
    ("affine_scale", lambda lib, F, T: F.affine(_pil(), 0, [0, 0], 0, 0), ValueError,
     "Argument scale should be positive"),
    ("erase_pil", lambda lib, F, T: F.erase(_pil(), 0, 0, 1, 1, 0), TypeError,
     "img should be Tensor Image"),
    ("erasing_probability", lambda lib, F, T: T.RandomErasing(p=1.5), ValueError,
     "Random erasing probability should be between 0 and 1"),
    ("blur_even_kernel", lambda lib, F, T: T.GaussianBlur(4), ValueError,
     "Kernel size value should be an odd and positive number."),
    ("blur_sigma", lambda lib, F, T: F.gaussian_blur(lib.zeros(3, 5, 5), 3, -1.0), ValueError,
     r"sigma should have positive values. Got \[-1.0, -1.0\]"),
    ("convert_unsafe",
     lambda lib, F, T: F.convert_image_dtype(lib.zeros(3, 2, 2), lib.int32), RuntimeError,
     "The cast from ember.float32 to ember.int32 cannot be performed safely."),
    ("posterize_float", lambda lib, F, T: F.posterize(lib.zeros(3, 2, 2), 2), TypeError,
     "image tensors are supported, but found ember.float32"),
    ("lambda_not_callable", lambda lib, F, T: T.Lambda(3), TypeError,
     "Argument lambd should be callable, got 'int'"),
    ("random_choice_not_sequence", lambda lib, F, T: T.RandomChoice(T.Pad(1)), TypeError,
     "Argument transforms should be a sequence"),
    ("linear_not_square",
     lambda lib, F, T: T.LinearTransformation(lib.zeros(2, 3), lib.zeros(2)), ValueError,
     r"transformation_matrix should be square. Got \(2, 3\) rectangular matrix."),
    ("linear_wrong_input",
     lambda lib, F, T: T.LinearTransformation(lib.eye(4), lib.zeros(4))(lib.zeros(3, 2, 2)),
     ValueError, "Input tensor and transformation matrix have incompatible shape"),
]


@pytest.mark.parametrize("fn, error, match", [pytest.param(fn, error, match, id=name)
                                              for name, fn, error, match in ERROR_CASES])
def test_errors(fn, error, match):
    with pytest.raises(error, match=match):
        fn(ember, F, T)


@pytest.mark.parametrize("fn, error", [pytest.param(fn, error, id=name)
                                       for name, fn, error, _ in ERROR_CASES])
def test_errors_match_torchvision(fn, error, torch, torchvision):
    import torchvision.transforms as TT

    with pytest.raises(error):
        fn(torch, TT.functional, TT)
