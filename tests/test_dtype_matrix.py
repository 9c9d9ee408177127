"""Every function of the ``ember`` namespace and every Tensor method that PyTorch has too,
called with one, two or three tensors (a method: with none, one or two) of each of nine
dtypes, in ember and in torch 2.13: the same dtype, shape and values, or an error of the
same type.

The operands are all the same small matrix, so most calls with more than one are misuse
(a tensor where a dim, a tolerance or an equation goes): the matrix checks that ember
supports each dtype where PyTorch does and refuses a tensor of several values in a
number's place as PyTorch does. It found ``pinverse(x, rcond=tensor)`` computing with a
tensor of tolerances, and a tensor of dims read as a bool ("ambiguous", a RuntimeError)
where PyTorch's parser gives a TypeError, as it does for ``eye`` and ``arange`` given a
tensor of several elements, for ``logit``'s and ``nan_to_num``'s numbers, ``isclose``'s
tolerances and ``dist``'s and ``cdist``'s order given one (``dist(x, y, True)`` was
refused; PyTorch takes True as 1), and for ``x.tile()`` and ``x.sum_to_size()`` given
nothing (twentieth day). It then found a flag, a dim, an order or a count read only after
the input's dtype or shape was checked (``cholesky_inverse(x, 1)``, ``mean(int_x, True)``,
``x.norm(tensor)``, ``dsplit(x, 2.5)``, ``vander(x, 2.5)``, ``isin(bool_x, None)``...),
``reshape``, ``permute`` and ``broadcast_to`` as functions taking a loose int (PyTorch's
take one sequence; its methods take loose ints), and ``einsum`` refusing a tensor of
subscripts (PyTorch reads a 1-d one): MISUSES below checks one of each.

Left out: what draws random numbers or changes global state, and the calls below whose
difference is known.
"""

import inspect
import warnings

import pytest
import torch
from test_argument_sweeps import same, summary

import ember

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
MATRIX = [[1, 0, 3], [2, 5, 1]]

# Random draws, global state, I/O, and ops whose arguments are no tensors at all.
NOT_CALLED = {
    *"manual_seed seed initial_seed set_rng_state get_rng_state set_default_dtype".split(),
    *"set_printoptions save load set_default_device use_deterministic_algorithms".split(),
    *"set_grad_enabled compile set_num_threads set_flush_denormal set_anomaly_enabled".split(),
    *"is_anomaly_enabled set_deterministic_debug_mode empty empty_like empty_strided".split(),
    *"rand randn randint randperm rand_like randn_like randint_like normal bernoulli".split(),
    *"multinomial poisson range nonzero_static".split(),
    # deprecated forms that warn once a process (other tests check the warnings)
    *"lstsq chain_matmul svd symeig eig solve matrix_rank lu qr cholesky cross".split(),
    # methods: state, memory and devices, printing
    *"backward register_hook register_post_accumulate_grad_hook retain_grad".split(),
    *"requires_grad_ detach_ random_ uniform_ normal_ exponential_ geometric_".split(),
    *"cauchy_ log_normal_ bernoulli_ share_memory_ pin_memory numpy tolist item".split(),
    *"data_ptr untyped_storage storage new_empty new_empty_strided apply_ map_".split(),
    *"record_stream cuda cpu to type set_ resize_ resize_as_ dim_order element_size".split(),
    *"is_pinned is_shared is_set_to unique unique_consecutive stride storage_offset".split(),
    *"get_device is_contiguous size numel dim nelement ndimension".split(),
}
# (name, operand count) pairs whose difference is known, with the reason.
KNOWN = {
    # left: an error of PyTorch's own Python code, or a name shared with nn.functional
    ("selu", 2): "ember.selu is nn.functional.selu, which takes inplace (tests/test_nn_more.py)",
    ("Tensor.unflatten", 2): (
        "PyTorch's RuntimeError, of its own Python code reading the sizes tensor as a bool "
        "(torch.unflatten gives the parser's TypeError, as ember's one function does)"
    ),
    # ember has no memory formats, and its copies are synchronous: the arguments are let be
    ("Tensor.contiguous", 1): "memory_format is not read",
    ("Tensor.copy_", 2): "non_blocking is not read",
    # singular vectors up to their signs, as LAPACK gives them (docs/differences.md)
    ("Tensor.svd", 0): "signs of singular vectors",
}


