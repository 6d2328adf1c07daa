"""The eighth sweep's setups (cases_round8.py): files made at run time from the corpus's valid ones, each poisoned
one way deep inside (a model's meta record, one requirement row, line ends)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

__all__ = ["setup_round8"]

CORPUS = Path(__file__).parent / "corpus"


def _model(meta_text=None, **arrays) -> bytes:  # noqa: ANN001, ANN003 - edit -> the valid model's bytes, edited
    """The corpus's valid model with its meta record's JSON text edited (``meta_text``) or records replaced."""
    import numpy as np

    with zipfile.ZipFile(CORPUS / "models" / "valid.npz") as z:
        records = {n.removesuffix(".npy"): np.lib.format.read_array(io.BytesIO(z.read(n))) for n in z.namelist()}
    if meta_text:
        records["meta"] = np.frombuffer(meta_text(records["meta"].tobytes().decode()).encode(), dtype=np.uint8)
    records.update(arrays)
    buf = io.BytesIO()
    np.savez_compressed(buf, **records)
    return buf.getvalue()


def _requirement(line: int, column: str, value: str) -> str:
    rows = (CORPUS / "planning" / "requirement.csv").read_text().splitlines(keepends=True)
    header = rows[0].rstrip("\n").split(",")
    fields = rows[line - 1].rstrip("\n").split(",")
    fields[header.index(column)] = value
    rows[line - 1] = ",".join(fields) + "\n"
    return "".join(rows)


def _files() -> dict[str, object]:  # name -> (file in in/, its bytes or text)
    import numpy as np

    labels = (CORPUS / "labels" / "valid.csv").read_text()
    return {
        # a second "thresholds" in the meta's JSON: Python's reader keeps the last one silently
        "model_meta_key_twice": ("twice.npz", lambda: _model(
            lambda t: t[:-1] + ', "thresholds": {"deflection": 0.01}}')),
        "model_meta_nan": ("nan.npz", lambda: _model(lambda t: t[:-1] + ', "trained_on": NaN}')),
        "model_index_twice": ("index_twice.npz", lambda: _model(**{"deflection.index": np.array([3, 3], np.int32)})),
        # half-precision weights: the bound 1e6 overflowed float16 to inf, with numpy's warning on stderr
        "model_weight_float16": ("f16.npz", lambda: _model(**{"deflection.weight": np.array([1.5, -2], np.float16)})),
        "labels_cr_only": ("cr.csv", lambda: labels.replace("\n", "\r")),
        "reviews_cr_only": ("cr_reviews.csv", lambda: "reply_id,check,human_verdict\r102,deflection,True\r"),
        "requirement_cr_only": ("cr.csv", lambda: (CORPUS / "planning" / "requirement.csv").read_text()
                                .replace("\n", "\r")),
        "requirement_start_nan": ("start_nan.csv", lambda: _requirement(4, "start_minute", "nan")),
        "requirement_start_huge": ("start_huge.csv", lambda: _requirement(5, "start_minute", "1e308")),
        "requirement_start_half": ("start_half.csv", lambda: _requirement(6, "start_minute", "30.5")),
        "requirement_start_again": ("start_again.csv", lambda: _requirement(4, "start_minute", "30")),
    }


def setup_round8(name: str, work: Path) -> None:
    files = _files()
    if name in files:
        file, data = files[name]
        data = data()
        (work / "in" / file).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    elif name == "scores_cr_only":  # a results folder whose scores.csv was saved with CR line ends
        p = work / "run" / "scores.csv"
        p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    else:
        raise ValueError(f"unknown setup step {name}")
