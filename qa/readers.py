"""Reading reply files into the bench's schema: own schema (CSV, JSONL, Parquet) and the public twcs format.

Each format is a small :class:`Format` object (``sniff`` + ``read``) in :data:`FORMATS`, tried in order, so a
format is added by adding an object. Readers stream the file row by row (CSV, JSONL) or by record batch
(Parquet) and validate whole columns at once with pandas, because exports run to millions of rows.

A row that cannot be read (wrong number of fields, a bare carriage return inside an unquoted field, an id or
date that does not parse, a duplicate id) is *reported* with its line number and skipped; the rest of the file
is kept. A file that cannot be read at all, or whose format is unknown, raises :class:`ConfigError` with one
line naming the file and the problem. CSV line numbers count ``\\n`` line ends, as editors and ``wc -l`` do,
and name the line where the record starts.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from carebench_shared.config import ConfigError, sniff_text
from carebench_shared.safe_text import printable

from .schema import MESSAGE_COLUMNS, REQUIRED_COLUMNS

__all__ = [
    "ReadResult",
    "Format",
    "FORMATS",
    "TWCS_COLUMNS",
    "read_messages",
    "detect_format",
    "ConfigError",
]

TWCS_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
                "in_response_to_tweet_id")
_TWCS_TIME = "%a %b %d %H:%M:%S %z %Y"
_FLOAT_ID = re.compile(r"^(\d+)\.0*$")
_AGENT_SIGNATURE = re.compile(r"(?:\^|(?<=\s)[-–~*/])\s?([A-Z]{2,4}|[A-Z][a-z]{2,11})\s*$")
_MENTION = re.compile(r"@([A-Za-z_][A-Za-z0-9_]{1,30})")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ReadResult:
    """Messages in the own schema, sorted by thread and time, plus the rows that were skipped."""

    messages: pd.DataFrame
    broken_rows: list[tuple[int, str]] = field(default_factory=list)
    format: str = ""


class Format(Protocol):
    name: str

    def sniff(self, path: Path, header: list[str] | None) -> bool: ...

    def read(self, path: Path) -> ReadResult: ...


# ---------------------------------------------------------------------------------------------------- helpers


MAX_RECORD_LINES = 1000  # physical lines one CSV record may span (an unbalanced quote stops there)
EPOCH_SECONDS = (315_532_800, 7_258_118_400)  # 1980-01-01 to 2200-01-01 UTC: the range of a plausible epoch
MAX_FOLLOWERS = 1e12  # a follower count beyond this is a broken value, not an account
MAX_ORDER_VALUE = 1e12


def _open_text(path: Path):
    """Text mode that splits lines on ``\\n`` only: a bare ``\\r`` stays inside its line (and is caught)."""
    try:
        return open(path, encoding="utf-8-sig", errors="replace", newline="\n")
    except OSError as exc:
        raise ConfigError(f"{printable(path)}: cannot read file: {exc.strerror or exc}") from None


def _csv_header(path: Path) -> list[str] | None:
    sniff_text(path, "CSV")
    with _open_text(path) as fh:
        try:
            first = fh.readline(1 << 16)
        except OSError as exc:
            raise ConfigError(f"{printable(path)}: cannot read file: {exc.strerror or exc}") from None
    if not first.strip():
        return None
    try:
        return [c.strip() for c in next(csv.reader([first.rstrip("\r\n")]))]
    except (csv.Error, StopIteration):
        return None


class _RecordTooLong(Exception):
    """A CSV record ran over :data:`MAX_RECORD_LINES` lines: an unbalanced quote, not a text with line breaks."""


class _Lines:
    """The physical lines of a CSV file for :mod:`csv`, numbered, with the lines of the current record kept so
    that after a broken record the reader can start again on the line after its first (resynchronise)."""

    def __init__(self, fh) -> None:
        self._fh = fh
        self._number = 0
        self._pending: deque[tuple[int, str]] = deque()
        self.record: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._pending:
            number, text = self._pending.popleft()
        else:
            text = next(self._fh)
            self._number += 1
            number = self._number
        self.record.append((number, text))
        if len(self.record) > MAX_RECORD_LINES:
            raise _RecordTooLong
        return text

    def resync(self) -> None:
        """Read again, as new records, every line of the current record but its first."""
        self._pending.extendleft(reversed(self.record[1:]))
        self.record = []


def _swallows_rows(record: list[tuple[int, str]], n_fields: int) -> bool:
    """Whether a record over several lines is an unbalanced quote rather than a text with line breaks: its
    quotes do not pair up (one opened on its first line was closed by a row after it, or never), or one of its
    later lines is, on its own, a complete row of ``n_fields`` fields (two stray quotes around real rows)."""
    if sum(t.count('"') for _, t in record) % 2:
        return True
    for _, text in record[1:]:
        try:
            fields = next(csv.reader([text.rstrip("\r\n")]), [])
        except csv.Error:
            continue
        if len(fields) == n_fields:
            return True
    return False


def _iter_csv(path: Path, n_fields: int, broken: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` for each well-formed data record; malformed ones go to ``broken`` once each.

    A broken record that spans several lines (an unbalanced quote swallows the lines after it) is reported at
    its first line, and the lines after that are read again as records of their own, so no valid row after a
    broken one is lost."""
    with _open_text(path) as fh:
        lines = _Lines(fh)
        reader = csv.reader(lines)
        try:
            next(reader)  # header
        except (StopIteration, csv.Error, _RecordTooLong):
            return
        while True:
            lines.record = []
            problem = None
            try:
                row = next(reader)
            except StopIteration:
                if not lines.record:
                    return
                problem = "unbalanced quote: the record runs to the end of the file"
            except csv.Error as exc:
                problem = str(exc)
                if "new-line character" in problem:
                    problem = "bare carriage return inside an unquoted field"
            except _RecordTooLong:
                problem = f"unbalanced quote: the record runs over more than {MAX_RECORD_LINES} lines"
            start = lines.record[0][0] if lines.record else 0
            span = len(lines.record)
            # a record over several lines is a quoted text with line breaks only if its quotes pair up: an odd
            # count means a quote opened on its first line was closed by (or ran into) the rows after it
            if problem is None and span > 1 and _swallows_rows(lines.record, n_fields):
                problem = f"unbalanced quote: a quoted field swallows the {span - 1} line(s) after it"
            if problem is None:
                if not row:
                    continue  # blank line
                if len(row) == n_fields:
                    yield start, row
                    continue
                problem = f"expected {n_fields} fields, found {len(row)}"
            broken.append((start, problem))
            if len(lines.record) > 1:
                lines.resync()
                reader = csv.reader(lines)  # a fresh parser: the old one may be inside a quoted field


