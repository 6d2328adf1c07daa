"""``carebench qa ...``: score, report, generate, schema. Parsing and printing only; the work is in qa.api.

Errors in the user's input (unreadable file, unknown format, bad rulebook) are raised as ConfigError and
printed by ``carebench.cli.main`` as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["add_qa_parser"]


def _progress_bar(enabled: bool):
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="reply", desc="scoring", file=sys.stderr, leave=False)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, progress


def cmd_score(args: argparse.Namespace) -> int:
    from .api import score_file, write_outputs

    bar, progress = _progress_bar(args.progress)
    try:
        result = score_file(args.input, args.policy, progress=progress, model=args.model)
    finally:
        if bar is not None:
            bar.close()
    written = write_outputs(result, args.out, args.format)
    sc = result.scores
    print(f"{len(sc)} brand replies scored from {args.input} ({result.meta.get('format')}); "
          f"mean score {sc['score'].mean():.1f}" if len(sc) else f"no brand replies in {args.input}")
    if len(sc):
        print(f"auto-fail {int(sc['auto_fail'].sum())}, off-policy concessions "
              f"{int((sc['policy_status'] == 'off_policy').sum())}, consistency findings {len(result.consistency)}")
    for line, reason in result.broken_rows[:20]:
        print(f"{args.input}:{line}: skipped broken row: {reason}", file=sys.stderr)
    if len(result.broken_rows) > 20:
        print(f"{args.input}: ... {len(result.broken_rows) - 20} more broken rows (see broken_rows.csv)",
              file=sys.stderr)
    if result.check_errors:
        print(f"warning: {len(result.check_errors)} check errors (first: {result.check_errors[0]})", file=sys.stderr)
    print(f"results in {args.out}/ ({', '.join(p.name for p in written)})")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import OutputError
    from sim.loader import ConfigError

    from .checks import CHECKS
    from .learned import fit, read_labels, save_model, training_set
    from .learned.data import file_digest
    from .readers import read_messages

    labels = read_labels(args.labels)
    replies = []
    for p in args.replies:
        if not Path(p).is_file():
            raise ConfigError(f"{p}: cannot read reply file: no such file")
        replies.append((read_messages(p).messages, Path(p).name))
    data, missing = training_set(labels, replies, CHECKS)
    if not data.texts:
        raise ConfigError(f"{args.labels}: none of its {len(labels)} reply ids is in the reply files")
    print(f"{len(data.texts)} labelled replies found ({missing} labelled ids not in the reply files), "
          f"{len(set(data.groups))} {data.group_kind}s")
    provenance = {"labels_file": Path(args.labels).name, "labels_sha256": file_digest(args.labels),
                  "reply_files": {Path(p).name: file_digest(p) for p in args.replies}}
    model = fit(data, provenance, progress=print)
    try:
        save_model(model, args.out)
    except OutputError as exc:
        raise ConfigError(str(exc)) from None
    for check, rep in model.meta["provenance"]["checks"].items():
        cv = rep.get("cross_validated")
        if cv is None:
            print(f"{check}: {rep['positives']} positives of {rep['labelled']}: {rep['model']}")
            continue
        r, m = cv["rules"], cv["rules+model"]
        print(f"{check}: threshold {rep['threshold']:.2f}; leave-{data.group_kind}s-out P/R rules "
              f"{r['precision']:.2f}/{r['recall']:.2f}, rules+model {m['precision']:.2f}/{m['recall']:.2f}")
    print(f"wrote {args.out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .api import load_outputs
    from .report import render

    result = load_outputs(args.dir)
    formats = ["html", "md"] if args.format == "both" else [args.format]
    for fmt in formats:
        p = Path(args.dir) / f"report.{fmt}"
        p.write_text(render(result, fmt), encoding="utf-8")
        print(f"wrote {p}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from sim.loader import ConfigError

    from .generator import LOCALES, generate, write_generated

    locales = tuple(args.locales.split(",")) if args.locales else tuple(LOCALES)
    unknown = [loc for loc in locales if loc not in LOCALES]
    if unknown:
        raise ConfigError(f"--locales: unknown locale {', '.join(unknown)}; known: {', '.join(LOCALES)}")
    if args.threads < 1:
        raise ConfigError("--threads: must be at least 1")
    gen = generate(args.threads, seed=args.seed, locales=locales, days=args.days)
    paths = write_generated(gen, args.out, twcs=args.twcs)
    print(f"{args.threads} threads, {len(gen.messages)} messages, {len(gen.labels)} labelled replies")
    for p in paths:
        print(f"wrote {p}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from sim.loader import ConfigError

    from .evaluate import markdown_table, precision_recall

    src = Path(args.scores)
    scores_p = src / "scores.csv" if src.is_dir() else src
    for p in (scores_p, Path(args.labels)):
        if not p.is_file():
            raise ConfigError(f"{p}: cannot read file: no such file")
    try:
        scores = pd.read_csv(scores_p, dtype={"reply_id": str}, keep_default_na=False)
        labels = pd.read_csv(args.labels, dtype={"reply_id": str}, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read scores or labels: {str(exc).splitlines()[0]}") from None
    for name, df in (("scores", scores), ("labels", labels)):
        if "reply_id" not in df.columns:
            raise ConfigError(f"{name} file: no reply_id column")
    table = precision_recall(scores, labels)
    print(markdown_table(table) if args.markdown else table.to_string(index=False))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .rulebook import rulebook_json_schema
    from .schema import message_json_schema

    schema = rulebook_json_schema() if args.rulebook else message_json_schema()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def add_qa_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``qa`` and its subcommands to the top-level parser's subparsers."""
    qa = sub.add_parser("qa", help="audit recorded brand replies: score, report, generate test data, schema")
    qsub = qa.add_subparsers(dest="qa_command", required=True)

    p = qsub.add_parser("score", help="score every brand reply in a file (own schema CSV/JSONL/Parquet or twcs)")
    p.add_argument("input", help="reply file")
    p.add_argument("--policy", help="rulebook YAML (default: the shipped qa/policies/default.yaml)")
    p.add_argument("--out", required=True, help="output folder for scores.csv, report, ...")
    p.add_argument("--format", choices=["html", "md", "both"], default="html", help="report format (default html)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on standard error")
    p.add_argument("--model", help="learned model file to combine with the rules (`default`: the shipped one)")
    p.set_defaults(func=cmd_score)

    p = qsub.add_parser("train", help="fit the learned layer from labelled or reviewed replies")
    p.add_argument("replies", nargs="+", help="reply files holding the labelled replies (own schema or twcs)")
    p.add_argument("--labels", required=True,
                   help="labels CSV (reply_id + 1/0 per check) or the reviews CSV exported by the app")
    p.add_argument("--out", required=True, help="model file to write (.npz)")
    p.set_defaults(func=cmd_train)

    p = qsub.add_parser("report", help="re-render the report of a folder written by `qa score`")
    p.add_argument("dir", help="output folder of `carebench qa score`")
    p.add_argument("--format", choices=["html", "md", "both"], default="html")
    p.set_defaults(func=cmd_report)

    p = qsub.add_parser("generate", help="write synthetic threads with known violations, in both schemas, + labels")
    p.add_argument("--out", required=True, help="own-schema file to write (.csv, .jsonl or .parquet)")
    p.add_argument("--twcs", help="twcs copy (default: <out stem>.twcs.csv)")
    p.add_argument("--threads", type=int, default=1000, help="number of threads (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--days", type=float, default=14.0, help="days the threads are spread over")
    p.add_argument("--locales", help="comma-separated Faker locales (default en_US,en_GB,es_ES,es_MX)")
    p.set_defaults(func=cmd_generate)

    p = qsub.add_parser("evaluate", help="precision and recall of a scored run against a labels file")
    p.add_argument("scores", help="scores.csv or the folder holding it")
    p.add_argument("--labels", required=True, help="labels CSV: reply_id and 1/0 (or True/False) per check")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.set_defaults(func=cmd_evaluate)

    p = qsub.add_parser("schema", help="print the JSON Schema of the reply schema (or, --rulebook, of rulebooks)")
    p.add_argument("--rulebook", action="store_true", help="the rulebook's schema instead")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_schema)
