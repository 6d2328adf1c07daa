"""What the QA pages need around :func:`qa.api.score_file`: opening files, caching scores, the review queue.

No check logic lives here: scores come from ``qa.api`` exactly as ``carebench qa score`` computes them. This
module only stages uploads, keys the cache on the file's digest and the rulebook's text, sorts and filters the
scored replies for the queue, and lays out what a reply's cards show. Everything here is plain Python so it is
tested (and benchmarked) without a browser.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .cache import StringCache
from .learning import ModelChoice
from .row_index import RowIndex

__all__ = [
    "reviewable_checks", "READABLE_SUFFIXES", "NO_AGENT", "OpenedFile", "QAView", "Filters", "bytes_digest",
    "path_digest", "stage_bytes", "is_staged", "list_data_files", "default_policy_path", "score", "filter_queue",
    "filtered_positions", "page_of", "verdict", "thread_of", "user_errors", "flag_list", "uncertainty",
]



def reviewable_checks() -> tuple[str, ...]:
    """The verdicts a reviewer confirms or disputes even when they are not flagged: every verdict column the QA
    module declares (its registry). Every other name that appears in ``flags`` is reviewable too."""
    from qa.verdicts import flag_specs

    return tuple(s.column for s in flag_specs().values())


# The column naming the agent: ``agent_id`` in the QA module's scores (``agent`` accepted too).
AGENT_COLUMNS = ("agent_id", "agent")
NO_AGENT = "(no agent id)"  # the filter's name for replies that carry no agent signature
READABLE_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet", ".csv.gz", ".jsonl.gz")


def bytes_digest(data: bytes) -> str:
    """SHA-256 of a file's bytes: the key of its scores and of its reviews."""
    return hashlib.sha256(data).hexdigest()


def path_digest(path: str | Path) -> str:
    """SHA-256 of a file on disk, read in chunks so a large export does not sit in memory twice."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def stage_bytes(name: str, data: bytes, digest: str | None = None) -> Path:
    """Write uploaded bytes to this session's private upload folder (see :mod:`carebench_app.uploads`)."""
    from .uploads import stage

    return stage(name, data, digest or bytes_digest(data))


def is_staged(path: str | Path) -> bool:
    """Whether ``path`` is a staged upload (so messages should name the upload, not the temp copy)."""
    from .uploads import is_staged as staged

    return staged(path)


def list_data_files(data_dir: str | Path) -> list[Path]:
    """Reply files in the data folder (not recursive), by name."""
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(READABLE_SUFFIXES))


def default_policy_path() -> Path | None:
    """The rulebook shipped with the QA module, if it is installed."""
    try:
        from importlib.resources import files

        path = Path(str(files("qa") / "policies" / "default.yaml"))
    except (ImportError, ModuleNotFoundError):
        return None
    return path if path.exists() else None


def user_errors() -> tuple[type[BaseException], ...]:
    """Exception types whose message is meant for the user: shown as one line, never as a traceback."""
    from sim.loader import ConfigError

    types: list[type[BaseException]] = [ConfigError]
    try:
        import qa.api as qa_api

        types += [v for v in vars(qa_api).values()
                  if isinstance(v, type) and issubclass(v, Exception) and v.__module__.startswith("qa")]
    except ImportError:
        pass
    return tuple(dict.fromkeys(types))


@dataclass(frozen=True)
class OpenedFile:
    """A reply file chosen on the Open page, and the rulebook to score it with (``policy_path`` None: default)."""

    name: str
    path: str
    digest: str
    policy_name: str = "default rulebook"
    policy_path: str | None = None
    policy_text: str = ""
    model: ModelChoice | None = None  # None: rules only; else rules with this learned model (qa.learned)

    @property
    def token(self) -> str:
        """What a URL says to reopen this file with this rulebook (and model): digests only, never a path."""
        rule = hashlib.sha256(self.policy_text.encode()).hexdigest()[:8]
        return f"{self.digest[:16]}-{rule}" + (f"-m{self.model.digest}" if self.model else "")

    @property
    def cache_key(self) -> tuple[str, ...]:
        return ("qa", self.digest, self.policy_text) + ((self.model.digest,) if self.model else ())


