"""Tell the user when numba compiles kernels, and measure how long it takes.

infmax's kernels are compiled on first use and cached on disk (``cache=True``), so only the very
first run pays for it (tens of seconds for IMM). The CLI listens to numba's ``"numba:compile"``
event, which numba broadcasts only on a cache miss (a cache hit loads the machine code without
it): on the first one it prints ``infmax: compiling kernels (first run only)...`` on stderr, and
it adds up the time spent compiling so that records report ``compile_seconds`` apart from
``select_seconds``.

Examples
--------
>>> from infmax.cli._compile import CompileWatch
>>> with CompileWatch(notify=None) as watch:
...     pass
>>> watch.seconds
0.0
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from numba.core import event

__all__ = ["CompileWatch", "NOTICE"]

NOTICE = "compiling kernels (first run only)..."


class CompileWatch(event.Listener):
    """Context manager: seconds spent compiling numba kernels inside the block.

    Parameters
    ----------
    notify : callable or None
        Called once with :data:`NOTICE` when the first compilation starts.
    """

    def __init__(self, notify: Callable[[str], None] | None = None):
        self._notify = notify
        self.seconds = 0.0
        self.count = 0
        self._depth = 0
        self._t0 = 0.0
        self._thread = threading.get_ident()

    # numba.core.event.Listener interface ---------------------------------------------------
    def on_start(self, ev) -> None:  # noqa: ARG002
        if threading.get_ident() != self._thread:
            return
        if self._depth == 0:
            self._t0 = time.perf_counter()
            if self.count == 0 and self._notify is not None:
                self._notify(NOTICE)
            self.count += 1
        self._depth += 1  # a kernel compiles the kernels it calls inside its own event

    def on_end(self, ev) -> None:  # noqa: ARG002
        if threading.get_ident() != self._thread or self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0:
            self.seconds += time.perf_counter() - self._t0

    def lap(self) -> float:
        """Compile seconds so far (those of a compilation still running included)."""
        running = time.perf_counter() - self._t0 if self._depth else 0.0
        return self.seconds + running

    def __enter__(self) -> CompileWatch:
        event.register("numba:compile", self)
        return self

    def __exit__(self, *exc) -> bool:
        event.unregister("numba:compile", self)
        return False
