"""Conformance suite: every selector in the registry keeps the common contract.

In the spirit of scikit-learn's ``parametrize_with_checks``: each check runs on every selector
registered in :mod:`infmax.algorithms.registry` (static-graph selectors on a small graph,
temporal ones on a small contact network), with the fast settings the registry carries
(``SelectorInfo.test_kwargs``). A new selector is covered by registering it.

Known defects in files owned elsewhere are marked ``xfail(strict=True)`` in ``KNOWN`` (so the
mark must be removed once the defect is fixed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pytest

import infmax as im
from infmax._kernels._threads import threads
from infmax.algorithms import registry
from infmax.exceptions import InvalidParameterError
from infmax.graph.temporal import TemporalGraph
from infmax.results import SeedResult

STATIC = registry.selectors("graph")
TEMPORAL = registry.selectors("temporal")

#: (check, input kind, selector name) -> reason of a known defect in a file not owned here
KNOWN: dict[tuple[str, str, str], str] = {
}


def _cases(check: str, infos):
    out = []
    for info in infos:
        reason = KNOWN.get((check, info.input, info.name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(info, id=f"{info.input}:{info.name}", marks=marks))
    return out


# -- fixtures --------------------------------------------------------------------------------
def _label(i: int) -> str:
    return f"v{3 * i + 100}"  # original labels differ from internal ids and from their order


def static_graph(n: int = 24, m: int = 70, seed: int = 3):
    """Random directed graph, string labels, 3 isolated nodes, some zero-probability arcs;
    probabilities scaled so that every node's in-weights sum to <= 1 (valid IC and LT)."""
    rng = np.random.default_rng(seed)
    core = n - 3
    src = rng.integers(0, core, m)
    dst = rng.integers(0, core, m)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    pairs = np.unique(np.stack([src, dst], 1), axis=0)
    src, dst = pairs[:, 0], pairs[:, 1]
    indeg = np.bincount(dst, minlength=n)
    p = rng.uniform(0.3, 1.0, src.shape[0]) / indeg[dst]
    p[:: 5] = 0.0  # zero-probability arcs
    G = im.graph.from_edges([_label(i) for i in src], [_label(i) for i in dst], p,
                            weights="file", nodes=[_label(i) for i in range(n)])
    assert G.n == n and G.m == src.shape[0]
    return G


def temporal_graph(seed: int = 5):
    """Small contact network with one isolated node and labels that are not ids."""
    rng = np.random.default_rng(seed)
    n, E = 15, 90
    s = rng.integers(0, n - 1, E)
    d = rng.integers(0, n - 1, E)
    keep = s != d
    return TemporalGraph.from_events([_label(i) for i in s[keep]], [_label(i) for i in d[keep]],
                                     rng.uniform(0, 40, int(keep.sum())), snapshots=4,
                                     nodes=[_label(n - 1)])


@pytest.fixture(scope="module")
def G():
    return static_graph()


@pytest.fixture(scope="module")
def TG():
    return temporal_graph()


def _graph_for(info, G, TG):
    return G if info.input == "graph" else TG


def run(info, graph, k, **kw):
    """Call a selector with its fast settings (``kw`` overrides them)."""
    args = {**info.test_kwargs, **kw}
    if "rng" not in args and info.accepts("rng"):
        args["rng"] = 11
    return info.func(graph, k, **args)


ALL = STATIC + TEMPORAL


# -- k ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("info", _cases("rejects_bad_k", ALL))
@pytest.mark.parametrize("k", [0, -1, "n+1", 2.0, True])
def test_rejects_bad_k(info, k, G, TG):
    graph = _graph_for(info, G, TG)
    if k == "n+1":
        k = graph.n + 1
    with pytest.raises(InvalidParameterError, match="'k' parameter"):
        run(info, graph, k)


@pytest.mark.parametrize("info", _cases("rejects_k_above_candidates", [
    i for i in STATIC if i.candidates]))
def test_rejects_k_above_candidates(info, G):
    cands = [_label(i) for i in (0, 1, 2)]
    with pytest.raises(InvalidParameterError, match="'k' parameter.*candidates"):
        run(info, G, 4, candidates=cands)


# -- the result ------------------------------------------------------------------------------
def _check_result(res, graph, k, info):
    assert isinstance(res, SeedResult)
    assert isinstance(res.algorithm, str) and res.algorithm
    seeds = list(res.seeds)
    assert len(seeds) == k
    assert len(set(seeds)) == k, "duplicate seeds"
    ids = np.asarray(res.seed_ids)
    assert ids.dtype == np.int32 and ids.shape == (k,)
    assert ((ids >= 0) & (ids < graph.n)).all()
    # original labels, in selection order: seeds[i] is the label of seed_ids[i]
    assert seeds == list(graph.node_labels(ids))
    assert all(isinstance(s, str) for s in seeds)  # labels, not ids
    assert isinstance(res.params, Mapping) and res.params
    assert isinstance(res.record, Mapping)
    assert "total" in res.timings and res.timings["total"] >= 0
    if res.spread is not None:
        assert math.isfinite(res.spread) and 0 <= res.spread <= graph.n
        if res.spread_stderr is not None:
            assert res.spread_stderr >= 0


