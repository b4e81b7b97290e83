"""The FastClick paper's router traffic, deterministic under a seed.

The paper's generator (§3, Fig. 3) sends each router interface packets
destined equally to the other interfaces' subnets, in *flows* of 1 to 128
packets that share a destination, small flows being much more likely than
large ones. This module builds such traffic as raw Ethernet/IPv4/UDP frames
(no scapy: it is fast enough for millions of frames), for FromMemory
(`Engine.feed`) or a pcap file.

    from pktlab import flowgen
    frames = flowgen.router_traffic(10_000, seed=1)     # {interface: [bytes, ...]}
    flowgen.flow_size_pmf()                              # P(size = 1..128)

Sources and destinations are random hosts of their subnets and ports are
random per flow, so that RSS hashing spreads flows over queues. Frame sizes
are drawn per flow from `sizes` (60-1514 bytes, without the FCS).
"""

from __future__ import annotations

import ipaddress
import random
import struct
from dataclasses import dataclass

__all__ = ["Interface", "ROUTER_INTERFACES", "flow_size_pmf", "flow_sizes", "frame",
           "flows", "router_traffic", "write_pcap"]

MAX_FLOW = 128
ALPHA = 1.5          # P(k) ∝ k^-ALPHA: small flows much more likely (the shape of Fig. 3)


@dataclass(frozen=True)
class Interface:
    """One router interface: its address in its subnet, its MAC, and the MAC
    of the host (next hop) on that subnet."""

    ip: str
    prefix: int
    mac: str
    peer_mac: str

    @property
    def net(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(f"{self.ip}/{self.prefix}", strict=False)


# The four interfaces of examples/router.click (its defines use the same values).
ROUTER_INTERFACES = tuple(
    Interface(f"10.{i}.0.1", 16, f"02:00:00:00:0{i}:01", f"02:00:00:00:0{i}:02")
    for i in range(4))


def flow_size_pmf(max_size: int = MAX_FLOW, alpha: float = ALPHA) -> list[float]:
    """P(flow size = k) for k = 1..max_size (index k - 1): a truncated power law."""
    w = [k ** -alpha for k in range(1, max_size + 1)]
    s = sum(w)
    return [x / s for x in w]


def flow_sizes(n: int, rng: random.Random, max_size: int = MAX_FLOW,
               alpha: float = ALPHA) -> list[int]:
    """n flow sizes drawn from flow_size_pmf."""
    return rng.choices(range(1, max_size + 1), weights=flow_size_pmf(max_size, alpha), k=n)


def _mac(s: str) -> bytes:
    return bytes(int(x, 16) for x in s.split(":"))


def _csum(b: bytes) -> int:
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src_mac: str, dst_mac: str, src_ip: str, dst_ip: str, sport: int, dport: int,
          size: int = 60, ttl: int = 64, ident: int = 0) -> bytes:
    """An Ethernet/IPv4/UDP frame of `size` bytes (42..1514, no FCS). The IP
    checksum is computed; the UDP checksum is 0 (none, allowed for IPv4)."""
    if not 42 <= size <= 1514:
        raise ValueError(f"frame size {size} is outside 42..1514")
    iplen = size - 14
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, iplen, ident & 0xFFFF, 0, ttl, 17, 0,
                     ipaddress.IPv4Address(src_ip).packed, ipaddress.IPv4Address(dst_ip).packed)
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", sport, dport, iplen - 20, 0)
    payload = bytes(iplen - 28)
    return _mac(dst_mac) + _mac(src_mac) + b"\x08\x00" + ip + udp + payload


def _host(net: ipaddress.IPv4Network, rng: random.Random, avoid: str) -> str:
    while True:
        a = net.network_address + rng.randrange(2, net.num_addresses - 1)
        if str(a) != avoid:
            return str(a)


def flows(n_packets: int, src_if: Interface, dst_ifs, *, seed: int = 0,
          sizes: tuple[int, int] | int = (60, 1514), max_flow: int = MAX_FLOW,
          alpha: float = ALPHA, ttl: int = 64) -> list[bytes]:
    """n_packets frames arriving at the router on src_if, in flows of 1 to
    max_flow packets (back to back) toward random hosts of dst_ifs' subnets,
    each subnet equally likely."""
    rng = random.Random(seed)
    lo, hi = (sizes, sizes) if isinstance(sizes, int) else sizes
    out: list[bytes] = []
    ident = 0
    while len(out) < n_packets:
        k = min(flow_sizes(1, rng, max_flow, alpha)[0], n_packets - len(out))
        dst_if = dst_ifs[rng.randrange(len(dst_ifs))]
        src = _host(src_if.net, rng, src_if.ip)
        dst = _host(dst_if.net, rng, dst_if.ip)
        sport, dport = rng.randrange(1024, 65536), rng.randrange(1, 65536)
        size = rng.randint(lo, hi)
        for _ in range(k):
            out.append(frame(src_if.peer_mac, src_if.mac, src, dst, sport, dport, size, ttl,
                             ident))
            ident += 1
    return out


def router_traffic(n_per_interface: int, interfaces=ROUTER_INTERFACES, *, seed: int = 0,
                   sizes: tuple[int, int] | int = (60, 1514), **kw) -> dict[int, list[bytes]]:
    """The paper's router traffic: for each interface, n frames destined
    equally to the other interfaces' subnets. Deterministic under seed."""
    return {i: flows(n_per_interface, itf, [o for o in interfaces if o is not itf],
                     seed=seed * 1000 + i, sizes=sizes, **kw)
            for i, itf in enumerate(interfaces)}


def write_pcap(path, frames) -> None:
    """Write frames (bytes) to a pcap file (Ethernet link type), without scapy."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i // 1_000_000, i % 1_000_000, len(fr), len(fr)))
            f.write(fr)
