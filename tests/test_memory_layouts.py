"""T9 views that share storage: ``view(dtype)``, which reads a tensor's memory as another
element type, and ``empty_strided`` / ``new_empty_strided``, which lay a new tensor out
with given strides. Each case is evaluated in both libraries (``T`` is ember or torch)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import check_error

import ember

VIEWS_AS_TYPES = [
    "T.tensor([1.5, -2.0]).view(T.int32)",
    "T.tensor([1.5, -2.0]).view(T.int32).view(T.float32)",
    "T.tensor([1, 255], dtype=T.uint8).view(T.int8)",
    "T.tensor([1.0, 2.0], dtype=T.float16).view(T.int16)",
    "T.tensor(1.0).view(T.int32)",
    "T.zeros(3, 4).view(dtype=T.int32)",
    "T.zeros(3, 4, dtype=T.bool).view(T.uint8)",
    "T.ones(3, 4).view(T.bool)",
    "T.arange(8, dtype=T.uint8).view(T.float64)",
    "T.arange(8, dtype=T.uint8).reshape(2, 4).view(T.float16)",
    "T.arange(24, dtype=T.int16).reshape(3, 8)[:, :4].view(T.int64)",
    "T.arange(24, dtype=T.int16)[4:12].view(T.int64)",
    "T.arange(40, dtype=T.int16)[4:].reshape(2, 18)[:, :4].view(T.int32)",
    "T.arange(24, dtype=T.int64)[1:3].view(T.int16)",
    "T.arange(24, dtype=T.int64).reshape(4, 6)[:, 1:3].view(T.int16)",
    "T.arange(24, dtype=T.int64).reshape(4, 6).expand(2, 4, 6).view(T.int16)",
    "T.arange(6.0, requires_grad=True).view(T.int32)",
    "(T.arange(6.0, requires_grad=True) * 2).view(T.float32)",
]

REFUSED_VIEWS_AS_TYPES = [  # PyTorch's RuntimeError, naming the first check that fails
    ("T.tensor(1.0).view(T.int16)", "self.dim() cannot be 0 to view Float as Short"),
    ("T.arange(24, dtype=T.int64).reshape(4, 6).t().view(T.int16)", "self.stride(-1) must be 1"),
    ("T.zeros(3, 1, dtype=T.int64).expand(3, 4).view(T.int16)", "self.stride(-1) must be 1"),
    ("T.arange(6, dtype=T.int16).view(T.int64)", "self.size(-1) must be divisible by 4"),
    ("T.arange(24, dtype=T.int16)[2:10].view(T.int64)", "self.storage_offset() must be divisible"),
    ("T.arange(18, dtype=T.int16).reshape(3, 6)[:, :4].view(T.int64)", "self.stride(0) must be"),
    ("T.zeros(3, 0, dtype=T.int16).view(T.int64)", "self.stride(0) must be divisible by 4"),
]


def described(tensor):
    return (
        tuple(tensor.shape),
        tensor.stride(),
        str(tensor.dtype).split(".")[1],
        tensor.storage_offset(),
        tensor.tolist(),
        tensor.requires_grad,
        tensor.grad_fn is None,
    )


@pytest.mark.parametrize("case", VIEWS_AS_TYPES)
def test_view_as_another_type_reads_the_same_bits_as_torch(case):
    assert described(eval(case, {"T": ember})) == described(eval(case, {"T": torch}))


@pytest.mark.parametrize("case, message", REFUSED_VIEWS_AS_TYPES)
def test_view_as_another_size_of_type_is_refused_as_torch_refuses_it(case, message):
    with pytest.raises(RuntimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        eval(case, {"T": torch})
    with pytest.raises(RuntimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        eval(case, {"T": ember})


def test_a_write_through_a_view_as_another_type_reaches_the_base_and_its_version():
    base = ember.arange(4.0)
    bits = base.view(ember.int32)
    bits[0] = 1
    assert np.asarray(base)[0] == np.float32(1.4e-45)  # the smallest float32 above 0
    assert base._version == bits._version == 1


def test_a_saved_tensor_written_through_a_view_as_another_type_is_refused_at_backward():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y * y  # saves y
    y.view(ember.int32).add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


STRIDED = [
    "T.empty_strided((2, 3), (1, 2))",
    "T.empty_strided((2, 3), (0, 0))",
    "T.empty_strided((2, 0), (5, 7))",
    "T.empty_strided((), ())",
    "T.empty_strided([2, 3], [1, 2])",
    "T.empty_strided(size=(4,), stride=(2,))",
    "T.empty_strided((2, 3), (3, 1), dtype=T.float64, requires_grad=True)",
    "T.ones(2).new_empty_strided((2, 3), (1, 2))",
    "T.ones(2, dtype=T.int32).new_empty_strided((2, 3), (1, 2), dtype=T.float16)",
]

REFUSED_STRIDED = [
    ("T.empty_strided((2, 3), (1, -2))", RuntimeError),
    ("T.empty_strided((2, -3), (1, 2))", RuntimeError),
    ("T.empty_strided((2, 3), (1,))", RuntimeError),
    ("T.empty_strided((2, 3), (3, 1), dtype=T.int64, requires_grad=True)", RuntimeError),
    ("T.empty_strided((2.0, 3), (1, 2))", TypeError),
]


def layout(tensor):
    return (
        tuple(tensor.shape),
        tensor.stride(),
        str(tensor.dtype).split(".")[1],
        tensor.is_contiguous(),
        tensor.requires_grad,
        tensor.is_leaf,
    )


@pytest.mark.parametrize("case", STRIDED)
def test_empty_strided_lays_out_memory_as_torch_does(case):
    assert layout(eval(case, {"T": ember})) == layout(eval(case, {"T": torch}))


@pytest.mark.parametrize("case, error", REFUSED_STRIDED)
def test_empty_strided_refuses_what_torch_refuses(case, error):
    with pytest.raises(error):
        eval(case, {"T": torch})
    with pytest.raises(error):
        eval(case, {"T": ember})


def test_a_strided_tensor_is_written_read_and_differentiated_like_any_other():
    x = ember.empty_strided((2, 3), (1, 2), requires_grad=True)
    with ember.no_grad():
        x.copy_(ember.arange(6.0).reshape(2, 3))
    (x * x).sum().backward()
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert x.grad.tolist() == [[0.0, 2.0, 4.0], [6.0, 8.0, 10.0]]


AS_STRIDED = [  # x is arange(12.0) in each library
    "x.as_strided((3, 3), (2, 1))",
    "x[2:].as_strided((2, 2), (1, 1))",
    "x[2:].as_strided((2, 2), (1, 1), 0)",
    "x.as_strided((3,), (4,), 1)",
    "T.as_strided(x, (2, 2), (1, 2), 1)",
    "x.reshape(3, 4).t().as_strided((2,), (5,))",
    "x.reshape(3, 4)[1:, 1:].as_strided((2, 2), (4, 1))",
    "x.as_strided((2, 2), (0, 0), 11)",
    "x.as_strided((), (), 3)",
    "x.as_strided((0, 2), (1, 1), 12)",
    "x.view(T.int32).as_strided((2,), (1,), 1)",
]

REFUSED_AS_STRIDED = [
    ("x.as_strided((3, 3), (4, 1), 5)", "out of bounds for storage of size 48"),
    ("x.as_strided((3, 3), (4, -1))", "Negative strides are not supported"),
    ("x.as_strided((3, 3), (4, 1), -1)", "invalid storage offset -1"),
    ("x.as_strided((3,), (1, 2))", "mismatch in length of strides and shape"),
    ("x.as_strided((3, -3), (1, 1))", "Storage size calculation overflowed"),
    ("x.as_strided((2, 2), (0, 1)).add_(1)", "more than one element of the written-to tensor"),
    ("T.empty_strided((2, 3), (0, 1)).add_(1)", "more than one element of the written-to"),
]


@pytest.mark.parametrize("case", AS_STRIDED)
def test_as_strided_lays_its_view_over_the_storage_as_torch_does(case):
    def viewed(T):
        x = T.arange(12.0)
        result = eval(case, {"T": T, "x": x})
        if result.numel() and "(0, 0)" not in case:  # both refuse to write into repeats
            result[(0,) * result.ndim] += 100  # a write reaches what the view was taken from
        facts = (tuple(result.shape), result.stride(), result.storage_offset(), result.tolist())
        return facts, x.tolist(), x._version

    assert viewed(ember) == viewed(torch)


@pytest.mark.parametrize("case, message", REFUSED_AS_STRIDED)
def test_as_strided_refuses_what_torch_refuses(case, message):
    """And a write into a view that repeats an element along a dim, as expand's does."""
    for T in (torch, ember):
        with pytest.raises(RuntimeError, match=message):
            eval(case, {"T": T, "x": T.arange(12.0)})


