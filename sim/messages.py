"""The reply log's messages as the model makes them: one typed record per customer post and brand reply.

:class:`SimMessage` is what ``on_message`` receives (times are minutes on the model clock, followers as drawn);
:mod:`sim.replylog`, at the edge, writes it in the QA module's reply schema
(:class:`carebench_shared.messages.Message`). :class:`MessageLog` is a part present only when a reply log is
asked for: it observes posts, replies and public fixes of the measured window.

Agents are not tracked one by one in the model; a reply is signed by an agent of its team drawn uniformly among
those on duty, and complaints carry case facts (days since purchase, order value) drawn from their own stream, so
the QA checks have what a real log would give them. None of this shifts the model's draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .entities import KIND_NAMES
from .random import Streams, uniforms

__all__ = ["SimMessage", "MessageLog"]


class SimMessage(NamedTuple):
    """One simulated post (``role`` customer) or reply (``role`` brand)."""

    thread_id: str  # one thread per case: "r{rep}-c{case}"
    message_id: str  # "r{rep}-m{post}", a reply "r{rep}-m{post}-reply"
    in_reply_to: str | None  # the post a reply answers
    author: str  # "customer{case}" or "brand"
    role: str  # "customer" or "brand"
    channel: str
    public: bool
    minute: float  # when it was written, minutes from Monday 00:00 of the window
    language: str  # the case's language ("default" without a languages section)
    agent_id: str | None  # "{team}-{nnn}", "public-fix", or None for a customer's post
    followers: float
    intent: str
    kind: str  # post, repeat, escalation, extra; in_thread, dm, phone, escalate, reply, public_fix
    incident: str | None
    translated: bool
    compensation: str | None  # within, beyond or None
    wait_minutes: float | None  # from the post to this reply
    days_since_purchase: int | None  # case facts of complaints
    order_value: float | None


class MessageLog:
    """Builds a :class:`SimMessage` for every post and reply of the measured window and hands it to ``sink``."""

    def __init__(self, sink: Callable[[SimMessage], None], rep: int, streams: Streams, channel_names: list[str],
                 private: list[bool], intent_names: list[str], incident_names: list[str]) -> None:
        self._sink = sink
        self._rep = rep
        self._u = uniforms(streams.rng("reply_log"))
        self._facts: dict[int, tuple[int, float]] = {}
        self._channels = channel_names
        self._private = private
        self._intents = intent_names
        self._incidents = incident_names

    def posted(self, m) -> None:
        self._emit(m, m.posted, customer=True)

    def replied(self, m, t: float, team, translated: bool, resolution, concession: str | None, handle) -> None:
        if m.measured:
            self._emit(m, t, team=team, translated=translated, kind=resolution.name if resolution else "reply",
                       concession=concession)

    def fixed(self, m, t: float) -> None:
        self._emit(m, t, kind="public_fix", fix=True)

    def _case_facts(self, case) -> tuple[int, float] | None:
        if self._intents[case.intent] != "complaint":
            return None
        facts = self._facts.get(case.id)
        if facts is None:
            facts = self._facts[case.id] = (1 + int(next(self._u) * 90), round(10 + 190 * next(self._u), 2))
        return facts

    def _emit(self, m, t: float, customer: bool = False, team=None, translated: bool = False, kind: str = "",
              concession: str | None = None, fix: bool = False) -> None:
        case = m.case
        rep = self._rep
        facts = self._case_facts(case)
        agent = None
        if not customer:
            agent = "public-fix" if fix else f"{team.name}-{1 + int(next(self._u) * max(1, team.agents)):03d}"
        post_id = f"r{rep}-m{m.id}"
        self._sink(SimMessage(
            thread_id=f"r{rep}-c{case.id}",
            message_id=post_id if customer else post_id + "-reply",
            in_reply_to=None if customer else post_id,
            author=f"customer{case.id}" if customer else "brand",
            role="customer" if customer else "brand",
            channel=self._channels[case.channel],
            public=not self._private[case.channel],
            minute=t,
            language=case.lang,
            agent_id=agent,
            followers=case.followers,
            intent=self._intents[case.intent],
            kind=KIND_NAMES[m.kind] if customer else kind,
            incident=self._incidents[case.cluster - 1] if case.cluster else None,
            translated=bool(translated),
            compensation=concession,
            wait_minutes=None if customer else t - m.posted,
            days_since_purchase=facts[0] if facts else None,
            order_value=facts[1] if facts else None,
        ))
