"""The scorecard on ``brief_threads_17``: courtesy that fixes nothing (lesson 14), with the QA lead's verdicts.

Each audited reply's verdict (pass or fail, score band, criteria it must and must not fail) is in
``brief_threads_17`` beside the threads, written before the tool was run. The round adds ``no_next_step``
(``qa/criteria.py``, words in the phrase files' ``courtesy`` lists): a reply to a post that needed one, made of
courtesy alone, loses 20 points, so with what such replies also miss (taking up nothing the customer wrote,
empathy, time) it falls under the pass mark.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from carebench_shared.config import ConfigError
from qa.api import load_policy, score_file
from qa.closings import closing_rule
from qa.courtesy import courtesy_only
from qa.rulebook import DEFAULT_POLICY

sys.path.insert(0, str(Path(__file__).parent))
from brief_threads import assert_verdict  # noqa: E402
from brief_threads_17 import VERDICTS, write_csv  # noqa: E402

BOOK = load_policy()


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief17") / "threads.csv"
    write_csv(str(path))
    return score_file(path).scores.set_index("reply_id")



@pytest.mark.parametrize("rid", sorted(VERDICTS))
def test_each_reply_gets_the_qa_leads_verdict(scores, rid):
    assert_verdict(VERDICTS[rid], scores.loc[rid])


def test_the_charge_is_explained_with_its_weight(scores):
    assert scores.loc["nn-sorry-2", "score_explained"] == \
        "100 - 5 no personalisation - 20 no next step = 75; fail (pass mark 80)"


@pytest.mark.parametrize("text", [
    "Sorry to hear that.", "We understand your frustration and appreciate your patience.",
    "@sam_k Hi Sam, so sorry about this! Thanks for letting us know. ^JD", "Apologies for the inconvenience, Ana.",
    "Thank you for reaching out. Let us know if there's anything else we can do!",
    "Lo sentimos mucho, gracias por tu paciencia.", "¡Hola! Quedamos atentos a lo que necesites. Saludos",
])
def test_courtesy_alone(text):
    assert courtesy_only(text)


@pytest.mark.parametrize("text", [
    "Sorry, we've fixed it now.", "Sorry to hear that, can you send us your order number?",
    "So sorry! An engineer will call you tomorrow.", "Sorry, we'll be in touch shortly.",
    "Sorry to hear that. Is it still happening?", "Thanks! Steps are at https://help.acme.com/reset",
    "Sorry, it opens at 10am.", "Fixed, thanks!", "Lo sentimos, ya lo estamos revisando.",
    "Gracias, te llamará un técnico mañana.", "", "🙏",
])
def test_more_than_courtesy(text):
    assert not courtesy_only(text)


def test_thanks_with_details_is_grateful_and_a_complaint_with_thanks_is_not():
    rule = closing_rule()
    assert rule.grateful("thanks for changing my seat so quickly this morning")
    assert rule.grateful("Muchas gracias por cambiarme la reserva tan rápido")
    assert not rule.grateful("thanks, but my parcel still hasn't arrived")
    assert not rule.grateful("thanks for nothing")
    assert not rule.grateful("my parcel is late")


def test_the_weight_is_the_rulebooks_and_a_wrong_one_is_refused(tmp_path):
    rule = BOOK.scorecard.criteria["no_next_step"]
    assert rule.weight == 20 and not rule.critical
    text = Path(DEFAULT_POLICY).read_text("utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("      weight: 20               # under the mark", "      weight: 200  #"), "utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml:\d+: scorecard.criteria.no_next_step.weight"):
        load_policy(bad)


def test_courtesy_can_be_imported_on_its_own():
    code = "from qa.courtesy import courtesy_only; print(courtesy_only('Sorry to hear that.'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "True", out.stderr[-500:]
