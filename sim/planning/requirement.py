"""The staffing requirement: the fewest agents per interval so that the posts arriving in each interval meet the
service-level target, found by iterating the simulator (after Feldman, Mandelbaum, Massey & Whitt 2008).

1. Start from the stationary formulas per interval: Erlang A (Erlang C when nobody gives up) on the forecast,
   raised where the fluid model of the time-varying queue (:mod:`sim.planning.fluid`) needs more: after a peak,
   the posts still queued from it need the peak's agents for a while, which no interval-by-interval formula sees.
2. Simulate the current staffing (the scenario's full behaviour: patience, repeats, concurrency, channels, teams)
   over replications ``0..R-1``: the same replications every iteration, so staffings are compared under common
   random numbers and the iteration is a deterministic map (a replication of a staffing already simulated is
   not simulated again).
3. In each interval, find the load at which the stationary model gives exactly the simulated service level
   with the current agents, and staff that load: the fewest agents whose model service level reaches the goal.
   This carries what the formulas miss (time-varying load, backlog carried across intervals, repeats,
   non-exponential times) from the simulation into the next staffing, as FMMW's iteration carries the simulated
   number in system.
4. Phases. *Explore* with few replications (big moves: the first the whole way from the start, later ones
   half the proposed way, at least one agent, since an interval's neighbours move too). Then, with enough
   replications for the precision asked for in every busy interval, *free* iterations (moves both ways,
   damped), then *settle*: an interval significantly under the goal takes the whole raise the calibrated model
   asks and is never again staffed below it; one significantly over the goal, where the model says fewer
   agents would do, moves the whole way down, but not below the fewest agents found short there (a ratchet:
   half-way moves left a long tail of downward rounds); the others stay.
   Significantly: by more than the interval's own 95% half-width or the precision, whichever is smaller, and
   by more than the indifference zone (no wider than the precision): an interval short by less meets the goal
   with the stated confidence, or is too close to it to chase, and is left alone (the summary counts both):
   requiring every point estimate over the goal chases the noise of 300 estimates, each round of raises
   perturbing the sample paths enough to push others just under. Replications are added sequentially: free and
   settling iterations first run the fewest (``final_min_reps``); each settled staffing gets twice as many
   (the earlier ones are kept: still common random numbers), up to what the precision needs, and settles
   again; a stage before the last grows already once at most ``stage_until`` of the intervals move (its last
   small moves are noise or found again by the next stage's replications, which the last stage tests). Settled: no interval moves, or the moves left are those the 95% test flags by chance (at most 2.5%
   of the intervals move, or none that would move is off the goal by more than the precision and at most 2.5%
   would be raised). A search that reaches the iteration limit says so and reports the last staffing simulated.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.scenario import Scenario

from .demand import Group, TeamRule, forecast_rates, groups_of, staff_concurrency
from .erlang import smallest
from .fluid import fluid_agents
from .grid import WeekGrid
from .measure import Counting, Estimate, Replications, Runner, estimate
from .target import Settings, Target

NOISE_SHARE = 0.025  # intervals a one-sided 95% test flags short by chance when all meet the goal exactly

__all__ = ["Target", "Settings", "Iteration", "Requirement", "plan_requirement", "with_levels", "short_of"]


@dataclass
class Iteration:
    """One simulation of a staffing and the update it led to."""

    reps: int  # replications the estimate pools
    changed: int  # intervals whose requirement moved
    below: int  # intervals under the goal in this simulation
    seconds: float
    phase: str = "free"  # explore, free or settle
    runs: int = -1  # replications simulated for it (fewer than reps when earlier ones were kept); -1: reps
    short: int = 0  # of the intervals under the goal, those significantly under (the ones settling raises)
    raised: int = 0  # of the intervals that moved, those raised

    def __post_init__(self) -> None:
        if self.runs < 0:
            self.runs = self.reps


@dataclass
class Requirement:
    """The result: per team and interval of the week, the forecast, Erlang staffing and simulated requirement."""

    scenario: Scenario
    target: Target
    settings: Settings
    grid: WeekGrid
    groups: list[Group]
    planned: list[bool]  # teams with posts of their own (others keep the scenario's staffing)
    window: int  # intervals of the week inside the measured window
    rates: np.ndarray  # [intervals] forecast first posts per minute
    erlang: np.ndarray  # [groups, intervals] agents by the formulas on the forecast
    start: np.ndarray  # [groups, intervals] where the search started (Erlang raised to the fluid model's agents)
    levels: np.ndarray  # [groups, intervals] the requirement (outside the window: filled, see WeekGrid)
    estimate: Estimate  # simulated service level etc. of ``levels``
    capped: np.ndarray  # [groups, intervals] the search hit its upper bound
    iterations: list[Iteration] = field(default_factory=list)
    status: str = "converged"
    noise_raises: int = 0  # intervals settling would still raise when it stopped, as many as its test flags by chance
    noise_lowers: int = 0  # ... and lower
    seconds: float = 0.0

    @property
    def runs(self) -> int:
        return sum(i.runs for i in self.iterations)

    def within_noise(self) -> np.ndarray:
        """[groups, intervals] under the goal, but not significantly (they meet it with the stated confidence)."""
        with np.errstate(invalid="ignore"):
            under = self.estimate.service_level < self.target.goal
        return under & ~short_of(self.estimate, self.target.goal, self.settings.precision, self.settings.indifference)

    def scenario_with_requirement(self) -> Scenario:
        return with_levels(self.scenario, self.grid, self.levels, self.planned)


def with_levels(scenario: Scenario, grid: WeekGrid, levels: np.ndarray, planned: list[bool] | None = None) -> Scenario:
    """``scenario`` with each planned team (or the whole staff) on duty as ``levels`` say, as a roster."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    staffing = data["staffing"]
    if scenario.staffing.teams is None:
        staffing.pop("agents", None)
        conc = staff_concurrency(scenario)
        staffing["roster"] = [s.model_copy(update={"concurrency": conc}).model_dump() for s in grid.roster(levels[0])]
    else:
        for i, team in enumerate(staffing["teams"]):
            if planned is None or planned[i]:
                team.pop("agents", None)
                team["roster"] = [s.model_dump() for s in grid.roster(levels[i], prefix=f"{team['name']}-")]
    return Scenario.model_validate(data)


