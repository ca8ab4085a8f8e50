"""Baselines over cascades against hand computations on a tiny cascade set written here.

The set (labels are strings; ``c`` starts only a single-user cascade, so it is no candidate):

    c0: a@0 x@1 y@2      c1: a@3 x@4      c2: b@5 x@6 y@7 z@8
    c3: c@9              c4: b@10 y@11    c5: d@12 z@13

By hand: mean cascade size a 2.5, b 3, d 2; cascades started a 2, b 2, d 1 (c 1, but c is no
candidate). Derived graph (initiator -> participant): a->x, a->y, b->x, b->y, b->z, d->z;
undirected shells: a, b, x, y in the 2-core (the cycle a-x-b-y), d and z in the 1-shell.
"""

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from scipy import stats

import infmax as im
from infmax._kernels._threads import threads
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError
from infmax.graph.cascades import Cascades
from infmax.learned import (
    avg_cascade_size,
    databased_weights,
    derived_graph,
    imm_db,
    imm_wc,
    kcores,
    most_cascades,
    random_initiators,
)

USERS = [["a", "x", "y"], ["a", "x"], ["b", "x", "y", "z"], ["c"], ["b", "y"], ["d", "z"]]
TIMES = [[0, 1, 2], [3, 4], [5, 6, 7, 8], [9], [10, 11], [12, 13]]
NAMES = ["kcores", "avg-cascade-size", "most-cascades", "random-initiators", "imm-wc", "imm-db"]


@pytest.fixture(scope="module")
def C():
    return Cascades.from_lists(USERS, TIMES)


def social():
    """Social graph on the cascade users minus d, plus an isolated node q.

    Arcs: a->x, x->y, a->y, y->x, b->z, z->b, x->z, c->a.
    """
    src = ["a", "x", "a", "y", "b", "z", "x", "c"]
    dst = ["x", "y", "y", "x", "z", "b", "z", "a"]
    return im.graph.from_edges(src, dst, nodes=["q"])


def arcs(W):
    """{(u label, v label): p} of a DiGraph."""
    lab = W.node_labels
    return {(lab([u])[0], lab([v])[0]): p
            for u, v, p in zip(W.sources.tolist(), W.indices.tolist(), W.probs.tolist())}


# -- rankings by hand -------------------------------------------------------------------------
def test_avg_cascade_size_by_hand(C):
    res = avg_cascade_size(C, 3)
    assert res.seeds == ("b", "a", "d")
    assert res.record["scores"] == [3.0, 2.5, 2.0]
    assert res.record["cascades_started"] == [2, 2, 1]


def test_most_cascades_by_hand(C):
    res = most_cascades(C, 3)
    assert res.seeds == ("a", "b", "d")          # a and b tie at 2: the lower id first
    assert res.record["scores"] == [2, 2, 1]


def test_only_initiators_of_trainable_cascades_are_candidates(C):
    # c started a cascade but only a single-user one: 3 candidates, k = 4 is too many
    for fn in (avg_cascade_size, most_cascades, kcores, random_initiators, imm_db):
        with pytest.raises(InvalidParameterError, match="'k' parameter.*3"):
            fn(C, 4)


def test_derived_graph_by_hand(C):
    G = derived_graph(C)
    assert G.n == C.n_ids == 7
    assert set(arcs(G)) == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("b", "z"),
                            ("d", "z")}


def test_kcores_on_derived_graph_by_hand(C):
    res = kcores(C, 3)
    assert res.record["graph"] == "derived"
    # a and b both in the 2-core; b has the larger out-degree (3 vs 2); then d (1-shell)
    assert res.seeds == ("b", "a", "d")
    assert res.record["scores"] == [2, 2, 1] and res.record["degree"] == [3, 2, 1]
    # the shells agree with networkx on the undirected derived graph
    nxg = nx.Graph([(u, v) for u, v in arcs(derived_graph(C))])
    assert [nx.core_number(nxg)[s] for s in res.seeds] == res.record["scores"]


