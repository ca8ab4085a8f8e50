"""ADITUM: alpha = 1 is the weighted-root engine, alpha = 0 greedy diversity, capital vs MC."""

from __future__ import annotations

import numpy as np
import pytest

import infmax as im
from infmax._kernels._threads import threads
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError
from infmax.targeted import (
    AttributeDiversity,
    ClassDiversity,
    EntropyDiversity,
    HammingDiversity,
    Targets,
    synthetic_profiles,
)


def random_graph(n=80, m=320, seed=7):
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    keep = src != dst
    return im.from_edges(src[keep], dst[keep], weights="wc", nodes=range(n))


@pytest.fixture(scope="module")
def G():
    return random_graph()


@pytest.fixture(scope="module")
def scores(G):
    return np.random.default_rng(3).exponential(1.0, G.n)


@pytest.fixture(scope="module")
def P(G):
    return synthetic_profiles(G.n, 4, 3, dist="exponential", rng=5)


@pytest.mark.parametrize("rng", [0, 1, 2])
@pytest.mark.parametrize("model", ["ic", "lt"])
def test_alpha_one_is_tim_plus_with_target_weights(G, scores, P, rng, model):
    T = Targets.from_scores(scores, top="25%")
    res = im.aditum(G, 6, scores=scores, top="25%", profiles=P, alpha=1.0, model=model,
                    epsilon=0.3, rng=rng)
    ref = im.tim_plus(G, 6, node_weights=T.weights, model=model, epsilon=0.3, rng=rng)
    assert res.seeds == ref.seeds
    assert res.spread == ref.spread and res.spread_stderr == ref.spread_stderr
    assert res.record["theta"] == ref.record["theta"]
    assert res.record["diversity"] == pytest.approx(AttributeDiversity(P).value(res.seed_ids))


@pytest.mark.parametrize("rng", [0, 4])
def test_alpha_one_is_imm_with_target_weights(G, scores, rng):
    T = Targets.from_scores(scores, tau=1.0)
    cands = list(range(0, G.n, 2))
    res = im.aditum(G, 5, scores=scores, tau=1.0, alpha=1.0, estimation="imm", epsilon=0.3,
                    candidates=cands, rng=rng)
    ref = im.imm(G, 5, node_weights=T.weights, epsilon=0.3, candidates=cands, rng=rng,
                 final="fresh")
    assert res.seeds == ref.seeds and res.spread == ref.spread
    assert res.record["theta"] == ref.record["theta"]
    assert res.record["diversity"] is None   # no profiles, no diversity


def _plain_greedy(D, k, n):
    s = D.state()
    for _ in range(k):
        g = [D.gain(s, v) if v not in s.members else -1.0 for v in range(n)]
        D.add(s, int(np.argmax(g)))       # ties: smallest id
    return s.members, s.value


@pytest.mark.parametrize("make", [
    AttributeDiversity, EntropyDiversity, ClassDiversity,
    lambda P: AttributeDiversity(P, lam=0.5),
])
def test_alpha_zero_is_greedy_diversity(G, P, make):
    D = make(P)
    res = im.aditum(G, 8, profiles=P, diversity=D, alpha=0.0, epsilon=0.5, rng=0)
    seeds, value = _plain_greedy(make(P), 8, G.n)
    assert res.seed_ids.tolist() == seeds
    assert res.record["diversity"] == pytest.approx(value)


def test_alpha_zero_hamming_by_name_graph_reach(G, P):
    res = im.aditum(G, 5, profiles=P, diversity="hamming", radius=2, reach="graph",
                    alpha=0.0, epsilon=0.5, rng=0)
    seeds, value = _plain_greedy(HammingDiversity(P, radius=2, reach=G), 5, G.n)
    assert res.seed_ids.tolist() == seeds
    assert res.record["diversity"] == value


@pytest.mark.parametrize("diversity", ["attribute", "hamming", "entropy", "class"])
def test_objective_is_the_sum_of_gains(G, scores, P, diversity):
    res = im.aditum(G, 6, scores=scores, top=0.5, profiles=P, diversity=diversity,
                    alpha=0.5, epsilon=0.5, rng=3)
    r = res.record
    assert r["objective"] == pytest.approx(sum(r["gains"]))
    assert np.all(np.diff(r["gains"]) <= 1e-12)          # lazy greedy: non-increasing gains
    assert r["diversity"] > 0 and r["capital"] == res.spread
    for phase in ("kpt_estimation", "kpt_refinement", "final_sample", "final_select"):
        assert phase in res.timings


def test_diversity_trades_capital(G, scores, P):
    """Lower alpha: diversity up (weakly), RIS capital down (weakly), on the same RR sets."""
    runs = [im.aditum(G, 8, scores=scores, top="25%", profiles=P, alpha=a, epsilon=0.3, rng=9)
            for a in (1.0, 0.0)]
    assert runs[1].record["diversity"] >= runs[0].record["diversity"]
    assert runs[1].record["coverage"] <= runs[0].record["coverage"]


def test_capital_inside_monte_carlo_interval(G, scores, P):
    res = im.aditum(G, 5, scores=scores, top="25%", profiles=P, alpha=0.5, epsilon=0.1,
                    rng=21)
    mc = im.capital(G, res.seeds, scores, top="25%", n_simulations=20_000, rng=22)
    se = np.hypot(mc.stderr, res.spread_stderr)
    assert abs(res.spread - mc.mean) < 4 * se, (res.spread, mc.mean, se)


