"""Page state that survives navigation, a download and a browser refresh.

Widgets that hold page state (queue filters and page, the what-if form, the compare inputs, the calibration
choices) have a key starting with one of :data:`PREFIXES` and ``persist_state="session"``, so Streamlit keeps
their values while another page is shown. At the start of every run the entry point writes those values, the
open file, the selected reply and the reviewer's name into the URL (:func:`mirror`); a new session (a refresh,
a link opened in another tab) takes them back from the URL before any page runs (:func:`restore`). Values
travel as JSON, so a number stays a number and a list a list.

The open file travels as a token (its digest and its rulebook's), never as a path: a token only finds a file
that was opened on this server (:data:`ui.opened_files`), so a link cannot point the server at other files.
Buttons and uploads never use these prefixes: their values cannot be set from the URL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, MutableMapping
from typing import Any

__all__ = ["PREFIXES", "ALIASES", "FILE_PARAM", "encode", "decode", "url_params", "restore_into", "is_state_key"]

# The staffing page's state keys are named one by one: its buttons and downloads also start with ``staff_``.
STAFF_KEYS = ("staff_src", "staff_file", "staff_for", "staff_horizon", "staff_warmup", "staff_goal",
              "staff_minutes", "staff_interval", "staff_reps", "staff_done", "staff_shifts", "staff_roster_done",
              "staff_sim_done")
PREFIXES = ("f_", "queue_page", "plan_", "cmp_", "calib_", "cs_", *STAFF_KEYS)
ALIASES = {"reply": "reply_id", "reviewer": "reviewer"}  # URL parameter -> session-state key
FILE_PARAM = "file"
RESTORED = "_state_restored"
FILE_GONE = "_file_gone"


def is_state_key(key: str) -> bool:
    return key.startswith(PREFIXES)


def encode(value: Any) -> str | None:
    """``value`` as JSON text for the URL, or None when it is not page state (an upload, an empty choice)."""
    def plain(v: Any) -> Any:
        if isinstance(v, dt.datetime):
            raise TypeError("datetimes are not page state")
        if isinstance(v, dt.date):
            return {"__date__": v.isoformat()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, dict) and all(isinstance(k, str) for k in v):
            return {k: plain(x) for k, x in v.items()}
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        raise TypeError(type(v).__name__)

    if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
        return None
    try:
        return json.dumps(plain(value), separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None


def decode(text: str) -> Any:
    """The value :func:`encode` wrote; raises ValueError on text that is not such a value."""
    def back(v: Any) -> Any:
        if isinstance(v, dict):
            if set(v) == {"__date__"}:
                return dt.date.fromisoformat(v["__date__"])
            return {k: back(x) for k, x in v.items()}
        if isinstance(v, list):
            items = [back(x) for x in v]
            return tuple(items) if items and all(isinstance(x, dt.date) for x in items) else items
        return v

    return back(json.loads(text))


def url_params(session: Mapping[str, Any], file_token: str | None) -> dict[str, str]:
    """The URL parameters that describe ``session``: the open file, the reply, the reviewer, page state."""
    out: dict[str, str] = {}
    if file_token:
        out[FILE_PARAM] = file_token
    for param, key in ALIASES.items():
        value = session.get(key)
        if isinstance(value, str) and value:
            out[param] = value
    for key in sorted(k for k in session.keys() if isinstance(k, str) and is_state_key(k)):
        text = encode(session[key])
        if text is not None:
            out[key] = text
    return out


def restore_into(session: MutableMapping[str, Any], params: Mapping[str, str],
                 opened_files: Mapping[str, Any]) -> None:
    """Fill a new session from URL ``params`` (once per session; later runs keep the session's own state)."""
    if session.get(RESTORED):
        return
    session[RESTORED] = True
    for param, text in params.items():
        if param == FILE_PARAM:
            opened = opened_files.get(text)
            if opened is None:
                session[FILE_GONE] = True
            elif "opened" not in session:
                session["opened"] = opened
        elif param in ALIASES:
            session.setdefault(ALIASES[param], text)
        elif is_state_key(param) and param not in session:
            try:
                session[param] = decode(text)
            except ValueError:
                continue  # a hand-edited URL: that value is dropped, the rest is kept
