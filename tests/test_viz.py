"""ember.viz: the computation graph as DOT text, or SVG/PNG with Graphviz (SPEC A10)."""

import shutil
import sys

import pytest

import ember
from ember import viz


def notes_graph():
    x = ember.arange(4.0, requires_grad=True)
    y = 2 * ember.dot(x, x)
    return x, y


def test_the_notes_graph_as_dot():
    x, y = notes_graph()
    source = str(viz.graph(y, params={"x": x, "y": y}))
    assert source.startswith("digraph ember {") and source.rstrip().endswith("}")
    assert '"y\\n()"' in source and '"x\\n(4,)"' in source
    assert '"MulBackward0"' in source and '"DotBackward0"' in source
    assert source.count("->") == 4  # x twice into dot, dot into mul, mul into y


def test_unnamed_tensors_show_their_shapes_and_detach_cuts_the_graph():
    x = ember.ones(2, 3, requires_grad=True)
    u = (x * x).detach()
    z = (u * x).sum()
    source = viz.to_dot(z)
    assert '"(2, 3)"' in source and "PowBackward0" not in source
    assert source.count("fillcolor=lightblue") == 1  # only x: u is a constant


def test_several_outputs_and_a_leaf_output():
    x = ember.ones(3, requires_grad=True)
    source = viz.to_dot([x.sum(), x.exp()])
    assert "out0" in source and "out1" in source
    assert source.count('"(3,)"') == 2  # x once, exp's output once
    assert 'out0 [label="(3,)", fillcolor=lightblue]' in viz.to_dot(x)


def test_a_deep_graph_needs_no_recursion():
    x = ember.ones(1, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y + 1
    assert viz.to_dot(y).count("AddBackward0") == 5000


def test_writes_dot_text_when_asked(tmp_path):
    _, y = notes_graph()
    drawing = viz.graph(y, tmp_path / "g.dot")
    assert drawing.path == str(tmp_path / "g.dot") and not drawing.rendered
    assert (tmp_path / "g.dot").read_text() == drawing.source


def test_falls_back_to_dot_text_without_graphviz(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    _, y = notes_graph()
    drawing = viz.graph(y, tmp_path / "out" / "graph.svg")
    assert drawing.path == str(tmp_path / "out" / "graph.dot") and not drawing.rendered
    assert (tmp_path / "out" / "graph.dot").read_text().startswith("digraph")
    assert not (tmp_path / "out" / "graph.svg").exists()
    assert drawing._repr_svg_() is None and "lines of DOT" in repr(drawing)


@pytest.mark.skipif(not viz.dot_available(), reason="Graphviz's dot program is not installed")
@pytest.mark.parametrize("suffix, magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_renders_with_graphviz(tmp_path, suffix, magic):
    _, y = notes_graph()
    drawing = viz.graph(y, tmp_path / f"graph.{suffix}")
    assert drawing.rendered
    assert (tmp_path / f"graph.{suffix}").read_bytes().startswith(magic)


def test_renders_through_the_dot_program(tmp_path, monkeypatch):
    """A stand-in ``dot`` on the PATH: ember pipes the DOT text to ``dot -Tsvg``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_dot = bin_dir / "dot"
    fake_dot.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "source = sys.stdin.read()\n"
        "sys.stdout.write('<svg format=\"' + sys.argv[1] + '\">' + str(len(source)) + '</svg>')\n"
    )
    fake_dot.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setitem(sys.modules, "graphviz", None)  # use the program itself
    assert viz.dot_available()
    _, y = notes_graph()
    drawing = viz.graph(y, tmp_path / "graph.svg")
    assert drawing.rendered and drawing.path == str(tmp_path / "graph.svg")
    written = (tmp_path / "graph.svg").read_text()
    assert written == f'<svg format="-Tsvg">{len(drawing.source)}</svg>'
    assert drawing._repr_svg_() == written
