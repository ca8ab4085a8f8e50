"""The four diversity functions: brute-force monotonicity and submodularity, gains equal
set-value differences, incremental updates equal recomputation, hand cases."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import infmax as im
from infmax.exceptions import InvalidParameterError
from infmax.targeted import (
    AttributeDiversity,
    ClassDiversity,
    EntropyDiversity,
    HammingDiversity,
    Profiles,
)

TOL = 1e-9


@st.composite
def instances(draw):
    """Small profiles (n <= 6, m <= 3, 3 values) and a random graph over the same nodes."""
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 3))
    table = draw(st.lists(st.lists(st.integers(0, 2), min_size=m, max_size=m),
                          min_size=n, max_size=n))
    arcs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                         max_size=10).map(lambda a: sorted({(u, v) for u, v in a if u != v})))
    G = im.from_edges([u for u, _ in arcs], [v for _, v in arcs], weights=0.5, nodes=np.arange(n))
    return Profiles.from_array(np.array(table)), G, draw(st.integers(0, 2**31))


def _all_functions(P, G, seed):
    rng = np.random.default_rng(seed)
    R = im.sample_rr_sets(G, 30, rng=seed) if G.n else None
    return [
        AttributeDiversity(P),
        AttributeDiversity(P, weights=rng.random(P.m), lam=float(rng.choice([0.5, 2.0]))),
        HammingDiversity(P, radius=int(rng.integers(0, P.m + 1)), reach=G),
        HammingDiversity(P, radius=int(rng.integers(0, P.m + 1)), reach=R),
        EntropyDiversity(P),
        ClassDiversity(P),
        ClassDiversity(P, classes=rng.integers(0, 3, P.n), rewards=rng.random(P.n),
                       f=math.sqrt),
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_monotone_submodular_by_brute_force(inst):
    P, G, seed = inst
    n = P.n
    for D in _all_functions(P, G, seed):
        val = {}
        for mask in range(1 << n):
            val[mask] = D.value([i for i in range(n) if mask >> i & 1])
        assert val[0] == 0.0
        for S in range(1 << n):
            for v in range(n):
                if S >> v & 1:
                    continue
                gS = val[S | 1 << v] - val[S]
                assert gS >= -TOL, (type(D).__name__, S, v)              # monotone
                # submodular: every superset T of S without v gains no more
                rest = [u for u in range(n) if not (S >> u & 1) and u != v]
                for extra in range(1 << len(rest)):
                    T = S
                    for j, u in enumerate(rest):
                        if extra >> j & 1:
                            T |= 1 << u
                    assert val[T | 1 << v] - val[T] <= gS + TOL, (type(D).__name__, S, T, v)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_gains_and_incremental_state(inst, data):
    P, G, seed = inst
    order = data.draw(st.permutations(range(P.n)))
    for D in _all_functions(P, G, seed):
        s = D.state()
        for v in order:
            for u in range(P.n):           # every gain equals the set-value difference
                expect = D.value(s.members + [u]) - D.value(s.members)
                assert D.gain(s, u) == pytest.approx(expect, abs=TOL)
            g = D.add(s, v)
            assert s.value == pytest.approx(D.value(s.members), abs=TOL)
            assert g >= -TOL
            assert D.add(s, v) == 0.0       # a member again changes nothing


def test_attribute_wise_hand_case():
    # attribute 1: a, a, b; attribute 2: x, y, y
    P = Profiles.from_array([["a", "x"], ["a", "y"], ["b", "y"]])
    D = AttributeDiversity(P, weights=[0.25, 0.75], lam=1.0)
    # S = {0, 1, 2}: attr 1 counts a:2, b:1 -> (1 + 1/2) + 1; attr 2: x:1, y:2 -> 1 + 1.5
    assert D.value([0, 1, 2]) == pytest.approx(0.25 * 2.5 + 0.75 * 2.5)
    s = D.state()
    D.add(s, 0)
    # gain of 1 given {0}: attr 1 value a seen once -> 1/2, attr 2 value y unseen -> 1
    assert D.gain(s, 1) == pytest.approx(0.25 * 0.5 + 0.75 * 1.0)
    assert AttributeDiversity(P, lam=2.0).value([0, 1]) == pytest.approx(
        0.5 * (1 + 0.25) + 0.5 * 2)


def test_entropy_hand_case():
    # one attribute, values a (3 nodes) and b (1 node): p(a) = 3/4, p(b) = 1/4
    P = Profiles.from_array([["a"], ["a"], ["a"], ["b"]])
    D = EntropyDiversity(P)
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert D.value([0]) == pytest.approx(h)          # X_0 = 1 on a, 0 on b
    assert D.value([0, 1]) == pytest.approx(h)       # same profile: no new information
    assert D.value([0, 3]) == pytest.approx(h)       # X_3 is the complement of X_0
    s = D.state()
    D.add(s, 0)
    assert D.gain(s, 1) == pytest.approx(0.0, abs=1e-12)
    # two attributes: node 0 = (a, x), node 1 = (b, x); positions a, b, x, y with p .25 each
    Q = Profiles.from_array([["a", "x"], ["b", "x"], ["a", "y"], ["b", "y"]])
    E = EntropyDiversity(Q)
    assert E.value([0]) == pytest.approx(math.log(2))            # {a, x} vs {b, y}
    assert E.value([0, 1]) == pytest.approx(2 * math.log(2))     # tuples 10, 01, 11, 00
    # position probabilities are frequencies among all nodes, not among the seeds
    assert E.p.tolist() == [0.25, 0.25, 0.25, 0.25]


def test_class_based_hand_case():
    P = Profiles.from_array([[0, 1], [0, 2], [1, 0], [2, 0]])
    D = ClassDiversity(P)                   # classes: the first attribute
    assert D.value([0, 1, 2]) == pytest.approx(math.log(3) + math.log(2))
    s = D.state()
    D.add(s, 0)
    assert D.gain(s, 1) == pytest.approx(math.log(3 / 2))   # ln((1 + R + r) / (1 + R))
    assert D.gain(s, 2) == pytest.approx(math.log(2))
    E = ClassDiversity(P, classes=[5, 5, 5, 7], rewards=[2.0, 1.0, 0.0, 1.0])
    assert E.value([0, 1, 2, 3]) == pytest.approx(math.log(4) + math.log(2))
    assert E.gain(E.state(), 2) == 0.0      # zero reward: zero gain


def test_hamming_graph_search_and_rr_sets():
    # path 0 -> 1 -> 2 -> 3; arc 2 -> 3 has probability 0 (not reachable)
    G = im.from_edges([0, 1, 2], [1, 2, 3], weights=[1.0, 1.0, 0.0])
    P = Profiles.from_array([[0, 0], [0, 1], [1, 1], [0, 0]])
    D = HammingDiversity(P, radius=1, reach=G)
    assert D.ball(0).tolist() == [0, 1]     # 2 is at distance 2; 3 not reachable
    assert D.ball(2).tolist() == [2]
    assert HammingDiversity(P, radius=2, reach=G).ball(0).tolist() == [0, 1, 2]
    assert D.value([0, 2]) == 3.0 and D.value([]) == 0.0
    # RR sets under probability-1 arcs: the set of root r is everything that reaches r
    R = im.sample_rr_sets(G, 200, rng=0)
    H = HammingDiversity(P, radius=2, reach=R)
    assert H.ball(1).tolist() == [0, 1, 2]  # shares the sets of roots 1 and 2 with 0 and 2
    assert H.ball(3).tolist() == [3]


def test_validation_messages():
    P = Profiles.from_array([[0], [1]])
    with pytest.raises(InvalidParameterError, match="'lam'"):
        AttributeDiversity(P, lam=-1.0)
    with pytest.raises(InvalidParameterError, match="'weights'"):
        AttributeDiversity(P, weights=[0.5, 0.5])
    with pytest.raises(InvalidParameterError, match="'radius'"):
        HammingDiversity(P, radius=-1, reach=im.from_edges([0], [1]))
    with pytest.raises(InvalidParameterError, match="'reach'"):
        HammingDiversity(P, radius=1, reach=im.from_edges([0, 1], [1, 2]))
    with pytest.raises(InvalidParameterError, match="'reach'"):
        HammingDiversity(P, radius=1, reach="graph")
    with pytest.raises(InvalidParameterError, match="'rewards'"):
        ClassDiversity(P, rewards=[1.0, float("nan")])
    with pytest.raises(InvalidParameterError, match="'classes'"):
        ClassDiversity(P, classes=[0.5, 1.5])
    with pytest.raises(InvalidParameterError, match="'v'"):
        EntropyDiversity(P).gain(EntropyDiversity(P).state(), 2)
    with pytest.raises(InvalidParameterError, match="'ids'"):
        EntropyDiversity(P).value([0, 5])
    with pytest.raises(InvalidParameterError, match="'profiles'"):
        EntropyDiversity([[0], [1]])


def test_all_subsets_helper_agrees_with_itertools():
    # the brute force above enumerates subsets by bit masks: check it covers every subset once
    n = 4
    masks = {frozenset(i for i in range(n) if m >> i & 1) for m in range(1 << n)}
    subsets = {frozenset(c) for r in range(n + 1) for c in itertools.combinations(range(n), r)}
    assert masks == subsets
