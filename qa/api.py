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

from carebench_shared.atomic import atomic_dir
from carebench_shared.config import ConfigError, decode_text, sniff_text
from carebench_shared.safe_text import printable

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
    """Write the run to ``out``; returns the files written. ``report_format``: html, md or both.

    Atomic: everything is written into a temporary folder beside ``out`` that replaces it only when complete,
    so ``out`` is the previous complete run or this one, never a mix (Ctrl-C included). ``out`` must be new,
    empty, or an earlier results folder (:func:`carebench_shared.atomic.check_output_dir`).
    """
    from .report import render

    out = Path(out)
    release()
    names: list[str] = []
    with atomic_dir(out) as tmp:

        def put(name: str, df: pd.DataFrame, **kw) -> None:
            df.to_csv(tmp / name, index=False, **kw)
            names.append(name)

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
        _write_parquet(result.messages, tmp / "messages.parquet")
        names.append("messages.parquet")
        release()
        meta = dict(result.meta, checks_run=list(result.checks_run),
                    check_errors=[list(e) for e in result.check_errors[:100]],
                    check_error_count=len(result.check_errors))
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
        names.append("meta.json")
        for fmt in (["html", "md"] if report_format == "both" else [report_format]):
            (tmp / f"report.{fmt}").write_text(render(result, fmt), encoding="utf-8")
            names.append(f"report.{fmt}")
    return [out / name for name in names]


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


# What a results folder must hold for a report to be rendered from it: columns, and columns' types.
_NUMBER_COLUMNS = ("score", "precedent_risk", "departure", "visibility", "claimability", "latency_minutes")
_FLAG_COLUMNS = ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch",
                 "late_response", "auto_fail", "template_overuse", "customer_repeated", "public")
_ALWAYS_KNOWN = ("auto_fail", "template_overuse", "customer_repeated", "public")  # blank is False, not unknown
_TEXT_COLUMNS = ("flags", "evidence", "auto_fail_reasons", "failed_criteria", "concessions", "policy_status",
                 "policy_reasons", "text")
_NEEDED = {
    "consistency.csv": ("summary", "difference", "ci_low", "ci_high", "p_value", "q_value", "example_reply_ids"),
    "unanswered.csv": ("thread_id", "message_id", "created_at", "text", "repeat"),
    "broken_rows.csv": ("line", "reason"),
    "messages.parquet": ("thread_id", "message_id", "role", "author_id", "created_at", "text"),
}
_ID_COLUMNS = {"reply_id": str, "thread_id": str, "message_id": str, "template_id": str, "agent_id": str,
               "example_reply_ids": str}


def _read_table(folder: Path, name: str, required: bool = False) -> pd.DataFrame:
    """A CSV of a results folder (empty when absent and optional); unreadable or short of the columns the
    report uses (when it has rows): one-line :class:`ConfigError`."""
    p = folder / name
    shown = printable(p)
    if not p.is_file():
        if required:
            raise ConfigError(f"{shown}: missing; the folder is not a complete `carebench qa score` run")
        return pd.DataFrame()
    sniff_text(p, "CSV")  # UTF-16, binary, another encoding: said as such
    try:
        df = pd.read_csv(p, dtype=_ID_COLUMNS, encoding="utf-8")
    except pd.errors.EmptyDataError:
        df = pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{shown}: cannot read: {printable(str(exc).splitlines()[0] if str(exc) else exc)}") \
            from None
    _require(df, _NEEDED.get(name, ()) if len(df) else (), shown)
    return df


def _require(df: pd.DataFrame, columns, shown: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ConfigError(f"{shown}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                          "score the replies again to rebuild the folder")


def _typed_scores(scores: pd.DataFrame, shown: str) -> pd.DataFrame:
    """``scores.csv`` with its number and True/False columns checked and typed (a bad cell: one line)."""
    for c in _NUMBER_COLUMNS:
        if c in scores.columns:
            values = pd.to_numeric(scores[c], errors="coerce")
            bad = values.isna() & scores[c].notna()
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise ConfigError(f"{shown}:{i + 2}: {c}: {printable(scores[c].iloc[i], 40)!r} is not a number")
            scores[c] = values.astype("float64")
    for c in _FLAG_COLUMNS:
        if c in scores.columns:
            low = scores[c].astype("string").str.strip().str.lower()
            bad = low.notna() & ~low.isin(["true", "false", "1", "0", "1.0", "0.0"])
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise ConfigError(f"{shown}:{i + 2}: {c}: {printable(scores[c].iloc[i], 40)!r} is not True or False")
            scores[c] = low.map({"true": True, "1": True, "1.0": True, "false": False, "0": False, "0.0": False},
                                na_action="ignore").astype("boolean")
            if c in _ALWAYS_KNOWN:
                scores[c] = scores[c].fillna(False)
    for c in _TEXT_COLUMNS:
        if c in scores.columns:
            scores[c] = scores[c].fillna("").astype(str)
    return scores


def load_outputs(folder: str | Path) -> QAResult:
    """A :class:`QAResult` read back from a folder written by :func:`write_outputs`.

    Anything that would stop a report (a missing or unreadable file, a column the report uses missing, a number
    or flag that is not one) is one :class:`ConfigError` line naming the file, line and column."""
    folder = Path(folder)
    if not (folder / "scores.csv").is_file():
        raise ConfigError(f"{printable(folder)}: not a QA output folder (no scores.csv); run `carebench qa score` "
                          "first")
    scores = _read_table(folder, "scores.csv", required=True)
    _require(scores, SCORE_COLUMNS, printable(folder / "scores.csv"))
    scores = _typed_scores(scores, printable(folder / "scores.csv"))
    messages = _read_messages_parquet(folder / "messages.parquet")
    broken = _read_table(folder, "broken_rows.csv")
    lines = pd.to_numeric(broken["line"], errors="coerce") if len(broken) else pd.Series([], dtype=float)
    if lines.isna().any():
        raise ConfigError(f"{printable(folder / 'broken_rows.csv')}: line: not a line number")
    meta = _read_meta(folder / "meta.json")
    return QAResult(
        scores=scores, messages=messages,
        broken_rows=[(int(a), str(b)) for a, b in zip(lines, broken["reason"])] if len(broken) else [],
        consistency=_read_table(folder, "consistency.csv"),
        aggregates={by: _read_table(folder, f"by_{by}.csv") for by in AGGREGATE_BY},
        unanswered=_read_table(folder, "unanswered.csv"),
        check_errors=[tuple(e) for e in meta.get("check_errors", []) if isinstance(e, (list, tuple))],
        checks_run=tuple(str(c) for c in meta.get("checks_run", []) if isinstance(c, str)), meta=meta)


def _read_messages_parquet(p: Path) -> pd.DataFrame:
    if not p.is_file():
        return pd.DataFrame()
    try:
        df = pd.read_parquet(p)
    except Exception as exc:  # pyarrow raises several types for a damaged file  # noqa: BLE001
        raise ConfigError(f"{printable(p)}: cannot read Parquet file: {printable(str(exc).splitlines()[0])}") \
            from None
    _require(df, _NEEDED["messages.parquet"] if len(df) else (), printable(p))
    return df


def _read_meta(p: Path) -> dict:
    if not p.is_file():
        return {}
    try:
        meta = json.loads(decode_text(p.read_bytes(), printable(p), "JSON"))
    except (ValueError, RecursionError) as exc:
        raise ConfigError(f"{printable(p)}: not valid JSON ({printable(str(exc).splitlines()[0], 80)})") from None
    if not isinstance(meta, dict):
        raise ConfigError(f"{printable(p)}: expected a JSON object")
    return meta
