"""The files of a QA run, written and read back: one place for their formats.

``scores.csv`` (one row per reply; evidence as the JSON of :mod:`qa.evidence`), ``consistency.csv``,
``unanswered.csv``, ``repeats.csv``, ``broken_rows.csv``, ``by_<dimension>.csv``, ``messages.parquet``,
``meta.json`` and the report. Folders are written through :func:`carebench_shared.atomic.atomic_dir` by the
callers, so a run's folder is either complete or absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

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


def write_csv(fh: TextIO, df: pd.DataFrame, header: bool = True) -> None:
    csv_ready(df).to_csv(fh, index=False, header=header)


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
