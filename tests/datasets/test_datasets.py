"""Dataset registry entries (against the published statistics of the real files), the adjacency
list format, and the synthetic generators (edge counts within their standard error, exact
reproducibility for a fixed rng)."""

from __future__ import annotations

import hashlib
import math
import os
import re

import numpy as np
import pytest

import infmax as im
from infmax.datasets import catalog
from infmax.datasets.formats import read_adjacency_list
from infmax.exceptions import DatasetNotFoundError, GraphFormatError, InvalidParameterError

DATA = os.environ.get("INFMAX_DATA_DIR")
needs_data = pytest.mark.skipif(not DATA, reason="INFMAX_DATA_DIR is not set")

REQUIRED = ["nethept", "nethept-hep", "netphy", "ca-grqc", "ca-hepth", "wiki-vote",
            "email-enron", "epinions", "epinions-imb", "facebook-snap"]
# (n, m) as published (MANIFEST.md / SNAP), after dropping self-loops and merging duplicates
PUBLISHED = {
    "nethept": (15_229, 62_752), "nethept-hep": (15_229, 62_752),
    "netphy": (37_149, 2 * 174_161), "ca-grqc": (5_241, 2 * (14_496 - 12)),
    "ca-hepth": (9_875, 2 * (25_998 - 25)), "wiki-vote": (7_115, 103_689),
    "email-enron": (36_692, 2 * 183_831), "epinions": (75_879, 508_837),
    "epinions-imb": (75_888, 508_837), "facebook-snap": (4_039, 2 * 88_234),
}


def test_required_datasets_registered():
    names = im.datasets.list("graph")
    for name in REQUIRED:
        assert name in names
        info = im.datasets.info(name)
        assert info["kind"] == "graph" and info["citation"] and info["license"]
        assert set(info["stats"]) >= {"n", "m", "directed"}
        assert (info["stats"]["n"], info["stats"]["m"]) == PUBLISHED[name]


@pytest.mark.parametrize("spec", catalog.SPECS, ids=lambda s: s.name)
def test_datafile_addresses(spec):
    for f in spec.files:
        assert re.fullmatch(r"https://raw\.githubusercontent\.com/[^/]+/[^/]+/[0-9a-f]{40}/.+",
                            f.url), f.url
        assert re.fullmatch(r"[0-9a-f]{64}", f.sha256)
        assert f.size > 0


def test_aliases_and_unknown():
    assert im.datasets.get_spec("ca-GrQc").name == "ca-grqc"
    with pytest.raises(DatasetNotFoundError, match="Unknown dataset 'nope'"):
        im.datasets.load("nope")


@needs_data
@pytest.mark.parametrize("spec", catalog.SPECS, ids=lambda s: s.name)
def test_dataset_matches_its_stats(spec):
    (f,) = spec.files
    local = os.path.join(DATA, f.relpath)
    with open(local, "rb") as fh:
        data = fh.read()
    assert len(data) == f.size
    assert hashlib.sha256(data).hexdigest() == f.sha256
    G = im.datasets.load(spec.name)
    s = spec.stats
    assert (G.n, G.m) == (s["n"], s["m"])
    assert G.directed == s["directed"]
    assert G.summary.rows_read == s["rows"]
    assert G.summary.header == s.get("header")
    if "edges" in s:
        assert G.m == 2 * s["edges"]
    expected_weighting = "file" if spec.name == "nethept-hep" else "wc"
    assert G.weighting == expected_weighting
    if expected_weighting == "wc":   # weighted cascade: in-probabilities of a node sum to 1
        assert np.allclose(G.in_weight_sum[G.in_degree > 0], 1.0)


@needs_data
def test_loader_keywords():
    G = im.datasets.load("wiki-vote", directed=False, weights="uniform:0.1", dtype=np.float32)
    assert not G.directed and G.m == 2 * 100_762
    assert G.probs.dtype == np.float32 and np.allclose(G.probs, 0.1)
    a = im.datasets.load("ca-grqc", weights="trivalency", rng=3)
    b = im.datasets.load("ca-grqc", weights="trivalency", rng=3)
    assert np.array_equal(a.probs, b.probs)
    assert set(np.unique(a.probs).tolist()) <= {0.1, 0.01, 0.001}
    u = im.datasets.load("nethept", weights="uniform", p=0.01)
    assert np.allclose(u.probs, 0.01)


