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
    elif name.startswith("fsize_"):  # writes past this many bytes fail (EFBIG): a disk that fills up
        limit = int(name.removeprefix("fsize_"))
        _SAVED.append((resource.RLIMIT_FSIZE, resource.getrlimit(resource.RLIMIT_FSIZE)))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, _SAVED[-1][1][1]))
    else:
        raise ValueError(f"unknown setup step {name}")


def undo_limits() -> None:
    """Put back the limits a case lowered (the runner writes its results after each case)."""
    while _SAVED:
        which, limits = _SAVED.pop()
        resource.setrlimit(which, limits)
