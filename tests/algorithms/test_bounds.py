"""IMM / TIM+ / OPIM-C: every starting bound is a valid lower bound of the optimum over the
candidates (issue 8, A2, A3), TIM+'s failure probability (A4), the graph type (C14) and the
memory limit (B12)."""

import math
import time

import networkx as nx
import numpy as np
import pytest

import infmax as im
from infmax import _memory
from infmax.algorithms._ris import kpt_weights, prior_lower_bound
from infmax.diffusion import TriggeringModel
from infmax.exceptions import InvalidParameterError, MemoryLimitError
from infmax.graph import from_edges

ALGOS = {"imm": im.imm, "tim_plus": im.tim_plus, "opim_c": im.opim_c}


def hub_graph():
    """100 in-leaves -> hub H (label 100) -> 100 out-leaves, p = 1; the out-leaves reach only
    themselves, so the best single out-leaf has spread 1."""
    src = list(range(100)) + [100] * 100
    dst = [100] * 100 + list(range(101, 201))
    G = from_edges(src, dst, directed=True, weights=1.0)
    mask = np.zeros(G.n, dtype=bool)
    mask[G.node_ids(range(101, 201))] = True
    return G, mask


def zero_weight_candidates():
    """Arcs 0 -> 2 (p 0.010) and 1 -> 2 (p 0.012); only node 2 weighs; candidates {0, 1}:
    the optimum (k = 1) is 0.012 (seed 1)."""
    G = from_edges([0, 1], [2, 2], directed=True, weights=[0.010, 0.012])
    w = np.zeros(G.n)
    w[G.node_ids([2])] = 1.0
    mask = np.zeros(G.n, dtype=bool)
    mask[G.node_ids([0, 1])] = True
    return G, w, mask


# -- A2: TIM+ KPT over the candidates -----------------------------------------------------

def test_tim_kpt_respects_candidates_issue_reproducer():
    G, mask = hub_graph()
    res = im.tim_plus(G, 1, candidates=mask, epsilon=0.2, rng=0)
    rec = res.record
    opt = 1.0
    # KPT' = f L / (1 + eps') is an estimate: allow 4 standard errors of its coverage fraction
    theta_p = rec["rr_sets"]["refinement"]
    f = opt / G.n
    rel_se = math.sqrt((1 - f) / (f * theta_p))
    assert rec["kpt_plus"] <= opt * (1 + 4 * rel_se)      # was 25.4 (all nodes drawn)
    need = rec["lambda"] / opt                                # the theta OPT itself gives
    assert rec["theta"] >= need / (1 + 4 * rel_se)            # was 18,341 of 465,401
    assert G.labels[res.seed_ids[0]] in range(101, 201)


def test_kpt_draw_weights():
    G, mask = hub_graph()
    p = kpt_weights(G, mask)
    assert p.sum() == pytest.approx(1.0) and np.all(p[~mask] == 0)
    np.testing.assert_allclose(p[mask], 1 / 100)
    G3, _, mask3 = zero_weight_candidates()      # candidates without in-arcs: uniform
    np.testing.assert_allclose(kpt_weights(G3, mask3)[mask3], 0.5)
    np.testing.assert_allclose(kpt_weights(G, None), G.in_degree / G.m)


# -- A3: weighted roots, candidates of weight 0 -------------------------------------------

def test_prior_lower_bound_is_below_the_optimum():
    G, w, mask = zero_weight_candidates()
    assert prior_lower_bound("imm", G, "ic", 1, w, mask) == pytest.approx(0.012)
    assert prior_lower_bound("imm", G, "ic", 2, None, mask) == 2.0
    w2 = w.copy()
    w2[G.node_ids([0])] = 0.3
    assert prior_lower_bound("imm", G, "ic", 1, w2, mask) == pytest.approx(0.3)
    # two hops: 0 -> 1 (0.5) -> 2 (0.4); candidate {0}: bound 0.2 = the exact optimum
    H = from_edges([0, 1], [1, 2], directed=True, weights=[0.5, 0.4])
    wh = np.zeros(3)
    wh[H.node_ids([2])] = 1.0
    mh = np.zeros(3, dtype=bool)
    mh[H.node_ids([0])] = True
    assert prior_lower_bound("imm", H, "ic", 1, wh, mh) == pytest.approx(0.2)
    assert im.exact_spread(H, [0], node_weights=wh) == pytest.approx(0.2)
    # a custom trigger set: node 2 is triggered by {0, 1} together w.p. 0.3, by {1} w.p. 0.1
    T = TriggeringModel.custom(G, {2: [([0, 1], 0.3), ([1], 0.1)]})
    assert prior_lower_bound("imm", G, T, 1, w, mask) == pytest.approx(0.4)


