"""Start-up of the ``carebench`` command: what a ``qa`` command pays before it does anything.

Times ``carebench qa score --help`` (the console script, whole process) and sums ``python -X importtime -m
carebench qa --help``, alternating this tree with ``--baseline DIR`` (another version's source tree, e.g.
``git archive main | tar -x -C DIR``, put first on ``PYTHONPATH``) in each round; reports medians and which heavy
libraries each one loaded. One core (``taskset -c 0``) when ``taskset`` is there.

Run: .venv/bin/python benchmarks/bench_startup.py [--baseline DIR] [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "pandas", "pydantic", "sim.engine")
TOP_LEVEL = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| \S")  # a module imported by no other


def one_round(tree: Path) -> tuple[float, float, list[str]]:
    """(wall seconds of ``carebench qa score --help``, seconds of all imports, heavy libraries loaded)."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    script = Path(sys.executable).with_name("carebench")
    start = time.perf_counter()
    subprocess.run([*pin, str(script), "qa", "score", "--help"], env=env, cwd="/", capture_output=True, check=True)
    wall = time.perf_counter() - start
    proc = subprocess.run([*pin, sys.executable, "-X", "importtime", "-m", "carebench", "qa", "--help"], env=env,
                          cwd="/", capture_output=True, text=True, check=True)
    lines = proc.stderr.splitlines()
    imports = sum(int(m.group(1)) for line in lines if (m := TOP_LEVEL.match(line))) / 1e6
    heavy = [name for name in HEAVY if any(re.search(rf"\|\s+{re.escape(name)}$", line) for line in lines)]
    return wall, imports, heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="source tree of a version to time side by side")
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds (median reported)")
    args = parser.parse_args()
    trees = {"this tree": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    for tree in trees.values():
        one_round(tree)  # warm the file cache; not counted
    runs: dict[str, list] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(one_round(tree))
    print(f"carebench start-up, medians of {args.rounds} alternating round(s), python {sys.version.split()[0]}")
    for name, rows in runs.items():
        wall = statistics.median(r[0] for r in rows)
        imports = statistics.median(r[1] for r in rows)
        print(f"{name:10s} `carebench qa score --help` {wall:.3f} s wall; imports of `-m carebench qa --help` "
              f"{imports:.3f} s; loads: {', '.join(rows[-1][2]) or 'none of ' + ', '.join(HEAVY)}")
    if args.baseline:
        ratio = statistics.median(r[0] for r in runs["baseline"]) / statistics.median(r[0] for r in runs["this tree"])
        print(f"the baseline takes {ratio:.1f} times this tree's wall time")


if __name__ == "__main__":
    main()
