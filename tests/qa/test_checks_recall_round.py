"""The recall-round families (issue #9): ways of sending a customer elsewhere, and of saying this team cannot.

Every reply here is made up for the test from the definitions in LABELING.md (none is copied from real data);
each family has a negative counterpart that must stay quiet, and each positive names the words that fired.
"""

from __future__ import annotations

import pytest

from check_helpers import find, words

# (family, positive reply, words in its evidence, negative counterpart)
DEFLECTIONS = [
    ("staff at a place will do it", "@1 Sorry Sam! The staff at your local branch can reset the card for you.",
     "staff at your local branch", "@1 Sorry Sam! We reset the card from here, it works again now."),
    ("see an agent at a counter", "@1 Please see an agent at the ticket counter when you land.",
     "see an agent at the ticket counter", "@1 Our agents at the ticket counter have your new boarding pass ready."),
    ("the airport team will help", "@1 Our airport team will be able to help you rebook on the day.",
     "airport team will be able to help", "@1 Our airport team has been told, and we have rebooked you ourselves."),
    ("any of our stores", "@1 Please stop by any of our stores and a colleague will swap it.",
     "stop by any of our stores", "@1 Any of our stores can be found with the locator in the app."),
    ("recommending contacting a team", "@1 We'd recommend contacting our Customer Relations team about this.",
     "contacting our customer relations team", "@1 We'll be contacting our Customer Relations team about this."),
    ("calling the place directly", "@1 Please call the hotel directly about the late check-out.",
     "call the hotel directly", "@1 We called the hotel and the late check-out is confirmed."),
    ("question: been in touch with a team", "@1 Have you been in touch with our Billing team about the charge yet?",
     "been in touch with our billing team", "@1 Have you been charged twice? We can look at that for you."),
    ("a question for another company", "@1 That would be a question for your bank, I'm afraid.",
     "a question for your bank", "@1 That would be a question we can answer: yes, it's free."),
    ("the brand's live chat elsewhere", "@1 Please use our online chat and an agent will help with the account.",
     "use our online chat", "@1 Our online chat was down this morning, sorry. It's back now."),
    ("feedback to the makers elsewhere",
     "@1 Great idea! Send the product team your suggestions via our ideas board: https://ideas.example.com",
     "send the product team your suggestions", "@1 Great idea! We've shared it with the product team ourselves."),
    ("working on it together at a link", "@1 Let's go over the options together with you here: https://example.com/c",
     "go over the options", "@1 Let's go over the options: you can keep it or return it within 30 days."),
    ("a request through a link", "@1 Please use this link to submit your claim: https://example.com/claims",
     "use this link to submit your claim", "@1 Your claim was received and is being processed."),
    ("hours of service alone stay quiet", None, None, "@1 Our stores are open from 9am to 9pm Monday to Saturday."),
    ("a question about what the customer did", None, None, "@1 Which store did you visit, and when was it?"),
]


@pytest.mark.parametrize(("family", "positive", "expected", "negative"), DEFLECTIONS, ids=[d[0] for d in DEFLECTIONS])
def test_deflection_recall_families(family: str, positive: str | None, expected: str | None, negative: str) -> None:
    if positive is not None:
        f = find("deflection", positive)
        assert f.verdict is True, family
        assert expected in words(f), (family, words(f))
    quiet = find("deflection", negative)
    assert quiet.verdict is False, (family, words(quiet))


@pytest.mark.parametrize(("positive", "expected", "negative"), [
    ("@1 Sorry, our social team doesn't have the tools to issue refunds; please call 1-800-555-0199.",
     "social team doesn't have the tools", "@1 Sorry, our team has issued the refund; you'll see it in 3 days."),
    ("@1 Unfortunately this is outside what we can help with on Twitter.", "outside what we can help",
     "@1 Unfortunately this is taking longer than we hoped, we'll update you here."),
    ("@1 We don't handle billing here, that's our accounts team.", "we don't handle billing here",
     "@1 We don't charge for billing changes here, it's free."),
    ("@1 We have no way of seeing account details from this channel.", "no way of seeing account",
     "@1 We have no record of a second charge on the account."),
    ("@1 Por seguridad no podemos revisar tu caso por este medio.", "por seguridad no podemos",
     "@1 Por seguridad cambiamos tu tarjeta y te llegará en 5 días."),
    ("@1 Lo sentimos, no tenemos la facultad para cancelar ese cargo.", "no tenemos la facultad para",
     "@1 Lo sentimos, ya cancelamos ese cargo y verás el saldo mañana."),
    ("@1 Ese servicio no lo gestionamos nosotros, corresponde a la aseguradora.", "no lo gestionamos nosotros",
     "@1 Ese servicio lo gestionamos nosotros y ya quedó activo."),
])
def test_not_our_team_recall_families(positive: str, expected: str, negative: str) -> None:
    f = find("not_our_team", positive)
    assert f.verdict is True, positive
    assert expected in words(f), words(f)
    assert find("not_our_team", negative).verdict is False, negative
