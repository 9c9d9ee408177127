"""The autograd API's edges against PyTorch: argument checks of backward and grad, hooks,
custom Functions, grad modes, and torch.autograd.functional.

Each test is a ``scenario(t)`` run with ``t = torch`` and ``t = ember`` (see
``test_autograd.same``): results must agree, or both must raise the same exception
type with the same key phrase.
"""

import copy
import random

import pytest
import torch
from test_autograd import same, same_error

import ember


def leaf(t, values=(1.0, 2.0, 3.0), dtype=None):
    return t.tensor(list(values), requires_grad=True, dtype=dtype)


def constant(t, values=(1.0, 2.0, 3.0)):
    return t.tensor(list(values))


def float64_leaf(t):
    return t.tensor([0.5, -1.0, 2.0], dtype=t.float64, requires_grad=True)


# backward: the gradient argument --------------------------------------------------------------


@pytest.mark.parametrize("gradient", [2.0, [1.0, 1.0, 1.0]], ids=["number", "list"])
def test_backward_refuses_a_gradient_that_is_not_a_tensor(gradient):
    def scenario(t):
        x = leaf(t)
        (x * x).sum().backward(gradient)

    same_error(scenario, "")


def test_gradient_shape_mismatch_names_the_output_index():
    def scenario(t):
        x = leaf(t)
        t.autograd.backward([(x * x).sum(), x * 2], [None, t.ones(2)])

    # PyTorch 2.13 fails here before its own shape check, with another message.
    error = same_error(scenario, "")
    assert "grad_output[1] has a shape of (2,)" in str(error)


def test_backward_without_create_graph_keeps_the_history_of_a_create_graph_grad():
    def scenario(t):
        x = leaf(t)
        y = (x**3).sum()
        y.backward(create_graph=True)
        y.backward()
        return x.grad.detach(), x.grad.requires_grad

    assert same(scenario)[1] is True


# autograd.grad: its arguments ---------------------------------------------------------------


def test_grad_refuses_empty_inputs():
    def scenario(t):
        x = leaf(t)
        t.autograd.grad((x * x).sum(), [])

    same_error(scenario, "cannot be empty")


def test_grad_refuses_inputs_that_are_not_tensors():
    def not_iterable(t):
        x = leaf(t)
        t.autograd.grad((x * x).sum(), 3)

    def holds_a_number(t):
        x = leaf(t)
        t.autograd.grad((x * x).sum(), [x, 3])

    same_error(not_iterable, "")
    same_error(holds_a_number, "inputs have to be Tensors")


def test_grad_takes_inputs_from_any_iterable():
    def scenario(t):
        x = leaf(t)
        return t.autograd.grad((x * x).sum(), (each for each in [x]))

    same(scenario)


def test_grad_refuses_materialize_grads_with_allow_unused_false():
    def scenario(t):
        x, w = leaf(t), leaf(t)
        t.autograd.grad((x * 2).sum(), [x, w], allow_unused=False, materialize_grads=True)

    same_error(scenario, "allow_unused")


def test_grad_takes_its_arguments_in_pytorchs_positions():
    def scenario(t):
        x, w = leaf(t), leaf(t)
        # outputs, inputs, grad_outputs, retain_graph, create_graph, only_inputs, allow_unused
        return t.autograd.grad((x * 2).sum(), [x, w], None, None, False, True, True)

    same(scenario)


def test_grad_accepts_only_inputs():
    def scenario(t):
        x = leaf(t)
        return t.autograd.grad((x * x).sum(), x, only_inputs=True)

    same(scenario)


@pytest.mark.parametrize("retain_graph", [None, True])
def test_grad_with_batched_grad_outputs(retain_graph):
    def scenario(t):
        x, w, unused = leaf(t), leaf(t, (0.5, -1.0, 2.0)), leaf(t)
        y = x * w
        batched = t.autograd.grad(
            y,
            (x, w, unused),
            grad_outputs=t.eye(3),
            retain_graph=retain_graph,
            allow_unused=True,
            is_grads_batched=True,
        )
        try:
            t.autograd.grad(y, x, grad_outputs=t.ones(3))
            freed = False
        except RuntimeError:
            freed = True
        return batched, freed

    same(scenario)


