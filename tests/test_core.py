"""Core: DiGraph construction, weight schemes, rng streams, validation, result records."""

import json
import pickle

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infmax as im
from infmax._kernels._rng import draw_uniforms
from infmax._validation import Interval, Options, check
from infmax.graph import from_edges
from infmax.graph.weights import apply_weights, check_lt_weights, normalize_lt
from infmax.random import as_generator, block_seeds, uniforms


# -- DiGraph --------------------------------------------------------------------------------------
def test_csr_and_reverse_agree_with_networkx():
    rng = np.random.default_rng(0)
    src = rng.integers(0, 30, 200)
    dst = rng.integers(0, 30, 200)
    G = from_edges(src, dst, weights="wc")
    ref = nx.DiGraph()
    ref.add_edges_from((int(u), int(v)) for u, v in zip(src, dst) if u != v)
    assert G.n == ref.number_of_nodes() and G.m == ref.number_of_edges()
    for u in range(G.n):
        lab = G.labels[u]
        assert sorted(G.node_labels(G.out_neighbors(u))) == sorted(ref.successors(lab))
        assert sorted(G.node_labels(G.in_neighbors(u))) == sorted(ref.predecessors(lab))
        # weighted cascade: 1 / in-degree of the head
        for j in range(G.indptr[u], G.indptr[u + 1]):
            v = G.indices[j]
            assert G.probs[j] == pytest.approx(1.0 / ref.in_degree(G.labels[v]))
    # reverse probabilities line up with the forward arcs
    fwd = {(int(G.sources[j]), int(G.indices[j])): G.probs[j] for j in range(G.m)}
    for v in range(G.n):
        for j in range(G.rindptr[v], G.rindptr[v + 1]):
            assert G.rprobs[j] == fwd[(int(G.rindices[j]), v)]


def test_self_loops_and_parallel_edges_reported_and_merged():
    G = from_edges([1, 1, 1, 2, 3], [2, 2, 1, 3, 3], probs=[0.5, 0.5, 0.9, 0.2, 0.7],
                   weights="file")
    assert G.summary.self_loops_dropped == 2
    assert G.summary.parallel_edges_merged == 1
    assert G.n == 3 and G.m == 2
    assert G.probs.tolist() == pytest.approx([0.75, 0.2])  # 1 - (1-0.5)^2
    Gs = from_edges([1, 1], [2, 2], probs=[0.25, 0.5], merge="sum", weights="file")
    assert Gs.probs.tolist() == [0.75]
    Gm = from_edges([1, 1], [2, 2], probs=[0.25, 0.5], merge="max", weights="file")
    assert Gm.probs.tolist() == [0.5]


def test_undirected_input_gives_both_arcs_and_merges_repeats():
    G = from_edges(["a", "b", "b"], ["b", "a", "c"], directed=False, weights="uniform:0.1")
    assert G.m == 4 and G.summary.parallel_edges_merged == 1
    assert G.labels.tolist() == ["a", "b", "c"]
    assert set(map(tuple, np.c_[G.sources, G.indices].tolist())) == {(0, 1), (1, 0), (1, 2),
                                                                        (2, 1)}


def test_labels_map_both_ways_and_unknown_label_errors():
    G = from_edges([10, 20, 30], [20, 30, 10])
    assert G.node_ids([30, 10]).tolist() == [2, 0]
    assert G.node_ids(["20"]).tolist() == [1]  # CLI labels arrive as strings
    assert G.node_labels([2, 0]) == [30, 10]
    with pytest.raises(im.UnknownNodeError, match="99"):
        G.node_ids([99], param="seeds", func="spread")
    with pytest.raises(LookupError):
        G.node_ids([2.5])


def test_graph_is_immutable_and_picklable():
    G = from_edges([0, 1], [1, 2])
    with pytest.raises(AttributeError):
        G.foo = 1
    with pytest.raises(ValueError):
        G.probs[0] = 0.3
    H = pickle.loads(pickle.dumps(G))
    assert H.n == G.n and np.array_equal(H.indices, G.indices) and H.labels.tolist() == [0, 1, 2]


