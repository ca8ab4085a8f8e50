"""RR-set sampling under general triggering models: kernel vs pure-Python twin, estimates
against exact spread, thread independence, IMM/TIM+/OPIM-C with a TriggeringModel."""

import itertools
import math

import numba
import numpy as np
import pytest
from scipy import stats

import infmax as im
from conftest import Coins, assert_parallel_equals_serial
from infmax._kernels import reverse as _rev
from infmax.diffusion import TriggeringModel
from infmax.exceptions import InvalidParameterError
from infmax.graph import from_edges
from infmax.random import block_seeds, n_blocks_for
from infmax.sampling import BLOCK_SIZE, RRSets, sample_rr_sets

exact_spread = im.diffusion.exact_spread


# -- graphs and models -------------------------------------------------------------------------

def random_graph(seed, n=10, m=14):
    """Random directed graph whose in-weights sum to at most 1 per node (valid for IC and LT)."""
    g = np.random.default_rng(seed)
    pairs = set()
    while len(pairs) < m:
        u, v = (int(x) for x in g.integers(0, n, 2))
        if u != v:
            pairs.add((u, v))
    src = np.array([p[0] for p in pairs])
    dst = np.array([p[1] for p in pairs])
    probs = np.empty(m)
    for v in range(n):
        idx = np.flatnonzero(dst == v)
        if idx.size:
            w = g.uniform(0.1, 1.0, idx.size)
            probs[idx] = w / w.sum() * g.uniform(0.6, 1.0)
    return from_edges(src, dst, probs, directed=True, weights="file", merge="sum",
                      nodes=range(n))


