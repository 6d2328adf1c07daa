"""Policy and precedent risk, against hand-computed values; the seed-001 example end to end."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from qa.api import load_policy
from qa.concessions import Concession, extract_concessions
from qa.pipeline import score_messages
from qa.policy_checks import judge_concessions, never_acceptable
from qa.precedent import precedent_risk, visibility

BOOK = load_policy()
AT = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def _vis(followers: float) -> float:  # the docstring's formula, written out independently
    return 0.4 + 0.6 * min(1.0, math.log10(1 + followers) / math.log10(1 + 1_000_000))


SEED_001 = [  # a refund plus 50% off, given on social to a customer who bought two months earlier
    dict(role="customer", text="@Acme my blender died and I bought it two months ago. Useless!", at=0,
         customer_followers=12_000, purchase_date="2024-03-01", issue_category="defect"),
    dict(role="brand", author_id="Acme", agent_id="Acme/ZZ", at=20,
         text="@cust So sorry about this! We've issued a full refund and we'd also like to give you 50% off "
              "your next purchase."),
]


def test_seed_001_is_off_policy_with_high_precedent_risk(build):
    result = score_messages(build(SEED_001), BOOK)
    row = result.scores.iloc[0]
    assert row["policy_status"] == "off_policy"
    assert set(row["concessions"].split(";")) == {"refund", "discount 50%"}
    # refund on day 61 of a 30-day window: 0.6 + 0.4 * min(1, 31/30) = 1; 50% vs 20% cap: 0.5 + 0.5 * 1 = 1
    assert row["departure"] == pytest.approx(1.0)
    assert row["visibility"] == pytest.approx(_vis(12_000), abs=1e-6)
    assert row["claimability"] == pytest.approx(0.9)  # discount is the easier to claim; amount stated
    assert row["precedent_risk"] == pytest.approx(1.0 * _vis(12_000) * 0.9, abs=1e-5)
    assert row["precedent_risk"] >= BOOK.precedent.high
    flags = row["flags"].split(";")
    assert "off_policy_compensation" in flags and "off_policy_high_precedent" in flags
    words = " ".join(i.text for i in row["evidence"] if i.check in ("compensation", "off_policy"))
    assert "full refund" in words and "50% off" in words
    assert row["score"] < 100


def test_same_refund_within_the_window_is_within_policy_and_sets_no_precedent(build):
    rows = [dict(SEED_001[0], purchase_date="2024-04-25"),
            dict(SEED_001[1], text="@cust So sorry! We've issued a full refund for the blender.")]
    row = score_messages(build(rows), BOOK).scores.iloc[0]
    assert row["policy_status"] == "within"
    assert row["departure"] == 0 and row["precedent_risk"] == 0
    assert "off_policy_compensation" not in row["flags"]


@pytest.mark.parametrize("days,expected", [(31, 0.6 + 0.4 * 1 / 30), (40, 0.6 + 0.4 * 10 / 30), (75, 1.0)])
def test_departure_grows_with_days_past_the_window(days, expected):
    facts = {"purchase_date": datetime(2024, 1, 1).date()}
    at = datetime(2024, 1, 1, 15, tzinfo=timezone.utc) + timedelta(days=days)
    v = judge_concessions([Concession("refund")], facts, at, "twitter", BOOK)
    assert v.status == "off_policy"
    assert v.departure == pytest.approx(expected, abs=1e-6)


def test_store_credit_after_30_days_is_allowed_up_to_its_cap():
    facts = {"purchase_date": datetime(2024, 3, 1).date()}
    assert judge_concessions([Concession("store_credit", amount=80)], facts, AT, "twitter", BOOK).status == "within"
    over = judge_concessions([Concession("store_credit", amount=150)], facts, AT, "twitter", BOOK)
    assert over.status == "off_policy"
    assert over.departure == pytest.approx(0.5 + 0.5 * 50 / 100)


def test_missing_facts_give_unknown_not_a_guess():
    v = judge_concessions([Concession("refund")], {}, AT, "twitter", BOOK)
    assert v.status == "unknown" and v.departure == pytest.approx(BOOK.departure.unknown_facts)
    fee = judge_concessions([Concession("fee_waiver")], {"issue_category": "delivery"}, AT, "twitter", BOOK)
    assert fee.status == "off_policy" and fee.departure == 1.0


def test_kind_missing_from_rulebook_departs_fully_and_departures_combine():
    v = judge_concessions([Concession("upgrade"), Concession("discount", percent=30)], {}, AT, "twitter", BOOK)
    # upgrade: 1.0; discount 30% vs 20%: 0.5 + 0.5 * 10/20 = 0.75; combined 1 - (0)(0.25) = 1
    assert v.departure == pytest.approx(1.0)
    v2 = judge_concessions([Concession("discount", percent=30)], {}, AT, "twitter", BOOK)
    assert v2.departure == pytest.approx(0.75)


def test_private_replies_and_vague_offers_are_less_of_a_precedent():
    s = BOOK.precedent
    assert visibility(False, 5_000_000, s) == s.private_visibility
    assert visibility(True, None, s) == pytest.approx(_vis(s.unknown_followers), abs=1e-6)
    assert visibility(True, 10_000_000, s) == pytest.approx(1.0)
    stated = precedent_risk(1.0, [Concession("refund", amount=20)], True, 0, s)
    vague = precedent_risk(1.0, [Concession("refund")], True, 0, s)
    assert vague.claimability == pytest.approx(stated.claimability * s.vague_amount_factor)
    assert precedent_risk(0.0, [Concession("refund")], True, 1e6, s).risk == 0


@pytest.mark.parametrize("text,lang,kinds", [
    ("We'll hook you up with a free drink next time!", "en", {"free_item"}),
    ("We've added 500 points to your account.", "en", {"points"}),
    ("Unfortunately we can't offer a refund after 30 days.", "en", set()),
    ("Te haremos el reembolso de $250 a tu tarjeta hoy.", "es", {"refund"}),
    ("Queremos darte un 40% de descuento en tu próximo pedido.", "es", {"discount"}),
    ("Thanks for the update, enjoy your day.", "en", set()),
])
def test_concession_kinds(text, lang, kinds):
    assert {c.kind for c in extract_concessions(text, lang)} == kinds


def test_amounts_and_percentages_are_read():
    (c,) = extract_concessions("We'll refund the £209 to your card today.", "en")
    assert (c.kind, c.amount) == ("refund", 209.0)
    (d,) = extract_concessions("Here's 35% off your next purchase.", "en")
    assert (d.kind, d.percent) == ("discount", 35.0)


def test_never_acceptable_phrases_by_language():
    f = never_acceptable("Please CALM DOWN, sir.", BOOK)
    assert f.verdict is True and f.evidence[0].text == "CALM DOWN"
    assert never_acceptable("Sinceramente, no es nuestro problema.", BOOK).verdict is True
    assert never_acceptable("Happy to help!", BOOK).verdict is False


def test_never_acceptable_finds_what_a_case_blind_search_finds() -> None:
    """Independent truth: one IGNORECASE pattern over the phrases, as the check is specified."""
    import re

    from qa.api import load_policy
    from qa.policy_checks import _Phrases, never_acceptable

    book = load_policy()
    phrases = [p for ps in book.never_acceptable.values() for p in ps]
    truth = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)), re.IGNORECASE)
    texts = ["Please CALM Down, we are on it", "Cálmese, señor", "CÁLMESE ya", "Deal With It.", "all fine here",
             "Not Our Problem - sorry ^JD", "es Su Culpa", "calm downstairs", "¡Cálmate!", ""]
    for text in texts:
        m = truth.search(text)
        found = never_acceptable(text, book)
        assert bool(found.verdict) == bool(m), text
        if m:
            assert (found.evidence[0].start, found.evidence[0].end, found.evidence[0].text) == (*m.span(), m.group())
    # a phrase with the Kelvin sign matches ASCII "k" case-blind, the Greek mu the micro sign: such phrases
    # keep the case-blind pattern
    assert _Phrases(("\u212aeep calm",)).search("KEEP CALM") == (0, 9)
    assert _Phrases(("10 \u03bcg",)).search("10 \u00b5G") == (0, 5)


def test_never_acceptable_follows_the_rulebook_it_is_given_each_time() -> None:
    """The matchers of the last rulebook are reused: another rulebook, or the same one edited, is not
    answered with them."""
    other = BOOK.model_copy(update={"never_acceptable": {"en": ("read the manual",)}})
    for _ in range(2):
        assert never_acceptable("Please calm down", BOOK).verdict is True
        assert never_acceptable("Please calm down", other).verdict is False
        assert never_acceptable("Please READ THE MANUAL", other).verdict is True
        assert never_acceptable("Please READ THE MANUAL", BOOK).verdict is False
    other.never_acceptable["en"] = ("calm down",)
    assert never_acceptable("Please calm down", other).verdict is True


def test_concession_gates_only_skip_work() -> None:
    """Independent truth: the same extractor with its literal gates off (every kind's pattern tried)."""
    import yaml

    from qa.concessions import TERMS_FILE, ConcessionExtractor

    terms = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    gated, ungated = ConcessionExtractor(terms), ConcessionExtractor(terms)
    ungated.gate = None
    ungated.kind_gates = {lang: [None] * len(gates) for lang, gates in ungated.kind_gates.items()}
    texts = ["We've issued a full REFUND of $25.50 and added 500 points", "Te ofrecemos un 20% de descuento",
             "No refund is possible, sorry", "Here is a coupon for 15% off your next order",
             "We will send a replacement and a $10 credit", "Thanks for waiting!", "Le hacemos la devolución del importe"]
    for lang in ("en", "es", "und"):
        assert [gated.extract(t, lang) for t in texts] == [ungated.extract(t, lang) for t in texts]
    assert any(gated.extract(t, "und") for t in texts)


def test_excuse_gates_never_change_an_answer():
    """Each text excuse's gated search (its patterns as a phrase group, each run only when the text holds the
    literals it requires) answers as its whole alternation does."""
    import dataclasses
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import corpora
    from qa.excuses import Excuse, excuses

    contexts = corpora.generated_contexts(400, seed=3)
    made_up = ["All sorted in DM, thanks!", "Glad we could fix it via DM", "¡Resuelto por privado!",
               "Your refund was issued on Monday. If you'd rather, call us.", "what's your phone number?",
               "We'll translate it for you", "gracias por hablar con nosotros por DM",
               "GREAT TO SPEAK WITH YOU OVER DM, IT'S ALL SORTED", "Thanks for bearing with us in DMs: it's fixed",
               "Happy we could help via DM!", "It's sorted in DM", "sorted \u017fomething via DM"]
    texts = [c.text for c in contexts] + [c.customer_text for c in contexts] + made_up
    skipped = 0
    for excuse in excuses().values():
        if not isinstance(excuse, Excuse):
            continue
        assert excuse.finder is not None  # every text excuse here is gated: its patterns run as a phrase group
        ungated = dataclasses.replace(excuse, finder=None)
        assert [excuse.holds(t) for t in texts] == [ungated.holds(t) for t in texts], excuse.name
        skipped += sum(not excuse.finder._scanner.active(t, excuse.finder.id) for t in texts)
    assert skipped > len(texts)  # the gate skips the search on many texts: the comparison tests a gate
    held = {name: sum(e.holds(t) for t in made_up) for name, e in excuses().items() if isinstance(e, Excuse)}
    assert all(held.values()), held  # the made-up texts reach every excuse: the comparison above is not vacuous
