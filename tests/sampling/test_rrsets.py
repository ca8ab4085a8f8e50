"""RR-set sampling: kernel vs pure-Python twin, distributions, estimates, memory, threads."""

import bisect
import math

import numba
import numpy as np
import pytest
from scipy import stats

import infmax as im
from conftest import Coins, assert_parallel_equals_serial, random_graph
from infmax._kernels import reverse as _rev
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.graph import from_edges
from infmax.random import block_seeds, n_blocks_for
from infmax.sampling import BLOCK_SIZE, RRSets, sample_rr_sets

exact_spread = im.diffusion.exact_spread


# -- graphs ----------------------------------------------------------------------------------

def reach_to(G, root):
    """Nodes that reach ``root`` through arcs of positive probability."""
    seen = {root}
    stack = [root]
    while stack:
        v = stack.pop()
        for j in range(G.rindptr[v], G.rindptr[v + 1]):
            u = int(G.rindices[j])
            if G.rprobs[j] > 0 and u not in seen:
                seen.add(u)
                stack.append(u)
    return seen


# -- pure-Python twin --------------------------------------------------------------------------

def python_modes(G, lt):
    """Mode per node computed independently of the kernel."""
    modes = []
    for v in range(G.n):
        p = [float(x) for x in G.rprobs[G.rindptr[v]:G.rindptr[v + 1]]]
        if not p or max(p) <= 0:
            modes.append(3)
        elif lt:
            modes.append(1 if len(set(p)) == 1 else 0)
        elif min(p) >= 1.0:
            modes.append(2)
        elif len(set(p)) == 1:
            modes.append(1)
        else:
            modes.append(0)
    return modes


def twin_sample(G, n_sets, rng, *, lt=False, node_weights=None):
    """Slow twin of sample_rr_sets (same block seeds, same coins); returns (sets, roots)."""
    modes = python_modes(G, lt)
    _, _, tab = _rev.node_modes(G.n, G.rindptr, np.asarray(G.rprobs, float), lt)
    if node_weights is not None:
        support, aprob, alias = _rev.build_alias(np.asarray(node_weights, float))
    nb = n_blocks_for(n_sets, BLOCK_SIZE)
    seeds = block_seeds(np.random.default_rng(rng), nb)
    rind, rptr, rp = G.rindices, G.rindptr, G.rprobs
    sets, roots = [], []
    for b in range(nb):
        st = Coins(seeds[b])
        for _ in range(b * BLOCK_SIZE, min((b + 1) * BLOCK_SIZE, n_sets)):
            if node_weights is None:
                r = st.below(G.n)
            else:
                x = st.next() * support.shape[0]
                j = min(int(x), support.shape[0] - 1)
                if x - j >= aprob[j]:
                    j = alias[j]
                r = int(support[j])
            S, vis = [r], {r}
            if lt:
                v = r
                while modes[v] != 3:
                    s, e = rptr[v], rptr[v + 1]
                    u = st.next()
                    if modes[v] == 1:
                        q = u / rp[s]
                        if q >= e - s:
                            break
                        j = s + int(q)
                    else:
                        if u >= tab[e - 1]:
                            break
                        j = s + bisect.bisect_right(list(tab[s:e]), u)
                    w = int(rind[j])
                    if w in vis:
                        break
                    vis.add(w)
                    S.append(w)
                    v = w
            else:
                head = 0
                while head < len(S):
                    v = S[head]
                    head += 1
                    s, e = rptr[v], rptr[v + 1]
                    fired = []
                    if modes[v] == 1:
                        d = e - s
                        u = st.next()
                        c = 0
                        while c < d and u >= tab[s + c]:
                            c += 1
                        chosen = []
                        for jj in range(d - c, d):
                            t = st.below(jj + 1)
                            chosen.append(jj if t in chosen else t)
                        fired = [s + t for t in chosen]
                    elif modes[v] == 0:
                        fired = [j for j in range(s, e) if st.next() < rp[j]]
                    elif modes[v] == 2:
                        fired = list(range(s, e))
                    for j in fired:
                        w = int(rind[j])
                        if w not in vis:
                            vis.add(w)
                            S.append(w)
            sets.append(S)
            roots.append(r)
    return sets, roots


def as_lists(R):
    return [R[i].tolist() for i in range(len(R))]


# -- tests -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lt", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_matches_twin(lt, seed):
    G = random_graph(seed, n=12, m=30, lt=lt)
    n_sets = BLOCK_SIZE + 300  # two blocks
    R = sample_rr_sets(G, n_sets, model="lt" if lt else "ic", rng=seed)
    sets, roots = twin_sample(G, n_sets, seed, lt=lt)
    assert R.roots.tolist() == roots
    assert as_lists(R) == sets


