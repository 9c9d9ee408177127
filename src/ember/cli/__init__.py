"""The ``ember`` command: ``ember train``, ``ember fit``, ``ember predict``, ``ember graph``.

``main.py`` builds the argument parser from one module per command; each
module has ``add_parser(subparsers)`` and ``run(args)``. See docs/cli.md.
"""
