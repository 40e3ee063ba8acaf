"""``import ember`` stays light and complete."""

import subprocess
import sys

HEAVY = ("torch", "torchvision", "PIL", "tqdm", "scipy", "cupy", "tensorboard", "tensorboardX",
         "safetensors", "matplotlib")


def _run(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return result.stdout.strip()


def test_import_loads_no_optional_dependency():
    loaded = _run("import sys, ember; print(' '.join(sorted(sys.modules)))").split()
    assert not [name for name in loaded if name.split(".")[0] in HEAVY]


def test_import_exposes_pytorch_namespaces():
    code = ("import ember; print(ember.nn.functional.__name__, ember.optim.__name__, "
            "ember.autograd.grad.__name__, ember.utils.data.__name__, ember.nn.Parameter.__name__)")
    assert _run(code).split() == ["ember.nn.functional", "ember.optim", "grad",
                                  "ember.utils.data", "Parameter"]


def test_unknown_attribute_raises_attribute_error():
    code = "import ember; print(hasattr(ember, 'no_such_thing'))"
    assert _run(code) == "False"
