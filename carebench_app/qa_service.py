"""What the QA pages need around :func:`qa.api.score_file`: opening files, caching scores, the review queue.

No check logic lives here: scores come from ``qa.api`` exactly as ``carebench qa score`` computes them. This
module only stages uploads, keys the cache on the file's digest and the rulebook's text, sorts and filters the
scored replies for the queue, and finds the words to highlight in a reply. Everything here is plain Python so
it is tested (and benchmarked) without a browser.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .cache import StringCache

__all__ = [
    "reviewable_checks", "READABLE_SUFFIXES", "OpenedFile", "QAView", "Filters", "bytes_digest", "path_digest",
    "stage_bytes", "is_staged", "list_data_files", "default_policy_path", "score", "filter_queue", "page_of", "verdict",
    "evidence_snippets", "evidence_notes", "highlight", "md_escape", "rule_clause", "precedent_parts", "thread_of", "user_errors",
]



def reviewable_checks() -> tuple[str, ...]:
    """The verdicts a reviewer confirms or disputes: every flag the QA module declares (its registry)."""
    from qa.verdicts import flag_specs

    return tuple(s.column for s in flag_specs().values())


# The column naming the agent: ``agent_id`` in the QA module's scores (``agent`` accepted too).
AGENT_COLUMNS = ("agent_id", "agent")
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


@dataclass
class QAView:
    """A scored file, ready for the pages: the QA result plus the queue sorted worst first."""

    opened: OpenedFile
    result: Any  # qa.api.QAResult
    queue: pd.DataFrame  # scores sorted by score ascending, then reply_id
    checks: tuple[str, ...]
    options: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    positions: dict[str, int] = field(default_factory=dict)  # reply id -> row of ``queue``
    threads: dict[str, Any] = field(default_factory=dict)  # thread id -> rows of ``result.messages``

    @property
    def scores(self) -> pd.DataFrame:
        return self.result.scores


def _prepare(opened: OpenedFile, result: Any, seconds: float) -> QAView:
    scores = result.scores
    queue = scores.sort_values(["score", "reply_id"], kind="stable").reset_index(drop=True)
    if "created_at" in queue.columns:
        queue["created_at"] = pd.to_datetime(queue["created_at"], utc=True, errors="coerce")
    checks = tuple(c for c in reviewable_checks() if c in queue.columns)
    # flag matrix once, so filtering by check is a vectorised lookup rather than a per-row parse
    for c in checks:
        queue[f"_flag_{c}"] = queue[c].map(verdict).eq(True)
    agent_col = next((c for c in AGENT_COLUMNS if c in queue.columns), None)
    if agent_col and agent_col != "agent":
        queue["agent"] = queue[agent_col]
    options = {}
    for col in ("agent", "channel", "brand", "customer_language"):
        if col in queue.columns:
            options[col] = sorted(str(v) for v in queue[col].dropna().unique())
    # lookups built once, so opening a reply does not scan 100,000 rows on every rerun
    positions = {str(r): i for i, r in enumerate(queue["reply_id"])}
    msgs = getattr(result, "messages", None)
    threads = msgs.groupby(msgs["thread_id"].astype(str), sort=False).indices if msgs is not None and len(msgs) else {}
    return QAView(opened, result, queue, checks, options, seconds, positions, threads)


def score(
    opened: OpenedFile,
    cache: StringCache,
    progress: Callable[[int, int], None] | None = None,
) -> QAView:
    """Score ``opened`` with ``qa.api.score_file``, once per file digest and rulebook text."""
    import time

    from qa.api import score_file

    def compute() -> QAView:
        t0 = time.perf_counter()
        result = score_file(opened.path, policy_path=opened.policy_path, progress=progress)
        return _prepare(opened, result, time.perf_counter() - t0)

    return cache.get_or_compute(("qa", opened.digest, opened.policy_text), compute)


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
    checks: tuple[str, ...] = ()  # replies flagged by any of these
    languages: tuple[str, ...] = ()
    date_from: Any = None  # datetime.date or None
    date_to: Any = None
    score_min: float = 0.0
    score_max: float = 100.0


def filter_queue(view: QAView, f: Filters) -> pd.DataFrame:
    """The queue rows that pass ``f``, still worst first. Vectorised: a 100,000-row queue filters in ms."""
    q = view.queue
    mask = pd.Series(True, index=q.index)
    for col, values in (("agent", f.agents), ("channel", f.channels), ("brand", f.brands),
                        ("customer_language", f.languages)):
        if values and col in q.columns:
            mask &= q[col].astype(str).isin(values)
    if f.checks:
        flagged = pd.Series(False, index=q.index)
        for c in f.checks:
            if f"_flag_{c}" in q.columns:
                flagged |= q[f"_flag_{c}"]
        mask &= flagged
    if "created_at" in q.columns and (f.date_from or f.date_to):
        day = q["created_at"].dt.date
        if f.date_from:
            mask &= day >= f.date_from
        if f.date_to:
            mask &= day <= f.date_to
    if f.score_min > 0 or f.score_max < 100:
        mask &= q["score"].between(f.score_min, f.score_max)
    return q[mask]


def page_of(rows: pd.DataFrame, page: int, size: int) -> pd.DataFrame:
    """Rows of the 1-based ``page``: only these are rendered, never the whole queue."""
    start = max(page - 1, 0) * size
    return rows.iloc[start:start + size]


def _parse_evidence(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], dict):
        from qa.evidence import as_dicts  # the QA module's structured evidence (qa.evidence.Item)

        return as_dicts(value)
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "{[":
            try:
                return json.loads(text)
            except ValueError:
                pass
    return value


def evidence_snippets(value: Any, check: str) -> list[str]:
    """The words that triggered ``check``, from a reply's ``evidence`` field.

    Accepts the shapes a scores table may carry: a mapping of check to snippets (or to objects with a ``text``),
    a list of objects with ``check`` and ``text``, or ``check: words; check: words`` text.
    """
    value = _parse_evidence(value)
    out: list[str] = []

    def add(item: Any) -> None:
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif isinstance(item, dict) and item.get("text"):
            out.append(str(item["text"]))
        elif isinstance(item, (list, tuple)):
            for i in item:
                add(i)

    if isinstance(value, dict):
        add(value.get(check))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("check") == check:
                add(item.get("text") or item.get("evidence"))
    elif isinstance(value, str):
        for part in re.split(r"\s*[|\n]\s*", value):
            name, sep, words = part.partition(":")
            name = name.strip()
            # "off_policy_compensation: ..." is evidence for the compensation check too
            if sep and (name == check or name.endswith("_" + check)):
                words = words.strip()
                if words[:1] in "'\"" and words[-1:] == words[:1]:
                    add(words[1:-1])  # quoted words from the reply; anything else is an explanation
    return out


def evidence_notes(value: Any, check: str) -> list[str]:
    """Explanations in the ``evidence`` text that are not words of the reply ("same text as reply 123")."""
    value = _parse_evidence(value)
    if isinstance(value, list):
        return [str(i["note"]) for i in value if isinstance(i, dict) and i.get("check") == check and i.get("note")]
    if not isinstance(value, str):
        return []
    notes = []
    for part in re.split(r"\s*[|\n]\s*", value):
        name, sep, words = part.partition(":")
        words = words.strip()
        if sep and name.strip() == check and words and not (words[:1] in "'\"" and words[-1:] == words[:1]):
            notes.append(words.strip("()"))
    return notes


# ASCII punctuation that Streamlit's Markdown would act on ($ starts LaTeX); & < > are left to html.escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def md_escape(text: str) -> str:
    """``text`` safe inside ``st.markdown(..., unsafe_allow_html=True)``: shown exactly as posted, with no
    Markdown, LaTeX, HTML or auto-linked e-mail addresses made from customers' words."""
    # an element boundary at "@" stops GitHub-flavoured Markdown from turning an address into a mailto: link
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text)).replace("@", "<span>@</span>")


