"""Speed of the workbench on a 100,000-reply file: open and score it, show the first page of the review queue
(scoring included, then from the cache), change the queue's page, filter it, open a reply and step to the next.

Three layers, each timed on the same generated file (own schema, 100,000 threads of a customer post and a brand
reply; never real data), or on a file given with ``--file`` (a real export, read at run time):

- services: the functions the pages call (digest, ``qa.api.score_file``, sort, filter, one page);
- AppTest: the real pages run by Streamlit's test runner (script run plus element serialisation);
- browser: ``carebench app`` on a free 127.0.0.1 port driven by headless Chromium, from click to rows on screen
  (skipped when ``/usr/bin/chromium`` or Playwright is missing).

``--baseline ROOT`` times another checkout (e.g. ``/work/main``) side by side: each code tree runs in its own
process (``PYTHONPATH=ROOT``) on the same file, alternating, and the table shows both and their ratio, so a
busy machine slows both alike.

Run by hand: ``.venv/bin/python benchmarks/bench_app.py [--replies N] [--file PATH] [--no-browser]
[--baseline ROOT] [--rounds R]``; copy the figures into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def timed(label: str, fn, results: dict):
    t0 = time.perf_counter()
    out = fn()
    results[label] = time.perf_counter() - t0
    print(f"  {label:<58} {results[label]:8.2f} s", file=sys.stderr, flush=True)
    return out


def bench_services(path: Path, results: dict) -> None:
    from carebench_app import qa_service as qs
    from carebench_app.cache import StringCache

    cache = StringCache()

    def open_first_page():
        opened = qs.OpenedFile(path.name, str(path), qs.path_digest(path))
        view = qs.score(opened, cache)
        return opened, view, qs.page_of(qs.filter_queue(view, qs.Filters()), 1, 50)

    _, view, _ = timed("services: open + score + first queue page (cold)", open_first_page, results)
    # the cold open split: the QA module's scoring (``qa.api.score_file``) and the app's own work around it
    # (file digest, queue preparation, keeping the result out of the garbage collector's passes)
    results["services: of which qa.api.score_file"] = view.seconds
    results["services: of which the app's own preparation"] = (
        results["services: open + score + first queue page (cold)"] - view.seconds)
    timed("services: open + first queue page (cached)", open_first_page, results)
    timed("services: page change", lambda: qs.page_of(qs.filter_queue(view, qs.Filters()), 2, 50), results)
    agent = (view.options.get("agent") or [""])[0]
    timed("services: filter (one agent, one check) + first page",
          lambda: qs.page_of(qs.filter_queue(view, qs.Filters(agents=(agent,), checks=("deflection",))), 1, 50),
          results)


def bench_apptest(root: Path, settings: Path, results: dict) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["CAREBENCH_APP_SETTINGS"] = str(settings)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=900).run()
    at.switch_page("carebench_app/views/qa_open.py").run()
    timed("AppTest: Open page, open and score (cold)", lambda: at.button(key="open_button").click().run(), results)
    timed("AppTest: Review queue, first page (cached)",
          lambda: at.switch_page("carebench_app/views/qa_queue.py").run(), results)
    assert not at.exception, at.exception
    timed("AppTest: Review queue, Next page", lambda: at.button(key="queue_next").click().run(), results)
    assert at.number_input(key="queue_page").value == 2
    timed("AppTest: Review queue, filter by one check",
          lambda: at.multiselect(key="f_check").set_value(["deflection"]).run(), results)
    table = at.dataframe[0]
    at.session_state[table.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}  # tick the first row
    at.run()
    timed("AppTest: Reply in context, open from the queue", lambda: at.button(key="open_reply").click().run(),
          results)
    assert [t.value for t in at.title] == ["Reply in context"], at.exception
    at.switch_page("carebench_app/views/qa_reply.py")
    timed("AppTest: Reply in context, Next reply", lambda: at.button(key="reply_next").click().run(), results)
    assert not at.exception, at.exception


def bench_browser(settings: Path, results: dict) -> None:
    try:
        from playwright.sync_api import sync_playwright

        from browser import CHROMIUM, CHROMIUM_ARGS, Server
    except ImportError as exc:
        print(f"browser: skipped ({exc})", file=sys.stderr)
        return
    if not Path(CHROMIUM).exists():
        print(f"browser: skipped ({CHROMIUM} missing)", file=sys.stderr)
        return
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

            open_and_first_page("browser: open + score + first queue page (cold)")
            page.locator('[data-testid="stSidebarNav"]').get_by_text("Open a reply file", exact=True).click()
            page.get_by_role("button", name="Open and score").wait_for(timeout=120_000)
            open_and_first_page("browser: open + first queue page (cached)")

            clicks = []
            for to in range(2, 14):  # the median of 12 clicks: one click is at the mercy of a busy machine
                t0 = time.perf_counter()
                page.get_by_role("button", name="Next", exact=True).click()
                page.get_by_text(re.compile(rf"page {to} of")).wait_for(timeout=120_000)
                clicks.append(time.perf_counter() - t0)
                time.sleep(0.5)  # let the run finish (the table after the page line) before the next click
            results["browser: page change (Next, median of 12)"] = statistics.median(clicks)
            print(f"  {'browser: page change (Next, median of 12)':<58} {statistics.median(clicks):8.2f} s "
                  f"({', '.join(f'{c:.2f}' for c in clicks)})", file=sys.stderr, flush=True)
            b.close()
    finally:
        server.stop()


def worker(root: Path, path: Path, settings: Path, browser: bool) -> dict:
    """Every measurement on the code under ``root`` (run in a process of its own)."""
    results: dict = {}
    bench_services(path, results)
    bench_apptest(root, settings, results)
    if browser:
        bench_browser(settings, results)
    return results


def _spawn(root: Path, path: Path, settings: Path, browser: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "tests" / "app")])}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(root), "--file", str(path),
           "--settings", str(settings)] + ([] if browser else ["--no-browser"])
    print(f"-- {root}", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, env=env, cwd=root, stdout=subprocess.PIPE, check=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--file", type=Path, help="time this reply file instead of a generated one")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another checkout to time side by side (e.g. /work/main)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs per code tree (median shown)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--settings", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.file, args.settings, not args.no_browser)))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="carebench-bench-app-"))
    data = tmp / "data"
    data.mkdir()
    if args.file:
        path = data / args.file.name
        path.write_bytes(args.file.read_bytes())
    else:
        sys.path.insert(0, str(ROOT / "tests" / "app"))
        from app_samples import write_sample

        path = write_sample(data / f"replies_{args.replies}.csv", n_threads=args.replies, broken_row=False)
    scenarios = shutil.copytree(ROOT / "scenarios", tmp / "scenarios")  # inside the folders every tree allows
    settings = tmp / "app.yaml"
    settings.write_text(yaml.safe_dump({"data_dir": str(data), "review_db": str(tmp / "reviews.sqlite"),
                                        "scenarios_dir": str(scenarios), "page_size": 50}))
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} cores", file=sys.stderr)
    trees = [("this branch", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    runs: dict[str, list[dict]] = {name: [] for name, _ in trees}
    try:
        for r in range(args.rounds):
            for name, root in (trees if r % 2 == 0 else trees[::-1]):
                runs[name].append(_spawn(root, path, settings, not args.no_browser))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the generated file and the reviews of the run
    labels = list(dict.fromkeys(k for rs in runs.values() for res in rs for k in res))
    head = f"{'step':<58}" + "".join(f"{name:>14}" for name, _ in trees) + ("   ratio" if args.baseline else "")
    print(head)
    for label in labels:
        med = {name: statistics.median(res[label] for res in rs if label in res) if any(label in res for res in rs)
               else float("nan") for name, rs in runs.items()}
        line = f"{label:<58}" + "".join(f"{med[name]:13.2f}s" for name, _ in trees)
        if args.baseline:
            base = med["baseline"]
            line += f"   {med['this branch'] / base:5.2f}" if base == base and base > 0 else "       -"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
