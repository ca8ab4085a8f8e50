"""Diversity metrics of seed sets (entropy, coverage, overlap, maximum diversity) by hand."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from infmax.evaluation.diversity_metrics import (
    max_attribute_diversity,
    overlap,
    overlap_matrix,
    penalised_entropy,
    value_counts,
    value_coverage,
    value_entropy,
)
from infmax.exceptions import InvalidParameterError
from infmax.targeted import AttributeDiversity, Profiles

CODES = np.array([[0, 1], [1, 1], [0, 0], [2, 1]])


def test_entropy_and_coverage_by_hand():
    # seeds {0, 1}: attribute 0 holds values 0 and 1 once each (ln 2), attribute 1 only 1 (0)
    assert value_entropy(CODES, [0, 1]) == pytest.approx(math.log(2) / 2)
    # domains 3 and 2: attribute 0 covers 2 of 3, attribute 1 covers 1 of 2
    assert value_coverage(CODES, [0, 1]) == pytest.approx((2 / 3 + 1 / 2) / 2)
    # seeds {0, 1, 2}: attribute 0 counts (2, 1, 0), attribute 1 counts (1, 2)
    h = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert value_entropy(CODES, [0, 1, 2]) == pytest.approx(h)
    assert value_coverage(CODES, [0, 1, 2]) == pytest.approx((2 / 3 + 1) / 2)
    assert penalised_entropy(CODES, [0, 1, 2]) == pytest.approx(h * (2 / 3 + 1) / 2)
    assert value_entropy(CODES, [0, 1, 2], base=2) == pytest.approx(h / math.log(2))


def test_counts_duplicates_empty_and_given_domains():
    assert [c.tolist() for c in value_counts(CODES, [3, 3, 0])] == [[1, 0, 1], [0, 2]]
    assert value_entropy(CODES, [0, 0, 1]) == value_entropy(CODES, [0, 1])
    assert value_entropy(CODES, []) == 0.0 and value_coverage(CODES, []) == 0.0
    # domains larger than the codes seen: coverage divides by them
    assert value_coverage(CODES, [0, 1, 2, 3], n_values=[6, 4]) == pytest.approx(
        (3 / 6 + 2 / 4) / 2)


def test_profiles_object_gives_its_domains():
    P = Profiles.from_array(np.array([["a", "x"], ["b", "x"], ["c", "y"]], dtype=object))
    assert value_coverage(P, [0]) == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert value_entropy(P, [0, 1, 2]) == pytest.approx(
        (math.log(3) - (2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))) / 2)


def test_overlap_by_hand():
    assert overlap([1, 2, 3], [3, 4, 5]) == pytest.approx(1 / 3)
    assert overlap([1, 2], [2, 1]) == 1.0
    assert overlap(np.array([1, 2, 3, 4]), [4, 9], k=4) == 0.25     # numpy ints == ints
    assert overlap(["a", "b"], ["b", "c"]) == 0.5
    assert overlap([], []) == 0.0
    M = overlap_matrix([[1, 2], [2, 3], [4, 5]])
    assert M.tolist() == [[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_max_attribute_diversity_by_hand():
    # one attribute of 2 values, k = 3: counts (2, 1) give (1 + 1/2) + 1
    assert max_attribute_diversity([2], 3) == pytest.approx(2.5)
    # two attributes (2 and 3 values), weights 1/2: (2.5 + 3) / 2
    assert max_attribute_diversity([2, 3], 3) == pytest.approx(2.75)
    assert max_attribute_diversity([2, 3], 0) == 0.0
    # lambda = 0 counts the seeds: k per attribute whatever the spread
    assert max_attribute_diversity([2, 3], 4, lam=0.0, weights=[1, 1]) == pytest.approx(8)


@pytest.mark.parametrize("lam", [1.0, 0.5])
def test_max_attribute_diversity_is_the_best_subset(lam):
    """Brute force: when every profile is offered, the best k-subset reaches the bound."""
    table = np.array(list(itertools.product(range(2), range(3))) * 3)   # 18 nodes
    P = Profiles.from_array(table)
    D = AttributeDiversity(P, lam=lam)
    for k in (1, 2, 3, 4):
        best = max(D.value(list(S)) for S in itertools.combinations(range(P.n), k))
        assert best == pytest.approx(max_attribute_diversity(P.n_values, k, lam=lam))


@pytest.mark.parametrize("call, param", [
    (lambda: value_entropy(np.array([[0, 5]]), [0], n_values=[1, 2]), "profiles"),
    (lambda: value_entropy(CODES, [0], n_values=[3]), "n_values"),
    (lambda: value_coverage(CODES, [7]), "seeds"),
    (lambda: value_entropy(np.arange(3), [0]), "profiles"),
    (lambda: value_entropy(CODES, [0], base=1), "base"),
    (lambda: max_attribute_diversity([2, 0], 3), "n_values"),
    (lambda: max_attribute_diversity([2], -1), "k"),
    (lambda: max_attribute_diversity([2, 2], 1, weights=[1]), "weights"),
    (lambda: overlap([1], [1], k=0), "k"),
])
def test_bad_input_names_the_parameter(call, param):
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter"):
        call()
