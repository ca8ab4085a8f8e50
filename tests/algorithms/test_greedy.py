"""Tests of greedy, CELF and CELF++ (infmax.algorithms.oracle_greedy)."""

from __future__ import annotations

import numpy as np
import pytest

import infmax as im
from infmax.algorithms.oracle_greedy import celf, celfpp, greedy
from infmax.exceptions import InvalidParameterError, UnknownNodeError
from infmax.graph import from_edges

METHODS = [greedy, celf, celfpp]


class Coverage:
    """Weighted set coverage f(S) = sum of w over the union of the sets of S (submodular).

    The sum runs over the sorted union, so the value does not depend on the order of S.
    """

    def __init__(self, sets, weights):
        self.sets = sets
        self.w = weights
        self.n_calls = 0

    def __call__(self, ids):
        assert ids.dtype == np.int32
        self.n_calls += 1
        covered = sorted(set().union(*(self.sets[int(u)] for u in ids)))
        return float(sum(self.w[e] for e in covered))


def random_coverage(n, universe, seed, *, integer=False):
    """Random coverage instance; ``integer``: weights in {1, 2, 3} (many exact ties).

    Weights are integers either way so float sums are exact: with arbitrary float weights,
    ``f(S1 + u) - f(S1)`` and ``f(S2 + u) - f(S2)`` can differ in the last bit for the same
    exact gain, the function is then not submodular in floating point, and lazy evaluation
    may legitimately break a tie differently from plain greedy.
    """
    gen = np.random.default_rng(seed)
    sets = [set(gen.choice(universe, int(gen.integers(0, 8)), replace=False).tolist())
            for _ in range(n)]
    w = gen.integers(1, 4 if integer else 1_000_000, universe).astype(float)
    return Coverage(sets, w)


def graph(n, m, seed, p=0.2):
    gen = np.random.default_rng(seed)
    return from_edges(gen.integers(0, n, m), gen.integers(0, n, m), nodes=range(n), weights=p)


def slow_greedy(f, candidates, k):
    """Textbook greedy with ties by lower id (independent of the library code)."""
    S, cur = [], 0.0
    for _ in range(k):
        best = max((u for u in candidates if u not in S),
                   key=lambda u: (f(np.array(S + [u], dtype=np.int32)) - cur, -u))
        S.append(best)
        cur = f(np.array(S, dtype=np.int32))
    return S


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("integer", [False, True])  # integer weights: many exact ties
def test_lazy_variants_equal_plain_greedy_on_coverage(seed, integer):
    n = 40
    G = graph(n, 80, seed)
    k = 12
    ref = slow_greedy(random_coverage(n, 60, seed, integer=integer), range(n), k)
    results = {}
    for method in METHODS:
        f = random_coverage(n, 60, seed, integer=integer)
        res = method(G, k, oracle=f)
        assert list(res.seed_ids) == ref, method.__name__
        assert res.record["oracle_calls"] == f.n_calls
        results[method.__name__] = res
    g, c, cp = results["greedy"], results["celf"], results["celfpp"]
    assert g.record["oracle_calls"] == k * n - k * (k - 1) // 2
    assert c.record["oracle_calls"] <= g.record["oracle_calls"]
    assert c.record["marginal_gains"] == g.record["marginal_gains"]
    assert cp.record["marginal_gains"] == g.record["marginal_gains"]
    assert c.spread == g.spread == cp.spread == g.record["spreads"][-1]
    assert np.all(np.diff(g.record["marginal_gains"]) <= 1e-12)  # submodular: gains shrink


def test_celfpp_reuses_mg2():
    # a chain of nested gains makes prev_best the next seed often
    reuses = 0
    for seed in range(10):
        n = 60
        f = random_coverage(n, 50, 100 + seed)
        res = celfpp(graph(n, 10, seed), 15, oracle=f)
        reuses += res.record["mg2_reuses"]
        assert list(res.seed_ids) == slow_greedy(random_coverage(n, 50, 100 + seed), range(n),
                                                  15)
    assert reuses > 0


def test_exact_spread_oracle():
    diffusion = pytest.importorskip("infmax.diffusion")
    if not hasattr(diffusion, "exact_spread"):
        pytest.skip("infmax.diffusion.exact_spread not available yet")
    G = from_edges([0, 0, 1, 2, 3, 4, 5, 1], [1, 2, 3, 3, 4, 5, 6, 5], weights=0.4)

    def f(ids):
        return diffusion.exact_spread(G, G.node_labels(ids))

    ref = slow_greedy(f, range(G.n), 3)
    for method in METHODS:
        assert list(method(G, 3, oracle=f).seed_ids) == ref


