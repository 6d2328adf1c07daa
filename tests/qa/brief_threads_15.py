"""Care threads for the ``brief15`` round of the audit against the domain brief: our own words, not the brief's.

Three leftovers of the last round, all on lesson 6 ("move to DM, then come back publicly with the resolution"):
a public close after a DM that does not mention the DM ("All done, enjoy the rest of your week!"); a public
"thanks for chatting with us in DM" close in a file that holds no private message (the DM is not in the file);
and a DM move that never comes back publicly. In English and Spanish, on twitter and facebook. Scored in a file
of their own (``python tests/qa/brief_threads_15.py OUT.csv``), so that the closes here (the same words in
several threads) meet no other round's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import _thread, write_cases_csv  # noqa: E402

CASES: dict[str, tuple[str, list[dict]]] = {}
"""case id -> (what a QA lead expects, thread rows); the audited reply is named in the tests."""


def case(cid: str, expect: str, posts: list[tuple], **facts) -> None:
    CASES[cid] = (expect, _thread(cid, who(cid), posts, **facts))


def who(cid: str) -> str:
    return "u_" + cid.replace("-", "_")


DM, FB, FB_DM = {"public": False}, {"channel": "facebook"}, {"channel": "facebook", "public": False}

# ---- 1: a public close after a DM, in words that do not name the DM ----------------------------------------
DONE = "All done, enjoy the rest of your week!"
case("done-dm", "the public close after a DM fix, not naming the DM: owes no empathy again, full marks",
     [("customer", 0, "@Acme my direct debit was taken twice this month, can someone fix it?"),
      ("brand", 10, f"@{who('done-dm')} Sorry about that! Could you DM us the last four digits of the account?"),
      ("customer", 15, "Here you go: ends 4411", DM),
      ("brand", 25, "Thanks. We've refunded the second payment; it will be back in 2 working days.", DM),
      ("customer", 30, "great, thanks", DM),
      ("brand", 40, f"@{who('done-dm')} {DONE}")])
case("done-dm-b", "the same close after a DM on another problem: a close, not a template ignoring anyone",
     [("customer", 0, "@Acme the lamp I ordered arrived with the shade crushed flat"),
      ("brand", 10, f"@{who('done-dm-b')} Oh no, sorry! Please DM us your order number and a photo."),
      ("customer", 15, "sent", DM),
      ("brand", 25, "Thanks. A new shade goes out today by tracked post.", DM),
      ("brand", 40, f"@{who('done-dm-b')} {DONE}")])
case("done-dm-c", "and on a third problem: a close, not a template ignoring anyone",
     [("customer", 0, "@Acme I can't log in to my loyalty account since the app update"),
      ("brand", 10, f"@{who('done-dm-c')} Sorry for the trouble! We've sent you a DM to check a few details."),
      ("customer", 15, "replied", DM),
      ("brand", 25, "Thanks, we've reset your login; try again now.", DM),
      ("brand", 40, f"@{who('done-dm-c')} {DONE}")])
case("done-silent", "answered first in private, then a public close: the close owes no empathy again",
     [("customer", 0, "@Acme still no sign of my refund for the cancelled flight"),
      ("brand", 10, "Sorry for the wait. Your refund went out this morning; allow 3-5 days.", DM),
      ("brand", 20, f"@{who('done-silent')} Done, have a lovely weekend!")])
case("done-dm-es", "(Spanish, facebook) '¡Listo! Que tengas buena semana' after a DM fix: full marks",
     [("customer", 0, "Me habéis cobrado dos veces el envío del último pedido", FB),
      ("brand", 10, "¡Hola! Lo sentimos. Escríbenos por privado con el número de pedido, por favor.", FB),
      ("customer", 15, "Ya os lo he mandado", FB_DM),
      ("brand", 25, "Gracias. Hemos devuelto el segundo cargo, lo verás en 2-3 días.", FB_DM),
      ("brand", 40, "¡Listo! Que tengas muy buena semana.", FB)])
# near misses: the same words where nothing was handled in private, or answering a new public post
case("done-public", "the same close to a public complaint with no DM: empathy still owed",
     [("customer", 0, "@Acme my direct debit was taken twice this month, can someone fix it?"),
      ("brand", 10, f"@{who('done-public')} {DONE}")])
case("done-again", "after the DM the customer complains again in public: the answer owes empathy again",
     [("customer", 0, "@Acme my direct debit was taken twice this month, can someone fix it?"),
      ("brand", 10, f"@{who('done-again')} Sorry about that! Could you DM us the last four digits?"),
      ("customer", 15, "ends 4411", DM),
      ("brand", 25, "Thanks. We've refunded the second payment.", DM),
      ("customer", 60, "@Acme still not back in my account and now I'm overdrawn"),
      ("brand", 70, f"@{who('done-again')} It will show tomorrow.")])

# ---- 2: "thanks for chatting with us in DM" where the DM is not in the file ---------------------------------
TRAINERS = ("@Acme ordered trainers a week ago and tracking hasn't updated since Monday",
            "Sorry about the wait! Please DM us your order number.", "@Acme done")
ZAPAS = ("@Acme pedí unas zapatillas hace una semana y el seguimiento no se mueve desde el lunes",
         "¡Sentimos la espera! Escríbenos por privado con el número de pedido.", "@Acme hecho")
for cid, (ask, move, done), close in (
        ("chat-dm", TRAINERS, "Thanks for chatting with us in DM, enjoy your new trainers!"),
        ("chat-dm-b", TRAINERS, "Great speaking with you over DM, have a good weekend!"),
        ("chat-dm-c", TRAINERS, "Glad we were able to sort that via DM. Enjoy the trainers!"),
        ("chat-dm-es", ZAPAS, "¡Gracias por hablar con nosotros por privado! Que disfrutes de las zapatillas.")):
    case(cid, "a public close that refers back to a DM is not itself a move to DM: the thread is closed",
         [("customer", 0, ask), ("brand", 10, f"@{who(cid)} {move}"), ("customer", 20, done),
          ("brand", 50, f"@{who(cid)} {close}")])
case("chat-dm-more", "thanks for the DM chat, then a new DM request: still a move to DM, never closed",
     [("customer", 0, "@Acme ordered trainers a week ago and tracking hasn't updated since Monday"),
      ("brand", 10, f"@{who('chat-dm-more')} Sorry about the wait! Please DM us your order number."),
      ("customer", 20, "@Acme done"),
      ("brand", 50, f"@{who('chat-dm-more')} Thanks for chatting with us in DM. Could you also DM us your "
                    "postcode?")])

# ---- 3: a DM move that never comes back publicly ---------------------------------------------------------------
BOILER = "@Acme the boiler you installed last week has stopped heating, we've got a newborn at home"
case("dm-gone", "a curt DM move, never closed publicly (lesson 6): flagged and charged",
     [("customer", 0, BOILER), ("brand", 15, f"@{who('dm-gone')} Please DM us your postcode.")])
case("dm-back", "the same DM move, closed publicly after the DM: no close missing",
     [("customer", 0, BOILER), ("brand", 15, f"@{who('dm-back')} Please DM us your postcode."),
      ("customer", 20, "SW1A 1AA", DM),
      ("brand", 30, "Thanks, an engineer is booked for 8am tomorrow.", DM),
      ("brand", 40, f"@{who('dm-back')} An engineer is booked for tomorrow morning; we hope the little one stays "
                    "warm tonight!")])


def write_csv(path: str) -> None:
    write_cases_csv(CASES, path)


if __name__ == "__main__":
    write_csv(sys.argv[1])
