"""RR sets sharded over workers: the same sets and the same seeds as in one process.

Independent references: the local store and the local selectors (``sample_rr_sets``,
``greedy_coverage``, ``imm`` / ``tim_plus`` / ``opim_c`` without an executor) and a pure-Python
twin of the shard decrement kernel. Sharded runs use ``LocalShardPool`` (1-3 shards in this
process) and Dask ``LocalCluster``s with 1, 2 and 3 workers.
"""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

import infmax as im
from infmax._kernels.sharded import newly_covered_decrements
from infmax.algorithms.coverage import greedy_coverage
from infmax.datasets.synthetic import barabasi_albert
from infmax.distributed import (
    DaskShardPool,
    LocalExecutor,
    LocalShardPool,
    ProcessExecutor,
    payload_nbytes,
    shard_pool,
)
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.sampling import BLOCK_SIZE, ShardedRRSets, rr_fingerprint, sample_rr_sets


@pytest.fixture(scope="module")
def G():
    return barabasi_albert(1500, 3, rng=1)


@pytest.fixture(scope="module")
def weights(G):
    w = np.random.default_rng(0).random(G.n)
    w[w < 0.7] = 0.0   # targeted roots: most nodes weigh 0
    return w


def _strip(res):
    """What must be identical: seeds, spread, stderr and the record (minus memory layout)."""
    rec = {k: v for k, v in res.record.items() if k not in ("distributed", "peak_rr_bytes")}
    return res.seeds, res.spread, res.spread_stderr, rec, res.params


# -- sharded store and greedy, in this process -------------------------------------------------
@pytest.mark.parametrize("n_shards", [1, 2, 3])
@pytest.mark.parametrize("model", ["ic", "lt"])
def test_local_shards_hold_the_local_sets(G, weights, n_shards, model):
    # weighted-cascade weights sum to 1 over every node's in-arcs: valid LT weights too
    # requests that end inside a block, and one smaller than a block
    counts = [3 * BLOCK_SIZE + 17, 700, 2 * BLOCK_SIZE]
    for nw in (None, weights):
        R = ShardedRRSets.for_graph(G, LocalShardPool(n_shards), model=model, node_weights=nw,
                                    rng=11)
        L = sample_rr_sets(G, 0, model=model, node_weights=nw, rng=11)
        for c in counts:
            R.add(c)
            L.add(c)
        assert R.n_sets == L.n_sets and R.n_entries == L.n_entries
        assert rr_fingerprint(R) == rr_fingerprint(L)
        off, nodes, roots = R.arrays()
        np.testing.assert_array_equal(off, L.offsets)
        np.testing.assert_array_equal(nodes, L.nodes)
        np.testing.assert_array_equal(roots, L.roots)
        ids = np.array([0, 5, 9])
        assert R.coverage(ids) == L.coverage(ids)
        pick = np.random.default_rng(1).random(G.n)
        np.testing.assert_array_equal(R.set_sums(pick),
                                      np.add.reduceat(pick[L.nodes], L.offsets[:-1]))


def test_local_shards_triggering_model(G):
    from infmax.diffusion import TriggeringModel

    T = TriggeringModel.lt(G)
    R = ShardedRRSets.for_graph(G, LocalShardPool(3), model=T, rng=2).add(4 * BLOCK_SIZE + 9)
    L = sample_rr_sets(G, 4 * BLOCK_SIZE + 9, model=T, rng=2)
    assert R.model == L.model and rr_fingerprint(R) == rr_fingerprint(L)
    want = im.imm(G, 4, model=T, epsilon=0.5, rng=1)
    assert _strip(im.imm(G, 4, model=T, epsilon=0.5, rng=1,
                         executor=LocalShardPool(2))) == _strip(want)


def test_fingerprint_sees_a_different_collection(G):
    a = sample_rr_sets(G, 2000, rng=1)
    b = sample_rr_sets(G, 2000, rng=2)
    assert rr_fingerprint(a) != rr_fingerprint(b)


