"""Kernels between seed sets for the BOPIM Gaussian process (Hamming and Jaccard).

Both are positive semi-definite; the GP adds ``delta = 0.01`` to the diagonal of the Gram
matrix (paper eq. 3-4). A kernel turns each seed set into a row of a representation matrix
``R`` (``N x n``); ``cross(R, S)`` gives the kernel values of a new set against every row and
``swap_cross(R, S, j, cands)`` those of all sets ``S - {S[j]} + {v}``, ``v in cands``, in one
vectorised step (this is what makes the greedy-swap acquisition optimiser fast).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import InvalidParameterError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..graph.temporal import TemporalGraph
    from .acquisition import GPSurrogate

__all__ = ["HammingKernel", "JaccardKernel", "make_kernel", "KERNELS"]

KERNELS = ("hamming", "jaccard")


class HammingKernel:
    """``k(S, S') = 1 - H(x_S, x_S') / (2k) = |S ∩ S'| / k`` for sets of size ``k``.

    ``H`` is the Hamming distance of the 0/1 indicator vectors (paper eq. 3). It is a scaled Gram
    matrix of indicator vectors, hence PSD (paper, Supplement 1). ``R`` is the indicator matrix.
    """

    name = "hamming"

    def __init__(self, n: int, k: int) -> None:
        self.n, self.k = int(n), int(k)

    def represent(self, sets: Sequence[ArrayLike]) -> np.ndarray:
        """Return the ``N x n`` 0/1 indicator matrix of the seed sets."""
        R = np.zeros((len(sets), self.n), dtype=np.float64)
        for i, s in enumerate(sets):
            R[i, s] = 1.0
        return R

    def gram(self, R: np.ndarray) -> np.ndarray:
        """Return the kernel matrix of the represented sets ``R``."""
        return (R @ R.T) / self.k

    def cross(self, R: np.ndarray, S: np.ndarray) -> np.ndarray:
        """Return the kernel values of set ``S`` (int ids) against the represented sets."""
        return R[:, S].sum(axis=1) / self.k

    def swap_cross(self, R: np.ndarray, S: np.ndarray, j: int, cands: np.ndarray) -> np.ndarray:
        """Return kernel rows of ``S - {S[j]} + {v}`` for each ``v`` in ``cands``."""
        rest = np.delete(S, j)
        base = R[:, rest].sum(axis=1)
        return (base[None, :] + R[:, cands].T) / self.k

    def swap_scores(self, sur: GPSurrogate, S: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the posterior mean and ``k*' V^-1 k*`` of ``S - {S[j]} + {v}`` for all ``v``.

        This takes ``O(n N)``: with ``b`` the overlap counts of ``S - {S[j]}`` with the
        evaluated sets and ``x_v`` the column of node ``v``, ``k* = (b + x_v) / k``.
        """
        cache = sur.kernel_cache
        if "ham" not in cache:
            XT = np.ascontiguousarray(sur.X.T)
            P = XT @ sur.Vinv
            cache["ham"] = (XT @ sur.alpha, P, np.einsum("ij,ij->i", P, XT))
        xa, P, d = cache["ham"]
        b = sur.X[:, S].sum(axis=1) - sur.X[:, S[j]]
        kk = float(self.k)
        mean = (sur.ybar + sur.mu + (b @ sur.alpha) / kk) + xa / kk
        q = (b @ (sur.Vinv @ b) + 2.0 * (P @ b) + d) / (kk * kk)
        return mean, q

    def best_swap(self, sur: GPSurrogate, S: np.ndarray, j: int, incumbent: float,
                  blocked: np.ndarray) -> tuple[int, float]:
        """Best augmented EI over ``S - {S[j]} + {v}``, ``v`` not blocked: ``(v, value)``.

        Same quantities as :meth:`swap_scores`, fused into one numba loop over the nodes
        (no temporary arrays of length ``n``).
        The EI uses the latent variance ``sigma^2 (1 - q)`` (no noise term).
        """
        from ._kernels import best_hamming_swap

        if "ham" not in sur.kernel_cache:
            self.swap_scores(sur, S, j)
        xa, P, d = sur.kernel_cache["ham"]
        b = sur.X[:, S].sum(axis=1) - sur.X[:, S[j]]
        kk = float(self.k)
        c0 = sur.ybar + sur.mu + float(b @ sur.alpha) / kk
        bvb = float(b @ (sur.Vinv @ b))
        return best_hamming_swap(P, xa, d, b, c0, bvb, kk, sur.sigma2,
                                 float(incumbent), blocked)


