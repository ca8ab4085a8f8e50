"""INFECTOR (Panagopoulos et al.): influencer and susceptible embeddings learned from cascades.

Two tasks share the initiator embeddings ``O`` (I x E): task 1, a softmax over all N target
nodes of ``O_u T + b_t`` (cross-entropy against the drawn context); task 2, ``sigmoid(O_u . 1 +
b_c)`` (squared error against the min-max normalised cascade size; ``1`` is constant, not
trained). Training alternates per cascade: one SGD step on the mean cross-entropy of the
cascade's (u, v) context pairs, then one step on (u, size). Gradients are written out (the
updates touch only row ``u`` of ``O``), in PyTorch, so the same code runs on CPU or CUDA.

Softmax: exact when N <= ``exact_softmax_max`` (default 50,000); above it a *sampled softmax*
over the union of the cascade's context nodes and ``n_negatives`` nodes drawn uniformly (a
uniform proposal makes the log-Q correction a constant, which cancels).

torch is imported on first use, so ``import infmax.learned`` does not load it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._io import atomic_open
from .._progress import Progress
from .._validation import Interval, check, check_choice, fail
from ..exceptions import InvalidParameterError, MissingDependencyError
from ..graph.cascades import Cascades
from ..random import RngLike, as_generator
from ..results import Stopwatch
from ._context import training_pairs

__all__ = ["InfectorModel"]


def _torch():
    try:
        import torch
    except ModuleNotFoundError:  # pragma: no cover - torch is a dependency of learned
        raise MissingDependencyError(
            "INFECTOR needs PyTorch: pip install torch") from None
    return torch


@contextlib.contextmanager
def _deterministic():
    torch = _torch()
    old = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(old)



def training_seed(fn: str, cascades: object, rng: RngLike, validate: Any) -> int:  # noqa: ANN401
    """Check the input of an embedding model's ``fit`` and draw its one training seed.

    ``cascades`` must be a :class:`Cascades` with at least one trainable cascade (2+ users);
    ``validate()`` checks the model's own settings in between (the order the errors come in).
    """
    if not isinstance(cascades, Cascades):
        fail(fn, "cascades", "a Cascades collection", type(cascades).__name__)
    validate()
    if not cascades.trainable.any():
        raise InvalidParameterError(
            f"The 'cascades' parameter of {fn} holds no cascade with at least 2 users "
            f"({len(cascades)} cascades): nothing to train on.", param="cascades",
            value=len(cascades))
    return int(as_generator(rng, func=fn).integers(2**63 - 1))

class InfectorModel:
    """INFECTOR's multi-task embeddings, scikit-learn style.

    Parameters
    ----------
    embedding_dim : int, default 50
        E, the embedding size.
    learning_rate : float, default 0.1
        SGD step size of both tasks.
    epochs : int, default 5
        Passes over the trainable cascades.
    context_factor : float, default 1.2
        Context draws per cascade, as a multiple of its size.
    exact_softmax_max : int, default 50_000
        Largest N trained with the exact softmax; above it, sampled softmax.
    n_negatives : int, default 256
        Uniform negatives per step of the sampled softmax.
    device : {"cpu", "cuda"}
        Where to train (``"cuda"`` only when available).
    checkpoint : path, optional
        File written after each epoch; a fit with the same data, parameters and ``rng``
        resumes from it (and ends with the same embeddings as an uninterrupted fit).
    progress : bool, optional
        Progress bar per epoch with the two mean losses.

    Attributes
    ----------
    influencer_ : ndarray (I, E) float32
        ``O``: one row per initiator of a trainable cascade.
    susceptible_ : ndarray (E, N) float32
        ``T``: one column per target node.
    target_bias_ : ndarray (N,) float32
    size_bias_ : float
    initiators_ : ndarray of int32
        Cascade id of each row of ``influencer_``.
    targets_ : ndarray of int32
        Cascade id of each column of ``susceptible_`` (every user of the fitted cascades).
    labels_ : ndarray
        Original labels of the id space.
    losses_ : list of (float, float)
        Mean task-1 and task-2 loss per epoch.
    softmax_ : {"exact", "sampled"}
    timings_ : dict
        Seconds for ``context`` and ``training``.
    """

    def __init__(self, embedding_dim: int = 50, learning_rate: float = 0.1, epochs: int = 5, *,
                 context_factor: float = 1.2, exact_softmax_max: int = 50_000,
                 n_negatives: int = 256, device: str = "cpu",
                 checkpoint: str | os.PathLike[str] | None = None,
                 progress: bool | None = None):
        self.embedding_dim = embedding_dim
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.context_factor = context_factor
        self.exact_softmax_max = exact_softmax_max
        self.n_negatives = n_negatives
        self.device = device
        self.checkpoint = checkpoint
        self.progress = progress

    # -- parameters -----------------------------------------------------------------------
    def get_params(self) -> dict:
        """Return the constructor parameters (scikit-learn convention)."""
        return {k: getattr(self, k) for k in (
            "embedding_dim", "learning_rate", "epochs", "context_factor",
            "exact_softmax_max", "n_negatives", "device", "checkpoint", "progress")}

    def _validate(self) -> None:
        fn = "InfectorModel"
        self.embedding_dim = check(fn, "embedding_dim", self.embedding_dim, Interval(int, 1, None))
        self.learning_rate = check(fn, "learning_rate", self.learning_rate,
                                   Interval(float, 0, None, closed="neither"))
        self.epochs = check(fn, "epochs", self.epochs, Interval(int, 0, None))
        self.context_factor = check(fn, "context_factor", self.context_factor,
                                    Interval(float, 0, None, closed="neither"))
        self.exact_softmax_max = check(fn, "exact_softmax_max", self.exact_softmax_max,
                                       Interval(int, 1, None))
        self.n_negatives = check(fn, "n_negatives", self.n_negatives, Interval(int, 1, None))
        self.device = check_choice(fn, "device", self.device, ("cpu", "cuda"))
        if self.device == "cuda" and not _torch().cuda.is_available():
            fail(fn, "device", "'cpu' (CUDA is not available here)", "cuda")

    # -- fitting --------------------------------------------------------------------------
    def fit(self, cascades: Cascades, *, rng: RngLike = None) -> InfectorModel:
        """Train on ``cascades`` (those with at least 2 users) and return ``self``.

        Raises
        ------
        InvalidParameterError
            Not a Cascades collection, or no cascade with at least 2 users.
        """
        fn = "InfectorModel.fit"
        seed = training_seed(fn, cascades, rng, self._validate)
        torch = _torch()
        sw = Stopwatch()
        with sw("context"):
            ctx, initiators, targets, row, col = training_pairs(cascades, seed,
                                                                self.context_factor)
        I, N, E = initiators.size, targets.size, self.embedding_dim
        exact = N <= self.exact_softmax_max
        key = self._fingerprint(cascades, seed)
        dev = torch.device(self.device)
        f32 = torch.float32
        with sw("training"), _deterministic():
            gen = torch.Generator().manual_seed(seed % 2**63)
            # word2vec-style start: O uniform in +-0.5/E, T and biases at 0
            O = ((torch.rand(I, E, generator=gen, dtype=f32) - 0.5) / E).to(dev)
            T = torch.zeros(E, N, dtype=f32, device=dev)
            bt = torch.zeros(N, dtype=f32, device=dev)
            bc = torch.zeros((), dtype=f32, device=dev)
            start, losses = 0, []
            state = self._load_checkpoint(key)
            if state is not None:
                O, T, bt, bc = (torch.as_tensor(state[k]).to(dev) for k in ("O", "T", "bt", "bc"))
                start, losses = int(state["epoch"]), [tuple(x) for x in state["losses"].tolist()]
            col_t = torch.as_tensor(col, device=dev)
            y_t = torch.as_tensor(ctx.size_label, device=dev)
            lr = float(self.learning_rate)
            with interruptible():
                for epoch in range(start, self.epochs):
                    erng = np.random.default_rng([seed, 1, epoch])
                    order = erng.permutation(ctx.cascade.size)
                    l1 = l2 = 0.0
                    with Progress(order.size, f"INFECTOR epoch {epoch + 1}/{self.epochs}",
                                  enabled=self.progress) as bar:
                        for j, i in enumerate(order.tolist()):
                            a, b = int(ctx.offsets[i]), int(ctx.offsets[i + 1])
                            neg = None if exact else erng.integers(0, N, self.n_negatives)
                            l1 += _step_context(O, T, bt, int(row[i]), col_t[a:b], lr, neg)
                            l2 += _step_size(O, bc, int(row[i]), y_t[i], lr)
                            bar.update(1)
                            if j % 16 == 15:
                                checkpoint()
                        losses.append((l1 / order.size, l2 / order.size))
                        bar.set_description(f"INFECTOR epoch {epoch + 1}/{self.epochs} "
                                            f"loss1={losses[-1][0]:.4f} loss2={losses[-1][1]:.4f}")
                    self._save_checkpoint(key, epoch + 1, O, T, bt, bc, losses)
                    checkpoint()
        self.influencer_ = O.cpu().numpy()
        self.susceptible_ = T.cpu().numpy()
        self.target_bias_ = bt.cpu().numpy()
        self.size_bias_ = float(bc)
        self.initiators_ = initiators.astype(np.int32)
        self.targets_ = targets.astype(np.int32)
        self.labels_ = cascades.labels
        self.losses_ = losses
        self.softmax_ = "exact" if exact else "sampled"
        self.timings_ = {k: v for k, v in sw.timings().items() if k != "total"}
        return self

    # -- checkpoints ----------------------------------------------------------------------
    def _fingerprint(self, cascades: Cascades, seed: int) -> str:
        h = hashlib.sha256()
        for a in (cascades.offsets, cascades.users, cascades.times):
            h.update(np.ascontiguousarray(a).tobytes())
        p = {k: v for k, v in self.get_params().items() if k not in ("checkpoint", "progress",
                                                                      "epochs")}
        h.update(json.dumps({**p, "seed": seed}, sort_keys=True).encode())
        return h.hexdigest()

    def _load_checkpoint(self, key: str) -> dict | None:
        if self.checkpoint is None or not Path(self.checkpoint).exists():
            return None
        with np.load(self.checkpoint, allow_pickle=False) as z:
            state = {k: z[k] for k in z.files}
        if str(state.get("key")) != key or int(state["epoch"]) > self.epochs:
            return None   # another fit's checkpoint: start afresh (it is overwritten)
        return state

    def _save_checkpoint(self, key: str, epoch: int, O: Any, T: Any, bt: Any, bc: Any,  # noqa: ANN401
                         losses: list) -> None:
        if self.checkpoint is None:
            return
        with atomic_open(self.checkpoint, "wb") as f:
            np.savez(f, key=np.asarray(key), epoch=np.asarray(epoch), O=O.cpu().numpy(),
                     T=T.cpu().numpy(), bt=bt.cpu().numpy(), bc=bc.cpu().numpy(),
                     losses=np.asarray(losses, dtype=np.float64).reshape(-1, 2))

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fitted model to ``path`` (``.npz``, no pickles), atomically."""
        self._require_fitted("save")
        labels = np.asarray([str(x) for x in self.labels_.tolist()]) \
            if self.labels_.dtype == object else self.labels_
        params = {k: (str(v) if k == "checkpoint" and v is not None else v)
                  for k, v in self.get_params().items()}
        with atomic_open(path, "wb") as f:
            np.savez(f, influencer=self.influencer_, susceptible=self.susceptible_,
                     target_bias=self.target_bias_, size_bias=np.asarray(self.size_bias_),
                     initiators=self.initiators_, targets=self.targets_, labels=labels,
                     labels_are_str=np.asarray(self.labels_.dtype == object),
                     losses=np.asarray(self.losses_, dtype=np.float64).reshape(-1, 2),
                     meta=np.asarray(json.dumps({"params": params, "softmax": self.softmax_,
                                                 "timings": self.timings_})))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> InfectorModel:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            m = cls(**meta["params"])
            m.influencer_, m.susceptible_ = z["influencer"], z["susceptible"]
            m.target_bias_, m.size_bias_ = z["target_bias"], float(z["size_bias"])
            m.initiators_, m.targets_ = z["initiators"], z["targets"]
            lab = z["labels"]
            m.labels_ = lab.astype(object) if bool(z["labels_are_str"]) else lab
            m.losses_ = [tuple(x) for x in z["losses"].tolist()]
        m.softmax_, m.timings_ = meta["softmax"], meta["timings"]
        return m

    def _require_fitted(self, what: str) -> None:
        if not hasattr(self, "influencer_"):
            raise InvalidParameterError(f"InfectorModel.{what}: the model is not fitted; "
                                        "call fit(cascades) first.", param="self", value=None)

    def __repr__(self) -> str:
        fitted = "" if not hasattr(self, "influencer_") else \
            f", I={self.influencer_.shape[0]}, N={self.susceptible_.shape[1]}"
        return (f"InfectorModel(embedding_dim={self.embedding_dim}, epochs={self.epochs}, "
                f"learning_rate={self.learning_rate}{fitted})")


