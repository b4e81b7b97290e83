"""FromDump and ToDump against vanilla Click's: raw IP, Linux cooked and BSD
loopback captures, FORCE_IP's network-header annotation, ToDump(ENCAP IP)
byte for byte, and pcapng files read as Click reads their pcap equivalents.

The expected files in data/click/ are what Click wrote for the same inputs
(data/click/make_expected.py says how they were recorded).
"""

import struct
from pathlib import Path

import pytest

from pktlab import Engine
from pktlab.engine.memio import drain_captured

from iohelpers import frames_for, pcapng, read_pcap, write_pcap

CLICK = Path(__file__).resolve().parent / "data" / "click"


def records(path):
    return read_pcap(path, linktype=None)


def force_ip(path):
    """FromDump(FORCE_IP true): (IP packets, non-IP packets from output 1)."""
    eng = Engine(f"fd :: FromDump({path}, FORCE_IP true, STOP true);"
                 "fd[0] -> ip :: ToMemory; fd[1] -> non :: ToMemory;")
    eng.run_inline()
    ip, non = drain_captured(eng, "ip"), drain_captured(eng, "non")
    assert eng.pools()["in_use"] == 0
    return ip, non


def check_like_click(ip, non, linktype):
    want_ip, want_non = records(CLICK / f"ip_{linktype}.pcap"), records(CLICK / f"nonip_{linktype}.pcap")
    # StripToNetworkHeader in Click: the bytes from the IP header annotation on.
    assert [c.data[c.net_offset:] for c in ip] == [d for _, _, _, d in want_ip]
    assert [c.timestamp for c in ip] == [ts for ts, _, _, _ in want_ip]
    assert [c.data for c in non] == [d for _, _, _, d in want_non]
    for c in ip:                      # the destination annotation of IPv4 packets
        h = c.data[c.net_offset:]
        assert c.dst_ip == (int.from_bytes(h[16:20], "big") if h[0] >> 4 == 4 else 0)


@pytest.mark.parametrize("linktype", [1, 101, 113, 0])
def test_force_ip_as_click(tmp_path, linktype):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames_for(linktype), linktype=linktype)
    check_like_click(*force_ip(src), linktype)


@pytest.mark.parametrize("linktype,like", [(12, 101), (14, 101), (228, 101), (276, 113)])
def test_other_numbers_read_as_their_click_equivalent(tmp_path, linktype, like):
    # DLT_RAW as 12 and 14, LINKTYPE_IPV4, and SLL2 (which Click predates):
    # the same IP packets as the link type Click knows.
    src = tmp_path / "in.pcap"
    write_pcap(src, frames_for(linktype), linktype=linktype)
    ip, non = force_ip(src)
    want = records(CLICK / f"ip_{like}.pcap")
    assert [c.data[c.net_offset:] for c in ip] == [d for _, _, _, d in want]
    assert len(non) == len(records(CLICK / f"nonip_{like}.pcap"))


def test_raw_ip_forces_ip_without_the_keyword(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames_for(101), linktype=101)
    eng = Engine(f"fd :: FromDump({src}, STOP true) -> ip :: ToMemory;")
    eng.run_inline()
    assert len(drain_captured(eng, "ip")) == 4
    assert eng["fd"].counters()["non_ip"] == 2          # no output 1: dropped and counted
    assert eng["fd"].encap == "IP"


def test_ethernet_without_force_ip_sets_no_network_header(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames_for(1))
    eng = Engine(f"FromDump({src}, STOP true) -> out :: ToMemory;")
    eng.run_inline()
    got = drain_captured(eng, "out")
    assert [c.data for c in got] == frames_for(1)
    assert {c.net_offset for c in got} == {None}


def test_todump_encap_ip_writes_what_click_writes(tmp_path):
    # Click's defaults: SNAPLEN 2000 (the 9,000-byte datagram is cut, its
    # length on the wire kept), nanosecond timestamps, link type 101.
    src, out, again = tmp_path / "in.pcap", tmp_path / "out.pcap", tmp_path / "again.pcap"
    write_pcap(src, frames_for(101), linktype=101)
    Engine(f"FromDump({src}, STOP true) -> ToDump({out}, ENCAP IP);").run_inline()
    assert out.read_bytes() == (CLICK / "todump_ip.pcap").read_bytes()
    # Read back: the cut bytes are the extra-length annotation, which
    # ToDump's EXTRA_LENGTH writes back as the length on the wire.
    Engine(f"FromDump({out}, STOP true) -> ToDump({again}, ENCAP IP, SNAPLEN 0);").run_inline()
    assert again.read_bytes() == (CLICK / "todump_ip_again.pcap").read_bytes()


def test_pcapng_reads_as_click_reads_the_pcap_equivalents(tmp_path):
    # One file, three interfaces with their own link types and timestamp
    # resolutions (microseconds, nanoseconds, 2^-20 s), two sections in both
    # byte orders, simple and obsolete packet blocks, unknown blocks between.
    ts0 = 1_700_000_000
    eth, raw, sll = frames_for(1), frames_for(101), frames_for(113)
    blocks = [("unknown", 0xBAD, b"custom block, skipped")]
    for i, f in enumerate(eth):
        blocks.append(("epb", 0, (ts0 + i) * 10**6 + i, f))
    for i, f in enumerate(sll):
        blocks.append(("epb", 1, ((ts0 + i) * 10**9 + i * 1000), f))
        blocks.append(("unknown", 5, struct.pack("<IIIH", 1, 0, 0, 0)))     # interface statistics
    second = [("opb", 0, ((ts0 + i) << 20) + (i << 10), f) for i, f in enumerate(raw)]
    path = tmp_path / "mixed.pcapng"
    path.write_bytes(pcapng([
        {"interfaces": [(1, None, 0), (113, 9, 262144)], "blocks": blocks},
        {"big_endian": True, "interfaces": [(101, 0x80 | 20, 0)], "blocks": second},
    ]))
    ip, non = force_ip(path)
    by_lt = [(1, len(eth)), (113, len(sll)), (101, len(raw))]
    want_ip = [r for lt, _ in by_lt for r in records(CLICK / f"ip_{lt}.pcap")]
    want_non = [r for lt, _ in by_lt for r in records(CLICK / f"nonip_{lt}.pcap")]
    assert [c.data[c.net_offset:] for c in ip] == [d for _, _, _, d in want_ip]
    assert [c.data for c in non] == [d for _, _, _, d in want_non]
    # Each interface's timestamps, in nanoseconds (2^-20 s units rounded down).
    want_ts = ({f: ((ts0 + i) * 10**6 + i) * 1000 for i, f in enumerate(eth)}
               | {f: (ts0 + i) * 10**9 + i * 1000 for i, f in enumerate(sll)}
               | {f: (ts0 + i) * 10**9 + i * 10**9 // 1024 for i, f in enumerate(raw)})
    assert {c.data: c.timestamp for c in ip + non} == want_ts


def test_pcapng_simple_packet_blocks(tmp_path):
    # SPB: interface 0, its snap length cuts, no timestamp.
    f = frames_for(1)
    path = tmp_path / "spb.pcapng"
    path.write_bytes(pcapng([{"interfaces": [(1, None, 100)],
                              "blocks": [("spb", x[:100], len(x)) for x in f]}]))
    eng = Engine(f"FromDump({path}, STOP true) -> out :: ToMemory;")
    eng.run_inline()
    got = drain_captured(eng, "out")
    assert [c.data for c in got] == [x[:100] for x in f]
    assert [c.extra_length for c in got] == [len(x) - min(100, len(x)) for x in f]
