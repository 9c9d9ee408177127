"""A regression guard for per-op overhead that is not a timing.

Timings on a shared machine are noise; the number of Python function calls an
iteration makes is not. W3 of the benchmarks (``benchmarks/w3_overhead.py``)
is ``c = (a*b + a).sum(); c.backward()`` on ten numbers, where the time is
almost all Python overhead: op dispatch, graph recording, the backward engine.
These tests count the Python-level calls (``sys.setprofile`` "call" events,
NumPy's Python wrappers included) that one iteration makes and fail when the
count grows past a stated bound, so that a slowdown in dispatch shows up as a
failing test on any machine, deterministically.

How the bounds were set (NumPy 2.4, Python 3.11): the W3 iteration made 155
Python calls before the first day's dispatch and engine work, 112 at commit
979c3ab, 92 after the optimizer fast paths and the kept leaf accumulator, and
88 once the engine summed gradients as arrays, 85 on the third day; the W1
training step 411, 383, 297, 301 (one shared dim check, wrap_dim, is a call of
its own), 285 (the weight gradient as one TransposedMatmul node) and 262 (the
square's backward without ``a ** 1``, reshape to the same shape unchecked).
Later days' work brought them to 78 and 241 without the bounds following; the
twenty-second day lowered the bounds to match, then added a call to each (80, 243: a
backward that adds into an existing .grad bumps its version). Each bound
is about 20% above the latest count. When an optimisation lowers a count, lower
its bound to about 20% above the new count in the same commit, so the gain is
kept.
"""

import sys

import numpy as np

import ember as torch

W3_CALL_BOUND = 94  # measured 80
W1_STEP_CALL_BOUND = 289  # measured 243


def count_python_calls(function):
    """The Python function calls ``function()`` makes, itself not included."""
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
    return calls - 1


def w3_iteration():
    a = torch.tensor(np.linspace(-1, 1, 10, dtype=np.float32), requires_grad=True)
    b = torch.tensor(np.linspace(2, 3, 10, dtype=np.float32), requires_grad=True)

    def iteration():
        c = (a * b + a).sum()
        c.backward()

    for _ in range(3):  # first calls may fill caches or import lazily
        iteration()
    return a, b, iteration


def test_w3_iteration_stays_under_its_python_call_bound():
    _, _, iteration = w3_iteration()
    calls = count_python_calls(iteration)
    assert calls <= W3_CALL_BOUND, (
        f"one W3 iteration made {calls} Python calls (bound {W3_CALL_BOUND}); "
        "something on the op dispatch or backward path got slower"
    )


def test_w3_records_one_node_per_op_and_one_per_leaf():
    a, b, _ = w3_iteration()
    c = (a * b + a).sum()
    names, stack, seen = [], [c.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.append(node.name())
        stack.extend(next_node for next_node, _ in node.next_functions)
    assert sorted(names) == sorted(
        ["SumBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad", "AccumulateGrad"]
    )


def test_w3_gradients_are_right():
    a, b, iteration = w3_iteration()  # three iterations already ran
    iteration()
    np.testing.assert_allclose(a.grad.numpy(), 4 * (b.detach().numpy() + 1), rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), 4 * a.detach().numpy(), rtol=1e-6)


def test_w1_training_step_stays_under_its_python_call_bound():
    rng = np.random.default_rng(0)
    features = torch.from_numpy(rng.standard_normal((100, 2)).astype(np.float32))
    labels = torch.from_numpy(rng.standard_normal((100, 1)).astype(np.float32))
    w = torch.zeros((2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)

    def step():  # the book's from-scratch step: batch, forward, backward, sgd
        indices = torch.tensor([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
        X, y = features[indices], labels[indices]
        y_hat = torch.matmul(X, w) + b
        loss = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
        loss.sum().backward()
        with torch.no_grad():
            for param in (w, b):
                param -= 0.03 * param.grad / 10
                param.grad.zero_()

    for _ in range(3):
        step()
    calls = count_python_calls(step)
    assert calls <= W1_STEP_CALL_BOUND, (
        f"one W1 training step made {calls} Python calls (bound {W1_STEP_CALL_BOUND})"
    )
