"""Session 4 checks: push and pull, Queue and Unqueue, schedulers, notifiers, shapers.

Rates run on the simulated clock (lab.run(..., simtime=True)): the counts
are the same on every run and on every machine.
"""

from __future__ import annotations

import numbers

from . import lab
from .grading import Wrong, expect, exercise, summary as _summary

EXERCISES = 4
SHAPED = ("src :: RatedSource(RATE 1000, LIMIT 500, STOP true) -> q :: Queue(CAPACITY 10) "
          "-> s :: Shaper(RATE 500) -> u :: Unqueue -> c :: Counter -> Discard;")
TWO_QUEUES = ("a :: RatedSource(RATE 1000, LIMIT 1000, STOP true) -> qa :: Queue(100) "
              "-> sched :: {cls} -> Shaper(RATE 1000) -> Unqueue -> Discard;\n"
              "b :: RatedSource(RATE 1000, LIMIT 1000) -> qb :: Queue(100) -> [1]sched;")


@exercise("4.1", "answer_4_1 = \"\"\"src :: FromMemory -> ... -> c :: Counter -> Discard;\"\"\"")
def exercise_4_1(config):
    frames = lab.frames()
    eng = lab.engine(config)
    classes = {s["class"] for s in eng.summary().values()}
    expect(classes & {"Queue", "SimpleQueue", "ThreadSafeQueue", "NotifierQueue"},
           "the push output of FromMemory needs a Queue to be pulled from")
    expect("Unqueue" in classes, "something must pull from the queue and push on: Unqueue")
    eng = lab.run(config, feed={"src": frames}, seconds=0.3)
    c = lab.element(eng, "c", "Counter")
    expect(c.count == len(frames), f"c counted {c.count} of the {len(frames)} frames fed: "
                                   "is the Queue big enough, and c after the Unqueue?")
    return (f"{c.count} frames through: FromMemory pushes into the Queue, Unqueue pulls them "
            "out a batch at a time and pushes them on")


@exercise("4.2", "answer_4_2 = how many packets q drops")
def exercise_4_2(answer):
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Wrong(f"give a number of packets, not {answer!r}")
    eng = lab.run(SHAPED, simtime=True, what="the exercise's configuration")
    drops = eng.summary()["q"]["counters"]["drops"]
    passed, queued = eng["c"].count, 500 - eng["c"].count - drops
    if abs(answer - drops) <= 5:
        return (f"q dropped {drops}: 500 offered in 0.5 s, {passed} let through at 500 "
                f"packets/s, {queued} still queued at the end")
    if abs(answer - (500 - passed)) <= 5:
        raise Wrong(f"close: {500 - passed} did not get through, but {queued} of them are "
                    f"still in the queue (its CAPACITY) when the source stops: q dropped {drops}")
    raise Wrong(f"q dropped {drops}, not {answer:g}: the source offers 1000 packets/s for "
                "0.5 s, the Shaper lets 500/s through; the Queue takes up the difference "
                "until it is full, then drops")


@exercise("4.3", "answer_4_3 = 'PrioSched' or 'RoundRobinSched'")
def exercise_4_3(cls):
    expect(cls in ("PrioSched", "RoundRobinSched"), f"answer 'PrioSched' or 'RoundRobinSched', "
                                                    f"not {cls!r}")
    shares = {}
    for name in ("PrioSched", "RoundRobinSched"):
        eng = lab.run(TWO_QUEUES.format(cls=name), simtime=True, what="the exercise's configuration")
        shares[name] = (sum(eng.summary()["qa"]["outputs"]), sum(eng.summary()["qb"]["outputs"]))
    starved = min(shares, key=lambda k: shares[k][1])
    seen = "; ".join(f"{k}: qa {a}, qb {b}" for k, (a, b) in shares.items())
    expect(cls == starved, f"measured {seen}: {cls} shares the Shaper's rate between the "
                           "queues, it does not starve qb")
    return f"measured {seen}: PrioSched pulls input 1 only when input 0 has nothing"


@exercise("4.4", "answer_4_4 = 'a', 'b' or 'c'")
def exercise_4_4(choice):
    expect(choice in ("a", "b", "c"), f"answer 'a', 'b' or 'c', not {choice!r}")
    expect(choice == "b", {
        "a": "pulling an empty queue in a loop would burn the core: the queue's empty "
             "notifier lets the Unqueue's task sleep instead",
        "c": "the queue does not drop while it is empty; and the Unqueue is not removed, "
             "its task is put to sleep until a push into the queue wakes it",
    }.get(choice, ""))
    return "the empty notifier: the task sleeps until a push into the queue wakes it"


def summary():
    return _summary(4, EXERCISES)


__all__ = ["exercise_4_1", "exercise_4_2", "exercise_4_3", "exercise_4_4", "summary", "Wrong"]
