"""One case of the hostile corpus (cases.py, cases_round3.py to 5): a command line, what the run must do, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Case"]


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    argv: tuple[str, ...]
    expect: int  # exit code: 0 (valid output) or 2 (one-line refusal)
    says: str = ""  # a fragment the refusal line must contain
    names: str | None = None  # what the refusal line must name (default: the first corpus file of argv)
    outputs: tuple[str, ...] = ("out",)  # what the run may create (relative to the case folder)
    setup: tuple[str, ...] = ()  # steps run before (runner.SETUPS)
    check: dict = field(default_factory=dict)  # more checks of a successful run (runner.CHECKS)
    owner: str | None = None  # another helper's part of issue #11: expected to fail until that branch is merged
    timeout: float = 60.0
