"""The QA report an auditor reads: worst replies with their evidence in context, consistency findings.

The content is built once as a list of blocks (headings, paragraphs, tables, threads) and then written by a
renderer per format (:data:`RENDERERS`: HTML, Markdown), so the two never disagree and a format is added by
adding a renderer. Works from a :class:`~qa.pipeline.QAResult` alone, so ``carebench qa report DIR`` can
re-render from the files of an earlier run.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .pipeline import CHECK_COLUMNS, QAResult

__all__ = ["render", "RENDERERS", "build_blocks", "WORST_N"]

WORST_N = 20


@dataclass
class Block:
    kind: str  # h1, h2, p, table, thread
    text: str = ""
    table: pd.DataFrame | None = None
    thread: list[dict[str, Any]] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


def _evidence_texts(evidence: str) -> list[str]:
    return [t for t in re.findall(r'"([^"]+)"', evidence or "") if t.strip()]


def _rate(s: pd.Series) -> str:
    s = s.astype("boolean")
    known = s.notna().sum()
    return f"{int(s.sum())}/{known}" if known else "not checked"


def build_blocks(result: QAResult, worst_n: int = WORST_N) -> list[Block]:
    sc = result.scores
    meta = result.meta
    b: list[Block] = [Block("h1", f"QA report: {meta.get('source', '')}")]
    threads = sc["thread_id"].nunique() if len(sc) else 0
    b.append(Block("p", f"Policy: {meta.get('policy', '')} ({meta.get('policy_file', '')}); format: "
                        f"{meta.get('format', '')}; {len(sc)} brand replies in {threads} threads; "
                        f"{len(result.broken_rows)} broken rows skipped."))
    checks = list(result.checks_run)
    missing = [c for c in CHECK_COLUMNS if c not in checks]
    b.append(Block("p", f"Checks run: {', '.join(checks) or 'none registered'}"
                        + (f"; not available (columns left empty): {', '.join(missing)}" if missing else "")
                        + (f"; {meta.get('check_error_count', len(result.check_errors))} check errors"
                           if result.check_errors else "")))
    if len(sc):
        summary = pd.DataFrame({
            "measure": ["mean score", "auto-fail", "off-policy concessions", "high precedent risk",
                        "late first responses", "template overuse", *CHECK_COLUMNS],
            "value": [f"{sc['score'].mean():.1f}", f"{int(sc['auto_fail'].sum())}",
                      f"{int((sc['policy_status'] == 'off_policy').sum())}",
                      f"{int(sc['flags'].str.contains('high_precedent_risk').sum())}",
                      _rate(sc["late_response"]), f"{int(sc['template_overuse'].astype(bool).sum())}",
                      *[_rate(sc[c]) for c in CHECK_COLUMNS]],
        })
        b += [Block("h2", "Summary"), Block("table", table=summary)]

    b.append(Block("h2", f"Worst {worst_n} replies"))
    worst = sc.sort_values(["auto_fail", "score", "precedent_risk"], ascending=[False, True, False]).head(worst_n)
    msgs = result.messages
    if len(msgs):  # only the worst replies' threads: grouping every thread costs an index per thread
        msgs = msgs[msgs["thread_id"].isin(worst["thread_id"].astype(str).unique())]
    by_thread = msgs.groupby("thread_id", sort=False) if len(msgs) else None
    for r in worst.itertuples(index=False):
        b.append(Block("h3", f"Reply {r.reply_id} — score {r.score:g}"
                             f"{' (auto-fail: ' + r.auto_fail_reasons + ')' if r.auto_fail else ''}"))
        b.append(Block("p", f"Brand {r.brand}, agent {r.agent_id if isinstance(r.agent_id, str) else '?'}, "
                            f"channel {r.channel}; flags: {r.flags or 'none'}; precedent risk {r.precedent_risk:.2f}"
                            f" = departure {r.departure:.2f} × visibility {r.visibility:.2f} × claimability "
                            f"{r.claimability:.2f}" + (f"; policy: {r.policy_reasons}" if r.policy_reasons else "")))
        if r.evidence:
            b.append(Block("p", f"Evidence: {r.evidence}"))
        thread: list[dict[str, Any]] = []
        if by_thread is not None and str(r.thread_id) in by_thread.groups:
            t = by_thread.get_group(str(r.thread_id))
            for mm in t.itertuples(index=False):
                thread.append({"id": mm.message_id, "role": mm.role, "author": mm.author_id,
                               "time": str(mm.created_at)[:19], "text": mm.text, "this": mm.message_id == r.reply_id})
                if mm.message_id == r.reply_id:
                    break
        else:
            thread.append({"id": r.reply_id, "role": "brand", "author": r.brand, "time": "", "text": r.text,
                           "this": True})
        b.append(Block("thread", thread=thread, marks=_evidence_texts(r.evidence)))

    b.append(Block("h2", "Consistency findings"))
    cons = result.consistency
    if cons is None or cons.empty:
        b.append(Block("p", "No significant difference in treatment of the same issue was found."))
    else:
        b.append(Block("p", f"{len(cons)} findings (Benjamini-Hochberg q ≤ alpha, difference ≥ min_effect)."))
        b.append(Block("table", table=cons[["summary", "difference", "ci_low", "ci_high", "p_value", "q_value",
                                            "example_reply_ids"]].head(50)))

    if len(sc) and "template_id" in sc.columns:
        tpl = sc[sc["template_overuse"].astype(bool)]
        b.append(Block("h2", "Template overuse"))
        if tpl.empty:
            b.append(Block("p", "No near-identical reply was sent to several different issues."))
        else:
            g = tpl.groupby("template_id").agg(replies=("reply_id", "size"), issues=("issue", "nunique"),
                                               example=("text", "first"))
            g = g.sort_values("replies", ascending=False).head(15).reset_index()
            b.append(Block("table", table=g))

    un = result.unanswered
    if un is not None and len(un):
        rep = un[un["repeat"].astype(bool)]
        b.append(Block("h2", "Unanswered customer posts"))
        b.append(Block("p", f"{len(un)} customer posts had no brand reply after them; {len(rep)} of them were "
                            "repeats (the customer had already posted and was still waiting)."))
        if len(rep):
            b.append(Block("table", table=rep[["thread_id", "message_id", "created_at", "text"]].head(20)))

    for by, df in result.aggregates.items():
        if df is not None and len(df):
            b.append(Block("h2", f"By {by.replace('_id', '')} (lowest mean score first)"))
            b.append(Block("table", table=df.head(25)))

    if result.broken_rows:
        b.append(Block("h2", "Broken rows (skipped)"))
        b.append(Block("table", table=pd.DataFrame(result.broken_rows[:50], columns=["line", "reason"])))
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
                    text = " ".join(str(m["text"]).split())
                    for mark in bl.marks:
                        text = text.replace(" ".join(mark.split()), f"**{' '.join(mark.split())}**")
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

    def _text(self, text: str, marks: list[str]) -> str:
        s = html.escape(str(text))
        for mark in sorted(set(marks), key=len, reverse=True):
            e = html.escape(mark)
            if e and e in s:
                s = s.replace(e, f"<mark>{e}</mark>")
        return s.replace("\n", "<br>")

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


def render(result: QAResult, fmt: str = "html", worst_n: int = WORST_N) -> str:
    """The report as text in ``fmt`` ("html" or "md")."""
    return RENDERERS[fmt].render(build_blocks(result, worst_n))