_CHUNK_ROWS = 32_768  # records held as Python strings at a time while reading a CSV


def _string_columns(records: Iterator[tuple[int, list[str]]], n_fields: int,
                    chunk: int = _CHUNK_ROWS) -> tuple[list[pd.Series], np.ndarray]:
    """(one ``string`` Series per field, line numbers) of ``records``, ``chunk`` records at a time.

    Each chunk's fields go into Arrow arrays straight away, so that memory holds Arrow's compact strings
    rather than a Python object per field of every record (about 10x larger).
    """
    import pyarrow as pa

    typ = pa.large_string()  # what pandas' "string" dtype stores
    buffers: list[list[str]] = [[] for _ in range(n_fields)]
    parts: list[list[Any]] = [[] for _ in range(n_fields)]
    lines: list[np.ndarray] = []
    line_buf: list[int] = []

    def flush() -> None:
        for buf, part in zip(buffers, parts):
            part.append(pa.array(buf, type=typ))
            buf.clear()
        lines.append(np.asarray(line_buf, dtype=np.int64))
        line_buf.clear()

    for line, row in records:
        line_buf.append(line)
        for buf, v in zip(buffers, row):
            buf.append(v)
        if len(line_buf) >= chunk:
            flush()
    if line_buf or not lines:
        flush()
    cols = [pd.Series(pa.chunked_array(part, type=typ).combine_chunks(), dtype="string") for part in parts]
    return cols, np.concatenate(lines)


def _norm_ids(s: pd.Series) -> pd.Series:
    """Ids as strings, ``3.0`` -> ``3``, blanks -> NA."""
    s = s.astype("string").str.strip()
    s = s.str.replace(_FLOAT_ID, r"\1", regex=True)
    return s.mask(s == "", pd.NA)


