"""Speed of the simulator on M/M/12 against a minimal pure-simpy model and the Ciw library, in one run.

The case: 10 mentions per minute, exponential 1-minute handling, 12 agents, about a million mentions
(100,000 simulated minutes). carebench is timed as the whole `carebench simulate` process (start-up,
files and all); the yardsticks as in-process loops (their start-up is not counted, which favours them).
Peak memory of carebench is measured at two horizons to show it does not grow with the horizon.

Run: .venv/bin/python benchmarks/bench_mmn.py [--minutes 100000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATE, HANDLE, AGENTS = 10.0, 1.0, 12


def minimal_simpy(minutes: float, seed: int = 1) -> int:
    """The textbook simpy M/M/n: a process per customer requesting a shared Resource."""
    import random

    import simpy

    rnd = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    served = [0]

    def customer():
        with agents.request() as req:
            yield req
            yield env.timeout(rnd.expovariate(1.0 / HANDLE))
        served[0] += 1

    def source():
        while True:
            yield env.timeout(rnd.expovariate(RATE))
            env.process(customer())

    env.process(source())
    env.run(until=minutes)
    return served[0]


def ciw_model(minutes: float, seed: int = 1) -> int:
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / HANDLE)],
        number_of_servers=[AGENTS],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(minutes)
    return len(sim.get_all_records())


SCENARIO = """\
name: bench-mm12
seed: 1
horizon_days: {days}
warmup_days: 0
replications: 1
volume: {{mentions_per_hour: 600}}
handling: {{handle_minutes: {{dist: exponential, mean: 1}}}}
staffing: {{agents: 12}}
sla: {{target_minutes: 0.5, goal: 0.8}}
"""


def carebench_process(minutes: float) -> tuple[float, int, float]:
    """Wall seconds, mentions, peak RSS (MiB) of a whole `carebench simulate` process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(SCENARIO.format(days=minutes / 1440.0))
        exe = Path(sys.executable).with_name("carebench")
        code = textwrap.dedent(
            f"""
            import resource, subprocess, sys, time
            t = time.perf_counter()
            subprocess.run([{str(exe)!r}, "simulate", {str(path)!r}, "--out", {tmp!r}], check=True,
                           stdout=subprocess.DEVNULL)
            print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        )
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        seconds, rss_kib = out.split()
        import pandas as pd

        mentions = int(pd.read_csv(Path(tmp) / "summary.csv")["arrivals"].iloc[0])
    return float(seconds), mentions, int(rss_kib) / 1024.0


def timed(fn, minutes: float) -> tuple[float, int]:
    t = time.perf_counter()
    n = fn(minutes)
    return time.perf_counter() - t, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=100_000.0)
    parser.add_argument("--skip-ciw", action="store_true")
    args = parser.parse_args()
    rows = []
    secs, n, rss = carebench_process(args.minutes)
    rows.append(("carebench simulate (whole process)", secs, n))
    secs2, n2, rss2 = carebench_process(args.minutes * 2)
    s, k = timed(minimal_simpy, args.minutes)
    rows.append(("minimal simpy M/M/n", s, k))
    if not args.skip_ciw:
        s, k = timed(ciw_model, args.minutes)
        rows.append(("Ciw", s, k))
    base = {name: k / s for name, s, k in rows}
    ours = base["carebench simulate (whole process)"]
    print(f"M/M/12, {RATE:g}/min, {HANDLE:g}-min handling, {args.minutes:,.0f} simulated minutes; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'model':<38}{'seconds':>9}{'mentions':>11}{'mentions/s':>12}{'carebench ratio':>17}")
    for name, s, k in rows:
        print(f"{name:<38}{s:>9.2f}{k:>11,}{k / s:>12,.0f}{ours / (k / s):>17.2f}")
    print(f"carebench peak RSS: {rss:.0f} MiB at {n:,} mentions, {rss2:.0f} MiB at {n2:,} mentions "
          f"({secs2:.2f} s, {n2 / secs2:,.0f}/s)")


if __name__ == "__main__":
    main()
