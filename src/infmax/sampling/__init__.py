"""Reverse influence sampling: RR sets and their compact store.

- :func:`sample_rr_sets` draws reverse-reachable sets for IC or LT, with uniform or weighted
  roots, in parallel over fixed blocks (identical output for any thread count);
- :class:`RRSets` holds them as one flat int32 CSR with a lazily built inverted index and
  estimates spreads by coverage (``L * hit fraction``);
- :class:`RRSetOracle` wraps a collection as a spread oracle for ``celf`` / ``greedy``.
"""

from ._rrsets import (
    BLOCK_SIZE,
    RRSetOracle,
    RRSets,
    check_node_weights,
    check_rr_model,
    sample_rr_sets,
)

__all__ = ["RRSets", "RRSetOracle", "sample_rr_sets", "check_node_weights", "check_rr_model",
           "BLOCK_SIZE"]
