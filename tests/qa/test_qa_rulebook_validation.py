"""Rulebooks a QA lead gets wrong are refused in one line, ``file:line: where: problem``, never run.

Every number is finite and in its documented range (an infinite weight would score every reply NaN), an
empty never-acceptable phrase would fail every reply, and a rule whose window is empty can never apply.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from qa.rulebook import DEFAULT_POLICY, load_rulebook
from carebench_shared.config import ConfigError

DEFAULT = DEFAULT_POLICY.read_text(encoding="utf-8")


def _edit(old: str, new: str) -> str:
    assert old in DEFAULT, old
    return DEFAULT.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = [  # (edit of the shipped rulebook, the line's marker, words the message must carry)
    (("      weight: 30\n      critical: true\n    pii_exposed:", "      weight: .inf\n      critical: true\n"
                                                                   "    pii_exposed:"),
     "weight: .inf", ".inf is not a finite number"),
    (("      weight: 25", "      weight: .nan"), "weight: .nan", "finite number"),
    (("      weight: 25", "      weight: 250"), "weight: 250", "less than or equal to 100"),
    (("      weight: 25", "      weight: 1e308"), "weight: 1e308", "scorecard.criteria.not_our_team.weight: Input "
                                                                    "should be less than or equal to 100"),
    (("      weight: 25", "      weight: 1e999"), "weight: 1e999", "1e999 is not a finite number"),
    (("      weight: 25", "      weight: -1e308"), "weight: -1e308", "greater than or equal to 0"),
    (("  pass_mark: 80", "  pass_mark: -1"), "pass_mark: -1", "scorecard.pass_mark"),
    (('  en: ["calm down",', '  en: ["", "calm down",'), '["", "calm down"',
     'never_acceptable.en[0]: empty phrase'),
    (('  en: ["calm down",', '  en: ["   ", "calm down",'), '["   ", "calm down"', "empty phrase"),
    (("    max_days_since_purchase: 30\n    note: full", "    max_days_since_purchase: 30\n"
                                                         "    min_days_since_purchase: 45\n    note: full"),
     "- kinds: [refund, replacement, store_credit]", "concessions[0]: min_days_since_purchase (45) is after"),
    (("first_response_target_minutes: 60", "first_response_target_minutes: .inf"), "first_response_target",
     "finite"),
    (("first_response_target_minutes: 60", "first_response_target_minutes: 1e308"), "first_response_target",
     "less than or equal to 43200"),
    (("    max_amount: 100", "    max_amount: .inf"), "max_amount: .inf", "finite"),
    (("  high: 0.5 ", "  high: 1.5 "), "high: 1.5", "precedent.high"),
    (("  full_reach_followers: 1000000", "  full_reach_followers: 100000000000000"), "full_reach_followers",
     "less than or equal to"),
    (("  influence_bands: [1000, 10000, 100000]", "  influence_bands: [1000, 100, 100000]"), "influence_bands",
     "must be increasing"),
    (("    blame:\n      weight: 25", "    blame:\n      weight: 25\n      grades: {1: 0.5}"), "grades: {1: 0.5}",
     "scorecard.criteria.blame.grades: blame is a yes/no criterion"),
    (("      grades: {0: 0.2, 60: 0.4, 240: 0.7, 1440: 1.0}", "      grades: {0: 0.2, 60: 1.4}"),
     "grades: {0: 0.2, 60: 1.4}", "share 1.4 must be between 0 and 1"),
    (("    blame:\n", "    blmae:\n"), "    blmae:", "scorecard.criteria.blmae: unknown criterion 'blmae'"),
    (("excused_when: [customer_asked_for_contact,", "excused_when: [asked_nicely,"), "excused_when: [asked_nicely,",
     "scorecard.criteria.deflection.excused_when[0]: unknown excuse 'asked_nicely'"),
    (("  repeat_similarity: 0.8 ", "  repeat_similarity: 0 "), "repeat_similarity", "threads.repeat_similarity"),
]


@pytest.mark.parametrize("edit,marker,words", CASES)
def test_bad_rulebooks_are_refused_in_one_line_naming_the_place(tmp_path, edit, marker, words):
    text = _edit(*edit)
    p = tmp_path / "policy.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rulebook(p)
    msg = str(err.value)
    assert len(msg.splitlines()) == 1, msg
    assert msg.startswith(f"{p}:{_line_of(text, marker)}: "), msg
    assert words in msg, msg


def test_the_shipped_rulebook_is_valid_and_every_criterion_it_names_is_known():
    book = load_rulebook()
    card = book.scorecard
    assert card.pass_mark == 80
    critical = {n for n, r in card.criteria.items() if r.critical}
    assert critical == {"deflection", "pii_exposed", "never_acceptable", "off_policy_high_precedent"}
    assert card.criteria["late_response"].grades and card.criteria["precedent_risk"].grades


def test_the_command_line_exits_2_with_the_line(tmp_path):
    p = tmp_path / "policy.yaml"
    p.write_text(_edit("      weight: 25", "      weight: .inf"), encoding="utf-8")
    data = tmp_path / "r.csv"
    data.write_text("message_id,thread_id,role,author_id,created_at,text\n1,t,customer,a,2024-01-01T00:00:00Z,hi\n",
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "carebench", "qa", "score", str(data), "--policy", str(p), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and f"{p}:{_line_of(p.read_text(), '.inf')}:" in proc.stderr
    assert not (tmp_path / "o").exists()
