"""A node of the computation graph: one op, its forward and its backward.

An op subclasses ``Function`` and writes two methods side by side:
``forward(self, *arrays, **options)`` computes on raw arrays and keeps on
``self`` whatever non-tensor facts backward needs (a shape, a mask, indices);
``backward(self, grad)`` takes the gradient of the output as a Tensor and
returns one gradient per input, written in ember's own tensor ops so that
``create_graph=True`` records the backward pass too.

An op that needs its inputs or its output in backward says so with
``saves_inputs`` / ``saves_output``; they are saved only when a graph is
recorded, and their version counters are checked before backward reads them.
Broadcasting, accumulation, dtype casts and graph freeing are the engine's job.

PyTorch's own style also works for custom functions: ``forward(ctx, *tensors)``
and ``backward(ctx, grad)`` as static methods, with ``ctx.save_for_backward``,
``ctx.saved_tensors`` and ``ctx.needs_input_grad``; the node itself is ``ctx``.

A view op (``is_view``) also notes, on its node, the base tensor it looks into
and the steps that took the view, so that an in-place write through the view
can give the base its new history, and a view whose storage was changed in
place since can take its history afresh from the base (``refresh_view``). A view
that records no node (its input needs no gradient) keeps what it was taken from
on the tensor instead (``_view_source``), so that a write through it of a value
that needs a gradient gives the base that history too, as in PyTorch.
"""

import functools
import inspect
import math
import weakref

from .. import backend
from . import grad_mode

RELEASED = object()  # what saved values become after backward frees them
NOT_SAVED = (None, None)  # an input no gradient reads: ``inputs`` gives None for it

_grad_state = grad_mode.state
_nodes_made = [0]  # how many nodes were recorded: each node's ``sequence``
Tensor = None  # set by ember.tensor once the class exists (import cycle)


