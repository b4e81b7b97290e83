"""Configuration-string helpers: splitting arguments and reading typed values.

An element's configuration string is a comma-separated list of arguments; an
argument that starts with an upper-case KEYWORD and a space is a keyword
argument. The value readers follow Click's argument types (lib/args.cc,
lib/confparse.cc) and raise ValueError with a message that says what was
expected; callers add the element and keyword.
"""

from __future__ import annotations

import ipaddress
import re

from .confstr import argvec, quote, unquote, unquote_parts

__all__ = [
    "parse_bandwidth",
    "parse_bool",
    "parse_data",
    "parse_ether",
    "parse_hex_data",
    "parse_int",
    "parse_ip_prefix",
    "parse_ipv4",
    "parse_real",
    "parse_time",
    "quote",
    "split_args",
    "split_keyword",
    "unquote",
]


def split_args(config: str) -> list[str]:
    """Split at commas outside quotes, \\<hex> blocks and (), [], {}; strip each.

    Comments become spaces; an empty last argument is dropped, so "" is []
    and "a, b," is ["a", "b"]. (Click splits inside brackets too; pktlab
    keeps bracketed lists whole, as its engine does.)
    """
    return argvec(config, nested=True)


_KEYWORD = re.compile(r"([A-Z][A-Z0-9_]*)[ \t\n\r\v\f]+(\S.*)", re.DOTALL)


def split_keyword(arg: str) -> tuple[str | None, str]:
    """ "LENGTH 64" -> ("LENGTH", "64"); an argument without a keyword -> (None, arg).

    A keyword is an upper-case word followed by whitespace and a value; a
    bare upper-case word ("ACTIVE") is a positional value.
    """
    m = _KEYWORD.fullmatch(arg)
    return (m.group(1), m.group(2)) if m else (None, arg)


def _fail(what: str, s: str) -> ValueError:
    return ValueError(f"expected {what}, got {s!r}")


def parse_bool(s: str) -> bool:
    """Click's BoolArg: true/yes/1/t/y or false/no/0/f/n."""
    v = s.strip()
    if v in ("true", "yes", "1", "t", "y"):
        return True
    if v in ("false", "no", "0", "f", "n"):
        return False
    raise _fail("a boolean (true or false)", s)


_INT = re.compile(r"([+-]?)(?:0[xX]([0-9a-fA-F](?:_?[0-9a-fA-F])*)|0[bB]([01](?:_?[01])*)"
                  r"|(0(?:_?[0-7])*)|([1-9](?:_?[0-9])*))")


def parse_int(s: str) -> int:
    """Click's IntArg: decimal, 0x hex, 0b binary, leading-0 octal; '_' between digits.

    Click allows no unit suffixes on integers (sizes like 64k are not integers).
    """
    m = _INT.fullmatch(s.strip())
    if m is None:
        raise _fail("an integer", s)
    sign, hexa, binary, octal, decimal = m.groups()
    if hexa is not None:
        v = int(hexa.replace("_", ""), 16)
    elif binary is not None:
        v = int(binary.replace("_", ""), 2)
    elif octal is not None:
        v = int(octal.replace("_", ""), 8)
    else:
        v = int(decimal.replace("_", ""))
    return -v if sign == "-" else v


_REAL = re.compile(r"[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)"
                   r"(?:[eE][+-]?[0-9]+)?")


def parse_real(s: str) -> float:
    """A decimal real number ("1.5", "-2e3", "1_000.25")."""
    v = s.strip()
    if not _REAL.fullmatch(v):
        raise _fail("a real number", s)
    x = float(v.replace("_", ""))
    if x in (float("inf"), float("-inf")):
        raise ValueError(f"real number out of range: {s!r}")
    return x


def _with_unit(s: str, units: list[tuple[str, float]], prefixes: dict[str, float],
               what: str) -> float:
    """Click's UnitArg: the first unit the string ends with, an optional SI
    prefix just before it, then an unsigned real number."""
    v = s.strip()
    scale = 1.0
    for unit, factor in units:
        if v.endswith(unit):
            v = v[: -len(unit)]
            scale = factor
            if v and v[-1] in prefixes:
                scale *= prefixes[v[-1]]
                v = v[:-1]
            v = v.rstrip()
            break
    if not v or v[0] == "-" or not _REAL.fullmatch(v):
        raise _fail(what, s)
    return float(v.replace("_", "")) * scale


_TIME_UNITS = [("s", 1.0), ("sec", 1.0), ("m", 60.0), ("min", 60.0), ("h", 3600.0),
               ("hr", 3600.0), ("d", 86400.0), ("day", 86400.0)]
_TIME_PREFIXES = {"m": 1e-3, "u": 1e-6, "n": 1e-9}


