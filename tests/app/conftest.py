"""Fixtures of the workbench tests: a private settings file, data folder and review database per test.

Data folders hold generated files only: the own-schema sample, a twcs file shaped like a real export, and the
awkward files real users open (one reply, a header and nothing else, a twcs header over garbage, no bytes).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from app_samples import sample_frame, write_sample
from twcs_samples import TWCS_HEADER, write_twcs, write_twcs_garbage

ROOT = Path(__file__).resolve().parents[2]


def write_one_reply(path: Path) -> Path:
    sample_frame(1).to_csv(path, index=False)
    return path


def write_header_only(path: Path) -> Path:
    pd.DataFrame(columns=sample_frame(1).columns).to_csv(path, index=False)
    return path


def write_twcs_header_only(path: Path) -> Path:
    path.write_text(",".join(TWCS_HEADER) + "\n", encoding="utf-8")
    return path


WRITERS = {
    "own": lambda folder: write_sample(folder / "sample_replies.csv"),
    "twcs": lambda folder: write_twcs(folder / "twcs_export.csv", n_threads=60),
    "one_reply": lambda folder: write_one_reply(folder / "one_reply.csv"),
    "header_only": lambda folder: write_header_only(folder / "header_only.csv"),
    "twcs_header_only": lambda folder: write_twcs_header_only(folder / "twcs_header_only.csv"),
    "twcs_garbage": lambda folder: write_twcs_garbage(folder / "twcs_garbage.csv"),
}


def make_workbench(tmp_path: Path, monkeypatch, kind: str = "own", **settings) -> Path:
    """A settings file pointing at a temp data folder holding one file of ``kind``, and a temp review DB."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    WRITERS[kind](data)
    write_settings(tmp_path, monkeypatch, data, **settings)
    return tmp_path


def write_settings(tmp_path: Path, monkeypatch, data: Path, **settings) -> None:
    """The app's settings file in ``tmp_path`` (data folder ``data``, a temp review DB), in use for this test."""
    values = {"data_dir": str(data), "review_db": str(tmp_path / "reviews.sqlite"),
              "scenarios_dir": str(ROOT / "scenarios"), "max_upload_mb": 5, "page_size": 10, **settings}
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    monkeypatch.setenv("CAREBENCH_APP_SETTINGS", str(path))
    monkeypatch.chdir(ROOT)


@pytest.fixture
def workbench(tmp_path, monkeypatch):
    """The own-schema sample (24 threads and one broken row), leads Lea."""
    return make_workbench(tmp_path, monkeypatch, "own", leads=["Lea"])


@pytest.fixture
def twcs_workbench(tmp_path, monkeypatch):
    """A twcs export: unsigned replies, dangling parents, five brands."""
    return make_workbench(tmp_path, monkeypatch, "twcs", leads=["Lea"])
