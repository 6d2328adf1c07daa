"""Every verdict the QA module writes, by name: the text checks' and the pipeline's own.

Text checks register themselves in :mod:`qa.checks` (one module each). Verdicts the pipeline computes from the
whole thread, the rulebook or the whole file are declared by the modules that compute them
(:mod:`qa.thread_checks`, :mod:`qa.policy_checks`, :mod:`qa.templates`). This module imports both and hands
out the declarations, so the scorecard, the report, the evaluator and the app never name a check.
"""

from __future__ import annotations

import importlib
import pkgutil

from .checks.base import CHECKS, SPECS, Check, CheckSpec

__all__ = ["specs", "text_checks", "flag_specs", "verdict_columns"]

_PIPELINE_MODULES = ("qa.thread_checks", "qa.policy_checks", "qa.templates")


def text_checks() -> dict[str, Check]:
    """The checks registered in :mod:`qa.checks` (its modules imported so that they register)."""
    pkg = importlib.import_module("qa.checks")
    for mod in pkgutil.iter_modules(getattr(pkg, "__path__", [])):
        if not mod.name.startswith("_"):
            importlib.import_module(f"qa.checks.{mod.name}")
    return dict(CHECKS)


def specs() -> dict[str, CheckSpec]:
    """Every declared verdict: text checks first (in registration order), then the pipeline's."""
    text_checks()
    for name in _PIPELINE_MODULES:
        importlib.import_module(name)
    text = {k: v for k, v in SPECS.items() if v.kind == "text"}
    return {**text, **{k: v for k, v in SPECS.items() if v.kind != "text"}}


def flag_specs() -> dict[str, CheckSpec]:
    """Verdicts whose True is what a reviewer looks for (not qualities)."""
    return {k: v for k, v in specs().items() if v.polarity == "flag"}


def verdict_columns() -> list[str]:
    """The scores columns holding a verdict (True, False or empty), in registry order."""
    return list(dict.fromkeys(s.column for s in specs().values()))
