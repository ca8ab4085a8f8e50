"""numba's thread count, held for the whole of a public call, and the workers that use it.

Results never depend on it (work is cut into fixed blocks with per-block seeds); it only sets
how many workers run the parallel loops. Holding it for a whole call (not only the sampling
kernels) keeps every parallel region of the call at the requested width.

:func:`run_tasks` is how the RR sampling, inverted-index and Monte Carlo kernels run in
parallel: Python threads, each calling the *serial* compilation of a ``nogil`` kernel on the
tasks it pulls from a shared counter. Compared with a ``parallel=True`` (``prange``) kernel it

- compiles nothing more: the serial kernel is the unit of work (a ``prange`` kernel compiles
  its whole body, and every function it calls, a second time: ~5 s for the RR kernel);
- balances load: a worker that is descheduled (a shared machine) takes fewer tasks, where a
  ``prange`` loop's static split waits for the slowest thread;
- gives each worker an index ``0 .. n_workers - 1`` for its own scratch row.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numba

from .._interrupt import interruptible
from .._validation import Interval, check

__all__ = ["threads", "holds_threads", "run_tasks", "current_threads"]


def _numba_threads_running() -> bool:
    """Whether numba's threading layer was launched (``prange`` ran, or its count was read)."""
    from numba.np.ufunc import parallel

    return bool(getattr(parallel, "_is_initialized", True))


def current_threads() -> int:
    """numba's thread count, read without launching numba's threading layer.

    Launching it (what :func:`numba.get_num_threads` does first) starts the OpenMP / TBB
    workers, ~40 ms that a process using only :func:`run_tasks` never needs. Before the
    launch, the count is numba's default, ``numba.config.NUMBA_NUM_THREADS``.
    """
    if _numba_threads_running():
        return numba.get_num_threads()
    return numba.config.NUMBA_NUM_THREADS


@contextlib.contextmanager
def threads(n_threads, *, func: str = "infmax"):
    """Set numba's thread count for the duration of a block (restored afterwards).

    ``None`` keeps the current setting; values above numba's maximum are capped.
    """
    if n_threads is None:
        yield current_threads()
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


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_WORKER_PREFIX = "infmax-worker"


def _forget_pool_after_fork() -> None:
    """A forked child inherits the pool object but not its threads: start a new one there."""
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_after_fork)


def _executor() -> ThreadPoolExecutor:
    """The process-wide pool of helper threads (created on first use, numba's maximum - 1)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max(1, numba.config.NUMBA_NUM_THREADS - 1),
                                       thread_name_prefix=_WORKER_PREFIX)
        return _pool


def run_tasks(n_tasks: int, task: Callable[[int, int], None],
              n_workers: int | None = None) -> None:
    """Run ``task(worker, j)`` for ``j = 0 .. n_tasks - 1`` on up to ``n_workers`` threads.

    Workers pull task numbers from one shared counter (dynamic scheduling), so the split
    between them varies from run to run: a task must write only its own outputs, and use only
    scratch row ``worker`` (``0 <= worker < n_workers``) of per-worker arrays. Worker 0 is the
    calling thread; the others come from a process-wide pool. ``task`` should call a
    ``nogil`` numba kernel, or the threads take turns. The first exception raised by a task is
    re-raised here after every worker stopped (the other workers stop pulling tasks). Called
    from a pool thread (a task running tasks) it runs them in that thread; a forked child
    process starts its own pool.

    Parameters
    ----------
    n_tasks : int
        Number of tasks.
    task : callable
        ``task(worker, j)``.
    n_workers : int, optional
        Threads to use (default: :func:`current_threads`), capped at ``n_tasks`` and at
        ``numba.config.NUMBA_NUM_THREADS``.

    Examples
    --------
    >>> import numpy as np
    >>> out = np.zeros(6, dtype=np.int64)
    >>> def square(worker, j):
    ...     out[j] = j * j
    >>> run_tasks(6, square, n_workers=2)
    >>> out.tolist()
    [0, 1, 4, 9, 16, 25]
    """
    if n_workers is None:
        n_workers = current_threads()
    n_workers = max(1, min(int(n_workers), int(n_tasks), numba.config.NUMBA_NUM_THREADS))
    if threading.current_thread().name.startswith(_WORKER_PREFIX):
        n_workers = 1   # a task that runs tasks: never wait on the pool from inside it
    if n_workers == 1:
        for j in range(n_tasks):
            task(0, j)
        return
    counter = itertools.count()   # next() is atomic under the GIL
    failed = threading.Event()

    def worker(w: int) -> None:
        try:
            while not failed.is_set():
                j = next(counter)
                if j >= n_tasks:
                    return
                task(w, j)
        except BaseException:
            failed.set()
            raise

    futures = [_executor().submit(worker, w) for w in range(1, n_workers)]
    first: BaseException | None = None
    try:
        worker(0)
    except BaseException as exc:  # noqa: BLE001 - re-raised after the helpers stopped
        first = exc
    for f in futures:
        exc = f.exception()
        if first is None and exc is not None:
            first = exc
    if first is not None:
        raise first
