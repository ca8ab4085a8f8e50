"""Static seed heuristics: degree, degree discount, k-core, PageRank, random.

Every selector has the signature ``f(G, k, *, ..., candidates=None)`` and returns a frozen
:class:`~infmax.results.SeedResult` whose ``seeds`` are original labels in selection order,
``record["scores"]`` the score each seed had when it was picked, and ``timings["total"]``.
``candidates`` (labels or a bool mask of length ``n``) restricts the nodes that may be seeds;
``k`` must not exceed the number of candidates. Ties are always broken by the lower internal id,
so every heuristic except :func:`random_seeds` is deterministic.

========================  =====================  ==========================================
selector                  time                   reference
========================  =====================  ==========================================
:func:`degree`            O(n log n + m)         Kempe, Kleinberg, Tardos (KDD 2003)
:func:`single_discount`   O(n + m log n)         Chen, Wang, Yang (KDD 2009)
:func:`degree_discount`   O(n + m log n)         Chen, Wang, Yang (KDD 2009), DegreeDiscountIC
:func:`kcore`             O(n + m) + sort        Batagelj, Zaversnik (2003) peeling
:func:`pagerank`          O(iterations * m)      Brin, Page (1998), on the reversed graph
:func:`random_seeds`      O(n)                   --
========================  =====================  ==========================================
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .._validation import Interval, check, check_graph, check_node_values
from ..random import as_generator
from ..results import Stopwatch, make_result
from ._common import candidate_ids, candidates_param, check_budget, resolve_candidates

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph import DiGraph
    from ..random import RngLike
    from ..results import SeedResult

__all__ = ["degree", "single_discount", "degree_discount", "kcore", "pagerank", "random_seeds",
           "core_numbers", "pagerank_scores", "degree_scores", "top_k"]


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Return the ``k`` ids with the largest scores, ties by lower id, in selection order (int32).

    ``scores`` is indexed by id; ``ids`` are the candidates. Fewer than ``k`` candidates give
    all of them, ranked.

    >>> top_k(np.array([1.0, 3.0, 3.0, 0.0]), np.arange(4), 2).tolist()
    [1, 2]
    """
    s = scores[ids]
    if k < ids.shape[0] // 4:
        kth = np.partition(-s, k - 1)[k - 1]
        keep = np.flatnonzero(-s <= kth)  # every node tied with the k-th stays in the race
        s, ids = s[keep], ids[keep]
    order = np.lexsort((ids, -s))[:k]
    return ids[order].astype(np.int32)


# ----------------------------------------------------------------------------------------------
# degree
# ----------------------------------------------------------------------------------------------
def degree(G: DiGraph, k: int, *, neighbor_weights: ArrayLike | None = None,
           candidates: ArrayLike | None = None, rng: RngLike = None) -> SeedResult:
    """Select the ``k`` nodes of largest out-degree (or weighted out-degree).

    Parameters
    ----------
    G : DiGraph
    k : int
        Number of seeds, ``1 <= k <= number of candidates``.
    neighbor_weights : array of float, length n, optional
        When given, the score of ``u`` is ``sum(neighbor_weights[v] for v in out(u))`` instead of
        the out-degree. With weight ``w`` on boundary nodes and 1 elsewhere this is the
        *boundary-biased degree* of the partial-observability method.
    candidates : labels or bool mask, optional
        Nodes allowed as seeds (default: all).
    rng : ignored
        Accepted so that every selector has the same keywords; ties are broken by the lower
        internal id, never at random.

    Returns
    -------
    SeedResult
        ``record["scores"]``: the (weighted) degree of each seed.

    Notes
    -----
    O(m) for the scores and O(n log n) for the ranking (a partition first, so usually less).
    The classic baseline of Kempe, Kleinberg and Tardos (KDD 2003).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3])
    >>> im.degree(G, 2).seeds
    (0, 1)
    >>> im.degree(G, 1, neighbor_weights=[1, 1, 1, 5]).record["scores"]
    [7.0]
    """
    func = "degree"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    _ignore_rng(rng, func)
    if neighbor_weights is None:
        scores = G.out_degree.astype(np.float64)
    else:
        w = check_node_values(func, "neighbor_weights", neighbor_weights, G.n,
                              nonnegative=False)
        scores = degree_scores(G.sources, G.indices, G.n, w)
    ids = top_k(scores, candidate_ids(G, mask), k)
    return make_result(G, func, ids, stopwatch=sw,
                       params={"k": k, "weighted": neighbor_weights is not None,
                               "candidates": candidates_param(candidates)},
                       record={"scores": scores[ids].tolist()})


