"""What a save over an existing path must keep, when it writes a new file and renames it
over the old one (so that a failure midway leaves the old file whole).

A rename replaces whatever has the name: it would turn a symbolic link into a plain
file (its target unchanged), give a private file the default mode, overwrite a file
that is read-only, and replace a device such as /dev/null. ``ember.save`` and the
command line's writers ask ``replaced_file`` first.
"""

import os
import stat


def replaced_file(path):
    """(the file to replace, reached through symbolic links; its mode to keep, or None
    where there is no file yet; True where it must be written into, not replaced: a
    device or a pipe). A read-only file is PermissionError naming ``path``."""
    target = os.path.realpath(path)
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        return target, None, False
    if stat.S_ISDIR(existing.st_mode):
        return target, None, False  # the callers name a folder in their own words
    if not stat.S_ISREG(existing.st_mode):
        return target, None, True
    if not os.access(target, os.W_OK):
        raise PermissionError(13, "Permission denied (the file is read-only)", os.fspath(path))
    return target, stat.S_IMODE(existing.st_mode), False