def test_isolated_nodes_kept_when_listed():
    G = from_edges([0], [1], nodes=[5, 7])
    assert G.n == 4 and G.labels.tolist() == [0, 1, 5, 7]


def test_edge_subgraph_and_subgraph():
    G = from_edges([0, 1, 2, 3], [1, 2, 3, 0], weights="uniform:0.3")
    S = G.subgraph([0, 1, 2])
    assert S.n == 3 and S.m == 2 and S.labels.tolist() == [0, 1, 2]
    assert np.allclose(S.probs, 0.3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12),
                          st.floats(0, 1, allow_nan=False)), min_size=1, max_size=40),
       st.booleans())
def test_merge_ic_matches_slow_twin(rows, directed):
    src, dst, p = (np.array(c) for c in zip(*rows))
    if (src == dst).all():
        return
    G = from_edges(src, dst, probs=p, directed=directed, weights="file")
    expect: dict = {}
    for u, v, q in rows:
        if u == v:
            continue
        keys = [(u, v)] if directed else [(min(u, v), max(u, v))]
        for key in keys:
            expect[key] = 1 - (1 - expect.get(key, 0.0)) * (1 - q)
    if not directed:
        expect = {**expect, **{(v, u): q for (u, v), q in expect.items()}}
    got = {(G.labels[G.sources[j]].item(), G.labels[G.indices[j]].item()): G.probs[j]
           for j in range(G.m)}
    assert set(got) == set(expect)
    for key, q in expect.items():
        assert got[key] == pytest.approx(q, abs=1e-12)


# -- weights --------------------------------------------------------------------------------------
def test_weight_schemes():
    G = from_edges([0, 1, 2, 3], [3, 3, 3, 0])
    assert G.weighting == "wc" and np.allclose(G.probs[:3], 1 / 3)
    assert apply_weights(G, 0.2).weighting == "uniform:0.2"
    T = apply_weights(G, "trivalency", rng=1)
    assert set(T.probs.tolist()) <= {0.1, 0.01, 0.001}
    assert np.array_equal(T.probs, apply_weights(G, "trivalency", rng=1).probs)
    with pytest.raises(im.InvalidParameterError, match="'weights'.*1.5"):
        apply_weights(G, "uniform:1.5")
    with pytest.raises(im.InvalidParameterError, match="'weights'.*'bogus'"):
        apply_weights(G, "bogus")
    with pytest.raises(im.InvalidParameterError, match="'file'"):
        apply_weights(G, "file")
    F = from_edges([0, 1], [1, 0], probs=[0.3, 0.4], weights="wc")
    assert F.reweight("file").probs.tolist() == [0.3, 0.4]


def test_trivalency_frequencies_within_error():
    G = from_edges(np.arange(30000), np.arange(1, 30001))
    T = apply_weights(G, "trivalency", rng=5)
    for v in (0.1, 0.01, 0.001):
        frac = np.mean(T.probs == v)
        assert abs(frac - 1 / 3) <= 4 * np.sqrt((1 / 3) * (2 / 3) / G.m)


def test_lt_validation_and_normalise():
    G = from_edges([0, 1, 2], [2, 2, 0], weights="uniform:0.7")
    with pytest.raises(im.InvalidParameterError, match="node 2"):
        check_lt_weights(G)
    N = normalize_lt(G)
    assert np.allclose(N.in_weight_sum, [0.7, 0.0, 1.0])
    check_lt_weights(N)
    check_lt_weights(from_edges([0, 1, 2], [2, 2, 0], weights="wc"))


# -- rng ------------------------------------------------------------------------------------------
def test_python_stream_equals_kernel_stream():
    for seed in (0, 1, 2**63 - 1, 123456789):
        assert np.array_equal(uniforms(seed, 50), draw_uniforms(np.uint64(seed), 50))


