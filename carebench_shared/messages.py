"""The bench's own reply schema: one row per message in a thread, customer or brand.

It lives below both halves of carebench because both need it: every QA reader turns its input into a table of
these columns, and the simulator's reply log (:mod:`sim.replylog`) writes the same schema, so the QA pipeline
sees one shape whatever the source, and neither ``sim`` nor ``qa`` imports the other. :class:`Message` documents
and validates one row (and exports the JSON Schema); bulk reading validates columns at once with pandas for
speed, using the same field list.
Times are timezone-aware UTC; ids are strings (twcs ids like ``3.0`` are normalised to ``3``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Message",
    "MESSAGE_COLUMNS",
    "REQUIRED_COLUMNS",
    "ROLES",
    "message_json_schema",
]

ROLES = ("customer", "brand")


class Message(BaseModel):
    """One message (a post or reply) in a care thread."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message_id: str = Field(description="Unique id of this message (the tweet id for twcs input).")
    thread_id: str = Field(description="The conversation this message belongs to.")
    parent_id: str | None = Field(default=None, description="The message this one replies to, if known.")
    role: Literal["customer", "brand"] = Field(description="Who wrote it: the customer or the brand's team.")
    author_id: str = Field(description="Account that wrote it (customer handle or number, brand screen name).")
    brand: str = Field(default="", description="The brand the thread is with.")
    channel: str = Field(default="twitter", description="Where it was posted: twitter, facebook, instagram, ...")
    public: bool = Field(default=True, description="True when anyone can see it; False for DMs and private chats.")
    created_at: datetime = Field(description="When it was posted (ISO 8601; stored as UTC).")
    text: str = Field(default="", description="The message text as posted.")
    language: str | None = Field(default=None, description="ISO 639-1 code if known; otherwise detected.")
    agent_id: str | None = Field(default=None, description="The agent who wrote a brand message, if known.")
    customer_followers: int | None = Field(
        default=None, ge=0, description="The customer's follower count (their audience), if known."
    )
    purchase_date: date | None = Field(default=None, description="Case fact: when the customer bought.")
    order_value: float | None = Field(default=None, ge=0, description="Case fact: the order's value.")
    product: str | None = Field(default=None, description="Case fact: the product concerned.")
    issue_category: str | None = Field(default=None, description="Case fact: the kind of issue (delivery, ...).")


MESSAGE_COLUMNS: tuple[str, ...] = tuple(Message.model_fields)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(n for n, f in Message.model_fields.items() if f.is_required())


def message_json_schema() -> dict[str, Any]:
    """The JSON Schema of one message row (what ``carebench qa schema`` prints)."""
    schema = Message.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "carebench reply schema: one row per message (customer or brand) in a care thread. "
        "Files hold many rows: CSV with these columns as header, JSON Lines, or Parquet."
    )
    return schema
