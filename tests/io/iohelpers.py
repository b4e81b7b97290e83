"""Helpers for the I/O tests (imported by name: `from iohelpers import ...`;
a name of its own, since every test folder has a conftest).

DPDK's EAL can be initialised once per process, so every DPDK scenario runs
in a fresh interpreter (`run_scenario`), which prints one JSON line with what
the test checks. pcap files are written and read by hand here: the format is
the tests' oracle.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """
import json, sys, time
import pktlab                    # pktlab.dpdk: the DPDK glue (pktlab.engine.dpdk)
from pktlab.engine import EngineError

def out(**kw):
    print(json.dumps(kw), flush=True)
"""


def dpdk_built() -> bool:
    from pktlab.engine import dpdk

    return dpdk.available()


needs_dpdk = pytest.mark.skipif(not dpdk_built(),
                                reason="pktlab was built without DPDK (libdpdk-dev missing)")


def run_scenario(code: str, timeout: float = 60) -> dict:
    """Run `code` (after PRELUDE) in a fresh interpreter; return the JSON it
    printed last with out(...)."""
    src = PRELUDE + textwrap.dedent(code)
    r = subprocess.run([sys.executable, "-"], input=src, capture_output=True, text=True,
                       timeout=timeout, cwd=ROOT)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    assert r.returncode == 0 and lines, f"scenario failed (rc {r.returncode}):\n{r.stderr[-3000:]}"
    return json.loads(lines[-1])


# ---- pcap files, written and read by hand (the format is the test's oracle) ----

def write_pcap(path, frames, *, nsec=False, swap=False, ts0=1_700_000_000, snaplen=65535,
               linktype=1):
    """frames: bytes or (bytes, ts_ns) pairs. Returns the records as (ts_ns, data)."""
    end = ">" if swap else "<"
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    recs = []
    with open(path, "wb") as f:
        f.write(struct.pack(end + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for i, fr in enumerate(frames):
            data, ts = fr if isinstance(fr, tuple) else (fr, (ts0 + i) * 10**9 + i * 1000)
            frac = ts % 10**9 if nsec else ts % 10**9 // 1000
            f.write(struct.pack(end + "IIII", ts // 10**9, frac, len(data), len(data)))
            f.write(data)
            recs.append((ts if nsec else ts // 1000 * 1000, data))
    return recs


def pcap_header(path) -> dict:
    """The header of a classic pcap file written little endian."""
    magic, major, minor, _, _, snaplen, link = struct.unpack("<IHHiIII",
                                                             Path(path).read_bytes()[:24])
    return {"magic": magic, "version": (major, minor), "snaplen": snaplen, "linktype": link}


def read_pcap(path, linktype=1):
    """[(ts_ns, caplen, origlen, data)] of a classic pcap file (little endian,
    microsecond or nanosecond timestamps) of that link type (None: any)."""
    raw = Path(path).read_bytes()
    magic, _, _, _, _, _, link = struct.unpack("<IHHiIII", raw[:24])
    assert magic in (0xA1B2C3D4, 0xA1B23C4D) and linktype in (None, link)
    scale = 1 if magic == 0xA1B23C4D else 1000
    out, off = [], 24
    while off < len(raw):
        sec, frac, cap, orig = struct.unpack("<IIII", raw[off:off + 16])
        out.append((sec * 10**9 + frac * scale, cap, orig, raw[off + 16:off + 16 + cap]))
        off += 16 + cap
    return out


def frames(n, size=64, tag=0):
    """n distinct Ethernet frames (locally administered MACs, ethertype 0x88b5)."""
    out = []
    for i in range(n):
        head = bytes.fromhex("020000000002020000000001") + b"\x88\xb5"
        body = struct.pack(">HI", tag, i) + bytes((i + k) & 0xFF for k in range(size - 20))
        out.append(head + body)
    return out


# ---- raw sockets inside a namespace (the tests' own endpoints) ----

# Send the frames given on stdin (hex, one per line) on IFACE (argv[1]).
SENDER = """
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for line in sys.stdin:
    s.send(bytes.fromhex(line.strip()))
"""

# Receive ethertype 0x88b5 frames (any size) on IFACE until N (argv[2]) arrived, or 5 s idle.
RECEIVER = """
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.setsockopt(socket.SOL_SOCKET, 33, 1 << 24)   # SO_RCVBUFFORCE: hold a whole burst
s.bind((sys.argv[1], 0)); s.settimeout(5)
print("ready", flush=True)
n, got = int(sys.argv[2]), []
try:
    while len(got) < n:
        got.append(s.recv(65536).hex())
except socket.timeout:
    pass
