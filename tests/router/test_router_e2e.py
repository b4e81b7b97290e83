"""The standard IP router end to end, checked from scapy: ARP answered,
forwarding between subnets (TTL decremented, checksum right, static link
header), ICMP errors for TTL expiry, redirects, fragmentation, local delivery."""

from __future__ import annotations

import pytest

pytest.importorskip("scapy")

from scapy.layers.inet import ICMP, IP, UDP, IPerror, IPOption_RR  # noqa: E402
from scapy.layers.l2 import ARP, Ether  # noqa: E402

from pktlab.traffic import flowgen  # noqa: E402
from pktlab.traffic.tracetest import checksum_errors  # noqa: E402

IFS = flowgen.ROUTER_INTERFACES


def host_frame(i, src, dst, **ip):
    return Ether(src=IFS[i].peer_mac, dst=IFS[i].mac) / IP(src=src, dst=dst, **ip) / UDP(
        sport=4000, dport=5000) / b"payload!"


def assert_checksums(pkts):
    for p in pkts:
        assert not checksum_errors(p), (p.summary(), checksum_errors(p))


@pytest.mark.parametrize("per_packet", [False, True])
def test_arp_requests_answered_per_interface(router, per_packet):
    req = {i: [Ether(src=IFS[i].peer_mac, dst="ff:ff:ff:ff:ff:ff") /
               ARP(op=1, hwsrc=IFS[i].peer_mac, psrc=f"10.{i}.9.9", pdst=IFS[i].ip),
               Ether(src=IFS[i].peer_mac, dst="ff:ff:ff:ff:ff:ff") /
               ARP(op=1, hwsrc=IFS[i].peer_mac, psrc=f"10.{i}.9.9", pdst=f"10.{i}.0.77")]
           for i in range(4)}
    out = router(req, per_packet=per_packet)
    for i in range(4):
        (reply,) = out[f"out{i}"]
        assert reply[Ether].dst == IFS[i].peer_mac and reply[Ether].src == IFS[i].mac
        assert reply[ARP].op == 2 and reply[ARP].psrc == IFS[i].ip
        assert reply[ARP].hwsrc == IFS[i].mac and reply[ARP].pdst == f"10.{i}.9.9"
    drops = sum(out.engine[n].counters().get("unknown_target", 0) for n in out.engine.elements)
    assert drops == 4                                   # 10.i.0.77 is not the router


@pytest.mark.parametrize("per_packet", [False, True])
def test_forwarding_between_subnets(router, per_packet):
    sent = {i: [host_frame(i, f"10.{i}.3.3", f"10.{j}.4.4", ttl=64, id=100 * i + j)
                for j in range(4) if j != i] for i in range(4)}
    out = router(sent, per_packet=per_packet)
    for j in range(4):
        got = out[f"out{j}"]
        assert len(got) == 3
        assert_checksums(got)
        for p in got:
            assert p[Ether].src == IFS[j].mac and p[Ether].dst == IFS[j].peer_mac
            assert p[IP].dst == f"10.{j}.4.4" and p[IP].ttl == 63
            i = int(p[IP].src.split(".")[1])
            assert p[IP].id == 100 * i + j
            assert bytes(p[UDP]) == bytes(sent[i][[k for k in range(4) if k != i].index(j)][UDP])
    assert len(out["tohost"]) == 0


@pytest.mark.parametrize("ttl", [0, 1])
def test_ttl_expiry_sends_time_exceeded(router, ttl):
    out = router({1: [host_frame(1, "10.1.2.3", "10.2.0.9", ttl=ttl)]})
    assert len(out["out2"]) == 0
    (err,) = out["out1"]
    assert_checksums([err])
    assert err[Ether].dst == IFS[1].peer_mac and err[Ether].src == IFS[1].mac
    # from the interface it leaves by (FixIPSrc), back to the sender
    assert err[IP].src == IFS[1].ip and err[IP].dst == "10.1.2.3"
    assert err[ICMP].type == 11 and err[ICMP].code == 0
    assert err[IPerror].src == "10.1.2.3" and err[IPerror].dst == "10.2.0.9"
    assert err[IPerror].ttl == ttl
    # the error is a new packet: no redirect is attempted for it on the way out
    eng = out.engine
    assert sum(eng[n].counters()["icmp_error"] for n in eng.elements
               if eng.graph.elements[n].cls == "ICMPError") == 0


