"""Learning influence from cascades: INFECTOR embeddings and IMINFECTOR seed selection.

The only package that imports torch (lazily: ``import infmax.learned`` does not load it; the
first ``fit`` does). See ``docs/learned.md``.

Quick tour::

    import infmax as im
    train, test = im.split_by_time(im.datasets.load("android"))
    res = im.iminfector(train, 50, rng=1)          # trains INFECTOR (5 epochs), then CELF
    im.dni(res.seeds, test)

Baselines of the paper's experiment (:mod:`infmax.learned.baselines`, Credit Distribution in
:mod:`infmax.learned.credit`), the DATA-BASED weights
(:func:`databased_weights`) and cascades with a known IC ground truth
(:func:`synthetic_cascades`) live here too; every selector is registered with input kind
``"cascades"``.
"""

from __future__ import annotations

from ..algorithms.registry import register as _register
from .baselines import avg_cascade_size, imm_db, imm_wc, kcores, most_cascades, random_initiators
from .credit import CreditTable, credit_distribution, credit_table
from .iminfector import iminfector
from .infector import InfectorModel
from .synthetic import synthetic_cascades
from .weights import databased_weights, derived_graph

__all__ = ["InfectorModel", "iminfector", "kcores", "avg_cascade_size", "most_cascades",
           "random_initiators", "imm_wc", "imm_db", "databased_weights", "derived_graph",
           "synthetic_cascades", "credit_distribution", "credit_table", "CreditTable"]

_register(iminfector, name="iminfector", input="cascades",
          test_kwargs={"epochs": 1, "embedding_dim": 8})
for _fn, _name, _aliases, _fast in (
    (kcores, "kcores", ("k-cores", "kcore"), {}),
    (avg_cascade_size, "avg-cascade-size", ("avg_cascade_size",), {}),
    (most_cascades, "most-cascades", ("most_cascades",), {}),
    (random_initiators, "random-initiators", ("random_initiators",), {}),
    (imm_wc, "imm-wc", ("imm_wc",), {"epsilon": 0.5}),
    (imm_db, "imm-db", ("imm_db",), {"epsilon": 0.5}),
    (credit_distribution, "credit-distribution", ("cd", "credit_distribution"), {}),
):
    _register(_fn, name=_name, input="cascades", aliases=_aliases, test_kwargs=_fast)

from .inf2vec import Inf2vecModel, sample_influence_contexts  # noqa: E402
from .network_baselines import imm_inf2vec, simpath_db, simpath_inf2vec  # noqa: E402

__all__ += ["Inf2vecModel", "sample_influence_contexts", "imm_inf2vec", "simpath_db",
            "simpath_inf2vec"]
_I2V_FAST = {"epochs": 1, "embedding_dim": 8}
for _fn, _name, _aliases, _fast in (
    (imm_inf2vec, "imm-inf2vec", ("imm_inf2vec",), {"epsilon": 0.5, **_I2V_FAST}),
    (simpath_db, "simpath-db", ("simpath_db",), {}),
    (simpath_inf2vec, "simpath-inf2vec", ("simpath_inf2vec",), _I2V_FAST),
):
    _register(_fn, name=_name, input="cascades", aliases=_aliases, test_kwargs=_fast)
from .celfie import CelfieModel, celfie  # noqa: E402

__all__ += ["CelfieModel", "celfie"]
_register(celfie, name="celfie", input="cascades",
          test_kwargs={"epochs": 1, "embedding_dim": 8, "simulations": 5, "samples": 3,
                       "on_saturation": "fill"})
