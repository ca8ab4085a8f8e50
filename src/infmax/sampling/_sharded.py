"""RR sets sharded over workers: :class:`ShardedRRSets` (driver) and :class:`Shard` (worker).

The block-seeded sampler draws one SplitMix64 seed per block of :data:`BLOCK_SIZE` sets from
the store's generator; block ``b`` of a request is the same sets wherever it is sampled. A
:class:`ShardedRRSets` draws the seeds exactly as :meth:`RRSets.add` does, deals the blocks to
its shards round-robin (block -> shard by a running block counter: deterministic), and each
shard samples its blocks with the same kernels into its own flat CSR and inverted index. The
union of the shards is therefore the very collection a local :class:`RRSets` with the same
``rng`` holds, whatever the number of shards or workers (:func:`rr_fingerprint` checks it).

Questions are answered from the shards, only small answers travel:

- greedy maximum coverage (:meth:`ShardedRRSets.greedy_cover`): round 0 sums the shards'
  per-node counts; each later round the driver picks the best node (ties by lowest id, as the
  local kernel), and every shard returns only the sparse count drops of the sets it newly
  covers (:func:`~infmax._kernels.sharded.newly_covered_decrements`), and of those only the
  drops of the few thousand *leaders* the arg-max can come from. Counts are integers, so the
  selection is the local one, bit for bit;
- :meth:`ShardedRRSets.coverage` (sets hit by a seed set) sums integer counts;
- :meth:`ShardedRRSets.set_sums` (per-set sums of node values, TIM+'s KPT statistic) brings
  each set's sum home and orders them globally, so the float mean is taken in the local order.

The mechanics (scatter once with broadcast, futures pinned in worker memory, lineage for
recovery, byte accounting) are :mod:`infmax.distributed`'s; this module passes it functions.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import numba
import numpy as np

from .. import _memory
from .._interrupt import interruptible
from .._kernels import reverse as _rev
from .._kernels import sharded as _sh
from .._kernels._threads import threads
from .._validation import fail
from ..distributed import ShardPool, shard_pool
from ..random import as_generator, block_seeds, n_blocks_for
from ._rrsets import BLOCK_SIZE, PILOT_MEAN_SIZE, RRSets

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .._progress import Progress
    from ..diffusion.models import TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SpreadEstimate

__all__ = ["ShardedRRSets", "Shard", "SamplingSpec", "rr_fingerprint"]


class SamplingSpec:
    """What every worker needs to sample: the graph, the model, the root weights.

    Scattered once (``broadcast=True``) and kept by a Dask pool for later runs on the same
    graph, model and weights (:meth:`scatter_key`); each worker builds the kernel tables from
    it once (memoised on its copy of the graph).
    """

    __slots__ = ("G", "model", "weights")

    def __init__(self, G: DiGraph, model: str | TriggeringModel,
                 weights: np.ndarray | None) -> None:
        self.G, self.model, self.weights = G, model, weights

    def scatter_key(self) -> tuple[tuple, object]:
        """``(key, anchor)``: a pool scatters the specs of one key and anchor once.

        The anchor is the graph (or the TriggeringModel, which belongs to one graph): a pool
        keeps the scattered spec in its memo, so it lives no longer than the anchor
        (:meth:`~infmax.distributed.DaskShardPool.scatter`). The key is the model's name and
        a digest of the root weights.
        """
        w = None if self.weights is None else hashlib.blake2b(
            np.ascontiguousarray(self.weights, dtype=np.float64).tobytes(),
            digest_size=16).hexdigest()
        if isinstance(self.model, str):
            return ("SamplingSpec", self.model, w), self.G
        return ("SamplingSpec", "triggering", w), self.model

    def __getstate__(self) -> tuple:
        return (self.G, self.model, self.weights)

    def __setstate__(self, state: tuple) -> None:
        self.G, self.model, self.weights = state

    def __sizeof__(self) -> int:
        G = self.G
        b = sum(int(getattr(G, a).nbytes) for a in ("indptr", "indices", "rindptr", "rindices")
                if hasattr(getattr(G, a, None), "nbytes"))
        return b + (0 if self.weights is None else int(self.weights.nbytes))


class Shard(RRSets):
    """A worker's part of a :class:`ShardedRRSets`: whole blocks of sets, in block order.

    An :class:`RRSets` (flat CSR, inverted index, coverage kernels, memory checks against the
    worker's ``max_memory``) filled by :meth:`sample_blocks` with blocks whose seeds the driver
    drew; ``block_start`` / ``block_count`` give each held block's first global set number and
    size.
    """

    def __init__(self, spec: SamplingSpec, n_threads: int | None, max_memory: int | None,
                 func: str, hint: str | None = None) -> None:
        super().__init__(spec.G, spec.model, spec.weights, None, n_threads=n_threads,
                         max_memory=max_memory, func=func,
                         **({} if hint is None else {"hint": hint}))
        #: the state of the greedy selection running on this shard (:func:`_greedy_step`)
        self.selection: _GreedyState | None = None
        self.block_start = np.empty(0, dtype=np.int64)
        self.block_count = np.empty(0, dtype=np.int64)

    def __sizeof__(self) -> int:  # dask weighs data by sizeof: keep tasks where the shard is
        return self.nbytes + 1024

    def sample_blocks(self, seeds: np.ndarray, blocks: np.ndarray, count: int, base: int,
                      extra_bytes: int = 0) -> Shard:
        """Sample blocks ``blocks`` (ascending) of a request of ``count`` sets; returns self.

        ``seeds`` are the request's block seeds (all of them: the kernels index them by block),
        ``base`` the global number of the request's first set. Memory is checked as in
        :meth:`RRSets.add` (plus the request-long size / root arrays the kernels write).
        """
        blocks = np.asarray(blocks, dtype=np.int64)
        if blocks.shape[0] == 0:
            return self
        cnts = np.minimum(BLOCK_SIZE, count - blocks * BLOCK_SIZE)
        new = int(cnts.sum())
        ms = self.mean_size()
        extra = int(extra_bytes) + 8 * int(count)
        self._check_memory(new, ms if math.isfinite(ms) else 1.0, extra)
        with _memory.guard(self._func, what=f"{new:,} RR sets", hint=self._hint), \
                interruptible():
            self._sample(seeds, blocks, cnts, count, ms, extra)
        self.block_start = np.concatenate((self.block_start, base + blocks * BLOCK_SIZE))
        self.block_count = np.concatenate((self.block_count, cnts))
        return self

    def _sample(self, seeds, blocks, cnts, count, ms, extra):
        p = self._prep
        new = int(cnts.sum())
        sizes = np.empty(count, dtype=np.int32)
        roots = np.empty(count, dtype=np.int32)
        with threads(self.n_threads):
            nthr = numba.config.NUMBA_NUM_THREADS
            scratch = _rev.Scratch(np.zeros((nthr, self.n), dtype=np.int32),
                                   np.zeros((nthr, p.maxdeg), dtype=np.uint8),
                                   np.empty((nthr, p.maxdeg), dtype=np.int64))
            pending = blocks
            pieces = []
            if not math.isfinite(ms):
                pieces = self._run(pending[:1], seeds, count, sizes, roots, scratch,
                                   PILOT_MEAN_SIZE)
                pending = pending[1:]
                ms = float(sum(pc[2].sum() for pc in pieces)) / int(cnts[0])
                self._check_memory(new, ms, extra)
            if pending.shape[0]:
                pieces += self._run(pending, seeds, count, sizes, roots, scratch, ms)
        lens = np.zeros(blocks.shape[0], dtype=np.int64)
        for pb, _, bl, _, _ in pieces:
            lens[np.searchsorted(blocks, pb)] = bl
        total_new = int(lens.sum())
        base_entries = int(self._offsets[self._n_sets])
        self._check_memory(new, total_new / new, extra)
        self._reserve(self._n_sets + new, base_entries + total_new)
        start = base_entries + np.concatenate(([0], np.cumsum(lens)[:-1]))
        for pb, slots, bl, buf, cap in pieces:
            _rev.gather_blocks(buf, cap, slots, bl, self._nodes,
                               start[np.searchsorted(blocks, pb)])
        idx = np.repeat(blocks * BLOCK_SIZE - np.concatenate(([0], np.cumsum(cnts)[:-1])),
                        cnts) + np.arange(new)
        s0 = self._n_sets
        off = self._offsets
        np.cumsum(sizes[idx], dtype=np.int64, out=off[s0 + 1: s0 + 1 + new])
        off[s0 + 1: s0 + 1 + new] += base_entries
        self._roots[s0: s0 + new] = roots[idx]
        self._n_sets += new


class _GreedyState:
    """A shard's part of one greedy selection: covered sets and scratch, kept on the shard.

    ``run`` names the selection and ``seeds`` the picks applied so far; ``tentative`` the
    guesses applied after them by the last step (node, the sets it newly covered), confirmed
    or undone by the next step. A step whose state does not match (another selection ran
    meanwhile, a retried task, a shard rebuilt by Dask after a worker died) rebuilds it by
    replaying the picks it is given (:func:`_sync`), so the state a step answers from depends
    only on its arguments.

    ``leaders`` (version ``lv``, marked in ``mask``) are the nodes whose count drops the driver
    asked for: the others' drops are left out of the answers (the driver keeps an upper bound
    for them). A rebuilt state has no leaders and reports every drop, which is always valid.
    """

    __slots__ = ("run", "seeds", "covered", "acc", "tentative", "lv", "leaders", "mask")

    def __init__(self, run: str, n_sets: int, n: int) -> None:
        self.run = run
        self.seeds: list[int] = []
        self.covered = np.zeros(n_sets, dtype=np.uint8)
        self.acc = np.zeros(n, dtype=np.int32)
        self.tentative: list[tuple[int, np.ndarray]] = []
        self.lv: int | None = None
        self.leaders = np.empty(0, dtype=np.int64)
        self.mask = np.zeros(n, dtype=np.bool_)

    def set_leaders(self, lv: int, leaders: np.ndarray) -> None:
        """Report only the drops of ``leaders`` from now on (version ``lv``)."""
        self.mask[self.leaders] = False
        self.leaders = np.asarray(leaders, dtype=np.int64)
        self.mask[self.leaders] = True
        self.lv = int(lv)


# -- functions run on the workers (module level: picklable) ---------------------------------
def _new_shard(spec, n_threads, max_memory, func, hint):
    return Shard(spec, n_threads, max_memory, func, hint)


def _sample(shard, seeds, blocks, count, base, extra_bytes):
    return shard.sample_blocks(seeds, blocks, count, base, extra_bytes)


def _info(shard):
    return np.array([shard.n_sets, shard.n_entries, shard.nbytes], dtype=np.int64)


def _drop_index(shard):
    shard.drop_inverted_index()
    return shard


def _greedy_counts(shard, run):
    """Round 0 of a selection on a shard: its per-node set counts; resets its state.

    Returned in the smaller of two forms (:func:`compact_counts`): ``(None, counts)`` dense, or
    ``(nodes, counts)`` for the nodes with a nonzero count; counts in the narrowest unsigned
    type that holds them.
    """
    inv_ptr, _ = shard.inverted_index()
    shard.selection = _GreedyState(run, shard.n_sets, shard.n)
    nodes, counts, _ = _sh.nonzero_counts(inv_ptr)
    return _compact(inv_ptr.shape[0] - 1, nodes, counts, lambda: np.diff(inv_ptr))


def compact_counts(cnt: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Encode non-negative integer counts as ``(None, dense)`` or ``(nodes, nonzero counts)``.

    Counts take the narrowest of uint8, uint16, uint32 and int64 that holds their maximum;
    the sparse form (int32 node ids plus their counts) is chosen when it is smaller than the
    dense one (fewer than ``itemsize / (4 + itemsize)`` of the nodes have a count).

    Parameters
    ----------
    cnt : array of int
        One count per node (>= 0).

    Returns
    -------
    (nodes int32 or None, counts)
        :func:`add_counts` adds them to a dense vector.

    Examples
    --------
    >>> nodes, c = compact_counts(np.array([0, 0, 300, 0, 0, 0, 0, 0, 0, 0, 0, 5]))
    >>> nodes.tolist(), c.tolist(), c.dtype.name
    ([2, 11], [300, 5], 'uint16')
    """
    cnt = np.asarray(cnt)
    nz = np.flatnonzero(cnt)
    return _compact(cnt.shape[0], nz.astype(np.int32), cnt[nz], lambda: cnt)


