"""Session 1 checks: elements, ports, connections, compounds, handlers."""

from __future__ import annotations

from . import lab
from .grading import Wrong, expect, exercise, summary as _summary

EXERCISES = 4

CLASSIFY = """
src :: FromMemory -> cl :: Classifier(12/0800, 12/0806, -);
cl[0] -> ip :: Counter -> Discard;
cl[1] -> arp :: Counter -> Discard;
cl[2] -> other :: Counter -> Discard;
"""

DUP_HARNESS = """
src :: InfiniteSource(LIMIT 50, STOP true) -> d :: Dup;
d[0] -> a :: Counter -> Discard;
d[1] -> b :: Counter -> Discard;
"""


@exercise("1.1", "write the configuration as a string: answer_1_1 = \"\"\"...\"\"\"")
def exercise_1_1(config):
    eng = lab.run(config)
    src = [n for n, s in eng.summary().items() if s["class"] == "InfiniteSource"]
    expect(len(src) == 1, f"use one InfiniteSource (found {len(src)})")
    made = sum(eng.summary()[src[0]]["outputs"])
    expect(made == 100, f"the source made {made} packets: give it LIMIT 100 (and STOP true, "
                        "so that the run ends when it has sent them)")
    a, b = lab.element(eng, "a", "Counter"), lab.element(eng, "b", "Counter")
    tees = [n for n, s in eng.summary().items() if s["class"] == "Tee"]
    expect(tees, "a and b each count every packet, but in one line: the exercise asks for "
                 "a Tee that copies each packet to two branches, one counter on each")
    expect(a.count == b.count == 100,
           f"a counted {a.count} and b {b.count}, not 100 each: a Tee(2) between the source "
           "and the counters sends every packet to both of its outputs (t[0] -> a, t[1] -> b)")
    return "100 packets in, 100 counted by a and 100 by b: the Tee cloned each packet"


@exercise("1.2", "answer_1_2 = {'ip': ..., 'arp': ..., 'other': ...}: predict, then run it")
def exercise_1_2(answer):
    expect(isinstance(answer, dict) and set(answer) == {"ip", "arp", "other"},
           "give a dict with the keys 'ip', 'arp' and 'other'")
    eng = lab.run(CLASSIFY, feed={"src": lab.frames()}, what="the exercise's configuration")
    truth = {k: eng[k].count for k in ("ip", "arp", "other")}
    wrong = [k for k in truth if answer[k] != truth[k]]
    if wrong:
        k = wrong[0]
        hint = {"ip": "12/0800 matches the EtherType of IPv4, whatever is inside (UDP and TCP)",
                "arp": "12/0806 matches ARP, the EtherType at byte 12",
                "other": "'-' takes whatever no earlier pattern took: here IPv6 (EtherType 86dd)"}
        raise Wrong(f"'{k}' counts {truth[k]}, not {answer[k]}: {hint[k]}")
    return (f"ip {truth['ip']}, arp {truth['arp']}, other {truth['other']}: a Classifier "
            "sends each packet to the first pattern that matches")


@exercise("1.3", "answer_1_3 = \"\"\"elementclass Dup { ... }\"\"\"")
def exercise_1_3(config):
    expect(isinstance(config, str) and "elementclass Dup" in config,
           "define the compound with 'elementclass Dup { ... }'")
    eng = lab.run(config + "\n" + DUP_HARNESS, what="Dup, used as d :: Dup with two outputs")
    a, b = eng["a"].count, eng["b"].count
    expect(a == b == 50, f"50 packets in, but d[0] gave {a} and d[1] {b}: inside Dup, "
                         "'input -> t :: Tee(2)', then 't[0] -> [0]output; t[1] -> [1]output'")
    return "Dup copies every packet to its two outputs; flattened, it is just a Tee"


@exercise("1.4", "answer_1_4 = 'ELEMENT.HANDLER': the write handler that sets the source's BURST")
def exercise_1_4(handler):
    expect(isinstance(handler, str) and "." in handler,
           "name the handler as Click does: ELEMENT.HANDLER, e.g. 'c.count'")
    eng = lab.engine("src :: InfiniteSource(LIMIT 80, BURST 32, STOP true) -> c :: Counter "
                     "-> Discard;", what="the exercise's configuration")
    try:
        eng.write_handler(handler, "8")
    except Exception as e:                 # noqa: BLE001 -- the engine's own words
        raise Wrong(f"writing 8 to '{handler}' fails: {e}") from None
    eng.run_inline()
    sizes = [i for i, n in enumerate(eng.stats().input_hist("c")) if n]
    expect(sizes == [8], f"after writing 8 to '{handler}' c still saw batches of {sizes}: "
                         "the source's batch size is its BURST parameter, a live handler")
    return "src.burst = 8: c now sees batches of 8 packets; live parameters are handlers"


def summary():
    return _summary(1, EXERCISES)


__all__ = ["exercise_1_1", "exercise_1_2", "exercise_1_3", "exercise_1_4", "summary", "Wrong"]
