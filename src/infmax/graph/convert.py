"""Conversion to and from other libraries: networkx, pandas, scipy.

:func:`from_networkx` / :func:`to_networkx`, :func:`from_pandas`, :func:`from_scipy` /
:func:`to_scipy`. Every ``from_*`` ends in :func:`infmax.graph.from_edges` (self-loops dropped,
parallel edges merged, both counted in ``G.summary``) and keeps isolated nodes where the source
lists them (networkx nodes, matrix rows, ``nodes=``); labels of any hashable type are kept.
The libraries are imported when a function needs them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import plain
from ..exceptions import InvalidParameterError
from ._buildargs import check_build_args, resolve_weights, wants_file
from ._digraph import DiGraph, from_edges

if TYPE_CHECKING:
    import networkx
    import pandas
    import scipy.sparse
    from numpy.typing import ArrayLike, DTypeLike

    from ..random import RngLike

__all__ = ["from_networkx", "to_networkx", "from_pandas", "from_scipy", "to_scipy"]

_INT64_MAX = 2**63 - 1


def _label_array(values: list):
    """Labels as int64 (all ints), str (all strings) or None (anything else)."""
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
           for v in values):
        if all(-_INT64_MAX <= int(v) <= _INT64_MAX for v in values):
            return np.asarray(values, dtype=np.int64)
        return None
    if all(isinstance(v, str) for v in values):
        return np.asarray(values, dtype=str)
    return None


def _relabel(G: DiGraph, labels_obj: np.ndarray) -> DiGraph:
    """Return the same graph, labels replaced by ``labels_obj[old int label]`` (object labels)."""
    new = np.empty(G.n, dtype=object)
    new[:] = [labels_obj[i] for i in G.labels.tolist()]
    return G.with_labels(new)


def _build_any(src_list: Sequence[Hashable], dst_list: Sequence[Hashable],
               probs: ArrayLike | None, node_list: Iterable[Hashable],
               **kw: Any) -> DiGraph:  # kw: from_edges keywords, passed through
    """from_edges for label lists of any hashable type."""
    labels = _label_array(list(node_list) + list(src_list) + list(dst_list))
    if labels is not None:
        k = len(node_list)
        nodes = labels[:k]
        s = labels[k:k + len(src_list)]
        d = labels[k + len(src_list):]
        return from_edges(s, d, probs, nodes=nodes, **kw)
    # general hashables: ids in first-appearance order, labels restored afterwards
    index: dict = {}
    for v in list(node_list) + list(src_list) + list(dst_list):
        index.setdefault(v, len(index))
    s = np.fromiter((index[v] for v in src_list), dtype=np.int64, count=len(src_list))
    d = np.fromiter((index[v] for v in dst_list), dtype=np.int64, count=len(dst_list))
    G = from_edges(s, d, probs, nodes=np.arange(len(index), dtype=np.int64), **kw)
    inv = list(index)
    return _relabel(G, inv)


def from_networkx(G: networkx.Graph, *, weight: str | None = "p",
                  weights: str | float | ArrayLike = "auto", directed: bool | None = None,
                  merge: str = "ic", dtype: DTypeLike = np.float64, rng: RngLike = None,
                  p: float | None = None) -> DiGraph:
    """Convert a networkx graph (isolated nodes and labels kept).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph (multigraphs too: parallel edges are merged)
    weight : str or None, default "p"
        Edge attribute holding the probability. When every edge has it, the values become the
        file probabilities (used by ``weights="auto"``/``"file"``); ``None`` ignores
        attributes.
    weights : default "auto"
        ``"file"`` when the attribute is present on every edge, else ``"wc"``.
    directed : bool, optional
        Default: ``G.is_directed()``. ``False`` on a directed graph treats each arc as an
        undirected edge; ``True`` on an undirected graph stores both arcs of each edge and
        marks the result directed.

    Examples
    --------
    >>> import networkx as nx, infmax as im
    >>> H = im.from_networkx(nx.path_graph(4))
    >>> H, H.labels.tolist()
    (DiGraph(n=4, m=6, weights='wc', directed=False), [0, 1, 2, 3])
    """
    func = "from_networkx"
    rng = check_build_args(func, weights, p, merge, dtype, rng)
    if not (hasattr(G, "is_directed") and hasattr(G, "edges") and hasattr(G, "nodes")):
        raise InvalidParameterError(
            f"The 'G' parameter of {func} must be a networkx graph. Got {type(G).__name__}.",
            param="G", value=type(G).__name__)
    nx_directed = bool(G.is_directed())
    if directed is None:
        directed = nx_directed
    edges = list(G.edges(data=True))
    if directed and not nx_directed:
        edges = edges + [(v, u, a) for u, v, a in edges]
    src = [u for u, _, _ in edges]
    dst = [v for _, v, _ in edges]
    probs = None
    if weight is not None and edges and all(weight in a for _, _, a in edges):
        try:
            probs = np.asarray([float(a[weight]) for _, _, a in edges], dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"The 'weight' parameter of {func} names edge attribute {weight!r}, which "
                "must hold numbers.", param="weight", value=weight) from None
    weights = resolve_weights(weights, probs is not None)
    return _build_any(src, dst, probs, list(G.nodes()), directed=bool(directed),
                      weights=weights, merge=merge, dtype=dtype, rng=rng, p=p,
                      source=f"networkx {type(G).__name__}")


def to_networkx(G: DiGraph, *, weight: str = "p") -> networkx.DiGraph:
    """Convert to a ``networkx.DiGraph`` with every node (original labels) and arc.

    The arc probability is the edge attribute ``weight``. An undirected infmax graph gives
    both arcs of each edge.

    Examples
    --------
    >>> import infmax as im
    >>> H = im.graph.to_networkx(im.graph.from_edges([1], [2], weights=0.3))
    >>> list(H.edges(data=True))
    [(1, 2, {'p': 0.3})]
    """
    import networkx as nx

    H = nx.DiGraph()
    labels = G.labels.tolist()
    H.add_nodes_from(labels)
    src = G.sources.tolist()
    dst = G.indices.tolist()
    pr = G.probs.tolist()
    H.add_edges_from((labels[u], labels[v], {weight: q}) for u, v, q in zip(src, dst, pr))
    return H


def from_pandas(df: pandas.DataFrame, source: str = "source", target: str = "target",
                prob: str | None = None, *, directed: bool = True,
                weights: str | float | ArrayLike = "auto", merge: str = "ic",
                nodes: ArrayLike | None = None, dtype: DTypeLike = np.float64, rng: RngLike = None,
                p: float | None = None) -> DiGraph:
    """Build a graph from an edge DataFrame (one row per edge).

    ``prob`` names the probability column (then ``weights="auto"`` means ``"file"``).
    Missing values raise InvalidParameterError naming the column and row.

    Examples
    --------
    >>> import pandas as pd, infmax as im
    >>> df = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "p": [0.2, 0.4]})
    >>> im.graph.from_pandas(df, prob="p").probs.tolist()
    [0.2, 0.4]
    """
    func = "from_pandas"
    rng = check_build_args(func, weights, p, merge, dtype, rng)
    cols = [source, target] + ([prob] if prob is not None else [])
    for c in cols:
        if not hasattr(df, "columns") or c not in df.columns:
            have = list(getattr(df, "columns", []))
            raise InvalidParameterError(
                f"The column parameter of {func} names {c!r}, which is not a column of the "
                f"DataFrame (columns: {have}).", param="source" if c == source else
                ("target" if c == target else "prob"), value=c)
    for c in cols:
        na = df[c].isna().to_numpy()
        if na.any():
            i = int(np.flatnonzero(na)[0])
            raise InvalidParameterError(
                f"The '{c}' column given to {func} has a missing value in row "
                f"{plain(df.index[i])!r}.",
                param="df", value=c)
    s = df[source].to_numpy()
    d = df[target].to_numpy()
    probs = None if prob is None else df[prob].to_numpy(dtype=np.float64)
    node_list = [] if nodes is None else list(nodes)
    weights = resolve_weights(weights, probs is not None)
    if s.dtype.kind in "iu" and d.dtype.kind in "iu" and not node_list:
        return from_edges(s.astype(np.int64), d.astype(np.int64), probs, directed=directed,
                          weights=weights, merge=merge, dtype=dtype, rng=rng, p=p,
                          source="pandas DataFrame")
    return _build_any(s.tolist(), d.tolist(), probs, node_list, directed=directed,
                      weights=weights, merge=merge, dtype=dtype, rng=rng, p=p,
                      source="pandas DataFrame")


def from_scipy(A: ArrayLike | scipy.sparse.sparray | scipy.sparse.spmatrix, *,
               labels: ArrayLike | None = None, weights: str | float | ArrayLike = "auto",
               directed: bool = True, merge: str = "ic", dtype: DTypeLike = np.float64,
               rng: RngLike = None, p: float | None = None) -> DiGraph:
    """Build a graph from an ``n x n`` (sparse or dense) matrix; entry ``(i, j)`` is arc ``i -> j``.

    Every stored entry of a sparse matrix is an arc (explicit zeros included); a dense array is
    converted first (zeros are no arc). ``labels`` (length n) name the rows, default ``0..n-1``;
    every row is a node, isolated or not. ``weights="auto"`` uses the values as probabilities
    (``"file"``) when the matrix holds floats other than 1, and ``"wc"`` for a 0/1 or integer
    matrix. ``directed=False`` needs a symmetric matrix and reads its upper triangle.

    Examples
    --------
    >>> import numpy as np, infmax as im
    >>> G = im.graph.from_scipy(np.array([[0, 0.5], [0, 0]]))
    >>> G, G.probs.tolist()
    (DiGraph(n=2, m=1, weights='file', directed=True), [0.5])
    """
    import scipy.sparse as sp

    func = "from_scipy"
    rng = check_build_args(func, weights, p, merge, dtype, rng)
    try:
        M = sp.coo_array(A)
    except (TypeError, ValueError) as e:
        raise InvalidParameterError(
            f"The 'A' parameter of {func} must be a square matrix (scipy sparse or array). "
            f"Got {type(A).__name__} ({e}).", param="A", value=type(A).__name__) from None
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise InvalidParameterError(
            f"The 'A' parameter of {func} must be a square matrix. Got shape {M.shape}.",
            param="A", value=M.shape)
    n = M.shape[0]
    if M.dtype == bool:
        M = M.astype(np.float64)
    if not directed:
        C = sp.csr_array(M)
        if (abs(C - C.T) > 0).nnz:
            raise InvalidParameterError(
                f"The 'A' parameter of {func} must be symmetric when directed=False.",
                param="A", value="asymmetric")
    row = np.asarray(M.row, dtype=np.int64)
    col = np.asarray(M.col, dtype=np.int64)
    vals = np.asarray(M.data, dtype=np.float64)
    if not directed:
        keep = row <= col
        row, col, vals = row[keep], col[keep], vals[keep]
    floats = M.dtype.kind == "f" and bool(np.any(vals != 1.0))
    probs = vals if (floats or wants_file(weights)) else None
    weights = resolve_weights(weights, floats)
    if labels is None:
        return from_edges(row, col, probs, directed=directed, weights=weights, merge=merge,
                          nodes=np.arange(n, dtype=np.int64), dtype=dtype, rng=rng, p=p,
                          source="scipy sparse matrix")
    lab = list(labels)
    if len(lab) != n or len(set(lab)) != n:
        raise InvalidParameterError(
            f"The 'labels' parameter of {func} must hold {n} distinct labels (one per row). "
            f"Got {len(lab)} ({len(set(lab))} distinct).", param="labels", value=len(lab))
    return _build_any([lab[i] for i in row.tolist()], [lab[j] for j in col.tolist()], probs,
                      lab, directed=directed, weights=weights, merge=merge, dtype=dtype,
                      rng=rng, p=p, source="scipy sparse matrix")


def to_scipy(G: DiGraph, *, dtype: DTypeLike | None = None) -> scipy.sparse.csr_array:
    """Return the ``n x n`` CSR matrix (``scipy.sparse.csr_array``) of arc probabilities.

    Row and column ``i`` are node id ``i`` (label ``G.labels[i]``).

    Examples
    --------
    >>> import infmax as im
    >>> im.graph.to_scipy(im.graph.from_edges([0], [1], weights=0.2)).toarray().tolist()
    [[0.0, 0.2], [0.0, 0.0]]
    """
    import scipy.sparse as sp

    probs = G.probs if dtype is None else G.probs.astype(dtype)
    return sp.csr_array((np.array(probs), np.array(G.indices), np.array(G.indptr)),
                        shape=(G.n, G.n))