def degree_scores(sources: ArrayLike, targets: ArrayLike, n: int,
                  neighbor_weights: ArrayLike | None = None) -> np.ndarray:
    """Return the (weighted) out-degree of every node of an arc list: :func:`degree`'s scores.

    ``score[u] = sum(neighbor_weights[v] for arcs (u, v))`` (each arc counts 1 when
    ``neighbor_weights`` is None), summed in arc order; float64 of length ``n``. No validation
    (internal ids, weights of length ``n``).

    >>> degree_scores(np.array([0, 0, 1]), np.array([1, 2, 2]), 3, np.array([1., 2., 5.]))
    array([7., 5., 0.])
    """
    sources = np.asarray(sources)
    if neighbor_weights is None:
        return np.bincount(sources, minlength=n).astype(np.float64)
    w = np.asarray(neighbor_weights, dtype=np.float64)
    return np.bincount(sources, weights=w[np.asarray(targets)], minlength=n)


def _ignore_rng(rng: RngLike, func: str) -> None:
    # deterministic selectors accept rng (one signature for every selector) and only validate it
    if rng is not None:
        as_generator(rng, func=func)


# ----------------------------------------------------------------------------------------------
# random
# ----------------------------------------------------------------------------------------------
def random_seeds(G: DiGraph, k: int, *, rng: RngLike = None,
                 candidates: ArrayLike | None = None) -> SeedResult:
    """``k`` distinct seeds drawn uniformly at random (without replacement) from the candidates.

    The order of ``seeds`` is the draw order. O(n) time (``Generator.choice``).

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 1, 2, 3], [1, 2, 3, 0])
    >>> res = im.random_seeds(G, 2, rng=1, candidates=[0, 2, 3])
    >>> set(res.seeds) <= {0, 2, 3}, len(set(res.seeds))
    (True, 2)
    """
    func = "random_seeds"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    gen = as_generator(rng, func=func)
    ids = gen.choice(candidate_ids(G, mask), size=k, replace=False).astype(np.int32)
    return make_result(G, "random", ids, stopwatch=sw,
                       params={"k": k, "candidates": candidates_param(candidates)},
                       record={})


# ----------------------------------------------------------------------------------------------
# degree discount (Chen, Wang, Yang 2009)
# ----------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True, inline="always")
def _before(k1, i1, k2, i2):
    # heap order: larger score first, ties by lower id
    return k1 > k2 or (k1 == k2 and i1 < i2)


@njit(cache=True, nogil=True)
def _heap_push(hk, hi, size, key, node):
    j = size
    hk[j] = key
    hi[j] = node
    while j > 0:
        parent = (j - 1) >> 1
        if _before(hk[j], hi[j], hk[parent], hi[parent]):
            hk[j], hk[parent] = hk[parent], hk[j]
            hi[j], hi[parent] = hi[parent], hi[j]
            j = parent
        else:
            break
    return size + 1


@njit(cache=True, nogil=True)
def _heap_pop(hk, hi, size):
    key, node = hk[0], hi[0]
    size -= 1
    hk[0] = hk[size]
    hi[0] = hi[size]
    j = 0
    while True:
        left = 2 * j + 1
        if left >= size:
            break
        best = left
        right = left + 1
        if right < size and _before(hk[right], hi[right], hk[left], hi[left]):
            best = right
        if _before(hk[best], hi[best], hk[j], hi[j]):
            hk[j], hk[best] = hk[best], hk[j]
            hi[j], hi[best] = hi[best], hi[j]
            j = best
        else:
            break
    return key, node, size


