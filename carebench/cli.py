"""The ``carebench`` command: argument parsing, progress bars and one-line errors (exit code 2).

Each command group registers itself from its own module (:func:`registrars`, in the order ``--help`` lists them):
the simulator's commands in :mod:`carebench.simulate_cli`, the workbench in :mod:`carebench.app_cli`, staffing in
:mod:`carebench.staffing_cli`, QA in :mod:`qa.cli`, batches in :mod:`batch.cli`. Registering imports no model
code: each command imports what it needs when it runs, so ``carebench qa ...`` does not pay for the simulator.
Model code never sees argparse, files or the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys

from carebench_shared.atomic import write_text_output
from carebench_shared.safe_text import printable

from .app_cli import app_command
from .errors import UsageError, interrupted, interruption_behind, on_sigterm, report_error

__all__ = ["main", "build_parser", "UsageError", "app_command", "write_text_output"]


class OneLineParser(argparse.ArgumentParser):
    """argparse with usage errors on one line (the usage itself is one ``--help`` away), exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {printable(message, 2000)} (see {self.prog} --help)\n")


def registrars() -> tuple:
    """Each command group's ``add_..._parser``, in the order ``--help`` lists them. Imported here, not with this
    module, so that they load inside :func:`main`'s ``try`` (a Ctrl-C meanwhile is a clean stop)."""
    from batch.cli import add_batch_parser
    from qa.cli import add_qa_parser

    from .app_cli import add_app_parser
    from .simulate_cli import add_compare_parser, add_schema_parser, add_simulate_parser
    from .staffing_cli import add_staffing_parsers

    return (add_simulate_parser, add_app_parser, add_compare_parser, add_qa_parser, add_staffing_parsers,
            add_batch_parser, add_schema_parser)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="carebench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for register in registrars():
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may set handlers (tests call main elsewhere)
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        args = build_parser().parse_args(argv)  # inside the try: Ctrl-C while modules load is a clean stop too
        return args.func(args)
    except KeyboardInterrupt as exc:
        return interrupted(exc)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except Exception as exc:
        from carebench_shared.atomic import OutputError
        from carebench_shared.config import ConfigError

        cause = interruption_behind(exc)
        if cause is not None:  # a library turned Ctrl-C during its import into another error
            return interrupted(cause)
        if isinstance(exc, (ConfigError, UsageError, OutputError)):
            report_error(exc)
        elif isinstance(exc, OSError):  # the disk or the system said no while writing: one line, no traceback
            report_error(f"{exc.filename}: {exc.strerror or exc}" if exc.filename else exc)
        elif isinstance(exc, MemoryError):  # a small file that unpacks to more than this machine holds
            report_error("out of memory: the input is larger than this machine can hold (a Parquet file is read "
                         "whole; split it, or give it as CSV, which is read in batches); no output was written")
        else:
            raise
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
