"""Reading a reply file in batches of whole threads, so a million-reply export is scored in bounded memory.

A thread's messages can be anywhere in a file (exports are often in time order), and in twcs threads are not
even named: they are the connected pieces of the reply links. So a CSV is read twice with the readers' own
record iterator (:func:`qa.readers_csv.iter_csv`; the first pass through :func:`qa.readers_csv.plan_records`,
the same records without line numbers, read by ``csv.reader`` alone while the file is clean):

1. the first pass keeps two or three 64-bit keys per record (thread or tweet id, message id or reply
   links, author) and finds which records belong together: the same thread, the same message id (so a
   duplicate is judged beside its first occurrence), or, for twcs, linked by a reply. Keys are Python string
   hashes; a collision can only put two threads in one batch, never split one. It also notes the customers
   who post in more than one thread (their posts are kept for repeats across batches, :mod:`qa.repeats`);
2. the second pass holds each group's records until its last record has been read, and hands complete
   groups, about ``batch_messages`` records at a time, to the readers' own validation
   (:func:`qa.readers_own.validate_own` or :func:`qa.readers_twcs.build_twcs_threads`), which report broken rows.

A file sorted by thread or by time holds few open threads at once; one shuffled row by row holds most of
them. JSON Lines and Parquet files are read whole by :func:`qa.readers.read_messages` and then sliced.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import readers
from .readers_csv import csv_header, iter_csv, plan_records, string_columns
from .readers_own import validate_own
from .readers_twcs import TWCS_COLUMNS, build_twcs_threads
from .schema import MESSAGE_COLUMNS
from .pipeline import BATCH_MESSAGES, thread_batches

__all__ = ["BatchSource", "open_batches"]

_FLOAT_ID = re.compile(r"^(\d+)\.0*$")
_TRUE = frozenset(("true", "1", "yes", "t", "y"))  # inbound values of a customer's tweet


def _norm(v: str) -> str:
    """An id as :func:`qa.readers_common.norm_ids` normalises it (strip, ``3.0`` -> ``3``)."""
    v = v.strip()
    if "." not in v:
        return v
    m = _FLOAT_ID.match(v)
    return m.group(1) if m else v


@dataclass
class BatchSource:
    """Batches of whole threads from one file, and what the first pass learnt about it."""

    path: Path
    format: str
    records: int  # data records (for a progress bar)
    keep_authors: Callable[[np.ndarray], np.ndarray] | None  # customers posting in several threads
    _batches: Callable[[], Iterator[readers.ReadResult]] = field(repr=False, default=lambda: iter(()))
    broken_rows: list[tuple[int, str]] = field(default_factory=list)

    def batches(self) -> Iterator[pd.DataFrame]:
        """Messages (own schema, sorted by thread and time) of whole threads; broken rows collected."""
        for rr in self._batches():
            self.broken_rows.extend(rr.broken_rows)
            yield rr.messages
        self.broken_rows.sort()


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _same_key_edges(group: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges joining the groups of records that share a key (consecutive records after sorting by key)."""
    order = np.argsort(key, kind="stable")
    k, g = key[order], group[order]
    same = k[1:] == k[:-1]
    return g[:-1][same], g[1:][same]


