"""A year of a 25,000-mentions-a-day care operation with every feature on, in one replication.

The scenario is ``scenarios/care-operation.yaml`` scaled up: baseline volume so that about 25,000 posts a day
reach the team (self-excitation, incidents, repeats and escalations included), teams scaled to keep the service
level sensible, 365 measured days. Timed as the whole ``carebench simulate`` process (start-up, files and all),
with its peak resident memory. Target (issue 4): within 5 minutes on one core and within 2 GB.

With ``--baseline DIR`` (a source tree of another version, e.g. ``git archive main | tar -x -C DIR``) that
version is run too, alternating with this tree ``--rounds`` times; the CPU times (the fair figure when other work
shares the machine) are compared by their medians, and the two summaries must be identical.

Run: .venv/bin/python benchmarks/bench_year.py [--days 365] [--baseline DIR] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = [
    "volume.mentions_per_hour=700",  # baseline; with self-excitation, reposts and migration about 25,000 posts a day
    "volume.incidents=[{name: outage-q1, start_day: 40.4, jump_per_hour: 3000, decay_minutes: 180, intent: complaint,"
    " fix_after_minutes: 90}, {name: viral-q3, start_day: 200.6, jump_per_hour: 8000, decay_minutes: 360,"
    " intent: complaint, fix_after_minutes: 240}]",
    "staffing.teams=[{name: english, agents: 100, languages: [en], concurrency: {private_message: 2}},"
    " {name: spanish, languages: [es], training: 0.6, roster: [{name: day, weekdays: [mon, tue, wed, thu, fri, sat,"
    " sun], start: '06:00', end: '22:00', agents: 22}, {name: night, weekdays: [mon, tue, wed, thu, fri, sat, sun],"
    " start: '22:00', end: '06:00', agents: 6}]}]",
    "phone.contacts_per_hour=1500",
    "migration.max_factor=1.1",  # on, but capped so that volume stays about 25,000 a day over the year
    "replications=1",
    "warmup_days=1",
]


def run_once(tree: Path, days: float) -> dict:
    """One whole `carebench simulate` process of source tree ``tree``: wall and CPU seconds, peak RSS, summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "carebench", "simulate", str(ROOT / "scenarios" / "care-operation.yaml"),
               "--out", tmp, "--no-plots", "--set", f"horizon_days={days}"]
        for o in OVERRIDES:
            cmd += ["--set", o]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(tree)})
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        summary = pd.read_csv(Path(tmp) / "summary.csv")
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    return {"wall": wall, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024, "summary": summary}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=365)
    ap.add_argument("--baseline", type=Path, help="source tree of a version to run side by side")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    trees = {"this tree": ROOT}
    if args.baseline is not None:
        trees = {"baseline": args.baseline.resolve(), "this tree": ROOT}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(run_once(tree, args.days))
    s = runs["this tree"][-1]["summary"].iloc[0]
    posts = int(s["arrivals"])
    print(f"care operation, {args.days:g} days, every feature on, one replication, {args.rounds} round(s)")
    print(f"  posts in the window : {posts:,} ({posts / args.days:,.0f} a day; "
          f"{int(s['first_posts']):,} first posts, {int(s['repeats']):,} repeats, "
          f"{int(s['escalations']):,} escalations)")
    print(f"  service level       : {s['service_level']:.3f}, response rate {s['response_rate']:.3f}, "
          f"occupancy {s['occupancy']:.3f}")
    for name, rs in runs.items():
        wall = statistics.median(r["wall"] for r in rs)
        cpu = statistics.median(r["cpu"] for r in rs)
        print(f"  {name:<10}: wall {wall:,.1f} s (whole carebench process; target 300 s), CPU {cpu:,.1f} s "
              f"(per round {[round(r['cpu'], 1) for r in rs]}), {posts / wall:,.0f} posts/s wall, "
              f"peak RSS {max(r['rss_mb'] for r in rs):,.0f} MB (target 2,048 MB)")
    if args.baseline is not None:
        base, new = (statistics.median(r["cpu"] for r in rs) for rs in runs.values())
        same = all(r["summary"].equals(runs["baseline"][0]["summary"]) for rs in runs.values() for r in rs)
        print(f"  this tree's CPU time over the baseline's: {new / base:.3f}; summaries identical: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
