"""Edge-list parser and converters (networkx, pandas, scipy).

The parser is tested against :func:`infmax.graph.from_edges` on the same arrays: random edge
lists are written in every supported style (whitespace, tabs, commas, comment lines, an
``n m`` header, a probability column, gzip) and must parse back to the identical graph, by the
numba fast path and by the exact Python path alike. Garbage lines must give GraphFormatError
naming the right 1-based line.
"""

from __future__ import annotations

import bz2
import gzip
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import infmax as im
from infmax.exceptions import GraphFormatError, InvalidParameterError, UnknownNodeError
from infmax.graph import _scan, from_edges, io

DATA = os.environ.get("INFMAX_DATA_DIR")
needs_data = pytest.mark.skipif(not DATA, reason="INFMAX_DATA_DIR is not set")


def same_graph(G, H):
    assert G.n == H.n and G.m == H.m
    assert G.labels.tolist() == H.labels.tolist()
    assert np.array_equal(G.indptr, H.indptr)
    assert np.array_equal(G.indices, H.indices)
    assert np.array_equal(G.probs, H.probs)
    assert G.directed == H.directed
    assert G.weighting == H.weighting
    assert G.summary.self_loops_dropped == H.summary.self_loops_dropped
    assert G.summary.parallel_edges_merged == H.summary.parallel_edges_merged


def write(path, text, compress=None):
    data = text.encode()
    if compress == "gz":
        data = gzip.compress(data)
    elif compress == "bz2":
        data = bz2.compress(data)
    with open(path, "wb") as f:
        f.write(data)
    return path


@pytest.fixture(params=["fast", "slow"])
def path_kind(request, monkeypatch):
    """Run a test through the numba fast path and through the exact Python path."""
    if request.param == "slow":
        monkeypatch.setattr(_scan, "fast_parse", lambda *a, **k: None)
    return request.param


# ---------------------------------------------------------------------------------------------
# examples
# ---------------------------------------------------------------------------------------------
def test_whitespace_comments_header(tmp_path, path_kind):
    f = write(tmp_path / "g.txt", "# comment\n% konect style\n\n4 3\n1 2\n2\t3\n  3   1  \n")
    G = im.read_edgelist(f)
    assert G.summary.header == (4, 3)
    assert G.labels.tolist() == [1, 2, 3]
    assert G.m == 3 and G.weighting == "wc"
    assert G.summary.rows_read == 3


def test_probability_column_and_merge(tmp_path, path_kind):
    f = write(tmp_path / "g.csv", "1,2,0.5\n1,2,0.5\n2,3,0.25\n3,3,0.1\n")
    G = im.read_edgelist(f)
    assert G.weighting == "file"
    assert G.summary.self_loops_dropped == 1
    assert G.summary.parallel_edges_merged == 1
    assert G.probs.tolist() == [0.75, 0.25]          # 1 - (1 - .5)^2
    H = im.read_edgelist(f, merge="first", weights="wc")
    assert H.weighting == "wc" and H.file_probs.tolist() == [0.5, 0.25]


def test_weight_column_and_extra_columns(tmp_path, path_kind):
    f = write(tmp_path / "konect.tsv", "% sym\n1\t2\t1\t100\n2\t3\t1\t50\n")
    G = im.read_edgelist(f, weights="wc")
    assert G.m == 2 and G.weighting == "wc"
    f2 = write(tmp_path / "w.txt", "1 2 7 0.2\n2 3 8 0.3\n")
    G2 = im.read_edgelist(f2, weight_column=3)
    assert G2.probs.tolist() == [0.2, 0.3]


def test_undirected_and_string_labels(tmp_path, path_kind):
    f = write(tmp_path / "s.txt", "alice bob\nbob carol\n")
    G = im.read_edgelist(f, directed=False)
    assert G.labels.tolist() == ["alice", "bob", "carol"]
    assert G.m == 4 and not G.directed
    assert G.node_ids(["carol"]).tolist() == [2]


def test_mixed_labels_are_strings(tmp_path, path_kind):
    G = im.read_edgelist(write(tmp_path / "m.txt", "1 a\n2 1\n"))
    assert G.labels.tolist() == ["1", "2", "a"]


