"""Random calls of the book's helpers (the tenth pass): ``ember.d2l`` beside the book's own
definitions, written out below in torch (``BOOK``) as *Dive into Deep Learning* gives them.

Each scenario draws one helper and its arguments, as NumPy data that both libraries
receive alike: ``synthetic_data`` (weights of 1 or 2 dims, lists, 0-d; dtypes; a bias
that is a number, a 0-d or 1-d tensor; requires_grad; -1 to 40 examples; the noise is
random, so the result is compared by dtype, shape and requires_grad, and y = Xw + b is
checked to hold within six noise deviations), ``data_iter`` (batch sizes that divide and
do not, equal to or past the length, 0, a bool, a float, a 0-d tensor, a NumPy int;
features of 1 to 3 dims and any dtype; Python's ``random`` seeded alike, so the shuffled
order is compared batch by batch), ``linreg`` and ``squared_loss`` (shapes that fit and
that do not, dtypes, requires_grad, then ``backward`` and the gradients), ``sgd`` (one to
three parameters of float16/32/64, one listed twice, as a list or a generator, gradients
from ``backward`` or set by hand; lr of every kind; batch sizes including 0; the same
gradient objects zeroed in place), ``load_array`` (one to three tensors, mismatched
lengths, batch sizes that are 0, negative, None or a float, ``is_train`` both ways: the
unshuffled batches value by value, the shuffled ones by count, size, type and that each
row stays beside its partners), ``Accumulator`` (adds of ints, floats, bools, NumPy
numbers and tensors, resets and indexing), ``accuracy``, ``evaluate_accuracy`` and
``evaluate_loss`` (a module, a function, a module with dropout; lists of batches or a
``load_array`` loader), ``train_epoch_ch3`` (an ``nn.Linear`` with SGD, momentum or Adam,
or the from-scratch softmax model with ``sgd``), ``Timer``'s totals over given laps,
``get_fashion_mnist_labels``, the book's short names (``reshape``, ``size``, ``astype``,
``reduce_sum``, ``argmax``, ``concat``... with their arguments and keywords) and the
device helpers. It compares the results (tensors: values, dtype, shape, requires_grad),
parameters and gradients after the call, return types and lengths, whether a warning
was raised, and the builtin base of the exception type where the book's code raises.

Left out, as ember refuses or repairs on purpose what the book's code lets through
(tests/test_d2l.py pins each): ``data_iter`` with a negative batch size (the book yields
nothing) or labels of another length than the features (the book fails at a random batch,
or not at all); ``sgd`` on a parameter without a gradient (the book's fails on ``None``);
``Accumulator.add`` with the wrong number of values (the book drops the extra ones);
``accuracy`` with labels of another shape than the predictions (the book broadcasts the
comparison into a square); ``evaluate_accuracy`` and ``evaluate_loss`` over no batch (the
book divides by zero), and whether ``evaluate_loss`` leaves a module in eval mode (the
book's never calls ``eval``); ``Timer.avg`` before any lap (the book divides by zero);
the warning the book's ``train_epoch_ch3`` and ``evaluate_loss`` give when they call
float() on a loss that needs a gradient. A float16 ``sgd`` takes an lr that float16 holds
exactly, as ember rounds lr to float16 first (docs/differences.md). The plotting
helpers draw with matplotlib in both and are left to tests/test_d2l.py.

``EMBER_RANDOM_SCENARIOS=3000`` runs more than the suite's default.
"""

import os
import random
import time
import types
import warnings

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import builtin_base, ember_s_own_filter, random_settings
from test_random_programs_seventh import one_of, usually
from torch.utils import data as torch_data

import ember
from ember import d2l

EXAMPLES = int(os.environ.get("EMBER_RANDOM_SCENARIOS", "300"))
FLOATS = ("float32", "float64")
DTYPES = ("float32", "float64", "int64", "int32", "bool")


# The book's helpers, as its PyTorch edition defines them ----------------------------------


def book_synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def book_data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i : min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def book_linreg(X, w, b):
    return torch.matmul(X, w) + b


def book_squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def book_sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def book_load_array(data_arrays, batch_size, is_train=True):
    dataset = torch_data.TensorDataset(*data_arrays)
    return torch_data.DataLoader(dataset, batch_size, shuffle=is_train)


class BookAccumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def book_accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def book_evaluate_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = BookAccumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(book_accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def book_evaluate_loss(net, data_iter, loss):
    metric = BookAccumulator(2)
    for X, y in data_iter:
        out = net(X)
        y = y.reshape(out.shape)
        l = loss(out, y)  # noqa: E741 - the book's name
        metric.add(l.sum(), l.numel())
    return metric[0] / metric[1]


def book_train_epoch_ch3(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = BookAccumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)  # noqa: E741 - the book's name
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), book_accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


class BookTimer:
    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        self.tik = time.time()

    def stop(self):
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def avg(self):
        return sum(self.times) / len(self.times)

    def sum(self):
        return sum(self.times)

    def cumsum(self):
        return np.array(self.times).cumsum().tolist()


BOOK_LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat"]
BOOK_LABELS += ["sandal", "shirt", "sneaker", "bag", "ankle boot"]


def book_get_fashion_mnist_labels(labels):
    return [BOOK_LABELS[int(i)] for i in labels]


BOOK_ALIASES = {
    "numpy": lambda x, *args, **kwargs: x.detach().numpy(*args, **kwargs),
    "size": lambda x, *args, **kwargs: x.numel(*args, **kwargs),
    "reshape": lambda x, *args, **kwargs: x.reshape(*args, **kwargs),
    "to": lambda x, *args, **kwargs: x.to(*args, **kwargs),
    "reduce_sum": lambda x, *args, **kwargs: x.sum(*args, **kwargs),
    "argmax": lambda x, *args, **kwargs: x.argmax(*args, **kwargs),
    "astype": lambda x, *args, **kwargs: x.type(*args, **kwargs),
    "transpose": lambda x, *args, **kwargs: x.t(*args, **kwargs),
    "reduce_mean": lambda x, *args, **kwargs: x.mean(*args, **kwargs),
    "concat": torch.cat,
    "stack": torch.stack,
    "matmul": torch.matmul,
    "batch_matmul": torch.bmm,
}


def book_try_gpu(i=0):
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def book_try_all_gpus():
    devices = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device("cpu")]


BOOK = types.SimpleNamespace(
    **BOOK_ALIASES,
    try_gpu=book_try_gpu,
    try_all_gpus=book_try_all_gpus,
    num_gpus=torch.cuda.device_count,
    synthetic_data=book_synthetic_data,
    data_iter=book_data_iter,
    linreg=book_linreg,
    squared_loss=book_squared_loss,
    sgd=book_sgd,
    load_array=book_load_array,
    Accumulator=BookAccumulator,
    accuracy=book_accuracy,
    evaluate_accuracy=book_evaluate_accuracy,
    evaluate_loss=book_evaluate_loss,
    train_epoch_ch3=book_train_epoch_ch3,
    Timer=BookTimer,
    get_fashion_mnist_labels=book_get_fashion_mnist_labels,
)
HELPERS = {torch: BOOK, ember: d2l}


# What a user sees -------------------------------------------------------------------------


def is_tensor(value):
    return isinstance(value, (torch.Tensor, ember.Tensor))


def dtype_name(tensor):
    return str(tensor.dtype).rsplit(".", 1)[-1]


def seen(value):
    """A comparable picture of ``value``: tensors by dtype, shape, requires_grad and values."""
    if is_tensor(value):
        values = value.detach().numpy()
        return ("tensor", dtype_name(value), tuple(value.shape), value.requires_grad, values)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [seen(item) for item in value])
    if isinstance(value, (bool, int, float, str, type(None))):
        return (type(value).__name__, value)
    return type(value).__name__


def assert_same_picture(ember_seen, torch_seen, where, tolerance=(1e-5, 1e-5)):
    if isinstance(torch_seen, tuple) and torch_seen[0] == "tensor":
        assert ember_seen[:4] == torch_seen[:4], f"{where}: {ember_seen[:4]} != {torch_seen[:4]}"
        expected, actual = torch_seen[4], ember_seen[4]
        if expected.dtype.kind == "f":
            np.testing.assert_allclose(actual, expected, *reversed(tolerance), err_msg=where)
        else:
            assert np.array_equal(actual, expected), f"{where}: {actual} != {expected}"
        return
    if isinstance(torch_seen, tuple) and torch_seen[0] in ("list", "tuple"):
        assert ember_seen[0] == torch_seen[0], f"{where}: {ember_seen[0]} != {torch_seen[0]}"
        assert len(ember_seen[1]) == len(torch_seen[1]), f"{where}: lengths differ"
        for i, (e, t) in enumerate(zip(ember_seen[1], torch_seen[1])):
            assert_same_picture(e, t, f"{where}[{i}]", tolerance)
        return
    if isinstance(torch_seen, tuple) and torch_seen[0] == "float":
        assert ember_seen[0] == "float", f"{where}: {ember_seen} != {torch_seen}"
        np.testing.assert_allclose(ember_seen[1], torch_seen[1], *reversed(tolerance))
        return
    assert ember_seen == torch_seen, f"{where}: {ember_seen} != {torch_seen}"


