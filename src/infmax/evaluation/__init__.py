"""Metrics over seed sets, and the pieces every experiment shares.

DNI on held-out cascades (:func:`dni`, :func:`dni_curve`); the diversity of a seed set's
categorical profiles and the overlap of seed sets (:mod:`.diversity_metrics`: value entropy,
value coverage, overlap); the resumable output folder of an experiment
(:class:`~infmax.evaluation.journal.Journal`).
"""

from .diversity_metrics import (
    max_attribute_diversity,
    overlap,
    overlap_matrix,
    penalised_entropy,
    value_counts,
    value_coverage,
    value_entropy,
)
from .dni import DNIEstimate, dni, dni_curve
from .journal import Journal

__all__ = ["DNIEstimate", "dni", "dni_curve", "Journal", "value_entropy", "value_coverage",
           "penalised_entropy", "max_attribute_diversity", "overlap", "overlap_matrix",
           "value_counts"]
