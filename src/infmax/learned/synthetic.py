"""Cascades with a known ground truth: :func:`synthetic_cascades` from an IC model on a graph.

Learning from cascades can only be judged on real traces by DNI; with a known diffusion model
the seeds of any method can also be scored by Monte Carlo under the true model
(:func:`infmax.spread`), which is what the IMINFECTOR tests and benchmark do.

Examples
--------
>>> import infmax as im
>>> from infmax.learned import synthetic_cascades
>>> G = im.graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], weights=0.5)
>>> C = synthetic_cascades(G, 20, initiators=[0, 1], rng=1)
>>> len(C), C.graph is G, set(C.node_labels(C.initiators)) <= {0, 1}
(20, True, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .._interrupt import checkpoint, interruptible
from .._validation import Interval, check, check_choice, check_graph, fail
from ..diffusion import sample_world
from ..graph import DiGraph
from ..graph.cascades import Cascades
from ..random import RngLike, as_generator

__all__ = ["synthetic_cascades"]


def synthetic_cascades(G: DiGraph, n_cascades: int, *,
                       initiators: int | Iterable[Hashable] = 100, activity: str = "zipf",
                       skew: float = 1.0, period: float = 1000.0, mean_delay: float = 1.0,
                       rng: RngLike = None) -> Cascades:
    """Simulate ``n_cascades`` cascades of the IC model of ``G`` (its arc probabilities).

    1. **Initiator pool**: ``initiators`` nodes (a count: drawn uniformly among the nodes with
       an out-arc; or the labels themselves), with skewed activities:
       ``activity="zipf"``: in a random order, the ``i``-th (from 0) has activity
       ``(i + 1) ** -skew`` (a few initiators start most cascades, whatever their position in
       the graph); ``activity="degree"``: activity ``out_degree ** skew`` (users with more
       followers post more, so activity and influence go together, as in real traces).
    2. **Start times** uniform on ``[0, period)``; each cascade's initiator is drawn from the
       pool with probability proportional to its activity. Cascades are stored in start order.
    3. **Spread**: one live-edge world of the IC model per cascade
       (:func:`infmax.diffusion.sample_world`: arc ``e`` live with probability ``p_e``); the
       cascade is the set the initiator reaches through live arcs (the engine's
       :meth:`~infmax.diffusion.LiveEdgeWorld.reach`), so its size has exactly the IC spread
       distribution.
    4. **Times**: every live arc among the reached nodes gets an exponential delay of mean
       ``mean_delay``; a node adopts at the start time plus its shortest delay path from the
       initiator (continuous-time IC). Users are stored in adoption order.

    Parameters
    ----------
    G : DiGraph
        The true model: IC probabilities on its arcs.
    n_cascades : int >= 1
    initiators : int or sequence of labels, default 100
        Size of the pool (at most the number of nodes with an out-arc), or the pool itself.
    activity : {"zipf", "degree"}, default "zipf"
        How activity is spread over the pool (step 1).
    skew : float >= 0, default 1
        Exponent of the activities (0: every initiator equally active).
    period : float > 0, default 1000
        Length of the period the start times spread over.
    mean_delay : float > 0, default 1
        Mean delay along a live arc.
    rng : int or Generator, optional
        The one source of randomness: the same ``rng`` gives the same cascades.

    Returns
    -------
    Cascades
        Sharing ids with ``G`` (``C.graph is G``), absolute times (``split_by_time`` splits
        them chronologically), ``source = "synthetic IC"``.

    Raises
    ------
    InvalidParameterError
        A bad count, an unknown initiator label, a pool larger than the nodes with out-arcs.
    """
    fn = "synthetic_cascades"
    check_graph(fn, G)
    n_cascades = check(fn, "n_cascades", n_cascades, Interval(int, 1, None))
    skew = check(fn, "skew", skew, Interval(float, 0, None))
    period = check(fn, "period", period, Interval(float, 0, None, closed="right"))
    mean_delay = check(fn, "mean_delay", mean_delay, Interval(float, 0, None, closed="right"))
    if not np.isfinite(period) or not np.isfinite(mean_delay):
        fail(fn, "period" if not np.isfinite(period) else "mean_delay", "finite",
             period if not np.isfinite(period) else mean_delay)
    activity = check_choice(fn, "activity", activity, ("zipf", "degree"))
    gen = as_generator(rng, func=fn)
    active = np.flatnonzero(G.out_degree > 0)
    if isinstance(initiators, (int, np.integer)) and not isinstance(initiators, bool):
        size = check(fn, "initiators", int(initiators), Interval(int, 1, max(active.size, 1)))
        if active.size == 0:
            fail(fn, "G", "a graph with at least one arc", repr(G))
        pool = gen.choice(active, size=size, replace=False)
    else:
        pool = np.unique(G.node_ids(list(initiators), param="initiators", func=fn))
        if pool.size == 0:
            fail(fn, "initiators", "a pool of at least one node", list(initiators))
        pool = gen.permutation(pool)
    if activity == "zipf":
        weight = (np.arange(pool.size) + 1.0) ** -skew
    else:
        weight = np.maximum(G.out_degree[pool], 1).astype(np.float64) ** skew
    starts = np.sort(gen.uniform(0.0, period, n_cascades))
    who = pool[gen.choice(pool.size, size=n_cascades, p=weight / weight.sum())]
    users: list[np.ndarray] = []
    times: list[np.ndarray] = []
    local = np.full(G.n, -1, dtype=np.int64)
    with interruptible():
        for s, t0 in zip(who.tolist(), starts.tolist()):
            u, t = _one_cascade(G, s, t0, mean_delay, gen, local)
            users.append(u)
            times.append(t)
            checkpoint()
    off = np.zeros(n_cascades + 1, dtype=np.int64)
    np.cumsum([u.size for u in users], out=off[1:])
    ids = np.concatenate(users)
    return Cascades.from_arrays(off, np.asarray(G.labels)[ids], np.concatenate(times),
                                graph=G, source="synthetic IC")


def _one_cascade(G: DiGraph, s: int, t0: float, mean_delay: float, gen: np.random.Generator,
                 local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One cascade from node ``s`` started at ``t0``: (ids in adoption order, times).

    ``local`` is scratch of length ``G.n`` filled with -1 (restored on return).
    """
    world = sample_world(G, rng=gen)
    reached = world.reach([s])
    if reached.size == 1:
        return reached.astype(np.int64), np.array([t0])
    local[reached] = np.arange(reached.size)
    lo, hi = G.indptr[reached], G.indptr[reached + 1]
    deg = hi - lo
    arc = np.repeat(lo - np.cumsum(deg) + deg, deg) + np.arange(int(deg.sum()))
    tail = np.repeat(np.arange(reached.size), deg)
    live = world.live[arc]
    arc, tail = arc[live], tail[live]
    head = local[G.indices[arc]]                    # live arcs from reached nodes stay inside
    delay = np.maximum(gen.exponential(mean_delay, arc.size), np.finfo(float).tiny)
    M = sp.csr_array((delay, (tail, head)), shape=(reached.size, reached.size))
    dist = dijkstra(M, indices=int(local[s]))
    local[reached] = -1
    order = np.lexsort((reached, dist))             # the initiator (distance 0) comes first
    return reached[order].astype(np.int64), t0 + dist[order]
