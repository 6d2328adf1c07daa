"""Bad care-model input: one line naming the file, the line, the field and the problem; exit code 2."""

from __future__ import annotations

import pytest

from carebench.cli import main

GOOD = """\
name: t
horizon_days: 1
volume: {mentions_per_hour: 10}
handling: {handle_minutes: {dist: exponential, mean: 5}}
staffing:
  teams:
    - {name: en, agents: 2, languages: [en]}
sla: {target_minutes: 5, goal: 0.8}
languages:
  - {name: en, share: 1}
"""


@pytest.mark.parametrize("extra,expected", [
    ("policy: {order: lifo}\n", ":11: policy.order: Input should be"),
    ("customers: {on_impatience: {repeat: -1}}\n", ":11: customers.on_impatience: weights must be non-negative"),
    ("volume2: 1\n", ":11: volume2: unknown key"),
    ("migration: {weekly_rate: 0.1}\n", "'migration' needs a 'phone' section"),
    ("policy: {compensation: {beyond_rate: 2}}\n", ":11: policy.compensation.beyond_rate: Input should be less"),
])
def test_bad_care_input_is_one_line_with_exit_code_2(tmp_path, capsys, extra, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD + extra)
    assert main(["simulate", str(path), "--no-plots", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and expected in err, err


def test_team_language_must_be_declared(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("languages: [en]", "languages: [fr]"))
    assert main(["simulate", str(path), "--no-plots", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "team 'en': language 'fr' is not in 'languages'" in err
