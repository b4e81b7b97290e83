"""Session 3 checks: I/O in memory and over DPDK, zero copy against copy."""

from __future__ import annotations

from . import lab
from .grading import Wrong, expect, exercise, summary as _summary

EXERCISES = 3


@exercise("3.1", "answer_3_1 = \"\"\"in :: FromMemory -> ... -> out :: ToMemory; ...\"\"\"")
def exercise_3_1(config):
    frames = lab.frames(udp=4, tcp=3, arp=2, ipv6=2)
    eng = lab.run(config, feed={"in": frames})
    lab.element(eng, "out", "ToMemory")
    got = eng.drain("out")
    want = [f for f in frames if lab.kind(f) == "udp"]
    kinds = sorted({lab.kind(f) for f in got})
    if got and all(g in [w[14:] for w in want] for g in got):
        raise Wrong("out holds the UDP packets without their Ethernet header: Strip(14) "
                    "removed it; put it back with Unstrip(14) before out (the bytes are still "
                    "in the buffer: zero copy)")
    expect(len(got) == len(want), f"out got {len(got)} frames ({', '.join(kinds) or 'none'}), "
           f"want the {len(want)} IPv4 UDP ones" + (
               ": IPClassifier reads the IP header annotation, which CheckIPHeader sets "
               "(after Strip(14)); or match bytes: Classifier(12/0800 23/11, -)"
               if not got else ""))
    expect(got == want, f"out got {', '.join(kinds)}: only IPv4 UDP frames, unchanged, in order")
    return f"the {len(want)} UDP frames, byte for byte: nothing was copied on the way"


@exercise("3.2", "answer_3_2 = (copies per packet without COPY, copies per packet with COPY true)")
def exercise_3_2(answer):
    expect(isinstance(answer, (tuple, list)) and len(answer) == 2,
           "give two numbers: (copies per packet in zero copy, copies per packet with COPY true)")
    truth = []
    for copy in ("false", "true"):
        eng = lab.run(f"fd :: FromDPDKDevice(net_null0, BURST 32, COPY {copy}) "
                      "-> td :: ToDPDKDevice(net_null1, BURST 32);", seconds=0.05,
                      dpdk=lab.DPDK, what="the exercise's configuration")
        c = eng.summary()["td"]["counters"]
        truth.append(round(c["copies"] / max(c["sent"], 1), 2))
    expect(list(answer) == truth, f"measured {truth[0]:g} and {truth[1]:g} copies per packet, "
           f"not {answer[0]!r} and {answer[1]!r}: in zero copy the mbuf DPDK received is the "
           "packet that is sent; COPY true copies each frame into a pool buffer, once")
    return "0 then 1: zero copy hands the device's own buffer through the graph"


@exercise("3.3", "answer_3_3 = 64 or 1500")
def exercise_3_3(size):
    expect(size in (64, 1500), f"answer 64 or 1500, not {size!r}")
    expect(size == 1500, "at 64 bytes the copy is a cache line or two, small beside the "
                         "per-packet work every packet pays anyway; at 1500 bytes it is 24 "
                         "cache lines read and written, so copying costs a larger share there")
    return "1500: the copy grows with the bytes, the rest of a packet's cost does not"


def summary():
    return _summary(3, EXERCISES)


__all__ = ["exercise_3_1", "exercise_3_2", "exercise_3_3", "summary", "Wrong"]
