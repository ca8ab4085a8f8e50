"""Argument parsing and dispatch for ``infmax``."""

from __future__ import annotations

import argparse
import json
import sys

from .. import __version__, _interrupt
from ..datasets._registry import KINDS as DATASET_KINDS
from ..exceptions import InfmaxError
from . import _algorithms
from ._shared import Parser as _Parser
from ._shared import UsageError, add_run_options, line, notice

__all__ = ["main", "build_parser", "EXPERIMENTS", "DEMO_OUTPUT", "UsageError"]


# -- command handlers: each imports its module when the command runs (``--help`` stays fast) --
def _seeds(args):
    if getattr(args, "cascades", False):
        from ._cascades import run_seeds

        return run_seeds(args)
    from ._commands import seeds

    return seeds(args)


def _dni(args):
    from ._cascades import run_dni

    return run_dni(args)


def _spread(args):
    from ._commands import spread

    return spread(args)


def _convert(args):
    from ._convert import run

    return run(args)


def _datasets(args):
    from ._commands import datasets

    return datasets(args)


def _demo(args):
    from ._demo import run_demo

    return run_demo(args)


# -- experiments: name -> (loader of the driver module, help); a driver has add_arguments(parser)
# and run(args) -> record. The loaders import on parser construction, not on ``import infmax``.
def _exp_org():
    from . import _exp_org

    return _exp_org


def _exp_bopim():
    from . import _exp_bopim

    return _exp_bopim


def _exp_aditum():
    from . import _exp_aditum

    return _exp_aditum


def _exp_iminfector():
    from . import _exp_iminfector

    return _exp_iminfector


EXPERIMENTS = {
    "org-boundaries": (_exp_org, "IM beyond organisational boundaries (visibility sweep)"),
    "bopim": (_exp_bopim,
              "BOPIM on temporal contact networks: the paper's comparisons as CSV + PNG"),
    "aditum": (_exp_aditum,
               "ADITUM (targeted, diversity-aware IM): the paper's evaluation as CSV + PNG"),
    "iminfector": (_exp_iminfector,
                   "IMINFECTOR and baselines on cascade sets: DNI vs k and time per phase"),
}


def _no_experiment(args):
    raise UsageError("infmax experiment: choose one of " + ", ".join(EXPERIMENTS))


def _unavailable(name: str, missing: str | None):
    def handler(args):
        raise UsageError(f"infmax experiment: {name} is not available in this installation "
                         f"(it needs {missing})")

    return handler


#: cascade file formats (:data:`infmax.datasets.cascades.FORMATS`; not imported for --help)
_CASCADE_FORMATS = ("infvae", "topolstm", "forest", "douban", "deephawkes", "digg", "weibo")

#: ``infmax demo`` writes here by default (an ignored folder, not the repository root)
DEMO_OUTPUT = "out/infmax-demo.json"


