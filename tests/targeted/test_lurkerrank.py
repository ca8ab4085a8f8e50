"""LurkerRank: a hand computation on a 5-node graph, the fixed point, the derived LT weights."""

from __future__ import annotations

from fractions import Fraction as Fr

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import InvalidParameterError

# 0 -> 1, 0 -> 2, 1 -> 2, 2 -> 3, 3 -> 1, 4 -> 3 (nodes 0 and 4 have no in-arcs)
SRC = [0, 0, 1, 2, 3, 4]
DST = [1, 2, 2, 3, 1, 3]


@pytest.fixture(scope="module")
def G():
    return im.from_edges(SRC, DST, weights=0.5)


def test_one_iteration_by_hand(G):
    # out = 1 + outdeg = (3, 2, 2, 2, 2), in = 1 + indeg = (1, 3, 3, 3, 1),
    # out/in = (3, 2/3, 2/3, 2/3, 2); from r = 1/5, d = 0.85:
    # r(0) = r(4) = 0.15 / 5 = 3/100 (no in-arcs)
    # r(1) = 0.85 / 2 * (3/5 + 2/15) + 3/100 = 41/120  (from 0 and 3)
    # r(2) = 0.85 / 2 * (3/5 + 2/15) + 3/100 = 41/120  (from 0 and 1)
    # r(3) = 0.85 / 2 * (2/15 + 2/5) + 3/100 = 77/300  (from 2 and 4); the sum is 1.
    lr = im.lurkerrank(G, max_iter=1)
    want = [Fr(3, 100), Fr(41, 120), Fr(41, 120), Fr(77, 300), Fr(3, 100)]
    assert sum(want) == 1
    ids = G.node_ids(range(5))
    np.testing.assert_allclose(lr.scores[ids], [float(x) for x in want], rtol=1e-12)
    assert lr.iterations == 1 and not lr.converged
    # c(u) = out(u)/in(u) r(u) = (9/100, 41/180, 41/180, 77/450, 6/100);
    # w'(u, v) = c(u) / sum of c over v's in-neighbours
    c = [Fr(9, 100), Fr(41, 180), Fr(41, 180), Fr(77, 450), Fr(6, 100)]
    hand = {(0, 1): c[0] / (c[0] + c[3]), (3, 1): c[3] / (c[0] + c[3]),
            (0, 2): c[0] / (c[0] + c[1]), (1, 2): c[1] / (c[0] + c[1]),
            (2, 3): c[2] / (c[2] + c[4]), (4, 3): c[4] / (c[2] + c[4])}
    tails = np.repeat(np.arange(G.n), np.diff(G.indptr))
    labels = G.node_labels(range(G.n))
    got = {(labels[u], labels[v]): w for u, v, w in zip(tails, G.indices, lr.edge_weights)}
    assert got.keys() == hand.keys()
    for arc, w in hand.items():
        assert got[arc] == pytest.approx(float(w), rel=1e-12)


def _reference(src, dst, n, d=0.85, iters=150, tol=1e-8):
    """The formula, node by node in plain Python."""
    out = [1 + src.count(u) for u in range(n)]
    inn = [1 + dst.count(v) for v in range(n)]
    r = [1.0 / n] * n
    for _ in range(iters):
        new = [d / out[v] * sum(out[u] / inn[u] * r[u] for u, w in zip(src, dst) if w == v)
               + (1 - d) / n for v in range(n)]
        done = max(abs(a - b) for a, b in zip(new, r)) <= tol
        r = new
        if done:
            break
    s = sum(r)
    return [x / s for x in r]


def test_fixed_point_matches_the_formula(G):
    lr = im.lurkerrank(G)
    assert lr.converged and lr.iterations < 150
    ids = G.node_ids(range(5))
    np.testing.assert_allclose(lr.scores[ids], _reference(SRC, DST, 5), rtol=1e-12)
    assert lr.scores.sum() == pytest.approx(1.0)
    # the most-followed consumers score highest, the pure producers lowest
    assert lr.scaled.max() == 1.0
    assert set(np.argsort(lr.scores)[:2].tolist()) == set(G.node_ids([0, 4]).tolist())


def test_lt_weights_sum_to_one_per_node(G):
    lr = im.lurkerrank(G)
    in_sum = np.bincount(G.indices, weights=lr.edge_weights, minlength=G.n)
    has_in = np.bincount(G.indices, minlength=G.n) > 0
    np.testing.assert_allclose(in_sum[has_in], 1.0)
    assert lr.graph.weighting == "lurkerrank"
    np.testing.assert_allclose(lr.graph.probs, lr.edge_weights)
    im.spread(lr.graph, [G.node_labels([0])[0]], model="lt", n_simulations=10, rng=0)


def test_weighted_uses_arc_probabilities():
    a = im.from_edges(SRC, DST, weights=0.5)
    b = im.from_edges(SRC, DST, weights=1.0)
    ra = im.lurkerrank(a, weighted=True).scores
    rb = im.lurkerrank(b, weighted=True).scores
    assert not np.allclose(ra, rb)
    np.testing.assert_allclose(im.lurkerrank(a).scores, im.lurkerrank(b).scores)  # w = 1


@pytest.mark.parametrize("kw, param", [({"damping": 1.5}, "damping"),
                                       ({"max_iter": 0}, "max_iter"),
                                       ({"tol": 0.0}, "tol")])
def test_bad_parameters(G, kw, param):
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter"):
        im.lurkerrank(G, **kw)
