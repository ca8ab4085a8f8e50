"""The SpreadOracle protocol: the greedy family consumes any oracle (exact, Monte Carlo, SI)."""

from __future__ import annotations

import heapq
import itertools

import numpy as np
import pytest

import infmax as im
from infmax.algorithms.oracle_greedy import celf, celfpp, greedy
from infmax.diffusion import BatchSpreadOracle, MonteCarloOracle, SpreadOracle, evaluate_many
from infmax.exceptions import InvalidParameterError
from infmax.graph.temporal import TemporalGraph
from infmax.temporal import SIOracle

METHODS = [greedy, celf, celfpp]


class ExactOracle:
    """Exact expected IC spread by live-edge enumeration (a tiny graph), with a batch form."""

    def __init__(self, G):
        self.G = G
        self.n = G.n
        self.calls = 0
        self.batches = []

    def __call__(self, ids):
        self.calls += 1
        return im.exact_spread(self.G, self.G.node_labels(ids))

    def batch(self, sets):
        self.batches.append(len(sets))
        return np.array([self(s) for s in sets])


def tiny_graph(seed):
    gen = np.random.default_rng(seed)
    src, dst = gen.integers(0, 7, 10), gen.integers(0, 7, 10)
    keep = src != dst
    return im.graph.from_edges(src[keep], dst[keep], nodes=range(7),
                               probs=gen.uniform(0.1, 0.9, int(keep.sum())), weights="file")


def textbook_greedy(f, n, k):
    S, cur = [], 0.0
    for _ in range(k):
        best = max((u for u in range(n) if u not in S),
                   key=lambda u: (f(np.array(S + [u], dtype=np.int32)) - cur, -u))
        S.append(best)
        cur = f(np.array(S, dtype=np.int32))
    return S


def test_protocol_membership():
    G = tiny_graph(0)
    assert isinstance(ExactOracle(G), BatchSpreadOracle)
    mc = MonteCarloOracle(G, n_simulations=64, rng=1)
    assert isinstance(mc, BatchSpreadOracle) and mc.n == G.n
    TG = TemporalGraph.from_events([1, 2], [2, 3], [0, 1], snapshots=2)
    si = SIOracle(TG, beta=0.5, n_simulations=64, rng=1)
    assert isinstance(si, BatchSpreadOracle) and si.n == TG.n == 3
    assert not isinstance(lambda ids: 1.0, SpreadOracle)  # no n: a plain callable


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
def test_greedy_family_with_an_exact_oracle(method, seed):
    G = tiny_graph(seed)
    f = ExactOracle(G)
    res = method(G, 3, oracle=f)
    assert list(res.seed_ids) == textbook_greedy(ExactOracle(G), G.n, 3)
    assert res.spread == pytest.approx(im.exact_spread(G, res.seeds))
    assert res.record["oracle_calls"] == f.calls


def test_greedy_and_celf_use_the_batch_form():
    G = tiny_graph(1)
    f = ExactOracle(G)
    greedy(G, 2, oracle=f)
    assert f.batches == [7, 6]  # one batch per round over the remaining candidates
    f = ExactOracle(G)
    celf(G, 2, oracle=f)
    assert f.batches[0] == 7  # the first pass: every singleton in one batch


def test_celf_matches_brute_force_where_greedy_is_optimal():
    # two disjoint stars: greedy picks both centres, the optimum
    G = im.graph.from_edges([0, 0, 0, 4, 4], [1, 2, 3, 5, 6], nodes=range(7), weights=0.5)
    best = max(itertools.combinations(range(7), 2),
               key=lambda s: im.exact_spread(G, list(s)))
    assert set(celf(G, 2, oracle=ExactOracle(G)).seed_ids.tolist()) == set(best)


def test_oracle_of_another_graph_is_rejected():
    G, H = tiny_graph(0), im.graph.from_edges([0], [1], weights=0.5)
    for method in METHODS:
        with pytest.raises(InvalidParameterError,
                           match=rf"'oracle' parameter of {method.__name__} .*n=7 nodes. "
                                 r"Got 'ExactOracle with n=2'"):
            method(G, 1, oracle=ExactOracle(H))


def test_batch_with_wrong_length_is_rejected():
    class Bad(ExactOracle):
        def batch(self, sets):
            return np.zeros(len(sets) - 1)

    G = tiny_graph(0)
    with pytest.raises(InvalidParameterError, match="'oracle' parameter of celf.*one value per "
                                                    "set. Got 'Bad.batch giving 6 values for 7"):
        celf(G, 1, oracle=Bad(G))


def test_batch_with_nan_is_rejected():
    class Nan(ExactOracle):
        def batch(self, sets):
            return np.full(len(sets), np.nan)

    with pytest.raises(InvalidParameterError, match="finite floats. Got nan"):
        greedy(tiny_graph(0), 1, oracle=Nan(tiny_graph(0)))


