"""What every QA check shares: the reply it reads, the finding it returns, and the registry of verdicts.

A check is a small object with a ``name`` and ``run(ctx) -> Finding``: a pure function of one brand reply in
its thread. Phrase lists live in data files per language, not in code, so a language is added by data.

Every verdict the QA module writes (a text check's, or one the pipeline computes from the thread, the rulebook
or the whole file) is declared once as a :class:`CheckSpec`: its column in ``scores.csv``, its polarity, the
scorecard criterion it feeds, whether its evidence is words of the reply, and whether it depends on where the
reply was posted. The pipeline, the scorecard, the report and the app read these declarations instead of
naming checks, so adding a check is one module that calls :func:`register`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol

__all__ = ["Evidence", "Finding", "ReplyContext", "CONTEXT_POSTS", "Check", "CheckSpec", "CHECKS", "SPECS", "register", "declare",
           "Polarity", "settled"]

Polarity = Literal["flag", "quality"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """The words that triggered a verdict: ``text == reply_text[start:end]``; ``note`` adds context.

    Slotted: one object per piece of evidence instead of two (the instance and its ``__dict__``), so a batch
    of findings holds less and gives the garbage collector less to walk."""

    start: int
    end: int
    text: str
    note: str = ""

    def __init__(self, start: int, end: int, text: str, note: str = "") -> None:
        # The slots' own setters, as :class:`Finding`'s: about half the generated frozen ``__init__`` (one
        # ``object.__setattr__`` a field), and a piece of evidence is built for most replies.
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)
        _set_note(self, note)


_set_start, _set_end, _set_text, _set_note = (
    Evidence.__dict__[name].__set__ for name in ("start", "end", "text", "note"))


_NO_DETAIL: Mapping[str, Any] = {}  # marks "no detail given": each finding then gets its own empty dict


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's verdict on one reply: True (it does it), False, or None (undetermined).

    ``source`` says what found a True verdict: ``rule`` (the phrase rules), ``model`` (the learned layer,
    :mod:`qa.learned`, alone) or ``both``.

    Slotted: one object per finding instead of two (the instance and its ``__dict__``): a batch's findings,
    held by a caller (the bench, ``combine``, the app), give the garbage collector less to walk.
    """

    check: str
    verdict: bool | None
    evidence: tuple[Evidence, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)
    source: str = "rule"

    def __init__(self, check: str, verdict: bool | None, evidence: tuple[Evidence, ...] = (),
                 detail: Mapping[str, Any] = _NO_DETAIL, source: str = "rule") -> None:  # type: ignore[assignment]
        # The generated frozen ``__init__`` sets each field through ``object.__setattr__``; the slots' own
        # setters (C, bound once below) cost about half, and a finding is built for every check of every reply
        # (dataclass keeps this ``__init__``; equality, hashing, ``replace`` and the frozen guard are as generated).
        _set_check(self, check)
        _set_verdict(self, verdict)
        _set_evidence(self, evidence)
        _set_detail(self, {} if detail is _NO_DETAIL else detail)
        _set_source(self, source)


_set_check, _set_verdict, _set_evidence, _set_detail, _set_source = (
    Finding.__dict__[name].__set__ for name in ("check", "verdict", "evidence", "detail", "source"))


_SETTLED: dict[tuple[Any, ...], Finding] = {}


def settled(check: str, verdict: bool | None, **detail: Any) -> Finding:
    """The one shared, read-only finding for a verdict without evidence whose detail is ``detail`` ("no referral,
    no number"): most replies get it from most checks, and a finding built per reply costs its allocation and,
    held by a caller (a batch, the app), the garbage collector's passes over it. Its detail is a read-only
    view (equal to the dict), so no caller can change the finding another reply shares. ``detail`` values must
    be hashable (tuples, strings)."""
    key = (check, verdict, *detail.items())
    found = _SETTLED.get(key)
    if found is None:
        found = _SETTLED[key] = Finding(check, verdict, (), MappingProxyType(dict(detail)))
    return found


