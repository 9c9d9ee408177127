"""Random data-loading scenarios (the ninth pass), run in ember and in PyTorch.

A scenario builds one dataset from a drawn recipe, then runs drawn actions on it; each
recipe and action is written once, as a function of the library, and run against
``ember`` and ``torch``. After every action the test compares what a user sees: the
returned values (tensors: values, dtype, shape, requires_grad, is_leaf; containers:
their type, including list against tuple, dict keys in order and namedtuples; Python and
NumPy scalars with their types), lengths, attributes a user reads (``cumulative_sizes``,
``indices``, a loader's sampler and batch sampler with their settings, ``batch_size``,
``drop_last``, ``collate_fn``, and each attribute set after the loader is made), the
index types a loader or a wrapping dataset hands to a user's ``__getitem__`` and
``__getitems__``, the warning categories, the exception's builtin type when torch
raises, and that ember's message names what PyTorch's names (an argument, "Size
mismatch", "out of range"...).

Datasets: ``TensorDataset`` (sizes that may not match, no tensors, 0-d tensors, tensors
that require grad or have empty samples); a dataset of drawn samples, read one by one or
through ``__getitems__`` (a list, a tuple, one short), whose samples nest tuples, lists,
dicts, OrderedDicts and namedtuples of Python ints (past int64 too), floats (inf too),
bools, complex numbers, strings, bytes and None, NumPy arrays (text and objects too) and
scalars, tensors of 0-3 dims, and leaves whose shape, dtype, type, keys or length change
from sample to sample; a plain list; iterable datasets with and without a len;
``Dataset()`` itself; ``Subset`` (indices as lists, tensors, ranges or NumPy arrays,
negative or out of range); ``ConcatDataset`` and ``+`` (empty parts, none at all, an
iterable part); ``ChainDataset``; ``StackDataset`` (tuple and dict forms, mismatched
lengths, both forms, neither); sizes up to 33. Actions: ``len``; indexing (ints in and
out of range, negative, 0-d tensors, NumPy ints, lists, slices); ``random_split`` (int
and float lengths, fractions, as lists, tuples, arrays or tensors; a seeded generator, the
default one, or not a generator); the samplers (``Sampler``, ``SequentialSampler``,
``RandomSampler`` with replacement and num_samples, ``SubsetRandomSampler``,
``WeightedRandomSampler``, ``BatchSampler``, with bad arguments); ``DataLoader`` with
batch_size (None too), shuffle, drop_last, sampler (samplers, lists, ranges, tensors,
arrays, a spent iterator), batch_sampler (lists of lists, of tensors, of arrays),
collate_fn, generator and their conflicting combinations, its ``len``, two epochs and
``len(iter(loader))``. A second test collates drawn batches directly (``default_collate``
and ``default_convert`` of each sample).

Where PyTorch's answer depends on its random generator (shuffling, random samplers,
``random_split``), the test compares what does not: batch types, dtypes and shapes, the
multiset of the values an epoch reads (without replacement or dropped samples), how often
each index is drawn, that the draws lie in range, that zero weights are never drawn,
that splits are disjoint and cover the dataset, and that a seeded generator repeats
itself. A random order is drawn only over datasets whose samples all look alike (else
which samples meet decides what collate makes of them).

Left out, as docs/differences.md lists them: negative ``random_split`` lengths that add
up (ember refuses them), ``num_workers`` and the worker options (no worker processes),
grad_fn names of loaded batches (a TensorDataset batch is one gather,
``IndexBackward0``, where PyTorch stacks samples), a loader's sampler and batch_sampler
over an iterable dataset (None in ember), complex beside other leaves, and which
zero-weight indices ``WeightedRandomSampler`` without replacement takes once the others
run out. Left out as fixes for files this pass does not own (see ``mixes_numbers`` and
the comments where they are skipped): batches mixing a Python or NumPy number with
another kind (``ember.tensor``'s ValueError where PyTorch's is mostly TypeError), a big
int beside another number, ints on both sides of 2**63 (``ember.tensor([2**62, 2**63])``
is float32), ``WeightedRandomSampler`` of no weights with replacement (NumPy's
ValueError out of ``ember.multinomial``), and a sample that is a dict in some samples and
a tensor in others. Also left: ``len(iter(loader))`` over an iterable dataset (PyTorch's
iterator has no len; ember's, pinned in tests/test_dataloader.py, has the loader's).

``EMBER_RANDOM_SCENARIOS=3000`` runs more scenarios than the suite's default. The fixes
this pass made are pinned at the end of the file.
"""

import collections
import os
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, random_settings

import ember

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "600"))
SETTINGS = random_settings(EXAMPLES)

Point = collections.namedtuple("Point", "x y")  # one class, so both libraries' samples share it

TENSOR_DTYPES = (
    "float32",
    "float64",
    "int64",
    "int32",
    "int16",
    "int8",
    "bool",
    "uint8",
    "float16",
)
NUMPY_DTYPES = ("float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool")


# What a user sees ------------------------------------------------------------------------


def describe(value):
    """A plain, comparable picture of ``value``: types, dtypes, shapes and values."""
    if isinstance(value, (ember.Tensor, torch.Tensor)):
        return (
            "Tensor",
            dtype_name(value.dtype),
            tuple(value.shape),
            value.detach().tolist(),
            value.requires_grad,
            value.is_leaf,
        )
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tolist())
    if isinstance(value, np.generic):
        return ("numpy scalar", value.dtype.str, value.item())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, value._fields, [describe(item) for item in value])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [describe(item) for item in value])
    if isinstance(value, dict):
        return (type(value).__name__, [(key, describe(item)) for key, item in value.items()])
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return (type(value).__name__, value)
    if isinstance(value, range):
        return ("range", value.start, value.stop, value.step)
    return type(value).__name__  # a dataset, sampler or generator: its class name


def dtype_name(dtype):
    return str(dtype).removeprefix("torch.") if isinstance(dtype, torch.dtype) else dtype.name


def shapes_only(picture):
    """``picture`` with its values taken out: what a random order cannot change."""
    if isinstance(picture, tuple) and picture and picture[0] == "Tensor":
        return picture[:3] + picture[4:]
    if isinstance(picture, tuple) and picture and picture[0] in ("ndarray", "numpy scalar"):
        return picture[:2]
    if isinstance(picture, tuple):
        return tuple(shapes_only(part) for part in picture)
    if isinstance(picture, list):
        return [shapes_only(part) for part in picture]
    return picture if isinstance(picture, str) else type(picture).__name__


