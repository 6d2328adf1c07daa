"""Stationary queueing formulas for staffing: Erlang C (M/M/n) and Erlang A (M/M/n+M).

Service level here is the share of ALL arrivals answered within ``target`` minutes (abandoned ones are misses,
arrivals answered at once are hits), the definition of the simulator and of ``erlang_reference.csv``.

Erlang A in closed form (Palm 1943; Garnett, Mandelbaum & Reiman 2002): with ``n`` agents, arrival rate
``lam``, service rate ``mu = 1/handle`` and abandonment rate ``theta = 1/patience``, the state probabilities are
Poisson weights up to ``n`` and ``pi[n+j] = pi[n] prod_{i<=j} lam / (n mu + i theta)`` above. An arrival that finds
``j`` waiting ahead of it moves up at rates ``n mu + k theta`` (k = j..0), so its virtual wait V is a sum of
exponentials, and it is answered within T iff ``V <= T`` and its own patience exceeds V. Tilting each phase by
``exp(-theta v)`` gives ``E[1{V<=T} exp(-theta V)] = n mu / (n mu + (j+1) theta) * P(V' <= T)`` where V' is a
sum of exponentials of rates ``n mu + k theta`` (k = 1..j+1): the (j+1)-th order statistic of
``j + 1 + n mu / theta`` exponentials of rate theta, whose law is the regularised incomplete beta
``I_{1-exp(-theta T)}(j+1, n mu/theta + 1)`` (a negative binomial tail). Checked against every case of the reference table to 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

__all__ = [
    "erlang_c_wait_probability",
    "erlang_c_service_level",
    "erlang_a",
    "ErlangAResult",
    "QueueModel",
    "smallest",
]


def _poisson_logs(n: int, load: float) -> tuple[float, float]:
    """``log P(N <= n-1)`` and ``log P(N = n)`` of a Poisson(load) count (-inf where they are 0)."""
    with np.errstate(divide="ignore"):
        log_below = float(np.log(special.gammaincc(n, load))) if n > 0 else -math.inf
    log_at = n * math.log(load) - load - math.lgamma(n + 1)
    return log_below, log_at


def erlang_c_wait_probability(servers: int, load: float) -> float:
    """Erlang C: the chance an arrival finds all ``servers`` busy (1 when ``load >= servers``: unstable)."""
    if load <= 0:
        return 0.0
    if servers <= load:
        return 1.0
    log_below, log_at = _poisson_logs(servers, load)
    blocking = math.exp(log_at - np.logaddexp(log_below, log_at))  # Erlang B
    return servers * blocking / (servers - load * (1.0 - blocking))


def erlang_c_service_level(servers: int, load: float, handle: float, target: float) -> float:
    """Erlang C: share of arrivals answered within ``target`` minutes, ``1 - C exp(-(n - a) T / h)``."""
    if load <= 0:
        return 1.0
    if servers <= load:
        return 0.0
    c = erlang_c_wait_probability(servers, load)
    return max(0.0, 1.0 - c * math.exp(-(servers - load) * target / handle))


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state measures of M/M/n+M (shares of all arrivals)."""

    p_wait: float
    p_abandon: float
    service_level: float


def _queue_terms(servers: int, lam: float, mu: float, theta: float) -> tuple[np.ndarray, np.ndarray]:
    """``j`` and ``log prod_{i<=j} lam / (n mu + i theta)`` for j = 0.., far enough that the rest is < e^-40."""
    nmu = servers * mu
    peak = max(0.0, (lam - nmu) / theta)
    width = math.sqrt(lam / theta)
    span = int(peak + 12.0 * width + 60.0)
    while True:
        j = np.arange(span + 1, dtype=float)
        steps = np.log(lam) - np.log(nmu + j[1:] * theta)
        logs = np.concatenate(([0.0], np.cumsum(steps)))
        if logs[-1] < logs.max() - 40.0 or span > 50_000_000:
            return j, logs
        span *= 2


def _beta_tail(j: np.ndarray, b: float, p: float) -> np.ndarray:
    """``I_p(j+1, b)`` for j = 0, 1, ..: the survival ``P(X > j)`` of a negative binomial X (b failures, success
    chance p), from its pmf by one cumulative sum: ten times faster than ``betainc`` term by term and accurate
    to about 1e-13 in absolute terms, which is what the weighted sums need."""
    if p <= 0.0:
        return np.zeros_like(j)
    if p >= 1.0:  # a target so long that everyone still waiting is answered in time: log1p(-1) is no number
        return np.ones_like(j)
    log_pmf = special.gammaln(j + b) - special.gammaln(j + 1.0) - special.gammaln(b) + j * math.log(p) \
        + b * math.log1p(-p)
    return np.clip(1.0 - np.cumsum(np.exp(log_pmf)), 0.0, 1.0)


