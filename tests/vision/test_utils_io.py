"""ember.vision.utils (make_grid, save_image) and ember.vision.io against torchvision."""

import io

import numpy as np
import pytest
from PIL import Image

import ember
from ember.vision import io as vio
from ember.vision.utils import make_grid, save_image

# torchvision 0.29 deprecates its image io in favour of TorchCodec.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def torchvision(torch):
    """torchvision, the oracle; tests that take it skip when it is not installed."""
    return pytest.importorskip("torchvision")


def _random(*shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).uniform(-1, 2, shape).astype(dtype)


# ----------------------------------------------------------------------------- make_grid
GRID_CASES = [
    ((4, 3, 5, 6), {}),
    ((10, 1, 4, 4), {"nrow": 3, "padding": 1, "pad_value": 0.5}),
    ((5, 3, 3, 2), {"nrow": 8, "padding": 0}),
    ((1, 3, 4, 4), {}),
    ((3, 4, 5), {}),
    ((1, 4, 5), {"padding": 3}),
    ((4, 5), {}),
    ((6, 3, 4, 4), {"normalize": True}),
    ((6, 3, 4, 4), {"normalize": True, "value_range": (-0.5, 0.5)}),
    ((6, 1, 4, 4), {"normalize": True, "scale_each": True}),
    ((3, 3, 4, 4), {"normalize": True, "scale_each": True, "value_range": (0.0, 1.0)}),
]


@pytest.mark.parametrize("shape, kwargs", GRID_CASES, ids=lambda case: str(case))
def test_make_grid_matches_torchvision(shape, kwargs, torch, torchvision):
    array = _random(*shape)
    result = make_grid(ember.tensor(array), **kwargs)
    expected = torchvision.utils.make_grid(torch.tensor(array), **kwargs)
    assert tuple(result.shape) == tuple(expected.shape) and result.dtype == ember.float32
    np.testing.assert_allclose(result.numpy(), expected.numpy(), rtol=1e-6, atol=1e-7)


def test_make_grid_list_constant_and_float64(torch, torchvision):
    images = [_random(3, 5, 5, seed=seed, dtype=np.float64) for seed in range(3)]
    result = make_grid([ember.tensor(image) for image in images], nrow=2, pad_value=-1)
    expected = torchvision.utils.make_grid([torch.tensor(image) for image in images], nrow=2,
                                           pad_value=-1)
    assert result.dtype == ember.float64
    np.testing.assert_array_equal(result.numpy(), expected.numpy())
    constant = np.full((2, 3, 2, 2), 0.25, dtype=np.float32)  # max == min: divides by 1e-5
    np.testing.assert_allclose(
        make_grid(ember.tensor(constant), normalize=True).numpy(),
        torchvision.utils.make_grid(torch.tensor(constant), normalize=True).numpy())


def test_make_grid_by_hand():
    batch = ember.stack([ember.full((1, 1, 1), 1.0), ember.full((1, 1, 1), 2.0)])
    grid = make_grid(batch, padding=1, pad_value=9)
    assert grid.tolist() == [[[9, 9, 9, 9, 9], [9, 1, 9, 2, 9], [9, 9, 9, 9, 9]]] * 3


def test_make_grid_leaves_its_input_alone():
    tensor = ember.tensor(_random(2, 3, 4, 4))
    before = tensor.clone()
    make_grid(tensor, normalize=True, value_range=(0.0, 0.5))
    assert ember.equal(tensor, before)


def test_make_grid_errors():
    with pytest.raises(TypeError, match="tensor or list of tensors expected, got a list "
                                        "containing <class 'int'>"):
        make_grid([ember.zeros(3, 2, 2), 1])
    with pytest.raises(TypeError, match="tensor or list of tensors expected, got <class"):
        make_grid(np.zeros((3, 2, 2)))
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        make_grid(ember.zeros(2, 3, 2, 2), normalize=True, value_range=[0, 1])


# ----------------------------------------------------------------------------- save_image
@pytest.mark.parametrize("shape, kwargs", [((3, 6, 7), {}), ((5, 1, 4, 4), {"nrow": 2}),
                                           ((4, 3, 4, 4), {"normalize": True, "padding": 1})])
