"""The one registry of seed selectors: names as users type them, resolved to function objects.

Every selector of the toolkit is registered here with its metadata (:class:`SelectorInfo`):
its name and aliases, the kind of input it reads (``"graph"``: a static :class:`DiGraph`;
``"temporal"``: a :class:`TemporalGraph`; ``"cascades"``: observed cascades), the diffusion
models it supports, and whether it takes ``candidates`` and ``node_weights``. The CLI's
``--algorithm``, ``infmax algorithms list``, :mod:`infmax.observability` (which runs any static
selector that takes ``candidates`` on the observable graph) and the conformance test suite all
read it, so a new selector is usable everywhere, and tested, once it is registered.

Optional packages register themselves when imported; the registry imports them (lazily, on the
first lookup of their input kind) so ``import infmax.algorithms`` stays light. A new package
adds its module to :data:`PROVIDERS` and, in its ``__init__.py``, a few lines::

    from ..algorithms.registry import register
    register(infector, name="infector", input="cascades", models=("ic",))

Examples
--------
>>> from infmax.algorithms import registry
>>> registry.get("tim_plus").name
'tim+'
>>> registry.get("bopim", input="temporal").input
'temporal'
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .._validation import check_choice, fail

__all__ = ["SelectorInfo", "INPUT_KINDS", "PROVIDERS", "register", "get", "get_selector",
           "selectors", "names"]

#: what a selector reads: a static DiGraph, a TemporalGraph, or a collection of cascades
INPUT_KINDS = ("graph", "temporal", "cascades")

#: input kind -> modules that register their selectors when imported (imported on first
#: lookup; a provider that is not installed is skipped). ``learned`` and ``targeted`` add
#: their package here.
PROVIDERS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "graph": ("infmax.algorithms.registry", "infmax.targeted"),
    "temporal": ("infmax.temporal",),
    "cascades": ("infmax.learned",),
})


@dataclass(frozen=True)
class SelectorInfo:
    """A registered selector: ``func(G, k, *, ...) -> SeedResult`` and what it accepts.

    Attributes
    ----------
    name : str
        Canonical name (lower case), as ``--algorithm`` takes it.
    func : callable
        The selector function.
    input : {"graph", "temporal", "cascades"}
        The kind of its first argument.
    models : tuple of str
        Diffusion models it supports through its ``model`` keyword (``("ic", "lt")``), or the
        one it assumes (``("si",)`` for temporal selectors); empty for structural heuristics,
        which do not model diffusion.
    candidates, node_weights : bool
        Whether it takes the ``candidates`` / ``node_weights`` keywords (read from its
        signature).
    aliases : tuple of str
        Other accepted spellings.
    summary : str
        One line for ``infmax algorithms list`` (default: the docstring's first line).
    test_kwargs : mapping
        Fast settings for the conformance suite (small simulation counts, loose epsilon).
    """

    name: str
    func: Callable
    input: str
    models: tuple
    candidates: bool
    node_weights: bool
    aliases: tuple = ()
    summary: str = ""
    test_kwargs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Keyword names the function accepts."""
        return tuple(inspect.signature(self.func).parameters)

    def accepts(self, keyword: str) -> bool:
        """Tell whether the selector function takes a parameter named ``keyword``."""
        return keyword in inspect.signature(self.func).parameters

    def to_dict(self) -> dict:
        """JSON-friendly description (used by ``infmax algorithms list --json``)."""
        return {"name": self.name, "input": self.input, "models": list(self.models),
                "candidates": self.candidates, "node_weights": self.node_weights,
                "aliases": list(self.aliases), "function": _qualname(self.func),
                "summary": self.summary}


_ENTRIES: dict[tuple[str, str], SelectorInfo] = {}   # (input, name) -> info
_ALIASES: dict[tuple[str, str], str] = {}            # (input, alias) -> name
_LOADED: set[str] = set()
_BUILTINS_DONE = False


def _qualname(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def register(func: Callable, *, name: str, input: str = "graph", models: Sequence[str] = (),
             aliases: Sequence[str] = (), summary: str | None = None,
             test_kwargs: Mapping[str, Any] | None = None, replace: bool = False) -> SelectorInfo:
    """Register ``func`` under ``name`` for one input kind and return its :class:`SelectorInfo`.

    ``candidates`` / ``node_weights`` support is read from the signature. Registering a name
    (or alias) that is taken by another function raises InvalidParameterError unless
    ``replace``; registering the same function again is a no-op.
    """
    fn = "register"
    if not callable(func):
        fail(fn, "func", "a callable selector", func)
    if not _BUILTINS_DONE and not str(getattr(func, "__module__", "")).startswith(
            "infmax.algorithms"):
        # another package registering first: the built-ins go first, so that the listing
        # order does not depend on which package happened to be imported first
        _register_builtins()
    input = check_choice(fn, "input", input, INPUT_KINDS)
    if not isinstance(name, str) or not name.strip():
        fail(fn, "name", "a non-empty string", name)
    key = name.strip().lower()
    params = inspect.signature(func).parameters
    doc = (inspect.getdoc(func) or "").strip().splitlines()
    info = SelectorInfo(name=key, func=func, input=input, models=tuple(models),
                        candidates="candidates" in params, node_weights="node_weights" in params,
                        aliases=tuple(a.lower() for a in aliases),
                        summary=summary if summary is not None else (doc[0] if doc else ""),
                        test_kwargs=MappingProxyType(dict(test_kwargs or {})))
    old = _ENTRIES.get((input, key))
    if old is not None and old.func is func and not replace:
        return old
    if not replace:
        for word in (key, *info.aliases):
            owner = _ALIASES.get((input, word)) or (word if (input, word) in _ENTRIES else None)
            if owner is not None:
                fail(fn, "name", f"a name not yet taken among the {input} selectors "
                     f"({word!r} belongs to {owner!r}; pass replace=True to override)", word)
    if old is not None:
        for a in old.aliases:
            _ALIASES.pop((input, a), None)
    _ENTRIES[(input, key)] = info
    for a in info.aliases:
        _ALIASES[(input, a)] = key
    return info


def _load(input: str | None) -> None:
    """Import the provider packages of ``input`` (all kinds when None), once."""
    kinds = INPUT_KINDS if input is None else (input,)
    for kind in kinds:
        if kind in _LOADED:
            continue
        _LOADED.add(kind)
        for mod in PROVIDERS[kind]:
            if mod == __name__:
                _register_builtins()
                continue
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:  # the optional package itself is absent
                if exc.name != mod:
                    _LOADED.discard(kind)
                    raise


def selectors(input: str | None = None) -> list[SelectorInfo]:
    """List the registered selectors (of one input kind, or all), in registration order."""
    if input is not None:
        input = check_choice("selectors", "input", input, INPUT_KINDS)
    _load(input)
    return [info for (kind, _), info in _ENTRIES.items() if input is None or kind == input]


def names(input: str = "graph") -> list[str]:
    """Canonical names of the selectors of one input kind."""
    return [info.name for info in selectors(input)]


def get(name: str, *, input: str = "graph", func: str = "get_selector",
        param: str = "algorithm") -> SelectorInfo:
    """Return the :class:`SelectorInfo` registered under ``name`` or an alias (any case).

    An unknown name raises InvalidParameterError listing the valid names for ``input``.
    """
    input = check_choice(func, "input", input, INPUT_KINDS)
    _load(input)
    key = name.strip().lower() if isinstance(name, str) else name
    key = _ALIASES.get((input, key), key)
    if (input, key) not in _ENTRIES:
        valid = names(input)
        fail(func, param, ("one of " + ", ".join(repr(c) for c in valid)) if valid
             else f"a registered {input} selector (none is installed)", name)
    return _ENTRIES[(input, key)]


def get_selector(name: str, *, func: str = "seeds", input: str = "graph") -> Callable:
    """Return the selector function registered under ``name`` (see :func:`get`)."""
    return get(name, input=input, func=func).func


def _register_builtins() -> None:
    """Register the static-graph selectors of :mod:`infmax.algorithms` (once)."""
    global _BUILTINS_DONE
    if _BUILTINS_DONE:
        return
    _BUILTINS_DONE = True
    from .heuristics import degree, degree_discount, kcore, pagerank, random_seeds, single_discount
    from .imm import imm
    from .opim import opim_c
    from .oracle_greedy import celf, celfpp, greedy
    from .simpath import simpath
    from .tim import tim_plus

    mc = {"n_simulations": 50}
    diffusion = ("ic", "lt", "triggering")
    ris = {"epsilon": 0.5}
    for fn, name, models, aliases, fast in (
        (degree, "degree", (), ("outdegree", "out-degree"), {}),
        (single_discount, "single-discount", (), ("single_discount",), {}),
        (degree_discount, "degree-discount", (), ("degree_discount", "degreediscount"), {}),
        (kcore, "kcore", (), ("k-core",), {}),
        (pagerank, "pagerank", (), (), {}),
        (random_seeds, "random", (), ("random_seeds",), {}),
        (celf, "celf", diffusion, (), mc),
        (celfpp, "celf++", diffusion, ("celfpp",), mc),
        (greedy, "greedy", diffusion, (), mc),
        (imm, "imm", diffusion, (), ris),
        (tim_plus, "tim+", diffusion, ("tim_plus", "timplus"), ris),
        (opim_c, "opim-c", diffusion, ("opim_c", "opimc"), ris),
        (simpath, "simpath", ("lt",), (), {}),
    ):
        register(fn, name=name, input="graph", models=models, aliases=aliases, test_kwargs=fast)
