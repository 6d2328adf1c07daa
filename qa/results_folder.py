"""Reading a results folder back (``qa report``, the app): every file checked, every problem one line.

A folder written by ``carebench qa score`` can be edited, truncated or copied from an older version before a
report is re-rendered from it. Anything that would stop the report (a missing or unreadable file, a column the
report uses missing, a number or True/False cell that is not one) is one :class:`ConfigError` naming the file,
the line and the column. The flag columns come from the verdict registry (:mod:`qa.verdicts`), so a new check
is read back without changes here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from carebench_shared.config import ConfigError, decode_text, refuse_binary_bytes, sniff_text
from carebench_shared.csv_table import refuse_misread, refuse_wide_header
from carebench_shared.safe_text import printable

from . import evidence as ev
from .outputs import ID_COLUMNS
from .verdicts import verdict_columns

__all__ = ["read_table", "read_scores", "read_verdicts", "iter_scores", "read_messages_parquet", "read_meta",
           "read_broken_rows", "require"]

_NUMBER_COLUMNS = ("score", "score_without_critical", "precedent_risk", "departure", "visibility", "claimability",
                   "latency_minutes", "minutes_late")
_ALWAYS_KNOWN = ("auto_fail", "passed", "public", "template_overuse", "customer_repeated")  # blank is False
_TEXT_COLUMNS = ("flags", "auto_fail_reasons", "failed_criteria", "concessions", "policy_status", "policy_reasons",
                 "text", "score_explained")
_SCORES_NEEDED = ("reply_id", "thread_id", "score", "auto_fail", "policy_status", "failed_criteria", "precedent_risk",
                  "text")
_NEEDED = {
    "consistency.csv": ("summary", "difference", "ci_low", "ci_high", "p_value", "q_value", "example_reply_ids"),
    "unanswered.csv": ("thread_id", "message_id", "created_at", "text", "repeat"),
    "repeats.csv": ("kind",),
    "broken_rows.csv": ("line", "reason"),
    "messages.parquet": ("thread_id", "message_id", "role", "author_id", "created_at", "text"),
}
_TRUE = {"true": True, "1": True, "1.0": True, "false": False, "0": False, "0.0": False}


def require(df: pd.DataFrame, columns, shown: str) -> None:
    """One line naming the columns of ``columns`` that ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ConfigError(f"{shown}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                          "score the replies again to rebuild the folder")


def _csv(p: Path, **kw):
    """``pd.read_csv`` with ids as text; a damaged file is one line."""
    sniff_text(p, "CSV")  # UTF-16, binary, another encoding: said as such
    refuse_wide_header(p, "a table of a results folder")  # 100,000 columns: minutes in pandas
    try:
        df = pd.read_csv(p, dtype=ID_COLUMNS, encoding="utf-8", **kw)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{printable(p)}: cannot read: {printable(str(exc).splitlines()[0] if str(exc) else exc)}") \
            from None
    refuse_misread(df, printable(p))  # a column twice, a first row with more fields than the header
    return df


def read_table(folder: Path, name: str, required: bool = False) -> pd.DataFrame:
    """A CSV of a results folder (empty when absent and optional), checked for the columns the report uses."""
    p = folder / name
    if not p.is_file():
        if required:
            raise ConfigError(f"{printable(p)}: missing; the folder is not a complete `carebench qa score` run")
        return pd.DataFrame()
    df = _csv(p)
    require(df, _NEEDED.get(name, ()) if len(df) else (), printable(p))
    return df


def _typed(scores: pd.DataFrame, shown: str, first_line: int = 2) -> pd.DataFrame:
    """``scores.csv`` rows with numbers, True/False verdicts and texts typed; a bad cell is one line."""
    for c in ("reply_id", "thread_id"):
        if c in scores.columns and scores[c].isna().any():  # a row of another file's text, or a cut-off line
            i = int(scores[c].isna().to_numpy().argmax())
            raise ConfigError(f"{shown}:{i + first_line}: {c}: empty; score the replies again to rebuild the folder")
    for c in _NUMBER_COLUMNS:
        if c in scores.columns:
            values = pd.to_numeric(scores[c], errors="coerce")
            bad = (values.isna() & scores[c].notna()) | ~np.isfinite(values.fillna(0.0).to_numpy(dtype="float64"))
            if c == "score":  # every score a run writes is from 0 to 100
                bad |= ~values.between(0, 100)  # NaN and blanks too
            if bad.any():
                i = int(bad.to_numpy().argmax())
                what = "a number" if pd.isna(values.iloc[i]) and pd.notna(scores[c].iloc[i]) else (
                    "a score from 0 to 100" if c == "score" else "a finite number")
                raise ConfigError(f"{shown}:{i + first_line}: {c}: {printable(scores[c].iloc[i], 40)!r} is not "
                                  f"{what}")
            scores[c] = values.astype("float64")
    for c in dict.fromkeys([*verdict_columns(), *_ALWAYS_KNOWN]):
        if c in scores.columns:
            low = scores[c].astype("string").str.strip().str.lower()
            bad = low.notna() & ~low.isin(list(_TRUE))
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise ConfigError(f"{shown}:{i + first_line}: {c}: {printable(scores[c].iloc[i], 40)!r} is not "
                                  "True or False")
            scores[c] = low.map(_TRUE, na_action="ignore").astype("boolean")
            if c in _ALWAYS_KNOWN:
                scores[c] = scores[c].fillna(False)
    for c in _TEXT_COLUMNS:
        if c in scores.columns:
            scores[c] = scores[c].astype(object).where(scores[c].notna(), "").astype(str)
    return scores


def _scores_path(folder: Path) -> Path:
    p = folder / "scores.csv"
    if not p.is_file():
        raise ConfigError(f"{printable(folder)}: not a QA output folder (no scores.csv); run `carebench qa score` "
                          "first")
    return p


def read_scores(folder: Path) -> pd.DataFrame:
    """The whole ``scores.csv``, typed, evidence parsed back into spans."""
    p = _scores_path(folder)
    scores = _csv(p)
    require(scores, _SCORES_NEEDED, printable(p))
    scores = _typed(scores, printable(p))
    if "evidence" in scores.columns:
        scores["evidence"] = [_evidence(x, p, i + 2) for i, x in enumerate(scores["evidence"])]
    return scores


def read_verdicts(p: Path) -> pd.DataFrame:
    """A scores file for ``qa evaluate``: its reply ids and whatever verdict columns it has, typed as
    :func:`read_scores` types them (a verdict that is not True, False or blank is one line, never "not flagged")."""
    sniff_text(p, "CSV")  # a folder, a pipe, UTF-16 or binary: said as such
    refuse_binary_bytes(p, "a scores file")  # past the start sniff_text reads, pandas would cut a value at a NUL
    scores = _csv(p)
    require(scores, ("reply_id",), printable(p))
    return _typed(scores, printable(p))


def _evidence(x, p: Path, line: int):
    try:
        return ev.parse(x)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise ConfigError(f"{printable(p)}:{line}: evidence: not the evidence a run writes "
                          f"({printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 60)})") from None


def iter_scores(folder: Path, chunksize: int) -> Iterator[pd.DataFrame]:
    """``scores.csv`` ``chunksize`` rows at a time, typed (evidence left as text: the report re-reads it)."""
    p = _scores_path(folder)
    sniff_text(p, "CSV")
    refuse_wide_header(p, "a table of a results folder")
    first = 2
    try:
        reader = pd.read_csv(p, dtype=ID_COLUMNS, encoding="utf-8", chunksize=chunksize)
        for chunk in reader:
            if first == 2:
                refuse_misread(chunk, printable(p))
                require(chunk, _SCORES_NEEDED, printable(p))
            yield _typed(chunk, printable(p), first)
            first += len(chunk)
    except pd.errors.EmptyDataError:
        raise ConfigError(f"{printable(p)}: empty; score the replies again to rebuild the folder") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{printable(p)}: cannot read: {printable(str(exc).splitlines()[0] if str(exc) else exc)}") \
            from None


def read_messages_parquet(p: Path, filters=None) -> pd.DataFrame:
    """``messages.parquet`` (or the rows ``filters`` selects); absent: empty; damaged: one line."""
    if not p.is_file():
        return pd.DataFrame()
    import pyarrow.parquet as pq

    try:
        df = pq.read_table(p, filters=filters).to_pandas()
    except Exception as exc:  # pyarrow raises several types for a damaged file  # noqa: BLE001
        raise ConfigError(f"{printable(p)}: cannot read Parquet file: {printable(str(exc).splitlines()[0])}") \
            from None
    require(df, _NEEDED["messages.parquet"] if len(df) else (), printable(p))
    return df


def read_meta(p: Path) -> dict:
    """``meta.json`` as a dict (absent: empty)."""
    if not p.is_file():
        return {}
    try:
        meta = json.loads(decode_text(p.read_bytes(), printable(p), "JSON"))
        json.dumps(meta, ensure_ascii=False).encode("utf-8")  # a lone surrogate escape: no character to write
    except (ValueError, RecursionError) as exc:
        raise ConfigError(f"{printable(p)}: not valid JSON ({printable(str(exc).splitlines()[0], 80)})") from None
    if not isinstance(meta, dict):
        raise ConfigError(f"{printable(p)}: expected a JSON object")
    for key, (kinds, what) in _META_TYPES.items():
        value = meta.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
            raise ConfigError(f"{printable(p)}: {key}: expected {what}, got {printable(repr(value), 40)}")
    rubric = meta.get("rubric")
    if rubric is not None and not (isinstance(rubric, dict) and isinstance(rubric.get("criteria"), str)
                                   and isinstance(rubric.get("pass_mark"), (int, float))
                                   and not isinstance(rubric.get("pass_mark"), bool)):
        raise ConfigError(f"{printable(p)}: rubric: expected pass_mark (a number) and criteria (a text)")
    return meta


# the values of meta.json the report prints, with the type it formats them as (a hand-edited or damaged file
# would otherwise stop the report with a TypeError)
_META_TYPES = {"source": (str, "a text"), "policy": (str, "a text"), "policy_file": (str, "a text"),
               "format": (str, "a text"), "messages": (int, "a whole number"),
               "no_reply_needed": (int, "a whole number")}


def read_broken_rows(folder: Path) -> list[tuple[int, str]]:
    broken = read_table(folder, "broken_rows.csv")
    if not len(broken):
        return []
    lines = pd.to_numeric(broken["line"], errors="coerce")
    if lines.isna().any():
        raise ConfigError(f"{printable(folder / 'broken_rows.csv')}: line: not a line number")
    return [(int(a), str(b)) for a, b in zip(lines, broken["reason"])]
