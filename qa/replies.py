"""Scoring one batch of whole threads: the verdicts that need only the thread (phase one of a run).

For every brand reply: the registered text checks (:mod:`qa.checks`) on a :class:`ReplyContext` that says
where the reply was posted (public or private, the channel), the concessions and their policy status, precedent
risk, never-acceptable phrases; for the thread: latency, repeats, unanswered posts and DM moves without a
public close (:mod:`qa.thread_checks`, :mod:`qa.repeats`). What depends on the whole file (issues, templates,
consistency, repeats across batches) is added later by :mod:`qa.wholefile`. Evidence stays structured
(:class:`qa.evidence.Item`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .checks.base import CONTEXT_POSTS, Check, CheckSpec, ReplyContext
from .closings import forget as forget_answers, needs_reply
from .concessions import Concession, from_finding
from .evidence import Item
from .policy_checks import judge_concessions, never_acceptable
from .precedent import precedent_risk
from .repeats import RepeatFinder
from .thread_checks import back_from_dm, no_public_close, thread_timing

if TYPE_CHECKING:
    from .rulebook import Rulebook

__all__ = ["Batch", "score_batch", "languages", "FACT_COLUMNS"]

FACT_COLUMNS = ["purchase_date", "order_value", "product", "issue_category"]
MEMO_LIMIT = 50_000  # distinct brand texts remembered (templates); about 8 MB at most
ROWS_AT_ONCE = 4_096  # replies held as tuples before they join the output columns
FACTS_LIMIT = 4_096  # distinct case-fact tuples remembered (they repeat on the replies of a thread)
Detect = Callable[[str], str]


@dataclass
class Batch:
    """Phase one's output for a batch: the reply table (whole-file columns still missing) and thread lists."""

    table: pd.DataFrame
    unanswered: pd.DataFrame
    repeats: pd.DataFrame
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    no_reply_needed: int = 0


