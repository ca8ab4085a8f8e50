"""Executor implementations (see the package docstring)."""

from __future__ import annotations

import contextlib
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from .._interrupt import checkpoint
from .._validation import Interval, check, check_choice
from ..exceptions import InvalidParameterError, MissingDependencyError

if TYPE_CHECKING:
    import distributed

__all__ = ["Executor", "LocalExecutor", "ProcessExecutor", "DaskExecutor", "get_executor",
           "map_ordered", "owned_executor"]


@runtime_checkable
class Executor(Protocol):
    """Anything with ``map(fn, items) -> iterator of fn(item), in item order``."""

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        ...


#: seconds between interrupt checkpoints while the driver waits for a result
_POLL_S = 0.1

#: called with the client when a DaskExecutor closes (shard pools free what they kept)
_CLIENT_CLOSE_HOOKS: list[Callable[[Any], None]] = []


class _Closing:
    """Context-manager behaviour shared by the executors: ``with`` closes them.

    Leaving a ``with`` block on ``KeyboardInterrupt`` (Ctrl-C, or
    :class:`~infmax._interrupt.Terminated` for SIGTERM) calls :meth:`terminate` instead of
    :meth:`close`: running work is abandoned rather than waited for.
    """

    n_workers = 1

    def close(self) -> None:
        pass

    def terminate(self) -> None:
        """Stop at once: cancel pending work and stop running work where possible."""
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            self.terminate()
        else:
            self.close()
        return False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_workers={self.n_workers})"


class LocalExecutor(_Closing):
    """Run every item in this process, in order (the default; no pickling, no overhead).

    Examples
    --------
    >>> list(LocalExecutor().map(str, [1, 2]))
    ['1', '2']
    """

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(fn, items)


class ProcessExecutor(_Closing):
    """A pool of worker processes (:class:`concurrent.futures.ProcessPoolExecutor`).

    Items are submitted lazily with at most ``max_pending`` in flight, and results are yielded in
    item order as soon as each one (and all before it) has finished, so a caller can save
    partial results while the rest still runs. The pool is created on first use and shut down by
    :meth:`close` (or at the end of a ``with`` block).

    Signals: the worker processes ignore SIGINT (a terminal's Ctrl-C reaches the whole process
    group; the driver decides). When the driver is interrupted (``KeyboardInterrupt`` or
    :class:`~infmax._interrupt.Terminated` while it waits in :meth:`map`, or a ``with`` block
    left by one) the pool is terminated: pending items are cancelled, the workers are killed
    and joined, so no worker process outlives the interrupt (and the multiprocessing resource
    tracker exits with the driver).

    Parameters
    ----------
    n_workers : int, optional
        Number of processes (default: ``os.cpu_count()``).
    max_pending : int, optional
        Items in flight at once (default ``4 * n_workers``).
    mp_context : str, optional
        Multiprocessing start method (default ``"spawn"``: safe with numba threads).
    """

    def __init__(self, n_workers: int | None = None, *, max_pending: int | None = None,
                 mp_context: str = "spawn") -> None:
        if n_workers is None:
            n_workers = os.cpu_count() or 1
        self.n_workers = check("ProcessExecutor", "n_workers", n_workers, Interval(int, 1, None))
        self.max_pending = max_pending or 4 * self.n_workers
        self.mp_context = mp_context
        self._pool = None

    def _get_pool(self):
        if self._pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.n_workers,
                                             mp_context=mp.get_context(self.mp_context),
                                             initializer=_ignore_sigint)
        return self._pool

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pool = self._get_pool()
        def submit(item):
            # submit() may start a worker: with SIGINT blocked in this thread, the worker is
            # born with it blocked (the mask survives exec), so a Ctrl-C during its start-up
            # cannot kill it with a traceback before _ignore_sigint runs
            with _sigint_blocked():
                return pool.submit(fn, item)

        return _ordered(submit, _result, items, self.max_pending, cancel=lambda f: f.cancel(),
                        abort=self.terminate)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def terminate(self) -> None:
        """Cancel pending items, kill the worker processes and wait for them to exit."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list((getattr(pool, "_processes", None) or {}).values())
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(5)
            if p.is_alive():  # pragma: no cover - SIGTERM ignored by the task
                p.kill()
                p.join()
        # the pool's manager thread sees the dead workers, fails what is left, and exits
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread (another thread or the next unblock delivers it: not lost)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _ignore_sigint() -> None:
    """Initialize a worker: Ctrl-C goes to the driver, which stops the workers.

    Progress bars are the driver's too (a worker's would garble the terminal, and tqdm's lock
    is a semaphore a killed worker would leak).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["INFMAX_PROGRESS"] = "0"



