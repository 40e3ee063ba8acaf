"""The ``ember`` command: ``demo``, ``run``, ``info`` and ``--version``, run as a user would
(a subprocess), plus the wheel installed into a fresh virtual environment."""

import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import numpy as np
import pytest

import ember
from ember.cli import demo
from ember.cli.run import ember_name, pytorch_name
from tests.test_examples import write_mnist

REPO = Path(__file__).resolve().parents[1]
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
ACCURACY_LINE = re.compile(r"Test accuracy: (\d+\.\d\d) % \((\d+)/360 images\)")
CLASS_LINE = re.compile(r"Accuracy of +(\d) - \w+ : +(\d+\.\d) % \((\d+)/36\)")
EPOCH_LINE = re.compile(r"epoch 1/1: train loss \d+\.\d{4}, train accuracy \d+\.\d %, "
                        r"test loss \d+\.\d{4}, test accuracy \d+\.\d %")


def ember_cli(*args, cwd, command=(sys.executable, "-m", "ember")):
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def check_demo_output(result, out):
    """The demo's report after one epoch: per-class lines adding up to the last line, the
    checkpoint and the plot (or the note saying why there is none)."""
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    match = ACCURACY_LINE.fullmatch(lines[-1])
    assert match, lines[-1]
    accuracy, correct = float(match[1]), int(match[2])
    assert accuracy == pytest.approx(100 * correct / 360, abs=0.005)
    assert accuracy > 80  # one epoch already learns the digits
    classes = [CLASS_LINE.fullmatch(line) for line in lines if line.startswith("Accuracy of")]
    assert [int(m[1]) for m in classes] == list(range(10))
    assert sum(int(m[3]) for m in classes) == correct
    assert any(EPOCH_LINE.fullmatch(line) for line in lines)
    checkpoint = ember.load(out / demo.CHECKPOINT)
    assert checkpoint["epoch"] == 1
    model = demo.DigitsNet()
    model.load_state_dict(checkpoint["model"])
    assert (len(checkpoint["optimizer"]["param_groups"][0]["params"])
            == len(list(model.parameters())))
    if HAS_MATPLOTLIB:
        assert (out / demo.PLOT).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "Plot skipped: matplotlib is not installed" in result.stdout
        assert not (out / demo.PLOT).exists()


