"""Reading scenario files: YAML into :class:`~sim.scenario.Scenario`, with ``--set`` overrides.

The generic part (the hardened YAML parser, UTF-8 checks, ``file:line`` errors, overrides) lives below both
halves of carebench in :mod:`carebench_shared.config`, because rulebooks (``qa``) and experiments (``batch``)
are read the same way. This module binds it to the scenario model and keeps the names callers import from
``sim.loader``.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from carebench_shared import config
from carebench_shared.config import (MAX_CONFIG_BYTES, ConfigError, apply_overrides, decode_text, load_model,
                                     load_yaml, sniff_text)
from carebench_shared.yaml_safe import MAX_DEPTH, MAX_NODES, YamlLoader

from .scenario import Scenario

__all__ = ["ConfigError", "YamlLoader", "load_yaml", "load_model", "load_scenario", "apply_overrides", "decode_text",
           "sniff_text", "describe_validation_error", "MAX_CONFIG_BYTES", "MAX_DEPTH", "MAX_NODES"]


def describe_validation_error(exc: ValidationError, source: str, node: yaml.Node | None,
                              overrides: list[str] | None = None) -> str:
    """One line per problem of a scenario's validation: ``file:line: field: problem`` (or ``file: --set k=v:
    problem``), distribution tags left out of field paths."""
    return config.describe_validation_error(exc, source, node, overrides, config.union_tags(Scenario))


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> Scenario:
    """A validated scenario from a YAML file and ``--set`` overrides."""
    return load_model(Scenario, path, overrides)  # type: ignore[return-value]
