"""The engine on its own event clock (sim.clock) against the same engine on simpy's public API, in one run.

Issue 13 asked for either simpy's public scheduling API or a small clock of our own, measured both ways. This
script runs the engine with each clock, alternating, on two workloads: the M/M/12 core of bench_mmn.py (about a
million mentions) and the care model of bench_year.py (every feature on, 25,000 posts a day) over fewer days.
It times the replication only (CPU seconds of this process, not start-up) and checks that both clocks give the
same results, value for value.

:class:`SimpyClock` implements the engine's clock interface (:class:`sim.ports.Scheduler`, plus ``stop`` and
``run``) with simpy's public API only: every event is a ``Timeout`` with a callback that unwraps its value;
simpy has no public way to schedule an urgent event at a later time, so the hourly snapshots wait in a small heap
of their own and the environment runs up to each (``run(until=t)`` stops before the ordinary events at ``t``,
which is where an urgent event belongs); a stop is an event that succeeds now and raises.

Run: .venv/bin/python benchmarks/bench_clock.py [--rounds 3] [--minutes 100000] [--days 20]
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import math
import statistics
import sys
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from sim.clock import Clock  # noqa: E402
from sim.engine import Engine  # noqa: E402
from sim.loader import load_scenario  # noqa: E402
from sim.scenario import Scenario  # noqa: E402


class _Stop(Exception):
    pass


def _raise_stop(_event) -> None:
    raise _Stop


class SimpyClock:
    """The engine's clock on simpy's public API (see the module doc)."""

    def __init__(self, start: float) -> None:
        self.env = simpy.Environment(initial_time=start)
        self._urgent: list[tuple] = []
        self._seq = itertools.count()

    @property
    def now(self) -> float:
        return self.env.now

    def schedule(self, delay, callback, value=None) -> None:
        self.env.timeout(delay, value).callbacks.append(lambda ev: callback(ev.value))

    def schedule_urgent(self, delay, callback, value=None) -> None:
        heapq.heappush(self._urgent, (self.env.now + delay, next(self._seq), callback, value))

    def stop(self) -> None:
        ev = self.env.event()
        ev.callbacks.append(_raise_stop)
        ev.succeed()

    def run(self, until: float | None = None) -> None:
        env, urgent = self.env, self._urgent
        stop_at = math.inf if until is None else until
        try:
            while True:
                nxt = urgent[0][0] if urgent else math.inf
                limit = min(nxt, stop_at)
                if limit == math.inf:
                    env.run()
                    return
                if limit > env.now:
                    env.run(until=limit)
                if nxt > stop_at:
                    return
                _, _, callback, value = heapq.heappop(urgent)
                callback(value)
                if nxt == stop_at:
                    return
        except _Stop:
            return


def mm12(minutes: float) -> Scenario:
    return Scenario.model_validate({
        "name": "bench-mm12", "seed": 1, "horizon_days": minutes / 1440.0, "replications": 1,
        "volume": {"mentions_per_hour": 600}, "handling": {"handle_minutes": {"dist": "exponential", "mean": 1}},
        "staffing": {"agents": 12}, "sla": {"target_minutes": 0.5, "goal": 0.8}})


def care_year(days: float) -> Scenario:
    from bench_year import OVERRIDES

    return load_scenario(ROOT / "scenarios" / "care-operation.yaml", OVERRIDES + [f"horizon_days={days}"])


def timed(sc: Scenario, clock_cls) -> tuple[float, dict]:
    engine = Engine(sc, clock=clock_cls(-sc.warmup_minutes))
    t = time.process_time()
    result = engine.run()
    return time.process_time() - t, result.summary_row()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--minutes", type=float, default=100_000.0)
    ap.add_argument("--days", type=float, default=20.0)
    args = ap.parse_args()
    workloads = {f"M/M/12 core, {args.minutes:,.0f} minutes": mm12(args.minutes),
                 f"care model, {args.days:g} days at 25,000 posts/day": care_year(args.days)}
    clocks = {"sim.clock.Clock": Clock, "simpy public API": SimpyClock}
    print(f"engine CPU seconds per replication, median of {args.rounds} alternating rounds")
    for label, sc in workloads.items():
        times: dict[str, list[float]] = {name: [] for name in clocks}
        rows = {}
        for _ in range(args.rounds):
            for name, cls in clocks.items():
                secs, rows[name] = timed(sc, cls)
                times[name].append(secs)
        same = _same(*rows.values())
        own, public = (statistics.median(t) for t in times.values())
        print(f"{label}: {int(rows['sim.clock.Clock']['arrivals']):,} mentions; own clock {own:.2f} s, "
              f"simpy public API {public:.2f} s ({public / own:.2f}x); same results: {same}")
    return 0


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(x == y or (x != x and y != y) for x, y in zip(a.values(), b.values()))


if __name__ == "__main__":
    raise SystemExit(main())
