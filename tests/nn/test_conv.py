"""Convolutions against PyTorch: F.conv*, F.conv_transpose*, F.unfold/F.fold (values, gradients,
gradcheck and gradgradcheck) and the Conv/ConvTranspose/Fold/Unfold layers."""

import math

import numpy as np
import pytest

import ember
from tests.module_db import ModuleSpec, make_module_tests
from tests.op_db import ErrorCase, OpSpec, make_tests


def _F(lib):
    return lib.nn.functional


def _ones(lib, *shape):
    return lib.ones(*shape)


def _conv(name, *shapes, **kwargs):
    """An OpSpec for ``F.<name>(input, weight[, bias], **kwargs)``."""
    def fn(lib, input, weight, bias=None):
        return getattr(_F(lib), name)(input, weight, bias, **kwargs)

    label = "-".join(f"{k}={v}" for k, v in kwargs.items())
    return OpSpec(f"{name}-{label}" if label else name, fn, shapes=[shapes])


_CONV_ERRORS = [
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 1, 32, 32), _ones(lib, 6, 3, 5, 5)),
              RuntimeError, r"Given groups=1, weight of size \[6, 3, 5, 5\], expected "
                            r"input\[4, 1, 32, 32\] to have 3 channels, but got 1 channels "
                            r"instead"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 2, 2), _ones(lib, 6, 3, 3, 3)),
              RuntimeError, r"Calculated padded input size per channel: \(2 x 2\)\. Kernel "
                            r"size: \(3 x 3\)\. Kernel size can't be greater than actual input "
                            r"size"),
    ErrorCase(lambda lib: _F(lib).conv3d(_ones(lib, 1, 3, 2, 4, 5), _ones(lib, 6, 3, 1, 3, 3),
                                         dilation=(1, 2, 1)),
              RuntimeError, r"padded input size per channel: \(2 x 4 x 5\)\. Kernel size: "
                            r"\(1 x 5 x 3\)"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 32, 32), _ones(lib, 6, 3, 5, 5)),
              RuntimeError, r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but "
                            r"got input of size: \[32, 32\]"),
    ErrorCase(lambda lib: _F(lib).conv1d(_ones(lib, 1, 2, 3, 8), _ones(lib, 6, 3, 3)),
              RuntimeError, r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         padding="same", stride=2),
              RuntimeError, "padding='same' is not supported for strided convolutions"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         padding="foo"),
              RuntimeError, "Invalid padding string: 'foo'"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         stride=0),
              RuntimeError, "non-positive stride is not supported"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         padding=-1),
              RuntimeError, "negative padding is not supported"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         dilation=0),
              RuntimeError, "non-positive dilation is not supported"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         groups=0),
              RuntimeError, "non-positive groups is not supported"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 4, 8, 8), _ones(lib, 6, 2, 3, 3),
                                         groups=4),
              RuntimeError, r"Given groups=4, expected weight to be divisible by 4 at dimension "
                            r"0, but got weight of size \[\[6, 2, 3, 3\]\] instead"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         _ones(lib, 5)),
              RuntimeError, r"Given weight of size \[6, 3, 3, 3\], expected bias to be "
                            r"1-dimensional with 6 elements, but got bias of size \[5\] instead"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8),
                                         _ones(lib, 6, 3, 3, 3).double()),
              RuntimeError, r"Input type \(ember.FloatTensor\) and weight type "
                            r"\(ember.DoubleTensor\) should be the same"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         _ones(lib, 6).double()),
              RuntimeError, r"Input type \(float\) and bias type \(double\) should be the same"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3, 3, 3),
                                         stride=(1, 1, 1)),
              RuntimeError, r"expected stride to be a single integer value or a list of 2 "
                            r"values to match the convolution dimensions, but got "
                            r"stride=\[1, 1, 1\]"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 3, 32, 32), _ones(lib, 6, 3, 3)),
              RuntimeError, r"expected stride to be a single integer value or a list of 1 "
                            r"values to match the convolution dimensions, but got "
                            r"stride=\[1, 1\]"),
    ErrorCase(lambda lib: _F(lib).conv1d(_ones(lib, 3, 32, 32), _ones(lib, 6, 3, 3, 3)),
              RuntimeError, r"Expected 4-dimensional input for 4-dimensional weight "
                            r"\[6, 3, 3, 3\], but got 3-dimensional input of size \[3, 32, 32\] "
                            "instead"),
    ErrorCase(lambda lib: _F(lib).conv2d(_ones(lib, 4, 3, 8, 8), _ones(lib, 6, 3)),
              RuntimeError, "weight should have at least three dimensions"),
    ErrorCase(lambda lib: lib.convolution(_ones(lib, 4, 3, 8), _ones(lib, 6, 3, 3, 3), None,
                                          [1, 1], [0, 0], [1, 1], False, [0, 0], 1),
              RuntimeError, r"Expected 4-dimensional input for 4-dimensional weight "
                            r"\[6, 3, 3, 3\], but got 3-dimensional input of size \[4, 3, 8\] "
                            "instead"),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 4, 3, 8, 8),
                                                   _ones(lib, 3, 2, 3, 3), output_padding=2,
                                                   stride=2),
              RuntimeError, r"output padding must be smaller than either stride or dilation, "
                            r"but got output_padding_height: 2 output_padding_width: 2 "
                            r"stride_height: 2 stride_width: 2 dilation_height: 1 "
                            r"dilation_width: 1"),
    ErrorCase(lambda lib: _F(lib).conv_transpose1d(_ones(lib, 4, 3, 8), _ones(lib, 3, 2, 3),
                                                   output_padding=2, stride=2),
              RuntimeError, r"but got output_padding_height: 0 output_padding_width: 2 "
                            r"stride_height: 1 stride_width: 2 dilation_height: 1 "
                            r"dilation_width: 1"),
    ErrorCase(lambda lib: _F(lib).conv_transpose3d(_ones(lib, 1, 3, 4, 4, 4),
                                                   _ones(lib, 3, 2, 3, 3, 3), output_padding=1,
                                                   dilation=(1, 1, 2)),
              RuntimeError, r"but got output_padding_depth: 1 output_padding_height: 1 "
                            r"output_padding_width: 1 stride_depth: 1 stride_height: 1 "
                            r"stride_width: 1 dilation_depth: 1 dilation_height: 1 "
                            r"dilation_width: 2"),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 4, 4, 8, 8),
                                                   _ones(lib, 3, 2, 3, 3)),
              RuntimeError, r"Given transposed=1, weight of size \[3, 2, 3, 3\], expected "
                            r"input\[4, 4, 8, 8\] to have 3 channels, but got 4 channels instead"),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 4, 3, 8, 8),
                                                   _ones(lib, 3, 2, 3, 3), _ones(lib, 3)),
              RuntimeError, r"Given transposed=1, weight of size \[3, 2, 3, 3\], expected bias "
                            r"to be 1-dimensional with 2 elements, but got bias of size \[3\]"),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 4, 3, 1, 1),
                                                   _ones(lib, 3, 2, 3, 3), padding=2),
              RuntimeError),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 4, 3, 8, 8),
                                                   _ones(lib, 3, 2, 3, 3), output_padding=-1),
              RuntimeError, "negative output_padding is not supported"),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 4, 3, 8, 8),
                                                   _ones(lib, 3, 2, 3, 3), padding="same"),
              TypeError, "argument 'padding' must be tuple of ints, not str"),
    ErrorCase(lambda lib: _F(lib).conv_transpose2d(_ones(lib, 1, 1), _ones(lib, 3, 2, 3, 3)),
              RuntimeError, r"Expected 3D \(unbatched\) or 4D \(batched\) input to "
                            r"conv_transpose2d, but got input of size: \[1, 1\]"),
]