def test_text_header_auto_and_explicit(tmp_path, path_kind):
    f = write(tmp_path / "h.csv", "source,target,p\n1,2,0.5\n2,3,0.5\n")
    G = im.read_edgelist(f)
    assert G.summary.header == ("source", "target", "p")
    assert G.labels.tolist() == [1, 2, 3] and G.weighting == "file"
    f2 = write(tmp_path / "h2.txt", "10 20\n1 2\n2 3\n")
    assert im.read_edgelist(f2, header=True).n == 3
    assert im.read_edgelist(f2, header=False).n == 5
    assert im.read_edgelist(f2).n == 5   # auto: m = 20 is not within [1, 4] (2 rows)


@pytest.mark.parametrize("compress", ["gz", "bz2"])
def test_compressed(tmp_path, compress, path_kind):
    f = write(tmp_path / f"g.txt.{compress}", "1 2\n2 3\n", compress)
    assert im.read_edgelist(f).m == 2


def test_explicit_delimiters(tmp_path, path_kind):
    f = write(tmp_path / "d.txt", "New York;Boston;0.5\nBoston;Chicago;0.25\n")
    G = im.read_edgelist(f, delimiter=";")
    assert G.labels.tolist() == ["Boston", "Chicago", "New York"]
    f2 = write(tmp_path / "t.tsv", "1\t2\n2\t3\n")
    assert im.read_edgelist(f2, delimiter="\t").m == 2


def test_float32_and_uniform(tmp_path):
    f = write(tmp_path / "g.txt", "1 2\n2 3\n")
    G = im.read_edgelist(f, weights="uniform", p=0.1, dtype=np.float32)
    assert G.probs.dtype == np.float32 and np.allclose(G.probs, 0.1)


def test_empty_file(tmp_path, path_kind):
    # no silent empty graph (issue 8, item 16; more cases in test_inputs_graphfiles.py)
    with pytest.raises(GraphFormatError, match="no graph to read: the file holds no edge rows"):
        im.read_edgelist(write(tmp_path / "e.txt", "# nothing\n"))


def test_exact_float_parsing(tmp_path):
    toks = ["0.1", "0.30000000000000004", "1e-3", "5E-1", "0.123456789012345678", ".5", "1.",
            "0", "1", "1.0e0", "3.3333333333333335e-01", "0.00000000000000000000001",
            "+0.25", "7e-30"]
    text = "".join(f"{i} {i + 1} {t}\n" for i, t in enumerate(toks))
    G = im.read_edgelist(write(tmp_path / "f.txt", text), header=False)
    assert G.file_probs.tolist() == [float(t) for t in toks]


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,line,what", [
    ("1 2\n2 3\n3\n", 3, "columns"),
    ("1 2\n2 3 4\n", 2, "columns"),
    ("1 2 0.5\n2 3 abc\n", 2, "non-numeric"),
    ("1 2 0.5\n# c\n2 3 1.5\n", 3, "outside [0, 1]"),
    ("1 2 0.5\n2 3 -0.1\n", 2, "outside [0, 1]"),
    ("1 2 0.5\n2 3 nan\n", 2, "outside [0, 1]"),
    ("1,2\n2,,3\n", 2, "empty field"),
    ("1,2\n2,3,\n", 2, "empty field"),
    ("5\n", 1, "two columns"),
])
def test_malformed_lines(tmp_path, text, line, what, path_kind):
    f = write(tmp_path / "bad.txt", text)
    with pytest.raises(GraphFormatError) as e:
        im.read_edgelist(f, header=False)
    assert e.value.line == line
    assert str(f) in str(e.value) and f"line {line}" in str(e.value)
    assert what in str(e.value)


def test_unused_bad_column_is_ignored(tmp_path):
    f = write(tmp_path / "w.txt", "1 2 5\n2 3 x\n")
    G = im.read_edgelist(f, weights="wc")
    assert G.m == 2 and G.file_probs is None


def test_bad_utf8(tmp_path):
    f = tmp_path / "b.txt"
    f.write_bytes(b"a b\nc \xff\n")
    with pytest.raises(GraphFormatError, match="line 2"):
        im.read_edgelist(f)