def _blank_to_na(s: pd.Series) -> pd.Series:
    s = s.astype("string")
    return s.mask(s.str.strip() == "", pd.NA)


_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def _parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, bad mask); blanks are NA and not bad."""
    low = s.astype("string").str.strip().str.lower()
    val = pd.Series(pd.NA, index=s.index, dtype="boolean")
    val[low.isin(_TRUE)] = True
    val[low.isin(_FALSE)] = False
    bad = low.notna() & (low != "") & val.isna()
    return val, bad


def _parse_time(s: pd.Series, fmt: str | None = None) -> pd.Series:
    if fmt is not None:
        out = pd.to_datetime(s, format=fmt, errors="coerce", utc=True)
        rest = out.isna() & s.notna()
        if rest.any():  # a few rows in another form: try the general parser on those only
            out[rest] = pd.to_datetime(s[rest], format="mixed", errors="coerce", utc=True)
        return out
    return pd.to_datetime(s, format="ISO8601", errors="coerce", utc=True)


def _epoch_times(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(which values are numbers, those numbers read as Unix times in UTC, NaT when implausible).

    JSON and Parquet may carry times as numbers. The unit is read from the size of each number: from 1980 to
    2200 a time in seconds is 3e8 to 7e9, in milliseconds 1000 times that, and so on, so the four ranges never
    overlap and no number can be read in two units. A number outside all four is refused, not guessed.
    """
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        numeric = col.notna()
        values = col.astype("float64")
    else:
        numeric = col.map(lambda x: isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
            x, (bool, np.bool_)) and x == x, na_action="ignore").fillna(False).astype(bool)
        values = pd.to_numeric(col.where(numeric), errors="coerce").astype("float64")
    seconds = pd.Series(np.nan, index=col.index)
    lo, hi = EPOCH_SECONDS
    for scale in (1.0, 1e3, 1e6, 1e9):
        inside = values.between(lo * scale, hi * scale)
        seconds[inside] = values[inside] / scale
    epoch = pd.to_datetime(seconds, unit="s", utc=True, errors="coerce")
    return numeric.to_numpy(dtype=bool), epoch


def _report(broken: list[tuple[int, str]], lines: np.ndarray, mask: np.ndarray, reason: str) -> None:
    for line in lines[mask]:
        broken.append((int(line), reason))


def _finish(df: pd.DataFrame, broken: list[tuple[int, str]], fmt: str) -> ReadResult:
    df = df.sort_values(["thread_id", "created_at", "message_id"], kind="stable").reset_index(drop=True)
    broken.sort()
    return ReadResult(messages=df[list(MESSAGE_COLUMNS)], broken_rows=broken, format=fmt)


# ---------------------------------------------------------------------------------------------- own schema


