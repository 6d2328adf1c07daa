"""The bench's own schema (:mod:`qa.schema`) as CSV, JSON Lines or Parquet: reading and column-wise validation."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carebench_shared.config import ConfigError, sniff_text, undecoded_byte
from carebench_shared.safe_text import printable

from .readers_common import (TIME_YEARS, BadRows, ReadResult, blank_to_na, epoch_times, finish, norm_ids,
                             refuse_near_misses, refuse_no_text,
                             parse_bool, parse_time, within_years)
from .readers_csv import csv_header, iter_csv, open_text, string_columns
from .schema import MESSAGE_COLUMNS, REQUIRED_COLUMNS

__all__ = ["validate_own", "OwnCsv", "OwnJsonl", "OwnParquet", "MAX_FOLLOWERS", "MAX_ORDER_VALUE"]

MAX_FOLLOWERS = 1e12  # a follower count beyond this is a broken value, not an account
MAX_ORDER_VALUE = 1e12
PURCHASE_YEARS = (1900, 2200)  # a purchase date outside these years is a broken value


def validate_own(df: pd.DataFrame, lines: np.ndarray, broken: list[tuple[int, str]], fmt: str) -> ReadResult:
    """Column-wise validation of own-schema rows; bad rows are reported and dropped."""
    for col in MESSAGE_COLUMNS:
        if col not in df.columns:
            df[col] = pd.NA
    df = df[list(MESSAGE_COLUMNS)].copy()
    rows = BadRows(len(df), broken, lines)
    flag, bad = rows.flag, rows.bad

    for col in ("message_id", "thread_id", "parent_id"):
        df[col] = norm_ids(df[col])
    for col in ("message_id", "thread_id"):
        flag(df[col].isna(), f"{col}: empty")
    flag((df["parent_id"] == df["message_id"]).fillna(False), "parent_id: the message replies to itself")
    role = df["role"].astype("string").str.strip().str.lower()
    flag(~role.isin(["customer", "brand"]).fillna(False), "role: must be 'customer' or 'brand'")
    df["role"] = role
    numeric, epoch = epoch_times(df["created_at"])
    raw_time = blank_to_na(df["created_at"].astype("string").mask(numeric, pd.NA))
    created = parse_time(raw_time)
    if numeric.any():
        created = created.dt.as_unit("ns").mask(numeric, epoch.dt.as_unit("ns"))
    df["created_at"] = within_years(created, TIME_YEARS)
    flag(numeric & epoch.isna(), "created_at: a number that is not a Unix time between 1980 and 2200 "
                                 "(in seconds, milliseconds, microseconds or nanoseconds)")
    flag(df["created_at"].isna(), "created_at: not a date and time from 1980 to 2200")
    public, bad_public = parse_bool(df["public"])
    flag(bad_public, "public: expected true or false")
    df["public"] = public.fillna(True).astype(bool)
    followers = pd.to_numeric(blank_to_na(df["customer_followers"]), errors="coerce").astype("float64")
    ok = followers.between(0, MAX_FOLLOWERS)  # also refuses inf and NaN written as numbers
    flag(~ok & blank_to_na(df["customer_followers"]).notna(),
         f"customer_followers: expected a whole number from 0 to {MAX_FOLLOWERS:.0e}")
    df["customer_followers"] = followers.where(ok).round().astype("Int64")
    value = pd.to_numeric(blank_to_na(df["order_value"]), errors="coerce").astype("float64")
    ok = value.between(0, MAX_ORDER_VALUE)
    flag(~ok & blank_to_na(df["order_value"]).notna(),
         f"order_value: expected a number from 0 to {MAX_ORDER_VALUE:.0e}")
    df["order_value"] = value.where(ok)
    raw_pd = blank_to_na(df["purchase_date"].astype("string"))
    pdate = within_years(pd.to_datetime(raw_pd, format="ISO8601", errors="coerce", utc=True), PURCHASE_YEARS)
    flag(pdate.isna() & raw_pd.notna(), "purchase_date: expected a date (YYYY-MM-DD) from 1900 to 2200")
    df["purchase_date"] = pdate.dt.tz_localize(None).dt.normalize()
    for col in ("author_id", "brand", "channel", "text", "language", "agent_id", "product", "issue_category"):
        df[col] = df[col].astype("string")
    df["author_id"] = df["author_id"].fillna("")
    df["brand"] = df["brand"].fillna("")
    df["channel"] = df["channel"].fillna("twitter").str.strip().str.lower().replace("", "twitter")
    df["text"] = df["text"].fillna("")
    _flag_nul(df, flag, fmt)
    dup = df["message_id"].duplicated(keep="first") & df["message_id"].notna()
    flag(dup & ~bad, "message_id: duplicate (first occurrence kept)")
    df = df[~bad]
    return finish(df, broken, fmt)


_TEXT_COLUMNS = ("message_id", "thread_id", "parent_id", "author_id", "brand", "channel", "text", "language",
                 "agent_id", "product", "issue_category")


def _flag_nul(df: pd.DataFrame, flag, fmt: str) -> None:  # noqa: ANN001 - BadRows.flag
    """A NUL character in a text (JSON's ``\\u0000``, a Parquet string) is a broken row, as a NUL byte in a CSV row
    is (its reader reports those): kept, it would be written into scores.csv, which no later command reads."""
    if fmt == "own-csv":
        return
    for col in _TEXT_COLUMNS:
        flag(df[col].str.contains("\x00", regex=False).fillna(False).to_numpy(dtype=bool),
             f"{col}: a NUL character (binary data) in the row")


class OwnCsv:
    """The own schema as CSV: a header naming at least the required columns."""

    name = "own-csv"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return header is not None and set(REQUIRED_COLUMNS) <= set(header)

    def read(self, path: Path) -> ReadResult:
        header = csv_header(path) or []
        broken: list[tuple[int, str]] = []
        cols, lines = string_columns(iter_csv(path, len(header), broken), len(header))
        df = pd.DataFrame({h: c for h, c in zip(header, cols) if h in MESSAGE_COLUMNS})
        del cols
        return validate_own(df, lines, broken, self.name)


class OwnJsonl:
    """The own schema as JSON Lines: one object per line."""

    name = "own-jsonl"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return path.suffix.lower() in (".jsonl", ".ndjson", ".json")

    def read(self, path: Path) -> ReadResult:
        broken: list[tuple[int, str]] = []
        records: list[dict[str, Any]] = []
        lines: list[int] = []
        sniff_text(path, "JSON Lines", rows=True)
        with open_text(path) as fh:
            for i, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                problem, obj = _json_object(raw)
                problem = problem or undecoded_byte(raw)
                if problem:
                    broken.append((i, problem))
                    continue
                records.append(obj)
                lines.append(i)
        if broken and not records:  # not one object: another kind of file, not JSON Lines with a few bad rows
            line, problem = broken[0]
            raise ConfigError(f"{printable(path)}:{line}: not JSON Lines (one JSON object per line): {problem}"
                              + (f"; {len(broken) - 1} more such lines" if len(broken) > 1 else ""))
        df = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=list(MESSAGE_COLUMNS))
        df = df.astype({c: "object" for c in df.columns})
        refuse_near_misses(printable(path), df.columns, MESSAGE_COLUMNS, "key")
        if len(df) and "message_id" not in df.columns:
            raise ConfigError(f"{printable(path)}: unknown format: JSON objects without 'message_id' (see "
                              "`carebench qa schema`)")
        return validate_own(df, np.asarray(lines, dtype=np.int64), broken, self.name)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):  # 1e400: JSON allows the digits, no float holds them
        raise ValueError(f"the number {printable(text, 40)} is too large")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"key '{printable(twice, 40)}' given twice")
    return obj


def _json_object(raw: str) -> tuple[str | None, Any]:
    """(problem, object) of one JSON line: the problem (a broken row's reason) or None and the object.

    Refused beyond what :func:`json.loads` refuses: ``NaN`` and ``Infinity`` (not JSON), a key given twice
    (which value was meant?), and a lone surrogate escape such as ``\\ud800`` (no character: it could not be
    written out as UTF-8)."""
    try:
        obj = json.loads(raw, parse_constant=_no_constant, parse_float=_finite, object_pairs_hook=_unique_keys)
    except RecursionError:
        return "not valid JSON: nested too deeply", None
    except ValueError as exc:  # JSONDecodeError, an integer of more than 4300 digits, or a refusal above
        return f"not valid JSON: {printable(getattr(exc, 'msg', exc), 80)}", None
    if not isinstance(obj, dict):
        return "expected a JSON object", None
    nested = next((k for k, v in obj.items() if isinstance(v, (dict, list)) and k in _COLUMN_SET), None)
    if nested is not None:  # its text would be Python's spelling of the object, not the user's value
        kind = "object" if isinstance(obj[nested], dict) else "array"
        return f"{nested}: expected a single value, got a JSON {kind}", None
    if "\\u" in raw and _SURROGATE.search(raw):
        try:
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return "not valid JSON: a lone surrogate escape (\\ud800-\\udfff) is not a character", None
    return None, obj


_COLUMN_SET = frozenset(MESSAGE_COLUMNS)
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class OwnParquet:
    """The own schema as Parquet, read batch by batch; 'line' numbers are 1-based row numbers."""

    name = "own-parquet"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return path.suffix.lower() in (".parquet", ".pq")

    def read(self, path: Path) -> ReadResult:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise ConfigError(f"{printable(path)}: cannot read Parquet file: "
                              f"{printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}") from None
        refuse_near_misses(printable(path), pf.schema_arrow.names, MESSAGE_COLUMNS)
        twice = next((c for c in MESSAGE_COLUMNS if pf.schema_arrow.names.count(c) > 1), None)
        if twice:  # which of the two is meant? (pandas would hand on a table where a column belongs)
            raise ConfigError(f"{printable(path)}: the file names column '{twice}' "
                              f"{pf.schema_arrow.names.count(twice)} times")
        names = set(pf.schema_arrow.names)
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise ConfigError(f"{printable(path)}: unknown format: Parquet columns lack {', '.join(missing)}")
        refuse_no_text(printable(path), pf.schema_arrow.names)
        nested = next((f for f in pf.schema_arrow if f.name in _COLUMN_SET and pa.types.is_nested(f.type)), None)
        if nested is not None:  # read on, each value would be Python's spelling of it ("['...']"), as in JSON Lines
            raise ConfigError(f"{printable(path)}: column '{nested.name}' holds lists or records "
                              f"({printable(str(nested.type), 60)}), not one value a row")
        cols = [c for c in MESSAGE_COLUMNS if c in names]
        try:
            parts = [b.to_pandas() for b in pf.iter_batches(batch_size=200_000, columns=cols)]
        except Exception as exc:  # a damaged page or an unsupported type  # noqa: BLE001
            raise ConfigError(f"{printable(path)}: cannot read Parquet file: "
                              f"{printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}") from None
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        for c in ("message_id", "thread_id", "parent_id"):  # a float id of NaN or inf is no id ("nan", "inf")
            if c in df.columns and pd.api.types.is_float_dtype(df[c]):
                df[c] = df[c].where(np.isfinite(df[c]))
        df = df.astype({c: "object" for c in df.columns if c != "created_at"})
        if "created_at" in df.columns and pd.api.types.is_datetime64_any_dtype(df["created_at"]):
            df["created_at"] = df["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f%z").astype("string")
        elif "created_at" in df.columns and not pd.api.types.is_numeric_dtype(df["created_at"]):
            df["created_at"] = df["created_at"].astype("string")  # numbers stay numbers: Unix times
        binary = [f.name for f in pf.schema_arrow if f.name in cols and (pa.types.is_binary(f.type)
                                                                         or pa.types.is_large_binary(f.type))]
        df, lines, broken = _decode_binary(df, binary)
        return validate_own(df, lines, broken, self.name)


def _decode_binary(df: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str]]]:
    """Parquet ``binary`` columns (bytes, not strings) decoded as UTF-8: a row holding bytes that are not UTF-8
    is a broken row, like such a row of a CSV file (pandas' string conversion stopped on it with a traceback).
    Returns the rows kept, their row numbers and the broken rows."""
    lines = np.arange(1, len(df) + 1, dtype=np.int64)
    bad = np.zeros(len(df), dtype=bool)
    broken: list[tuple[int, str]] = []
    for c in columns:
        values = df[c].to_numpy(dtype=object).copy()
        for i, v in enumerate(values):
            if isinstance(v, bytes):
                try:
                    values[i] = v.decode("utf-8")
                except UnicodeDecodeError:
                    values[i] = None
                    if not bad[i]:
                        bad[i] = True
                        broken.append((int(lines[i]), f"{c}: not UTF-8 text"))
        df[c] = values
    if not bad.any():
        return df, lines, broken
    return df[~bad].reset_index(drop=True), lines[~bad], sorted(broken)
