"""TemporalGraph, contact-file loaders, SI Monte Carlo (kernel vs twin, exact enumeration)."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

import infmax as im
from infmax.datasets.temporal import read_contacts
from infmax.exceptions import GraphFormatError, InvalidParameterError, UnknownNodeError
from infmax.graph.temporal import TemporalGraph
from infmax.random import block_seeds, uniforms
from infmax.temporal.si import BLOCK_SIZE, si_counts_ids, si_spread

DATA = os.environ.get("INFMAX_DATA_DIR")
needs_data = pytest.mark.skipif(not DATA, reason="INFMAX_DATA_DIR is not set")


# -- TemporalGraph ---------------------------------------------------------------------------
def test_from_events_snapshots_and_labels():
    TG = TemporalGraph.from_events(["a", "b", "a", "c", "a"], ["b", "c", "c", "c", "b"],
                                   [0, 5, 10, 3, 1], snapshots=2)
    assert TG.n == 3 and TG.T == 2
    assert TG.summary.self_loops_dropped == 1
    assert TG.labels.tolist() == ["a", "b", "c"]
    a, b, c = TG.node_ids(["a", "b", "c"])
    # boundaries [0, 5, 10]: t=5 goes to snapshot 0 (right-closed, like pandas.cut)
    assert sorted(TG.neighbors(a, 0).tolist()) == [b]            # a-b at t=0 and t=1 merged
    assert sorted(TG.neighbors(b, 0).tolist()) == [a, c]
    assert sorted(TG.neighbors(a, 1).tolist()) == [c]
    assert TG.snapshot_degrees.tolist() == [[1, 2, 1], [1, 0, 1]]
    assert TG.degree.tolist() == [2, 2, 2]
    G = TG.to_static()
    assert G.n == 3 and G.m == 6 and not G.directed
    assert TG.node_labels([c]) == ["c"]


def test_binning_matches_pandas_cut():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    t = rng.uniform(0, 1000, 500).round(0)
    s = rng.integers(0, 30, 500)
    d = (s + 1 + rng.integers(0, 28, 500)) % 30
    TG = TemporalGraph.from_events(s, d, t, snapshots=7)
    expect = pd.cut(t, bins=7, labels=False)
    order = np.argsort(t, kind="stable")
    assert np.array_equal(TG.events_snapshot, expect[order])


def test_directed_and_given_boundaries_and_events_binning():
    TG = TemporalGraph.from_events([1, 2, 3], [2, 3, 1], [1.0, 2.0, 9.0], directed=True,
                                   boundaries=[0, 1.5, 3])
    assert TG.T == 2 and TG.summary.events_outside == 1 and TG.n_events == 2
    i1, i2, i3 = TG.node_ids([1, 2, 3])
    assert TG.neighbors(i1, 0).tolist() == [i2] and TG.neighbors(i2, 0).tolist() == []
    assert TG.neighbors(i2, 1).tolist() == [i3]
    TE = TemporalGraph.from_events(np.arange(8), np.arange(8) + 1, [0, 1, 2, 3, 100, 101, 102,
                                                                     103], snapshots=2,
                                   binning="events")
    assert np.bincount(TE.events_snapshot).tolist() == [4, 4]
    T3 = TE.with_snapshots(4)
    assert T3.T == 4 and T3.n == TE.n and T3.n_events == TE.n_events


@pytest.mark.parametrize("kw, param", [
    ({"snapshots": 0}, "snapshots"), ({"boundaries": [3, 1]}, "boundaries"),
    ({"binning": "weekly"}, "binning")])
def test_from_events_bad_input(kw, param):
    with pytest.raises(InvalidParameterError, match=param) as e:
        TemporalGraph.from_events([1], [2], [0], **kw)
    assert e.value.param == param


def test_from_events_shape_mismatch():
    with pytest.raises(InvalidParameterError, match="equal length"):
        TemporalGraph.from_events([1, 2], [2], [0, 1])
    with pytest.raises(InvalidParameterError, match="times"):
        TemporalGraph.from_events([1], [2], [np.nan])


# -- loaders ---------------------------------------------------------------------------------
def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_tij_loader(tmp_path):
    p = _write(tmp_path, "tij.dat", "20\t1\t2\n40\t2\t3\tNUR\tPAT\n\n60\t3\t3\n")
    TG = read_contacts(p, snapshots=2)
    assert TG.n == 3 and TG.n_events == 2 and TG.summary.rows_read == 3
    assert TG.summary.self_loops_dropped == 1


def test_konect_loader_sorts_and_drops_loops(tmp_path):
    p = _write(tmp_path, "out.x", "% asym positive\n5 6 1 300\n5 5 1 100\n6 7 1 200\n")
    TG = read_contacts(p, snapshots=1)
    assert TG.n == 3 and TG.n_events == 2
    assert TG.events_time.tolist() == [200.0, 300.0]
    assert TG.labels.tolist() == [5, 6, 7]


def test_haggle_loader_uses_start_time(tmp_path):
    p = _write(tmp_path, "contacts.dat", "1\t8\t121\t150\t1\t0\r\n1\t3\t236\t347\t1\t0\r\n")
    TG = read_contacts(p, format="haggle", snapshots=1)
    assert TG.events_time.tolist() == [121.0, 236.0]
    with pytest.raises(GraphFormatError, match="line 1"):
        read_contacts(_write(tmp_path, "bad.dat", "1 8 200 100 1 0\n"), format="haggle")


def test_one_loader_counts_up_events(tmp_path):
    p = _write(tmp_path, "one.tsv", "0\tCONN\t1\t2\tup\n5\tCONN\t1\t2\tdown\n7\tCONN\t2\t3\tup\n")
    TG = read_contacts(p, snapshots=1)
    assert TG.n_events == 2 and TG.events_time.tolist() == [0.0, 7.0]
    with pytest.raises(GraphFormatError, match="line 2"):
        read_contacts(_write(tmp_path, "b.tsv", "0\tCONN\t1\t2\tup\n1\tCONN\t1\t2\tsideways\n"),
                      format="one")


@pytest.mark.parametrize("fmt, text, line", [
    ("tij", "1 2 3\nx 2 3\n", 2), ("tij", "1 2\n", 1), ("konect", "% h\n1 2 1 5\n1 2 1\n", 3),
    ("konect", "1 2 w 5\n", 1)])
def test_malformed_lines(tmp_path, fmt, text, line):
    p = _write(tmp_path, "f.txt", text)
    with pytest.raises(GraphFormatError, match=f"line {line}") as e:
        read_contacts(p, format=fmt)
    assert e.value.line == line


def test_loader_bad_format_and_missing_file(tmp_path):
    with pytest.raises(InvalidParameterError, match="format"):
        read_contacts(_write(tmp_path, "f", "1 2 3\n"), format="csv")
    with pytest.raises(GraphFormatError, match="no such file"):
        read_contacts(tmp_path / "nope.txt")


@needs_data
@pytest.mark.parametrize("name, n, events, extra", [
    ("hospital", 75, 32424, {"distinct_pairs": 1139}),
    ("ht09", 113, 20818, {"distinct_pairs": 2196}),
    ("dnc-email", 1891, 39264 - 1843, {}),
    ("haggle-intel", 128, 2766, {}),
    ("haggle-cambridge", 52, 10873, {}),
    ("infectious-2009-07-15", 410, 17298, {})])
def test_real_datasets_published_statistics(name, n, events, extra):
    TG = im.datasets.load(name, snapshots=10)
    assert TG.n == n and TG.n_events == events
    info = TG.info()
    for key, v in extra.items():
        assert info[key] == v
    if name == "dnc-email":
        assert TG.summary.self_loops_dropped == 1843 and TG.summary.rows_read == 39264


def test_registry_entries():
    names = im.datasets.list("temporal")
    for name in ("hospital", "ht09", "dnc-email", "haggle-cambridge", "haggle-intel",
                 "infectious-2009-07-15", "infectious-2009-04-28"):
        assert name in names
    info = im.datasets.info("hospital")
    assert info["urls"][0].startswith("https://raw.githubusercontent.com/gesiscss/face2face/23ca5d")


# -- SI model --------------------------------------------------------------------------------
def _twin(TG, seeds, beta, n_sims, block_seed_arr):
    """Pure-Python SI with the kernel's coin stream (one block after another)."""
    out = []
    n_blocks = -(-n_sims // BLOCK_SIZE)
    for b in range(n_blocks):
        coins = uniforms(int(block_seed_arr[b]), 200_000)
        ci = 0
        for _ in range(min(BLOCK_SIZE, n_sims - b * BLOCK_SIZE)):
            infected = []
            for v in seeds:
                if v not in infected:
                    infected.append(v)
            for t in range(TG.T):
                cur = len(infected)
                for u in infected[:cur]:
                    for v in TG.neighbors(u, t).tolist():
                        if v not in infected:
                            x = coins[ci]
                            ci += 1
                            if x < beta:
                                infected.append(v)
            out.append(len(infected))
    return np.array(out)


def _random_tg(seed, n=12, events=60, T=4, directed=False):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, n, events)
    d = rng.integers(0, n, events)
    return TemporalGraph.from_events(s, d, rng.uniform(0, 100, events), snapshots=T,
                                     directed=directed)


