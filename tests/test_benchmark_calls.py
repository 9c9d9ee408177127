"""``python -m benchmarks.calls``: deterministic call counts of the W1 and W3 loops."""

from pathlib import Path

import pytest

import ember

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def calls_module(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import calls

    return calls


def test_counts_are_the_same_twice_and_grow_with_the_work(calls_module):
    once = calls_module.w3_iteration_calls(ember)
    assert once == calls_module.w3_iteration_calls(ember)  # deterministic
    assert 50 < once < 400  # a handful of ops, each a few dozen calls
    # The function itself and the closing sys.setprofile call count too: 2 more each time.
    assert calls_module.count_calls(lambda: sum([1, 2])) == 2 + 1
    assert calls_module.count_calls(lambda: [abs(-1) for _ in range(3)]) == 2 + 1 + 3


def test_prints_the_four_counts(calls_module, capsys):
    assert calls_module.main() == 0
    w1, w3, w2, w4 = capsys.readouterr().out.splitlines()
    assert w1.startswith("W1: ") and w1.endswith(" calls per run")
    assert w3.startswith("W3: ") and w3.endswith(" calls per iteration")
    assert w2.startswith("W2: ") and w2.endswith(" calls per run")
    assert w4.startswith("W4: ") and w4.endswith(" calls per run")
