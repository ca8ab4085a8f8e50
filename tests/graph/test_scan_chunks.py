"""The edge-list scanner over line-aligned chunks (issue 13): bounded kernel calls, up to numba's
thread count of threads, and the same arrays as one scan and as the exact Python path.

Each case is parsed three ways: chunks of a few bytes (a file of many chunks, with lines cut
at every possible place relative to a chunk boundary), one chunk (``CHUNK_BYTES`` larger than
the file), and :func:`infmax.graph._scan.slow_parse` (Python ``str.split`` / ``int`` /
``float``, the independent twin). Errors must name the file and the same line either way.
"""

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import GraphFormatError
from infmax.graph import _scan

CASES = {
    "ints": "0 1\n1 2\n2 0\n3 4\n4 5\n5 3\n0 5\n",
    "no final newline": "0 1\n1 2\n2 0\n10 11",
    "floats": "0 1 0.5\n1 2 0.25\n2 0 1e-3\n0 3 0.1234567890123456789\n3 1 1\n2 3 5E-1\n",
    "floats python path": "0 1 1e-30\n1 2 .5\n2 0 0.30000000000000004\n",
    "comments and blanks": "# a comment\n% another\n\n0 1\n\n# mid\n1 2\n   \n2 0\n# end\n",
    "tabs": "0\t1\t0.5\n1\t2\t0.5\n2\t0\t0.5\n",
    "crlf": "0 1 0.5\r\n1 2 0.25\r\n2 0 0.125\r\n",
    "commas": "0,1,0.5\n1, 2 ,0.5\n2,0,0.5\n",
    "header n m": "3 3\n0 1\n1 2\n2 0\n",
    "header n m, weights": "3 3\n0 1 0.5\n1 2 0.25\n2 0 0.125\n",
    "comment then header n m, weights": "# g\n\n3 3\n0 1 0.5\n# c\n1 2 0.25\n2 0 0.125\n",
    "column names": "source target p\n0 1 0.5\n1 2 0.5\n2 0 0.5\n",
    "negative ids": "-1 2\n2 -3\n-3 -1\n",
    "big ids": "123456789012345678 1\n1 2\n2 123456789012345678\n",
    "many short lines": "".join(f"{i} {(i * 7) % 53}\n" for i in range(400)),
    "comment-heavy": "".join(f"# c{i}\n{i} {i + 1}\n\n" for i in range(60)),
}


def _parse(data: bytes, path: str, header="auto"):
    hard, strict = _scan.delim_mode(None, "test")
    return _scan.fast_parse(data, path, "#%", hard, strict, 2, header, None)


def _same(a, b) -> None:
    src_a, dst_a, lines_a, k_a, hdr_a, w_a = a
    src_b, dst_b, lines_b, k_b, hdr_b, w_b = b
    np.testing.assert_array_equal(src_a, src_b)
    np.testing.assert_array_equal(dst_a, dst_b)
    np.testing.assert_array_equal(lines_a, lines_b)
    assert (k_a, hdr_a) == (k_b, hdr_b)
    wa, wb = w_a(), w_b()
    if k_a > 2:
        np.testing.assert_array_equal(wa, wb)   # bit-identical floats, nan == nan


@pytest.mark.parametrize("chunk", [1, 3, 8, 17])
@pytest.mark.parametrize("name", sorted(CASES))
def test_chunks_equal_one_scan_and_exact_path(monkeypatch, tmp_path, name, chunk):
    data = CASES[name].encode()
    path = str(tmp_path / "g.txt")
    monkeypatch.setattr(_scan, "CHUNK_BYTES", 1 << 40)
    whole = _parse(data, path)
    monkeypatch.setattr(_scan, "CHUNK_BYTES", chunk)
    chunked = _parse(data, path)
    exact = _scan.slow_parse(data, path, "#%", None, 2, "auto")
    assert whole is not None and chunked is not None
    _same(chunked, whole)
    _same(chunked, exact)


@pytest.mark.parametrize("chunk", [4, 1 << 40])
def test_chunked_graph_equals_exact_graph(monkeypatch, tmp_path, chunk):
    rng = np.random.default_rng(5)
    m = 3000
    src, dst = rng.integers(0, 400, m), rng.integers(0, 400, m)
    p = rng.random(m)
    lines = [f"{u}\t{v}\t{w!r}" for u, v, w in zip(src.tolist(), dst.tolist(), p.tolist())]
    for i in range(0, m, 97):
        lines.insert(i, "# comment")
    f = tmp_path / "g.tsv"
    f.write_text("\r\n".join(lines) + "\r\n")
    monkeypatch.setattr(_scan, "CHUNK_BYTES", chunk)
    G = im.read_edgelist(f)
    monkeypatch.setattr(_scan, "fast_parse", lambda *a, **k: None)   # the exact path only
    H = im.read_edgelist(f)
    for attr in ("indptr", "indices", "probs", "labels"):
        np.testing.assert_array_equal(getattr(G, attr), getattr(H, attr))
    assert G.summary == H.summary


