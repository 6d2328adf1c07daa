"""Adding a check is one module and its registration: the column, the scorecard criterion, flags, evidence,
aggregates, the evaluator and the app's review list follow from its declaration. Evidence stays structured
and survives the CSV. The qa modules import one another without circles."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from qa import evidence as ev
from qa.api import load_outputs, write_outputs
from qa.checks.base import CHECKS, SPECS, Evidence, Finding, ReplyContext, register
from qa.evaluate import precision_recall
from qa.pipeline import score_messages
from qa.rulebook import Rulebook
from qa.scorecard import aggregate

QA = Path(__file__).resolve().parents[2] / "qa"


class ShoutingCheck:
    """The reply shouts: three or more words in capitals."""

    name = "shouting"

    def run(self, ctx: ReplyContext) -> Finding:
        words = [(i, w) for i, w in enumerate(ctx.text.split()) if len(w) >= 2 and w.isupper()]
        if len(words) < 3:
            return Finding(self.name, False)
        start = ctx.text.index(words[0][1])
        end = ctx.text.index(words[-1][1]) + len(words[-1][1])
        return Finding(self.name, True, (Evidence(start, end, ctx.text[start:end]),))


@pytest.fixture
def shouting():
    register(ShoutingCheck())
    yield
    CHECKS.pop("shouting", None)
    SPECS.pop("shouting", None)


def test_a_new_check_is_one_module_and_its_registration(shouting, build, tmp_path):
    book = Rulebook.model_validate({"languages": ["en"], "first_response_target_minutes": 60, "scorecard": {
        "pass_mark": 80, "criteria": {"shouting": {"weight": 25}}}})  # the rulebook may name it at once
    r = score_messages(build([
        dict(role="customer", text="@Acme where is my order"),
        dict(message_id="loud", role="brand", text="@pat WE ARE LOOKING INTO IT, please wait."),
        dict(thread_id="t2", role="customer", text="@Acme where is my order"),
        dict(thread_id="t2", message_id="calm", role="brand", text="@pat We are looking into it, please wait."),
    ]), book)
    s = r.scores.set_index("reply_id")
    assert s.loc["loud", "shouting"] and not s.loc["calm", "shouting"]
    assert s.loc["loud", "score"] == 75 and "25 shouting" in s.loc["loud", "score_explained"]
    assert "shouting" in s.loc["loud", "flags"].split(";")
    (item,) = [i for i in s.loc["loud", "evidence"] if i.check == "shouting"]
    assert item.text == "WE ARE LOOKING INTO IT," and item.start >= 0
    assert "shouting_rate" in aggregate(r.scores, "brand").columns
    labels = pd.DataFrame({"reply_id": ["loud", "calm"], "shouting": [1, 0]})
    pr = precision_recall(r.scores, labels).set_index("check")
    assert pr.loc["shouting", "precision"] == 1.0 and pr.loc["shouting", "recall"] == 1.0
    from carebench_app.qa_service import reviewable_checks

    assert "shouting" in reviewable_checks()
    # through the CSV and back: the spans are still spans
    write_outputs(r, tmp_path / "run")
    back = load_outputs(tmp_path / "run").scores.set_index("reply_id")
    assert [i for i in back.loc["loud", "evidence"] if i.check == "shouting"] == [item]


def test_evidence_has_one_serialisation_and_one_parser():
    items = (ev.Item("deflection", "call us", 4, 11), ev.Item("pii_exposed", "a@b.c", 20, 25, "public reply on x"),
             ev.Item("template_overuse", note="same text as reply 7"))
    text = ev.dumps(items)
    assert ev.parse(text) == items and ev.parse(list(items)) == items and ev.dumps(()) == "[]"
    assert ev.snippets(text, "pii_exposed") == ["a@b.c"] and ev.notes(text, "template_overuse") == ["same text as "
                                                                                                     "reply 7"]
    old = 'deflection: "call us" | template_overuse: same text as reply 7'  # earlier runs' text
    assert ev.snippets(old, "deflection") == ["call us"] and ev.notes(old, "template_overuse") == ["same text as "
                                                                                                    "reply 7"]



def test_evidence_appended_to_its_json_is_the_json_of_all_the_items():
    """A streamed run appends phase three's items to the spilled JSON: the same text as dumping them all."""
    items = (ev.Item("deflection", 'say "hi" \\ ñ 😀', 0, 12), ev.Item("x", note="n"), ev.Item("y", "t"))
    for k in range(len(items) + 1):
        for more in [(), items[:1], items[1:]]:
            assert ev.dumps_more(ev.dumps(items[:k]), more) == ev.dumps(items[:k] + more)
    # independent truth: json's own list of the items' objects (items seen before come from the memo)
    import json

    for _ in range(2):
        assert ev.dumps(items + items[:1]) == json.dumps([i.as_dict() for i in items + items[:1]],
                                                         ensure_ascii=False, separators=(",", ":"))

