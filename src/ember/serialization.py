"""``ember.save`` / ``ember.load``: tensors and state dicts in a file that cannot run code.

The file is a zip archive holding

    ember/header.json       the object's structure as JSON: dicts, lists, tuples,
                            numbers, strings, bytes (base64), None, bools; each
                            tensor as a reference to an array entry
    ember/arrays/<n>.npy    each tensor's values in NumPy's .npy format

and nothing else. Loading parses JSON and reads ``.npy`` files with pickling
disabled, so a crafted file can fail to load but cannot execute anything;
every such failure is a RuntimeError that names the file.

Saving to a path is atomic: the archive goes to a temporary file in the same
folder, is flushed and fsync'ed, and then renamed over the target, so a crash
mid-save leaves the previous file as it was (and at worst a stray
``.<name>.<random>.tmp`` beside it). Of saves written one after another into one
stream, only the last loads (an earlier one is refused with an error that says so).
"""

import base64
import io
import json
import math
import os
import pickle
import secrets
import zipfile
from collections import Counter, OrderedDict

from . import backend, dtypes
from .device import as_device, device
from .replaced_files import replaced_file
from .size import Size
from .tensor import Tensor

np = backend.cpu_namespace

FORMAT_NAME = "ember.save"
FORMAT_VERSION = 1
HEADER_ENTRY = "ember/header.json"
ARRAY_ENTRY = "ember/arrays/{}.npy"


# Saving ------------------------------------------------------------------------------


def save(obj, f, pickle_module=pickle, pickle_protocol=None, _use_new_zipfile_serialization=True):
    """Write ``obj`` to ``f`` (a path, or a binary file object opened for writing).

    ``obj`` may nest dicts (also OrderedDicts and Counters, with number, string,
    bytes, None, dtype or device keys), lists and tuples of tensors, Parameters,
    NumPy arrays, numbers (complex too), strings, bytes, bools, None, dtypes and
    devices: every state dict of a module, optimizer or scheduler. Anything else,
    subclasses of those containers included (a namedtuple would come back a tuple),
    is a TypeError naming its type, raised before anything is written. The pickle
    arguments are accepted for PyTorch compatibility and ignored, but a pickle_module
    with no ``Pickler`` is PyTorch's AttributeError.
    """
    _check_pickle_module(pickle_module, "Pickler")
    arrays = []
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "root": _encode(obj, arrays, {}),
    }
    if hasattr(f, "write"):
        _write_archive(f, header, arrays)
        return
    _save_atomically(_path_of(f, "save", "write"), header, arrays)


def _path_of(f, action, method):
    """``f`` as a path string; anything that is neither a path nor a file object is an
    AttributeError, PyTorch's type for it."""
    if not isinstance(f, (str, os.PathLike)):
        raise AttributeError(
            f"ember.{action} expected a path or a binary file object with a '{method}' "
            f"method, got {type(f).__name__}"
        )
    return os.fspath(f)


