"""Cooperative interruption: Ctrl-C and SIGTERM stop long work between kernel calls.

A numba kernel cannot be interrupted safely: an exception raised by Python's default SIGINT
handler while a (possibly multi-threaded) kernel returns surfaces as ``SystemError`` or worse.
So long-running loops are written as bounded kernel calls with :func:`checkpoint` between
them, inside an :func:`interruptible` section. Inside such a section the SIGINT (and, when the
CLI installed it, SIGTERM) handler only records the signal; the next :func:`checkpoint` raises
:class:`KeyboardInterrupt` (SIGINT) or :class:`Terminated` (SIGTERM, a ``KeyboardInterrupt``
subclass, so every ``except KeyboardInterrupt`` clean-up also runs for it). Outside any
section the handler raises at once, as Python's default handler does.

Python users get a plain ``KeyboardInterrupt`` from any infmax call; the CLI maps
``KeyboardInterrupt`` to exit status 130 and ``Terminated`` to 143.

Signal handlers can only be set from the main thread; in other threads :func:`interruptible`
is a no-op and :func:`checkpoint` only sees signals recorded by the main thread's sections.

Examples
--------
>>> from infmax._interrupt import interruptible, checkpoint
>>> total = 0
>>> with interruptible():
...     for chunk in range(3):
...         total += chunk          # one bounded kernel call per chunk
...         checkpoint()            # raises KeyboardInterrupt here after Ctrl-C
>>> total
3
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["Terminated", "checkpoint", "interruptible", "install_cli_handlers",
           "exit_code_for"]


class Terminated(KeyboardInterrupt):  # noqa: N818  (a signal, like KeyboardInterrupt)
    """The process received SIGTERM (a :class:`KeyboardInterrupt` so clean-up code runs)."""


_pending: int | None = None   # signal received inside a section, not yet raised
_depth = 0                    # nesting depth of interruptible() sections (main thread only)
_saved: dict[int, object] = {}  # handlers replaced by the outermost section
_cli = False                  # install_cli_handlers() was called: SIGTERM is ours too


def _exception(signum: int) -> KeyboardInterrupt:
    if signum == signal.SIGTERM:
        return Terminated()
    return KeyboardInterrupt()


def _handler(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001  (signal handler signature)
    global _pending
    if _depth > 0:
        if _pending is None or signum == signal.SIGTERM:
            _pending = signum
        return
    raise _exception(signum)


def checkpoint() -> None:
    """Raise the pending interrupt, if a signal arrived since the last checkpoint."""
    global _pending
    if _pending is not None:
        signum, _pending = _pending, None
        raise _exception(signum)


def pending() -> bool:
    """Whether a signal is waiting for the next :func:`checkpoint`."""
    return _pending is not None


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Defer SIGINT (and the CLI's SIGTERM) to :func:`checkpoint` calls inside the block.

    A signal still pending when the block ends is raised on exit (unless the block is already
    leaving with an exception). Sections nest; only the outermost one installs and restores
    handlers.
    """
    global _depth, _pending
    if not _in_main_thread():
        yield
        return
    if _depth == 0:
        _saved.clear()
        sigs = [signal.SIGINT] + ([signal.SIGTERM] if _cli else [])
        for s in sigs:
            current = signal.getsignal(s)
            # Only take over Python's default Ctrl-C handler or our own; a user's custom
            # handler is respected.
            if current is signal.default_int_handler or current is _handler:
                _saved[s] = current
                signal.signal(s, _handler)
    _depth += 1
    ok = False
    try:
        yield
        ok = True
    finally:
        _depth -= 1
        if _depth == 0:
            for s, h in _saved.items():
                signal.signal(s, h)
            _saved.clear()
        if ok and _depth == 0:
            checkpoint()


def install_cli_handlers() -> None:
    """For the CLI: SIGINT and SIGTERM both go through the cooperative handler.

    Outside sections they raise at once (``KeyboardInterrupt`` / :class:`Terminated`), inside
    they are deferred to the next :func:`checkpoint`.
    """
    global _cli
    _cli = True
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)


def exit_code_for(exc: BaseException) -> int:
    """128 + signal number: 143 for :class:`Terminated`, 130 for any other interrupt."""
    return 128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)


def reset() -> None:
    """Forget a pending signal and the CLI mode (tests that run the CLI in-process)."""
    global _pending, _cli
    _pending = None
    _cli = False
