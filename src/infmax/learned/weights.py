"""Influence weights learned from cascades: :func:`databased_weights` (DATA-BASED, DB).

The IMINFECTOR paper (Sec. 5.2) couples graph-based IM methods with weights learned from the
training cascades; METHODS.md section 1 fixes the DATA-BASED scheme of Goyal, Bonchi and
Lakshmanan (WSDM 2010): ``p(u -> v) = A_{u->v} / A_u``, the number of times ``v`` copied ``u``
over ``u``'s activity, arcs of weight zero dropped, then every node's out-weights normalised to
sum to 1.

Examples
--------
>>> from infmax.graph.cascades import Cascades
>>> from infmax.learned import databased_weights
>>> C = Cascades.from_lists([["a", "b", "c"], ["a", "b"], ["b", "c"]],
...                         [[0, 1, 2], [5, 6], [9, 10]])
>>> W = databased_weights(C)          # no social graph: initiator -> participant arcs
>>> sorted((W.node_labels([u])[0], W.node_labels([v])[0], round(p, 3))
...        for u, v, p in zip(W.sources, W.indices, W.probs.tolist()))
[('a', 'b', 0.667), ('a', 'c', 0.333), ('b', 'c', 1.0)]
"""

from __future__ import annotations

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._validation import check_graph, fail
from ..graph import DiGraph, from_edges
from ..graph.cascades import Cascades

__all__ = ["databased_weights", "derived_graph", "shared_ids", "build_graph"]

#: (cascade item, in-arc) pairs examined per block when counting copies along social arcs
_PAIR_BLOCK = 1 << 21


def shared_ids(cascades: Cascades, graph: DiGraph | None, func: str) -> Cascades:
    """Return ``cascades`` with ids shared with ``graph`` (unchanged when already shared).

    Parameters
    ----------
    cascades : Cascades
    graph : DiGraph or None
        None keeps the cascades as they are (with their own graph, if any).
    func : str
        Name of the calling function, for error messages.

    Returns
    -------
    Cascades
        Ids ``< graph.n`` are the graph's node ids; users absent from the graph follow.
    """
    if not isinstance(cascades, Cascades):
        fail(func, "cascades", "a Cascades collection", type(cascades).__name__)
    if graph is None or cascades.graph is graph:
        return cascades
    check_graph(func, graph, param="graph")
    return cascades.with_graph(graph)


def derived_graph(cascades: Cascades) -> DiGraph:
    """Build the graph derived from cascades: an arc from each initiator to each participant.

    Nodes are all user ids of ``cascades`` (same ids and labels); parallel arcs (the same
    initiator reaching the same user in several cascades) are merged into one. The arcs carry
    weighted-cascade probabilities (irrelevant to structural uses such as k-cores).

    Parameters
    ----------
    cascades : Cascades

    Returns
    -------
    DiGraph
        ``n = cascades.n_ids``.

    Examples
    --------
    >>> from infmax.graph.cascades import Cascades
    >>> C = Cascades.from_lists([["a", "b", "c"], ["b", "c"]], [[0, 1, 2], [5, 6]])
    >>> G = derived_graph(C)
    >>> G.n, G.m, G.out_degree.tolist()
    (3, 3, [2, 1, 0])
    """
    if not isinstance(cascades, Cascades):
        fail("derived_graph", "cascades", "a Cascades collection", type(cascades).__name__)
    src, dst = _initiator_pairs(cascades)
    return build_graph(cascades.n_ids, src, dst).with_labels(_labels(cascades))


