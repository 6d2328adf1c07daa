"""Training labels from files: a labels CSV (one row per reply, a 1/0/empty column per check) or the reviews
CSV the app exports (one row per reviewer decision), matched to the replies of one or more reply files.

The app's reviews hold a reviewer's ``human_verdict`` per reply and check (the automatic verdict when they
confirmed it, its opposite when they disputed it): :func:`labels_from_reviews` turns them into the labels
layout, the latest decision winning, so reviewers' work becomes training data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from carebench_shared.config import ConfigError, regular_file
from carebench_shared.csv_table import read_csv_table
from carebench_shared.safe_text import printable

from qa.checks.base import ReplyContext

from .contexts import reply_contexts
from .model import LABEL_CHECKS  # the checks a model may hold, defined with the model file
from .train import MIN_GROUPS, TrainingSet

__all__ = ["LABEL_CHECKS", "labels_from_reviews", "read_labels", "training_set", "file_digest"]

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _flag(value: object) -> str:
    v = str(value).strip().lower()
    return "1" if v in _TRUE else "0" if v in _FALSE else ""


def labels_from_reviews(reviews: pd.DataFrame) -> pd.DataFrame:
    """Reviews (``reply_id``, ``check``, ``human_verdict``, optionally ``reviewed_at``) as a labels table:
    ``reply_id`` and a ``"1"``/``"0"``/``""`` column per reviewed check; the latest review of a verdict wins."""
    df = reviews.copy()
    if "reviewed_at" in df.columns:  # as times: as text, 10:00+05:00 sorted after 06:00Z, an hour after it
        df = df.assign(_when=review_times(df["reviewed_at"])).sort_values("_when", kind="stable", na_position="first")
    df = df.drop_duplicates(["reply_id", "check"], keep="last")
    df["value"] = [_flag(v) for v in df["human_verdict"]]
    wide = df.pivot(index="reply_id", columns="check", values="value").fillna("")
    wide.columns.name = None
    return wide.reset_index()


def review_times(values: pd.Series) -> pd.Series:
    """``reviewed_at`` as UTC times (ISO 8601, any offset; a time without one is UTC); NaT where blank or not a
    time."""
    text = values.astype(str).str.strip()
    return pd.to_datetime(text.where(text != ""), utc=True, errors="coerce", format="ISO8601")


def read_labels(path: str | Path, known: Iterable[str] = LABEL_CHECKS) -> pd.DataFrame:
    """A labels CSV or an app reviews CSV, as a labels table (``reply_id`` + a column per check of ``known``:
    the checks a model may learn for ``qa train``, every verdict for ``qa evaluate``)."""
    path = Path(path)
    regular_file(path, "labels")
    df = read_csv_table(path, "labels", dtype=str, keep_default_na=False)
    if "reply_id" not in df.columns:
        raise ConfigError(f"{printable(path)}: no reply_id column (expected a labels CSV or the app's reviews export)")
    blank = np.flatnonzero((df["reply_id"].str.strip() == "").to_numpy())
    if len(blank):  # its labels would belong to no reply, and be dropped without a word
        raise ConfigError(f"{printable(path)}:{blank[0] + 2}: reply_id: empty")
    reviews = {"check", "human_verdict"} <= set(df.columns)
    if reviews:
        _refuse_unreadable(path, "human_verdict", df["human_verdict"], df["human_verdict"].map(_flag))
        if "reviewed_at" in df.columns:  # an unreadable time would sort first: another review silently "latest"
            given = (df["reviewed_at"].str.strip() != "").to_numpy()
            bad = np.flatnonzero(given & review_times(df["reviewed_at"]).isna().to_numpy())
            if len(bad):
                raise ConfigError(f"{printable(path)}:{bad[0] + 2}: reviewed_at: "
                                  f"'{printable(df['reviewed_at'].iloc[bad[0]], 40)}' is not an ISO 8601 time")
        df = labels_from_reviews(df)
    known = tuple(known)
    checks = [c for c in known if c in df.columns]
    if not checks:
        raise ConfigError(f"{printable(path)}: no check columns (any of {', '.join(known)})")
    out = df[["reply_id", *checks]].copy()
    for c in checks:
        out[c] = [_flag(v) for v in out[c]]
        if not reviews:
            _refuse_unreadable(path, c, df[c], out[c])
    if not reviews:
        _refuse_conflicts(path, out, checks)
    return out.drop_duplicates("reply_id", keep="last").reset_index(drop=True)


def _refuse_unreadable(path: Path, check: str, raw: pd.Series, flags: pd.Series) -> None:
    """A label that is neither yes, no nor blank ("ture", "2") would silently become "not labelled"."""
    bad = np.flatnonzero((flags == "").to_numpy() & (raw.str.strip() != "").to_numpy())
    if len(bad):
        raise ConfigError(f"{printable(path)}:{bad[0] + 2}: {check}: '{printable(raw.iloc[bad[0]], 40)}' is not a "
                          "label (1/0, true/false, yes/no, or blank for not labelled)")


def _refuse_conflicts(path: Path, out: pd.DataFrame, checks: list[str]) -> None:
    """A reply labelled twice with different labels: which one is right is not for the trainer to guess."""
    dup = out[out["reply_id"].duplicated(keep=False)]
    if not len(dup):
        return
    for rid, rows in dup.groupby("reply_id", sort=False):
        if len(rows[checks].drop_duplicates()) > 1:
            first, again = (int(i) + 2 for i in rows.index[:2])
            raise ConfigError(f"{printable(path)}:{again}: reply_id '{printable(rid, 40)}' is labelled again with "
                              f"other labels (first on line {first})")


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def training_set(labels: pd.DataFrame, replies: Iterable[tuple[pd.DataFrame, str]], checks) -> tuple[TrainingSet, int]:  # noqa: ANN001
    """The labelled replies found in ``replies`` (pairs of a message table and its file name) with their rule
    verdicts; returns the set and how many labelled ids were not found in any reply file."""
    wanted = dict(zip(labels["reply_id"].astype(str), labels.index))
    found: list[tuple[ReplyContext, str, int]] = []
    seen: set[str] = set()
    for messages, name in replies:
        threads = dict(zip(messages["message_id"].astype(str), messages["thread_id"].astype(str)))
        for ctx in reply_contexts(messages):
            if ctx.reply_id in wanted and ctx.reply_id not in seen:
                seen.add(ctx.reply_id)
                found.append((ctx, f"{name}:{threads.get(ctx.reply_id, '')}", wanted[ctx.reply_id]))
    cols = [c for c in LABEL_CHECKS if c in labels.columns]
    label_arrays = {}
    for c in cols:
        values = labels[c].to_numpy()
        label_arrays[c] = np.array([{"1": 1, "0": 0}.get(values[row], -1) for _, _, row in found], dtype=np.int8)
    rules = {c: np.array([checks[c].run(ctx).verdict is True for ctx, _, _ in found]) for c in cols if c in checks}
    brands = np.array([ctx.brand for ctx, _, _ in found])
    use_brands = len(set(brands)) >= MIN_GROUPS
    groups = brands if use_brands else np.array([t for _, t, _ in found])
    data = TrainingSet([ctx.text for ctx, _, _ in found], {c: label_arrays[c] for c in rules}, rules, groups,
                       "brand" if use_brands else "thread")
    return data, len(wanted) - len(found)
