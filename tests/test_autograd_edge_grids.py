"""The autograd API on edge shapes and values, in ember and in torch.

Each grid line is one line of code run in both libraries after the same setup (``SETUP``):
``autograd.grad`` and ``backward`` of 0-d, empty, non-contiguous, float16 and float64
outputs with grad_outputs of every fitting and unfitting shape and dtype, unused and
repeated inputs, graphs kept or freed and differentiated to third order;
``autograd.functional`` with each of its flags on functions of 0-d, 1-d, empty and tuple
inputs and outputs, constant and identity functions among them; ``gradcheck`` and
``gradgradcheck`` with their tolerances and options; custom ``Function``s saving views,
marking outputs dirty or non-differentiable, returning None, wrong shapes or dtypes; and
the grad modes as decorators and contexts, nested. Both libraries must give the same
values (to three decimals), dtypes, shapes, ``requires_grad`` and ``grad_fn`` names, the
same warnings (by type), and an error of the same type where torch raises.

They found (twentieth day) gradcheck nudging a flattened copy of a transposed or
column-sliced input (so its numerical derivatives were zero), taking an expanded input
(PyTorch's RuntimeError), checking outputs that do not require grad (PyTorch checks the
differentiable ones only), failing on a function of no outputs and on a 0-d tensor eps,
comparing against a negative tolerance (PyTorch's RuntimeError, whatever raise_exception
says), giving no UserWarning for an input that is not float64 and raising for it under
raise_exception=False, and taking mode flags that leave nothing to check
(check_backward_ad=False, gradgradcheck's check_rev_over_rev=False: PyTorch's
AssertionErrors); and the grad modes' ``__exit__`` returning False (PyTorch: None). What
is left out is in LEFT_OUT, with the reason beside each. ``python
tests/test_autograd_edge_grids.py`` prints every difference, left-out lines included.
"""

import itertools
import warnings

import numpy as np
import pytest
import torch
from test_argument_sweeps import builtin_type

import ember

# Leaves and functions the lines name, made afresh for each line.
SETUP = """
t.set_grad_enabled(True)
def leaf(*shape, dtype=t.float32, start=-0.6):
    count = 1
    for size in shape:
        count *= size
    values = t.arange(count, dtype=t.float64) * 0.35 + start
    return values.reshape(shape).to(dtype).requires_grad_()
x = leaf(3)
x0 = leaf()
xe = leaf(0)
xm = leaf(2, 3)
x16 = leaf(3, dtype=t.float16)
x64 = leaf(3, dtype=t.float64)
d = leaf(3, dtype=t.float64)
d0 = leaf(dtype=t.float64)
de = leaf(0, dtype=t.float64)
e = leaf(2, dtype=t.float64, start=0.4)
z = leaf(2)
def gradient(make, inputs, given=None, **flags):
    output = make()
    grad_outputs = given(output) if callable(given) else given
    return t.autograd.grad(output, inputs, grad_outputs, **flags)
def backward(make, inputs, given=None, **flags):
    output = make()
    grad_outputs = given(output) if callable(given) else given
    output.backward(grad_outputs, **flags)
    return tuple(each.grad for each in ([inputs] if t.is_tensor(inputs) else inputs))
def twice(make, inputs, **flags):
    output = make()
    first = t.autograd.grad(output, inputs, **flags)
    return first, t.autograd.grad(output, inputs)
def third(function, a):
    (first,) = t.autograd.grad(function(a), a, create_graph=True)
    (second,) = t.autograd.grad(first.sum(), a, create_graph=True)
    (third,) = t.autograd.grad(second.sum(), a, create_graph=True)
    return first, second, third
def square(a):
    return a * a
def cube_sum(a):
    return (a ** 3).sum()
def constant(a):
    return t.ones(2, dtype=t.float64)
def constant_scalar(a):
    return t.tensor(2., dtype=t.float64)
def identity(a):
    return a
def detached(a):
    return a.detach() * 2
def pair(a, b):
    return a * b, a + b.sum()
def pair_sum(a, b):
    return (a * a * b.sum()).sum()
def half_used(a, b):
    return a * 2
def half_used_sum(a, b):
    return (a * a).sum()
def linear_sum(a):
    return a.sum() * 3
"""

# The first shape and dtype edges: (output's text, inputs' text); each output made of
# its inputs.
OUTPUTS = [
    ("(x * 2).sum()", "x"),
    ("x0 * 3", "x0"),
    ("x * x", "x"),
    ("xe * 2", "xe"),
    ("xe.sum()", "xe"),
    ("xm.t() * 2", "xm"),
    ("xm[:, 1:] ** 2", "xm"),
    ("x16 * x16", "x16"),
    ("x64.exp()", "x64"),
    ("(x * 2)[1:]", "x"),
    ("x.detach() * 2", "x"),
    ("x * 1", "[x, z]"),
    ("x * x", "[x, x]"),
    ("x", "x"),
    ("x.expand(2, 3) * 1", "x"),
]
# grad_outputs: functions of the output or plain values.
GIVEN = [
    "None",
    "t.ones_like",
    "lambda o: t.ones(())",
    "lambda o: t.ones(1)",
    "lambda o: t.ones(3)",
    "lambda o: t.ones(2)",
    "lambda o: t.ones(0)",
    "lambda o: t.full_like(o, 2, dtype=t.float64)",
    "lambda o: t.full_like(o, 2, dtype=t.float16)",
    "lambda o: t.ones_like(o, dtype=t.int64)",
    "lambda o: t.ones_like(o, dtype=t.bool)",
    "lambda o: t.ones(o.shape[::-1]).t() if o.dim() == 2 else t.ones_like(o)",
    "lambda o: t.ones_like(o, requires_grad=True)",
    "[None]",
    "2.0",
]
GRADIENT_LINES = [
    f"{call}(lambda: {output}, {inputs}, {given})"
    for (output, inputs), given, call in itertools.product(OUTPUTS, GIVEN, ["gradient", "backward"])
]

# Flags of grad and backward at their edges.
FLAG_LINES = [
    "gradient(lambda: (x * 2).sum(), [x, z])",
    "gradient(lambda: (x * 2).sum(), [x, z], allow_unused=True)",
    "gradient(lambda: (x * 2).sum(), [x, z], allow_unused=True, materialize_grads=True)",
    "gradient(lambda: (x * 2).sum(), [x, z], materialize_grads=True)",
    "gradient(lambda: (x * 2).sum(), [x, z], allow_unused=False, materialize_grads=True)",
    "gradient(lambda: (xe * 2).sum(), [xe, z], materialize_grads=True)",
    "gradient(lambda: x.sum(), [z], allow_unused=True, materialize_grads=True)",
    "gradient(lambda: (x * 2).sum(), [x, x0.detach()], allow_unused=True)",
    "gradient(lambda: (x * 2).sum(), [], allow_unused=True)",
    "gradient(lambda: (x * x0).sum(), (x0, x0, x))",
    "gradient(lambda: (x * 2).sum(), x, create_graph=True)",
    "gradient(lambda: (x * x).sum(), x, create_graph=True)",
    "gradient(lambda: (x * x).sum(), x, create_graph=True)[0].sum().backward()",
    "gradient(lambda: (xe * xe).sum(), xe, create_graph=True)",
    "gradient(lambda: (x16 * x16).sum(), x16, create_graph=True)",
    "gradient(lambda: (x.detach() * 2).sum(), x, allow_unused=True)",
    "twice(lambda: (x * 2).sum(), x)",
    "twice(lambda: x.exp().sum(), x)",
    "twice(lambda: (x * x).sum(), x)",
    "twice(lambda: (x * x).sum(), x, retain_graph=True)",
    "twice(lambda: x.sum(), x)",
    "twice(lambda: (xe * xe).sum(), xe)",
    "twice(lambda: x0.exp(), x0, create_graph=True)",
    "third(lambda a: (a ** 4).sum(), x)",
    "third(lambda a: (a ** 4).sum(), x64)",
    "third(lambda a: a.exp().sum(), x0)",
    "third(lambda a: (a ** 4).sum(), xe)",
    "third(lambda a: (a * 2).sum(), x)",
    "third(lambda a: a.sum(), x)",
    "third(lambda a: (a.t() ** 3).sum(), xm)",
    "third(lambda a: (a[1:] ** 3).sum(), x)",
    "third(lambda a: (a.sin() * a.cos()).sum(), x16)",
    "backward(lambda: (x * x).sum(), [x], create_graph=True)",
    "backward(lambda: (x * x).sum(), [x], inputs=[x])",
    "backward(lambda: (x * z.sum()).sum(), [x, z], inputs=[z])",
    "backward(lambda: (x * 2).sum(), [x, z], inputs=[z])",
    "backward(lambda: (x * 2).sum(), [x], inputs=[])",
    "backward(lambda: (x * 2).sum(), [x], inputs=x)",
    "backward(lambda: (x * 2).sum(), [x], inputs=[x, x])",
    "backward(lambda: (xe * 2).sum(), [xe], inputs=[xe])",
    "(lambda v: (v.sum().backward(), x.grad))(x[1:])",
    "(lambda v: (gradient(lambda: (v * v).sum(), v)))(xm[0])",
    "(lambda v: (gradient(lambda: (v * v).sum(), [v, xm])))(xm.t())",
    "(lambda v: (gradient(lambda: (v * v).sum(), v)))(xm.detach().t().requires_grad_())",
    "t.autograd.backward([(x * 2).sum(), (x * 3).sum()])",
    "t.autograd.backward([(x * 2).sum(), (x * 3).sum()]) or x.grad",
    "t.autograd.backward([x * 2, (x * 3).sum()], [t.ones(3), None]) or x.grad",
    "t.autograd.backward([x * 2, (x * 3).sum()], [None, None]) or x.grad",
    "t.autograd.backward([x * 2], [t.ones(2)]) or x.grad",
    "t.autograd.backward([], []) or x.grad",
    "t.autograd.grad([(x * 2).sum(), (x * x).sum()], x)",
    "t.autograd.grad([(x * 2).sum(), (z * z).sum()], [x, z])",
    "t.autograd.grad([(x * 2).sum(), x.detach().sum()], x)",
    "t.autograd.grad([x * 2, x * 3], x, [t.ones(3), None])",
    "t.autograd.grad([x * 2, x * 3], x, [t.ones(3)])",
    "t.autograd.grad([], x)",
    "t.autograd.grad((x * 2).sum(), x, is_grads_batched=True)",
    "t.autograd.grad(x * 2, x, t.eye(3), is_grads_batched=True)",
    "t.autograd.grad(x * 2, x, t.ones(2, 2), is_grads_batched=True)",
    "t.autograd.grad(x * 2, x, t.ones(0, 3), is_grads_batched=True)",
    "t.autograd.grad((x * x).sum(), x, t.ones(2), is_grads_batched=True)",
    "t.autograd.grad(x0 * 2, x0, t.ones(4), is_grads_batched=True)",
]

