"""Files and plots of the staffing planner (the edge: the models above know nothing of files).

``carebench staff`` writes ``requirement.csv``, ``requirement.png``, ``summary.txt``, ``requirement-roster.yaml``
and ``scenario-requirement.yaml``; ``carebench roster`` writes ``roster.yaml``, ``scenario-roster.yaml``,
``coverage.csv``, ``coverage.png`` and ``summary.txt``. Folders are written atomically.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from carebench_shared.atomic import atomic_dir  # noqa: E402
from sim.scenario import Scenario  # noqa: E402

from .demand import agents_of_work, staff_concurrency  # noqa: E402
from .grid import DAY_NAMES, WEEK_MINUTES, WeekGrid, clock  # noqa: E402
from .requirement import Requirement, short_of  # noqa: E402

__all__ = ["requirement_frame", "requirement_summary", "write_requirement", "read_requirement", "plot_week",
           "scenario_yaml", "roster_yaml", "write_roster"]

REQUIREMENT_COLUMNS = ["team", "interval", "start_minute", "measured", "expected_mentions", "offered_load",
                       "erlang_agents", "requirement", "simulated_mentions", "service_level", "sl_low", "sl_high",
                       "occupancy", "target_goal", "target_minutes"]


def requirement_frame(req: Requirement) -> pd.DataFrame:
    """One row per team and interval of the week: the columns of ``requirement.csv``."""
    grid, est = req.grid, req.estimate
    rows = []
    for g, group in enumerate(req.groups):
        for k in range(grid.count):
            measured = k < req.window and req.planned[g]
            load = req.rates[k] * group.share * group.model.handle
            sl = est.service_level[g, k] if measured else math.nan
            half = est.half_width[g, k] if measured else math.nan
            rows.append({
                "team": group.name, "interval": grid.label(k), "start_minute": grid.start(k), "measured": measured,
                "expected_mentions": req.rates[k] * group.share * grid.interval,
                "offered_load": agents_of_work(load, group),
                "erlang_agents": int(req.erlang[g, k]), "requirement": int(req.levels[g, k]),
                "simulated_mentions": est.arrivals[g, k] if measured else math.nan,
                "service_level": sl, "sl_low": sl - half, "sl_high": sl + half,
                "occupancy": est.occupancy[k] if measured else math.nan,
                "target_goal": req.target.goal, "target_minutes": req.target.minutes,
            })
    return pd.DataFrame(rows, columns=REQUIREMENT_COLUMNS)


def read_requirement(path: str | Path, teams: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``requirement.csv`` back, checked: the columns the roster needs, one full week per team, and (given the
    scenario's ``teams``) no team the scenario lacks, which would be planned for and never staffed."""
    from carebench_shared.config import sniff_text
    from carebench_shared.csv_table import refuse_misread, refuse_wide_header

    path = Path(path)
    sniff_text(path, "CSV")  # a folder, a pipe, a device, binary or UTF-16: one line before pandas sees it
    refuse_wide_header(path, "a requirement.csv")
    try:  # only an empty cell is missing: a "nan" or "NA" typed in is a value, and not a number
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"{path}: cannot read the requirement: {getattr(exc, 'strerror', None) or exc}") from None
    missing = [c for c in ("team", "start_minute", "requirement") if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: not a requirement.csv (no column {missing[0]!r}); write one with carebench staff")
    twice = [c for c in df.columns if isinstance(c, str) and c.rpartition(".")[0] in df.columns]
    if twice:  # pandas renamed the second 'requirement' to 'requirement.1': which one was meant?
        raise ValueError(f"{path}:1: the header names column {twice[0].rpartition('.')[0]!r} twice")
    refuse_misread(df, str(path))  # a first row with more fields than the header: every value a column off
    _check_requirement_rows(df, path, teams)
    for team, part in df.groupby("team", sort=False):
        n = len(part)
        if 10080 % n or 1440 % (10080 // n) or sorted(part["start_minute"]) != list(range(0, 10080, 10080 // n)):
            raise ValueError(f"{path}: team {team!r}: expected one row per interval of a whole week "
                             f"(start_minute 0, 30, ..., 10050 for 30-minute intervals), got {n} rows")
    return df


def _check_requirement_rows(df: pd.DataFrame, path: Path, teams: tuple[str, ...] | None) -> None:
    """The first row (by its line in the file) whose requirement, start minute, measured flag or team is wrong, or
    whose team and start minute an earlier row gave: ValueError."""
    from carebench_shared.safe_text import printable
    from sim.bounds import MAX_AGENTS

    def shown(column: str, i: int) -> str:
        value = df[column].iloc[i]
        return "empty" if pd.isna(value) else repr(printable(str(value), 40))

    req = pd.to_numeric(df["requirement"], errors="coerce")
    bad = df.index[req.isna() | (req < 0) | (req != np.floor(req)) | (req > MAX_AGENTS)]
    if len(bad):
        raise ValueError(f"{path}:{int(bad[0]) + 2}: requirement: {shown('requirement', int(bad[0]))} is not a "
                         f"whole number of agents between 0 and {MAX_AGENTS:,}")
    start = pd.to_numeric(df["start_minute"], errors="coerce")
    bad = df.index[start.isna() | (start < 0) | (start >= WEEK_MINUTES) | (start != np.floor(start))]
    if len(bad):  # else only "expected one row per interval of a whole week", naming no line
        raise ValueError(f"{path}:{int(bad[0]) + 2}: start_minute: {shown('start_minute', int(bad[0]))} is not a "
                         f"whole minute of the week (0 to {WEEK_MINUTES - 1:,})")
    again = df.index[df.assign(start_minute=start).duplicated(["team", "start_minute"])]
    if len(again):
        i = int(again[0])
        first = int(df.index[(df["team"] == df["team"].iloc[i]) & (start == start.iloc[i])][0])
        raise ValueError(f"{path}:{i + 2}: start_minute {start.iloc[i]:g} of team {shown('team', i)} is given again "
                         f"(first on line {first + 2})")
    if "measured" in df.columns and df["measured"].dtype != bool:  # pandas reads a column of True/False as bool
        flags = df["measured"].astype(str).str.lower()
        bad = df.index[~flags.isin(["true", "false"])]
        if len(bad):
            raise ValueError(f"{path}:{int(bad[0]) + 2}: measured: {shown('measured', int(bad[0]))} is not True or "
                             "False")
    if teams is not None:
        bad = df.index[~df["team"].astype(str).isin(teams) | df["team"].isna()]
        if len(bad):
            raise ValueError(f"{path}:{int(bad[0]) + 2}: team {shown('team', int(bad[0]))} is not a team of the "
                             f"scenario ({', '.join(teams)})")


def _summary_lines(req: Requirement, g: int) -> list[str]:
    grid, est, group = req.grid, req.estimate, req.groups[g]
    w = req.window
    lv, er = req.levels[g, :w], req.erlang[g, :w]
    hours, erlang_hours = lv.sum() * grid.interval / 60.0, er.sum() * grid.interval / 60.0
    peak, low = int(np.argmax(lv)), int(np.argmin(lv))
    sl = est.service_level[g, :w]
    busy = est.arrivals[g, :w] >= req.settings.min_volume
    half = np.where(busy, est.half_width[g, :w], np.nan)
    met = int(np.sum(sl >= req.target.goal - 1e-12))
    measured = int(np.sum(np.isfinite(sl)))
    diff = (hours - erlang_hours) / erlang_hours if erlang_hours else math.nan
    lines = [
        f"{group.name}: peak {int(lv[peak])} agents ({grid.label(peak)}), lowest {int(lv[low])} ({grid.label(low)}); "
        f"{hours:,.0f} agent-hours over the {_span(req)} ({erlang_hours:,.0f} by Erlang {_erlang_kind(req)} "
        f"on the forecast alone, {diff:+.1%})",
        f"  service level per interval (simulated): lowest {np.nanmin(sl):.3f}, median {np.nanmedian(sl):.3f}; "
        f"{met} of {measured} intervals with posts meet {req.target}",
    ]
    lines += _confidence_lines(req, g)
    if np.any(np.isfinite(half)):
        lines.append(f"  95% confidence: +-{np.nanmax(half):.3f} at worst in the {int(busy.sum())} intervals with at "
                     f"least {req.settings.min_volume:g} posts a replication (median +-{np.nanmedian(half):.3f})")
    else:
        every = est.half_width[g, :w]
        lines.append(f"  no interval has {req.settings.min_volume:g} posts a replication; 95% confidence median "
                     f"+-{np.nanmedian(every):.3f} (see sl_low and sl_high in requirement.csv)")
    capped = int(req.capped[g, :w].sum())
    if capped:
        k = int(np.argmax(req.capped[g, :w]))
        lines.append(f"  {capped} intervals stay under the goal even at the search's upper bound (first: "
                     f"{grid.label(k)}): the target is out of reach there (posts waiting for listening, or too few "
                     "would ever be answered in time)")
    return lines


def _confidence_lines(req: Requirement, g: int) -> list[str]:
    """The intervals under the goal, by how far: within their own 95% half-width (they meet it with the stated
    confidence), within the indifference zone only (the search does not chase them), or further."""
    w, grid, sl = req.window, req.grid, req.estimate.service_level[g, : req.window]
    with np.errstate(invalid="ignore"):
        under = sl < req.target.goal - 1e-12
    noise = req.within_noise()[g, :w]
    within_half = noise & ~short_of(req.estimate, req.target.goal, req.settings.precision)[g, :w]
    zone = min(req.settings.indifference, req.settings.precision)
    lines = []
    for mask, text in ((within_half, "under it by less than their own 95% interval (and than the precision), so "
                                     "they meet it with the stated confidence"),
                       (noise & ~within_half, f"short by more than their 95% interval but by less than the "
                                              f"indifference zone ({zone:g}): the search does not move an interval "
                                              "that close to the goal"),
                       (under & ~noise, "short by more than both (the search stopped before it settled, or within "
                                        "the noise of its test: see below)")):
        if mask.any():
            worst = int(np.argmin(np.where(mask, sl, np.inf)))
            lines.append(f"  {int(mask.sum())} more are {text} (lowest {sl[worst]:.3f}, {grid.label(worst)})")
    return lines


def _span(req: Requirement) -> str:
    days = req.scenario.horizon_days
    return "week" if days >= 7 else f"{days:g}-day window"


def _erlang_kind(req: Requirement) -> str:
    return "C" if req.scenario.customers.patience_minutes is None else "A"


def requirement_summary(req: Requirement, out: Path | None = None) -> str:
    """The plain-number summary a planner reads first."""
    lines = [f"Staffing requirement for {req.scenario.name}: {req.target} for the posts arriving in each "
             f"{req.grid.interval}-minute interval"]
    for g in range(len(req.groups)):
        if req.planned[g]:
            lines += _summary_lines(req, g)
        else:
            lines.append(f"{req.groups[g].name}: no post has this team first; kept as in the scenario")
    reps = ", ".join(str(i.reps) for i in req.iterations)
    lines.append(f"Search: {req.status} after {len(req.iterations)} iterations, {req.runs} simulation runs "
                 f"(replications per iteration: {reps}), {req.seconds:.0f} s; common random numbers throughout "
                 f"(seed {req.settings.seed if req.settings.seed is not None else req.scenario.seed})")
    st = req.settings
    lines.append(f"  stopping rule: an interval moves only when off the goal by more than its own 95% half-width (at "
                 f"most the precision, {st.precision:g}) and than the indifference zone "
                 f"({min(st.indifference, st.precision):g}); settled when none moves, or the moves left are no more "
                 f"than that test flags by chance (2.5% of the intervals); then the replications double, up to what "
                 f"the precision needs (at most {st.max_reps}), and it settles again"
                 + (f" (a stage before the last grows once at most {st.stage_until:.0%} of the intervals move)"
                    if st.stage_until > 0 else ""))
    if req.noise_raises or req.noise_lowers:
        lines.append(f"  stopped with {req.noise_raises} intervals that settling would still raise and "
                     f"{req.noise_lowers} it would lower: no more than its test flags by chance (2.5% of the "
                     "intervals) when every interval meets the goal exactly")
    left = req.estimate.left_out
    if left:
        lines.append(f"Left out of the service level: {left:,.0f} posts a replication that never reached an agent's "
                     "queue (skipped by triage or never found by listening)")
    if out is not None:
        lines.append(f"Run it: carebench simulate {out / 'scenario-requirement.yaml'}")
    return "\n".join(lines)


def plot_week(grid: WeekGrid, panels: list[dict], path: Path, title: str) -> Path:
    """Step lines of agents (and optional dashed ones) against mentions per interval, weekday names on the axis.

    Each panel: ``name``, ``lines`` (label -> levels), ``volume`` (per interval), optional ``service_level``."""
    fig, axes = plt.subplots(len(panels), 1, figsize=(13, 3.6 * len(panels)), squeeze=False)
    x = np.arange(grid.count + 1) * grid.interval / 1440.0
    for ax, panel in zip(axes[:, 0], panels):
        vol_ax = ax.twinx()
        vol = np.asarray(panel["volume"], float)
        vol_ax.fill_between(x[:-1], vol, step="post", color="0.85", label="mentions per interval")
        vol_ax.set_ylabel("mentions per interval")
        vol_ax.set_ylim(bottom=0)
        ax.set_zorder(vol_ax.get_zorder() + 1)
        ax.patch.set_visible(False)
        for (label, levels), style in zip(panel["lines"].items(), ("-", "--", ":")):
            y = np.asarray(levels, float)
            ax.step(x, np.append(y, y[-1]), where="post", linestyle=style, label=label)
        ax.set_ylabel("agents")
        ax.set_ylim(bottom=0)
        ax.set_xticks(np.arange(7) + 0.5, DAY_NAMES)
        ax.set_xticks(np.arange(8), minor=True)
        ax.grid(axis="x", which="minor", color="0.7")
        ax.set_xlim(0, 7)
        ax.set_title(panel["name"])
        handles = ax.get_legend_handles_labels()[0] + vol_ax.get_legend_handles_labels()[0]
        ax.legend(handles=handles, loc="upper left", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def roster_yaml(scenario: Scenario, shifts_by_team: dict[str | None, list]) -> str:
    """The ``staffing`` section with the roster(s), as YAML to paste into a scenario or pass to ``--set``."""
    return yaml.safe_dump(_staffing_with(scenario, shifts_by_team), sort_keys=False, allow_unicode=True,
                          default_flow_style=None, width=120)


def _staffing_with(scenario: Scenario, shifts_by_team: dict[str | None, list]) -> dict:
    conc = staff_concurrency(scenario)
    staffing = scenario.staffing.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if None in shifts_by_team:
        staffing.pop("agents", None)
        staffing["roster"] = [_shift(s, conc) for s in shifts_by_team[None]]
    else:
        for team in staffing["teams"]:
            if team["name"] in shifts_by_team:
                team.pop("agents", None)
                team["roster"] = [_shift(s, 1) for s in shifts_by_team[team["name"]]]
    return staffing


def _shift(shift, concurrency: int) -> dict:
    d = {"name": shift.name, "weekdays": list(shift.weekdays), "start": shift.start, "end": shift.end,
         "agents": int(shift.agents)}
    if concurrency != 1:
        d["concurrency"] = concurrency
    return d


def scenario_yaml(scenario: Scenario, shifts_by_team: dict[str | None, list], note: str) -> str:
    """The whole scenario with the roster(s) in place, ready for ``carebench simulate``."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["staffing"] = _staffing_with(scenario, shifts_by_team)
    Scenario.model_validate(data)  # what we write must load
    return f"# {note}\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_requirement(req: Requirement, out: str | Path) -> list[Path]:
    """Write every file of ``carebench staff`` into ``out`` (atomically)."""
    out = Path(out)
    frame = requirement_frame(req)
    shifts = {None: req.grid.roster(req.levels[0])} if req.scenario.staffing.teams is None else {
        g.name: req.grid.roster(req.levels[i], prefix=f"{g.name} ") for i, g in enumerate(req.groups)
        if req.planned[i]}
    panels = []
    for g, group in enumerate(req.groups):
        if req.planned[g]:
            vol = frame.loc[frame.team == group.name, "simulated_mentions"].fillna(
                frame.loc[frame.team == group.name, "expected_mentions"]).to_numpy()
            panels.append({"name": group.name, "volume": vol,
                           "lines": {"requirement (simulated)": req.levels[g],
                                     f"Erlang {_erlang_kind(req)} on the forecast": req.erlang[g]}})
    with atomic_dir(out) as tmp:
        frame.to_csv(tmp / "requirement.csv", index=False, float_format="%.6g")
        plot_week(req.grid, panels, tmp / "requirement.png",
                  f"{req.scenario.name}: agents needed for {req.target}")
        (tmp / "requirement-roster.yaml").write_text(roster_yaml(req.scenario, shifts), encoding="utf-8")
        (tmp / "scenario-requirement.yaml").write_text(
            scenario_yaml(req.scenario, shifts, f"{req.scenario.name} staffed exactly at the requirement for "
                                                f"{req.target} (carebench staff)"), encoding="utf-8")
        (tmp / "summary.txt").write_text(requirement_summary(req, out) + "\n", encoding="utf-8")
    return [out / n for n in ("requirement.csv", "requirement.png", "summary.txt", "requirement-roster.yaml",
                              "scenario-requirement.yaml")]


def interval_end(grid: WeekGrid, k: int) -> str:
    return clock((grid.start(k) + grid.interval) % 1440 or 1440)


def write_roster(plan, out: str | Path, command: str) -> list[Path]:
    """Write every file of ``carebench roster`` into ``out`` (atomically)."""
    out = Path(out)
    frame = plan.coverage_frame()
    shifts = plan.shifts_by_team()
    with atomic_dir(out) as tmp:
        frame.to_csv(tmp / "coverage.csv", index=False, float_format="%.6g")
        _plot_coverage(plan, frame, tmp / "coverage.png")
        (tmp / "roster.yaml").write_text(roster_yaml(plan.scenario, shifts), encoding="utf-8")
        (tmp / "scenario-roster.yaml").write_text(
            scenario_yaml(plan.scenario, shifts, f"{plan.scenario.name} on the roster from carebench roster"),
            encoding="utf-8")
        (tmp / "summary.txt").write_text(plan.summary(out, command) + "\n", encoding="utf-8")
    return [out / n for n in ("roster.yaml", "scenario-roster.yaml", "coverage.csv", "coverage.png", "summary.txt")]


def _plot_coverage(plan, frame: pd.DataFrame, path: Path) -> Path:
    """Per team: requirement and agents on duty over the week, and the simulated service level below."""
    grid = plan.grid
    teams = list(frame.team.unique())
    fig, axes = plt.subplots(2 * len(teams), 1, figsize=(13, 5.5 * len(teams)), squeeze=False,
                             gridspec_kw={"height_ratios": [2, 1] * len(teams)})
    x = np.arange(grid.count + 1) * grid.interval / 1440.0
    for i, team in enumerate(teams):
        part = frame[frame.team == team]
        ax, sl_ax = axes[2 * i, 0], axes[2 * i + 1, 0]
        for col, label, style in (("requirement", "requirement", "--"), ("on_duty", "agents on duty", "-")):
            y = part[col].to_numpy(float)
            ax.step(x, np.append(y, y[-1]), where="post", linestyle=style, label=label)
        over = part["over"].to_numpy(float)
        ax.fill_between(x[:-1], part["requirement"], part["requirement"] + over, step="post", alpha=0.3,
                        label="over-coverage")
        ax.set_ylabel("agents")
        ax.set_title(f"{team}: roster against the requirement")
        ax.legend(loc="upper left", fontsize=8)
        sl = part["service_level"].to_numpy(float)
        if np.isfinite(sl).any():
            sl_ax.step(x, np.append(sl, sl[-1]), where="post", label="simulated service level")
            sl_ax.fill_between(x[:-1], part["sl_low"], part["sl_high"], step="post", alpha=0.25,
                               label="95% confidence")
            sl_ax.axhline(plan.target.goal, color="k", linewidth=0.8, label=f"goal {plan.target.goal:.0%}")
            sl_ax.set_ylim(max(0.0, float(np.nanmin(part["sl_low"])) - 0.05), 1.0)
            sl_ax.legend(loc="lower left", fontsize=8)
        else:
            sl_ax.text(0.5, 0.5, "not simulated", ha="center", va="center", transform=sl_ax.transAxes)
        sl_ax.set_ylabel("service level")
        for a in (ax, sl_ax):
            a.set_xticks(np.arange(7) + 0.5, DAY_NAMES)
            a.set_xticks(np.arange(8), minor=True)
            a.grid(axis="x", which="minor", color="0.7")
            a.set_xlim(0, 7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