def _validate_own(df: pd.DataFrame, lines: np.ndarray, broken: list[tuple[int, str]], fmt: str) -> ReadResult:
    """Column-wise validation of own-schema rows; bad rows are reported and dropped."""
    for col in MESSAGE_COLUMNS:
        if col not in df.columns:
            df[col] = pd.NA
    df = df[list(MESSAGE_COLUMNS)].copy()
    bad = np.zeros(len(df), dtype=bool)

    def flag(mask, reason):
        nonlocal bad
        mask = np.asarray(mask, dtype=bool) & ~bad
        _report(broken, lines, mask, reason)
        bad |= mask

    for col in ("message_id", "thread_id", "parent_id"):
        df[col] = _norm_ids(df[col])
    for col in ("message_id", "thread_id"):
        flag(df[col].isna(), f"{col}: empty")
    role = df["role"].astype("string").str.strip().str.lower()
    flag(~role.isin(["customer", "brand"]).fillna(False), "role: must be 'customer' or 'brand'")
    df["role"] = role
    numeric, epoch = _epoch_times(df["created_at"])
    raw_time = _blank_to_na(df["created_at"].astype("string").mask(numeric, pd.NA))
    created = _parse_time(raw_time)
    if numeric.any():
        created = created.dt.as_unit("ns").mask(numeric, epoch.dt.as_unit("ns"))
    df["created_at"] = created
    flag(numeric & epoch.isna(), "created_at: a number that is not a Unix time between 1980 and 2200 "
                                 "(in seconds, milliseconds, microseconds or nanoseconds)")
    flag(df["created_at"].isna(), "created_at: not a date and time")
    public, bad_public = _parse_bool(df["public"])
    flag(bad_public, "public: expected true or false")
    df["public"] = public.fillna(True).astype(bool)
    followers = pd.to_numeric(_blank_to_na(df["customer_followers"]), errors="coerce").astype("float64")
    ok = followers.between(0, MAX_FOLLOWERS)  # also refuses inf and NaN written as numbers
    flag(~ok & _blank_to_na(df["customer_followers"]).notna(),
         f"customer_followers: expected a whole number from 0 to {MAX_FOLLOWERS:.0e}")
    df["customer_followers"] = followers.where(ok).round().astype("Int64")
    value = pd.to_numeric(_blank_to_na(df["order_value"]), errors="coerce").astype("float64")
    ok = value.between(0, MAX_ORDER_VALUE)
    flag(~ok & _blank_to_na(df["order_value"]).notna(),
         f"order_value: expected a number from 0 to {MAX_ORDER_VALUE:.0e}")
    df["order_value"] = value.where(ok)
    raw_pd = _blank_to_na(df["purchase_date"].astype("string"))
    pdate = pd.to_datetime(raw_pd, format="ISO8601", errors="coerce", utc=True)
    flag(pdate.isna() & raw_pd.notna(), "purchase_date: expected a date (YYYY-MM-DD)")
    df["purchase_date"] = pdate.dt.tz_localize(None).dt.normalize()
    for col in ("author_id", "brand", "channel", "text", "language", "agent_id", "product", "issue_category"):
        df[col] = df[col].astype("string")
    df["author_id"] = df["author_id"].fillna("")
    df["brand"] = df["brand"].fillna("")
    df["channel"] = df["channel"].fillna("twitter").str.strip().str.lower().replace("", "twitter")
    df["text"] = df["text"].fillna("")
    dup = df["message_id"].duplicated(keep="first") & df["message_id"].notna()
    flag(dup & ~bad, "message_id: duplicate (first occurrence kept)")
    df = df[~bad]
    return _finish(df, broken, fmt)


class OwnCsv:
    """The own schema as CSV: a header naming at least the required columns."""

    name = "own-csv"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return header is not None and set(REQUIRED_COLUMNS) <= set(header)

    def read(self, path: Path) -> ReadResult:
        header = _csv_header(path) or []
        broken: list[tuple[int, str]] = []
        cols, lines = _string_columns(_iter_csv(path, len(header), broken), len(header))
        df = pd.DataFrame({h: c for h, c in zip(header, cols) if h in MESSAGE_COLUMNS})
        del cols
        return _validate_own(df, lines, broken, self.name)


class OwnJsonl:
    """The own schema as JSON Lines: one object per line."""

    name = "own-jsonl"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return path.suffix.lower() in (".jsonl", ".ndjson", ".json")

    def read(self, path: Path) -> ReadResult:
        broken: list[tuple[int, str]] = []
        records: list[dict[str, Any]] = []
        lines: list[int] = []
        sniff_text(path, "JSON Lines")
        with _open_text(path) as fh:
            for i, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw)
                except RecursionError:
                    broken.append((i, "not valid JSON: nested too deeply"))
                    continue
                except ValueError as exc:  # JSONDecodeError, or an integer of more than 4300 digits
                    broken.append((i, f"not valid JSON: {printable(getattr(exc, 'msg', exc), 80)}"))
                    continue
                if not isinstance(obj, dict):
                    broken.append((i, "expected a JSON object"))
                    continue
                records.append(obj)
                lines.append(i)
        df = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=list(MESSAGE_COLUMNS))
        df = df.astype({c: "object" for c in df.columns})
        if len(df) and "message_id" not in df.columns:
            raise ConfigError(f"{printable(path)}: unknown format: JSON objects without 'message_id' (see "
                              "`carebench qa schema`)")
        return _validate_own(df, np.asarray(lines, dtype=np.int64), broken, self.name)