def _keeper(author: np.ndarray, comp: np.ndarray, customer: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A test for "this customer posts in more than one group", on author strings."""
    pairs = pd.DataFrame({"a": author[customer], "c": comp[customer]}).drop_duplicates()
    many = pairs["a"].value_counts()
    keys = set(many.index[many > 1].tolist())
    return lambda names: np.fromiter((hash(str(x).strip()) in keys for x in names), bool, len(names))


def _plan_own(path: Path, header: list[str]) -> tuple[np.ndarray, Callable, int]:
    """(group per record, keeper, records) for an own-schema CSV."""
    col = {h: i for i, h in enumerate(header)}
    it, im = col["thread_id"], col["message_id"]
    ia, ir = col.get("author_id"), col["role"]
    th, mid, au, cust = array("q"), array("q"), array("q"), array("b")  # 8 bytes a key, not a Python int
    for n, row in enumerate(plan_records(path, len(header))):
        t, m = _norm(row[it]), _norm(row[im])
        th.append(hash(t) if t else -1 - n)  # a blank id is a broken row: a group of its own
        mid.append(hash(m) if m else -1 - n)
        au.append(hash(row[ia].strip()) if ia is not None else 0)
        cust.append(row[ir].strip().lower() != "brand")
    th_k, mid_k = np.frombuffer(th, dtype=np.int64), np.frombuffer(mid, dtype=np.int64)
    group = pd.factorize(th_k)[0]
    a, b = _same_key_edges(group, mid_k)
    comp = _components(int(group.max()) + 1 if len(group) else 0, a, b)[group] if len(group) else group
    return comp, _keeper(np.frombuffer(au, dtype=np.int64), comp, np.frombuffer(cust, dtype=bool)), len(th)


def _plan_twcs(path: Path) -> tuple[np.ndarray, Callable, int]:
    """(group per record, keeper, records) for a twcs CSV: tweets joined by their reply links."""
    tid, links_from, links_to, au, cust = array("q"), array("q"), array("q"), array("q"), array("b")
    link = links_from.append, links_to.append
    for n, row in enumerate(plan_records(path, len(TWCS_COLUMNS))):
        # an id of digits alone is already normal (no space, no dot): _norm only for the others
        t = row[0] if row[0].isdigit() else _norm(row[0])
        tid.append(hash(t) if t else -1 - n)
        for other in (row[6], *row[5].split(",")) if row[5] else (row[6],):  # parent, then the replies
            if other and not other.isdigit():
                other = _norm(other)
            if other:
                link[0](n)
                link[1](hash(other))
        au.append(hash(row[1].strip()))
        cust.append(row[2].strip().lower() in _TRUE)
    keys = np.frombuffer(tid, dtype=np.int64)
    node, uniques = pd.factorize(keys)  # a duplicate tweet id is the same node as its first occurrence
    target = pd.Index(uniques).get_indexer(np.frombuffer(links_to, dtype=np.int64))  # linked tweet's node, or -1
    src = np.frombuffer(links_from, dtype=np.int64)
    ok = target >= 0
    comp = _components(len(uniques), node[src[ok]], target[ok])[node] if len(node) else node
    return comp, _keeper(np.frombuffer(au, dtype=np.int64), comp, np.frombuffer(cust, dtype=bool)), len(tid)


def _csv_batches(path: Path, fmt: readers.Format, header: list[str], comp: np.ndarray,
                 size: int) -> Iterator[readers.ReadResult]:
    """Pass two: complete groups, about ``size`` records at a time, through the readers' validation."""
    n_fields = len(header)
    last = np.full(int(comp.max()) + 1 if len(comp) else 0, -1, dtype=np.int64)
    np.maximum.at(last, comp, np.arange(len(comp)))
    open_groups: dict[int, list[tuple[int, list[str]]]] = {}
    ready: list[tuple[int, list[str]]] = []
    broken: list[tuple[int, str]] = []

    def build(records: list[tuple[int, list[str]]]) -> readers.ReadResult:
        found = list(broken)
        broken.clear()
        cols, lines = string_columns(iter(records), n_fields)
        # emptied as soon as they are columns: the list is still this generator's while the batch is scored,
        # and its records (a tuple and a list each, ~0.5 KB) would stay in memory and in the collector's walks
        records.clear()
        if fmt.name == "twcs":
            raw = pd.DataFrame(dict(zip(TWCS_COLUMNS, cols)))
            return build_twcs_threads(raw, lines, found)
        df = pd.DataFrame({h: c for h, c in zip(header, cols) if h in MESSAGE_COLUMNS})
        return validate_own(df, lines, found, fmt.name)

    for n, rec in enumerate(iter_csv(path, n_fields, broken)):
        g = int(comp[n])
        if last[g] == n:
            ready.extend(open_groups.pop(g, ()))
            ready.append(rec)
            if len(ready) >= size:
                yield build(ready)
                ready = []
        else:
            open_groups.setdefault(g, []).append(rec)
    rest = [r for recs in open_groups.values() for r in recs]  # only if the file changed between passes
    if ready or rest or broken:
        yield build(sorted(ready + rest))


def open_batches(path: str | Path, batch_messages: int = BATCH_MESSAGES) -> BatchSource:
    """A :class:`BatchSource` for ``path`` (any supported format); errors as one-line ConfigError."""
    path = Path(path)
    fmt = readers.detect_format(path)
    if fmt.name in ("twcs", "own-csv"):
        header = list(TWCS_COLUMNS) if fmt.name == "twcs" else (csv_header(path) or [])
        comp, keeper, records = _plan_twcs(path) if fmt.name == "twcs" else _plan_own(path, header)
        return BatchSource(path, fmt.name, records, keeper,
                           lambda: _csv_batches(path, fmt, header, comp, batch_messages))

    def whole() -> Iterator[readers.ReadResult]:
        rr = readers.read_messages(path)
        broken = rr.broken_rows
        for part in thread_batches(rr.messages, batch_messages):
            yield readers.ReadResult(part, broken, rr.format)
            broken = []

    return BatchSource(path, fmt.name, 0, None, whole)
