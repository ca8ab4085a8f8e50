"""Synthetic graphs: Erdos-Renyi, Barabasi-Albert and the stochastic block model.

Every generator takes an ``rng`` (None, int, SeedSequence or Generator), a ``directed`` flag and
an edge-weight scheme (``weights="wc"`` by default, any scheme of
:func:`infmax.graph.apply_weights`), and returns a :class:`~infmax.graph.DiGraph` whose labels
are the ints ``0 .. n-1`` (isolated nodes included). The same ``rng`` seed gives the same graph.

An undirected graph (``directed=False``) is stored as two arcs per edge, as everywhere in
infmax, so ``G.m`` is twice the number of edges.

Examples
--------
>>> import infmax as im
>>> G = im.datasets.erdos_renyi(100, 0.05, rng=1)
>>> G.n
100
>>> H = im.datasets.barabasi_albert(1000, 3, rng=1)
>>> H.m == 2 * 3 * (1000 - 3)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .._validation import Interval, check, fail
from ..graph import from_edges
from ..graph.weights import parse_weights
from ..random import as_generator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["erdos_renyi", "barabasi_albert", "stochastic_block"]


def _pairs_undirected(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map ranks ``0 .. n(n-1)/2 - 1`` to pairs ``(i, j)`` with ``j < i`` (lower triangle)."""
    idx = idx.astype(np.int64)
    i = ((1.0 + np.sqrt(1.0 + 8.0 * idx.astype(np.float64))) / 2.0).astype(np.int64)
    # repair floating-point rounding: want i(i-1)/2 <= idx < (i+1)i/2
    i -= (i * (i - 1) // 2) > idx
    i += ((i + 1) * i // 2) <= idx
    j = idx - i * (i - 1) // 2
    return i, j


def _pairs_directed(idx: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Map ranks ``0 .. n(n-1) - 1`` to ordered pairs ``(u, v)`` with ``u != v``."""
    idx = idx.astype(np.int64)
    u = idx // (n - 1)
    r = idx % (n - 1)
    v = r + (r >= u)
    return u, v


def _sample(gen: np.random.Generator, total: int, p: float | None, m: int | None) -> np.ndarray:
    """Draw a uniformly random subset of ``range(total)``: Binomial(total, p) or m elements."""
    if total <= 0:
        return np.empty(0, dtype=np.int64)
    k = int(gen.binomial(total, p)) if m is None else int(m)
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k == total:
        return np.arange(total, dtype=np.int64)
    return np.sort(gen.choice(total, size=k, replace=False)).astype(np.int64)


def _finish(src, dst, n, *, directed, weights, gen, dtype, source, probs=None):
    return from_edges(np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64), probs,
                      directed=directed, weights=weights, nodes=np.arange(n, dtype=np.int64),
                      rng=gen, dtype=dtype, source=source)


def erdos_renyi(n: int, p: float | None = None, *, m: int | None = None, directed: bool = False,
                weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                dtype: DTypeLike = np.float64) -> DiGraph:
    """Erdos-Renyi random graph G(n, p), or G(n, m) when ``m`` is given.

    Parameters
    ----------
    n : int
        Number of nodes (labels ``0 .. n-1``).
    p : float in [0, 1], optional
        Probability of each possible edge (each ordered pair when ``directed``).
    m : int, optional
        Exact number of edges (arcs when ``directed``) instead of ``p``.
    directed : bool, default False
        Directed: each of the ``n(n-1)`` ordered pairs independently. Undirected: each of the
        ``n(n-1)/2`` pairs, stored as two arcs.
    weights : str, float or array, default "wc"
        Edge-weight scheme (see :func:`infmax.graph.apply_weights`).
    rng : None, int, SeedSequence or Generator
        Source of randomness (also used by ``weights="trivalency"``).

    Notes
    -----
    Exact G(n, p): the edge count is drawn from Binomial(N, p), then that many distinct pair
    ranks uniformly without replacement (O(m) expected time and memory, never O(n^2)).

    Examples
    --------
    >>> import infmax as im
    >>> im.datasets.erdos_renyi(50, m=100, directed=True, rng=0).m
    100
    """
    func = "erdos_renyi"
    parse_weights(weights, func=func)
    n = check(func, "n", n, Interval(int, 0, None))
    total = n * (n - 1) if directed else n * (n - 1) // 2
    if (p is None) == (m is None):
        fail(func, "p", "given exactly when 'm' is not (a float in [0, 1])", p)
    if p is not None:
        p = check(func, "p", p, Interval(float, 0, 1))
    else:
        m = check(func, "m", m, Interval(int, 0, total))
    gen = as_generator(rng, func=func)
    idx = _sample(gen, total, p, m)
    if directed:
        u, v = _pairs_directed(idx, n)
    else:
        u, v = _pairs_undirected(idx)
    desc = f"erdos_renyi(n={n}, " + (f"p={p:g})" if p is not None else f"m={m})")
    return _finish(u, v, n, directed=directed, weights=weights, gen=gen, dtype=dtype,
                   source=desc)


def barabasi_albert(n: int, m_attach: int, *, directed: bool = False,
                    weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                    dtype: DTypeLike = np.float64) -> DiGraph:
    """Barabasi-Albert preferential-attachment graph.

    Starts from a star on ``m_attach + 1`` nodes (as networkx does); each later node ``t``
    attaches to ``m_attach`` distinct earlier nodes drawn with probability proportional to
    their degree. The graph has exactly ``m_attach * (n - m_attach)`` edges.

    Parameters
    ----------
    n : int
        Number of nodes, ``n > m_attach``.
    m_attach : int
        Edges added with each new node, ``>= 1``.
    directed : bool, default False
        Undirected edges are stored as two arcs. With ``directed=True`` each edge becomes one
        arc from the newer node to the older one (citation-like: new nodes point at hubs).
    weights, rng, dtype
        As in :func:`erdos_renyi`.

    Notes
    -----
    O(n m_attach) time; the degree-proportional draw samples from the list of edge endpoints
    (Batagelj and Brandes 2005), rejecting repeats.

    Examples
    --------
    >>> import infmax as im
    >>> G = im.datasets.barabasi_albert(200, 2, rng=3)
    >>> (G.n, G.m)
    (200, 792)
    """
    func = "barabasi_albert"
    parse_weights(weights, func=func)
    m_attach = check(func, "m_attach", m_attach, Interval(int, 1, None))
    n = check(func, "n", n, Interval(int, m_attach + 1, None))
    gen = as_generator(rng, func=func)
    n_edges = m_attach * (n - m_attach)
    src = np.empty(n_edges, dtype=np.int64)
    dst = np.empty(n_edges, dtype=np.int64)
    # star: node m_attach joined to 0 .. m_attach-1
    src[:m_attach] = m_attach
    dst[:m_attach] = np.arange(m_attach)
    ends = np.empty(2 * n_edges, dtype=np.int64)   # every edge endpoint: degree-weighted pool
    ends[0:2 * m_attach:2] = m_attach
    ends[1:2 * m_attach:2] = np.arange(m_attach)
    e = m_attach
    # draw uniforms in batches; rejection of repeats needs few extra draws
    buf = gen.random(4 * m_attach * 64)
    pos = 0
    for t in range(m_attach + 1, n):
        pool = 2 * e
        chosen: set[int] = set()
        while len(chosen) < m_attach:
            if pos >= buf.shape[0]:
                buf = gen.random(buf.shape[0])
                pos = 0
            chosen.add(int(ends[int(buf[pos] * pool)]))
            pos += 1
        for v in sorted(chosen):
            src[e] = t
            dst[e] = v
            ends[2 * e] = t
            ends[2 * e + 1] = v
            e += 1
    return _finish(src, dst, n, directed=directed, weights=weights, gen=gen, dtype=dtype,
                   source=f"barabasi_albert(n={n}, m_attach={m_attach})")


def stochastic_block(sizes: Sequence[int], p_matrix: ArrayLike, *, directed: bool = False,
                     weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                     dtype: DTypeLike = np.float64,
                     return_blocks: bool = False) -> DiGraph | tuple[DiGraph, np.ndarray]:
    """Stochastic block model: blocks of given sizes, edge probability by block pair.

    Nodes ``0 .. sizes[0]-1`` form block 0, the next ``sizes[1]`` block 1, and so on. Each pair
    ``(u, v)`` with ``u`` in block ``a`` and ``v`` in block ``b`` is an edge with probability
    ``p_matrix[a][b]`` (undirected: each unordered pair once; ``p_matrix`` must be symmetric).

    Parameters
    ----------
    sizes : sequence of int
        Block sizes (each >= 0).
    p_matrix : array-like, shape (len(sizes), len(sizes))
        Probabilities in [0, 1].
    directed : bool, default False
    weights, rng, dtype
        As in :func:`erdos_renyi`.
    return_blocks : bool, default False
        Also return the int array of block ids (per node id).

    Notes
    -----
    Each block pair is sampled exactly like G(n, p) (binomial count, then distinct ranks), so
    the expected number of edges is ``sum_a p_aa C(s_a, 2) + sum_{a<b} p_ab s_a s_b``
    (undirected). The block of every node is also kept in ``G.summary.extra["blocks"]``.

    Examples
    --------
    >>> import infmax as im
    >>> G, blocks = im.datasets.stochastic_block([50, 50], [[0.2, 0.01], [0.01, 0.2]],
    ...                                          rng=0, return_blocks=True)
    >>> G.n, int(blocks[60])
    (100, 1)
    """
    func = "stochastic_block"
    parse_weights(weights, func=func)
    try:
        sizes_arr = np.asarray(sizes, dtype=np.int64)
        if sizes_arr.ndim != 1 or not np.array_equal(sizes_arr, np.asarray(sizes, dtype=float)):
            raise ValueError
    except (TypeError, ValueError):
        fail(func, "sizes", "a 1-D sequence of non-negative ints", sizes)
    if (sizes_arr < 0).any():
        fail(func, "sizes", "a 1-D sequence of non-negative ints", sizes)
    k = sizes_arr.shape[0]
    try:
        P = np.asarray(p_matrix, dtype=np.float64)
    except (TypeError, ValueError):
        fail(func, "p_matrix", f"a {k} x {k} matrix of probabilities in [0, 1]", p_matrix)
    if P.shape != (k, k) or not np.all((P >= 0) & (P <= 1)):
        fail(func, "p_matrix", f"a {k} x {k} matrix of probabilities in [0, 1]", p_matrix)
    if not directed and not np.allclose(P, P.T):
        fail(func, "p_matrix", "symmetric when directed=False", p_matrix)
    gen = as_generator(rng, func=func)
    offs = np.concatenate([[0], np.cumsum(sizes_arr)])
    n = int(offs[-1])
    srcs, dsts = [], []
    for a in range(k):
        for b in range(k):
            if not directed and b > a:
                continue
            sa, sb = int(sizes_arr[a]), int(sizes_arr[b])
            p = float(P[a, b])
            if a == b:
                if directed:
                    u, v = _pairs_directed(_sample(gen, sa * (sa - 1), p, None), sa)
                else:
                    u, v = _pairs_undirected(_sample(gen, sa * (sa - 1) // 2, p, None))
            else:
                idx = _sample(gen, sa * sb, p, None)
                u, v = idx // max(sb, 1), idx % max(sb, 1)
            srcs.append(u + offs[a])
            dsts.append(v + offs[b])
    src = np.concatenate(srcs) if srcs else np.empty(0, dtype=np.int64)
    dst = np.concatenate(dsts) if dsts else np.empty(0, dtype=np.int64)
    G = _finish(src, dst, n, directed=directed, weights=weights, gen=gen, dtype=dtype,
                source=f"stochastic_block(sizes={sizes_arr.tolist()})")
    blocks = np.repeat(np.arange(k), sizes_arr)
    G.summary.extra["blocks"] = blocks
    return (G, blocks) if return_blocks else G
