"""Write files so that a crash never leaves half of one in place."""

import os
import tempfile


def write_text_atomically(path, text, encoding="utf-8"):
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, then
    rename it over ``path`` in one step (``os.replace``)."""
    return write_texts_atomically({path: text}, encoding)[0]


def write_texts_atomically(texts, encoding="utf-8"):
    """Write several files ({path: text}) that belong together, such as a model and its
    preprocessor: every one is written in full to a temporary file first, and only then
    are they renamed into place, so a failure while writing (a full disk) replaces none."""
    paths = [os.fspath(path) for path in texts]
    for path in paths:
        if os.path.isdir(path):
            raise IsADirectoryError(f"{path}: is a folder; give the name of a file to write")
    temporaries = []
    try:
        for path, text in zip(paths, texts.values()):
            temporaries.append(_written_beside(path, text, encoding))
        for temporary, path in zip(temporaries, paths):
            os.replace(temporary, path)
    except BaseException:
        for temporary in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise
    return paths


def _written_beside(path, text, encoding):
    """A temporary file in ``path``'s folder holding ``text``, flushed to disk."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path), dir=folder)
    try:
        os.chmod(temporary, 0o666 & ~_current_umask())
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
