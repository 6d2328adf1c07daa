"""Experiments at scale: scenario batches on Dask, resumable, into a Parquet dataset with honest intervals.

An edge of carebench next to ``sim`` and ``qa``: it reads experiment files, runs
:func:`sim.engine.simulate_replication` on Dask workers, files the results and summarises them with
:mod:`sim.intervals`. Nothing in ``sim`` imports it.

The names below are imported on first use (PEP 562): a Dask scheduler that unpickles a reference to
:func:`batch.tasks.run_one` imports this package, and should not pay for pydantic, pyarrow and the simulator.
"""

from __future__ import annotations

import importlib

__all__ = ["Experiment", "Point", "expand_points", "load_experiment", "BatchError", "BatchStats", "dask_client",
           "run_batch", "ResultsStore"]

_WHERE = {"Experiment": "experiment", "Point": "experiment", "expand_points": "experiment",
          "load_experiment": "experiment", "BatchError": "runner", "BatchStats": "runner",
          "dask_client": "runner", "run_batch": "runner", "ResultsStore": "store"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