_BLOCK_ERRORS = [
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 3, 8, 8, 8), 3),
              RuntimeError, r"Expected 3D or 4D \(batch mode\) tensor with possibly 0 batch "
                            r"size and other non-zero dimensions for input, but got: "
                            r"\[2, 3, 8, 8, 8\]"),
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 0, 8, 8), 3), RuntimeError,
              r"but got: \[2, 0, 8, 8\]"),
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 3, 2, 2), 3),
              RuntimeError, r"Given input with spatial size \(2, 2\), kernel_size=\(3, 3\), "
                            r"dilation=\(1, 1\), padding=\(0, 0\), calculated shape of the array "
                            r"of sliding blocks as \(0, 0\), but its components must be at "
                            r"least one\."),
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 3, 8, 8), (3, 3, 3)),
              RuntimeError, "It is expected kernel_size equals to 2, but got size 3"),
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 3, 8, 8), 3, stride=0),
              RuntimeError, "stride should be greater than zero, but got stride_height: 0 "
                            "stride_width: 0"),
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 3, 8, 8), 3, padding=-1),
              RuntimeError, "padding should be non-negative, but got pad_height: -1 "
                            "pad_width: -1"),
    ErrorCase(lambda lib: _F(lib).unfold(_ones(lib, 2, 3, 8, 8), 0),
              RuntimeError, "kernel size should be greater than zero, but got kernel_height: 0 "
                            "kernel_width: 0"),
    ErrorCase(lambda lib: _F(lib).fold(_ones(lib, 2, 27, 36), 8, 3, dilation=0),
              RuntimeError, "dilation should be greater than zero, but got dilation_height: 0 "
                            "dilation_width: 0"),
    ErrorCase(lambda lib: _F(lib).fold(_ones(lib, 2, 26, 36), (8, 8), 3),
              RuntimeError, r"Expected size of input's dimension 1 to be divisible by the "
                            r"product of kernel_size, but got input.size\(1\)=26 and "
                            r"kernel_size=\(3, 3\)\."),
    ErrorCase(lambda lib: _F(lib).fold(_ones(lib, 2, 27, 35), (8, 8), 3),
              RuntimeError, r"Given output_size=\(8, 8\), kernel_size=\(3, 3\), dilation=\(1, "
                            r"1\), padding=\(0, 0\), stride=\(1, 1\), expected size of input's "
                            r"dimension 2 to match the calculated number of sliding blocks "
                            r"6 \* 6 = 36, but got input.size\(2\)=35\."),
    ErrorCase(lambda lib: _F(lib).fold(_ones(lib, 2, 27, 36, 1), (8, 8), 3),
              RuntimeError, r"Expected 2D or 3D \(batch mode\) tensor for input with possibly 0 "
                            r"batch size and non-zero dimensions for input, but got: "
                            r"\[2, 27, 36, 1\]"),
    ErrorCase(lambda lib: _F(lib).fold(_ones(lib, 2, 27, 36), (8, 8, 8), 3),
              RuntimeError, "It is expected output_size equals to 2, but got size 3"),
]