def test_kernel_stream_is_uniform():
    u = draw_uniforms(np.uint64(7), 200_000)
    assert 0 <= u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / u.size)
    counts = np.bincount((u * 10).astype(int), minlength=10)
    chi2 = ((counts - u.size / 10) ** 2 / (u.size / 10)).sum()
    assert chi2 < 33.7  # 99.99th percentile of chi-square with 9 dof


def test_rng_normalisation():
    g = np.random.default_rng(3)
    assert as_generator(g) is g
    assert as_generator(5).integers(100) == as_generator(5).integers(100)
    assert block_seeds(1, 4).dtype == np.uint64
    assert np.array_equal(block_seeds(1, 4), block_seeds(1, 4))
    for bad in (-1, "x", 1.5, True):
        with pytest.raises(im.InvalidParameterError, match="'rng'"):
            as_generator(bad)


# -- validation and results -----------------------------------------------------------------------
def test_validation_template():
    with pytest.raises(im.InvalidParameterError) as e:
        check("imm", "epsilon", 2, Interval(float, 0, 1, closed="neither"))
    assert str(e.value) == "The 'epsilon' parameter of imm must be a float in (0, 1). Got 2."
    assert e.value.param == "epsilon" and e.value.value == 2
    assert check("f", "k", np.int64(3), Interval(int, 1, None)) == 3
    for bad in (True, 1.0, "3"):
        with pytest.raises(im.InvalidParameterError):
            check("f", "k", bad, Interval(int, 1, None))
    with pytest.raises(im.InvalidParameterError, match="one of 'ic', 'lt'"):
        check("f", "model", "sir", Options(("ic", "lt")))
    with pytest.raises(im.InvalidParameterError):
        check("f", "p", float("nan"), Interval(float, 0, 1))


def test_results_are_frozen_and_serialisable():
    r = im.SeedResult(seeds=[3, 1], algorithm="x", seed_ids=[3, 1], spread=2.5,
                      timings={"total": 0.1}, record={"theta": np.int64(7)})
    with pytest.raises(AttributeError):
        r.seeds = ()
    with pytest.raises(TypeError):
        r.record["theta"] = 1
    d = json.loads(json.dumps(r.to_dict()))
    assert d["seeds"] == [3, 1] and d["record"]["theta"] == 7
    e = im.SpreadEstimate.from_samples(total=10.0, total_sq=30.0, n=4)
    assert e.mean == 2.5 and e.ci95[0] < 2.5 < e.ci95[1]
    assert e.stderr == pytest.approx(np.sqrt((30 / 4 - 6.25) * 4 / 3 / 4))


def test_atomic_write_permissions_and_no_partial_file(tmp_path):
    import os
    import stat

    from infmax._io import atomic_open, atomic_write_text

    target = tmp_path / "out.json"
    atomic_write_text(target, "{}")
    mode = stat.S_IMODE(os.stat(target).st_mode)
    assert mode & stat.S_IRGRP  # readable like any other file, not mkstemp's 0600
    with pytest.raises(RuntimeError):
        with atomic_open(target) as f:
            f.write("partial")
            raise RuntimeError("crash")
    assert target.read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=True),
                 st.booleans(), st.text(max_size=3), st.none()),
       st.sampled_from(["both", "left", "right", "neither"]))
def test_interval_matches_a_plain_predicate(value, closed):
    lo, hi = -1.0, 2.0
    itv = Interval(float, lo, hi, closed=closed)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = numeric and value == value and (
        (value >= lo if closed in ("both", "left") else value > lo)
        and (value <= hi if closed in ("both", "right") else value < hi))
    if ok:
        assert check("f", "x", value, itv) == float(value)
    else:
        with pytest.raises(im.InvalidParameterError, match="'x' parameter of f"):
            check("f", "x", value, itv)
