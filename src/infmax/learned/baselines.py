"""Baselines of the IMINFECTOR experiment: selectors over (training) cascades.

Each one takes ``(cascades, k, *, rng=None, ...)`` like :func:`~infmax.learned.iminfector`
(plus ``graph=`` where a social graph is used) and returns a :class:`~infmax.results.SeedResult`
with the seeds as original labels, in selection order, and per-phase timings. Candidates are
the initiators of the trainable cascades (at least two users), as for IMINFECTOR, so ``k`` is at
most their number and every method draws from the same pool (a seed that started no training
cascade cannot be ranked by the cascade-based methods, and DNI scores only initiators).

- :func:`kcores`: shell index on the social graph, else on the graph derived from the cascades
  (initiator -> each participant); ``record["graph"]`` says which.
- :func:`avg_cascade_size`, :func:`most_cascades`: the initiator's mean cascade size / number of
  cascades started.
- :func:`random_initiators`: uniformly at random.
- :func:`imm_wc`, :func:`imm_db`: IMM (``epsilon=0.1`` as in the paper) on the social graph
  with weighted-cascade weights, or with DATA-BASED weights learned from the cascades
  (:func:`~infmax.learned.databased_weights`).

Examples
--------
>>> from infmax.graph.cascades import Cascades
>>> from infmax.learned import avg_cascade_size, most_cascades
>>> C = Cascades.from_lists([["a", "x"], ["a", "y"], ["b", "x", "y", "z"]],
...                         [[0, 1], [2, 3], [4, 5, 6, 7]])
>>> avg_cascade_size(C, 2).seeds, most_cascades(C, 2).seeds
(('b', 'a'), ('a', 'b'))
"""

from __future__ import annotations

import numpy as np

from .._validation import Interval, check, check_k, fail
from ..algorithms.heuristics import core_numbers, top_k
from ..algorithms.imm import imm
from ..graph import DiGraph
from ..graph.cascades import Cascades
from ..random import RngLike, as_generator
from ..results import SeedResult, Stopwatch, make_result
from .weights import build_graph, databased_weights, derived_graph, shared_ids

__all__ = ["kcores", "avg_cascade_size", "most_cascades", "random_initiators", "imm_wc",
           "imm_db"]


def _pool(func: str, cascades: Cascades, k: object) -> tuple[np.ndarray, int]:
    """Validate ``cascades`` and ``k``; the candidate initiators (ascending ids) and ``k``."""
    if not isinstance(cascades, Cascades):
        fail(func, "cascades", "a Cascades collection", type(cascades).__name__)
    pool = np.unique(cascades.initiators[cascades.trainable]).astype(np.int64)
    return pool, check_k(func, k, int(pool.size))


def _ignore_rng(func: str, rng: RngLike) -> None:
    # deterministic selectors take rng (one signature for every selector) and only validate it
    if rng is not None:
        as_generator(rng, func=func)


def _result(cascades: Cascades, name: str, ids: np.ndarray, sw: Stopwatch, k: int,
            params: dict | None = None, record: dict | None = None,
            spread: float | None = None) -> SeedResult:
    return make_result(cascades, name, np.asarray(ids, dtype=np.int32), stopwatch=sw,
                       params={"k": k, **(params or {})}, record=record, spread=spread)


# -- ranking of initiators by their training cascades ----------------------------------------
def avg_cascade_size(cascades: Cascades, k: int, *, rng: RngLike = None) -> SeedResult:
    """AVG CASCADE SIZE: the ``k`` initiators whose training cascades are largest on average.

    The size of a cascade counts its initiator (``cascades.sizes``); all the cascades an
    initiator started count, single-user ones included. Ties go to the lower id.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    rng : int or Generator, optional
        Validated only (the ranking is deterministic).

    Returns
    -------
    SeedResult
        ``record["scores"]``: the mean cascade size of each seed.
    """
    fn = "avg_cascade_size"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    _ignore_rng(fn, rng)
    with sw("ranking"):
        started = np.bincount(cascades.initiators, minlength=cascades.n_ids)
        total = np.bincount(cascades.initiators, weights=cascades.sizes,
                            minlength=cascades.n_ids)
        score = total / np.maximum(started, 1)
        seeds = top_k(score, pool, k)
    return _result(cascades, "avg-cascade-size", seeds, sw, k,
                   record={"scores": score[seeds].tolist(),
                           "cascades_started": started[seeds].tolist()})


