"""The care-operation simulator: scenarios in, KPIs and hourly results out. No file or CLI code here.

One engine (:mod:`sim.engine`) built from parts (:mod:`sim.assembly`); docs/architecture.md draws the layers.

The names below are loaded on first use, not with the package: ``import sim.bounds`` (or the scenario models)
must not pull in the engine, numpy and pandas, which would cost every ``carebench`` command a second of start-up.
"""

from __future__ import annotations

import importlib

# name -> the module that defines it
_EXPORTS = {
    "Engine": "engine",
    "Outcome": "engine",
    "ReplicationResult": "engine",
    "simulate_replication": "engine",
    "RunResult": "results",
    "mean_ci": "results",
    "run": "results",
    "Scenario": "scenario",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
