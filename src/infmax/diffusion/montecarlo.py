"""Monte Carlo expected spread: :func:`spread`, :func:`spread_ids`, :class:`MonteCarloOracle`.

Simulations are cut into fixed blocks of :data:`BLOCK_SIZE`; block ``b`` runs on its own
SplitMix64 stream seeded by ``infmax.random.block_seeds(rng, n_blocks)[b]``. The serial numba
kernel (:func:`infmax._kernels.forward.forward_blocks_serial`, ``nogil``) runs tasks of blocks
on numba's thread count of Python threads (:func:`infmax._kernels._threads.run_tasks`, which
hands tasks out dynamically) and stores the sum and sum of squares of each block, which Python
adds in block order. Hence the result depends only on ``rng`` and ``n_simulations``: not on the
thread count, nor on how the blocks are handed to the kernel.

Python calls the kernel on chunks of blocks inside an :func:`infmax._interrupt.interruptible`
section, with a :func:`~infmax._interrupt.checkpoint` after each call, so Ctrl-C (and the CLI's
SIGTERM) stop a long run between two kernel calls, never inside one. A task of blocks is
bounded by *work*: at most :data:`WORK_PER_CALL` elementary steps in the worst case (a cascade
that reaches every node and arc; on Epinions one block of 64 simulations per task). A call
holds one such bound per thread, or more tasks when the blocks timed so far say they take
:data:`CALL_SECONDS` (cascades are independent and identically distributed, so the rate of the
first blocks predicts the next ones): a few calls of ~0.1 s, each well under a second.

Memory: the per-block seeds and sums (24 bytes per block of 64 simulations) are the only
arrays that grow with ``n_simulations``; they are checked against ``max_memory`` (default: the
available memory minus a margin) before anything is allocated.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from .. import _memory
from .._interrupt import checkpoint, interruptible
from .._kernels import forward as _fw
from .._kernels._threads import current_threads, run_tasks, threads
from .._progress import Progress, progress_enabled
from .._validation import Interval, check, check_graph, check_node_values, fail
from ..random import as_generator, block_seeds, n_blocks_for
from ..results import SpreadEstimate
from .models import TriggeringModel, model_name, resolve_model

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import ArrayLike, DTypeLike

    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["spread", "spread_ids", "MonteCarloOracle", "BLOCK_SIZE", "WORK_PER_CALL"]

BLOCK_SIZE = 64
#: worst-case elementary steps (node pops, arc scans) per worker thread and kernel call
WORK_PER_CALL = 1 << 25
#: bytes per block that grow with n_simulations: its seed, its sum and its sum of squares
BYTES_PER_BLOCK = 24
_SERIAL_MAX_S = 2e-3  # remaining work (estimated) below which blocks run without threads
#: seconds a kernel call aims at (measured rate; the worst-case bound also applies per task)
CALL_SECONDS = 0.1
_F64 = np.zeros(0, dtype=np.float64)  # "no node weights"
_F64.setflags(write=False)


def _ro(a: ArrayLike, dtype: DTypeLike) -> np.ndarray:
    """Return a read-only contiguous view (one numba signature for every call; caller untouched)."""
    a = np.ascontiguousarray(a, dtype=dtype)
    if a.flags.writeable:
        a = a.view()
        a.setflags(write=False)
    return a


def ic_thresholds(probs: np.ndarray) -> np.ndarray:
    """``ceil(p * 2**53)`` as uint64: ``(z >> 11) < thr`` is exactly ``uniform < p``."""
    t = np.ceil(np.asarray(probs, dtype=np.float64) * 9007199254740992.0).astype(np.uint64)
    t.setflags(write=False)
    return t


ForwardArrays = _fw.ICArrays | _fw.LTArrays | _fw.TriggeringArrays


def kernel_args(G: DiGraph, model: str | TriggeringModel) -> ForwardArrays:
    """Build the forward kernels' model argument: one NamedTuple of read-only arrays.

    :class:`~infmax._kernels.forward.ICArrays` (out-CSR + integer thresholds),
    :class:`~infmax._kernels.forward.LTArrays` (out-CSR + weights) or
    :class:`~infmax._kernels.forward.TriggeringArrays` (out-CSR, in-CSR, the model's options).
    The derived arrays are computed once per graph (``DiGraph._memo``).
    """
    indptr, indices = _ro(G.indptr, np.int64), _ro(G.indices, np.int32)
    if model == "ic":
        thr = G._memo("diffusion.ic_thresholds", lambda: ic_thresholds(G.probs))
        return _fw.ICArrays(indptr, indices, thr)
    if model == "lt":
        w = G._memo("diffusion.lt_weights", lambda: _ro(G.probs, np.float64))
        return _fw.LTArrays(indptr, indices, w)
    tm: TriggeringModel = model
    rev = G._memo("diffusion.rev_perm64", lambda: _ro(G.rev_perm, np.int64))
    return _fw.TriggeringArrays(
        indptr, indices, _ro(G.rindptr, np.int64), rev, kind=_ro(tm.kind, np.int8),
        in_probs=_ro(tm.in_probs, np.float64), opt_ptr=_ro(tm.opt_ptr, np.int64),
        opt_prob=_ro(tm.opt_prob, np.float64), mem_ptr=_ro(tm.mem_ptr, np.int64),
        mem=_ro(tm.mem, np.int64))


def max_blocks_per_call(G_or_n: DiGraph | int, m: int | None = None) -> int:
    """Return the blocks one worker may run per kernel call: :data:`WORK_PER_CALL` / worst case.

    The worst case of one simulation touches every node once and every arc twice (its scan,
    and for triggering models the draw of the head's trigger set): ``n + 2 m + 1`` steps.
    """
    if m is None:
        n, m = G_or_n.n, G_or_n.m
    else:
        n = G_or_n
    return max(1, WORK_PER_CALL // (BLOCK_SIZE * (int(n) + 2 * int(m) + 1)))


def check_blocks_memory(func: str, n_blocks: int, max_memory: int | None) -> None:
    """MemoryLimitError before allocating, if the per-block arrays of a run do not fit."""
    limit = _memory.resolve_limit(func, max_memory)
    _memory.check(func, BYTES_PER_BLOCK * float(n_blocks), limit,
                  what=f"the per-block seeds and sums of {n_blocks:,} blocks of {BLOCK_SIZE} "
                       "simulations",
                  hint="use fewer simulations (n_simulations; CLI: --simulations) or raise "
                       "max_memory")


def new_block_seeds(func: str, gen: np.random.Generator, n_blocks: int,
                    max_memory: int | None) -> np.ndarray:
    """:func:`infmax.random.block_seeds` after the memory check, allocation guarded."""
    check_blocks_memory(func, n_blocks, max_memory)
    with _memory.guard(func, what=f"the seeds of {n_blocks:,} simulation blocks",
                       hint="use fewer simulations (n_simulations; CLI: --simulations)"):
        return block_seeds(gen, n_blocks)


def run_blocks(args: ForwardArrays, seeds: np.ndarray, bseeds: np.ndarray, n_sims: int,
               nw: np.ndarray, *, progress: bool | None = None, desc: str = "spread",
               max_chunk: int | None = None) -> tuple[float, float]:
    """Return the sum and sum of squares over all blocks, calling the kernel on chunks of them.

    Each task runs at most ``max_chunk`` blocks (default :func:`max_blocks_per_call` of the
    graph in ``args``); each call runs ``max_chunk`` blocks per worker thread, or as many as
    the measured rate fits in :data:`CALL_SECONDS`, inside an interruptible section with a
    checkpoint after every call. The chunking never changes the result: block ``b``
    always runs on ``bseeds[b]`` and the block sums are added in block order at the end.
    """
    nb = bseeds.shape[0]
    n_workers = current_threads()
    if max_chunk is None:
        max_chunk = max_blocks_per_call(args.indptr.shape[0] - 1, args.indices.shape[0])
    func = desc
    with _memory.guard(func, what=f"the sums of {nb:,} simulation blocks",
                       hint="use fewer simulations (n_simulations; CLI: --simulations)"):
        sums = np.zeros(nb, dtype=np.float64)
        sumsqs = np.zeros(nb, dtype=np.float64)
    bar = Progress(n_sims, desc, progress) if progress_enabled(progress) else None
    kernel = _fw.forward_blocks_serial

    def task(first, stop, per_task):
        def run(w, j):  # noqa: ARG001 - the serial kernel allocates its own scratch
            a = first + j * per_task
            b = min(a + per_task, stop)
            kernel(args, seeds, bseeds[a:b], BLOCK_SIZE, n_sims, a, 1, nw, sums[a:b],
                   sumsqs[a:b])
        return run

    # The first block runs alone and is timed: small jobs (cheap cascades, few blocks) stay on
    # one thread. Later calls hand tasks of blocks to the workers (run_tasks: dynamic, so a
    # descheduled thread takes fewer). Which thread runs a block never changes its result.
    # A task holds at most max_chunk blocks (the worst-case work bound); a call holds as many
    # tasks as the worst-case bound allows for all workers, or, when more, as many as the
    # blocks measured so far say take CALL_SECONDS: few calls, since every call wakes the
    # workers (slow on a virtual machine) and waits for the last of them.
    width = 1
    chunk = 1
    start = 0
    per_block = None      # measured seconds per block and worker
    try:
        with interruptible():
            while start < nb:
                limit = max_chunk * width
                if per_block is not None:
                    limit = max(limit, int(CALL_SECONDS * width / per_block))
                stop = min(nb, start + min(chunk, limit))
                per_task = max(1, min(max_chunk, -(-(stop - start) // (4 * width))))
                t0 = time.perf_counter()
                run_tasks(-(-(stop - start) // per_task), task(start, stop, per_task), width)
                dt = time.perf_counter() - t0
                checkpoint()
                per_block = dt * width / (stop - start)
                if width == 1 and n_workers > 1 and per_block * (nb - stop) > _SERIAL_MAX_S:
                    width = n_workers
                    chunk = max(8 * n_workers, 8)
                if bar is not None:
                    bar.update(min(n_sims, stop * BLOCK_SIZE) - min(n_sims, start * BLOCK_SIZE))
                start = stop
                if dt < CALL_SECONDS / 2:
                    chunk = min(chunk * 4, 1 << 16)
                elif dt < CALL_SECONDS:
                    chunk = min(chunk * 2, 1 << 16)
                elif dt > 5 * CALL_SECONDS:
                    chunk = max(chunk // 2, n_workers)
    finally:
        if bar is not None:
            bar.close()
    return float(np.sum(sums)), float(np.sum(sumsqs))


def _estimate(G: DiGraph, model: str | TriggeringModel, seed_ids: np.ndarray, n_sims: int,
              bseeds: np.ndarray, nw: np.ndarray, *, progress: bool | None = None,
              args: ForwardArrays | None = None, desc: str = "spread") -> SpreadEstimate:
    args = kernel_args(G, model) if args is None else args
    seeds = _ro(seed_ids, np.int32)
    t0 = time.perf_counter()
    if seeds.shape[0] == 0:
        s = s2 = 0.0
    else:
        s, s2 = run_blocks(args, seeds, bseeds, n_sims, nw, progress=progress, desc=desc)
    return SpreadEstimate.from_samples(
        s, s2, n_sims, model=model_name(model),
        details={"seconds": time.perf_counter() - t0, "block_size": BLOCK_SIZE,
                 "n_blocks": int(bseeds.shape[0]), "weighted": nw.shape[0] > 0})


def _node_weights(node_weights: ArrayLike | None, n: int, func: str) -> np.ndarray:
    if node_weights is None:
        return _F64
    w = check_node_values(func, "node_weights", node_weights, n)
    return _ro(w, np.float64)


def _seed_ids(G: DiGraph, seeds: ArrayLike | None, func: str, *,
              param: str = "seeds") -> np.ndarray:
    if seeds is None:
        fail(func, param, "a list of node labels", seeds)
    ids = G.node_ids(seeds, param=param, func=func)
    # duplicates are de-duplicated (first occurrence kept): the spread of a set
    _, first = np.unique(ids, return_index=True)
    return ids[np.sort(first)]


def spread(G: DiGraph, seeds: ArrayLike, *, model: str | TriggeringModel = "ic",
           n_simulations: int = 10_000, rng: RngLike = None, node_weights: ArrayLike | None = None,
           n_threads: int | None = None, progress: bool | None = None,
           max_memory: int | None = None) -> SpreadEstimate:
    """Monte Carlo estimate of the expected spread of ``seeds`` under ``model``.

    Parameters
    ----------
    G : DiGraph
        The graph (arc probabilities are IC probabilities or LT weights).
    seeds : iterable of labels
        Seed nodes as original labels; duplicates count once.
    model : {"ic", "lt"} or TriggeringModel
        Diffusion model. ``"lt"`` requires in-weights summing to at most 1 per node.
    n_simulations : int >= 1
        Number of independent cascades.
    rng : None, int, SeedSequence or Generator
        Source of the per-block seeds. The same ``rng`` gives the same estimate for any
        thread count.
    node_weights : array of float, length n, optional
        Weighted spread ``E[sum_v l(v) 1{v active}]``; ``None`` counts nodes.
    n_threads : int, optional
        numba threads for this call only (restored afterwards; capped at numba's maximum,
        ``NUMBA_NUM_THREADS``); default: numba's current setting.
    progress : bool, optional
        Progress bar on stderr (``INFMAX_PROGRESS=0/1`` overrides).
    max_memory : int, optional
        Bytes the per-block arrays (24 bytes per 64 simulations) may take; default: the
        available memory minus a margin. Exceeding it raises MemoryLimitError before anything
        is allocated.

    Returns
    -------
    SpreadEstimate
        ``mean``, ``stderr``, ``ci95``, ``n_simulations``.

    Raises
    ------
    MemoryLimitError
        ``n_simulations`` needs more memory than ``max_memory``.
    KeyboardInterrupt
        On Ctrl-C (:class:`~infmax._interrupt.Terminated` on the CLI's SIGTERM), raised between
        two bounded kernel calls.

    Notes
    -----
    O(n_simulations * (arcs scanned per cascade)). Simulations run in blocks of 64 with one
    SplitMix64 stream per block (see the module docstring); the kernel is called on chunks of
    blocks bounded by work so Ctrl-C interrupts a long run cleanly (KeyboardInterrupt) without
    changing what a completed run returns.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1], [1, 2, 2], directed=True, weights=0.5)
    >>> est = im.spread(G, [0], n_simulations=20_000, rng=1)
    >>> abs(est.mean - im.exact_spread(G, [0])) < 4 * est.stderr
    True
    """
    func = "spread"
    check_graph(func, G)
    m = resolve_model(model, G, func=func)
    n_sims = check(func, "n_simulations", n_simulations, Interval(int, 1, None))
    ids = _seed_ids(G, seeds, func)
    nw = _node_weights(node_weights, G.n, func)
    if n_threads is not None:
        n_threads = check(func, "n_threads", n_threads, Interval(int, 1, None))
    gen = as_generator(rng, func=func)
    bseeds = new_block_seeds(func, gen, n_blocks_for(n_sims, BLOCK_SIZE), max_memory)
    with threads(n_threads):
        return _estimate(G, m, ids, n_sims, bseeds, nw, progress=progress)


def spread_ids(G: DiGraph, seed_ids: ArrayLike, *, model: str | TriggeringModel = "ic",
               n_simulations: int = 10_000, rng: RngLike = None,
               node_weights: ArrayLike | None = None) -> SpreadEstimate:
    """:func:`spread` for int32 ids without validation (the fast path for other modules).

    ``model`` must already be resolved (``"ic"``, ``"lt"`` or a TriggeringModel) and
    ``node_weights`` a float64 array of length n or None. The memory check of :func:`spread`
    (default limit) still applies.
    """
    nw = _F64 if node_weights is None else _ro(node_weights, np.float64)
    if isinstance(model, str):
        model = model.lower()
    nb = n_blocks_for(n_simulations, BLOCK_SIZE)
    bseeds = new_block_seeds("spread", as_generator(rng, func="spread_ids"), nb, None)
    return _estimate(G, model, np.asarray(seed_ids, dtype=np.int32), int(n_simulations), bseeds,
                     nw)


class MonteCarloOracle:
    """A :class:`~infmax.diffusion.oracle.SpreadOracle` backed by Monte Carlo simulation.

    ``oracle(seed_ids) -> float``; ``oracle.batch(list_of_id_arrays)`` evaluates several sets
    (with common random numbers: each on the same block seeds).

    Parameters
    ----------
    G : DiGraph
    model : {"ic", "lt"} or TriggeringModel
    n_simulations : int >= 1
        Simulations per call.
    rng : None, int, SeedSequence or Generator
    common_random_numbers : bool
        True (default): every call uses the same block seeds, so two seed sets are compared
        on the same random coins (smaller variance of marginal gains; a deterministic
        oracle, which CELF relies on for reproducibility). False: fresh seeds per call.
    node_weights : array of float, optional
        Weighted spread (see :func:`spread`).
    max_memory : int, optional
        Bound on the per-block arrays, as in :func:`spread` (checked here, once).

    Attributes
    ----------
    n : int
        Number of nodes of ``G`` (the protocol's size).
    n_calls : int
        Number of evaluations (seed sets evaluated) so far.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1], [1, 2, 2], directed=True, weights=0.5)
    >>> f = im.MonteCarloOracle(G, n_simulations=2000, rng=3)
    >>> f([0]) == f([0]), f.n_calls
    (True, 2)
    """

    def __init__(self, G: DiGraph, *, model: str | TriggeringModel = "ic",
                 n_simulations: int = 1000, rng: RngLike = None, common_random_numbers: bool = True,
                 node_weights: ArrayLike | None = None, max_memory: int | None = None) -> None:
        func = "MonteCarloOracle"
        check_graph(func, G)
        self.G = G
        self.n = G.n
        self.model = resolve_model(model, G, func=func)
        self.n_simulations = check(func, "n_simulations", n_simulations, Interval(int, 1, None))
        self.common_random_numbers = bool(common_random_numbers)
        self.node_weights = _node_weights(node_weights, G.n, func)
        self._gen = as_generator(rng, func=func)
        self._nb = n_blocks_for(self.n_simulations, BLOCK_SIZE)
        if self.common_random_numbers:
            self._bseeds = new_block_seeds(func, self._gen, self._nb, max_memory)
        else:  # fresh seeds per call: same size, checked once here
            check_blocks_memory(func, self._nb, max_memory)
            self._bseeds = None
        self._args = kernel_args(G, self.model)
        self.n_calls = 0

    def estimate(self, seed_ids: ArrayLike) -> SpreadEstimate:
        """Spread estimate (with stderr) of int32 ids."""
        self.n_calls += 1
        bseeds = self._bseeds if self._bseeds is not None else block_seeds(self._gen, self._nb)
        return _estimate(self.G, self.model, np.asarray(seed_ids, dtype=np.int32),
                         self.n_simulations, bseeds, self.node_weights, args=self._args,
                         desc="MonteCarloOracle")

    def __call__(self, seed_ids: ArrayLike) -> float:
        """Return the estimated spread (mean only) of int32 ids."""
        return self.estimate(seed_ids).mean

    def batch(self, sets: Sequence[ArrayLike]) -> np.ndarray:
        """Spreads of several sets of int32 ids (float64 array), one estimate per set."""
        return np.array([self.estimate(s).mean for s in sets], dtype=np.float64)

    def __repr__(self) -> str:
        return (f"MonteCarloOracle(model={model_name(self.model)!r}, "
                f"n_simulations={self.n_simulations}, crn={self.common_random_numbers}, "
                f"n_calls={self.n_calls})")
