"""Registry entries of the static graph datasets, and their loaders.

Each dataset is one :class:`DatasetSpec` whose file has a canonical public address: the raw
GitHub URL at the exact commit the project's copy was taken from (bytes identical, so the
sha256 and size below are those of the file itself). ``stats`` hold the numbers the default
load must reproduce (``n`` nodes, ``m`` arcs; an undirected edge is two arcs), checked by
``tests/datasets/test_datasets.py`` against the real files.

Loader keywords (all datasets): ``weights`` (default ``"wc"``), ``directed`` (override the
dataset's orientation), ``rng``, ``p``, ``dtype``, ``merge``; edge-list datasets also take
the parsing keywords of :func:`infmax.read_edgelist` (``header``, ``delimiter``, ``comments``,
``weight_column``, ``nodes``), ``epinions-imb`` takes ``keep_isolated`` and ``nethept``
takes ``variant``. Any other keyword is rejected by :func:`infmax.datasets.load`.

Examples
--------
>>> import infmax as im
>>> sorted(n for n in im.datasets.list("graph"))[:3]
['ca-grqc', 'ca-hepth', 'email-enron']
>>> im.datasets.info("nethept")["stats"]["n"]
15229
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._registry import DataFile, DatasetSpec, register

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from ..graph import DiGraph
    from ..random import RngLike

__all__ = ["load_edgelist_dataset", "load_adjacency_dataset", "load_nethept",
           "producer_consumer", "load_epinions_lurker", "SPECS",
           "DERIVED_SPECS"]

_GH = "https://raw.githubusercontent.com"
_TOPK = f"{_GH}/mfm92/Reproducibility_TopK/124f15a23c05ff2b3bd54954ec6477792474b053/Data"
_MLIM = (f"{_GH}/Firingman/Maximum-Likelihood-based-Influence-Maximization-in-Social-Networks/"
         "cad73a16c7eab12fed1763abd01805aa7a656b6a")
_LK50 = f"{_GH}/lk50/social-network/cc8e218b01c115d20c438795d241c87548f36775"
_ML100K = f"{_GH}/d4md1n/RecomenderComparison/747e7823a8ecb8819e4ea73851b11f75ad358e16/ml-100k"

_CHEN09 = ("W. Chen, Y. Wang, S. Yang. Efficient influence maximization in social networks. "
           "KDD 2009.")
_TKDD07 = ("J. Leskovec, J. Kleinberg, C. Faloutsos. Graph evolution: densification and "
           "shrinking diameters. ACM TKDD 1(1), 2007.")
_SNAP = "SNAP (snap.stanford.edu/data): cite the paper; no explicit licence."


# ---------------------------------------------------------------------------------------------
# loaders: called as loader(paths, **kwargs) by infmax.datasets.load
# ---------------------------------------------------------------------------------------------
def load_edgelist_dataset(paths: Sequence[Path], *, directed: bool = True,
                          weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                          p: float | None = None, dtype: DTypeLike = np.float64,
                          merge: str = "ic", header: bool | str = "auto",
                          delimiter: str | None = None, comments: str = "#%",
                          weight_column: int | None = None,
                          nodes: ArrayLike | None = None) -> DiGraph:
    """Read the dataset's (first) file with :func:`infmax.graph.read_edgelist`.

    The keywords are those of ``read_edgelist``.
    """
    from ..graph.readers import read_edgelist

    return read_edgelist(paths[0], directed=directed, weights=weights, rng=rng, p=p,
                         dtype=dtype, merge=merge, header=header, delimiter=delimiter,
                         comments=comments, weight_column=weight_column, nodes=nodes)


def load_adjacency_dataset(paths: Sequence[Path], *, directed: bool = True,
                           weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                           p: float | None = None, dtype: DTypeLike = np.float64,
                           merge: str = "ic", keep_isolated: bool = True) -> DiGraph:
    """Read a ``node:nbr,nbr`` vertex list with :func:`infmax.graph.read_adjacency_list`."""
    from ..graph.readers import read_adjacency_list

    return read_adjacency_list(paths[0], directed=directed, weights=weights, rng=rng, p=p,
                               dtype=dtype, merge=merge, keep_isolated=keep_isolated)


def load_nethept(paths: Sequence[Path], *, variant: str = "wc", **kwargs: Any) -> DiGraph:
    """Load NetHEPT, in one of two variants.

    ``variant="wc"`` (default) reads ``NetHept.txt`` undirected; ``variant="hep"`` loads the
    ``nethept-hep`` dataset (``hep.txt`` with its probabilities).

    The other keywords are those of :func:`load_edgelist_dataset` (the declared signature,
    which :func:`infmax.datasets.load` checks them against).
    """
    if variant == "hep":
        from ._registry import load

        return load("nethept-hep", **kwargs)
    if variant != "wc":
        from .._validation import fail

        fail("datasets.load('nethept')", "variant", "one of 'wc', 'hep'", variant)
    kwargs.setdefault("directed", False)
    kwargs.setdefault("weights", "wc")
    return load_edgelist_dataset(paths, **kwargs)


def producer_consumer(G: DiGraph, *, reverse: bool = True, largest_scc: bool = True,
                      weights: str | float | ArrayLike = "wc", rng: RngLike = None,
                      p: float | None = None, dtype: DTypeLike = np.float64) -> DiGraph:
    """Return a lurker-network stand-in: the largest strongly connected component, reversed.

    ADITUM's lurker networks have an arc ``u -> v`` when v consumes what u produces; a
    who-trusts-whom graph (Epinions: ``u -> v`` = u trusts v's reviews) runs the other way,
    so its arcs are reversed. Reversal does not change the components.

    Parameters
    ----------
    G : DiGraph
    reverse : bool
        Reverse every arc.
    largest_scc : bool
        Keep only the largest strongly connected component (ties: the one holding the
        smallest internal id).
    weights, rng, p, dtype
        Edge weights of the result, recomputed on it, as in :func:`infmax.from_edges`.

    Returns
    -------
    DiGraph
        Labels are those of ``G``.

    Examples
    --------
    >>> import infmax as im
    >>> from infmax.datasets.catalog import producer_consumer
    >>> G = im.from_edges([0, 1, 2, 2], [1, 2, 0, 3])
    >>> H = producer_consumer(G)
    >>> sorted(zip(*[H.node_labels(H.sources), H.node_labels(H.indices)]))
    [(0, 2), (1, 0), (2, 1)]
    """
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    from .._validation import check_graph
    from ..graph import from_edges

    check_graph("producer_consumer", G)
    keep = np.ones(G.n, dtype=bool)
    if largest_scc and G.n:
        A = csr_array((np.ones(G.m, dtype=np.int8), G.indices, G.indptr), shape=(G.n, G.n))
        _, comp = connected_components(A, directed=True, connection="strong")
        keep = comp == np.argmax(np.bincount(comp))
    arc = keep[G.sources] & keep[G.indices]
    src, dst = G.labels[G.sources[arc]], G.labels[G.indices[arc]]
    if reverse:
        src, dst = dst, src
    return from_edges(src, dst, directed=True, weights=weights, rng=rng, p=p, dtype=dtype,
                      nodes=G.labels[keep],
                      source=(G.summary.source + " (largest SCC, reversed)").strip())


def load_epinions_lurker(paths: Sequence[Path], *, weights: str | float | ArrayLike = "wc",
                         rng: RngLike = None, p: float | None = None,
                         dtype: DTypeLike = np.float64) -> DiGraph:
    """soc-Epinions1 as a lurker-network stand-in: :func:`producer_consumer` of the SNAP file."""
    G = load_edgelist_dataset(paths, directed=True, weights="uniform:1")
    return producer_consumer(G, weights=weights, rng=rng, p=p, dtype=dtype)


# load_nethept forwards its **kwargs (only the caller's, so that variant="hep" gets the
# nethept-hep defaults); its declared signature is variant + the edge-list keywords
_EDGE_SIG = inspect.signature(load_edgelist_dataset)
load_nethept.__signature__ = _EDGE_SIG.replace(parameters=[
    *_EDGE_SIG.parameters.values(),
    inspect.Parameter("variant", inspect.Parameter.KEYWORD_ONLY, default="wc",
                      annotation="str")])


# ---------------------------------------------------------------------------------------------
# the catalog
# ---------------------------------------------------------------------------------------------
_EDGE = "infmax.datasets.catalog:load_edgelist_dataset"

SPECS = (
    DatasetSpec(
        name="nethept", kind="graph",
        files=(DataFile("nethept/NetHept.txt", f"{_TOPK}/NetHept.txt",
                        "bb4d9d64b49ea71d168ccb8c6e758db1a80c44ccc6dfaf15c83cd81d9a93a284",
                        573_700),),
        loader="infmax.datasets.catalog:load_nethept",
        description=("NetHEPT collaboration network (arXiv hep-th), the standard IM benchmark. "
                     "File: header '15233 58891' then one 0-based 'u v' row per undirected "
                     "edge occurrence (multi-edges); read undirected, deduplicated, self-loops "
                     "dropped. variant='hep' loads nethept-hep."),
        citation=_CHEN09,
        license="None stated (github.com/mfm92/Reproducibility_TopK, Data/NetHept.txt, commit "
                "124f15a2). Original data: arXiv hep-th collaborations.",
        stats={"n": 15_229, "m": 62_752, "edges": 31_376, "rows": 58_891,
               "header": (15_233, 58_891), "self_loop_rows": 39, "directed": False},
        # defaults live in load_nethept so that variant="hep" sees only the caller's keywords
        defaults={},
    ),
    DatasetSpec(
        name="nethept-hep", kind="graph",
        files=(DataFile("nethept/hep.txt",
                        f"{_GH}/Henry-Hao/LPIM_Evaluation/"
                        "be841c318f50a08c4959ed364e7e18739a9e9e57/hep.txt",
                        "eccb5d5929040f50207d22ed2461d4df521977c8fe2c189a2f3ef3ea67333f6e",
                        2_325_666),),
        loader=_EDGE,
        description=("NetHEPT as shipped with Wei Chen's MIA/PMIA code: header '15233 58891', "
                     "then each undirected edge twice as directed rows 'u v p_uv p_vu' "
                     "(1-based ids; column 3 = p(u->v), WC-style, 2 decimals). Parallel rows "
                     "carry equal probabilities, so they merge with merge='first'. Default "
                     "weights='file' (the file's probabilities)."),
        citation=_CHEN09,
        license="None stated (github.com/Henry-Hao/LPIM_Evaluation, hep.txt, commit "
                "be841c31). Original data: arXiv hep-th collaborations.",
        stats={"n": 15_229, "m": 62_752, "rows": 117_782, "header": (15_233, 58_891),
               "self_loop_rows": 78, "directed": True},
        defaults={"directed": True, "weights": "file", "merge": "first"},
        aliases=("nethept_hep", "hep"),
    ),
    DatasetSpec(
        name="netphy", kind="graph",
        files=(DataFile("netphy/NetPhy.txt", f"{_TOPK}/NetPhy.txt",
                        "e88ce9577f22693c5f3a4030c1041a61b331a92b1dbd8249624105445f1f3ce8",
                        2_632_209),),
        loader=_EDGE,
        description=("NetPHY collaboration network (arXiv physics). Header '37154 231584' "
                     "(upstream file is 77 rows short of it), 0-based 'u v' rows with "
                     "multi-edges; read undirected."),
        citation=_CHEN09,
        license="None stated (github.com/mfm92/Reproducibility_TopK, Data/NetPhy.txt, commit "
                "124f15a2).",
        stats={"n": 37_149, "m": 348_322, "edges": 174_161, "rows": 231_507,
               "header": (37_154, 231_584), "directed": False},
        defaults={"directed": False, "weights": "wc"},
    ),
    DatasetSpec(
        name="ca-grqc", kind="graph",
        files=(DataFile("ca-grqc/GrQc.txt", f"{_TOPK}/GrQc.txt",
                        "5bb877dce0399a46a6c0cd76173c59352dc90c23358b129806372dbb07519d3c",
                        133_551),),
        loader=_EDGE,
        description=("SNAP ca-GrQc co-authorship (General Relativity), header '5242 14496', "
                     "each undirected edge once; 12 self-loops dropped."),
        citation=_TKDD07,
        license=_SNAP + " Copy: github.com/mfm92/Reproducibility_TopK, Data/GrQc.txt.",
        # header says 5,242 nodes; one appears only in a self-loop, which is dropped
        stats={"n": 5_241, "m": 28_968, "edges": 14_484, "rows": 14_496,
               "header": (5_242, 14_496), "directed": False},
        defaults={"directed": False, "weights": "wc"},
        aliases=("grqc", "ca-GrQc"),
    ),
    DatasetSpec(
        name="ca-hepth", kind="graph",
        files=(DataFile("ca-hepth/CA-HepTh.txt", f"{_MLIM}/CA-HepTh.txt",
                        "f8f90269a60005f88373f48d8109d550030f61d14734e4cbcd57de5854765fec",
                        658_565),),
        loader=_EDGE,
        description=("SNAP ca-HepTh co-authorship (High Energy Physics Theory), tab-separated, "
                     "both directions stored; read undirected (25,998 edges, 25 self-loops)."),
        citation=_TKDD07,
        license=_SNAP + " Copy: github.com/Firingman/Maximum-Likelihood-based-Influence-"
                "Maximization-in-Social-Networks.",
        # SNAP reports 9,877 nodes; 2 of them appear only in self-loops, which are dropped
        stats={"n": 9_875, "m": 51_946, "edges": 25_973, "rows": 51_971, "directed": False},
        defaults={"directed": False, "weights": "wc"},
        aliases=("hepth", "ca-HepTh"),
    ),
    DatasetSpec(
        name="wiki-vote", kind="graph",
        files=(DataFile("wiki-vote/Wiki-Vote.txt", f"{_LK50}/Wiki-Vote.txt",
                        "d2afbedf262126f820c6b3dd9f39a6d68e6f5ea839c0508297032ca77578b28a",
                        1_095_061),),
        loader=_EDGE,
        description="SNAP Wiki-Vote: who votes on whom in Wikipedia admin elections (directed).",
        citation=("J. Leskovec, D. Huttenlocher, J. Kleinberg. Signed networks in social media. "
                  "CHI 2010."),
        license=_SNAP + " Copy: github.com/lk50/social-network.",
        stats={"n": 7_115, "m": 103_689, "rows": 103_689, "directed": True},
        defaults={"directed": True, "weights": "wc"},
        aliases=("wikivote", "wiki_vote"),
    ),
    DatasetSpec(
        name="email-enron", kind="graph",
        files=(DataFile("email-enron/Email.txt", f"{_LK50}/Email.txt",
                        "d3f747d78cc51a910f6b9b2a04acee667577ae8dab4ba42eb6082612ce22bfd5",
                        4_049_116),),
        loader=_EDGE,
        description="SNAP Email-Enron communication network (undirected, both directions stored).",
        citation=("J. Leskovec, K. Lang, A. Dasgupta, M. Mahoney. Community structure in large "
                  "networks. Internet Mathematics 6(1), 2009; B. Klimt, Y. Yang. Introducing "
                  "the Enron corpus. CEAS 2004."),
        license=_SNAP + " Copy: github.com/lk50/social-network.",
        stats={"n": 36_692, "m": 367_662, "edges": 183_831, "rows": 367_662,
               "directed": False},
        defaults={"directed": False, "weights": "wc"},
        aliases=("enron", "email"),
    ),
    DatasetSpec(
        name="epinions", kind="graph",
        files=(DataFile("epinions/soc-Epinions1.txt",
                        f"{_GH}/sgmq0/CIS-2450-Final-Project/"
                        "0fc276fc7d2e7be3f6fe421fff315ebbe88a6a5b/data/soc-Epinions1.txt",
                        "3e42b000e66cada74053ac7f8b24de291f9837264421dc2f3730b45cc58d17b1",
                        5_663_083),),
        loader=_EDGE,
        description=("SNAP soc-Epinions1 who-trusts-whom network (directed), the original SNAP "
                     "edge list (4 '#' lines, tab-separated). Also published as "
                     "https://snap.stanford.edu/data/soc-Epinions1.txt.gz."),
        citation=("M. Richardson, R. Agrawal, P. Domingos. Trust management for the semantic "
                  "web. ISWC 2003."),
        license=_SNAP,
        stats={"n": 75_879, "m": 508_837, "rows": 508_837, "directed": True},
        defaults={"directed": True, "weights": "wc"},
        aliases=("soc-epinions1", "epinions-snap"),
    ),
    DatasetSpec(
        name="epinions-imb", kind="graph",
        files=(DataFile("epinions/epinions.txt",
                        f"{_GH}/gepperho/InfluenceMaximizationBenchmarker/"
                        "d90db8d591b6507be4bdcf7ae119e23c71c89318/data/epinions.txt",
                        "f12fbcb62e6c5d7dace0fce536c6247ed92c207aefd3711e731d8790b578df6f",
                        3_000_723),),
        loader="infmax.datasets.catalog:load_adjacency_dataset",
        description=("soc-Epinions1 as shipped by the InfluenceMaximizationBenchmarker: vertex "
                     "list 'node:nbr1,nbr2,...' for ids 0..75,887 (renumbered; 9 ids without "
                     "edges are kept as isolated nodes, keep_isolated=False drops them)."),
        citation=("M. Richardson, R. Agrawal, P. Domingos. Trust management for the semantic "
                  "web. ISWC 2003."),
        license="Repository Apache-2.0 (github.com/gepperho/InfluenceMaximizationBenchmarker); "
                "data: SNAP.",
        stats={"n": 75_888, "m": 508_837, "rows": 75_888, "directed": True},
        defaults={"directed": True, "weights": "wc"},
        aliases=("epinions_imb",),
    ),
    DatasetSpec(
        name="facebook-snap", kind="graph",
        files=(DataFile("facebook-snap/Facebook.txt", f"{_MLIM}/Facebook.txt",
                        "f41c026ed8af3cc3359f1ca5573d0605fb09ae0eefa34544b820fd8c6e2ef296",
                        854_362),),
        loader=_EDGE,
        description="SNAP ego-Facebook (facebook_combined): undirected friendships, each once.",
        citation=("J. McAuley, J. Leskovec. Learning to discover social circles in ego "
                  "networks. NIPS 2012."),
        license=_SNAP + " Copy: github.com/Firingman/Maximum-Likelihood-based-Influence-"
                "Maximization-in-Social-Networks.",
        stats={"n": 4_039, "m": 176_468, "edges": 88_234, "rows": 88_234, "directed": False},
        defaults={"directed": False, "weights": "wc"},
        aliases=("facebook", "ego-facebook"),
    ),
)

#: datasets derived from published files (several files per dataset, or a graph computed from
#: one): MovieLens' co-rating network and the Epinions lurker-network stand-in of ADITUM
DERIVED_SPECS = (
    DatasetSpec(
        name="movielens", kind="graph",
        files=(DataFile("movielens-100k/u.data", f"{_ML100K}/u.data",
                        "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
                        1_979_173),
               DataFile("movielens-100k/u.item", f"{_ML100K}/u.item",
                        "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701",
                        236_344),
               DataFile("movielens-100k/u.genre", f"{_ML100K}/u.genre",
                        "9757e0d3e6b298159a80dd48eaf938114690e911e39af97a76949ef1663610bb",
                        202)),
        loader="infmax.datasets.movielens:load_movielens",
        description=("MovieLens 100K co-rating network (ADITUM setting S1): the 943 users, an "
                     "arc u -> v when u rated at least min_common=10 of the movies both rated "
                     "strictly earlier than v. Genre counts (node attributes): "
                     "infmax.datasets.movielens.genre_counts, infmax.targeted.genre_profiles."),
        citation=("F. M. Harper, J. A. Konstan. The MovieLens datasets: history and context. "
                  "ACM TiiS 5(4), 2015; network: A. Caliò, A. Tagarelli (ADITUM), Table 1."),
        license="GroupLens research-use terms (README of ml-100k; no redistribution for "
                "commercial use, cite Harper & Konstan 2015).",
        stats={"n": 943, "m": 229_677, "rows": 100_000, "directed": True},
        defaults={"weights": "wc"},
        aliases=("movielens-100k", "ml-100k"),
    ),
    DatasetSpec(
        name="epinions-lurker", kind="graph",
        files=(DataFile("epinions/soc-Epinions1.txt",
                        f"{_GH}/sgmq0/CIS-2450-Final-Project/"
                        "0fc276fc7d2e7be3f6fe421fff315ebbe88a6a5b/data/soc-Epinions1.txt",
                        "3e42b000e66cada74053ac7f8b24de291f9837264421dc2f3730b45cc58d17b1",
                        5_663_083),),
        loader="infmax.datasets.catalog:load_epinions_lurker",
        description=("Lurker-network stand-in for ADITUM's setting S3: the largest strongly "
                     "connected component of soc-Epinions1 with every arc reversed, so arcs run "
                     "producer -> consumer (reviewed -> truster)."),
        citation=("M. Richardson, R. Agrawal, P. Domingos. Trust management for the semantic "
                  "web. ISWC 2003."),
        license=_SNAP,
        stats={"n": 32_223, "m": 443_506, "directed": True},   # = SNAP largest SCC
        defaults={"weights": "wc"},
        aliases=("epinions_lurker",),
    ),
)

for _spec in (*SPECS, *DERIVED_SPECS):
    register(_spec, replace=True)
