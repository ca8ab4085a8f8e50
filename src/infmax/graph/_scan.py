"""Tokenising edge-list and vertex-list bytes: the numba byte scanners and the exact slow path.

Two ways through a file, both ending in the same arrays (sources, targets, line numbers, column
count, header, probabilities):

- :func:`fast_parse`: the numba scanner (:func:`scan_edges`) over the bytes of a numeric file,
  no Python per line, in line-aligned chunks of :data:`CHUNK_BYTES` on numba's thread count of
  threads (bounded kernel calls; the rows packed in file order, identical to one pass). It
  gives up (returns None) on anything it does not handle: string labels, malformed lines, ids
  beyond 18 digits.
- :func:`slow_parse`: an exact Python re-read of the decoded text, which also handles string
  labels and finds the first bad line for the error message.

:func:`scan_adjacency` is the one-pass scanner of ``node:nbr,nbr`` vertex lists. The readers
in :mod:`infmax.graph.readers` choose between the paths and build the graph.
"""

from __future__ import annotations

import re

import numpy as np
from numba import njit

from ..exceptions import GraphFormatError, InvalidParameterError

__all__ = ["fast_parse", "slow_parse", "slow_rows", "split_line", "decode", "delim_mode",
           "scan_edges", "scan_adjacency", "INT_RE"]

INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_ALL_INT_RE = re.compile(r"(?:[+-]?[0-9]+\n)*\Z")

# scanner status codes
_OK = 0
_SLOW = 1     # something the fast path does not handle: re-parse exactly in Python