def test_grad_with_batched_grad_outputs_needs_a_batch_dim():
    def scenario(t):
        x = leaf(t)
        t.autograd.grad(x * x, x, grad_outputs=t.ones(3), is_grads_batched=True)

    same_error(scenario, "")


# hooks -------------------------------------------------------------------------------------


def grads_after_hook(t, hook, on_leaf):
    x = leaf(t)
    h = x * 2
    (x if on_leaf else h).register_hook(hook)
    (h * h).sum().backward()
    return x.grad


@pytest.mark.parametrize("on_leaf", [True, False], ids=["leaf", "non-leaf"])
@pytest.mark.parametrize(
    "hook, phrase",
    [
        (lambda g: g[:2], "has changed the size of value"),
        (lambda g: g.double(), "has changed the type of value"),
        (lambda g: 3.0, ""),
    ],
    ids=["shape", "dtype", "number"],
)
def test_a_hook_may_not_change_what_the_gradient_is(hook, phrase, on_leaf):
    same_error(lambda t: grads_after_hook(t, hook, on_leaf), phrase)


def test_a_node_prehook_may_not_change_the_gradients_shape():
    def scenario(t):
        x = leaf(t)
        y = x * 2
        y.grad_fn.register_prehook(lambda grads: (grads[0][:2],))
        y.sum().backward()

    same_error(scenario, "has changed the size of value")


def test_a_hook_handle_is_a_context_manager():
    def scenario(t):
        x = leaf(t)
        with x.register_hook(lambda g: g * 10):
            (x * x).sum().backward()
        inside = x.grad.clone()
        (x * x).sum().backward()
        return inside, x.grad

    same(scenario)


def test_a_node_has_a_metadata_dict():
    def scenario(t):
        y = leaf(t) * 2
        y.grad_fn.metadata["note"] = 1
        return dict(y.grad_fn.metadata), dict((y + 1).grad_fn.metadata)

    same(scenario)


# custom autograd.Function ------------------------------------------------------------------


