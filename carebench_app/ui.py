"""Small Streamlit helpers the pages share: settings, the result cache, the review store, the opened file.

Kept apart from the pages so each page stays a short script of widgets; kept apart from the services so those
import no Streamlit and run in benchmarks and plain tests.
"""

from __future__ import annotations

import streamlit as st

from .cache import StringCache
from .qa_service import OpenedFile, QAView, is_staged, score, user_errors
from .settings import AppSettings, SettingsError, load_settings
from .store import ReviewStore

__all__ = ["settings", "result_cache", "review_store", "current_view", "one_line", "require_qa"]


def one_line(exc: BaseException) -> str:
    """The user-facing message of an expected error: its first line, never a traceback."""
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


def settings() -> AppSettings:
    """The settings in force; a bad settings file is reported once and the defaults are used."""
    try:
        return load_settings()
    except SettingsError as exc:
        st.error(one_line(exc))
        return AppSettings()


@st.cache_resource(show_spinner=False)
def result_cache() -> StringCache:
    """The server-wide cache of scored files and simulation runs (keys are strings)."""
    return StringCache(max_entries=6)


def review_store() -> ReviewStore:
    return ReviewStore(settings().review_db)


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
        st.info("No reply file is open yet: pick one on the **Open** page.")
        return None
    if not require_qa():
        return None
    bar = None
    if ("qa", opened.digest, opened.policy_text) not in result_cache():
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
