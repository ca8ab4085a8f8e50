"""Figures in the layout of Stein et al. Figs. 3 and 4 (matplotlib is imported only here)."""

from __future__ import annotations

import os
from pathlib import Path

from ..evaluation.plots import pyplot as _pyplot

__all__ = ["plot_benchmark", "FIGURES"]

_STYLE = {
    "imm/oneshot": ("IMM", "tab:blue", "-", "o"),
    "imm+bias/oneshot": ("IMM + bias", "tab:blue", "--", "s"),
    "degree/oneshot": ("DC", "tab:orange", "-", "o"),
    "degree+bias/oneshot": ("DC + bias", "tab:orange", "--", "s"),
    "random/oneshot": ("Random", "tab:gray", "-", "x"),
    "imm/adaptive": ("Adaptive IMM", "tab:green", "--", "^"),
    "imm+bias/adaptive": ("Adaptive IMM + bias", "tab:green", ":", "v"),
    "degree/adaptive": ("Adaptive DC", "tab:red", "--", "^"),
    "degree+bias/adaptive": ("Adaptive DC + bias", "tab:red", ":", "v"),
    "random/adaptive": ("Adaptive Random", "tab:gray", "--", "+"),
}

#: file name -> (title, cells)
FIGURES = {
    "fig3_boundary_bias.png": ("Effect of boundary node bias (one-shot)",
                               ["imm/oneshot", "imm+bias/oneshot", "degree/oneshot",
                                "degree+bias/oneshot", "random/oneshot"]),
    "fig4_adaptive.png": ("Effect of adaptive influence maximisation",
                          ["imm/oneshot", "imm/adaptive", "degree/oneshot", "degree/adaptive",
                           "random/oneshot", "random/adaptive"]),
    "fig_bias_adaptive.png": ("Boundary bias combined with adaptive seeding",
                              ["imm/adaptive", "imm+bias/adaptive", "degree/adaptive",
                               "degree+bias/adaptive"]),
}


def plot_benchmark(summary: dict, out_dir: str | os.PathLike[str], *,
                   zoom: float = 0.1) -> dict:
    """Write the figures of a :func:`benchmark` summary as PNG files into ``out_dir``.

    Each figure has two panels like the paper's: (a) proportion of fully observable nodes up to
    ``zoom`` (10 %), (b) up to 100 %; average spread with error bars of one standard error.
    Returns ``{file stem: path}`` for the figures that had data.
    """
    plt = _pyplot()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cells = summary["cells"]
    files = {}
    M = summary["config"].get("n_seeds")
    for fname, (title, wanted) in FIGURES.items():
        present = [c for c in wanted if cells.get(c)]
        if not present:
            continue
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
        for ax, lim, sub in ((axes[0], zoom, f"(a) up to {zoom:.0%}"),
                             (axes[1], 1.0, "(b) up to 100%")):
            for c in present:
                pts = sorted((float(v), d["mean"], d["stderr"]) for v, d in cells[c].items()
                             if float(v) <= lim + 1e-12)
                if not pts:
                    continue
                label, color, ls, mk = _STYLE.get(c, (c, None, "-", "."))
                x = [100 * p[0] for p in pts]
                ax.errorbar(x, [p[1] for p in pts], yerr=[p[2] for p in pts], label=label,
                            color=color, linestyle=ls, marker=mk, markersize=4, capsize=2)
            ax.set_xlabel("Proportion of fully observable nodes (%)")
            ax.set_ylabel("Average spread")
            ax.set_title(sub, fontsize=10)
            ax.grid(alpha=0.3)
        axes[1].legend(fontsize=8, loc="best")
        fig.suptitle(f"{title}, M = {M}")
        fig.tight_layout()
        path = out_dir / fname
        tmp = out_dir / f".{fname}.tmp.png"
        fig.savefig(tmp, dpi=120)
        plt.close(fig)
        tmp.replace(path)
        files[Path(fname).stem] = str(path)
    return files
