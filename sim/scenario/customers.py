"""Who the customers are and what they do while they wait: patience, impatience behaviours, further posts, calls,
and their followers (the influence a concession rule and a queue order read)."""

from __future__ import annotations

from pydantic import Field, field_validator

from ..bounds import MAX_COUNT, MAX_FACTOR, MAX_FOLLOWERS, MAX_MINUTES, MIN_ALPHA
from ..distributions import Distribution
from .base import ImpatienceName, Strict, Weight, check_weights

__all__ = ["Customers", "Followers"]


class Followers(Strict):
    """Heavy-tailed follower counts: Pareto with the given minimum and tail index (smaller alpha, heavier tail)."""

    minimum: float = Field(default=20, gt=0, le=MAX_FOLLOWERS)
    alpha: float = Field(default=1.1, ge=MIN_ALPHA, le=MAX_FACTOR)

    def quantile(self, q: float) -> float:
        return self.minimum * (1.0 - q) ** (-1.0 / self.alpha)


class Customers(Strict):
    """Customer behaviour while waiting."""

    patience_minutes: Distribution | None = Field(
        default=None, description="How long a customer waits for a first response; absent: forever."
    )
    on_impatience: ImpatienceName | dict[ImpatienceName, Weight] = Field(
        default="withdraw",
        description="What a customer whose patience runs out does: one behaviour, or weights of several.",
    )
    max_repeats: int = Field(default=2, ge=0, le=MAX_COUNT, description="Repeat or escalation posts per problem at most.")
    repeat_patience_factor: float = Field(default=0.5, gt=0, le=MAX_FACTOR, description="Patience of a repeat post, relative.")
    escalation_extra_mentions: float = Field(
        default=3.0, ge=0, le=MAX_COUNT, description="Mean posts by others that a public escalation attracts."
    )
    escalation_memory_minutes: float = Field(default=60, gt=0, le=MAX_MINUTES, description="Mean delay of those posts.")
    extra_posts_mean: float = Field(default=0, ge=0, le=MAX_COUNT, description="Mean further posts about one problem (geometric).")
    extra_post_gap_minutes: Distribution | None = Field(default=None, description="Gap between such posts.")
    also_phone: float = Field(default=0, ge=0, le=1, description="Share of problem posters who also call.")
    followers: Followers | None = None

    @field_validator("on_impatience")
    @classmethod
    def _weights(cls, v):
        return check_weights(v) if isinstance(v, dict) else v
