"""The book's walk-throughs print on ember what they print on PyTorch (one import changed).

Each script in examples/ is split into its cells (``# %%`` lines). The cells run in order, twice,
each time in a fresh namespace: once as written, once with ``import ember`` giving ``torch``
(a hook on ``__import__``: ``from ember import nn`` gives ``torch.nn``, and so on). Cell by cell:

- stdout must be the same text, after two normalisations only: ember's output reads ``torch.``
  for ``ember.`` (``dtype=ember.float64``), and both runs get an ``id`` that numbers objects in
  the order it first meets them, so ids print alike and still compare as real ids do;
- a cell that raises must raise the same exception type in both (messages are not compared);
- every tensor the cell names has the same shape, dtype, ``requires_grad`` and grad shape.

Three documented lists say where that is relaxed, and the tests check each list is still right:

- ``EMBER_ONLY``: cells that use what PyTorch does not have (plotting, ``ember.viz``,
  ``ember.preprocessing``). They run on ember only and must not raise. A test finds these cells
  from the code and checks the list names exactly them: nothing is skipped silently.
  PyTorch has no ``d2l`` either; the torch run gets the book's two data helpers
  (``synthetic_data``, ``load_array``) written on torch below, so cells using only those run.
- ``RANDOM``: cells whose printed values come from random draws (ember's generator is NumPy's,
  not PyTorch's). Their output is compared with every number masked, so the layout, dtypes,
  ``grad_fn`` names and shapes must still agree; the tensor facts above are compared as usual.
- ``KNOWN_DIFFERENCES``: cells where ember is known to print otherwise (bugs to fix). The test
  checks that they still differ, so a fix tells you to delete the entry.
"""

import ast
import builtins
import contextlib
import importlib
import io
import os
import re
import sys
import types

import pytest
import torch

import ember

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
SCRIPTS = sorted(name[:-3] for name in os.listdir(EXAMPLES) if name.endswith(".py"))

EMBER_ONLY = {
    ("task02_2_preprocessing", 5): "ember.preprocessing's Preprocessor has no PyTorch counterpart",
    ("task02_4_calculus", 3): "d2l.plot and d2l.savefig draw a figure (ember's d2l only)",
    ("task02_5_autograd", 4): "ember.viz draws the autograd graph (ember only)",
    ("task03_linreg_scratch", 3): "a scatter plot through d2l.plt (ember's d2l only)",
}
RANDOM = {
    ("task03_linreg_scratch", 2): "prints a row of torch.normal features and its label",
    ("task03_linreg_scratch", 4): "prints a shuffled minibatch of random features",
    ("task03_linreg_scratch", 6): "the training losses depend on the random data and weights",
    ("task03_linreg_scratch", 7): "the estimation errors depend on the random data",
    ("task03_linreg_concise", 2): "prints a shuffled minibatch of random features",
    ("task03_linreg_concise", 5): "the training losses depend on the random data and weights",
    ("task03_linreg_concise", 6): "the estimation errors depend on the random data",
}
KNOWN_DIFFERENCES = {}

CELL_MARK = re.compile(r"^# %%", re.MULTILINE)
# A number as tensors and f-strings print it, with the padding and sign before it; not the
# digits that end a name (float64, SubBackward0), which must still agree.
NUMBER = re.compile(r"(?<![\w.]) *-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?")


# ---------------------------------------------------------------- the torch run's ember


def synthetic_data(w, b, num_examples):
    """Features drawn from N(0, 1) and labels ``features @ w + b`` plus N(0, 0.01) noise."""
    features = torch.normal(0, 1, (num_examples, len(w)))
    labels = torch.matmul(features, w) + b
    labels += torch.normal(0, 0.01, labels.shape)
    return features, labels.reshape((-1, 1))


def load_array(data_arrays, batch_size, is_train=True):
    """A DataLoader over the tensors, shuffled for training."""
    dataset = torch.utils.data.TensorDataset(*data_arrays)
    return torch.utils.data.DataLoader(dataset, batch_size, shuffle=is_train)


