"""How diverse a seed set's categorical profiles are, and how much two seed sets share.

The evaluation metrics of the ADITUM paper (Caliò and Tagarelli, Sect. 7.2-7.3), usable for
any selector's seeds:

- :func:`value_entropy`: the Shannon entropy of the distribution of attribute values over the
  seeds' profiles, averaged over the m attributes (the paper's "cross-entropy of the
  distribution of attribute-values associated to the profile set of seeds");
- :func:`value_coverage`: the fraction of each attribute's domain that the seeds' profiles
  cover, averaged over the attributes;
- :func:`penalised_entropy`: the entropy multiplied by the coverage (the paper multiplies the
  entropy "by a factor that penalizes more for smaller fraction of attribute-values covered";
  its formula is not in the text we have, coverage is this package's reading);
- :func:`max_attribute_diversity`: the largest attribute-wise diversity any k profiles can
  reach (values spread as evenly as possible over the seeds; the paper's Eq. 12, Fig. 5);
- :func:`overlap` and :func:`overlap_matrix`: ``|S1 ∩ S2| / k`` (Fig. 4).

Profiles are an ``(n, m)`` array of value codes (code ``c`` of attribute ``i`` in
``[0, n_values[i])``) or any object with ``codes`` and ``n_values`` (such as
:class:`infmax.targeted.Profiles`); seeds are internal node ids (rows).

Examples
--------
>>> import numpy as np
>>> from infmax.evaluation.diversity_metrics import value_coverage, value_entropy, overlap
>>> codes = np.array([[0, 1], [1, 1], [0, 0]])
>>> round(value_entropy(codes, [0, 1]), 4), value_coverage(codes, [0, 1], n_values=[2, 2])
(0.3466, 0.75)
>>> overlap([1, 2, 3], [3, 4, 5])
0.3333333333333333
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import Interval, check, fail

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["value_entropy", "value_coverage", "penalised_entropy", "max_attribute_diversity",
           "overlap", "overlap_matrix", "value_counts"]


def _codes(func: str, profiles: Any, n_values: ArrayLike | None  # noqa: ANN401
           ) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(codes (n, m) int64, n_values (m,) int64)`` of a Profiles or a code array."""
    if hasattr(profiles, "codes") and hasattr(profiles, "n_values"):
        codes = np.asarray(profiles.codes)
        nv = np.asarray(profiles.n_values if n_values is None else n_values)
    else:
        try:
            codes = np.asarray(profiles, dtype=np.int64)
        except (TypeError, ValueError):
            fail(func, "profiles", "an (n, m) array of integer value codes or a Profiles",
                 type(profiles).__name__)
        if codes.ndim != 2:
            fail(func, "profiles", "an (n, m) array of value codes", f"shape {codes.shape}")
        nv = (codes.max(axis=0, initial=-1) + 1 if n_values is None
              else np.asarray(n_values))
    codes = codes.astype(np.int64, copy=False)
    nv = nv.astype(np.int64, copy=False).ravel()
    if nv.shape[0] != codes.shape[1]:
        fail(func, "n_values", f"{codes.shape[1]} counts (one per attribute)", nv.shape[0])
    if codes.size and (codes.min() < 0 or (codes >= nv[None, :]).any()):
        fail(func, "profiles", "codes in [0, n_values[i]) for every attribute i",
             "codes out of range")
    return codes, nv


def _seed_rows(func: str, codes: np.ndarray, seeds: ArrayLike) -> np.ndarray:
    s = np.unique(np.asarray(seeds, dtype=np.int64).ravel())
    if s.size and (s[0] < 0 or s[-1] >= codes.shape[0]):
        fail(func, "seeds", f"internal ids in [0, {codes.shape[0]})",
             [int(x) for x in s[(s < 0) | (s >= codes.shape[0])][:5]])
    return codes[s]


def value_counts(profiles: Any, seeds: ArrayLike, *,  # noqa: ANN401
                 n_values: ArrayLike | None = None) -> list[np.ndarray]:
    """Per attribute, how many seeds hold each value (``n_{i,x}(S)``).

    Parameters
    ----------
    profiles : Profiles or array of int, shape (n, m)
        Value codes of the nodes.
    seeds : array of int
        Internal ids of the seeds (duplicates count once).
    n_values : array of int, length m, optional
        Domain sizes (default: those of a Profiles, else the largest code + 1).

    Returns
    -------
    list of m int64 arrays
        ``counts[i][x]`` for ``x`` in ``[0, n_values[i])``.
    """
    codes, nv = _codes("value_counts", profiles, n_values)
    rows = _seed_rows("value_counts", codes, seeds)
    return [np.bincount(rows[:, i], minlength=int(nv[i])) for i in range(codes.shape[1])]


