"""The backward pass: Kahn's algorithm over the recorded graph.

The engine, not the ops, does the bookkeeping that every op would otherwise
repeat: it counts how many consumers each node has, runs a node only after all
of them have sent their gradient (so each node runs once, with the full sum),
sums broadcast gradients back to each input's shape, casts them to the input's
dtype, runs hooks, frees saved values unless ``retain_graph``, and
accumulates into the leaves' ``.grad``. No recursion: a graph 100,000 ops deep
is a loop of 100,000 steps.

A leaf's first gradient becomes its ``.grad``. It is copied unless the engine
knows nobody else holds the array: one the engine made itself (a sum of two
gradients, or one summed back to the input's shape or cast to its dtype), or
one made by an op that promises new arrays (``Function.grads_are_new``), with
no hook run on it since. Training loops set ``.grad`` to None every step, so
for a big weight this saves a copy of the weight per step.
"""

import warnings
from heapq import heapify, heappop, heappush

from .. import backend, dtypes
from . import function, grad_mode
from .function import AccumulateGrad, node_of

_grad_state = grad_mode.state


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate into the leaves' ``.grad`` the gradients of ``tensors``.

    With ``inputs``, only into those tensors' ``.grad`` (leaves or not).
    """
    roots, root_grads = _roots_and_grads(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    if type(retain_graph) not in _FLAG_TYPES or type(create_graph) not in _FLAG_TYPES:
        raise _flag_error(retain_graph=retain_graph, create_graph=create_graph)
    if inputs is None:
        run(roots, root_grads, retain_graph, create_graph, capture=None)
        return
    inputs = _tensors_named_as_inputs(inputs, "backward")
    for tensor in inputs:  # in order, as PyTorch: those before one refused keep their grad
        if not tensor._requires_grad:
            raise RuntimeError(
                "can't retain_grad on Tensor that has requires_grad=False: backward()'s inputs "
                "must require grad"
            )
        if tensor.grad_fn is not None:  # a result named as an input keeps its grad, as in PyTorch
            tensor.retain_grad()
    # A leaf's gradient is added as its node runs (a tensor named twice takes it once),
    # a result's by its retain_grad hook.
    capture = {node_of(t): None for t in inputs}
    run(roots, root_grads, retain_graph, create_graph, capture=capture, inputs_run=True)


# What PyTorch's engine takes as its flags (retain_graph None is create_graph's value).
_FLAG_TYPES = (bool, int)


def _flag_error(**flags):
    """The TypeError for the first of ``flags`` that is not a bool."""
    for name, value in flags.items():
        if type(value) not in _FLAG_TYPES:
            return TypeError(f"{name} must be a bool, not {type(value).__name__}")
    raise AssertionError("called with no wrong flag")


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated.

    ``only_inputs`` is ignored, as in PyTorch (False warns). With ``is_grads_batched``,
    each ``grad_outputs`` holds a batch of gradients along its first dim, and each result
    holds the batch of gradients they give (one backward pass per batch entry).
    """
    if allow_unused is not None and type(allow_unused) not in _FLAG_TYPES:
        raise _flag_error(allow_unused=allow_unused)
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "grad() got allow_unused=False with materialize_grads=True: materialized grads "
            "stand in for unused inputs, so leave allow_unused unset or pass True"
        )
    if not only_inputs:
        warnings.warn(
            "grad()'s only_inputs argument is deprecated and ignored (it is always True): "
            "to accumulate gradients into other tensors' .grad, use ember.autograd.backward",
            FutureWarning,
            stacklevel=2,
        )
    inputs = _tensors_named_as_inputs(inputs, "grad")
    if is_grads_batched:
        return _batched_grad(
            outputs,
            inputs,
            grad_outputs,
            retain_graph,
            create_graph,
            allow_unused,
            materialize_grads,
        )
    roots, root_grads = _roots_and_grads(outputs, grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if type(retain_graph) not in _FLAG_TYPES or type(create_graph) not in _FLAG_TYPES:
        raise _flag_error(retain_graph=retain_graph, create_graph=create_graph)
    _check_differentiable(inputs)
    capture = {node_of(t): None for t in inputs}
    run(roots, root_grads, retain_graph, create_graph, capture=capture)
    results = []
    for index, tensor in enumerate(inputs):
        found = capture[node_of(tensor)]
        if found is None:
            if materialize_grads:  # under create_graph, a zero that can be differentiated
                found = tensor.new_zeros(tensor.shape, requires_grad=create_graph)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {index} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
        results.append(found)
    return tuple(results)


def _tensors_named_as_inputs(inputs, caller):
    """The ``inputs`` of ``grad`` or ``backward`` as a tuple of tensors, refusing what
    PyTorch refuses."""
    if isinstance(inputs, function.Tensor):
        return (inputs,)
    try:
        inputs = tuple(inputs)
    except TypeError:
        raise TypeError(
            f"{caller}() takes a Tensor or a sequence of Tensors as inputs, not "
            f"{type(inputs).__name__}"
        ) from None
    if not inputs:
        raise RuntimeError(
            f"{caller}()'s `inputs` cannot be empty: name the tensors to differentiate by"
        )
    for index, tensor in enumerate(inputs):
        if not isinstance(tensor, function.Tensor):
            raise RuntimeError(
                f"all inputs have to be Tensors: input {index} to {caller}() is a "
                f"{type(tensor).__name__}"
            )
    return inputs


def _batched_grad(
    outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, materialize_grads
):
    """``grad`` once per entry of the batched ``grad_outputs``, the results stacked."""
    from ..ops.joining import stack

    batches = _as_tuple(grad_outputs)
    if grad_outputs is None or any(batch is None for batch in batches):
        raise RuntimeError("is_grads_batched=True needs a batched tensor in every grad_outputs")
    for batch in batches:
        if not isinstance(batch, function.Tensor):  # PyTorch's TypeError, not a missing .shape
            raise TypeError(
                f"is_grads_batched=True takes tensors as grad_outputs, not {type(batch).__name__}"
            )
    sizes = {batch.shape[0] if batch.ndim else None for batch in batches}
    if len(sizes) != 1 or None in sizes:
        raise RuntimeError(
            "is_grads_batched=True needs every grad_outputs to have the same batch size along "
            f"dim 0 (got shapes {[tuple(batch.shape) for batch in batches]})"
        )
    (size,) = sizes
    if size == 0:  # PyTorch's vmap over no entries fails as this does
        raise IndexError("is_grads_batched=True with a batch of 0 gradients: nothing to map over")
    per_entry = []
    for entry in range(size):
        keep = True if entry < size - 1 else retain_graph
        per_entry.append(
            grad(
                outputs,
                inputs,
                [batch[entry] for batch in batches],
                retain_graph=keep,
                create_graph=create_graph,
                allow_unused=allow_unused,
                materialize_grads=materialize_grads,
            )
        )
    return tuple(None if entries[0] is None else stack(entries) for entries in zip(*per_entry))


def _check_differentiable(inputs):
    for tensor in inputs:
        if not tensor._requires_grad:
            raise RuntimeError(
                "One of the differentiated Tensors does not require grad (requires_grad=False)"
            )


def run(roots, root_grads, retain_graph, create_graph, capture, inputs_run=False):
    """The backward pass from ``roots``. With ``capture`` (a dict from nodes to None), only
    the nodes on a path to one of them run, and the gradient arriving at each is put in the
    dict instead of into ``.grad``; ``inputs_run``: the captured nodes run too, as
    ``backward(inputs=...)`` runs them."""
    grads = {}
    owned = set()  # nodes whose gathered gradient is an array only this pass holds
    for node, root_grad in zip(roots, root_grads):
        _accumulate(grads, node, root_grad, create_graph)
    dependencies = count_dependencies(grads)
    # The ready nodes run in PyTorch's order: the one made last first, from a heap of
    # (-sequence, order pushed, node). A leaf's node, whose sequence is infinite, runs as
    # soon as it is ready, and leaves made ready together in the order of their edges.
    ready = []
    pushed = 0
    for node in grads:
        if node not in dependencies:
            ready.append((-node.sequence, pushed, node))
            pushed += 1
    if ready[1:]:  # one root is a heap already
        heapify(ready)
    # autograd.grad: run only the nodes on a path to an input; touch no leaf's .grad.
    leads = None if capture is None else nodes_leading_to(grads, capture)
    # PyTorch runs the hooks of a root on no path to an input only when it is the one root.
    root_nodes = set(grads) if capture is not None and len(roots) == 1 else ()
    previous_mode = _grad_state.enabled
    _grad_state.enabled = create_graph
    try:
        while ready:
            node = heappop(ready)[2]
            grad = grads.pop(node, None)
            if leads is not None:
                if inputs_run and type(node) is AccumulateGrad and node in capture:
                    leaf = node.variable_reference()  # backward(inputs=...): as without inputs
                    if leaf is not None:
                        accumulate_into_leaf(leaf, grad, create_graph, node in owned)
                    continue
                if not _runs_for_capture(node, grad, capture, leads, root_nodes, inputs_run):
                    continue
                owned.discard(node)  # a hook may have kept it
            if node.pre_hooks:  # with None too, as in PyTorch, where no gradient reached
                grad = _run_hooks(node.pre_hooks, grad)
                owned.discard(node)  # a hook may have kept it
            if leads is None and type(node) is AccumulateGrad:
                leaf = node.variable_reference()  # None: the leaf was freed; no one reads .grad
                if leaf is not None:
                    accumulate_into_leaf(leaf, grad, create_graph, node in owned)
                continue
            edges = node.edges
            if grad is None:  # a custom backward returned None for what feeds this node
                input_grads = _backward_without_gradient(node)
            else:
                input_grads = node.backward(grad)
                if type(input_grads) is not tuple:
                    input_grads = (input_grads,)
            if not retain_graph:
                node.release()
            grads_are_new = node.grads_are_new
            for edge, input_grad in zip(edges, input_grads):
                if edge is None:
                    continue
                child, shape, dtype = edge
                if input_grad is not None:
                    data = input_grad._data
                    new = grads_are_new and data.base is None  # a view shares its base
                    if data.shape != shape or data.dtype != dtype:
                        input_grad = fit_to_input(input_grad, edge, node)
                        new = True  # a sum or a cast: a new array
                    earlier = grads.get(child)
                    if earlier is None:
                        grads[child] = input_grad
                        if new:
                            owned.add(child)
                    else:
                        if create_graph:
                            grads[child] = earlier + input_grad
                        else:  # a plain sum of two arrays of one shape and dtype: no op needed
                            grads[child] = function.Tensor._make(earlier._data + input_grad._data)
                        owned.add(child)
                left = dependencies[child] - 1
                dependencies[child] = left
                if left == 0:
                    heappush(ready, (-child.sequence, pushed, child))
                    pushed += 1
    finally:
        _grad_state.enabled = previous_mode


def _runs_for_capture(node, grad, capture, leads, root_nodes, inputs_run):
    """Under ``grad`` or ``backward(inputs=...)``: capture the gradient arriving at
    ``node`` if asked for, and say whether the node runs (its pre-hooks, its backward).

    PyTorch's rules: a node on no path to an input does nothing, unless it is the one root
    (``root_nodes``), whose tensor hooks run. A node that runs is captured before any
    hook; one that does not run (a leaf's, or a result's whose inputs lead to no input)
    after its tensor's hooks.
    """
    if node not in leads and node not in root_nodes:
        return False
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf is not None and leaf._hooks:
            grad = _run_hooks(leaf._hooks, grad)
        if node in capture:
            capture[node] = grad
        return False
    wanted = tuple([edge is not None and edge[0] in leads for edge in node.edges])
    runs = any(wanted) or (inputs_run and node in capture)
    if runs:
        if node in capture:
            capture[node] = grad
        if grad is not None and "post_hooks" in node.__dict__:
            # its hooks see None where no input is reached
            node.__dict__["wanted_inputs"] = wanted
        return True
    if node.pre_hooks:
        tensor_hooks = [hook for hook in node.pre_hooks if function.hook_rank(hook) < 2]
        grad = _run_hooks(tensor_hooks, grad)
    if node in capture:
        capture[node] = grad
    return False


def _backward_without_gradient(node):
    """The input gradients of a node that no gradient reached, because a custom backward
    returned None for what feeds it. As in PyTorch, a custom Function's backward still
    runs, on zeros (on None after ``ctx.set_materialize_grads(False)``); other nodes pass
    None on, after their hooks (which see None)."""
    if hasattr(type(node), "backward_with_context"):
        grad = None
        if node.__dict__.get("materialize_grads", True):
            shape, dtype, make = node.output_like
            grad = function.Tensor._make(make(shape, dtype))
        return node.backward(grad)
    if "post_hooks" in node.__dict__:
        return node.backward(None)
    return (None,) * len(node.edges)


def count_dependencies(root_nodes):
    """How many edges point at each node reachable from the roots (iteratively)."""
    dependencies = {}
    stack = list(root_nodes)
    roots = set(stack)
    while stack:
        node = stack.pop()
        for edge in node.edges:
            if edge is None:
                continue
            child = edge[0]
            if child in dependencies:
                dependencies[child] += 1
            else:
                dependencies[child] = 1
                if child not in roots:  # a root is already on the stack
                    stack.append(child)
    return dependencies


def nodes_leading_to(root_nodes, targets):
    """The nodes from which some target can be reached (the targets included).

    An iterative depth-first search: a node is decided after all its children,
    which in a graph without cycles are finished before it is.
    """
    leads = set()
    visited = set()
    stack = [(node, False) for node in root_nodes]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            if node in targets or any(edge is not None and edge[0] in leads for edge in node.edges):
                leads.add(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for edge in node.edges:
            if edge is not None and edge[0] not in visited:
                stack.append((edge[0], False))
    return leads


def fit_to_input(grad, edge, node):
    """Sum a broadcast gradient back to the input's shape and cast it to its dtype.

    A gradient the input's shape does not broadcast to (a custom backward's mistake)
    is refused, with PyTorch's message.
    """
    _, shape, dtype = edge
    if grad._data.shape != shape:
        if not broadcasts_to(shape, grad._data.shape):
            index = [position for position, each in enumerate(node.edges) if each is edge][0]
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(grad._data.shape)} but expected shape compatible with {list(shape)}"
            )
        grad = sum_to_shape(grad, shape)
    if grad._data.dtype != dtype:
        grad = grad.to(dtypes.from_numpy(dtype))
    return grad


