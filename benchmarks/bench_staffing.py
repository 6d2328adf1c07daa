"""Speed of the staffing planner on a week at 25,000 mentions a day, and the Erlang C cross-check with pyworkforce.

    .venv/bin/python benchmarks/bench_staffing.py [--jobs 2] [--baseline main] [--care] [--export-roster roster.npz]
    .venv/bin/python benchmarks/bench_staffing.py --replication-cost TREE [--rounds 3]   # one replication's CPU

1. Requirement: ``carebench staff`` on ``scenarios/baseline.yaml`` scaled to 25,000 mentions a day (one measured
   week of 336 half-hour intervals, one warm-up day, mean patience 240 min), target 80% within 60 minutes,
   default settings (adaptive replications, precision +-0.03). Target: at most 2 minutes.
   ``--baseline REF`` then runs the same requirement with the planner of git revision REF (its own
   ``benchmarks/bench_staffing.py``, from ``git archive REF`` in a temporary folder, in a subprocess), so the two
   wall times and their ratio come from one run under about the same load; it is stopped after
   ``--baseline-limit`` seconds (the ratio is then a lower bound).
   ``--care`` runs ``scenarios/care-operation.yaml`` scaled the same way instead (the full care model, two teams).
2. Roster: ``carebench roster`` on that requirement with ``benchmarks/shifts-bench.yaml`` (8.5-hour shifts with a
   30-minute break on any half hour, 4- and 6-hour part-time shifts up to 30% of paid hours). Target: at most
   30 s for the integer program. The roster's simulation is timed separately.
3. Cross-check: the smallest Erlang C staffing of ``sim.planning.erlang`` against pyworkforce's ``ErlangC`` on a
   grid of volumes, handle times, targets and shrinkage. pyworkforce is not a dependency of carebench: install
   it into the venv for this check only (``.venv/bin/pip install pyworkforce==0.5.1``, which brings OR-Tools and
   a protobuf 6 in place of the pinned 7; ``make setup`` does not undo it), or in a scratch venv:
   ``python3 -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce==0.5.1 numpy scipy pydantic pyyaml simpy
   pandas pyarrow matplotlib && /tmp/pwf/bin/python benchmarks/bench_staffing.py --skip requirement``.
   Without it the check says clearly that it is absent and is skipped.

The machine is shared: the load average is printed before and after; rerun when it is quiet.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOLUME = 25_000 / 24.0  # mentions per hour


def cpu() -> float:
    """CPU seconds of this process and its finished children (the worker processes)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} CPUs"


def bench_requirement(care: bool, jobs: int, overrides: list[str] = ()):
    from sim.loader import load_scenario
    from sim.planning.requirement import Settings, Target, plan_requirement

    if care:
        # care-operation's 30 base posts an hour become about 70 with excitation, repeats and its incident
        sc = load_scenario(ROOT / "scenarios/care-operation.yaml",
                           ["horizon_days=7", "warmup_days=1", f"volume.mentions_per_hour={VOLUME * 30 / 70:.1f}"])
    else:
        sc = load_scenario(ROOT / "scenarios/baseline.yaml",
                           ["horizon_days=7", "warmup_days=1", f"volume.mentions_per_hour={VOLUME:.2f}",
                            "customers.patience_minutes.mean=240"])

    def on_iteration(n, reps, last):
        if last is not None:
            print(f"  iteration {n - 1} ({getattr(last, 'phase', '')}): {last.reps} replications "
                  f"({getattr(last, 'runs', last.reps)} run), {last.changed} intervals moved "
                  f"({getattr(last, 'raised', '?')} up), "
                  f"{last.below} under the goal ({getattr(last, 'short', '?')} significantly), {last.seconds:.1f} s",
                  flush=True)

    fields = {f.name: f.type for f in dataclasses.fields(Settings)}
    changes = {}
    for item in overrides:  # the search's settings, e.g. indifference=0.01 (types as Settings declares them)
        name, _, value = item.partition("=")
        changes[name] = (float if fields[name] in ("float", float) else int)(value)
    t0 = time.perf_counter()
    req = plan_requirement(sc, Target(0.8, 60.0), Settings(jobs=jobs, **changes), on_iteration=on_iteration)
    return req, time.perf_counter() - t0


# One replication's cost: the week's first staffing (Erlang A raised by the fluid model), replications 0..N-1
# counted as the planner counts them, in a fresh process of the tree given; prints its CPU seconds a replication.
ONE_REPLICATION = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from sim.loader import load_scenario
from sim.planning.demand import TeamRule
from sim.planning.measure import Counting, count_replication
from sim.planning.requirement import Settings, Target, _Search
sc = load_scenario(Path(sys.argv[1]) / "scenarios/baseline.yaml", ["horizon_days=7", "warmup_days=1",
                   f"volume.mentions_per_hour={float(sys.argv[3]):.2f}", "customers.patience_minutes.mean=240"])