def _save_atomically(path, header, arrays):
    """Write a new file beside the target, then rename it over the target: a save that
    fails midway leaves what was there (what the rename would lose is kept: see
    replaced_files.py)."""
    target, mode, write_into = replaced_file(path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {folder} does not exist.")
    if os.path.isdir(target):
        raise RuntimeError(f"ember.save: {path} is a directory; give a file name inside it")
    if write_into:  # /dev/null, a pipe
        archive = io.BytesIO()  # a device's position stays 0, which zipfile cannot use
        _write_archive(archive, header, arrays)
        with open(target, "wb") as handle:
            handle.write(archive.getvalue())
        return
    # named after the file, which tells what a leftover one (a killed process's) was;
    # cut so that a long name still leaves room for the rest (255 bytes at most)
    temporary = os.path.join(
        folder, f".{os.path.basename(target)[:200]}.{secrets.token_hex(6)}.tmp"
    )
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        message = f"{error.strerror} (ember.save writes a new file in {folder}, then renames it)"
        raise type(error)(error.errno, message, path) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            _write_archive(handle, header, arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _sync_folder(folder):
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _write_archive(stream, header, arrays):
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(HEADER_ENTRY, json.dumps(header, allow_nan=False))
        for index, array in enumerate(arrays):
            with archive.open(ARRAY_ENTRY.format(index), "w", force_zip64=True) as entry:
                _write_array(entry, array)


def _write_array(stream, array):
    np.lib.format.write_array(stream, array, allow_pickle=False)


def _encode(value, arrays, memo):
    """The JSON node for ``value``; tensors' arrays are appended to ``arrays``."""
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        if value.bit_length() > 64:  # hex: decimal strings over 4300 digits are refused
            return {"type": "int", "hex": format(int(value), "x")}
        return {"type": "int", "value": int(value)}
    if isinstance(value, float):
        return {"type": "float", "value": repr(float(value))}
    if isinstance(value, complex):
        return {"type": "complex", "real": repr(value.real), "imag": repr(value.imag)}
    if isinstance(value, str):
        return {"type": "str", "value": value}
    if type(value) in (bytes, bytearray):
        return {"type": type(value).__name__, "value": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Tensor):
        return _encode_tensor(value, arrays, memo)
    if backend.is_cuda_array(value):
        value = backend.to_host(value)  # a CuPy array is stored as its host copy
    if isinstance(value, backend.ndarray):
        _check_array_type(value.dtype)
        arrays.append(value)
        return {"type": "ndarray", "array": len(arrays) - 1}
    if isinstance(value, backend.generic_scalar):
        return _encode(value.item(), arrays, memo)
    if isinstance(value, dtypes.dtype):
        return {"type": "dtype", "name": value.name}
    if isinstance(value, device):
        return {"type": "device", "name": str(value)}
    if isinstance(value, Size):
        return {"type": "size", "items": [int(size) for size in value]}
    # Containers by exact type: a subclass (a namedtuple, a defaultdict) would come back
    # as its base class, so it is refused as PyTorch's weights-only load refuses it.
    if type(value) in (list, tuple):
        return {
            "type": type(value).__name__,
            "items": [_encode(item, arrays, memo) for item in value],
        }
    if type(value) is set:  # of what a dict key may be; sorted, so one set saves one way
        items = [_checked_key(item, "set element") for item in sorted(value, key=repr)]
        return {"type": "set", "items": [_encode(item, arrays, memo) for item in items]}
    if type(value) in _DICT_KINDS:
        items = [
            [_encode(_checked_key(key), arrays, memo), _encode(item, arrays, memo)]
            for key, item in value.items()
        ]
        return {"type": _DICT_KINDS[type(value)], "items": items}
    raise TypeError(
        f"ember.save cannot store an object of type {type(value).__name__}: it stores "
        "tensors, NumPy arrays, numbers, strings, bytes, bools, None, dtypes, devices, and "
        "lists, tuples and dicts of them (such as state_dict() results); save "
        "obj.state_dict() instead of obj"
    )


_DICT_KINDS = {dict: "dict", OrderedDict: "ordered_dict", Counter: "counter"}


def _is_storable_key(key):
    """Whether ``key`` can be a dict key in the file: a hashable value that comes
    back equal (a number, string, bytes, None, dtype or device)."""
    if key is None or isinstance(key, (bool, int, float, complex, str, dtypes.dtype, device)):
        return True
    if type(key) is tuple:
        return all(map(_is_storable_key, key))
    return type(key) is bytes or isinstance(key, backend.generic_scalar)


def _checked_key(key, what="dict key"):
    if not _is_storable_key(key):
        raise TypeError(
            f"ember.save cannot store a {what} of type {type(key).__name__}; keys and set "
            "elements must be numbers, strings, bytes, bools, None, dtypes, devices or "
            "tuples of them"
        )
    return key


def _encode_tensor(tensor, arrays, memo):
    from .nn.parameter import Parameter

    key = id(tensor)
    if key not in memo:
        arrays.append(backend.to_host(tensor._data))
        memo[key] = len(arrays) - 1
    return {
        "type": "tensor",
        "array": memo[key],
        "requires_grad": bool(tensor.requires_grad),
        "parameter": isinstance(tensor, Parameter),
        "device": str(tensor.device),
    }


def _check_array_type(numpy_type):
    try:
        dtypes.from_numpy(numpy_type)
    except TypeError:
        raise TypeError(
            f"ember.save cannot store a NumPy array of dtype {numpy_type}; ember stores "
            "float16/32/64, int8/16/32/64, uint8 and bool arrays"
        ) from None


# Loading -----------------------------------------------------------------------------


class _PlacementError(Exception):
    """Carries an error of ``map_location`` (the user's function, a device this machine
    lacks) past the decoder, which would report it as a damaged file, to ``load``."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class _Reader:
    """Decodes one archive's header, reading each array entry once, on first use."""

    def __init__(self, archive, name, map_location):
        self.archive = archive
        self.name = name
        self.map_location = map_location
        self.tensors = {}
        self.arrays = {}

    def fail(self, reason):
        return RuntimeError(
            f"ember.load: {self.name} is damaged or not an ember save file: {reason}"
        )

    def array(self, index):
        if not isinstance(index, int) or isinstance(index, bool):
            raise self.fail(f"array reference {index!r} is not an integer")
        if index not in self.arrays:
            entry = ARRAY_ENTRY.format(index)
            try:
                size = self.archive.getinfo(entry).file_size
                with self.archive.open(entry) as stream:
                    array = self._read_npy(stream, entry, size)
            except KeyError:
                raise self.fail(f"the array entry {entry} is missing") from None
            except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
                raise self.fail(f"cannot read {entry} ({error})") from None
            self.arrays[index] = array
        return self.arrays[index]

    def _read_npy(self, stream, entry, size):
        """One ``.npy`` entry, checked before anything is allocated.

        The header must name a dtype ember has (so never an object array, which
        would need unpickling) and a shape whose bytes fit in the entry.
        """
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran_order, numpy_type = np.lib.format.read_array_header_1_0(stream)
        else:
            shape, fortran_order, numpy_type = np.lib.format.read_array_header_2_0(stream)
        try:
            dtypes.from_numpy(numpy_type)
        except TypeError:
            raise self.fail(f"{entry} holds unsupported dtype {numpy_type}") from None
        count = 1
        for length in shape:
            count *= length
        expected = count * numpy_type.itemsize
        if expected > size:
            raise self.fail(f"{entry} claims shape {shape}, more data than the entry holds")
        data = stream.read(expected)
        if len(data) != expected:
            raise self.fail(f"{entry} ends early ({len(data)} of {expected} bytes)")
        flat = np.frombuffer(data, dtype=numpy_type, count=count).copy()
        return flat.reshape(shape, order="F" if fortran_order else "C")

    def decode(self, node):
        if not isinstance(node, dict) or "type" not in node:
            raise self.fail(f"unexpected header entry {str(node)[:80]!r}")
        kind = node["type"]
        decoder = self.decoders.get(kind)
        if decoder is None:
            raise self.fail(f"unknown entry type {str(kind)[:40]!r}")
        try:
            return decoder(self, node)
        except (KeyError, TypeError, ValueError) as error:
            raise self.fail(f"malformed {kind!r} entry ({type(error).__name__}: {error})") from None

    def _none(self, node):
        return None

    def _bool(self, node):
        return self._checked(node["value"], bool)

    def _int(self, node):
        if "hex" in node:
            return int(self._checked(node["hex"], str), 16)
        value = node["value"]
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected an integer, got {type(value).__name__}")
        return value

    def _float(self, node):
        value = self._checked(node["value"], str)
        number = float(value)  # accepts 'inf', 'nan' and repr() of any float, nothing else
        if math.isnan(number) and value.lower() not in ("nan", "-nan"):
            raise ValueError(f"bad float {value!r}")
        return number

    def _complex(self, node):
        return complex(self._float({"value": node["real"]}), self._float({"value": node["imag"]}))

    def _bytes(self, node):
        return base64.b64decode(self._checked(node["value"], str), validate=True)

    def _bytearray(self, node):
        return bytearray(self._bytes(node))

    def _str(self, node):
        return self._checked(node["value"], str)

    @staticmethod
    def _checked(value, kind):
        if not isinstance(value, kind):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def _sequence(self, node):
        return [self.decode(item) for item in self._checked(node["items"], list)]

    def _list(self, node):
        return self._sequence(node)

    def _tuple(self, node):
        return tuple(self._sequence(node))

    def _set(self, node):
        return {self._key(item) for item in self._checked(node["items"], list)}

    def _size(self, node):
        sizes = self._checked(node["items"], list)
        if not all(isinstance(size, int) and not isinstance(size, bool) for size in sizes):
            raise TypeError("sizes must be integers")
        return Size(sizes)

    def _pairs(self, node):
        pairs = []
        for pair in self._checked(node["items"], list):
            if not isinstance(pair, list) or len(pair) != 2:
                raise TypeError("dict items must be [key, value] pairs")
            pairs.append((self._key(pair[0]), self.decode(pair[1])))
        return pairs

    def _key(self, node):
        key = self.decode(node)
        if not _is_storable_key(key):
            raise TypeError(f"dict key of type {type(key).__name__}")
        return key

    def _dict(self, node):
        return dict(self._pairs(node))

    def _ordered_dict(self, node):
        return OrderedDict(self._pairs(node))

    def _counter(self, node):
        return Counter(dict(self._pairs(node)))

    def _dtype(self, node):
        return dtypes.to_dtype(self._checked(node["name"], str))

    def _device(self, node):
        return as_device(self._checked(node["name"], str))

    def _ndarray(self, node):
        return self.array(node["array"]).copy()

    def _tensor(self, node):
        index = node["array"]
        if index in self.tensors:
            return self.tensors[index]
        requires_grad = self._checked(node.get("requires_grad", False), bool)
        tensor = Tensor._make(self.array(index))
        location = self._checked(node.get("device", "cpu"), str)
        try:
            tensor = self.place(tensor, location)
        except Exception as error:
            raise _PlacementError(error) from error
        if node.get("parameter") is True:
            from .nn.parameter import Parameter

            tensor = Parameter(tensor, requires_grad=requires_grad)
        elif requires_grad:
            tensor.requires_grad_(True)
        self.tensors[index] = tensor
        return tensor

    def place(self, tensor, saved_location):
        """Where ``map_location`` sends a tensor saved on ``saved_location`` (see ``load``)."""
        target = self.map_location
        _check_map_location(target)
        if callable(target) and not isinstance(target, (str, device)):
            moved = target(tensor, saved_location)
            if isinstance(moved, Tensor):
                return moved
            if moved is not None:
                raise TypeError(
                    f"ember.load: the map_location function returned a {type(moved).__name__}; "
                    "it must return a tensor, or None to keep the saved location"
                )
            target = None  # the function declined: the saved location, as in torch
        if isinstance(target, dict):
            target = target.get(saved_location, saved_location)
        target = as_device(saved_location if target is None else target)
        if target.type == "cpu":
            return tensor
        if not backend.cuda_is_available():
            raise RuntimeError(
                f"ember.load: {self.name} holds a tensor saved on {saved_location}, to be loaded "
                f"onto {target}, which this machine cannot use; load it on the CPU with "
                f"map_location='cpu'. ({backend.cuda_unavailable_reason()})"
            )
        return tensor.to(target)

    decoders = {
        "none": _none,
        "bool": _bool,
        "int": _int,
        "float": _float,
        "complex": _complex,
        "str": _str,
        "bytes": _bytes,
        "bytearray": _bytearray,
        "list": _list,
        "tuple": _tuple,
        "set": _set,
        "size": _size,
        "dict": _dict,
        "ordered_dict": _ordered_dict,
        "counter": _counter,
        "dtype": _dtype,
        "device": _device,
        "ndarray": _ndarray,
        "tensor": _tensor,
    }


# What PyTorch passes on to pickle's load; ember reads no pickle, so it takes them and
# ignores them.
_PICKLE_LOAD_ARGUMENTS = {"encoding", "errors", "fix_imports", "buffers"}


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **kwargs):
    """Read an object written by ``ember.save`` from a path or a binary file object.

    ``map_location`` moves tensors: a device or device string for all of them,
    a dict from saved to new location ("cuda:0" -> "cpu"), or a function
    ``(tensor, saved_location) -> tensor`` that gets each tensor on the CPU
    (where torch passes a storage) and may return None to keep the saved
    location. Without it, each tensor goes back to the device it was saved
    from; CUDA tensors are always saved as host copies, so a file saved on a
    GPU loads anywhere with ``map_location="cpu"``. Loading never runs code from the
    file, so ``weights_only`` is always in effect. A ``pickle_module`` is refused as
    PyTorch refuses it: with ``weights_only=True`` given, or with no ``Unpickler``.
    """
    if pickle_module is not None:
        if weights_only:
            raise RuntimeError(
                "ember.load: weights_only=True loads without a pickle_module; pass one or the other"
            )
        _check_pickle_module(pickle_module, "Unpickler")
    unknown = set(kwargs) - _PICKLE_LOAD_ARGUMENTS
    if unknown:  # a misspelled map_location would otherwise go unnoticed
        raise TypeError(f"load() got an unexpected keyword argument '{sorted(unknown)[0]}'")
    is_stream = hasattr(f, "read")
    if mmap and is_stream:
        raise ValueError("f must be a file path in order to use the mmap argument")
    name = repr(f) if is_stream else _path_of(f, "load", "read")
    if not is_stream and os.path.isdir(name):
        raise IsADirectoryError(21, "Is a directory", name)
    if is_stream and hasattr(f, "readable") and not f.readable():
        raise io.UnsupportedOperation(f"read: ember.load: {name} is not open for reading")
    try:
        archive = _open_stream_archive(f, name) if is_stream else zipfile.ZipFile(name)
    except zipfile.BadZipFile:
        raise RuntimeError(_not_an_archive_message(f, name)) from None
    with archive:
        reader = _Reader(archive, name, map_location)
        header = _read_header(archive, reader)
        try:
            return reader.decode(header["root"])
        except RecursionError:
            raise reader.fail("the structure is nested too deeply") from None
        except _PlacementError as failure:
            raise failure.error from None


def _check_pickle_module(pickle_module, class_name):
    """ember never pickles, but code that passes no pickle module fails as in PyTorch."""
    if not hasattr(pickle_module, class_name):
        raise AttributeError(
            f"pickle_module must be a module like pickle with a {class_name}, got "
            f"{type(pickle_module).__name__}"
        )


def _position(stream):
    try:
        return stream.tell()
    except OSError:
        return 0  # not seekable: zipfile refuses it, as a damaged file


def _check_map_location(map_location):
    """PyTorch calls whatever is not None, a string, a device or a dict (once per
    tensor), so an int, which ``as_device`` would read as a CUDA index, is its TypeError."""
    if map_location is None or isinstance(map_location, (str, device, dict)):
        return
    if not callable(map_location):
        raise TypeError(
            f"ember.load: map_location must be a device, a device string, a dict or a "
            f"function, got {type(map_location).__name__}"
        )


def _open_stream_archive(stream, name):
    """The archive that begins at the stream's position. zipfile finds an archive from
    the stream's end, so of several saves written one after another into one stream it
    would find the last whatever the position: an earlier one is refused, not mistaken."""
    start = _position(stream)
    archive = zipfile.ZipFile(stream)
    entries = archive.infolist()
    if entries and min(entry.header_offset for entry in entries) > start:
        archive.close()
        raise RuntimeError(
            f"ember.load: {name} holds another save after the one at its position "
            f"({start}); ember reads only the last save of a stream: save each object into "
            "a file or stream of its own"
        )
    return archive


def _read_header(archive, reader):
    names = archive.namelist()
    if HEADER_ENTRY not in names:
        if any(entry.endswith("data.pkl") for entry in names):
            raise RuntimeError(
                f"ember.load: {reader.name} is a PyTorch checkpoint, which stores a pickle; "
                "ember does not unpickle (it can run code). Load it with torch.load and save "
                "its tensors with ember.save (as NumPy arrays) to convert it."
            )
        raise reader.fail(f"it has no {HEADER_ENTRY}")
    try:
        header = json.loads(archive.read(HEADER_ENTRY).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError, EOFError) as error:
        raise reader.fail(f"unreadable header ({error})") from None
    except RecursionError:
        raise reader.fail("the header is nested too deeply") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise reader.fail("the header does not name the ember.save format")
    version = header.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise reader.fail(
            f"format version {version!r} is newer than this ember reads ({FORMAT_VERSION})"
        )
    if "root" not in header:
        raise reader.fail("the header has no root entry")
    return header


def _not_an_archive_message(f, name):
    start = b""
    try:
        if hasattr(f, "read"):
            f.seek(0)
            start = f.read(2)
        else:
            with open(name, "rb") as handle:
                start = handle.read(2)
    except OSError:
        pass
    if start[:1] == b"\x80":
        return (
            f"ember.load: {name} looks like a pickle; ember does not unpickle (it can run "
            "code) and reads only files written by ember.save"
        )
    return (
        f"ember.load: {name} is damaged or not an ember save file: it is not a complete "
        "zip archive (truncated, or another format)"
    )
