"""The scenario: a frozen, validated description of one care operation to simulate.

These models hold no I/O; :mod:`sim.loader` turns YAML files and ``--set`` overrides into them. Unknown keys
are refused and strings are never coerced to numbers, because scenario files are also written by other tools.
Times are minutes unless a field name says otherwise.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .distributions import Distribution

__all__ = [
    "Scenario",
    "Volume",
    "Handling",
    "Channel",
    "Customers",
    "Shift",
    "Staffing",
    "Sla",
    "Policy",
    "WEEKDAYS",
    "scenario_json_schema",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Strict(BaseModel):
    """Base of every scenario model: frozen, unknown keys refused, no string-to-number coercion."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _check_profile(values: list[float] | None, length: int) -> list[float] | None:
    if values is None:
        return None
    if len(values) != length:
        raise ValueError(f"needs {length} weights, got {len(values)}")
    if any(v < 0 for v in values):
        raise ValueError("weights must not be negative")
    if sum(values) <= 0:
        raise ValueError("weights must not all be zero")
    return values


class Volume(Strict):
    """Mention volume: a Poisson rate, optionally shaped by hour of day and day of week."""

    mentions_per_hour: float = Field(ge=0, description="Mean arrival rate; with profiles, the mean over the week.")
    hourly_profile: list[float] | None = Field(
        default=None, description="24 relative weights, hour of day 00-01 first."
    )
    weekly_profile: list[float] | None = Field(default=None, description="7 relative weights, Monday first.")

    @field_validator("hourly_profile")
    @classmethod
    def _hourly(cls, v):
        return _check_profile(v, 24)

    @field_validator("weekly_profile")
    @classmethod
    def _weekly(cls, v):
        return _check_profile(v, 7)


class Handling(Strict):
    """How long an agent works on one mention, in minutes (the default for every channel)."""

    handle_minutes: Distribution


class Channel(Strict):
    """A channel's share of the volume and, optionally, its own handle-time distribution."""

    name: str = Field(min_length=1)
    share: float = Field(gt=0)
    handle_minutes: Distribution | None = None


class Customers(Strict):
    """Customer behaviour while waiting."""

    patience_minutes: Distribution | None = Field(
        default=None, description="How long a customer waits for a first response; absent: forever."
    )
    on_impatience: Literal["withdraw"] = Field(
        default="withdraw", description="What a customer whose patience runs out does."
    )


def _clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class Shift(Strict):
    """A weekly shift: on the given weekdays from ``start`` to ``end`` (an end before the start runs past midnight)."""

    name: str = Field(min_length=1)
    weekdays: list[Weekday] = Field(min_length=1)
    start: str = Field(description="HH:MM, 00:00 to 24:00")
    end: str = Field(description="HH:MM, 00:00 to 24:00")
    agents: int = Field(ge=0)
    concurrency: int = Field(default=1, ge=1)

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, v: str) -> str:
        if not _CLOCK.match(v) or _clock_minutes(v) > 24 * 60:
            raise ValueError(f"{v!r} is not a time of day HH:MM between 00:00 and 24:00")
        return v

    @field_validator("weekdays")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("a weekday is listed twice")
        return v

    @model_validator(mode="after")
    def _length(self) -> Shift:
        if _clock_minutes(self.start) % 1440 == _clock_minutes(self.end) % 1440:
            raise ValueError(f"shift {self.name!r} starts and ends at the same time")
        return self

    @property
    def start_minute(self) -> int:
        return _clock_minutes(self.start)

    @property
    def length_minutes(self) -> int:
        return (_clock_minutes(self.end) - self.start_minute) % 1440 or 1440


class Staffing(Strict):
    """Agents on duty: a constant number around the clock, or a weekly roster of shifts."""

    agents: int | None = Field(default=None, ge=0)
    concurrency: int = Field(default=1, ge=1, description="Conversations an agent holds at once.")
    roster: list[Shift] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Staffing:
        if (self.agents is None) == (self.roster is None):
            raise ValueError("give either 'agents' or 'roster', not both or neither")
        if self.roster is not None:
            names = [s.name for s in self.roster]
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"shift name {dup[0]!r} is used twice")
            if not any(s.agents > 0 for s in self.roster):
                raise ValueError("the roster never has an agent on duty")
        elif self.agents == 0:
            raise ValueError("agents must be at least 1 (no agent would ever answer)")
        return self


class Sla(Strict):
    """Service-level objective: ``goal`` of mentions answered within ``target_minutes``."""

    target_minutes: float = Field(gt=0)
    goal: float = Field(gt=0, le=1)


class Policy(Strict):
    """Response policy. ``order`` picks the queue discipline by name."""

    order: Literal["fifo"] = "fifo"


class Scenario(Strict):
    """One care operation to simulate."""

    name: str = Field(min_length=1)
    seed: int = 0
    horizon_days: float = Field(gt=0, description="Measured window, days (may be fractional).")
    warmup_days: float = Field(default=0, ge=0, description="Simulated before the window, not measured.")
    replications: int = Field(default=5, ge=1)
    max_drain_days: float = Field(
        default=30, gt=0, description="How long after the window mentions are followed before counted open."
    )
    volume: Volume
    handling: Handling
    channels: list[Channel] | None = None
    customers: Customers = Customers()
    staffing: Staffing
    sla: Sla
    policy: Policy = Policy()

    @field_validator("channels")
    @classmethod
    def _channels(cls, v):
        if v is not None:
            if not v:
                raise ValueError("list at least one channel, or leave 'channels' out")
            names = [c.name for c in v]
            if len(set(names)) != len(names):
                raise ValueError("a channel name is used twice")
        return v

    @property
    def horizon_minutes(self) -> float:
        return self.horizon_days * 1440.0

    @property
    def warmup_minutes(self) -> float:
        return self.warmup_days * 1440.0


def scenario_json_schema() -> dict:
    """The JSON Schema of scenario files, generated from the models."""
    return Scenario.model_json_schema()
