"""The shifts a roster may use (``shifts.yaml``): strict, frozen models, loaded with ``sim.loader.load_model`` so
every error is one ``file:line: field: problem`` line.

A shift pattern has one or more lengths, start times on a grid, the weekdays it may run, an optional break
placed on a grid inside a window after the start, bounds on how many agents work it each day, and whether it
is part time. Times are ``H:MM`` or ``HH:MM`` strings (YAML's base-60 numbers are off in the loader).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.scenario import WEEKDAYS

__all__ = ["ShiftsFile", "ShiftPattern", "Starts", "Break", "Window", "minutes"]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_TIME = re.compile(r"^(\d{1,2}):([0-5]\d)$")


def minutes(text: str) -> int:
    """Minutes of ``H:MM`` (validated by the models before use)."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def _check_time(v: str, most: int = 24 * 60) -> str:
    if not isinstance(v, str) or not _TIME.match(v) or minutes(v) > most:
        raise ValueError(f"{v!r} is not a time H:MM between 0:00 and {most // 60}:{most % 60:02d}")
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Window(_Strict):
    """From ``earliest`` to ``latest`` (both included)."""

    earliest: str
    latest: str

    @field_validator("earliest", "latest")
    @classmethod
    def _times(cls, v: str) -> str:
        return _check_time(v)

    @model_validator(mode="after")
    def _order(self) -> Window:
        if minutes(self.latest) < minutes(self.earliest):
            raise ValueError(f"latest {self.latest} is before earliest {self.earliest}")
        return self


class Starts(Window):
    """Start times from ``earliest`` to ``latest`` every ``every`` minutes (times of day; default every interval
    of the requirement)."""

    every: int | None = Field(default=None, ge=1, le=1440)


class Break(_Strict):
    """An off-duty break of ``length``, starting between ``after.earliest`` and ``after.latest`` from the shift's
    start, on a grid of ``every`` minutes; unpaid unless ``paid``."""

    length: str
    after: Window
    every: int | None = Field(default=None, ge=1, le=1440, description="Default: the requirement's interval.")
    paid: bool = False

    @field_validator("length")
    @classmethod
    def _length(cls, v: str) -> str:
        return _check_time(v)


class ShiftPattern(_Strict):
    """One kind of shift the roster may use."""

    name: str = Field(min_length=1)
    lengths: list[str] = Field(min_length=1, description="Lengths H:MM (at most 24:00), break included.")
    starts: Starts
    weekdays: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS))
    breaks: Break | None = None
    min_agents: int = Field(default=0, ge=0, le=100_000, description="Each day it runs, over its start times.")
    max_agents: int | None = Field(default=None, ge=0, le=100_000)
    part_time: bool = False
    teams: list[str] | None = Field(default=None, description="Teams that may work it (default: all).")

    @field_validator("lengths")
    @classmethod
    def _lengths(cls, v: list[str]) -> list[str]:
        for text in v:
            _check_time(text, most=24 * 60 - 1)
            if minutes(text) == 0:
                raise ValueError("a shift length must be longer than 0:00")
        if len(set(v)) != len(v):
            raise ValueError("a length is listed twice")
        return v

    @field_validator("weekdays")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("list at least one weekday")
        if len(set(v)) != len(v):
            raise ValueError("a weekday is listed twice")
        return v

    @model_validator(mode="after")
    def _fits(self) -> ShiftPattern:
        if self.max_agents is not None and self.max_agents < self.min_agents:
            raise ValueError(f"max_agents {self.max_agents} is below min_agents {self.min_agents}")
        if self.breaks is not None:
            b = self.breaks
            if minutes(b.after.earliest) == 0 or minutes(b.length) == 0:
                raise ValueError("a break starts after the shift does and lasts longer than 0:00")
            for text in self.lengths:
                if minutes(b.after.latest) + minutes(b.length) >= minutes(text):
                    raise ValueError(f"the break must end before the {text} shift does (latest {b.after.latest} "
                                     f"+ {b.length})")
        return self

    def start_minutes(self, interval: int) -> list[int]:
        """Start times (minutes of the day) of the grid; ``24:00`` is left out (it is the next day's 00:00)."""
        a, b = minutes(self.starts.earliest), minutes(self.starts.latest)
        return [m for m in range(a, b + 1, self.starts.every or interval) if m < 1440]

    def break_offsets(self, interval: int) -> list[int | None]:
        """Minutes after the start at which the break may begin (``[None]`` without a break)."""
        if self.breaks is None:
            return [None]
        a, b = minutes(self.breaks.after.earliest), minutes(self.breaks.after.latest)
        return list(range(a, b + 1, self.breaks.every or interval))


class ShiftsFile(_Strict):
    """``shifts.yaml``: the patterns, and how much of the paid time part-time shifts may take."""

    shifts: list[ShiftPattern] = Field(min_length=1)
    part_time_max_share: float = Field(default=1.0, ge=0, le=1, description="Of paid hours, at most.")

    @field_validator("shifts")
    @classmethod
    def _names(cls, v: list[ShiftPattern]) -> list[ShiftPattern]:
        names = [s.name for s in v]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"shift name {dup[0]!r} is used twice")
        return v

    def grid_problems(self, interval: int) -> list[str]:
        """Where the patterns do not sit on the requirement's grid of ``interval`` minutes (field, problem)."""
        out = []
        for i, s in enumerate(self.shifts):
            where = f"shifts[{i}]"
            checks = [(f"{where}.starts.every", s.starts.every or interval),
                      (f"{where}.starts.earliest", minutes(s.starts.earliest))]
            checks += [(f"{where}.lengths", minutes(t)) for t in s.lengths]
            if s.breaks is not None:
                checks += [(f"{where}.breaks.every", s.breaks.every or interval),
                           (f"{where}.breaks.length", minutes(s.breaks.length)),
                           (f"{where}.breaks.after.earliest", minutes(s.breaks.after.earliest))]
            for field, value in checks:
                if value % interval:
                    out.append((field, f"{value} minutes is not a multiple of the requirement's {interval}-minute "
                                       "intervals"))
        return out