def read_values(picture, path=()):
    """Every value ``picture`` holds as (path, value) pairs, a tensor's one per row of dim 0.

    List and tuple positions are left out of the path: in a batch they may be the batch
    dimension, whose order is random."""
    if isinstance(picture, tuple) and picture and picture[0] == "Tensor":
        rows = picture[3] if picture[2] else [picture[3]]
        return [(path, repr(row)) for row in rows]
    if isinstance(picture, tuple) and len(picture) == 2 and isinstance(picture[1], list):
        items = picture[1]
        if items and isinstance(items[0], tuple) and len(items[0]) == 2 and picture[0] == "dict":
            return [pair for key, item in items for pair in read_values(item, path + (key,))]
        return [pair for item in items for pair in read_values(item, path)]
    if isinstance(picture, tuple) and len(picture) == 3 and isinstance(picture[2], list):
        fields = zip(picture[1], picture[2])  # a namedtuple
        return [pair for name, item in fields for pair in read_values(item, path + (name,))]
    return [(path, repr(picture))]


class Observations:
    """What one library showed, action by action."""

    def __init__(self, lib):
        self.lib = lib
        self.seen = []

    def see(self, label, action, summary=describe):
        """Run ``action()``, record its summary (or the error type) and the warnings."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value = action()
                outcome = summary(value)
            except Exception as error:  # noqa: BLE001 - the error's type is what we compare
                value, outcome = None, ("raised", builtin_base(type(error)).__name__)
                named = {word for word in NAMED_IN_ERRORS if word in str(error)}
        categories = sorted({warning.category.__name__ for warning in caught})
        self.seen.append((label, outcome, categories, named if raised(outcome) else set()))
        return value, outcome


# Words an error message names the offending thing by: where PyTorch's message has one,
# ember's must have it too.
NAMED_IN_ERRORS = (
    "batch_size",
    "drop_last",
    "num_samples",
    "replacement",
    "shuffle",
    "batch_sampler",
    "sampler option",
    "weights",
    "Size mismatch",
    "Sum of input lengths",
    "Fraction",
    "out of range",
    "out of bounds",
    "empty",
)


def assert_same_observations(ember_seen, torch_seen):
    for ember_entry, torch_entry in zip(ember_seen, torch_seen):
        assert ember_entry[:3] == torch_entry[:3], (
            f"at {torch_entry[0]}:\n ember {ember_entry[1:3]}\n torch {torch_entry[1:3]}"
        )
        missing = torch_entry[3] - ember_entry[3]
        assert not missing, f"at {torch_entry[0]}: ember's error does not say {missing}"
    assert len(ember_seen) == len(torch_seen)


def raised(outcome):
    return isinstance(outcome, tuple) and outcome[:1] == ("raised",)


# Samples --------------------------------------------------------------------------------

# Leaves whose shape, dtype, type or length changes from sample to sample: in a batch they
# make collate raise, or promote, depending on which samples meet.
CHANGING = ("ragged tensor", "mixed tensor", "int or float", "mixed numpy", "ragged list")
CHANGING += ("ragged dict", "ragged numpy", "int or bool", "big int", "alternate")

SHAPES = st.lists(st.integers(0, 3), max_size=3).map(tuple)
LEAVES = st.one_of(
    st.sampled_from([("int",), ("float",), ("bool",), ("str",), ("bytes",), ("none",)]),
    st.sampled_from(
        [("big int",), ("infinite float",), ("complex",), ("int or bool",), ("numpy text",)]
        + [("numpy objects",)]
    ),
    st.tuples(st.just("numpy scalar"), st.sampled_from(NUMPY_DTYPES)),
    st.tuples(st.just("numpy array"), st.sampled_from(NUMPY_DTYPES), SHAPES),
    st.tuples(st.just("tensor"), st.sampled_from(TENSOR_DTYPES), SHAPES),
    st.tuples(st.just("grad tensor"), st.sampled_from(["float32", "float64"]), SHAPES),
    st.tuples(st.just("ragged numpy"), st.sampled_from(NUMPY_DTYPES)),
    st.tuples(st.just("ragged tensor"), st.sampled_from(TENSOR_DTYPES)),
    st.tuples(st.just("mixed tensor"), st.sampled_from(TENSOR_DTYPES)),
    st.tuples(st.just("mixed numpy"), st.sampled_from(NUMPY_DTYPES)),
    st.sampled_from([("int or float",)]),
)
SAMPLE_SPECS = st.recursive(
    LEAVES,
    lambda parts: st.one_of(
        st.tuples(
            st.sampled_from(["tuple", "list", "dict", "ordered dict"]), st.lists(parts, max_size=3)
        ),
        st.tuples(st.just("ragged dict"), parts),
        st.tuples(st.just("point"), parts, parts),
        st.tuples(st.just("ragged list"), parts),
        # one leaf at even i, another at odd (leaves only: a dict where a tensor was is
        # read with a string key, which PyTorch takes as a sequence, an indexing edge)
        st.tuples(st.just("alternate"), LEAVES, LEAVES),
    ),
    max_leaves=7,
)


def make_sample(lib, spec, i):
    """Sample ``i`` of a dataset whose samples follow ``spec``: values that depend on i."""
    kind = spec[0]
    if kind in ("tuple", "list"):
        items = [make_sample(lib, part, i) for part in spec[1]]
        return tuple(items) if kind == "tuple" else items
    if kind in ("dict", "ordered dict"):
        items = {f"k{position}": make_sample(lib, part, i) for position, part in enumerate(spec[1])}
        return items if kind == "dict" else collections.OrderedDict(items)
    if kind == "ragged dict":  # odd samples have one key more
        return {f"k{key}": make_sample(lib, spec[1], i) for key in range(1 + i % 2)}
    if kind == "point":
        return Point(make_sample(lib, spec[1], i), make_sample(lib, spec[2], i))
    if kind == "ragged list":
        return [make_sample(lib, spec[1], i) for _ in range(1 + i % 2)]
    if kind == "alternate":
        return make_sample(lib, spec[1 + i % 2], i)
    return make_leaf(lib, spec, i)


def make_leaf(lib, spec, i):
    kind = spec[0]
    simple = {
        "int": lambda: 3 * i - 2,
        "float": lambda: i / 4 - 0.5,
        "bool": lambda: i % 3 == 0,
        "str": lambda: f"s{i}",
        "bytes": lambda: b"b%d" % i,
        "none": lambda: None,
        "int or float": lambda: i if i % 2 == 0 else i + 0.5,
        "int or bool": lambda: i if i % 2 == 0 else True,
        # past int64 at odd i, but not between 2**63 and 2**64: ember.tensor([2**62, 2**63])
        # is float32 (PyTorch: overflow), a fix for ember/creation.py, not owned here
        "big int": lambda: 2**62 + i if i % 2 == 0 else 2**64 + i,
        "infinite float": lambda: float("inf") if i % 3 == 2 else -i / 2,
        "complex": lambda: complex(i, 1),
        "numpy text": lambda: np.array([f"t{i}"]),
        "numpy objects": lambda: np.array([i, None], dtype=object),
    }
    if kind in simple:
        return simple[kind]()
    if kind == "numpy scalar":
        return np.array(i % 5).astype(spec[1])[()]
    if kind == "mixed numpy":
        return np.array(i % 5).astype(spec[1] if i % 2 == 0 else "int64")[()]
    if kind == "numpy array":
        return counting_array(spec[2], i).astype(spec[1])
    if kind == "tensor":
        return lib.tensor(counting_array(spec[2], i).astype(spec[1]))
    if kind == "grad tensor":
        return lib.tensor(counting_array(spec[2], i).astype(spec[1]), requires_grad=True)
    if kind == "ragged numpy":
        return counting_array((1 + i % 2,), i).astype(spec[1])
    if kind == "ragged tensor":
        return lib.tensor(counting_array((1 + i % 2,), i).astype(spec[1]))
    if kind == "mixed tensor":
        return lib.tensor(counting_array((2,), i).astype(spec[1] if i % 2 == 0 else "float32"))
    raise AssertionError(f"unknown leaf {spec}")


def counting_array(shape, i):
    """Small whole numbers (exact in every dtype) that differ from sample to sample."""
    return ((np.arange(int(np.prod(shape))) + 3 * i) % 7).reshape(shape)


PYTHON_NUMBERS = ("int", "float", "bool", "int or float", "int or bool", "big int")
PYTHON_NUMBERS += ("infinite float", "numpy scalar", "mixed numpy")  # NumPy's: as_tensor


def mixes_numbers(spec):
    """Whether some position holds a Python number in some samples and another thing in
    others: ember.tensor of such a batch is a ValueError where PyTorch's is often a
    TypeError, a fix for ember/creation.py, which this pass does not own (and two more
    such mixes, below)."""
    if spec[0] == "alternate":
        numbers = [part[0] in PYTHON_NUMBERS for part in spec[1:]]
        # a big int with another number: ember.tensor([2**62, np.float16(1)]) lets NumPy's
        # overflow RuntimeWarning out (PyTorch: none), again in ember/creation.py
        big = [part[0] == "big int" for part in spec[1:]]
        # ember has no complex tensors (docs/differences.md): a complex beside an array is
        # its TypeError, where PyTorch makes a complex tensor and fails to stack it
        complex_ = [part[0] == "complex" for part in spec[1:]]
        return numbers[0] != numbers[1] or big[0] != big[1] or complex_[0] != complex_[1]
    if spec[0] in ("tuple", "list", "dict", "ordered dict"):
        return any(mixes_numbers(part) for part in spec[1])
    if spec[0] in ("point", "ragged list", "ragged dict"):
        return any(mixes_numbers(part) for part in spec[1:])
    return False


def uniform(spec):
    """Whether every sample of ``spec`` has the same structure, types and shapes."""
    if spec[0] in CHANGING or spec[0] == "none":
        return False
    if spec[0] in ("tuple", "list", "dict", "ordered dict"):
        return all(uniform(part) for part in spec[1])
    if spec[0] == "point":
        return uniform(spec[1]) and uniform(spec[2])
    return True


# Datasets -------------------------------------------------------------------------------

# A recipe is (n, tree): most parts of the tree have n samples, some a few more or fewer
# (so that stacking or concatenating them may fail), and the leaves of each part count
# from n + offset.
OFFSETS = st.sampled_from([0, 0, 0, 0, 0, 0, 1, -1, -2])
TENSOR_PARTS = st.tuples(
    st.sampled_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1, -2, None]),  # None: a 0-d tensor
    st.sampled_from(TENSOR_DTYPES),
    st.lists(st.integers(0, 2), max_size=2).map(tuple),
    st.booleans(),  # requires grad (float dtypes only)
)
SUBSET_INDICES = st.tuples(
    st.sampled_from(["list", "list", "tensor", "ndarray", "range"]),
    OFFSETS,  # how many: n + offset
    st.integers(-3, 4),  # the first
    st.sampled_from([1, 1, 2, -1, 3]),  # the step
    st.sampled_from(["in range", "in range", "negative", "as drawn"]),
)
# How a dataset of drawn samples is read: one by one, or a batch at a time (__getitems__)
READ_BY = st.sampled_from(
    ["getitem", "getitem", "getitems as a list", "getitems as a tuple", "getitems one short"]
)
BASE_DATASETS = st.one_of(
    st.tuples(st.just("tensors"), st.lists(TENSOR_PARTS, min_size=1, max_size=3)),
    st.tuples(st.just("tensors"), st.lists(TENSOR_PARTS, max_size=3)),
    st.tuples(st.just("samples"), OFFSETS, SAMPLE_SPECS, READ_BY),
    st.tuples(st.just("samples"), OFFSETS, SAMPLE_SPECS, READ_BY),
    st.tuples(st.just("list"), OFFSETS),
    st.one_of(
        st.tuples(st.just("stream"), OFFSETS, SAMPLE_SPECS, st.booleans()),  # with a len or not
        st.just(("bare",)),  # Dataset() itself: no len, no samples
    ),
)
TREES = st.recursive(
    BASE_DATASETS,
    lambda parts: st.one_of(
        st.tuples(st.just("subset"), parts, SUBSET_INDICES),
        st.tuples(st.just("concat"), st.lists(parts, min_size=1, max_size=3)),
        st.tuples(
            st.sampled_from(["concat", "concat", "concat", "concat with a stream"]),
            st.lists(parts, max_size=2),
        ),
        st.tuples(st.just("add"), st.lists(parts, min_size=2, max_size=2)),
        st.tuples(st.just("chain"), st.lists(parts, max_size=3)),
        st.tuples(
            st.sampled_from(
                ["stack tuple", "stack tuple", "stack dict", "stack dict", "stack both"]
            ),
            st.lists(parts, max_size=3),
        ),
    ),
    max_leaves=4,
)
DATASETS = st.tuples(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 31, 33]), TREES)


def build(lib, recipe):
    """The dataset ``recipe`` describes, made with ``lib``."""
    size, tree = recipe
    return build_tree(lib, tree, size)


def build_tree(lib, tree, size):
    data = lib.utils.data
    kind = tree[0]
    if kind == "tensors":
        return data.TensorDataset(*(make_tensor(lib, part, size) for part in tree[1]))
    if kind == "samples":
        count = max(size + tree[1], 0)
        return samples_dataset(lib, [make_sample(lib, tree[2], i) for i in range(count)], tree[3])
    if kind == "list":
        return [10 * i + 1 for i in range(max(size + tree[1], 0))]
    if kind == "bare":
        return data.Dataset()
    if kind == "stream":
        count = max(size + tree[1], 0)
        return stream(lib, [make_sample(lib, tree[2], i) for i in range(count)], tree[3])
    if kind == "subset":
        base = build_tree(lib, tree[1], size)
        return data.Subset(base, subset_indices(lib, tree[2], size, len(base)))
    parts = [build_tree(lib, part, size) for part in tree[1]]
    if kind == "concat":
        return data.ConcatDataset(parts)
    if kind == "concat with a stream":
        return data.ConcatDataset([*parts, stream(lib, [0, 1], sized=False)])
    if kind == "chain":
        return data.ChainDataset(parts)
    if kind == "add":
        return parts[0] + parts[1]
    named = {f"d{position}": part for position, part in enumerate(parts)}
    if kind == "stack tuple":
        return data.StackDataset(*parts)
    if kind == "stack dict":
        return data.StackDataset(**named)
    return data.StackDataset(*parts, **named)  # both forms: refused


def make_tensor(lib, part, size):
    offset, dtype, trailing, requires_grad = part
    shape = () if offset is None else (max(size + offset, 0), *trailing)
    made = lib.tensor(counting_array(shape, 1).astype(dtype))
    if requires_grad and dtype.startswith("float"):
        made.requires_grad_(True)
    return made


# What the datasets of drawn samples were asked for, in each library: the types of the
# indices a loader or a wrapping dataset hands to a user's dataset.
READS = {"ember": [], "torch": []}


def samples_dataset(lib, samples, read_by):
    reads = READS[lib.__name__]

    class Samples(lib.utils.data.Dataset):
        """Reads a list: negative indices and IndexError as a list has them."""

        def __getitem__(self, index):
            reads.append(("getitem", type(index).__name__))
            return samples[index]

        def __len__(self):
            return len(samples)

    class BatchReadSamples(Samples):
        def __getitems__(self, indices):
            kinds = sorted({type(index).__name__ for index in indices})
            reads.append(("getitems", type(indices).__name__, kinds))
            batch = [samples[index] for index in indices]
            if read_by == "getitems one short":
                return batch[:-1]
            return batch if read_by == "getitems as a list" else tuple(batch)

    return Samples() if read_by == "getitem" else BatchReadSamples()


def take_reads(lib):
    """The reads since the last call."""
    reads = READS[lib.__name__]
    taken = list(reads)
    reads.clear()
    return taken


def stream(lib, samples, sized):
    class Stream(lib.utils.data.IterableDataset):
        def __iter__(self):
            return iter(samples)

    class SizedStream(Stream):
        def __len__(self):
            return len(samples)

    return SizedStream() if sized else Stream()


def subset_indices(lib, spec, size, base_size):
    """A Subset's indices: in range of the base (or its negative form), or as drawn."""
    kind, offset, first, step, where = spec
    count = max(size + offset, 0)
    if kind == "range":
        return range(first, first + count * step, step)
    indices = [first + step * position for position in range(count)]
    if where != "as drawn" and base_size:
        indices = [index % base_size for index in indices]
        if where == "negative":
            indices = [index - base_size for index in indices]
    if kind == "tensor":
        return lib.tensor(indices, dtype=lib.int64)
    if kind == "ndarray":
        return np.array(indices, dtype=np.int64)
    return indices


