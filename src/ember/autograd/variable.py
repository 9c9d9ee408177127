"""``Variable``, the wrapper older PyTorch code (before 0.4) put around tensors."""


def Variable(data, requires_grad=False):  # noqa: N802 - PyTorch's name
    """Since PyTorch 0.4 a Variable is a tensor: ``Variable(t, requires_grad=True)`` is a
    new leaf that shares ``t``'s memory, as ``t.detach().requires_grad_()`` is."""
    from ..tensor import Tensor  # (this package loads before the Tensor class exists)

    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    return data.detach().requires_grad_(requires_grad)
