"""Public diffusion API: exact enumeration, closed forms, Monte Carlo intervals, validation."""

import itertools

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import infmax as im
from infmax.diffusion import (
    MonteCarloOracle,
    TriggeringModel,
    exact_spread,
    n_worlds,
    resolve_model,
    simulate,
    spread,
    spread_ids,
)
from infmax.exceptions import InvalidParameterError, UnknownNodeError


# ------------------------------------------------------------------ independent brute force
def _reach(n, arcs, seeds):
    adj = {u: [] for u in range(n)}
    for u, v in arcs:
        adj[u].append(v)
    seen, stack = set(seeds), list(seeds)
    while stack:
        u = stack.pop()
        for v in adj[u]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


def brute_ic(G, seeds, w):
    """(expected spread, expected weighted spread) over all 2^m arc subsets."""
    arcs = list(zip(G.sources.tolist(), G.indices.tolist()))
    p = G.probs.tolist()
    total = wtotal = 0.0
    for mask in itertools.product((0, 1), repeat=len(arcs)):
        pr = 1.0
        for bit, q in zip(mask, p):
            pr *= q if bit else 1 - q
        live = [a for a, bit in zip(arcs, mask) if bit]
        r = _reach(G.n, live, seeds)
        total += pr * len(r)
        wtotal += pr * sum(w[v] for v in r)
    return total, wtotal


def brute_lt(G, seeds, w=None):
    per_node = []
    for v in range(G.n):
        ch = []
        for e in range(G.m):
            if G.indices[e] == v:
                ch.append(((int(G.sources[e]), v), float(G.probs[e])))
        ch.append((None, 1.0 - sum(b for _, b in ch)))
        per_node.append(ch)
    total = 0.0
    for choice in itertools.product(*per_node):
        pr = float(np.prod([b for _, b in choice]))
        live = [a for a, _ in choice if a is not None]
        r = _reach(G.n, live, seeds)
        total += pr * (len(r) if w is None else sum(w[v] for v in r))
    return total


def small_graphs():
    r = np.random.default_rng(2024)
    out = [im.graph.from_edges([0, 1, 2, 0], [1, 2, 3, 2], directed=True, weights=0.4)]
    for n, m in ((5, 8), (6, 12), (7, 15), (8, 14)):
        src, dst = r.integers(0, n, 3 * m), r.integers(0, n, 3 * m)
        keep = src != dst
        pairs = list(dict.fromkeys(zip(src[keep].tolist(), dst[keep].tolist())))[:m]
        G = im.graph.from_edges([a for a, _ in pairs], [b for _, b in pairs], directed=True,
                                weights="wc", nodes=range(n))
        assert G.m <= 15
        out.append(G.reweight(r.uniform(0.05, 0.95, G.m)))
    return out


GRAPHS = small_graphs()


@pytest.mark.parametrize("gi", range(len(GRAPHS)))
def test_exact_spread_ic_equals_brute_force(gi):
    G = GRAPHS[gi]
    w = np.random.default_rng(gi).random(G.n)
    for seeds in ([0], [G.n - 1, 2]):
        want, wwant = brute_ic(G, seeds, w)
        assert exact_spread(G, seeds) == pytest.approx(want, abs=1e-12)
        assert exact_spread(G, seeds, node_weights=w) == pytest.approx(wwant, abs=1e-12)
        assert exact_spread(G, seeds, model=TriggeringModel.ic(G)) == pytest.approx(
            want, abs=1e-12)


@pytest.mark.parametrize("gi", range(len(GRAPHS)))
def test_exact_spread_lt_equals_brute_force(gi):
    G = im.graph.normalize_lt(GRAPHS[gi].reweight("wc").reweight(
        np.random.default_rng(gi).uniform(0.1, 0.9, GRAPHS[gi].m)))
    for seeds in ([0], [1, 3]):
        assert exact_spread(G, seeds, model="lt") == pytest.approx(brute_lt(G, seeds),
                                                                   abs=1e-12)
        assert exact_spread(G, seeds, model=TriggeringModel.lt(G)) == pytest.approx(
            brute_lt(G, seeds), abs=1e-12)


