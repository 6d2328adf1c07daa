"""A learned model file: per check, the coefficients of a linear classifier over hashed words, a threshold,
and the provenance of its training. Saved as ``.npz`` and read with ``allow_pickle=False``: opening a model
file runs no code, and it holds numbers only (hash buckets and weights, never a word of the training replies).

Layout: ``meta`` (UTF-8 JSON as bytes: format, feature spec, checks, thresholds, provenance) and, per check,
``<check>.index`` (int32 bucket ids with a non-zero weight), ``<check>.weight`` (float32) and
``<check>.intercept``. A file that is not such a model, was written for another feature spec or format
version, or is damaged raises :class:`ModelError` with one line naming the file and the problem.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from carebench_shared.config import ConfigError, regular_file
from carebench_shared.safe_text import printable

from .features import N_FEATURES, SPEC

__all__ = ["FORMAT", "ModelError", "CheckModel", "LearnedModel", "load_model", "save_model", "DEFAULT_MODEL"]

FORMAT = {"name": "carebench-qa-model", "version": 1}
DEFAULT_MODEL = Path(__file__).resolve().parent / "default_model.npz"


class ModelError(ConfigError):
    """A model file that cannot be used: one line naming the file and the problem."""


@dataclass(frozen=True)
class CheckModel:
    """One check's classifier: p = sigmoid(x . weight + intercept); a verdict when p >= threshold."""

    check: str
    weight: np.ndarray  # dense float32, N_FEATURES long
    intercept: float
    threshold: float

    def proba(self, x) -> np.ndarray:  # noqa: ANN001 - a scipy sparse matrix
        z = np.asarray(x @ self.weight, dtype=np.float64).ravel() + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class LearnedModel:
    checks: dict[str, CheckModel]
    meta: dict[str, Any] = field(default_factory=dict)


def save_model(model: LearnedModel, path: str | Path) -> None:
    """Write ``model`` to ``path`` (``.npz``), atomically."""
    from carebench_shared.atomic import atomic_file

    arrays: dict[str, np.ndarray] = {}
    for name, cm in model.checks.items():
        idx = np.flatnonzero(cm.weight).astype(np.int32)
        arrays[f"{name}.index"] = idx
        arrays[f"{name}.weight"] = cm.weight[idx].astype(np.float32)
        arrays[f"{name}.intercept"] = np.array([cm.intercept], dtype=np.float64)
    meta = dict(model.meta, format=FORMAT, features=SPEC,
                thresholds={n: cm.threshold for n, cm in model.checks.items()})
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    with atomic_file(Path(path), "wb") as f:
        f.write(buf.getvalue())


def _fail(path: Path, problem: str) -> ModelError:
    return ModelError(f"{printable(path)}: not a usable carebench QA model: {problem}")


LABEL_CHECKS = ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch")
MAX_META_BYTES = 1 << 20  # the meta record (JSON) at most; a model's is a few kB
MAX_MODEL_BYTES = 64 << 20  # a model file at most (the default is about 1 MB)
MAX_WEIGHT = 1e6  # a fitted logistic weight is a few units; 3e38 would overflow a reply's sum to infinity


def load_model(path: str | Path) -> LearnedModel:
    """Read a model file; :class:`ModelError` (one line) if it is missing, damaged or mismatched."""
    path = Path(path)
    try:
        size = regular_file(path, "model file")
    except ConfigError as exc:
        raise ModelError(str(exc)) from None
    if size > MAX_MODEL_BYTES:
        raise _fail(path, f"{size / 1048576:.0f} MiB is larger than a model may be ({MAX_MODEL_BYTES >> 20} MiB)")
    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.removesuffix(".npy") for n in zf.namelist()}
            meta_array = _member(path, zf, "meta", MAX_META_BYTES) if "meta" in names else None
            if meta_array is None or meta_array.dtype != np.uint8 or meta_array.ndim != 1:
                raise _fail(path, "no meta record")
            meta = _meta(path, meta_array)
            arrays = {k: _member(path, zf, k, N_FEATURES * 8 + 4096) for k in _needed(path, meta) if k in names}
    except ModelError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, MemoryError,
            NotImplementedError, RuntimeError) as exc:  # zipfile and numpy's reader raise these for a damaged file
        why = "its compressed data is damaged" if isinstance(exc, zlib.error) else type(exc).__name__
        raise _fail(path, f"cannot read it as .npz ({why})") from None
    return LearnedModel(_check_models(path, arrays, meta), meta)


