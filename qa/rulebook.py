"""The policy rulebook: a YAML file a QA lead can read, as frozen pydantic models.

The rulebook says which concessions are allowed for which case facts, which languages the brand serves, the
first-response target, phrases never acceptable, which channels are private, how precedent risk, thread
checks and consistency are measured, and the scorecard: a pass mark, and per criterion a weight (the points a
failing reply loses), grades for graded criteria and whether a failure is critical (fails the reply on its
own). Unknown keys, wrong types, numbers that are not finite or outside their documented range, empty phrases
and contradictory rules are refused; :func:`load_rulebook` reports each as one line ``file:line: where:
problem`` (via :mod:`sim.loader`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic import Strict as StrictType
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = [
    "Rulebook",
    "ConcessionRule",
    "Departure",
    "PrecedentSettings",
    "ConsistencySettings",
    "ThreadSettings",
    "CriterionRule",
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
MAX_DAYS = 36_500  # a hundred years
MAX_MONEY = 1e9
MAX_FOLLOWERS = 10_000_000_000
MAX_COUNT = 1_000_000


def _phrase(v: str) -> str:
    if not v.strip():
        raise ValueError("empty phrase: it would match every reply")
    return v


def _name(v: str) -> str:
    if not v.strip():
        raise ValueError("must not be empty")
    return v


Phrase = Annotated[str, AfterValidator(_phrase)]
Name = Annotated[str, AfterValidator(_name)]


class Strict(BaseModel):
    """Base of every rulebook model: frozen, unknown keys refused, no coercion, no infinite or NaN number."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class ConcessionRule(Strict):
    """One permission: these kinds are allowed when every stated condition holds."""

    kinds: Seq[ConcessionKind] = Field(min_length=1)
    min_days_since_purchase: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    max_days_since_purchase: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    max_percent: float | None = Field(default=None, ge=0, le=100)
    max_amount: float | None = Field(default=None, ge=0, le=MAX_MONEY)
    categories: Seq[Name] | None = Field(default=None, min_length=1)
    channels: Seq[Name] | None = Field(default=None, min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _window(self):
        lo, hi = self.min_days_since_purchase, self.max_days_since_purchase
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"min_days_since_purchase ({lo}) is after max_days_since_purchase ({hi}): "
                             "no purchase can meet this rule")
        return self


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
    full_reach_followers: int = Field(default=1_000_000, gt=1, le=MAX_FOLLOWERS)
    unknown_followers: int = Field(default=1000, ge=0, le=MAX_FOLLOWERS)
    vague_amount_factor: float = Field(default=0.8, ge=0, le=1)
    high: float = Field(default=0.5, ge=0, le=1)
    claimability: dict[ConcessionKind, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)


class ConsistencySettings(Strict):
    """Thresholds of the consistency and template-overuse analysis; see :mod:`qa.consistency`."""

    min_group_size: int = Field(default=8, ge=2, le=MAX_COUNT)
    min_level_size: int = Field(default=3, ge=1, le=MAX_COUNT)
    min_effect: float = Field(default=0.2, ge=0, le=1)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    suggestive: bool = Field(default=True, description="also list findings significant within their own brand "
                                                        "and issue only, labelled 'suggestive'")
    similarity: float = Field(default=0.5, gt=0, le=1)
    template_similarity: float = Field(default=0.8, gt=0, le=1)
    template_min_issues: int = Field(default=3, ge=2, le=MAX_COUNT)
    template_max_echo: float = Field(default=0.5, ge=0, le=1)
    echo_min_letters: int = Field(default=5, ge=1, le=50)
    influence_bands: Seq[Annotated[int, Field(ge=1, le=MAX_FOLLOWERS)]] = Field(default=(1000, 10000, 100000),
                                                                                 min_length=1)

    @field_validator("influence_bands")
    @classmethod
    def _sorted(cls, v):
        if list(v) != sorted(set(v)):
            raise ValueError("must be increasing")
        return v


class ThreadSettings(Strict):
    """Thread checks: when two posts of one customer are the same complaint; see :mod:`qa.thread_checks`."""

    repeat_similarity: float = Field(default=0.8, gt=0, le=1, description="Jaccard similarity of the words "
                                     "of two posts by one customer that makes the later one a repeat")
    repeat_min_words: int = Field(default=3, ge=1, le=100, description="posts with fewer words are not "
                                  "compared (too short to call the same)")
    repeat_containment: float = Field(default=0.9, gt=0, le=1, description="share of the shorter post's "
                                      "words found in the longer one that also makes a repeat (the same "
                                      "complaint again with a few words before it: 'I wrote this yesterday: ...')")
    repeat_containment_min_words: int = Field(default=10, ge=1, le=1000, description="the shorter post needs at "
                                              "least this many distinct words for containment to count")


