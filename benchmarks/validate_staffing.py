"""The README's validation table: the simulated requirement against per-interval Erlang on a time-varying day.

    .venv/bin/python benchmarks/validate_staffing.py [--jobs 2]

A daily profile with a 4x peak, mean offered load 100 Erlangs, exponential patience of 60 minutes, target 80%
within 60 minutes, hourly intervals; short handling (6 minutes) and long handling (60 minutes). The requirement
is searched with 64 (long) or 32 (short) replications per iteration and then measured, together with the
per-interval Erlang A and plain Erlang C staffing, on 400 (long) or 128 (short) fresh replications. The test
``tests/planning/test_planning_timevarying.py`` checks the long case.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "planning")]

from sim.planning.requirement import Target  # noqa: E402
from timevarying import validate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    print("| handling | staffing | busy intervals | worst deviation from 0.80 | intervals within +-0.03 | "
          "agent-hours a day | check's widest 95% half-width |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for handle, search, check in ((6.0, 32, 128), (60.0, 64, 400)):
        t0 = time.perf_counter()
        r = validate(handle, 100.0, Target(0.8, 60.0), interval=60, search_reps=search, check_reps=check,
                     jobs=args.jobs, patience=60.0)
        w, busy, req = r["window"], r["busy"], r["req"]
        rows = [("simulated requirement", r["ours"], req.levels[0, :w]),
                ("Erlang A per interval", r["erlang"], req.erlang[0, :w]),
                ("Erlang C per interval", r["erlang_c"], r["erlang_c_levels"][0, :w])]
        for name, est, levels in rows:
            dev = est.service_level[0, :w][busy] - 0.8
            hours = f"{levels.sum():.0f}"
            print(f"| {handle:g} min | {name} | {busy.sum()} | {dev[np.argmax(np.abs(dev))]:+.3f} | "
                  f"{int(np.sum(np.abs(dev) <= 0.03))} of {busy.sum()} | {hours} | "
                  f"{np.nanmax(est.half_width[0, :w][busy]):.3f} |", flush=True)
        print(f"<!-- {handle:g} min: {req.status} after {len(req.iterations)} iterations, {req.runs} runs, "
              f"{time.perf_counter() - t0:.0f} s -->", flush=True)


if __name__ == "__main__":
    main()