def _compact(n: int, nodes: np.ndarray, counts: np.ndarray,
             dense: Callable[[], np.ndarray]) -> tuple[np.ndarray | None, np.ndarray]:
    """Encode ``n`` counts as :func:`compact_counts` does, from their nonzero entries.

    ``nodes`` and ``counts`` are the nonzero entries; ``dense()`` returns all ``n`` counts
    (called only when the dense form is the smaller).
    """
    top = int(counts.max()) if counts.shape[0] else 0
    dt = next((t for t in (np.uint8, np.uint16, np.uint32) if top <= np.iinfo(t).max),
              np.int64)
    size = np.dtype(dt).itemsize
    if nodes.shape[0] * (4 + size) < n * size:
        return nodes, counts.astype(dt)
    return None, dense().astype(dt)


def add_counts(total: np.ndarray, part: tuple[np.ndarray | None, np.ndarray]) -> None:
    """Add counts encoded by :func:`compact_counts` to ``total`` (int64, in place).

    Parameters
    ----------
    total : array of int64
        Dense counts, one per node.
    part : (nodes or None, counts)
        A :func:`compact_counts` answer (its nodes are distinct).
    """
    nodes, vals = part
    if nodes is None:
        total += vals
    else:
        _sh.add_sparse(total, nodes, vals.astype(np.int64))


