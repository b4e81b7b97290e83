"""The rewriters' helpers: IPAddrPairRewriter, RoundRobinIPMapper, ICMPRewriter, REPLY_ANNO PAINT."""

import pytest
from scapy.all import ICMP, IP, TCP, UDP, IPerror, Raw, UDPerror

from pktlab.engine import EngineError


def udp(src, sport, dst="8.8.8.8", dport=53, payload=b"q"):
    return bytes(IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(payload))


def valid(p: bytes) -> bool:
    """Every checksum of p is the one scapy computes afresh."""
    q = IP(p)
    del q.chksum
    for layer in (TCP, UDP, ICMP):
        if q.haslayer(layer) and not (layer is UDP and q[UDP].chksum == 0):
            del q[layer].chksum
    return bytes(IP(bytes(q))) == p


def test_addr_pair_rewriter_maps_pairs_both_ways(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> CheckIPHeader"
                  " -> rw :: IPAddrPairRewriter(pattern 3.0.0.1-3.0.0.9# - 0 1);"
                  "rw[0] -> out :: ToMemory; rw[1] -> back :: ToMemory;",
                  [udp("1.0.0.1", 7, "9.9.9.9"), udp("1.0.0.1", 8, "9.9.9.8"),
                   bytes(IP(src="9.9.9.9", dst="3.0.0.1") / TCP(sport=1, dport=2))])
    out, back = kit.drain(eng, "out"), kit.drain(eng, "back")
    assert [(IP(p).src, IP(p).dst) for p in out] == [("3.0.0.1", "9.9.9.9"), ("3.0.0.2", "9.9.9.8")]
    assert [(IP(p).src, IP(p).dst) for p in back] == [("9.9.9.9", "1.0.0.1")]
    assert IP(out[0])[UDP].sport == 7          # ports are not part of the mapping
    assert all(valid(p) for p in out + back)
    assert "(1.0.0.1, 9.9.9.9) => (3.0.0.1, 9.9.9.9)" in eng["rw"].read("table")


def test_round_robin_mapper_gives_patterns_in_turn(kit):
    eng = kit.run("r :: RoundRobinIPMapper(- - 5.0.0.1 - 0 0, - - 5.0.0.2 - 1 1);"
                  "src :: FromMemory(STOP true) -> CheckIPHeader -> rw :: IPRewriter(r);"
                  "rw[0] -> a :: ToMemory; rw[1] -> b :: ToMemory;",
                  [udp("1.0.0.1", 1), udp("1.0.0.1", 2), udp("1.0.0.1", 1), udp("1.0.0.1", 3)])
    a, b = kit.drain(eng, "a"), kit.drain(eng, "b")
    assert [IP(p)[UDP].sport for p in a] == [1, 1, 3]   # the third is flow 1 again
    assert [IP(p).dst for p in a] == ["5.0.0.1"] * 3
    assert [(IP(p)[UDP].sport, IP(p).dst) for p in b] == [(2, "5.0.0.2")]
    assert eng["rw"].read("patterns") == "<mapper> [3]\n"


def test_icmp_rewriter_rewrites_an_error_about_a_mapped_flow(kit):
    eng = kit.make_engine(
        "src :: FromMemory -> CheckIPHeader"
        " -> rw :: IPRewriter(pattern 21.0.0.1 1024-65535# - - 0 1, REPLY_ANNO PAINT);"
        "rw[0] -> out :: ToMemory; rw[1] -> Discard;"
        "err :: FromMemory -> CheckIPHeader -> ir :: ICMPRewriter(rw, REPLY_ANNO PAINT);"
        "ir[0] -> fixed :: ToMemory; ir[1] -> other :: ToMemory;")
    kit.feed(eng, "src", [udp("18.26.4.44", 20, "10.0.0.8", 80)])
    eng.run_inline()
    (sent,) = kit.drain(eng, "out")
    quoted = IP(sent)
    error = bytes(IP(src="19.19.19.19", dst="21.0.0.1") / ICMP(type=11, code=0)
                  / Raw(bytes(quoted)[:28]))
    kit.feed(eng, "err", [error, bytes(IP(src="1.1.1.1", dst="2.2.2.2") / ICMP(type=8))])
    eng.run_inline()
    (fixed,), other = kit.drain(eng, "fixed"), kit.drain(eng, "other")
    f = IP(fixed)
    assert f.dst == "18.26.4.44" and f[IPerror].src == "18.26.4.44"
    assert f[IPerror].dst == "10.0.0.8" and f[UDPerror].sport == 20 and f[UDPerror].dport == 80
    q = IP(fixed)
    del q.chksum, q[ICMP].chksum
    assert bytes(IP(bytes(q))) == fixed            # outer checksums updated incrementally
    assert len(other) == 1                         # an echo is no error: output 1


@pytest.mark.parametrize("conf, message", [
    ("Idle -> ICMPRewriter(nosuch) -> Discard;", "nosuch not an IP rewriter"),
    ("Idle -> q :: Queue -> Discard; Idle -> ICMPRewriter(q) -> Discard;", "q not an IP rewriter"),
    ("r :: RoundRobinIPMapper(); Idle -> IPRewriter(r) -> Discard;", "no patterns given"),
    ("r :: RoundRobinIPMapper(- - - - 0 3); Idle -> IPRewriter(r) -> Discard;",
     "output port out of range in r pattern 0"),
    ("Idle -> q :: Counter -> Discard; Idle -> IPRewriter(q) -> Discard;",
     "element is not an IPMapper"),
    ("Idle -> IPRewriter(pattern 1.0.0.1 1024 - - 0 0, REPLY_ANNO FOO) -> Discard;",
     "REPLY_ANNO: expected PAINT or an annotation byte"),
])
def test_errors(kit, conf, message):
    with pytest.raises(EngineError, match=message):
        kit.make_engine(conf)
