"""A weekly roster of shifts that covers a requirement in every interval at least paid hours: an integer program.

Every way to work an allowed shift (pattern, day, start, length, break position) is a column; its variable is
how many agents work it. Minimise paid hours subject to: agents on duty >= the requirement in every interval;
each pattern's agents per day within its bounds; part-time paid hours within their share. Solved by HiGHS
(``highspy``): chosen over OR-Tools by measurement (README, "Roster solver"), and OR-Tools cannot be installed
beside the pinned protobuf that Streamlit needs.

The roster comes out in the scenario's own ``staffing.roster`` format; a shift with a break becomes two shifts
(before and after it), since agents on a break are off duty.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from sim.scenario import WEEKDAYS, Shift

from .grid import WeekGrid, clock
from .shifts import ShiftsFile, minutes

__all__ = ["Column", "RosterError", "Roster", "columns_for", "coverage_matrix", "program", "solve_cover", "plan_roster",
           "uncoverable"]


MAX_COLUMNS = 100_000  # ways to work the shifts (the benchmark's shifts allow 1,750)


class RosterError(Exception):
    """The shifts cannot cover the requirement (or the solver failed): one line for the user."""


@dataclass(frozen=True)
class Column:
    """One way to work a shift: ``pattern`` on ``day`` from ``start`` (minute of the day) for ``length`` minutes,
    off duty from ``break_at`` minutes after the start for ``break_length``."""

    pattern: int
    day: int
    start: int
    length: int
    break_at: int | None
    break_length: int
    paid_minutes: int

    def duty(self) -> list[tuple[int, int]]:
        """On-duty spans in minutes of the week (may run past the week's end; wrap with modulo)."""
        a = self.day * 1440 + self.start
        if self.break_at is None:
            return [(a, a + self.length)]
        return [(a, a + self.break_at), (a + self.break_at + self.break_length, a + self.length)]


def columns_for(shifts: ShiftsFile, interval: int, team: str | None = None) -> list[Column]:
    """Every allowed way to work each pattern open to ``team`` (None: every pattern) on a grid of ``interval``."""
    out = []
    for p, pat in enumerate(shifts.shifts):
        if team is not None and pat.teams is not None and team not in pat.teams:
            continue
        brk = 0 if pat.breaks is None else minutes(pat.breaks.length)
        unpaid = 0 if pat.breaks is None or pat.breaks.paid else brk
        for day in (WEEKDAYS.index(d) for d in pat.weekdays):
            for start in pat.start_minutes(interval):
                for length in (minutes(t) for t in pat.lengths):
                    for at in pat.break_offsets(interval):
                        if at is not None and at + brk > length:
                            continue
                        out.append(Column(p, day, start, length, at, brk, length - unpaid))
    return out


def column_count(shifts: ShiftsFile, interval: int, team: str | None = None) -> int:
    """How many columns :func:`columns_for` would make at most, counted without making them."""
    return sum(len(p.weekdays) * len(p.start_minutes(interval)) * len(p.lengths) * len(p.break_offsets(interval))
               for p in shifts.shifts if team is None or p.teams is None or team in p.teams)


def coverage_matrix(columns: list[Column], grid: WeekGrid) -> sparse.csc_matrix:
    """``A[k, j]`` = 1 when column ``j`` is on duty for the whole of interval ``k`` (columns sit on the grid)."""
    rows, cols = [], []
    for j, c in enumerate(columns):
        for a, b in c.duty():
            for k in range(a // grid.interval, b // grid.interval):
                rows.append(k % grid.count)
                cols.append(j)
    data = np.ones(len(rows))
    return sparse.csc_matrix((data, (rows, cols)), shape=(grid.count, len(columns)))


def uncoverable(cover: sparse.csc_matrix, need: np.ndarray, columns: list[Column], shifts: ShiftsFile) -> int | None:
    """The first interval whose requirement exceeds what the shifts could ever put on duty there: each pattern
    contributes at most its ``max_agents`` a day to an interval, however many of its columns cover it."""
    room = np.zeros(cover.shape[0])
    by: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, c in enumerate(columns):
        by[(c.pattern, c.day)].append(j)
    for (p, _day), cols in by.items():
        hits = np.asarray(cover[:, cols].sum(axis=1)).ravel() > 0
        most = shifts.shifts[p].max_agents
        room += hits * (1e12 if most is None else most)
    short = np.nonzero(room + 1e-9 < need)[0]
    return int(short[0]) if len(short) else None


def _highs():
    # the public highspy.Highs prints a banner to standard output when it is built, before any option can be
    # set (HiGHS issue 2749); the core class it wraps does not
    try:
        from highspy._core import _Highs as Highs
    except ImportError:  # pragma: no cover - a highspy without the private core name
        from highspy import Highs
    h = Highs()
    h.setOptionValue("output_flag", False)
    return h


def program(cover: sparse.csc_matrix, need: np.ndarray, groups: list[tuple[list[int], float, float]],
            extra_rows: list[tuple[np.ndarray, float, float]] = ()):
    """The constraint matrix and row bounds: ``cover @ x >= need``, ``lo <= sum(x[cols]) <= hi`` for each group
    and ``lo <= row @ x <= hi`` for each extra row."""
    n = cover.shape[1]
    mats = [cover]
    lower, upper = [np.asarray(need, float)], [np.full(cover.shape[0], math.inf)]
    if groups:
        rows = [i for i, (cols, _, _) in enumerate(groups) for _ in cols]
        cols = [j for cols, _, _ in groups for j in cols]
        mats.append(sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(groups), n)))
        lower.append(np.array([lo for _, lo, _ in groups], float))
        upper.append(np.array([hi for _, _, hi in groups], float))
    for row, lo, hi in extra_rows:
        mats.append(sparse.csr_matrix(row.reshape(1, -1)))
        lower.append(np.array([lo], float))
        upper.append(np.array([hi], float))
    return sparse.vstack(mats).tocsc(), np.concatenate(lower), np.concatenate(upper)