def highlight(text: str, snippets: Iterable[str]) -> str:
    """``text`` for ``st.markdown`` with each snippet marked (case-insensitive); everything else escaped."""
    spans: list[tuple[int, int]] = []
    lower = text.lower()
    for s in snippets:
        s = s.lower()
        start = lower.find(s)
        while s and start >= 0:
            spans.append((start, start + len(s)))
            start = lower.find(s, start + len(s))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:  # overlapping evidence becomes one mark, never nested ones
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(md_escape(text[pos:start]))
        out.append(f"<mark>{md_escape(text[start:end])}</mark>")
        pos = end
    out.append(md_escape(text[pos:]))
    return "".join(out)


# Rulebook keys that govern a check beyond keys naming the check itself (substrings of the key, lower case).
_CLAUSE_KEYS = {
    "compensation": ("compensation", "concession"),
    "language_mismatch": ("language",),
    "pii_exposed": ("pii", "personal"),
    "late_response": ("late_response", "first_response"),
}


def rule_clause(policy_text: str, check: str, limit: int = 6) -> str:
    """The parts of the rulebook (as YAML) that govern ``check``; empty when none is found.

    Collects every key whose name contains the check's name (or a stem such as ``concession`` for
    compensation), and every list that names the check (``auto_fail: [pii_exposed, ...]``), so the viewer
    works on any rulebook layout the QA module accepts.
    """
    try:
        data = yaml.safe_load(policy_text) if policy_text else None
    except yaml.YAMLError:
        return ""
    stems = _CLAUSE_KEYS.get(check, ()) + (check,)
    hits: list[tuple[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                p = f"{path}.{k}" if path else str(k)
                if any(stem in str(k).lower() for stem in stems):
                    hits.append((p, v))
                else:
                    walk(v, p)
        elif isinstance(node, list):
            if any(isinstance(item, str) and item == check for item in node):
                hits.append((path, node))
            else:
                for i, item in enumerate(node):
                    walk(item, f"{path}[{i}]")

    walk(data, "")
    text = "".join(yaml.safe_dump({p: v}, sort_keys=False, allow_unicode=True) for p, v in hits[:limit])
    return text if len(text) < 4000 else text[:4000] + "\n..."


# Columns of a scores row that explain its precedent risk and the concession behind it.
PRECEDENT_COLUMNS = ("departure", "visibility", "claimability", "policy_status", "policy_reasons", "concessions",
                     "customer_followers")


def precedent_parts(row: pd.Series) -> dict[str, Any]:
    """The parts of the precedent-risk score carried in a scores row (columns ``precedent_*``)."""
    parts = {k: row[k] for k in row.index
             if (k in PRECEDENT_COLUMNS or str(k).startswith("precedent_")) and k != "precedent_risk"}
    detail = _parse_evidence(row.get("precedent_parts")) if "precedent_parts" in row.index else None
    if isinstance(detail, dict):
        parts.pop("precedent_parts", None)
        parts.update(detail)
    return parts


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
