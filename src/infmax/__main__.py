"""``python -m infmax``: the command-line interface (see :mod:`infmax.cli`)."""

import sys

from infmax.cli import main

sys.exit(main())
