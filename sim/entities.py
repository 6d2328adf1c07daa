"""What flows through the model: mentions (posts) and the customers' cases they belong to.

A :class:`Mention` is one post waiting for, or getting, a first response: all the queueing core needs. A
:class:`Post` is a mention of the care model that belongs to a :class:`Case` (one customer's problem, shared by
its first post, repeats, escalations and further posts). Times are minutes on the model clock. The classes use
``__slots__`` and plain attributes: a year of the care model creates about ten million of them.
"""

from __future__ import annotations

__all__ = [
    "Mention", "Post", "Case",
    "WAITING", "ANSWERED", "ABANDONED", "PENDING", "SKIPPED", "UNSEEN",
    "FIRST", "REPEAT", "ESCALATION", "EXTRA", "KIND_NAMES",
]

# states of a mention: waiting in a queue, answered, abandoned; not yet found by listening (pending), skipped by
# triage, never found (unseen)
WAITING, ANSWERED, ABANDONED, PENDING, SKIPPED, UNSEEN = 0, 1, 2, 3, 4, 5
# kinds of post of a case
FIRST, REPEAT, ESCALATION, EXTRA = 0, 1, 2, 3
KIND_NAMES = ("post", "repeat", "escalation", "extra")


class Mention:
    """One customer post; ``arrival`` is when it was posted (waits count from it), ``handle`` the agent minutes
    it needs and ``patience`` how long its customer waits for a first response (``inf``: forever)."""

    __slots__ = ("id", "arrival", "channel", "handle", "patience", "state", "measured", "answered_at")

    def __init__(self, id: int, arrival: float, channel: int, handle: float, patience: float, measured: bool):
        self.id = id
        self.arrival = arrival
        self.channel = channel
        self.handle = handle
        self.patience = patience
        self.state = WAITING
        self.measured = measured
        self.answered_at = -1.0


class Case:
    """One customer's problem; the posts about it share it. ``intent`` and ``channel`` are indices into the
    scenario's lists, ``lang`` the language's name; ``decile`` is the follower decile (-1 without follower counts); ``cluster`` the
    1-based incident it belongs to (0: none); ``need``: the customer expects a reply and acts when none comes;
    ``dual``: the customer also called the phone line."""

    __slots__ = ("id", "start", "intent", "lang", "channel", "followers", "decile", "cluster", "tagged", "need",
                 "dual", "reposts", "resolved", "measured", "bystander")

    def __init__(self, id, start, intent, lang, channel, followers, decile, cluster, tagged, need, dual, measured,
                 bystander=False):
        self.id = id
        self.start = start
        self.intent = intent
        self.lang = lang
        self.channel = channel
        self.followers = followers
        self.decile = decile
        self.cluster = cluster
        self.tagged = tagged
        self.need = need
        self.dual = dual
        self.reposts = 0
        self.bystander = bystander
        self.resolved = False
        self.measured = measured


class Post(Mention):
    """A mention of a case: ``posted`` (= ``arrival``) is when the customer wrote it, ``kind`` one of
    FIRST, REPEAT, ESCALATION, EXTRA, ``deadline`` the post time plus its intent's SLA, ``queue`` the queue it
    waits in (set by the router)."""

    __slots__ = ("posted", "case", "kind", "deadline", "followers", "queue")

    def __init__(self, id, posted, case, kind, handle, patience, measured, deadline):
        # Mention's fields set here directly: one call less per post
        self.id = id
        self.arrival = posted
        self.channel = case.channel
        self.handle = handle
        self.patience = patience
        self.state = WAITING
        self.measured = measured
        self.answered_at = -1.0
        self.posted = posted
        self.case = case
        self.kind = kind
        self.deadline = deadline
        self.followers = case.followers
        self.queue = None