GRADIENT_PROGRAMS = [  # w is arange(6.0) in float64, requiring grad
    lambda T, w: (w * 1).as_strided((2, 3), (1, 1)),  # overlapping windows
    lambda T, w: w.as_strided((2, 2), (1, 1)),
    lambda T, w: (w * 1)[::2].as_strided((2,), (1,)),  # storage between the input's elements
    lambda T, w: (w * 1)[:2].as_strided((4,), (1,)),  # beyond the input's end: no gradient
    lambda T, w: w[:3].expand(2, 3).as_strided((3,), (1,)),  # an input that reads twice
    lambda T, w: w[:3].expand(2, 3).as_strided((2, 2), (1, 1), 1),
    lambda T, w: (w * 2).reshape(2, 3).t().as_strided((3, 2), (1, 3)) * 3,
]


@pytest.mark.parametrize("index", range(len(GRADIENT_PROGRAMS)))
def test_as_strided_gradients_are_torchs_to_second_order(index):
    def gradients(T):
        w = T.arange(6.0, dtype=T.float64, requires_grad=True)
        y = GRADIENT_PROGRAMS[index](T, w)
        weights = T.arange(1.0, y.numel() + 1.0, dtype=T.float64).reshape(y.shape)
        (first,) = T.autograd.grad((y * y * weights).sum(), w, create_graph=True)
        (second,) = T.autograd.grad((first * first).sum(), w)
        return first.tolist(), second.tolist()

    assert gradients(ember) == gradients(torch)