@pytest.mark.parametrize("n_shards", [1, 2, 3])
@pytest.mark.parametrize("upper", [False, True])
def test_sharded_greedy_is_the_local_kernel(G, n_shards, upper):
    cand = np.ones(G.n, dtype=np.uint8)
    cand[::3] = 0   # candidates: ties and exclusions must follow the local rule
    R = ShardedRRSets.for_graph(G, LocalShardPool(n_shards), rng=4).add(9000)
    L = sample_rr_sets(G, 9000, rng=4)
    want = greedy_coverage(L, 25, cand, upper)
    seeds, gains, covered, ub = R.greedy_cover(25, cand, upper)
    np.testing.assert_array_equal(seeds, want.seed_ids)
    np.testing.assert_array_equal(gains, want.gains)
    assert covered == want.covered
    assert (ub if upper else None) == want.upper
    # round 0: per shard, uint16 counts (9,000 sets) dense or sparse, whichever is smaller;
    # later rounds are sparse: less than a dense int64 vector per shard and pick in all
    assert R.round_bytes[0] <= 2 * G.n * n_shards
    assert sum(R.round_bytes[1:]) < 8 * G.n * n_shards * 25
    # guessed picks save round trips (a round is one pick plus the guesses that were right)
    assert len(R.round_bytes) - 1 < 20


@pytest.mark.parametrize("leaders_min", [1, 12, 60])
@pytest.mark.parametrize("upper", [False, True])
def test_sharded_greedy_with_few_leaders_is_the_local_kernel(G, monkeypatch, leaders_min,
                                                             upper):
    """With few leaders the shards report only the leaders' drops, the driver keeps stale
    upper bounds for the rest, and every regathering asks the shards for the new leaders'
    exact counts (also halfway through a round's guesses, for OPIM-C's bound): still the
    local kernel's seeds, gains, coverage and bound; fewer bytes per round."""
    import infmax.sampling._sharded as sh

    exact, step = sh._greedy_exact, sh._greedy_step
    calls = {"exact": 0}

    def counting(*a):
        calls["exact"] += 1
        return exact(*a)

    monkeypatch.setattr(sh, "_greedy_exact", counting)
    monkeypatch.setattr(sh, "_LEADERS_MIN", leaders_min)
    cand = np.ones(G.n, dtype=np.uint8)
    cand[::4] = 0
    for n_shards, k in [(1, 30), (2, 7), (3, 30)]:
        R = ShardedRRSets.for_graph(G, LocalShardPool(n_shards), rng=5).add(7000)
        want = greedy_coverage(sample_rr_sets(G, 7000, rng=5), k, cand, upper)
        seeds, gains, covered, ub = R.greedy_cover(k, cand, upper)
        np.testing.assert_array_equal(seeds, want.seed_ids)
        np.testing.assert_array_equal(gains, want.gains)
        assert covered == want.covered
        assert (ub if upper else None) == want.upper
    assert calls["exact"] > 0
    # a filtered step answers for at most the leaders (int32 id + uint8/16 drop each)
    monkeypatch.setattr(sh, "_greedy_step", lambda *a: step(*a))
    R = ShardedRRSets.for_graph(G, LocalShardPool(2), rng=5).add(7000)
    R.greedy_cover(30, cand, upper)
    few = sum(R.round_bytes[1:])
    monkeypatch.setattr(sh, "_LEADERS_MIN", G.n)
    R.greedy_cover(30, cand, upper)
    assert few < sum(R.round_bytes[1:])


