"""Checksums of decoded packets: which IPv4/ICMP/TCP/UDP checksums a packet gets
wrong (the trace tests' and the router tests' check on what leaves a graph)."""

from __future__ import annotations


def checksum_errors(pkt) -> list[str]:
    """Wrong IPv4/ICMP/TCP/UDP checksums in a scapy packet, recomputed by scapy."""
    from scapy.layers.inet import ICMP, IP, TCP, UDP, IPerror, UDPerror, TCPerror

    errs = []
    for layer in (IP, ICMP, TCP, UDP):
        if not pkt.haslayer(layer):
            continue
        lay = pkt[layer]
        if isinstance(lay, (IPerror, UDPerror, TCPerror)):
            continue
        have = lay.chksum
        if layer is UDP and have == 0:
            continue
        if layer is not IP and pkt.haslayer(IP) and (pkt[IP].flags.MF or pkt[IP].frag):
            continue                                    # covers the whole datagram
        copy = pkt.copy()
        del copy[layer].chksum
        want = copy.__class__(bytes(copy))[layer].chksum
        if have != want:
            errs.append(f"{layer.__name__} checksum 0x{have:04x}, should be 0x{want:04x}")
    return errs
