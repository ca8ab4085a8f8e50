"""numba's thread count, held for the whole of a public call.

Results never depend on it (work is cut into fixed blocks with per-block seeds); it only sets
how many workers run the ``prange`` loops. Holding it for a whole call (not only the sampling
kernels) keeps every parallel region of the call at the requested width.
"""

from __future__ import annotations

import contextlib
import functools

import numba

from .._interrupt import interruptible
from .._validation import Interval, check

__all__ = ["threads", "holds_threads"]


@contextlib.contextmanager
def threads(n_threads, *, func: str = "infmax"):
    """Set numba's thread count for the duration of a block (restored afterwards).

    ``None`` keeps the current setting; values above numba's maximum are capped.
    """
    if n_threads is None:
        yield numba.get_num_threads()
        return
    n = check(func, "n_threads", n_threads, Interval(int, 1, None))
    old = numba.get_num_threads()
    numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    try:
        yield numba.get_num_threads()
    finally:
        numba.set_num_threads(old)


def holds_threads(fn):
    """Decorator: run ``fn`` with numba's thread count held at its ``n_threads`` keyword, inside
    one :func:`~infmax._interrupt.interruptible` section.

    The section matters as much as the thread count: outside one, Ctrl-C raises wherever the
    main thread is, including while numba boxes a kernel's result (seen as ``SystemError`` or a
    segfault when a corrupted result tuple is unpacked). Inside, it waits for the next
    ``checkpoint()`` between bounded kernel calls.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with threads(kwargs.get("n_threads"), func=fn.__name__), interruptible():
            return fn(*args, **kwargs)

    return wrapper
