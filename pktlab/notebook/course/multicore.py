"""Session 5 checks: threads, StaticThreadSched, Pipeliner, live change."""

from __future__ import annotations

import time

from ...engine import EngineError, element_class
from . import lab
from .grading import Wrong, expect, exercise, summary as _summary

EXERCISES = 4
PIPELINED = """
s0 :: InfiniteSource -> p :: Pipeliner -> c :: Counter -> Discard;
s1 :: InfiniteSource -> c1 :: Counter -> Discard;
StaticThreadSched(s0 0, s1 1, p 1);
"""
RUNNING = "src :: InfiniteSource(BURST 32) -> c :: Counter -> d :: Discard;"


@exercise("5.1", "answer_5_1 = the list of threads that push packets into c, e.g. [0]")
def exercise_5_1(threads):
    expect(isinstance(threads, (list, tuple, set)), "give a list of thread numbers, e.g. [0, 1]")
    eng = lab.engine(PIPELINED, threads=2, what="the exercise's configuration")
    truth = eng.threads_of("c")
    expect(sorted(threads) == truth, f"c is reached by thread(s) {truth}, not {sorted(threads)}: "
           "s0 runs on thread 0 and pushes into p; the Pipeliner's task runs on thread 1 "
           "and pushes on from there")
    return f"{truth}: past a Pipeliner, packets are on the thread that drains it"


@exercise("5.2", "answer_5_2 = \"\"\"... -> c :: Counter ...; StaticThreadSched(...);\"\"\"")
def exercise_5_2(config):
    eng = lab.engine(config, threads=2)
    lab.element(eng, "c", "Counter")
    classes = {s["class"] for s in eng.summary().values()}
    expect(not classes & {"Pipeliner", "Queue", "SimpleQueue", "ThreadSafeQueue"},
           "no Pipeliner and no Queue: both threads push straight into c (full push)")
    got = eng.threads_of("c")
    expect(got == [0, 1], f"c is reached by thread(s) {got}: put a source on each thread "
                          "(StaticThreadSched(s0 0, s1 1)) and connect both to c")
    d = eng.decisions()
    return (f"c is reached by threads {got}; atomic reference counts: "
            f"{d['atomic_refcounts']} (no packet changes threads in full push)")


@exercise("5.3", "answer_5_3 = the new configuration, with mid :: Counter between c and d")
def exercise_5_3(config):
    eng = lab.engine(RUNNING, what="the exercise's configuration")
    eng.start()
    try:
        time.sleep(0.05)
        before = eng["c"].count
        try:
            change = eng.apply(config)
        except (EngineError, Exception) as e:      # noqa: BLE001 -- the engine's own words
            raise Wrong(f"the change does not apply: {e}") from None
        time.sleep(0.05)
        expect(eng.running, "the engine stopped: a live change keeps it running")
        mid = lab.element(eng, "mid", "Counter", what="the new configuration")
        expect("c" in eng and eng["c"].count >= before,
               "c lost its count: keep c as it was (same name, same class, same arguments), "
               "so that the change keeps it")
        expect(mid.count > 0, "mid counted nothing: connect it c -> mid -> d")
        expect(not change.diff.removed, f"the change removed {change.diff.removed}: only add mid")
    finally:
        eng.stop()
    return (f"applied live as '{change.label}': {change.kept} elements kept with their "
            f"counts, mid added, in {change.total_us / 1000:.1f} ms")


@exercise("5.4", "answer_5_4 = the set of keywords, e.g. {'InfiniteSource.BURST'}")
def exercise_5_4(answer):
    expect(isinstance(answer, (set, list, tuple)), "give a set of 'Class.KEYWORD' strings")
    asked = ("InfiniteSource.BURST", "InfiniteSource.LENGTH", "Queue.CAPACITY",
             "RatedSource.RATE", "Pipeliner.CAPACITY")
    live = set()
    for name in asked:
        cls, kw = name.split(".")
        if any(p.name == kw and p.live for p in element_class(cls).params):
            live.add(name)
    extra, missing = set(answer) - live, live - set(answer)
    expect(not extra and not missing,
           (f"{sorted(extra)} cannot be written live (changing them rebuilds the element); "
            if extra else "") + (f"{sorted(missing)} can (their manuals say 'live')"
                                 if missing else ""))
    return f"live: {sorted(live)}; `pktlab elements CLASS` marks each live keyword"


def summary():
    return _summary(5, EXERCISES)


__all__ = ["exercise_5_1", "exercise_5_2", "exercise_5_3", "exercise_5_4", "summary", "Wrong"]