def all_uniform(recipe):
    """Whether every sample of the dataset has one structure and every index of it lies
    in range, or none does: a random order then cannot change what collate makes of it."""
    return tree_is_uniform(recipe[1])


def tree_is_uniform(tree):
    kind = tree[0]
    if kind in ("samples", "stream"):
        return uniform(tree[2])
    if kind in ("tensors", "list", "bare"):
        return True
    if kind == "subset":  # a range is as drawn, so may reach out of range
        in_range = tree[2][0] != "range" and tree[2][-1] != "as drawn"
        return in_range and tree_is_uniform(tree[1])
    if kind in ("concat", "add") and len(tree[1]) > 1:
        return False  # its parts may differ in dtype, shape or requires_grad
    return all(tree_is_uniform(part) for part in tree[1])


# Actions on a dataset ----------------------------------------------------------------------

INDICES = st.one_of(
    st.integers(-9, 9),
    st.tuples(st.just("near"), st.integers(0, 20)),  # -n - 1 to n, for a dataset of n
    st.tuples(st.sampled_from(["0-d tensor", "numpy int"]), st.integers(-7, 7)),
    st.tuples(st.just("list"), st.lists(st.integers(-3, 5), max_size=3)),
    st.tuples(st.just("slice"), st.integers(-3, 3), st.integers(-3, 6)),
    # not a string: tensor["k0"] is a TypeError in both, but PyTorch warns first that a
    # non-tuple sequence index is deprecated (ember's indexing, not owned here, does not)
    st.tuples(st.just("other"), st.sampled_from([True, False, 1.0, None, "...", "pair"])),
)


