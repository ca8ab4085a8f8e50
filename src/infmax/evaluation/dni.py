"""DNI: distinct nodes reached in held-out cascades started by the seeds (IMINFECTOR, Sec. 5.3).

``DNI(S) = |union of the users of the test cascades whose initiator is in S|``; the initiator
is one of its cascade's users, so it counts once however many cascades it started.

Uncertainty: a bootstrap over test cascades. The plain bootstrap (recompute the union on a
resample drawn with replacement) is wrong for a union: a cascade drawn twice adds no user, so
resampled DNIs sit well below the observed one and their spread is too small (about half the
standard deviation when the cascades do not overlap). Here each resample reweights the exact
additive decomposition of DNI by its leave-one-out contributions: ``DNI* = DNI + sum_i (w_i -
1) d_i`` with multinomial counts ``w`` and ``d_i`` the users only cascade ``i`` brings (the
linearised bootstrap). It is exact when cascades do not overlap and, by the Efron-Stein
inequality, errs on the wide side when they do. The interval is the percentile interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import Interval, check, fail
from ..graph.cascades import Cascades
from ..random import as_generator

__all__ = ["DNIEstimate", "dni", "dni_curve"]


@dataclass(frozen=True)
class DNIEstimate:
    """DNI of one seed set with its bootstrap interval.

    Attributes
    ----------
    k : int
        Number of seeds.
    value : int
        Observed DNI.
    low, high : float
        Bootstrap percentile interval at ``confidence``.
    confidence : float
    cascades : int
        Test cascades started by a seed.
    n_bootstrap : int
    """

    k: int
    value: int
    low: float
    high: float
    confidence: float
    cascades: int
    n_bootstrap: int

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate as plain JSON-ready values."""
        return {"k": self.k, "dni": self.value, "low": self.low, "high": self.high,
                "confidence": self.confidence, "cascades": self.cascades,
                "n_bootstrap": self.n_bootstrap}


def _check(func: str, test_cascades: object, confidence: float, n_bootstrap: int) -> None:
    if not isinstance(test_cascades, Cascades):
        fail(func, "test_cascades", "a Cascades collection", type(test_cascades).__name__)
    check(func, "confidence", confidence, Interval(float, 0, 1, closed="neither"))
    check(func, "n_bootstrap", n_bootstrap, Interval(int, 1, None))


def _seed_ids(func: str, seeds: Iterable[Any], C: Cascades) -> np.ndarray:
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        fail(func, "seeds", "a sequence of user labels", seeds)
    # a seed absent from the test cascades started none of them: it adds nothing
    return C.node_ids(list(seeds), param="seeds", func=func, missing="drop")


def _contributions(C: Cascades, chosen: np.ndarray) -> tuple[int, np.ndarray]:
    """DNI of the cascades ``chosen`` and each one's leave-one-out contribution."""
    if chosen.size == 0:
        return 0, np.zeros(0)
    sub = C.subset(chosen)
    cid = np.repeat(np.arange(chosen.size), sub.sizes)
    users, inv, counts = np.unique(sub.users, return_inverse=True, return_counts=True)
    only = counts[inv] == 1
    return int(users.size), np.bincount(cid[only], minlength=chosen.size).astype(float)


def dni_curve(seeds: Sequence[Any], test_cascades: Cascades, ks: Iterable[int] | None = None,
              *, confidence: float = 0.95, n_bootstrap: int = 1000,
              rng: object = None) -> list[DNIEstimate]:
    """DNI of the first ``k`` seeds for each ``k`` in ``ks`` (default 1..len(seeds)).

    The same bootstrap resamples serve every ``k``, so the curve's intervals are coherent.

    Parameters
    ----------
    seeds : sequence
        Seed labels in selection order (a ``SeedResult.seeds``).
    test_cascades : Cascades
        Held-out cascades (``split_by_time(...)[1]``).
    ks : iterable of int, optional
        Prefix sizes, each in [1, len(seeds)].
    confidence : float in (0, 1), default 0.95
    n_bootstrap : int, default 1000
    rng : int, Generator or None
    """
    func = "dni_curve"
    _check(func, test_cascades, confidence, n_bootstrap)
    seeds = list(seeds) if not isinstance(seeds, (str, bytes)) else seeds
    ids_all = _seed_ids(func, seeds, test_cascades)
    ks = list(range(1, len(seeds) + 1)) if ks is None else list(ks)
    for k in ks:
        check(func, "ks", k, Interval(int, 1, max(len(seeds), 1)))
    gen = as_generator(rng)
    C = test_cascades
    n = len(C)
    w = gen.multinomial(n, np.full(n, 1.0 / n), size=n_bootstrap) if n else np.zeros(
        (n_bootstrap, 0))
    lo_q, hi_q = 100 * (1 - confidence) / 2, 100 * (1 + confidence) / 2
    starts = C.initiators
    out = []
    for k in ks:
        ids = _seed_ids(func, seeds[:k], C) if ids_all.size else ids_all
        chosen = np.flatnonzero(np.isin(starts, ids))
        value, d = _contributions(C, chosen)
        boot = value + (w[:, chosen] - 1.0) @ d if chosen.size else np.full(n_bootstrap, 0.0)
        out.append(DNIEstimate(int(k), value, float(np.percentile(boot, lo_q)),
                               float(np.percentile(boot, hi_q)), float(confidence),
                               int(chosen.size), int(n_bootstrap)))
    return out


def dni(seeds: Sequence[Any], test_cascades: Cascades, *, confidence: float = 0.95,
        n_bootstrap: int = 1000, rng: object = None) -> DNIEstimate:
    """DNI of ``seeds`` on ``test_cascades`` with a bootstrap interval over test cascades.

    Examples
    --------
    >>> from infmax.graph.cascades import Cascades
    >>> T = Cascades.from_lists([[1, 2, 3], [1, 3, 4], [5, 6]], [[0, 1, 2]] * 2 + [[0, 1]])
    >>> dni([1], T, rng=0).value
    4
    """
    seeds = list(seeds) if not isinstance(seeds, (str, bytes)) else seeds
    if not seeds:
        fail("dni", "seeds", "a non-empty sequence of user labels", seeds)
    return dni_curve(seeds, test_cascades, [len(seeds)], confidence=confidence,
                     n_bootstrap=n_bootstrap, rng=rng)[0]