# ------------------------------------------------------------------ demo
@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One short demo run (one epoch, seed 3), shared by the tests below."""
    cwd = tmp_path_factory.mktemp("demo")
    result = ember_cli("demo", "--epochs", "1", "--seed", "3", "--out", "out", cwd=cwd)
    return result, cwd / "out"


def test_demo_reports_accuracy_and_writes_outputs(demo_run):
    check_demo_output(*demo_run)


def test_demo_shows_a_progress_bar(demo_run):
    result, _ = demo_run
    assert "epoch 1/1" in result.stderr
    for field in ("loss=", "acc=", "img/s="):
        assert field in result.stderr


def test_demo_same_seed_same_numbers(demo_run, tmp_path):
    first, first_out = demo_run
    again = ember_cli("demo", "--epochs", "1", "--seed", "3", "--out", "out", "--quiet",
                      cwd=tmp_path)
    assert again.returncode == 0, again.stderr

    def numbers(stdout):
        return [line for line in stdout.splitlines() if not line.startswith("Finished in")]

    assert numbers(again.stdout) == numbers(first.stdout)
    assert again.stderr == ""  # --quiet: no progress bars
    first_model = ember.load(first_out / demo.CHECKPOINT)["model"]
    again_model = ember.load(tmp_path / "out" / demo.CHECKPOINT)["model"]
    for key, value in first_model.items():
        np.testing.assert_array_equal(again_model[key].numpy(), value.numpy())


def test_demo_logs_to_tensorboard(tmp_path):
    pytest.importorskip("tensorboardX")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    result = ember_cli("demo", "--epochs", "1", "--quiet", "--out", "out", "--tensorboard",
                       "runs", cwd=tmp_path)
    check_demo_output(result, tmp_path / "out")
    events = event_accumulator.EventAccumulator(str(tmp_path / "runs"), size_guidance={
        event_accumulator.HISTOGRAMS: 0})
    events.Reload()
    tags = events.Tags()
    assert sorted(tags["scalars"]) == ["test/acc", "test/loss", "train/acc", "train/loss"]
    accuracy = float(ACCURACY_LINE.fullmatch(result.stdout.splitlines()[-1])[1])
    assert events.Scalars("test/acc")[0].value == pytest.approx(accuracy / 100, abs=1e-4)
    names = [name for name, _ in demo.DigitsNet().named_parameters()]
    assert sorted(tags["histograms"]) == sorted(names)
    graph = events.Graph()
    assert any("Conv2d" in node.name for node in graph.node)


def test_demo_rejects_bad_options(tmp_path):
    result = ember_cli("demo", "--epochs", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "--epochs: must be at least 1, got 0" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_plot_skipped_without_matplotlib(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # import fails
    demo._plot({"train_loss": [1.0]}, tmp_path / "curves.png")
    assert "Plot skipped: matplotlib is not installed" in capsys.readouterr().out
    assert not (tmp_path / "curves.png").exists()


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib is not installed")
def test_demo_plot(tmp_path, capsys):
    history = {"train_loss": [1.0, 0.5], "train_acc": [0.5, 0.8], "test_loss": [0.9, 0.6],
               "test_acc": [0.6, 0.7]}
    demo._plot(history, tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"curves saved to {tmp_path / 'curves.png'}" in capsys.readouterr().out


# ------------------------------------------------------------------ info, --version
def test_version(tmp_path):
    result = ember_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"ember {importlib.metadata.version('ember')}\n"


def test_info(tmp_path):
    result = ember_cli("info", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    fields = dict(re.match(r"(\w+): +(.*)", line).groups() for line in result.stdout.splitlines())
    assert fields["ember"].startswith(importlib.metadata.version("ember"))
    assert fields["Python"].startswith(".".join(map(str, sys.version_info[:3])))
    assert fields["NumPy"] == np.__version__
    assert fields["BLAS"]
    assert fields["devices"].startswith("cpu")
    for name, module, distribution in [("Pillow", "PIL", "Pillow"), ("tqdm", "tqdm", "tqdm"),
                                       ("matplotlib", "matplotlib", "matplotlib"),
                                       ("safetensors", "safetensors", "safetensors")]:
        expected = (importlib.metadata.version(distribution)
                    if importlib.util.find_spec(module) else "not installed")
        assert fields[name] == expected
    assert "cupy" in fields


def test_no_command_is_a_usage_error(tmp_path):
    result = ember_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: ember" in result.stderr


# ------------------------------------------------------------------ run
@pytest.mark.parametrize("name, expected", [
    ("torch", "ember"), ("torch.nn.functional", "ember.nn.functional"),
    ("torch.utils.data", "ember.utils.data"), ("torchvision", "ember.vision"),
    ("torchvision.transforms", "ember.vision.transforms"),
    ("torch.utils.tensorboard", "ember.utils.tensorboard"),
    ("tensorboardX", "ember.utils.tensorboard"), ("torchaudio", None), ("torchx", None),
    ("numpy", None)])
def test_alias_names(name, expected):
    assert ember_name(name) == expected


def test_pytorch_names():
    assert pytorch_name("ember") == "torch"
    assert pytorch_name("ember.nn.modules.linear") == "torch.nn.modules.linear"
    assert pytorch_name("ember.vision.io") == "torchvision.io"
    assert pytorch_name("ember.utils.tensorboard.writer") == "torch.utils.tensorboard.writer"
    assert pytorch_name("numpy") is None


def run_script(tmp_path, source, *args, name="script.py"):
    script = tmp_path / name
    script.write_text(textwrap.dedent(source))
    return ember_cli("run", name, *args, cwd=tmp_path)


def test_run_script_logging_to_tensorboard(tmp_path):
    pytest.importorskip("tensorboardX")
    result = run_script(tmp_path, """\
        import torch
        from torch.utils.tensorboard import SummaryWriter
        from tensorboardX import SummaryWriter as TensorboardXWriter

        with SummaryWriter("runs/first") as writer:
            for step in range(3):
                writer.add_scalar("loss", 1.0 / (step + 1), step)
        print("same writer", TensorboardXWriter is SummaryWriter, torch.__name__)
        """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["same writer True ember"]
    [events] = (tmp_path / "runs" / "first").iterdir()
    assert events.name.startswith("events.out.tfevents")


def test_run_pytorch_script(tmp_path):
    result = run_script(tmp_path, """\
        import sys
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torchvision.transforms as transforms
        from torch.utils.data import DataLoader, TensorDataset

        linear = nn.Linear(2, 1)
        with torch.no_grad():
            linear.weight.fill_(1.0)
            linear.bias.fill_(0.5)
        x = torch.tensor([[1.0, 2.0], [-3.0, 1.0]])
        print("linear", F.relu(linear(x)).squeeze(1).tolist())
        print("normalize", transforms.Normalize((0.5,), (0.5,))(torch.ones(1, 2, 2)).sum().item())
        print("batches", [len(b) for b, in DataLoader(TensorDataset(x), batch_size=1)])
        print("modules", type(x).__module__, torch.nn is sys.modules["ember.nn"])
        print("main", __name__, sys.argv)
        """, "--lr", "0.1", "data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "linear [3.5, 0.0]", "normalize 4.0", "batches [1, 1]", "modules ember._tensor True",
        "main __main__ ['script.py', '--lr', '0.1', 'data']"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["script.py"]  # no files written


def test_run_script_imports_its_neighbours(tmp_path):
    (tmp_path / "helper.py").write_text("import torch\nVALUE = torch.ones(3).sum().item()\n")
    result = run_script(tmp_path, "from helper import VALUE\nprint(VALUE)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "3.0\n"


def test_run_missing_script(tmp_path):
    result = ember_cli("run", "missing.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "can't open file" in result.stderr and "missing.py" in result.stderr


def test_run_raising_script_shows_its_traceback(tmp_path):
    result = run_script(tmp_path, """\
        import torch

        def train():
            raise ValueError("loss is nan")

        train()
        """)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Traceback (most recent call last):",
        '  File "script.py", line 6, in <module>', "    train()",
        '  File "script.py", line 4, in train', '    raise ValueError("loss is nan")',
        "ValueError: loss is nan"]


def test_run_keeps_the_scripts_exit_code(tmp_path):
    result = run_script(tmp_path, "import sys\nprint('bye')\nsys.exit(3)\n")
    assert (result.returncode, result.stdout) == (3, "bye\n")


# a name ember lacks (made up, so that the test holds whatever ember adds)
@pytest.mark.parametrize("source, error", [
    ("import torch\nx = torch.ones(2)\ny = torch.not_an_api(x)\n",
     "AttributeError: ember does not implement torch.not_an_api (needed by script.py, line 3)"),
    ("import torch.nn as nn\n\nlayer = nn.NotALayer(3)\n",
     "AttributeError: ember does not implement torch.nn.NotALayer (needed by script.py, line 3)"),
    ("import torch\ntorch.ones(2).not_a_method()\n",
     "AttributeError: ember does not implement torch.Tensor.not_a_method "
     "(needed by script.py, line 2)"),
    ("import torch.not_a_module\n",
     "ModuleNotFoundError: ember does not implement torch.not_a_module "
     "(needed by script.py, line 1)"),
    ("import torchvision.not_a_module as m\n",
     "ModuleNotFoundError: ember does not implement torchvision.not_a_module "
     "(needed by script.py, line 1)"),
    ("from torch.nn import Linear, NotALayer\n",
     "ImportError: ember does not implement torch.nn.NotALayer (needed by script.py, line 1)"),
])
def test_run_names_the_missing_pytorch_name(tmp_path, source, error):
    result = run_script(tmp_path, source)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == error
    assert "ember/cli" not in result.stderr and "runpy" not in result.stderr


def test_run_leaves_other_errors_alone(tmp_path):
    result = run_script(tmp_path, """\
        try:
            import torch.not_a_module
        except ImportError:
            print("fallback")

        class Model:
            pass

        Model().weights
        """)
    assert result.returncode == 1
    assert result.stdout == "fallback\n"
    assert (result.stderr.splitlines()[-1]
            == "AttributeError: 'Model' object has no attribute 'weights'")


# ------------------------------------------------------------------ the wheel, installed fresh
@pytest.mark.slow
def test_wheel_in_fresh_venv(tmp_path):
    """The README's first commands on a clean environment: build the wheel, install it into a
    new virtual environment (dependencies come from this one's site-packages), then
    ``ember info`` and ``ember demo --epochs 1`` from it."""
    source = tmp_path / "source"
    for name in ("ember", "pyproject.toml", "README.md"):
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                             if (REPO / name).is_dir() else {}))
    pip = [sys.executable, "-m", "pip"]
    isolation = ["--no-build-isolation"] if _builds_wheels_offline() else []
    build = subprocess.run([*pip, "wheel", "--no-deps", *isolation, "-w",
                            str(tmp_path / "dist"), str(source)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("ember-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path("
                                    "'purelib'))"], capture_output=True, text=True, check=True)
    # numpy, Pillow, tqdm... from this environment, which may itself be a virtual environment
    Path(site_packages.stdout.strip(), "_parent_env.pth").write_text(
        "\n".join({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}) + "\n")
    install = subprocess.run([*pip, "--python", str(python), "install", "--no-deps",
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr

    ember_script = (str(venv / "bin" / "ember"),)
    info = ember_cli("info", cwd=tmp_path, command=ember_script)
    assert info.returncode == 0, info.stderr
    assert f"({venv}" in info.stdout.splitlines()[0]  # the installed copy, not the checkout
    result = ember_cli("demo", "--epochs", "1", "--out", "out", cwd=tmp_path,
                       command=ember_script)
    check_demo_output(result, tmp_path / "out")


def test_run_seed_mnist_program_unmodified(tmp_path):
    """Seed 001's MNIST program, as written for PyTorch, on MNIST files in ./data."""
    write_mnist(tmp_path / "data", 640, seed=0)
    write_mnist(tmp_path / "data", 100, seed=1)
    result = run_script(tmp_path, """\
        import torch
        import torchvision
        import torchvision.transforms as transforms
        from torch import nn, optim
        from torch.utils.data import DataLoader
        from torchvision.datasets import MNIST

        transform = transforms.Compose([
            transforms.ToTensor(),
            transforms.Normalize((0.5,), (0.5,))
        ])
        train_dataset = MNIST(root='./data', train=True, download=True, transform=transform)
        test_dataset = MNIST(root='./data', train=False, download=True, transform=transform)
        train_loader = DataLoader(dataset=train_dataset, batch_size=64, shuffle=True)
        test_loader = DataLoader(dataset=test_dataset, batch_size=64, shuffle=False)

        class Net(nn.Module):
            def __init__(self):
                super(Net, self).__init__()
                self.fc1 = nn.Linear(28*28, 512)
                self.fc2 = nn.Linear(512, 10)

            def forward(self, x):
                x = x.view(-1, 28*28)
                x = torch.relu(self.fc1(x))
                x = self.fc2(x)
                return x

        model = Net()
        criterion = nn.CrossEntropyLoss()
        optimizer = optim.SGD(model.parameters(), lr=0.01)
        num_epochs = 5
        for epoch in range(num_epochs):
            for images, labels in train_loader:
                outputs = model(images)
                loss = criterion(outputs, labels)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            print(f'Epoch [{epoch+1}/{num_epochs}], Loss: {loss.item():.4f}')

        model.eval()
        with torch.no_grad():
            correct = 0
            total = 0
            for images, labels in test_loader:
                outputs = model(images)
                _, predicted = torch.max(outputs.data, 1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
            print(f'Accuracy of the model on the 10000 test images: {100 * correct / total}%')
        """)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(",")[0] for line in lines[:5]] == [f"Epoch [{i}/5]" for i in range(1, 6)]
    accuracy = re.fullmatch(r"Accuracy of the model on the 10000 test images: (.*)%", lines[5])
    assert float(accuracy[1]) > 90


def _builds_wheels_offline():
    """Whether this environment's setuptools builds wheels by itself (>= 70.1, or with the
    ``wheel`` package); if not, pip fetches a build backend into an isolated environment."""
    try:
        import setuptools
    except ImportError:
        return False
    version = tuple(int(part) for part in setuptools.__version__.split(".")[:2])
    return version >= (70, 1) or importlib.util.find_spec("wheel") is not None
