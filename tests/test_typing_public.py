"""Every public function, method and class constructor carries type hints.

"Public" is everything reachable from ``infmax.__all__`` and from the ``__all__`` of each public
subpackage (lazy names resolved), wherever it is defined: a function needs an annotation on every
parameter and a return annotation; a class needs them on its constructor and on each of its
public methods and properties (those defined in an ``infmax`` class body). ``py.typed`` ships
with the package, so these hints are what type checkers of downstream code see.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from pathlib import Path

import pytest

import infmax

# Public subpackages and modules whose ``__all__`` is the public surface (the CLI's is
# ``infmax.cli.main``; ``temporal.experiment`` is the BOPIM paper harness).
PUBLIC_MODULES = ["infmax", "infmax.graph", "infmax.graph.io", "infmax.datasets",
                  "infmax.diffusion", "infmax.sampling", "infmax.algorithms",
                  "infmax.algorithms.registry", "infmax.observability", "infmax.temporal",
                  "infmax.temporal.experiment", "infmax.distributed", "infmax.random",
                  "infmax.results", "infmax.exceptions", "infmax.cli"]


def _public_objects():
    """(qualified name, object) for every function and class in a public ``__all__``."""
    seen = {}
    for modname in PUBLIC_MODULES:
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.ismodule(obj) or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if not (getattr(obj, "__module__", "") or "").startswith("infmax"):
                continue  # re-exported from elsewhere (none today)
            seen.setdefault(id(obj), (f"{modname}.{name}", obj))
    return sorted(seen.values(), key=lambda t: t[0])


def _missing(func, *, skip_first: bool, need_return: bool = True) -> list[str]:
    """Names of the parameters of ``func`` without annotations (and ``return``)."""
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if skip_first and params:
        params = params[1:]  # self / cls
    out = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    if need_return and sig.return_annotation is inspect.Signature.empty:
        out.append("return")
    return out


def _class_members(cls):
    """(label, function, skip_first, need_return) for the constructor and public members."""
    if issubclass(cls, BaseException):
        # exceptions keep BaseException's constructor unless they define their own
        if "__init__" in cls.__dict__:
            yield "__init__", cls.__dict__["__init__"], True, True
        return
    if getattr(cls, "_is_protocol", False):
        pass  # a Protocol is not instantiated: no constructor to annotate
    elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
        # NamedTuple: the generated __new__ carries the field annotations, no return
        yield "__new__", cls.__new__, True, False
    elif "__init__" in cls.__dict__ or dataclasses.is_dataclass(cls):
        yield "__init__", cls.__init__, True, True
    for name, attr in vars(cls).items():
        if name.startswith("_") and name != "__call__":
            continue
        if isinstance(attr, property):
            if attr.fget is not None:
                yield name, attr.fget, True, True
        elif isinstance(attr, staticmethod):
            yield name, attr.__func__, False, True
        elif isinstance(attr, classmethod):
            yield name, attr.__func__, True, True
        elif inspect.isfunction(attr):
            yield name, attr, True, True


def _offenders() -> list[str]:
    out = []
    for qual, obj in _public_objects():
        if inspect.isfunction(obj):
            miss = _missing(obj, skip_first=False)
            if miss:
                out.append(f"{qual}: {', '.join(miss)}")
            continue
        for label, func, skip_first, need_return in _class_members(obj):
            miss = _missing(func, skip_first=skip_first, need_return=need_return)
            if miss:
                out.append(f"{qual}.{label}: {', '.join(miss)}")
    return out


def test_public_surface_is_found():
    found = {id(obj) for _, obj in _public_objects()}
    # a few names from each corner, so a broken walk cannot pass by finding nothing
    for name in ("imm", "DiGraph", "graph.read_edgelist", "sampling.RRSets",
                 "observability.benchmark", "temporal.bopim", "distributed.get_executor",
                 "random.as_generator", "datasets.load", "algorithms.registry.register",
                 "results.Stopwatch", "results.make_result", "temporal.experiment.run_paper",
                 "cli.main"):
        obj = infmax
        for part in name.split("."):
            obj = getattr(obj, part)
        assert id(obj) in found, name
    assert len(found) > 100


def test_every_public_callable_is_annotated():
    offenders = _offenders()
    assert not offenders, (f"{len(offenders)} public callables lack annotations "
                           "(parameter names, or 'return'):\n  " + "\n  ".join(offenders))


def test_checker_sees_a_missing_annotation():
    # the walk itself catches each kind of omission
    def f(a: int, b) -> int:
        return a

    def g(a: int):
        return a

    class C:
        def __init__(self, x: int) -> None:
            self.x = x

        @property
        def y(self):
            return 1

    assert _missing(f, skip_first=False) == ["b"]
    assert _missing(g, skip_first=False) == ["return"]
    labels = {label: _missing(fn, skip_first=s, need_return=r)
              for label, fn, s, r in _class_members(C)}
    assert labels == {"__init__": [], "y": ["return"]}


def test_py_typed_is_shipped():
    assert (Path(infmax.__file__).parent / "py.typed").is_file()


@pytest.mark.parametrize("modname", PUBLIC_MODULES)
def test_all_names_resolve(modname):
    mod = importlib.import_module(modname)
    for name in mod.__all__:
        getattr(mod, name)