def outcome(lib, scenario):
    """What the scenario shows in ``lib``: the picture, or None and the builtin base of the
    error type, the error's message, and whether it warned."""
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        ember_s_own_filter()
        try:
            result = seen(scenario.act(lib, HELPERS[lib])), None, ""
        except Exception as caught:  # noqa: BLE001 - the type is what is compared
            result = None, builtin_base(type(caught)), str(caught)
    return *result, bool(caught_warnings)


def make(lib, array, dtype, requires_grad=False):
    return lib.tensor(np.asarray(array).astype(dtype), requires_grad=requires_grad)


def grads(*tensors):
    return [t.grad for t in tensors if is_tensor(t) and t.requires_grad]


# The scenarios -----------------------------------------------------------------------------


class Scenario:
    """One drawn call; ``act(lib, helpers)`` runs it and returns what the user sees."""

    atol = rtol = 1e-5
    # False where the book's own code converts a tensor that needs a gradient with float()
    # (torch warns), where ember's detaches it or runs under no_grad
    compare_warnings = True

    def __repr__(self):
        fields = {k: v for k, v in vars(self).items() if not k.startswith("_")}
        return f"{type(self).__name__}({fields})"


def draw_array(draw, shape, low=-3, high=3):
    seed = draw(st.integers(0, 2**16))
    return np.random.default_rng(seed).uniform(low, high, shape)


def draw_grad_flag(draw, dtype):
    return dtype in FLOATS and not usually(draw, 2)


class SyntheticData(Scenario):
    def __init__(self, draw):
        k = one_of(draw, (1, 2, 3))
        self.w_shape = one_of(draw, ((k,), (k,), (k, 1), (k, 2)) if usually(draw, 6) else ((),))
        self.w_kind = "tensor" if usually(draw, 6) else "list"
        self.w = draw_array(draw, self.w_shape)
        self.w_dtype = "float32" if usually(draw, 4) else one_of(draw, ("float64", "int64"))
        self.w_grad = draw_grad_flag(draw, self.w_dtype)
        self.b_kind = one_of(draw, ("float", "int", "0-d", "(1,)", "(2,)", "(3,)"))
        self.b_grad = not usually(draw, 3)
        self.n = one_of(draw, (0, 1, 5, 40) if usually(draw, 8) else (-1,))

    def bias(self, lib):
        if self.b_kind in ("float", "int"):
            return 4.2 if self.b_kind == "float" else 4
        shape = () if self.b_kind == "0-d" else (int(self.b_kind[1]),)
        return make(lib, np.full(shape, 4.2), "float32", self.b_grad)

    def act(self, lib, helpers):
        if self.w_kind == "list":
            w = self.w.tolist()
        else:
            w = make(lib, self.w, self.w_dtype, self.w_grad)
        b = self.bias(lib)
        X, y = helpers.synthetic_data(w, b, self.n)
        # the noise is random: y = Xw + b holds to 6 of its standard deviations (0.01)
        with lib.no_grad():
            clean = (lib.matmul(X, w) + b).reshape(-1, 1)
            noise_fits = bool((y - clean).abs().max() < 0.06) if y.numel() else True
        return [(dtype_name(t), tuple(t.shape), t.requires_grad) for t in (X, y)], noise_fits


class DataIter(Scenario):
    def __init__(self, draw):
        self.n = one_of(draw, (0, 1, 4, 7, 10, 12))
        self.batch_kind = one_of(draw, ("int", "int", "int", "bool", "float", "0-d", "numpy"))
        choices = (1, 2, 3, 4, 5, self.n, self.n + 1, 0)
        self.batch_size = one_of(draw, choices)
        if self.batch_kind == "float":
            self.batch_size = one_of(draw, (2.0, 0.5))
        self.features_shape = one_of(draw, ((self.n, 2), (self.n,), (self.n, 1, 3)))
        self.features_dtype = one_of(draw, DTYPES)
        self.features_grad = draw_grad_flag(draw, self.features_dtype)
        self.labels_shape = one_of(draw, ((self.n,), (self.n, 1)))
        self.labels_dtype = one_of(draw, DTYPES)
        self.seed = draw(st.integers(0, 1000))
        self.features = draw_array(draw, self.features_shape)
        self.labels = draw_array(draw, self.labels_shape)

    def chosen_batch_size(self, lib):
        size = self.batch_size
        if self.batch_kind == "bool":
            return bool(size)
        if self.batch_kind == "0-d":
            return lib.tensor(size)
        if self.batch_kind == "numpy":
            return np.int64(size)
        return size

    def act(self, lib, helpers):
        features = make(lib, self.features, self.features_dtype, self.features_grad)
        labels = make(lib, self.labels, self.labels_dtype)
        random.seed(self.seed)
        return list(helpers.data_iter(self.chosen_batch_size(lib), features, labels))


