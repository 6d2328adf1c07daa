"""Per-reply QA checks, each registered by name in :data:`CHECKS` on import, with its :class:`CheckSpec`.

Every check is a pure function of one :class:`ReplyContext` returning a :class:`Finding` with the words that
triggered it as evidence. Phrase patterns live in ``qa/phrases/<lang>.yaml``; see :mod:`qa.checks.phrases`.
Adding a check is adding a module here that calls :func:`register`; the scores column, the scorecard criterion
and the app's verdict list follow from its spec. The order below is the order of the columns.
"""

from qa.checks.base import CHECKS, SPECS, Check, CheckSpec, Evidence, Finding, ReplyContext, declare, register
from qa.checks import (  # noqa: F401  (imported for their registration side effect; column order)
    deflection,
    dm_request,
    pii,
    compensation,
    not_our_team,
    language_mismatch,
    tone,
)

__all__ = ["CHECKS", "SPECS", "Check", "CheckSpec", "Evidence", "Finding", "ReplyContext", "register", "declare",
           "run_all"]


def run_all(ctx: ReplyContext) -> dict[str, Finding]:
    """Run every registered check on one reply, by name."""
    return {name: check.run(ctx) for name, check in CHECKS.items()}
