"""The QA pipeline on messages already in memory: checks, policy, timing, consistency, precedent, scorecard.

No file I/O here: :mod:`qa.api` reads files and writes outputs around :func:`score_messages`, and the
simulator can call it directly on its reply log. Checks come from the registry in :mod:`qa.checks`, whatever
is registered; language detection from :mod:`qa.language` when it exists ("und" otherwise).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .checks.base import Check, Finding, ReplyContext
from .concessions import Concession, from_finding
from .consistency import FINDING_COLUMNS, consistency_findings, issue_groups, template_overuse
from .memory import release
from .policy_checks import judge_concessions, never_acceptable
from .precedent import precedent_risk
from .rulebook import Rulebook
from .scorecard import AGGREGATE_BY, CRITERIA, aggregate, score_replies
from .thread_checks import thread_timing

__all__ = ["QAResult", "score_messages", "registered_checks", "language_detector", "CHECK_COLUMNS",
           "SCORE_COLUMNS"]

CHECK_COLUMNS = ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch")
# checks whose True verdict is a quality, not a fault: kept as columns, never listed as flags or evidence
POSITIVE_CHECKS = frozenset({"empathy", "personalisation"})
SCORE_COLUMNS = ["reply_id", "thread_id", "score", *CHECK_COLUMNS, "customer_language", "reply_language",
                 "precedent_risk", "flags", "evidence",
                 # extras
                 "brand", "channel", "public", "agent_id", "created_at", "customer_followers", "issue_category",
                 "auto_fail", "auto_fail_reasons", "failed_criteria", "latency_minutes", "late_response",
                 "customer_repeated", "concessions", "policy_status", "policy_reasons", "departure", "visibility",
                 "claimability", "never_acceptable", "issue", "template_id", "template_overuse", "text"]
ProgressFn = Callable[[int, int], None]


@dataclass
class QAResult:
    """Everything one QA run produces; see the README's QA section for the columns."""

    scores: pd.DataFrame
    messages: pd.DataFrame
    broken_rows: list[tuple[int, str]] = field(default_factory=list)
    consistency: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDING_COLUMNS))
    aggregates: dict[str, pd.DataFrame] = field(default_factory=dict)
    unanswered: pd.DataFrame = field(default_factory=pd.DataFrame)
    check_errors: list[tuple[str, str, str]] = field(default_factory=list)
    checks_run: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


def registered_checks() -> dict[str, Check]:
    """The checks registered in :mod:`qa.checks` (its modules imported so that they register)."""
    from .checks import base

    pkg = importlib.import_module("qa.checks")
    for mod in pkgutil.iter_modules(getattr(pkg, "__path__", [])):
        if not mod.name.startswith("_"):
            importlib.import_module(f"qa.checks.{mod.name}")
    reg = getattr(pkg, "CHECKS", None)
    return dict(reg if isinstance(reg, dict) and reg else base.CHECKS)


def language_detector() -> tuple[Callable[[str], str], Callable[[list[str]], str]]:
    """(reply detector, thread detector) from ``qa.language`` if present, always returning a code or "und".

    The thread detector reads the customer's posts (``qa.language.thread_language`` when it exists, else
    ``detect`` on the joined posts). Without ``qa.language`` both answer "und".
    """
    try:
        from . import language  # type: ignore[attr-defined]

        detect = language.detect
    except (ImportError, AttributeError):
        return (lambda text: "und"), (lambda posts: "und")
    thread_fn = getattr(language, "thread_language", None)

    def safe(text: str) -> str:
        try:
            out = detect(text)
        except Exception:  # a detector failing on odd text must not stop an audit
            return "und"
        if isinstance(out, tuple):
            out = out[0]
        out = getattr(out, "language", getattr(out, "lang", out))
        return str(out) if out else "und"

    def thread(posts: list[str]) -> str:
        if thread_fn is None:
            return safe("\n".join(posts))
        try:
            return str(thread_fn(posts) or "und")
        except Exception:  # as above
            return "und"

    return safe, thread


def _na(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


MEMO_LIMIT = 50_000  # distinct brand texts remembered (templates); about 8 MB at most
FACTS_LIMIT = 4_096  # distinct case-fact tuples remembered (they repeat on the replies of a thread)


def _languages(th: np.ndarray, role: np.ndarray, text: np.ndarray, given: np.ndarray,
               detect: Callable[[str], str]) -> tuple[list[str | None], list[str | None]]:
    """(reply language, customer language) per message, filled on brand replies, each text detected once.

    The reply's language is the one given in the data, else detected. The customer's is the first one given
    on their posts in the thread, else that of their latest post that can be told (earlier ones when it is
    "und"), else of their posts joined: the rule of :func:`qa.language.thread_language`, applied
    incrementally so that a post is detected once per thread instead of once per reply after it. Brand texts
    are remembered across threads because templates repeat all day.
    """
    n = len(th)
    reply_out: list[str | None] = [None] * n
    cust_out: list[str | None] = [None] * n
    brand_memo: dict[str, str] = {}
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
            if given_c is None and _na(given[i]):
                given_c = str(given[i])
            if text[i]:
                posts.append(text[i])
                stale = True
            continue
        if _na(given[i]):
            reply_out[i] = str(given[i])
        else:
            if len(brand_memo) >= MEMO_LIMIT:
                brand_memo.clear()
            reply_out[i] = told(text[i], brand_memo)
        if given_c:
            cust_out[i] = given_c
            continue
        if stale:
            current = "und"
            for post in reversed(posts):
                current = told(post, post_memo)
                if current != "und":
                    break
            else:
                if len(posts) > 1:
                    current = told("\n".join(posts), post_memo)
            stale = False
        cust_out[i] = current
    return reply_out, cust_out


def _fmt_concessions(cs: list[Concession]) -> str:
    parts = []
    for c in cs:
        q = f" {c.percent:g}%" if c.percent is not None else (f" {c.amount:g}" if c.amount is not None else "")
        parts.append(c.kind + q)
    return ";".join(parts)


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "'") + '"'