def _na(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def languages(th: Sequence[Any], role: Sequence[Any], text: Sequence[str], given: Sequence[str | None],
              detect: Detect, brand_memo: dict[str, str]) -> tuple[list[str | None], list[str | None]]:
    """(reply language, customer language) per message, filled on brand replies, each text detected once.

    The reply's language is the one given in the data (``given``: :func:`given_languages`), else detected.
    The customer's is the first one given on their posts in the thread, else that of their latest post that
    can be told (earlier ones when it is "und"), else of their posts joined, among their latest
    :data:`~qa.checks.base.CONTEXT_POSTS` posts: the rule of
    :func:`qa.language.thread_language`, applied incrementally so that a post is detected once per thread
    instead of once per reply after it. Brand texts are remembered across batches (``brand_memo``) because
    templates repeat all day.
    """
    # About 60 lines: one pass over the rows carrying each thread's state (its posts, their languages) is what
    # makes each post detected once; split, that state would travel between the parts.
    n = len(th)
    reply_out: list[str | None] = [None] * n
    cust_out: list[str | None] = [None] * n
    post_memo: dict[str, str] = {}

    def told(t: str, memo: dict[str, str]) -> str:
        v = memo.get(t)
        if v is None:
            v = memo[t] = detect(t) if t else "und"
        return v

    prev = None
    posts: list[str] = []
    given_c: str | None = None
    current = "und"
    stale = False
    for i in range(n):
        if th[i] != prev:
            prev, posts, given_c, current, stale = th[i], [], None, "und", False
            post_memo.clear()
        if role[i] != "brand":
            if given_c is None and given[i] is not None:
                given_c = given[i]
            if text[i]:
                posts.append(text[i])
                stale = True
            continue
        if given[i] is not None:
            reply_out[i] = given[i]
        else:
            if len(brand_memo) >= MEMO_LIMIT:
                brand_memo.clear()
            reply_out[i] = told(text[i], brand_memo)
        if given_c:
            cust_out[i] = given_c
            continue
        if stale:
            current = "und"
            recent = posts[-CONTEXT_POSTS:]  # the posts a reply is read with (bounded: no re-read of a long thread)
            for post in reversed(recent):
                current = told(post, post_memo)
                if current != "und":
                    break
            else:
                if len(recent) > 1:
                    current = told("\n".join(recent), post_memo)
            stale = False
        cust_out[i] = current
    return reply_out, cust_out


def given_languages(language: pd.Series) -> list[str | None]:
    """Per message, the language the data gives (as text) or None: blank or missing. One test of the column
    when it gives none (twcs), instead of one per message."""
    if language.isna().all():
        return [None] * len(language)
    return [str(v) if _na(v) else None for v in language.astype(object).tolist()]


def _fmt_concessions(cs: list[Concession]) -> str:
    parts = []
    for c in cs:
        q = f" {c.percent:g}%" if c.percent is not None else (f" {c.amount:g}" if c.amount is not None else "")
        parts.append(c.kind + q)
    return ";".join(parts)


def _where(public: bool, channel: str) -> str:
    return f"{'public' if public else 'private'} reply on {channel or 'an unknown channel'}"


OUT_COLUMNS = ["reply_id", "thread_id", "brand", "channel", "public", "agent_id", "created_at", "customer_followers",
               "issue_category", "customer_language", "reply_language", "concessions", "policy_status",
               "policy_reasons", "departure", "visibility", "claimability", "precedent_risk", "never_acceptable",
               "evidence", "text", "customer_text", "concession", "row"]


def _to_columns(rows: list[tuple[Any, ...]], cols: dict[str, list[Any]]) -> None:
    """Move the replies' value tuples into the output columns (a transpose in C: not 24 appends a reply)."""
    for c, column in zip(OUT_COLUMNS, zip(*rows)):
        cols[c].extend(column)
    rows.clear()


def _reply_rows(m: pd.DataFrame, book: Rulebook, checks: dict[str, Check], specs: dict[str, CheckSpec],
                detect: Detect, brand_memo: dict[str, str], errors: list, model: Any = None) -> dict[str, list]:
    """One list per output column (:data:`OUT_COLUMNS` and each check's), filled reply by reply.

    Long on purpose: it is the per-reply hot loop (a million iterations per export), so the columns are read
    into local arrays once and the loop body calls nothing it does not need; split, it paid a call and a
    lookup per reply per helper."""
    n = len(m)
    facts_t = m.groupby("thread_id", sort=False)[FACT_COLUMNS].transform("first") if n else m[FACT_COLUMNS]
    cust = m["customer_followers"].where(m["role"] == "customer")
    followers_t = cust.groupby(m["thread_id"]).transform("max") if n else cust
    th = m["thread_id"].to_numpy()
    role = m["role"].to_numpy()
    text = m["text"].fillna("").astype(str).to_numpy()
    ids = m["message_id"].astype(str).to_numpy()
    brand_col = m["brand"].fillna("").astype(str).to_numpy()
    channel = m["channel"].fillna("").astype(str).to_numpy()
    private = set(book.private_channels)
    public = m["public"].to_numpy(dtype=bool) & ~np.isin(channel, list(private))
    created_py = np.asarray(m["created_at"].dt.to_pydatetime(), dtype=object) if n else np.zeros(0, dtype=object)
    agent = m["agent_id"].astype(object).to_numpy()
    facts_rec = list(zip(*(facts_t[c].astype(object).tolist() for c in FACT_COLUMNS)))  # a tuple a row, in C
    foll = followers_t.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    learned = None
    if model is not None:  # qa.learned: the model scores the batch's reply texts at once, before the rules
        from .learned import BatchScores

        brand_rows = np.flatnonzero(role == "brand")
        learned = BatchScores(model, text[brand_rows].tolist(), brand_rows)
    # Python lists from here: the loop reads each column once a row, and a list item costs a third of a numpy
    # element (no scalar made); floats and bools become Python's, which compare and format the same
    th, role, text, ids, brand_col, channel, agent, created_py, foll, pub_l = (a.tolist() for a in (
        th, role, text, ids, brand_col, channel, agent, created_py, foll, public))
    msg_lang, c_langs = languages(th, role, text, given_languages(m["language"]), detect, brand_memo)

    cols: dict[str, list[Any]] = {c: [] for c in [*checks, *OUT_COLUMNS]}
    runs = [(name, chk, cols[name], specs.get(name) or CheckSpec(name, name)) for name, chk in checks.items()]
    prev, parts, customer_text, cached = None, [], None, None
    brand_texts: list[str] = []
    facts_cache: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}
    rows: list[tuple[Any, ...]] = []
    for i in range(n):
        if th[i] != prev:
            prev, parts, brand_texts, customer_text, cached = th[i], [], [], None, None
        if role[i] != "brand":
            parts.append(text[i])
            customer_text = None
            continue
        if customer_text is None:  # one string per run of replies, not one per reply
            customer_text = "\n".join(parts[-CONTEXT_POSTS:])
        if cached is None:  # the facts are the thread's (its first values): read once per thread
            f = facts_rec[i]
            cached = facts_cache.get(f)
            if cached is None:  # and shared by threads with the same ones
                if len(facts_cache) >= FACTS_LIMIT:
                    facts_cache.clear()
                facts = {k: _na(v) for k, v in zip(FACT_COLUMNS, f)}
                cached = facts_cache[f] = (facts, {k: v for k, v in facts.items() if v is not None})
        facts, given_facts = cached
        pub, r_lang = pub_l[i], msg_lang[i]
        ctx = ReplyContext(reply_id=ids[i], text=text[i], customer_text=customer_text, customer_language=c_langs[i],
                           reply_language=r_lang, earlier_brand_texts=tuple(brand_texts[-CONTEXT_POSTS:]),
                           brand=brand_col[i], channel=channel[i], public=pub, facts=given_facts)
        evidence: list[Item] = []
        comp = None
        for name, chk, col, spec in runs:
            try:
                fd = chk.run(ctx)
            except Exception as exc:  # one bad check or row must not stop an audit: recorded, shown in report
                errors.append((name, ids[i], f"{type(exc).__name__}: {exc}"))
                col.append(None)
                continue
            if learned is not None:
                fd = learned.combine(i, fd)
            col.append(fd.verdict)
            if name == "compensation":
                comp = fd
            if fd.verdict and spec.evidence:
                note = _where(pub, channel[i]) if spec.context == "where" else ""
                if fd.source != "rule":  # the learned layer found it (alone, or as the rules did)
                    found_by = "model alone" if fd.source == "model" else "rules and the model"
                    note = "; ".join(x for x in (note, f"found by the {found_by}") if x)
                evidence += [Item(spec.column, e.text, e.start, e.end, note) for e in fd.evidence] or \
                    [Item(spec.column, note=note or "the whole reply")]
        concessions = from_finding(comp, text[i], r_lang)
        verdict = judge_concessions(concessions, facts, created_py[i], channel[i], book)
        risk = precedent_risk(verdict.departure, concessions, pub, foll[i], book.precedent)
        risk_value = risk.risk  # a property (rounded): computed once
        if verdict.status == "off_policy":
            evidence += [Item("off_policy", c.evidence.text, c.evidence.start, c.evidence.end,
                              "; ".join(verdict.reasons)) for c in concessions if c.evidence]
        if risk_value > 0:
            audience = "" if not pub or math.isnan(foll[i]) else f" with {foll[i]:,.0f} followers"
            evidence.append(Item("precedent_risk", note=(
                f"{_where(pub, channel[i])}{audience}: departure {risk.departure:.2f} x visibility "
                f"{risk.visibility:.2f} x claimability {risk.claimability:.2f} = {risk_value:.2f}")))
        never = never_acceptable(text[i], book)
        evidence += [Item("never_acceptable", e.text, e.start, e.end) for e in never.evidence]
        rows.append((ids[i], str(th[i]), brand_col[i], channel[i], pub, _na(agent[i]), created_py[i],
                      None if math.isnan(foll[i]) else int(foll[i]), facts.get("issue_category"), c_langs[i], r_lang,
                      _fmt_concessions(concessions), verdict.status, "; ".join(verdict.reasons), risk.departure,
                      risk.visibility, risk.claimability, risk_value, bool(never.verdict), tuple(evidence), text[i],
                      customer_text,
                      comp.verdict if comp is not None and comp.verdict is not None else bool(concessions), i))
        brand_texts.append(text[i])
        if len(rows) >= ROWS_AT_ONCE:
            _to_columns(rows, cols)
    _to_columns(rows, cols)
    cols["_public"] = public  # type: ignore[assignment]
    return cols


