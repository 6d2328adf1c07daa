"""The results dataset of a batch: a partitioned Parquet dataset that grows as runs finish.

Layout of ``OUT/`` (query it in place: README, "Batches")::

    experiment.json                                  the experiment as run (checked on a rerun)
    points.parquet                                   one row per point: scenario, point, seed, its overrides
    runs/scenario=NAME/point=ID/runs.parquet         one row per finished run: rep, seed, overrides, every KPI
    summary/points.csv|parquet, summary/differences.csv|parquet, plots/*.png   (written by the summaries)

A point's ``runs.parquet`` is rewritten whole, atomically (temporary file renamed into place), each time some
of its runs finish, so a reader or a killed batch only ever sees complete files: a rerun keeps every run
written and loses at most the runs in flight. Every file of an experiment has the same columns and types.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from carebench_shared.atomic import OutputError, atomic_file
from carebench_shared.config import ConfigError, regular_file
from carebench_shared.safe_text import printable
from sim.intervals import KPI_KINDS

from .experiment import MAX_REPLICATIONS, Experiment, Point

__all__ = ["ResultsStore", "FORMAT", "runs_glob", "param_types", "param_row", "read_runs"]

FORMAT = 1  # version of this layout, in experiment.json


def runs_glob(out: Path) -> str:
    """The glob of every run file, for DuckDB's ``read_parquet`` (with ``hive_partitioning``)."""
    return str(out / "runs" / "*" / "*" / "runs.parquet")


def _param_type(values: list[Any]) -> pa.DataType:
    """One Arrow type per override key across the experiment: numbers stay numbers for plots and SQL."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pa.float64()
    return pa.string()  # text, or JSON text for lists and mappings


def _param_value(value: Any, kind: pa.DataType, present: bool = True) -> Any:
    """A point's override as stored: JSON text in text columns (``null`` for an explicit null), else as is."""
    if not present:
        return None
    if kind == pa.string() and not isinstance(value, str):
        return json.dumps(value, sort_keys=True)
    return value


def param_types(points: list[Point], keys: list[str]) -> dict[str, pa.DataType]:
    """The Arrow type of each override key's column, the same in every file of the experiment."""
    return {k: _param_type([p.params.get(k) for p in points]) for k in keys}


def param_row(point: Point, types: dict[str, pa.DataType]) -> dict[str, Any]:
    """A point's overrides as the cells of its row (missing keys are null)."""
    return {k: _param_value(point.params.get(k), t, k in point.params) for k, t in types.items()}


