"""User text made safe to echo on a terminal or a page: printable, on one line, of bounded length.

Error messages quote what the user gave (a file name, a key, a header, a value). A hostile or broken file can
hold terminal escape sequences, carriage returns, bidirectional overrides or megabytes of text; echoing them
raw would repaint the user's terminal, split a one-line message over several lines or flood the screen. Every
message carebench prints about an input goes through :func:`printable` first.
"""

from __future__ import annotations

__all__ = ["printable", "safe_file_name", "MAX_ECHO"]

MAX_ECHO = 300  # characters of user text echoed in one place before the middle is elided


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: object, limit: int | None = MAX_ECHO) -> str:
    """``text`` with every non-printable character escaped (``\\x1b``, ``\\u202e``) and, when longer than
    ``limit``, its middle replaced by ``...``. Printable non-ASCII text (accents, CJK) is kept as is."""
    s = str(text)
    if s.isprintable():
        out = s
    else:
        out = "".join(ch if ch.isprintable() else _escape(ch) for ch in s)
    if limit is not None and len(out) > limit:
        keep = max(limit - 5, 2)
        out = f"{out[: keep - keep // 3]} ... {out[len(out) - keep // 3:]}"
    return out


def safe_file_name(name: str, default: str = "run", limit: int = 100) -> str:
    """``name`` as one path component that stays where it is put: letters, digits, ``.``, ``_`` and ``-`` only
    (anything else, path separators included, becomes ``-``), starting with a letter or digit (no ``..``, no
    hidden file), at most ``limit`` characters. A scenario named ``../../x`` writes to ``runs/x``."""
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in name)
    return cleaned.lstrip(".-_")[:limit].rstrip(".-") or default
