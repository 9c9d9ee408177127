"""How a tensor prints: ``tensor([[0., 1.], ...])``, laid out as PyTorch lays it out.

One width for every element of a tensor; floats that are all whole numbers
print as ``3.``; wide-ranging floats switch to scientific notation; more than
``threshold`` elements are summarised with ``...``; a non-default dtype, a
device other than the CPU, ``requires_grad`` and ``grad_fn`` follow as suffixes.
"""

import math
from dataclasses import dataclass

from . import backend, dtypes


@dataclass
class PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


options = PrintOptions()
PROFILES = {  # precision, threshold, edgeitems, linewidth
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
):
    # Like PyTorch, a profile it does not know (a list too: no TypeError) changes nothing.
    if isinstance(profile, str) and profile in PROFILES:
        options.precision, options.threshold, options.edgeitems, options.linewidth = PROFILES[
            profile
        ]
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            setattr(options, name, value)
    options.sci_mode = sci_mode


class ElementFormatter:
    """Chooses one notation and one width for all the elements that will print."""

    def __init__(self, values, is_floating):
        self.is_floating = is_floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if not is_floating:
            self.width = max((len(str(v)) for v in values), default=1)
            return
        shown = [v for v in values if math.isfinite(v) and v != 0]
        if not shown:
            return
        magnitudes = [abs(v) for v in shown]
        smallest, largest = min(magnitudes), max(magnitudes)
        self.int_mode = all(v == math.ceil(v) for v in shown)
        wide = largest / smallest > 1000.0 or largest > 1.0e8
        if self.int_mode:
            self.sci_mode = wide
        else:
            self.sci_mode = wide or smallest < 1.0e-4
        if options.sci_mode is not None:
            self.sci_mode = options.sci_mode
        precision = options.precision
        if self.sci_mode:
            self.width = max(len(f"{v:.{precision}e}") for v in shown)
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in shown)
        else:
            self.width = max(len(f"{v:.{precision}f}") for v in shown)

    def format(self, value):
        if not self.is_floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{options.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{options.precision}f}"
        return " " * (self.width - len(text)) + text


def summarized_values(array, edge):
    """The elements that will actually print, picked as PyTorch picks them (its slices
    included, so that a negative ``edgeitems`` prints what PyTorch prints)."""
    if array.ndim == 0:
        return [array.item()]
    if array.ndim == 1:
        if array.shape[0] > 2 * edge:
            return array[:edge].tolist() + array[-edge:].tolist()
        return array.tolist()
    if not edge:
        return []
    rows = range(array.shape[0])
    if array.shape[0] > 2 * edge:
        rows = list(range(edge)) + list(range(array.shape[0] - edge, array.shape[0]))
    if not rows:
        raise RuntimeError(
            f"cannot summarise a tensor of {array.ndim} dims with edgeitems={edge}: "
            "set_printoptions(edgeitems=...) takes a number >= 0"
        )
    values = []
    for i in rows:
        values.extend(summarized_values(array[i], edge))
    return values


def format_array(array, indent, summarize, formatter):
    if array.ndim == 0:
        return formatter.format(array.item())
    edge = options.edgeitems
    if array.ndim == 1:
        return format_vector(array, indent, summarize, formatter)
    if summarize and array.shape[0] > 2 * edge:
        rows = [format_array(array[i], indent + 1, summarize, formatter) for i in range(edge)]
        rows.append("...")
        rows += [
            format_array(array[i], indent + 1, summarize, formatter)
            for i in range(array.shape[0] - edge, array.shape[0])
        ]
    else:
        rows = [format_array(row, indent + 1, summarize, formatter) for row in array]
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def format_vector(array, indent, summarize, formatter):
    per_line = max(1, math.floor((options.linewidth - indent) / (formatter.width + 2)))
    edge = options.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and array.shape[0] > 2 * edge:
        items = [formatter.format(v) for v in array[:edge].tolist()]
        items.append(" ...")
        items += [formatter.format(v) for v in array[-edge:].tolist()]
    else:
        items = [formatter.format(v) for v in array.tolist()]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def format_body(array, indent):
    summarize = array.size > options.threshold
    is_floating = array.dtype.kind == "f"
    if is_floating and array.dtype.itemsize < 4:
        array = array.astype("float32")
    values = summarized_values(array, options.edgeitems) if summarize else array.ravel().tolist()
    formatter = ElementFormatter(values, is_floating)
    return format_array(array, indent, summarize, formatter)


def format_tensor(tensor, prefix="tensor(", extra_suffixes=()):
    array = backend.to_host(tensor._data)
    indent = len(prefix)
    dtype = tensor.dtype
    suffixes = []
    if tensor.device.type != "cpu":
        suffixes.append(f"device='{tensor.device}'")
    default_dtypes = (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool)
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype is not dtypes.get_default_dtype():
            suffixes.append(f"dtype={dtype}")
        body = "[]"
    else:
        if not options.edgeitems:  # nothing but "..." may print, so the size says what is there
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype not in default_dtypes:
            suffixes.append(f"dtype={dtype}")
        body = format_body(array, indent)
    if tensor.grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor.grad_fn.name()}>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")
    suffixes.extend(extra_suffixes)
    return add_suffixes(prefix + body, suffixes, indent)


def add_suffixes(text, suffixes, indent):
    parts = [text]
    last_line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_length + len(suffix) + 2 > options.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_length = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_length += len(suffix) + 2
    parts.append(")")
    return "".join(parts)