OP_SPECS = [
    _conv("conv1d", (2, 3, 7), (4, 3, 3), (4,)),
    _conv("conv1d", (2, 4, 9), (6, 2, 2), (6,), stride=2, padding=1, dilation=2, groups=2),
    _conv("conv1d", (2, 3, 8), (4, 3, 4), padding="same"),
    _conv("conv1d", (3, 7), (4, 3, 3), (4,), padding="valid"),
    _conv("conv2d", (2, 3, 6, 7), (4, 3, 3, 2), (4,)),
    _conv("conv2d", (2, 4, 7, 8), (6, 2, 3, 3), (6,), stride=(2, 1), padding=(1, 2),
          dilation=(1, 2), groups=2),
    _conv("conv2d", (2, 3, 6, 5), (3, 1, 3, 3), padding=1, groups=3),
    _conv("conv2d", (2, 2, 6, 5), (3, 2, 4, 3), (3,), padding="same", dilation=(1, 2)),
    _conv("conv2d", (2, 2, 7, 9), (3, 2, 3, 3), stride=3),
    _conv("conv2d", (2, 5, 6), (4, 2, 3, 3), (4,), stride=2, padding=1),
    _conv("conv3d", (2, 2, 4, 5, 3), (3, 2, 2, 3, 2), (3,), stride=(1, 2, 1), padding=(1, 0, 1)),
    _conv("conv3d", (2, 4, 3, 4, 4), (4, 2, 3, 2, 2), padding="same", groups=2),
    _conv("conv_transpose1d", (2, 3, 5), (3, 2, 3), (2,), stride=2, padding=1,
          output_padding=1),
    _conv("conv_transpose1d", (2, 4, 4), (4, 1, 2), groups=2, dilation=3, output_padding=2),
    _conv("conv_transpose2d", (2, 3, 4, 5), (3, 2, 3, 3), (2,)),
    _conv("conv_transpose2d", (2, 4, 3, 4), (4, 2, 3, 2), (4,), stride=(2, 3),
          padding=(1, 0), output_padding=(1, 2), groups=2),
    _conv("conv_transpose2d", (2, 2, 3, 3), (2, 3, 2, 3), stride=2, padding=2,
          output_padding=1, dilation=2),
    _conv("conv_transpose2d", (3, 4, 3), (3, 2, 3, 3), (2,), stride=2),
    _conv("conv_transpose3d", (2, 2, 3, 2, 3), (2, 2, 2, 3, 2), (2,), stride=2, padding=1,
          output_padding=(1, 0, 1)),
    OpSpec("torch.conv2d", lambda lib, x, w, b: lib.conv2d(x, w, b, 2, 1),
           shapes=[((2, 3, 5, 6), (4, 3, 3, 3), (4,))]),
    OpSpec("torch.convolution", lambda lib, x, w: lib.convolution(
        x, w, None, [2, 1], [1, 0], [1, 1], True, [1, 0], 1),
        shapes=[((2, 3, 4, 4), (3, 2, 3, 2))]),
    OpSpec("unfold", lambda lib, x: _F(lib).unfold(x, (2, 3)), shapes=[((2, 3, 4, 5),)]),
    OpSpec("unfold-args", lambda lib, x: _F(lib).unfold(x, (2, 3), dilation=(2, 1), padding=1,
                                                        stride=(1, 2)),
           shapes=[((2, 2, 5, 6),), ((2, 5, 6),)]),
    OpSpec("fold", lambda lib, x: _F(lib).fold(x, (4, 5), (2, 3)), shapes=[((2, 12, 9),)]),
    OpSpec("fold-args", lambda lib, x: _F(lib).fold(x, (5, 6), (2, 3), dilation=(2, 1),
                                                    padding=1, stride=(1, 2)),
           shapes=[((2, 12, 15),), ((12, 15),)]),
    OpSpec("conv-errors", lambda lib, x: x, shapes=[], error_cases=_CONV_ERRORS),
    OpSpec("block-errors", lambda lib, x: x, shapes=[], error_cases=_BLOCK_ERRORS),
]