def _imports(path: Path) -> set[str]:
    """qa modules imported by ``path`` anywhere except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    out = set()
    pkg = ".".join(path.relative_to(QA.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out |= {n for n in names if n.startswith("qa.") and (QA.parent / (n.replace(".", "/") + ".py")).exists()}
    return out


def test_qa_modules_import_each_other_without_circles():
    graph = {".".join(p.relative_to(QA.parent).with_suffix("").parts): _imports(p) for p in QA.rglob("*.py")
             if p.name != "__init__.py"}
    seen: dict[str, int] = {}

    def visit(mod: str, stack: list[str]) -> None:
        seen[mod] = 1
        for nxt in graph.get(mod, ()):
            assert seen.get(nxt) != 1, " -> ".join([*stack, mod, nxt])
            if nxt not in seen:
                visit(nxt, [*stack, mod])
        seen[mod] = 2

    for mod in graph:
        if mod not in seen:
            visit(mod, [])
    assert "qa.scorecard" not in graph["qa.rulebook"]


def test_qa_modules_stay_small():
    big = {p.name: n for p in QA.glob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not big, big


def test_a_shared_finding_cannot_be_changed_by_one_caller() -> None:
    """Most replies get one shared "nothing found" finding per check (``settled``): it equals the finding built
    afresh, and no caller can change the detail every other reply shares."""
    from qa.checks.base import settled

    shared = settled("deflection", False, channels=())
    assert shared is settled("deflection", False, channels=())
    assert shared == Finding("deflection", False, (), {"channels": ()})
    with pytest.raises(TypeError):
        shared.detail["channels"] = ("phone",)  # type: ignore[index]
    quiet = CHECKS["deflection"].run(ReplyContext("r1", "@1 Thanks for the kind words!"))
    assert quiet is shared and dict(quiet.detail) == {"channels": ()}


def test_a_finding_is_one_slotted_frozen_value() -> None:
    """``Finding`` is slotted (no ``__dict__``: one object a finding for the collector to walk) and still a frozen
    value: equal by its fields, hashable when its parts are, copied by ``replace``, pickled and read back, and
    each finding built without a detail gets its own empty dict."""
    import dataclasses
    import pickle

    ev1 = (Evidence(0, 4, "call"),)
    a = Finding("deflection", True, ev1, {"channels": ("phone",)})
    assert not hasattr(a, "__dict__")
    assert a == Finding("deflection", True, (Evidence(0, 4, "call"),), {"channels": ("phone",)})
    assert a != Finding("deflection", True, ev1, {"channels": ("phone",)}, "both")
    assert (a.check, a.verdict, a.evidence, a.source) == ("deflection", True, ev1, "rule")
    assert dataclasses.replace(a, source="model").source == "model"
    assert pickle.loads(pickle.dumps(a)) == a
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.verdict = False  # type: ignore[misc]
    b, c = Finding("blame", False), Finding("blame", False)
    assert b.detail == {} and b.detail is not c.detail and b.evidence == ()
