"""Small Streamlit helpers the pages share: settings, caches, the review store, the opened file, page state.

Kept apart from the pages so each page stays a short script of widgets; kept apart from the services so those
import no Streamlit and run in benchmarks and plain tests.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from . import state
from .cache import StringCache
from .qa_service import OpenedFile, QAView, is_staged, score, user_errors
from .settings import AppSettings, SettingsError, load_settings, settings_path
from .store import ReviewStore
from .uploads import ROOTS_VAR

__all__ = ["settings", "result_cache", "review_store", "current_view", "one_line", "require_qa", "run_page",
           "UNEXPECTED", "opened_files", "open_file", "select_reply", "restore_and_mirror", "reviewer",
           "reviewer_box", "initial"]

log = logging.getLogger("carebench_app")
# The start of the one-line message an unexpected error becomes; tests fail on any page that shows it.
UNEXPECTED = "This page hit an unexpected error"


def one_line(exc: BaseException) -> str:
    """The user-facing message of an expected error: its first line, never a traceback."""
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


def run_page(render: Callable[[], None]) -> None:
    """Run a page's ``render``; an unexpected exception becomes one line on the page and a traceback in the log.

    Streamlit's own control flow (``st.stop``, ``st.rerun``, ``st.switch_page``) raises ``BaseException``
    subclasses and passes through untouched.
    """
    try:
        render()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback ever reaches the page
        log.exception("page failed")
        text = one_line(exc)
        st.error(f"{UNEXPECTED}: {type(exc).__name__}: {text[:300]}. The details are in the server's log.")


def _stamp(path: Path) -> tuple:
    """What tells one version of a file from another (None when it does not exist): its name and ``stat``."""
    try:
        info = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@functools.lru_cache(maxsize=8)
def _settings_of(stamp: tuple, roots: str) -> AppSettings:
    """The settings file of ``stamp`` read once (a page asks for them many times a run); ``roots`` (the allowed
    folders) is part of the key because validation depends on it. Errors are not cached: they show each run."""
    return load_settings(Path(stamp[0]))


def settings() -> AppSettings:
    """The settings in force, read again whenever the file changes; a bad file is reported and defaults used."""
    try:
        return _settings_of(_stamp(settings_path()), os.environ.get(ROOTS_VAR, ""))
    except SettingsError as exc:
        st.error(one_line(exc))
        return AppSettings()


@st.cache_resource(show_spinner=False)
def result_cache() -> StringCache:
    """The server-wide cache of scored files and simulation runs (keys are strings)."""
    return StringCache(max_entries=6)


@st.cache_resource(show_spinner=False)
def opened_files() -> dict[str, OpenedFile]:
    """Files opened on this server, by token: what a URL's ``file=`` may name (never a path)."""
    return {}


def restore_and_mirror() -> None:
    """Take a new session's state from the URL, then write the session's state back into the URL."""
    state.restore_into(st.session_state, st.query_params.to_dict(), opened_files())
    opened: OpenedFile | None = st.session_state.get("opened")
    want = state.url_params(st.session_state, opened.token if opened else None)
    have = st.query_params.to_dict()
    managed = {k for k in have if k == state.FILE_PARAM or k in state.ALIASES or state.is_state_key(k)}
    merged = {**{k: v for k, v in have.items() if k not in managed}, **want}
    if merged != have:
        st.query_params.from_dict(merged)


def open_file(opened: OpenedFile) -> None:
    """Make ``opened`` this session's file: registered for links, with the old file's queue state dropped."""
    opened_files()[opened.token] = opened
    st.session_state["opened"] = opened
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(("f_", "queue_page"))]:
        del st.session_state[key]
    st.session_state.pop("reply_id", None)
    st.session_state.pop(state.FILE_GONE, None)


def select_reply(reply_id: str | None) -> None:
    """Make ``reply_id`` the selected reply (the queue's tick, the reply page, Previous/Next all use it)."""
    if reply_id != st.session_state.get("reply_id"):
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("comment_")]:
            del st.session_state[key]  # a comment typed for one reply never follows the reviewer to the next
    if reply_id is None:
        st.session_state.pop("reply_id", None)
    else:
        st.session_state["reply_id"] = str(reply_id)


def reviewer() -> str:
    """The reviewer's name in this browser session ('' until set)."""
    return " ".join(str(st.session_state.get("reviewer") or "").split())


def reviewer_box() -> None:
    """The sidebar's name field: set once per browser session (and kept in the URL through a refresh)."""
    with st.sidebar:
        st.text_input("Your name (reviewer)", key="reviewer", max_chars=60, persist_state="session",
                      help="Saved with every review and dispute decision; set it once per browser session.")


def initial(key: str, default, arg: str = "value") -> dict:
    """``{arg: default}`` for a widget whose key has no value yet, else nothing: a value restored from the URL
    or kept from another page wins, and Streamlit never sees a default and a session value at once."""
    return {} if key in st.session_state else {arg: default}


def review_store() -> ReviewStore:
    """The review store of the settings in force: opened (schema checked) once per database file, since every
    verdict card of a reply asks for it; a deleted or replaced file is opened anew."""
    path = Path(settings().review_db).expanduser()
    known = _STORES.get(str(path))
    if known is None or known[0] != _stamp(path)[1:3]:
        store = ReviewStore(path)  # creates the file when missing: its identity is taken after
        known = _STORES[str(path)] = (_stamp(path)[1:3], store)
    return known[1]


_STORES: dict[str, tuple[tuple, ReviewStore]] = {}  # database path -> (its device and inode, the open store)


def require_qa() -> bool:
    """Whether the QA module's API is installed; says so on the page when it is not."""
    try:
        import qa.api  # noqa: F401
    except ImportError:
        st.error("The QA module (qa.api) is not installed in this environment: QA pages are unavailable.")
        return False
    return True


def current_view() -> QAView | None:
    """The scored file opened in this session, re-scored (with a progress bar) if the cache dropped it."""
    opened: OpenedFile | None = st.session_state.get("opened")
    if opened is None:
        if st.session_state.pop(state.FILE_GONE, False):
            st.info("The file in this link is no longer open on this server (it was restarted): open it again "
                    "on the **Open** page.")
        else:
            st.info("No reply file is open yet: pick one on the **Open** page.")
        return None
    if not require_qa():
        return None
    bar = None
    if opened.cache_key not in result_cache():
        bar = st.progress(0.0, text=f"Scoring {opened.name}")

    def progress(done: int, total: int) -> None:
        if bar is not None and total:
            bar.progress(min(done / total, 1.0), text=f"Scoring {opened.name}: {done:,} of {total:,}")

    try:
        view = score(opened, result_cache(), progress)
    except (*user_errors(), OSError, ValueError) as exc:
        msg = one_line(exc)
        if is_staged(opened.path):  # an upload: name it as the user knows it, not by its temp copy
            msg = msg.replace(opened.path, opened.name)
        st.error(msg if opened.name in msg else f"{opened.name}: {msg}")
        return None
    finally:
        if bar is not None:
            bar.empty()
    return view