_POW10 = np.array([10.0 ** k for k in range(23)], dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# numba pieces
# ---------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True, inline="always")
def _is_ws(c):
    return c == 32 or c == 9 or c == 13 or c == 11 or c == 12


@njit(cache=True, nogil=True, inline="always")
def _digits(buf, k, j, mant, ndig, nseen):
    """Read the run of decimal digits of ``buf[k:j]`` from ``k`` on, appending them to ``mant``.

    Leading zeros do not count as significant. Returns (end of the run, mant, significant
    digits, digits seen).
    """
    while k < j and 48 <= buf[k] <= 57:
        if mant > 0 or buf[k] != 48:
            mant = mant * 10 + (buf[k] - 48)
            ndig += 1
        nseen += 1
        k += 1
    return k, mant, ndig, nseen


@njit(cache=True, nogil=True)
def _parse_int(buf, i, j):
    """Parse buf[i:j] as a signed decimal int64 of at most 18 digits; returns (ok, value)."""
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
    # mant: significant digits accumulated (ndig of them), nseen: digits seen at all
    k, mant, ndig, nseen = _digits(buf, i, j, 0, 0, 0)
    frac = 0
    if k < j and buf[k] == 46:  # '.'
        k0 = k + 1
        k, mant, ndig, nseen = _digits(buf, k0, j, mant, ndig, nseen)
        frac = k - k0
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
def scan_edges(buf, start, line0, is_comment, hard, strict, wcol, pow10,
                src, dst, w, wflag, wpos, ncols, lines):
    """Scan ``buf[start:]`` once, keeping per data line the first two ints, weight and width.

    The weight is the float in column ``wcol``, the width the column count. Returns (rows,
    status, line of status, lines scanned). Empty ``w``, ``wflag``, ``wpos`` arrays: the
    weight column is neither parsed nor stored (a file of two columns).

    ``hard`` is a separator byte (-1 for none); ``strict`` means columns are separated by
    exactly one ``hard`` byte (explicit delimiter) rather than whitespace runs.
    """
    n = buf.shape[0]
    keep_w = w.shape[0] > 0
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
                if col == wcol and keep_w:
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
        if keep_w:
            w[row] = wv
            wflag[row] = wf
            wpos[row, 0] = ws_
            wpos[row, 1] = we_
        ncols[row] = col
        lines[row] = lineno
        row += 1
    return row, _OK, lineno, lineno



def _comment_table(comments: str | None) -> np.ndarray:
    """Per byte value: whether a line starting with it is a comment."""
    tab = np.zeros(256, dtype=np.bool_)
    for ch in comments or "":
        b = ch.encode("utf-8")
        if len(b) == 1:
            tab[b[0]] = True
    return tab


def delim_mode(delimiter, func):
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



@njit(cache=True, nogil=True)
def scan_adjacency(buf, sep, nodes, node_lines, src, dst):
    """Parse ``u<sep>v,v,...`` lines (non-negative ids of at most 18 digits).

    Returns (n_nodes, n_arcs, error code, error line).

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
        i, u, _, nd = _digits(buf, i, n, 0, 0, 0)   # node id
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
            i, v, _, nd = _digits(buf, i, n, 0, 0, 0)
            if nd == 0 or nd > 18:
                return nn, na, 3, line
            src[na] = u
            dst[na] = v
            na += 1
            expect = False
            first = False
    return nn, na, 0, line


# ---------------------------------------------------------------------------------------------
# the exact slow path
# ---------------------------------------------------------------------------------------------
_SPLIT_DEFAULT = re.compile(r"\s*,\s*|\s+")


def split_line(s: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return _SPLIT_DEFAULT.split(s)
    if delimiter == " ":
        return s.split()
    return [f.strip() for f in s.split(delimiter)]


def decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise GraphFormatError(f"not UTF-8 text (byte {data[e.start]:#04x})", path=path,
                               line=line) from None


def slow_rows(data: bytes, path: str, comments: str | None, delimiter: str | None):
    """Split a text file into data rows: (line numbers, list of field lists)."""
    text = decode(data, path)
    lines, rows = [], []
    ws_only = delimiter == " " or (delimiter is None and "," not in text)
    for lineno, raw in enumerate(text.split("\n"), 1):
        s = raw.strip()
        if not s or s[0] in comments:
            continue
        if ws_only:   # whitespace runs only: str.split never yields empty fields
            fields = s.split()
        else:
            fields = split_line(s, delimiter)
            if "" in fields:
                raise GraphFormatError("empty field (two separators in a row, or a separator "
                                       "at the start or end of the line)", path=path,
                                       line=lineno)
        lines.append(lineno)
        rows.append(fields)
    return lines, rows


# ---------------------------------------------------------------------------------------------
# the two parses of an edge list
# ---------------------------------------------------------------------------------------------
def _auto_header(first: int, second: int, rest_rows: int, rest_max_id: int | None) -> bool:
    """Apply the ``n m`` header rule: m within [0.5, 2] x the remaining rows, n >= largest id."""
    if rest_rows <= 0 or rest_max_id is None:
        return False
    return 0.5 * rest_rows <= second <= 2.0 * rest_rows and first >= rest_max_id


def _check_columns(ncols: np.ndarray, lines: np.ndarray, path: str) -> int:
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


def _float_or_error(tok: str, path: str, line: int) -> float:
    try:
        return float(tok)
    except ValueError:
        raise GraphFormatError(f"non-numeric probability {tok!r} in the weight column",
                               path=path, line=line) from None


#: bytes per scanner call: a bounded kernel call (~0.1 s), a Ctrl-C checkpoint after each, and
#: the unit the threads share (a file of several chunks is scanned by up to numba's thread count)
CHUNK_BYTES = 1 << 24


class _Rows:
    """The per-row output arrays of :func:`scan_edges`, for ``cap`` rows.

    Without ``weights`` the weight arrays are empty (28 instead of 53 bytes per row).
    """

    def __init__(self, cap: int, weights: bool):
        wcap = cap if weights else 0
        self.src = np.empty(cap, dtype=np.int64)
        self.dst = np.empty(cap, dtype=np.int64)
        self.w = np.empty(wcap, dtype=np.float64)
        self.wflag = np.empty(wcap, dtype=np.bool_)
        self.wpos = np.empty((wcap, 2), dtype=np.int64)
        self.ncols = np.empty(cap, dtype=np.int32)
        self.lines = np.empty(cap, dtype=np.int64)

    def arrays(self, lo: int = 0, hi: int | None = None) -> tuple:
        return tuple(a[lo:hi] for a in (self.src, self.dst, self.w, self.wflag, self.wpos,
                                        self.ncols, self.lines))


def _first_rows(data: bytes, start: int, line0: int, comments: str,
                delimiter: str | None) -> tuple[int, int, int]:
    """Look at the first two data lines of ``data[start:]``.

    Returns the byte offset and line count (``line0`` + lines before it) of the first data
    line, past the comment and blank lines before it (chunk 0 then starts with a row, so the
    rows of the chunks abut unless a comment sits between data lines), and the most columns
    of the two lines (0 if none). Two lines, because the first may be an ``n m`` header:
    every later row has the width of the first row after it, or the file is an error
    whatever its weights.
    """
    pos, widest, seen = start, 0, 0
    first = None
    while pos < len(data) and seen < 2:
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        line = data[pos:end].decode("utf-8", "replace").strip()
        if line and line[0] not in comments:
            if first is None:
                first = pos
            widest = max(widest, len(split_line(line, delimiter)))
            seen += 1
        pos = end + 1
    if first is None:
        return start, line0, 0
    return first, line0 + data.count(b"\n", start, first), widest


def _chunks(data: bytes, start: int, chunk: int) -> list[tuple[int, int, int, int]]:
    """Split ``data[start:]`` into line-aligned pieces of about ``chunk`` bytes.

    Returns ``(begin, end, newlines before begin, newlines inside)`` per piece.
    """
    bounds = [start]
    while bounds[-1] + chunk < len(data):
        nl = data.find(b"\n", bounds[-1] + chunk)
        if nl < 0:
            break
        bounds.append(nl + 1)
    bounds.append(len(data))
    out, before = [], 0
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        inside = data.count(b"\n", lo, hi)
        out.append((lo, hi, before, inside))
        before += inside
    return out


def _scan_chunked(data, buf, start, line0, ctab, hard, strict, wcol, weights):
    """:func:`scan_edges` over line-aligned chunks of ``buf[start:]``, on worker threads.

    Chunk ``j`` writes its own slice of the outputs: every row of a chunk ends at one of its
    ``L`` newlines (the last chunk may end without one: ``L + 1``), so the slices are laid end
    to end and a file without comment or blank lines needs no copy; otherwise the rows move
    down over the gaps, in file order. The result is that of one call over the whole buffer.
    Returns (rows, arrays), or None when a chunk stopped early (the caller re-scans in one
    call, which finds where and why).
    """
    from .._interrupt import checkpoint, interruptible
    from .._kernels._threads import run_tasks

    parts = _chunks(data, start, CHUNK_BYTES)
    cap = [inside for *_, inside in parts]
    cap[-1] += 1
    off = np.concatenate([[0], np.cumsum(cap)]).astype(np.int64)
    out = _Rows(int(off[-1]), weights)
    rows = np.zeros(len(parts), dtype=np.int64)
    status = np.zeros(len(parts), dtype=np.int64)

    def task(worker: int, j: int) -> None:  # noqa: ARG001  (run_tasks signature)
        lo, hi, before, _ = parts[j]
        r, st, _, _ = scan_edges(buf[:hi], lo, line0 + before, ctab, hard, strict, wcol,
                                 _POW10, *out.arrays(int(off[j]), int(off[j + 1])))
        rows[j], status[j] = r, st
        checkpoint()

    with interruptible():
        run_tasks(len(parts), task)
    if status.any():
        return None
    arrays = out.arrays()
    total = int(rows[0])
    for j in range(1, len(parts)):
        lo, r = int(off[j]), int(rows[j])
        if lo != total:    # a gap (comment or blank lines) before this chunk's rows
            for a in arrays:
                a[total:total + r] = a[lo:lo + r]   # numpy copies overlapping slices safely
        total += r
    return total, out.arrays(0, total)


def fast_parse(data, path, comments, hard, strict, wcol, header, delimiter):
    """Parse with numba: ``(src, dst, lines, k, header, wvals)``, or None for the exact path.

    None means the file needs the exact path. ``src``/``dst`` are int64 ids, ``lines`` the
    1-based line of each row, ``k`` the column count, ``header`` the skipped first line (a
    tuple) or None, and ``wvals()`` the float64 values of column ``wcol`` (or the
    GraphFormatError of the first bad one).

    The bytes are scanned in chunks of :data:`CHUNK_BYTES` (whole lines) on up to numba's
    thread count of threads; a file the chunks do not all accept is re-scanned in one call,
    which finds the line where the fast path stops.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    ctab = _comment_table(comments)
    start, line0 = 0, 0
    text_header = None
    if header is True:
        # skip the first data line whatever it holds
        start, line0, text_header = _skip_first_data_line(data, path, comments, delimiter)
    start, line0, widest = _first_rows(data, start, line0, comments, delimiter)
    weights = widest > wcol
    done = _scan_chunked(data, buf, start, line0, ctab, hard, strict, wcol, weights)
    if done is not None:
        rows, (src, dst, w, wflag, wpos, ncols, lines) = done
    else:
        out = _Rows(data.count(b"\n") + 1, weights)
        args = out.arrays()
        rows, status, sline, _ = scan_edges(buf, start, line0, ctab, hard, strict, wcol,
                                             _POW10, *args)
        if status != _OK:
            if header == "auto" and rows == 0:
                # maybe a column-name line: retry after it
                s2, l2, first = _skip_first_data_line(data, path, comments, delimiter)
                if l2 != sline or any(INT_RE.match(t) for t in first[:2]):
                    return None
                rows, status, _, _ = scan_edges(buf, s2, l2, ctab, hard, strict, wcol, _POW10,
                                                 *args)
                if status != _OK or rows == 0 or int(out.ncols[0]) != len(first):
                    return None
                text_header = first
            else:
                return None
        src, dst, w, wflag, wpos, ncols, lines = out.arrays(0, rows)
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
    if k > wcol and not weights:   # cannot happen (see _first_rows): the exact path
        return None

    def wvals():
        if k <= wcol:
            return None
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
    return int(t) if INT_RE.match(t) else t


def _skip_first_data_line(data: bytes, path: str, comments: str | None, delimiter: str | None):
    """(byte offset after the first data line, its line number, its fields)."""
    pos, lineno = 0, 0
    n = len(data)
    while pos < n:
        end = data.find(b"\n", pos)
        end = n if end < 0 else end
        lineno += 1
        s = decode(data[pos:end], path).strip()
        if s and s[0] not in comments:
            return end + 1, lineno, split_line(s, delimiter)
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


def slow_parse(data, path, comments, delimiter, wcol, header):
    """Parse exactly in Python: the same tuple as :func:`fast_parse`.

    ``src``/``dst`` are int64 when every id is an int64, else str arrays; raises
    GraphFormatError at the first bad line.
    """
    lines, rows = slow_rows(data, path, comments, delimiter)
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
            elif rest_int and not any(INT_RE.match(t) for t in first[:2]) and \
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
