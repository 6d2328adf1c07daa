"""The scenario: a frozen, validated description of one care operation to simulate.

These models hold no I/O; :mod:`sim.loader` turns YAML files and ``--set`` overrides into them. Unknown keys
are refused and strings are never coerced to numbers, because scenario files are also written by other tools.
Times are minutes unless a field name says otherwise.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .bounds import (MAX_AGENTS, MAX_AMOUNT, MAX_CONCURRENCY, MAX_COUNT, MAX_DAYS, MAX_FACTOR, MAX_FOLLOWERS,
                     MAX_MINUTES, MAX_NAME, MAX_RATE, MAX_REPLICATIONS, MAX_SEED, MAX_TIER, MAX_WEIGHT, MIN_ALPHA,
                     MIN_LARGEST_WEIGHT)
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
    "Intent",
    "Language",
    "Listening",
    "Followers",
    "SelfExcitation",
    "Incident",
    "Team",
    "Compensation",
    "Phone",
    "Migration",
    "Costs",
    "INTENTS",
    "WEEKDAYS",
    "scenario_json_schema",
]

INTENTS = ("question", "complaint", "vent", "praise", "spam")
IntentName = Literal["question", "complaint", "vent", "praise", "spam"]
ImpatienceName = Literal["withdraw", "repeat", "escalate", "phone"]
ResolutionName = Literal["in_thread", "dm", "phone", "escalate"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Strict(BaseModel):
    """Base of every scenario model: frozen, unknown keys refused, no string-to-number coercion, every number
    finite (ranges in :mod:`sim.bounds`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


Weight = Annotated[float, Field(le=MAX_WEIGHT)]  # a relative weight; the sign is checked with the whole list
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


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


def _unique_names(items, what: str):
    if items is not None:
        if not items:
            raise ValueError(f"list at least one {what}, or leave the key out")
        names = [i.name for i in items]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"{what} name {dup[0]!r} is used twice")
    return items


def _check_weights(v: dict[str, float] | None) -> dict[str, float] | None:
    if v is not None:
        if not v or any(w < 0 for w in v.values()) or sum(v.values()) <= 0:
            raise ValueError("weights must be non-negative with a positive sum")
    return v


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


class Followers(Strict):
    """Heavy-tailed follower counts: Pareto with the given minimum and tail index (smaller alpha, heavier tail)."""

    minimum: float = Field(default=20, gt=0, le=MAX_FOLLOWERS)
    alpha: float = Field(default=1.1, ge=MIN_ALPHA, le=MAX_FACTOR)

    def quantile(self, q: float) -> float:
        return self.minimum * (1.0 - q) ** (-1.0 / self.alpha)



class Handling(Strict):
    """How long an agent works on one mention, in minutes (the default for every channel)."""

    handle_minutes: Distribution


class Channel(Strict):
    """A channel's share of the volume and, optionally, its own handle-time distribution."""

    name: Name
    share: float = Field(gt=0, le=MAX_WEIGHT)
    handle_minutes: Distribution | None = None


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
        return _check_weights(v) if isinstance(v, dict) else v


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
            _unique_names(self.teams, "team")
            if not any((t.agents or 0) > 0 or any(s.agents > 0 for s in t.roster or []) for t in self.teams):
                raise ValueError("no team ever has an agent on duty")
            return self
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
        return _check_weights(v)


class Phone(Strict):
    """The phone line beside social: counted for cost, shares and migration (not queued here)."""

    contacts_per_hour: float = Field(default=0, ge=0, le=MAX_RATE, description="Phone contacts per hour at the start.")
    mean_wait_minutes: float = Field(default=20, ge=0, le=MAX_MINUTES)
    compensation_rate: float = Field(default=0.05, ge=0, le=1, description="Share of phone cases compensated.")


class Migration(Strict):
    """Channel migration: each week the social share of contacts moves with the speed and generosity gap between
    social and phone, sped up by visible precedents (logistic in the share)."""

    weekly_rate: float = Field(default=0.2, ge=0, le=MAX_FACTOR)
    speed_weight: float = Field(default=1.0, ge=0, le=MAX_WEIGHT)
    generosity_weight: float = Field(default=5.0, ge=0, le=MAX_WEIGHT)
    precedent_weight: float = Field(default=1.0, ge=0, le=MAX_WEIGHT)
    audience_scale: float = Field(default=100_000, gt=0, le=MAX_AMOUNT, description="Audience of precedents worth one unit of drive.")
    max_factor: float = Field(default=3.0, gt=1, le=MAX_FACTOR, description="Social volume at most this times the start.")


class Costs(Strict):
    """Unit costs for cost per resolution."""

    agent_hour: float = Field(default=30, ge=0, le=MAX_AMOUNT)
    phone_contact: float = Field(default=6, ge=0, le=MAX_AMOUNT)
    field_case: float = Field(default=40, ge=0, le=MAX_AMOUNT)


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
        return _unique_names(v, "intent")

    @field_validator("languages")
    @classmethod
    def _languages(cls, v):
        return _unique_names(v, "language")

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
