"""Random calls of the matrix products and their argument forms, run in ember and in torch
(the eleventh pass).

A scenario draws one call: the add-products ``addmm``, ``addmv``, ``addr``, ``baddbmm``
and ``addbmm`` (function and method forms, ``beta=``/``alpha=`` absent or ints, floats,
bools, 0 beside an input full of NaN) and their in-place forms (``addmm_``... on a plain
tensor, a leaf that requires grad, a result of one, or a view of another shape), ``mm``,
``mv``, ``bmm``, ``matmul`` (1-d to 4-d, broadcast batch dims, also as ``@``), ``dot``,
``vdot``, ``inner``, ``outer``/``ger``, ``kron``, ``tensordot`` (``dims`` an int or two
lists), ``chain_matmul`` and ``linalg.multi_dot``. Operands are bool, uint8, int8, int32,
int64, float16, float32 or float64 (now and then one of another dtype), of sizes 0 to 3
(so empty rows and empty inner dims), now and then of a wrong shape (another number of
dims, another size: any shape of 0 to 4 dims), plain, transposed, strided or expanded, and
a float one may require grad (a leaf, or a view of one). Values are small whole numbers,
so most results are exact.

Both libraries must agree on the exception's builtin type, or on the result's values (NaN
where NaN), dtype, shape, ``requires_grad`` and ``grad_fn`` name, and for an in-place form
on the target after it; then, where the result is a float that requires grad, on the
gradients of every leaf for a random upstream gradient.

Left out as docs/differences.md lists them: ``kron``'s last node (``ViewBackward0``,
torch ``UnsafeViewBackward0``) and a ``matmul`` of more than 2 dims (or 1-d @ 2-d, one
``MatmulBackward0`` where torch's last node is a reshape): their names are not compared;
``alpha=0`` beside a NaN of the factors (the factors hold whole numbers only); ``addr``
of int and float operands (torch 2.13 fails); ``addmv`` of an empty matrix (torch returns
the input unbroadcast); ``kron`` of non-contiguous tensors (torch fails) and ``addbmm_``
resizing its target. ``chain_matmul``'s deprecation warning is torch's once a process:
warnings are compared for the other calls only.

Left out as this pass found them in files it does not own (each marked where it is
drawn): in-place forms whose target or factors torch checks before it computes (a bool
target of another shape, factors of another shape beside one of another dtype,
``addbmm_`` of no matrices with factors of other dtypes, ``baddbmm_`` of bool batches
beside another batch2 dtype), as ember's in-place form is the out-of-place op written
back (in_place_methods.py); a factor that requires grad beside one of another dtype in an
in-place form (torch's backward refuses it). Left as they are: torch's out-of-place
``baddbmm`` of an empty product with batch2 of another dtype (it returns batch2's dtype
where its ``baddbmm_`` refuses; ember refuses both), and ``matmul`` of operands of other
dtypes that are empty or hold a bool (whether torch folds the batch into one matrix
product, and so compares their dtypes or refuses the bool first, depends on strides and
requires_grad: ember does not follow it, docs/differences.md): one dtype there.

What was found and fixed is pinned at the end of the file.

``EMBER_RANDOM_SCENARIOS=3000`` runs more scenarios than the suite's default, and
``EMBER_RANDOM_SEED=7`` other ones.
"""

import os
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from oracle import builtin_base, ember_s_own_filter, random_settings
from test_random_programs_seventh import one_of, usually

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "300"))
SEED = os.environ.get("EMBER_RANDOM_SEED")  # another drawing than the suite's, to hunt
FLOATS = ("float16", "float32", "float64")
DTYPES = (*FLOATS, *FLOATS, "int64", "int32", "int8", "uint8", "bool")
COEFFICIENTS = ("0", "1", "2", "-1", "0.5", "-2.5", "True", "False", "1.0")
LAYOUTS = ("plain", "plain", "plain", "transposed", "strided", "expanded")
TOLERANCES = {"float16": 1e-2, "float32": 1e-5, "float64": 1e-10}


# ---------------------------------------------------------------- operands


