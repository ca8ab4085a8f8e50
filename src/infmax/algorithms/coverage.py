"""Greedy maximum coverage over RR sets.

:func:`max_coverage` is the node-selection step of IMM, TIM+ and OPIM-C: pick ``k`` nodes
covering the most RR sets. Greedy gives a ``(1 - 1/e)`` approximation of the best coverage
(Nemhauser, Wolsey, Fisher 1978). :func:`greedy_coverage` is the same selection without the
validation, for callers that validated ``k`` and the candidates once (the RIS selectors, via
:mod:`._ris`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._kernels import coverage as _cov
from .._validation import Interval, check, fail
from ..sampling import RRSets

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["max_coverage", "Coverage"]


@dataclass(frozen=True)
class Coverage:
    """Result of :func:`max_coverage`.

    Attributes
    ----------
    seed_ids : numpy.ndarray
        int32 ids in selection order.
    gains : numpy.ndarray
        Sets newly covered by each seed (non-increasing).
    covered : int
        Sets covered by all seeds.
    n_sets : int
        Size of the collection.
    upper : int or None
        With ``upper_bound=True``: an upper bound on the coverage of the best ``k`` candidates,
        ``min_i (cov(S_i) + sum of the k largest marginal coverages w.r.t. S_i)`` over the greedy
        prefixes ``S_0 .. S_k`` (Tang, Tang, Xiao, Yuan SIGMOD 2018, Sec. 4.2).
    """

    seed_ids: np.ndarray
    gains: np.ndarray
    covered: int
    n_sets: int
    upper: int | None = None

    @property
    def fraction(self) -> float:
        """Fraction of the sets covered (0 when there are none)."""
        return self.covered / self.n_sets if self.n_sets else 0.0


#: node scans per greedy kernel call (each step scans the n nodes, twice with the upper bound);
#: keeps each call short so Ctrl-C is honoured between calls
GREEDY_CALL_SCANS = 1 << 25


def greedy_coverage(R: RRSets, k: int, cand_u8: np.ndarray, upper: bool = False) -> Coverage:
    """Cover ``R`` greedily by ``k`` nodes with ``cand_u8[v] != 0``, unvalidated.

    The caller guarantees ``1 <= k <=`` the number of candidates and ``cand_u8`` uint8 of
    length ``R.n``.

    Runs as bounded kernel calls (:data:`GREEDY_CALL_SCANS` node scans each) inside an
    interruptible section with a Ctrl-C checkpoint between them; see :func:`max_coverage`.
    """
    inv_ptr, inv_sets = R.inverted_index()
    per_call = max(1, GREEDY_CALL_SCANS // ((2 if upper else 1) * max(R.n, 1)))
    with interruptible():
        seeds, gains, covered, ub = _cov.greedy_cover(
            R.n, k, R.nodes, R.offsets, R.n_sets, inv_ptr, inv_sets, cand_u8, upper,
            steps_per_call=per_call, between=checkpoint)
    return Coverage(seeds, gains, int(covered), R.n_sets, int(ub) if upper else None)


def max_coverage(rr_sets: RRSets, k: int, *, candidates: ArrayLike | None = None,
                 upper_bound: bool = False) -> Coverage:
    """Greedy maximum coverage of an :class:`~infmax.sampling.RRSets` collection.

    Coverage counts start as the number of sets holding each node (from the inverted index,
    built once by a counting sort); after a seed is chosen, only the sets it newly covers are
    walked and their members' counts decremented, so the whole selection costs
    ``O(entries + k n)``. Ties go to the smallest id.

    Parameters
    ----------
    rr_sets : RRSets
    k : int
    candidates : bool mask of length n, optional
        Nodes allowed as seeds (internal ids).
    upper_bound : bool
        Also compute the OPIM-C upper bound on the optimum coverage (``Coverage.upper``).

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.sampling import sample_rr_sets
    >>> G = im.graph.from_edges([0, 0, 1], [1, 2, 3], weights=1.0)
    >>> max_coverage(sample_rr_sets(G, 100, rng=0), 1).seed_ids.tolist()
    [0]
    """
    func = "max_coverage"
    if not isinstance(rr_sets, RRSets):
        fail(func, "rr_sets", "an RRSets collection", type(rr_sets).__name__)
    k = check(func, "k", k, Interval(int, 1, rr_sets.n))
    mask = _cand_u8(func, candidates, rr_sets.n, k)
    return greedy_coverage(rr_sets, k, mask, upper_bound)


def _cand_u8(func, candidates, n, k):
    if candidates is None:
        return np.ones(n, dtype=np.uint8)
    m = np.asarray(candidates)
    if m.dtype != bool or m.shape != (n,):
        fail(func, "candidates", f"a bool mask of length n={n}", f"array {m.dtype} {m.shape}")
    if int(m.sum()) < k:
        fail(func, "k", f"an int <= the number of candidates ({int(m.sum())})", k)
    return m.astype(np.uint8)