def make_index(lib, spec, size):
    if isinstance(spec, int):
        return spec
    if spec[0] == "near":
        return spec[1] % (2 * size + 2) - size - 1
    if spec[0] == "0-d tensor":
        return lib.tensor(spec[1])
    if spec[0] == "numpy int":
        return np.int64(spec[1])
    if spec[0] == "list":
        return list(spec[1])
    if spec[0] == "other":
        return {"...": Ellipsis, "pair": (0, 0)}.get(spec[1], spec[1])
    return slice(spec[1], spec[2])


# None: the default generator; a string: the wrong type
SEEDS = st.sampled_from([None, None, 0, 1, 2, "not a generator"])
BATCH_SIZES = st.sampled_from([None, 1, 2, 3, 5, None, 1, 2, 3, 5, 0, -1, True, 2.0, np.int64(2)])
SAMPLER_KINDS = st.sampled_from(
    [None, None, "sequential", "random", "random with replacement", "list", "reversed range"]
    + ["subset random", "weighted", "tensor", "numpy", "subset random of a tensor", "iterator"]
)
BATCH_SAMPLER_KINDS = st.sampled_from(
    [None, None, None, "sequential", "random", "lists", "tensor lists", "numpy lists"]
    + ["tuple lists"]
)
LOADER_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "batch_size": BATCH_SIZES,
        "shuffle": st.sampled_from([None, False, True]),
        "sampler": SAMPLER_KINDS,
        "batch_sampler": st.tuples(BATCH_SAMPLER_KINDS, st.integers(1, 4), st.booleans()),
        "drop_last": st.sampled_from([False, True, 1]),
        "collate_fn": st.sampled_from([None, "samples as they are"]),
        "generator": SEEDS,
        # worker options without workers: PyTorch refuses most of them
        "timeout": st.sampled_from([0, 0, -1, 2]),
        "prefetch_factor": st.sampled_from([None, None, 2]),
        "persistent_workers": st.sampled_from([False, False, True]),
        # not pin_memory=True: PyTorch warns of no accelerator, ember not (differences.md)
    },
)
COMPLETED = st.sampled_from([True, True, True, False])  # made to add up
# An attribute set after the loader is made: some are fixed from then on
SETTABLE = st.sampled_from(
    [None, None, "batch_size", "sampler", "batch_sampler", "drop_last", "dataset"]
    + ["persistent_workers", "num_workers", "collate_fn", "generator", "pin_memory"]
)
# The container the lengths come in
LENGTH_FORMS = st.sampled_from(["list", "list", "tuple", "floats", "numpy", "tensor"])
SPLIT_LENGTHS = st.one_of(
    st.tuples(
        st.just("counts"),
        st.lists(st.integers(0, 3), min_size=1, max_size=4),
        COMPLETED,
        LENGTH_FORMS,
    ),
    st.tuples(
        st.just("fractions"),
        st.lists(
            st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.3, 1 / 3, 0.5, 0.7, 1.0, 1.2]), max_size=4
        ),
        COMPLETED,
        LENGTH_FORMS,
    ),
)
SAMPLERS = st.one_of(
    st.tuples(st.just("sequential")),
    st.tuples(st.just("base")),  # Sampler() itself
    st.tuples(
        st.just("random"),
        st.sampled_from([False, True, False, True, 1, None]),
        st.sampled_from([None, None, None, 1, 3, 7, 12, 0, -2, 1.5, True]),
        SEEDS,
    ),
    st.tuples(
        st.just("subset random"),
        SUBSET_INDICES,
        SEEDS,
    ),
    st.tuples(
        st.just("weighted"),
        st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0, 0.5, 1.0, 3.0, -1.0]), max_size=5),
        st.sampled_from([1, 3, 6, 1, 3, 6, 0, -1, 2.0, True]),
        st.sampled_from([True, False, True, False, 1]),
        st.sampled_from([False, False, False, True]),  # weights as a 2-d list
        st.sampled_from(["list", "list", "tuple", "numpy", "tensor"]),
    ),
    st.tuples(
        st.just("batch"),
        st.sampled_from(["sequential", "list", "random"]),
        st.sampled_from([1, 2, 3, 1, 2, 3, 0, -1, 2.0, True, None]),
        st.sampled_from([False, True, False, True, 0, None]),
    ),
)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("len")),
        st.tuples(st.just("getitem"), INDICES),
        st.tuples(st.just("attributes")),
        st.tuples(st.just("loader"), LOADER_OPTIONS, SETTABLE),
        st.tuples(st.just("loader"), LOADER_OPTIONS, SETTABLE),
        st.tuples(st.just("split"), SPLIT_LENGTHS, SEEDS),
        st.tuples(st.just("sampler"), SAMPLERS),
    ),
    min_size=1,
    max_size=5,
)


