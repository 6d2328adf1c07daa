"""The files of a QA run, written and read back: one place for their formats.

``scores.csv`` (one row per reply; evidence as the JSON of :mod:`qa.evidence`), ``consistency.csv``,
``unanswered.csv``, ``repeats.csv``, ``broken_rows.csv``, ``by_<dimension>.csv``, ``messages.parquet``,
``meta.json`` and the report. Folders are written through :func:`carebench_shared.atomic.atomic_dir` by the
callers, so a run's folder is either complete or absent.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from pathlib import Path
from collections.abc import Callable
from typing import Any, TextIO

import numpy as np
import pandas as pd

from . import evidence as ev
from .schema import MESSAGE_COLUMNS

__all__ = ["ID_COLUMNS", "csv_ready", "write_csv", "MessageWriter", "message_schema", "write_json", "read_csv",
           "TIME_FORMAT"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
ID_COLUMNS = {"reply_id": str, "thread_id": str, "message_id": str, "template_id": str, "agent_id": str,
               "example_reply_ids": str, "of_message_id": str, "of_thread_id": str, "repeat_of": str}


def csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy with times as ISO text and evidence as JSON (the CSV forms)."""
    out = df.copy(deep=False)
    for c in ("created_at", "of_created_at"):
        if c in out.columns and len(out):
            out[c] = pd.to_datetime(out[c], utc=True).dt.strftime(TIME_FORMAT)
    if "evidence" in out.columns:
        out["evidence"] = [x if isinstance(x, str) else "[]" if not x else ev.dumps(ev.parse(x))
                           for x in out["evidence"]]
    return out


def _quoting_characters() -> str:
    """The characters for which csv's writer with to_csv's dialect (QUOTE_MINIMAL, '"' doubled, "\\n" ends a
    line) quotes a field, asked of the running Python: 3.11 quotes the delimiter, the quote and a line
    terminator's characters, and a later one may add "\\r"."""
    found = ""
    for c in ',"\n\r':
        probe = io.StringIO()
        csv.writer(probe, lineterminator="\n").writerow([f"a{c}b"])
        found += c if probe.getvalue().startswith('"') else ""
    return found


_QUOTING = _quoting_characters()
_NEEDS_QUOTES = "[" + _QUOTING + "]"  # for Arrow's regular expressions, and ours
_QUOTE_THIS = re.compile(_NEEDS_QUOTES).search
_BOOL_TEXT = np.array(["False", "True", ""], dtype=object)  # a bool as csv writes it (str), or missing


def _quoted(v: str) -> str:
    return '"' + v.replace('"', '""') + '"'


def _as_field(v: Any) -> str:
    """One value as csv's writer makes it text: a float (numpy's too) by ``repr``, None blank, else ``str``."""
    if type(v) is str:
        return _quoted(v) if _QUOTE_THIS(v) else v
    v = "" if v is None else repr(v) if isinstance(v, float) else str(v)
    return _quoted(v) if _QUOTE_THIS(v) else v


def _lookup(values: np.ndarray, mask: np.ndarray, text: Callable[[Any], str]) -> np.ndarray:
    """Each value's field text (``text`` of each distinct value once, by its bits: -0.0 is not 0.0), "" where
    missing: an object array of shared strings, 8 bytes a row."""
    codes, uniques = pd.factorize(values.view(np.int64) if values.dtype == np.float64 else values)
    if values.dtype == np.float64:
        uniques = np.asarray(uniques).view(np.float64)
    names = np.array([text(u) for u in uniques.tolist()] + [""], dtype=object)
    codes[mask] = len(names) - 1
    return names[codes]


def _csv_slicer(s: pd.Series) -> Callable[[int, int], list] | None:
    """``slice(a, b)``: the fields (text, quoted where csv quotes) of rows ``a`` to ``b`` of a column, as
    ``DataFrame.to_csv`` writes its values (its ``get_values_for_csv`` with ``na_rep=""``: floats as numpy's
    text, missing values blank); None for a dtype it formats itself. The column's arrays are got once and
    the slices cut from them (pandas costs about as much per slice of a column as writing it), numbers and
    bools made text once per distinct value, and only the strings holding a comma, a quote or a line feed
    quoted, found by Arrow."""
    values = s.array
    mask = np.asarray(s.isna(), dtype=bool)
    if isinstance(values, pd.api.extensions.ExtensionArray) and not isinstance(values, pd.arrays.NumpyExtensionArray):
        if s.dtype.kind in "mMf" or isinstance(s.dtype, pd.CategoricalDtype):
            return None  # times, periods, categories, float extension arrays: pandas' own formatting
        if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
            return _arrow_text(values)
        if s.dtype == "boolean":
            codes = values.to_numpy(dtype=np.int8, na_value=2)
            fields = _BOOL_TEXT[codes]
            return lambda a, b: fields[a:b].tolist()
        if s.dtype.kind == "i":  # Int64 and the like: whole numbers by str
            fields = _lookup(values.to_numpy(dtype=np.int64, na_value=0), mask, str)
            return lambda a, b: fields[a:b].tolist()
        arr = np.asarray(values.astype(object))
    else:
        arr = s.to_numpy()
        if arr.dtype.kind in "mM":
            return None
        if arr.dtype == np.float64:  # csv writes a Python float by repr(): the shortest text that reads back
            fields = _lookup(arr, mask, repr)
            return lambda a, b: fields[a:b].tolist()
        if arr.dtype == np.bool_:
            fields = _BOOL_TEXT[arr.view(np.int8)]
            return lambda a, b: fields[a:b].tolist()
        if arr.dtype.kind == "f":  # other float widths as numpy writes them
            arr = arr.astype(str)

    def cut(a: int, b: int) -> list:
        out = arr[a:b].astype(object)  # a new array: the frame is not touched
        out[mask[a:b]] = ""
        return list(map(_as_field, out.tolist()))
    return cut


