"""Tests of the static heuristics (infmax.algorithms.heuristics)."""

from __future__ import annotations

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import InfmaxError, InvalidParameterError, UnknownNodeError
from infmax.graph import from_edges


def random_graph(n, m, seed, *, directed=True, labels_offset=0):
    gen = np.random.default_rng(seed)
    src = gen.integers(0, n, m) + labels_offset
    dst = gen.integers(0, n, m) + labels_offset
    return from_edges(src, dst, directed=directed, nodes=np.arange(n) + labels_offset)


@pytest.fixture
def star():
    # 0 -> 1,2,3 ; 1 -> 2,3 ; 2 -> 3 ; labels are strings to exercise the mapping
    src = ["a", "a", "a", "b", "b", "c"]
    dst = ["b", "c", "d", "c", "d", "d"]
    return from_edges(src, dst, weights=0.1)


# -- degree ----------------------------------------------------------------------------------
def test_degree_order_and_result(star):
    res = im.degree(star, 3)
    assert res.seeds == ("a", "b", "c")
    assert res.algorithm == "degree"
    assert res.seed_ids.dtype == np.int32 and list(res.seed_ids) == [0, 1, 2]
    assert res.record["scores"] == [3.0, 2.0, 1.0]
    assert "total" in res.timings
    with pytest.raises(AttributeError):
        res.seeds = ()


def test_degree_ties_by_lower_id():
    # every node has out-degree 1; labels are not in id order of insertion
    G = from_edges([5, 3, 9, 1], [3, 9, 1, 5])
    assert im.degree(G, 4).seeds == (1, 3, 5, 9)


def test_degree_matches_sorted_outdegree_on_random_graph():
    G = random_graph(300, 1500, 0)
    res = im.degree(G, 40)
    d = G.out_degree
    expected = sorted(range(G.n), key=lambda u: (-d[u], u))[:40]
    assert list(res.seed_ids) == expected


def test_degree_neighbor_weights_by_hand(star):
    # ids: a=0 b=1 c=2 d=3 ; weights w: b=2, d=10
    w = np.array([1.0, 2.0, 1.0, 10.0])
    res = im.degree(star, 4, neighbor_weights=w)
    # a: b+c+d = 2+1+10 = 13; b: c+d = 11; c: d = 10; d: 0
    assert res.seeds == ("a", "b", "c", "d")
    assert res.record["scores"] == [13.0, 11.0, 10.0, 0.0]
    w2 = np.array([1.0, 20.0, 1.0, 1.0])
    # a: 20+1+1 = 22; b: 2; c: 1; d: 0
    assert im.degree(star, 2, neighbor_weights=w2).record["scores"] == [22.0, 2.0]


def test_degree_neighbor_weights_random_graph():
    G = random_graph(100, 400, 3)
    w = np.random.default_rng(1).random(G.n)
    res = im.degree(G, 10, neighbor_weights=w)
    score = [sum(w[v] for v in G.out_neighbors(u)) for u in range(G.n)]
    expected = sorted(range(G.n), key=lambda u: (-score[u], u))[:10]
    assert list(res.seed_ids) == expected
    np.testing.assert_allclose(res.record["scores"], [score[u] for u in expected])


def test_degree_candidates_labels_and_mask(star):
    res = im.degree(star, 2, candidates=["d", "c", "b"])
    assert res.seeds == ("b", "c")
    mask = np.array([False, False, True, True])
    assert im.degree(star, 2, candidates=mask).seeds == ("c", "d")


# -- random ----------------------------------------------------------------------------------
def test_random_seeds_reproducible_distinct_and_in_candidates():
    G = random_graph(50, 100, 1)
    a = im.random_seeds(G, 10, rng=7)
    b = im.random_seeds(G, 10, rng=7)
    assert a.seeds == b.seeds and len(set(a.seeds)) == 10
    assert a.algorithm == "random"
    cand = list(range(0, 50, 5))
    c = im.random_seeds(G, 10, rng=3, candidates=cand)
    assert sorted(c.seeds) == cand  # k == number of candidates: all of them


