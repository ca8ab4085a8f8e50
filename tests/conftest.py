import functools
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from infmax.graph import from_edges


def shared_data_dir() -> Path | None:
    d = os.environ.get("INFMAX_DATA_DIR", "").strip()
    return Path(d) if d and Path(d).is_dir() else None


@pytest.fixture
def data_dir() -> Path:
    """The shared datasets folder; tests that need it skip when INFMAX_DATA_DIR is unset."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("INFMAX_DATA_DIR is not set (CI sets it to ../shared/data)")
    return d


class Coins:
    """The kernels' SplitMix64 stream of one block (``infmax.random.uniforms``), for the slow
    pure-Python twins: ``coins()`` / ``coins.next()`` give the next uniform, ``coins.below(n)``
    the next index in [0, n) exactly as ``_kernels._rng.next_below`` does."""

    def __init__(self, seed, chunk: int = 4096):
        from infmax.random import uniforms

        self._uniforms = uniforms
        self.seed = int(seed)
        self.buf = uniforms(self.seed, chunk)
        self.i = 0

    def next(self) -> float:
        if self.i >= self.buf.shape[0]:
            self.buf = self._uniforms(self.seed, 4 * self.buf.shape[0])
        u = float(self.buf[self.i])
        self.i += 1
        return u

    __call__ = next

    def below(self, n: int) -> int:
        return min(int(self.next() * n), n - 1)


@pytest.fixture(autouse=True)
def _restore_signal_handlers():
    """Tests that run the CLI in-process install its SIGINT/SIGTERM handlers; put the
    interpreter's back afterwards so that later tests see the defaults."""
    import signal

    from infmax import _interrupt

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for s, h in saved.items():
        if signal.getsignal(s) is not h:
            signal.signal(s, h)
    _interrupt.reset()


# -- shared by the test modules (helpers live here, not in another test module) ----------------
def random_graph(seed, n=10, m=14, *, lt=False, equal_frac=0.5):
    """Random directed graph; about ``equal_frac`` of the nodes get equal in-probabilities."""
    g = np.random.default_rng(seed)
    pairs = set()
    while len(pairs) < m:
        u, v = (int(x) for x in g.integers(0, n, 2))
        if u != v:
            pairs.add((u, v))
    src = np.array([p[0] for p in pairs])
    dst = np.array([p[1] for p in pairs])
    indeg = np.bincount(dst, minlength=n)
    equal = g.random(n) < equal_frac
    probs = np.empty(m)
    for v in range(n):
        idx = np.flatnonzero(dst == v)
        if idx.size == 0:
            continue
        if equal[v]:
            probs[idx] = 1.0 / indeg[v] if lt else g.uniform(0.1, 0.9)
        else:
            w = g.uniform(0.05, 1.0, idx.size)
            probs[idx] = w / w.sum() * g.uniform(0.5, 1.0) if lt else w * 0.9
    return from_edges(src, dst, probs, directed=True, weights="file",
                      merge="sum" if lt else "ic", nodes=range(n))


#: a small directed graph with a probability column (CLI tests)
EDGES = """# a small directed graph
0 1 0.5
0 2 0.5
1 3 0.4
2 3 0.4
3 4 0.9
4 5 0.3
"""


def run(*argv, env_extra=None, check_rc=None):
    """Run ``python -m infmax ARGV`` like a user would; optionally check the exit code."""
    env = dict(os.environ)
    env.setdefault("NUMBA_NUM_THREADS", "2")
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([sys.executable, "-m", "infmax", *argv], capture_output=True, text=True,
                       env=env, timeout=600)
    if check_rc is not None:
        assert p.returncode == check_rc, (p.returncode, p.stdout, p.stderr)
    return p


def assert_one_line_error(p, *needles):
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    assert "Traceback" not in p.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
    assert p.stdout == ""


@pytest.fixture
def graph_file(tmp_path):
    """The :data:`EDGES` graph written to a file."""
    f = tmp_path / "g.txt"
    f.write_text(EDGES)
    return f