def _member(path: Path, zf: zipfile.ZipFile, name: str, limit: int) -> np.ndarray:
    """Array ``name`` of the archive, refused unread when the archive says it unpacks to more than ``limit``
    bytes (a zip bomb) or its header claims more than ``limit`` bytes of data (a huge shape); read whole, so
    that the archive's checksum is verified (numpy stops reading at the array's end and never checks it)."""
    info = zf.getinfo(f"{name}.npy")
    if info.file_size > limit:
        raise _fail(path, f"record '{printable(name, 60)}' unpacks to {info.file_size:,} bytes (at most {limit:,})")
    with zf.open(info) as f:
        fmt = np.lib.format
        header = fmt.read_array_header_1_0 if fmt.read_magic(f) == (1, 0) else fmt.read_array_header_2_0
        shape, _, dtype = header(f)
    if dtype.hasobject:
        raise _fail(path, f"record '{printable(name, 60)}' holds Python objects (it would need pickle)")
    if int(np.prod(shape, dtype=np.float64)) * dtype.itemsize > limit:
        raise _fail(path, f"record '{printable(name, 60)}' claims shape {shape}, more than a model holds")
    return np.lib.format.read_array(io.BytesIO(zf.read(info)), allow_pickle=False)


def _meta(path: Path, meta_array: np.ndarray) -> dict[str, Any]:
    try:
        meta = json.loads(meta_array.tobytes().decode("utf-8"), object_pairs_hook=_no_key_twice,
                          parse_constant=_no_constant)
    except _MetaProblem as exc:  # a tampered record: which of two thresholds was meant?
        raise _fail(path, f"meta record {exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):  # not JSON, a 5,000-digit number, deep nesting
        raise _fail(path, "meta record is not JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        shown = printable(repr(meta.get("format") if isinstance(meta, dict) else None), 80)
        raise _fail(path, f"format {shown}, expected {FORMAT}")
    if meta.get("features") != SPEC:
        raise _fail(path, f"written for features {printable(repr(meta.get('features')), 80)}, this carebench "
                          f"hashes {SPEC}")
    return meta


class _MetaProblem(ValueError):
    """A meta record that is JSON to Python's reader, but not as ``save_model`` writes it."""


def _no_key_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; a key given twice is refused (``json`` silently keeps the last value)."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _MetaProblem(f"gives key '{printable(k, 40)}' twice")
        out[k] = v
    return out


def _no_constant(name: str) -> Any:
    """``NaN``, ``Infinity``: not JSON (``json`` reads them; ``save_model`` never writes them)."""
    raise _MetaProblem(f"holds {name}, which is not a JSON number")


def _needed(path: Path, meta: dict[str, Any]) -> list[str]:
    """The records the meta's checks need: three per check, no other record is read."""
    thresholds = meta.get("thresholds")
    if not isinstance(thresholds, dict) or not thresholds:
        raise _fail(path, "no checks in it")
    unknown = [n for n in thresholds if n not in LABEL_CHECKS]
    if unknown:
        raise _fail(path, f"check '{printable(unknown[0], 40)}' is not one carebench learns "
                          f"({', '.join(LABEL_CHECKS)})")
    return [f"{n}.{part}" for n in thresholds for part in ("index", "weight", "intercept")]


def _check_models(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> dict[str, CheckModel]:
    checks = {}
    for name, t in meta["thresholds"].items():
        keys = (f"{name}.index", f"{name}.weight", f"{name}.intercept")
        if any(k not in arrays for k in keys):
            raise _fail(path, f"check {name!r} has no weights")
        idx, w, b = (arrays[k] for k in keys)
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0.0 <= float(t) <= 1.0:
            raise _fail(path, f"check {name!r}: threshold {printable(repr(t), 40)} is not a probability")
        if (idx.dtype.kind not in "iu" or w.dtype.kind not in "fiu" or b.dtype.kind not in "fiu"
                or idx.shape != w.shape or idx.ndim != 1 or b.shape != (1,)
                or (idx.size and (idx.min() < 0 or idx.max() >= N_FEATURES or np.unique(idx).size != idx.size))
                or not np.all(np.abs(w.astype(np.float64)) <= MAX_WEIGHT)  # float16: 1e6 is inf, with a warning
                or not abs(float(b[0])) <= MAX_WEIGHT):  # NaN fails too; a bucket twice: which weight?
            raise _fail(path, f"check {name!r}: weights are damaged")
        dense = np.zeros(N_FEATURES, dtype=np.float32)
        dense[idx] = w
        checks[name] = CheckModel(name, dense, float(b[0]), float(t))
    return checks
