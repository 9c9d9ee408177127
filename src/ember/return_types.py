"""The named tuples that ``max(dim)``, ``min(dim)``, ``sort``, ``topk``, ``kthvalue``,
``median``, ``nanmedian``, ``mode``, ``cummax``, ``cummin``, ``aminmax`` and
``linalg.svd`` return.

They are tuples (``values, indices = x.max(1)`` unpacks them) with named
fields (``x.max(1).indices``), and they print as PyTorch prints its own:
``ember.return_types.max(`` and then one field per line.
"""

from collections import namedtuple


class _ValuesAndIndices:
    __slots__ = ()

    def __repr__(self):
        name = type(self).__name__
        return f"ember.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"


class max(_ValuesAndIndices, namedtuple("max", ["values", "indices"])):  # noqa: A001
    __slots__ = ()


class min(_ValuesAndIndices, namedtuple("min", ["values", "indices"])):  # noqa: A001
    __slots__ = ()


class sort(_ValuesAndIndices, namedtuple("sort", ["values", "indices"])):
    __slots__ = ()


class topk(_ValuesAndIndices, namedtuple("topk", ["values", "indices"])):
    __slots__ = ()


class kthvalue(_ValuesAndIndices, namedtuple("kthvalue", ["values", "indices"])):
    __slots__ = ()


class median(_ValuesAndIndices, namedtuple("median", ["values", "indices"])):
    __slots__ = ()


class nanmedian(_ValuesAndIndices, namedtuple("nanmedian", ["values", "indices"])):
    __slots__ = ()


class mode(_ValuesAndIndices, namedtuple("mode", ["values", "indices"])):
    __slots__ = ()


class cummax(_ValuesAndIndices, namedtuple("cummax", ["values", "indices"])):
    __slots__ = ()


class cummin(_ValuesAndIndices, namedtuple("cummin", ["values", "indices"])):
    __slots__ = ()


class aminmax(namedtuple("aminmax", ["min", "max"])):
    __slots__ = ()

    def __repr__(self):
        return f"ember.return_types.aminmax(\nmin={self.min!r},\nmax={self.max!r})"


class linalg_svd(namedtuple("linalg_svd", ["U", "S", "Vh"])):
    __slots__ = ()

    def __repr__(self):
        return f"ember.return_types.linalg_svd(\nU={self.U!r},\nS={self.S!r},\nVh={self.Vh!r})"


# The decompositions' results (``linalg.slogdet``, ``linalg.qr``, ``linalg.eigh``...): each
# prints its fields one per line, as PyTorch prints its own.


class _NamedFields:
    __slots__ = ()

    def __repr__(self):
        fields = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"ember.return_types.{type(self).__name__}(\n{fields})"


def _fields_type(name, fields):
    return type(name, (_NamedFields, namedtuple(name, fields)), {"__slots__": ()})


frexp = _fields_type("frexp", ["mantissa", "exponent"])
linalg_slogdet = _fields_type("linalg_slogdet", ["sign", "logabsdet"])
slogdet = _fields_type("slogdet", ["sign", "logabsdet"])
linalg_cholesky_ex = _fields_type("linalg_cholesky_ex", ["L", "info"])
linalg_inv_ex = _fields_type("linalg_inv_ex", ["inverse", "info"])
linalg_qr = _fields_type("linalg_qr", ["Q", "R"])
qr = _fields_type("qr", ["Q", "R"])
linalg_eigh = _fields_type("linalg_eigh", ["eigenvalues", "eigenvectors"])
triangular_solve = _fields_type("triangular_solve", ["solution", "cloned_coefficient"])
svd = _fields_type("svd", ["U", "S", "V"])
