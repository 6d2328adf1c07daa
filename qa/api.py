"""The QA module's public functions: what the CLI, the Streamlit app and the tests call.

``score_file`` reads a reply file (own schema or twcs), scores it against a rulebook and returns a
:class:`QAResult` held in memory (the app); ``score_to_folder`` does the same for a file of any size, batch by
batch, straight into a results folder (the command line); ``write_outputs`` puts an in-memory result in a
folder (``scores.csv``, ``consistency.csv``, ``messages.parquet``, ``report.html``/``.md``, ...), and
``load_outputs`` / ``report_folder`` read such a folder back so a report can be re-rendered without scoring
again. Every folder is written atomically (:mod:`carebench_shared.atomic`); every problem reading one back is
one :class:`ConfigError` line (:mod:`qa.results_folder`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carebench_shared.atomic import OutputError, atomic_dir, atomic_file
from carebench_shared.config import ConfigError
from carebench_shared.safe_text import printable

from . import results_folder as rf
from .memory import frozen_heap, release, use_system_arrow_pool
from .outputs import MessageWriter, write_csv, write_json
from .parallel import start_workers
from .pipeline import SCORE_COLUMNS, ProgressFn, QAResult, score_messages
from .readers import read_messages
from .rulebook import Rulebook, load_rulebook
from .scorecard import AGGREGATE_BY
from .stream import RunSummary, learned_model, score_to_folder

__all__ = ["QAResult", "score_file", "score_messages", "score_to_folder", "RunSummary", "load_policy",
           "write_outputs", "load_outputs", "report_folder", "SCORE_COLUMNS", "ConfigError"]


def load_policy(path: str | Path | None = None) -> Rulebook:
    """The rulebook at ``path`` (default: the shipped ``qa/policies/default.yaml``)."""
    return load_rulebook(path)


def score_file(path: str | Path, policy_path: str | Path | None = None,
               progress: ProgressFn | None = None, model: str | Path | None = None, jobs: int = 1) -> QAResult:
    """Read ``path`` (CSV, JSONL, Parquet; own schema or twcs), score it, and return everything in memory.

    ``model``: a learned model file to combine with the rules, ``"default"`` for the shipped one, or None.
    ``jobs``: processes scoring phase one (:mod:`qa.parallel`); the result is the same for any number."""
    learned = learned_model(model)
    book = load_policy(policy_path)
    use_system_arrow_pool()
    workers = start_workers(jobs, path, book, learned)  # they start while the file is read
    try:
        with frozen_heap() as settle:  # the collector's full passes skip what survives each batch
            read = read_messages(path)
            release()
            result = score_messages(read.messages, book, progress=progress, broken_rows=read.broken_rows,
                                    model=learned, settle=settle, jobs=workers or 1)
    finally:
        if workers is not None:
            workers.close()
    result.meta.update(source=str(path), format=read.format, policy_file=str(policy_path or "shipped default"),
                       model=str(model) if model is not None else None)
    return result


def write_outputs(result: QAResult, out: str | Path, report_format: str = "html") -> list[Path]:
    """Write an in-memory run to ``out``; returns the files written. ``report_format``: html, md or both.

    Atomic: everything is written into a temporary folder beside ``out`` that replaces it only when complete,
    so ``out`` is the previous complete run or this one, never a mix (Ctrl-C included). ``out`` must be new,
    empty, or an earlier results folder (:func:`carebench_shared.atomic.check_output_dir`).
    """
    from .report import render

    out = Path(out)
    release()
    names: list[str] = []
    try:
        with atomic_dir(out) as tmp:
            def put(name: str, df: pd.DataFrame) -> None:
                with open(tmp / name, "w", encoding="utf-8", newline="") as fh:
                    write_csv(fh, df)
                names.append(name)

            put("scores.csv", result.scores)
            put("consistency.csv", result.consistency)
            put("unanswered.csv", result.unanswered)
            put("repeats.csv", result.repeats)
            put("broken_rows.csv", pd.DataFrame(result.broken_rows, columns=["line", "reason"]))
            for by, df in result.aggregates.items():
                put(f"by_{by}.csv", df)
            writer = MessageWriter(tmp / "messages.parquet")
            writer.write(result.messages)
            writer.close()
            names.append("messages.parquet")
            release()
            meta = dict(result.meta, checks_run=list(result.checks_run),
                        check_errors=[list(e) for e in result.check_errors[:100]],
                        check_error_count=len(result.check_errors))
            write_json(tmp / "meta.json", meta)
            names.append("meta.json")
            for fmt in (["html", "md"] if report_format == "both" else [report_format]):
                (tmp / f"report.{fmt}").write_text(render(result, fmt), encoding="utf-8")
                names.append(f"report.{fmt}")
    except OutputError as exc:
        raise ConfigError(str(exc)) from None
    return [out / n for n in names]


def load_outputs(folder: str | Path) -> QAResult:
    """A :class:`QAResult` read back from a folder written by :func:`write_outputs` or ``qa score``.

    Anything that would stop a report is one :class:`ConfigError` line naming the file, line and column."""
    folder = Path(folder)
    scores = rf.read_scores(folder)
    meta = rf.read_meta(folder / "meta.json")
    return QAResult(
        scores=scores, messages=rf.read_messages_parquet(folder / "messages.parquet"),
        broken_rows=rf.read_broken_rows(folder), consistency=rf.read_table(folder, "consistency.csv"),
        aggregates={by: rf.read_table(folder, f"by_{by}.csv") for by in AGGREGATE_BY},
        unanswered=rf.read_table(folder, "unanswered.csv"), repeats=rf.read_table(folder, "repeats.csv"),
        check_errors=[tuple(e) for e in meta.get("check_errors", []) if isinstance(e, (list, tuple))],
        checks_run=tuple(str(c) for c in meta.get("checks_run", []) if isinstance(c, str)), meta=meta)


def _count(value) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


REPORT_CHUNK = 100_000  # scores.csv rows read at a time when a report is re-rendered


def report_folder(folder: str | Path, formats: list[str]) -> list[Path]:
    """Re-render the report of a results folder, reading ``scores.csv`` a chunk at a time (any size); each
    report file is replaced atomically."""
    from .report import RENDERERS, build_blocks
    from .report_data import ReportBuilder
    from .verdicts import flag_specs

    folder = Path(folder)
    builder = ReportBuilder([s.column for s in flag_specs().values()])
    for chunk in rf.iter_scores(folder, REPORT_CHUNK):
        builder.add(chunk)
    meta = rf.read_meta(folder / "meta.json")
    unanswered, repeats = rf.read_table(folder, "unanswered.csv"), rf.read_table(folder, "repeats.csv")
    if len(unanswered):
        builder.add_unanswered(unanswered)
    if len(repeats):
        builder.add_repeats(repeats)
    ids = sorted(set(builder.worst["thread_id"].astype(str))) if len(builder.worst) else []
    threads = rf.read_messages_parquet(folder / "messages.parquet", [("thread_id", "in", ids)]) if ids \
        else pd.DataFrame()
    data = builder.data(threads, rf.read_table(folder, "consistency.csv"),
                        {by: rf.read_table(folder, f"by_{by}.csv") for by in AGGREGATE_BY},
                        rf.read_broken_rows(folder), meta,
                        tuple(str(c) for c in meta.get("checks_run", []) if isinstance(c, str)),
                        _count(meta.get("check_error_count")))
    written = []
    for fmt in formats:
        p = folder / f"report.{fmt}"
        try:
            text = RENDERERS[fmt].render(build_blocks(data))
        except KeyError as exc:  # a column the report needs and the folder's files lack
            raise ConfigError(f"{printable(folder)}: cannot render the report: column {printable(exc)} is "
                              "missing; score the replies again to rebuild the folder") from None
        with atomic_file(p, "w", encoding="utf-8") as fh:
            fh.write(text)
        written.append(p)
    return written