@dataclass
class QAView:
    """A scored file, ready for the pages: the QA result plus the queue sorted worst first.

    ``items`` are the names a reviewer can filter by, see on a card and dispute: the verdict columns, then
    every other name the file's ``flags`` use (scorecard criteria such as ``no_empathy``). For each, the queue
    carries ``_v_<name>`` (True, False or missing: undetermined) and ``_flag_<name>`` (True only when flagged).
    """

    opened: OpenedFile
    result: Any  # qa.api.QAResult
    queue: pd.DataFrame  # scores sorted by score ascending, then reply_id
    checks: tuple[str, ...]
    options: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    positions: dict[str, int] = field(default_factory=dict)  # reply id -> row of ``queue``
    threads: Any = field(default_factory=dict)  # thread id -> rows of ``result.messages`` (a RowIndex)
    items: tuple[str, ...] = ()
    book: Any = None  # the rulebook (qa.rulebook.Rulebook) the file was scored with
    columns: dict[str, str] = field(default_factory=dict)  # item -> the scores column it reads

    @property
    def scores(self) -> pd.DataFrame:
        return self.result.scores

    @property
    def weights(self) -> dict[str, float]:
        """Points each criterion of the rubric costs at most."""
        return rubric_weights(self.book)


def rubric_weights(book: Any) -> dict[str, float]:
    """The rulebook's criteria and the points each costs at most (its weight)."""
    rules = getattr(getattr(book, "scorecard", None), "criteria", None) or {}
    return {name: float(rule.weight) for name, rule in rules.items()}


def flag_list(value: Any) -> list[str]:
    """A ``flags`` cell as a list of names (the table writes them joined by ``;``)."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v)]
    return [f for f in str(value or "").split(";") if f] if isinstance(value, str) else []


def _criteria() -> dict[str, Any]:
    from qa.criteria import criteria

    return dict(criteria())


def _points_columns(queue: pd.DataFrame, book: Any) -> None:
    """``_pts_<criterion>``: the points each reply lost per criterion, as the QA module's scorecard counts them."""
    from qa.scorecard import points_lost

    try:
        lost = points_lost(queue, book)
    except (AttributeError, KeyError, TypeError, ValueError):  # a table without the verdicts: no parts shown
        return
    for name in lost.columns:
        queue[f"_pts_{name}"] = lost[name].to_numpy()


def _flag_columns(queue: pd.DataFrame, book: Any) -> tuple[tuple[str, ...], dict[str, str]]:
    """Add ``_v_``/``_flag_`` columns for every reviewable name and ``_pts_`` columns (points lost per criterion);
    returns the names and the column each criterion reads. Vectorised over the distinct ``flags`` values."""
    names = [c for c in reviewable_checks() if c in queue.columns]
    # each distinct ``flags`` text is split once; a name's flag is then a lookup by the row's code
    codes, distinct = (pd.factorize(queue["flags"].astype(str)) if "flags" in queue.columns
                       else (np.zeros(len(queue), dtype=np.intp), []))
    seen = list(dict.fromkeys(f for combo in distinct for f in flag_list(combo)))
    names += [n for n in seen if n not in names]
    criteria, columns = _criteria(), {}
    undetermined: dict[str, np.ndarray] = {}
    for name, crit in criteria.items():
        try:
            failed = crit.failed(queue, book)
        except (AttributeError, KeyError, TypeError):
            continue
        columns[name] = getattr(crit, "column", name)
        undetermined[name] = failed.isna().to_numpy()
    _points_columns(queue, book)
    for name in names:
        if name in queue.columns:
            queue[f"_v_{name}"] = _as_boolean(queue[name])
        else:  # the flags say what the scorecard flagged; its criterion says what it could not judge
            has = np.array([name in flag_list(combo) for combo in distinct] or [False])
            flagged = has[codes]
            unknown = undetermined[name] & ~flagged if name in undetermined else np.zeros(len(queue), dtype=bool)
            queue[f"_v_{name}"] = pd.arrays.BooleanArray(flagged, unknown)
        queue[f"_flag_{name}"] = queue[f"_v_{name}"].fillna(False).astype(bool)
    return tuple(names), columns


