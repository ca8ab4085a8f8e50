"""Executors: run independent pieces of work (trials, runs) in parallel.

An executor is any object with ``map(fn, items)`` that returns an iterator over
``fn(item)`` **in the order of items** (like the built-in :func:`map`). Three are provided:

- :class:`LocalExecutor` (the default): in this process, one item after another;
- :class:`ProcessExecutor`: a :class:`concurrent.futures.ProcessPoolExecutor`;
- :class:`DaskExecutor`: a ``dask.distributed`` client (a local cluster or a scheduler address);
  dask is imported only here, when the executor is created.

Results never depend on the executor: all randomness is carried by the items (each item holds its
own seed), never by worker state, so ``list(ex.map(fn, items))`` is the same list for every
executor and any number of workers. ``fn`` and the items must be picklable for the process and
dask executors (module-level functions, ``functools.partial`` of them, plain data).

Work that keeps large state on the workers between calls (RR sets sharded over a cluster) uses
a *shard pool* instead (:func:`shard_pool`: :class:`LocalShardPool`, :class:`DaskShardPool`):
data scattered once, objects pinned in worker memory, functions run where they live, the
bytes moved counted.

Examples
--------
>>> from infmax.distributed import get_executor
>>> ex = get_executor("local")
>>> list(ex.map(abs, [-1, 2, -3]))
[1, 2, 3]
"""

from __future__ import annotations

from ._executors import (
    DaskExecutor,
    Executor,
    LocalExecutor,
    ProcessExecutor,
    get_executor,
    map_ordered,
    owned_executor,
)
from ._shards import (
    DaskShardPool,
    LocalShardPool,
    ShardPool,
    payload_nbytes,
    peak_rss,
    release,
    shard_pool,
)

__all__ = ["Executor", "LocalExecutor", "ProcessExecutor", "DaskExecutor", "get_executor",
           "map_ordered", "owned_executor", "ShardPool", "LocalShardPool", "DaskShardPool",
           "shard_pool", "payload_nbytes", "peak_rss", "release"]
