"""from_edges orders large edge lists by a counting sort: the same order as numpy's stable sort."""

import numpy as np
import pytest

import infmax as im
from infmax.graph import _digraph


@pytest.mark.parametrize("chunk", [1, 7, 1 << 24])
def test_key_order_equals_stable_argsort(monkeypatch, chunk):
    monkeypatch.setattr(_digraph, "_CALL_ARCS", chunk)
    rng = np.random.default_rng(4)
    n = 37
    s = rng.integers(0, n, 500)
    d = rng.integers(0, n, 500)
    ref = np.argsort(s.astype(np.int64) * n + d, kind="stable")
    assert np.array_equal(_digraph._key_order(s, d, n), ref)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("merge", ["ic", "sum", "first"])
def test_from_edges_same_graph_with_counting_sort(monkeypatch, directed, merge):
    rng = np.random.default_rng(11)
    src = rng.integers(0, 60, 900)   # many parallel edges and self-loops
    dst = rng.integers(0, 60, 900)
    p = rng.uniform(0.01, 0.3, 900)
    ref = im.from_edges(src, dst, p, directed=directed, merge=merge)
    monkeypatch.setattr(_digraph, "_COUNTING_SORT_MIN", 0)
    monkeypatch.setattr(_digraph, "_CALL_ARCS", 64)   # several bounded calls
    got = im.from_edges(src, dst, p, directed=directed, merge=merge)
    for a in ("indptr", "indices", "probs", "labels"):
        assert np.array_equal(getattr(got, a), getattr(ref, a)), a
