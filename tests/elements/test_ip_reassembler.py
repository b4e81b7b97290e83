"""IPReassembler: IPFragmenter -> IPReassembler rebuilds datagrams up to
65,535 bytes byte for byte (issue 26's "Done when"), from memory and through
FromDump/ToDump, batched and per packet; fragments in any order; datagrams
given up by time or memory go to output 1 or are counted."""

import random
import struct

import pytest
from scapy.layers.inet import IP, UDP, fragment
from scapy.layers.l2 import Ether
from scapy.packet import Raw

from pktlab import Engine, traffic

MAC = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}


def datagram(total: int, ident: int = 5):
    payload = bytes((i * 7 + ident) & 0xFF for i in range(total - 28))
    return IP(src="10.0.0.1", dst="10.0.0.2", id=ident) / UDP(sport=7, dport=9) / Raw(payload)


@pytest.mark.parametrize("per_packet", [False, True], ids=["batched", "per_packet"])
@pytest.mark.parametrize("mtu,total", [(1500, 65535), (576, 65535), (9000, 20000)])
def test_fragmenter_then_reassembler_rebuilds_byte_for_byte(mtu, total, per_packet):
    dgs = [datagram(total, 5), datagram(1000, 6), datagram(total, 7)]
    out = traffic.run_packets(
        f"FromMemory -> CheckIPHeader -> IPFragmenter({mtu}) -> r :: IPReassembler -> out :: ToMemory;",
        [bytes(d) for d in dgs], per_packet=per_packet)
    assert [bytes(p) for p in out["out"]] == [bytes(d) for d in dgs]
    c = out.counters("r")
    assert c["reassembled"] == sum(len(d) > mtu for d in dgs) and c["bad"] == 0
    assert c["fragments"] == c["merged"] + c["reassembled"]   # in order: q is the first
    assert out.handler("pending", "r") == "0"
    assert out.engine.pools()["in_use"] == 0


def _write_pcap(path, frames, t0=1000):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, (ts, b) in enumerate(frames):
            f.write(struct.pack("<IIII", ts, 0, len(b), len(b)))
            f.write(b)


@pytest.mark.parametrize("per_packet", [False, True], ids=["batched", "per_packet"])
def test_through_fromdump_todump_with_frames_shuffled(tmp_path, per_packet):
    dg = Ether(**MAC) / datagram(65535, 9)
    frags = [Ether(**MAC) / f for f in fragment(IP(bytes(dg)[14:]), fragsize=1480)]
    random.Random(26).shuffle(frags)
    src, dst = tmp_path / "frags.pcap", tmp_path / "whole.pcap"
    _write_pcap(src, [(1000, bytes(f)) for f in frags])
    eng = Engine(f"FromDump({src}, STOP true) -> CheckIPHeader(14) -> r :: IPReassembler "
                 f"-> ToDump({dst}, SNAPLEN 0);", per_packet=per_packet)
    eng.run_inline()
    assert traffic.read_pcap(dst) == [bytes(dg)]
    assert eng["r"].counters()["fragments"] == len(frags)


def test_timeout_and_memory_give_up_to_output_1(tmp_path):
    a = fragment(IP(bytes(datagram(3000, 1))), fragsize=1000)
    b = fragment(IP(bytes(datagram(3000, 2))), fragsize=1000)
    c = fragment(IP(bytes(datagram(3000, 3))), fragsize=1000)
    # a's first fragment at t=1000; b whole at t=1040 (a timed out before);
    # c's fragments overfill HIMEM 2500: the oldest is evicted.
    frames = [(1000, a[0]), (1040, b[0]), (1040, b[1]), (1040, b[2]),
              (1041, c[0]), (1041, c[1]), (1041, a[1]), (1041, a[2])]
    src = tmp_path / "t.pcap"
    _write_pcap(src, [(t, bytes(Ether(**MAC) / f)) for t, f in frames])
    eng = Engine(f"FromDump({src}, STOP true) -> CheckIPHeader(14) -> r :: IPReassembler(HIMEM 2500) "
                 "-> ok :: ToMemory; r[1] -> late :: ToMemory;")
    eng.run_inline()
    assert [IP(p[14:]).id for p in eng.drain("ok")] == [2]
    # a timed out (its first fragment: with the link header), then over HIMEM
    # (bucket order, newest first in a bucket, as Click) a again (from a[1]: no
    # link header, as Click's) and c
    late = eng.drain("late")
    assert [len(p) for p in late] == [14 + 20 + 1000, 20 + 2000, 14 + 20 + 2000]
    assert [IP(p[14:] if p[0] != 0x45 else p).id for p in late] == [1, 1, 3]
    assert late[0][14 + 20:] == bytes(a[0].payload)
    assert late[1][20 + 1000:] == bytes(a[1].payload)
    c_ = eng["r"].counters()
    assert (c_["timed_out"], c_["evicted"], c_["reassembled"], c_["given_up"]) == (1, 2, 1, 0)
    assert eng.read_handler("r.pending") == "1"


def test_given_up_without_output_1_is_counted_and_held_ones_at_stop():
    a = fragment(IP(bytes(datagram(3000, 1))), fragsize=1000)
    b = fragment(IP(bytes(datagram(3000, 2))), fragsize=1000)
    frames = [bytes(a[0]), bytes(a[1]), bytes(b[0]), bytes(b[1]), bytes(b[2])]
    out = traffic.run_packets("FromMemory -> MarkIPHeader -> r :: IPReassembler(HIMEM 1024) "
                              "-> out :: ToMemory;", frames)
    assert [IP(p).id for p in out["out"]] == []
    c = out.counters("r")
    assert (c["evicted"], c["given_up"], c["fragments"]) == (4, 4, 5)
    assert out.handler("pending", "r") == "1"
    out.engine.close()
