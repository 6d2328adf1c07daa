"""The workbench's files under hostile use: private uploads removed with their session and server, upload names
that try to leave the folder, and data/database paths confined to the folders named at start-up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from carebench_app import uploads
from carebench_app.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.parametrize("name,expected", [
    ("replies.csv", "replies.csv"), ("..", "upload"), (".", "upload"), ("", "upload"), ("...", "upload"),
    ("../../etc/passwd", "passwd"), ("..\\..\\evil.csv", "evil.csv"), ("/abs/x.jsonl", "x.jsonl"),
    (".csv", "upload.csv"), ("a\x1b[2J\nb.csv", "a[2Jb.csv"), ("x" * 400 + ".parquet", "x" * 140 + ".parquet"),
])
def test_upload_names_stay_in_the_folder_and_keep_their_suffix(name, expected):
    safe = uploads.safe_upload_name(name)
    assert safe == expected
    assert "/" not in safe and "\\" not in safe and safe not in (".", "..")


def test_uploads_are_private_and_never_overwrite_each_other():
    a = uploads.stage("..", b"message_id\n1\n", "a" * 64)
    b = uploads.stage("../..", b"message_id\n2\n", "b" * 64)
    root = uploads.upload_root()
    for p in (a, b):
        assert p.resolve().is_relative_to(root.resolve()) and uploads.is_staged(p)
        assert mode(p) == 0o600 and mode(p.parent) == 0o700
    assert mode(root) == 0o700 and a != b and a.read_bytes() != b.read_bytes()
    assert not uploads.is_staged(CORPUS / "replies" / "own_valid.csv")


SESSION_SCRIPT = """
import streamlit as st
from carebench_app import uploads
st.session_state["staged"] = str(uploads.stage("..", b"message_id\\n1\\n", "c" * 64))
"""


def test_a_sessions_uploads_go_when_the_session_is_released():
    """Streamlit releases a session's resources when the session disconnects (on_release of a session-scoped
    cache_resource); clearing the cache releases them the same way."""
    import streamlit as st

    at = AppTest.from_string(SESSION_SCRIPT).run()
    assert not at.exception, at.exception
    staged = Path(at.session_state["staged"])
    assert staged.is_file() and staged.name == "upload" and "session-" in str(staged)
    st.cache_resource.clear()  # what a disconnect does to the session's entries
    assert not staged.exists() and not staged.parent.parent.exists()


def test_the_upload_folder_goes_with_the_server_and_stale_ones_are_swept(tmp_path):
    code = ("from carebench_app import uploads; p = uploads.stage('x.csv', b'1', 'd' * 64); "
            "print(uploads.upload_root())")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    root = Path(proc.stdout.strip())
    assert root.name.startswith("carebench-uploads-") and not root.exists()  # removed at exit
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = root.parent / f"carebench-uploads-{dead.stdout.strip()}-left"
    (stale / "session-x").mkdir(parents=True)
    (stale / "session-x" / "replies.csv").write_text("personal data")
    subprocess.run([sys.executable, "-c", "from carebench_app import uploads; uploads.upload_root()"], check=True,
                   cwd=ROOT)
    assert not stale.exists()


def write_settings(path: Path, **fields) -> Path:
    path.write_text(yaml.safe_dump(fields), encoding="utf-8")
    return path


def test_settings_outside_the_start_up_folders_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    monkeypatch.delenv(uploads.ROOTS_VAR, raising=False)
    ok = write_settings(tmp_path / "app.yaml", data_dir="data", review_db="reviews.sqlite")
    assert load_settings(ok).data_dir == "data"
    for field, value in (("data_dir", "/etc"), ("review_db", "../../x.sqlite"), ("scenarios_dir", "/"),
                         ("data_dir", "data/../../..")):
        bad = write_settings(tmp_path / "bad.yaml", **{field: value})
        with pytest.raises(SettingsError, match=f"{field}: .* is outside the folders"):
            load_settings(bad)
    monkeypatch.setenv(uploads.ROOTS_VAR, os.pathsep.join([str(tmp_path), "/etc"]))  # carebench app --allow-dir
    assert load_settings(write_settings(tmp_path / "etc.yaml", data_dir="/etc")).data_dir == "/etc"


def test_settings_naming_a_symlink_loop_are_read_not_a_traceback(tmp_path, monkeypatch):
    """Path.resolve() raised RuntimeError on a loop (Python 3.11): a traceback at `carebench app` start-up."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(uploads.ROOTS_VAR, raising=False)
    os.symlink("loop.b", tmp_path / "loop.a")
    os.symlink("loop.a", tmp_path / "loop.b")
    assert load_settings(write_settings(tmp_path / "app.yaml", data_dir="loop.a")).data_dir == "loop.a"
    escape = tmp_path / "sub"
    escape.mkdir()
    os.symlink("/etc", escape / "etc")  # a link that leaves the folders is still outside them
    with pytest.raises(SettingsError, match="data_dir: sub/etc is outside the folders"):
        load_settings(write_settings(tmp_path / "bad.yaml", data_dir="sub/etc"))
    assert uploads.is_staged(tmp_path / "loop.a") is False


