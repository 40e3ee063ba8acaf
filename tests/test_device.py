"""``ember.device``, ``ember.memory_format``, the CUDA/accelerator queries and the backend flags.
The no-GPU tests skip where CuPy sees a GPU."""

import copy
import pickle

import pytest

import ember
from tests.op_db import ErrorCase, check_error

no_gpu = pytest.mark.skipif(ember.cuda.is_available(), reason="a CUDA device is available")

DEVICES = {
    "cpu": lambda lib: lib.device("cpu"),
    "cuda": lambda lib: lib.device("cuda"),
    "cuda_0": lambda lib: lib.device("cuda:0"),
    "cuda_12": lambda lib: lib.device("cuda:12"),
    "cpu_0": lambda lib: lib.device("cpu:0"),
    "meta": lambda lib: lib.device("meta"),
    "mps": lambda lib: lib.device("mps"),
    "xpu": lambda lib: lib.device("xpu"),
    "type_and_index": lambda lib: lib.device("cuda", 1),
    "cpu_and_index": lambda lib: lib.device("cpu", 1),
    "integer": lambda lib: lib.device(2),
    "device": lambda lib: lib.device(lib.device("cuda", 1)),
}


@pytest.mark.parametrize("name", DEVICES)
def test_device_construction_matches_pytorch(name, torch):
    actual, expected = DEVICES[name](ember), DEVICES[name](torch)
    assert (actual.type, actual.index) == (expected.type, expected.index)
    assert repr(actual) == repr(expected) and str(actual) == str(expected)


def test_device_by_hand():
    assert repr(ember.device("cuda", 1)) == "device(type='cuda', index=1)"
    assert str(ember.device("cuda:0")) == "cuda:0" and str(ember.device("cpu")) == "cpu"
    assert repr(ember.device("cpu")) == "device(type='cpu')"
    assert ember.device("cuda:3").index == 3 and ember.device("cuda").index is None


@pytest.mark.parametrize("text", ["cuda:-1", "cuda:x", "cuda:", ":0", " cuda", "cuda:01",
                                  "cuda:0:1", "gpu", "CUDA", ""])
def test_invalid_device_strings(text, torch):
    check_error(ErrorCase(lambda lib: lib.device(text), RuntimeError,
                          "Invalid device string|Expected one of cpu, cuda"), torch)


@pytest.mark.parametrize("case", [
    ErrorCase(lambda lib: lib.device("cuda", -1), RuntimeError,
              "Device index must not be negative"),
    ErrorCase(lambda lib: lib.device(-1), RuntimeError, "Device index must not be negative"),
    ErrorCase(lambda lib: lib.device("cuda:0", 1), RuntimeError,
              "type \\(string\\) must not include an index because index was passed "
              "explicitly: cuda:0"),
])
def test_invalid_device_arguments(case, torch):
    check_error(case, torch)


def test_device_equality_and_hashing(torch):
    comparisons = [
        lambda lib: lib.device("cpu") == lib.device("cpu"),
        lambda lib: lib.device("cuda:0") == lib.device("cuda"),
        lambda lib: lib.device("cuda", 1) == lib.device("cuda:1"),
        lambda lib: lib.device("cpu", 0) == lib.device("cpu"),
        lambda lib: lib.device("cpu") == "cpu",  # False in PyTorch: a device is not a string
        lambda lib: "cpu" == lib.device("cpu"),
        lambda lib: lib.device("cpu") != "cpu",
        lambda lib: lib.device("cpu") == "xyz",
        lambda lib: lib.device("cpu") == 3,
        lambda lib: lib.ones(2).device == lib.device("cpu"),
        lambda lib: lib.ones(2).device.type == "cpu",
        lambda lib: str(lib.ones(2).device) == "cpu",
        lambda lib: {lib.device("cuda", 1): 1}.get(lib.device("cuda:1")),
        lambda lib: hash(lib.device("cpu")) == hash(lib.device("cpu")),
    ]
    assert [check(ember) for check in comparisons] == [check(torch) for check in comparisons]


