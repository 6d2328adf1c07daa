"""Synthetic care threads with known, labelled violations: the ground truth the QA checks are measured on.

Each thread is built from phrase data (``generator_phrases.yaml``, per language) and Faker data (names,
e-mails, phones, addresses in the thread's locale), and every violation is *decided first and then written
in*, so the labels are true by construction, not by running the checks. The same threads are written in the
own schema (CSV, JSONL or Parquet) and in the twcs CSV format, with one labels file per reply and one per
customer post.

Injected on purpose, beside the per-reply checks: late first responses, customers who had to repeat,
unanswered repeat posts, closing posts that need no reply, the same complaint posted again in new threads (on
another channel or the same), moves to DM with and without a public close, off-policy concessions (decided
against the default rulebook: refund or replacement after 30 days, discount over 20%, voucher over 25, points
over 500, fee waivers outside billing), template overuse by one agent per brand, and two consistency effects
listed in :attr:`Generated.effects`: one "generous" agent per brand who concedes far more on delivery issues,
and influencers (>= 100k followers) who get concessions more often. Random draws come from one
``SeedSequence`` per run, one stream per purpose. Writers are in :mod:`qa.generator_write`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .generator_write import ChunkWriter, finish_labels, write_generated, write_own, write_twcs
from .schema import MESSAGE_COLUMNS

__all__ = ["Generated", "generate", "generate_chunks", "generate_files", "finish_labels", "write_own", "write_twcs",
           "write_generated", "LOCALES", "CATEGORIES", "LABEL_COLUMNS", "POST_LABEL_COLUMNS"]

PHRASES_FILE = Path(__file__).parent / "generator_phrases.yaml"
LOCALES = {"en_US": ("en", "$"), "en_GB": ("en", "£"), "es_ES": ("es", "€"), "es_MX": ("es", "$")}
CATEGORIES = ("delivery", "billing", "refund", "defect", "account", "outage")
BRANDS = {
    "AcmeStoreHelp": ("1-800-555-0142", "help@acmestore.example"),
    "NovaTelCare": ("0800 555 0199", "care@novatel.example"),
    "SkyJetSupport": ("1-888-555-0123", "support@skyjet.example"),
}
CHANNELS = (("twitter", 0.6), ("facebook", 0.25), ("instagram", 0.15))
TEXT_LABELS = ("deflection", "dm_request", "pii_exposed", "not_our_team", "language_mismatch", "never_acceptable")
LABEL_COLUMNS = ["reply_id", "thread_id", "deflection", "dm_request", "pii_exposed", "compensation",
                 "not_our_team", "language_mismatch", "customer_language", "reply_language", "off_policy",
                 "compensation_kind", "late_response", "customer_repeated", "template_overuse", "never_acceptable",
                 "no_public_close", "agent_id", "brand", "channel", "category", "locale", "followers"]
POST_LABEL_COLUMNS = ["message_id", "thread_id", "unanswered", "unanswered_repeat", "needs_reply", "repeat_of"]
TARGET_MINUTES = 60.0
START = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)

# per-reply violation rates (independent draws; a reply can carry several)
RATES = {"deflection": 0.15, "dm_request": 0.25, "pii_exposed": 0.05, "not_our_team": 0.05,
         "language_mismatch": 0.05, "never_acceptable": 0.02, "late": 0.2, "off_policy_share": 0.5}
BASE_CONCESSION = 0.10
GENEROUS_CONCESSION = 0.8  # the generous agent, on delivery issues
INFLUENCER_CONCESSION = 0.5  # customers with >= 100k followers
TEMPLATE_SHARE = 0.6  # share of the template agent's first replies that are a pasted template
SCENARIOS = (("normal", 0.64), ("repeat_then_reply", 0.10), ("ignored", 0.05), ("followup_answered", 0.08),
             ("followup_unanswered", 0.04), ("repeat_after_reply", 0.03), ("closing", 0.03),
             ("repeat_elsewhere", 0.03))
PUBLIC_CLOSE = 0.5  # share of threads moved to DM that come back publicly


@dataclass
class Generated:
    """Messages (own schema), reply labels, customer-post labels and the injected consistency effects."""

    messages: pd.DataFrame
    labels: pd.DataFrame
    post_labels: pd.DataFrame
    effects: list[dict[str, Any]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _phrases() -> dict[str, Any]:
    with open(PHRASES_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class _Builder:
    """Holds the run's random streams and Faker instances; builds one thread at a time."""

    def __init__(self, seed: int, locales: tuple[str, ...]):
        from faker import Faker

        ss = np.random.SeedSequence(seed)
        streams = ss.spawn(4)
        self.rng = np.random.default_rng(streams[0])  # structure and violations
        self.trng = np.random.default_rng(streams[1])  # times
        self.prng = np.random.default_rng(streams[2])  # phrase choices
        self.locales = locales
        self.fakers = {}
        for i, loc in enumerate(locales):
            f = Faker(loc)
            f.seed_instance(int(np.random.default_rng(streams[3].spawn(1)[0]).integers(2**31)) + i)
            self.fakers[loc] = f
        self.agents = {b: [f"{b}/A{i}" for i in range(1, 7)] for b in BRANDS}
        self.next_id = 1
        self.messages: list[dict[str, Any]] = []
        self.labels: list[dict[str, Any]] = []
        self.posts: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ small helpers
    def pick(self, options: list[str]) -> str:
        return options[int(self.prng.integers(len(options)))]

    def new_id(self) -> str:
        i = self.next_id
        self.next_id += 1
        return str(i)

    def fill(self, template: str, v: dict[str, Any]) -> str:
        return template.format(**v)

    # ------------------------------------------------------------------ a thread
    def thread(self, index: int, days: float) -> None:
        """One thread, start to end. Long on purpose: it reads as the script of a conversation, and the order
        of its random draws is the seed's contract (splitting it would risk changing every generated file)."""
        rng = self.rng
        loc = self.locales[int(rng.integers(len(self.locales)))]
        lang, currency = LOCALES[loc]
        fk = self.fakers[loc]
        brand = list(BRANDS)[int(rng.integers(len(BRANDS)))]
        brand_phone, brand_email = BRANDS[brand]
        category = CATEGORIES[int(rng.integers(len(CATEGORIES)))]
        channel = self._channel()
        influencer = rng.random() < 0.05
        followers = int(rng.integers(100_000, 2_000_000)) if influencer else int(
            min(99_999, rng.lognormal(np.log(300), 1.6)))
        agent_i = int(rng.integers(6))
        agent = self.agents[brand][agent_i]
        ph = _phrases()[lang]
        first = fk.first_name()
        v = {
            "name": first, "product": self.pick(ph["products"]), "order": str(int(rng.integers(10**7, 10**8))),
            "email": fk.email(), "phone": fk.phone_number(),
            "address": fk.street_address().replace("\n", ", ") + ", " + fk.city(),
            "brand_phone": brand_phone, "brand_email": brand_email, "currency": currency,
        }
        handle = fk.user_name() + str(index)
        thread_id = f"T{index:07d}"
        t0 = START + timedelta(minutes=float(self.trng.uniform(0, days * 1440)))
        purchase_days = int(rng.integers(1, 121))
        facts = {"purchase_date": (t0 - timedelta(days=purchase_days)).date().isoformat(),
                 "order_value": round(float(rng.uniform(15, 400)), 2), "product": v["product"],
                 "issue_category": category}
        base = dict(thread_id=thread_id, brand=brand, channel=channel, public=True, customer_followers=followers,
                    **facts)
        scenario = SCENARIOS[int(rng.choice(len(SCENARIOS), p=[s[1] for s in SCENARIOS]))][0]

        def customer(text: str, at: datetime, parent: str | None, *, repeat: bool, unanswered: bool,
                     needs_reply: bool = True, repeat_of: str = "", where: dict | None = None) -> str:
            mid = self.new_id()
            b = where or base
            self.messages.append(dict(b, message_id=mid, parent_id=parent, role="customer", author_id=handle,
                                      created_at=at, text=f"@{brand} {text}", language=lang, agent_id=None))
            self.posts.append({"message_id": mid, "thread_id": b["thread_id"], "unanswered": unanswered,
                               "unanswered_repeat": unanswered and repeat, "needs_reply": needs_reply,
                               "repeat_of": repeat_of})
            return mid

        post = self.fill(self.pick(ph["customer"][category]), v)
        if rng.random() < 0.3:
            post += ", " + self.fill(self.pick(ph["customer_pii"]), v)
        t_first = t0
        first_id = ""
        if scenario == "repeat_elsewhere":  # the same complaint, posted again in new threads (maybe elsewhere)
            copies = 1 + int(rng.integers(1, 3))
            for j in range(copies - 1):
                where = dict(base, thread_id=f"{thread_id}-{j}", channel=self._channel(avoid=base["channel"])
                             if rng.random() < 0.5 else base["channel"])
                mid = customer(post, t0, None, repeat=j > 0, unanswered=True, repeat_of=first_id, where=where)
                first_id = first_id or mid
                t0 = t0 + timedelta(minutes=float(self.trng.uniform(30, 240)))
            base["channel"] = self._channel(avoid=where["channel"]) if rng.random() < 0.5 else where["channel"]
        ignored = scenario == "ignored"
        c1 = customer(post, t0, None, repeat=bool(first_id), unanswered=ignored, repeat_of=first_id)
        last, last_t, repeated = c1, t0, bool(first_id)
        if scenario in ("repeat_then_reply", "ignored"):
            last_t = t0 + timedelta(minutes=float(self.trng.uniform(20, 50)))
            last = customer(self.fill(self.pick(ph["repeat"]), v), last_t, c1, repeat=True, unanswered=ignored)
            repeated = True
        if ignored:
            return
        late = rng.random() < RATES["late"]
        wait = float(self.trng.uniform(TARGET_MINUTES + 10, 600) if late else self.trng.uniform(1, TARGET_MINUTES - 10))
        r1_t = t0 + timedelta(minutes=wait)
        if r1_t <= last_t:
            r1_t = last_t + timedelta(minutes=1)
        concession_p = BASE_CONCESSION
        if agent_i == 0 and category == "delivery":
            concession_p = GENEROUS_CONCESSION
        elif influencer:
            concession_p = INFLUENCER_CONCESSION
        kw = dict(base=base, lang=lang, loc=loc, v=v, handle=handle, agent=agent, category=category,
                  purchase_days=purchase_days, followers=followers)
        replies = [self.reply(at=r1_t, parent=last, late=late, repeated=repeated, concession_p=concession_p,
                              template_agent=(agent_i == 1), public=True, **kw)]
        end_t, pending = r1_t, False
        if scenario in ("followup_answered", "followup_unanswered", "repeat_after_reply", "closing"):
            c_t = r1_t + timedelta(minutes=float(self.trng.uniform(5, 40)))
            kind = {"repeat_after_reply": "repeat", "closing": "closing_post"}.get(scenario, "followup")
            c3 = customer(self.fill(self.pick(ph[kind]), v), c_t, replies[0][0], repeat=False,
                          unanswered=scenario in ("followup_unanswered", "repeat_after_reply"),
                          needs_reply=scenario != "closing")
            end_t, pending = c_t, scenario != "closing"
            if scenario == "followup_answered":
                late2 = rng.random() < RATES["late"]
                w2 = float(self.trng.uniform(TARGET_MINUTES + 10, 400) if late2 else self.trng.uniform(1, 40))
                private = base["channel"] == "twitter" and rng.random() < 0.3
                end_t, pending = c_t + timedelta(minutes=w2), False
                replies.append(self.reply(at=end_t, parent=c3, late=late2, repeated=False,
                                          concession_p=BASE_CONCESSION, template_agent=False, public=not private,
                                          **kw))
            elif scenario == "repeat_after_reply":
                c4_t = c_t + timedelta(minutes=float(self.trng.uniform(30, 120)))
                customer(self.fill(self.pick(ph["repeat"]), v), c4_t, c3, repeat=True, unanswered=True)
        moved = any(lab["dm_request"] and pub for _, lab, pub in replies) or any(not p for _, _, p in replies)
        if moved and not pending and rng.random() < PUBLIC_CLOSE:
            at = end_t + timedelta(minutes=float(self.trng.uniform(30, 240)))
            text = self.fill(self.pick(ph["public_close"]), v) + " " + self.fill(self.pick(ph["help"][category]), v)
            replies.append(self.plain_reply(base, text, handle, agent, at, replies[-1][0], True, lang, loc, category,
                                            followers))
        _label_public_close(replies)

    def _channel(self, avoid: str | None = None) -> str:
        names, p = [c[0] for c in CHANNELS], np.array([c[1] for c in CHANNELS])
        if avoid is not None:
            p = np.where(np.array(names) == avoid, 0.0, p)
        return names[int(self.rng.choice(len(names), p=p / p.sum()))]

    def plain_reply(self, base, text, handle, agent, at, parent, public, lang, loc, category, followers):
        """A brand message with no violation at all (a public close after a move to DM)."""
        mid = self.new_id()
        self.messages.append(dict(base, message_id=mid, parent_id=parent, role="brand", author_id=base["brand"],
                                  created_at=at, text=f"@{handle} {text}", language=lang, agent_id=agent,
                                  public=public))
        label = dict(reply_id=mid, thread_id=base["thread_id"], **dict.fromkeys(TEXT_LABELS, False),
                     compensation=False, customer_language=lang, reply_language=lang, off_policy=False,
                     compensation_kind="", late_response=False, customer_repeated=False, template_overuse=False,
                     no_public_close=False, agent_id=agent, brand=base["brand"], channel=base["channel"],
                     category=category, locale=loc, followers=followers, _template_text="")
        self.labels.append(label)
        return mid, label, public

    def reply(self, *, base, lang, loc, v, handle, agent, category, purchase_days, at, parent, late, repeated,
              followers, concession_p, template_agent, public) -> tuple[str, dict, bool]:
        rng = self.rng
        mid = self.new_id()
        flags = {k: bool(rng.random() < RATES[k]) for k in TEXT_LABELS}
        comp = bool(rng.random() < concession_p)
        template = template_agent and rng.random() < TEMPLATE_SHARE
        if template:
            flags = dict.fromkeys(flags, False)
            comp = False
        r_lang = ("es" if lang == "en" else "en") if flags["language_mismatch"] else lang
        rp = _phrases()[r_lang]
        vv = dict(v)
        if r_lang != lang:  # product names in the reply's language
            vv["product"] = rp["products"][_phrases()[lang]["products"].index(v["product"])]
        kind, off = "", False
        if template:
            text = self.pick(rp["templates"])
        else:
            parts = [self.fill(self.pick(rp["greeting"]), vv), self.fill(self.pick(rp["empathy"][category]), vv)]
            if not (flags["deflection"] or flags["not_our_team"]):
                parts.append(self.fill(self.pick(rp["help"][category]), vv))
            if flags["not_our_team"]:
                parts.append(self.pick(rp["not_our_team"]))
            if flags["deflection"]:
                parts.append(self.fill(self.pick(rp["deflection"]), vv))
            if flags["dm_request"]:
                parts.append(self.pick(rp["dm_request"]))
            if flags["pii_exposed"]:
                parts.append(self.fill(self.pick(rp["pii"]), vv))
            if comp:
                kind, off, sentence = self._concession(rp, vv, category, purchase_days)
                parts.append(sentence)
            if flags["never_acceptable"]:
                parts.append(self.pick(rp["never_acceptable"]))
            parts.append(self.pick(rp["closing"]))
            text = " ".join(parts)
        self.messages.append(dict(base, message_id=mid, parent_id=parent, role="brand", author_id=base["brand"],
                                  created_at=at, text=f"@{handle} {text}", language=r_lang, agent_id=agent,
                                  public=public))
        label = dict(
            reply_id=mid, thread_id=base["thread_id"], **{k: flags[k] for k in TEXT_LABELS},
            compensation=comp, customer_language=lang, reply_language=r_lang, off_policy=off,
            compensation_kind=kind, late_response=late, customer_repeated=repeated, template_overuse=template,
            no_public_close=False, agent_id=agent, brand=base["brand"], channel=base["channel"], category=category,
            locale=loc, followers=followers, _template_text=text if template else "")
        self.labels.append(label)
        return mid, label, public

    def _concession(self, rp, v, category: str, purchase_days: int) -> tuple[str, bool, str]:
        """(kind, off policy?, sentence): decide within or off the default rulebook first, then write it."""
        rng = self.rng
        off = bool(rng.random() < RATES["off_policy_share"])
        kinds = ["refund", "store_credit", "discount", "voucher", "replacement", "points"] + (
            ["fee_waiver"] if category == "billing" or off else [])
        kind = kinds[int(rng.integers(len(kinds)))]
        if kind in ("refund", "replacement", "store_credit") and 27 <= purchase_days <= 34:
            kind = "discount"  # a reply near midnight could cross day 30: keep the truth unambiguous
        vv = dict(v)
        if kind in ("refund", "replacement"):
            # within: purchase inside 30 days; off: well past it. The thread's purchase date is fixed, so the
            # choice of in/off follows it.
            off = purchase_days > 30
            vv["amount"] = f"{int(rng.integers(15, 300))}"
        elif kind == "store_credit":
            vv["amount"] = f"{int(rng.integers(150, 400)) if off and purchase_days > 30 else int(rng.integers(5, 90))}"
            off = off and purchase_days > 30
        elif kind == "discount":
            vv["percent"] = str(int(rng.choice([35, 40, 50])) if off else int(rng.choice([10, 15, 20])))
        elif kind == "voucher":
            vv["amount"] = f"{int(rng.integers(50, 150)) if off else int(rng.integers(5, 25))}"
        elif kind == "points":
            vv["points"] = f"{int(rng.choice([1000, 2000, 5000])) if off else int(rng.choice([100, 250, 500]))}"
        elif kind == "fee_waiver":
            off = category != "billing"
        return kind, off, self.fill(self.pick(rp["compensation"][kind]), vv)


