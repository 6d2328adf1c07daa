"""The language detector a run uses: :mod:`qa.language` when it exists, always answering a code or "und".

Its own module so that both the pipeline and its worker processes (:mod:`qa.parallel`) can import it."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["language_detector"]


def language_detector() -> tuple[Callable[[str], str], Callable[[list[str]], str]]:
    """(reply detector, thread detector) from ``qa.language`` if present, always returning a code or "und"."""
    try:
        from . import language  # type: ignore[attr-defined]

        detect = language.detect
    except (ImportError, AttributeError):
        return (lambda text: "und"), (lambda posts: "und")
    thread_fn = getattr(language, "thread_language", None)

    def safe(text: str) -> str:
        try:
            out = detect(text)
        except Exception:  # a detector failing on odd text must not stop an audit
            return "und"
        if type(out) is str:  # qa.language's answer: no attribute lookups (each missing one raises inside)
            return out or "und"
        if isinstance(out, tuple):
            out = out[0]
        out = getattr(out, "language", getattr(out, "lang", out))
        return str(out) if out else "und"

    def thread(posts: list[str]) -> str:
        if thread_fn is None:
            return safe("\n".join(posts))
        try:
            return str(thread_fn(posts) or "und")
        except Exception:  # as above
            return "und"

    return safe, thread