def erlang_a(servers: int, load: float, handle: float, patience: float, target: float) -> ErlangAResult:
    """Erlang A (M/M/n+M): wait and abandonment probabilities and the service level within ``target``."""
    if load <= 0:
        return ErlangAResult(0.0, 0.0, 1.0)
    if servers <= 0:
        return ErlangAResult(1.0, 1.0, 0.0)
    mu, theta = 1.0 / handle, 1.0 / patience
    lam = load * mu
    log_below, log_at = _poisson_logs(servers, load)
    j, logs = _queue_terms(servers, lam, mu, theta)
    # everything relative to the largest state weight, so heavy overload cannot overflow
    log_upto = float(np.logaddexp(log_below, log_at))
    queue_logs = log_at + logs  # log weight of n + j in the system, j = 0..
    top = max(log_upto, float(queue_logs.max()))
    queue = np.exp(queue_logs - top)
    below, upto = math.exp(log_below - top), math.exp(log_upto - top)
    nmu = servers * mu
    p = -math.expm1(-theta * target)
    hit = nmu / (nmu + (j + 1.0) * theta) * _beta_tail(j, nmu / theta + 1.0, p)
    z = upto + queue[1:].sum()
    mean_queue = (j * queue).sum() / z
    return ErlangAResult(p_wait=float(queue.sum() / z), p_abandon=float(theta * mean_queue / lam),
                         service_level=float((below + (queue * hit).sum()) / z))


@dataclass(frozen=True)
class QueueModel:
    """The stationary model of one interval's queue, in agents.

    ``handle`` is the mean handling per conversation (minutes); an agent holds ``concurrency`` conversations at
    once and is available ``1 - shrinkage`` of the time, so ``agents`` give ``floor(agents x concurrency x
    (1 - shrinkage))`` servers. ``patience`` None (nobody gives up) is Erlang C, otherwise Erlang A.
    """

    handle: float
    target: float
    patience: float | None = None
    concurrency: float = 1.0
    shrinkage: float = 0.0

    def servers(self, agents: int) -> int:
        return int(math.floor(agents * self.concurrency * (1.0 - self.shrinkage) + 1e-9))

    def service_level(self, load: float, agents: int) -> float:
        """Share answered within the target at ``load`` Erlangs (arrival rate x handle) with ``agents``."""
        n = self.servers(agents)
        if self.patience is None:
            return erlang_c_service_level(n, load, self.handle, self.target)
        return erlang_a(n, load, self.handle, self.patience, self.target).service_level

    def agents_for(self, load: float, goal: float, floor: int = 0, cap: int | None = None,
                   hint: int | None = None) -> int:
        """The fewest agents (at least ``floor``) whose service level at ``load`` reaches ``goal``.

        Returns ``cap`` when even ``cap`` agents fall short (``cap`` None: search without bound). ``hint`` is
        where the search starts (default: enough servers to carry the load).
        """
        if hint is None:
            hint = math.ceil(load / max(1e-9, self.concurrency * (1.0 - self.shrinkage)))
        return smallest(lambda m: self.service_level(load, m) >= goal, floor, cap, hint)

    def load_for(self, agents: int, service_level: float) -> float:
        """The load at which ``agents`` give exactly ``service_level`` (0 < service_level < 1): how much work the
        simulated interval behaved like. The service level falls as the load rises, so a bracket finds it."""
        n = self.servers(agents)
        if n <= 0:
            return math.inf
        hi = float(n)
        if self.patience is not None:
            while self.service_level(hi, agents) > service_level:
                hi *= 2.0
                if hi > 1e9:
                    return hi
        return float(optimize.brentq(lambda x: self.service_level(x, agents) - service_level, 0.0, hi,
                                     xtol=1e-6, rtol=1e-9))


def smallest(ok: Callable[[int], bool], floor: int = 0, cap: int | None = None, hint: int | None = None) -> int:
    """The smallest integer ``m >= floor`` with ``ok(m)`` for a monotone ``ok`` (``cap`` when none up to it).

    Gallops from ``hint`` (default ``floor``) by doubling steps, then bisects: about 2 log2(distance) calls.
    """
    start = floor if hint is None else max(floor, hint if cap is None else min(hint, cap))
    step = 1
    if ok(start):
        hi = start  # walk down until the predicate fails or the floor is reached
        while hi > floor:
            lo = max(floor, hi - step)
            if not ok(lo):
                break
            hi, step = lo, step * 2
        else:
            return floor
    else:
        lo = start  # walk up until it holds
        while True:
            if cap is not None and lo >= cap:
                return cap
            hi = lo + step if cap is None else min(cap, lo + step)
            if ok(hi):
                break
            lo, step = hi, step * 2
    while hi - lo > 1:  # ok(hi), not ok(lo)
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