CONTEXT_POSTS = 50
"""How many of the customer's latest posts, and of the brand's latest earlier replies, a reply is read with.

A reviewer reads the recent thread. Unbounded, every reply of a thread of tens of thousands of messages (a bot
loop, a hostile file) re-read all of it: time and memory grew with the square of the thread's length."""


@dataclass(frozen=True)
class ReplyContext:
    """A brand reply and what a reviewer would read before it in the thread."""

    reply_id: str
    text: str
    customer_text: str = ""  # the customer's latest posts (CONTEXT_POSTS) before this reply, oldest first, joined
    customer_language: str = "und"  # ISO 639-1, or "und"
    reply_language: str = "und"
    earlier_brand_texts: tuple[str, ...] = ()  # the brand's latest replies before this one (CONTEXT_POSTS)
    brand: str = ""
    channel: str = ""
    public: bool = True  # False for DMs and private channels (the rulebook's ``private_channels``)
    facts: Mapping[str, Any] = field(default_factory=dict)  # purchase_date, order_value, product, category


class Check(Protocol):
    name: str

    def run(self, ctx: ReplyContext) -> Finding: ...


@dataclass(frozen=True)
class CheckSpec:
    """How one verdict is shown and scored.

    * ``column``: the scores column holding the verdict (True, False or empty when undetermined).
    * ``polarity``: "flag" when True is what a reviewer looks for (a deflection); "quality" when True is good
      (empathy) and its absence is what is flagged.
    * ``criterion``: the scorecard criterion it feeds (by default its name, or ``no_<name>`` for a quality).
    * ``evidence``: True when the finding's spans are words of the reply worth highlighting.
    * ``context``: "where" when the verdict depends on where the reply was posted (public or private, the
      channel); its evidence then says so.
    * ``grade_by``: a numeric column that grades a failure (minutes late), or "".
    * ``kind``: "text" (a check run on each reply), "thread", "policy" or "file" (computed by the pipeline).
    """

    name: str
    column: str
    polarity: Polarity = "flag"
    criterion: str = ""
    description: str = ""
    evidence: bool = True
    context: str = ""
    grade_by: str = ""
    kind: str = "text"


CHECKS: dict[str, Check] = {}
SPECS: dict[str, CheckSpec] = {}


def _first_line(doc: str | None) -> str:
    for line in (doc or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def _spec_of(check: Check, overrides: Mapping[str, Any]) -> CheckSpec:
    name = check.name
    polarity = overrides.get("polarity", getattr(check, "polarity", "flag"))
    if polarity not in ("flag", "quality"):
        raise ValueError(f"check {name!r}: polarity must be 'flag' or 'quality', not {polarity!r}")
    values = {
        "column": getattr(check, "column", name),
        "polarity": polarity,
        "criterion": getattr(check, "criterion", name if polarity == "flag" else f"no_{name}"),
        "description": getattr(check, "description", "") or _first_line(type(check).__doc__),
        "evidence": getattr(check, "shows_evidence", polarity == "flag"),
        "context": getattr(check, "context", ""),
        "grade_by": getattr(check, "grade_by", ""),
    }
    values.update({k: v for k, v in overrides.items() if k != "polarity"})
    return CheckSpec(name=name, kind="text", **values)


def register(check: Check, **spec: Any) -> Check:
    """Add ``check`` to the registry under its name, with its :class:`CheckSpec`.

    The spec comes from the check's class attributes when present (``polarity``, ``column``, ``criterion``,
    ``description``, ``context``), else from defaults; keyword arguments override both.
    """
    CHECKS[check.name] = check
    SPECS[check.name] = _spec_of(check, spec)
    return check


def declare(spec: CheckSpec) -> CheckSpec:
    """Declare a verdict the pipeline computes itself (from the thread, the rulebook or the whole file)."""
    if spec.kind == "text":
        raise ValueError(f"{spec.name}: use register() for text checks")
    if not spec.criterion:
        spec = CheckSpec(**{**spec.__dict__, "criterion": spec.name})
    SPECS[spec.name] = spec
    return spec
