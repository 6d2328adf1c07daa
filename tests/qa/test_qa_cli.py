"""carebench qa end to end: generate, score, report, evaluate, schema; bad input gives one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from carebench.cli import main
from qa.api import load_outputs, score_file
from qa.pipeline import SCORE_COLUMNS
from qa.verdicts import specs

# the columns the issue named, then every registered text check's column, then language, risk, flags, evidence
CHECK_COLUMNS = ["deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch"]
CONTRACT = ["reply_id", "thread_id", "score", *CHECK_COLUMNS,
            *[s.column for s in specs().values() if s.kind == "text" and s.column not in CHECK_COLUMNS],
            "customer_language", "reply_language", "precedent_risk", "flags", "evidence"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    assert main(["qa", "generate", "--out", str(d / "g.csv"), "--threads", "150", "--seed", "5"]) == 0
    assert main(["qa", "score", str(d / "g.twcs.csv"), "--out", str(d / "out"), "--format", "both"]) == 0
    return d


def test_score_writes_the_contract_files(run):
    out = run / "out"
    scores = pd.read_csv(out / "scores.csv", dtype={"reply_id": str})
    assert scores.columns[: len(CONTRACT)].tolist() == CONTRACT
    labels = pd.read_csv(run / "g.labels.csv", dtype={"reply_id": str})
    assert set(scores["reply_id"]) == set(labels["reply_id"])
    assert scores["score"].between(0, 100).all() and scores["precedent_risk"].between(0, 1).all()
    for name in ("report.html", "report.md", "consistency.csv", "messages.parquet", "unanswered.csv", "meta.json"):
        assert (out / name).stat().st_size > 0, name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Worst 20 replies" in html and "<mark>" in html


def test_report_re_renders_from_the_folder(run, capsys):
    out = run / "out"
    (out / "report.md").unlink()
    assert main(["qa", "report", str(out), "--format", "md"]) == 0
    assert "Consistency findings" in (out / "report.md").read_text(encoding="utf-8")
    back = load_outputs(out)
    assert len(back.scores) == len(pd.read_csv(out / "scores.csv"))


def test_evaluate_prints_a_table(run, capsys):
    assert main(["qa", "evaluate", str(run / "out"), "--labels", str(run / "g.labels.csv"), "--markdown"]) == 0
    text = capsys.readouterr().out
    assert "| late_response |" in text and "| check |" in text


def test_schema_is_json_schema(capsys):
    assert main(["qa", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["role"]["enum"] == ["customer", "brand"]
    assert main(["qa", "schema", "--rulebook"]) == 0
    assert "scorecard" in json.loads(capsys.readouterr().out)["properties"]


def test_api_contract(run):
    calls = []
    r = score_file(run / "g.csv", progress=lambda done, total: calls.append((done, total)))
    assert list(r.scores.columns[: len(SCORE_COLUMNS)]) == SCORE_COLUMNS
    assert calls and calls[-1][0] == calls[-1][1] == len(r.scores)
    assert set(r.aggregates) == {"agent_id", "channel", "brand"}
    assert {"message_id", "thread_id", "role", "text"} <= set(r.messages.columns)
    for col in ("effect" if False else "difference", "ci_low", "ci_high", "q_value"):
        assert col in r.consistency.columns
    for col in ("deflection", "dm_request", "pii_exposed", "compensation", "not_our_team", "language_mismatch"):
        assert str(r.scores[col].dtype) == "boolean"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "carebench", *args], capture_output=True, text=True)


@pytest.mark.parametrize("policy,expect", [
    ("name: [unclosed\n", "unreadable YAML"),
    ("languages: [en]\nfirst_response_target_minutes: 60\nscorecard:\n  weights: {deflection: 1}\nbogus: 2\n",
     ":5: bogus: unknown key"),
    ("languages: [en]\nfirst_response_target_minutes: soon\nscorecard:\n  weights: {deflection: 1}\n",
     ":2: first_response_target_minutes"),
])
def test_bad_rulebook_is_one_line_exit_2(run, tmp_path, policy, expect):
    p = tmp_path / "policy.yaml"
    p.write_text(policy, encoding="utf-8")
    proc = _cli("qa", "score", str(run / "g.csv"), "--policy", str(p), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and str(p) in proc.stderr and expect in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unknown_format_and_missing_file_exit_2(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    for target in (bad, tmp_path / "missing.csv"):
        proc = _cli("qa", "score", str(target), "--out", str(tmp_path / "o"))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and str(target) in proc.stderr


def test_broken_rows_are_reported_on_stderr_and_in_the_folder(run, tmp_path):
    src = (run / "g.twcs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    src.insert(3, "999999,Acme,False,Tue Oct 31 18:13:06 +0000 2017,@1 broken \r\r text,,\n")
    p = tmp_path / "b.csv"
    p.write_text("".join(src), encoding="utf-8", newline="")
    proc = _cli("qa", "score", str(p), "--out", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    assert f"{p}:4: skipped broken row" in proc.stderr
    broken = pd.read_csv(tmp_path / "o" / "broken_rows.csv")
    assert broken["line"].tolist() == [4]
