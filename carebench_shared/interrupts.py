"""SIGTERM as an exception: raised like Ctrl-C (a ``KeyboardInterrupt``), so that temporary outputs are removed on
the way out, and told apart from Ctrl-C by its class (the line says "terminated", the exit code is 143). Here,
below every command group, so that a group with its own way to stop (``batch``: the finished runs are kept) can
tell the two apart too."""

from __future__ import annotations

__all__ = ["Terminated"]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C (``carebench.errors.on_sigterm``)."""
