"""How fast can a graph-recording autograd in Python run W3? ``python -m benchmarks.floor``

W3 (``(a*b + a).sum().backward()`` on ten numbers) is pure overhead, so its
floor for a framework that records one graph node per op in Python is worth
knowing before setting a target. ``Minimal`` below is about the least such a
framework can do: a tensor with ``__slots__``, a node that is a closure plus
its parents, an iterative topological order, and no dtype, broadcast, version
or hook bookkeeping. It runs interleaved, in one process, with ember,
PyTorch (1 thread) and NumPy by hand, and each one's fastest time is printed
with its ratio to PyTorch.
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


def main():
    a_array = np.linspace(-1, 1, 10, dtype=np.float32)
    b_array = np.linspace(2, 3, 10, dtype=np.float32)
    grad_a, grad_b = np.zeros_like(a_array), np.zeros_like(b_array)

    def numpy_by_hand():
        (a_array * b_array + a_array).sum()
        grad_c = np.ones_like(a_array)
        np.add(grad_a, grad_c * b_array + grad_c, out=grad_a)
        np.add(grad_b, grad_c * a_array, out=grad_b)

    a, b = Minimal(a_array), Minimal(b_array)

    def minimal():
        (a * b + a).sum().backward()

    import ember

    ember_a = ember.tensor(a_array, requires_grad=True)
    ember_b = ember.tensor(b_array, requires_grad=True)

    def ember_w3():
        (ember_a * ember_b + ember_a).sum().backward()

    candidates = {"NumPy by hand": numpy_by_hand, "minimal Python autograd": minimal}
    candidates["ember"] = ember_w3
    try:
        import torch

        torch.set_num_threads(1)
        torch_a = torch.tensor(a_array, requires_grad=True)
        torch_b = torch.tensor(b_array, requires_grad=True)

        def torch_w3():
            (torch_a * torch_b + torch_a).sum().backward()

        candidates["PyTorch, 1 thread"] = torch_w3
    except ImportError:
        pass
    best = {name: float("inf") for name in candidates}
    for _ in range(10):
        for name, function in candidates.items():
            seconds = min(timeit.repeat(function, number=1000, repeat=3)) / 1000
            best[name] = min(best[name], seconds * 1e6)
    reference = best.get("PyTorch, 1 thread")
    for name, microseconds in best.items():
        ratio = f"  {microseconds / reference:.2f}x PyTorch" if reference else ""
        print(f"{name:26s} {microseconds:7.1f} us{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
