"""Dask preload for the local cluster's workers: they ignore Ctrl-C.

A terminal sends Ctrl-C to the whole process group; the driver handles it (closes the cluster in order and
says how to resume), so the workers must not die on it first with tracebacks of their own.
"""

from __future__ import annotations

import signal

__all__ = ["dask_setup"]


def dask_setup(worker) -> None:  # noqa: ARG001 (the hook's signature)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