def run_scenario(lib, recipe, actions):
    seen = Observations(lib)
    take_reads(lib)
    dataset, outcome = seen.see("build", lambda: build(lib, recipe))
    if raised(outcome) or dataset is None:
        return seen.seen
    for action in actions:
        ACTION_RUNNERS[action[0]](seen, dataset, recipe, *action[1:])
    return seen.seen


def run_len(seen, dataset, recipe):
    seen.see("len", lambda: len(dataset))


def run_getitem(seen, dataset, recipe, index_spec):
    index = make_index(seen.lib, index_spec, recipe[0])
    take_reads(seen.lib)
    seen.see(f"dataset[{index_spec}]", lambda: dataset[index])
    seen.see("what it asked the datasets inside", lambda: take_reads(seen.lib))


def run_attributes(seen, dataset, recipe):
    """What a user reads of a dataset: its class, its parts, its indices."""
    for name in ("cumulative_sizes", "indices", "tensors", "datasets"):
        if hasattr(dataset, name):
            seen.see(f"dataset.{name}", lambda name=name: getattr(dataset, name))


ACTION_RUNNERS = {"len": run_len, "getitem": run_getitem, "attributes": run_attributes}


# The loader --------------------------------------------------------------------------------


def make_generator(lib, seed):
    if seed == "not a generator":
        return seed
    return None if seed is None else lib.Generator().manual_seed(seed)


