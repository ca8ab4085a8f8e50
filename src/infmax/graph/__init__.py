"""Graphs: :class:`DiGraph` (frozen CSR + reverse CSR + labels), constructors, weight schemes.

Constructors: :func:`from_edges` (label arrays), :func:`read_edgelist` (files),
:func:`from_networkx` / :func:`to_networkx`, :func:`from_pandas`, :func:`from_scipy` /
:func:`to_scipy`.
"""

from ._digraph import BuildSummary, DiGraph, from_edges
from .weights import apply_weights, check_lt_weights, normalize_lt, parse_weights

__all__ = ["DiGraph", "BuildSummary", "from_edges", "apply_weights", "check_lt_weights",
           "normalize_lt", "parse_weights", "read_edgelist", "from_networkx", "to_networkx",
           "from_pandas", "from_scipy", "to_scipy", "read_node_values", "read_labels"]


def __getattr__(name):
    # the I/O constructors live in graph/io.py
    if name in ("read_edgelist", "from_networkx", "to_networkx", "from_pandas", "from_scipy",
                "to_scipy", "read_node_values", "read_labels"):
        from . import io

        return getattr(io, name)
    raise AttributeError(f"module 'infmax.graph' has no attribute {name!r}")