def _step_context(O: Any, T: Any, bt: Any, u: int, cols: Any, lr: float,  # noqa: ANN401
                  negatives: np.ndarray | None) -> float:
    """One SGD step on the mean cross-entropy of (u, v) for the context columns ``cols``."""
    torch = _torch()
    o = O[u].clone()
    m = cols.numel()
    if negatives is None:                           # exact softmax over all N targets
        z = o @ T + bt
        logp = torch.log_softmax(z, 0)
        loss = -logp[cols].mean()
        g = logp.exp()
        g.index_add_(0, cols, torch.full((m,), -1.0 / m, dtype=g.dtype, device=g.device))
        O[u] -= lr * (T @ g)
        T -= lr * torch.outer(o, g)
        bt -= lr * g
        return float(loss)
    # sampled softmax over the context columns and uniform negatives
    cand, inv = torch.unique(torch.cat([cols, torch.as_tensor(negatives, device=cols.device)]),
                             return_inverse=True)
    Ts = T[:, cand]
    z = o @ Ts + bt[cand]
    logp = torch.log_softmax(z, 0)
    loss = -logp[inv[:m]].mean()
    g = logp.exp()
    g.index_add_(0, inv[:m], torch.full((m,), -1.0 / m, dtype=g.dtype, device=g.device))
    O[u] -= lr * (Ts @ g)
    T[:, cand] = Ts - lr * torch.outer(o, g)
    bt[cand] -= lr * g
    return float(loss)


def _step_size(O: Any, bc: Any, u: int, y: Any, lr: float) -> float:  # noqa: ANN401
    """One SGD step on ``(y - sigmoid(O_u . 1 + b_c))^2``."""
    torch = _torch()
    s = torch.sigmoid(O[u].sum() + bc)
    d = 2.0 * (s - y) * s * (1.0 - s)              # d loss / d z
    O[u] -= lr * d
    bc -= lr * d
    return float((y - s) ** 2)
