"""numba forward kernels against slow pure-Python twins driven by the same coins.

The twins regenerate each block's coin stream with :func:`infmax.random.uniforms` and must
reproduce the kernels EXACTLY (activation order, steps, per-simulation counts).
"""

import numba
import numpy as np
import pytest

import infmax as im
from conftest import Coins
from infmax._kernels import forward as fw
from infmax.diffusion import TriggeringModel
from infmax.diffusion.models import KIND_CUSTOM, KIND_IC, KIND_LT
from infmax.diffusion.montecarlo import _F64, BLOCK_SIZE, _ro, kernel_args
from infmax.random import block_seeds


def _graph(seed, n=25, m=80, weights="wc", directed=True):
    r = np.random.default_rng(seed)
    return im.graph.from_edges(r.integers(0, n, m), r.integers(0, n, m), directed=directed,
                               weights=weights)


def twin_ic(G, seeds, coin):
    indptr, indices, p = G.indptr, G.indices, G.probs.astype(np.float64)
    order, steps, active = [], [], set()
    for s in seeds:
        if s not in active:
            active.add(s)
            order.append(s)
            steps.append(0)
    head = 0
    while head < len(order):
        u, lv = order[head], steps[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            x = coin()
            if x < p[e] and indices[e] not in active:
                v = int(indices[e])
                active.add(v)
                order.append(v)
                steps.append(lv + 1)
    return order, steps


def twin_lt(G, seeds, coin):
    indptr, indices, w = G.indptr, G.indices, G.probs.astype(np.float64)
    order, steps, active = [], [], set()
    theta, acc = {}, {}
    for s in seeds:
        if s not in active:
            active.add(s)
            order.append(s)
            steps.append(0)
    head = 0
    while head < len(order):
        u, lv = order[head], steps[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = int(indices[e])
            if v in active:
                continue
            if v not in theta:
                theta[v] = 1.0 - coin()
                acc[v] = 0.0
            acc[v] = acc[v] + w[e]
            if acc[v] >= theta[v]:
                active.add(v)
                order.append(v)
                steps.append(lv + 1)
    return order, steps


def twin_trigger_set(G, M, v, coin):
    """Out-CSR positions of the live in-arcs of v."""
    lo, hi = G.rindptr[v], G.rindptr[v + 1]
    rev = G.rev_perm
    live = set()
    if M.kind[v] == KIND_IC:
        for r in range(lo, hi):
            if coin() < M.in_probs[r]:
                live.add(int(rev[r]))
    elif M.kind[v] == KIND_LT:
        if hi > lo:
            x, a = coin(), 0.0
            for r in range(lo, hi):
                a += M.in_probs[r]
                if x < a:
                    live.add(int(rev[r]))
                    break
    else:
        olo, ohi = M.opt_ptr[v], M.opt_ptr[v + 1]
        if ohi > olo:
            x, a = coin(), 0.0
            for j in range(olo, ohi):
                a += M.opt_prob[j]
                if x < a:
                    live |= {int(rev[q]) for q in M.mem[M.mem_ptr[j]:M.mem_ptr[j + 1]]}
                    break
    return live


def twin_trig(G, M, seeds, coin):
    indptr, indices = G.indptr, G.indices
    order, steps, active, sets = [], [], set(), {}
    for s in seeds:
        if s not in active:
            active.add(s)
            order.append(s)
            steps.append(0)
    head = 0
    while head < len(order):
        u, lv = order[head], steps[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = int(indices[e])
            if v in active:
                continue
            if v not in sets:
                sets[v] = twin_trigger_set(G, M, v, coin)
            if e in sets[v]:
                active.add(v)
                order.append(v)
                steps.append(lv + 1)
    return order, steps


def _custom(G, rng):
    """A custom model: a few nodes with explicit tables, the rest alternating IC / LT."""
    r = np.random.default_rng(rng)
    tables = {}
    for v in range(G.n):
        nb = G.in_neighbors(v)
        if len(nb) >= 2 and len(tables) < 4:
            k = min(3, len(nb))
            sets = [r.choice(nb, size=r.integers(1, k + 1), replace=False) for _ in range(2)]
            tables[G.labels[v].item()] = [(G.node_labels(s), 0.35) for s in sets]
    M = TriggeringModel.custom(G.reweight("wc"), tables, default="lt")
    kind = M.kind.copy()
    kind[(np.arange(G.n) % 2 == 0) & (kind != KIND_CUSTOM)] = KIND_IC
    return TriggeringModel(G, kind, M.in_probs, M.opt_ptr, M.opt_prob, M.mem_ptr, M.mem)


def _models(G):
    return [("ic", "ic", twin_ic), ("lt", "lt", twin_lt),
            ("trig-ic", TriggeringModel.ic(G), None), ("trig-lt", TriggeringModel.lt(G), None),
            ("custom", _custom(G, 5), None)]


def _twin(G, model, twin, seeds, coin):
    if twin is not None:
        return twin(G, seeds, coin)
    return twin_trig(G, model, seeds, coin)


@pytest.mark.parametrize("gseed", [1, 2, 3])
def test_single_cascade_equals_twin(gseed):
    G = _graph(gseed, weights="wc")
    r = np.random.default_rng(gseed)
    for name, model, twin in _models(G):
        args = kernel_args(G, model)
        for trial in range(15):
            seeds = r.choice(G.n, size=r.integers(1, 4), replace=True).astype(np.int32)
            seed = int(r.integers(0, 2**63))
            order, steps = fw.single_cascade(args, _ro(seeds, np.int32), np.uint64(seed))
            t_order, t_steps = _twin(G, model, twin, seeds.tolist(), Coins(seed, 1000))
            assert order.tolist() == t_order, (name, trial)
            assert steps.tolist() == t_steps, (name, trial)


@pytest.mark.parametrize("weighted", [False, True])
def test_block_values_equal_twin_on_one_stream(weighted):
    G = _graph(7, n=20, m=70, weights="trivalency")
    G_lt = G.reweight("wc")
    nw = np.random.default_rng(0).random(G.n) if weighted else None
    for name, model, twin in _models(G_lt):
        H = G if name in ("ic", "trig-ic") else G_lt
        if name == "trig-ic":
            model = TriggeringModel.ic(H)
        args = kernel_args(H, model)
        seeds = _ro(np.array([0, 3, 5], dtype=np.int32), np.int32)
        seed = 987654321 + len(name)
        vals = fw.block_values(args, seeds, np.uint64(seed), 40,
                               _F64 if nw is None else _ro(nw, np.float64))
        coin = Coins(seed, chunk=60_000)
        want = []
        for _ in range(40):
            order, _s = _twin(H, model, twin, seeds.tolist(), coin)
            want.append(float(np.sum(nw[order])) if weighted else float(len(order)))
        assert vals.tolist() == pytest.approx(want, rel=1e-12, abs=1e-12), name
        if not weighted:
            assert vals.tolist() == want, name


@pytest.mark.parametrize("name", ["ic", "lt", "trig"])
def test_forward_blocks_sums_blocks_independent_of_workers_and_chunks(name):
    G = _graph(11, n=40, m=160, weights="wc")
    model = {"ic": "ic", "lt": "lt", "trig": _custom(G, 3)}[name]
    args = kernel_args(G, model)
    seeds = _ro(np.array([1, 2, 30], dtype=np.int32), np.int32)
    n_total = 1000  # 16 blocks, the last one short (40 simulations)
    bs = block_seeds(np.random.default_rng(4), 16)
    ref_s = np.array([fw.block_values(args, seeds, bs[b], min(BLOCK_SIZE, n_total - 64 * b),
                                      _F64).sum() for b in range(16)])
    ref_s2 = np.array([(fw.block_values(args, seeds, bs[b], min(BLOCK_SIZE, n_total - 64 * b),
                                        _F64) ** 2).sum() for b in range(16)])
    old = numba.get_num_threads()
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            for workers in (1, 2, 3):
                s, s2 = np.zeros(16), np.zeros(16)
                fw.forward_blocks(args, seeds, bs, BLOCK_SIZE, n_total, 0, workers, _F64, s, s2)
                assert s.tolist() == ref_s.tolist() and s2.tolist() == ref_s2.tolist()
                # the same blocks handed over in two chunks
                s, s2 = np.zeros(16), np.zeros(16)
                fw.forward_blocks(args, seeds, bs[:5], BLOCK_SIZE, n_total, 0, workers, _F64,
                                  s[:5], s2[:5])
                fw.forward_blocks(args, seeds, bs[5:], BLOCK_SIZE, n_total, 5, workers, _F64,
                                  s[5:], s2[5:])
                assert s.tolist() == ref_s.tolist() and s2.tolist() == ref_s2.tolist()
        s, s2 = np.zeros(16), np.zeros(16)
        fw.forward_blocks_serial(args, seeds, bs, BLOCK_SIZE, n_total, 0, 1, _F64, s, s2)
        assert s.tolist() == ref_s.tolist() and s2.tolist() == ref_s2.tolist()
    finally:
        numba.set_num_threads(old)


@pytest.mark.parametrize("serial_max", [0.0, float("inf")])
def test_spread_same_on_serial_and_parallel_paths(monkeypatch, serial_max):
    import infmax.diffusion.montecarlo as mcm

    G = _graph(14, n=60, m=300, weights="wc")
    want = im.spread(G, [1, 2], n_simulations=3000, rng=5)
    monkeypatch.setattr(mcm, "_SERIAL_MAX_S", serial_max)
    for threads in (1, 2):
        got = im.spread(G, [1, 2], n_simulations=3000, rng=5, n_threads=threads)
        assert (got.mean, got.stderr) == (want.mean, want.stderr)


def test_spread_is_the_sum_of_its_blocks():
    """spread() = blocks seeded by block_seeds(rng), chunked by Python: same numbers."""
    G = _graph(12, n=40, m=160, weights="wc")
    n_sims = 64 * 300 + 17  # many chunks
    est = im.spread(G, [1, 2], n_simulations=n_sims, rng=99)
    bs = block_seeds(np.random.default_rng(99), 301)
    args = kernel_args(G, "ic")
    seeds = _ro(np.array([1, 2], dtype=np.int32), np.int32)
    tot = sum(fw.block_values(args, seeds, bs[b], min(64, n_sims - 64 * b), _F64).sum()
              for b in range(301))
    assert est.mean == pytest.approx(tot / n_sims, rel=1e-12)


def test_reach_live_and_sample_live_against_twin():
    G = _graph(13, n=30, m=100, weights="wc")
    M = _custom(G, 9)
    seed = 12345
    live = fw.sample_live(M.kind, _ro(G.rindptr, np.int64), M.in_probs,
                          _ro(G.rev_perm, np.int64), M.opt_ptr, M.opt_prob, M.mem_ptr, M.mem,
                          G.m, np.uint64(seed))
    coin = Coins(seed)
    want = set()
    for v in range(G.n):
        want |= twin_trigger_set(G, M, v, coin)
    assert set(np.flatnonzero(live).tolist()) == want


def test_kernel_args_are_one_named_tuple_per_model_without_dummy_arrays():
    G = _graph(3, weights="wc")
    ic, lt = kernel_args(G, "ic"), kernel_args(G, "lt")
    trig = kernel_args(G, _custom(G, 2))
    assert type(ic) is fw.ICArrays and ic._fields == ("indptr", "indices", "thr")
    assert type(lt) is fw.LTArrays and lt._fields == ("indptr", "indices", "w")
    assert type(trig) is fw.TriggeringArrays and trig.rev_perm.shape == (G.m,)
    for args in (ic, lt, trig):
        assert all(isinstance(a, np.ndarray) and a.shape[0] > 0 and not a.flags.writeable
                   for a in args)
    # derived arrays are computed once per graph, through DiGraph._memo
    assert kernel_args(G, "ic").thr is ic.thr and kernel_args(G, "lt").w is lt.w


@pytest.mark.parametrize("parallel, serial", [
    (fw.forward_blocks, fw.forward_blocks_serial),
    (__import__("infmax._kernels.temporal", fromlist=["x"]).si_jobs,
     __import__("infmax._kernels.temporal", fromlist=["x"]).si_jobs_serial)])
def test_serial_twins_are_separate_compilations_of_one_function(parallel, serial):
    # the twin shares the code but not the name: numba's disk cache keeps them apart
    assert serial.py_func.__code__ is parallel.py_func.__code__
    assert serial.py_func.__qualname__ == serial.__name__ != parallel.py_func.__qualname__
    assert serial.targetoptions.get("parallel", False) is False
    assert parallel.targetoptions["parallel"] is True
