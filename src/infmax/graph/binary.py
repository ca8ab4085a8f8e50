r"""The binary graph format: a :class:`DiGraph` in one file that loads by memory-mapping.

One file rather than a directory: it is written atomically (a temporary file beside it, then
a rename), it is what ``GRAPH`` arguments and :func:`infmax.datasets.resolve` accept, and it
cannot be half-copied without the size check seeing it.

Layout (little-endian)::

    bytes 0-7     magic  b"\x93INFMAXG"
    bytes 8-11    uint32 format version (1)
    bytes 12-19   uint64 length H of the JSON header
    bytes 20-     the JSON header (UTF-8): n, m, directed, weighting, the build summary,
                  file_bytes, and per array its dtype, shape, offset, nbytes and checksum
    then          the arrays, each at an offset that is a multiple of 64

Arrays: ``indptr`` (int64, n+1), ``indices`` (int32, m), ``rindptr`` (int64, n+1),
``rindices`` (int32, m), ``rev_perm`` (int32, or int64 when m > 2^31 - 1), ``probs`` and
``rprobs`` (the graph's float dtype, m each), ``file_probs`` (float64, m; only when the graph
has file probabilities), ``labels`` (n: int64 for int labels, fixed-width ``<U`` for strings,
so loading runs no Python loop over the labels). Graphs whose labels mix types cannot be
saved.

Checksums are cheap by design: per array, a BLAKE2b-128 digest of its byte count and of 16
blocks of 4 KiB spread evenly over it (first and last included), so verifying reads at most
64 KiB per array whatever the graph's size. With the file size check (truncation) and the
structural checks (``indptr[0] == 0``, ``indptr[n] == m``, shapes) this catches truncated,
overwritten and mismatched files; it does not prove every byte intact (a full hash of a 10^8
arc graph would read all of it and defeat memory-mapping).

Examples
--------
>>> import infmax as im, os, tempfile
>>> G = im.graph.from_edges(["a", "b", "c"], ["b", "c", "a"], weights=0.2)
>>> path = os.path.join(tempfile.mkdtemp(), "g.infmax")
>>> G.save(path)
>>> H = im.graph.load(path)          # memory-mapped
>>> H, H.labels.tolist(), H.probs.tolist() == G.probs.tolist()
(DiGraph(n=3, m=3, weights='uniform:0.2', directed=True), ['a', 'b', 'c'], True)
"""

from __future__ import annotations

import hashlib
import json
import mmap as _mmap
import os
import struct
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import numpy as np

from .._io import atomic_open
from ..exceptions import GraphFormatError, InvalidParameterError

if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = ["save", "read", "is_binary", "MAGIC", "VERSION", "ARRAYS"]

#: the arrays every file holds (``file_probs`` is optional)
ARRAYS = ("indptr", "indices", "rindptr", "rindices", "rev_perm", "probs", "rprobs", "labels")

MAGIC = b"\x93INFMAXG"
VERSION = 1
_PREFIX = struct.Struct("<8sIQ")
_ALIGN = 64
_SAMPLE_BLOCKS = 16
_SAMPLE_BYTES = 4096


def is_binary(path: str | os.PathLike[str]) -> bool:
    """Tell whether ``path`` is a file that starts with the binary graph magic.

    Parameters
    ----------
    path : str or os.PathLike
        Any path; a missing or unreadable one gives False.

    Returns
    -------
    bool
        True for a binary graph file (valid or not: :func:`load` checks the rest).
    """
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except (OSError, TypeError):
        return False


def _sample_digest(buf: memoryview | np.ndarray) -> str:
    """BLAKE2b-128 of the byte count and 16 evenly spread 4 KiB blocks of ``buf``."""
    b = np.frombuffer(buf, dtype=np.uint8) if not isinstance(buf, np.ndarray) else buf
    size = int(b.shape[0])
    h = hashlib.blake2b(digest_size=16)
    h.update(size.to_bytes(8, "little"))
    if size <= _SAMPLE_BLOCKS * _SAMPLE_BYTES:
        h.update(b.tobytes())
    else:
        last = size - _SAMPLE_BYTES
        for i in range(_SAMPLE_BLOCKS):
            off = last * i // (_SAMPLE_BLOCKS - 1)
            h.update(b[off:off + _SAMPLE_BYTES].tobytes())
    return h.hexdigest()


def _as_bytes(a: np.ndarray) -> np.ndarray:
    """Return the bytes of a contiguous array as a uint8 view (no copy)."""
    return np.ascontiguousarray(a).reshape(-1).view(np.uint8)


