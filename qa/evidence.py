"""Evidence for a reply's verdicts: structured spans until the edge, one serialisation, one parser.

In memory a reply's evidence is a tuple of :class:`Item`: the check (or verdict) it supports, the words of the
reply that triggered it with their offsets (``text == reply[start:end]``), and a note giving context that is
not words of the reply ("public reply on twitter", "same text as reply 123"). ``scores.csv`` carries it as a
JSON list of objects (:func:`dumps`); :func:`parse` reads that back, and also the ``check: "words" | ...``
text of earlier runs, so nothing else needs to parse evidence.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .memo import Memo

__all__ = ["Item", "dumps", "dumps_more", "forget_item_json", "parse", "snippets", "notes", "as_dicts"]


@dataclass(frozen=True)
class Item:
    """One piece of evidence; ``start``/``end`` are -1 for a note that is not words of the reply."""

    check: str
    text: str = ""
    start: int = -1
    end: int = -1
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"check": self.check}
        if self.start >= 0:
            d.update(start=self.start, end=self.end, text=self.text)
        elif self.text:
            d["text"] = self.text
        if self.note:
            d["note"] = self.note
        return d


def _item_json(item: Item) -> str:
    return json.dumps(item.as_dict(), ensure_ascii=False, separators=(",", ":"))


# each distinct item's JSON once (at most 16,384 items, a few MB; 50,000 cost 25 MB for no more speed): most
# items repeat (the same note, the same phrase of a template), and a JSON list is its elements' JSON joined by
# commas, so a reply's evidence is joined from them
_ITEM_JSON = Memo(_item_json, 16_384)


def forget_item_json() -> None:
    """Empty the memo of items' JSON (a run's phase one is over: its items are gone)."""
    _ITEM_JSON.clear()


def dumps(items: Iterable[Item]) -> str:
    """The JSON form written to ``scores.csv``: ``[{"check": ..., "start": .., "end": .., "text": ..}, ...]``."""
    if not items:
        return "[]"
    return "[" + ",".join(map(_ITEM_JSON.__getitem__, items)) + "]"


def dumps_more(dumped: str, items: Iterable[Item]) -> str:
    """``dumps`` of the evidence ``dumped`` (its JSON) followed by ``items``, without parsing it: a JSON list is
    its elements' JSON joined by commas, so the items' objects are appended to the text."""
    more = ",".join(map(_ITEM_JSON.__getitem__, items))
    if not more:
        return dumped
    return f"[{more}]" if dumped == "[]" else f"{dumped[:-1]},{more}]"


_LEGACY_PART = re.compile(r"\s*\|\s*")


def _from_dict(d: dict) -> Item:
    start, end = d.get("start"), d.get("end")
    return Item(str(d.get("check", "")), str(d.get("text") or ""), int(start) if start is not None else -1,
                int(end) if end is not None else -1, str(d.get("note") or ""))


def _legacy(text: str) -> tuple[Item, ...]:
    out = []
    for part in _LEGACY_PART.split(text):
        name, sep, words = part.partition(":")
        if not sep:
            continue
        words = words.strip()
        if len(words) >= 2 and words[0] == words[-1] == '"':
            out.append(Item(name.strip(), words[1:-1]))
        elif words:
            out.append(Item(name.strip(), note=words.strip("()")))
    return tuple(out)


def parse(value: Any) -> tuple[Item, ...]:
    """Evidence from any form a scores table may hold: items, dicts, the JSON text, earlier runs' text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, Item):
        return (value,)
    if isinstance(value, dict):
        return (_from_dict(value),)
    if isinstance(value, (list, tuple)):
        return tuple(i if isinstance(i, Item) else _from_dict(i) for i in value if isinstance(i, (Item, dict)))
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                return parse(json.loads(s))
            except ValueError:
                pass
        return _legacy(s) if s else ()
    return ()


def snippets(value: Any, check: str) -> list[str]:
    """The words of the reply that support ``check``."""
    return [i.text for i in parse(value) if i.check == check and i.text]


def notes(value: Any, check: str) -> list[str]:
    """The context notes for ``check`` (not words of the reply)."""
    return [i.note for i in parse(value) if i.check == check and i.note]


def as_dicts(value: Any) -> list[dict[str, Any]]:
    """Plain dicts (for JSON or a UI): ``check``, and ``start``/``end``/``text`` and/or ``note``."""
    return [i.as_dict() for i in parse(value)]
