"""IMINFECTOR's seed selection from INFECTOR embeddings (paper Sec. 4, Alg. 1; METHODS.md §1).

Keep the top ``percent`` % initiators by ``||O_u||``; ``lambda_u = ceil(N ||O_u||^2 / sum over
kept ||O_u'||^2)``; ``D`` = row softmax of ``O_kept T`` (float32, no rounding), built in row
blocks under the memory bound; the gain of ``u`` is the sum of its ``lambda_u`` largest D
entries over the still-uninfected columns (0 when ``lambda_u = 0``); CELF; a chosen seed marks
exactly those columns (column *ids*, not positions in the filtered row) infected.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from .._interrupt import checkpoint, interruptible
from .._memory import check as check_memory
from .._memory import guard

__all__ = ["keep_top", "lambdas", "diffusion_matrix", "top_columns", "celf_select"]

_BLOCK_BYTES = 32 * 2**20    # temporary logits per row block


def keep_top(O: np.ndarray, percent: float, at_least: int = 0) -> np.ndarray:
    """Rows of the top ``percent`` % of ``O`` by norm (ceil, at least ``at_least``), best first.

    Ties are broken by row index (stable), so the order is reproducible.
    """
    norms = np.linalg.norm(O.astype(np.float64), axis=1)
    n_keep = min(O.shape[0], max(int(math.ceil(percent / 100.0 * O.shape[0])), int(at_least)))
    order = np.lexsort((np.arange(O.shape[0]), -norms))
    return order[:n_keep]


def lambdas(O_kept: np.ndarray, n_columns: int) -> np.ndarray:
    """``lambda_u = ceil(N ||O_u||^2 / sum_u' ||O_u'||^2)``, capped at ``N`` (int64)."""
    sq = np.einsum("ij,ij->i", O_kept.astype(np.float64), O_kept.astype(np.float64))
    total = sq.sum()
    if total <= 0:
        return np.zeros(sq.size, dtype=np.int64)
    return np.minimum(np.ceil(n_columns * sq / total), n_columns).astype(np.int64)


def diffusion_matrix(O_kept: np.ndarray, T: np.ndarray, *, limit: int,
                     func: str = "iminfector") -> np.ndarray:
    """Row softmax of ``O_kept @ T`` as float32, built in row blocks under ``limit`` bytes."""
    rows, n = O_kept.shape[0], T.shape[1]
    need = 4.0 * rows * n + _BLOCK_BYTES
    check_memory(func, need, limit, what=f"the diffusion matrix D ({rows:,} x {n:,} float32)",
                 hint="keep fewer initiators (a smaller percent) or raise max_memory")
    block = max(1, min(rows, _BLOCK_BYTES // max(1, 8 * n)))
    with guard(func, what="the diffusion matrix D",
               hint="keep fewer initiators (a smaller percent) or raise max_memory"):
        D = np.empty((rows, n), dtype=np.float32)
        Td = T.astype(np.float64)
        with interruptible():
            for a in range(0, rows, block):
                z = O_kept[a:a + block].astype(np.float64) @ Td
                z -= z.max(axis=1, keepdims=True)
                np.exp(z, out=z)
                z /= z.sum(axis=1, keepdims=True)
                D[a:a + block] = z
                checkpoint()
    return D


def top_columns(row: np.ndarray, free: np.ndarray, lam: int) -> tuple[float, np.ndarray]:
    """Sum and column ids of the ``lam`` largest entries of ``row`` among ``free`` columns.

    Ties go to the smaller column id. ``free`` is a boolean mask over all columns; the ids
    returned index ``row`` itself (the authors' code used positions in the filtered row).
    """
    cols = np.flatnonzero(free)
    lam = min(int(lam), cols.size)
    if lam <= 0:
        return 0.0, np.zeros(0, dtype=np.int64)
    vals = row[cols]
    if lam < cols.size:
        # the lam largest values by (-value, column): partition, then settle ties at the cut
        cut = np.partition(vals, cols.size - lam)[cols.size - lam]
        above = np.flatnonzero(vals > cut)
        at = np.flatnonzero(vals == cut)[:lam - above.size]
        pick = np.concatenate([above, at])
    else:
        pick = np.arange(cols.size)
    return float(vals[pick].astype(np.float64).sum()), cols[pick]


def celf_select(D: np.ndarray, lam: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, int]:
    """CELF over the rows of ``D``: return (chosen rows in order, their gains, evaluations)."""
    rows, n = D.shape
    free = np.ones(n, dtype=bool)
    heap = []
    evals = 0
    with interruptible():
        for r in range(rows):
            g, _ = top_columns(D[r], free, lam[r])
            evals += 1
            heap.append((-g, r, 0))
            if r % 256 == 255:
                checkpoint()
        heapq.heapify(heap)
        chosen: list[int] = []
        gains: list[float] = []
        while len(chosen) < k and heap:
            neg, r, stamp = heapq.heappop(heap)
            if stamp == len(chosen):
                g, cols = top_columns(D[r], free, lam[r])
                free[cols] = False
                chosen.append(r)
                gains.append(g)
                continue
            g, _ = top_columns(D[r], free, lam[r])
            evals += 1
            heapq.heappush(heap, (-g, r, len(chosen)))
            checkpoint()
    return np.asarray(chosen, dtype=np.int64), np.asarray(gains), evals
