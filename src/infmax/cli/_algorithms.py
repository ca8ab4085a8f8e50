"""``infmax algorithms list``: the registered seed selectors, read from the one registry.

A table on stdout (name, input kind, models, candidates, node_weights, aliases) or, with
``--json``, one JSON record ``{"algorithms": [...]}`` (see
:meth:`infmax.algorithms.registry.SelectorInfo.to_dict`).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_arguments", "input_kind", "run", "table"]


def input_kind(text: str) -> str:
    """``--input``: one of the registry's input kinds (checked when given, so that building the
    parser does not import the algorithms: ``infmax --help`` stays fast)."""
    from ..algorithms.registry import INPUT_KINDS

    if text not in INPUT_KINDS:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {text!r} (choose from {', '.join(map(repr, INPUT_KINDS))})")
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``list`` action and its options to the ``algorithms`` subcommand's parser."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    p = sub.add_parser("list", help="registered seed selectors (name, input, models, ...)",
                       description="The seed selectors `--algorithm` accepts, with the input "
                                   "they read, the diffusion models they support and whether "
                                   "they take candidates and node weights.")
    p.add_argument("--input", type=input_kind, default=None, metavar="KIND",
                   help="only selectors of this input kind: graph (static), temporal or "
                        "cascades (default: all)")
    p.add_argument("--json", action="store_true", help="print a JSON record instead of a table")


def table(infos) -> str:
    """Plain-text table of :class:`SelectorInfo` entries."""
    head = ("name", "input", "models", "candidates", "node_weights", "aliases")
    rows = [(i.name, i.input, ",".join(i.models) or "-", "yes" if i.candidates else "no",
             "yes" if i.node_weights else "no", ",".join(i.aliases) or "-") for i in infos]
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    return "\n".join(lines) + "\n"


def run(args) -> dict | None:
    """The JSON record with ``--json``; otherwise print the table and return None.

    Selectors are listed by input kind (graph, temporal, cascades), each kind in registration
    order, whatever order the providers happened to be imported in.
    """
    from ..algorithms import registry

    infos = sorted(registry.selectors(getattr(args, "input", None)),
                   key=lambda i: registry.INPUT_KINDS.index(i.input))
    if getattr(args, "json", False):
        return {"algorithms": [i.to_dict() for i in infos]}
    sys.stdout.write(table(infos))
    return None