@njit(cache=True, nogil=True)
def _discount_kernel(deg, nptr, nidx, allowed, k, p, mode):
    """Greedy picks with discounted degrees, lazy max-heap with versioned entries.

    mode 0 (single discount): score_v = d_v - t_v.
    mode 1 (DegreeDiscountIC): score_v = d_v - 2 t_v - (d_v - t_v) t_v p.
    When u is picked, t_v += 1 for every v in nidx[nptr[u]:nptr[u+1]] that is not a seed.
    Every update pushes a new heap entry; a popped entry whose key differs from the node's
    current score (or whose node is already a seed) is stale and skipped. O((n + m) log(n + m)).
    """
    n = deg.shape[0]
    t = np.zeros(n, dtype=np.int64)
    score = deg.astype(np.float64)
    selected = np.zeros(n, dtype=np.bool_)
    cap = n + nidx.shape[0] + 1
    hk = np.empty(cap, dtype=np.float64)
    hi = np.empty(cap, dtype=np.int32)
    size = 0
    for v in range(n):
        if allowed[v]:
            size = _heap_push(hk, hi, size, score[v], np.int32(v))
    out = np.empty(k, dtype=np.int32)
    out_score = np.empty(k, dtype=np.float64)
    c = 0
    while c < k and size > 0:
        key, u, size = _heap_pop(hk, hi, size)
        if selected[u] or key != score[u]:
            continue
        selected[u] = True
        out[c] = u
        out_score[c] = key
        c += 1
        for j in range(nptr[u], nptr[u + 1]):
            v = nidx[j]
            if selected[v] or not allowed[v]:
                continue
            t[v] += 1
            d = float(deg[v])
            tv = float(t[v])
            if mode == 0:
                score[v] = d - tv
            else:
                score[v] = d - 2.0 * tv - (d - tv) * tv * p
            size = _heap_push(hk, hi, size, score[v], np.int32(v))
    return out, out_score


def _allowed(G: DiGraph, mask: np.ndarray | None) -> np.ndarray:
    return np.ones(G.n, dtype=np.bool_) if mask is None else np.ascontiguousarray(mask)


def single_discount(G: DiGraph, k: int, *, candidates: ArrayLike | None = None,
                    rng: RngLike = None) -> SeedResult:
    """SingleDiscount (Chen, Wang, Yang, KDD 2009): degree, minus one per seed neighbour.

    Pick the node of largest current score; then every non-seed ``v`` with an arc ``v -> u`` to
    the new seed ``u`` loses one point (that arc no longer helps ``v`` spread). Initial scores are
    out-degrees.

    Notes
    -----
    The paper works on undirected graphs; on a directed graph the arc that becomes useless is
    ``v -> u``, so the in-neighbours of the seed are discounted (on a graph read as undirected,
    which stores both arcs, this is exactly the paper). Lazy max-heap: O((n + m) log n).
    Ties are broken by the lower internal id.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 2], [1, 2, 2, 3], directed=False)
    >>> im.single_discount(G, 2).seeds
    (2, 0)
    """
    func = "single_discount"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    _ignore_rng(rng, func)
    ids, scores = _discount_kernel(G.out_degree, G.rindptr, G.rindices, _allowed(G, mask), k,
                                   0.0, 0)
    return make_result(G, func, ids, stopwatch=sw,
                       params={"k": k, "candidates": candidates_param(candidates)},
                       record={"scores": scores.tolist()})


def default_discount_p(G: DiGraph) -> float:
    """Return the ``p`` DegreeDiscountIC uses when none is given.

    The common probability when every arc has the same one, else the mean arc probability
    (0 on a graph without arcs).
    """
    check_graph("default_discount_p", G)
    if G.m == 0:
        return 0.0
    probs = G.probs
    if probs.min() == probs.max():
        return float(probs[0])
    return float(np.mean(probs, dtype=np.float64))


