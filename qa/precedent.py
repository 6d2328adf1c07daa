"""Precedent risk: how likely a reply teaches other customers to ask for the same in public.

``risk = departure x visibility x claimability``, each part 0-1 and shown beside the score:

* *departure*: how far the concession is from policy (:mod:`qa.policy_checks`); 0 when within policy, so a
  reply that follows the rules sets no precedent however visible.
* *visibility*: a DM is seen by one person; a public reply by the customer's followers and by anyone who
  searches later. Grows with log followers from a floor (searchable) to 1 at ``full_reach_followers``.
* *claimability*: how easily others can ask for the same: a "50% off" is easier to cite than "something
  for your trouble"; per kind from the rulebook, lowered when the reply states no amount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .concessions import Concession

if TYPE_CHECKING:
    from .rulebook import PrecedentSettings

__all__ = ["PrecedentParts", "precedent_risk", "visibility"]

_DEFAULT_CLAIMABILITY = 0.5


@dataclass(frozen=True)
class PrecedentParts:
    departure: float
    visibility: float
    claimability: float

    @property
    def risk(self) -> float:
        return round(self.departure * self.visibility * self.claimability, 6)


# (settings, followers, visibility) of the last public reply: a thread's replies share them. One tuple, read
# and replaced whole, so runs in several threads never mix two answers.
_last_visibility: tuple = (None, None, 0.0)


def visibility(public: bool, followers: float | None, s: PrecedentSettings) -> float:
    """0-1 audience of a reply: private ones are seen by the customer only."""
    if not public:
        return s.private_visibility
    f = s.unknown_followers if followers is None or (isinstance(followers, float) and math.isnan(followers)) \
        else max(0.0, float(followers))
    global _last_visibility
    last_s, last_f, last_v = _last_visibility
    if last_s is s and last_f == f:  # settings are frozen: the same object, the same answer
        return last_v
    reach = min(1.0, math.log10(1.0 + f) / math.log10(1.0 + s.full_reach_followers))
    v = round(s.public_floor + (1.0 - s.public_floor) * reach, 6)
    _last_visibility = (s, f, v)
    return v


def precedent_risk(departure: float, concessions: list[Concession], public: bool, followers: float | None,
                   s: PrecedentSettings) -> PrecedentParts:
    """The parts of precedent risk for one reply (all zero-risk when nothing is conceded)."""
    vis = visibility(public, followers, s)
    if not concessions:
        return PrecedentParts(departure, vis, 0.0)
    claim = max(s.claimability.get(c.kind, _DEFAULT_CLAIMABILITY) for c in concessions)
    if not any(c.stated for c in concessions):
        claim *= s.vague_amount_factor
    return PrecedentParts(round(departure, 6), vis, round(claim, 6))
