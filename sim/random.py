"""Named random streams: one independent generator per stochastic input and replication.

Each stream is seeded from (seed, replication, name) alone, so adding an input never shifts the draws
of another, and two scenarios run with the same seed share their arrivals, handle times and patience
(common random numbers) wherever they share the inputs.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, repeat

import numpy as np

from .distributions import block_stream

__all__ = ["Streams", "uniforms", "picker"]


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


def uniforms(rng: np.random.Generator) -> Iterator[float]:
    """Endless uniform [0, 1) draws from ``rng``, drawn in blocks."""
    return block_stream(lambda n: rng.random(n))


def picker(shares: Sequence[float], streams: Streams, name: str) -> Callable[[], int]:
    """A function drawing the index of one of several options with the given shares, from stream ``name``.

    With one option it always gives 0 and draws nothing (the stream is never created). The index is the first
    cumulative share above a uniform draw, the same as walking the cumulative shares.
    """
    if len(shares) <= 1:
        return repeat(0).__next__
    total = sum(shares)
    cum = list(accumulate(s / total for s in shares[:-1]))
    return map(bisect_right, repeat(cum), uniforms(streams.rng(name))).__next__  # no generator frame per draw
