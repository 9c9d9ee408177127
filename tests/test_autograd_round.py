"""The autograd API against PyTorch 2.13, a round over its edges: backward's and grad's
arguments, the ``.grad`` and ``requires_grad`` state, hooks on tensors and on nodes, grad
modes on generators, and custom Functions.

Each ``scenario(t)`` runs with ``t = torch`` and ``t = ember`` (see ``test_autograd.same``):
the results agree, or both raise the same exception type with the same key phrase.
"""

import warnings

import pytest
from test_autograd import same, same_error

import ember


def leaf(t, values=(1.0, 2.0, 3.0), dtype=None):
    return t.tensor(list(values), requires_grad=True, dtype=dtype)


def square(t, values=(1.0, 2.0, 3.0)):
    x = leaf(t, values)
    return x, (x * x).sum()


def same_warning(scenario, category):
    """Both libraries warn with ``category``, from the line that called them."""
    records = {}
    for library in ("torch", "ember"):
        module = __import__(library)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scenario(module)
        records[library] = [w for w in caught if issubclass(w.category, category)]
    assert len(records["ember"]) == len(records["torch"]) == 1
    assert records["ember"][0].filename == __file__


def custom_function(t, forward, backward, name="Custom"):
    methods = {"forward": staticmethod(forward), "backward": staticmethod(backward)}
    return type(name, (t.autograd.Function,), methods)


# backward: its arguments, retain_graph, inputs -----------------------------------------------


@pytest.mark.parametrize(
    "inputs, phrase",
    [(lambda x: [x, "a"], "inputs have to be Tensors"), (lambda x: 3, "")],
    ids=["holds-a-string", "not-iterable"],
)
def test_backward_inputs_must_be_tensors(inputs, phrase):
    def scenario(t):
        x, y = square(t)
        y.backward(inputs=inputs(x))

    same_error(scenario, phrase)


def gradient_of_another_dtype(t):
    x = leaf(t)
    (x * 2).backward(t.ones(3, dtype=t.float64))
    return x.grad


def gradient_that_requires_grad(t):
    x = leaf(t)
    (x * x).backward(t.ones(3, requires_grad=True))
    return x.grad, x.grad.requires_grad


def retained_twice_then_freed(t):
    x, y = square(t)
    y.backward(retain_graph=True)
    y.backward()
    y.backward()


def inputs_outside_the_graph(t):
    x, y = square(t)
    unused = leaf(t)
    y.backward(inputs=[unused])
    return x.grad, unused.grad


def accumulated_over_three_passes(t):
    x = leaf(t)
    for _ in range(3):
        (x * x).sum().backward()
    return x.grad


def create_graph_grad_has_history(t):
    x = leaf(t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's reference-cycle warning (see differences.md)
        (x**3).sum().backward(create_graph=True)
    grad = x.grad
    return grad, grad.requires_grad, grad.is_leaf, grad.grad_fn is not None


@pytest.mark.parametrize(
    "scenario",
    [
        gradient_of_another_dtype,
        gradient_that_requires_grad,
        inputs_outside_the_graph,
        accumulated_over_three_passes,
        create_graph_grad_has_history,
    ],
)
def test_backward_cases_that_agree(scenario):
    same(scenario)


def test_backward_through_a_graph_freed_by_the_last_of_its_passes():
    same_error(retained_twice_then_freed, "retain_graph=True")


# autograd.grad ---------------------------------------------------------------------------------


def test_materialized_grads_can_be_differentiated_under_create_graph():
    def scenario(t):
        x, y = square(t)
        unused = leaf(t)
        grads = t.autograd.grad(y, [x, unused], materialize_grads=True, create_graph=True)
        return grads, [(g.requires_grad, g.is_leaf) for g in grads]

    same(scenario)


def test_materialized_grads_need_no_grad_without_create_graph():
    def scenario(t):
        x, y = square(t)
        unused = leaf(t)
        return t.autograd.grad(y, [x, unused], materialize_grads=True)[1].requires_grad

    assert same(scenario) is False


def test_grad_warns_that_only_inputs_false_is_ignored():
    def scenario(t):
        x, y = square(t)
        t.autograd.grad(y, x, only_inputs=False)

    same_warning(scenario, FutureWarning)


def test_grad_is_silent_about_only_inputs_true():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, y = square(ember)
        ember.autograd.grad(y, x, only_inputs=True)


def grad_outputs_with_a_none(t):
    x = leaf(t)
    return t.autograd.grad([(x * x).sum(), (x * 2).sum()], x, grad_outputs=[None, t.tensor(3.0)])


def grad_retains_the_graph_under_create_graph(t):
    x = leaf(t)
    y = (x**3).sum()
    t.autograd.grad(y, x, create_graph=True)
    return t.autograd.grad(y, x)


def grad_through_a_non_leaf_input(t):
    x = leaf(t)
    h = x * 2
    return t.autograd.grad((h * h).sum(), h), x.grad


def grad_batched(t):
    x = leaf(t)
    return t.autograd.grad(x * x, x, t.eye(3), is_grads_batched=True)


@pytest.mark.parametrize(
    "scenario",
    [
        grad_outputs_with_a_none,
        grad_retains_the_graph_under_create_graph,
        grad_through_a_non_leaf_input,
        grad_batched,
    ],
)
def test_grad_cases_that_agree(scenario):
    same(scenario)


@pytest.mark.parametrize(
    "grad_outputs, phrase",
    [(2.0, ""), ([2.0], "")],
    ids=["number", "list-of-number"],
)
def test_grad_refuses_numbers_as_grad_outputs(grad_outputs, phrase):
    def scenario(t):
        x, y = square(t)
        t.autograd.grad(y, x, grad_outputs=grad_outputs)

    same_error(scenario, phrase)


# .grad, requires_grad, retain_grad -------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [lambda t: t.ones(3), lambda t: no_grad_result(t)],
    ids=["constant", "made-under-no_grad"],
)
def test_retain_grad_on_a_tensor_without_grad_is_refused(make):
    same_error(lambda t: make(t).retain_grad(), "can't retain_grad on Tensor")


