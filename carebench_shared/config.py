"""Configuration files in: YAML (or JSON) into pydantic models, with one-line ``file:line`` errors.

Scenarios (``sim``), rulebooks (``qa``), experiments (``batch``) and the app's settings are all read here, so
what one refuses all refuse, before any model sees the data. Every problem becomes a :class:`ConfigError` whose
message is one line naming the file, the place (field and line) and the problem, so a CLI can print it and exit
with code 2: files larger than :data:`MAX_CONFIG_BYTES`; bytes that are not UTF-8 text (UTF-16, binary, another
encoding); what the hardened parser refuses (:mod:`carebench_shared.yaml_safe`: control characters, duplicate
keys, deep nesting, alias bombs, numbers that are not finite); and every field the model rejects. User text
quoted in a message is escaped and shortened (:func:`carebench_shared.safe_text.printable`).
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import functools
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, PydanticUserError, ValidationError

from .safe_text import printable
from .yaml_safe import YamlProblem, parse_yaml

__all__ = ["ConfigError", "load_yaml", "load_model", "apply_overrides", "describe_validation_error", "union_tags",
           "decode_text", "sniff_text", "refuse_binary_bytes", "regular_file", "undecoded_byte", "MAX_CONFIG_BYTES"]

MAX_PROBLEMS = 10  # problems listed of a file that has more (on its one error line, then a count)
MAX_CONFIG_BYTES = 2 * 1024 * 1024  # a config file larger than this is refused before parsing (~6 s of PyYAML)


class ConfigError(Exception):
    """A bad input file or override; ``str()`` is the one-line message for the user."""


_NOT_A_FILE = ((stat.S_ISDIR, "it is a folder"), (stat.S_ISFIFO, "it is a named pipe (FIFO), not a file"),
               (stat.S_ISSOCK, "it is a socket, not a file"), (stat.S_ISCHR, "it is a device, not a file"),
               (stat.S_ISBLK, "it is a device, not a file"))


def regular_file(path: str | Path, what: str = "file") -> int:
    """The size of ``path`` if it is a regular file (or a link to one); else one :class:`ConfigError` line
    ``<path>: cannot read <what>: <why>``. Checked before opening: reading a named pipe waits for a writer
    forever, and a device such as ``/dev/zero`` never ends."""
    try:
        mode = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        why = "no such file" if isinstance(exc, FileNotFoundError) else getattr(exc, "strerror", None) or exc
        raise ConfigError(f"{printable(path)}: cannot read {what}: {why}") from None
    for test, why in _NOT_A_FILE:
        if test(mode.st_mode):
            raise ConfigError(f"{printable(path)}: cannot read {what}: {why}")
    if mode.st_dev in _kernel_devices():  # "regular" files of size 0 whose reads may never end (/proc/kmsg)
        raise ConfigError(f"{printable(path)}: cannot read {what}: it is a kernel interface (/proc, /sys), not a file")
    return mode.st_size


@functools.cache
def _kernel_devices() -> frozenset[int]:
    """The devices of /proc and /sys: their files look regular but are made up by the kernel as they are read;
    /proc/kmsg waits for the next kernel message forever, /proc/self/pagemap runs to hundreds of gigabytes."""
    devices = set()
    for root in ("/proc", "/sys"):
        with contextlib.suppress(OSError):
            devices.add(os.stat(root).st_dev)
    return frozenset(devices)


def decode_text(raw: bytes, source: str, what: str = "YAML", complete: bool = True) -> str:
    """``raw`` decoded as UTF-8 (a UTF-8 byte-order mark is allowed), or one :class:`ConfigError` line saying
    what the bytes look like instead: UTF-16/32 text, a binary file, or text in another encoding.
    ``complete=False``: ``raw`` is the start of a longer file (a character cut at its end is not an error)."""
    _refuse_not_text(raw, source, what)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=complete)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{source}:{line}: {_NOT_UTF8.format(raw[exc.start])}; save the file as UTF-8") from None


def _refuse_not_text(raw: bytes, source: str, what: str, rows: bool = False) -> None:
    """One :class:`ConfigError` line if ``raw`` is UTF-16 or UTF-32 text or binary data. ``rows=True``: a few NUL
    bytes after a clean header line are damaged rows of a text file (:func:`undecoded_byte`), not a binary file."""
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
        if rows and b"\n" in raw[:nul] and raw.count(b"\x00", 0, 1 << 16) * 100 <= min(len(raw), 1 << 16):
            return
        raise ConfigError(f"{source}: a binary file, not {what} text (a NUL byte at offset {nul})")


_NOT_UTF8 = "not UTF-8 text (byte 0x{:02X})"
_UNDECODED = re.compile("[\udc80-\udcff]")  # what ``errors="surrogateescape"`` makes of a byte that is not UTF-8


def undecoded_byte(text: str) -> str | None:
    """The problem of a line read with ``errors="surrogateescape"`` that held bytes that are not UTF-8 (a broken
    row: "not UTF-8 text (byte 0xE9)"), or None. Cheap on the usual line: ASCII is checked first."""
    if "\x00" in text:
        return "a NUL byte (binary data) in the row"
    if text.isascii():
        return None
    found = _UNDECODED.search(text)
    return None if found is None else _NOT_UTF8.format(ord(found.group()) - 0xDC00)


def _another_encoding(raw: bytes, complete: bool) -> bool:
    """Whether the start of a file read row by row is in another encoding (Latin-1, Windows-1252), rather than
    UTF-8 with a damaged row or two: its header line is not UTF-8, or some line is not while no line holds a
    character beyond ASCII that is (a file whose other text is UTF-8 is UTF-8, and its bad rows are damage)."""
    lines = raw.removeprefix(codecs.BOM_UTF8).split(b"\n")
    if not complete:
        lines = lines[:-1]  # cut at the end of the sample
    bad = good = 0
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            if number == 1:
                return True  # the header: without it no row can be read
            bad += 1
    return bad > 0 and good == 0


def sniff_text(path: str | Path, what: str, size: int = 1 << 16, rows: bool = False) -> None:
    """One :class:`ConfigError` line if the file at ``path`` does not start as UTF-8 text (see
    :func:`decode_text`); only its first ``size`` bytes are read.

    ``rows=True``: a file read row by row, in which a row holding bytes that are not UTF-8 is a broken row of its
    own (:func:`undecoded_byte`), so that one damaged row does not cost the valid ones. Such a file is refused
    for its encoding only when it looks written in another one (:func:`_another_encoding`); UTF-16, UTF-32 and
    binary files are refused as before."""
    regular_file(path)
    try:
        with open(path, "rb") as f:
            head = f.read(size + 1)
    except OSError as exc:
        raise ConfigError(f"{printable(path)}: cannot read file: {exc.strerror or exc}") from None
    head, complete = head[:size], len(head) <= size
    if rows and not _another_encoding(head, complete):
        _refuse_not_text(head, printable(path), what, rows=True)  # damaged rows are the reader's to report
        return
    decode_text(head, printable(path), what, complete=complete)


def refuse_binary_bytes(path: str | Path, what: str) -> None:
    """One :class:`ConfigError` line at the first NUL byte, or byte that is not UTF-8, of the file, wherever it
    is. For small tables read whole (labels, scores): past the start that :func:`sniff_text` reads, pandas' parser
    ends the field at a NUL and the rest of that line's value is silently lost, and a byte that is not UTF-8
    stops it with no line number."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        line, offset = 1, 0
        for block in iter(lambda: f.read(1 << 20), b""):
            at = block.find(b"\x00")
            if at >= 0:
                line += block.count(b"\n", 0, at)
                raise ConfigError(f"{printable(path)}:{line}: a NUL byte at offset {offset + at}: binary data in "
                                  f"{what}")
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                carried = len(exc.object) - len(block)  # the bytes of a character begun in the block before
                line += block.count(b"\n", 0, max(exc.start - carried, 0))
                raise ConfigError(f"{printable(path)}:{line}: {_NOT_UTF8.format(exc.object[exc.start])}; save the "
                                  "file as UTF-8") from None
            line += block.count(b"\n")
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ConfigError(f"{printable(path)}:{line}: not UTF-8 text (a character cut at the end of the file); "
                              "save the file as UTF-8") from None