class Function:
    __slots__ = (
        "edges",
        "saved_inputs",
        "saved_output",
        "pre_hooks",
        "__dict__",
        "__weakref__",
    )

    saves_inputs = False
    saves_output = False
    is_view = False  # output shares the input's memory and version counter
    # A view whose elements may lie outside its input's (as_strided reads the whole storage):
    # a write through it, taken from another view, is beyond what CopySlices follows.
    view_stays_within_input = True
    # True where every gradient backward returns is an array it has just made, kept by
    # nothing else: a leaf can then take it as its .grad without a copy (see the engine).
    grads_are_new = False
    # With saves_inputs, an op may save only the inputs that the gradients to be taken will
    # read (see save_each_for_the_other): changing another in place later is then no error,
    # as in PyTorch. None: save every input.
    save_read_inputs = None
    view_of = None  # on a recorded view: (the base, steps from base to view)
    # The positions of the inputs that PyTorch's node lists in ``next_functions``: its
    # tensors, and the numbers its arithmetic takes as tensors (``x * 2``), but not the
    # options (dims, keepdim) that ember passes beside them. None: every input. An op whose
    # listing depends on its operands sets it on the node in ``forward``.
    listed_inputs = None
    # The order nodes are made in: the engine runs the one made last first, as PyTorch's.
    sequence = 0

    @classmethod
    def apply(cls, *inputs, **options):
        node = cls()
        arrays = []
        record = False
        for value in inputs:
            if isinstance(value, Tensor):
                arrays.append(value._data)
                if value._requires_grad:
                    record = True
            else:
                arrays.append(value)
        output = Tensor._make(node.forward(*arrays, **options))
        if node.is_view:
            output._version_counter = inputs[0]._counter()
            if not record and _grad_state.enabled:  # a later write through it reaches the base
                output._view_source = (cls, inputs, options)
        if record and _grad_state.enabled:
            node.attach(inputs, output)
            if node.is_view:
                node.remember_view(inputs, options, output)
        return output

    def attach(self, inputs, output):
        """Record this node as the creator of ``output``."""
        self.edges = tuple(map(edge_to, inputs))
        self.pre_hooks = None
        self.sequence = _nodes_made[0] = _nodes_made[0] + 1
        if self.saves_inputs:
            if None not in self.edges or self.save_read_inputs is None:
                self.saved_inputs = tuple(map(save, inputs))
            else:  # some input takes no gradient: what only its gradient reads is not kept
                self.saved_inputs = self.save_read_inputs(inputs)
        if self.saves_output:
            self.saved_output = (
                output._data,
                output._counter(),
                output._counter().value,
            )
        output.grad_fn = self
        output._requires_grad = True

    def remember_view(self, inputs, options, output):
        """Note the base this view looks into and how to take the view again."""
        step = (type(self), inputs[1:], options)
        parent_view = inputs[0].grad_fn.view_of if inputs[0].grad_fn is not None else None
        if parent_view is None:
            self.view_of = (inputs[0], (step,))
        else:
            self.view_of = (parent_view[0], parent_view[1] + (step,))
        self.view_version = output._counter().value

    # PyTorch-style custom functions (static forward(ctx, ...) / backward(ctx, grad)) --

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # PyTorch also takes the backward under its other name, vjp.
        writes_backward = "backward" in cls.__dict__ or "vjp" in cls.__dict__
        inherits_custom = getattr(cls.apply, "__func__", None) is _apply_with_context
        if isinstance(cls.__dict__.get("forward"), staticmethod) or (
            inherits_custom and writes_backward  # a custom Function's child with a new backward
        ):
            cls.apply = classmethod(_apply_with_context)
            written = cls.__dict__.get("backward", cls.__dict__.get("vjp"))
            if written is None:  # inherited from a parent custom Function, or missing
                written = getattr(cls, "backward_with_context", _missing_backward)
            cls.backward_with_context = written
            cls.backward = _backward_with_context
            cls.saves_inputs = True  # so that release() frees what save_for_backward kept
            cls.name = _name_with_context

    def save_for_backward(self, *tensors):
        for position, value in enumerate(tensors):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{position} is of type {type(value).__name__}; keep other values as "
                    "attributes of ctx"
                )
        self.saved_inputs = tuple([save(value) for value in tensors])

    @property
    def saved_tensors(self):
        return self.inputs

    def mark_non_differentiable(self, *tensors):
        for value in tensors:
            if not isinstance(value, Tensor):
                raise RuntimeError(
                    f"mark_non_differentiable only accepts tensors, but got {type(value).__name__}"
                )
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        """With False, backward gets None (not zeros) where no gradient reached the output."""
        if not isinstance(value, bool):  # PyTorch's parser takes only a bool
            raise TypeError(f"set_materialize_grads() takes a bool, not {type(value).__name__}")
        self.materialize_grads = value

    # What backward reads ------------------------------------------------------

    @property
    def inputs(self):
        """The inputs as they were at forward time (Tensors keep their history)."""
        saved = self.saved_inputs
        if saved is RELEASED:
            raise_released(self)
        values = []
        for value, version in saved:
            if version is not None:
                check_version(value._counter(), version, value._data, self)
            values.append(value)
        return tuple(values)

    @property
    def output(self):
        saved = self.saved_output
        if saved is RELEASED:
            raise_released(self)
        data, counter, version = saved
        check_version(counter, version, data, self)
        result = Tensor._make(data)
        result.grad_fn = self
        result._requires_grad = True
        return result

    def needs_input_grad(self, index):
        return self.edges[index] is not None

    def release(self):
        """Free what was saved for backward (after a pass without retain_graph)."""
        if self.saves_inputs:
            self.saved_inputs = RELEASED
        if self.saves_output:
            self.saved_output = RELEASED

    # What a person sees -------------------------------------------------------

    def name(self):
        return type(self).__name__ + "Backward0"

    @property
    def metadata(self):
        """A dict for the user's own notes about this node (empty until they write one)."""
        notes = self.__dict__.get("_metadata")
        if notes is None:
            notes = self.__dict__["_metadata"] = {}
        return notes

    @property
    def next_functions(self):
        edges = self.edges
        if self.listed_inputs is not None:
            edges = [edges[position] for position in self.listed_inputs]
        return tuple([(edge[0], 0) if edge else (None, 0) for edge in edges])

    def register_prehook(self, hook):
        """PyTorch's node pre-hook: ``hook(grad_outputs)`` gets a tuple of the one gradient
        arriving here and may return a tuple to use instead."""

        def on_grad(grad):
            changed = hook((grad,))
            if changed is None:
                return None
            if not isinstance(changed, tuple):
                raise TypeError(
                    f"a node's pre-hook must return None or a tuple, not {type(changed).__name__}"
                )
            if len(changed) != 1:
                raise RuntimeError(
                    f"a node's pre-hook returned {len(changed)} gradients; this node takes 1"
                )
            return changed[0]

        on_grad.is_node_hook = True
        return self.add_grad_hook(on_grad)

    def register_hook(self, hook):
        """PyTorch's node hook: ``hook(grad_inputs, grad_outputs)`` runs after this node's
        backward, with the tuple of gradients it computed for its inputs and the tuple of
        the one gradient it received; it may return a tuple to use instead.

        The node's ``backward`` is wrapped on this node alone, so that nodes without
        hooks (all of them, in plain training) pay nothing."""
        hooks = self.__dict__.get("post_hooks")
        if hooks is None:
            hooks = self.__dict__["post_hooks"] = []
            self.backward = _backward_then_hooks(self, self.backward, hooks)
            # a hook may keep the gradients, or return one twice or its own: the engine
            # copies them into a leaf's .grad, as it does any gradient not made for it
            self.grads_are_new = False
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def add_grad_hook(self, hook):
        """``hook(grad)`` on the gradient arriving here (what a non-leaf's hooks are).

        They run in PyTorch's order: the tensor's hooks, then retain_grad's (which keeps
        what they made), then the node's pre-hooks, each kind in the order registered."""
        hooks = self.pre_hooks
        if hooks is None:
            hooks = self.pre_hooks = []
        rank = hook_rank(hook)
        position = len(hooks)
        while position and hook_rank(hooks[position - 1]) > rank:
            position -= 1
        hooks.insert(position, hook)
        return RemovableHandle(hooks, hook)

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"

    def __call__(self, grad):
        return self.backward(grad)


