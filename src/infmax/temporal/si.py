"""The SI model on snapshot graphs: Monte Carlo spread and a reusable oracle.

Model (BOPIM paper [1]_, Sec. 1.1): the seeds are infected at t = 0; in
snapshot t each infected node infects each susceptible neighbour *of that snapshot* with
probability ``beta``, independently; infections take effect at t + 1 (synchronous). The spread
is the expected number of infected nodes (seeds included) after the last snapshot.

"Per contact" here means per distinct neighbour pair per snapshot, as in the authors' code (each
snapshot is a simple graph built with networkx, so repeated contacts of a pair in one window
give one chance). Cut the events into more snapshots to give frequent contacts more chances.

See Also
--------
infmax.temporal.bopim : Bayesian optimisation of seed sets over this model.

References
----------
.. [1] Eric Yanchenko, "BOPIM: Bayesian Optimization for influence maximization on
   temporal networks", arXiv:2308.04700.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numba
import numpy as np

from .. import _memory
from .._interrupt import checkpoint, interruptible
from .._validation import Interval, check, check_graph
from ..random import as_generator, block_seeds
from ..results import SpreadEstimate

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph.temporal import TemporalGraph
    from ..random import RngLike

__all__ = ["si_spread", "SIOracle", "BLOCK_SIZE"]

#: simulations per block of the kernel (fixed: results do not depend on the thread count)
BLOCK_SIZE = 64
#: below this many simulations in one call the single-thread kernel is used (same result)
PARALLEL_MIN = 512


def _check_tg(TG, func):
    check_graph(func, TG, param="TG", temporal=True)


def _check_beta(beta, func):
    return check(func, "beta", beta, Interval(float, 0, 1))


def si_counts_ids(TG: TemporalGraph, seed_sets: Sequence[ArrayLike], *, beta: float,
                  n_simulations: int, rng: RngLike, max_memory: int | None = None,
                  func: str = "si_spread") -> np.ndarray:
    """Count the final infected ``(len(seed_sets), n_simulations)`` of int32 id arrays (no checks).

    The counts (4 bytes per simulation and set) and the block seeds are checked against
    ``max_memory`` (default: the available memory minus a margin) before they are allocated.
    The kernel runs on chunks of blocks of bounded worst-case work inside an interruptible
    section (Ctrl-C: KeyboardInterrupt between two calls); the chunking never changes the
    counts.
    """
    from .._kernels.temporal import si_jobs, si_jobs_serial
    from ..diffusion.montecarlo import WORK_PER_CALL

    sets = [np.asarray(s, dtype=np.int32) for s in seed_sets]
    ptr = np.zeros(len(sets) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([s.shape[0] for s in sets])
    nodes = np.concatenate(sets) if sets else np.empty(0, np.int32)
    n_sims = int(n_simulations)
    n_blocks = -(-n_sims // BLOCK_SIZE)
    n_jobs = len(sets) * n_blocks
    limit = _memory.resolve_limit(func, max_memory)
    hint = "use fewer simulations (n_simulations; CLI: --simulations) or raise max_memory"
    _memory.check(func, 4.0 * len(sets) * n_sims + 8.0 * n_jobs, limit,
                  what=f"the counts of {len(sets):,} x {n_sims:,} SI simulations", hint=hint)
    with _memory.guard(func, what=f"the counts of {len(sets):,} x {n_sims:,} SI simulations",
                       hint=hint):
        seeds = block_seeds(rng, n_jobs)
        out = np.zeros((len(sets), n_sims), dtype=np.int32)
    # thread start-up costs more than a few thousand simulations; same blocks either way
    parallel = len(sets) * n_sims >= PARALLEL_MIN
    kernel = si_jobs if parallel else si_jobs_serial
    width = numba.get_num_threads() if parallel else 1
    # worst case of one simulation: every node infected in every snapshot, every arc scanned
    per_sim = TG.T * TG.n + TG.indices.shape[0] + TG.n + 1
    per_call = max(1, WORK_PER_CALL // (BLOCK_SIZE * per_sim)) * width
    nodes = nodes.astype(np.int32)
    with interruptible():
        for lo in range(0, n_jobs, per_call):
            kernel(TG.indptr, TG.indices, TG.n, TG.T, ptr, nodes, float(beta), n_sims,
                   BLOCK_SIZE, seeds, lo, min(n_jobs, lo + per_call), out)
            checkpoint()
    return out


def _estimate(counts: np.ndarray) -> SpreadEstimate:
    c = counts.astype(np.float64)
    return SpreadEstimate.from_samples(float(c.sum()), float((c * c).sum()), c.shape[0],
                                       model="si")


def si_spread(TG: TemporalGraph, seeds: ArrayLike, *, beta: float, n_simulations: int = 10_000,
              rng: RngLike = None, max_memory: int | None = None) -> SpreadEstimate:
    """Monte Carlo estimate of the SI spread of ``seeds`` on a temporal graph.

    Parameters
    ----------
    TG : TemporalGraph
    seeds : iterable of labels
    beta : float in [0, 1]
        Infection probability per infected-susceptible neighbour pair per snapshot.
    n_simulations : int
    rng : None, int, SeedSequence or Generator
    max_memory : int, optional
        Bytes the per-simulation counts (4 per simulation) may take; default: the available
        memory minus a margin. Checked before allocating (MemoryLimitError).

    Returns
    -------
    SpreadEstimate
        mean (seeds included), standard error and 95 % interval.

    Notes
    -----
    Cost ``O(n_simulations * (T * |I| + arcs touched))``; numba, parallel over fixed blocks of
    64 simulations with per-block seeds, identical for any thread count.

    Examples
    --------
    >>> from infmax.graph.temporal import TemporalGraph
    >>> TG = TemporalGraph.from_events([1, 2], [2, 3], [0, 1], snapshots=2)
    >>> si_spread(TG, [1], beta=1.0, n_simulations=100, rng=0).mean
    3.0
    """
    func = "si_spread"
    _check_tg(TG, func)
    beta = _check_beta(beta, func)
    n_simulations = check(func, "n_simulations", n_simulations, Interval(int, 1, None))
    ids = np.unique(TG.node_ids(seeds, param="seeds", func=func))
    gen = as_generator(rng, func=func)
    counts = si_counts_ids(TG, [ids], beta=beta, n_simulations=n_simulations, rng=gen,
                           max_memory=max_memory)[0]
    return _estimate(counts)


class SIOracle:
    """SI spread oracle over int32 id arrays (a :class:`~infmax.diffusion.SpreadOracle`).

    ``oracle(ids) -> float``. Each call runs ``n_simulations`` fresh simulations (independent
    random numbers per call, drawn from ``rng``), like the authors' ``sigma_mc``.
    ``estimate(ids)`` returns the :class:`SpreadEstimate`; ``many(list_of_id_arrays)`` the
    estimates of several sets from one parallel kernel call, ``batch(...)`` their means. ``n``
    is the number of nodes, ``n_calls`` counts evaluated sets.

    Evaluating sets one by one or in one batch gives the same values for the same ``rng``
    state: the block seeds of a batch are the per-set seeds drawn in order.
    """

    def __init__(self, TG: TemporalGraph, *, beta: float, n_simulations: int = 1000,
                 rng: RngLike = None) -> None:
        _check_tg(TG, "SIOracle")
        self.TG = TG
        self.n = TG.n
        self.beta = _check_beta(beta, "SIOracle")
        self.n_simulations = check("SIOracle", "n_simulations", n_simulations,
                                   Interval(int, 1, None))
        self.rng = as_generator(rng, func="SIOracle")
        self.n_calls = 0

    def many(self, sets: Sequence[ArrayLike]) -> list[SpreadEstimate]:
        """Estimate the spreads of several sets of int32 ids, from one kernel run."""
        sets = list(sets)
        if not sets:
            return []
        counts = si_counts_ids(self.TG, sets, beta=self.beta, n_simulations=self.n_simulations,
                               rng=self.rng, func="SIOracle")
        self.n_calls += len(sets)
        return [_estimate(c) for c in counts]

    def batch(self, sets: Sequence[ArrayLike]) -> np.ndarray:
        """Mean spreads of several sets (float64 array), from one kernel run."""
        return np.array([e.mean for e in self.many(sets)], dtype=np.float64)

    def estimate(self, ids: ArrayLike) -> SpreadEstimate:
        """Estimate the spread (with stderr) of one set of int32 ids."""
        return self.many([ids])[0]

    def __call__(self, ids: ArrayLike) -> float:
        """Return the estimated spread (mean only) of one set of int32 ids."""
        return self.estimate(ids).mean
