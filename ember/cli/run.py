"""Runs an unmodified PyTorch script on ember: ``import torch`` and ``import torchvision``
give ember's modules (nothing is written to disk), then the script runs as ``__main__``
with its arguments. A PyTorch name ember lacks fails naming it."""

import argparse
import importlib
import importlib.abc
import importlib.util
import os
import re
import runpy
import sys
import traceback
import types

NAME = "run"
HELP = "run an unmodified PyTorch script on ember"

# (PyTorch module, ember module), most specific first
_ALIASES = (("torch.utils.tensorboard", "ember.utils.tensorboard"),
            ("tensorboardX", "ember.utils.tensorboard"),
            ("torchvision", "ember.vision"),
            ("torch", "ember"))
# left to the real package when ember lacks the module
_OPTIONAL = {"tensorboardX"}

_THIS_FILE = os.path.abspath(__file__)
_EMBER_DIR = os.path.dirname(os.path.dirname(_THIS_FILE))
_CANNOT_IMPORT = re.compile(r"cannot import name '([^']+)'")


def _rename(name, aliases):
    """``name`` with its first matching prefix ``old`` replaced by ``new``, or None."""
    for old, new in aliases:
        if name == old or name.startswith(old + "."):
            return new + name[len(old):]
    return None


def ember_name(name: str):
    """The ember module a PyTorch module name stands for (``torch.nn`` -> ``ember.nn``), or
    None when the name is not PyTorch's."""
    return _rename(name, _ALIASES)


def pytorch_name(name: str):
    """The PyTorch name of an ember module (``ember.vision.io`` -> ``torchvision.io``)."""
    return _rename(name, [(new, old) for old, new in _ALIASES if old not in _OPTIONAL])


class _AliasLoader(importlib.abc.Loader):
    """Loads an alias as the ember module itself, so ``torch.nn is ember.nn``."""

    def __init__(self, target):
        self.target = target
        self._spec = None

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self._spec = module.__spec__
        return module

    def exec_module(self, module):
        # the import system pointed the module's __spec__ at the alias: give it back
        module.__spec__ = self._spec


class AliasFinder(importlib.abc.MetaPathFinder):
    """A meta-path finder that imports ``torch``/``torchvision`` (and their submodules) as
    the ember modules of the same names, and refuses the ones ember lacks."""

    def find_spec(self, fullname, path, target=None):
        target_name = ember_name(fullname)
        if target_name is None:
            return None
        if importlib.util.find_spec(target_name) is None:
            if fullname in _OPTIONAL:
                return None
            raise ModuleNotFoundError(f"ember does not implement {fullname}", name=fullname)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(target_name))


def install() -> AliasFinder:
    """Puts an :class:`AliasFinder` first on ``sys.meta_path`` and returns it."""
    finder = AliasFinder()
    sys.meta_path.insert(0, finder)
    return finder


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", help="the PyTorch script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the script's arguments")


def main(args: argparse.Namespace) -> int:
    script = args.script
    if not os.path.isfile(script):
        print(f"ember run: can't open file {os.path.abspath(script)!r}: "
              "[Errno 2] No such file or directory", file=sys.stderr)
        return 2
    sys.argv = [script, *args.args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    install()
    try:
        runpy.run_path(script, run_name="__main__")
    except Exception as error:  # SystemExit and KeyboardInterrupt keep their usual meaning
        _report(error, script)
        return 1
    return 0


# ------------------------------------------------------------------ error report
def _report(error, script):
    """Prints ``error``'s traceback from the script's first frame on (as ``python script.py``
    would), naming the PyTorch name behind it when ember lacks one."""
    _name_missing(error)
    tb = error.__traceback__
    script = os.path.abspath(script)
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != script:
        tb = tb.tb_next
    report = traceback.TracebackException(type(error), error, tb)
    # the alias finder's frame is machinery, like importlib's frozen frames Python hides
    report.stack = traceback.StackSummary.from_list(
        [entry for entry in report.stack if os.path.abspath(entry.filename) != _THIS_FILE])
    print("".join(report.format()), end="", file=sys.stderr)


def _name_missing(error):
    """Rewrites the message of an error raised because ember lacks a PyTorch name into
    ``ember does not implement torch.X (needed by script.py, line N)``."""
    frame = _accessing_frame(error.__traceback__)
    name = _missing_name(error)
    if frame is None or name is None:
        return
    message = (f"ember does not implement {name} "
               f"(needed by {os.path.basename(frame.f_code.co_filename)}, line {frame.f_lineno})")
    error.args = (message,)
    if isinstance(error, ImportError):
        error.msg = message


def _missing_name(error):
    """The PyTorch name whose absence in ember raised ``error``, or None."""
    if isinstance(error, ModuleNotFoundError):
        return error.name if error.msg.startswith("ember does not implement") else None
    if isinstance(error, ImportError):
        match = _CANNOT_IMPORT.match(error.msg or "")
        owner = pytorch_name(error.name or "")
        return f"{owner}.{match.group(1)}" if match and owner else None
    if isinstance(error, AttributeError):
        owner = _owner_name(getattr(error, "obj", None))
        return f"{owner}.{error.name}" if owner and error.name else None
    return None


def _owner_name(obj):
    """The PyTorch name of an ember module, class or tensor, or None for anything else."""
    import ember

    if isinstance(obj, types.ModuleType):
        return pytorch_name(obj.__name__)
    if isinstance(obj, ember.Tensor):
        obj = ember.Tensor
    if not isinstance(obj, type):
        return None
    if getattr(ember, obj.__name__, None) is obj:
        return f"torch.{obj.__name__}"
    module = pytorch_name(obj.__module__)
    return f"{module}.{obj.__qualname__}" if module else None


def _accessing_frame(tb):
    """The frame of the script's code that made the failing lookup, or None when the lookup
    happened inside ember (an ember bug, not a missing name)."""
    frames = [frame for frame, _ in traceback.walk_tb(tb)]
    while frames and _is_lookup_machinery(frames[-1]):
        frames.pop()
    if not frames or _inside_ember(frames[-1].f_code.co_filename):
        return None
    return frames[-1]


def _is_lookup_machinery(frame):
    code = frame.f_code
    return (code.co_filename.startswith("<frozen") or code.co_name == "__getattr__"
            or os.path.abspath(code.co_filename) == _THIS_FILE)


def _inside_ember(filename):
    return os.path.abspath(filename).startswith(_EMBER_DIR + os.sep)