@pytest.mark.parametrize("kw,param", [
    ({"delimiter": "ab"}, "delimiter"), ({"header": "yes"}, "header"),
    ({"weight_column": 1}, "weight_column"), ({"comments": 3}, "comments"),
    ({"weights": "nope"}, "weights"), ({"merge": "avg"}, "merge"),
    ({"dtype": np.int32}, "dtype"), ({"weights": "uniform"}, "weights"),
])
def test_bad_parameters(tmp_path, kw, param):
    f = write(tmp_path / "g.txt", "1 2\n")
    with pytest.raises(InvalidParameterError) as e:
        im.read_edgelist(f, **kw)
    assert e.value.param == param
    assert f"'{param}' parameter of read_edgelist" in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(InvalidParameterError, match="'path' parameter of read_edgelist") as e:
        im.read_edgelist(tmp_path / "nope.txt")
    assert "nope.txt" in str(e.value)


# ---------------------------------------------------------------------------------------------
# hypothesis: round trip against from_edges, and garbage lines
# ---------------------------------------------------------------------------------------------
int_labels = st.integers(min_value=-5, max_value=40)
str_labels = st.sampled_from(["a", "b", "c", "node_1", "X", "ü", "10x", "-"])
probs = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def edge_lists(draw):
    use_str = draw(st.booleans())
    lab = str_labels if use_str else int_labels
    rows = draw(st.lists(st.tuples(lab, lab, probs), min_size=1, max_size=30))
    style = draw(st.sampled_from([" ", "\t", ",", ", ", "  \t ", " , "]))
    weighted = draw(st.booleans())
    header = (not use_str) and draw(st.booleans())
    comments = draw(st.booleans())
    compress = draw(st.sampled_from([None, None, "gz"]))
    pfmt = draw(st.sampled_from([repr, lambda x: f"{x:.17g}", lambda x: f"{x:.3e}"]))
    crlf = draw(st.booleans())
    return rows, style, weighted, header, comments, compress, pfmt, crlf, use_str


def render(rows, style, weighted, header, comments, pfmt, crlf):
    out = []
    if comments:
        out.append("# written by the test")
    if header:
        ids = [r[0] for r in rows] + [r[1] for r in rows]
        out.append(f"{max(max(ids), 0) + 1} {len(rows)}")
    for i, (u, v, p) in enumerate(rows):
        fields = [str(u), str(v)] + ([pfmt(p)] if weighted else [])
        out.append(style.join(fields))
        if comments and i % 7 == 3:
            out.append("%  a comment in the middle")
            out.append("")
    eol = "\r\n" if crlf else "\n"
    return eol.join(out) + eol


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=edge_lists(), directed=st.booleans())
def test_roundtrip_matches_from_edges(tmp_path_factory, case, directed):
    rows, style, weighted, header, comments, compress, pfmt, crlf, use_str = case
    d = tmp_path_factory.mktemp("rt")
    f = write(d / "g.txt", render(rows, style, weighted, header, comments, pfmt, crlf), compress)
    if use_str:
        src = np.asarray([str(r[0]) for r in rows])
        dst = np.asarray([str(r[1]) for r in rows])
    else:
        src = np.asarray([r[0] for r in rows], dtype=np.int64)
        dst = np.asarray([r[1] for r in rows], dtype=np.int64)
    w = np.asarray([float(pfmt(r[2])) for r in rows]) if weighted else None
    expect = from_edges(src, dst, w, directed=directed)
    kw = {"header": True if header else False, "directed": directed}
    if expect.n == 0:   # no rows, or only self-loops: a file without a graph is an error
        with pytest.raises(GraphFormatError, match="no graph to read"):
            im.read_edgelist(f, **kw)
        return
    G = im.read_edgelist(f, **kw)
    same_graph(G, expect)
    if header:
        assert G.summary.header == (max(max(src.max(), dst.max()), 0) + 1, len(rows))
        # the auto rule finds the header we wrote (n > every id, m = rows)
        same_graph(im.read_edgelist(f, directed=directed), expect)
    # the exact Python path agrees with the fast path
    fast = _scan.fast_parse
    try:
        _scan.fast_parse = lambda *a, **k: None
        same_graph(im.read_edgelist(f, **kw), expect)
    finally:
        _scan.fast_parse = fast