def test_sharded_greedy_rebuilds_lost_state(G, monkeypatch):
    """A shard whose selection state is gone (worker restarted, task retried) replays the
    picks it is given: the selection is unchanged."""
    import infmax.sampling._sharded as sh

    step = sh._greedy_step
    calls = []

    def forgetful(shard, run, seeds, *guesses):
        calls.append(len(seeds))
        if len(calls) % 3 == 0:
            shard.selection = None
        return step(shard, run, seeds, *guesses)

    monkeypatch.setattr(sh, "_greedy_step", forgetful)
    cand = np.ones(G.n, dtype=np.uint8)
    R = ShardedRRSets.for_graph(G, LocalShardPool(2), rng=6).add(6000)
    want = greedy_coverage(sample_rr_sets(G, 6000, rng=6), 15, cand, True)
    seeds, gains, covered, ub = R.greedy_cover(15, cand, True)
    assert len(calls) > 6
    np.testing.assert_array_equal(seeds, want.seed_ids)
    assert (covered, ub) == (want.covered, want.upper)
    # with few leaders a rebuilt state reports every drop (it lost the leaders): the same
    monkeypatch.setattr(sh, "_LEADERS_MIN", 10)
    seeds, gains, covered, ub = R.greedy_cover(15, cand, True)
    np.testing.assert_array_equal(seeds, want.seed_ids)
    assert (covered, ub) == (want.covered, want.upper)


def test_sharded_greedy_zero_gain_rounds():
    # 4 nodes, dead arcs: every set is its root; after the roots every pick gains 0
    G = im.from_edges([0, 2], [1, 3], weights=0.0)
    R = ShardedRRSets.for_graph(G, LocalShardPool(2), rng=0).add(50)
    L = sample_rr_sets(G, 50, rng=0)
    cand = np.ones(G.n, dtype=np.uint8)
    want = greedy_coverage(L, G.n, cand, True)
    seeds, gains, covered, ub = R.greedy_cover(G.n, cand, True)
    np.testing.assert_array_equal(seeds, want.seed_ids)
    np.testing.assert_array_equal(gains, want.gains)
    assert (covered, ub) == (want.covered, want.upper)


def test_decrement_kernel_against_python_twin(G):
    L = sample_rr_sets(G, 3000, rng=9)
    inv_ptr, inv_sets = L.inverted_index()
    covered = np.zeros(L.n_sets, dtype=np.uint8)
    covered[::5] = 1
    ref_cov = covered.copy()
    acc = np.zeros(G.n, dtype=np.int32)
    mask = np.zeros(G.n, dtype=np.bool_)
    mask[::3] = True
    seen = 0
    for best, masked in ((0, False), (7, True), (0, False), (3, True), (11, False)):
        nodes, drops = newly_covered_decrements(best, L.nodes, L.offsets, inv_ptr, inv_sets,
                                                covered, acc, mask, masked)
        want: dict[int, int] = {}
        for s in inv_sets[inv_ptr[best]:inv_ptr[best + 1]]:
            if not ref_cov[s]:
                ref_cov[s] = 1
                for v in L[int(s)]:
                    if mask[v] or not masked:
                        want[int(v)] = want.get(int(v), 0) + 1
        assert dict(zip(nodes.tolist(), drops.tolist())) == want
        seen += len(want)
        assert len(set(nodes.tolist())) == nodes.shape[0]
        assert not acc.any()
        np.testing.assert_array_equal(covered, ref_cov)
    assert seen > 0


@pytest.mark.parametrize("fn", [im.imm, im.tim_plus, im.opim_c])
def test_selectors_on_local_shards_match_local(G, weights, fn):
    for nw in (None, weights):
        want = fn(G, 8, epsilon=0.4, rng=3, node_weights=nw)
        for n_shards in (1, 3):
            got = fn(G, 8, epsilon=0.4, rng=3, node_weights=nw,
                     executor=LocalShardPool(n_shards))
            assert _strip(got) == _strip(want)
            d = got.record["distributed"]
            assert d["n_shards"] == n_shards and len(d["round_bytes"]) >= 2
            assert d["dense_round_bytes"] == 8 * G.n * n_shards