def no_grad_result(t):
    x = leaf(t)
    with t.no_grad():
        return x * 2


def test_retain_grad_on_a_leaf_and_twice_on_a_result():
    def scenario(t):
        x = leaf(t)
        x.retain_grad()
        h = x * 2
        h.retain_grad()
        h.retain_grad()
        (h * h).sum().backward()
        return x.grad, h.grad, x.retains_grad, h.retains_grad

    same(scenario)


@pytest.mark.parametrize("value", [1, 0, None, 1.0, "yes"])
def test_requires_grad_method_takes_only_a_bool(value):
    same_error(lambda t: t.ones(2).requires_grad_(value), "")


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.nn.Linear(2, 2).requires_grad_(1),
        lambda t: t.nn.Parameter(t.ones(2), requires_grad=1),
    ],
    ids=["module", "parameter"],
)
def test_modules_and_parameters_take_only_a_bool_too(make):
    same_error(make, "")


def test_is_leaf_and_requires_grad_of_every_kind_of_tensor():
    def scenario(t):
        x = leaf(t)
        constant = t.ones(3)
        made = [
            t.zeros(2, requires_grad=True),
            t.full((2,), 3.0, requires_grad=True),
            x * 2,
            constant * 2,
            no_grad_result(t),
            x.detach(),
            x[0],
            x.clone(),
            (x * 2).detach().requires_grad_(),
            t.nn.Parameter(t.ones(2)),
            t.nn.Parameter(x * 2),
            t.nn.Linear(2, 2).weight,
        ]
        return [(each.is_leaf, each.requires_grad, each.grad_fn is None) for each in made]

    same(scenario)


def test_accumulate_grad_nodes_point_at_their_leaf():
    def scenario(t):
        x, w = leaf(t), leaf(t)
        y = x * w + x
        add_inputs = y.grad_fn.next_functions
        mul_inputs = add_inputs[0][0].next_functions
        accumulator = mul_inputs[0][0]
        return (
            [index for _, index in add_inputs + mul_inputs],
            accumulator.variable is x,
            mul_inputs[1][0].variable is w,
            accumulator.next_functions,
            (x * 3).grad_fn.next_functions[0][0] is accumulator,
        )

    same(scenario)


# hooks on tensors -------------------------------------------------------------------------------


def test_post_accumulate_grad_hook_needs_a_tensor_that_requires_grad():
    same_error(
        lambda t: t.ones(3).register_post_accumulate_grad_hook(lambda p: None),
        "doesn't require gradient",
    )


@pytest.mark.parametrize(
    "returned, phrase",
    [(lambda p: p * 100, "should return None"), (lambda p: 5, "")],
    ids=["tensor", "number"],
)
def test_post_accumulate_grad_hook_must_return_none(returned, phrase):
    kept = {}

    def scenario(t):
        x, y = square(t)
        kept[t.__name__] = x
        x.register_post_accumulate_grad_hook(returned)
        y.backward()

    same_error(scenario, phrase)
    assert kept["ember"].grad.tolist() == kept["torch"].grad.tolist()  # accumulated first


def test_tensor_hooks_run_in_order_and_a_leaf_hook_changes_what_accumulates():
    def scenario(t):
        x = leaf(t)
        order = []
        x.register_hook(lambda g: order.append("double") or g * 2)
        x.register_hook(lambda g: order.append("look"))
        x.register_post_accumulate_grad_hook(lambda p: order.append(p.grad.tolist()))
        removed = x.register_hook(lambda g: g * 0)
        removed.remove()
        (x * x).sum().backward()
        return x.grad, order

    same(scenario)


