"""Measure the per-reply QA checks on the real hand-labelled replies (a dev script; the tests never run it).

Reads ``../shared/reference/real/`` at run time (never copied into the repo): the three dev files (twcs English,
Spanish, IBM CDP) and ``labels_dev.csv``, through the QA reader (see ``tools/real_data.py``). Prints precision
and recall per check: on all labels, on the 2,165 rows labelled after the phrases were written (``new``), per
source, on the development and the *sealed* brands (see ``real_data.sealed_brands``), and per development
brand. With ``--model FILE`` the verdicts are the rules combined with that learned model (as
``carebench qa score --model``); the model's own leave-brands-out figures are in its provenance.

    python tools/measure_checks.py [--real DIR] [--model FILE] [--errors CHECK] [--brands] [--markdown]
    python tools/measure_checks.py --speed [--compare REF] [--generated THREADS]
    python tools/measure_checks.py --diff REF [--model FILE] [--generated THREADS]

``--errors CHECK`` lists false positives and negatives of one check, **development brands only**: the sealed
brands' replies are never listed. ``--compare REF`` times a git ref's ``qa`` package against this tree's, in
child processes, alternately, best of each (pin with ``taskset -c 0``), on the real replies and on generated
ones. ``--diff REF`` runs both trees' checks on the same replies and compares every finding (verdict,
evidence, detail, source): a speed change must leave them all as they were. With ``--model FILE`` it compares
the findings joined with that model too (each tree's own ``qa.learned``), probabilities and model evidence
included.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# CAREBENCH_QA_ROOT: import ``qa`` from another tree (an older commit, for --compare).
sys.path.insert(0, os.environ.get("CAREBENCH_QA_ROOT") or str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import corpora as corpora_mod  # noqa: E402
import real_data  # noqa: E402  (imports nothing from qa.learned at load: an older tree has none)
from carebench_shared.config import ConfigError  # noqa: E402
from qa.checks import CHECKS, ReplyContext  # noqa: E402
from real_data import LABELLED, SOURCES, Labelled  # noqa: E402

Verdicts = dict[str, bool | None]


def verdicts(rows: list[Labelled], model_path: Path | None) -> list[Verdicts]:
    """Each labelled reply's verdict per check: the rules alone, or combined with a learned model."""
    contexts = [r.ctx for r in rows]
    findings = [{c: CHECKS[c].run(ctx) for c in LABELLED if c in CHECKS} for ctx in contexts]
    if model_path is not None:
        from qa.learned import combine, load_model

        findings = combine(contexts, findings, load_model(model_path))
    return [{c: f[c].verdict for c in f} for f in findings]


def counts(rows: list[Labelled], preds: list[Verdicts], check: str) -> tuple[int, int, int, int]:
    """(positives, true positives, false positives, false negatives); undetermined labels are not scored."""
    pos = tp = fp = fn = 0
    for r, p in zip(rows, preds):
        gold = r.label[check]
        if gold == "":
            continue
        hit = p.get(check) is True
        pos += gold == "1"
        tp += gold == "1" and hit
        fp += gold == "0" and hit
        fn += gold == "1" and not hit
    return pos, tp, fp, fn


def pr(tp: int, fp: int, fn: int) -> str:
    p = f"{tp / (tp + fp):.2f}" if tp + fp else "–"
    r = f"{tp / (tp + fn):.2f}" if tp + fn else "–"
    return f"{p} / {r}"


def table(groups: dict[str, tuple[list[Labelled], list[Verdicts]]], title: str, checks=LABELLED) -> None:
    """One Markdown table: a row per check, a column (P / R, positives) per group of replies."""
    print(f"\n{title}\n")
    print("| check | " + " | ".join(f"{g} ({len(rows)})" for g, (rows, _) in groups.items()) + " |")
    print("|---|" + "---|" * len(groups))
    for check in checks:
        cells = []
        for rows, preds in groups.values():
            pos, tp, fp, fn = counts(rows, preds, check)
            cells.append(f"{pr(tp, fp, fn)} ({pos})" if pos or fp else "–")
        print(f"| {check} | " + " | ".join(cells) + " |")


def select(rows: list[Labelled], preds: list[Verdicts], keep) -> tuple[list[Labelled], list[Verdicts]]:  # noqa: ANN001
    pairs = [(r, p) for r, p in zip(rows, preds) if keep(r)]
    return [r for r, _ in pairs], [p for _, p in pairs]


