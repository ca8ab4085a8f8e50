"""Greedy maximum coverage over RR sets, and the plumbing the RIS selectors share.

:func:`max_coverage` is the node-selection step of IMM, TIM+ and OPIM-C: pick ``k`` nodes
covering the most RR sets. Greedy gives a ``(1 - 1/e)`` approximation of the best coverage
(Nemhauser, Wolsey, Fisher 1978).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._kernels import coverage as _cov
from .._validation import Interval, check, fail
from ..diffusion.models import TriggeringModel, model_name
from ..sampling._rrsets import RRSets, check_node_weights, check_rr_model
from ._common import check_budget, resolve_candidates

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
        return self.covered / self.n_sets if self.n_sets else 0.0


def _greedy(R: RRSets, k: int, cand_u8: np.ndarray, upper: bool = False) -> Coverage:
    inv_ptr, inv_sets = R.inverted_index()
    seeds, gains, covered, ub = _cov.greedy_cover(R.n, k, R._nodes, R._offsets, R.n_sets,
                                                  inv_ptr, inv_sets, cand_u8, upper)
    return Coverage(seeds, gains, int(covered), R.n_sets, int(ub) if upper else None)


def max_coverage(rr_sets: RRSets, k, *, candidates=None, upper_bound: bool = False) -> Coverage:
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
    return _greedy(rr_sets, k, mask, upper_bound)


def _cand_u8(func, candidates, n, k):
    if candidates is None:
        return np.ones(n, dtype=np.uint8)
    m = np.asarray(candidates)
    if m.dtype != bool or m.shape != (n,):
        fail(func, "candidates", f"a bool mask of length n={n}", f"array {m.dtype} {m.shape}")
    if int(m.sum()) < k:
        fail(func, "k", f"an int <= the number of candidates ({int(m.sum())})", k)
    return m.astype(np.uint8)


# -- shared by imm / tim_plus / opim_c ---------------------------------------------------------

def log_comb(n: int, k: int) -> float:
    """``ln C(n, k)`` via lgamma."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@dataclass
class RISSetup:
    k: int
    model: str | TriggeringModel
    epsilon: float
    ell: float
    weights: np.ndarray | None
    mask: np.ndarray | None
    cand_u8: np.ndarray
    n_cand: int
    L: float
    lb0: float
    n_threads: int | None
    max_memory: int | None

    @property
    def model_name(self) -> str:
        """``"ic"``, ``"lt"`` or the TriggeringModel's name (what results record)."""
        return model_name(self.model)


def ris_setup(func, G, k, *, model, epsilon, ell, node_weights, candidates, n_threads,
              max_memory) -> RISSetup:
    """Validate the common RIS parameters once (public boundary)."""
    import numba

    model = check_rr_model(func, model, G)
    epsilon = check(func, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    ell = check(func, "ell", ell, Interval(float, 0, None, closed="neither"))
    w = check_node_weights(func, node_weights, G.n)
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    if n_threads is not None:
        n_threads = check(func, "n_threads", n_threads,
                          Interval(int, 1, numba.config.NUMBA_NUM_THREADS))
    if max_memory is not None:
        max_memory = check(func, "max_memory", max_memory, Interval(int, 1, None))
    cand_u8 = np.ones(G.n, dtype=np.uint8) if mask is None else mask.astype(np.uint8)
    n_cand = G.n if mask is None else int(mask.sum())
    if w is None:
        L = float(G.n)
        lb0 = float(k)
    else:
        L = float(w.sum())
        cw = w if mask is None else w[mask]
        top = np.sort(cw)[::-1][:k].sum()
        lb0 = float(top) if top > 0 else float(w[w > 0].min())
    return RISSetup(k, model, epsilon, ell, w, mask, cand_u8, n_cand, L, lb0, n_threads,
                    max_memory)