def _label_array(G: Any, func: str) -> np.ndarray:  # noqa: ANN401  (a DiGraph)
    """Return the labels as they are stored: int64 or fixed-width strings."""
    labels = G.labels
    if labels.dtype.kind in "iu":
        return labels if labels.dtype.itemsize == 8 else labels.astype(np.int64)
    if labels.dtype.kind in "US":
        return labels
    raise InvalidParameterError(
        f"The 'G' parameter of {func} must have int or string labels to be saved; its labels "
        f"are Python objects of mixed types ({labels.dtype}). Relabel it first, e.g. "
        "G.with_labels(np.asarray(G.labels, dtype=str)).", param="G", value=str(labels.dtype))


def _summary_json(s: Any) -> dict[str, Any]:  # noqa: ANN401  (a BuildSummary)
    """Return the JSON fields of a build summary (extras that are not scalars are dropped)."""
    out = {}
    for f in fields(s):
        v = getattr(s, f.name)
        if f.name == "extra":
            v = {k: x for k, x in v.items() if isinstance(x, (str, int, float, bool))}
        elif f.name == "header" and v is not None:
            v = [x if isinstance(x, (str, int, float)) else str(x) for x in v]
        out[f.name] = v
    return out


# G is a DiGraph; not imported, as _digraph imports this module (DiGraph.save, load)
def save(G: Any, path: str | os.PathLike[str]) -> int:  # noqa: ANN401
    """Write ``G`` to ``path`` in the binary graph format (atomically).

    Builds the reverse CSR first if it is not built yet.

    Parameters
    ----------
    G : DiGraph
        The graph; its labels must be ints or strings.
    path : str or os.PathLike
        The output file (replaced if it exists; parent directories are created).

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    InvalidParameterError
        Labels of mixed Python types; an unwritable path.

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.infmax")
    >>> im.graph.binary.save(im.graph.from_edges([1, 2], [2, 3]), path) > 0
    True
    """
    from .._io import check_writable

    func = "DiGraph.save"
    if not all(hasattr(G, a) for a in (*ARRAYS, "summary", "file_probs")):
        raise InvalidParameterError(
            f"The 'G' parameter of {func} must be a DiGraph. Got {type(G).__name__}.",
            param="G", value=type(G).__name__)
    check_writable(path, "path", func=func)
    arrays = {"indptr": G.indptr, "indices": G.indices, "rindptr": G.rindptr,
              "rindices": G.rindices, "rev_perm": G.rev_perm, "probs": G.probs,
              "rprobs": G.rprobs, "labels": _label_array(G, func)}
    if G.file_probs is not None:
        arrays["file_probs"] = G.file_probs
    meta: dict[str, dict[str, Any]] = {}
    for name, a in arrays.items():
        meta[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "nbytes": int(a.nbytes),
                      "blake2b_sample": _sample_digest(_as_bytes(a))}
    header = {"format": "infmax binary graph", "version": VERSION, "n": G.n, "m": G.m,
              "directed": G.directed, "weighting": G.weighting,
              "summary": _summary_json(G.summary), "arrays": meta}
    # offsets depend on the header's length, which depends on the offsets: fix the width of
    # the offset fields by iterating until the layout is stable
    pos = 0
    for _ in range(4):
        text = json.dumps(header, separators=(",", ":")).encode("utf-8")
        pos = _PREFIX.size + len(text)
        changed = False
        for name, a in arrays.items():
            pos = -(-pos // _ALIGN) * _ALIGN
            if meta[name].get("offset") != pos:
                meta[name]["offset"] = pos
                changed = True
            pos += int(a.nbytes)
        if header.get("file_bytes") != pos:
            header["file_bytes"] = pos
            changed = True
        if not changed:
            break
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    with atomic_open(path, "wb") as f:
        _write(f, text, arrays, meta)
    return int(header["file_bytes"])


def _write(f: BinaryIO, text: bytes, arrays: dict[str, np.ndarray],
           meta: dict[str, dict[str, Any]]) -> None:
    f.write(_PREFIX.pack(MAGIC, VERSION, len(text)))
    f.write(text)
    pos = _PREFIX.size + len(text)
    for name, a in arrays.items():
        off = meta[name]["offset"]
        f.write(b"\0" * (off - pos))
        b = _as_bytes(a)
        step = 1 << 26
        for i in range(0, b.shape[0], step):   # bounded writes (no multi-GB temporary)
            f.write(b[i:i + step].data)
        pos = off + b.shape[0]


def _corrupt(path: str, why: str) -> GraphFormatError:
    return GraphFormatError(f"not a valid infmax binary graph ({why}); convert the edge list "
                            "again with `infmax convert`", path=path)


def _read_header(f: BinaryIO, path: str, size: int) -> dict[str, Any]:
    pre = f.read(_PREFIX.size)
    if len(pre) < _PREFIX.size:
        raise _corrupt(path, f"{size} bytes, shorter than the {_PREFIX.size}-byte prefix")
    magic, version, hlen = _PREFIX.unpack(pre)
    if magic != MAGIC:
        raise _corrupt(path, "the magic bytes are missing")
    if version != VERSION:
        raise _corrupt(path, f"format version {version}; this infmax reads version {VERSION}")
    if hlen > size - _PREFIX.size:
        raise _corrupt(path, f"truncated: the header needs {hlen} bytes, the file has "
                             f"{size - _PREFIX.size} after the prefix")
    try:
        header = json.loads(f.read(hlen).decode("utf-8"))
        n, m = int(header["n"]), int(header["m"])
        arrays = header["arrays"]
        for name in ARRAYS:
            a = arrays[name]
            np.dtype(a["dtype"])
            int(a["offset"]), int(a["nbytes"]), tuple(a["shape"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise _corrupt(path, f"unreadable header: {type(e).__name__} {e}") from None
    if header.get("file_bytes", -1) > size:
        raise _corrupt(path, f"truncated: {size:,} bytes, the header describes "
                             f"{int(header['file_bytes']):,}")
    expect = {"indptr": (n + 1,), "rindptr": (n + 1,), "labels": (n,), "indices": (m,),
              "rindices": (m,), "rev_perm": (m,), "probs": (m,), "rprobs": (m,),
              "file_probs": (m,)}
    for name, a in arrays.items():
        if tuple(a["shape"]) != expect.get(name) or \
                int(a["nbytes"]) != _items(a["shape"]) * np.dtype(a["dtype"]).itemsize:
            raise _corrupt(path, f"array {name!r} has shape {a['shape']} for n={n}, m={m}")
    return header


def _empty(dtype: str) -> np.ndarray:
    """Return a read-only empty array (an empty array may lie past the end of the file)."""
    out = np.empty(0, dtype=np.dtype(dtype))
    out.setflags(write=False)
    return out


def _items(shape: list[int]) -> int:
    """Count the items of an array of ``shape``."""
    out = 1
    for s in shape:
        out *= int(s)
    return out


def read(path: str | os.PathLike[str], *, mmap: bool = True,
         verify: bool = True) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read the header and the arrays of a binary graph file (see :func:`infmax.graph.load`).

    Parameters
    ----------
    path : str or os.PathLike
        The binary graph file.
    mmap : bool, default True
        Memory-map the arrays (read-only); ``False`` reads them into memory.
    verify : bool, default True
        Check each array's sampled checksum (at most 64 KiB read per array).

    Returns
    -------
    (dict, dict)
        The JSON header and the arrays by name (read-only).

    Raises
    ------
    GraphFormatError
        Naming the path: not a binary graph, another format version, truncated, a checksum
        or structure mismatch.
    InvalidParameterError
        An unreadable path.
    """
    spath = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    try:
        f = open(path, "rb")  # noqa: SIM115  (closed below; the mapping outlives it)
    except (OSError, TypeError) as e:
        msg = getattr(e, "strerror", None) or str(e)
        raise InvalidParameterError(
            f"The 'path' parameter of load must name a readable file. Got {spath!r} ({msg}).",
            param="path", value=spath) from None
    with f:
        size = os.fstat(f.fileno()).st_size
        header = _read_header(f, spath, size)
        meta = header["arrays"]
        if mmap and size > 0:
            mm = _mmap.mmap(f.fileno(), 0, access=_mmap.ACCESS_READ)
            arrays = {name: np.frombuffer(mm, dtype=np.dtype(a["dtype"]),
                                          count=_items(a["shape"]), offset=int(a["offset"]))
                      if _items(a["shape"]) else _empty(a["dtype"])
                      for name, a in meta.items()}
        else:
            arrays = {}
            for name, a in meta.items():
                out = np.empty(_items(a["shape"]), dtype=np.dtype(a["dtype"]))
                f.seek(int(a["offset"]))
                if f.readinto(_as_bytes(out).data) != int(a["nbytes"]):
                    raise _corrupt(spath, f"truncated inside array {name!r}")
                out.setflags(write=False)
                arrays[name] = out
    if verify:
        for name, a in meta.items():
            if _sample_digest(_as_bytes(arrays[name])) != a.get("blake2b_sample"):
                raise _corrupt(spath, f"checksum mismatch in array {name!r}")
    n, m = int(header["n"]), int(header["m"])
    for ptr in ("indptr", "rindptr"):
        p = arrays[ptr]
        if int(p[0]) != 0 or int(p[n]) != m:
            raise _corrupt(spath, f"{ptr} runs from {int(p[0])} to {int(p[n])}, not 0 to {m}")
    if arrays["rev_perm"].dtype not in (np.int32, np.int64):
        raise _corrupt(spath, f"rev_perm has dtype {arrays['rev_perm'].dtype}")
    return header, arrays
