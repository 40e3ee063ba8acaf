"""F.pad, F.interpolate, F.grid_sample, F.affine_grid, pixel and channel shuffles, and the
padding / upsampling / shuffle layers, against PyTorch (values, gradients, double backward,
reprs, errors)."""

import itertools
import warnings

import numpy as np
import pytest

import ember
from tests.module_db import ModuleSpec, make_module_tests
from tests.nn.test_pooling import check_error_matches, raises
from tests.op_db import OpSpec, make_tests

# ---------------------------------------------------------------------- padding
PAD_SPECS = [
    OpSpec("pad_constant", lambda lib, x: lib.nn.functional.pad(x, (1, 2)),
           [((2, 3),), ((4,),), ((2, 3, 4, 5),)]),
    OpSpec("pad_constant_value", lambda lib, x: lib.nn.functional.pad(x, (1, 0, 2, 3), value=2.5),
           [((2, 3, 4),)], dtypes=("float64", "float32", "int64")),
    OpSpec("pad_constant_negative", lambda lib, x: lib.nn.functional.pad(x, (-1, 2, 0, -2, 1, 1)),
           [((2, 3, 4, 5),)]),
    OpSpec("pad_constant_crop_all", lambda lib, x: lib.nn.functional.pad(x, (-2, -2)),
           [((2, 3, 4),)]),
    OpSpec("pad_constant_all_dims", lambda lib, x: lib.nn.functional.pad(x, (1, 1, 0, 2, 1, 0)),
           [((2, 3, 4),)]),
]
for _mode, _pads in itertools.product(("reflect", "replicate", "circular"), [
        ((2, 1), ((2, 3, 5),)), ((1, 3), ((3, 6),)), ((-1, 2), ((2, 3, 5),)),
        ((2, -1, 1, 3), ((2, 3, 4, 5),)), ((3, 3, 2, 2), ((3, 4, 5),)),
        ((1, 2, 0, 1, 2, 1), ((1, 2, 3, 4, 5),)), ((-1, 1, 2, 0, 1, -1), ((2, 3, 4, 5),))]):
    PAD_SPECS.append(OpSpec(
        f"pad_{_mode}_{_pads[0]}", lambda lib, x, p=_pads[0], m=_mode:
        lib.nn.functional.pad(x, p, mode=m), [_pads[1]]))
PAD_SPECS.append(OpSpec("pad_reflect_int", lambda lib, x: lib.nn.functional.pad(
    x, (2, 1), mode="reflect"), [((2, 4),)], dtypes=("int64",), grad=False))