class ResultsStore:
    """The dataset of one experiment in ``out``: which runs are finished, and adding rows to it."""

    def __init__(self, out: Path, experiment: Experiment, points: list[Point]) -> None:
        self.out = Path(out)
        self.experiment = experiment
        self.points = points
        self.param_types = param_types(points, experiment.swept_keys)
        self._tables: dict[tuple[str, str], pa.Table | None] = {p.key: None for p in points}  # sorted by rep
        self._reps: dict[tuple[str, str], set[int]] = {p.key: set() for p in points}
        self._kpi_columns = list(KPI_KINDS)

    # ---- opening -------------------------------------------------------------------------------------
    def open(self) -> int:
        """Check ``out`` is this experiment's (or new), record the experiment, load finished runs; their count."""
        self._check_folder()
        for point in self.points:
            path = self.point_file(point)
            for tmp in path.parent.glob(".runs.parquet.tmp-*") if path.parent.is_dir() else []:
                tmp.unlink(missing_ok=True)  # left by a batch killed while writing; the last file is intact
            if path.exists():
                table = read_runs(path, self._table([]).schema)
                self._tables[point.key] = table
                self._reps[point.key] = set(table.column("rep").to_pylist())
        self._write_manifest()
        return sum(len(r) for r in self._reps.values())

    def _check_folder(self) -> None:
        out, shown = self.out, printable(self.out)
        if out.exists() and not out.is_dir():
            raise OutputError(f"{shown}: exists and is a file, not a batch results folder")
        if out.is_dir() and any(out.iterdir()) and not (out / "experiment.json").exists():
            raise OutputError(f"{shown}: exists, is not empty and is not a batch results folder; choose another --out")
        known = {(p.scenario_name, p.point_id) for p in self.points}
        stale = [d for d in (out / "runs").glob("scenario=*/point=*") if d.is_dir()
                 and (d.parent.name.partition("=")[2], d.name.partition("=")[2]) not in known]
        if stale:
            raise OutputError(f"{shown}: holds results of {len(stale)} point(s) that are not in this experiment "
                              "(its scenarios, overrides or seed changed); choose another --out")

    def _write_manifest(self) -> None:
        (self.out / "runs").mkdir(parents=True, exist_ok=True)
        with atomic_file(self.out / "experiment.json", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "experiment": self.experiment.model_dump(mode="json")}, f, indent=2)
        columns: dict[str, list] = {"scenario": [], "point": [], "seed": []}
        columns.update({k: [] for k in self.param_types})
        columns["scenario_json"] = []
        for p in self.points:
            columns["scenario"].append(p.scenario_name)
            columns["point"].append(p.point_id)
            columns["seed"].append(p.seed)
            for k, cell in param_row(p, self.param_types).items():
                columns[k].append(cell)
            columns["scenario_json"].append(p.scenario.model_dump_json())
        schema = pa.schema([("scenario", pa.string()), ("point", pa.string()), ("seed", pa.int64()),
                            *self.param_types.items(), ("scenario_json", pa.string())])
        with atomic_file(self.out / "points.parquet", "wb") as f:
            pq.write_table(pa.table(columns, schema=schema), f)

    # ---- runs ----------------------------------------------------------------------------------------
    def point_file(self, point: Point) -> Path:
        return self.out / "runs" / f"scenario={point.scenario_name}" / f"point={point.point_id}" / "runs.parquet"

    def finished(self, point: Point) -> set[int]:
        return set(self._reps[point.key])

    def values(self, point: Point, kpi: str, reps: int) -> list[float]:
        """The KPI's values of replications ``0 .. reps-1`` of ``point`` (all finished: the first rows)."""
        table = self._tables[point.key]
        return [math.nan if v is None else v for v in table.column(kpi).slice(0, reps).to_pylist()]

    def add(self, point: Point, summary_rows: list[dict[str, Any]]) -> None:
        """Record finished runs of ``point`` (their ``summary_row()``) and rewrite its file atomically.

        The point's rows are kept as one Arrow table sorted by replication: adding a few rows is a concat
        and a sort, not a rebuild from Python objects (which cost most of the driver's time at 10,000 runs).
        """
        new = self._table([self._row(point, row) for row in summary_rows])
        old = self._tables[point.key]
        table = new if old is None else pa.concat_tables([old, new], promote_options="default")
        table = table.sort_by("rep").combine_chunks()
        self._tables[point.key] = table
        self._reps[point.key].update(int(row["rep"]) for row in summary_rows)
        path = self.point_file(point)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, "wb") as f:
            pq.write_table(table, f)

    def _row(self, point: Point, summary: dict[str, Any]) -> dict[str, Any]:
        extra = [k for k in summary if k not in KPI_KINDS and k not in ("rep", "seed")]
        for k in extra:  # a KPI the model gained without a declared kind: keep it, after the declared ones
            if k not in self._kpi_columns:
                self._kpi_columns.append(k)
        row: dict[str, Any] = {"rep": int(summary["rep"]), "seed": int(summary["seed"])}
        row.update(param_row(point, self.param_types))
        row.update({k: _float(summary.get(k)) for k in self._kpi_columns})
        return row

    def _table(self, rows: list[dict[str, Any]]) -> pa.Table:
        fields = [("rep", pa.int64()), ("seed", pa.int64()), *self.param_types.items()]
        fields += [(k, pa.float64()) for k in self._kpi_columns]
        schema = pa.schema(fields)
        return pa.table({name: [r.get(name) for r in rows] for name in schema.names}, schema=schema)


def read_runs(path: Path, schema: pa.Schema) -> pa.Table:
    """A point's ``runs.parquet`` left by an earlier run of the batch, checked before a rerun adds to it: a file
    that is not one (damaged, emptied, replaced by a folder, a pipe or another table) is one line, never a
    traceback or a resumed batch whose replications are miscounted."""
    def damaged(problem: str) -> OutputError:
        return OutputError(f"{printable(path)}: {problem}; the results folder is damaged: delete this file (its "
                           "runs are run again) or choose another --out")

    try:
        regular_file(path, "a runs file")
    except ConfigError as exc:
        raise damaged(str(exc).rpartition(": ")[2]) from None
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise damaged(f"not a readable Parquet file ({printable(str(exc).splitlines()[0], 200)})") from None
    wrong = [f.name for f in schema if f.name not in table.schema.names or table.schema.field(f.name).type != f.type]
    if wrong:
        raise damaged(f"column {wrong[0]!r} is missing or of another type than this experiment writes")
    reps = table.column("rep").to_numpy(zero_copy_only=False)
    if table.column("rep").null_count or len(set(reps.tolist())) != len(reps) or \
            (len(reps) and not (0 <= reps.min() and reps.max() < MAX_REPLICATIONS)):
        raise damaged(f"its replication numbers ('rep') are not distinct numbers from 0 to {MAX_REPLICATIONS - 1:,}")
    return table


def _float(value: Any) -> float | None:
    """KPIs as float64 (counts too), so every file of the dataset has one schema; None stays missing."""
    if value is None:
        return None
    x = float(value)
    return None if math.isnan(x) else x
