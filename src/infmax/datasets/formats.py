"""Parsers for published graph file formats that are not plain edge lists.

- :func:`read_adjacency_list`: the vertex (adjacency) list ``node:nbr1,nbr2,...`` of the
  InfluenceMaximizationBenchmarker (Epinions ``epinions.txt``), one line per node, arcs
  ``node -> nbr``; a line ``node:`` lists a node without out-neighbours.

Edge-list formats (SNAP, KONECT ``%`` headers, the ``n m`` header of NetHEPT/NetPHY, the
``u v p_uv p_vu`` rows of Chen et al.'s ``hep.txt``) are all read by
:func:`infmax.graph.io.read_edgelist`.

Examples
--------
>>> import os, tempfile
>>> from infmax.datasets.formats import read_adjacency_list
>>> f = os.path.join(tempfile.mkdtemp(), "adj.txt")
>>> _ = open(f, "w").write("0:1,2\\n1:2\\n2:\\n3:\\n")
>>> G = read_adjacency_list(f)
>>> G, G.labels.tolist()
(DiGraph(n=4, m=3, weights='wc', directed=True), [0, 1, 2, 3])
"""

from __future__ import annotations

import os

import numpy as np
from numba import njit

from ..exceptions import GraphFormatError
from ..graph import from_edges
from ..graph.io import read_bytes, require_nodes

__all__ = ["read_adjacency_list"]


@njit(cache=True, nogil=True)
def _scan_adjacency(buf, sep, nodes, node_lines, src, dst):
    """Parse ``u<sep>v,v,...`` lines. Returns (n_nodes, n_arcs, error code, error line).

    Error codes: 1 = bad node id, 2 = missing separator, 3 = bad neighbour id.
    """
    n = buf.shape[0]
    i = 0
    line = 0
    nn = 0
    na = 0
    while i < n:
        line += 1
        while i < n and (buf[i] == 32 or buf[i] == 9 or buf[i] == 13):
            i += 1
        if i >= n:
            break
        if buf[i] == 10:
            i += 1
            continue
        if buf[i] == 35 or buf[i] == 37:  # '#' '%' comment line
            while i < n and buf[i] != 10:
                i += 1
            i += 1
            continue
        # node id
        u = 0
        nd = 0
        while i < n and 48 <= buf[i] <= 57:
            u = u * 10 + (buf[i] - 48)
            nd += 1
            i += 1
        if nd == 0 or nd > 18:
            return nn, na, 1, line
        while i < n and (buf[i] == 32 or buf[i] == 9):
            i += 1
        if i >= n or buf[i] != sep:
            return nn, na, 2, line
        i += 1
        nodes[nn] = u
        node_lines[nn] = line
        nn += 1
        expect = True   # a neighbour may follow (at the start or after a comma)
        first = True
        while True:
            while i < n and (buf[i] == 32 or buf[i] == 9 or buf[i] == 13):
                i += 1
            if i >= n or buf[i] == 10:
                if expect and not first:
                    return nn, na, 3, line   # trailing comma
                i += 1
                break
            if not expect:
                if buf[i] == 44:
                    expect = True
                    i += 1
                    continue
                return nn, na, 3, line
            v = 0
            nd = 0
            while i < n and 48 <= buf[i] <= 57:
                v = v * 10 + (buf[i] - 48)
                nd += 1
                i += 1
            if nd == 0 or nd > 18:
                return nn, na, 3, line
            src[na] = u
            dst[na] = v
            na += 1
            expect = False
            first = False
    return nn, na, 0, line


def read_adjacency_list(path, *, directed: bool = True, weights="wc", p: float | None = None,
                        merge: str = "ic", keep_isolated: bool = True, sep: str = ":",
                        dtype=np.float64, rng=None):
    """Read a vertex (adjacency) list ``node:nbr1,nbr2,...`` (non-negative int ids).

    Parameters
    ----------
    path : str or os.PathLike
        The file (gzip/bz2 decompressed transparently).
    directed : bool, default True
        Each ``nbr`` gives the arc ``node -> nbr``; ``False`` reads undirected edges.
    weights : default "wc"
        Edge-weight scheme (the file has no probabilities).
    keep_isolated : bool, default True
        Keep nodes that are listed but have no arc at all (the IMB Epinions file lists ids
        0..75,887, of which 9 have no edge: 75,888 nodes instead of SNAP's 75,879).
    sep : str, default ":"
        The character between the node and its neighbour list.

    Raises
    ------
    GraphFormatError
        With the path and 1-based line: a non-integer id, a missing separator, a stray comma;
        with the path: a file that lists no node.

    Notes
    -----
    One numba pass over the bytes, O(file size).
    """
    spath = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    data = read_bytes(path, func="read_adjacency_list")
    buf = np.frombuffer(data, dtype=np.uint8)
    lines = int(np.count_nonzero(buf == 10)) + 1
    cap = int(np.count_nonzero(buf == 44)) + lines
    nodes = np.empty(lines, dtype=np.int64)
    node_lines = np.empty(lines, dtype=np.int64)
    src = np.empty(cap, dtype=np.int64)
    dst = np.empty(cap, dtype=np.int64)
    nn, na, err, line = _scan_adjacency(buf, ord(sep), nodes, node_lines, src, dst)
    if err:
        what = {1: "the line must start with a non-negative integer node id",
                2: f"missing {sep!r} after the node id",
                3: "neighbours must be non-negative integers separated by commas"}[err]
        raise GraphFormatError(what, path=spath, line=int(line))
    nodes = nodes[:nn]
    uniq, counts = np.unique(nodes, return_counts=True)
    if (counts > 1).any():
        dup = uniq[np.flatnonzero(counts > 1)[0]]
        where = node_lines[:nn][nodes == dup]
        raise GraphFormatError(f"node {int(dup)} listed twice (first on line {int(where[0])})",
                               path=spath, line=int(where[1]))
    G = from_edges(src[:na], dst[:na], None, directed=directed, weights=weights, merge=merge,
                   nodes=nodes if keep_isolated else None, dtype=dtype, rng=rng, p=p,
                   source=spath, rows_read=int(nn))
    return require_nodes(G, spath)
