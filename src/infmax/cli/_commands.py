"""The work behind each subcommand: resolve inputs, call the library, build the JSON record."""

from __future__ import annotations

import argparse
import inspect
import os
import time
from typing import TYPE_CHECKING, Any

from .._validation import Interval, check
from ..exceptions import InvalidParameterError
from ._record import base_record, config_from_args
from ._shared import (
    UsageError,
    check_selector_model,
    evaluation_rng,
    given_options,
    max_memory_kw,
    progress_flag,
    resolve_selector,
)

__all__ = ["seeds", "spread", "datasets", "load_graph", "check_static_dataset"]

if TYPE_CHECKING:

    from ..datasets import DatasetSpec
    from ..graph import DiGraph

#: --model when it is not given (static graphs; temporal selectors run the SI model)
DEFAULT_MODEL = "ic"


# -- shared helpers ----------------------------------------------------------------------------
def load_graph(graph: str, *, weights: str | None = None, directed: bool | None = None,
               rng: int | None = None, func: str = "infmax", param: str = "GRAPH",
               kind: str | None = None) -> tuple[DiGraph, dict[str, Any]]:
    """A static graph from an edge-list file or a registered graph dataset, with its record info.

    The one place where the command line turns a graph argument into a :class:`DiGraph`.

    Parameters
    ----------
    graph : str
        A path or a registered dataset name.
    weights : str or None
        wc, uniform:P, trivalency or file; None: a file's probability column when it has one
        (else wc), a dataset's default weighting.
    directed : bool or None
        None: a file is directed, a dataset as registered; False reads either as undirected.
    rng : int or None
        For random weightings (trivalency).
    func, param : str
        The command and the argument, for messages.
    kind : {None, "file", "dataset"}
        What ``graph`` may be: a file if the path exists, else a dataset name (None), or only
        one of them.

    Returns
    -------
    G : DiGraph
    info : dict
        ``file`` or ``dataset``, ``n``, ``m``, ``weights``, ``summary``, ``load_seconds``.
    """
    from .. import datasets

    if weights is not None and weights.lower().startswith("uniform:"):
        from ..graph.weights import parse_weights

        parse_weights(weights, func=func)  # bad probability: a clear error before reading
    t0 = time.perf_counter()
    # only what is given: a file then reads its probability column (else wc), a dataset keeps
    # its default weighting and orientation
    kw: dict[str, Any] = {}
    if weights is not None:
        kw["weights"] = weights
    if directed is False:
        kw["directed"] = False
    if rng is not None:
        kw["rng"] = rng
    if kind == "dataset":
        G, source = _load_dataset(graph, func=func, param=param, **kw)
    else:
        if kind == "file" and not os.path.isfile(graph):
            raise InvalidParameterError(
                f"The '{param}' parameter of {func} must be an existing file. Got {graph!r}.",
                param=param.lstrip("-"), value=graph)
        G, source = datasets.resolve(graph, kind="graph", func=func, param=param, **kw)
    info = {**source, "n": G.n, "m": G.m, "weights": G.weighting, "summary": str(G.summary),
            "load_seconds": time.perf_counter() - t0}
    return G, info


def _load_dataset(name: str, *, func: str, param: str, **kw: Any) -> tuple[DiGraph, dict]:
    """A registered graph dataset only (an option that takes names, never files: a folder or
    file of that name in the working directory does not matter)."""
    from .. import datasets
    from ..exceptions import DatasetNotFoundError

    try:
        spec = datasets.get_spec(name)
    except DatasetNotFoundError:
        raise DatasetNotFoundError(
            f"{param} {name!r} is not a registered dataset (registered: "
            f"{', '.join(datasets.list('graph'))}).") from None
    check_static_dataset(spec, func=func, param=param)
    return datasets.load(spec.name, **kw), {"dataset": spec.name}


