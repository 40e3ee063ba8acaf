"""Printing tensors like PyTorch: ``repr(tensor)``, ``set_printoptions``, ``get_printoptions``.

All elements of a tensor share one formatter, so columns line up: floats print in integer
mode (``1.``), fixed point (``1.5000``) or scientific notation (``1.5000e+10``), chosen from the
magnitudes of the finite non-zero elements that will be shown.
"""

import dataclasses
import math

import numpy as np

from ember import _dtype
from ember.backends import namespace


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()
_PROFILES = {"default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
             "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
             "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    r"""Sets options for printing tensors.

    Args:
        precision: number of digits of precision for floating point output (default = 4).
        threshold: total number of array elements which trigger summarization rather than
            full ``repr`` (default = 1000).
        edgeitems: number of array items in summary at beginning and end of each dimension
            (default = 3).
        linewidth: the number of characters per line for the purpose of inserting line
            breaks (default = 80).
        profile: sane defaults for pretty printing; ``'default'``, ``'short'`` or ``'full'``.
        sci_mode: enable (True) or disable (False) scientific notation; ``None`` (default) lets
            the formatter choose. Every call that does not pass it resets it to ``None``.
    """
    options = dict(_PROFILES.get(profile, {}))
    given = dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                 linewidth=linewidth)
    options.update({name: value for name, value in given.items() if value is not None})
    for name, value in options.items():
        setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current print options, as a dict of :func:`set_printoptions`' keyword arguments."""
    return dataclasses.asdict(PRINT_OPTS)


# ------------------------------------------------------------------------------- formatting
class _Formatter:
    """Formats the real scalars of one array with a shared notation and width."""

    def __init__(self, values):
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not self.floating:
            self.width = max((len(str(value)) for value in values.ravel().tolist()), default=1)
        else:
            self._fit(values[np.isfinite(values) & (values != 0)].astype(np.float64))

    def _fit(self, finite):
        """Picks the notation from the finite non-zero values and measures their width."""
        if finite.size == 0:
            return
        smallest, largest = np.abs(finite).min(), np.abs(finite).max()
        self.int_mode = bool((finite == np.ceil(finite)).all())
        self.sci_mode = PRINT_OPTS.sci_mode
        if self.sci_mode is None:
            self.sci_mode = bool(largest / smallest > 1000.0 or largest > 1.0e8
                                 or (not self.int_mode and smallest < 1.0e-4))
        self.width = max(len(self._text(value)) for value in finite.tolist())

    def _text(self, value):
        if not self.floating:
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRINT_OPTS.precision}e}"
        if self.int_mode:
            return f"{value:.0f}" + ("." if math.isfinite(value) else "")
        return f"{value:.{PRINT_OPTS.precision}f}"

    def __call__(self, value):
        return self._text(value).rjust(self.width)


class _ComplexFormatter:
    """Formats complex scalars as ``real+imagj``, each part with its own formatter."""

    def __init__(self, values):
        self.real, self.imag = _Formatter(values.real), _Formatter(values.imag)
        self.width = self.real.width + self.imag.width + 1

    def __call__(self, value):
        imag = (self.imag(value.imag) + "j").lstrip()
        return self.real(value.real) + ("" if imag[0] in "+-" else "+") + imag


def _formatter(values):
    return _ComplexFormatter(values) if values.dtype.kind == "c" else _Formatter(values)


# ------------------------------------------------------------------------------- layout
def _summarize(data):
    """The first and last ``edgeitems`` of each dimension longer than twice that, and which
    dimensions were cut."""
    edge, xp = PRINT_OPTS.edgeitems, namespace(data)
    cut = tuple(size > 2 * edge for size in data.shape)
    for axis, size in enumerate(data.shape):
        if cut[axis]:
            kept = xp.concatenate((xp.arange(edge), xp.arange(size - edge, size)))
            data = data.take(kept, axis=axis)
    return data, cut


def _with_ellipsis(items, cut, ellipsis):
    if not cut:
        return items
    half = len(items) // 2
    return items[:half] + [ellipsis] + items[half:]


def _vector_str(values, cut, indent, formatter):
    per_line = max(1, (PRINT_OPTS.linewidth - indent) // (formatter.width + 2))
    ellipsis = " ..." if PRINT_OPTS.edgeitems else "..."
    texts = _with_ellipsis([formatter(value) for value in values.tolist()], cut, ellipsis)
    lines = [", ".join(texts[start:start + per_line])
             for start in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _array_str(values, cut, indent, formatter):
    if values.ndim == 0:
        return formatter(values.item())
    if values.ndim == 1:
        return _vector_str(values, cut[0], indent, formatter)
    slices = [_array_str(row, cut[1:], indent + 1, formatter) for row in values]
    separator = "," + "\n" * (values.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(_with_ellipsis(slices, cut[0], "...")) + "]"


def _contents(tensor, indent):
    data = tensor._data
    if data.size > PRINT_OPTS.threshold:
        data, cut = _summarize(data)
    else:
        cut = (False,) * data.ndim
    values = data if type(data) is np.ndarray else data.get()
    return _array_str(values, cut, indent, _formatter(values))


# ------------------------------------------------------------------------------- repr
def _prefix(tensor):
    from ember._tensor import Tensor

    if type(tensor) is Tensor:
        return "tensor("
    from ember.nn.parameter import Parameter

    # PyTorch names other subclasses after their class: ``MyTensor([1.])``.
    return "tensor(" if type(tensor) is Parameter else f"{type(tensor).__name__}("


def _shows_dtype(tensor):
    default = _dtype.get_default_dtype()
    if tensor._data.size == 0:
        return tensor.dtype != default
    return tensor.dtype not in (default, default.to_complex(), _dtype.int64, _dtype.bool)


def _suffixes(tensor):
    suffixes = []
    if tensor.device.type != "cpu":
        suffixes.append(f"device='{tensor.device}'")
    empty = tensor._data.size == 0
    if (empty and tensor.ndim != 1) or (not empty and not PRINT_OPTS.edgeitems):
        suffixes.append(f"size={tuple(tensor.shape)}")
    if _shows_dtype(tensor):
        suffixes.append(f"dtype={tensor.dtype}")
    if tensor._grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor._grad_fn.name()}>")
    elif tensor._requires_grad:
        suffixes.append("requires_grad=True")
    return suffixes


def _add_suffixes(text, suffixes, indent):
    """Appends ``, suffix`` items, starting a new line where one would pass ``linewidth``."""
    # PyTorch measures the last line two characters long; the quirk decides where lines break.
    line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > PRINT_OPTS.linewidth:
            text += ",\n" + " " * indent + suffix
            line_length = indent + len(suffix)
        else:
            text += ", " + suffix
            line_length += len(suffix) + 2
    return text + ")"


def _str(tensor, tensor_contents=None):
    """``repr(tensor)``: ``tensor(<values>, <suffixes>)`` as PyTorch prints it."""
    prefix = _prefix(tensor)
    if tensor_contents is None:
        empty = tensor._data.size == 0
        tensor_contents = "[]" if empty else _contents(tensor, len(prefix))
    return _add_suffixes(prefix + tensor_contents, _suffixes(tensor), len(prefix))
