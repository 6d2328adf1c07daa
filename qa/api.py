"""The QA module's public functions: what the CLI, the Streamlit app and the tests call.

``score_file`` reads a reply file (own schema or twcs), scores it against a rulebook and returns a
:class:`QAResult`; ``write_outputs`` puts it in a folder (``scores.csv``, ``consistency.csv``,
``messages.parquet``, ``report.html``/``.md``, ...), and ``load_outputs`` reads such a folder back so a report
can be re-rendered without scoring again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.loader import ConfigError

from .memory import release, use_system_arrow_pool
from .pipeline import SCORE_COLUMNS, ProgressFn, QAResult, score_messages
from .readers import read_messages
from .rulebook import Rulebook, load_rulebook
from .scorecard import AGGREGATE_BY

__all__ = ["QAResult", "score_file", "score_messages", "load_policy", "write_outputs", "load_outputs",
           "SCORE_COLUMNS", "ConfigError"]


def load_policy(path: str | Path | None = None) -> Rulebook:
    """The rulebook at ``path`` (default: the shipped ``qa/policies/default.yaml``)."""
    return load_rulebook(path)


def score_file(path: str | Path, policy_path: str | Path | None = None,
               progress: ProgressFn | None = None, model: str | Path | None = None) -> QAResult:
    """Read ``path`` (CSV, JSONL, Parquet; own schema or twcs), score it, and return everything.

    ``model``: a learned model file to combine with the rules, ``"default"`` for the shipped one, or None."""
    from .learned import resolve_model

    learned = resolve_model(str(model) if model is not None else None)
    book = load_policy(policy_path)
    use_system_arrow_pool()
    read = read_messages(path)
    release()
    result = score_messages(read.messages, book, progress=progress, broken_rows=read.broken_rows, model=learned)
    result.meta.update(source=str(path), format=read.format, policy_file=str(policy_path or "(default)"),
                       model=str(model) if model is not None else None)
    return result


def write_outputs(result: QAResult, out: str | Path, report_format: str = "html") -> list[Path]:
    """Write the run to ``out``; returns the files written. ``report_format``: html, md or both."""
    from .report import render

    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create output folder: {exc.strerror or exc}") from None
    written = []
    release()

    def put(name: str, df: pd.DataFrame, **kw) -> None:
        p = out / name
        df.to_csv(p, index=False, **kw)
        written.append(p)

    scores = result.scores.copy(deep=False)  # copy-on-write: the result's table is left as it was
    scores["created_at"] = pd.to_datetime(scores["created_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    put("scores.csv", scores)
    put("consistency.csv", result.consistency)
    un = result.unanswered.copy(deep=False)
    if "created_at" in un.columns and len(un):
        un["created_at"] = pd.to_datetime(un["created_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    put("unanswered.csv", un)
    put("broken_rows.csv", pd.DataFrame(result.broken_rows, columns=["line", "reason"]))
    for by, df in result.aggregates.items():
        put(f"by_{by}.csv", df)
    p = out / "messages.parquet"
    _write_parquet(result.messages, p)
    written.append(p)
    release()
    meta = dict(result.meta, checks_run=list(result.checks_run),
                check_errors=[list(e) for e in result.check_errors[:100]], check_error_count=len(result.check_errors))
    p = out / "meta.json"
    p.write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
    written.append(p)
    for fmt in (["html", "md"] if report_format == "both" else [report_format]):
        p = out / f"report.{fmt}"
        p.write_text(render(result, fmt), encoding="utf-8")
        written.append(p)
    return written


PARQUET_ROWS = 250_000  # messages converted to Arrow at a time (one row group each) when writing Parquet


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    """``df.to_parquet(path, index=False)``, a slice of rows at a time when large (the whole table in Arrow
    at once would double the messages' memory)."""
    if len(df) <= PARQUET_ROWS:
        df.to_parquet(path, index=False)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    first = pa.Table.from_pandas(df.iloc[:PARQUET_ROWS], preserve_index=False)
    with pq.ParquetWriter(path, first.schema) as w:
        w.write_table(first)
        del first
        for start in range(PARQUET_ROWS, len(df), PARQUET_ROWS):
            w.write_table(pa.Table.from_pandas(df.iloc[start:start + PARQUET_ROWS], preserve_index=False))


def load_outputs(folder: str | Path) -> QAResult:
    """A :class:`QAResult` read back from a folder written by :func:`write_outputs`."""
    folder = Path(folder)
    scores_p = folder / "scores.csv"
    if not scores_p.is_file():
        raise ConfigError(f"{folder}: not a QA output folder (no scores.csv); run `carebench qa score` first")

    def read(name: str) -> pd.DataFrame:
        p = folder / name
        if not p.is_file():
            return pd.DataFrame()
        try:
            return pd.read_csv(p, dtype={"reply_id": str, "thread_id": str, "message_id": str,
                                         "template_id": str, "agent_id": str, "example_reply_ids": str})
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: cannot read: {str(exc).splitlines()[0]}") from None

    scores = read("scores.csv")
    for c in ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch",
              "late_response"):
        if c in scores.columns:
            scores[c] = scores[c].astype("boolean")
    for c in ("flags", "evidence", "auto_fail_reasons", "failed_criteria", "concessions", "policy_status",
              "policy_reasons", "text"):
        if c in scores.columns:
            scores[c] = scores[c].fillna("")
    messages = pd.read_parquet(folder / "messages.parquet") if (folder / "messages.parquet").is_file() \
        else pd.DataFrame()
    broken = read("broken_rows.csv")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8")) if (folder / "meta.json").is_file() else {}
    return QAResult(
        scores=scores, messages=messages,
        broken_rows=[(int(a), str(b)) for a, b in broken.itertuples(index=False)] if len(broken) else [],
        consistency=read("consistency.csv"), aggregates={by: read(f"by_{by}.csv") for by in AGGREGATE_BY},
        unanswered=read("unanswered.csv"), check_errors=[tuple(e) for e in meta.get("check_errors", [])],
        checks_run=tuple(meta.get("checks_run", [])), meta=meta)
