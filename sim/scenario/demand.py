"""What arrives: the volume of mentions (Poisson, profiles, self-excitation, incidents) and what each mention is
(intent, language, channel, handle time, whether listening finds it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..bounds import MAX_DAYS, MAX_MINUTES, MAX_RATE, MAX_TIER, MAX_WEIGHT, MIN_LARGEST_WEIGHT
from ..distributions import Distribution
from .base import IntentName, Name, Strict, Weight

__all__ = ["Volume", "SelfExcitation", "Incident", "Intent", "Language", "Listening", "Handling", "Channel"]


def _check_profile(values: list[float] | None, length: int) -> list[float] | None:
    if values is None:
        return None
    if len(values) != length:
        raise ValueError(f"needs {length} weights, got {len(values)}")
    if any(v < 0 for v in values):
        raise ValueError("weights must not be negative")
    if max(values) < MIN_LARGEST_WEIGHT:  # tiny weights multiply to 0.0 and the week's rates to NaN
        raise ValueError(f"weights must not all be zero (the largest must be at least {MIN_LARGEST_WEIGHT:g})")
    return values


class Volume(Strict):
    """Mention volume: a Poisson rate, optionally shaped by hour of day and day of week."""

    mentions_per_hour: float = Field(ge=0, le=MAX_RATE, description="Mean arrival rate; with profiles, the mean over the week.")
    hourly_profile: list[Weight] | None = Field(
        default=None, description="24 relative weights, hour of day 00-01 first."
    )
    weekly_profile: list[Weight] | None = Field(default=None, description="7 relative weights, Monday first.")
    self_excitation: SelfExcitation | None = Field(
        default=None,
        description="Hawkes-style self-excitation; with it, mentions_per_hour is the baseline (immigrant) rate.",
    )
    incidents: list[Incident] | None = Field(default=None, description="Incidents and viral spikes.")

    @field_validator("incidents")
    @classmethod
    def _incident_names(cls, v):
        if v is not None:
            names = [i.name for i in v]
            if len(set(names)) != len(names):
                raise ValueError("an incident name is used twice")
        return v

    @field_validator("hourly_profile")
    @classmethod
    def _hourly(cls, v):
        return _check_profile(v, 24)

    @field_validator("weekly_profile")
    @classmethod
    def _weekly(cls, v):
        return _check_profile(v, 7)


class SelfExcitation(Strict):
    """Hawkes self-excitation: every mention triggers ``branching_ratio`` further mentions on average,
    spread over an exponential memory (kernel alpha exp(-t/memory), alpha = branching_ratio / memory)."""

    branching_ratio: float = Field(ge=0, lt=1, description="Mean mentions directly triggered by one mention.")
    memory_minutes: float = Field(gt=0, le=MAX_MINUTES, description="Mean delay from a mention to the mentions it triggers (1/beta).")
    excite: Literal["all", "unanswered"] = Field(
        default="unanswered",
        description="'unanswered': a thread attracts posts only while it waits for its first reply.",
    )


class Incident(Strict):
    """An incident or viral spike: the intensity jumps by ``jump_per_hour`` at ``start_day`` and the excess decays
    exponentially; its mentions (and the ones they trigger) share one known fix."""

    name: Name
    start_day: float = Field(ge=-MAX_DAYS, le=MAX_DAYS, description="Day of the measured window (0 = Monday 00:00; may be fractional).")
    jump_per_hour: float = Field(gt=0, le=MAX_RATE, description="Excess mentions per hour at the start.")
    decay_minutes: float = Field(gt=0, le=MAX_MINUTES, description="Mean life of the excess (it decays as exp(-t/decay)).")
    intent: IntentName = "complaint"
    fix_after_minutes: float | None = Field(
        default=None, ge=0, le=MAX_MINUTES, description="When the fix is known; with policy.public_fix it is published then."
    )


class Intent(Strict):
    """What a mention is about, with its own share, handling and response need."""

    name: IntentName
    share: float = Field(gt=0, le=MAX_WEIGHT)
    handle_minutes: Distribution | None = Field(default=None, description="Default: the channel's handle time.")
    reply_need: float = Field(
        default=1.0, ge=0, le=1, description="Chance the customer expects a reply (and acts when none comes)."
    )
    tier: int = Field(default=1, ge=1, le=MAX_TIER, description="Lowest agent tier that may answer it.")
    sla_minutes: float | None = Field(default=None, gt=0, le=MAX_MINUTES, description="Deadline for policy.order 'deadline'.")

    @property
    def problem(self) -> bool:
        """Questions and complaints are problems to resolve; the rest are acknowledged."""
        return self.name in ("question", "complaint")


class Language(Strict):
    """A language of the customers and its share of the mentions."""

    name: Name
    share: float = Field(gt=0, le=MAX_WEIGHT)


class Listening(Strict):
    """Untagged mentions reach the team only through listening (keyword monitoring)."""

    tagged_share: float = Field(gt=0, le=1, description="Share of mentions that tag the brand.")
    coverage: float = Field(ge=0, le=1, description="Share of untagged mentions that listening finds.")
    discovery_delay_minutes: Distribution = Field(description="From posting to being found.")


class Handling(Strict):
    """How long an agent works on one mention, in minutes (the default for every channel)."""

    handle_minutes: Distribution


class Channel(Strict):
    """A channel's share of the volume and, optionally, its own handle-time distribution."""

    name: Name
    share: float = Field(gt=0, le=MAX_WEIGHT)
    handle_minutes: Distribution | None = None