def degree_discount(G: DiGraph, k: int, *, p: float | None = None,
                    candidates: ArrayLike | None = None, rng: RngLike = None) -> SeedResult:
    """DegreeDiscountIC (Chen, Wang, Yang, KDD 2009, Algorithm 4).

    Each node starts with score ``dd_v = d_v`` (out-degree) and ``t_v = 0``. Repeatedly pick the
    node of largest ``dd`` and, for every non-seed ``v`` the seed ``u`` may activate (arc
    ``u -> v``), set ``t_v += 1`` and ``dd_v = d_v - 2 t_v - (d_v - t_v) t_v p``.

    Parameters
    ----------
    G : DiGraph
    k : int
    p : float in [0, 1], optional
        The uniform IC probability of the derivation. Default: the graph's probability when all
        arcs share one, else the mean arc probability (a documented extension: the paper
        assumes uniform IC).
    candidates : labels or bool mask, optional

    Notes
    -----
    The paper uses undirected graphs. For a directed graph, ``d_v`` is the out-degree and
    ``t_v`` counts the seeds with an arc into ``v`` (those that may activate ``v``); on a graph
    stored with both arcs of every edge this is the paper's algorithm exactly. The paper's
    implementation keeps the scores in a heap; here a lazy heap with one entry per update
    (``dd`` is not monotone in ``t``, so stale entries are detected by value), O((n + m) log
    (n + m)) in total. Ties are broken by the lower internal id. ``record["scores"]`` holds
    the ``dd`` value of each seed when it was picked.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 0, 1, 4], [1, 2, 3, 2, 5], directed=False)
    >>> im.degree_discount(G, 2, p=0.1).seeds  # 1 and 2 are discounted below 4
    (0, 4)
    >>> im.degree(G, 2).seeds
    (0, 1)
    """
    func = "degree_discount"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    _ignore_rng(rng, func)
    p = default_discount_p(G) if p is None else check(func, "p", p, Interval(float, 0, 1))
    ids, scores = _discount_kernel(G.out_degree, G.indptr, G.indices, _allowed(G, mask), k,
                                   float(p), 1)
    return make_result(G, func, ids, stopwatch=sw,
                       params={"k": k, "p": p, "candidates": candidates_param(candidates)},
                       record={"scores": scores.tolist()})


# ----------------------------------------------------------------------------------------------
# k-core
# ----------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def _undirected_view(n, indptr, indices, rindptr, rindices):
    """CSR of the undirected simple graph (u ~ v iff u -> v or v -> u), O(n + m).

    Out-lists are sorted by target and in-lists by source, so each node's neighbour list is a
    merge of two sorted lists with duplicates (reciprocal arcs) dropped.
    """
    uptr = np.zeros(n + 1, dtype=np.int64)
    for pass_ in range(2):
        if pass_ == 1:
            for u in range(n):
                uptr[u + 1] += uptr[u]
            uidx = np.empty(uptr[n], dtype=np.int32)
        else:
            uidx = np.empty(0, dtype=np.int32)
        for u in range(n):
            a, a_end = indptr[u], indptr[u + 1]
            b, b_end = rindptr[u], rindptr[u + 1]
            c = 0
            while a < a_end or b < b_end:
                if b >= b_end or (a < a_end and indices[a] < rindices[b]):
                    v = indices[a]
                    a += 1
                elif a >= a_end or rindices[b] < indices[a]:
                    v = rindices[b]
                    b += 1
                else:
                    v = indices[a]
                    a += 1
                    b += 1
                if pass_ == 1:
                    uidx[uptr[u] + c] = v
                c += 1
            if pass_ == 0:
                uptr[u + 1] = c
    return uptr, uidx


