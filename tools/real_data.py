"""The real hand-labelled dev replies, read at run time from ``../shared/reference/real/`` (never copied here).

Shared by ``tools/measure_checks.py`` and ``tools/train_default_model.py``. Replies are read through the QA
reader and :func:`qa.learned.contexts.reply_contexts`, as ``carebench qa score`` and ``qa train`` read them.

**The sealed brands.** To keep rule writing honest, brands are split once, deterministically, into a
*development* half (whose errors may be read while writing phrases) and a *sealed* half (only ever measured in
aggregate: the least optimistic estimate for the rules). A brand belongs to the source where it has most
labelled replies; within each source its brands are ordered by a SHA-256 of their name and alternate
development / sealed, so every source has sealed brands. A brand is on one side for every source.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path and not os.environ.get("CAREBENCH_QA_ROOT"):
    sys.path.insert(0, str(ROOT))

from qa.checks.base import ReplyContext  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "reference" / "real"  # ../shared beside the repository
SOURCES = {"twcs": "twcs_en_dev.csv", "es": "es_dev.csv", "cdp": "cdp_en_dev.csv"}
LABELLED = ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch")
OLD_ROWS = 600  # the first rows of labels_dev.csv: the set the phrases were first written against
SPLIT_SALT = "carebench/sealed-brands/v1"


@dataclass(frozen=True)
class Labelled:
    """One labelled brand reply: where it comes from, its labels, its context, its row in the labels file."""

    source: str
    label: dict[str, str]
    ctx: ReplyContext
    row: int

    @property
    def brand(self) -> str:
        return self.ctx.brand

    @property
    def new(self) -> bool:
        return self.row >= OLD_ROWS


def load(real: Path = DEFAULT_REAL) -> list[Labelled]:
    """Every labelled reply found in the three dev files, in labels-file order."""
    from qa.learned.contexts import reply_contexts
    from qa.readers import read_messages

    by_id: dict[str, tuple[str, ReplyContext]] = {}
    for source, name in SOURCES.items():
        for ctx in reply_contexts(read_messages(real / name).messages):
            by_id[ctx.reply_id] = (source, ctx)
    out = []
    with (real / "labels_dev.csv").open(newline="", encoding="utf-8") as f:
        for row, label in enumerate(csv.DictReader(f)):
            found = by_id.get(label["reply_id"])
            if found is not None:
                out.append(Labelled(found[0], label, found[1], row))
    return out


def _digest(brand: str) -> str:
    return hashlib.sha256(f"{SPLIT_SALT}/{brand}".encode()).hexdigest()


def sealed_brands(rows: list[Labelled]) -> frozenset[str]:
    """The sealed half of the brands (see the module docstring)."""
    counts = Counter((r.brand, r.source) for r in rows)
    home: dict[str, str] = {}
    for (brand, source), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        home.setdefault(brand, source)
    sealed = set()
    for source in SOURCES:
        brands = sorted((b for b, s in home.items() if s == source), key=_digest)
        sealed.update(brands[1::2])
    return frozenset(sealed)
