"""``python -m ember ...`` runs the ``ember`` command, where its script is not on PATH
(a notebook's ``!python -m ember train linreg``, a venv that is not activated)."""

import sys

from .cli.main import main

sys.exit(main())