def test_same_seeds_for_one_and_two_threads(G, scores, P):
    out = []
    for t in (1, 2):
        with threads(t):
            out.append(im.aditum(G, 6, scores=scores, top="25%", profiles=P, alpha=0.5,
                                 diversity="entropy", epsilon=0.3, rng=5, n_threads=t))
    assert out[0].seeds == out[1].seeds and out[0].spread == out[1].spread
    assert out[0].record["diversity"] == out[1].record["diversity"]


def test_k_equals_candidates_with_zero_gains():
    """Every candidate, zero-gain ones (isolated, no target reached) included, exactly once."""
    G = im.from_edges([0, 1], [1, 2], weights=0.0, nodes=[3, 4])
    P = synthetic_profiles(G.n, 2, 2, rng=0)
    res = im.aditum(G, 5, scores=[0, 0, 1, 0, 0], profiles=P, alpha=0.5, epsilon=0.5, rng=0)
    assert sorted(res.seeds) == [0, 1, 2, 3, 4]
    assert res.seeds[0] == 2            # the only node covering the target


def test_synthetic_spec_is_deterministic(G):
    a = im.aditum(G, 4, profiles="synthetic:m=5,v=4,dist=exp,seed=2", alpha=0.0,
                  epsilon=0.5, rng=0)
    P = synthetic_profiles(G.n, 5, 4, dist="exponential", rng=2)
    b = im.aditum(G, 4, profiles=P, alpha=0.0, epsilon=0.5, rng=1)
    assert a.seeds == b.seeds
    assert a.params["profiles"] == "synthetic:m=5,v=4,dist=exp,seed=2"


@pytest.mark.parametrize("kw, param", [
    ({"alpha": 1.5}, "alpha"),
    ({"alpha": float("nan")}, "alpha"),
    ({"alpha": 0.5}, "profiles"),                                 # no profiles
    ({"alpha": 0.5, "profiles": "synthetic:m=3"}, "profiles"),    # no v
    ({"alpha": 0.5, "profiles": "random:m=3,v=2"}, "profiles"),
    ({"alpha": 0.5, "profiles": "P5"}, "profiles"),
    ({"alpha": 0.5, "profiles": "synthetic:m=3,v=2", "diversity": "gini"}, "diversity"),
    ({"alpha": 0.5, "profiles": "synthetic:m=3,v=2", "diversity": 3}, "diversity"),
    ({"scores": np.zeros(80)}, "scores"),
    ({"scores": np.ones(3)}, "scores"),
    ({"estimation": "celf"}, "estimation"),
    ({"reach": "bfs"}, "reach"),
    ({"epsilon": 0.0}, "epsilon"),
])
def test_bad_input(G, kw, param):
    if kw.get("profiles") == "P5":
        kw = {**kw, "profiles": synthetic_profiles(5, 2, 2, rng=0)}
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of aditum"):
        im.aditum(G, 3, rng=0, **kw)


def test_registered():
    info = registry.get("aditum")
    assert info.func is im.aditum and info.input == "graph" and info.candidates


def test_selection_state_over_the_memory_limit(G, monkeypatch):
    """The lazy greedy's state is checked against max_memory before it is built."""
    import importlib

    from infmax.exceptions import MemoryLimitError

    mod = importlib.import_module("infmax.targeted.aditum")   # the module, not the function

    monkeypatch.setattr(mod, "HEAP_ENTRY_BYTES", 2**40)
    with pytest.raises(MemoryLimitError, match="lazy greedy's state.*larger epsilon"):
        im.aditum(G, 3, alpha=1.0, epsilon=0.5, rng=0, max_memory=2**30)


def test_no_candidate_reaches_a_target_names_scores():
    G = im.from_edges([0, 1], [1, 2], weights=0.5, nodes=[3])
    with pytest.raises(InvalidParameterError, match="'scores' parameter of aditum.*reach"):
        im.aditum(G, 1, scores=[0, 0, 0, 1], alpha=1.0, candidates=[0], rng=0)


def test_kernels_run_inside_an_interruptible_section(G, P, monkeypatch):
    from infmax import _interrupt
    from infmax._kernels import coverage as cov

    seen = []
    real = cov.inverted

    def spy(*a):
        seen.append(_interrupt._depth)
        return real(*a)

    monkeypatch.setattr(cov, "inverted", spy)
    im.aditum(G, 3, profiles=P, alpha=0.5, epsilon=0.5, rng=1)
    assert seen and min(seen) >= 1


def test_ctrl_c_during_the_lazy_greedy_stops_at_a_checkpoint(G, P):
    """SIGINT inside the selection is deferred to the next checkpoint, then raised."""
    import os
    import signal

    class Interrupting(AttributeDiversity):
        calls = 0
        returned = False

        def gain(self, state, v):
            g = super().gain(state, v)
            if state.members:                     # the lazy phase (after the first seed)
                if not Interrupting.calls:
                    os.kill(os.getpid(), signal.SIGINT)
                    Interrupting.returned = True  # the handler only recorded the signal
                Interrupting.calls += 1
            return g

    with pytest.raises(KeyboardInterrupt):
        im.aditum(G, 6, diversity=Interrupting(P), alpha=0.5, epsilon=0.5, rng=0)
    assert Interrupting.returned and Interrupting.calls == 1
