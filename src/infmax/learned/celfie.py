"""CELFIE (Panagopoulos, Malliaros, Vazirgiannis, ICWSM 2020): CELF over sampled influence.

The IMINFECTOR authors' previous method, a baseline of the IMINFECTOR paper (its ref. [51]).
Two parts:

1. **Influence and susceptibility embeddings** (:class:`CelfieModel`): an initiator's
   *influence* (source) vector ``S_u`` and every user's *susceptibility* (target) vector
   ``T_v`` are trained so that ``S_u . T_v + b_v`` scores how likely ``v`` copies ``u``,
   on the initiator -> context pairs of the training cascades.
2. **Seed selection** (:func:`celfie`): the influence probability matrix
   ``P[u, :] = softmax(S_u T^T + b)`` over all N users; each candidate gets, per simulation,
   an *influenced set* of ``samples`` users drawn from ``P[u, :]`` without replacement (the
   live-edge sample of the embeddings); the marginal gain of a candidate is the mean number of
   its sampled users not yet covered by the chosen seeds' sets in the same simulation; CELF.

Coverage *saturates*: once every simulation's union covers all the users the candidates
reach, every gain is 0 and CELFIE cannot rank further seeds (the IMINFECTOR paper: only 127 /
2,059 / 4 seeds on Weibo / MAG / Digg).

Examples
--------
>>> import infmax as im
>>> from infmax.learned import celfie
>>> G = im.graph.from_edges([0, 0, 1, 2, 3], [1, 2, 3, 3, 4], weights=0.6)
>>> C = im.learned.synthetic_cascades(G, 60, initiators=[0, 1, 2], rng=1)
>>> res = celfie(C, 2, samples=2, simulations=20, epochs=2, rng=1)
>>> len(res.seeds), sorted(res.timings)[:2]
(2, ['D', 'context'])
"""

from __future__ import annotations

import heapq
import math
from typing import Any

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._memory import check as check_memory
from .._memory import guard, resolve_limit
from .._progress import Progress
from .._validation import Interval, check, check_choice, check_k, fail
from ..algorithms.heuristics import top_k
from ..exceptions import InvalidParameterError
from ..graph.cascades import Cascades
from ..random import RngLike, as_generator
from ..results import SeedResult, Stopwatch, make_result
from ._celfie_kernels import cover, uncovered_count
from ._context import training_pairs
from ._select import diffusion_matrix
from .infector import _deterministic, _torch, training_seed

__all__ = ["CelfieModel", "celfie", "influence_matrix", "sample_influenced_sets",
           "celf_coverage"]