@needs_data
def test_nethept_variants():
    hep = im.datasets.load("nethept", variant="hep")
    same = im.datasets.load("nethept-hep")
    assert hep.weighting == "file" and np.array_equal(hep.probs, same.probs)
    # hep.txt and NetHept.txt hold the same graph (1-based vs 0-based ids)
    wc = im.datasets.load("nethept")
    assert np.array_equal(hep.labels - 1, wc.labels)
    assert np.array_equal(hep.indptr, wc.indptr) and np.array_equal(hep.indices, wc.indices)
    # the file's duplicated rows carry equal probabilities: 'first' == 'max'
    mx = im.datasets.load("nethept-hep", merge="max")
    assert np.array_equal(mx.probs, hep.probs)
    with pytest.raises(InvalidParameterError, match="'variant'"):
        im.datasets.load("nethept", variant="xyz")


@needs_data
def test_epinions_two_files_same_degrees():
    snap = im.datasets.load("epinions")
    imb = im.datasets.load("epinions-imb")
    assert np.array_equal(np.sort(snap.out_degree), np.sort(imb.out_degree)[imb.n - snap.n:])
    assert np.array_equal(np.sort(snap.in_degree), np.sort(imb.in_degree)[imb.n - snap.n:])
    assert int((imb.out_degree + imb.in_degree == 0).sum()) == imb.n - snap.n == 9
    assert read_adjacency_list(os.path.join(DATA, "epinions", "epinions.txt"),
                               keep_isolated=False).n == 75_879


# ---------------------------------------------------------------------------------------------
# adjacency list format
# ---------------------------------------------------------------------------------------------
def test_adjacency_list(tmp_path):
    f = tmp_path / "adj.txt"
    f.write_text("# vertex list\n0:1,2\n1: 2 , 0\n\n2:\n5:\n")
    G = read_adjacency_list(f)
    assert G.labels.tolist() == [0, 1, 2, 5]
    assert G.m == 4 and G.summary.rows_read == 4
    U = read_adjacency_list(f, directed=False, keep_isolated=False)
    assert U.n == 3 and U.m == 6 and U.summary.parallel_edges_merged == 1


@pytest.mark.parametrize("text,line,what", [
    ("0:1\nx:2\n", 2, "node id"), ("0:1\n1 2\n", 2, "missing ':'"),
    ("0:1,\n", 1, "commas"), ("0:1,,2\n", 1, "commas"), ("0:1\n1:a\n", 2, "commas"),
    ("0:1\n1:0\n0:2\n", 3, "listed twice"),
])
def test_adjacency_list_errors(tmp_path, text, line, what):
    f = tmp_path / "bad.txt"
    f.write_text(text)
    with pytest.raises(GraphFormatError) as e:
        read_adjacency_list(f)
    assert e.value.line == line and what in str(e.value)


# ---------------------------------------------------------------------------------------------
# synthetic generators
# ---------------------------------------------------------------------------------------------
def within(observed, mean, var, z=4.0):
    return abs(observed - mean) <= z * math.sqrt(var) + 1e-9


@pytest.mark.parametrize("directed", [False, True])
def test_erdos_renyi_edge_count(directed):
    n, p = 400, 0.02
    N = n * (n - 1) if directed else n * (n - 1) // 2
    G = im.datasets.erdos_renyi(n, p, directed=directed, rng=11)
    edges = G.m if directed else G.m // 2
    assert G.n == n and within(edges, N * p, N * p * (1 - p))
    assert G.summary.self_loops_dropped == 0 and G.summary.parallel_edges_merged == 0
    # over several graphs the mean edge count is within its standard error too
    counts = [im.datasets.erdos_renyi(60, 0.1, directed=directed, rng=s).m for s in range(30)]
    N60 = 60 * 59 if directed else 60 * 59 // 2
    mean = np.mean(counts) / (1 if directed else 2)
    assert within(mean, N60 * 0.1, N60 * 0.1 * 0.9 / 30)


def test_erdos_renyi_gnm_and_uniformity():
    G = im.datasets.erdos_renyi(50, m=300, directed=True, rng=0)
    assert G.m == 300 and G.n == 50
    U = im.datasets.erdos_renyi(50, m=300, rng=0)
    assert U.m == 600
    # every pair equally likely: each of the 6 pairs of 4 nodes appears ~ T/2 times in G(4, 3)
    T = 600
    hits = np.zeros((4, 4))
    for s in range(T):
        H = im.datasets.erdos_renyi(4, m=3, rng=s)
        hits[H.sources, H.indices] += 1
    iu = np.triu_indices(4, 1)
    assert all(within(h, T / 2, T / 4) for h in hits[iu])
    full = im.datasets.erdos_renyi(5, 1.0, rng=0)
    assert full.m == 20