def make_sampler_option(lib, dataset, kind):
    data = lib.utils.data
    size = len(dataset)
    makers = {
        "sequential": lambda: data.SequentialSampler(dataset),
        "random": lambda: data.RandomSampler(dataset),
        "random with replacement": lambda: data.RandomSampler(
            dataset, replacement=True, num_samples=size + 1
        ),
        "list": lambda: [index % (size + 1) - 1 for index in range(size + 2)],
        "reversed range": lambda: range(size - 1, -1, -1),
        "subset random": lambda: data.SubsetRandomSampler(list(range(size))),
        "weighted": lambda: data.WeightedRandomSampler([1.0] * size, max(size, 1)),
        "tensor": lambda: lib.arange(size - 1, -1, -1),  # 0-d tensors as indices
        "numpy": lambda: np.arange(size),  # NumPy ints as indices
        "iterator": lambda: iter(range(size)),  # no len, and spent after one epoch
        "subset random of a tensor": lambda: data.SubsetRandomSampler(lib.arange(size)),
    }
    return makers[kind]()


def make_batch_sampler_option(lib, dataset, spec):
    kind, batch_size, drop_last = spec
    data = lib.utils.data
    if kind.endswith("lists"):
        size = len(dataset)
        starts = range(0, size, 3)
        batches = [list(range(start, min(start + batch_size, size))) for start in starts]
        if kind == "tensor lists":  # a list of 1-d tensors: each batch's indices, 0-d tensors
            return [lib.tensor(batch, dtype=lib.int64) for batch in batches]
        if kind == "numpy lists":
            return [np.array(batch, dtype=np.int64) for batch in batches]
        if kind == "tuple lists":
            return [tuple(batch) for batch in batches]
        return batches
    inner = data.SequentialSampler(dataset) if kind == "sequential" else data.RandomSampler(dataset)
    return data.BatchSampler(inner, batch_size, drop_last)


RANDOM_SAMPLERS = ("random", "random with replacement", "subset random", "weighted")
RANDOM_SAMPLERS += ("subset random of a tensor",)
REPLACING_SAMPLERS = ("random with replacement", "weighted")


def loader_order(options):
    """'random', 'replacing' (random, with repeats) or 'fixed': how the loader orders samples."""
    sampler = options.get("sampler")
    batch_sampler = options.get("batch_sampler") or (None,)
    drops = options.get("drop_last") or batch_sampler[-1] is True
    if sampler in REPLACING_SAMPLERS or (drops and loader_order_is_random(options)):
        return "replacing"  # draws repeat, or the samples dropped are random ones
    return "random" if loader_order_is_random(options) else "fixed"


def loader_order_is_random(options):
    batch_sampler = options.get("batch_sampler") or (None,)
    random_sampler = options.get("sampler") in RANDOM_SAMPLERS
    return bool(options.get("shuffle")) or random_sampler or batch_sampler[0] == "random"


def loader_arguments(lib, dataset, options):
    arguments = dict(options)
    if arguments.get("sampler") is not None:
        arguments["sampler"] = make_sampler_option(lib, dataset, arguments["sampler"])
    if "batch_sampler" in arguments:
        spec = arguments["batch_sampler"]
        arguments["batch_sampler"] = spec[0] and make_batch_sampler_option(lib, dataset, spec)
    if arguments.get("collate_fn") == "samples as they are":
        arguments["collate_fn"] = samples_as_they_are
    if "generator" in arguments:
        arguments["generator"] = make_generator(lib, arguments["generator"])
    return arguments


def samples_as_they_are(samples):
    return samples


def describe_loader(loader):
    streams = (ember.utils.data.IterableDataset, torch.utils.data.IterableDataset)
    if isinstance(loader.dataset, streams):  # its sampler and batch_sampler: see the docstring
        samplers = None
    else:
        samplers = (sampler_picture(loader.sampler), sampler_picture(loader.batch_sampler))
    return (
        samplers,
        loader.batch_size,
        loader.drop_last,
        loader.collate_fn.__name__,
    )


def sampler_picture(sampler):
    """A sampler's class and the settings a user reads back."""
    settings = ("batch_size", "drop_last", "replacement", "num_samples")
    inner = getattr(sampler, "sampler", None)
    return (
        describe(sampler),
        [(name, getattr(sampler, name)) for name in settings if hasattr(sampler, name)],
        None if inner is None else sampler_picture(inner),
    )


def describe_random_epoch(batches, with_values=True):
    """An epoch in a random order: each batch's types and shapes, the multiset of values."""
    pictures = [describe(batch) for batch in batches]
    shapes = [shapes_only(picture) for picture in pictures]
    if not with_values:
        return shapes
    return shapes, sorted(pair for picture in pictures for pair in read_values(picture))


def signature(tree):
    """What a sample of the dataset ``tree`` looks like, or None where parts of it differ."""
    kind = tree[0]
    if kind == "tensors":
        return ("tensors", len(tree[1]))
    if kind in ("samples", "stream"):
        return None if mixes_numbers(tree[2]) else ("samples", tree[2])
    if kind in ("list", "bare"):
        return (kind,)
    if kind == "subset":
        return signature(tree[1])
    parts = [signature(part) for part in tree[1]]
    if kind.startswith("stack"):
        return None if None in parts else (kind, tuple(parts))
    return parts[0] if parts and all(part == parts[0] for part in parts) else None


def has_mixed_parts(tree):
    return signature(tree) is None


def length_or_none(dataset):
    try:
        return len(dataset)
    except Exception:  # noqa: BLE001 - any failure: no length to go by
        return None


def run_loader(seen, dataset, recipe, options, settable):
    loader = load(seen, dataset, recipe, options)
    if loader is not None and settable is not None:
        value = {"batch_size": 2, "drop_last": True, "dataset": [1, 2]}.get(settable, None)
        seen.see(f"loader.{settable} = {value}", lambda: setattr(loader, settable, value))
        streams = (ember.utils.data.IterableDataset, torch.utils.data.IterableDataset)
        if settable in ("sampler", "batch_sampler") and isinstance(dataset, streams):
            return  # None in ember's loader of a stream (docs/differences.md)
        seen.see(f"loader.{settable}", lambda: getattr(loader, settable), sampler_picture)