class DaskExecutor(_Closing):
    """Run items on a ``dask.distributed`` cluster.

    Parameters
    ----------
    client : dask.distributed.Client or str, optional
        An existing client, or a scheduler address. ``None`` starts a ``LocalCluster`` with
        ``n_workers`` workers (``processes=False`` runs threads in this process, which starts in
        about a second).
    n_workers : int, optional
        Workers of the local cluster (default ``os.cpu_count()``).
    processes : bool
        Local cluster with worker processes (True, default) or threads (False).
    max_pending : int, optional
        Items in flight at once (default ``4 * n_workers``).

    Raises
    ------
    MissingDependencyError
        When ``dask.distributed`` is not installed (``pip install infmax[distributed]``).
    """

    def __init__(self, client: distributed.Client | str | None = None, *,
                 n_workers: int | None = None, processes: bool = True,
                 max_pending: int | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise MissingDependencyError(
                "DaskExecutor needs dask.distributed: pip install 'infmax[distributed]'") from e
        if n_workers is None:
            n_workers = os.cpu_count() or 1
        self.n_workers = check("DaskExecutor", "n_workers", n_workers, Interval(int, 1, None))
        self._own = client is None or isinstance(client, str)
        self._cluster = None
        if client is None:
            self._cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                         processes=processes, dashboard_address=":0")
            client = Client(self._cluster)
        elif isinstance(client, str):
            client = Client(client)
        self.client = client
        self.max_pending = max_pending or 4 * self.n_workers

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        client = self.client
        return _ordered(lambda it: client.submit(fn, it, pure=False), _result, items,
                        self.max_pending, cancel=lambda f: f.cancel())

    def close(self) -> None:
        """Free what RIS runs kept on the workers; close the client and cluster if owned."""
        if self.client is None:
            return
        for hook in _CLIENT_CLOSE_HOOKS:
            hook(self.client)
        if self._own:
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()
            self.client = None



_T = TypeVar("_T")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)


class _FutureLike(Protocol[_R_co]):
    """The part of a ``concurrent.futures`` or dask future that the waits below use."""

    def done(self) -> bool: ...

    def result(self, timeout: float | None = None) -> _R_co: ...

    def cancel(self) -> bool: ...


def _result(future: _FutureLike[_R]) -> _R:
    """Return ``future.result()``, waiting in slices with an interrupt checkpoint between them.

    Inside an :func:`~infmax._interrupt.interruptible` section the signal handler only records
    Ctrl-C / SIGTERM, so a plain blocking wait would never notice it.
    """
    while not future.done():
        try:
            future.result(timeout=_POLL_S)
        except Exception:  # noqa: BLE001 - a timeout, or the task's error (raised below)
            pass
        checkpoint()
    return future.result()


def _ordered(submit: Callable[[_T], _FutureLike[_R]],
             result: Callable[[_FutureLike[_R]], _R], items: Iterable[_T], max_pending: int,
             *, cancel: Callable[[_FutureLike[_R]], object],
             abort: Callable[[], object] | None = None) -> Iterator[_R]:
    """Submit lazily (bounded window); yield results in submission order.

    ``abort`` (optional) runs first when waiting is interrupted (KeyboardInterrupt or
    Terminated): it stops the running work (ProcessExecutor kills its workers, which fails the
    pending futures; cancelling them first would race with the pool's own clean-up).
    """
    pending: deque = deque()
    it = iter(items)
    try:
        for item in it:
            pending.append(submit(item))
            if len(pending) >= max_pending:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    except KeyboardInterrupt:
        if abort is not None:
            abort()
        raise
    finally:
        for f in pending:  # interrupted (Ctrl-C, consumer stopped): drop what has not run
            cancel(f)


_NAMES = ("local", "process", "dask")


def get_executor(executor: Executor | str | None = None, *, n_workers: int | None = None,
                 func: str = "get_executor") -> Executor:
    """Resolve ``None`` / a name (``"local"``, ``"process"``, ``"dask"``) / an executor object.

    Objects with a ``map`` method are returned unchanged.
    """
    if executor is None:
        return LocalExecutor()
    if hasattr(executor, "map") and not isinstance(executor, str):
        return executor
    name = check_choice(func, "executor", executor, _NAMES)
    if n_workers is not None:
        check(func, "n_workers", n_workers, Interval(int, 1, None))
    if name == "local":
        return LocalExecutor()
    if name == "process":
        return ProcessExecutor(n_workers)
    return DaskExecutor(n_workers=n_workers)


@contextlib.contextmanager
def owned_executor(executor: Executor | str | None = None, *, n_workers: int | None = None,
                   func: str = "owned_executor") -> Iterator[Executor]:
    """Yield :func:`get_executor`'s executor; close the one created here when the block ends.

    An executor created here (from ``None`` or a name) is closed at the end of the ``with``
    block, or terminated (running work abandoned) when the block is left by an interrupt
    (``KeyboardInterrupt``, :class:`~infmax._interrupt.Terminated`); an executor object passed
    in is left open for its owner.

    Examples
    --------
    >>> with owned_executor("local") as ex:
    ...     list(ex.map(abs, [-1, 2]))
    [1, 2]
    """
    own = executor is None or isinstance(executor, str)
    ex = get_executor(executor, n_workers=n_workers, func=func)
    try:
        yield ex
    except KeyboardInterrupt:
        if own and hasattr(ex, "terminate"):
            ex.terminate()   # stop the workers now rather than wait for the running work
        raise
    finally:
        if own and hasattr(ex, "close"):
            ex.close()


def map_ordered(executor: Executor | str | None, fn: Callable[[Any], Any],
                items: Iterable[Any]) -> list:
    """``list(executor.map(fn, items))`` with a check that the executor kept the length."""
    items = list(items)
    out = list(get_executor(executor).map(fn, items))
    if len(out) != len(items):
        raise InvalidParameterError(
            f"The executor returned {len(out)} results for {len(items)} items.", param="executor")
    return out