def test_random_seeds_uniform():
    G = random_graph(10, 20, 2)
    counts = np.zeros(G.n)
    gen = np.random.default_rng(5)
    trials = 2000
    for _ in range(trials):
        counts[im.random_seeds(G, 3, rng=gen).seed_ids] += 1
    # each node is picked with probability 3/10; binomial sd = sqrt(2000*.3*.7) ~ 20.5
    assert np.all(np.abs(counts - trials * 0.3) <= 4.5 * np.sqrt(trials * 0.3 * 0.7))


# -- degree discount / single discount vs Chen et al.'s pseudo-code ------------------------------
def slow_degree_discount_ic(G, k, p, allowed=None):
    """Algorithm 4 of Chen, Wang, Yang (KDD 2009), literally (argmax by scan, lower id wins)."""
    n = G.n
    allowed = [True] * n if allowed is None else list(allowed)
    d = [int(G.out_degree[v]) for v in range(n)]
    dd = [float(x) for x in d]
    t = [0] * n
    S = []
    for _ in range(k):
        u = max((v for v in range(n) if allowed[v] and v not in S), key=lambda v: (dd[v], -v))
        S.append(u)
        for v in G.out_neighbors(u).tolist():
            if v in S or not allowed[v]:
                continue
            t[v] += 1
            dd[v] = float(d[v]) - 2.0 * t[v] - (float(d[v]) - t[v]) * t[v] * p
    return S, [None] * k


def slow_single_discount(G, k):
    n = G.n
    d = [float(G.out_degree[v]) for v in range(n)]
    S = []
    for _ in range(k):
        u = max((v for v in range(n) if v not in S), key=lambda v: (d[v], -v))
        S.append(u)
        for v in G.in_neighbors(u).tolist():
            if v not in S:
                d[v] -= 1
    return S


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("directed", [True, False])
def test_degree_discount_matches_pseudocode(seed, directed):
    gen = np.random.default_rng(seed)
    n = int(gen.integers(20, 120))
    G = random_graph(n, int(n * gen.uniform(1, 6)), seed, directed=directed)
    p = [0.01, 0.05, 0.1, 0.3, 0.7][seed % 5]  # large p makes dd non-monotone in t
    k = min(n, 30)
    res = im.degree_discount(G, k, p=p)
    assert list(res.seed_ids) == slow_degree_discount_ic(G, k, p)[0]
    assert res.params["p"] == p


def test_degree_discount_candidates_match_pseudocode():
    G = random_graph(80, 400, 11, directed=False)
    mask = np.random.default_rng(0).random(G.n) < 0.5
    k = int(mask.sum()) // 2
    res = im.degree_discount(G, k, p=0.2, candidates=mask)
    assert list(res.seed_ids) == slow_degree_discount_ic(G, k, 0.2, mask)[0]
    assert mask[res.seed_ids].all()


def test_degree_discount_default_p():
    G = random_graph(50, 200, 4, directed=False).reweight(0.07)
    assert im.degree_discount(G, 5).params["p"] == pytest.approx(0.07)
    H = random_graph(50, 200, 4).reweight("wc")
    res = im.degree_discount(H, 5)
    assert res.params["p"] == pytest.approx(float(np.mean(H.probs)))
    assert list(res.seed_ids) == slow_degree_discount_ic(H, 5, res.params["p"])[0]


