"""The QA report an auditor reads: the rubric, the worst replies with their evidence in context and the sum
behind each score, consistency findings (strong and suggestive), thread findings, aggregates.

The content is built once as a list of blocks (headings, paragraphs, tables, threads) and then written by a
renderer per format (:data:`RENDERERS`: HTML, Markdown), so the two never disagree and a format is added by
adding a renderer. It reads a :class:`~qa.report_data.ReportData`, gathered chunk by chunk, so a streamed
run, an in-memory :class:`~qa.pipeline.QAResult` and ``carebench qa report DIR`` give the same report.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import evidence as ev
from .report_data import WORST_N, ReportBuilder, ReportData, worst_threads

__all__ = ["render", "RENDERERS", "build_blocks", "WORST_N", "data_from_result"]


@dataclass
class Block:
    kind: str  # h1, h2, h3, p, table, thread
    text: str = ""
    table: pd.DataFrame | None = None
    thread: list[dict[str, Any]] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)  # evidence spans in the reply's text


def data_from_result(result: Any, worst_n: int = WORST_N) -> ReportData:
    """The report's content from an in-memory :class:`~qa.pipeline.QAResult` (all its replies at once)."""
    from .verdicts import flag_specs

    b = ReportBuilder([s.column for s in flag_specs().values()], worst_n)
    b.add(result.scores)
    if result.unanswered is not None and len(result.unanswered):
        b.add_unanswered(result.unanswered)
    if getattr(result, "repeats", None) is not None and len(result.repeats):
        b.add_repeats(result.repeats)
    return b.data(worst_threads(result.messages, b.worst), result.consistency, result.aggregates,
                  result.broken_rows, result.meta, tuple(result.checks_run),
                  int(result.meta.get("check_error_count", len(result.check_errors))))


def _rate(pair: tuple[int, int] | None) -> str:
    return f"{pair[0]:,} of {pair[1]:,}" if pair and pair[1] else "not checked"


def _summary_blocks(d: ReportData) -> list[Block]:
    c, meta = d.counts, d.meta
    out = [Block("h1", f"QA report: {meta.get('source', '')}"),
           Block("p", f"Policy: {meta.get('policy', '')} ({meta.get('policy_file', '')}); format: "
                      f"{meta.get('format', '')}; {c['replies']:,} brand replies in {meta.get('messages', 0):,} "
                      f"messages; {len(d.broken_rows)} broken rows skipped."),
           Block("p", f"Checks run: {', '.join(d.checks_run) or 'none registered'}"
                      + (f"; {d.check_errors} check errors" if d.check_errors else ""))]
    rubric = meta.get("rubric")
    if rubric:
        out.append(Block("p", f"Rubric: each reply starts at 100 and loses a criterion's points when it fails it; "
                              f"a critical failure scores 0; a reply passes with no critical failure and at least "
                              f"{rubric['pass_mark']:g}. Criteria: {rubric['criteria']}."))
    if c["replies"]:
        rows = [("mean score", f"{c['mean_score']:.1f}"), ("passed", f"{c['passed']:,} of {c['replies']:,}"),
                ("critical failures", f"{c['critical']:,}"), ("off-policy concessions", f"{c['off_policy']:,}"),
                ("off policy with high precedent risk", f"{c['high_precedent']:,}")]
        rows += [(col.replace("_", " "), _rate(pair)) for col, pair in c["rates"].items()]
        out += [Block("h2", "Summary"), Block("table", table=pd.DataFrame(rows, columns=["measure", "value"]))]
    return out


