"""What the reply-file readers share: the result type, the format protocol and column-wise value parsing.

Values are parsed a whole column at a time with pandas (exports run to millions of rows); a value that does
not parse is reported with its line number by the format's validation and its row dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from carebench_shared.config import ConfigError
from carebench_shared.safe_text import printable

from .schema import MESSAGE_COLUMNS

__all__ = ["ReadResult", "Format", "norm_ids", "blank_to_na", "parse_bool", "parse_time", "epoch_times",
           "report_rows", "finish", "EPOCH_SECONDS", "within_years", "TIME_YEARS", "near_misses", "refuse_near_misses",
           "refuse_no_text"]

FLOAT_ID = re.compile(r"^(\d+)\.0*$")
_ASCII_FLOAT_ID = r"^([0-9]+)\.0*$"  # FLOAT_ID on ASCII text, written for RE2 (ids are stripped: no final "\n")
EPOCH_SECONDS = (315_532_800, 7_258_118_400)  # 1980-01-01 to 2200-01-01 UTC: the range of a plausible epoch
TIME_YEARS = (1980, 2200)  # a message's time from 1980-01-01 up to 2200-01-01 (UTC), as for numbers above


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


def norm_ids(s: pd.Series) -> pd.Series:
    """Ids as strings, ``3.0`` -> ``3``, blanks -> NA."""
    s = s.astype("string").str.strip()
    dotted = s.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
    if dotted.any():  # the pattern needs a dot: the rest (most ids) is not handed to re one by one
        s = s.copy()
        part = s[dotted]
        # on ASCII ids [0-9] is what \d matches, and as a plain pattern Arrow's RE2 replaces in C, not per id
        ascii_ids = bool(part.str.isascii().all())
        s[dotted] = part.str.replace(_ASCII_FLOAT_ID if ascii_ids else FLOAT_ID, r"\1", regex=True)
    return s.mask(s == "", pd.NA)


def blank_to_na(s: pd.Series) -> pd.Series:
    s = s.astype("string")
    return s.mask(s.str.strip() == "", pd.NA)


_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, bad mask); blanks are NA and not bad."""
    low = s.astype("string").str.strip().str.lower()
    val = pd.Series(pd.NA, index=s.index, dtype="boolean")
    val[low.isin(_TRUE)] = True
    val[low.isin(_FALSE)] = False
    bad = low.notna() & (low != "") & val.isna()
    return val, bad


def parse_time(s: pd.Series, fmt: str | None = None) -> pd.Series:
    if fmt is not None:
        out = pd.to_datetime(s, format=fmt, errors="coerce", utc=True)
        rest = out.isna() & s.notna()
        if rest.any():  # a few rows in another form: try the general parser on those only
            out[rest] = pd.to_datetime(s[rest], format="mixed", errors="coerce", utc=True)
        return out
    return pd.to_datetime(s, format="ISO8601", errors="coerce", utc=True)


def within_years(times: pd.Series, years: tuple[int, int]) -> pd.Series:
    """``times`` (tz-aware or naive) with those outside ``years[0]``-01-01 up to ``years[1]``-01-01 made NaT.

    A date in the year 1 or 9999 parses, but no later step can subtract or store it (pandas' nanoseconds end
    in 2262): it is a broken value, reported at its line, not a crash after the whole file was read."""
    tz = getattr(times.dt, "tz", None)
    lo, hi = (pd.Timestamp(f"{y}-01-01", tz=tz) for y in years)
    return times.where((times >= lo) & (times < hi))


def epoch_times(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(which values are numbers, those numbers read as Unix times in UTC, NaT when implausible).

    JSON and Parquet may carry times as numbers. The unit is read from the size of each number: from 1980 to
    2200 a time in seconds is 3e8 to 7e9, in milliseconds 1000 times that, and so on, so the four ranges never
    overlap and no number can be read in two units. A number outside all four is refused, not guessed.
    """
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        numeric = col.notna()
        values = col.astype("float64")
    else:
        # mapped as objects: a text column of nothing but nulls maps to text, and text refuses fillna(False)
        numeric = col.astype(object).map(lambda x: isinstance(x, (int, float, np.integer, np.floating)) and not
                                         isinstance(x, (bool, np.bool_)) and x == x,
                                         na_action="ignore").fillna(False).astype(bool)
        values = pd.to_numeric(col.where(numeric), errors="coerce").astype("float64")
    seconds = pd.Series(np.nan, index=col.index)
    lo, hi = EPOCH_SECONDS
    for scale in (1.0, 1e3, 1e6, 1e9):
        inside = values.between(lo * scale, hi * scale)
        seconds[inside] = values[inside] / scale
    epoch = pd.to_datetime(seconds, unit="s", utc=True, errors="coerce")
    return numeric.to_numpy(dtype=bool), epoch


def report_rows(broken: list[tuple[int, str]], lines: np.ndarray, mask: np.ndarray, reason: str) -> None:
    for line in lines[mask]:
        broken.append((int(line), reason))


class BadRows:
    """The rows of one file found broken so far: each is reported once, with the first reason found, and
    dropped (``bad`` is the mask of them)."""

    def __init__(self, count: int, broken: list[tuple[int, str]], lines: np.ndarray) -> None:
        self.bad = np.zeros(count, dtype=bool)
        self.broken, self.lines = broken, lines

    def flag(self, mask, reason: str) -> None:
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        report_rows(self.broken, self.lines, mask, reason)
        self.bad |= mask


def finish(df: pd.DataFrame, broken: list[tuple[int, str]], fmt: str) -> ReadResult:
    df = df.sort_values(["thread_id", "created_at", "message_id"], kind="stable").reset_index(drop=True)
    broken.sort()
    return ReadResult(messages=df[list(MESSAGE_COLUMNS)], broken_rows=broken, format=fmt)


def _folded(name: object) -> str:
    """A column name without case, spaces, underscores, hyphens or invisible characters (zero-width, BOM)."""
    text = unicodedata.normalize("NFKC", str(name))
    return "".join(c for c in text if not (c.isspace() or c in "_-" or unicodedata.category(c) == "Cf")).casefold()


def near_misses(names: Iterable[object], known: Iterable[str]) -> dict[object, str]:
    """Each name that is not a known column but would be once case, spaces or invisible characters are set aside
    ('Text', 'text\u200b', 'created at'), with the column it would be; a known column also given exactly is none."""
    names = list(names)
    folded = {_folded(k): k for k in known if k not in set(names)}
    return {n: folded[_folded(n)] for n in names if _folded(n) in folded}


def refuse_near_misses(source: str, names: Iterable[object], known: Iterable[str], where: str = "column") -> None:
    """One :class:`ConfigError` line for the first of :func:`near_misses`: silently dropped, the file would be
    scored without it (every text empty)."""
    for name, meant in near_misses(names, known).items():
        raise ConfigError(f"{source}: {where} '{printable(name, 60)}' differs from '{meant}' only in case, "
                          "spaces or invisible characters; rename it")


def refuse_no_text(where: str, columns: list[str]) -> None:
    """A reply file with no ``text`` column at all: every reply would be audited as an empty text, and pass. (A
    message's text may be empty; a file's texts cannot all be missing.)"""
    if "text" not in columns:
        raise ConfigError(f"{where}: no 'text' column: the replies cannot be audited without their texts")
