"""In-place writes through a view: the base takes the new history too.

``y = x * 2; v = y[1:]; v.mul_(3)`` changes ``y``'s memory, so ``y``'s
gradient must now flow through the multiplication for the elements that
``v`` covers and around it for the rest. ``rebase_after_write`` gives the base
a ``CopySlices`` node that does exactly that, and takes the view again from the
base so that later uses of ``v`` see the same history, as in PyTorch.
"""

from .. import backend
from .function import Function, take_view


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
    if not xp.shares_memory(view, inside):
        raise RuntimeError(
            "ember cannot follow this in-place write through a view back to its base; "
            "clone() the view before changing it in place"
        )
    view[...] = True
    return ~inside


def rebase_after_write(view, base, steps):
    """Give ``base`` the history of the write that just went through ``view``."""
    from ..tensor import Tensor

    old_base = Tensor._make(base._data)  # stands for the base's history before the write
    old_base.grad_fn = base.grad_fn
    old_base.requires_grad = base.requires_grad
    updated = CopySlices.apply(old_base, view, steps)
    base.grad_fn = updated.grad_fn
    base.requires_grad = True
    view.grad_fn = take_view(base, steps).grad_fn