def write_contacts(path, *, n=20, events=300, hops=3, t_max=5000, seed=0):
    """Write a random ``t i j`` contact file: ``events`` contacts between node i and one of its
    ``hops`` next nodes on a ring of ``n``, at times in [0, t_max)."""
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(events):
        i = int(rng.integers(0, n))
        j = (i + 1 + int(rng.integers(0, hops))) % n
        lines.append(f"{int(rng.integers(0, t_max))}\t{i}\t{j}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def contacts(tmp_path):
    """A random contact file on 20 nodes (temporal CLI tests)."""
    return write_contacts(tmp_path / "tij.dat")


def assert_parallel_equals_serial(parallel, serial, prep, n, *, count=40 * 1024, seed=3):
    """Run an RR sampling kernel and its serial twin on the same blocks (``prep``: the
    ``_Prepared`` tables of a store) and assert equal outputs. Outputs start at sentinels, so
    an output the kernel never writes fails (numba drops prange writes through tuple fields
    unless the kernel unpacks its NamedTuples field by field; see _kernels/reverse.py)."""
    import numba

    from infmax._kernels import reverse as rev
    from infmax.random import block_seeds, n_blocks_for
    from infmax.sampling import BLOCK_SIZE

    seeds = block_seeds(seed, n_blocks_for(count, BLOCK_SIZE))
    blocks = np.arange(seeds.shape[0], dtype=np.int64)
    nt = numba.config.NUMBA_NUM_THREADS
    cap = 64 * BLOCK_SIZE
    outs = []
    for kern in (parallel, serial):
        buf = np.zeros(blocks.shape[0] * cap, dtype=np.int32)
        bl = np.full(blocks.shape[0], -7, dtype=np.int64)
        sizes = np.full(count, -1, dtype=np.int32)
        roots = np.full(count, -1, dtype=np.int32)
        job = rev.BlockJob(seeds, blocks, BLOCK_SIZE, count, cap, buf, bl, sizes, roots)
        work = rev.Scratch(np.zeros((nt, n), np.int32), np.zeros((nt, prep.maxdeg), np.uint8),
                           np.zeros((nt, prep.maxdeg), np.int64))
        kern(prep.arrays, prep.roots, job, work)
        assert np.all(bl >= 0) and np.all(sizes >= 1) and np.all(roots >= 0)
        assert bl.sum() == sizes.sum(dtype=np.int64)
        outs.append((buf, bl, sizes, roots))
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)


# -- signal tests: processes started with a marker, and scripts run with this tree's sources --
def marked_pids(marker: str) -> list[int]:
    """Live processes whose environment holds ``INFMAX_SIGNAL_TEST=marker``."""
    needle = f"INFMAX_SIGNAL_TEST={marker}".encode()
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            env = (d / "environ").read_bytes()
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in env.split(b"\0") and state != "Z":
            pids.append(int(d.name))
    return pids


def script_env() -> dict:
    """Environment for a test's driver script: this tree's ``src`` first, no progress bars."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    env["INFMAX_PROGRESS"] = "0"
    return env


@functools.cache
def ic_ground_truth():
    """The learned methods' ground truth: ``(G, train)``, a Barabasi-Albert graph (1,000 nodes,
    2 edges each, WC weights) and the first 80 % (by time) of 1,000 IC cascades simulated on
    it from 50 initiators chosen by degree (``activity="degree"``). Built once per process."""
    import infmax as im
    from infmax.learned import synthetic_cascades

    G = im.datasets.barabasi_albert(1000, 2, rng=3)
    C = synthetic_cascades(G, 1000, initiators=50, activity="degree", rng=1)
    train, _ = im.split_by_time(C)
    return G, train


def random_initiators_margin(G, train, k, est):
    """``(mean, margin)``: the true spread of ``k`` random initiators of ``train`` (12 draws,
    each scored by 500 MC runs on ``G``) and 4 standard errors of its difference from ``est``
    (the SpreadEstimate of the seeds under test; the draws' spread carries both the draw and
    the MC error)."""
    import infmax as im
    from infmax.learned import random_initiators

    rand = np.array([im.spread(G, list(random_initiators(train, k, rng=r).seeds),
                               n_simulations=500, rng=100 + r).mean for r in range(12)])
    return rand.mean(), 4 * math.sqrt(est.stderr ** 2 + rand.var(ddof=1) / rand.size)
