"""Greedy maximum coverage over RR sets, and the plumbing the RIS selectors share.

:func:`max_coverage` is the node-selection step of IMM, TIM+ and OPIM-C: pick ``k`` nodes
covering the most RR sets. Greedy gives a ``(1 - 1/e)`` approximation of the best coverage
(Nemhauser, Wolsey, Fisher 1978).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _memory
from .._interrupt import checkpoint, interruptible
from .._kernels import coverage as _cov
from .._kernels import reverse as _rev
from .._validation import Interval, check, check_graph, fail
from ..diffusion.models import KIND_CUSTOM, TriggeringModel, model_name
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


#: node scans per greedy kernel call (each step scans the n nodes, twice with the upper bound);
#: keeps each call short so Ctrl-C is honoured between calls
GREEDY_CALL_SCANS = 1 << 25


def _greedy(R: RRSets, k: int, cand_u8: np.ndarray, upper: bool = False) -> Coverage:
    inv_ptr, inv_sets = R.inverted_index()
    per_call = max(1, GREEDY_CALL_SCANS // ((2 if upper else 1) * max(R.n, 1)))
    with interruptible():
        seeds, gains, covered, ub = _cov.greedy_cover(
            R.n, k, R._nodes, R._offsets, R.n_sets, inv_ptr, inv_sets, cand_u8, upper,
            steps_per_call=per_call, between=checkpoint)
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


#: advice of the MemoryLimitError the RIS selectors raise
RIS_MEMORY_HINT = ("use a larger epsilon (fewer sets: theta grows as 1/epsilon^2) or a smaller k, "
                   "or raise max_memory (CLI: --max-memory)")


@dataclass
class RISSetup:
    """Validated parameters of a RIS selector.

    ``lb0`` is an a-priori lower bound of the optimum over the candidates (``k`` for uniform
    roots; see :func:`prior_lower_bound`); ``limit`` the resolved memory limit in bytes
    (``max_memory`` keeps the caller's value for the result's params).
    """

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
    limit: int
    func: str

    @property
    def model_name(self) -> str:
        """``"ic"``, ``"lt"`` or the TriggeringModel's name (what results record)."""
        return model_name(self.model)

    def rr_sets(self, G, gen) -> RRSets:
        """An empty RR store of this run (its memory errors name the selector and advise)."""
        return RRSets(G, self.model, self.weights, gen, n_threads=self.n_threads,
                      max_memory=self.limit, func=self.func, hint=RIS_MEMORY_HINT)

    @property
    def log2_range(self) -> float:
        """``log2(L / lb0)``: doubling steps from ``L`` down to the a-priori bound (>= 1)."""
        return max(math.log2(self.L / self.lb0), 1.0)


def arc_live_prob(G, model) -> np.ndarray:
    """Per in-CSR arc ``(u, v)``: the probability that ``u`` is in ``v``'s trigger set.

    IC: the arc's probability; LT: its weight; a :class:`TriggeringModel`: ``in_probs`` for IC-
    and LT-kind nodes, and for custom nodes the total probability of the options holding the arc.
    """
    if not isinstance(model, TriggeringModel):
        return np.clip(np.asarray(G.rprobs, dtype=np.float64), 0.0, 1.0)
    prob = np.array(model.in_probs, dtype=np.float64)
    custom = np.flatnonzero(model.kind == KIND_CUSTOM)
    if custom.size:
        rptr = np.asarray(G.rindptr, dtype=np.int64)
        heads = np.repeat(np.arange(G.n), np.diff(rptr))
        prob[np.isin(heads, custom)] = 0.0
        opt_of_member = np.repeat(np.arange(model.opt_prob.shape[0]), np.diff(model.mem_ptr))
        np.add.at(prob, model.mem, model.opt_prob[opt_of_member])
    return np.clip(prob, 0.0, 1.0)


def prior_lower_bound(func, G, model, k, weights, mask) -> float:
    """A positive lower bound of the best weighted spread of ``k`` candidates, known a priori.

    Uniform roots: ``k`` (every seed activates itself). Weighted roots: the sum of the ``k``
    largest candidate weights; when that is 0 (no candidate is weighted), the best single
    candidate's one-path bound ``max_u max_v l(v) * P[a given u -> v path is live]``
    (:func:`~infmax._kernels.reverse.best_path_value`). Every bound the selectors start from
    (IMM's ``LB``, TIM+'s default ``KPT*``, OPIM-C's ``theta_max``) must not exceed the optimum,
    or too few sets are drawn. When no candidate reaches a weighted node, every seed set has
    weighted spread 0: :class:`~infmax.exceptions.InvalidParameterError` (``node_weights``).
    """
    if weights is None:
        return float(k)
    cw = weights if mask is None else weights[mask]
    top = float(np.sort(cw)[::-1][:k].sum())
    if top > 0:
        return top
    val = _rev.best_path_value(G.n, np.asarray(G.rindptr, dtype=np.int64),
                               np.asarray(G.rindices, dtype=np.int32), arc_live_prob(G, model),
                               weights)
    best = float(val.max() if mask is None else val[mask].max())
    if not best > 0:
        fail(func, "node_weights",
             "positive on some node a candidate can reach (every seed set has weighted spread "
             "0 otherwise)", "weights that no candidate reaches")
    return best


def ris_setup(func, G, k, *, model, epsilon, ell, node_weights, candidates, n_threads,
              max_memory) -> RISSetup:
    """Validate the common RIS parameters once (public boundary): the graph first."""
    import numba

    check_graph(func, G)
    model = check_rr_model(func, model, G)
    epsilon = check(func, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    ell = check(func, "ell", ell, Interval(float, 0, None, closed="neither"))
    w = check_node_weights(func, node_weights, G.n)
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    if n_threads is not None:
        n_threads = check(func, "n_threads", n_threads,
                          Interval(int, 1, numba.config.NUMBA_NUM_THREADS))
    limit = _memory.resolve_limit(func, max_memory)
    if max_memory is not None:
        max_memory = limit
    cand_u8 = np.ones(G.n, dtype=np.uint8) if mask is None else mask.astype(np.uint8)
    n_cand = G.n if mask is None else int(mask.sum())
    L = float(G.n) if w is None else float(w.sum())
    lb0 = prior_lower_bound(func, G, model, k, w, mask)
    return RISSetup(k, model, epsilon, ell, w, mask, cand_u8, n_cand, L, lb0, n_threads,
                    max_memory, limit, func)
