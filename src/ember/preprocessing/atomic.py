"""Write files so that a crash never leaves half of one in place."""

import os
import tempfile

from ..replaced_files import replaced_file


def write_text_atomically(path, text, encoding="utf-8"):
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then
    rename it over ``path`` in one step (``os.replace``). A missing folder of ``path`` is
    made, as ``ember fit --out`` needs."""
    return write_texts_atomically({path: text}, encoding)[0]


def write_texts_atomically(texts, encoding="utf-8"):
    """Write several files ({path: text}) that belong together, such as a model and its
    preprocessor: every one is written in full to a temporary file first, and only then
    are they renamed into place, so a failure while writing (a full disk) replaces none."""
    paths = [os.fspath(path) for path in texts]
    for path in paths:
        if os.path.isdir(path):
            raise IsADirectoryError(f"{path}: is a folder; give the name of a file to write")
    # (the file to replace, through links; its mode; whether to write into it: a device)
    targets = [replaced_file(path) for path in paths]
    temporaries = []
    try:
        for (target, mode, write_into), text in zip(targets, texts.values()):
            if not write_into:
                temporaries.append((_written_beside(target, text, encoding, mode), target))
        for temporary, target in temporaries:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _ in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise
    for (target, _, write_into), text in zip(targets, texts.values()):
        if write_into:  # /dev/stdout, a pipe: no rename can put a file there
            with open(target, "w", encoding=encoding, newline="") as file:
                file.write(text)
    return paths


def _written_beside(path, text, encoding, mode=None):
    """A temporary file in ``path``'s folder holding ``text``, flushed to disk, with
    ``mode`` (None: a new file's)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    prefix = "." + os.path.basename(path)[:200]  # room for the rest of the name
    handle, temporary = tempfile.mkstemp(prefix=prefix, dir=folder)
    try:
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_current_umask())
        with os.fdopen(handle, "w", encoding=encoding, newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _current_umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
