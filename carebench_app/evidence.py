"""The words behind each verdict, found in the reply and marked with one colour per check.

Evidence arrives in whatever shape the scores table carries: structured spans (a mapping of check to
``{start, end, text}`` objects, or a list of ``{check, start, end, text}``), or the text form
``check: "words" | check: (an explanation)``. Every shape becomes :class:`Mark` objects; repeats are dropped;
marks are located in the reply (by their offsets when those still match the text, else by searching for the
words) and rendered as HTML that Streamlit's Markdown shows literally, whatever the customer wrote.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Mark", "marks", "notes", "spans", "highlight", "md_escape", "colours", "chip", "PALETTE"]

# Light backgrounds that dark text stays readable on, far enough apart to tell checks apart side by side.
PALETTE = ("#ffe08a", "#a7d8ff", "#ffb3b3", "#b9f2b0", "#e0c3ff", "#ffcf9e", "#9ff0e6", "#f7b3e4",
           "#d9d9a3", "#c9d1ff", "#ffd6e0", "#c7e9c0")


@dataclass(frozen=True)
class Mark:
    """Words of the reply that triggered ``check`` (``start``/``end`` when the table gave offsets)."""

    check: str
    text: str
    start: int | None = None
    end: int | None = None
    source: str = ""  # what found it when the table says: rule, model or both


def _parse(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], dict):
        from qa.evidence import as_dicts  # the QA module's structured evidence (qa.evidence.Item) in memory

        return as_dicts(value)
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "{[":
            try:
                return json.loads(text)
            except ValueError:
                pass
    return value


def _quoted(words: str) -> str | None:
    words = words.strip()
    return words[1:-1] if len(words) >= 2 and words[:1] in "'\"" and words[-1:] == words[:1] else None


_TAG = re.compile(r"^(\w+)\s*\((rule|model|both)\)$")


def _name(tag: str) -> tuple[str, str]:
    """``deflection (model)`` -> (``deflection``, ``model``): the pipeline tags evidence the rules did not find."""
    tag = tag.strip()
    m = _TAG.match(tag)
    return (m.group(1), m.group(2)) if m else (tag, "")


def _from_object(check: str, item: Any) -> Mark | None:
    check, source = _name(check)
    if isinstance(item, str):
        return Mark(check, item.strip(), source=source) if item.strip() else None
    if isinstance(item, dict):
        text = str(item.get("text") or item.get("evidence") or "").strip()
        start, end = item.get("start"), item.get("end")
        if text:
            ok = isinstance(start, int) and isinstance(end, int)
            return Mark(check, text, start if ok else None, end if ok else None, str(item.get("source") or source))
    return None


def marks(value: Any) -> list[Mark]:
    """Every quoted piece of evidence in ``value``, in order, each (check, words) once."""
    value = _parse(value)
    out: list[Mark] = []
    if isinstance(value, dict):
        for check, items in value.items():
            for item in items if isinstance(items, (list, tuple)) else [items]:
                out.append(_from_object(str(check), item))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("check"):
                out.append(_from_object(str(item["check"]), item))
    elif isinstance(value, str):
        for part in re.split(r"\s*[|\n]\s*", value):
            name, sep, words = part.partition(":")
            quoted = _quoted(words) if sep else None
            if quoted:
                check, source = _name(name)
                out.append(Mark(check, quoted, source=source))
    seen: set[tuple[str, str]] = set()
    unique = []
    for m in out:
        if m is not None and (m.check, m.text.lower()) not in seen:
            seen.add((m.check, m.text.lower()))
            unique.append(m)
    return unique


def notes(value: Any, check: str) -> list[str]:
    """Explanations in the evidence that are not words of the reply ("same text as reply 123")."""
    value = _parse(value)
    if isinstance(value, list):  # structured evidence: a note is an item with no words of the reply
        found = [str(i["note"]) for i in value if isinstance(i, dict) and _name(str(i.get("check", "")))[0] == check
                 and i.get("note")]
        return list(dict.fromkeys(found))
    if not isinstance(value, str):
        return []
    out = []
    for part in re.split(r"\s*[|\n]\s*", value):
        name, sep, words = part.partition(":")
        words = words.strip()
        if sep and _name(name)[0] == check and words and _quoted(words) is None:
            note = words.strip("()")
            if note not in out:
                out.append(note)
    return out


def spans(text: str, found: Iterable[Mark]) -> list[tuple[int, int, str]]:
    """(start, end, check) of every mark in ``text``: its offsets when they match, else each occurrence."""
    out: set[tuple[int, int, str]] = set()
    lower = text.lower()
    for m in found:
        if m.start is not None and m.end is not None and text[m.start:m.end] == m.text:
            out.add((m.start, m.end, m.check))
            continue
        needle = m.text.lower()
        at = lower.find(needle) if needle else -1
        while at >= 0:
            out.add((at, at + len(needle), m.check))
            at = lower.find(needle, at + len(needle))
    return sorted(out)


# ASCII punctuation that Streamlit's Markdown would act on ($ starts LaTeX); & < > are left to html.escape.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def md_escape(text: str) -> str:
    """``text`` safe inside ``st.markdown(..., unsafe_allow_html=True)``: shown exactly as posted, with no
    Markdown, LaTeX, HTML or auto-linked e-mail addresses made from customers' words."""
    # an element boundary at "@" stops GitHub-flavoured Markdown from turning an address into a mailto: link
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text)).replace("@", "<span>@</span>")


def colours(names: Sequence[str]) -> dict[str, str]:
    """A background colour per check name, in the order given (the same check keeps its colour on a page)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(dict.fromkeys(names))}


def chip(label: str, colour: str) -> str:
    """``label`` on its check's colour, as inline HTML."""
    return (f'<mark style="background:{colour};padding:0 .25em;border-radius:.2em">'
            f"{md_escape(label)}</mark>")


def highlight(text: str, marked: Iterable[tuple[int, int, str]], palette: dict[str, str]) -> str:
    """``text`` as HTML with each span on its check's colour; where checks overlap, the first check's colour
    and a tooltip naming all of them (never nested marks). Everything else is escaped."""
    marked = list(marked)
    if not marked:
        return md_escape(text)
    cuts = sorted({0, len(text), *(s for s, _, _ in marked), *(e for _, e, _ in marked)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        names = list(dict.fromkeys(c for s, e, c in marked if s <= a and b <= e))
        piece = md_escape(text[a:b])
        if names:
            colour = palette.get(names[0], PALETTE[0])
            piece = (f'<mark style="background:{colour}" title="{html.escape(", ".join(names))}">'
                     f"{piece}</mark>")
        out.append(piece)
    return "".join(out)
