"""Metrics over seed sets: DNI on held-out cascades (:func:`dni`, :func:`dni_curve`)."""

from .dni import DNIEstimate, dni, dni_curve

__all__ = ["DNIEstimate", "dni", "dni_curve"]
