"""``python -m monitor`` – see :mod:`monitor.cli`."""

from monitor.cli import main

raise SystemExit(main())
