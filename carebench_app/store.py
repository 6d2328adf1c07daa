"""The review store: reviewers' decisions on automatic verdicts, their history and disputes, in SQLite.

Reviews are keyed on the digest of the reply file's bytes (not its name or path), the reply id and the check,
so re-opening the same file after a restart finds them, a renamed copy keeps them, and an edited file does not
inherit them. The input file is never written.

Each verdict has one current review (who, when, confirm or dispute, comment) with a version number, and every
change is also appended to ``review_events``, so the history of who decided what is never lost. A save names
the version the reviewer was looking at; when someone else changed the verdict meanwhile (another tab, another
reviewer) the save is refused with :class:`ConflictError` instead of silently overwriting their decision.
A dispute is a small workflow, as in Zendesk QA or MaestroQA: it opens when a reviewer disputes a verdict and a
lead accepts it (the check was wrong) or rejects it (the check stands).

A connection per call: Streamlit runs each session in its own thread and SQLite connections must not cross
threads. Every change runs in one ``BEGIN IMMEDIATE`` transaction, so the version check and the write cannot
interleave with another writer's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

__all__ = ["Review", "Event", "ReviewStore", "ConflictError", "DECISIONS", "DISPUTE_STATES", "REVIEW_COLUMNS",
           "EVENT_COLUMNS", "now"]

DECISIONS = ("confirm", "dispute")
DISPUTE_STATES = ("open", "accepted", "rejected")
REVIEW_COLUMNS = ["file_digest", "file_name", "reply_id", "check", "auto_verdict", "decision", "human_verdict",
                  "comment", "reviewer", "reviewed_at", "version", "dispute_status", "resolved_by", "resolved_at",
                  "resolution", "model", "model_verdict"]
EVENT_COLUMNS = ["file_digest", "file_name", "reply_id", "check", "version", "actor", "at", "action", "comment"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    file_digest  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    reply_id     TEXT NOT NULL,
    check_name   TEXT NOT NULL,
    auto_verdict INTEGER NOT NULL,   -- the check's verdict: 1 flagged, 0 not flagged
    decision     TEXT NOT NULL CHECK (decision IN ('confirm', 'dispute')),
    comment      TEXT NOT NULL DEFAULT '',
    reviewed_at  TEXT NOT NULL,      -- ISO 8601, UTC
    PRIMARY KEY (file_digest, reply_id, check_name)
);
CREATE TABLE IF NOT EXISTS review_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    file_digest  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    reply_id     TEXT NOT NULL,
    check_name   TEXT NOT NULL,
    version      INTEGER NOT NULL,   -- the review's version after this event
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('confirm', 'dispute', 'accept', 'reject', 'withdraw')),
    comment      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS review_events_verdict ON review_events (file_digest, reply_id, check_name);
"""
# Columns added to the first version's ``reviews`` table (databases written before history existed).
_ADDED = {
    "reviewer": "TEXT NOT NULL DEFAULT ''",
    "version": "INTEGER NOT NULL DEFAULT 1",
    "dispute_status": "TEXT CHECK (dispute_status IN ('open', 'accepted', 'rejected'))",
    "resolved_by": "TEXT NOT NULL DEFAULT ''",
    "resolved_at": "TEXT NOT NULL DEFAULT ''",
    "resolution": "TEXT NOT NULL DEFAULT ''",
    "model": "TEXT NOT NULL DEFAULT ''",  # the learned model asked when the review was saved (label + digest)
    "model_verdict": "INTEGER",  # what that model alone said: 1, 0, or NULL (no model, or none for the check)
}
_FIELDS = ("file_digest", "file_name", "reply_id", "check_name", "auto_verdict", "decision", "comment",
           "reviewed_at", *_ADDED)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ConflictError(Exception):
    """Someone changed the verdict since the reviewer looked at it; ``current`` is what it is now."""

    def __init__(self, current: Review | None) -> None:
        self.current = current
        if current is None:
            super().__init__("the review was withdrawn meanwhile")
        else:
            who = current.reviewer or "someone"
            super().__init__(f"{who} changed it at {current.reviewed_at} (now: {current.state})")