class Linreg(Scenario):
    def __init__(self, draw):
        n, k = one_of(draw, (0, 1, 4)), one_of(draw, (1, 2, 3))
        self.X_shape = one_of(draw, ((n, k), (n, k), (k,), (2, n, k)))
        self.w_shape = one_of(draw, ((k,), (k, 1), (k, 2), (k + 1,), (k + 1, 1)))
        self.b_shape = one_of(draw, ("float", "int", (), (1,), (2,), (3,), (n, 1)))
        mixed = ("float32", "float32", "float64", "int64")
        self.dtypes = [one_of(draw, mixed) if not usually(draw, 4) else "float32" for _ in "Xwb"]
        self.flags = [draw_grad_flag(draw, dtype) for dtype in self.dtypes]
        self.arrays = [draw_array(draw, s) for s in (self.X_shape, self.w_shape, ())]
        if self.b_shape not in ("float", "int"):
            self.arrays[2] = draw_array(draw, self.b_shape)
        self.backward = usually(draw, 2)

    def act(self, lib, helpers):
        X, w = (make(lib, *drawn) for drawn in zip(self.arrays[:2], self.dtypes, self.flags))
        if self.b_shape in ("float", "int"):
            b = 0.5 if self.b_shape == "float" else 2
        else:
            b = make(lib, self.arrays[2], self.dtypes[2], self.flags[2])
        out = helpers.linreg(X, w, b)
        if self.backward and out.requires_grad:
            (out * out).sum().backward()
        return out, grads(X, w, b)


class SquaredLoss(Scenario):
    def __init__(self, draw):
        n = one_of(draw, (0, 1, 3, 4))
        self.y_hat_shape = one_of(draw, ((n, 1), (n,), (n, 2)))
        fits = ((n,), (n, 1)) if self.y_hat_shape != (n, 2) else ((2 * n,), (n, 2), (2, n))
        self.y_shape = one_of(draw, fits if usually(draw, 4) else ((n + 1,), ()))
        self.dtypes = [one_of(draw, ("float32", "float64", "int64")) for _ in "ab"]
        self.flags = [draw_grad_flag(draw, dtype) for dtype in self.dtypes]
        self.arrays = [draw_array(draw, s) for s in (self.y_hat_shape, self.y_shape)]

    def act(self, lib, helpers):
        y_hat, y = (make(lib, a, d, g) for a, d, g in zip(self.arrays, self.dtypes, self.flags))
        loss = helpers.squared_loss(y_hat, y)
        if loss.requires_grad:
            loss.sum().backward()
        return loss, grads(y_hat, y)


