"""``python -m benchmarks``: run the benchmarks and print the table."""

from .runner import main

raise SystemExit(main())
