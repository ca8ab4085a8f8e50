"""Credit Distribution (Goyal, Bonchi, Lakshmanan, VLDB 2011): the learned table against a
credit table computed by hand on a 5-user, 3-action log, and the incremental CELF selection
against plain greedy over a slow pure-Python twin of ``sigma_cd`` written from the definitions."""

from __future__ import annotations

import importlib
import math
from collections import Counter

import numpy as np
import pytest

import infmax as im
from infmax.exceptions import InvalidParameterError
from infmax.graph.cascades import Cascades

credit = importlib.import_module("infmax.learned.credit")
credit_table, credit_distribution = credit.credit_table, credit.credit_distribution

e = math.exp

# -- the hand-computed example ---------------------------------------------------------------
# social arcs v -> u (u may be influenced by v)
ARCS = [("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "E")]
LOG_USERS = [["A", "B", "C", "D"], ["A", "C", "B", "D", "E"], ["B", "D", "E"]]
LOG_TIMES = [[0, 1, 2, 4], [0, 2, 3, 5, 6], [0, 2, 3]]

# tau_{v,u}: mean delay over the actions where v is a potential influencer of u
TAU = {("A", "B"): (1 + 3) / 2, ("A", "C"): (2 + 2) / 2, ("B", "C"): 1.0,
       ("B", "D"): (3 + 2 + 2) / 3, ("C", "D"): (2 + 3) / 2, ("D", "E"): 1.0}
# infl(u): share of u's actions done within tau of some influencer
# B: a0 yes (1 <= 2), a1 no (3 > 2), a2 no influencer -> 1/3; C: 2/2; D: 3/3; E: 2/2; A: 0
INFL = {"A": 0.0, "B": 1 / 3, "C": 1.0, "D": 1.0, "E": 1.0}
# direct credits gamma_{v,u}(a) = infl(u) / N_in(u, a) * exp(-delay / tau)
GAMMA = {
    (0, "A", "B"): 1 / 3 * e(-1 / 2),
    (0, "A", "C"): 1 / 2 * e(-2 / 2), (0, "B", "C"): 1 / 2 * e(-1 / 1),
    (0, "B", "D"): 1 / 2 * e(-3 / (7 / 3)), (0, "C", "D"): 1 / 2 * e(-2 / 2.5),
    (1, "A", "C"): 1 * e(-2 / 2), (1, "A", "B"): 1 / 3 * e(-3 / 2),
    (1, "C", "D"): 1 / 2 * e(-3 / 2.5), (1, "B", "D"): 1 / 2 * e(-2 / (7 / 3)),
    (1, "D", "E"): 1 * e(-1 / 1),
    (2, "B", "D"): 1 * e(-2 / (7 / 3)), (2, "D", "E"): 1 * e(-1 / 1),
}
g = GAMMA
# total credits Gamma_{v,u}(a) = sum over u's influencers w of Gamma_{v,w}(a) gamma_{w,u}(a)
TOTAL = {
    (0, "A", "B"): g[0, "A", "B"],
    (0, "A", "C"): g[0, "A", "C"] + g[0, "A", "B"] * g[0, "B", "C"],
    (0, "B", "C"): g[0, "B", "C"],
    (0, "A", "D"): (g[0, "A", "B"] * g[0, "B", "D"]
                    + (g[0, "A", "C"] + g[0, "A", "B"] * g[0, "B", "C"]) * g[0, "C", "D"]),
    (0, "B", "D"): g[0, "B", "D"] + g[0, "B", "C"] * g[0, "C", "D"],
    (0, "C", "D"): g[0, "C", "D"],
    (1, "A", "C"): g[1, "A", "C"], (1, "A", "B"): g[1, "A", "B"],
    (1, "A", "D"): g[1, "A", "C"] * g[1, "C", "D"] + g[1, "A", "B"] * g[1, "B", "D"],
    (1, "B", "D"): g[1, "B", "D"], (1, "C", "D"): g[1, "C", "D"],
    (1, "A", "E"): (g[1, "A", "C"] * g[1, "C", "D"] + g[1, "A", "B"] * g[1, "B", "D"])
    * g[1, "D", "E"],
    (1, "B", "E"): g[1, "B", "D"] * g[1, "D", "E"], (1, "C", "E"): g[1, "C", "D"] * g[1, "D", "E"],
    (1, "D", "E"): g[1, "D", "E"],
    (2, "B", "D"): g[2, "B", "D"], (2, "B", "E"): g[2, "B", "D"] * g[2, "D", "E"],
    (2, "D", "E"): g[2, "D", "E"],
}


@pytest.fixture(scope="module")
def hand_log():
    G = im.graph.from_edges([a for a, _ in ARCS], [b for _, b in ARCS])
    return Cascades.from_lists(LOG_USERS, LOG_TIMES, graph=G)


def _approx(d):
    return {key: pytest.approx(v, rel=1e-12) for key, v in d.items()}


def test_hand_computed_credit_table(hand_log):
    T = credit_table(hand_log, truncation=0.0)
    assert T.parents == "graph"
    assert T.time_constants() == _approx(TAU)
    infl = dict(zip(hand_log.node_labels(range(hand_log.n_ids)), T.influenceability.tolist()))
    assert infl == _approx(INFL)
    assert dict(zip(hand_log.node_labels(range(hand_log.n_ids)),
                    T.actions_per_user.tolist())) == {"A": 2, "B": 3, "C": 2, "D": 3, "E": 2}
    assert T.direct_credits() == _approx(GAMMA)
    assert T.total_credits() == _approx(TOTAL)


def test_truncation_drops_small_contributions(hand_log):
    lam = 0.1
    T = credit_table(hand_log, truncation=lam)
    got = T.total_credits()
    assert min(got.values()) >= lam
    # gamma_{A,B}(1) = e^-1.5 / 3 = 0.074 < lambda: gone, and with it the path A -> B -> D;
    # A -> C -> D then carries 0.055 < lambda: Gamma_{A,D}(1) is gone too
    assert (1, "A", "B") not in got and (1, "A", "D") not in got
    # Gamma_{A,C}(0): the direct 0.184 stays, the path A -> B -> C (0.202 * 0.184) is dropped
    assert got[(0, "A", "C")] == pytest.approx(g[0, "A", "C"])
    assert g[0, "A", "B"] * g[0, "B", "C"] < lam < g[0, "A", "C"]
    assert got[(2, "B", "E")] == pytest.approx(TOTAL[2, "B", "E"])


# -- slow twin of sigma_cd, from the definitions ---------------------------------------------
class SlowCD:
    """Credit Distribution's spread, written directly from the paper's definitions."""

    def __init__(self, users, times, arcs=None):
        self.actions = [list(zip(u, t)) for u, t in zip(users, times)]
        self.A = Counter(u for act in self.actions for u, _ in act)
        par, delays = {}, {}
        for a, act in enumerate(self.actions):
            for u, tu in act:
                par[a, u] = [(v, tu - tv) for v, tv in act
                             if tv < tu and (arcs is None or (v, u) in arcs)]
                for v, d in par[a, u]:
                    delays.setdefault((v, u), []).append(d)
        tau = {k: sum(d) / len(d) for k, d in delays.items()}
        infl = {u: sum(1 for a, act in enumerate(self.actions) for w, _ in act if w == u
                       and any(d <= tau[v, u] for v, d in par[a, u])) / self.A[u]
                for u in self.A}
        self.gamma = {(a, v, u): infl[u] / len(ps) * math.exp(-d / tau[v, u])
                      for (a, u), ps in par.items() for v, d in ps}
        self.par = par

    def sigma(self, S):
        S = set(S)
        total = 0.0
        for a, act in enumerate(self.actions):
            gs = {}
            for u, _ in act:
                gs[u] = 1.0 if u in S else sum(gs[v] * self.gamma[a, v, u]
                                               for v, _ in self.par[a, u])
                total += gs[u] / self.A[u]
        return total

    def greedy(self, k, candidates):
        S, gains = [], []
        for _ in range(k):
            base = self.sigma(S)
            best, best_gain = None, -1.0
            for c in candidates:
                if c in S:
                    continue
                gain = self.sigma(S + [c]) - base
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
            S.append(best)
            gains.append(best_gain)
        return S, gains


def _random_log(seed, n_users=12, n_actions=10):
    rng = np.random.default_rng(seed)
    users, times = [], []
    for _ in range(n_actions):
        size = int(rng.integers(1, 7))
        part = rng.choice(n_users, size, replace=False)
        users.append([f"u{int(x)}" for x in part])
        times.append(np.sort(np.round(rng.exponential(3.0, size), 1)).tolist())  # some ties
    arcs = {(f"u{a}", f"u{b}") for a, b in rng.integers(0, n_users, (40, 2)) if a != b}
    return users, times, arcs


def test_selection_equals_greedy_over_the_slow_twin_on_the_hand_log(hand_log):
    slow = SlowCD(LOG_USERS, LOG_TIMES, set(ARCS))
    labels = hand_log.node_labels(range(hand_log.n_ids))
    ref, ref_gains = slow.greedy(5, labels)
    res = credit_distribution(hand_log, 5, truncation=0.0, seeds_from="users")
    assert list(res.seeds) == ref
    np.testing.assert_allclose(res.record["marginal_gains"], ref_gains, rtol=1e-10)
    assert res.spread == pytest.approx(slow.sigma(ref), rel=1e-10)
    assert res.spread == pytest.approx(5.0)  # every user a seed: each earns credit 1
    # the result carries the registry's name (the CLI's -a and the experiment's column)
    assert res.algorithm == "credit-distribution"


@pytest.mark.parametrize("with_graph", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_selection_equals_greedy_over_the_slow_twin(seed, with_graph):
    users, times, arcs = _random_log(seed)
    slow = SlowCD(users, times, arcs if with_graph else None)
    if with_graph:
        src, dst = zip(*sorted(arcs))
        G = im.graph.from_edges(list(src), list(dst), nodes=[f"u{i}" for i in range(12)])
        C = Cascades.from_lists(users, times, graph=G)
    else:
        C = Cascades.from_lists(users, times)
    labels = C.node_labels(np.unique(C.users))
    k = 5
    ref, ref_gains = slow.greedy(k, labels)
    res = credit_distribution(C, k, truncation=0.0, seeds_from="users")
    np.testing.assert_allclose(res.record["marginal_gains"], ref_gains, rtol=1e-9)
    assert list(res.seeds) == ref
    assert res.record["parents"] == ("graph" if with_graph else "earlier participants")
    if with_graph:  # the graph given as a parameter instead of attached to the cascades
        alt = credit_distribution(Cascades.from_lists(users, times), k, graph=G,
                                  truncation=0.0, seeds_from="users")
        assert alt.seeds == res.seeds and alt.spread == pytest.approx(res.spread, rel=1e-12)
    # default candidates: initiators of cascades with at least 2 users
    init = set(C.node_labels(C.initiators[C.trainable]))
    k2 = min(3, len(init))
    ref2, _ = slow.greedy(k2, [lab for lab in labels if lab in init])
    assert list(credit_distribution(C, k2, truncation=0.0).seeds) == ref2


def test_grown_buffers_and_small_calls_give_the_same_result(monkeypatch):
    users, times, arcs = _random_log(3, n_users=20, n_actions=40)
    C = Cascades.from_lists(users, times)
    whole = credit_table(C, truncation=0.0)
    monkeypatch.setattr(credit, "_ENTRIES_PER_ITEM", 0)     # 16 entries, then doubling
    monkeypatch.setattr(credit, "_WORK_PER_CALL", 1)
    monkeypatch.setattr(credit, "_CASCADES_PER_CALL", 1)
    small = credit_table(C, truncation=0.0)
    assert whole.ent_anc.size > 16
    assert small.total_credits() == whole.total_credits()
    a = credit_distribution(C, 4, truncation=0.0, seeds_from="users")
    monkeypatch.undo()
    b = credit_distribution(C, 4, truncation=0.0, seeds_from="users")
    assert a.seeds == b.seeds and a.spread == b.spread


def test_equal_times_give_no_credit_and_single_user_actions_count():
    C = Cascades.from_lists([["a", "b", "c"], ["b"]], [[0, 0, 1], [0]])
    T = credit_table(C, truncation=0.0)
    assert set(T.direct_credits()) == {(0, "a", "c"), (0, "b", "c")}    # a and b tie: none
    assert T.actions_per_user.tolist() == [1, 2, 1]
    res = credit_distribution(C, 1, truncation=0.0)
    assert res.seeds == ("a",)                    # the only initiator of a 2+ user cascade


def test_memory_limit_is_named():
    users, times, _ = _random_log(1)
    C = Cascades.from_lists(users, times)
    with pytest.raises(im.MemoryLimitError, match="credit_distribution"):
        credit_distribution(C, 1, max_memory=64)


@pytest.mark.parametrize(("kw", "param"), [
    ({"truncation": -0.1}, "truncation"), ({"truncation": 1.0}, "truncation"),
    ({"truncation": float("nan")}, "truncation"), ({"seeds_from": "everyone"}, "seeds_from"),
    ({"k": 99}, "k"), ({"k": 0}, "k"), ({"graph": "g"}, "graph"),
])
def test_bad_parameters(kw, param, hand_log):
    args = {"k": 1, **kw}
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of credit_dist") as ex:
        credit_distribution(hand_log, **args)
    assert "np.float64" not in str(ex.value)


def test_rejects_what_is_not_cascades(hand_log):
    for bad in (hand_log.graph, [["a", "b"]], None):
        with pytest.raises(InvalidParameterError, match="'cascades' parameter"):
            credit_distribution(bad, 1)
