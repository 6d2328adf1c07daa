"""``carebench qa score`` on a file of any size: batches of whole threads in, a complete results folder out.

Phase one (:meth:`qa.pipeline.Audit.add`) runs batch by batch as :mod:`qa.batches` reads the file; each
batch's messages go to ``messages.parquet`` and its scored replies to a private spill file, so memory holds
one batch plus the compact whole-file data (:mod:`qa.wholefile`). Phase two groups issues and templates and
runs the consistency statistics once. Phase three reads the spill back batch by batch, scores, and appends to
``scores.csv``, while the report's counts and worst replies are gathered (:mod:`qa.report_data`). Everything
is written inside :func:`carebench_shared.atomic.atomic_dir`: an interrupted run leaves the old folder as it
was and no partial one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carebench_shared.atomic import OutputError, atomic_dir

from .batches import open_batches
from .consistency import FINDING_COLUMNS
from .evidence import dumps
from .memory import concat_categories, frozen_heap, release, use_system_arrow_pool
from .outputs import MessageWriter, write_csv, write_json
from .parallel import phase_one, start_workers
from .pipeline import BATCH_MESSAGES, Audit, finish_unanswered, merge_repeats, score_columns
from .report import RENDERERS, build_blocks
from .report_data import ReportBuilder
from .rulebook import load_rulebook
from .scorecard import AGGREGATE_BY, aggregate
from .templates import echo_flags
from .verdicts import flag_specs

__all__ = ["score_to_folder", "RunSummary", "learned_model"]

StageFn = Callable[[str, int, int], None]


@dataclass
class RunSummary:
    """What a streamed run tells the command line."""

    counts: dict[str, Any]
    findings: int
    broken_rows: list[tuple[int, str]]
    check_errors: list[tuple[str, str, str]]
    format: str
    written: list[Path] = field(default_factory=list)


def _echo_reader(spills: list[Path], starts: np.ndarray, min_letters: int) -> Callable[[np.ndarray], np.ndarray]:
    """``echo_of(positions)``: reads only the spilled batches that hold those replies."""
    def echo_of(rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), dtype=bool)
        which = np.searchsorted(starts, rows, side="right") - 1
        for b in np.unique(which):
            t = pd.read_pickle(spills[b])[["pos", "text", "customer_text"]].set_index("pos")
            sel = np.flatnonzero(which == b)
            sub = t.loc[rows[sel]]
            out[sel] = echo_flags(sub["text"].tolist(), sub["customer_text"].tolist(), min_letters)
        return out
    return echo_of


_AGG_KEEP = ("score", "passed", "auto_fail", "policy_status", "precedent_risk", "latency_minutes")


def _agg_part(scores: pd.DataFrame, flags: list[str]) -> pd.DataFrame:
    """The columns the per-agent/channel/brand tables need, compactly."""
    keep = [c for c in (*AGGREGATE_BY, *_AGG_KEEP, *flags) if c in scores.columns]
    part = scores[keep].copy()
    for c in (*AGGREGATE_BY, "policy_status"):
        if c in part.columns:
            part[c] = part[c].astype("string[pyarrow]").astype("category")
    return part


def _worst_threads(messages_path: Path, worst: pd.DataFrame) -> pd.DataFrame:
    """The messages of the worst replies' threads, in file order, read a row group at a time (a filtered
    ``read_table`` reads ahead several row groups at once: the run's peak on a million replies)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    ids = sorted(set(worst["thread_id"].astype(str))) if len(worst) else []
    if not ids:
        return pd.DataFrame()
    wanted = pa.array(ids, type=pa.string())
    f = pq.ParquetFile(messages_path)
    parts = []
    for g in range(f.num_row_groups):
        hit = pc.is_in(f.read_row_group(g, columns=["thread_id"])["thread_id"], value_set=wanted)
        if pc.any(hit).as_py():
            parts.append(f.read_row_group(g).filter(hit))
    return (pa.concat_tables(parts) if parts else f.schema_arrow.empty_table()).to_pandas()


def learned_model(model: str | Path | None):
    """The learned model asked for (``"default"``: the shipped one), or None; scikit-learn is imported only
    when one is asked for (its import is most of a small run's time)."""
    if model is None or str(model) == "none":
        return None
    from .learned import resolve_model

    return resolve_model(str(model))


def score_to_folder(path: str | Path, out: str | Path, policy_path: str | Path | None = None,
                    report_format: str = "html", progress: StageFn | None = None,
                    batch_messages: int = BATCH_MESSAGES, model: str | Path | None = None,
                    jobs: int = 1) -> RunSummary:
    """Score ``path`` into the folder ``out`` with bounded memory; see the module docstring.

    ``model``: a learned model file to combine with the rules, ``"default"`` for the shipped one, or None.
    ``jobs``: processes scoring phase one (:mod:`qa.parallel`); the folder is the same for any number."""
    from carebench_shared.config import ConfigError

    learned = learned_model(model)
    book = load_rulebook(policy_path)
    use_system_arrow_pool()
    # workers start during the first pass over the file; batches keep their size (a twcs batch is sorted
    # by thread inside: another size, another row order), so a file of one or two batches stays here
    workers = start_workers(jobs, path, book, learned, at_least=2 * batch_messages + 1)
    try:
        source = open_batches(path, batch_messages)
        with atomic_dir(out) as tmp, frozen_heap() as settle:
            summary = _run(settle, source, book, tmp, report_format, progress, str(policy_path or "shipped default"),
                           learned, None if model is None else str(model), workers)
    except OutputError as exc:
        raise ConfigError(str(exc)) from None
    finally:
        if workers is not None:
            workers.close()
    summary.written = sorted(Path(out) / p.name for p in summary.written)
    return summary


