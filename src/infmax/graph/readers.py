r"""Graph and per-node readers for text files.

- :func:`read_edgelist`: edge-list text files (whitespace, tab or comma separated; ``#`` and
  ``%`` comment lines; an optional ``n m`` header line; an optional probability column).
  Numeric files go through the numba byte scanner of :mod:`infmax.graph._scan`; string labels
  and errors through its exact slow path (path, 1-based line, what is wrong).
- :func:`read_adjacency_list`: vertex lists ``node:nbr1,nbr2,...``.
- :func:`read_node_values`, :func:`read_labels`: per-node values and label lists.

Every file is read with :func:`read_bytes` (gzip and bz2 decompressed transparently, by magic
number) and every graph reader ends in :func:`infmax.graph.from_edges` and
:func:`require_nodes` (a file that gives no node is an error).

Examples
--------
>>> import infmax as im, tempfile, os
>>> d = tempfile.mkdtemp(); path = os.path.join(d, "toy.txt")
>>> _ = open(path, "w").write("# toy\n3 3\n1 2 0.5\n2 3 0.25\n3 1 0.1\n")
>>> G = im.read_edgelist(path)          # header '3 3' detected, third column = probabilities
>>> G, G.summary.header, G.weighting
(DiGraph(n=3, m=3, weights='file', directed=True), (3, 3), 'file')
"""

from __future__ import annotations

import bz2
import gzip
import os
from typing import TYPE_CHECKING

import numpy as np

from .._validation import plain
from ..exceptions import GraphFormatError, InvalidParameterError, UnknownNodeError
from . import _scan
from ._buildargs import check_build_args, resolve_weights, wants_file
from ._digraph import DiGraph, from_edges

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..random import RngLike

__all__ = ["read_edgelist", "read_adjacency_list", "read_node_values", "read_labels",
           "read_bytes", "require_nodes"]


def _path_str(path: str | os.PathLike[str]) -> str:
    """Return ``path`` as the string that error messages and ``G.summary`` name."""
    return os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)


