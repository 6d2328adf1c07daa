"""Reading scenario files: YAML into :class:`~sim.scenario.Scenario`, with ``--set`` overrides.

Every problem becomes a :class:`ConfigError` whose message is one line naming the file, the place (field and
line) and the problem, so the CLI can print it and exit with code 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .scenario import Scenario

__all__ = ["ConfigError", "YamlLoader", "load_yaml", "load_model", "load_scenario", "apply_overrides"]


class ConfigError(Exception):
    """A bad input file or override; ``str()`` is the one-line message for the user."""


class YamlLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's base-60 numbers, so ``17:00`` stays the string "17:00"."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
        r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _parse(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    try:
        node = yaml.compose(text, Loader=YamlLoader)
        data = yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}:{where}: unreadable YAML: {problem}") from None
    return data, node


def load_yaml(path: str | Path) -> tuple[Any, yaml.Node | None]:
    """The parsed data of a YAML file and its node tree (for line numbers)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"{path}: cannot read file: {reason}") from None
    return _parse(text, str(path))


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """The 1-based line of the deepest key or item along ``loc`` that exists in the file."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            break
        # otherwise (a union tag, a scalar): stay where we are
    return line


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


_TAGS = {"exponential", "lognormal", "gamma", "deterministic", "empirical", "function-after", "function-before"}


def describe_validation_error(
    exc: ValidationError, source: str, node: yaml.Node | None, overrides: list[str] | None = None
) -> str:
    """One line per problem: ``file:line: field: problem`` (or ``file: --set k=v: problem``)."""
    lines = []
    set_keys = {o.partition("=")[0]: o for o in overrides or []}
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.split("[")[0] in _TAGS))
        dotted = ".".join(str(p) for p in loc)
        override = next((o for k, o in set_keys.items() if dotted == k or dotted.startswith(k + ".")), None)
        line = None if override else _line_of(node, loc)
        where = f"{source}: --set {override}" if override else (f"{source}:{line}" if line else source)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "required key is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        lines.append(f"{where}: {_field_path(loc)}: {msg}")
    return "\n".join(lines)


def apply_overrides(data: Any, overrides: list[str], source: str = "--set") -> Any:
    """A copy of ``data`` with ``key.path=value`` overrides applied (values parsed as YAML)."""
    import copy

    data = copy.deepcopy(data)
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"{source} {item!r}: expected key.path=value")
        try:
            value = yaml.load(raw, Loader=YamlLoader) if raw.strip() else None
        except yaml.YAMLError:
            raise ConfigError(f"{source} {item!r}: the value is not valid YAML") from None
        parts = key.split(".")
        target = data
        for i, part in enumerate(parts[:-1]):
            if not isinstance(target, dict):
                raise ConfigError(f"{source} {item!r}: {'.'.join(parts[:i])} is not a section")
            target = target.setdefault(part, {})
        if not isinstance(target, dict):
            raise ConfigError(f"{source} {item!r}: {'.'.join(parts[:-1])} is not a section")
        target[parts[-1]] = value
    return data


def load_model(model: type[BaseModel], path: str | Path, overrides: list[str] | None = None) -> BaseModel:
    """Validate a YAML file (plus overrides) against ``model``; errors as :class:`ConfigError`."""
    data, node = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level, got {type(data).__name__}")
    if overrides:
        data = apply_overrides(data, overrides)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, str(path), node, overrides)) from None


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> Scenario:
    """A validated scenario from a YAML file and ``--set`` overrides."""
    return load_model(Scenario, path, overrides)  # type: ignore[return-value]
