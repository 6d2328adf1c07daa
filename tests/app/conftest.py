"""Fixtures of the workbench tests: a private settings file, data folder and review database per test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app_samples import write_sample

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workbench(tmp_path, monkeypatch):
    """A settings file pointing at a temp data folder (with one sample reply file) and review database."""
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
