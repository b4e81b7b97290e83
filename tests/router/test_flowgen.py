"""pktlab.traffic.flowgen: the paper's router traffic (Fig. 3), deterministic under a seed."""

from __future__ import annotations

import collections
import ipaddress
import random

import pytest

from pktlab.traffic import flowgen

IFS = flowgen.ROUTER_INTERFACES


def test_flow_size_pmf_is_small_flow_heavy():
    p = flowgen.flow_size_pmf()
    assert len(p) == 128 and abs(sum(p) - 1) < 1e-9
    assert all(a > b for a, b in zip(p, p[1:]))          # strictly decreasing
    assert p[0] > 0.3 and p[127] < 0.001 and sum(p[:8]) > 0.7


def test_flow_sizes_follow_the_distribution():
    sizes = flowgen.flow_sizes(20000, random.Random(3))
    assert min(sizes) >= 1 and max(sizes) <= 128
    c = collections.Counter(sizes)
    p = flowgen.flow_size_pmf()
    assert abs(c[1] / 20000 - p[0]) < 0.02 and abs(c[2] / 20000 - p[1]) < 0.02
    assert max(sizes) > 64                                 # large flows do occur


def test_deterministic_under_seed_and_different_across_seeds():
    a = flowgen.router_traffic(300, seed=5)
    assert a == flowgen.router_traffic(300, seed=5)
    assert a != flowgen.router_traffic(300, seed=6)


def test_frames_are_valid_and_spread_over_the_other_subnets():
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether

    from pktlab.traffic.tracetest import checksum_errors

    frames = flowgen.flows(3000, IFS[0], IFS[1:], seed=1)
    dsts, flows, srcs = collections.Counter(), set(), set()
    for f in frames:
        assert 60 <= len(f) <= 1514
        p = Ether(f)
        assert p[Ether].dst == IFS[0].mac and p[Ether].src == IFS[0].peer_mac
        assert not checksum_errors(p)
        assert ipaddress.IPv4Address(p[IP].src) in IFS[0].net
        j = next(k for k in range(1, 4) if ipaddress.IPv4Address(p[IP].dst) in IFS[k].net)
        dsts[j] += 1
        flows.add((p[IP].src, p[IP].dst, p[UDP].sport, p[UDP].dport))
        srcs.add(p[IP].src)
    assert set(dsts) == {1, 2, 3}
    assert len(flows) > 200 and len(srcs) > 200            # RSS has something to hash
    assert all(n > 400 for n in dsts.values())


def test_flows_are_consecutive_packets_to_one_destination():
    frames = flowgen.flows(2000, IFS[1], [IFS[2]], seed=2, sizes=60)
    runs, last = [], None
    for f in frames:
        key = f[26:34]                                      # IP source and destination
        if key == last:
            runs[-1] += 1
        else:
            runs.append(1)
        last = key
    assert max(runs) <= 128 and runs.count(1) > len(runs) / 4
    assert all(len(f) == 60 for f in frames)


def test_pcap_written_is_read_back(tmp_path):
    from pktlab.traffic import read_pcap

    frames = flowgen.flows(50, IFS[0], IFS[1:], seed=4)
    flowgen.write_pcap(tmp_path / "t.pcap", frames)
    assert read_pcap(tmp_path / "t.pcap") == frames


def test_bad_frame_size_is_an_error():
    with pytest.raises(ValueError, match="frame size"):
        flowgen.frame("02:00:00:00:00:01", "02:00:00:00:00:02", "10.0.0.1", "10.0.0.2", 1, 2,
                      size=2000)
