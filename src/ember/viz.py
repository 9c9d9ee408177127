"""Draw the computation graph that autograd recorded (the notes' 计算图, SPEC A10).

    x = ember.arange(4.0, requires_grad=True)
    y = 2 * ember.dot(x, x)
    ember.viz.graph(y, "graph.svg", params={"x": x, "y": y})

The graph is read only through the public autograd API (``grad_fn``,
``next_functions``, ``AccumulateGrad.variable``). It is written as DOT text,
and rendered to SVG/PNG/PDF by Graphviz when its ``dot`` program is
installed (through the ``graphviz`` Python package if present). Without
``dot`` the DOT text is written instead, so nothing here needs Graphviz.
"""

import os
import shutil
import subprocess

from .tensor import Tensor

RENDERED_FORMATS = ("svg", "png", "pdf")
COLOURS = {"output": "darkolivegreen1", "leaf": "lightblue", "op": "lightgrey"}


class Drawing:
    """A drawn graph: ``source`` (DOT text) and ``path`` (the file written, if any).

    In a notebook it shows itself as SVG when Graphviz is installed.
    """

    def __init__(self, source, path=None, rendered=False):
        self.source, self.path, self.rendered = source, path, rendered

    def __str__(self):
        return self.source

    def __repr__(self):
        where = f", path={self.path!r}" if self.path else ""
        return f"Drawing({len(self.source.splitlines())} lines of DOT{where})"

    def _repr_svg_(self):
        return render(self.source, "svg").decode("utf-8") if dot_available() else None


def dot_available():
    """Whether Graphviz's ``dot`` program is on the PATH."""
    return shutil.which("dot") is not None


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape_text(tensor):
    return "(" + ", ".join(str(n) for n in tensor.shape) + ("," if tensor.ndim == 1 else "") + ")"


def to_dot(outputs, params=None):
    """The DOT text of the graph that produced ``outputs`` (a tensor or a list of them).

    ``params`` maps names to tensors (inputs or outputs) to label them.
    """
    if isinstance(outputs, Tensor):
        outputs = [outputs]
    names = {id(tensor): name for name, tensor in (params or {}).items()}
    lines = [
        "digraph ember {",
        '  graph [rankdir=TB, fontname="Helvetica"];',
        '  node [shape=box, style="filled,rounded", fontname="Helvetica", fontsize=11];',
    ]
    seen = set()

    def add_tensor(node_id, tensor, kind):
        label = names.get(id(tensor), "") + "\n" + _shape_text(tensor)
        lines.append(f"  {node_id} [label={_quote(label.strip())}, fillcolor={COLOURS[kind]}];")

    stack = []
    for position, output in enumerate(outputs):
        output_id = f"out{position}"
        add_tensor(output_id, output, "output" if output.grad_fn is not None else "leaf")
        if output.grad_fn is not None:
            lines.append(f"  f{id(output.grad_fn)} -> {output_id};")
            stack.append(output.grad_fn)
    while stack:  # depth-first with an explicit stack: deep graphs need no recursion
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node_id = f"f{id(node)}"
        variable = getattr(node, "variable", None)
        if isinstance(variable, Tensor):  # AccumulateGrad: show the leaf it feeds
            add_tensor(node_id, variable, "leaf")
        else:
            lines.append(f"  {node_id} [label={_quote(node.name())}, fillcolor={COLOURS['op']}];")
        for next_node, _ in node.next_functions:
            if next_node is not None:
                lines.append(f"  f{id(next_node)} -> {node_id};")
                stack.append(next_node)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(source, format):
    """Bytes of ``source`` rendered by Graphviz into ``format`` ('svg', 'png', 'pdf')."""
    try:
        import graphviz
    except ImportError:
        graphviz = None
    if graphviz is not None:
        return graphviz.Source(source).pipe(format=format)
    done = subprocess.run(
        ["dot", f"-T{format}"], input=source.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def graph(outputs, path=None, *, params=None):
    """Draw the graph behind ``outputs``; returns a ``Drawing``.

    ``path`` ending in .svg, .png or .pdf is rendered with Graphviz when ``dot``
    is installed; otherwise (or for any other suffix) the DOT text is written,
    next to ``path`` with the suffix .dot when a picture was asked for.
    """
    source = to_dot(outputs, params)
    if path is None:
        return Drawing(source)
    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    format = suffix.lstrip(".").lower()
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    if format in RENDERED_FORMATS and dot_available():
        with open(path, "wb") as file:
            file.write(render(source, format))
        return Drawing(source, path, rendered=True)
    if format in RENDERED_FORMATS:
        path = stem + ".dot"
    with open(path, "w", encoding="utf-8") as file:
        file.write(source)
    return Drawing(source, path)