class Sgd(Scenario):
    def __init__(self, draw):
        count = one_of(draw, (1, 2, 3))
        self.shapes = [one_of(draw, ((2,), (2, 1), (), (3, 2), (0,))) for _ in range(count)]
        self.dtypes = [one_of(draw, FLOATS + ("float16",)) for _ in range(count)]
        self.arrays = [draw_array(draw, shape) for shape in self.shapes]
        self.twice = not usually(draw, 5)  # the first parameter listed twice: two steps
        # a gradient by backward, or set by hand on a tensor that needs none
        self.by_hand = [not usually(draw, 4) for _ in range(count)]
        self.lr = one_of(draw, (0.03, 0.5, 0, 1, -0.1, "numpy", "0-d", "0-d float64"))
        if "float16" in self.dtypes:
            # an lr that float16 holds exactly: ember rounds a Python or NumPy float to
            # float16 before it multiplies a float16 gradient, PyTorch goes through float32
            # (docs/differences.md), so 0.1 can give another last bit
            self.lr = one_of(draw, (0.5, 0, 1, "0-d", "0-d float64"))
        self.batch_size = one_of(draw, (1, 10, 3, 0, "0-d"))
        self.as_generator = not usually(draw, 3)

    def number(self, lib, value):
        if value == "numpy":
            return np.float64(0.1)
        if value == "0-d":
            return lib.tensor(0.25)
        if value == "0-d float64":
            return lib.tensor(0.25, dtype=lib.float64)
        return value

    def parameters(self, lib):
        params = []
        for array, dtype, by_hand in zip(self.arrays, self.dtypes, self.by_hand):
            param = make(lib, array, dtype, requires_grad=not by_hand)
            if by_hand:
                param.grad = make(lib, array * 0.5 + 1, dtype)
            params.append(param)
        loss = sum((p * p * (i + 1)).sum() for i, p in enumerate(params) if p.requires_grad)
        if is_tensor(loss):
            loss.backward()
        return params

    def act(self, lib, helpers):
        params = self.parameters(lib)
        gradients = [p.grad for p in params]
        given = params + params[:1] if self.twice else params
        given = iter(given) if self.as_generator else given
        result = helpers.sgd(given, self.number(lib, self.lr), self.number(lib, self.batch_size))
        kept = [p.grad is g for p, g in zip(params, gradients)]
        leaves = [p.is_leaf for p in params]
        return result, params, [p.grad for p in params], kept, leaves


class LoadArray(Scenario):
    def __init__(self, draw):
        self.n = one_of(draw, (0, 1, 5, 8, 10))
        count = one_of(draw, (1, 2, 2, 3))
        self.lengths = [self.n] * count
        if not usually(draw, 6):
            self.lengths[-1] = self.n + 1
        self.trailing = [one_of(draw, ((), (2,), (1, 3))) for _ in range(count)]
        self.dtypes = [one_of(draw, DTYPES) for _ in range(count)]
        self.batch_size = one_of(draw, (1, 2, 3, 4, self.n, self.n + 1, 0, -1, None, 2.0))
        self.is_train = usually(draw, 1)

    def arrays(self, lib):
        """Row i of array j holds i + j, so a shuffled batch shows whether rows stay together."""
        tensors = []
        for j, (length, trailing, dtype) in enumerate(
            zip(self.lengths, self.trailing, self.dtypes)
        ):
            rows = np.arange(length).reshape((length,) + (1,) * len(trailing)) + j
            tensors.append(make(lib, np.broadcast_to(rows, (length, *trailing)) % 2**7, dtype))
        return tensors

    def act(self, lib, helpers):
        loader = helpers.load_array(self.arrays(lib), self.batch_size, is_train=self.is_train)
        batches = list(loader)
        if not self.is_train:
            return len(loader), batches
        batched = self.batch_size is not None
        first_rows = []
        for batch in batches:
            rows = [first_column(t, batched) for t in batch]
            first_rows += rows[0]
            if all(dtype != "bool" for dtype in self.dtypes):  # each row beside its partners
                assert all(r == [x + j for x in rows[0]] for j, r in enumerate(rows)), rows
        shapes = [[(dtype_name(t), tuple(t.shape)) for t in batch] for batch in batches]
        return len(loader), [type(b).__name__ for b in batches], shapes, sorted(first_rows)


def first_column(tensor, batched):
    """The first value of each example in a batch (or of the one example, unbatched)."""
    if not batched:
        return [tensor.reshape(-1)[0].item()]
    return tensor.reshape(len(tensor), -1)[:, 0].tolist() if tensor.numel() else []


class AccumulatorCalls(Scenario):
    def __init__(self, draw):
        self.n = one_of(draw, (0, 1, 2, 3))
        kinds = ("int", "float", "numpy", "0-d", "1-element", "grad", "bool", "2-element")
        self.steps = []
        for _ in range(draw(st.integers(1, 6))):
            action = one_of(draw, ("add", "add", "add", "reset", "index"))
            if action == "add":
                self.steps.append(("add", [one_of(draw, kinds) for _ in range(self.n)]))
                # float() of a tensor that needs a gradient: PyTorch warns once in a
                # process, ember each time (through Python's warnings, which show it once)
                self.compare_warnings &= "grad" not in self.steps[-1][1]
            else:
                self.steps.append((action, one_of(draw, (0, 1, -1, 3, slice(0, 2), np.int64(0)))))

    @staticmethod
    def value(lib, kind, i):
        number = 1.5 * i - 2
        return {
            "int": int(number),
            "float": number,
            "numpy": np.float32(number),
            "0-d": lib.tensor(number),
            "1-element": lib.tensor([number]),
            "grad": lib.tensor(number, requires_grad=True) * 2,
            "bool": True,
            "2-element": lib.tensor([number, 1.0]),
        }[kind]

    def act(self, lib, helpers):
        metric, shown = helpers.Accumulator(self.n), []
        for action, argument in self.steps:
            if action == "add":
                metric.add(*(self.value(lib, kind, i) for i, kind in enumerate(argument)))
            elif action == "reset":
                metric.reset()
            else:
                shown.append(metric[argument])
            shown.append(list(metric.data))
        return shown