def public_functions():
    names = [
        name
        for name in dir(ember)
        if not name.startswith("_") and hasattr(torch, name) and name not in NOT_CALLED
    ]
    return [
        name
        for name in sorted(names)
        if callable(getattr(ember, name)) and not inspect.isclass(getattr(ember, name))
    ]


def public_methods():
    names = [
        name
        for name in dir(ember.Tensor)
        if not name.startswith("_") and hasattr(torch.Tensor, name) and name not in NOT_CALLED
    ]
    return [name for name in sorted(names) if callable(getattr(ember.Tensor, name))]


def outcome(call, library, dtype, operands):
    tensors = [library.tensor(MATRIX, dtype=getattr(library, dtype)) for _ in range(operands)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return summary(call(library, *tensors))
    except NotImplementedError:  # PyTorch's for a dtype without a kernel
        return RuntimeError
    except Exception as error:  # noqa: BLE001 - the type is compared
        return type(error)


def differences(label, call, operands):
    found = []
    for dtype in DTYPES:
        mine, theirs = (outcome(call, library, dtype, operands) for library in (ember, torch))
        if not same(mine, theirs):
            found.append(f"{label} of {operands} {dtype} tensor(s): ember {mine}, torch {theirs}")
    return found


@pytest.mark.parametrize("operands", [1, 2, 3])
def test_every_function_on_every_dtype_acts_as_in_torch(operands):
    found = []
    for name in public_functions():
        if (name, operands) not in KNOWN:
            call = lambda library, *tensors, name=name: getattr(library, name)(*tensors)  # noqa: E731
            found += differences(name, call, operands)
    assert found == []


@pytest.mark.parametrize("operands", [1, 2, 3])
def test_every_method_on_every_dtype_acts_as_in_torch(operands):
    """The tensor itself is the first operand; the others are the method's arguments."""
    found = []
    for name in public_methods():
        if (f"Tensor.{name}", operands - 1) not in KNOWN:
            call = lambda library, x, *others, name=name: getattr(x, name)(*others)  # noqa: E731
            found += differences(f"Tensor.{name}", call, operands)
    assert found == []


@pytest.mark.parametrize("name, others", sorted(KNOWN), ids=lambda value: str(value))
def test_each_known_difference_is_still_there(name, others):
    """A difference fixed leaves KNOWN, so that the matrix checks that call again."""
    if name.startswith("Tensor."):
        method = name.removeprefix("Tensor.")
        call = lambda library, x, *rest: getattr(x, method)(*rest)  # noqa: E731
        operands = others + 1
    else:
        call = lambda library, *tensors: getattr(library, name)(*tensors)  # noqa: E731
        operands = others
    assert differences(name, call, operands) != []


# A number (or None) as the second argument: a dim, a size, a bound, an exponent...
SCALARS = [2, -1, 0, 2.5, True, None]
# Names whose difference with some of SCALARS is known, with the reason.
KNOWN_WITH_SCALARS = {
    **dict.fromkeys(
        [*"maximum minimum fmax fmin isclose allclose logsumexp squeeze squeeze_".split()],
        "taken by ember on purpose (docs/differences.md: more permissive)",
    ),
    "flip": "an int dim taken by ember on purpose (docs/differences.md)",
    **dict.fromkeys(
        ["trapezoid", "trapz", "cumulative_trapezoid"],
        "None as x taken by ember on purpose (docs/differences.md: trapezoid(y, None))",
    ),
    "as_tensor": "a dtype by position taken by ember on purpose (docs/differences.md)",
    "contiguous": "memory_format is not read",
    "tensordot": "PyTorch's AttributeError, of its own code reading an int as a tensor",
    "mvlgamma": "float16 values a rounding apart (lgamma's float32 last bits)",
    "mvlgamma_": "float16 values a rounding apart (lgamma's float32 last bits)",
    "norm": "float16 norm of order 2.5 a rounding apart",
    "selu": "ember.selu is nn.functional.selu, which takes inplace (tests/test_nn_more.py)",
}


def scalar_differences(label, call):
    found = []
    for dtype in DTYPES:
        for scalar in SCALARS:
            mine, theirs = (
                outcome_with(call, library, dtype, scalar) for library in (ember, torch)
            )
            if not same(mine, theirs):
                found.append(f"{label}({dtype} tensor, {scalar!r}): ember {mine}, torch {theirs}")
    return found


def outcome_with(call, library, dtype, scalar):
    x = library.tensor(MATRIX, dtype=getattr(library, dtype))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return summary(call(library, x, scalar))
    except NotImplementedError:
        return RuntimeError
    except Exception as error:  # noqa: BLE001 - the type is compared
        return type(error)


def test_every_function_and_method_with_a_number_acts_as_in_torch():
    """``where(x > 0, None)`` gave the nonzero positions (PyTorch: a TypeError)."""
    found = []
    for name in public_functions():
        if name not in KNOWN_WITH_SCALARS:
            call = lambda library, x, scalar, name=name: getattr(library, name)(x, scalar)  # noqa: E731
            found += scalar_differences(name, call)
    for name in public_methods():
        if name not in KNOWN_WITH_SCALARS:
            call = lambda library, x, scalar, name=name: getattr(x, name)(scalar)  # noqa: E731
            found += scalar_differences(f"Tensor.{name}", call)
    assert found == []


# One misuse of each family the matrix found read after the input (a RuntimeError or an
# IndexError from the input's dtype or shape, or a result), where PyTorch's parser refuses
# the argument first: (call, error type, what ember's message names). Each runs in both.
MISUSES = {
    "cholesky_inverse upper": (lambda t, x: t.cholesky_inverse(x, 1), TypeError, "'upper'"),
    "cholesky upper": (lambda t, x: x.cholesky(x), TypeError, "'upper'"),
    "qr some": (lambda t, x: x.int().qr(x), TypeError, "'some'"),
    "cosine_similarity dim": (
        lambda t, x: t.cosine_similarity(x.long(), x.long(), x),
        TypeError,
        "'dim'",
    ),
    "dsplit sections": (lambda t, x: t.dsplit(x, 2.5), TypeError, "'sections'"),
    "mean dim": (lambda t, x: t.mean(x.long(), True), TypeError, "'dim'"),
    "nanmean dim": (lambda t, x: x.long().nanmean(x), TypeError, "'dim'"),
    "quantile dim": (lambda t, x: t.quantile(x, x, x), TypeError, "'dim'"),
    "norm ord": (lambda t, x: x.long().norm(x), TypeError, "'ord'"),
    "norm dim": (lambda t, x: t.norm(x.long(), 2, x), TypeError, "'dim'"),
    "vander N": (lambda t, x: t.vander(x, 2.5), TypeError, "'N'"),
    "vander increasing": (lambda t, x: t.vander(x[0], 2, 1), TypeError, "'increasing'"),
    "einsum sublist": (lambda t, x: t.einsum(x, x), RuntimeError, "subscript"),
    "reshape shape": (lambda t, x: t.reshape(x, -1), TypeError, "'shape'"),
    "permute dims": (lambda t, x: t.permute(x, 0), TypeError, "'dims'"),
    "broadcast_to size": (lambda t, x: t.broadcast_to(x, 3), TypeError, "'size'"),
    "isin test_elements": (lambda t, x: t.isin(x.bool(), None), TypeError, "'test_elements'"),
    "float_power_ exponent": (lambda t, x: x.float_power_(None), TypeError, "'exponent'"),
    "repeat_interleave repeats": (
        lambda t, x: t.repeat_interleave(x, None),
        TypeError,
        "'repeats'",
    ),
    "take_along_dim dim": (lambda t, x: t.take_along_dim(x, x, x), TypeError, "'dim'"),
    "clamp_min_ None": (lambda t, x: x.clamp_min_(None), TypeError, "min"),
    "clamp_max_ None": (lambda t, x: x.clamp_max_(None), TypeError, "max"),
    "sub of a bool and None": (lambda t, x: t.sub(x.bool(), None), TypeError, "'other'"),
    "repeat_interleave method": (lambda t, x: x.repeat_interleave(), TypeError, "repeats"),
}


@pytest.mark.parametrize("name", sorted(MISUSES))
def test_each_argument_is_refused_before_the_input_is_read(name):
    call, error, named = MISUSES[name]
    for library in (torch, ember):
        x = library.tensor(MATRIX, dtype=library.float32)
        with warnings.catch_warnings(), pytest.raises(error) as caught:
            warnings.simplefilter("ignore")
            call(library, x)
    assert named in str(caught.value)  # ember's message names what was wrong