# hooks on nodes ---------------------------------------------------------------------------------


def test_a_node_hook_sees_and_may_replace_the_input_gradients():
    def scenario(t):
        x, w = leaf(t), leaf(t, (4.0, 5.0, 6.0))
        y = x * w
        seen = []

        def scale_first(grad_inputs, grad_outputs):
            seen.append((grad_inputs, grad_outputs))
            return grad_inputs[0] * 10, grad_inputs[1]

        y.grad_fn.register_hook(scale_first)
        y.sum().backward()
        return x.grad, w.grad, seen

    same(scenario)


def test_a_removed_node_hook_no_longer_runs():
    def scenario(t):
        x = leaf(t)
        y = x * leaf(t)
        handle = y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (None, None))
        handle.remove()
        y.sum().backward()
        return x.grad

    same(scenario)


@pytest.mark.parametrize(
    "hook, phrase",
    [
        (lambda grad_inputs, grad_outputs: grad_inputs[:1], "incorrect number of values"),
        (lambda grad_inputs, grad_outputs: 3, ""),
    ],
    ids=["too-few", "not-a-tuple"],
)
def test_a_node_hook_returns_a_tuple_of_one_gradient_per_input(hook, phrase):
    def scenario(t):
        y = leaf(t) * leaf(t)
        y.grad_fn.register_hook(hook)
        y.sum().backward()

    same_error(scenario, phrase)


# grad modes ---------------------------------------------------------------------------------------


def test_a_decorated_generator_catches_a_thrown_exception_in_the_mode():
    def scenario(t):
        @t.no_grad()
        def generate():
            try:
                yield t.is_grad_enabled()
            except ValueError:
                yield "caught", t.is_grad_enabled()

        steps = generate()
        first = next(steps)
        return first, steps.throw(ValueError("stop")), t.is_grad_enabled()

    same(scenario)


def test_a_decorated_generator_closes_in_the_mode():
    def scenario(t):
        seen = []

        @t.no_grad()
        def generate():
            try:
                yield 1
            finally:
                seen.append(t.is_grad_enabled())

        steps = generate()
        next(steps)
        steps.close()
        return seen, t.is_grad_enabled()

    same(scenario)


def test_a_decorated_generator_passes_on_what_it_does_not_catch():
    def scenario(t):
        @t.no_grad()
        def generate():
            yield 1
            yield 2

        steps = generate()
        next(steps)
        with pytest.raises(KeyError):
            steps.throw(KeyError("k"))
        return t.is_grad_enabled(), list(steps)

    same(scenario)


def test_set_grad_enabled_made_earlier_sets_its_mode_when_entered():
    def scenario(t):
        disable = t.set_grad_enabled(False)
        t.set_grad_enabled(True)
        with disable:
            inside = t.is_grad_enabled()
        return inside, t.is_grad_enabled()

    assert same(scenario) == (False, True)


def test_grad_modes_nest_and_recover_from_exceptions():
    def scenario(t):
        seen = []
        with t.no_grad():
            with t.set_grad_enabled(True):
                seen.append(t.is_grad_enabled())
            try:
                with t.enable_grad():
                    raise KeyError
            except KeyError:
                seen.append(t.is_grad_enabled())
            with t.inference_mode():
                seen.append((t.is_grad_enabled(), t.is_inference_mode_enabled()))
        seen.append((t.is_grad_enabled(), t.is_inference_mode_enabled()))
        return seen

    same(scenario)


# custom Functions and gradcheck ---------------------------------------------------------------


def test_a_custom_function_with_saved_outputs_none_and_needs_input_grad():
    def scenario(t):
        needs = []

        def forward(ctx, x, y, scale):
            out = (x * y * scale).exp()
            ctx.save_for_backward(x, out, None)
            needs.append(ctx.needs_input_grad)
            return out

        def backward(ctx, grad):
            x, out, nothing = ctx.saved_tensors
            needs.append((ctx.needs_input_grad, nothing is None))
            return None, grad * out * x * 2.0, None

        x, y = t.ones(3), leaf(t)
        custom_function(t, forward, backward).apply(x, y, 2.0).sum().backward()
        return y.grad, needs

    same(scenario)


def test_gradcheck_and_gradgradcheck_return_false_without_raising():
    def scenario(t):
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x.detach() ** 2  # detached: the second derivative is lost

        cube = custom_function(t, forward, backward)
        x = t.tensor([1.0, 2.0], dtype=t.float64, requires_grad=True)
        return (
            t.autograd.gradcheck(cube.apply, (x,)),
            t.autograd.gradgradcheck(cube.apply, (x,), raise_exception=False),
        )

    assert same(scenario) == (True, False)