def score_messages(messages: pd.DataFrame, book: Rulebook, progress: ProgressFn | None = None,
                   broken_rows: list[tuple[int, str]] | None = None,
                   checks: dict[str, Check] | None = None, model: Any = None) -> QAResult:
    """Score every brand reply in ``messages`` (own schema, sorted by thread and time).

    ``checks`` defaults to every registered check; pass a dict to run a subset (benchmarks, tests).
    ``model``: a :class:`qa.learned.LearnedModel` to combine with the rules (None: rules alone).
    """
    checks = registered_checks() if checks is None else checks
    detect, _ = language_detector()
    m = messages.reset_index(drop=True)
    n = len(m)
    timing = thread_timing(m)
    brand_idx = np.flatnonzero(m["role"].to_numpy() == "brand")
    total = len(brand_idx)

    # case facts and audience are facts of the thread: the first value given on any of its messages
    fact_cols = ["purchase_date", "order_value", "product", "issue_category"]
    facts_t = m.groupby("thread_id", sort=False)[fact_cols].transform("first") if n else m[fact_cols]
    cust = m["customer_followers"].where(m["role"] == "customer")
    followers_t = cust.groupby(m["thread_id"]).transform("max") if n else cust

    th = m["thread_id"].to_numpy()
    role = m["role"].to_numpy()
    text = m["text"].fillna("").astype(str).to_numpy()
    lang = m["language"].astype("object").to_numpy()
    ids = m["message_id"].astype(str).to_numpy()
    brand_col = m["brand"].fillna("").astype(str).to_numpy()
    channel = m["channel"].fillna("").astype(str).to_numpy()
    public = m["public"].to_numpy(dtype=bool)
    created = m["created_at"]
    created_py = np.asarray(created.dt.to_pydatetime(), dtype=object) if n else np.zeros(0, dtype=object)
    agent = m["agent_id"].astype(object).to_numpy()
    facts_rec = facts_t.astype(object).to_numpy()
    foll = followers_t.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)

    errors: list[tuple[str, str, str]] = []
    verdict_cols = list(dict.fromkeys([*CHECK_COLUMNS, *checks]))
    msg_lang, c_langs = _languages(th, role, text, lang, detect)
    learned = None
    if model is not None:  # qa.learned: the model scores every reply text in one batch, before the rules
        from .learned import BatchScores

        learned = BatchScores(model, text[brand_idx].tolist(), brand_idx)
    release()
    # one list per output column, filled row by row and turned into a DataFrame once (a list of dicts
    # costs about as much to build and several times more to convert)
    out_cols = [*verdict_cols, "reply_id", "thread_id", "brand", "channel", "public", "agent_id", "created_at",
                "customer_followers", "issue_category", "customer_language", "reply_language", "concessions",
                "policy_status", "policy_reasons", "departure", "visibility", "claimability", "precedent_risk",
                "never_acceptable", "latency_minutes", "customer_repeated", "evidence", "text", "customer_text",
                "concession"]
    cols: dict[str, list[Any]] = {c: [] for c in out_cols}
    verdict_lists = [(name, chk, cols[name]) for name, chk in checks.items()]
    unchecked = [cols[c] for c in verdict_cols if c not in checks]
    prev = None
    customer_parts: list[str] = []
    customer_text: str | None = None
    brand_texts: list[str] = []
    facts_cache: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}
    done = 0
    for i in range(n):
        if th[i] != prev:
            prev = th[i]
            customer_parts, brand_texts = [], []
            customer_text = None
        if role[i] != "brand":
            customer_parts.append(text[i])
            customer_text = None
            continue
        if customer_text is None:  # one string per run of replies, not one per reply
            customer_text = "\n".join(customer_parts)
        c_lang = c_langs[i]
        r_lang = msg_lang[i]
        f = tuple(facts_rec[i])
        cached = facts_cache.get(f)
        if cached is None:  # facts repeat on every reply of a thread
            if len(facts_cache) >= FACTS_LIMIT:
                facts_cache.clear()
            facts = {k: _na(v) for k, v in zip(fact_cols, f)}
            cached = facts_cache[f] = (facts, {k: v for k, v in facts.items() if v is not None})
        facts, given_facts = cached
        ctx = ReplyContext(reply_id=ids[i], text=text[i], customer_text=customer_text, customer_language=c_lang,
                           reply_language=r_lang, earlier_brand_texts=tuple(brand_texts), brand=brand_col[i],
                           channel=channel[i], public=bool(public[i]), facts=given_facts)
        evidence: list[str] = []
        comp = None
        for name, chk, col in verdict_lists:
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
            if fd.verdict and name not in POSITIVE_CHECKS:
                tag = name if fd.source == "rule" else f"{name} ({fd.source})"
                evidence += [f"{tag}: {_quote(e.text)}" for e in fd.evidence] or [f"{tag}: (whole reply)"]
        for col in unchecked:
            col.append(None)
        concessions = from_finding(comp, text[i], r_lang)
        at = created_py[i]
        verdict = judge_concessions(concessions, facts, at, channel[i], book)
        parts = precedent_risk(verdict.departure, concessions, bool(public[i]), foll[i], book.precedent)
        if verdict.status == "off_policy":
            evidence += [f"off_policy_compensation: {_quote(c.evidence.text)}" for c in concessions if c.evidence]
        never = never_acceptable(text[i], r_lang, book)
        if never.verdict:
            evidence += [f"never_acceptable: {_quote(e.text)}" for e in never.evidence]
        values = (
            ids[i], str(th[i]), brand_col[i], channel[i], bool(public[i]), _na(agent[i]), at,
            None if math.isnan(foll[i]) else int(foll[i]), facts.get("issue_category"), c_lang, r_lang,
            _fmt_concessions(concessions), verdict.status, "; ".join(verdict.reasons), parts.departure,
            parts.visibility, parts.claimability, parts.risk, bool(never.verdict), timing.latency_minutes[i],
            bool(timing.repeats_before[i] > 0), " | ".join(evidence), text[i], customer_text,
            comp.verdict if comp is not None and comp.verdict is not None else bool(concessions),
        )
        for c, v in zip(out_cols[len(verdict_cols):], values):
            cols[c].append(v)
        brand_texts.append(text[i])
        done += 1
        if progress is not None and done % 2000 == 0:
            progress(done, total)
    if progress is not None:
        progress(done, total)

    release()
    t = pd.DataFrame(cols)
    del cols, verdict_lists, unchecked
    for c in verdict_cols:
        t[c] = t[c].astype("boolean")
    lat = pd.to_numeric(t["latency_minutes"], errors="coerce")
    t["latency_minutes"] = lat.round(2)
    t["late_response"] = (lat > book.first_response_target_minutes).astype("boolean").where(lat.notna())
    t["customer_repeated"] = t["customer_repeated"].astype(bool)
    t["off_policy"] = (t["policy_status"] == "off_policy").astype("boolean").mask(t["policy_status"] == "unknown")
    t["customer_followers"] = pd.to_numeric(t["customer_followers"], errors="coerce").astype("Int64")

    issue = issue_groups(t, book.consistency) if len(t) else pd.Series(dtype="string")
    t["issue"] = issue
    if len(t):
        t["template_id"], t["template_overuse"] = template_overuse(t, issue, book.consistency)
    else:
        t["template_id"], t["template_overuse"] = pd.Series(dtype="string"), pd.Series(dtype=bool)
    tpl = t["template_overuse"].astype(bool)
    t.loc[tpl, "evidence"] = [
        (e + " | " if e else "") + f"template_overuse: same text as reply {tid}"
        for e, tid in zip(t.loc[tpl, "evidence"], t.loc[tpl, "template_id"])]
    findings_df = consistency_findings(t, issue, book.consistency) if len(t) else pd.DataFrame(
        columns=FINDING_COLUMNS)

    release()
    sc = score_replies(t, book)
    t = pd.concat([t, sc], axis=1)
    extra_checks = [c for c in verdict_cols if c not in CHECK_COLUMNS]
    flag_lists = [[x for x in fc.split(";") if x] for fc in t["failed_criteria"]]
    for c in extra_checks:
        if c in POSITIVE_CHECKS or c in CRITERIA:
            continue
        for j in np.flatnonzero(t[c].fillna(False).to_numpy(dtype=bool)):
            flag_lists[j].append(c)
    t["flags"] = [";".join(f) for f in flag_lists]
    scores = t[SCORE_COLUMNS + extra_checks]  # copy-on-write: no second copy of every column
    del t, sc, flag_lists
    release()
    aggregates = {by: aggregate(scores, by) for by in AGGREGATE_BY}
    unanswered = timing.unanswered
    return QAResult(scores=scores, messages=m, broken_rows=list(broken_rows or []), consistency=findings_df,
                    aggregates=aggregates, unanswered=unanswered, check_errors=errors,
                    checks_run=tuple(checks), meta={"policy": book.name, "replies": int(total),
                                                    "messages": int(n), "checks": list(checks)})
