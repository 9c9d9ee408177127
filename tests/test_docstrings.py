"""The docstrings of the functions the book's first chapters use (its section 2.7 says to
read them with ``help(torch.ones)``): each has an example, the example prints what it says,
and torch 2.13 prints the same for the same code, so the docs never teach what PyTorch
would not do. Random examples seed and then show shapes and dtypes only: ember's random
numbers are not PyTorch's.
"""

import doctest
import re

import pytest
import torch

import ember

# ``numel`` is left out: it is defined in ember/__init__.py, outside the documented files.
DOCUMENTED = """
    tensor as_tensor from_numpy zeros ones empty full arange linspace eye
    zeros_like ones_like full_like rand randn randint normal manual_seed
    cat stack reshape squeeze unsqueeze transpose flatten clone
    sum mean prod cumsum max min argmax argmin
    abs exp log sqrt matmul mm mv dot where no_grad set_default_dtype numel
""".split()

OPTIONS = doctest.NORMALIZE_WHITESPACE


def examples_of(name):
    """The docstring examples of ``ember.<name>``, to run with ``ember`` in the globals."""
    finder = doctest.DocTestFinder(recurse=False)  # a class's own docstring, not its methods'
    (test,) = finder.find(getattr(ember, name), f"ember.{name}", globs={"ember": ember})
    return test


def in_torch(test):
    """The same examples with ``torch`` for ``ember``, in the code and in the output."""
    examples = [
        doctest.Example(
            re.sub(r"\bember\b", "torch", example.source),
            example.want.replace("ember.", "torch."),
            example.exc_msg,
            example.lineno,
            example.indent,
            example.options,
        )
        for example in test.examples
    ]
    return doctest.DocTest(
        examples, {"torch": torch}, f"{test.name} in torch", test.filename, test.lineno, None
    )


def failures(test):
    """The report of each example that printed something else ("" when none did)."""
    report = []
    doctest.DocTestRunner(optionflags=OPTIONS).run(test, out=report.append)
    return "".join(report)


@pytest.fixture(autouse=True)
def same_random_state_and_default_dtype():
    """The examples seed both libraries' generators; the other tests get theirs back."""
    ember_state, torch_state = ember.random.get_rng_state(), torch.get_rng_state()
    yield
    ember.random.set_rng_state(ember_state)
    torch.set_rng_state(torch_state)
    ember.set_default_dtype(ember.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name", DOCUMENTED)
def test_the_docstring_says_what_it_returns_and_shows_an_example(name):
    docstring = getattr(ember, name).__doc__ or ""
    assert docstring.strip(), f"ember.{name} has no docstring"
    assert examples_of(name).examples, f"ember.{name}'s docstring has no >>> example"


@pytest.mark.parametrize("name", DOCUMENTED)
def test_the_examples_print_what_they_say(name):
    assert failures(examples_of(name)) == ""


@pytest.mark.parametrize("name", DOCUMENTED)
def test_torch_prints_the_same_for_the_examples(name):
    assert failures(in_torch(examples_of(name))) == ""


def wrong_example():
    source = ">>> ember.zeros(2)\ntensor([1., 1.])\n"
    return doctest.DocTestParser().get_doctest(source, {"ember": ember}, "wrong", None, 0)


def test_a_wrong_example_fails_in_both_checks():
    assert "Expected:\n    tensor([1., 1.])" in failures(wrong_example())
    assert "Got:\n    tensor([0., 0.])" in failures(in_torch(wrong_example()))


def test_an_example_only_ember_passes_fails_the_torch_check():
    source = ">>> ember.__name__\n'ember'\n"
    test = doctest.DocTestParser().get_doctest(source, {"ember": ember}, "module", None, 0)
    assert failures(test) == ""
    assert "Got:\n    'torch'" in failures(in_torch(test))
