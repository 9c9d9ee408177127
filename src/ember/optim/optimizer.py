"""``Optimizer``: parameter groups, per-parameter state, and the bookkeeping every optimizer shares.

A subclass validates its hyper-parameters, passes them as ``defaults`` and
writes ``step``: for each group, for each parameter with a gradient, update
the parameter's array in place with the array library, keeping running statistics in
``self.state[param]``. The base class runs every ``step`` under ``no_grad``
(a closure, if given, still runs with gradients on).
"""

import copy
import functools
import inspect
import numbers
import warnings
from collections import defaultdict

from .. import backend, dtypes
from ..autograd.grad_mode import enable_grad, no_grad
from ..creation import tensor
from ..ops.elementwise import multiply_add_rounded_once
from ..tensor import Tensor


def clear_grads(params, set_to_none=True):
    """Drop each parameter's ``.grad`` (``set_to_none``) or zero it in place, detached."""
    for param in params:
        grad = param._grad  # the slot: a leaf's .grad, without the property's non-leaf check
        if grad is None:
            continue
        if set_to_none:
            param._grad = None
            continue
        grad.detach_()  # in place: whoever holds this .grad sees it zeroed, as in torch
        try:
            grad._data[...] = 0
        except ValueError:  # a read-only broadcast (an expanded .grad): zeroed through
            grad.zero_()  # to the tensor it was expanded from, as in PyTorch
        else:  # a graph that saved the old .grad refuses the zeros
            grad._counter().value += 1


def added(array, other, alpha):
    """``array + alpha * other`` rounded once, as PyTorch's ``add(other, alpha=)`` rounds
    it on the CPU: a fused multiply-add, with alpha in the arrays' dtype."""
    return multiply_add_rounded_once(other, array.dtype.type(alpha), array)


def scaled(array, factor):
    """``array * factor`` in place, as PyTorch's ``mul_(factor)`` rounds it (float16 in
    float32, where NumPy would round the factor to float16 first)."""
    wide = backend.cpu_namespace.float32 if array.dtype.char == "e" else array.dtype.type
    array[...] = array * wide(factor)


def as_number(value):
    """A hyper-parameter as a Python number, read when a step uses it.

    A learning rate (or decay, momentum, beta) may be a one-element tensor, which
    a scheduler changes in place; its current value is read here, at each step,
    so that the update stays in the parameter's own dtype and array type.
    """
    if isinstance(value, Tensor):
        return value._data.item()  # not float(value): that warns when it requires grad
    if isinstance(value, (int, float, numbers.Real)):
        return value
    # A group's {'lr': (0.1, 0.2)} would otherwise broadcast into the parameter.
    raise TypeError(
        f"a hyper-parameter must be a number or a one-element tensor, not {type(value).__name__}"
    )


def check_one_element(value, name):
    """A hyper-parameter given as a tensor must hold one number."""
    if isinstance(value, Tensor) and value._data.size != 1:
        raise ValueError(f"Tensor {name} must be 1-element")


def check_learning_rate(lr):
    """A learning rate is a number or a one-element tensor, and not negative."""
    check_one_element(lr, "lr")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_not_negative(value, what):
    """Refuse a negative (or NaN) hyper-parameter; ``what`` names it: 'epsilon value'."""
    if not 0.0 <= value:
        raise ValueError(f"Invalid {what}: {value}")


def scalar_state(value, device="cpu"):
    """A one-number state (a step count, a running product), as PyTorch makes it.

    float32, or float64 when that is the default dtype, so that a product rounds as in
    PyTorch; on the CPU unless told, so that reading one is no GPU sync.
    """
    is_double = dtypes.get_default_dtype() == dtypes.float64
    return tensor(value, dtype=dtypes.float64 if is_double else dtypes.float32, device=device)


def state_like(data, fill_value=0):
    """A per-element state (a running average, a step size) shaped and typed as ``data``."""
    return Tensor._make(backend.namespace_of(data).full_like(data, fill_value))


def gradient_to_follow(param, maximize, weight_decay):
    """The parameter's gradient array, negated to maximize, plus the L2 penalty's ``wd * p``.

    The ``.grad`` itself is never changed: a new array is made when one is needed.
    """
    grad = param._grad._data
    if weight_decay == 0:
        return -grad if maximize else grad
    followed = weight_decay * param._data  # one new array, whichever way the gradient points
    if maximize:
        followed -= grad
    else:
        followed += grad
    return followed


