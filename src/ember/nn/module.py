"""``nn.Module``: a tree of layers that owns parameters, buffers and sub-layers.

Assigning a Parameter, a Module or a registered buffer to an attribute
registers it (``__setattr__``); reading it back goes through ``__getattr__``,
which looks in the three registries. Everything else a Module offers is a
walk over that tree: ``named_modules`` visits it depth-first, and
``named_parameters``, ``state_dict``, ``train``, ``to`` and ``apply`` are built
on that walk.
"""

import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from .. import dtypes
from ..autograd.function import RemovableHandle
from ..autograd.grad_mode import no_grad
from ..optim.optimizer import clear_grads
from ..tensor import Tensor
from ..to_arguments import to_arguments
from .parameter import Buffer, Parameter


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it could not match, both ways."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys!r}, "
            f"unexpected_keys={self.unexpected_keys!r})"
        )

    __str__ = __repr__


def _type_name(value):
    """How an error names a value: 'ember.FloatTensor' for tensors, as PyTorch does."""
    if isinstance(value, Tensor):
        return dtypes.tensor_type_name(value.dtype)
    return type(value).__name__


class Module:
    training: bool

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got unexpected arguments; Module.__init__ "
                "takes none"
            )
        set_raw = object.__setattr__
        set_raw(self, "training", True)
        set_raw(self, "_parameters", {})
        set_raw(self, "_buffers", {})
        set_raw(self, "_non_persistent_buffers_set", set())
        set_raw(self, "_modules", {})
        set_raw(self, "_forward_hooks", {})
        set_raw(self, "_forward_pre_hooks", {})
        set_raw(self, "_hooks_with_kwargs", set())

    # Calling ------------------------------------------------------------------

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args, **kwargs):
        if not self._forward_pre_hooks and not self._forward_hooks:
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args, kwargs):
        call = _Call(args, kwargs)
        try:
            return self._forward_through_hooks(call)
        except Exception:
            self._run_always_called_hooks(call)
            raise

    def _forward_through_hooks(self, call):
        """Pre-hooks, forward, hooks; ``call`` keeps the inputs and output as they change,
        and which always-called hooks have run, for ``_run_always_called_hooks``."""
        with_kwargs = self._hooks_with_kwargs
        for key, hook in list(self._forward_pre_hooks.items()):
            if key in with_kwargs:
                changed = hook(self, call.args, call.kwargs)
                if changed is not None:
                    call.args, call.kwargs = _new_args_and_kwargs(changed)
                continue
            changed = hook(self, call.args)
            if changed is not None:
                call.args = changed if isinstance(changed, tuple) else (changed,)
        call.result = self.forward(*call.args, **call.kwargs)
        always = self.__dict__.get("_hooks_always_called", ())
        for key, hook in list(self._forward_hooks.items()):
            if key in always:
                call.called.add(key)
            changed = self._run_forward_hook(key, hook, call)
            if changed is not None:
                call.result = changed
        return call.result

    def _run_forward_hook(self, key, hook, call):
        if key in self._hooks_with_kwargs:
            return hook(self, call.args, call.kwargs, call.result)
        return hook(self, call.args, call.result)

    def _run_always_called_hooks(self, call):
        """After forward or a hook raised: the ``always_call=True`` hooks not yet run, each
        error of theirs a warning, as PyTorch does; the first error then goes on."""
        always = self.__dict__.get("_hooks_always_called", ())
        for key, hook in list(self._forward_hooks.items()):
            if key not in always or key in call.called:
                continue
            try:
                changed = self._run_forward_hook(key, hook, call)
            except Exception as error:  # noqa: BLE001 - silenced: forward's error goes on
                warnings.warn(
                    "module forward hook with ``always_call=True`` raised an exception that "
                    f"was silenced as another error was raised in forward: {error}",
                    stacklevel=3,
                )
                continue
            if changed is not None:
                call.result = changed

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """``hook(module, inputs, output)`` runs after forward; a returned value replaces output.

        With ``with_kwargs=True`` it is ``hook(module, inputs, kwargs, output)``;
        ``prepend=True`` runs it before the hooks already registered; ``always_call=True``
        runs it even when forward (or an earlier hook) raises, with output None if forward did.
        """
        handle = _add_hook(self, self._forward_hooks, hook, prepend, with_kwargs)
        if always_call:
            if "_hooks_always_called" not in self.__dict__:
                object.__setattr__(self, "_hooks_always_called", set())
            self._hooks_always_called.add(handle.id)
        return handle

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(module, inputs)`` runs before forward; a returned value replaces the inputs.

        With ``with_kwargs=True`` it is ``hook(module, inputs, kwargs)`` and returns None
        or a pair ``(inputs, kwargs)``.
        """
        return _add_hook(self, self._forward_pre_hooks, hook, prepend, with_kwargs)

    # Registration -------------------------------------------------------------

    def __setattr__(self, name, value):
        registries = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if registries is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep=self._parameters)
            self.register_parameter(name, value)
        elif registries is not None and name in self._parameters:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_type_name(value)}' as parameter '{name}' "
                    "(ember.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if registries is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep=self._modules)
            self._modules[name] = value
        elif registries is not None and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_type_name(value)}' as child module '{name}' "
                    "(ember.nn.Module or None expected)"
                )
            self._modules[name] = value
        elif isinstance(value, Buffer):
            if registries is None:
                raise AttributeError("cannot assign buffer before Module.__init__() call")
            self.register_buffer(name, value, value.persistent)
        elif registries is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_type_name(value)}' as buffer '{name}' "
                    "(ember.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name, keep):
        """Drop ``name`` from the instance dict and every registry but ``keep``.

        ``keep`` is the registry about to receive the new value: leaving the old entry
        there lets the assignment replace it in place, so the registration order (and
        with it parameters(), state_dict() and repr) stays as it was.
        """
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._modules, self._buffers):
            if registry is not keep:
                registry.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __getattr__(self, name):
        # Only called when normal lookup fails: look in the registries.
        registries = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            found = registries.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        names = list(super().__dir__())
        names += list(self._parameters) + list(self._buffers) + list(self._modules)
        return sorted(set(names))

    def _check_name(self, name, kind, registry):
        """PyTorch's checks on a new name; ``registry`` is where it will go, so a name
        already there may be replaced, but one held by another kind of member may not."""
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
        if hasattr(self, name) and name not in self.__dict__[registry]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        self._check_name(name, "parameter", "_parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_type_name(param)}' object to parameter '{name}' "
                "(ember.nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                "created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """A tensor the module keeps (and saves, unless ``persistent=False``) but never trains."""
        self._check_name(name, "buffer", "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_type_name(tensor)}' object to buffer '{name}' "
                "(ember Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            hint = ""
            if callable(module) and not isinstance(module, type):
                hint = (
                    f" ({getattr(module, '__name__', 'a function')}: a function; its layer, "
                    "such as nn.ReLU(), is a Module)"
                )
            raise TypeError(f"{_type_name(module)} is not a Module subclass{hint}")
        self._check_name(name, "module", "_modules")
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target):
        """The module at the dotted path ``target``; each step must be an attribute that
        holds a Module (a child set to None is not one), else PyTorch's AttributeError."""
        module = self
        if target == "":
            return module
        for part in target.split("."):
            if not hasattr(module, part):
                raise AttributeError(f"{module._get_name()} has no attribute `{part}`")
            module = getattr(module, part)
            if not isinstance(module, Module):
                raise AttributeError(f"`{part}` is not an nn.Module")
        return module

    def set_submodule(self, target, module, strict=False):
        """Put ``module`` at the dotted path ``target``; with ``strict`` the name must exist."""
        if target == "":
            raise ValueError("set_submodule needs a target name; '' names the module itself")
        if not isinstance(module, Module):
            raise ValueError(f"set_submodule expects an nn.Module, got {type(module)}")
        parent_path, _, name = target.rpartition(".")
        parent = self.get_submodule(parent_path)
        if hasattr(parent, name):
            if not isinstance(getattr(parent, name), Module):
                raise AttributeError(f"`{name}` is not an nn.Module, so it cannot be replaced")
        elif strict:
            raise AttributeError(f"{parent._get_name()} has no attribute `{name}`")
        setattr(parent, name, module)

    def get_parameter(self, target):
        """The Parameter at the dotted path ``target`` (one set to None is not found)."""
        module, name = self._member_owner(target)
        parameter = getattr(module, name)
        if not isinstance(parameter, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return parameter

    def get_buffer(self, target):
        """The buffer at the dotted path ``target``: None where one is registered as None."""
        module, name = self._member_owner(target)
        buffer = getattr(module, name)
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return buffer

    def _member_owner(self, target):
        """The module the dotted path ``target`` ends in, and the attribute it names there."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        return module, name

    # Walking the tree ---------------------------------------------------------

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(name, module) for this module and every descendant, depth-first, each once.

        A module in ``memo`` is skipped with all below it, even with ``remove_duplicate``
        False, which only stops the walk from adding what it meets to ``memo``."""
        seen = set() if memo is None else memo
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if module in seen:
                continue
            if remove_duplicate:
                seen.add(module)
            yield name, module
            # Joined with +, as PyTorch's, so a prefix that is no string is a TypeError.
            children = [
                (name + ("." if name else "") + child_name, child)
                for child_name, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        walk = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        modules = walk if recurse else [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None:
                    continue
                if remove_duplicate:
                    if id(value) in seen:
                        continue
                    seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn):
        """Call ``fn`` on every submodule (children first) and then on this module."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # Modes and gradients ------------------------------------------------------

    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        # An assignment, as PyTorch's (a child registered as 'training' refuses it); and
        # each child's own train(), so that a subclass that overrides it is called.
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        clear_grads(self.parameters(), set_to_none)

    # Saving and loading -------------------------------------------------------

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """An OrderedDict of every parameter and persistent buffer, keyed by dotted path."""
        if args:
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead: "
                "state_dict(destination=..., prefix=..., keep_vars=...)",
                FutureWarning,
                stacklevel=2,
            )
            destination = args[0]
            prefix = args[1] if len(args) > 1 else prefix
            keep_vars = args[2] if len(args) > 2 else keep_vars
        if destination is None:
            destination = OrderedDict()
        for name, parameter in self._parameters.items():
            if parameter is not None:
                destination[prefix + name] = parameter if keep_vars else parameter.detach()
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buffer if keep_vars else buffer.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(
                    destination=destination, prefix=f"{prefix}{name}.", keep_vars=keep_vars
                )
        return destination

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy values from ``state_dict`` into this module's parameters and buffers.

        Returns the missing and unexpected keys; with ``strict`` (the default)
        either kind is an error, and so is a shape that differs, always.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors = [], [], []
        self._load_into(state_dict, "", missing, unexpected, errors, assign)
        if strict:
            if unexpected:
                keys = ", ".join(f'"{key}"' for key in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{key}"' for key in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        return _IncompatibleKeys(missing, unexpected)

    def _load_into(self, state_dict, prefix, missing, unexpected, errors, assign):
        own = {name: value for name, value in self._parameters.items() if value is not None}
        for name, value in self._buffers.items():
            if value is not None and name not in self._non_persistent_buffers_set:
                own[name] = value
        for name, target in own.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            source = state_dict[key]
            if not isinstance(source, Tensor):
                errors.append(
                    f'While copying the parameter named "{key}", expected ember.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(source)}"
                )
                continue
            if target.ndim == 0 and tuple(source.shape) == (1,):
                source = source[0]  # checkpoints of old PyTorch saved scalars with shape [1]
            if tuple(source.shape) != tuple(target.shape):
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {source.shape} from "
                    f"checkpoint, the shape in current model is {target.shape}."
                )
                continue
            try:
                self._copy_in(name, target, source, assign)
            except Exception as error:  # noqa: BLE001 - PyTorch reports any failure by key
                errors.append(
                    f'While copying the parameter named "{key}", whose dimensions in the model '
                    f"are {target.shape} and whose dimensions in the checkpoint are "
                    f"{source.shape}, an exception occurred : {error.args}."
                )
        for key in state_dict:
            if not key.startswith(prefix):
                continue
            # A dotted key belongs to a child (which checks the rest); a plain one must be ours.
            head, dot, _ = key[len(prefix) :].partition(".")
            if head not in (self._modules if dot else own):
                unexpected.append(key)
        for name, module in self._modules.items():
            if module is not None:
                module._load_into(
                    state_dict, f"{prefix}{name}.", missing, unexpected, errors, assign
                )

    def _copy_in(self, name, target, source, assign):
        """Copy ``source`` into ``target``, or with ``assign`` put ``source`` itself in its
        place (made a Parameter that trains as ``target`` did, where ``target`` is one)."""
        with no_grad():
            if not assign:
                target.copy_(source)
                return
            if isinstance(target, Parameter):
                if isinstance(source, Parameter):
                    source.requires_grad_(target.requires_grad)  # PyTorch changes the given one
                else:
                    source = Parameter(source, target.requires_grad)
            setattr(self, name, source)

    # Moving and casting -------------------------------------------------------

    def _apply(self, convert):
        """Replace every parameter's and buffer's values by ``convert(tensor)``, in place."""
        for module in self.modules():
            for parameter in module._parameters.values():
                if parameter is None:
                    continue
                with no_grad():
                    converted = convert(parameter)
                    if parameter.requires_grad and not converted.is_floating_point():
                        raise RuntimeError(
                            f"cannot cast a parameter that requires grad to {converted.dtype}: "
                            "only floating-point tensors can require gradients (call "
                            "requires_grad_(False) first)"
                        )
                    parameter._data = converted._data
                    if parameter.grad is not None:
                        parameter.grad._data = convert(parameter.grad)._data
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = convert(buffer)
        return self

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(tensor)``.

        dtype changes apply to floating-point parameters and buffers only.
        """
        device, dtype, _, copy = to_arguments("Module.to", args, kwargs)
        if copy is not None:  # given, even as False
            raise RuntimeError(".to() does not accept copy argument")
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )

        def convert(tensor):
            if device is not None:
                tensor = tensor.to(device)
            if dtype is not None and tensor.is_floating_point():
                tensor = tensor.to(dtype)
            return tensor

        return self._apply(convert)

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def half(self):
        return self.to(dtypes.float16)

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to("cuda" if device is None else device)

    def type(self, dst_type):
        """Cast every parameter and buffer to ``dst_type`` (a dtype or a name such as
        'ember.DoubleTensor'); parameters that train must stay floating-point."""
        if dst_type is None:  # Tensor.type(None) names the type; no module is cast to a name
            raise TypeError("Module.type() takes a dtype or a legacy type name, not None")
        return self._apply(lambda tensor: tensor.type(dst_type))

    # Printing -----------------------------------------------------------------

    def extra_repr(self):
        """The text inside this module's parentheses; layers override it."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        own = self.extra_repr().split("\n") if self.extra_repr() else []
        children = [
            f"({name}): {indented(repr(module), 2)}" for name, module in self._modules.items()
        ]
        return module_layout(self._get_name(), own, children)


def module_layout(name, own_lines, child_lines):
    """``Name(one line)`` or ``Name(\\n  line\\n  line\\n)``, PyTorch's module layout."""
    if not own_lines and not child_lines:
        return f"{name}()"
    if len(own_lines) == 1 and not child_lines:
        return f"{name}({own_lines[0]})"
    body = "\n  ".join(own_lines + child_lines)
    return f"{name}(\n  {body}\n)"


def indented(text, spaces):
    """Indent every line of ``text`` but the first (it follows a label on its line)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


_next_hook_id = [0]


def _add_hook(module, hooks, hook, prepend, with_kwargs):
    _next_hook_id[0] += 1
    key = _next_hook_id[0]
    if prepend:
        # The registry is the handle's too, so it is reordered in place, not replaced.
        earlier = list(hooks.items())
        hooks.clear()
        hooks[key] = hook
        hooks.update(earlier)
    else:
        hooks[key] = hook
    if with_kwargs:
        module._hooks_with_kwargs.add(key)
    return _HookHandle(hooks, key)


def _new_args_and_kwargs(returned):
    """What a keyword-taking forward pre-hook returned, checked: a pair (args, kwargs)."""
    if not isinstance(returned, tuple) or len(returned) != 2:
        raise RuntimeError(
            "a forward pre-hook registered with_kwargs=True must return None or a pair "
            f"(new_args, new_kwargs), but returned {returned!r}"
        )
    return returned


class _Call:
    """One hooked call's inputs and output as the hooks change them, and the always-called
    forward hooks that have run."""

    __slots__ = ("args", "kwargs", "result", "called")

    def __init__(self, args, kwargs):
        self.args, self.kwargs, self.result, self.called = args, kwargs, None, set()


class _HookHandle(RemovableHandle):
    """Removes one forward hook from its module."""

    @property
    def id(self):
        return self.hook

    def remove(self):
        self.hooks.pop(self.hook, None)
