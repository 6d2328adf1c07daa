"""Reading scenario files: YAML into :class:`~sim.scenario.Scenario`, with ``--set`` overrides.

Every problem becomes a :class:`ConfigError` whose message is one line naming the file, the place (field and
line) and the problem, so the CLI can print it and exit with code 2. The same loader reads rulebooks and
experiment files, so what it refuses it refuses for all of them, before any model sees the data: files larger
than :data:`MAX_CONFIG_BYTES`; bytes that are not UTF-8 text (UTF-16, binary, another encoding); control
characters; duplicate keys (with both lines); nesting deeper than :data:`MAX_DEPTH` and alias "bombs" beyond
:data:`MAX_NODES` values; numbers that are infinite, NaN or too large for a float. User text quoted in a
message is escaped and shortened (:func:`carebench_shared.safe_text.printable`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from carebench_shared.safe_text import printable

from .scenario import Scenario

__all__ = ["ConfigError", "YamlLoader", "load_yaml", "load_model", "load_scenario", "apply_overrides", "decode_text",
           "sniff_text",
           "describe_validation_error", "MAX_CONFIG_BYTES", "MAX_DEPTH", "MAX_NODES"]


MAX_CONFIG_BYTES = 2 * 1024 * 1024  # a config file larger than this is refused before parsing (~6 s of PyYAML)
MAX_DEPTH = 50  # nesting levels of mappings and lists (scenarios use about 6)
MAX_NODES = 1_000_000  # values in a file once aliases are expanded (a "billion laughs" file is refused)


class ConfigError(Exception):
    """A bad input file or override; ``str()`` is the one-line message for the user."""


class _Refused(yaml.MarkedYAMLError):
    """A well-formed YAML document we refuse (duplicate key, too deep, not finite): no "unreadable" prefix."""


class YamlLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's base-60 numbers (``17:00`` stays the string "17:00"), that refuses
    duplicate keys, nesting deeper than :data:`MAX_DEPTH` and numbers that are not finite."""

    _depth = 0

    def compose_node(self, parent, index):
        # the composer recurses once per level: bound it before Python's stack is exhausted
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # "<<: *base" then a key of base again is an override, not a duplicate
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:
                    continue  # an unhashable key: SafeConstructor reports it
                if first is not None:
                    raise _Refused(None, None, f"duplicate key {printable(key, 80)!r} (first given on line "
                                   f"{first + 1})", key_node.start_mark)
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_float(self, node):
        try:
            value = super().construct_yaml_float(node)
        except ValueError:
            raise _Refused(None, None, f"{printable(node.value, 40)!r} is not a number", node.start_mark) from None
        if not math.isfinite(value):
            raise _Refused(None, None, f"{printable(node.value, 40)} is not a finite number (infinite and NaN "
                           "values are refused)", node.start_mark)
        return value

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # "0b_", or more digits than Python converts (4300)
            raise _Refused(None, None, f"{printable(node.value, 40)!r} is not a usable integer",
                           node.start_mark) from None


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
YamlLoader.add_constructor("tag:yaml.org,2002:float", YamlLoader.construct_yaml_float)
YamlLoader.add_constructor("tag:yaml.org,2002:int", YamlLoader.construct_yaml_int)