class JaccardKernel:
    """Jaccard coefficient of the seed sets' closed neighbourhoods (paper eq. 4).

    ``N[S] = S ∪ {neighbours of S}`` in snapshot ``snapshot`` (the paper and the authors' code use
    the first snapshot, ``snapshot=0``) or in the aggregated static graph (``snapshot=None``);
    ``k(S, S') = |N[S] ∩ N[S']| / |N[S] ∪ N[S']|``. The Jaccard (Tanimoto) matrix of sets is PSD
    (Bouchard, Jousselme & Doré 2013). ``R`` holds the 0/1 neighbourhood indicators.

    Deviation from the authors' code: their ``find_n`` follows only ``v1 -> v2`` rows of the edge
    list, which for undirected contact data misses half of the neighbours; here an undirected
    snapshot gives neighbours in both directions.
    """

    name = "jaccard"

    def __init__(self, TG: TemporalGraph, snapshot: int | None = 0) -> None:
        import scipy.sparse as sp

        n = TG.n
        if snapshot is None:
            G = TG.to_static()
            indptr, indices = G.indptr, G.indices
        else:
            lo = snapshot * n
            ptr = TG.indptr[lo:lo + n + 1]
            indptr = ptr - ptr[0]
            indices = TG.indices[ptr[0]:ptr[-1]]
        A = sp.csr_matrix((np.ones(indices.shape[0]), indices, indptr), shape=(n, n))
        A = A + sp.identity(n, format="csr")
        A.data[:] = 1.0
        self.A = A.tocsr()
        self.n = n
        self.snapshot = snapshot

    def neighbourhood(self, S: np.ndarray) -> np.ndarray:
        """Return the boolean mask of ``S`` and its neighbours in the snapshot."""
        return np.asarray(self.A[np.asarray(S)].sum(axis=0)).ravel() > 0

    def represent(self, sets: Sequence[ArrayLike]) -> np.ndarray:
        """Return the ``N x n`` 0/1 neighbourhood-indicator matrix of the seed sets."""
        R = np.zeros((len(sets), self.n), dtype=np.float64)
        for i, s in enumerate(sets):
            R[i] = self.neighbourhood(s)
        return R

    def gram(self, R: np.ndarray) -> np.ndarray:
        """Return the Jaccard kernel matrix of the represented sets ``R``."""
        inter = R @ R.T
        size = R.sum(axis=1)
        return inter / (size[:, None] + size[None, :] - inter)

    def cross(self, R: np.ndarray, S: np.ndarray) -> np.ndarray:
        """Return the Jaccard kernel values of set ``S`` against the represented sets."""
        nb = self.neighbourhood(S).astype(np.float64)
        inter = R @ nb
        return inter / (nb.sum() + R.sum(axis=1) - inter)

    def swap_cross(self, R: np.ndarray, S: np.ndarray, j: int, cands: np.ndarray) -> np.ndarray:
        """Return kernel rows of ``S - {S[j]} + {v}`` for each ``v`` in ``cands``."""
        return self._swap_all(R, S, j)[cands]

    def _swap_all(self, R: np.ndarray, S: np.ndarray, j: int,
                  RT: np.ndarray | None = None) -> np.ndarray:
        rest = np.delete(S, j)
        base = (self.neighbourhood(rest) if rest.shape[0] else np.zeros(self.n, bool))
        notb = (~base).astype(np.float64)
        RT = R.T if RT is None else RT
        # all rows of A at once: one sparse-dense product
        inter = (R @ base.astype(np.float64))[None, :] + self.A @ (RT * notb[:, None])
        size = base.sum() + self.A @ notb
        return inter / (size[:, None] + R.sum(axis=1)[None, :] - inter)

    def swap_scores(self, sur: GPSurrogate, S: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and ``k*' V^-1 k*`` of ``S - {S[j]} + {v}`` for every node ``v``."""
        cache = sur.kernel_cache
        if "RT" not in cache:
            cache["RT"] = np.ascontiguousarray(sur.R.T)
        kc = self._swap_all(sur.R, S, j, cache["RT"])
        mean = sur.ybar + sur.mu + kc @ sur.alpha
        q = np.einsum("ij,ij->i", kc @ sur.Vinv, kc)
        return mean, q


def make_kernel(kernel: str | HammingKernel | JaccardKernel, TG: TemporalGraph, k: int, *,
                snapshot: int | None = 0,
                func: str = "bopim") -> HammingKernel | JaccardKernel:
    """Resolve ``"hamming"`` / ``"jaccard"`` (or an instance) into a kernel object."""
    if isinstance(kernel, (HammingKernel, JaccardKernel)):
        return kernel
    if isinstance(kernel, str) and kernel.lower() in KERNELS:
        if kernel.lower() == "hamming":
            return HammingKernel(TG.n, k)
        return JaccardKernel(TG, snapshot)
    raise InvalidParameterError(
        f"The 'kernel' parameter of {func} must be one of 'hamming', 'jaccard'. Got {kernel!r}.",
        param="kernel", value=kernel)
