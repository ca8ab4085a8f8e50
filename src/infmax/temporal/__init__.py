"""Temporal networks and BOPIM: SI diffusion on snapshots, Bayesian optimisation of seed sets,
uncertainty quantification, temporal baselines.

Quick tour::

    import infmax as im
    TG = im.datasets.load("hospital", snapshots=10)            # TemporalGraph
    res = im.bopim(TG, 4, beta=0.01, kernel="hamming", rng=1)  # SeedResult (+ BO trace)
    im.temporal.si_spread(TG, res.seeds, beta=0.01, n_simulations=10_000, rng=2)

See ``docs/temporal.md``.
"""

from ..graph.temporal import TemporalGraph
from .baselines import dynamic_degree, dynamic_degrees, greedy, random_degree, random_seeds
from .bopim import bopim
from .kernels import HammingKernel, JaccardKernel
from .si import SIOracle, si_spread
from .uq import (
    NodeContributions,
    inclusion_frequency,
    node_contributions,
    posterior_predictive,
    surrogate_from_result,
)

__all__ = ["TemporalGraph", "si_spread", "SIOracle", "bopim", "greedy", "random_seeds",
           "random_degree", "dynamic_degree", "dynamic_degrees", "HammingKernel",
           "JaccardKernel", "posterior_predictive", "node_contributions", "NodeContributions",
           "inclusion_frequency", "surrogate_from_result", "ALGORITHMS", "select"]

#: CLI names of the temporal seed selectors
ALGORITHMS = ("bopim", "greedy", "dynamic-degree", "random", "random-degree")


def select(TG, k, *, algorithm: str, beta: float, rng=None, kernel: str = "hamming",
           n_simulations: int | None = None, progress=None, **options):
    """Run a temporal selector by CLI name (``bopim``, ``greedy``, ``dynamic-degree``,
    ``random``, ``random-degree``); ``n_simulations`` is per evaluation (BOPIM 1,000, greedy
    100 by default)."""
    from .._validation import check_choice

    algorithm = check_choice("select", "algorithm", algorithm, ALGORITHMS)
    if algorithm == "bopim":
        kw = {} if n_simulations is None else {"n_simulations": n_simulations}
        return bopim(TG, k, beta=beta, kernel=kernel, rng=rng, progress=progress,
                     **kw, **options)
    if algorithm == "greedy":
        kw = {} if n_simulations is None else {"n_simulations": n_simulations}
        return greedy(TG, k, beta=beta, rng=rng, progress=progress, **kw)
    if algorithm == "dynamic-degree":
        return dynamic_degree(TG, k, beta=beta)
    if algorithm == "random":
        return random_seeds(TG, k, rng=rng)
    return random_degree(TG, k, rng=rng)
