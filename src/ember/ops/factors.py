"""The factors of a decomposition (svd, qr, eigh) as tensors: one node each.

LAPACK decomposes A once; each factor (U, S and Vh of svd, say) is then its own node,
sharing one ``Factorization``, so that a backward reaching only one factor uses only
its term of dA (``svdvals``' gradient stays finite where singular values are equal,
and U's is not needed). The rule that gives that term is written in ember's ops on the
factors made again as tensors of A (from the same arrays, with no second
decomposition), so the gradients differentiate again.
"""

from ..autograd import grad_mode
from ..autograd.function import Function, check_version, raise_released
from ..tensor import Tensor


class Factorization:
    """The arrays of one decomposition, shared by the nodes of its factors, and the rule
    that gives A's gradient from one factor's: ``gradient(factors, position, grad)``
    with the factors as tensors. Each backward reads every factor, so their versions are
    noted: changing one in place before backward is an error, as in PyTorch."""

    __slots__ = ("arrays", "gradient", "node_name", "versions")

    def __init__(self, arrays, gradient, node_name):
        self.arrays = arrays
        self.gradient = gradient
        self.node_name = node_name
        self.versions = ()

    def note_versions(self, outputs):
        self.versions = tuple(
            (output._data, output._counter(), output._counter().value) for output in outputs
        )

    def checked_arrays(self, node):
        for data, counter, version in self.versions:
            check_version(counter, version, data, node)
        return self.arrays


class Factor(Function):
    """The factor at ``position`` of a decomposition of A; its backward is that factor's
    term of dA."""

    saves_inputs = True  # A, to make the factors functions of A again under create_graph

    def forward(self, a, factorization, position):
        self.factorization, self.position = factorization, position
        self.node_name = factorization.node_name
        return factorization.arrays[position]

    def backward(self, grad):
        if self.factorization is None:
            raise_released(self)
        arrays = self.factorization.checked_arrays(self)
        gradient = self.factorization.gradient
        if grad_mode.state.enabled:  # create_graph: the factors as functions of A
            again = Factorization(arrays, gradient, self.node_name)
            factors = factor_tensors(self.inputs[0], again)
        else:
            factors = tuple(map(Tensor._make, arrays))
        return gradient(factors, self.position, grad)

    def release(self):
        super().release()
        self.factorization = None

    def name(self):
        return self.node_name


def factor_tensors(A, factorization, positions=None):
    """The factors (those at ``positions``, or all) as tensors of A: one node each when A
    requires grad."""
    if positions is None:
        positions = range(len(factorization.arrays))
    factors = tuple(
        Factor.apply(A, factorization=factorization, position=position) for position in positions
    )
    factorization.note_versions(factors)
    return factors
