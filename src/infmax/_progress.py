"""Progress reporting on stderr (never stdout, which carries results), drawn by tqdm.

``with Progress(total, "simulations", enabled=progress) as bar: bar.update(n)``. Whether a bar
is drawn is decided by :func:`progress_enabled`:

1. ``INFMAX_PROGRESS=0/1`` in the environment overrides everything;
2. otherwise an explicit ``enabled=True/False`` (API ``progress=``, CLI ``--progress`` /
   ``--quiet``) decides;
3. otherwise (``None``) bars are on when stderr is a terminal and off in CI (``CI`` set).

A bar with ``total=None`` (an unknown amount of work, e.g. IMM's doubling phase) shows the count,
the rate and the elapsed time; with a total it also shows the ETA. The first draw happens at
once, later ones at most every ``min_interval`` seconds.
"""

from __future__ import annotations

import os
import sys
import weakref
from typing import Any, TextIO

__all__ = ["Progress", "progress_enabled", "close_all"]

_open: weakref.WeakSet = weakref.WeakSet()  # bars drawn and not closed yet

_FALSE = ("0", "", "false", "no", "off")


def progress_enabled(flag: bool | None, stream: TextIO | None = None) -> bool:
    """Tell whether progress bars are drawn (see the module docstring for the rules)."""
    env = os.environ.get("INFMAX_PROGRESS")
    if env is not None:
        return env.strip().lower() not in _FALSE
    if flag is not None:
        return bool(flag)
    if os.environ.get("CI"):
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or unusual stream
        return False


class _ThreadOnlyLock:
    """The lock tqdm uses to serialise drawing, without a multiprocessing semaphore."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.RLock()

    def acquire(self, *args: Any, **kwargs: Any) -> bool:  # threading.RLock.acquire's own
        return self._lock.acquire(*args, **kwargs)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> _ThreadOnlyLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Progress:
    """A progress bar on stderr (tqdm), silent unless enabled.

    Parameters
    ----------
    total : int or None
        Units of work, or None when unknown (the bar then shows a count and a rate).
    desc : str
        Label shown before the bar.
    enabled : bool or None
        True/False, or None for "on when stderr is a terminal" (see :func:`progress_enabled`).
    stream : file, optional
        Where to draw (default ``sys.stderr``).
    min_interval : float
        Minimum seconds between redraws.
    """

    def __init__(self, total: int | None, desc: str = "", enabled: bool | None = None,
                 stream: TextIO | None = None, min_interval: float = 0.2):
        self.total = total
        self.desc = desc
        self.stream = sys.stderr if stream is None else stream
        self.enabled = progress_enabled(enabled, self.stream)
        self.count = 0
        self._bar = None
        if self.enabled:
            from tqdm import tqdm

            if not isinstance(getattr(tqdm, "_lock", None), _ThreadOnlyLock):
                # tqdm's default lock includes a multiprocessing RLock (a POSIX semaphore); a
                # worker process killed on Ctrl-C / SIGTERM would leak it and the resource
                # tracker would print a warning at exit. Bars are drawn by one process at a
                # time here, so a thread lock is enough.
                tqdm.set_lock(_ThreadOnlyLock())
            self._bar = tqdm(total=total, desc=desc, file=self.stream, mininterval=min_interval,
                             dynamic_ncols=True, leave=True, unit="", smoothing=0.1)
            self._bar.refresh()  # first draw at once, not after the first unit of work
            _open.add(self)

    def update(self, n: int = 1) -> None:
        """Record ``n`` more units of work."""
        self.count += n
        if self._bar is not None:
            self._bar.update(n)

    def set_description(self, desc: str) -> None:
        """Change the label (e.g. the phase of a multi-phase algorithm)."""
        self.desc = desc
        if self._bar is not None:
            self._bar.set_description(desc, refresh=True)

    def phase(self, desc: str, total: int | None = None) -> None:
        """Start a new phase on the same line: new label, count back to 0 of ``total``.

        A known total gives the phase an ETA; None shows a count and a rate.
        """
        self.desc, self.total, self.count = desc, total, 0
        if self._bar is not None:
            self._bar.reset(total=total)
            self._bar.set_description(desc, refresh=True)

    def close(self) -> None:
        """Draw the final state and end the line (idempotent)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            _open.discard(self)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False



def close_all() -> None:
    """Close every bar still open (an interrupted run), so the next message starts a line."""
    for bar in list(_open):
        bar.close()