def test_default_monte_carlo_oracle():
    diffusion = pytest.importorskip("infmax.diffusion")
    if not hasattr(diffusion, "MonteCarloOracle"):
        pytest.skip("infmax.diffusion.MonteCarloOracle not available yet")
    G = graph(30, 90, 3, p=0.3)
    # common random numbers: each oracle is an average of coverage functions, hence submodular
    # and deterministic, so all three agree exactly
    res = [m(G, 4, n_simulations=200, rng=5) for m in METHODS]
    assert res[0].seeds == res[1].seeds == res[2].seeds
    assert res[0].params["n_simulations"] == 200 and res[0].params["oracle"] == "MonteCarloOracle"
    assert res[0].spread == pytest.approx(res[1].spread)
    assert res[1].record["oracle_calls"] <= res[0].record["oracle_calls"]


@pytest.mark.parametrize("method", METHODS)
def test_candidates_respected(method):
    n = 30
    G = from_edges(np.arange(n) * 10, (np.arange(n) * 10 + 10) % (n * 10))  # labels 0,10,...
    f = random_coverage(n, 40, 7)
    cand_labels = [20, 50, 70, 110, 250, 280]
    res = method(G, 4, oracle=f, candidates=cand_labels)
    assert set(res.seeds) <= set(cand_labels)
    ids = G.node_ids(cand_labels).tolist()
    assert list(res.seed_ids) == slow_greedy(random_coverage(n, 40, 7), sorted(ids), 4)
    mask = np.zeros(n, dtype=bool)
    mask[ids] = True
    assert method(G, 4, oracle=random_coverage(n, 40, 7), candidates=mask).seeds == res.seeds
    assert res.record["plain_greedy_calls"] == 4 * 6 - 6


@pytest.mark.parametrize("method", METHODS)
def test_labels_and_result(method):
    G = from_edges(["a", "b", "c"], ["b", "c", "d"])
    f = Coverage([{0, 1}, {1}, {2, 3}, {3}], np.ones(4))
    res = method(G, 2, oracle=f)
    assert res.seeds == ("a", "c") and res.algorithm == method.__name__
    assert "total" in res.timings and "oracle" in res.timings
    assert res.record["marginal_gains"] == [2.0, 2.0]


@pytest.mark.parametrize("method", METHODS)
def test_keyboard_interrupt_propagates(method):
    G = graph(10, 20, 1)
    calls = []

    def oracle(ids):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return float(len(ids))

    with pytest.raises(KeyboardInterrupt):
        method(G, 3, oracle=oracle)


@pytest.mark.parametrize("method", METHODS)
def test_progress_on_stderr(method, capsys, monkeypatch):
    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    G = graph(10, 20, 1)
    method(G, 2, oracle=random_coverage(10, 10, 1), progress=True)
    out, err = capsys.readouterr()
    assert out == "" and method.__name__ in err and "2/2" in err


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("k", [0, -2, 11, 1.5])
def test_bad_k(method, k):
    with pytest.raises(InvalidParameterError) as e:
        method(graph(10, 20, 1), k, oracle=random_coverage(10, 10, 1))
    assert e.value.param == "k" and method.__name__ in str(e.value) and repr(k) in str(e.value)


@pytest.mark.parametrize("method", METHODS)
def test_bad_oracle(method):
    G = graph(10, 20, 1)
    with pytest.raises(InvalidParameterError) as e:
        method(G, 2, oracle="mc")
    assert e.value.param == "oracle" and "'mc'" in str(e.value)
    with pytest.raises(InvalidParameterError) as e:
        method(G, 2, oracle=lambda ids: float("nan"))
    assert e.value.param == "oracle" and "nan" in str(e.value)


@pytest.mark.parametrize("method", METHODS)
def test_bad_candidates(method):
    G = graph(10, 20, 1)
    f = random_coverage(10, 10, 1)
    with pytest.raises(UnknownNodeError, match="'candidates'.*99"):
        method(G, 1, oracle=f, candidates=[1, 99])
    with pytest.raises(InvalidParameterError, match="candidates \\(2\\). Got 3"):
        method(G, 3, oracle=f, candidates=[1, 2])


@pytest.mark.parametrize("method", METHODS)
def test_bad_n_simulations(method):
    with pytest.raises(InvalidParameterError) as e:
        method(graph(10, 20, 1), 2, n_simulations=0)
    assert e.value.param == "n_simulations" and "Got 0" in str(e.value)


def test_top_level_names():
    G = graph(8, 16, 2)
    f = random_coverage(8, 10, 2)
    for name in ("greedy", "celf", "celfpp"):
        # twice: the second access happens after the submodule is imported
        assert im.__getattr__(name)(G, 2, oracle=f).seeds == im.__getattr__(name)(
            G, 2, oracle=f).seeds