def test_closed_forms_path_and_star():
    p = 0.3
    path = im.graph.from_edges([0, 1, 2, 3], [1, 2, 3, 4], directed=True, weights=p)
    assert exact_spread(path, [0]) == pytest.approx(sum(p ** i for i in range(5)))
    # LT on a path: each node has one in-arc of weight p, same live-edge law as IC
    assert exact_spread(path, [0], model="lt") == pytest.approx(sum(p ** i for i in range(5)))
    star = im.graph.from_edges([0] * 6, range(1, 7), directed=True, weights=p)
    assert exact_spread(star, [0]) == pytest.approx(1 + 6 * p)
    # in-star: node 0 has 3 seeds as in-neighbours; IC 1-(1-p)^3, LT sum of weights
    ins = im.graph.from_edges([1, 2, 3], [0, 0, 0], directed=True, weights=p)
    assert exact_spread(ins, [1, 2, 3]) == pytest.approx(3 + 1 - (1 - p) ** 3)
    assert exact_spread(ins, [1, 2, 3], model="lt") == pytest.approx(3 + 3 * p)
    # undirected edge = two arcs: 0 -- 1 with p, seed 0
    und = im.graph.from_edges([0], [1], directed=False, weights=p)
    assert exact_spread(und, [0]) == pytest.approx(1 + p)


def test_custom_triggering_closed_form():
    G = im.graph.from_edges([0, 1, 0], [2, 2, 1], directed=True, weights=0.5)
    M = TriggeringModel.custom(G, {2: [([0, 1], 0.3), ([1], 0.2)]})
    # P(1) = 0.5 (IC arc); P(2) = 0.3 + 0.2 * P(1)
    assert exact_spread(G, [0], model=M) == pytest.approx(1 + 0.5 + 0.4)
    assert exact_spread(G, [1], model=M) == pytest.approx(1 + 0.5)
    assert n_worlds(G, M) == 2 * 3


def _mc_models(G):
    Glt = im.graph.normalize_lt(G)
    tables = {}
    for v in range(G.n):
        nb = G.in_neighbors(v)
        if len(nb) >= 2:
            tables[G.labels[v].item()] = [(G.node_labels(nb[:2]), 0.4),
                                          (G.node_labels(nb[-1:]), 0.3)]
    custom = TriggeringModel.custom(Glt, tables, default="lt")
    return [(G, "ic"), (Glt, "lt"), (G, TriggeringModel.ic(G)), (Glt, TriggeringModel.lt(Glt)),
            (Glt, custom)]


@pytest.mark.parametrize("gi", [1, 3, 4])
def test_monte_carlo_inside_its_interval(gi):
    seeds = GRAPHS[gi].node_labels(np.argsort(-GRAPHS[gi].out_degree, kind="stable")[:2])
    for k, (G, model) in enumerate(_mc_models(GRAPHS[gi])):
        w = np.random.default_rng(k).random(G.n)
        for nw in (None, w):
            ex = exact_spread(G, seeds, model=model, node_weights=nw)
            est = spread(G, seeds, model=model, n_simulations=20_000, rng=100 + k,
                         node_weights=nw)
            assert est.stderr > 0
            assert abs(est.mean - ex) <= 4 * est.stderr, (k, est, ex)
            assert est.n_simulations == 20_000


def test_determinism_across_thread_counts_and_rng_forms():
    G = im.graph.from_edges(*np.random.default_rng(0).integers(0, 200, (2, 1500)),
                            directed=True, weights="wc")
    M = TriggeringModel.lt(G)
    old = numba.get_num_threads()
    for model in ("ic", "lt", M):
        a = spread(G, [1, 2, 3], model=model, n_simulations=5000, rng=7, n_threads=1)
        assert numba.get_num_threads() == old  # restored
        b = spread(G, [1, 2, 3], model=model, n_simulations=5000, rng=7, n_threads=2)
        numba.set_num_threads(1)
        try:
            c = spread(G, [1, 2, 3], model=model, n_simulations=5000,
                       rng=np.random.default_rng(7))
        finally:
            numba.set_num_threads(old)
        assert a.mean == b.mean == c.mean and a.stderr == b.stderr == c.stderr
    assert spread(G, [1], rng=1).mean != spread(G, [1], rng=2).mean


def test_duplicate_seeds_count_once_and_empty_seed_set():
    G = GRAPHS[2]
    a = spread(G, [0, 1], n_simulations=500, rng=3)
    b = spread(G, [0, 1, 0, 1], n_simulations=500, rng=3)
    assert a.mean == b.mean
    assert exact_spread(G, [0, 0]) == exact_spread(G, [0])
    assert spread(G, [], n_simulations=10, rng=0).mean == 0.0


