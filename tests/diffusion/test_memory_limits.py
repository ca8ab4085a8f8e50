"""Memory limits (MemoryLimitError before allocating) and graph-type checks at every entry point
of the non-RIS engine."""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest

import infmax as im
from infmax.algorithms import heuristics as H
from infmax.diffusion import MonteCarloOracle, exact_spread, sample_world, simulate, spread
from infmax.diffusion import montecarlo as mc
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.graph.temporal import TemporalGraph


@pytest.fixture(scope="module")
def G():
    return im.graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], directed=True, weights=0.5)


@pytest.fixture(scope="module")
def TG():
    return TemporalGraph.from_events([1, 2, 3, 1], [2, 3, 4, 4], [0, 1, 2, 3], snapshots=2)


def _fast(call, exc=MemoryLimitError, match=None):
    t0 = time.perf_counter()
    with pytest.raises(exc, match=match) as info:
        call()
    assert time.perf_counter() - t0 < 2.0   # refused at once, nothing allocated
    assert "\n" not in str(info.value)
    return info.value


def test_spread_with_10_to_12_simulations_is_refused_at_once(G):
    e = _fast(lambda: spread(G, [0], n_simulations=10**12, rng=0),
              match=r"^spread: the per-block seeds and sums of 15,625,000,000 blocks .* "
                    r"would need about 357,627\.9 MiB, more than max_memory")
    assert "n_simulations" in str(e) and "--simulations" in str(e)


def test_spread_explicit_max_memory(G):
    nb = -(-100_000 // 64)
    need = mc.BYTES_PER_BLOCK * nb
    _fast(lambda: spread(G, [0], n_simulations=100_000, rng=0, max_memory=need - 1))
    assert spread(G, [0], n_simulations=100_000, rng=0, max_memory=need).n_simulations == \
        100_000
    with pytest.raises(InvalidParameterError, match="'max_memory' parameter of spread.*Got 0"):
        spread(G, [0], max_memory=0)


def test_oracle_and_greedy_memory(G):
    _fast(lambda: MonteCarloOracle(G, n_simulations=10**12, rng=0),
          match="^MonteCarloOracle: ")
    _fast(lambda: MonteCarloOracle(G, n_simulations=10**12, common_random_numbers=False))
    _fast(lambda: im.celf(G, 1, n_simulations=10**12, rng=0))


def test_memory_error_the_estimate_missed_becomes_memory_limit_error(G, monkeypatch):
    def boom(*a, **k):
        raise MemoryError("Unable to allocate 1.00 TiB")

    monkeypatch.setattr(mc, "block_seeds", boom)
    e = _fast(lambda: spread(G, [0], n_simulations=1000, rng=0),
              match="^spread: out of memory while allocating the seeds of 16 simulation blocks")
    assert "Unable to allocate" in str(e)


def test_snapshots_10_to_8_refused_at_once():
    rng = np.random.default_rng(0)
    s, d = rng.integers(0, 300, 2000), rng.integers(0, 300, 2000)
    t = rng.uniform(0, 100, 2000)
    _fast(lambda: TemporalGraph.from_events(s, d, t, snapshots=10**8),
          match=r"^TemporalGraph.from_events: the index of 100,000,000 snapshots x \d+ nodes "
                r"would need .*; use fewer snapshots")
    TG = TemporalGraph.from_events(s, d, t, snapshots=3)
    _fast(lambda: TG.with_snapshots(10**8))
    # an explicit bound: 16 bytes per node and snapshot
    _fast(lambda: TemporalGraph.from_events(s, d, t, snapshots=1000, max_memory=2**20))
    assert TemporalGraph.from_events(s, d, t, snapshots=1000, max_memory=2**30).T == 1000


def test_si_simulations_refused_at_once(TG):
    from infmax.temporal import SIOracle, si_spread

    _fast(lambda: si_spread(TG, [1], beta=0.5, n_simulations=10**12, rng=0),
          match=r"^si_spread: the counts of 1 x 1,000,000,000,000 SI simulations")
    _fast(lambda: si_spread(TG, [1], beta=0.5, n_simulations=1000, rng=0, max_memory=1000))
    oracle = SIOracle(TG, beta=0.5, n_simulations=10**12, rng=0)
    _fast(lambda: oracle(np.array([0], np.int32)), match="^SIOracle: ")


STATIC = [
    ("spread", lambda g: spread(g, [0])),
    ("simulate", lambda g: simulate(g, [0])),
    ("exact_spread", lambda g: exact_spread(g, [0])),
    ("MonteCarloOracle", lambda g: MonteCarloOracle(g)),
    ("sample_world", lambda g: sample_world(g)),
    ("celf", lambda g: im.celf(g, 1)),
    ("celfpp", lambda g: im.celfpp(g, 1)),
    ("greedy", lambda g: im.greedy(g, 1)),
    ("degree", lambda g: H.degree(g, 1)),
    ("random_seeds", lambda g: H.random_seeds(g, 1)),
    ("single_discount", lambda g: H.single_discount(g, 1)),
    ("degree_discount", lambda g: H.degree_discount(g, 1)),
    ("kcore", lambda g: H.kcore(g, 1)),
    ("pagerank", lambda g: H.pagerank(g, 1)),
    ("core_numbers", lambda g: H.core_numbers(g)),
    ("observe", lambda g: im.observability.observe(g, 0.5)),
    ("benchmark", lambda g: im.observability.benchmark(g, trials=1)),
]


@pytest.mark.parametrize("name,call", STATIC, ids=[s[0] for s in STATIC])
def test_static_entry_points_check_the_graph_type(name, call, TG):
    with pytest.raises(InvalidParameterError, match=rf"'G' parameter of {name} .*Got None"):
        call(None)
    with pytest.raises(InvalidParameterError, match="from_networkx"):
        call(nx.karate_club_graph())
    with pytest.raises(InvalidParameterError, match="temporal method"):
        call(TG)


def test_temporal_entry_points_check_the_graph_type(G):
    from infmax.temporal import SIOracle, baselines, si_spread

    calls = [("si_spread", lambda g: si_spread(g, [0], beta=0.1)),
             ("SIOracle", lambda g: SIOracle(g, beta=0.1)),
             ("celf", lambda g: baselines.celf(g, 1, beta=0.1)),
             ("random_seeds", lambda g: baselines.random_seeds(g, 1)),
             ("random_degree", lambda g: baselines.random_degree(g, 1)),
             ("dynamic_degree", lambda g: baselines.dynamic_degree(g, 1, beta=0.1)),
             ("dynamic_degrees", lambda g: baselines.dynamic_degrees(g))]
    for name, call in calls:
        with pytest.raises(InvalidParameterError, match=rf"'TG' parameter of {name} .*"
                                                        "TemporalGraph. Got .*DiGraph"):
            call(G)
        with pytest.raises(InvalidParameterError, match=rf"'TG' parameter of {name}"):
            call(None)
