"""py3langid's model restricted to the languages :mod:`qa.language` answers, read in ~0.05 s instead of ~0.7 s.

py3langid ships its model LZMA-compressed (68 MB unpacked: n-gram weights for 97 languages and a byte DFA).
Unpacking it costs most of a second of CPU in every process that detects a language (each ``--jobs`` worker,
each app session), although py3langid is asked about few texts (CLD2 settles most). So the restricted model,
the very arrays py3langid holds after ``set_languages``, is kept once per machine in a cache folder, named by a
key of py3langid's version, its model file's size and time and the language list: the weights in an
uncompressed ``.npz`` (read without pickle), the byte DFA (39 MB, most of the model) in a ``.npy`` that later
processes map into memory instead of reading, so only the pages a text walks through are ever loaded. Answers
are identical: the arrays are the same.

Cache folder: ``$CAREBENCH_CACHE``, else ``$XDG_CACHE_HOME/carebench``, else ``~/.cache/carebench``. A folder
that cannot be written, or a cache file that does not read back whole or is not a regular file (a named pipe, a
folder, a device), only means the packaged model is used.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["load_identifier", "cache_folder"]

FORMAT = 2  # bump when the stored arrays change


def cache_folder() -> Path:
    """Where the restricted model is kept (see the module's docstring)."""
    if os.environ.get("CAREBENCH_CACHE"):
        return Path(os.environ["CAREBENCH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "carebench"


def _cache_file(model: Path, languages: Sequence[str]) -> Path | None:
    try:
        import py3langid

        st = model.stat()
        key = f"{FORMAT}|{getattr(py3langid, '__version__', '?')}|{st.st_size}|{st.st_mtime_ns}|{','.join(languages)}"
        return cache_folder() / f"langid-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"
    except (OSError, RuntimeError):  # no model file, no home folder
        return None


def _as_array(values: np.ndarray) -> array:
    out = array(values.dtype.char)  # uint16 -> "H", uint32 -> "I", uint64 -> "L": py3langid's own typecodes
    out.frombytes(memoryview(np.ascontiguousarray(values)).cast("B"))
    return out


def _read(path: Path, identifier_class: Any) -> Any | None:
    """The identifier from the cache files, or None when they are missing or do not hold a whole model."""
    if not (_regular(path) and _regular(_dfa_file(path))):
        return None  # a named pipe would block the read for ever, a device would be read without end
    try:
        with np.load(path, allow_pickle=False) as data:
            ptc, pc, classes = data["ptc"], data["pc"], data["classes"].tolist()
            row, output = data["row"], data["output"]
        nextmove = np.load(_dfa_file(path), mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    whole = (ptc.ndim == 2 and ptc.shape[1] == len(pc) == len(classes) and len(row) == len(output)
             and nextmove.ndim == 1 and nextmove.dtype.kind == "u" and len(nextmove) % 256 == 0 and len(row)
             and int(row.max()) < len(nextmove) // 256 and int(output.max()) < ptc.shape[0])
    if not whole:
        return None
    # a memoryview of the mapped file indexes like py3langid's array("I") and as fast, without the 39 MB copy
    return identifier_class(ptc, pc, classes, memoryview(nextmove), output.tolist(), norm_probs=True,
                            tk_row=_as_array(row))


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (after links): only those are read from the cache folder."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, RuntimeError):  # missing, unreadable, a link loop
        return False


def _dfa_file(path: Path) -> Path:
    return path.with_suffix(".dfa.npy")


def _write(path: Path, ident: Any) -> None:
    """Store the restricted arrays (atomically: a half-written file is never read); failures are ignored."""
    from carebench_shared.atomic import OutputError, atomic_file

    arrays = {
        "ptc": ident.nb_ptc, "pc": ident.nb_pc, "classes": np.array(ident.nb_classes),
        "row": np.frombuffer(ident.tk_row, dtype=ident.tk_row.typecode),
        "output": np.asarray(ident.tk_output, dtype=np.int32),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(_dfa_file(path), "wb") as fh:  # first: the weights' file is read only with it there
            np.save(fh, np.frombuffer(ident.tk_nextmove, dtype=ident.tk_nextmove.typecode))
        with atomic_file(path, "wb") as fh:
            np.savez(fh, **arrays)
    except (OSError, OutputError):  # a read-only home or a full disk: the next run unpacks again
        pass


def load_identifier(languages: Sequence[str]) -> Any:
    """py3langid's identifier (probabilities normalised) restricted to ``languages``, from the cache if there."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    path = _cache_file(Path(MODEL_DIR) / MODEL_FILE, languages)
    if path is not None and (ident := _read(path, LanguageIdentifier)) is not None:
        return ident
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    # set_languages keeps the full model (28 MB for 97 languages) to allow restoring it; we never do
    ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    if path is not None:
        _write(path, ident)
    return ident