def _run(settle: Callable[[], None], source, book, tmp: Path, report_format: str, progress: StageFn | None, policy_file: str,
         model: Any = None, model_name: str | None = None, workers: Any = None) -> RunSummary:
    """The three phases in order, in the private folder ``tmp`` (one function so the order of the phases and
    what each keeps alive between them reads top to bottom). ``settle()`` between batches keeps the garbage
    collector off the long-lived heap (:func:`qa.memory.frozen_heap`)."""
    work = tmp / ".work"
    work.mkdir()
    audit = Audit(book, keep_authors=source.keep_authors, model=model, spill_dir=work)
    messages = MessageWriter(tmp / "messages.parquet")
    spills, unanswered, starts = [], [], []
    settle()
    i = -1
    for batch, b in phase_one(audit, source.batches(), workers):  # not enumerate(): its reused result tuple
        i += 1  # would keep the last batch's replies alive while the next batch is read and scored
        starts.append(audit.replies - len(b.table))
        messages.write(batch)
        spills.append(work / f"replies-{i}.pkl")
        # evidence spilled as the JSON scores.csv holds (qa.evidence.dumps): a string pickles and loads back
        # several times faster than a tuple of items, and phase three appends to it (qa.wholefile.apply)
        b.table["evidence"] = [dumps(x) for x in b.table["evidence"].tolist()]
        b.table.to_pickle(spills[-1])
        unanswered.append(work / f"unanswered-{i}.pkl")
        b.unanswered.to_pickle(unanswered[-1])
        del b, batch
        release()
        settle()
        if progress is not None:
            progress("reading and scoring messages", audit.messages, source.records)
    messages.close()
    if progress is not None:
        progress("grouping issues and templates, consistency", 0, 0)
    whole = audit.finish(_echo_reader(spills, np.asarray(starts, dtype=np.int64), book.consistency.echo_min_letters))
    release()
    flags = [s.column for s in flag_specs().values()]
    builder = ReportBuilder(flags)
    parts, done = [], 0
    with open(tmp / "scores.csv", "w", encoding="utf-8", newline="") as fh:
        for i, p in enumerate(spills):
            scores = audit.complete(pd.read_pickle(p), whole)
            write_csv(fh, scores, header=i == 0)
            builder.add(scores)
            parts.append(_agg_part(scores, flags))
            p.unlink()
            done += len(scores)
            del scores
            settle()
            if progress is not None:
                progress("writing scores", done, audit.replies)
        if not spills:
            write_csv(fh, pd.DataFrame(columns=score_columns(audit.checks)))
    agg_table = concat_categories(parts)
    del parts
    aggregates = {by: aggregate(agg_table, by, flags) for by in AGGREGATE_BY}
    del agg_table
    with open(tmp / "unanswered.csv", "w", encoding="utf-8", newline="") as fh:
        for i, p in enumerate(unanswered):
            un = finish_unanswered([pd.read_pickle(p)], whole)
            write_csv(fh, un, header=i == 0)
            builder.add_unanswered(un)
        if not unanswered:
            write_csv(fh, finish_unanswered([], whole))
    reps = merge_repeats(whole)
    builder.add_repeats(reps)
    with open(tmp / "repeats.csv", "w", encoding="utf-8", newline="") as fh:
        write_csv(fh, reps)
    findings = whole.findings if len(whole.findings) else pd.DataFrame(columns=FINDING_COLUMNS)
    findings.to_csv(tmp / "consistency.csv", index=False)
    for by, df in aggregates.items():
        df.to_csv(tmp / f"by_{by}.csv", index=False)
    pd.DataFrame(source.broken_rows, columns=["line", "reason"]).to_csv(tmp / "broken_rows.csv", index=False)
    meta = dict(audit.meta(), source=str(source.path), format=source.format, policy_file=policy_file, model=model_name,
                checks_run=list(audit.checks), check_errors=[list(e) for e in audit.errors[:100]],
                check_error_count=len(audit.errors), report_counts=builder.counts())
    write_json(tmp / "meta.json", meta)
    data = builder.data(_worst_threads(tmp / "messages.parquet", builder.worst), findings, aggregates,
                        source.broken_rows, meta, tuple(audit.checks), len(audit.errors))
    for fmt in (["html", "md"] if report_format == "both" else [report_format]):
        (tmp / f"report.{fmt}").write_text(RENDERERS[fmt].render(build_blocks(data)), encoding="utf-8")
    shutil.rmtree(work)
    return RunSummary(builder.counts(), len(findings), source.broken_rows, audit.errors, source.format,
                      [p for p in tmp.iterdir() if not p.name.startswith(".")])

