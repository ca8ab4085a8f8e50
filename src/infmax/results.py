"""Result records shared by every part of infmax: :class:`SeedResult`, :class:`SpreadEstimate`.

Both are frozen dataclasses with a ``to_dict()`` that gives plain JSON-ready Python values, which
is what the CLI writes. Every selector builds its result the same way: a :class:`Stopwatch`
started before validation times the named phases of the run, and :func:`make_result` closes it
into ``SeedResult.timings`` (seconds per phase, plus ``"total"``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, TracebackType
from typing import Any, Protocol, TypeAlias

import numpy as np

__all__ = ["SeedResult", "SpreadEstimate", "Stopwatch", "make_result", "to_jsonable"]

_Z95 = 1.959963984540054

#: what :func:`to_jsonable` returns: a value :func:`json.dumps` writes as it is
JSONValue: TypeAlias = "None | bool | int | float | str | list[JSONValue] | dict[str, JSONValue]"


def to_jsonable(obj: object) -> JSONValue:
    """Convert numpy scalars/arrays, tuples, mappings and dataclass records to JSON values.

    Non-finite floats become ``None``; any other object becomes its ``str``.
    """
    if isinstance(obj, (SeedResult, SpreadEstimate)):
        return obj.to_dict()
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    return str(obj)


@dataclass(frozen=True)
class SpreadEstimate:
    """A Monte Carlo (or sampling) estimate of an expected spread.

    Attributes
    ----------
    mean : float
        Estimated expected number of activated nodes (seeds included).
    stderr : float
        Standard error of ``mean``.
    ci95 : tuple of float
        Normal-approximation 95 % confidence interval ``mean +- 1.96 stderr``.
    n_simulations : int
        Number of independent samples behind the estimate.
    model : str
        Diffusion model name.
    details : mapping
        Anything else (per-step counts, timings).
    """

    mean: float
    stderr: float
    ci95: tuple[float, float]
    n_simulations: int
    model: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_samples(cls, total: float, total_sq: float, n: int, *, model: str = "",
                     details: Mapping[str, Any] | None = None) -> SpreadEstimate:
        """Build from the sum and sum of squares of ``n`` i.i.d. samples."""
        mean = total / n
        var = max(total_sq / n - mean * mean, 0.0) * n / (n - 1) if n > 1 else 0.0
        se = math.sqrt(var / n)
        return cls(float(mean), float(se), (float(mean - _Z95 * se), float(mean + _Z95 * se)),
                   int(n), model, MappingProxyType(dict(details or {})))

    @classmethod
    def from_mean_stderr(cls, mean: float, stderr: float, n: int, *, model: str = "",
                         details: Mapping[str, Any] | None = None) -> SpreadEstimate:
        """Build from a mean and its standard error (``n`` samples behind them)."""
        return cls(float(mean), float(stderr),
                   (float(mean - _Z95 * stderr), float(mean + _Z95 * stderr)), int(n), model,
                   MappingProxyType(dict(details or {})))

    def __float__(self) -> float:
        return self.mean

    def to_dict(self) -> dict:
        """Return the estimate as plain JSON-ready values (``details`` only when not empty)."""
        return {"mean": self.mean, "stderr": self.stderr, "ci95": list(self.ci95),
                "n_simulations": self.n_simulations, "model": self.model,
                **({"details": to_jsonable(self.details)} if self.details else {})}

    def __repr__(self) -> str:
        return (f"SpreadEstimate(mean={self.mean:.4f}, stderr={self.stderr:.4f}, "
                f"ci95=({self.ci95[0]:.4f}, {self.ci95[1]:.4f}), n={self.n_simulations})")


@dataclass(frozen=True)
class SeedResult:
    """What every seed selector returns.

    Attributes
    ----------
    seeds : tuple
        Seed labels (original node labels), in selection order.
    algorithm : str
        Name of the selector.
    seed_ids : numpy.ndarray
        The same seeds as internal int32 ids (read-only).
    spread : float or None
        The algorithm's own estimate of the expected spread, when it has one.
    spread_stderr : float or None
        Standard error of ``spread`` when known.
    params : mapping
        The parameters the selector ran with.
    timings : mapping
        Seconds per phase (``"total"`` always present).
    record : mapping
        Counters and diagnostics (theta, RR sets per phase, memory, marginal gains, ...).
    """

    seeds: tuple
    algorithm: str
    seed_ids: np.ndarray
    spread: float | None = None
    spread_stderr: float | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    record: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = np.array(self.seed_ids, dtype=np.int32)
        ids.setflags(write=False)
        object.__setattr__(self, "seed_ids", ids)
        object.__setattr__(self, "seeds", tuple(self.seeds))
        for name in ("params", "timings", "record"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def k(self) -> int:
        """Number of seeds."""
        return len(self.seeds)

    def to_dict(self) -> dict:
        """Return the result as plain JSON-ready values (seed labels, not internal ids)."""
        return {
            "algorithm": self.algorithm,
            "seeds": to_jsonable(list(self.seeds)),
            "spread": to_jsonable(self.spread),
            "spread_stderr": to_jsonable(self.spread_stderr),
            "params": to_jsonable(self.params),
            "timings": to_jsonable(self.timings),
            "record": to_jsonable(self.record),
        }

    def __repr__(self) -> str:
        sp = "" if self.spread is None else f", spread={self.spread:.2f}"
        shown = list(self.seeds[:10])
        more = "" if len(self.seeds) <= 10 else f" ... (+{len(self.seeds) - 10})"
        return f"SeedResult({self.algorithm}, k={self.k}, seeds={shown}{more}{sp})"


class Stopwatch:
    """Seconds per named phase of a run; ``"total"`` is measured from construction.

    A phase is timed with ``with sw("name"):`` (or its seconds are added with :meth:`add`);
    a phase entered several times (per round, per iteration) accumulates. :meth:`timings` is
    the mapping every :class:`SeedResult` carries as ``timings``.

    Examples
    --------
    >>> sw = Stopwatch()
    >>> with sw("scores"):
    ...     pass
    >>> with sw("scores"):
    ...     pass
    >>> sw.add("oracle", 0.5)
    >>> t = sw.timings()
    >>> sorted(t), t["oracle"], t["total"] >= t["scores"] >= 0
    (['oracle', 'scores', 'total'], 0.5, True)
    """

    def __init__(self) -> None:
        self._t0 = time.perf_counter()
        self._phases: dict[str, float] = {}

    def __call__(self, phase: str) -> _Phase:
        """Return a context manager that adds the seconds spent inside it to ``phase``."""
        return _Phase(self, phase)

    def add(self, phase: str, seconds: float) -> None:
        """Add ``seconds`` to ``phase`` (created at 0 when new)."""
        self._phases[phase] = self._phases.get(phase, 0.0) + float(seconds)

    def elapsed(self) -> float:
        """Seconds since construction."""
        return time.perf_counter() - self._t0

    def timings(self) -> dict[str, float]:
        """Seconds per phase, in the order first entered, plus ``"total"`` (until now)."""
        out = dict(self._phases)
        out["total"] = self.elapsed()
        return out


class _Phase:
    """One timed section of a :class:`Stopwatch` (what ``sw(phase)`` returns)."""

    def __init__(self, sw: Stopwatch, phase: str) -> None:
        self.sw, self.phase = sw, phase
        self.t = 0.0

    def __enter__(self) -> _Phase:
        self.t = time.perf_counter()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        self.sw.add(self.phase, time.perf_counter() - self.t)
        return False


class _Labelled(Protocol):
    """What :func:`make_result` needs of a graph: internal ids -> node labels."""

    def node_labels(self, ids: Iterable[int]) -> list: ...


def make_result(G: _Labelled, algorithm: str, seed_ids: Iterable[int] | np.ndarray, *,
                params: Mapping[str, Any], stopwatch: Stopwatch,
                record: Mapping[str, Any] | None = None, spread: float | None = None,
                spread_stderr: float | None = None) -> SeedResult:
    """Build the frozen :class:`SeedResult` of a selector, closing its timings now.

    Parameters
    ----------
    G : DiGraph or TemporalGraph
        The graph the seeds were chosen on (its ``node_labels`` turn ids into labels).
    algorithm : str
        Name of the selector, as results report it.
    seed_ids : array_like of int
        Internal ids of the seeds, in selection order.
    params : mapping
        The parameters the selector ran with.
    stopwatch : Stopwatch
        Started when the selector was called; ``timings`` is its phases plus ``"total"``.
    record : mapping, optional
        Counters and diagnostics.
    spread, spread_stderr : float, optional
        The selector's own estimate of the expected spread and its standard error.

    Returns
    -------
    SeedResult

    Examples
    --------
    >>> import infmax as im
    >>> G = im.graph.from_edges(["a", "b"], ["b", "c"])
    >>> res = make_result(G, "example", [2, 0], params={"k": 2}, stopwatch=Stopwatch())
    >>> res.seeds, res.seed_ids.tolist(), "total" in res.timings
    (('c', 'a'), [2, 0], True)
    """
    ids = np.asarray(seed_ids, dtype=np.int32)
    return SeedResult(seeds=tuple(G.node_labels(ids)), algorithm=algorithm, seed_ids=ids,
                      spread=None if spread is None else float(spread),
                      spread_stderr=None if spread_stderr is None else float(spread_stderr),
                      params=dict(params), timings=stopwatch.timings(), record=dict(record or {}))
