"""Reading reply files into the bench's schema: own schema (CSV, JSONL, Parquet) and the public twcs format.

Each format is a small :class:`Format` object (``sniff`` + ``read``) in :data:`FORMATS`, tried in order, so a
format is added by adding an object: the own schema in :mod:`qa.readers_own`, twcs in :mod:`qa.readers_twcs`,
CSV records in :mod:`qa.readers_csv`, what they share in :mod:`qa.readers_common`. Readers stream the file
row by row (CSV, JSONL) or by record batch (Parquet) and validate whole columns at once with pandas, because exports run to millions of rows.

A row that cannot be read (wrong number of fields, a bare carriage return inside an unquoted field, an id or
date that does not parse, a duplicate id) is *reported* with its line number and skipped; the rest of the file
is kept. A file that cannot be read at all, or whose format is unknown, raises :class:`ConfigError` with one
line naming the file and the problem. CSV line numbers count ``\\n`` line ends, as editors and ``wc -l`` do,
and name the line where the record starts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from carebench_shared.config import ConfigError, regular_file
from carebench_shared.safe_text import printable

from .readers_common import Format, ReadResult, near_misses, refuse_near_misses, refuse_no_text
from .readers_csv import csv_header
from .readers_own import OwnCsv, OwnJsonl, OwnParquet
from .readers_twcs import TWCS_COLUMNS, Twcs
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

FORMATS: tuple[Format, ...] = (Twcs(), OwnCsv(), OwnParquet(), OwnJsonl())


_KNOWN = {"twcs": (TWCS_COLUMNS, TWCS_COLUMNS), "own-csv": (MESSAGE_COLUMNS, REQUIRED_COLUMNS)}  # columns, needed


def detect_format(path: str | Path) -> Format:
    """The format of ``path``, from its extension (Parquet, JSONL) or CSV header (twcs, own schema)."""
    path = Path(path)
    regular_file(path)
    header = None if path.suffix.lower() in (".parquet", ".pq", ".jsonl", ".ndjson", ".json") else csv_header(path)
    if header:
        counts = Counter(header)
        twice = [h for h in (*TWCS_COLUMNS, *MESSAGE_COLUMNS) if counts[h] > 1]
        if twice:  # which of the two columns is meant? Reading either would be a guess
            raise ConfigError(f"{printable(path)}: line 1: the header names column '{printable(twice[0], 40)}' "
                              f"{counts[twice[0]]} times")
    for fmt in FORMATS:
        if fmt.sniff(path, header):
            if header:  # 'Text' would be dropped silently: every reply scored as an empty text
                refuse_near_misses(f"{printable(path)}: line 1", header, _KNOWN[fmt.name][0])
                refuse_no_text(f"{printable(path)}: line 1", header)
            return fmt
    if header:
        for known, needed in _KNOWN.values():  # 'Tweet_ID': the file would be twcs with the column renamed
            if set(needed) <= {near_misses(header, known).get(h, h) for h in header}:
                refuse_near_misses(f"{printable(path)}: line 1", header, known)
        shown = printable(",".join(header), 120)
        raise ConfigError(
            f"{printable(path)}: line 1: unknown format: header '{shown}' is neither twcs ({','.join(TWCS_COLUMNS)}) "
            f"nor the own schema (needs {', '.join(REQUIRED_COLUMNS)})"
        )
    raise ConfigError(f"{printable(path)}: unknown format: expected CSV with a header, .jsonl or .parquet")


def read_messages(path: str | Path) -> ReadResult:
    """Read any supported reply file into the own schema; broken rows reported, not fatal."""
    path = Path(path)
    fmt = detect_format(path)
    try:
        return fmt.read(path)
    except MemoryError:  # JSON Lines and Parquet are read whole: a small file can unpack to millions of rows
        raise ConfigError(f"{printable(path)}: too large to read into memory as {fmt.name}; split it, or give it "
                          "as CSV (read in batches)") from None