def _load_graph(args, func: str):
    """GRAPH with --weights, --undirected and --rng (``infmax seeds`` and ``infmax spread``)."""
    return load_graph(args.graph, weights=args.weights,
                      directed=False if args.undirected else None, rng=args.rng, func=func)


def check_static_dataset(spec: DatasetSpec, *, func: str, param: str) -> None:
    """A registered dataset used as a static graph must be one: say what to do otherwise."""
    if spec.kind == "graph":
        return
    if spec.kind == "temporal":
        advice = (f"select seeds on it with `infmax seeds {spec.name} --temporal ...` (SI "
                  "model), or use a graph dataset")
    else:
        advice = "use a graph dataset (see `infmax datasets list --kind graph`)"
    raise InvalidParameterError(
        f"The '{param}' parameter of {func} must be a graph dataset or file. Got {spec.name!r}, "
        f"a {spec.kind} dataset; {advice}.", param=param, value=spec.name)


def _check_model(model: str | None, func: str) -> str:
    """--model on a static graph: ic (default) or lt."""
    from .._validation import check_choice

    return check_choice(func, "model", DEFAULT_MODEL if model is None else model, ("ic", "lt"))


def _read_seed_labels(args, G):
    from ..graph.io import read_labels

    if args.seeds is not None:
        labels = [s.strip() for s in args.seeds.split(",")]
        if not any(labels) or not all(labels):
            raise InvalidParameterError(
                "The '--seeds' option of infmax spread must be comma-separated labels with no "
                f"empty item (e.g. 3,17,42). Got {args.seeds!r}.", param="seeds",
                value=args.seeds)
    else:
        if not os.path.isfile(args.seeds_file):
            raise InvalidParameterError(
                "The '--seeds-file' option of infmax spread must be an existing file. Got "
                f"{args.seeds_file!r}.", param="seeds_file", value=args.seeds_file)
        labels = read_labels(args.seeds_file)
        if not labels:
            raise InvalidParameterError(
                "The '--seeds-file' option of infmax spread must name a file with at least one "
                f"seed label. Got {args.seeds_file!r}, which has none.", param="seeds_file",
                value=args.seeds_file)
    return labels


# -- seeds ---------------------------------------------------------------------------------------
_OPTION_TO_PARAM = {"epsilon": "epsilon", "ell": "ell", "node_weights": "node_weights",
                    "simulations": "n_simulations", "kernel": "kernel", "eta": "eta",
                    "final": "final"}


def seeds(args: argparse.Namespace) -> dict[str, Any]:
    """``infmax seeds``: on a static graph, or with --temporal on a contact network (with
    --cascades, ``_main`` dispatches to :func:`infmax.cli._cascades.run_seeds`)."""
    for opt in ("format", "social_graph", "train_fraction", "epochs"):
        if getattr(args, opt, None) is not None:
            flag = "--graph" if opt == "social_graph" else "--" + opt.replace("_", "-")
            raise InvalidParameterError(
                f"The '{flag}' option needs --cascades. Got {getattr(args, opt)!r}.",
                param=opt, value=getattr(args, opt))
    if args.temporal:
        for opt in (*_TARGETED_OPTIONS, *_STATIC_RIS_OPTIONS):
            if getattr(args, opt, None) is not None:
                raise InvalidParameterError(
                    f"The '--{opt}' option applies to static graphs, not with --temporal. "
                    f"Got {getattr(args, opt)!r}.", param=opt, value=getattr(args, opt))
        from ._temporal import run_seeds

        return run_seeds(args)
    return _static_seeds(args)


#: options of the static-graph selectors that a --temporal run would otherwise ignore
_STATIC_RIS_OPTIONS = ("epsilon", "ell", "node_weights", "eta", "final", "weights", "executor",
                       "scheduler", "workers")