def databased_weights(cascades: Cascades, graph: DiGraph | None = None) -> DiGraph:
    """DATA-BASED influence weights learned from (training) cascades.

    ``A_{u->v}`` counts the cascades in which ``v`` copied ``u``, ``A_u`` the cascades in which
    ``u`` takes part (its activity, single-user cascades included); ``p(u -> v) =
    A_{u->v} / A_u``, arcs with ``A_{u->v} = 0`` are dropped and each node's out-weights are
    then normalised to sum to 1 (IMINFECTOR paper Sec. 5.2, METHODS.md section 1). Because of
    that normalisation the final weight is ``A_{u->v} / sum_w A_{u->w}``: ``A_u`` cancels.

    What "v copied u" means depends on the arcs available:

    - **with a social graph** (``graph``, or the graph the cascades share ids with): ``u -> v``
      is an arc of the graph and ``u`` adopted before ``v`` in the cascade (earlier in its
      adoption order; Goyal, Bonchi, Lakshmanan 2010). Only the graph's arcs can get weight.
    - **without one**: the decision of METHODS.md for sets without a graph (as for the k-core
      baseline) is the graph derived from the cascades: every participant ``v`` of a cascade
      started by ``u`` copied ``u`` (a retweet copies the original post), so arcs run from
      each initiator to each participant of its cascades.

    Parameters
    ----------
    cascades : Cascades
        The training cascades (split the test part off first).
    graph : DiGraph, optional
        The social graph; default: ``cascades.graph`` (None: the derived arcs).

    Returns
    -------
    DiGraph
        With a social graph: the graph's nodes, ids and labels (users absent from it have no
        arcs and are left out); without one: every user of the cascades, with their ids and
        labels. ``weighting = "databased"``; arc probabilities in (0, 1], every node with an
        out-arc has out-weights summing to 1.

    Raises
    ------
    InvalidParameterError
        ``cascades`` is not a Cascades collection or ``graph`` not a DiGraph.
    """
    func = "databased_weights"
    C = shared_ids(cascades, graph, func)
    G = C.graph
    if G is None:
        src, dst = _initiator_pairs(C)
        key = src.astype(np.int64) * C.n_ids + dst
        key, counts = np.unique(key, return_counts=True)
        src, dst = (key // C.n_ids), (key % C.n_ids)
    else:
        arcs, counts = _social_copies(C, G)
        src, dst = G.sources[arcs].astype(np.int64), G.indices[arcs].astype(np.int64)
    activity = np.bincount(C.users, minlength=C.n_ids).astype(np.float64)
    p = counts / activity[src]                       # A_{u->v} / A_u (every count is > 0)
    out = np.bincount(src, weights=p, minlength=C.n_ids)
    p = np.minimum(p / out[src], 1.0)               # out-weights normalised to 1 per node
    if G is None:
        return build_graph(C.n_ids, src, dst, p, weighting="databased").with_labels(C.labels)
    return build_graph(G.n, src, dst, p, weighting="databased").with_labels(G.labels)


def _initiator_pairs(C: Cascades) -> tuple[np.ndarray, np.ndarray]:
    """Return the (initiator, participant) id pairs of every cascade."""
    sizes = C.sizes
    src = np.repeat(C.initiators.astype(np.int64), sizes)
    first = np.zeros(C.users.size, dtype=bool)
    first[C.offsets[:-1]] = True
    return src[~first], C.users[~first].astype(np.int64)


def _social_copies(C: Cascades, G: DiGraph) -> tuple[np.ndarray, np.ndarray]:
    """Count, per arc ``u -> v`` of ``G``, the cascades in which ``u`` adopted before ``v``.

    Returns the out-CSR positions of the arcs with a positive count and their counts.
    """
    sizes = C.sizes
    cid = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes)
    pos = np.arange(C.users.size, dtype=np.int64)          # global position = adoption order
    users = C.users.astype(np.int64)
    key = cid * C.n_ids + users
    order = np.argsort(key, kind="stable")
    skey, spos = key[order], pos[order]
    in_g = np.flatnonzero(users < G.n)                      # items whose user has in-arcs
    rptr = G.rindptr.astype(np.int64)
    deg = rptr[users[in_g] + 1] - rptr[users[in_g]]
    counts = np.zeros(G.m, dtype=np.int64)
    with interruptible():
        start = 0
        while start < in_g.size:
            # a block of items whose in-arcs number about _PAIR_BLOCK
            stop = int(np.searchsorted(np.cumsum(deg[start:]), _PAIR_BLOCK, side="right"))
            stop = start + max(stop, 1)
            items, d = in_g[start:stop], deg[start:stop]
            item = np.repeat(items, d)
            total = int(d.sum())
            base = np.repeat(rptr[users[items]] - np.cumsum(d) + d, d)
            rpos = base + np.arange(total, dtype=np.int64)      # in-CSR positions
            u = G.rindices[rpos].astype(np.int64)
            want = cid[item] * C.n_ids + u
            at = np.minimum(np.searchsorted(skey, want), max(skey.size - 1, 0))
            hit = (skey[at] == want) & (spos[at] < item)         # u in the cascade, earlier
            np.add.at(counts, G.rev_perm[rpos[hit]].astype(np.int64), 1)
            start = stop
            checkpoint()
    arcs = np.flatnonzero(counts)
    return arcs, counts[arcs]


def build_graph(n: int, src: np.ndarray, dst: np.ndarray, p: np.ndarray | None = None, *,
                weighting: str = "wc") -> DiGraph:
    """DiGraph on ids ``0 .. n-1`` (labels equal to the ids) with the arcs ``src -> dst``.

    Parameters
    ----------
    n : int
        Number of nodes.
    src, dst : array of int
        Arc ends (ids below ``n``), no parallel arcs expected.
    p : array of float, optional
        Arc probabilities; None gives weighted-cascade weights.
    weighting : str
        Name recorded in ``G.weighting`` when ``p`` is given.

    Returns
    -------
    DiGraph
    """
    ids = np.arange(n, dtype=np.int64)
    if p is None:
        return from_edges(src, dst, nodes=ids, weights="wc")
    G = from_edges(src, dst, p, nodes=ids, weights="file")
    return G.with_probs(G.probs, weighting)


def _labels(C: Cascades) -> np.ndarray:
    """Return ``C.labels`` fit for a DiGraph.

    A DiGraph looks integer labels up by bisection, so they must be ascending; unsorted ones
    (graph nodes, then users absent from the graph) become Python ints in an object array.
    """
    lab = C.labels
    if lab.dtype.kind in "iu" and lab.size > 1 and (np.diff(lab) <= 0).any():
        out = np.empty(lab.size, dtype=object)
        out[:] = lab.tolist()
        return out
    return lab
