"""RR sampling: the overflow-and-rerun path, bounded kernel calls, Ctrl-C and memory limits.

Every set's content is known exactly on disjoint cycles and cliques with p = 1, so any node the
rerun path loses shows up as a wrong set (issue 8, A1). The graphs have more components than a
failed attempt draws sets: a stale visited stamp only survives when no other set of the attempt
visited the same component, so few components would hide the defect. The sets must not depend
on the initial buffer capacity, on how blocks are grouped into kernel calls (B10) or on the
thread count.
"""

import os
import signal
import threading
import time

import networkx as nx
import numpy as np
import pytest

import infmax as im
from infmax import _interrupt
from infmax.diffusion import TriggeringModel
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.graph import from_edges
from infmax.sampling import RRSets, _rrsets, sample_rr_sets


def cycles(n_cycles, length):
    """Disjoint directed cycles ``c*L -> c*L + 1 -> ... -> c*L`` with p = 1 (labels = ids)."""
    s = np.arange(n_cycles * length)
    d = (s // length) * length + (s % length + 1) % length
    return from_edges(s, d, directed=True, weights=1.0)


def cliques(n_cliques, size, p=1.0):
    """Disjoint complete digraphs with arc probability ``p``."""
    src, dst = [], []
    for c in range(n_cliques):
        for u in range(size):
            for v in range(size):
                if u != v:
                    src.append(c * size + u)
                    dst.append(c * size + v)
    return from_edges(np.array(src), np.array(dst), directed=True, weights=p)


def assert_blocks(R, G, size, ordered_cycle=False):
    """Every set is the whole component (of ``size`` nodes) of its root, root first."""
    labels = G.labels
    assert len(R) > 0
    for i in range(len(R)):
        r = int(labels[R.roots[i]])
        got = labels[R[i]].tolist()
        assert got[0] == r, i
        comp = r - r % size
        if ordered_cycle:   # reverse walk/BFS around a cycle: r, r-1, ..., wrapping
            want = [comp + (r - comp - j) % size for j in range(size)]
            assert got == want, i
        else:
            assert sorted(got) == list(range(comp, comp + size)), i


# -- A1: the rerun path loses nodes ----------------------------------------------------------

def test_issue_reproducer_500_cycles():
    G = cycles(500, 30)
    R = sample_rr_sets(G, 3000, rng=0)   # pilot block overflows (30 * 1024 > its slice)
    assert np.all(np.diff(R.offsets) == 30)   # was: 180 empty sets
    assert R.estimate(np.arange(G.n)).mean == 15000.0   # was 14,100
    assert_blocks(R, G, 30, ordered_cycle=True)


@pytest.mark.parametrize("model", ["ic", "lt", "trig-ic", "trig-lt", "trig-custom"])
def test_cycle_sets_exact_under_every_kernel(model):
    G = cycles(400, 25)
    m = {"ic": "ic", "lt": "lt", "trig-ic": TriggeringModel.ic(G),
         "trig-lt": TriggeringModel.lt(G),
         "trig-custom": TriggeringModel.custom(G, {v: [([(v - 1) % 25 + v - v % 25], 1.0)]
                                                   for v in range(0, G.n, 3)})}[model]
    R = sample_rr_sets(G, 3 * 1024 + 77, model=m, rng=3)
    assert_blocks(R, G, 25, ordered_cycle=True)


@pytest.mark.parametrize("model", ["ic", "trig-ic", "trig-custom"])
def test_clique_sets_exact_with_p_one(model):
    G = cliques(400, 25)
    m = {"ic": "ic", "trig-ic": TriggeringModel.ic(G),
         "trig-custom": TriggeringModel.custom(
             G, {v: [([u for u in range(v - v % 25, v - v % 25 + 25) if u != v], 1.0)]
                 for v in range(0, G.n, 5)})}[model]
    R = sample_rr_sets(G, 2 * 1024 + 5, model=m, rng=11)
    assert_blocks(R, G, 25)


def test_bulk_rerun_path_weighted_roots(monkeypatch):
    """Bulk blocks (not only the pilot) overflow and are rerun; weighted roots too."""
    G = cycles(500, 40)
    w = np.zeros(G.n)
    w[::7] = 1.0
    orig = RRSets._run

    def small(self, blocks, seeds, count, sizes, roots, scratch, mean_size):
        return orig(self, blocks, seeds, count, sizes, roots, scratch, 0.5)

    monkeypatch.setattr(RRSets, "_run", small)
    R = sample_rr_sets(G, 4 * 1024, node_weights=w, rng=2)
    assert_blocks(R, G, 40, ordered_cycle=True)
    assert np.all(w[R.roots] > 0)


# -- the output does not depend on buffer capacity, call grouping or threads ------------------

def _random_ic_graph(seed, n=300, m=2400, weights=None):
    g = np.random.default_rng(seed)
    arcs = np.unique(g.integers(0, n, m) * n + g.integers(0, n, m))
    s, d = arcs // n, arcs % n
    keep = s != d
    s, d = s[keep], d[keep]
    p = np.where(g.random(s.shape[0]) < 0.5, 0.15, g.uniform(0.05, 0.3, s.shape[0]))
    return from_edges(s, d, directed=True, weights=p if weights is None else weights)


def _sets(G, model, monkeypatch, *, mean_size=None, call_entries=None, n=6 * 1024 + 300):
    if call_entries is not None:
        monkeypatch.setattr(_rrsets, "CALL_ENTRIES", call_entries)
    R = RRSets(G, model, None, 42)
    if mean_size is not None:
        orig = R._run
        R._run = lambda b, s, c, sz, rt, sc, ms: orig(b, s, c, sz, rt, sc, mean_size)
    R.add(n)
    monkeypatch.undo()
    return R.nodes.copy(), R.offsets.copy(), R.roots.copy()


@pytest.mark.parametrize("model", ["ic", "lt", "trig"])
def test_sets_do_not_depend_on_capacity_or_call_size(model, monkeypatch):
    G = _random_ic_graph(5, weights="wc" if model == "lt" else None)
    m = TriggeringModel.ic(G) if model == "trig" else model
    ref = _sets(G, m, monkeypatch)
    assert np.diff(ref[1]).max() > 20    # sets big enough that small slices overflow
    for kw in ({"mean_size": 0.0}, {"mean_size": 3.0}, {"mean_size": 400.0},
               {"call_entries": 1}, {"call_entries": 50_000},
               {"mean_size": 1.0, "call_entries": 20_000}):
        got = _sets(G, m, monkeypatch, **kw)
        for a, b in zip(ref, got):
            np.testing.assert_array_equal(a, b, err_msg=str(kw))


def test_chunked_calls_checkpoint_between_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(_rrsets, "checkpoint", lambda: calls.append(1))
    monkeypatch.setattr(_rrsets, "CALL_ENTRIES", 1)   # one block per call
    G = _random_ic_graph(6)
    sample_rr_sets(G, 5 * 1024, rng=0)
    assert len(calls) >= 5


# -- B10: Ctrl-C ----------------------------------------------------------------------------

def test_sigint_during_sampling_is_a_plain_keyboard_interrupt():
    G = cliques(4, 400, p=0.02)       # mean set size in the hundreds: a few seconds of work
    sample_rr_sets(G, 10, rng=0)       # compile outside the timed part
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    t0 = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            sample_rr_sets(G, 2_000_000, rng=1)
    finally:
        timer.cancel()
    assert type(info.value) is KeyboardInterrupt
    assert time.perf_counter() - t0 < 5.0
    assert not _interrupt.pending()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    R = sample_rr_sets(G, 2000, rng=2)     # the process is fine afterwards
    assert len(R) == 2000 and R.roots.min() >= 0


# -- B12: memory ----------------------------------------------------------------------------

def test_huge_request_raises_before_allocating():
    G = cycles(10, 5)
    t0 = time.perf_counter()
    with pytest.raises(MemoryLimitError) as info:
        sample_rr_sets(G, 10**10, rng=0)          # default limit: available memory
    assert time.perf_counter() - t0 < 2.0
    msg = str(info.value)
    assert "sample_rr_sets" in msg and "MiB" in msg and "max_memory" in msg
    assert "10,000,000,000 RR sets" in msg


def test_limit_checked_after_the_pilot_measures_the_set_size():
    G = cycles(4, 500)                # every set holds 500 nodes
    # 20k one-node sets would fit in 2 MB, 20k sets of 500 nodes need ~80 MB
    with pytest.raises(MemoryLimitError, match=r"mean size 500\.0"):
        sample_rr_sets(G, 20_000, rng=0, max_memory=4_000_000)


def test_memory_error_while_allocating_becomes_memory_limit_error(monkeypatch):
    def boom(self, *a):
        raise MemoryError("cannot allocate")

    monkeypatch.setattr(RRSets, "_reserve", boom)
    R = RRSets(cycles(3, 4), "ic", None, 0)
    with pytest.raises(MemoryLimitError, match="out of memory while allocating 100 RR sets"):
        R.add(100)
    assert len(R) == 0


# -- C14: graph type ------------------------------------------------------------------------

@pytest.mark.parametrize("bad, shown", [
    (None, "Got None"),
    (nx.karate_club_graph(), "from_networkx"),
    ("graph.txt", "type str"),
])
def test_graph_type_checked_first(bad, shown):
    with pytest.raises(InvalidParameterError, match=shown) as info:
        sample_rr_sets(bad, 10)
    assert info.value.param == "G"
    assert "sample_rr_sets" in str(info.value)


def test_temporal_graph_rejected():
    TG = im.TemporalGraph.from_events([0, 1, 2], [1, 2, 0], [0.0, 1.0, 2.0], snapshots=2)
    with pytest.raises(InvalidParameterError, match="temporal method"):
        sample_rr_sets(TG, 10)


def test_greedy_in_bounded_calls_gives_the_same_selection():
    from infmax._kernels import coverage as _cov

    G = _random_ic_graph(8)
    R = sample_rr_sets(G, 3000, rng=4)
    inv_ptr, inv_sets = R.inverted_index()
    cand = np.ones(G.n, dtype=np.uint8)
    cand[::5] = 0
    calls = []
    ref = _cov.greedy_cover(G.n, 12, R.nodes, R.offsets, len(R), inv_ptr, inv_sets, cand, True)
    for step in (1, 5, 12, 40):
        got = _cov.greedy_cover(G.n, 12, R.nodes, R.offsets, len(R), inv_ptr, inv_sets, cand,
                                True, steps_per_call=step, between=lambda: calls.append(1))
        np.testing.assert_array_equal(ref[0], got[0])
        np.testing.assert_array_equal(ref[1], got[1])
        assert (ref[2], ref[3]) == (got[2], got[3])
    assert len(calls) == 12 + 3 + 1 + 1
