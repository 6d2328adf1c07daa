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


def _csv_slicer(s: pd.Series) -> Callable[[int, int], list] | None:
    """``slice(a, b)``: a column's values of rows ``a`` to ``b`` as ``DataFrame.to_csv`` hands them to
    :mod:`csv` (its ``get_values_for_csv`` with ``na_rep=""``: floats as numpy's text, missing values blank);
    None for a dtype it formats itself. The column's arrays are got once, the slices cut from them: pandas
    costs about as much per slice of a column as :mod:`csv` costs writing it."""
    values = s.array
    if isinstance(values, pd.api.extensions.ExtensionArray) and not isinstance(values, pd.arrays.NumpyExtensionArray):
        if s.dtype.kind in "mMf" or isinstance(s.dtype, pd.CategoricalDtype):
            return None  # times, periods, categories, float extension arrays: pandas' own formatting
        if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
            import pyarrow as pa

            # str or None per row: csv writes None blank, as the missing value is written
            text = pa.chunked_array([values.__arrow_array__()]) if not hasattr(values, "_pa_array") else \
                values._pa_array
            return lambda a, b: text.slice(a, b - a).to_pylist()
        arr, mask = np.asarray(values.astype(object)), np.asarray(s.isna(), dtype=bool)  # bools, ints: small
    else:
        arr, mask = s.to_numpy(), np.asarray(s.isna(), dtype=bool)
        if arr.dtype.kind in "mM":
            return None
        if arr.dtype.kind == "f" and arr.dtype != np.float64:  # other float widths as numpy writes them
            arr = arr.astype(str)
    if not mask.any():
        # float64 as Python floats, which csv writes by repr(): the text numpy's astype(str) gives them (the
        # shortest that reads back), in a tenth of the time
        return lambda a, b: arr[a:b].tolist()

    def cut(a: int, b: int) -> list:
        out = arr[a:b].astype(object)  # a new array: the frame is not touched
        out[mask[a:b]] = ""
        return out.tolist()
    return cut


CSV_ROWS_AT_ONCE = 2_048  # rows whose values are made Python objects at a time (a whole batch's: 20-40 MB more)


def write_csv(fh: TextIO, df: pd.DataFrame, header: bool = True) -> None:
    """``csv_ready(df).to_csv(fh, index=False, header=header)``, byte for byte, a third faster: the columns go
    to :mod:`csv` as lists (pandas builds a row list per record from 2-D object blocks first), a slice of rows
    at a time, as pandas does, so that the copies stay small beside the batch."""
    out = csv_ready(df)
    cuts = [_csv_slicer(out.iloc[:, k]) for k in range(len(out.columns))] if out.columns.is_unique else [None]
    if not cuts or any(c is None for c in cuts):  # a dtype pandas formats itself
        out.to_csv(fh, index=False, header=header)
        return
    writer = csv.writer(fh, lineterminator="\n")  # to_csv's dialect: QUOTE_MINIMAL, '"' doubled
    if header:
        writer.writerow(list(out.columns))
    for start in range(0, len(out), CSV_ROWS_AT_ONCE):
        stop = min(start + CSV_ROWS_AT_ONCE, len(out))
        writer.writerows(zip(*(cut(start, stop) for cut in cuts)))


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
