"""The ``infmax`` console script: a thin shell over the library.

Results are one JSON document on stdout (or ``--output FILE``, written atomically); progress
and logs go to stderr. Bad input exits with status 2 and one line on stderr.
"""

from ._main import main

__all__ = ["main"]