def test_spread_ids_and_oracle():
    G = GRAPHS[3]
    ex = exact_spread(G, [0, 1])
    e = spread_ids(G, np.array([0, 1], dtype=np.int32), model="ic", n_simulations=20_000,
                   rng=5)
    assert abs(e.mean - ex) <= 4 * e.stderr
    f = MonteCarloOracle(G, n_simulations=20_000, rng=9)
    v1, v2 = f(np.array([0, 1], dtype=np.int32)), f([0, 1])
    assert v1 == v2 and f.n_calls == 2  # common random numbers: deterministic
    est = f.estimate([0, 1])
    assert abs(est.mean - ex) <= 4 * est.stderr
    g = MonteCarloOracle(G, n_simulations=2000, rng=9, common_random_numbers=False)
    assert g([0, 1]) != g([0, 1])
    # CRN makes the oracle monotone on nested sets in this sample
    assert f([0]) <= f([0, 1]) <= f([0, 1, 2])


def test_simulate_steps_follow_arcs_and_labels():
    G = im.graph.from_edges(["a", "b", "c", "a"], ["b", "c", "d", "d"], directed=True,
                            weights=1.0)
    c = simulate(G, ["a"], rng=0)
    assert c.labels == ("a", "b", "d", "c") and c.steps.tolist() == [0, 1, 1, 2]
    assert c.by_step() == [["a"], ["b", "d"], ["c"]] and c.n_steps == 2 and len(c) == 4
    assert c.to_dict()["size"] == 4
    H = im.graph.from_edges(*np.random.default_rng(1).integers(0, 60, (2, 300)), directed=True,
                            weights="wc")
    for model in ("ic", "lt", TriggeringModel.ic(H)):
        for r in range(10):
            cas = simulate(H, [0, 5], model=model, rng=r)
            step = dict(zip(cas.ids.tolist(), cas.steps.tolist()))
            for v, s in step.items():
                if s > 0:  # some in-neighbour activated one step earlier
                    assert any(step.get(u) == s - 1 for u in H.in_neighbors(v).tolist())
            if model == "lt":  # LT: the active in-weight of every activated node is > 0
                for v, s in step.items():
                    if s > 0:
                        assert sum(1 for u in H.in_neighbors(v).tolist() if u in step) > 0
    # one cascade's size has the spread as its mean
    sizes = [len(simulate(H, [0, 5], rng=r)) for r in range(300)]
    est = spread(H, [0, 5], n_simulations=20_000, rng=1)
    assert abs(np.mean(sizes) - est.mean) <= 4 * np.std(sizes) / np.sqrt(300) + 4 * est.stderr


def test_progress_and_keyboard_interrupt(monkeypatch, capsys):
    monkeypatch.delenv("INFMAX_PROGRESS", raising=False)
    G = GRAPHS[4]
    spread(G, [0], n_simulations=3000, rng=0, progress=True)
    assert "spread" in capsys.readouterr().err
    import infmax._progress as prog

    calls = {"n": 0}

    def boom(self, n=1):
        calls["n"] += 1
        raise KeyboardInterrupt

    monkeypatch.setattr(prog.Progress, "update", boom)
    old = numba.get_num_threads()
    with pytest.raises(KeyboardInterrupt):
        spread(G, [0], n_simulations=100_000, rng=0, progress=True, n_threads=1)
    assert calls["n"] == 1 and numba.get_num_threads() == old