@pytest.mark.parametrize("info", _cases("result_contract", ALL))
def test_result_contract(info, G, TG):
    graph = _graph_for(info, G, TG)
    _check_result(run(info, graph, 4), graph, 4, info)


@pytest.mark.parametrize("info", _cases("all_nodes", ALL))
def test_k_equals_n_with_isolated_nodes(info, G, TG):
    """k = n: every node, isolated ones and those reached only by zero-probability arcs
    included, exactly once."""
    graph = _graph_for(info, G, TG)
    res = run(info, graph, graph.n)
    _check_result(res, graph, graph.n, info)
    assert sorted(res.seed_ids.tolist()) == list(range(graph.n))


@pytest.mark.parametrize("info", _cases("zero_probabilities", STATIC))
def test_all_zero_probabilities(info):
    """No arc can fire: every selector still returns k distinct nodes."""
    G = im.graph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"], [0.0] * 4,
                            weights="file", nodes=["e"])
    _check_result(run(info, G, 3), G, 3, info)


# -- reproducibility -------------------------------------------------------------------------
@pytest.mark.parametrize("info", _cases("thread_invariance", ALL))
def test_same_seeds_for_one_and_two_threads(info, G, TG):
    graph = _graph_for(info, G, TG)
    out = []
    for t in (1, 2):
        kw = {"n_threads": t} if info.accepts("n_threads") else {}
        with threads(t):
            out.append(run(info, graph, 5, rng=123, **kw) if info.accepts("rng")
                       else run(info, graph, 5, **kw))
    assert out[0].seeds == out[1].seeds
    assert out[0].spread == out[1].spread


@pytest.mark.parametrize("info", _cases("same_rng_same_seeds", ALL))
def test_same_rng_same_seeds(info, G, TG):
    graph = _graph_for(info, G, TG)
    assert run(info, graph, 3).seeds == run(info, graph, 3).seeds


# -- candidates ------------------------------------------------------------------------------
@pytest.mark.parametrize("info", _cases("respects_candidates", [
    i for i in STATIC if i.candidates]))
def test_respects_candidates(info, G):
    # candidates include an isolated node and nodes with only zero-probability arcs
    labels = [_label(i) for i in (2, 5, 7, 11, 13, 22)]
    res = run(info, G, 4, candidates=labels)
    _check_result(res, G, 4, info)
    assert set(res.seeds) <= set(labels)
    mask = np.zeros(G.n, dtype=bool)
    mask[G.node_ids(labels)] = True
    res_mask = run(info, G, 4, candidates=mask)
    assert res_mask.seeds == res.seeds  # a bool mask and the same labels agree
    res_all = run(info, G, 6, candidates=labels)
    assert sorted(res_all.seeds) == sorted(labels)


@pytest.mark.parametrize("info", _cases("node_weights", [i for i in STATIC if i.node_weights]))
def test_zero_node_weights_outside_targets(info, G):
    """Roots drawn only from weighted nodes: with weight on a single source node s and zero
    elsewhere, s itself covers every RR set, so it is the first seed."""
    s = G.node_ids([_label(4)])[0]
    w = np.zeros(G.n)
    w[s] = 1.0
    res = run(info, G, 1, node_weights=w)
    assert res.seeds == (_label(4),)


# -- models ----------------------------------------------------------------------------------
def _model_cases():
    """(selector, model) for every declared model among ic / lt (SIMPATH declares only lt)."""
    return [pytest.param(p.values[0], m, id=f"{p.id}-{m}", marks=p.marks)
            for p in _cases("models", [i for i in STATIC if i.models])
            for m in ("ic", "lt") if m in p.values[0].models]


@pytest.mark.parametrize(("info", "model"), _model_cases())
def test_declared_models_run(info, model, G):
    _check_result(run(info, G, 3, model=model), G, 3, info)


@pytest.mark.parametrize("info", _cases("undeclared_model",
                                        [i for i in STATIC if i.models
                                         and not {"ic", "lt"} <= set(i.models)]))
def test_undeclared_model_is_refused(info, G):
    other = "ic" if "ic" not in info.models else "lt"
    with pytest.raises(InvalidParameterError, match="'model' parameter"):
        run(info, G, 2, model=other)


