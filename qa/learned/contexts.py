"""Brand replies of a message table as :class:`ReplyContext` objects, built the way the QA pipeline builds them.

Training (``carebench qa train``) and the measuring tools read replies through :func:`qa.readers.read_messages`
and this function, so a model is trained on the same contexts it is later applied to: the reply, the
customer's posts in the thread before it (joined, oldest first), the earlier brand posts, and the languages
(given in the data, else detected; the customer's by :func:`qa.language.thread_language`).
"""

from __future__ import annotations

import pandas as pd

from qa.checks.base import CONTEXT_POSTS, ReplyContext
from qa.language import detect, thread_language

__all__ = ["reply_contexts"]


def _given(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value) or None


def reply_contexts(messages: pd.DataFrame) -> list[ReplyContext]:
    """One context per brand reply of ``messages`` (own schema, sorted by thread and time), in table order."""
    out: list[ReplyContext] = []
    cols = ["thread_id", "role", "text", "language", "message_id", "brand", "channel", "public"]
    prev = None
    posts: list[str] = []
    brand_texts: list[str] = []
    customer_given: str | None = None
    for th, role, text, lang, mid, brand, channel, public in messages[cols].itertuples(index=False, name=None):
        text = "" if text is None or text is pd.NA else str(text)
        if th != prev:
            prev, posts, brand_texts, customer_given = th, [], [], None
        if role != "brand":
            customer_given = customer_given or _given(lang)
            if text:
                posts.append(text)
            continue
        out.append(ReplyContext(
            reply_id=str(mid), text=text, customer_text="\n".join(posts[-CONTEXT_POSTS:]),
            customer_language=customer_given or thread_language(posts[-CONTEXT_POSTS:]),
            reply_language=_given(lang) or detect(text), earlier_brand_texts=tuple(brand_texts[-CONTEXT_POSTS:]),
            brand="" if brand is None or brand is pd.NA else str(brand),
            channel="" if channel is None or channel is pd.NA else str(channel),
            public=bool(public) if public is not None and public is not pd.NA else True,
        ))
        brand_texts.append(text)
    return out
