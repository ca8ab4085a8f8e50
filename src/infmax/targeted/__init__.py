"""Targeted, diversity-aware influence maximisation (ADITUM's building blocks).

- :class:`Targets` (:mod:`.targets`): the target set ``T = {v : l(v) >= tau}`` from node
  scores, ``tau`` given or as a top-q share of the scores;
- :func:`capital` (:mod:`.capital`): ``C(S) = sum_{v in T} l(v) P[v activated by S]`` by
  Monte Carlo or by RIS with roots drawn in ``T`` with probability ``l(v) / L``;
- :class:`Profiles` (:mod:`.profiles`): categorical node profiles (n x m codes) from a file,
  a DataFrame or a generator (:func:`synthetic_profiles`);
- the four diversity functions (:mod:`.diversity`): :class:`AttributeDiversity`,
  :class:`HammingDiversity`, :class:`EntropyDiversity`, :class:`ClassDiversity`;
- :func:`aditum` (:mod:`.aditum`): the selector, lazy greedy on capital and diversity over
  target-weighted RR sets, registered as the static-graph selector ``"aditum"``;
- :mod:`.experiment` (CLI ``infmax experiment aditum``): the paper's evaluation (Figs. 1, 2,
  4, 5 and the competitors), resumable, with its figures in :mod:`.plots`;
- :func:`lurkerrank` (:mod:`.lurkerrank`): lurking scores (targets of setting S3) and the LT
  weights derived from them;
- the competitors (:mod:`.competitors`): Deg-D (:func:`degd`, selectors ``"degd-u"`` and
  ``"degd-w"``) and its RIS-integrated forms (:func:`ris_coverage`, selectors ``"ris-u"`` and
  ``"ris-w"``) over :class:`CoverageDiversity`; DTIM is not implemented (its diversity could
  not be recovered, see ``docs/targeted.md``);
- :func:`genre_profiles`: MovieLens genre counts as categorical profiles (optionally binned).
"""

from __future__ import annotations

from ..algorithms.registry import register
from .aditum import aditum
from .capital import capital
from .competitors import coverage_diversity, degd, degd_u, degd_w, ris_coverage, ris_u, ris_w
from .diversity import (
    AttributeDiversity,
    ClassDiversity,
    CoverageDiversity,
    DiversityState,
    EntropyDiversity,
    HammingDiversity,
)
from .lurkerrank import LurkerRank, lurkerrank
from .profiles import Profiles, genre_profiles, read_profiles, synthetic_profiles
from .targets import Targets

__all__ = ["Targets", "capital", "Profiles", "read_profiles", "synthetic_profiles",
           "AttributeDiversity", "HammingDiversity", "EntropyDiversity", "ClassDiversity",
           "DiversityState", "aditum", "lurkerrank", "LurkerRank", "CoverageDiversity",
           "coverage_diversity", "degd", "ris_coverage", "degd_u", "degd_w", "ris_u", "ris_w",
           "genre_profiles"]

register(aditum, name="aditum", input="graph", models=("ic", "lt", "triggering"),
         test_kwargs={"epsilon": 0.5, "profiles": "synthetic:m=3,v=3,seed=1"})
_SYNTH = "synthetic:m=3,v=3,seed=1"
register(degd_u, name="degd-u", input="graph", aliases=("deg-du", "degdu"),
         test_kwargs={"profiles": _SYNTH})
register(degd_w, name="degd-w", input="graph", aliases=("deg-dw", "degdw"),
         test_kwargs={"profiles": _SYNTH})
register(ris_u, name="ris-u", input="graph", models=("ic", "lt", "triggering"),
         test_kwargs={"epsilon": 0.5, "profiles": _SYNTH})
register(ris_w, name="ris-w", input="graph", models=("ic", "lt", "triggering"),
         test_kwargs={"epsilon": 0.5, "profiles": _SYNTH})