def test_executor_arguments(G):
    # local executors keep the local path (no "distributed" record)
    for ex in (None, "local", LocalExecutor()):
        assert "distributed" not in im.imm(G, 2, epsilon=0.5, rng=0, executor=ex).record
    with pytest.raises(InvalidParameterError, match="executor"):
        im.imm(G, 2, epsilon=0.5, rng=0, executor="nope")
    with ProcessExecutor(1) as pe, pytest.raises(InvalidParameterError, match="executor"):
        im.imm(G, 2, epsilon=0.5, rng=0, executor=pe)
    with pytest.raises(InvalidParameterError, match="client"):
        im.imm(G, 2, epsilon=0.5, rng=0, executor=LocalExecutor(), client="tcp://x:1")
    with pytest.raises(InvalidParameterError, match="executor"):
        shard_pool(object())


def test_payload_nbytes():
    a = np.zeros(10, dtype=np.int32)
    assert payload_nbytes((a, 3, [a, None], {"x": 1.0})) == 40 + 8 + 40 + 8
    assert payload_nbytes(object()) == 0


def test_memory_guard_per_shard(G):
    R = ShardedRRSets.for_graph(G, LocalShardPool(2), rng=0, max_memory=200_000)
    with pytest.raises(MemoryLimitError, match="RR sets"):
        R.add(50_000)


