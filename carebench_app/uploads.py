"""Where the workbench may keep and read files: a private folder for uploads, and the folders named at start-up.

Uploaded reply files hold customers' personal data. They are staged in a folder only this user can open
(``0700``, files ``0600``), one sub-folder per browser session, deleted when the session disconnects
(a session-scoped ``st.cache_resource`` with ``on_release``) and the whole folder when the server exits
(``atexit``); folders left by a server that was killed are swept at the next start. An upload's name is the
browser's to choose, so only its last component is used, made safe (``..``, path separators, control
characters).

The data folder, review database and scenarios folder come from the settings file, which the Settings page
writes. Once ``--host`` exposes the app, that page must not point the server at any folder on the disk: every
such path must lie inside a folder named when the server started (``carebench app --allow-dir``, the working
folder and the settings file's folder), passed to the server in ``$CAREBENCH_APP_ROOTS``.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from carebench_shared.atomic import real_path
from carebench_shared.safe_text import printable

__all__ = ["ROOTS_VAR", "allowed_roots", "outside_roots", "safe_upload_name", "stage", "is_staged",
           "upload_root", "remove_session_folder"]

ROOTS_VAR = "CAREBENCH_APP_ROOTS"
_PREFIX = "carebench-uploads-"
_lock = threading.Lock()
_root: Path | None = None


# ---------------------------------------------------------------------------------------------------- roots


def allowed_roots(settings_file: str | Path | None = None) -> list[Path]:
    """The folders the app may read and write in: ``$CAREBENCH_APP_ROOTS`` (set by ``carebench app``), or the
    working folder and the settings file's folder."""
    env = os.environ.get(ROOTS_VAR)
    if env:
        return [real_path(p) for p in env.split(os.pathsep) if p]
    roots = [real_path(Path.cwd())]
    if settings_file is not None:
        roots.append(real_path(Path(settings_file).expanduser()).parent)
    return roots


def outside_roots(settings, settings_file: str | Path | None = None, roots: list[Path] | None = None) -> str | None:
    """The one-line reason ``settings`` names a path outside the allowed folders (``roots``, by default
    :func:`allowed_roots`), or None when all are inside."""
    roots = [real_path(r) for r in roots] if roots is not None else allowed_roots(settings_file)
    for field in ("data_dir", "review_db", "scenarios_dir"):
        value = getattr(settings, field, None)
        if value is None:
            continue
        path = real_path(Path(value).expanduser())
        if not any(path == r or path.is_relative_to(r) for r in roots):
            shown = ", ".join(printable(r, 80) for r in roots)
            return (f"{field}: {printable(value, 120)} is outside the folders this workbench may use ({shown}); "
                    "start it with `carebench app --allow-dir FOLDER` to add one")
    return None


# -------------------------------------------------------------------------------------------------- uploads


def safe_upload_name(name: str) -> str:
    """The last component of an uploaded file's name, safe to create in the upload folder: no separators, no
    control characters, never ``.``/``..`` or hidden; the suffix (which tells the readers the format) is kept."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if not base.strip("."):
        return "upload"
    if base.startswith("."):
        base = "upload" + base
    if len(base) > 150:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: 140] + dot + suffix[:9]) if dot and len(suffix) < 10 else base[:150]
    return base


def upload_root() -> Path:
    """This server's private upload folder (created on first use, ``0700``; removed when the process exits)."""
    global _root
    with _lock:
        if _root is None or not _root.is_dir():
            _sweep_stale()
            _root = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))  # mkdtemp: mode 0700
            atexit.register(shutil.rmtree, _root, True)
        return _root


def _sweep_stale() -> None:
    """Remove upload folders of earlier servers that were killed before they could clean up."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        match = re.match(rf"{_PREFIX}(\d+)-", folder.name)
        try:
            if not match or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(match.group(1)), 0)  # raises when no such process
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):  # another user's process (PermissionError), or a vanished folder
            continue


def _session_folder() -> Path:
    """This browser session's folder inside the upload root (outside a Streamlit session: a shared one)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:  # pragma: no cover - streamlit is a dependency of the app
        get_script_run_ctx = None
    if get_script_run_ctx is None or get_script_run_ctx(suppress_warning=True) is None:
        folder = upload_root() / "no-session"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder
    return Path(_session_resource())


def remove_session_folder(folder: str) -> None:
    """``on_release`` of the session resource: the session disconnected, its uploads go."""
    shutil.rmtree(folder, ignore_errors=True)


def _make_session_folder() -> str:
    return tempfile.mkdtemp(prefix="session-", dir=upload_root())


def _session_resource() -> str:
    import streamlit as st

    global _cached_session_folder
    if _cached_session_folder is None:
        _cached_session_folder = st.cache_resource(scope="session", on_release=remove_session_folder,
                                                   show_spinner=False)(_make_session_folder)
    folder = _cached_session_folder()
    Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)  # gone only if removed by hand: same path again
    return folder


_cached_session_folder = None


def stage(name: str, data: bytes, digest: str) -> Path:
    """Write an upload's bytes to this session's private folder (file mode ``0600``) and return the path.

    Named by digest, then by the upload's safe name (readers go by the suffix), so two uploads of the same name
    never overwrite each other."""
    folder = _session_folder() / digest[:32]
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / safe_upload_name(name)
    if path.is_file() and path.stat().st_size == len(data):
        return path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def is_staged(path: str | Path) -> bool:
    """Whether ``path`` is a staged upload (so messages name the upload, not the private copy)."""
    root = _root
    return root is not None and real_path(path).is_relative_to(real_path(root))
