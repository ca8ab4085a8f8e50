"""Figures of the ADITUM evaluation (matplotlib, imported lazily here only).

Each function takes one table of :func:`infmax.targeted.experiment.run` (``res.tables[fig]``)
and an output folder, writes one PNG atomically and returns its path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..evaluation.plots import pyplot as _plt
from ..evaluation.plots import save_png as _save

__all__ = ["plot_capital", "plot_diversity", "plot_overlap", "plot_diversity_vs_k",
           "plot_competitors"]

Rows = Sequence[Mapping[str, Any]]


def _series(rows: Rows, by: str) -> dict[Any, list[Mapping[str, Any]]]:
    out: dict[Any, list[Mapping[str, Any]]] = {}
    for r in rows:
        out.setdefault(r[by], []).append(r)
    return {key: sorted(rs, key=lambda r: r["k"]) for key, rs in out.items()}


def plot_capital(rows: Rows, folder: str | os.PathLike[str]) -> Path:
    """Fig. 1: RIS and Monte Carlo capital (95 % bars) against k, relative error below.

    Parameters
    ----------
    rows : sequence of dict
        ``res.tables["1"]``.
    folder : str or Path
        Output folder.

    Returns
    -------
    Path
        ``fig1_capital.png``.
    """
    plt = _plt()
    rs = sorted(rows, key=lambda r: r["k"])
    ks = [r["k"] for r in rs]
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(5, 5), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    ax.errorbar(ks, [r["capital_mc"] for r in rs],
                yerr=[1.96 * r["capital_mc_stderr"] for r in rs], marker="o", capsize=3,
                label="Monte Carlo")
    ax.plot(ks, [r["capital_ris"] for r in rs], marker="x", ls="--", label="RIS (ADITUM)")
    ax.plot(ks, [r["capital_fresh"] for r in rs], marker="+", ls=":", label="RIS (fresh sets)")
    ax.set_ylabel("capital")
    ax.legend()
    ax2.plot(ks, [r["relative_error"] for r in rs], marker="o", color="tab:red")
    ax2.set_ylabel("relative error")
    ax2.set_xlabel("k")
    return _save(fig, Path(folder) / "fig1_capital.png")


def plot_diversity(rows: Rows, folder: str | os.PathLike[str]) -> Path:
    """Fig. 2: attribute-value entropy and coverage of the seeds per diversity function.

    Parameters
    ----------
    rows : sequence of dict
        ``res.tables["2"]``.
    folder : str or Path

    Returns
    -------
    Path
        ``fig2_diversity.png``.
    """
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for name, rs in _series(rows, "diversity").items():
        ks = [r["k"] for r in rs]
        for ax, col in zip(axes, ("entropy", "coverage", "penalised_entropy")):
            ax.plot(ks, [r[col] for r in rs], marker="o", label=name)
    for ax, lab in zip(axes, ("attribute-value entropy (nats)", "attribute-value coverage",
                              "entropy x coverage")):
        ax.set_xlabel("k")
        ax.set_ylabel(lab)
    axes[0].legend(fontsize=7)
    return _save(fig, Path(folder) / "fig2_diversity.png")


def plot_overlap(table: Mapping[str, Mapping[str, Any]], folder: str | os.PathLike[str]) -> Path:
    """Fig. 4: heatmaps of the seed-set overlap ``|S1 ∩ S2| / k`` across alpha.

    Parameters
    ----------
    table : dict
        ``res.tables["4"]``: per profile law ``{"k", "alpha", "overlap"}``.
    folder : str or Path

    Returns
    -------
    Path
        ``fig4_overlap.png``.
    """
    plt = _plt()
    fig, axes = plt.subplots(1, len(table), figsize=(5 * len(table), 4.2), squeeze=False)
    for ax, (law, d) in zip(axes[0], table.items()):
        ov = np.asarray(d["overlap"])
        im = ax.imshow(ov, vmin=0, vmax=1, cmap="viridis", origin="lower")
        labels = [f"{a:g}" for a in d["alpha"]]
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        ax.set_xlabel("alpha")
        ax.set_ylabel("alpha")
        ax.set_title(f"{law} profiles, k = {d['k']}")
        fig.colorbar(im, ax=ax, fraction=0.046)
    return _save(fig, Path(folder) / "fig4_overlap.png")


def plot_diversity_vs_k(rows: Rows, folder: str | os.PathLike[str]) -> Path:
    """Fig. 5: attribute-wise diversity of the seeds against k, with its maximum, per law.

    Parameters
    ----------
    rows : sequence of dict
        ``res.tables["5"]``.
    folder : str or Path

    Returns
    -------
    Path
        ``fig5_diversity_vs_k.png``.
    """
    plt = _plt()
    laws = _series(rows, "dist")
    fig, axes = plt.subplots(1, len(laws), figsize=(5 * len(laws), 3.6), squeeze=False)
    for ax, (law, rs) in zip(axes[0], laws.items()):
        for al, sub in _series(rs, "alpha").items():
            ax.plot([r["k"] for r in sub], [r["diversity"] for r in sub], marker="o",
                    label=f"alpha = {al:g}")
        first = next(iter(_series(rs, "alpha").values()))
        ax.plot([r["k"] for r in first], [r["max"] for r in first], color="black", ls="--",
                label="maximum")
        ax.set_title(f"{law} profiles")
        ax.set_xlabel("k")
        ax.set_ylabel("attribute-wise diversity")
        ax.legend(fontsize=7)
    return _save(fig, Path(folder) / "fig5_diversity_vs_k.png")


def plot_competitors(rows: Rows, folder: str | os.PathLike[str]) -> Path:
    """Capital (Monte Carlo, 95 % bars) and selection time against k per method.

    Parameters
    ----------
    rows : sequence of dict
        ``res.tables["competitors"]``.
    folder : str or Path

    Returns
    -------
    Path
        ``competitors.png``.
    """
    plt = _plt()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    for name, rs in _series(rows, "method").items():
        ks = [r["k"] for r in rs]
        ax.errorbar(ks, [r["capital_mc"] for r in rs],
                    yerr=[1.96 * r["capital_mc_stderr"] for r in rs], marker="o", capsize=2,
                    label=name)
        ax2.plot(ks, [max(r["time"], 1e-4) for r in rs], marker="o", label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("capital (Monte Carlo)")
    ax2.set_xlabel("k")
    ax2.set_ylabel("selection time (s)")
    ax2.set_yscale("log")
    ax.legend(fontsize=7)
    return _save(fig, Path(folder) / "competitors.png")