class Operands:
    """Builds the operands of a scenario in one library and keeps the leaves that
    require grad, for their gradients."""

    def __init__(self, lib):
        self.lib, self.leaves = lib, []

    def __call__(self, shape, dtype, layout="plain", grad=False, seed=0, fill=None):
        lib, shape = self.lib, tuple(shape)
        values = np.random.default_rng(seed).integers(-3, 4, shape)
        if fill == "nan":
            values = np.full(shape, np.nan)
        if dtype == "bool":
            values = values > 0
        dtype = getattr(lib, dtype)
        if layout == "transposed" and len(shape) >= 2:
            base = lib.tensor(np.ascontiguousarray(values.swapaxes(-1, -2)), dtype=dtype)
            return self._view(base, grad, lambda b: b.transpose(-1, -2))
        if layout == "strided" and shape:
            base = lib.tensor(np.repeat(values, 2, axis=-1), dtype=dtype)
            return self._view(base, grad, lambda b: b[..., ::2])
        if layout == "expanded" and shape:
            base = lib.tensor(values[..., :1], dtype=dtype)
            return self._view(base, grad, lambda b: b.expand(shape))
        return self._view(lib.tensor(values, dtype=dtype), grad, lambda b: b)

    def _view(self, base, grad, view):
        if grad and base.dtype.is_floating_point:
            base.requires_grad_(True)
            self.leaves.append(base)
        return view(base)


def operand_text(draw, shape, dtype, grad_ok=True, fill=None):
    layout = one_of(draw, LAYOUTS)
    grad = grad_ok and dtype in FLOATS and not usually(draw, 2)
    seed = draw(st.integers(0, 9))
    extra = f", fill={fill!r}" if fill else ""
    return f"O({tuple(shape)!r}, {dtype!r}, {layout!r}, {grad}, {seed}{extra})"


def any_shape(draw):
    return tuple(draw(st.lists(st.integers(0, 3), max_size=4)))


def maybe_wrong(draw, shapes):
    """The shapes as they fit, or (one time in six) one of them replaced by any shape."""
    shapes = list(shapes)
    if not usually(draw, 5):
        shapes[draw(st.integers(0, len(shapes) - 1))] = any_shape(draw)
    return shapes


def operand_dtypes(draw, count):
    """One dtype for all, or (one time in six) one operand of another."""
    dtype = one_of(draw, DTYPES)
    chosen = [dtype] * count
    if not usually(draw, 5):
        chosen[draw(st.integers(0, count - 1))] = one_of(draw, DTYPES)
    return chosen


def size(draw):
    return draw(st.sampled_from((0, 1, 2, 3, 2, 3)))


# ---------------------------------------------------------------- the add-products


def add_product_shapes(draw, name, wrong=True):
    """The shapes of the input and the two factors (now and then one wrong), and the
    result's shape."""
    b, n, k, m = size(draw), size(draw), size(draw), size(draw)
    result = {
        "addmm": ((n, k), (k, m), (n, m)),
        "addmv": ((n, k), (k,), (n,)),
        "addr": ((n,), (m,), (n, m)),
        "baddbmm": ((b, n, k), (b, k, m), (b, n, m)),
        "addbmm": ((b, n, k), (b, k, m), (n, m)),
    }[name]
    first, second, shape = result
    input_shape = one_of(draw, ("full", "full", "row", "column", "0-d", "ones"))
    input_shape = {
        "full": shape,
        "row": shape[-1:],
        "column": shape[:-1] + (1,) * bool(shape),
        "0-d": (),
        "ones": (1,) * len(shape),
    }[input_shape]
    shapes = (input_shape, first, second)
    return (maybe_wrong(draw, shapes) if wrong else list(shapes)), shape


def coefficients(draw):
    text = ""
    for name in ("beta", "alpha"):
        if usually(draw, 1):
            text += f", {name}={one_of(draw, COEFFICIENTS)}"
    return text


def draw_add_product(draw):
    name = one_of(draw, ("addmm", "addmv", "addr", "baddbmm", "addbmm"))
    (input_shape, first, second), _ = add_product_shapes(draw, name)
    input_dtype, first_dtype, second_dtype = operand_dtypes(draw, 3)
    if name == "baddbmm" and second_dtype != first_dtype and 0 in first + second:
        # torch's baddbmm of an empty product returns batch2's dtype, where its baddbmm_
        # refuses it; ember's in-place form is the out-of-place one written back
        # (in_place_methods.py), so ember refuses both: left out (see the report)
        second_dtype = first_dtype
    scales = coefficients(draw)
    # beta=0: the input is not read, so its NaN stays out of the result
    fill = "nan" if "beta=0," in scales + "," and input_dtype in FLOATS else None
    if name == "addmv" and len(first) == 2 and 0 in first:
        input_shape = (first[0],)  # an empty mat: torch returns the input unbroadcast
    operands = [
        operand_text(draw, input_shape, input_dtype, fill=fill),
        operand_text(draw, first, first_dtype),
        operand_text(draw, second, second_dtype),
    ]
    if name == "addr" and len({input_dtype, first_dtype, second_dtype} & set(FLOATS)) not in (
        0,
        3,
    ):
        return None  # addr of int and float operands: torch 2.13 fails (differences.md)
    if usually(draw, 1):
        return f"t.{name}({', '.join(operands)}{scales})"
    return f"{operands[0]}.{name}({', '.join(operands[1:])}{scales})"