def test_kcores_on_social_graph(C):
    G = social()
    res = kcores(C, 3, graph=G)
    assert res.record["graph"] == "social"
    # undirected social graph: a-x, x-y, a-y, b-z, x-z, c-a -> a, x, y form the 2-core
    nxg = nx.Graph([(u, v) for u, v in arcs(G)])
    core = nx.core_number(nxg)
    assert (core["a"], core["b"]) == (2, 1)
    # d is not in the social graph: shell 0, last
    assert res.seeds == ("a", "b", "d")
    assert res.record["scores"] == [2, 1, 0]
    # the same through cascades that share ids with the graph; ids are those of the input
    CG = C.with_graph(G)
    res2 = kcores(CG, 3)
    assert res2.seeds == res.seeds and res2.record["graph"] == "social"
    assert res2.seed_ids.tolist() == CG.node_ids(list(res.seeds)).tolist()
    assert res.seed_ids.tolist() == C.node_ids(list(res.seeds)).tolist()


# -- DATA-BASED weights -----------------------------------------------------------------------
def test_databased_weights_derived_by_hand(C):
    # A_{u->v}: cascades of u in which v took part; A_u: cascades u took part in (a: 2,
    # b: 2, d: 1). p = A_{u->v} / A_u, then out-weights normalised to 1.
    A = {("a", "x"): 2, ("a", "y"): 1, ("b", "x"): 1, ("b", "y"): 2, ("b", "z"): 1,
         ("d", "z"): 1}
    act = {"a": 2, "b": 2, "d": 1}
    raw = {e: A[e] / act[e[0]] for e in A}
    out = {u: sum(p for (s, _), p in raw.items() if s == u) for u in act}
    want = {e: raw[e] / out[e[0]] for e in raw}
    W = databased_weights(C)
    assert W.weighting == "databased" and W.n == C.n_ids
    got = arcs(W)
    assert got.keys() == want.keys()
    for e, p in want.items():
        assert got[e] == pytest.approx(p, rel=1e-12), e
    assert got[("a", "x")] == pytest.approx(2 / 3) and got[("b", "y")] == pytest.approx(0.5)


def test_databased_weights_social_by_hand(C):
    # v copied u: arc u->v of the social graph and u adopted before v in a cascade.
    # c0 (a x y): a->x, x->y, a->y; y->x no (y after x).  c1 (a x): a->x.
    # c2 (b x y z): x->y, b->z, x->z; y->x, z->b no.  c4 (b y), c5 (d z): no social arc.
    # Counts a->x 2, a->y 1, x->y 2, b->z 1, x->z 1; y->x, z->b, c->a have none (dropped).
    W = databased_weights(C, social())
    got = arcs(W)
    want = {("a", "x"): 2 / 3, ("a", "y"): 1 / 3, ("x", "y"): 2 / 3, ("x", "z"): 1 / 3,
            ("b", "z"): 1.0}
    assert got.keys() == want.keys()
    for e, p in want.items():
        assert got[e] == pytest.approx(p, rel=1e-12), e
    # the social graph's nodes, ids and labels (q included); d, absent from it, is no node
    G = social()
    assert W.n == G.n == 7 and W.node_labels(range(7)) == G.node_labels(range(7))
    assert not W.has_node("d")


def test_graphs_with_unsorted_integer_labels_look_labels_up():
    """Cascades sharing ids with a graph: integer labels are no longer ascending (absent
    users come after the graph's nodes); the graphs built on them still find every label."""
    C = Cascades.from_lists([[1, 2, 9], [9, 3], [2, 4]], [[0, 1, 2], [3, 4], [5, 6]])
    CG = C.with_graph(im.graph.from_edges([5, 9, 2], [9, 2, 4]))    # 1 and 3 absent
    for W in (derived_graph(CG), databased_weights(CG)):
        for lab in W.node_labels(range(W.n)):
            assert W.node_labels(W.node_ids([lab]))[0] == lab


def test_databased_weights_ties_in_time_follow_adoption_order():
    # x and y adopt at the same time; x is listed first, so only x->y counts
    C = Cascades.from_lists([["a", "x", "y"]], [[0, 1, 1]])
    G = im.graph.from_edges(["x", "y"], ["y", "x"], nodes=["a"])
    assert set(arcs(databased_weights(C, G))) == {("x", "y")}