@pytest.mark.parametrize("info", _cases("unknown_model", [i for i in STATIC if i.models]))
def test_unknown_model(info, G):
    with pytest.raises(InvalidParameterError, match="'model' parameter"):
        run(info, G, 2, model="sir")


# -- wrong input -----------------------------------------------------------------------------
@pytest.mark.parametrize("info", _cases("wrong_graph_type", ALL))
def test_wrong_graph_type(info, G, TG):
    """A networkx graph and the other kind of infmax graph get check_graph's clear error."""
    want = "DiGraph" if info.input == "graph" else "TemporalGraph"
    other = TG if info.input == "graph" else G
    for bad in (nx.path_graph(5, create_using=nx.DiGraph), other, None):
        with pytest.raises(InvalidParameterError,
                           match=rf"parameter of .+ must be an infmax {want}\. Got "):
            run(info, bad, 1)


# -- selectors of observed cascades ----------------------------------------------------------
CASCADE_SELECTORS = registry.selectors("cascades")


def cascade_set(seed: int = 7):
    """Tiny cascade set: string labels, 6 initiators, a single-user cascade (not trainable)."""
    from infmax.graph.cascades import Cascades

    rng = np.random.default_rng(seed)
    users, times = [], []
    for c in range(30):
        u = int(rng.integers(0, 6))
        part = rng.choice(np.arange(6, 30), int(rng.integers(1, 6)), replace=False)
        users.append([_label(u)] + [_label(int(v)) for v in part])
        times.append((c + np.sort(rng.exponential(2.0, part.size + 1))).tolist())
    users.append([_label(40)])
    times.append([99.0])
    return Cascades.from_lists(users, times)


def social_graph(C, seed: int = 3):
    """A random social graph over the users of ``C`` (labels shared, 3 users left out)."""
    rng = np.random.default_rng(seed)
    labels = C.node_labels(range(C.n_ids - 3))
    src, dst = rng.integers(0, len(labels), 90), rng.integers(0, len(labels), 90)
    return im.graph.from_edges([labels[i] for i in src], [labels[i] for i in dst])


def run_cascades(info, C, k, **kw):
    """``run``; a selector that needs a social graph (an error naming 'graph') gets one."""
    try:
        return run(info, C, k, **kw)
    except InvalidParameterError as exc:
        if exc.param != "graph" or not info.accepts("graph"):
            raise
    return info.func(C, k, **{**info.test_kwargs, "rng": 11, **kw, "graph": social_graph(C)})


def _initiators(C) -> int:
    return int(np.unique(C.initiators[C.trainable]).size)


@pytest.fixture(scope="module")
def CS():
    return cascade_set()


def _check_cascade_result(res, C, k):
    assert isinstance(res, SeedResult) and res.algorithm
    ids = np.asarray(res.seed_ids)
    assert ids.dtype == np.int32 and ids.shape == (k,) and len(set(res.seeds)) == k
    assert list(res.seeds) == C.node_labels(ids)           # labels, in selection order
    assert all(isinstance(s, str) for s in res.seeds)
    assert set(ids.tolist()) <= set(C.initiators[C.trainable].tolist())
    assert "total" in res.timings and res.params


@pytest.mark.parametrize("info", _cases("cascades_bad_k", CASCADE_SELECTORS))
@pytest.mark.parametrize("k", [0, -1, "n+1", 2.0, True])
def test_cascades_rejects_bad_k(info, k, CS):
    if k == "n+1":
        k = _initiators(CS) + 1
    with pytest.raises(InvalidParameterError, match="'k' parameter"):
        run(info, CS, k)


@pytest.mark.parametrize("info", _cases("cascades_result_contract", CASCADE_SELECTORS))
def test_cascades_result_contract(info, CS):
    _check_cascade_result(run_cascades(info, CS, 3), CS, 3)
    k = _initiators(CS)                                  # every initiator, once
    _check_cascade_result(run_cascades(info, CS, k), CS, k)


@pytest.mark.parametrize("info", _cases("cascades_reproducible", CASCADE_SELECTORS))
def test_cascades_same_rng_and_threads(info, CS):
    out = []
    for t in (1, 2):
        with threads(t):
            out.append(run_cascades(info, CS, 3, rng=5))
    assert out[0].seeds == out[1].seeds == run_cascades(info, CS, 3, rng=5).seeds


@pytest.mark.parametrize("info", _cases("cascades_wrong_input", CASCADE_SELECTORS))
def test_cascades_wrong_input(info, G):
    for bad in (G, [["a", "b"]], None):
        with pytest.raises(InvalidParameterError, match="'cascades' parameter"):
            run(info, bad, 1)
