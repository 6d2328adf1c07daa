"""Named random streams: one independent generator per stochastic input and replication.

Each stream is seeded from (seed, replication, name) alone, so adding an input never shifts the draws
of another, and two scenarios run with the same seed share their arrivals, handle times and patience
(common random numbers) wherever they share the inputs.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["Streams"]


class Streams:
    """Generators for one replication, created on first use and keyed by input name."""

    def __init__(self, seed: int, rep: int) -> None:
        self.seed = seed
        self.rep = rep
        self._made: dict[str, np.random.Generator] = {}

    def rng(self, name: str) -> np.random.Generator:
        """The generator of input ``name`` (for example ``"arrivals"`` or ``"handle:chat"``)."""
        gen = self._made.get(name)
        if gen is None:
            key = zlib.crc32(name.encode("utf-8"))
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.rep, key))
            gen = self._made[name] = np.random.Generator(np.random.PCG64(seq))
        return gen
