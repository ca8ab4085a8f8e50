"""Graphs: :class:`DiGraph` (frozen CSR + reverse CSR + labels), constructors, weight schemes.

Constructors: :func:`from_edges` (label arrays); file readers (:mod:`infmax.graph.readers`):
:func:`read_edgelist`, :func:`read_adjacency_list`, :func:`read_node_values`,
:func:`read_labels`; converters (:mod:`infmax.graph.convert`): :func:`from_networkx` /
:func:`to_networkx`, :func:`from_pandas`, :func:`from_scipy` / :func:`to_scipy`; the binary
format (:mod:`infmax.graph.binary`): :meth:`DiGraph.save` and :func:`load` (memory-mapped).
"""

from ._digraph import BuildSummary, DiGraph, from_edges, load
from .weights import apply_weights, check_lt_weights, normalize_lt, parse_weights

_READERS = ("read_edgelist", "read_adjacency_list", "read_node_values", "read_labels")
_CONVERTERS = ("from_networkx", "to_networkx", "from_pandas", "from_scipy", "to_scipy")

__all__ = ["DiGraph", "BuildSummary", "from_edges", "load", "apply_weights", "check_lt_weights",
           "normalize_lt", "parse_weights", *_READERS, *_CONVERTERS]


def __getattr__(name):
    # readers and converters are imported on first use (numba compiles the scanners then)
    if name in _READERS:
        from . import readers

        return getattr(readers, name)
    if name in _CONVERTERS:
        from . import convert

        return getattr(convert, name)
    raise AttributeError(f"module 'infmax.graph' has no attribute {name!r}")
