"""Simulated service level per team and interval of the week, from the simulator's per-mention outcomes.

Each replication runs the scenario as it is (``sim.engine.simulate_replication``, streams from ``(seed, rep)``,
so the same replications give common random numbers to every staffing tried). A post counts in the interval in
which it was posted; it is a hit when an agent answered it within the target. Posts that never reached an
agent's queue (skipped by triage, never found by listening: not answered and no time waited) are left out,
because no staffing changes their fate. With teams, a post belongs to its home team
(:class:`~sim.planning.demand.TeamRule`), read from the post's language, channel and intent in the reply-log
messages (``on_message``), the only place the simulator reports them.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.engine import Outcome, simulate_replication
from sim.messages import SimMessage
from sim.scenario import Scenario

from .demand import TeamRule

__all__ = ["Counting", "RepCounts", "Estimate", "count_replication", "Runner", "Replications", "estimate"]


@dataclass(frozen=True)
class Counting:
    """What to count: intervals of ``interval`` minutes (``week_count`` a week), hits within ``target``."""

    interval: int
    week_count: int
    target: float
    rule: TeamRule

    @property
    def groups(self) -> int:
        return len(self.rule.names)


@dataclass
class RepCounts:
    """One replication's counts by team and interval of the week (intervals of several weeks add up)."""

    arrivals: np.ndarray  # [groups, intervals] posts that reached an agent's queue
    hits: np.ndarray  # [groups, intervals] of them answered within the target
    busy: np.ndarray  # [intervals] busy slot-minutes (all teams; the simulator measures it per hour)
    staffed: np.ndarray  # [intervals] staffed slot-minutes
    left_out: int  # posts that never reached a queue


def _message_labeller(rule: TeamRule, labels: dict[int, int]) -> Callable[[SimMessage], None]:
    cache: dict[tuple, int] = {}

    def on_message(msg: SimMessage) -> None:
        if msg.role != "customer":
            return
        key = (msg.language, msg.channel, msg.intent)
        team = cache.get(key)
        if team is None:
            home = rule.home(*key)
            team = cache[key] = -1 if home is None else home[0]
        # the post's id is the simulator's mention id, the one its Outcome carries: "r<rep>-m<id>"
        labels[int(msg.message_id.rsplit("-m", 1)[1])] = team

    return on_message


def _hourly_levels(hours, counting: Counting, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Busy and staffed slot-minutes per interval of the week, spreading each hour evenly over its minutes."""
    k = counting.week_count
    busy = np.zeros(k)
    staffed = np.zeros(k)
    if hours is None or "occupancy" not in hours or "staffed_slots" not in hours:
        return busy * math.nan, staffed * math.nan
    slots = np.nan_to_num(hours["staffed_slots"].to_numpy(dtype=float))
    occ = np.nan_to_num(hours["occupancy"].to_numpy(dtype=float))
    minutes = int(math.floor(horizon))
    per_min_staffed = np.repeat(slots, 60)[:minutes]
    per_min_busy = np.repeat(slots * occ, 60)[:minutes]
    idx = (np.arange(len(per_min_busy)) // counting.interval) % k
    np.add.at(busy, idx, per_min_busy)
    np.add.at(staffed, idx, per_min_staffed)
    return busy, staffed


def count_replication(scenario: Scenario, rep: int, seed: int, counting: Counting,
                      progress: Callable[[float], None] | None = None) -> RepCounts:
    """Simulate replication ``rep`` and count its posts by team and interval of the week."""
    # The cyclic garbage collector is off meanwhile: the replication makes no cycles per post, and the collector
    # would walk the growing list of outcomes again and again (10-20% of a replication's CPU, measured). It is
    # back on once the outcomes are freed, so it has nothing left to walk.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _count(scenario, rep, seed, counting, progress)
    finally:
        if collecting:
            gc.enable()


def _count(scenario: Scenario, rep: int, seed: int, counting: Counting,
           progress: Callable[[float], None] | None) -> RepCounts:
    outcomes: list = []
    labels: dict[int, int] | None = None
    on_message = None
    if counting.groups > 1:
        labels = {}
        on_message = _message_labeller(counting.rule, labels)
    result = simulate_replication(scenario, rep, seed, on_outcome=outcomes.append, progress=progress,
                                  on_message=on_message)
    n = len(outcomes)
    columns = list(zip(*outcomes)) if n else [()] * len(Outcome._fields)
    arrival = np.array(columns[Outcome._fields.index("arrival_minute")], dtype=float)
    wait = np.array(columns[Outcome._fields.index("wait_minutes")], dtype=float)
    answered = np.array(columns[Outcome._fields.index("answered")], dtype=bool)
    if labels is not None:
        group = np.fromiter((labels.get(i, -1) for i in columns[Outcome._fields.index("id")]), np.int64, n)
    else:
        group = np.zeros(n, np.int64)
    del outcomes, columns
    keep = (answered | (wait > 0)) & (group >= 0)
    k = counting.week_count
    cell = group * k + (np.floor(arrival / counting.interval).astype(np.int64) % k)
    size = counting.groups * k
    arrivals = np.bincount(cell[keep], minlength=size).reshape(counting.groups, k)
    hit = keep & answered & (wait <= counting.target + 1e-9)
    hits = np.bincount(cell[hit], minlength=size).reshape(counting.groups, k)
    busy, staffed = _hourly_levels(getattr(result, "hours", None), counting, scenario.horizon_minutes)
    return RepCounts(arrivals, hits, busy, staffed, int(n - keep.sum()))


_worker_progress = None  # in a worker process: the queue its replications report progress to


def _init_worker(queue) -> None:
    global _worker_progress
    _worker_progress = queue


def _work(args) -> tuple[int, RepCounts]:
    scenario, rep, seed, counting = args
    queue = _worker_progress
    report = None if queue is None else (lambda minutes: queue.put((rep, minutes)))
    return rep, count_replication(scenario, rep, seed, counting, report)


class Runner:
    """Runs replications in this process (``jobs`` 1) or in worker processes; the same replication gives the same
    counts either way. Workers report their simulated minutes through a queue, so a progress bar moves (and its
    time estimate means something) while they run. Use as a context manager so the workers stop."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None
        self._queue = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._queue is not None:
            self._queue.close()
            self._queue = None

    def run(self, scenario: Scenario, reps: Sequence[int], seed: int, counting: Counting,
            progress: Callable[[int, float], None] | None = None) -> list[RepCounts]:
        """Counts of each replication in ``reps``; ``progress(rep, minutes)`` reports simulated minutes done."""
        if self.jobs == 1 or len(reps) == 1:
            out = []
            for rep in reps:
                cb = (lambda m, rep=rep: progress(rep, m)) if progress else None
                out.append(count_replication(scenario, rep, seed, counting, cb))
            return out
        if self._pool is None:
            # fork is quick and needs no importable main module, but is unsafe in a threaded host (the app's
            # server): there, spawn
            ctx = multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")
            self._queue = ctx.Queue()
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                             initargs=(self._queue,))
        self._drain(None)  # late reports of an earlier run
        pending = {self._pool.submit(_work, (scenario, rep, seed, counting)) for rep in reps}
        done: dict[int, RepCounts] = {}
        while pending:
            finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            self._drain(progress)
            for fut in finished:
                rep, counts = fut.result()
                done[rep] = counts
                if progress:
                    progress(rep, scenario.warmup_minutes + scenario.horizon_minutes)
        return [done[r] for r in reps]

    def _drain(self, progress: Callable[[int, float], None] | None) -> None:
        while True:
            try:
                rep, minutes = self._queue.get_nowait()
            except queue.Empty:
                return
            if progress:
                progress(rep, minutes)