def load(seen, dataset, recipe, options):
    """The loader ``options`` describe, over ``dataset``, after two epochs of it."""
    lib = seen.lib
    if loader_order(options) != "fixed" and not all_uniform(recipe):
        return  # which samples meet in a batch decides collate's outcome: see all_uniform
    batched = options.get("batch_size", 1) is not None or (options.get("batch_sampler") or [0])[0]
    if batched and has_mixed_parts(recipe[1]):
        # A batch of a Python number and a sequence (or a string) is ember.tensor's
        # ValueError, PyTorch's TypeError: a fix for ember/creation.py, not owned here
        return
    if options.get("sampler") == "weighted" and length_or_none(dataset) == 0:
        return  # no weights: ember.multinomial's ValueError (see run_sampler)
    loader, outcome = seen.see(
        f"DataLoader({options})",
        lambda: lib.utils.data.DataLoader(dataset, **loader_arguments(lib, dataset, options)),
        describe_loader,
    )
    if raised(outcome):
        return
    seen.see("len(loader)", lambda: len(loader))
    order = loader_order(options)
    if order == "fixed":
        epoch = describe
    else:
        epoch = lambda batches: describe_random_epoch(batches, order == "random")  # noqa: E731
    reads = describe if order == "fixed" else lambda taken: sorted(set(map(repr, taken)))
    take_reads(lib)
    for turn in ("first", "second"):
        seen.see(f"{turn} epoch", lambda: list(loader), epoch)
        seen.see(f"what the {turn} epoch asked the dataset", lambda: take_reads(lib), reads)
        if isinstance(dataset, list) and options.get("timeout") == 0:  # now and then
            dataset.append(10 * len(dataset) + 1)  # samplers read len() afresh each epoch
            seen.see("len(loader) after the dataset grew", lambda: len(loader))
    streams = (ember.utils.data.IterableDataset, torch.utils.data.IterableDataset)
    if not isinstance(dataset, streams):
        # PyTorch's iterator over a stream has no len (TypeError); ember's has the loader's,
        # which tests/test_dataloader.py pins
        seen.see("len(iter(loader))", lambda: len(iter(loader)))
    return loader


ACTION_RUNNERS["loader"] = run_loader


# random_split ------------------------------------------------------------------------------


def in_form(lib, values, form):
    if form == "tuple":
        return tuple(values)
    if form == "floats":
        return [float(value) for value in values]
    if form == "numpy":
        return np.array(values)
    if form == "tensor":
        return lib.tensor(values)
    return list(values)


def split_lengths(spec, size):
    kind, values, completed, _ = spec
    lengths = list(values)
    if kind == "counts" and completed:  # make them add up, where that needs no negative
        lengths[-1] = max(size - sum(lengths[:-1]), 0)
    if kind == "fractions" and completed and lengths:
        lengths[-1] = 1 - sum(lengths[:-1])
    return lengths


def describe_split(splits, dataset, generator_seed, lengths, lib):
    """What random_split promises: sizes, types, disjoint parts that cover the dataset,
    the same parts again from the same seed."""
    indices = [list(split.indices) for split in splits]
    everything = sorted(index for part in indices for index in part)
    again = None
    if generator_seed is not None:
        repeat = lib.utils.data.random_split(dataset, lengths, make_generator(lib, generator_seed))
        again = [list(split.indices) for split in repeat] == indices
    element_types = sorted({type(index).__name__ for part in indices for index in part})
    return (
        type(splits).__name__,
        [(type(split).__name__, len(split), type(split.indices).__name__) for split in splits],
        element_types,
        everything == list(range(len(dataset))),
        all(split.dataset is dataset for split in splits),
        again,
    )


def run_split(seen, dataset, recipe, spec, seed):
    lib = seen.lib
    size = seen.see("len before a split", lambda: len(dataset))[0]
    if size is None:
        return
    lengths = split_lengths(spec, size)
    if spec[0] == "counts" and any(length < 0 for length in lengths):
        return  # ember refuses negative lengths (docs/differences.md)
    lengths = in_form(lib, lengths, spec[3])

    def split():
        return lib.utils.data.random_split(dataset, lengths, make_generator(lib, seed))

    seen.see(
        f"random_split({lengths})",
        split,
        lambda splits: describe_split(splits, dataset, seed, lengths, lib),
    )


ACTION_RUNNERS["split"] = run_split


# Samplers ----------------------------------------------------------------------------------


def describe_draws(draws, size, replacement):
    """Random draws: how many, their types, in range, and how often each index came."""
    counts = collections.Counter(int(draw) for draw in draws)
    return (
        len(draws),
        sorted({type(draw).__name__ for draw in draws}),
        all(0 <= index < size for index in counts),
        None if replacement else sorted(counts.values()),
    )


def make_sampler(lib, dataset, spec):
    """The sampler ``spec`` describes, and a function that summarises one pass over it."""
    data = lib.utils.data
    kind = spec[0]
    if kind == "sequential":
        return data.SequentialSampler(dataset), describe
    if kind == "base":
        return data.Sampler(), describe
    if kind == "random":
        _, replacement, num_samples, seed = spec
        sampler = data.RandomSampler(dataset, replacement, num_samples, make_generator(lib, seed))
        return sampler, lambda draws: describe_draws(draws, len(dataset), replacement)
    if kind == "subset random":
        indices = subset_indices(lib, spec[1], len(dataset), len(dataset))
        sampler = data.SubsetRandomSampler(indices, make_generator(lib, spec[2]))
        return sampler, lambda draws: sorted(describe(draw) for draw in draws)
    if kind == "weighted":
        return make_weighted(lib, spec)
    inner_kind, batch_size, drop_last = spec[1:]
    inner = {
        "sequential": lambda: data.SequentialSampler(dataset),
        "list": lambda: [3, 1, 4, 1, 5][: len(dataset)],
        "random": lambda: data.RandomSampler(dataset),
    }[inner_kind]()
    sampler = data.BatchSampler(inner, batch_size, drop_last)
    if inner_kind != "random":
        return sampler, describe
    return sampler, lambda batches: (
        [len(batch) for batch in batches],
        describe_draws([index for batch in batches for index in batch], len(dataset), False),
    )