def test_no_candidate_reaches_a_weighted_node():
    G, w, _ = zero_weight_candidates()
    mask = np.zeros(G.n, dtype=bool)
    mask[G.node_ids([2])] = True
    w0 = np.zeros(G.n)
    w0[G.node_ids([0])] = 1.0          # only node 0 weighs; nobody reaches it
    for name, f in ALGOS.items():
        with pytest.raises(InvalidParameterError, match=f"'node_weights' parameter of {name}"):
            f(G, 1, node_weights=w0, candidates=mask, rng=0)


@pytest.mark.parametrize("name", sorted(ALGOS))
def test_zero_weight_candidates_issue_reproducer(name):
    G, w, mask = zero_weight_candidates()
    res = ALGOS[name](G, 1, node_weights=w, candidates=mask, rng=0)
    rec = res.record
    opt = 0.012
    if name == "imm":
        assert rec["lb"] <= opt * (1 + 1e-12)                 # was 1
        assert rec["theta"] >= rec["lambda_star"] / opt - 1   # 97,108; was 1,166
    elif name == "tim_plus":
        assert rec["kpt_star"] <= opt * (1 + 1e-12)          # was 0.5
        theta_p = rec["rr_sets"]["refinement"]
        rel_se = math.sqrt((1 - opt) / (opt * theta_p))
        assert rec["kpt_plus"] <= opt * (1 + 4 * rel_se)
    else:   # theta_max must divide by a lower bound of OPT (the paper's k = 1 here)
        e1 = 1 - 1 / math.e
        l6 = math.log(6 / rec["delta"])
        need = 2 * 1.0 * (e1 * math.sqrt(l6) + math.sqrt(e1 * (math.log(2) + l6))) ** 2 \
            / (0.1 ** 2 * opt)
        assert rec["theta_max"] >= need * (1 - 1e-9)          # was need * 0.012
    assert G.labels[res.seed_ids[0]] == 1       # 0.012 beats 0.010


# -- A4: TIM+ failure probability ---------------------------------------------------------

def test_tim_ell_uses_ln3():
    G, mask = hub_graph()
    res = im.tim_plus(G, 1, epsilon=0.5, ell=1.5, rng=1)
    assert res.record["ell_effective"] == pytest.approx(1.5 * (1 + math.log(3) / math.log(G.n)))
    assert im.imm(G, 1, epsilon=0.5, ell=1.5, rng=1).record["ell_effective"] == \
        pytest.approx(1.5 * (1 + math.log(2) / math.log(G.n)))


# -- C14: graph type -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ALGOS))
def test_graph_type_checked_first(name):
    f = ALGOS[name]
    TG = im.TemporalGraph.from_events([0, 1, 2], [1, 2, 0], [0.0, 1.0, 2.0], snapshots=2)
    for bad, k, shown in ((TG, 4, "temporal method"), (None, 4, "Got None"),
                          (nx.karate_club_graph(), 2, "from_networkx")):
        with pytest.raises(InvalidParameterError, match=shown) as info:
            f(bad, k)
        assert info.value.param == "G" and f"of {name} must be an infmax DiGraph" in str(
            info.value)


# -- B12: memory --------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ALGOS))
def test_memory_limit_names_the_selector_and_the_fix(name):
    G, mask = hub_graph()
    with pytest.raises(MemoryLimitError) as info:
        ALGOS[name](G, 1, epsilon=0.01, rng=0, max_memory=200_000)
    msg = str(info.value)
    assert msg.startswith(f"{name}: ") and "MiB" in msg
    assert "epsilon" in msg and "k" in msg and "--max-memory" in msg


def test_imm_epinions_raises_at_once_under_the_default_limit(data_dir, monkeypatch):
    G = im.datasets.load("epinions")
    # a machine with 4 GiB available (this one may have more): the default limit follows it
    monkeypatch.setattr(_memory, "available_memory", lambda: 4 * 2**30)
    t0 = time.perf_counter()
    with pytest.raises(MemoryLimitError, match="imm: .* RR sets .* would need about"):
        im.imm(G, 1000, epsilon=0.01, rng=0)
    assert time.perf_counter() - t0 < 30.0
