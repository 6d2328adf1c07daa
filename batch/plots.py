"""Plots of a KPI against a swept parameter: the mean with its interval as a band, one line per value of another.

Drawn from the per-point summary (the intervals of :mod:`sim.intervals`), never from a recomputation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import pandas as pd  # noqa: E402

from carebench_shared.atomic import atomic_file  # noqa: E402
from sim.results import CARE_KPI_LABELS, KPI_LABELS  # noqa: E402

from .experiment import Experiment, PlotSpec  # noqa: E402

__all__ = ["default_plots", "write_plots"]

MAX_FIGURES = 24  # per plot spec: more combinations of the remaining keys are skipped, with a note


def _numeric(series: pd.Series) -> bool:
    return bool(len(series)) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in series)


def default_plots(experiment: Experiment, summary: pd.DataFrame) -> list[PlotSpec]:
    """Each KPI against the first numeric swept key with several values; lines by the next swept key."""
    swept = [k for k in experiment.swept_keys if summary[k].nunique(dropna=True) > 1]
    numeric = [k for k in swept if _numeric(summary[k].dropna())]
    if not numeric:
        return []
    x = numeric[0]
    others = [k for k in swept if k != x]
    if summary["scenario"].nunique() > 1:
        others = ["scenario"] + others
    lines = others[0] if others else None
    return [PlotSpec(kpi=kpi, x=x, lines=lines) for kpi in experiment.kpis]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


def write_plots(experiment: Experiment, summary: pd.DataFrame, folder: Path) -> tuple[list[Path], list[str]]:
    """PNG files for the experiment's plots (or the defaults); the paths and notes on what was skipped."""
    specs = experiment.plots if experiment.plots is not None else default_plots(experiment, summary)
    folder.mkdir(parents=True, exist_ok=True)
    labels = {**KPI_LABELS, **CARE_KPI_LABELS}
    written, notes = [], []
    for spec in specs:
        data = summary[summary["kpi"] == spec.kpi]
        fixed = [k for k in ["scenario", *experiment.swept_keys] if k not in (spec.x, spec.lines)
                 and data[k].astype(str).nunique() > 1]
        groups = list(data.groupby([data[k].astype(str) for k in fixed], sort=False)) if fixed else [((), data)]
        if len(groups) > MAX_FIGURES:
            notes.append(f"{spec.kpi} vs {spec.x}: {len(groups)} figures, only the first {MAX_FIGURES} drawn")
            groups = groups[:MAX_FIGURES]
        for values, part in groups:
            values = values if isinstance(values, tuple) else (values,)
            title_rest = ", ".join(f"{k}={v}" for k, v in zip(fixed, values))
            name = _slug(f"{spec.kpi}_vs_{spec.x}" + (f"_by_{spec.lines}" if spec.lines else "")
                         + (f"__{title_rest}" if title_rest else "")) + ".png"
            _draw(part, spec, labels.get(spec.kpi, spec.kpi), experiment, title_rest, folder / name)
            written.append(folder / name)
    return written, notes


def _draw(part: pd.DataFrame, spec: PlotSpec, label: str, experiment: Experiment, title_rest: str,
          path: Path) -> None:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    lines = list(part.groupby(part[spec.lines].astype(str), sort=False)) if spec.lines else [("", part)]
    for name, line in lines:
        line = line.sort_values(spec.x, key=lambda s: s.map(lambda v: v if _numeric(pd.Series([v])) else str(v)))
        x = line[spec.x] if _numeric(line[spec.x]) else line[spec.x].map(
            lambda v: v if isinstance(v, str) else json.dumps(v))
        shown = ax.plot(x, line["mean"], marker="o", lw=1.2, label=f"{spec.lines} = {name}" if spec.lines else None)
        ax.fill_between(x, line["ci_low"], line["ci_high"], alpha=0.2, color=shown[0].get_color(), lw=0)
    if part[spec.x].map(lambda v: isinstance(v, int) and not isinstance(v, bool)).all():
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # agents, concurrency: no 7.25 ticks
    ax.set_xlabel(spec.x)
    ax.set_ylabel(label)
    level = f"{experiment.level:.0%}"
    ax.set_title(f"{experiment.name}: {label} against {spec.x} ({level} intervals)"
                 + (f"\n{title_rest}" if title_rest else ""), fontsize=10)
    if spec.lines:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    with atomic_file(path, "wb") as f:
        fig.savefig(f, format="png", dpi=110)
    plt.close(fig)