def _keeps_grad_of(hook):
    """The tensor whose .grad a retain_grad() hook keeps; None for another hook."""
    tensor_ref = getattr(hook, "keeps_grad", None)
    return tensor_ref() if tensor_ref is not None else None


def hook_rank(hook):
    """Where a hook on the gradient arriving at a node runs: 0 a tensor's hook, 1
    retain_grad's, 2 a node pre-hook."""
    if getattr(hook, "is_node_hook", False):
        return 2
    return 1 if getattr(hook, "keeps_grad", False) else 0


def _backward_then_hooks(node, backward, hooks):
    """``backward`` followed by the node hooks, each of which may replace its result.

    The hooks see the gradients as PyTorch's do: summed back to each input's shape, one per
    input that ``next_functions`` lists, None for an input without grad and, under
    ``autograd.grad``, for one on no path to the inputs asked for (the engine notes which
    are on the node). A custom node's hooks see what its backward returned."""

    custom = hasattr(type(node), "backward_with_context")

    def backward_then_hooks(grad):
        wanted = node.__dict__.pop("wanted_inputs", None)
        if grad is None and not custom:
            grads = (None,) * len(node.edges)  # no gradient reached a built-in node
        else:
            grads = backward(grad)
        grads = grads if type(grads) is tuple else (grads,)
        # A built-in node computes only the gradients wanted; a custom backward returns
        # what it returns, and its hooks see that.
        if wanted is not None and not custom:
            grads = tuple(
                [
                    None if position < len(wanted) and not wanted[position] else each
                    for position, each in enumerate(grads)
                ]
            )
        grads = _fitted_to_inputs(node, grads, custom)
        listed = node.listed_inputs  # the hooks see what next_functions lists, as PyTorch's
        shown = grads if listed is None else tuple([grads[position] for position in listed])
        for hook in list(hooks):
            changed = hook(shown, (grad,))
            if changed is not None:
                shown = _checked_hook_grads(hook, shown, changed)
        if listed is None:
            return shown
        grads = list(grads)
        for position, each in zip(listed, shown):
            grads[position] = each
        return tuple(grads)

    return backward_then_hooks


