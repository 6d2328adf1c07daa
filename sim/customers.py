"""What a customer whose patience runs out does, as small objects chosen by name.

Each behaviour gets the operation and the mention after the engine has handled the abandonment (or found
that a skipped or unseen post went unanswered). Repeat posts, public escalations and switches to the phone
line call back into the full care model (:class:`sim.care.FullOperation`); the plain queueing core only
knows ``withdraw``. A weighted mix of behaviours draws one per customer from its own stream.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .distributions import block_stream

if TYPE_CHECKING:
    from .engine import CareOperation
    from .mention import Mention

__all__ = ["ImpatienceBehaviour", "Withdraw", "Repeat", "Escalate", "Phone", "Mix", "IMPATIENCE", "make_impatience"]


class ImpatienceBehaviour(Protocol):
    def on_impatience(self, op: CareOperation, m: Mention) -> None: ...


class Withdraw:
    """The mention leaves the queue unanswered; nothing else follows."""

    def on_impatience(self, op: CareOperation, m: Mention) -> None:
        return None


class Repeat:
    """The customer posts again about the same problem (up to ``customers.max_repeats`` times)."""

    def on_impatience(self, op, m) -> None:
        op.repost(m, escalate=False)


class Escalate:
    """A public escalation: a louder repeat post that attracts posts by others (raising later volume)."""

    def on_impatience(self, op, m) -> None:
        op.repost(m, escalate=True)


class Phone:
    """The customer gives up on social and calls the phone line (a phone contact)."""

    def on_impatience(self, op, m) -> None:
        op.phone_switch(m)


IMPATIENCE: dict[str, type] = {"withdraw": Withdraw, "repeat": Repeat, "escalate": Escalate, "phone": Phone}


class Mix:
    """Draws one behaviour per impatient customer with the given weights (names sorted: deterministic)."""

    def __init__(self, weights: dict[str, float], rng: np.random.Generator) -> None:
        names = sorted(weights)
        total = sum(weights[n] for n in names)
        self._cum = list(itertools.accumulate(weights[n] / total for n in names))[:-1]
        self._behaviours = [IMPATIENCE[n]() for n in names]
        self._u = block_stream(lambda n: rng.random(n))

    def on_impatience(self, op, m) -> None:
        u = next(self._u)
        i = 0
        for c in self._cum:
            if u < c:
                break
            i += 1
        self._behaviours[i].on_impatience(op, m)


def make_impatience(spec: str | dict[str, float], rng: np.random.Generator | None = None) -> ImpatienceBehaviour:
    """The behaviour registered under ``spec``, or a :class:`Mix` of weighted names (needs ``rng``)."""
    if isinstance(spec, str):
        return IMPATIENCE[spec]()
    if rng is None:
        raise ValueError("a mix of impatience behaviours needs a random stream")
    return Mix(spec, rng)
