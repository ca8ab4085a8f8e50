"""SIMPATH (Goyal, Lu, Lakshmanan, ICDM 2011): the path-enumeration estimator against exact LT
spread by live-edge enumeration, the selector against plain greedy over the exact spread, its
optimisations (vertex cover, look-ahead) against the plain variant, and the target on NetHEPT."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import infmax as im
from conftest import random_graph
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError

simpath_mod = importlib.import_module("infmax.algorithms.simpath")  # the module, not the function


def _graphs(count, *, n_max=8, m_max=15):
    """Random LT graphs with at most 15 arcs (some nodes isolated, some in-weights < 1)."""
    out = []
    for seed in range(count):
        g = np.random.default_rng(seed)
        n = int(g.integers(3, n_max + 1))
        m = int(g.integers(1, min(m_max, n * (n - 1)) + 1))
        out.append(random_graph(seed, n=n, m=m, lt=True))
    return out


@pytest.mark.parametrize("G", _graphs(40))
def test_spread_equals_exact_lt_spread_as_eta_goes_to_zero(G):
    assert G.m <= 15
    g = np.random.default_rng(G.m)
    for size in (1, 2, 3):
        seeds = g.choice(G.n, size, replace=False).tolist()
        exact = im.exact_spread(G, seeds, model="lt")
        assert im.simpath_spread(G, seeds, eta=0.0) == pytest.approx(exact, abs=1e-12)
        assert im.simpath_spread(G, seeds, eta=1e-12) == pytest.approx(exact, abs=1e-9)
        # pruning only drops mass: the estimate grows as eta shrinks and never passes exact
        coarse = [im.simpath_spread(G, seeds, eta=e) for e in (0.5, 0.1, 0.01)]
        assert coarse == sorted(coarse) and coarse[-1] <= exact + 1e-12


def test_hand_computed_paths():
    # 0 -> 1 -> 2 and 0 -> 2: sigma(0) = 1 + 0.5 + (0.25 + 0.5 * 0.5)
    G = im.graph.from_edges([0, 1, 0], [1, 2, 2], [0.5, 0.5, 0.25], weights="file")
    assert im.simpath_spread(G, [0], eta=0.0) == 2.0
    # the path 0 -> 1 -> 2 has probability 0.25 < 0.3: pruned with its extensions
    assert im.simpath_spread(G, [0], eta=0.3) == 1.5
    # sigma({0, 1}) = sigma^{V-1}(0) + sigma^{V-0}(1) = (1 + 0.25) + (1 + 0.5)
    assert im.simpath_spread(G, [0, 1, 1], eta=0.0) == 2.75


def _exact_oracle(G):
    return lambda ids: im.exact_spread(G, G.node_labels(ids), model="lt")


@pytest.mark.parametrize("seed", range(12))
def test_selection_equals_greedy_over_exact_spread(seed):
    """eta = 0: SIMPATH's gains are exact, so its picks are plain greedy's on exact LT spread."""
    G = random_graph(100 + seed, n=9, m=15, lt=True)
    k = 4
    ref = im.greedy(G, k, oracle=_exact_oracle(G))
    for la, vc in ((1, False), (4, True), (2, True), (3, False)):
        res = im.simpath(G, k, eta=0.0, lookahead=la, vertex_cover=vc)
        assert res.seeds == ref.seeds, (la, vc)
        np.testing.assert_allclose(res.record["marginal_gains"], ref.record["marginal_gains"],
                                   atol=1e-9)
        assert res.spread == pytest.approx(ref.spread, abs=1e-9)


def test_candidates_equal_restricted_greedy():
    G = random_graph(5, n=10, m=15, lt=True)
    cands = [1, 3, 4, 6, 8]
    ref = im.greedy(G, 3, oracle=_exact_oracle(G), candidates=cands)
    res = im.simpath(G, 3, eta=0.0, candidates=cands)
    assert res.seeds == ref.seeds and res.record["vertex_cover_size"] is None
    np.testing.assert_allclose(res.record["marginal_gains"], ref.record["marginal_gains"],
                               atol=1e-9)


def test_vertex_cover_first_iteration_is_exact_at_eta_zero():
    """sigma(v) of a node outside the cover, from its neighbours' enumerations, is exact."""
    G = random_graph(7, n=12, m=15, lt=True)
    res = im.simpath(G, 1, eta=0.0, vertex_cover=True)
    assert res.record["vertex_cover_size"] < G.n
    best = max(im.exact_spread(G, [v], model="lt") for v in range(G.n))
    assert res.record["marginal_gains"][0] == pytest.approx(best, abs=1e-12)