def _sync(shard: Shard, run: str, applied: list[int]) -> tuple[_GreedyState, tuple]:
    """Bring the shard's selection state to the picks ``applied`` (in order).

    The last step's tentative guesses that ``applied`` names stay applied, the others are
    undone; a state that is not these picks' is rebuilt by replaying them. Returns the state
    and the decrement kernel's arguments.
    """
    inv_ptr, inv_sets = shard.inverted_index()
    st = shard.selection
    if st is not None and st.run == run:
        n0, j = len(st.seeds), 0
        while j < len(st.tentative) and n0 + j < len(applied) \
                and applied[n0 + j] == st.tentative[j][0]:
            j += 1
        st.seeds += [g for g, _ in st.tentative[:j]]
        for _, sets in st.tentative[j:]:
            st.covered[sets] = 0
        st.tentative = []
    if st is None or st.run != run or len(st.seeds) > len(applied) \
            or st.seeds != applied[:len(st.seeds)]:
        st = shard.selection = _GreedyState(run, shard.n_sets, shard.n)
    for s in applied[len(st.seeds):]:
        _sh.cover_sets(s, inv_ptr, inv_sets, st.covered)
    st.seeds = list(applied)
    return st, (shard.nodes, shard.offsets, inv_ptr, inv_sets, st.covered, st.acc)