make_tests(globals(), OP_SPECS)


# ---------------------------------------------------------------------- layers
def _layer(name, inputs, *args, call=None, **kwargs):
    """A ModuleSpec for ``lib.nn.<name>(*args, **kwargs)``."""
    label = "-".join(map(str, args)) + "".join(f"-{k}={v}" for k, v in kwargs.items())
    return ModuleSpec(f"{name}-{label}", lambda lib: getattr(lib.nn, name)(*args, **kwargs),
                      inputs, call=call)


_MODULE_ERRORS = [
    ErrorCase(lambda lib: lib.nn.Conv2d(3, 6, 5)(lib.ones(4, 1, 32, 32)), RuntimeError,
              r"expected input\[4, 1, 32, 32\] to have 3 channels, but got 1 channels instead"),
    ErrorCase(lambda lib: lib.nn.Conv2d(3, 6, 3)(lib.ones(1, 3, 2, 2)), RuntimeError,
              r"Calculated padded input size per channel: \(2 x 2\)\. Kernel size: \(3 x 3\)\. "
              r"Kernel size can't be greater than actual input size"),
    ErrorCase(lambda lib: lib.nn.Conv2d(3, 6, 3)(lib.ones(2, 1, 3, 8, 8)), RuntimeError,
              r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of "
              r"size: \[2, 1, 3, 8, 8\]"),
    ErrorCase(lambda lib: lib.nn.Conv2d(4, 6, 3, groups=3), ValueError,
              "in_channels must be divisible by groups"),
    ErrorCase(lambda lib: lib.nn.Conv2d(4, 6, 3, groups=4), ValueError,
              "out_channels must be divisible by groups"),
    ErrorCase(lambda lib: lib.nn.Conv2d(4, 6, 3, groups=0), ValueError,
              "groups must be a positive integer"),
    ErrorCase(lambda lib: lib.nn.Conv2d(3, 6, 3, padding="foo"), ValueError,
              r"Invalid padding string 'foo', should be one of"),
    ErrorCase(lambda lib: lib.nn.Conv1d(3, 6, 3, padding="same", stride=2), ValueError,
              "padding='same' is not supported for strided convolutions"),
    ErrorCase(lambda lib: lib.nn.Conv2d(3, 6, 3, padding_mode="bad"), ValueError,
              "padding_mode must be one of .*, but got padding_mode='bad'"),
    ErrorCase(lambda lib: lib.nn.ConvTranspose2d(3, 6, 3, padding_mode="reflect"), ValueError,
              'Only "zeros" padding mode is supported for ConvTranspose2d'),
    ErrorCase(lambda lib: lib.nn.Conv2d(3, 6, 3, padding=5, padding_mode="reflect")(
        lib.ones(1, 3, 4, 4)), RuntimeError,
        r"Padding size should be less than the corresponding input dimension, but got: "
        r"padding \(5, 5\) at dimension 3 of input \[1, 3, 4, 4\]"),
    ErrorCase(lambda lib: lib.nn.Conv1d(3, 6, 3, padding=2, padding_mode="circular")(
        lib.ones(1, 3, 1)), RuntimeError, "Padding value causes wrapping around more than once"),
    ErrorCase(lambda lib: lib.nn.ConvTranspose2d(3, 6, 3, stride=2)(
        lib.ones(1, 3, 4, 4), output_size=(20, 20)), ValueError,
        r"requested an output size of \(20, 20\), but valid sizes range from \[9, 9\] to "
        r"\[10, 10\] \(for an input of ember.Size\(\[4, 4\]\)\)"),
    ErrorCase(lambda lib: lib.nn.ConvTranspose2d(3, 6, 3, stride=2)(
        lib.ones(1, 3, 4, 4), output_size=(1, 2, 3)), ValueError,
        r"ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements \(got 3\)"),
    ErrorCase(lambda lib: lib.nn.Fold(8, 3)(lib.ones(2, 26, 36)), RuntimeError,
              "divisible by the product of kernel_size"),
]

