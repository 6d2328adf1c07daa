"""The sixth sweep's setups (cases_round6.py): small labels and reviews files, a scores file edited one way, and a
file size limit (RLIMIT_FSIZE: a write past it fails as on a full disk) undone by :func:`undo_limits`."""

from __future__ import annotations

import resource
from pathlib import Path

__all__ = ["setup_round6", "undo_limits"]

LABELS = "reply_id,deflection,dm_request\n102,0,1\n104,0,0\n106,1,0\n"
FILES = {  # name -> the text of in/<name>
    "column_twice.csv": "reply_id,deflection,deflection\n102,0,1\n104,0,0\n",
    "not_a_label.csv": "reply_id,deflection\n102,0\n104,ture\n",
    "first_row_long.csv": "reply_id,deflection,dm_request\n102,0,1,1,0\n104,0,0\n",
    "reviews_maybe.csv": "reply_id,check,human_verdict,reviewed_at\n102,deflection,True,2024-01-01T10:00:00Z\n"
                         "104,deflection,False,2024-01-01T10:05:00Z\n106,deflection,maybe,2024-01-01T10:09:00Z\n",
    "reviews.csv": "reply_id,check,human_verdict,reviewed_at\n102,dm_request,True,2024-01-01T10:00:00Z\n"
                   "104,dm_request,False,2024-01-01T10:05:00Z\n",
    "blank_id.csv": "reply_id,deflection,dm_request\n102,0,1\n,1,0\n106,1,0\n",
    "labels.csv": LABELS,
}

_SAVED: list[tuple[int, tuple[int, int]]] = []


def _edit_scores(work: Path, edit) -> None:  # noqa: ANN001 - (header, first row) -> (header, first row)
    p = work / "run" / "scores.csv"
    header, first, rest = p.read_text(encoding="utf-8").split("\n", 2)
    header, first = edit(header, first)
    p.write_text("\n".join([header, first, rest]), encoding="utf-8")


def setup_round6(name: str, work: Path) -> None:
    if name in FILES:
        (work / "in" / name).write_text(FILES[name], encoding="utf-8")
    elif name == "scores_column_twice":  # a hand-edited scores.csv: a second 'deflection' column, all True
        _edit_scores(work, lambda h, f: (h + ",deflection", f + ",True"))
    elif name == "scores_flag_text":  # a verdict that is no True or False
        _edit_scores(work, lambda h, f: (h, f.replace(",False,", ",perhaps,", 1)))
    elif name == "no_text_column":  # the valid own-schema replies without their text column (CSV and Parquet)
        import pandas as pd

        df = pd.read_csv(Path(__file__).parent / "corpus" / "replies" / "own_valid.csv", dtype=str,
                         keep_default_na=False).drop(columns=["text"])
        df.to_csv(work / "in" / "no_text.csv", index=False)
        df.to_parquet(work / "in" / "no_text.parquet")
    elif name == "requirement_first_row_long":  # the corpus requirement.csv, its first row one field longer
        rows = (Path(__file__).parent / "corpus" / "planning" / "requirement.csv").read_text().splitlines(True)
        (work / "in" / "long.csv").write_text("".join([rows[0], "x," + rows[1], *rows[2:]]))
    elif name == "binary_text_parquet":  # text as Parquet binary (bytes), the first message's not UTF-8
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        df = pd.read_csv(Path(__file__).parent / "corpus" / "replies" / "own_valid.csv", dtype=str,
                         keep_default_na=False)
        texts = [b"\xff\xfe", *(t.encode() for t in df["text"][1:])]
        pq.write_table(pa.table({**{c: df[c].tolist() for c in df.columns if c != "text"},
                                 "text": pa.array(texts, pa.binary())}), work / "in" / "binary_text.parquet")
    elif name.startswith("batch_"):
        _damaged_batch(name.removeprefix("batch_"), work)
    elif name.startswith("fsize_"):  # writes past this many bytes fail (EFBIG): a disk that fills up
        limit = int(name.removeprefix("fsize_"))
        _SAVED.append((resource.RLIMIT_FSIZE, resource.getrlimit(resource.RLIMIT_FSIZE)))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, _SAVED[-1][1][1]))
    else:
        raise ValueError(f"unknown setup step {name}")


EXPERIMENT = "name: e\nscenarios: [valid_small.yaml]\nset: {horizon_days: 0.05}\ngrid:\n  staffing.agents: [3]\n" \
             "replications: 2\n"


def _damaged_batch(damage: str, work: Path) -> None:
    """``out``: the results folder of ``in/exp.yaml`` with its point's ``runs.parquet`` damaged (``damage``), as a
    rerun finds it. Made without running the batch: the folder needs only its manifest and the point's file."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    from batch.experiment import expand_points, load_experiment
    from batch.store import ResultsStore

    shutil.copy(Path(__file__).parent / "corpus" / "scenarios" / "valid_small.yaml", work / "in")
    (work / "in" / "exp.yaml").write_text(EXPERIMENT)
    experiment = load_experiment(work / "in" / "exp.yaml")
    points = expand_points(experiment, work / "in" / "exp.yaml")
    store = ResultsStore(work / "out", experiment, points)
    runs = store.point_file(points[0])
    runs.parent.mkdir(parents=True)
    (work / "out" / "experiment.json").write_text("{}\n")
    rows = [{"rep": 0, "seed": 1}, {"rep": 0 if damage == "rep_twice" else 1, "seed": 2}]
    table = store._table(rows)  # noqa: SLF001 - the layout a run writes, whatever columns it has
    if damage == "truncated":  # the first 300 bytes: no Parquet footer
        pq.write_table(table, runs)
        runs.write_bytes(runs.read_bytes()[:300])
    elif damage == "folder":
        runs.mkdir()
    elif damage == "rep_text":
        pq.write_table(table.set_column(0, "rep", pa.array(["0", "1"])), runs)
    else:  # rep_twice
        pq.write_table(table, runs)


def undo_limits() -> None:
    """Put back the limits a case lowered (the runner writes its results after each case)."""
    while _SAVED:
        which, limits = _SAVED.pop()
        resource.setrlimit(which, limits)
