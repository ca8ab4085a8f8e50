"""Reverse influence sampling: RR sets and their compact store.

- :func:`sample_rr_sets` draws reverse-reachable sets for IC or LT, with uniform or weighted
  roots, in parallel over fixed blocks (identical output for any thread count);
- :class:`RRSets` holds them as one flat int32 CSR with a lazily built inverted index and
  estimates spreads by coverage (``L * hit fraction``);
- :class:`RRSetOracle` wraps a collection as a spread oracle for ``celf`` / ``greedy``;
- :class:`ShardedRRSets` keeps the same collection in shards on the workers of a cluster
  (``infmax.distributed``), with the sharded greedy maximum coverage; :func:`rr_fingerprint`
  hashes a collection of either kind.
"""

from ._rrsets import (
    BLOCK_SIZE,
    RRSetOracle,
    RRSets,
    check_node_weights,
    check_rr_model,
    sample_rr_sets,
)
from ._sharded import SamplingSpec, ShardedRRSets, rr_fingerprint

__all__ = ["RRSets", "RRSetOracle", "sample_rr_sets", "check_node_weights", "check_rr_model",
           "BLOCK_SIZE", "ShardedRRSets", "SamplingSpec",
           "rr_fingerprint"]