def test_the_node_of_as_strided_is_named_as_in_torch():
    y = ember.arange(6.0, requires_grad=True).as_strided((2, 2), (1, 1))
    assert y.grad_fn.name() == "AsStridedBackward0"


def test_a_write_through_as_strided_of_the_base_gives_the_base_its_gradient():
    def run(T):
        x = T.arange(6.0, dtype=T.float64, requires_grad=True)
        y = x * 1
        y.as_strided((3,), (2,), 0)[1:].mul_(2)
        (y * T.arange(1.0, 7.0, dtype=T.float64)).sum().backward()
        return x.grad.tolist(), y.tolist()

    assert run(ember) == run(torch)


def test_a_write_through_as_strided_of_another_view_is_refused_not_misdirected():
    # PyTorch sends the gradient of x[0] and x[4] (outside y[1:3]) to the base; ember's
    # CopySlices would lose it, so the write is refused.
    x = ember.arange(6.0, dtype=ember.float64, requires_grad=True)
    y = x * 1
    with pytest.raises(RuntimeError, match="as_strided view of another view"):
        y[1:3].as_strided((3,), (2,), 0).mul_(2)


@st.composite
def strided_programs(draw):
    """A storage of n values, a view into it (a slice, perhaps), and an as_strided geometry
    over the storage, most often within its bounds."""
    n = draw(st.integers(1, 12))
    start = draw(st.integers(0, n - 1))
    step = draw(st.integers(1, 3))
    ndim = draw(st.integers(0, 3))
    size = tuple(draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim)))
    stride = tuple(draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim)))
    offset = draw(st.one_of(st.none(), st.integers(0, n)))
    through_product = draw(st.booleans())  # a non-leaf base, or the leaf itself
    return n, start, step, size, stride, offset, through_product


def strided_outcome(t, program):
    n, start, step, size, stride, offset, through_product = program
    leaf = t.arange(1.0, n + 1.0, dtype=t.float64, requires_grad=True)
    base = leaf * 1 if through_product else leaf
    view = base[start::step]
    try:
        result = view.as_strided(size, stride, offset)
    except RuntimeError as error:
        return "refused", type(error).__name__
    weights = t.arange(2.0, result.numel() + 2.0, dtype=t.float64).reshape(result.shape)
    (grad,) = t.autograd.grad((result * result * weights).sum(), leaf, allow_unused=True)
    # The strides of dims of one element, and of empty results, are not compared: ember
    # reports those as a contiguous layout would have them (differences.md).
    steps = [s for s, length in zip(result.stride(), result.shape) if length > 1]
    facts = (tuple(result.shape), steps if result.numel() else None, result.tolist())
    place = result.storage_offset() if result.numel() else None
    return facts, place, None if grad is None else grad.tolist(), result.grad_fn.name()


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(strided_programs())
def test_random_as_strided_views_and_their_gradients_are_torchs(program):
    assert strided_outcome(ember, program) == strided_outcome(torch, program)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.arange(6.0)[2:].unfold(0, 2, 1),
        lambda t: t.arange(5.0).unfold(0, 1, 2).as_strided((2,), (1,)),
        lambda t: t.arange(24.0).reshape(2, 3, 4).mT.clone().as_strided((2,), (1,)),
        lambda t: (
            t.arange(24.0).reshape(2, 3, 4).permute(2, 0, 1).clone().as_strided((3,), (2,), 1)
        ),
    ],
    ids=["unfold_offset", "as_strided_of_unfold", "of_a_transposed_clone", "of_a_permuted_clone"],
)
def test_storage_is_found_through_unfold_and_in_permuted_clones(case):
    # the attributes pass (seventeenth day): NumPy's as_strided hides the storage behind an
    # object that is no array, and a permuted clone's block is dense in another order
    got, want = case(ember), case(torch)
    assert got.storage_offset() == want.storage_offset()
    assert got.tolist() == want.tolist()