def test_import_infmax_does_not_import_dask():
    import subprocess
    import sys
    code = ("import sys, infmax, infmax.sampling, infmax.algorithms; "
            "im = infmax; im.imm(im.from_edges([0], [1], weights=1.0), 1, rng=0, "
            "executor=infmax.distributed.LocalShardPool(2)); "
            "print(any(m == 'dask' or m.startswith('dask.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# -- on Dask -----------------------------------------------------------------------------------
dd = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module", params=[1, 2, 3])
def dask_ex(request):
    from infmax.distributed import DaskExecutor
    with DaskExecutor(n_workers=request.param, processes=False) as ex:
        yield ex


@pytest.mark.slow
def test_dask_store_identical(G, weights, dask_ex):
    for nw in (None, weights):
        R = ShardedRRSets.for_graph(G, dask_ex, node_weights=nw, rng=21)
        L = sample_rr_sets(G, 0, node_weights=nw, rng=21)
        for c in (5 * BLOCK_SIZE + 3, 1000):
            R.add(c)
            L.add(c)
        assert R.n_shards == dask_ex.n_workers
        assert len(R.worker_bytes()) == dask_ex.n_workers
        assert rr_fingerprint(R) == rr_fingerprint(L)


@pytest.mark.slow
@pytest.mark.parametrize("fn", [im.imm, im.tim_plus, im.opim_c])
def test_dask_selectors_identical(G, weights, dask_ex, fn):
    for nw in (None, weights):
        want = fn(G, 6, epsilon=0.4, rng=8, node_weights=nw)
        got = fn(G, 6, epsilon=0.4, rng=8, node_weights=nw, executor=dask_ex)
        assert _strip(got) == _strip(want)
        d = got.record["distributed"]
        assert d["n_workers"] == dask_ex.n_workers
        assert set(d["peak_rss_per_worker"]) == set(d["store_bytes_per_worker"])
        # a round carries the sparse drops of a pick and of its guesses: each less than a
        # dense vector per shard
        from infmax.sampling._sharded import _GUESSES
        assert sum(d["round_bytes"][1:]) < \
            d["dense_round_bytes"] * (len(d["round_bytes"]) - 1) * (1 + _GUESSES)


@pytest.mark.slow
def test_dask_client_argument(G):
    from infmax.distributed import DaskExecutor
    with DaskExecutor(n_workers=2, processes=False) as ex:
        want = im.imm(G, 4, epsilon=0.5, rng=1)
        got = im.imm(G, 4, epsilon=0.5, rng=1, client=ex.client)
        assert _strip(got) == _strip(want)
        assert ex.client.status == "running"   # a caller's client is not closed


@pytest.mark.slow
def test_dask_memory_guard_per_worker(G):
    from infmax.distributed import DaskExecutor
    with DaskExecutor(n_workers=2, processes=False) as ex:
        with pytest.raises(MemoryLimitError, match="imm"):
            im.imm(G, 4, epsilon=0.1, rng=1, executor=ex, max_memory=300_000)
        # the same limit is enough when it applies per worker and the need is small
        R = ShardedRRSets.for_graph(G, ex, rng=0, max_memory=2_000_000).add(2000)
        assert R.n_sets == 2000


@pytest.mark.slow
def test_dask_worker_killed_mid_sampling_is_recovered(G):
    """A worker process killed while the shards are sampled (and again while they are held):
    Dask recomputes the lost shards from their lineage; the sets and the seeds are the local
    ones."""
    from infmax.distributed import DaskExecutor
    big = barabasi_albert(20_000, 4, rng=2)
    count = 150 * BLOCK_SIZE
    with DaskExecutor(n_workers=2, processes=True) as ex:
        pids = ex.client.run(os.getpid)
        victim = pids[sorted(pids)[1]]
        R = ShardedRRSets.for_graph(big, ex, rng=5)
        submit = R.pool.update

        def submit_then_kill(*a, **kw):
            # the sampling tasks are submitted (not waited for): kill a worker now, while
            # they run, so its shards are lost mid-sampling whatever the machine's speed
            handles = submit(*a, **kw)
            os.kill(victim, signal.SIGKILL)
            return handles

        R.pool.update = submit_then_kill
        R.add(count)
        R.pool.update = submit
        assert victim not in ex.client.run(os.getpid).values()
        L = sample_rr_sets(big, count, rng=5)
        assert rr_fingerprint(R) == rr_fingerprint(L)
        # the restarted worker gets the graph at the next batch; then the other worker dies
        # while it holds the shards; the selection still is the local one
        ex.client.wait_for_workers(2)
        R.add(BLOCK_SIZE + 5)
        L.add(BLOCK_SIZE + 5)
        pids = ex.client.run(os.getpid)
        os.kill(pids[sorted(pids)[0]], signal.SIGKILL)
        cand = np.ones(big.n, dtype=np.uint8)
        seeds, gains, covered, _ = R.greedy_cover(10, cand)
        want = greedy_coverage(L, 10, cand)
        np.testing.assert_array_equal(seeds, want.seed_ids)
        assert covered == want.covered


# -- the driver's shortcuts: compact round 0, leaders instead of a scan of all n ----------------
def test_compact_counts_round_trip_and_pick_the_smaller_form():
    from infmax.sampling._sharded import add_counts, compact_counts
    gen = np.random.default_rng(3)
    for n, nnz, top in [(1000, 5, 200), (1000, 900, 200), (1000, 10, 70_000), (64, 0, 0),
                        (0, 0, 0), (500, 100, 2**33)]:
        cnt = np.zeros(n, dtype=np.int64)
        idx = gen.choice(n, nnz, replace=False) if nnz else np.empty(0, dtype=np.int64)
        cnt[idx] = gen.integers(1, top + 1, nnz) if nnz else 0
        if nnz:
            cnt[idx[0]] = top
        nodes, vals = compact_counts(cnt)
        total = np.full(n, 7, dtype=np.int64)
        add_counts(total, (nodes, vals))
        np.testing.assert_array_equal(total, cnt + 7)
        size = vals.dtype.itemsize
        # narrowest type that holds the maximum
        want = next(t for t in (np.uint8, np.uint16, np.uint32, np.int64)
                    if top <= np.iinfo(t).max)
        assert vals.dtype == want
        dense, sparse = n * size, nnz * (4 + size)
        assert payload_nbytes((nodes, vals)) == min(dense, sparse) if sparse != dense else True
        assert (nodes is not None) == (sparse < dense)


def test_round0_counts_read_from_the_index_in_both_forms(G):
    """A shard's round 0 (nonzero_counts over its index pointers) decodes to np.diff of the
    pointers, sparse for a few sets and dense for many."""
    from infmax._kernels.sharded import nonzero_counts
    from infmax.sampling._rrsets import BLOCK_SIZE
    from infmax.sampling._sharded import SamplingSpec, Shard, _greedy_counts, add_counts
    for n_sets, sparse in [(3, True), (20_000, False)]:
        shard = Shard(SamplingSpec(G, "ic", None), None, None, "test")
        seeds = np.arange(1, 1 + -(-n_sets // BLOCK_SIZE), dtype=np.uint64)
        shard.sample_blocks(seeds, np.arange(seeds.shape[0]), n_sets, 0)
        ptr = shard.inverted_index()[0]
        nodes, counts, nz = nonzero_counts(ptr)
        np.testing.assert_array_equal(nodes, np.flatnonzero(np.diff(ptr)))
        np.testing.assert_array_equal(counts, np.diff(ptr)[nodes])
        assert nz == nodes.shape[0]
        part = _greedy_counts(shard, "run")
        assert (part[0] is not None) == sparse
        total = np.zeros(G.n, dtype=np.int64)
        add_counts(total, part)
        np.testing.assert_array_equal(total, np.diff(ptr))


def test_round0_is_sparse_when_few_nodes_have_counts(G):
    # 50 sets: one block, on shard 0; shard 1 holds none (an all-zero count vector: 0 bytes)
    R = ShardedRRSets.for_graph(G, LocalShardPool(2), rng=2).add(50)
    L = sample_rr_sets(G, 50, rng=2)
    cand = np.ones(G.n, dtype=np.uint8)
    seeds, gains, covered, _ = R.greedy_cover(5, cand)
    want = greedy_coverage(L, 5, cand)
    np.testing.assert_array_equal(seeds, want.seed_ids)
    # uint8 counts (at most 50) of the distinct nodes of the 50 sets, with their int32 ids
    assert R.round_bytes[0] == 5 * np.unique(L.nodes).shape[0] < G.n


@pytest.mark.parametrize("k", [1, 5, 40])
def test_leaders_are_the_full_scan(k):
    """_Leaders against np.argmax / _topk_sum over the whole vector, round after round, with
    ties, zero and negative scores, non-candidates, the leaders running out, and scores too
    large for the gathering kernel's histogram."""
    from infmax.sampling._sharded import _Leaders, _topk_sum
    gen = np.random.default_rng(k)
    # (scores above the kernel's histogram bins take the partition path)
    for n, hi in [(20_000, 30), (9000, 3), (300, 1000), (5000, 3 << 20)]:
        cnt = gen.integers(0, hi, n).astype(np.int64)
        cand = gen.random(n) < 0.8
        score = np.where(cand, cnt, -1)
        lead = _Leaders(score, k)
        lead.size = 64 if n > 1000 else lead.size   # few leaders: they run out and regather
        lead._gather()
        for _ in range(600):
            best = lead.argmax()
            assert best == int(np.argmax(score))
            assert lead.topk_sum() == _topk_sum(cnt, cand, k)
            # the pick's count goes to 0; others fall by random drops (never below 0)
            drop_nodes = gen.choice(n, 50, replace=False)
            drops = np.minimum(gen.integers(0, 4, 50), cnt[drop_nodes])
            drops[drop_nodes == best] = 0
            cnt[drop_nodes] -= drops
            score[drop_nodes] -= drops
            cnt[best] = 0
            score[best] = -1


# -- a pool per client, kept across runs -----------------------------------------------------
@pytest.mark.slow
def test_dask_pool_and_graph_reused_across_runs(G, weights):
    from infmax.distributed import DaskExecutor, release
    with DaskExecutor(n_workers=2, processes=False) as ex:
        want = im.imm(G, 5, epsilon=0.5, rng=3)
        first = im.imm(G, 5, epsilon=0.5, rng=3, executor=ex)
        pool = shard_pool(ex)
        hits, scattered = pool.scatter_hits, first.record["distributed"]["traffic"]["bytes_out"]
        assert pool.kept() == 1 and not ex.client.amm.running()
        # the same graph and model: the same pool, the spec is not sent again
        again = im.imm(G, 5, epsilon=0.5, rng=3, client=ex.client)
        assert shard_pool(ex) is pool and pool.scatter_hits == hits + 1
        assert _strip(first) == _strip(again) == _strip(want)
        # bytes of this run only (the pool resets its counts per run): no graph scattered
        assert again.record["distributed"]["traffic"]["bytes_out"] < scattered - G.m * 8
        # other root weights, another model: scattered anew, the oldest beyond 2 dropped
        w = im.imm(G, 5, epsilon=0.5, rng=3, node_weights=weights, executor=ex)
        assert _strip(w) == _strip(im.imm(G, 5, epsilon=0.5, rng=3, node_weights=weights))
        assert pool.kept() == 2
        im.imm(G, 5, model="lt", epsilon=0.5, rng=3, executor=ex)
        assert pool.kept() == DaskShardPool.CACHE_SIZE == 2
        # another graph object: never the first graph's spec
        G2 = barabasi_albert(1500, 3, rng=2)
        other = im.imm(G2, 5, epsilon=0.5, rng=3, executor=ex)
        assert _strip(other) == _strip(im.imm(G2, 5, epsilon=0.5, rng=3))
        release(ex.client)
        assert pool.kept() == 0 and ex.client.amm.running()
        assert shard_pool(ex) is not pool   # released: a fresh pool next time
        im.imm(G, 5, epsilon=0.5, rng=3, executor=ex)
        pool = shard_pool(ex)
        assert pool.kept() == 1
    assert pool.kept() == 0   # closing the executor frees it


@pytest.mark.slow
def test_dask_kept_graph_freed_with_the_graph():
    """Worker processes hold a copy: dropping the driver's graph frees the kept spec."""
    import gc

    from infmax.distributed import DaskExecutor
    with DaskExecutor(n_workers=2, processes=True) as ex:
        H = barabasi_albert(800, 3, rng=4)
        want = im.imm(H, 3, epsilon=0.5, rng=1)
        assert _strip(im.imm(H, 3, epsilon=0.5, rng=1, executor=ex)) == _strip(want)
        pool = shard_pool(ex)
        assert pool.kept() == 1
        held, k = pool._kept[0]
        key = held().futures[k].key

        def holds(dask_worker):
            return key in dask_worker.data

        assert all(ex.client.run(holds).values())   # on both workers
        del H, held
        gc.collect()
        assert pool.kept() == 0
        for _ in range(100):   # the release reaches the workers asynchronously
            if not any(ex.client.run(holds).values()):
                break
            time.sleep(0.1)
        assert not any(ex.client.run(holds).values())


@pytest.mark.slow
def test_dask_worker_threads_give_the_same_sets(G):
    """Shards sampled with 2 threads per worker (run_tasks, parallel blocks) hold the sets
    sampled with 1 thread and locally."""
    from infmax.distributed import DaskExecutor
    count = 80 * BLOCK_SIZE + 11   # 40 blocks per shard: the parallel path
    want = rr_fingerprint(sample_rr_sets(G, count, rng=9, n_threads=1))
    with DaskExecutor(n_workers=2, processes=False) as ex:
        for nt in (1, 2):
            R = ShardedRRSets.for_graph(G, ex, rng=9, n_threads=nt).add(count)
            assert rr_fingerprint(R) == want


def _slow_answer(shard, seconds):
    time.sleep(seconds)
    return len(shard)


@pytest.mark.slow
def test_dask_direct_call_honours_ctrl_c():
    """A direct worker call that blocks (round 0 on a large shard, a stuck worker) is waited
    for with checkpoints: Ctrl-C inside an interruptible section surfaces within a second."""
    import threading

    from infmax._interrupt import interruptible
    from infmax.distributed import DaskExecutor
    with DaskExecutor(n_workers=1, processes=False) as ex:
        pool = shard_pool(ex)
        shards = pool.create(list, [([1, 2],)])
        assert pool.query(_slow_answer, shards, [(0.0,)], direct=True) == [2]
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        t0 = time.monotonic()
        with pytest.raises(KeyboardInterrupt), interruptible():
            timer.start()
            pool.query(_slow_answer, shards, [(6.0,)], direct=True)
        assert time.monotonic() - t0 < 2.5
