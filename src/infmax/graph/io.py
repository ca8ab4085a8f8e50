"""Graph constructors from files and other libraries.

- :func:`read_edgelist`: edge-list text files (whitespace, tab or comma separated; ``#`` and
  ``%`` comment lines; an optional ``n m`` header line; an optional probability column;
  gzip/bz2 transparently). A numba byte scanner parses numeric files in one pass; a slow exact
  Python path handles string labels and locates errors (path, 1-based line, what is wrong).
- :func:`read_node_values`, :func:`read_labels`: per-node values and label lists.
- :func:`from_networkx` / :func:`to_networkx`, :func:`from_pandas`, :func:`from_scipy` /
  :func:`to_scipy`.

Every constructor ends in :func:`infmax.graph.from_edges`: self-loops are dropped and parallel
edges merged, both counted in ``G.summary``; isolated nodes are kept where the source lists them
(networkx nodes, matrix rows, ``nodes=``).

Examples
--------
>>> import infmax as im, tempfile, os
>>> d = tempfile.mkdtemp(); path = os.path.join(d, "toy.txt")
>>> _ = open(path, "w").write("# toy\\n3 3\\n1 2 0.5\\n2 3 0.25\\n3 1 0.1\\n")
>>> G = im.read_edgelist(path)          # header '3 3' detected, third column = probabilities
>>> G, G.summary.header, G.weighting
(DiGraph(n=3, m=3, weights='file', directed=True), (3, 3), 'file')
"""

from __future__ import annotations

import bz2
import gzip
import os
import re

import numpy as np
from numba import njit

from .._validation import plain
from ..exceptions import GraphFormatError, InvalidParameterError, UnknownNodeError
from ._digraph import DiGraph, from_edges

__all__ = ["read_edgelist", "read_node_values", "read_labels", "from_networkx", "to_networkx",
           "from_pandas", "from_scipy", "to_scipy", "read_bytes", "require_nodes"]

_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_ALL_INT_RE = re.compile(r"(?:[+-]?[0-9]+\n)*\Z")
_INT64_MAX = 2**63 - 1

# scanner status codes
_OK = 0
_SLOW = 1     # something the fast path does not handle: re-parse exactly in Python


# ---------------------------------------------------------------------------------------------
# reading bytes
# ---------------------------------------------------------------------------------------------
def read_bytes(path, *, func: str = "read_edgelist") -> bytes:
    """The bytes of ``path``, decompressed when it is gzip or bz2 (by magic number)."""
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


# ---------------------------------------------------------------------------------------------
# the numba byte scanner (fast path)
# ---------------------------------------------------------------------------------------------
_POW10 = np.array([10.0 ** k for k in range(23)], dtype=np.float64)


@njit(cache=True, nogil=True, inline="always")
def _is_ws(c):
    return c == 32 or c == 9 or c == 13 or c == 11 or c == 12


@njit(cache=True, nogil=True)
def _parse_int(buf, i, j):
    """Parse buf[i:j] as a signed decimal int64; returns (ok, value)."""
    neg = False
    if buf[i] == 45 or buf[i] == 43:  # '-' '+'
        neg = buf[i] == 45
        i += 1
    if i >= j or j - i > 18:
        return False, 0
    v = 0
    for k in range(i, j):
        d = buf[k] - 48
        if d < 0 or d > 9:
            return False, 0
        v = v * 10 + d
    return True, -v if neg else v