def value_entropy(profiles: Any, seeds: ArrayLike, *,  # noqa: ANN401
                  n_values: ArrayLike | None = None, base: float = math.e) -> float:
    """Mean over attributes of the entropy of the seeds' value distribution.

    ``(1/m) sum_i -sum_x p_{i,x} log p_{i,x}`` with ``p_{i,x} = n_{i,x}(S) / |S|``: 0 when all
    seeds share every value, ``log v`` when the seeds spread evenly over ``v`` values of each
    attribute.

    Parameters
    ----------
    profiles : Profiles or array of int, shape (n, m)
    seeds : array of int
        Internal ids (duplicates count once); an empty set has entropy 0.
    n_values : array of int, optional
        Domain sizes (see :func:`value_counts`).
    base : float > 1
        Base of the logarithm (default e: nats).

    Returns
    -------
    float
    """
    base = check("value_entropy", "base", base, Interval(float, 1.0, None, closed="neither"))
    counts = value_counts(profiles, seeds, n_values=n_values)
    if not counts or counts[0].sum() == 0:
        return 0.0
    hs = []
    for c in counts:
        p = c[c > 0] / c.sum()
        hs.append(float(-(p * np.log(p)).sum()))
    return float(np.mean(hs)) / math.log(base)


def value_coverage(profiles: Any, seeds: ArrayLike, *,  # noqa: ANN401
                   n_values: ArrayLike | None = None) -> float:
    """Mean over attributes of the fraction of the attribute's values held by some seed.

    ``(1/m) sum_i |{x : n_{i,x}(S) > 0}| / |V_i|``, in ``[0, 1]``; 0 for the empty set.

    Parameters
    ----------
    profiles : Profiles or array of int, shape (n, m)
    seeds : array of int
    n_values : array of int, optional
        Domain sizes ``|V_i|`` (see :func:`value_counts`).

    Returns
    -------
    float
    """
    counts = value_counts(profiles, seeds, n_values=n_values)
    if not counts:
        return 0.0
    return float(np.mean([np.count_nonzero(c) / c.shape[0] if c.shape[0] else 0.0
                          for c in counts]))


def penalised_entropy(profiles: Any, seeds: ArrayLike, *,  # noqa: ANN401
                      n_values: ArrayLike | None = None) -> float:
    """:func:`value_entropy` times :func:`value_coverage` (low coverage lowers the score)."""
    return (value_entropy(profiles, seeds, n_values=n_values)
            * value_coverage(profiles, seeds, n_values=n_values))


def max_attribute_diversity(n_values: ArrayLike, k: int, *, weights: ArrayLike | None = None,
                            lam: float = 1.0) -> float:
    """Return the largest attribute-wise diversity of k profiles (the paper's Eq. 12).

    ``div(S) = sum_i w_i sum_x sum_{j=1..n_{i,x}} j^(-lambda)`` is largest when every
    attribute's k values are spread as evenly as possible over its ``v_i`` values:
    ``r = k mod v_i`` values held ``q + 1`` times and ``v_i - r`` held ``q = k // v_i`` times.
    The bound ignores which profiles exist; it is reached when the nodes offer them.

    Parameters
    ----------
    n_values : array of int, length m
        Domain sizes ``v_i >= 1``.
    k : int >= 0
        Number of seeds.
    weights : array of float, length m, optional
        ``w_i`` (default ``1/m``).
    lam : float >= 0
        The exponent lambda (1: harmonic numbers).

    Returns
    -------
    float
    """
    func = "max_attribute_diversity"
    nv = np.asarray(n_values, dtype=np.int64).ravel()
    if nv.size == 0 or (nv < 1).any():
        fail(func, "n_values", "a non-empty list of domain sizes >= 1", nv.tolist())
    k = check(func, "k", k, Interval(int, 0, None))
    lam = check(func, "lam", lam, Interval(float, 0.0, None))
    w = np.full(nv.shape[0], 1.0 / nv.shape[0]) if weights is None else \
        np.asarray(weights, dtype=np.float64).ravel()
    if w.shape != nv.shape:
        fail(func, "weights", f"{nv.shape[0]} weights (one per attribute)", w.shape[0])
    cum = np.concatenate(([0.0], np.cumsum(np.arange(1, k + 2, dtype=np.float64) ** -lam)))
    total = 0.0
    for wi, v in zip(w.tolist(), nv.tolist()):
        q, r = divmod(k, v)
        total += wi * (r * cum[q + 1] + (v - r) * cum[q])
    return float(total)


def overlap(s1: Sequence[Any] | np.ndarray, s2: Sequence[Any] | np.ndarray, *,
            k: int | None = None) -> float:
    """Normalised overlap ``|S1 ∩ S2| / k`` of two seed sets.

    Parameters
    ----------
    s1, s2 : sequences of node labels or ids
        Duplicates count once.
    k : int >= 1, optional
        The normaliser (default the larger set size; two empty sets overlap 0).

    Returns
    -------
    float in [0, 1]
    """
    a = {x.item() if isinstance(x, np.generic) else x for x in s1}
    b = {x.item() if isinstance(x, np.generic) else x for x in s2}
    if k is None:
        k = max(len(a), len(b))
        if k == 0:
            return 0.0
    else:
        k = check("overlap", "k", k, Interval(int, 1, None))
    return len(a & b) / k


def overlap_matrix(seed_sets: Sequence[Sequence[Any]], *, k: int | None = None) -> np.ndarray:
    """Pairwise :func:`overlap` of seed sets: a symmetric matrix with ones on the diagonal.

    Parameters
    ----------
    seed_sets : sequence of seed sets
    k : int, optional
        The normaliser (default per pair: the larger set size).

    Returns
    -------
    ndarray of float64, shape (len(seed_sets), len(seed_sets))
    """
    n = len(seed_sets)
    out = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            out[i, j] = out[j, i] = overlap(seed_sets[i], seed_sets[j], k=k)
    return out
