"""Large packets through the scapy bridge and the trace helpers, both ways:
jumbo frames and 65,535-byte datagrams in and out of graphs, IPFragmenter
against scapy's own fragmentation, pcap and pcapng files."""

import pytest
from scapy.layers.inet import IP, UDP, fragment
from scapy.layers.l2 import Ether
from scapy.packet import Raw

from pktlab import Engine, traffic

MAC = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}


def datagram(total: int, ident: int = 5):
    payload = bytes(i & 0xFF for i in range(total - 28))
    return IP(src="10.0.0.1", dst="10.0.0.2", id=ident) / UDP(sport=7, dport=9) / Raw(payload)


@pytest.mark.parametrize("total", [1500, 9000, 65535])
def test_scapy_packets_of_any_size_both_ways(total):
    pkts = [Ether(**MAC) / datagram(total, i) for i in range(3)]
    out = traffic.run_packets("CheckIPHeader(14)", pkts)
    assert [bytes(p) for p in out[0]] == [bytes(p) for p in pkts]
    assert out[0][0][UDP].len == total - 20
    assert out.engine.pools()["in_use"] == 0


@pytest.mark.parametrize("mtu,total", [(1500, 65535), (9000, 65535), (9000, 20000)])
def test_ipfragmenter_as_scapy_fragments(mtu, total):
    dg = datagram(total)
    out = traffic.run_packets(f"IPFragmenter({mtu})", [dg], layer="ip")
    want = fragment(IP(bytes(dg)), fragsize=(mtu - 20) // 8 * 8)
    got = out[0]
    assert len(got) == len(want) == -(-(total - 20) // ((mtu - 20) // 8 * 8))
    for g, w in zip(got, want):
        assert (g.frag, g.flags, bytes(g.payload)) == (w.frag, w.flags, bytes(w.payload))
        assert g.len <= mtu
    assert out.counters()["fragments"] == len(want)


@pytest.mark.parametrize("pcapng", [False, True])
def test_trace_helpers_write_and_read_large_frames(tmp_path, pcapng):
    path = tmp_path / ("big.pcapng" if pcapng else "big.pcap")
    pkts = [Ether(**MAC) / datagram(n) for n in (60, 1500, 9000, 65535)]
    traffic.write_pcap(path, pkts, pcapng=pcapng)
    assert traffic.read_pcap(path) == [bytes(p) for p in pkts]
    eng = Engine(f"FromDump({path}, STOP true) -> Strip(14) -> Unstrip(14) -> out :: ToMemory;")
    eng.run_inline()
    assert eng.drain("out") == [bytes(p) for p in pkts]
