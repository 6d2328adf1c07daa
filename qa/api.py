"""The QA module's public functions: what the CLI, the Streamlit app and the tests call.

``score_file`` reads a reply file (own schema or twcs), scores it against a rulebook and returns a
:class:`QAResult` held in memory (the app); ``score_to_folder`` does the same for a file of any size, batch by
batch, straight into a results folder (the command line); ``write_outputs`` puts an in-memory result in a
folder (``scores.csv``, ``consistency.csv``, ``messages.parquet``, ``report.html``/``.md``, ...), and
``load_outputs`` reads such a folder back so a report can be re-rendered without scoring again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from carebench_shared.atomic import OutputError, atomic_dir
from sim.loader import ConfigError

from . import evidence as ev
from .memory import release, use_system_arrow_pool
from .outputs import MessageWriter, read_csv, write_csv, write_json
from .pipeline import SCORE_COLUMNS, ProgressFn, QAResult, score_messages
from .readers import read_messages
from .rulebook import Rulebook, load_rulebook
from .scorecard import AGGREGATE_BY
from .stream import RunSummary, score_to_folder
from .verdicts import verdict_columns

__all__ = ["QAResult", "score_file", "score_messages", "score_to_folder", "RunSummary", "load_policy",
           "write_outputs", "load_outputs", "report_folder", "SCORE_COLUMNS", "ConfigError"]


def load_policy(path: str | Path | None = None) -> Rulebook:
    """The rulebook at ``path`` (default: the shipped ``qa/policies/default.yaml``)."""
    return load_rulebook(path)


def score_file(path: str | Path, policy_path: str | Path | None = None,
               progress: ProgressFn | None = None, model: str | Path | None = None) -> QAResult:
    """Read ``path`` (CSV, JSONL, Parquet; own schema or twcs), score it, and return everything in memory.

    ``model``: a learned model file to combine with the rules, ``"default"`` for the shipped one, or None."""
    from .learned import resolve_model

    learned = resolve_model(str(model) if model is not None else None)
    book = load_policy(policy_path)
    use_system_arrow_pool()
    read = read_messages(path)
    release()
    result = score_messages(read.messages, book, progress=progress, broken_rows=read.broken_rows, model=learned)
    result.meta.update(source=str(path), format=read.format, policy_file=str(policy_path or "shipped default"),
                       model=str(model) if model is not None else None)
    return result


def write_outputs(result: QAResult, out: str | Path, report_format: str = "html") -> list[Path]:
    """Write an in-memory run to ``out`` (atomically); returns the files written. ``report_format``: html,
    md or both."""
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
    """A :class:`QAResult` read back from a folder written by :func:`write_outputs` or ``qa score``."""
    folder = Path(folder)
    if not (folder / "scores.csv").is_file():
        raise ConfigError(f"{folder}: not a QA output folder (no scores.csv); run `carebench qa score` first")

    def read(name: str) -> pd.DataFrame:
        try:
            return read_csv(folder / name)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{folder / name}: cannot read: {str(exc).splitlines()[0]}") from None

    scores = read("scores.csv")
    for c in verdict_columns():
        if c in scores.columns:
            scores[c] = scores[c].astype("boolean")
    for c in ("flags", "auto_fail_reasons", "failed_criteria", "concessions", "policy_status", "policy_reasons",
              "text", "score_explained"):
        if c in scores.columns:
            scores[c] = scores[c].astype(object).where(scores[c].notna(), "")
    if "evidence" in scores.columns:
        scores["evidence"] = [ev.parse(x) for x in scores["evidence"]]
    messages = pd.read_parquet(folder / "messages.parquet") if (folder / "messages.parquet").is_file() \
        else pd.DataFrame()
    broken = read("broken_rows.csv")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8")) if (folder / "meta.json").is_file() else {}
    return QAResult(
        scores=scores, messages=messages,
        broken_rows=[(int(a), str(b)) for a, b in broken.itertuples(index=False)] if len(broken) else [],
        consistency=read("consistency.csv"), aggregates={by: read(f"by_{by}.csv") for by in AGGREGATE_BY},
        unanswered=read("unanswered.csv"), repeats=read("repeats.csv"),
        check_errors=[tuple(e) for e in meta.get("check_errors", [])],
        checks_run=tuple(meta.get("checks_run", [])), meta=meta)


REPORT_CHUNK = 100_000  # scores.csv rows read at a time when a report is re-rendered


def report_folder(folder: str | Path, formats: list[str]) -> list[Path]:
    """Re-render the report of a results folder, reading ``scores.csv`` a chunk at a time (any size)."""
    from carebench_shared.atomic import atomic_file

    from .report import RENDERERS, build_blocks
    from .report_data import ReportBuilder, worst_threads
    from .verdicts import flag_specs

    folder = Path(folder)
    if not (folder / "scores.csv").is_file():
        raise ConfigError(f"{folder}: not a QA output folder (no scores.csv); run `carebench qa score` first")
    builder = ReportBuilder([s.column for s in flag_specs().values()])
    try:
        for chunk in read_csv(folder / "scores.csv", chunksize=REPORT_CHUNK):
            for c in ("flags", "failed_criteria", "auto_fail_reasons", "policy_status", "text", "score_explained"):
                if c in chunk.columns:
                    chunk[c] = chunk[c].astype(object).where(chunk[c].notna(), "")
            builder.add(chunk)
        extra = load_outputs_light(folder)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, KeyError) as exc:
        raise ConfigError(f"{folder}: cannot read the run's files: {str(exc).splitlines()[0]}") from None
    if len(extra.unanswered):
        builder.add_unanswered(extra.unanswered)
    if len(extra.repeats):
        builder.add_repeats(extra.repeats)
    threads = worst_threads(_read_threads(folder, builder.worst), builder.worst)
    data = builder.data(threads, extra.consistency, extra.aggregates, extra.broken_rows, extra.meta,
                        extra.checks_run, int(extra.meta.get("check_error_count", 0)))
    written = []
    for fmt in formats:
        p = folder / f"report.{fmt}"
        with atomic_file(p, encoding="utf-8") as fh:
            fh.write(RENDERERS[fmt].render(build_blocks(data)))
        written.append(p)
    return written


def _read_threads(folder: Path, worst: pd.DataFrame) -> pd.DataFrame:
    p = folder / "messages.parquet"
    if not p.is_file() or not len(worst):
        return pd.DataFrame()
    import pyarrow.parquet as pq

    ids = sorted(set(worst["thread_id"].astype(str)))
    return pq.read_table(p, filters=[("thread_id", "in", ids)]).to_pandas()


def load_outputs_light(folder: Path) -> QAResult:
    """A run's small files (everything but scores and messages), for re-rendering its report."""
    def read(name: str) -> pd.DataFrame:
        return read_csv(folder / name)

    broken = read("broken_rows.csv")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8")) if (folder / "meta.json").is_file() else {}
    return QAResult(scores=pd.DataFrame(), messages=pd.DataFrame(), consistency=read("consistency.csv"),
                    aggregates={by: read(f"by_{by}.csv") for by in AGGREGATE_BY}, unanswered=read("unanswered.csv"),
                    repeats=read("repeats.csv"),
                    broken_rows=[(int(a), str(b)) for a, b in broken.itertuples(index=False)] if len(broken) else [],
                    checks_run=tuple(meta.get("checks_run", [])), meta=meta)
