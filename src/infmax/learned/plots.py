"""Figures of the IMINFECTOR experiment (matplotlib, imported lazily here only).

Both take the rows of :func:`infmax.learned.experiment.run` (``ExperimentResult.rows``, or the
CSV read back) and write one PNG atomically.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..evaluation.plots import pyplot as _plt
from ..evaluation.plots import save_png as _save

__all__ = ["plot_dni", "plot_phases"]

_PHASES = (("context_seconds", "context", "tab:olive"), ("training_seconds", "training",
                                                         "tab:blue"),
           ("D_seconds", "D", "tab:purple"), ("selection_seconds", "selection", "tab:orange"),
           ("other_seconds", "other", "tab:gray"))
_MARKERS = "os^vDxP*<>h"


def _float(v: object) -> float:
    return 0.0 if v in (None, "") else float(v)  # type: ignore[arg-type]


def _panels(rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    datasets = list(dict.fromkeys(str(r["dataset"]) for r in rows))
    methods = list(dict.fromkeys(str(r["method"]) for r in rows))
    return datasets, methods


def plot_dni(rows: Sequence[Mapping[str, Any]], path: str | os.PathLike[str], *,
             confidence: float = 0.95) -> Path:
    """Fig. 7 of the paper: DNI against seed-set size, one panel per dataset.

    Parameters
    ----------
    rows : sequence of mapping
        Rows with ``dataset, method, k, status, dni, dni_low, dni_high``; rows whose status is
        not ``ok`` are left out (a method that did not scale has no line).
    path : str or os.PathLike
        The PNG to write.
    confidence : float
        The level of the bootstrap bands, for the legend.

    Returns
    -------
    Path
        ``path``.
    """
    plt = _plt()
    datasets, methods = _panels(rows)
    ncol = min(3, max(1, len(datasets)))
    nrow = -(-len(datasets) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.4 * ncol, 3.4 * nrow), squeeze=False)
    for i, ds in enumerate(datasets):
        ax = axes[i // ncol][i % ncol]
        for j, m in enumerate(methods):
            rs = sorted((r for r in rows if r["dataset"] == ds and r["method"] == m
                         and r["status"] == "ok"), key=lambda r: int(r["k"]))
            if not rs:
                continue
            ks = [int(r["k"]) for r in rs]
            # colour and marker by the method's place among all methods, not by the panel's
            # colour cycle (a panel without a method would shift every later colour)
            line, = ax.plot(ks, [_float(r["dni"]) for r in rs], marker=_MARKERS[j % 11],
                            color=f"C{j % 10}", markersize=3.5, label=m)
            ax.fill_between(ks, [_float(r["dni_low"]) for r in rs],
                            [_float(r["dni_high"]) for r in rs], color=line.get_color(),
                            alpha=0.15, linewidth=0)
        ax.set_title(ds)
        ax.set_xlabel("seed set size k")
        ax.set_ylabel("DNI")
    for i in range(len(datasets), nrow * ncol):
        axes[i // ncol][i % ncol].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    for a in axes.flat:
        for h, lab in zip(*a.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 7), fontsize=8,
               bbox_to_anchor=(0.5, -0.02 - 0.03 * (len(labels) > 7)),
               title=f"bands: {100 * confidence:g} % bootstrap interval", title_fontsize=7)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return _save(fig, path)


def plot_phases(rows: Sequence[Mapping[str, Any]], path: str | os.PathLike[str]) -> Path:
    """Fig. 6 of the paper: seconds per phase of each method, stacked bars per dataset.

    One bar per method and dataset (the method's single selection at the largest k): context
    sampling, training, D, selection and other phases stacked; a method that did not scale
    gets a hatched bar of its elapsed time up to the budget, labelled.

    Parameters
    ----------
    rows : sequence of mapping
        Rows with ``dataset, method, k, status`` and the ``*_seconds`` columns.
    path : str or os.PathLike
        The PNG to write.

    Returns
    -------
    Path
        ``path``.
    """
    plt = _plt()
    datasets, methods = _panels(rows)
    unit: dict[tuple[str, str], Mapping[str, Any]] = {}
    for r in rows:  # one row per unit: its largest k
        key = (str(r["dataset"]), str(r["method"]))
        if key not in unit or int(r["k"]) > int(unit[key]["k"]):
            unit[key] = r
    ncol = min(3, max(1, len(datasets)))
    nrow = -(-len(datasets) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.4 * ncol, 3.4 * nrow), squeeze=False)
    for i, ds in enumerate(datasets):
        ax = axes[i // ncol][i % ncol]
        xs = list(range(len(methods)))
        bottom = [0.0] * len(methods)
        for col, label, color in _PHASES:
            h = [_float(unit[(ds, m)][col]) if (ds, m) in unit
                 and unit[(ds, m)]["status"] not in ("did not scale", "no graph") else 0.0
                 for m in methods]
            ax.bar(xs, h, bottom=bottom, color=color, label=label if i == 0 else None)
            bottom = [b + v for b, v in zip(bottom, h)]
        for x, m in enumerate(methods):
            r = unit.get((ds, m))
            if r is not None and r["status"] == "did not scale":
                t = _float(r["total_seconds"])
                ax.bar([x], [t], color="white", edgecolor="black", hatch="//")
                ax.text(x, t, "did not\nscale", ha="center", va="bottom", fontsize=6)
            elif r is not None and r["status"] == "no graph":
                ax.text(x, 0, "no\ngraph", ha="center", va="bottom", fontsize=6)
        ax.set_xticks(xs)
        ax.set_xticklabels(methods, rotation=45, ha="right", fontsize=7)
        ax.set_title(ds)
        ax.set_ylabel("seconds")
        if any(b > 0 for b in bottom) and max(bottom) / max(min(b for b in bottom if b > 0),
                                                            1e-9) > 100:
            ax.set_yscale("log")
    for i in range(len(datasets), nrow * ncol):
        axes[i // ncol][i % ncol].axis("off")
    fig.legend(loc="lower center", ncol=len(_PHASES), fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return _save(fig, path)
