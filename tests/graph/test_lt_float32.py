"""LT weights on float32 graphs: the in-weight tolerance follows the dtype (issue 8, item 5)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infmax as im
from infmax.diffusion import TriggeringModel
from infmax.graph.weights import check_lt_weights, lt_tolerance, normalize_lt


def _wc32():
    return im.graph.from_edges([1, 2, 3], [0, 0, 0], weights="wc", dtype=np.float32)


def test_issue_reproducer_wc_float32_lt_spread():
    G = _wc32()
    assert G.probs.dtype == np.float32 and G.in_weight_sum[0] > 1.0  # 3 * float32(1/3)
    est = im.spread(G, [1], model="lt", n_simulations=20000, rng=5)
    # node 0 is triggered by 1 with probability w = float32(1/3): spread = 1 + w
    exact = 1.0 + float(np.float32(1 / 3))
    assert abs(est.mean - exact) <= 4 * est.stderr
    assert im.exact_spread(G, [1], model="lt") == pytest.approx(exact, abs=1e-12)
    check_lt_weights(G)


def test_rr_sampling_accepts_wc_float32_under_lt():
    G = _wc32()
    R = im.sample_rr_sets(G, 20000, model="lt", rng=2)
    est = R.estimate(G.node_ids([1]))
    exact = 1.0 + float(np.float32(1 / 3))
    assert abs(est.mean - exact) <= 4 * est.stderr


def test_triggering_lt_on_float32_has_no_spurious_empty_set():
    G = _wc32()
    M = TriggeringModel.lt(G)
    v = int(G.node_ids([0])[0])
    opts = M.options(G, v)
    assert len(opts) == 3 and all(members for _, members in opts)
    assert M.n_options(G)[v] == 3
    # an in_probs array given as float32 also gets the float32 allowance
    G64 = G.with_probs(G.probs.astype(np.float64), "wc")
    assert G64.probs.dtype == np.float64
    TriggeringModel(G64, np.ones(G.n, np.int8), in_probs=G.rprobs)


def test_tolerance_follows_dtype():
    assert lt_tolerance(np.float64) == 1e-9
    eps32 = float(np.finfo(np.float32).eps)
    assert 3 * eps32 / 2 < lt_tolerance(np.float32) < 1e-5
    # two float32 weights 1 ulp apart summing to 1 + 2**-24: fine as float32, not as float64
    w = np.array([0.5, np.nextafter(np.float32(0.5), np.float32(1))], dtype=np.float32)
    G32 = im.graph.from_edges([1, 2], [0, 0], probs=w, weights="file", dtype=np.float32)
    assert G32.in_weight_sum[0] == 1.0 + 2.0**-24
    check_lt_weights(G32)
    G64 = im.graph.from_edges([1, 2], [0, 0], probs=w.astype(np.float64), weights="file")
    with pytest.raises(im.InvalidParameterError, match=r"has 1\.00000006 "):
        check_lt_weights(G64)
    with pytest.raises(im.InvalidParameterError):
        TriggeringModel.lt(G64)
    TriggeringModel.lt(G32)
    # a real excess is still rejected in float32
    bad = im.graph.from_edges([1, 2], [0, 0], probs=[0.5, 0.5001], weights="file",
                              dtype=np.float32)
    with pytest.raises(im.InvalidParameterError, match="'model' parameter of spread") as e:
        im.spread(bad, [1], model="lt")
    msg = str(e.value)
    assert "1.000100017" in msg and "normalize_lt" in msg and "float32" in msg


def test_message_does_not_recommend_wc_for_wc_derived_graph():
    # a graph whose weighting says "wc" but whose weights were raised: only normalize_lt helps
    G = _wc32()
    H = G.with_probs(np.full(G.m, 0.4, dtype=np.float32), "wc")
    with pytest.raises(im.InvalidParameterError) as e:
        check_lt_weights(H)
    assert "weights='wc'" not in str(e.value) and "normalize_lt" in str(e.value)
    F = im.graph.from_edges([1, 2], [0, 0], probs=[0.6, 0.6], weights="file")
    with pytest.raises(im.InvalidParameterError, match="weights='wc' or"):
        check_lt_weights(F)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([np.float32, np.float64]))
def test_normalize_lt_output_passes_and_keeps_proportions(seed, dtype):
    r = np.random.default_rng(seed)
    m = 400
    src, dst = r.integers(0, 40, m), r.integers(0, 40, m)
    w = r.uniform(0.0, 1.0, m)
    w[r.random(m) < 0.1] = 0.0  # zero weights too
    G = im.graph.from_edges(src, dst, probs=w, weights="file", merge="sum", dtype=dtype)
    N = normalize_lt(G)
    assert N.probs.dtype == np.dtype(dtype)
    check_lt_weights(N)  # the normalised graph always passes
    im.spread(N, [0], model="lt", n_simulations=10, rng=1)
    s_old, s_new = G.in_weight_sum, N.in_weight_sum
    over = s_old > 1.0
    if np.dtype(dtype) == np.float32:
        assert (s_new[over] <= 1.0).all()  # rounded toward zero: never above 1
    eps = float(np.finfo(dtype).eps)
    assert np.allclose(s_new[over], 1.0, rtol=0, atol=4 * eps * 40)
    keep = ~over[G.indices]
    assert np.array_equal(N.probs[keep], G.probs[keep])  # nodes within 1 are unchanged
    sel = ~keep & (G.probs > 0)
    ratio = N.probs[sel].astype(np.float64) / (G.probs[sel].astype(np.float64)
                                               / s_old[G.indices[sel]])
    assert np.allclose(ratio, 1.0, rtol=0, atol=2 * eps)


def test_normalize_lt_float32_reproducer():
    # in-weights 0.85, 0.75, 0.1 in float32: before the fix the scaled weights were rounded to
    # nearest and node 0's sum came out 1 + 3.7e-9, which the old check rejected
    G = im.graph.from_edges([1, 2, 3], [0, 0, 0], probs=[0.85, 0.75, 0.1],
                            weights="file", dtype=np.float32)
    N = normalize_lt(G)
    assert N.probs.dtype == np.float32 and N.in_weight_sum[0] <= 1.0
    est = im.spread(N, [1, 2, 3], model="lt", n_simulations=2000, rng=3)
    assert est.mean == pytest.approx(4.0)  # in-weights of node 0 sum to ~1: always activated