def _fitted_to_inputs(node, grads, custom):
    """The gradients summed back to their inputs' shapes and cast to their dtypes, as the
    engine would, and (but from a custom backward) None for inputs that take none:
    PyTorch's node hooks see them so."""
    from .engine import fit_to_input  # the engine imports this module

    fitted = list(grads)
    for position, (edge, grad) in enumerate(zip(node.edges, grads)):
        if edge is None:
            if not custom:
                fitted[position] = None
            continue
        if not isinstance(grad, Tensor):
            continue
        if grad._data.shape != edge[1] or grad._data.dtype != edge[2]:
            fitted[position] = fit_to_input(grad, edge, node)
    return tuple(fitted)


def _checked_hook_grads(hook, grads, changed):
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(changed, tuple):
        raise TypeError(
            f"node hook '{name}' returned a {type(changed).__name__}; it should return a "
            "tuple of gradients (one per input) or None"
        )
    if len(changed) != len(grads):
        raise RuntimeError(
            f"hook '{name}' has returned an incorrect number of values (got {len(changed)}, "
            f"but expected {len(grads)}): one gradient (or None) per input of the node"
        )
    return changed


def _apply_with_context(cls, *inputs, **options):
    """``apply`` for a PyTorch-style Function: forward on tensors (no graph), one node."""
    ctx = cls()
    ctx.saved_inputs = ()
    with_setup = getattr(cls, "setup_context", None) is not None  # forward takes no ctx
    if options:  # a tensor given by keyword is an input as any other, as in PyTorch
        leading = () if with_setup else (ctx,)
        bound = inspect.signature(cls.forward).bind(*leading, *inputs, **options)
        inputs, options = bound.args[len(leading) :], bound.kwargs
    ctx.needs_input_grad = tuple(
        [isinstance(value, Tensor) and value._requires_grad for value in inputs]
    )
    previous = _grad_state.enabled
    _grad_state.enabled = False
    try:
        if with_setup:
            output = cls.forward(*inputs, **options)
            cls.setup_context(ctx, inputs, output)
        else:
            output = cls.forward(ctx, *inputs, **options)
    finally:
        _grad_state.enabled = previous
    if not isinstance(output, Tensor):
        raise TypeError(
            f"{cls.__name__}.forward must return one Tensor in ember (got {type(output).__name__})"
        )
    # An integer or bool output has no gradient: PyTorch leaves it out of the graph.
    differentiable = output._data.dtype.kind in "fc" and not any(
        output is value for value in getattr(ctx, "non_differentiable", ())
    )
    if any(output is value for value in inputs):  # an input returned as it is: an alias
        alias = Tensor._make(output._data)
        alias._version_counter = output._counter()
        output = alias
    if previous and differentiable and any(ctx.needs_input_grad):
        ctx.edges = tuple([edge_to(value) for value in inputs])
        ctx.tensor_inputs = tuple([isinstance(value, Tensor) for value in inputs])
        ctx.pre_hooks = None
        ctx.sequence = _nodes_made[0] = _nodes_made[0] + 1
        # to hand backward zeros where no gradient reaches the output
        ctx.output_like = (
            output._data.shape,
            output._data.dtype,
            backend.namespace_of(output._data).zeros,
        )
        output.grad_fn = ctx
        output._requires_grad = True
    return output


def _name_with_context(self):
    return type(self).__name__ + "Backward"


