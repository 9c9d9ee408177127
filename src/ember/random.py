"""Random numbers: one seeded generator, as ``torch.manual_seed`` expects.

ember draws from NumPy's PCG64; the same seed gives the same numbers in
ember every time, though not the same numbers as PyTorch's generator.
"""

import warnings

from . import backend, dtypes
from .arguments import bool_argument, float_argument, integer_argument, type_name
from .autograd.function import Function
from .creation import (
    NOT_GIVEN,
    _finish,
    _number,
    _place,
    given_size,
    refuse_bool_range,
    refuse_out,
    tensor_shape,
)
from .tensor import Tensor

np = backend.cpu_namespace


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self._seed = 67280421310721
        self.bit_generator = np.random.Generator(np.random.PCG64(self._seed))

    def manual_seed(self, seed):
        self._seed = _seed_value(seed)
        self.bit_generator = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def seed(self):
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2**63)))._seed

    def initial_seed(self):
        return self._seed

    # The state as a uint8 tensor (torch's form): PCG64's 128-bit state and increment,
    # its cached 32-bit half-draw, and the seed, each as little-endian bytes.
    _STATE_FIELDS = (("state", 16), ("inc", 16), ("has_uint32", 1), ("uinteger", 4), ("seed", 8))

    def get_state(self):
        raw = self.bit_generator.bit_generator.state
        values = {**raw["state"], "has_uint32": raw["has_uint32"], "uinteger": raw["uinteger"]}
        values["seed"] = self._seed % 2**64
        data = b"".join(values[name].to_bytes(size, "little") for name, size in self._STATE_FIELDS)
        return Tensor._make(np.frombuffer(data, np.uint8).copy())

    def set_state(self, new_state):
        if not isinstance(new_state, Tensor) or new_state.dtype is not dtypes.uint8:
            given = new_state.dtype if isinstance(new_state, Tensor) else type_name(new_state)
            raise TypeError(f"RNG state must be a uint8 tensor (from get_state()), not {given}")
        data = bytes(np.asarray(new_state.cpu(), np.uint8))
        if len(data) != sum(size for _, size in self._STATE_FIELDS):
            raise RuntimeError(
                f"Generator.set_state: expected a state from get_state() ({len(data)} bytes given)"
            )
        values, start = {}, 0
        for name, size in self._STATE_FIELDS:
            values[name] = int.from_bytes(data[start : start + size], "little")
            start += size
        self.bit_generator.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": values["state"], "inc": values["inc"]},
            "has_uint32": values["has_uint32"],
            "uinteger": values["uinteger"],
        }
        self._seed = values["seed"]
        return self


def _seed_value(seed):
    """A seed as PyTorch keeps it: any int from -2**63 to 2**64 - 1, a negative one read as
    its 64-bit two's complement (-1 is 2**64 - 1). A bool, a float, a tensor or None is
    refused, as PyTorch's Generator refuses them (``ember.manual_seed`` calls int() first)."""
    if type(seed) is not int:
        raise RuntimeError(f"manual_seed expected a long, but got {type_name(seed)}")
    seed = int(seed)
    if not -(2**63) <= seed < 2**64:
        raise ValueError(f"manual_seed: the seed {seed} does not fit in 64 bits")
    return seed % 2**64


default_generator = Generator()


def manual_seed(seed):
    """Seed the default random generator, so that the draws after it repeat; returns it.

    Seed once at the top of a script to make its runs the same. The same seed gives
    other numbers in ember than in PyTorch.

    >>> _ = ember.manual_seed(42)
    >>> a = ember.rand(3)
    >>> _ = ember.manual_seed(42)
    >>> ember.equal(a, ember.rand(3))
    True
    """
    default_generator.manual_seed(int(seed))  # unlike Generator.manual_seed, takes a float
    return default_generator


def seed():
    return default_generator.seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def initial_seed():
    return default_generator.initial_seed()


def _numbers(generator):
    if generator is None:
        return default_generator.bit_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"argument 'generator' must be ember.Generator, not {type_name(generator)}")
    return generator.bit_generator