MODULE_SPECS = [
    _layer("Conv1d", [(2, 3, 9)], 3, 4, 3),
    _layer("Conv1d", [(2, 4, 10)], 4, 6, 3, stride=2, padding=2, dilation=2, groups=2),
    _layer("Conv1d", [(3, 8)], 3, 2, 4, padding="same", bias=False),
    _layer("Conv1d", [(2, 3, 7)], 3, 2, 3, padding=2, padding_mode="reflect"),
    _layer("Conv1d", [(2, 3, 7)], 3, 2, 4, padding="same", padding_mode="circular"),
    _layer("Conv2d", [(2, 3, 12, 12)], 3, 6, 5),
    _layer("Conv2d", [(2, 4, 7, 9)], 4, 6, (3, 2), stride=(2, 1), padding=(1, 2),
           dilation=(2, 1), groups=2),
    _layer("Conv2d", [(2, 3, 6, 7)], 3, 6, 3, padding=1, groups=3, bias=False),
    _layer("Conv2d", [(2, 2, 5, 7)], 2, 3, (2, 3), padding="same", dilation=2),
    _layer("Conv2d", [(2, 2, 5, 7)], 2, 3, 3, padding="valid", stride=2),
    _layer("Conv2d", [(3, 7, 6)], 3, 2, 3, padding=1),
    _layer("Conv2d", [(2, 2, 5, 6)], 2, 3, 3, padding=(1, 2), padding_mode="reflect"),
    _layer("Conv2d", [(2, 2, 5, 6)], 2, 3, 3, padding=2, stride=2, padding_mode="replicate"),
    _layer("Conv2d", [(2, 5, 6)], 2, 3, 3, padding=(2, 1), padding_mode="circular"),
    _layer("Conv2d", [(1, 2, 5, 6)], 2, 3, (2, 3), padding="same", padding_mode="reflect"),
    _layer("Conv3d", [(2, 2, 4, 5, 4)], 2, 3, (2, 3, 2), stride=(1, 2, 1), padding=1),
    _layer("Conv3d", [(2, 4, 5, 4)], 2, 4, 3, padding="same", groups=2, padding_mode="replicate"),
    _layer("ConvTranspose1d", [(2, 3, 5)], 3, 4, 3, stride=2, padding=1, output_padding=1),
    _layer("ConvTranspose1d", [(4, 5)], 4, 2, 2, groups=2, dilation=2, bias=False),
    _layer("ConvTranspose2d", [(2, 3, 4, 5)], 3, 2, 3),
    _layer("ConvTranspose2d", [(2, 4, 3, 4)], 4, 6, (3, 2), stride=(2, 3), padding=(1, 0),
           output_padding=(1, 2), groups=2),
    _layer("ConvTranspose2d", [(3, 3, 3)], 3, 2, 3, stride=2, padding=1, dilation=2),
    _layer("ConvTranspose2d", [(2, 3, 4, 4)], 3, 2, 3, stride=2, padding=1,
           call=lambda module, x: module(x, output_size=[8, 8])),
    _layer("ConvTranspose2d", [(3, 4, 4)], 3, 2, 3, stride=2,
           call=lambda module, x: module(x, output_size=(2, 10, 9))),
    _layer("ConvTranspose3d", [(2, 2, 3, 2, 3)], 2, 2, (2, 3, 2), stride=2, padding=1,
           output_padding=(1, 0, 1)),
    _layer("Unfold", [(2, 3, 5, 6)], (2, 3), dilation=(2, 1), padding=1, stride=(1, 2)),
    _layer("Fold", [(2, 12, 15)], (5, 6), (2, 3), dilation=(2, 1), padding=1, stride=(1, 2)),
    ModuleSpec("conv-errors", lambda lib: lib.nn.Identity(), [], modes=(),
               error_cases=_MODULE_ERRORS),
]

