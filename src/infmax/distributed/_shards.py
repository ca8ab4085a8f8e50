"""Shard pools: stateful objects kept in worker memory, and functions run where they live.

An :class:`~infmax.distributed.Executor` maps a function over independent items. Some work
instead keeps large state on the workers between calls (blocks of RR sets with their inverted
index) and asks it small questions (coverage counts, decrements). A *shard pool* provides the
mechanics, knowing nothing of what the shards hold:

- :meth:`ShardPool.scatter` sends read-only data (a graph) to every worker once;
- :meth:`ShardPool.create` builds one object per shard, shard ``i`` on worker
  ``i mod n_workers``;
- :meth:`ShardPool.update` runs ``fn(shard, *args)`` where the shard lives and returns the
  handle of the result (usually the shard itself, changed in place): with dask the result is a
  new future whose lineage is kept, so a shard lost with its worker is recomputed by Dask;
- :meth:`ShardPool.query` runs ``fn(shard, *args)`` and brings the (small) results back in
  shard order, counting the bytes moved (:attr:`ShardPool.traffic`).

Two pools are provided: :class:`LocalShardPool` (objects in this process; handles are the
objects) and :class:`DaskShardPool` (a ``dask.distributed`` client; handles are futures).
:func:`shard_pool` returns the pool of an executor. The driver waits for every result in
slices with an interrupt :func:`~infmax._interrupt.checkpoint` between them.

Rules for the functions: module-level (picklable) and deterministic in their arguments (Dask
recomputes a lost shard by running the same chain of tasks again); an ``update`` may change
its shard in place, but then no other task may still need the shard's earlier state.
"""

from __future__ import annotations

import concurrent.futures
import resource
import sys
import threading
import uuid
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._interrupt import checkpoint
from .._validation import Interval, check
from ..exceptions import InvalidParameterError
from ._executors import _CLIENT_CLOSE_HOOKS, _POLL_S, DaskExecutor, LocalExecutor, _result

__all__ = ["ShardPool", "LocalShardPool", "DaskShardPool", "DaskHandle", "shard_pool",
           "payload_nbytes", "peak_rss", "release"]


def payload_nbytes(obj: object) -> int:
    """Bytes of data a result or an argument carries (arrays by ``nbytes``).

    Parameters
    ----------
    obj : object
        Arrays, numbers, bytes, tuples / lists / dicts of them.

    Returns
    -------
    int
        Array payloads and 8 bytes per number; containers sum their items; other objects
        (shard handles, shards passed in-process) count 0.
    """
    if obj is None:
        return 0
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if isinstance(obj, (int, float, np.integer, np.floating, bool)):
        return 8
    if isinstance(obj, (bytes, bytearray)):
        return len(obj)
    if isinstance(obj, (tuple, list)):
        return sum(payload_nbytes(x) for x in obj)
    if isinstance(obj, dict):
        return sum(payload_nbytes(x) for x in obj.values())
    return 0


def peak_rss() -> int:
    """Peak resident memory of this process in bytes (``getrusage``; run it on a worker).

    Returns
    -------
    int
        ``ru_maxrss`` in bytes (reported in kilobytes on Linux, bytes on macOS).
    """
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(r if sys.platform == "darwin" else r * 1024)


class _RemoteError(Exception):
    """A worker's exception carried as (module, class name, args, attributes).

    Dask pickles a task's exception with tblib, which cannot rebuild some exception classes
    (``MemoryLimitError``: ``MemoryError.__new__`` refuses subclasses) and then hands the
    driver a bare ``Exception``. The driver rebuilds the original by calling its class
    (:func:`_unwrap`).
    """

    def __init__(self, spec: tuple, text: str) -> None:
        super().__init__(spec, text)
        self.spec = spec

    def __str__(self) -> str:
        return str(self.args[1])

    def rebuild(self) -> BaseException:
        """Return the original exception (or this one when its class cannot be rebuilt)."""
        import importlib
        module, name, args, attrs = self.spec
        try:
            cls = getattr(importlib.import_module(module), name)
            exc = cls(*args)
            exc.__dict__.update(attrs)
        except Exception:  # noqa: BLE001 - a class that its args alone do not rebuild
            return self
        return exc