def _reply_blocks(d: ReportData, worst_n: int) -> list[Block]:
    out = [Block("h2", f"Worst {worst_n} replies")]
    # a dict, not get_group: pandas 3 raises KeyError for the only group of a one-row frame
    by_thread = (dict(iter(d.threads.groupby(d.threads["thread_id"].astype(str), sort=False))) if len(d.threads)
                 else {})
    for r in d.worst.itertuples(index=False):
        verdict = "pass" if getattr(r, "passed", False) else "fail"
        crit = f", critical: {r.auto_fail_reasons.replace(';', ', ')}" if r.auto_fail else ""
        out.append(Block("h3", f"Reply {r.reply_id} — score {r.score:g} ({verdict}{crit})"))
        agent = r.agent_id if isinstance(r.agent_id, str) else "?"
        out.append(Block("p", f"Brand {r.brand}, agent {agent}, {'public' if r.public else 'private'} reply on "
                              f"{r.channel}; flags: {r.flags or 'none'}."))
        if getattr(r, "score_explained", ""):
            out.append(Block("p", f"Score: {r.score_explained}"))
        items = ev.parse(r.evidence)
        if items:
            parts = [f"{i.check}: " + (f'"{" ".join(i.text.split())}"' if i.text else "")
                     + (f" ({i.note})" if i.note and i.text else i.note) for i in items]
            out.append(Block("p", "Evidence: " + " | ".join(parts)))
        if isinstance(r.policy_reasons, str) and r.policy_reasons:
            out.append(Block("p", f"Policy: {r.policy_reasons}"))
        thread: list[dict[str, Any]] = []
        if str(r.thread_id) in by_thread:
            for mm in by_thread[str(r.thread_id)].itertuples(index=False):
                thread.append({"id": mm.message_id, "role": mm.role, "author": mm.author_id,
                               "time": str(mm.created_at)[:19], "text": mm.text, "this": mm.message_id == r.reply_id})
                if mm.message_id == r.reply_id:
                    break
        else:
            thread.append({"id": r.reply_id, "role": "brand", "author": r.brand, "time": "", "text": r.text,
                           "this": True})
        out.append(Block("thread", thread=thread, marks=_merged([(i.start, i.end) for i in items if i.start >= 0])))
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping evidence becomes one mark, never nested ones."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _pieces(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) at the evidence spans."""
    out, pos = [], 0
    for a, b in marks:
        if a < pos or b > len(text):
            continue  # a span from another text (a re-read file that changed): shown unmarked
        out += [(text[pos:a], False), (text[a:b], True)]
        pos = b
    return [*out, (text[pos:], False)]


def _finding_blocks(d: ReportData) -> list[Block]:
    out = [Block("h2", "Consistency findings")]
    cons = d.consistency
    if cons is None or cons.empty:
        return out + [Block("p", "No difference in treatment of the same issue was found, strong or suggestive.")]
    strength = cons["strength"] if "strength" in cons.columns else pd.Series(["strong"] * len(cons))
    strong, sugg = int((strength == "strong").sum()), int((strength == "suggestive").sum())
    out.append(Block("p", f"{strong} strong findings (significant after correcting for every comparison, "
                          f"Benjamini-Hochberg) and {sugg} suggestive ones (significant within their own brand "
                          "and issue only: leads to check, not verdicts)."))
    cols = [c for c in ("strength", "summary", "example_reply_ids") if c in cons.columns]
    return out + [Block("table", table=cons[cols].head(50))]


def _thread_blocks(d: ReportData) -> list[Block]:
    c, out = d.counts, []
    if len(d.templates):
        out += [Block("h2", "Template overuse"), Block("table", table=d.templates)]
    out.append(Block("h2", "Threads"))
    no_reply = d.meta.get("no_reply_needed", 0)
    out.append(Block("p", f"{c['unanswered']:,} customer posts that needed a reply had none after them, "
                          f"{c['unanswered_repeats']:,} of them repeats (every repeated post needs a reply, lesson 1). "
                          f"{no_reply:,} posts needed no reply (thanks, acknowledgements, closings) and are not "
                          "counted as unanswered."))
    rates = c["rates"].get("no_public_close")
    if rates:
        out.append(Block("p", f"{rates[0]:,} {'reply' if rates[0] == 1 else 'replies'} moved the conversation to DM "
                              "with no public reply closing the "
                              "thread afterwards (lesson 6: come back publicly with the resolution)."))
    if len(d.unanswered):
        out.append(Block("p", f"The first {len(d.unanswered):,} unanswered posts, repeats first:"))
        out.append(Block("table", table=d.unanswered[[x for x in ("thread_id", "message_id", "created_at",
                                                                  "repeat_of", "text") if x in d.unanswered]]))
    if c["repeats"]:
        kinds = ", ".join(f"{v:,} {k}" for k, v in sorted(c["repeat_kinds"].items()))
        out.append(Block("p", f"{c['repeats']:,} customer posts repeat an earlier post of theirs by content "
                              f"({kinds})."))
        if len(d.repeats):
            out.append(Block("table", table=d.repeats[["message_id", "channel", "of_message_id", "of_channel",
                                                       "kind", "similarity"]]))
    return out