class Accuracy(Scenario):
    def __init__(self, draw):
        n = one_of(draw, (0, 1, 4, 6))
        self.y_hat_shape = one_of(draw, ((n, 3), (n, 1), (n,), (n, 2, 2)))
        self.y_hat_dtype = one_of(draw, ("float32", "float64", "int64"))
        self.y_dtype = one_of(draw, ("int64", "int32", "float32", "bool"))
        self.y_hat = draw_array(draw, self.y_hat_shape, -1, 3)
        self.y = np.random.default_rng(draw(st.integers(0, 99))).integers(0, 3, n)
        # labels of the shape the book compares without broadcasting (see the docstring)
        if self.y_hat_shape == (n, 1):
            self.y = self.y.reshape(n, 1)
        if self.y_hat_shape == (n, 2, 2):
            self.y = np.stack([self.y, self.y[::-1]], axis=1)
        self.grad = draw_grad_flag(draw, self.y_hat_dtype)

    def act(self, lib, helpers):
        y_hat = make(lib, np.round(self.y_hat), self.y_hat_dtype, self.grad)
        return helpers.accuracy(y_hat, make(lib, self.y, self.y_dtype))


def make_linear(lib, weight, bias):
    net = lib.nn.Linear(*reversed(weight.shape))
    with lib.no_grad():
        net.weight.copy_(lib.tensor(weight.astype("float32")))
        net.bias.copy_(lib.tensor(bias.astype("float32")))
    return net


def classification_batches(lib, helpers, scenario):
    """A list of (X, y) batches of the drawn sizes, or all of them through ``load_array``."""
    rng = np.random.default_rng(scenario.seed)
    batches = []
    for size in scenario.sizes:
        X = make(lib, rng.normal(0, 1, (size, 4)), "float32")
        batches.append((X, make(lib, rng.integers(0, scenario.classes, size), "int64")))
    if scenario.loader_batch is None:
        return batches
    X, y = (lib.cat(parts) for parts in zip(*batches))
    return helpers.load_array((X, y), scenario.loader_batch, is_train=False)


class Evaluate(Scenario):
    atol = 1e-4
    compare_warnings = False  # the book's evaluate_loss warns

    def __init__(self, draw):
        self.what = one_of(draw, ("accuracy", "loss"))
        self.net_kind = one_of(draw, ("module", "function", "dropout"))
        self.sizes = draw(st.lists(st.sampled_from((1, 2, 5)), min_size=1, max_size=3))
        # one class gives scores of shape (n, 1), which the book's accuracy compares with
        # labels (n,) by broadcasting (left out, see the docstring)
        self.classes = one_of(draw, (1, 2, 3) if self.what == "loss" else (2, 3))
        self.seed = draw(st.integers(0, 999))
        self.loader_batch = one_of(draw, (None, None, 1, 2, 3))
        self.weight = draw_array(draw, (self.classes, 4))
        self.bias = draw_array(draw, (self.classes,))

    def net(self, lib):
        linear = make_linear(lib, self.weight, self.bias)
        if self.net_kind == "dropout":
            return lib.nn.Sequential(lib.nn.Dropout(0.5), linear)
        if self.net_kind == "function":
            return lambda X: linear(X)
        return linear

    def act(self, lib, helpers):
        net = self.net(lib)
        batches = classification_batches(lib, helpers, self)
        if self.what == "accuracy":
            result = helpers.evaluate_accuracy(net, batches)
            return result, getattr(net, "training", None)
        if self.net_kind == "dropout":  # ember evaluates in eval mode, the book does not
            net = net[1]
        loss = lib.nn.MSELoss(reduction="none")
        targets = [(X, y.type(lib.float32)) for X, y in batches]
        if self.classes != 1:
            targets = [(X, y[:, None].repeat(1, self.classes).float()) for X, y in targets]
        return helpers.evaluate_loss(net, targets, loss)