# ---------------------------------------------------------------------- interpolate
INTERPOLATE_CASES = [
    # mode, input shape, size, scale_factor, align_corners, recompute_scale_factor
    ("nearest", (2, 3, 5), 9, None, None, None),
    ("nearest", (2, 3, 4, 5), None, 2, None, None),
    ("nearest", (2, 3, 4, 5), None, 3, None, None),
    ("nearest", (2, 3, 7, 5), (3, 8), None, None, None),
    ("nearest", (2, 3, 5, 4), None, (1.7, 0.6), None, None),
    ("nearest", (2, 3, 5, 4), None, (1.7, 0.6), None, True),
    ("nearest", (1, 2, 3, 4, 5), (5, 3, 7), None, None, None),
    ("nearest-exact", (2, 3, 5), 8, None, None, None),
    ("nearest-exact", (2, 3, 5, 7), None, (1.5, 0.5), None, None),
    ("nearest-exact", (1, 2, 3, 4, 5), None, 2, None, None),
    ("linear", (2, 3, 5), 9, None, False, None),
    ("linear", (2, 3, 5), None, 1.6, True, None),
    ("linear", (2, 3, 8), 3, None, False, None),
    ("bilinear", (2, 3, 4, 5), None, 2, False, None),
    ("bilinear", (0, 3, 4, 5), (3, 7), None, False, None),
    ("bilinear", (2, 3, 4, 5), None, 2, True, None),
    ("bilinear", (2, 3, 7, 6), (3, 10), None, False, None),
    ("bilinear", (2, 3, 7, 6), (1, 10), None, True, None),
    ("bilinear", (2, 3, 5, 4), None, (1.7, 0.6), False, None),
    ("bilinear", (2, 3, 5, 4), None, (1.7, 0.6), False, True),
    ("linear", (2, 3, 5), None, 1.11, False, None),  # an unchanged size is a copy
    ("bilinear", (2, 3, 2, 5), None, (0.9, 1.11), False, None),
    ("bicubic", (2, 3, 4, 5), None, 2, False, None),
    ("bicubic", (1, 2, 2, 5), None, (0.9, 1.11), False, None),
    ("bicubic", (2, 3, 6, 5), (9, 3), None, True, None),
    ("bicubic", (1, 2, 5, 4), None, (1.3, 2.5), False, None),
    ("trilinear", (1, 2, 3, 4, 5), (5, 3, 7), None, False, None),
    ("trilinear", (1, 2, 3, 4, 5), None, 2, True, None),
    ("area", (2, 3, 7, 6), (3, 4), None, None, None),
    ("area", (2, 3, 8), None, 0.5, None, None),
    ("area", (1, 2, 4, 6, 6), (2, 3, 4), None, None, None),
]
INTERPOLATE_SPECS = [
    OpSpec(f"interpolate_{mode}_{shape}_{size}_{scale}_{align}_{recompute}",
           lambda lib, x, m=mode, s=size, f=scale, a=align, r=recompute:
           lib.nn.functional.interpolate(x, s, f, m, a, r), [(shape,)])
    for mode, shape, size, scale, align, recompute in INTERPOLATE_CASES]
INTERPOLATE_SPECS.append(OpSpec(
    "interpolate_nearest_uint8", lambda lib, x: lib.nn.functional.interpolate(x, (5, 7)),
    [((1, 2, 3, 4),)], dtypes=("uint8",), grad=False, domain=(0, 255)))


# ---------------------------------------------------------------------- grid sampling
def _grid_inputs(input_shape, grid_shape, spread=1.2):
    """An input and a grid reaching a little outside [-1, 1] (exercises the padding)."""
    def inputs(rng, dtype, shapes):
        return [rng.uniform(-2, 2, size=input_shape).astype(dtype),
                rng.uniform(-spread, spread, size=grid_shape).astype(dtype)]
    return inputs


GRID_SPECS = []
for _mode, _padding, _align in itertools.product(("bilinear", "nearest", "bicubic"),
                                                 ("zeros", "border", "reflection"),
                                                 (False, True)):
    _shapes = ((2, 2, 3, 4), (2, 2, 3, 2)) if _mode != "bicubic" else \
        ((1, 2, 3, 4), (1, 2, 2, 2))
    GRID_SPECS.append(OpSpec(
        f"grid_sample_{_mode}_{_padding}_{_align}",
        lambda lib, x, g, m=_mode, p=_padding, a=_align:
        lib.nn.functional.grid_sample(x, g, m, p, a), [_shapes],
        inputs=_grid_inputs(*_shapes, 1.3 if _padding != "zeros" else 1.1),
        noncontiguous=False))
for _mode, _padding, _align in [("bilinear", "zeros", False), ("bilinear", "border", True),
                                ("bilinear", "reflection", False), ("nearest", "zeros", True),
                                ("nearest", "reflection", False)]:
    GRID_SPECS.append(OpSpec(
        f"grid_sample_3d_{_mode}_{_padding}_{_align}",
        lambda lib, x, g, m=_mode, p=_padding, a=_align:
        lib.nn.functional.grid_sample(x, g, m, p, a), [((1, 2, 2, 3, 2), (1, 2, 2, 1, 3))],
        inputs=_grid_inputs((1, 2, 2, 3, 2), (1, 2, 2, 1, 3), 1.3), noncontiguous=False))
