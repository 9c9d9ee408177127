"""Everyday ops called with every kind of scalar and dim argument, in ember and in torch.

Each template is a line of code run in both libraries for every argument of its grid:
scalars (``alpha=``, ``value=``, bounds, exponents, ``decimals=``...) drawn from ints,
floats and bools, beside tensors of five dtypes; dims drawn from ints, floats, bools,
None, tuples, lists, a 0-d tensor, one out of range and a string. Both must give the same
dtype, shape and values, or an error of the same type. The grid found a bool ``alpha``
taken where PyTorch refuses it, ``argmax`` reading a tuple of dims as its first, and
``diff``, ``round`` and ``flatten`` taking floats, and the losses' ``ignore_index`` and
``delta`` taking any value (nineteenth day). A third grid builds modules, losses,
optimizers, schedulers and loaders with ints, floats, bools, None, a string, a tuple and a
0-d tensor as their hyper-parameters, and a fourth passes flags and gradients to
``backward`` and ``autograd.grad`` (and ``requires_grad=`` where tensors are made), which
took any value where PyTorch takes bools. A fifth gives binary methods second operands
of every kind (lists, tuples, None, strings, tensors of other dtypes and shapes), and a
sixth writes values that may not fit into tensors of every dtype (``masked_fill`` took
70000 into float16, and a 0-d value tensor of any size). ``fill_`` is not among them:
PyTorch's float16 ``fill_(70000)`` gives inf for one element and refuses more. A
seventh gives the reductions a keepdim of every type (``sum(x, 1, keepdim=1)`` kept the
dim, as NumPy does; PyTorch's parser takes only a bool), and an eighth gives a tensor's
own methods and settable attributes (``copy_``, ``type``, ``data``, ``grad``) values of
every kind.

Left out, with the reason beside each: what docs/differences.md lists as accepted by
ember only (``logsumexp(x, None)``, ``flip(x, 0)``), and what ember's signatures cannot
tell apart (``var(x, dim=True)`` from ``var(x, True)``; ``max(x, dim=t.tensor(0))`` from
``max(x, t.tensor(0))``; ``squeeze(x, None)`` from ``squeeze(x)``).
"""

import warnings

import numpy as np
import pytest
import torch

import ember

TENSORS = {
    "bool": "t.tensor([True, False, True])",
    "uint8": "t.tensor([1, 0, 3], dtype=t.uint8)",
    "int64": "t.tensor([1, -2, 3])",
    "float32": "t.tensor([1.5, -2., 3.])",
    "float16": "t.tensor([1.5, -2., 3.], dtype=t.float16)",
}
SCALARS = ["2", "0", "-1", "1.0", "2.5", "True", "False"]
SCALAR_TEMPLATES = [
    "t.add({x}, {x}, alpha={s})",
    "{x}.sub_({x}, alpha={s})",
    "t.addcmul({x}, {x}, {x}, value={s})",
    "t.addcdiv({x}, {x}, {x}, value={s})",
    "{x}.addcmul_({x}, {x}, value={s})",
    "t.lerp({x}, {x}, {s})",
    "t.lerp({x}, {x}, t.tensor({s}))",
    "t.clamp({x}, min={s})",
    "t.clamp({x}, max={s})",
    "{x}.clamp_(min={s})",
    "t.clamp({x}, t.tensor({s}), None)",
    "{x}.masked_fill({x} > 0, {s})",
    "{x}.masked_fill_({x} > 0, {s})",
    "t.full((2,), {s}, dtype={x}.dtype)",
    "{x}.fill_({s})",
    "t.full_like({x}, {s})",
    "t.where({x} > 0, {x}, {s})",
    "t.where({x} > 0, {s}, {x})",
    "t.pow({x}, {s})",
    "t.pow({s}, {x})",
    "t.div({x}, {s})",
    "t.remainder({x}, {s})",
    "t.fmod({x}, {s})",
    "t.floor_divide({x}, {s})",
    "t.maximum({x}, t.tensor({s}))",
    "t.eq({x}, {s})",
    "t.isclose({x}, {x}, rtol={s})",
    "t.nan_to_num({x}, nan={s})",
    "t.heaviside({x}, t.tensor({s}))",
    "t.xlogy({x}, {s})",
    "t.atan2({x}, t.tensor({s}))",
    "t.bitwise_and({x}, {s})",
    "t.bitwise_left_shift({x}, {s})",
    "t.logical_and({x}, {s})",
    "t.round({x}, decimals={s})",
    "t.diff({x}, n={s})",
    "t.roll({x}, {s})",
    "t.tril(t.ones(3, 3).to({x}.dtype), {s})",
    "t.topk({x}, {s})",
    "t.kthvalue({x}, {s})",
    "t.std({x}.float(), correction={s})",
    "t.nn.functional.threshold({x}, {s}, {s})",
    "t.nn.functional.hardtanh({x}, {s}, 3)",
    "t.nn.functional.leaky_relu({x}, {s})",
    "t.nn.functional.elu({x}, {s})",
    "t.nn.functional.softplus({x}.float(), beta={s})",
    "t.nn.functional.dropout({x}.float(), p={s}, training=False)",
    "t.nn.functional.normalize({x}.float(), p={s}, dim=0)",
    "t.linalg.vector_norm({x}.float(), ord={s})",
    "t.renorm({x}.float().view(1, 3), {s}, 0, 5)",
    "t.histc({x}.float(), bins=4, min={s}, max=3)",
    "t.addmm(t.ones(2, 2).to({x}.dtype), t.ones(2, 2).to({x}.dtype), "
    "t.ones(2, 2).to({x}.dtype), beta={s})",
    "t.linspace(0, {s}, 3)",
    "{x} ** {s}",
    "{s} ** {x}",
    "{x} // {s}",
    "{s} - {x}",
    "{x} << {s}",
]