class TrainEpoch(Scenario):
    atol = 1e-4
    compare_warnings = False

    def __init__(self, draw):
        self.concise = usually(draw, 1)
        self.optimizer_kind = one_of(draw, ("SGD", "momentum", "Adam"))
        self.sizes = draw(st.lists(st.sampled_from((1, 3, 4)), min_size=1, max_size=4))
        self.classes = one_of(draw, (2, 3))
        self.lr = one_of(draw, (0.1, 0.5, 0.0))
        self.seed = draw(st.integers(0, 999))
        self.loader_batch = one_of(draw, (None, None, 1, 2, 3))
        self.weight = draw_array(draw, (self.classes, 4), -0.5, 0.5)
        self.bias = draw_array(draw, (self.classes,), -0.5, 0.5)

    def optimizer(self, lib, parameters):
        if self.optimizer_kind == "Adam":
            return lib.optim.Adam(parameters, lr=self.lr)
        momentum = 0.9 if self.optimizer_kind == "momentum" else 0
        return lib.optim.SGD(parameters, lr=self.lr, momentum=momentum)

    def act(self, lib, helpers):
        batches = classification_batches(lib, helpers, self)
        if self.concise:
            net = make_linear(lib, self.weight, self.bias)
            loss = lib.nn.CrossEntropyLoss(reduction="none")
            updater = self.optimizer(lib, net.parameters())
            params = [net.weight, net.bias]
        else:
            W = make(lib, self.weight.T, "float32", True)
            b = make(lib, self.bias, "float32", True)
            params = [W, b]

            def net(X):
                return lib.softmax(lib.matmul(X, W) + b, dim=1)

            def loss(y_hat, y):
                return -lib.log(y_hat[lib.arange(len(y_hat)), y])

            def updater(batch_size):
                return helpers.sgd([W, b], self.lr, batch_size)

        result = helpers.train_epoch_ch3(net, batches, loss, updater)
        return result, params, getattr(net, "training", None)


class TimerTotals(Scenario):
    def __init__(self, draw):
        laps = st.floats(0, 10, allow_nan=False)
        self.laps = draw(st.lists(laps, min_size=1, max_size=5))

    def act(self, lib, helpers):
        timer = helpers.Timer()
        timer.times = list(self.laps)
        return timer.avg(), timer.sum(), timer.cumsum()


class FashionLabels(Scenario):
    def __init__(self, draw):
        self.labels = draw(st.lists(st.integers(-11, 10), max_size=4))
        self.kind = one_of(draw, ("list", "tensor", "float tensor", "2-d tensor", "0-d tensor"))

    def act(self, lib, helpers):
        if self.kind == "list":
            labels = self.labels
        elif self.kind == "2-d tensor":
            labels = make(lib, self.labels + self.labels, "int64").reshape(2, -1)
        elif self.kind == "0-d tensor":
            labels = make(lib, (self.labels or [3])[0], "int64")
        else:
            labels = make(lib, self.labels, "int64" if self.kind == "tensor" else "float32")
        return helpers.get_fashion_mnist_labels(labels)


class Alias(Scenario):
    def __init__(self, draw):
        self.shape = one_of(draw, ((2, 3), (3,), (1, 2, 2), ()))
        self.dtype = one_of(draw, ("float32", "float32", "float64", "int64", "bool"))
        self.grad = draw_grad_flag(draw, self.dtype)
        self.x = draw_array(draw, self.shape)
        self.name = one_of(draw, tuple(BOOK_ALIASES))
        self.arguments = one_of(draw, ALIAS_ARGUMENTS[self.name])
        if self.name == "matmul" and self.shape == () and self.dtype == "bool":
            # two faults: ember's matmul names the bool dtype first, PyTorch the 0-d
            # operands (ember/ops/linalg.py, not the book's helpers)
            self.dtype = "float32"

    def act(self, lib, helpers):
        x = make(lib, self.x, self.dtype, self.grad)
        args, kwargs = self.arguments
        args = [lib.float64 if a == "float64" else lib.int32 if a == "int32" else a for a in args]
        kwargs = {k: lib.float64 if v == "float64" else v for k, v in kwargs.items()}
        if self.name in ("concat", "stack"):
            return getattr(helpers, self.name)((x, x), *args, **kwargs)
        if self.name in ("matmul", "batch_matmul"):
            return getattr(helpers, self.name)(x, x.transpose(0, -1) if x.ndim else x)
        result = getattr(helpers, self.name)(x, *args, **kwargs)
        if self.name == "astype" and isinstance(result, str):
            return result.split(".", 1)[-1]  # 'torch.FloatTensor' and 'ember.FloatTensor'
        return result