def reusable(array):
    """``out=`` for a temporary that an update writes its next result into, to spare a copy.

    NumPy makes an op on 0-d arrays (a 0-d parameter's) return a scalar, which cannot be
    written into: then ``None``, and the op returns a new one.
    """
    return array if backend.is_array(array) else None


def average_squares_(average, values, decay):
    """``average = decay * average + (1 - decay) * values * values``, in place.

    Rounded as torch's ``mul_`` then ``addcmul_``, with one new array where NumPy's
    ``(1 - decay) * values * values`` would make two.
    """
    average *= decay
    squares = (1 - decay) * values
    squares *= values
    average += squares


def lerp_(start, end, weight):
    """Move the array ``start`` toward ``end`` by ``weight``, in place.

    Written as torch.lerp writes it (from ``start`` for a small weight, from ``end`` for a
    large one), so a running average rounds as PyTorch's does.
    """
    difference = end - start
    if weight < 0.5:
        difference *= weight
        start += difference
    else:
        difference *= 1 - weight
        backend.namespace_of(start).subtract(end, difference, out=start)


def check_fused(fused, foreach, differentiable):
    """PyTorch's refusals of ``fused`` with the settings it cannot run alongside.

    ember ignores all three (one NumPy update serves them all), but a combination
    torch refuses is refused here too, so code written against ember runs on torch.
    """
    if not fused:
        return
    if foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together: choose one")
    if differentiable:
        raise RuntimeError("`fused` does not support `differentiable`: set one of them False")


class _RequiredParameter:
    """Marks a hyper-parameter that has no default and must be given."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {_tensor_type_name(params)}"
            )
        if callable(params) and not hasattr(params, "__iter__"):  # model.parameters
            raise TypeError(
                f"params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__} {getattr(params, '__name__', '')!r}: "
                "call it, model.parameters()"
            )
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __init_subclass__(cls, **kwargs):
        """Wrap each subclass's ``step``: no gradients recorded, and a note that it ran."""
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is None:
            return

        @functools.wraps(step)
        def step_without_grad(self, *args, **kwargs):
            with no_grad():
                result = step(self, *args, **kwargs)
            self._opt_called = True
            if self.state:  # (plain SGD keeps none)
                self._mark_state_written()
            return result

        cls.step = step_without_grad

    def _mark_state_written(self):
        """A step changes the state of each parameter it updates (momentum buffers, running
        averages) in place: their versions move, as PyTorch's do, so that a graph that saved
        one refuses the new values."""
        for param, values in self.state.items():
            if param._grad is None:  # not updated by this step
                continue
            for value in values.values():
                if isinstance(value, Tensor):
                    value._counter().value += 1

    def add_param_group(self, param_group):
        """Append a group; like torch, the dict given becomes the group (defaults fill it in)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params, names = _split_names(_params_as_list(param_group["params"]))
        param_group["params"] = params
        if names is not None:
            param_group["param_names"] = names
        for param in params:
            _check_optimizable(param)
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error",
                UserWarning,
                stacklevel=3,
            )
        self._check_fits_with_groups(param_group)
        self.param_groups.append(param_group)

    def _check_fits_with_groups(self, param_group):
        """A new group shares no parameter with the others, and is named as they are."""
        named = "param_names" in param_group
        if any(("param_names" in group) != named for group in self.param_groups):
            raise ValueError(
                "all optimizer param groups should be with/without names: cannot add a param "
                f"group {'with' if named else 'without'} names to an optimizer whose groups "
                f"are {'without' if named else 'with'} them"
            )
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in taken for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")

    def zero_grad(self, set_to_none=True):
        clear_grads(
            (param for group in self.param_groups for param in group["params"]), set_to_none
        )

    def step(self, closure=None):
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    @staticmethod
    def _evaluate(closure):
        """Run the closure (which recomputes the loss and its gradients) with gradients on."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    # Saving and loading -------------------------------------------------------

    def state_dict(self):
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``.

        Parameters are named by their position across all groups, so the
        dictionary holds no references to the model's tensors. A parameter listed
        twice in one group is named by its last position there, as torch names it.
        """
        positions = {}
        groups = []
        start = 0
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            packed["params"] = _positions_in_group(group["params"], start, positions)
            start += len(packed["params"])
            groups.append(packed)
        state = {}
        for param, values in self.state.items():
            key = positions.get(id(param)) if isinstance(param, Tensor) else param
            state[key if key is not None else param] = values
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and state saved by ``state_dict`` (copies, not shares)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    "of optimizer's group"
                )
        by_position = {}
        for group, saved in zip(self.param_groups, saved_groups):
            for position, param in zip(saved["params"], group["params"]):
                by_position[position] = param
        state = defaultdict(dict)
        for key, values in state_dict["state"].items():
            param = by_position.get(key)
            if param is None:
                state[key] = copy.deepcopy(values)
                continue
            state[param] = {name: _fit_state(param, name, value) for name, value in values.items()}
        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            restored = copy.deepcopy({k: v for k, v in saved.items() if k != "params"})
            restored["params"] = group["params"]
            if "param_names" in group and "param_names" not in restored:
                restored["param_names"] = group["param_names"]
            # an older or hand-made state names fewer options: the missing ones take their
            # defaults, as PyTorch's optimizers fill them in when they load such a state
            for name, default in _option_defaults(type(self)).items():
                if name in self.defaults:  # (a subclass's own arguments are its business)
                    restored.setdefault(name, default)
            new_groups.append(restored)
        self.state = state
        self.param_groups = new_groups

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            if index:
                lines.append("")
            lines.append(f"Parameter Group {index}")
            for key in sorted(group):
                if key != "params":
                    lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def _params_as_list(params):
    """A group's ``params`` as a list: one tensor, or any ordered iterable (not a set)."""
    if isinstance(params, Tensor):
        return [params]
    if isinstance(params, set):
        raise TypeError(
            "optimizer parameters need to be organized in ordered collections, but the "
            "ordering of tensors in sets will change between runs. Please use a list instead."
        )
    return list(params)


