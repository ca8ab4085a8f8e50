"""Edge-weight schemes: weighted cascade, uniform, trivalency, from file; LT validation.

A scheme is named by a string (``"wc"``, ``"uniform:0.05"``, ``"trivalency"``, ``"file"``), a
float (uniform probability) or an explicit array of per-arc values in out-CSR order. Schemes
return a new graph sharing the topology of the old one.

Examples
--------
>>> import infmax as im
>>> G = im.graph.from_edges([0, 1, 2], [2, 2, 0], weights="wc")
>>> G.probs.tolist()          # arcs 0->2, 1->2, 2->0; node 2 has in-degree 2
[0.5, 0.5, 1.0]
>>> im.graph.apply_weights(G, "uniform:0.1").probs.tolist()
[0.1, 0.1, 0.1]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._validation import plain
from ..exceptions import InvalidParameterError
from ..random import as_generator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..random import RngLike
    from . import DiGraph

__all__ = ["apply_weights", "parse_weights", "check_lt_weights", "normalize_lt", "lt_tolerance",
           "SCHEMES", "TRIVALENCY"]

SCHEMES = ("wc", "uniform", "trivalency", "file")
TRIVALENCY = (0.1, 0.01, 0.001)


def lt_tolerance(dtype: DTypeLike) -> float:
    """Return how far above 1 a node's LT in-weight sum may be for weights stored as ``dtype``.

    Storing a weight rounds it by up to half a unit in the last place, a relative error of
    ``eps / 2``; weights that sum to exactly 1 therefore sum (in float64) to at most
    ``1 + eps / 2``, e.g. ``3 * float32(1/3) = 1.00000003``. The allowance is
    ``max(1e-9, 8 eps)``: ``1e-9`` for float64 (covers float64 summation of millions of
    in-arcs) and about ``9.5e-7`` for float32 (a few float32 roundings of each weight). A sum
    within the allowance is treated as 1 (the LT kernels never rely on the sum being <= 1).

    Parameters
    ----------
    dtype : numpy float dtype
        Storage dtype of the weights (``G.probs.dtype``).

    Examples
    --------
    >>> import numpy as np
    >>> lt_tolerance(np.float64), lt_tolerance(np.float32) > 3 * 2.0 ** -24
    (1e-09, True)
    """
    return max(1e-9, 8.0 * float(np.finfo(np.dtype(dtype)).eps))


def parse_weights(spec: str | float | ArrayLike, *, p: float | None = None,
                  func: str = "apply_weights") -> tuple[str, float | np.ndarray | None]:
    """Normalise a scheme spec to ``(name, value)``; ``value`` is p, an array, or None."""
    if isinstance(spec, (float, int, np.floating, np.integer)) and not isinstance(spec, bool):
        name, val = "uniform", float(spec)
    elif isinstance(spec, np.ndarray) or isinstance(spec, (list, tuple)):
        return "array", np.asarray(spec, dtype=np.float64)
    elif isinstance(spec, str):
        text = spec.strip().lower()
        name, _, arg = text.partition(":")
        name = {"weighted-cascade": "wc", "weighted_cascade": "wc", "tv": "trivalency"}.get(
            name, name)
        if name not in SCHEMES:
            raise InvalidParameterError(
                f"The 'weights' parameter of {func} must be one of 'wc', 'uniform:P' (or a float "
                f"P), 'trivalency', 'file' or an array of arc values. Got {spec!r}.",
                param="weights", value=spec)
        val = None
        if name == "uniform":
            if arg:
                try:
                    val = float(arg)
                except ValueError:
                    val = arg
            elif p is not None:
                val = p
            else:
                raise InvalidParameterError(
                    f"The 'weights' parameter of {func} is 'uniform' but no probability was "
                    f"given: write 'uniform:P' with P in [0, 1]. Got {spec!r}.",
                    param="weights", value=spec)
        elif arg:
            raise InvalidParameterError(
                f"The 'weights' parameter of {func} takes an argument only for 'uniform:P'. "
                f"Got {spec!r}.", param="weights", value=spec)
    else:
        raise InvalidParameterError(
            f"The 'weights' parameter of {func} must be a scheme name, a float or an array. "
            f"Got {spec!r}.", param="weights", value=spec)
    if name == "uniform":
        if not isinstance(val, float) or not (0.0 <= val <= 1.0):
            raise InvalidParameterError(
                f"The 'weights' parameter of {func} must give a uniform probability in [0, 1]. "
                f"Got {plain(val)!r}.", param="weights", value=val)
    return name, val


def apply_weights(G: DiGraph, weights: str | float | ArrayLike, *, rng: RngLike = None,
                  p: float | None = None, func: str = "apply_weights") -> DiGraph:
    """Return ``G`` with arc probabilities set by a scheme.

    - ``"wc"`` (weighted cascade, Kempe et al. 2003): ``p(u, v) = 1 / indeg(v)``.
    - ``"uniform:P"`` or a float ``P``: every arc ``P``.
    - ``"trivalency"``: each arc drawn uniformly from {0.1, 0.01, 0.001} with ``rng``.
    - ``"file"``: the weights read with the graph (error when it had none).
    - an array of length ``m``: per-arc values in out-CSR order, each in [0, 1].
    """
    name, val = parse_weights(weights, p=p, func=func)
    m = G.m
    dtype = G.probs.dtype
    if name == "wc":
        indeg = G.in_degree
        probs = (1.0 / np.maximum(indeg, 1))[G.indices].astype(dtype)
        return G.with_probs(probs, "wc")
    if name == "uniform":
        return G.with_probs(np.full(m, val, dtype=dtype), f"uniform:{val:g}")
    if name == "trivalency":
        gen = as_generator(rng, func=func)
        choice = gen.integers(0, 3, size=m)
        return G.with_probs(np.asarray(TRIVALENCY, dtype=dtype)[choice], "trivalency")
    if name == "file":
        if G.file_probs is None:
            raise InvalidParameterError(
                f"The 'weights' parameter of {func} is 'file' but the graph was read without a "
                "probability column.", param="weights", value="file")
        return G.with_probs(G.file_probs.astype(dtype), "file")
    arr = val
    if arr.shape != (m,):
        raise InvalidParameterError(
            f"The 'weights' parameter of {func} must have one value per arc ({m}). Got shape "
            f"{arr.shape}.", param="weights", value=arr.shape)
    bad = ~((arr >= 0) & (arr <= 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidParameterError(
            f"The 'weights' parameter of {func} must hold probabilities in [0, 1]. Got "
            f"{plain(arr[i])!r} at arc {i}.", param="weights", value=float(arr[i]))
    return G.with_probs(arr.astype(dtype), "array")


def check_lt_weights(G: DiGraph, *, func: str = "spread") -> None:
    """Raise unless every node's in-weights sum to at most 1 (the LT model's requirement).

    Sums up to ``1 + lt_tolerance(G.probs.dtype)`` pass (rounding of the stored weights, see
    :func:`lt_tolerance`).
    """
    s = G.in_weight_sum
    tol = lt_tolerance(G.probs.dtype)
    bad = np.flatnonzero(s > 1.0 + tol)
    if bad.shape[0]:
        v = int(bad[0])
        advice = "infmax.graph.normalize_lt(G)"
        if not str(G.weighting).startswith("wc"):
            advice = "weights='wc' or " + advice
        raise InvalidParameterError(
            f"The 'model' parameter of {func} is 'lt', which needs the in-weights of each node "
            f"to sum to at most 1 (+{tol:g} for {G.probs.dtype.name} rounding), but node "
            f"{G.labels[v].item()!r} has {float(s[v]):.10g} ({bad.shape[0]} such nodes). "
            f"Use {advice}.", param="model", value="lt")


def normalize_lt(G: DiGraph) -> DiGraph:
    """Scale the in-weights of every node whose sum exceeds 1 so that it sums to 1.

    The scaled weights are rounded toward zero when stored (float32 graphs), so every scaled
    node's in-weights sum to at most 1 in float64 arithmetic (plus float64 rounding of the
    scale itself, far below :func:`lt_tolerance`) and the result always passes
    :func:`check_lt_weights`. Nodes whose sum is at most 1 keep their weights unchanged.
    """
    s = G.in_weight_sum
    dtype = G.probs.dtype
    scale = np.where(s > 1.0, 1.0 / np.where(s > 0, s, 1.0), 1.0)
    exact = G.probs.astype(np.float64) * scale[G.indices]
    probs = exact.astype(dtype)
    up = probs.astype(np.float64) > exact  # storing rounded these up: step one ulp down
    probs[up] = np.nextafter(probs[up], dtype.type(0))
    return G.with_probs(probs, G.weighting + "+lt-normalised")