def _add_graph_options(p: argparse.ArgumentParser, *, model_help: str) -> None:
    p.add_argument("graph", metavar="GRAPH",
                   help="edge-list file (whitespace/tab/comma, optional probability column, .gz), "
                        "a binary graph written by `infmax convert`, or a registered dataset "
                        "name (see `infmax datasets list`)")
    p.add_argument("--model", default=None, help=model_help)
    p.add_argument("--weights", default=None,
                   help="edge weights: wc (weighted cascade, default), uniform:P, trivalency, or "
                        "file (the probability column of GRAPH)")
    p.add_argument("--undirected", action="store_true",
                   help="read an edge-list file as undirected (each edge in both directions)")
    p.add_argument("--rng", type=int, default=None, help="random seed (default: fresh entropy)")
    p.add_argument("--threads", type=int, default=None,
                   help="numba threads (results do not depend on it)")
    p.add_argument("--output", "-o", default=None,
                   help="write the JSON record to this file (atomically) instead of stdout")
    add_run_options(p)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The ``infmax`` argument parser.

    With ``argv`` (the command line it will parse), an experiment driver is imported only
    when ``argv`` runs that experiment (``infmax seeds ...`` and ``infmax experiment --help``
    import none); without it, every driver is imported (the complete parser).
    """
    parser = _Parser(prog="infmax", description="Influence maximization toolkit.")
    parser.add_argument("--version", action="version", version=f"infmax {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("seeds", help="select k seeds with an algorithm",
                       description="Select K seed nodes of GRAPH with an algorithm and print a "
                                   "JSON record (config, version, seeds, estimates, timings).")
    p.set_defaults(handler=_seeds)
    _add_graph_options(p, model_help="diffusion model: ic or lt, one the algorithm supports "
                                     "(default: ic; with --temporal: si, the only one)")
    p.add_argument("-k", type=int, required=True, help="number of seeds (1 <= K <= n)")
    p.add_argument("--algorithm", "-a", default=None,
                   help="a registered selector (see `infmax algorithms list`; default imm, "
                        "with --temporal bopim)")
    p.add_argument("--epsilon", type=float, default=None,
                   help="RIS accuracy epsilon in (0, 1) (imm, tim+, opim-c; default 0.1)")
    p.add_argument("--executor", choices=("local", "dask"), default=None,
                   help="imm, tim+, opim-c: sample and select with RR sets sharded over a Dask "
                        "cluster (dask; a LocalCluster unless --scheduler) or in this process "
                        "(local, default); the seeds are the same either way")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --executor dask: address of a running Dask scheduler, e.g. "
                        "tcp://10.0.0.5:8786 (default: start a LocalCluster)")
    p.add_argument("--workers", type=int, default=None,
                   help="with --executor dask and no --scheduler: LocalCluster workers "
                        "(default: CPU count)")
    p.add_argument("--eta", type=float, default=None,
                   help="simpath: path-pruning threshold eta (default 0.001; the IMINFECTOR "
                        "paper used 0.01)")
    p.add_argument("--final", choices=("reuse-corrected", "fresh", "reuse"), default=None,
                   help="imm: RR sets of the final selection (default reuse-corrected: the "
                        "estimation sets reused with Chen's union-bound correction; fresh: "
                        "sampled anew; reuse: the paper's unproven reuse)")
    p.add_argument("--ell", type=float, default=None,
                   help="RIS failure probability exponent: guarantee holds w.p. 1 - n^-ell")
    p.add_argument("--node-weights", default=None, metavar="FILE",
                   help="file of 'label weight' lines: RIS root weights (targeted IM)")
    p.add_argument("--simulations", type=int, default=None,
                   help="Monte Carlo simulations per oracle call (celf, celf++, greedy, "
                        "temporal algorithms)")
    p.add_argument("--evaluate", type=int, default=0, metavar="N",
                   help="re-estimate the seeds' spread with N Monte Carlo simulations (default 0)")
    p.add_argument("--temporal", action="store_true",
                   help="GRAPH is a temporal contact list or temporal dataset (SI model)")
    p.add_argument("--snapshots", type=int, default=None, help="temporal: number of snapshots T")
    p.add_argument("--beta", type=float, default=None,
                   help="temporal: SI infection probability per contact")
    p.add_argument("--kernel", default=None, help="bopim: set kernel, hamming or jaccard")
    p.add_argument("--binning", choices=("duration", "events"), default=None,
                   help="temporal: snapshots of equal duration (default) or equal event counts")
    p.add_argument("--contact-format", choices=("auto", "tij", "konect", "haggle", "one"),
                   default=None, help="temporal: format of a contact file (default: auto)")
    p.add_argument("--directed", action="store_true",
                   help="temporal: keep contacts directed (default: undirected)")
    p.add_argument("--n-initial", type=int, default=None,
                   help="bopim: number of initial seed sets (default 5)")
    p.add_argument("--n-iterations", type=int, default=None,
                   help="bopim: Bayesian optimisation iterations (default 20)")
    p.add_argument("--mcmc-draws", type=int, default=None,
                   help="bopim: Gibbs draws kept after burn-in (default 5000)")
    p.add_argument("--burn-in", type=int, default=None,
                   help="bopim: Gibbs burn-in draws (default 1000)")
    # targeted / diversity-aware selection (aditum, ris-u, ris-w, degd-u, degd-w)
    p.add_argument("--scores", default=None, metavar="FILE|lurkerrank|indegree|uniform",
                   help="aditum, ris-u/w: target scores l(v), a file of 'label score' lines or "
                        "one of lurkerrank (max-scaled; with --model lt and no --weights the "
                        "graph takes LurkerRank's LT weights), indegree, uniform (default)")
    tg = p.add_mutually_exclusive_group()
    tg.add_argument("--tau", type=float, default=None,
                    help="aditum, ris-u/w: targets are the nodes with score >= TAU")
    tg.add_argument("--top", default=None, metavar="Q",
                    help="aditum, ris-u/w: targets are the top share of the scores, e.g. 25%% "
                         "or 0.25")
    p.add_argument("--profiles", default=None,
                   metavar="FILE|synthetic:m=10,v=5,dist=exp|genres[:bins=Q]",
                   help="aditum, ris-u/w, degd-u/w: categorical profiles, a file of "
                        "'node a1 ... am' lines, a synthetic spec (m attributes, v values, "
                        "dist uniform or exp, optional rate and seed), or genres: the "
                        "MovieLens genre counts (GRAPH movielens), optionally in Q quantile "
                        "bins")
    p.add_argument("--diversity", default=None,
                   help="aditum: attribute, hamming, entropy or class (default attribute)")
    p.add_argument("--alpha", type=float, default=None,
                   help="aditum, ris-u/w: weight of the capital against diversity, in [0, 1] "
                        "(default 0.5)")
    p.add_argument("--radius", type=int, default=None,
                   help="aditum --diversity hamming: Hamming radius (default 1)")
    p.add_argument("--gamma", type=float, default=None,
                   help="degd-u/w: weight of the diversity against degree, in [0, 1] "
                        "(default 0.5)")
    p.add_argument("--cascades", action="store_true",
                   help="GRAPH is a cascade file (with --format) or a registered cascade set: "
                        "train on its training part, DNI on its test part")
    p.add_argument("--format", default=None, help="cascades: format of a cascade file ("
                   + ", ".join(_CASCADE_FORMATS) + ")")
    p.add_argument("--graph", dest="social_graph", default=None, metavar="SOCIAL_GRAPH",
                   help="cascades: a social graph (edge-list file or graph dataset) the users "
                        "share ids with")
    p.add_argument("--train-fraction", type=float, default=None,
                   help="cascades: the earliest fraction of cascades to train on (default "
                        "0.8; Inf-VAE sets use their shipped split)")
    p.add_argument("--epochs", type=int, default=None,
                   help="cascades: training epochs of a learned selector (iminfector: 5)")

    p = sub.add_parser("spread", help="estimate the expected spread of a seed set",
                       description="Monte Carlo estimate of the expected spread of a seed set; "
                                   "prints mean, stderr, ci95 and n_simulations.")
    p.set_defaults(handler=_spread)
    _add_graph_options(p, model_help="diffusion model: ic or lt (default: ic)")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--seeds", help="comma-separated seed labels, e.g. 3,17,42")
    g.add_argument("--seeds-file", help="file with one seed label per line")
    p.add_argument("--simulations", type=int, default=10_000,
                   help="number of simulations (default 10000)")

    p = sub.add_parser("dni", help="DNI of a seed set on test cascades",
                       description="Distinct nodes influenced: the users of the test cascades "
                                   "a seed started, with a 95 %% bootstrap interval; prints a "
                                   "JSON record.")
    p.set_defaults(handler=_dni)
    p.add_argument("test_cascades", metavar="TEST_CASCADES",
                   help="a cascade file (all of it is test; needs --format) or a registered "
                        "cascade set (its test part)")
    p.add_argument("--seeds", required=True, help="comma-separated seed labels, e.g. 3,17,42")
    p.add_argument("--format", default=None, help="format of a cascade file ("
                   + ", ".join(_CASCADE_FORMATS) + ")")
    p.add_argument("--train-fraction", type=float, default=None,
                   help="a registered set split by time: the training fraction (default 0.8)")
    p.add_argument("--rng", type=int, default=None, help="random seed of the bootstrap")
    p.add_argument("--output", "-o", default=None,
                   help="write the JSON record to this file (atomically) instead of stdout")
    add_run_options(p, memory=False)

    p = sub.add_parser("convert", help="write an edge list as a binary graph (fast to load)",
                       description="Read EDGES (an edge-list file or a graph dataset) and write "
                                   "it to OUT in infmax's binary graph format (CSR, reverse CSR, "
                                   "probabilities, labels), which every GRAPH argument accepts "
                                   "and which loads by memory-mapping; prints a JSON record "
                                   "(n, m, bytes, seconds).")
    p.set_defaults(handler=_convert)
    from ._convert import add_arguments as _convert_arguments

    _convert_arguments(p)

    p = sub.add_parser("datasets", help="list, describe or locate registered datasets")
    p.set_defaults(handler=_datasets)
    dsub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    dl = dsub.add_parser("list", help="registered datasets")
    dl.add_argument("--kind", default=None, choices=DATASET_KINDS,
                    help="only datasets of this kind: " + ", ".join(DATASET_KINDS))
    di = dsub.add_parser("info", help="source, files, statistics, local availability")
    di.add_argument("name")
    dp = dsub.add_parser("path", help="local file paths (downloads into the cache if needed)")
    dp.add_argument("name")
    dp.add_argument("--no-download", action="store_true")

    p = sub.add_parser("algorithms", help="list the registered seed selectors",
                       description="The seed selectors --algorithm accepts (default ACTION: "
                                   "list).")
    p.set_defaults(handler=_algorithms.run)
    _algorithms.add_arguments(p)

    p = sub.add_parser("demo", help="seeds on NetHEPT with two algorithms, spreads, JSON record")
    p.set_defaults(handler=_demo)
    p.add_argument("--output", "-o", default=DEMO_OUTPUT,
                   help=f"where to write the JSON record (default: {DEMO_OUTPUT})")
    p.add_argument("-k", type=int, default=50, help="seeds per algorithm (default 50)")
    p.add_argument("--rng", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--simulations", type=int, default=10_000,
                   help="Monte Carlo simulations per spread estimate (default 10000)")
    add_run_options(p)

    p = sub.add_parser("experiment", help="run a paper's experiment (CSV, JSON, PNG)")
    p.set_defaults(handler=_no_experiment)
    esub = p.add_subparsers(dest="experiment", metavar="NAME", parser_class=_Parser)
    for name, (_, help_) in EXPERIMENTS.items():
        ep = esub.add_parser(name, help=help_, description=help_)
        if argv is None or _chosen_experiment(argv) == name:
            _load_experiment(name, ep)
    return parser


def _chosen_experiment(argv: list[str]) -> str | None:
    """The NAME of ``infmax experiment NAME ...`` in ``argv``, else None."""
    words = [a for a in argv if not a.startswith("-")]
    return words[1] if len(words) > 1 and words[0] == "experiment" else None


def _load_experiment(name: str, ep: argparse.ArgumentParser) -> None:
    """Give the subparser of experiment ``name`` its driver's options and handler."""
    try:
        driver = EXPERIMENTS[name][0]()
    except ModuleNotFoundError as exc:  # an optional dependency of the driver is absent
        ep.set_defaults(handler=_unavailable(name, exc.name))
    else:
        driver.add_arguments(ep)
        ep.set_defaults(handler=driver.run)


