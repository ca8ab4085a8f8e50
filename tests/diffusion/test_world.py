"""sample_world / LiveEdgeWorld: arc-liveness distributions and reachability."""

import networkx as nx
import numpy as np
import pytest

import infmax as im
from infmax.diffusion import LiveEdgeWorld, TriggeringModel, sample_world
from infmax.exceptions import InvalidParameterError


def _graph(rng=3, n=30, m=90, weights="wc"):
    r = np.random.default_rng(rng)
    src, dst = r.integers(0, n, m), r.integers(0, n, m)
    return im.graph.from_edges(src, dst, directed=True, weights=weights)


def _live_freq(G, model, n_worlds=4000, rng=0):
    gen = np.random.default_rng(rng)
    counts = np.zeros(G.m)
    per_node = []
    for _ in range(n_worlds):
        w = sample_world(G, model=model, rng=gen)
        counts += w.live
        per_node.append(np.bincount(G.indices[w.live], minlength=G.n).max() if w.n_live else 0)
    return counts / n_worlds, max(per_node)


def test_ic_arcs_live_independently_with_their_probability():
    G = _graph(weights="trivalency")
    freq, _ = _live_freq(G, "ic")
    p = G.probs
    se = np.sqrt(p * (1 - p) / 4000) + 1e-12
    assert np.all(np.abs(freq - p) <= 4.5 * se + 1e-9)


def test_lt_keeps_at_most_one_in_arc_with_probability_equal_to_its_weight():
    G = _graph(weights="wc")
    freq, most = _live_freq(G, "lt")
    assert most <= 1
    p = G.probs
    se = np.sqrt(p * (1 - p) / 4000) + 1e-12
    assert np.all(np.abs(freq - p) <= 4.5 * se + 1e-9)


def test_lt_with_partial_weights_can_keep_no_arc():
    # node 2 has two in-arcs of weight 0.3: no live in-arc with probability 0.4
    G = im.graph.from_edges([0, 1], [2, 2], directed=True, weights=0.3)
    gen = np.random.default_rng(5)
    none = sum(sample_world(G, model="lt", rng=gen).n_live == 0 for _ in range(4000))
    assert abs(none / 4000 - 0.4) <= 4 * np.sqrt(0.24 / 4000)


def test_triggering_custom_sets_are_live_together():
    G = im.graph.from_edges([0, 1, 0], [2, 2, 1], directed=True, weights=0.5)
    M = TriggeringModel.custom(G, {2: [([0, 1], 0.3), ([1], 0.2)]})
    gen = np.random.default_rng(7)
    arcs = {(int(s), int(t)): e for e, (s, t) in enumerate(zip(G.sources, G.indices))}
    both = only1 = none = 0
    N = 4000
    for _ in range(N):
        live = sample_world(G, model=M, rng=gen).live
        a, b = live[arcs[(0, 2)]], live[arcs[(1, 2)]]
        both += a and b
        only1 += b and not a
        none += not a and not b
        assert not (a and not b)
    for got, p in ((both, 0.3), (only1, 0.2), (none, 0.5)):
        assert abs(got / N - p) <= 4 * np.sqrt(p * (1 - p) / N)


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_reach_matches_networkx_descendants(model):
    G = _graph(rng=11, n=40, m=160)
    gen = np.random.default_rng(1)
    for _ in range(20):
        w = sample_world(G, model=model, rng=gen)
        H = nx.DiGraph()
        H.add_nodes_from(range(G.n))
        H.add_edges_from(zip(G.sources[w.live].tolist(), G.indices[w.live].tolist()))
        seeds = gen.choice(G.n, 3, replace=False).astype(np.int32)
        want = set(seeds.tolist())
        for s in seeds.tolist():
            want |= nx.descendants(H, s)
        got = w.reach(seeds)
        assert got.dtype == np.int32
        assert got.tolist() == sorted(want)
        # removed nodes are neither entered nor traversed (removed seeds are dropped too)
        removed = np.zeros(G.n, dtype=bool)
        removed[gen.choice(G.n, 8, replace=False)] = True
        H2 = H.subgraph([v for v in range(G.n) if not removed[v]])
        want2 = set()
        for s in seeds.tolist():
            if not removed[s]:
                want2 |= {s} | nx.descendants(H2, s)
        assert w.reach(seeds, removed=removed).tolist() == sorted(want2)
        assert w.reach_mask(seeds).sum() == len(want)


def test_reach_is_deterministic_for_a_seeded_rng_and_world_is_frozen():
    G = _graph()
    a, b = sample_world(G, rng=42), sample_world(G, rng=42)
    assert np.array_equal(a.live, b.live)
    assert isinstance(a, LiveEdgeWorld)
    with pytest.raises(AttributeError):  # dataclasses.FrozenInstanceError
        a.live = None
    with pytest.raises(ValueError):
        a.live[0] = True


def test_sample_world_bad_input():
    G = _graph()
    with pytest.raises(InvalidParameterError, match="'model' parameter of sample_world"):
        sample_world(G, model="sir")
    with pytest.raises(InvalidParameterError, match="removed"):
        sample_world(G, rng=0).reach([0], removed=np.zeros(3, dtype=bool))
    with pytest.raises(InvalidParameterError, match="seed_ids"):
        sample_world(G, rng=0).reach([G.n])
    H = im.graph.from_edges([0, 1], [2, 2], directed=True, weights=0.9)
    with pytest.raises(InvalidParameterError, match="lt"):
        sample_world(H, model="lt")
