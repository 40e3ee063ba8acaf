"""Every program in examples/ runs end to end (short settings, offline) and prints what its
seed tutorial says it should."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ember

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FLOAT = r"(-?\d+\.\d+(?:e-?\d+)?)"


def run_example(name, *args, cwd):
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=cwd,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def numbers(pattern, lines):
    return [float(m[1]) for m in map(re.compile(pattern).fullmatch, lines) if m]


def test_every_example_is_tested():
    tested = {"linear_regression.py", "polynomial_fit_numpy.py", "polynomial_fit_tensors.py",
              "polynomial_fit.py", "autograd_basics.py", "mnist_mlp.py", "cifar10_lenet.py",
              "classifier_pipeline.py", "finetune.py"}
    assert {path.name for path in EXAMPLES.glob("*.py")} == tested


def test_linear_regression_recovers_w_and_b(tmp_path):
    lines = run_example("linear_regression.py", cwd=tmp_path)
    losses = numbers(rf"epoch: \d+ loss: {FLOAT}", lines)
    assert len(losses) == 20 and losses[-1] < losses[0] and losses[-1] < 1e-2
    w, b = map(float, re.fullmatch(rf"w = {FLOAT}, b = {FLOAT}", lines[-2]).groups())
    assert w == pytest.approx(2, abs=0.02) and b == pytest.approx(3, abs=0.1)
    predicted = [float(v) for v in lines[-3].removeprefix("predict: ").split()]
    np.testing.assert_allclose(predicted, 2 * np.arange(1, 12) + 3, atol=0.1)
    assert lines[-1] == "load_state_dict: <All keys matched successfully>"
    state = ember.load(tmp_path / "model.pkl")
    assert state["linear.weight"].item() == pytest.approx(w, abs=1e-4)


# the least-squares cubic for sin on [-pi, pi]: b and d converge fast, a and c slowly
@pytest.mark.parametrize("name, steps", [("polynomial_fit_numpy.py", 5000),
                                         ("polynomial_fit_tensors.py", 2000),
                                         ("polynomial_fit.py", 2000)])
def test_polynomial_fit_loss_decreases(tmp_path, name, steps):
    lines = run_example(name, cwd=tmp_path)
    losses = numbers(rf"\d+ {FLOAT}", lines)
    assert len(losses) == steps // 100
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))
    assert losses[-1] < 30
    result = re.fullmatch(rf"Result: y = {FLOAT} \+ {FLOAT} x \+ {FLOAT} x\^2 \+ {FLOAT} x\^3",
                          lines[-1])
    a, b, c, d = map(float, result.groups())
    x = np.linspace(-np.pi, np.pi, 2000)
    best = np.linalg.lstsq(np.stack([x ** k for k in range(4)], 1), np.sin(x), rcond=None)[0]
    assert b == pytest.approx(best[1], abs=0.05) and d == pytest.approx(best[3], abs=0.01)


def test_autograd_basics(tmp_path):
    lines = run_example("autograd_basics.py", cwd=tmp_path)
    # the values the seed prints, worked out by hand
    assert lines == [
        "True True True",
        "is_leaf: True True False False False",
        "w.grad: tensor([5.])",
        "a.grad: tensor([2.])",
        "x: tensor([[0., 0.],",
        "        [1., 2.]], requires_grad=True)",
        "y: tensor([[1., 1.],",
        "        [0., 1.]], grad_fn=<AddBackward0>)",
        "x_grad: tensor([[-2., -2.],",
        "        [ 0.,  2.]])",
        "tensor(-2.)",
        "tensor(2.)",
    ]


def test_mnist_mlp_fake_data(tmp_path):
    lines = run_example("mnist_mlp.py", "--fake-data", "--epochs", "2", "--limit", "256",
                        cwd=tmp_path)
    assert numbers(rf"Epoch \[\d/2\], Loss: {FLOAT}", lines)[-1] > 0
    assert len(numbers(rf"Epoch \[\d/2\], Loss: {FLOAT}", lines)) == 2
    assert re.fullmatch(r"Accuracy of the model on the 256 test images: \d+(\.\d+)?%", lines[-1])


def write_mnist(root, count, seed):
    """IDX files in MNIST's layout whose digit k is a bright bar on rows 2k..2k+3, plus noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, count).astype(np.uint8)
    images = rng.integers(0, 60, (count, 28, 28)).astype(np.uint8)
    for image, label in zip(images, labels):
        image[2 * label + 4:2 * label + 8, 4:24] = 255
    prefix = "train" if seed == 0 else "t10k"
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / f"{prefix}-images-idx3-ubyte").write_bytes(
        bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in images.shape)
        + images.tobytes())
    (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(
        bytes([0, 0, 8, 1]) + count.to_bytes(4, "big") + labels.tobytes())


def test_mnist_mlp_reads_mnist_files(tmp_path):
    """Without --fake-data the example reads MNIST's files from ./data (present, so nothing
    is downloaded) and learns them."""
    write_mnist(tmp_path / "data", 1280, seed=0)
    write_mnist(tmp_path / "data", 200, seed=1)
    lines = run_example("mnist_mlp.py", "--epochs", "3", cwd=tmp_path)
    losses = numbers(rf"Epoch \[\d/3\], Loss: {FLOAT}", lines)
    assert len(losses) == 3 and losses[-1] < losses[0]
    accuracy = numbers(rf"Accuracy of the model on the 200 test images: {FLOAT}%", lines)
    assert accuracy[0] > 90


def test_cifar10_lenet_fake_data(tmp_path):
    lines = run_example("cifar10_lenet.py", "--fake-data", "--epochs", "1", "--limit", "200",
                        cwd=tmp_path)
    classes = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    assert all(name in classes for name in lines[0].split()) and len(lines[0].split()) == 4
    assert re.fullmatch(r"\[1,    50\] loss: \d\.\d{3}", lines[1])
    assert lines[2] == "Finished Training"
    assert re.fullmatch(r"Accuracy of the network on the 200 test images: \d+ %", lines[3])
    assert [line.split(":")[0] for line in lines[4:]] == [f"Accuracy of {c:>5} " for c in classes]
    net = ember.load(tmp_path / "cifar_net.pth")
    assert net["conv1.weight"].shape == (6, 3, 5, 5)


def test_classifier_pipeline_fake_data(tmp_path):
    lines = run_example("classifier_pipeline.py", "--fake-data", "--epochs", "2", "--limit",
                        "64", "--batch-size", "16", cwd=tmp_path)
    losses = numbers(rf"epoch \d: train loss {FLOAT}, eval accuracy \d+\.\d %", lines)
    assert len(losses) == 2 and all(loss > 0 for loss in losses)


def test_finetune_per_layer_learning_rates(tmp_path):
    lines = run_example("finetune.py", "--fake-data", "--epochs", "2", "--limit", "64",
                        cwd=tmp_path)
    lrs = [line.rsplit("lr ", 1)[1] for line in lines if "epoch" in line]
    assert lrs == ["[0.01]", "[0.01]", "[0.001, 0.01]", "[0.0001, 0.001]"]
    assert ("load_state_dict: <All keys matched successfully> "
            "(10 of 10 tensors from net_params.pkl)") in lines
    assert (tmp_path / "net_params.pkl").exists()
