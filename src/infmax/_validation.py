"""Parameter constraints as data, with one error template.

Public functions validate their arguments once, here, and call private ``_impl`` functions
that trust their input. Every message has the form::

    The 'epsilon' parameter of imm must be a float in (0, 1). Got 2.

Examples
--------
>>> from infmax._validation import Interval, check
>>> check("imm", "epsilon", 0.1, Interval(float, 0, 1, closed="neither"))
0.1
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .exceptions import InvalidParameterError

__all__ = ["Interval", "Options", "check", "check_k", "fail", "check_choice", "check_graph",
           "plain"]


def plain(value: object) -> object:
    """Return NumPy scalars as Python numbers, so messages show ``nan``, not ``np.float64(nan)``."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def fail(func: str, param: str, requirement: str, value: object) -> None:
    """Raise the one InvalidParameterError template."""
    value = plain(value)
    raise InvalidParameterError(
        f"The '{param}' parameter of {func} must be {requirement}. Got {value!r}.",
        param=param,
        value=value,
    )


@dataclass(frozen=True)
class Interval:
    """A numeric constraint: type (int or float) and bounds.

    ``closed`` is one of "both", "left", "right", "neither". ``None`` bounds are open-ended.
    Integers are accepted where floats are asked for; booleans never count as numbers.
    """

    type: type
    low: float | None = None
    high: float | None = None
    closed: str = "both"

    def describe(self) -> str:
        kind = "an int" if self.type is int else "a float"
        if self.low is None and self.high is None:
            return kind
        if self.high is None:
            op = ">=" if self.closed in ("both", "left") else ">"
            return f"{kind} {op} {self.low:g}"
        if self.low is None:
            op = "<=" if self.closed in ("both", "right") else "<"
            return f"{kind} {op} {self.high:g}"
        lb = "[" if self.closed in ("both", "left") else "("
        rb = "]" if self.closed in ("both", "right") else ")"
        return f"{kind} in {lb}{self.low:g}, {self.high:g}{rb}"

    def accepts(self, value: object) -> bool:
        if isinstance(value, (bool, np.bool_)):
            return False
        if self.type is int:
            if not isinstance(value, (numbers.Integral, np.integer)):
                return False
        elif not isinstance(value, (numbers.Real, np.integer, np.floating)):
            return False
        v = float(value)
        if np.isnan(v):
            return False
        lo_ok = self.low is None or (
            v >= self.low if self.closed in ("both", "left") else v > self.low
        )
        hi_ok = self.high is None or (
            v <= self.high if self.closed in ("both", "right") else v < self.high
        )
        return lo_ok and hi_ok


@dataclass(frozen=True)
class Options:
    """A constraint to one of a fixed set of values (usually strings)."""

    values: tuple

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def accepts(self, value: object) -> bool:
        try:
            return value in self.values
        except TypeError:
            return False


# Any: the result is an int, a float or one of the options, depending on ``constraint``.
def check(func: str, param: str, value: object,
          constraint: Interval | Options) -> Any:  # noqa: ANN401
    """Return ``value`` (ints as int, floats as float) or raise the template error."""
    if not constraint.accepts(value):
        fail(func, param, constraint.describe(), value)
    if isinstance(constraint, Interval):
        return operator.index(value) if constraint.type is int else float(value)
    return value


def check_choice(func: str, param: str, value: object, choices: Iterable[str]) -> str:
    """Resolve a registry name; unknown names list the valid choices."""
    choices = tuple(choices)
    if isinstance(value, str):
        key = value.lower()
        if key in choices:
            return key
    fail(func, param, "one of " + ", ".join(repr(c) for c in choices), value)
    raise AssertionError  # unreachable


def check_k(func: str, k: object, n: int, *, param: str = "k") -> int:
    """Validate a seed budget: an int in [1, n] (a graph without nodes is named as such)."""
    if n == 0:
        raise InvalidParameterError(
            f"{func} cannot select seeds: the graph has no nodes (the '{param}' parameter got "
            f"{plain(k)!r}).", param=param, value=k)
    return check(func, param, k, Interval(int, 1, n))


def check_node_values(func: str, param: str, value: object, n: int, *, nonnegative: bool = True,
                      positive_sum: bool = False) -> np.ndarray:
    """Validate a per-node float array (node weights, neighbour weights).

    The array must have length ``n``, be finite, and optionally be ``>= 0`` and have a
    positive sum. Returns a float64 copy-free view when possible.
    """
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(func, param, f"an array of {n} finite floats (one per node)", value)
    if a.shape != (n,):
        fail(func, param, f"an array of length {n} (one float per node)", f"shape {a.shape}")
    bad = ~np.isfinite(a)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        fail(func, param, f"finite (no NaN or inf; node id {i} is not)", float(a[i]))
    if nonnegative and (a < 0).any():
        i = int(np.flatnonzero(a < 0)[0])
        fail(func, param, f"non-negative (node id {i} is not)", float(a[i]))
    if positive_sum and not a.sum() > 0:
        fail(func, param, "an array with a positive sum", float(a.sum()))
    return a


# Any: the result is ``G`` itself, a DiGraph or a TemporalGraph depending on ``temporal``; this
# module sits below the graph package (import-linter layers) and cannot name either class.
def check_graph(func: str, G: object, *, param: str = "G",
                temporal: bool = False) -> Any:  # noqa: ANN401
    """Check that ``G`` is an infmax ``DiGraph`` (or ``TemporalGraph`` when ``temporal``).

    Anything else gets one clear error naming the parameter, the type given, and the converter
    or function to use instead (networkx graphs: :func:`infmax.from_networkx`; a temporal graph
    given to a static method: the temporal methods; a static graph given to a temporal one:
    :class:`infmax.TemporalGraph`).
    """
    cls = type(G)
    name = cls.__name__
    module = cls.__module__ or ""
    want = "TemporalGraph" if temporal else "DiGraph"
    if module.startswith("infmax.") and name == want:
        return G
    if module.startswith("networkx"):
        advice = ("convert it first with infmax.from_networkx(G, weights=...)"
                  + (" and build contacts with infmax.TemporalGraph" if temporal else ""))
    elif name == "TemporalGraph" and not temporal:
        advice = ("a temporal contact network needs a temporal method (infmax.bopim, "
                  "infmax.temporal.*; CLI: --temporal)")
    elif name == "DiGraph" and temporal:
        advice = "build a TemporalGraph from timed contacts (infmax.TemporalGraph)"
    else:
        advice = "load one with infmax.read_edgelist, infmax.from_edges or infmax.datasets.load"
    shown = "None" if G is None else f"an object of type {module}.{name}".replace("builtins.", "")
    raise InvalidParameterError(
        f"The '{param}' parameter of {func} must be an infmax {want}. Got {shown}; {advice}.",
        param=param, value=G)
