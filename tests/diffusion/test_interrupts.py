"""Ctrl-C during Monte Carlo, CELF, exact enumeration and SI: KeyboardInterrupt between kernel
calls (raised by the interrupt checkpoint, never inside a kernel), and chunking that never
changes a result."""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback

import numba
import numpy as np
import pytest

import infmax as im
from infmax import _interrupt
from infmax.diffusion import montecarlo as mc
from infmax.random import block_seeds


@pytest.fixture(scope="module")
def big():
    # ~1,500 nodes, mean degree ~16, p = 0.2: cascades reach most of the graph, so a run of
    # 10**6 simulations takes minutes unless interrupted
    return im.datasets.synthetic.erdos_renyi(1500, 0.011, rng=5).reweight(0.2)


def _sigint_after(delay: float) -> threading.Timer:
    t = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    t.start()
    return t


def _raised_by_checkpoint(exc: BaseException) -> bool:
    """The interrupt surfaced at a checkpoint between kernel calls, not out of a kernel."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].name == "checkpoint" and frames[-1].filename.endswith("_interrupt.py")


def _interrupted(call, delay=0.3):
    timer = _sigint_after(delay)
    t0 = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            call()
    finally:
        timer.cancel()
        _interrupt.reset()
    return info.value, time.perf_counter() - t0


def test_ctrl_c_during_long_spread_then_a_second_call_works(big):
    ref = im.spread(big, [0, 1, 2], n_simulations=2000, rng=7)
    exc, dt = _interrupted(lambda: im.spread(big, [0, 1, 2], n_simulations=10**6, rng=7))
    assert type(exc) is KeyboardInterrupt      # not SystemError, not Terminated
    assert _raised_by_checkpoint(exc)
    assert dt < 5.0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    again = im.spread(big, [0, 1, 2], n_simulations=2000, rng=7)
    assert (again.mean, again.stderr) == (ref.mean, ref.stderr)


def test_ctrl_c_during_celf(big):
    exc, dt = _interrupted(lambda: im.celf(big, 5, n_simulations=20_000, rng=1))
    assert type(exc) is KeyboardInterrupt
    assert _raised_by_checkpoint(exc)
    assert dt < 5.0
    res = im.celf(big, 1, n_simulations=64, rng=1, candidates=[0, 1, 2])
    assert len(res.seeds) == 1


def test_ctrl_c_during_si_spread():
    from infmax.graph.temporal import TemporalGraph
    from infmax.temporal import si_spread

    rng = np.random.default_rng(3)
    n, events = 400, 40_000
    TG = TemporalGraph.from_events(rng.integers(0, n, events), rng.integers(0, n, events),
                                   rng.uniform(0, 100, events), snapshots=50)
    exc, dt = _interrupted(lambda: si_spread(TG, [0, 1], beta=0.05, n_simulations=10**7,
                                             rng=1))
    assert type(exc) is KeyboardInterrupt and _raised_by_checkpoint(exc)
    assert dt < 5.0


def test_one_call_on_epinions_is_bounded():
    # Epinions: 75,879 nodes, 508,837 arcs -> one block of 64 simulations per thread and call
    assert mc.max_blocks_per_call(75_879, 508_837) == 1
    assert mc.max_blocks_per_call(3, 2) == mc.WORK_PER_CALL // (64 * 8)


@pytest.mark.parametrize("model", ["ic", "lt", "triggering"])
def test_chunking_and_threads_never_change_the_sums(model):
    G = im.datasets.synthetic.erdos_renyi(120, 0.05, directed=True, rng=2).reweight("wc")
    m = im.diffusion.TriggeringModel.ic(G) if model == "triggering" else model
    args = mc.kernel_args(G, m)
    seeds = np.array([0, 5, 9], dtype=np.int32)
    n_sims = 64 * 37 + 11                       # a partial last block
    bs = block_seeds(4, -(-n_sims // 64))
    nw = mc._ro(np.linspace(0.0, 2.0, G.n), np.float64)  # weighted: float sums
    results = set()
    old = numba.get_num_threads()
    try:
        for threads in range(1, old + 1):
            numba.set_num_threads(threads)
            for max_chunk in (1, 2, 5, None):
                results.add(mc.run_blocks(args, seeds, bs, n_sims, nw, max_chunk=max_chunk))
    finally:
        numba.set_num_threads(old)
    assert len(results) == 1


def test_spread_identical_for_any_work_bound(monkeypatch):
    G = im.datasets.synthetic.erdos_renyi(200, 0.03, rng=4).reweight(0.1)
    ref = im.spread(G, [1, 2], n_simulations=5000, rng=11, node_weights=np.arange(G.n) / 7)
    monkeypatch.setattr(mc, "WORK_PER_CALL", 1)  # one block per thread and kernel call
    got = im.spread(G, [1, 2], n_simulations=5000, rng=11, node_weights=np.arange(G.n) / 7)
    assert (got.mean, got.stderr) == (ref.mean, ref.stderr)


def test_exact_spread_identical_for_any_split(monkeypatch):
    from infmax.diffusion import exact

    G = im.graph.from_edges([0, 0, 1, 2, 2, 3, 4], [1, 2, 3, 3, 4, 5, 5], directed=True,
                            weights=np.linspace(0.15, 0.85, 7))
    w = np.linspace(0.5, 1.5, G.n)
    ref = im.exact_spread(G, [0], node_weights=w)
    for bound in (1, 3 * (2 * G.n + G.m + 1)):  # one world per call; a few worlds per call
        monkeypatch.setattr(exact, "WORK_PER_CALL", bound)
        assert im.exact_spread(G, [0], node_weights=w) == ref
    # and the value itself: 1 + P(0 reaches 1) + ... by brute force over 2**7 worlds
    p = np.asarray(G.probs)
    src, dst = np.asarray(G.sources), np.asarray(G.indices)
    brute = 0.0
    for mask in range(1 << G.m):
        live = [(mask >> e) & 1 for e in range(G.m)]
        pr = np.prod([p[e] if live[e] else 1 - p[e] for e in range(G.m)])
        seen, stack = {0}, [0]
        while stack:
            u = stack.pop()
            for e in range(G.m):
                if live[e] and src[e] == u and dst[e] not in seen:
                    seen.add(int(dst[e]))
                    stack.append(int(dst[e]))
        brute += pr * sum(w[v] for v in seen)
    assert ref == pytest.approx(brute, rel=1e-12)


def test_si_counts_identical_for_any_split(monkeypatch):
    from infmax._kernels.temporal import si_counts_serial
    from infmax.graph.temporal import TemporalGraph
    from infmax.temporal.si import BLOCK_SIZE, si_counts_ids

    rng = np.random.default_rng(8)
    n, events = 60, 800
    TG = TemporalGraph.from_events(rng.integers(0, n, events), rng.integers(0, n, events),
                                   rng.uniform(0, 10, events), snapshots=6)
    sets = [np.array([0, 1], np.int32), np.array([5], np.int32), np.array([7, 8, 9], np.int32)]
    n_sims = 3 * BLOCK_SIZE + 5
    ptr = np.array([0, 2, 3, 6], dtype=np.int64)
    nodes = np.concatenate(sets)
    ref = si_counts_serial(TG.indptr, TG.indices, TG.n, TG.T, ptr, nodes, 0.3, n_sims,
                           BLOCK_SIZE, block_seeds(np.random.default_rng(2), 3 * 4))
    got = si_counts_ids(TG, sets, beta=0.3, n_simulations=n_sims, rng=np.random.default_rng(2))
    assert np.array_equal(got, ref)
    monkeypatch.setattr(mc, "WORK_PER_CALL", 1)  # one job per thread and call
    got = si_counts_ids(TG, sets, beta=0.3, n_simulations=n_sims, rng=np.random.default_rng(2))
    assert np.array_equal(got, ref)