MATRIX = "t.tensor([[1.5, -2., 3.], [0.5, 4., -1.]])"
DIMS = ["0", "-1", "1.0", "True", "None", "(0,)", "[0, 1]", "t.tensor(0)", "5", "(0, 0)", "'a'"]
# The reductions and running ops, each called four ways.
DIM_FUNCTIONS = (
    "sum mean prod amax amin argmax argmin max min std var logsumexp all any count_nonzero "
    "nansum nanmean median nanmedian mode cumsum cumprod cummax cummin logcumsumexp squeeze "
    "unsqueeze norm sort argsort unbind var_mean std_mean aminmax msort flatten"
).split()
DIM_TEMPLATES = [
    template
    for name in DIM_FUNCTIONS
    for template in (
        f"t.{name}({{x}}, {{d}})",
        f"t.{name}({{x}}, dim={{d}})",
        f"{{x}}.{name}({{d}})",
        f"t.{name}({{x}}, {{d}}, keepdim=True)",
    )
] + [
    "t.narrow({x}, {d}, 0, 1)",
    "t.select({x}, {d}, 0)",
    "t.roll({x}, 1, {d})",
    "t.chunk({x}, 2, {d})",
    "t.split({x}, 1, {d})",
    "t.topk({x}, 1, {d})",
    "t.kthvalue({x}, 1, {d})",
    "t.quantile({x}, 0.5, {d})",
    "t.tensor_split({x}, 2, {d})",
    "t.renorm({x}, 2, {d}, 1.0)",
    "t.gather({x}, {d}, t.tensor([[0]]))",
    "t.take_along_dim({x}, t.tensor([[0]]), {d})",
    "t.repeat_interleave({x}, 2, {d})",
    "t.cross(t.ones(3, 3), t.ones(3, 3), {d})",
    "t.stack([{x}, {x}], {d})",
    "t.cat([{x}, {x}], {d})",
    "t.diagonal({x}, 0, {d}, 0)",
    "t.tril({x}, {d})",
    "t.movedim({x}, {d}, 0)",
    "t.rot90({x}, 1, {d})",
    "{x}.unfold({d}, 1, 1)",
    "t.unique({x}, dim={d})",
    "t.unique_consecutive({x}, dim={d})",
    "t.diff({x}, dim={d})",
    "t.softmax({x}, {d})",
    "t.nn.functional.softmax({x}, {d})",
    "t.log_softmax({x}, {d})",
]
PARAMETERS = "[t.nn.Parameter(t.ones(2))]"
HYPER_PARAMETERS = ["2", "0", "-1", "1.5", "True", "None", "'a'", "(2, 3)", "t.tensor(2)", "0.0"]
# Modules, losses, optimizers, schedulers and loaders, built (and called) with each value.
CONSTRUCTOR_TEMPLATES = [
    "t.nn.Linear(3, {v})",  # (True, 3): PyTorch reads a bool as 1 among sizes after the first
    "t.nn.Linear(2, 3, bias={v})",
    "t.nn.Dropout({v})",
    "t.nn.Softmax({v})(t.ones(2, 2))",
    "t.nn.Flatten({v})(t.ones(2, 2, 2))",
    "t.nn.LeakyReLU({v})",
    "t.nn.MSELoss(reduction={v})(t.ones(2), t.zeros(2))",
    "t.nn.CrossEntropyLoss(ignore_index={v})(t.ones(2, 3), t.tensor([0, 2]))",
    "t.nn.CrossEntropyLoss(label_smoothing={v})(t.ones(2, 3), t.tensor([0, 2]))",
    "t.nn.NLLLoss(ignore_index={v})(t.ones(2, 3), t.tensor([0, 2]))",
    "t.nn.HuberLoss(delta={v})",
    "t.nn.functional.huber_loss(t.ones(2), t.zeros(2), delta={v})",
    "t.nn.functional.smooth_l1_loss(t.ones(2), t.zeros(2), beta={v})",
    "t.nn.Sequential({v})",
    "t.nn.Parameter(t.ones(2), requires_grad={v})",
    "t.optim.SGD({p}, lr={v})",
    "t.optim.SGD({p}, lr=0.1, momentum={v})",
    "t.optim.SGD({p}, lr=0.1, weight_decay={v})",
    "t.optim.SGD({p}, lr=0.1, nesterov={v})",
    "t.optim.Adam({p}, betas={v})",
    "t.optim.Adam({p}, eps={v})",
    "t.optim.lr_scheduler.StepLR(t.optim.SGD({p}, lr=0.1), step_size={v})",
    "t.optim.lr_scheduler.ExponentialLR(t.optim.SGD({p}, lr=0.1), gamma={v})",
    "list(t.utils.data.DataLoader(t.utils.data.TensorDataset(t.ones(4)), batch_size={v}))",
    "t.utils.data.DataLoader(t.utils.data.TensorDataset(t.ones(4)), shuffle={v})",
    "t.utils.data.random_split(t.utils.data.TensorDataset(t.ones(4)), {v})",
    "t.nn.init.normal_(t.ones(2), std={v}).shape",  # ember draws its own numbers
    "t.nn.init.xavier_uniform_(t.ones(2, 2), gain={v}).shape",
]
GRAPH = "x = t.tensor([1., 2., 3.], requires_grad=True); y = x * x; s = y.sum()"
FLAGS_AND_GRADIENTS = [
    "None",
    "1.0",
    "2",
    "True",
    "t.tensor(1.)",
    "t.ones(3)",
    "t.ones(3, dtype=t.float64)",
    "t.ones(3, dtype=t.int64)",
    "t.ones(2)",
    "[t.ones(3)]",
    "'a'",
]
# backward and grad, and requires_grad where tensors are made.
AUTOGRAD_TEMPLATES = [
    "y.backward({v}) or x.grad",
    "s.backward(retain_graph={v}) or x.grad",
    "s.backward(create_graph={v}) or x.grad",
    "t.autograd.grad(y, x, {v})",
    "t.autograd.grad(s, x, retain_graph={v}, create_graph={v})",
    "t.autograd.grad({v}, x)",
    "t.autograd.grad(s, [x, t.ones(1, requires_grad=True)], allow_unused={v})",
    "t.autograd.backward([s], grad_tensors={v}) or x.grad",
    "x.requires_grad_({v})",
    "t.ones(2, requires_grad={v})",
    "t.zeros_like(x, requires_grad={v})",
]
VECTOR = "t.tensor([1.5, -2., 3.])"
# Complex numbers are left out: ember has no complex dtypes (docs/differences.md).
OTHER_OPERANDS = [
    "[1., 2., 3.]",
    "(2,)",
    "None",
    "'a'",
    "t.tensor([1, 2, 3])",
    "t.tensor([True, False, True])",
    "t.tensor(2.5, dtype=t.float64)",
    "t.ones(2)",
    "t.ones(3, 1)",
    "[[1.], [2.]]",
    "{1: 2}",
]
# Binary methods (and their function forms) given a second operand of every kind.
BINARY_METHODS = (
    "add sub mul div true_divide floor_divide remainder fmod pow float_power atan2 hypot "
    "maximum minimum fmax fmin eq ne lt le gt ge logical_and logical_or logical_xor "
    "bitwise_and copysign nextafter xlogy ldexp heaviside dist dot inner outer kron "
    "matmul isclose allclose equal logaddexp clamp clamp_min clamp_max gcd lcm"
).split()
OTHER_TEMPLATES = [
    template
    for name in BINARY_METHODS
    for template in (f"{{x}}.{name}({{o}})", f"t.{name}({{x}}, {{o}})")
] + [
    # with a dim: PyTorch warns of a cross without one once a process (test_products checks it)
    "{x}.cross({o}, dim=0)",
    "{x}.where({x} > 0, {o})",
    "{x}.clone().masked_fill({o}, 0.)",
    "{x}.clone().masked_fill_({o}, 0.)",
    "{x}.lerp({o}, 0.5)",
    "{x}.addcmul({o}, {x})",
    "{x}.index_fill(0, {o}, 1.)",
    "{x}.clone().add_({o})",
    "{x}.clone().mul_({o})",
    "{x}.clone().copy_({o})",
    "{x}.expand_as({o})",
    "{x}.type_as({o})",
]
FILL_VALUES = [
    "70000",
    "70000.",
    "-2",
    "200",
    "float('nan')",
    "t.tensor(-2.)",
    "t.tensor(300)",
    "t.tensor(2.5)",
    "t.tensor(1e6)",
    "t.tensor(float('inf'))",
    "t.tensor(True)",
    "t.tensor(2.5, requires_grad=True)",
]
# Values written into tensors of every dtype: each must fit the dtype, as PyTorch checks.
FILL_TEMPLATES = [
    "{x}.masked_fill({x} != 0, {v})",
    "{x}.clone().masked_fill_({x} != 0, {v})",
    "{x}.index_fill(0, t.tensor([1]), {v})",
]
# keepdim as PyTorch's parser takes it: a bool (None is left out: ember's signatures take
# it as "not given" where PyTorch's refuse it).
KEEPDIMS = ["True", "False", "1", "0", "'a'", "1.0", "t.tensor(True)"]
KEEPDIM_TEMPLATES = [
    template
    for name in (
        "sum mean prod amax amin argmax argmin max min logsumexp all any nansum nanmean "
        "median nanmedian mode norm var std aminmax"
    ).split()
    for template in (
        f"t.{name}({{x}}, dim=1, keepdim={{v}})",
        f"{{x}}.{name}(dim=0, keepdim={{v}})",
    )
]
LEAF = "x = t.tensor([1., 2., 3.], requires_grad=True)"
ANY_VALUES = [
    "None",
    "True",
    "1",
    "0.5",
    "'a'",
    "t.ones(3)",
    "t.ones(2)",
    "t.ones(3, dtype=t.float64)",
    "t.ones(3, dtype=t.int64)",
    "[1., 2., 3.]",
    "float",
    "t.tensor(True)",
]
# A tensor's own methods and settable attributes, given values of every kind.
TENSOR_TEMPLATES = [
    "x.detach().clone().copy_({v})",
    "x.detach().clone().fill_({v})",
    "x.flatten({v})",
    "x.type({v})",
    "setattr(x, 'data', {v}) or x",
    "setattr(x, 'grad', {v}) or x.grad",
    "x.detach().requires_grad_({v}).requires_grad",
    "x.expand_as({v})",
    "x.view_as({v})",
    "t.diag(x, {v})",
    "t.zeros(2, dtype={v})",
    "x.to(dtype={v})",
]
# Numbers given to fill_ and copy_ (in and out of grad mode: fill_'s fast path under
# no_grad wrote any number), into tensors of one and of three elements: PyTorch fills a
# float16 tensor of one element with any number and checks it for more, and copy_ casts
# a number as a 0-d tensor of it (300 into uint8 is 44) where fill_ checks it fits.
WRITTEN_NUMBERS = [
    *["300", "-1", "2.7", "-2.7", "70000", "65504", "65520", "1e10", "1e300", "True"],
    *["float('nan')", "float('inf')", "2**63", "2**63 - 1", "-2**63 - 1", "2**64", "2**64 - 1"],
    *["np.int64(2)", "np.float32(2.5)", "np.bool_(True)", "None", "[1]", "'a'"],
]
WRITE_TEMPLATES = [
    "t.zeros({n}, dtype=t.{dtype}).fill_({v})",
    "t.no_grad()(lambda: t.zeros({n}, dtype=t.{dtype}).fill_({v}))()",
    "t.zeros({n}, dtype=t.{dtype}).copy_({v})",
]
WRITE_DTYPES = ["uint8", "int8", "int32", "int64", "float16", "float32", "float64", "bool"]

