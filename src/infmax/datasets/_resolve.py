"""``resolve``: one place that decides whether an input names a file or a registered dataset."""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
import re
from pathlib import Path
from typing import Any

from ..exceptions import DatasetNotFoundError, InvalidParameterError
from ._registry import KIND_USE, KINDS, get_spec, load
from ._registry import list as names_of

__all__ = ["resolve", "FILE_READERS", "BINARY_KEYWORDS"]

#: per input kind, the function that reads a file of that kind (``module:function``); a kind
#: without one is read only from registered datasets
FILE_READERS = {
    "graph": "infmax.graph.readers:read_edgelist",
    "temporal": "infmax.datasets.temporal:read_contacts",
    "cascades": "infmax.datasets.cascades:read_cascades",
}

_DATED = re.compile(r"(.*-)\d{4}-\d{2}-\d{2}\Z")


def _reader(kind: str):
    mod, _, fn = FILE_READERS[kind].partition(":")
    return getattr(importlib.import_module(mod), fn)


def _names(kind: str | None) -> str:
    """List the registered names of ``kind``, one entry per family of dated datasets.

    The family ``infectious-YYYY-MM-DD`` stands for the 69 days of the Infectious exhibition.
    """
    out: list[str] = []
    for name in names_of(kind):
        m = _DATED.match(name)
        entry = f"{m.group(1)}YYYY-MM-DD" if m else name
        if entry not in out:
            out.append(entry)
    return ", ".join(out) if out else "none"


def _reader_keywords(kind: str) -> list[str]:
    params = list(inspect.signature(_reader(kind)).parameters.values())[1:]
    return [q.name for q in params if q.kind in (q.POSITIONAL_OR_KEYWORD, q.KEYWORD_ONLY)]


def _check_file_keywords(kind: str, kwargs: dict, func: str) -> None:
    """Reject a keyword the file reader of ``kind`` does not take.

    The InvalidParameterError names it and the valid ones (rather than a TypeError from deep
    inside).
    """
    valid = _reader_keywords(kind)
    for key, value in kwargs.items():
        if key not in valid:
            other = [k for k in FILE_READERS if k != kind and key in _reader_keywords(k)]
            close = difflib.get_close_matches(key, valid, n=1)
            if other:
                hint = f" ({key!r} is a keyword of {other[0]} files: pass kind={other[0]!r})"
            else:
                hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InvalidParameterError(
                f"The {key!r} parameter of {func} does not apply to a {kind} file{hint}. "
                f"Valid keywords: {', '.join(map(repr, valid))}.", param=key, value=value)


#: the keywords a binary graph file takes (the rest describe text parsing)
BINARY_KEYWORDS = ("weights", "p", "rng", "directed", "mmap", "verify")


def _is_binary_graph(path: str) -> bool:
    from ..graph.binary import is_binary

    return is_binary(path)


def _load_binary(path: str, func: str, kwargs: dict) -> Any:  # noqa: ANN401  (a DiGraph)
    """Load a binary graph file (:func:`infmax.graph.load`), reweighted when ``weights`` is given.

    ``directed=False`` is accepted for a graph saved undirected; the orientation of a saved
    directed graph cannot be changed (convert the edge list again with ``--undirected``).
    """
    from ..graph import load as load_binary

    for key, value in kwargs.items():
        if key not in BINARY_KEYWORDS:
            raise InvalidParameterError(
                f"The {key!r} parameter of {func} does not apply to the binary graph file "
                f"{path!r} (it holds a parsed graph). Valid keywords: "
                f"{', '.join(map(repr, BINARY_KEYWORDS))}.", param=key, value=value)
    G = load_binary(path, mmap=kwargs.get("mmap", True), verify=kwargs.get("verify", True))
    directed = kwargs.get("directed")
    if directed is not None and bool(directed) != G.directed:
        saved = "directed" if G.directed else "undirected"
        raise InvalidParameterError(
            f"The 'directed' parameter of {func} cannot change the binary graph {path!r}, "
            f"which was saved {saved}; convert the edge list again "
            f"({'--undirected' if G.directed else '--directed'}). Got {directed!r}.",
            param="directed", value=directed)
    weights = kwargs.get("weights")
    if weights is not None and not (isinstance(weights, str) and weights.lower() == "auto"):
        G = G.reweight(weights, rng=kwargs.get("rng"), p=kwargs.get("p"))
    return G