def load_yaml(path: str | Path) -> tuple[Any, yaml.Node | None]:
    """The parsed data of a YAML (or JSON) file and its node tree (for line numbers)."""
    path = Path(path)
    source = printable(path)
    size = regular_file(path)
    try:
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{source}: {size / 1048576:.1f} MiB is larger than a configuration file may be "
                              f"({MAX_CONFIG_BYTES // 1048576} MiB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read file: {exc.strerror or exc}") from None
    try:
        return parse_yaml(decode_text(raw, source))
    except YamlProblem as exc:
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


_VALIDATOR_STEPS = frozenset({"function-after", "function-before", "function-wrap", "function-plain"})


@functools.cache
def union_tags(model: type[BaseModel]) -> frozenset[str]:
    """The tags of ``model``'s discriminated unions (a distribution's ``exponential``, ...): pydantic puts the
    tag in an error's location, where the user wrote no such key, so messages leave it out."""
    try:
        schema = model.model_json_schema()
    except PydanticUserError:  # a model without a JSON schema has no tags to find there
        return frozenset()
    tags: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            tags.update(item.get("discriminator", {}).get("mapping", {}))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return frozenset(tags)


def describe_validation_error(exc: ValidationError, source: str, node: yaml.Node | None,
                              overrides: list[str] | None = None, tags: frozenset[str] = frozenset()) -> str:
    """One line per problem: ``file:line: field: problem`` (or ``file: --set k=v: problem``). ``tags``: union
    tags to leave out of field paths (:func:`union_tags` of the model validated)."""
    lines = []
    hidden = _VALIDATOR_STEPS | tags
    set_keys = {o.partition("=")[0]: o for o in overrides or []}
    errors = exc.errors(include_url=False)
    parents = {e["loc"][:i] for e in errors for i in range(1, len(e["loc"]))}
    # "at least 1 item ... not 0" because its items were refused: those lines say why
    errors = [e for e in errors if not (e["type"] == "too_short" and e["loc"] in parents)]
    for err in errors[:MAX_PROBLEMS]:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.split("[")[0] in hidden))
        dotted = ".".join(str(p) for p in loc)
        override = next((o for k, o in set_keys.items()  # a --set of a key inside an unknown one: the --set
                         if dotted == k or dotted.startswith(k + ".") or k.startswith(dotted + ".")), None)
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
    if len(errors) > MAX_PROBLEMS:  # 60,000 unknown keys: the first few say what is wrong, in a moment
        lines.append(f"{source}: {len(errors) - MAX_PROBLEMS:,} more problems not shown")
    return "\n".join(lines)


def apply_overrides(data: Any, overrides: list[str], source: str = "--set") -> Any:
    """A copy of ``data`` with ``key.path=value`` overrides applied (values parsed as YAML)."""
    data = copy.deepcopy(data)
    for item in overrides:
        key, sep, raw = item.partition("=")
        shown = f"'{printable(item, 120)}'"
        if not sep or not key:
            raise ConfigError(f"{source} {shown}: expected key.path=value")
        try:
            value = parse_yaml(raw)[0] if raw.strip() else None
        except YamlProblem as exc:
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
        raise ConfigError(describe_validation_error(exc, source, node, overrides, union_tags(model))) from None