TORCH_D2L = types.SimpleNamespace(synthetic_data=synthetic_data, load_array=load_array)


def torch_counterpart(module_name, name):
    """What ``from <module_name> import <name>`` gives in the torch run, or None if ember-only."""
    if module_name == "ember" and name == "d2l":
        return TORCH_D2L
    try:
        module = importlib.import_module("torch" + module_name[len("ember") :])
    except ImportError:
        return None
    return getattr(module, name, None)


def import_torch_for_ember(name, globals=None, locals=None, fromlist=(), level=0):
    """``__import__`` for the torch run: ember's public API from torch, the rest from ember."""
    if level or (name != "ember" and not name.startswith("ember.")):
        return builtins.__import__(name, globals, locals, fromlist, level)
    if not fromlist:
        return torch
    ember_module = importlib.import_module(name)
    found = types.SimpleNamespace()
    for item in fromlist:
        counterpart = torch_counterpart(name, item)
        setattr(found, item, getattr(ember_module, item) if counterpart is None else counterpart)
    return found


# ---------------------------------------------------------------- cells and runs


def read_cells(script):
    """The script's cells: (first line number, source), split at its ``# %%`` lines."""
    with open(os.path.join(EXAMPLES, script + ".py")) as file:
        text = file.read()
    starts = [match.start() for match in CELL_MARK.finditer(text)] + [len(text)]
    return [(text.count("\n", 0, start), text[start:end]) for start, end in zip(starts, starts[1:])]


def cell_title(source):
    return source.splitlines()[0]


def numbering_id():
    """An ``id`` that numbers objects 0, 1, 2... as it first meets them.

    It keeps each object alive, so a later object cannot reuse a freed one's address and
    number: where that happens is up to the allocator, and differs between the libraries."""
    numbered = {}

    def numbered_id(obj):
        return numbered.setdefault(builtins.id(obj), (len(numbered), obj))[0]

    return numbered_id


def fresh_namespace(script, importer):
    names = dict(vars(builtins), __import__=importer, id=numbering_id())
    return {"__name__": "__main__", "__file__": script + ".py", "__builtins__": names}


def tensor_facts(namespace, names, tensor_type):
    """Shape, dtype, requires_grad and grad shape of each tensor among ``names``."""
    facts = {}
    for name in names:
        value = namespace.get(name)
        if isinstance(value, tensor_type):
            has_grad = value.is_leaf and value.grad is not None  # a non-leaf's .grad warns
            grad = tuple(value.grad.shape) if has_grad else None
            dtype = str(value.dtype).replace("ember.", "torch.")
            facts[name] = (tuple(value.shape), dtype, value.requires_grad, grad)
    return facts


def names_in(source):
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}


def run_script(script, on_torch):
    """Run the script's cells in order in one namespace; per cell: (stdout, error type, facts)."""
    importer = import_torch_for_ember if on_torch else builtins.__import__
    namespace = fresh_namespace(script, importer)
    tensor_type = torch.Tensor if on_torch else ember.Tensor
    results = {}
    for index, (first_line, source) in enumerate(read_cells(script)):
        if on_torch and (script, index) in EMBER_ONLY:
            continue
        code = compile("\n" * first_line + source, script + ".py", "exec")
        printed, error = io.StringIO(), None
        with contextlib.redirect_stdout(printed):
            try:
                exec(code, namespace)
            except Exception as exc:  # compared by type with the other library's
                error = type(exc).__name__
        facts = tensor_facts(namespace, names_in(source), tensor_type)
        results[index] = (printed.getvalue(), error, facts)
    return results