def _as_boolean(column: pd.Series) -> pd.Series:
    """A verdict column as pandas' nullable boolean (missing: undetermined), vectorised for bool dtypes."""
    if pd.api.types.is_bool_dtype(column) or str(column.dtype) == "boolean":
        return column.astype("boolean")
    codes, distinct = pd.factorize(column)  # missing values get code -1; each distinct value is read once
    read = [verdict(v) for v in distinct]
    values = np.array([bool(v) for v in read] + [False])[codes]
    unknown = np.array([v is None for v in read] + [True])[codes]
    return pd.Series(pd.arrays.BooleanArray(values, unknown), index=column.index, name=column.name)


def _load_book(opened: OpenedFile) -> Any:
    try:
        from qa.api import load_policy

        return load_policy(opened.policy_path)
    except Exception:  # noqa: BLE001 - the file was just scored with it; without it only the sums are missing
        return None


def _prepare(opened: OpenedFile, result: Any, seconds: float, book: Any = None) -> QAView:
    scores = result.scores
    queue = scores.sort_values(["score", "reply_id"], kind="stable").reset_index(drop=True)
    if "created_at" in queue.columns:
        queue["created_at"] = pd.to_datetime(queue["created_at"], utc=True, errors="coerce")
    items, columns = _flag_columns(queue, book)
    checks = tuple(c for c in reviewable_checks() if c in queue.columns)
    agent_col = next((c for c in AGENT_COLUMNS if c in queue.columns), None)
    if agent_col and agent_col != "agent":
        queue["agent"] = queue[agent_col]
    options = {}
    for col in ("agent", "channel", "brand", "customer_language"):
        if col in queue.columns:
            values = queue[col].astype("string")
            options[col] = sorted(str(v) for v in values.dropna().unique() if str(v).strip())
            if col == "agent" and (values.isna() | (values.str.strip() == "")).any():
                options[col].append(NO_AGENT)
    # lookups built once, so opening a reply does not scan 100,000 rows on every rerun
    ids = queue["reply_id"].astype(str).tolist()
    positions = dict(zip(ids, range(len(ids))))
    msgs = getattr(result, "messages", None)
    threads = RowIndex(msgs["thread_id"]) if msgs is not None and len(msgs) else {}
    return QAView(opened, result, queue, checks, options, seconds, positions, threads, items, book, columns)


def score(opened: OpenedFile, cache: StringCache, progress: Callable[[int, int], None] | None = None) -> QAView:
    """Score ``opened`` with ``qa.api.score_file``, once per file digest, rulebook text and model."""
    from qa.api import score_file
    from qa.memory import keep_frozen
    from qa.parallel import default_jobs  # both cores of a two-core machine (the same result as one)

    def compute() -> QAView:
        t0 = time.perf_counter()
        model = {"model": opened.model.path} if opened.model else {}
        result = score_file(opened.path, opened.policy_path, progress=progress, jobs=default_jobs(), **model)
        keep_frozen()  # else the preparation sets off a full collection walking the result (0.3 s at 50k)
        return _prepare(opened, result, time.perf_counter() - t0, _load_book(opened))

    return cache.get_or_compute(opened.cache_key, compute)


def verdict(value: Any) -> bool | None:
    """A check's verdict as True, False or None (undetermined), whatever the column's dtype."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        v = value.strip().lower()
        return True if v in ("true", "1", "yes") else False if v in ("false", "0", "no") else None
    return bool(value)


@dataclass(frozen=True)
class Filters:
    """The review queue's filters; empty tuples mean 'all'."""

    agents: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()  # replies flagged by any of these names (checks or scorecard criteria)
    languages: tuple[str, ...] = ()
    date_from: Any = None  # datetime.date or None
    date_to: Any = None
    score_min: float = 0.0
    score_max: float = 100.0

    @property
    def empty(self) -> bool:
        return not (self.agents or self.channels or self.brands or self.checks or self.languages
                    or self.date_from or self.date_to or self.score_min > 0 or self.score_max < 100)


