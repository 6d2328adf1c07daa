"""A bounded memo: a value computed on first sight of its key and remembered, so the hot loops of the checks
compute each word's stem or each text's lower case once. Bounded because keys such as order numbers never
repeat: when full it starts over, which changes what is remembered, never a value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Memo"]


class Memo(dict):  # type: ignore[type-arg]
    """``memo[key]`` is ``compute(key)``, remembered (a hit is a plain dict lookup, in C); at most ``limit``
    keys. Also a ``str.translate`` table when keyed by code points."""

    def __init__(self, compute: Callable[[Any], Any], limit: int) -> None:
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, key: Any) -> Any:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value

    def cache_clear(self) -> None:
        """Forget everything (as ``functools.lru_cache``'s): a benchmark's repeat starts cold."""
        self.clear()
