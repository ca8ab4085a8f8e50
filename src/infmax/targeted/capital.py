"""Capital of a seed set: the expected score mass of the activated targets."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from .._validation import Interval, check, check_choice, check_graph, fail
from ..diffusion import spread
from ..results import SpreadEstimate
from ..sampling import sample_rr_sets
from .targets import Targets

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..diffusion import TriggeringModel
    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["capital"]


def capital(G: DiGraph, seeds: ArrayLike, scores: ArrayLike | Mapping | Targets, *,
            tau: float | None = None, top: float | str | None = None,
            model: str | TriggeringModel = "ic", method: str = "mc",
            n_simulations: int = 10_000, n_sets: int = 100_000, rng: RngLike = None,
            n_threads: int | None = None, max_memory: int | None = None) -> SpreadEstimate:
    """Capital ``C(S) = sum_{v in T} l(v) P[v activated by S]`` of the seed set ``S``.

    Parameters
    ----------
    G : DiGraph
    seeds : iterable of labels
        The seed set (duplicates count once; may be empty).
    scores : array of float (length n), mapping label -> score, or Targets
        The target scores ``l(v) >= 0``; a :class:`Targets` already carries its threshold.
    tau, top : optional
        Threshold of the targets ``T = {v : l(v) >= tau}``, ``top`` as a share of the nodes
        (``0.25`` or ``"25%"``); see :meth:`Targets.from_scores`.
    model : {"ic", "lt"} or TriggeringModel
    method : {"mc", "ris"}
        ``"mc"``: Monte Carlo, :func:`infmax.spread` with ``node_weights`` = ``l`` on ``T``.
        ``"ris"``: ``n_sets`` RR sets with roots drawn in ``T`` with probability ``l(v)/L``
        (:func:`infmax.sample_rr_sets` with ``node_weights``); the estimate is ``L`` times the
        fraction of the sets that ``S`` hits (a set hit by several seeds counts once).
    n_simulations : int >= 1
        Cascades for ``"mc"``.
    n_sets : int >= 1
        RR sets for ``"ris"``.
    rng : None, int, SeedSequence or Generator
        The same ``rng`` gives the same estimate for any thread count.
    n_threads, max_memory : optional
        As in :func:`infmax.spread` / :func:`infmax.sample_rr_sets`.

    Returns
    -------
    SpreadEstimate
        ``mean``, ``stderr``, ``ci95``; ``details`` holds ``method``, ``tau``, ``n_targets``
        and ``L``.

    Raises
    ------
    InvalidParameterError
        Bad scores or threshold, unknown ``method``, or ``"ris"`` with ``L = 0``.

    References
    ----------
    A. Caliò, A. Tagarelli, "Monotone submodular diversity functions for categorical vectors
    with application to diversification of seeds for targeted influence maximization",
    Sect. 3 (capital, Eq. 1) and Sect. 5.1 (RIS with target-weighted roots).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.from_edges([0, 1], [1, 2], weights=0.5)
    >>> est = im.capital(G, [0], [0.0, 1.0, 2.0], tau=1.0, n_simulations=20_000, rng=1)
    >>> abs(est.mean - (1.0 * 0.5 + 2.0 * 0.25)) < 4 * est.stderr
    True
    """
    func = "capital"
    check_graph(func, G)
    T = Targets.from_scores(scores, tau=tau, top=top, G=G, func=func)
    if T.scores.shape[0] != G.n:
        fail(func, "scores", f"{G.n} scores (one per node)", T.scores.shape[0])
    method = check_choice(func, "method", method, ("mc", "ris"))
    if seeds is None:
        fail(func, "seeds", "a list of node labels", seeds)
    ids = G.node_ids(seeds, param="seeds", func=func)
    info = {"method": method, "tau": T.tau, "n_targets": T.n_targets, "L": T.L}
    if method == "mc":
        n_simulations = check(func, "n_simulations", n_simulations, Interval(int, 1, None))
        est = spread(G, seeds, model=model, n_simulations=n_simulations, rng=rng,
                     node_weights=T.weights, n_threads=n_threads, max_memory=max_memory)
    else:
        n_sets = check(func, "n_sets", n_sets, Interval(int, 1, None))
        if not T.L > 0:
            fail(func, "scores", "positive on at least one target (RIS draws roots with "
                 "probability l(v)/L)", f"L = {T.L:g}")
        R = sample_rr_sets(G, n_sets, model=model, node_weights=T.weights, rng=rng,
                           n_threads=n_threads, max_memory=max_memory)
        est = R.estimate(ids)
    return dataclasses.replace(est, details=MappingProxyType({**est.details, **info}))