def draw_in_place(draw):
    """``x.addmm_(...)`` on a target of the result's shape (now and then of another)."""
    name = one_of(draw, ("addmm", "addmv", "addr", "baddbmm", "addbmm"))
    target_dtype, first_dtype, second_dtype = operand_dtypes(draw, 3)
    # factors of another shape beside one of another dtype: ember's in-place form
    # (in_place_methods.py) refuses a wider dtype before torch's shape checks: left out
    one_dtype = first_dtype == second_dtype == target_dtype
    (_, first, second), shape = add_product_shapes(draw, name, wrong=one_dtype)
    if name == "addr" and target_dtype in FLOATS and first_dtype not in FLOATS:
        return None  # addr of int and float operands: torch 2.13 fails (differences.md)
    if name == "baddbmm" and target_dtype == first_dtype == "bool":
        # torch's out-of-place baddbmm refuses bool batches (NotImplementedError) before
        # batch2's dtype, its baddbmm_ the dtype first (RuntimeError); ember's in-place form
        # is the out-of-place one (in_place_methods.py): left out
        second_dtype = "bool"
    if name == "addbmm" and first[:1] == (0,):
        # torch's addbmm_ of no matrices takes factors of any dtype; ember's in-place form
        # (in_place_methods.py) refuses a factor of a wider kind first: left out
        first_dtype = second_dtype = target_dtype
    if name == "addmv" and 0 in first:
        first = tuple(size or 1 for size in first)  # torch's empty-matrix special case
    if not usually(draw, 5) and name != "addbmm" and target_dtype != "bool":
        # (addbmm_ resizes it: differences.md.) A bool target of another shape: torch refuses
        # the shape (RuntimeError) before bool; ember's in-place form (in_place_methods.py)
        # computes out of place first, so refuses bool (NotImplementedError): left out.
        shape = any_shape(draw)
    kind = one_of(draw, ("plain", "plain", "leaf", "result"))
    target = {
        "plain": f"O({shape!r}, {target_dtype!r}, 'plain', False, 3)",
        "leaf": f"O({shape!r}, {target_dtype!r}, 'plain', True, 3)",
        "result": f"(O({shape!r}, {target_dtype!r}, 'plain', True, 3) * 1)",
    }[kind]
    # a factor that requires grad beside one of another dtype than x: torch's backward of
    # the in-place forms refuses it ("addmv input tensors must have the same dtype")
    grad_ok = first_dtype == second_dtype == target_dtype
    factors = [
        operand_text(draw, first, first_dtype, grad_ok),
        operand_text(draw, second, second_dtype, grad_ok),
    ]
    return f"x = {target}; x.{name}_({', '.join(factors)}{coefficients(draw)})"


# ---------------------------------------------------------------- the plain products


def batch_pair(draw):
    """Two batch shapes that broadcast (or now and then not)."""
    length = draw(st.integers(0, 2))
    first, second = [], []
    for _ in range(length):
        common = size(draw)
        first.append(one_of(draw, (common, common, 1)))
        second.append(one_of(draw, (common, common, 1)))
    if usually(draw, 1):
        first = first[draw(st.integers(0, len(first))) :]
    else:
        second = second[draw(st.integers(0, len(second))) :]
    return tuple(first), tuple(second)


def draw_matmul(draw):
    n, k, m = size(draw), size(draw), size(draw)
    first_batch, second_batch = batch_pair(draw)
    first = (k,) if not usually(draw, 3) else first_batch + (n, k)
    second = (k,) if not usually(draw, 3) else second_batch + (k, m)
    first, second = maybe_wrong(draw, (first, second))
    dtypes = operand_dtypes(draw, 2)
    operands = [operand_text(draw, shape, dtype) for shape, dtype in zip((first, second), dtypes)]
    if dtypes[0] != dtypes[1] and (0 in first + second or "bool" in dtypes):
        # Whether torch compares the dtypes of an empty batched product, or refuses a bool
        # operand first, depends on whether it folds the batch into one matrix product
        # (strides, requires_grad): ember does not follow it (docs/differences.md)
        operands = [operand_text(draw, shape, dtypes[0]) for shape in (first, second)]
    form = one_of(draw, ("t.matmul({}, {})", "{}.matmul({})", "{} @ {}"))
    return form.format(*operands)


