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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from carebench_shared.config import ConfigError

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
    return ModelError(f"{path}: not a usable carebench QA model: {problem}")


def load_model(path: str | Path) -> LearnedModel:
    """Read a model file; :class:`ModelError` (one line) if it is missing, damaged or mismatched."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: cannot read model file: no such file")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise _fail(path, f"cannot read it as .npz ({type(exc).__name__})") from None
    if "meta" not in arrays or arrays["meta"].dtype != np.uint8:
        raise _fail(path, "no meta record")
    try:
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _fail(path, "meta record is not JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _fail(path, f"format {meta.get('format') if isinstance(meta, dict) else None!r}, expected {FORMAT}")
    if meta.get("features") != SPEC:
        raise _fail(path, f"written for features {meta.get('features')!r}, this carebench hashes {SPEC}")
    return LearnedModel(_check_models(path, arrays, meta), meta)


def _check_models(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> dict[str, CheckModel]:
    thresholds = meta.get("thresholds")
    if not isinstance(thresholds, dict) or not thresholds:
        raise _fail(path, "no checks in it")
    checks = {}
    for name, t in thresholds.items():
        keys = (f"{name}.index", f"{name}.weight", f"{name}.intercept")
        if any(k not in arrays for k in keys):
            raise _fail(path, f"check {name!r} has no weights")
        idx, w, b = (arrays[k] for k in keys)
        if not isinstance(t, (int, float)) or not 0.0 <= float(t) <= 1.0:
            raise _fail(path, f"check {name!r}: threshold {t!r} is not a probability")
        if (idx.dtype.kind not in "iu" or idx.shape != w.shape or idx.ndim != 1 or b.shape != (1,)
                or (idx.size and (idx.min() < 0 or idx.max() >= N_FEATURES))
                or not np.all(np.isfinite(w)) or not np.isfinite(b[0])):
            raise _fail(path, f"check {name!r}: weights are damaged")
        dense = np.zeros(N_FEATURES, dtype=np.float32)
        dense[idx] = w
        checks[name] = CheckModel(name, dense, float(b[0]), float(t))
    return checks
