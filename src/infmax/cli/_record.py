"""The JSON records the CLI writes: one schema (``record.schema.json``), one version field.

Every record (``seeds`` static and temporal, ``spread``, ``demo``, and the ``experiment``
summaries) starts with the same header, built by :func:`base_record`::

    {"schema_version": 1, "command": "...", "infmax_version": "...", "config": {...}, ...}

``config`` holds the options that apply to the run (``None`` values and options of the other
mode left out) with the values actually used. The schema is documented in ``docs/records.md``;
tests validate every kind of record against it with :func:`validate`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from .. import __version__

__all__ = ["SCHEMA_VERSION", "base_record", "config_from_args", "schema", "validate"]

#: bumped whenever a field is renamed or removed, or its meaning changes
SCHEMA_VERSION = 1

#: options that only concern the terminal, not the result
_UI_ONLY = frozenset({"progress", "quiet"})
#: parser bookkeeping: the subcommand and the function that runs it
_DISPATCH = frozenset({"command", "handler"})
#: options of ``infmax seeds`` that apply only with --temporal, and only without it
_TEMPORAL_ONLY = frozenset({"snapshots", "beta", "binning", "contact_format", "directed",
                            "n_initial", "n_iterations", "mcmc_draws", "burn_in", "kernel"})
_STATIC_ONLY = frozenset({"undirected", "weights", "epsilon", "ell", "node_weights",
                          "model"})


def config_from_args(args, *, temporal: bool | None = None, **used) -> dict:
    """The ``config`` of a record: the options given (or defaulted) that apply to the run.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options (private ``_...`` attributes, ``command`` and ``handler`` are left out).
    temporal : bool or None
        For ``infmax seeds``: drop the options of the other mode (True: static-only options;
        False: temporal-only options and the ``temporal`` flag itself).
    **used
        Values actually used where they differ from the option (defaults filled in, names
        resolved); they replace or extend the options.
    """
    cfg = {}
    for k, v in vars(args).items():
        if k.startswith("_") or k in _DISPATCH or k in _UI_ONLY or v is None:
            continue
        if temporal is True and k in _STATIC_ONLY:
            continue
        if temporal is False and (k in _TEMPORAL_ONLY or k == "temporal"):
            continue
        if temporal is not None and k == "cascades":  # the graph and temporal modes
            continue
        cfg[k] = v
    cfg.update(used)
    return cfg


def base_record(command: str, config: dict, graph: dict | None = None) -> dict:
    """The header every record starts with (``graph`` only for commands that read one)."""
    rec = {"schema_version": SCHEMA_VERSION, "command": command,
           "infmax_version": __version__, "config": config}
    if graph is not None:
        rec["graph"] = graph
    return rec


@cache
def schema() -> dict:
    """The JSON Schema (draft 2020-12) of every record, shipped in the package."""
    text = resources.files(__package__).joinpath("record.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(record: dict) -> None:
    """Raise ``jsonschema.ValidationError`` if ``record`` (as written) breaks the schema.

    Needs the ``jsonschema`` package (a development dependency).
    """
    import jsonschema

    from ..results import to_jsonable

    jsonschema.validate(json.loads(json.dumps(to_jsonable(record))), schema(),
                        cls=jsonschema.Draft202012Validator)
