"""Helpers of the AppTest page tests: run the real navigation of app.py, and fail on any traceback or
unexpected-error line a page shows."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from carebench_app.main import PAGES
from carebench_app.ui import UNEXPECTED
from conftest import ROOT

V = "carebench_app/views/"
QA_PAGES = [module for module, _, section in PAGES.values() if section == "QA audit"]
ALL_PAGES = [module for module, _, _ in PAGES.values()]  # every page of the navigation, a new one included


def ok(at: AppTest) -> AppTest:
    """Fail when the page raised (a traceback element) or turned an exception into its one-line message."""
    assert not at.exception, [e.value for e in at.exception]
    unexpected = [e.value for e in at.error if e.value.startswith(UNEXPECTED)]
    assert not unexpected, unexpected
    return at


def app(query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """A new browser session; ``query`` is the URL it opens (as after a refresh or a shared link)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return ok(at.run())


def goto(at: AppTest, module: str) -> AppTest:
    at.switch_page(V + module + ".py").run()
    return ok(at)


def refresh(at: AppTest) -> AppTest:
    """What a browser refresh does: a new session on the same URL (the server keeps its caches)."""
    fresh = app(dict(at.query_params))
    return fresh


def open_file(at: AppTest) -> AppTest:
    goto(at, "qa_open")
    at.button(key="open_button").click().run()
    return ok(at)


def name_reviewer(at: AppTest, name: str) -> AppTest:
    at.text_input(key="reviewer").set_value(name).run()
    return ok(at)


def matches(at: AppTest) -> int:
    """The count in the queue's "**N** of M replies match" line."""
    line = next(m.value for m in at.markdown if "replies match" in m.value)
    return int(line.split("**")[1].replace(",", ""))


def tick(at: AppTest, row: int) -> AppTest:
    """Tick a row of the queue table, as a click on its checkbox does."""
    table = at.dataframe[0]
    at.session_state[table.key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return ok(at.run())


def texts(at: AppTest) -> str:
    """Every markdown and caption text on the page, joined (to look for words)."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])
