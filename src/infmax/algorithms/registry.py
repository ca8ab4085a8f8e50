"""Selector names as users type them (CLI ``--algorithm``), resolved to functions lazily.

An unknown name raises InvalidParameterError listing the valid choices.
"""

from __future__ import annotations

import importlib

from .._validation import check_choice

__all__ = ["SELECTORS", "get_selector"]

# CLI name -> "module:function"
SELECTORS = {
    "degree": "infmax.algorithms.heuristics:degree",
    "single-discount": "infmax.algorithms.heuristics:single_discount",
    "degree-discount": "infmax.algorithms.heuristics:degree_discount",
    "kcore": "infmax.algorithms.heuristics:kcore",
    "pagerank": "infmax.algorithms.heuristics:pagerank",
    "random": "infmax.algorithms.heuristics:random_seeds",
    "celf": "infmax.algorithms.oracle_greedy:celf",
    "celf++": "infmax.algorithms.oracle_greedy:celfpp",
    "greedy": "infmax.algorithms.oracle_greedy:greedy",
    "imm": "infmax.algorithms.imm:imm",
    "tim+": "infmax.algorithms.tim:tim_plus",
    "opim-c": "infmax.algorithms.opim:opim_c",
}
_ALIASES = {"celfpp": "celf++", "tim_plus": "tim+", "timplus": "tim+", "opim_c": "opim-c",
            "opimc": "opim-c", "degree_discount": "degree-discount", "degreediscount":
            "degree-discount", "single_discount": "single-discount", "k-core": "kcore",
            "outdegree": "degree", "out-degree": "degree"}


def get_selector(name: str, *, func: str = "seeds"):
    """The selector function registered under ``name`` (case-insensitive)."""
    key = _ALIASES.get(name.lower(), name.lower()) if isinstance(name, str) else name
    key = check_choice(func, "algorithm", key, SELECTORS)
    mod, _, fn = SELECTORS[key].partition(":")
    return getattr(importlib.import_module(mod), fn)