# The forms of ``to``: (dtype, flags), (device, dtype, flags), (tensor, flags), keywords.
# Left out: PyTorch's ``x.to(True)`` gives bool and ``x.to(1.5)`` float64 (its parser
# reads a bool or a float where the dtype goes as that Python type), which ember refuses;
# memory formats, which ember has not, and NumPy types and names as dtypes, which ember
# takes (docs/differences.md).
TO_FORMS = [
    *["t.float64", "t.float64, None", "t.float64, True", "t.float64, False, True"],
    *["t.float64, False, True, True", "t.float64, t.int64", "t.float64, 'cpu'", "float"],
    *["'cpu'", "'cpu', t.float64", "'cpu', None", "'cpu', t.float64, False, True", "None"],
    *["None, t.int8, True, True", "'cpu', float", "t.device('cpu'), t.int8", "0", "'a'"],
    *["[1]", "(t.float64,)", "t.float32, 1", "'cpu', 1", "'cpu', 'a'", "dtype='a'"],
    *["t.tensor([1])", "t.tensor([1]), True", "t.tensor([1]), False, True", "t.tensor(1.)"],
    *["t.tensor([1]), t.float64", "t.tensor([1]), 1", "t.tensor([1]), dtype=t.int8"],
    *["dtype=t.float64", "device='cpu', dtype=t.int64", "t.float64, dtype=t.int64"],
    *["t.float64, device='cpu'", "'cpu', device='cpu'", "'cpu', dtype=t.int64"],
    *["copy=True", "t.float32, copy=True", "non_blocking=1", "copy=1", "copy=None"],
    *["t.float32, False, False", "t.float32, False, 'x'", "other=t.ones(1)", "foo=1", ""],
]
TO_TEMPLATES = [
    "x.to({v})",
    "x.to({v}) is x",
    "setattr(lin, 'weight', t.nn.Parameter(x[None])) or lin.to({v}).weight",
]
# What ember takes and PyTorch refuses, on purpose (docs/differences.md), and the calls
# ember's signatures cannot tell from one PyTorch takes (see the module's docstring).
ACCEPTED_BY_EMBER = {
    ("logsumexp", "None"),
    ("flip", "0"),
    ("flip", "-1"),
    ("flip", "5"),
    ("flip", "None"),
    ("flip", "t.tensor(0)"),
    ("squeeze", "None"),
    ("var", "True"),
    ("std", "True"),
    ("var_mean", "True"),
    ("std_mean", "True"),
    ("max", "t.tensor(0)"),
    ("min", "t.tensor(0)"),
    # PyTorch warns of a cross without dim once a process, and a test of products checks it
    ("cross", "None"),
}


