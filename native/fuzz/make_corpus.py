#!/usr/bin/env python3
"""Write the element fuzzer's seed corpus (native/fuzz/corpus/elements).

    .venv/bin/python native/fuzz/make_corpus.py          # rewrite the seeds
    .venv/bin/python native/fuzz/make_corpus.py --check  # are the committed seeds these?

Each seed is one fuzzer input (fuzz_elements.c): a 4-byte header -- class
(ignored: the campaign fixes the class), flags (0: the manual's example
configuration), ports, no configuration bytes -- then packet records
[flags][len16][net?][headroom?][anno?][bytes]. The frames are valid ones of
every protocol the elements parse, and near misses: IP options (Record Route,
Timestamp, source routes) with good and bad pointers, fragments, ARP requests
and replies, ICMP errors quoting a packet, TCP and UDP with good and bad
checksums, broadcast and multicast, padding, truncation, lengths that lie.
Each frame goes in three ways: as an Ethernet frame, as a bare IP packet with
the network header annotation set (what CheckIPHeader hands on), and with the
destination IP annotation set (what route lookups and ARPQuerier use).

To add a seed: add a frame to FRAMES (or a batch to BATCHES) and run this.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

from scapy.layers.inet import (ICMP, IP, TCP, UDP, IPOption_LSRR, IPOption_NOP, IPOption_RR,
                               IPOption_SSRR, IPOption_Timestamp)
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Raw

OUT = Path(__file__).resolve().parent / "corpus" / "elements"

BATCH_END, NET, MAC, HEADROOM, ANNO, CLONE = 0x01, 0x10, 0x20, 0x40, 0x80, 0x08
ME, PEER = "02:00:00:00:00:01", "02:00:00:00:00:02"
A, B, ROUTER = "10.0.0.2", "10.1.0.2", "10.0.0.1"


def eth(p, dst=ME, src=PEER):
    return Ether(dst=dst, src=src) / p


def udp(**ip):
    return IP(src=A, dst=B, **ip) / UDP(sport=1234, dport=5678) / Raw(b"x" * 18)


def opts(*o):
    return IP(src=A, dst=B, options=list(o)) / UDP(sport=1, dport=2) / Raw(b"y" * 8)


def raw_ip(p, **changes) -> bytes:
    """Bytes of IP packet p with header bytes overwritten: {offset: value}."""
    b = bytearray(bytes(p))
    for off, v in changes.items():
        b[int(off[1:])] = v
    return bytes(b)


def icmp_error(kind, code, about):
    return IP(src=ROUTER, dst=A) / ICMP(type=kind, code=code) / bytes(about)[:28]


FRAMES: dict[str, bytes] = {
    "udp": bytes(udp()),
    "udp-ttl1": bytes(udp(ttl=1)),
    "udp-ttl0": bytes(udp(ttl=0)),
    "udp-badsum": raw_ip(udp(), o10=0xde, o11=0xad),
    "udp-df-big": bytes(IP(src=A, dst=B, flags="DF") / UDP() / Raw(b"z" * 1400)),
    "udp-big": bytes(IP(src=A, dst=B) / UDP() / Raw(b"z" * 1700)),
    "udp-zero-csum": bytes(IP(src=A, dst=B) / UDP(chksum=0) / Raw(b"q" * 10)),
    "udp-bad-len": bytes(IP(src=A, dst=B) / UDP(len=200) / Raw(b"q" * 10)),
    "tcp-syn": bytes(IP(src=A, dst=B) / TCP(sport=1, dport=80, flags="S",
                                          options=[("MSS", 1460), ("NOP", None),
                                                   ("WScale", 7)])),
    "tcp-ack-data": bytes(IP(src=A, dst=B) / TCP(flags="A", seq=1, ack=2) / Raw(b"GET /")),
    "tcp-bad-doff": raw_ip(IP(src=A, dst=B) / TCP(dataofs=15), o32=0xf0),
    "icmp-echo": bytes(IP(src=A, dst=B) / ICMP(type=8, id=1, seq=1) / Raw(b"ping")),
    "icmp-unreach-needfrag": bytes(icmp_error(3, 4, udp())),
    "icmp-timeexceeded": bytes(icmp_error(11, 0, udp())),
    "icmp-paramprob": bytes(icmp_error(12, 0, opts(IPOption_RR()))),
    "icmp-redirect": bytes(IP(src=ROUTER, dst=A) / ICMP(type=5, code=1, gw="10.0.0.9")
                           / bytes(udp())[:28]),
    "ip-rr": bytes(opts(IPOption_RR(routers=["0.0.0.0"] * 3))),
    "ip-rr-full": bytes(opts(IPOption_RR(pointer=16, routers=["1.1.1.1"] * 3))),
    "ip-rr-ptr0": raw_ip(opts(IPOption_RR(routers=["0.0.0.0"])), o22=0),
    "ip-rr-ptr3": raw_ip(opts(IPOption_RR(routers=["0.0.0.0"])), o22=3),
    "ip-rr-len2": raw_ip(opts(IPOption_RR(routers=["0.0.0.0"])), o21=2),
    "ip-rr-len-past": raw_ip(opts(IPOption_RR(routers=["0.0.0.0"])), o21=40),
    "ip-ts": bytes(opts(IPOption_Timestamp(flg=0, pointer=5, timestamp=0) / Raw(b"\0" * 4))),
    "ip-ts-addr": bytes(IP(src=A, dst=B, options=b"\x44\x0c\x05\x01" + b"\0" * 8) / UDP()),
    "ip-ts-prespec": bytes(IP(src=A, dst=B, options=b"\x44\x0c\x05\x03\x0a\x00\x00\x01"
                              + b"\0" * 4) / UDP()),
    "ip-ts-overflow": bytes(IP(src=A, dst=B, options=b"\x44\x08\x09\xf0" + b"\0" * 4) / UDP()),
    "ip-ts-ptr0": bytes(IP(src=A, dst=B, options=b"\x44\x08\x00\x00" + b"\0" * 4) / UDP()),
    "ip-lsrr": bytes(opts(IPOption_LSRR(routers=["10.2.0.1", "10.3.0.1"]))),
    "ip-ssrr": bytes(opts(IPOption_SSRR(pointer=8, routers=["10.2.0.1", "10.3.0.1"]))),
    "ip-nop-eol": bytes(opts(IPOption_NOP(), IPOption_NOP(), IPOption_NOP(), IPOption_NOP())),
    "ip-opt-len0": bytes(IP(src=A, dst=B, options=b"\x07\x00\x04\x00") / UDP()),
    "ip-opt-40": bytes(IP(src=A, dst=B, options=b"\x07\x27\x04" + b"\0" * 37) / UDP()),
    "ip-frag-first": bytes(IP(src=A, dst=B, id=7, flags="MF") / Raw(b"f" * 64)),
    "ip-frag-middle": bytes(IP(src=A, dst=B, id=7, flags="MF", frag=8) / Raw(b"f" * 64)),
    "ip-frag-last": bytes(IP(src=A, dst=B, id=7, frag=16) / Raw(b"f" * 20)),
    "ip-frag-opts": bytes(IP(src=A, dst=B, id=8, flags="MF",
                             options=[IPOption_LSRR(routers=["10.2.0.1"])]) / Raw(b"g" * 80)),
    "ip-totlen-short": raw_ip(udp(), o2=0, o3=10),
    "ip-totlen-long": raw_ip(udp(), o2=0x05, o3=0xdc),
    "ip-hl-long": raw_ip(udp(), o0=0x4f),
    "ip-hl-short": raw_ip(udp(), o0=0x43),
    "ip-version6": raw_ip(udp(), o0=0x65),
    "ip-padded": bytes(udp()) + b"\0" * 20,
    "ip-bcast": bytes(IP(src=A, dst="255.255.255.255") / UDP()),
    "ip-mcast": bytes(IP(src=A, dst="224.0.0.5") / UDP()),
    "ip-src-bcast": bytes(IP(src="10.0.255.255", dst=B) / UDP()),
    "ip-src-zero": bytes(IP(src="0.0.0.0", dst=B) / UDP()),
    "ip-to-router": bytes(IP(src=A, dst=ROUTER) / ICMP()),
    "ip-dst-zero": bytes(IP(src=A, dst="0.0.0.0") / UDP()),
    "ip-proto-unknown": bytes(IP(src=A, dst=B, proto=200) / Raw(b"w" * 12)),
}

ETH_ONLY: dict[str, bytes] = {
    "arp-request": bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER)
                         / ARP(op=1, hwsrc=PEER, psrc=A, pdst=ROUTER)),
    "arp-reply": bytes(Ether(dst=ME, src=PEER) / ARP(op=2, hwsrc=PEER, psrc=A, hwdst=ME,
                                                     pdst=ROUTER)),
    "arp-request-other": bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER)
                               / ARP(op=1, hwsrc=PEER, psrc=A, pdst="10.9.9.9")),
    "arp-bad-hlen": bytes(Ether(dst=ME, src=PEER) / ARP(op=1, hwlen=8, plen=4)),
    "arp-short": bytes(Ether(dst=ME, src=PEER, type=0x0806)) + b"\x00\x01\x08\x00",
    "vlan-udp": bytes(Ether(dst=ME, src=PEER) / Dot1Q(vlan=5) / udp()),
    "ipv6-type": bytes(Ether(dst=ME, src=PEER, type=0x86dd)) + b"\x60" + b"\0" * 39,
    "eth-bcast-ip": bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER) / udp()),
    "eth-mcast-ip": bytes(Ether(dst="01:00:5e:00:00:05", src=PEER) / IP(dst="224.0.0.5")
                          / UDP()),
    "eth-14": bytes(Ether(dst=ME, src=PEER, type=0x0800)),
    "eth-13": bytes(Ether(dst=ME, src=PEER))[:13],
    "empty": b"",
    "one-byte": b"\x45",
}


def record(frame: bytes, flags: int = BATCH_END, net: int | None = None,
           anno: bytes | None = None) -> bytes:
    flags |= (NET if net is not None else 0) | (ANNO if anno is not None else 0)
    out = struct.pack("!BH", flags, len(frame))
    if net is not None:
        out += bytes([net])
    if anno is not None:
        out += anno
    return out + frame


def dst_anno(ip_bytes: bytes, paint: int = 0, paramprob: int = 0) -> bytes:
    """paint, anno[0..2] (PARAMPROB, FIX_IP_SRC, PACKET_TYPE), destination IP."""
    dst = ip_bytes[16:20] if len(ip_bytes) >= 20 else b"\0\0\0\0"
    return bytes([paint, paramprob, 0, 0]) + dst


def seed(*records: bytes, flags: int = 0, ports: int = 0) -> bytes:
    return bytes([0, flags, ports, 0]) + b"".join(records)


def seeds() -> dict[str, bytes]:
    out = {}
    for name, ip in FRAMES.items():
        frame = bytes(eth(Raw(ip)))
        out[f"eth-{name}"] = seed(record(frame, MAC | BATCH_END))
        out[f"ip-{name}"] = seed(record(ip, BATCH_END, net=0))
        out[f"anno-{name}"] = seed(record(ip, BATCH_END, net=0,
                                          anno=dst_anno(ip, paint=1, paramprob=22)))
    for name, frame in ETH_ONLY.items():
        out[f"eth-{name}"] = seed(record(frame, MAC | BATCH_END))
        out[f"port1-{name}"] = seed(record(frame, MAC | BATCH_END | 0x02), ports=0x11)
    # Batches: a flow of 32, a mixed batch, clones, small headroom, per-packet mode.
    flow = b"".join(record(FRAMES["udp"], 0, net=0, anno=dst_anno(FRAMES["udp"]))
                    for _ in range(31))
    out["batch-flow32"] = seed(flow + record(FRAMES["udp"], BATCH_END, net=0,
                                             anno=dst_anno(FRAMES["udp"])))
    mixed = [FRAMES[k] for k in ("udp", "ip-rr", "ip-totlen-short", "ip-frag-first", "tcp-syn",
                                 "ip-ts", "udp-ttl1", "icmp-unreach-needfrag")]
    out["batch-mixed"] = seed(*(record(p, 0, net=0, anno=dst_anno(p)) for p in mixed))
    out["batch-mixed-eth"] = seed(*(record(bytes(eth(Raw(p))), MAC) for p in mixed),
                                  record(ETH_ONLY["arp-request"], MAC | BATCH_END))
    out["batch-clones"] = seed(*(record(p, CLONE, net=0) for p in mixed))
    out["batch-per-packet"] = seed(*(record(p, 0, net=0) for p in mixed), flags=0x04)
    out["small-headroom"] = seed(struct.pack("!BHB", BATCH_END | HEADROOM | MAC,
                                             len(ETH_ONLY["arp-request"]), 2)
                                 + ETH_ONLY["arp-request"])
    out["small-pool"] = seed(flow, flags=0x08)
    out["two-inputs"] = seed(record(FRAMES["udp"], BATCH_END, net=0,
                                    anno=dst_anno(FRAMES["udp"])),
                             record(ETH_ONLY["arp-reply"], MAC | BATCH_END | 0x02), ports=0x11)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed seeds")
    args = ap.parse_args(argv)
    want = seeds()
    if args.check:
        have = {f.name: f.read_bytes() for f in OUT.iterdir()} if OUT.is_dir() else {}
        if have != want:
            print(f"seeds differ: {sorted(set(have) ^ set(want)) or 'contents'}; "
                  f"run {Path(__file__).name}")
            return 1
        print(f"{len(want)} seeds up to date")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.iterdir():
        if f.name not in want:
            f.unlink()
    for name, data in want.items():
        (OUT / name).write_bytes(data)
    print(f"{len(want)} seeds in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