print("\\n".join(got), flush=True)
"""


def netns_python(ns, code, *args):
    """Run Python `code` inside namespace `ns`, pipes on stdin and stdout."""
    return subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", code, *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


# ---- pcapng, written by hand (the format is the test's oracle) ----

def _opt(code, value: bytes, end):
    return struct.pack(end + "HH", code, len(value)) + value + bytes(-len(value) % 4)


def _block(btype, body: bytes, end):
    body += bytes(-len(body) % 4)
    n = len(body) + 12
    return struct.pack(end + "II", btype, n) + body + struct.pack(end + "I", n)


def pcapng(sections) -> bytes:
    """A pcapng file from a list of sections; a section is a dict with
    `big_endian` (bool), `interfaces`: [(linktype, tsresol or None, snaplen)],
    and `blocks`: ("epb", ifid, ts_units, data[, origlen]) | ("opb", ...) |
    ("spb", data[, origlen]) | ("unknown", type, body) | ("idb", linktype,
    tsresol, snaplen), in file order."""
    out = b""
    for sec in sections:
        end = ">" if sec.get("big_endian") else "<"
        out += _block(0x0A0D0D0A, struct.pack(end + "IHHq", 0x1A2B3C4D, 1, 0, -1)
                      + _opt(4, b"pktlab tests", end) + _opt(0, b"", end), end)
        blocks = [("idb", *i) for i in sec.get("interfaces", [])] + list(sec.get("blocks", []))
        for b in blocks:
            kind = b[0]
            if kind == "idb":
                _, lt, res, snap = b
                opts = (_opt(9, bytes([res]), end) if res is not None else b"") + _opt(0, b"", end)
                out += _block(1, struct.pack(end + "HHI", lt, 0, snap) + opts, end)
            elif kind in ("epb", "opb"):
                _, ifid, ts, data, *orig = b
                orig = orig[0] if orig else len(data)
                head = (struct.pack(end + "I", ifid) if kind == "epb"
                        else struct.pack(end + "HH", ifid, 0))
                body = head + struct.pack(end + "IIII", ts >> 32, ts & 0xFFFFFFFF, len(data), orig)
                out += _block(6 if kind == "epb" else 2, body + data + bytes(-len(data) % 4)
                              + _opt(1, b"a comment", end) + _opt(0, b"", end), end)
            elif kind == "spb":
                _, data, *orig = b
                out += _block(3, struct.pack(end + "I", orig[0] if orig else len(data)) + data, end)
            elif kind == "unknown":
                _, btype, body = b
                out += _block(btype, body, end)
    return out


# ---- a corpus of frames for the link-type tests (deterministic bytes) ----

def _csum(b: bytes) -> int:
    b += bytes(len(b) % 2)
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, payload: bytes, proto=17, options=b"", ident=1) -> bytes:
    hl = 20 + len(options)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, 0, hl + len(payload), ident, 0, 64, proto, 0,
                    bytes(src), bytes(dst)) + options
    return h[:10] + struct.pack("!H", _csum(h)) + h[12:] + payload


def ipv6(src_last, dst_last, payload: bytes, nh=17) -> bytes:
    pre = bytes.fromhex("fd000000000000000000000000000000")
    return (struct.pack("!IHBB", 0x60000000, len(payload), nh, 64) + pre[:15] + bytes([src_last])
            + pre[:15] + bytes([dst_last]) + payload)


def corpus():
    """(ethertype, network-layer bytes, vlan) of a mixed trace: IPv4 UDP and
    TCP with options, IPv6, a 9,000-byte datagram, ARP, and IP-looking
    frames that are not valid (bad version, header past the end)."""
    udp = struct.pack("!HHHH", 1234, 5678, 8 + 18, 0) + b"pktlab corpus data"
    tcp = struct.pack("!HHIIBBHHH", 80, 4321, 1, 0, 0x50, 0x02, 1024, 0, 0)
    big = struct.pack("!HHHH", 9, 9, 8 + 8972, 0) + bytes(i & 0xFF for i in range(8972))
    arp = bytes.fromhex("0001080006040001020000000001") + bytes([10, 0, 0, 1]) + bytes(6) + bytes([10, 0, 0, 2])
    return [
        (0x0800, ipv4([10, 0, 0, 1], [10, 0, 0, 2], udp), None),
        (0x0800, ipv4([10, 1, 0, 7], [192, 168, 3, 4], tcp, proto=6, options=bytes([1, 1, 1, 0])), None),
        (0x86DD, ipv6(1, 2, udp), None),
        (0x0806, arp, None),
        (0x0800, ipv4([10, 0, 0, 3], [10, 0, 0, 4], big, ident=9), None),
        (0x0800, bytes([0x35]) + ipv4([1, 2, 3, 4], [5, 6, 7, 8], udp)[1:], None),   # version 3
        (0x0800, bytes([0x4f]) + bytes(20), None),                               # header past the end
        (0x0800, ipv4([172, 16, 0, 1], [172, 16, 0, 2], udp), 7),                # 802.1Q, VLAN 7
    ]


def frames_for(linktype: int, items=None) -> list[bytes]:
    """The corpus framed for a link type: Ethernet (1), raw IP (101, 12, 14,
    228/229: IP only), Linux SLL (113), SLL2 (276), BSD loopback (0)."""
    out = []
    for etype, net, vlan in items or corpus():
        if linktype == 1:
            mac = bytes.fromhex("020000000002020000000001")
            tag = struct.pack("!HH", 0x8100, vlan) if vlan else b""
            out.append(mac + tag + struct.pack("!H", etype) + net)
        elif linktype in (101, 12, 14, 228, 229):
            if etype in (0x0800, 0x86DD) and not vlan:
                out.append(net)
        elif linktype == 113:
            out.append(struct.pack("!HHH8sH", 0, 1, 6, bytes.fromhex("020000000001") + bytes(2),
                                   etype) + net)
        elif linktype == 276:
            out.append(struct.pack("!HHIHBB8s", etype, 0, 2, 1, 0, 6,
                                   bytes.fromhex("020000000001") + bytes(2)) + net)
        elif linktype == 0:
            fam = {0x0800: 2, 0x86DD: 30}.get(etype)
            if fam and not vlan:
                out.append(struct.pack("<I", fam) + net)
    return out
