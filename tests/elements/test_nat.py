"""The IPRewriter family's flow table: capacity, expiry, reverse mappings, handlers, errors."""

import time

import pytest
from scapy.all import IP, UDP, Raw

from pktlab.engine import EngineError


def udp(src, sport, dst="8.8.8.8", dport=53, payload=b"q"):
    return bytes(IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(payload))


NAT = ("src :: FromMemory(STOP true) -> CheckIPHeader -> rw :: IPRewriter(pattern 10.0.0.1 "
       "1024-1100# - - 0 1{kw}); rw[0] -> out :: ToMemory; rw[1] -> back :: ToMemory;")


def test_capacity_guaranteed_flows_refuse_a_new_one(kit):
    eng = kit.run(NAT.format(kw=", MAPPING_CAPACITY 2"),
                  [udp("192.168.0.1", 1), udp("192.168.0.2", 2), udp("192.168.0.3", 3)])
    assert len(kit.drain(eng, "out")) == 2
    rw = eng["rw"]
    assert rw.counters()["table_full"] == 1
    assert rw.read("mapping_failures") == "1"
    assert rw.read("size") == "2" and rw.read("capacity") == "2"
    assert "192.168.0.3" not in rw.read("udp_table")
    assert kit.conserved(eng, 3)


def test_capacity_best_effort_gives_up_the_oldest(kit):
    eng = kit.run(NAT.format(kw=", MAPPING_CAPACITY 2, UDP_GUARANTEE 0"),
                  [udp("192.168.0.1", 1), udp("192.168.0.2", 2), udp("192.168.0.3", 3)])
    assert len(kit.drain(eng, "out")) == 3
    table = eng["rw"].read("udp_table")
    assert "192.168.0.1" not in table and "192.168.0.3" in table
    assert eng["rw"].read("size") == "2" and eng["rw"].read("mapping_failures") == "0"


def test_reverse_mapping_and_reuse_of_a_freed_port(kit):
    eng = kit.make_engine(NAT.format(kw=""))
    kit.feed(eng, "src", [udp("192.168.0.1", 5000), udp("8.8.8.8", 53, "10.0.0.1", 1024, b"r")])
    eng.run_inline()
    (fwd,), (rev,) = kit.drain(eng, "out"), kit.drain(eng, "back")
    assert IP(fwd).src == "10.0.0.1" and IP(fwd)[UDP].sport == 1024
    assert IP(rev).dst == "192.168.0.1" and IP(rev)[UDP].dport == 5000
    # The checksums were updated incrementally: scapy recomputes the same.
    for p in (fwd, rev):
        q = IP(p)
        del q.chksum, q[UDP].chksum
        assert bytes(IP(bytes(q))) == p
    assert eng["rw"].read("tcp_lookup 1.2.3.4 1 5.6.7.8 2") == ""


def test_mappings_expire_at_the_reap_after_their_timeout(kit):
    eng = kit.run(NAT.format(kw=", UDP_TIMEOUT 1, UDP_GUARANTEE 0, REAP_INTERVAL 1"),
                  [udp("192.168.0.1", 1), udp("192.168.0.2", 2)])
    assert eng["rw"].read("size") == "2"
    time.sleep(2.2)                    # past the timeout and a reap interval: not a timing check
    assert eng["rw"].read("size") == "0"
    assert eng["rw"].read("udp_table") == ""
    assert eng["rw"].read("table_size") == "0"


def test_handlers_clear_capacity_and_pattern_write(kit):
    eng = kit.run(NAT.format(kw=", MAPPING_CAPACITY 8").replace("(STOP true)", ""),
                  [udp(f"192.168.0.{i}", i) for i in range(1, 6)])
    rw = eng["rw"]
    assert rw.read("table_size") == "5" and rw.read("patterns") == "10.0.0.1 1024-1100 - - [5]\n"
    rw.write("capacity", "3")
    assert rw.read("size") == "3"
    with pytest.raises(EngineError, match="up to 8"):
        rw.write("capacity", "9")
    rw.write("pattern0", "pattern 10.0.0.9 2000 - - 0 1")
    assert rw.read("size") == "0" and rw.read("pattern0") == "10.0.0.9 2000 - -\n"
    rw.write("capacity", "8")
    kit.feed(eng, "src", [udp("192.168.0.1", 1)])
    eng.run_inline()
    assert IP(kit.drain(eng, "out")[-1]).src == "10.0.0.9"
    rw.write("clear")
    assert rw.read("size") == "0"


def test_named_pattern_and_pass_input(kit):
    eng = kit.run("IPRewriterPatterns(nat 10.0.0.5 3000-3001 - -);"
                  "src :: FromMemory(STOP true) -> CheckIPHeader -> rw :: UDPRewriter(pattern nat 0 1, drop);"
                  "b :: FromMemory(STOP true) -> CheckIPHeader -> [1]rw;"
                  "rw[0] -> out :: ToMemory; rw[1] -> back :: ToMemory;",
                  [udp("192.168.0.1", 3001), bytes(IP(src="1.1.1.1", dst="2.2.2.2", proto=47))])
    out = kit.drain(eng, "out")
    assert IP(out[0]).src == "10.0.0.5" and IP(out[0])[UDP].sport == 3001   # the same port first
    assert eng["rw"].counters()["unmappable"] == 1


@pytest.mark.parametrize("spec, message", [
    ("IPRewriter(drop, drop)", "need 1 arguments, one per input port"),
    ("IPRewriter(pattern 1.0.0.1 99999 - - 0 1)", "input spec 0: bad source port"),
    ("IPRewriter(pattern 1.0.0.1 1024 - - 0 5)", "input spec 0: output port out of range"),
    ("IPRewriter(keep 0)", "input spec 0: bad forward port"),
    ("IPRewriter(drop 3)", "syntax error, expected 'drop'"),
    ("IPRewriter(frobnicate)", "unknown specification"),
    ("IPRewriter(pattern nosuch 0 1)", "no such pattern 'nosuch'"),
    ("IPRewriter(drop, MAPPING_CAPACITY other)", "bad MAPPING_CAPACITY"),
])
def test_errors(kit, spec, message):
    with pytest.raises(EngineError, match=message):
        kit.make_engine(f"Idle -> rw :: {spec} -> Discard;")
