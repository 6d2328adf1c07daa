"""What every scenario model shares: the strict base class, bounded names and weights, the closed vocabularies
(intents, impatience behaviours, resolutions, weekdays) and the list checks several sections apply."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..bounds import MAX_NAME, MAX_WEIGHT

__all__ = ["Strict", "Weight", "Name", "INTENTS", "IntentName", "ImpatienceName", "ResolutionName", "WEEKDAYS",
           "Weekday", "unique_names", "check_weights"]

INTENTS = ("question", "complaint", "vent", "praise", "spam")
IntentName = Literal["question", "complaint", "vent", "praise", "spam"]
ImpatienceName = Literal["withdraw", "repeat", "escalate", "phone"]
ResolutionName = Literal["in_thread", "dm", "phone", "escalate"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Strict(BaseModel):
    """Base of every scenario model: frozen, unknown keys refused, no string-to-number coercion, every number
    finite (ranges in :mod:`sim.bounds`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


Weight = Annotated[float, Field(le=MAX_WEIGHT)]  # a relative weight; the sign is checked with the whole list
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


def unique_names(items, what: str):
    if items is not None:
        if not items:
            raise ValueError(f"list at least one {what}, or leave the key out")
        names = [i.name for i in items]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"{what} name {dup[0]!r} is used twice")
    return items


def check_weights(v: dict[str, float] | None) -> dict[str, float] | None:
    if v is not None:
        if not v or any(w < 0 for w in v.values()) or sum(v.values()) <= 0:
            raise ValueError("weights must be non-negative with a positive sum")
    return v
