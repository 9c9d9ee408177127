"""docs/inside.md walks through ember's source with examples; they must print what it says."""

import doctest
import re
from pathlib import Path

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "inside.md"


def test_the_walk_through_prints_what_it_shows():
    result = doctest.testfile(str(DOCUMENT), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10  # the examples were found and run
    assert result.failed == 0


def test_every_file_the_walk_through_names_exists():
    root = DOCUMENT.parent.parent
    paths = set(re.findall(r"`([\w/]+/[\w]+\.py)`", DOCUMENT.read_text()))
    assert len(paths) >= 10
    assert sorted(path for path in paths if not (root / path).exists()) == []


# The functions the walk-through tells a reader to open, by the file it names for them.
NAMED = {
    "tensor.py": ["Tensor", "_make", "backward"],
    "tensor_methods.py": ["__mul__"],
    "ops/operands.py": ["binary", "promote"],
    "ops/elementwise.py": ["Mul"],
    "autograd/function.py": ["apply", "attach", "edge_to", "save", "release", "AccumulateGrad"],
    "ops/reductions.py": ["Sum", "spread"],
    "autograd/engine.py": ["run", "count_dependencies", "fit_to_input", "add_to_grad"]
    + ["accumulate_into_leaf", "_roots_and_grads", "_root_grad"],
}


def test_every_function_the_walk_through_names_is_where_it_says():
    text = DOCUMENT.read_text()
    source = DOCUMENT.parent.parent / "src" / "ember"
    for file, names in NAMED.items():
        code = (source / file).read_text()
        for name in names:
            assert f"`{name}" in text or f".{name}`" in text, name
            assert re.search(rf"(def|class) {name}\b|Tensor\.{name} = ", code), (file, name)