class CelfieModel:
    """CELFIE's influence (source) and susceptibility (target) embeddings.

    Parameters
    ----------
    embedding_dim : int, default 50
        E, the size of both embeddings.
    learning_rate : float, default 0.01
        SGD step size.
    epochs : int, default 5
        Passes over the context pairs.
    batch_size : int, default 128
        Context pairs per SGD step.
    n_negatives : int, default 10
        Noise targets per step (shared by the batch) of the NCE loss.
    context_factor : float, default 1.2
        Context draws per cascade, as a multiple of its size.
    device : {"cpu", "cuda"}
    progress : bool, optional
        Progress bar per epoch with the mean loss.

    Attributes
    ----------
    influence_ : ndarray (I, E) float32
        ``S``: one row per initiator of a trainable cascade.
    susceptibility_ : ndarray (N, E) float32
        ``T``: one row per user.
    target_bias_ : ndarray (N,) float32
    initiators_ : ndarray of int32
        Cascade id of each row of ``influence_`` (ascending).
    targets_ : ndarray of int32
        Cascade id of each row of ``susceptibility_`` (every user, ascending).
    losses_ : list of float
        Mean NCE loss per epoch.
    timings_ : dict
        Seconds for ``context`` and ``training``.

    Notes
    -----
    Settings of the authors' CELFIE scripts (``celfie_preprocess_new.py`` in their IMINFECTOR
    repository; the ICWSM paper builds on INF2VEC with a context adapted to large data):

    - **Context**: INFECTOR's (:mod:`infmax.learned._context`, METHODS.md section 1): per
      cascade started by ``u``, ``round(1.2 |C|)`` participants drawn with replacement with
      ``P(v) ∝ 1 / (|t_v - t_u| + 1)``; each draw is an (initiator, target) pair.
    - **Objective**: noise-contrastive estimation (their ``tf.nn.nce_loss``): for a pair
      ``(u, v)`` and ``n_negatives`` noise targets ``n`` drawn uniformly from the N users
      (shared by the batch), ``softplus(-z_uv) + sum_n softplus(z_un)`` with
      ``z_uw = S_u . T_w + b_w - log(n_negatives / N)`` (the log-noise correction of NCE; with
      a uniform noise it is a constant). Their sampler was TensorFlow's log-uniform one over
      node indices, which are not ordered by frequency in their data, so a uniform noise is
      the faithful reading. Mean over the batch, plain SGD.
    - **Sizes**: E = 50, lr = 0.01, 5 epochs, batches of 128, 10 noise samples; ``S``
      uniform in [-1, 1], ``T`` truncated normal with standard deviation ``1 / sqrt(E)``
      (truncated at 2 standard deviations), biases 0, as they initialised them.
    - Pairs are visited in a new random order each epoch (they streamed a file in order).
    - Gradients are written out (the updates touch only the batch's rows), deterministic on
      CPU for a fixed ``rng``.
    """

    def __init__(self, embedding_dim: int = 50, learning_rate: float = 0.01, epochs: int = 5,
                 *, batch_size: int = 128, n_negatives: int = 10, context_factor: float = 1.2,
                 device: str = "cpu", progress: bool | None = None) -> None:
        self.embedding_dim = embedding_dim
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.n_negatives = n_negatives
        self.context_factor = context_factor
        self.device = device
        self.progress = progress

    def get_params(self) -> dict:
        """Return the constructor parameters (scikit-learn convention)."""
        return {k: getattr(self, k) for k in (
            "embedding_dim", "learning_rate", "epochs", "batch_size", "n_negatives",
            "context_factor", "device", "progress")}

    def _validate(self) -> None:
        fn = "CelfieModel"
        self.embedding_dim = check(fn, "embedding_dim", self.embedding_dim, Interval(int, 1, None))
        self.learning_rate = check(fn, "learning_rate", self.learning_rate,
                                   Interval(float, 0, None, closed="neither"))
        self.epochs = check(fn, "epochs", self.epochs, Interval(int, 0, None))
        self.batch_size = check(fn, "batch_size", self.batch_size, Interval(int, 1, None))
        self.n_negatives = check(fn, "n_negatives", self.n_negatives, Interval(int, 1, None))
        self.context_factor = check(fn, "context_factor", self.context_factor,
                                    Interval(float, 0, None, closed="neither"))
        self.device = check_choice(fn, "device", self.device, ("cpu", "cuda"))
        if self.device == "cuda" and not _torch().cuda.is_available():
            fail(fn, "device", "'cpu' (CUDA is not available here)", "cuda")

    def fit(self, cascades: Cascades, *, rng: RngLike = None) -> CelfieModel:
        """Train on ``cascades`` (those with at least 2 users) and return ``self``.

        Parameters
        ----------
        cascades : Cascades
            Training cascades.
        rng : int or Generator, optional
            Seeds the context draws, the initial embeddings, the pair order and the noise.

        Returns
        -------
        CelfieModel

        Raises
        ------
        InvalidParameterError
            Not a Cascades collection, or no cascade with at least 2 users.
        """
        fn = "CelfieModel.fit"
        seed = training_seed(fn, cascades, rng, self._validate)
        torch = _torch()
        sw = Stopwatch()
        with sw("context"):
            ctx, initiators, targets, row, col = training_pairs(cascades, seed,
                                                                self.context_factor)
            row = np.repeat(row, np.diff(ctx.offsets))   # one row per (initiator, node) pair
        I, N, E = initiators.size, targets.size, self.embedding_dim
        B, K = self.batch_size, self.n_negatives
        dev = torch.device(self.device)
        with sw("training"), _deterministic():
            init = np.random.default_rng([seed, 3])
            S0 = init.uniform(-1.0, 1.0, (I, E))
            T0 = init.standard_normal((N, E))
            bad = np.abs(T0) > 2.0
            while bad.any():                      # truncated normal: redraw beyond 2 sd
                T0[bad] = init.standard_normal(int(bad.sum()))
                bad = np.abs(T0) > 2.0
            S = torch.as_tensor(S0, dtype=torch.float32, device=dev)
            T = torch.as_tensor(T0 / math.sqrt(E), dtype=torch.float32, device=dev)
            b = torch.zeros(N, dtype=torch.float32, device=dev)
            row_t = torch.as_tensor(row, device=dev)
            col_t = torch.as_tensor(col, device=dev)
            shift = math.log(K / N)
            lr = float(self.learning_rate)
            n_pairs = row.size
            n_batches = -(-n_pairs // B)
            losses: list[float] = []
            with interruptible():
                for epoch in range(self.epochs):
                    erng = np.random.default_rng([seed, 1, epoch])
                    order = torch.as_tensor(erng.permutation(n_pairs), device=dev)
                    noise = torch.as_tensor(erng.integers(0, N, (n_batches, K)), device=dev)
                    total = torch.zeros((), dtype=torch.float64, device=dev)
                    with Progress(n_batches, f"CELFIE epoch {epoch + 1}/{self.epochs}",
                                  enabled=self.progress) as bar:
                        for j in range(n_batches):
                            idx = order[j * B:(j + 1) * B]
                            total += _nce_step(S, T, b, row_t[idx], col_t[idx], noise[j],
                                               shift, lr) * idx.numel()
                            bar.update(1)
                            if j % 64 == 63:
                                checkpoint()
                        losses.append(float(total) / max(n_pairs, 1))
                        bar.set_description(f"CELFIE epoch {epoch + 1}/{self.epochs} "
                                            f"loss={losses[-1]:.4f}")
                    checkpoint()
        self.influence_ = S.cpu().numpy()
        self.susceptibility_ = T.cpu().numpy()
        self.target_bias_ = b.cpu().numpy()
        self.initiators_ = initiators.astype(np.int32)
        self.targets_ = targets.astype(np.int32)
        self.losses_ = losses
        self.timings_ = {k: v for k, v in sw.timings().items() if k != "total"}
        return self

    def influence_matrix(self, initiators: np.ndarray | None = None) -> np.ndarray:
        """Return ``P``: row softmax of ``S_u T^T + b`` for the given initiator ids.

        Parameters
        ----------
        initiators : array of int, optional
            Cascade ids of initiators of the fitted cascades (default: all, ascending).

        Returns
        -------
        ndarray (len(initiators), N) float32
            Column ``j`` is the user ``targets_[j]``; every row sums to 1.
        """
        if not hasattr(self, "influence_"):
            raise InvalidParameterError("CelfieModel.influence_matrix: the model is not "
                                        "fitted; call fit(cascades) first.", param="self",
                                        value=None)
        rows = np.arange(self.initiators_.size) if initiators is None else \
            _rows_of(self, np.asarray(initiators, dtype=np.int64), "CelfieModel.influence_matrix",
                     "initiators")
        return influence_matrix(self.influence_[rows], self.susceptibility_, self.target_bias_,
                                func="CelfieModel.influence_matrix")

    def __repr__(self) -> str:
        fitted = "" if not hasattr(self, "influence_") else \
            f", I={self.influence_.shape[0]}, N={self.susceptibility_.shape[0]}"
        return (f"CelfieModel(embedding_dim={self.embedding_dim}, epochs={self.epochs}, "
                f"learning_rate={self.learning_rate}{fitted})")


def _rows_of(model: CelfieModel, ids: np.ndarray, func: str, param: str) -> np.ndarray:
    """Rows of ``model.influence_`` of the initiator ids ``ids`` (an error names a stranger)."""
    rows = np.searchsorted(model.initiators_, ids)
    bad = (rows >= model.initiators_.size) | \
        (model.initiators_[np.minimum(rows, model.initiators_.size - 1)] != ids)
    if bad.any():
        fail(func, param, "initiators of the cascades the model was fitted on",
             int(ids[np.flatnonzero(bad)[0]]))
    return rows


def _nce_step(S: Any, T: Any, b: Any, u: Any, v: Any, noise: Any, shift: float,  # noqa: ANN401
              lr: float) -> Any:  # noqa: ANN401
    """One SGD step of the mean NCE loss of the pairs ``(u, v)``; return the loss (tensor)."""
    torch = _torch()
    Su, Tv, Tn = S[u], T[v], T[noise]
    zt = (Su * Tv).sum(1) + b[v] - shift
    zn = Su @ Tn.T + b[noise] - shift
    loss = (torch.nn.functional.softplus(-zt)
            + torch.nn.functional.softplus(zn).sum(1)).mean()
    m = u.numel()
    gt = (torch.sigmoid(zt) - 1.0) / m            # d loss / d z_uv
    gn = torch.sigmoid(zn) / m                    # d loss / d z_un
    S.index_add_(0, u, gt[:, None] * Tv + gn @ Tn, alpha=-lr)
    T.index_add_(0, v, gt[:, None] * Su, alpha=-lr)
    T.index_add_(0, noise, gn.T @ Su, alpha=-lr)
    b.index_add_(0, v, gt, alpha=-lr)
    b.index_add_(0, noise, gn.sum(0), alpha=-lr)
    return loss.detach().double()


# -- selection -------------------------------------------------------------------------------
def influence_matrix(S: np.ndarray, T: np.ndarray, bias: np.ndarray | None = None, *,
                     max_memory: int | None = None, func: str = "influence_matrix"
                     ) -> np.ndarray:
    """Row softmax of ``S @ T.T + bias``, applied once (float32, in memory-bounded blocks).

    The bias is folded in as one more embedding dimension (``[S, 1] . [T, b]``) and the
    blocked softmax is IMINFECTOR's :func:`~infmax.learned._select.diffusion_matrix`.

    Parameters
    ----------
    S : ndarray (R, E)
        Influence vectors of the rows.
    T : ndarray (N, E)
        Susceptibility vectors of the columns.
    bias : ndarray (N,), optional
        Target bias (0 when omitted).
    max_memory : int, optional
        Bytes for the matrix (default: available memory minus a margin).
    func : str
        Name that errors report.

    Returns
    -------
    ndarray (R, N) float32
        Influence probabilities; each row sums to 1.
    """
    S = np.asarray(S, dtype=np.float64)
    T = np.asarray(T, dtype=np.float64)
    b = np.zeros(T.shape[0]) if bias is None else np.asarray(bias, dtype=np.float64)
    return diffusion_matrix(np.column_stack([S, np.ones(S.shape[0])]),
                            np.vstack([T.T, b[None, :]]),
                            limit=resolve_limit(func, max_memory), func=func)


def sample_influenced_sets(p: np.ndarray, simulations: int, samples: int,
                           rng: np.random.Generator) -> np.ndarray:
    """Draw ``simulations`` influenced sets of ``samples`` columns from ``p``, no replacement.

    Successive sampling (each draw proportional to ``p`` among the columns not drawn yet,
    what ``numpy.random.choice(replace=False, p=p)`` does), by the Gumbel-top-m trick: the
    ``m`` largest ``log p_v + Gumbel`` keys.

    Parameters
    ----------
    p : ndarray (N,)
        Probabilities (non-negative).
    simulations, samples : int
        Sets to draw, and their size ``m`` (capped at the number of positive entries).
    rng : Generator

    Returns
    -------
    ndarray (simulations, min(samples, N)) int32
        Column ids of each set (unordered); ``-1`` pads a row when fewer than ``samples``
        entries of ``p`` are positive.
    """
    p = np.asarray(p, dtype=np.float64)
    n = p.size
    m = min(int(samples), n)
    with np.errstate(divide="ignore"):
        keys = np.log(p) + rng.gumbel(size=(simulations, n))
    if m < n:
        idx = np.argpartition(-keys, m - 1, axis=1)[:, :m]
    else:
        idx = np.broadcast_to(np.arange(n), (simulations, n))
    out = idx.astype(np.int32)
    out[np.isneginf(np.take_along_axis(keys, idx, 1))] = -1
    return out


def celf_coverage(sets: np.ndarray, k: int, n_targets: int
                  ) -> tuple[np.ndarray, np.ndarray, int, int | None]:
    """CELF over sampled influenced sets; the gain is the number of newly covered pairs.

    Parameters
    ----------
    sets : ndarray (R, simulations, m) int32
        Each candidate's influenced sets (``-1`` pads); rows are in rank order (ties of the
        gain go to the lower row).
    k : int
        Seeds wanted.
    n_targets : int
        N, the number of columns.

    Returns
    -------
    chosen : ndarray of int64
        Rows in selection order (fewer than ``k`` when coverage saturates).
    totals : ndarray of int64
        Newly covered (simulation, node) pairs of each chosen row (divide by ``simulations``
        for the expected gain).
    evaluations : int
        Gain evaluations.
    saturated_at : int or None
        Number of seeds chosen when every remaining gain was 0 (None: no saturation).
    """
    covered = np.zeros((sets.shape[1], n_targets), dtype=np.uint8)
    heap = []
    with interruptible():
        for r in range(sets.shape[0]):
            heap.append((-int(uncovered_count(covered, sets[r])), r, 0))
            checkpoint()
        evals = len(heap)
        heapq.heapify(heap)
        chosen: list[int] = []
        totals: list[int] = []
        saturated = None
        while len(chosen) < k and heap:
            neg, r, stamp = heapq.heappop(heap)
            if stamp == len(chosen):
                if neg == 0:            # the largest gain is 0: so is every other one
                    saturated = len(chosen)
                    break
                chosen.append(r)
                totals.append(int(cover(covered, sets[r])))
                continue
            evals += 1
            heapq.heappush(heap, (-int(uncovered_count(covered, sets[r])), r, len(chosen)))
            checkpoint()
    return (np.asarray(chosen, dtype=np.int64), np.asarray(totals, dtype=np.int64), evals,
            saturated)


def celfie(cascades: Cascades, k: int, *, percent: float = 1.0, simulations: int = 50,
           samples: int = 1000, on_saturation: str = "stop", epochs: int = 5,
           embedding_dim: int = 50, learning_rate: float = 0.01,
           model: CelfieModel | None = None, max_memory: int | None = None,
           device: str = "cpu", progress: bool | None = None,
           rng: RngLike = None) -> SeedResult:
    """CELFIE: up to ``k`` seeds by CELF over influence sampled from learned embeddings.

    Parameters
    ----------
    cascades : Cascades
        Training cascades (split off the test part first, e.g. with ``split_by_time``).
    k : int
        Seeds wanted, at most the number of initiators of trainable cascades.
    percent : float, default 1
        Candidates: the top ``percent`` % of those initiators by cascades started (all
        cascades, ties to the lower id), and never fewer than ``k``.
    simulations : int, default 50
        Sampled influenced sets per candidate (the authors' 50).
    samples : int, default 1000
        Users per influenced set (the authors' 1000 "edge samples"), capped at N.
    on_saturation : {"stop", "fill"}, default "stop"
        When every candidate's gain is 0: ``"stop"`` returns the seeds found (fewer than
        ``k``); ``"fill"`` appends the remaining candidates by cascades started.
    epochs, embedding_dim, learning_rate : CelfieModel settings (ignored with ``model``).
    model : CelfieModel, optional
        A model already fitted on ``cascades`` (no training then).
    max_memory : int, optional
        Bytes for the probability rows and the sampled sets (default: available memory
        minus a margin).
    device : {"cpu", "cuda"}
    progress : bool, optional
    rng : int or Generator, optional
        One seed for training and sampling: equal ``rng``, equal seeds (on CPU).

    Returns
    -------
    SeedResult
        Seeds as original labels in selection order; ``spread`` is the expected coverage
        (mean over simulations of the union of the seeds' sets); timings ``context``,
        ``training``, ``D`` (the probability rows), ``selection`` (sampling and CELF).
        ``record["saturated_at"]``: the number of seeds CELFIE ranked before its coverage
        saturated (``None`` if it did not); ``record["gains"]``: expected gain of each seed
        (0 for fill-ins).

    Notes
    -----
    - **Candidates**: top 1 % initiators by cascades started, as the authors' script; when
      1 % is fewer than ``k`` the top ``k`` are candidates (else ``k`` seeds could not exist).
    - **Probabilities**: ``P = softmax(S_u T^T + b)`` over all N users, applied **once**: the
      authors' script applies the row softmax twice (in ``load_initiator`` and again after),
      which flattens every row to almost uniform. The target bias ``b`` is part of the
      trained score, so it is included (their bias vector was sized by the initiators and
      left out of the matrix).
    - **Sampling** (their "live-edge" reading of the embeddings): per candidate and
      simulation, ``samples`` users without replacement with probabilities ``P[u, :]`` (as
      their ``np.random.choice(..., replace=False, p=...)``), drawn **once** per candidate
      (common random numbers, like live-edge worlds): the gain of ``u`` is
      ``mean_s |A_{u,s} minus covered_s|``, an exact coverage function of these samples, so
      CELF's lazy evaluations are exact and a chosen seed covers the very sets that gave its
      gain. Their script resampled at every evaluation and, through a shallow copy, also
      marked the sets of *evaluated* candidates as covered, which drives their coverage to
      saturation faster.
    - **Saturation**: when the largest gain is 0 every candidate's sets are covered in every
      simulation; with ``on_saturation="stop"`` the result has fewer than ``k`` seeds
      (``record["saturated_at"]``), as the paper's CELFIE "retrieves only" that many.
    """
    fn = "celfie"
    sw = Stopwatch()
    if not isinstance(cascades, Cascades):
        fail(fn, "cascades", "a Cascades collection", type(cascades).__name__)
    pool = np.unique(cascades.initiators[cascades.trainable]).astype(np.int64)
    k = check_k(fn, k, int(pool.size))
    percent = check(fn, "percent", percent, Interval(float, 0, 100, closed="right"))
    simulations = check(fn, "simulations", simulations, Interval(int, 1, None))
    samples = check(fn, "samples", samples, Interval(int, 1, None))
    on_saturation = check_choice(fn, "on_saturation", on_saturation, ("stop", "fill"))
    limit = resolve_limit(fn, max_memory)
    gen = as_generator(rng, func=fn)
    if model is None:
        model = CelfieModel(embedding_dim, learning_rate, epochs, device=device,
                            progress=progress).fit(cascades, rng=gen)
        for phase, sec in model.timings_.items():
            sw.add(phase, sec)
    elif not isinstance(model, CelfieModel) or not hasattr(model, "influence_"):
        fail(fn, "model", "a fitted CelfieModel", type(model).__name__)
    started = np.bincount(cascades.initiators, minlength=cascades.n_ids)
    n_cand = min(pool.size, max(int(math.ceil(percent / 100.0 * pool.size)), k))
    cand = top_k(started, pool, n_cand).astype(np.int64)
    rows = _rows_of(model, cand, fn, "model")
    N = model.susceptibility_.shape[0]
    m = min(samples, N)
    hint = "lower samples, simulations or percent, or raise max_memory"
    check_memory(fn, 4.0 * n_cand * N + 4.0 * n_cand * simulations * m
                 + 17.0 * simulations * N, limit,
                 what=f"the influence rows and sampled sets ({n_cand:,} candidates, "
                      f"{simulations} x {m:,} samples, N = {N:,})", hint=hint)
    with guard(fn, what="the influence rows and sampled sets", hint=hint):
        with sw("D"):
            P = influence_matrix(model.influence_[rows], model.susceptibility_,
                                 model.target_bias_, max_memory=limit, func=fn)
        with sw("selection"):
            sets = np.empty((n_cand, simulations, m), dtype=np.int32)
            base = int(gen.integers(2**63 - 1))
            with interruptible():
                for i in range(n_cand):
                    sets[i] = sample_influenced_sets(P[i], simulations, m,
                                                     np.random.default_rng([base, i]))
                    checkpoint()
            chosen, totals, evals, saturated = celf_coverage(sets, k, N)
            gains = totals / simulations
            if on_saturation == "fill" and chosen.size < k:
                rest = np.setdiff1d(np.arange(n_cand), chosen, assume_unique=True)
                chosen = np.concatenate([chosen, rest[:k - chosen.size]])
                gains = np.concatenate([gains, np.zeros(chosen.size - gains.size)])
    return make_result(cascades, "celfie", cand[chosen], stopwatch=sw,
                       params={"k": k, "percent": percent, "simulations": simulations,
                               "samples": samples, "on_saturation": on_saturation,
                               "epochs": model.epochs, "embedding_dim": model.embedding_dim,
                               "learning_rate": model.learning_rate},
                       record={"saturated_at": saturated, "candidates": int(n_cand),
                               "initiators": int(pool.size), "targets": int(N),
                               "samples_per_set": int(m), "gains": gains.tolist(),
                               "evaluations": evals, "losses": list(model.losses_)},
                       spread=float(gains.sum()))
