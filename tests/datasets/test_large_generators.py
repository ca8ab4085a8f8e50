"""R-MAT and Chung-Lu: distributions against the parameters, determinism, the CSR builder."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import infmax as im
from infmax.datasets import synthetic
from infmax.datasets.synthetic import chung_lu, rmat, rmat_edges
from infmax.exceptions import InvalidParameterError, MemoryLimitError

ALPHA = 1e-4   # chi-square tests: fixed seeds, rejection only below this p-value


def _same(G, H):
    return (np.array_equal(G.indptr, H.indptr) and np.array_equal(G.indices, H.indices)
            and np.array_equal(G.probs, H.probs))


# -- R-MAT ------------------------------------------------------------------------------------
@pytest.mark.parametrize("abc", [(0.57, 0.19, 0.19), (0.45, 0.15, 0.3)])
def test_rmat_quadrant_frequencies_per_level(abc):
    a, b, c = abc
    scale, ef = 8, 64
    src, dst = rmat_edges(scale, ef, a=a, b=b, c=c, permute=False, rng=1)
    m = src.shape[0]
    assert m == ef << scale
    expected = m * np.array([a, b, c, 1 - a - b - c])
    for level in range(scale):
        ub = (src >> level) & 1
        vb = (dst >> level) & 1
        obs = np.bincount(2 * ub + vb, minlength=4)
        assert stats.chisquare(obs, expected).pvalue > ALPHA, (level, obs, expected)


def test_rmat_out_degree_by_number_of_one_bits():
    # raw out-degree of u is Binomial-like with mean m (a+b)^(scale-k) (c+d)^k, k = ones in u
    scale, ef, a, b, c = 10, 16, 0.57, 0.19, 0.19
    src, _ = rmat_edges(scale, ef, a=a, b=b, c=c, permute=False, rng=2)
    ones = np.array([bin(u).count("1") for u in range(1 << scale)])
    deg = np.bincount(src, minlength=1 << scale)
    obs = np.bincount(ones, weights=deg, minlength=scale + 1)
    k = np.arange(scale + 1)
    from scipy.special import comb

    exp = src.shape[0] * comb(scale, k) * (a + b) ** (scale - k) * (1 - a - b) ** k
    assert stats.chisquare(obs, exp).pvalue > ALPHA


def test_rmat_is_the_graph_of_its_pairs():
    # the O(m) counting-sort build against from_edges (the general path) on the same pairs
    for directed in (True, False):
        src, dst = rmat_edges(9, 8, rng=3)
        G = rmat(9, 8, rng=3, directed=directed)
        H = im.graph.from_edges(src.astype(np.int64), dst.astype(np.int64), directed=directed,
                                nodes=np.arange(512), weights="wc")
        assert _same(G, H) and G.labels.tolist() == H.labels.tolist()
        for f in ("rows_read", "self_loops_dropped", "parallel_edges_merged"):
            assert getattr(G.summary, f) == getattr(H.summary, f), f


def test_csr_builder_matches_from_edges_on_loops_and_duplicates():
    rng = np.random.default_rng(0)
    for directed in (True, False):
        s = rng.integers(0, 40, 3000).astype(np.int32)
        d = rng.integers(0, 40, 3000).astype(np.int32)
        G = synthetic._csr_graph(50, s, d, directed=directed, weights="wc",
                                 gen=np.random.default_rng(1), dtype=np.float64, source="t",
                                 func="t")
        H = im.graph.from_edges(s, d, directed=directed, nodes=np.arange(50), weights="wc")
        assert _same(G, H)
        assert G.summary.parallel_edges_merged == H.summary.parallel_edges_merged > 0
        assert G.summary.self_loops_dropped == H.summary.self_loops_dropped > 0
    # empty input
    G = synthetic._csr_graph(3, np.empty(0, np.int32), np.empty(0, np.int32), directed=True,
                             weights="wc", gen=np.random.default_rng(1), dtype=np.float64,
                             source="t", func="t")
    assert (G.n, G.m) == (3, 0)


def test_rmat_deterministic_for_any_thread_count_and_rng():
    G1 = rmat(12, 8, rng=5, n_threads=1)
    G2 = rmat(12, 8, rng=5, n_threads=2)
    assert _same(G1, G2)
    assert not _same(G1, rmat(12, 8, rng=6))
    assert _same(rmat(8, 4, rng=np.random.default_rng(9), weights="trivalency"),
                 rmat(8, 4, rng=np.random.default_rng(9), weights="trivalency"))


def test_rmat_permute_keeps_the_degree_multiset():
    src0, dst0 = rmat_edges(8, 8, permute=False, rng=4)
    src1, dst1 = rmat_edges(8, 8, permute=True, rng=4)
    assert not np.array_equal(src0, src1)
    assert sorted(np.bincount(src0, minlength=256)) == sorted(np.bincount(src1, minlength=256))


def test_rmat_errors():
    with pytest.raises(InvalidParameterError, match="'scale'"):
        rmat(0)
    with pytest.raises(InvalidParameterError, match="a \\+ b \\+ c <= 1"):
        rmat(4, a=0.6, b=0.3, c=0.2)
    with pytest.raises(InvalidParameterError, match="'a'"):
        rmat(4, a=float("nan"))
    with pytest.raises(MemoryLimitError, match="rmat"):
        rmat(20, max_memory=10**6)


# -- Chung-Lu ----------------------------------------------------------------------------------
def _expected_degrees(w_out, w_in, directed):
    S = w_in.sum()
    P = np.minimum(1.0, np.outer(w_out, w_in) / S)
    np.fill_diagonal(P, 0.0)
    if directed:
        return P.sum(1), (P * (1 - P)).sum(1), P.sum(0), (P * (1 - P)).sum(0)
    return P.sum(1), (P * (1 - P)).sum(1), None, None


def _z_test(deg, mean, var, w):
    """Per-node squared z-scores sum to about n (SD sqrt(2 n)); and, per decile of weight, the
    summed degree is within 5 SE of its mean (a bias of a few % in hubs or leaves fails)."""
    order = np.argsort(w)
    for part in np.array_split(order, 10):
        # nodes' degrees are dependent through shared pairs: SE of a sum <= sqrt(2 var)
        se = np.sqrt(2 * var[part].sum())
        assert abs(deg[part].sum() - mean[part].sum()) <= 5 * se + 1e-9, part[:3]
    ok = var > 0
    assert np.all(deg[~ok] == mean[~ok])      # p in {0, 1}: the degree is exact
    z2 = ((deg[ok] - mean[ok]) ** 2 / var[ok]).sum()
    n = int(ok.sum())
    assert abs(z2 - n) < 6 * np.sqrt(2 * n), (z2, n)


def test_chung_lu_expected_degrees_undirected():
    rng = np.random.default_rng(0)
    # heavy tail: the top products exceed S, so the min(1, .) cap and p = 1 are exercised
    w = np.concatenate([rng.pareto(2.0, 4000) * 8 + 2, [900.0, 700.0, 0.0]])
    G = chung_lu(w, rng=1)
    deg = np.diff(G.indptr)
    mean, var, _, _ = _expected_degrees(w, w, False)
    _z_test(deg, mean, var, w)
    total_sd = np.sqrt(var.sum() / 2)
    assert abs(G.m / 2 - mean.sum() / 2) < 5 * total_sd
    assert deg[-1] == 0                         # weight 0: isolated
    assert G.summary.self_loops_dropped == 0 and G.summary.parallel_edges_merged == 0


def test_chung_lu_expected_degrees_directed():
    rng = np.random.default_rng(1)
    w_out = rng.uniform(0, 20, 1200)
    w_in = rng.permutation(w_out)
    G = chung_lu(w_out, in_degrees=w_in, directed=True, rng=2)
    mo, vo, mi, vi = _expected_degrees(w_out, w_in, True)
    _z_test(np.diff(G.indptr).astype(float), mo, vo, w_out)
    _z_test(G.in_degree.astype(float), mi, vi, w_in)
    assert abs(G.m - mo.sum()) < 5 * np.sqrt(vo.sum())


def test_chung_lu_deterministic_for_any_thread_count():
    w = np.random.default_rng(3).uniform(1, 30, 40_000)
    G1 = chung_lu(w, rng=4, n_threads=1)
    G2 = chung_lu(w, rng=4, n_threads=2)
    assert _same(G1, G2)
    assert not _same(G1, chung_lu(w, rng=5))


def test_chung_lu_edge_cases_and_errors():
    assert chung_lu(np.zeros(5), rng=0).m == 0
    assert chung_lu([3.0], rng=0).m == 0
    G = chung_lu(np.full(4, 100.0), rng=0)       # every p = 1: the complete graph
    assert G.m == 12
    with pytest.raises(InvalidParameterError, match="'degrees'"):
        chung_lu([1.0, -1.0])
    with pytest.raises(InvalidParameterError, match="'degrees'"):
        chung_lu([1.0, float("nan")])
    with pytest.raises(InvalidParameterError, match="'degrees'"):
        chung_lu([])
    with pytest.raises(InvalidParameterError, match="'in_degrees'"):
        chung_lu([1.0, 2.0], in_degrees=[1.0, 2.0])
    with pytest.raises(InvalidParameterError, match="'in_degrees'"):
        chung_lu([1.0, 2.0], in_degrees=[1.0, 5.0], directed=True)
    with pytest.raises(InvalidParameterError, match="'in_degrees'"):
        chung_lu([1.0, 2.0], in_degrees=[3.0], directed=True)


def test_rmat_without_arcs_saves_and_loads(tmp_path):
    G = rmat(4, 0, rng=1)
    assert (G.n, G.m, G.summary.rows_read) == (16, 0, 0)
    G.save(tmp_path / "empty.infmax")
    H = im.graph.load(tmp_path / "empty.infmax")
    assert (H.n, H.m) == (16, 0) and H.rev_perm.shape == (0,)
