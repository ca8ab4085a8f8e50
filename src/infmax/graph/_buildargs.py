"""Keyword checks shared by every constructor that ends in :func:`infmax.graph.from_edges`.

These are the file readers and the converters from other libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import InvalidParameterError
from ..random import as_generator
from ._digraph import MERGE_RULES
from .weights import parse_weights

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["check_build_args", "resolve_weights", "wants_file"]


def resolve_weights(weights: str | float | ArrayLike, has_col: bool):
    """``"auto"`` becomes ``"file"`` when the source holds probabilities, else ``"wc"``."""
    if isinstance(weights, str) and weights.strip().lower() == "auto":
        return "file" if has_col else "wc"
    return weights


def wants_file(weights: str | float | ArrayLike) -> bool:
    """Tell whether ``weights`` asks for the probabilities of the source (``"file"``)."""
    return isinstance(weights, str) and weights.strip().lower() == "file"


def check_build_args(func, weights, p, merge, dtype, rng):
    """Validate the from_edges keywords up front, so errors name the public function.

    Returns ``rng`` as a Generator (the same stream :func:`~infmax.random.as_generator` gives
    later).
    """
    if not (isinstance(weights, str) and weights.strip().lower() == "auto"):
        parse_weights(weights, p=p, func=func)
    if merge not in MERGE_RULES:
        raise InvalidParameterError(
            f"The 'merge' parameter of {func} must be one of "
            f"{', '.join(map(repr, MERGE_RULES))}. Got {merge!r}.", param="merge", value=merge)
    try:
        ok = np.dtype(dtype) in (np.float32, np.float64)
    except TypeError:
        ok = False
    if not ok:
        raise InvalidParameterError(
            f"The 'dtype' parameter of {func} must be float32 or float64. Got {dtype!r}.",
            param="dtype", value=dtype)
    return as_generator(rng, func=func)
