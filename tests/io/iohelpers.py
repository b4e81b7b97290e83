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

def write_pcap(path, frames, *, nsec=False, swap=False, ts0=1_700_000_000, snaplen=65535):
    """frames: bytes or (bytes, ts_ns) pairs. Returns the records as (ts_ns, data)."""
    end = ">" if swap else "<"
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    recs = []
    with open(path, "wb") as f:
        f.write(struct.pack(end + "IHHiIII", magic, 2, 4, 0, 0, snaplen, 1))
        for i, fr in enumerate(frames):
            data, ts = fr if isinstance(fr, tuple) else (fr, (ts0 + i) * 10**9 + i * 1000)
            frac = ts % 10**9 if nsec else ts % 10**9 // 1000
            f.write(struct.pack(end + "IIII", ts // 10**9, frac, len(data), len(data)))
            f.write(data)
            recs.append((ts if nsec else ts // 1000 * 1000, data))
    return recs


def read_pcap(path):
    """[(ts_ns, caplen, origlen, data)] of a classic pcap file (little endian,
    microsecond or nanosecond timestamps)."""
    raw = Path(path).read_bytes()
    magic, _, _, _, _, _, link = struct.unpack("<IHHiIII", raw[:24])
    assert magic in (0xA1B2C3D4, 0xA1B23C4D) and link == 1
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
