"""Baselines of the BOPIM paper.

Greedy (CELF over SI Monte Carlo), random, degree-proportional random and Dynamic Degree
(Murata & Koga 2018).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .._validation import Interval, check, check_k
from ..algorithms.oracle_greedy import celf as _celf
from ..random import as_generator
from ..results import SeedResult, Stopwatch, make_result
from .si import SIOracle, _check_beta, _check_tg

if TYPE_CHECKING:
    from ..graph.temporal import TemporalGraph
    from ..random import RngLike

__all__ = ["celf", "random_seeds", "random_degree", "dynamic_degree", "dynamic_degrees"]


def celf(TG: TemporalGraph, k: int, *, beta: float, n_simulations: int = 100, rng: RngLike = None,
         progress: bool | None = None) -> SeedResult:
    """CELF over the SI Monte Carlo oracle (the BOPIM paper's "greedy" baseline).

    :func:`infmax.algorithms.celf` with :class:`~infmax.temporal.si.SIOracle` as its oracle.
    As in the authors' code, every node's singleton spread is estimated first (``n`` oracle
    calls, in batched parallel kernel calls); then CELF (Leskovec et al. 2007) re-evaluates the
    top of the queue, ``sigma(S + v) - sigma(S)`` with ``n_simulations`` fresh simulations per
    evaluation (default 100, the authors' setting), until the top node has been re-evaluated in
    the current round; ``sigma(S)`` is the estimate made when the last seed was accepted. Lazy
    evaluation is justified because the temporal SI spread is submodular (Erkol et al. 2022).
    Registered as ``"celf"`` for temporal input, with the paper's name ``"greedy"`` as an alias
    (the static :func:`infmax.greedy` is plain greedy).

    Returns a :class:`SeedResult` (seeds in selection order; ``spread`` = the oracle's estimate
    of the final set; ``record``: ``marginal_gains``, ``spreads``, ``oracle_calls``,
    ``lookups_saved``). Cost ``O((n + lookups) * n_simulations)`` SI simulations.
    """
    func = "celf"
    _check_tg(TG, func)
    k = check_k(func, k, TG.n)
    beta = _check_beta(beta, func)
    n_simulations = check(func, "n_simulations", n_simulations, Interval(int, 1, None))
    oracle = SIOracle(TG, beta=beta, n_simulations=n_simulations,
                      rng=as_generator(rng, func=func))
    res = _celf(TG, k, oracle=oracle, progress=progress)
    return replace(res, params={**res.params, "oracle": "SIOracle", "beta": beta,
                                "n_simulations": n_simulations, "snapshots": TG.T})


def random_seeds(TG: TemporalGraph, k: int, *, rng: RngLike = None) -> SeedResult:
    """``k`` seeds uniformly at random (the paper's Random)."""
    _check_tg(TG, "random_seeds")
    k = check_k("random_seeds", k, TG.n)
    gen = as_generator(rng, func="random_seeds")
    sw = Stopwatch()
    S = gen.choice(TG.n, size=k, replace=False).astype(np.int32)
    return make_result(TG, "random", S, params={"k": k}, stopwatch=sw)


def random_degree(TG: TemporalGraph, k: int, *, rng: RngLike = None) -> SeedResult:
    """``k`` seeds drawn without replacement proportionally to aggregated degree (Random Degree)."""
    from .bopim import degree_probabilities, sample_degree_set

    _check_tg(TG, "random_degree")
    k = check_k("random_degree", k, TG.n)
    gen = as_generator(rng, func="random_degree")
    sw = Stopwatch()
    S = sample_degree_set(gen, degree_probabilities(TG), k)
    return make_result(TG, "random-degree", S, params={"k": k}, stopwatch=sw)


def dynamic_degrees(TG: TemporalGraph) -> np.ndarray:
    """Dynamic degree of every node (Murata & Koga 2018, p. 6, as the BOPIM authors compute it).

    ``D_v = sum_{t=1}^{T-1} |N_t(v)| * |N_{t-1}(v) minus N_t(v)| / |N_{t-1}(v) ∪ N_t(v)|`` (terms
    with an empty union are 0), with ``N_t(v)`` the neighbours of ``v`` in snapshot ``t``.
    """
    _check_tg(TG, "dynamic_degrees")
    n, T = TG.n, TG.T
    D = np.zeros(n, dtype=np.float64)
    for v in range(n):
        prev = TG.neighbors(v, 0)
        for t in range(1, T):
            cur = TG.neighbors(v, t)
            if prev.shape[0] or cur.shape[0]:
                union = np.union1d(prev, cur).shape[0]
                lost = np.setdiff1d(prev, cur, assume_unique=True).shape[0]
                D[v] += cur.shape[0] * lost / union
            prev = cur
    return D


def dynamic_degree(TG: TemporalGraph, k: int, *, beta: float) -> SeedResult:
    """Dynamic Degree Discount (Murata & Koga 2018) on snapshot graphs.

    Base scores ``D_v`` from :func:`dynamic_degrees`; then, like degree discount (Chen et al.
    2009), pick the top score, and for every aggregated neighbour ``u`` of the pick set
    ``t_u += 1`` and ``dd_u = D_u - 2 t_u - (D_u - t_u) t_u beta``. Deviation from the authors'
    code (not copied): their ``dd = DD`` aliases the base scores, so each discount overwrites
    ``D_u`` and later discounts compound; here ``D`` stays fixed. Cost ``O(T * arcs + k * n)``.
    """
    func = "dynamic_degree"
    _check_tg(TG, func)
    k = check_k(func, k, TG.n)
    beta = _check_beta(beta, func)
    sw = Stopwatch()
    with sw("scores"):
        D = dynamic_degrees(TG)
    dd = D.copy()
    tcount = np.zeros(TG.n, dtype=np.float64)
    chosen = np.zeros(TG.n, dtype=bool)
    G = TG.to_static()
    S = []
    for _ in range(k):
        cand = np.where(chosen, -np.inf, dd)
        v = int(np.argmax(cand))
        S.append(v)
        chosen[v] = True
        nb = G.indices[G.indptr[v]:G.indptr[v + 1]]
        if TG.directed:
            nb = np.union1d(nb, G.rindices[G.rindptr[v]:G.rindptr[v + 1]])
        tcount[nb] += 1
        dd[nb] = D[nb] - 2 * tcount[nb] - (D[nb] - tcount[nb]) * tcount[nb] * beta
    return make_result(TG, "dynamic-degree", S, params={"k": k, "beta": beta, "snapshots": TG.T},
                       stopwatch=sw, record={"dynamic_degree": D[S].tolist()})
