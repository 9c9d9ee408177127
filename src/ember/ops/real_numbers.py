"""PyTorch's complex-number API on ember's tensors, which are all real.

Code written for complex tensors runs unchanged on real ones in PyTorch: ``conj`` and
its kin give the tensor itself, ``real`` is the tensor, ``imag`` is refused, and
``is_conj``/``is_neg`` are False. ember gives the same. (``angle`` is in rounding.py: a
real number's angle, 0 or pi, is a step function.)
"""


def conj(input):
    """The complex conjugate: a real tensor is its own, so the tensor itself."""
    return input


conj_physical = resolve_conj = resolve_neg = real = conj


def imag(input):
    raise RuntimeError(
        "imag is not implemented for tensors with non-complex dtypes: ember's tensors are "
        "real, and their imaginary part is 0"
    )


def is_conj(input):
    return False


is_neg = is_conj
