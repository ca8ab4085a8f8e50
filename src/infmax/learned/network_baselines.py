"""Graph-based IM on weights learned from cascades: IMM and SIMPATH with INF2VEC or DB weights.

The network-based columns of the IMINFECTOR experiment (Sec. 5.2): the weights are learned
from the training cascades, then a graph IM method selects among the initiators of trainable
cascades (the same candidate pool as every other baseline, :mod:`infmax.learned.baselines`).

- :func:`imm_inf2vec`: IMM (IC, ``epsilon = 0.1``) on INF2VEC weights
  (:class:`~infmax.learned.Inf2vecModel`: ``p(u -> v) = sigmoid(x(u, v))``).
- :func:`simpath_db`, :func:`simpath_inf2vec`: SIMPATH (LT, ``eta = 0.01``, IMINFECTOR's
  setting) on DATA-BASED or INF2VEC weights made LT-valid: each node's in-weights divided by
  ``max(1, their sum)`` (:func:`infmax.graph.weights.normalize_lt`).

Timings: ``context`` and ``training`` (INF2VEC), ``weights`` (deriving the weighted graph),
``selection`` (the whole IMM or SIMPATH run; its own phases are in ``record["phases"]``).

Examples
--------
>>> from infmax.graph.cascades import Cascades
>>> from infmax.learned import simpath_db
>>> C = Cascades.from_lists([["a", "x", "y"], ["a", "x"], ["b", "x"]],
...                         [[0, 1, 2], [3, 4], [5, 6]])
>>> simpath_db(C, 1).seeds              # a reaches x (2/3) and y (1/3), b reaches x (1/2)
('a',)
"""

from __future__ import annotations

import numpy as np

from .._validation import Interval, check
from ..algorithms.imm import imm
from ..algorithms.simpath import simpath
from ..graph import DiGraph
from ..graph.cascades import Cascades
from ..graph.weights import normalize_lt
from ..random import RngLike, as_generator
from ..results import SeedResult, Stopwatch
from .baselines import _ignore_rng, _pool, _result, _to_own_ids, _to_work_ids
from .inf2vec import Inf2vecModel
from .weights import build_graph, databased_weights, shared_ids

__all__ = ["imm_inf2vec", "simpath_db", "simpath_inf2vec"]


def _inf2vec_graph(fn: str, C: Cascades, sw: Stopwatch, *, epochs: int, embedding_dim: int,
                   normalize: str, device: str, progress: bool | None, rng: RngLike
                   ) -> tuple[DiGraph, Inf2vecModel]:
    """Fit INF2VEC on ``C`` (phases ``context``, ``training``) and weigh its arcs (``weights``)."""
    model = Inf2vecModel(embedding_dim, epochs=epochs, device=device, progress=progress)
    model.fit(C, rng=rng)
    for phase, sec in model.timings_.items():
        sw.add(phase, sec)
    with sw("weights"):
        W = model.edge_weights(normalize=normalize)
        W = build_graph(C.n_ids, W.sources, W.indices, W.probs, weighting="inf2vec")
    return W, model


