"""Named datasets and synthetic graph generators.

Datasets: ``list()``, ``info(name)``, ``path(name)``, ``load(name, ...)``,
``resolve(name_or_path, kind=...)`` (a file or a dataset name); synthetic generators:
Erdos-Renyi, Barabasi-Albert, stochastic block model, and for large graphs R-MAT (Graph500
parameters) and Chung-Lu in numba.

Examples
--------
>>> import infmax as im
>>> "nethept" in im.datasets.list()
True
"""

from __future__ import annotations

from . import cascades as _cascades_catalog  # noqa: F401  (registers the cascade datasets)
from . import catalog as _catalog  # noqa: F401  (registers the static graph datasets)
from . import temporal as _temporal_catalog  # noqa: F401  (registers the temporal datasets)
from ._registry import (
                        DataFile,
                        DatasetSpec,
                        cache_dir,
                        data_dir,
                        get_spec,
                        info,
                        list,
                        load,
                        loader_keywords,
                        path,
                        register,
)
from ._resolve import resolve

#: the generators load on first use (their numba kernels are not needed to load a dataset)
_SYNTHETIC = ("erdos_renyi", "barabasi_albert", "stochastic_block", "rmat", "rmat_edges",
              "chung_lu")

__all__ = ["DataFile", "DatasetSpec", "register", "list", "info", "path", "load", "resolve",
           "data_dir",
           "cache_dir", "get_spec", "loader_keywords", "erdos_renyi", "barabasi_albert",
           "stochastic_block", "rmat", "rmat_edges", "chung_lu"]


def __getattr__(name: str) -> object:
    if name in _SYNTHETIC or name == "synthetic":
        import importlib

        synthetic = importlib.import_module(f"{__name__}.synthetic")
        return synthetic if name == "synthetic" else getattr(synthetic, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SYNTHETIC) | {"synthetic"})
