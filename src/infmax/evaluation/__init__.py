"""Metrics over seed sets, and the pieces every experiment shares.

DNI on held-out cascades (:func:`dni`, :func:`dni_curve`); the resumable output folder of an
experiment (:class:`~infmax.evaluation.journal.Journal`).
"""

from .dni import DNIEstimate, dni, dni_curve
from .journal import Journal

__all__ = ["DNIEstimate", "dni", "dni_curve", "Journal"]
