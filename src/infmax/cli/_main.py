"""Argument parsing and dispatch for ``infmax``."""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time

from .. import __version__, _interrupt
from ..datasets._registry import KINDS as DATASET_KINDS
from ..exceptions import InfmaxError

EXPERIMENTS = {
    "org-boundaries": ("infmax.cli._exp_org",
                       "IM beyond organisational boundaries (visibility sweep)"),
    "bopim": ("infmax.cli._exp_bopim",
              "BOPIM on temporal contact networks: the paper's comparisons as CSV + PNG"),
}


#: ``infmax demo`` writes here by default (an ignored folder, not the repository root)
DEMO_OUTPUT = "out/infmax-demo.json"


class UsageError(InfmaxError):
    """Bad command-line usage (reported like any other bad input: one line, exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse would print the usage too)
        raise UsageError(f"{self.prog}: {message}")


def _add_graph_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", metavar="GRAPH",
                   help="edge-list file (whitespace/tab/comma, optional probability column, .gz) "
                        "or a registered dataset name (see `infmax datasets list`)")
    p.add_argument("--model", default="ic", help="diffusion model: ic or lt (default: ic)")
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


def parse_size(text: str) -> int:
    """``--max-memory``: bytes, or a number with a unit K, M, G or T (powers of 1024), e.g.
    ``500M``, ``8G``, ``1.5GiB``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([KMGT]?)(?:I?B)?\s*", str(text), re.IGNORECASE)
    nbytes = float(m[1]) * _UNITS.get(m[2].upper(), 1) if m else 0.0
    if not nbytes >= 1:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of bytes or a size such as 500M or 8G; got {text!r}")
    return int(nbytes)


_UNITS = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def add_run_options(p: argparse.ArgumentParser, *, memory: bool = True) -> None:
    """Options every computing command shares: progress bars, --quiet, --max-memory."""
    p.add_argument("--progress", action="store_true", default=None,
                   help="show progress bars on stderr (default: on when stderr is a terminal "
                        "and CI is not set; INFMAX_PROGRESS=0/1 overrides)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress bars and no notices on stderr (errors are still printed)")
    if memory:
        p.add_argument("--max-memory", type=parse_size, default=None, metavar="SIZE",
                       help="memory limit for the large arrays (RR sets, simulation outputs, "
                            "snapshots): bytes or 500M, 8G, ... (default: the available memory "
                            "minus a margin)")


def progress_flag(args) -> bool | None:
    """The ``progress=`` argument for library calls: False under --quiet, True with
    --progress, else None (on when stderr is a terminal)."""
    if getattr(args, "quiet", False):
        return False
    return True if getattr(args, "progress", None) else None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="infmax", description="Influence maximization toolkit.")
    parser.add_argument("--version", action="version", version=f"infmax {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("seeds", help="select k seeds with an algorithm",
                       description="Select K seed nodes of GRAPH with an algorithm and print a "
                                   "JSON record (config, version, seeds, estimates, timings).")
    _add_graph_options(p)
    p.add_argument("-k", type=int, required=True, help="number of seeds (1 <= K <= n)")
    p.add_argument("--algorithm", "-a", default=None,
                   help="imm, tim+, opim-c, celf, celf++, greedy, degree, single-discount, "
                        "degree-discount, kcore, pagerank, random (default: imm); with "
                        "--temporal: bopim, greedy, dynamic-degree, random, random-degree "
                        "(default: bopim)")
    p.add_argument("--epsilon", type=float, default=None,
                   help="RIS accuracy epsilon in (0, 1) (imm, tim+, opim-c; default 0.1)")
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

    p = sub.add_parser("spread", help="estimate the expected spread of a seed set",
                       description="Monte Carlo estimate of the expected spread of a seed set; "
                                   "prints mean, stderr, ci95 and n_simulations.")
    _add_graph_options(p)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--seeds", help="comma-separated seed labels, e.g. 3,17,42")
    g.add_argument("--seeds-file", help="file with one seed label per line")
    p.add_argument("--simulations", type=int, default=10_000,
                   help="number of simulations (default 10000)")

    p = sub.add_parser("datasets", help="list, describe or locate registered datasets")
    dsub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    dl = dsub.add_parser("list", help="registered datasets")
    dl.add_argument("--kind", default=None, choices=DATASET_KINDS,
                    help="only datasets of this kind: " + ", ".join(DATASET_KINDS))
    di = dsub.add_parser("info", help="source, files, statistics, local availability")
    di.add_argument("name")
    dp = dsub.add_parser("path", help="local file paths (downloads into the cache if needed)")
    dp.add_argument("name")
    dp.add_argument("--no-download", action="store_true")

    p = sub.add_parser("demo", help="seeds on NetHEPT with two algorithms, spreads, JSON record")
    p.add_argument("--output", "-o", default=DEMO_OUTPUT,
                   help=f"where to write the JSON record (default: {DEMO_OUTPUT})")
    p.add_argument("-k", type=int, default=50, help="seeds per algorithm (default 50)")
    p.add_argument("--rng", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--simulations", type=int, default=10_000,
                   help="Monte Carlo simulations per spread estimate (default 10000)")
    add_run_options(p)

    p = sub.add_parser("experiment", help="run a paper's experiment (CSV, JSON, PNG)")
    esub = p.add_subparsers(dest="experiment", metavar="NAME", parser_class=_Parser)
    for name, (mod, help_) in EXPERIMENTS.items():
        ep = esub.add_parser(name, help=help_, description=help_)
        try:
            importlib.import_module(mod).add_arguments(ep)
        except ModuleNotFoundError:
            ep.set_defaults(_unavailable=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the console script; returns the exit status.

    0 success; 2 bad input (one line on stderr); 130 Ctrl-C (SIGINT) and 143 SIGTERM, each with
    one line on stderr and no partial output file.
    """
    _interrupt.install_cli_handlers()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        from . import _commands

        # the whole command in one section: a signal never raises inside a numba call (or
        # while its result is boxed); long phases stop at their checkpoints
        with _interrupt.interruptible():
            record = _commands.dispatch(args, parser)
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
        _line(f"infmax: {what}; no partial output was written (experiments keep finished "
              "trials and resume)")
        return code
    except BrokenPipeError:
        return 0


def _line(msg: str) -> None:
    """One line on stderr (after closing any progress bar an interrupt left open)."""
    from .._progress import close_all

    try:
        close_all()
        sys.stderr.write(msg.replace("\n", " ") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: nothing more to say
        pass


def _error(msg: str) -> int:
    _line(f"infmax: error: {msg}")
    return 2


def notice(args, msg: str) -> None:
    """A one-line notice on stderr, unless --quiet."""
    if not getattr(args, "quiet", False):
        _line(f"infmax: {msg}")


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


def now() -> float:
    return time.perf_counter()
