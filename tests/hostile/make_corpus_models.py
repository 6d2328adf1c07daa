"""The model and labels files of the hostile corpus (#9: "a bad or mismatched model file gets one line and exit
2"; `qa train --labels`), written by :mod:`make_corpus` through its ``write``. Every file is small."""

from __future__ import annotations

import io
import json
import zipfile


def _npz(arrays: dict, meta: object = None) -> bytes:
    """A model-like ``.npz``: ``arrays`` plus a meta record (the JSON of ``meta``, or raw bytes)."""
    import numpy as np

    raw = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays, meta=np.frombuffer(raw, dtype=np.uint8))
    return buf.getvalue()


def models(write) -> None:
    """Model files (#9: "a bad or mismatched model file gets one line and exit 2"), each small."""
    import numpy as np

    from qa.learned.features import SPEC
    from qa.learned.model import FORMAT

    meta = {"format": FORMAT, "features": SPEC, "thresholds": {"deflection": 0.5}}
    check = {"deflection.index": np.array([3, 70_000], np.int32),
             "deflection.weight": np.array([1.5, -2.0], np.float32),
             "deflection.intercept": np.array([-1.0])}
    valid = _npz(check, meta)
    write("models/valid.npz", valid)
    write("models/truncated.npz", valid[: len(valid) // 2])
    damaged = bytearray(valid)  # four bytes of the weights' deflated data inverted: the checksum cannot match
    at = zipfile.ZipFile(io.BytesIO(valid)).getinfo("deflection.weight.npy").header_offset
    at += 30 + int.from_bytes(valid[at + 26: at + 28], "little") + int.from_bytes(valid[at + 28: at + 30], "little")
    damaged[at + 40: at + 44] = bytes(b ^ 0xFF for b in damaged[at + 40: at + 44])
    write("models/damaged_data.npz", bytes(damaged))
    write("models/weight_3e38.npz", _npz({**check, "deflection.weight": np.array([3e38, -3e38], np.float32)}, meta))
    write("models/meta_nested_deep.npz", _npz(check, b"[" * 100_000 + b"]" * 100_000))
    write("models/meta_number_5000_digits.npz", _npz(check, b'{"format": ' + b"9" * 5000 + b"}"))
    write("models/threshold_true.npz", _npz(check, {**meta, "thresholds": {"deflection": True}}))
    write("models/threshold_nan.npz", _npz(check, {**meta, "thresholds": {"deflection": float("nan")}}))
    write("models/unknown_check.npz", _npz({k.replace("deflection", "\x1b[2Jrefunds"): v for k, v in check.items()},
                                           {**meta, "thresholds": {"\x1b[2Jrefunds": 0.5}}))
    write("models/weight_text.npz", _npz({**check, "deflection.weight": np.array(["1.5", "x"])}, meta))
    write("models/intercept_text.npz", _npz({**check, "deflection.intercept": np.array(["-1"])}, meta))
    write("models/weight_nan.npz", _npz({**check, "deflection.weight": np.array([np.nan, 1], np.float32)}, meta))
    buf = io.BytesIO()  # an object array: loading it would need pickle, which runs code
    np.savez(buf, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **{
        **check, "deflection.weight": np.array([{"a": 1}, None], dtype=object)})
    write("models/object_array.npz", buf.getvalue())
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000,), }"
    header += " " * (118 - len(header)) + "\n"  # an .npy header claiming 400 GB, with 8 bytes behind it
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, arr in {**check, "meta": np.frombuffer(json.dumps(meta).encode(), np.uint8)}.items():
            one = io.BytesIO()
            np.save(one, arr)
            stamped = zipfile.ZipInfo(f"{name}.npy", (1980, 1, 1, 0, 0, 0))  # the same bytes on every run
            z.writestr(stamped, one.getvalue() if name != "deflection.weight" else
                       b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + bytes(8))
    write("models/huge_shape.npz", buf.getvalue())


def labels(write) -> None:
    """Labels for `qa train --labels` (#9), for the replies b0, b1, b2 of replies/own_valid.csv."""
    good = "reply_id,deflection,dm_request\nb0,0,1\nb1,0,0\nb2,1,0\n"
    write("labels/valid.csv", good)
    write("labels/labelled_twice.csv", good + "b1,1,0\n")  # b1 again, deflection now 1: which is right?
    write("labels/column_twice.csv", "reply_id,deflection,deflection\nb0,0,1\nb1,0,0\n")
    write("labels/not_a_label.csv", good.replace("b1,0,0", "b1,ture,0"))
    write("labels/utf16.csv", good.encode("utf-16"))