def _mask(cascades: Cascades, C: Cascades, pool: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[_to_work_ids(cascades, C, pool)] = True
    return mask


def _finish(cascades: Cascades, C: Cascades, name: str, res: SeedResult, sw: Stopwatch, k: int,
            W: DiGraph, params: dict, record: dict) -> SeedResult:
    """Record the selector's run as phase ``selection``; its phases go to the record."""
    sw.add("selection", res.timings.get("total", 0.0))
    record = {"graph": "social" if C.graph is not None else "derived", "arcs": W.m,
              **record, "phases": dict(res.timings), **dict(res.record)}
    return _result(cascades, name, _to_own_ids(cascades, C, res.seed_ids), sw, k,
                   params=params, record=record, spread=res.spread)


def imm_inf2vec(cascades: Cascades, k: int, *, graph: DiGraph | None = None,
                epsilon: float = 0.1, epochs: int = 5, embedding_dim: int = 50,
                normalize: str = "none", device: str = "cpu", max_memory: int | None = None,
                progress: bool | None = None, rng: RngLike = None) -> SeedResult:
    """IMM (IC model) on INF2VEC influence weights learned from the training cascades.

    INF2VEC (:class:`~infmax.learned.Inf2vecModel`) is fitted on the cascades (with the
    social graph's arcs as propagation network when there is one); the arcs weighed are the
    social graph's (all of them whose ends took part in a trainable cascade) or, without a
    graph, those derived from the cascades (initiator -> participant), with ``p(u -> v) =
    sigmoid(x(u, v))``, the probability the skip-gram model gives the pair. IMM
    (:func:`~infmax.imm`) then selects among the initiators of trainable cascades.

    Why not out-normalised like DATA-BASED (``normalize="out"``): it gives every node the same
    total out-weight, which erases who influences more. On cascades simulated from a known IC
    model (``tests/learned/test_network_baselines.py``) IMM's seeds on the raw sigmoid weights
    spread to 37.4 +- 0.6 users under the true model against 20.3 for random initiators; on
    out-normalised weights to 14.7 +- 0.4, below random.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    graph : DiGraph, optional
        Social graph (default: ``cascades.graph``; None: adoption order / derived arcs).
    epsilon : float, default 0.1
        IMM's approximation slack (the paper's setting).
    epochs : int, default 5
        INF2VEC's training epochs.
    embedding_dim : int, default 50
    normalize : {"none", "out"}, default "none"
        Raw ``sigmoid(x)`` or out-weights divided by their sum
        (:meth:`~infmax.learned.Inf2vecModel.edge_weights`).
    device : {"cpu", "cuda"}
    max_memory : int, optional
        Bytes the RR sets may take (see :func:`~infmax.imm`).
    progress : bool, optional
    rng : int or Generator, optional
        One stream for the training and for IMM.

    Returns
    -------
    SeedResult
        ``spread``: IMM's estimate under the learned weights; timings ``context``,
        ``training``, ``weights``, ``selection``; ``record``: IMM's record, ``phases`` (IMM's
        own), ``graph``, ``arcs``, ``losses`` (INF2VEC per epoch), ``pairs``.
    """
    fn = "imm_inf2vec"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    epsilon = check(fn, "epsilon", epsilon, Interval(float, 0, 1, closed="neither"))
    C = shared_ids(cascades, graph, fn)
    gen = as_generator(rng, func=fn)
    W, model = _inf2vec_graph(fn, C, sw, epochs=epochs, embedding_dim=embedding_dim,
                              normalize=normalize, device=device, progress=progress, rng=gen)
    res = imm(W, k, epsilon=epsilon, candidates=_mask(cascades, C, pool, W.n),
              max_memory=max_memory, progress=progress, rng=gen)
    return _finish(cascades, C, "imm-inf2vec", res, sw, k, W,
                   {"epsilon": epsilon, "epochs": model.epochs, "embedding_dim": embedding_dim,
                    "normalize": normalize},
                   {"losses": model.losses_, "pairs": model.n_pairs_,
                    "propagation": model.propagation_})


def simpath_db(cascades: Cascades, k: int, *, graph: DiGraph | None = None, eta: float = 0.01,
               lookahead: int = 4, progress: bool | None = None,
               rng: RngLike = None) -> SeedResult:
    """SIMPATH (LT model) on DATA-BASED weights made LT-valid.

    The weights are :func:`~infmax.learned.databased_weights` (social graph arcs, or arcs
    derived from the cascades without one; out-weights sum to 1 per node), then every node's
    in-weights are divided by ``max(1, their sum)`` (:func:`infmax.graph.weights.normalize_lt`)
    so that they form LT weights. SIMPATH (:func:`~infmax.simpath`) selects among the
    initiators of trainable cascades.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    graph : DiGraph, optional
        Social graph (default: ``cascades.graph``; None: derived arcs).
    eta : float in [0, 1), default 0.01
        SIMPATH's pruning threshold (IMINFECTOR's experiments; SIMPATH's own default 0.001).
    lookahead : int, default 4
    progress : bool, optional
    rng : int or Generator, optional
        Validated only (SIMPATH is deterministic).

    Returns
    -------
    SeedResult
        ``spread``: SIMPATH's estimate; timings ``weights``, ``selection``; ``record``:
        SIMPATH's record, ``phases``, ``graph``, ``arcs``.
    """
    fn = "simpath_db"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    eta = check(fn, "eta", eta, Interval(float, 0, 1, closed="left"))
    _ignore_rng(fn, rng)
    C = shared_ids(cascades, graph, fn)
    with sw("weights"):
        D = databased_weights(C)
        W = normalize_lt(build_graph(C.n_ids, D.sources, D.indices, D.probs,
                                     weighting="databased"))
    res = simpath(W, k, eta=eta, lookahead=lookahead, candidates=_mask(cascades, C, pool, W.n),
                  progress=progress)
    return _finish(cascades, C, "simpath-db", res, sw, k, W,
                   {"eta": eta, "lookahead": lookahead}, {})


def simpath_inf2vec(cascades: Cascades, k: int, *, graph: DiGraph | None = None,
                    eta: float = 0.01, lookahead: int = 4, epochs: int = 5,
                    embedding_dim: int = 50, normalize: str = "none", device: str = "cpu",
                    progress: bool | None = None, rng: RngLike = None) -> SeedResult:
    """SIMPATH (LT model) on INF2VEC weights made LT-valid.

    The weights of :func:`imm_inf2vec` (``sigmoid(x(u, v))``), then every node's in-weights
    divided by ``max(1, their sum)``
    (:func:`infmax.graph.weights.normalize_lt`); SIMPATH (:func:`~infmax.simpath`) selects
    among the initiators of trainable cascades.

    Parameters
    ----------
    cascades : Cascades
        Training cascades.
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    graph : DiGraph, optional
        Social graph (default: ``cascades.graph``; None: adoption order / derived arcs).
    eta : float in [0, 1), default 0.01
        SIMPATH's pruning threshold (IMINFECTOR's experiments).
    lookahead : int, default 4
    epochs : int, default 5
        INF2VEC's training epochs.
    embedding_dim : int, default 50
    normalize : {"none", "out"}, default "none"
        As for :func:`imm_inf2vec`, before the LT normalisation.
    device : {"cpu", "cuda"}
    progress : bool, optional
    rng : int or Generator, optional
        INF2VEC's training (SIMPATH is deterministic).

    Returns
    -------
    SeedResult
        ``spread``: SIMPATH's estimate; timings ``context``, ``training``, ``weights``,
        ``selection``; ``record``: SIMPATH's record, ``phases``, ``graph``, ``arcs``,
        ``losses``, ``pairs``.
    """
    fn = "simpath_inf2vec"
    sw = Stopwatch()
    pool, k = _pool(fn, cascades, k)
    eta = check(fn, "eta", eta, Interval(float, 0, 1, closed="left"))
    C = shared_ids(cascades, graph, fn)
    W, model = _inf2vec_graph(fn, C, sw, epochs=epochs, embedding_dim=embedding_dim,
                              normalize=normalize, device=device, progress=progress, rng=rng)
    with sw("weights"):
        W = normalize_lt(W)
    res = simpath(W, k, eta=eta, lookahead=lookahead, candidates=_mask(cascades, C, pool, W.n),
                  progress=progress)
    return _finish(cascades, C, "simpath-inf2vec", res, sw, k, W,
                   {"eta": eta, "lookahead": lookahead, "epochs": model.epochs,
                    "embedding_dim": embedding_dim, "normalize": normalize},
                   {"losses": model.losses_, "pairs": model.n_pairs_,
                    "propagation": model.propagation_})