def _greedy_step(shard, run, seeds, guesses=(), lv=None, leaders=None):
    """Apply the last of ``seeds``; then each of ``guesses`` tentatively, in order.

    Returns ``[(nodes, drops)]``: the sparse count drops of the last seed, then of each guess
    applied after it and the guesses before it; only the leaders' drops (``leaders``, given
    when they changed, version ``lv``) unless the state was rebuilt. The driver takes a guess
    as its next pick only when it is the true next pick (a guess's drops are then exact); the
    next call's ``seeds`` say which guesses were taken: those stay applied, the others are
    undone (:func:`_sync`).
    """
    seeds = [int(x) for x in seeds]
    st, args = _sync(shard, run, seeds[:-1])
    if leaders is not None:
        st.set_leaders(lv, leaders)
    inv_ptr, inv_sets = args[2], args[3]
    args = (*args, st.mask, st.lv == lv)    # only the leaders' drops when the state has them
    out = [_narrow(*_sh.newly_covered_decrements(seeds[-1], *args))]
    st.seeds = seeds
    for g in guesses:
        g = int(g)
        sets = inv_sets[inv_ptr[g]:inv_ptr[g + 1]]
        st.tentative.append((g, sets[st.covered[sets] == 0]))
        out.append(_narrow(*_sh.newly_covered_decrements(g, *args)))
    return out


def _greedy_exact(shard, run, applied, lv, leaders):
    """Return the counts of ``leaders`` over the sets not covered by the picks ``applied``.

    Brings the state to those picks first (:func:`_sync`), and reports only the leaders'
    drops from now on (version ``lv``). Counts are int64, in the order of ``leaders``.
    """
    st, args = _sync(shard, run, [int(x) for x in applied])
    st.set_leaders(lv, leaders)
    return _sh.uncovered_counts(st.leaders, args[2], args[3], st.covered)