@njit(cache=True, nogil=True)
def _core_kernel(uptr, uidx):
    """Batagelj-Zaversnik bucket peeling: shell index of every node, O(n + m)."""
    n = uptr.shape[0] - 1
    deg = np.empty(n, dtype=np.int64)
    md = 0
    for v in range(n):
        deg[v] = uptr[v + 1] - uptr[v]
        if deg[v] > md:
            md = deg[v]
    bins = np.zeros(md + 1, dtype=np.int64)
    for v in range(n):
        bins[deg[v]] += 1
    start = 0
    for d in range(md + 1):
        num = bins[d]
        bins[d] = start
        start += num
    pos = np.empty(n, dtype=np.int64)
    vert = np.empty(n, dtype=np.int64)
    for v in range(n):
        pos[v] = bins[deg[v]]
        vert[pos[v]] = v
        bins[deg[v]] += 1
    for d in range(md, 0, -1):
        bins[d] = bins[d - 1]
    if md >= 0 and n > 0:
        bins[0] = 0
    for i in range(n):
        v = vert[i]
        for j in range(uptr[v], uptr[v + 1]):
            u = uidx[j]
            if deg[u] > deg[v]:
                du = deg[u]
                pu = pos[u]
                pw = bins[du]
                w = vert[pw]
                if u != w:
                    pos[u] = pw
                    vert[pu] = w
                    pos[w] = pu
                    vert[pw] = u
                bins[du] += 1
                deg[u] -= 1
    return deg


def core_numbers(G: DiGraph) -> np.ndarray:
    """Return the shell index (core number) of every node on the undirected view of ``G``.

    The result is int64, indexed by id.

    The undirected view joins ``u`` and ``v`` when ``u -> v`` or ``v -> u`` (one edge for a
    reciprocal pair), which is what ``networkx.core_number(nx_graph.to_undirected())`` computes.
    Bucket peeling of Batagelj and Zaversnik (2003), O(n + m).
    """
    check_graph("core_numbers", G)
    uptr, uidx = _undirected_view(G.n, G.indptr, G.indices, G.rindptr, G.rindices)
    return _core_kernel(uptr, uidx)


def kcore(G: DiGraph, k: int, *, candidates: ArrayLike | None = None,
          rng: RngLike = None) -> SeedResult:
    """Select the ``k`` nodes of highest shell index (k-core number); ties by degree, then id.

    Kitsak et al. (Nature Physics 2010) showed the k-shell index predicts spreading power
    better than degree. The shell index is computed on the undirected view of the graph (an
    arc in either direction is an edge): the directed variants (in-, out-cores) are less
    common and the undirected one is what the cited baselines and ``networkx.core_number``
    use. Bucket peeling (Batagelj, Zaversnik 2003), O(n + m), then an O(n log n) ranking.

    Returns
    -------
    SeedResult
        ``record["scores"]``: shell index of each seed; ``record["degree"]``: its out-degree.

    Examples
    --------
    >>> import infmax as im
    >>> # a triangle 0-1-2 (2-core) plus a star around 3
    >>> G = im.graph.from_edges([0, 1, 2, 3, 3, 3], [1, 2, 0, 4, 5, 6], directed=False)
    >>> im.kcore(G, 2).seeds
    (0, 1)
    """
    func = "kcore"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    _ignore_rng(rng, func)
    with sw("cores"):
        core = core_numbers(G)
    ids = candidate_ids(G, mask)
    deg = G.out_degree
    order = np.lexsort((ids, -deg[ids], -core[ids]))[:k]
    seeds = ids[order]
    return make_result(G, func, seeds, stopwatch=sw,
                       params={"k": k, "candidates": candidates_param(candidates)},
                       record={"scores": core[seeds].tolist(), "degree": deg[seeds].tolist(),
                               "max_core": int(core.max()) if G.n else 0})