def _remote(fn: Callable[..., object], *args: object) -> object:
    """Run ``fn(*args)`` on a worker; its exception travels as :class:`_RemoteError`."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - re-raised on the driver as the same exception
        cls = type(e)
        carried = _RemoteError((cls.__module__, cls.__qualname__, e.args, dict(e.__dict__)),
                               f"{cls.__name__}: {e}")
    # raised outside the handler: no __context__ (tblib would pickle the original too)
    raise carried


def _unwrap(get: Callable[[], object]) -> object:
    """Return ``get()``; a worker's :class:`_RemoteError` is raised as its original."""
    try:
        return get()
    except _RemoteError as e:
        raise e.rebuild() from None


def _args(handles: Sequence[object], args_list: Sequence[tuple] | None) -> list[tuple]:
    if args_list is None:
        return [() for _ in handles]
    if len(args_list) != len(handles):
        raise InvalidParameterError(
            f"The args_list parameter must have one entry per shard ({len(handles)}). "
            f"Got {len(args_list)}.", param="args_list", value=len(args_list))
    return list(args_list)


class ShardPool:
    """Base of the shard pools (the interface, and the traffic accounting they share).

    Attributes
    ----------
    n_workers : int
        Workers the shards are spread over.
    traffic : dict
        ``bytes_in`` (results brought to the driver), ``bytes_out`` (arguments sent, scatters
        counted once per worker), ``queries`` (calls of :meth:`query`).
    """

    n_workers = 1

    def __init__(self) -> None:
        self.traffic = {"bytes_in": 0, "bytes_out": 0, "queries": 0}

    def _count(self, args_list: Sequence[tuple], results: list | None = None) -> None:
        self.traffic["bytes_out"] += sum(payload_nbytes(a) for args in args_list for a in args)
        if results is not None:
            self.traffic["bytes_in"] += sum(payload_nbytes(r) for r in results)
            self.traffic["queries"] += 1

    def scatter(self, obj: object) -> object:
        """Send ``obj`` to every worker once; return a handle to pass as an argument."""
        raise NotImplementedError

    def create(self, fn: Callable[..., Any], args_list: Sequence[tuple]) -> list:
        """Build shard ``i`` as ``fn(*args_list[i])`` on worker ``i mod n_workers``."""
        raise NotImplementedError

    def update(self, fn: Callable[..., Any], handles: Sequence[object],
               args_list: Sequence[tuple] | None = None, *, wait: bool = True) -> list:
        """Return handles of ``fn(shard_i, *args_list[i])``, run where shard ``i`` lives.

        With ``wait`` (default) returns once all have run (a worker's error, e.g. a
        ``MemoryLimitError``, is raised here); otherwise at once (a later :meth:`query` on
        the handles waits, and raises such an error). Nothing is brought back.
        """
        raise NotImplementedError

    def wait(self, handles: Sequence[object]) -> None:
        """Return once the updates behind ``handles`` have run (raising a worker's error)."""

    def query(self, fn: Callable[..., Any], handles: Sequence[object],
              args_list: Sequence[tuple] | None = None, *, direct: bool = False) -> list:
        """Return ``[fn(shard_i, *args_list[i])]`` in shard order (bytes counted).

        ``direct``: ``fn``'s answer depends only on its arguments (it may keep private
        caches and state on the shard) and no update of the shards is pending: a pool may
        then call it on the workers directly instead of as a task (:class:`DaskShardPool`:
        ``Client.run``, in a worker thread; no scheduler round, about 1 ms instead of tens).
        """
        raise NotImplementedError

    def worker_of(self, handle: object) -> str:
        """Name of the worker holding ``handle`` (where it was placed)."""
        raise NotImplementedError

    def peak_memory(self) -> dict[str, int]:
        """Peak resident bytes per worker process (:func:`peak_rss` run on each)."""
        raise NotImplementedError

    def close(self) -> None:
        """Undo what the pool changed on the cluster (the pool stays usable)."""

    def refresh(self) -> None:
        """Copy the scattered data to workers that joined since (a restarted worker)."""


