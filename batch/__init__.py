"""Experiments at scale: scenario batches on Dask, resumable, into a Parquet dataset with honest intervals.

An edge of carebench next to ``sim`` and ``qa``: it reads experiment files, runs
:func:`sim.engine.simulate_replication` on Dask workers, files the results and summarises them with
:mod:`sim.intervals`. Nothing in ``sim`` imports it.
"""

from .experiment import Experiment, Point, expand_points, load_experiment
from .runner import BatchError, BatchStats, dask_client, run_batch
from .store import ResultsStore

__all__ = ["Experiment", "Point", "expand_points", "load_experiment", "BatchError", "BatchStats", "dask_client",
           "run_batch", "ResultsStore"]
