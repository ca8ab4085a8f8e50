"""INFECTOR's training data: initiator contexts drawn by copying time (METHODS.md section 1).

For a cascade started by ``u`` at ``t_u`` with participants ``v`` (the initiator excluded),
``round(factor * |C|)`` context nodes are drawn with replacement, ``P(v) ∝ 1 / (|t_v - t_u| + 1)``
(``factor`` = 1.2, the paper's 120 % oversampling; ``|C|`` counts the initiator). The size label
is ``|C|`` min-max normalised over the trainable cascades. All cascades are drawn at once with
one uniform per draw (inverse CDF on the per-cascade cumulative weights).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..graph.cascades import Cascades

__all__ = ["Contexts", "TrainingPairs", "context_probabilities", "sample_contexts",
           "training_pairs"]


class Contexts(NamedTuple):
    """Drawn contexts of the trainable cascades, in cascade order.

    Attributes
    ----------
    cascade : ndarray of int64
        Index (into the collection) of each trainable cascade.
    initiator : ndarray of int32
        Its initiator's id.
    offsets : ndarray of int64
        Context of trainable cascade ``i`` is ``nodes[offsets[i]:offsets[i + 1]]``.
    nodes : ndarray of int32
        Drawn context node ids.
    size_label : ndarray of float32
        Min-max normalised cascade size (0 when all sizes are equal).
    """

    cascade: np.ndarray
    initiator: np.ndarray
    offsets: np.ndarray
    nodes: np.ndarray
    size_label: np.ndarray


def context_probabilities(times: np.ndarray) -> np.ndarray:
    """Return ``P(v)`` over the participants ``times[1:]`` of one cascade (``times[0]``: u)."""
    w = 1.0 / (np.abs(np.asarray(times[1:], dtype=np.float64) - float(times[0])) + 1.0)
    return w / w.sum()


def sample_contexts(cascades: Cascades, rng: np.random.Generator,
                    factor: float = 1.2) -> Contexts:
    """Draw the context of every trainable cascade (at least 2 users) of ``cascades``."""
    idx = np.flatnonzero(cascades.trainable).astype(np.int64)
    sizes = cascades.sizes[idx]
    starts = cascades.offsets[idx]
    draws = np.rint(factor * sizes).astype(np.int64)
    # participants (initiator excluded) of the trainable cascades, flat
    n_part = sizes - 1
    p_off = np.zeros(idx.size + 1, dtype=np.int64)
    np.cumsum(n_part, out=p_off[1:])
    pos = (np.repeat(starts + 1 - p_off[:-1], n_part) + np.arange(p_off[-1], dtype=np.int64))
    t0 = np.repeat(cascades.times[starts], n_part)
    w = 1.0 / (np.abs(cascades.times[pos] - t0) + 1.0)
    cw = np.cumsum(w)
    base = np.concatenate([[0.0], cw])[p_off[:-1]]           # cumulative weight before each
    total = cw[p_off[1:] - 1] - base
    c_off = np.zeros(idx.size + 1, dtype=np.int64)
    np.cumsum(draws, out=c_off[1:])
    owner = np.repeat(np.arange(idx.size), draws)
    u = rng.random(int(c_off[-1]))
    target = base[owner] + u * total[owner]
    hit = np.searchsorted(cw, target, side="right")
    # stay inside the owner's segment (guards float round-off at the segment's end)
    hit = np.clip(hit, p_off[:-1][owner], p_off[1:][owner] - 1)
    nodes = cascades.users[pos[hit]].astype(np.int32)
    lo, hi = (int(sizes.min()), int(sizes.max())) if sizes.size else (0, 0)
    label = ((sizes - lo) / (hi - lo) if hi > lo else np.zeros(sizes.size)).astype(np.float32)
    return Contexts(idx, cascades.users[starts].astype(np.int32), c_off, nodes, label)


class TrainingPairs(NamedTuple):
    """Contexts indexed for an embedding model's matrices.

    Attributes
    ----------
    contexts : Contexts
        The drawn contexts.
    initiators, targets : ndarray
        Ids of the initiators (rows of the source matrix) and of every user (columns of the
        target matrix), ascending.
    row : ndarray of int64
        Row of each trainable cascade's initiator.
    col : ndarray of int64
        Column of each drawn context node.
    """

    contexts: Contexts
    initiators: np.ndarray
    targets: np.ndarray
    row: np.ndarray
    col: np.ndarray


def training_pairs(cascades: Cascades, seed: int, factor: float) -> TrainingPairs:
    """Draw the contexts of ``cascades`` (stream ``[seed, 0]``) and index them."""
    ctx = sample_contexts(cascades, np.random.default_rng([seed, 0]), factor)
    initiators = np.unique(ctx.initiator)
    targets = np.unique(cascades.users)
    return TrainingPairs(ctx, initiators, targets,
                         np.searchsorted(initiators, ctx.initiator).astype(np.int64),
                         np.searchsorted(targets, ctx.nodes).astype(np.int64))