class LocalShardPool(ShardPool):
    """Shards as plain objects in this process (handles are the objects themselves).

    Parameters
    ----------
    n_workers : int
        Shards a store is cut into by default (all in this process): runs the sharded code
        paths without a cluster.

    Examples
    --------
    >>> pool = LocalShardPool()
    >>> shards = pool.create(list, [([1, 2],), ([3],)])
    >>> pool.query(len, shards)
    [2, 1]
    """

    def __init__(self, n_workers: int = 1) -> None:
        super().__init__()
        self.n_workers = check("LocalShardPool", "n_workers", n_workers, Interval(int, 1, None))

    def scatter(self, obj: object) -> object:
        return obj

    def create(self, fn: Callable[..., Any], args_list: Sequence[tuple]) -> list:
        self._count(args_list)
        return [fn(*a) for a in args_list]

    def update(self, fn: Callable[..., Any], handles: Sequence[object],
               args_list: Sequence[tuple] | None = None, *, wait: bool = True) -> list:
        args_list = _args(handles, args_list)
        self._count(args_list)
        out = []
        for h, a in zip(handles, args_list):
            out.append(fn(h, *a))
            checkpoint()
        return out

    def query(self, fn: Callable[..., Any], handles: Sequence[object],
              args_list: Sequence[tuple] | None = None, *, direct: bool = False) -> list:
        args_list = _args(handles, args_list)
        out = [fn(h, *a) for h, a in zip(handles, args_list)]
        self._count(args_list, out)
        return out

    def worker_of(self, handle: object) -> str:
        return "local"

    def peak_memory(self) -> dict[str, int]:
        return {"local": peak_rss()}


class DaskHandle:
    """A shard on a Dask worker: its future, the worker it was placed on, and its lineage.

    ``lineage`` holds the futures of the tasks that built the shard (first task first). Dask
    forgets a task once no client holds its future, and a forgotten task cannot be rerun, so
    the handle keeps them: a shard lost with its worker is then recomputed from the first task.
    Updates change shards in place, so the kept futures point at the same object (no extra
    memory). Dropping the handle releases the whole chain.
    """

    __slots__ = ("future", "worker", "lineage")

    def __init__(self, future: object, worker: str, lineage: tuple = ()) -> None:
        self.future, self.worker, self.lineage = future, worker, lineage

    def __repr__(self) -> str:
        return f"DaskHandle({self.future.key!r}, worker={self.worker!r})"


def _future(arg: object) -> object:
    return arg.future if isinstance(arg, DaskHandle) else arg