garbage = st.sampled_from([
    ("{u}", "columns"), ("{u} {v} {p} {p} {p} {p}", "columns"), ("{u},,{v}", "empty field"),
    ("{u} {v} zz", "non-numeric"), ("{u} {v} 2.5", "outside"), ("{u} {v} -1", "outside"),
])


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(int_labels, int_labels, probs), min_size=2, max_size=25),
       where=st.integers(min_value=1, max_value=24), bad=garbage,
       comments=st.integers(min_value=0, max_value=3), use_str=st.booleans())
def test_garbage_line_reported(tmp_path_factory, rows, where, bad, comments, use_str):
    where = min(where, len(rows))
    lines = ["# c"] * comments
    for u, v, p in rows:
        u, v = (f"n{u}", f"n{v}") if use_str else (u, v)
        lines.append(f"{u} {v} {p!r}")
    tmpl, what = bad
    lines.insert(comments + where, tmpl.format(u=7, v=8, p=0.5))
    f = tmp_path_factory.mktemp("bad") / "bad.txt"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(GraphFormatError) as e:
        im.read_edgelist(f, header=False, weights="file")
    assert e.value.line == comments + where + 1
    assert what in str(e.value)


# ---------------------------------------------------------------------------------------------
# node values, label lists
# ---------------------------------------------------------------------------------------------
def test_read_node_values(tmp_path):
    G = from_edges(["a", "b"], ["b", "c"])
    f = write(tmp_path / "v.csv", "node,value\nc,2.5\na,1\n")
    assert io.read_node_values(f, G, default=-1).tolist() == [1.0, -1.0, 2.5]
    with pytest.raises(UnknownNodeError, match="line 2"):
        io.read_node_values(write(tmp_path / "u.txt", "a 1\nzz 2\n"), G)
    with pytest.raises(GraphFormatError, match="given twice"):
        io.read_node_values(write(tmp_path / "d.txt", "a 1\na 2\n"), G)
    with pytest.raises(GraphFormatError, match="non-numeric"):
        io.read_node_values(write(tmp_path / "n.txt", "a 1\nb x\n"), G)


def test_read_labels(tmp_path):
    f = write(tmp_path / "s.txt", "# seeds\n3\n1, 2\n")
    assert io.read_labels(f) == [3, 1, 2]
    G = from_edges([1, 2], [2, 3])
    assert io.read_labels(f, G) == [3, 1, 2]
    assert io.read_labels(write(tmp_path / "t.txt", "a\nb\n")) == ["a", "b"]
    with pytest.raises(UnknownNodeError, match="line 2"):
        io.read_labels(write(tmp_path / "x.txt", "1\n9\n"), G)


# ---------------------------------------------------------------------------------------------
# networkx, pandas, scipy
# ---------------------------------------------------------------------------------------------
def test_networkx_roundtrip():
    nx = pytest.importorskip("networkx")
    H = nx.DiGraph()
    H.add_nodes_from(["iso", "a", "b", "c"])
    H.add_edge("a", "b", p=0.3)
    H.add_edge("b", "c", p=0.6)
    G = im.from_networkx(H)
    assert G.n == 4 and G.weighting == "file" and "iso" in G.labels.tolist()
    back = im.to_networkx(G)
    assert set(back.nodes) == set(H.nodes)
    assert {(u, v): d["p"] for u, v, d in back.edges(data=True)} == {("a", "b"): 0.3,
                                                                      ("b", "c"): 0.6}
    same_graph(im.from_networkx(back), G)


def test_networkx_undirected_and_overrides():
    nx = pytest.importorskip("networkx")
    U = nx.karate_club_graph()
    G = im.from_networkx(U, weight=None)
    assert G.n == 34 and G.m == 2 * U.number_of_edges() and not G.directed
    D = im.from_networkx(U, weight=None, directed=True)
    assert D.directed and D.m == G.m
    G2 = im.from_networkx(nx.DiGraph([(1, 2), (2, 1)]), directed=False)
    assert G2.m == 2 and G2.summary.parallel_edges_merged == 1


