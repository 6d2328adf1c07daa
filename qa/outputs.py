"""The files of a QA run, written and read back: one place for their formats.

``scores.csv`` (one row per reply; evidence as the JSON of :mod:`qa.evidence`), ``consistency.csv``,
``unanswered.csv``, ``repeats.csv``, ``broken_rows.csv``, ``by_<dimension>.csv``, ``messages.parquet``,
``meta.json`` and the report. Folders are written through :func:`carebench_shared.atomic.atomic_dir` by the
callers, so a run's folder is either complete or absent.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
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


def _csv_values(s: pd.Series) -> list | None:
    """A column's values as ``DataFrame.to_csv`` hands them to :mod:`csv` (its ``get_values_for_csv`` with
    ``na_rep=""``: floats as numpy's text, missing values blank); None for a dtype it formats itself."""
    values = s.array
    if isinstance(values, pd.api.extensions.ExtensionArray) and not isinstance(values, pd.arrays.NumpyExtensionArray):
        if s.dtype.kind in "mMf" or isinstance(s.dtype, pd.CategoricalDtype):
            return None  # times, periods, categories, float extension arrays: pandas' own formatting
        out = np.asarray(values.astype(object))
    else:
        arr = s.to_numpy()
        if arr.dtype.kind in "mM":
            return None
        # float64 as Python floats, which csv writes by repr(): the text numpy's astype(str) gives them (the
        # shortest that reads back), in a tenth of the time; other float widths by numpy, as pandas does
        out = (arr.astype(str) if arr.dtype.kind == "f" and arr.dtype != np.float64 else arr).astype(object)
    mask = np.asarray(s.isna(), dtype=bool)
    if mask.any():
        out[mask] = ""  # a new array in each branch above: the frame is not touched
    return out.tolist()


CSV_ROWS_AT_ONCE = 2_048  # rows whose values are made Python objects at a time (a whole batch's: 20-40 MB more)


def write_csv(fh: TextIO, df: pd.DataFrame, header: bool = True) -> None:
    """``csv_ready(df).to_csv(fh, index=False, header=header)``, byte for byte, a third faster: the columns go
    to :mod:`csv` as lists (pandas builds a row list per record from 2-D object blocks first), a slice of rows
    at a time, as pandas does, so that the copies stay small beside the batch."""
    out = csv_ready(df)
    writer = csv.writer(fh, lineterminator="\n")  # to_csv's dialect: QUOTE_MINIMAL, '"' doubled
    for start in range(0, max(len(out), 1), CSV_ROWS_AT_ONCE):
        part = out.iloc[start:start + CSV_ROWS_AT_ONCE]
        cols = [_csv_values(part[c]) for c in part.columns] if len(part.columns) and part.columns.is_unique \
            else [None]
        if any(c is None for c in cols):  # a dtype pandas formats itself: the same for every slice
            out.to_csv(fh, index=False, header=header)
            return
        if header and start == 0:
            writer.writerow(list(out.columns))
        writer.writerows(zip(*cols))


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
        else:
            self._writer.close()


def read_csv(path: Path, **kw: Any) -> pd.DataFrame:
    """A run's CSV with ids kept as text; a missing file is an empty table."""
    if not path.is_file():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=ID_COLUMNS, **kw)