def report(rows: list[Labelled], preds: list[Verdicts], sealed: frozenset[str], brands: bool) -> None:
    everything = {"all": (rows, preds), "new rows": select(rows, preds, lambda r: r.new)}
    for source in SOURCES:
        everything[source] = select(rows, preds, lambda r, s=source: r.source == s)
    table(everything, "All labels, the new rows, per source: precision / recall (positives)")
    split = {"development brands": select(rows, preds, lambda r: r.brand not in sealed),
             "sealed brands": select(rows, preds, lambda r: r.brand in sealed)}
    for source in SOURCES:
        split[f"sealed {source}"] = select(rows, preds, lambda r, s=source: r.brand in sealed and r.source == s)
    split["sealed, new rows"] = select(rows, preds, lambda r: r.brand in sealed and r.new)
    table(split, f"Development vs sealed brands ({len(sealed)} sealed brands)")
    if brands:
        by_brand: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            if r.brand not in sealed:
                by_brand[r.brand].append(i)
        big = sorted(by_brand, key=lambda b: -len(by_brand[b]))[:16]
        groups = {b: ([rows[i] for i in by_brand[b]], [preds[i] for i in by_brand[b]]) for b in big}
        table(groups, "Largest development brands", ("deflection", "dm_request", "not_our_team", "compensation"))


def errors(rows: list[Labelled], preds: list[Verdicts], check: str, sealed: frozenset[str]) -> None:
    """False positives and negatives of ``check`` on development brands (never the sealed ones)."""
    print()
    for r, p in zip(rows, preds):
        if r.brand in sealed:
            continue
        gold = r.label[check]
        if gold == "" or (gold == "1") == (p.get(check) is True):
            continue
        kind = "FN" if gold == "1" else "FP"
        ev = [e.text for e in CHECKS[check].run(r.ctx).evidence]
        print(f"{kind} {r.source} {r.brand} {r.ctx.reply_id} {ev} | {r.ctx.text[:260]!r} | {r.label['note']}")


def timings(contexts: list[ReplyContext], repeat: int = 5) -> dict[str, float]:
    """Replies per second by CPU time of this process, best of ``repeat``: all checks per reply, and each
    check alone over all replies."""
    best = {"checks": float("inf")} | {f"check:{name}": float("inf") for name in CHECKS}
    checks = list(CHECKS.values())
    for _ in range(repeat):
        corpora_mod.clear_text_caches()
        t0 = time.process_time()
        for c in contexts:
            for check in checks:
                check.run(c)
        best["checks"] = min(best["checks"], time.process_time() - t0)
        for name, check in CHECKS.items():
            corpora_mod.clear_text_caches()
            t0 = time.process_time()
            for c in contexts:
                check.run(c)
            best[f"check:{name}"] = min(best[f"check:{name}"], time.process_time() - t0)
    return {k: len(contexts) / v for k, v in best.items()}


def speed_lines(columns: dict[str, dict[str, float]], n: int, corpus: str = "") -> None:
    print(f"\nspeed on {n} {corpus} replies, one core (process CPU time), replies/s:")
    names = list(columns)
    print(f"  {'':<24}" + "".join(f"{name:>14}" for name in names))
    for key in next(iter(columns.values())):
        label = key.removeprefix("check:") if key != "checks" else "all checks, per reply"
        print(f"  {label:<24}" + "".join(f"{columns[name].get(key, float('nan')):>14.0f}" for name in names))


def compare(ref: str, corpora: dict[str, list[ReplyContext]], rounds: int = 3, repeat: int = 3) -> None:
    """Time ``ref``'s ``qa`` package against this tree's on each corpus, alternately in child processes, best
    of each. The contexts are built here once and handed to both as JSON (an older tree may lack
    ``qa.learned``)."""
    with tempfile.TemporaryDirectory() as tmp, corpora_mod.ref_tree(ref) as tree:
        trees = {ref: tree, "this tree": ROOT}
        for corpus, contexts in corpora.items():
            path = Path(tmp) / f"{corpus}.json"
            corpora_mod.dump_contexts(contexts, path)
            best: dict[str, dict[str, float]] = {name: {} for name in trees}
            for _ in range(rounds):
                for name, where in trees.items():
                    out = corpora_mod.run_child(Path(__file__), where, ["--contexts", str(path),
                                                                        "--speed-json", str(repeat)])
                    out.pop("n")
                    for key, value in out.items():
                        best[name][key] = max(best[name].get(key, 0.0), value)
            speed_lines(best, len(contexts), corpus)


