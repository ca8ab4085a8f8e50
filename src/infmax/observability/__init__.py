"""Influence maximisation beyond organisational boundaries (Stein et al.).

An organisation sees only its members O, their direct contacts (the *boundary*) and the arcs
touching O; only members may be seeds; the message should still travel far beyond O.

- :func:`observe` -> :class:`Observation`: grow (or take) O; boundary; the observable graph G'.
- Boundary bias (weight w): :class:`DegreeSelector` (a boundary neighbour counts w) and IMM with
  root weights w on boundary nodes (:func:`make_selector`, ``"imm"`` with ``bias=w``).
- Selectors by name: any static-graph selector of :mod:`infmax.algorithms.registry` that takes
  ``candidates`` (:data:`SELECTORS`); it follows the hidden world's diffusion ``model``.
- :class:`AdaptiveSeeder` (``propose()`` / ``observe(activated)``), :func:`adaptive_trial`,
  :func:`oneshot_trial`: seeds chosen one at a time in a hidden live-edge world.
- :func:`benchmark`: the paper's visibility sweep over {random, degree, IMM} x {plain, bias} x
  {one-shot, adaptive}, in parallel through :mod:`infmax.distributed`, resumable, with a CSV,
  a JSON summary and PNG figures (:mod:`infmax.observability.plots`).

See ``docs/observability.md``.
"""

from __future__ import annotations

from ._adaptive import AdaptiveSeeder, TrialResult, adaptive_trial, oneshot_trial, run_trial
from ._benchmark import CSV_COLUMNS, DEFAULT_VISIBILITY, BenchmarkResult, benchmark, cell_names
from ._observe import Observation, neighbor_csr, observe
from ._selectors import (
    SELECTORS,
    DegreeSelector,
    EngineSelector,
    ObservableState,
    RandomSelector,
    Selector,
    make_selector,
)

__all__ = ["observe", "Observation", "neighbor_csr", "AdaptiveSeeder", "TrialResult",
           "adaptive_trial", "oneshot_trial", "run_trial", "benchmark", "BenchmarkResult",
           "cell_names", "CSV_COLUMNS", "DEFAULT_VISIBILITY", "SELECTORS", "Selector",
           "ObservableState", "RandomSelector", "DegreeSelector", "EngineSelector",
           "make_selector"]
