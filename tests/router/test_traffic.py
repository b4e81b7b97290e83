"""pktlab.traffic: scapy packets in, scapy packets out, captures, pcap files."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("scapy")

from scapy.layers.inet import IP, TCP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402

from pktlab import Engine, traffic  # noqa: E402


def test_importing_pktlab_does_not_import_scapy():
    import subprocess
    import sys

    code = ("import sys, pktlab, pktlab.engine, pktlab.traffic.flowgen, pktlab.traffic;"
            "print('scapy' in ' '.join(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_packets_wraps_one_element_per_port():
    out = traffic.run_packets("IPClassifier(tcp, udp)", [IP() / TCP(), IP() / UDP(), IP() / UDP()])
    assert sorted(out) == [0, 1]
    assert len(out[0]) == 1 and len(out[1]) == 2 and out[1][0].haslayer(UDP)
    assert out.counters() == {"no_match": 0, "unconnected": 0}


def test_run_packets_on_a_graph_by_name_and_several_sources():
    cfg = "a :: FromMemory -> x :: ToMemory; b :: FromMemory -> Strip(14) -> y :: ToMemory"
    out = traffic.run_packets(cfg, {"a": [IP() / UDP()], "b": [Ether() / IP() / TCP()] * 2})
    assert len(out["x"]) == 1 and len(out["y"]) == 2 and out["y"][0].haslayer(TCP)
    with pytest.raises(ValueError, match="give packets as a dict"):
        traffic.run_packets(cfg, [IP()])
    with pytest.raises(ValueError, match="FromMemory"):
        traffic.run_packets("InfiniteSource -> Discard", [IP()])


def test_run_packets_keeps_annotations():
    out = traffic.run_packets("src :: FromMemory -> GetIPAddress(16) -> Paint(7) -> o :: ToMemory",
                              [IP(dst="10.1.2.3") / UDP()])
    (m,) = out.meta["o"]
    assert m.paint == 7 and m.dst_ip == 0x0A010203


def test_template_varies_fields_in_order_and_at_random():
    pk = traffic.template(IP(src="10.0.0.1") / UDP(dport=1), 6,
                          {"IP.dst": ("10.0.0.1", "10.0.0.3"), "UDP.dport": [53, 80]})
    assert [p[IP].dst for p in pk] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"] * 2
    assert [p[UDP].dport for p in pk] == [53, 80] * 3
    assert all(IP(bytes(p)).chksum == p.chksum for p in pk)
    r1 = traffic.template(IP() / UDP(), 20, {"UDP.sport": (1000, 2000)}, seed=4)
    r2 = traffic.template(IP() / UDP(), 20, {"UDP.sport": (1000, 2000)}, seed=4)
    assert [p.sport for p in r1] == [p.sport for p in r2] and len({p.sport for p in r1}) > 5
    with pytest.raises(ValueError, match="no TCP layer"):
        traffic.template(IP() / UDP(), 2, {"TCP.dport": (1, 2)})


def test_capture_samples_a_running_engine():
    eng = Engine("src :: FromMemory(LOOP true) -> tap :: Capture(64) -> c :: Counter -> Discard")
    traffic.feed(eng, "src", traffic.template(IP(dst="10.0.0.1") / UDP(), 8,
                                             {"UDP.dport": range(1, 9)}))
    eng.start()
    try:
        time.sleep(0.05)
        assert eng["tap"].count == 0                        # inactive: nothing copied
        pk = traffic.capture(eng, "tap", 10, timeout=5)
    finally:
        eng.stop()
    assert len(pk) == 10 and all(p.haslayer(UDP) for p in pk)
    ports = [p[UDP].dport for p in pk]
    assert all(b == a % 8 + 1 for a, b in zip(ports, ports[1:]))   # consecutive packets
    assert eng["c"].count > 10 and eng.pools()["in_use"] == 0


def test_pcap_roundtrip(tmp_path):
    pk = [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP() / UDP(dport=i)
          for i in range(5)]
    traffic.write_pcap(tmp_path / "a.pcap", pk)
    frames = traffic.read_pcap(tmp_path / "a.pcap")
    assert frames == [bytes(p) for p in pk]
    out = traffic.run_packets("EtherMirror", frames)
    assert [p[Ether].src for p in out[0]] == ["02:00:00:00:00:02"] * 5


def test_feed_rejects_oversized_packets():
    eng = Engine("src :: FromMemory -> Discard")
    with pytest.raises(ValueError, match="at most"):
        traffic.feed(eng, "src", [bytes(70000)])