def plain_layout(text):
    for layout in ("'transposed'", "'strided'", "'expanded'"):
        text = text.replace(layout, "'plain'")
    return text


def draw_named_product(draw):
    name = one_of(draw, ("mm", "mv", "bmm", "dot", "vdot", "inner", "outer", "ger", "kron"))
    b, n, k, m = size(draw), size(draw), size(draw), size(draw)
    shapes = {
        "mm": ((n, k), (k, m)),
        "mv": ((n, k), (k,)),
        "bmm": ((b, n, k), (b, k, m)),
        "dot": ((k,), (k,)),
        "vdot": ((k,), (k,)),
        "inner": (tuple(draw(st.lists(st.integers(0, 3), max_size=2))) + (k,), (n, k)),
        "outer": ((n,), (m,)),
        "ger": ((n,), (m,)),
        "kron": (any_shape(draw)[:3], any_shape(draw)[:3]),
    }[name]
    shapes = maybe_wrong(draw, shapes)
    if name == "inner" and not usually(draw, 5):
        shapes[draw(st.integers(0, 1))] = ()
    dtypes = operand_dtypes(draw, 2)
    if name == "bmm" and dtypes[0] != dtypes[1] and 0 in shapes[0] + shapes[1]:
        dtypes = [dtypes[0]] * 2  # an empty batched product of two dtypes: see draw_matmul
    operands = [operand_text(draw, shape, dtype) for shape, dtype in zip(shapes, dtypes)]
    if name == "kron":  # kron of non-contiguous tensors: torch 2.13 fails (differences.md)
        operands = [plain_layout(text) for text in operands]
    if usually(draw, 1):
        return f"t.{name}({', '.join(operands)})"
    return f"{operands[0]}.{name}({operands[1]})"


def draw_tensordot(draw):
    first = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    if usually(draw, 1):
        count = draw(st.integers(0, len(first)))
        second = first[len(first) - count :] + tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
        if count and not usually(draw, 4):  # a size of 1 against another: summed over
            second = (1,) + second[1:]
        dims = str(count) if usually(draw, 3) else repr(one_of(draw, (-1, 4, True)))
    else:
        dims_a = draw(st.permutations(range(len(first))))[: draw(st.integers(0, len(first)))]
        free = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
        second = tuple(first[dim] for dim in dims_a) + free
        dims_b = list(range(len(dims_a)))
        if usually(draw, 2):
            dims_b = list(reversed(dims_b))
            second = tuple(reversed(second[: len(dims_a)])) + free
        if not usually(draw, 4):
            dims_a = [dim - len(first) for dim in dims_a]  # negative dims
        dims = f"({list(dims_a)!r}, {dims_b!r})"
    first, second = maybe_wrong(draw, (first, second))
    operands = [
        operand_text(draw, shape, dtype)
        for shape, dtype in zip((first, second), operand_dtypes(draw, 2))
    ]
    return f"t.tensordot({operands[0]}, {operands[1]}, dims={dims})"


def draw_chain(draw):
    count = draw(st.integers(1, 4))
    sizes = [size(draw) for _ in range(count + 1)]
    shapes = [(sizes[i], sizes[i + 1]) for i in range(count)]
    name = one_of(draw, ("chain_matmul", "linalg.multi_dot"))
    if name == "linalg.multi_dot":
        if usually(draw, 2):
            shapes[0] = shapes[0][1:]
        if usually(draw, 2) and len(shapes) > 1:
            shapes[-1] = shapes[-1][:1]
    shapes = maybe_wrong(draw, shapes)
    dtypes = operand_dtypes(draw, count)
    operands = ", ".join(operand_text(draw, shape, dtype) for shape, dtype in zip(shapes, dtypes))
    if name == "chain_matmul":
        return f"t.chain_matmul({operands})"
    return f"t.linalg.multi_dot([{operands}])"


@st.composite
def scenarios(draw):
    drawer = one_of(
        draw,
        (
            draw_add_product,
            draw_add_product,
            draw_in_place,
            draw_matmul,
            draw_named_product,
            draw_tensordot,
            draw_chain,
        ),
    )
    text = drawer(draw)
    return text if text is not None else draw_matmul(draw)


