"""In-place writes through a view: the base takes the new history too.

``y = x * 2; v = y[1:]; v.mul_(3)`` changes ``y``'s memory, so ``y``'s
gradient must now flow through the multiplication for the elements that
``v`` covers and around it for the rest. ``rebase_after_write`` gives the base
a ``CopySlices`` node that does exactly that, and takes the view again from the
base so that later uses of ``v`` see the same history, as in PyTorch.

The same holds when the base needs no gradient (``z = zeros(4); z[1:3].copy_(w)``):
such a view records no node, so ``untracked_view_of`` finds its base through the
``_view_source`` that each view keeps, and the base takes the write's history.
"""

from .. import backend
from .function import Function, move_retained_grad, take_view


class CopySlices(Function):
    """The base after a write through one of its views: old values outside, new inside."""

    def name(self):
        return "CopySlices"

    def forward(self, base, written, steps):
        self.steps = steps
        self.outside = _outside_mask(base, steps)
        return base  # the write already happened in place; nothing to compute

    def backward(self, grad):
        from ..ops.selection import where
        from ..tensor import Tensor

        grad_base = None
        if self.needs_input_grad(0):  # picked, not multiplied: an inf gradient inside gives 0
            grad_base = where(Tensor._make(self.outside), grad, 0.0)
        grad_written = take_view(grad, self.steps) if self.needs_input_grad(1) else None
        return grad_base, grad_written, None


def _outside_mask(base, steps):
    """True where the base's elements lie outside the view."""
    xp = backend.namespace_of(base)
    inside = xp.zeros_like(base, dtype=bool)
    view = inside
    for op, arguments, options in steps:
        view = op().forward(view, *arguments, **options)
    if view.size == 0:  # an empty view (h[:0]) covers nothing, and shares no memory to test
        return ~inside
    if not xp.shares_memory(view, inside):
        raise RuntimeError(
            "ember cannot follow this in-place write through a view back to its base; "
            "clone() the view before changing it in place"
        )
    view[...] = True
    return ~inside


def rebase_after_write(view, base, steps, between=()):
    """Give ``base`` the history of the write that just went through ``view``; the views
    ``between`` them, as (view, steps from the base), take their history from it too."""
    from ..tensor import Tensor

    if not all(op.view_stays_within_input for op, _, _ in steps[1:]):
        raise RuntimeError(
            "ember cannot follow an in-place write through an as_strided view of another "
            "view back to its base (it may reach elements outside that view): take "
            "as_strided from the base, or clone() the view before changing it in place"
        )
    old_base = Tensor._make(base._data)  # stands for the base's history before the write
    old_base.grad_fn = base.grad_fn
    old_base._requires_grad = base._requires_grad
    updated = CopySlices.apply(old_base, view, steps)
    base.grad_fn = updated.grad_fn
    base._requires_grad = True
    move_retained_grad(base, old_base.grad_fn)
    take_history_from_base(view, base, steps, between)


def take_history_from_base(view, base, steps, between=()):
    """The view, and the views ``between`` it and ``base``, take their history afresh
    from the base (each as a recorded view of it)."""
    for middle, middle_steps in between:
        old_node, middle.grad_fn = middle.grad_fn, take_view(base, middle_steps).grad_fn
        middle._requires_grad = True
        move_retained_grad(middle, old_node)
    old_node, view.grad_fn = view.grad_fn, take_view(base, steps).grad_fn
    view._requires_grad = True
    move_retained_grad(view, old_node)


def base_of_written_view(view):
    """Where a write through ``view`` must reach: (base, steps from the base to the view,
    the views between them, as ``rebase_after_write`` takes them; see
    ``untracked_view_of``), or None for a tensor that is no view.

    A view that recorded no node but whose base has taken history since (a write through
    another view) takes that history first, as a PyTorch view does once its base's
    version moves: the write then changes values that carry the base's history."""
    node = view.grad_fn
    if node is None:
        found = untracked_view_of(view)
        if found is None:
            return None
        base, steps, between = found
        if not (base._requires_grad and base.grad_fn is not None):
            return found
        take_history_from_base(view, base, steps, between)
        node = view.grad_fn
    return None if node.view_of is None else (*node.view_of, ())


def untracked_view_of(view):
    """Where a view that recorded no node looks: (base, steps from the base to the view,
    the views between them as in ``rebase_after_write``), or None for a tensor that is no
    such view. A view it was taken from that has since taken history (a write went through
    it) leads on to that view's own base."""
    chain = []  # (tensor, the step that took it from the next tensor up), view first
    tensor = view
    source = getattr(view, "_view_source", None)  # an unset slot: not a view
    while source is not None:
        op, inputs, options = source
        chain.append((tensor, (op, inputs[1:], options)))
        tensor = inputs[0]
        if tensor._requires_grad:
            break
        source = getattr(tensor, "_view_source", None)
    if not chain:
        return None
    base, steps = tensor, tuple([step for _, step in reversed(chain)])
    node = tensor.grad_fn
    if tensor._requires_grad and node is not None and node.view_of is not None:
        base, base_steps = node.view_of  # a view that took history: follow it to its base
        steps = base_steps + steps
    between = [(middle, steps[: len(steps) - depth]) for depth, (middle, _) in enumerate(chain)]
    return base, steps, tuple(between[1:])
