"""CSV records of a reply file, one at a time, with line numbers; malformed records reported, not fatal.

Shared by both CSV formats (:mod:`qa.readers_own`, :mod:`qa.readers_twcs`) and by the batch reader
(:mod:`qa.batches`). Lines are counted at ``\\n`` line ends, as editors and ``wc -l`` do; a record is named by
the line where it starts. A record that spans many lines because of an unbalanced quote is reported and the
lines it swallowed are read again as records of their own.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carebench_shared.config import ConfigError, sniff_text, undecoded_byte
from carebench_shared.safe_text import printable

__all__ = ["open_text", "csv_header", "iter_csv", "plan_records", "string_columns", "MAX_RECORD_LINES", "CHUNK_ROWS"]

MAX_LINE_CHARS = 16 << 20  # a line (and a field) longer than this is a broken row, skipped without holding it
csv.field_size_limit(MAX_LINE_CHARS)

MAX_RECORD_LINES = 1000  # physical lines one CSV record may span (an unbalanced quote stops there)
CHUNK_ROWS = 32_768  # records held as Python strings at a time while reading a CSV
_TRANSPOSE_ROWS = 4_096  # records held as lists before their fields join the columns' lists


def open_text(path: Path, errors: str = "surrogateescape"):
    """Text mode that splits lines on ``\\n`` only: a bare ``\\r`` stays inside its line (and is caught). Bytes
    that are not UTF-8 are kept as escapes, so that their row is reported (:func:`undecoded_byte`), not
    silently changed; ``errors="strict"`` raises at the first instead."""
    try:
        return open(path, encoding="utf-8-sig", errors=errors, newline="\n")
    except OSError as exc:
        raise ConfigError(f"{printable(path)}: cannot read file: {exc.strerror or exc}") from None


def csv_header(path: Path) -> list[str] | None:
    sniff_text(path, "CSV", rows=True)
    with open_text(path) as fh:
        try:
            first = fh.readline(1 << 16)
        except OSError as exc:
            raise ConfigError(f"{printable(path)}: cannot read file: {exc.strerror or exc}") from None
    if not first.strip():
        return None
    if "\n" not in first and "\r" in first.rstrip("\r"):  # the whole file (or 64 KB of it) read as one line
        raise ConfigError(f"{printable(path)}: line 1: lines end with a bare carriage return (CR, as old Mac "
                          "programs save CSV); save the file with LF or CRLF line ends")
    if len(first) >= 1 << 16 and not first.endswith("\n"):  # read on, its cut would be taken for the header
        raise ConfigError(f"{printable(path)}: line 1: the header is longer than 64 KiB ({first.count(',') + 1:,} "
                          "columns in its first 64 KiB): not the header of a reply file")
    try:
        return [c.strip() for c in next(csv.reader([first.rstrip("\r\n")]))]
    except (csv.Error, StopIteration):
        return None


class _LineTooLong(Exception):
    """A physical line longer than :data:`MAX_LINE_CHARS` (skipped unread: holding it could exhaust memory)."""


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
            text = self._fh.readline(MAX_LINE_CHARS)
            if not text:
                raise StopIteration
            self._number += 1
            number = self._number
            if len(text) == MAX_LINE_CHARS and not text.endswith("\n"):  # a 2 GB line: skip it in pieces
                while (more := self._fh.readline(MAX_LINE_CHARS)) and not more.endswith("\n"):
                    pass
                self.record.append((number, "\n"))  # read again after a resync: a blank line
                raise _LineTooLong
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


def iter_csv(path: Path, n_fields: int, broken: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` for each well-formed data record; malformed ones go to ``broken`` once each.

    A broken record that spans several lines (an unbalanced quote swallows the lines after it) is reported at
    its first line, and the lines after that are read again as records of their own, so no valid row after a
    broken one is lost (:func:`_careful_records`). While every record fills one line with ``n_fields`` fields
    (or the line is blank), ``csv.reader`` alone reads them, its line count naming them: the careful reader
    would yield exactly these, and its line bookkeeping costs as much as the parsing. At the first record that
    is not so, the careful reader reads the file from the start and the records already given are skipped.
    """
    given = 0
    with open_text(path, errors="strict") as fh:  # a byte that is not UTF-8: the careful reader reports its row
        reader = csv.reader(fh)
        try:
            next(reader)  # header
            last = reader.line_num
            if last == 1 and not _holds_nul(path):  # csv.reader keeps a NUL: the careful reader reports its row
                for row in reader:
                    if reader.line_num != last + 1 or (row and len(row) != n_fields):
                        break
                    last += 1
                    if row:
                        given += 1
                        yield last, row
                else:
                    return
        except (StopIteration, csv.Error, UnicodeDecodeError, MemoryError):  # MemoryError: a line of gigabytes
            pass
    yield from islice(_careful_records(path, n_fields, broken), given, None)


