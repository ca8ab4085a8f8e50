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

import numpy as np

from ..exceptions import InvalidParameterError
from ..random import as_generator

__all__ = ["apply_weights", "parse_weights", "check_lt_weights", "normalize_lt", "SCHEMES",
           "TRIVALENCY"]

SCHEMES = ("wc", "uniform", "trivalency", "file")
TRIVALENCY = (0.1, 0.01, 0.001)
_LT_TOL = 1e-9


def parse_weights(spec, *, p: float | None = None, func: str = "apply_weights"):
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
                f"Got {val!r}.", param="weights", value=val)
    return name, val


def apply_weights(G, weights, *, rng=None, p: float | None = None,
                  func: str = "apply_weights"):
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
            f"{arr[i]!r} at arc {i}.", param="weights", value=float(arr[i]))
    return G.with_probs(arr.astype(dtype), "array")


def check_lt_weights(G, *, func: str = "spread") -> None:
    """Raise unless every node's in-weights sum to at most 1 (the LT model's requirement)."""
    s = G.in_weight_sum
    bad = np.flatnonzero(s > 1.0 + _LT_TOL)
    if bad.shape[0]:
        v = int(bad[0])
        raise InvalidParameterError(
            f"The 'model' parameter of {func} is 'lt', which needs the in-weights of each node "
            f"to sum to at most 1, but node {G.labels[v].item()!r} has {s[v]:.6g} "
            f"({bad.shape[0]} such nodes). Use weights='wc' or infmax.graph.normalize_lt(G).",
            param="model", value="lt")


def normalize_lt(G):
    """Scale the in-weights of every node whose sum exceeds 1 so that it sums to exactly 1."""
    s = G.in_weight_sum
    scale = np.where(s > 1.0, 1.0 / np.where(s > 0, s, 1.0), 1.0)
    probs = (G.probs * scale[G.indices]).astype(G.probs.dtype)
    return G.with_probs(probs, G.weighting + "+lt-normalised")
