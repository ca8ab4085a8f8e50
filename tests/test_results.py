"""Phase timing and results: Stopwatch and make_result live in ``infmax.results`` and every
method records its phases through them (``SeedResult.timings``: phase -> seconds + total)."""

from __future__ import annotations

import time

import numpy as np
import pytest

import infmax as im
from infmax.graph.temporal import TemporalGraph
from infmax.results import SeedResult, Stopwatch, make_result


def test_stopwatch_accumulates_phases_and_total():
    sw = Stopwatch()
    for _ in range(3):
        with sw("work"):
            time.sleep(0.01)
    sw.add("given", 0.25)
    sw.add("given", 0.25)
    t = sw.timings()
    assert list(t) == ["work", "given", "total"]
    assert t["given"] == 0.5
    assert 0.03 <= t["work"] <= t["total"]
    assert sw.elapsed() >= t["total"]


def test_stopwatch_phase_counts_when_the_body_raises():
    sw = Stopwatch()
    with pytest.raises(KeyboardInterrupt), sw("interrupted"):
        time.sleep(0.01)
        raise KeyboardInterrupt
    assert sw.timings()["interrupted"] >= 0.01


def test_make_result_builds_a_frozen_seed_result():
    G = im.graph.from_edges(["a", "b", "c"], ["b", "c", "a"])
    sw = Stopwatch()
    with sw("scores"):
        pass
    res = make_result(G, "example", np.array([2, 0]), params={"k": 2}, stopwatch=sw,
                      record={"gains": [1.0]}, spread=np.float64(2.5), spread_stderr=0)
    assert isinstance(res, SeedResult)
    assert res.seeds == ("c", "a") and res.seed_ids.dtype == np.int32
    assert res.spread == 2.5 and type(res.spread) is float and res.spread_stderr == 0.0
    assert set(res.timings) == {"scores", "total"}
    assert dict(res.record) == {"gains": [1.0]} and res.to_dict()["params"] == {"k": 2}
    empty = make_result(G, "none", [], params={}, stopwatch=Stopwatch())
    assert empty.seeds == () and empty.spread is None and dict(empty.record) == {}


def test_algorithms_common_keeps_only_its_boundary_helpers():
    from infmax.algorithms import _common

    assert not hasattr(_common, "Stopwatch") and not hasattr(_common, "make_result")


# -- every method: phases through the stopwatch ------------------------------------------------
def _timings_ok(timings, phases):
    assert set(timings) == {*phases, "total"}, dict(timings)
    assert all(isinstance(v, float) and v >= 0 for v in timings.values())
    assert sum(v for k, v in timings.items() if k != "total") <= timings["total"] + 1e-6


@pytest.fixture(scope="module")
def G():
    rng = np.random.default_rng(0)
    return im.graph.from_edges(rng.integers(0, 40, 160), rng.integers(0, 40, 160), weights="wc")


@pytest.fixture(scope="module")
def TG():
    rs = np.random.default_rng(3)
    return TemporalGraph.from_events(rs.integers(0, 15, 120), rs.integers(0, 15, 120),
                                     rs.integers(0, 40, 120), snapshots=4)


@pytest.mark.parametrize("name, call, phases", [
    ("imm", lambda G: im.imm(G, 2, epsilon=0.5, rng=1),
     {"estimate_sample", "estimate_select", "final_sample", "final_select"}),
    ("tim+", lambda G: im.tim_plus(G, 2, epsilon=0.5, rng=1),
     {"kpt_estimation", "kpt_refinement", "final_sample", "final_select"}),
    ("opim-c", lambda G: im.opim_c(G, 2, epsilon=0.5, rng=1), {"sample", "select"}),
    ("celf", lambda G: im.celf(G, 2, n_simulations=50, rng=1), {"oracle"}),
    ("greedy", lambda G: im.greedy(G, 1, n_simulations=20, rng=1), {"oracle"}),
    ("degree", lambda G: im.degree(G, 2), set()),
])
def test_static_selectors_time_their_phases(G, name, call, phases):
    _timings_ok(call(G).timings, phases)


def test_celf_oracle_phase_present_without_oracle_calls():
    # k = n with one node: no marginal gain to evaluate beyond the first pass
    G = im.graph.from_edges([0], [1], weights=0.5)
    res = im.greedy(G, 2, oracle=lambda ids: float(len(ids)))
    _timings_ok(res.timings, {"oracle"})


def test_bopim_times_simulation_gibbs_acquisition(TG):
    res = im.temporal.bopim(TG, 2, beta=0.3, n_initial=3, n_iterations=2, n_simulations=50,
                            mcmc_draws=200, burn_in=50, rng=1)
    _timings_ok(res.timings, {"simulation", "gibbs", "acquisition"})
    assert res.timings["simulation"] > 0 and res.timings["gibbs"] > 0


def test_bopim_exhaustive_path_has_the_same_shape():
    TG = TemporalGraph.from_events([0, 1, 2], [1, 2, 3], [0, 1, 2], snapshots=2)
    res = im.temporal.bopim(TG, 2, beta=0.3, n_initial=3, n_iterations=3, n_simulations=20,
                            rng=1)
    assert res.record["posterior"] is None  # C(4, 2) = 6 <= 3 + 3 sets: every set evaluated
    _timings_ok(res.timings, {"simulation", "gibbs", "acquisition"})
    assert res.timings["gibbs"] == 0.0 and res.timings["acquisition"] == 0.0


@pytest.mark.parametrize("call, phases", [
    (lambda TG: im.temporal.random_seeds(TG, 3, rng=1), set()),
    (lambda TG: im.temporal.random_degree(TG, 3, rng=1), set()),
    (lambda TG: im.temporal.dynamic_degree(TG, 3, beta=0.2), {"scores"}),
    (lambda TG: im.temporal.celf(TG, 2, beta=0.2, n_simulations=20, rng=1), {"oracle"}),
])
def test_temporal_baselines_time_their_phases(TG, call, phases):
    _timings_ok(call(TG).timings, phases)


def test_trial_driver_times_selection(G):
    from infmax import observability as ob

    obs = ob.observe(G, members=list(G.labels[:8]), rng=1)
    for trial in (ob.adaptive_trial, ob.oneshot_trial):
        _timings_ok(trial(obs, 3, algorithm="degree", rng=2).timings, {"select"})