@dataclass(frozen=True)
class Review:
    """The current review of one verdict. ``human_verdict`` is what the team holds true: the automatic verdict
    when confirmed or when a lead rejected the dispute, its opposite while a dispute is open or accepted."""

    file_digest: str
    file_name: str
    reply_id: str
    check: str
    auto_verdict: bool
    decision: str
    comment: str = ""
    reviewed_at: str = ""
    reviewer: str = ""
    version: int = 0
    dispute_status: str | None = None
    resolved_by: str = ""
    resolved_at: str = ""
    resolution: str = ""
    model: str = ""  # the learned model asked at review time ("" none), so agreement can be followed over time
    model_verdict: bool | None = None  # that model's own verdict on the reply and check

    @property
    def human_verdict(self) -> bool:
        if self.decision == "confirm" or self.dispute_status == "rejected":
            return self.auto_verdict
        return not self.auto_verdict

    @property
    def state(self) -> str:
        """In words: confirmed, disputed (open), dispute accepted, dispute rejected."""
        if self.decision == "confirm":
            return "confirmed"
        return {"accepted": "dispute accepted", "rejected": "dispute rejected"}.get(self.dispute_status or "",
                                                                                  "disputed (open)")


@dataclass(frozen=True)
class Event:
    """One change in a verdict's history."""

    version: int
    actor: str
    at: str
    action: str
    comment: str