class OwnParquet:
    """The own schema as Parquet, read batch by batch; 'line' numbers are 1-based row numbers."""

    name = "own-parquet"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return path.suffix.lower() in (".parquet", ".pq")

    def read(self, path: Path) -> ReadResult:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise ConfigError(f"{printable(path)}: cannot read Parquet file: "
                              f"{printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}") from None
        names = set(pf.schema_arrow.names)
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise ConfigError(f"{printable(path)}: unknown format: Parquet columns lack {', '.join(missing)}")
        cols = [c for c in MESSAGE_COLUMNS if c in names]
        try:
            parts = [b.to_pandas() for b in pf.iter_batches(batch_size=200_000, columns=cols)]
        except Exception as exc:  # a damaged page or an unsupported type  # noqa: BLE001
            raise ConfigError(f"{printable(path)}: cannot read Parquet file: "
                              f"{printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}") from None
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        df = df.astype({c: "object" for c in df.columns if c != "created_at"})
        if "created_at" in df.columns and pd.api.types.is_datetime64_any_dtype(df["created_at"]):
            df["created_at"] = df["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f%z").astype("string")
        elif "created_at" in df.columns and not pd.api.types.is_numeric_dtype(df["created_at"]):
            df["created_at"] = df["created_at"].astype("string")  # numbers stay numbers: Unix times
        return _validate_own(df, np.arange(1, len(df) + 1, dtype=np.int64), [], self.name)


# --------------------------------------------------------------------------------------------------- twcs


class Twcs:
    """The public "Customer Support on Twitter" CSV, detected by its exact header; threads from reply links."""

    name = "twcs"

    def sniff(self, path: Path, header: list[str] | None) -> bool:
        return header is not None and tuple(header) == TWCS_COLUMNS

    def read(self, path: Path) -> ReadResult:
        broken: list[tuple[int, str]] = []
        cols, lines = _string_columns(_iter_csv(path, len(TWCS_COLUMNS), broken), len(TWCS_COLUMNS))
        raw = pd.DataFrame(dict(zip(TWCS_COLUMNS, cols)))
        del cols
        return build_twcs_threads(raw, lines, broken)


