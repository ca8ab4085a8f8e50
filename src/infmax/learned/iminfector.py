"""``iminfector(cascades, k)``: train INFECTOR, then pick seeds from its embeddings."""

from __future__ import annotations

import time

import numpy as np

from .._memory import resolve_limit
from .._validation import Interval, check, check_k, fail
from ..graph.cascades import Cascades
from ..random import RngLike
from ..results import SeedResult, Stopwatch, make_result
from ._select import celf_select, diffusion_matrix, keep_top, lambdas
from .infector import InfectorModel

__all__ = ["iminfector"]


def iminfector(cascades: Cascades, k: int, *, percent: float = 10.0, epochs: int = 5,
               embedding_dim: int = 50, learning_rate: float = 0.1,
               model: InfectorModel | None = None, max_memory: int | None = None,
               device: str = "cpu", progress: bool | None = None,
               rng: RngLike = None) -> SeedResult:
    """IMINFECTOR: ``k`` seeds from INFECTOR embeddings trained on ``cascades``.

    Parameters
    ----------
    cascades : Cascades
        Training cascades (split off the test part first, e.g. with ``split_by_time``).
    k : int
        Number of seeds, at most the number of initiators of trainable cascades.
    percent : float, default 10
        Keep the top ``percent`` % initiators by ``||O_u||`` (the paper: 40 for Digg-size
        data, 10 for large sets); at least ``k`` are kept.
    epochs, embedding_dim, learning_rate : INFECTOR settings (ignored when ``model`` is given).
    model : InfectorModel, optional
        A model already fitted on ``cascades`` (no training then).
    max_memory : int, optional
        Bytes for the diffusion matrix D (default: available memory minus a margin).
    device : {"cpu", "cuda"}
    progress : bool, optional
    rng : int or Generator, optional

    Returns
    -------
    SeedResult
        Seeds as original labels in selection order; ``spread`` is the sum of the CELF gains;
        timings ``context``, ``training``, ``D``, ``selection``.
    """
    fn = "iminfector"
    sw = Stopwatch()
    if not isinstance(cascades, Cascades):
        fail(fn, "cascades", "a Cascades collection", type(cascades).__name__)
    percent = check(fn, "percent", percent, Interval(float, 0, 100, closed="right"))
    limit = resolve_limit(fn, max_memory)
    n_init = int(np.unique(cascades.initiators[cascades.trainable]).size)
    k = check_k(fn, k, n_init)
    if model is None:
        model = InfectorModel(embedding_dim, learning_rate, epochs, device=device,
                              progress=progress).fit(cascades, rng=rng)
        for phase, sec in model.timings_.items():
            sw.add(phase, sec)
    elif not isinstance(model, InfectorModel) or not hasattr(model, "influencer_"):
        fail(fn, "model", "a fitted InfectorModel", type(model).__name__)
    O, T = model.influencer_, model.susceptible_
    with sw("D"):
        rows = keep_top(O, percent, at_least=k)
        lam = lambdas(O[rows], T.shape[1])
        D = diffusion_matrix(O[rows], T, limit=limit, func=fn)
    t = time.perf_counter()
    chosen, gains, evals = celf_select(D, lam, k)
    sw.add("selection", time.perf_counter() - t)
    seed_ids = model.initiators_[rows[chosen]]
    return make_result(cascades, "iminfector", seed_ids, stopwatch=sw,
                       params={"k": k, "percent": percent, "epochs": model.epochs,
                               "embedding_dim": model.embedding_dim,
                               "learning_rate": model.learning_rate},
                       record={"kept_initiators": int(rows.size), "initiators": n_init,
                               "targets": int(T.shape[1]), "lambda": lam[chosen].tolist(),
                               "gains": gains.tolist(), "evaluations": evals,
                               "softmax": model.softmax_,
                               "losses": [list(x) for x in model.losses_]},
                       spread=float(gains.sum()))
