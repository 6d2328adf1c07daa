"""The operation around social care: the phone line beside it, the migration of contacts between the two, and
the unit costs of a resolution."""

from __future__ import annotations

from pydantic import Field

from ..bounds import MAX_AMOUNT, MAX_FACTOR, MAX_MINUTES, MAX_RATE, MAX_WEIGHT
from .base import Strict

__all__ = ["Phone", "Migration", "Costs"]


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
