"""What a command does when the user's input, not ember, is at fault."""

from ember.preprocessing import DataError


class CommandError(Exception):
    """A problem the user can fix (missing optional package, diverging run, ...): exit code 1."""


# Errors shown as one line, exit code 1, no traceback (EMBER_DEBUG=1 shows it).
USER_ERRORS = (CommandError, DataError, FileNotFoundError, IsADirectoryError, PermissionError)