def score_batch(messages: pd.DataFrame, book: Rulebook, checks: dict[str, Check], specs: dict[str, CheckSpec],
                detect: Detect, repeats: RepeatFinder, message_offset: int = 0,
                brand_memo: dict[str, str] | None = None, model: Any = None) -> Batch:
    """Phase one on ``messages`` (own schema, sorted by thread and time, whole threads)."""
    m = messages.reset_index(drop=True)
    role = m["role"].to_numpy()
    is_brand = role == "brand"
    forget_answers()  # the last batch's posts: this batch's are judged below, then read again by the tone checks
    needs = np.fromiter((b or needs_reply(t) for b, t in zip(is_brand.tolist(),  # lists: no scalar per cell
                                                              m["text"].fillna("").astype(str).tolist())),
                        bool, len(m))
    timing = thread_timing(m, needs)
    errors: list[tuple[str, str, str]] = []
    cols = _reply_rows(m, book, checks, specs, detect, {} if brand_memo is None else brand_memo, errors, model)
    forget_answers()  # nothing of the batch outlives it (posts kept between batches pin the heap's arenas)
    public = cols.pop("_public")
    t = pd.DataFrame(cols)
    for c in checks:
        t[c] = t[c].astype("boolean")
    status = t["policy_status"]
    t["off_policy"] = (status == "off_policy").astype("boolean").mask(status == "unknown")
    t["customer_followers"] = pd.to_numeric(t["customer_followers"], errors="coerce").astype("Int64")
    rows = t["row"].to_numpy(dtype=np.int64)
    _thread_columns(t, m, rows, timing, public, book)
    found = repeats.add(m, message_offset, needs)  # repeats by content: marked in phase three (wholefile)
    un = timing.unanswered
    un["pos"] = un.pop("row") + message_offset
    t["first_pending"] = np.where(t["first_pending"] >= 0, t["first_pending"] + message_offset, -1)
    t["last_pending"] = np.where(t["last_pending"] >= 0, t["last_pending"] + message_offset, -1)
    return Batch(t.drop(columns="row"), un, found, errors, timing.no_reply_needed)