def test_the_settings_page_cannot_point_the_server_elsewhere(tmp_path, monkeypatch):
    settings = write_settings(tmp_path / "app.yaml", data_dir=str(tmp_path), review_db=str(tmp_path / "r.sqlite"),
                              scenarios_dir=str(ROOT / "scenarios"))
    monkeypatch.setenv("CAREBENCH_APP_SETTINGS", str(settings))
    monkeypatch.setenv(uploads.ROOTS_VAR, os.pathsep.join([str(tmp_path), str(ROOT)]))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("carebench_app/views/settings_page.py").run()
    at.text_input[0].set_value("/etc")
    at.button(key="FormSubmitter:settings_form-Save").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] and "data_dir: /etc is outside" in at.error[0].value
    assert load_settings(settings).data_dir == str(tmp_path)  # not saved


@pytest.mark.parametrize("name,says", [("date_invalid.yaml", ":1: '2026-13-45' is not a valid date or time"),
                                       ("bool_tag_junk.yaml", ":5: 'maybe' is not a valid boolean"),
                                       ("float_tag_empty.yaml", ":3: '' is not a valid number")])
def test_an_uploaded_scenario_that_pyyaml_cannot_construct_is_one_line_naming_the_upload(name, says):
    """The planner's upload catches ConfigError only: a ValueError from PyYAML's date constructor was a
    Streamlit exception on the page."""
    from carebench_app.planner_service import load_uploaded
    from sim.loader import ConfigError

    with pytest.raises(ConfigError) as err:
        load_uploaded("upload.yaml", (CORPUS / "scenarios" / name).read_bytes())
    assert str(err.value).startswith(f"upload.yaml{says}") and "\n" not in str(err.value)


@pytest.mark.parametrize("name,shown", [("", "upload"), (".", "upload"), ("..", "upload"), ("/", "upload"),
                                        ("x\x00.yaml", "x.yaml"), ("x" * 300 + ".yaml", "x" * 140 + ".yaml"),
                                        ("../../etc/s.yaml", "s.yaml")])
def test_an_uploaded_scenario_under_any_name_is_read_or_one_line(name, shown):
    """The browser names the upload: '', '.', '..', a NUL or 300 characters made the planner write the bytes to
    the temporary folder itself (IsADirectoryError), its parent, or a name the system refuses (a Streamlit
    exception on the page, 2026-12-08)."""
    from carebench_app.planner_service import load_uploaded
    from sim.loader import ConfigError

    assert load_uploaded(name, (CORPUS / "scenarios" / "valid_small.yaml").read_bytes()).name == "small"
    with pytest.raises(ConfigError) as err:
        load_uploaded(name, (CORPUS / "scenarios" / "utf16_bom.yaml").read_bytes())
    assert str(err.value) == f"{shown}: the file is UTF-16 text; save it as UTF-8"