# -- targeted, diversity-aware selection (aditum, ris-u/w, degd-u/w) ---------------------------
#: options of the targeted selectors; each goes to the selector parameter of the same name
_TARGETED_OPTIONS = ("scores", "tau", "top", "profiles", "diversity", "alpha", "radius", "gamma")
#: --scores keywords (anything else is a file of 'label score' lines)
SCORE_SOURCES = ("lurkerrank", "indegree", "uniform")


def _bad_option(opt: str, requirement: str, value: object) -> None:
    raise InvalidParameterError(
        f"The '--{opt}' option of infmax seeds must be {requirement}. Got {value!r}.",
        param=opt, value=value)


def _check_targeted_options(args) -> None:
    """Validate the targeted options' syntax before the graph is read."""
    from ..targeted.aditum import DIVERSITIES

    if args.diversity is not None and args.diversity not in DIVERSITIES:
        _bad_option("diversity", "one of " + ", ".join(DIVERSITIES), args.diversity)
    for opt in ("alpha", "gamma"):
        val = getattr(args, opt)
        if val is not None and not 0.0 <= val <= 1.0:
            _bad_option(opt, "a number in [0, 1]", val)
    if args.radius is not None and args.radius < 0:
        _bad_option("radius", "an int >= 0", args.radius)
    if args.top is not None:
        top = args.top.strip()
        try:
            q = float(top[:-1]) / 100.0 if top.endswith("%") else float(top)
        except ValueError:
            q = float("nan")
        if not 0.0 < q <= 1.0:
            _bad_option("top", "a share in (0, 1] or a percentage such as 25%", args.top)
        args.top = top if top.endswith("%") else q
    if args.scores is not None and args.scores not in SCORE_SOURCES and \
            not os.path.isfile(args.scores):
        _bad_option("scores", "an existing file of 'label score' lines or one of "
                    + ", ".join(SCORE_SOURCES), args.scores)
    prof = args.profiles
    if prof is not None and not (prof.startswith(("synthetic:", "genres"))
                                 or os.path.isfile(prof)):
        _bad_option("profiles", "an existing file of 'node a1 ... am' lines, a spec such as "
                    "synthetic:m=10,v=5,dist=exp, or genres[:bins=Q]", prof)


def _genre_bins(spec: str) -> int | None:
    """Q of ``genres:bins=Q`` (None for plain ``genres``)."""
    from ..targeted.profiles import genre_bins

    try:
        return genre_bins(spec)
    except InvalidParameterError:
        _bad_option("profiles", "genres or genres:bins=Q with an int Q >= 2", spec)
    return None


def _targeted_kwargs(args, G: DiGraph, params, model: str) -> tuple[DiGraph, dict, dict]:
    """The selector keywords of the targeted options, the graph to run on, the config used.

    ``--scores lurkerrank`` with ``--model lt`` and no ``--weights`` runs on LurkerRank's LT
    weights (ADITUM's setting S3); the returned graph is then that reweighted graph.
    """
    kwargs: dict[str, Any] = given_options(args, {o: o for o in _TARGETED_OPTIONS}, params,
                                           algorithm=args.algorithm)
    used: dict[str, Any] = {}
    if args.scores is not None:
        if args.scores == "lurkerrank":
            from ..targeted import lurkerrank

            lr = lurkerrank(G)
            kwargs["scores"] = lr.scaled
            if model == "lt" and args.weights is None:
                G = lr.graph
                used["weights"] = "lurkerrank"
        elif args.scores == "indegree":
            kwargs["scores"] = G.in_degree.astype("float64")
        elif args.scores == "uniform":
            kwargs["scores"] = None
        else:
            from ..graph.io import read_node_values

            kwargs["scores"] = read_node_values(args.scores, G, param="scores")
    prof = args.profiles
    if prof is not None and not prof.startswith("synthetic:"):
        from ..targeted import genre_profiles, read_profiles

        if prof.startswith("genres") and not os.path.isfile(prof):
            kwargs["profiles"] = genre_profiles(G, bins=_genre_bins(prof))
        else:
            kwargs["profiles"] = read_profiles(prof, G)
    return G, kwargs, used


