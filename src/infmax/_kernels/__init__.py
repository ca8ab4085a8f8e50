"""numba kernels: arrays and seeds in, arrays out. No validation, no Python objects.

Submodules: ``_rng`` (per-block SplitMix64 streams), ``forward`` (IC / LT / triggering
Monte Carlo), ``reverse`` (RR-set sampling), ``coverage`` (greedy max coverage),
``temporal`` (SI on snapshots).
"""
