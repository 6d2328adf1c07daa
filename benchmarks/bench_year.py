"""A year of a 25,000-mentions-a-day care operation with every feature on, in one replication.

The scenario is ``scenarios/care-operation.yaml`` scaled up: baseline volume so that about 25,000 posts a day
reach the team (self-excitation, incidents, repeats and escalations included), teams scaled to keep the service
level sensible, 365 measured days. Timed as the whole ``carebench simulate`` process (start-up, files and all),
with its peak resident memory. Target (issue 4): within 5 minutes on one core and within 2 GB.

Run: .venv/bin/python benchmarks/bench_year.py [--days 365]
"""

from __future__ import annotations

import argparse
import resource
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=365)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "carebench", "simulate", str(ROOT / "scenarios" / "care-operation.yaml"),
               "--out", tmp, "--no-plots", "--set", f"horizon_days={args.days}"]
        for o in OVERRIDES:
            cmd += ["--set", o]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss_mb = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        s = pd.read_csv(Path(tmp) / "summary.csv").iloc[0]
    posts = int(s["arrivals"])
    print(f"care operation, {args.days:g} days, every feature on, one replication")
    print(f"  posts in the window : {posts:,} ({posts / args.days:,.0f} a day; "
          f"{int(s['first_posts']):,} first posts, {int(s['repeats']):,} repeats, "
          f"{int(s['escalations']):,} escalations)")
    print(f"  service level       : {s['service_level']:.3f}, response rate {s['response_rate']:.3f}, "
          f"occupancy {s['occupancy']:.3f}")
    print(f"  wall time           : {wall:,.1f} s (whole carebench process; target 300 s)")
    print(f"  CPU time            : {cpu:,.1f} s (one core; the fair figure when other work shares the machine)")
    print(f"  posts per second    : {posts / wall:,.0f}")
    print(f"  peak memory (RSS)   : {rss_mb:,.0f} MB (target 2,048 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