def test_device_pickles_and_copies():
    device = ember.device("cuda", 1)
    assert pickle.loads(pickle.dumps(device)) == device
    assert copy.deepcopy(device) == device


def test_tensors_on_the_cpu(torch):
    for lib in (ember, torch):
        for tensor in (lib.ones(2), lib.zeros(2, device="cpu"), lib.tensor([1], device="cpu:0"),
                       lib.ones(2, device=lib.device("cpu")), lib.rand(2, device="cpu"),
                       lib.ones(2).to(device="cpu", dtype=lib.float64), lib.ones(2).cpu()):
            assert tensor.device == lib.device("cpu") and not tensor.is_cuda and tensor.is_cpu


def test_memory_formats(torch):
    for name in ("contiguous_format", "preserve_format", "channels_last", "channels_last_3d"):
        assert repr(getattr(ember, name)) == repr(getattr(torch, name)).replace("torch", "ember")
        assert pickle.loads(pickle.dumps(getattr(ember, name))) is getattr(ember, name)
    transposed = ember.ones(3, 4).t()
    assert not transposed.clone().is_contiguous()
    assert transposed.clone(memory_format=ember.contiguous_format).is_contiguous()


# ---------------------------------------------------------------------- CUDA and accelerators
@no_gpu
def test_cuda_queries_without_a_gpu():
    assert ember.cuda.is_available() is False and ember.cuda.device_count() == 0
    assert ember.backends.cudnn.is_available() is False
    assert ember.accelerator.is_available() is False
    assert ember.accelerator.device_count() == 0
    assert ember.accelerator.current_accelerator() is None
    assert ember.cuda.is_bf16_supported() is False
    ember.cuda.synchronize()
    ember.cuda.empty_cache()


@no_gpu
@pytest.mark.parametrize("use_cuda", [
    lambda: ember.ones(2).to("cuda"), lambda: ember.ones(2).cuda(),
    lambda: ember.ones(2).to(ember.device("cuda", 0)), lambda: ember.zeros(2, device="cuda"),
    lambda: ember.tensor([1.0], device="cuda"), lambda: ember.arange(3, device="cuda"),
    lambda: ember.randn(2, device="cuda"), lambda: ember.ones(2).type("ember.cuda.FloatTensor"),
    lambda: ember.cuda.current_device(), lambda: ember.cuda.get_device_name(),
    lambda: ember.cuda.set_device(0), lambda: ember.cuda.FloatTensor([1.0]),
    lambda: ember.cuda.LongTensor(2, 3), lambda: ember.ones(2).type(ember.cuda.DoubleTensor),
])
def test_using_cuda_without_a_gpu_raises(use_cuda):
    with pytest.raises(AssertionError, match="CUDA"):
        use_cuda()


def test_legacy_cuda_types(torch):
    for lib in (ember, torch):
        assert not isinstance(lib.ones(1), lib.cuda.FloatTensor)
        assert lib.cuda.LongTensor.__module__ == f"{lib.__name__}.cuda"
        assert lib.ones(2).type(lib.DoubleTensor).dtype == lib.float64


def test_mps_is_never_available():
    assert ember.backends.mps.is_available() is False
    assert ember.backends.mps.is_built() is False


def test_backend_flags_are_settable(torch):
    cudnn, matmul = ember.backends.cudnn, ember.backends.cuda.matmul
    for flags, names in ((cudnn, ("benchmark", "deterministic", "enabled", "allow_tf32")),
                         (matmul, ("allow_tf32", "allow_fp16_reduced_precision_reduction"))):
        torch_flags = torch.backends.cudnn if flags is cudnn else torch.backends.cuda.matmul
        for name in names:
            default = getattr(flags, name)
            assert default == getattr(torch_flags, name), name
            setattr(flags, name, not default)
            assert getattr(flags, name) is (not default)
            setattr(flags, name, default)
