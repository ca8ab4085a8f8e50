"""DNI against hand counts, and the bootstrap interval's coverage on a known answer."""

import numpy as np
import pytest

from infmax.evaluation import dni, dni_curve
from infmax.exceptions import InvalidParameterError
from infmax.graph.cascades import Cascades


def _T():
    # cascades started by 1 (twice), 5 and 9; user 3 appears in both cascades of 1
    return Cascades.from_lists([[1, 2, 3], [1, 3, 4], [5, 6, 2], [9], [7, 8]],
                               [[0, 1, 2], [3, 4, 5], [1, 2, 3], [4], [0, 1]])


def test_dni_hand_counts():
    T = _T()
    assert dni([1], T, rng=0).value == 4          # {1,2,3,4}: initiator counted once
    assert dni([1, 5], T, rng=0).value == 6       # + {5,6}; 2 already reached
    assert dni([9], T, rng=0).value == 1          # a one-user cascade reaches its initiator
    assert dni([2], T, rng=0).value == 0          # 2 started nothing
    assert dni(["nobody", 7], T, rng=0).value == 2   # unknown labels add nothing
    curve = dni_curve([1, 5, 7], T, rng=0)
    assert [e.value for e in curve] == [4, 6, 8]
    assert [e.cascades for e in curve] == [2, 3, 4]


def test_interval_contains_value_and_is_reproducible():
    T = _T()
    a, b = dni([1, 5], T, rng=3), dni([1, 5], T, rng=3)
    assert a == b
    assert a.low <= a.value <= a.high


def test_bad_input():
    with pytest.raises(InvalidParameterError, match="'test_cascades' parameter of dni_curve"):
        dni([1], [[1, 2]])
    with pytest.raises(InvalidParameterError, match="'confidence'"):
        dni([1], _T(), confidence=1.5)
    with pytest.raises(InvalidParameterError, match="'seeds'"):
        dni([], _T())
    with pytest.raises(InvalidParameterError, match="'ks'"):
        dni_curve([1, 5], _T(), ks=[3])


def _synthetic(gen, C, p, k, pool, s):
    """C cascades; each started by one of k seeds w.p. p (else by a non-seed), s-1 pool users."""
    users, times = [], []
    for _ in range(C):
        init = int(gen.integers(k)) if gen.random() < p else -1 - len(users)
        rest = (k + gen.choice(pool, s - 1, replace=False)).tolist()
        users.append([init, *rest])
        times.append(list(range(s)))
    return Cascades.from_lists(users, times)


def test_bootstrap_coverage_known_answer():
    # E[DNI] = pool (1 - (1 - p (s-1)/pool)^C) + k (1 - (1 - p/k)^C)
    C, p, k, pool, s = 60, 0.3, 5, 200, 6
    truth = pool * (1 - (1 - p * (s - 1) / pool) ** C) + k * (1 - (1 - p / k) ** C)
    gen = np.random.default_rng(12345)
    reps = 300
    hits = 0
    for r in range(reps):
        T = _synthetic(gen, C, p, k, pool, s)
        e = dni(range(k), T, n_bootstrap=400, rng=r)
        hits += e.low <= truth <= e.high
    cover = hits / reps
    se = np.sqrt(0.95 * 0.05 / reps)
    # Efron-Stein: the linearised interval may only err on the wide side
    assert cover >= 0.95 - 3 * se, cover
    assert cover <= 0.995, cover