def _executor_kwargs(args, params, func):
    """``--executor`` / ``--scheduler`` / ``--workers`` as ``(keyword arguments, executor to
    close)`` for the RIS selectors that shard their RR sets (``executor=`` / ``client=``)."""
    ex, sched, workers = (getattr(args, a, None) for a in ("executor", "scheduler", "workers"))
    given = [(f"--{n}", v) for n, v in (("executor", ex), ("scheduler", sched),
                                         ("workers", workers)) if v is not None]
    if not given:
        return {}, None
    if "executor" not in params:
        flag, val = given[0]
        raise InvalidParameterError(
            f"The '{flag}' option does not apply to algorithm {args.algorithm!r} (only to "
            f"imm, tim+ and opim-c). Got {val!r}.", param=flag[2:], value=val)
    if ex != "dask":
        for flag, val in given[1:] if ex == "local" else given:
            if flag != "--executor":
                raise InvalidParameterError(
                    f"The '{flag}' option needs --executor dask. Got {val!r}.",
                    param=flag[2:], value=val)
        return {"executor": "local"}, None
    if sched is not None:
        if workers is not None:
            raise InvalidParameterError(
                "The '--workers' option starts a LocalCluster; it cannot be combined with "
                f"--scheduler. Got {workers!r}.", param="workers", value=workers)
        return {"client": sched}, None
    if workers is not None:
        check(func, "workers", workers, Interval(int, 1, None))
    from ..distributed import DaskExecutor

    own = DaskExecutor(n_workers=workers)
    return {"executor": own}, own


def _static_seeds(args):
    from ..diffusion import spread as mc_spread

    func = "infmax seeds"
    t_start = time.perf_counter()
    watch = args._compile
    if args.algorithm is None:
        args.algorithm = "imm"
    for opt in ("snapshots", "beta", "binning", "contact_format", "n_initial", "n_iterations",
                "mcmc_draws", "burn_in"):
        if getattr(args, opt, None) is not None:
            raise InvalidParameterError(
                f"The '--{opt.replace('_', '-')}' option needs --temporal. Got "
                f"{getattr(args, opt)!r}.", param=opt, value=getattr(args, opt))
    if args.directed:
        raise InvalidParameterError("The '--directed' option needs --temporal.",
                                    param="directed", value=True)
    model = _check_model(args.model, func)
    info = resolve_selector(args.algorithm, input="graph", func=func)
    check_selector_model(info, model, func=func, default=DEFAULT_MODEL)
    selector = info.func
    check(func, "k", args.k, Interval(int, 1, None))
    if args.evaluate:
        check(func, "evaluate", args.evaluate, Interval(int, 0, None))
    _check_targeted_options(args)
    G, ginfo = _load_graph(args, func)
    params = inspect.signature(selector).parameters
    G, kwargs, used = _targeted_kwargs(args, G, params, model)
    for pname, val in given_options(args, _OPTION_TO_PARAM, params,
                                    algorithm=args.algorithm).items():
        if pname == "node_weights":
            from ..graph.io import read_node_values

            val = read_node_values(val, G, param="node_weights")
        kwargs[pname] = val
    if "model" in params:
        kwargs["model"] = model
    for name, val in (("rng", args.rng), ("n_threads", args.threads),
                      ("progress", progress_flag(args))):
        if name in params and val is not None:
            kwargs[name] = val
    kwargs.update(max_memory_kw(args, selector))
    if model == "lt":
        from ..graph.weights import check_lt_weights

        check_lt_weights(G, func=func)
    ex_kwargs, own = _executor_kwargs(args, params, func)
    c0, t0 = watch.lap(), time.perf_counter()
    try:
        res = selector(G, args.k, **kwargs, **ex_kwargs)
    finally:
        if own is not None:
            own.close()
    select_wall, select_compile = time.perf_counter() - t0, watch.lap() - c0
    cfg = config_from_args(args, temporal=False, algorithm=info.name, model=model, **used)
    record = base_record("seeds", cfg, ginfo)
    record.update({"algorithm": res.algorithm, "seeds": list(res.seeds), "estimates": {},
                   "params": dict(res.params), "record": dict(res.record)})
    if "capital" in res.record:      # targeted selectors: the capital of the targets
        record["capital"] = {"mean": res.record["capital"],
                             "stderr": res.record.get("capital_stderr")}
    if "diversity" in res.record:    # diversity-aware selectors: div(S)
        record["diversity"] = res.record["diversity"]
    if res.spread is not None:
        record["estimates"]["algorithm"] = {"mean": res.spread, "stderr": res.spread_stderr}
    timings = {"phases": dict(res.timings), "graph_load_seconds": ginfo["load_seconds"],
               "compile_seconds": select_compile,
               "select_seconds": max(select_wall - select_compile, 0.0)}
    if args.evaluate:
        c0, t0 = watch.lap(), time.perf_counter()
        est = mc_spread(G, res.seeds, model=model, n_simulations=args.evaluate,
                        rng=evaluation_rng(args.rng), n_threads=args.threads,
                        progress=progress_flag(args), **max_memory_kw(args, mc_spread))
        eval_compile = watch.lap() - c0
        timings["compile_seconds"] += eval_compile
        timings["evaluate_seconds"] = max(time.perf_counter() - t0 - eval_compile, 0.0)
        record["estimates"]["monte_carlo"] = est.to_dict()
    timings["total_seconds"] = time.perf_counter() - t_start
    record["timings"] = timings
    return record