make_module_tests(globals(), MODULE_SPECS)


# ---------------------------------------------------------------------- focused checks
_REPRS = [
    "Conv1d(3, 6, 3)",
    "Conv2d(3, 6, 5)",
    "Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1))",
    "Conv2d(3, 6, 3, padding='same', padding_mode='reflect', groups=3, bias=False)",
    "Conv2d(3, 6, 3, padding='valid')",
    "Conv3d(3, 6, 3, padding=(1, 2, 0), stride=2)",
    "ConvTranspose1d(3, 6, 3, output_padding=1, stride=2)",
    "ConvTranspose2d(3, 6, (3, 2), stride=2, output_padding=1, dilation=(1, 2), groups=3)",
    "ConvTranspose3d(3, 6, 3, bias=False)",
    "Fold(4, 2)",
    "Fold(output_size=(4, 5), kernel_size=2, padding=1, stride=(1, 2))",
    "Unfold((2, 3), padding=1)",
]


@pytest.mark.parametrize("expression", _REPRS)
def test_repr(expression, torch):
    expected = repr(eval(expression, {}, vars(torch.nn))).replace("torch", "ember")
    assert repr(eval(expression, {}, vars(ember.nn))) == expected


def test_grad_fn_names():
    x = ember.randn(2, 3, 6, 6, dtype=ember.float64, requires_grad=True)
    w = ember.randn(4, 3, 3, 3, dtype=ember.float64, requires_grad=True)
    output = ember.nn.functional.conv2d(x, w)
    assert type(output.grad_fn).__name__ == "ConvolutionBackward0"
    transposed = ember.nn.functional.conv_transpose2d(x, w.transpose(0, 1))
    assert type(transposed.grad_fn).__name__ == "ConvolutionBackward0"
    (grad_w,) = ember.autograd.grad(output.sum(), [w], create_graph=True)
    assert type(grad_w.grad_fn).__name__ == "ConvolutionBackwardBackward0"
    assert type(ember.nn.functional.unfold(x, 2).grad_fn).__name__ == "Im2ColBackward0"
    columns = ember.randn(2, 12, 4, requires_grad=True)
    assert type(ember.nn.functional.fold(columns, 3, 2).grad_fn).__name__ == "Col2ImBackward0"


