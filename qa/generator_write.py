"""Writing generated threads: the own schema (CSV, JSONL, Parquet), the twcs CSV form, and the labels.

Whole tables (:func:`write_own`, :func:`write_twcs`, :func:`write_generated`) or a chunk at a time
(:class:`ChunkWriter`), which gives the same files byte for byte while holding one chunk of threads, so a
million-reply benchmark file is written in bounded memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .generator import Generated

__all__ = ["write_own", "write_twcs", "write_generated", "ChunkWriter", "companion_paths", "finish_labels"]

_JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


def _own_text(df: pd.DataFrame, suffix: str) -> str:
    df = df.copy()
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    if suffix in _JSON_SUFFIXES:
        return df.to_json(orient="records", lines=True, force_ascii=False) if len(df) else ""
    return df.to_csv(index=False)


def write_own(messages: pd.DataFrame, path: str | Path) -> Path:
    """The messages in the own schema; the format follows the extension (.csv, .jsonl, .parquet)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        messages.to_parquet(path, index=False)
    else:
        path.write_text(_own_text(messages, suffix), encoding="utf-8")
    return path


class _Twcs:
    """twcs rows from own-schema messages; customer numbers persist across chunks (first seen, first number)."""

    def __init__(self) -> None:
        self.customers: dict[str, str] = {}

    def frame(self, m: pd.DataFrame) -> pd.DataFrame:
        for h in pd.unique(m.loc[m["role"] == "customer", "author_id"]):
            self.customers.setdefault(h, str(200_000 + len(self.customers)))
        children = m.dropna(subset=["parent_id"]).groupby("parent_id")["message_id"].agg(lambda s: ",".join(s))
        is_brand = m["role"] == "brand"
        author = np.where(is_brand, m["author_id"], m["author_id"].map(self.customers))
        # @handles become numbers, as twcs anonymised them
        handle_map = m.loc[~is_brand].groupby("thread_id")["author_id"].first().map(self.customers)
        text = [
            (f"@{handle_map.get(t, '')}" + tx[tx.index(" "):]) if b and tx.startswith("@") else tx
            for t, tx, b in zip(m["thread_id"], m["text"], is_brand)
        ]
        return pd.DataFrame({
            "tweet_id": m["message_id"],
            "author_id": author,
            "inbound": np.where(is_brand, "False", "True"),
            "created_at": pd.to_datetime(m["created_at"], utc=True).dt.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "text": text,
            "response_tweet_id": m["message_id"].map(children).fillna(""),
            "in_response_to_tweet_id": m["parent_id"].map(lambda p: f"{p}.0" if isinstance(p, str) and p else ""),
        })


def write_twcs(messages: pd.DataFrame, path: str | Path) -> Path:
    """The messages in the twcs CSV form (brand screen names, numbered customers, float parent ids as in twcs)."""
    path = Path(path)
    _Twcs().frame(messages).to_csv(path, index=False)
    return path


def companion_paths(out: Path, twcs: str | Path | None = None) -> tuple[Path, Path, Path]:
    """(twcs copy, reply labels, post labels) beside the own-schema file ``out``."""
    stem = out.with_suffix("")
    return (Path(twcs) if twcs else stem.with_name(stem.name + ".twcs.csv"),
            stem.with_name(stem.name + ".labels.csv"), stem.with_name(stem.name + ".post_labels.csv"))


def write_generated(gen: Generated, out: str | Path, twcs: str | Path | None = None) -> list[Path]:
    """Own-schema file at ``out``, twcs copy, reply labels and post labels beside it; returns the paths."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    twcs_path, labels_path, posts_path = companion_paths(out, twcs)
    paths = [write_own(gen.messages, out), write_twcs(gen.messages, twcs_path)]
    gen.labels.to_csv(labels_path, index=False)
    gen.post_labels.to_csv(posts_path, index=False)
    return [*paths, labels_path, posts_path]


class ChunkWriter:
    """The files of :func:`write_generated`, appended a chunk of whole threads at a time (same bytes)."""

    def __init__(self, out: str | Path, twcs: str | Path | None = None):
        self.out = Path(out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.suffix = self.out.suffix.lower()
        self.twcs_path, self.labels_path, self.posts_path = companion_paths(self.out, twcs)
        self._twcs = _Twcs()
        self._own: IO[str] | Any = None
        self._tw: IO[str] | None = None
        self._first = True

    def add(self, messages: pd.DataFrame) -> None:
        if self._first:
            if self.suffix in (".parquet", ".pq"):
                import pyarrow as pa
                import pyarrow.parquet as pq

                self._own = pq.ParquetWriter(self.out, pa.Table.from_pandas(messages, preserve_index=False).schema)
            else:
                self._own = open(self.out, "w", encoding="utf-8", newline="")
            self._tw = open(self.twcs_path, "w", encoding="utf-8", newline="")
        if self.suffix in (".parquet", ".pq"):
            import pyarrow as pa

            self._own.write_table(pa.Table.from_pandas(messages, preserve_index=False, schema=self._own.schema))
        else:
            text = _own_text(messages, self.suffix)
            self._own.write(text if self._first or self.suffix in _JSON_SUFFIXES else text.split("\n", 1)[1])
        tw = self._twcs.frame(messages).to_csv(index=False)
        assert self._tw is not None
        self._tw.write(tw if self._first else tw.split("\n", 1)[1])
        self._first = False

    def close(self, labels: pd.DataFrame, posts: pd.DataFrame) -> list[Path]:
        if self._own is not None:
            self._own.close()
        if self._tw is not None:
            self._tw.close()
        labels.to_csv(self.labels_path, index=False)
        posts.to_csv(self.posts_path, index=False)
        return [self.out, self.twcs_path, self.labels_path, self.posts_path]


def _template_labels(labels: pd.DataFrame, min_issues: int = 3) -> pd.Series:
    """A pasted template counts as overuse when its text went to at least ``min_issues`` categories."""
    t = labels[labels["_template_text"] != ""]
    spread = t.groupby(["brand", "_template_text"])["category"].nunique()
    ok = {k for k, n in spread.items() if n >= min_issues}
    return pd.Series([(b, x) in ok for b, x in zip(labels["brand"], labels["_template_text"])], index=labels.index)


def finish_labels(raw: pd.DataFrame) -> pd.DataFrame:
    """Reply labels with template overuse decided over every reply."""
    labels = raw.copy()
    labels["template_overuse"] = _template_labels(labels)
    return labels.drop(columns="_template_text")[[c for c in raw.columns if c != "_template_text"]]