def _holds_nul(path: Path) -> bool:
    """Whether the file holds a NUL byte anywhere (one pass at memory speed, in blocks)."""
    with open(path, "rb") as f:
        return any(b"\x00" in block for block in iter(lambda: f.read(1 << 20), b""))


def plan_records(path: Path, n_fields: int) -> Iterator[list[str]]:
    """The fields of each record :func:`iter_csv` yields, without line numbers or broken rows (a first pass)."""
    return (row for _, row in iter_csv(path, n_fields, []))


def _careful_records(path: Path, n_fields: int, broken: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """:func:`iter_csv` with its line bookkeeping on every record: each record's physical lines are kept, so
    that after a broken record the lines it swallowed are read again."""
    with open_text(path) as fh:
        lines = _Lines(fh)
        reader = csv.reader(lines)
        try:
            next(reader)  # header
        except (StopIteration, csv.Error, _RecordTooLong, _LineTooLong):
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
            except _LineTooLong:
                problem = f"a line longer than {MAX_LINE_CHARS:,} characters"
            start = lines.record[0][0] if lines.record else 0
            span = len(lines.record)
            # a record over several lines is a quoted text with line breaks only if its quotes pair up: an odd
            # count means a quote opened on its first line was closed by (or ran into) the rows after it
            if problem is None and span > 1 and _swallows_rows(lines.record, n_fields):
                problem = f"unbalanced quote: a quoted field swallows the {span - 1} line(s) after it"
            if problem is None and row:
                problem = next(filter(None, (undecoded_byte(text) for _, text in lines.record)), None)
                if problem is not None:  # a whole record with a damaged byte: its lines are not read again
                    broken.append((start, problem))
                    continue
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


def string_columns(records: Iterator[tuple[int, list[str]]], n_fields: int,
                    chunk: int | None = None) -> tuple[list[pd.Series], np.ndarray]:
    """(one ``string`` Series per field, line numbers) of ``records``, ``chunk`` records at a time.

    Each chunk's fields go into Arrow arrays straight away, so that memory holds Arrow's compact strings
    rather than a Python object per field of every record (about 10x larger).
    """
    import pyarrow as pa

    chunk = chunk or CHUNK_ROWS
    typ = pa.large_string()  # what pandas' "string" dtype stores
    rows: list[list[str]] = []  # a few thousand records, moved into the field lists at once (zip, in C)
    buffers: list[list[str]] = [[] for _ in range(n_fields)]
    parts: list[list[Any]] = [[] for _ in range(n_fields)]
    lines: list[np.ndarray] = []
    line_buf: list[int] = []

    def transpose() -> None:
        for buf, column in zip(buffers, zip(*rows)):
            buf.extend(column)
        rows.clear()

    def flush() -> None:
        transpose()
        for buf, part in zip(buffers, parts):
            part.append(pa.array(buf, type=typ))
            buf.clear()
        lines.append(np.asarray(line_buf, dtype=np.int64))
        line_buf.clear()

    for line, row in records:
        line_buf.append(line)
        rows.append(row)
        if len(rows) >= _TRANSPOSE_ROWS:
            transpose()
        if len(line_buf) >= chunk:
            flush()
    if line_buf or not lines:
        flush()
    cols = [pd.Series(pa.chunked_array(part, type=typ).combine_chunks(), dtype="string") for part in parts]
    return cols, np.concatenate(lines)