#: gen-0 threshold of the garbage collector while the console script runs (Python's default
#: is 700): see :func:`main`
CLI_GC_GEN0 = 20_000


def main(argv: list[str] | None = None) -> int:
    """Run the console script; returns the exit status.

    0 success; 2 bad input (one line on stderr); 130 Ctrl-C (SIGINT) and 143 SIGTERM, each with
    one line on stderr and no partial output file.

    With ``argv=None`` (the process's own command line: the ``infmax`` script, ``python -m
    infmax``) the process exits after the call, and the garbage collector is tuned for that:
    importing numba and loading kernels allocates ~10^5 long-lived objects, which the default
    gen-0 threshold re-scans in ~250 collections, and which the collections at interpreter
    shutdown scan once more. The gen-0 threshold is raised to :data:`CLI_GC_GEN0` for the
    run and the surviving objects are frozen (:func:`gc.freeze`) when it ends, so shutdown only
    frees memory (atexit handlers still run). Cyclic garbage is still collected during the
    run. A call with a list (tests, other programs) leaves the collector alone.
    """
    if argv is not None:
        return _main(argv)
    import gc

    gen0, *older = gc.get_threshold()
    gc.set_threshold(max(gen0, CLI_GC_GEN0), *older)
    try:
        return _main(None)
    finally:
        gc.freeze()