def solve_cover(cost: np.ndarray, cover: sparse.csc_matrix, need: np.ndarray,
                groups: list[tuple[list[int], float, float]], extra_rows: list[tuple[np.ndarray, float, float]] = (),
                time_limit: float = 60.0, gap: float = 0.0) -> tuple[np.ndarray, float, str]:
    """Minimise ``cost @ x`` over integers ``x >= 0`` subject to :func:`program`'s rows.

    Returns (x, relative gap, status): status "optimal", "time limit" (best found) or "infeasible".
    """
    import highspy

    n = len(cost)
    a, row_lower, row_upper = program(cover, need, groups, extra_rows)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, a.shape[0]
    lp.col_cost_ = np.asarray(cost, float)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, math.inf)
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = _highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return np.zeros(n), math.nan, "infeasible"
    x = np.rint(np.asarray(h.getSolution().col_value, float)).astype(np.int64)
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kOptimal:
        return x, float(info.mip_gap), "optimal"
    if status == highspy.HighsModelStatus.kTimeLimit and info.primal_solution_status == 2:
        return x, float(info.mip_gap), "time limit"
    raise RosterError(f"the solver stopped without a roster ({h.modelStatusToString(status)})")


@dataclass
class Roster:
    """A solved roster for one team (``team`` None: the whole staff)."""

    team: str | None
    grid: WeekGrid
    shifts: ShiftsFile
    columns: list[Column]
    agents: np.ndarray  # per column
    need: np.ndarray  # [intervals] the requirement it covers
    on_duty: np.ndarray  # [intervals]
    gap: float
    status: str
    seconds: float

    @property
    def paid_hours(self) -> float:
        return float(sum(c.paid_minutes * n for c, n in zip(self.columns, self.agents))) / 60.0

    @property
    def required_hours(self) -> float:
        return float(self.need.sum()) * self.grid.interval / 60.0

    def scenario_shifts(self) -> list[Shift]:
        """The roster as ``staffing.roster`` shifts: a break splits a shift in two (agents on a break are off
        duty); the same shift on several days is one entry with several weekdays."""
        days: dict[tuple, list[int]] = defaultdict(list)
        for c, n in zip(self.columns, self.agents):
            if n > 0:
                key = (c.start, self.shifts.shifts[c.pattern].name, c.length, c.break_at, c.break_length, int(n))
                days[key].append(c.day)
        out = []
        for (start, name, length, at, brk, n), on in sorted(days.items()):
            label = f"{name} {clock(start)} {length // 60}:{length % 60:02d}"
            if at is None:
                parts = [("", 0, length)]
            else:
                label += f" break {clock((start + at) % 1440)}"
                parts = [(" (1)", 0, at), (" (2)", at + brk, length - at - brk)]
            for suffix, offset, span in parts:
                a = start + offset
                weekdays = [WEEKDAYS[(d + a // 1440) % 7] for d in on]
                end = (a + span) % 1440
                out.append(Shift(name=f"{label} x{n}{suffix}", weekdays=weekdays, start=clock(a % 1440),
                                 end=clock(end) if end else "24:00", agents=n))
        return out


def plan_roster(need: np.ndarray, grid: WeekGrid, shifts: ShiftsFile, team: str | None = None,
                time_limit: float = 60.0, gap: float = 0.0) -> Roster:
    """The least-paid-hours roster covering ``need`` (agents per interval of the week) with ``shifts``."""
    t0 = time.perf_counter()
    problems = shifts.grid_problems(grid.interval)
    if problems:
        raise RosterError(f"{problems[0][0]}: {problems[0][1]}")
    need = np.asarray(need, float)
    who = f" for team {team}" if team else ""
    count = column_count(shifts, grid.interval, team)
    if count > MAX_COLUMNS:  # each a Python object and a column of the integer program: minutes, gigabytes
        raise RosterError(f"the shifts allow {count:,} ways to work them{who}, over the limit of {MAX_COLUMNS:,}: "
                          "allow fewer patterns, start times, lengths or break times")
    columns = columns_for(shifts, grid.interval, team)
    if not columns:
        raise RosterError(f"no shift is open{who}")
    cover = coverage_matrix(columns, grid)
    groups = _pattern_bounds(columns, shifts)
    k = uncoverable(cover, need, columns, shifts)
    if k is not None:
        capped = bool(cover[k].sum())
        raise RosterError(f"no allowed shift can cover {grid.label(k)}-{clock((grid.start(k) + grid.interval) % 1440 or 1440)}"
                          f"{who}, where the requirement is {int(need[k])} agents"
                          f"{' (the shifts covering it are capped by max_agents)' if capped else ''}")
    cost = np.array([c.paid_minutes / 60.0 for c in columns])
    extra = _part_time_row(columns, shifts)
    x, g, status = solve_cover(cost, cover, need, groups, extra, time_limit, gap)
    if status == "infeasible":
        raise RosterError(f"the shifts cannot cover the requirement{who} within the part-time share of "
                          f"{shifts.part_time_max_share:.0%} and the agents' bounds per shift")
    return Roster(team, grid, shifts, columns, x, need, cover @ x, g, status, time.perf_counter() - t0)


def _pattern_bounds(columns: list[Column], shifts: ShiftsFile) -> list[tuple[list[int], float, float]]:
    """Rows bounding each pattern's agents per day: (columns, min_agents, max_agents)."""
    by: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, c in enumerate(columns):
        by[(c.pattern, c.day)].append(j)
    groups = []
    for (p, _day), cols in sorted(by.items()):
        pat = shifts.shifts[p]
        if pat.min_agents > 0 or pat.max_agents is not None:
            groups.append((cols, float(pat.min_agents), math.inf if pat.max_agents is None else float(pat.max_agents)))
    return groups


def _part_time_row(columns: list[Column], shifts: ShiftsFile):
    """Part-time paid hours <= share x all paid hours, as one row: sum((pt - share) x paid x) <= 0."""
    share = shifts.part_time_max_share
    pt = np.array([shifts.shifts[c.pattern].part_time for c in columns], bool)
    if share >= 1 or not pt.any():
        return []
    paid = np.array([c.paid_minutes for c in columns], float)
    return [((pt.astype(float) - share) * paid, -math.inf, 0.0)]