def resolve(name_or_path: str | os.PathLike[str], *, kind: str | None = "graph",
            data_dir: str | os.PathLike[str] | None = None, download: bool = True,
            progress: bool | None = None, func: str = "datasets.resolve",
            param: str = "name_or_path",
            **load_kwargs: Any) -> Any:  # noqa: ANN401  (a file reader's or loader's result)
    r"""Load an input that is either an existing file or a registered dataset name.

    An existing path is read as a file of ``kind`` (an edge list or a binary graph written by
    :meth:`infmax.graph.DiGraph.save` / ``infmax convert`` for ``"graph"``, a contact file
    for ``"temporal"``), even when a dataset has the same name; anything else must be a
    registered dataset name (or alias, any case) of ``kind``. A binary graph is
    memory-mapped; it takes the keywords ``weights`` (and ``p``, ``rng``: reweight it),
    ``directed`` (must match how it was saved), ``mmap`` and ``verify``.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A file, or the name of a registered dataset (:func:`infmax.datasets.list`).
    kind : {"graph", "temporal", "cascades"} or None, default "graph"
        What the caller expects. ``None`` accepts a dataset of any kind but cannot read a file
        (the kind says which reader to use). A cascade file needs ``format=``
        (:func:`infmax.datasets.cascades.read_cascades`).
    data_dir, download, progress
        As in :func:`infmax.datasets.load`; used only for a dataset name.
    func, param : str
        The function and parameter that error messages name (the CLI passes its own, e.g.
        ``"infmax seeds"`` and ``"GRAPH"``).
    **load_kwargs
        For a file, the keywords of its reader (:func:`infmax.read_edgelist`:
        ``weights``, ``directed``, ``rng``, ...; :func:`infmax.datasets.temporal.read_contacts`:
        ``format``, ``snapshots``, ``binning``, ...); for a dataset, those of
        :func:`infmax.datasets.load` for it. The two sets agree for each kind (temporal
        datasets take ``format`` as ``"auto"`` or their own format).

    Returns
    -------
    (object, dict)
        The loaded ``DiGraph`` / ``TemporalGraph`` / ..., and its provenance:
        ``{"file": path}`` or ``{"dataset": canonical name}``.

    Raises
    ------
    InvalidParameterError
        A directory; a name or path of the wrong type; a file with ``kind=None`` or of a kind
        without a file reader; a dataset of another kind (saying what it is for); a keyword the
        reader or loader does not take.
    DatasetNotFoundError
        Neither an existing file nor a registered dataset (the message lists the registered
        names of ``kind`` and a close match).

    Examples
    --------
    >>> import infmax as im, os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "g.txt")
    >>> _ = open(f, "w").write("1 2\n2 3\n")
    >>> G, src = im.datasets.resolve(f, weights="uniform:0.1")
    >>> G, src == {"file": f}
    (DiGraph(n=3, m=2, weights='uniform:0.1', directed=True), True)
    """
    if kind is not None and kind not in KINDS:
        raise InvalidParameterError(
            f"The 'kind' parameter of {func} must be one of {', '.join(map(repr, KINDS))} or "
            f"None. Got {kind!r}.", param="kind", value=kind)
    if "path" in load_kwargs:
        raise InvalidParameterError(
            f"The 'path' parameter does not apply to {func}: pass the file itself as "
            f"{param}.", param="path", value=load_kwargs["path"])
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise InvalidParameterError(
            f"The '{param}' parameter of {func} must be a file path or a dataset name (a "
            f"string). Got {type(name_or_path).__name__} {name_or_path!r}.", param=param,
            value=name_or_path)
    text = os.fspath(name_or_path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    what = "a file or a dataset name" if kind is None else f"a {kind} file or {kind} dataset name"
    if os.path.isdir(text):
        raise InvalidParameterError(
            f"The '{param}' parameter of {func} must be {what}. Got the directory {text!r}.",
            param=param, value=text)
    if os.path.exists(text):
        if kind is None or kind not in FILE_READERS:
            readable = " or ".join(map(repr, FILE_READERS))
            raise InvalidParameterError(
                f"The 'kind' parameter of {func} must be {readable} to read the file {text!r} "
                f"(the kinds with a file reader; {kind!r} inputs come from registered datasets "
                f"only). Got {kind!r}.", param="kind", value=kind)
        if kind == "graph" and _is_binary_graph(text):
            return _load_binary(text, func, load_kwargs), {"file": str(Path(text))}
        _check_file_keywords(kind, load_kwargs, func)
        return _reader(kind)(text, **load_kwargs), {"file": str(Path(text))}
    if not isinstance(name_or_path, str):
        raise DatasetNotFoundError(
            f"The '{param}' parameter of {func} names {text!r}, which does not exist.")
    try:
        spec = get_spec(text)
    except DatasetNotFoundError:
        close = difflib.get_close_matches(text.lower(), names_of(kind), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise DatasetNotFoundError(
            f"The '{param}' parameter of {func} must be {what}. {text!r} is neither a file nor "
            f"a registered dataset (registered{'' if kind is None else ' ' + kind} datasets: "
            f"{_names(kind)}).{hint}") from None
    if kind is not None and spec.kind != kind:
        raise InvalidParameterError(
            f"The '{param}' parameter of {func} must be {what}. Got {text!r}, a {spec.kind} "
            f"dataset ({KIND_USE[spec.kind]}); {kind} datasets: {_names(kind)}.",
            param=param, value=text)
    obj = load(spec.name, data_dir=data_dir, download=download, progress=progress,
               **load_kwargs)
    return obj, {"dataset": spec.name}
