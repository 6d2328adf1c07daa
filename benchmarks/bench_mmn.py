"""Speed of the simulator on M/M/12 against a minimal pure-simpy model and the Ciw library, in one run.

The case: 10 mentions per minute, exponential 1-minute handling, 12 agents, about a million mentions
(100,000 simulated minutes). carebench is timed as the whole `carebench simulate` process (start-up,
files and all); the yardsticks as in-process loops (their start-up is not counted, which favours them).
Peak memory of carebench is measured at two horizons to show it does not grow with the horizon.

With ``--baseline DIR`` (a source tree of another version, e.g. ``git archive main | tar -x -C DIR``) that
version's ``carebench simulate`` is timed in the same run, alternating with this tree's and with the minimal
simpy model, ``--rounds`` times; each version's rate over minimal simpy is the median over rounds, so load from
other work on the machine hits both alike. Both run with this environment's packages.

Run: .venv/bin/python benchmarks/bench_mmn.py [--minutes 100000] [--baseline DIR] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
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


def carebench_process(minutes: float, tree: Path = ROOT) -> tuple[float, float, int, float]:
    """Wall and CPU seconds, mentions, peak RSS (MiB) of a whole `carebench simulate` process of ``tree``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(SCENARIO.format(days=minutes / 1440.0))
        out_dir = Path(tmp) / "out"  # not the scenario's own folder: simulate refuses to write over its inputs
        exe = Path(sys.executable).with_name("carebench")
        code = textwrap.dedent(
            f"""
            import resource, subprocess, sys, time
            t = time.perf_counter()
            subprocess.run([{str(exe)!r}, "simulate", {str(path)!r}, "--out", {str(out_dir)!r}], check=True,
                           stdout=subprocess.DEVNULL)
            u = resource.getrusage(resource.RUSAGE_CHILDREN)
            print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss)
            """
        )
        env = {**os.environ, "PYTHONPATH": str(tree)}  # this tree's packages (or the baseline's) come first
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                             env=env).stdout
        seconds, cpu, rss_kib = out.split()
        import pandas as pd

        mentions = int(pd.read_csv(out_dir / "summary.csv")["arrivals"].iloc[0])
    return float(seconds), float(cpu), mentions, int(rss_kib) / 1024.0


def timed(fn, minutes: float) -> tuple[float, float, int]:
    """Wall and CPU seconds of ``fn(minutes)`` in this process, and what it returned (mentions)."""
    t, c = time.perf_counter(), time.process_time()
    n = fn(minutes)
    return time.perf_counter() - t, time.process_time() - c, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=100_000.0)
    parser.add_argument("--skip-ciw", action="store_true")
    parser.add_argument("--baseline", type=Path, help="source tree of a version to time side by side")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds (median reported)")
    args = parser.parse_args()
    trees = {"carebench simulate (whole process)": ROOT}
    if args.baseline is not None:
        trees = {"carebench simulate, baseline": args.baseline.resolve(), "carebench simulate, this tree": ROOT}
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in [*trees, "minimal simpy M/M/n"]}
    ratios: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            wall, cpu, n, _rss = carebench_process(args.minutes, tree)
            runs[name].append((wall, cpu, n))
        runs["minimal simpy M/M/n"].append(timed(minimal_simpy, args.minutes))
        _, simpy_cpu, k = runs["minimal simpy M/M/n"][-1]
        for name in trees:
            _, cpu, n = runs[name][-1]
            ratios[name].append((n / cpu) / (k / simpy_cpu))
    if not args.skip_ciw:
        runs["Ciw"] = [timed(ciw_model, args.minutes)]
    wall2, _, n2, rss2 = carebench_process(args.minutes * 2)
    _, _, n1, rss1 = carebench_process(args.minutes)
    print(f"M/M/12, {RATE:g}/min, {HANDLE:g}-min handling, {args.minutes:,.0f} simulated minutes; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of {args.rounds} alternating round(s); "
          "rates and ratios on CPU seconds (the machine may be shared)")
    ours = list(trees)[-1]
    ours_rate = _median_rate(runs[ours])
    print(f"{'model':<38}{'wall s':>8}{'CPU s':>8}{'mentions':>11}{'mentions/s':>12}{'this tree over it':>19}")
    for name, rs in runs.items():
        rate = _median_rate(rs)
        print(f"{name:<38}{statistics.median(r[0] for r in rs):>8.2f}{statistics.median(r[1] for r in rs):>8.2f}"
              f"{rs[0][2]:>11,}{rate:>12,.0f}{ours_rate / rate:>19.2f}")
    for name, rs in ratios.items():
        print(f"{name}: rate over minimal simpy per round {[round(r, 3) for r in rs]}, "
              f"median {statistics.median(rs):.3f} (target >= 0.7)")
    if args.baseline is not None:
        base, new = (statistics.median(r) for r in ratios.values())
        print(f"this tree's ratio over the baseline's: {new / base:.3f}")
    print(f"carebench peak RSS: {rss1:.0f} MiB at {n1:,} mentions, {rss2:.0f} MiB at {n2:,} mentions "
          f"({wall2:.2f} s wall)")


def _median_rate(rs: list[tuple[float, float, int]]) -> float:
    return statistics.median(n / cpu for _, cpu, n in rs)


if __name__ == "__main__":
    main()
