"""IMM's speed levers keep the selection exact: lazy greedy max coverage against a plain Python
greedy (slow twin) and against the counting greedy, including ties, zero gains, candidate
masks and bounded calls; the reuse modes' kept inverted index."""

import numpy as np
import pytest

import infmax as im
from infmax._kernels import coverage as _cov
from infmax.sampling import RRSets, sample_rr_sets


def python_greedy(sets, n, k, cand):
    """Greedy max coverage written plainly: largest gain, ties to the smallest id."""
    covered = np.zeros(len(sets), dtype=bool)
    chosen, seeds, gains = set(), [], []
    for _ in range(k):
        best, bg = -1, -1
        for v in range(n):
            if not cand[v] or v in chosen:
                continue
            g = sum(1 for j, s in enumerate(sets) if not covered[j] and v in s)
            if g > bg:
                best, bg = v, g
        chosen.add(best)
        seeds.append(best)
        gains.append(bg)
        for j, s in enumerate(sets):
            if best in s:
                covered[j] = True
    return seeds, gains, int(covered.sum())


def store(sets):
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(s) for s in sets])
    nodes = np.array([v for s in sets for v in s], dtype=np.int32)
    return nodes, offsets


@pytest.mark.parametrize("seed", range(6))
def test_lazy_greedy_equals_plain_greedy_and_the_counting_greedy(seed):
    g = np.random.default_rng(seed)
    n = int(g.integers(5, 40))
    # few distinct sizes and many repeated sets: ties everywhere; k up to n: zero-gain steps
    sets = [sorted(set(g.integers(0, n, int(g.integers(1, 4))).tolist()))
            for _ in range(int(g.integers(0, 120)))]
    nodes, offsets = store(sets)
    inv_ptr, inv_sets = _cov.build_inverted(n, nodes, offsets, 0, len(sets))
    cand = (g.random(n) < 0.7).astype(np.uint8)
    cand[int(g.integers(0, n))] = 1
    for k in sorted({1, 2, int(cand.sum()) // 2 or 1, int(cand.sum())}):
        want = python_greedy(sets, n, k, cand)
        for step in (None, 1, 3):
            lazy = _cov.greedy_cover(n, k, nodes, offsets, len(sets), inv_ptr, inv_sets, cand,
                                     False, steps_per_call=step)
            assert (lazy[0].tolist(), lazy[1].tolist(), lazy[2]) == want
        counting = _cov.greedy_cover(n, k, nodes, offsets, len(sets), inv_ptr, inv_sets, cand,
                                     True)
        assert (counting[0].tolist(), counting[1].tolist(), counting[2]) == want


def test_lazy_greedy_on_rr_sets_equals_the_counting_greedy():
    G = im.datasets.synthetic.erdos_renyi(400, 0.02, directed=True, rng=3).reweight("wc")
    R = sample_rr_sets(G, 20_000, rng=5)
    inv_ptr, inv_sets = R.inverted_index()
    cand = np.ones(G.n, dtype=np.uint8)
    cand[1::7] = 0
    a = _cov.greedy_cover(G.n, 60, R.nodes, R.offsets, R.n_sets, inv_ptr, inv_sets, cand, False)
    b = _cov.greedy_cover(G.n, 60, R.nodes, R.offsets, R.n_sets, inv_ptr, inv_sets, cand, True)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[2] == b[2]


def test_reuse_modes_keep_the_index_and_select_as_with_a_rebuilt_one():
    # the final selection of a reuse mode runs on the kept index merged with the top-up sets;
    # it equals the index built from scratch, and the seeds equal a rebuild's
    G = im.datasets.synthetic.erdos_renyi(300, 0.02, directed=True, rng=2).reweight("wc")
    dropped = []
    orig = RRSets.drop_inverted_index

    def spy(self):
        dropped.append(self.n_sets)
        orig(self)

    RRSets.drop_inverted_index = spy
    try:
        res = im.imm(G, 5, epsilon=0.3, rng=4, final="reuse-corrected")
    finally:
        RRSets.drop_inverted_index = orig
    assert dropped == []
    R = RRSets(G, "ic", None, np.random.default_rng(0)).add(3000)
    R.inverted_index()
    R.add(500)
    kept = R.inverted_index()
    fresh = _cov.build_inverted(G.n, R.nodes, R.offsets, 0, R.n_sets)
    np.testing.assert_array_equal(kept[0], fresh[0])
    np.testing.assert_array_equal(kept[1], fresh[1])
    assert res.record["theta"] >= res.record["theta_required"]