def test_evaluate_many_without_batch_calls_one_by_one():
    sets = [np.array([0], np.int32), np.array([0, 1], np.int32)]
    assert evaluate_many(lambda ids: float(len(ids)), sets).tolist() == [1.0, 2.0]
    assert evaluate_many(lambda ids: 0.0, []).shape == (0,)


def test_monte_carlo_batch_equals_single_calls():
    G = tiny_graph(2)
    f = MonteCarloOracle(G, n_simulations=300, rng=5)
    sets = [np.array(s, np.int32) for s in ([0], [1, 2], [3, 4, 5])]
    assert f.batch(sets).tolist() == [f(s) for s in sets]
    assert f.n_calls == 6


def test_si_batch_equals_single_calls_for_the_same_rng():
    TG = _temporal(3)
    sets = [np.array(s, np.int32) for s in ([0], [1, 2], [3, 4, 5], [6])]
    a = SIOracle(TG, beta=0.3, n_simulations=100, rng=9).batch(sets)
    one = SIOracle(TG, beta=0.3, n_simulations=100, rng=9)
    assert a.tolist() == [one(s) for s in sets]


def _temporal(seed, n=25, events=120):
    r = np.random.default_rng(seed)
    src, dst, t = r.integers(0, n, events), r.integers(0, n, events), r.integers(0, 6, events)
    keep = src != dst
    return TemporalGraph.from_events(src[keep], dst[keep], t[keep], snapshots=4)


def handrolled_si_celf(TG, k, beta, n_simulations, rng):
    """The CELF loop temporal/baselines.py had before it used algorithms.celf."""
    oracle = SIOracle(TG, beta=beta, n_simulations=n_simulations, rng=rng)
    single = oracle.many([np.array([v], np.int32) for v in range(TG.n)])
    heap = [(-e.mean, v, 0) for v, e in enumerate(single)]
    heapq.heapify(heap)
    S, gains, cum = [], [], 0.0
    for rnd in range(k):
        while True:
            neg, v, stamp = heapq.heappop(heap)
            if stamp == rnd:
                break
            g = oracle(np.array(S + [v], np.int32)) - cum
            heapq.heappush(heap, (-g, v, rnd))
        S.append(v)
        gains.append(-neg)
        cum += -neg
    return S, gains, oracle.n_calls


@pytest.mark.parametrize("seed", range(4))
def test_temporal_celf_is_algorithms_celf_with_the_si_oracle(seed):
    TG = _temporal(seed)
    res = im.temporal.celf(TG, 4, beta=0.3, n_simulations=50, rng=seed)
    S, gains, calls = handrolled_si_celf(TG, 4, 0.3, 50, np.random.default_rng(seed))
    assert res.seed_ids.tolist() == S
    assert res.record["marginal_gains"] == pytest.approx(gains, abs=1e-12)
    assert res.record["oracle_calls"] == calls
    # the same through algorithms.celf given the SI oracle and the TemporalGraph
    direct = celf(TG, 4, oracle=SIOracle(TG, beta=0.3, n_simulations=50, rng=seed))
    assert direct.seeds == res.seeds and direct.params["oracle"] == "SIOracle"


def test_temporal_graph_needs_an_oracle():
    TG = _temporal(0)
    with pytest.raises(InvalidParameterError, match="'G' parameter of celf must be an infmax "
                                                    "DiGraph"):
        celf(TG, 2)


def test_rr_set_oracle_drives_celf_like_max_coverage():
    """The RR-set oracle is a coverage function: CELF over it picks greedy max coverage's seeds
    and its value is the collection's estimate."""
    import numpy as np
    import pytest

    import infmax as im
    from infmax.algorithms.coverage import max_coverage
    from infmax.diffusion.oracle import SpreadOracle
    from infmax.exceptions import InvalidParameterError
    from infmax.sampling import RRSetOracle, sample_rr_sets

    r = np.random.default_rng(3)
    G = im.from_edges(r.integers(0, 60, 240), r.integers(0, 60, 240), weights="wc")
    R = sample_rr_sets(G, 4000, rng=5)
    oracle = RRSetOracle(R)
    assert isinstance(oracle, SpreadOracle) and oracle.n == G.n
    cov = max_coverage(R, 5)
    res = im.celf(G, 5, oracle=oracle)
    assert list(res.seed_ids) == list(cov.seed_ids)
    assert oracle(cov.seed_ids) == pytest.approx(R.estimate(cov.seed_ids).mean)
    assert oracle.batch([cov.seed_ids[:1], cov.seed_ids]).tolist() == [
        oracle(cov.seed_ids[:1]), oracle(cov.seed_ids)]
    with pytest.raises(InvalidParameterError, match="'R' parameter of RRSetOracle"):
        RRSetOracle(G)