def _grades(v: dict[float, float]) -> dict[float, float]:
    for at, share in v.items():
        if not 0 <= at <= 1e7:
            raise ValueError(f"grade at {at:g}: must be between 0 and 10,000,000")
        if not 0 <= share <= 1:
            raise ValueError(f"grade at {at:g}: share {share:g} must be between 0 and 1")
    ordered = sorted(v.items())
    for (lo, lo_share), (hi, hi_share) in zip(ordered, ordered[1:]):
        if hi_share < lo_share:  # a reply further past the mark would lose less: surely a typing slip
            raise ValueError(f"grade at {hi:g}: share {hi_share:g} is less than {lo_share:g} at {lo:g}; shares "
                             "must not decrease as the value grows")
    return dict(ordered)


def _excuse(v: str) -> str:
    from .excuses import excuse_names

    if v not in excuse_names():
        raise ValueError(f"unknown excuse {v!r}; known: {', '.join(excuse_names())}")
    return v


class CriterionRule(Strict):
    """One criterion of the scorecard: the points a failing reply loses, its grades, whether it is critical."""

    weight: float = Field(default=0.0, ge=0, le=100, description="points (of 100) a failing reply loses")
    critical: bool = Field(default=False, description="a failure fails the reply on its own and scores it 0")
    grades: Annotated[dict[float, float], AfterValidator(_grades)] | None = Field(
        default=None, min_length=1, description="graded criteria only: from this value up, this share (0-1) of "
                                                "the weight is lost")
    excused_when: Seq[Annotated[str, AfterValidator(_excuse)]] = Field(
        default=(), description="facts of the thread (qa.excuses) under which a reply does not fail the criterion "
                                "although its check flags it (policies/excuses.yaml)")


def _criterion(v: str) -> str:
    from .criteria import criterion_names

    known = criterion_names()
    if v not in known:
        raise ValueError(f"unknown criterion {v!r}; known: {', '.join(known)}")
    return v


CriterionName = Annotated[str, AfterValidator(_criterion)]


class Scorecard(Strict):
    """The rubric: ``criteria`` by name (see :func:`qa.criteria.criteria`) and the pass mark.

    The short form of earlier rulebooks, ``weights`` (points per criterion) and ``auto_fail`` (critical
    criteria), is still read.
    """

    pass_mark: float = Field(default=80.0, ge=0, le=100)
    criteria: dict[CriterionName, CriterionRule] = Field(default_factory=dict)
    weights: dict[CriterionName, Annotated[float, Field(ge=0, le=100)]] | None = None
    auto_fail: Seq[CriterionName] | None = None

    @field_validator("criteria")
    @classmethod
    def _graded(cls, v: dict[str, CriterionRule]) -> dict[str, CriterionRule]:
        from .criteria import criteria

        known = criteria()
        bad = [InitErrorDetails(type=PydanticCustomError("value_error", "{name} is a yes/no criterion and has no "
                                                         "grades", {"name": n}), loc=(n, "grades"), input=r.grades)
               for n, r in v.items() if r.grades is not None and not known[n].graded]
        if bad:  # raised at the criterion's own key, so the message names its line
            raise ValidationError.from_exception_data("Scorecard", bad)
        return v

    @model_validator(mode="after")
    def _one_form(self):
        if self.criteria and (self.weights is not None or self.auto_fail is not None):
            raise ValueError("give either criteria or the short form weights/auto_fail, not both")
        if self.weights is not None or self.auto_fail is not None:
            merged = {n: CriterionRule(weight=w) for n, w in (self.weights or {}).items()}
            for n in self.auto_fail or ():
                merged[n] = CriterionRule(weight=merged[n].weight if n in merged else 0.0, critical=True)
            object.__setattr__(self, "criteria", merged)
        return self


class Rulebook(Strict):
    """A brand's QA policy."""

    name: str = "policy"
    languages: Seq[Name] = Field(min_length=1)
    first_response_target_minutes: float = Field(gt=0, le=43_200, description="at most 30 days")
    private_channels: Seq[Name] = Field(
        default=("dm", "direct_message", "private_message", "messenger", "whatsapp", "email", "chat", "sms"),
        description="replies on these channels are private whatever their `public` column says")
    concessions: Seq[ConcessionRule] = ()
    departure: Departure = Departure()
    never_acceptable: dict[Name, Seq[Phrase]] = Field(default_factory=dict)
    # longer wordings that hold a never-acceptable phrase and are innocent ("we'll deal with it today": the
    # brand taking it on, not "deal with it" said to the customer); a phrase found only inside one is no fault
    never_acceptable_unless: dict[Name, Seq[Phrase]] = Field(default_factory=dict)
    precedent: PrecedentSettings = PrecedentSettings()
    threads: ThreadSettings = ThreadSettings()
    consistency: ConsistencySettings = ConsistencySettings()
    scorecard: Scorecard


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    """The rulebook in ``path`` (default: ``qa/policies/default.yaml``); errors as one-line ConfigError."""
    from carebench_shared.config import ConfigError, load_model

    try:
        return load_model(Rulebook, path if path is not None else DEFAULT_POLICY)  # type: ignore[return-value]
    except ConfigError as exc:  # a bad dictionary key is reported at the key: drop pydantic's "[key]" part
        raise ConfigError(str(exc).replace(".[key]:", ":")) from None


def rulebook_json_schema() -> dict:
    """JSON Schema of rulebook files."""
    return Rulebook.model_json_schema()
