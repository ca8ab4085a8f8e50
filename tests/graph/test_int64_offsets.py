"""Graphs with more than 2^31 - 1 arcs store arc indices as int64 (the threshold is lowered here).

Row pointers are int64 whatever m; ``rev_perm`` (in-CSR arc -> out-CSR arc) switches from int32
to int64 above ``ARC_INT32_MAX``. Lowering the threshold runs the int64 branch on small graphs,
which must give results identical to the int32 branch.
"""

from __future__ import annotations

import numpy as np
import pytest

import infmax as im
from infmax.graph import _digraph


def _fresh(G):
    """The same graph with an unbuilt reverse CSR (so the threshold in force applies)."""
    return _digraph._rebuild(G.n, G.indptr, G.indices, G.probs, G.labels, G.directed,
                             G.weighting, G.summary, G.file_probs)


@pytest.fixture
def graph():
    return im.datasets.erdos_renyi(300, 0.03, directed=True, rng=11)


def test_dtype_switch(monkeypatch):
    assert _digraph.arc_index_dtype(2**31 - 1) == np.int32
    assert _digraph.arc_index_dtype(2**31) == np.int64
    monkeypatch.setattr(_digraph, "ARC_INT32_MAX", 5)
    assert _digraph.arc_index_dtype(5) == np.int32
    assert _digraph.arc_index_dtype(6) == np.int64


def test_reverse_csr_matches_a_stable_argsort(graph, monkeypatch):
    # the old construction (stable argsort of the targets) is the oracle
    src = np.repeat(np.arange(graph.n), np.diff(graph.indptr))
    perm = np.argsort(graph.indices, kind="stable")
    for limit in (2**31 - 1, 10):
        monkeypatch.setattr(_digraph, "ARC_INT32_MAX", limit)
        G = _fresh(graph)
        assert G.rev_perm.dtype == (np.int32 if limit > G.m else np.int64)
        assert np.array_equal(G.rev_perm, perm)
        assert np.array_equal(G.rindices, src[perm])
        assert G.rindptr.dtype == np.int64 and G.indptr.dtype == np.int64
        assert np.array_equal(G.rprobs, G.probs[perm])


def test_results_identical_in_both_branches(graph, monkeypatch):
    lt = graph.reweight("wc")
    small = _fresh(graph)
    small_lt = _fresh(lt)
    assert small.rev_perm.dtype == np.int32
    monkeypatch.setattr(_digraph, "ARC_INT32_MAX", 10)
    big, big_lt = _fresh(graph), _fresh(lt)
    assert big.rev_perm.dtype == np.int64
    a = im.imm(small, 4, epsilon=0.5, rng=3)
    b = im.imm(big, 4, epsilon=0.5, rng=3)
    assert a.seeds == b.seeds and a.spread == b.spread
    c = im.imm(small_lt, 4, model="lt", epsilon=0.5, rng=3)
    d = im.imm(big_lt, 4, model="lt", epsilon=0.5, rng=3)
    assert c.seeds == d.seeds
    for model in ("ic", "lt"):
        s1 = im.spread(small_lt, a.seeds, model=model, n_simulations=300, rng=5)
        s2 = im.spread(big_lt, a.seeds, model=model, n_simulations=300, rng=5)
        assert s1.mean == s2.mean


def test_binary_round_trip_keeps_int64_arc_indices(graph, monkeypatch, tmp_path):
    monkeypatch.setattr(_digraph, "ARC_INT32_MAX", 10)
    G = _fresh(graph)
    G.save(tmp_path / "g.infmax")
    H = im.graph.load(tmp_path / "g.infmax")
    assert H.rev_perm.dtype == np.int64 and np.array_equal(H.rev_perm, G.rev_perm)