def broadcasts_to(shape, target):
    """Whether broadcasting stretches ``shape`` to ``target``."""
    if len(shape) > len(target):
        return False
    trailing = target[len(target) - len(shape) :]
    return all(size == 1 or size == wanted for size, wanted in zip(shape, trailing))


def sum_to_shape(grad, shape):
    """Undo broadcasting: sum over the dims that broadcasting added or stretched."""
    leading = grad._data.ndim - len(shape)
    if leading:  # dims that broadcasting added in front: summed away
        grad = grad.sum(dim=tuple(range(leading)))
    stretched = tuple(
        axis for axis, size in enumerate(shape) if size == 1 and grad._data.shape[axis] != 1
    )
    if stretched:  # size-1 dims that broadcasting stretched: summed back to size 1
        grad = grad.sum(dim=stretched, keepdim=True)
    return grad


def accumulate_into_leaf(tensor, grad, create_graph, owned):
    """Run the leaf's hooks on ``grad``, then add it into ``.grad``. With None (no gradient
    reached the leaf), as in PyTorch, the hooks see None and nothing is added."""
    extras = tensor._extras  # hooks live here; most leaves have none
    if extras is not None and extras.hooks:
        grad = _run_hooks(extras.hooks, grad)
        owned = False  # a hook may have kept it
    if tensor._requires_grad and grad is not None:
        add_to_grad(tensor, grad, create_graph, owned)
    elif extras is not None and extras.post_accumulate_hooks:
        # detach_() or requires_grad_(False) since the graph was made: PyTorch adds nothing
        # into .grad, yet runs these hooks
        _run_post_accumulate_hooks(extras.post_accumulate_hooks, tensor)


