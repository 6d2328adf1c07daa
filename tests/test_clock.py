"""The event clock: (time, priority, sequence) order, stops and time limits, and simpy's order exactly."""

from __future__ import annotations

from itertools import count

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.clock import Clock, Timers, side_scheduler


def test_order_is_time_then_urgent_then_scheduling_order():
    clock = Clock(0.0)
    seen = []
    log = seen.append
    clock.schedule(2.0, log, "b2")
    clock.schedule(1.0, log, "n1-first")
    clock.schedule_urgent(1.0, log, "u1")
    clock.schedule(1.0, log, "n1-second")
    clock.schedule(0.0, log, "now")
    clock.run()
    assert seen == ["now", "u1", "n1-first", "n1-second", "b2"]
    assert clock.now == 2.0 and clock.pending == 0


def test_event_time_is_now_plus_delay_and_callbacks_see_it():
    clock = Clock(-10.0)
    times = []
    clock.schedule(2.5, lambda v: times.append((clock.now, v)), "x")
    clock.run()
    assert times == [(-7.5, "x")]


def test_stop_runs_what_is_already_due_now_first():
    clock = Clock(0.0)
    seen = []

    def stopper(_):
        seen.append("stop requested")
        clock.stop()
        clock.schedule(0.0, seen.append, "scheduled after the stop")

    clock.schedule(1.0, stopper)
    clock.schedule(1.0, seen.append, "due before the stop")
    clock.schedule(2.0, seen.append, "later")
    clock.run()
    assert seen == ["stop requested", "due before the stop"]
    clock.run()  # resumes where it stopped
    assert seen[2:] == ["scheduled after the stop", "later"]


def test_run_until_leaves_events_at_the_limit_for_the_next_run():
    clock = Clock(0.0)
    seen = []
    for t in (1.0, 2.0, 3.0):
        clock.schedule(t, seen.append, t)
    clock.run(until=2.0)
    assert seen == [1.0] and clock.now == 2.0
    with pytest.raises(ValueError):
        clock.run(until=2.0)
    clock.run(until=2.5)
    assert seen == [1.0, 2.0]
    clock.run()
    assert seen == [1.0, 2.0, 3.0]


def test_a_stale_time_limit_does_not_stop_a_later_run():
    clock = Clock(0.0)
    seen = []
    clock.schedule(1.0, lambda _: clock.stop())
    clock.schedule(5.0, seen.append, 5.0)
    clock.run(until=3.0)  # stopped at 1 by stop(); its limit at 3 stays in the heap
    assert clock.now == 1.0
    clock.run()  # must not stop at 3
    assert seen == [5.0]


# A random program of events: each processed event may schedule more, with delays drawn so that exact ties are
# common. The clock must process them in exactly simpy's order (simpy's public API: timeouts and callbacks).
delays = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 0.1, 0.2, 0.30000000000000004, 3.7])
programs = st.lists(st.lists(delays, max_size=3), min_size=1, max_size=60)


def _replay_ours(program, side=frozenset()):
    """``side``: the indices (in scheduling order) of the events scheduled with ``schedule_side``."""
    clock = Clock(0.0)
    order = []
    it = iter(program)
    made = count()

    def schedule(d, label):
        (clock.schedule_side if next(made) in side else clock.schedule)(d, fire, label)

    def fire(label):
        order.append((clock.now, label))
        for j, d in enumerate(next(it, [])):
            schedule(d, f"{label}.{j}")

    for j, d in enumerate(next(it)):
        schedule(d, str(j))
    clock.run()
    return order


def _replay_simpy(program):
    env = simpy.Environment(initial_time=0.0)
    order = []
    it = iter(program)

    def fire(ev):
        order.append((env.now, ev.value))
        for j, d in enumerate(next(it, [])):
            env.timeout(d, f"{ev.value}.{j}").callbacks.append(fire)

    for j, d in enumerate(next(it)):
        env.timeout(d, str(j)).callbacks.append(fire)
    env.run()
    return order


