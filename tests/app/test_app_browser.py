"""End to end in a real browser: the workbench served on a free localhost port, driven by headless Chromium.

The QA flow runs on a generated twcs export shaped like a real one (unsigned replies, dangling parents,
several brands). Every step checks that no page shows a traceback or an unexpected-error line. Screenshots
of every step go to ``tests/artifacts/`` (git-ignored) for a person to look at; the README's come from here.
"""

from __future__ import annotations

import re

import pytest
import yaml

from app_samples import write_sample
from browser import ARTIFACTS, ROOT, Server, launch_browser
from carebench_app.ui import UNEXPECTED
from twcs_samples import write_twcs

pytestmark = pytest.mark.slow
TIMEOUT = 60_000  # ms; Streamlit's first run of a page imports pandas, the QA module


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
    write_twcs(data / "a_twcs_export.csv", n_threads=60)
    write_sample(data / "sample_replies.csv", n_threads=40)
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump({"data_dir": str(data), "review_db": str(tmp_path / "reviews.sqlite"),
                                    "scenarios_dir": str(ROOT / "scenarios"), "page_size": 20, "leads": ["Lea"]}))
    return path


def expect(locator):
    from playwright.sync_api import expect as playwright_expect  # imported here: the module loads without it

    return playwright_expect(locator)


def clean(page) -> None:
    """No traceback and no unexpected-error line anywhere on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0, "a page shows a traceback"
    assert page.get_by_text(UNEXPECTED).count() == 0, page.get_by_text(UNEXPECTED).first.inner_text()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let Streamlit finish painting
    clean(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run (its status widget says 'Running' meanwhile)."""
    page.wait_for_timeout(250)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=TIMEOUT)


def goto(page, title: str, heading: str | None = None) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=heading or title).first.wait_for(timeout=TIMEOUT)
    wait_idle(page)
    clean(page)


