"""``carebench qa ...``: score, report, generate, schema. Parsing and printing only; the work is in qa.api.

Errors in the user's input (unreadable file, unknown format, bad rulebook) are raised as ConfigError and
printed by ``carebench.cli.main`` as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from carebench_shared.safe_text import printable

__all__ = ["add_qa_parser"]


def _progress_bar(enabled: bool):
    """A bar on standard error when asked to, or when it is a terminal (tqdm); None otherwise."""
    if not (enabled or sys.stderr.isatty()):
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="msg", file=sys.stderr, leave=False, dynamic_ncols=True)

    def progress(stage: str, done: int, total: int) -> None:
        if bar.desc != stage:
            bar.set_description(stage)
            bar.reset(total=total or None)
        bar.n = done
        bar.refresh()

    return bar, progress


def _jobs(text: str) -> int:
    """``--jobs``: a whole number from 1 to 64."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {printable(text)}") from None
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError(f"expected 1 to 64 processes, got {n}")
    return n


def cmd_score(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import check_output_dir, refuse_inputs_inside

    from .api import score_to_folder

    check_output_dir(Path(args.out))  # before scoring, not after it
    refuse_inputs_inside(args.out, args.input, args.policy)
    bar, progress = _progress_bar(args.progress)
    try:
        run = score_to_folder(args.input, args.out, args.policy, report_format=args.format, progress=progress,
                              model=args.model, jobs=args.jobs)
    finally:
        if bar is not None:
            bar.close()
    c = run.counts
    if c["replies"]:
        print(f"{c['replies']} brand replies scored from {printable(args.input)} ({run.format}); mean score "
              f"{c['mean_score']:.1f}, passed {c['passed']} of {c['replies']}")
        print(f"critical failures {c['critical']}, off-policy concessions {c['off_policy']}, consistency findings "
              f"{run.findings}")
    else:
        print(f"no brand replies in {printable(args.input)}")
    source = printable(args.input)
    for line, reason in run.broken_rows[:20]:
        print(f"{source}:{line}: skipped broken row: {printable(reason)}", file=sys.stderr)
    if len(run.broken_rows) > 20:
        print(f"{source}: ... {len(run.broken_rows) - 20} more broken rows (see broken_rows.csv)", file=sys.stderr)
    if run.check_errors:
        print(f"warning: {len(run.check_errors)} check errors (first: {printable(run.check_errors[0])})",
              file=sys.stderr)
    print(f"results in {printable(args.out)}/ ({', '.join(p.name for p in run.written)})")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import OutputError, check_output_file, refuse_output_is_input
    from carebench_shared.config import ConfigError, regular_file

    from .checks import CHECKS
    from .learned import fit, read_labels, save_model, training_set
    from .learned.data import file_digest
    from .readers import read_messages

    try:
        check_output_file(Path(args.out))  # before the training, not after it
        refuse_output_is_input("--out", args.out, *args.replies, args.labels)
    except OutputError as exc:
        raise ConfigError(str(exc)) from None
    labels = read_labels(args.labels)
    replies = []
    for p in args.replies:
        regular_file(p, "reply file")
        replies.append((read_messages(p).messages, Path(p).name))
    _refuse_shared_reply_ids(labels, [m for m, _ in replies], args.replies)
    data, missing = training_set(labels, replies, CHECKS)
    if not data.texts:
        raise ConfigError(f"{printable(args.labels)}: none of its {len(labels)} reply ids is in the reply files")
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


def _refuse_shared_reply_ids(labels, tables: list, paths: list[str]) -> None:  # noqa: ANN001
    """Refuse a labelled reply id that two reply files give different texts: each label would go to the first
    file's reply (two brands' exports both numbering their replies b1, b2, ...). The same reply in two files (an
    overlap of exports) is one reply."""
    from carebench_shared.config import ConfigError

    wanted = set(labels["reply_id"].astype(str))
    first: dict[str, tuple[str, str]] = {}  # reply id -> (its text, the file it was first found in)
    for messages, path in zip(tables, paths):
        brand = messages[messages["role"] == "brand"]
        for rid, text in zip(brand["message_id"].astype(str), brand["text"].astype(str)):
            if rid not in wanted:
                continue
            seen = first.setdefault(rid, (text, path))
            if seen[0] != text:
                raise ConfigError(f"{printable(seen[1])} and {printable(path)}: both have reply id "
                                  f"{printable(rid, 40)!r}, with different texts: which reply is labelled? Give "
                                  "reply files whose labelled ids are unique")


def cmd_report(args: argparse.Namespace) -> int:
    from .api import report_folder

    for p in report_folder(args.dir, ["html", "md"] if args.format == "both" else [args.format]):
        print(f"wrote {p}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from carebench_shared.config import ConfigError

    from .generator import LOCALES

    locales = tuple(args.locales.split(",")) if args.locales else tuple(LOCALES)
    unknown = [loc for loc in locales if loc not in LOCALES]
    if unknown:
        raise ConfigError(f"--locales: unknown locale {', '.join(unknown)}; known: {', '.join(LOCALES)}")
    if not 1 <= args.threads <= MAX_THREADS:
        raise ConfigError(f"--threads: must be between 1 and {MAX_THREADS:,}")
    if not (math.isfinite(args.days) and 0 < args.days <= 3660):
        raise ConfigError("--days: must be more than 0 and at most 3660")
    if not 0 <= args.seed < 2**63:
        raise ConfigError("--seed: must be between 0 and 2**63 - 1")
    for flag, p in (("--out", args.out), ("--twcs", args.twcs)):
        if p and Path(p).is_dir():
            raise ConfigError(f"{flag} {printable(p)}: is a folder; give the file to write (.csv, .jsonl or .parquet)")
        if p and Path(p).exists() and not Path(p).is_file():  # before the --out folder is made, not after the run
            raise ConfigError(f"{flag} {printable(p)}: is not a regular file (a device, a pipe or a socket); give a "
                              "file to write")
    _refuse_same_names(args.out, args.twcs)
    _refuse_missing_twcs_folder(args.out, args.twcs)
    paths, messages, replies = _generate_atomically(args, locales)
    print(f"{args.threads} threads, {messages} messages, {replies} labelled replies")
    for p in paths:
        print(f"wrote {p}")
    return 0


def _refuse_same_names(out: str, twcs: str | None) -> None:
    """The four files are made side by side in one temporary folder and renamed into place: a ``--twcs`` named
    like another of them (``--out`` itself, or its labels) would overwrite it, and the run fail half-done."""
    from carebench_shared.config import ConfigError

    from .generator_write import companion_paths

    if not twcs:
        return
    _, labels, posts = companion_paths(Path(out), twcs)
    for flag, other in (("--out", Path(out)), ("the labels file", labels), ("the post labels file", posts)):
        if Path(twcs).name == other.name:
            raise ConfigError(f"--twcs {printable(twcs)}: has the name of {flag} {printable(other)}; give the twcs "
                              "copy another name")


def _refuse_missing_twcs_folder(out: str, twcs: str | None) -> None:
    """A ``--twcs`` copy in a folder that does not exist (and is not the one made for ``--out``) would be refused
    after the run, with the other three files already in place: refused before anything is made."""
    from carebench_shared.atomic import real_path
    from carebench_shared.config import ConfigError

    folder = Path(twcs).parent if twcs else None
    if folder is not None and not folder.is_dir() and real_path(folder) != real_path(Path(out).parent):
        raise ConfigError(f"--twcs {printable(twcs)}: cannot write here (no folder {printable(folder)})")


MAX_THREADS = 2_000_000  # threads `qa generate` writes at most (about 6 million messages)


def _generate_atomically(args: argparse.Namespace, locales: tuple[str, ...]) -> tuple[list[Path], int, int]:
    """:func:`qa.generator.generate_files` (chunk by chunk) into a private folder beside ``--out``, then each
    file renamed into place: every file is the old one or the complete new one (an interrupted run leaves no
    half-written file). Returns (paths, messages, replies)."""
    import contextlib
    import os
    import shutil
    import tempfile

    from carebench_shared.atomic import OutputError, atomic_file, name_the_output

    from .generator import generate_files

    out, twcs = Path(args.out), Path(args.twcs) if args.twcs else None
    parent = out.parent if str(out.parent) else Path(".")
    new_folders = [d for d in (parent, *parent.parents) if not d.exists()]  # deepest first: gone on a failure
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    except OSError as exc:
        raise OutputError(f"{printable(out)}: cannot write here ({exc.strerror or exc})") from None
    try:
        made, messages, replies = generate_files(tmp / out.name, args.threads, seed=args.seed, locales=locales,
                                                 days=args.days, twcs=(tmp / twcs.name) if twcs else None)
        final = [out if p.name == out.name else (twcs if twcs and p.name == twcs.name else parent / p.name)
                 for p in made]
        for src, dst in zip(made, final):
            if dst.parent.resolve() == parent.resolve():
                os.replace(src, dst)
            else:  # another folder, maybe another disk: copy to a temporary name there and rename
                with open(src, "rb") as fin, atomic_file(dst, "wb") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
        new_folders = []
        return final, messages, replies
    except OSError as exc:
        name_the_output(exc, out)  # a full disk: the line names --out
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for d in new_folders:  # a failed or interrupted run leaves no folder it made either
            with contextlib.suppress(OSError):
                d.rmdir()


def cmd_evaluate(args: argparse.Namespace) -> int:
    from carebench_shared.config import ConfigError, regular_file

    from .evaluate import markdown_table, precision_recall, predictions
    from .learned.data import read_labels
    from .results_folder import read_verdicts

    src = Path(args.scores)
    scores_p = src / "scores.csv" if src.is_dir() else src
    for p in (scores_p, Path(args.labels)):
        regular_file(p)
    # the labels as `qa train` reads them (a label that is none, a column twice, the app's reviews export), for
    # every verdict a run writes; the scores typed as `qa report` reads them
    scores = _one_row_per_reply(read_verdicts(scores_p), scores_p)
    labels = read_labels(args.labels, known=predictions())
    if not labels["reply_id"].astype(str).isin(scores["reply_id"].astype(str)).any():  # a table of nothing, "not run"
        raise ConfigError(f"{printable(args.labels)}: none of its {len(labels)} reply ids is in {printable(scores_p)}")
    table = precision_recall(scores, labels)
    print(markdown_table(table) if args.markdown else table.to_string(index=False))
    return 0


def _one_row_per_reply(df, path: Path):  # noqa: ANN001, ANN202 - a pandas DataFrame
    """``df`` (a scores file) with a row given twice dropped; a reply id given again with other values refused."""
    from carebench_shared.config import ConfigError

    df = df.drop_duplicates()  # the same row twice says nothing new
    again = df["reply_id"].duplicated()
    if again.any():  # two different rows for one reply: which one holds is not for the evaluation to guess
        rid = df["reply_id"][again].iloc[0]
        first, line = (int(i) + 2 for i in df.index[df["reply_id"] == rid][:2])
        raise ConfigError(f"{printable(path)}:{line}: reply_id '{printable(rid, 40)}' is given again with other "
                          f"values (first on line {first})")
    return df.reset_index(drop=True)


def cmd_schema(args: argparse.Namespace) -> int:
    from carebench_shared.atomic import write_text_output

    from .rulebook import rulebook_json_schema
    from .schema import message_json_schema

    schema = rulebook_json_schema() if args.rulebook else message_json_schema()
    write_text_output(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", args.out)
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
    p.add_argument("--progress", action="store_true",
                   help="show a progress bar on standard error even when it is not a terminal")
    p.add_argument("--model", help="learned model file to combine with the rules (`default`: the shipped one)")
    p.add_argument("--jobs", type=_jobs, default=1,
                   help="processes scoring the replies (default 1; the results are the same for any number; "
                        "files under about 60,000 messages use one)")
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
