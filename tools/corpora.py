"""Reply corpora for the dev tools, and running another tree's ``qa`` on them (for side-by-side comparisons).

Two corpora of :class:`ReplyContext`: the real dev replies (read at run time from ``../shared/reference/real/``
through :mod:`real_data`) and generated replies (``qa.generator``, written as a twcs file and read back, so
that language detection runs as on a real export). Either is handed to a child process as JSON, where the
``qa`` package of another tree (a git ref, unpacked by :func:`ref_tree`) runs on exactly the same contexts.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from qa.checks.base import ReplyContext

ROOT = Path(__file__).resolve().parent.parent
CONTEXT_FIELDS = ("reply_id", "text", "customer_text", "customer_language", "reply_language",
                  "earlier_brand_texts", "brand", "channel", "public")


def generated_contexts(threads: int = 3000, seed: int = 1) -> list[ReplyContext]:
    """The brand replies of ``threads`` generated threads, read from their twcs copy (languages detected)."""
    from qa.generator import generate, write_generated
    from qa.learned.contexts import reply_contexts
    from qa.readers import read_messages

    with tempfile.TemporaryDirectory() as d:
        paths = write_generated(generate(threads, seed=seed), Path(d) / "gen.csv")
        return reply_contexts(read_messages(paths[1]).messages)


def dump_contexts(contexts: list[ReplyContext], path: Path) -> None:
    path.write_text(json.dumps([{k: getattr(c, k) for k in CONTEXT_FIELDS} for c in contexts]), "utf-8")


def load_contexts(path: Path) -> list[ReplyContext]:
    data = json.loads(path.read_text("utf-8"))
    return [ReplyContext(**{**d, "earlier_brand_texts": tuple(d["earlier_brand_texts"])}) for d in data]


@contextlib.contextmanager
def ref_tree(ref: str) -> Iterator[Path]:
    """A temporary folder holding the ``qa`` package of git ref ``ref``, and the ``carebench_shared`` it imports
    (the ref's own: a name this tree renamed would not import)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "qa", "carebench_shared"], check=True,
                                 capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp)


def run_child(script: Path, tree: Path, args: list[str]) -> dict:
    """Run ``script args`` with ``qa`` imported from ``tree``; its stdout is one JSON object."""
    env = dict(os.environ, CAREBENCH_QA_ROOT=str(tree))
    out = subprocess.run([sys.executable, str(script), *args], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def clear_text_caches() -> None:
    """Empty the caches keyed by text (language detection, words, phone numbers), so that a repeated timing is
    not flattered by the texts of the run before; caches that learn from use (compiled patterns) are kept, as in
    a server. Looked up by name: an older tree (``--compare REF``) may lack some."""
    from qa import closings, language
    from qa.checks import deflection, entities, tone
    from qa.checks.phrases import phrasebook

    for module, name in ((language, "_classify"), (language, "_detect_cached"), (tone, "_customer_stems"),
                         (tone, "_STEMS"), (tone, "_reply_stems"), (entities, "_VERIFIED"), (entities, "_KINDS"),
                         (deflection, "_customer_keys"), (tone, "courtesy_only"), (closings, "_ANSWERS")):
        cache = getattr(module, name, None)
        clear = getattr(cache, "cache_clear", None) or getattr(cache, "clear", None)  # lru_cache, or a dict
        if clear is not None:
            clear()
    forget = getattr(getattr(phrasebook(), "scanner", None), "forget", None)  # what the scanner remembers
    if forget is not None:
        forget()
