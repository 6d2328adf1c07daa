"""The reply log: every customer post and brand reply of the simulated window, one row each, in the reply schema
the QA module reads (:mod:`carebench_shared.messages`: ``MESSAGE_COLUMNS``), so the simulator's output is audited
like recorded replies (``carebench qa`` reads it as the own schema).

The model emits typed :class:`sim.messages.SimMessage` records through ``on_message``; this module, at the edge,
is the one adapter that maps them onto the schema, writes a plausible text for each message (English templates;
other languages marked with their code unless the reply was translated) and writes CSV. Minute 0 of the window is
Monday 2024-01-01 00:00 UTC.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone

from carebench_shared.messages import MESSAGE_COLUMNS

from .messages import SimMessage

__all__ = ["REPLY_COLUMNS", "ReplyLogWriter", "reply_text", "to_row", "EPOCH", "BRAND"]

REPLY_COLUMNS = list(MESSAGE_COLUMNS)
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
BRAND = "carebench"

_CUSTOMER = {
    "question": "@carebench quick question: how do I change the delivery address on my order?",
    "complaint": "@carebench my order arrived broken and nobody answers. Not happy.",
    "vent": "ugh, @carebench app down again. typical.",
    "praise": "Thanks @carebench, great service today!",
    "spam": "Win a free phone!!! click here",
}
_REPOST = {
    "repeat": "@carebench still waiting for an answer about this.",
    "extra": "@carebench anyone there? Still not sorted.",
    "escalation": "@carebench this is the third time I ask. Everyone, avoid this company.",
}
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


def reply_text(msg: SimMessage) -> str:
    """A plausible text for a simulated message."""
    if msg.role == "customer":
        text = _REPOST.get(msg.kind) or _CUSTOMER[msg.intent]
    else:
        text = _REPLY.get(msg.kind, _REPLY["reply"]) + _COMP.get(msg.compensation or "", "")
    if msg.language not in ("en", "default") and not msg.translated:
        text = f"[{msg.language}] {text}"
    return text


def to_row(rep: int, msg: SimMessage) -> dict:
    """One message of the model as a row of the reply schema."""
    created = EPOCH + timedelta(minutes=msg.minute)
    days = msg.days_since_purchase
    return {
        "message_id": msg.message_id,
        "thread_id": msg.thread_id,
        "parent_id": msg.in_reply_to,
        "role": msg.role,
        "author_id": msg.author if msg.role == "customer" else BRAND,
        "brand": BRAND,
        "channel": msg.channel,
        "public": msg.public,
        "created_at": created.isoformat(timespec="seconds"),
        "text": reply_text(msg),
        "language": "en" if msg.language == "default" else msg.language,
        "agent_id": msg.agent_id,
        "customer_followers": int(round(msg.followers)),
        "purchase_date": (created - timedelta(days=days)).date().isoformat() if days else None,
        "order_value": msg.order_value,
        "product": None,
        "issue_category": msg.incident or msg.intent,
    }


class ReplyLogWriter:
    """Writes messages as CSV rows of the reply schema; call with ``(rep, message)``."""

    def __init__(self, fh) -> None:
        self._w = csv.DictWriter(fh, fieldnames=REPLY_COLUMNS)
        self._w.writeheader()

    def __call__(self, rep: int, msg: SimMessage) -> None:
        row = to_row(rep, msg)
        self._w.writerow({k: ("" if v is None else (str(v).lower() if isinstance(v, bool) else v))
                          for k, v in row.items()})
