"""examples/router6.click run in memory: in0/in1 become FromMemory, out0/out1
and tohost become ToMemory (as a DPDK run would swap them for devices)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scapy.layers.inet import UDP
from scapy.layers.inet6 import (ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                                ICMPv6NDOptSrcLLAddr, ICMPv6TimeExceeded, IPv6)
from scapy.layers.l2 import Ether
from scapy.packet import Raw

from pktlab.lang import parse_file
from pktlab.traffic import run_packets

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "router6.click"
MAC0, MAC1 = "02:00:00:00:00:01", "02:00:00:00:01:01"
PEER0, PEER1 = "02:00:00:00:00:02", "02:00:00:00:01:02"


def graph():
    g = parse_file(EXAMPLE)
    for name in ("in0", "in1"):
        g.elements[name].cls, g.elements[name].config = "FromMemory", "BURST 32"
    for name in ("out0", "out1", "tohost"):
        g.elements[name].cls, g.elements[name].config = "ToMemory", "4096"
    return g


def frame(src_mac, dst_mac, ip):
    return Ether(src=src_mac, dst=dst_mac) / ip


@pytest.mark.parametrize("per_packet", [False, True])
def test_forwarding_expiry_and_local_delivery(per_packet):
    udp = UDP(sport=1234, dport=5678) / Raw(b"hello")
    fwd = IPv6(src="2001:db8::2", dst="2001:db8:1::2", hlim=64) / udp
    expiring = IPv6(src="2001:db8:1::2", dst="2001:db8::2", hlim=1) / udp
    local = IPv6(src="2001:db8::2", dst="2001:db8::1") / udp
    back = IPv6(src="2001:db8:1::2", dst="2001:db8::7", hlim=9) / udp
    solicit = IPv6(src="fe80::2", dst="ff02::1:ff00:1", hlim=255) / \
        ICMPv6ND_NS(tgt="2001:db8::1") / ICMPv6NDOptSrcLLAddr(lladdr=PEER0)
    out = run_packets(graph(), {
        "in0": [frame(PEER0, MAC0, fwd), frame(PEER0, MAC0, local),
                frame(PEER0, "33:33:ff:00:00:01", solicit)],
        "in1": [frame(PEER1, MAC1, expiring), frame(PEER1, MAC1, back)],
    }, per_packet=per_packet)
    fwd.hlim, back.hlim = 63, 8
    # the time-exceeded message: from if0's address to the expired packet's
    # source, quoting it whole, then routed out of if1 (hop limit 255 - 1)
    icmp = IPv6(src="2001:db8::1", dst="2001:db8:1::2", hlim=254) / \
        ICMPv6TimeExceeded(code=0) / Raw(bytes(expiring))
    assert sorted(map(bytes, out["out1"])) == sorted([bytes(frame(MAC1, PEER1, fwd)),
                                                      bytes(frame(MAC1, PEER1, icmp))])
    advert = IPv6(src="2001:db8::1", dst="fe80::2", hlim=255) / \
        ICMPv6ND_NA(R=1, S=1, O=0, tgt="2001:db8::1") / ICMPv6NDOptDstLLAddr(lladdr=MAC0)
    assert sorted(map(bytes, out["out0"])) == sorted([bytes(frame(MAC0, PEER0, back)),
                                                      bytes(frame(MAC0, PEER0, advert))])
    assert list(map(bytes, out["tohost"])) == [bytes(local)]