def add_to_grad(tensor, grad, create_graph, owned=False):
    """Add ``grad`` into ``tensor.grad``; ``owned``: nobody else holds its array."""
    held = tensor._grad
    if held is None:
        # Else copy: the same gradient may reach several leaves (x + y), or be the user's.
        if owned:
            tensor._grad = grad
        elif create_graph:
            tensor._grad = grad.clone()  # a recorded copy: the grad's own graph stays
        else:
            tensor._grad = function.Tensor._make(grad._data.copy())
    elif create_graph:
        tensor._grad = held + grad
    else:  # in place, as PyTorch adds (a .grad made with create_graph keeps its history)
        try:
            held._data += grad._data
        except ValueError:  # x.data = a tensor of another shape since .grad was made
            raise RuntimeError(
                f"the gradient of shape {list(grad.shape)} cannot be added into .grad of "
                f"shape {list(held.shape)}: the tensor's shape changed since (x.data = ...); "
                "set x.grad = None first"
            ) from None
        held._counter().value += 1  # a graph that saved the old .grad must see the change
    extras = tensor._extras
    if extras is not None and extras.post_accumulate_hooks:
        _run_post_accumulate_hooks(extras.post_accumulate_hooks, tensor)


def _run_post_accumulate_hooks(hooks, tensor):
    """Hooks that see the leaf once its ``.grad`` is updated; they change it in place, if
    at all, so one that returns a value is a mistake, refused as PyTorch refuses it."""
    for hook in list(hooks):
        returned = hook(tensor)
        if returned is None or returned is tensor:  # the leaf itself (p.add_(1)): PyTorch's too
            continue
        name = getattr(hook, "__name__", type(hook).__name__)
        if isinstance(returned, function.Tensor):
            raise RuntimeError(
                f"post accumulate grad hook '{name}' returned a Tensor: these hooks should "
                "return None (change tensor.grad in place instead)"
            )
        raise TypeError(
            f"post accumulate grad hook '{name}' returned a {type(returned).__name__}; "
            "these hooks should return None"
        )