@settings(max_examples=200, deadline=None)
@given(program=programs)
def test_same_order_as_simpy(program):
    assert _replay_ours(program) == _replay_simpy(program)


@settings(max_examples=200, deadline=None)
@given(program=programs, side=st.sets(st.integers(0, 120)))
def test_events_in_the_side_slot_keep_simpys_order(program, side):
    """Any events may go to the side slot (when it is taken they go on the heap): the order stays simpy's."""
    assert _replay_ours(program, side) == _replay_simpy(program)


def test_side_slot_counts_as_pending_and_survives_a_time_limit():
    clock = Clock(0.0)
    seen = []
    clock.schedule_side(1.0, seen.append, "side")
    clock.schedule_side(1.0, seen.append, "second side: on the heap")
    clock.schedule_urgent(1.0, seen.append, "urgent")
    clock.schedule(5.0, seen.append, "later")
    assert clock.pending == 4
    clock.run(until=1.0 + 1e-9)
    assert seen == ["urgent", "side", "second side: on the heap"] and clock.pending == 1
    clock.schedule_side(2.0, seen.append, "side again")
    clock.run(until=4.0)
    assert seen[3:] == ["side again"] and clock.now == 4.0
    clock.run()
    assert seen[4:] == ["later"] and clock.pending == 0


def test_side_scheduler_falls_back_to_schedule_on_other_clocks():
    env = simpy.Environment()
    assert side_scheduler(env) == env.schedule
    clock = Clock(0.0)
    assert side_scheduler(clock) == clock.schedule_side


@settings(max_examples=100, deadline=None)
@given(events=st.lists(st.tuples(delays, st.booleans()), min_size=1, max_size=40))
def test_order_is_the_sorted_order_of_time_priority_sequence(events):
    clock = Clock(0.0)
    seen = []
    for seq, (d, urgent) in enumerate(events):
        (clock.schedule_urgent if urgent else clock.schedule)(d, seen.append, seq)
    clock.run()
    expected = sorted(range(len(events)), key=lambda i: (events[i][0], 0 if events[i][1] else 1, i))
    assert seen == expected


# Timers held in buckets (sim.clock.Timers) against the same timers scheduled directly: a random program where
# events schedule events, schedule timers (delays across bucket edges, exact ties common) and make earlier timers
# moot. The live timers must fire at the same times and in the same order either way.
timer_delays = st.sampled_from([0.0, 1.0, 9.999, 10.0, 10.0, 15.0, 20.0, 0.30000000000000004, 37.5])
timer_steps = st.tuples(st.lists(timer_delays, max_size=2), st.lists(timer_delays, max_size=2),
                        st.lists(st.integers(0, 30), max_size=2))
timer_programs = st.lists(timer_steps, min_size=1, max_size=50)


def _replay_timers(program, bucketed: bool):
    clock = Clock(-3.0)
    order = []
    it = iter(program)
    dead: set[str] = set()
    made: list[str] = []

    def act(label):
        events, timer_delays_, kills = next(it, ([], [], []))
        for j, d in enumerate(events):
            clock.schedule(d, fire, f"{label}.e{j}")
        for j, d in enumerate(timer_delays_):
            made.append(f"{label}.t{j}")
            timers.schedule(d, made[-1])
        for k in kills:
            if made:
                dead.add(made[k % len(made)])

    def fire(label):
        order.append((clock.now, label))
        act(label)

    def on_timer(label):
        if label not in dead:  # what a moot timer does when it fires: nothing
            fire(label)

    if bucketed:
        timers = Timers(clock, on_timer, lambda label: label not in dead)
    else:
        timers = type("Direct", (), {"schedule": lambda self, d, v: clock.schedule(d, on_timer, v)})()
    act("root")
    clock.run()
    return order


@settings(max_examples=200, deadline=None)
@given(program=timer_programs)
def test_bucketed_timers_fire_as_if_scheduled_directly(program):
    assert _replay_timers(program, True) == _replay_timers(program, False)
