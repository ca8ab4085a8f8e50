"""``infmax experiment org-boundaries``: the visibility sweep of Stein et al. (Figs. 3 and 4).

Writes ``trials.csv`` (one row per trial x cell, appended as trials finish, so an interrupted
run resumes where it stopped), ``config.json``, ``summary.json`` and the PNG figures into
``--output``; returns the summary as the JSON record printed on stdout.

The output folder is checked before any work (a directory or creatable, writable, with a
``config.json`` that parses); a run that fails before finishing a trial leaves no folder behind.
With the defaults (NetHEPT, 200 trials, 10 visibilities, 6 cells) a run takes 14-35 minutes on
two cores.
"""

from __future__ import annotations

import argparse
import os
import time

from .._validation import fail
from ..exceptions import InvalidParameterError
from ._shared import add_run_options

DEFAULT_OUTPUT = "org-boundaries-results"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", default="nethept",
                        help="registered dataset name (default: nethept)")
    parser.add_argument("--graph", default=None, metavar="FILE",
                        help="edge-list file instead of --dataset (read as undirected unless "
                             "--directed)")
    parser.add_argument("--directed", action="store_true", help="--graph is directed")
    parser.add_argument("--model", default="wc",
                        help="wc (weighted cascade, default) or ic (the graph's probabilities, "
                             "or uniform --p)")
    parser.add_argument("--p", type=float, default=None,
                        help="uniform IC probability with --model ic (default 0.01 for "
                             "datasets)")
    parser.add_argument("--seeds", "-M", type=int, default=10, help="seeds M (default 10)")
    parser.add_argument("--trials", type=int, default=200,
                        help="trials per cell (default 200; the paper used 1000)")
    parser.add_argument("--visibility", default=None,
                        help="comma-separated fractions of fully observable nodes; 'a,b,...,c' "
                             "expands to an arithmetic series (default: 0.01,0.02,0.03,0.05,"
                             "0.1,0.2,0.3,0.5,0.75,1)")
    parser.add_argument("--bias", type=float, default=2.0, help="boundary weight w (default 2)")
    parser.add_argument("--epsilon", type=float, default=0.5, help="IMM epsilon (default 0.5)")
    parser.add_argument("--ell", type=float, default=1.0, help="IMM ell (default 1)")
    parser.add_argument("--algorithms", default="random,degree,imm",
                        help="comma-separated: random, degree, imm (default: all three)")
    parser.add_argument("--modes", default="oneshot,adaptive",
                        help="comma-separated: oneshot, adaptive (default: both)")
    parser.add_argument("--members", default=None, metavar="FILE",
                        help="file of member labels (one per line): a fixed organisation "
                             "instead of grown ones")
    parser.add_argument("--initial", type=int, default=4,
                        help="initial random members when growing O (default 4)")
    parser.add_argument("--executor", default="local", help="local (default), process or dask")
    parser.add_argument("--workers", type=int, default=None,
                        help="workers of the process/dask executor (default: CPU count)")
    parser.add_argument("--threads", type=int, default=None,
                        help="numba threads per selector call (results do not depend on it)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="tasks per executor item (default 4)")
    parser.add_argument("--output", "-o", default=DEFAULT_OUTPUT, metavar="DIR",
                        help=f"output directory (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--rng", type=int, default=0, help="root seed (default 0)")
    parser.add_argument("--no-resume", dest="resume", action="store_false",
                        help="start afresh even if DIR holds a partial run")
    parser.add_argument("--no-plots", dest="plots", action="store_false",
                        help="skip the PNG figures")
    add_run_options(parser, memory=False)


def parse_visibility(text: str, *, func: str = "org-boundaries") -> list[float]:
    """'0.01,0.02,...,0.1,0.2' -> floats; '...' continues the step of the two values before."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out: list[float] = []
    i = 0
    try:
        while i < len(parts):
            p = parts[i]
            if p in ("...", "…"):
                if len(out) < 2 or i + 1 >= len(parts):
                    raise ValueError
                a, b = out[-2], out[-1]
                end = float(parts[i + 1])
                step = b - a
                if step <= 0 or end < b:
                    raise ValueError
                k = 1
                while b + k * step < end - 1e-9:
                    out.append(round(b + k * step, 10))
                    k += 1
                i += 1
                continue
            out.append(float(p))
            i += 1
    except ValueError:
        fail(func, "visibility", "comma-separated fractions in (0, 1] (optionally 'a,b,...,c')",
             text)
    if not out:
        fail(func, "visibility", "a non-empty list of fractions in (0, 1]", text)
    return out


def _load_graph(args):
    """--graph FILE (weighted cascade; undirected unless --directed) or --dataset NAME."""
    from ._commands import load_graph

    func = "org-boundaries"
    if args.graph is not None:
        return load_graph(args.graph, weights="wc", directed=bool(args.directed), func=func,
                          param="--graph", kind="file")
    return load_graph(args.dataset, func=func, param="--dataset", kind="dataset")


def _read_members(path, G):
    if not os.path.isfile(path):
        raise InvalidParameterError(
            f"The '--members' parameter of org-boundaries must be an existing file of labels. "
            f"Got {path!r}.", param="members", value=path)
    try:
        from ..graph.io import read_labels

        return read_labels(path, G)
    except ImportError:  # pragma: no cover - older layout
        labels = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                s = line.split("#", 1)[0].strip()
                if s:
                    labels.append(int(s) if s.lstrip("-").isdigit() else s)
        return labels


def run(args) -> dict:
    """Run the sweep into ``--output``; the record printed on stdout."""
    from .._io import check_writable, remove_created
    from ._record import base_record, config_from_args
    from ._shared import progress_flag

    func = "org-boundaries"
    created = check_writable(args.output, "--output", func=func, directory=True)
    try:
        return _run(args, func, progress_flag(args), base_record, config_from_args)
    except BaseException:
        if created:
            _remove_unstarted(args.output)
            remove_created(created)
        raise


def _remove_unstarted(output) -> None:
    """Remove what a run that finished no trial wrote into the folder it created."""
    from pathlib import Path

    out = Path(output)
    journal = out / "trials.csv"
    if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) > 1:
        return  # finished trials: kept for --resume
    for name in ("trials.csv", "config.json"):
        try:
            (out / name).unlink()
        except FileNotFoundError:
            pass


def _run(args, func, progress, base_record, config_from_args) -> dict:
    from ..observability import DEFAULT_VISIBILITY, benchmark

    t_start = time.perf_counter()
    vis = DEFAULT_VISIBILITY if args.visibility is None else parse_visibility(args.visibility)
    G, info = _load_graph(args)
    model = (args.model or "wc").lower()
    p = args.p
    if model == "ic" and p is None and args.graph is None:
        p = 0.01
    members = None if args.members is None else _read_members(args.members, G)
    executor = (args.executor or "local").lower()
    if executor not in ("local", "process", "dask"):
        fail(func, "executor", "one of 'local', 'process', 'dask'", args.executor)
    n_threads = args.threads
    if n_threads is None and executor != "local":
        n_threads = 1  # one numba thread per worker process
    weights = "wc" if model == "wc" else (p if p is not None else "graph")
    res = benchmark(G, visibility=vis, algorithms=args.algorithms, modes=args.modes,
                    n_seeds=args.seeds, trials=args.trials, bias=args.bias, weights=weights,
                    epsilon=args.epsilon, ell=args.ell, initial=args.initial, members=members,
                    executor=executor, n_workers=args.workers, n_threads=n_threads,
                    output=args.output, rng=args.rng, progress=progress,
                    resume=args.resume, batch_size=args.batch_size, plots=args.plots)
    summary = dict(res.summary)
    record = base_record("experiment", config_from_args(args, model=model, p=p), info)
    record["experiment"] = "org-boundaries"
    record["settings"] = summary.pop("config", {})
    record.update(summary)
    record["files"] = dict(summary.get("files", res.files))
    record["timings"] = {"total_seconds": time.perf_counter() - t_start}
    return record
