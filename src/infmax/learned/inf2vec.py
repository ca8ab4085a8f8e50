"""INF2VEC (Feng, Cong, Khan, Li, Liu, Chee, ICDE 2018): influence embeddings from cascades.

Every user ``u`` gets a source embedding ``S_u`` and a bias ``b_u`` (how it influences), and a
target embedding ``T_v`` and a bias ``b~_v`` (how it is influenced); the influence score of
``u`` on ``v`` is ``x(u, v) = S_u . T_v + b_u + b~_v``. They are learned by skip-gram with
negative sampling over *influence contexts*: for each cascade and each of its users ``u``, a
random walk with restart from ``u`` on the cascade's propagation network (local influence)
plus users drawn uniformly from the same cascade (global similarity); see
:func:`sample_influence_contexts` and :class:`Inf2vecModel`.

torch is imported on first use, so ``import infmax.learned`` does not load it.

Examples
--------
>>> import infmax as im
>>> from infmax.learned import Inf2vecModel
>>> C = im.Cascades.from_lists([["a", "b", "c"], ["a", "c"], ["b", "c", "d"]],
...                            [[0, 1, 2], [3, 4], [5, 6, 7]])
>>> m = Inf2vecModel(embedding_dim=4, epochs=2).fit(C, rng=1)
>>> W = m.edge_weights()                 # no social graph: initiator -> participant arcs
>>> W.m, bool(((W.probs > 0) & (W.probs <= 1)).all())
(4, True)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._progress import Progress
from .._validation import Interval, check, check_choice, fail
from ..exceptions import InvalidParameterError
from ..graph import DiGraph
from ..graph.cascades import Cascades
from ..random import RngLike, as_generator
from ..results import Stopwatch
from . import _inf2vec_kernels as _kern
from .infector import _deterministic, _torch
from .weights import _initiator_pairs, _labels, build_graph, shared_ids

__all__ = ["Inf2vecModel", "InfluenceContexts", "sample_influence_contexts"]

#: items (cascade users) whose contexts are built per kernel call
_ITEMS_PER_CALL = 20_000


class InfluenceContexts(NamedTuple):
    """The (user, context user) pairs of every trainable cascade.

    Attributes
    ----------
    source : ndarray of int32
        The user ``u`` of each pair (id of the cascades).
    context : ndarray of int32
        The context user ``v``.
    local : ndarray of bool
        True for a pair from the random walk, False for a uniform (global) draw.
    propagation : str
        ``"social"`` (arcs of the social graph between adopters, earlier -> later) or
        ``"adoption order"`` (every earlier -> later pair of adopters: no social graph).
    """

    source: np.ndarray
    context: np.ndarray
    local: np.ndarray
    propagation: str


def sample_influence_contexts(cascades: Cascades, *, context_length: int = 50,
                              alpha: float = 0.1, restart: float = 0.5,
                              rng: RngLike = None) -> InfluenceContexts:
    """Draw INF2VEC's influence context of every (cascade, user) of the trainable cascades.

    The context of user ``u`` in a cascade has ``L = context_length`` slots:
    ``round(alpha * L)`` from a random walk with restart (probability ``restart`` per step)
    from ``u`` on the cascade's propagation network, and ``L - round(alpha * L)`` users drawn
    uniformly (with replacement) among the cascade's other users. The propagation network has
    an arc from each adopter to each later adopter it is linked to: along the social graph's
    arcs when the cascades have one (``cascades.graph``), else between every earlier and
    later adopter (adoption order). A walk from a user without out-arcs (e.g. the last adopter)
    is empty, so its context holds only the global draws. See
    :mod:`infmax.learned._inf2vec_kernels` for the exact use of the random numbers.

    Parameters
    ----------
    cascades : Cascades
        Training cascades (only those with at least 2 users give contexts).
    context_length : int >= 1, default 50
        ``L``.
    alpha : float in [0, 1], default 0.1
        Share of the context from the random walk.
    restart : float in [0, 1], default 0.5
        Restart probability of the walk.
    rng : int or Generator, optional

    Returns
    -------
    InfluenceContexts
    """
    fn = "sample_influence_contexts"
    if not isinstance(cascades, Cascades):
        fail(fn, "cascades", "a Cascades collection", type(cascades).__name__)
    L = check(fn, "context_length", context_length, Interval(int, 1, None))
    alpha = check(fn, "alpha", alpha, Interval(float, 0, 1))
    restart = check(fn, "restart", restart, Interval(float, 0, 1))
    gen = as_generator(rng, func=fn)
    n_walk = int(round(alpha * L))
    n_global = L - n_walk
    idx = np.flatnonzero(cascades.trainable)
    sizes = cascades.sizes[idx].astype(np.int64)
    offsets = np.zeros(idx.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    starts = cascades.offsets[idx]
    pos = np.repeat(starts - offsets[:-1], sizes) + np.arange(offsets[-1], dtype=np.int64)
    users = cascades.users[pos].astype(np.int64)
    G = cascades.graph
    use_graph = G is not None
    rptr = G.rindptr.astype(np.int64) if use_graph else np.zeros(1, dtype=np.int64)
    ridx = G.rindices.astype(np.int64) if use_graph else np.zeros(0, dtype=np.int64)
    n_graph = G.n if use_graph else 0
    local = np.full(cascades.n_ids, -1, dtype=np.int64)
    src = np.empty(users.size, dtype=np.int64)
    ctx = np.empty((users.size, L), dtype=np.int64)
    per = 2 * n_walk + n_global
    with interruptible():
        c = 0
        while c < idx.size:
            stop = int(np.searchsorted(offsets, offsets[c] + _ITEMS_PER_CALL, side="right")) - 1
            stop = min(max(stop, c + 1), idx.size)
            a, b = int(offsets[c]), int(offsets[stop])
            unif = gen.random((b - a) * per)
            _kern.cascade_contexts(offsets, users, rptr, ridx, n_graph, use_graph, c, stop,
                                   n_walk, n_global, float(restart), unif, local, src[a:b],
                                   ctx[a:b])
            c = stop
            checkpoint()
    is_local = np.zeros((users.size, L), dtype=bool)
    is_local[:, :n_walk] = True
    keep = ctx >= 0
    return InfluenceContexts(np.repeat(src, L).reshape(-1, L)[keep].astype(np.int32),
                             ctx[keep].astype(np.int32), is_local[keep],
                             "social" if use_graph else "adoption order")


class Inf2vecModel:
    """INF2VEC's source and target embeddings, scikit-learn style.

    Parameters
    ----------
    embedding_dim : int, default 50
        Size of ``S_u`` and ``T_v``.
    context_length : int, default 50
        ``L``: context slots per (cascade, user).
    alpha : float, default 0.1
        Share of the context from the random walk (``round(alpha * L)`` slots).
    restart : float, default 0.5
        Restart probability of the walk.
    n_negatives : int, default 10
        Negative samples per (u, v) pair.
    learning_rate : float, default 0.025
        Start of the SGD step, decayed linearly to 1e-4 of it (word2vec's schedule).
    epochs : int, default 5
        Passes over the (u, v) pairs.
    batch_size : int, default 1024
        Pairs per update.
    device : {"cpu", "cuda"}
    progress : bool, optional
        Progress bar per epoch with the mean loss.

    Attributes
    ----------
    source_, target_ : ndarray (N, E) float32
        ``S`` and ``T``, one row per user of the trainable cascades (``users_``).
    source_bias_, target_bias_ : ndarray (N,) float32
        ``b`` and ``b~``.
    users_ : ndarray of int64
        Id (of the fitted cascades, shared with their graph) of each row.
    labels_ : ndarray
        Original labels of that id space.
    losses_ : list of float
        Mean loss per pair and epoch.
    n_pairs_ : int
        (u, v) pairs per epoch.
    propagation_ : str
        Arcs the walks used: ``"social"`` or ``"adoption order"``.
    timings_ : dict
        Seconds for ``context`` and ``training``.

    Notes
    -----
    Definitions (Feng et al., ICDE 2018, Sec. IV):

    - Influence context of ``u`` in a cascade: a random walk with restart on the cascade's
      propagation network (local influence) and users drawn uniformly from the cascade
      (global similarity), mixed by ``alpha`` (:func:`sample_influence_contexts`). With a
      social graph the propagation network holds its arcs between adopters, earlier ->
      later; **on a set without a social graph** (twitter-forest, douban,
      memetracker-forest) it holds every earlier -> later pair of adopters of the cascade
      (anyone who adopted earlier may have influenced a later adopter). The walk therefore
      always uses propagation arcs; the IMINFECTOR authors' script, which used only random
      nodes for Digg and Weibo, is not followed.
    - Skip-gram with negative sampling: for a pair ``(u, v)`` and negatives ``w`` drawn from
      the context users' frequency to the power 3/4 (word2vec's noise distribution), the
      loss is ``-log sigmoid(x(u, v)) - sum_w log sigmoid(-x(u, w))``.

    Settings. The paper could not be recovered here in full; the settings are those of the
    IMINFECTOR authors' INF2VEC run (their ``extract_inf2vec_trainset.py`` / ``inf2vec.py``):
    ``L = 50`` with 5 walk slots and 45 global draws (``alpha = 0.1``), restart 0.5,
    dimension 50, 10 negatives. Deviations: (1) SGD on mini-batches of 1,024 pairs (the
    gradients of a batch summed per row) instead of one pair at a time, for throughput, with
    word2vec's start step 0.025 decayed linearly; (2) 5 epochs; (3) negatives from the
    unigram^0.75 distribution (the authors' script used TensorFlow's NCE with its log-uniform
    sampler); (4) ``S`` starts uniform in ``+-0.5 / E``, ``T`` and the biases at 0
    (word2vec's start); (5) torch runs on one thread during training (see ``_one_thread``).

    Deterministic on CPU for a fixed ``rng`` (one torch thread pool, deterministic
    algorithms; the contexts and batches come from numpy streams derived from ``rng``).
    """

    def __init__(self, embedding_dim: int = 50, *, context_length: int = 50, alpha: float = 0.1,
                 restart: float = 0.5, n_negatives: int = 10, learning_rate: float = 0.025,
                 epochs: int = 5, batch_size: int = 1024, device: str = "cpu",
                 progress: bool | None = None) -> None:
        self.embedding_dim = embedding_dim
        self.context_length = context_length
        self.alpha = alpha
        self.restart = restart
        self.n_negatives = n_negatives
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.device = device
        self.progress = progress

    def get_params(self) -> dict:
        """Return the constructor parameters (scikit-learn convention)."""
        return {k: getattr(self, k) for k in (
            "embedding_dim", "context_length", "alpha", "restart", "n_negatives",
            "learning_rate", "epochs", "batch_size", "device", "progress")}

    def _validate(self) -> None:
        fn = "Inf2vecModel"
        self.embedding_dim = check(fn, "embedding_dim", self.embedding_dim, Interval(int, 1, None))
        self.context_length = check(fn, "context_length", self.context_length,
                                    Interval(int, 1, None))
        self.alpha = check(fn, "alpha", self.alpha, Interval(float, 0, 1))
        self.restart = check(fn, "restart", self.restart, Interval(float, 0, 1))
        self.n_negatives = check(fn, "n_negatives", self.n_negatives, Interval(int, 1, None))
        self.learning_rate = check(fn, "learning_rate", self.learning_rate,
                                   Interval(float, 0, None, closed="neither"))
        self.epochs = check(fn, "epochs", self.epochs, Interval(int, 0, None))
        self.batch_size = check(fn, "batch_size", self.batch_size, Interval(int, 1, None))
        self.device = check_choice(fn, "device", self.device, ("cpu", "cuda"))
        if self.device == "cuda" and not _torch().cuda.is_available():
            fail(fn, "device", "'cpu' (CUDA is not available here)", "cuda")

    def fit(self, cascades: Cascades, *, graph: DiGraph | None = None,
            rng: RngLike = None) -> Inf2vecModel:
        """Train on ``cascades`` (those with at least 2 users) and return ``self``.

        Parameters
        ----------
        cascades : Cascades
            Training cascades.
        graph : DiGraph, optional
            Social graph for the propagation network (default: ``cascades.graph``; None:
            adoption order).
        rng : int or Generator, optional

        Returns
        -------
        Inf2vecModel

        Raises
        ------
        InvalidParameterError
            Not a Cascades collection, or no cascade with at least 2 users.
        """
        fn = "Inf2vecModel.fit"
        C = shared_ids(cascades, graph, fn)
        self._validate()
        if not C.trainable.any():
            raise InvalidParameterError(
                f"The 'cascades' parameter of {fn} holds no cascade with at least 2 users "
                f"({len(C)} cascades): nothing to train on.", param="cascades", value=len(C))
        torch = _torch()
        seed = int(as_generator(rng, func=fn).integers(2**63 - 1))
        sw = Stopwatch()
        with sw("context"):
            ctx = sample_influence_contexts(C, context_length=self.context_length,
                                            alpha=self.alpha, restart=self.restart,
                                            rng=np.random.default_rng([seed, 0]))
            users = np.unique(C.users[np.repeat(C.trainable, C.sizes)]).astype(np.int64)
            u_row = np.searchsorted(users, ctx.source).astype(np.int64)
            v_row = np.searchsorted(users, ctx.context).astype(np.int64)
            freq = np.bincount(v_row, minlength=users.size).astype(np.float64) ** 0.75
            noise = np.cumsum(freq / freq.sum())
            noise[-1] = 1.0
        N, E, K, B = users.size, self.embedding_dim, self.n_negatives, self.batch_size
        dev = torch.device(self.device)
        with sw("training"), _deterministic(), _one_thread():
            gen = torch.Generator().manual_seed(seed % 2**63)
            f32 = torch.float32
            # word2vec's start: S uniform in +-0.5/E, T and the biases at 0
            S = ((torch.rand(N, E, generator=gen, dtype=f32) - 0.5) / E).to(dev)
            T = torch.zeros(N, E, dtype=f32, device=dev)
            bs = torch.zeros(N, dtype=f32, device=dev)
            bt = torch.zeros(N, dtype=f32, device=dev)
            losses: list[float] = []
            n = u_row.size
            steps = max(self.epochs * n, 1)
            lr0 = float(self.learning_rate)
            with interruptible():
                for epoch in range(self.epochs):
                    erng = np.random.default_rng([seed, 1, epoch])
                    order = erng.permutation(n)
                    total = 0.0
                    with Progress(n, f"INF2VEC epoch {epoch + 1}/{self.epochs}",
                                  enabled=self.progress) as bar:
                        for lo in range(0, n, B):
                            sel = order[lo:lo + B]
                            m = sel.size
                            neg = np.searchsorted(noise, erng.random(m * K), side="right")
                            # word2vec's linear decay of the step, to 1e-4 of the start
                            lr = lr0 * max(1.0 - (epoch * n + lo) / steps, 1e-4)
                            total += _sgns_step(
                                S, T, bs, bt, torch.as_tensor(u_row[sel], device=dev),
                                torch.as_tensor(v_row[sel], device=dev),
                                torch.as_tensor(np.minimum(neg, N - 1).reshape(m, K),
                                                device=dev), lr)
                            bar.update(m)
                            checkpoint()
                        losses.append(total / max(n, 1))
                        bar.set_description(f"INF2VEC epoch {epoch + 1}/{self.epochs} "
                                            f"loss={losses[-1]:.4f}")
        self.source_ = S.cpu().numpy()
        self.target_ = T.cpu().numpy()
        self.source_bias_ = bs.cpu().numpy()
        self.target_bias_ = bt.cpu().numpy()
        self.users_ = users
        self.labels_ = C.labels
        self.losses_ = losses
        self.n_pairs_ = int(n)
        self.propagation_ = ctx.propagation
        self.timings_ = {k: v for k, v in sw.timings().items() if k != "total"}
        self._cascades = C
        return self

    # -- scores and weights ---------------------------------------------------------------
    def scores(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Return the scores ``x(u, v) = S_u . T_v + b_u + b~_v`` of id arrays ``u``, ``v``.

        NaN where a user has no embedding (it took part in no trainable cascade).

        Parameters
        ----------
        u, v : array of int
            Ids of the fitted cascades' id space, same length.

        Returns
        -------
        ndarray of float64
        """
        self._require_fitted("scores")
        u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
        iu = np.minimum(np.searchsorted(self.users_, u), max(self.users_.size - 1, 0))
        iv = np.minimum(np.searchsorted(self.users_, v), max(self.users_.size - 1, 0))
        ok = (self.users_[iu] == u) & (self.users_[iv] == v)
        x = np.einsum("ij,ij->i", self.source_[iu].astype(np.float64),
                      self.target_[iv].astype(np.float64))
        x += self.source_bias_[iu] + self.target_bias_[iv]
        return np.where(ok, x, np.nan)

    def edge_weights(self, graph: DiGraph | None = None, *, normalize: str = "none") -> DiGraph:
        """Influence weights on arcs: ``sigmoid(x(u, v))``, optionally normalised.

        Parameters
        ----------
        graph : DiGraph, optional
            Arcs to weigh. Default: the social graph the model was fitted with; without one,
            the arcs derived from the cascades (initiator -> each participant, as for the
            DATA-BASED weights). A graph given here is matched to the fitted users by label.
        normalize : {"none", "out"}, default "none"
            ``"none"``: the raw ``sigmoid(x(u, v))``, the model's probability of the pair
            (IC weights; see :func:`~infmax.learned.imm_inf2vec` for why this is the
            default); ``"out"``: every node's out-weights divided by their sum (as METHODS.md
            section 1 does for the DATA-BASED weights).

        Returns
        -------
        DiGraph
            On every user id of the fitted cascades (plus the graph's nodes), their labels,
            ``weighting = "inf2vec"``; arcs whose ends both have an embedding (users of the
            trainable cascades), probabilities in (0, 1].
        """
        fn = "Inf2vecModel.edge_weights"
        self._require_fitted("edge_weights")
        normalize = check_choice(fn, "normalize", normalize, ("none", "out"))
        C = self._cascades
        if graph is None:
            if C.graph is not None:
                src, dst = C.graph.sources.astype(np.int64), C.graph.indices.astype(np.int64)
            else:
                src, dst = _initiator_pairs(C)
                key = np.unique(src * C.n_ids + dst)
                src, dst = key // C.n_ids, key % C.n_ids
        else:
            if not isinstance(graph, DiGraph):
                fail(fn, "graph", "a DiGraph", type(graph).__name__)
            lab = np.asarray(graph.labels, dtype=object)
            ids = _ids_by_label(C, lab)
            src, dst = ids[graph.sources], ids[graph.indices]
            ok = (src >= 0) & (dst >= 0)
            src, dst = src[ok], dst[ok]
        x = self.scores(src, dst)
        keep = np.isfinite(x)
        src, dst, x = src[keep], dst[keep], x[keep]
        with np.errstate(over="ignore"):   # exp(-x) -> inf for very negative x: p = 0 exactly
            p = 1.0 / (1.0 + np.exp(-x))
        if normalize == "out":
            out = np.bincount(src, weights=p, minlength=C.n_ids)
            p = p / out[src]
        p = np.clip(p, np.finfo(float).tiny, 1.0)
        return build_graph(C.n_ids, src, dst, p, weighting="inf2vec").with_labels(_labels(C))

    def _require_fitted(self, what: str) -> None:
        if not hasattr(self, "source_"):
            raise InvalidParameterError(f"Inf2vecModel.{what}: the model is not fitted; "
                                        "call fit(cascades) first.", param="self", value=None)

    def __repr__(self) -> str:
        fitted = "" if not hasattr(self, "source_") else \
            f", N={self.source_.shape[0]}, pairs={self.n_pairs_}"
        return (f"Inf2vecModel(embedding_dim={self.embedding_dim}, epochs={self.epochs}, "
                f"context_length={self.context_length}, alpha={self.alpha}{fitted})")


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Run torch on one intra-op thread (restored after).

    The batches are small: threads gain little and, on a loaded machine, their
    synchronisation cost a factor 10-50 here; one thread also makes the sums independent of
    the machine's thread count.
    """
    torch = _torch()
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _sgns_step(S: Any, T: Any, bs: Any, bt: Any, u: Any, v: Any, w: Any,  # noqa: ANN401
               lr: float) -> float:
    """One SGD step of skip-gram with negative sampling on the pairs ``(u[i], v[i])``.

    ``w`` (m, K) holds each pair's negatives. Gradients are written out and summed per row
    (``index_add_``, deterministic on CPU); returns the summed loss before the step.
    """
    torch = _torch()
    su, tv, tw = S[u], T[v], T[w]                                   # (m,E) (m,E) (m,K,E)
    pos = (su * tv).sum(1) + bs[u] + bt[v]
    negx = torch.bmm(tw, su[:, :, None])[:, :, 0] + bs[u][:, None] + bt[w]
    fn = torch.nn.functional
    loss = -(fn.logsigmoid(pos).sum() + fn.logsigmoid(-negx).sum())
    gp = torch.sigmoid(pos) - 1.0                                   # d loss / d x(u, v)
    gn = torch.sigmoid(negx)                                        # d loss / d x(u, w)
    g_su = gp[:, None] * tv + torch.bmm(gn[:, None, :], tw)[:, 0, :]
    S.index_add_(0, u, g_su, alpha=-lr)
    T.index_add_(0, v, gp[:, None] * su, alpha=-lr)
    T.index_add_(0, w.reshape(-1), (gn[:, :, None] * su[:, None, :]).reshape(-1, su.shape[1]),
                 alpha=-lr)
    bs.index_add_(0, u, gp + gn.sum(1), alpha=-lr)
    bt.index_add_(0, v, gp, alpha=-lr)
    bt.index_add_(0, w.reshape(-1), gn.reshape(-1), alpha=-lr)
    return float(loss)


def _ids_by_label(C: Cascades, labels: np.ndarray) -> np.ndarray:
    """Ids of ``C`` for graph labels (-1 for a label that is not a user of ``C``)."""
    index = {lab: i for i, lab in enumerate(C.labels.tolist())}
    return np.asarray([index.get(x, -1) for x in labels.tolist()], dtype=np.int64)
