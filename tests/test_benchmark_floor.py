"""The floor designs in ``benchmarks/floor.py`` time the same W3 as ember: their gradients
must be W3's, or their times say nothing about what ember could reach."""

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def floor(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import floor

    return floor


@pytest.mark.parametrize("runs", [1, 3])
def test_every_candidate_accumulates_w3s_gradients(floor, runs):
    a = np.linspace(-1, 1, 10, dtype=np.float32)
    b = np.linspace(2, 3, 10, dtype=np.float32)
    found = floor.candidates(a, b)
    assert {"NumPy by hand", "minimal Python autograd", "minimal Python tape", "ember"} <= set(
        found
    )
    for name, w3 in found.items():
        for _ in range(runs):
            w3()
        grad_a, grad_b = w3.gradients()
        np.testing.assert_allclose(grad_a, runs * (b + 1), rtol=1e-6, err_msg=name)
        np.testing.assert_allclose(grad_b, runs * a, rtol=1e-6, err_msg=name)


def test_the_tape_is_empty_after_backward(floor):
    a = floor.Taped(np.ones(3, np.float32))
    (a * a + a).sum().backward()
    assert floor.TAPE == []
    np.testing.assert_allclose(a.grad, 3 * np.ones(3))  # d/da (a*a + a) = 2a + 1