class DaskShardPool(ShardPool):
    """Shards held in the memory of ``dask.distributed`` workers (handles: :class:`DaskHandle`).

    ``update`` submits ``fn(shard, ...)`` as a new task that depends on the shard's future, with
    the worker holding it as a loose placement (``allow_other_workers``): the task runs where
    the shard is, and the chain of tasks is the shard's lineage (kept by the handle), so a
    shard lost with a killed worker is recomputed by Dask from its first task (the functions
    are deterministic). The driver waits in slices of 0.1 s with a Ctrl-C checkpoint between
    them; an interrupt cancels the pending tasks.

    Parameters
    ----------
    executor : DaskExecutor
        Its client and workers.
    """

    #: scattered objects kept per pool (the newest): each may be a whole graph on every worker
    CACHE_SIZE = 2

    def __init__(self, executor: DaskExecutor) -> None:
        super().__init__()
        self.client = executor.client
        self._workers()
        self._amm_stopped = False
        self._scattered: list = []
        #: (weak reference to a _Held, key) of each future kept for later runs (:meth:`scatter`)
        self._kept: list[tuple[weakref.ref, tuple]] = []
        self._token = uuid.uuid4().hex
        #: scatters answered from the cache
        self.scatter_hits = 0

    @classmethod
    def of(cls, executor: DaskExecutor) -> DaskShardPool:
        """Return the pool of ``executor``'s client: the one of an earlier call if it is open.

        A pool outlives the run that made it, with the objects it scattered (a graph and its
        worker-side sampling tables are then reused by the next run on the same client); its
        worker list is read again here (a restarted worker has a new address).
        """
        for k in [k for k, p in _POOLS.items() if p.client.status != "running"]:
            del _POOLS[k]   # pools of closed clients
        key = id(executor.client)
        pool = _POOLS.get(key)
        if pool is None or pool.client is not executor.client or \
                executor.client.status != "running":
            _POOLS.pop(key, None)
            pool = _POOLS[key] = cls(executor)
        else:
            pool._workers()
            pool.traffic = {"bytes_in": 0, "bytes_out": 0, "queries": 0}   # this run's
        return pool

    def _workers(self) -> None:
        workers = sorted(self.client.scheduler_info(n_workers=-1)["workers"])
        if not workers:
            raise InvalidParameterError("The dask cluster has no workers.", param="executor")
        self.workers = workers
        self.n_workers = len(workers)

    def scatter(self, obj: object) -> object:
        """Send ``obj`` to every worker; objects with a ``scatter_key()`` are sent once.

        ``obj.scatter_key()`` returns ``(key, anchor)``, the anchor an object with a
        ``_memo`` (a graph, a TriggeringModel): the future is kept in the anchor's memo, so a
        later object with the same key and anchor gets the same future while the anchor lives,
        and the workers keep their copy with what they derived from it (a graph's sampling
        tables). The pool keeps the newest :attr:`CACHE_SIZE` of them; :meth:`release` (or
        the anchor's death) frees them.
        """
        if not self._amm_stopped and self.client.amm.running():
            self.client.amm.stop()   # keep the broadcast replicas (see the class docstring)
            self._amm_stopped = True
        held = None
        if hasattr(obj, "scatter_key"):
            key, anchor = obj.scatter_key()
            key = (self._token, key)
            held = anchor._memo("distributed.scattered", _Held)
            fut = held.futures.get(key)
            if fut is not None and fut.status == "finished":
                self.scatter_hits += 1
                return fut
        self.traffic["bytes_out"] += sys.getsizeof(obj) * self.n_workers
        fut = self.client.scatter(obj, broadcast=True, hash=False)
        self._scattered.append(weakref.ref(fut))
        if held is not None:
            held.futures[key] = fut
            self._kept = [(r, k) for r, k in self._kept if (r() is not None and k in r().futures)]
            self._kept.append((weakref.ref(held), key))
            while len(self._kept) > self.CACHE_SIZE:
                r, k = self._kept.pop(0)
                h = r()
                if h is not None:
                    h.futures.pop(k, None)
        return fut

    def refresh(self) -> None:
        futs = [f for f in (r() for r in self._scattered) if f is not None and f.done()]
        self._scattered = [weakref.ref(f) for f in futs]
        if futs:
            self.client.replicate(futs)

    def close(self) -> None:
        """End a run: restart Dask's active memory manager unless scattered data is kept."""
        if self._amm_stopped and not self.kept():
            self._amm_stopped = False
            if self.client.status == "running":
                self.client.amm.start()

    def kept(self) -> int:
        """Return the number of scattered objects kept for later runs (:meth:`scatter`)."""
        return sum(1 for r, k in self._kept if r() is not None and k in r().futures)

    def release(self) -> None:
        """Free what the pool keeps on the workers for later runs, and restart the AMM."""
        for r, k in self._kept:
            h = r()
            if h is not None:
                h.futures.pop(k, None)
        self._kept = []
        self.close()

    def _submit(self, fn: Callable[..., object], args: tuple, worker: str) -> object:
        return self.client.submit(_remote, fn, *map(_future, args), pure=False,
                                  workers=[worker], allow_other_workers=True)

    def _wait_done(self, futs: list) -> None:
        from dask.distributed import wait
        pending = list(futs)
        try:
            while pending:
                try:
                    wait(pending, timeout=_POLL_S)
                except TimeoutError:
                    pass
                checkpoint()
                pending = [f for f in pending if not f.done()]
        except KeyboardInterrupt:
            for f in futs:
                f.cancel()
            raise
        for f in futs:
            if f.status == "error":
                _unwrap(f.result)

    def wait(self, handles: Sequence[object]) -> None:
        self._wait_done([h.future for h in handles])

    def create(self, fn: Callable[..., Any], args_list: Sequence[tuple]) -> list:
        self._count(args_list)
        out = []
        for i, a in enumerate(args_list):
            w = self.workers[i % self.n_workers]
            out.append(DaskHandle(self._submit(fn, a, w), w, tuple(x for x in a
                                                                  if _is_future(x))))
        self._wait_done([h.future for h in out])
        return out

    def update(self, fn: Callable[..., Any], handles: Sequence[object],
               args_list: Sequence[tuple] | None = None, *, wait: bool = True) -> list:
        args_list = _args(handles, args_list)
        self._count(args_list)
        out = [DaskHandle(self._submit(fn, (h, *a), h.worker), h.worker,
                          (*h.lineage, h.future,
                           *(x for y in a if isinstance(y, DaskHandle)
                             for x in (*y.lineage, y.future))))
               for h, a in zip(handles, args_list)]
        if wait:
            self._wait_done([h.future for h in out])
        return out

    def query(self, fn: Callable[..., Any], handles: Sequence[object],
              args_list: Sequence[tuple] | None = None, *, direct: bool = False) -> list:
        args_list = _args(handles, args_list)
        if direct:
            out = self._direct(fn, handles, args_list)
            if out is not None:
                self._count(args_list, out)
                return out
        futs = [self._submit(fn, (h, *a), h.worker) for h, a in zip(handles, args_list)]
        try:
            out = [_unwrap(lambda f=f: _result(f)) for f in futs]
        except KeyboardInterrupt:
            for f in futs:
                f.cancel()
            raise
        self._count(args_list, out)
        return out

    def _direct(self, fn: Callable[..., Any], handles: Sequence[DaskHandle],
                args_list: list[tuple]) -> list | None:
        """Call ``fn`` on the workers holding the shards (``Client.run``), or return None.

        None (the caller then runs tasks, which Dask recomputes or moves as needed) when a
        shard is not in its worker's memory or a worker does not answer; the handles then
        learn where their shards are now.
        """
        plan: dict[str, list] = {}
        for i, (h, a) in enumerate(zip(handles, args_list)):
            if any(isinstance(x, DaskHandle) or _is_future(x) for x in a):
                return None
            plan.setdefault(h.worker, []).append((i, h.future.key, fn, a))
        try:
            answers = _in_thread(self.client.run, _run_direct, plan, workers=list(plan),
                                 on_error="return")
        except Exception:  # noqa: BLE001 - a worker gone: the task path recovers
            answers = {}
        out: list = [None] * len(handles)
        for w, items in plan.items():
            got = answers.get(w)
            if not isinstance(got, list):
                self._relocate(handles)
                return None
            for (i, *_), (ok, value) in zip(items, got):
                if ok == "missing":
                    self._relocate(handles)
                    return None
                if ok == "error":
                    raise value.rebuild() if isinstance(value, _RemoteError) else value
                out[i] = value
        return out

    def _relocate(self, handles: Sequence[DaskHandle]) -> None:
        try:
            where = self.client.who_has([h.future for h in handles])
        except Exception:  # noqa: BLE001 - best effort; placements are only hints
            return
        for h in handles:
            holders = where.get(h.future.key) or ()
            if holders:
                h.worker = sorted(holders)[0]

    def worker_of(self, handle: object) -> str:
        return handle.worker

    def peak_memory(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.client.run(peak_rss).items()}


