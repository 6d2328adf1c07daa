"""The experiment file: which scenarios, which points (a grid or a list of overrides), how many replications.

An experiment is YAML validated by frozen pydantic models (unknown keys refused, no string-to-number coercion),
read through :func:`sim.loader.load_model`, so every problem is one line naming the file, the line and the
field. :func:`expand_points` turns it into :class:`Point` objects: one per scenario and combination of
``--set``-style overrides, each with the validated scenario it runs and a content-addressed id (the same
scenario and seed always get the same id, so a rerun finds its finished runs).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, field_validator, model_validator

from sim.bounds import MAX_SEED
from sim.intervals import KPI_KINDS
from sim.loader import ConfigError, load_model, load_scenario, load_yaml
from sim.results import KPI_LABELS
from sim.scenario import Scenario

__all__ = ["Experiment", "Stopping", "PlotSpec", "Point", "load_experiment", "expand_points", "SAFE_NAME",
           "MAX_RUNS", "experiment_json_schema"]

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # used as folder names in the results dataset
MAX_RUNS = 10_000_000  # a bound on points x replications: beyond it a typo is likelier than an experiment
MAX_REPLICATIONS = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _known_kpi(name: str) -> str:
    if name not in KPI_KINDS:
        raise ValueError(f"unknown KPI {name!r} (KPIs are the columns of summary.csv, e.g. service_level)")
    return name


class Stopping(_Strict):
    """Replicate until each listed KPI's interval half-width is at most its value, or the cap is reached."""

    half_width: dict[str, FiniteFloat] = Field(min_length=1, description="KPI column -> largest half-width "
                                               "accepted, in the KPI's units (0.01 = one point of a proportion)")
    max_replications: int = Field(ge=2, le=MAX_REPLICATIONS, description="cap on replications per point")
    step: int | None = Field(default=None, ge=1, le=MAX_REPLICATIONS,
                             description="replications added per round (default: 'replications')")

    @field_validator("half_width")
    @classmethod
    def _half_widths(cls, v: dict[str, float]) -> dict[str, float]:
        for kpi, width in v.items():
            _known_kpi(kpi)
            if width <= 0:
                raise ValueError(f"{kpi}: the half-width must be above 0")
        return v


class PlotSpec(_Strict):
    """One plot: ``kpi`` against the swept parameter ``x``, one line per value of ``lines``."""

    kpi: str
    x: str
    lines: str | None = None

    @field_validator("kpi")
    @classmethod
    def _kpi(cls, v: str) -> str:
        return _known_kpi(v)


class Experiment(_Strict):
    """A batch of scenario runs (see README, "Batches")."""

    name: str = Field(pattern=SAFE_NAME.pattern, description="names the default output folder")
    scenarios: list[str] = Field(min_length=1, description="scenario files, relative to this file")
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED, description="one seed for every point (common random numbers "
                             "across scenarios too); absent: each scenario's own seed")
    set: dict[str, Any] = Field(default_factory=dict, description="overrides applied to every point")
    grid: dict[str, list[Any]] | None = Field(default=None, description="key -> values; every combination")
    points: list[dict[str, Any]] | None = Field(default=None, min_length=1,
                                                description="an explicit list of override sets")
    replications: int = Field(default=10, ge=2, le=MAX_REPLICATIONS, description="per point (initial, with "
                              "'stopping')")
    kpis: list[str] = Field(default_factory=lambda: list(KPI_LABELS), min_length=1)
    level: FiniteFloat = Field(default=0.95, gt=0.5, lt=1.0, description="confidence level of the intervals")
    stopping: Stopping | None = None
    baseline: dict[str, Any] | None = Field(default=None, description="compare every point with the one that "
                                            "has these values (others matched); absent: neighbours along each "
                                            "swept key")
    plots: list[PlotSpec] | None = Field(default=None, description="absent: each KPI against the first "
                                         "numeric swept key")

    @field_validator("kpis")
    @classmethod
    def _kpis(cls, v: list[str]) -> list[str]:
        for kpi in v:
            _known_kpi(kpi)
        if len(set(v)) != len(v):
            raise ValueError("a KPI is listed twice")
        return v

    @field_validator("grid")
    @classmethod
    def _grid(cls, v: dict[str, list[Any]] | None) -> dict[str, list[Any]] | None:
        for key, values in (v or {}).items():
            if not values:
                raise ValueError(f"{key}: list at least one value")
            if len({json.dumps(x, sort_keys=True) for x in values}) != len(values):
                raise ValueError(f"{key}: a value is listed twice")
        return v

    @model_validator(mode="after")
    def _cross(self) -> Experiment:
        for section in ("set", "grid", "points", "baseline"):
            bad = _non_finite(getattr(self, section))
            if bad is not None:
                raise ValueError(f"{section}: {bad} is not a finite number")
        if self.grid is not None and self.points is not None:
            raise ValueError("give either 'grid' or 'points', not both")
        swept = set(self.grid or {}) | set.intersection(*(set(p) for p in self.points or [{}]))
        dead = next((k for k in self.set or {} if k in swept), None)
        if dead is not None:  # every point overrides it: the value in 'set' is never run
            raise ValueError(f"set: {dead!r} is also given by '{'grid' if self.grid else 'points'}', which overrides "
                             "it at every point; give it in one place")
        if self.stopping is not None and self.stopping.max_replications < self.replications:
            raise ValueError("stopping.max_replications is below 'replications'")
        keys = set(self.swept_keys) | {"scenario"}
        for key in self.baseline or {}:
            if key not in keys:
                raise ValueError(f"baseline: {key!r} is not a key of 'grid' or 'points' (nor 'scenario')")
        for plot in self.plots or []:
            for axis in (plot.x, plot.lines):
                if axis is not None and axis not in keys:
                    raise ValueError(f"plots: {axis!r} is not a key of 'grid' or 'points' (nor 'scenario')")
        n_points = len(self.scenarios) * _count_points(self.grid, self.points)
        most = self.stopping.max_replications if self.stopping else self.replications
        if n_points * most > MAX_RUNS:
            raise ValueError(f"{n_points} points x {most} replications is over {MAX_RUNS:,} runs")
        return self

    @property
    def swept_keys(self) -> list[str]:
        """Override keys that vary between points, in file order."""
        if self.grid is not None:
            return list(self.grid)
        keys: dict[str, None] = {}
        for point in self.points or []:
            keys.update(dict.fromkeys(point))
        return list(keys)