def test_kernel_matches_twin_weighted_roots_and_high_degree():
    g = np.random.default_rng(5)
    n = 40
    src = np.concatenate([np.arange(1, n), g.integers(0, n, 60)])
    dst = np.concatenate([np.zeros(n - 1, int), g.integers(0, n, 60)])
    G = from_edges(src, dst, directed=True, weights="uniform:0.2")
    w = g.random(G.n) * (g.random(G.n) < 0.5)
    w[0] = 3.0
    R = sample_rr_sets(G, 1500, rng=9, node_weights=w)
    sets, roots = twin_sample(G, 1500, 9, node_weights=w)
    assert as_lists(R) == sets
    assert R.roots.tolist() == roots
    assert np.all(w[R.roots] > 0)


def test_binomial_table():
    G = from_edges(np.arange(1, 31), np.zeros(30, int), directed=True, weights="uniform:0.13")
    mode, pcom, tab = _rev.node_modes(G.n, G.rindptr, np.asarray(G.rprobs, float), False)
    v = G.node_ids([0])[0]
    assert mode[v] == 1
    s = G.rindptr[v]
    np.testing.assert_allclose(tab[s:s + 30], stats.binom.cdf(np.arange(30), 30, 0.13),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("p", [0.03, 0.13, 0.6])
def test_subset_sampling_distribution(p):
    """Subset sampling of a hub's 30 in-arcs: count ~ Binomial(30, p), each arc w.p. p,
    pairs w.p. p^2 (the per-arc coin distribution)."""
    d = 30
    G = from_edges(np.arange(1, d + 1), np.zeros(d, int), directed=True, weights=p)
    w = np.zeros(G.n)
    w[G.node_ids([0])[0]] = 1.0  # every root is the hub
    theta = 40_000
    R = sample_rr_sets(G, theta, rng=11, node_weights=w)
    sizes = np.diff(R.offsets) - 1
    obs = np.bincount(sizes, minlength=d + 1)
    exp = stats.binom.pmf(np.arange(d + 1), d, p) * theta
    keep = exp >= 5  # pool the sparse tails for the chi-square test
    o = np.append(obs[keep], obs[~keep].sum())
    e = np.append(exp[keep], exp[~keep].sum())
    if e[-1] == 0:
        o, e = o[:-1], e[:-1]
    e *= o.sum() / e.sum()
    assert stats.chisquare(o, e).pvalue > 1e-4
    member = np.zeros((theta, G.n), dtype=bool)
    rows = np.repeat(np.arange(theta), np.diff(R.offsets))
    member[rows, R.nodes] = True
    freq = member[:, 1:].mean(axis=0)  # per in-neighbour inclusion
    hub = G.node_ids([0])[0]
    freq = member[:, [i for i in range(G.n) if i != hub]].mean(axis=0)
    se = math.sqrt(p * (1 - p) / theta)
    assert np.all(np.abs(freq - p) <= 5 * se)
    others = [i for i in range(G.n) if i != hub]
    pair = (member[:, others[0]] & member[:, others[7]]).mean()
    assert abs(pair - p * p) <= 5 * math.sqrt(p * p * (1 - p * p) / theta)


@pytest.mark.parametrize("lt", [False, True])
def test_sets_contain_root_and_only_reaching_nodes(lt):
    for seed in range(4):
        G = random_graph(seed + 10, n=11, m=20, lt=lt)
        R = sample_rr_sets(G, 3000, model="lt" if lt else "ic", rng=seed)
        assert R.nodes.dtype == np.int32 and R.offsets.dtype == np.int64
        assert R.nodes.min() >= 0 and R.nodes.max() < G.n
        reach = [reach_to(G, r) for r in range(G.n)]
        for i in range(len(R)):
            s = R[i]
            assert s[0] == R.roots[i]
            assert len(set(s.tolist())) == s.shape[0]
            assert set(s.tolist()) <= reach[R.roots[i]]


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_estimate_matches_exact_spread(model):
    lt = model == "lt"
    for seed in range(3):
        G = random_graph(seed + 20, n=10, m=14, lt=lt)
        S = [0, 3]
        exact = exact_spread(G, S, model=model)
        R = sample_rr_sets(G, 60_000, model=model, rng=seed)
        est = R.estimate(G.node_ids(S))
        assert est.n_simulations == 60_000
        assert abs(est.mean - exact) <= 4.5 * est.stderr + 1e-9


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_weighted_root_estimate_matches_exact_weighted_spread(model):
    lt = model == "lt"
    g = np.random.default_rng(3)
    for seed in range(3):
        G = random_graph(seed + 30, n=10, m=14, lt=lt)
        w = g.random(G.n) * 3
        w[g.random(G.n) < 0.3] = 0.0
        S = [1, 4]
        exact = exact_spread(G, S, model=model, node_weights=w)
        R = sample_rr_sets(G, 60_000, model=model, rng=seed, node_weights=w)
        assert R.L == pytest.approx(w.sum())
        est = R.estimate(G.node_ids(S))
        assert abs(est.mean - exact) <= 4.5 * est.stderr + 1e-9


def test_estimate_matches_monte_carlo_on_nethept(data_dir):
    d = np.loadtxt(data_dir / "nethept" / "NetHept.txt", skiprows=1, dtype=np.int64)
    G = from_edges(d[:, 0], d[:, 1], directed=False, weights="wc")
    assert (G.n, G.m) == (15229, 62752)
    seeds = G.labels[np.argsort(-G.out_degree)[:10]]
    R = sample_rr_sets(G, 200_000, rng=1)
    est = R.estimate(G.node_ids(seeds))
    mc = im.spread(G, list(seeds), n_simulations=5000, rng=2)
    assert abs(est.mean - mc.mean) <= 4 * math.hypot(est.stderr, mc.stderr)


def test_thread_count_does_not_change_output():
    G = random_graph(7, n=12, m=40)
    old = numba.get_num_threads()
    try:
        outs = []
        for t in (1, 2):
            numba.set_num_threads(t)
            R = sample_rr_sets(G, 40 * BLOCK_SIZE + 17, rng=123)  # >= 32 blocks: parallel
            outs.append((R.nodes.copy(), R.offsets.copy(), R.roots.copy()))
    finally:
        numba.set_num_threads(old)
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)
    R1 = sample_rr_sets(G, 3000, rng=5, n_threads=1)
    R2 = sample_rr_sets(G, 3000, rng=5)
    np.testing.assert_array_equal(R1.nodes, R2.nodes)