# autograd.functional: (function, inputs, v for the outputs, v for the inputs).
FUNCTIONS = [
    ("square", "d", "t.ones(3, dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    ("square", "d0", "t.tensor(2., dtype=t.float64)", "t.tensor(2., dtype=t.float64)"),
    ("square", "de", "t.ones(0, dtype=t.float64)", "t.ones(0, dtype=t.float64)"),
    ("square", "x", "t.ones(3)", "t.ones(3)"),
    ("square", "(d,)", "(t.ones(3, dtype=t.float64),)", "(t.ones(3, dtype=t.float64),)"),
    ("cube_sum", "d", "t.tensor(1., dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    ("cube_sum", "d0", "t.tensor(1., dtype=t.float64)", "t.tensor(1., dtype=t.float64)"),
    ("cube_sum", "de", "t.tensor(1., dtype=t.float64)", "t.ones(0, dtype=t.float64)"),
    ("cube_sum", "x", "t.tensor(1.)", "t.ones(3)"),
    ("linear_sum", "d", "t.tensor(1., dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    ("constant", "d", "t.ones(2, dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    ("constant_scalar", "d", "t.tensor(1., dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    ("identity", "d", "t.ones(3, dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    ("detached", "d", "t.ones(3, dtype=t.float64)", "t.ones(3, dtype=t.float64)"),
    (
        "pair",
        "(d[:2], e)",
        "(t.ones(2, dtype=t.float64), t.ones(2, dtype=t.float64))",
        "(t.ones(2, dtype=t.float64), t.ones(2, dtype=t.float64))",
    ),
    (
        "pair_sum",
        "(d, e)",
        "t.tensor(1., dtype=t.float64)",
        "(t.ones(3, dtype=t.float64), t.ones(2, dtype=t.float64))",
    ),
    (
        "half_used",
        "(d, e)",
        "t.ones(3, dtype=t.float64)",
        "(t.ones(3, dtype=t.float64), t.ones(2, dtype=t.float64))",
    ),
    (
        "half_used_sum",
        "(d, e)",
        "t.tensor(1., dtype=t.float64)",
        "(t.ones(3, dtype=t.float64), t.ones(2, dtype=t.float64))",
    ),
]
FLAG_SETS = [
    "",
    ", create_graph=True",
    ", strict=True",
    ", create_graph=True, strict=True",
]
# strategy='forward-mode' (and outer_jacobian_strategy) with vectorize=True is not drawn:
# PyTorch's first such call in a process scripts a function with torch.jit.script, which
# gives a DeprecationWarning once a process. Without vectorize both libraries refuse it
# (test_argument_grids_autograd draws that).
JACOBIAN_FLAGS = FLAG_SETS + [
    ", vectorize=True",
    ", vectorize=True, create_graph=True",
    ", strategy='forward-mode'",
]
HESSIAN_FLAGS = FLAG_SETS + [
    ", vectorize=True",
    ", outer_jacobian_strategy='forward-mode'",
]
FUNCTIONAL = "t.autograd.functional."
FUNCTIONAL_LINES = [
    line
    for function, inputs, output_v, input_v in FUNCTIONS
    for line in [
        *[f"{FUNCTIONAL}jacobian({function}, {inputs}{flags})" for flags in JACOBIAN_FLAGS],
        *[f"{FUNCTIONAL}hessian({function}, {inputs}{flags})" for flags in HESSIAN_FLAGS],
        *[f"{FUNCTIONAL}vjp({function}, {inputs}, {output_v}{flags})" for flags in FLAG_SETS],
        f"{FUNCTIONAL}vjp({function}, {inputs})",
        *[f"{FUNCTIONAL}jvp({function}, {inputs}, {input_v}{flags})" for flags in FLAG_SETS],
        f"{FUNCTIONAL}jvp({function}, {inputs})",
        *[f"{FUNCTIONAL}hvp({function}, {inputs}, {input_v}{flags})" for flags in FLAG_SETS],
        *[f"{FUNCTIONAL}vhp({function}, {inputs}, {input_v}{flags})" for flags in FLAG_SETS],
        f"{FUNCTIONAL}hvp({function}, {inputs})",
    ]
]

# gradcheck and gradgradcheck: functions of several inputs, options at their edges.
GRADCHECK_SETUP = """
i = t.tensor([1, 2, 3])
def scaled(a, b, k):
    return a * b.sum() * k
def wrong(a):
    return a * 2 + a.detach() * 0.1 * a.detach()
def with_int(a, n):
    return a.repeat(n) * 2
def indexed(a, index):
    return a[index] * 3
def tuple_out(a, b):
    return a.exp(), (a * b.sum()).sin()
def noisy(a):
    return a ** 3
"""
GRADCHECK_LINES = [
    "t.autograd.gradcheck(scaled, (d, e, 2.5))",
    "t.autograd.gradcheck(scaled, (d, e.detach(), 3))",
    "t.autograd.gradcheck(scaled, (d0, e, 2))",
    "t.autograd.gradcheck(scaled, (de, e, 2))",
    "t.autograd.gradcheck(scaled, (d.detach(), e.detach(), 2))",
    "t.autograd.gradcheck(with_int, (d, 2))",
    "t.autograd.gradcheck(indexed, (d, i - 1))",
    "t.autograd.gradcheck(tuple_out, (d, e))",
    "t.autograd.gradcheck(tuple_out, (d, e), fast_mode=True)",
    "t.autograd.gradcheck(square, d)",
    "t.autograd.gradcheck(square, (d0,))",
    "t.autograd.gradcheck(square, (de,))",
    "t.autograd.gradcheck(square, (d[1:],))",
    "t.autograd.gradcheck(square, (d.expand(2, 3),))",
    "t.autograd.gradcheck(square, (leaf(2, 3, dtype=t.float64).t(),))",
    "t.autograd.gradcheck(cube_sum, (leaf(2, 3, dtype=t.float64).t(),))",
    "t.autograd.gradcheck(square, (leaf(6, dtype=t.float64)[::2],))",
    "t.autograd.gradcheck(pair, (leaf(3, 2, dtype=t.float64)[:, 1], e[:1]))",
    "t.autograd.gradcheck(wrong, (leaf(2, 3, dtype=t.float64).t(),), raise_exception=False)",
    "t.autograd.gradcheck(square, (leaf(3, dtype=t.float64).expand(2, 3),))",
    "t.autograd.gradcheck(square, (leaf(1, dtype=t.float64).expand(3),), raise_exception=False)",
    "t.autograd.gradcheck(square, (leaf(1, dtype=t.float64).expand(1, 1),))",
    "t.autograd.gradcheck(square, (t.zeros(2, 0, dtype=t.float64, requires_grad=True),))",
    "t.autograd.gradcheck(square, (t.zeros(0, 3, dtype=t.float64, requires_grad=True).t(),))",
    "t.autograd.gradgradcheck(square, (t.zeros(2, 0, dtype=t.float64, requires_grad=True),))",
    # check_forward_ad=True (and gradgradcheck's check_fwd_over_rev=True) is drawn only
    # where an assertion stops the check first: the check itself scripts a function with
    # torch.jit.script, a DeprecationWarning once a process.
    "t.autograd.gradcheck(square, (d,), check_backward_ad=False, raise_exception=False)",
    "t.autograd.gradcheck(square, (d,), check_batched_grad=True, check_backward_ad=False, "
    "check_forward_ad=True)",
    "t.autograd.gradcheck(square, (d,), check_batched_forward_grad=True)",
    "t.autograd.gradcheck(square, (d.detach(),), check_backward_ad=False)",
    "t.autograd.gradcheck(wrong, (d,), raise_exception=False)",
    "t.autograd.gradcheck(wrong, (d,))",
    "t.autograd.gradcheck(wrong, (d,), atol=1.0)",
    "t.autograd.gradcheck(wrong, (d,), rtol=1.0)",
    "t.autograd.gradcheck(wrong, (d,), atol=0.0, rtol=0.0, raise_exception=False)",
    "t.autograd.gradcheck(square, (d,), atol=0.0, rtol=0.0)",
    "t.autograd.gradcheck(square, (d,), eps=1e-3)",
    "t.autograd.gradcheck(square, (d,), eps=0.5)",
    "t.autograd.gradcheck(cube_sum, (d,), eps=0.5, raise_exception=False)",
    "t.autograd.gradcheck(cube_sum, (d,), eps=1e-12, raise_exception=False)",
    "t.autograd.gradcheck(square, (d,), nondet_tol=1e-3)",
    "t.autograd.gradcheck(square, (d,), nondet_tol=0.0)",
    "t.autograd.gradcheck(square, (d,), check_undefined_grad=False)",
    "t.autograd.gradcheck(half_used, (d, e))",
    "t.autograd.gradcheck(half_used, (d, e), check_undefined_grad=False)",
    "t.autograd.gradcheck(half_used, (d, e), fast_mode=True)",
    "t.autograd.gradcheck(constant, (d,))",
    "t.autograd.gradcheck(identity, (d,))",
    "t.autograd.gradcheck(detached, (d,), raise_exception=False)",
    "t.autograd.gradcheck(wrong, (d,), fast_mode=True, raise_exception=False)",
    "t.autograd.gradcheck(square, (d,), fast_mode=True, eps=1e-4, atol=1e-4)",
    "t.autograd.gradcheck(noisy, (d,), check_batched_grad=True)",
    "t.autograd.gradcheck(noisy, (d,), check_backward_ad=False)",
    "t.autograd.gradgradcheck(noisy, (d,))",
    "t.autograd.gradgradcheck(noisy, (d0,))",
    "t.autograd.gradgradcheck(noisy, (de,))",
    "t.autograd.gradgradcheck(scaled, (d, e, 2.5))",
    "t.autograd.gradgradcheck(tuple_out, (d, e))",
    "t.autograd.gradgradcheck(noisy, (d,), (t.ones(3, dtype=t.float64),))",
    "t.autograd.gradgradcheck(noisy, (d,), t.ones(3, dtype=t.float64))",
    "t.autograd.gradgradcheck(noisy, (d,), (t.ones(2, dtype=t.float64),))",
    "t.autograd.gradgradcheck(noisy, (d,), eps=1e-3, atol=1e-3)",
    "t.autograd.gradgradcheck(noisy, (d,), eps=0.5, raise_exception=False)",
    "t.autograd.gradgradcheck(linear_sum, (d,))",
    "t.autograd.gradgradcheck(wrong, (d,), raise_exception=False)",
    "t.autograd.gradgradcheck(noisy, (d,), gen_non_contig_grad_outputs=True)",
    "t.autograd.gradgradcheck(noisy, (d,), nondet_tol=1e-6)",
    "t.autograd.gradgradcheck(half_used_sum, (d, e))",
]

# Custom Functions at their edges.
FUNCTION_SETUP = """
class SavesView(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a[1:], a)
        return a * 2
    @staticmethod
    def backward(ctx, grad):
        tail, whole = ctx.saved_tensors
        return grad * 2 + t.cat([t.zeros(1, dtype=tail.dtype), tail]) * 0
class Dirty(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        a.mul_(3)
        ctx.mark_dirty(a)
        return a
    @staticmethod
    def backward(ctx, grad):
        return grad * 3
class Unmarked(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a
    @staticmethod
    def backward(ctx, grad):
        return grad * 5
class Split(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.mark_non_differentiable(a.argmax())
        return a * 2, a.argmax()
    @staticmethod
    def backward(ctx, grad, ignored):
        return grad * 2
class TwoOuts(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2, a * 3
    @staticmethod
    def backward(ctx, first, second):
        return (first if first is not None else t.zeros(3)) * 2 + (
            second if second is not None else t.zeros(3)) * 3
class Materialized(t.autograd.Function):
    @staticmethod
    def forward(ctx, a, materialize):
        ctx.set_materialize_grads(materialize)
        return a * 2, a * 3
    @staticmethod
    def backward(ctx, first, second):
        if second is None:
            return first * 2, None
        return first * 2 + second * 3, None
class NoneGrads(t.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b
    @staticmethod
    def backward(ctx, grad):
        return grad * 2, None
class Returns(t.autograd.Function):
    @staticmethod
    def forward(ctx, a, answer):
        ctx.answer = answer
        return a * 2
    @staticmethod
    def backward(ctx, grad):
        return ctx.answer(grad), None
class Once(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a
    @staticmethod
    @t.autograd.function.once_differentiable
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * 2 * a
class Twice(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a
    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * 2 * a
class Constant(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return t.ones(3)
    @staticmethod
    def backward(ctx, grad):
        return grad
def grads(*tensors):
    return tuple(each.grad for each in tensors)
"""
CUSTOM_FUNCTION_LINES = [
    "SavesView.apply(x)",
    "(SavesView.apply(x).sum().backward(), x.grad)",
    "(SavesView.apply(x0.reshape(1)).sum().backward(), x0.grad)",
    "(SavesView.apply(xe).sum().backward(), xe.grad)",
    "(SavesView.apply(xm.t()).sum().backward(), xm.grad)",
    "Dirty.apply(x)",
    "Dirty.apply(x * 1)",
    "(lambda y: (Dirty.apply(y).sum().backward(), x.grad))(x * 1)",
    "(lambda y: (Dirty.apply(y[1:]).sum().backward(), x.grad))(x * 1)",
    "(lambda y: (Dirty.apply(y), y.grad_fn.name(), y.sum().backward(), x.grad))(x * 1)",
    "(lambda y: (Dirty.apply(y), y.sum().backward(), x.grad))(x.detach())",
    "Unmarked.apply(x)",
    "Unmarked.apply(x) is x",
    "(Unmarked.apply(x).sum().backward(), x.grad)",
    "(lambda y: (Unmarked.apply(y).sum().backward(), x.grad))(x * 1)",
    "Split.apply(x)",
    "[each.requires_grad for each in Split.apply(x)]",
    "(Split.apply(x)[0].sum().backward(), x.grad)",
    "Split.apply(x)[1].sum().backward()",
    "TwoOuts.apply(x)",
    "(TwoOuts.apply(x)[0].sum().backward(), x.grad)",
    "(TwoOuts.apply(x)[1].sum().backward(), x.grad)",
    "(Materialized.apply(x, True)[0].sum().backward(), x.grad)",
    "(Materialized.apply(x, False)[0].sum().backward(), x.grad)",
    "(Materialized.apply(xe, True)[0].sum().backward(), xe.grad)",
    "(NoneGrads.apply(x, z[:1]).sum().backward(), grads(x, z))",
    "(NoneGrads.apply(x, 2.0).sum().backward(), x.grad)",
    "(NoneGrads.apply(x, x0).sum().backward(), grads(x, x0))",
    "(NoneGrads.apply(x0, x).sum().backward(), grads(x, x0))",
    "(Returns.apply(x, lambda g: g[:2]).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.reshape(1, 3)).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.reshape(3, 1)).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.sum()).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.double()).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.half()).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.long()).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.bool()).sum().backward(), x.grad)",
    "(Returns.apply(x64, lambda g: g.float()).sum().backward(), x64.grad)",
    "(Returns.apply(x, lambda g: None).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: 2.0).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.expand(2, 3)).sum().backward(), x.grad)",
    "(Returns.apply(x, lambda g: g.expand(2, 3)[:1]).sum().backward(), x.grad)",
    "(Returns.apply(x0, lambda g: g.reshape(1)).sum().backward(), x0.grad)",
    "(Returns.apply(xe, lambda g: g.reshape(0, 1)).sum().backward(), xe.grad)",
    "(Returns.apply(x, lambda g: t.ones(3, requires_grad=True)).sum().backward(), x.grad)",
    "Returns.apply(x, lambda g: g).grad_fn.name()",
    "(Once.apply(x).sum().backward(), x.grad)",
    "gradient(lambda: Once.apply(x).sum(), x, create_graph=True)",
    "gradient(lambda: gradient(lambda: Once.apply(x).sum(), x, create_graph=True)[0].sum(), x)",
    "third(lambda a: Twice.apply(a).sum(), x)",
    "third(lambda a: Twice.apply(a).sum(), x0)",
    "Constant.apply(x)",
    "Constant.apply(x).sum().backward()",
    "(lambda: (t.set_grad_enabled(False), Twice.apply(x))[1])()",
    "(lambda: (t.set_grad_enabled(False), Twice.apply(x).requires_grad)[1])()",
    "Twice.apply(x.detach())",
    "Twice.apply(x16)",
    "(Twice.apply(x16).sum().backward(), x16.grad)",
    "Twice.apply(xm.t())",
]

# Grad modes as contexts and decorators, nested, and what they give the graph.
MODE_SETUP = """
def inside(*managers, make=lambda: x * 2):
    for manager in managers:
        manager.__enter__()
    try:
        made = make()
        return made.requires_grad, t.is_grad_enabled()
    finally:
        for manager in reversed(managers):
            manager.__exit__(None, None, None)
def decorated(decorator, make=lambda: x * 2):
    @decorator
    def run():
        made = make()
        return made.requires_grad, t.is_grad_enabled()
    return run(), t.is_grad_enabled()
def generated(decorator):
    @decorator
    def run():
        yield t.is_grad_enabled()
        yield (x * 2).requires_grad
    return list(run()), t.is_grad_enabled()
"""
MODES = [
    "t.no_grad()",
    "t.enable_grad()",
    "t.set_grad_enabled(False)",
    "t.set_grad_enabled(True)",
    "t.inference_mode()",
    "t.inference_mode(False)",
]
MODE_LINES = [
    *[f"inside({mode})" for mode in MODES],
    *[f"inside({outer}, {inner})" for outer, inner in itertools.product(MODES, MODES)],
    *[f"decorated({mode})" for mode in MODES],
    *[f"generated({mode})" for mode in MODES],
    *[f"decorated({mode.replace('()', '')})" for mode in MODES if mode.endswith("()")],
    "inside(t.no_grad(), make=lambda: x[1:])",
    "inside(t.no_grad(), make=lambda: x.detach())",
    "inside(t.no_grad(), make=lambda: x.t())",
    "inside(t.no_grad(), make=lambda: Twice.apply(x))",
    "inside(t.no_grad(), make=lambda: gradient(lambda: (x * x).sum(), x)[0])",
    "inside(t.no_grad(), make=lambda: gradient(lambda: (x * x).sum(), x, create_graph=True)[0])",
    "inside(t.no_grad(), make=lambda: t.autograd.functional.jacobian(square, x))",
    "inside(t.no_grad(), make=lambda: t.autograd.functional.jacobian(square, x, "
    "create_graph=True))",
    "inside(t.no_grad(), make=lambda: t.autograd.functional.vjp(square, x, t.ones(3))[1])",
    "inside(t.no_grad(), make=lambda: t.autograd.functional.hessian(cube_sum, x))",
    "inside(t.enable_grad(), make=lambda: t.autograd.functional.jvp(square, x, t.ones(3))[1])",
    "(lambda y: (inside(t.no_grad(), make=lambda: y.sum().backward() or x.grad)))(x * 2)",
    "(lambda y: (inside(t.no_grad(), make=lambda: y + 1)))(x * 2)",
    "(lambda y: (y.sum().backward(), x.grad))(inside(t.no_grad()) and x * 2)",
    "(t.set_grad_enabled(False), (x * 2).requires_grad, t.is_grad_enabled())",
    "(t.set_grad_enabled(False), t.enable_grad()(lambda: (x * 2).requires_grad)())",
    "(t.set_grad_enabled(False), inside(t.set_grad_enabled(True)), t.is_grad_enabled())",
    "(t.set_grad_enabled(False), inside(t.inference_mode(False)), t.is_grad_enabled())",
    "t.is_inference_mode_enabled()",
    "(lambda m: (m.__enter__(), t.is_inference_mode_enabled(), m.__exit__(None, None, None)))"
    "(t.inference_mode())",
    "t.no_grad().clone().__class__.__name__",
    "t.set_grad_enabled(False).clone().__class__.__name__",
    "(t.set_grad_enabled(True).clone(), t.is_grad_enabled())",
    *[f"(lambda m: (m.__enter__(), m.__exit__(None, None, None)))({mode})" for mode in MODES],
]

# More functional edges: v of wrong shapes and dtypes, float16, strided and detached
# inputs, outputs that are tuples, lists, integers, numbers, constants and inputs.
FUNCTIONAL_EDGE_LINES = [
    "t.autograd.functional.vjp(square, d)",
    "t.autograd.functional.vjp(cube_sum, d)",
    "t.autograd.functional.vjp(square, d, t.ones(2, dtype=t.float64))",
    "t.autograd.functional.vjp(square, d, t.ones(3))",
    "t.autograd.functional.vjp(square, d, t.ones(1, 3, dtype=t.float64))",
    "t.autograd.functional.jvp(square, d, t.ones(2, dtype=t.float64))",
    "t.autograd.functional.jvp(square, d, t.ones(3))",
    "t.autograd.functional.jvp(square, d, t.ones(3, dtype=t.float64).reshape(3, 1))",
    "t.autograd.functional.hvp(cube_sum, d, t.ones(2, dtype=t.float64))",
    "t.autograd.functional.hvp(square, d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.vhp(square, d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.hessian(square, d)",
    "t.autograd.functional.jacobian(square, x16)",
    "t.autograd.functional.hessian(cube_sum, x16)",
    "t.autograd.functional.vjp(square, x16, t.ones(3, dtype=t.float16))",
    "t.autograd.functional.jacobian(square, d.detach())",
    "t.autograd.functional.jacobian(square, d[1:])",
    "t.autograd.functional.jacobian(square, xm.t())",
    "t.autograd.functional.jacobian(lambda a: a.t() * 2, xm)",
    "t.autograd.functional.jacobian(lambda a: a.sum(0), xm, vectorize=True)",
    "t.autograd.functional.jacobian(lambda a: (a, a * 2), d)",
    "t.autograd.functional.jacobian(lambda a: (a, a * 2), d, strict=True)",
    "t.autograd.functional.jacobian(lambda a: (a * 2, t.ones(2)), d, strict=True)",
    "t.autograd.functional.jacobian(lambda a: (a * 2, t.ones(2)), d)",
    "t.autograd.functional.jacobian(lambda a: [a * 2], d)",
    "t.autograd.functional.jacobian(lambda a: a.argmax(), d)",
    "t.autograd.functional.jacobian(lambda a: a.long(), d)",
    "t.autograd.functional.jacobian(lambda a: 2.0, d)",
    "t.autograd.functional.jacobian(square, [d])",
    "t.autograd.functional.jacobian(square, ())",
    "t.autograd.functional.jacobian(lambda: d, ())",
    "t.autograd.functional.jacobian(square, i)",
    "t.autograd.functional.jacobian(square, 2.0)",
    "t.autograd.functional.hessian(lambda a: a.sum().reshape(1), d)",
    "t.autograd.functional.hessian(lambda a: a.sum().reshape(1, 1), d)",
    "t.autograd.functional.hessian(square, d0)",
    "t.autograd.functional.hessian(lambda a: (a * 2).sum(), d, strict=True)",
    "t.autograd.functional.hessian(lambda a: (a * 2).sum(), d, create_graph=True)",
    "t.autograd.functional.hessian(lambda a: (a * 2).sum(), d, vectorize=True)",
    "t.autograd.functional.hessian(lambda a, b: (a * b).sum(), (d, d))",
    "t.autograd.functional.vhp(lambda a: (a * 2).sum(), d, t.ones(3, dtype=t.float64), "
    "strict=True)",
    "t.autograd.functional.hvp(lambda a: (a * 2).sum(), d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.vjp(identity, d, t.ones(3, dtype=t.float64), strict=True)",
    "t.autograd.functional.jvp(identity, d, t.ones(3, dtype=t.float64), strict=True)",
    "t.autograd.functional.jvp(constant, d, t.ones(3, dtype=t.float64), strict=True)",
    "t.autograd.functional.jvp(constant, d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.vjp(constant, d, t.ones(2, dtype=t.float64))",
    "t.autograd.functional.hvp(constant_scalar, d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.hvp(constant_scalar, d, t.ones(3, dtype=t.float64), strict=True)",
    "t.autograd.functional.vjp(lambda a: (a * 2, a.sum()), d, (t.ones(3, dtype=t.float64), None))",
    "t.autograd.functional.vjp(lambda a: (a * 2, a.sum()), d, (t.ones(3, dtype=t.float64), "
    "t.tensor(1., dtype=t.float64)))",
    "t.autograd.functional.vjp(lambda a: (a * 2, a.sum()), d)",
    "t.autograd.functional.jacobian(square, d, strict=True, vectorize=True)",
    "t.autograd.functional.hessian(cube_sum, d, strict=True, vectorize=True)",
    "t.autograd.functional.jacobian(square, d, create_graph=True, vectorize=True, "
    "strategy='reverse-mode')",
    "t.autograd.functional.jacobian(square, d, strategy='sideways')",
    "t.autograd.functional.hessian(cube_sum, d, outer_jacobian_strategy='sideways')",
    "t.autograd.functional.jacobian(identity, d, strict=True)",
    "t.autograd.functional.jacobian(identity, d, create_graph=True)",
    "t.autograd.functional.jacobian(identity, d)",
    "t.autograd.functional.hessian(linear_sum, d)",
    "t.autograd.functional.hessian(linear_sum, d, strict=True)",
    "t.autograd.functional.hessian(linear_sum, d, create_graph=True)",
    "t.autograd.functional.hessian(linear_sum, d, create_graph=True, strict=True)",
    "t.autograd.functional.hessian(lambda a: (a * 1).sum(), d, vectorize=True)",
    "t.autograd.functional.hvp(linear_sum, d, t.ones(3, dtype=t.float64), strict=True)",
    "t.autograd.functional.hvp(linear_sum, d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.vhp(linear_sum, d, t.ones(3, dtype=t.float64), create_graph=True)",
    "t.autograd.functional.vhp(identity, d0, t.ones((), dtype=t.float64))",
    "t.autograd.functional.vhp(identity, d0, t.ones((), dtype=t.float64), strict=True)",
    "t.autograd.functional.hessian(identity, d0)",
    "t.autograd.functional.hessian(identity, d0, strict=True)",
    "t.autograd.functional.hessian(constant_scalar, d0)",
    "t.autograd.functional.hessian(constant_scalar, d0, strict=True)",
    "t.autograd.functional.hessian(lambda a: a.detach().sum(), d)",
    "t.autograd.functional.hessian(lambda a: a.detach().sum(), d, strict=True)",
    "t.autograd.functional.jacobian(lambda a, b: a.sum(), (d, e), strict=True)",
    "t.autograd.functional.jacobian(lambda a, b: a.sum(), (d, e))",
    "t.autograd.functional.jacobian(lambda a, b: a.sum(), (d, e), vectorize=True)",
    "t.autograd.functional.vjp(lambda a, b: a.sum(), (d, e), strict=True)",
    "t.autograd.functional.vjp(lambda a, b: a.sum(), (d, e))",
    "t.autograd.functional.jvp(lambda a, b: a.sum(), (d, e), (t.ones(3, dtype=t.float64), "
    "t.ones(2, dtype=t.float64)), strict=True)",
    "t.autograd.functional.jvp(lambda a, b: (a.sum(), b * 0), (d, e), (t.ones(3, "
    "dtype=t.float64), t.ones(2, dtype=t.float64)))",
    "t.autograd.functional.jvp(lambda a: a, d, t.ones(3, dtype=t.float64))",
    "t.autograd.functional.jvp(lambda a: a * 1, d, t.ones(3, dtype=t.float64), strict=True)",
    "t.autograd.functional.jvp(lambda a: (a * 0).sum(), d, t.ones(3, dtype=t.float64), "
    "strict=True)",
    "t.autograd.functional.vjp(lambda a: (a * 0).sum(), d, strict=True)",
    "t.autograd.functional.hessian(lambda a: (a * 0).sum(), d, strict=True)",
    "t.autograd.functional.jacobian(lambda a: a.sum() * 0, d, strict=True)",
    "t.autograd.functional.jacobian(lambda a: a.relu(), -d.detach().abs().requires_grad_(), "
    "strict=True)",
]

# More gradcheck edges: outputs that are integers, detached or lists, kinks, float16,
# negative tolerances, custom Functions (once_differentiable, None and wrong gradients).
GRADCHECK_EDGE_LINES = [
    "t.autograd.gradcheck(lambda a: (a * 2, a.argmax()), (d,))",
    "t.autograd.gradcheck(lambda a: a.argmax(), (d,))",
    "t.autograd.gradcheck(lambda a: a.long(), (d,))",
    "t.autograd.gradcheck(lambda a: a.float() * 2, (d,))",
    "t.autograd.gradcheck(lambda a: a.detach(), (d,))",
    "t.autograd.gradcheck(lambda a: a.detach(), (d,), raise_exception=False)",
    "t.autograd.gradcheck(lambda a: (a * 2, a.detach()), (d,))",
    "t.autograd.gradcheck(lambda a: a * 2, (d, 'text'))",
    "t.autograd.gradcheck(lambda a: [a * 2, a * 3], (d,))",
    "t.autograd.gradcheck(lambda a: a[a > 0] * 2, (d,))",
    "t.autograd.gradcheck(lambda a: a.abs(), (leaf(3, dtype=t.float64, start=-1e-7),), "
    "raise_exception=False)",
    "t.autograd.gradcheck(lambda a: a.abs(), (leaf(3, dtype=t.float64, start=-1e-7),), eps=1e-9, "
    "raise_exception=False)",
    "t.autograd.gradcheck(lambda a: a.sqrt(), (leaf(3, dtype=t.float64, start=0.0),), "
    "raise_exception=False)",
    "t.autograd.gradcheck(lambda a: a * 2, (x16,))",
    "t.autograd.gradcheck(lambda a: a * 2, (leaf(3, dtype=t.float64).double(),))",
    "t.autograd.gradcheck(lambda a: t.ones(2, dtype=t.float64), (d,))",
    "t.autograd.gradcheck(lambda a: a * 2, (d,), atol=-1.0, raise_exception=False)",
    "t.autograd.gradcheck(lambda a: a * 2, (d,), rtol=-1.0)",
    "t.autograd.gradcheck(lambda a: a * 2, (d,), eps=-1e-6)",
    "t.autograd.gradgradcheck(lambda a: a * 2, (d,))",
    "t.autograd.gradgradcheck(lambda a: (a * a, a.sum()), (d,), (t.ones(3, dtype=t.float64), "
    "t.tensor(1., dtype=t.float64)))",
    "t.autograd.gradgradcheck(lambda a: a * a, (d,), (t.ones(3, dtype=t.float64, "
    "requires_grad=True),))",
    "t.autograd.gradgradcheck(Once.apply, (d,), raise_exception=False)",
    "t.autograd.gradgradcheck(Once.apply, (d,))",
    "t.autograd.gradcheck(Once.apply, (d,))",
    "t.autograd.gradcheck(Twice.apply, (d,))",
    "t.autograd.gradgradcheck(Twice.apply, (d,))",
    "t.autograd.gradcheck(SavesView.apply, (d,))",
    "t.autograd.gradcheck(lambda a: Returns.apply(a, lambda g: g * 3), (d,), "
    "raise_exception=False)",
    "t.autograd.gradcheck(lambda a: Returns.apply(a, lambda g: None), (d,))",
    "t.autograd.gradcheck(lambda a, b: NoneGrads.apply(a, b), (d, e[:1]))",
    "t.autograd.gradcheck(lambda a, b: NoneGrads.apply(a, b), (d, e[:1].detach()))",
    "t.autograd.gradcheck(lambda a, b: NoneGrads.apply(a, b), (d, e[:1]), raise_exception=False)",
    "t.autograd.gradgradcheck(noisy, (d,), check_undefined_grad=False)",
    "t.autograd.gradgradcheck(noisy, (d,), fast_mode=True)",
    "t.autograd.gradgradcheck(noisy, (d,), check_fwd_over_rev=False, check_rev_over_rev=False)",
    "t.autograd.gradgradcheck(noisy, (d,), rtol=-1.0)",
    "t.autograd.gradgradcheck(noisy, (d,), atol=-1.0, raise_exception=False)",
    "t.autograd.gradgradcheck(noisy, (d,), raise_exception=False, atol=0.0, rtol=0.0)",
    "t.autograd.gradgradcheck(noisy, (x16,), raise_exception=False)",
    "t.autograd.gradgradcheck(lambda a: (a ** 3, a.argmax()), (d,))",
    "t.autograd.gradgradcheck(lambda a: (a ** 3, a.detach()), (d,))",
    "t.autograd.gradgradcheck(lambda a, b: a ** 3 * b, (d, 2.0))",
    "t.autograd.gradgradcheck(lambda a, b: a ** 3 * b, (d, e[:1].detach()))",
    "t.autograd.gradgradcheck(lambda a: a ** 3, (leaf(2, 3, dtype=t.float64).t(),))",
    "t.autograd.gradgradcheck(lambda a: a ** 3, (leaf(3, dtype=t.float64).expand(2, 3),))",
    "t.autograd.gradgradcheck(lambda a: a ** 3, (d,), (t.ones(3, dtype=t.float64).expand(3),))",
    "t.autograd.gradgradcheck(lambda a: a ** 3, (d,), (t.ones(1, dtype=t.float64).expand(3),))",
    "t.autograd.gradgradcheck(lambda a: a ** 3, (d,), (t.ones(3),))",
    "t.autograd.gradgradcheck(lambda a: a ** 3, (d,), (t.ones(3, dtype=t.float64),), "
    "raise_exception=False, eps=0.5)",
    "t.autograd.gradcheck(lambda a: a ** 3, (d,), eps=t.tensor(1e-6))",
    "t.autograd.gradcheck(lambda a: a ** 3, (d,), atol=t.tensor(1e-5))",
    "t.autograd.gradcheck(lambda a: a ** 3, (d,), atol=t.tensor(-1.0))",
    "t.autograd.gradcheck(lambda a: a ** 3, [d])",
    "t.autograd.gradcheck(lambda a: a ** 3, d)",
    "t.autograd.gradcheck(lambda *a: a[0] ** 3, (d, None))",
    "t.autograd.gradcheck(lambda a, b: a ** 3, (d, i))",
    "t.autograd.gradcheck(lambda a, b: a ** 3 * b, (d, i))",
    "t.autograd.gradcheck(lambda a: a ** 3, (d,), nondet_tol=1e-6, fast_mode=True)",
    "t.autograd.gradcheck(lambda a: a ** 3, (de,), fast_mode=True)",
    "t.autograd.gradcheck(lambda a: a ** 3, (d0,), fast_mode=True)",
    "t.autograd.gradcheck(lambda a: t.ones(0, dtype=t.float64), (d,))",
    "t.autograd.gradcheck(lambda a: (a * 2, t.ones(0, dtype=t.float64)), (d,))",
    "t.autograd.gradcheck(lambda a: (), (d,))",
    "t.autograd.gradcheck(lambda a: None, (d,))",
    "t.autograd.gradcheck(lambda a: 2.0, (d,))",
    "t.autograd.gradcheck(lambda a: a.sum().item(), (d,))",
    "t.autograd.gradgradcheck(noisy, (d,), check_fwd_over_rev=True, check_rev_over_rev=False)",
    "t.autograd.gradgradcheck(noisy, (d,), check_fwd_over_rev=True, check_rev_over_rev=False, "
    "check_batched_grad=True, check_undefined_grad=False)",
]

# Tensors made under no_grad and inference_mode, then used in a graph; modes nested.
INFERENCE_SETUP = """
def made_in_inference():
    with t.inference_mode():
        return t.ones(3) * 2
def made_in_no_grad():
    with t.no_grad():
        return x * 2
"""
INFERENCE_LINES = [
    "made_in_inference().requires_grad",
    "(x * made_in_inference()).sum().backward()",
    "(x + made_in_inference()).sum().backward()",
    "made_in_inference().requires_grad_()",
    "(lambda i: (i.mul_(2)))(made_in_inference())",
    "t.autograd.grad((x * made_in_inference()).sum(), x)",
    "made_in_no_grad().requires_grad",
    "made_in_no_grad().sum().backward()",
    "inside(t.inference_mode(), make=lambda: made_in_no_grad() * x)",
    "inside(t.inference_mode(), make=lambda: x.exp())",
    "inside(t.inference_mode(), t.enable_grad())",
    "inside(t.inference_mode(), t.set_grad_enabled(True))",
    "inside(t.inference_mode(), t.inference_mode(False))",
    "inside(t.inference_mode(False), t.no_grad())",
    "inside(t.no_grad(), t.inference_mode(False), t.enable_grad())",
]

# Saved tensors changed in place, Functions returning views, reading ctx twice, graphs
# freed and kept, modes left by an exception, and grad of strided, expanded, mixed-dtype,
# integer-valued and repeated outputs.
GRAPH_SETUP = """
class ViewOut(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a[1:]
    @staticmethod
    def backward(ctx, grad):
        return t.cat([t.zeros(1), grad])
class Needs(t.autograd.Function):
    @staticmethod
    def forward(ctx, a, b, k):
        ctx.seen = ctx.needs_input_grad
        return a * b * k
    @staticmethod
    def backward(ctx, grad):
        return grad, grad.sum().reshape(1), None
class Reads(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * 2
    @staticmethod
    def backward(ctx, grad):
        first = ctx.saved_tensors
        second = ctx.saved_tensors
        return grad * 2 + (first[0] - second[0])
def raising(manager):
    try:
        with manager:
            raise KeyError('inside')
    except KeyError:
        return t.is_grad_enabled()
"""
GRAPH_LINES = [
    "(lambda y: (SavesView.apply(y), y.add_(1), SavesView.apply(y).sum().backward(), "
    "x.grad)[3])(x * 1)",
    "(lambda y: (lambda out: (y.add_(1), out.sum().backward(), x.grad)[2])(SavesView.apply(y)))(x "
    "* 1)",
    "(lambda y: (lambda out: (y[0:1].mul_(2), out.sum().backward(), "
    "x.grad)[2])(Twice.apply(y)))(x * 1)",
    "(lambda y: (lambda out: (y.mul_(2), out.sum().backward(), x.grad)[2])(Twice.apply(y[1:])))(x "
    "* 1)",
    "ViewOut.apply(x)",
    "ViewOut.apply(x)._base is x",
    "(ViewOut.apply(x).sum().backward(), x.grad)",
    "(lambda v: (v.mul_(2)))(ViewOut.apply(x * 1))",
    "(lambda r: (Needs.apply(x, z[:1], 2.0), r)[0])(None)",
    "(lambda out: out.grad_fn.name())(Needs.apply(x, z[:1], 2.0))",
    "(lambda: (lambda o: (o.sum().backward(), x.grad, z.grad))(Needs.apply(x, z[:1], 2.0)))()",
    "(lambda: (lambda o: (o.sum().backward(), x.grad))(Needs.apply(x, z[:1].detach(), 2.0)))()",
    "(lambda o: (o.sum().backward(), x.grad))(Reads.apply(x))",
    "(lambda o: (o.sum().backward(), o.sum().backward()))(Reads.apply(x))",
    "(lambda o: (o.sum().backward(retain_graph=True), o.sum().backward(), x.grad))(Reads.apply(x))",
    "(lambda o: (o.sum().backward(), o.sum().backward()))(Twice.apply(x * 1))",
    "(lambda o: (o.sum().backward(), o.sum().backward()))(x * 2)",
    "(lambda o: (o.sum().backward(), o.sum().backward(), x.grad))(x * 1 + 2)",
    "(lambda o: (o.sum().backward(), o.sum().backward(), x.grad))(x.sum() * 2)",
    "(lambda o: (o.backward(retain_graph=True), o.backward(), x.grad))((x * x).sum())",
    "(lambda o: (o.backward(create_graph=True), o.backward(), x.grad))((x * x).sum())",
    "raising(t.no_grad())",
    "raising(t.enable_grad())",
    "raising(t.set_grad_enabled(False))",
    "raising(t.inference_mode())",
    "(t.set_grad_enabled(False), raising(t.enable_grad()))[1]",
    "t.no_grad()(lambda a: a * 2)(x)",
    "t.enable_grad()(lambda a: a * 2)(x).requires_grad",
    "t.inference_mode()(lambda a: a * 2)(x).requires_grad",
    "t.set_grad_enabled(False)(lambda a: a * 2)(x).requires_grad",
    "(lambda m: (m.__enter__(), m.__enter__(), m.__exit__(None, None, None), "
    "t.is_grad_enabled()))(t.no_grad())",
    "t.autograd.functional.jacobian(square, d.detach(), create_graph=True)",
    "t.autograd.functional.jacobian(square, d.detach())",
    "t.autograd.functional.vjp(square, d.detach(), t.ones(3, dtype=t.float64), create_graph=True)",
    "t.autograd.functional.jvp(square, d.detach(), t.ones(3, dtype=t.float64), create_graph=True)",
    "t.autograd.functional.hessian(cube_sum, d.detach(), create_graph=True)",
    "t.autograd.functional.hvp(cube_sum, d.detach(), t.ones(3, dtype=t.float64), "
    "create_graph=True)",
    "t.autograd.functional.vjp(square, d, t.ones(3, dtype=t.float64, requires_grad=True))",
    "t.autograd.functional.vjp(square, d, t.ones(3, dtype=t.float64, requires_grad=True), "
    "create_graph=True)",
    "t.autograd.functional.jacobian(square, x0)",
    "t.autograd.functional.jacobian(lambda a: a.reshape(1, 1), x0)",
    "t.autograd.functional.jacobian(lambda a: a.sum(), xm)",
    "t.autograd.functional.jacobian(lambda a, b: a * b, (x0, x))",
    "t.autograd.functional.jacobian(lambda a, b: (a * b).sum(), (x0, x), vectorize=True)",
    "t.autograd.functional.hessian(lambda a, b: (a * b * b).sum(), (x0, x))",
    "t.autograd.functional.hessian(lambda a, b: (a * b * b).sum(), (x0, x), vectorize=True)",
    "t.autograd.functional.hessian(lambda a: (a * a).sum(), xm)",
    "t.autograd.functional.hessian(lambda a: (a * a).sum(), x16)",
    "t.autograd.functional.vhp(lambda a: (a ** 3).sum(), x0, t.tensor(2.))",
    "t.autograd.functional.vhp(lambda a: (a ** 3).sum(), x0)",
    "t.autograd.functional.hvp(lambda a: (a ** 3).sum(), xe, t.ones(0))",
    "t.autograd.functional.vjp(lambda a: a * 2, xe, t.ones(0))",
    "t.autograd.functional.jvp(lambda a: a * 2, xe, t.ones(0))",
    "t.autograd.functional.jvp(lambda a: a.sum(), xe, t.ones(0))",
    "t.autograd.grad((x * 2).sum(), x, t.tensor(1., dtype=t.float64))",
    "t.autograd.grad((x * 2).sum(), x, t.tensor(1., requires_grad=True), create_graph=True)",
    "t.autograd.grad(x * 2, x, t.ones(3, requires_grad=True), create_graph=True)",
    "t.autograd.grad(x16 * 2, x16, t.ones(3), create_graph=True)",
    "t.autograd.grad(x16.sum(), x16)",
    "t.autograd.grad(x16.float().sum(), x16)",
    "t.autograd.grad(x.double().sum(), x)",
    "t.autograd.grad((x.half() * 3).sum(), x)",
    "t.autograd.grad((x64.float() * x).sum(), [x, x64])",
    "t.autograd.grad(xm.t().reshape(-1).sum(), xm)",
    "t.autograd.grad(xm.t().contiguous().sum(), xm)",
    "t.autograd.grad((xm.t()[::2] * 2).sum(), xm)",
    "t.autograd.grad((xm[:, ::2] * 3).sum(), xm)",
    "t.autograd.grad((xm.expand(2, 2, 3) * 3).sum(), xm)",
    "t.autograd.grad(xm.unsqueeze(0).t() if False else xm.unsqueeze(0).sum(), xm)",
    "t.autograd.grad((xm[1] * xm[0]).sum(), xm)",
    "t.autograd.grad(x0.expand(4).sum(), x0)",
    "t.autograd.grad(xe.expand(2, 0).sum(), xe)",
    "t.autograd.grad(xe.reshape(0, 5).sum(), xe)",
    "t.autograd.grad(xe.sum() * x0, [xe, x0])",
    "t.autograd.grad(x.max(), x)",
    "t.autograd.grad(x.sort()[0].sum(), x)",
    "t.autograd.grad(x.argmax().float(), x)",
    "t.autograd.grad(x0, x0)",
    "t.autograd.grad(x0, x0, create_graph=True)",
    "t.autograd.grad(xe, xe, t.ones(0))",
    "t.autograd.grad([x0, x0], x0)",
    "t.autograd.grad([x0, x0 * 2], [x0, x0])",
]

# More Functions: outputs marked non-differentiable, None and outputs saved, grads not
# materialized, too few gradients returned, number arguments (also as keywords), inputs
# of every shape and dtype, applied under no_grad and inference_mode.
FUNCTION_EDGE_SETUP = """
class Marked(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        out = a * 2
        ctx.mark_non_differentiable(out)
        return out
    @staticmethod
    def backward(ctx, grad):
        return grad * 2
class SavesNone(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(None, a)
        return a * 2
    @staticmethod
    def backward(ctx, grad):
        nothing, a = ctx.saved_tensors
        return grad * 2 if nothing is None else grad
class SavesOutput(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        out = a.exp()
        ctx.save_for_backward(out)
        return out
    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out
class Unmaterialized(t.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.set_materialize_grads(False)
        return a * 2
    @staticmethod
    def backward(ctx, grad):
        return None if grad is None else grad * 2
class WrongCount(t.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b
    @staticmethod
    def backward(ctx, grad):
        return grad
class IntIn(t.autograd.Function):
    @staticmethod
    def forward(ctx, a, n):
        return a * n
    @staticmethod
    def backward(ctx, grad):
        return grad * 3, None
"""
FUNCTION_EDGE_LINES = [
    "Marked.apply(x)",
    "Marked.apply(x).sum().backward()",
    "(lambda o: (o.requires_grad, o.grad_fn))(Marked.apply(x))",
    "(SavesNone.apply(x).sum().backward(), x.grad)",
    "(SavesOutput.apply(x).sum().backward(), x.grad)",
    "(lambda o: (o.mul_(2), o.sum().backward(), x.grad))(SavesOutput.apply(x))",
    "third(lambda a: SavesOutput.apply(a).sum(), x)",
    "(lambda o: (o.sum().backward(), o.grad_fn.saved_tensors))(SavesOutput.apply(x))",
    "(Unmaterialized.apply(x).sum().backward(), x.grad)",
    "(WrongCount.apply(x, z[:1]).sum().backward(), x.grad)",
    "(WrongCount.apply(x, 2.0).sum().backward(), x.grad)",
    "(IntIn.apply(x, 2).sum().backward(), x.grad)",
    "IntIn.apply(x, 2)",
    "IntIn.apply(t.ones(3), 2).requires_grad",
    "IntIn.apply(a=x, n=2)",
    "IntIn.apply(x, n=2)",
    "(lambda o: (o.sum().backward(), x.grad))(inside(t.no_grad(), make=lambda: IntIn.apply(x, 2)) "
    "and IntIn.apply(x, 2))",
    "inside(t.no_grad(), make=lambda: IntIn.apply(x, 2))",
    "inside(t.inference_mode(), make=lambda: IntIn.apply(x, 2))",
    "IntIn.apply(x16, 2)",
    "(IntIn.apply(x16, 2).sum().backward(), x16.grad)",
    "(IntIn.apply(x64, 2).sum().backward(), x64.grad)",
    "(IntIn.apply(xe, 2).sum().backward(), xe.grad)",
    "(IntIn.apply(x0, 2).backward(), x0.grad)",
    "(IntIn.apply(xm.t(), 2).sum().backward(), xm.grad)",
    "(IntIn.apply(xm[:, 1], 2).sum().backward(), xm.grad)",
    "(IntIn.apply(x.expand(2, 3), 2).sum().backward(), x.grad)",
    "gradient(lambda: IntIn.apply(x, 2).sum(), x, create_graph=True)",
    "gradient(lambda: IntIn.apply(x * x, 2).sum(), x, create_graph=True)",
    "IntIn.apply(x, 2).grad_fn.name()",
]

GRIDS = {
    "gradient": (GRADIENT_LINES, ""),
    "flags": (FLAG_LINES, ""),
    "functional": (FUNCTIONAL_LINES, ""),
    "gradcheck": (GRADCHECK_LINES, GRADCHECK_SETUP),
    "custom_function": (CUSTOM_FUNCTION_LINES, FUNCTION_SETUP),
    "modes": (MODE_LINES, FUNCTION_SETUP + MODE_SETUP),
    "functional_edges": (FUNCTIONAL_EDGE_LINES, ""),
    "gradcheck_edges": (GRADCHECK_EDGE_LINES, GRADCHECK_SETUP + FUNCTION_SETUP),
    "inference": (INFERENCE_LINES, FUNCTION_SETUP + MODE_SETUP + INFERENCE_SETUP),
    "graph": (GRAPH_LINES, FUNCTION_SETUP + MODE_SETUP + GRAPH_SETUP),
    "function_edges": (FUNCTION_EDGE_LINES, FUNCTION_SETUP + MODE_SETUP + FUNCTION_EDGE_SETUP),
}

# Lines left out, with the reason beside each.
LEFT_OUT = {
    # PyTorch's sum backward hands an empty input a view of the given gradient, which
    # keeps its requires_grad without create_graph (for x, not empty, it gives False: an
    # inconsistency of its own).
    "gradient(lambda: xe.sum(), xe, lambda o: t.ones_like(o, requires_grad=True))",
    # docs/differences.md, printing and names: second-order nodes get plain names.
    "third(lambda a: (a.t() ** 3).sum(), xm)",
    "third(lambda a: (a[1:] ** 3).sum(), x)",
    *[
        f"t.autograd.functional.jvp({function}, {inputs}, {v}, create_graph=True{strict})"
        for function, inputs, v in [
            ("cube_sum", "d", "t.ones(3, dtype=t.float64)"),
            ("cube_sum", "d0", "t.tensor(1., dtype=t.float64)"),
            ("cube_sum", "de", "t.ones(0, dtype=t.float64)"),
            ("cube_sum", "x", "t.ones(3)"),
            ("pair_sum", "(d, e)", "(t.ones(3, dtype=t.float64), t.ones(2, dtype=t.float64))"),
            ("half_used_sum", "(d, e)", "(t.ones(3, dtype=t.float64), t.ones(2, dtype=t.float64))"),
        ]
        for strict in ["", ", strict=True"]
    ],
    # docs/differences.md, autograd: a .grad made with create_graph is CloneBackward0 or
    # AddBackward0 (PyTorch: CopyBackwards), and ember gives no reference-cycle warning.
    "backward(lambda: (x * x).sum(), [x], create_graph=True)",
    # PyTorch's internals fail: vmap refuses the 0-d gradient that grad makes for a
    # missing grad_outputs (a ValueError), and indexes an empty batch (an IndexError).
    # (ember gives () for the empty batch, where one (0, 3) gradient is due: engine.py's
    # _batched_grad, reported.)
    "t.autograd.grad((x * 2).sum(), x, is_grads_batched=True)",
    "t.autograd.grad(x * 2, x, t.ones(0, 3), is_grads_batched=True)",
    # PyTorch's internals fail on an input of no elements: torch.stack of no rows (a
    # RuntimeError) and vmap's index into an empty batch (an IndexError); ember gives the
    # (0, 0) Jacobian and Hessian that PyTorch's forward-mode strategy gives.
    *[
        f"t.autograd.functional.{name}({function}, de{flags})"
        for name, function in [("jacobian", "square"), ("hessian", "cube_sum")]
        for flags in FLAG_SETS + [", vectorize=True"]
    ],
    "t.autograd.functional.jacobian(square, de, vectorize=True, create_graph=True)",
    # docs/differences.md, autograd: is_inference() does not exist; ember makes no
    # inference tensors, so one used in a graph or changed in place is not refused.
    "(x * made_in_inference()).sum().backward()",
    "made_in_inference().requires_grad_()",
    "(lambda i: (i.mul_(2)))(made_in_inference())",
    "t.autograd.grad((x * made_in_inference()).sum(), x)",
    # ember's Tensor has no _base (tensor.py, outside this family).
    "ViewOut.apply(x)._base is x",
    # A view returned by a Function's forward changed in place: PyTorch refuses it, ember
    # does not (function.py, outside this family; reported).
    "(lambda v: (v.mul_(2)))(ViewOut.apply(x * 1))",
    # Function.apply with tensors given by keyword: PyTorch records them as inputs, ember
    # passes them to forward unrecorded (function.py, outside this family; reported).
    "IntIn.apply(a=x, n=2)",
    # docs/differences.md, autograd (as backward with create_graph above).
    "(lambda o: (o.backward(create_graph=True), o.backward(), x.grad))((x * x).sum())",
    # docs/differences.md, autograd: a view taken under no_grad does not require grad.
    "inside(t.no_grad(), make=lambda: x[1:])",
    "inside(t.no_grad(), make=lambda: x.t())",
    # docs/differences.md, autograd: a Function's forward returning a tuple and
    # ctx.mark_dirty are not supported.
    *[
        line
        for line in CUSTOM_FUNCTION_LINES
        if line.startswith(("Dirty", "Split", "TwoOuts", "[each", "(Dirty", "(Split", "(TwoOuts"))
        or "Dirty.apply" in line
        or "Materialized" in line
    ],
}


def summary(value):
    """What a result is, in terms both libraries share: a tensor's dtype, shape, values
    to three decimals, requires_grad and grad_fn name; containers item by item."""
    if isinstance(value, (tuple, list)):
        return tuple(summary(item) for item in value)
    if isinstance(value, (bool, int, float, str, type(None))):
        return value
    if not hasattr(value, "shape"):
        return type(value).__name__
    node = value.grad_fn.name() if value.grad_fn is not None else None
    values = np.asarray(value.detach().double().tolist(), dtype=float).round(3)
    return (
        "tensor",
        str(value.dtype).split(".")[-1],
        tuple(value.shape),
        values.tolist(),
        value.requires_grad,
        node,
    )


def outcome(library, code, setup):
    """The line's result (or its error's type) and the types of the warnings it gave."""
    names = {"t": library}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # ember's own filter (see docs/differences.md, numbers), which "always" replaced
        warnings.filterwarnings("ignore", ".*encountered in", RuntimeWarning, r"ember\.")
        try:
            exec(SETUP + setup, names)  # noqa: S102 - the grid's own text
            result = summary(eval(code, names))  # noqa: S307
        except Exception as error:  # noqa: BLE001 - the type is compared
            result = builtin_type(type(error))
        finally:
            library.set_grad_enabled(True)
    return result, sorted({warning.category.__name__ for warning in caught})


def same(ember_outcome, torch_outcome):
    """Equal outcomes, NaN equal to NaN and -0. to 0."""
    if isinstance(ember_outcome, tuple) and isinstance(torch_outcome, tuple):
        if len(ember_outcome) != len(torch_outcome):
            return False
        if len(ember_outcome) == 6 and ember_outcome[0] == "tensor":
            head_ember, values_ember = ember_outcome[:3] + ember_outcome[4:], ember_outcome[3]
            head_torch, values_torch = torch_outcome[:3] + torch_outcome[4:], torch_outcome[3]
            return head_ember == head_torch and np.array_equal(
                values_ember, values_torch, equal_nan=True
            )
        return all(map(same, ember_outcome, torch_outcome))
    return ember_outcome == torch_outcome


def differences(name, keep=lambda line: line not in LEFT_OUT):
    lines, setup = GRIDS[name]
    found = []
    for line in filter(keep, lines):
        ember_outcome = outcome(ember, line, setup)
        torch_outcome = outcome(torch, line, setup)
        if not same(ember_outcome, torch_outcome):
            found.append(f"{line}: ember {ember_outcome}, torch {torch_outcome}")
    return found


@pytest.mark.parametrize("name", GRIDS)
def test_autograd_edges_act_as_in_torch(name):
    assert differences(name) == []


if __name__ == "__main__":
    for grid_name in GRIDS:
        for difference in differences(grid_name, keep=lambda line: True):
            print(grid_name, "|", difference)
    print(sum(len(lines) for lines, _ in GRIDS.values()), "lines")