def test_double_backward_matches_torch(torch):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in [(2, 4, 5, 6), (6, 2, 3, 2), (6,)]]
    results = []
    for lib in (ember, torch):
        x, w, b = (lib.from_numpy(a.copy()).requires_grad_() for a in arrays)
        output = _F(lib).conv2d(x, w, b, stride=2, padding=(1, 0), groups=2)
        grads = lib.autograd.grad((output ** 2).sum(), [x, w], create_graph=True)
        total = (grads[0] ** 2).sum() + (grads[1] ** 2).sum()
        results.append([g.detach().numpy() for g in lib.autograd.grad(total, [x, w, b])])
    for actual, expected in zip(*results):
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name,args,fan_in", [
    ("Conv2d", (3, 6, 5), 3 * 25), ("Conv1d", (4, 8, 3, 1, 0, 1, 2), 2 * 3),
    ("ConvTranspose2d", (6, 4, 3), 4 * 9), ("ConvTranspose3d", (6, 4, 2, 1, 0, 0, 2), 2 * 8),
])
def test_default_init(name, args, fan_in):
    ember.manual_seed(0)
    layers = [getattr(ember.nn, name)(*args) for _ in range(20)]
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)) and the bias share this bound
    for values in ([m.weight for m in layers], [m.bias for m in layers]):
        values = np.concatenate([v.detach().numpy().ravel() for v in values])
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.9 * bound
        assert abs(values.std() - bound / math.sqrt(3)) < 0.1 * bound


def test_top_level_functions():
    for name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "convolution"):
        assert callable(getattr(ember, name))
    assert ember.nn.functional.conv2d is ember.conv2d


def test_fold_of_unfold_counts_overlaps(torch):
    x = ember.ones(1, 2, 5, 5)
    counts = ember.nn.functional.fold(ember.nn.functional.unfold(x, 3, padding=1), 5, 3,
                                      padding=1)
    expected = torch.nn.functional.fold(torch.nn.functional.unfold(torch.ones(1, 2, 5, 5), 3,
                                                                   padding=1), 5, 3, padding=1)
    np.testing.assert_array_equal(counts.numpy(), expected.numpy())


def test_lenet_shapes():
    features = ember.nn.Sequential(ember.nn.Conv2d(3, 6, 5), ember.nn.ReLU(),
                                   ember.nn.Conv2d(6, 16, 5, stride=2))
    output = features(ember.randn(4, 3, 32, 32))
    assert tuple(output.shape) == (4, 16, 12, 12)
    output.sum().backward()
    assert all(p.grad is not None for p in features.parameters())
