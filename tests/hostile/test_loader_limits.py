"""The loader's limits cut where they say and no earlier: what a real file does (anchors, merge keys, a
byte-order mark, nesting a few levels deep) still loads."""

from __future__ import annotations

import re

import pytest

from sim.loader import MAX_DEPTH, MAX_NODES, ConfigError, apply_overrides, load_yaml


def load(tmp_path, text: str | bytes):
    p = tmp_path / "x.yaml"
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_yaml(p)[0]


def test_anchors_and_merge_keys_that_override_are_not_duplicates(tmp_path):
    data = load(tmp_path, "base: &b {mean: 4, dist: exponential}\nother:\n  <<: *b\n  mean: 9\n")
    assert data["other"] == {"mean": 9, "dist": "exponential"}


def test_one_merge_key_may_merge_several_mappings_but_not_give_a_key_twice(tmp_path):
    data = load(tmp_path, "a: &a {mean: 4}\nb: &b {dist: gamma}\nother:\n  <<: [*a, *b]\n  sd: 2\n")
    assert data["other"] == {"mean": 4, "dist": "gamma", "sd": 2}
    # a second "<<" would silently override the first one's values
    with pytest.raises(ConfigError, match=r":5: duplicate merge key '<<' \(first given on line 4\)"):
        load(tmp_path, "a: &a {mean: 4}\nb: &b {mean: 9}\nother:\n  <<: *a\n  <<: *b\n")
    # PyYAML takes the last mapping's value of a key merged twice, the YAML merge specification the first one's
    with pytest.raises(ConfigError, match=r":4: key 'mean' is given by two of the mappings merged here "
                                          r"\(lines 1 and 2\)"):
        load(tmp_path, "a: &a {mean: 4}\nb: &b {mean: 9, dist: gamma}\nother:\n  <<: [*a, *b]\n")


def test_nesting_is_allowed_to_the_limit_and_refused_one_past_it(tmp_path):
    # MAX_DEPTH counts the document's own mapping too
    assert load(tmp_path, "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    with pytest.raises(ConfigError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load(tmp_path, "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")


def test_aliases_expand_to_the_limit(tmp_path):
    per = 1000
    lines = ["a: &a [" + ", ".join(["1"] * per) + "]"]
    copies = MAX_NODES // (per + 1) - 2
    lines.append("b: [" + ", ".join(["*a"] * copies) + "]")
    assert len(load(tmp_path, "\n".join(lines) + "\n")["b"]) == copies
    lines[-1] = "b: [" + ", ".join(["*a"] * (copies + 10)) + "]"
    with pytest.raises(ConfigError, match="values once aliases are expanded"):
        load(tmp_path, "\n".join(lines) + "\n")


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    assert load(tmp_path, b"\xef\xbb\xbfname: x\n") == {"name": "x"}


def test_large_finite_numbers_and_long_integers_within_python_limits_load(tmp_path):
    assert load(tmp_path, "a: 1.7976931348623157e308\nb: " + "9" * 4000 + "\n")["a"] == 1.7976931348623157e308


def test_overrides_get_the_same_checks(tmp_path):
    for item, says in (("a={b: 1, b: 2}", "duplicate key 'b'"), ("a=.nan", ".nan is not a finite number"),
                       ("a=" + "[" * 60 + "]" * 60, "nested deeper than"), ("a=\x07", "U+0007")):
        with pytest.raises(ConfigError, match=re.escape(says)):
            apply_overrides({}, [item])


def test_values_are_read_to_the_limit_and_refused_one_past_it(tmp_path, monkeypatch):
    # every key and value counts (the document's mapping too): "a: [1, 2, 3]" is 6 values
    import carebench_shared.yaml_safe as yaml_safe

    monkeypatch.setattr(yaml_safe, "MAX_VALUES", 6)
    assert load(tmp_path, "a: [1, 2, 3]\n") == {"a": [1, 2, 3]}
    with pytest.raises(ConfigError, match=r"x\.yaml:2: more than 6 values \(keys and items\)"):
        load(tmp_path, "a: [1, 2, 3]\nb: 4\n")
