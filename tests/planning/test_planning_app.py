"""The app's staffing page through Streamlit's AppTest on the real navigation: target in, requirement out, a
roster solved and simulated; a bad shifts file refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    settings = {"data_dir": str(tmp_path), "review_db": str(tmp_path / "reviews.sqlite"),
                "scenarios_dir": str(ROOT / "scenarios"), "max_upload_mb": 5, "page_size": 10}
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    monkeypatch.setenv("CAREBENCH_APP_SETTINGS", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    at.switch_page("carebench_app/views/planner_staffing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_target_in_requirement_and_roster_out(app):
    at = app
    at.number_input(key="staff_horizon").set_value(0.5)
    at.number_input(key="staff_warmup").set_value(0.1)
    at.number_input(key="staff_reps").set_value(2)
    at.button(key="FormSubmitter:staff_form-Find the requirement").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Staffing requirement for baseline" in t.value for t in at.text)
    assert len(at.get("vega_lite_chart")) >= 1
    at.button(key="staff_roster_btn").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("paid hours a week" in t.value for t in at.text), [t.value for t in at.text]
    at.button(key="staff_simulate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("simulated (8 replications)" in t.value for t in at.text), [t.value for t in at.text]


def test_bad_shifts_are_one_line(app):
    at = app
    at.number_input(key="staff_horizon").set_value(0.25)
    at.number_input(key="staff_warmup").set_value(0.0)
    at.number_input(key="staff_reps").set_value(2)
    at.selectbox(key="staff_interval").set_value(60)
    at.button(key="FormSubmitter:staff_form-Find the requirement").click().run()
    at.text_area(key="staff_shifts").set_value("shifts:\n  - name: a\n    lengths: ['8:00']\n    colour: red\n")
    at.button(key="staff_roster_btn").click().run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith("shifts.yaml:"), [e.value for e in at.error]
    assert "\n" not in at.error[0].value
