"""Speed of the workbench on a 100,000-reply file: open and score it, show the first page of the review queue
(scoring included, then from the cache), and change the queue's page.

Three layers, each timed on the same generated file (own schema, 100,000 threads of a customer post and a brand
reply; never real data):

- services: the functions the pages call (digest, ``qa.api.score_file``, sort, filter, one page);
- AppTest: the real pages run by Streamlit's test runner in this process (script run plus element serialisation);
- browser: ``carebench app`` on a free 127.0.0.1 port driven by headless Chromium, from click to rows on screen
  (skipped when ``/usr/bin/chromium`` or Playwright is missing).

Run by hand: ``.venv/bin/python benchmarks/bench_app.py [--replies N] [--no-browser]``; copy the figures into
the README.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "app")]

from app_samples import write_sample  # noqa: E402


def timed(label: str, fn, results: list):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    results.append((label, dt))
    print(f"  {label:<58} {dt:8.2f} s", flush=True)
    return out


def bench_services(path: Path, results: list) -> None:
    from carebench_app import qa_service as qs
    from carebench_app.cache import StringCache

    cache = StringCache()
    print("services (the functions the pages call)")

    def open_first_page():
        opened = qs.OpenedFile(path.name, str(path), qs.path_digest(path))
        view = qs.score(opened, cache)
        return opened, view, qs.page_of(qs.filter_queue(view, qs.Filters()), 1, 50)

    opened, view, _ = timed("open + score + first queue page (cold)", open_first_page, results)
    timed("open + first queue page (from cache, file digest included)", open_first_page, results)
    timed("page change (page 2 of the unfiltered queue)",
          lambda: qs.page_of(qs.filter_queue(view, qs.Filters()), 2, 50), results)
    timed("filter (one agent, one check) + first page",
          lambda: qs.page_of(qs.filter_queue(view, qs.Filters(agents=(view.options["agent"][0],),
                                                              checks=("deflection",))), 1, 50), results)
    print(f"  ({len(view.scores):,} replies scored)")


def bench_apptest(settings: Path, results: list) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["CAREBENCH_APP_SETTINGS"] = str(settings)
    print("AppTest (the real pages, in process)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()
    at.switch_page("carebench_app/views/qa_open.py").run()
    timed("Open page: open and score (cold)", lambda: at.button(key="open_button").click().run(), results)
    timed("Review queue page, first page (from cache)",
          lambda: at.switch_page("carebench_app/views/qa_queue.py").run(), results)
    assert not at.exception, at.exception
    timed("Review queue: Next page", lambda: at.button(key="queue_next").click().run(), results)
    assert at.number_input(key="queue_page").value == 2
    timed("Reply in context: open a reply from the queue",
          lambda: at.button(key="open_reply").click().run(), results)
    assert [t.value for t in at.title] == ["Reply in context"], at.exception


def bench_browser(settings: Path, results: list) -> None:
    try:
        from playwright.sync_api import sync_playwright

        from browser import CHROMIUM, CHROMIUM_ARGS, Server
    except ImportError as exc:
        print(f"browser: skipped ({exc})")
        return
    if not Path(CHROMIUM).exists():
        print(f"browser: skipped ({CHROMIUM} missing)")
        return
    print("browser (carebench app on 127.0.0.1, headless Chromium; click to rows on screen)")
    server = Server(settings, settings.parent / "server.log").start()
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url)
            page.get_by_role("button", name="Open and score").wait_for(timeout=120_000)

            def open_and_first_page(label):
                def go():
                    page.get_by_role("button", name="Open and score").click()
                    page.get_by_text(re.compile("brand replies in")).wait_for(timeout=900_000)
                    page.locator('[data-testid="stSidebarNav"]').get_by_text("Review queue", exact=True).click()
                    page.get_by_text(re.compile(r"page 1 of")).wait_for(timeout=120_000)
                    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)
                timed(label, go, results)

            open_and_first_page("open + score + first queue page (cold)")
            page.locator('[data-testid="stSidebarNav"]').get_by_text("Open a reply file", exact=True).click()
            page.get_by_role("button", name="Open and score").wait_for(timeout=120_000)
            open_and_first_page("open + first queue page (from cache)")

            def next_page():
                page.get_by_role("button", name="Next").click()
                page.get_by_text(re.compile(r"page 2 of")).wait_for(timeout=120_000)
            timed("page change (Next)", next_page, results)
            b.close()
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="carebench-bench-app-"))
    data = tmp / "data"
    data.mkdir()
    path = write_sample(data / f"replies_{args.replies}.csv", n_threads=args.replies, broken_row=False)
    settings = tmp / "app.yaml"
    settings.write_text(yaml.safe_dump({"data_dir": str(data), "review_db": str(tmp / "reviews.sqlite"),
                                        "scenarios_dir": str(ROOT / "scenarios"), "page_size": 50}))
    print(f"{args.replies:,} replies ({path.stat().st_size / 1e6:.1f} MB CSV), scored by qa.api; "
          f"{os.cpu_count()} cores")
    results: list = []
    bench_services(path, results)
    bench_apptest(settings, results)
    if not args.no_browser:
        bench_browser(settings, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
