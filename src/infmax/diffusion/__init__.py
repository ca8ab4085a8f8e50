"""Diffusion models and Monte Carlo spread: IC, LT and general triggering models.

Public API: :func:`spread`, :func:`spread_ids`, :func:`simulate`, :func:`exact_spread`,
:class:`MonteCarloOracle` (a :class:`SpreadOracle`), :func:`sample_world` / :class:`LiveEdgeWorld`,
:class:`TriggeringModel`, :func:`resolve_model`. See ``docs/diffusion.md``.
"""

from .cascade import Cascade, simulate
from .exact import MAX_WORLDS, exact_spread, n_worlds
from .models import MODELS, TriggeringModel, resolve_model
from .montecarlo import BLOCK_SIZE, MonteCarloOracle, spread, spread_ids
from .oracle import BatchSpreadOracle, SpreadOracle, evaluate_many
from .world import LiveEdgeWorld, sample_world

__all__ = ["spread", "spread_ids", "simulate", "Cascade", "exact_spread", "n_worlds",
           "MAX_WORLDS", "MonteCarloOracle", "SpreadOracle", "BatchSpreadOracle",
           "evaluate_many", "sample_world", "LiveEdgeWorld", "TriggeringModel", "resolve_model",
           "MODELS", "BLOCK_SIZE"]
