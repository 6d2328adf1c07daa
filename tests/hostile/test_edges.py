"""The edges the second sweep hardened, where the CLI corpus cannot reach: what the limits still accept (valid
surrogate pairs, identical duplicate labels, a regular file behind a link), and the out-of-memory path."""

from __future__ import annotations

import contextlib
import io
import os

import pytest

from carebench_shared.config import ConfigError, regular_file
from qa.readers_own import _json_object


def test_json_lines_keep_what_is_json_and_refuse_what_is_not():
    assert _json_object('{"text": "\\ud83d\\ude00 ok", "x": {"nested": [1]}}')[0] is None  # a pair is a character
    assert _json_object('{"text": "a \\\\ud800 b"}')[1] == {"text": "a \\ud800 b"}  # an escaped backslash: text
    for line, problem in (('{"text": "\\udfff"}', "lone surrogate"), ('{"a": 1, "a": 2}', "key 'a' given twice"),
                          ('{"order_value": NaN}', "NaN is not a JSON number"),
                          ('{"text": ["a"]}', "text: expected a single value, got a JSON array")):
        assert problem in _json_object(line)[0]


def test_a_link_to_a_regular_file_is_a_file_and_a_link_to_a_device_is_not(tmp_path):
    (tmp_path / "r.csv").write_text("a\n")
    os.symlink(tmp_path / "r.csv", tmp_path / "link.csv")
    assert regular_file(tmp_path / "link.csv") == 2
    os.symlink("/dev/null", tmp_path / "null.csv")
    with pytest.raises(ConfigError, match="null.csv: cannot read file: it is a device, not a file"):
        regular_file(tmp_path / "null.csv")
    with pytest.raises(ConfigError, match="nope.csv: cannot read labels: no such file"):
        regular_file(tmp_path / "nope.csv", "labels")


def test_labels_given_twice_alike_are_one_label(tmp_path):
    from qa.learned.data import read_labels

    p = tmp_path / "l.csv"
    p.write_text("reply_id,deflection\nb1,1\nb2,0\nb1,true\n")
    labels = read_labels(p)
    assert labels.to_dict("records") == [{"reply_id": "b2", "deflection": "0"}, {"reply_id": "b1", "deflection": "1"}]
    assert list(labels.index) == [0, 1]  # positions, as training_set reads them


def test_a_file_too_large_for_memory_is_one_line_naming_it(tmp_path, monkeypatch):
    from carebench.cli import main
    from qa import readers

    p = tmp_path / "big.jsonl"
    p.write_text('{"message_id": "1"}\n')

    def boom(self, path):
        raise MemoryError

    monkeypatch.setattr(readers.OwnJsonl, "read", boom)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["qa", "score", str(p), "--out", str(tmp_path / "out")])
    assert code == 2
    assert err.getvalue().splitlines() == [f"carebench: {p}: too large to read into memory as own-jsonl; split it, "
                                           "or give it as CSV (read in batches)"]
    assert not (tmp_path / "out").exists()
