"""``infmax convert EDGES OUT``: an edge list (or a graph dataset) to the binary graph format."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``infmax convert``."""
    p.add_argument("edges", metavar="EDGES",
                   help="an edge-list file (text, .gz, .bz2) or a registered graph dataset")
    p.add_argument("out", metavar="OUT", help="the binary graph file to write (atomically)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--directed", dest="undirected", action="store_false", default=False,
                   help="each line is an arc (default)")
    g.add_argument("--undirected", dest="undirected", action="store_true",
                   help="each line is an undirected edge (stored as both arcs)")
    p.add_argument("--weights", "-w", default=None,
                   help="edge weights: wc, uniform:P, trivalency or file (default: the "
                        "probability column when the file has one, else wc)")
    p.add_argument("--rng", type=int, default=None, help="random seed (for trivalency)")
    p.add_argument("--quiet", "-q", action="store_true", help="no notices on stderr")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Read ``EDGES``, write ``OUT``; the JSON record (n, m, bytes, timings)."""
    from .._io import check_writable, remove_created
    from ..graph import binary
    from ._commands import load_graph
    from ._record import base_record, config_from_args

    func = "infmax convert"
    t_start = time.perf_counter()
    created = check_writable(args.out, "OUT", func=func)
    try:
        G, info = load_graph(args.edges, weights=args.weights,
                             directed=False if args.undirected else None, rng=args.rng,
                             func=func, param="EDGES")
        t0 = time.perf_counter()
        G.rindptr  # noqa: B018  (the reverse CSR is part of the file: time it on its own)
        reverse_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        nbytes = binary.save(G, args.out)
        write_s = time.perf_counter() - t0
    except BaseException:
        remove_created(created)
        raise
    in_bytes = os.path.getsize(args.edges) if os.path.isfile(args.edges) else None
    record = base_record("convert", config_from_args(args), info)
    record.update({"output": args.out, "n": G.n, "m": G.m, "bytes": nbytes,
                   "input_bytes": in_bytes,
                   "timings": {"read_seconds": info["load_seconds"],
                               "reverse_seconds": reverse_s, "write_seconds": write_s,
                               "total_seconds": time.perf_counter() - t_start}})
    return record