@njit(cache=True, nogil=True)
def _parse_float(buf, i, j, pow10):
    """Parse buf[i:j] as a float when the result is provably exact (Clinger's fast path).

    Returns (ok, value); ok is False for anything else (too many digits, big exponents,
    'nan', 'inf', garbage): the caller re-parses those tokens with Python's float().
    """
    neg = False
    if buf[i] == 45 or buf[i] == 43:
        neg = buf[i] == 45
        i += 1
    mant = 0
    ndig = 0        # significant digits accumulated
    nseen = 0       # digits seen at all
    frac = 0
    k = i
    while k < j and 48 <= buf[k] <= 57:
        if mant > 0 or buf[k] != 48:
            mant = mant * 10 + (buf[k] - 48)
            ndig += 1
        nseen += 1
        k += 1
    if k < j and buf[k] == 46:  # '.'
        k += 1
        while k < j and 48 <= buf[k] <= 57:
            if mant > 0 or buf[k] != 48:
                mant = mant * 10 + (buf[k] - 48)
                ndig += 1
            nseen += 1
            frac += 1
            k += 1
    if nseen == 0 or ndig > 15:
        return False, 0.0
    e = 0
    if k < j and (buf[k] == 101 or buf[k] == 69):  # e E
        k += 1
        eneg = False
        if k < j and (buf[k] == 45 or buf[k] == 43):
            eneg = buf[k] == 45
            k += 1
        if k >= j:
            return False, 0.0
        while k < j and 48 <= buf[k] <= 57:
            e = e * 10 + (buf[k] - 48)
            if e > 400:
                return False, 0.0
            k += 1
        if eneg:
            e = -e
    if k != j:
        return False, 0.0
    e -= frac
    if e < -22 or e > 22:
        if mant == 0:
            return True, -0.0 if neg else 0.0
        return False, 0.0
    v = float(mant)
    if e >= 0:
        v = v * pow10[e]
    else:
        v = v / pow10[-e]
    return True, -v if neg else v


@njit(cache=True, nogil=True)
def _scan_edges(buf, start, line0, is_comment, hard, strict, wcol, pow10,
                src, dst, w, wflag, wpos, ncols, lines):
    """One pass over ``buf[start:]``: per data line, the first two ints, the float in column
    ``wcol`` and the column count. Returns (rows, status, line of status, lines scanned).

    ``hard`` is a separator byte (-1 for none); ``strict`` means columns are separated by
    exactly one ``hard`` byte (explicit delimiter) rather than whitespace runs.
    """
    n = buf.shape[0]
    i = start
    row = 0
    lineno = line0
    while i < n:
        lineno += 1
        while i < n and _is_ws(buf[i]):
            i += 1
        if i >= n:
            break
        c = buf[i]
        if c == 10:
            i += 1
            continue
        if is_comment[c]:
            while i < n and buf[i] != 10:
                i += 1
            i += 1
            continue
        col = 0
        pend = 0
        a = np.int64(0)
        b = np.int64(0)
        wv = np.nan
        wf = False
        ws_ = np.int64(-1)
        we_ = np.int64(-1)
        while True:
            c = buf[i]
            if c == hard:
                if col == 0 or pend >= 1:
                    return row, _SLOW, lineno, lineno
                pend += 1
                i += 1
            else:
                if col > 0 and strict and pend == 0:
                    return row, _SLOW, lineno, lineno
                j = i
                while j < n and buf[j] != 10 and buf[j] != hard and not _is_ws(buf[j]):
                    j += 1
                if col == 0:
                    ok, a = _parse_int(buf, i, j)
                    if not ok:
                        return row, _SLOW, lineno, lineno
                elif col == 1:
                    ok, b = _parse_int(buf, i, j)
                    if not ok:
                        return row, _SLOW, lineno, lineno
                if col == wcol:
                    ok, wv = _parse_float(buf, i, j, pow10)
                    if not ok:
                        wf = True
                        ws_ = i
                        we_ = j
                col += 1
                pend = 0
                i = j
            while i < n and _is_ws(buf[i]):
                i += 1
            if i >= n or buf[i] == 10:
                if pend > 0:
                    return row, _SLOW, lineno, lineno
                i += 1
                break
        src[row] = a
        dst[row] = b
        w[row] = wv
        wflag[row] = wf
        wpos[row, 0] = ws_
        wpos[row, 1] = we_
        ncols[row] = col
        lines[row] = lineno
        row += 1
    return row, _OK, lineno, lineno


def _comment_table(comments) -> np.ndarray:
    tab = np.zeros(256, dtype=np.bool_)
    for ch in comments or "":
        b = ch.encode("utf-8")
        if len(b) == 1:
            tab[b[0]] = True
    return tab


def _delim_mode(delimiter, func):
    """(hard byte or -1, strict) for the scanner."""
    if delimiter is None:
        return ord(","), False
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter == "\n" \
            or ord(delimiter) > 127:
        raise InvalidParameterError(
            f"The 'delimiter' parameter of {func} must be None (whitespace or commas) or one "
            f"ASCII character. Got {delimiter!r}.", param="delimiter", value=delimiter)
    if delimiter == " ":
        return -1, False
    return ord(delimiter), True


