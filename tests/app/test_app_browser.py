"""End to end in a real browser: the workbench served on a free localhost port, driven by headless Chromium.

Screenshots of every step go to ``tests/artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re

import pytest
import yaml

from app_samples import write_sample
from browser import ARTIFACTS, ROOT, Server, launch_browser

pytestmark = pytest.mark.slow
TIMEOUT = 60_000  # ms; Streamlit's first run of a page imports pandas, matplotlib, the QA module


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        from browser import unavailable

        unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def settings_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_sample(data / "sample_replies.csv", n_threads=40)
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump({"data_dir": str(data), "review_db": str(tmp_path / "reviews.sqlite"),
                                    "scenarios_dir": str(ROOT / "scenarios"), "page_size": 20}))
    return path


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let Streamlit finish painting
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run (its status widget says 'Running' meanwhile)."""
    page.wait_for_timeout(200)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=TIMEOUT)


def goto(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=TIMEOUT)
    wait_idle(page)


def open_sample_and_worst_reply(page, url: str, step: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Open a reply file").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    page.get_by_role("button", name="Open and score").click()
    page.get_by_text(re.compile(r"brand replies in")).wait_for(timeout=TIMEOUT)
    shot(page, f"{step}-1-opened")
    if step == "qa":
        goto(page, "Overview")
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=TIMEOUT)
        shot(page, f"{step}-1b-overview")
    goto(page, "Review queue")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)
    shot(page, f"{step}-2-queue")
    page.get_by_role("button", name="Open reply").click()
    page.get_by_role("heading", name="Verdicts").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    shot(page, f"{step}-3-worst-reply")


def check_of(page, kind: str, index: int) -> str:
    cls = page.locator(f'[class*="st-key-{kind}_"]').nth(index).get_attribute("class")
    return re.search(rf"st-key-{kind}_(\w+)", cls).group(1)


def test_review_flow_survives_restart(browser, settings_file, tmp_path):
    server = Server(settings_file, tmp_path / "server.log").start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        open_sample_and_worst_reply(page, server.url, "qa")
        confirmed, disputed = check_of(page, "confirm", 0), check_of(page, "dispute", 1)
        assert confirmed != disputed
        page.locator(f".st-key-comment_{confirmed} input").fill("agreed, off policy")
        page.locator(f".st-key-confirm_{confirmed} button").click()
        page.locator(f".st-key-verdict_{confirmed}").get_by_text("confirmed").wait_for(timeout=TIMEOUT)
        wait_idle(page)
        page.locator(f".st-key-dispute_{disputed} button").click()
        page.locator(f".st-key-verdict_{disputed}").get_by_text("disputed").wait_for(timeout=TIMEOUT)
        shot(page, "qa-4-reviewed")
        page.close()

        server.stop()
        server.start()
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        open_sample_and_worst_reply(page, server.url, "qa-after-restart")
        page.locator(f".st-key-verdict_{confirmed}").get_by_text("confirmed").wait_for(timeout=TIMEOUT)
        page.locator(f".st-key-verdict_{disputed}").get_by_text("disputed").wait_for(timeout=TIMEOUT)
        assert "agreed, off policy" in page.locator(f".st-key-verdict_{confirmed}").inner_text()
        goto(page, "Calibration")
        metrics = page.locator('[data-testid="stMetricValue"]')
        metrics.first.wait_for(timeout=TIMEOUT)
        assert metrics.all_inner_texts()[:3] == ["2", "1", "1"]
        shot(page, "qa-5-calibration")
        page.close()
    finally:
        server.stop()


def test_planner_runs_baseline_on_short_horizon(browser, settings_file, tmp_path):
    server = Server(settings_file, tmp_path / "server.log").start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(server.url + "/planner")
        page.get_by_role("heading", name="Planner what-ifs").wait_for(timeout=TIMEOUT)
        wait_idle(page)
        for label, value in (("Horizon (days)", "0.5"), ("Warm-up (days)", "0.1"), ("Replications", "2")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Tab")
        shot(page, "planner-1-form")
        page.get_by_role("button", name="Run").click()
        page.get_by_text(re.compile(r"SLA goal .* (met|missed)")).wait_for(timeout=TIMEOUT)
        assert "2 replications" in page.get_by_role("heading", name=re.compile("replications")).inner_text()
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)
        images = page.locator('[data-testid="stImage"] img')
        images.first.wait_for(timeout=TIMEOUT)
        assert images.count() == 3
        assert page.evaluate("img => img.naturalWidth", images.first.element_handle()) > 500
        shot(page, "planner-2-results")
        images.first.scroll_into_view_if_needed()
        shot(page, "planner-3-plot")

        goto(page, "Compare scenarios")
        page.get_by_label("Overrides, one per line (as `--set`)").nth(1).fill("staffing.agents=11")
        for label, value in (("Replications", "3"), ("Horizon for both (days, 0 = as in each file)", "0.5")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Compare").click()
        page.get_by_role("heading", name=re.compile("paired replications")).wait_for(timeout=TIMEOUT)
        page.locator('[data-testid="stImage"] img').first.wait_for(timeout=TIMEOUT)
        shot(page, "planner-4-compare")
        page.close()
    finally:
        server.stop()
