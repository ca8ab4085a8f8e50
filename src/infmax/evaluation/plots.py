"""What every figure of the toolkit shares: matplotlib on the Agg backend, PNG written atomically.

The experiments' own figures live in their packages' ``plots`` modules (the only modules that
may import matplotlib); they take ``pyplot()`` and ``save_png`` from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._io import atomic_open
from ..exceptions import MissingDependencyError

__all__ = ["pyplot", "save_png"]


def pyplot() -> Any:  # noqa: ANN401 - the matplotlib.pyplot module
    """Return ``matplotlib.pyplot`` on the Agg backend (no screen needed).

    Raises
    ------
    MissingDependencyError
        When matplotlib is not installed (``pip install 'infmax[plot]'``).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - matplotlib is in the dev/all extras
        raise MissingDependencyError(
            "Plots need matplotlib: pip install 'infmax[plot]'") from e
    return plt


def save_png(fig: Any, path: str | os.PathLike[str]) -> Path:  # noqa: ANN401 - a Figure
    """Write ``fig`` to ``path`` as a PNG (120 dpi, tight box), atomically; close it."""
    with atomic_open(path, "wb", encoding=None) as f:
        fig.savefig(f, format="png", dpi=120, bbox_inches="tight")
    pyplot().close(fig)
    return Path(path)