@pytest.mark.parametrize("lt", [False, True])
def test_parallel_kernel_equals_serial_kernel(lt):
    G = random_graph(8, n=12, m=40, lt=lt)
    R = sample_rr_sets(G, 10, model="lt" if lt else "ic", rng=0)
    assert_parallel_equals_serial(_rev.sample_blocks, _rev.sample_blocks_serial, R._prep, G.n)


def test_overflow_rerun_gives_same_sets(monkeypatch):
    """Blocks that overflow their buffer slice are rerun: same output as a roomy buffer."""
    G = from_edges(np.arange(0, 60), np.arange(1, 61), directed=True, weights=1.0)  # a path
    R1 = sample_rr_sets(G, 2500, rng=4)
    R2 = RRSets(G, "ic", None, 4)
    R2._prep  # noqa: B018
    orig = R2._run

    def tiny(blocks, seeds, count, sizes, roots, scratch, mean_size):
        return orig(blocks, seeds, count, sizes, roots, scratch, 0.0)  # cap too small at first

    monkeypatch.setattr(R2, "_run", tiny)
    R2.add(2500)
    np.testing.assert_array_equal(R1.nodes, R2.nodes)
    np.testing.assert_array_equal(R1.offsets, R2.offsets)
    # on a path with p = 1 the set of root r is r, r-1, ..., 0
    for i in (0, 100, 2499):
        r = R1.roots[i]
        assert R1[i].tolist() == G.node_ids(range(G.labels[r], -1, -1)).tolist()


def test_extend_and_coverage():
    G = random_graph(3, n=12, m=30)
    R = sample_rr_sets(G, 1000, rng=8)
    R.inverted_index()
    R.extend(500)
    assert len(R) == 1500
    R.extend(sample_rr_sets(G, 200, rng=9))
    assert len(R) == 1700
    inv_ptr, inv_sets = R.inverted_index()
    fresh = sample_rr_sets(G, 0, rng=0)
    fresh.extend(R)
    np.testing.assert_array_equal(fresh.inverted_index()[0], inv_ptr)
    np.testing.assert_array_equal(fresh.inverted_index()[1], inv_sets)
    for v in range(G.n):
        sets_v = inv_sets[inv_ptr[v]:inv_ptr[v + 1]]
        assert np.all(np.diff(sets_v) > 0)
        assert all(v in R[s] for s in sets_v[:20])
    assert inv_ptr[-1] == R.n_entries
    assert R.coverage([v for v in range(G.n)]) == 1700
    hit = sum(1 for i in range(len(R)) if np.isin(R[i], [2, 5]).any())
    assert R.coverage([2, 5]) == hit
    assert R.nbytes > 0


def test_max_memory_raises():
    G = random_graph(4, n=12, m=30)
    with pytest.raises(MemoryLimitError, match="max_memory"):
        sample_rr_sets(G, 10_000_000, rng=1, max_memory=1_000_000)
    R = sample_rr_sets(G, 1000, rng=1, max_memory=10_000_000)
    assert len(R) == 1000


@pytest.mark.parametrize("kw, param", [
    ({"n_sets": -1}, "n_sets"),
    ({"model": "xx"}, "model"),
    ({"node_weights": np.ones(3)}, "node_weights"),
    ({"node_weights": -np.ones(12)}, "node_weights"),
    ({"node_weights": np.zeros(12)}, "node_weights"),
    ({"node_weights": np.full(12, np.nan)}, "node_weights"),
    ({"max_memory": 0}, "max_memory"),
])
def test_bad_input(kw, param):
    G = random_graph(4, n=12, m=30)
    args = {"n_sets": 10, **kw}
    n_sets = args.pop("n_sets")
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of sample_rr_sets"):
        sample_rr_sets(G, n_sets, **args)
