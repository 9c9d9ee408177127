# %% [markdown]
# # Task02 §5 — automatic differentiation (自动求导)
#
# Gradients of y = 2 x·x, clearing them, non-scalar outputs, detaching part of
# the graph, and differentiating through Python control flow. The graph
# autograd records (计算图) is written as DOT text (and SVG when Graphviz is
# installed) under `$EMBER_OUT` (default `out/examples`) or the folder given
# as the first argument.

# %%
import os
import sys

import ember as torch
from ember import viz

arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
OUT = arguments[0] if arguments else os.environ.get("EMBER_OUT", os.path.join("out", "examples"))

# %% Where the gradient is stored: x.grad, None until a backward pass
x = torch.arange(4.0)
x.requires_grad_(True)
print(x.grad)
y = 2 * torch.dot(x, x)
print(y)

# %% Back-propagate: dy/dx = 4x
y.backward()
print(x.grad)
print(x.grad == 4 * x)

# %% The computation graph of y, as autograd recorded it
drawing = viz.graph(y, os.path.join(OUT, "autograd_graph.svg"), params={"x": x, "y": y})
print("wrote", drawing.path)

# %% Gradients accumulate, so clear them before the next one
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)

# %% A non-scalar y: sum it first (the same as backward with a vector of ones)
x.grad.zero_()
y = x * x
y.sum().backward()
print(x.grad)

# %% Detaching: u is treated as a constant, so dz/dx = u
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)


# %% Control flow: the gradient follows whichever branch ran
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
# d is a times a power of two (times 100 on the negative branch), so a.grad is d / a.
# Compared with ==, about one random a in twelve gives False: 100 * b rounds in float32.
print(torch.allclose(a.grad, d / a))