def test_redirect_for_same_interface(router):
    out = router({0: [host_frame(0, "10.0.2.3", "10.0.8.8")]})
    fwd, redirect = sorted(out["out0"], key=lambda p: p.haslayer(ICMP))
    assert fwd[IP].dst == "10.0.8.8" and fwd[IP].ttl == 63
    assert redirect[ICMP].type == 5 and redirect[ICMP].code == 1
    assert redirect[IP].dst == "10.0.2.3" and redirect[ICMP].gw == "10.0.8.8"
    assert_checksums(out["out0"])


def test_local_delivery_bad_packets_and_broadcasts(router):
    bad = host_frame(2, "10.2.1.1", "10.3.1.1")
    bad[IP].chksum = 0x1234
    bcast = Ether(src=IFS[2].peer_mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="10.2.1.1",
                                                                     dst="10.3.1.1") / UDP()
    out = router({2: [host_frame(2, "10.2.1.1", IFS[3].ip), bad, bcast]})
    assert [p[IP].dst for p in out["tohost"]] == [IFS[3].ip]
    assert len(out["out3"]) == 0
    eng = out.engine
    chk = next(n for n in eng.elements if eng.graph.elements[n].cls == "CheckIPHeader")
    assert eng[chk].counters()["bad_checksum"] == 1
    db = sum(eng[n].counters()["broadcast"] for n in eng.elements
             if eng.graph.elements[n].cls == "DropBroadcasts")
    assert db == 1


def test_record_route_and_fragmentation(router):
    rr = Ether(src=IFS[0].peer_mac, dst=IFS[0].mac) / IP(
        src="10.0.1.1", dst="10.1.1.1", options=[IPOption_RR(routers=["0.0.0.0"])]) / UDP()
    big = host_frame(0, "10.0.1.1", "10.2.1.1")
    big[UDP].remove_payload()
    big = big / bytes(900)
    df = host_frame(0, "10.0.1.1", "10.3.1.1", flags="DF")
    df[UDP].remove_payload()
    df = df / bytes(900)
    out = router({0: [rr, big, df]}, MTU=576)
    (r,) = out["out1"]
    assert r[IP].options[0].routers == [IFS[1].ip]      # recorded by the outgoing interface
    frags = out["out2"]
    assert len(frags) == 2 and all(len(p[IP]) <= 576 for p in frags)
    assert frags[0][IP].flags.MF and not frags[1][IP].flags.MF and frags[1][IP].frag == 69
    assert_checksums(list(out["out1"]) + list(frags))
    (need,) = [p for p in out["out0"] if p.haslayer(ICMP)]
    assert need[ICMP].type == 3 and need[ICMP].code == 4 and need[ICMP].nexthopmtu == 576
    assert len(out["out3"]) == 0


def test_paper_traffic_is_forwarded_and_conserved(router):
    traffic = flowgen.router_traffic(500, seed=7, sizes=(60, 1514))
    out = router(traffic)
    n_out = sum(len(out[f"out{j}"]) for j in range(4))
    assert n_out == 2000
    for j in range(4):
        net = IFS[j].net
        for p in out[f"out{j}"]:
            import ipaddress

            assert ipaddress.IPv4Address(p[IP].dst) in net
            assert p[IP].ttl == 63
    assert_checksums(list(out["out0"])[:200])
    st = out.engine.stats()
    assert st.total_drops() == 2000                     # every packet ended in a ToMemory
    assert out.engine.pools()["in_use"] == 0
