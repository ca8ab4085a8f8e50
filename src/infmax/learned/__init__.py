"""Learning influence from cascades: INFECTOR embeddings and IMINFECTOR seed selection.

The only package that imports torch (lazily: ``import infmax.learned`` does not load it; the
first ``fit`` does). See ``docs/learned.md``.

Quick tour::

    import infmax as im
    train, test = im.split_by_time(im.datasets.load("android"))
    res = im.iminfector(train, 50, rng=1)          # trains INFECTOR (5 epochs), then CELF
    im.dni(res.seeds, test)
"""

from __future__ import annotations

from ..algorithms.registry import register as _register
from .iminfector import iminfector
from .infector import InfectorModel

__all__ = ["InfectorModel", "iminfector"]

_register(iminfector, name="iminfector", input="cascades",
          test_kwargs={"epochs": 1, "embedding_dim": 8})
