"""``python -m podmodel``: the command line."""

from podmodel.cli import main

raise SystemExit(main())
