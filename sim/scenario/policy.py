"""How the team responds: the service-level objective, the response policy (order, triage, resolution, public
fix, integration) and the compensation rule."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..bounds import MAX_AMOUNT, MAX_FACTOR, MAX_MINUTES
from .base import IntentName, ResolutionName, Strict, Weight, check_weights

__all__ = ["Sla", "Compensation", "Policy"]


class Sla(Strict):
    """Service-level objective: ``goal`` of mentions answered within ``target_minutes``."""

    target_minutes: float = Field(gt=0, le=MAX_MINUTES)
    goal: float = Field(gt=0, le=1)


class Compensation(Strict):
    """Concessions agents offer on complaints: within policy, or beyond it (a precedent) with a chance that rises
    with the customer's influence and the queue pressure."""

    rule: Literal["influence_pressure", "by_the_book"] = Field(
        default="influence_pressure", description="Compensation rule by name (sim/policies.py registry)."
    )
    within_rate: float = Field(default=0, ge=0, le=1, description="Chance of a within-policy offer.")
    within_amount: float = Field(default=10, ge=0, le=MAX_AMOUNT)
    beyond_rate: float = Field(default=0, ge=0, le=1, description="Base chance of an off-policy concession.")
    beyond_amount: float = Field(default=60, ge=0, le=MAX_AMOUNT)
    influence_slope: float = Field(default=0, ge=0, le=MAX_FACTOR, description="Relative rise per decade of followers above the minimum.")
    pressure_slope: float = Field(default=0, ge=0, le=MAX_FACTOR, description="Relative rise per waiting mention per agent on duty.")


class Policy(Strict):
    """Response policy: which mentions get a reply, in which order, how a reply resolves, what it concedes."""

    order: Literal["fifo", "longest_wait", "deadline", "influence"] = Field(
        default="fifo", description="Queue discipline by name (sim/queues.py registry)."
    )
    reply: Literal["all", "triage"] = Field(default="all", description="'triage' skips the intents in 'skip'.")
    skip: list[IntentName] = Field(default_factory=lambda: ["vent", "praise", "spam"])
    resolution: dict[ResolutionName, Weight] | None = Field(
        default=None, description="Weights of how a reply to a problem resolves; default in_thread."
    )
    dm_extra_minutes: float = Field(default=4, ge=0, le=MAX_MINUTES, description="Extra handling of moving to private messages.")
    deflect_repeat: float = Field(default=0.5, ge=0, le=1, description="Chance a deflected customer posts again.")
    deflect_repeat_delay_minutes: float = Field(default=120, gt=0, le=MAX_MINUTES)
    public_fix: bool = Field(default=False, description="Publish each incident's known fix once, answering all.")
    fix_post_minutes: float = Field(default=30, ge=0, le=MAX_MINUTES, description="Agent time to write the public fix.")
    integrated_channels: bool = Field(default=False, description="Phone and social see each other's cases.")
    integrated_handle_factor: float = Field(default=0.25, ge=0, le=1)
    compensation: Compensation | None = None

    @field_validator("resolution")
    @classmethod
    def _weights(cls, v):
        return check_weights(v)