def most_cascades(cascades: Cascades, k: int, *, rng: RngLike = None) -> SeedResult:
    """MOST CASCADES: the ``k`` initiators who started the most training cascades.

    Every cascade counts, single-user ones included; ties go to the lower id.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    rng : int or Generator, optional
        Validated only (the ranking is deterministic).

    Returns
    -------
    SeedResult
        ``record["scores"]``: the number of cascades each seed started.
    """
    fn = "most_cascades"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    _ignore_rng(fn, rng)
    with sw("ranking"):
        started = np.bincount(cascades.initiators, minlength=cascades.n_ids)
        seeds = top_k(started.astype(np.float64), pool, k)
    return _result(cascades, "most-cascades", seeds, sw, k,
                   record={"scores": started[seeds].tolist()})


def random_initiators(cascades: Cascades, k: int, *, rng: RngLike = None) -> SeedResult:
    """RANDOM INITIATORS: ``k`` distinct initiators of trainable cascades, uniformly at random.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    rng : int or Generator, optional
        The draw (``Generator.choice`` without replacement; seeds in draw order).

    Returns
    -------
    SeedResult
    """
    fn = "random_initiators"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    gen = as_generator(rng, func=fn)
    with sw("draw"):
        seeds = gen.choice(pool, size=k, replace=False)
    return _result(cascades, "random-initiators", seeds, sw, k,
                   record={"initiators": int(pool.size)})


def kcores(cascades: Cascades, k: int, *, graph: DiGraph | None = None,
           rng: RngLike = None) -> SeedResult:
    """K-CORES: the ``k`` initiators of highest shell index; ties by out-degree, then id.

    The shell index is :func:`~infmax.algorithms.heuristics.core_numbers` (undirected view),
    ranked as :func:`~infmax.kcore` ranks it, over the candidate initiators. On the social
    graph when there is one (``graph``, or the graph the cascades share ids with); initiators
    absent from it have shell index and degree 0. Without a social graph, on the graph derived
    from the cascades: an arc from each initiator to each participant of its cascades
    (:func:`~infmax.learned.weights.derived_graph`).

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    graph : DiGraph, optional
        Social graph (default: ``cascades.graph``).
    rng : int or Generator, optional
        Validated only (the ranking is deterministic).

    Returns
    -------
    SeedResult
        ``record["graph"]``: ``"social"`` or ``"derived"``; ``record["scores"]``: shell index
        of each seed; ``record["degree"]``: its out-degree in that graph.
    """
    fn = "kcores"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    _ignore_rng(fn, rng)
    C = shared_ids(cascades, graph, fn)
    with sw("graph"):
        G = C.graph if C.graph is not None else derived_graph(C)
    with sw("cores"):
        core = np.zeros(C.n_ids, dtype=np.int64)
        deg = np.zeros(C.n_ids, dtype=np.int64)
        core[:G.n] = core_numbers(G)
        deg[:G.n] = G.out_degree
    ids = _to_work_ids(cascades, C, pool)
    order = np.lexsort((ids, -deg[ids], -core[ids]))[:k]
    chosen = ids[order]
    return _result(cascades, "kcores", _to_own_ids(cascades, C, chosen), sw, k,
                   record={"graph": "social" if C.graph is not None else "derived",
                           "scores": core[chosen].tolist(), "degree": deg[chosen].tolist(),
                           "max_core": int(core.max()) if core.size else 0})


