"""Reverse-reachable sets: the compact store :class:`RRSets` and :func:`sample_rr_sets`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numba
import numpy as np

from .. import _memory
from .._interrupt import checkpoint, interruptible
from .._kernels import coverage as _cov
from .._kernels import reverse as _rev
from .._kernels._threads import threads
from .._validation import Interval, check, check_graph, check_node_values, fail
from ..diffusion.models import TriggeringModel, model_name, resolve_model
from ..exceptions import InvalidParameterError
from ..random import as_generator, block_seeds, n_blocks_for
from ..results import SpreadEstimate

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

    from .._progress import Progress
    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["RRSets", "RRSetOracle", "sample_rr_sets", "check_node_weights", "check_rr_model",
           "BLOCK_SIZE"]

#: Sets per block of the sampling kernel (fixed: results never depend on the thread count).
BLOCK_SIZE = 1024
_MODELS = ("ic", "lt")
#: Output entries one kernel call may write (all its blocks together): keeps each call well
#: under a second so Ctrl-C is honoured between calls. A block is never split, so a call holds
#: at least one block. The output does not depend on it.
CALL_ENTRIES = 1 << 22
#: A group of blocks runs on the parallel kernel when it has this many blocks, or
#: ``PARALLEL_MIN_ENTRIES`` expected entries (a parallel region costs a thread wake-up).
PARALLEL_MIN_BLOCKS = 32
PARALLEL_MIN_ENTRIES = 1 << 20
#: Mean set size the pilot block's buffer is sized for (it is rerun larger if it overflows).
PILOT_MEAN_SIZE = 8.0
#: Default advice of a MemoryLimitError raised while sampling.
_HINT = "sample fewer sets, or raise max_memory (CLI: --max-memory)"


def check_rr_model(func: str, model: str | TriggeringModel, G: DiGraph) -> str | TriggeringModel:
    """Validate a ``model`` argument of the RR samplers.

    Valid are ``"ic"`` / ``"lt"`` (case-insensitive; LT weights checked) or a
    :class:`~infmax.diffusion.TriggeringModel` built for ``G``.
    """
    if isinstance(model, TriggeringModel):
        return resolve_model(model, G, func=func)
    if not (isinstance(model, str) and model.lower() in _MODELS):
        fail(func, "model", "one of 'ic', 'lt' or a TriggeringModel instance", model)
    model = model.lower()
    if model == "lt":
        from ..graph.weights import check_lt_weights
        check_lt_weights(G, func=func)
    return model


def check_node_weights(func: str, node_weights: ArrayLike | None, n: int, *,
                       param: str = "node_weights") -> np.ndarray | None:
    """Validate root weights: length n, finite, >= 0, positive sum. Returns float64 or None."""
    if node_weights is None:
        return None
    return check_node_values(func, param, node_weights, n, positive_sum=True)


class _Prepared:
    """What the sampling kernels need about the graph, the model and the roots.

    ``arrays`` is a :class:`~infmax._kernels.reverse.ICLTArrays` (``trig`` False) or a
    :class:`~infmax._kernels.reverse.TriggeringArrays` (``trig`` True), computed once per graph
    and model and cached (on the graph for "ic" / "lt", on the TriggeringModel object);
    ``roots`` the :class:`~infmax._kernels.reverse.RootTable`; ``maxdeg`` the row length of
    the Floyd scratch arrays.
    """

    __slots__ = ("arrays", "trig", "maxdeg", "roots", "L", "weights")

    def __init__(self, G, model, node_weights):
        self.trig = isinstance(model, TriggeringModel)
        if self.trig:
            self.arrays, self.maxdeg = self._triggering(G, model)
        else:
            self.arrays, self.maxdeg = self._ic_lt(G, model)
        if node_weights is None:
            self.roots = _rev.RootTable(0, np.zeros(1, dtype=np.int32),
                                        np.ones(1, dtype=np.float64),
                                        np.zeros(1, dtype=np.int32))
            self.L = float(G.n)
            self.weights = None
        else:
            self.roots = _rev.RootTable(1, *_rev.build_alias(node_weights))
            self.L = float(node_weights.sum())
            self.weights = node_weights

    @staticmethod
    def _triggering(G, T):
        """Kernel arrays of a TriggeringModel (memoised on the model object)."""
        def build():
            rindptr = np.ascontiguousarray(G.rindptr, dtype=np.int64)
            rindices = np.ascontiguousarray(G.rindices, dtype=np.int32)
            cum = _rev.cumulative_rows(rindptr, T.in_probs)
            opt_cum = _rev.cumulative_rows(T.opt_ptr, T.opt_prob)
            return _rev.TriggeringArrays(int(G.n), rindptr, rindices, T.kind, T.in_probs, cum,
                                         T.opt_ptr, opt_cum, T.mem_ptr, T.mem)
        return T._memo("sampling.rr_arrays", build), 1

    @staticmethod
    def _ic_lt(G: DiGraph, model: str) -> tuple[_rev.ICLTArrays, int]:
        """Return the kernel arrays of "ic" / "lt" on ``G`` (memoised on the graph, per model)."""
        def build():
            lt = model == "lt"
            rprobs = np.ascontiguousarray(G.rprobs, dtype=np.float64)
            rindptr = np.ascontiguousarray(G.rindptr, dtype=np.int64)
            rindices = np.ascontiguousarray(G.rindices, dtype=np.int32)
            mode, pcom, tab = _rev.node_modes(G.n, rindptr, rprobs, lt)
            indeg = np.diff(rindptr)
            maxdeg = int(indeg.max()) if indeg.size else 0
            q0 = -1.0 - mode.astype(np.float64)
            eq = (mode == _rev.MODE_EQUAL) & (indeg > 0)
            q0[eq] = tab[rindptr[:-1][eq]]
            arrays = _rev.ICLTArrays(lt, int(G.n), rindptr, rindices, rprobs, mode, pcom, q0,
                                     tab)
            return arrays, max(maxdeg, 1)
        return G._memo(f"sampling.rr_arrays.{model}", build)


class RRSets:
    """A collection of reverse-reachable sets stored as one flat int32 CSR.

    Set ``i`` is ``nodes[offsets[i]:offsets[i+1]]``; its first entry is its root ``roots[i]``.
    The inverted index (node -> ids of the sets containing it) is built on demand by a counting
    sort and extended incrementally when sets are added. Build one with :func:`sample_rr_sets`.

    Attributes
    ----------
    n : int
        Number of nodes of the graph.
    L : float
        Total root weight: ``n`` for uniform roots, ``sum(node_weights)`` otherwise.
    model : str
        ``"ic"``, ``"lt"``, or the ``name`` of the :class:`~infmax.diffusion.TriggeringModel`
        the sets were sampled under (``"triggering"`` by default; the object itself is
        ``triggering_model``).

    Notes
    -----
    ``estimate(S)`` is ``L * (fraction of sets hit by S)``: for uniform roots the expected
    spread of ``S`` (Borgs et al. 2014), for weighted roots the weighted spread
    ``sum_v l(v) P[v active]``. Its standard error is ``L * sqrt(f (1 - f) / theta)``.

    Examples
    --------
    >>> import numpy as np, infmax as im
    >>> from infmax.sampling import sample_rr_sets
    >>> G = im.graph.from_edges([0, 1, 2], [1, 2, 3], weights=1.0)
    >>> R = sample_rr_sets(G, 1000, rng=1)
    >>> R.estimate(G.node_ids([0])).mean   # node 0 reaches all 4 nodes with probability 1
    4.0
    """

    def __init__(self, G: DiGraph, model: str | TriggeringModel, node_weights: ArrayLike | None,
                 rng: RngLike, n_threads: int | None = None, max_memory: int | None = None, *,
                 func: str = "sample_rr_sets", hint: str = _HINT) -> None:
        self._G = G
        #: bytes the store (with its inverted index) may take; None resolves to the memory
        #: available at construction minus a margin (:func:`infmax._memory.resolve_limit`)
        self.max_memory = _memory.resolve_limit(func, max_memory)
        #: the TriggeringModel object, or None for "ic" / "lt"
        self.triggering_model = model if isinstance(model, TriggeringModel) else None
        self.model = model_name(model)
        self._prep = _Prepared(G, model, node_weights)
        self.n = int(G.n)
        self.L = self._prep.L
        self._gen = as_generator(rng, func=func)
        self.n_threads = n_threads
        self._func = func
        self._hint = hint
        self._nodes = np.empty(0, dtype=np.int32)
        self._offsets = np.zeros(1, dtype=np.int64)
        self._roots = np.empty(0, dtype=np.int32)
        self._n_sets = 0
        self._inv = None
        self._inv_sets_count = -1
        self._bar = None

    # -- views ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n_sets

    @property
    def n_sets(self) -> int:
        return self._n_sets

    @property
    def offsets(self) -> np.ndarray:
        return self._offsets[: self._n_sets + 1]

    @property
    def nodes(self) -> np.ndarray:
        return self._nodes[: self._offsets[self._n_sets]]

    @property
    def roots(self) -> np.ndarray:
        return self._roots[: self._n_sets]

    @property
    def node_weights(self) -> np.ndarray | None:
        return self._prep.weights

    @property
    def n_entries(self) -> int:
        return int(self._offsets[self._n_sets])

    def __getitem__(self, i: int) -> np.ndarray:
        if not -self._n_sets <= i < self._n_sets:
            raise IndexError(f"RR set index {i} out of range ({self._n_sets} sets)")
        i %= max(self._n_sets, 1)
        return self._nodes[self._offsets[i]:self._offsets[i + 1]]

    def mean_size(self) -> float:
        return self.n_entries / self._n_sets if self._n_sets else float("nan")

    @property
    def nbytes(self) -> int:
        """Bytes held by the store (allocated buffers, inverted index included)."""
        b = self._nodes.nbytes + self._offsets.nbytes + self._roots.nbytes
        if self._inv is not None:
            b += self._inv[0].nbytes + self._inv[1].nbytes
        return int(b)

    def __repr__(self) -> str:
        return (f"RRSets(model={self.model!r}, n_sets={self._n_sets:,}, "
                f"mean_size={self.mean_size():.2f}, L={self.L:g}, nbytes={self.nbytes:,})")

    # -- memory -----------------------------------------------------------------------------
    def projected_nbytes(self, total_sets: int, mean_size: float | None = None) -> int:
        """Estimated bytes of a store with ``total_sets`` sets and its inverted index."""
        ms = self.mean_size() if mean_size is None else mean_size
        if not math.isfinite(ms):
            ms = 1.0
        entries = total_sets * ms
        return int(entries * 8 + total_sets * 12 + (self.n + 1) * 8)

    def _check_memory(self, count: int, mean_size: float, extra: int = 0) -> None:
        """Raise MemoryLimitError if adding ``count`` sets of ``mean_size`` nodes would not fit.

        The need counted against ``max_memory`` is the grown store with its inverted index,
        plus the sampling temporaries (per-set sizes and roots, the block buffers), plus
        ``extra`` bytes held elsewhere.
        """
        total = self._n_sets + count
        need = (self.projected_nbytes(total, mean_size) + count * 8
                + int(count * mean_size * 4.8) + extra)
        _memory.check(self._func, need, self.max_memory,
                      what=f"{total:,} RR sets (mean size {mean_size:,.1f} nodes)",
                      hint=self._hint)

    # -- growth -----------------------------------------------------------------------------
    def _reserve(self, n_sets_total: int, n_entries_total: int) -> None:
        if self._offsets.shape[0] < n_sets_total + 1:
            cap = max(n_sets_total + 1, int(self._offsets.shape[0] * 1.25))
            off = np.empty(cap, dtype=np.int64)
            off[: self._n_sets + 1] = self._offsets[: self._n_sets + 1]
            self._offsets = off
            roots = np.empty(cap, dtype=np.int32)
            roots[: self._n_sets] = self._roots[: self._n_sets]
            self._roots = roots
        if self._nodes.shape[0] < n_entries_total:
            cap = max(n_entries_total, int(self._nodes.shape[0] * 1.25))
            nodes = np.empty(cap, dtype=np.int32)
            used = int(self._offsets[self._n_sets])
            nodes[:used] = self._nodes[:used]
            self._nodes = nodes

    def add(self, count: int, *, extra_bytes: int = 0, progress: Progress | None = None) -> RRSets:
        """Sample ``count`` more sets with the store's own generator (in place); returns self.

        ``extra_bytes``: memory held elsewhere that counts against ``max_memory``.
        ``progress``: an :class:`infmax._progress.Progress` advanced by the number of sets each
        bounded kernel call finished.

        Memory is checked before anything proportional to ``count`` is allocated (every set
        holds at least its root), again after the pilot block has measured the mean set size,
        and once more with the exact size; a ``MemoryError`` the estimate missed becomes a
        :class:`~infmax.exceptions.MemoryLimitError`. Sampling runs as bounded kernel calls
        (at most :data:`CALL_ENTRIES` entries each) with a Ctrl-C checkpoint between them; an
        interrupted call leaves the store as it was (its generator has advanced).
        """
        count = int(count)
        if count <= 0:
            return self
        ms = self.mean_size()
        self._check_memory(count, ms if math.isfinite(ms) else 1.0, extra_bytes)
        self._bar = progress
        try:
            with _memory.guard(self._func, what=f"{count:,} RR sets", hint=self._hint), \
                    interruptible():
                self._add(count, ms, extra_bytes)
        finally:
            self._bar = None
        return self

    def _add(self, count: int, ms: float, extra_bytes: int) -> None:
        p = self._prep
        nb = n_blocks_for(count, BLOCK_SIZE)
        seeds = block_seeds(self._gen, nb)
        sizes = np.empty(count, dtype=np.int32)
        roots = np.empty(count, dtype=np.int32)
        with threads(self.n_threads):
            nthr = numba.config.NUMBA_NUM_THREADS
            scratch = _rev.Scratch(np.zeros((nthr, self.n), dtype=np.int32),
                                   np.zeros((nthr, p.maxdeg), dtype=np.uint8),
                                   np.empty((nthr, p.maxdeg), dtype=np.int64))
            pending = np.arange(nb, dtype=np.int64)
            pieces = []
            if not math.isfinite(ms):
                # pilot: the first block alone (its output is kept; same seed, same sets)
                pieces = self._run(pending[:1], seeds, count, sizes, roots, scratch,
                                   PILOT_MEAN_SIZE)
                pending = pending[1:]
                ms = float(sum(pc[2].sum() for pc in pieces)) / min(BLOCK_SIZE, count)
                self._check_memory(count, ms, extra_bytes)
            if pending.shape[0]:
                pieces += self._run(pending, seeds, count, sizes, roots, scratch, ms)
        total_new = int(sizes.sum(dtype=np.int64))
        base_entries = int(self._offsets[self._n_sets])
        self._check_memory(count, total_new / count, extra_bytes)
        self._reserve(self._n_sets + count, base_entries + total_new)
        # block order -> destination offsets
        blen_all = np.zeros(nb, dtype=np.int64)
        for blocks, _, bl, _, _ in pieces:
            blen_all[blocks] = bl
        start_all = base_entries + np.concatenate(([0], np.cumsum(blen_all)[:-1]))
        for blocks, slots, bl, buf, cap in pieces:
            _rev.gather_blocks(buf, cap, slots, bl, self._nodes, start_all[blocks])
        off = self._offsets
        s0 = self._n_sets
        np.cumsum(sizes, dtype=np.int64, out=off[s0 + 1: s0 + 1 + count])
        off[s0 + 1: s0 + 1 + count] += base_entries
        self._roots[s0: s0 + count] = roots
        self._n_sets += count

    def _run(self, blocks, seeds, count, sizes, roots, scratch, mean_size):
        """Sample ``blocks`` in bounded kernel calls; rerun overflowing ones with larger slices.

        Reruns use 4x larger slices (``scratch``: the
        :class:`~infmax._kernels.reverse.Scratch` of this batch).

        The slice per block is sized for ``mean_size``; each call takes as many blocks as fit
        in :data:`CALL_ENTRIES` entries (at least one), with :func:`~infmax._interrupt.checkpoint`
        after it. Returns pieces ``(blocks, slots, lens, buf, cap)``: block ``blocks[j]`` has
        ``lens[j]`` entries at ``buf[slots[j] * cap:]``. The output does not depend on
        ``mean_size`` or :data:`CALL_ENTRIES`.
        """
        cap = int(BLOCK_SIZE * max(mean_size, 0.0) * 1.2) + 512
        pieces = []
        while blocks.shape[0]:
            per_call = max(1, CALL_ENTRIES // cap)
            failed = []
            for g in range(0, blocks.shape[0], per_call):
                group = blocks[g:g + per_call]
                buf = np.empty(group.shape[0] * cap, dtype=np.int32)
                bl = np.empty(group.shape[0], dtype=np.int64)
                self._call(group, seeds, count, cap, buf, bl, sizes, roots, scratch)
                checkpoint()
                good = bl >= 0
                if good.any():
                    pieces.append((group[good], np.flatnonzero(good), bl[good], buf, cap))
                    if self._bar is not None:  # sets of the blocks this call finished
                        self._bar.update(int(np.minimum(
                            BLOCK_SIZE, count - group[good] * BLOCK_SIZE).sum()))
                failed.append(group[~good])
            blocks = np.concatenate(failed)
            cap *= 4
        return pieces

    def _call(self, group, seeds, count, cap, buf, bl, sizes, roots, scratch):
        """One kernel call over the blocks of ``group`` (parallel when big enough)."""
        p = self._prep
        parallel = group.shape[0] > 1 and (group.shape[0] >= PARALLEL_MIN_BLOCKS
                                          or group.shape[0] * cap >= PARALLEL_MIN_ENTRIES)
        if p.trig:
            kern = (_rev.sample_blocks_triggering if parallel
                    else _rev.sample_blocks_triggering_serial)
        else:
            kern = _rev.sample_blocks if parallel else _rev.sample_blocks_serial
        job = _rev.BlockJob(seeds, group, BLOCK_SIZE, count, cap, buf, bl, sizes, roots)
        kern(p.arrays, p.roots, job, scratch)

    def extend(self, more: int | RRSets) -> RRSets:
        """Add sets in place and return self.

        ``more`` is a count (sampled with the store's generator) or another :class:`RRSets` of
        the same graph, model and root weights.
        """
        if isinstance(more, RRSets):
            if (more.n != self.n or more.model != self.model or more.L != self.L
                    or more.triggering_model is not self.triggering_model):
                raise InvalidParameterError(
                    "The 'more' parameter of RRSets.extend must be RR sets of the same graph, "
                    f"model and root weights. Got {more!r}.", param="more", value=repr(more))
            c = more.n_sets
            base = self.n_entries
            self._reserve(self._n_sets + c, base + more.n_entries)
            self._nodes[base: base + more.n_entries] = more.nodes
            self._offsets[self._n_sets + 1: self._n_sets + 1 + c] = more.offsets[1:] + base
            self._roots[self._n_sets: self._n_sets + c] = more.roots
            self._n_sets += c
            return self
        count = check("RRSets.extend", "more", more, Interval(int, 0, None))
        return self.add(count)

    def compact(self) -> RRSets:
        """Trim the buffers to the used size (frees the growth slack)."""
        used = self.n_entries
        self._nodes = self._nodes[:used].copy()
        self._offsets = self._offsets[: self._n_sets + 1].copy()
        self._roots = self._roots[: self._n_sets].copy()
        return self

    # -- queries ----------------------------------------------------------------------------
    def inverted_index(self) -> tuple[np.ndarray, np.ndarray]:
        """``(inv_ptr, inv_sets)``: the sets holding v are ``inv_sets[inv_ptr[v]:inv_ptr[v+1]]``.

        Built by a counting sort; after sets were added, only the new sets are sorted and merged
        into the previous index node by node (set ids stay ascending in every list).
        """
        if self._inv is not None and self._inv_sets_count == self._n_sets:
            return self._inv
        if self._inv is None:
            self._inv = _cov.inverted(self.n, self._nodes, self._offsets, 0, self._n_sets)
        else:
            new = _cov.inverted(self.n, self._nodes, self._offsets, self._inv_sets_count,
                                      self._n_sets)
            self._inv = _cov.merge_inverted(self.n, self._inv[0], self._inv[1], *new)
        self._inv_sets_count = self._n_sets
        return self._inv

    def drop_inverted_index(self) -> None:
        self._inv = None
        self._inv_sets_count = -1

    def _mark(self, seed_ids):
        ids = np.asarray(seed_ids, dtype=np.int64).ravel()
        if ids.size and (ids.min() < 0 or ids.max() >= self.n):
            fail("RRSets.coverage", "seed_ids", f"ids in [0, {self.n})", ids.tolist()[:10])
        mark = np.zeros(self.n, dtype=np.uint8)
        mark[ids] = 1
        return mark

    def coverage(self, seed_ids: ArrayLike) -> int:
        """Count the sets that contain at least one of ``seed_ids`` (internal ids)."""
        if self._n_sets == 0:
            return 0
        return int(_cov.count_hits(self._nodes, self._offsets, self._n_sets,
                                   self._mark(seed_ids)))

    def estimate(self, seed_ids: ArrayLike) -> SpreadEstimate:
        """``L * hit fraction`` with stderr ``L * sqrt(f (1 - f) / theta)``."""
        if self._n_sets == 0:
            fail("RRSets.estimate", "self", "a non-empty collection", "0 sets")
        return self.estimate_from_coverage(self.coverage(seed_ids))

    def estimate_from_coverage(self, covered: int) -> SpreadEstimate:
        """Estimate the spread of a seed set that hits ``covered`` of the sets.

        ``covered`` is known already, e.g. from greedy maximum coverage. The estimate is
        ``L * f`` with stderr ``L * sqrt(f (1 - f) / theta)``, ``f = covered / theta``.
        """
        theta = self._n_sets
        if theta == 0:
            fail("RRSets.estimate_from_coverage", "self", "a non-empty collection", "0 sets")
        covered = check("RRSets.estimate_from_coverage", "covered", covered,
                        Interval(int, 0, theta))
        f = covered / theta
        se = self.L * math.sqrt(f * (1.0 - f) / theta)
        return SpreadEstimate.from_mean_stderr(self.L * f, se, theta, model=self.model,
                                               details={"estimator": "rr-coverage",
                                                        "L": self.L})


def sample_rr_sets(G: DiGraph, n_sets: int, *, model: str | TriggeringModel = "ic",
                   node_weights: ArrayLike | None = None, rng: RngLike = None,
                   n_threads: int | None = None, max_memory: int | None = None) -> RRSets:
    """Sample ``n_sets`` reverse-reachable sets of ``G`` under IC, LT or a triggering model.

    An RR set is the set of nodes that reach a random root in a random live-edge world
    (Borgs, Brautbar, Chayes, Lucier 2014). IC: reverse BFS where each in-arc is live with its
    probability; when all in-arcs of a node share one probability (weighted cascade, uniform p)
    the live ones are found by geometric skips (subset sampling, Guo, Wang, Wei, Chen SIGMOD
    2020), exactly as likely as one coin per arc but with one uniform per live arc. LT: reverse
    random walk choosing at most one in-neighbour with probability equal to its weight, stopping
    at a node already visited. Triggering model: reverse BFS where the trigger set of each
    popped node is drawn once from its distribution and its members are added (see
    :func:`infmax._kernels.reverse.sample_blocks_triggering`).

    Parameters
    ----------
    G : DiGraph
    n_sets : int
        Number of sets (>= 0).
    model : {"ic", "lt"} or TriggeringModel
        A :class:`~infmax.diffusion.TriggeringModel` built for ``G`` (same topology) samples
        RR sets of that model (per-node IC, LT or custom trigger-set distributions);
        ``R.model`` is then the model's ``name``.
    node_weights : array of float, optional
        Root weights ``l(v) >= 0`` (length n, positive sum): roots are drawn with probability
        ``l(v) / L`` (Vose alias table). None draws roots uniformly (``L = n``).
    rng : None, int, SeedSequence or Generator
        The store keeps this generator and advances it for later :meth:`RRSets.add` calls.
    n_threads : int, optional
        numba threads during sampling (the result does not depend on it).
    max_memory : int, optional
        Bytes the store with its inverted index (and the sampling temporaries) may take;
        default: the memory available now minus a margin (max(512 MiB, 10 %)). The need is
        checked before anything is allocated (at least one node per set), again after a pilot
        block has measured the mean set size, and raises
        :class:`~infmax.exceptions.MemoryLimitError` (saying how much was needed) before the
        bulk is drawn; a ``MemoryError`` during allocation is turned into one too.

    Returns
    -------
    RRSets

    Notes
    -----
    Cost ``O(theta * E[edges examined per set])``, parallel over fixed blocks of 1024 sets, each
    with its own SplitMix64 seed drawn from ``rng``: the output is identical for any thread
    count. Blocks run in bounded kernel calls with Ctrl-C checkpoints between them, so an
    interrupt surfaces as a plain ``KeyboardInterrupt`` within a fraction of a second.
    """
    func = "sample_rr_sets"
    check_graph(func, G)
    n_sets = check(func, "n_sets", n_sets, Interval(int, 0, None))
    model = check_rr_model(func, model, G)
    w = check_node_weights(func, node_weights, G.n)
    if n_threads is not None:
        n_threads = check(func, "n_threads", n_threads,
                          Interval(int, 1, numba.config.NUMBA_NUM_THREADS))
    R = RRSets(G, model, w, rng, n_threads=n_threads, max_memory=max_memory, func=func)
    return R.add(n_sets)


class RRSetOracle:
    """A :class:`~infmax.diffusion.oracle.SpreadOracle` over a fixed RR-set collection.

    ``oracle(ids)`` is ``R.estimate(ids).mean``: ``L`` times the fraction of the sets that
    ``ids`` hits. Deterministic and monotone submodular in ``ids`` (a coverage function), so
    CELF's lazy evaluation is exact over it and ``celf(G, k, oracle=RRSetOracle(R))`` picks what
    greedy max coverage picks (up to ties).

    Parameters
    ----------
    R : RRSets
        A non-empty collection.

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.sampling import RRSetOracle, sample_rr_sets
    >>> G = im.from_edges([0, 1, 2], [1, 2, 3], weights=1.0)
    >>> oracle = RRSetOracle(sample_rr_sets(G, 500, rng=1))
    >>> oracle(G.node_ids([0]))     # node 0 reaches all 4 nodes
    4.0
    >>> im.celf(G, 1, oracle=oracle).seeds
    (0,)
    """

    def __init__(self, R: RRSets) -> None:
        if not isinstance(R, RRSets):
            fail("RRSetOracle", "R", "an RRSets collection (sample_rr_sets)", type(R).__name__)
        if R.n_sets == 0:
            fail("RRSetOracle", "R", "a non-empty collection", "0 sets")
        self.R = R
        self.n = R.n

    def __call__(self, ids: ArrayLike) -> float:
        return float(self.R.estimate(np.asarray(ids, dtype=np.int32)).mean)

    def batch(self, sets: Sequence[ArrayLike]) -> np.ndarray:
        return np.array([self(s) for s in sets], dtype=np.float64)

    def __repr__(self) -> str:
        return f"RRSetOracle({self.R.n_sets:,} sets, n={self.n})"
