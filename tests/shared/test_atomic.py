"""Atomic outputs: a destination is the old complete run or the new complete one, never a mix."""

from __future__ import annotations

import pytest

from carebench_shared.atomic import MARKER, OutputError, atomic_dir, atomic_file


def test_new_folder_appears_complete_with_marker(tmp_path):
    out = tmp_path / "run"
    with atomic_dir(out) as tmp:
        (tmp / "summary.csv").write_text("a\n1\n")
        assert not out.exists()  # nothing visible until the run is complete
    assert (out / "summary.csv").read_text() == "a\n1\n"
    assert (out / MARKER).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no temporaries left


def test_interrupted_run_keeps_the_old_run_untouched(tmp_path):
    out = tmp_path / "run"
    with atomic_dir(out) as tmp:
        (tmp / "summary.csv").write_text("old")
        (tmp / "plot.png").write_text("old plot")
    with pytest.raises(KeyboardInterrupt):
        with atomic_dir(out) as tmp:
            (tmp / "summary.csv").write_text("new")
            raise KeyboardInterrupt
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "summary.csv", "plot.png"])
    assert (out / "summary.csv").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_rerun_replaces_every_file_of_the_old_run(tmp_path):
    out = tmp_path / "run"
    with atomic_dir(out) as tmp:
        (tmp / "old_only.csv").write_text("x")
    with atomic_dir(out) as tmp:
        (tmp / "summary.csv").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "summary.csv"])


def test_refuses_a_file_or_a_foreign_folder(tmp_path):
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        with atomic_dir(tmp_path / "a_file"):
            pass
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="not a carebench results folder"):
        with atomic_dir(foreign):
            pass
    assert (foreign / "thesis.tex").read_text() == "precious"


@pytest.mark.parametrize("name", ["a\nfile", "a\x1b[2Jfile"])
def test_refusal_names_a_hostile_path_on_one_printable_line(tmp_path, name):
    (tmp_path / name).write_text("x")
    (tmp_path / (name + "-dir")).mkdir()
    (tmp_path / (name + "-dir") / "thesis.tex").write_text("precious")
    for out in (tmp_path / name, tmp_path / (name + "-dir")):
        with pytest.raises(OutputError) as err:
            with atomic_dir(out):
                pass
        assert str(err.value).isprintable()  # the control characters escaped, not echoed
        assert "\\x" in str(err.value)


def test_atomic_file_replaces_only_on_success(tmp_path):
    path = tmp_path / "scores.csv"
    with atomic_file(path, encoding="utf-8") as f:
        f.write("complete\n")
    with pytest.raises(RuntimeError):
        with atomic_file(path, encoding="utf-8") as f:
            f.write("half")
            raise RuntimeError("disk full")
    assert path.read_text() == "complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]
