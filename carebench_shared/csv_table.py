"""Small CSV tables read whole with pandas (labels, a scores file to evaluate or report on): refused in one line
wherever pandas would read them wrong without a word.

Two silent misreadings: a header naming a column twice (pandas renames the second ``x`` to ``x.1``, so the first
one is used and the other ignored), and a first row with more fields than the header (pandas then takes the
extra leading fields as the row index, so every value lands one or more columns to the right of its name).
A file whose lines end in a bare carriage return (classic Mac) is refused as the reply files refuse it (its
whole text would be one header line). And one slow one: a header of 100,000 columns makes pandas build 100,000 columns for every row (a 336-row
requirement.csv: minutes), so a header of more than :data:`MAX_COLUMNS` columns is refused before pandas reads it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .config import ConfigError, refuse_binary_bytes, sniff_text
from .safe_text import printable

__all__ = ["read_csv_table", "refuse_misread", "refuse_wide_header", "MAX_COLUMNS"]

MAX_COLUMNS = 1_000  # carebench's own tables have at most about 50 (scores.csv); a labels file a few dozen
_HEADER_BYTES = 1 << 20  # a header line longer than this is no table of ours either


def refuse_misread(df: Any, shown: str) -> None:
    """One :class:`ConfigError` line if pandas read the table ``df`` (of the file ``shown``) wrong: see above."""
    import pandas as pd

    if not isinstance(df.index, pd.RangeIndex):  # only the first row can do this: a later one is a ParserError
        raise ConfigError(f"{shown}:2: the first row has more fields than the header has columns "
                          f"({len(df.columns)}); every value would be read under the wrong column")
    twice = next((c for c in df.columns if isinstance(c, str) and f"{c}.1" in df.columns), None)
    if twice is not None:
        raise ConfigError(f"{shown}: line 1: the header names column '{printable(twice, 40)}' twice")


def refuse_wide_header(path: str | Path, what: str) -> None:
    """One :class:`ConfigError` line if the header line of the CSV file at ``path`` holds more than
    :data:`MAX_COLUMNS` columns, or is longer than 1 MiB; only that line is read."""
    with open(path, "rb") as f:
        line = f.readline(_HEADER_BYTES + 1)
    if len(line) > _HEADER_BYTES:
        raise ConfigError(f"{printable(path)}: line 1: the header is longer than 1 MiB: not {what}")
    text = line.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if "\r" in text.rstrip("\r\n"):  # no LF: the whole file read as its header line (csv.Error, a traceback)
        raise ConfigError(f"{printable(path)}: line 1: lines end with a bare carriage return (CR, as old Mac "
                          "programs save CSV); save the file with LF or CRLF line ends")
    try:
        columns = len(next(csv.reader([text.rstrip("\r\n")]), []))
    except csv.Error as exc:  # a NUL, say: the table readers say more precisely what is wrong after this
        raise ConfigError(f"{printable(path)}: line 1: not {what}: {printable(str(exc), 80)}") from None
    if columns > MAX_COLUMNS:
        raise ConfigError(f"{printable(path)}: line 1: the header has {columns:,} columns, more than the "
                          f"{MAX_COLUMNS:,} {what} can have")


def read_csv_table(path: str | Path, what: str, **read_csv: Any):
    """The UTF-8 CSV file at ``path`` as a DataFrame (``read_csv`` passed to ``pd.read_csv``); anything that
    stops or misleads pandas is one :class:`ConfigError` line naming the file (and the line when known)."""
    import pandas as pd

    sniff_text(path, "CSV")  # a folder, a pipe, a device, UTF-16, binary: one line before pandas sees it
    refuse_binary_bytes(path, what)
    refuse_wide_header(path, what)
    try:
        df = pd.read_csv(path, encoding="utf-8", **read_csv)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{printable(path)}: cannot read {what}: {printable(first)}") from None
    refuse_misread(df, printable(path))
    return df
