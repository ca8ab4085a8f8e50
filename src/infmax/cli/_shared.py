"""Pieces every part of the command line uses: the parser class, its error, the run options,
stderr lines and notices, and the checks that turn options into library arguments.

This module imports no other module of :mod:`infmax.cli`, so the parser (``_main``) and the
command handlers (``_commands``, ``_temporal``, ``_demo``, the experiment drivers) can all
import it without an import cycle.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from typing import TYPE_CHECKING, Any

from .._validation import Interval, check, fail
from ..exceptions import InfmaxError, InvalidParameterError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np

    from ..random import RngLike

__all__ = ["number_grid", "UsageError", "Parser", "parse_size", "add_run_options", "progress_flag",
           "evaluation_rng", "line",
           "notice", "max_memory_kw", "resolve_selector", "check_selector_model"]


class UsageError(InfmaxError):
    """Bad command-line usage (reported like any other bad input: one line, exit 2)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are :class:`UsageError` (one line, exit 2) instead of the
    usage text followed by ``SystemExit``."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


_UNITS = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_size(text: str) -> int:
    """``--max-memory``: bytes, or a number with a unit K, M, G or T (powers of 1024), e.g.
    ``500M``, ``8G``, ``1.5GiB``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([KMGT]?)(?:I?B)?\s*", str(text), re.IGNORECASE)
    nbytes = float(m[1]) * _UNITS.get(m[2].upper(), 1) if m else 0.0
    if not nbytes >= 1:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of bytes or a size such as 500M or 8G; got {text!r}")
    return int(nbytes)


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


def evaluation_rng(rng: RngLike) -> np.random.Generator | None:
    """The rng of the independent spread evaluation after a selector seeded with ``rng``.

    The second of :func:`infmax.random.spawn` ``(rng, 2)``: a stream of its own for any seed
    (int, SeedSequence or Generator), where ``rng + 1`` worked for ints only and made seed
    ``s``'s evaluation stream the selection stream of seed ``s + 1``. ``None`` stays ``None``
    (fresh entropy).
    """
    from ..random import spawn

    return None if rng is None else spawn(rng, 2, func="infmax seeds")[1]


def progress_flag(args) -> bool | None:
    """The ``progress=`` argument for library calls: False under --quiet, True with
    --progress, else None (on when stderr is a terminal)."""
    if getattr(args, "quiet", False):
        return False
    return True if getattr(args, "progress", None) else None


def line(msg: str) -> None:
    """One line on stderr (after closing any progress bar an interrupt left open)."""
    from .._progress import close_all

    try:
        close_all()
        sys.stderr.write(msg.replace("\n", " ") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: nothing more to say
        pass


def notice(args, msg: str) -> None:
    """A one-line notice ``infmax: MSG`` on stderr, unless --quiet."""
    if not getattr(args, "quiet", False):
        line(f"infmax: {msg}")


def given_options(args: argparse.Namespace, options: Mapping[str, str],
                  params: Mapping[str, Any], *, algorithm: str, where: str = "") -> dict:
    """``{parameter: value}`` of the options given on the command line (``options`` maps an
    option's dest to the selector parameter it sets); an option whose parameter the selector
    does not take is an error naming the option, the algorithm and ``where`` (e.g. " of
    infmax seeds --cascades")."""
    out = {}
    for opt, pname in options.items():
        val = getattr(args, opt, None)
        if val is None:
            continue
        if pname not in params:
            raise InvalidParameterError(
                f"The '--{opt.replace('_', '-')}' option does not apply to algorithm "
                f"{algorithm!r}{where}. Got {val!r}.", param=opt, value=val)
        out[pname] = val
    return out


def max_memory_kw(args, *funcs) -> dict:
    """``{"max_memory": bytes}`` for calls of ``funcs`` when --max-memory was given, else {}
    (the library's default: the available memory minus a margin).

    A function that takes no ``max_memory`` makes the option an error rather than a limit
    silently ignored.
    """
    mm = getattr(args, "max_memory", None)
    if mm is None:
        return {}
    for f in funcs:
        if "max_memory" not in inspect.signature(f).parameters:
            raise InvalidParameterError(
                f"The '--max-memory' option does not apply to {f.__name__}. Got {mm}.",
                param="max_memory", value=mm)
    return {"max_memory": mm}


#: what to do when --algorithm names a selector of another input kind
_OTHER_KIND_ADVICE = {"graph": "leave out --temporal", "temporal": "add --temporal"}


def resolve_selector(name: str, *, input: str, func: str):
    """The registry entry (:class:`~infmax.algorithms.registry.SelectorInfo`) ``--algorithm``
    names, aliases resolved.

    An unknown name raises the registry's InvalidParameterError (listing the names of
    ``input``), with a hint when ``name`` is a selector of another input kind.
    """
    from ..algorithms import registry

    try:
        return registry.get(name, input=input, func=func)
    except InvalidParameterError as exc:
        for kind in registry.INPUT_KINDS:
            if kind == input:
                continue
            try:
                other = registry.get(name, input=kind, func=func)
            except InvalidParameterError:
                continue
            advice = _OTHER_KIND_ADVICE.get(kind, f"it reads {kind}")
            raise InvalidParameterError(
                f"{exc} ({other.name!r} is a {kind} selector: {advice}.)",
                param=exc.param, value=exc.value) from None
        raise


def check_selector_model(info, model: str, *, func: str, default: str | None = None) -> str:
    """``model`` if the registered selector ``info`` declares it in its ``models`` metadata.

    Parameters
    ----------
    info : infmax.algorithms.registry.SelectorInfo
        The selector ``--algorithm`` resolved to.
    model : str
        The ``--model`` value.
    func : str
        The command, for the message.
    default : str or None
        The command's default model, which a structural heuristic (empty ``models``: it
        models no diffusion) also accepts; ``--evaluate`` then simulates under it.

    Raises
    ------
    InvalidParameterError
        Naming the models the selector supports.
    """
    if model in info.models or (not info.models and model == default):
        return model
    supported = ", ".join(info.models) or "none: a structural heuristic models no diffusion; " \
                                          "leave --model out"
    raise InvalidParameterError(
        f"The '--model' option of {func} must be a model that algorithm {info.name!r} supports "
        f"({supported}). Got {model!r}.", param="model", value=model)


def number_grid(func: str, param: str, text: str, kind: type, constraint: Interval) -> list:
    """Return the comma-separated numbers of an option (``--k 5,10,20``), each checked."""
    items = [x.strip() for x in str(text).split(",")]
    if not all(items):
        fail(func, param, "comma-separated numbers with no empty item", text)
    out = []
    for x in items:
        try:
            v = kind(x)
        except ValueError:
            fail(func, param, f"comma-separated {kind.__name__}s", text)
        out.append(check(func, param, v, constraint))
    return out