def test_databased_weights_out_weights_sum_to_one():
    rng = np.random.default_rng(4)
    users = [list(rng.choice(40, int(rng.integers(2, 9)), replace=False)) for _ in range(300)]
    times = [list(range(len(u))) for u in users]
    C = Cascades.from_lists(users, times)
    G = im.datasets.erdos_renyi(40, 0.2, directed=True, rng=5)
    for W in (databased_weights(C), databased_weights(C, G)):
        out = np.bincount(W.sources, weights=W.probs, minlength=W.n)
        has = W.out_degree > 0
        np.testing.assert_allclose(out[has], 1.0, rtol=1e-12)
        assert (W.probs > 0).all() and (W.probs <= 1).all()


def test_databased_weights_social_slow_twin():
    """Counts along social arcs against a plain loop over every ordered pair of a cascade."""
    rng = np.random.default_rng(8)
    users = [list(rng.choice(30, int(rng.integers(1, 10)), replace=False)) for _ in range(200)]
    times = [sorted(rng.uniform(0, 5, len(u)).tolist()) for u in users]
    C = Cascades.from_lists(users, times)
    G = im.datasets.erdos_renyi(30, 0.15, directed=True, rng=9)
    arcset = {(int(u), int(v)) for u, v in zip(G.node_labels(G.sources),
                                                G.node_labels(G.indices))}
    count: dict = {}
    for u_list in users:
        for i, j in itertools.combinations(range(len(u_list)), 2):
            e = (int(u_list[i]), int(u_list[j]))
            if e in arcset:
                count[e] = count.get(e, 0) + 1
    out: dict = {}
    for (u, _), c in count.items():
        out[u] = out.get(u, 0) + c
    want = {e: c / out[e[0]] for e, c in count.items()}
    got = arcs(databased_weights(C, G))
    assert got.keys() == want.keys()
    for e, p in want.items():
        assert got[e] == pytest.approx(p, rel=1e-12)


def test_databased_weights_errors(C):
    with pytest.raises(InvalidParameterError, match="'cascades' parameter"):
        databased_weights([["a", "b"]])
    with pytest.raises(InvalidParameterError, match="'graph' parameter"):
        databased_weights(C, nx.DiGraph())


# -- random initiators ------------------------------------------------------------------------
def test_random_initiators_uniform_over_candidates(C):
    # first seed over 1,200 rngs: uniform over a, b, d (chi-square, fixed seeds)
    counts = {"a": 0, "b": 0, "d": 0}
    for r in range(1200):
        counts[random_initiators(C, 1, rng=r).seeds[0]] += 1
    assert stats.chisquare(list(counts.values())).pvalue > 1e-3
    res = random_initiators(C, 3, rng=1)
    assert sorted(res.seeds) == ["a", "b", "d"]
    assert random_initiators(C, 2, rng=7).seeds == random_initiators(C, 2, rng=7).seeds


# -- IMM on WC and DATA-BASED weights ---------------------------------------------------------
def brute_force_best(W, pool, k):
    """Best k-subset of ``pool`` (labels) by exact expected IC spread on ``W``; a label that
    is not a node of ``W`` (a user absent from the social graph) counts itself only."""
    def value(S):
        inside = [s for s in S if W.has_node(s)]
        return (im.exact_spread(W, inside) if inside else 0.0) + len(S) - len(inside)

    best = max(itertools.combinations(pool, k), key=value)
    return set(best), value(best)


def test_imm_wc_matches_brute_force(C):
    G = social()
    res = imm_wc(C, 1, graph=G, rng=3)
    W = im.graph.from_edges(*zip(*arcs(G)), nodes=["q", "d"], weights="wc")
    best, val = brute_force_best(W, ["a", "b", "d"], 1)
    assert set(res.seeds) == best                                # a: 1 + 1/2 + 1/2 + ...
    assert res.record["graph"] == "social" and "weights" in res.timings
    assert res.spread == pytest.approx(val, rel=0.25)