def test_save_image_matches_torchvision(tmp_path, shape, kwargs, torch, torchvision):
    array = _random(*shape)
    save_image(ember.tensor(array), tmp_path / "ours.png", **kwargs)
    torchvision.utils.save_image(torch.tensor(array), tmp_path / "theirs.png", **kwargs)
    with Image.open(tmp_path / "ours.png") as ours, Image.open(tmp_path / "theirs.png") as theirs:
        assert ours.mode == theirs.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_save_image_to_a_file_object_rounds_to_nearest():
    buffer = io.BytesIO()
    values = ember.tensor([[[0.0, 0.5 / 255, 1.49 / 255, 1.51 / 255, 1.2, -0.3]]])
    save_image(values, buffer, format="PNG")
    pixels = np.asarray(Image.open(io.BytesIO(buffer.getvalue())))
    assert pixels[..., 0].tolist() == [[0, 1, 1, 2, 255, 0]]


# ----------------------------------------------------------------------------- io
def _encode(img, fmt="PNG", **kwargs):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def _images():
    """Encoded test images: PNG in each mode, JPEG color and gray, GIF."""
    rgba = np.random.default_rng(0).integers(0, 256, (13, 17, 4), dtype=np.uint8)
    palette = Image.fromarray(rgba[..., :3]).convert("P")
    transparent = palette.copy()
    transparent.info["transparency"] = 3
    return {
        "L": _encode(Image.fromarray(rgba[..., 0])),
        "LA": _encode(Image.fromarray(rgba).convert("LA")),
        "RGB": _encode(Image.fromarray(rgba[..., :3])),
        "RGBA": _encode(Image.fromarray(rgba)),
        "P": _encode(palette),
        "P-transparent": _encode(transparent),
        "1": _encode(Image.fromarray(rgba[..., 0] > 128)),
        "jpeg": _encode(Image.fromarray(rgba[..., :3]), "JPEG", quality=90),
        "jpeg-L": _encode(Image.fromarray(rgba[..., 0]), "JPEG"),
        "gif": _encode(palette, "GIF"),
    }


IMAGES = _images()
MODES = ["UNCHANGED", "GRAY", "GRAY_ALPHA", "RGB", "RGB_ALPHA"]
# torchvision 0.29 garbles the channels of palette and 1-bit PNGs decoded with alpha, and
# decodes GIFs to RGB whatever the mode; ember converts as asked instead.
TORCHVISION_QUIRKS = {("P", "GRAY_ALPHA"), ("P", "RGB_ALPHA"), ("1", "GRAY_ALPHA"),
                      ("1", "RGB_ALPHA"), ("gif", "GRAY"), ("gif", "GRAY_ALPHA"),
                      ("gif", "RGB_ALPHA")}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(IMAGES))
def test_read_image_matches_torchvision(tmp_path, name, mode, torchvision):
    if (name, mode) in TORCHVISION_QUIRKS:
        pytest.skip("torchvision quirk")
    path = tmp_path / "image"
    path.write_bytes(IMAGES[name])
    if name.startswith("jpeg") and mode.endswith("ALPHA"):
        for read_image in (vio.read_image, torchvision.io.read_image):
            with pytest.raises(RuntimeError, match="The provided mode is not supported for JPEG"):
                read_image(str(path), getattr(vio.ImageReadMode, mode))
        return
    expected = torchvision.io.read_image(str(path), getattr(torchvision.io.ImageReadMode, mode))
    result = vio.read_image(path, getattr(vio.ImageReadMode, mode))
    assert result.dtype == ember.uint8 and tuple(result.shape) == tuple(expected.shape)
    np.testing.assert_array_equal(result.numpy(), expected.numpy())


def test_decode_image_from_bytes_and_strings(torch, torchvision):
    data = IMAGES["RGBA"]
    result = vio.decode_image(ember.tensor(list(data), dtype=ember.uint8), mode="rgb")
    expected = torchvision.io.decode_image(torch.tensor(list(data), dtype=torch.uint8), "RGB")
    np.testing.assert_array_equal(result.numpy(), expected.numpy())
    assert vio.ImageReadMode.RGBA is vio.ImageReadMode.RGB_ALPHA
    assert vio.ImageReadMode["GRAY"].value == 1


