"""How fast can a graph-recording autograd in Python run W3? ``python -m benchmarks.floor``

W3 (``(a*b + a).sum().backward()`` on ten numbers) is pure overhead, so its
floor for a framework that records what each op did, in Python, is worth
knowing before setting a target. Two designs below are about the least such a
framework can do, and neither does any dtype, broadcast, device, version or
hook bookkeeping:

- ``Minimal`` records a graph: a tensor with ``__slots__``, a node that is a
  closure plus its parents, and an iterative topological order in backward.
- ``Taped`` records a tape: each op appends (output, inputs, closure) to one
  global list, and backward walks the list from the end. There is no graph to
  sort, but one list for the whole program (no two graphs at once, nothing
  freed before backward), which a framework with PyTorch's API cannot adopt.

They run interleaved, in one process, with ember, PyTorch (1 thread) and
NumPy by hand, and each one's fastest time is printed with its ratio to PyTorch.
"""

import timeit

import numpy as np


class Minimal:
    __slots__ = ("data", "grad", "parents", "backward_function")

    def __init__(self, data, parents=(), backward_function=None):
        self.data, self.grad = data, None
        self.parents, self.backward_function = parents, backward_function

    def __mul__(self, other):
        a, b = self.data, other.data
        return Minimal(a * b, (self, other), lambda grad: (grad * b, grad * a))

    def __add__(self, other):
        return Minimal(self.data + other.data, (self, other), lambda grad: (grad, grad))

    def sum(self):
        shape = self.data.shape
        return Minimal(self.data.sum(), (self,), lambda grad: (np.broadcast_to(grad, shape),))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # iterative post-order: a node after everything it depends on
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent in node.parents)
        grads = {id(self): np.ones_like(self.data)}
        for node in reversed(order):
            grad = grads.pop(id(node), None)
            if grad is None:
                continue
            if node.backward_function is None:  # a leaf
                node.grad = grad.copy() if node.grad is None else node.grad + grad
                continue
            for parent, parent_grad in zip(node.parents, node.backward_function(grad)):
                key = id(parent)
                grads[key] = grads[key] + parent_grad if key in grads else parent_grad


TAPE = []  # (output, inputs, backward_function) for every op since the last backward


class Taped:
    __slots__ = ("data", "grad")

    def __init__(self, data):
        self.data, self.grad = data, None

    def recorded(self, data, inputs, backward_function):
        output = Taped(data)
        TAPE.append((output, inputs, backward_function))
        return output

    def __mul__(self, other):
        a, b = self.data, other.data
        return self.recorded(a * b, (self, other), lambda grad: (grad * b, grad * a))

    def __add__(self, other):
        return self.recorded(self.data + other.data, (self, other), lambda grad: (grad, grad))

    def sum(self):
        shape = self.data.shape
        return self.recorded(self.data.sum(), (self,), lambda grad: (np.broadcast_to(grad, shape),))

    def backward(self):
        grads = {id(self): (self, np.ones_like(self.data))}
        for output, inputs, backward_function in reversed(TAPE):
            entry = grads.pop(id(output), None)
            if entry is None:
                continue
            for tensor, grad in zip(inputs, backward_function(entry[1])):
                key = id(tensor)
                grads[key] = (tensor, grads[key][1] + grad) if key in grads else (tensor, grad)
        TAPE.clear()
        for tensor, grad in grads.values():  # what is left reached no op's output: the leaves
            tensor.grad = grad.copy() if tensor.grad is None else tensor.grad + grad


def candidates(a_array, b_array):
    """One W3 iteration for each implementation, by name; each accumulates into its own
    gradients, which ``gradients`` reads back (so that a test can check them)."""
    grad_a, grad_b = np.zeros_like(a_array), np.zeros_like(b_array)

    def numpy_by_hand():
        (a_array * b_array + a_array).sum()
        grad_c = np.ones_like(a_array)
        np.add(grad_a, grad_c * b_array + grad_c, out=grad_a)
        np.add(grad_b, grad_c * a_array, out=grad_b)

    numpy_by_hand.gradients = lambda: (grad_a, grad_b)
    found = {"NumPy by hand": numpy_by_hand}
    for name, kind in [("minimal Python autograd", Minimal), ("minimal Python tape", Taped)]:
        found[name] = w3_on(kind(a_array), kind(b_array))

    import ember

    found["ember"] = w3_on(
        ember.tensor(a_array, requires_grad=True), ember.tensor(b_array, requires_grad=True)
    )
    try:
        import torch
    except ImportError:
        return found
    torch.set_num_threads(1)
    found["PyTorch, 1 thread"] = w3_on(
        torch.tensor(a_array, requires_grad=True), torch.tensor(b_array, requires_grad=True)
    )
    return found


def w3_on(a, b):
    def w3():
        (a * b + a).sum().backward()

    w3.gradients = lambda: (np.asarray(a.grad), np.asarray(b.grad))
    return w3


def main():
    a_array = np.linspace(-1, 1, 10, dtype=np.float32)
    b_array = np.linspace(2, 3, 10, dtype=np.float32)
    found = candidates(a_array, b_array)
    best = {name: float("inf") for name in found}
    for _ in range(10):
        for name, function in found.items():
            seconds = min(timeit.repeat(function, number=1000, repeat=3)) / 1000
            best[name] = min(best[name], seconds * 1e6)
    reference = best.get("PyTorch, 1 thread")
    for name, microseconds in best.items():
        ratio = f"  {microseconds / reference:.2f}x PyTorch" if reference else ""
        print(f"{name:26s} {microseconds:7.1f} us{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
