"""QA throughput on one core: replies scored per second, by stage, on generated threads.

Yardstick: the issue asks for at least 2,000 replies/s for rules + consistency (a million-reply export in
under 10 minutes). Reported separately, so each owner sees their share:

* ``read``: parsing the twcs CSV and rebuilding threads (qa.readers);
* ``pipeline, no text checks``: language detection, thread timing, concessions and policy, precedent,
  consistency (MinHash grouping, statistics), template overuse, scorecard (qa.pipeline with ``checks={}``);
* ``pipeline, all checks``: the same plus every registered per-reply text check;
* ``consistency only``: issue grouping + template overuse + findings on the scored table.
* ``text checks`` (owner: checks): every registered per-reply text check on the brand replies' contexts
  (built beforehand, languages detected outside the clock), rules alone and rules + the shipped learned model
  (``qa.learned.combine``: the model scores the whole batch once per distinct text). Target: >= 5,000
  replies/s with the model on.

Times are CPU seconds of this process (``time.process_time``): the bench machine is shared, and wall time
on a busy core measures the neighbours. Run it pinned to one core (``taskset -c 0``); wall seconds are
printed too.

Also prints the precision/recall table on a separate generated set (seed 7) for the README.

    python benchmarks/bench_qa.py [--threads 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


class _Clock:
    """``clock() - start`` gives (CPU seconds, wall seconds) since ``start = clock()``."""

    def __init__(self, cpu: float = 0.0, wall: float = 0.0) -> None:
        self.cpu, self.wall = cpu, wall

    def __sub__(self, other: "_Clock") -> tuple[float, float]:
        return self.cpu - other.cpu, self.wall - other.wall


def clock() -> _Clock:
    return _Clock(time.process_time(), time.perf_counter())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--accuracy-threads", type=int, default=3000)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    from qa.api import load_policy, score_file
    from qa.consistency import consistency_findings, issue_groups, template_overuse
    from qa.evaluate import markdown_table, precision_recall
    from qa.generator import generate, write_generated
    from qa.pipeline import registered_checks, score_messages
    from qa.readers import read_messages

    book = load_policy()
    gen = generate(args.threads, seed=args.seed)
    with tempfile.TemporaryDirectory() as d:
        paths = write_generated(gen, Path(d) / "bench.csv")
        t = clock()
        read = read_messages(paths[1])
        t_read = clock() - t
    msgs = read.messages  # twcs: no language given, so detection runs as on a real export
    n = int((msgs["role"] == "brand").sum())
    score_messages(msgs.head(200), book)  # warm up: language model, regex compilation

    t = clock()
    bare = score_messages(msgs, book, checks={})
    t_bare = clock() - t
    t = clock()
    full = score_messages(msgs, book)
    t_full = clock() - t
    t = clock()
    sc = bare.scores.assign(customer_text="", concession=bare.scores["concessions"] != "")
    issue = issue_groups(sc.assign(customer_text=[""] * len(sc)), book.consistency)
    template_overuse(sc, issue, book.consistency)
    consistency_findings(sc, issue, book.consistency)
    t_cons = clock() - t

    print(f"{args.threads} threads, {len(msgs)} messages, {n} brand replies; checks: {', '.join(registered_checks())}")
    rows = [("read twcs + rebuild threads", t_read), ("pipeline, no text checks", t_bare),
            ("pipeline, all checks", t_full), ("consistency only", t_cons),
            ("read + pipeline, all checks", (t_read[0] + t_full[0], t_read[1] + t_full[1]))]
    print("| stage | CPU seconds | wall seconds | replies/s (CPU) | minutes per million replies |")
    print("|---|---|---|---|---|")
    for name, (sec, wall) in rows:
        print(f"| {name} | {sec:.2f} | {wall:.2f} | {n / sec:,.0f} | {sec / n * 1e6 / 60:.1f} |")
    print(f"consistency findings: {len(full.consistency)}")
    text_checks(msgs)

    acc = generate(args.accuracy_threads, seed=7)
    with tempfile.TemporaryDirectory() as d:
        paths = write_generated(acc, Path(d) / "acc.csv")
        for label, p in (("own schema (CSV)", paths[0]), ("twcs", paths[1])):
            r = score_file(p)
            print(f"\nprecision/recall on {args.accuracy_threads} generated threads (seed 7), {label}:")
            print(markdown_table(precision_recall(r.scores, acc.labels).drop(columns=["note"])))


def text_checks(msgs) -> None:  # noqa: ANN001 - a message table
    """Replies/s of the per-reply text checks, rules alone and with the shipped learned model."""
    from qa.checks import CHECKS
    from qa.learned import DEFAULT_MODEL, combine, load_model
    from qa.learned.contexts import reply_contexts

    contexts = reply_contexts(msgs)
    model = load_model(DEFAULT_MODEL)
    checks = list(CHECKS.items())
    for c in contexts[:200]:  # warm up: regex subsets compiled on first use
        for _, chk in checks:
            chk.run(c)
    rows = []
    for label, with_model in (("text checks, rules", False), ("text checks, rules + learned model", True)):
        t = clock()
        findings = [{name: chk.run(c) for name, chk in checks} for c in contexts]
        if with_model:
            combine(contexts, findings, model)
        rows.append((label, clock() - t))
    n = len(contexts)
    print(f"\n| text checks on {n} brand replies | CPU seconds | wall seconds | replies/s (CPU) |")
    print("|---|---|---|---|")
    for name, (sec, wall) in rows:
        print(f"| {name} | {sec:.2f} | {wall:.2f} | {n / sec:,.0f} |")


if __name__ == "__main__":
    main()
