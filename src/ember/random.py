"""Random numbers: one seeded generator, as ``torch.manual_seed`` expects.

ember draws from NumPy's PCG64; the same seed gives the same numbers in
ember every time, though not the same numbers as PyTorch's generator.
"""

from . import backend, dtypes
from .creation import _finish, _place, refuse_bool_range, tensor_shape
from .tensor import Tensor

np = backend.cpu_namespace


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self._seed = 67280421310721
        self.bit_generator = np.random.Generator(np.random.PCG64(self._seed))

    def manual_seed(self, seed):
        self._seed = int(seed)
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


default_generator = Generator()


def manual_seed(seed):
    default_generator.manual_seed(seed)
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
    return (generator or default_generator).bit_generator


def _float_type(dtype):
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not dtype.is_floating_point:
        raise NotImplementedError(
            f"random floats are not implemented for {dtype}; ask for a floating point dtype"
        )
    return dtype.numpy_type


def rand(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    values = (
        _numbers(generator)
        .random(tensor_shape(shape if size is None else (size,)))
        .astype(_float_type(dtype))
    )
    return _finish(_place(values, device), requires_grad)


def randn(*shape, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    values = _numbers(generator).standard_normal(tensor_shape(shape if size is None else (size,)))
    return _finish(_place(values.astype(_float_type(dtype)), device), requires_grad)


def normal(
    mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False
):
    """normal(mean, std, size) with numbers, or element-wise with tensor mean/std."""
    if isinstance(std, (int, float)) and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        shape = np.broadcast_shapes(np.shape(mean), np.shape(std))
        like = mean if isinstance(mean, Tensor) else std
        draws = _numbers(generator).standard_normal(shape).astype(like._data.dtype)
        return Tensor._make(_place(draws, like.device)) * std + mean
    if size is None:
        raise TypeError("normal() with number mean and std needs a size")
    values = _numbers(generator).normal(mean, std, tensor_shape((size,)))
    return _finish(_place(values.astype(_float_type(dtype)), device), requires_grad)


def randint(
    low, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False
):
    if size is None and not isinstance(high, int):  # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    values = _numbers(generator).integers(low, high, tensor_shape((size,)))
    return _finish(_place(values.astype(dtype.numpy_type), device), requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    refuse_bool_range(dtype, "randperm")
    values = _numbers(generator).permutation(n).astype(dtype.numpy_type)
    return _finish(_place(values, device), requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False):
    return rand(
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


def randn_like(input, *, dtype=None, device=None, requires_grad=False):
    return randn(
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


def randint_like(input, low=0, high=None, *, dtype=None, device=None):
    return randint(
        low, high, input.shape, dtype=dtype or input.dtype, device=device or input.device
    )


def bernoulli(input, p=None, *, generator=None):
    probability = input._data if p is None else p
    draws = _numbers(generator).random(input.shape) < backend.to_host(probability)
    return Tensor._make(_place(draws.astype(input._data.dtype), input.device))


def multinomial(input, num_samples, replacement=False, *, generator=None):
    weights = backend.to_host(input._data).astype(np.float64)
    rows = weights.reshape(-1, weights.shape[-1])
    picks = []
    for row in rows:
        chosen = _numbers(generator).choice(
            row.size, num_samples, replace=replacement, p=row / row.sum()
        )
        picks.append(chosen)
    result = np.stack(picks).reshape(weights.shape[:-1] + (num_samples,)).astype(np.int64)
    return Tensor._make(_place(result, input.device))


# In-place fills, used as tensor methods (under no_grad, as the book does) --------


def _fill_with(tensor, host_values):
    from .ops.indexing import setitem

    setitem(tensor, Ellipsis, Tensor._make(_place(host_values, tensor.device)))
    return tensor


# They check their arguments first, as PyTorch does: an integer tensor would silently
# keep only the draws' integer parts, and NumPy's own errors are ValueErrors.


def normal_(tensor, mean=0.0, std=1.0, *, generator=None):
    _refuse_integer_fill(tensor, "normal_")
    if not std >= 0.0:  # NaN too
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    values = _numbers(generator).normal(mean, std, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def uniform_(tensor, a=0.0, b=1.0, *, generator=None):
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
    values = _numbers(generator).uniform(a, b, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def random_(tensor, low=0, high=None, *, generator=None):
    if high is None:
        low, high = 0, low
    elif not low < high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    values = _numbers(generator).integers(low, high, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def bernoulli_(tensor, p=0.5, *, generator=None):
    if not isinstance(p, Tensor) and not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    values = _numbers(generator).random(tensor.shape) < p
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def exponential_(tensor, lambd=1.0, *, generator=None):
    if not tensor.is_floating_point():
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must be "
            f"a floating point but you specified {tensor.dtype}"
        )
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    values = _numbers(generator).exponential(1.0 / lambd, tensor.shape)
    return _fill_with(tensor, values.astype(tensor._data.dtype))


def _refuse_integer_fill(tensor, name):
    if not tensor.is_floating_point():
        raise NotImplementedError(
            f"\"{name}\" not implemented for '{tensor.dtype}': it draws real numbers; fill a "
            "floating-point tensor and convert it, or use random_() for integers"
        )
