r"""Graph constructors from files and other libraries (the stable import path).

This module gathers the public functions of :mod:`infmax.graph.readers` (text files) and
:mod:`infmax.graph.convert` (networkx, pandas, scipy); the byte scanners behind the readers live
in :mod:`infmax.graph._scan`. ``infmax.graph.io.read_edgelist`` and friends keep working.

Examples
--------
>>> import infmax as im, tempfile, os
>>> d = tempfile.mkdtemp(); path = os.path.join(d, "toy.txt")
>>> _ = open(path, "w").write("1 2 0.5\n2 3 0.25\n")
>>> im.graph.io.read_edgelist(path)
DiGraph(n=3, m=2, weights='file', directed=True)
"""

from __future__ import annotations

from .convert import from_networkx, from_pandas, from_scipy, to_networkx, to_scipy
from .readers import (
    read_adjacency_list,
    read_bytes,
    read_edgelist,
    read_labels,
    read_node_values,
    require_nodes,
)

__all__ = ["read_edgelist", "read_adjacency_list", "read_node_values", "read_labels",
           "from_networkx", "to_networkx", "from_pandas", "from_scipy", "to_scipy", "read_bytes",
           "require_nodes"]