def build_twcs_threads(raw: pd.DataFrame, lines: np.ndarray, broken: list[tuple[int, str]]) -> ReadResult:
    """Validate twcs rows and rebuild threads as connected components of the reply links.

    Only links between tweets present in the file join threads: a tweet whose parent is missing (a dangling
    reference) starts its own thread, so customers replying to one absent promotional tweet are not merged.
    """
    bad = np.zeros(len(raw), dtype=bool)

    def flag(mask, reason):
        nonlocal bad
        mask = np.asarray(mask, dtype=bool) & ~bad
        _report(broken, lines, mask, reason)
        bad |= mask

    tid = _norm_ids(raw["tweet_id"])
    flag(~tid.str.fullmatch(r"\d+").fillna(False), "tweet_id: not an integer id")
    inbound, bad_inbound = _parse_bool(raw["inbound"])
    flag(bad_inbound | inbound.isna(), "inbound: expected True or False")
    created = _parse_time(_blank_to_na(raw["created_at"]), _TWCS_TIME)
    flag(created.isna(), "created_at: not a date and time")
    parent = _norm_ids(raw["in_response_to_tweet_id"])
    flag(parent.notna() & ~parent.str.fullmatch(r"\d+").fillna(False), "in_response_to_tweet_id: not an id")
    flag(tid.duplicated(keep="first") & tid.notna(), "tweet_id: duplicate (first occurrence kept)")
    keep = ~bad
    tid, parent, created = tid[keep].reset_index(drop=True), parent[keep].reset_index(drop=True), created[keep]
    author = raw["author_id"][keep].fillna("").str.strip().reset_index(drop=True)
    text = raw["text"][keep].fillna("").reset_index(drop=True)
    responses = raw["response_tweet_id"][keep].fillna("").reset_index(drop=True)
    is_brand = ~inbound[keep].astype(bool).reset_index(drop=True)
    n = len(tid)

    index = pd.Index(tid)
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    par_pos = index.get_indexer(parent.fillna("-"))
    ok = par_pos >= 0
    src.append(np.flatnonzero(ok))
    dst.append(par_pos[ok])
    resp = responses.str.replace(r"\.0+(?=,|$)", "", regex=True).str.split(",").explode().str.strip()
    resp = resp[resp.fillna("") != ""]
    r_pos = index.get_indexer(resp)
    ok = r_pos >= 0
    src.append(resp.index.to_numpy()[ok])
    dst.append(r_pos[ok])
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    a, b = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    # thread id: the smallest tweet id of the component, compared as whole numbers without going through
    # float (19-digit tweet ids do not fit a float64): by length without leading zeros, then as text
    tid_arr = tid.to_numpy(dtype=object)
    digits = np.array([t.lstrip("0") for t in tid_arr], dtype=object)
    order = np.lexsort((digits.astype(str), np.fromiter(map(len, digits), np.int64, n), comp))
    first = np.ones(n, dtype=bool)
    first[1:] = comp[order][1:] != comp[order][:-1]
    root_of = np.empty(comp.max() + 1 if n else 0, dtype=object)
    root_of[comp[order][first]] = tid_arr[order][first]
    thread_id = pd.Series(root_of[comp] if n else [], dtype="string")

    # the thread's brand: its brand accounts' most common name (ties: the one seen first); else the first
    # @handle customers address
    b_mask = is_brand.to_numpy(dtype=bool)
    brand = pd.Series(pd.NA, index=range(n), dtype="string")
    if b_mask.any():
        counts = (pd.DataFrame({"c": comp[b_mask], "a": author[b_mask].to_numpy(), "pos": np.flatnonzero(b_mask)})
                  .groupby(["c", "a"], sort=False).agg(k=("pos", "size"), first=("pos", "min")).reset_index()
                  .sort_values(["c", "k", "first"], ascending=[True, False, True], kind="stable")
                  .drop_duplicates("c"))
        brand_of = pd.Series(counts["a"].to_numpy(), index=counts["c"].to_numpy())
        brand = pd.Series(brand_of.reindex(comp).to_numpy(), dtype="string")
    if brand.isna().any():
        handle = text.str.extract(_MENTION, expand=False)
        handle = handle.where(~handle.fillna("0").str.fullmatch(r"\d+"))
        first_handle = pd.Series(handle.to_numpy()).groupby(comp).transform("first")
        brand = brand.fillna(first_handle)
    agent = text.str.extract(_AGENT_SIGNATURE, expand=False)
    agent = (author + "/" + agent).where(is_brand & agent.notna())

    df = pd.DataFrame({
        "message_id": tid,
        "thread_id": thread_id,
        "parent_id": parent,
        "role": np.where(is_brand, "brand", "customer"),
        "author_id": author,
        "brand": brand.fillna("").astype("string"),
        "channel": "twitter",
        "public": True,
        "created_at": created.reset_index(drop=True),
        "text": text,
        "language": pd.Series(pd.NA, index=range(n), dtype="string"),
        "agent_id": agent.astype("string"),
        "customer_followers": pd.Series(pd.NA, index=range(n), dtype="Int64"),
        "purchase_date": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"),
        "order_value": np.nan,
        "product": pd.Series(pd.NA, index=range(n), dtype="string"),
        "issue_category": pd.Series(pd.NA, index=range(n), dtype="string"),
    })
    return _finish(df, broken, "twcs")


FORMATS: tuple[Format, ...] = (Twcs(), OwnCsv(), OwnParquet(), OwnJsonl())


def detect_format(path: str | Path) -> Format:
    """The format of ``path``, from its extension (Parquet, JSONL) or CSV header (twcs, own schema)."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{printable(path)}: cannot read file: no such file")
    if path.is_dir():
        raise ConfigError(f"{printable(path)}: cannot read file: it is a folder")
    header = None if path.suffix.lower() in (".parquet", ".pq", ".jsonl", ".ndjson", ".json") else _csv_header(path)
    for fmt in FORMATS:
        if fmt.sniff(path, header):
            return fmt
    if header:
        shown = printable(",".join(header), 120)
        raise ConfigError(
            f"{printable(path)}: line 1: unknown format: header '{shown}' is neither twcs ({','.join(TWCS_COLUMNS)}) "
            f"nor the own schema (needs {', '.join(REQUIRED_COLUMNS)})"
        )
    raise ConfigError(f"{printable(path)}: unknown format: expected CSV with a header, .jsonl or .parquet")


def read_messages(path: str | Path) -> ReadResult:
    """Read any supported reply file into the own schema; broken rows reported, not fatal."""
    path = Path(path)
    return detect_format(path).read(path)