class Replications:
    """Counts per replication of each staffing (agents per team and interval, ``scenario_with(levels)`` the
    scenario that runs it) simulated: a replication of a staffing already simulated (the same
    seed, so the same random numbers) is taken from here instead of run again."""

    def __init__(self, runner: Runner, scenario_with: Callable[[np.ndarray], Scenario], seed: int,
                 counting: Counting) -> None:
        self.runner, self.scenario_with, self.seed, self.counting = runner, scenario_with, seed, counting
        self._done: dict[tuple[bytes, int], RepCounts] = {}

    def missing(self, levels: np.ndarray, reps: int) -> list[int]:
        key = levels.tobytes()
        return [r for r in range(reps) if (key, r) not in self._done]

    def counts(self, levels: np.ndarray, reps: int, progress) -> list[RepCounts]:
        key = levels.tobytes()
        todo = self.missing(levels, reps)
        if todo:
            sc = self.scenario_with(levels)
            for r, c in zip(todo, self.runner.run(sc, todo, self.seed, self.counting, progress)):
                self._done[key, r] = c
        return [self._done[key, r] for r in range(reps)]


@dataclass
class Estimate:
    """Service level per team and interval across replications: ratio of sums, with a confidence interval from
    the spread of the replications (each replication is one independent cluster of posts)."""

    arrivals: np.ndarray  # [groups, intervals] mean per replication
    service_level: np.ndarray
    half_width: np.ndarray  # NaN with one replication or no posts
    spread: np.ndarray  # standard deviation of one replication's estimate (half_width = t x spread / sqrt(reps))
    occupancy: np.ndarray  # [intervals]
    reps: int
    left_out: float  # mean per replication


def estimate(counts: list[RepCounts], occurrences: np.ndarray, level: float = 0.95) -> Estimate:
    """Pool replications into per-interval estimates (``occurrences[k]``: how often interval ``k`` of the week
    falls in the measured window, which turns sums into means per interval)."""
    a = np.stack([c.arrivals for c in counts]).astype(float)
    h = np.stack([c.hits for c in counts]).astype(float)
    r = len(counts)
    total_a = a.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sl = h.sum(axis=0) / total_a
        if r > 1:
            resid = h - sl[None] * a
            var = (resid**2).sum(axis=0) / (r * (r - 1) * (total_a / r) ** 2)
            half = stats.t.ppf(0.5 + level / 2, r - 1) * np.sqrt(var)
            spread = np.sqrt(var * r)
        else:
            half = spread = np.full_like(sl, math.nan)
        busy = np.sum([c.busy for c in counts], axis=0)
        staffed = np.sum([c.staffed for c in counts], axis=0)
        occ = busy / staffed
    return Estimate(arrivals=total_a / r / np.maximum(occurrences, 1), service_level=sl, half_width=half,
                    spread=spread, occupancy=occ,
                    reps=r, left_out=float(np.mean([c.left_out for c in counts])))
