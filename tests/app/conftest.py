"""Fixtures of the workbench tests: a private settings file, data folder and review database per test, and the
QA API (the real ``qa.api`` when installed; the contract's stand-in otherwise)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from app_samples import write_sample

ROOT = Path(__file__).resolve().parents[2]


def _ensure_qa_api() -> None:
    try:
        import qa.api  # noqa: F401
    except ImportError:
        import qa

        import fake_qa_api

        mod = fake_qa_api.as_module()
        sys.modules["qa.api"] = mod
        qa.api = mod  # type: ignore[attr-defined]


@pytest.fixture
def workbench(tmp_path, monkeypatch):
    """A settings file pointing at a temp data folder (with one sample reply file) and review database."""
    _ensure_qa_api()
    data = tmp_path / "data"
    data.mkdir()
    write_sample(data / "sample_replies.csv")
    settings = {"data_dir": str(data), "review_db": str(tmp_path / "reviews.sqlite"),
                "scenarios_dir": str(ROOT / "scenarios"), "max_upload_mb": 5, "page_size": 10}
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    monkeypatch.setenv("CAREBENCH_APP_SETTINGS", str(path))
    monkeypatch.chdir(ROOT)
    return tmp_path
