"""IMM-INF2VEC, SIMPATH-DB and SIMPATH-INF2VEC: SIMPATH-DB against greedy over the exact LT
spread on weights computed by hand, IMM-INF2VEC against random initiators under a known IC
model, phases, determinism and bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import infmax as im
from conftest import ic_ground_truth, random_initiators_margin
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError
from infmax.graph.cascades import Cascades
from infmax.learned import (
    imm_inf2vec,
    simpath_db,
    simpath_inf2vec,
)

# c0: a x y   c1: a x   c2: b x y z   c3: c   c4: b y   c5: d z   (as in test_baselines.py)
USERS = [["a", "x", "y"], ["a", "x"], ["b", "x", "y", "z"], ["c"], ["b", "y"], ["d", "z"]]
TIMES = [[0, 1, 2], [3, 4], [5, 6, 7, 8], [9], [10, 11], [12, 13]]


@pytest.fixture(scope="module")
def C():
    return Cascades.from_lists(USERS, TIMES)


def hand_lt_graph():
    """DATA-BASED weights by hand, then in-weights divided by max(1, their sum).

    Copies (initiator -> participant): a->x 2, a->y 1; b->x 1, b->y 2, b->z 1; d->z 1.
    Out-normalised: a: x 2/3, y 1/3; b: x 1/4, y 1/2, z 1/4; d: z 1. In-sums: x 11/12,
    y 5/6, z 5/4 -> z's in-weights / 1.25: b->z 0.2, d->z 0.8.
    """
    arcs = {("a", "x"): 2 / 3, ("a", "y"): 1 / 3, ("b", "x"): 1 / 4, ("b", "y"): 1 / 2,
            ("b", "z"): 0.2, ("d", "z"): 0.8}
    src, dst = zip(*arcs)
    return im.graph.from_edges(list(src), list(dst), list(arcs.values()), weights="file",
                               nodes=["c"])


def test_simpath_db_matches_greedy_over_exact_lt_spread(C):
    H = hand_lt_graph()
    greedy, chosen = [], []
    for _ in range(3):
        gains = {u: im.exact_spread(H, chosen + [u], model="lt") for u in "abd"
                 if u not in chosen}
        best = max(sorted(gains), key=lambda u: gains[u])
        greedy.append(gains[best])
        chosen.append(best)
    res = simpath_db(C, 3, eta=0.0)
    assert list(res.seeds) == chosen == ["a", "b", "d"]
    assert res.spread == pytest.approx(greedy[-1]) == pytest.approx(5.75)
    assert res.record["marginal_gains"] == pytest.approx([2.0, 1.95, 1.8])
    assert res.record["graph"] == "derived" and res.record["arcs"] == 6
    assert {"weights", "selection", "total"} <= set(res.timings)
    assert res.params["eta"] == 0.0


def test_simpath_db_default_eta_and_brute_force(C):
    """Default eta 0.01 (IMINFECTOR's setting); on this DAG with weights >= 0.2 nothing is
    pruned, so the best pair by exhaustive search over exact LT spreads is found."""
    H = hand_lt_graph()
    res = simpath_db(C, 2)
    assert res.params["eta"] == 0.01
    best = max(itertools.combinations("abd", 2),
               key=lambda s: im.exact_spread(H, list(s), model="lt"))
    assert set(res.seeds) == set(best)


def test_simpath_db_on_a_social_graph():
    """Social arcs: u -> v weighs when u adopted before v; here a->b (2 copies), b->c (2),
    a->c (1): out-normalised a: b 2/3, c 1/3; b: c 1; c's in-sum 4/3 -> a->c 1/4, b->c 3/4."""
    G = im.graph.from_edges(["a", "b", "a", "c"], ["b", "c", "c", "a"])
    C = Cascades.from_lists([["a", "b", "c"], ["a", "b"], ["b", "c"]], [[0, 1, 2], [3, 4],
                                                                       [5, 6]], graph=G)
    res = simpath_db(C, 1, eta=0.0)
    H = im.graph.from_edges(["a", "b", "a"], ["b", "c", "c"], [2 / 3, 3 / 4, 1 / 4],
                            weights="file")
    assert res.record["graph"] == "social"
    assert res.spread == pytest.approx(max(im.exact_spread(H, [u], model="lt") for u in "ab"))
    assert list(res.seeds) == ["a"]


@pytest.fixture(scope="module")
def truth():
    return ic_ground_truth()


def test_imm_inf2vec_beats_random_initiators_under_the_true_model(truth):
    """As the IMINFECTOR ground-truth test: margin 4 standard errors of the difference (the
    seeds' MC error and, for random initiators, the spread of 12 draws each scored by MC).
    Measured: 37.4 against 20.3."""
    G, train = truth
    k = 5
    res = imm_inf2vec(train, k, epochs=3, embedding_dim=16, rng=1)
    assert {"context", "training", "weights", "selection"} <= set(res.timings)
    assert res.record["propagation"] == "social" and len(res.record["losses"]) == 3
    est = im.spread(G, list(res.seeds), n_simulations=2000, rng=7)
    rand, margin = random_initiators_margin(G, train, k, est)
    assert est.mean - rand > margin, (est, rand, margin)
    pool = set(np.unique(train.initiators[train.trainable]).tolist())
    assert set(res.seed_ids.tolist()) <= pool and len(set(res.seeds)) == k


def test_simpath_inf2vec_matches_greedy_over_exact_lt_spread_of_its_weights(C):
    """The same fit (same rng) outside the selector, made LT-valid by hand (in-weights /
    max(1, sum)); SIMPATH with eta = 0 picks what greedy over the exact LT spread picks."""
    from infmax.learned import Inf2vecModel

    a = simpath_inf2vec(C, 2, eta=0.0, epochs=2, embedding_dim=4, rng=5)
    b = simpath_inf2vec(C, 2, eta=0.0, epochs=2, embedding_dim=4, rng=5)
    assert a.seeds == b.seeds and a.spread == b.spread
    assert a.record["propagation"] == "adoption order" and a.record["graph"] == "derived"
    W = Inf2vecModel(4, epochs=2).fit(C, rng=5).edge_weights()
    lab = W.node_labels
    insum = np.bincount(W.indices, W.probs.astype(np.float64), minlength=W.n)
    p = W.probs / np.maximum(insum[W.indices], 1.0)
    H = im.graph.from_edges(lab(W.sources), lab(W.indices), p, weights="file")
    chosen = []
    for _ in range(2):
        chosen.append(max(sorted(set("abd") - set(chosen)),
                          key=lambda u: im.exact_spread(H, chosen + [u], model="lt")))
    assert list(a.seeds) == chosen
    assert a.spread == pytest.approx(im.exact_spread(H, chosen, model="lt"), rel=1e-5)


def test_imm_inf2vec_deterministic_and_graph_option(C):
    a = imm_inf2vec(C, 2, epochs=1, embedding_dim=4, epsilon=0.5, rng=3)
    b = imm_inf2vec(C, 2, epochs=1, embedding_dim=4, epsilon=0.5, rng=3)
    assert a.seeds == b.seeds and a.spread == b.spread
    G = im.graph.from_edges(["a", "b", "x"], ["x", "y", "y"])
    r = imm_inf2vec(C, 1, graph=G, epochs=1, embedding_dim=4, epsilon=0.5, rng=3)
    assert r.record["graph"] == "social" and r.record["arcs"] == 3


@pytest.mark.parametrize(("fn", "kw", "name"), [
    (imm_inf2vec, {"epsilon": 1.5}, "epsilon"),
    (imm_inf2vec, {"normalize": "sum"}, "normalize"),
    (imm_inf2vec, {"epochs": -1}, "epochs"),
    (simpath_db, {"eta": 1.0}, "eta"),
    (simpath_db, {"eta": float("nan")}, "eta"),
    (simpath_inf2vec, {"eta": -0.1}, "eta"),
    (simpath_db, {"lookahead": 0}, "lookahead"),
    (simpath_db, {"rng": "x"}, "rng"),
])
def test_bad_input(C, fn, kw, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}'"):
        fn(C, 1, **kw)


def test_bad_k_and_cascades(C):
    for fn in (imm_inf2vec, simpath_db, simpath_inf2vec):
        with pytest.raises(InvalidParameterError, match="'k'.*4"):
            fn(C, 4)
        with pytest.raises(InvalidParameterError, match="'cascades'"):
            fn([["a", "b"]], 1)


def test_registered_by_the_experiment_names():
    for name in ("imm-inf2vec", "simpath-db", "simpath-inf2vec"):
        info = registry.get(name, input="cascades")
        assert info.func is getattr(im.learned, name.replace("-", "_"))
