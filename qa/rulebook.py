"""The policy rulebook: a YAML file a QA lead can read, as frozen pydantic models.

The rulebook says which concessions are allowed for which case facts, which languages the brand serves, the
first-response target, phrases never acceptable, how precedent risk and consistency are measured, and the
scorecard's weights and auto-fail criteria. Unknown keys and wrong types are refused; :func:`load_rulebook`
reports them as one line per problem naming the file, line and field (via :mod:`sim.loader`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import Strict as StrictType

__all__ = [
    "Rulebook",
    "ConcessionRule",
    "Departure",
    "PrecedentSettings",
    "ConsistencySettings",
    "Scorecard",
    "CONCESSION_KINDS",
    "DEFAULT_POLICY",
    "load_rulebook",
    "rulebook_json_schema",
]

CONCESSION_KINDS = ("refund", "store_credit", "discount", "voucher", "free_item", "replacement", "upgrade",
                    "fee_waiver", "points")
ConcessionKind = Literal["refund", "store_credit", "discount", "voucher", "free_item", "replacement", "upgrade",
                         "fee_waiver", "points"]
DEFAULT_POLICY = Path(__file__).parent / "policies" / "default.yaml"
T = TypeVar("T")
# YAML gives lists; the models keep tuples (frozen). Items stay strictly typed.
Seq = Annotated[tuple[T, ...], StrictType(False)]


class Strict(BaseModel):
    """Base of every rulebook model: frozen, unknown keys refused, no string-to-number coercion."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ConcessionRule(Strict):
    """One permission: these kinds are allowed when every stated condition holds."""

    kinds: Seq[ConcessionKind] = Field(min_length=1)
    min_days_since_purchase: int | None = Field(default=None, ge=0)
    max_days_since_purchase: int | None = Field(default=None, ge=0)
    max_percent: float | None = Field(default=None, ge=0, le=100)
    max_amount: float | None = Field(default=None, ge=0)
    categories: Seq[str] | None = None
    channels: Seq[str] | None = None
    note: str = ""


class Departure(Strict):
    """Severity (0-1) of each kind of breach; see :mod:`qa.policy_checks`."""

    kind_never_allowed: float = Field(default=1.0, ge=0, le=1)
    outside_window_base: float = Field(default=0.6, ge=0, le=1)
    over_limit_base: float = Field(default=0.5, ge=0, le=1)
    unknown_facts: float = Field(default=0.3, ge=0, le=1)


class PrecedentSettings(Strict):
    """Visibility and claimability parameters of precedent risk; see :mod:`qa.precedent`."""

    private_visibility: float = Field(default=0.1, ge=0, le=1)
    public_floor: float = Field(default=0.4, ge=0, le=1)
    full_reach_followers: int = Field(default=1_000_000, gt=1)
    unknown_followers: int = Field(default=1000, ge=0)
    vague_amount_factor: float = Field(default=0.8, ge=0, le=1)
    high: float = Field(default=0.5, ge=0, le=1)
    claimability: dict[ConcessionKind, float] = Field(default_factory=dict)

    @field_validator("claimability")
    @classmethod
    def _unit(cls, v):
        for k, x in v.items():
            if not 0 <= x <= 1:
                raise ValueError(f"{k}: must be between 0 and 1")
        return v


class ConsistencySettings(Strict):
    """Thresholds of the consistency and template-overuse analysis; see :mod:`qa.consistency`."""

    min_group_size: int = Field(default=8, ge=2)
    min_level_size: int = Field(default=3, ge=1)
    min_effect: float = Field(default=0.2, ge=0, le=1)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    similarity: float = Field(default=0.5, gt=0, le=1)
    template_similarity: float = Field(default=0.8, gt=0, le=1)
    template_min_issues: int = Field(default=3, ge=2)
    template_max_echo: float = Field(default=0.5, ge=0, le=1)
    echo_min_letters: int = Field(default=5, ge=1)
    influence_bands: Seq[int] = (1000, 10000, 100000)

    @field_validator("influence_bands")
    @classmethod
    def _sorted(cls, v):
        if list(v) != sorted(set(v)):
            raise ValueError("must be increasing")
        return v


class Scorecard(Strict):
    """Weights per criterion (names from :data:`qa.scorecard.CRITERIA`) and the auto-fail criteria."""

    weights: dict[str, float]
    auto_fail: Seq[str] = ()

    @model_validator(mode="after")
    def _known(self):
        from .scorecard import CRITERIA

        for name in list(self.weights) + list(self.auto_fail):
            if name not in CRITERIA:
                raise ValueError(f"unknown criterion {name!r}; known: {', '.join(sorted(CRITERIA))}")
        for name, w in self.weights.items():
            if w < 0:
                raise ValueError(f"weights.{name}: must not be negative")
        return self


class Rulebook(Strict):
    """A brand's QA policy."""

    name: str = "policy"
    languages: Seq[str] = Field(min_length=1)
    first_response_target_minutes: float = Field(gt=0)
    concessions: Seq[ConcessionRule] = ()
    departure: Departure = Departure()
    never_acceptable: dict[str, Seq[str]] = Field(default_factory=dict)
    precedent: PrecedentSettings = PrecedentSettings()
    consistency: ConsistencySettings = ConsistencySettings()
    scorecard: Scorecard


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    """The rulebook in ``path`` (default: ``qa/policies/default.yaml``); errors as one-line ConfigError."""
    from carebench_shared.config import load_model

    return load_model(Rulebook, path if path is not None else DEFAULT_POLICY)  # type: ignore[return-value]


def rulebook_json_schema() -> dict:
    """JSON Schema of rulebook files."""
    return Rulebook.model_json_schema()
