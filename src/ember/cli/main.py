"""``ember``: build the parser from the command modules and run the chosen one.

Exit codes: 0 success, 2 usage errors (argparse), 1 errors in the user's data
or setup, shown as one line without a traceback (set EMBER_DEBUG=1 to see it).
"""

import argparse
import os
import sys

import ember

from . import bench, fit, graph, predict, train
from .errors import USER_ERRORS

COMMANDS = [train, fit, predict, graph, bench]


def build_parser():
    """The ``ember`` parser, and which module runs each command name."""
    parser = argparse.ArgumentParser(
        prog="ember",
        description="ember: the notes' models from the command line, on ember's own tensors.",
        epilog="Run 'ember COMMAND --help' for a command's options. See docs/cli.md.",
    )
    parser.add_argument("--version", action="version", version=f"ember {ember.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    runners = {}
    for module in COMMANDS:
        before = set(subparsers.choices)
        module.add_parser(subparsers)
        for name in set(subparsers.choices) - before:
            runners[name] = module.run
    return parser, runners


def main(argv=None):
    parser, runners = build_parser()
    args = parser.parse_args(argv)
    try:
        status = runners[args.command](args)
    except (*USER_ERRORS, MemoryError) as error:
        if os.environ.get("EMBER_DEBUG"):
            raise
        print(f"ember {args.command}: error: {one_line(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (ember predict ... | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(f"ember {args.command}: interrupted", file=sys.stderr)
        return 130
    return status or 0


def one_line(error):
    message = " ".join(str(error).split())
    if isinstance(error, MemoryError):  # NumPy says what it could not allocate; LAPACK, nothing
        return "out of memory: " + (message or "the data does not fit in this machine's memory")
    return message


if __name__ == "__main__":
    sys.exit(main())