search = _Search(sc, Target(0.8, 60.0), Settings())
staffed = search.scenario_with(search.fill(search.start()))
counting = Counting(30, search.grid.count, 60.0, TeamRule.of(sc))
t0 = time.process_time()
for rep in range(int(sys.argv[2])):
    count_replication(staffed, rep, sc.seed, counting)
print((time.process_time() - t0) / int(sys.argv[2]))
"""


def replication_cost(other: str, rounds: int, reps: int) -> None:
    """CPU seconds of one replication in this tree and in the tree ``other`` (e.g. ``git archive main``),
    alternating ``rounds`` times in fresh processes; medians and their ratio."""
    import statistics

    got: dict[str, list[float]] = {"this tree": [], other: []}
    for _ in range(rounds):
        for name, tree in (("this tree", str(ROOT)), (other, other)):
            out = subprocess.run([sys.executable, "-c", ONE_REPLICATION, tree, str(reps), str(VOLUME)],
                                 check=True, capture_output=True, text=True).stdout
            got[name].append(float(out.split()[-1]))
    mine, theirs = statistics.median(got["this tree"]), statistics.median(got[other])
    print(f"one replication (8 days, about 200,000 posts), CPU s, medians of {rounds} alternating rounds of "
          f"{reps}: this tree {mine:.2f} {got['this tree']}, {other} {theirs:.2f} {got[other]}: "
          f"{mine / theirs:.2f} of it; {load()}")


def bench_baseline(ref: str, care: bool, jobs: int, limit: float) -> tuple[float | None, str]:
    """Wall seconds of the requirement by the planner of git revision ``ref`` (None if it did not finish within
    ``limit`` seconds: then it is stopped) and the last line it printed."""
    with tempfile.TemporaryDirectory(prefix="carebench-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        cmd = [sys.executable, "-u", f"{tmp}/benchmarks/bench_staffing.py", "--jobs", str(jobs), "--skip",
               "cross-check", "roster"] + (["--care"] if care else [])
        wall, last = None, ""
        # its own session, so that stopping it at the limit stops its worker processes too
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=tmp, start_new_session=True) as proc:
            timer = threading.Timer(limit, lambda: os.killpg(proc.pid, signal.SIGTERM))
            timer.start()
            try:
                for line in proc.stdout:
                    print(f"  [{ref}] {line}", end="", flush=True)
                    last = line.strip() or last
                    found = re.match(r"requirement: ([0-9.]+) s wall", line)
                    if found:
                        wall = float(found.group(1))
            finally:
                timer.cancel()
        return wall, last


def bench_roster(req, jobs: int, export: str | None, time_limit: float | None = None):
    import numpy as np

    from sim.loader import load_model
    from sim.planning.report import requirement_frame
    from sim.planning.rostering import plan_rosters
    from sim.planning.shifts import ShiftsFile

    shifts = load_model(ShiftsFile, ROOT / "benchmarks/shifts-bench.yaml")
    need = requirement_frame(req)
    t0 = time.perf_counter()
    limit = {} if time_limit is None else {"time_limit": time_limit}
    plan = plan_rosters(req.scenario, need, shifts, req.target, gap=0.001, **limit)
    solve = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan.simulate(8, jobs=jobs)
    simulate = time.perf_counter() - t0
    if export:
        from sim.planning import roster as R

        team, roster = next(iter(plan.rosters.items()))
        cover = R.coverage_matrix(roster.columns, roster.grid)
        a, lo, hi = R.program(cover, roster.need, R._pattern_bounds(roster.columns, shifts),
                              R._part_time_row(roster.columns, shifts))
        cost = np.array([c.paid_minutes / 60.0 for c in roster.columns])
        np.savez(export, cost=cost, a_data=a.data, a_indices=a.indices, a_indptr=a.indptr,
                 a_shape=np.array(a.shape), lower=lo, upper=hi)
        print(f"  roster instance of team {team or 'all'} written to {export} (benchmarks/bench_roster_solvers.py)")
    return plan, solve, simulate


def cross_check() -> None:
    from sim.planning.erlang import QueueModel

    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        print("pyworkforce is ABSENT: Erlang C cross-check skipped (.venv/bin/pip install pyworkforce==0.5.1)")
        return
    grid = itertools.product([20, 100, 500, 2000], [2.0, 6.0, 15.0], [0.5, 5.0, 60.0], [0.6, 0.8, 0.95],
                             [0.0, 0.3])
    same = differ = explained = rounding = 0
    examples = []
    for transactions, aht, asa, sl, shrink in grid:
        theirs = ErlangC(transactions=transactions, aht=aht, asa=asa, interval=30, shrinkage=shrink)
        pos = theirs.required_positions(service_level=sl)
        load = transactions / 30.0 * aht
        ours = QueueModel(handle=aht, target=asa, shrinkage=shrink).agents_for(load, sl)
        raw = QueueModel(handle=aht, target=asa).agents_for(load, sl)
        if (ours, raw) == (pos["positions"], pos["raw_positions"]):
            same += 1
        else:
            differ += 1
            # pyworkforce starts its search at round(load + 1): a smaller staffing that already meets the target
            # by its own formula is never tried
            if raw < pos["raw_positions"] and theirs.service_level(raw) >= sl and raw <= round(load + 1):
                explained += 1
            # with shrinkage pyworkforce takes ceil(raw / (1 - s)) in floating point: 21 / 0.7 = 30.000000000000004
            # gives 31 agents where 30 x 70% = 21 productive agents already suffice
            elif raw == pos["raw_positions"] and ours == pos["positions"] - 1 and abs(ours * (1 - shrink) - raw) < 1e-9:
                rounding += 1
            if len(examples) < 3:
                examples.append(f"    {transactions} per 30 min, AHT {aht:g}, target {sl:.0%} in {asa:g} min, "
                                f"shrinkage {shrink:.0%}: carebench {raw} ({ours} with shrinkage), pyworkforce "
                                f"{pos['raw_positions']} ({pos['positions']}); service level at carebench's "
                                f"{raw}: {theirs.service_level(raw):.4f} by pyworkforce's own formula")
    print(f"Erlang C cross-check with pyworkforce: {same} of {same + differ} cases give the same agents; of the "
          f"{differ} others, in {explained} carebench's staffing is smaller and meets the target by pyworkforce's own "
          f"service-level formula (pyworkforce starts its search at round(load + 1)), in {rounding} pyworkforce "
          f"rounds raw / (1 - shrinkage) up past an exact whole number; unexplained: "
          f"{differ - explained - rounding}")
    print("\n".join(examples))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--care", action="store_true", help="the full care model (care-operation.yaml) instead")
    ap.add_argument("--export-roster", metavar="FILE.npz", help="write the roster's integer program for "
                                                                "bench_roster_solvers.py")
    ap.add_argument("--baseline", metavar="REF", help="then run the requirement with git revision REF's planner "
                                                          "(e.g. main) for a side-by-side ratio")
    ap.add_argument("--baseline-limit", type=float, default=900.0, metavar="SECONDS",
                    help="stop the baseline after this long (default 900 s; the figure is then a lower bound)")
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                    help="change a setting of the search (sim.planning.target.Settings), e.g. indifference=0.01")
    ap.add_argument("--replication-cost", metavar="TREE", help="only time one replication of the week's first "
                    "staffing here and in the source tree TREE (git archive REF | tar -x -C TREE), alternating")
    ap.add_argument("--time-limit", type=float, help="the roster solver's seconds (default: the CLI's)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of --replication-cost (default 3)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["requirement", "roster", "cross-check"])
    args = ap.parse_args()
    print(f"start: {load()}")
    if args.replication_cost:
        replication_cost(args.replication_cost, args.rounds, 2)
        return
    if "cross-check" not in args.skip:
        cross_check()
    if "requirement" in args.skip:
        return
    c0 = cpu()
    req, secs = bench_requirement(args.care, args.jobs, args.set)
    used = cpu() - c0
    w = req.window
    print(f"requirement: {secs:.1f} s wall, {used:.1f} s CPU (on {args.jobs} idle cores about {used / args.jobs:.0f} s)"
          f" for {w} intervals x {len(req.groups)} team(s), {len(req.iterations)} "
          f"iterations, {req.runs} replications of {req.scenario.horizon_days + req.scenario.warmup_days:g} days, "
          f"{req.status} (target 120 s); mentions a day: {req.estimate.arrivals[:, :w].sum() / 7:,.0f}; "
          f"{load()}")
    from sim.planning.report import requirement_summary

    print(requirement_summary(req))
    if args.baseline:
        print(f"baseline: the requirement with the planner of {args.baseline} (stopped after "
              f"{args.baseline_limit:g} s)")
        base, last = bench_baseline(args.baseline, args.care, args.jobs, args.baseline_limit)
        if base is None:
            print(f"side by side: {args.baseline} had not finished after {args.baseline_limit:g} s (last: {last}); "
                  f"this tree {secs:.1f} s: more than {args.baseline_limit / secs:.1f}x faster; {load()}")
        else:
            print(f"side by side: {args.baseline} {base:.1f} s, this tree {secs:.1f} s: {base / secs:.1f}x faster; "
                  f"{load()}")
    if "roster" in args.skip:
        return
    c0 = cpu()
    plan, solve, simulate = bench_roster(req, args.jobs, args.export_roster, args.time_limit)
    print(f"roster: {cpu() - c0:.1f} s CPU in all; {solve:.1f} s to solve, {simulate:.1f} s to simulate it "
          f"(8 replications): {solve + simulate:.1f} s (target 30 s); {load()}")
    print(plan.summary())


if __name__ == "__main__":
    main()