# as_strided_ (eighteenth day) --------------------------------------------------------------


def _strided_in_place(lib):
    x = lib.arange(6.0)
    same = x.as_strided_((2, 2), (1, 2), 1) is x
    return same, x.tolist(), x.stride(), x.storage_offset(), x._version


def _strided_in_place_of_a_view(lib):
    base = lib.arange(6.0)
    v = base[1:]
    v.as_strided_((2,), (2,))  # no offset: the view keeps its own
    v.add_(10)
    return v.tolist(), v.storage_offset(), base.tolist()


def _strided_in_place_in_a_graph(lib):
    a = lib.arange(6.0, requires_grad=True)
    b = a * 1
    c = b.as_strided_((2, 2), (1, 2))
    c.sum().backward()
    node = type(c.grad_fn).__name__ if lib is torch else c.grad_fn.name()
    return c is b, node, a.grad.tolist()


@pytest.mark.parametrize(
    "case", [_strided_in_place, _strided_in_place_of_a_view, _strided_in_place_in_a_graph]
)
def test_as_strided_in_place_makes_the_tensor_itself_the_view_as_torch(case):
    assert case(ember) == case(torch)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: t.arange(6.0, requires_grad=True).as_strided_((2,), (1,)),
        lambda t: t.arange(6.0).as_strided_((4,), (2,)),
        lambda t: t.arange(6.0).as_strided_((2,), (1,), 1.5),
    ],
    ids=["leaf_requiring_grad", "past_the_storage", "float_offset"],
)
def test_as_strided_in_place_refuses_what_torch_refuses(case):
    check_error(case)


# fill_ and zero_ of an expanded tensor: the one write PyTorch lets through to the
# tensor expanded (every element gets the same value); other writes are refused.
EXPANDED_FILLS = [
    "b = T.tensor([[1., 2., 3.]]); e = b.expand(2, 3); e.zero_(); r = (b, e, b._version)",
    "b = T.tensor([[1., 2., 3.]]).t(); e = b.expand(3, 4); e.fill_(5); r = b",
    "b = T.tensor([[1, 2, 3]], dtype=T.uint8); e = b.expand(2, 3); e.fill_(-1); r = b",
    "b = T.tensor([[1, 2, 3]], dtype=T.int8); e = b.expand(2, 3); e.fill_(300); r = b",
    "b = T.tensor([[1., 2., 3.]]); e = b.expand(2, 3); e.fill_(T.tensor(7.)); r = b",
    "b = T.tensor([1., 2., 3.], requires_grad=True); e = b.expand(2, 3); e.zero_(); r = b",
    "b = T.tensor([1., 2., 3.]); e = b.expand(2, 3); e.add_(1); r = b",
    "b = T.tensor([[1., 2.]]); e = b.expand(2, 2)\nwith T.no_grad(): e.fill_(2.5)\nr = b",
    "b = T.zeros(4); s = b.as_strided((2, 3), (1, 0)); s.fill_(5); r = (b, s)",
    "e = T.empty_strided((2, 3), (0, 1)); e.zero_(); r = e",
    "p = T.nn.Parameter(T.ones(2, 3)); b = T.ones(1, 3); p.grad = b.expand(2, 3)\n"
    "T.optim.SGD([p], lr=0.1).zero_grad(set_to_none=False); r = (b, p.grad)",
]


@pytest.mark.parametrize("code", EXPANDED_FILLS)
def test_fill_of_an_expanded_tensor_writes_through_as_in_torch(code):
    """``b.expand(2, 3).zero_()`` was refused (PyTorch zeroes b), and zero_grad of an
    expanded .grad raised ValueError (twentieth day)."""
    outcomes = []
    for library in (ember, torch):
        names = {"T": library}
        try:
            exec(code, names)  # noqa: S102 - the test's own text
            outcomes.append(repr(names["r"]).replace("torch", "ember"))
        except Exception as error:  # noqa: BLE001 - the type is compared
            outcomes.append(type(error).__name__)
    assert outcomes[0] == outcomes[1]