def _arrow_text(values: Any) -> Callable[[int, int], list]:
    """The fields of an Arrow-backed text column: missing values blank, quoted only where Arrow finds a
    character that needs it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.fill_null(pa.chunked_array(values._pa_array if hasattr(values, "_pa_array")
                                         else [values.__arrow_array__()]), "")
    quote = np.flatnonzero(pc.match_substring_regex(text, _NEEDS_QUOTES).to_numpy(zero_copy_only=False))

    def cut(a: int, b: int) -> list:
        out = text.slice(a, b - a).to_pylist()
        for i in quote[np.searchsorted(quote, a):np.searchsorted(quote, b)].tolist():
            out[i - a] = _quoted(out[i - a])
        return out
    return cut


CSV_ROWS_AT_ONCE = 2_048  # rows whose values are made Python objects at a time (a whole batch's: 20-40 MB more)


def write_csv(fh: TextIO, df: pd.DataFrame, header: bool = True) -> None:
    """``csv_ready(df).to_csv(fh, index=False, header=header)``, byte for byte, about twice as fast: each
    column's fields are made text as csv's writer would (:func:`_csv_slicer`) and each line joined in C, a
    slice of rows at a time, as pandas does, so that the copies stay small beside the batch. A frame of one
    column goes through :mod:`csv` itself (a line of one empty field is written ``""``)."""
    out = csv_ready(df)
    if len(out.columns) < 2 or not out.columns.is_unique:
        out.to_csv(fh, index=False, header=header)
        return
    cuts = [_csv_slicer(out.iloc[:, k]) for k in range(len(out.columns))]
    if any(c is None for c in cuts):  # a dtype pandas formats itself
        out.to_csv(fh, index=False, header=header)
        return
    if header:
        csv.writer(fh, lineterminator="\n").writerow(list(out.columns))
    for start in range(0, len(out), CSV_ROWS_AT_ONCE):
        stop = min(start + CSV_ROWS_AT_ONCE, len(out))
        fh.write("\n".join(map(",".join, zip(*(cut(start, stop) for cut in cuts)))))
        fh.write("\n")


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def message_schema():  # type: ignore[no-untyped-def]
    """The Arrow schema of ``messages.parquet`` (fixed, so batches with all-empty columns still agree)."""
    import pyarrow as pa

    types = {"public": pa.bool_(), "created_at": pa.timestamp("ns", tz="UTC"), "customer_followers": pa.int64(),
             "purchase_date": pa.timestamp("ns"), "order_value": pa.float64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in MESSAGE_COLUMNS])


def _as_text(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None).map(lambda v: v if v is None else str(v))


class MessageWriter:
    """``messages.parquet`` written a batch at a time (one row group or more per batch)."""

    ROWS = 250_000  # messages converted to Arrow at a time

    def __init__(self, path: Path):
        self.path = path
        self.schema = message_schema()
        self._writer = None

    def write(self, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self.schema)
        for start in range(0, max(len(df), 1), self.ROWS):
            part = df.iloc[start:start + self.ROWS][list(MESSAGE_COLUMNS)]
            try:
                table = pa.Table.from_pandas(part, schema=self.schema, preserve_index=False)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. an all-empty text column read as float NaN
                table = pa.Table.from_pandas(pd.DataFrame({c: _as_text(part[c]) if self.schema.field(c).type ==
                                                           pa.string() else part[c] for c in part.columns}),
                                             schema=self.schema, preserve_index=False)
            self._writer.write_table(table)

    def close(self) -> None:
        import pyarrow.parquet as pq

        if self._writer is None:  # no batch at all: an empty file with the schema
            pq.write_table(self.schema.empty_table(), self.path)
            return
        try:
            self._writer.close()
        finally:
            self._abandon()

    def _abandon(self) -> None:
        """Forget the writer, closing it if it still can be. Also when this object is dropped unclosed (the run
        failed, e.g. the disk is full): pyarrow's writer would close itself when collected, fail the same way, and
        print a traceback ("Exception ignored in ...") after carebench's one line."""
        writer, self._writer = self._writer, None
        if writer is not None and writer.is_open:
            with contextlib.suppress(Exception):
                writer.close()
            writer.is_open = False

    __del__ = _abandon


def read_csv(path: Path, **kw: Any) -> pd.DataFrame:
    """A run's CSV with ids kept as text; a missing file is an empty table."""
    if not path.is_file():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=ID_COLUMNS, **kw)