GRID_SPECS += [
    OpSpec("affine_grid_2d", lambda lib, t: lib.nn.functional.affine_grid(t, (2, 3, 4, 5), False),
           [((2, 2, 3),)]),
    OpSpec("affine_grid_2d_aligned", lambda lib, t: lib.nn.functional.affine_grid(
        t, (2, 3, 5, 2), True), [((2, 2, 3),)]),
    OpSpec("affine_grid_3d", lambda lib, t: lib.nn.functional.affine_grid(
        t, (1, 2, 3, 4, 5), False), [((1, 3, 4),)]),
    OpSpec("affine_grid_then_sample", lambda lib, t, x: lib.nn.functional.grid_sample(
        x, lib.nn.functional.affine_grid(t, (2, 3, 5, 4), False), align_corners=False),
        [((2, 2, 3), (2, 1, 4, 3))], noncontiguous=False),
]

# ---------------------------------------------------------------------- shuffles
SHUFFLE_SPECS = [
    OpSpec("pixel_shuffle", lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2),
           [((2, 8, 3, 4),), ((12, 2, 3),), ((2, 1, 4, 2, 3),)]),
    OpSpec("pixel_unshuffle", lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 3),
           [((2, 2, 6, 9),), ((1, 3, 3),)]),
    OpSpec("channel_shuffle", lambda lib, x: lib.nn.functional.channel_shuffle(x, 3),
           [((2, 6, 3, 4),), ((2, 6, 5),)]),
]

make_tests(globals(), PAD_SPECS + INTERPOLATE_SPECS + GRID_SPECS + SHUFFLE_SPECS)

# ---------------------------------------------------------------------- layers
MODULE_SPECS = [
    ModuleSpec("zeropad2d", lambda lib: lib.nn.ZeroPad2d((1, 2, 0, 3)), [(2, 3, 4, 5)]),
    ModuleSpec("zeropad1d", lambda lib: lib.nn.ZeroPad1d(2), [(2, 3, 4)]),
    ModuleSpec("zeropad3d", lambda lib: lib.nn.ZeroPad3d(1), [(1, 2, 2, 3, 2)]),
    ModuleSpec("constantpad1d", lambda lib: lib.nn.ConstantPad1d((2, -1), 3.5), [(2, 3, 4)]),
    ModuleSpec("constantpad2d", lambda lib: lib.nn.ConstantPad2d(1, -1.0), [(3, 4, 5)]),
    ModuleSpec("constantpad3d", lambda lib: lib.nn.ConstantPad3d((1, 0, 0, 1, 2, 0), 2.0),
               [(1, 2, 2, 3, 2)]),
    ModuleSpec("reflectionpad1d", lambda lib: lib.nn.ReflectionPad1d((3, 1)), [(2, 3, 5)]),
    ModuleSpec("reflectionpad2d", lambda lib: lib.nn.ReflectionPad2d(2), [(2, 3, 4, 5)]),
    ModuleSpec("reflectionpad3d", lambda lib: lib.nn.ReflectionPad3d(1), [(1, 2, 2, 3, 4)]),
    ModuleSpec("replicationpad1d", lambda lib: lib.nn.ReplicationPad1d((3, 1)), [(2, 3, 5)]),
    ModuleSpec("replicationpad2d", lambda lib: lib.nn.ReplicationPad2d((1, 2, 3, 0)),
               [(3, 4, 5)]),
    ModuleSpec("replicationpad3d", lambda lib: lib.nn.ReplicationPad3d(2), [(1, 2, 2, 3, 4)]),
    ModuleSpec("circularpad1d", lambda lib: lib.nn.CircularPad1d((3, 1)), [(2, 3, 5)]),
    ModuleSpec("circularpad2d", lambda lib: lib.nn.CircularPad2d(2), [(2, 3, 4, 5)]),
    ModuleSpec("circularpad3d", lambda lib: lib.nn.CircularPad3d(1), [(1, 2, 2, 3, 4)]),
    ModuleSpec("upsample_nearest", lambda lib: lib.nn.Upsample(scale_factor=2), [(2, 3, 4, 5)]),
    ModuleSpec("upsample_bilinear", lambda lib: lib.nn.Upsample((7, 3), mode="bilinear"),
               [(2, 3, 4, 5)]),
    ModuleSpec("upsample_bicubic", lambda lib: lib.nn.Upsample(
        scale_factor=(1.5, 2), mode="bicubic", align_corners=True), [(2, 3, 4, 5)]),
    ModuleSpec("upsample_trilinear", lambda lib: lib.nn.Upsample(
        scale_factor=1.5, mode="trilinear", recompute_scale_factor=True), [(1, 2, 3, 4, 5)]),
    ModuleSpec("upsampling_nearest2d", lambda lib: lib.nn.UpsamplingNearest2d(size=(5, 7)),
               [(2, 3, 4, 5)]),
    ModuleSpec("upsampling_bilinear2d", lambda lib: lib.nn.UpsamplingBilinear2d(
        scale_factor=2), [(2, 3, 4, 5)]),
    ModuleSpec("pixelshuffle", lambda lib: lib.nn.PixelShuffle(2), [(2, 8, 3, 4)]),
    ModuleSpec("pixelunshuffle", lambda lib: lib.nn.PixelUnshuffle(2), [(2, 2, 4, 6)]),
    ModuleSpec("channelshuffle", lambda lib: lib.nn.ChannelShuffle(2), [(2, 4, 3, 3)]),
]