def outcome(library, code, setup=""):
    """What the code gives in ``library``, after ``setup``: its result summarised, or its
    error's type."""
    names = {"t": library}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(setup, names)  # noqa: S102 - the grid's own text
            return summary(eval(code, names))  # noqa: S307
    except Exception as error:  # noqa: BLE001 - the type is compared
        return builtin_type(type(error))


def builtin_type(error_type):
    """The built-in exception a library's error is, NotImplementedError read as the
    RuntimeError it subclasses (PyTorch raises it for a dtype without a kernel)."""
    for base in error_type.__mro__:
        if base.__module__ == "builtins":
            return RuntimeError if base is NotImplementedError else base
    return error_type


def summary(value):
    if isinstance(value, (tuple, list)):
        return tuple(summary(item) for item in value)
    if isinstance(value, (bool, int, float, str, type(None))):
        return value
    if not hasattr(value, "shape"):  # a module, an optimizer, a loader...: its class
        return type(value).__name__
    values = np.asarray(value.detach().double().tolist(), dtype=float)
    return str(value.dtype).split(".")[-1], tuple(value.shape), values.round(3).tolist()


def differences(template, arguments, setup="", **fixed):
    found = []
    for argument in arguments:
        code = template.format(**fixed, **argument)
        ember_outcome = outcome(ember, code, setup)
        torch_outcome = outcome(torch, code, setup)
        if not same(ember_outcome, torch_outcome):
            found.append(f"{code}: ember {ember_outcome}, torch {torch_outcome}")
    return found