def test_networkx_tuple_labels():
    nx = pytest.importorskip("networkx")
    H = nx.grid_2d_graph(2, 3)
    G = im.from_networkx(H)
    assert G.n == 6 and G.m == 14
    assert G.node_labels(G.node_ids([(0, 1)])) == [(0, 1)]
    assert set(im.to_networkx(G).nodes) == set(H.nodes)


def test_from_networkx_bad_input():
    with pytest.raises(InvalidParameterError, match="networkx graph"):
        im.from_networkx([(1, 2)])


def test_pandas_roundtrip():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"source": [1, 2, 2], "target": [2, 3, 1], "w": [0.1, 0.2, 0.3]})
    G = im.from_pandas(df, prob="w")
    same_graph(G, from_edges(df.source.to_numpy(), df.target.to_numpy(), df.w.to_numpy()))
    S = im.from_pandas(df.astype({"source": str, "target": str}), directed=False)
    assert S.labels.tolist() == ["1", "2", "3"] and S.weighting == "wc"
    with pytest.raises(InvalidParameterError, match="'nope'"):
        im.from_pandas(df, source="nope")
    df2 = df.astype({"w": float})
    df2.loc[1, "w"] = float("nan")
    with pytest.raises(InvalidParameterError, match="missing value"):
        im.from_pandas(df2, prob="w")


def test_scipy_roundtrip():
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    A = sp.random_array((30, 30), density=0.1, random_state=rng, format="csr")
    A.setdiag(0)
    A.eliminate_zeros()
    G = im.from_scipy(A)
    assert G.n == 30 and G.weighting == "file" and G.m == A.nnz
    B = im.graph.to_scipy(G)
    assert abs(B - A).max() == 0
    # 0/1 adjacency -> weighted cascade, labels kept, isolated rows kept
    M = np.zeros((4, 4))
    M[0, 1] = M[1, 0] = M[1, 2] = M[2, 1] = 1
    U = im.from_scipy(M, labels=["w", "x", "y", "z"], directed=False)
    assert U.n == 4 and U.m == 4 and U.weighting == "wc" and not U.directed
    with pytest.raises(InvalidParameterError, match="symmetric"):
        im.from_scipy(np.triu(M), directed=False)
    with pytest.raises(InvalidParameterError, match="square"):
        im.from_scipy(np.zeros((2, 3)))


def test_graph_io_via_networkx_equals_file(tmp_path):
    text = "1 2 0.5\n2 3 0.25\n3 1 0.125\n4 1 1\n"
    G = im.read_edgelist(write(tmp_path / "g.txt", text), header=False)
    same_graph(im.from_networkx(im.to_networkx(G)), G)
    same_graph(im.from_scipy(im.graph.to_scipy(G), labels=G.labels.tolist()), G)


@needs_data
def test_real_files_fast_equals_slow(monkeypatch):
    f = os.path.join(DATA, "nethept", "hep.txt")
    G = im.read_edgelist(f, merge="first")
    monkeypatch.setattr(_scan, "fast_parse", lambda *a, **k: None)
    same_graph(im.read_edgelist(f, merge="first"), G)


@pytest.mark.parametrize("build", [
    lambda **kw: im.from_networkx(__import__("networkx").path_graph(3), **kw),
    lambda **kw: im.graph.from_scipy(np.eye(3, k=1), **kw),
    lambda **kw: im.graph.from_pandas(
        __import__("pandas").DataFrame({"source": [1], "target": [2]}), **kw),
], ids=["from_networkx", "from_scipy", "from_pandas"])
def test_converters_validate_keywords(build, request):
    name = request.node.callspec.id
    for kw, param in [({"merge": "x"}, "merge"), ({"weights": "bad"}, "weights"),
                      ({"dtype": "int8"}, "dtype")]:
        with pytest.raises(InvalidParameterError) as e:
            build(**kw)
        assert e.value.param == param and f"of {name}" in str(e.value)
