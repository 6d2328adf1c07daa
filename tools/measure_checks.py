"""Measure the per-reply QA checks on the real hand-labelled replies (a dev script; the tests never run it).

Reads ``../shared/reference/real/`` at run time (never copied into the repo): the twcs-format threads
``twcs_en_dev.csv`` and ``es_dev.csv`` and the hand labels ``labels_dev.csv``. For each labelled reply it
rebuilds the thread through ``in_response_to_tweet_id``, builds a :class:`ReplyContext` the way the QA pipeline
does, runs every check and prints precision / recall / F1 per check, overall and per file (en, es). It also
times checks and language detection per reply.

    python tools/measure_checks.py [--real DIR] [--errors CHECK] [--cdp N] [--compare REF]

``--compare REF`` times the code of a git ref (``main``, ``HEAD~3``) against the working tree side by side in
one run: both are run in child processes, alternately, several rounds, and the best of each is shown, so that
a loaded machine slows both alike. Pin the run to one core with ``taskset -c 0``.

``--errors CHECK`` lists the false positives and negatives of one check with their evidence; ``--cdp N``
prints the deflection verdict on the last brand reply of N IBM CDP conversations, to read by eye.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# CAREBENCH_QA_ROOT: import ``qa`` from another tree (an older commit, for --compare).
sys.path.insert(0, os.environ.get("CAREBENCH_QA_ROOT") or str(ROOT))

from qa import language as _language  # noqa: E402
from qa.checks import CHECKS, ReplyContext  # noqa: E402
from qa.language import detect, thread_language  # noqa: E402

FIELDS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id")
LABELLED = ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch")
DEFAULT_REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "real"


@dataclass(frozen=True)
class Tweet:
    tweet_id: str
    author: str
    inbound: bool
    text: str
    parent: str


def _id(value: str) -> str:
    value = (value or "").strip()
    return value[:-2] if value.endswith(".0") else value


def read_twcs(path: Path) -> dict[str, Tweet]:
    """Rows of a twcs-format file by id; records with the wrong number of fields are reported and skipped."""
    out: dict[str, Tweet] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for rec in reader:
            if len(rec) != len(FIELDS):
                print(f"  skipped broken record at line {reader.line_num} of {path.name}", file=sys.stderr)
                continue
            d = dict(zip(FIELDS, rec))
            t = Tweet(_id(d["tweet_id"]), d["author_id"], d["inbound"] == "True", d["text"], _id(d["in_response_to_tweet_id"]))
            out[t.tweet_id] = t
    return out


def ancestors(tweets: dict[str, Tweet], tweet_id: str) -> list[Tweet]:
    """The thread up to (not including) ``tweet_id``, oldest first; stops at a dangling reference or a loop."""
    chain, seen, cur = [], set(), tweets[tweet_id].parent
    while cur and cur in tweets and cur not in seen:
        seen.add(cur)
        chain.append(tweets[cur])
        cur = tweets[cur].parent
    return chain[::-1]


def context(tweets: dict[str, Tweet], tweet_id: str) -> ReplyContext:
    reply = tweets[tweet_id]
    before = ancestors(tweets, tweet_id)
    customer = [t.text for t in before if t.inbound]
    return ReplyContext(
        reply_id=tweet_id,
        text=reply.text,
        customer_text="\n".join(customer),
        customer_language=thread_language(customer),
        reply_language=detect(reply.text),
        earlier_brand_texts=tuple(t.text for t in before if not t.inbound),
        brand=reply.author,
    )


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp else 0.0
    return p, r, f


def table(rows: list[tuple[str, dict[str, str], dict[str, bool | None]]], title: str) -> None:
    print(f"\n{title} ({len(rows)} replies)")
    print(f"{'check':<18}{'pos':>5}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'recall':>8}{'F1':>7}{'und':>5}")
    for check in LABELLED:
        tp = fp = fn = und = pos = 0
        for _, label, pred in rows:
            gold = label[check]
            if gold == "":
                continue  # undetermined by the labeller: not scored
            p = pred[check]
            und += p is None
            pos += gold == "1"
            tp += gold == "1" and p is True
            fp += gold == "0" and p is True
            fn += gold == "1" and p is not True
        pr, rc, f1 = _prf(tp, fp, fn)
        print(f"{check:<18}{pos:>5}{tp:>5}{fp:>5}{fn:>5}{pr:>8.2f}{rc:>8.2f}{f1:>7.2f}{und:>5}")


def iter_labelled(real: Path) -> Iterator[tuple[str, dict[str, str], ReplyContext]]:
    files = {"en": read_twcs(real / "twcs_en_dev.csv"), "es": read_twcs(real / "es_dev.csv")}
    with (real / "labels_dev.csv").open(newline="", encoding="utf-8") as f:
        for label in csv.DictReader(f):
            for name, tweets in files.items():
                if label["reply_id"] in tweets:
                    yield name, label, context(tweets, label["reply_id"])
                    break


def _clear_caches() -> None:
    """Empty the caches by text (language answers, a customer's words), so that a repeated run is not
    flattered by the texts of the run before."""
    from qa.checks import tone

    for module, name in ((_language, "_classify"), (_language, "_detect_cached"), (tone, "_customer_stems")):
        cache = getattr(module, name, None)
        if cache is not None:
            cache.cache_clear()


def timings(contexts: list[ReplyContext], repeat: int = 5) -> dict[str, float]:
    """Replies per second, by CPU time of this process (not wall time: the machine is shared), best of
    ``repeat``. ``checks``: every check on each reply in turn, as the QA pipeline runs them; ``check:<name>``:
    one check alone over all replies. The language caches are emptied before each run, so only repeats within
    one pass (brand templates, a thread's customer posts read again for each brand reply) are cached."""
    texts = [(c.text, c.customer_text.split("\n")) for c in contexts]
    checks = list(CHECKS.values())
    best = {"checks": float("inf"), "language": float("inf")}
    best.update({f"check:{name}": float("inf") for name in CHECKS})
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
        _clear_caches()
        t0 = time.process_time()
        for reply, customer in texts:
            detect(reply)
            thread_language(customer)
        best["language"] = min(best["language"], time.process_time() - t0)
    n = len(contexts)
    out = {k: n / v for k, v in best.items()}
    out["together"] = n / (best["checks"] + best["language"])
    return out


def _speed_lines(columns: dict[str, dict[str, float]], n: int, repeat: int) -> None:
    print(f"\nspeed on {n} replies, one core (process CPU time), replies/s, best of {repeat}:")
    names = list(columns)
    print(f"  {'':<36}" + "".join(f"{name:>14}" for name in names))
    keys = [k for k in next(iter(columns.values())) if k.startswith("check:")]
    keys += ["checks", "language", "together"]
    labels = {"checks": f"all {len(keys) - 3} checks, per reply", "language": "language (reply + customer posts)"}
    for key in keys:
        label = labels.get(key, key.removeprefix("check:"))
        print(f"  {label:<36}" + "".join(f"{columns[name].get(key, float('nan')):>14.0f}" for name in names))


def speed(contexts: list[ReplyContext], repeat: int = 5) -> None:
    _speed_lines({"this tree": timings(contexts, repeat)}, len(contexts), repeat)


def compare(ref: str, real: Path, rounds: int = 3, repeat: int = 3) -> None:
    """Time ``ref``'s ``qa`` package against this tree's, alternately in child processes, best of each."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "qa"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        trees = {ref: tmp, "this tree": str(ROOT)}
        best: dict[str, dict[str, float]] = {name: {} for name in trees}
        n = 0
        for _ in range(rounds):
            for name, tree in trees.items():
                env = dict(os.environ, CAREBENCH_QA_ROOT=tree)
                cmd = [sys.executable, __file__, "--real", str(real), "--speed-json", str(repeat)]
                out = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
                n = out.pop("n")
                for key, value in out.items():
                    best[name][key] = max(best[name].get(key, 0.0), value)
    _speed_lines(best, n, rounds * repeat)


def errors(rows: list[tuple[str, dict[str, str], ReplyContext]], check: str) -> None:
    for name, label, ctx in rows:
        gold, finding = label[check], CHECKS[check].run(ctx)
        if gold == "" or (gold == "1") == (finding.verdict is True):
            continue
        kind = "FN" if gold == "1" else "FP"
        print(f"{kind} {name} {ctx.reply_id} {[e.text for e in finding.evidence]} | {ctx.text[:220]!r} | {label['note']}")


def cdp(real: Path, n: int) -> None:
    tweets = read_twcs(real / "cdp_en_dev.csv")
    last = [t for t in tweets.values() if not t.inbound and not any(x.parent == t.tweet_id for x in tweets.values())]
    for t in last[:n]:
        f = CHECKS["deflection"].run(context(tweets, t.tweet_id))
        d = CHECKS["dm_request"].run(context(tweets, t.tweet_id))
        flag = ("D" if f.verdict else ".") + ("M" if d.verdict else ".")
        print(f"{flag} {[e.text for e in f.evidence + d.evidence]} | {t.text[:200]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL)
    ap.add_argument("--errors", choices=sorted(CHECKS))
    ap.add_argument("--cdp", type=int, default=0)
    ap.add_argument("--compare", metavar="REF", help="time a git ref's qa package against this tree's")
    ap.add_argument("--speed-json", type=int, metavar="REPEAT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    labelled = list(iter_labelled(args.real))
    if args.speed_json:
        contexts = [ctx for _, _, ctx in labelled]
        print(json.dumps({"n": len(contexts), **timings(contexts, args.speed_json)}))
        return
    rows = [(name, label, {c: CHECKS[c].run(ctx).verdict for c in LABELLED}) for name, label, ctx in labelled]
    table(rows, "all labelled replies")
    for name in ("en", "es"):
        table([r for r in rows if r[0] == name], f"{name} file")
    if args.compare:
        compare(args.compare, args.real)
    else:
        speed([ctx for _, _, ctx in labelled])
    if args.errors:
        print()
        errors(labelled, args.errors)
    if args.cdp:
        print()
        cdp(args.real, args.cdp)


if __name__ == "__main__":
    main()
