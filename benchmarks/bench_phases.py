"""Where a QA run's time goes, phase by phase: ``qa.api.score_file`` (what the app's cold open calls) on one file,
with the read, phase two (``Audit.finish``: issues, templates, consistency, repeats across batches) and phase
three (``Audit.complete``: whole-file columns and the scorecard) timed in wall-clock and CPU seconds of the
main process. Phases two and three run in that process alone, so their CPU seconds hardly depend on what else
loads the machine; the wall-clock total does.

``--baseline ROOT`` times another checkout (e.g. ``/work/main``) side by side: each tree runs in its own process
(``PYTHONPATH=ROOT``), alternating, ``--rounds`` times each; the table shows medians and their ratio.

Run by hand: ``.venv/bin/python benchmarks/bench_phases.py [FILE] [--jobs 2] [--baseline ROOT] [--rounds R]``
(default file: the app benchmark's generated 100,000-reply sample, written to a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ["read", "phase two (Audit.finish)", "phase three (Audit.complete)", "score_file total"]


def measure(path: Path, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds of each step, in this process (the code tree on ``sys.path``)."""
    import qa.api as api
    import qa.pipeline as pl

    wall: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def run(*a, **k):
            w, c = time.perf_counter(), time.process_time()
            try:
                return inner(*a, **k)
            finally:
                wall[label] += time.perf_counter() - w
                cpu[label] += time.process_time() - c
        setattr(owner, name, run)

    timed(api, "read_messages", STEPS[0])
    timed(pl.Audit, "finish", STEPS[1])
    timed(pl.Audit, "complete", STEPS[2])
    w, c = time.perf_counter(), time.process_time()
    api.score_file(path, jobs=jobs)
    wall[STEPS[3]], cpu[STEPS[3]] = time.perf_counter() - w, time.process_time() - c
    return {**{f"{k} wall": v for k, v in wall.items()}, **{f"{k} cpu": v for k, v in cpu.items()}}


def _spawn(root: Path, path: Path, jobs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, str(Path(__file__).resolve()), str(path), "--jobs", str(jobs), "--worker"]
    print(f"-- {root}", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, env=env, cwd=root, stdout=subprocess.PIPE, check=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline", type=Path, help="another checkout to time side by side (e.g. /work/main)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(measure(args.file, args.jobs)))
        return 0
    with tempfile.TemporaryDirectory(prefix="carebench-bench-phases-") as tmp:
        path = args.file
        if path is None:
            sys.path.insert(0, str(ROOT / "tests" / "app"))
            from app_samples import write_sample

            path = write_sample(Path(tmp) / "replies_100000.csv", n_threads=100_000, broken_row=False)
        trees = [("this branch", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
        runs: dict[str, list[dict]] = {name: [] for name, _ in trees}
        for r in range(args.rounds):
            for name, root in (trees if r % 2 == 0 else trees[::-1]):
                runs[name].append(_spawn(root, path, args.jobs))
    print(f"{'step (median seconds)':<44}" + "".join(f"{n:>14}" for n, _ in trees)
          + ("   ratio" if args.baseline else ""))
    for step in STEPS:
        for kind in ("wall", "cpu"):
            label = f"{step} {kind}"
            med = {n: statistics.median(res.get(label, 0.0) for res in rs) for n, rs in runs.items()}
            line = f"{label:<44}" + "".join(f"{med[n]:13.2f}s" for n, _ in trees)
            if args.baseline and med["baseline"] > 0:
                line += f"   {med['this branch'] / med['baseline']:5.2f}"
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
