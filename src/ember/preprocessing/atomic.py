"""Write a file so that a crash never leaves half of it in place."""

import os
import tempfile


def write_text_atomically(path, text, encoding="utf-8"):
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then
    rename it over ``path`` in one step (``os.replace``)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path), dir=folder)
    try:
        os.chmod(temporary, 0o666 & ~_current_umask())
        with os.fdopen(handle, "w", encoding=encoding, newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return path


def _current_umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
