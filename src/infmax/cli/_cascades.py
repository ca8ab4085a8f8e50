"""``infmax seeds CASCADES --cascades ...`` and ``infmax dni TEST_CASCADES --seeds ...``.

``run_seeds(args)`` reads ``args.graph`` (a cascade file in ``--format``, or a registered
cascade set), splits it (the shipped split of the Inf-VAE sets, else
:func:`infmax.split_by_time` with ``--train-fraction``), runs the chosen "cascades" selector
of the registry on the training part (``--epochs`` and ``--epsilon`` reach the selectors whose
signature takes them, ``--eta`` those with a pruning threshold: simpath-db and
simpath-inf2vec) and, when there is a test part, the DNI of the seeds on it with its 95 %
bootstrap interval. ``run_dni(args)`` is the DNI of given seeds on test
cascades: a file is all test; a registered set gives its test part.
"""

from __future__ import annotations

import argparse
import inspect
import time
from typing import TYPE_CHECKING, Any

from .._validation import Interval, check
from ..exceptions import InvalidParameterError

if TYPE_CHECKING:
    from ..graph.cascades import Cascades

__all__ = ["run_seeds", "run_dni", "load_cascades", "CASCADES_ONLY"]

#: options of ``infmax seeds`` that apply only with --cascades
CASCADES_ONLY = ("format", "social_graph", "train_fraction", "epochs")
#: options of the other modes that a "cascades" selector takes when its signature has them
#: (``--epsilon`` for the IMM ones, ``--eta`` for the SIMPATH ones, ``--epochs`` for the
#: learned ones), with their constraint
_SELECTOR_OPTIONS = {"epochs": Interval(int, 1, None),
                     "epsilon": Interval(float, 0, 1, closed="neither"),
                     "eta": Interval(float, 0, 1, closed="left")}
#: options of ``infmax seeds`` for the other modes (graph and temporal)
_NOT_CASCADES = ("model", "weights", "ell", "node_weights", "simulations",
                 "snapshots", "beta", "kernel", "binning", "contact_format", "n_initial",
                 "n_iterations", "mcmc_draws", "burn_in", "executor", "scheduler",
                 "workers", "final",
                 # targeted options (aditum, ris-u/w, degd-u/w) are for static graphs
                 "scores", "tau", "top", "profiles", "diversity", "alpha", "radius", "gamma")
_NOT_CASCADES_FLAGS = ("undirected", "directed", "temporal")


def load_cascades(name: str, *, fmt: str | None, func: str, param: str = "CASCADES"
                  ) -> tuple[Cascades, dict[str, str]]:
    """Cascades from a file (``fmt`` required) or a registered cascade set, and their
    provenance (``{"file": path}`` or ``{"dataset": name}``)."""
    import os

    from .. import datasets

    if os.path.isfile(name):
        if fmt is None:
            from ..datasets.cascades import FORMATS

            raise InvalidParameterError(
                f"The '--format' option of {func} is required for a cascade file: one of "
                f"{', '.join(FORMATS)}. Got none for {name!r}.", param="format", value=None)
        return datasets.resolve(name, kind="cascades", func=func, param=param, format=fmt)
    C, src = datasets.resolve(name, kind="cascades", func=func, param=param)
    if fmt is not None:
        raise InvalidParameterError(
            f"The '--format' option of {func} applies to a cascade file only; {name!r} is the "
            f"registered set {src['dataset']!r}, read in its own format. Got {fmt!r}.",
            param="format", value=fmt)
    return C, src


def _split(C: Cascades, fraction: float | None, func: str) -> tuple[Cascades, Cascades, str]:
    """(train, test, how): the shipped split when times are relative, else by time."""
    from ..graph.cascades import split_by_time

    if fraction is not None:
        fraction = check(func, "train_fraction", fraction,
                         Interval(float, 0, 1, closed="neither"))
    if C.relative_times and C.part is not None:
        if fraction is not None:
            raise InvalidParameterError(
                f"The '--train-fraction' option of {func} does not apply to {C.source!r}: its "
                "times are relative to each initiator, so it is split as shipped. Got "
                f"{fraction}.", param="train_fraction", value=fraction)
        train, test = split_by_time(C)
        return train, test, "shipped"
    train, test = split_by_time(C, train=0.8 if fraction is None else fraction)
    return train, test, "time"


def _info(C: Cascades, src: dict, train: Cascades | None, test: Cascades | None,
          split: str | None, t_load: float) -> dict[str, Any]:
    """The record's ``cascades`` block: provenance, counts, the split."""
    out: dict[str, Any] = {**src, "cascades": len(C), "users": int(C.summary()["users"]),
                           "load_seconds": t_load}
    if split is not None:
        out["split"] = split
        out["train"] = len(train)
        out["test"] = len(test)
    return out


def _dni_estimate(seeds: list, test: Cascades, rng: Any) -> dict[str, Any]:  # noqa: ANN401
    from ..evaluation import dni

    return dni(seeds, test, rng=rng).to_dict()