def _in_thread(fn: Callable[..., Any], *args: object, **kwargs: object) -> Any:  # noqa: ANN401
    """Return ``fn(*args, **kwargs)`` run in a daemon thread, waited for with checkpoints.

    A blocking call (``Client.run`` while a worker builds an index, or a worker that does
    not answer) then leaves Ctrl-C / SIGTERM to be honoured within :data:`_POLL_S`.
    """
    fut: concurrent.futures.Future = concurrent.futures.Future()

    def run() -> None:
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:  # noqa: BLE001 - handed to the waiting driver
            fut.set_exception(e)

    threading.Thread(target=run, daemon=True, name="infmax-dask-direct").start()
    return _result(fut)


async def _run_direct(plan: dict, dask_worker: object = None) -> list:
    """On a worker (``Client.run``): answer this worker's items of ``plan`` from its memory.

    The shards are looked up on the worker's event loop; the functions then run in a thread
    (``asyncio.to_thread``), so a longer one (round 0 of a selection builds the shard's
    inverted index) does not hold up the worker's event loop (heartbeats, transfers).
    """
    import asyncio
    data = dask_worker.data
    items = [(fn, data[key] if key in data else _MISSING, args)
             for _, key, fn, args in plan.get(dask_worker.address, ())]
    return await asyncio.to_thread(_answer, items)