def product_function(t, backward):
    class Product(t.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return written_backward(ctx, g)

    written_backward = backward
    return Product


def run_product(t, backward, second):
    x = leaf(t)
    product_function(t, backward).apply(x, second).sum().backward()
    return x.grad


@pytest.mark.parametrize(
    "backward, second_is_tensor, phrase",
    [
        (lambda ctx, g: g, True, "incorrect number of gradients"),
        (lambda ctx, g: [g, g], True, "incorrect number of gradients"),
        (lambda ctx, g: (2.0, None), True, ""),
        (lambda ctx, g: (g, g), False, "forward input"),
    ],
    ids=["too few", "a list", "a number", "for a number input"],
)
def test_a_custom_backward_returns_a_tensor_or_none_per_input(backward, second_is_tensor, phrase):
    def scenario(t):
        run_product(t, backward, leaf(t) if second_is_tensor else 2.0)

    same_error(scenario, phrase)


def test_a_custom_function_with_an_integer_output_records_no_graph():
    def scenario(t):
        class Positive(t.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return (a > 1).long()

            @staticmethod
            def backward(ctx, g):
                return g

        y = Positive.apply(leaf(t))
        return y, y.requires_grad, y.grad_fn is None

    same(scenario)


def test_a_custom_function_may_name_its_backward_vjp():
    def scenario(t):
        class Double(t.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def vjp(ctx, g):
                return g * 2

        x = leaf(t)
        Double.apply(x).sum().backward()
        return x.grad

    same(scenario)


def test_a_custom_function_without_backward_raises_not_implemented():
    def scenario(t):
        class Double(t.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

        Double.apply(leaf(t)).sum().backward()

    same_error(scenario, "")


def once_differentiable_square(t):
    class Square(t.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        @staticmethod
        @t.autograd.function.once_differentiable
        def backward(ctx, g):
            seen.append(t.is_grad_enabled())
            (a,) = ctx.saved_tensors
            return g * 2 * a

    seen = []
    return Square, seen


def test_once_differentiable_backward_runs_without_a_graph():
    def scenario(t):
        square, seen = once_differentiable_square(t)
        x = leaf(t)
        (square.apply(x) ** 2).sum().backward()
        plain = x.grad
        (g,) = t.autograd.grad(square.apply(x).sum(), x, create_graph=True)
        return plain, g, g.requires_grad, seen

    same(scenario)


def test_once_differentiable_refuses_a_second_derivative():
    def scenario(t):
        square, _ = once_differentiable_square(t)
        x = leaf(t)
        (g,) = t.autograd.grad((square.apply(x) ** 2).sum(), x, create_graph=True)
        assert g.requires_grad
        g.sum().backward()

    same_error(scenario, "once_differentiable")


# grad modes -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0, "no", None], ids=["int", "str", "None"])
def test_set_grad_enabled_takes_only_a_bool(mode):
    def scenario(t):
        t.set_grad_enabled(mode)

    same_error(scenario, "")
    assert ember.is_grad_enabled()


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.no_grad(),
        lambda t: t.enable_grad(),
        lambda t: t.set_grad_enabled(False),
        lambda t: t.inference_mode(),
    ],
    ids=["no_grad", "enable_grad", "set_grad_enabled", "inference_mode"],
)
def test_grad_mode_contexts_give_none_to_as(make):
    def scenario(t):
        with make(t) as entered:
            return entered

    assert same(scenario) is None


def test_enable_grad_inside_inference_mode_records_nothing():
    def scenario(t):
        x = leaf(t)
        with t.inference_mode():
            with t.enable_grad():
                y = x * 2
                enabled = t.is_grad_enabled()
            with t.set_grad_enabled(True):
                z = x * 2
            after = t.is_grad_enabled()
            with t.inference_mode(False):
                w = x * 2
        return y.requires_grad, enabled, z.requires_grad, after, w.requires_grad

    same(scenario)


# torch.autograd.functional ----------------------------------------------------------------


def cube_sum(x):
    return (x**3).sum()


def scaled_product(a, b):
    return a * b * b


FUNCTIONAL_CASES = {
    "vjp": lambda t: t.autograd.functional.vjp(lambda a: a**2, constant(t), t.ones(3)),
    "vjp scalar, no v": lambda t: t.autograd.functional.vjp(cube_sum, constant(t)),
    "vjp tuples": lambda t: t.autograd.functional.vjp(
        lambda a, b: (a * b, a.sum()), (constant(t), constant(t)), (t.ones(3), t.tensor(2.0))
    ),
    "vjp constant": lambda t: t.autograd.functional.vjp(
        lambda a: t.ones(3), constant(t), t.ones(3)
    ),
    "jvp": lambda t: t.autograd.functional.jvp(
        lambda a: (a.exp() * a.sin()).sum(0, keepdim=True), constant(t), t.tensor([0.5, -1.0, 2.0])
    ),
    "jvp tuples": lambda t: t.autograd.functional.jvp(
        lambda a, b: (a * b, (a - 2).relu()), (constant(t), constant(t)), (t.ones(3), t.ones(3))
    ),
    "jvp scalar, no v": lambda t: t.autograd.functional.jvp(lambda a: a**2, t.tensor(3.0)),
    "hvp": lambda t: t.autograd.functional.hvp(cube_sum, constant(t), t.tensor([1.0, 0.0, 2.0])),
    "vhp": lambda t: t.autograd.functional.vhp(cube_sum, constant(t), t.tensor([1.0, 0.0, 2.0])),
    "hvp tuples": lambda t: t.autograd.functional.hvp(
        lambda a, b: scaled_product(a, b).sum(), (constant(t), constant(t)), (t.ones(3), t.ones(3))
    ),
    "vhp linear": lambda t: t.autograd.functional.vhp(
        lambda a: (a * 2).sum(), constant(t), t.ones(3)
    ),
}


@pytest.mark.parametrize("name", FUNCTIONAL_CASES)
def test_functional_products_match_torch(name):
    same(FUNCTIONAL_CASES[name])


@pytest.mark.parametrize("name", ["vjp", "jvp", "hvp", "vhp"])
def test_functional_products_with_create_graph_keep_history(name):
    def scenario(t):
        x = leaf(t)
        product = getattr(t.autograd.functional, name)
        function = cube_sum if name in ("hvp", "vhp") else (lambda a: a**3)
        output, result = product(function, x, t.ones(3), create_graph=True)
        (second,) = t.autograd.grad(result.sum(), x)
        return output.detach(), result.detach(), output.requires_grad, second

    same(scenario)


FUNCTIONAL_ERRORS = [
    (
        "jacobian list input",
        lambda t: t.autograd.functional.jacobian(lambda a, b: a * b, [constant(t), constant(t)]),
        "must be either a Tensor or a tuple",
    ),
    (
        "jacobian list output",
        lambda t: t.autograd.functional.jacobian(lambda a: [a, a], constant(t)),
        "must be either a Tensor or a tuple",
    ),
    (
        "hessian list input",
        lambda t: t.autograd.functional.hessian(cube_sum, [constant(t)]),
        "must be either a Tensor or a tuple",
    ),
    (
        "hessian tuple output",
        lambda t: t.autograd.functional.hessian(lambda a: (cube_sum(a),), constant(t)),
        "should return a single Tensor",
    ),
    (
        "vjp list v",
        lambda t: t.autograd.functional.vjp(lambda a: a * 2, constant(t), [t.ones(3)]),
        "must be either a Tensor or a tuple",
    ),
    (
        "vjp v too many",
        lambda t: t.autograd.functional.vjp(lambda a: a * 2, constant(t), (t.ones(3), t.ones(3))),
        "should contain a single Tensor",
    ),
    (
        "vjp v too few",
        lambda t: t.autograd.functional.vjp(lambda a: (a, a), constant(t), (t.ones(3),)),
        "v is a tuple of invalid length",
    ),
    (
        "vjp v shape",
        lambda t: t.autograd.functional.vjp(lambda a: a * 2, constant(t), t.ones(2)),
        "v has invalid size",
    ),
    (
        "vjp no v",
        lambda t: t.autograd.functional.vjp(lambda a: a * 2, constant(t)),
        "v can only be None",
    ),
    (
        "jvp no v",
        lambda t: t.autograd.functional.jvp(lambda a: a * 2, constant(t)),
        "v can only be None",
    ),
    (
        "hvp vector output",
        lambda t: t.autograd.functional.hvp(lambda a: a**3, constant(t), t.ones(3)),
        "should contain a single element",
    ),
    (
        "jacobian strict, constant",
        lambda t: t.autograd.functional.jacobian(lambda a: t.ones(2), constant(t), strict=True),
        "does not require gradients",
    ),
    (
        "jacobian strict, unused input",
        lambda t: t.autograd.functional.jacobian(
            lambda a, b: a * 2, (constant(t), constant(t)), strict=True
        ),
        "independent of input 1",
    ),
    (
        "jacobian strict, create_graph",
        lambda t: t.autograd.functional.jacobian(
            lambda a: a.detach() * 2 + a, constant(t), create_graph=True, strict=True
        ),
        "when create_graph=True",
    ),
    (
        "jacobian strict and vectorize",
        lambda t: t.autograd.functional.jacobian(
            lambda a: a * 2, constant(t), strict=True, vectorize=True
        ),
        "",
    ),
    (
        "jacobian bad strategy",
        lambda t: t.autograd.functional.jacobian(lambda a: a * 2, constant(t), strategy="sideways"),
        "",
    ),
    (
        "jacobian forward-mode, not vectorized",
        lambda t: t.autograd.functional.jacobian(
            lambda a: a * 2, constant(t), strategy="forward-mode"
        ),
        "",
    ),
    (
        "jacobian forward-mode, create_graph",
        lambda t: t.autograd.functional.jacobian(
            lambda a: a * 2, constant(t), strategy="forward-mode", vectorize=True, create_graph=True
        ),
        "",
    ),
    (
        "hessian strict, linear",
        lambda t: t.autograd.functional.hessian(lambda a: (a * 2).sum(), constant(t), strict=True),
        "independent of the input",
    ),
    (
        "hessian strict, cross term",
        lambda t: t.autograd.functional.hessian(
            lambda a, b: scaled_product(a, b).sum(), (constant(t), constant(t)), strict=True
        ),
        "independent of input 0",
    ),
    (
        "hessian bad strategy",
        lambda t: t.autograd.functional.hessian(cube_sum, constant(t), outer_jacobian_strategy="x"),
        "",
    ),
    (
        "vjp strict, unused input",
        lambda t: t.autograd.functional.vjp(
            lambda a, b: a * 2, (constant(t), constant(t)), t.ones(3), strict=True
        ),
        "independent of input 1",
    ),
    (
        "hvp strict, linear",
        lambda t: t.autograd.functional.hvp(
            lambda a: (a * 2).sum(), constant(t), t.ones(3), strict=True
        ),
        "independent of the input",
    ),
]


@pytest.mark.parametrize(
    "scenario, phrase",
    [case[1:] for case in FUNCTIONAL_ERRORS],
    ids=[case[0] for case in FUNCTIONAL_ERRORS],
)
def test_functional_refuses_what_torch_refuses(scenario, phrase):
    same_error(scenario, phrase)


def test_jacobian_with_forward_mode_and_vectorize_gives_the_jacobian():
    def scenario(t):
        return t.autograd.functional.jacobian(
            lambda a: a**2, constant(t), vectorize=True, strategy="forward-mode"
        )

    same(scenario)


# gradgradcheck -----------------------------------------------------------------------------


def detached_square(t):
    """Right first derivative, wrong second: backward treats the input as a constant."""

    class Square(t.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a**2

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return g * 2 * a.detach()

    return Square


def test_gradgradcheck_takes_grad_outputs():
    def scenario(t):
        passes = t.autograd.gradgradcheck(
            lambda x: (x.sin(), x * x), (float64_leaf(t),), (float64_leaf(t), float64_leaf(t))
        )
        fails = t.autograd.gradgradcheck(
            detached_square(t).apply,
            (float64_leaf(t),),
            (float64_leaf(t),),
            raise_exception=False,
        )
        return passes, fails

    assert same(scenario) == (True, False)


def test_deepcopy_copies_a_leafs_grad_and_refuses_a_result_of_ops():
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        x.grad = lib.full((2,), 3.0)
        copied = copy.deepcopy(x)
        assert copied.requires_grad and copied.grad.tolist() == [3.0, 3.0]
        assert copied.grad is not x.grad
        with pytest.raises(RuntimeError):
            copy.deepcopy(x * 2)


@pytest.mark.parametrize("given", ["int64", "float16", "bool", "float64"])
def test_a_roots_gradient_is_cast_to_the_roots_dtype_as_torch_casts_it(given):
    # the autograd.functional pass: a float32 leaf given a float64 gradient got a float64
    # .grad (PyTorch casts every root's gradient to the root's dtype before any node runs)
    def dtypes_seen(library):
        gradient = library.ones(2, dtype=getattr(library, given))
        x = library.ones(2, requires_grad=True)
        x.backward(gradient)
        y = library.ones(2, requires_grad=True)
        z = y * 1
        z.retain_grad()
        z.backward(gradient)
        captured = library.autograd.grad(x, x, gradient)[0]
        return [str(t.dtype).split(".")[1] for t in (x.grad, captured, y.grad, z.grad)]

    assert dtypes_seen(ember) == dtypes_seen(torch)


# Found by the twenty-second day's audits: each case once differed from PyTorch.


def _product(t):
    class Product(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return x * w

        @staticmethod
        def backward(ctx, grad):
            x, w = ctx.saved_tensors
            return grad * w, grad * x

    return Product


def test_a_tensor_given_to_apply_by_keyword_gets_its_gradient():
    def scenario(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        w = t.tensor([3.0, 4.0], requires_grad=True)
        _product(t).apply(x, w=w).sum().backward()
        return x.grad, w.grad

    same(scenario)


@pytest.mark.parametrize("extra", ["a tensor", "None"])
def test_a_custom_backward_with_a_gradient_too_many(extra):
    def scenario(t):
        class Triple(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 3

            @staticmethod
            def backward(ctx, grad):
                return grad * 3, (grad if extra == "a tensor" else None)

        x = t.tensor([1.0, 2.0], requires_grad=True)
        Triple.apply(x).sum().backward()
        return x.grad

    if extra == "None":
        same(scenario)  # let through, as PyTorch lets it
    else:
        same_error(scenario, "incorrect number of gradients")


def test_an_input_marked_non_differentiable_and_returned_as_is():
    def scenario(t):
        class Mark(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.mark_non_differentiable(x)
                return x

            @staticmethod
            def backward(ctx, grad):
                return grad

        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = Mark.apply(x)
        (y * x).sum().backward()
        return y.requires_grad, x.grad

    same(scenario)


def test_save_for_backward_refuses_what_is_not_a_tensor_or_none():
    def scenario(t):
        class Saves(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x, None, 3)
                return x * 1

        Saves.apply(t.ones(2, requires_grad=True))

    same_error(scenario, "save_for_backward can only save variables")


def test_a_child_of_a_custom_function_with_its_own_backward_uses_it():
    def scenario(t):
        class Double(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, grad):
                return grad * 2

        class Hundredfold(Double):
            @staticmethod
            def backward(ctx, grad):
                return grad * 100

        x = t.tensor([1.0, 2.0], requires_grad=True)
        Hundredfold.apply(x).sum().backward()
        return x.grad

    same(scenario)


@pytest.mark.parametrize("by_keyword", [False, True])
def test_a_custom_function_with_setup_context(by_keyword):
    def scenario(t):
        class Scale(t.autograd.Function):
            @staticmethod
            def forward(x, factor):
                return x * factor

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.factor = inputs[1]
                ctx.save_for_backward(inputs[0])

            @staticmethod
            def backward(ctx, grad):
                return grad * ctx.factor, None

        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = Scale.apply(x, factor=3.0) if by_keyword else Scale.apply(x, 3.0)
        y.sum().backward()
        return y.detach(), x.grad, y.grad_fn.name()

    same(scenario)


REQUIRES_GRAD_WRITES = {
    "False on a result": (lambda t: t.ones(2, requires_grad=True) * 2, False, "leaf variables"),
    "True on a result": (lambda t: t.ones(2, requires_grad=True) * 2, True, "leaf variables"),
    "True on integers": (lambda t: t.tensor([1, 2]), True, "floating point"),
    "a number": (lambda t: t.ones(2), 1, "must be a bool"),
}


@pytest.mark.parametrize("case", list(REQUIRES_GRAD_WRITES))
def test_writing_requires_grad_as_an_attribute_is_checked(case):
    make, value, phrase = REQUIRES_GRAD_WRITES[case]

    def scenario(t):
        tensor = make(t)
        tensor.requires_grad = value

    same_error(scenario, phrase)


def test_writing_requires_grad_of_a_leaf_as_an_attribute():
    def scenario(t):
        w = t.ones(2)
        w.requires_grad = True
        (w * 3).sum().backward()
        w.requires_grad = False
        return w.grad, w.requires_grad

    same(scenario)


def test_a_tensor_cannot_be_its_own_grad():
    def scenario(t):
        x = t.ones(2)
        x.grad = x

    same_error(scenario, "as its own grad")


def test_batched_grad_over_no_gradients_is_an_index_error():
    for lib in (torch, ember):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(IndexError):
            lib.autograd.grad(x * 2, [x], lib.zeros(0, 3), is_grads_batched=True)


def test_bmm_is_one_node_named_as_pytorchs():
    def scenario(t):
        a = t.ones(2, 2, 3, requires_grad=True)
        y = t.bmm(a, t.ones(2, 3, 4))
        y.sum().backward()
        return y.grad_fn.name(), a.grad

    same(scenario)


def _gradcheck_of(t, backward_of, **options):
    class DoubledSum(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x * 2).sum()

        @staticmethod
        def backward(ctx, grad):
            return backward_of(t, grad)

    x = t.tensor([1.0, 2.0, 3.0], dtype=t.float64, requires_grad=True)
    return t.autograd.gradcheck(DoubledSum.apply, (x,), raise_exception=False, **options)


CHECKED_BACKWARDS = {
    "right": lambda t, grad: grad * t.full((3,), 2.0, dtype=t.float64),
    "ignoring the gradient it is given": lambda t, grad: t.full((3,), 2.0, dtype=t.float64),
    "giving other values each run": lambda t, grad: (
        grad * t.full((3,), 2.0 + 1e-9 * random.random(), dtype=t.float64)
    ),
}


@pytest.mark.parametrize("case", list(CHECKED_BACKWARDS))
def test_gradcheck_judges_a_custom_backward_as_torch_does(case):
    """The one-hot checks alone passed a backward that ignores its incoming gradient (a
    scalar output's one-hot is the only gradient), and one whose values change from run
    to run: PyTorch checks both."""
    backward = CHECKED_BACKWARDS[case]
    assert _gradcheck_of(ember, backward) == _gradcheck_of(torch, backward) == (case == "right")
