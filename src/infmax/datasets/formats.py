r"""Published graph file formats and which reader reads each.

- The vertex (adjacency) list ``node:nbr1,nbr2,...`` of the InfluenceMaximizationBenchmarker
  (Epinions ``epinions.txt``), one line per node, arcs ``node -> nbr``; a line ``node:`` lists a
  node without out-neighbours: :func:`infmax.graph.read_adjacency_list` (re-exported here).
- Edge-list formats (SNAP, KONECT ``%`` headers, the ``n m`` header of NetHEPT/NetPHY, the
  ``u v p_uv p_vu`` rows of Chen et al.'s ``hep.txt``): :func:`infmax.graph.read_edgelist`.
- Temporal contact formats (SocioPatterns ``t i j``, KONECT, Haggle, ONE):
  :func:`infmax.datasets.temporal.read_contacts`.

Examples
--------
>>> import os, tempfile
>>> from infmax.datasets.formats import read_adjacency_list
>>> f = os.path.join(tempfile.mkdtemp(), "adj.txt")
>>> _ = open(f, "w").write("0:1,2\n1:2\n2:\n3:\n")
>>> G = read_adjacency_list(f)
>>> G, G.labels.tolist()
(DiGraph(n=4, m=3, weights='wc', directed=True), [0, 1, 2, 3])
"""

from __future__ import annotations

from ..graph.readers import read_adjacency_list

__all__ = ["read_adjacency_list"]