def run_seeds(args: argparse.Namespace) -> dict[str, Any]:
    """Select seeds from cascades; the record (schema of ``record.schema.json``)."""
    from ._compile import CompileWatch
    from ._record import base_record
    from ._shared import (
        evaluation_rng,
        given_options,
        max_memory_kw,
        progress_flag,
        resolve_selector,
    )

    func = "infmax seeds --cascades"
    t_start = time.perf_counter()
    watch = getattr(args, "_compile", None) or CompileWatch()
    g = lambda name, default=None: (getattr(args, name, None)  # noqa: E731
                                    if getattr(args, name, None) is not None else default)
    for opt in _NOT_CASCADES:
        if g(opt) is not None:
            raise InvalidParameterError(
                f"The '--{opt.replace('_', '-')}' option does not apply to {func}. Got "
                f"{g(opt)!r}.", param=opt, value=g(opt))
    for opt in _NOT_CASCADES_FLAGS:
        if g(opt, False):
            raise InvalidParameterError(
                f"The '--{opt}' option does not apply to {func}.", param=opt, value=True)
    if g("evaluate", 0):
        raise InvalidParameterError(
            f"The '--evaluate' option does not apply to {func} (the seeds are scored by DNI "
            f"on the test cascades). Got {g('evaluate')}.", param="evaluate",
            value=g("evaluate"))
    info = resolve_selector(g("algorithm", "iminfector"), input="cascades", func=func)
    selector = info.func
    params = inspect.signature(selector).parameters
    k = check(func, "k", g("k"), Interval(int, 1, None))
    kw: dict[str, Any] = {
        opt: check(func, opt, val, _SELECTOR_OPTIONS[opt])
        for opt, val in given_options(args, {o: o for o in _SELECTOR_OPTIONS}, params,
                                      algorithm=info.name, where=f" of {func}").items()}
    kw.update(max_memory_kw(args, selector))
    if "progress" in params:
        kw["progress"] = progress_flag(args)
    rng = g("rng")
    t0 = time.perf_counter()
    C, src = load_cascades(g("graph"), fmt=g("format"), func=func)
    G = None
    if g("social_graph") is not None:
        from ._commands import load_graph

        G, ginfo = load_graph(g("social_graph"), func=func, param="--graph")
        C = C.with_graph(G)
    train, test, split = _split(C, g("train_fraction"), func)
    t_load = time.perf_counter() - t0
    c0, t1 = watch.lap(), time.perf_counter()
    res = selector(train, k, rng=rng, **kw)
    select_wall, select_compile = time.perf_counter() - t1, watch.lap() - c0
    estimates: dict[str, Any] = {"algorithm": {"mean": res.spread, "stderr": res.spread_stderr}}
    t1 = time.perf_counter()
    if len(test):
        estimates["dni"] = _dni_estimate(list(res.seeds), test, evaluation_rng(rng))
    t_eval = time.perf_counter() - t1
    cfg = {"graph": g("graph"), "cascades": True, "k": k, "algorithm": info.name,
           "train_fraction": None if split == "shipped" else g("train_fraction", 0.8)}
    for opt in ("format", "social_graph", "epochs", "epsilon", "eta", "rng", "max_memory",
                "output"):
        cfg[opt] = g(opt)
    cfg = {key: v for key, v in cfg.items() if v is not None}
    record = base_record("seeds", cfg)
    record["cascades"] = _info(C, src, train, test, split, t_load)
    if G is not None:
        record["graph"] = {**ginfo, "n": G.n, "m": G.m}
    record.update({
        "algorithm": res.algorithm, "seeds": list(res.seeds), "estimates": estimates,
        "params": dict(res.params), "record": dict(res.record),
        "timings": {"phases": dict(res.timings), "graph_load_seconds": t_load,
                    "compile_seconds": select_compile,
                    "select_seconds": max(select_wall - select_compile, 0.0),
                    "evaluate_seconds": t_eval,
                    "total_seconds": time.perf_counter() - t_start},
    })
    return record


def run_dni(args: argparse.Namespace) -> dict[str, Any]:
    """``infmax dni``: DNI of ``--seeds`` on TEST_CASCADES with its 95 % interval."""
    from ._record import base_record

    func = "infmax dni"
    t_start = time.perf_counter()
    labels = [s.strip() for s in str(args.seeds).split(",")]
    if not any(labels) or not all(labels):
        raise InvalidParameterError(
            f"The '--seeds' option of {func} must be comma-separated labels with no empty item "
            f"(e.g. 3,17,42). Got {args.seeds!r}.", param="seeds", value=args.seeds)
    t0 = time.perf_counter()
    C, src = load_cascades(args.test_cascades, fmt=args.format, func=func,
                           param="TEST_CASCADES")
    if "dataset" in src:
        _, test, split = _split(C, args.train_fraction, func)
    else:
        if args.train_fraction is not None:
            raise InvalidParameterError(
                f"The '--train-fraction' option of {func} applies to a registered set only; a "
                f"file is all test cascades. Got {args.train_fraction}.",
                param="train_fraction", value=args.train_fraction)
        test, split = C, None
    t_load = time.perf_counter() - t0
    if not len(test):
        raise InvalidParameterError(
            f"The 'TEST_CASCADES' parameter of {func} has no test cascades. Got "
            f"{args.test_cascades!r}.", param="TEST_CASCADES", value=args.test_cascades)
    # labels as the cascades hold them (3, not "3"); a seed that started no test cascade adds
    # nothing and is listed under seeds_absent
    seeds, absent = [], []
    for lab in labels:
        ids = test.node_ids([lab], func=func, param="seeds", missing="drop")
        seeds.append(test.node_labels(ids)[0] if ids.size else lab)
        if not ids.size:
            absent.append(lab)
    t1 = time.perf_counter()
    est = _dni_estimate(seeds, test, args.rng)
    t_dni = time.perf_counter() - t1
    cfg = {key: v for key, v in vars(args).items()
           if not key.startswith("_") and key not in ("command", "handler", "progress", "quiet")
           and v is not None}
    record = base_record("dni", cfg)
    info = _info(C, src, None, None, None, t_load)
    if split is not None:
        info.update(split=split, test=len(test))
    record["cascades"] = info
    record.update({"seeds": seeds, "seeds_absent": absent, "estimates": {"dni": est},
                   "timings": {"graph_load_seconds": t_load, "dni_seconds": t_dni,
                               "total_seconds": time.perf_counter() - t_start}})
    return record