# ---------------------------------------------------------------- running and comparing


def run(lib, text):
    """What the call gave (the result, or ``x`` for an in-place form), the builtin base of
    its exception's type, whether it warned, and the leaves."""
    operands = Operands(lib)
    names = {"t": lib, "O": operands}
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            if text.startswith("x = "):
                exec(text, names)  # noqa: S102 - the drawn call
                result = names["x"]
            else:
                result = eval(text, names)  # noqa: S307 - the drawn call
            error = None
        except Exception as caught:  # noqa: BLE001 - the type is what is compared
            result, error = None, builtin_base(type(caught))
    return result, error, bool(caught_warnings), operands.leaves


def host(tensor):
    return (
        tensor.detach().numpy().astype(np.float64)
        if tensor.dtype.is_floating_point
        else tensor.numpy()
    )


def assert_same_tensor(ember_tensor, torch_tensor, text):
    assert tuple(ember_tensor.shape) == tuple(torch_tensor.shape), text
    assert ember_tensor.dtype.name == str(torch_tensor.dtype).replace("torch.", ""), text
    ember_values, torch_values = host(ember_tensor), host(torch_tensor)
    if torch_tensor.dtype.is_floating_point:
        tolerance = TOLERANCES[ember_tensor.dtype.name]
        scale = max(
            1.0, float(np.nanmax(np.abs(torch_values), initial=0, where=np.isfinite(torch_values)))
        )
        np.testing.assert_allclose(
            ember_values, torch_values, rtol=tolerance, atol=tolerance * scale, err_msg=text
        )
    else:
        np.testing.assert_array_equal(ember_values, torch_values, err_msg=text)


def node_name(tensor):
    return None if tensor.grad_fn is None else tensor.grad_fn.name()


def names_compared(text, ember_result, torch_result):
    """Whether the node's name is compared: not kron's last (ViewBackward0, torch's
    UnsafeViewBackward0), nor a matmul's that torch ends with a reshape, nor an in-place
    form's in a graph (ember's CopySlices, torch's AddmmBackward0...): differences.md."""
    if "kron" in text or text.startswith("x = ") or node_name(ember_result) == "MatmulBackward0":
        return False
    return node_name(torch_result) not in (
        "UnsafeViewBackward0",
        "ViewBackward0",
        "ReshapeAliasBackward0",
        "ExpandBackward0",
    )


def backward_with(result, lib, seed):
    gradient = np.random.default_rng(seed).integers(-2, 3, tuple(result.shape))
    result.backward(lib.tensor(gradient, dtype=result.dtype))


@seed(int(SEED or 0))
@settings(random_settings(EXAMPLES), derandomize=SEED is None)
@given(scenarios(), st.integers(0, 9))
def test_random_product_forms_match_torch(text, seed):
    torch_result, torch_error, torch_warned, torch_leaves = run(torch, text)
    ember_result, ember_error, ember_warned, ember_leaves = run(ember, text)
    assert ember_error == torch_error, f"{text}: ember {ember_error}, torch {torch_error}"
    if "chain_matmul" not in text:  # torch's deprecation warning is once a process
        assert ember_warned == torch_warned, f"{text}: ember warned {ember_warned}"
    if torch_error is not None:
        return
    assert_same_tensor(ember_result, torch_result, text)
    assert ember_result.requires_grad == torch_result.requires_grad, text
    if names_compared(text, ember_result, torch_result):
        assert node_name(ember_result) == node_name(torch_result), text
    if not torch_result.requires_grad:
        return
    backward_with(torch_result, torch, seed)
    backward_with(ember_result, ember, seed)
    for ember_leaf, torch_leaf in zip(ember_leaves, torch_leaves, strict=True):
        if torch_leaf.grad is None:
            assert ember_leaf.grad is None, text
        else:
            assert_same_tensor(ember_leaf.grad, torch_leaf.grad, text)


# ---------------------------------------------------------------- what this pass fixed


def outcome(lib, call):
    """The builtin type of the call's exception, or its result's values, dtype and shape."""
    try:
        result = call(lib)
    except Exception as caught:  # noqa: BLE001 - the type is what is compared
        return builtin_base(type(caught))
    return host(result).tolist(), str(result.dtype).split(".")[-1], tuple(result.shape)