def parse_time(s: str) -> float:
    """Seconds from a time: "1ms", "2s", "1.5h", "3 min", "10us", "1 day".

    A bare number is seconds; SI prefixes m, u, n go before s or sec."""
    return _with_unit(s, _TIME_UNITS, _TIME_PREFIXES, "a time (e.g. 10ms, 1.5s)")


_BANDWIDTH_UNITS = [("baud", 0.125), ("bps", 0.125), ("b/s", 0.125), ("Bps", 1.0), ("B/s", 1.0)]
_BANDWIDTH_PREFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}


def parse_bandwidth(s: str) -> float:
    """Bytes per second, as Click's BandwidthArg: "10Gbps" (bits) is 1.25e9,
    "1.5MBps" (bytes) is 1.5e6; a bare number is bytes per second."""
    return _with_unit(s, _BANDWIDTH_UNITS, _BANDWIDTH_PREFIXES,
                      "a bandwidth (e.g. 10Gbps, 1.5MBps)")


def _ipv4_parts(s: str, min_parts: int) -> list[int] | None:
    parts = s.split(".")
    if not min_parts <= len(parts) <= 4:
        return None
    out = []
    for p in parts:
        if not p.isascii() or not p.isdigit() or len(p) > 3 or int(p) > 255:
            return None
        out.append(int(p))
    return out + [0] * (4 - len(out))


def parse_ipv4(s: str, names=None, context: str = "") -> ipaddress.IPv4Address:
    """A dotted-quad IPv4 address, "10.0.0.1"; with `names` (an
    lang.addresses.AddressTable), also a name as element `context` sees it."""
    parts = _ipv4_parts(s.strip(), 4)
    if parts is None:
        v = names.ip(s.strip(), context) if names is not None else None
        if v is not None:
            return v
        raise _fail("an IPv4 address", s)
    return ipaddress.IPv4Address(".".join(map(str, parts)))


def parse_ip_prefix(s: str, names=None,
                    context: str = "") -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
    """(address, mask) from "10.0.0.0/8", "10/8", "10.0.0.0/255.0.0.0" or
    "10.0.0.0 255.0.0.0". Host bits are kept, as in Click. With `names`, a
    name's prefix (NAME, NAME:net), else its address as /32."""
    v = s.strip()
    if names is not None and "/" not in v and " " not in v and _ipv4_parts(v, 4) is None:
        p = names.prefix(v, context)
        if p is None:
            a = names.ip(v, context)
            p = None if a is None else (a, ipaddress.IPv4Address("255.255.255.255"))
        if p is not None:
            return p
    if "/" in v:
        addr_text, mask_text = v.split("/", 1)
        addr = _ipv4_parts(addr_text, 1)
    else:
        words = v.split()
        if len(words) != 2:
            raise _fail("an IPv4 prefix (e.g. 10.0.0.0/8)", s)
        addr_text, mask_text = words
        addr = _ipv4_parts(addr_text, 4)
    if addr is None:
        raise _fail("an IPv4 prefix (e.g. 10.0.0.0/8)", s)
    if mask_text.isascii() and mask_text.isdigit() and int(mask_text) <= 32:
        bits = int(mask_text)
        mask = ipaddress.IPv4Address((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF)
    else:
        m = _ipv4_parts(mask_text, 4)
        if m is None:
            raise _fail("an IPv4 prefix (e.g. 10.0.0.0/8)", s)
        mask = ipaddress.IPv4Address(".".join(map(str, m)))
    return ipaddress.IPv4Address(".".join(map(str, addr))), mask


_ETHER = re.compile(r"[0-9a-fA-F]{1,2}(?:([:-])[0-9a-fA-F]{1,2})(?:\1[0-9a-fA-F]{1,2}){4}")


def parse_ether(s: str, names=None, context: str = "") -> bytes:
    """Six bytes from "00:11:22:33:44:55" or "0-a0-c9-9c-fd-9c"; with
    `names`, also a name (NAME, NAME:eth)."""
    v = s.strip()
    if not _ETHER.fullmatch(v):
        e = names.ether(v, context) if names is not None else None
        if e is not None:
            return e
        raise _fail("an Ethernet address (e.g. 00:11:22:33:44:55)", s)
    return bytes(int(p, 16) for p in re.split("[:-]", v))


def parse_data(s: str) -> bytes:
    """Bytes from a Click data string: quotes removed, backslash escapes in
    double quotes and \\<hex> blocks decoded, text encoded as UTF-8."""
    return b"".join(p.encode() if isinstance(p, str) else p for p in unquote_parts(s))


def parse_hex_data(s: str) -> bytes:
    """Bytes from hex digits, spaces allowed anywhere: "0a0b 0c" -> b"\\n\\x0b\\x0c"."""
    digits = "".join(s.split())
    if len(digits) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", digits):
        raise _fail("hex data (an even number of hex digits)", s)
    return bytes.fromhex(digits)
