"""The threaded paths of the speed work (issue 14): run_tasks, threaded RR / inverted-index /
Monte Carlo kernels against their serial twins, and what a call compiles and launches.

Timings are never asserted; these tests check that the fast paths return exactly what the
serial kernels return, and that the RIS and Monte Carlo paths neither compile a
``parallel=True`` kernel nor start numba's threading layer (each of those cost seconds of
cold start, or ~40 ms per process).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import numba
import numpy as np
import pytest

import infmax as im
from conftest import assert_parallel_equals_serial
from infmax._kernels import coverage as _cov
from infmax._kernels import reverse as _rev
from infmax._kernels._threads import current_threads, run_tasks
from infmax.diffusion import TriggeringModel
from infmax.sampling import sample_rr_sets


def test_run_tasks_runs_every_task_once_with_worker_rows():
    seen = np.zeros(101, dtype=np.int64)
    workers = set()
    lock = threading.Lock()

    def task(w, j):
        with lock:
            workers.add(w)
            seen[j] += 1

    run_tasks(101, task, n_workers=numba.config.NUMBA_NUM_THREADS)
    assert seen.tolist() == [1] * 101
    assert workers <= set(range(numba.config.NUMBA_NUM_THREADS))
    run_tasks(0, task)                 # nothing to do
    assert seen.sum() == 101


def test_run_tasks_one_worker_runs_in_the_calling_thread_in_order():
    order = []
    run_tasks(5, lambda w, j: order.append((w, j, threading.get_ident())), n_workers=1)
    assert order == [(0, j, threading.get_ident()) for j in range(5)]


def test_run_tasks_reraises_the_first_error_after_the_workers_stopped():
    done = []

    def task(w, j):
        if j == 3:
            raise ValueError("task 3")
        done.append(j)

    with pytest.raises(ValueError, match="task 3"):
        run_tasks(50, task, n_workers=2)
    assert 3 not in done and len(done) < 50


@pytest.mark.parametrize("task_blocks", [1, 3, 16])
@pytest.mark.parametrize("model", ["ic", "lt", "triggering"])
def test_threaded_rr_kernels_equal_serial_for_any_task_size(monkeypatch, task_blocks, model):
    G = im.datasets.synthetic.erdos_renyi(300, 0.02, directed=True, rng=5).reweight("wc")
    m = TriggeringModel.ic(G) if model == "triggering" else model
    R = sample_rr_sets(G, 10, model=m, rng=0)
    monkeypatch.setattr(_rev, "TASK_BLOCKS", task_blocks)
    if model == "triggering":
        assert_parallel_equals_serial(_rev.sample_blocks_triggering,
                                      _rev.sample_blocks_triggering_serial, R._prep, G.n,
                                      count=9 * 1024 + 7)
    else:
        assert_parallel_equals_serial(_rev.sample_blocks, _rev.sample_blocks_serial, R._prep,
                                      G.n, count=9 * 1024 + 7)


def test_rr_sets_identical_for_one_and_all_threads():
    G = im.datasets.synthetic.erdos_renyi(400, 0.015, directed=True, rng=9).reweight("wc")
    a = sample_rr_sets(G, 70_000, rng=3, n_threads=1)
    b = sample_rr_sets(G, 70_000, rng=3, n_threads=numba.config.NUMBA_NUM_THREADS)
    np.testing.assert_array_equal(a.nodes, b.nodes)
    np.testing.assert_array_equal(a.offsets, b.offsets)


def _python_inverted(n, nodes, offsets, s0, s1):
    lists = [[] for _ in range(n)]
    for s in range(s0, s1):
        for v in nodes[offsets[s]:offsets[s + 1]]:
            lists[v].append(s)
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    return ptr, np.array([s for x in lists for s in x], dtype=np.int32)


@pytest.mark.parametrize("s0", [0, 17])
def test_threaded_inverted_index_equals_a_python_twin(s0):
    G = im.datasets.synthetic.erdos_renyi(150, 0.03, directed=True, rng=1).reweight("wc")
    R = sample_rr_sets(G, 3000, rng=2)
    ref = _python_inverted(G.n, R.nodes, R.offsets, s0, R.n_sets)
    for got in (_cov.build_inverted(G.n, R.nodes, R.offsets, s0, R.n_sets),
                _cov.build_inverted_serial(G.n, R.nodes, R.offsets, s0, R.n_sets)):
        np.testing.assert_array_equal(got[0], ref[0])
        np.testing.assert_array_equal(got[1], ref[1])


def test_inverted_index_chunks_bound_the_temporaries(monkeypatch):
    """The threaded build uses at most entries // n chunks (16 n bytes of count and cursor
    rows each), and gives the serial index whatever the chunking."""
    assert _cov.inverted_chunks(4_194_304, 2_200_000) == 1      # R-MAT 2^22: one thread
    assert _cov.inverted_chunks(1000, 5_000_000) == 16
    assert _cov.inverted_chunks(1_000_000, 5_000_000) == 5
    assert _cov.inverted_chunks(10, 1000) == 1                  # small: one thread
    G = im.datasets.synthetic.erdos_renyi(150, 0.03, directed=True, rng=1).reweight("wc")
    R = sample_rr_sets(G, 3000, rng=2)
    ref = _python_inverted(G.n, R.nodes, R.offsets, 0, R.n_sets)
    seen = []
    real = _cov._inverted
    monkeypatch.setattr(_cov, "_inverted", lambda *a: seen.append(a[5]) or real(*a))
    for floor, n in [(0, G.n), (0, 4 * R.n_entries), (10 ** 9, G.n)]:
        monkeypatch.setattr(_cov, "PARALLEL_MIN_ENTRIES", floor)
        seen.clear()
        got = _cov.inverted(n, R.nodes, R.offsets, 0, R.n_sets)
        assert seen == [_cov.inverted_chunks(n, R.n_entries)]
        assert seen[0] * n <= max(R.n_entries, n)
        np.testing.assert_array_equal(got[1], ref[1])
        np.testing.assert_array_equal(got[0][:G.n + 1], ref[0])


def test_inverted_index_of_no_sets_and_empty_nodes():
    offsets = np.zeros(4, dtype=np.int64)
    ptr, sets = _cov.build_inverted(5, np.empty(0, dtype=np.int32), offsets, 1, 3)
    assert ptr.tolist() == [0] * 6 and sets.shape == (0,)


def test_greedy_without_bound_equals_greedy_with_bound():
    G = im.datasets.synthetic.erdos_renyi(200, 0.03, directed=True, rng=4).reweight("wc")
    R = sample_rr_sets(G, 5000, rng=6)
    inv_ptr, inv_sets = R.inverted_index()
    cand = np.ones(G.n, dtype=np.uint8)
    a = _cov.greedy_cover(G.n, 9, R.nodes, R.offsets, R.n_sets, inv_ptr, inv_sets, cand, False)
    b = _cov.greedy_cover(G.n, 9, R.nodes, R.offsets, R.n_sets, inv_ptr, inv_sets, cand, True,
                          steps_per_call=2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[2] == b[2] and a[3] == -1 and b[3] >= b[2]


def test_current_threads_follows_the_threads_context():
    from infmax._kernels._threads import threads

    with threads(1):
        assert current_threads() == 1
    assert 1 <= current_threads() <= numba.config.NUMBA_NUM_THREADS


_FRESH = textwrap.dedent("""
    import infmax as im
    from infmax._kernels import coverage as cov, forward as fw
    G = im.datasets.synthetic.erdos_renyi(2000, 0.004, directed=True, rng=1).reweight("wc")
    im.imm(G, 5, epsilon=0.3, rng=1)                      # threaded sampling and greedy
    R = im.sample_rr_sets(G, 400_000, rng=2)              # > PARALLEL_MIN_ENTRIES: threaded
    R.inverted_index()
    im.spread(G, [0, 1, 2], n_simulations=20_000, rng=3)  # threaded Monte Carlo
    print(len(fw.forward_blocks.signatures), len(cov._topk_sum.signatures),
          len(cov.greedy_start.signatures))
""")


def test_ris_and_monte_carlo_compile_no_prange_kernel_nor_the_bound_kernels():
    # the Monte Carlo path runs the serial kernel on threads (the prange forward_blocks, a
    # second compilation of the whole cascade code, stays unused); IMM without an upper bound
    # needs neither greedy_start nor _topk_sum
    out = subprocess.run([sys.executable, "-c", _FRESH], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "0", "0"]


def test_block_kernels_compile_without_the_parallel_warning(tmp_path):
    # parallel=True without prange: numba warns when it compiles; _call silences that one
    # warning (checked on an empty cache, with every NumbaPerformanceWarning an error)
    code = ("import warnings, infmax as im\n"
            "from numba.core.errors import NumbaPerformanceWarning\n"
            "warnings.simplefilter('error', NumbaPerformanceWarning)\n"
            "G = im.datasets.synthetic.erdos_renyi(60, 0.1, directed=True, rng=2).reweight('wc')\n"
            "for m in ('ic', 'lt', im.diffusion.TriggeringModel.ic(G)):\n"
            "    im.sample_rr_sets(G, 40 * 1024, model=m, rng=0)\n"
            "print('ok')\n")
    env = dict(__import__("os").environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
