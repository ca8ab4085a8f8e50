"""Observation model, boundary bias, adaptive seeding (Stein et al., org-boundaries)."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

import infmax as im
from infmax.diffusion import LiveEdgeWorld, exact_spread, sample_world, spread_ids
from infmax.exceptions import InvalidParameterError, UnknownNodeError
from infmax.observability import (
    AdaptiveSeeder,
    DegreeSelector,
    EngineSelector,
    ObservableState,
    adaptive_trial,
    make_selector,
    observe,
    oneshot_trial,
    run_trial,
)


def _random_graph(n=120, m=300, seed=0, directed=True, offset=1000):
    r = np.random.default_rng(seed)
    src = r.integers(0, n, m) + offset
    dst = r.integers(0, n, m) + offset
    return im.graph.from_edges(src, dst, directed=directed, weights="wc")


def _brute_neighbours(G):
    nb = [set() for _ in range(G.n)]
    for u, v in zip(G.sources.tolist(), G.indices.tolist()):
        if u != v:
            nb[u].add(v)
            nb[v].add(u)
    return nb


# -- observation model -------------------------------------------------------------------------
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.37, 0.9, 1.0])
def test_observe_invariants(directed, fraction):
    G = _random_graph(directed=directed, seed=3)
    obs = observe(G, fraction, rng=11)
    O = set(obs.member_ids.tolist())
    assert len(O) == obs.n_members == math.floor(fraction * G.n + 0.5)
    nb = _brute_neighbours(G)
    boundary = set().union(*(nb[u] for u in O)) - O
    assert set(obs.boundary_ids.tolist()) == boundary
    # G': nodes O ∪ boundary, arcs with at least one end in O, labels and probabilities kept
    Gp = obs.graph
    lab = G.labels
    assert sorted(Gp.labels.tolist()) == sorted(lab[sorted(O | boundary)].tolist())
    want = {(lab[u], lab[v], p) for u, v, p in zip(G.sources.tolist(), G.indices.tolist(),
                                                   G.probs.tolist()) if u in O or v in O}
    got = {(Gp.labels[u], Gp.labels[v], p) for u, v, p in zip(
        Gp.sources.tolist(), Gp.indices.tolist(), Gp.probs.tolist())}
    assert got == want
    # seeds only from O
    assert set(Gp.labels[obs.seed_mask].tolist()) == set(lab[list(O)].tolist())
    assert set(obs.members) == set(lab[list(O)].tolist())


def test_growth_distribution_on_a_path():
    # path 0-1-2-3, one initial node, |O| = 2: P({0,1}) = 1/4 + 1/8 = 3/8, P({1,2}) = 1/4
    G = im.graph.from_edges([0, 1, 2], [1, 2, 3], directed=False, weights="wc")
    counts: dict = {}
    N = 4000
    rng = np.random.default_rng(5)
    for _ in range(N):
        o = tuple(sorted(observe(G, 0.5, initial=1, rng=rng).members))
        counts[o] = counts.get(o, 0) + 1
    assert set(counts) == {(0, 1), (1, 2), (2, 3)}  # always a connected pair
    for key, p in (((0, 1), 3 / 8), ((1, 2), 1 / 4), ((2, 3), 3 / 8)):
        se = math.sqrt(p * (1 - p) / N)
        assert abs(counts[key] / N - p) <= 4 * se


def test_growth_jumps_only_when_no_member_has_outside_neighbours():
    # two components {0,1} and {2,3,4}: from one start, O fills its component before jumping
    G = im.graph.from_edges([0, 2, 3], [1, 3, 4], directed=False, weights="wc")
    rng = np.random.default_rng(2)
    for _ in range(200):
        obs = observe(G, 0.6, initial=1, rng=rng)  # |O| = 3
        order = obs.members
        first = order[0]
        comp = {0, 1} if first in (0, 1) else {2, 3, 4}
        k = len(comp)
        assert set(order[:k]) == comp if k <= 3 else set(order[:3]) <= comp


def test_growth_connected_and_reproducible():
    G = _random_graph(n=300, m=1500, seed=1, directed=False)
    a = observe(G, 0.2, initial=1, rng=7)
    b = observe(G, 0.2, initial=1, rng=7)
    assert a.members == b.members
    # with one start in a connected part every new member touches an earlier one
    nb = _brute_neighbours(G)
    ids = a.member_ids.tolist()
    for i in range(1, len(ids)):
        if not any(nb[x] - set(ids[:i]) for x in ids[:i]):
            continue  # a jump is allowed only when no member has an outside neighbour
        assert nb[ids[i]] & set(ids[:i])


def test_observe_given_members():
    G = _random_graph(seed=4)
    labs = G.labels[[5, 9, 9, 40]].tolist()
    obs = observe(G, members=labs)
    assert obs.members == [labs[0], labs[1], labs[3]]
    assert obs.fraction == pytest.approx(3 / G.n)


@pytest.mark.parametrize("kwargs, exc, words", [
    ({"fraction": 0.0}, InvalidParameterError, ["'fraction'", "observe", "0.0"]),
    ({"fraction": 1.5}, InvalidParameterError, ["'fraction'", "1.5"]),
    ({"fraction": None}, InvalidParameterError, ["'fraction'", "None"]),
    ({"fraction": 0.0001}, InvalidParameterError, ["'fraction'", "0.0001"]),
    ({"fraction": 0.1, "initial": 0}, InvalidParameterError, ["'initial'", "0"]),
    ({"members": [123456]}, UnknownNodeError, ["'members'", "123456"]),
    ({"members": []}, InvalidParameterError, ["'members'"]),
    ({"fraction": 0.1, "members": [1000]}, InvalidParameterError, ["'fraction'", "members"]),
])
def test_observe_bad_input(kwargs, exc, words):
    G = _random_graph(seed=4)
    with pytest.raises(exc) as ei:
        observe(G, **kwargs)
    for w in words:
        assert w in str(ei.value)


def test_observe_rejects_non_graph():
    with pytest.raises(InvalidParameterError, match="'G' parameter of observe"):
        observe([[0, 1]], 0.5)


# -- boundary bias -------------------------------------------------------------------------------
@pytest.mark.parametrize("bias", [None, 2.0, 5.0])
def test_degree_selector_equals_engine_degree(bias):
    G = _random_graph(n=200, m=800, seed=8)
    obs = observe(G, 0.15, rng=3)
    st = ObservableState(obs)
    fast = DegreeSelector(bias)
    eng = EngineSelector("infmax.algorithms.heuristics:degree",
                         weight_keyword="neighbor_weights", bias=bias)
    r = np.random.default_rng(0)
    for _ in range(4):
        a = fast.select(st, 5, r)
        b = eng.select(st, 5, r)
        assert a.tolist() == b.tolist()
        st.reveal(np.concatenate([a[:2], obs.boundary_ids[:3]]))


def test_biased_degree_hand_computed():
    # members 0, 1; 0 -> {1 (member), 2 (boundary)}; 1 -> {3, 4, 5}? no: 1 -> {0, 3}
    G = im.graph.from_edges([0, 0, 1, 1, 6, 6, 6], [1, 2, 0, 3, 2, 3, 4], directed=True,
                            weights="wc")
    obs = observe(G, members=[0, 1])
    assert sorted(obs.boundary) == [2, 3]
    st = ObservableState(obs)
    sc = DegreeSelector(3.0).scores(st)
    ids = G.node_ids([0, 1])
    assert sc[ids].tolist() == [1 + 3.0, 1 + 3.0]
    st.reveal(G.node_ids([2]))
    assert DegreeSelector(3.0).scores(st)[ids].tolist() == [1.0, 4.0]


def test_biased_ris_estimate_equals_weighted_monte_carlo():
    from infmax.sampling import sample_rr_sets

    G = _random_graph(n=60, m=200, seed=12, directed=False)
    obs = observe(G, 0.2, rng=1)
    Gp = obs.graph
    w = obs.node_weights(2.0)
    assert set(np.unique(w).tolist()) <= {1.0, 2.0} and (w == 2.0).sum() == obs.n_boundary
    seeds = np.flatnonzero(obs.seed_mask)[:3].astype(np.int32)
    R = sample_rr_sets(Gp, 200_000, model="ic", node_weights=w, rng=4)
    est = R.estimate(seeds)
    mc = spread_ids(Gp, seeds, model="ic", n_simulations=200_000, rng=5, node_weights=w)
    assert abs(est.mean - mc.mean) <= 4 * math.hypot(est.stderr, mc.stderr)


def test_biased_ris_estimate_equals_exact_weighted_spread():
    from infmax.sampling import sample_rr_sets

    # tiny graph: exact weighted spread by enumerating live-edge worlds
    G = im.graph.from_edges([0, 0, 1, 2, 3], [1, 2, 3, 3, 4], directed=True, weights=0.5)
    obs = observe(G, members=[0, 1])
    w = obs.node_weights(2.0)
    Gp = obs.graph
    seeds = Gp.node_ids([0])
    exact = exact_spread(Gp, Gp.node_labels(seeds), node_weights=w)
    R = sample_rr_sets(Gp, 200_000, model="ic", node_weights=w, rng=9)
    est = R.estimate(seeds)
    assert abs(est.mean - exact) <= 4 * est.stderr + 1e-12


def test_imm_selector_runs_biased_on_observable_graph():
    G = _random_graph(n=150, m=600, seed=2, directed=False)
    obs = observe(G, 0.1, rng=2)
    st = ObservableState(obs)
    for bias in (None, 2.0):
        sel = make_selector("imm", bias=bias, epsilon=0.5, n_threads=1)
        ids = sel.select(st, 3, np.random.default_rng(1))
        assert len(ids) == 3 and obs.member_mask[ids].all()


# -- adaptive seeding ----------------------------------------------------------------------------
def _hand_world():
    # members 0, 1, 2; undirected; 20 is hidden (not observable)
    edges = [(0, 1), (0, 10), (0, 11), (0, 12), (1, 13), (1, 14), (2, 15), (2, 16), (10, 20)]
    src, dst = zip(*edges)
    G = im.graph.from_edges(src, dst, directed=False, weights="wc")
    live_pairs = {(0, 1), (0, 10), (10, 20), (1, 13)}
    lab = G.labels
    live = np.array([(int(lab[u]), int(lab[v])) in live_pairs
                     for u, v in zip(G.sources, G.indices)])
    return G, LiveEdgeWorld(live, G.indptr, G.indices)


def test_adaptive_driver_against_hand_computed_world():
    G, world = _hand_world()
    obs = observe(G, members=[0, 1, 2])
    assert sorted(obs.boundary) == [10, 11, 12, 13, 14, 15, 16]
    # adaptive degree: 0 (degree 4) reaches {0, 1, 10, 13, 20}; 1 is then active, so 2 next
    res = adaptive_trial(obs, 2, algorithm="degree", world=world, rng=0)
    assert list(res.seeds) == [0, 2]
    assert res.per_round == (5, 6) and res.spread == 6
    # one-shot degree picks 0 and 1 (degrees 4 and 3): 1 adds nothing
    res1 = oneshot_trial(obs, 2, algorithm="degree", world=world, rng=0)
    assert list(res1.seeds) == [0, 1] and res1.per_round == (5, 5)
    # biased: 0 -> 1 + 2*3 = 7, 1 -> 1 + 2*2 = 5, 2 -> 4; same choices here
    res2 = adaptive_trial(obs, 3, algorithm="degree", bias=2.0, world=world, rng=0)
    assert list(res2.seeds) == [0, 2] and res2.per_round == (5, 6, 6)  # no member left


def test_adaptive_seeder_propose_reveal():
    G, world = _hand_world()
    s = AdaptiveSeeder(observe(G, members=[0, 1, 2]), "degree")
    assert s.propose() == 0 and s.propose() == 0  # stable until activations are revealed
    s.reveal([0, 1, 10, 13, 20])  # 20 is not observable: ignored
    assert s.propose() == 2
    s.reveal([2])
    assert s.propose() is None and s.seeds == [0, 2]
    with pytest.raises(UnknownNodeError, match="'activated' parameter of AdaptiveSeeder.reveal"):
        s.reveal([999])
    # observe() builds an Observation; the seeder's method has its own name
    assert not hasattr(AdaptiveSeeder, "observe") and not hasattr(AdaptiveSeeder, "observe_ids")


def test_adaptive_equals_manual_loop_in_sampled_world():
    G = _random_graph(n=300, m=1200, seed=5, directed=False)
    obs = observe(G, 0.3, rng=4)
    world = sample_world(G, rng=8)
    for algo in ("degree", "random", "imm"):
        res = adaptive_trial(obs, 5, algorithm=algo, bias=2.0, world=world, rng=3, n_threads=1,
                             epsilon=0.5)
        # replay: every seed must be a not-yet-active member, totals = |reach(first r seeds)|
        active = np.zeros(G.n, bool)
        for r, s in enumerate(res.seed_ids):
            assert obs.member_mask[s] and not active[s]
            active[world.reach(res.seed_ids[: r + 1])] = True
            assert active.sum() == res.per_round[r]


def test_trial_bad_input():
    G, world = _hand_world()
    obs = observe(G, members=[0, 1, 2])
    with pytest.raises(InvalidParameterError, match="'M' parameter of adaptive_trial"):
        adaptive_trial(obs, 0, world=world)
    with pytest.raises(InvalidParameterError, match="'bias'.*Got -1"):
        adaptive_trial(obs, 2, bias=-1, world=world)
    # every static selector takes candidates now (celf too); a temporal one is not static
    with pytest.raises(InvalidParameterError, match="'algorithm'.*'celf'.*Got 'bopim'"):
        oneshot_trial(obs, 2, algorithm="bopim", world=world)
    with pytest.raises(InvalidParameterError, match="'world'"):
        oneshot_trial(obs, 2, world=object())
    with pytest.raises(InvalidParameterError, match="'observation'"):
        AdaptiveSeeder(G)


def test_run_trial_same_world_any_order():
    G = _random_graph(n=300, m=1200, seed=6, directed=False)
    obs = observe(G, 0.2, rng=1)
    world = sample_world(G, rng=2)
    cells = [("degree", None, True), ("imm", 2.0, False), ("random", None, True),
             ("degree", 2.0, False), ("imm", None, True)]

    def run(order):
        out = {}
        for c in order:
            sel = make_selector(c[0], bias=c[1], epsilon=0.5, n_threads=1)
            out[c] = run_trial(obs, world, 4, sel, adaptive=c[2],
                               rng=np.random.default_rng(zlib.crc32(repr(c).encode()))).per_round
        return out

    assert run(cells) == run(cells[::-1])