def _label_public_close(replies: list[tuple[str, dict, bool]]) -> None:
    """Lesson 6, by construction: a public reply that moved the thread to DM (asked for it, or a private reply
    follows) and no public reply that is not a DM request comes after it and after the last private one."""
    last_private = max((i for i, (_, _, pub) in enumerate(replies) if not pub), default=-1)
    for i, (_, lab, pub) in enumerate(replies):
        moved = pub and (lab["dm_request"] or last_private > i)
        closed = any(p and not lb["dm_request"] for _, lb, p in replies[max(i, last_private) + 1:])
        lab["no_public_close"] = bool(moved and not closed)


def _frames(b: _Builder) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The builder's threads so far as (messages, raw labels, post labels); the builder is emptied."""
    msgs = pd.DataFrame(b.messages, columns=[*MESSAGE_COLUMNS]) if b.messages else pd.DataFrame(
        columns=list(MESSAGE_COLUMNS))
    msgs["created_at"] = pd.to_datetime(msgs["created_at"], utc=True)
    msgs = msgs.sort_values(["thread_id", "created_at", "message_id"], kind="stable").reset_index(drop=True)
    labels = pd.DataFrame(b.labels, columns=[*LABEL_COLUMNS, "_template_text"])
    posts = pd.DataFrame(b.posts, columns=POST_LABEL_COLUMNS)
    b.messages, b.labels, b.posts = [], [], []
    return msgs[list(MESSAGE_COLUMNS)], labels, posts