def same(ember_outcome, torch_outcome):
    """Equal outcomes; values to three decimals, NaN equal to NaN, -0. to 0."""
    if isinstance(ember_outcome, tuple) and isinstance(torch_outcome, tuple):
        if len(ember_outcome) != len(torch_outcome):
            return False
        if len(ember_outcome) == 3 and isinstance(ember_outcome[0], str):  # a tensor's summary
            (ember_dtype, ember_shape, ember_values) = ember_outcome
            (torch_dtype, torch_shape, torch_values) = torch_outcome
            return (ember_dtype, ember_shape) == (torch_dtype, torch_shape) and np.array_equal(
                ember_values, torch_values, equal_nan=True
            )
        return all(map(same, ember_outcome, torch_outcome))
    return ember_outcome == torch_outcome


@pytest.mark.parametrize("template", SCALAR_TEMPLATES)
def test_scalar_arguments_act_as_in_torch(template):
    grid = [{"x": x, "s": s} for x in TENSORS.values() for s in SCALARS]
    assert differences(template, grid) == []


@pytest.mark.parametrize("template", DIM_TEMPLATES)
def test_dim_arguments_act_as_in_torch(template):
    name = template.split("(")[0].split(".")[-1]
    dims = [{"d": d} for d in DIMS if (name, d) not in ACCEPTED_BY_EMBER]
    assert differences(template, dims, x=MATRIX) == []