def tick_row(page, row: int, previous: str | None = None) -> str:
    """Click the selection box of a row of the queue's table (a canvas: by position); returns the reply id
    the page says is selected, once it differs from ``previous`` (the selection before the click). The grid
    paints after the page settles, so a click that lands too early is repeated."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=TIMEOUT)
    for _ in range(3):
        page.wait_for_timeout(800)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17 + 35 * row)
        wait_idle(page)
        try:
            page.wait_for_function(
                "prev => { const m = document.body.innerText.match(/Selected: (\\S+)/); return m && m[1] !== prev; }",
                arg=previous or "", timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - the grid was not painted yet: click again
            continue
    return re.search(r"Selected: (\S+)", page.inner_text("body")).group(1)


def open_twcs_export(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Open a reply file").wait_for(timeout=TIMEOUT)
    wait_idle(page)
    page.get_by_role("button", name="Open and score").click()
    page.get_by_text(re.compile(r"a_twcs_export.csv .*brand replies in")).wait_for(timeout=TIMEOUT)
    wait_idle(page)


def set_name(page, name: str) -> None:
    box = page.get_by_label("Your name (reviewer)", exact=True).and_(page.locator("input"))
    box.fill(name)
    box.press("Enter")
    wait_idle(page)


def test_review_flow_on_a_twcs_export_survives_refresh_and_restart(browser, settings_file, tmp_path):
    server = Server(settings_file, tmp_path / "server.log").start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1700})
        open_twcs_export(page, server.url)
        shot(page, "qa-1-opened")
        goto(page, "Overview")
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=TIMEOUT)
        shot(page, "qa-1b-overview")
        goto(page, "Review queue")
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)
        reply = tick_row(page, 0)  # the worst reply of this export is unsigned, as in real ones
        shot(page, "qa-2-queue")
        page.get_by_role("button", name=f"Open reply {reply}").click()
        page.get_by_role("heading", name="Verdicts").wait_for(timeout=TIMEOUT)
        wait_idle(page)
        assert page.get_by_text(reply, exact=True).count() >= 1 or reply in page.inner_text("body")
        assert "brand (unsigned)" in page.inner_text("body") or "no agent signature" in page.inner_text("body")
        set_name(page, "Ana")
        cards = page.locator('[class*="st-key-verdict_"]')
        first = re.search(r"st-key-verdict_(\w+)", cards.first.get_attribute("class")).group(1)
        # the enabled box (a rerun's stale copy, still asking for a name, can linger beside it for a moment)
        comment = page.locator(f".st-key-comment_{first} input[placeholder='comment (optional)']")
        comment.fill("agreed")
        comment.press("Tab")
        page.locator(f".st-key-confirm_{first} button").click()
        page.locator(f".st-key-verdict_{first}").get_by_text("confirmed").wait_for(timeout=TIMEOUT)
        wait_idle(page)
        shot(page, "qa-3-reply")

        page.reload()  # a refresh keeps the file, the reply and the reviewer's name
        page.get_by_role("heading", name="Verdicts").wait_for(timeout=TIMEOUT)
        wait_idle(page)
        assert reply in page.inner_text("body") and "by Ana" in page.inner_text("body")
        expect(page.get_by_label("Your name (reviewer)", exact=True).and_(page.locator("input"))).to_have_value(
            "Ana", timeout=TIMEOUT)
        clean(page)
        page.close()

        server.stop()
        server.start()
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        open_twcs_export(page, server.url)
        goto(page, "Calibration")
        metrics = page.locator('[data-testid="stMetricValue"]')
        metrics.first.wait_for(timeout=TIMEOUT)
        assert metrics.all_inner_texts()[:4] == ["1", "1", "0", "1"]
        assert "Not enough reviews yet" in page.inner_text("body")
        shot(page, "qa-5-calibration")
        page.close()
    finally:
        server.stop()


def grid_rows(page) -> tuple[list[str], list[str]]:
    """The queue table's reply ids in page order, and the ids whose row is ticked, read from the grid's
    accessible table (the canvas draws the same rows)."""
    rows = page.locator('[data-testid="stDataFrame"] table[role="grid"] tr[role="row"]')
    rows.locator("td").first.wait_for(state="attached", timeout=TIMEOUT)
    rows = rows.evaluate_all(
        "rows => rows.filter(r => r.querySelector('td')).map(r => ["
        "r.querySelector('td').innerText, r.getAttribute('aria-selected')])")
    return [rid for rid, _ in rows], [rid for rid, ticked in rows if ticked == "true"]


def turn_page(page, button: str) -> tuple[list[str], list[str]]:
    """Press Previous or Next and let any rerun a stale tick would cause happen before reading the table."""
    before = grid_rows(page)[0]
    page.get_by_role("button", name=button, exact=True).click()
    wait_idle(page)
    page.wait_for_function("ids => { const td = document.querySelector("
                           "'[data-testid=\"stDataFrame\"] table[role=\"grid\"] tr[role=\"row\"] td');"
                           " return td && td.innerText !== ids[0]; }", arg=before, timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    wait_idle(page)
    clean(page)
    return grid_rows(page)


def test_a_ticked_reply_stays_selected_and_ticked_only_on_its_own_page(browser, settings_file, tmp_path):
    """Paging never moves the selection: a tick on one page does not carry to the same row of another page,
    and coming back shows the selected reply ticked."""
    server = Server(settings_file, tmp_path / "server.log").start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1700})
        open_twcs_export(page, server.url)
        goto(page, "Review queue")
        first_ids, _ = grid_rows(page)
        picked = tick_row(page, 2)
        assert picked == first_ids[2] and grid_rows(page)[1] == [picked]
        second_ids, ticked = turn_page(page, "Next")
        assert not set(second_ids) & set(first_ids) and ticked == []
        assert f"Selected: {picked}" in page.inner_text("body")
        picked = tick_row(page, 1, previous=picked)  # a reply of the second page
        assert picked == second_ids[1] and grid_rows(page)[1] == [picked]
        for button, ids_then in (("Next", None), ("Previous", second_ids), ("Previous", first_ids)):
            ids, ticked = turn_page(page, button)
            assert ids_then is None or ids == ids_then
            assert ticked == ([picked] if picked in ids else [])
            assert f"Selected: {picked}" in page.inner_text("body")
        page.close()
    finally:
        server.stop()


def test_planner_results_stay_through_navigation_refresh_and_download(browser, settings_file, tmp_path):
    server = Server(settings_file, tmp_path / "server.log").start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2300})  # tall: the charts in the screenshot
        page.goto(server.url + "/planner")
        page.get_by_role("heading", name="Planner what-ifs").wait_for(timeout=TIMEOUT)
        wait_idle(page)
        for label, value in (("Horizon (days)", "0.5"), ("Warm-up (days)", "0.1"), ("Replications", "2")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Tab")
        page.get_by_role("button", name="Run").click()
        page.get_by_text(re.compile(r"SLA goal .* \*?(met|missed|not clear)")).first.wait_for(timeout=TIMEOUT)
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        charts.nth(2).wait_for(timeout=TIMEOUT)
        assert "Mon 0" in page.inner_text("body") or charts.count() == 3
        shot(page, "planner-2-results")
        with page.expect_download():
            page.get_by_role("button", name="Download results (zip)").click()
        page.wait_for_timeout(500)
        assert page.get_by_text(re.compile(r"SLA goal")).count() >= 1  # a download keeps the results
        goto(page, "Compare scenarios")
        goto(page, "What-ifs", heading="Planner what-ifs")
        page.get_by_text(re.compile(r"SLA goal")).first.wait_for(timeout=TIMEOUT)
        page.reload()
        page.get_by_text(re.compile(r"SLA goal")).first.wait_for(timeout=TIMEOUT)
        expect(page.get_by_label("Horizon (days)", exact=True)).to_have_value("0.50", timeout=TIMEOUT)
        clean(page)

        goto(page, "Compare scenarios")
        page.get_by_label("Overrides, one per line (as `--set`)").nth(1).fill("staffing.agents=11")
        page.get_by_label("Overrides, one per line (as `--set`)").nth(1).press("Control+Enter")
        for label, value in (("Replications", "2"), ("Horizon for both (days, 0 = as in each file)", "0.6")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Compare").click()
        page.get_by_role("heading", name=re.compile("paired replications")).wait_for(timeout=TIMEOUT)
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=TIMEOUT)
        shot(page, "planner-4-compare")
        with page.expect_download():
            page.get_by_role("button", name="Download the comparison (CSV)").click()
        page.wait_for_timeout(500)
        assert page.get_by_role("heading", name=re.compile("paired replications")).count() == 1
        page.close()
    finally:
        server.stop()
