"""Synthetic care threads with known, labelled violations: the ground truth the QA checks are measured on.

Each thread is built from phrase data (``generator_phrases.yaml``, per language) and Faker data (names,
e-mails, phones, addresses in the thread's locale), and every violation is *decided first and then written
in*, so the labels are true by construction, not by running the checks. The same threads are written in the
own schema (CSV, JSONL or Parquet) and in the twcs CSV format, with one labels file per reply and one per
customer post.

Injected on purpose, beside the per-reply checks: late first responses, customers who had to repeat,
unanswered repeat posts, off-policy concessions (decided against the default rulebook: refund or replacement
after 30 days, discount over 20%, voucher over 25, points over 500, fee waivers outside billing), template
overuse by one agent per brand, and two consistency effects listed in :attr:`Generated.effects`: one
"generous" agent per brand who concedes far more on delivery issues, and influencers (>= 100k followers)
who get concessions more often. Random draws come from one ``SeedSequence`` per run, one stream per purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .schema import MESSAGE_COLUMNS

__all__ = ["Generated", "generate", "write_own", "write_twcs", "write_generated", "LOCALES", "CATEGORIES",
           "LABEL_COLUMNS"]

PHRASES_FILE = Path(__file__).parent / "generator_phrases.yaml"
LOCALES = {"en_US": ("en", "$"), "en_GB": ("en", "£"), "es_ES": ("es", "€"), "es_MX": ("es", "$")}
CATEGORIES = ("delivery", "billing", "refund", "defect", "account", "outage")
BRANDS = {
    "AcmeStoreHelp": ("1-800-555-0142", "help@acmestore.example"),
    "NovaTelCare": ("0800 555 0199", "care@novatel.example"),
    "SkyJetSupport": ("1-888-555-0123", "support@skyjet.example"),
}
CHANNELS = (("twitter", 0.6), ("facebook", 0.25), ("instagram", 0.15))
LABEL_COLUMNS = ["reply_id", "thread_id", "deflection", "dm_request", "pii_exposed", "compensation",
                 "not_our_team", "language_mismatch", "customer_language", "reply_language", "off_policy",
                 "compensation_kind", "late_response", "customer_repeated", "template_overuse", "never_acceptable",
                 "agent_id", "brand", "channel", "category", "locale", "followers"]
TARGET_MINUTES = 60.0
START = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)

# per-reply violation rates (independent draws; a reply can carry several)
RATES = {"deflection": 0.15, "dm_request": 0.25, "pii_exposed": 0.05, "not_our_team": 0.05,
         "language_mismatch": 0.05, "never_acceptable": 0.02, "late": 0.2, "off_policy_share": 0.5}
BASE_CONCESSION = 0.10
GENEROUS_CONCESSION = 0.8  # the generous agent, on delivery issues
INFLUENCER_CONCESSION = 0.5  # customers with >= 100k followers
TEMPLATE_SHARE = 0.6  # share of the template agent's first replies that are a pasted template
SCENARIOS = (("normal", 0.70), ("repeat_then_reply", 0.10), ("ignored", 0.05), ("followup_answered", 0.08),
             ("followup_unanswered", 0.04), ("repeat_after_reply", 0.03))


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
        rng = self.rng
        loc = self.locales[int(rng.integers(len(self.locales)))]
        lang, currency = LOCALES[loc]
        fk = self.fakers[loc]
        brand = list(BRANDS)[int(rng.integers(len(BRANDS)))]
        brand_phone, brand_email = BRANDS[brand]
        category = CATEGORIES[int(rng.integers(len(CATEGORIES)))]
        channel = CHANNELS[int(rng.choice(len(CHANNELS), p=[c[1] for c in CHANNELS]))][0]
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

        def customer(text: str, at: datetime, parent: str | None, *, repeat: bool, unanswered: bool) -> str:
            mid = self.new_id()
            self.messages.append(dict(base, message_id=mid, parent_id=parent, role="customer", author_id=handle,
                                      created_at=at, text=f"@{brand} {text}", language=lang, agent_id=None))
            self.posts.append({"message_id": mid, "thread_id": thread_id, "unanswered": unanswered,
                               "unanswered_repeat": unanswered and repeat})
            return mid

        post = self.fill(self.pick(ph["customer"][category]), v)
        if rng.random() < 0.3:
            post += ", " + self.fill(self.pick(ph["customer_pii"]), v)
        ignored = scenario == "ignored"
        c1 = customer(post, t0, None, repeat=False, unanswered=ignored)
        last, last_t, repeated = c1, t0, False
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
        r1 = self.reply(base, lang, loc, ph, v, handle, agent, category, purchase_days, r1_t, last, thread_id,
                        late=late, repeated=repeated, followers=followers, concession_p=concession_p,
                        template_agent=(agent_i == 1), public=True)
        if scenario in ("followup_answered", "followup_unanswered", "repeat_after_reply"):
            c_t = r1_t + timedelta(minutes=float(self.trng.uniform(5, 40)))
            c3 = customer(self.fill(self.pick(ph["followup"] if scenario != "repeat_after_reply" else ph["repeat"]), v),
                          c_t, r1, repeat=False, unanswered=scenario != "followup_answered")
            if scenario == "followup_answered":
                late2 = rng.random() < RATES["late"]
                w2 = float(self.trng.uniform(TARGET_MINUTES + 10, 400) if late2 else self.trng.uniform(1, 40))
                private = channel == "twitter" and rng.random() < 0.3
                self.reply(base, lang, loc, ph, v, handle, agent, category, purchase_days,
                           c_t + timedelta(minutes=w2), c3, thread_id, late=late2, repeated=False,
                           followers=followers, concession_p=BASE_CONCESSION, template_agent=False,
                           public=not private)
            elif scenario == "repeat_after_reply":
                c4_t = c_t + timedelta(minutes=float(self.trng.uniform(30, 120)))
                customer(self.fill(self.pick(ph["repeat"]), v), c4_t, c3, repeat=True, unanswered=True)

    def reply(self, base, lang, loc, ph, v, handle, agent, category, purchase_days, at, parent, thread_id, *,
              late, repeated, followers, concession_p, template_agent, public) -> str:
        rng = self.rng
        mid = self.new_id()
        flags = {k: bool(rng.random() < RATES[k]) for k in
                 ("deflection", "dm_request", "pii_exposed", "not_our_team", "language_mismatch", "never_acceptable")}
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
        self.labels.append(dict(
            reply_id=mid, thread_id=thread_id, **{k: flags[k] for k in
                                                  ("deflection", "dm_request", "pii_exposed", "not_our_team",
                                                   "language_mismatch", "never_acceptable")},
            compensation=comp, customer_language=lang, reply_language=r_lang, off_policy=off,
            compensation_kind=kind, late_response=late, customer_repeated=repeated, template_overuse=template,
            agent_id=agent, brand=base["brand"], channel=base["channel"], category=category, locale=loc,
            followers=followers, _template_text=text if template else ""))
        return mid

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


def _template_labels(labels: pd.DataFrame, min_issues: int = 3) -> pd.Series:
    """A pasted template counts as overuse when its text went to at least ``min_issues`` categories."""
    t = labels[labels["_template_text"] != ""]
    spread = t.groupby(["brand", "_template_text"])["category"].nunique()
    ok = {k for k, n in spread.items() if n >= min_issues}
    return pd.Series([(b, x) in ok for b, x in zip(labels["brand"], labels["_template_text"])], index=labels.index)


def generate(threads: int = 1000, seed: int = 0, locales: tuple[str, ...] = tuple(LOCALES),
             days: float = 14.0) -> Generated:
    """Build ``threads`` synthetic threads spread over ``days`` days, with labels."""
    unknown = [loc for loc in locales if loc not in LOCALES]
    if unknown:
        raise ValueError(f"unknown locale(s) {', '.join(unknown)}; known: {', '.join(LOCALES)}")
    b = _Builder(seed, tuple(locales))
    for i in range(threads):
        b.thread(i, days)
    msgs = pd.DataFrame(b.messages)
    msgs["created_at"] = pd.to_datetime(msgs["created_at"], utc=True)
    msgs = msgs.sort_values(["thread_id", "created_at", "message_id"], kind="stable").reset_index(drop=True)
    msgs = msgs[list(MESSAGE_COLUMNS)]
    labels = pd.DataFrame(b.labels)
    labels["template_overuse"] = _template_labels(labels)
    labels = labels.drop(columns="_template_text")[LABEL_COLUMNS]
    effects = [{"brand": br, "dimension": "agent_id", "level": f"{br}/A1", "issue": f"{br}|cat:delivery",
                "outcome": "concession"} for br in BRANDS]
    effects.append({"brand": "*", "dimension": "influence", "level": ">=100k", "issue": "*", "outcome": "concession"})
    return Generated(msgs, labels, pd.DataFrame(b.posts), effects)


# ------------------------------------------------------------------------------------------------- writers


def write_own(messages: pd.DataFrame, path: str | Path) -> Path:
    """The messages in the own schema; the format follows the extension (.csv, .jsonl, .parquet)."""
    path = Path(path)
    df = messages.copy()
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    else:
        df["created_at"] = pd.to_datetime(df["created_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        if suffix in (".jsonl", ".ndjson", ".json"):
            df.to_json(path, orient="records", lines=True, force_ascii=False)
        else:
            df.to_csv(path, index=False)
    return path


def write_twcs(messages: pd.DataFrame, path: str | Path) -> Path:
    """The messages in the twcs CSV form (brand screen names, numbered customers, float parent ids as in twcs)."""
    path = Path(path)
    m = messages
    customers = {h: str(200_000 + i) for i, h in enumerate(pd.unique(m.loc[m["role"] == "customer", "author_id"]))}
    children = m.dropna(subset=["parent_id"]).groupby("parent_id")["message_id"].agg(lambda s: ",".join(s))
    is_brand = m["role"] == "brand"
    author = np.where(is_brand, m["author_id"], m["author_id"].map(customers))
    # @handles become numbers, as twcs anonymised them
    handle_map = m.loc[~is_brand].groupby("thread_id")["author_id"].first().map(customers)
    text = [
        (f"@{handle_map.get(t, '')}" + tx[tx.index(" "):]) if b and tx.startswith("@") else tx
        for t, tx, b in zip(m["thread_id"], m["text"], is_brand)
    ]
    df = pd.DataFrame({
        "tweet_id": m["message_id"],
        "author_id": author,
        "inbound": np.where(is_brand, "False", "True"),
        "created_at": pd.to_datetime(m["created_at"], utc=True).dt.strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "text": text,
        "response_tweet_id": m["message_id"].map(children).fillna(""),
        "in_response_to_tweet_id": m["parent_id"].map(lambda p: f"{p}.0" if isinstance(p, str) and p else ""),
    })
    df.to_csv(path, index=False)
    return path


def write_generated(gen: Generated, out: str | Path, twcs: str | Path | None = None) -> list[Path]:
    """Own-schema file at ``out``, twcs copy, reply labels and post labels beside it; returns the paths."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.with_suffix("")
    twcs_path = Path(twcs) if twcs else stem.with_name(stem.name + ".twcs.csv")
    paths = [write_own(gen.messages, out), write_twcs(gen.messages, twcs_path)]
    p = stem.with_name(stem.name + ".labels.csv")
    gen.labels.to_csv(p, index=False)
    paths.append(p)
    p = stem.with_name(stem.name + ".post_labels.csv")
    gen.post_labels.to_csv(p, index=False)
    paths.append(p)
    return paths