def test_decode_image_by_hand():
    pixels = np.array([[[10, 20, 30], [255, 0, 0]]], dtype=np.uint8)  # 1 x 2 RGB
    data = ember.from_numpy(np.frombuffer(_encode(Image.fromarray(pixels)), dtype=np.uint8))
    assert vio.decode_image(data).tolist() == [[[10, 255]], [[20, 0]], [[30, 0]]]
    # libpng's weights: (9794 r + 19234 g + 3740 b) >> 15
    assert vio.decode_image(data, vio.ImageReadMode.GRAY).tolist() == [[[18, 76]]]
    assert vio.decode_image(data, vio.ImageReadMode.RGB_ALPHA)[3].tolist() == [[255, 255]]


def test_exif_orientation_matches_torchvision(tmp_path, torchvision):
    img = Image.fromarray(np.arange(24, dtype=np.uint8).reshape(4, 6) * 10)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    path = tmp_path / "rotated.png"
    path.write_bytes(_encode(img, exif=exif))
    for apply in (False, True):
        result = vio.read_image(path, apply_exif_orientation=apply)
        expected = torchvision.io.read_image(str(path), apply_exif_orientation=apply)
        np.testing.assert_array_equal(result.numpy(), expected.numpy())
    assert tuple(vio.read_image(path, apply_exif_orientation=True).shape) == (1, 6, 4)


@pytest.mark.parametrize("shape", [(1, 5, 7), (3, 5, 7)])
def test_encode_and_write_png_round_trip(tmp_path, shape, torch, torchvision):
    array = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    encoded = vio.encode_png(ember.from_numpy(array), compression_level=9)
    assert encoded.dtype == ember.uint8 and encoded.dim() == 1
    assert encoded[:8].tolist() == [137, 80, 78, 71, 13, 10, 26, 10]  # the PNG signature
    decoded = torchvision.io.decode_png(torch.from_numpy(encoded.numpy().copy()))
    np.testing.assert_array_equal(decoded.numpy(), array)
    written = vio.write_png(ember.from_numpy(array), str(tmp_path / "out.png"))
    assert ember.equal(written, vio.read_file(tmp_path / "out.png"))
    np.testing.assert_array_equal(vio.read_image(tmp_path / "out.png").numpy(), array)


def test_read_file_matches_torchvision(tmp_path, torchvision):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 3)
    result, expected = vio.read_file(path), torchvision.io.read_file(str(path))
    assert result.dtype == ember.uint8
    np.testing.assert_array_equal(result.numpy(), expected.numpy())
    for read_file in (vio.read_file, torchvision.io.read_file):
        with pytest.raises(RuntimeError, match="No such file or directory"):
            read_file(str(tmp_path / "missing.png"))


ENCODE_ERRORS = [
    (lambda lib: lib.zeros(3, 4, 5), "Input tensor dtype should be uint8"),
    (lambda lib: lib.zeros(2, 4, 5, dtype=lib.uint8), "channels should be 1 or 3, got: 2"),
    (lambda lib: lib.zeros(4, 5, dtype=lib.uint8), "Input data should be a 3-dimensional tensor"),
]


@pytest.mark.parametrize("make, message", ENCODE_ERRORS)
def test_encode_png_errors_match_torchvision(make, message, torch, torchvision):
    for lib, encode_png in ((ember, vio.encode_png), (torch, torchvision.io.encode_png)):
        with pytest.raises(RuntimeError, match=message):
            encode_png(make(lib))
        with pytest.raises(RuntimeError, match="Compression level should be between 0 and 9"):
            encode_png(lib.zeros(1, 2, 2, dtype=lib.uint8), compression_level=10)


def test_decode_errors(tmp_path, torch, torchvision):
    cases = [(lambda lib: lib.zeros(10), "Expected a (ember|torch).uint8 tensor"),
             (lambda lib: lib.zeros(2, 3, dtype=lib.uint8), "non empty 1-dimensional tensor"),
             (lambda lib: lib.zeros(0, dtype=lib.uint8), "non empty 1-dimensional tensor"),
             (lambda lib: lib.zeros(10, dtype=lib.uint8), "Unsupported image file")]
    for make, message in cases:
        for lib, decode_image in ((ember, vio.decode_image), (torch, torchvision.io.decode_image)):
            with pytest.raises(RuntimeError, match=message):
                decode_image(make(lib))


def test_corrupted_image_raises_naming_the_file(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(IMAGES["RGB"][:60])
    with pytest.raises(RuntimeError, match=f"Could not decode {path}: .*corrupted"):
        vio.read_image(path)
    path.write_bytes(b"not an image at all")
    with pytest.raises(RuntimeError, match=f"Unsupported image file {path}"):
        vio.decode_image(str(path))