def _float_type(dtype):
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise NotImplementedError(
            f"random floats are not implemented for {dtype}; ask for a floating point dtype"
        )
    return dtype.numpy_type


def rand(
    *sizes,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """A tensor of the given size with numbers drawn uniformly from [0, 1), float32 by default.

    The size is separate ints or one tuple. ``manual_seed`` makes the draws repeat.

    >>> _ = ember.manual_seed(0)
    >>> x = ember.rand(2, 3)
    >>> x.shape, x.dtype
    (ember.Size([2, 3]), ember.float32)
    >>> ((0 <= x) & (x < 1)).all()
    tensor(True)
    """
    refuse_out(out, "rand")
    shape = tensor_shape(given_size(sizes, size, "rand"))
    values = _below(_numbers(generator).random(shape), 0.0, 1.0, _float_type(dtype))
    return _finish(_place(values, device), requires_grad)


def _below(draws, low, high, dtype):
    """float64 ``draws`` from [low, high) in ``dtype``: a draw just below ``high`` may round
    up to it in float32 or float16 (270 of a million float16 ``rand`` values were 1.0);
    it takes the value below ``high`` instead, so the range stays half-open, as PyTorch's."""
    values = draws.astype(dtype)
    if low < high:
        top = values >= high
        if top.any():
            values[top] = np.nextafter(values.dtype.type(high), values.dtype.type(low))
    return values


def randn(
    *sizes,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """A tensor of the given size drawn from the standard normal distribution (mean 0, std 1).

    float32 by default; for another mean and std, use ``normal`` or ``mean + std * randn(...)``.

    >>> _ = ember.manual_seed(0)
    >>> x = ember.randn(2, 3)
    >>> x.shape, x.dtype
    (ember.Size([2, 3]), ember.float32)
    """
    refuse_out(out, "randn")
    shape = tensor_shape(given_size(sizes, size, "randn"))
    values = _numbers(generator).standard_normal(shape)
    return _finish(_place(values.astype(_float_type(dtype)), device), requires_grad)


def normal(
    mean=0.0,
    std=1.0,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """Numbers drawn from a normal distribution with mean ``mean`` and std ``std``.

    ``std`` is the standard deviation, not the variance. With number mean and std, give
    ``size``; with tensors, each element has its own, and the result takes their shape.

    >>> _ = ember.manual_seed(0)
    >>> ember.normal(0, 0.01, size=(2, 3)).shape
    ember.Size([2, 3])
    >>> ember.normal(ember.zeros(4), ember.ones(4)).shape
    ember.Size([4])

    normal(mean, std, size) with numbers, or element-wise with tensor mean/std.
    """
    refuse_out(out, "normal")
    mean, std = (
        _normal_argument(value, name, size) for value, name in ((mean, "mean"), (std, "std"))
    )
    if not isinstance(std, Tensor) and not std >= 0:  # NaN too
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        return _normal_of_tensors(mean, std, generator)
    if size is None:
        raise TypeError("normal() with number mean and std needs a size")
    if not isinstance(size, (tuple, list)):  # PyTorch's parser takes no int here
        raise TypeError(f"normal(): argument 'size' must be tuple of ints, not {type_name(size)}")
    values = _numbers(generator).normal(mean, std, tensor_shape((size,)))
    return _finish(_place(values.astype(_float_type(dtype)), device), requires_grad)


def _normal_argument(value, name, size):
    """``normal``'s mean or std: a tensor, or a number. With a size given, a 0-d tensor is
    read as its number, as PyTorch's normal(float, float, size) reads it; a tensor of more
    dims gives the result its shape, so a size beside it is refused, as PyTorch's is."""
    if isinstance(value, Tensor) and size is None:
        return value
    if isinstance(value, Tensor) and value.ndim:
        raise TypeError(
            f"normal(): a size is given with a {name} of shape {list(value.shape)}, which sets "
            "the result's shape; leave the size out, or give the mean and std as numbers"
        )
    return float_argument(value, "normal", name)


def _normal_of_tensors(mean, std, generator):
    """normal with a tensor mean or std: one draw per element of their broadcast shape, in
    the dtype of the mean (of the std when the mean is a number)."""
    like = mean if isinstance(mean, Tensor) else std
    if not like.is_floating_point():
        raise NotImplementedError(
            f"normal is not implemented for a {like.dtype} mean or std; convert it with .float()"
        )
    if isinstance(std, Tensor) and not bool((std.detach() >= 0).all()):  # NaN too
        raise RuntimeError("normal expects all elements of std >= 0.0")
    try:
        shape = np.broadcast_shapes(np.shape(mean), np.shape(std))
    except ValueError:
        raise RuntimeError(
            f"normal: the shapes of mean {list(np.shape(mean))} and std {list(np.shape(std))} "
            "do not broadcast"
        ) from None
    draws = _place(_numbers(generator).standard_normal(shape).astype(like._data.dtype), like.device)
    return NormalDraws.apply(mean, std, draws)


class NormalDraws(Function):
    """``mean + std * draws``, as PyTorch's ``normal`` of a tensor mean or std: the draws
    are samples, not a function of the parameters, so their gradients are zeros
    (``distributions``' ``rsample`` is the reparametrised form, whose gradients are not)."""

    def forward(self, mean, std, draws):
        # (shape, dtype) of each parameter that is a tensor, None for a number
        self.parameters = [
            None if isinstance(value, (int, float)) else (value.shape, value.dtype)
            for value in (mean, std)
        ]
        self.listed_inputs = [i for i, kept in enumerate(self.parameters) if kept is not None]
        return (draws * std + mean).astype(draws.dtype, copy=False)

    def backward(self, grad):
        xp = backend.namespace_of(grad._data)
        zeros = [
            None if kept is None else Tensor._make(xp.zeros(*kept)) for kept in self.parameters
        ]
        return (*zeros, None)

    def name(self):
        mean_is_tensor, std_is_tensor = (kept is not None for kept in self.parameters)
        return f"NormalBackward{mean_is_tensor + 2 * std_is_tensor}"  # PyTorch's 1, 2 or 3


def randint(
    low=NOT_GIVEN,
    high=NOT_GIVEN,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """A tensor of ``size`` with random ints from ``low`` (default 0) up to, but not, ``high``.

    ``size`` is a tuple, also for one dim: ``randint(0, 10, (5,))``. The dtype is int64.

    >>> _ = ember.manual_seed(0)
    >>> x = ember.randint(0, 10, (2, 3))
    >>> x.shape, x.dtype
    (ember.Size([2, 3]), ember.int64)
    >>> ((0 <= x) & (x < 10)).all()
    tensor(True)
    """
    refuse_out(out, "randint")
    if size is None and high is not NOT_GIVEN and not isinstance(high, int):  # (high, size)
        low, high, size = 0, low, high
    if low is NOT_GIVEN or high is NOT_GIVEN:  # randint(10, size=...), randint(high=10, ...)
        low, high = 0, high if low is NOT_GIVEN else low
    if size is None or high is None:
        raise TypeError(
            "randint() needs high and size: randint(high, size) or randint(low, high, size)"
        )
    low, high = (
        integer_argument(_number(bound), "randint", name)
        for bound, name in ((low, "low"), (high, "high"))
    )
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    _check_integer_range(low, high, dtype)
    values = _numbers(generator).integers(low, high, tensor_shape((size,)))
    return _finish(_place(values.astype(dtype.numpy_type), device), requires_grad)


def _check_integer_range(low, high, dtype):
    """[low, high) must be a range and hold values that ``dtype`` holds (PyTorch's checks);
    a float dtype warns where its integers stop being exact."""
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if dtype.is_floating_point:
        largest = dtypes.finfo(dtype).max
        lowest, highest = -largest, largest
    else:
        lowest, highest = (0, 1) if dtype is dtypes.bool else _integer_limits(dtype)
    if not lowest <= low <= highest:
        raise RuntimeError(f"from is out of bounds for {dtype.name} (from={low})")
    if not lowest <= high - 1 <= highest:
        raise RuntimeError(f"to - 1 is out of bounds for {dtype.name} (to={high})")
    if dtype.is_floating_point:
        _warn_past_exact_integers(low, high, dtype)


def _warn_past_exact_integers(low, high, dtype):
    digits = np.finfo(dtype.numpy_type).nmant + 1
    for name, bound in (("from", low), ("to - 1", high - 1)):
        if abs(bound) > 2**digits:
            warnings.warn(
                f"{name} is out of bounds [-(2^{digits}), 2^{digits}]: {dtype.name} holds "
                f"every integer only within this range, so the draws will skip some",
                UserWarning,
                stacklevel=3,
            )


def _integer_limits(dtype):
    limits = np.iinfo(dtype.numpy_type)
    return int(limits.min), int(limits.max)


def randperm(
    n,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    refuse_out(out, "randperm")
    n = integer_argument(n, "randperm", "n")
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    tensor_shape((n,))  # refuses a negative n, before the dtype, as PyTorch does
    refuse_bool_range(dtype, "randperm")
    _check_permutation_fits(n, dtype)
    values = _numbers(generator).permutation(n).astype(dtype.numpy_type)
    return _finish(_place(values, device), requires_grad)


def _check_permutation_fits(n, dtype):
    """Every value up to n - 1 must be exact in ``dtype`` (float16 counts exactly to 2048)."""
    if dtype is dtypes.float16 and n > 2049:
        raise RuntimeError(f"randperm: n cannot be greater than 2049 for float16 (n={n})")
    if not dtype.is_floating_point and n - 1 > _integer_limits(dtype)[1]:
        raise RuntimeError(
            f"value cannot be converted to type {dtype.name} without overflow (randperm of {n})"
        )


def _sampled_like(sampler):
    """``sampler`` (rand or randn) as its ``*_like`` form: drawn in ``input``'s shape,
    dtype and device, unless given others."""

    def sampled_like(
        input,
        *,
        generator=None,
        dtype=None,
        layout=None,
        device=None,
        requires_grad=False,
        memory_format=None,
    ):
        return sampler(
            input.shape,
            generator=generator,
            dtype=dtype or input.dtype,
            device=device or input.device,
            requires_grad=requires_grad,
        )

    sampled_like.__name__ = sampled_like.__qualname__ = f"{sampler.__name__}_like"
    return sampled_like


rand_like = _sampled_like(rand)
randn_like = _sampled_like(randn)


def randint_like(
    input,
    low=0,
    high=None,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
):
    """randint_like(input, high) or randint_like(input, low, high): ``randint`` in
    ``input``'s shape, dtype and device. PyTorch 2.13 also takes ``high`` as a 0-d tensor
    of any dtype, whose value it truncates."""
    if high is None:
        low, high = 0, low
    if isinstance(high, Tensor):
        if high.ndim:
            raise RuntimeError(f"randint_like: high must be a 0-d tensor, not {high.ndim}-d")
        high = int(high.item())
    return randint(
        low,
        high,
        input.shape,
        generator=generator,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


def bernoulli(input, p=NOT_GIVEN, *, generator=None, out=None):
    refuse_out(out, "bernoulli")
    if p is NOT_GIVEN:
        _refuse_integer_fill(input, "bernoulli")
        probability = backend.to_host(input._data)
        if not ((probability >= 0) & (probability <= 1)).all():  # NaN too
            raise RuntimeError("bernoulli expects all probabilities in [0, 1]")
    else:
        if isinstance(p, Tensor) and p.ndim:
            raise TypeError(
                "bernoulli(input, p): p must be a float; for a tensor of "
                "probabilities call bernoulli(p)"
            )
        probability = float_argument(p, "bernoulli", "p")
        _check_probability(probability)
    draws = _numbers(generator).random(input.shape) < probability
    return Tensor._make(_place(draws.astype(input._data.dtype), input.device))


def _check_probability(p):
    if not 0 <= p <= 1:  # NaN too
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    refuse_out(out, "multinomial")
    num_samples = integer_argument(num_samples, "multinomial", "num_samples")
    bool_argument(replacement, "multinomial", "replacement")
    weights = backend.to_host(input._data)
    _check_multinomial(input, weights, num_samples, replacement)
    weights = weights.astype(np.float64)
    rows = weights.reshape(-1, weights.shape[-1])
    numbers = _numbers(generator)
    result = np.empty((len(rows), num_samples), np.int64)  # no rows: an empty batch
    for row, picks in zip(rows, result):
        picks[:] = _draw_categories(row, num_samples, replacement, numbers)
    result = result.reshape(weights.shape[:-1] + (num_samples,))
    return Tensor._make(_place(result, input.device))


def _draw_categories(row, count, replacement, numbers):
    """``count`` categories drawn by the weights in ``row``. Without replacement, once the
    categories of nonzero weight run out, PyTorch goes on with those of weight zero (in
    an order of its kernel's); ember takes them in a random order."""
    probabilities = row / row.sum()
    if replacement:
        return numbers.choice(row.size, count, replace=True, p=probabilities)
    weighted = np.count_nonzero(row)
    if count <= weighted:
        return numbers.choice(row.size, count, replace=False, p=probabilities)
    first = numbers.choice(row.size, weighted, replace=False, p=probabilities)
    rest = numbers.permutation(np.flatnonzero(row == 0))[: count - weighted]
    return np.concatenate([first, rest])


def _check_multinomial(input, weights, num_samples, replacement):
    """PyTorch's checks, each a RuntimeError (NumPy's own would be ValueErrors)."""
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got {weights.ndim}")
    if not input.is_floating_point():
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got {input.dtype}"
        )
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples ({num_samples})")
    categories = weights.shape[-1]
    if replacement and categories == 0:
        raise RuntimeError("multinomial: cannot sample from a distribution of no categories")
    if not replacement and num_samples > categories:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without "
            f"replacement ({num_samples} > {categories})"
        )
    if not (np.isfinite(weights) & (weights >= 0)).all():
        raise RuntimeError(
            "multinomial: probability tensor contains either inf, nan or element < 0"
        )
    if weights.size and not (weights.sum(-1) > 0).all():
        raise RuntimeError("multinomial: invalid distribution (sum of probabilities <= 0)")


# In-place fills, used as tensor methods (under no_grad, as the book does) --------


def _fill_with(tensor, host_values):
    from .ops.indexing import setitem

    setitem(tensor, Ellipsis, Tensor._make(_place(host_values, tensor.device)))
    return tensor


# They check their arguments first, as PyTorch does: an integer tensor would silently
# keep only the draws' integer parts, and NumPy's own errors are ValueErrors.


def _float_arguments(op_name, **arguments):
    """``float_argument`` of each of ``arguments``, in order."""
    return [float_argument(value, op_name, name) for name, value in arguments.items()]


def normal_(tensor, mean=0.0, std=1.0, *, generator=None):
    mean, std = _float_arguments("normal_", mean=mean, std=std)
    if not std >= 0.0:  # NaN too; checked before the dtype, as PyTorch does
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    _refuse_integer_fill(tensor, "normal_")
    values = _numbers(generator).normal(mean, std, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def uniform_(tensor, a=0.0, b=1.0, *, generator=None):
    a, b = _float_arguments("uniform_", **{"from": a, "to": b})
    _refuse_integer_fill(tensor, "uniform_")
    largest = float(np.finfo(tensor._data.dtype).max)
    for name, bound in (("from", a), ("to", b)):
        if not -largest <= bound <= largest:  # NaN too
            raise RuntimeError(f"{name} is out of bounds for {tensor.dtype}")
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}"
        )
    if b - a > largest:
        raise RuntimeError(
            f"uniform_ expects to-from <= the largest {tensor.dtype}, but found to={b} and "
            f"from={a}, which are further apart than that"
        )
    values = _below(_numbers(generator).uniform(a, b, tensor.shape), a, b, tensor._data.dtype)
    return _fill_with(tensor, values)


def random_(tensor, low=NOT_GIVEN, high=NOT_GIVEN, *, to=NOT_GIVEN, generator=None):
    """random_() draws from every integer the dtype holds exactly, random_(to) from [0, to),
    random_(from, to) from [from, to), and random_(from, None) from ``from`` up. The bounds
    are ints (PyTorch refuses floats and bools), and ``to`` given by name is never None."""
    if to is not NOT_GIVEN:
        high = integer_argument(to, "random_", "to")
    if high is NOT_GIVEN:
        to_given = low is not NOT_GIVEN
        low, high = 0, integer_argument(low, "random_", "to") if to_given else None
    else:
        low = 0 if low is NOT_GIVEN else integer_argument(low, "random_", "from")
        high = None if high is None else integer_argument(high, "random_", "to")
    if high is None:
        high = _random_limit(tensor.dtype)
    _check_integer_range(low, high, tensor.dtype)
    values = _numbers(generator).integers(low, high, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def _random_limit(dtype):
    """One past the largest integer ``random_()`` draws for ``dtype``: floats stop where
    their integers stop being exact (2**24 for float32), integer types at their maximum."""
    if dtype.is_floating_point:
        return 2 ** (np.finfo(dtype.numpy_type).nmant + 1) + 1
    return 2 if dtype is dtypes.bool else _integer_limits(dtype)[1] + 1


def bernoulli_(tensor, p=0.5, *, generator=None):
    if isinstance(p, Tensor):
        if not p.is_floating_point():  # PyTorch's kernel takes float probabilities only
            raise RuntimeError(f"bernoulli_: expected a floating point tensor p, got {p.dtype}")
        if tensor.numel():  # p must expand to the tensor's shape (PyTorch never looks, if empty)
            p = p.expand(tensor.shape)
        p = backend.to_host(p._data)
        if not ((p >= 0) & (p <= 1)).all():
            raise RuntimeError("bernoulli_ expects all probabilities in p to be in [0, 1]")
    else:
        p = float_argument(p, "bernoulli_", "p")
        _check_probability(p)
    values = _numbers(generator).random(tensor.shape) < p
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def exponential_(tensor, lambd=1.0, *, generator=None):
    (lambd,) = _float_arguments("exponential_", lambd=lambd)
    if not lambd > 0.0:  # checked before the dtype, as PyTorch does
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    if not tensor.is_floating_point():
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must be "
            f"a floating point but you specified {tensor.dtype}"
        )
    values = _numbers(generator).exponential(1.0 / lambd, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def log_normal_(tensor, mean=1.0, std=2.0, *, generator=None):
    """exp of normal draws of ``mean`` and ``std``."""
    mean, std = _float_arguments("log_normal_", mean=mean, std=std)
    if not std > 0.0:  # checked before the dtype, as PyTorch does
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    _refuse_integer_fill(tensor, "log_normal_")
    values = _numbers(generator).lognormal(mean, std, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def geometric_(tensor, p, *, generator=None):
    """The number of trials up to the first success of probability ``p`` (1, 2, ...); an
    integer tensor takes them too."""
    (p,) = _float_arguments("geometric_", p=p)
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    if tensor.dtype is dtypes.bool:
        raise NotImplementedError("geometric_ is not implemented for bool tensors")
    values = _numbers(generator).geometric(p, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def cauchy_(tensor, median=0.0, sigma=1.0, *, generator=None):
    median, sigma = _float_arguments("cauchy_", median=median, sigma=sigma)
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    if not tensor.is_floating_point():
        raise RuntimeError(
            "Cauchy distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {tensor.dtype}"
        )
    values = median + sigma * _numbers(generator).standard_cauchy(tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def _refuse_integer_fill(tensor, name):
    if not tensor.is_floating_point():
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{tensor.dtype}': it draws real numbers; fill a "
            "floating-point tensor and convert it, or use random_() for integers"
        )