def _check_size(root: yaml.Node | None) -> None:
    """Refuse a node graph that aliases expand beyond :data:`MAX_NODES` values or :data:`MAX_DEPTH` levels,
    or that refers to itself. Memoised on node identity: linear in the file, whatever the expansion."""
    if root is None:
        return
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_NODES:
                raise _Refused(None, None, f"more than {MAX_NODES:,} values once aliases are expanded",
                               node.start_mark)
            if depth[key] > MAX_DEPTH:
                raise _Refused(None, None, f"nested deeper than {MAX_DEPTH} levels once aliases are expanded",
                               node.start_mark)
            continue
        if key in size:
            continue
        if key in on_path:
            raise _Refused(None, None, "an alias refers to the collection that contains it", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _Problem(Exception):
    """A YAML text we cannot use: ``line`` (1-based, or None) and ``problem``, formatted by the caller."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def _parse(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and node tree of one YAML document, parsed once; problems as :class:`_Problem`."""
    loader = None
    try:
        loader = YamlLoader(text)  # its reader refuses control characters here
        node = loader.get_single_node()
        _check_size(node)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        raise _Problem(exc.problem_mark.line + 1, exc.problem) from None
    except yaml.reader.ReaderError as exc:
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "byte"
        raise _Problem(text.count("\n", 0, exc.position) + 1,
                       f"unreadable YAML: {what} is not allowed in YAML text (control characters are refused)") \
            from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _Problem(mark.line + 1 if mark is not None else None,
                       f"unreadable YAML: {printable(problem)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node


def decode_text(raw: bytes, source: str, what: str = "YAML", complete: bool = True) -> str:
    """``raw`` decoded as UTF-8 (a UTF-8 byte-order mark is allowed), or one :class:`ConfigError` line saying
    what the bytes look like instead: UTF-16/32 text, a binary file, or text in another encoding.
    ``complete=False``: ``raw`` is the start of a longer file (a character cut at its end is not an error)."""
    import codecs

    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            raise ConfigError(f"{source}: the file is {name} text; save it as UTF-8")
    nul = raw.find(b"\x00", 0, 1 << 16)
    if nul >= 0:
        head = raw[: 1 << 12]
        even, odd = head[0::2], head[1::2]
        for zeros, other in ((odd, even), (even, odd)):  # Latin text in UTF-16: every other byte NUL
            if len(head) >= 4 and zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
                raise ConfigError(f"{source}: the file looks like UTF-16 text; save it as UTF-8")
        raise ConfigError(f"{source}: a binary file, not {what} text (a NUL byte at offset {nul})")
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=complete)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{source}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02X}); save the file as "
                          "UTF-8") from None


def sniff_text(path: str | Path, what: str, size: int = 1 << 16) -> None:
    """One :class:`ConfigError` line if the file at ``path`` does not start as UTF-8 text (see
    :func:`decode_text`); only its first ``size`` bytes are read."""
    try:
        with open(path, "rb") as f:
            head = f.read(size + 1)
    except OSError as exc:
        raise ConfigError(f"{printable(path)}: cannot read file: {exc.strerror or exc}") from None
    decode_text(head[:size], printable(path), what, complete=len(head) <= size)


def load_yaml(path: str | Path) -> tuple[Any, yaml.Node | None]:
    """The parsed data of a YAML (or JSON) file and its node tree (for line numbers)."""
    path = Path(path)
    source = printable(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{source}: {size / 1048576:.1f} MiB is larger than a configuration file may be "
                              f"({MAX_CONFIG_BYTES // 1048576} MiB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read file: {exc.strerror or exc}") from None
    try:
        return _parse(decode_text(raw, source))
    except _Problem as exc:
        raise ConfigError(f"{source}:{exc.line or ''}: {exc.problem}") from None


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
        where = f"{source}: --set {printable(override, 120)}" if override else (f"{source}:{line}" if line else source)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "required key is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        lines.append(f"{where}: {printable(_field_path(loc), 120)}: {printable(msg)}")
    return "\n".join(lines)


def apply_overrides(data: Any, overrides: list[str], source: str = "--set") -> Any:
    """A copy of ``data`` with ``key.path=value`` overrides applied (values parsed as YAML)."""
    import copy

    data = copy.deepcopy(data)
    for item in overrides:
        key, sep, raw = item.partition("=")
        shown = f"'{printable(item, 120)}'"
        if not sep or not key:
            raise ConfigError(f"{source} {shown}: expected key.path=value")
        try:
            value = _parse(raw)[0] if raw.strip() else None
        except _Problem as exc:
            problem = exc.problem.replace("unreadable YAML", "the value is not valid YAML")
            raise ConfigError(f"{source} {shown}: {problem}") from None
        parts = key.split(".")
        target = data
        for i, part in enumerate(parts[:-1]):
            if not isinstance(target, dict):
                raise ConfigError(f"{source} {shown}: {printable('.'.join(parts[:i]), 120)} is not a section")
            target = target.setdefault(part, {})
        if not isinstance(target, dict):
            raise ConfigError(f"{source} {shown}: {printable('.'.join(parts[:-1]), 120)} is not a section")
        target[parts[-1]] = value
    return data


def load_model(model: type[BaseModel], path: str | Path, overrides: list[str] | None = None) -> BaseModel:
    """Validate a YAML file (plus overrides) against ``model``; errors as :class:`ConfigError`."""
    data, node = load_yaml(path)
    source = printable(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of keys at the top level, got {type(data).__name__}")
    if overrides:
        data = apply_overrides(data, overrides, f"{source}: --set")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, source, node, overrides)) from None


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> Scenario:
    """A validated scenario from a YAML file and ``--set`` overrides."""
    return load_model(Scenario, path, overrides)  # type: ignore[return-value]