@pytest.mark.parametrize("template", CONSTRUCTOR_TEMPLATES)
def test_hyper_parameters_act_as_in_torch(template):
    values = [{"v": value} for value in HYPER_PARAMETERS]
    assert differences(template, values, p=PARAMETERS) == []


@pytest.mark.parametrize("template", AUTOGRAD_TEMPLATES)
def test_autograd_arguments_act_as_in_torch(template):
    values = [{"v": value} for value in FLAGS_AND_GRADIENTS]
    if template == "t.autograd.grad({v}, x)":
        values.remove({"v": "'a'"})  # PyTorch: an AssertionError of its own code
    assert differences(template, values, setup=GRAPH) == []


@pytest.mark.parametrize("template", OTHER_TEMPLATES)
def test_second_operands_of_every_kind_act_as_in_torch(template):
    operands = [{"o": operand} for operand in OTHER_OPERANDS]
    assert differences(template, operands, x=VECTOR) == []


@pytest.mark.parametrize("template", FILL_TEMPLATES)
@pytest.mark.parametrize("dtype", TENSORS)
def test_written_values_must_fit_the_dtype_as_in_torch(template, dtype):
    values = [{"v": value} for value in FILL_VALUES]
    assert differences(template, values, x=TENSORS[dtype]) == []


@pytest.mark.parametrize("template", KEEPDIM_TEMPLATES)
def test_keepdim_must_be_a_bool_as_in_torch(template):
    values = [{"v": value} for value in KEEPDIMS]
    assert differences(template, values, x=MATRIX) == []


@pytest.mark.parametrize("template", TENSOR_TEMPLATES)
def test_tensor_methods_and_attributes_take_what_torch_takes(template):
    values = [{"v": value} for value in ANY_VALUES]
    if template == "x.type({v})":
        values.remove({"v": "None"})  # the type's name: 'ember.FloatTensor' (differences.md)
    assert differences(template, values, setup=LEAF) == []


@pytest.mark.parametrize("template", TO_TEMPLATES)
def test_conversions_take_the_forms_torch_takes(template):
    """``x.to(float64, None)`` and ``x.to(float64, 'cpu')`` converted; ``x.to(np.float64)``
    took a NumPy dtype; ``lin.to(float64, copy=False)`` took a copy (twentieth day)."""
    values = [{"v": value} for value in TO_FORMS]
    setup = "import numpy as np; x = t.tensor([1.5, -2.]); lin = t.nn.Linear(2, 1)"
    assert differences(template, values, setup=setup) == []


@pytest.mark.parametrize("template", WRITE_TEMPLATES)
@pytest.mark.parametrize("dtype", WRITE_DTYPES)
def test_fill_and_copy_take_numbers_as_torch_does(template, dtype):
    """``copy_(300)`` into uint8 was refused (PyTorch casts it: 44) and ``copy_(np.int64(2))``
    a TypeError; ``fill_(2**63)`` a ValueError; float16 ``fill_(70000)`` of three elements
    gave inf, and of one element a RuntimeError, the other way round from PyTorch; under
    no_grad ``fill_(1e300)`` of float32 gave inf (twentieth day)."""
    values = [{"v": value, "n": n} for value in WRITTEN_NUMBERS for n in (1, 3)]
    setup = "import numpy as np"
    assert differences(template, values, setup=setup, dtype=dtype) == []
