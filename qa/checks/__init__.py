"""Per-reply QA checks, each registered by name in :data:`CHECKS` on import.

Every check is a pure function of one :class:`ReplyContext` returning a :class:`Finding` with the words that
triggered it as evidence. Phrase patterns live in ``qa/phrases/<lang>.yaml``; see :mod:`qa.checks.phrases`.
"""

from qa.checks.base import CHECKS, Check, Evidence, Finding, ReplyContext, register
from qa.checks import (  # noqa: F401  (imported for their registration side effect)
    compensation,
    deflection,
    dm_request,
    language_mismatch,
    not_our_team,
    pii,
    tone,
)

__all__ = ["CHECKS", "Check", "Evidence", "Finding", "ReplyContext", "register", "run_all"]


def run_all(ctx: ReplyContext) -> dict[str, Finding]:
    """Run every registered check on one reply, by name."""
    return {name: check.run(ctx) for name, check in CHECKS.items()}