def make_weighted(lib, spec):
    _, weights, num_samples, replacement, two_dims, form = spec
    given = in_form(lib, [weights] if two_dims else weights, form)
    sampler = lib.utils.data.WeightedRandomSampler(given, num_samples, replacement)
    zero = [index for index, weight in enumerate(weights) if weight == 0]

    def summary(draws):
        nonzero = len(weights) - len(zero)
        runs_out = not replacement and num_samples > nonzero  # leaves zeros (differences.md)
        zero_drawn = None if runs_out else any(int(draw) in zero for draw in draws)
        return describe_draws(draws, len(weights), replacement), zero_drawn

    return sampler, summary


def run_sampler(seen, dataset, recipe, spec):
    lib = seen.lib
    made, outcome = seen.see(
        f"sampler {spec}",
        lambda: make_sampler(lib, dataset, spec),
        lambda made: sampler_picture(made[0]),
    )
    if raised(outcome):
        return
    sampler, summary = made
    seen.see("len(sampler)", lambda: len(sampler))
    if spec[0] == "weighted" and not spec[1] and spec[3]:
        # ember.multinomial of no categories with replacement is NumPy's ValueError (PyTorch:
        # RuntimeError); the fix belongs in ember/random.py, which this pass does not own
        return
    seen.see("iter(sampler)", lambda: list(sampler), summary)


ACTION_RUNNERS["sampler"] = run_sampler


@SETTINGS
@given(recipe=DATASETS, actions=ACTIONS)
def test_random_data_scenarios_match_torch(recipe, actions):
    ember_seen = run_scenario(ember, recipe, actions)
    torch_seen = run_scenario(torch, recipe, actions)
    assert_same_observations(ember_seen, torch_seen)


# Collation -------------------------------------------------------------------------------


def run_collation(lib, spec, count, start):
    seen = Observations(lib)
    samples = [make_sample(lib, spec, i) for i in range(start, start + count)]
    data = lib.utils.data
    if not mixes_numbers(spec):  # see mixes_numbers
        seen.see("default_collate", lambda: data.default_collate(samples))
    for position, sample in enumerate(samples):
        seen.see(
            f"default_convert of sample {position}",
            lambda sample=sample: data.default_convert(sample),
        )
    return seen.seen


@SETTINGS
@given(spec=SAMPLE_SPECS, count=st.integers(0, 5), start=st.integers(0, 3))
def test_random_collation_matches_torch(spec, count, start):
    ember_seen = run_collation(ember, spec, count, start)
    torch_seen = run_collation(torch, spec, count, start)
    assert_same_observations(ember_seen, torch_seen)


# Found by this pass, and fixed ------------------------------------------------------------


def both_raise_alike(make):
    """``make(lib)`` raises in ember the builtin exception type it raises in torch."""
    outcomes = []
    for lib in (ember, torch):
        try:
            make(lib)
            outcomes.append(None)
        except Exception as error:  # noqa: BLE001 - the type is what we compare
            outcomes.append(builtin_base(type(error)))
    assert outcomes[1] is not None, "torch did not raise"
    assert outcomes[0] is outcomes[1], outcomes


def test_tensor_dataset_reports_a_size_mismatch_before_a_later_0d_tensor_like_torch():
    both_raise_alike(
        lambda lib: lib.utils.data.TensorDataset(lib.zeros(0), lib.zeros(1), lib.tensor(0.0))
    )


def test_stack_dataset_reports_a_length_mismatch_before_a_later_len_error_like_torch():
    def make(lib):
        data = lib.utils.data
        data.StackDataset([1], [], data.TensorDataset())  # the last has no len

    both_raise_alike(make)


def test_collating_numpy_bools_with_numpy_ints_is_a_type_error_like_torch():
    for batch in ([np.int64(1), np.bool_(True)], [np.bool_(True), np.uint8(2)]):
        both_raise_alike(lambda lib, batch=batch: lib.utils.data.default_collate(batch))


def test_an_out_of_range_index_of_empty_samples_is_an_index_error_in_a_loader_like_torch():
    def make(lib):
        data = lib.utils.data
        return list(data.DataLoader(data.Subset(data.TensorDataset(lib.zeros(1, 0)), [1])))

    both_raise_alike(make)


def test_random_sampler_with_replacement_draws_one_sample_for_true_like_torch():
    for lib in (ember, torch):
        sampler = lib.utils.data.RandomSampler([5, 6], replacement=True, num_samples=True)
        draws = list(sampler)
        assert len(draws) == 1 and type(draws[0]) is int


def test_chain_dataset_len_refuses_a_map_style_part_like_torch():
    both_raise_alike(lambda lib: len(lib.utils.data.ChainDataset([lib.utils.data.TensorDataset()])))


def test_a_loader_refuses_a_generator_of_the_wrong_type_at_iter_even_unshuffled_like_torch():
    both_raise_alike(lambda lib: iter(lib.utils.data.DataLoader([1, 2], generator="not one")))


def test_random_split_reports_a_wrong_sum_before_a_negative_length_like_torch():
    for lib in (ember, torch):
        with pytest.raises(ValueError, match="Sum of input lengths"):
            lib.utils.data.random_split([1, 2], [4, -1, 0])


def test_random_split_refuses_float_counts_with_a_type_error_and_draws_nothing_like_torch():
    both_raise_alike(lambda lib: lib.utils.data.random_split([1, 2], [1.0, 1.0]))
    ember.manual_seed(3)
    before = ember.rand(1)
    ember.manual_seed(3)
    with pytest.raises(TypeError, match="integers"):
        ember.utils.data.random_split([1, 2], [1.0, 1.0])
    assert ember.rand(1).item() == before.item()


def test_random_sampler_of_nothing_divides_by_zero_before_reading_its_generator_like_torch():
    both_raise_alike(
        lambda lib: list(lib.utils.data.RandomSampler([], num_samples=1, generator="not one"))
    )


def test_a_timeout_without_workers_is_refused_when_iteration_starts_like_torch():
    for lib in (ember, torch):
        loader = lib.utils.data.DataLoader([1, 2], timeout=2)  # accepted here
        with pytest.raises(AssertionError):
            iter(loader)


def test_the_first_part_of_a_concat_dataset_reads_the_index_as_given_like_torch():
    pictures = []
    for lib in (ember, torch):
        part = lib.utils.data.TensorDataset(lib.arange(4.0).reshape(2, 2))
        pictures.append(describe(lib.utils.data.ConcatDataset([part, part])[True]))
    assert pictures[0] == pictures[1]  # a bool index adds a dim: shape (1, 2)
