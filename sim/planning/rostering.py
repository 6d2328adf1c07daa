"""Rosters for a scenario's requirement, one per team, and what they achieve when simulated.

:func:`plan_rosters` reads the requirement per team (a frame as in ``requirement.csv``), solves each team's
integer program (:mod:`sim.planning.roster`) and puts the rosters into the scenario; :meth:`RosterPlan.simulate`
runs the rostered scenario and measures the service level per interval as the requirement search does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.scenario import Scenario

from .demand import TeamRule, staff_concurrency
from .grid import WeekGrid
from .measure import Counting, Estimate, Runner, estimate
from .requirement import Target
from .roster import Roster, plan_roster
from .shifts import ShiftsFile

__all__ = ["RosterPlan", "plan_rosters", "TIME_LIMIT"]

# The solver's seconds per team by default: on the benchmark week (336 intervals, 25,000 mentions a day) HiGHS
# is then within 0.25% of the optimum, and solving plus simulating the roster stays under 30 s (README, Speed).
TIME_LIMIT = 20.0


@dataclass
class RosterPlan:
    """The rosters of every planned team (key None: a scenario without teams) and, once simulated, the result."""

    scenario: Scenario
    target: Target
    grid: WeekGrid
    rosters: dict[str | None, Roster]
    estimate: Estimate | None = None
    team_names: list[str] = field(default_factory=list)  # groups of the estimate, in scenario order
    sim_reps: int = 0

    def shifts_by_team(self) -> dict[str | None, list]:
        return {team: r.scenario_shifts() for team, r in self.rosters.items()}

    def rostered_scenario(self) -> Scenario:
        """The scenario with each planned team (or the whole staff) on its roster."""
        data = self.scenario.model_dump(mode="python", exclude_none=True)
        st = data["staffing"]
        conc = staff_concurrency(self.scenario)
        for team, roster in self.rosters.items():
            shifts = [s.model_copy(update={"concurrency": conc if team is None else 1}).model_dump()
                      for s in roster.scenario_shifts()]
            target = st if team is None else next(t for t in st["teams"] if t["name"] == team)
            target.pop("agents", None)
            target["roster"] = shifts
        return Scenario.model_validate(data)

    def simulate(self, reps: int, seed: int | None = None, jobs: int = 1,
                 progress: Callable[[int, float], None] | None = None) -> Estimate:
        """Service level per team and interval of the rostered scenario over ``reps`` replications."""
        sc = self.rostered_scenario()
        rule = TeamRule.of(sc)
        counting = Counting(self.grid.interval, self.grid.count, self.target.minutes, rule)
        with Runner(jobs) as runner:
            counts = runner.run(sc, range(reps), sc.seed if seed is None else seed, counting, progress)
        self.estimate = estimate(counts, self.grid.occurrences(sc.horizon_minutes))
        self.team_names = list(rule.names)
        self.sim_reps = reps
        return self.estimate

    def coverage_frame(self) -> pd.DataFrame:
        """Per team and interval: requirement, agents on duty, over- and under-coverage, simulated service level."""
        frames = []
        window = self.grid.window(self.scenario.horizon_minutes)
        for team, r in self.rosters.items():
            name = team or "all"
            df = pd.DataFrame({
                "team": name, "interval": [self.grid.label(k) for k in range(self.grid.count)],
                "start_minute": [self.grid.start(k) for k in range(self.grid.count)],
                "requirement": r.need.astype(int), "on_duty": r.on_duty.astype(int),
            })
            df["over"] = np.maximum(0, df.on_duty - df.requirement)
            df["under"] = np.maximum(0, df.requirement - df.on_duty)
            sl = half = np.full(self.grid.count, math.nan)
            if self.estimate is not None and name in self.team_names:
                g = self.team_names.index(name)
                measured = np.arange(self.grid.count) < window
                sl = np.where(measured, self.estimate.service_level[g], math.nan)
                half = np.where(measured, self.estimate.half_width[g], math.nan)
            df["service_level"], df["sl_low"], df["sl_high"] = sl, sl - half, sl + half
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def summary(self, out=None, command: str | None = None) -> str:
        """The plain-number summary of the rosters and of their simulation."""
        lines = [f"Roster for {self.scenario.name} ({self.grid.interval}-minute intervals, {self.target})"]
        for team, r in self.rosters.items():
            over = (r.on_duty - r.need).clip(min=0).sum() * self.grid.interval / 60.0
            under = int((r.need > r.on_duty).sum())
            shifts = int(sum(n for n in r.agents))
            gap = "proven optimal" if r.status == "optimal" and r.gap <= 1e-9 else \
                f"within {r.gap:.2%} of the optimum" if r.status == "optimal" else \
                f"time limit, within {r.gap:.2%} of the optimum"
            lines.append(f"{team or 'all'}: {r.paid_hours:,.1f} paid hours a week in {shifts} shifts, for "
                         f"{r.required_hours:,.1f} required agent-hours; over-coverage {over:,.1f} agent-hours, "
                         f"{under} intervals under-covered; HiGHS {gap} ({r.seconds:.1f} s)")
        if self.estimate is not None:
            window = self.grid.window(self.scenario.horizon_minutes)
            for g, name in enumerate(self.team_names):
                sl = self.estimate.service_level[g, :window]
                if not np.isfinite(sl).any():
                    continue
                met = int(np.sum(sl >= self.target.goal - 1e-12))
                lines.append(f"  simulated ({self.sim_reps} replications), {name}: service level per interval "
                             f"lowest {np.nanmin(sl):.3f}, median {np.nanmedian(sl):.3f}; {met} of "
                             f"{int(np.isfinite(sl).sum())} intervals meet {self.target}")
        if command:
            lines.append(f"Run it: {command}")
        if out is not None:
            lines.append(f"     or: carebench simulate {out}/scenario-roster.yaml")
        return "\n".join(lines)


def plan_rosters(scenario: Scenario, need: pd.DataFrame, shifts: ShiftsFile, target: Target,
                 time_limit: float = TIME_LIMIT, gap: float = 0.001) -> RosterPlan:
    """Solve one roster per team of ``need`` (rows as in ``requirement.csv``); ValueError when the requirement
    does not fit the scenario, :class:`~sim.planning.roster.RosterError` when the shifts cannot cover it."""
    teams = [t.name for t in scenario.staffing.teams or []]
    rosters: dict[str | None, Roster] = {}
    grid = None
    for name, part in need.groupby("team", sort=False):
        part = part.sort_values("start_minute")
        interval = 10080 // len(part)
        grid = WeekGrid(interval)
        if teams and name not in teams:
            raise ValueError(f"team {name!r} is not a team of scenario {scenario.name!r} ({', '.join(teams)})")
        if not teams and len(need["team"].unique()) > 1:
            raise ValueError(f"scenario {scenario.name!r} has no teams, but the requirement has several")
        levels = part["requirement"].to_numpy(dtype=float)
        if levels.sum() <= 0:
            continue
        rosters[name if teams else None] = plan_roster(levels, grid, shifts, name if teams else None,
                                                       time_limit=time_limit, gap=gap)
    if grid is None or not rosters:
        raise ValueError("the requirement asks for no agent at all")
    return RosterPlan(scenario, target, grid, rosters)