make_module_tests(globals(), MODULE_SPECS)


def test_reprs(torch):
    layers = [
        "ZeroPad1d(2)", "ZeroPad2d(1)", "ZeroPad2d((1, 2, 3, 4))", "ZeroPad3d(1)",
        "ConstantPad1d(2, 3.5)", "ConstantPad2d((1, 2, 3, 4), 1)", "ConstantPad3d(1, -1.0)",
        "ReflectionPad1d(2)", "ReflectionPad2d(1)", "ReflectionPad3d(1)",
        "ReplicationPad1d((1, 2))", "ReplicationPad2d(1)", "ReplicationPad3d(1)",
        "CircularPad1d(1)", "CircularPad2d(1)", "CircularPad3d(1)",
        "Upsample(scale_factor=2)", "Upsample(size=4, mode='bilinear')",
        "Upsample(size=(4, 5), mode='bilinear', align_corners=True)",
        "Upsample(scale_factor=(2, 3), mode='bicubic', align_corners=False, "
        "recompute_scale_factor=True)", "UpsamplingNearest2d(scale_factor=2)",
        "UpsamplingBilinear2d(size=3)", "PixelShuffle(2)", "PixelUnshuffle(3)",
        "ChannelShuffle(2)"]
    for layer in layers:
        expected = repr(eval(f"torch.nn.{layer}"))
        assert repr(eval(f"ember.nn.{layer}")) == expected.replace("torch", "ember")


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.nn.functional.pad(x, (1, 2, 0, 1)),
    lambda lib, x: lib.nn.functional.pad(x, (1, 2, 0, 1), mode="reflect"),
    lambda lib, x: lib.nn.functional.pad(x, (1, 2, 1, 1), mode="replicate"),
    lambda lib, x: lib.nn.functional.pad(x[0], (1, 2), mode="reflect"),
    lambda lib, x: lib.nn.functional.pad(x[None], (1, 2, 1, 1, 0, 1), mode="replicate"),
    lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=2),
    lambda lib, x: lib.nn.functional.interpolate(x, size=(3, 7), mode="nearest-exact"),
    lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=2, mode="bilinear"),
    lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=2, mode="bicubic"),
    lambda lib, x: lib.nn.functional.interpolate(x[0], scale_factor=2, mode="linear"),
    lambda lib, x: lib.nn.functional.interpolate(x[None], scale_factor=2, mode="trilinear"),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, mode="area"),
    lambda lib, x: lib.nn.functional.grid_sample(x, x[:, :2].permute(0, 2, 3, 1) * 0.5,
                                                 align_corners=False),
])
def test_grad_fn_names(fn, torch):
    """grad_fn, and the create_graph gradient's grad_fn, print PyTorch's node names."""
    names = []
    for lib in (torch, ember):
        x = lib.from_numpy(np.random.default_rng(0).standard_normal((2, 3, 5, 6)))
        x.requires_grad_(True)
        y = fn(lib, x)
        (grad,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        names.append(type(y.grad_fn).__name__)
    assert names[1] == names[0]


def test_interpolate_nearest_float32_coordinates(torch):
    """Scales whose source index rounds differently in float32 and float64 match PyTorch."""
    for size, out in [(3, 7), (7, 3), (10, 23), (23, 10), (9, 41), (100, 301), (301, 100)]:
        array = np.arange(size, dtype=np.float32).reshape(1, 1, size)
        for mode in ("nearest", "nearest-exact"):
            results = [lib.nn.functional.interpolate(lib.from_numpy(array.copy()), out,
                                                     mode=mode).numpy() for lib in (torch, ember)]
            np.testing.assert_array_equal(results[1], results[0])
            for scale in (1.3, 2.7, 0.35, 1 / 3):
                results = [lib.nn.functional.interpolate(
                    lib.from_numpy(array.copy()), scale_factor=scale, mode=mode).numpy()
                    for lib in (torch, ember)]
                np.testing.assert_array_equal(results[1], results[0])


def test_interpolate_nearest_gradient_is_the_adjoint(torch):
    """With a scale factor giving exactly twice (or the same) size, PyTorch's nearest forward
    reads floor(j / scale) but its backward uses j // 2 (or j); ember's gradient is the
    adjoint of the forward it computes (the forward matches PyTorch)."""
    array = np.arange(3.0).reshape(1, 1, 3)
    expected = torch.nn.functional.interpolate(torch.from_numpy(array), scale_factor=2.04)
    x = ember.from_numpy(array.copy()).requires_grad_(True)
    y = ember.nn.functional.interpolate(x, scale_factor=2.04)
    np.testing.assert_array_equal(y.detach().numpy(), expected.numpy())  # reads 0 0 0 1 1 2
    y.backward(ember.arange(6.0, dtype=ember.float64).reshape(1, 1, 6))
    np.testing.assert_array_equal(x.grad.numpy(), [[[0 + 1 + 2, 3 + 4, 5]]])


def test_grid_sample_outside_and_borders(torch):
    """Points far outside and exactly on the borders behave like PyTorch's kernels (its 2-D
    and 3-D kernels disagree on non-finite points; ember reads zeros there, as the 3-D one)."""
    rng = np.random.default_rng(4)
    image = rng.standard_normal((1, 2, 4, 5))
    grid = np.array([[[[-1, -1], [1, 1], [-1.0, 1.0], [3.5, -7.25], [1e3, 0.2],
                       [-0.6, 1e4], [0.5, 2.0], [-1.5, -0.5], [0.75, -0.25], [0, 0]]]])
    for mode, padding, align in itertools.product(("bilinear", "nearest", "bicubic"),
                                                  ("zeros", "border", "reflection"),
                                                  (False, True)):
        results = [lib.nn.functional.grid_sample(
            lib.from_numpy(image.copy()), lib.from_numpy(grid.copy()), mode, padding,
            align).numpy() for lib in (torch, ember)]
        np.testing.assert_allclose(results[1], results[0], rtol=1e-10, atol=1e-10,
                                   err_msg=f"{mode} {padding} {align}")


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_grid_sample_double_backward_parity(mode, torch):
    """Second derivatives of grid_sample (input and grid) equal PyTorch's."""
    rng = np.random.default_rng(5)
    image = rng.standard_normal((1, 2, 4, 5))
    grid = rng.uniform(-1.1, 1.1, size=(1, 3, 2, 2))
    results = []
    for lib in (torch, ember):
        x = lib.from_numpy(image.copy()).requires_grad_(True)
        g = lib.from_numpy(grid.copy()).requires_grad_(True)
        y = lib.nn.functional.grid_sample(x, g, mode, "reflection", False)
        grad_x, grad_g = lib.autograd.grad((y ** 2).sum(), (x, g), create_graph=True)
        second = lib.autograd.grad((grad_x ** 2).sum() + (grad_g ** 2).sum(), (x, g))
        results.append([t.detach().numpy() for t in (grad_x, grad_g) + tuple(second)])
    for a, e in zip(results[1], results[0]):
        np.testing.assert_allclose(a, e, rtol=1e-9, atol=1e-9)


def test_warnings(torch):
    for lib in (torch, ember):
        with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior"):
            lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 1, 2, 2))
        with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior"):
            lib.nn.functional.grid_sample(lib.zeros(1, 1, 2, 2), lib.zeros(1, 1, 1, 2))
        with pytest.warns(UserWarning, match="unit-size grids when align_corners=True. This is "
                          "not an intended use case of affine_grid."):
            lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 1, 5, 1), True)
        with pytest.warns(UserWarning, match="upsample_bilinear` is deprecated"):
            lib.nn.functional.upsample_bilinear(lib.zeros(1, 1, 2, 2), scale_factor=2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lib.nn.functional.grid_sample(lib.zeros(1, 1, 2, 2), lib.zeros(1, 1, 1, 2),
                                          align_corners=False)


# ---------------------------------------------------------------------- errors
F = "nn.functional."


_NOT_SUPPORTED = (r"^Padding size 2 is not supported for 4D input tensor.\nSupported "
                  r"combinations for non-constant padding:\n  - 2D or 3D input: padding size = "
                  r"2 \(pads last dimension\)\n")
ERROR_CASES = [
    raises(F + "pad(lib.ones(1, 3, 4, 4), (1,))", RuntimeError,
           r"^Padding length must be divisible by 2$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (1,) * 10)", RuntimeError,
           r"^Padding length should be less than or equal to two times the input dimension but "
           r"got padding length 10 and input of dimension 4$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (-3, -2))", RuntimeError,
           r"^narrow\(\): length must be non-negative.$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (1.5, 1))", TypeError,
           r"^pad\(\): argument 'pad' \(position 2\) must be tuple of ints, but found element of "
           r"type float at pos 0$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (1, 1), mode='bogus')", NotImplementedError,
           r"^Unrecognised padding mode bogus$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (1, 1), mode='reflect')", NotImplementedError,
           _NOT_SUPPORTED),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (1, 1, 1, 1), mode='reflect', value=1)", RuntimeError,
           r"^Padding mode \"reflect\" doesn't take in value argument$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (4, 4, 4, 4), mode='reflect')", RuntimeError,
           r"^Argument #4: Padding size should be less than the corresponding input dimension, "
           r"but got: padding \(4, 4\) at dimension 3 of input \[1, 3, 4, 4\]$"),
    raises(F + "pad(lib.ones(1, 2, 4, 4), (0, 0, 4, 0), mode='reflect')", RuntimeError,
           r"^Argument #6: Padding size should be less than the corresponding input dimension, "
           r"but got: padding \(4, 0\) at dimension 2 of input \[1, 2, 4, 4\]$"),
    raises(F + "pad(lib.ones(1, 2, 4), (-4, 0), mode='reflect')", RuntimeError,
           r"^input \(W: 4\) is too small. Calculated output W: 0$"),
    raises(F + "pad(lib.ones(1, 2, 4, 4), (-4, 0, -4, 0), mode='reflect')", RuntimeError,
           r"^input \(H: 4, W: 4\) is too small. Calculated output H: 0 W: 0$"),
    raises(F + "pad(lib.ones(1, 2, 4, 4), (0, 0, -4, 0), mode='replicate')", RuntimeError,
           r"^Calculated output H: 0 W: 4 must be >= 1 in every dimension \(input H: 4, W: 4\)$"),
    raises(F + "pad(lib.ones(1, 2, 4, 4, 4), (0, 0, 0, 0, -4, 0), mode='replicate')",
           RuntimeError, r"^Calculated output D: 0 H: 4 W: 4 must be >= 1 in every dimension "
           r"\(input D: 4, H: 4, W: 4\)$"),
    raises(F + "pad(lib.ones(1, 0, 3), (1, 1), mode='reflect')", RuntimeError,
           r"^Expected 2D or 3D \(batch mode\) tensor with possibly 0 batch size and other "
           r"non-zero dimensions for input, but got: \[1, 0, 3\]$"),
    raises(F + "pad(lib.ones(1, 3, 4, 4), (5, 5, 1, 1), mode='circular')", RuntimeError,
           r"^Padding value causes wrapping around more than once.$"),
    raises(F + "pad(lib.ones(1, 2, 4), (-5, 0), mode='circular')", RuntimeError,
           r"^Negative padding value is resulting in an empty dimension$"),
    raises("nn.CircularPad2d(1)(lib.ones(2, 2))", ValueError,
           r"^expected 3D or 4D input \(got 2D input\)$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=0)", RuntimeError,
           r"^Input and output sizes should be greater than 0, but got input \(H: 4, W: 4\) "
           r"output \(H: 0, W: 0\)$"),
    raises(F + "interpolate(lib.ones(1, 2, 4), scale_factor=0.1, mode='linear')", RuntimeError,
           r"^Input and output sizes should be greater than 0, but got input \(W: 4\) and "
           r"output \(W: 0\)$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4, 4), scale_factor=0.1)", RuntimeError,
           r"input \(D: 4, H: 4, W: 4\) output \(D: 0, H: 0, W: 0\)$"),
    raises(F + "interpolate(lib.ones(2, 0, 4, 4), size=2)", RuntimeError,
           r"^Non-empty 4D data tensor expected but got a tensor with sizes \[2, 0, 4, 4\]$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=(2, 3, 4))", ValueError,
           r"^Input and output must have the same number of spatial dimensions, but got input "
           r"with spatial dimensions of \[4, 4\] and output size of \(2, 3, 4\)."),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), scale_factor=(2, 3, 4))", ValueError,
           r"^Input and scale_factor must have the same number of spatial dimensions"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=2, scale_factor=2)", ValueError,
           r"^only one of size or scale_factor should be defined$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4))", ValueError,
           r"^either size or scale_factor should be defined$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=(2, 2.5))", TypeError,
           r"^expected size to be one of int or Tuple\[int\] or Tuple\[int, int\] or "
           r"Tuple\[int, int, int\], but got size with types \[<class 'int'>, <class "
           r"'float'>\]$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=2, recompute_scale_factor=True)",
           ValueError, r"^recompute_scale_factor is not meaningful with an explicit size.$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=2, align_corners=True)", ValueError,
           r"^align_corners option can only be set with the interpolating modes: linear \| "
           r"bilinear \| bicubic \| trilinear$"),
    raises(F + "interpolate(lib.ones(1, 2, 4), size=2, mode='bilinear')", NotImplementedError,
           r"^Got 3D input, but bilinear mode needs 4D input$"),
    raises(F + "interpolate(lib.ones(1, 2, 4, 4), size=2, mode='trilinear')",
           NotImplementedError, r"^Got 4D input, but trilinear mode needs 5D input$"),
    raises(F + "interpolate(lib.ones(1, 2, 4), size=2, mode='bicubic')", NotImplementedError,
           r"^Input Error: Only 3D, 4D and 5D input Tensors supported \(got 3D\) for the modes: "
           r"nearest \| linear \| bilinear \| bicubic \| trilinear \| lanczos \| area \| "
           r"nearest-exact \(got bicubic\)$"),
    raises(F + "interpolate(lib.ones(1, 2, 4), size=2, mode='bilinear', antialias=True)",
           ValueError, r"^Anti-alias option is restricted to bilinear, bicubic, and lanczos "
           r"modes and requires a 4-D tensor as input$"),
    raises(F + "grid_sample(lib.ones(1, 1, 3, 3), lib.ones(1, 2, 2, 3), align_corners=False)",
           RuntimeError, r"^grid_sampler\(\): expected grid to have size 2 in last dimension, "
           r"but got grid with sizes \[1, 2, 2, 3\]$"),
    raises(F + "grid_sample(lib.ones(2, 1, 3, 3), lib.ones(1, 2, 2, 2), align_corners=False)",
           RuntimeError, r"^grid_sampler\(\): expected grid and input to have same batch size, "
           r"but got input with sizes \[2, 1, 3, 3\] and grid with sizes \[1, 2, 2, 2\]$"),
    raises(F + "grid_sample(lib.ones(1, 1, 0, 3), lib.ones(1, 2, 2, 2), align_corners=False)",
           RuntimeError, r"^grid_sampler\(\): expected input to have non-empty spatial "
           r"dimensions, but input has sizes \[1, 1, 0, 3\] with dimension 2 being empty$"),
    raises(F + "grid_sample(lib.ones(1, 1, 3, 3, 3), lib.ones(1, 2, 2, 2, 3), mode='bicubic', "
           "align_corners=False)", RuntimeError,
           r"^grid_sampler\(\): bicubic interpolation only supports 4D input$"),
    raises(F + "grid_sample(lib.ones(1, 1, 3, 3), lib.ones(1, 2, 2, 2), mode='x', "
           "align_corners=False)", ValueError,
           r"^nn.functional.grid_sample\(\): expected mode to be 'bilinear', 'nearest' or "
           r"'bicubic', but got: 'x'$"),
    raises(F + "grid_sample(lib.ones(1, 1, 3, 3), lib.ones(1, 2, 2, 2), padding_mode='x', "
           "align_corners=False)", ValueError,
           r"^nn.functional.grid_sample\(\): expected padding_mode to be 'zeros', 'border', or "
           r"'reflection', but got: 'x'$"),
    raises(F + "grid_sample(lib.ones(1, 1, 3, 3), lib.ones(1, 2, 2, 2, dtype=lib.float64), "
           "align_corners=False)", RuntimeError,
           r"^expected scalar type Float but found Double$"),
    raises(F + "affine_grid(lib.ones(2, 2, 3, dtype=lib.int32), (2, 1, 3, 3), False)",
           ValueError, r"^Expected theta to have floating point type, but got "),
    raises(F + "affine_grid(lib.ones(2, 3, 3), (2, 1, 3, 3), False)", ValueError,
           r"^Expected a batch of 2D affine matrices of shape Nx2x3 for size \(2, 1, 3, 3\). "
           r"Got "),
    raises(F + "affine_grid(lib.ones(2, 2, 3), (2, 1, 3), False)", NotImplementedError,
           r"^affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
           r"respectively. Got size \(2, 1, 3\).$"),
    raises(F + "affine_grid(lib.ones(2, 2, 3), (2, 1, 0, 3), False)", ValueError,
           r"^Expected non-zero, positive output size. Got \(2, 1, 0, 3\)$"),
    raises(F + "pixel_shuffle(lib.ones(2, 2), 2)", RuntimeError,
           r"^pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 "
           r"dimension\(s\)$"),
    raises(F + "pixel_shuffle(lib.ones(1, 3, 2, 2), 2)", RuntimeError,
           r"^pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
           r"square of upscale_factor, but input.size\(-3\)=3 is not divisible by 4$"),
    raises(F + "pixel_shuffle(lib.ones(1, 4, 2, 2), 0)", RuntimeError,
           r"^pixel_shuffle expects a positive upscale_factor, but got 0$"),
    raises(F + "pixel_unshuffle(lib.ones(1, 1, 5, 4), 2)", RuntimeError,
           r"^pixel_unshuffle expects height to be divisible by downscale_factor, but "
           r"input.size\(-2\)=5 is not divisible by 2$"),
    raises(F + "channel_shuffle(lib.ones(1, 3, 2, 2), 2)", RuntimeError,
           r"^Number of channels must be divisible by groups. Got 3 channels and 2 groups.$"),
    raises(F + "channel_shuffle(lib.ones(2, 4), 2)", RuntimeError,
           r"^channel_shuffle expects input with > 2 dims, but got input with sizes \[2, 4\]$"),
    raises(F + "channel_shuffle(lib.ones(1, 4, 2, 2), 0)", RuntimeError,
           r"^Number of groups to divide channels in must be positive. Value of groups:0$"),
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=range(len(ERROR_CASES)))
def test_errors_match_pytorch(case):
    check_error_matches(case)
