"""synthetic_cascades: the IC ground truth (exact spread, delays, activity), and the
ground-truth property of IMINFECTOR against random initiators by Monte Carlo."""

import math

import networkx as nx
import numpy as np
import pytest
from scipy import stats

import infmax as im
from conftest import ic_ground_truth, random_initiators_margin
from infmax.exceptions import InvalidParameterError, UnknownNodeError
from infmax.learned import (
    avg_cascade_size,
    iminfector,
    imm_db,
    imm_wc,
    kcores,
    most_cascades,
    synthetic_cascades,
)


def small_graph():
    """7 nodes, IC probabilities 0.3-0.9, a cycle and two routes to node 5."""
    src = [0, 0, 1, 2, 3, 2, 4, 5, 1]
    dst = [1, 2, 3, 3, 4, 4, 5, 0, 6]
    p = [0.6, 0.5, 0.7, 0.4, 0.9, 0.3, 0.8, 0.5, 0.35]
    return im.graph.from_edges(src, dst, p, weights="file")


def test_deterministic_for_a_fixed_rng():
    G = small_graph()
    a = synthetic_cascades(G, 50, initiators=3, rng=4)
    b = synthetic_cascades(G, 50, initiators=3, rng=4)
    c = synthetic_cascades(G, 50, initiators=3, rng=5)
    for x in ("offsets", "users", "times"):
        np.testing.assert_array_equal(getattr(a, x), getattr(b, x))
    assert not np.array_equal(a.times, c.times)


def test_structure():
    G = small_graph()
    C = synthetic_cascades(G, 300, initiators=[0, 2, 4], period=50.0, rng=1)
    assert len(C) == 300 and C.graph is G and C.n_ids == G.n and C.source == "synthetic IC"
    assert set(C.node_labels(C.initiators)) <= {0, 2, 4}
    st = C.start_times
    assert (np.diff(st) >= 0).all() and st.min() >= 0 and st.max() < 50.0
    nxg = im.graph.to_networkx(G)
    for c in C:
        assert c.times[0] == c.start_time and (np.diff(c.times) > 0).all()
        assert len(set(c.users.tolist())) == c.users.size
        reach = nx.descendants(nxg, c.initiator) | {c.initiator}
        assert set(c.users.tolist()) <= reach
    train, test = im.split_by_time(C)
    assert train.start_times.max() <= test.start_times.min()


def test_adoption_frequencies_match_the_exact_ic_model():
    """Each node's adoption frequency from one initiator against exact_spread (IC worlds)."""
    G = small_graph()
    n = 4000
    C = synthetic_cascades(G, n, initiators=[0], rng=11)
    hits = np.bincount(C.users, minlength=G.n)
    for v in range(G.n):
        w = np.zeros(G.n)
        w[v] = 1.0
        p = im.exact_spread(G, [0], node_weights=w)
        se = math.sqrt(max(p * (1 - p), 1e-12) / n)
        assert abs(hits[v] / n - p) < 4.5 * se + 1e-12, v
    sizes = C.sizes
    exact = im.exact_spread(G, [0])
    assert abs(sizes.mean() - exact) < 4.5 * sizes.std(ddof=1) / math.sqrt(n)


def test_delays_exponential_along_live_arcs_shortest_path():
    # path a -> b (p = 1): t_b - t_a ~ Exp(mean 2); diamond a -> {b, c} -> d: t_d - t_a is the
    # minimum of two sums of two Exp(2): E = 2 * 1.25 (survival (1 + t)^2 e^{-2t} for mean 1)
    G = im.graph.from_edges(["a", "a", "b", "c"], ["b", "c", "d", "d"], weights=1.0)
    n = 3000
    C = synthetic_cascades(G, n, initiators=["a"], mean_delay=2.0, rng=3)
    assert (C.sizes == 4).all()
    t = {lab: np.empty(n) for lab in "abcd"}
    for i, c in enumerate(C):
        for u, x in zip(C.node_labels(c.users), c.times.tolist()):
            t[u][i] = x - c.start_time
    ab = t["b"]
    assert stats.kstest(ab, stats.expon(scale=2.0).cdf).pvalue > 1e-3
    d = t["d"]
    assert abs(d.mean() - 2.5) < 4.5 * d.std(ddof=1) / math.sqrt(n)
    assert (d > np.minimum(t["b"], t["c"])).all()         # d adopts after one of its parents


@pytest.mark.parametrize("activity", ["zipf", "degree"])
def test_activity_skew(activity):
    # pool 0, 1, 4: out-degrees 2, 2, 1 in small_graph
    G = small_graph()
    pool = [0, 1, 4]
    n = 3000
    C = synthetic_cascades(G, n, initiators=pool, activity=activity, skew=1.0, rng=8)
    counts = np.array([np.sum(C.initiators == G.node_ids([u])[0]) for u in pool])
    if activity == "degree":
        w = G.out_degree[G.node_ids(pool)].astype(float)           # 2, 2, 1
        assert stats.chisquare(counts, w / w.sum() * n).pvalue > 1e-3
    else:                                                            # 1, 1/2, 1/3, random order
        w = 1.0 / np.arange(1, 4)
        order = np.argsort(-counts)
        assert stats.chisquare(counts[order], w / w.sum() * n).pvalue > 1e-3


def test_bad_input():
    G = small_graph()
    with pytest.raises(InvalidParameterError, match="'n_cascades' parameter"):
        synthetic_cascades(G, 0)
    with pytest.raises(InvalidParameterError, match="'initiators' parameter"):
        synthetic_cascades(G, 5, initiators=8)               # 7 nodes have out-arcs at most
    with pytest.raises(UnknownNodeError, match="'initiators' parameter"):
        synthetic_cascades(G, 5, initiators=[0, 99])
    with pytest.raises(InvalidParameterError, match="'activity' parameter"):
        synthetic_cascades(G, 5, activity="pareto")
    with pytest.raises(InvalidParameterError, match="'mean_delay' parameter.*Got 0"):
        synthetic_cascades(G, 5, mean_delay=0)
    with pytest.raises(InvalidParameterError, match="'period' parameter.*Got nan"):
        synthetic_cascades(G, 5, period=float("nan"))
    with pytest.raises(InvalidParameterError, match="'G' parameter"):
        synthetic_cascades("graph.txt", 5)


# -- the ground-truth property ----------------------------------------------------------------
def test_iminfector_beats_random_initiators_under_the_true_model():
    """Train on the first 80 % of cascades from a known IC model; score by Monte Carlo.

    Activity follows out-degree (``activity="degree"``). The margin is 4 standard errors of
    the difference: IMINFECTOR's MC error and, for random initiators, the spread of 12 draws
    (each scored by MC), which carries both the draw and the MC error.
    """
    G, train = ic_ground_truth()
    k = 5
    res = iminfector(train, k, epochs=2, embedding_dim=16, percent=40, rng=1, progress=False)
    imi = im.spread(G, list(res.seeds), n_simulations=2000, rng=7)
    rand, margin = random_initiators_margin(G, train, k, imi)
    assert imi.mean - rand > margin, (imi, rand, margin)
    # every baseline returns k valid seeds on the same data (social graph: C shares G's ids)
    pool = set(np.unique(train.initiators[train.trainable]).tolist())
    for fn in (kcores, avg_cascade_size, most_cascades, imm_wc, imm_db):
        r = fn(train, k, rng=2) if fn in (imm_wc, imm_db) else fn(train, k)
        assert len(set(r.seeds)) == k and set(r.seed_ids.tolist()) <= pool
        assert list(r.seeds) == train.node_labels(r.seed_ids)