def test_imm_db_matches_brute_force_on_learned_weights():
    # two-hop structures: u0 reaches u1 and u2 reaches u3, who start cascades of their own.
    # Exact spreads: u0 8/3, u2 5/2, u1 = u3 = 2; best pair {u0, u2} (31/6, next 14/3)
    users = [["u0", "u1", "l1"], ["u0", "u1"], ["u1", "l2", "l3"], ["u1", "l4"],
             ["u2", "l5"], ["u2", "u3"], ["u3", "l6"]]
    C = Cascades.from_lists(users, [list(range(len(u))) for u in users])
    W = databased_weights(C)
    pool = ["u0", "u1", "u2", "u3"]
    for k in (1, 2):
        res = imm_db(C, k, rng=2)
        best, val = brute_force_best(W, pool, k)
        assert set(res.seeds) == best
        assert res.spread == pytest.approx(val, rel=0.25)
        assert res.record["graph"] == "derived"


def test_imm_db_on_social_graph(C):
    G = social()
    res = imm_db(C, 2, graph=G, rng=1)
    W = databased_weights(C, G)
    best, _ = brute_force_best(W, ["a", "b", "d"], 2)
    assert set(res.seeds) == best and res.record["graph"] == "social"
    assert res.record["arcs"] == 5


def test_imm_wc_needs_a_graph(C):
    with pytest.raises(InvalidParameterError, match="'graph' parameter of imm_wc.*Got None"):
        imm_wc(C, 1)
    with pytest.raises(InvalidParameterError, match="'graph' parameter"):
        imm_wc(C, 1, graph=nx.DiGraph())
    with pytest.raises(InvalidParameterError, match="'epsilon' parameter"):
        imm_wc(C, 1, graph=social(), epsilon=0)


def test_explicit_graph_keeps_the_input_ids():
    """A graph whose ids differ from the cascades': seeds come back in the cascades' ids."""
    C = Cascades.from_lists([["5", "7"], ["9", "7", "5"], ["3", "1"]], [[0, 1], [2, 3, 4], [5, 6]])
    G = im.graph.from_edges([9, 9, 7, 3], [7, 5, 5, 1])       # int labels, other id order
    for fn in (kcores, imm_wc, imm_db):
        res = fn(C, 3, graph=G, rng=1) if fn is not kcores else fn(C, 3, graph=G)
        assert list(res.seeds) == C.node_labels(res.seed_ids)
        assert sorted(res.seeds) == ["3", "5", "9"]


# -- registry, contract with a social graph (the conformance suite runs without one) ----------
def test_registered_by_the_experiment_names():
    for name in NAMES:
        info = registry.get(name, input="cascades")
        assert info.name == name and info.input == "cascades"
    assert registry.get("imm-db", input="cascades").accepts("graph")


def social_case(seed=7):
    """Cascades sharing ids with a random social graph over their users (string labels)."""
    rng = np.random.default_rng(seed)
    users, times = [], []
    for c in range(40):
        u = int(rng.integers(0, 8))
        part = rng.choice(np.arange(8, 30), int(rng.integers(1, 6)), replace=False)
        users.append([f"v{u}"] + [f"v{int(v)}" for v in part])
        times.append((c + np.sort(rng.exponential(2.0, part.size + 1))).tolist())
    src, dst = rng.integers(0, 26, 120), rng.integers(0, 26, 120)   # v26..v29 not in graph
    G = im.graph.from_edges([f"v{i}" for i in src], [f"v{i}" for i in dst])
    return Cascades.from_lists(users, times).with_graph(G)


@pytest.mark.parametrize("name", NAMES)
def test_contract_with_social_graph(name):
    CS = social_case()
    info = registry.get(name, input="cascades")
    pool = np.unique(CS.initiators[CS.trainable])
    for k in (3, pool.size):
        out = []
        for t in (1, 2):
            with threads(t):
                out.append(info.func(CS, k, rng=5, **info.test_kwargs))
        res = out[0]
        assert out[1].seeds == res.seeds
        assert res.seed_ids.dtype == np.int32 and len(set(res.seeds)) == k
        assert list(res.seeds) == CS.node_labels(res.seed_ids)
        assert set(res.seed_ids.tolist()) <= set(pool.tolist())
        assert "total" in res.timings and res.params["k"] == k
        if res.spread is not None:
            assert math.isfinite(res.spread) and 0 < res.spread <= CS.n_ids
