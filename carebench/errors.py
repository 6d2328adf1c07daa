"""How ``carebench`` ends when something goes wrong: one line (every problem of a file on it) and exit
code 2, or one line and the shell's code for a signal (Ctrl-C, SIGTERM). Standard library only, so it costs
nothing at start-up."""

from __future__ import annotations

import sys

from carebench_shared.interrupts import Terminated
from carebench_shared.safe_text import printable

__all__ = ["UsageError", "Terminated", "on_sigterm", "report_error", "interrupted", "interruption_behind"]


class UsageError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


def on_sigterm(signum, frame) -> None:
    raise Terminated


def report_error(exc: object) -> None:
    """Print an expected error as one line prefixed ``carebench:``, user text made printable.

    A file with several problems has one per line in the message; they are joined on the one line, the first
    in front ("...: unknown key; and 2 more: ...; ..."), so that a script reading stderr sees one line."""
    lines = [line for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
    text = lines[0] if len(lines) == 1 else f"{lines[0]}; and {len(lines) - 1} more: " + "; ".join(lines[1:])
    print(f"carebench: {printable(text, 4000)}", file=sys.stderr)


def interrupted(exc: KeyboardInterrupt) -> int:
    """Ctrl-C or SIGTERM: one line; exit 130 or 143, what a shell reports for a process the signal stopped."""
    what = "terminated" if isinstance(exc, Terminated) else "interrupted"
    print(f"carebench: {what}; no partial output was left (earlier results are kept as they were)",
          file=sys.stderr)
    return 143 if isinstance(exc, Terminated) else 130


def interruption_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or SIGTERM) a library turned into another error while it was being imported, if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None
