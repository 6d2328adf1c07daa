"""The second recall round's families (issue #9): an agent or representative elsewhere, a question whether the
customer could talk to someone or go back to the place, and a refund shown to the customer.

Every reply here is made up for the test from the definitions in LABELING.md (none is copied from real data);
each family has negative counterparts that must stay quiet (a DM, the brand's own people, hours of service,
questions about what the customer did), and each positive names the words that fired.
"""

from __future__ import annotations

import pytest

from check_helpers import find, words

# (family, positive reply, words in its evidence)
DEFLECTIONS = [
    ("chat with one of our agents", "@1 Sorry about the login trouble! You can chat with one of our agents about it.",
     "chat with one of our agents"),
    ("need to speak to a representative", "@1 For a name change you'll need to speak to a representative, Jo.",
     "speak to a representative"),
    ("please talk to a specialist", "@1 For the fee, please talk to a billing specialist.",
     "talk to a billing specialist"),
    ("we'd recommend talking with a specialist", "@1 We'd recommend talking with a billing specialist about it.",
     "talking with a billing specialist"),
    ("question: able to speak to staff", "@1 Oh no! Were you able to speak to the manager on duty about it?",
     "speak to the manager on duty"),
    ("question: able to call the airline", "@1 Are you able to call the airline directly to move the seat?",
     "call the airline directly"),
    ("question: able to go back to the place", "@1 So sorry! Are you able to go back and grab the missing side?",
     "go back and grab"),
]

# Replies that must stay quiet for deflection: each next to the family it could be mistaken for.
NOT_DEFLECTIONS = [
    ("talking to an agent by DM", "@1 Please chat with one of our agents via DM so we can see the account."),
    ("the brand's own agent acts", "@1 One of our agents will chat with you tomorrow about the refund."),
    ("thanks for talking to an agent", "@1 Thanks for speaking with one of our agents earlier, glad it's fixed!"),
    ("question: able to reach us", "@1 Were you able to reach us earlier, or did the line drop?"),
    ("question: able to talk by DM", "@1 Are you able to talk to us in a DM about the order?"),
    ("question: what the customer did", "@1 Were you able to log in after the reset yesterday?"),
    ("navigation, not a place", "@1 Are you able to go back to the previous screen in the app?"),
    ("hours of service", "@1 Our stores are open 9am to 8pm, and we're here on Twitter until midnight."),
    ("the brand asks for a DM", "@1 Could you send us a DM with the order number? We'll take it from there."),
]


@pytest.mark.parametrize(("family", "reply", "expected"), DEFLECTIONS, ids=[d[0] for d in DEFLECTIONS])
def test_second_round_deflection_families(family: str, reply: str, expected: str) -> None:
    f = find("deflection", reply)
    assert f.verdict is True, family
    assert expected in words(f), (family, words(f))


@pytest.mark.parametrize(("family", "reply"), NOT_DEFLECTIONS, ids=[d[0] for d in NOT_DEFLECTIONS])
def test_second_round_deflection_negatives(family: str, reply: str) -> None:
    assert find("deflection", reply).verdict is False, family


def test_refund_shown_to_the_customer_is_compensation() -> None:
    f = find("compensation", "@1 You can cancel the plan on that page, and you'll be shown your estimated refund.")
    assert f.verdict is True
    assert "shown your estimated refund" in words(f)
    assert f.detail["kind"] == "refund"


@pytest.mark.parametrize("reply", [
    "@1 Refunds are shown on the statement within 5 days of the return.",  # a policy, no refund to this customer
    "@1 We can't see your estimated delivery date from here, sorry.",  # not a refund
    "@1 We're unable to show your estimated refund until the return arrives.",  # a refusal before it
])
def test_refund_shown_negatives(reply: str) -> None:
    assert find("compensation", reply).verdict is False, reply
