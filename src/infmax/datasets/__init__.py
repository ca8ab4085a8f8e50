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
from .synthetic import barabasi_albert, chung_lu, erdos_renyi, rmat, rmat_edges, stochastic_block

__all__ = ["DataFile", "DatasetSpec", "register", "list", "info", "path", "load", "resolve",
           "data_dir",
           "cache_dir", "get_spec", "loader_keywords", "erdos_renyi", "barabasi_albert",
           "stochastic_block", "rmat", "rmat_edges", "chung_lu"]