def _accumulate(grads, node, grad, create_graph):
    """Gather the gradient given for a root; a sum records a graph under create_graph only."""
    if node not in grads:
        grads[node] = grad
    elif create_graph:
        grads[node] = grads[node] + grad
    else:
        grads[node] = function.Tensor._make(grads[node]._data + grad._data)


def _run_hooks(hooks, grad):
    for hook in list(hooks):
        changed = hook(grad)
        if changed is not None:
            _check_hook_result(hook, grad, changed)
            grad = changed
    return grad


def _check_hook_result(hook, grad, changed):
    """A hook may change a gradient's values, not what it is (type, shape, dtype)."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if grad is None:  # no gradient reached here (a custom backward returned None)
        raise RuntimeError(
            f"hook '{name}' returned a value where no gradient arrived: can't replace a "
            "None gradient with a non-None value"
        )
    if not isinstance(changed, function.Tensor):
        raise TypeError(
            f"hook '{name}' returned a {type(changed).__name__}; a gradient hook returns a "
            "Tensor or None"
        )
    if changed._data.shape != grad._data.shape:
        raise RuntimeError(
            f"hook '{name}' has changed the size of value: it got a gradient of shape "
            f"{tuple(grad.shape)} and returned one of shape {tuple(changed.shape)}"
        )
    if changed._data.dtype != grad._data.dtype:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value: it got a {grad.dtype} gradient and "
            f"returned a {changed.dtype} one"
        )


def _as_tuple(values):
    if isinstance(values, (tuple, list)):
        return tuple(values)
    return (values,)


def _roots_and_grads(tensors, grad_tensors):
    if grad_tensors is None and isinstance(tensors, function.Tensor) and tensors.grad_fn:
        node = tensors.grad_fn  # plain loss.backward()
        if node.view_of is not None:  # a view, whose base may have changed in place since
            node = node_of(tensors)
        return (node,), (_root_grad(tensors, None),)
    tensors = _as_tuple(tensors)
    for tensor in tensors:
        if not isinstance(tensor, function.Tensor):
            raise TypeError(f"only tensors can be differentiated, not {type(tensor).__name__}")
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    else:
        grad_tensors = _as_tuple(grad_tensors)
    # The gradients are checked in order, then their count, then the outputs'
    # requires_grad, as PyTorch does: the first mistake names the exception.
    root_grads = [
        _root_grad(tensor, given, index)
        for index, (tensor, given) in enumerate(zip(tensors, grad_tensors))
    ]
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(
            f"got {len(grad_tensors)} gradients for {len(tensors)} tensors; pass one each"
        )
    roots = []
    for index, tensor in enumerate(tensors):
        if not tensor._requires_grad:
            raise RuntimeError(
                f"element {index} of tensors does not require grad and does not have a grad_fn"
            )
        roots.append(node_of(tensor))
    return roots, root_grads


def _root_grad(tensor, given, index=0):
    if given is not None and not isinstance(given, function.Tensor):
        # Refused, as in PyTorch: ``loss.backward(2.0)`` reads as a mistake for
        # ``loss.backward(torch.tensor(2.0))``.
        raise TypeError(
            f"each gradient given must be a Tensor or None, not a {type(given).__name__}: "
            "pass it as a tensor of the output's shape"
        )
    if given is None:
        if not tensor._requires_grad:
            return None  # refused next, for not requiring grad
        if tensor._data.size != 1:
            raise RuntimeError(
                "grad can be implicitly created only for scalar outputs "
                f"(this output has shape {tuple(tensor.shape)}; pass gradient=... "
                "or call .sum() first)"
            )
        data = tensor._data
        ones = backend.namespace_of(data).empty(data.shape, data.dtype)
        ones.fill(1)  # empty + fill: no Python-level NumPy helper on this per-step path
        return tensor._make(ones)
    if given._data.shape != tensor._data.shape:  # the arrays' tuples: no Size made
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{index}] has a shape of {tuple(given.shape)} and "
            f"output[{index}] has a shape of {tuple(tensor.shape)}."
        )
    if type(given._data) is not type(tensor._data):
        raise RuntimeError(
            f"invalid gradient - expected device {tensor.device} but got {given.device} "
            "(move the gradient with .to(output.device))"
        )
    if given._data.dtype != tensor._data.dtype:  # PyTorch casts each root's gradient first
        return given.to(tensor.dtype)
    return given