# ---------------------------------------------------------------------------------------------
# the exact slow path
# ---------------------------------------------------------------------------------------------
_SPLIT_DEFAULT = re.compile(r"\s*,\s*|\s+")


def _split_line(s: str, delimiter):
    if delimiter is None:
        return _SPLIT_DEFAULT.split(s)
    if delimiter == " ":
        return s.split()
    return [f.strip() for f in s.split(delimiter)]


def _decode(data: bytes, path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise GraphFormatError(f"not UTF-8 text (byte {data[e.start]:#04x})", path=path,
                               line=line) from None


def _slow_rows(data: bytes, path, comments, delimiter):
    """Data rows of a text file: (line numbers, list of field lists)."""
    text = _decode(data, path)
    lines, rows = [], []
    ws_only = delimiter == " " or (delimiter is None and "," not in text)
    for lineno, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if not s or s[0] in comments:
            continue
        if ws_only:   # whitespace runs only: str.split never yields empty fields
            fields = s.split()
        else:
            fields = _split_line(s, delimiter)
            if "" in fields:
                raise GraphFormatError("empty field (two separators in a row, or a separator "
                                       "at the start or end of the line)", path=path,
                                       line=lineno)
        lines.append(lineno)
        rows.append(fields)
    return lines, rows


# ---------------------------------------------------------------------------------------------
# shared logic
# ---------------------------------------------------------------------------------------------
def _auto_header(first: int, second: int, rest_rows: int, rest_max_id: int | None) -> bool:
    """The ``n m`` header rule: m within [0.5, 2] x the remaining rows, n >= the largest id."""
    if rest_rows <= 0 or rest_max_id is None:
        return False
    return 0.5 * rest_rows <= second <= 2.0 * rest_rows and first >= rest_max_id


def _check_columns(ncols: np.ndarray, lines: np.ndarray, path) -> int:
    if ncols.shape[0] == 0:
        return 2
    k = int(ncols[0])
    if k < 2:
        raise GraphFormatError(f"a row needs at least two columns (source target), found {k}",
                               path=path, line=int(lines[0]))
    bad = np.flatnonzero(ncols != k)
    if bad.shape[0]:
        i = int(bad[0])
        raise GraphFormatError(
            f"wrong number of columns: expected {k} (as on line {int(lines[0])}), "
            f"found {int(ncols[i])}", path=path, line=int(lines[i]))
    return k


def _float_or_error(tok: str, path, line) -> float:
    try:
        return float(tok)
    except ValueError:
        raise GraphFormatError(f"non-numeric probability {tok!r} in the weight column",
                               path=path, line=line) from None


def _resolve_weights(weights, has_col: bool):
    if isinstance(weights, str) and weights.strip().lower() == "auto":
        return "file" if has_col else "wc"
    return weights


def _wants_file(weights) -> bool:
    return isinstance(weights, str) and weights.strip().lower() == "file"


def _check_probs(w: np.ndarray, lines: np.ndarray, merge: str, path):
    bad = ~((w >= 0) & (w <= 1)) if merge == "ic" else ~(w >= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "probability outside [0, 1]" if merge == "ic" else "negative or NaN weight"
        raise GraphFormatError(f"{what}: {plain(w[i])!r}", path=path, line=int(lines[i]))


def _check_build_args(func, weights, p, merge, dtype):
    """Validate the from_edges keywords up front, so errors name the public function."""
    from ._digraph import MERGE_RULES
    from .weights import parse_weights

    if not (isinstance(weights, str) and weights.strip().lower() == "auto"):
        parse_weights(weights, p=p, func=func)
    if merge not in MERGE_RULES:
        raise InvalidParameterError(
            f"The 'merge' parameter of {func} must be one of "
            f"{', '.join(map(repr, MERGE_RULES))}. Got {merge!r}.", param="merge", value=merge)
    try:
        ok = np.dtype(dtype) in (np.float32, np.float64)
    except TypeError:
        ok = False
    if not ok:
        raise InvalidParameterError(
            f"The 'dtype' parameter of {func} must be float32 or float64. Got {dtype!r}.",
            param="dtype", value=dtype)


# ---------------------------------------------------------------------------------------------
# read_edgelist
# ---------------------------------------------------------------------------------------------
def read_edgelist(path, *, directed: bool = True, weights="auto", p: float | None = None,
                  merge: str = "ic", header="auto", delimiter: str | None = None,
                  comments: str = "#%", weight_column: int | None = None, dtype=np.float64,
                  rng=None, nodes=None) -> DiGraph:
    """Read a graph from an edge-list text file.

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
        (``","``, ``"\\t"``, ``";"``...): columns are separated by exactly that character and
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
    Numeric files go through a numba scanner (one pass, no Python per line; probabilities
    are parsed exactly or re-parsed with ``float``), e.g. SNAP soc-Epinions1 (508,837 rows)
    in about 0.2 s including graph construction. Anything else (string labels, malformed
    lines) is re-read by an exact Python path, which also finds the first bad line. Lines
    whose first non-blank character is in ``comments`` and blank lines are skipped;
    comments after data on the same line are not supported.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "g.csv")
    >>> _ = open(f, "w").write("a,b\\nb,c\\nc,a\\n")
    >>> G = im.read_edgelist(f, directed=False)
    >>> G.labels.tolist(), G.m
    (['a', 'b', 'c'], 6)
    """
    func = "read_edgelist"
    hard, strict = _delim_mode(delimiter, func)
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
    _check_build_args(func, weights, p, merge, dtype)
    spath = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    data = read_bytes(path, func=func)
    parsed = _fast_parse(data, spath, comments, hard, strict, wcol, header, delimiter)
    if parsed is None:
        parsed = _slow_parse(data, spath, comments, delimiter, wcol, header)
    src, dst, lines, k, hdr, wvals = parsed
    has_col = k > wcol
    weights = _resolve_weights(weights, has_col)
    probs = None
    if has_col:
        w = wvals()  # may raise for non-numeric tokens when needed
        if _wants_file(weights):
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
    """``G``, or a GraphFormatError when the file gave no node at all: it is empty, holds only
    blank, comment or header lines, or only self-loops (which are dropped)."""
    if G.n > 0:
        return G
    rows = G.summary.rows_read
    if rows == 0:
        why = "the file holds no edge rows (it is empty or has only blank, comment or header lines)"
    else:
        why = (f"all {rows:,} edge rows are self-loops, which are dropped, so the graph would "
               "have no nodes and no edges")
    raise GraphFormatError(f"no graph to read: {why}", path=path)


def _fast_parse(data, path, comments, hard, strict, wcol, header, delimiter):
    buf = np.frombuffer(data, dtype=np.uint8)
    cap = int(np.count_nonzero(buf == 10)) + 1
    src = np.empty(cap, dtype=np.int64)
    dst = np.empty(cap, dtype=np.int64)
    w = np.empty(cap, dtype=np.float64)
    wflag = np.empty(cap, dtype=np.bool_)
    wpos = np.empty((cap, 2), dtype=np.int64)
    ncols = np.empty(cap, dtype=np.int32)
    lines = np.empty(cap, dtype=np.int64)
    ctab = _comment_table(comments)
    start, line0 = 0, 0
    text_header = None
    if header is True:
        # skip the first data line whatever it holds
        start, line0, text_header = _skip_first_data_line(data, path, comments, delimiter)
    rows, status, sline, _ = _scan_edges(buf, start, line0, ctab, hard, strict, wcol, _POW10,
                                         src, dst, w, wflag, wpos, ncols, lines)
    if status != _OK:
        if header == "auto" and rows == 0:
            # maybe a column-name line: retry after it
            s2, l2, first = _skip_first_data_line(data, path, comments, delimiter)
            if l2 != sline or any(_INT_RE.match(t) for t in first[:2]):
                return None
            rows, status, _, _ = _scan_edges(buf, s2, l2, ctab, hard, strict, wcol, _POW10,
                                             src, dst, w, wflag, wpos, ncols, lines)
            if status != _OK or rows == 0 or int(ncols[0]) != len(first):
                return None
            text_header = first
        else:
            return None
    src, dst, w, wflag, wpos = src[:rows], dst[:rows], w[:rows], wflag[:rows], wpos[:rows]
    ncols, lines = ncols[:rows], lines[:rows]
    hdr = tuple(_maybe_int(t) for t in text_header) if text_header is not None else None
    if header == "auto" and text_header is None and rows >= 1 and ncols[0] == 2:
        rest_max = None
        if rows > 1:
            rest_max = int(max(src[1:].max(), dst[1:].max()))
        if _auto_header(int(src[0]), int(dst[0]), rows - 1, rest_max):
            hdr = (int(src[0]), int(dst[0]))
            src, dst, w, wflag, wpos = src[1:], dst[1:], w[1:], wflag[1:], wpos[1:]
            ncols, lines = ncols[1:], lines[1:]
    k = _check_columns(ncols, lines, path)

    def wvals():
        if not wflag.any():
            return w
        out = w.copy()
        for i in np.flatnonzero(wflag):
            tok = data[wpos[i, 0]:wpos[i, 1]].decode("utf-8", "replace")
            try:
                out[i] = _float_or_error(tok, path, int(lines[i]))
            except GraphFormatError as e:
                return e
        return out

    return src, dst, lines, k, hdr, wvals


def _maybe_int(t: str):
    return int(t) if _INT_RE.match(t) else t


def _skip_first_data_line(data: bytes, path, comments, delimiter):
    """(byte offset after the first data line, its line number, its fields)."""
    pos, lineno = 0, 0
    n = len(data)
    while pos < n:
        end = data.find(b"\n", pos)
        end = n if end < 0 else end
        lineno += 1
        s = _decode(data[pos:end], path).strip()
        if s and s[0] not in comments:
            return end + 1, lineno, _split_line(s, delimiter)
        pos = end + 1
    return n, lineno, []


def _all_ints(tokens: list) -> bool:
    """Whether every token is a decimal int (one regex pass over the joined tokens)."""
    return bool(tokens) and _ALL_INT_RE.match("\n".join(tokens) + "\n") is not None


def _as_int64(tokens: list):
    """int64 array of int tokens, or None when one does not fit in int64."""
    try:
        return np.asarray(list(map(int, tokens)), dtype=np.int64)
    except OverflowError:
        return None


def _slow_parse(data, path, comments, delimiter, wcol, header):
    lines, rows = _slow_rows(data, path, comments, delimiter)
    hdr = None
    if rows:
        first = rows[0]
        if header is True:
            hdr = tuple(_maybe_int(t) for t in first)
            lines, rows = lines[1:], rows[1:]
        elif header == "auto" and len(rows) > 1:
            rest = rows[1:]
            rest_ids = [r[0] for r in rest] + [r[1] if len(r) > 1 else "x" for r in rest]
            rest_int = _all_ints(rest_ids)
            if len(first) == 2 and _all_ints(first):
                ids = _as_int64(rest_ids) if rest_int else None
                if ids is not None and _auto_header(int(first[0]), int(first[1]), len(rest),
                                                    int(ids.max())):
                    hdr = (int(first[0]), int(first[1]))
            elif rest_int and not any(_INT_RE.match(t) for t in first[:2]) and \
                    len(first) == len(rest[0]):
                hdr = tuple(first)
            if hdr is not None:
                lines, rows = lines[1:], rows[1:]
    lines = np.asarray(lines, dtype=np.int64)
    ncols = np.fromiter((len(r) for r in rows), dtype=np.int32, count=len(rows))
    k = _check_columns(ncols, lines, path)
    a = [r[0] for r in rows]
    b = [r[1] for r in rows]
    src = dst = None
    if _all_ints(a) and _all_ints(b):
        src, dst = _as_int64(a), _as_int64(b)
    if src is None or dst is None:
        src, dst = np.asarray(a, dtype=str), np.asarray(b, dtype=str)

    def wvals():
        if k <= wcol:
            return None
        out = np.empty(len(rows), dtype=np.float64)
        for i, r in enumerate(rows):
            try:
                out[i] = _float_or_error(r[wcol], path, int(lines[i]))
            except GraphFormatError as e:
                return e
        return out

    return src, dst, lines, k, hdr, wvals


# ---------------------------------------------------------------------------------------------
# node values and label lists
# ---------------------------------------------------------------------------------------------
def read_node_values(path, G: DiGraph, *, default: float = 0.0, param: str = "node_weights",
                     delimiter: str | None = None, comments: str = "#%") -> np.ndarray:
    """Read ``label value`` lines into a float64 array aligned with ``G``'s node ids.

    Nodes not in the file get ``default``. A first line whose value is not a number is taken
    as column names and skipped. Unknown labels raise :class:`UnknownNodeError` (naming the
    line); a label given twice, a missing or non-numeric value raise GraphFormatError.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> G = im.graph.from_edges([1, 2], [2, 3])
    >>> f = os.path.join(tempfile.mkdtemp(), "w.txt")
    >>> _ = open(f, "w").write("2 0.5\\n3 2\\n")
    >>> im.graph.io.read_node_values(f, G).tolist()
    [0.0, 0.5, 2.0]
    """
    func = "read_node_values"
    spath = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    lines, rows = _slow_rows(read_bytes(path, func=func), spath, comments or "", delimiter)
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


def read_labels(path, G: DiGraph | None = None, *, comments: str = "#%") -> list:
    """Read node labels, one per line (commas or whitespace also separate labels).

    Without ``G`` labels are ints when every one parses as an int, else strings. With ``G``
    each label is checked (UnknownNodeError naming the line) and returned as ``G`` spells it.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "seeds.txt")
    >>> _ = open(f, "w").write("# seeds\\n3\\n1, 2\\n")
    >>> im.graph.io.read_labels(f)
    [3, 1, 2]
    """
    func = "read_labels"
    spath = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    lines, rows = _slow_rows(read_bytes(path, func=func), spath, comments or "", None)
    toks = [(t, line) for line, r in zip(lines, rows) for t in r]
    if G is None:
        if all(_INT_RE.match(t) for t, _ in toks):
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
# other libraries
# ---------------------------------------------------------------------------------------------
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
    """Same graph, labels replaced by ``labels_obj[old int label]`` (object labels)."""
    new = np.empty(G.n, dtype=object)
    new[:] = [labels_obj[i] for i in G.labels.tolist()]
    return DiGraph(G._s, G.probs, new, directed=G.directed, weighting=G.weighting,
                   summary=G.summary, file_probs=G.file_probs)


def _build_any(src_list, dst_list, probs, node_list, **kw) -> DiGraph:
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


def from_networkx(G, *, weight: str | None = "p", weights="auto", directed: bool | None = None,
                  merge: str = "ic", dtype=np.float64, rng=None, p: float | None = None
                  ) -> DiGraph:
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
    _check_build_args(func, weights, p, merge, dtype)
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
    weights = _resolve_weights(weights, probs is not None)
    return _build_any(src, dst, probs, list(G.nodes()), directed=bool(directed),
                      weights=weights, merge=merge, dtype=dtype, rng=rng, p=p,
                      source=f"networkx {type(G).__name__}")


def to_networkx(G: DiGraph, *, weight: str = "p"):
    """A ``networkx.DiGraph`` with every node (original labels) and arc (probability in the
    edge attribute ``weight``). An undirected infmax graph gives both arcs of each edge.

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


def from_pandas(df, source: str = "source", target: str = "target", prob: str | None = None,
                *, directed: bool = True, weights="auto", merge: str = "ic", nodes=None,
                dtype=np.float64, rng=None, p: float | None = None) -> DiGraph:
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
    _check_build_args(func, weights, p, merge, dtype)
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
    weights = _resolve_weights(weights, probs is not None)
    if s.dtype.kind in "iu" and d.dtype.kind in "iu" and not node_list:
        return from_edges(s.astype(np.int64), d.astype(np.int64), probs, directed=directed,
                          weights=weights, merge=merge, dtype=dtype, rng=rng, p=p,
                          source="pandas DataFrame")
    return _build_any(s.tolist(), d.tolist(), probs, node_list, directed=directed,
                      weights=weights, merge=merge, dtype=dtype, rng=rng, p=p,
                      source="pandas DataFrame")


def from_scipy(A, *, labels=None, weights="auto", directed: bool = True, merge: str = "ic",
               dtype=np.float64, rng=None, p: float | None = None) -> DiGraph:
    """Build a graph from an ``n x n`` (sparse or dense) matrix: entry ``(i, j)`` is arc
    ``i -> j``.

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
    _check_build_args(func, weights, p, merge, dtype)
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
    probs = vals if (floats or _wants_file(weights)) else None
    weights = _resolve_weights(weights, floats)
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


def to_scipy(G: DiGraph, *, dtype=None):
    """The ``n x n`` CSR matrix (``scipy.sparse.csr_array``) of arc probabilities; row and
    column ``i`` are node id ``i`` (label ``G.labels[i]``).

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