def _split_names(params):
    """``(tensors, names)`` from a list that may hold ``(name, tensor)`` pairs (names: None)."""
    names = [param[0] for param in params if isinstance(param, tuple)]
    if not names:
        return params, None
    if len(names) != len(params):
        raise ValueError(
            "all optimizer params should be with/without names: "
            f"{len(names)} of {len(params)} params in this group are (name, param) pairs"
        )
    return [param for _, param in params], names


def _check_optimizable(param):
    """A tensor the optimizer may change in place: a leaf, or one that retains its grad."""
    if not isinstance(param, Tensor):
        raise TypeError(
            "optimizer can only optimize Tensors, but one of the params is "
            f"{_tensor_type_name(param)}"
        )
    if param.grad_fn is not None and not param.retains_grad:
        raise ValueError("can't optimize a non-leaf Tensor")


def _positions_in_group(params, start, positions):
    """Number one group's parameters from ``start`` on, recording new ones in ``positions``.

    A parameter already numbered in an earlier group keeps its number; one listed
    twice in this group takes its later position (torch numbers them so too).
    """
    new = {
        id(param): index for index, param in enumerate(params, start) if id(param) not in positions
    }
    positions.update(new)
    return [positions[id(param)] for param in params]


# One-number states that an older PyTorch saved as Python numbers, and the device each is
# made a tensor on when loaded, as PyTorch's optimizers remake them (None: the parameter's).
NUMBER_STATES = {"step": "cpu", "mu_product": "cpu", "eta": None, "mu": None}


def _option_defaults(optimizer_class):
    """The options an optimizer's constructor gives a default, but lr (a group must
    name its learning rate)."""
    parameters = inspect.signature(optimizer_class.__init__).parameters.values()
    return {
        parameter.name: parameter.default
        for parameter in parameters
        if parameter.default is not parameter.empty and parameter.name != "lr"
    }


def _fit_state(param, name, value):
    """A copy of one saved state value, cast to the parameter's dtype and device; the
    tensors in a list or tuple too (LBFGS keeps its history so).

    ``step`` counters keep their own dtype, as PyTorch keeps them float32.
    """
    if isinstance(value, (list, tuple)):
        return type(value)(_fit_state(param, name, item) for item in value)
    if name in NUMBER_STATES and isinstance(value, numbers.Real):
        return scalar_state(float(value), NUMBER_STATES[name] or param.device)
    if not isinstance(value, Tensor):
        return copy.deepcopy(value)
    value = value.detach()
    if name != "step":  # step counters stay on the CPU, as in torch
        value = value.to(param.device)
        if value.is_floating_point():
            value = value.to(param.dtype)
    return value.clone()


def _tensor_type_name(value):
    """How an error names a value: 'ember.FloatTensor' for tensors, as PyTorch does."""
    if isinstance(value, Tensor):
        return dtypes.tensor_type_name(value.dtype)
    return type(value).__name__