@pytest.mark.parametrize("directed", [False, True])
def test_si_kernel_matches_twin_exactly(directed):
    TG = _random_tg(1, directed=directed)
    seeds = np.array([0, 3], dtype=np.int32)
    n_sims = 150
    bs = block_seeds(np.random.default_rng(9), -(-n_sims // BLOCK_SIZE))
    counts = si_counts_ids(TG, [seeds], beta=0.35, n_simulations=n_sims,
                           rng=np.random.default_rng(9))[0]
    assert np.array_equal(counts, _twin(TG, seeds.tolist(), 0.35, n_sims, bs))


def test_si_parallel_serial_and_thread_counts_agree():
    import numba

    from infmax._kernels.temporal import si_counts, si_counts_serial

    TG = _random_tg(2, n=40, events=400)
    ptr = np.array([0, 2, 5], dtype=np.int64)
    nodes = np.array([0, 1, 5, 6, 7], dtype=np.int32)
    bs = block_seeds(4, 2 * 4)
    args = (TG.indptr, TG.indices, TG.n, TG.T, ptr, nodes, 0.3, 250, BLOCK_SIZE, bs)
    ref = si_counts_serial(*args)
    old = numba.get_num_threads()
    try:
        for th in range(1, old + 1):
            numba.set_num_threads(th)
            assert np.array_equal(si_counts(*args), ref)
    finally:
        numba.set_num_threads(old)


def _exact_si(TG, seeds, beta):
    arcs = [(t, u, v) for t in range(TG.T) for u in range(TG.n)
            for v in TG.neighbors(u, t).tolist()]
    assert len(arcs) <= 16
    total = 0.0
    for live in itertools.product([0, 1], repeat=len(arcs)):
        pr = 1.0
        for x in live:
            pr *= beta if x else 1 - beta
        inf = set(seeds)
        for t in range(TG.T):
            new = {v for (tt, u, v), x in zip(arcs, live) if x and tt == t and u in inf}
            inf |= new
        total += pr * len(inf)
    return total


def test_si_spread_matches_exact_enumeration():
    # 5 nodes, 3 snapshots: a chain that needs time-respecting paths
    TG = TemporalGraph.from_events([0, 1, 2, 0, 3, 1], [1, 2, 3, 4, 4, 3],
                                   [0, 1, 2, 2.5, 3, 0.2], snapshots=3)
    seeds = [0]
    exact = _exact_si(TG, TG.node_ids(seeds).tolist(), 0.6)
    est = si_spread(TG, seeds, beta=0.6, n_simulations=20_000, rng=11)
    assert abs(est.mean - exact) <= 4 * est.stderr
    assert est.n_simulations == 20_000 and est.model == "si"
    # beta = 1: deterministic time-respecting reachability
    assert si_spread(TG, seeds, beta=1.0, n_simulations=64, rng=0).mean == _exact_si(
        TG, TG.node_ids(seeds).tolist(), 1.0)


def test_si_spread_bad_input():
    TG = _random_tg(3)
    with pytest.raises(InvalidParameterError, match="'beta' parameter of si_spread"):
        si_spread(TG, [0], beta=1.5)
    with pytest.raises(UnknownNodeError, match="999"):
        si_spread(TG, [999], beta=0.1)
    with pytest.raises(InvalidParameterError, match="TemporalGraph"):
        si_spread("hospital", [0], beta=0.1)
    with pytest.raises(InvalidParameterError, match="n_simulations"):
        si_spread(TG, [0], beta=0.1, n_simulations=0)


def test_lazy_top_level_names():
    assert im.TemporalGraph is TemporalGraph
    assert callable(im.bopim)