def _main(argv: list[str] | None) -> int:
    _interrupt.install_cli_handlers()
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        # the whole command in one section: a signal never raises inside a numba call (or
        # while its result is boxed); long phases stop at their checkpoints
        with _interrupt.interruptible():
            record = _run(args)
        if record is not None:
            _emit(record, getattr(args, "output", None), args.command, args)
        return 0
    except InfmaxError as exc:
        return _error(str(exc))
    except MemoryError as exc:  # an allocation the library's estimate missed
        return _error(f"out of memory ({exc or 'MemoryError'}); use smaller parameters or "
                      "set --max-memory to fail early")
    except KeyboardInterrupt as exc:
        code = _interrupt.exit_code_for(exc)
        what = "terminated (SIGTERM)" if code == 143 else "interrupted"
        line(f"infmax: {what}; no partial output was written (experiments keep finished "
              "trials and resume)")
        return code
    except BrokenPipeError:
        return 0


def _run(args):
    """Run the command's handler; the record to print, or None when it wrote its own output.

    ``--output`` is checked before any work (a run that fails leaves no file and no folder it
    created), and numba compilations are timed and announced once on stderr.
    """
    from .._io import check_writable, remove_created
    from ._compile import CompileWatch

    output = getattr(args, "output", None)
    created = []
    if output and args.command in ("seeds", "spread", "demo", "dni"):
        created = check_writable(output, "--output", func=f"infmax {args.command}")
    watch = CompileWatch(notify=lambda msg: notice(args, msg))
    args._compile = watch
    try:
        with watch:
            return args.handler(args)
    except BaseException:
        remove_created(created)
        raise


def _error(msg: str) -> int:
    line(f"infmax: error: {msg}")
    return 2


def record_text(record: dict) -> str:
    """The JSON text of a record (UTF-8, labels unescaped)."""
    from ..results import to_jsonable

    return json.dumps(to_jsonable(record), indent=2, ensure_ascii=False) + "\n"


def _emit(record: dict, output: str | None, command: str, args=None) -> None:
    from .._io import atomic_write_text

    text = record_text(record)
    if output and command != "experiment":
        atomic_write_text(output, text)
        notice(args, f"wrote {output}")
    else:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a non-UTF-8 locale: write the bytes ourselves
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()

