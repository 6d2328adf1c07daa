"""The scenario itself: the sections together, the checks that span sections, and the JSON Schema of the files."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from ..bounds import MAX_DAYS, MAX_REPLICATIONS, MAX_SEED
from .base import Name, Strict, unique_names
from .customers import Customers
from .demand import Channel, Handling, Intent, Language, Listening, Volume
from .economics import Costs, Migration, Phone
from .policy import Policy, Sla
from .workforce import Staffing

__all__ = ["Scenario", "scenario_json_schema"]


class Scenario(Strict):
    """One care operation to simulate."""

    name: Name
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    horizon_days: float = Field(gt=0, le=MAX_DAYS, description="Measured window, days (may be fractional).")
    warmup_days: float = Field(default=0, ge=0, le=MAX_DAYS,
                               description="Simulated before the window, not measured.")
    replications: int = Field(default=5, ge=1, le=MAX_REPLICATIONS)
    max_drain_days: float = Field(
        default=30, gt=0, le=MAX_DAYS, description="How long after the window mentions are followed before counted open."
    )
    volume: Volume
    handling: Handling
    channels: list[Channel] | None = None
    customers: Customers = Customers()
    staffing: Staffing
    sla: Sla
    policy: Policy = Policy()
    intents: list[Intent] | None = None
    languages: list[Language] | None = None
    listening: Listening | None = None
    phone: Phone | None = None
    migration: Migration | None = None
    costs: Costs | None = None

    @field_validator("intents")
    @classmethod
    def _intents(cls, v):
        return unique_names(v, "intent")

    @field_validator("languages")
    @classmethod
    def _languages(cls, v):
        return unique_names(v, "language")

    @model_validator(mode="after")
    def _cross(self) -> Scenario:
        channels = [c.name for c in self.channels] if self.channels else ["default"]
        languages = [lang.name for lang in self.languages] if self.languages else ["default"]
        for team in self.staffing.teams or []:
            for ch in (team.channels or []) + list(team.concurrency or {}):
                if ch not in channels:
                    raise ValueError(f"team {team.name!r}: channel {ch!r} is not in 'channels' {channels}")
            for lang in team.languages or []:
                if lang not in languages:
                    raise ValueError(f"team {team.name!r}: language {lang!r} is not in 'languages' {languages}")
        if self.migration is not None and self.phone is None:
            raise ValueError("'migration' needs a 'phone' section (the other side of the gap)")
        if self.intents is not None:
            names = [i.name for i in self.intents]
            for inc in self.volume.incidents or []:
                if inc.intent not in names:
                    raise ValueError(f"incident {inc.name!r}: intent {inc.intent!r} is not in 'intents'")
        return self

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