def mixed_model(G, seed):
    """Kind 0 / 1 / 2 nodes: custom tables (multi-member sets) on about a third of the nodes
    with in-arcs, LT on about half of the rest, IC elsewhere."""
    g = np.random.default_rng(seed)
    indeg = np.diff(G.rindptr)
    nodes = [v for v in range(G.n) if indeg[v] >= 1]
    g.shuffle(nodes)
    custom = nodes[: max(2, len(nodes) // 3)]
    tables = {}
    for v in custom:
        nbrs = [int(G.labels[u]) for u in G.rindices[G.rindptr[v]:G.rindptr[v + 1]]]
        n_opt = int(g.integers(1, 4))
        ps = g.dirichlet(np.ones(n_opt + 1))[:n_opt]  # leftover mass: empty trigger set
        opts = []
        for p in ps:
            size = int(g.integers(1, len(nbrs) + 1))
            opts.append((list(g.choice(nbrs, size, replace=False)), float(p)))
        tables[int(G.labels[v])] = opts
    base = TriggeringModel.custom(G, tables, default="ic")
    kind = np.array(base.kind)
    rest = [v for v in range(G.n) if kind[v] != 2]
    kind[[v for v in rest if g.random() < 0.5]] = 1
    T = TriggeringModel(G, kind, G.rprobs, base.opt_ptr, base.opt_prob, base.mem_ptr, base.mem,
                        name="triggering")
    assert set(np.unique(T.kind).tolist()) == {0, 1, 2}
    return T


# -- pure-Python twin --------------------------------------------------------------------------

def twin_trigger(T, G, v, st):
    """Trigger set of ``v`` as a list of in-CSR positions, drawn from the stream ``st``."""
    s, e = int(G.rindptr[v]), int(G.rindptr[v + 1])
    k = int(T.kind[v])
    if k == 0:
        return [j for j in range(s, e) if st.next() < T.in_probs[j]]
    if k == 1:
        if e == s:
            return []
        u, a = st.next(), 0.0
        for j in range(s, e):
            a += float(T.in_probs[j])
            if u < a:
                return [j]
        return []
    lo, hi = int(T.opt_ptr[v]), int(T.opt_ptr[v + 1])
    if hi == lo:
        return []
    u, a = st.next(), 0.0
    for o in range(lo, hi):
        a += float(T.opt_prob[o])
        if u < a:
            return [int(x) for x in T.mem[T.mem_ptr[o]:T.mem_ptr[o + 1]]]
    return []


def twin_sample(G, T, n_sets, rng, node_weights=None):
    """Slow twin of sample_rr_sets(model=T): same block seeds, same coins."""
    if node_weights is not None:
        support, aprob, alias = _rev.build_alias(np.asarray(node_weights, float))
    nb = n_blocks_for(n_sets, BLOCK_SIZE)
    seeds = block_seeds(np.random.default_rng(rng), nb)
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
            S, vis, head = [r], {r}, 0
            while head < len(S):
                v = S[head]
                head += 1
                for j in twin_trigger(T, G, v, st):
                    w = int(G.rindices[j])
                    if w not in vis:
                        vis.add(w)
                        S.append(w)
            sets.append(S)
            roots.append(r)
    return sets, roots


def as_lists(R):
    return [R[i].tolist() for i in range(len(R))]


# -- kernel vs twin ------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1])
def test_kernel_matches_twin(seed):
    G = random_graph(seed, n=12, m=30)
    T = mixed_model(G, seed)
    n_sets = BLOCK_SIZE + 300  # two blocks
    R = sample_rr_sets(G, n_sets, model=T, rng=seed)
    sets, roots = twin_sample(G, T, n_sets, seed)
    assert R.roots.tolist() == roots
    assert as_lists(R) == sets
    assert R.model == "triggering" and R.triggering_model is T


def test_kernel_matches_twin_weighted_roots():
    G = random_graph(4, n=12, m=30)
    T = mixed_model(G, 4)
    g = np.random.default_rng(5)
    w = g.random(G.n) * (g.random(G.n) < 0.6)
    w[0] = 2.0
    R = sample_rr_sets(G, 1500, model=T, rng=9, node_weights=w)
    sets, roots = twin_sample(G, T, 1500, 9, node_weights=w)
    assert R.roots.tolist() == roots
    assert as_lists(R) == sets
    assert np.all(w[R.roots] > 0)
    assert R.L == pytest.approx(w.sum())


def test_custom_trigger_set_drawn_once_as_a_whole():
    """A hub with an explicit table: the RR set of the hub is exactly one of its trigger sets
    (plus the root), with the table's probabilities."""
    G = from_edges([1, 2, 3], [0, 0, 0], directed=True, weights=0.5, nodes=range(4))
    T = TriggeringModel.custom(G, {0: [([1, 2], 0.3), ([3], 0.2), ([1, 2, 3], 0.1)]})
    w = np.zeros(G.n)
    w[0] = 1.0
    theta = 20_000
    R = sample_rr_sets(G, theta, model=T, rng=3, node_weights=w)
    seen = {}
    for i in range(theta):
        key = tuple(sorted(R[i].tolist()))
        seen[key] = seen.get(key, 0) + 1
    expect = {(0, 1, 2): 0.3, (0, 3): 0.2, (0, 1, 2, 3): 0.1, (0,): 0.4}
    assert set(seen) == set(expect)
    obs = np.array([seen[k] for k in expect])
    assert stats.chisquare(obs, np.array(list(expect.values())) * theta).pvalue > 1e-4


# -- estimates vs exact spread ---------------------------------------------------------------

def _models(G, seed):
    return [TriggeringModel.ic(G), TriggeringModel.lt(G), mixed_model(G, seed)]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_estimate_matches_exact_spread(which):
    for seed in range(2):
        G = random_graph(seed + 20, n=10, m=14)
        T = _models(G, seed)[which]
        R = sample_rr_sets(G, 50_000, model=T, rng=seed)
        for S in ([0, 3], [5]):
            exact = exact_spread(G, S, model=T)
            est = R.estimate(G.node_ids(S))
            assert est.n_simulations == 50_000
            assert abs(est.mean - exact) <= 4 * est.stderr + 1e-9


def test_triggering_ic_lt_agree_with_named_models():
    G = random_graph(31, n=10, m=14)
    for T, name in ((TriggeringModel.ic(G), "ic"), (TriggeringModel.lt(G), "lt")):
        assert exact_spread(G, [2, 7], model=T) == pytest.approx(exact_spread(G, [2, 7],
                                                                              model=name))


@pytest.mark.parametrize("which", [0, 1, 2])
def test_weighted_root_estimate_matches_exact_weighted_spread(which):
    g = np.random.default_rng(3)
    for seed in range(2):
        G = random_graph(seed + 30, n=10, m=14)
        T = _models(G, seed)[which]
        w = g.random(G.n) * 3
        w[g.random(G.n) < 0.3] = 0.0
        S = [1, 4]
        exact = exact_spread(G, S, model=T, node_weights=w)
        R = sample_rr_sets(G, 50_000, model=T, rng=seed, node_weights=w)
        est = R.estimate(G.node_ids(S))
        assert abs(est.mean - exact) <= 4 * est.stderr + 1e-9


# -- determinism, overflow, extend -------------------------------------------------------------

def test_thread_count_does_not_change_output():
    G = random_graph(7, n=12, m=40)
    T = mixed_model(G, 7)
    old = numba.get_num_threads()
    try:
        outs = []
        for t in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(t)
            R = sample_rr_sets(G, 40 * BLOCK_SIZE + 17, model=T, rng=123)  # >= 32 blocks
            outs.append((R.nodes.copy(), R.offsets.copy(), R.roots.copy()))
    finally:
        numba.set_num_threads(old)
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)
    R1 = sample_rr_sets(G, 3000, model=T, rng=5, n_threads=1)
    R2 = sample_rr_sets(G, 3000, model=T, rng=5)
    np.testing.assert_array_equal(R1.nodes, R2.nodes)


def test_parallel_kernel_equals_serial_kernel():
    G = random_graph(8, n=12, m=40)
    T = mixed_model(G, 8)
    p = sample_rr_sets(G, 10, model=T, rng=0)._prep
    assert_parallel_equals_serial(_rev.sample_blocks_triggering,
                                  _rev.sample_blocks_triggering_serial, p, G.n)


def test_overflow_rerun_gives_same_sets(monkeypatch):
    n = 61
    G = from_edges(np.arange(0, n - 1), np.arange(1, n), directed=True, weights=1.0)  # a path
    T = TriggeringModel.custom(G, {30: [([29], 1.0)]}, default="lt")
    R1 = sample_rr_sets(G, 2500, model=T, rng=4)
    R2 = RRSets(G, T, None, 4)
    orig = R2._run

    def tiny(blocks, seeds, count, sizes, roots, scratch, mean_size):
        return orig(blocks, seeds, count, sizes, roots, scratch, 0.0)  # cap too small at first

    monkeypatch.setattr(R2, "_run", tiny)
    R2.add(2500)
    np.testing.assert_array_equal(R1.nodes, R2.nodes)
    np.testing.assert_array_equal(R1.offsets, R2.offsets)
    for i in (0, 100, 2499):  # every arc is live: the set of root r is r, r-1, ..., 0
        r = R1.roots[i]
        assert R1[i].tolist() == G.node_ids(range(G.labels[r], -1, -1)).tolist()


def test_extend_requires_same_model():
    G = random_graph(3, n=12, m=30)
    T = mixed_model(G, 3)
    R = sample_rr_sets(G, 500, model=T, rng=1)
    R.extend(sample_rr_sets(G, 200, model=T, rng=2))
    R.extend(300)
    assert len(R) == 1000
    for other in (sample_rr_sets(G, 10, rng=0), sample_rr_sets(G, 10, model=mixed_model(G, 3),
                                                              rng=0)):
        with pytest.raises(InvalidParameterError, match="'more' parameter"):
            R.extend(other)


# -- IMM / TIM+ / OPIM-C -------------------------------------------------------------------

def _brute_force_opt(G, T, k):
    return max(exact_spread(G, list(S), model=T) for S in itertools.combinations(range(G.n), k))


@pytest.mark.parametrize("algo", ["imm", "tim_plus", "opim_c"])
def test_ris_algorithms_reach_guarantee(algo):
    G = random_graph(40, n=9, m=13)
    T = mixed_model(G, 40)
    k, eps = 2, 0.2
    opt = _brute_force_opt(G, T, k)
    res = getattr(im, algo)(G, k, model=T, epsilon=eps, rng=0)
    assert len(res.seeds) == k
    assert exact_spread(G, list(res.seeds), model=T) >= (1 - 1 / math.e - eps) * opt
    assert res.params["model"] == "triggering"


def test_imm_with_triggering_ic_matches_ic_optimum():
    G = random_graph(41, n=8, m=12)
    T = TriggeringModel.ic(G)
    res = im.imm(G, 1, model=T, epsilon=0.2, rng=1)
    opt = _brute_force_opt(G, T, 1)
    assert exact_spread(G, list(res.seeds), model="ic") >= (1 - 1 / math.e - 0.2) * opt
    assert res.params["model"] == "triggering-ic"


# -- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["other-graph", object(), 3, "xx", None])
def test_bad_model(bad):
    G = random_graph(4, n=12, m=30)
    if bad == "other-graph":
        bad = TriggeringModel.ic(random_graph(5, n=11, m=20))
    with pytest.raises(InvalidParameterError, match="'model' parameter of sample_rr_sets"):
        sample_rr_sets(G, 10, model=bad)
    for algo in ("imm", "tim_plus", "opim_c"):
        with pytest.raises(InvalidParameterError, match=f"'model' parameter of {algo}"):
            getattr(im, algo)(G, 1, model=bad)