def read_bytes(path: str | os.PathLike[str], *, func: str = "read_edgelist") -> bytes:
    """Read the bytes of ``path``, decompressed when it is gzip or bz2 (by magic number)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except (OSError, TypeError) as e:
        msg = getattr(e, "strerror", None) or str(e)
        raise InvalidParameterError(
            f"The 'path' parameter of {func} must name a readable file. Got {str(path)!r} "
            f"({msg}).", param="path", value=path) from None
    try:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:3] == b"BZh":
            data = bz2.decompress(data)
    except (OSError, EOFError, ValueError) as e:
        raise GraphFormatError(f"corrupt compressed file ({e})", path=str(path)) from None
    return data


def _check_probs(w: np.ndarray, lines: np.ndarray, merge: str, path: str):
    bad = ~((w >= 0) & (w <= 1)) if merge == "ic" else ~(w >= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "probability outside [0, 1]" if merge == "ic" else "negative or NaN weight"
        raise GraphFormatError(f"{what}: {plain(w[i])!r}", path=path, line=int(lines[i]))


def read_edgelist(path: str | os.PathLike[str], *, directed: bool = True,
                  weights: str | float | ArrayLike = "auto", p: float | None = None,
                  merge: str = "ic", header: bool | str = "auto", delimiter: str | None = None,
                  comments: str = "#%", weight_column: int | None = None,
                  dtype: DTypeLike = np.float64, rng: RngLike = None,
                  nodes: ArrayLike | None = None) -> DiGraph:
    r"""Read a graph from an edge-list text file.

    Each data line is ``source target [probability [more columns ...]]``.

    Parameters
    ----------
    path : str or os.PathLike
        The file; gzip (``.gz``) and bz2 are decompressed transparently (detected by content).
    directed : bool, default True
        ``False`` reads each line as an undirected edge, stored as two arcs.
    weights : str, float or array, default "auto"
        Edge-weight scheme (:func:`infmax.graph.apply_weights`): ``"file"`` uses the
        probability column; ``"auto"`` means ``"file"`` when the file has one and ``"wc"``
        (weighted cascade) otherwise; ``"uniform:P"``, a float, ``"trivalency"``.
    p : float, optional
        Probability for ``weights="uniform"``.
    merge : {"ic", "sum", "max", "first"}, default "ic"
        How the probabilities of parallel edges combine (see :func:`from_edges`).
    header : "auto", bool, default "auto"
        ``True`` skips the first data line (an ``n m`` line or column names), ``False`` reads
        it as an edge. ``"auto"`` skips the first data line when it holds exactly two ints
        ``n m`` with ``m`` within [0.5, 2] x the number of remaining rows and ``n`` >= the
        largest id (the ``n m`` header of NetHEPT-style files), or when it holds words while
        every other row has integer ids (a column-name line). The skipped line is recorded
        in ``G.summary.header``.
    delimiter : str, optional
        ``None`` (default): runs of whitespace, or a comma, separate columns. One character
        (``","``, ``"\t"``, ``";"``...): columns are separated by exactly that character and
        stripped of surrounding whitespace. ``" "``: runs of whitespace only.
    comments : str, default "#%"
        Characters that start a comment line (its first non-blank character).
    weight_column : int, optional
        0-based column of the probability (default 2, the third column, when present).
    dtype : float32 or float64
        Probability dtype of the graph.
    rng : None, int, SeedSequence or Generator
        For ``weights="trivalency"``.
    nodes : iterable, optional
        Extra node labels to include even when they have no edges.

    Returns
    -------
    DiGraph
        Labels are ints when every id parses as an int (in int64), else strings.

    Raises
    ------
    GraphFormatError
        Naming the path and 1-based line number: wrong column count, empty field,
        non-numeric or out-of-range probability (when the column is used), bad UTF-8. Also
        (naming the path) a file that gives no node: empty, only comment/blank/header lines,
        or only self-loops.
    InvalidParameterError
        Unreadable path or bad keyword values.

    Notes
    -----
    Numeric files go through a numba scanner (no Python per line; 16 MB chunks on numba's
    thread count of threads, identical to one pass; probabilities
    are parsed exactly or re-parsed with ``float``), e.g. SNAP soc-Epinions1 (508,837 rows)
    in about 0.2 s including graph construction. Anything else (string labels, malformed
    lines) is re-read by an exact Python path, which also finds the first bad line. Lines
    whose first non-blank character is in ``comments`` and blank lines are skipped;
    comments after data on the same line are not supported.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "g.csv")
    >>> _ = open(f, "w").write("a,b\nb,c\nc,a\n")
    >>> G = im.read_edgelist(f, directed=False)
    >>> G.labels.tolist(), G.m
    (['a', 'b', 'c'], 6)
    """
    func = "read_edgelist"
    hard, strict = _scan.delim_mode(delimiter, func)
    if header not in ("auto", True, False):
        raise InvalidParameterError(
            f"The 'header' parameter of {func} must be 'auto', True or False. Got {header!r}.",
            param="header", value=header)
    if comments is None:
        comments = ""
    if not isinstance(comments, str):
        raise InvalidParameterError(
            f"The 'comments' parameter of {func} must be a string of characters. Got "
            f"{comments!r}.", param="comments", value=comments)
    wcol = 2 if weight_column is None else weight_column
    if isinstance(wcol, bool) or not isinstance(wcol, (int, np.integer)) or wcol < 2:
        raise InvalidParameterError(
            f"The 'weight_column' parameter of {func} must be an int >= 2 (0-based column "
            f"after source and target). Got {weight_column!r}.", param="weight_column",
            value=weight_column)
    wcol = int(wcol)
    rng = check_build_args(func, weights, p, merge, dtype, rng)
    spath = _path_str(path)
    data = read_bytes(path, func=func)
    parsed = _scan.fast_parse(data, spath, comments, hard, strict, wcol, header, delimiter)
    if parsed is None:
        parsed = _scan.slow_parse(data, spath, comments, delimiter, wcol, header)
    src, dst, lines, k, hdr, wvals = parsed
    has_col = k > wcol
    weights = resolve_weights(weights, has_col)
    probs = None
    if has_col:
        w = wvals()  # may raise for non-numeric tokens when needed
        if wants_file(weights):
            if isinstance(w, GraphFormatError):
                raise w
            _check_probs(w, lines, merge, spath)
            probs = w
        elif not isinstance(w, GraphFormatError):
            ok = (w >= 0) & (w <= 1) if merge == "ic" else (w >= 0)
            probs = w if bool(ok.all()) else None
    G = from_edges(src, dst, probs, directed=directed, weights=weights, merge=merge,
                   nodes=nodes, dtype=dtype, rng=rng, p=p, source=spath,
                   rows_read=int(lines.shape[0]), header=hdr)
    return require_nodes(G, spath)


def require_nodes(G: DiGraph, path: str) -> DiGraph:
    """Return ``G``, or raise a GraphFormatError when the file gave no node at all.

    That is when it is empty, holds only blank, comment or header lines, or only self-loops
    (which are dropped).
    """
    if G.n > 0:
        return G
    rows = G.summary.rows_read
    if rows == 0:
        why = "the file holds no edge rows (it is empty or has only blank, comment or header lines)"
    else:
        why = (f"all {rows:,} edge rows are self-loops, which are dropped, so the graph would "
               "have no nodes and no edges")
    raise GraphFormatError(f"no graph to read: {why}", path=path)


def read_adjacency_list(path: str | os.PathLike[str], *, directed: bool = True,
                        weights: str | float | ArrayLike = "wc", p: float | None = None,
                        merge: str = "ic", keep_isolated: bool = True, sep: str = ":",
                        dtype: DTypeLike = np.float64, rng: RngLike = None) -> DiGraph:
    r"""Read a vertex (adjacency) list ``node:nbr1,nbr2,...`` (non-negative int ids).

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
    InvalidParameterError
        Unreadable path or bad keyword values (``sep``, ``weights``, ``merge``, ``dtype``).

    Notes
    -----
    One numba pass over the bytes, O(file size).

    Examples
    --------
    >>> import os, tempfile
    >>> from infmax.graph import read_adjacency_list
    >>> f = os.path.join(tempfile.mkdtemp(), "adj.txt")
    >>> _ = open(f, "w").write("0:1,2\n1:2\n2:\n3:\n")
    >>> G = read_adjacency_list(f)
    >>> G, G.labels.tolist()
    (DiGraph(n=4, m=3, weights='wc', directed=True), [0, 1, 2, 3])
    """
    func = "read_adjacency_list"
    rng = check_build_args(func, weights, p, merge, dtype, rng)
    if not isinstance(sep, str) or len(sep) != 1 or not sep.isascii() or sep in "\n,#%" \
            or sep.isdigit() or sep.isspace():
        raise InvalidParameterError(
            f"The 'sep' parameter of {func} must be one ASCII character other than a digit, "
            f"a comma, '#', '%' or whitespace. Got {sep!r}.", param="sep", value=sep)
    spath = _path_str(path)
    data = read_bytes(path, func=func)
    buf = np.frombuffer(data, dtype=np.uint8)
    lines = int(np.count_nonzero(buf == 10)) + 1
    cap = int(np.count_nonzero(buf == 44)) + lines
    nodes = np.empty(lines, dtype=np.int64)
    node_lines = np.empty(lines, dtype=np.int64)
    src = np.empty(cap, dtype=np.int64)
    dst = np.empty(cap, dtype=np.int64)
    nn, na, err, line = _scan.scan_adjacency(buf, ord(sep), nodes, node_lines, src, dst)
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


def read_node_values(path: str | os.PathLike[str], G: DiGraph, *, default: float = 0.0,
                     param: str = "node_weights", delimiter: str | None = None,
                     comments: str = "#%") -> np.ndarray:
    r"""Read ``label value`` lines into a float64 array aligned with ``G``'s node ids.

    Nodes not in the file get ``default``. A first line whose value is not a number is taken
    as column names and skipped. Unknown labels raise :class:`UnknownNodeError` (naming the
    line); a label given twice, a missing or non-numeric value raise GraphFormatError.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> G = im.graph.from_edges([1, 2], [2, 3])
    >>> f = os.path.join(tempfile.mkdtemp(), "w.txt")
    >>> _ = open(f, "w").write("2 0.5\n3 2\n")
    >>> im.graph.read_node_values(f, G).tolist()
    [0.0, 0.5, 2.0]
    """
    func = "read_node_values"
    spath = _path_str(path)
    lines, rows = _scan.slow_rows(read_bytes(path, func=func), spath, comments or "", delimiter)
    out = np.full(G.n, float(default), dtype=np.float64)
    seen: dict[int, int] = {}
    for idx, (line, r) in enumerate(zip(lines, rows)):
        if len(r) != 2:
            raise GraphFormatError(f"expected 2 columns (label value), found {len(r)}",
                                   path=spath, line=line)
        try:
            v = float(r[1])
        except ValueError:
            if idx == 0:
                continue  # column names
            raise GraphFormatError(f"non-numeric value {r[1]!r}", path=spath,
                                   line=line) from None
        try:
            i = int(G.node_ids([r[0]], param=param, func=func)[0])
        except UnknownNodeError:
            raise UnknownNodeError(
                f"{spath}, line {line}: the '{param}' file names node {r[0]!r}, which is not "
                f"in the graph ({G.n:,} nodes).", label=r[0]) from None
        if i in seen:
            raise GraphFormatError(f"node {r[0]!r} given twice (first on line {seen[i]})",
                                   path=spath, line=line)
        seen[i] = line
        out[i] = v
    return out


def read_labels(path: str | os.PathLike[str], G: DiGraph | None = None, *,
                comments: str = "#%") -> list:
    r"""Read node labels, one per line (commas or whitespace also separate labels).

    Without ``G`` labels are ints when every one parses as an int, else strings. With ``G``
    each label is checked (UnknownNodeError naming the line) and returned as ``G`` spells it.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "seeds.txt")
    >>> _ = open(f, "w").write("# seeds\n3\n1, 2\n")
    >>> im.graph.read_labels(f)
    [3, 1, 2]
    """
    func = "read_labels"
    spath = _path_str(path)
    lines, rows = _scan.slow_rows(read_bytes(path, func=func), spath, comments or "", None)
    toks = [(t, line) for line, r in zip(lines, rows) for t in r]
    if G is None:
        if all(_scan.INT_RE.match(t) for t, _ in toks):
            return [int(t) for t, _ in toks]
        return [t for t, _ in toks]
    out = []
    for t, line in toks:
        try:
            i = int(G.node_ids([t], param="labels", func=func)[0])
        except UnknownNodeError:
            raise UnknownNodeError(
                f"{spath}, line {line}: node {t!r} is not in the graph ({G.n:,} nodes).",
                label=t) from None
        out.append(G.labels[i].item())
    return out


# ---------------------------------------------------------------------------------------------