# ----------------------------------------------------------------------------------------------
# PageRank on the reversed graph
# ----------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def _pagerank_kernel(indptr, indices, in_deg, damping, tol, max_iter):
    """Power iteration of PageRank on the reversed graph, from the original out-CSR.

    In the reversed graph, u links to nothing but receives from each original out-neighbour
    v a share x[v] / in_deg[v]. Nodes with in_deg 0 are dangling; their mass is spread
    uniformly. Stops when the L1 change is below ``tol``.
    """
    n = in_deg.shape[0]
    x = np.full(n, 1.0 / n)
    y = np.empty(n)
    x_new = np.empty(n)
    it = 0
    converged = False
    while it < max_iter:
        it += 1
        dangling = 0.0
        for v in range(n):
            if in_deg[v] == 0:
                dangling += x[v]
                y[v] = 0.0
            else:
                y[v] = x[v] / in_deg[v]
        base = (damping * dangling + (1.0 - damping)) / n
        err = 0.0
        for u in range(n):
            s = 0.0
            for j in range(indptr[u], indptr[u + 1]):
                s += y[indices[j]]
            x_new[u] = damping * s + base
            err += abs(x_new[u] - x[u])
        x, x_new = x_new, x
        if err < tol:
            converged = True
            break
    return x, it, converged


def pagerank_scores(G, *, damping=0.85, tol=1e-10, max_iter=1000):
    """PageRank of every node on the reversed graph (float64 array by id, sums to 1).

    Returns ``(scores, iterations, converged)``. Unweighted: every arc counts once, whatever
    its probability. Equal to ``networkx.pagerank(nx_graph.reverse(), alpha=damping)``.
    """
    func = "pagerank"
    check_graph(func, G)
    damping = check(func, "damping", damping, Interval(float, 0, 1, closed="left"))
    tol = check(func, "tol", tol, Interval(float, 0, None, closed="neither"))
    max_iter = check(func, "max_iter", max_iter, Interval(int, 1, None))
    if G.n == 0:
        return np.zeros(0), 0, True
    return _pagerank_kernel(G.indptr, G.indices, G.in_degree, damping, tol, max_iter)


def pagerank(G: DiGraph, k: int, *, damping: float = 0.85, tol: float = 1e-10, max_iter: int = 1000,
             candidates: ArrayLike | None = None, rng: RngLike = None) -> SeedResult:
    """Select the ``k`` nodes of largest PageRank on the reversed graph.

    Reversing the arcs makes a node important when it points to important nodes, i.e. when it
    can *reach* much of the graph, which is what an influence seed needs. Power iteration
    ``x <- damping * (P^T x + dangling mass / n) + (1 - damping) / n`` until the L1 change is
    below ``tol`` (a :class:`RuntimeWarning` when ``max_iter`` is reached first). Dangling nodes
    of the reversed graph (in-degree 0 in ``G``) spread their mass uniformly, as in networkx.
    O(m) per iteration, numba. Ties by the lower id.

    Returns
    -------
    SeedResult
        ``record``: ``scores`` (PageRank of each seed), ``iterations``, ``converged``.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges([0, 0, 1, 3], [1, 2, 2, 0])
    >>> im.pagerank(G, 2).seeds
    (3, 0)
    """
    func = "pagerank"
    check_graph(func, G)
    sw = Stopwatch()
    mask = resolve_candidates(G, candidates, func=func)
    k = check_budget(func, k, G, mask)
    _ignore_rng(rng, func)
    with sw("power_iteration"):
        x, it, conv = pagerank_scores(G, damping=damping, tol=tol, max_iter=max_iter)
    if not conv:
        warnings.warn(f"pagerank did not converge to tol={tol:g} in {max_iter} iterations",
                      RuntimeWarning, stacklevel=2)
    ids = top_k(x, candidate_ids(G, mask), k)
    return make_result(G, func, ids, stopwatch=sw,
                       params={"k": k, "damping": float(damping), "tol": float(tol),
                               "max_iter": int(max_iter),
                               "candidates": candidates_param(candidates)},
                       record={"scores": x[ids].tolist(), "iterations": int(it),
                               "converged": bool(conv)})