def _backward_with_context(self, grad):
    grads = type(self).backward_with_context(self, grad)
    grads = grads if isinstance(grads, tuple) else (grads,)
    _check_custom_grads(self, grads)
    return grads


def _check_custom_grads(node, grads):
    """What a custom backward returns: a Tensor or None for each input of forward (more
    are let through when they are None, as PyTorch lets them)."""
    name = node.name()
    if len(grads) < len(node.edges) or any(grad is not None for grad in grads[len(node.edges) :]):
        raise RuntimeError(
            f"function {name} returned an incorrect number of gradients (expected "
            f"{len(node.edges)}, got {len(grads)}): backward returns one gradient (or None) "
            "per input of forward"
        )
    for position, (grad, is_tensor) in enumerate(zip(grads, node.tensor_inputs), start=1):
        if grad is None:
            continue
        if not isinstance(grad, Tensor):
            raise RuntimeError(
                f"function {name} returned a {type(grad).__name__} as gradient {position}: "
                "expected a Tensor or None"
            )
        if not is_tensor:
            raise RuntimeError(
                f"function {name} returned a gradient at position {position} for a forward "
                "input that is not a Tensor: return None there"
            )


def _missing_backward(ctx, *grads):
    raise NotImplementedError(
        f"{type(ctx).__name__} defines no backward: give it a backward (or vjp) static "
        "method to differentiate through it"
    )


def once_differentiable(backward):
    """Mark a custom Function's backward as differentiable only once.

    The backward runs without recording a graph. Under ``create_graph=True`` its
    gradients still take part in the graph, but differentiating through them raises.
    """

    @functools.wraps(backward)
    def backward_once(ctx, *grads):
        recording = _grad_state.enabled
        _grad_state.enabled = False
        try:
            results = backward(ctx, *grads)
        finally:
            _grad_state.enabled = recording
        if not recording or not any(grad is not None and grad._requires_grad for grad in grads):
            return results
        as_tuple = results if isinstance(results, tuple) else (results,)
        marked = tuple(
            OnceDifferentiableError.apply(result, type(ctx).__name__, *grads)
            if isinstance(result, Tensor)
            else result
            for result in as_tuple
        )
        return marked if isinstance(results, tuple) else marked[0]

    return backward_once


class OnceDifferentiableError(Function):
    """Stands for a once-differentiable backward's result in a recorded graph, and refuses
    a second differentiation through it."""

    def forward(self, result, function_name, *grads):
        self.function_name = function_name
        return result

    def backward(self, grad):
        raise RuntimeError(
            f"{self.function_name}.backward is marked @once_differentiable: its result "
            "cannot be differentiated again"
        )

    def name(self):
        return "DelayedError"


class AccumulateGrad(Function):
    """The node at a leaf that requires grad: adds the gradient into ``.grad``.

    The leaf keeps its accumulator for good (made once, not once per graph) and
    the accumulator refers back to the leaf weakly, so the two make no cycle.
    """

    sequence = math.inf  # the engine runs a leaf's node as soon as it is ready

    def __init__(self, variable):
        self.variable_reference = weakref.ref(variable)
        self.edges = ()
        self.pre_hooks = None

    @property
    def variable(self):
        """The leaf tensor, or None once it has been freed."""
        return self.variable_reference()

    def name(self):
        return "AccumulateGrad"

    def register_hook(self, hook):
        raise NotImplementedError(
            "ember runs no node hooks on a leaf's AccumulateGrad node; to act once the leaf's "
            ".grad is updated, use tensor.register_post_accumulate_grad_hook(hook)"
        )


class RemovableHandle:
    """What ``register_hook`` returns: ``remove()`` takes the hook off; in a ``with``
    block the hook holds for the block only."""

    __slots__ = ("hooks", "hook")

    def __init__(self, hooks, hook):
        self.hooks = hooks
        self.hook = hook

    def remove(self):
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()
        return False