# ------------------------------------------------------------------ bad input
def test_bad_input_messages():
    G = GRAPHS[1]
    with pytest.raises(InvalidParameterError, match=r"'model' parameter of spread.*'ic', 'lt'"
                                                    r".*Got 'sir'"):
        spread(G, [0], model="sir")
    for bad in (0, -5, 1.5, True, "10"):
        with pytest.raises(InvalidParameterError, match="'n_simulations' parameter of spread"):
            spread(G, [0], n_simulations=bad)
    with pytest.raises(UnknownNodeError, match="'seeds' parameter of spread.*999"):
        spread(G, [0, 999])
    with pytest.raises(InvalidParameterError, match="'node_weights'.*length"):
        spread(G, [0], node_weights=np.ones(G.n + 1))
    with pytest.raises(InvalidParameterError, match="'node_weights'.*non-negative.*-1"):
        spread(G, [0], node_weights=-np.ones(G.n))
    with pytest.raises(InvalidParameterError, match="'node_weights'"):
        spread(G, [0], node_weights=np.full(G.n, np.nan))
    with pytest.raises(InvalidParameterError, match="'n_threads'"):
        spread(G, [0], n_threads=0)
    with pytest.raises(InvalidParameterError, match="'rng'"):
        spread(G, [0], rng=-1)
    heavy = im.graph.from_edges([0, 1], [2, 2], directed=True, weights=0.8)
    for f in (lambda: spread(heavy, [0], model="lt"),
              lambda: exact_spread(heavy, [0], model="lt"),
              lambda: simulate(heavy, [0], model="lt"),
              lambda: MonteCarloOracle(heavy, model="lt")):
        with pytest.raises(InvalidParameterError, match="lt"):
            f()
    with pytest.raises(InvalidParameterError, match="TriggeringModel"):
        TriggeringModel.lt(heavy)
    big = im.graph.from_edges(np.arange(30), np.arange(1, 31), directed=True, weights=0.5)
    with pytest.raises(InvalidParameterError, match="exact_spread.*worlds"):
        exact_spread(big, [0])
    other = TriggeringModel.ic(GRAPHS[2])
    with pytest.raises(InvalidParameterError, match="another graph"):
        spread(G, [0], model=other)
    with pytest.raises(InvalidParameterError, match="'n_simulations' parameter of Monte"):
        MonteCarloOracle(G, n_simulations=0)
    with pytest.raises(UnknownNodeError, match="simulate"):
        simulate(G, ["zz"])
    with pytest.raises(InvalidParameterError, match="tables"):
        TriggeringModel.custom(G, {1: [([0], 0.7), ([0], 0.7)]})
    assert resolve_model("IC", G) == "ic"


def test_float32_probabilities_give_the_same_coins_as_their_float64_values():
    r = np.random.default_rng(3)
    src, dst = r.integers(0, 50, 200), r.integers(0, 50, 200)
    G32 = im.graph.from_edges(src, dst, directed=True, weights="trivalency", dtype=np.float32,
                              rng=1)
    assert G32.probs.dtype == np.float32
    G64 = G32.reweight(G32.probs.astype(np.float64))
    for model in ("ic", "lt"):
        H32 = G32 if model == "ic" else im.graph.normalize_lt(G32)
        H64 = H32.reweight(H32.probs.astype(np.float64))
        a = spread(H32, [0, 1], model=model, n_simulations=2000, rng=4)
        b = spread(H64, [0, 1], model=model, n_simulations=2000, rng=4)
        assert (a.mean, a.stderr) == (b.mean, b.stderr)
    assert np.array_equal(im.diffusion.sample_world(G32, rng=2).live,
                          im.diffusion.sample_world(G64, rng=2).live)


def test_simulate_is_reproducible():
    G = GRAPHS[3]
    a, b = simulate(G, [0], rng=11), simulate(G, [0], rng=11)
    assert a.labels == b.labels and a.steps.tolist() == b.steps.tolist()


# ------------------------------------------------------------------ property tests


@st.composite
def tiny_graphs(draw):
    n = draw(st.integers(2, 6))
    arcs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                         min_size=1, max_size=9, unique=True).filter(
        lambda a: any(u != v for u, v in a)))
    arcs = [(u, v) for u, v in arcs if u != v]
    p = draw(st.lists(st.floats(0.0, 1.0), min_size=len(arcs), max_size=len(arcs)))
    G = im.graph.from_edges([u for u, _ in arcs], [v for _, v in arcs], directed=True,
                            weights="wc", nodes=range(n))
    return G.reweight(np.array(p, dtype=np.float64))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(G=tiny_graphs(), data=st.data())
def test_property_exact_ic_matches_brute_force_and_is_monotone_submodular(G, data):
    seeds = data.draw(st.lists(st.integers(0, G.n - 1), min_size=1, max_size=3, unique=True))
    w = np.ones(G.n)
    want, _ = brute_ic(G, seeds, w)
    got = exact_spread(G, seeds)
    assert got == pytest.approx(want, abs=1e-9)
    assert len(seeds) - 1e-9 <= got <= G.n + 1e-9
    x = data.draw(st.integers(0, G.n - 1))
    y = data.draw(st.integers(0, G.n - 1))
    a = exact_spread(G, seeds[:1])
    ax = exact_spread(G, seeds[:1] + [x])
    axy = exact_spread(G, seeds[:1] + [x, y])
    ay = exact_spread(G, seeds[:1] + [y])
    assert a <= ax + 1e-9 and ax <= axy + 1e-9  # monotone
    assert ax - a >= axy - ay - 1e-9  # submodular: gain of x shrinks when y is added
