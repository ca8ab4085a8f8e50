"""Synthetic graphs: Erdos-Renyi, Barabasi-Albert, the stochastic block model, R-MAT, Chung-Lu.

Every generator takes an ``rng`` (None, int, SeedSequence or Generator), a ``directed`` flag and
an edge-weight scheme (``weights="wc"`` by default, any scheme of
:func:`infmax.graph.apply_weights`), and returns a :class:`~infmax.graph.DiGraph` whose labels
are the ints ``0 .. n-1`` (isolated nodes included). The same ``rng`` seed gives the same graph.

An undirected graph (``directed=False``) is stored as two arcs per edge, as everywhere in
infmax, so ``G.m`` is twice the number of edges.

:func:`rmat` and :func:`chung_lu` are the large-graph generators: numba kernels over fixed
blocks with one seed each (identical output for any ``n_threads``), the CSR built by counting
sort in O(n + m) (no sort of all arcs), so 10^8 arcs take seconds to tens of seconds.

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

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._memory import check as check_memory
from .._memory import guard, resolve_limit
from .._validation import Interval, check, fail
from ..graph import BuildSummary, from_edges
from ..graph._digraph import _CALL_ARCS, MAX_NODES, DiGraph, _readonly, _Structure
from ..graph.weights import apply_weights, parse_weights
from ..random import as_generator, block_seeds, n_blocks_for

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..random import RngLike

__all__ = ["erdos_renyi", "barabasi_albert", "stochastic_block", "rmat", "rmat_edges",
           "chung_lu"]


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


# -- large graphs: R-MAT and Chung-Lu ------------------------------------------------------------
#: bytes per generated arc while a large graph is built (pairs, rows, final CSR, probabilities)
_BUILD_BYTES_PER_ARC = 40


def _ranges(total: int, step: int):
    """``(start, stop)`` pieces of ``range(total)`` of at most ``step`` items."""
    for a in range(0, total, step):
        yield a, min(total, a + step)


def _csr_graph(n: int, src: np.ndarray, dst: np.ndarray, *, directed: bool,
               weights: str | float | ArrayLike, gen: np.random.Generator, dtype: DTypeLike,
               source: str, func: str) -> DiGraph:
    """Build the graph of int32 id pairs in ``[0, n)`` as :func:`from_edges` would.

    Self-loops dropped, parallel edges merged (both counted in the summary), labels
    ``0 .. n-1``; but by counting sort in bounded kernel calls, O(n + m), instead of a sort of
    all pairs. ``directed=False`` stores each edge as both arcs.
    """
    from .._kernels import generators as _gen

    rows = int(src.shape[0])
    n_loops = int(np.count_nonzero(src == dst))
    if not directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    total = int(src.shape[0])
    counts = np.zeros(n, dtype=np.int64)
    for e0, e1 in _ranges(total, _CALL_ARCS):
        _gen.count_rows(src, dst, e0, e1, counts)
        checkpoint()
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    cols = np.empty(int(indptr[n]), dtype=np.int32)
    cursor = indptr[:-1].copy()
    for e0, e1 in _ranges(total, _CALL_ARCS):
        _gen.scatter_rows(src, dst, e0, e1, cursor, cols)
        checkpoint()
    del src, dst, cursor
    kept = np.zeros(n, dtype=np.int64)
    step = max(1, n * _CALL_ARCS // max(1, cols.shape[0]))
    for r0, r1 in _ranges(n, step):
        _gen.sort_dedup_rows(indptr, cols, r0, r1, kept)
        checkpoint()
    new_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(kept, out=new_indptr[1:])
    m = int(new_indptr[n])
    if m == cols.shape[0]:
        indices = cols
    else:
        indices = np.empty(m, dtype=np.int32)
        for r0, r1 in _ranges(n, step):
            _gen.compact_rows(indptr, cols, new_indptr, r0, r1, indices)
            checkpoint()
    del cols
    merged = (rows - n_loops) - (m if directed else m // 2)
    summary = BuildSummary(n=n, m=m, directed=directed, rows_read=rows,
                           self_loops_dropped=n_loops, parallel_edges_merged=int(merged),
                           merge="ic", source=source)
    structure = _Structure(n, _readonly(new_indptr), _readonly(indices))
    G = DiGraph(structure, np.zeros(m, dtype=dtype), np.arange(n, dtype=np.int64),
                directed=directed, weighting="none", summary=summary)
    return apply_weights(G, weights, rng=gen, func=func)


@contextlib.contextmanager
def _threads(n_threads: int | None, func: str) -> Iterator[None]:
    """Hold numba's thread count at ``n_threads`` inside one Ctrl-C section.

    numba is imported here, not when :mod:`infmax.datasets` is imported.
    """
    from .._kernels._threads import threads

    with threads(n_threads, func=func), interruptible():
        yield


def _check_large(func: str, n: int, arcs: int, max_memory: int | None) -> None:
    if n > MAX_NODES:
        fail(func, "n", f"at most {MAX_NODES:,} nodes (int32 ids)", n)
    check_memory(func, float(arcs) * _BUILD_BYTES_PER_ARC + 24.0 * n,
                 resolve_limit(func, max_memory), what="building the graph",
                 hint="generate a smaller graph or raise max_memory")


def rmat(scale: int, edge_factor: int = 16, *, a: float = 0.57, b: float = 0.19,
         c: float = 0.19, directed: bool = True, permute: bool = True,
         weights: str | float | ArrayLike = "wc", rng: RngLike = None,
         dtype: DTypeLike = np.float64, n_threads: int | None = None,
         max_memory: int | None = None) -> DiGraph:
    r"""R-MAT (recursive matrix, Kronecker) graph with the Graph500 parameters by default.

    ``edge_factor * 2^scale`` arcs are drawn, each by ``scale`` recursive choices of a
    quadrant of the adjacency matrix with probabilities ``a``, ``b``, ``c`` and
    ``d = 1 - a - b - c`` (Chakrabarti, Zhan and Faloutsos 2004; Graph500: a = 0.57,
    b = c = 0.19, d = 0.05, edge factor 16).

    Parameters
    ----------
    scale : int
        ``n = 2^scale`` nodes (labels ``0 .. n-1``, isolated nodes included), 1 <= scale <= 30.
    edge_factor : int, default 16
        Arcs drawn per node.
    a, b, c : float
        Quadrant probabilities (each >= 0, ``a + b + c <= 1``).
    directed : bool, default True
        ``False`` reads each drawn pair as an undirected edge (stored as two arcs).
    permute : bool, default True
        Relabel the nodes by a random permutation (as Graph500 does), so that node ids carry
        no degree information; ``False`` keeps node 0 the heaviest.
    weights : str, float or array, default "wc"
        Edge-weight scheme (see :func:`infmax.graph.apply_weights`).
    rng : None, int, SeedSequence or Generator
        Seeds the kernel blocks, the permutation and random weightings.
    dtype : float32 or float64
        Probability dtype.
    n_threads : int, optional
        numba threads; the graph does not depend on it.
    max_memory : int, optional
        Bytes the build may use (default: the available memory minus a margin); checked
        before allocating, about 40 bytes per drawn arc.

    Returns
    -------
    DiGraph
        Self-loops dropped and repeated pairs merged into one arc, as :func:`from_edges`
        does; ``G.summary`` counts both, ``G.summary.rows_read`` is the number drawn.

    Notes
    -----
    Each block of 16,384 arcs has its own seed (:func:`infmax.random.block_seeds`), and the
    CSR is built by counting sort, O(n + m). Graph500's noise on the parameters per level is
    not applied.

    Examples
    --------
    >>> from infmax.datasets.synthetic import rmat
    >>> G = rmat(10, 8, rng=1)
    >>> G.n, G.summary.rows_read, G.m + G.summary.self_loops_dropped \
    ...     + G.summary.parallel_edges_merged
    (1024, 8192, 8192)
    """
    func = "rmat"
    parse_weights(weights, func=func)
    scale, edge_factor, a, b, c = _check_rmat(func, scale, edge_factor, a, b, c)
    n = 1 << scale
    _check_large(func, n, edge_factor * n, max_memory)
    gen = as_generator(rng, func=func)
    desc = f"rmat(scale={scale}, edge_factor={edge_factor}, a={a:g}, b={b:g}, c={c:g})"
    with _threads(n_threads, func), guard(func, what="the R-MAT graph",
                                          hint="generate a smaller graph"):
        src, dst = _rmat_pairs(func, scale, edge_factor, a, b, c, permute, gen)
        return _csr_graph(n, src, dst, directed=directed, weights=weights, gen=gen,
                          dtype=dtype, source=desc, func=func)


def _check_rmat(func: str, scale: int, edge_factor: int, a: float, b: float,
                c: float) -> tuple[int, int, float, float, float]:
    scale = check(func, "scale", scale, Interval(int, 1, 30))
    edge_factor = check(func, "edge_factor", edge_factor, Interval(int, 0, None))
    a = check(func, "a", a, Interval(float, 0, 1))
    b = check(func, "b", b, Interval(float, 0, 1))
    c = check(func, "c", c, Interval(float, 0, 1))
    if a + b + c > 1.0 + 1e-12:
        fail(func, "c", f"such that a + b + c <= 1 (a = {a:g}, b = {b:g})", c)
    return scale, edge_factor, a, b, c


def _rmat_pairs(func: str, scale: int, edge_factor: int, a: float, b: float, c: float,
                permute: bool, gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw the pairs (int32) in bounded kernel calls: block seeds, then the permutation."""
    from .._kernels import generators as _gen

    n = 1 << scale
    m = edge_factor * n
    nb = n_blocks_for(m, _gen.BLOCK)
    seeds = block_seeds(gen, nb)
    with guard(func, what="the R-MAT arcs", hint="generate a smaller graph"):
        src = np.empty(m, dtype=np.int32)
        dst = np.empty(m, dtype=np.int32)
        per_call = max(1, _CALL_ARCS // (_gen.BLOCK * max(1, scale // 4)))
        for b0, b1 in _ranges(nb, per_call):
            _gen.rmat_block_range(scale, m, a, b, c, seeds, b0, b1, src, dst)
            checkpoint()
        if permute:
            perm = gen.permutation(n).astype(np.int32)
            src = perm[src]
            dst = perm[dst]
    return src, dst


def rmat_edges(scale: int, edge_factor: int = 16, *, a: float = 0.57, b: float = 0.19,
               c: float = 0.19, permute: bool = True, rng: RngLike = None,
               n_threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return the raw pairs :func:`rmat` draws, self-loops and repeats included (int32).

    For writing R-MAT edge lists (benchmarks of the text readers) and for checking the
    generator: ``rmat(...)`` with the same arguments and ``rng`` is the graph of these pairs.

    Parameters
    ----------
    scale, edge_factor, a, b, c, permute, rng, n_threads
        As in :func:`rmat`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Sources and targets, ``edge_factor * 2^scale`` each.

    Examples
    --------
    >>> from infmax.datasets.synthetic import rmat_edges
    >>> src, dst = rmat_edges(4, 2, rng=0)
    >>> src.shape, int(max(src.max(), dst.max())) < 16
    ((32,), True)
    """
    func = "rmat_edges"
    scale, edge_factor, a, b, c = _check_rmat(func, scale, edge_factor, a, b, c)
    gen = as_generator(rng, func=func)
    with _threads(n_threads, func):
        return _rmat_pairs(func, scale, edge_factor, a, b, c, permute, gen)


def _degree_array(func: str, param: str, values: ArrayLike, n: int | None = None) -> np.ndarray:
    try:
        w = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        fail(func, param, "a 1-D array of non-negative finite expected degrees", values)
    if w.ndim != 1 or (n is not None and w.shape[0] != n) or not np.all(np.isfinite(w)) \
            or (w < 0).any():
        what = "a 1-D array of non-negative finite expected degrees"
        if n is not None:
            what += f" of length {n} (one per node)"
        bad = w if w.ndim != 1 or w.shape[0] < 1 else w[~(np.isfinite(w) & (w >= 0))][:1]
        fail(func, param, what, bad.tolist() if bad.size <= 3 else f"shape {w.shape}")
    return w


def chung_lu(degrees: ArrayLike, *, in_degrees: ArrayLike | None = None,
             directed: bool = False, weights: str | float | ArrayLike = "wc",
             rng: RngLike = None, dtype: DTypeLike = np.float64, n_threads: int | None = None,
             max_memory: int | None = None) -> DiGraph:
    """Chung-Lu random graph with given expected degrees.

    Undirected: each pair ``u != v`` is an edge independently with probability
    ``min(1, w_u w_v / S)``, ``S = sum(w)``, so node ``u`` has expected degree
    ``sum_{v != u} min(1, w_u w_v / S)`` (``w_u`` when no product exceeds ``S``, less the
    ``w_u^2 / S`` of the excluded self-pair). Directed: arc ``u -> v`` with probability
    ``min(1, w_out_u w_in_v / S)``.

    Parameters
    ----------
    degrees : array-like of float
        Expected (out-)degree of every node ``0 .. n-1``, >= 0.
    in_degrees : array-like of float, optional
        Directed only: expected in-degrees (default: ``degrees``); their sum must equal the
        sum of ``degrees``.
    directed : bool, default False
        Undirected edges are stored as two arcs.
    weights, rng, dtype, n_threads, max_memory
        As in :func:`rmat`.

    Returns
    -------
    DiGraph
        No self-loops and no parallel arcs by construction; labels ``0 .. n-1``.

    Notes
    -----
    The Miller-Hagberg (2011) sampler: nodes sorted by decreasing weight, geometric skips
    over the targets of each source, O(n + m) expected time. Sources are cut into blocks of
    16,384 with one seed each; a counting pass and a filling pass with the same seeds place
    every arc at its final offset (identical output for any thread count).

    Examples
    --------
    >>> import numpy as np
    >>> from infmax.datasets.synthetic import chung_lu
    >>> G = chung_lu(np.full(1000, 10.0), rng=1)
    >>> G.n, 9000 < G.m < 11000
    (1000, True)
    """
    func = "chung_lu"
    parse_weights(weights, func=func)
    w_out = _degree_array(func, "degrees", degrees)
    n = int(w_out.shape[0])
    if n < 1:
        fail(func, "degrees", "a 1-D array of at least one expected degree", w_out.tolist())
    if in_degrees is not None:
        if not directed:
            fail(func, "in_degrees", "None unless directed=True", "an array")
        w_in = _degree_array(func, "in_degrees", in_degrees, n)
        so, si = float(w_out.sum()), float(w_in.sum())
        if abs(so - si) > 1e-9 * max(so, si, 1.0):
            fail(func, "in_degrees", f"an array whose sum equals the sum of 'degrees' ({so:g})",
                 f"sum {si:g}")
    else:
        w_in = w_out
    S = float(w_in.sum())
    _check_large(func, n, (1 if directed else 2) * min(S, float(n) * n), max_memory)
    gen = as_generator(rng, func=func)
    order = np.argsort(-w_in, kind="stable")
    w_in_s = np.ascontiguousarray(w_in[order])
    w_out_s = np.ascontiguousarray(w_out[order])
    inv_s = 1.0 / S if S > 0 else 0.0
    with _threads(n_threads, func):
        return _chung_lu_build(func, n, w_out_s, w_in_s, inv_s, order, S, directed, weights,
                               gen, dtype)


def _chung_lu_build(func, n, w_out_s, w_in_s, inv_s, order, S, directed, weights, gen, dtype):
    """Run the kernels of :func:`chung_lu`: count, fill, map back to ids, build the CSR."""
    from .._kernels import generators as _gen

    nb = n_blocks_for(n, _gen.BLOCK)
    seeds = block_seeds(gen, nb)
    undirected = not directed
    per_call = max(1, int(_CALL_ARCS / max(1.0, S / nb) // 4))
    with guard(func, what="the Chung-Lu arcs", hint="generate a smaller graph"):
        counts = np.zeros(n, dtype=np.int64)
        for b0, b1 in _ranges(nb, per_call):
            _gen.chung_lu_count(w_out_s, w_in_s, inv_s, undirected, seeds, b0, b1, counts)
            checkpoint()
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        tgt = np.empty(int(ptr[n]), dtype=np.int32)
        for b0, b1 in _ranges(nb, per_call):
            _gen.chung_lu_fill(w_out_s, w_in_s, inv_s, undirected, seeds, b0, b1, ptr, tgt)
            checkpoint()
        ids = order.astype(np.int32)
        src = np.repeat(ids, counts)
        dst = ids[tgt]
        del tgt
        desc = f"chung_lu(n={n}, sum of degrees={S:g}, directed={bool(directed)})"
        return _csr_graph(n, src, dst, directed=directed, weights=weights, gen=gen,
                          dtype=dtype, source=desc, func=func)
