"""Temporal networks and BOPIM.

SI diffusion on snapshots, Bayesian optimisation of seed sets, uncertainty quantification,
temporal baselines.

Quick tour::

    import infmax as im
    TG = im.datasets.load("hospital", snapshots=10)            # TemporalGraph
    res = im.bopim(TG, 4, beta=0.01, kernel="hamming", rng=1)  # SeedResult (+ BO trace)
    im.temporal.si_spread(TG, res.seeds, beta=0.01, n_simulations=10_000, rng=2)

See ``docs/temporal.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..graph.temporal import TemporalGraph
from .baselines import celf, dynamic_degree, dynamic_degrees, random_degree, random_seeds
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

__all__ = ["TemporalGraph", "si_spread", "SIOracle", "bopim", "celf", "random_seeds",
           "random_degree", "dynamic_degree", "dynamic_degrees", "HammingKernel",
           "JaccardKernel", "posterior_predictive", "node_contributions", "NodeContributions",
           "inclusion_frequency", "surrogate_from_result", "ALGORITHMS", "select"]

from ..algorithms.registry import get as _get_selector
from ..algorithms.registry import names as _names
from ..algorithms.registry import register as _register
from ..random import as_generator

if TYPE_CHECKING:
    from ..random import RngLike
    from ..results import SeedResult

# the temporal selectors, in the one registry (input kind "temporal", SI model)
_fast = {"n_simulations": 20}
_register(bopim, name="bopim", input="temporal", models=("si",),
          test_kwargs={**_fast, "n_initial": 3, "n_iterations": 2, "mcmc_draws": 200,
                       "burn_in": 50, "beta": 0.2})
# CELF over the SI oracle; "greedy" is the BOPIM paper's name for it (the static "greedy" is
# plain greedy, a different algorithm)
_register(celf, name="celf", input="temporal", models=("si",), aliases=("greedy",),
          test_kwargs={**_fast, "beta": 0.2})
_register(dynamic_degree, name="dynamic-degree", input="temporal", models=("si",),
          aliases=("dynamic_degree",), test_kwargs={"beta": 0.2})
_register(random_seeds, name="random", input="temporal", models=("si",),
          aliases=("random_seeds",))
_register(random_degree, name="random-degree", input="temporal", models=("si",),
          aliases=("random_degree",))
del _fast

#: CLI names of the temporal seed selectors (read from the registry), plus "greedy": the BOPIM
#: paper's name of its CELF baseline, which the CLI and experiment files use
ALGORITHMS = (*_names("temporal"), "greedy")

# settings every temporal selector may use; each receives those its signature names
_COMMON = ("beta", "rng", "kernel", "n_simulations", "progress")


def select(TG: TemporalGraph, k: int, *, algorithm: str, beta: float, rng: RngLike = None,
           kernel: str = "hamming", n_simulations: int | None = None, progress: bool | None = None,
           **options: Any) -> SeedResult:
    """Run a registered temporal selector by name.

    The names are ``bopim``, ``celf`` (alias ``greedy``), ``dynamic-degree``, ``random`` and
    ``random-degree``.

    ``beta``, ``rng``, ``kernel``, ``n_simulations`` (per evaluation; BOPIM 1,000, CELF 100
    by default) and ``progress`` go to the selectors that take them; ``**options`` go to the
    selector, and one it does not take raises InvalidParameterError.
    """
    from .._validation import fail

    info = _get_selector(algorithm, input="temporal", func="select")
    rng = as_generator(rng, func="select")  # int n, SeedSequence(n), Generator: one meaning
    given = {"beta": beta, "rng": rng, "kernel": kernel, "n_simulations": n_simulations,
             "progress": progress}
    kw = {p: given[p] for p in _COMMON if given[p] is not None and info.accepts(p)}
    for p, v in options.items():
        if not info.accepts(p):
            fail("select", p, f"an option of the {info.name!r} selector "
                 f"({', '.join(info.parameters[2:])})", v)
        kw[p] = v
    return info.func(TG, k, **kw)