def _narrow(nodes: np.ndarray, drops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sparse drops with the drops in uint8 or uint16 when they fit (fewer bytes to move)."""
    top = int(drops.max()) if drops.shape[0] else 0
    for t in (np.uint8, np.uint16):
        if top <= np.iinfo(t).max:
            return nodes, drops.astype(t)
    return nodes, drops


def _greedy_end(shard):
    shard.selection = None
    return 0


def _coverage(shard, ids):
    return shard.coverage(ids) if shard.n_sets else 0


def _set_sums(shard, values):
    if shard.n_sets == 0:
        return shard.block_start, shard.block_count, np.empty(0)
    return shard.block_start, shard.block_count, np.add.reduceat(values[shard.nodes],
                                                                 shard.offsets[:-1])


def _arrays(shard):
    return (shard.block_start, shard.block_count, np.diff(shard.offsets), shard.nodes,
            shard.roots)


def _order(parts: list) -> tuple[np.ndarray, np.ndarray]:
    """Global set number of every set of every shard (shard after shard), and their count."""
    idx = []
    for starts, counts, *_ in parts:
        if counts.shape[0]:
            off = np.concatenate(([0], np.cumsum(counts)[:-1]))
            idx.append(np.repeat(starts - off, counts) + np.arange(int(counts.sum())))
    if not idx:
        return np.empty(0, dtype=np.int64), 0
    idx = np.concatenate(idx)
    return idx, int(idx.shape[0])


class ShardedRRSets:
    """RR sets sampled and kept on workers, in shards with their own inverted index.

    The driver-side twin of :class:`~infmax.sampling.RRSets` for the RIS selectors: ``add``,
    ``n_sets``, ``nbytes``, ``mean_size``, ``coverage``, ``estimate_from_coverage``,
    ``drop_inverted_index``, plus :meth:`greedy_cover` and :meth:`set_sums`. The collection
    equals the local one sampled with the same ``rng`` (see the module docstring).

    Parameters
    ----------
    spec : SamplingSpec or handle
        The scattered graph, model and weights (a handle from ``pool.scatter``; a plain
        :class:`SamplingSpec` is scattered here).
    pool : ShardPool, LocalExecutor or DaskExecutor
        Where the shards live (:func:`infmax.distributed.shard_pool`).
    rng : None, int, SeedSequence or Generator
        The store's generator (block seeds are drawn from it exactly as in ``RRSets.add``).
    n : int
    L : float
    model_name : str
    n_shards : int, optional
        Default: one per worker.
    n_threads, max_memory : optional
        numba threads and memory limit (bytes) of each worker's shard.

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.distributed import LocalExecutor
    >>> from infmax.sampling import sample_rr_sets
    >>> from infmax.sampling._sharded import ShardedRRSets, rr_fingerprint
    >>> G = im.from_edges([0, 1, 2], [1, 2, 3], weights=0.5)
    >>> R = ShardedRRSets.for_graph(G, LocalExecutor(), rng=3, n_shards=3).add(5000)
    >>> rr_fingerprint(R) == rr_fingerprint(sample_rr_sets(G, 5000, rng=3))
    True
    """

    def __init__(self, spec: object, pool: ShardPool | object, rng: RngLike, *, n: int,
                 L: float, model_name: str, n_shards: int | None = None,
                 n_threads: int | None = None, max_memory: int | None = None,
                 func: str = "ShardedRRSets", hint: str | None = None) -> None:
        self.pool = shard_pool(pool, func=func)
        if isinstance(spec, SamplingSpec):
            spec = self.pool.scatter(spec)
        #: held while the store lives: scattered data has no lineage, and a shard lost with a
        #: worker is rebuilt from it
        self._spec = spec
        self.n, self.L, self.model = int(n), float(L), model_name
        self._gen = as_generator(rng, func=func)
        self.n_shards = int(n_shards or self.pool.n_workers)
        self._func = func
        self._shards = self.pool.create(
            _new_shard, [(spec, n_threads, max_memory, func, hint)] * self.n_shards)
        self._n_sets = 0
        self._n_entries = 0
        self._blocks_dealt = 0
        self._shard_bytes = np.zeros(self.n_shards, dtype=np.int64)
        #: bytes brought to the driver by each greedy round (round 0: the counts)
        self.round_bytes: list[int] = []
        #: the driver's score vector, refilled by each selection (:meth:`_scores`)
        self._score_buf: np.ndarray | None = None

    @classmethod
    def for_graph(cls, G: DiGraph, pool: ShardPool | object, *, model: str = "ic",
                  node_weights: ArrayLike | None = None, rng: RngLike = None,
                  n_shards: int | None = None, n_threads: int | None = None,
                  max_memory: int | None = None) -> ShardedRRSets:
        """Build an empty sharded store of ``G`` (validated as :func:`sample_rr_sets` does).

        Parameters
        ----------
        G : DiGraph
        pool : ShardPool, LocalExecutor or DaskExecutor
        model : {"ic", "lt"} or TriggeringModel
        node_weights : array of float, optional
        rng : None, int, SeedSequence or Generator
        n_shards, n_threads, max_memory : optional
            As in :class:`ShardedRRSets`.

        Returns
        -------
        ShardedRRSets
        """
        from ..diffusion.models import model_name
        from ._rrsets import check_node_weights, check_rr_model
        func = "ShardedRRSets"
        model = check_rr_model(func, model, G)
        w = check_node_weights(func, node_weights, G.n)
        L = float(G.n) if w is None else float(w.sum())
        return cls(SamplingSpec(G, model, w), pool, rng, n=G.n, L=L,
                   model_name=model_name(model), n_shards=n_shards, n_threads=n_threads,
                   max_memory=max_memory, func=func)

    def close(self) -> None:
        """Release the pool's hold on the cluster (:meth:`ShardPool.close`); shards stay."""
        self.pool.close()

    # -- views ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n_sets

    @property
    def n_sets(self) -> int:
        return self._n_sets

    @property
    def n_entries(self) -> int:
        return self._n_entries

    @property
    def nbytes(self) -> int:
        """Bytes held by all shards together (buffers and inverted indexes)."""
        return int(self._shard_bytes.sum())

    def worker_bytes(self) -> dict[str, int]:
        """Bytes of this store per worker (shards summed)."""
        out: dict[str, int] = {}
        for h, b in zip(self._shards, self._shard_bytes):
            w = self.pool.worker_of(h)
            out[w] = out.get(w, 0) + int(b)
        return out

    def mean_size(self) -> float:
        return self._n_entries / self._n_sets if self._n_sets else float("nan")

    def __repr__(self) -> str:
        return (f"ShardedRRSets(model={self.model!r}, n_sets={self._n_sets:,}, "
                f"n_shards={self.n_shards}, mean_size={self.mean_size():.2f}, "
                f"nbytes={self.nbytes:,})")

    # -- growth ---------------------------------------------------------------------------
    def add(self, count: int, *, extra_bytes: int = 0,
            progress: Progress | None = None) -> ShardedRRSets:
        """Sample ``count`` more sets on the shards (seeds as in :meth:`RRSets.add`).

        ``extra_bytes`` (memory held elsewhere, e.g. OPIM-C's other store) is split evenly
        over the shards, each checking its need against its worker's ``max_memory``.
        """
        count = int(count)
        if count <= 0:
            return self
        self.pool.refresh()
        nb = n_blocks_for(count, BLOCK_SIZE)
        seeds = block_seeds(self._gen, nb)
        owner = (self._blocks_dealt + np.arange(nb)) % self.n_shards
        self._blocks_dealt += nb
        args = [(seeds, np.flatnonzero(owner == s), count, self._n_sets,
                 int(extra_bytes) // self.n_shards) for s in range(self.n_shards)]
        self._shards = self.pool.update(_sample, self._shards, args, wait=False)
        self.pool.wait(self._shards)   # then the sizes come by a direct call, not a task
        info = self.pool.query(_info, self._shards, direct=True)
        self._n_sets += count
        self._n_entries = int(sum(int(x[1]) for x in info))
        self._shard_bytes = np.array([int(x[2]) for x in info], dtype=np.int64)
        if progress is not None:
            progress.update(count)
        return self

    def drop_inverted_index(self) -> None:
        """Free the shards' inverted indexes."""
        self._shards = self.pool.update(_drop_index, self._shards)
        self._shard_bytes = np.array([int(x[2]) for x in self.pool.query(_info, self._shards,
                                                                         direct=True)],
                                     dtype=np.int64)

    # -- queries --------------------------------------------------------------------------
    def coverage(self, seed_ids: ArrayLike) -> int:
        """Count the sets that contain at least one of ``seed_ids`` (summed over shards)."""
        ids = np.asarray(seed_ids, dtype=np.int64).ravel()
        if ids.size and (ids.min() < 0 or ids.max() >= self.n):
            fail("ShardedRRSets.coverage", "seed_ids", f"ids in [0, {self.n})",
                 ids.tolist()[:10])
        return int(sum(self.pool.query(_coverage, self._shards,
                                       [(ids,)] * self.n_shards, direct=True)))

    def estimate_from_coverage(self, covered: int) -> SpreadEstimate:
        """As :meth:`RRSets.estimate_from_coverage` (the same code)."""
        return RRSets.estimate_from_coverage(self, covered)  # type: ignore[arg-type]

    def set_sums(self, values: np.ndarray) -> np.ndarray:
        """Return ``values`` summed over each set, in global set order.

        ``np.add.reduceat`` per set on the shards: the same float sums as on a local store.
        """
        v = self.pool.scatter(np.asarray(values, dtype=np.float64))
        parts = self.pool.query(_set_sums, self._shards, [(v,)] * self.n_shards)
        idx, m = _order(parts)
        out = np.empty(m, dtype=np.float64)
        if m:
            out[idx] = np.concatenate([p[2] for p in parts])
        return out

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(offsets, nodes, roots)`` of the whole collection in global order.

        Moves the whole collection to the driver: for tests and small stores.
        """
        parts = self.pool.query(_arrays, self._shards)
        idx, m = _order(parts)
        sizes = np.zeros(m, dtype=np.int64)
        roots = np.zeros(m, dtype=np.int32)
        if m:
            sizes[idx] = np.concatenate([p[2] for p in parts])
            roots[idx] = np.concatenate([p[4] for p in parts])
        offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        nodes = np.empty(int(offsets[-1]), dtype=np.int32)
        for starts, counts, sz, nd, _ in parts:
            pos = 0
            ent = 0
            for s0, c in zip(starts.tolist(), counts.tolist()):
                e = int(sz[pos:pos + c].sum())
                nodes[offsets[s0]:offsets[s0] + e] = nd[ent:ent + e]
                pos += c
                ent += e
        return offsets, nodes, roots

    def _scores(self, parts: list, cand: np.ndarray) -> np.ndarray:
        """Return the driver's score vector of a selection: round 0's counts, -1 elsewhere.

        One int64 n-vector kept by the store and refilled by each selection (an n-long
        allocation per selection costs more than the fill).
        """
        score = self._score_buf
        if score is None or score.shape[0] != self.n:
            score = self._score_buf = np.zeros(self.n, dtype=np.int64)
        else:
            score.fill(0)
        for part in parts:
            add_counts(score, part)
        if not cand.all():
            score[~cand] = -1
        return score

    def greedy_cover(self, k: int, cand_u8: np.ndarray,
                     upper: bool = False) -> tuple[np.ndarray, np.ndarray, int, int]:
        """Greedy maximum coverage over the shards; the local kernel's result, bit for bit.

        Round 0 sums the shards' per-node counts (each shard's dense or sparse, whichever is
        smaller: :func:`compact_counts`); each later round the driver takes the available
        candidate with the largest count (lowest id on ties; found among a few thousand
        leaders, :class:`_Leaders`, not by a scan of all n) and every shard returns the sparse
        count drops of the sets that node newly covers (nothing is asked when its count is 0).
        The next leaders go along as guesses (:data:`_GUESSES`): a guess that proves to be
        the next pick costs no round trip. The shards report only the leaders' drops; the
        other nodes keep their last count, an upper bound since counts only fall, and when
        the leaders are gathered again the shards count the new leaders' uncovered sets
        exactly (:func:`_greedy_exact`). With ``upper`` the OPIM-C bound
        ``min_i (cov(S_i) + sum of the k largest counts)`` as in
        :func:`~infmax._kernels.coverage.greedy_cover`. Bytes per round: :attr:`round_bytes`.

        Returns
        -------
        (seeds int32[k], gains int64[k], covered, ub)
            ``ub`` is -1 without ``upper``.
        """
        pool = self.pool
        pool.refresh()
        cand = np.asarray(cand_u8) != 0
        self.round_bytes = []
        run = uuid.uuid4().hex
        before = pool.traffic["bytes_in"]
        parts = pool.query(_greedy_counts, self._shards, [(run,)] * self.n_shards, direct=True)
        self.round_bytes.append(pool.traffic["bytes_in"] - before)
        # the count of each available candidate; -1 (or less: drops applied blindly) for the
        # picked nodes and the other non-candidates. A candidate's count is its score until
        # it is picked, and a picked node's count is 0 (all its sets are covered).
        score = self._scores(parts, cand)
        del parts
        seeds = np.empty(k, dtype=np.int32)
        gains = np.empty(k, dtype=np.int64)
        done = 0           # picks taken so far
        sent = -1          # the leaders' version the shards report drops for

        def applied() -> np.ndarray:
            return seeds[:done][gains[:done] > 0]   # zero gains change nothing

        def exact(lead: _Leaders) -> None:
            # newly gathered leaders may hold stale upper bounds: the shards (brought to the
            # picks taken) count their uncovered sets, and report only their drops from now on
            nonlocal sent
            before = pool.traffic["bytes_in"]
            got = pool.query(_greedy_exact, self._shards,
                             [(run, applied(), lead.version, lead.nodes)] * self.n_shards,
                             direct=True)
            self.round_bytes.append(pool.traffic["bytes_in"] - before)
            score[lead.nodes] = np.sum(got, axis=0)
            sent = lead.version

        lead = _Leaders(score, k)     # round 0's counts are exact
        lead.exact = exact
        covered = 0
        ub = lead.topk_sum() if upper else -1
        i = 0
        while i < k:
            best = lead.argmax()   # the first maximum of score: lowest id on ties
            taken = [best]
            answers = []
            if int(score[best]) > 0:
                # the next leaders go along as guesses: each shard applies them after `best`,
                # and a guess that turns out to be the next pick costs no round trip
                guesses = lead.top(_GUESSES + 1) if i + 1 < k else np.empty(0, np.int64)
                guesses = [int(g) for g in guesses[guesses != best][:_GUESSES]]
                leaders = lead.nodes if sent != lead.version else None
                before = pool.traffic["bytes_in"]
                answers = pool.query(
                    _greedy_step, self._shards,
                    [(run, np.append(applied(), best), guesses, lead.version, leaders)]
                    * self.n_shards, direct=True)
                self.round_bytes.append(pool.traffic["bytes_in"] - before)
                sent = lead.version
                taken += guesses
            for j, node in enumerate(taken):
                if j and (i >= k or score[node] <= 0 or lead.argmax(gather=False) != node):
                    break   # not the next pick: the shards undo this guess and the later ones
                bv = int(score[node])
                seeds[i], gains[i] = node, bv
                score[node] = -1
                covered += bv
                for part in answers:
                    nodes, drops = part[j]
                    score[nodes] -= drops
                i += 1
                done = i
                if upper and i < k:
                    v0 = lead.version
                    ub = min(ub, covered + lead.topk_sum())
                    if lead.version != v0:
                        break   # the shards were brought to the picks taken: guesses undone
        if upper and covered < ub:
            ub = min(ub, covered + lead.topk_sum())
        pool.query(_greedy_end, self._shards, direct=True)   # frees the selection state
        return seeds, gains, int(covered), int(ub)


#: guesses sent along with each greedy round (see :meth:`ShardedRRSets.greedy_cover`)
_GUESSES = 4
#: the fewest leaders gathered (:class:`_Leaders`: ``max(4 k, this)``)
_LEADERS_MIN = 4096


class _Leaders:
    """The driver's arg-max and top-k sum over the scores, exact, without a scan of all n.

    ``score`` (shared with the caller, who lowers it in place) is, for each available
    candidate, its count or an upper bound of it, and negative elsewhere; during a selection
    scores only fall. The *leaders* are the nodes whose score exceeded a threshold ``t`` when
    they were gathered (ascending ids, usually at most ``max(4 k, 4096)`` of them;
    :func:`~infmax._kernels.sharded.gather_leaders`); their scores are exact counts (``exact``,
    when set, is called with each new gathering to make them so), and every other node has
    counted at most ``t`` since. So the first maximum among the leaders is the first maximum
    of the counts whenever it exceeds ``t``, and the ``k`` largest leaders are the ``k``
    largest counts whenever ``k`` leaders still reach ``t``; otherwise the leaders are
    gathered again, each time under a lower threshold, down to ``t = 0`` (every positive
    score a leader) if need be.
    """

    __slots__ = ("score", "k", "size", "nodes", "t", "exact", "version")

    def __init__(self, score: np.ndarray, k: int) -> None:
        self.score, self.k = score, int(k)
        self.size = max(4 * self.k, _LEADERS_MIN)
        #: called as ``exact(self)`` after each gathering but the first (see the class doc)
        self.exact: Callable[[_Leaders], None] | None = None
        self.version = 0
        self.t = -1
        self._gather()

    def _gather(self) -> None:
        t, nodes = _sh.gather_leaders(self.score, self.size)
        if t < 0:
            # a score above the kernel's bins: partition the positive scores instead
            pos = np.flatnonzero(self.score > 0)
            vals = self.score[pos]
            cut = vals.shape[0] - self.size
            t = int(np.partition(vals, cut)[cut])
            nodes = pos[vals > t]
        want = t = int(t)
        if nodes.shape[0] == 0 and t > 0:
            t = int(self.score.max()) - 1     # more ties at the top than leaders: all lead
        if 0 < self.t <= t:
            t = self.t - 1                    # gathered again: a lower threshold each time
        self.t = t
        self.nodes = nodes if t == want else np.flatnonzero(self.score > t)
        self.version += 1
        if self.exact is not None:
            self.exact(self)

    def _best(self) -> int:
        if self.nodes.shape[0]:
            v = self.score[self.nodes]
            j = int(np.argmax(v))
            if v[j] > self.t:
                return int(self.nodes[j])
        return -1

    def argmax(self, gather: bool = True) -> int:
        """Return the first maximum of the counts (``int(np.argmax(score))`` when exact).

        ``gather=False``: return -1 instead of gathering again when the leaders do not
        settle it.
        """
        best = self._best()
        if best >= 0 or not gather:
            return best
        while best < 0 and self.t > 0:
            self._gather()
            best = self._best()
        # t = 0: every positive score leads; if none is positive, every available candidate
        # counts 0 and scores 0
        return best if best >= 0 else int(np.argmax(self.score))

    def top(self, m: int) -> np.ndarray:
        """Return up to ``m`` leaders with positive scores, highest first (lowest id on ties).

        Only guesses: they need not be the true top ``m``.
        """
        nodes = self.nodes[self.score[self.nodes] > 0]
        v = self.score[nodes]
        if nodes.shape[0] > m:
            keep = np.argpartition(-v, m - 1)[:m]
            nodes, v = nodes[keep], v[keep]
        return nodes[np.lexsort((nodes, -v))]

    def _topk(self) -> int:
        v = self.score[self.nodes]
        if self.t <= 0:     # the leaders are every positive score: the rest count 0
            v = np.maximum(v, 0)
        elif int((v >= self.t).sum()) < self.k:
            return -1
        if v.shape[0] > self.k:
            v = np.partition(v, v.shape[0] - self.k)[-self.k:]
        return int(v.sum())

    def topk_sum(self) -> int:
        """Return the sum of the ``k`` largest counts over the available candidates.

        A picked candidate's count is 0 (all its sets are covered), as in the local kernel's
        ``_topk_sum``.
        """
        got = self._topk()
        while got < 0:
            self._gather()
            got = self._topk()
        return got


def _topk_sum(cnt: np.ndarray, cand: np.ndarray, k: int) -> int:
    """Sum of the ``k`` largest counts over the candidates (the local kernel's ``_topk_sum``)."""
    vals = cnt[cand]
    if vals.shape[0] > k:
        vals = np.partition(vals, vals.shape[0] - k)[-k:]
    return int(vals.sum())


def rr_fingerprint(R: RRSets | ShardedRRSets) -> str:
    """SHA-256 of a collection's sets in global order (sizes, nodes, roots).

    Equal for a local :class:`RRSets` and a :class:`ShardedRRSets` holding the same sets in
    the same order; a sharded store is brought to the driver for it.

    Parameters
    ----------
    R : RRSets or ShardedRRSets

    Returns
    -------
    str
        Hex digest.
    """
    if isinstance(R, ShardedRRSets):
        offsets, nodes, roots = R.arrays()
    else:
        offsets, nodes, roots = R.offsets, R.nodes, R.roots
    h = hashlib.sha256()
    for a, dt in ((np.diff(offsets), np.int64), (nodes, np.int32), (roots, np.int32)):
        h.update(np.ascontiguousarray(a, dtype=dt).tobytes())
    return h.hexdigest()