def build_blocks(data: Any, worst_n: int = WORST_N) -> list[Block]:
    d = data if isinstance(data, ReportData) else data_from_result(data, worst_n)
    b = _summary_blocks(d) + _reply_blocks(d, worst_n) + _finding_blocks(d) + _thread_blocks(d)
    for by, df in d.aggregates.items():
        if df is not None and len(df):
            b.append(Block("h2", f"By {by.replace('_id', '')} (lowest mean score first)"))
            b.append(Block("table", table=df.head(25)))
    if d.broken_rows:
        b.append(Block("h2", "Broken rows (skipped)"))
        b.append(Block("table", table=pd.DataFrame(d.broken_rows[:50], columns=["line", "reason"])))
    return b


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "" if pd.isna(v) else f"{v:.4g}"
    if v is None or v is pd.NA:
        return ""
    return str(v)


class Markdown:
    name = "md"

    @staticmethod
    def _cell(v: Any) -> str:
        return " ".join(_fmt(v).split()).replace("|", "\\|")

    def render(self, blocks: list[Block]) -> str:
        out: list[str] = []
        for bl in blocks:
            if bl.kind in ("h1", "h2", "h3"):
                out.append("#" * int(bl.kind[1]) + " " + bl.text)
            elif bl.kind == "p":
                out.append(bl.text)
            elif bl.kind == "table" and bl.table is not None:
                cols = list(bl.table.columns)
                out.append("| " + " | ".join(map(str, cols)) + " |")
                out.append("|" + "---|" * len(cols))
                for row in bl.table.itertuples(index=False):
                    out.append("| " + " | ".join(self._cell(v) for v in row) + " |")
            elif bl.kind == "thread":
                for m in bl.thread:
                    pieces = _pieces(str(m["text"]), bl.marks if m["this"] else [])
                    text = "".join(f"**{p.strip()}**" if marked and p.strip() else p for p, marked in pieces)
                    text = " ".join(text.split())
                    arrow = "→ " if m["this"] else ""
                    out.append(f"> {arrow}*{m['role']} {m['author']}* ({m['time']}): {text}  ")
            out.append("")
        return "\n".join(out)


class Html:
    name = "html"
    STYLE = ("body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}"
             "table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ccc;"
             "padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#f3f3f3}"
             ".thread{border-left:3px solid #ccc;padding-left:.75rem;margin:.5rem 0}.msg{margin:.35rem 0}"
             ".brand{color:#124}.this{background:#fff6d6;padding:.2rem}.who{color:#666;font-size:.85rem}"
             "mark{background:#ffb3b3}")

    def _text(self, text: str, marks: list[tuple[int, int]]) -> str:
        return "".join(f"<mark>{html.escape(p)}</mark>" if marked else html.escape(p)
                       for p, marked in _pieces(str(text), marks)).replace("\n", "<br>")

    def render(self, blocks: list[Block]) -> str:
        title = html.escape(blocks[0].text if blocks else "QA report")
        out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
               f"<style>{self.STYLE}</style></head><body>"]
        for bl in blocks:
            if bl.kind in ("h1", "h2", "h3"):
                out.append(f"<{bl.kind}>{html.escape(bl.text)}</{bl.kind}>")
            elif bl.kind == "p":
                out.append(f"<p>{html.escape(bl.text)}</p>")
            elif bl.kind == "table" and bl.table is not None:
                head = "".join(f"<th>{html.escape(str(c))}</th>" for c in bl.table.columns)
                body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
                               for row in bl.table.itertuples(index=False))
                out.append(f"<table><tr>{head}</tr>{body}</table>")
            elif bl.kind == "thread":
                out.append("<div class='thread'>")
                for m in bl.thread:
                    cls = f"msg {m['role']}" + (" this" if m["this"] else "")
                    marks = bl.marks if m["this"] else []
                    out.append(f"<div class='{cls}'><span class='who'>{html.escape(m['role'])} "
                               f"{html.escape(str(m['author']))} · {html.escape(m['time'])}</span><br>"
                               f"{self._text(m['text'], marks)}</div>")
                out.append("</div>")
        out.append("</body></html>")
        return "\n".join(out)


RENDERERS = {r.name: r for r in (Html(), Markdown())}


def render(result: Any, fmt: str = "html", worst_n: int = WORST_N) -> str:
    """The report as text in ``fmt`` ("html" or "md"), from a QAResult or a ReportData."""
    return RENDERERS[fmt].render(build_blocks(result, worst_n))
