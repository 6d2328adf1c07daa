"""Measure the per-reply QA checks on the real hand-labelled replies (a dev script; the tests never run it).

Reads ``../shared/reference/real/`` at run time (never copied into the repo): the three dev files (twcs English,
Spanish, IBM CDP) and ``labels_dev.csv``, through the QA reader (see ``tools/real_data.py``). Prints precision
and recall per check: on all labels, on the 2,165 rows labelled after the phrases were written (``new``), per
source, on the development and the *sealed* brands (see ``real_data.sealed_brands``), and per development
brand. With ``--model FILE`` the verdicts are the rules combined with that learned model (as
``carebench qa score --model``); the model's own leave-brands-out figures are in its provenance.

    python tools/measure_checks.py [--real DIR] [--model FILE] [--errors CHECK] [--brands] [--markdown]
    python tools/measure_checks.py --speed [--compare REF]

``--errors CHECK`` lists false positives and negatives of one check, **development brands only**: the sealed
brands' replies are never listed. ``--compare REF`` times a git ref's ``qa`` package against this tree's, in
child processes, alternately, best of each (pin with ``taskset -c 0``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# CAREBENCH_QA_ROOT: import ``qa`` from another tree (an older commit, for --compare).
sys.path.insert(0, os.environ.get("CAREBENCH_QA_ROOT") or str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import real_data  # noqa: E402  (imports nothing from qa.learned at load: an older tree has none)
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


def _clear_caches() -> None:
    """Empty the caches by text, so that a repeated run is not flattered by the texts of the run before."""
    from qa import language
    from qa.checks import tone

    for module, name in ((language, "_classify"), (language, "_detect_cached"), (tone, "_customer_stems")):
        cache = getattr(module, name, None)
        if cache is not None:
            cache.cache_clear()


def timings(contexts: list[ReplyContext], repeat: int = 5) -> dict[str, float]:
    """Replies per second by CPU time of this process, best of ``repeat``: all checks per reply, and each
    check alone over all replies."""
    best = {"checks": float("inf")} | {f"check:{name}": float("inf") for name in CHECKS}
    checks = list(CHECKS.values())
    for _ in range(repeat):
        _clear_caches()
        t0 = time.process_time()
        for c in contexts:
            for check in checks:
                check.run(c)
        best["checks"] = min(best["checks"], time.process_time() - t0)
        for name, check in CHECKS.items():
            _clear_caches()
            t0 = time.process_time()
            for c in contexts:
                check.run(c)
            best[f"check:{name}"] = min(best[f"check:{name}"], time.process_time() - t0)
    return {k: len(contexts) / v for k, v in best.items()}


def speed_lines(columns: dict[str, dict[str, float]], n: int) -> None:
    print(f"\nspeed on {n} replies, one core (process CPU time), replies/s:")
    names = list(columns)
    print(f"  {'':<24}" + "".join(f"{name:>14}" for name in names))
    for key in next(iter(columns.values())):
        label = key.removeprefix("check:") if key != "checks" else "all checks, per reply"
        print(f"  {label:<24}" + "".join(f"{columns[name].get(key, float('nan')):>14.0f}" for name in names))


_CONTEXT_FIELDS = ("reply_id", "text", "customer_text", "customer_language", "reply_language",
                   "earlier_brand_texts", "brand", "channel", "public")


def compare(ref: str, rows: list[Labelled], rounds: int = 3, repeat: int = 3) -> None:
    """Time ``ref``'s ``qa`` package against this tree's, alternately in child processes, best of each. The
    contexts are built here once and handed to both as JSON (an older tree may lack ``qa.learned``)."""
    with tempfile.TemporaryDirectory() as tmp:
        contexts = Path(tmp) / "contexts.json"
        contexts.write_text(json.dumps([{k: getattr(r.ctx, k) for k in _CONTEXT_FIELDS} for r in rows]), "utf-8")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "qa"], check=True, capture_output=True)
        tree = Path(tmp) / "tree"
        tree.mkdir()
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        trees = {ref: str(tree), "this tree": str(ROOT)}
        best: dict[str, dict[str, float]] = {name: {} for name in trees}
        n = 0
        for _ in range(rounds):
            for name, tree in trees.items():
                env = dict(os.environ, CAREBENCH_QA_ROOT=tree)
                cmd = [sys.executable, __file__, "--contexts", str(contexts), "--speed-json", str(repeat)]
                out = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
                n = out.pop("n")
                for key, value in out.items():
                    best[name][key] = max(best[name].get(key, 0.0), value)
    speed_lines(best, n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=real_data.DEFAULT_REAL)
    ap.add_argument("--model", type=Path, help="combine the rules with this learned model file")
    ap.add_argument("--errors", choices=LABELLED, help="list one check's errors (development brands only)")
    ap.add_argument("--brands", action="store_true", help="also a table per large development brand")
    ap.add_argument("--speed", action="store_true", help="time the checks")
    ap.add_argument("--compare", metavar="REF", help="with --speed: time a git ref's qa package beside this tree's")
    ap.add_argument("--speed-json", type=int, metavar="REPEAT", help=argparse.SUPPRESS)
    ap.add_argument("--contexts", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.speed_json:
        data = json.loads(args.contexts.read_text("utf-8"))
        contexts = [ReplyContext(**{**d, "earlier_brand_texts": tuple(d["earlier_brand_texts"])}) for d in data]
        print(json.dumps({"n": len(contexts), **timings(contexts, args.speed_json)}))
        return
    rows = real_data.load(args.real)
    if args.speed:
        if args.compare:
            compare(args.compare, rows)
        else:
            speed_lines({"this tree": timings([r.ctx for r in rows])}, len(rows))
        return
    sealed = real_data.sealed_brands(rows)
    preds = verdicts(rows, args.model)
    report(rows, preds, sealed, args.brands)
    if args.errors:
        errors(rows, preds, args.errors, sealed)


if __name__ == "__main__":
    main()
