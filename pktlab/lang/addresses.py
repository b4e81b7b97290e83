"""Named addresses: AddressInfo's table with Click's lookup rules.

The same rules as the engine's (native/core/addrinfo.h, Click's
elements/standard/addressinfo.cc): each AddressInfo argument "NAME ADDR..."
defines NAME's IPv4 address, IPv4 prefix, Ethernet address, IPv6 address and
IPv6 prefix for the compound the AddressInfo is in; an element "a/b/x" looks
a name up in "a/b/", "a/", then at the top. Suffixes pick the kind (NAME:ip,
:bcast, :gw, :net, :eth, :ip6, :ip6net). A name no AddressInfo defines may
be a network device of this host.

    table = AddressTable.from_graph(graph)
    parse_ipv4("lan:ip", names=table, context="r/x")   # pktlab.lang.args
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from .confstr import argvec

__all__ = ["AddressTable"]

_ETHER = re.compile(r"[0-9a-fA-F]{1,2}(?:([:-])[0-9a-fA-F]{1,2})(?:\1[0-9a-fA-F]{1,2}){4}")
_IPV4 = re.compile(r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]"
                   r"|1[0-9][0-9]|[1-9]?[0-9])){3}")

IP, PREFIX, ETHER, IP6, IP6PREFIX = "ip", "prefix", "ether", "ip6", "ip6prefix"


def _kinds(word: str) -> dict[str, object]:
    """Every kind of address `word` is, as AddressInfo reads it."""
    out: dict[str, object] = {}
    if _ETHER.fullmatch(word):
        out[ETHER] = bytes(int(p, 16) for p in re.split("[:-]", word))
    if _IPV4.fullmatch(word):
        out[IP] = ipaddress.IPv4Address(word)
    elif "/" in word and "." in word.split("/", 1)[0]:
        addr, _, mask = word.partition("/")
        try:
            a = ipaddress.IPv4Address(addr)
            if _IPV4.fullmatch(mask):
                m = ipaddress.IPv4Address(mask)
            elif mask.isascii() and mask.isdigit() and int(mask) <= 32:
                m = ipaddress.IPv4Address((0xFFFFFFFF << (32 - int(mask))) & 0xFFFFFFFF)
            else:
                raise ValueError(mask)
        except ValueError:
            pass
        else:
            out[PREFIX] = (a, m)
            if int(a) & ~int(m) & 0xFFFFFFFF:
                out[IP] = a
    if ":" in word:
        try:
            out[IP6] = ipaddress.IPv6Address(word)
        except ValueError:
            try:
                net = ipaddress.IPv6Interface(word) if "/" in word else None
            except ValueError:
                net = None
            if net is not None:
                out[IP6PREFIX] = (net.ip, net.network.prefixlen)
                if net.ip != net.network.network_address:
                    out[IP6] = net.ip
    return out


def _scope(element: str) -> str:
    return element[: element.rfind("/") + 1]


@dataclass
class AddressTable:
    """Names defined by AddressInfo elements, by scope ("a/b/") and kind."""

    entries: dict[tuple[str, str], object] = field(default_factory=dict)
    devices: bool = True  # fall back to this host's network devices

    @classmethod
    def from_graph(cls, graph, devices: bool = True) -> AddressTable:
        t = cls(devices=devices)
        for el in graph.elements.values():
            if el.cls == "AddressInfo":
                for arg in argvec(el.config or "", nested=True):
                    t.define(el.name, arg)
        return t

    def define(self, element: str, arg: str) -> None:
        """One AddressInfo argument "NAME ADDR [ADDR...]" of element `element`;
        ValueError as Click words it."""
        words = arg.split()
        if not words:
            return
        if len(words) < 2:
            raise ValueError(f"expected 'NAME [ADDRS]', got {arg!r}")
        name, scope, seen = words[0], _scope(element), set()
        for w in words[1:]:
            kinds = _kinds(w)
            if not kinds:
                raise ValueError(f"'{w}' is not a recognizable address")
            for kind, value in kinds.items():
                if len(kinds) == 1 or kind not in seen:
                    self.entries[(scope + name, kind)] = value
            seen |= set(kinds)

    def _query(self, kind: str, name: str, context: str):
        scope = _scope(context)
        while True:
            v = self.entries.get((scope + name, kind))
            if v is not None:
                return v
            if not scope:
                break
            scope = scope[: scope[:-1].rfind("/") + 1]
        if self.devices and kind in (IP, PREFIX, ETHER):
            return _device(name, kind)
        return None

    @staticmethod
    def _split(s: str, allowed: tuple[str, ...]) -> str | None:
        base, colon, suffix = s.rpartition(":")
        if not colon:
            return s
        return base if ":" + suffix.lower() in allowed else None

    def ip(self, s: str, context: str = "") -> ipaddress.IPv4Address | None:
        base, colon, suffix = s.rpartition(":")
        if colon and suffix.lower() == "bcast":
            p = self.prefix(base, context)
            return None if p is None else ipaddress.IPv4Address(int(p[0]) | (~int(p[1]) & 0xFFFFFFFF))
        if colon and suffix.lower() == "gw":
            v = self._query(IP, s, context)
            if v is not None:
                return v
            p = self._query(PREFIX, base, context)
            return None if p is None else ipaddress.IPv4Address((int(p[0]) & int(p[1])) | 1)
        name = self._split(s, (":ip", ":ip4"))
        return None if name is None else self._query(IP, name, context)

    def prefix(self, s: str, context: str = ""):
        name = self._split(s, (":net", ":ipnet", ":ip4net"))
        return None if name is None else self._query(PREFIX, name, context)

    def ether(self, s: str, context: str = "") -> bytes | None:
        name = self._split(s, (":eth", ":ether", ":ethernet"))
        return None if name is None else self._query(ETHER, name, context)

    def ip6(self, s: str, context: str = "") -> ipaddress.IPv6Address | None:
        name = self._split(s, (":ip6",))
        return None if name is None else self._query(IP6, name, context)

    def ip6_prefix(self, s: str, context: str = ""):
        name = self._split(s, (":ip6net",))
        return None if name is None else self._query(IP6PREFIX, name, context)


def _device(name: str, kind: str):
    """This host's device `name`: its Ethernet address, first IPv4 address or prefix."""
    import fcntl
    import socket
    import struct
    from pathlib import Path

    if not name or "/" in name or len(name) >= 16:
        return None
    if kind == ETHER:
        try:
            if Path(f"/sys/class/net/{name}/type").read_text().strip() not in ("1", "801"):
                return None
            return bytes.fromhex(Path(f"/sys/class/net/{name}/address").read_text()
                                 .strip().replace(":", ""))
        except (OSError, ValueError):
            return None
    req = struct.pack("256s", name.encode())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            addr = ipaddress.IPv4Address(fcntl.ioctl(s.fileno(), 0x8915, req)[20:24])
            if kind == IP:
                return addr
            mask = ipaddress.IPv4Address(fcntl.ioctl(s.fileno(), 0x891B, req)[20:24])
        except OSError:
            return None
    return addr, mask