def test_erdos_renyi_reproducible_and_isolated():
    a = im.datasets.erdos_renyi(300, 0.01, rng=5, weights="trivalency")
    b = im.datasets.erdos_renyi(300, 0.01, rng=np.random.default_rng(5), weights="trivalency")
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.probs, b.probs)
    c = im.datasets.erdos_renyi(300, 0.01, rng=6)
    assert not np.array_equal(a.indptr, c.indptr)
    sparse = im.datasets.erdos_renyi(100, 0.0, rng=1)
    assert sparse.n == 100 and sparse.m == 0


@pytest.mark.parametrize("kw,param", [
    ({"n": 10}, "p"), ({"n": 10, "p": 0.1, "m": 3}, "p"), ({"n": 10, "p": 1.5}, "p"),
    ({"n": -1, "p": 0.1}, "n"), ({"n": 5, "m": 21}, "m"),
])
def test_erdos_renyi_validation(kw, param):
    with pytest.raises(InvalidParameterError) as e:
        im.datasets.erdos_renyi(**kw)
    assert e.value.param == param and "erdos_renyi" in str(e.value)


def test_barabasi_albert():
    n, k = 2000, 3
    G = im.datasets.barabasi_albert(n, k, rng=2)
    assert G.n == n and G.m == 2 * k * (n - k)
    assert G.summary.parallel_edges_merged == 0 and G.summary.self_loops_dropped == 0
    deg = G.out_degree
    assert deg[k + 1:].min() >= k
    # preferential attachment: heavy tail (max degree far above the mean 2k)
    assert deg.max() > 10 * 2 * k
    D = im.datasets.barabasi_albert(n, k, directed=True, rng=2)
    assert D.m == k * (n - k)
    # arcs go from newer to older nodes
    assert (D.sources > D.indices).all()
    again = im.datasets.barabasi_albert(n, k, rng=2)
    assert np.array_equal(again.indices, G.indices)
    with pytest.raises(InvalidParameterError, match="'n' parameter of barabasi_albert"):
        im.datasets.barabasi_albert(3, 3)


def test_stochastic_block():
    sizes = [100, 150, 50]
    P = np.array([[0.1, 0.01, 0.0], [0.01, 0.05, 0.02], [0.0, 0.02, 0.3]])
    G, blocks = im.datasets.stochastic_block(sizes, P, rng=4, return_blocks=True)
    assert G.n == 300 and blocks.tolist() == [0] * 100 + [1] * 150 + [2] * 50
    b_src, b_dst = blocks[G.sources], blocks[G.indices]
    for a in range(3):
        for b in range(a, 3):
            pairs = sizes[a] * (sizes[a] - 1) // 2 if a == b else sizes[a] * sizes[b]
            arcs = int(((b_src == a) & (b_dst == b)).sum())
            if a == b:   # an undirected edge inside a block is two arcs of that block
                arcs //= 2
            assert within(arcs, pairs * P[a, b], pairs * P[a, b] * (1 - P[a, b])), (a, b)
    assert int(((b_src == 0) & (b_dst == 2)).sum()) == 0
    assert G.summary.extra["blocks"] is not None
    D = im.datasets.stochastic_block([40, 40], [[0.2, 0.5], [0.0, 0.2]], directed=True, rng=1)
    bd = np.repeat([0, 1], 40)
    assert int(((bd[D.sources] == 1) & (bd[D.indices] == 0)).sum()) == 0
    assert within(int(((bd[D.sources] == 0) & (bd[D.indices] == 1)).sum()), 800, 400)
    again = im.datasets.stochastic_block(sizes, P, rng=4)
    assert np.array_equal(again.indices, G.indices)
    with pytest.raises(InvalidParameterError, match="symmetric"):
        im.datasets.stochastic_block([5, 5], [[0.1, 0.2], [0.3, 0.1]])
    with pytest.raises(InvalidParameterError, match="'p_matrix'"):
        im.datasets.stochastic_block([5, 5], [[0.1, 2.0], [2.0, 0.1]])
    with pytest.raises(InvalidParameterError, match="'sizes'"):
        im.datasets.stochastic_block([5, -1], [[0.1, 0.1], [0.1, 0.1]])


def test_generators_validate_weights():
    for call, name in [(lambda: im.datasets.erdos_renyi(5, 0.5, weights="bad"), "erdos_renyi"),
                       (lambda: im.datasets.barabasi_albert(5, 1, weights=2.0),
                        "barabasi_albert"),
                       (lambda: im.datasets.stochastic_block([2], [[1.0]], weights="x"),
                        "stochastic_block")]:
        with pytest.raises(InvalidParameterError) as e:
            call()
        assert e.value.param == "weights" and name in str(e.value)
