"""Who answers: agents around the clock, a weekly roster of shifts, or skilled teams, and what shrinks or slows
their work."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ..bounds import MAX_AGENTS, MAX_CONCURRENCY, MAX_FACTOR, MAX_TIER
from .base import Name, Strict, Weekday, unique_names

__all__ = ["Shift", "Team", "Staffing"]

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def _clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class Shift(Strict):
    """A weekly shift: on the given weekdays from ``start`` to ``end`` (an end before the start runs past midnight)."""

    name: Name
    weekdays: list[Weekday] = Field(min_length=1)
    start: str = Field(description="HH:MM, 00:00 to 24:00")
    end: str = Field(description="HH:MM, 00:00 to 24:00")
    agents: int = Field(ge=0, le=MAX_AGENTS)
    concurrency: int = Field(default=1, ge=1, le=MAX_CONCURRENCY)

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


def _check_roster(agents, roster, where: str = "") -> None:
    if (agents is None) == (roster is None):
        raise ValueError(f"{where}give either 'agents' or 'roster', not both or neither")
    if roster is not None:
        names = [s.name for s in roster]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"{where}shift name {dup[0]!r} is used twice")


class Team(Strict):
    """A group of agents with the same skills: languages, channels, tier, training and concurrency per channel."""

    name: Name
    agents: int | None = Field(default=None, ge=0, le=MAX_AGENTS)
    roster: list[Shift] | None = None
    languages: list[str] | None = Field(default=None, description="Languages answered natively; absent: all.")
    channels: list[str] | None = Field(default=None, description="Channels served; absent: all.")
    tier: int = Field(default=1, ge=1, le=MAX_TIER)
    training: float = Field(default=1.0, ge=0, le=1, description="1 fully trained; lower is slower and riskier.")
    concurrency: dict[str, Annotated[int, Field(le=MAX_CONCURRENCY)]] | None = Field(
        default=None, description="Conversations held at once per channel; default staffing.concurrency."
    )

    @model_validator(mode="after")
    def _check(self) -> Team:
        _check_roster(self.agents, self.roster, f"team {self.name!r}: ")
        if self.concurrency is not None and any(c < 1 for c in self.concurrency.values()):
            raise ValueError("concurrency must be at least 1")
        return self


class Staffing(Strict):
    """Agents on duty: a constant number around the clock, a weekly roster of shifts, or skilled teams."""

    agents: int | None = Field(default=None, ge=0, le=MAX_AGENTS)
    concurrency: int = Field(default=1, ge=1, le=MAX_CONCURRENCY,
                             description="Conversations an agent holds at once.")
    roster: list[Shift] | None = None
    teams: list[Team] | None = Field(default=None, description="Skilled teams instead of agents/roster.")
    shrinkage: float = Field(default=0, ge=0, lt=1, description="Share of paid time not available for mentions.")
    translation_extra: float = Field(
        default=0.5, ge=0, le=MAX_FACTOR, description="Extra handling share when an agent answers through translation."
    )
    untrained_handle_extra: float = Field(default=0.5, ge=0, le=MAX_FACTOR, description="Extra handling at training 0.")
    untrained_off_policy_factor: float = Field(
        default=2.0, ge=1, le=MAX_FACTOR, description="Off-policy concession chance multiplier at training 0."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Staffing:
        if self.teams is not None:
            if self.agents is not None or self.roster is not None:
                raise ValueError("give 'teams' or 'agents'/'roster', not both")
            unique_names(self.teams, "team")
            if not any((t.agents or 0) > 0 or any(s.agents > 0 for s in t.roster or []) for t in self.teams):
                raise ValueError("no team ever has an agent on duty")
            return self
        _check_roster(self.agents, self.roster)
        if self.roster is not None:
            if not any(s.agents > 0 for s in self.roster):
                raise ValueError("the roster never has an agent on duty")
        elif self.agents == 0:
            raise ValueError("agents must be at least 1 (no agent would ever answer)")
        return self