def _thread_columns(t: pd.DataFrame, m: pd.DataFrame, rows: np.ndarray, timing, public: np.ndarray,
                    book: Rulebook) -> None:
    """Latency, lateness, waiting repeats and DM moves without a public close, with their evidence notes."""
    lat = pd.Series(timing.latency_minutes[rows]).round(2)
    t["latency_minutes"] = lat
    target = book.first_response_target_minutes
    t["minutes_late"] = (lat - target).where(lat > target)
    t["late_response"] = (lat > target).astype("boolean").where(lat.notna())
    t["customer_repeated"] = timing.repeats_before[rows] > 0
    t["first_pending"], t["last_pending"] = timing.first_pending[rows], timing.last_pending[rows]
    if "dm_request" in t.columns:
        dm = np.full(len(m), np.nan)
        dm[rows] = t["dm_request"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        flag = no_public_close(m["thread_id"].to_numpy(), m["role"].to_numpy() == "brand", public,
                               np.where(np.isnan(dm), None, dm == 1))[rows]
        t["no_public_close"] = pd.array(flag, dtype="boolean")
    else:
        t["no_public_close"] = pd.array([pd.NA] * len(t), dtype="boolean")
    # read by the excuse `back_from_dm` (qa.excuses), not written out
    t["back_from_dm"] = back_from_dm(m["thread_id"].to_numpy(), m["role"].to_numpy() == "brand", public,
                                     timing.last_pending)[rows]
    notes: dict[int, list[Item]] = {}
    minutes = lat.to_numpy()  # read per flagged row: a Series lookup costs microseconds each
    for j in np.flatnonzero(t["late_response"].fillna(False).to_numpy(dtype=bool)):
        notes.setdefault(j, []).append(Item("late_response", note=f"first response {minutes[j]:.0f} min after the "
                                            f"post; target {target:g} min"))
    for j in np.flatnonzero(t["customer_repeated"].to_numpy()):
        k = int(timing.repeats_before[rows[j]])
        notes.setdefault(j, []).append(Item("customer_repeated", note=f"the customer posted {k + 1} times "
                                            "before this reply"))
    channel = t["channel"].to_numpy(dtype=object)
    for j in np.flatnonzero(t["no_public_close"].fillna(False).to_numpy(dtype=bool)):
        how = "moved to DM from a public reply" if public[rows[j]] else "answered a public post only in private"
        notes.setdefault(j, []).append(Item("no_public_close", note=f"{how} on {channel[j]}; no public "
                                            "reply closes the thread after it"))
    if notes:
        ev = t["evidence"].to_numpy().copy()
        for j, items in notes.items():
            ev[j] = ev[j] + tuple(items)
        t["evidence"] = ev