def findings_json(contexts: list[ReplyContext], model_path: Path | None = None) -> list[dict[str, list]]:
    """Every registered check's whole finding per reply, as JSON-ready lists (verdict, evidence spans and
    words, detail, source): what ``--diff`` compares between two trees. With ``model_path``, the findings
    joined with that learned model (``qa.learned.combine``, the batch at once), as ``qa score --model`` gives
    them."""
    per_reply = [{name: check.run(ctx) for name, check in CHECKS.items()} for ctx in contexts]
    if model_path is not None:
        from qa.learned import combine, load_model

        per_reply = combine(contexts, per_reply, load_model(model_path))
    out = []
    for found in per_reply:
        row = {}
        for name, f in found.items():
            detail = json.loads(json.dumps(dict(f.detail), sort_keys=True, default=str))
            row[name] = [f.verdict, [[e.start, e.end, e.text] for e in f.evidence], detail,
                         getattr(f, "source", "rule")]
        out.append(row)
    return out


def diff(ref: str, corpora: dict[str, list[ReplyContext]], model_path: Path | None = None) -> int:
    """Compare every finding of ``ref``'s checks with this tree's on each corpus (joined with the learned model
    at ``model_path`` when given, by each tree's own ``qa.learned``); the number of differences.

    Differences are listed by reply id and check only (never the reply's words: the real corpus holds sealed
    brands)."""
    total = 0
    with tempfile.TemporaryDirectory() as tmp, corpora_mod.ref_tree(ref) as tree:
        for corpus, contexts in corpora.items():
            path = Path(tmp) / f"{corpus}.json"
            corpora_mod.dump_contexts(contexts, path)
            extra = ["--model", str(Path(model_path).resolve())] if model_path is not None else []
            runs = [corpora_mod.run_child(Path(__file__), where, ["--contexts", str(path), "--findings-json", *extra])
                    for where in (tree, ROOT)]
            before, after = runs[0]["findings"], runs[1]["findings"]
            checks = sorted(set(before[0]) & set(after[0])) if before else []
            bad = [(ctx.reply_id, c) for ctx, b, a in zip(contexts, before, after) for c in checks if b[c] != a[c]]
            total += len(bad)
            joined = f", joined with {Path(model_path).name}" if model_path is not None else ""
            print(f"{corpus}: {len(contexts)} replies x {len(checks)} checks{joined}, {len(bad)} findings differ "
                  f"({ref} vs this tree)")
            for reply_id, check in bad[:20]:
                print(f"  {reply_id} {check}")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=real_data.DEFAULT_REAL)
    ap.add_argument("--model", type=Path, help="combine the rules with this learned model file")
    ap.add_argument("--errors", choices=LABELLED, help="list one check's errors (development brands only)")
    ap.add_argument("--brands", action="store_true", help="also a table per large development brand")
    ap.add_argument("--speed", action="store_true", help="time the checks (real and generated replies)")
    ap.add_argument("--compare", metavar="REF", help="with --speed: time a git ref's qa package beside this tree's")
    ap.add_argument("--diff", metavar="REF", help="compare every finding of a git ref's checks with this tree's "
                    "(real and generated replies); exit 1 when any differs")
    ap.add_argument("--generated", type=int, default=3000, metavar="THREADS",
                    help="threads generated for --speed and --diff (seed 1; 0: real replies only)")
    ap.add_argument("--speed-json", type=int, metavar="REPEAT", help=argparse.SUPPRESS)
    ap.add_argument("--findings-json", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--contexts", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.contexts:  # a child process of --compare or --diff, possibly with another tree's qa
        contexts = corpora_mod.load_contexts(args.contexts)
        if args.findings_json:
            json.dump({"findings": findings_json(contexts, args.model)}, sys.stdout)
        else:
            print(json.dumps({"n": len(contexts), **timings(contexts, args.speed_json)}))
        return
    try:
        rows = real_data.load(args.real)
    except ConfigError as exc:  # the labelled files are not there (they are never in the repository)
        print(f"measure_checks: {exc} (give the folder with --real)", file=sys.stderr)
        sys.exit(2)
    if args.speed or args.diff:
        corpora = {"real": [r.ctx for r in rows]}
        if args.generated:
            corpora["generated"] = corpora_mod.generated_contexts(args.generated, seed=1)
        if args.diff:
            sys.exit(1 if diff(args.diff, corpora, args.model) else 0)
        if args.compare:
            compare(args.compare, corpora)
        else:
            for name, contexts in corpora.items():
                speed_lines({"this tree": timings(contexts)}, len(contexts), name)
        return
    sealed = real_data.sealed_brands(rows)
    preds = verdicts(rows, args.model)
    report(rows, preds, sealed, args.brands)
    if args.errors:
        errors(rows, preds, args.errors, sealed)


if __name__ == "__main__":
    main()