# -- IMM on learned or fixed weights ---------------------------------------------------------
def imm_wc(cascades: Cascades, k: int, *, graph: DiGraph | None = None, epsilon: float = 0.1,
           max_memory: int | None = None, progress: bool | None = None,
           rng: RngLike = None) -> SeedResult:
    """IMM with weighted-cascade weights (``p(u -> v) = 1 / indeg(v)``) on the social graph.

    The cascades only give the candidates (initiators of trainable cascades) and the id space:
    IMM (:func:`~infmax.imm`, IC model) runs on the social graph, extended with the cascade
    users absent from it as isolated nodes.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    graph : DiGraph, optional
        Social graph (default: ``cascades.graph``); required.
    epsilon : float, default 0.1
        IMM's approximation slack (the paper's setting).
    max_memory : int, optional
        Bytes the RR sets may take (see :func:`~infmax.imm`).
    progress : bool, optional
    rng : int or Generator, optional

    Returns
    -------
    SeedResult
        ``spread``: IMM's estimate under WC weights; ``record``: IMM's record and
        ``graph = "social"``; timings ``weights`` and IMM's phases.

    Raises
    ------
    InvalidParameterError
        No social graph (a set without one: use :func:`imm_db`, whose arcs can be derived).
    """
    fn = "imm_wc"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    epsilon = check(fn, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    C = shared_ids(cascades, graph, fn)
    if C.graph is None:
        fail(fn, "graph", "a social graph (DiGraph) for the weighted-cascade weights; these "
             "cascades have none (use 'imm-db' or a cascade-only baseline)", None)
    with sw("weights"):
        G = C.graph
        W = build_graph(C.n_ids, G.sources, G.indices)
    return _run_imm(fn, "imm-wc", cascades, C, W, pool, k, sw, epsilon=epsilon,
                    max_memory=max_memory, progress=progress, rng=rng, arcs="social")


def imm_db(cascades: Cascades, k: int, *, graph: DiGraph | None = None, epsilon: float = 0.1,
           max_memory: int | None = None, progress: bool | None = None,
           rng: RngLike = None) -> SeedResult:
    """IMM with DATA-BASED weights learned from the training cascades.

    The weights are :func:`~infmax.learned.databased_weights` (METHODS.md section 1): on the
    social graph's arcs when there is one (``graph``, or the graph the cascades share ids
    with); on a set without one, on the arcs derived from the cascades (initiator -> each
    participant: every participant copied the initiator), which is what the k-core baseline
    uses there too. IMM (:func:`~infmax.imm`, IC model) then selects among the initiators of
    trainable cascades.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    graph : DiGraph, optional
        Social graph (default: ``cascades.graph``; None: derived arcs).
    epsilon : float, default 0.1
        IMM's approximation slack (the paper's setting).
    max_memory : int, optional
        Bytes the RR sets may take (see :func:`~infmax.imm`).
    progress : bool, optional
    rng : int or Generator, optional

    Returns
    -------
    SeedResult
        ``spread``: IMM's estimate under the learned weights; ``record``: IMM's record,
        ``graph`` (``"social"`` or ``"derived"``) and ``arcs`` (arcs with a positive weight);
        timings ``weights`` and IMM's phases.
    """
    fn = "imm_db"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    epsilon = check(fn, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    C = shared_ids(cascades, graph, fn)
    with sw("weights"):
        D = databased_weights(C)
        W = build_graph(C.n_ids, D.sources, D.indices, D.probs, weighting="databased")
    return _run_imm(fn, "imm-db", cascades, C, W, pool, k, sw, epsilon=epsilon,
                    max_memory=max_memory, progress=progress, rng=rng,
                    arcs="social" if C.graph is not None else "derived")


def _run_imm(fn: str, name: str, cascades: Cascades, C: Cascades, W: DiGraph, pool: np.ndarray,
             k: int, sw: Stopwatch, *, epsilon: float, max_memory: int | None,
             progress: bool | None, rng: RngLike, arcs: str) -> SeedResult:
    """Run IMM on ``W`` (ids of ``C``, every user a node) among ``pool`` (ids of ``cascades``)."""
    mask = np.zeros(W.n, dtype=bool)
    mask[_to_work_ids(cascades, C, pool)] = True
    res = imm(W, k, epsilon=epsilon, candidates=mask, max_memory=max_memory,
              progress=progress, rng=rng)
    for phase, sec in res.timings.items():
        if phase != "total":
            sw.add(phase, sec)
    record = {"graph": arcs, "arcs": W.m, **dict(res.record)}
    return _result(cascades, name, _to_own_ids(cascades, C, res.seed_ids), sw, k,
                   params={"epsilon": epsilon}, record=record, spread=res.spread)


def _to_work_ids(own: Cascades, work: Cascades, ids: np.ndarray) -> np.ndarray:
    """Ids of ``own`` -> ids of ``work`` (the same cascades with ids shared with a graph)."""
    if own is work:
        return np.asarray(ids, dtype=np.int64)
    return work.node_ids(own.node_labels(ids)).astype(np.int64)


def _to_own_ids(own: Cascades, work: Cascades, ids: np.ndarray) -> np.ndarray:
    """Ids of ``work`` -> ids of ``own``."""
    if own is work:
        return np.asarray(ids, dtype=np.int64)
    return own.node_ids(work.node_labels(ids)).astype(np.int64)