def generate_chunks(threads: int, seed: int = 0, locales: tuple[str, ...] = tuple(LOCALES), days: float = 14.0,
                    chunk: int = 20_000) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """:func:`generate`'s threads ``chunk`` at a time, as (messages, raw labels, post labels), so a million
    threads are written without holding them. Raw labels still carry ``_template_text``: template overuse
    is decided over all of them (:func:`finish_labels`)."""
    unknown = [loc for loc in locales if loc not in LOCALES]
    if unknown:
        raise ValueError(f"unknown locale(s) {', '.join(unknown)}; known: {', '.join(LOCALES)}")
    b = _Builder(seed, tuple(locales))
    for start in range(0, threads, chunk):
        for i in range(start, min(threads, start + chunk)):
            b.thread(i, days)
        yield _frames(b)


def effects() -> list[dict[str, Any]]:
    """The consistency effects every generated set carries."""
    out = [{"brand": br, "dimension": "agent_id", "level": f"{br}/A1", "issue": f"{br}|cat:delivery",
            "outcome": "concession"} for br in BRANDS]
    out.append({"brand": "*", "dimension": "influence", "level": ">=100k", "issue": "*", "outcome": "concession"})
    return out


def generate(threads: int = 1000, seed: int = 0, locales: tuple[str, ...] = tuple(LOCALES),
             days: float = 14.0) -> Generated:
    """Build ``threads`` synthetic threads spread over ``days`` days, with labels, in memory."""
    parts = list(generate_chunks(threads, seed, locales, days))
    msgs = pd.concat([p[0] for p in parts], ignore_index=True)
    labels = finish_labels(pd.concat([p[1] for p in parts], ignore_index=True))
    posts = pd.concat([p[2] for p in parts], ignore_index=True)
    return Generated(msgs, labels, posts, effects())


def generate_files(out: str | Path, threads: int = 1000, seed: int = 0, locales: tuple[str, ...] = tuple(LOCALES),
                   days: float = 14.0, twcs: str | Path | None = None, chunk: int = 20_000) -> tuple[list[Path], int, int]:
    """:func:`generate` written straight to files, ``chunk`` threads at a time: (paths, messages, replies)."""
    w = ChunkWriter(out, twcs)
    labels, posts, n = [], [], 0
    for msgs, raw, post in generate_chunks(threads, seed, locales, days, chunk):
        w.add(msgs)
        n += len(msgs)
        labels.append(raw)
        posts.append(post)
    lab = finish_labels(pd.concat(labels, ignore_index=True))
    return w.close(lab, pd.concat(posts, ignore_index=True)), n, len(lab)
