"""What a customer whose patience runs out does, as small objects chosen by name.

Each behaviour gets the operation and the mention after the engine has taken the mention out of the
queue; later behaviours (repeat posts, public escalation, a phone call) plug in here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .engine import CareOperation
    from .mention import Mention

__all__ = ["ImpatienceBehaviour", "Withdraw", "IMPATIENCE", "make_impatience"]


class ImpatienceBehaviour(Protocol):
    def on_impatience(self, op: CareOperation, m: Mention) -> None: ...


class Withdraw:
    """The mention leaves the queue unanswered; nothing else follows."""

    def on_impatience(self, op: CareOperation, m: Mention) -> None:
        return None


IMPATIENCE: dict[str, type] = {"withdraw": Withdraw}


def make_impatience(name: str) -> ImpatienceBehaviour:
    return IMPATIENCE[name]()