NO_ARGUMENTS = ((), {})
ALIAS_ARGUMENTS = {
    "numpy": (NO_ARGUMENTS, ((), {"force": True})),
    "size": (NO_ARGUMENTS, ((0,), {})),
    "reshape": ((((-1,),), {}), ((3, -1), {}), ((), {"shape": (-1,)}), (((4, 5),), {})),
    "to": ((("float64",), {}), (("cpu",), {}), ((), {"dtype": "float64"})),
    "reduce_sum": (NO_ARGUMENTS, ((0,), {}), ((), {"axis": -1, "keepdim": True})),
    "argmax": (NO_ARGUMENTS, ((), {"axis": 0}), ((), {"dim": -1, "keepdim": True})),
    "astype": ((("float64",), {}), (("int32",), {}), NO_ARGUMENTS, ((), {"dtype": "float64"})),
    "transpose": (NO_ARGUMENTS, ((0, 1), {})),
    "reduce_mean": (NO_ARGUMENTS, ((), {"axis": 0}), ((-1, True), {})),
    "concat": (NO_ARGUMENTS, ((), {"axis": -1}), ((), {"dim": 1})),
    "stack": (NO_ARGUMENTS, ((), {"axis": -1}), ((), {"dim": 1})),
    "matmul": (NO_ARGUMENTS,),
    "batch_matmul": (NO_ARGUMENTS,),
}


class Devices(Scenario):
    def __init__(self, draw):
        self.call = one_of(draw, ("try_gpu", "try_gpu 1", "try_all_gpus", "num_gpus"))

    def act(self, lib, helpers):
        if self.call == "try_gpu 1":
            return str(helpers.try_gpu(1))
        result = getattr(helpers, self.call)()
        return [str(d) for d in result] if isinstance(result, list) else str(result)


KINDS = (
    Alias,
    Alias,
    Devices,
    SyntheticData,
    DataIter,
    DataIter,
    Linreg,
    SquaredLoss,
    Sgd,
    Sgd,
    LoadArray,
    LoadArray,
    AccumulatorCalls,
    Accuracy,
    Evaluate,
    TrainEpoch,
    TimerTotals,
    FashionLabels,
)


@st.composite
def scenarios(draw):
    return one_of(draw, KINDS)(draw)


def check_scenario(scenario):
    torch_seen, torch_error, torch_message, torch_warned = outcome(torch, scenario)
    ember_seen, ember_error, ember_message, ember_warned = outcome(ember, scenario)
    assert ember_error == torch_error, (
        f"{scenario}: ember {ember_error} ({ember_message}), torch {torch_error} ({torch_message})"
    )
    if scenario.compare_warnings:
        assert ember_warned == torch_warned, f"{scenario}: ember warned {ember_warned}"
    if torch_error is None:
        tolerance = (scenario.atol, scenario.rtol)
        assert_same_picture(ember_seen, torch_seen, repr(scenario), tolerance)


@random_settings(EXAMPLES)
@given(scenarios())
def test_random_d2l_calls_match_the_book(scenario):
    torch.manual_seed(0)
    ember.manual_seed(0)
    check_scenario(scenario)


# Regressions the drawing found -------------------------------------------------------------


def test_data_iter_refuses_a_float_batch_size_as_the_book_does():
    """The book's range() refuses any float with TypeError; ember's data_iter called 0.5 a
    batch size below 1 (ValueError)."""
    for batch_size in (0.5, 2.0):
        for lib in (torch, ember):
            features, labels = lib.zeros(3, 2), lib.zeros(3)
            try:
                next(HELPERS[lib].data_iter(batch_size, features, labels))
            except TypeError as caught:
                assert "float" in str(caught), caught
            else:
                raise AssertionError(f"{lib.__name__}: batch size {batch_size} was taken")


def test_aliases_pass_every_argument_on_as_the_book_s_do():
    """The book's reshape, size, astype and transpose hand all their arguments to the
    tensor method; ember's took fixed ones, so ``d2l.reshape(x, shape=(6,))`` failed."""
    for lib in (torch, ember):
        helpers, x = HELPERS[lib], lib.arange(6.0).reshape(2, 3)
        assert tuple(helpers.reshape(x, shape=(3, 2)).shape) == (3, 2)
        assert helpers.astype(x).endswith(".FloatTensor")
        assert helpers.astype(x, dtype=lib.float64).dtype == lib.float64
        assert helpers.size(x) == 6