def _non_finite(value: Any) -> float | None:
    """The first infinite or NaN number inside an override value (YAML's .inf and .nan), if any."""
    if isinstance(value, float) and not math.isfinite(value):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((bad for v in items if (bad := _non_finite(v)) is not None), None)


def _count_points(grid: dict | None, points: list | None) -> int:
    if grid is not None:
        n = 1
        for values in grid.values():
            n *= len(values)
        return n
    return len(points) if points is not None else 1


def experiment_json_schema() -> dict:
    """The JSON Schema of experiment files, generated from the models."""
    return Experiment.model_json_schema()


def load_experiment(path: str | Path) -> Experiment:
    """A validated experiment from a YAML file; problems as one-line :class:`ConfigError`."""
    return load_model(Experiment, path)  # type: ignore[return-value]


@dataclass(frozen=True)
class Point:
    """One scenario with one set of overrides: what a run needs, and the id its results are filed under."""

    scenario_name: str
    point_id: str
    params: dict[str, Any]  # the swept overrides of this point (not the experiment-wide 'set')
    scenario: Scenario
    seed: int

    @property
    def key(self) -> tuple[str, str]:
        return self.scenario_name, self.point_id


def _param_sets(exp: Experiment) -> list[dict[str, Any]]:
    if exp.grid is not None:
        keys = list(exp.grid)
        return [dict(zip(keys, combo)) for combo in itertools.product(*exp.grid.values())]
    return [dict(p) for p in exp.points] if exp.points is not None else [{}]


def _override(key: str, value: Any) -> str:
    return f"{key}={json.dumps(value)}"  # JSON is YAML: apply_overrides reads the value back exactly


def point_id(scenario: Scenario, seed: int) -> str:
    """A short digest of the scenario as run (its 'replications' aside) and the seed."""
    text = scenario.model_dump_json(exclude={"replications"}) + f"|seed={seed}"
    return "p" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def expand_points(exp: Experiment, path: str | Path) -> list[Point]:
    """Every (scenario, override set) of the experiment, validated; errors name the experiment file."""
    path = Path(path)
    _, node = load_yaml(path)
    points: list[Point] = []
    seen: dict[str, str] = {}
    for i, rel in enumerate(exp.scenarios):
        scenario_path = (path.parent / rel) if not Path(rel).is_absolute() else Path(rel)
        names_seen = {p.scenario_name for p in points}
        for j, params in enumerate(_param_sets(exp)):
            overrides = [_override(k, v) for k, v in {**exp.set, **params}.items()]
            try:
                scenario = load_scenario(scenario_path, overrides)
            except ConfigError as exc:
                raise ConfigError(f"{_where(exp, path, node, i, j, str(exc))}: {exc}") from None
            where = f"{path}:{_line(node, 'scenarios', i)}: scenarios[{i}]"
            if j == 0 and not SAFE_NAME.match(scenario.name):
                raise ConfigError(f"{where}: scenario name {scenario.name!r} names a folder of results: "
                                  "use letters, digits, '.', '_' and '-'")
            if j == 0 and scenario.name in names_seen:
                raise ConfigError(f"{where}: scenario name {scenario.name!r} is used twice")
            seed = exp.seed if exp.seed is not None else scenario.seed
            pid = point_id(scenario, seed)
            label = f"{scenario.name} {json.dumps(params)}"
            if pid in seen:
                raise ConfigError(f"{where}: {label} runs the same scenario as {seen[pid]}")
            seen[pid] = label
            points.append(Point(scenario.name, pid, params, scenario, seed))
    return points


def _where(exp: Experiment, path: Path, node, i: int, j: int, message: str) -> str:
    """``file:line: place`` of point ``j`` of scenario ``i`` in the experiment file."""
    if exp.points is not None:
        return f"{path}:{_line(node, 'points', j)}: points[{j}]"
    if exp.grid is not None:
        key = next((k for k in exp.grid if f"--set {k}=" in message), None)
        return f"{path}:{_line(node, 'grid', key)}: grid" + (f".{key}" if key else "")
    key = next((k for k in exp.set if f"--set {k}=" in message), None)
    return f"{path}:{_line(node, 'set', key)}: set" if key else f"{path}:{_line(node, 'scenarios', i)}"


def _line(node, *place: str | int | None) -> int | None:
    """The 1-based line of the deepest key or item along ``place`` (keys and indices) that is in the file."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in place:
        if part is None or node is None:
            break
        if isinstance(part, int) and isinstance(node.value, list) and part < len(node.value) \
                and not isinstance(node.value[part], tuple):
            node = node.value[part]
        else:
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None) \
                if isinstance(node.value, list) else None
        if node is not None:
            line = node.start_mark.line + 1
    return line
