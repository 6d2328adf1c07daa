"""The reply log: every customer post and brand reply of the simulated window, one row each, in the columns the
QA module reads (thread, message, author, role, channel, public, timestamp, language, agent, followers, text, case
facts), so the simulator's output can be audited like recorded replies.

``qa/schema.py`` did not exist when this was written; these columns follow the reply schema agreed in
ARCHITECTURE.md and should be mapped onto it once it lands. The writer is at the edge (files); the model only
emits plain dicts through ``on_message``.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

__all__ = ["REPLY_COLUMNS", "ReplyLogWriter", "reply_text", "EPOCH"]

REPLY_COLUMNS = [
    "thread_id", "message_id", "in_reply_to", "author", "role", "channel", "public", "created_at", "language",
    "agent_id", "follower_count", "text", "case_facts",
]
EPOCH = datetime(2024, 1, 1)  # minute 0 of the window is a Monday 00:00

_CUSTOMER = {
    "question": "@brand quick question: how do I change the delivery address on my order?",
    "complaint": "@brand my order arrived broken and nobody answers. Not happy.",
    "vent": "ugh, @brand app down again. typical.",
    "praise": "Thanks @brand, great service today!",
    "spam": "Win a free phone!!! click here",
}
_REPEAT = "@brand still waiting for an answer about this."
_ESCALATION = "@brand this is the third time I ask. Everyone, avoid this company."
_REPLY = {
    "in_thread": "Hi, sorry about this. Here is how to fix it: open Orders, choose the order and tap Change.",
    "dm": "Hi, sorry about this. Could you send us a DM with your order details so we can look into it?",
    "phone": "Please call our hotline at 0800 000 000 so the team can help you.",
    "escalate": "We've passed this to our field team; they will contact you within 24 hours.",
    "public_fix": "We know about the outage and have a fix: update the app to the latest version. Sorry!",
    "reply": "Thanks for reaching out to us!",
}
_COMP = {
    "within": " As a gesture we've added store credit to your account, as our policy allows.",
    "beyond": " We'll refund you in full and give you 50% off your next purchase.",
}


def reply_text(msg: dict) -> str:
    """A plausible text for a simulated message (English; other languages are marked with their code)."""
    if msg["role"] == "customer":
        text = {"repeat": _REPEAT, "escalation": _ESCALATION, "extra": _REPEAT}.get(msg["kind"]) or \
            _CUSTOMER[msg["intent"]]
    else:
        text = _REPLY.get(msg["kind"], _REPLY["reply"]) + _COMP.get(msg["compensation"], "")
    if msg["language"] not in ("en", "default") and not msg["translated"]:
        text = f"[{msg['language']}] {text}"
    return text


class ReplyLogWriter:
    """Writes messages as CSV rows (REPLY_COLUMNS); call with ``(rep, message)``."""

    def __init__(self, fh) -> None:
        self._w = csv.writer(fh)
        self._w.writerow(REPLY_COLUMNS)

    def __call__(self, rep: int, msg: dict) -> None:
        facts = {k: msg[k] for k in ("intent", "kind", "incident", "compensation", "translated", "wait_minutes")}
        facts["rep"] = rep
        self._w.writerow([
            msg["thread_id"], msg["message_id"], msg["in_reply_to"], msg["author"], msg["role"], msg["channel"],
            int(msg["public"]), (EPOCH + timedelta(minutes=msg["minute"])).isoformat(timespec="seconds"),
            msg["language"], msg["agent_id"], round(msg["followers"]), reply_text(msg),
            json.dumps(facts, separators=(",", ":")),
        ])
