"""Seed selectors. Every one takes ``(G, k, *, ..., rng=None)`` and returns a SeedResult.

- heuristics: :func:`degree`, :func:`single_discount`, :func:`degree_discount`,
  :func:`kcore`, :func:`pagerank`, :func:`random_seeds`
- greedy over a spread oracle: :func:`celf`, :func:`celfpp`, :func:`greedy`
- reverse influence sampling: :func:`imm`, :func:`tim_plus`, :func:`opim_c`
- LT by simple paths: :func:`simpath` (SIMPATH) and its estimator :func:`simpath_spread`
- :mod:`.registry`: the one selector registry (names, aliases, input kind, models,
  ``candidates`` / ``node_weights`` support) for these and the optional packages' selectors;
  the CLI, ``infmax algorithms list``, observability and the conformance tests read it.

``_LAZY`` below is only the import map of this package's public names (loaded on first
access); ``tests/algorithms/test_registry.py`` checks it offers every registered static selector.
"""

import importlib

_LAZY = {
    "degree": "heuristics", "single_discount": "heuristics", "degree_discount": "heuristics",
    "kcore": "heuristics", "pagerank": "heuristics", "random_seeds": "heuristics",
    "celf": "oracle_greedy", "celfpp": "oracle_greedy", "greedy": "oracle_greedy",
    "imm": "imm", "tim_plus": "tim", "opim_c": "opim", "max_coverage": "coverage",
    "simpath": "simpath", "simpath_spread": "simpath",
}
__all__ = sorted(_LAZY)

# ``imm`` and ``simpath`` name both a submodule and its function: bind the functions eagerly,
# after the submodules have loaded, so the package attribute is always the function.
from .imm import imm  # noqa: E402,F401
from .simpath import simpath  # noqa: E402,F401


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
