"""Targets and capital: thresholds, validation, Monte Carlo and RIS against exact enumeration."""

import math

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import InvalidParameterError
from infmax.targeted import Targets

# 8 nodes, 11 arcs: few enough live-edge worlds for exact_spread (2^11 under IC)
SRC = [0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 2]
DST = [1, 2, 3, 4, 5, 6, 6, 7, 7, 7, 0]
PROBS = [0.6, 0.3, 0.5, 0.4, 0.7, 0.35, 0.5, 0.45, 0.3, 0.8, 0.25]
SCORES = np.array([0.1, 0.0, 0.5, 2.0, 0.0, 1.5, 3.0, 1.0])


@pytest.fixture
def G():
    return im.from_edges(SRC, DST, weights=PROBS)


def test_tau_and_top_thresholds():
    T = Targets.from_scores(SCORES, tau=1.0)
    assert T.ids.tolist() == [3, 5, 6, 7]
    assert T.L == pytest.approx(7.5)
    assert T.weights.tolist() == [0, 0, 0, 2.0, 0, 1.5, 3.0, 1.0]
    # top 25 % of 8 nodes = 2 nodes: tau = second largest score
    for top in (0.25, "25%", " 25 % ".replace(" ", "")):
        T = Targets.from_scores(SCORES, top=top)
        assert T.tau == 2.0 and T.ids.tolist() == [3, 6]
    # ties at the threshold are all targets
    T = Targets.from_scores([1.0, 1.0, 1.0, 0.0], top=0.25)
    assert T.ids.tolist() == [0, 1, 2]
    # no threshold: every node, zero-score nodes carry weight 0
    T = Targets.from_scores(SCORES)
    assert T.n_targets == 8 and T.L == pytest.approx(SCORES.sum())


def test_scores_as_mapping(G):
    T = Targets.from_scores({3: 2.0, 6: 3.0}, G=G, tau=0.5)
    assert T.ids.tolist() == [3, 6] and T.scores.shape == (8,)


@pytest.mark.parametrize("kwargs, param, shown", [
    ({"scores": [1.0, -0.5], "tau": 0.0}, "scores", "-0.5"),
    ({"scores": [1.0, float("nan")]}, "scores", "nan"),
    ({"scores": [1.0, 2.0], "tau": 1.0, "top": 0.5}, "tau", "1.0"),
    ({"scores": [1.0, 2.0], "top": 0.0}, "top", "0.0"),
    ({"scores": [1.0, 2.0], "top": "a lot"}, "top", "a lot"),
    ({"scores": [1.0, 2.0], "top": "150%"}, "top", "1.5"),
    ({"scores": [1.0, 2.0], "tau": float("inf")}, "tau", "inf"),
])
def test_bad_targets(kwargs, param, shown):
    with pytest.raises(InvalidParameterError) as e:
        Targets.from_scores(**kwargs)
    assert e.value.param == param and shown in str(e.value)
    assert "np.float64" not in str(e.value)


@pytest.mark.parametrize("model", ["ic", "lt"])
@pytest.mark.parametrize("seeds", [[0], [1, 4], [3, 6], [0, 2, 5]])
def test_capital_matches_exact_enumeration(G, model, seeds):
    if model == "lt":
        G = im.normalize_lt(G)
    T = Targets.from_scores(SCORES, top="50%")
    exact = im.exact_spread(G, seeds, model=model, node_weights=T.weights)
    mc = im.capital(G, seeds, SCORES, top="50%", model=model, n_simulations=40_000, rng=3)
    ris = im.capital(G, seeds, SCORES, top="50%", model=model, method="ris",
                     n_sets=40_000, rng=4)
    # 4.5 standard errors: a false alarm has probability < 1e-5 per comparison
    assert abs(mc.mean - exact) <= 4.5 * mc.stderr + 1e-12
    assert abs(ris.mean - exact) <= 4.5 * ris.stderr + 1e-12
    assert abs(ris.mean - mc.mean) <= 4.5 * math.hypot(ris.stderr, mc.stderr) + 1e-12
    assert ris.details["method"] == "ris" and mc.details["method"] == "mc"
    assert ris.details["n_targets"] == T.n_targets and ris.details["L"] == T.L


def test_seed_on_target_counts_its_full_score(G):
    # a seed that is a target is active with probability 1: its score counts once
    only = np.zeros(8)
    only[6] = 3.0
    ris = im.capital(G, [6], only, method="ris", n_sets=2000, rng=1)
    assert ris.mean == pytest.approx(3.0) and ris.stderr == 0.0
    mc = im.capital(G, [6, 6], only, n_simulations=500, rng=1)
    assert mc.mean == pytest.approx(3.0)


def test_covered_set_counts_once():
    # two seeds both reach the only target surely: capital = l(target), not twice
    H = im.from_edges([0, 1], [2, 2], weights=1.0)
    est = im.capital(H, [0, 1], [0.0, 0.0, 5.0], method="ris", n_sets=1000, rng=0)
    assert est.mean == pytest.approx(5.0)


def test_empty_seeds_and_zero_scores(G):
    assert im.capital(G, [], SCORES, method="ris", n_sets=100, rng=0).mean == 0.0
    assert im.capital(G, [], SCORES, n_simulations=100, rng=0).mean == 0.0
    assert im.capital(G, [0], np.zeros(8), n_simulations=100, rng=0).mean == 0.0
    with pytest.raises(InvalidParameterError, match="'scores' parameter of capital"):
        im.capital(G, [0], np.zeros(8), method="ris", n_sets=100, rng=0)


def test_bad_capital_parameters(G):
    with pytest.raises(InvalidParameterError, match="'method'"):
        im.capital(G, [0], SCORES, method="exact")
    with pytest.raises(InvalidParameterError, match="8 floats|length 8"):
        im.capital(G, [0], SCORES[:5])
    with pytest.raises(InvalidParameterError, match="'n_sets'"):
        im.capital(G, [0], SCORES, method="ris", n_sets=0)
    with pytest.raises(im.UnknownNodeError):
        im.capital(G, [99], SCORES)


def test_deterministic_for_any_thread_count(G):
    for method in ("mc", "ris"):
        a = im.capital(G, [0, 3], SCORES, tau=1.0, method=method, rng=11, n_threads=1,
                       n_simulations=3000, n_sets=3000)
        b = im.capital(G, [0, 3], SCORES, tau=1.0, method=method, rng=11, n_threads=2,
                       n_simulations=3000, n_sets=3000)
        assert a.mean == b.mean and a.stderr == b.stderr


def test_top_level_names():
    assert im.capital is im.targeted.capital
    assert "capital" in im.__all__ and "targeted" in im.__all__
