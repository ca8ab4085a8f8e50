import sys

from infmax.cli import main

sys.exit(main())