def _tolerance(est: Estimate, precision: float, zone: float) -> np.ndarray:
    """How far off the goal an interval may be and stay where it is: its own 95% half-width or the precision,
    whichever is smaller, but at least the indifference zone, itself no wider than the precision (an interval
    without a half-width: the zone)."""
    return np.maximum(np.minimum(np.nan_to_num(est.half_width, nan=0.0), precision), min(zone, precision))


def short_of(est: Estimate, goal: float, precision: float, zone: float = 0.0) -> np.ndarray:
    """[groups, intervals] significantly under the goal: short by more than :func:`_tolerance`."""
    with np.errstate(invalid="ignore"):
        return est.service_level < goal - _tolerance(est, precision, zone)


def over_goal(est: Estimate, goal: float, precision: float, zone: float = 0.0) -> np.ndarray:
    """[groups, intervals] significantly over the goal (the mirror of :func:`short_of`)."""
    with np.errstate(invalid="ignore"):
        return est.service_level > goal + _tolerance(est, precision, zone)


class _Search:
    """The state of one requirement search: floors, caps and the update rule."""

    def __init__(self, scenario: Scenario, target: Target, settings: Settings) -> None:
        self.scenario = scenario
        self.target = target
        self.settings = settings
        self.grid = WeekGrid(settings.interval)
        self.groups = groups_of(scenario, target.minutes)
        self.planned = [g.share > 0 for g in self.groups]
        self.window = self.grid.window(scenario.horizon_minutes)
        self.occurrences = self.grid.occurrences(scenario.horizon_minutes)
        self.rates = forecast_rates(scenario, self.grid)
        shape = (len(self.groups), self.grid.count)
        self.floor = np.zeros(shape, dtype=np.int64)
        self.erlang = np.zeros(shape, dtype=np.int64)
        for g, group in enumerate(self.groups):
            one = smallest(lambda m: group.model.servers(m) >= 1, 1)
            for k in range(self.grid.count):
                load = self.rates[k] * group.share * group.model.handle
                self.floor[g, k] = one if load > 0 else 0
                self.erlang[g, k] = group.model.agents_for(load, target.goal, floor=int(self.floor[g, k]))
        self.fluid = np.stack([fluid_agents(self.rates * group.share, settings.interval, group.model, target.goal)
                               for group in self.groups])
        self.cap = 3 * np.maximum(self.erlang, self.fluid) + 10 * self.floor + 10
        self.tried = np.zeros(shape, dtype=np.int64)  # settling: one more than the most agents found short

    def start(self) -> np.ndarray:
        return np.maximum(self.erlang, self.fluid)

    def update(self, levels: np.ndarray, est: Estimate) -> np.ndarray:
        """The next staffing of the window's intervals from the simulated service level of ``levels``."""
        new = levels.copy()
        reps = est.reps
        for g, group in enumerate(self.groups):
            if not self.planned[g]:
                continue
            for k in range(self.window):
                s = int(levels[g, k])
                posts = est.arrivals[g, k] * max(1, self.occurrences[k]) * reps
                floor, cap = int(self.floor[g, k]), int(self.cap[g, k])
                if posts < 0.5:
                    new[g, k] = floor
                    continue
                floor = max(floor, smallest(lambda m: group.model.servers(m) >= 1, 1))
                if group.model.servers(s) < 1:
                    new[g, k] = floor
                    continue
                load = group.model.load_for(s, self._evidence(est.service_level[g, k], posts))
                new[g, k] = group.model.agents_for(load, self.target.goal, floor=floor, cap=max(cap, s), hint=s)
        return new

    def step(self, phase: str, levels: np.ndarray, est: Estimate, first: bool) -> np.ndarray:
        """The next staffing in ``phase``; the first move goes the whole way (the start may be far off)."""
        proposal = self.update(levels, est)
        if phase == "settle":
            new = self.settle(levels, proposal, est)
        elif (first and phase == "explore") or self.settings.damping >= 1:
            new = proposal
        else:
            new = self.damp(levels, proposal)
        return self.fill(new)

    def settle(self, levels: np.ndarray, proposal: np.ndarray, est: Estimate) -> np.ndarray:
        """Settling: an interval significantly under the goal takes the whole raise the calibrated model asks
        (calibrated at its current agents, the model proposes more only under the goal), and is never again
        staffed below that; one significantly over it, where the model says fewer would do, moves down
        (``settle_damping`` of the way), but not below the fewest agents found short there. The others stay."""
        goal, precision, zone = self.target.goal, self.settings.precision, self.settings.indifference
        short = short_of(est, goal, precision, zone) & (proposal > levels)
        self.tried = np.where(short, np.maximum(self.tried, levels + 1), self.tried)
        over = over_goal(est, goal, precision, zone) & (proposal < levels)
        down = np.maximum(self.damp(levels, proposal, self.settings.settle_damping), self.tried)
        return np.where(short, proposal, np.where(over, np.minimum(levels, down), levels))

    def damp(self, levels: np.ndarray, proposal: np.ndarray, share: float | None = None) -> np.ndarray:
        """Part of the way (at least one agent): an interval's neighbours move too."""
        step = proposal - levels
        share = self.settings.damping if share is None else share
        moved = levels + np.sign(step) * np.maximum(1, np.floor(np.abs(step) * share))
        return np.where(step == 0, levels, moved)

    def _evidence(self, observed: float, posts: float) -> float:
        """The service level to calibrate on: the observed one kept off 0 and 1 by half a post (the formulas never
        reach them), but never across the goal, so that an interval of a few posts all answered in time is not
        taken for one that misses."""
        goal = self.target.goal
        kept = min(max(observed, 0.5 / posts), 1 - 0.5 / posts)
        return max(kept, goal) if observed >= goal else min(kept, np.nextafter(goal, 0.0))

    def fill(self, levels: np.ndarray) -> np.ndarray:
        out = levels.copy()
        for g in range(len(self.groups)):
            out[g] = self.grid.fill_outside(levels[g], self.window)
        return out

    def scenario_with(self, levels: np.ndarray) -> Scenario:
        return with_levels(self.scenario, self.grid, levels, self.planned)

    @property
    def cells(self) -> int:
        return sum(self.planned) * self.window

    def final_reps(self, est: Estimate, reps: int) -> int:
        """Replications for the precision in every busy interval, from the spread of one replication's estimate
        (the half-width shrinks as one over the root of the replications); at most eight times as many at once."""
        busy = est.arrivals[:, : self.window] >= self.settings.min_volume
        spread = np.where(busy, est.spread[:, : self.window], 0.0)
        widest = float(np.nanmax(spread)) if spread.size else 0.0
        wanted = max(math.ceil((1.96 * widest / self.settings.precision) ** 2) + 1, self.settings.final_min_reps)
        return int(min(self.settings.max_reps, 8 * reps, max(reps, wanted)))

    def grown_reps(self, est: Estimate, reps: int) -> int:
        """The replications after settling at ``reps``: twice as many, up to what the precision needs (at least
        half as many again; at most ``max_reps``). Doubling rather than jumping to the precision's count keeps
        the earlier replications and finds at half the cost the shortfalls the extra ones reveal."""
        wanted = max(self.final_reps(est, reps), min(self.settings.max_reps, reps + reps // 2))
        return min(wanted, max(2 * reps, reps + 1))

    def moves_within_noise(self, levels: np.ndarray, new: np.ndarray, est: Estimate) -> bool:
        """Whether the moves settling still asks for are what its 95% test flags by chance: at most 2.5% of the
        intervals tested move (either way), or no interval that would move is off the goal by more than the
        precision and at most 2.5% are raised. 2.5% is the share that tests short (or over) by chance when every
        interval meets the goal exactly: with 300 estimates, each round of moves re-draws the sample paths of
        the others and flags about that many anew, so requiring none chases noise round after round (a tail of
        4-6 moves a round for ten rounds, measured). With fewer than 40 intervals that share is 0: no move."""
        w, goal, precision = self.window, self.target.goal, self.settings.precision
        moved = new[:, :w] != levels[:, :w]
        tested = np.isfinite(est.half_width[:, :w]) & np.array(self.planned)[:, None]
        allowed = math.floor(NOISE_SHARE * tested.sum())
        if int(moved.sum()) <= allowed:
            return True
        with np.errstate(invalid="ignore"):
            far = np.abs(est.service_level[:, :w] - goal) > precision
        if (moved & far).any():
            return False
        return int((new[:, :w] > levels[:, :w]).sum()) <= allowed

    def precise_enough(self, est: Estimate) -> tuple[bool, float]:
        """Whether every busy interval's half-width is within the precision; and the widest."""
        busy = est.arrivals[:, : self.window] >= self.settings.min_volume
        widths = np.where(busy, est.half_width[:, : self.window], 0.0)
        widest = float(np.nanmax(widths)) if widths.size else 0.0
        return widest <= self.settings.precision, widest


# One loop on purpose: its phases share the staffing, replications and counters of the search, and pieces
# would only pass them back and forth (about 70 lines).
def plan_requirement(
    scenario: Scenario,
    target: Target,
    settings: Settings = Settings(),
    progress: Callable[[int, float], None] | None = None,
    on_iteration: Callable[[int, int, Iteration | None], None] | None = None,
    start: np.ndarray | None = None,
) -> Requirement:
    """Search the requirement (see the module docstring).

    ``start`` (agents per team and interval of the week) replaces the start from the formulas, e.g. to begin from
    a roster. ``progress(rep, minutes)`` reports simulated minutes of the replication under way;
    ``on_iteration(number, runs, last)`` is called before each simulation with the replications it will run and
    the previous iteration's record (None at first).
    """
    # One function (about 85 lines): the loop is a small state machine (phase, replications, iterations left,
    # levels) whose every branch reads and moves all of that state; split, it would travel in a state object
    # that every part mutates, which is harder to follow than the loop itself.
    t0 = time.perf_counter()
    search = _Search(scenario, target, settings)
    seed = scenario.seed if settings.seed is None else settings.seed
    counting = Counting(settings.interval, search.grid.count, target.minutes, TeamRule.of(scenario))
    first = search.fill(search.start() if start is None else np.asarray(start, dtype=np.int64).reshape(
        search.erlang.shape))
    levels = first
    reps = max(2, min(settings.first_reps, settings.max_reps))
    phase, left = "explore", settings.explore_iterations
    if reps >= settings.max_reps or left <= 0:  # no exploring
        reps = max(reps, min(settings.max_reps, settings.final_min_reps))
        phase, left = ("free", settings.free_iterations) if settings.free_iterations > 0 else ("settle", 0)
    iterations: list[Iteration] = []
    status = "iteration limit reached before the requirement settled"
    noise_raises = noise_lowers = 0
    est = None
    with Runner(settings.jobs) as runner:
        done = Replications(runner, search.scenario_with, seed, counting)
        for number in range(1, settings.max_iterations + 1):
            if on_iteration:
                on_iteration(number, len(done.missing(levels, reps)), iterations[-1] if iterations else None)
            t_it = time.perf_counter()
            runs = len(done.missing(levels, reps))
            est = estimate(done.counts(levels, reps, progress), search.occurrences)
            new = search.step(phase, levels, est, first=number == 1)
            w = search.window
            changed = int((new[:, :w] != levels[:, :w]).sum())
            raised = int((new[:, :w] > levels[:, :w]).sum())
            below = int((est.service_level[:, :w] < target.goal).sum())
            short = int(short_of(est, target.goal, settings.precision, settings.indifference)[:, :w].sum())
            iterations.append(Iteration(reps, changed, below, time.perf_counter() - t_it, phase, runs, short, raised))
            left -= 1
            if phase == "explore":
                # few replications: big moves, until they become small
                if changed <= settings.explore_until * search.cells or left <= 0:
                    # sequential sampling: settle on the fewest replications first, grow them for the precision
                    # once settled (the big moves need no precise estimates)
                    coarse = max(reps, min(settings.max_reps, settings.final_min_reps))
                    reps, left = min(search.final_reps(est, reps), coarse), settings.free_iterations
                    phase = "free" if left > 0 else "settle"
                levels = new
                continue
            noise = changed > 0 and phase == "settle" and search.moves_within_noise(levels, new, est)
            if (phase == "settle" and 0 < changed <= settings.stage_until * search.cells and not noise
                    and reps < settings.max_reps and not search.precise_enough(est)[0]
                    and number < settings.max_iterations):
                # a stage before the final replications: its last few moves are left to the next stage, whose
                # replications keep these (common random numbers, half of them already run) and tell better
                reps = search.grown_reps(est, reps)
                continue
            if changed == 0 or noise:
                precise = search.precise_enough(est)[0] or reps >= settings.max_reps
                if precise or number == settings.max_iterations:  # at the limit more replications could only be reported, not acted on
                    status = "converged" if precise else (f"settled at {reps} replications, but the iteration "
                                                          "limit left none to grow them to the precision")
                    noise_raises, noise_lowers = (raised, changed - raised) if noise else (0, 0)
                    break
                reps = search.grown_reps(est, reps)
                continue
            if phase == "free" and left <= 0:
                phase = "settle"
            if number < settings.max_iterations:
                levels = new
    assert est is not None
    return Requirement(
        scenario=scenario, target=target, settings=settings, grid=search.grid, groups=search.groups,
        planned=search.planned, window=search.window, rates=search.rates, erlang=search.erlang, start=first,
        levels=levels, estimate=est, capped=(levels >= search.cap) & (est.service_level < target.goal),
        iterations=iterations, status=status, noise_raises=noise_raises, noise_lowers=noise_lowers,
        seconds=time.perf_counter() - t0,
    )
