"""The named tuples that ops with several results return: ``max(dim)``, ``sort``,
``topk``, ``median``, ``aminmax``, ``histogram``, ``frexp``, ``linalg.svd``,
``linalg.qr``, ``linalg.eigh``...

They are tuples (``values, indices = x.max(1)`` unpacks them) with named
fields (``x.max(1).indices``), and they print as PyTorch prints its own:
``ember.return_types.max(`` and then one field per line.
"""

from collections import namedtuple


class _NamedFields:
    __slots__ = ()

    def __repr__(self):
        fields = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"ember.return_types.{type(self).__name__}(\n{fields})"


def _named_tuple(name, fields):
    return type(name, (_NamedFields, namedtuple(name, fields)), {"__slots__": ()})


_VALUES_AND_INDICES = ["values", "indices"]

max = _named_tuple("max", _VALUES_AND_INDICES)  # noqa: A001 - PyTorch's name
min = _named_tuple("min", _VALUES_AND_INDICES)  # noqa: A001
sort = _named_tuple("sort", _VALUES_AND_INDICES)
topk = _named_tuple("topk", _VALUES_AND_INDICES)
kthvalue = _named_tuple("kthvalue", _VALUES_AND_INDICES)
median = _named_tuple("median", _VALUES_AND_INDICES)
nanmedian = _named_tuple("nanmedian", _VALUES_AND_INDICES)
mode = _named_tuple("mode", _VALUES_AND_INDICES)
cummax = _named_tuple("cummax", _VALUES_AND_INDICES)
cummin = _named_tuple("cummin", _VALUES_AND_INDICES)
aminmax = _named_tuple("aminmax", ["min", "max"])
histogram = _named_tuple("histogram", ["hist", "bin_edges"])
frexp = _named_tuple("frexp", ["mantissa", "exponent"])
linalg_svd = _named_tuple("linalg_svd", ["U", "S", "Vh"])
svd = _named_tuple("svd", ["U", "S", "V"])
linalg_slogdet = _named_tuple("linalg_slogdet", ["sign", "logabsdet"])
slogdet = _named_tuple("slogdet", ["sign", "logabsdet"])
linalg_cholesky_ex = _named_tuple("linalg_cholesky_ex", ["L", "info"])
linalg_inv_ex = _named_tuple("linalg_inv_ex", ["inverse", "info"])
linalg_qr = _named_tuple("linalg_qr", ["Q", "R"])
qr = _named_tuple("qr", ["Q", "R"])
linalg_eigh = _named_tuple("linalg_eigh", ["eigenvalues", "eigenvectors"])
triangular_solve = _named_tuple("triangular_solve", ["solution", "cloned_coefficient"])
