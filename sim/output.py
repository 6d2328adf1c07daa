"""Writing a run's results: summary CSV, hourly Parquet, the KPI table as text, and plots."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .intervals import few_replications_warning  # noqa: E402
from .results import RunResult  # noqa: E402

__all__ = ["RESULT_FILES", "write_results", "format_kpi_table", "plot_hours", "format_comparison", "plot_comparison"]


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.4f}"


def format_kpi_table(result: RunResult) -> str:
    """The KPI table: mean and 95% confidence interval across replications."""
    table = result.kpi_table()
    n = len(result.replications)
    lines = [f"{result.scenario.name}: {n} replication{'s' if n != 1 else ''}, 95% confidence intervals"]
    lines.append(f"{'KPI':<28}{'mean':>14}{'95% CI':>30}")
    for row in table.itertuples():
        ci = "-" if math.isnan(row.ci_low) else f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}]"
        lines.append(f"{row.kpi:<28}{_fmt(row.mean):>14}{ci:>30}")
    sla = result.scenario.sla
    sl = table.set_index("column").loc["service_level", "mean"]
    verdict = "met" if sl >= sla.goal else "missed"
    lines.append(f"SLA goal {sla.goal:.0%} within {sla.target_minutes:g} min: {verdict}")
    warning = few_replications_warning(n)
    if warning:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def plot_hours(hours: pd.DataFrame, scenario_name: str, mean_handle: float, out: Path) -> list[Path]:
    """PNGs of volume against staffed capacity, service level per hour and backlog (mean over reps)."""
    mean = hours.groupby("hour").mean(numeric_only=True)
    days = mean["start_minute"] / 1440.0
    paths = []

    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(days, mean["arrivals"], lw=0.8, label="mentions arriving per hour")
    ax.step(days, mean["staffed_slots"] * 60.0 / mean_handle, where="post", lw=1.0,
            label="staffed capacity (mentions per hour)")
    ax.set_xlabel("day of the measured window (day 0 = Monday)")
    ax.set_ylabel("mentions per hour")
    ax.set_title(f"{scenario_name}: volume against staffed capacity")
    ax.legend(loc="upper right")
    paths.append(out / "volume_vs_capacity.png")
    fig.tight_layout()
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(days, mean["service_level"], lw=0.8)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("day of the measured window (day 0 = Monday)")
    ax.set_ylabel("share answered within target")
    ax.set_title(f"{scenario_name}: service level per hour (by arrival hour)")
    paths.append(out / "service_level.png")
    fig.tight_layout()
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, ax1 = plt.subplots(figsize=(10, 4))
    ax1.plot(days, mean["backlog"], lw=0.8, color="tab:red", label="backlog (waiting)")
    ax1.set_xlabel("day of the measured window (day 0 = Monday)")
    ax1.set_ylabel("mentions waiting at the end of the hour")
    ax2 = ax1.twinx()
    in_hours = mean["oldest_open_minutes"].max() >= 120  # the 48-hour thread reads better in hours
    unit, scale = ("hours", 60.0) if in_hours else ("minutes", 1.0)
    ax2.plot(days, mean["oldest_open_minutes"] / scale, lw=0.8, color="tab:gray", label=f"oldest open ({unit})")
    ax2.set_ylabel(f"age of the oldest open mention ({unit})")
    ax1.set_title(f"{scenario_name}: backlog over the horizon")
    fig.legend(loc="upper left", bbox_to_anchor=(0.07, 0.9))
    paths.append(out / "backlog.png")
    fig.tight_layout()
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


# every name write_results (and plot_hours) may write: another file of that name in the folder would be lost
RESULT_FILES = frozenset({"summary.csv", "intervals.parquet", "kpis.csv", "scenario.json", "breakdown.csv",
                          "weeks.csv", "fairness.csv", "volume_vs_capacity.png", "service_level.png", "backlog.png"})


def write_results(result: RunResult, out: Path, plots: bool = True) -> list[Path]:
    """Write ``summary.csv``, ``intervals.parquet``, ``kpis.csv``, the scenario as run, and plots."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "summary.csv", out / "intervals.parquet", out / "kpis.csv", out / "scenario.json"]
    result.summary.to_csv(written[0], index=False)
    hours = result.hours
    hours.to_parquet(written[1], index=False)
    result.kpi_table().to_csv(written[2], index=False)
    written[3].write_text(result.scenario.model_dump_json(indent=2), encoding="utf-8")
    for name in ("breakdown", "weeks", "fairness"):
        table = result.table(name)
        if table is not None:
            written.append(out / f"{name}.csv")
            table.to_csv(written[-1], index=False)
    if plots:
        sc = result.scenario
        written += plot_hours(hours, sc.name, _mean_handle(sc), out)
    return written


def _mean_handle(sc) -> float:
    """Volume-weighted mean handle time over channels (minutes)."""
    if not sc.channels:
        return sc.handling.handle_minutes.mean
    total = sum(c.share for c in sc.channels)
    return sum(c.share / total * (c.handle_minutes or sc.handling.handle_minutes).mean for c in sc.channels)


def format_comparison(comparison) -> str:
    """The comparison table: A, B, and B - A with its 95% confidence interval (paired replications)."""
    table = comparison.table()
    a, b = comparison.a.scenario.name, comparison.b.scenario.name
    n = len(comparison.a.replications)
    lines = [f"A = {a}, B = {b}: {n} paired replications (common random numbers), 95% confidence intervals"]
    lines.append(f"{'KPI':<22}{'A':>12}{'B':>12}{'B - A':>12}{'95% CI of B - A':>30}  ")
    for row in table.itertuples():
        ci = "-" if math.isnan(row.ci_low) else f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}]"
        mark = " *" if row.significant else ""
        lines.append(f"{row.kpi:<22}{_fmt(row.a_mean):>12}{_fmt(row.b_mean):>12}{_fmt(row.difference):>12}"
                     f"{ci:>30}{mark}")
    lines.append("* the interval excludes 0")
    warning = few_replications_warning(n)
    if warning:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def plot_comparison(comparison, path: Path) -> Path:
    """Relative differences (B - A over A) of the rate KPIs, with their confidence intervals."""
    table = comparison.table()
    table = table[table["column"].isin(["p_wait", "service_level", "asa_minutes", "mean_wait_all_minutes",
                                        "abandon_rate", "occupancy"])]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    y = range(len(table))
    xerr = [table["difference"] - table["ci_low"], table["ci_high"] - table["difference"]]
    ax.errorbar(table["difference"], y, xerr=xerr, fmt="o", capsize=4)
    ax.axvline(0, color="gray", lw=0.8)
    ax.set_yticks(list(y), table["kpi"])
    ax.set_xlabel("B - A (95% CI, paired replications)")
    ax.set_title(f"{comparison.b.scenario.name} minus {comparison.a.scenario.name}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
