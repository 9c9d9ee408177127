# %% [markdown]
# # Task02 §4 — calculus (矩阵计算)
#
# The derivative as a limit, the tangent line of f(x) = 3x² - 4x at x = 1
# drawn with `d2l.plot` (written to a PNG, no display needed), and the shapes
# of gradients: a scalar by a vector is a vector, a vector by a vector is a
# matrix (the Jacobian).
#
# The figure goes under `$EMBER_OUT` (default `out/examples`), or the folder
# given as the first argument.

# %%
import os
import sys

import ember as torch
from ember import d2l
from ember.autograd.functional import jacobian

arguments = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
OUT = arguments[0] if arguments else os.environ.get("EMBER_OUT", os.path.join("out", "examples"))


def f(x):
    return 3 * x**2 - 4 * x


# %% The derivative at x = 1 as the limit of (f(x + h) - f(x)) / h
def numerical_lim(f, x, h):
    return (f(x + h) - f(x)) / h


h = 0.1
for _ in range(5):
    print(f"h={h:.5f}, numerical limit={numerical_lim(f, 1, h):.5f}")
    h *= 0.1

# %% f and its tangent line y = 2x - 3 at x = 1
x = torch.arange(0, 3, 0.1)
d2l.plot(x, [f(x), 2 * x - 3], "x", "f(x)", legend=["f(x)", "Tangent line (x=1)"])
path = d2l.savefig(os.path.join(OUT, "calculus_tangent.png"))
print("wrote", path)

# %% Gradient shapes: d(x·x)/dx has x's shape; d(x*x)/dx is a square Jacobian
x = torch.arange(3.0, requires_grad=True)
(x * x).sum().backward()
print(x.grad, x.grad.shape)
J = jacobian(lambda v: v * v, torch.arange(3.0))
print(J, J.shape)