# -- spread --------------------------------------------------------------------------------------
def spread(args: argparse.Namespace) -> dict[str, Any]:
    """``infmax spread``: Monte Carlo spread of given seeds on a static graph."""
    from ..diffusion import spread as mc_spread

    func = "infmax spread"
    t_start = time.perf_counter()
    watch = args._compile
    model = _check_model(args.model, func)
    check(func, "simulations", args.simulations, Interval(int, 1, None))
    G, ginfo = _load_graph(args, func)
    labels = _read_seed_labels(args, G)
    ids = G.node_ids(labels, param="seeds", func=func)
    c0, t0 = watch.lap(), time.perf_counter()
    est = mc_spread(G, G.node_labels(ids), model=model, n_simulations=args.simulations,
                    rng=args.rng, n_threads=args.threads, progress=progress_flag(args),
                    **max_memory_kw(args, mc_spread))
    compile_s = watch.lap() - c0
    record = base_record("spread", config_from_args(args, temporal=False, model=model), ginfo)
    record.update({"seeds": G.node_labels(ids), "model": model,
                   "estimates": {"monte_carlo": est.to_dict()},
                   "timings": {"graph_load_seconds": ginfo["load_seconds"],
                               "compile_seconds": compile_s,
                               "spread_seconds": max(time.perf_counter() - t0 - compile_s, 0.0),
                               "total_seconds": time.perf_counter() - t_start}})
    return record


# -- datasets ------------------------------------------------------------------------------------
def datasets(args: argparse.Namespace) -> dict[str, Any]:
    """``infmax datasets list | info | path``."""
    from .. import datasets as ds

    if args.action is None or args.action == "list":
        kind = getattr(args, "kind", None)
        names = ds.list(kind)
        return {"datasets": [{"name": n, "kind": ds.get_spec(n).kind,
                              "description": ds.get_spec(n).description} for n in names]}
    if args.action == "info":
        return ds.info(args.name)
    if args.action == "path":
        paths = ds.path(args.name, download=not args.no_download)
        return {"name": args.name, "paths": [str(p) for p in paths]}
    raise UsageError(f"infmax datasets: unknown action {args.action!r}")

