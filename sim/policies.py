"""Response policies as small objects chosen by name: how a reply resolves a problem, and what it concedes.

Each resolution gets the operation, the post being answered and the time, and returns the extra handling
minutes it costs; its side effects (a phone contact, a repeat post, a field case) go through the operation.
Compensation rules return ``(kind, amount)`` with kind ``None``, ``"within"`` or ``"beyond"`` policy.
"""

from __future__ import annotations

import math

__all__ = ["InThread", "MoveToDm", "DeflectToPhone", "EscalateToField", "RESOLUTIONS", "ByTheBook",
           "InfluencePressure", "COMPENSATION"]


class InThread:
    """Answered in the thread where it was asked."""

    name = "in_thread"

    def resolve(self, op, m, t: float) -> float:
        return 0.0


class MoveToDm:
    """Asked to continue in private messages (private data), then closed publicly: extra handling."""

    name = "dm"

    def resolve(self, op, m, t: float) -> float:
        op.count("dm_moves", t)
        return op.policy.dm_extra_minutes


class DeflectToPhone:
    """"Please call our hotline": a phone contact, and often a repeat post."""

    name = "phone"

    def resolve(self, op, m, t: float) -> float:
        op.count("deflections", t)
        op.count("phone_contacts", t)
        op.maybe_repeat_after_deflection(m, t)
        return 0.0


class EscalateToField:
    """Passed to a field or expert team, with a public acknowledgement of who will be in touch."""

    name = "escalate"

    def resolve(self, op, m, t: float) -> float:
        op.count("field_cases", t)
        return 0.0


RESOLUTIONS: dict[str, type] = {c.name: c for c in (InThread, MoveToDm, DeflectToPhone, EscalateToField)}


class ByTheBook:
    """Offers within policy only, at ``within_rate``."""

    def __init__(self, spec, minimum_followers: float) -> None:
        self.spec = spec

    def offer(self, u_within: float, u_beyond: float, followers: float, pressure: float, training: float,
              off_policy_factor: float):
        if u_within < self.spec.within_rate:
            return "within", self.spec.within_amount
        return None, 0.0


class InfluencePressure(ByTheBook):
    """Beyond-policy concessions with a chance rising with influence (per decade of followers above the minimum),
    queue pressure (waiting mentions per agent on duty) and lack of training; else within policy."""

    def __init__(self, spec, minimum_followers: float) -> None:
        super().__init__(spec, minimum_followers)
        self.minimum = minimum_followers

    def offer(self, u_within, u_beyond, followers, pressure, training, off_policy_factor):
        s = self.spec
        decades = math.log10(followers / self.minimum) if followers > self.minimum else 0.0
        p = (s.beyond_rate * (1 + s.influence_slope * decades) * (1 + s.pressure_slope * pressure)
             * (1 + (off_policy_factor - 1) * (1 - training)))
        if u_beyond < p:
            return "beyond", s.beyond_amount
        return super().offer(u_within, u_beyond, followers, pressure, training, off_policy_factor)


COMPENSATION: dict[str, type] = {"by_the_book": ByTheBook, "influence_pressure": InfluencePressure}