def _mask(view: QAView, f: Filters) -> np.ndarray:
    q = view.queue
    mask = np.ones(len(q), dtype=bool)
    for col, values in (("agent", f.agents), ("channel", f.channels), ("brand", f.brands),
                        ("customer_language", f.languages)):
        if values and col in q.columns:
            column = q[col].astype("string")
            hit = column.isin([v for v in values if v != NO_AGENT]).fillna(False).to_numpy(dtype=bool)
            if col == "agent" and NO_AGENT in values:
                hit = hit | (column.isna() | (column.str.strip() == "")).fillna(True).to_numpy(dtype=bool)
            mask &= hit
    if f.checks:
        flagged = np.zeros(len(q), dtype=bool)
        for c in f.checks:
            if f"_flag_{c}" in q.columns:
                flagged = flagged | q[f"_flag_{c}"].to_numpy(dtype=bool)
        mask &= flagged
    if "created_at" in q.columns and (f.date_from or f.date_to):
        at = q["created_at"]
        if f.date_from:
            mask &= (at >= pd.Timestamp(f.date_from, tz="UTC")).to_numpy()
        if f.date_to:
            mask &= (at < pd.Timestamp(f.date_to, tz="UTC") + pd.Timedelta(days=1)).to_numpy()
    if f.score_min > 0 or f.score_max < 100:
        mask &= q["score"].between(f.score_min, f.score_max).to_numpy()
    return mask


def filtered_positions(view: QAView, f: Filters) -> np.ndarray:
    """Rows of ``view.queue`` that pass ``f``, worst first (all rows, without a copy, when nothing filters)."""
    if f.empty:
        return np.arange(len(view.queue))
    return np.flatnonzero(_mask(view, f))


def filter_queue(view: QAView, f: Filters) -> pd.DataFrame:
    """The queue rows that pass ``f``, still worst first. Vectorised: a 100,000-row queue filters in ms."""
    if f.empty:
        return view.queue
    return view.queue[_mask(view, f)]


def page_of(rows: pd.DataFrame, page: int, size: int) -> pd.DataFrame:
    """Rows of the 1-based ``page``: only these are rendered, never the whole queue."""
    start = max(page - 1, 0) * size
    return rows.iloc[start:start + size]


def thread_of(view: QAView, thread_id: str) -> pd.DataFrame:
    """The thread's messages oldest first, with minutes since the last customer post for brand messages."""
    rows = view.threads.get(str(thread_id))
    if rows is None:
        return pd.DataFrame(columns=["message_id", "role", "created_at", "text"])
    t = view.result.messages.iloc[rows].copy()
    t["created_at"] = pd.to_datetime(t["created_at"], utc=True, errors="coerce")
    t = t.sort_values("created_at", kind="stable")
    last_customer = t["created_at"].where(t["role"] == "customer").ffill()
    t["minutes_after_customer"] = ((t["created_at"] - last_customer).dt.total_seconds() / 60.0).where(
        t["role"] == "brand")
    return t


def uncertainty(view: QAView) -> np.ndarray:
    """Per row of ``view.queue``, how unsure the learned model is (``qa.learned.uncertainty``, 1 = on its
    threshold); computed once per scored file. Zeros when the file was scored without a model."""
    cached = getattr(view, "_uncertainty", None)
    if cached is not None:
        return cached
    values = np.zeros(len(view.queue))
    if view.opened.model and len(view.queue) and "text" in view.queue.columns:
        from qa.learned import uncertainty as model_uncertainty

        from .learning import load

        model = load(view.opened.model)
        values = np.asarray(model_uncertainty(model, view.queue["text"].fillna("").astype(str).tolist()))
    view._uncertainty = values
    return values
