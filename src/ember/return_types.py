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