def test_optimisations_keep_the_seeds_on_a_larger_graph():
    """With pruning, look-ahead changes only the order of work, not the CELF picks."""
    g = np.random.default_rng(3)
    n, m = 300, 1500
    G = im.graph.from_edges(g.integers(0, n, m), g.integers(0, n, m), weights="wc",
                            nodes=range(n))
    plain = im.simpath(G, 10, eta=1e-3, lookahead=1, vertex_cover=False)
    ahead = im.simpath(G, 10, eta=1e-3, lookahead=4, vertex_cover=False)
    assert plain.seeds == ahead.seeds
    assert plain.record["spread_evaluations"] <= ahead.record["spread_evaluations"]
    assert ahead.record["seed_set_enumerations"] <= plain.record["seed_set_enumerations"]


def test_bounded_kernel_calls_give_the_same_result(monkeypatch):
    """A call stops after the start that exhausts its work budget: splitting changes nothing."""
    G = random_graph(11, n=30, m=90, lt=True)
    whole = im.simpath(G, 5, eta=1e-4)
    monkeypatch.setattr(simpath_mod, "_WORK_PER_CALL", 1)
    split = im.simpath(G, 5, eta=1e-4)
    assert split.seeds == whole.seeds and split.spread == whole.spread
    assert split.record["kernel_calls"] > whole.record["kernel_calls"]


def test_interrupt_between_kernel_calls(monkeypatch):
    G = random_graph(11, n=30, m=90, lt=True)
    calls = []

    def fake_checkpoint():
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(simpath_mod, "_WORK_PER_CALL", 1)
    monkeypatch.setattr(simpath_mod, "checkpoint", fake_checkpoint)
    with pytest.raises(KeyboardInterrupt):
        im.simpath(G, 5, eta=1e-4)
    monkeypatch.setattr(simpath_mod, "checkpoint", lambda: None)
    assert im.simpath(G, 5, eta=1e-4).seeds  # scratch state is per call: a rerun is clean


def test_zero_weights_and_isolated_nodes():
    G = im.graph.from_edges(["a", "b", "c"], ["b", "c", "a"], [0.0, 0.0, 0.0], weights="file",
                            nodes=["d"])
    assert im.simpath_spread(G, ["a", "d"], eta=0.0) == 2.0
    res = im.simpath(G, 4)
    assert sorted(res.seeds) == ["a", "b", "c", "d"] and res.spread == 4.0
    assert im.simpath_spread(G, [], eta=0.0) == 0.0


@pytest.mark.parametrize(("kw", "param"), [
    ({"eta": -0.1}, "eta"), ({"eta": 1.0}, "eta"), ({"eta": float("nan")}, "eta"),
    ({"lookahead": 0}, "lookahead"), ({"model": "ic"}, "model"), ({"model": "sir"}, "model"),
    ({"vertex_cover": "yes"}, "vertex_cover"),
])
def test_bad_parameters(kw, param):
    G = random_graph(1, lt=True)
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of simpath") as e:
        im.simpath(G, 2, **kw)
    assert "np.float64" not in str(e.value)


def test_rejects_weights_that_are_not_lt():
    G = im.graph.from_edges([0, 1], [2, 2], [0.8, 0.8], weights="file")
    with pytest.raises(InvalidParameterError, match="'model' parameter of simpath_spread"):
        im.simpath_spread(G, [0])
    with pytest.raises(InvalidParameterError, match="'eta' parameter of simpath_spread"):
        im.simpath_spread(im.normalize_lt(G), [0], eta=2)


def test_registered_for_lt_only():
    info = registry.get("simpath")
    assert info.func is im.simpath and info.models == ("lt",) and info.candidates


@pytest.mark.slow
def test_nethept_spread_within_two_percent_of_imm(data_dir):
    """Issue 12: on NetHEPT-LT (weighted cascade), k = 50, SIMPATH's seeds spread (Monte Carlo)
    within 2 % of IMM's. At the default eta = 1e-3 they fall about 3 % short (measured 1,259 vs
    1,297); eta = 1e-4 closes the gap, so the test runs there."""
    G = im.datasets.load("nethept", weights="wc")
    sp = im.simpath(G, 50, eta=1e-4)
    ref = im.imm(G, 50, model="lt", epsilon=0.2, rng=1)
    a = im.spread(G, sp.seeds, model="lt", n_simulations=4000, rng=7)
    b = im.spread(G, ref.seeds, model="lt", n_simulations=4000, rng=8)
    se = float(np.hypot(a.stderr, b.stderr))
    assert a.mean >= 0.98 * b.mean - 3 * se, (a, b)
