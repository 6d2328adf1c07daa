"""The workbench's navigation: QA audit pages, planner pages and settings, each a small module in ``views``.

Before any page runs, a new session takes its state from the URL and every run writes the session's state back
into it (:mod:`carebench_app.state`), so filters, the selected reply, forms and results survive navigation and
a browser refresh. The reviewer's name sits in the sidebar of every page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from carebench_app import ui

__all__ = ["main", "page", "PAGES", "VIEWS"]

# url path -> (module in carebench_app.views, title, section); a new page is one more entry here
PAGES = {
    "open": ("qa_open", "Open a reply file", "QA audit"),
    "overview": ("qa_overview", "Overview", "QA audit"),
    "queue": ("qa_queue", "Review queue", "QA audit"),
    "reply": ("qa_reply", "Reply in context", "QA audit"),
    "disputes": ("qa_disputes", "Disputes", "QA audit"),
    "calibration": ("qa_calibration", "Calibration", "QA audit"),
    "session": ("qa_session", "Blind calibration session", "QA audit"),
    "planner": ("planner", "What-ifs", "Planner"),
    "compare": ("planner_compare", "Compare scenarios", "Planner"),
    "staffing": ("planner_staffing", "Staffing and roster", "Planner"),
    "settings": ("settings_page", "Settings", "Workbench"),
}


VIEWS = Path(__file__).resolve().parent / "views"


def page(url_path: str) -> st.Page:
    """The ``st.Page`` of ``url_path`` (for ``st.switch_page`` and ``st.page_link``).

    Pages are files (each runs its ``render()`` when executed as a script) rather than callables, so that
    ``AppTest.switch_page`` can reach each page of the real navigation in tests.
    """
    module, title, _ = PAGES[url_path]
    return st.Page(VIEWS / f"{module}.py", title=title, url_path=url_path, default=url_path == "open")


def main() -> None:
    st.set_page_config(page_title="carebench workbench", layout="wide")
    ui.restore_and_mirror()
    ui.reviewer_box()
    sections: dict[str, list[st.Page]] = {}
    for url_path, (_, _, section) in PAGES.items():
        sections.setdefault(section, []).append(page(url_path))
    st.navigation(sections).run()
    ui.restore_and_mirror()  # what the page itself changed (a clamped page number, a default reply)