def ones(lib, shape, dtype="float32", requires_grad=False):
    return lib.ones(shape, dtype=getattr(lib, dtype), requires_grad=requires_grad)


FIXED = {
    # an empty product of bools is computed (the kernel that refuses bool does not run)
    "addmm_bool_empty_inner": lambda t: t.addmm(
        ones(t, (2, 2), "bool"), ones(t, (2, 0), "bool"), ones(t, (0, 2), "bool"), beta=True
    ),
    "addbmm_bool_no_matrices": lambda t: t.addbmm(
        ones(t, (2, 2), "bool"), ones(t, (0, 2, 2), "bool"), ones(t, (0, 2, 2), "bool"), beta=0
    ),
    # where it only scales the input, PyTorch's mul_ refuses a float beta for integers...
    "addmm_int_empty_inner_float_beta": lambda t: t.addmm(
        ones(t, (2, 2), "int64"), ones(t, (2, 0), "int64"), ones(t, (0, 2), "int64"), beta=0.5
    ),
    "addbmm_int_no_matrices_float_beta": lambda t: t.addbmm(
        ones(t, (2, 2), "int64"), ones(t, (0, 2, 2), "int64"), ones(t, (0, 2, 2), "int64"), beta=1.5
    ),
    # ...and an int beta for bools (addbmm scales by 1 after its first matrix)
    "addbmm_bool_empty_inner_two_matrices": lambda t: t.addbmm(
        ones(t, (2, 2), "bool"), ones(t, (2, 2, 0), "bool"), ones(t, (2, 0, 2), "bool"), beta=0
    ),
    # ...and neither reads alpha nor checks beta's range, which wraps around
    "addmm_int8_empty_inner_wraps_beta": lambda t: t.addmm(
        ones(t, (2, 2), "int8"),
        ones(t, (2, 0), "int8"),
        ones(t, (0, 2), "int8"),
        beta=300,
        alpha=1000,
    ),
    "addmm_uint8_empty_result_negative_beta": lambda t: t.addmm(
        ones(t, (0, 2), "uint8"), ones(t, (0, 2), "uint8"), ones(t, (2, 2), "uint8"), beta=-2.5
    ),
    # addbmm of no matrices takes factors of any dtype; baddbmm refuses bool batches first
    "addbmm_no_matrices_other_dtypes": lambda t: t.addbmm(
        ones(t, (2, 2), "float16"), ones(t, (0, 2, 2), "int64"), ones(t, (0, 2, 2), "bool")
    ),
    "baddbmm_bool_batches_other_batch2": lambda t: t.baddbmm(
        ones(t, (1, 2, 2), "bool"), ones(t, (1, 2, 2), "bool"), ones(t, (1, 2, 2), "int64")
    ),
    # PyTorch reads batch1's sizes (IndexError), and a 0-d input's size for addmv's message
    "baddbmm_batch1_of_one_dim": lambda t: t.baddbmm(
        ones(t, (1, 2, 2)), ones(t, (2,)), ones(t, (1, 2, 2))
    ),
    "addmv_0d_input_size_mismatch": lambda t: t.addmv(ones(t, ()), ones(t, (1, 1)), ones(t, (0,))),
    # a dot product's sizes before its bool refusal; inner's one product is a dot product
    "dot_bools_of_other_sizes": lambda t: t.matmul(ones(t, (0,), "bool"), ones(t, (1,), "bool")),
    "inner_bools_one_product": lambda t: t.inner(ones(t, (0,), "bool"), ones(t, (1, 0), "bool")),
    # tensordot sums a where both sizes are 1 (then a dot product, which refuses bool), and
    # reads each pair of dims in turn
    "tensordot_sizes_1_bool_strided": lambda t: t.tensordot(
        ones(t, (1, 4), "bool")[:, ::2], ones(t, (1, 2), "bool"), dims=2
    ),
    "tensordot_sizes_before_a_later_dim": lambda t: t.tensordot(
        ones(t, (0,)), ones(t, (0, 2)), dims=([-1, -2], [1, 0])
    ),
}


@pytest.mark.parametrize("name", FIXED)
def test_fixed_product_forms_match_torch(name):
    assert outcome(ember, FIXED[name]) == outcome(torch, FIXED[name])


def test_a_batch_of_matrices_is_named_so_in_the_message():
    with pytest.raises(RuntimeError, match="batch of matrices"):
        ember.baddbmm(ember.ones(1, 2, 2), ember.ones(2, 2), ember.ones(1, 2, 2))
