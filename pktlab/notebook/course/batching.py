"""Session 2 checks: compute batching, I/O batching, BURST."""

from __future__ import annotations

import math
import numbers

from . import lab
from .grading import Wrong, expect, exercise, summary as _summary

EXERCISES = 4
LIMITED = "src :: InfiniteSource(LIMIT {n}, BURST {b}, STOP true) -> c :: Counter -> Discard;"


def _number(x, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise Wrong(f"{what} should be a number, got {x!r}")
    return float(x)


@exercise("2.1", "answer_2_1 = the number of batches c receives")
def exercise_2_1(answer):
    n = _number(answer, "the answer")
    eng = lab.run(LIMITED.format(n=100, b=32), what="the exercise's configuration")
    truth = lab.batches_into(eng, "c")
    expect(n == truth, f"c receives {truth} batches, not {answer:g}: three of 32 packets "
                       "(96) and a last one of the 4 that remain; a source never waits to "
                       "fill a batch")
    return f"{truth} batches: 32 + 32 + 32 + 4 packets"


@exercise("2.2", "answer_2_2 = throughput at BURST 32 / throughput at BURST 1, measured")
def exercise_2_2(ratio):
    r = _number(ratio, "the ratio")
    expect(r > 0, "a ratio of two throughputs is positive")
    expect(r >= 1, f"{r:.2f} < 1: BURST 1 came out faster, which means the ratio is upside "
                   "down (BURST 32 over BURST 1) or the two runs were swapped")
    expect(r < 200, f"{r:.0f}x is more than batching can give: was one of the runs empty?")
    return (f"{r:.1f}x: each element is called once per batch, so its per-call cost "
            "(the function call, the counter update, the loop set-up) is shared by 32 packets")


@exercise("2.3", "answer_2_3 = a function calls(packets, burst) -> int")
def exercise_2_3(calls):
    expect(callable(calls), "give a function: def calls(packets, burst): return ...")
    for packets, burst in ((3200, 32), (100, 32), (1, 32), (64, 1), (1000, 256)):
        want = math.ceil(packets / burst)
        try:
            got = calls(packets, burst)
        except Exception as e:              # noqa: BLE001 -- the student's code
            raise Wrong(f"calls({packets}, {burst}) raised {type(e).__name__}: {e}") from None
        expect(got == want, f"calls({packets}, {burst}) gave {got!r}; it takes {want} "
                            "rx_burst calls: each returns at most BURST packets, and the "
                            "last one returns what is left")
    return "one device call per batch, at most BURST packets each: ceil(packets / BURST)"


@exercise("2.4", "answer_2_4 = 'a', 'b' or 'c'")
def exercise_2_4(choice):
    expect(choice in ("a", "b", "c"), f"answer 'a', 'b' or 'c', not {choice!r}")
    expect(choice == "b", {
        "a": "the packets' own work is the same per packet at every BURST; it is what "
             "is left once the per-batch cost is shared out",
        "c": "a larger BURST does use more buffers at once, but the pool is per thread and "
             "a batch of 256 still fits; that is not what flattens the curve",
    }.get(choice, ""))
    return ("past a few dozen packets the per-batch cost (call, device access) is already "
            "shared so thinly that the per-packet work dominates: more BURST buys little")


def summary():
    return _summary(2, EXERCISES)


__all__ = ["exercise_2_1", "exercise_2_2", "exercise_2_3", "exercise_2_4", "summary", "Wrong"]