def test_empty_and_comment_only_files(monkeypatch, tmp_path):
    monkeypatch.setattr(_scan, "CHUNK_BYTES", 2)
    for text in ("", "\n\n", "# nothing\n% here\n"):
        src, dst, lines, k, hdr, _ = _parse(text.encode(), "e.txt")
        assert src.shape == dst.shape == lines.shape == (0,) and (k, hdr) == (2, None)
        f = tmp_path / "e.txt"
        f.write_text(text)
        with pytest.raises(GraphFormatError, match="e.txt"):
            im.read_edgelist(f)


@pytest.mark.parametrize("chunk", [3, 1 << 40])
@pytest.mark.parametrize(("tail", "line", "what"), [
    ("7 8 9 10\n", 6, "wrong number of columns"),
    ("7\n", 6, "expected 3 (as on line 1), found 1"),
    ("7 8 x\n", 6, "non-numeric probability"),
    ("7 8 1.5\n", 6, "outside [0, 1]"),
])
def test_trailing_garbage_names_file_and_line(monkeypatch, tmp_path, chunk, tail, line, what):
    f = tmp_path / "bad.txt"
    f.write_text("0 1 0.5\n1 2 0.5\n# c\n2 3 0.5\n3 0 0.5\n" + tail)
    monkeypatch.setattr(_scan, "CHUNK_BYTES", chunk)
    with pytest.raises(GraphFormatError) as e:
        im.read_edgelist(f)
    msg = str(e.value)
    assert str(f) in msg and f"line {line}" in msg and what in msg


def test_kernel_calls_are_bounded(monkeypatch, tmp_path):
    """Each scanner call covers at most CHUNK_BYTES plus the rest of one line, so Ctrl-C is
    served between calls (a 1 GB file used to be one call of several seconds)."""
    data = CASES["many short lines"].encode()
    spans = []
    scan = _scan.scan_edges

    def spy(buf, start, *args):
        spans.append(buf.shape[0] - start)
        return scan(buf, start, *args)

    monkeypatch.setattr(_scan, "scan_edges", spy)
    monkeypatch.setattr(_scan, "CHUNK_BYTES", 256)
    src, *_ = _parse(data, "g.txt")
    assert src.shape == (400,)
    assert len(spans) == -(-len(data) // 256) or len(spans) >= len(data) // 256
    assert max(spans) <= 256 + max(len(s) + 1 for s in data.split(b"\n"))
    assert sum(spans) == len(data)


@pytest.mark.parametrize("chunk", [1, 5, 1 << 40])
def test_explicit_header_skip_in_chunks(monkeypatch, chunk):
    data = b"# c\nfrom to p\n0 1 0.5\n\n1 2 0.25\n2 0 0.125\n"
    monkeypatch.setattr(_scan, "CHUNK_BYTES", chunk)
    got = _parse(data, "h.txt", header=True)
    _same(got, _scan.slow_parse(data, "h.txt", "#%", None, 2, True))
    assert got[4] == ("from", "to", "p") and got[2].tolist() == [3, 5, 6]


@pytest.mark.parametrize(("text", "weights"), [
    ("0 1\n1 2\n", False), ("# c\n3 2\n0 1 0.5\n1 2 0.5\n", True),
    ("0 1 0.5 x\n1 2 0.5 y\n", True), ("from to\n0 1\n", False)])
def test_two_column_files_allocate_no_weight_arrays(monkeypatch, text, weights):
    """A file of two columns needs 28 bytes per row, not 53 (issue 13: 10^8 edges on one
    machine): the weight arrays are allocated only when the first rows have a weight column."""
    made = []
    rows = _scan._Rows

    def spy(cap, w):
        made.append(w)
        return rows(cap, w)

    monkeypatch.setattr(_scan, "_Rows", spy)
    got = _parse(text.encode(), "g.txt")
    assert set(made) == {weights}
    _same(got, _scan.slow_parse(text.encode(), "g.txt", "#%", None, 2, "auto"))