def test_degree_discount_scores_by_hand():
    # star 0-{1,2,3} plus edge 1-2, undirected; p = 0.1
    G = from_edges([0, 0, 0, 1], [1, 2, 3, 2], directed=False)
    res = im.degree_discount(G, 2, p=0.1)
    # after 0: dd_1 = dd_2 = 2 - 2 - (2 - 1) * 1 * 0.1 = -0.1 ; dd_3 = 1 - 2 - 0 = -1
    assert res.seeds == (0, 1)
    assert res.record["scores"] == [3.0, pytest.approx(-0.1)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("directed", [True, False])
def test_single_discount_matches_pseudocode(seed, directed):
    G = random_graph(60, 300, 100 + seed, directed=directed)
    assert list(im.single_discount(G, 25).seed_ids) == slow_single_discount(G, 25)


def test_discounts_on_undirected_graph_equal_paper_direction_free():
    # on an undirected graph single discount's in-neighbours are the out-neighbours
    G = random_graph(40, 120, 9, directed=False)
    res = im.single_discount(G, 10)
    assert list(res.seed_ids) == slow_single_discount(G, 10)


# -- k-core ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("directed", [True, False])
def test_core_numbers_vs_networkx(seed, directed):
    nx = pytest.importorskip("networkx")
    from infmax.algorithms.heuristics import core_numbers

    G = random_graph(150, 600 + 200 * seed, 50 + seed, directed=directed)
    H = nx.DiGraph()
    H.add_nodes_from(range(G.n))
    H.add_edges_from(zip(G.sources.tolist(), G.indices.tolist()))
    expected = nx.core_number(H.to_undirected())
    assert core_numbers(G).tolist() == [expected[v] for v in range(G.n)]


def test_kcore_ranking():
    G = random_graph(120, 500, 8)
    from infmax.algorithms.heuristics import core_numbers

    core, deg = core_numbers(G), G.out_degree
    res = im.kcore(G, 15)
    expected = sorted(range(G.n), key=lambda v: (-core[v], -deg[v], v))[:15]
    assert list(res.seed_ids) == expected
    assert res.record["scores"] == [int(core[v]) for v in expected]


def test_kcore_example():
    # a 4-clique {0,1,2,3} (3-core) plus a long path and a star
    src = [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6]
    dst = [1, 2, 3, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10]
    G = from_edges(src, dst, directed=False)
    res = im.kcore(G, 4)
    assert sorted(res.seeds) == [0, 1, 2, 3] and res.record["scores"] == [3, 3, 3, 3]
    assert res.seeds[0] == 3  # degree 4 beats degree 3 among the 3-core


# -- PageRank --------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(4))
def test_pagerank_vs_networkx_reversed(seed):
    nx = pytest.importorskip("networkx")
    from infmax.algorithms.heuristics import pagerank_scores

    G = random_graph(200, 500 + 300 * seed, 70 + seed)  # sparse: many dangling nodes
    H = nx.DiGraph()
    H.add_nodes_from(range(G.n))
    H.add_edges_from(zip(G.sources.tolist(), G.indices.tolist()))
    ref = nx.pagerank(H.reverse(), alpha=0.85, tol=1e-14, max_iter=10_000)
    x, it, conv = pagerank_scores(G, tol=1e-13)
    assert conv
    np.testing.assert_allclose(x, [ref[v] for v in range(G.n)], rtol=0, atol=1e-8)
    assert x.sum() == pytest.approx(1.0)
    res = im.pagerank(G, 10)
    expected = sorted(range(G.n), key=lambda v: (-ref[v], v))[:10]
    assert set(res.seed_ids.tolist()) == set(expected)
    assert res.record["converged"] and res.record["iterations"] >= 1


def test_pagerank_no_convergence_warns():
    G = random_graph(50, 200, 2)
    with pytest.warns(RuntimeWarning, match="did not converge"):
        res = im.pagerank(G, 3, max_iter=2)
    assert res.record["converged"] is False


@pytest.mark.parametrize("param,value", [("damping", 1.0), ("damping", -0.1), ("tol", 0.0),
                                         ("max_iter", 0)])
def test_pagerank_bad_params(param, value):
    G = random_graph(10, 20, 2)
    with pytest.raises(InvalidParameterError) as e:
        im.pagerank(G, 1, **{param: value})
    assert e.value.param == param and f"'{param}'" in str(e.value)


@pytest.mark.parametrize("p", [-0.1, 1.5, "x", np.nan])
def test_degree_discount_bad_p(p):
    G = random_graph(10, 20, 2)
    with pytest.raises(InvalidParameterError) as e:
        im.degree_discount(G, 1, p=p)
    assert e.value.param == "p"


# -- candidates everywhere -------------------------------------------------------------------
ALL = ["degree", "single_discount", "degree_discount", "kcore", "pagerank", "random_seeds"]


@pytest.mark.parametrize("name", ALL)
def test_candidates_respected(name):
    G = random_graph(100, 600, 21, labels_offset=1000)
    gen = np.random.default_rng(2)
    cand = sorted(gen.choice(G.labels, 20, replace=False).tolist())
    res = getattr(im, name)(G, 12, candidates=cand, rng=3)
    assert set(res.seeds) <= set(cand) and len(set(res.seeds)) == 12
    assert res.seeds == tuple(G.node_labels(res.seed_ids))
    mask = np.zeros(G.n, dtype=bool)
    mask[G.node_ids(cand)] = True
    res2 = getattr(im, name)(G, 12, candidates=mask, rng=3)
    assert res2.seeds == res.seeds
    # k == number of candidates selects all of them
    assert sorted(getattr(im, name)(G, 20, candidates=cand, rng=3).seeds) == cand


@pytest.mark.parametrize("name", ALL)
def test_result_shape(name):
    G = random_graph(30, 90, 5)
    res = getattr(im, name)(G, 5, rng=0)
    assert res.k == 5 and len(set(res.seeds)) == 5
    assert "total" in res.timings and res.params["k"] == 5
    assert res.to_dict()["seeds"] == list(res.seeds)


# -- bad input (all selectors) ---------------------------------------------------------------
SELECTORS = ALL


def _call(name, G, k, **kw):
    return getattr(im, name)(G, k, **kw)


@pytest.mark.parametrize("name", SELECTORS)
@pytest.mark.parametrize("k", [0, -1, 5, 2.0, "2", True])
def test_bad_k(name, star, k):
    with pytest.raises(InvalidParameterError) as e:
        _call(name, star, k)
    assert e.value.param == "k" and "'k'" in str(e.value) and repr(k) in str(e.value)


@pytest.mark.parametrize("name", SELECTORS)
def test_k_above_candidates(name, star):
    with pytest.raises(InvalidParameterError) as e:
        _call(name, star, 3, candidates=["a", "b"])
    assert e.value.param == "k" and "candidates (2)" in str(e.value) and "Got 3" in str(e.value)


@pytest.mark.parametrize("name", SELECTORS)
def test_unknown_candidate(name, star):
    with pytest.raises(UnknownNodeError) as e:
        _call(name, star, 1, candidates=["a", "zz"])
    assert "'candidates'" in str(e.value) and "'zz'" in str(e.value)
    assert isinstance(e.value, InfmaxError)


@pytest.mark.parametrize("name", SELECTORS)
def test_bad_mask_shape(name, star):
    with pytest.raises(InvalidParameterError) as e:
        _call(name, star, 1, candidates=np.ones(3, dtype=bool))
    assert e.value.param == "candidates" and "(3,)" in str(e.value)


@pytest.mark.parametrize("w", [np.ones(3), np.ones((4, 1)), [1, 2, np.nan, 4], "abc"])
def test_bad_neighbor_weights(star, w):
    with pytest.raises(InvalidParameterError) as e:
        im.degree(star, 1, neighbor_weights=w)
    assert e.value.param == "neighbor_weights" and "'neighbor_weights'" in str(e.value)


# -- docs/algorithms.md examples run ---------------------------------------------------------
def test_docs_examples_run(capsys):
    import pathlib
    import re

    doc = pathlib.Path(__file__).resolve().parents[2] / "docs" / "algorithms.md"
    if not doc.exists():
        pytest.skip("docs/algorithms.md not found")
    blocks = re.findall(r"```python\n(.*?)```", doc.read_text(), re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(doc), "exec"), {})
    out = capsys.readouterr().out
    assert "(6, 3, 0) [5.0, 4.0, 3.0]" in out and "(0, 3, 2)" in out


def test_degree_scores_and_top_k_are_the_ones_observability_uses():
    from infmax.algorithms.heuristics import degree_scores, top_k
    from infmax.observability import _kernels as obs_kernels
    from infmax.observability import _selectors

    G = im.graph.from_edges([0, 0, 1, 2, 3], [1, 2, 2, 3, 0], weights=0.1)
    w = np.array([1.0, 2.0, 0.5, 4.0])
    assert degree_scores(G.sources, G.indices, G.n, w).tolist() == [2.5, 0.5, 4.0, 1.0]
    assert degree_scores(G.sources, G.indices, G.n).tolist() == [2.0, 1.0, 1.0, 1.0]
    assert top_k(np.array([1.0, 3.0, 3.0, 2.0]), np.array([0, 2, 3]), 5).tolist() == [2, 3, 0]
    # one home: observability's degree selector ranks with these, no scoring kernel of its own
    assert _selectors.degree_scores is degree_scores and _selectors.top_k is top_k
    assert not hasattr(obs_kernels, "out_scores")
