"""Blind calibration sessions: several reviewers label the same sample of replies without seeing the checks'
verdicts or each other's labels; when a lead closes the session, their agreement is shown.

Sessions and labels live in the review database (tables ``calibration_sessions`` and ``calibration_labels``),
keyed like reviews on the reply file's digest. The sample is drawn with a seed (so a lead can say which
sample it was) and is half replies flagged by at least one of the session's checks and half not, so
agreement on the flagged side can be measured at all (most replies of a real export are flagged by nothing).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .store import now

__all__ = ["Session", "SessionStore", "draw_sample"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calibration_sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    file_digest TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    reply_ids   TEXT NOT NULL,   -- JSON list, in labelling order
    checks      TEXT NOT NULL,   -- JSON list
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    closed_by   TEXT NOT NULL DEFAULT '',
    closed_at   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS calibration_labels (
    session_id  INTEGER NOT NULL REFERENCES calibration_sessions (id),
    reviewer    TEXT NOT NULL,
    reply_id    TEXT NOT NULL,
    check_name  TEXT NOT NULL,
    label       INTEGER NOT NULL CHECK (label IN (0, 1)),
    labelled_at TEXT NOT NULL,
    PRIMARY KEY (session_id, reviewer, reply_id, check_name)
)
"""


@dataclass(frozen=True)
class Session:
    id: int
    name: str
    file_digest: str
    file_name: str
    reply_ids: tuple[str, ...]
    checks: tuple[str, ...]
    created_by: str
    created_at: str
    closed_by: str = ""
    closed_at: str = ""

    @property
    def closed(self) -> bool:
        return bool(self.closed_at)

    @property
    def title(self) -> str:
        state = f"closed by {self.closed_by}" if self.closed else "open"
        return f"#{self.id} {self.name} ({len(self.reply_ids)} replies, {state})"


def draw_sample(queue: pd.DataFrame, n: int, checks: list[str], seed: int) -> list[str]:
    """``n`` reply ids of ``queue``: half flagged by any of ``checks`` (``_flag_<check>`` columns), half not,
    as far as each side has replies; shuffled so the labelling order says nothing about the verdicts."""
    rng = np.random.default_rng(seed)
    flagged = np.zeros(len(queue), dtype=bool)
    for c in checks:
        if f"_flag_{c}" in queue.columns:
            flagged |= queue[f"_flag_{c}"].to_numpy(dtype=bool)
    ids = queue["reply_id"].astype(str).to_numpy()
    pos, neg = ids[flagged], ids[~flagged]
    take_pos = min(len(pos), max(n - len(neg), n // 2))
    take_neg = min(len(neg), n - take_pos)
    picked = np.concatenate([rng.choice(pos, take_pos, replace=False), rng.choice(neg, take_neg, replace=False)])
    rng.shuffle(picked)
    return [str(r) for r in picked]


class SessionStore:
    """Calibration sessions in the SQLite file at ``path`` (the review database)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        with con:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)
        con.close()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def _run(self, query: str, args: tuple = ()) -> list[tuple]:
        con = self._connect()
        try:
            with con:
                return con.execute(query, args).fetchall()
        finally:
            con.close()

    def create(self, name: str, file_digest: str, file_name: str, reply_ids: list[str], checks: list[str],
               created_by: str) -> Session:
        if not reply_ids or not checks:
            raise ValueError("a session needs at least one reply and one check")
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO calibration_sessions (name, file_digest, file_name, reply_ids, checks, created_by, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (name, file_digest, file_name, json.dumps(reply_ids), json.dumps(checks), created_by, now()))
                new_id = cur.lastrowid
        finally:
            con.close()
        return self.get(int(new_id))

    def get(self, session_id: int) -> Session:
        rows = self._run("SELECT * FROM calibration_sessions WHERE id=?", (session_id,))
        if not rows:
            raise KeyError(session_id)
        return _session(rows[0])

    def list(self, file_digest: str | None = None) -> list[Session]:
        query, args = "SELECT * FROM calibration_sessions", ()
        if file_digest:
            query, args = query + " WHERE file_digest=?", (file_digest,)
        return [_session(r) for r in self._run(query + " ORDER BY id DESC", args)]

    def label(self, session_id: int, reviewer: str, reply_id: str, check: str, value: bool) -> None:
        """Store (or change) one reviewer's label; refused once the session is closed or the reply is not in it."""
        session = self.get(session_id)
        if session.closed:
            raise ValueError(f"session #{session_id} is closed: labels can no longer change")
        if reply_id not in session.reply_ids or check not in session.checks:
            raise ValueError(f"{reply_id} {check} is not part of session #{session_id}")
        if not reviewer.strip():
            raise ValueError("a label needs the reviewer's name")
        self._run("INSERT OR REPLACE INTO calibration_labels VALUES (?, ?, ?, ?, ?, ?)",
                  (session_id, reviewer, reply_id, check, int(bool(value)), now()))

    def labels(self, session_id: int, reviewer: str | None = None) -> pd.DataFrame:
        query, args = ("SELECT reviewer, reply_id, check_name, label, labelled_at FROM calibration_labels "
                       "WHERE session_id=?"), (session_id,)
        if reviewer is not None:
            query, args = query + " AND reviewer=?", (*args, reviewer)
        return pd.DataFrame(self._run(query, args), columns=["reviewer", "reply_id", "check", "label", "labelled_at"])

    def close(self, session_id: int, lead: str) -> Session:
        self._run("UPDATE calibration_sessions SET closed_by=?, closed_at=? WHERE id=? AND closed_at=''",
                  (lead, now(), session_id))
        return self.get(session_id)


def _session(row: tuple) -> Session:
    sid, name, digest, file_name, replies, checks, by, at, closed_by, closed_at = row
    return Session(int(sid), name, digest, file_name, tuple(json.loads(replies)), tuple(json.loads(checks)), by, at,
                   closed_by, closed_at)
