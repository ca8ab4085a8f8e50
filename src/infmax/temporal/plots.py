"""Figures of the BOPIM experiment (matplotlib, imported lazily here only)."""

from __future__ import annotations

import numpy as np

from ..evaluation.plots import pyplot as _plt
from ..evaluation.plots import save_png as _save

__all__ = ["plot_vs", "plot_progress", "plot_node_contributions", "plot_inclusion"]

_STYLE = {"bopim-hamming": ("tab:blue", "o"), "bopim-jaccard": ("tab:cyan", "s"),
          "greedy": ("black", "^"), "dynamic-degree": ("tab:red", "v"),
          "random": ("tab:gray", "x"), "random-degree": ("tab:orange", "d")}


def plot_vs(summary, x, y, path, *, title="", ylabel=None, logy=False):
    """One panel per dataset: ``y`` (spread or time) against ``x`` (k, T or beta) per method."""
    plt = _plt()
    datasets = sorted({r["dataset"] for r in summary})
    fig, axes = plt.subplots(1, len(datasets), figsize=(4.6 * len(datasets), 3.6), squeeze=False)
    for ax, ds in zip(axes[0], datasets):
        rows = [r for r in summary if r["dataset"] == ds]
        for m in sorted({r["method"] for r in rows}, key=list(_STYLE).index):
            rs = sorted((r for r in rows if r["method"] == m), key=lambda r: r[x])
            xs = [r[x] for r in rs]
            c, mk = _STYLE.get(m, ("k", "."))
            if y == "spread":
                n = rs[0]["n"]
                ys = np.array([r["spread"] for r in rs]) / n
                es = 1.96 * np.array([r["stderr"] for r in rs]) / n
                ax.errorbar(xs, ys, yerr=es, color=c, marker=mk, label=m, capsize=2)
            else:
                ax.plot(xs, [r[y] for r in rs], color=c, marker=mk, label=m)
        ax.set_title(ds)
        ax.set_xlabel({"k": "seed set size k", "T": "snapshots T", "beta": "beta"}[x])
        ax.set_ylabel(ylabel or ("fraction infected" if y == "spread" else "seconds"))
        if logy:
            ax.set_yscale("log")
        if x == "beta":
            ax.set_xscale("log")
    axes[0][-1].legend(fontsize=7)
    if title:
        fig.suptitle(title)
    _save(fig, path)


def plot_progress(result, path, *, n=None, title="BOPIM progress"):
    """Figure 1: observed spread of each evaluated set and the running best."""
    plt = _plt()
    tr = result.record["trace"]
    y = np.array([t["observed"] for t in tr], dtype=float)
    scale = float(n) if n else 1.0
    it = np.arange(1, y.shape[0] + 1)
    fig, ax = plt.subplots(figsize=(5, 3.4))
    n0 = sum(t["phase"] == "initial" for t in tr)
    ax.plot(it, y / scale, "o", color="tab:gray", ms=4, label="evaluated set")
    ax.plot(it, np.maximum.accumulate(y) / scale, "-", color="tab:blue", label="best so far")
    ax.axvline(n0 + 0.5, color="k", ls=":", lw=1)
    ax.set_xlabel("evaluation (initial design | BO iterations)")
    ax.set_ylabel("fraction infected" if n else "spread")
    ax.set_title(title)
    ax.legend(fontsize=8)
    _save(fig, path)


def plot_node_contributions(nc, path, *, top=15, title="Posterior node contributions"):
    """Figure 6(a): box plots of the posterior draws of the top nodes' coefficients."""
    plt = _plt()
    order = np.argsort(-nc.median, kind="stable")[:top]
    fig, ax = plt.subplots(figsize=(max(5, 0.45 * len(order)), 3.6))
    ax.boxplot([nc.draws[:, i] for i in order], showfliers=False)
    ax.set_xticks(range(1, len(order) + 1), [str(nc.labels[i]) for i in order], rotation=60,
                  fontsize=8)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel("node")
    ax.set_ylabel("alpha (horseshoe posterior)")
    ax.set_title(title)
    _save(fig, path)


def plot_inclusion(freq, labels, path, *, top=20, title="Inclusion in the BOPIM seed set"):
    """Figure 6(b): share of repeated runs whose answer contains each node."""
    plt = _plt()
    order = [i for i in np.argsort(-freq, kind="stable")[:top] if freq[i] > 0]
    fig, ax = plt.subplots(figsize=(max(5, 0.4 * len(order)), 3.4))
    ax.bar(range(len(order)), [freq[i] for i in order], color="tab:blue")
    ax.set_xticks(range(len(order)), [str(labels[i]) for i in order], rotation=60, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_xlabel("node")
    ax.set_ylabel("proportion of runs")
    ax.set_title(title)
    _save(fig, path)
