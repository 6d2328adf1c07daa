"""The review store: reviewers' confirm/dispute decisions on automatic verdicts, in a local SQLite file.

Reviews are keyed on the digest of the reply file's bytes (not its name or path), the reply id and the check,
so re-opening the same file after a restart finds them, a renamed copy keeps them, and an edited file does not
inherit them. The input file is never written; a later review of the same verdict replaces the earlier one.
A connection per call: Streamlit runs each session in its own thread and SQLite connections must not cross
threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

__all__ = ["Review", "ReviewStore", "DECISIONS", "REVIEW_COLUMNS"]

DECISIONS = ("confirm", "dispute")
REVIEW_COLUMNS = ["file_digest", "file_name", "reply_id", "check", "auto_verdict", "decision", "human_verdict",
                  "comment", "reviewed_at"]

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
)
"""


@dataclass(frozen=True)
class Review:
    """One reviewer decision. ``human_verdict`` is what the reviewer holds true: the automatic verdict when
    confirmed, its opposite when disputed."""

    file_digest: str
    file_name: str
    reply_id: str
    check: str
    auto_verdict: bool
    decision: str
    comment: str = ""
    reviewed_at: str = ""

    @property
    def human_verdict(self) -> bool:
        return self.auto_verdict if self.decision == "confirm" else not self.auto_verdict


class ReviewStore:
    """Reviews in the SQLite file at ``path`` (created with its folder on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            with con:  # commits, or rolls back on error
                yield con
        finally:
            con.close()

    def save(self, review: Review) -> Review:
        """Store ``review``, replacing an earlier one of the same verdict; returns it with its timestamp."""
        if review.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, got {review.decision!r}")
        stamp = review.reviewed_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (review.file_digest, review.file_name, review.reply_id, review.check, int(review.auto_verdict),
                 review.decision, review.comment, stamp),
            )
        return Review(**{**review.__dict__, "reviewed_at": stamp})

    def delete(self, file_digest: str, reply_id: str, check: str) -> None:
        """Withdraw a review (the reviewer changed their mind about reviewing at all)."""
        with self._connect() as con:
            con.execute("DELETE FROM reviews WHERE file_digest=? AND reply_id=? AND check_name=?",
                        (file_digest, reply_id, check))

    def for_reply(self, file_digest: str, reply_id: str) -> dict[str, Review]:
        """The reviews of one reply, by check."""
        with self._connect() as con:
            rows = con.execute("SELECT * FROM reviews WHERE file_digest=? AND reply_id=?",
                               (file_digest, reply_id)).fetchall()
        return {r[3]: _review(r) for r in rows}

    def reviewed_reply_ids(self, file_digest: str) -> set[str]:
        """Ids of the replies of a file that have at least one review (to mark them in the queue)."""
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT reply_id FROM reviews WHERE file_digest=?", (file_digest,))
            return {r[0] for r in rows}

    def frame(self, file_digest: str | None = None) -> pd.DataFrame:
        """All reviews (or one file's) as a table with ``REVIEW_COLUMNS``, oldest first."""
        query, args = "SELECT * FROM reviews", ()
        if file_digest:
            query, args = query + " WHERE file_digest=?", (file_digest,)
        with self._connect() as con:
            rows = con.execute(query + " ORDER BY reviewed_at, reply_id, check_name", args).fetchall()
        records = []
        for r in rows:
            rv = _review(r)
            records.append({**{k: getattr(rv, k) for k in REVIEW_COLUMNS if k != "human_verdict"},
                            "human_verdict": rv.human_verdict})
        return pd.DataFrame(records, columns=REVIEW_COLUMNS)

    def export_csv(self, file_digest: str | None = None) -> bytes:
        """The reviews as CSV bytes, for a download button."""
        return self.frame(file_digest).to_csv(index=False).encode("utf-8")


def _review(row: tuple) -> Review:
    digest, name, reply_id, check, auto, decision, comment, stamp = row
    return Review(digest, name, reply_id, check, bool(auto), decision, comment, stamp)