def edge_to(value):
    """Where the gradient of one input goes: (node, shape, array dtype), or None."""
    if not isinstance(value, Tensor) or not value._requires_grad:
        return None
    node = value.grad_fn
    if node is None:
        node = value._grad_accumulator()
    elif node.view_of is not None and node.view_version != value._counter().value:
        node = refresh_view(value)
    return (node, value._data.shape, value._data.dtype)


def node_of(tensor):
    """The node that receives ``tensor``'s gradient (see ``edge_to``)."""
    node = tensor.grad_fn
    if node is None:
        return tensor._grad_accumulator()
    if node.view_of is not None and node.view_version != tensor._counter().value:
        return refresh_view(tensor)
    return node


def take_view(base, steps):
    """Take again, on ``base``, the view that ``steps`` describe (recording the graph)."""
    previous = _grad_state.enabled
    _grad_state.enabled = True
    try:
        view = base
        for op, arguments, options in steps:
            view = op.apply(view, *arguments, **options)
    finally:
        _grad_state.enabled = previous
    return view


def refresh_view(view):
    """A view whose storage changed in place since it was taken: its values are the base's
    now, so its history is taken afresh from the base's history, as PyTorch does."""
    node = view.grad_fn
    if node.view_version < view._counter().layout_changed_at:
        raise RuntimeError(
            "a view is used in a graph after an in-place view op (t_, transpose_, squeeze_, "
            "unsqueeze_) changed the shape or strides of the tensor it was taken from, which "
            "ember cannot follow; take the view again after that op, or clone() it first"
        )
    base, steps = node.view_of
    fresh = take_view(base, steps).grad_fn
    if fresh is None:  # the base no longer records a graph (detach_)
        node.view_version = view._counter().value
        return node
    node.view_of = None  # superseded; dropping it keeps the graph free of reference cycles
    view.grad_fn = fresh
    move_retained_grad(view, node)
    return fresh


def move_retained_grad(tensor, old_node):
    """After ``tensor`` took a new node (an in-place op, a write through a view, its view
    taken afresh): the hook of its retain_grad() moves there, as in PyTorch, so that
    ``.grad`` is the gradient of its value now; its other hooks stay with the old node."""
    hooks = old_node.pre_hooks if old_node is not None else None
    if not hooks or old_node is tensor.grad_fn:
        return
    for hook in [hook for hook in hooks if _keeps_grad_of(hook) is tensor]:
        hooks.remove(hook)  # the old node may still run: it would add its gradient too
        tensor.grad_fn.add_grad_hook(hook)


def save_each_for_the_other(node, inputs):
    """What ``a * b`` and ``a @ b`` save: a only for b's gradient, b only for a's, and no
    third input (a label, a bias). An op class takes it as its ``save_read_inputs``."""
    edges = node.edges
    saved = (
        save(inputs[0]) if edges[1] is not None else NOT_SAVED,
        save(inputs[1]) if edges[0] is not None else NOT_SAVED,
    )
    return saved + (NOT_SAVED,) * (len(inputs) - 2)


def save_each_for_itself(node, inputs):
    """Each input that takes a gradient, kept for that gradient alone (hypot's). An op
    class takes it as its ``save_read_inputs``."""
    return tuple(
        save(value) if edge is not None else NOT_SAVED for value, edge in zip(inputs, node.edges)
    )


def save(value):
    if isinstance(value, Tensor):
        return (value, value._counter().value)
    return (value, None)


def check_version(counter, version, data, node):
    if counter.value != version:
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{data.dtype} tensor of shape {tuple(data.shape)}] is at "
            f"version {counter.value}; expected version {version} instead. "
            f"Hint: {node.name()} saved it for backward; clone the tensor before changing it "
            "in place, or change it out of place."
        )


def raise_released(node):
    raise RuntimeError(
        f"Trying to backward through the graph a second time: {node.name()} already freed the "
        "values it saved for backward. Specify retain_graph=True on the first backward() "
        "if you need to backward through the graph again."
    )
