"""Outputs written atomically: a results folder or file is either the old complete one or the new complete one.

A run writes into a hidden temporary sibling of its destination and renames it into place when everything is
written (``rename`` within one folder is atomic on POSIX). If the run fails or is interrupted (Ctrl-C), the
temporary is removed and the destination is untouched. A results folder carries a marker file, so that an
existing folder is replaced only when it is one of ours (never a user's folder that happens to be named).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .safe_text import printable

__all__ = ["MARKER", "OutputError", "atomic_dir", "atomic_file", "check_output_dir", "check_output_file",
           "name_the_output", "refuse_inputs_inside", "refuse_output_is_input", "real_path", "write_text_output"]

MARKER = ".carebench-results"  # present in every complete results folder carebench writes


class OutputError(Exception):
    """The destination cannot be written (exists as a file, is a folder that is not ours, no permission)."""


def real_path(path: str | Path) -> Path:
    """``path`` absolute with every link followed, as far as they lead: never an error (``Path.resolve`` raises
    RuntimeError on a symlink loop before Python 3.13; the refusal belongs to whoever opens the path)."""
    return Path(os.path.realpath(path))


def check_output_dir(out: Path) -> None:
    """Refuse a destination that is a file, a link that leads nowhere (renaming the results folder onto it
    fails after the run), a non-empty folder carebench did not write, or the working folder or one holding it
    (``--out .``, ``--out ''``: the working folder cannot be renamed, so the run failed after its work)."""
    if out.is_symlink() and not out.exists():
        raise OutputError(f"{printable(out)}: is a link that leads nowhere (a loop or a missing target); choose "
                          "another --out")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{printable(out)}: exists and is a file, not a results folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(f"{printable(out)}: exists, is not empty and is not a carebench results folder; choose "
                          "another --out")
    if out.is_dir() and real_path(".").is_relative_to(real_path(out)):  # '.': it cannot be renamed into place
        raise OutputError(f"{printable(out)}: is the working folder or holds it, and a run replaces its whole "
                          "output folder; choose another --out")


def refuse_inputs_inside(out: str | Path, *inputs: str | Path | None) -> None:
    """A new run replaces its whole output folder: refuse one that holds an input file of the run."""
    folder = real_path(out)
    for p in inputs:
        if p and real_path(p).is_relative_to(folder):
            raise OutputError(f"--out {printable(out)}: holds the input {printable(p)}, and a new run replaces the "
                              "whole folder; choose another --out")


def _same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are one file (a hard link too); False when either cannot be looked at."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_output_is_input(flag: str, out: str | Path, *inputs: str | Path | None) -> None:
    """An output file that is one of the run's inputs (under any name) would be replaced by what the run writes:
    the input lost. Refused before the run."""
    target = real_path(out)
    for p in inputs:
        if p and (real_path(p) == target or _same_file(p, out)):
            raise OutputError(f"{flag} {printable(out)}: is the input {printable(p)}, which writing it would "
                              "replace; choose another file")


@contextmanager
def atomic_dir(out: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``out``; on success it replaces ``out`` (old contents gone).

    On any exception, including ``KeyboardInterrupt``, the temporary folder is deleted and ``out`` is left as
    it was. The marker file is written last, so a folder with the marker is complete.
    """
    out = Path(out)
    check_output_dir(out)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a results folder gets the usual permissions
    except OSError as exc:
        raise OutputError(f"{printable(out)}: cannot write here ({exc.strerror or exc})") from None
    try:
        yield tmp
        (tmp / MARKER).write_text("complete\n", encoding="utf-8")
        _replace_dir(tmp, out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        name_the_output(exc, out)
        raise


def _replace_dir(new: Path, out: Path) -> None:
    """Move ``new`` to ``out``; an existing ``out`` is renamed aside first and deleted after."""
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    try:
        os.rename(out, old / "run")
    except BaseException:
        old.rmdir()  # nothing was moved: the temporary folder is not left behind
        raise
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old / "run", out)  # put the old run back
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def check_output_file(path: Path) -> None:
    """:class:`OutputError` if ``path`` cannot be an output file: a folder, or something that is not a regular
    file (renaming over a device or a pipe would replace it: as root, ``/dev/null`` itself), or a missing folder.
    Commands that work long before they write call it first."""
    if path.is_dir():
        raise OutputError(f"{printable(path)}: is a folder, not a file")
    if path.exists() and not path.is_file():
        raise OutputError(f"{printable(path)}: is not a regular file (a device, a pipe or a socket); give a file to "
                          "write")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{printable(path)}: cannot write here (no folder {printable(parent)})")


@contextmanager
def atomic_file(path: str | Path, mode: str = "w", **open_kwargs) -> Iterator:
    """Open a temporary file beside ``path`` for writing; on success it replaces ``path`` (``os.replace``)."""
    path = Path(path)
    check_output_file(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=parent)
    except OSError as exc:
        raise OutputError(f"{printable(path)}: cannot write here ({exc.strerror or exc})") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as f:
            yield f
        tmp.chmod(0o666 & ~_umask())  # mkstemp makes it private; the file gets the usual permissions
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        name_the_output(exc, path)
        raise


_DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS})


def name_the_output(exc: BaseException, out: Path) -> None:
    """A write the disk refused (full, over a quota or the file size limit, failing): :class:`OutputError`
    naming the output. The OSError of a ``write`` names no file, and the line would not say which output failed."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL and not exc.filename:
        raise OutputError(f"{printable(out)}: cannot write the output: {exc.strerror or exc}; nothing was written "
                          "(an earlier output there is kept as it was)") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_output(text: str, out: str | None) -> None:
    """``text`` to standard output, or atomically to the file ``out`` (never half-written)."""
    if not out:
        sys.stdout.write(text)
        return
    with atomic_file(out, "w", encoding="utf-8") as f:
        f.write(text)
