"""infmax: influence maximization, from the engine to published methods.

Quick tour::

    import infmax as im
    G = im.datasets.load("nethept", weights="wc")            # DiGraph
    res = im.imm(G, 50, model="ic", epsilon=0.1, rng=42)    # SeedResult
    im.spread(G, res.seeds, model="ic", n_simulations=10_000, rng=7)   # SpreadEstimate

Everything below is importable from the top level; submodules load lazily so ``import
infmax`` stays fast and optional extras (torch, dask, matplotlib) load only when used.
"""

from __future__ import annotations

import importlib

from .exceptions import (  # noqa: F401  (public names, listed in __all__)
    DatasetError,
    DatasetNotFoundError,
    DownloadError,
    GraphFormatError,
    InfmaxError,
    InvalidParameterError,
    MemoryLimitError,
    MissingDependencyError,
    UnknownNodeError,
)
from .results import SeedResult, SpreadEstimate  # noqa: F401

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    # graphs
    "DiGraph": "infmax.graph", "from_edges": "infmax.graph", "read_edgelist": "infmax.graph.io",
    "from_networkx": "infmax.graph.io", "to_networkx": "infmax.graph.io",
    "from_pandas": "infmax.graph.io", "from_scipy": "infmax.graph.io",
    "apply_weights": "infmax.graph", "normalize_lt": "infmax.graph",
    # diffusion
    "spread": "infmax.diffusion", "simulate": "infmax.diffusion",
    "exact_spread": "infmax.diffusion", "MonteCarloOracle": "infmax.diffusion",
    "sample_world": "infmax.diffusion", "TriggeringModel": "infmax.diffusion",
    # seeding: heuristics and greedy
    "degree": "infmax.algorithms", "single_discount": "infmax.algorithms",
    "degree_discount": "infmax.algorithms", "kcore": "infmax.algorithms",
    "pagerank": "infmax.algorithms", "random_seeds": "infmax.algorithms",
    "celf": "infmax.algorithms", "celfpp": "infmax.algorithms", "greedy": "infmax.algorithms",
    # reverse influence sampling
    "imm": "infmax.algorithms", "tim_plus": "infmax.algorithms", "opim_c": "infmax.algorithms",
    # LT by simple paths
    "simpath": "infmax.algorithms", "simpath_spread": "infmax.algorithms",
    "RRSets": "infmax.sampling", "sample_rr_sets": "infmax.sampling",
    # methods
    "observe": "infmax.observability", "TemporalGraph": "infmax.temporal",
    "bopim": "infmax.temporal",
    # cascades and their metric
    "Cascades": "infmax.graph.cascades", "split_by_time": "infmax.graph.cascades",
    "dni": "infmax.evaluation", "dni_curve": "infmax.evaluation",
    # learned from cascades (torch loads on first fit)
    "iminfector": "infmax.learned", "credit_distribution": "infmax.learned",
    "credit_table": "infmax.learned", "celfie": "infmax.learned", "CelfieModel": "infmax.learned",
    "Inf2vecModel": "infmax.learned", "imm_inf2vec": "infmax.learned",
    "simpath_db": "infmax.learned", "simpath_inf2vec": "infmax.learned",
    # targeted IM
    "capital": "infmax.targeted", "aditum": "infmax.targeted",
    "lurkerrank": "infmax.targeted",
}
# public subpackages (each must exist: tests/test_api.py imports every name of __all__)
_SUBMODULES = {"graph", "datasets", "diffusion", "sampling", "algorithms", "observability",
               "temporal", "distributed", "evaluation", "targeted", "learned", "random",
               "exceptions", "results"}

__all__ = sorted(set(_LAZY) | _SUBMODULES | {
    "InfmaxError", "InvalidParameterError", "GraphFormatError", "UnknownNodeError",
    "DatasetError", "DatasetNotFoundError", "DownloadError", "MemoryLimitError",
    "MissingDependencyError", "SeedResult", "SpreadEstimate", "__version__"})


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"infmax.{name}")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'infmax' has no attribute {name!r}")


def __dir__():
    return __all__
