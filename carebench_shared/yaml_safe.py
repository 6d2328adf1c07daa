"""A hardened YAML parser: PyYAML's safe loader, minus what makes a small file dangerous or ambiguous.

Configuration files (scenarios, rulebooks, experiments, the app's settings) come from users and uploads. On top
of ``yaml.SafeLoader`` (no arbitrary objects) this refuses duplicate keys (with both lines), a merge key given
twice or merging one key from two mappings, nesting deeper than :data:`MAX_DEPTH`, alias "bombs" beyond
:data:`MAX_NODES` values or aliases that contain themselves, more than :data:`MAX_VALUES` values written (a
minute of parsing), and numbers that are infinite, NaN or too large to convert; and it drops YAML 1.1's base-60
numbers, so ``17:00`` stays the string "17:00". Every refusal is a :class:`YamlProblem` with a 1-based line;
:mod:`carebench_shared.config` turns it into the one-line ``file:line: problem`` message. Text only: reading and
decoding files live there.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from .safe_text import printable

__all__ = ["YamlLoader", "YamlProblem", "parse_yaml", "MAX_DEPTH", "MAX_NODES", "MAX_VALUES"]

MAX_DEPTH = 50  # nesting levels of mappings and lists (scenarios use about 6)
MAX_NODES = 1_000_000  # values in a file once aliases are expanded (a "billion laughs" file is refused)
MAX_VALUES = 100_000  # values (keys too) written in a file: PyYAML reads 5,000-40,000 a second (an experiment's
# thousand points are a few thousand; 300,000 numbers in a 2 MiB list took a minute)


class YamlProblem(Exception):
    """A YAML text we cannot use: ``line`` (1-based, or None) and ``problem``, formatted by the caller."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


class _Refused(yaml.MarkedYAMLError):
    """A well-formed YAML document we refuse (duplicate key, too deep, not finite): no "unreadable" prefix."""


_TAG_NAMES = {"timestamp": "date or time", "bool": "boolean (true or false)", "float": "number", "int": "integer"}


class YamlLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's base-60 numbers (``17:00`` stays the string "17:00"), that refuses
    duplicate keys, nesting deeper than :data:`MAX_DEPTH` and numbers that are not finite."""

    _depth = 0
    _values = 0

    def compose_node(self, parent, index):
        # the composer recurses once per level: bound it before Python's stack is exhausted
        self._depth += 1
        self._values += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            if self._values > MAX_VALUES:  # stopped here, before reading on for minutes
                raise _Refused(None, None, f"more than {MAX_VALUES:,} values (keys and items): not a configuration "
                               "file of carebench", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        # PyYAML's constructors check few values: "!!bool abc" is a KeyError, "2026-13-45" or "!!timestamp x" a
        # ValueError or AttributeError, "!!float ''" an IndexError. Any of them is this node's value, refused
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, AttributeError, IndexError, TypeError, OverflowError):
            tag = node.tag.rsplit(":", 1)[-1] if node.tag.startswith("tag:yaml.org,2002:") else node.tag
            tag = _TAG_NAMES.get(tag, tag)
            value = node.value if isinstance(node, yaml.ScalarNode) else "..."
            raise _Refused(None, None, f"{printable(value, 40)!r} is not a valid {printable(tag, 40)}",
                           node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            merged = None
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    # "<<: *base" then a key of base again is an override, not a duplicate; but a second "<<"
                    # silently overrides the first's values (merge several with "<<: [*a, *b]")
                    if merged is not None:
                        raise _Refused(None, None, f"duplicate merge key '<<' (first given on line {merged + 1}); "
                                       "merge several mappings with one '<<: [*a, *b]'", key_node.start_mark)
                    merged = key_node.start_mark.line
                    _refuse_merged_twice(value_node, key_node)
                    continue
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

    def construct_yaml_str(self, node):
        value = super().construct_yaml_str(node)
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # "\ud800" in a quoted string: no character, nothing could write it out
                raise _Refused(None, None, "a lone surrogate escape (\\ud800-\\udfff) is not a character",
                               node.start_mark) from None
        return value


def _refuse_merged_twice(value: yaml.Node, merge: yaml.Node) -> None:
    """A key given by two of the mappings of ``<<: [*a, *b]``: PyYAML takes the last one's value, the YAML merge
    specification (and other YAML readers) the first one's. Which was meant? Refused, as a duplicate key is."""
    if not isinstance(value, yaml.SequenceNode):
        return
    seen: dict = {}
    for mapping in value.value:
        if not isinstance(mapping, yaml.MappingNode):
            continue  # not a mapping: SafeConstructor reports it
        # a mapping met before may hold a key twice already: merged into it, then overridden (its own affair)
        here = {(k.tag, k.value): k for k, _ in mapping.value
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge"}
        for key, key_node in here.items():
            first = seen.setdefault(key, key_node)
            if first is not key_node:
                raise _Refused(None, None, f"key {printable(key_node.value, 80)!r} is given by two of the mappings "
                               f"merged here (lines {first.start_mark.line + 1} and {key_node.start_mark.line + 1}); "
                               "YAML readers differ on which one wins: give it once", merge.start_mark)


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
YamlLoader.add_constructor("tag:yaml.org,2002:str", YamlLoader.construct_yaml_str)


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


def parse_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and node tree (for line numbers) of one YAML document, parsed once; problems as
    :class:`YamlProblem`."""
    loader = None
    try:
        loader = YamlLoader(text)  # its reader refuses control characters here
        node = loader.get_single_node()
        _check_size(node)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        raise YamlProblem(exc.problem_mark.line + 1, exc.problem) from None
    except yaml.reader.ReaderError as exc:
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "byte"
        raise YamlProblem(text.count("\n", 0, exc.position) + 1,
                          f"unreadable YAML: {what} is not allowed in YAML text (control characters are refused)") \
            from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem(mark.line + 1 if mark is not None else None,
                          f"unreadable YAML: {printable(problem)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node