class ReviewStore:
    """Reviews in the SQLite file at ``path`` (created with its folder on first use; older files upgraded)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._tx() as con:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)
            have = {r[1] for r in con.execute("PRAGMA table_info(reviews)")}
            missing = [c for c in _ADDED if c not in have]
            for col in missing:
                con.execute(f"ALTER TABLE reviews ADD COLUMN {col} {_ADDED[col]}")
            if "dispute_status" in missing:  # reviews from before disputes had a workflow: open disputes
                con.execute("UPDATE reviews SET dispute_status='open' WHERE decision='dispute'")
                con.execute("INSERT INTO review_events (file_digest, file_name, reply_id, check_name, version, "
                            "actor, at, action, comment) SELECT file_digest, file_name, reply_id, check_name, 1, "
                            "reviewer, reviewed_at, decision, comment FROM reviews")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")  # the write lock first: check-then-write cannot interleave
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def _read(self, query: str, args: tuple = ()) -> list[tuple]:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    @staticmethod
    def _current(con: sqlite3.Connection, digest: str, reply_id: str, check: str) -> Review | None:
        row = con.execute(f"SELECT {', '.join(_FIELDS)} FROM reviews WHERE file_digest=? AND reply_id=? AND "
                          "check_name=?", (digest, reply_id, check)).fetchone()
        return _review(row) if row else None

    @staticmethod
    def _event(con: sqlite3.Connection, r: Review, actor: str, action: str, comment: str, at: str) -> None:
        con.execute("INSERT INTO review_events (file_digest, file_name, reply_id, check_name, version, actor, at, "
                    "action, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r.file_digest, r.file_name, r.reply_id, r.check, r.version, actor, at, action, comment))

    def current(self, file_digest: str, reply_id: str, check: str) -> Review | None:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            return self._current(con, file_digest, reply_id, check)
        finally:
            con.close()

    def save(self, review: Review, expected_version: int | None = None) -> Review:
        """Store ``review`` as the verdict's current review, one version up; returns it as stored.

        ``expected_version`` is the version the reviewer saw (0: no review yet); None skips the check (imports,
        scripts). Raises :class:`ConflictError` when the stored version differs.
        """
        if review.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, got {review.decision!r}")
        stamp = review.reviewed_at or now()
        with self._tx() as con:
            cur = self._current(con, review.file_digest, review.reply_id, review.check)
            if expected_version is not None and (cur.version if cur else 0) != expected_version:
                raise ConflictError(cur)
            new = replace(review, reviewed_at=stamp, version=(cur.version if cur else 0) + 1,
                          dispute_status="open" if review.decision == "dispute" else None,
                          resolved_by="", resolved_at="", resolution="")
            con.execute(f"INSERT OR REPLACE INTO reviews ({', '.join(_FIELDS)}) VALUES "
                        f"({', '.join('?' * len(_FIELDS))})", _row(new))
            self._event(con, new, new.reviewer, new.decision, new.comment, stamp)
        return new

    def resolve(self, file_digest: str, reply_id: str, check: str, accept: bool, lead: str, note: str,
                expected_version: int) -> Review:
        """A lead's decision on an open dispute: accepted (the check was wrong) or rejected (it stands)."""
        stamp = now()
        with self._tx() as con:
            cur = self._current(con, file_digest, reply_id, check)
            if cur is None or cur.version != expected_version:
                raise ConflictError(cur)
            if cur.dispute_status != "open":
                raise ValueError(f"{reply_id} {check}: there is no open dispute to resolve")
            new = replace(cur, version=cur.version + 1, dispute_status="accepted" if accept else "rejected",
                          resolved_by=lead, resolved_at=stamp, resolution=note)
            con.execute("UPDATE reviews SET version=?, dispute_status=?, resolved_by=?, resolved_at=?, resolution=? "
                        "WHERE file_digest=? AND reply_id=? AND check_name=?",
                        (new.version, new.dispute_status, lead, stamp, note, file_digest, reply_id, check))
            self._event(con, new, lead, "accept" if accept else "reject", note, stamp)
        return new

    def withdraw(self, file_digest: str, reply_id: str, check: str, actor: str, expected_version: int) -> None:
        """Withdraw the review of a verdict (kept in the history)."""
        with self._tx() as con:
            cur = self._current(con, file_digest, reply_id, check)
            if cur is None or cur.version != expected_version:
                raise ConflictError(cur)
            con.execute("DELETE FROM reviews WHERE file_digest=? AND reply_id=? AND check_name=?",
                        (file_digest, reply_id, check))
            self._event(con, replace(cur, version=cur.version + 1), actor, "withdraw", "", now())

    def history(self, file_digest: str, reply_id: str, check: str) -> list[Event]:
        """Every change to one verdict's review, oldest first."""
        rows = self._read("SELECT version, actor, at, action, comment FROM review_events WHERE file_digest=? AND "
                          "reply_id=? AND check_name=? ORDER BY id", (file_digest, reply_id, check))
        return [Event(*r) for r in rows]

    def for_reply(self, file_digest: str, reply_id: str) -> dict[str, Review]:
        """The current reviews of one reply, by check."""
        rows = self._read(f"SELECT {', '.join(_FIELDS)} FROM reviews WHERE file_digest=? AND reply_id=?",
                          (file_digest, reply_id))
        return {r[3]: _review(r) for r in rows}

    def reviewed_reply_ids(self, file_digest: str) -> set[str]:
        """Ids of the replies of a file that have at least one review (to mark them in the queue)."""
        return {r[0] for r in self._read("SELECT DISTINCT reply_id FROM reviews WHERE file_digest=?",
                                         (file_digest,))}

    def frame(self, file_digest: str | None = None, dispute_status: str | None = None) -> pd.DataFrame:
        """Current reviews (of one file, with one dispute status) as a table with ``REVIEW_COLUMNS``."""
        query, args = f"SELECT {', '.join(_FIELDS)} FROM reviews WHERE 1=1", ()
        if file_digest:
            query, args = query + " AND file_digest=?", (*args, file_digest)
        if dispute_status:
            query, args = query + " AND dispute_status=?", (*args, dispute_status)
        rows = self._read(query + " ORDER BY reviewed_at, reply_id, check_name", args)
        records = [{**{k: getattr(rv, k) for k in REVIEW_COLUMNS if k != "human_verdict"},
                    "human_verdict": rv.human_verdict} for rv in map(_review, rows)]
        return pd.DataFrame(records, columns=REVIEW_COLUMNS)

    def events(self, file_digest: str | None = None) -> pd.DataFrame:
        """The whole history (of one file) with ``EVENT_COLUMNS``, oldest first."""
        query, args = ("SELECT file_digest, file_name, reply_id, check_name, version, actor, at, action, comment "
                       "FROM review_events"), ()
        if file_digest:
            query, args = query + " WHERE file_digest=?", (file_digest,)
        return pd.DataFrame(self._read(query + " ORDER BY id", args), columns=EVENT_COLUMNS)

    def export_csv(self, file_digest: str | None = None) -> bytes:
        """The current reviews as CSV bytes, for a download button."""
        return self.frame(file_digest).to_csv(index=False).encode("utf-8")

    def export_history_csv(self, file_digest: str | None = None) -> bytes:
        return self.events(file_digest).to_csv(index=False).encode("utf-8")


def _row(r: Review) -> tuple:
    model_verdict = None if r.model_verdict is None else int(r.model_verdict)
    return (r.file_digest, r.file_name, r.reply_id, r.check, int(r.auto_verdict), r.decision, r.comment,
            r.reviewed_at, r.reviewer, r.version, r.dispute_status, r.resolved_by, r.resolved_at, r.resolution,
            r.model, model_verdict)


def _review(row: tuple) -> Review:
    digest, name, reply_id, check, auto, decision, comment, stamp, *rest, model, model_verdict = row
    return Review(digest, name, reply_id, check, bool(auto), decision, comment, stamp, *rest, model,
                  None if model_verdict is None else bool(model_verdict))