_MISSING = object()


def _answer(items: list) -> list:
    out = []
    for fn, shard, args in items:
        if shard is _MISSING:
            out.append(("missing", None))
            continue
        try:
            out.append(("ok", fn(shard, *args)))
        except Exception as e:  # noqa: BLE001 - carried to the driver
            cls = type(e)
            out.append(("error", _RemoteError((cls.__module__, cls.__qualname__, e.args,
                                               dict(e.__dict__)), f"{cls.__name__}: {e}")))
    return out


class _Held:
    """What a graph (or model) holds of a pool's scatters: futures by key (in its memo)."""

    __slots__ = ("futures", "__weakref__")

    def __init__(self) -> None:
        self.futures: dict[tuple, object] = {}


#: the open pool of each client (id(client) -> pool): :meth:`DaskShardPool.of`
_POOLS: dict[int, DaskShardPool] = {}


def release(client: object) -> None:
    """Free what infmax keeps on ``client``'s workers between runs (scattered graphs).

    RIS runs on a Dask client keep the graph, model and root weights they scattered (and the
    workers keep the sampling tables built from them) for the next run on the same graph;
    they are freed when the graph is garbage-collected, when the client or the
    :class:`~infmax.distributed.DaskExecutor` is closed, or by this call.

    Parameters
    ----------
    client : dask.distributed.Client or DaskExecutor
    """
    client = getattr(client, "client", client)
    pool = _POOLS.pop(id(client), None)
    if pool is not None and pool.client is client:
        pool.release()


_CLIENT_CLOSE_HOOKS.append(release)


def _is_future(x: object) -> bool:
    return hasattr(x, "key") and hasattr(x, "done") and hasattr(x, "release")


def shard_pool(executor: object, *, func: str = "shard_pool") -> ShardPool:
    """Return the shard pool of ``executor``: objects in this process or on Dask workers.

    Parameters
    ----------
    executor : LocalExecutor, DaskExecutor or ShardPool
        A :class:`~infmax.distributed.ProcessExecutor` cannot keep state between items.
    func : str
        The public function named in the error.

    Returns
    -------
    ShardPool

    Raises
    ------
    InvalidParameterError
        For an executor that cannot hold shards.
    """
    if isinstance(executor, ShardPool):
        return executor
    if isinstance(executor, DaskExecutor):
        return DaskShardPool.of(executor)
    if isinstance(executor, LocalExecutor):
        return LocalShardPool()
    raise InvalidParameterError(
        f"The executor parameter of {func} must be a LocalExecutor, a DaskExecutor or a "
        f"ShardPool (RR sets stay in worker memory between calls). Got {executor!r}.",
        param="executor", value=repr(executor))