@pytest.fixture
def script_setting(tmp_path, monkeypatch):
    """Run in tmp_path with files going there, as ``python examples/<script>.py`` would."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EMBER_OUT", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["example.py"])
    yield
    from ember import d2l

    d2l.plt.close("all")


# ---------------------------------------------------------------- comparing


def first_difference(ember_text, torch_text):
    ember_lines, torch_lines = ember_text.splitlines(), torch_text.splitlines()
    for number, (ember_line, torch_line) in enumerate(zip(ember_lines, torch_lines), 1):
        if ember_line != torch_line:
            return f"line {number}:\n  ember: {ember_line!r}\n  torch: {torch_line!r}"
    number = min(len(ember_lines), len(torch_lines)) + 1
    counts = f"ember has {len(ember_lines)} lines, torch {len(torch_lines)}"
    return f"line {number}: one output ends first, {counts}"


def cell_difference(script, index, ember_result, torch_result):
    """Why the cell's two results differ, or None when they agree."""
    ember_out, ember_error, ember_facts = ember_result
    torch_out, torch_error, torch_facts = torch_result
    ember_out = re.sub(r"\bember\.", "torch.", ember_out)
    if (script, index) in RANDOM:
        ember_out, torch_out = NUMBER.sub(" #", ember_out), NUMBER.sub(" #", torch_out)
    if ember_error != torch_error:
        return f"raises {ember_error} in ember, {torch_error} in torch"
    if ember_out != torch_out:
        return (
            f"stdout differs at {first_difference(ember_out, torch_out)}\n"
            f"--- ember's output:\n{ember_out}--- torch's output:\n{torch_out}---"
        )
    common = ember_facts.keys() & torch_facts.keys()
    for name in sorted(common):
        if ember_facts[name] != torch_facts[name]:
            return (
                f"tensor {name} (shape, dtype, requires_grad, grad shape): "
                f"ember {ember_facts[name]}, torch {torch_facts[name]}"
            )
    return None


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_prints_what_torch_prints(script, script_setting):
    ember_results = run_script(script, on_torch=False)
    torch_results = run_script(script, on_torch=True)
    cells = read_cells(script)
    problems = []
    for index, (_, source) in enumerate(cells):
        where = f"{script}.py cell {index} ({cell_title(source)!r})"
        ember_error = ember_results[index][1]
        if (script, index) in EMBER_ONLY:
            if ember_error:
                problems.append(f"{where}, run on ember only, raises {ember_error}")
            continue
        difference = cell_difference(script, index, ember_results[index], torch_results[index])
        known = KNOWN_DIFFERENCES.get((script, index))
        if difference and not known:
            problems.append(f"{where}: {difference}")
        elif known and not difference:
            problems.append(f"{where} now agrees with torch: delete its KNOWN_DIFFERENCES entry")
    assert not problems, "\n\n".join(problems)


# ---------------------------------------------------------------- the lists are right


def ember_only_names(cells):
    """Names the scripts import from ember that the torch run cannot give from torch."""
    names = set()
    for _, source in cells:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ember"):
                for alias in node.names:
                    if torch_counterpart(node.module, alias.name) is None:
                        names.add(alias.asname or alias.name)
    return names


def uses_ember_only(source, ember_names):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in ember_names and isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "d2l" and not hasattr(TORCH_D2L, node.attr):
                return True
    return False


def test_ember_only_cells_are_the_listed_ones():
    found = {}
    for script in SCRIPTS:
        cells = read_cells(script)
        ember_names = ember_only_names(cells)
        for index, (_, source) in enumerate(cells):
            if uses_ember_only(source, ember_names):
                found[(script, index)] = cell_title(source)
    print("Cells run on ember only:")
    for key in sorted(found):
        print(f"  {key[0]} cell {key[1]} {found[key]!r}: {EMBER_ONLY.get(key)}")
    assert found.keys() == EMBER_ONLY.keys()


def test_listed_cells_exist():
    for script, index in {**EMBER_ONLY, **RANDOM, **KNOWN_DIFFERENCES}:
        assert script in SCRIPTS and index < len(read_cells(script)), (script, index)


def test_masking_keeps_layout_and_hides_values():
    assert NUMBER.sub(" #", "tensor([ 0.1234, -1.5e-04])") == NUMBER.sub(" #", "tensor([-2., 3.])")
    assert NUMBER.sub(" #", "tensor([1.])") != NUMBER.sub(" #", "tensor([1.], grad_fn=<X>)")
    assert NUMBER.sub(" #", "<SubBackward0>, float64") == "<SubBackward0>, float64"
